import BigInt

// str(), repr() and format(): how values become text, exactly as CPython writes them.

extension Runtime {
    public func str(_ v: Value) throws(PyErr) -> String {
        switch v {
        case .obj(let o):
            switch o.kind {
            case .str: return unsafeDowncast(o, to: PyStr.self).value
            case .instance, .native:
                let cls = typeOf(v)
                if let f = cls.lookup(.str) {
                    return try stringResult(callMethod0(f, v), "__str__")
                }
                if let inst = v.asInstance, let e = inst.exception {
                    return try exceptionStr(inst, e)
                }
                return try repr(v)
            default: return try repr(v)
            }
        default: return try repr(v)
        }
    }

    func stringResult(_ r: Value, _ method: String) throws(PyErr) -> String {
        guard let s = r.asStr else {
            throw typeError("\(method) returned non-string (type \(typeName(r)))")
        }
        return s.value
    }

    func exceptionStr(_ inst: PyInstance, _ e: ExceptionState) throws(PyErr) -> String {
        if let t = inst.getAttr("__stlang_text__")?.asStr { return t.value }
        if inst.cls.isSubclass(of: types.KeyError), e.args.count == 1 { return try repr(e.args[0]) }
        switch e.args.count {
        case 0: return ""
        case 1: return try str(e.args[0])
        default: return try repr(.obj(PyTuple(e.args)))
        }
    }

    public func repr(_ v: Value) throws(PyErr) -> String {
        switch v {
        case .int(let i): return String(i)
        case .float(let d): return pyFloatRepr(d)
        case .bool(let b): return b ? "True" : "False"
        case .none: return "None"
        case .undef: return "<undefined>"
        case .obj(let o):
            if o.kind == .str { return pyStrRepr(unsafeDowncast(o, to: PyStr.self).value) }
            // Nested containers recurse natively: bound it like Python calls.
            try enterNested("while getting the repr of an object")
            defer { depth -= 1 }
            switch o.kind {
            case .list, .tuple, .dict:
                var out = TextBuilder(storage: takeTextStorage(), capacity: 64)
                try appendContainerRepr(o, &out)
                let s = out.string
                returnTextStorage(out)
                return s
            default:
                return try reprObject(o, v)
            }
        }
    }

    /// Appends format(v, "") (= str(v) for builtin values): ints, floats, strs, and lists, tuples
    /// and dicts (whose str is their repr) written straight into the output.
    @inline(__always)
    func appendFormatEmpty(_ v: Value, _ out: inout TextBuilder) throws(PyErr) {
        switch v {
        case .obj(let o) where o.kind == .str: out.append(unsafeDowncast(o, to: PyStr.self))
        case .int(let i): out.appendInt(i)
        case .float(let d): out.appendASCII(pyFloatRepr(d))
        case .bool, .none: try appendRepr(v, &out)
        case .obj(let o) where o.kind == .list || o.kind == .tuple || o.kind == .dict: try appendRepr(v, &out)
        default: out.append(try format(v, ""))
        }
    }

    /// Appends format(v, spec) for a spec made at run time (digested once per text).
    func appendFormat(_ v: Value, _ spec: String, _ out: inout TextBuilder) throws(PyErr) {
        if case .obj(let o) = v, o.kind == .instance || o.kind == .native {
            out.append(try format(v, spec))
        } else if spec.isEmpty {
            try appendFormatEmpty(v, &out)
        } else {
            try formatTemplates.constantSpec(spec).append(v, self, &out)
        }
    }

    /// repr(v) as a str object (known to be ASCII when it is).
    func reprStr(_ v: Value) throws(PyErr) -> PyStr {
        switch v {
        case .int, .float, .bool, .none: return PyStr(try repr(v), ascii: true)
        case .obj(let o) where o.kind == .list || o.kind == .tuple || o.kind == .dict:
            try enterNested("while getting the repr of an object")
            defer { depth -= 1 }
            var out = TextBuilder(storage: takeTextStorage(), capacity: 64)
            try appendContainerRepr(o, &out)
            let s = out.pyStr()
            returnTextStorage(out)
            return s
        default:
            return PyStr(try repr(v))
        }
    }

    /// Appends repr(v): lists, tuples and dicts are written into the output item by item
    /// (the same nesting count and recursion markers as `repr`).
    func appendRepr(_ v: Value, _ out: inout TextBuilder) throws(PyErr) {
        switch v {
        case .int(let i): out.appendInt(i)
        case .float(let d): out.appendASCII(pyFloatRepr(d))
        case .bool(let b): out.appendASCII(b ? "True" : "False")
        case .none: out.appendASCII("None")
        case .undef: out.appendASCII("<undefined>")
        case .obj(let o):
            if o.kind == .str {
                appendStrRepr(unsafeDowncast(o, to: PyStr.self), &out)
                return
            }
            try enterNested("while getting the repr of an object")
            defer { depth -= 1 }
            switch o.kind {
            case .list, .tuple, .dict: try appendContainerRepr(o, &out)
            default: out.append(try reprObject(o, v))
            }
        }
    }

    private func appendContainerRepr(_ o: PyObject, _ out: inout TextBuilder) throws(PyErr) {
        switch o.kind {
        case .dict:
            if reprActive.contains(ObjectIdentifier(o)) { out.appendASCII("{...}"); return }
            reprActive.insert(ObjectIdentifier(o))
            defer { reprActive.remove(ObjectIdentifier(o)) }
            out.appendByte(UInt8(ascii: "{"))
            var first = true
            for (k, val) in unsafeDowncast(o, to: PyDict.self).items {
                if !first { out.appendByte(UInt8(ascii: ",")); out.appendByte(UInt8(ascii: " ")) }
                first = false
                try appendRepr(k, &out)
                out.appendByte(UInt8(ascii: ":"))
                out.appendByte(UInt8(ascii: " "))
                try appendRepr(val, &out)
            }
            out.appendByte(UInt8(ascii: "}"))
        case .tuple:
            let items = unsafeDowncast(o, to: PyTuple.self).items
            if items.count == 1 {
                out.appendByte(UInt8(ascii: "("))
                try appendRepr(items[0], &out)
                out.appendByte(UInt8(ascii: ","))
                out.appendByte(UInt8(ascii: ")"))
                return
            }
            try appendItemsRepr(o, UInt8(ascii: "("), UInt8(ascii: ")"), items, "(...)", &out)
        default:
            try appendItemsRepr(o, UInt8(ascii: "["), UInt8(ascii: "]"), unsafeDowncast(o, to: PyList.self).items,
                                "[...]", &out)
        }
    }

    private func appendItemsRepr(_ o: PyObject, _ open: UInt8, _ close: UInt8, _ items: [Value], _ recursive: String,
                                 _ out: inout TextBuilder) throws(PyErr) {
        if reprActive.contains(ObjectIdentifier(o)) { out.appendASCII(recursive); return }
        reprActive.insert(ObjectIdentifier(o))
        defer { reprActive.remove(ObjectIdentifier(o)) }
        out.appendByte(open)
        for i in items.indices {
            if i > 0 { out.appendByte(UInt8(ascii: ",")); out.appendByte(UInt8(ascii: " ")) }
            try appendRepr(items[i], &out)
        }
        out.appendByte(close)
    }

    /// Counts one level of native recursion over nested data (repr, ==, hash, json), so deep
    /// structures raise RecursionError instead of exhausting the native stack.
    @inline(__always)
    func enterNested(_ what: String) throws(PyErr) {
        depth += 1
        if depth > recursionLimit + 50 {
            depth -= 1
            throw raise(types.RecursionError, "maximum recursion depth exceeded \(what)")
        }
    }

    func reprObject(_ o: PyObject, _ v: Value) throws(PyErr) -> String {
        switch o.kind {
        case .str: return pyStrRepr(unsafeDowncast(o, to: PyStr.self).value)
        case .bigint: return try bigIntString(unsafeDowncast(o, to: PyBigInt.self))
        case .list:
            let l = unsafeDowncast(o, to: PyList.self)
            return try reprContainer(o, "[", "]", l.items, "[...]")
        case .tuple:
            let t = unsafeDowncast(o, to: PyTuple.self)
            if t.items.count == 1 { return "(" + (try repr(t.items[0])) + ",)" }
            return try reprContainer(o, "(", ")", t.items, "(...)")
        case .dict:
            let d = unsafeDowncast(o, to: PyDict.self)
            if reprActive.contains(ObjectIdentifier(o)) { return "{...}" }
            reprActive.insert(ObjectIdentifier(o))
            defer { reprActive.remove(ObjectIdentifier(o)) }
            var parts: [String] = []
            for (k, val) in d.items { parts.append(try repr(k) + ": " + repr(val)) }
            return "{" + parts.joined(separator: ", ") + "}"
        case .set, .frozenset:
            let s = unsafeDowncast(o, to: PySet.self)
            let name = o.kind == .set ? "set" : "frozenset"
            if s.count == 0 { return name + "()" }
            if reprActive.contains(ObjectIdentifier(o)) { return name + "(...)" }
            reprActive.insert(ObjectIdentifier(o))
            defer { reprActive.remove(ObjectIdentifier(o)) }
            var parts: [String] = []
            for e in s.elements { parts.append(try repr(e)) }
            let body = "{" + parts.joined(separator: ", ") + "}"
            return o.kind == .set ? body : "frozenset(" + body + ")"
        case .bytes:
            return pyBytesRepr(unsafeDowncast(o, to: PyBytes.self).bytes)
        case .range:
            let r = unsafeDowncast(o, to: PyRange.self)
            return r.step == 1 ? "range(\(r.start), \(r.stop))" : "range(\(r.start), \(r.stop), \(r.step))"
        case .slice:
            let s = unsafeDowncast(o, to: PySlice.self)
            return "slice(\(try repr(s.start)), \(try repr(s.stop)), \(try repr(s.step)))"
        case .function:
            let f = unsafeDowncast(o, to: PyFunction.self)
            return "<function \(f.qualname) at \(addressString(o))>"
        case .builtin:
            let b = unsafeDowncast(o, to: PyBuiltin.self)
            if let r = b.receiver {
                return "<built-in method \(b.name) of \(typeName(r)) object at \(addressString(o))>"
            }
            return "<built-in function \(b.name)>"
        case .boundMethod:
            let m = unsafeDowncast(o, to: PyBoundMethod.self)
            let fname = m.function.asFunction?.qualname ?? "?"
            return "<bound method \(fname) of \(try repr(m.receiver))>"
        case .cls:
            let c = unsafeDowncast(o, to: PyClass.self)
            if c.isBuiltin { return "<class '\(c.name)'>" }
            return "<class '\(c.moduleName).\(c.qualname)'>"
        case .module:
            let m = unsafeDowncast(o, to: PyModule.self)
            if m.filename.isEmpty { return "<module '\(m.name)' (built-in)>" }
            return "<module '\(m.name)' from '\(m.filename)'>"
        case .instance, .native:
            let cls = typeOf(v)
            if let f = cls.lookup(.repr) {
                return try stringResult(callMethod0(f, v), "__repr__")
            }
            if let inst = v.asInstance, let e = inst.exception {
                if e.args.count == 1 { return "\(cls.name)(\(try repr(e.args[0])))" }
                return cls.name + (try repr(.obj(PyTuple(e.args))))
            }
            if let inst = v.asInstance, inst === notImplementedObject { return "NotImplemented" }
            if let inst = v.asInstance, inst === ellipsisObject { return "Ellipsis" }
            let prefix = cls.moduleName == "builtins" ? cls.qualname : cls.moduleName + "." + cls.qualname
            return "<\(prefix) object at \(addressString(o))>"
        case .iterator:
            if typeOf(v) === types.generator {
                let name = unsafeDowncast(o, to: PyIterator.self).generator?.function.qualname ?? "<genexpr>"
                return "<generator object \(name) at \(addressString(o))>"
            }
            return "<\(typeName(v)) object at \(addressString(o))>"
        case .cell:
            return "<cell at \(addressString(o))>"
        case .property:
            return "<property object at \(addressString(o))>"
        case .staticMethod:
            return "<staticmethod(\(try repr(unsafeDowncast(o, to: PyStaticMethod.self).function)))>"
        case .classMethod:
            return "<classmethod(\(try repr(unsafeDowncast(o, to: PyClassMethod.self).function)))>"
        case .superProxy:
            return "<super object>"
        case .file:
            return "<_io.TextIOWrapper>"
        }
    }

    static let digitLimitMessage =
        "Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit"

    /// Whether a magnitude of `bits` bits certainly has more than 4300 decimal digits
    /// (2^(bits-1) has at least 4301 from 14286 bits on): refused before converting, which
    /// takes quadratic time (a million-digit value took seconds, then was refused).
    static func certainlyOverDigitLimit(bits: Int) -> Bool { bits >= 14286 }

    /// str() of a big int from its words, with CPython 3.11's limit on decimal digits.
    func bigIntString(_ p: PyBigInt) throws(PyErr) -> String {
        if let top = p.mag.last, Runtime.certainlyOverDigitLimit(bits: p.mag.count * UInt.bitWidth - top.leadingZeroBitCount) {
            throw valueError(Runtime.digitLimitMessage)
        }
        let s = BigMag.decimal(negative: p.negative, p.mag)
        // 4300 digits need at least 14281 bits; smaller values are always within the limit.
        if p.mag.count * 64 > 14280 {
            let digits = p.negative ? s.utf8.count - 1 : s.utf8.count
            if digits > 4300 {
                throw valueError(Runtime.digitLimitMessage)
            }
        }
        return s
    }

    /// str() of a big int, with CPython 3.11's limit on decimal digits.
    func bigIntString(_ b: BigInt) throws(PyErr) -> String {
        if Runtime.certainlyOverDigitLimit(bits: b.magnitude.bitWidth) { throw valueError(Runtime.digitLimitMessage) }
        // 4300 digits need at least 14281 bits; smaller values are always within the limit.
        if b.bitWidth > 14280 {
            let s = b.description
            let digits = s.hasPrefix("-") ? s.count - 1 : s.count
            if digits > 4300 {
                throw valueError(Runtime.digitLimitMessage)
            }
            return s
        }
        return b.description
    }

    func reprContainer(_ o: PyObject, _ open: String, _ close: String, _ items: [Value], _ recursive: String) throws(PyErr) -> String {
        if reprActive.contains(ObjectIdentifier(o)) { return recursive }
        reprActive.insert(ObjectIdentifier(o))
        defer { reprActive.remove(ObjectIdentifier(o)) }
        var s = open
        for (i, item) in items.enumerated() {
            if i > 0 { s += ", " }
            s += try repr(item)
        }
        return s + close
    }

    func addressString(_ o: PyObject) -> String {
        let addr = UInt(bitPattern: ObjectIdentifier(o).hashValue)
        return "0x" + String(addr, radix: 16).leftPadded(to: 12)
    }

    // MARK: - format()

    /// `format(value, spec)`, also used by f-strings and `str.format`.
    public func format(_ v: Value, _ spec: String) throws(PyErr) -> String {
        switch v {
        case .obj(let o) where o.kind == .instance || o.kind == .native:
            let cls = typeOf(v)
            if let f = cls.lookup(.format) {
                return try stringResult(callMethodValue(f, v, [.str(spec)]), "__format__")
            }
            if spec.isEmpty { return try str(v) }
            throw typeError("unsupported format string passed to \(cls.name).__format__")
        default:
            break
        }
        if spec.isEmpty { return try str(v) }
        let parsed: FormatSpec
        switch FormatSpec.parse(spec) {
        case .success(let p): parsed = p
        case .failure(let e): throw valueError(formatErrorMessage(e, v))
        }
        return try formatParsed(v, parsed)
    }

    /// `format(v, spec)` for a builtin value (not an instance) and a spec already parsed.
    func formatParsed(_ v: Value, _ parsed: FormatSpec) throws(PyErr) -> String {
        do throws(FormatSpecError) {
            switch v {
            case .bool(let b):
                return try formatIntegerValue(BigInt(b ? 1 : 0), parsed, typeName: "bool")
            case .int(let i):
                return try formatInteger(negative: i < 0, magnitude: { radix in String(i.magnitude, radix: radix) },
                                         asDouble: { Double(i) }, parsed, typeName: "int")
            case .float(let d):
                return try formatFloat(d, parsed)
            case .obj(let o) where o.kind == .bigint:
                return try formatIntegerValue(unsafeDowncast(o, to: PyBigInt.self).value, parsed, typeName: "int")
            case .obj(let o) where o.kind == .str:
                return try formatString(unsafeDowncast(o, to: PyStr.self).value, parsed)
            default:
                break
            }
        } catch {
            let message = formatErrorMessage(error, v)
            if error.message == "\u{0}unsupported" { throw typeError(message) }
            switch error.kind {
            case .overflowError: throw overflowError(message)
            case .memoryError: throw raise(types.MemoryError, message)
            default: throw valueError(message)
            }
        }
        throw typeError("unsupported format string passed to \(typeName(v)).__format__")
    }

    func formatErrorMessage(_ e: FormatSpecError, _ v: Value) -> String {
        e.message.replacingOccurrences(of: "{type}", with: typeName(v))
    }

    func formatIntegerValue(_ b: BigInt, _ spec: FormatSpec, typeName: String) throws(FormatSpecError) -> String {
        let mag = b.magnitude
        // Decimal presentations have str()'s digit limit (binary, octal and hex do not).
        let type = spec.type ?? "d"
        if type == "d" || type == "n" {
            let bits = mag.bitWidth
            if Runtime.certainlyOverDigitLimit(bits: bits) || (bits > 14280 && String(mag).utf8.count > 4300) {
                throw FormatSpecError(Runtime.digitLimitMessage)
            }
        }
        return try formatInteger(negative: b < 0, magnitude: { radix in String(mag, radix: radix) },
                                 asDouble: { self.bigToDouble(b) }, spec, typeName: typeName)
    }
}

extension String {
    func leftPadded(to n: Int, with c: Character = "0") -> String {
        count >= n ? self : String(repeating: c, count: n - count) + self
    }
}

/// Containers whose repr is being built, innermost last (a few at a time: a list beats a hash
/// set).
struct ReprActiveSet {
    private var ids: [ObjectIdentifier] = []

    @inline(__always)
    func contains(_ id: ObjectIdentifier) -> Bool {
        for i in ids.indices.reversed() where ids[i] == id { return true }
        return false
    }

    @inline(__always)
    mutating func insert(_ id: ObjectIdentifier) { ids.append(id) }

    @inline(__always)
    mutating func remove(_ id: ObjectIdentifier) {
        if let i = ids.lastIndex(of: id) { ids.remove(at: i) }
    }
}

/// Appends Python's repr of a str (see the String version).
func appendStrRepr(_ s: PyStr, _ out: inout TextBuilder) {
    let plain: Bool = s.withBytes { u in
        var single = false, double = false
        for b in u {
            if b < 0x20 || b >= 0x7F || b == 0x5C { return false }
            if b == 0x27 { single = true } else if b == 0x22 { double = true }
        }
        if single && double { return false }
        let q: UInt8 = single ? 0x22 : 0x27
        out.appendByte(q)
        out.append(utf8: u, ascii: true)
        out.appendByte(q)
        return true
    }
    if !plain { out.append(pyStrRepr(s.value)) }
}

/// Appends Python's repr of a str. Printable ASCII without a backslash, and not holding both
/// kinds of quote, only gets its quotes.
func appendStrRepr(_ s: String, _ out: inout String) {
    var single = false, double = false, plain = true
    for b in s.utf8 {
        if b < 0x20 || b >= 0x7F || b == 0x5C { plain = false; break }
        if b == 0x27 { single = true } else if b == 0x22 { double = true }
    }
    if plain && !(single && double) {
        let q = single ? "\"" : "'"
        out += q
        out += s
        out += q
        return
    }
    out += pyStrReprGeneral(s)
}

/// Python's repr of a str: single quotes unless the text has ' and no ", escapes as CPython.
func pyStrRepr(_ s: String) -> String {
    var out = ""
    appendStrRepr(s, &out)
    return out
}

private func pyStrReprGeneral(_ s: String) -> String {
    // Byte scans (Foundation's `contains` would go through NSString).
    var hasSingle = false, hasDouble = false
    for b in s.utf8 {
        if b == 0x27 { hasSingle = true } else if b == 0x22 { hasDouble = true }
    }
    let useDouble = hasSingle && !hasDouble
    let quote: Character = useDouble ? "\"" : "'"
    var out = String(quote)
    for u in s.unicodeScalars {
        switch u {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "'" where !useDouble: out += "\\'"
        default:
            if isPrintable(u) {
                out.unicodeScalars.append(u)
            } else if u.value < 0x100 {
                out += "\\x" + String(u.value, radix: 16).leftPadded(to: 2)
            } else if u.value < 0x10000 {
                out += "\\u" + String(u.value, radix: 16).leftPadded(to: 4)
            } else {
                out += "\\U" + String(u.value, radix: 16).leftPadded(to: 8)
            }
        }
    }
    out.append(quote)
    return out
}

/// Python's str.isprintable for one code point.
func isPrintable(_ u: Unicode.Scalar) -> Bool {
    if u.value < 0x20 || u.value == 0x7f { return false }
    if u.value < 0x7f { return true }
    switch u.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
        return false
    case .spaceSeparator:
        return u == " "
    default:
        return true
    }
}

func pyBytesRepr(_ bytes: [UInt8]) -> String {
    let hasSingle = bytes.contains(0x27), hasDouble = bytes.contains(0x22)
    let quote: UInt8 = hasSingle && !hasDouble ? 0x22 : 0x27
    var out = "b" + String(UnicodeScalar(quote))
    for b in bytes {
        switch b {
        case 0x5c: out += "\\\\"
        case 0x0a: out += "\\n"
        case 0x0d: out += "\\r"
        case 0x09: out += "\\t"
        case quote: out += "\\" + String(UnicodeScalar(b))
        case 0x20..<0x7f: out.unicodeScalars.append(UnicodeScalar(b))
        default: out += "\\x" + String(b, radix: 16).leftPadded(to: 2)
        }
    }
    out += String(UnicodeScalar(quote))
    return out
}
