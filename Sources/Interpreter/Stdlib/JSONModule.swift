import BigInt

// The json module: dumps/loads (and dump/load on files) with CPython's exact text.

extension Runtime {
    func makeJSONModule() -> PyModule {
        let decodeError = PyClass(name: "JSONDecodeError", base: types.ValueError, isBuiltin: false, moduleName: "json.decoder")
        let m = makeNativeModule("json", functions: [
            ("dumps", { args, kwargs throws(PyErr) in
                try self.argCount("dumps", args, 1, 1)
                return .str(try self.jsonDumps(args[0], kwargs))
            }),
            ("dump", { args, kwargs throws(PyErr) in
                try self.argCount("dump", args, 2, 2)
                _ = try self.callMethod(args[1], "write", [.str(try self.jsonDumps(args[0], kwargs))])
                return .none
            }),
            ("loads", { args, _ throws(PyErr) in
                try self.argCount("loads", args, 1, 1)
                guard let s = args[0].asStr else {
                    throw self.typeError("the JSON object must be str, bytes or bytearray, not \(self.typeName(args[0]))")
                }
                var p = JSONParser(rt: self, text: Array(s.value.unicodeScalars), errorClass: decodeError)
                return try p.parseDocument()
            }),
            ("load", { args, _ throws(PyErr) in
                try self.argCount("load", args, 1, 1)
                let text = try self.callMethod(args[0], "read", [])
                guard let s = text.asStr else { throw self.typeError("read() did not return str") }
                var p = JSONParser(rt: self, text: Array(s.value.unicodeScalars), errorClass: decodeError)
                return try p.parseDocument()
            }),
        ])
        m.set("JSONDecodeError", .obj(decodeError))
        return m
    }

    func jsonDumps(_ v: Value, _ kwargs: KwArgs) throws(PyErr) -> String {
        let kw = try keywords("dumps", kwargs, ["indent", "sort_keys", "separators", "ensure_ascii", "default", "skipkeys", "allow_nan"])
        var indent: String? = nil
        if let i = kw["indent"], !i.isNone {
            if case .int(let n) = i {
                try checkStringSize(n)
                indent = String(repeating: " ", count: max(0, n))
            } else if let s = i.asStr {
                indent = s.value
            } else if i.bigIntValue != nil {
                throw raise(types.MemoryError, args: [])
            }
        }
        var itemSep = indent == nil ? ", " : ","
        var keySep = ": "
        if let s = kw["separators"], !s.isNone {
            let parts = try collect(s)
            guard parts.count == 2, let a = parts[0].asStr, let b = parts[1].asStr else {
                throw valueError("separators must be a (item_separator, key_separator) tuple")
            }
            itemSep = a.value
            keySep = b.value
        }
        let sortKeys = try truthy(kw["sort_keys"] ?? .bool(false))
        let ascii = try truthy(kw["ensure_ascii"] ?? .bool(true))
        let skipKeys = try truthy(kw["skipkeys"] ?? .bool(false))
        let defaultFn = kw["default"] ?? .none
        var out = ""
        var active = Set<ObjectIdentifier>()

        func quote(_ s: String) -> String {
            var r = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": r += "\\\""
                case "\\": r += "\\\\"
                case "\n": r += "\\n"
                case "\r": r += "\\r"
                case "\t": r += "\\t"
                case "\u{08}": r += "\\b"
                case "\u{0C}": r += "\\f"
                default:
                    if u.value < 0x20 || (ascii && u.value > 0x7e) {
                        if u.value > 0xFFFF {
                            let v = u.value - 0x10000
                            r += "\\u" + String(0xD800 + (v >> 10), radix: 16).leftPadded(to: 4)
                            r += "\\u" + String(0xDC00 + (v & 0x3FF), radix: 16).leftPadded(to: 4)
                        } else {
                            r += "\\u" + String(u.value, radix: 16).leftPadded(to: 4)
                        }
                    } else {
                        r.unicodeScalars.append(u)
                    }
                }
            }
            return r + "\""
        }
        func floatText(_ d: Double) -> String {
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
            return pyFloatRepr(d)
        }
        func keyText(_ k: Value) throws(PyErr) -> String? {
            switch k {
            case .bool(let b): return b ? "true" : "false"
            case .none: return "null"
            case .int(let i): return String(i)
            case .float(let d): return floatText(d)
            default:
                if let s = k.asStr { return s.value }
                if let b = k.asBigInt { return b.value.description }
                if skipKeys { return nil }
                throw typeError("keys must be str, int, float, bool or None, not \(typeName(k))")
            }
        }
        func emit(_ v: Value, _ level: Int) throws(PyErr) {
            try enterNested("while encoding a JSON object")
            defer { depth -= 1 }
            switch v {
            case .none: out += "null"
            case .bool(let b): out += b ? "true" : "false"
            case .int(let i): out += String(i)
            case .float(let d): out += floatText(d)
            case .undef: out += "null"
            case .obj(let o):
                switch o.kind {
                case .str: out += quote(unsafeDowncast(o, to: PyStr.self).value)
                case .bigint: out += unsafeDowncast(o, to: PyBigInt.self).value.description
                case .list, .tuple:
                    let items = o.kind == .list ? unsafeDowncast(o, to: PyList.self).items : unsafeDowncast(o, to: PyTuple.self).items
                    if items.isEmpty { out += "[]"; return }
                    if active.contains(ObjectIdentifier(o)) { throw valueError("Circular reference detected") }
                    active.insert(ObjectIdentifier(o))
                    defer { active.remove(ObjectIdentifier(o)) }
                    out += "["
                    for (i, item) in items.enumerated() {
                        if i > 0 { out += itemSep }
                        if let ind = indent { out += "\n" + String(repeating: ind, count: level + 1) }
                        try emit(item, level + 1)
                    }
                    if let ind = indent { out += "\n" + String(repeating: ind, count: level) }
                    out += "]"
                case .dict:
                    let d = unsafeDowncast(o, to: PyDict.self)
                    if d.count == 0 { out += "{}"; return }
                    if active.contains(ObjectIdentifier(o)) { throw valueError("Circular reference detected") }
                    active.insert(ObjectIdentifier(o))
                    defer { active.remove(ObjectIdentifier(o)) }
                    var pairs: [(String, Value)] = []
                    var rawPairs = d.items
                    if sortKeys {
                        do throws(PyErr) {
                            var keys = rawPairs.map { $0.0 }
                            try sortValues(&keys, key: .none, reverse: false)
                            var sorted: [(Value, Value)] = []
                            for k in keys { if let val = try d.get(k, self) { sorted.append((k, val)) } }
                            rawPairs = sorted
                        } catch {
                            throw error
                        }
                    }
                    for (k, val) in rawPairs { if let kt = try keyText(k) { pairs.append((kt, val)) } }
                    out += "{"
                    for (i, (k, val)) in pairs.enumerated() {
                        if i > 0 { out += itemSep }
                        if let ind = indent { out += "\n" + String(repeating: ind, count: level + 1) }
                        out += quote(k) + keySep
                        try emit(val, level + 1)
                    }
                    if let ind = indent { out += "\n" + String(repeating: ind, count: level) }
                    out += "}"
                default:
                    // A list or dict subclass's instance is encoded as its list or dict.
                    if o.kind == .instance, let storage = unsafeDowncast(o, to: PyInstance.self).builtinStorage {
                        try emit(.obj(storage), level)
                        return
                    }
                    if !defaultFn.isNone {
                        try emit(try call(defaultFn, [v]), level)
                        return
                    }
                    throw typeError("Object of type \(typeName(v)) is not JSON serializable")
                }
            }
        }
        try emit(v, 0)
        return out
    }
}

/// A JSON text parser producing stlang values, with CPython's error messages and positions.
struct JSONParser {
    let rt: Runtime
    let text: [Unicode.Scalar]
    let errorClass: PyClass
    var pos = 0
    var depth = 0

    init(rt: Runtime, text: [Unicode.Scalar], errorClass: PyClass) {
        self.rt = rt
        self.text = text
        self.errorClass = errorClass
    }

    func fail(_ msg: String, _ at: Int) -> PyErr {
        var line = 1, col = 1
        for i in 0..<min(at, text.count) {
            if text[i] == "\n" { line += 1; col = 1 } else { col += 1 }
        }
        let e = rt.raise(errorClass, "\(msg): line \(line) column \(col) (char \(at))")
        e.exc.setAttr("msg", .str(msg))
        e.exc.setAttr("pos", .int(at))
        e.exc.setAttr("lineno", .int(line))
        e.exc.setAttr("colno", .int(col))
        return e
    }

    mutating func skipWS() {
        while pos < text.count, text[pos] == " " || text[pos] == "\t" || text[pos] == "\n" || text[pos] == "\r" { pos += 1 }
    }

    mutating func parseDocument() throws(PyErr) -> Value {
        skipWS()
        let v = try parseValue()
        skipWS()
        if pos < text.count { throw fail("Extra data", pos) }
        return v
    }

    mutating func parseValue() throws(PyErr) -> Value {
        guard pos < text.count else { throw fail("Expecting value", pos) }
        depth += 1
        defer { depth -= 1 }
        if depth > 900 { throw rt.raise(rt.types.RecursionError, "maximum recursion depth exceeded while decoding a JSON document") }
        let c = text[pos]
        switch c {
        case "{": return try parseObject()
        case "[": return try parseArray()
        case "\"": return .str(try parseString())
        case "t": if match("true") { return .bool(true) }
        case "f": if match("false") { return .bool(false) }
        case "n": if match("null") { return .none }
        case "N": if match("NaN") { return .float(.nan) }
        case "I": if match("Infinity") { return .float(.infinity) }
        case "-":
            if match("-Infinity") { return .float(-.infinity) }
            return try parseNumber()
        default:
            if c.properties.numericType == .decimal && c.value < 128 { return try parseNumber() }
        }
        throw fail("Expecting value", pos)
    }

    mutating func match(_ word: String) -> Bool {
        let w = Array(word.unicodeScalars)
        guard pos + w.count <= text.count, Array(text[pos..<(pos + w.count)]) == w else { return false }
        pos += w.count
        return true
    }

    mutating func parseNumber() throws(PyErr) -> Value {
        let start = pos
        if text[pos] == "-" { pos += 1 }
        func digit(_ i: Int) -> Bool { i < text.count && text[i].value >= 48 && text[i].value <= 57 }
        guard digit(pos) else { throw fail("Expecting value", start) }
        if text[pos] == "0" { pos += 1 } else { while digit(pos) { pos += 1 } }
        var isFloat = false
        if pos < text.count, text[pos] == ".", digit(pos + 1) {
            isFloat = true
            pos += 1
            while digit(pos) { pos += 1 }
        }
        if pos < text.count, text[pos] == "e" || text[pos] == "E" {
            var p = pos + 1
            if p < text.count, text[p] == "+" || text[p] == "-" { p += 1 }
            if digit(p) {
                isFloat = true
                pos = p
                while digit(pos) { pos += 1 }
            }
        }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: text[start..<pos])
        let str = String(s)
        if isFloat { return .float(Double(str) ?? 0) }
        if let i = Int(str) { return .int(i) }
        return .big(BigInt(str) ?? 0)
    }

    mutating func parseString() throws(PyErr) -> String {
        let start = pos
        pos += 1
        var out = String.UnicodeScalarView()
        while true {
            guard pos < text.count else { throw fail("Unterminated string starting at", start) }
            let c = text[pos]
            if c == "\"" { pos += 1; break }
            if c.value < 0x20 { throw fail("Invalid control character at", pos) }
            if c == "\\" {
                guard pos + 1 < text.count else { throw fail("Unterminated string starting at", start) }
                let e = text[pos + 1]
                switch e {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "/": out.append("/")
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "u":
                    guard let v = hex4(pos + 2) else { throw fail("Invalid \\uXXXX escape", pos + 1) }
                    var code = v
                    pos += 4
                    if (0xD800...0xDBFF).contains(code), pos + 2 < text.count, text[pos + 2] == "\\", text[pos + 3] == "u",
                       let low = hex4(pos + 4), (0xDC00...0xDFFF).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        pos += 6
                    }
                    out.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default:
                    throw fail("Invalid \\escape", pos)
                }
                pos += 2
                continue
            }
            out.append(c)
            pos += 1
        }
        return String(out)
    }

    func hex4(_ at: Int) -> UInt32? {
        guard at + 4 <= text.count else { return nil }
        var v: UInt32 = 0
        for i in at..<(at + 4) {
            guard let d = Character(text[i]).hexDigitValue else { return nil }
            v = v * 16 + UInt32(d)
        }
        return v
    }

    mutating func parseArray() throws(PyErr) -> Value {
        pos += 1
        var items: [Value] = []
        skipWS()
        if pos < text.count && text[pos] == "]" { pos += 1; return .obj(PyList(items)) }
        while true {
            skipWS()
            items.append(try parseValue())
            skipWS()
            guard pos < text.count else { throw fail("Expecting ',' delimiter", pos) }
            if text[pos] == "]" { pos += 1; return .obj(PyList(items)) }
            if text[pos] != "," { throw fail("Expecting ',' delimiter", pos) }
            pos += 1
            skipWS()
            if pos < text.count && text[pos] == "]" { throw fail("Expecting value", pos) }
        }
    }

    mutating func parseObject() throws(PyErr) -> Value {
        pos += 1
        let d = PyDict()
        skipWS()
        if pos < text.count && text[pos] == "}" { pos += 1; return .obj(d) }
        while true {
            skipWS()
            guard pos < text.count, text[pos] == "\"" else {
                throw fail("Expecting property name enclosed in double quotes", pos)
            }
            let key = try parseString()
            skipWS()
            guard pos < text.count, text[pos] == ":" else { throw fail("Expecting ':' delimiter", pos) }
            pos += 1
            skipWS()
            let v = try parseValue()
            try d.set(.str(key), v, rt)
            skipWS()
            guard pos < text.count else { throw fail("Expecting ',' delimiter", pos) }
            if text[pos] == "}" { pos += 1; return .obj(d) }
            if text[pos] != "," { throw fail("Expecting ',' delimiter", pos) }
            pos += 1
            skipWS()
            if pos < text.count && text[pos] == "}" { throw fail("Expecting property name enclosed in double quotes", pos) }
        }
    }
}
