import Foundation
import XCTest

/// `stlang watch` as a subprocess: edits of the watched files start reruns.
final class WatchTests: XCTestCase {
    /// A running `stlang watch`, its output collected as it comes.
    final class Watcher {
        let process = Process()
        let out = OutputCollector()
        let err = OutputCollector()
        let done = DispatchSemaphore(value: 0)

        init(_ args: [String], directory: URL) throws {
            process.executableURL = URL(fileURLWithPath: stlangBinary)
            process.arguments = ["watch"] + args + ["--cache-dir", directory.appendingPathComponent("cache").path]
            process.currentDirectoryURL = directory
            var env = ProcessInfo.processInfo.environment
            env["NO_COLOR"] = nil
            process.environment = env
            let o = Pipe(), e = Pipe()
            process.standardOutput = o
            process.standardError = e
            process.standardInput = FileHandle.nullDevice
            let done = self.done
            process.terminationHandler = { _ in done.signal() }
            try process.run()
            out.drain(fd: o.fileHandleForReading.fileDescriptor)
            err.drain(fd: e.fileHandleForReading.fileDescriptor)
        }

        /// Waits for the process to end (killing it after `timeout`); returns its status.
        func finish(timeout: Double = 30) -> Int32? {
            if done.wait(timeout: .now() + timeout) == .timedOut {
                process.terminate()
                _ = done.wait(timeout: .now() + 5)
                XCTFail("stlang watch did not stop; output:\n\(out.text)\nstderr:\n\(err.text)")
                return nil
            }
            return process.terminationStatus
        }

        deinit { if process.isRunning { process.terminate() } }
    }

    /// Saves a file the way an editor does, a little after the previous save (so the change is
    /// seen even where modification times are coarse).
    func save(_ text: String, to url: URL) throws {
        Thread.sleep(forTimeInterval: 0.25)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func app(b: String, title: String) -> String {
        """
        @st.cache_data
        def a(x):
            return x * 2

        @st.cache_data
        def b(x):
            return \(b)

        st.title(\(title.debugDescription))
        st.write(a(1), b(1))
        """
    }

    func testTwoEditsTwoRerunsCachesKept() throws {
        let dir = try makeTempDir("watch")
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("app.st")
        try app(b: "x + 1", title: "First").write(to: script, atomically: true, encoding: .utf8)
        let w = try Watcher(["app.st", "--max-runs", "3"], directory: dir)
        w.out.expect("── run 1:")
        XCTAssertTrue(w.out.text.contains("cache 0 hits, 2 misses [a: miss (new key), b: miss (new key)]"), w.out.text)

        // Edit 1: only the title changes; both cached functions hit.
        try save(app(b: "x + 1", title: "Second"), to: script)
        w.out.expect("── run 2:")
        XCTAssertTrue(w.out.text.contains("── run 2 · "), w.out.text)
        XCTAssertTrue(w.out.text.contains("app.st changed ──"), w.out.text)
        XCTAssertTrue(w.out.text.contains("Second"), w.out.text)
        XCTAssertTrue(w.out.text.contains("cache 2 hits, 0 misses [a: hit, b: hit]"), w.out.text)

        // Edit 2: b's source changes: b recomputes, a still hits.
        try save(app(b: "x + 100", title: "Third"), to: script)
        w.out.expect("── run 3:")
        XCTAssertTrue(w.out.text.contains("cache 1 hit, 1 miss [a: hit, b: miss (source changed)]"), w.out.text)
        XCTAssertTrue(w.out.text.contains("101"), w.out.text)
        XCTAssertEqual(w.finish(), 0)
        XCTAssertEqual(w.err.text, "")
        XCTAssertFalse(w.out.text.contains("\u{1B}["), "no colour into a pipe")
    }

    func testAModuleBesideTheScriptIsReimportedWhenSaved() throws {
        let dir = try makeTempDir("watch-mod")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "def scale(x):\n    return x * 10\n".write(to: dir.appendingPathComponent("helper.st"), atomically: true, encoding: .utf8)
        try "from helper import scale\nprint('scaled', scale(4))\n".write(to: dir.appendingPathComponent("app.st"), atomically: true, encoding: .utf8)
        let w = try Watcher(["app.st", "--max-runs", "2"], directory: dir)
        w.out.expect("scaled 40")
        w.out.expect("── run 1:")
        try save("def scale(x):\n    return x * 1000\n", to: dir.appendingPathComponent("helper.st"))
        w.out.expect("scaled 4000")
        XCTAssertTrue(w.out.text.contains("helper.st changed"), w.out.text)
        XCTAssertEqual(w.finish(), 0)
    }

    func testASyntaxErrorWaitsForTheNextSave() throws {
        let dir = try makeTempDir("watch-err")
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("app.st")
        try app(b: "x + 1", title: "Fine").write(to: script, atomically: true, encoding: .utf8)
        let w = try Watcher(["app.st", "--max-runs", "3"], directory: dir)
        w.out.expect("── run 1:")
        try save(app(b: "x +", title: "Broken"), to: script)
        w.out.expect("── run 2: ")
        w.out.expect("failed; waiting for the next save")
        w.err.expect("SyntaxError")
        try save(app(b: "x + 1", title: "Fixed"), to: script)
        w.out.expect("── run 3:")
        XCTAssertTrue(w.out.text.contains("Fixed"), w.out.text)
        XCTAssertTrue(w.out.text.contains("[a: hit, b: hit]"), w.out.text)
        XCTAssertEqual(w.finish(), 0)
    }
}
