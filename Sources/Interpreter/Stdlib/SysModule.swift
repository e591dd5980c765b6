import BigInt
import Foundation

// `sys`: what scripts reach for: argv (the ARGS of `stlang run FILE ARGS...`), exit, the
// recursion limit, stdout/stderr objects for `print(..., file=sys.stderr)` and `.write`.
extension Runtime {
    func makeSysModule() -> PyModule {
        let streamClass = PyClass(name: "TextIOWrapper", base: types.object, isBuiltin: true, moduleName: "_io")
        func sink(_ args: [Value], _ name: String) throws(PyErr) -> OutputSink {
            guard case .obj(let o)? = args.first, let n = o as? PyNative, let s = n.payload as? OutputSink else {
                throw typeError("descriptor '\(name)' requires a 'TextIOWrapper' object")
            }
            return s
        }
        streamClass.setAttribute("write", .obj(PyBuiltin("write") { args, _ throws(PyErr) in
            let s = try sink(args, "write")
            guard args.count == 2 else { throw self.typeError("write() takes exactly one argument (\(args.count - 1) given)") }
            guard let text = args[1].asStr?.value else {
                throw self.typeError("write() argument must be str, not \(self.typeName(args[1]))")
            }
            // stderr is unbuffered next to stdout: what was printed before comes first.
            if s === self.stderr { self.stdout.flush() }
            s.write(text)
            if s === self.stderr { s.flush() }
            return .int(text.unicodeScalars.count)
        }))
        streamClass.setAttribute("flush", .obj(PyBuiltin("flush") { args, _ throws(PyErr) in
            try sink(args, "flush").flush()
            return .none
        }))
        let stdoutObject = Value.obj(PyNative(cls: streamClass, payload: stdout))
        let stderrObject = Value.obj(PyNative(cls: streamClass, payload: stderr))
        // `sys.intern`: one object per distinct string, so interned equal strings are identical.
        var interned: [String: Value] = [:]
        let m = makeNativeModule("sys", functions: [
            ("intern", { args, _ throws(PyErr) in
                try self.argCount("intern", args, 1, 1)
                guard let s = args[0].asStr else {
                    throw self.typeError("intern() argument must be str, not \(self.typeName(args[0]))")
                }
                if let v = interned[s.value] { return v }
                interned[s.value] = args[0]
                return args[0]
            }),
            ("exit", { args, _ throws(PyErr) in
                if args.count > 1 { throw self.typeError("exit expected at most 1 argument, got \(args.count)") }
                // sys.exit(None) raises SystemExit() with no arguments, as CPython does.
                throw self.raise(self.types.SystemExit, args: args.first.map { $0.isNone ? [] : [$0] } ?? [])
            }),
            ("getrecursionlimit", { args, _ throws(PyErr) in
                try self.argCount("getrecursionlimit", args, 0, 0)
                return .int(self.requestedRecursionLimit ?? self.configuredRecursionLimit)
            }),
            ("setrecursionlimit", { args, _ throws(PyErr) in
                try self.argCount("setrecursionlimit", args, 1, 1)
                guard case .int(let n) = args[0] else {
                    throw self.typeError("'\(self.typeName(args[0]))' object cannot be interpreted as an integer")
                }
                if n < 1 { throw self.valueError("recursion limit must be greater or equal than 1") }
                // The value stack and the native stack bound how deep stlang can go; past this,
                // RecursionError would no longer be guaranteed before the process runs out.
                self.requestedRecursionLimit = n
                self.configuredRecursionLimit = min(n, Runtime.maxRecursionLimit)
                self.recursionLimit = min(self.configuredRecursionLimit, self.generatorDepthCap)
                return .none
            }),
        ], constants: [
            ("argv", .obj(PyList(scriptArguments.map { Value.str($0) }))),
            ("maxsize", .int(Int.max)),
            ("byteorder", .str("little")),
            ("platform", .str("linux")),
            ("path", .obj(PyList(searchPaths.map { Value.str($0) }))),
            ("stdout", stdoutObject),
            ("stderr", stderrObject),
        ])
        return m
    }
}
