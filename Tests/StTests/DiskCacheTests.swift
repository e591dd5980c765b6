import Foundation
import Interpreter
import XCTest
@testable import Session
@testable import St

/// Persisted caches: corrupt, truncated or foreign entries are misses with a warning; two
/// processes writing the same entries never corrupt them.
final class DiskCacheTests: XCTestCase {
    var dir: URL!

    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("stlang-disk-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    let app = """
    @st.cache_data(persist="disk")
    def load(n):
        st.info(f"loading {n}")
        return {"n": n, "xs": [1, 2.5, "s", None, (1, 2)], "big": 2 ** 80}
    st.write(load(3))
    """

    /// Runs the app once in a fresh session (as a new process would); returns (stdout, stderr, events).
    func session() -> (out: String, err: String, events: String) {
        let script = dir.appendingPathComponent("app.st")
        try? app.write(to: script, atomically: true, encoding: .utf8)
        var options = AppSession.Options(scriptPath: script.path)
        options.cacheDirectory = dir.appendingPathComponent("cache").path
        options.format = .json
        var out = "", err = ""
        let status = runOnLargeStack { () -> Int32 in
            AppSession(options: options, writeOut: { out += $0 }, writeErr: { err += $0 }).run()
        }
        XCTAssertEqual(status, 0, err)
        let events = out.components(separatedBy: "\"cache\": ").last?.components(separatedBy: "]").first ?? ""
        return (out, err, events)
    }

    func entryFile() -> URL? {
        let cache = dir.appendingPathComponent("cache")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []
        return files.first { $0.hasSuffix(".stcache") }.map { cache.appendingPathComponent($0) }
    }

    func testHitAcrossSessions() {
        XCTAssertTrue(session().events.contains("\"miss\""))
        let second = session()
        XCTAssertTrue(second.events.contains("\"hit\""), second.out)
        XCTAssertTrue(second.out.contains("1208925819614629174706176"), "big int survives the round trip")
    }

    func corruptThenExpectMiss(_ corrupt: (inout [UInt8]) -> Void, _ expectedWarning: String, file: StaticString = #filePath, line: UInt = #line) {
        _ = session()
        guard let f = entryFile(), var bytes = (try? Data(contentsOf: f)).map({ [UInt8]($0) }) else {
            return XCTFail("no entry written", file: file, line: line)
        }
        corrupt(&bytes)
        try? Data(bytes).write(to: f)
        let s = session()
        XCTAssertTrue(s.events.contains("\"miss\""), s.out, file: file, line: line)
        XCTAssertTrue(s.err.contains("warning: ignoring the persisted cache entry of load()"), s.err, file: file, line: line)
        XCTAssertTrue(s.err.contains(expectedWarning), s.err, file: file, line: line)
        // The miss rewrote a good entry.
        XCTAssertTrue(session().events.contains("\"hit\""), file: file, line: line)
    }

    func testTruncatedEntryIsAMiss() { corruptThenExpectMiss({ $0 = Array($0.prefix($0.count / 2)) }, "truncated") }
    func testFlippedByteIsAMiss() { corruptThenExpectMiss({ $0[$0.count - 5] ^= 0xFF }, "checksum mismatch") }
    func testOtherVersionIsAMiss() { corruptThenExpectMiss({ $0[11] = 99 }, "cache format version 99") }
    func testForeignFileIsAMiss() { corruptThenExpectMiss({ $0 = Array("not a cache at all".utf8) }, "not an stlang cache file") }

    /// Two processes miss the same keys at the same time and both write every entry.
    func testConcurrentWritersNeverCorrupt() throws {
        let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/stlang")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { throw XCTSkip("no built stlang at \(binary.path)") }
        let script = dir.appendingPathComponent("writers.st")
        try """
        @st.cache_data(persist="disk")
        def big(k):
            return [k] * 20000 + [str(k)] * 2000
        for k in range(40):
            big(k)
        """.write(to: script, atomically: true, encoding: .utf8)
        let cacheDir = dir.appendingPathComponent("shared").path
        func start() throws -> (Process, Pipe) {
            let p = Process()
            p.executableURL = binary
            p.arguments = ["run", script.path, "--cache-dir", cacheDir, "--format", "json"]
            let err = Pipe()
            p.standardError = err
            p.standardOutput = Pipe()
            try p.run()
            return (p, err)
        }
        for _ in 0..<2 {
            let writers = try (0..<3).map { _ in try start() }
            for (p, err) in writers {
                p.waitUntilExit()
                let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                XCTAssertEqual(p.terminationStatus, 0, text)
                XCTAssertFalse(text.contains("warning"), text)
            }
        }
        // A reader now finds every entry whole: 40 hits, no warning.
        let (reader, err) = try start()
        let out = reader.standardOutput as! Pipe
        let json = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        reader.waitUntilExit()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertFalse(errText.contains("warning"), errText)
        XCTAssertEqual(json.components(separatedBy: "\"event\": \"hit\"").count - 1, 40)
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: cacheDir))?.filter { $0.contains(".tmp-") } ?? []
        XCTAssertEqual(leftovers, [], "no temporary files left")
    }
}
