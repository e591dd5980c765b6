import BigInt
import Foundation

// `int(...)`, `str(...)`, `list(...)` and the other builtin type constructors.

extension Runtime {
    func installConstructors() {
        let t = types
        t.object.constructor = { args, kwargs throws(PyErr) in
            if !args.isEmpty || !kwargs.isEmpty { throw self.typeError("object() takes no arguments") }
            return .obj(PyInstance(cls: self.types.object))
        }
        // object.__new__(cls, ...): a bare instance, for user classes that define __new__ and
        // call super().__new__(cls). Implicitly static, as in CPython.
        t.object.setAttribute("__new__", .obj(objectNew))
        t.int.constructor = { args, kwargs throws(PyErr) in
            if args.count == 1 && kwargs.isEmpty { return try self.toInt(args[0], base: nil) }
            let kw = try self.keywords("int", kwargs, ["base"])
            try self.argCount("int", args, 0, 2)
            if args.isEmpty { return .int(0) }
            let base = args.count > 1 ? args[1] : kw["base"]
            return try self.toInt(args[0], base: base)
        }
        t.bool.constructor = { args, _ throws(PyErr) in
            try self.argCount("bool", args, 0, 1)
            return .bool(try args.first.map { v throws(PyErr) in try self.truthy(v) } ?? false)
        }
        t.float.constructor = { args, _ throws(PyErr) in
            try self.argCount("float", args, 0, 1)
            guard let v = args.first else { return .float(0) }
            return .float(try self.toFloat(v))
        }
        t.str.constructor = { args, kwargs throws(PyErr) in
            if args.count == 1 && kwargs.isEmpty {
                let v = args[0]
                if v.asStr != nil { return v }
                switch v {
                case .int, .float, .bool, .none:
                    return .obj(try self.reprStr(v))
                case .obj(let o) where o.kind == .list || o.kind == .tuple || o.kind == .dict:
                    // Their str is their repr.
                    return .obj(try self.reprStr(v))
                default:
                    return .str(try self.str(v))
                }
            }
            let kw = try self.keywords("str", kwargs, ["object", "encoding", "errors"])
            try self.argCount("str", args, 0, 3)
            guard let v = args.first ?? kw["object"] else { return .str("") }
            if args.count > 1 || kw["encoding"] != nil {
                if case .obj(let o) = v, o.kind == .bytes {
                    return .str(String(decoding: unsafeDowncast(o, to: PyBytes.self).bytes, as: UTF8.self))
                }
                throw self.typeError("decoding str is not supported")
            }
            if v.asStr != nil { return v }
            return .str(try self.str(v))
        }
        t.bytes.constructor = { args, _ throws(PyErr) in
            guard let v = args.first else { return .obj(PyBytes([])) }
            if let s = v.asStr { return .obj(PyBytes(Array(s.value.utf8))) }
            if case .int(let n) = v {
                if n < 0 { throw self.valueError("negative count") }
                return .obj(PyBytes([UInt8](repeating: 0, count: min(n, 1 << 30))))
            }
            var out: [UInt8] = []
            try self.forEach(v) { x throws(PyErr) in
                let i = try self.indexValue(x, "'\(self.typeName(x))' object cannot be interpreted as an integer")
                guard i >= 0 && i < 256 else { throw self.valueError("bytes must be in range(0, 256)") }
                out.append(UInt8(i))
                return true
            }
            return .obj(PyBytes(out))
        }
        t.list.constructor = { args, kwargs throws(PyErr) in
            try self.noKwargs("list", kwargs)
            try self.argCount("list", args, 0, 1)
            guard let v = args.first else { return .obj(PyList([])) }
            return .obj(PyList(try self.collect(v)))
        }
        t.tuple.constructor = { args, kwargs throws(PyErr) in
            try self.noKwargs("tuple", kwargs)
            try self.argCount("tuple", args, 0, 1)
            guard let v = args.first else { return .emptyTuple }
            if v.asTuple != nil { return v }
            return .obj(PyTuple(try self.collect(v)))
        }
        t.dict.constructor = { args, kwargs throws(PyErr) in
            try self.argCount("dict", args, 0, 1)
            let d = PyDict()
            if let v = args.first { try self.dictUpdate(d, v) }
            for (k, v) in kwargs { try d.set(.str(k), v, self) }
            return .obj(d)
        }
        t.set.constructor = { args, kwargs throws(PyErr) in
            try self.noKwargs("set", kwargs)
            try self.argCount("set", args, 0, 1)
            let s = PySet()
            if let v = args.first { try self.setUpdate(s, v) }
            return .obj(s)
        }
        t.frozenset.constructor = { args, kwargs throws(PyErr) in
            try self.noKwargs("frozenset", kwargs)
            try self.argCount("frozenset", args, 0, 1)
            let s = PySet(frozen: true)
            if let v = args.first { try self.setUpdate(s, v) }
            return .obj(s)
        }
        t.range.constructor = { args, kwargs throws(PyErr) in
            try self.noKwargs("range", kwargs)
            if args.isEmpty { throw self.typeError("range expected at least 1 argument, got 0") }
            if args.count > 3 { throw self.typeError("range expected at most 3 arguments, got \(args.count)") }
            var ints: [Int] = []
            for a in args {
                switch a {
                case .int(let i): ints.append(i)
                case .bool(let b): ints.append(b ? 1 : 0)
                default:
                    if a.asBigInt != nil {
                        // Bounds beyond machine ints: a range written in stlang (stdlib/_bigrange.st).
                        let m = try self.importModule("_bigrange", from: "")
                        guard let make = m.get("make") else { throw self.overflowError("Python int too large to convert to C ssize_t") }
                        return try self.call(make, args)
                    }
                    if let f = self.userUnary(a, "__index__") {
                        ints.append(try self.indexValue(self.callMethod0(f, a), ""))
                    } else {
                        throw self.typeError("'\(self.typeName(a))' object cannot be interpreted as an integer")
                    }
                }
            }
            switch ints.count {
            case 1: return .obj(PyRange(start: 0, stop: ints[0], step: 1))
            case 2: return .obj(PyRange(start: ints[0], stop: ints[1], step: 1))
            default:
                if ints[2] == 0 { throw self.valueError("range() arg 3 must not be zero") }
                return .obj(PyRange(start: ints[0], stop: ints[1], step: ints[2]))
            }
        }
        t.slice.constructor = { args, _ throws(PyErr) in
            try self.argCount("slice", args, 1, 3)
            switch args.count {
            case 1: return .obj(PySlice(start: .none, stop: args[0], step: .none))
            case 2: return .obj(PySlice(start: args[0], stop: args[1], step: .none))
            default: return .obj(PySlice(start: args[0], stop: args[1], step: args[2]))
            }
        }
        t.type.constructor = { args, _ throws(PyErr) in
            if args.count == 1 { return .obj(self.typeOf(args[0])) }
            guard args.count == 3, let name = args[0].asStr, let bases = args[1].asTuple, let ns = args[2].asDict else {
                throw self.typeError("type() takes 1 or 3 arguments")
            }
            let classBases = try self.classBases(bases.items)
            var dict: [String: Value] = [:]
            var order: [String] = []
            for (k, v) in ns.items {
                if let ks = k.asStr, dict.updateValue(v, forKey: ks.value) == nil { order.append(ks.value) }
            }
            return .obj(try self.makeClass(name.value, bases: classBases, dict: dict, order: order, moduleName: "__main__"))
        }
        t.property.constructor = { args, kwargs throws(PyErr) in
            let kw = try self.keywords("property", kwargs, ["fget", "fset", "fdel", "doc"])
            let g = args.count > 0 ? args[0] : (kw["fget"] ?? .none)
            let s = args.count > 1 ? args[1] : (kw["fset"] ?? .none)
            let d = args.count > 2 ? args[2] : (kw["fdel"] ?? .none)
            return .obj(PyProperty(getter: g, setter: s, deleter: d))
        }
        t.staticmethod.constructor = { args, _ throws(PyErr) in
            try self.argCount("staticmethod", args, 1, 1)
            return .obj(PyStaticMethod(args[0]))
        }
        t.classmethod.constructor = { args, _ throws(PyErr) in
            try self.argCount("classmethod", args, 1, 1)
            return .obj(PyClassMethod(args[0]))
        }
        t.superType.constructor = { args, _ throws(PyErr) in
            guard args.count == 2, let c = args[0].asClass else {
                throw self.raise(self.types.RuntimeError, "super(): no arguments")
            }
            let r = args[1]
            let ok = r.asClass.map { $0.isSubclass(of: c) } ?? self.typeOf(r).isSubclass(of: c)
            guard ok else { throw self.typeError("super(type, obj): obj must be an instance or subtype of type") }
            return .obj(PySuper(startAfter: c, receiver: r))
        }
        // Exceptions: BaseException's own __init__ and __str__ so subclasses can call them.
        t.BaseException.setAttribute("__init__", .obj(baseExceptionInit))
        t.BaseException.setAttribute("with_traceback", .obj(PyBuiltin("with_traceback") { args, _ throws(PyErr) in
            args.first ?? .none
        }))
    }

    /// `int(x)` / `int(s, base)`.
    func toInt(_ v: Value, base: Value?) throws(PyErr) -> Value {
        if let base, !base.isNone {
            guard let s = v.asStr else {
                throw typeError("int() can't convert non-string with explicit base")
            }
            let b = try indexValue(base, "'\(typeName(base))' object cannot be interpreted as an integer")
            if b != 0 && (b < 2 || b > 36) { throw valueError("int() base must be >= 2 and <= 36, or 0") }
            if s.value.utf8.count > 4300 { try checkIntDigitLimit(s.value, base: b) }
            guard let r = parseIntLiteral(s.value, base: b) else {
                throw valueError("invalid literal for int() with base \(b): \(pyStrRepr(s.value))")
            }
            return .big(r)
        }
        switch v {
        case .int: return v
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d):
            if d.isNaN { throw valueError("cannot convert float NaN to integer") }
            if d.isInfinite { throw overflowError("cannot convert float infinity to integer") }
            let tr = d.rounded(.towardZero)
            if let i = Int(exactly: tr) { return .int(i) }
            return .big(BigInt(exactly: tr) ?? 0)
        default:
            if v.asBigInt != nil { return v }
            if let s = v.asStr {
                if let i = parseSmallDecimal(s.value) { return .int(i) }
                // ASCII text with a printable character no decimal literal can hold (a letter,
                // '.', other punctuation) is invalid: say so without the full parser.
                if s.value.utf8.count <= 4300 && s.isASCII && s.withBytes({ buf in
                    buf.contains { b in
                        b >= 0x21 && b <= 0x7E && !(b >= 0x30 && b <= 0x39) && b != 0x5F && b != 0x2B && b != 0x2D
                    }
                }) {
                    throw valueError("invalid literal for int() with base 10: \(pyStrRepr(s.value))")
                }
                if s.value.utf8.count > 4300 { try checkIntDigitLimit(s.value, base: 10) }
                guard let r = parseIntLiteral(s.value, base: 10) else {
                    throw valueError("invalid literal for int() with base 10: \(pyStrRepr(s.value))")
                }
                return .big(r)
            }
            if case .obj(let o) = v, o.kind == .bytes {
                let s = String(decoding: unsafeDowncast(o, to: PyBytes.self).bytes, as: UTF8.self)
                guard let r = parseIntLiteral(s, base: 10) else {
                    throw valueError("invalid literal for int() with base 10: \(pyBytesRepr(Array(s.utf8)))")
                }
                return .big(r)
            }
            for name in ["__int__", "__index__", "__trunc__"] {
                if let f = userUnary(v, name) { return try callMethod0(f, v) }
            }
            throw typeError("int() argument must be a string, a bytes-like object or a real number, not '\(typeName(v))'")
        }
    }

    /// Python's int(str, base) grammar: whitespace, sign, optional prefix, underscores between digits.
    /// CPython 3.11 refuses to parse more than 4300 decimal digits (a denial-of-service guard).
    func checkIntDigitLimit(_ text: String, base: Int) throws(PyErr) {
        guard base != 2 && base != 4 && base != 8 && base != 16 && base != 32 else { return }
        var digits = 0
        for u in text.utf8 where u >= 0x30 && u <= 0x39 || (u | 0x20 >= 0x61 && u | 0x20 <= 0x7a) { digits += 1 }
        if digits > 4300 {
            throw valueError("Exceeds the limit (4300 digits) for integer string conversion: value has \(digits) digits; use sys.set_int_max_str_digits() to increase the limit")
        }
    }

    /// `int(s)` for the common case: base 10, ASCII digits with an optional sign and
    /// surrounding ASCII spaces, at most 18 digits. nil: use the general parser.
    @inline(__always)
    func parseSmallDecimal(_ text: String) -> Int? {
        var t = text
        return t.withUTF8 { buf -> Int? in
            var i = 0, end = buf.count
            while i < end, buf[i] == 0x20 { i += 1 }
            while end > i, buf[end - 1] == 0x20 { end -= 1 }
            var negative = false
            if i < end, buf[i] == 0x2D || buf[i] == 0x2B { negative = buf[i] == 0x2D; i += 1 }
            let n = end - i
            guard n > 0 && n <= 18 else { return nil }
            var acc = 0
            while i < end {
                let d = Int(buf[i]) &- 0x30
                guard d >= 0 && d <= 9 else { return nil }
                acc = acc &* 10 &+ d
                i += 1
            }
            return negative ? -acc : acc
        }
    }

    func parseIntLiteral(_ text: String, base: Int) -> BigInt? {
        var s = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        var negative = false
        if s.hasPrefix("-") { negative = true; s = s.dropFirst() } else if s.hasPrefix("+") { s = s.dropFirst() }
        var b = base
        let lower = s.lowercased()
        func hasPrefix(_ p: String) -> Bool { lower.hasPrefix(p) }
        if (b == 16 || b == 0) && hasPrefix("0x") { b = 16; s = s.dropFirst(2) }
        else if (b == 8 || b == 0) && hasPrefix("0o") { b = 8; s = s.dropFirst(2) }
        else if (b == 2 || b == 0) && hasPrefix("0b") { b = 2; s = s.dropFirst(2) }
        else if b == 0 {
            b = 10
            // Base 0 forbids leading zeros on non-zero decimals.
            let digits = s.filter { $0 != "_" }
            if digits.count > 1 && digits.first == "0" && digits.contains(where: { $0 != "0" }) { return nil }
        } else if s.hasPrefix("_") {
            return nil
        }
        if s.hasPrefix("_") { s = s.dropFirst() }
        if s.isEmpty || s.hasSuffix("_") || s.contains("__") { return nil }
        var digits = ""
        for c in s {
            if c == "_" { continue }
            guard let d = c.hexDigitValue ?? (c.isLetter && c.isASCII ? Int(c.lowercased().first?.asciiValue ?? 200) - 87 : nil), d < b else {
                // Unicode decimal digits count in base 10.
                if let u = c.unicodeScalars.first, c.unicodeScalars.count == 1, u.properties.numericType == .decimal,
                   let nv = u.properties.numericValue, Int(nv) < b {
                    digits.append(String(Int(nv), radix: b))
                    continue
                }
                return nil
            }
            digits.append(String(d, radix: b))
        }
        // BigInt's parser takes radix 2...35; base 36 is accumulated by hand.
        var parsed: BigInt?
        if b < 36 {
            parsed = BigInt(digits, radix: b)
        } else {
            var acc = BigInt(0)
            for ch in digits {
                guard let d = ch.hexDigitValue ?? (ch.isASCII && ch.isLetter ? Int(ch.lowercased().first?.asciiValue ?? 200) - 87 : nil) else { return nil }
                acc = acc * 36 + BigInt(d)
            }
            parsed = acc
        }
        guard let mag = parsed else { return nil }
        return negative ? -mag : mag
    }

    /// `float(x)`.
    func toFloat(_ v: Value) throws(PyErr) -> Double {
        switch v {
        case .float(let d): return d
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        default:
            if let b = v.asBigInt {
                let d = bigToDouble(b.value)
                if d.isInfinite { throw overflowError("int too large to convert to float") }
                return d
            }
            if let s = v.asStr {
                guard let d = pyParseFloat(s.value) else {
                    throw valueError("could not convert string to float: \(pyStrRepr(s.value))")
                }
                return d
            }
            if let f = userUnary(v, "__float__") {
                let r = try callMethod0(f, v)
                if case .float(let d) = r { return d }
                throw typeError("\(typeName(v)).__float__ returned non-float (type \(typeName(r)))")
            }
            if let f = userUnary(v, "__index__") { return try toFloat(callMethod0(f, v)) }
            throw typeError("float() argument must be a string or a real number, not '\(typeName(v))'")
        }
    }

    func dictUpdate(_ d: PyDict, _ v: Value) throws(PyErr) {
        if let od = v.asDict {
            try d.update(from: od, self)
            return
        }
        if case .obj(let o) = v, o.kind == .instance || o.kind == .native, try getAttrOrNil(v, "keys") != nil {
            try mergeMapping(into: d, v)
            return
        }
        var i = 0
        try forEach(v) { item throws(PyErr) in
            let pair: [Value]
            do throws(PyErr) {
                pair = try self.collect(item)
            } catch {
                throw self.typeError("cannot convert dictionary update sequence element #\(i) to a sequence")
            }
            guard pair.count == 2 else {
                throw self.valueError("dictionary update sequence element #\(i) has length \(pair.count); 2 is required")
            }
            try d.set(pair[0], pair[1], self)
            i += 1
            return true
        }
    }

    func setUpdate(_ s: PySet, _ v: Value) throws(PyErr) {
        if let other = v.asSet {
            try s.merge(other, self)
            return
        }
        if let d = v.asDict {
            s.reserveForAdding(d.count)
            for k in d.liveKeys { try s.add(k, self) }
            return
        }
        try forEach(v) { x throws(PyErr) in
            try s.add(x, self)
            return true
        }
    }
}
