import Foundation
import Resolve
import Syntax
import Testing

/// The chunked syntax-error corpus (Tests/Golden/syntax/*.chunks, format in
/// Tests/Golden/tools/check_chunks.py): each chunk must fail on its marked line with CPython's
/// message, or compile cleanly when it has no marker. Parse and resolve both count, since
/// CPython reports some errors (`'return' outside function`) from its symbol table.
@Suite("Chunked syntax errors")
struct ChunkedErrorTests {
    struct Chunk {
        let file: String
        let index: Int
        let source: String
        let expectedLine: Int?
        let expectedMessage: String?
    }

    static func chunks() -> [Chunk] {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Golden/syntax")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { $0.hasSuffix(".chunks") }.sorted()
        var out: [Chunk] = []
        for f in files {
            guard let text = try? String(contentsOfFile: dir.appendingPathComponent(f).path, encoding: .utf8) else { continue }
            var current: [String] = []
            var index = 0
            func flush() {
                defer { current = []; index += 1 }
                var line: Int?
                var message: String?
                if let first = current.first, first.hasPrefix("# error-line: "), let r = first.range(of: "###") {
                    line = Int(first.dropFirst("# error-line: ".count).prefix { $0.isNumber })
                    message = first[r.upperBound...].trimmingCharacters(in: .whitespaces)
                } else {
                    for (i, l) in current.enumerated() {
                        if let r = l.range(of: "### ") ?? l.range(of: "###") {
                            line = i + 1
                            message = l[r.upperBound...].trimmingCharacters(in: .whitespaces)
                            break
                        }
                    }
                }
                out.append(Chunk(file: f, index: index, source: current.joined(separator: "\n") + "\n",
                                 expectedLine: line, expectedMessage: message))
            }
            for l in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if l == "---" { flush() } else { current.append(String(l)) }
            }
            if !current.allSatisfy({ $0.isEmpty }) { flush() }
        }
        return out
    }

    @Test func corpusIsThere() {
        #expect(Self.chunks().count > 60)
    }

    @Test(arguments: ChunkedErrorTests.chunks().map { ($0.file, $0.index) })
    func chunk(_ file: String, _ index: Int) throws {
        guard let c = Self.chunks().first(where: { $0.file == file && $0.index == index }) else {
            Issue.record("chunk \(file)#\(index) not found")
            return
        }
        do {
            let m = try parseModule(c.source, filename: "chunk.st")
            _ = try resolve(m)
            #expect(c.expectedMessage == nil, "\(file)#\(index) compiled but should fail: \(c.expectedMessage ?? "")\n\(c.source)")
        } catch let e as SyntaxError {
            #expect(c.expectedMessage != nil, "\(file)#\(index) should compile: \(e)\n\(c.source)")
            if let msg = c.expectedMessage {
                #expect(e.message == msg, "\(file)#\(index): message\n\(c.source)")
            }
            if let line = c.expectedLine {
                #expect(e.location.line == line, "\(file)#\(index): line (\(e.message))\n\(c.source)")
            }
        }
    }
}
