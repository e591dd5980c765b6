import BigInt
import Foundation

// Binary and unary operators. Small ints take the machine-word path with explicit overflow
// checks, falling back to BigInt (DESIGN.md, speed decision 4).

extension BinaryOpKind {
    var symbol: String {
        switch self {
        case .add: "+"; case .sub: "-"; case .mul: "*"; case .div: "/"; case .floorDiv: "//"
        case .mod: "%"; case .pow: "**"; case .lshift: "<<"; case .rshift: ">>"; case .and: "&"
        case .or: "|"; case .xor: "^"; case .matMul: "@"
        }
    }
    var dunder: String {
        switch self {
        case .add: "__add__"; case .sub: "__sub__"; case .mul: "__mul__"; case .div: "__truediv__"
        case .floorDiv: "__floordiv__"; case .mod: "__mod__"; case .pow: "__pow__"; case .lshift: "__lshift__"
        case .rshift: "__rshift__"; case .and: "__and__"; case .or: "__or__"; case .xor: "__xor__"; case .matMul: "__matmul__"
        }
    }
    var reflectedDunder: String { "__r" + dunder.dropFirst(2) }
    var inplaceDunder: String { "__i" + dunder.dropFirst(2) }

    /// The operator's place among the 13 (`Dunder` lists each group in this order).
    private var position: Int {
        switch self {
        case .add: 0; case .sub: 1; case .mul: 2; case .div: 3; case .floorDiv: 4; case .mod: 5; case .pow: 6
        case .lshift: 7; case .rshift: 8; case .and: 9; case .or: 10; case .xor: 11; case .matMul: 12
        }
    }
    /// `dunder`, `reflectedDunder` and `inplaceDunder` as numbered slots: a user class's
    /// operator is found without hashing its name on every `a + b`.
    var dunderSlot: Dunder { Dunder(rawValue: Dunder.add.rawValue + position) ?? .add }
    var reflectedSlot: Dunder { Dunder(rawValue: Dunder.radd.rawValue + position) ?? .radd }
    var inplaceSlot: Dunder { Dunder(rawValue: Dunder.iadd.rawValue + position) ?? .iadd }
}

public enum BinaryOpKind {
    case add, sub, mul, div, floorDiv, mod, pow, lshift, rshift, and, or, xor, matMul
}

extension Runtime {
    // MARK: - Entry points

    @inline(__always)
    public func add(_ a: Value, _ b: Value) throws(PyErr) -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            let (r, o) = x.addingReportingOverflow(y)
            if !o { return .int(r) }
        } else if case .float(let x) = a, case .float(let y) = b {
            return .float(x + y)
        }
        return try binarySlow(.add, a, b)
    }

    @inline(__always)
    public func sub(_ a: Value, _ b: Value) throws(PyErr) -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            let (r, o) = x.subtractingReportingOverflow(y)
            if !o { return .int(r) }
        } else if case .float(let x) = a, case .float(let y) = b {
            return .float(x - y)
        }
        return try binarySlow(.sub, a, b)
    }

    @inline(__always)
    public func mul(_ a: Value, _ b: Value) throws(PyErr) -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if !o { return .int(r) }
        } else if case .float(let x) = a, case .float(let y) = b {
            return .float(x * y)
        }
        return try binarySlow(.mul, a, b)
    }

    public func binary(_ op: BinaryOpKind, _ a: Value, _ b: Value) throws(PyErr) -> Value {
        switch op {
        case .add: return try add(a, b)
        case .sub: return try sub(a, b)
        case .mul: return try mul(a, b)
        default: return try binarySlow(op, a, b)
        }
    }

    /// `a op= b`: lists extend in place; user classes may define `__iadd__` etc.
    public func inplace(_ op: BinaryOpKind, _ a: Value, _ b: Value) throws(PyErr) -> Value {
        if case .obj(let o) = a {
            if o.kind == .list && op == .add {
                let l = unsafeDowncast(o, to: PyList.self)
                let more: [Value]
                if let bl = b.asList { more = bl.items } else { more = try collect(b) }
                try checkItemCount(l.items.count + more.count)
                l.items.append(contentsOf: more)
                return a
            }
            if o.kind == .list && op == .mul {
                let l = unsafeDowncast(o, to: PyList.self)
                l.items = try repeatItems(l.items, b, "list")
                return a
            }
            if o.kind == .set, let s = b.asSet, op == .or || op == .and || op == .sub || op == .xor {
                let target = unsafeDowncast(o, to: PySet.self)
                let r = try setOperation(op, target, s)
                target.removeAll()
                try target.merge(r, self)
                return a
            }
            if o.kind == .dict, op == .or, let d = b.asDict {
                let target = unsafeDowncast(o, to: PyDict.self)
                for (k, v) in d.items { try target.set(k, v, self) }
                return a
            }
            if o.kind == .instance || o.kind == .native, let f = typeOf(a).lookup(op.inplaceSlot) {
                let r = try callMethod1(f, a, b)
                if !isNotImplemented(r) { return r }
            }
        }
        do throws(PyErr) {
            return try binary(op, a, b)
        } catch {
            // The message names the augmented operator (`+=`), as CPython's does.
            if matches(error, types.TypeError), let args = error.exc.exception?.args, args.count == 1,
               let m = args[0].asStr?.value, m.hasPrefix("unsupported operand type(s) for \(op.symbol): ") {
                let rest = m.dropFirst("unsupported operand type(s) for \(op.symbol): ".count)
                throw typeError("unsupported operand type(s) for \(op.symbol)=: " + rest)
            }
            throw error
        }
    }

    // MARK: - The general case

    @inline(never)
    func binarySlow(_ op: BinaryOpKind, _ a: Value, _ b: Value) throws(PyErr) -> Value {
        // str % x is always str.__mod__ (str cannot be subclassed): straight to the formatter.
        if op == .mod, case .obj(let x) = a, x.kind == .str { return try percentFormat(unsafeDowncast(x, to: PyStr.self), b) }
        if op == .add, case .obj(let x) = a, case .obj(let y) = b, x.kind == .str && y.kind == .str {
            let s = unsafeDowncast(x, to: PyStr.self), t = unsafeDowncast(y, to: PyStr.self)
            try checkStringSize(s.value.utf8.count + t.value.utf8.count)
            let r = concatStrings(s, t)
            // ASCII-ness is known when both sides' is (no scan later).
            if s.knownASCII && t.knownASCII { return .obj(PyStr(r, ascii: true)) }
            return .str(r)
        }
        // A float with an int or a float (intBinary would make BigInts of the int first).
        if case .float = a, let r = try floatBinary(op, a, b) { return r }
        if case .float = b, let r = try floatBinary(op, a, b) { return r }
        // int-like (int, bool, bigint) with int-like
        if let r = try intBinary(op, a, b) { return r }
        if let r = try floatBinary(op, a, b) { return r }
        if case .obj(let x) = a {
            switch x.kind {
            case .str:
                let s = unsafeDowncast(x, to: PyStr.self)
                if op == .add, let t = b.asStr {
                    try checkStringSize(s.value.utf8.count + t.value.utf8.count)
                    return .str(s.value + t.value)
                }
                if op == .mul, isIntLike(b) { return .str(try repeatString(s.value, b)) }
                if op == .mod { return try percentFormat(s, b) }
            case .list:
                let l = unsafeDowncast(x, to: PyList.self)
                if op == .add, let m = b.asList {
                    try checkItemCount(l.items.count + m.items.count)
                    return .obj(PyList(concatenated(l.items, m.items)))
                }
                if op == .mul, isIntLike(b) { return .obj(PyList(try repeatItems(l.items, b, "list"))) }
            case .tuple:
                let t = unsafeDowncast(x, to: PyTuple.self)
                if op == .add, let m = b.asTuple { return .obj(PyTuple(concatenated(t.items, m.items))) }
                if op == .mul, isIntLike(b) { return .obj(PyTuple(try repeatItems(t.items, b, "tuple"))) }
            case .set, .frozenset:
                if let s = b.asSet, op == .or || op == .and || op == .sub || op == .xor {
                    let r = try setOperation(op, unsafeDowncast(x, to: PySet.self), s)
                    return .obj(r)
                }
            case .dict:
                if op == .or, let d = b.asDict {
                    let r = unsafeDowncast(x, to: PyDict.self).copy()
                    for (k, v) in d.items { try r.set(k, v, self) }
                    return .obj(r)
                }
            case .bytes:
                if op == .add, case .obj(let y) = b, y.kind == .bytes {
                    return .obj(PyBytes(unsafeDowncast(x, to: PyBytes.self).bytes + unsafeDowncast(y, to: PyBytes.self).bytes))
                }
                if op == .mul, isIntLike(b) {
                    let items = try repeatItems(unsafeDowncast(x, to: PyBytes.self).bytes.map { Value.int(Int($0)) }, b, "bytes")
                    return .obj(PyBytes(items.map { if case .int(let i) = $0 { return UInt8(truncatingIfNeeded: i) }; return 0 }))
                }
            default: break
            }
        }
        if op == .mul, isIntLike(a), case .obj(let y) = b {
            if y.kind == .str { return .str(try repeatString(unsafeDowncast(y, to: PyStr.self).value, a)) }
            if y.kind == .list { return .obj(PyList(try repeatItems(unsafeDowncast(y, to: PyList.self).items, a, "list"))) }
            if y.kind == .tuple { return .obj(PyTuple(try repeatItems(unsafeDowncast(y, to: PyTuple.self).items, a, "tuple"))) }
        }
        // User-defined operators.
        let ta = typeOf(a), tb = typeOf(b)
        let userA = a.asObject.map { $0.kind == .instance || $0.kind == .native } ?? false
        let userB = b.asObject.map { $0.kind == .instance || $0.kind == .native } ?? false
        // The right operand's reflected method goes first when its class is a subclass of the
        // left's and overrides that method (CPython's `method_is_overloaded`: an inherited
        // one waits its turn).
        var reflectedFirst = false
        if userB && tb !== ta && tb.isSubclass(of: ta), let f = tb.lookup(op.reflectedSlot) {
            if let g = ta.lookup(op.reflectedSlot), g.isIdentical(f) {} else {
                reflectedFirst = true
                let r = try callMethod1(f, b, a)
                if !isNotImplemented(r) { return r }
            }
        }
        if userA, let f = ta.lookup(op.dunderSlot) {
            let r = try callMethod1(f, a, b)
            if !isNotImplemented(r) { return r }
        }
        if userB, !reflectedFirst, tb !== ta || !userA, let f = tb.lookup(op.reflectedSlot) {
            let r = try callMethod1(f, b, a)
            if !isNotImplemented(r) { return r }
        }
        if op == .or, let u = try typeUnion(a, b) { return u }
        // After the reflected operator had its chance (`[1] + obj` may call obj.__radd__).
        if op == .add, a.asStr != nil {
            throw typeError("can only concatenate str (not \"\(tb.name)\") to str")
        }
        if op == .add, let l = a.asList {
            // A list subclass's instance on the right (with no `__radd__` of its own).
            if let m = builtinStorage(b, .list) {
                let items = unsafeDowncast(m, to: PyList.self).items
                try checkItemCount(l.items.count + items.count)
                return .obj(PyList(concatenated(l.items, items)))
            }
            throw typeError("can only concatenate list (not \"\(tb.name)\") to list")
        }
        if op == .add, a.asTuple != nil {
            throw typeError("can only concatenate tuple (not \"\(tb.name)\") to tuple")
        }
        if op == .mul {
            func isSeq(_ v: Value) -> Bool { v.asStr != nil || v.asList != nil || v.asTuple != nil }
            if isSeq(a) && !isIntLike(b) { throw typeError("can't multiply sequence by non-int of type '\(tb.name)'") }
            if isSeq(b) && !isIntLike(a) { throw typeError("can't multiply sequence by non-int of type '\(ta.name)'") }
        }
        if op == .pow {
            throw typeError("unsupported operand type(s) for ** or pow(): '\(ta.name)' and '\(tb.name)'")
        }
        throw typeError("unsupported operand type(s) for \(op.symbol): '\(ta.name)' and '\(tb.name)'")
    }

    func isIntLike(_ v: Value) -> Bool {
        switch v {
        case .int, .bool: return true
        case .obj(let o): return o.kind == .bigint
        default: return false
        }
    }

    func repeatCount(_ n: Value, _ what: String) throws(PyErr) -> Int {
        switch n {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default:
            if let b = n.bigIntValue {
                if b <= 0 { return 0 }
                throw overflowError("cannot fit 'int' into an index-sized integer")
            }
            throw typeError("can't multiply sequence by non-int of type '\(typeName(n))'")
        }
    }

    func repeatString(_ s: String, _ n: Value) throws(PyErr) -> String {
        let k = try repeatCount(n, "str")
        if k <= 0 || s.isEmpty { return "" }
        let (total, o) = s.utf8.count.multipliedReportingOverflow(by: k)
        if o { throw raise(types.MemoryError, args: []) }
        try checkStringSize(total)
        // The bytes copied k times into one buffer (String(repeating:count:) is far slower).
        var src = s
        return src.withUTF8 { bytes -> String in
            String(unsafeUninitializedCapacity: total) { out -> Int in
                guard let dst = out.baseAddress, let from = bytes.baseAddress else { return 0 }
                for i in 0..<k { (dst + i * bytes.count).initialize(from: from, count: bytes.count) }
                return total
            }
        }
    }

    func repeatItems(_ items: [Value], _ n: Value, _ what: String) throws(PyErr) -> [Value] {
        let k = try repeatCount(n, what)
        if k <= 0 || items.isEmpty { return [] }
        let (total, o) = items.count.multipliedReportingOverflow(by: k)
        if o { throw raise(types.MemoryError, args: []) }
        try checkItemCount(total)
        var out: [Value] = []
        out.reserveCapacity(items.count * k)
        for _ in 0..<k { out.append(contentsOf: items) }
        return out
    }

    func setOperation(_ op: BinaryOpKind, _ a: PySet, _ b: PySet) throws(PyErr) -> PySet {
        let frozen = a.kind == .frozenset
        switch op {
        case .or:
            let r = a.copy(frozen: frozen, self)
            try r.merge(b, self)
            return r
        case .and:
            let r = PySet(frozen: frozen)
            var (small, big) = (b, a)
            if a.count < b.count { (small, big) = (a, b) }
            // CPython iterates the smaller set when both are sets.
            if b.count > a.count { (small, big) = (a, b) } else { (small, big) = (b, a) }
            for (k, h) in small.entries where try big.contains(k, hash: h, self) { try r.add(k, hash: h, self) }
            return r
        case .sub:
            if (a.count >> 2) > b.count {
                let r = a.copy(frozen: frozen, self)
                for (k, h) in b.entries { try r.discard(k, hash: h, self) }
                return r
            }
            let r = PySet(frozen: frozen)
            for (k, h) in a.entries where try !b.contains(k, hash: h, self) { try r.add(k, hash: h, self) }
            return r
        case .xor:
            let r = b.copy(frozen: frozen, self)
            for (k, h) in a.entries {
                if try !r.discard(k, hash: h, self) { try r.add(k, hash: h, self) }
            }
            return r
        default:
            return a
        }
    }

    // MARK: - Integers

    /// Both operands as machine ints, if both are small ints or bools.
    @inline(__always)
    func smallInts(_ a: Value, _ b: Value) -> (Int, Int)? {
        var x = 0, y = 0
        switch a { case .int(let i): x = i; case .bool(let v): x = v ? 1 : 0; default: return nil }
        switch b { case .int(let i): y = i; case .bool(let v): y = v ? 1 : 0; default: return nil }
        return (x, y)
    }

    func intBinary(_ op: BinaryOpKind, _ a: Value, _ b: Value) throws(PyErr) -> Value? {
        if case .bool(let x) = a, case .bool(let y) = b {
            switch op {
            case .and: return .bool(x && y)
            case .or: return .bool(x || y)
            case .xor: return .bool(x != y)
            default: break
            }
        }
        if let (x, y) = smallInts(a, b) {
            switch op {
            case .add:
                let (r, o) = x.addingReportingOverflow(y)
                if !o { return .int(r) }
            case .sub:
                let (r, o) = x.subtractingReportingOverflow(y)
                if !o { return .int(r) }
            case .mul:
                let (r, o) = x.multipliedReportingOverflow(by: y)
                if !o { return .int(r) }
            case .floorDiv:
                if y == 0 { throw zeroDivision("integer division or modulo by zero") }
                if !(x == Int.min && y == -1) {
                    var q = x / y
                    if (x % y != 0) && ((x < 0) != (y < 0)) { q -= 1 }
                    return .int(q)
                }
            case .mod:
                if y == 0 { throw zeroDivision("integer modulo by zero") }
                if y == -1 { return .int(0) }
                var r = x % y
                if r != 0 && ((r < 0) != (y < 0)) { r += y }
                return .int(r)
            case .div:
                if y == 0 { throw zeroDivision("division by zero") }
                if x.magnitude < (1 << 53) && y.magnitude < (1 << 53) { return .float(Double(x) / Double(y)) }
                return .float(try bigTrueDivide(BigInt(x), BigInt(y)))
            case .and: return .int(x & y)
            case .or: return .int(x | y)
            case .xor: return .int(x ^ y)
            case .lshift:
                if y < 0 { throw valueError("negative shift count") }
                if y < 63 {
                    let r = x << y
                    if r >> y == x { return .int(r) }
                }
            case .rshift:
                if y < 0 { throw valueError("negative shift count") }
                return .int(y >= 64 ? (x < 0 ? -1 : 0) : x >> y)
            case .pow:
                if y < 0 {
                    if x == 0 { throw zeroDivision("0.0 cannot be raised to a negative power") }
                    return .float(Foundation.pow(Double(x), Double(y)))
                }
                if let r = smallPow(x, y) { return .int(r) }
            case .matMul:
                return nil
            }
        }
        if let r = try bigFast(op, a, b) { return r }
        guard let x = a.bigIntValue, let y = b.bigIntValue else { return nil }
        switch op {
        case .add: return .big(x + y)
        case .sub: return .big(x - y)
        case .mul: return .big(x * y)
        case .floorDiv:
            if y == 0 { throw zeroDivision("integer division or modulo by zero") }
            return .big(floorDivBig(x, y))
        case .mod:
            if y == 0 { throw zeroDivision("integer modulo by zero") }
            return .big(x - floorDivBig(x, y) * y)
        case .div:
            if y == 0 { throw zeroDivision("division by zero") }
            return .float(try bigTrueDivide(x, y))
        case .and, .or, .xor: return .big(twosComplementBitwise(op, x, y))
        case .lshift:
            if y < 0 { throw valueError("negative shift count") }
            guard let s = Int(exactly: y), s < 1 << 26 else { throw overflowError("too many digits in integer") }
            return .big(x << s)
        case .rshift:
            if y < 0 { throw valueError("negative shift count") }
            guard let s = Int(exactly: y) else { return .int(x < 0 ? -1 : 0) }
            // BigInt's >> truncates toward zero; Python floors: x >> s == ~(~x >> s).
            return .big(x < 0 ? -((-x - 1) >> s) - 1 : x >> s)
        case .pow:
            if y < 0 {
                if x == 0 { throw zeroDivision("0.0 cannot be raised to a negative power") }
                return .float(Foundation.pow(bigToDouble(x), bigToDouble(y)))
            }
            if x == 1 || x == 0 { return .big(x) }
            if x == -1 { return .int(y.isMultiple(of: 2) ? 1 : -1) }
            guard let e = Int(exactly: y) else { throw raise(types.MemoryError, args: []) }
            let (bits, o) = x.bitWidth.multipliedReportingOverflow(by: e)
            if (o || bits > 1 << 28) && x.magnitude > 1 { throw raise(types.MemoryError, args: []) }
            return .big(x.power(e))
        case .matMul:
            return nil
        }
    }

    func smallPow(_ base: Int, _ exp: Int) -> Int? {
        var result = 1, b = base, e = exp
        while e > 0 {
            if e & 1 == 1 {
                let (r, o) = result.multipliedReportingOverflow(by: b)
                if o { return nil }
                result = r
            }
            e >>= 1
            if e > 0 {
                let (r, o) = b.multipliedReportingOverflow(by: b)
                if o { return nil }
                b = r
            }
        }
        return result
    }

    /// Python's infinite two's-complement `&`, `|`, `^`. BigInt's own operators are only
    /// right for non-negative operands, so negatives go through ~v == -v - 1 (non-negative).
    func twosComplementBitwise(_ op: BinaryOpKind, _ x: BigInt, _ y: BigInt) -> BigInt {
        func inv(_ v: BigInt) -> BigInt { -v - 1 }
        switch (x < 0, y < 0) {
        case (false, false):
            return op == .and ? x & y : op == .or ? x | y : x ^ y
        case (true, true):
            let a = inv(x), b = inv(y)
            switch op {
            case .and: return inv(a | b)
            case .or: return inv(a & b)
            default: return a ^ b
            }
        default:
            // n is the negative operand (as c = ~n >= 0), p the non-negative one.
            let (c, p) = x < 0 ? (inv(x), y) : (inv(y), x)
            switch op {
            case .and: return p ^ (p & c)          // p & ~c
            case .or: return inv(c ^ (c & p))      // ~(c & ~p)
            default: return inv(c ^ p)             // ~(c ^ p)
            }
        }
    }

    func floorDivBig(_ x: BigInt, _ y: BigInt) -> BigInt {
        let (q, r) = x.quotientAndRemainder(dividingBy: y)
        if r != 0 && ((r < 0) != (y < 0)) { return q - 1 }
        return q
    }

    /// Correctly rounded int / int, as Python computes it.
    func bigTrueDivide(_ x: BigInt, _ y: BigInt) throws(PyErr) -> Double {
        let negative = (x < 0) != (y < 0)
        var a = x.magnitude, b = y.magnitude
        if a == 0 { return negative ? -0.0 : 0.0 }
        // Scale so the quotient has 62–63 bits, keep a sticky bit for the remainder, and let
        // the one UInt64 → Double conversion round (to nearest, ties to even).
        let shift = 62 - (a.bitWidth - b.bitWidth)
        if shift > 0 { a <<= shift } else if shift < 0 { b <<= -shift }
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        var q64 = UInt64(q)
        if r != 0 { q64 |= 1 }
        let result = Foundation.scalbn(Double(q64), -shift)
        if result.isInfinite { throw overflowError("integer division result too large for a float") }
        return negative ? -result : result
    }

    /// An integer as the nearest Double (ties to even), as Python's float(int).
    func bigToDouble(_ b: BigInt) -> Double {
        if let i = Int(exactly: b) { return Double(i) }
        let m = b.magnitude
        let extra = m.bitWidth - 63
        var top = UInt64(m >> extra)
        if (m & ((BigUInt(1) << extra) - 1)) != 0 { top |= 1 }
        let d = Foundation.scalbn(Double(top), extra)
        return b < 0 ? -d : d
    }

    /// An int-like value as a Double, or an OverflowError.
    func intToDouble(_ v: Value) throws(PyErr) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        case .float(let d): return d
        default:
            if let b = v.asBigInt {
                let d = bigToDouble(b.value)
                if d.isInfinite { throw overflowError("int too large to convert to float") }
                return d
            }
            return nil
        }
    }

    // MARK: - Floats

    func floatBinary(_ op: BinaryOpKind, _ a: Value, _ b: Value) throws(PyErr) -> Value? {
        guard case .float = a else {
            guard case .float = b else { return nil }
            guard let x = try intToDouble(a), case .float(let y) = b else { return nil }
            return try floatOp(op, x, y)
        }
        guard case .float(let x) = a, let y = try intToDouble(b) else { return nil }
        return try floatOp(op, x, y)
    }

    func floatOp(_ op: BinaryOpKind, _ x: Double, _ y: Double) throws(PyErr) -> Value? {
        switch op {
        case .add: return .float(x + y)
        case .sub: return .float(x - y)
        case .mul: return .float(x * y)
        case .div:
            if y == 0 { throw zeroDivision("float division by zero") }
            return .float(x / y)
        case .floorDiv:
            if y == 0 { throw zeroDivision("float floor division by zero") }
            return .float(floatDivMod(x, y).0)
        case .mod:
            if y == 0 { throw zeroDivision("float modulo") }
            return .float(floatDivMod(x, y).1)
        case .pow:
            return .float(try floatPow(x, y))
        default:
            return nil
        }
    }

    /// Python's float divmod: the remainder has the sign of the divisor.
    func floatDivMod(_ x: Double, _ y: Double) -> (Double, Double) {
        var mod = fmod(x, y)
        var div = (x - mod) / y
        if mod != 0 {
            if (y < 0) != (mod < 0) {
                mod += y
                div -= 1
            }
        } else {
            mod = Foundation.copysign(0, y)
        }
        var floordiv: Double
        if div != 0 {
            floordiv = div.rounded(.down)
            if div - floordiv > 0.5 { floordiv += 1 }
        } else {
            floordiv = Foundation.copysign(0, x / y)
        }
        return (floordiv, mod)
    }

    func floatPow(_ x: Double, _ y: Double) throws(PyErr) -> Double {
        if x == 0 && y < 0 { throw zeroDivision("0.0 cannot be raised to a negative power") }
        if x < 0 && y != y.rounded() && y.isFinite {
            throw valueError("math domain error")  // Python returns a complex number here
        }
        let r = Foundation.pow(x, y)
        if r.isInfinite && x.isFinite && y.isFinite { throw overflowError("(34, 'Numerical result out of range')") }
        return r
    }

    // MARK: - Unary

    public func negate(_ v: Value) throws(PyErr) -> Value {
        switch v {
        case .int(let i):
            let (r, o) = (0).subtractingReportingOverflow(i)
            return o ? .big(-BigInt(i)) : .int(r)
        case .float(let d): return .float(-d)
        case .bool(let b): return .int(b ? -1 : 0)
        default:
            if let b = v.asBigInt { return .big(-b.value) }
            if let f = userUnary(v, .neg) { return try callMethod0(f, v) }
            throw typeError("bad operand type for unary -: '\(typeName(v))'")
        }
    }

    public func positive(_ v: Value) throws(PyErr) -> Value {
        switch v {
        case .int, .float: return v
        case .bool(let b): return .int(b ? 1 : 0)
        default:
            if v.asBigInt != nil { return v }
            if let f = userUnary(v, .pos) { return try callMethod0(f, v) }
            throw typeError("bad operand type for unary +: '\(typeName(v))'")
        }
    }

    public func invert(_ v: Value) throws(PyErr) -> Value {
        switch v {
        case .int(let i): return .int(~i)
        case .bool(let b): return .int(b ? -2 : -1)
        default:
            if let b = v.asBigInt { return .big(-b.value - 1) }
            if let f = userUnary(v, .invert) { return try callMethod0(f, v) }
            throw typeError("bad operand type for unary ~: '\(typeName(v))'")
        }
    }

    func userUnary(_ v: Value, _ name: String) -> Value? {
        guard case .obj(let o) = v, o.kind == .instance || o.kind == .native else { return nil }
        return typeOf(v).lookup(name)
    }

    func userUnary(_ v: Value, _ d: Dunder) -> Value? {
        guard case .obj(let o) = v, o.kind == .instance || o.kind == .native else { return nil }
        return typeOf(v).lookup(d)
    }
}

/// Below this many values, a new array is built by `reserveCapacity` and appends: the
/// stdlib's `init(unsafeUninitializedCapacity:)` is not specialised here, and its generic
/// metadata lookup costs ≈400 instructions per array (a three-item slice: 530 -> 190), which
/// a longer array's faster copying loop pays back.
let smallArrayLimit = 32

/// `a + b` for value arrays, copied in a loop the compiler sees through (the generic `+`
/// copies each value through its type's witness).
func concatenated(_ a: [Value], _ b: [Value]) -> [Value] {
    let n = a.count + b.count
    if n == 0 { return [] }
    if n <= smallArrayLimit {
        var out: [Value] = []
        out.reserveCapacity(n)
        for v in a { out.append(v) }
        for v in b { out.append(v) }
        return out
    }
    return [Value](unsafeUninitializedCapacity: n) { out, initialized in
        guard let dst = out.baseAddress else { return }
        a.withUnsafeBufferPointer { src in
            for i in 0..<src.count { (dst + i).initialize(to: src[i]) }
        }
        b.withUnsafeBufferPointer { src in
            for i in 0..<src.count { (dst + a.count + i).initialize(to: src[i]) }
        }
        initialized = n
    }
}
