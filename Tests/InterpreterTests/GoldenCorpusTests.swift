import Foundation
import Interpreter
import Session
import XCTest

/// Runs every golden program under Tests/Golden against its CPython-produced `.out`.
final class GoldenCorpusTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    /// Cases that are known to differ from CPython, each with the reason. A case listed here
    /// must still fail: fixing it means removing it from the list.
    static func knownFailures() -> [String: String] {
        let path = root.appendingPathComponent("Golden/KNOWN_FAILURES").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if let name = parts.first { out[String(name)] = parts.count > 1 ? String(parts[1]) : "" }
        }
        return out
    }

    func testGoldenCorpus() throws {
        // The corpus, and the samples that have an expected output beside them.
        let samples = Self.root.deletingLastPathComponent().appendingPathComponent("samples").path
        let cases = GoldenRunner.discover(Self.root.appendingPathComponent("Golden").path)
            + GoldenRunner.discover(samples).map { c in
                var s = c
                s.name = "samples/" + c.name
                return s
            }
        XCTAssertGreaterThan(cases.count, 150, "the corpus should have been found")
        let known = Self.knownFailures()
        let runner = GoldenRunner()
        var unexpected: [String] = []
        var fixed: [String] = []
        for c in cases {
            let diff = runner.check(c)
            let ok = diff == nil
            if let diff, known[c.name] == nil {
                unexpected.append(c.name)
                print("FAIL \(c.name)\n\(diff)\n")
            }
            if ok && known[c.name] != nil { fixed.append(c.name) }
        }
        XCTAssert(unexpected.isEmpty, "golden programs differ from CPython: \(unexpected)")
        XCTAssert(fixed.isEmpty, "now passing, remove from KNOWN_FAILURES: \(fixed)")
    }
}
