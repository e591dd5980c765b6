import Foundation
import Resolve
import Syntax

extension Runtime {
    /// Parses, resolves and compiles `source` as the body of `module`, then runs it.
    public func execute(source: String, filename: String, module: PyModule) throws(PyErr) {
        let code = try compile(source: source, filename: filename, module: module)
        try run(code, module: module)
    }

    /// A module body compiled and ready to run, with the frame size it needs.
    public struct CompiledModule {
        let body: StmtFn
        let slotCount: Int
        let filename: String
    }

    /// `display`, for interactive input, receives the value of each expression statement outside
    /// functions and classes.
    public func compile(source: String, filename: String, module: PyModule, interactive: Bool = false,
                        display: ((Value) throws(PyErr) -> Void)? = nil) throws(PyErr) -> CompiledModule {
        sources[filename] = source.split(separator: "\n", omittingEmptySubsequences: false)
        do {
            let ast = interactive ? try parseInteractive(source, filename: filename) : try parseModule(source, filename: filename)
            let resolved = try resolve(ast)
            let compiler = Compiler(rt: self, resolved: resolved, module: module)
            compiler.displayHook = display
            let body = try compiler.compileModule()
            return CompiledModule(body: body, slotCount: resolved.moduleScope.slotCount, filename: filename)
        } catch let e as SyntaxError {
            throw syntaxErrorException(e)
        } catch let e as PyErr {
            throw e
        } catch {
            throw raise(types.SyntaxError, "\(error)")
        }
    }

    public func run(_ code: CompiledModule, module: PyModule) throws(PyErr) {
        let fp = try pushFrame(code.slotCount)
        defer { popFrame(fp, code.slotCount) }
        do throws(PyErr) {
            _ = try code.body(fp)
        } catch {
            recordTraceback(error, code.filename, "<module>")
            throw error
        }
    }

    /// A SyntaxError exception object carrying the location (for `import` of a bad module and
    /// for the CLI's report).
    func syntaxErrorException(_ e: SyntaxError) -> PyErr {
        let cls: PyClass
        switch e.kind {
        case "IndentationError": cls = types.IndentationError
        case "TabError": cls = types.TabError
        default: cls = types.SyntaxError
        }
        let err = raise(cls, e.message)
        err.exc.setAttr("msg", .str(e.message))
        err.exc.setAttr("filename", .str(e.filename))
        err.exc.setAttr("lineno", .int(e.location.line))
        err.exc.setAttr("offset", .int(e.location.column))
        err.exc.setAttr("text", .str(e.lineText))
        syntaxErrors[ObjectIdentifier(err.exc)] = e
        return err
    }

    /// The syntax error behind a SyntaxError exception, if it came from the parser.
    public func syntaxError(of err: PyErr) -> SyntaxError? {
        syntaxErrors[ObjectIdentifier(err.exc)]
    }

    // MARK: - import

    public func importModule(_ name: String, from importer: String) throws(PyErr) -> PyModule {
        if let m = modules[name] { return m }
        if let native = nativeModules[name] {
            let m = native(self)
            modules[name] = m
            return m
        }
        if name.contains(".") {
            throw raise(types.ModuleNotFoundError, "No module named '\(name)'")
        }
        var dirs: [String] = []
        let importerDir = (importer as NSString).deletingLastPathComponent
        dirs.append(importerDir.isEmpty ? "." : importerDir)
        dirs.append(contentsOf: searchPaths)
        for dir in dirs {
            let path = (dir as NSString).appendingPathComponent(name + ".st")
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { continue }
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            guard let source = String(data: data, encoding: .utf8) else {
                throw raise(types.SyntaxError, "\(path): file is not valid UTF-8")
            }
            if importing.contains(name) {
                if let m = modules[name] { return m }
            }
            let m = PyModule(name: name, filename: path)
            m.set("__name__", .str(name))
            m.set("__file__", .str(path))
            modules[name] = m
            importing.insert(name)
            defer { importing.remove(name) }
            do throws(PyErr) {
                try execute(source: source, filename: path, module: m)
            } catch {
                modules.removeValue(forKey: name)
                throw error
            }
            return m
        }
        throw raise(types.ModuleNotFoundError, "No module named '\(name)'")
    }

    // MARK: - Tracebacks

    /// The traceback CPython would print for an uncaught exception, chained causes included.
    public func formatTraceback(_ err: PyErr) -> String {
        var out = ""
        var seen = Set<ObjectIdentifier>()
        formatChain(err.exc, &out, &seen)
        return out
    }

    private func formatChain(_ exc: PyInstance, _ out: inout String, _ seen: inout Set<ObjectIdentifier>) {
        seen.insert(ObjectIdentifier(exc))
        if let st = exc.exception {
            if let cause = st.cause.asInstance, !seen.contains(ObjectIdentifier(cause)) {
                formatChain(cause, &out, &seen)
                out += "\nThe above exception was the direct cause of the following exception:\n\n"
            } else if !st.suppressContext, let ctx = st.context.asInstance, !seen.contains(ObjectIdentifier(ctx)) {
                formatChain(ctx, &out, &seen)
                out += "\nDuring handling of the above exception, another exception occurred:\n\n"
            }
        }
        out += formatSingle(exc)
    }

    private func formatSingle(_ exc: PyInstance) -> String {
        var out = ""
        let isSyntax = syntaxErrors[ObjectIdentifier(exc)] != nil
        if let st = exc.exception, !st.traceback.isEmpty {
            out += "Traceback (most recent call last):\n"
            // As CPython: after three identical entries in a row, one line says how many more.
            var previous: TracebackEntry?
            var repeats = 0
            func flushRepeats() {
                if repeats > 3 {
                    let more = repeats - 3
                    out += "  [Previous line repeated \(more) more time\(more == 1 ? "" : "s")]\n"
                }
            }
            for entry in st.traceback.reversed() {
                if let p = previous, p.filename == entry.filename, p.line == entry.line, p.function == entry.function {
                    repeats += 1
                    if repeats > 3 { continue }
                } else {
                    flushRepeats()
                    repeats = 1
                    previous = entry
                }
                out += "  File \"\(entry.filename)\", line \(entry.line), in \(entry.function)\n"
                if let lines = sources[entry.filename], entry.line >= 1, entry.line <= lines.count {
                    let text = lines[entry.line - 1].trimmingCharacters(in: .whitespaces)
                    if !text.isEmpty { out += "    \(text)\n" }
                }
            }
            flushRepeats()
        }
        if isSyntax, let se = syntaxErrors[ObjectIdentifier(exc)] {
            out += formatSyntaxErrorBody(se)
            return out
        }
        out += exceptionLine(exc) + "\n"
        return out
    }

    /// `ExcName: message` (or just `ExcName`), the last line of a traceback.
    public func exceptionLine(_ exc: PyInstance) -> String {
        let cls = exc.cls
        var name = cls.name
        if !cls.isBuiltin && cls.moduleName != "__main__" && cls.moduleName != "builtins" {
            name = cls.moduleName + "." + cls.qualname
        } else if !cls.isBuiltin {
            name = cls.qualname
        }
        var message = (try? str(.obj(exc))) ?? "<exception str() failed>"
        if let hint = suggestion(for: exc) { message += ". Did you mean: '\(hint)'?" }
        return message.isEmpty ? name : "\(name): \(message)"
    }

    /// CPython 3.11's "Did you mean" for NameError and AttributeError (exactly those classes).
    func suggestion(for exc: PyInstance) -> String? {
        guard let st = exc.exception, let name = st.missingName else { return nil }
        if exc.cls === types.NameError {
            if let s = closestName(name, st.localNames) { return s }
            if let m = st.module, let s = closestName(name, m.boundNames) { return s }
            return closestName(name, builtins.keys.sorted())
        }
        if exc.cls === types.AttributeError, let owner = st.attributeOwner {
            return closestName(name, attributeNames(owner))
        }
        return nil
    }

    /// dir() of a value, sorted.
    func attributeNames(_ v: Value) -> [String] {
        var names = Set<String>()
        if let inst = v.asInstance { for (k, _) in inst.attributes { names.insert(k) } }
        if let m = v.asModule {
            for n in m.boundNames { names.insert(n) }
        } else {
            let cls = v.asClass ?? typeOf(v)
            for c in cls.mro { for k in c.dict.keys { names.insert(k) } }
        }
        return names.sorted { strCompare($0, $1) < 0 }
    }

    /// The candidate nearest to `name` by CPython's weighted Levenshtein distance, if near enough.
    func closestName(_ name: String, _ candidates: [String]) -> String? {
        if candidates.count >= 750 { return nil }
        let target = Array(name.utf8)
        var best: String?
        var bestDistance = Int.max
        for c in candidates where c != name {
            let item = Array(c.utf8)
            var maxDistance = (target.count + item.count + 3) * 2 / 6
            maxDistance = min(maxDistance, bestDistance - 1)
            let d = levenshtein(target, item, maxDistance)
            if d > maxDistance { continue }
            if best == nil || d < bestDistance {
                best = c
                bestDistance = d
            }
        }
        return best
    }

    private func levenshtein(_ a0: [UInt8], _ b0: [UInt8], _ maxCost: Int) -> Int {
        let moveCost = 2, caseCost = 1
        func substitution(_ x: UInt8, _ y: UInt8) -> Int {
            if x & 31 != y & 31 { return moveCost }
            if x == y { return 0 }
            let lx = (x >= 65 && x <= 90) ? x + 32 : x
            let ly = (y >= 65 && y <= 90) ? y + 32 : y
            return lx == ly ? caseCost : moveCost
        }
        var a = a0[...], b = b0[...]
        while let x = a.first, let y = b.first, x == y { a = a.dropFirst(); b = b.dropFirst() }
        while let x = a.last, let y = b.last, x == y { a = a.dropLast(); b = b.dropLast() }
        if a.isEmpty || b.isEmpty { return (a.count + b.count) * moveCost }
        if a.count > 40 || b.count > 40 { return maxCost + 1 }
        if b.count < a.count { swap(&a, &b) }
        if (b.count - a.count) * moveCost > maxCost { return maxCost + 1 }
        var buffer = [Int](repeating: 0, count: a.count)
        var tmp = moveCost
        for i in 0..<a.count { buffer[i] = tmp; tmp += moveCost }
        var result = 0
        for (bIndex, code) in b.enumerated() {
            var distance = bIndex * moveCost
            result = distance
            var minimum = Int.max
            for (index, ac) in a.enumerated() {
                let substitute = distance + substitution(code, ac)
                distance = buffer[index]
                let insertDelete = min(result, distance) + moveCost
                result = min(insertDelete, substitute)
                buffer[index] = result
                if result < minimum { minimum = result }
            }
            if minimum > maxCost { return maxCost + 1 }
        }
        return result
    }

    /// The body of a syntax error report: location, the line, a caret, and the message.
    public func formatSyntaxErrorBody(_ e: SyntaxError) -> String {
        var out = "  File \"\(e.filename)\", line \(e.location.line), column \(e.location.column)\n"
        let raw = e.lineText
        let stripped = raw.drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" }
        let removed = raw.unicodeScalars.count - stripped.unicodeScalars.count
        let text = String(stripped).trimmingCharacters(in: .newlines)
        if !text.isEmpty {
            out += "    \(text)\n"
            let caretCol = max(0, e.location.column - 1 - removed)
            out += "    " + String(repeating: " ", count: min(caretCol, text.unicodeScalars.count)) + "^\n"
        }
        out += "\(e.kind): \(e.message)\n"
        return out
    }
}
