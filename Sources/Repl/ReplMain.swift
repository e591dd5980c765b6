import Foundation
import InterruptFlag
import Interpreter

/// The command-line entry of `stlang repl` (and of `stlang` with no arguments).
public enum ReplMain {
    /// On a terminal (or with `interactive`), the prompt; otherwise stdin is read as a script,
    /// without prompts, as python3 does. Returns the exit status.
    public static func run(options: ReplSession.Options, interactive forced: Bool = false) -> Int32 {
        let interactive = forced || isatty(0) != 0
        if !interactive {
            return runOnLargeStack { () -> Int32 in
                var o = options
                o.banner = false
                let session = ReplSession(options: o, reader: PlainLineReader(showPrompts: false))
                return session.runStdinAsScript()
            }
        }
        // SIGINT goes to the interpreter's thread only (so it interrupts that thread's read):
        // blocked here, unblocked there.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        return runOnLargeStack { () -> Int32 in
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGINT)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            installInterruptHandler()
            var reader: LineReader = PlainLineReader(showPrompts: true)
            let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
            if isatty(0) != 0, isatty(1) != 0, term != "dumb", !term.isEmpty,
               let edit = LibEditLineReader.load(historyPath: historyPath()) {
                reader = edit
            }
            let session = ReplSession(options: options, reader: reader)
            return session.run()
        }
    }

    /// `~/.stlang_history` (`$STLANG_HISTORY` overrides; none without HOME).
    static func historyPath() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let p = env["STLANG_HISTORY"] { return p.isEmpty ? nil : p }
        guard let home = env["HOME"], !home.isEmpty else { return nil }
        return (home as NSString).appendingPathComponent(".stlang_history")
    }

    /// Ctrl-C sets `interruptRequested`: running code raises KeyboardInterrupt at its next loop
    /// iteration or call; a read in progress is cut short (no SA_RESTART).
    static func installInterruptHandler() {
        stl_install_sigint_handler()
    }
}

extension ReplSession {
    /// Piped stdin: the whole input is one script (`<stdin>`), run after the session's script if
    /// there is one. The status is python3's: 0, or 1 after an uncaught exception.
    public func runStdinAsScript() -> Int32 {
        if let script = options.scriptPath {
            guard runScript(path: script, header: false) else { return 2 }
            if let exitStatus { return exitStatus }
        }
        let data = (try? FileHandle.standardInput.readToEnd()) ?? Data()
        let source = String(decoding: data, as: UTF8.self)
        var status: Int32 = 0
        do throws(PyErr) {
            let code = try rt.compile(source: source, filename: "<stdin>", module: module)
            rt.sources["<stdin>"] = nil  // python3 shows no source lines for <stdin>
            try rt.run(code, module: module)
        } catch {
            let cls = error.exc.cls
            if !cls.isSubclass(of: app.stopException), !cls.isSubclass(of: app.rerunException) {
                status = interpreter.report(error)
                // python3 exits 1 after a syntax error in piped input.
                if status == 2, !cls.isSubclass(of: rt.types.SystemExit) { status = 1 }
            }
        }
        flush()
        reader.close()
        return status
    }
}
