import Foundation
import Interpreter
import Render
import St

/// `stlang watch app.st` (SPEC §4): runs the script, then reruns it whenever it (or a module
/// imported from beside it) is saved. One interpreter and one st runtime serve every run, as
/// reruns of an app session do, so caches are kept: only functions whose source changed
/// recompute. A run that fails (even to parse) shows its error and waits for the next save.
public final class WatchSession {
    public struct Options {
        public var scriptPath: String
        public var color = false
        public var cacheDirectory: String? = DiskCache.defaultDirectory()
        public var stdlibPaths: [String] = Interpreter.defaultStdlibPaths()
        /// Stop after this many runs (tests); nil watches until interrupted.
        public var maxRuns: Int?
        /// Seconds between looks at the files' modification times.
        public var pollInterval: Double = 0.1
        public init(scriptPath: String) { self.scriptPath = scriptPath }
    }

    let options: Options
    let writeOut: ((String) -> Void)?
    let writeErr: ((String) -> Void)?
    private var interpreter: Interpreter!
    private var app: StApp!
    private var renderer: TextRenderer!
    private var runCount = 0
    /// The folder of the script: modules imported from it are watched and re-imported.
    private let scriptDir: String

    public init(options: Options, writeOut: ((String) -> Void)? = nil, writeErr: ((String) -> Void)? = nil) {
        self.options = options
        self.writeOut = writeOut
        self.writeErr = writeErr
        scriptDir = WatchSession.folder(of: options.scriptPath)
    }

    static func folder(of path: String) -> String {
        let dir = (path as NSString).deletingLastPathComponent
        return URL(fileURLWithPath: dir.isEmpty ? "." : dir).standardizedFileURL.path
    }

    /// Watches until `maxRuns` runs have been made (or forever); returns the exit status.
    public func run() -> Int32 {
        guard FileManager.default.fileExists(atPath: options.scriptPath) else {
            let m = "stlang: can't open file '\(options.scriptPath)': No such file or directory\n"
            if let writeErr { writeErr(m) } else { FileHandle.standardError.write(m.data(using: .utf8)!) }
            return 2
        }
        makeInterpreter()
        let rt = interpreter.runtime
        var changed: [String] = []
        while true {
            // The stamps are taken before the files are read: a save during the run is a change.
            var stamps = stampFiles(watchedFiles())
            performRun(changed: changed)
            if let max = options.maxRuns, runCount >= max { break }
            if runCount == 1 {
                rt.stdout.write(dim("· watching \(display(options.scriptPath)) for changes (Ctrl-C to stop)") + "\n")
                rt.stdout.flush()
            }
            // Modules the run imported for the first time are watched from now on.
            for (path, stamp) in stampFiles(watchedFiles()) where stamps[path] == nil { stamps[path] = stamp }
            changed = waitForChange(stamps)
        }
        rt.stdout.flush()
        rt.stderr.flush()
        return 0
    }

    // MARK: Files

    /// A file's identity and modification time: a save changes it (an atomic save through a
    /// rename changes the inode).
    struct Stamp: Equatable {
        var exists: Bool
        var seconds: Int
        var nanoseconds: Int
        var size: Int64
        var inode: UInt64
    }

    static func stamp(_ path: String) -> Stamp {
        var st = stat()
        guard stat(path, &st) == 0 else { return Stamp(exists: false, seconds: 0, nanoseconds: 0, size: 0, inode: 0) }
        return Stamp(exists: true, seconds: Int(st.st_mtim.tv_sec), nanoseconds: Int(st.st_mtim.tv_nsec),
                     size: Int64(st.st_size), inode: UInt64(st.st_ino))
    }

    func stampFiles(_ paths: [String]) -> [String: Stamp] {
        var r: [String: Stamp] = [:]
        for p in paths { r[p] = WatchSession.stamp(p) }
        return r
    }

    /// The script and the modules loaded from its folder.
    func watchedFiles() -> [String] {
        var files = [options.scriptPath]
        for (name, m) in interpreter.runtime.modules where name != "__main__" && isBesideScript(m.filename) {
            files.append(m.filename)
        }
        return files
    }

    func isBesideScript(_ file: String) -> Bool {
        guard file.hasSuffix(".st") else { return false }
        return WatchSession.folder(of: file) == scriptDir
    }

    /// Polls until some watched file changes; returns the changed files.
    func waitForChange(_ stamps: [String: Stamp]) -> [String] {
        while true {
            Thread.sleep(forTimeInterval: options.pollInterval)
            let changed = stamps.keys.sorted().filter { WatchSession.stamp($0) != stamps[$0] }
            if changed.isEmpty { continue }
            // Let an editor finish writing (some write in several steps).
            var settled = stampFiles(changed)
            for _ in 0..<20 {
                Thread.sleep(forTimeInterval: 0.03)
                let again = stampFiles(changed)
                if again == settled { break }
                settled = again
            }
            // A file that is gone for a moment (a save through delete + create) is not a change yet.
            if changed.allSatisfy({ !WatchSession.stamp($0).exists }) { continue }
            return changed
        }
    }

    /// Dim text on a colour terminal (the caller decides: never with NO_COLOR or into a pipe).
    func dim(_ t: String) -> String { options.color ? "\u{1B}[2m\(t)\u{1B}[0m" : t }

    func display(_ path: String) -> String { (path as NSString).lastPathComponent }

    // MARK: Runs

    private func makeInterpreter() {
        let interp = Interpreter(stdlibPaths: options.stdlibPaths)
        let rt = interp.runtime
        if let writeOut { rt.stdout.capture = writeOut }
        if let writeErr { rt.stderr.capture = writeErr }
        let app = StApp(runtime: rt)
        app.install()
        app.diskCache = options.cacheDirectory.map { DiskCache(directory: $0) }
        interpreter = interp
        self.app = app
        renderer = TextRenderer(color: options.color) { [unowned rt] s in rt.stdout.write(s) }
    }

    static let clockFormat: DateFormatter = {
        let f = DateFormatter()
        f.dateFormat = "HH:mm:ss"
        return f
    }()

    private func performRun(changed: [String]) {
        runCount += 1
        let rt = interpreter.runtime
        var header = "── run \(runCount) · \(WatchSession.clockFormat.string(from: Date()))"
        if !changed.isEmpty { header += " · " + changed.map(display).joined(separator: ", ") + " changed" }
        rt.stdout.write(dim(header + " ──") + "\n")
        let started = Date()
        // Modules from the script's folder are imported afresh: their source may have changed.
        for (name, m) in rt.modules where name == "__main__" || isBesideScript(m.filename) {
            rt.modules[name] = nil
        }
        var reruns = 0
        var ok = true
        runLoop: while true {
            renderer.reset()
            app.beginRun(observer: renderer)
            rt.modules["__main__"] = nil
            guard let data = FileManager.default.contents(atPath: options.scriptPath),
                  let source = String(data: data, encoding: .utf8) else {
                rt.stdout.flush()
                rt.stderr.write("stlang: can't read '\(options.scriptPath)'\n")
                ok = false
                app.endRun()
                break
            }
            let module = interpreter.mainModule(filename: options.scriptPath)
            var cleanUp = true
            switch app.runScript(source, filename: options.scriptPath, module: module) {
            case .finished: break
            case .stopped: cleanUp = false
            case .rerun where reruns < 100:
                reruns += 1
                app.endRun(cleanUpWidgets: false)
                continue runLoop
            case .rerun:
                rt.stdout.flush()
                rt.stderr.write("stlang: st.rerun() was called in 100 runs in a row; stopping\n")
                ok = false
            case .systemExit(let error):
                _ = interpreter.report(error)
                ok = false
            case .raised(let error):
                _ = interpreter.report(error)
                ok = false
                if rt.syntaxError(of: error) == nil, let element = try? app.exceptionElement(.obj(error.exc)) {
                    app.appendUncaught(element)
                }
            }
            app.endRun(cleanUpWidgets: cleanUp)
            break
        }
        rt.stdout.flush()
        rt.stderr.flush()
        let ms = Int(Date().timeIntervalSince(started) * 1000)
        var summary = "── run \(runCount): \(ms) ms"
        let events = app.cacheEvents
        if !events.isEmpty {
            let hits = events.filter(\.hit).count
            let misses = events.count - hits
            summary += " · cache \(hits) hit\(hits == 1 ? "" : "s"), \(misses) miss\(misses == 1 ? "" : "es")"
            // Which function hit or missed, once per function (its first event of the run).
            var seen = Set<String>()
            var parts: [String] = []
            for e in events where !seen.contains(e.function) {
                seen.insert(e.function)
                parts.append("\(e.function): " + (e.hit ? "hit" : "miss" + (e.reason.map { " (\($0))" } ?? "")))
            }
            summary += " [" + parts.joined(separator: ", ") + "]"
        }
        if !ok { summary += " · failed; waiting for the next save" }
        rt.stdout.write(dim(summary + " ──") + "\n")
        rt.stdout.flush()
    }
}
