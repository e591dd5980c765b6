import Foundation
import Interpreter

/// One golden test: `NAME.st`, its expected `NAME.out`, and optionally `NAME.steps` and
/// `NAME.jsonl` (the expected `--format json` output: one document per run).
public struct GoldenCase {
    public var name: String
    public let script: String
    public let expected: String
    public let steps: String?
    public var expectedJSON: String? = nil
    /// Extra `stlang run` flags from `NAME.args` (only `--trace-cache` is understood).
    public var arguments: [String] = []
}

/// Runs the golden corpus (SPEC §4): each program's actual output against its `.out`.
///
/// Expected output format: the program's stdout; then, only when the exit status is not 0,
/// a line `--- exit N` and the last line of stderr.
public struct GoldenRunner {
    public let stdlibPaths: [String]

    public init(stdlibPaths: [String] = Interpreter.defaultStdlibPaths()) {
        self.stdlibPaths = stdlibPaths
    }

    /// All cases under `dir`, recursively, sorted by path.
    public static func discover(_ dir: String) -> [GoldenCase] {
        let root = URL(fileURLWithPath: dir).standardizedFileURL
        guard let en = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var cases: [GoldenCase] = []
        for case let url as URL in en where url.pathExtension == "st" {
            let base = url.deletingPathExtension()
            let out = base.appendingPathExtension("out").path
            guard FileManager.default.fileExists(atPath: out) else { continue }
            let steps = base.appendingPathExtension("steps").path
            let jsonl = base.appendingPathExtension("jsonl").path
            let rel = url.path.hasPrefix(root.path) ? String(url.path.dropFirst(root.path.count + 1)) : url.lastPathComponent
            let args = (try? String(contentsOfFile: base.appendingPathExtension("args").path, encoding: .utf8))?
                .split(whereSeparator: \.isWhitespace).map(String.init) ?? []
            cases.append(GoldenCase(name: String(rel.dropLast(3)), script: url.path, expected: out,
                                    steps: FileManager.default.fileExists(atPath: steps) ? steps : nil,
                                    expectedJSON: FileManager.default.fileExists(atPath: jsonl) ? jsonl : nil,
                                    arguments: args))
        }
        return cases.sorted { $0.name < $1.name }
    }

    /// Runs one program in a fresh interpreter, in a scratch working folder, and returns what
    /// the golden file would hold for it.
    public func actualOutput(_ c: GoldenCase, format: AppSession.Format = .text) -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("stlang-golden-\(getpid())-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(scratch.path)
        defer {
            FileManager.default.changeCurrentDirectoryPath(previous)
            try? FileManager.default.removeItem(at: scratch)
        }
        var stdout = ""
        var stderr = ""
        let status: Int32 = runOnLargeStack {
            var options = AppSession.Options(scriptPath: c.script, stepsPath: c.steps)
            options.stdlibPaths = self.stdlibPaths
            options.format = format
            options.stepsDisplayName = c.steps.map { ($0 as NSString).lastPathComponent }
            options.traceCache = c.arguments.contains("--trace-cache")
            options.cacheDirectory = scratch.appendingPathComponent("cache").path
            let session = AppSession(options: options, writeOut: { stdout += $0 }, writeErr: { stderr += $0 }, readLine: { nil })
            return session.run()
        }
        var result = stdout
        if status != 0 {
            let last = stderr.split(separator: "\n", omittingEmptySubsequences: true).last.map(String.init) ?? ""
            if !result.isEmpty && !result.hasSuffix("\n") { result += "\n" }
            result += "--- exit \(status)\n\(last)\n"
        }
        return result
    }

    public struct Failure {
        public let name: String
        public let diff: String
    }

    /// The differences between a case's expected and actual output (text, and JSON when the
    /// case has a `.jsonl`), or nil when they match.
    public func check(_ c: GoldenCase) -> String? {
        let expected = (try? String(contentsOfFile: c.expected, encoding: .utf8)) ?? ""
        let actual = actualOutput(c)
        var diffs: [String] = []
        if actual != expected { diffs.append(GoldenRunner.diff(expected: expected, actual: actual)) }
        if let j = c.expectedJSON {
            let expectedJSON = (try? String(contentsOfFile: j, encoding: .utf8)) ?? ""
            let actualJSON = actualOutput(c, format: .json)
            if actualJSON != expectedJSON { diffs.append("(--format json)\n" + GoldenRunner.diff(expected: expectedJSON, actual: actualJSON)) }
        }
        return diffs.isEmpty ? nil : diffs.joined(separator: "\n")
    }

    /// Runs every case; `report` receives each failure as it happens.
    public func run(_ cases: [GoldenCase], report: (Failure) -> Void = { _ in }) -> (passed: Int, failed: [Failure]) {
        var passed = 0
        var failed: [Failure] = []
        for c in cases {
            if let diff = check(c) {
                let f = Failure(name: c.name, diff: diff)
                failed.append(f)
                report(f)
            } else {
                passed += 1
            }
        }
        return (passed, failed)
    }

    /// A compact line diff: `-` expected, `+` actual, with a little context.
    public static func diff(expected: String, actual: String, maxLines: Int = 40) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Longest common subsequence table (outputs are small).
        let n = a.count, m = b.count
        if n * m > 4_000_000 {
            return "--- expected (\(n) lines)\n+++ actual (\(m) lines)\n(outputs too large to diff)"
        }
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var lines: [String] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n && j < m && a[i] == b[j] {
                lines.append("  " + a[i]); i += 1; j += 1
            } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
                lines.append("+ " + b[j]); j += 1
            } else {
                lines.append("- " + a[i]); i += 1
            }
        }
        // Keep changed lines with one line of context.
        var keep = Set<Int>()
        for (k, l) in lines.enumerated() where !l.hasPrefix("  ") {
            for d in -1...1 where k + d >= 0 && k + d < lines.count { keep.insert(k + d) }
        }
        var out: [String] = []
        var last = -2
        for k in keep.sorted() {
            if k != last + 1 { out.append("@@") }
            out.append(lines[k])
            last = k
            if out.count >= maxLines { out.append("..."); break }
        }
        return out.joined(separator: "\n")
    }
}
