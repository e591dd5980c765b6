import Foundation
import Interpreter

/// The value of `file_uploader` / `camera_input` after an `upload` step.
public final class UploadedFilePayload {
    public let name: String
    public let data: [UInt8]
    public let mimeType: String
    var position = 0
    public init(name: String, data: [UInt8], mimeType: String) {
        self.name = name
        self.data = data
        self.mimeType = mimeType
    }

    /// The MIME type Streamlit's browser side would report, from the extension.
    public static func mimeType(forPath path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": return "text/csv"
        case "txt": return "text/plain"
        case "json": return "application/json"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "pdf": return "application/pdf"
        case "md": return "text/markdown"
        case "html": return "text/html"
        default: return "application/octet-stream"
        }
    }
}

extension StApp {
    func installUploadedFileClass() {
        func file(_ args: [Value]) throws(PyErr) -> UploadedFilePayload {
            guard let f = args.first?.asNative(uploaded: uploadedFileClass) else { throw rt.typeError("expected an UploadedFile") }
            return f
        }
        func bytes(_ b: ArraySlice<UInt8>) throws(PyErr) -> Value {
            try rt.call(rt.builtins["bytes"] ?? .none, [.obj(PyList(b.map { .int(Int($0)) }))])
        }
        let defs: [(String, NativeFunction)] = [
            ("read", { args, _ throws(PyErr) in
                let f = try file(args)
                let rest = f.data[min(f.position, f.data.count)...]
                f.position = f.data.count
                return try bytes(rest)
            }),
            ("getvalue", { args, _ throws(PyErr) in try bytes(try file(args).data[...]) }),
            ("seek", { args, _ throws(PyErr) in
                let f = try file(args)
                guard args.count == 2, case .int(let p) = args[1], p >= 0 else { throw self.rt.valueError("seek() needs a non-negative position") }
                f.position = p
                return .int(p)
            }),
            ("tell", { args, _ throws(PyErr) in .int(try file(args).position) }),
            ("__getattr__", { args, _ throws(PyErr) in
                let f = try file(args)
                let name = args.count > 1 ? try self.rt.str(args[1]) : ""
                switch name {
                case "name": return .str(f.name)
                case "size": return .int(f.data.count)
                case "type": return .str(f.mimeType)
                default: throw self.rt.attributeError("'UploadedFile' object has no attribute '\(name)'")
                }
            }),
            ("__repr__", { args, _ throws(PyErr) in
                let f = try file(args)
                return .str("UploadedFile(name='\(f.name)', type='\(f.mimeType)', size=\(f.data.count))")
            }),
        ]
        for (n, fn) in defs { uploadedFileClass.setAttribute(n, .obj(PyBuiltin(n, fn))) }
    }

    func uploadedFile(_ f: UploadedFilePayload) -> Value { .obj(PyNative(cls: uploadedFileClass, payload: f)) }
}
