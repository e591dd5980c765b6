import BigInt

// Truth, equality, hashing and ordering: the parts of Python's object protocol that every
// container and operator stands on.

extension Runtime {
    // MARK: - Truth

    @inline(__always)
    public func truthy(_ v: Value) throws(PyErr) -> Bool {
        switch v {
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .none, .undef: return false
        case .float(let d): return d != 0
        case .obj(let o): return try truthyObject(o, v)
        }
    }

    @inline(never)
    func truthyObject(_ o: PyObject, _ v: Value) throws(PyErr) -> Bool {
        switch o.kind {
        case .str: return !unsafeDowncast(o, to: PyStr.self).value.isEmpty
        case .list: return !unsafeDowncast(o, to: PyList.self).items.isEmpty
        case .tuple: return !unsafeDowncast(o, to: PyTuple.self).items.isEmpty
        case .dict: return unsafeDowncast(o, to: PyDict.self).count > 0
        case .set, .frozenset: return unsafeDowncast(o, to: PySet.self).count > 0
        case .bigint: return unsafeDowncast(o, to: PyBigInt.self).value != 0
        case .range: return unsafeDowncast(o, to: PyRange.self).count > 0
        case .bytes: return !unsafeDowncast(o, to: PyBytes.self).bytes.isEmpty
        case .instance, .native:
            // (list and dict have no `__bool__`: their truth is their length's.)
            if unoverriddenStorage(o, .bool) != nil, let s = unoverriddenStorage(o, .len) { return try truthy(.obj(s)) }
            let cls = typeOf(v)
            if let f = cls.lookup(.bool) {
                let r = try callMethod0(f, v)
                guard case .bool(let b) = r else {
                    throw typeError("__bool__ should return bool, returned \(typeName(r))")
                }
                return b
            }
            if let f = cls.lookup(.len) {
                let r = try callMethod0(f, v)
                return try lenResult(r) != 0
            }
            return true
        default: return true
        }
    }

    func lenResult(_ r: Value) throws(PyErr) -> Int {
        switch r {
        case .int(let i):
            if i < 0 { throw valueError("__len__() should return >= 0") }
            return i
        case .bool(let b): return b ? 1 : 0
        default:
            if r.asBigInt != nil { throw overflowError("cannot fit 'int' into an index-sized integer") }
            throw typeError("'\(typeName(r))' object cannot be interpreted as an integer")
        }
    }

    // MARK: - Equality

    @inline(__always)
    public func equal(_ a: Value, _ b: Value) throws(PyErr) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.none, .none): return true
        case (.bool(let x), .bool(let y)): return x == y
        default: return try equalSlow(a, b)
        }
    }

    @inline(never)
    func equalSlow(_ a: Value, _ b: Value) throws(PyErr) -> Bool {
        if case .obj(let x) = a, case .obj(let y) = b {
            if x.kind == .str && y.kind == .str {
                return unsafeDowncast(x, to: PyStr.self).equals(unsafeDowncast(y, to: PyStr.self))
            }
        }
        if let n = numericEqual(a, b) { return n }
        let r = try richCompare(a, b, .eq)
        return try truthy(r)
    }

    /// Equality between numbers of any representation; nil when either is not a number.
    func numericEqual(_ a: Value, _ b: Value) -> Bool? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.int(let x), .float(let y)): return Double(x) == y && (y.magnitude < 9.0e15 || BigInt(exactly: y) == BigInt(x))
        case (.float(let x), .int(let y)): return Double(y) == x && (x.magnitude < 9.0e15 || BigInt(exactly: x) == BigInt(y))
        case (.float(let x), .float(let y)): return x == y
        case (.bool(let x), _): return numericEqual(.int(x ? 1 : 0), b)
        case (_, .bool(let y)): return numericEqual(a, .int(y ? 1 : 0))
        default:
            guard a.isNumber, b.isNumber else { return nil }
            if let x = a.bigIntValue, let y = b.bigIntValue { return x == y }
            if let x = a.bigIntValue, case .float(let y) = b { return BigInt(exactly: y) == x }
            if case .float(let x) = a, let y = b.bigIntValue { return BigInt(exactly: x) == y }
            return nil
        }
    }

    // MARK: - Hashing

    @inline(__always)
    public func hash(_ v: Value) throws(PyErr) -> Int {
        switch v {
        case .int(let i): return pyIntHash(i)
        case .obj(let o) where o.kind == .str: return unsafeDowncast(o, to: PyStr.self).hashValue64
        default: return try hashSlow(v)
        }
    }

    @inline(never)
    func hashSlow(_ v: Value) throws(PyErr) -> Int {
        switch v {
        case .int(let i): return pyIntHash(i)
        case .bool(let b): return b ? 1 : 0
        case .float(let d): return pyFloatHash(d)
        case .none: return 0x5f3759df
        case .undef: return 0
        case .obj(let o):
            switch o.kind {
            case .str: return unsafeDowncast(o, to: PyStr.self).hashValue64
            case .bigint: return bigIntHash(unsafeDowncast(o, to: PyBigInt.self).value)
            case .tuple:
                let t = unsafeDowncast(o, to: PyTuple.self)
                if let h = t.cachedHash { return h }
                try enterNested("while hashing")
                defer { depth -= 1 }
                // CPython 3.11's xxHash-based tuplehash, so sets of tuples iterate in its order.
                var acc: UInt64 = 2870177450012600261
                for item in t.items {
                    let lane = UInt64(bitPattern: Int64(try hash(item)))
                    acc = acc &+ lane &* 14029467366897019727
                    acc = (acc << 31) | (acc >> 33)
                    acc = acc &* 11400714785074694791
                }
                acc = acc &+ (UInt64(t.items.count) ^ (2870177450012600261 ^ 3527539))
                var h = Int(Int64(bitPattern: acc))
                if h == -1 { h = 1546275796 }
                t.cachedHash = h
                return h
            case .frozenset:
                var h: UInt64 = 0
                for (_, eh) in unsafeDowncast(o, to: PySet.self).entries {
                    let x = UInt64(bitPattern: Int64(eh))
                    h ^= ((x ^ 89869747) ^ (x << 16)) &* 3644798167
                }
                return Int(Int64(bitPattern: h))
            case .list, .dict, .set:
                throw typeError("unhashable type: '\(typeName(v))'")
            case .instance, .native:
                let cls = typeOf(v)
                if let f = cls.lookup(.hash) {
                    if case .none = f { throw typeError("unhashable type: '\(cls.name)'") }
                    let r = try callMethod0(f, v)
                    switch r {
                    case .int(let i): return i == -1 ? -2 : i
                    case .bool(let b): return b ? 1 : 0
                    default:
                        if let b = r.bigIntValue { return bigIntHash(b) }
                        throw typeError("__hash__ method should return an integer")
                    }
                }
                if cls.lookup(.eq) != nil, !cls.isBuiltin, classDefinesEqWithoutHash(cls) {
                    throw typeError("unhashable type: '\(cls.name)'")
                }
                return identityHash(o)
            default:
                return identityHash(o)
            }
        }
    }

    /// A class that defines `__eq__` but not `__hash__` is unhashable (Python sets `__hash__`
    /// to None for it).
    func classDefinesEqWithoutHash(_ cls: PyClass) -> Bool {
        for c in cls.mro where !c.isBuiltin {
            if c.dict["__hash__"] != nil { return false }
            if c.dict["__eq__"] != nil { return true }
        }
        return false
    }

    func identityHash(_ o: PyObject) -> Int {
        let addr = Int(bitPattern: UInt(bitPattern: ObjectIdentifier(o).hashValue))
        return addr >> 4
    }

    func bigIntHash(_ b: BigInt) -> Int {
        // Python: the value modulo 2**61 - 1, with the sign of the value.
        let p = BigInt(2).power(61) - 1
        var r = b.magnitude % p.magnitude
        if b.sign == .minus {
            var h = -Int(r)
            if h == -1 { h = -2 }
            return h
        }
        if r == 0 { r = 0 }
        return Int(r)
    }

    // MARK: - Ordering and rich comparison

    public enum CompareKind { case eq, ne, lt, le, gt, ge
        var symbol: String {
            switch self { case .eq: "=="; case .ne: "!="; case .lt: "<"; case .le: "<="; case .gt: ">"; case .ge: ">=" }
        }
        var dunder: Dunder {
            switch self { case .eq: .eq; case .ne: .ne; case .lt: .lt; case .le: .le; case .gt: .gt; case .ge: .ge }
        }
        var reflected: CompareKind {
            switch self { case .eq: .eq; case .ne: .ne; case .lt: .gt; case .le: .ge; case .gt: .lt; case .ge: .le }
        }
    }

    /// `a < b` and friends, returning a Python value (user `__lt__` may return anything).
    public func richCompare(_ a: Value, _ b: Value, _ op: CompareKind) throws(PyErr) -> Value {
        if case .obj(let x) = a, case .obj(let y) = b, x.kind == .str && y.kind == .str {
            let sa = unsafeDowncast(x, to: PyStr.self), sb = unsafeDowncast(y, to: PyStr.self)
            switch op {
            case .eq: return .bool(sa.equals(sb))
            case .ne: return .bool(!sa.equals(sb))
            default: return .bool(ordered(strCompare(sa.value, sb.value), op))
            }
        }
        // Numbers
        if let r = try compareNumbers(a, b, op) { return .bool(r) }
        if case .obj(let x) = a, case .obj(let y) = b {
            if x.kind == .str && y.kind == .str {
                let sa = unsafeDowncast(x, to: PyStr.self), sb = unsafeDowncast(y, to: PyStr.self)
                switch op {
                case .eq: return .bool(sa.equals(sb))
                case .ne: return .bool(!sa.equals(sb))
                default: return .bool(ordered(strCompare(sa.value, sb.value), op))
                }
            }
            if (x.kind == .list && y.kind == .list) || (x.kind == .tuple && y.kind == .tuple) {
                let l1 = x.kind == .list ? unsafeDowncast(x, to: PyList.self).items : unsafeDowncast(x, to: PyTuple.self).items
                let l2 = y.kind == .list ? unsafeDowncast(y, to: PyList.self).items : unsafeDowncast(y, to: PyTuple.self).items
                return .bool(try compareSequences(l1, l2, op))
            }
            if (x.kind == .set || x.kind == .frozenset) && (y.kind == .set || y.kind == .frozenset) {
                let s1 = unsafeDowncast(x, to: PySet.self), s2 = unsafeDowncast(y, to: PySet.self)
                func subset(_ p: PySet, _ q: PySet) throws(PyErr) -> Bool {
                    if p.count > q.count { return false }
                    for e in p.elements where try !q.contains(e, self) { return false }
                    return true
                }
                switch op {
                case .eq: return .bool(s1.count == s2.count ? try subset(s1, s2) : false)
                case .ne: return .bool(s1.count == s2.count ? try !subset(s1, s2) : true)
                case .le: return .bool(try subset(s1, s2))
                case .lt: return .bool(s1.count < s2.count ? try subset(s1, s2) : false)
                case .ge: return .bool(try subset(s2, s1))
                case .gt: return .bool(s2.count < s1.count ? try subset(s2, s1) : false)
                }
            }
            if x.kind == .dict && y.kind == .dict && (op == .eq || op == .ne) {
                let eq = try dictsEqual(unsafeDowncast(x, to: PyDict.self), unsafeDowncast(y, to: PyDict.self))
                return .bool(op == .eq ? eq : !eq)
            }
            if x.kind == .range && y.kind == .range && (op == .eq || op == .ne) {
                let r1 = unsafeDowncast(x, to: PyRange.self), r2 = unsafeDowncast(y, to: PyRange.self)
                let eq = r1.count == r2.count && (r1.count == 0 || (r1.start == r2.start && (r1.count == 1 || r1.step == r2.step)))
                return .bool(op == .eq ? eq : !eq)
            }
        }
        // User-defined comparisons: the reflected method of the right operand goes first when
        // its class is a subclass of the left's.
        let ta = typeOf(a), tb = typeOf(b)
        var tryReflectedFirst = false
        if tb !== ta, tb.isSubclass(of: ta), !tb.isBuiltin, tb.lookup(op.reflected.dunder) != nil {
            tryReflectedFirst = true
        }
        if tryReflectedFirst, let f = tb.lookup(op.reflected.dunder) {
            let r = try callMethod1(f, b, a)
            if !isNotImplemented(r) { return r }
        }
        if !ta.isBuiltin || a.asObject?.kind == .native, let f = ta.lookup(op.dunder) {
            let r = try callMethod1(f, a, b)
            if !isNotImplemented(r) { return r }
        }
        if !tryReflectedFirst, !tb.isBuiltin || b.asObject?.kind == .native, let f = tb.lookup(op.reflected.dunder) {
            let r = try callMethod1(f, b, a)
            if !isNotImplemented(r) { return r }
        }
        switch op {
        case .eq: return .bool(a.isIdentical(b))
        case .ne:
            // Default __ne__ inverts __eq__.
            if !ta.isBuiltin, let f = ta.lookup(.eq) {
                let r = try callMethod1(f, a, b)
                if !isNotImplemented(r) { return .bool(!(try truthy(r))) }
            }
            return .bool(!a.isIdentical(b))
        default:
            throw typeError("'\(op.symbol)' not supported between instances of '\(ta.name)' and '\(tb.name)'")
        }
    }


    public func isNotImplemented(_ v: Value) -> Bool {
        if case .obj(let o) = v, o === notImplementedObject { return true }
        return false
    }

    @inline(__always)
    func ordered(_ c: Int, _ op: CompareKind) -> Bool {
        switch op {
        case .eq: return c == 0
        case .ne: return c != 0
        case .lt: return c < 0
        case .le: return c <= 0
        case .gt: return c > 0
        case .ge: return c >= 0
        }
    }

    @inline(__always)
    static func compareDoubles(_ x: Double, _ y: Double, _ op: CompareKind) -> Bool {
        switch op {
        case .eq: return x == y
        case .ne: return x != y
        case .lt: return x < y
        case .le: return x <= y
        case .gt: return x > y
        case .ge: return x >= y
        }
    }

    func compareNumbers(_ a: Value, _ b: Value, _ op: CompareKind) throws(PyErr) -> Bool? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return ordered(x < y ? -1 : (x > y ? 1 : 0), op)
        case (.float(let x), .float(let y)):
            return Runtime.compareDoubles(x, y, op)
        // An int no wider than a double's mantissa converts exactly (`c > 0` with a float c
        // went through BigInt conversions, ~150 instructions).
        case (.int(let x), .float(let y)) where x.magnitude <= 1 << 53:
            return Runtime.compareDoubles(Double(x), y, op)
        case (.float(let x), .int(let y)) where y.magnitude <= 1 << 53:
            return Runtime.compareDoubles(x, Double(y), op)
        default: break
        }
        // A bool is the int 0 or 1 (`True < False`, a bool first in a sort key: the general
        // path below made BigInts of both).
        if case .bool(let p) = a { return try compareNumbers(.int(p ? 1 : 0), b, op) }
        if case .bool(let q) = b { return try compareNumbers(a, .int(q ? 1 : 0), op) }
        // Anything but two numbers (instances, containers) is not compared here.
        guard a.isNumber, b.isNumber else { return nil }
        func num(_ v: Value) -> (BigInt?, Double?)? {
            switch v {
            case .int(let i): return (BigInt(i), nil)
            case .bool(let b): return (BigInt(b ? 1 : 0), nil)
            case .float(let d): return (nil, d)
            default:
                if let b = v.asBigInt { return (b.value, nil) }
                return nil
            }
        }
        guard let na = num(a), let nb = num(b) else { return nil }
        switch (na, nb) {
        case ((let x?, nil), (let y?, nil)):
            return ordered(x < y ? -1 : (x > y ? 1 : 0), op)
        case ((nil, let x?), (nil, let y?)):
            return try compareNumbers(.float(x), .float(y), op)
        case ((let x?, nil), (nil, let y?)):
            if y.isNaN { return op == .ne }
            if y.isInfinite { return ordered(y > 0 ? -1 : 1, op) }
            return ordered(compareBigToDouble(x, y), op)
        case ((nil, let x?), (let y?, nil)):
            if x.isNaN { return op == .ne }
            if x.isInfinite { return ordered(x > 0 ? 1 : -1, op) }
            return ordered(-compareBigToDouble(y, x), op)
        default: return nil
        }
    }

    /// Exact comparison of an integer and a finite float.
    func compareBigToDouble(_ x: BigInt, _ y: Double) -> Int {
        let fl = y.rounded(.down)
        let bf = BigInt(exactly: fl) ?? BigInt(0)
        if x < bf { return -1 }
        if x > bf { return 1 }
        return fl == y ? 0 : -1
    }

    func compareSequences(_ a: [Value], _ b: [Value], _ op: CompareKind) throws(PyErr) -> Bool {
        try enterNested("in comparison")
        defer { depth -= 1 }
        if (op == .eq || op == .ne) && a.count != b.count { return op == .ne }
        let n = min(a.count, b.count)
        for i in 0..<n {
            if a[i].isIdentical(b[i]) { continue }
            if try !equal(a[i], b[i]) {
                switch op {
                case .eq: return false
                case .ne: return true
                default: return try truthy(richCompare(a[i], b[i], op))
                }
            }
        }
        return ordered(a.count < b.count ? -1 : (a.count > b.count ? 1 : 0), op)
    }

    func dictsEqual(_ a: PyDict, _ b: PyDict) throws(PyErr) -> Bool {
        try enterNested("in comparison")
        defer { depth -= 1 }
        if a.count != b.count { return false }
        for (k, v) in a.items {
            guard let w = try b.get(k, self) else { return false }
            if !v.isIdentical(w), try !equal(v, w) { return false }
        }
        return true
    }

    /// `a < b` as a Swift Bool (sorting, min, max).
    @inline(__always)
    public func lessThan(_ a: Value, _ b: Value) throws(PyErr) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y
        case (.float(let x), .float(let y)): return x < y
        default: return try truthy(richCompare(a, b, .lt))
        }
    }

    /// Identity or equality, as containers compare their items.
    @inline(__always)
    public func same(_ a: Value, _ b: Value) throws(PyErr) -> Bool {
        if a.isIdentical(b) { return true }
        return try equal(a, b)
    }

    /// `x in container`.
    public func contains(_ container: Value, _ x: Value) throws(PyErr) -> Bool {
        if case .obj(let o) = container {
            switch o.kind {
            case .list:
                for v in unsafeDowncast(o, to: PyList.self).items where try same(v, x) { return true }
                return false
            case .tuple:
                for v in unsafeDowncast(o, to: PyTuple.self).items where try same(v, x) { return true }
                return false
            case .dict:
                return try unsafeDowncast(o, to: PyDict.self).contains(x, self)
            case .set, .frozenset:
                return try unsafeDowncast(o, to: PySet.self).contains(x, self)
            case .str:
                guard let sub = x.asStr else {
                    throw typeError("'in <string>' requires string as left operand, not \(typeName(x))")
                }
                if sub.value.isEmpty { return true }
                // A byte search (memchr, then memcmp): UTF-8 finds a substring only where it
                // starts at a character boundary. The generic firstRange(of:) was ~50x slower.
                let hay = unsafeDowncast(o, to: PyStr.self)
                return hay.withBytes { h in sub.withBytes { n in bufFind(h, n, from: 0) != nil } }
            case .range:
                let r = unsafeDowncast(o, to: PyRange.self)
                let iv: Int
                switch x {
                case .int(let i): iv = i
                case .bool(let b): iv = b ? 1 : 0
                case .float(let d):
                    guard d.rounded() == d, let i = Int(exactly: d) else { return false }
                    iv = i
                default:
                    // Ranges hold machine ints: a bigger int is never in one.
                    if x.asBigInt != nil { return false }
                    var found = false
                    try forEach(container) { v throws(PyErr) in
                        if try equal(v, x) { found = true; return false }
                        return true
                    }
                    return found
                }
                // In bounds means the distance from start fits in UInt.
                if r.step > 0 {
                    guard iv >= r.start && iv < r.stop else { return false }
                    return (UInt(bitPattern: iv &- r.start)) % UInt(r.step) == 0
                }
                guard iv <= r.start && iv > r.stop else { return false }
                return (UInt(bitPattern: r.start &- iv)) % r.step.magnitude == 0
            case .instance, .native:
                if let s = unoverriddenStorage(o, .contains) { return try contains(.obj(s), x) }
                let cls = typeOf(container)
                if let f = cls.lookup(.contains) {
                    return try truthy(callMethod1(f, container, x))
                }
            case .cls:
                if let r = try callClassHook(container, "__class_contains__", [x]) { return try truthy(r) }
            default:
                break
            }
        }
        var found = false
        do throws(PyErr) {
            try forEach(container) { v throws(PyErr) in
                if try same(v, x) { found = true; return false }
                return true
            }
        } catch {
            if matches(error, types.TypeError), typeOf(container).lookup(.iter) == nil, container.asObject?.kind != .iterator {
                throw typeError("argument of type '\(typeName(container))' is not iterable")
            }
            throw error
        }
        return found
    }
}
