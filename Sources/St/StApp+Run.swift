import Interpreter

/// How a run's script ended (SPEC §4): st.stop() and st.rerun() are not errors.
public enum ScriptEnd {
    case finished
    case stopped
    case rerun
    case systemExit(PyErr)
    case raised(PyErr)
}

extension StApp {
    /// One run's body, shared by `run --steps`, `watch` and the REPL's `:rerun`: the callbacks
    /// queued by the action that started the run, then the script as `module`.
    public func runScript(_ source: String, filename: String, module: PyModule) -> ScriptEnd {
        do throws(PyErr) {
            try runPendingCallbacks()
            let code = try rt.compile(source: source, filename: filename, module: module)
            try rt.run(code, module: module)
            return .finished
        } catch {
            let cls = error.exc.cls
            if cls.isSubclass(of: stopException) { return .stopped }
            if cls.isSubclass(of: rerunException) { return .rerun }
            if cls.isSubclass(of: rt.types.SystemExit) { return .systemExit(error) }
            return .raised(error)
        }
    }
}
