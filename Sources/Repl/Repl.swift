import Foundation
import Interpreter
import Render
import St
import Syntax

/// `stlang repl` (SPEC §4): a prompt like python3's. Complete inputs run in one `__main__`
/// module; expression results are echoed with repr; `st` elements render as they are emitted;
/// errors print a traceback and the session goes on. Lines come from a `LineReader` (libedit,
/// plain stdin, or a script in tests), so the loop itself is testable without a terminal.
public final class ReplSession {
    public struct Options {
        /// A script run first (`stlang repl app.st`) and again by `:rerun`.
        public var scriptPath: String?
        public var color = false
        public var cacheDirectory: String? = DiskCache.defaultDirectory()
        public var stdlibPaths: [String] = Interpreter.defaultStdlibPaths()
        /// Print the banner at start.
        public var banner = true
        public init(scriptPath: String? = nil) { self.scriptPath = scriptPath }
    }

    public let options: Options
    public let interpreter: Interpreter
    public let app: StApp
    public let reader: LineReader
    let renderer: TextRenderer
    let module: PyModule
    var rt: Runtime { interpreter.runtime }
    /// How many runs of the script there have been (`:rerun` headers).
    var runCount = 0
    /// Set when the code asked to leave (`exit()`, `SystemExit`): the REPL's exit status.
    public private(set) var exitStatus: Int32?
    /// Lines of the input being typed (a block in progress).
    private var pendingLines: [String] = []

    public static let primaryPrompt = ">>> "
    public static let continuationPrompt = "... "

    public init(options: Options, reader: LineReader, writeOut: ((String) -> Void)? = nil, writeErr: ((String) -> Void)? = nil) {
        self.options = options
        self.reader = reader
        let interp = Interpreter(stdlibPaths: options.stdlibPaths)
        let rt = interp.runtime
        if let writeOut { rt.stdout.capture = writeOut }
        if let writeErr { rt.stderr.capture = writeErr }
        // `time.sleep` wakes up for Ctrl-C (the next loop iteration or call raises KeyboardInterrupt).
        rt.sleep = { s in
            var left = s
            while left > 0, !keyboardInterruptRequested {
                let step = min(left, 0.05)
                Thread.sleep(forTimeInterval: step)
                left -= step
            }
        }
        interpreter = interp
        let app = StApp(runtime: rt)
        app.install()
        app.diskCache = options.cacheDirectory.map { DiskCache(directory: $0) }
        self.app = app
        renderer = TextRenderer(color: options.color) { [unowned rt] s in rt.stdout.write(s) }
        let m = PyModule(name: "__main__", filename: "<stdin>")
        m.set("__name__", .str("__main__"))
        rt.modules["__main__"] = m
        module = m
        if let script = options.scriptPath {
            let dir = (script as NSString).deletingLastPathComponent
            rt.searchPaths.insert(dir.isEmpty ? "." : dir, at: 0)
        }
        // `input()` inside REPL code reads through the same line reader.
        rt.readLine = { [unowned self] in
            switch self.reader.readLine(prompt: "") {
            case .line(let l): return l
            case .eof: return nil
            case .interrupt:
                interruptRequested = 1
                return ""
            }
        }
        reader.completer = { [unowned self] text, line in self.completions(text: text, line: line) }
        app.beginRun(observer: renderer)
    }

    // MARK: The loop

    /// Runs the session until end of input (or `exit()`); returns the exit status.
    public func run() -> Int32 {
        if options.banner {
            writeErr("stlang \(ReplSession.version) — type :help for commands, Ctrl-D to leave.\n")
        }
        if let script = options.scriptPath {
            if !runScript(path: script, header: false) { return 2 }
            if let exitStatus { return finish(exitStatus) }
        }
        while exitStatus == nil {
            flush()
            let prompt = pendingLines.isEmpty ? ReplSession.primaryPrompt : ReplSession.continuationPrompt
            switch reader.readLine(prompt: prompt) {
            case .eof:
                writeErr("\n")
                return finish(0)
            case .interrupt:
                pendingLines = []
                writeErr("\nKeyboardInterrupt\n")
            case .line(let line):
                feed(line)
            }
        }
        return finish(exitStatus ?? 0)
    }

    private func finish(_ status: Int32) -> Int32 {
        flush()
        reader.close()
        return status
    }

    /// One line typed at the prompt: a command, part of a block, or a complete input to run.
    public func feed(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty { reader.addHistory(line) }
        if pendingLines.isEmpty {
            if trimmed.isEmpty { return }
            if trimmed.hasPrefix(":") {
                command(trimmed)
                return
            }
        }
        pendingLines.append(line)
        let source = pendingLines.joined(separator: "\n") + "\n"
        if isIncompleteInput(source) {
            // A blank line always ends a block (as in python3), unless it is inside brackets or
            // a triple-quoted string: then the error (if any) shows at once.
            let blankEndsBlock = trimmed.isEmpty && pendingLines.count > 1 && !Syntax.isInsideBracketsOrString(source)
            if !blankEndsBlock { return }
        }
        pendingLines = []
        execute(source)
    }

    /// Runs one complete input (statements or a block) in `__main__`.
    public func execute(_ source: String) {
        let m = module
        let rt = self.rt
        do throws(PyErr) {
            let code = try rt.compileInteractive(source: source, filename: "<stdin>", module: m) { v throws(PyErr) in
                if case .none = v { return }
                // st calls return DeltaGenerators: echoing them after every element is noise.
                if rt.typeName(v) == "DeltaGenerator" { return }
                rt.stdout.write(try rt.repr(v) + "\n")
                m.set("_", v)
            }
            // python3's REPL does not show source lines for <stdin> (each input reuses the name).
            rt.sources["<stdin>"] = nil
            interruptRequested = 0
            try rt.run(code, module: m)
        } catch {
            handle(error)
        }
        rt.sources["<stdin>"] = nil
        interruptRequested = 0
        flush()
    }

    /// An exception that reached the prompt: a traceback, except for st's control flow.
    private func handle(_ error: PyErr) {
        let cls = error.exc.cls
        if cls.isSubclass(of: app.stopException) { return }
        if cls.isSubclass(of: app.rerunException) {
            if options.scriptPath != nil { rerun() }
            return
        }
        let status = interpreter.report(error)
        if cls.isSubclass(of: rt.types.SystemExit) { exitStatus = status }
    }

    // MARK: Runs of the script

    /// Runs the session's script in `__main__` (its names stay for the prompt). Returns false if
    /// the file could not be read.
    @discardableResult
    func runScript(path: String, header: Bool) -> Bool {
        guard let data = FileManager.default.contents(atPath: path), let source = String(data: data, encoding: .utf8) else {
            writeErr("stlang: can't open file '\(path)': No such file or directory\n")
            return false
        }
        runCount += 1
        if header { write("── run \(runCount) ──\n") }
        module.set("__file__", .str(path))
        var reruns = 0
        while true {
            interruptRequested = 0
            switch app.runScript(source, filename: path, module: module) {
            case .rerun where reruns < 100:
                reruns += 1
                startRun()
                continue
            case .finished, .stopped, .rerun: break
            case .systemExit(let error): exitStatus = interpreter.report(error)
            case .raised(let error): _ = interpreter.report(error)
            }
            break
        }
        interruptRequested = 0
        flush()
        return true
    }

    /// Ends the current run and starts a new one (a fresh element tree, widgets kept).
    func startRun() {
        app.endRun()
        renderer.reset()
        app.beginRun(observer: renderer)
    }

    /// `:rerun`: the script again, as a new run of the app.
    func rerun() {
        guard let script = options.scriptPath else {
            writeErr(":rerun: no script was loaded (start the REPL with `stlang repl app.st`)\n")
            return
        }
        startRun()
        runScript(path: script, header: true)
        let events = app.cacheEvents
        if !events.isEmpty {
            let hits = events.filter(\.hit).count
            write("· cache: \(hits) hit\(hits == 1 ? "" : "s"), \(events.count - hits) miss\(events.count - hits == 1 ? "" : "es")\n")
        }
    }

    // MARK: Commands

    public static let commandHelp: [(String, String)] = [
        (":help", "this list"),
        (":rerun", "run the session's script again (stlang repl app.st), as a new run of the app"),
        (":elements", "list the st elements of the current run"),
        (":cache", "list the st caches: entries, size, oldest entry"),
        (":clear-cache", "clear every st cache (cache_data and cache_resource)"),
    ]

    func command(_ text: String) {
        let name = text.split(separator: " ").first.map(String.init) ?? text
        switch name {
        case ":help", ":h", ":?":
            var s = "Commands:\n"
            for (c, d) in ReplSession.commandHelp { s += "  " + c.padding(toLength: 13, withPad: " ", startingAt: 0) + d + "\n" }
            s += "Anything else is stlang code: expressions are echoed, a blank line ends a block.\n"
            s += "Ctrl-C clears the line or interrupts running code; Ctrl-D (or exit()) leaves.\n"
            write(s)
        case ":rerun":
            rerun()
        case ":elements":
            listElements()
        case ":cache":
            listCaches()
        case ":clear-cache":
            app.clearAllCaches()
            write("caches cleared\n")
        default:
            writeErr("unknown command '\(name)'; :help lists the commands\n")
        }
        flush()
    }

    func listElements() {
        var lines: [String] = []
        func walk(_ e: Element, _ depth: Int) {
            for c in e.children {
                lines.append(String(repeating: "  ", count: depth) + ReplSession.summary(c))
                walk(c, depth + 1)
            }
        }
        walk(app.recorder.main, 1)
        let main = lines
        lines = []
        walk(app.recorder.sidebar, 1)
        if main.isEmpty && lines.isEmpty {
            write("no elements in this run\n")
            return
        }
        var s = ""
        if !main.isEmpty { s += "main:\n" + main.joined(separator: "\n") + "\n" }
        if !lines.isEmpty { s += "sidebar:\n" + lines.joined(separator: "\n") + "\n" }
        write(s)
    }

    /// One line about an element: its type and its main field.
    static func summary(_ e: Element) -> String {
        var s = e.type
        for key in ["label", "body", "key", "value"] {
            guard let v = e[key] else { continue }
            var t: String
            if let str = v.stringValue { t = "\"" + str + "\"" } else { t = v.text }
            t = t.replacingOccurrences(of: "\n", with: "⏎")
            if t.count > 60 { t = String(t.prefix(57)) + "…" }
            s += " \(key)=\(t)"
            if key == "label" || key == "body" { break }
        }
        return s
    }

    func listCaches() {
        let caches = app.caches.all
        if caches.isEmpty {
            write("no caches\n")
            return
        }
        let now = rt.clock()
        var s = ""
        for c in caches {
            var line = c.name.padding(toLength: max(16, c.name.count + 2), withPad: " ", startingAt: 0)
            line += "\(c.entryCount) entr\(c.entryCount == 1 ? "y" : "ies"), " + ReplSession.bytes(c.totalSize)
            if let oldest = c.oldestWrite { line += ", oldest written \(ReplSession.age(now - oldest)) ago" }
            s += line + "\n"
        }
        write(s)
    }

    static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1024 * 1024 { return String(format: "%.1f KiB", Double(n) / 1024) }
        return String(format: "%.1f MiB", Double(n) / 1024 / 1024)
    }

    static func age(_ seconds: Double) -> String {
        let s = max(0, seconds)
        if s < 60 { return "\(Int(s)) s" }
        if s < 3600 { return "\(Int(s / 60)) min" }
        return String(format: "%.1f h", s / 3600)
    }

    // MARK: Output

    func write(_ s: String) { rt.stdout.write(s) }

    func writeErr(_ s: String) {
        rt.stdout.flush()
        rt.stderr.write(s)
        rt.stderr.flush()
    }

    func flush() {
        rt.stdout.flush()
        rt.stderr.flush()
    }

    public static var version = "0.1.0"
}
