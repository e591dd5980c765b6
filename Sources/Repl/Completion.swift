import Foundation
import Interpreter

extension ReplSession {
    static let keywords = [
        "False", "None", "True", "and", "as", "assert", "break", "class", "continue", "def", "del", "elif",
        "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
        "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ]

    /// Tab completion (as python3's rlcompleter): `text` is the word at the cursor, `line` the
    /// whole line. Names (keywords, globals, builtins), attributes of `a.b.c` chains (module
    /// members included; evaluated without calling anything but attribute lookups), module
    /// names after `import`/`from`, and the REPL's `:commands`.
    public func completions(text: String, line: String) -> [String] {
        let trimmedLine = line.drop { $0 == " " || $0 == "\t" }
        // An empty word at the start of a line indents, as in python3.
        if text.isEmpty && trimmedLine.isEmpty { return ["    "] }
        if trimmedLine.hasPrefix(":") && !trimmedLine.contains(" ") {
            let word = text.hasPrefix(":") ? text : ":" + text
            return ReplSession.commandHelp.map(\.0).filter { $0.hasPrefix(word) }.map { text.hasPrefix(":") ? $0 : String($0.dropFirst()) }
        }
        let words = trimmedLine.split(separator: " ", omittingEmptySubsequences: true)
        if let first = words.first, first == "import" || (first == "from" && words.count <= 2 && !trimmedLine.hasSuffix(" ") || first == "from" && words.count == 1),
           !text.contains(".") {
            return moduleNames().filter { $0.hasPrefix(text) }
        }
        if let dot = text.lastIndex(of: ".") {
            let base = String(text[..<dot])
            let prefix = String(text[text.index(after: dot)...])
            guard let value = evaluateChain(base) else { return [] }
            return attributes(of: value)
                .filter { $0.hasPrefix(prefix) && (prefix.hasPrefix("_") || !$0.hasPrefix("_")) }
                .map { base + "." + $0 }
        }
        var names = Set(ReplSession.keywords)
        for n in module.boundNames { names.insert(n) }
        for n in rt.builtins.keys { names.insert(n) }
        return names.filter { $0.hasPrefix(text) && (text.hasPrefix("_") || !$0.hasPrefix("_")) }.sorted()
    }

    /// The value of `a.b.c` (names and attribute lookups only), or nil.
    func evaluateChain(_ expr: String) -> Value? {
        let parts = expr.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, isIdentifier(first) else { return nil }
        var v: Value
        if let g = module.get(first), !isUndef(g) { v = g } else if let b = rt.builtins[first] { v = b } else { return nil }
        for p in parts.dropFirst() {
            guard isIdentifier(p) else { return nil }
            guard let next = try? rt.getAttrOrNil(v, p) else { return nil }
            v = next
        }
        return v
    }

    private func isUndef(_ v: Value) -> Bool {
        if case .undef = v { return true }
        return false
    }

    private func isIdentifier(_ s: String) -> Bool {
        guard let f = s.first, f == "_" || f.isLetter else { return false }
        return s.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
    }

    /// `dir(value)`, sorted.
    func attributes(of value: Value) -> [String] {
        guard let dir = rt.builtins["dir"], let list = try? rt.call(dir, [value]) else { return [] }
        var names: [String] = []
        try? rt.forEach(list) { v throws(PyErr) in
            if let s = try? rt.str(v) { names.append(s) }
            return true
        }
        return names
    }

    /// Modules that `import` can find: native ones and `.st` files on the search path.
    func moduleNames() -> [String] {
        var names = Set(rt.nativeModules.keys)
        for n in rt.modules.keys where n != "__main__" { names.insert(n) }
        var dirs = ["."] + rt.searchPaths
        if let script = options.scriptPath { dirs.append((script as NSString).deletingLastPathComponent) }
        for dir in dirs {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir) else { continue }
            for f in files where f.hasSuffix(".st") { names.insert(String(f.dropLast(3))) }
        }
        return names.filter { !$0.hasPrefix("_") && !$0.contains(".") }.sorted()
    }
}
