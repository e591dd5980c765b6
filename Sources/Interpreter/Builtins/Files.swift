import Foundation

/// A text file opened with `open()`. Reading loads the file at open; writing buffers and
/// writes on flush/close (and when the `with` block ends).
public final class PyFile: PyObject {
    let path: String
    let mode: String
    var content: [Unicode.Scalar] = []
    var position = 0
    var pending = ""
    var closed = false
    var wroteOnce = false

    init(path: String, mode: String) {
        self.path = path
        self.mode = mode
        super.init(kind: .file)
    }

    var readable: Bool { mode.contains("r") || mode.contains("+") }
    var writable: Bool { mode.contains("w") || mode.contains("a") || mode.contains("x") || mode.contains("+") }

    func flush() -> Bool {
        guard !pending.isEmpty || (!wroteOnce && mode.contains("w")) else { return true }
        let append = mode.contains("a") || wroteOnce
        defer { pending = ""; wroteOnce = true }
        if append, let h = FileHandle(forWritingAtPath: path) {
            h.seekToEndOfFile()
            h.write(Data(pending.utf8))
            h.closeFile()
            return true
        }
        return FileManager.default.createFile(atPath: path, contents: Data(pending.utf8))
    }
}

extension Runtime {
    func openFile(_ args: [Value], _ kwargs: KwArgs) throws(PyErr) -> Value {
        let kw = try keywords("open", kwargs, ["file", "mode", "encoding", "newline", "errors", "buffering"])
        guard let pathV = args.first ?? kw["file"], let path = pathV.asStr?.value else {
            throw typeError("expected str, bytes or os.PathLike object, not \(typeName(args.first ?? .none))")
        }
        let mode = (args.count > 1 ? args[1] : kw["mode"])?.asStr?.value ?? "r"
        let valid = Set("rwaxbt+")
        if mode.isEmpty || !mode.allSatisfy({ valid.contains($0) }) || mode.filter({ "rwax".contains($0) }).count != 1 {
            throw valueError("invalid mode: '\(mode)'")
        }
        if mode.contains("b") { throw valueError("binary mode files are not supported in stlang") }
        let f = PyFile(path: path, mode: mode)
        var isDir: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
        if isDir.boolValue { throw raise(types.builtinsException("IsADirectoryError"), args: [.int(21), .str("Is a directory")], text: "[Errno 21] Is a directory: \(pyStrRepr(path))") }
        if mode.contains("r") {
            guard exists, let data = FileManager.default.contents(atPath: path) else {
                throw raise(types.FileNotFoundError, args: [.int(2), .str("No such file or directory")], text: "[Errno 2] No such file or directory: \(pyStrRepr(path))")
            }
            f.content = Array(String(decoding: data, as: UTF8.self).unicodeScalars)
        } else if mode.contains("x") && exists {
            throw raise(types.builtinsException("FileExistsError"), args: [.int(17), .str("File exists")], text: "[Errno 17] File exists: \(pyStrRepr(path))")
        } else if mode.contains("w") || mode.contains("x") {
            if !FileManager.default.createFile(atPath: path, contents: Data()) {
                throw raise(types.FileNotFoundError, args: [.int(2), .str("No such file or directory")], text: "[Errno 2] No such file or directory: \(pyStrRepr(path))")
            }
            f.wroteOnce = true
        }
        return .obj(f)
    }

    /// An OSError-style exception whose str is `text`.
    func raise(_ cls: PyClass, args: [Value], text: String) -> PyErr {
        let e = raise(cls, args: args)
        e.exc.setAttr("errno", args.first ?? .none)
        e.exc.setAttr("strerror", args.count > 1 ? args[1] : .none)
        e.exc.setAttr("__stlang_text__", .str(text))
        return e
    }

    func installFileMethods() {
        func file(_ args: [Value]) throws(PyErr) -> PyFile {
            guard case .obj(let o)? = args.first, o.kind == .file else { throw typeError("expected a file") }
            let f = unsafeDowncast(o, to: PyFile.self)
            if f.closed { throw valueError("I/O operation on closed file.") }
            return f
        }
        func readLine(_ f: PyFile) -> String {
            var out = String.UnicodeScalarView()
            while f.position < f.content.count {
                let c = f.content[f.position]
                out.append(c)
                f.position += 1
                if c == "\n" { break }
            }
            return String(out)
        }
        let cls = types.file
        let defs: [(String, NativeFunction)] = [
            ("read", { args, _ throws(PyErr) in
                let f = try file(args)
                if !f.readable { throw self.raise(self.types.OSError, "not readable") }
                var n = f.content.count - f.position
                if args.count > 1, case .int(let k) = args[1], k >= 0 { n = min(n, k) }
                var out = String.UnicodeScalarView()
                out.append(contentsOf: f.content[f.position..<(f.position + n)])
                f.position += n
                return .str(String(out))
            }),
            ("readline", { args, _ throws(PyErr) in
                let f = try file(args)
                if !f.readable { throw self.raise(self.types.OSError, "not readable") }
                return .str(readLine(f))
            }),
            ("readlines", { args, _ throws(PyErr) in
                let f = try file(args)
                if !f.readable { throw self.raise(self.types.OSError, "not readable") }
                var lines: [Value] = []
                while f.position < f.content.count { lines.append(.str(readLine(f))) }
                return .obj(PyList(lines))
            }),
            ("write", { args, _ throws(PyErr) in
                let f = try file(args)
                if !f.writable { throw self.raise(self.types.OSError, "not writable") }
                guard args.count == 2, let s = args[1].asStr else {
                    throw self.typeError("write() argument must be str, not \(self.typeName(args.count > 1 ? args[1] : .none))")
                }
                f.pending += s.value
                if f.pending.utf8.count > 1 << 16 { _ = f.flush() }
                return .int(s.count)
            }),
            ("writelines", { args, _ throws(PyErr) in
                let f = try file(args)
                try self.forEach(args.count > 1 ? args[1] : .none) { v throws(PyErr) in
                    f.pending += try self.strArg(v, "writelines", "write() argument must be str")
                    return true
                }
                return .none
            }),
            ("flush", { args, _ throws(PyErr) in
                _ = try file(args).flush()
                return .none
            }),
            ("close", { args, _ throws(PyErr) in
                guard case .obj(let o)? = args.first, o.kind == .file else { return .none }
                let f = unsafeDowncast(o, to: PyFile.self)
                if !f.closed { _ = f.flush(); f.closed = true }
                return .none
            }),
            ("__enter__", { args, _ throws(PyErr) in
                _ = try file(args)
                return args[0]
            }),
            ("__exit__", { args, _ throws(PyErr) in
                guard case .obj(let o)? = args.first, o.kind == .file else { return .none }
                let f = unsafeDowncast(o, to: PyFile.self)
                if !f.closed { _ = f.flush(); f.closed = true }
                return .bool(false)
            }),
            ("__iter__", { args, _ throws(PyErr) in
                let f = try file(args)
                return .obj(PyIterator(cls: self.types.iterator) {
                    f.position < f.content.count ? .str(readLine(f)) : nil
                })
            }),
        ]
        for (name, fn) in defs { cls.setAttribute(name, .obj(PyBuiltin(name, fn))) }
        cls.setAttribute("closed", .obj(PyProperty(getter: .obj(PyBuiltin("closed") { args, _ throws(PyErr) in
            guard case .obj(let o)? = args.first, o.kind == .file else { return .bool(true) }
            return .bool(unsafeDowncast(o, to: PyFile.self).closed)
        }))))
    }
}

extension BuiltinTypes {
    func builtinsException(_ name: String) -> PyClass {
        exceptions.first { $0.name == name } ?? OSError
    }
}
