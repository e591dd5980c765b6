import Foundation
import Interpreter
import Render
import St

/// One app session (SPEC §4): the first run, then one action per steps line; reruns keep
/// session state; the session clock is virtual under `--steps`.
public final class AppSession {
    public enum Format: String { case text, json }

    public struct Options {
        public var scriptPath: String
        public var stepsPath: String?
        /// `sys.argv[1:]`: what followed the script on the command line.
        public var scriptArguments: [String] = []
        public var format: Format = .text
        /// How errors name the steps file (the golden runner shows the bare file name).
        public var stepsDisplayName: String?
        public var color = false
        /// Show cache events in the text output.
        public var traceCache = false
        /// Where persisted caches live (`--cache-dir`; default `$STLANG_CACHE_DIR`, `~/.cache/stlang`).
        public var cacheDirectory: String? = DiskCache.defaultDirectory()
        public var stdlibPaths: [String] = Interpreter.defaultStdlibPaths()
        public init(scriptPath: String, stepsPath: String? = nil) {
            self.scriptPath = scriptPath
            self.stepsPath = stepsPath
        }
    }

    let options: Options
    /// Where output goes: the real stdout/stderr, unless a host (tests) captures them.
    let writeOut: ((String) -> Void)?
    let writeErr: ((String) -> Void)?
    let readLine: (() -> String?)?

    private(set) var interpreter: Interpreter!
    private(set) var app: StApp!
    private var renderer: TextRenderer?
    private var source = ""
    private var runCount = 0
    /// The session clock under `--steps` (seconds since the epoch); nil means real time.
    private var clock: Double?
    /// Whether the app has shown any element yet: a plain program's uncaught exception is only
    /// its traceback on stderr (CPython parity), not also an element on stdout.
    private var showedElements = false
    private let jsonOut = OutputSink(fd: 1)

    public init(options: Options, writeOut: ((String) -> Void)? = nil, writeErr: ((String) -> Void)? = nil, readLine: (() -> String?)? = nil) {
        self.options = options
        self.writeOut = writeOut
        self.writeErr = writeErr
        self.readLine = readLine
    }

    enum RunEnd {
        case finished
        case exception(status: Int32)
        case rerun
        case exit(Int32)
    }

    /// Runs the session; returns the process exit status.
    public func run() -> Int32 {
        let path = options.scriptPath
        switch readScript(path) {
        case .failure(let message): return fail(message, status: 2)
        case .success(let s): source = s
        }
        var steps: [Step] = []
        if let stepsPath = options.stepsPath {
            guard let data = FileManager.default.contents(atPath: stepsPath), let text = String(data: data, encoding: .utf8) else {
                return fail("stlang: can't read steps file '\(stepsPath)'", status: 2)
            }
            do { steps = try StepsParser.parse(text, file: stepsFile) } catch {
                return fail("stlang: \(error)", status: 2)
            }
            clock = Date().timeIntervalSince1970
        }
        makeInterpreter()
        var last = runWithReruns()
        if case .exit(let code) = last { return finish(code) }
        for step in steps {
            do {
                guard try apply(step) else { continue }
            } catch let e as StepsError {
                return finish(fail("stlang: \(e)", status: 2))
            } catch {
                return finish(fail("stlang: \(error)", status: 2))
            }
            last = runWithReruns()
            if case .exit(let code) = last { return finish(code) }
        }
        if options.traceCache, options.format == .text {
            let lines = app.cacheListing(now: interpreter.runtime.clock())
            interpreter.runtime.stdout.write("── caches ──\n" + (lines.isEmpty ? "(empty)\n" : lines.map { $0 + "\n" }.joined()))
        }
        switch last {
        case .exception(let status): return finish(status)
        default: return finish(0)
        }
    }

    private func finish(_ status: Int32) -> Int32 {
        interpreter?.runtime.stdout.flush()
        interpreter?.runtime.stderr.flush()
        jsonOut.flush()
        return status
    }

    private func fail(_ message: String, status: Int32) -> Int32 {
        interpreter?.runtime.stdout.flush()
        if let writeErr { writeErr(message + "\n") } else {
            FileHandle.standardError.write((message + "\n").data(using: .utf8) ?? Data())
        }
        return status
    }

    private enum ScriptRead { case success(String), failure(String) }

    private func readScript(_ path: String) -> ScriptRead {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            return .failure("stlang: can't open file '\(path)': Is a directory")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure("stlang: can't open file '\(path)': No such file or directory")
        }
        guard let s = String(validating: data, as: UTF8.self) else {
            return .failure("stlang: can't read '\(path)': the file is not valid UTF-8")
        }
        return .success(s)
    }

    /// A fresh interpreter and st runtime: at start and on `restart` (as a new process would).
    private func makeInterpreter() {
        let interp = Interpreter(stdlibPaths: options.stdlibPaths)
        let rt = interp.runtime
        rt.scriptArguments = [options.scriptPath] + options.scriptArguments
        if options.format == .json {
            // JSON documents own stdout; print goes to stderr.
            let err = writeErr
            rt.stdout.capture = { s in if let err { err(s) } else { rt.stderr.write(s) } }
            if let writeOut { jsonOut.capture = writeOut }
        } else if let writeOut {
            rt.stdout.capture = writeOut
        }
        if let writeErr { rt.stderr.capture = writeErr }
        if let readLine { rt.readLine = readLine }
        if clock != nil {
            rt.clock = { [unowned self] in self.clock ?? 0 }
            rt.sleep = { [unowned self] s in if s > 0 { self.clock = (self.clock ?? 0) + s } }
        }
        let app = StApp(runtime: rt)
        app.install()
        app.diskCache = options.cacheDirectory.map { DiskCache(directory: $0) }
        if options.color {
            // A terminal: the spinner is a transient line on stderr, erased when the miss ends.
            app.onSpinner = { [unowned rt] text in
                rt.stdout.flush()
                let line = text.map { "⠿ " + $0 } ?? ""
                FileHandle.standardError.write(("\r\u{1B}[K" + line).data(using: .utf8) ?? Data())
            }
        }
        if options.traceCache, options.format == .text {
            app.onCacheEvent = { [unowned rt] e in rt.stdout.write(e.traceLine + "\n") }
        }
        interpreter = interp
        self.app = app
        if options.format == .text {
            renderer = TextRenderer(color: options.color) { [unowned rt] s in rt.stdout.write(s) }
        } else {
            renderer = nil
        }
    }

    /// A run, and the runs `st.rerun()` asks for right after it.
    private func runWithReruns() -> RunEnd {
        var end = performRun()
        var reruns = 0
        while case .rerun = end {
            reruns += 1
            if reruns > 100 {
                _ = fail("stlang: st.rerun() was called in 100 runs in a row; stopping", status: 1)
                return .exception(status: 1)
            }
            end = performRun()
        }
        return end
    }

    private func performRun() -> RunEnd {
        runCount += 1
        let rt = interpreter.runtime
        let multiRun = options.stepsPath != nil || runCount > 1
        if multiRun, options.format == .text {
            rt.stdout.write("── run \(runCount) ──\n")
        }
        renderer?.reset()
        app.beginRun(observer: renderer)
        rt.modules["__main__"] = nil
        let module = interpreter.mainModule(filename: options.scriptPath)
        var end = RunEnd.finished
        var stopped = false
        var exception: (type: String, message: String)?
        switch app.runScript(source, filename: options.scriptPath, module: module) {
        case .finished: break
        case .stopped: stopped = true
        case .rerun: end = .rerun
        case .systemExit(let error): end = .exit(interpreter.report(error))
        case .raised(let error):
            let status = interpreter.report(error)
            if let element = try? app.exceptionElement(.obj(error.exc)) {
                if options.stepsPath == nil && !showedElements && app.recorder.main.children.isEmpty && app.recorder.sidebar.children.isEmpty {
                    renderer?.hidden.insert(ObjectIdentifier(element))
                }
                app.appendUncaught(element)
                exception = (element["exception_type"]?.stringValue ?? error.exc.cls.name, element["message"]?.stringValue ?? "")
            }
            end = .exception(status: status)
        }
        if !app.recorder.main.children.isEmpty || !app.recorder.sidebar.children.isEmpty { showedElements = true }
        switch end {
        case .finished where stopped, .rerun: app.endRun(cleanUpWidgets: false)
        default: app.endRun()
        }
        rt.stdout.flush()
        if options.format == .json {
            jsonOut.write(RunDocument.json(run: runCount, recorder: app.recorder, cache: app.cacheEvents.map(\.json), exception: exception) + "\n")
            jsonOut.flush()
        }
        return end
    }

    // MARK: Steps

    private func find(_ ref: WidgetRef, _ step: Step) throws -> WidgetMeta {
        switch ref {
        case .key(let k):
            if let w = app.lastRunWidget(key: k) { return w }
        case .label(let l):
            let ws = app.lastRunWidgets(label: l)
            if ws.count == 1 { return ws[0] }
            if ws.count > 1 {
                throw StepsError(file: stepsFile, line: step.line, message: "\(step.action.name): \(ws.count) widgets are labelled \"\(l)\"; name one by its key (give it key=...)")
            }
        }
        throw StepsError(file: stepsFile, line: step.line, message: "\(step.action.name): no widget \(ref) in run \(runCount); \(app.lastRunWidgetList)")
    }

    private var stepsFile: String { options.stepsDisplayName ?? options.stepsPath ?? "<steps>" }

    private func stepError(_ step: Step, _ message: String) -> StepsError {
        StepsError(file: stepsFile, line: step.line, message: "\(step.action.name): \(message)")
    }

    /// A path named in a steps file: relative to the steps file's folder, else to the working folder.
    private func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let dir = ((options.stepsPath ?? "") as NSString).deletingLastPathComponent
        let beside = (dir.isEmpty ? path : (dir as NSString).appendingPathComponent(path))
        if FileManager.default.fileExists(atPath: beside) { return beside }
        return path
    }

    /// Applies one step; returns whether it starts a run.
    private func apply(_ step: Step) throws -> Bool {
        switch step.action {
        case .rerun:
            return true
        case .set(let ref, let valueSource):
            let w = try find(ref, step)
            if w.isButton { throw stepError(step, "\"\(w.label)\" is a \(w.type): use `click`") }
            if w.isUploader { throw stepError(step, "\"\(w.label)\" is a \(w.type): use `upload`") }
            let value: Value
            do throws(PyErr) { value = try app.evaluateLiteral(valueSource) } catch {
                throw stepError(step, "`\(valueSource)` is not an stlang literal (\(app.describe(error)))")
            }
            if w.disabled { throw stepError(step, "\(w.type) \"\(w.label)\" is disabled") }
            do throws(PyErr) { return try app.set(w, value) } catch {
                throw stepError(step, "\(ref): \(app.describe(error))")
            }
        case .click(let ref):
            let w = try find(ref, step)
            guard w.isButton else { throw stepError(step, "\"\(w.label)\" is a \(w.type), not a button: use `set`") }
            if w.disabled { throw stepError(step, "\(w.type) \"\(w.label)\" is disabled") }
            do throws(PyErr) { try app.click(w) } catch { throw stepError(step, app.describe(error)) }
            return true
        case .submit(let form):
            guard let button = app.submitButton(form: form) else {
                let forms = app.lastRunForms
                throw stepError(step, "no form '\(form)' with a submit button in run \(runCount)" + (forms.isEmpty ? "" : "; forms: " + forms.joined(separator: ", ")))
            }
            do throws(PyErr) { try app.click(button) } catch { throw stepError(step, app.describe(error)) }
            return true
        case .upload(let ref, let path):
            let w = try find(ref, step)
            guard w.isUploader else { throw stepError(step, "\"\(w.label)\" is a \(w.type), not a file_uploader or camera_input") }
            let full = resolve(path)
            guard let data = FileManager.default.contents(atPath: full) else { throw stepError(step, "can't read '\(path)'") }
            do throws(PyErr) {
                return try app.upload(w, name: (path as NSString).lastPathComponent, data: [UInt8](data),
                                      mimeType: UploadedFilePayload.mimeType(forPath: path))
            } catch {
                throw stepError(step, app.describe(error))
            }
        case .edit(let path):
            switch readScript(resolve(path)) {
            case .failure(let m): throw stepError(step, m.hasPrefix("stlang: ") ? String(m.dropFirst(8)) : m)
            case .success(let s): source = s
            }
            return true
        case .advance(let seconds):
            clock = (clock ?? Date().timeIntervalSince1970) + seconds
            return false
        case .clearCache:
            app.clearAllCaches()
            return false
        case .restart:
            interpreter.runtime.stdout.flush()
            interpreter.runtime.stderr.flush()
            makeInterpreter()
            return false
        }
    }
}
