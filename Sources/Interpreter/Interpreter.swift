import Foundation
import Syntax

/// The embedding API: one interpreter running scripts, reporting errors as CPython does.
public final class Interpreter {
    public let runtime: Runtime

    public init(stdlibPaths: [String] = Interpreter.defaultStdlibPaths()) {
        runtime = Runtime()
        runtime.searchPaths = stdlibPaths
    }

    /// Where the stdlib's `.st` modules are: `$STLANG_PATH` (colon-separated), then beside the
    /// executable (`stdlib/`, `../share/stlang/stdlib`, and the package's `stdlib/` for
    /// `.build/<config>/stlang`), then the source tree this binary was built from.
    public static func defaultStdlibPaths() -> [String] {
        var paths: [String] = []
        if let env = ProcessInfo.processInfo.environment["STLANG_PATH"] {
            paths += env.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        var candidates = [
            exe.appendingPathComponent("stdlib"),
            exe.appendingPathComponent("../share/stlang/stdlib"),
            exe.appendingPathComponent("../../stdlib"),
            exe.appendingPathComponent("../../../stdlib"),
        ]
        // #filePath is Sources/Interpreter/Interpreter.swift in the source tree.
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(source.appendingPathComponent("stdlib"))
        for c in candidates {
            let p = c.standardizedFileURL.path
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue, !paths.contains(p) {
                paths.append(p)
            }
        }
        return paths
    }

    /// Runs a file as `__main__`; returns the process exit status (0, 1 for an uncaught
    /// exception, 2 for a syntax error, or SystemExit's code).
    public func runFile(path: String) -> Int32 {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            runtime.stderr.write("stlang: can't open file '\(path)': Is a directory\n")
            runtime.stderr.flush()
            return 2
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            runtime.stderr.write("stlang: can't open file '\(path)': No such file or directory\n")
            runtime.stderr.flush()
            return 2
        }
        guard let source = String(validating: data, as: UTF8.self) else {
            runtime.stderr.write(Interpreter.invalidUTF8Report(path, Array(data)))
            runtime.stderr.flush()
            return 2
        }
        return runSource(source, filename: path)
    }

    /// Where the first byte that is not UTF-8 is, reported as CPython does.
    static func invalidUTF8Report(_ path: String, _ bytes: [UInt8]) -> String {
        var line = 1, lineStart = 0, i = 0
        while i < bytes.count {
            let b = bytes[i]
            let n = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
            var ok = n > 0 && i + n <= bytes.count
            if ok { for k in 1..<n where bytes[i + k] >> 6 != 0b10 { ok = false } }
            if ok, String(validating: bytes[i..<(i + n)], as: UTF8.self) == nil { ok = false }
            if !ok {
                let hex = String(b, radix: 16).leftPadded(to: 2)
                let col = i - lineStart + 1
                return "  File \"\(path)\", line \(line), column \(col)\nSyntaxError: (unicode error) 'utf-8' codec can't decode byte 0x\(hex) in position \(i - lineStart): invalid start byte\n"
            }
            if b == 0x0A { line += 1; lineStart = i + 1 }
            i += n
        }
        return "  File \"\(path)\"\nSyntaxError: file is not valid UTF-8\n"
    }

    public func mainModule(filename: String) -> PyModule {
        if let m = runtime.modules["__main__"] { return m }
        let m = PyModule(name: "__main__", filename: filename)
        m.set("__name__", .str("__main__"))
        m.set("__file__", .str(filename))
        runtime.modules["__main__"] = m
        return m
    }

    public func runSource(_ source: String, filename: String) -> Int32 {
        let module = mainModule(filename: filename)
        let status: Int32
        do throws(PyErr) {
            let code = try runtime.compile(source: source, filename: filename, module: module)
            try runtime.run(code, module: module)
            status = 0
        } catch {
            status = report(error)
        }
        runtime.stdout.flush()
        runtime.stderr.flush()
        return status
    }

    /// Prints an uncaught exception to stderr; returns the exit status it means.
    public func report(_ error: PyErr) -> Int32 {
        runtime.stdout.flush()
        if error.exc.cls.isSubclass(of: runtime.types.SystemExit) {
            let args = error.exc.exception?.args ?? []
            guard let code = args.first else { return 0 }
            switch code {
            case .none: return 0
            case .int(let i): return Int32(truncatingIfNeeded: i)
            case .bool(let b): return b ? 1 : 0
            default:
                runtime.stderr.write(((try? runtime.str(code)) ?? "") + "\n")
                return 1
            }
        }
        runtime.stderr.write(runtime.formatTraceback(error))
        runtime.stderr.flush()
        if runtime.syntaxError(of: error) != nil && error.state.traceback.isEmpty { return 2 }
        return 1
    }
}

/// Runs `body` on a thread with a large stack: deep (but bounded) recursion in interpreted
/// code needs far more native stack than the main thread's 8 MiB, especially in debug builds.
public func runOnLargeStack<T>(_ body: @escaping () -> T) -> T {
    let box = LargeStackBox(body)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.value = box.body()
        done.signal()
    }
    thread.stackSize = 1 << 30
    thread.start()
    done.wait()
    guard let v = box.value else { return body() }
    return v
}

private final class LargeStackBox<T>: @unchecked Sendable {
    var value: T?
    let body: () -> T
    init(_ b: @escaping () -> T) { body = b }
}
