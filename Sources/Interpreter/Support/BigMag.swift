import BigInt

// Fast paths for the big-int operations programs do most (add, subtract, multiply, floor
// division and modulo by a one-word number) on plain little-endian word arrays. attaswift's
// BigUInt reads and writes every word through a subscript that switches on its storage kind
// and checks uniqueness, which made `a + b` on 4000-digit numbers ~10× slower than CPython.
// Everything else still goes through BigInt (PyBigInt converts lazily).

/// A magnitude: little-endian words, no high zero words (zero is empty).
typealias Mag = [UInt]

/// Magnitude buffers of dead big ints, reused for new results: allocating an array goes
/// through the runtime's generic metadata lookup and malloc, which cost more than adding two
/// 100-word numbers. Bounded in count and size. The interpreter is single-threaded.
nonisolated(unsafe) var magPool: [Mag] = []

enum BigMag {
    static let poolCount = 32
    static let poolMaxWords = 4096

    /// A magnitude of `n` zero words, in a recycled buffer when one is free.
    @inline(__always)
    static func zeros(_ n: Int) -> Mag {
        if var m = magPool.popLast() {
            if m.capacity >= n {
                m.removeAll(keepingCapacity: true)
                m.append(contentsOf: repeatElement(0, count: n))
                return m
            }
        }
        return Mag(repeating: 0, count: n)
    }

    /// A magnitude of `n` words whose contents the caller overwrites entirely (recycled
    /// buffers keep their old words: no zeroing).
    @inline(__always)
    static func buffer(_ n: Int) -> Mag {
        if var m = magPool.popLast() {
            if m.capacity >= n {
                if m.count > n {
                    m.removeLast(m.count - n)
                } else if m.count < n {
                    m.append(contentsOf: repeatElement(0, count: n - m.count))
                }
                return m
            }
        }
        return Mag(repeating: 0, count: n)
    }

    /// Offers a dead big int's buffer for reuse.
    @inline(__always)
    static func recycle(_ m: Mag) {
        if magPool.count < poolCount && m.capacity >= 4 && m.capacity <= poolMaxWords { magPool.append(m) }
    }

    @inline(__always)
    static func normalize(_ m: inout Mag) {
        while let last = m.last, last == 0 { m.removeLast() }
    }

    static func compare(_ a: Mag, _ b: Mag) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        var i = a.count - 1
        while i >= 0 {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            i -= 1
        }
        return 0
    }

    static func add(_ a: Mag, _ b: Mag) -> Mag {
        let (long, short) = a.count >= b.count ? (a, b) : (b, a)
        var r = BigMag.buffer(long.count + 1)
        r.withUnsafeMutableBufferPointer { rp in
            long.withUnsafeBufferPointer { lp in
                short.withUnsafeBufferPointer { sp in
                    var carry: UInt = 0
                    var i = 0
                    // Through a 128-bit sum the compiler emits add/adc (about half the
                    // instructions of two overflow-reporting adds and their flags).
                    while i < sp.count {
                        let t = UInt128(lp[i]) &+ UInt128(sp[i]) &+ UInt128(carry)
                        rp[i] = UInt(truncatingIfNeeded: t)
                        carry = UInt(truncatingIfNeeded: t &>> 64)
                        i += 1
                    }
                    while i < lp.count {
                        let (s, c) = lp[i].addingReportingOverflow(carry)
                        rp[i] = s
                        carry = c ? 1 : 0
                        i += 1
                    }
                    rp[i] = carry
                }
            }
        }
        normalize(&r)
        return r
    }

    /// a - b for a >= b.
    static func sub(_ a: Mag, _ b: Mag) -> Mag {
        var r = BigMag.buffer(a.count)
        r.withUnsafeMutableBufferPointer { rp in
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    var borrow: UInt = 0
                    var i = 0
                    // A 128-bit difference per word: sub/sbb (the borrow is the high word's
                    // low bit: it is all ones after wrapping below zero).
                    while i < bp.count {
                        let t = UInt128(ap[i]) &- UInt128(bp[i]) &- UInt128(borrow)
                        rp[i] = UInt(truncatingIfNeeded: t)
                        borrow = UInt(truncatingIfNeeded: t &>> 64) & 1
                        i += 1
                    }
                    while i < ap.count {
                        let (d, o) = ap[i].subtractingReportingOverflow(borrow)
                        rp[i] = d
                        borrow = o ? 1 : 0
                        i += 1
                    }
                }
            }
        }
        normalize(&r)
        return r
    }

    static func mulWord(_ a: Mag, _ w: UInt) -> Mag {
        if w == 0 || a.isEmpty { return [] }
        var r = BigMag.buffer(a.count + 1)
        r.withUnsafeMutableBufferPointer { rp in
            a.withUnsafeBufferPointer { ap in
                var carry: UInt = 0
                for i in 0..<ap.count {
                    let (hi, lo) = ap[i].multipliedFullWidth(by: w)
                    let (s, c) = lo.addingReportingOverflow(carry)
                    rp[i] = s
                    carry = hi &+ (c ? 1 : 0)
                }
                rp[ap.count] = carry
            }
        }
        normalize(&r)
        return r
    }

    /// Schoolbook multiplication; BigInt (Karatsuba) beyond `karatsubaWords` words.
    static let karatsubaWords = 600

    static func mul(_ a: Mag, _ b: Mag) -> Mag {
        if a.isEmpty || b.isEmpty { return [] }
        if a.count == 1 { return mulWord(b, a[0]) }
        if b.count == 1 { return mulWord(a, b[0]) }
        var r = BigMag.zeros(a.count + b.count)
        r.withUnsafeMutableBufferPointer { rp in
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    for j in 0..<bp.count {
                        let w = bp[j]
                        if w == 0 { continue }
                        var carry: UInt = 0
                        for i in 0..<ap.count {
                            let (hi, lo) = ap[i].multipliedFullWidth(by: w)
                            let (s1, c1) = lo.addingReportingOverflow(carry)
                            let (s2, c2) = s1.addingReportingOverflow(rp[i + j])
                            rp[i + j] = s2
                            carry = hi &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0)
                        }
                        rp[j + ap.count] = carry
                    }
                }
            }
        }
        normalize(&r)
        return r
    }

    /// (a / w, a % w) for w > 0.
    static func divModWord(_ a: Mag, _ w: UInt) -> (Mag, UInt) {
        var q = BigMag.buffer(a.count)
        var rem: UInt = 0
        q.withUnsafeMutableBufferPointer { qp in
            a.withUnsafeBufferPointer { ap in
                var i = ap.count - 1
                while i >= 0 {
                    let (qq, rr) = w.dividingFullWidth((high: rem, low: ap[i]))
                    qp[i] = qq
                    rem = rr
                    i -= 1
                }
            }
        }
        normalize(&q)
        return (q, rem)
    }

    static func isZero(_ a: Mag) -> Bool { a.isEmpty }

    /// Decimal text of a magnitude (with a '-' when `negative`): repeated division by 10^19
    /// in place, each remainder giving 19 digits.
    static func decimal(negative: Bool, _ mag: Mag) -> String {
        if mag.isEmpty { return "0" }
        let base: UInt = 10_000_000_000_000_000_000
        var m = mag
        var chunks: [UInt] = []
        chunks.reserveCapacity(mag.count + 1)
        m.withUnsafeMutableBufferPointer { mp in
            var n = mp.count
            while n > 0 {
                var rem: UInt = 0
                var i = n - 1
                while i >= 0 {
                    let (q, r) = base.dividingFullWidth((high: rem, low: mp[i]))
                    mp[i] = q
                    rem = r
                    i -= 1
                }
                chunks.append(rem)
                while n > 0 && mp[n - 1] == 0 { n -= 1 }
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(chunks.count * 19 + 1)
        if negative { out.append(UInt8(ascii: "-")) }
        var digits = [UInt8](repeating: 0, count: 19)
        for (k, c) in chunks.reversed().enumerated() {
            var v = c
            var j = 19
            while j > 0 {
                j -= 1
                digits[j] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
                v /= 10
            }
            if k == 0 {
                // The leading chunk without its leading zeros (it is not zero).
                var start = 0
                while start < 18 && digits[start] == 0x30 { start += 1 }
                out.append(contentsOf: digits[start...])
            } else {
                out.append(contentsOf: digits)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A signed big integer as sign and magnitude, for the fast paths.
struct SignedMag {
    var negative: Bool
    var mag: Mag

    init(negative: Bool, mag: Mag) {
        self.negative = negative && !mag.isEmpty
        self.mag = mag
    }

    init(_ i: Int) {
        negative = i < 0
        mag = i == 0 ? [] : [i.magnitude]
    }

    var value: Value {
        if mag.isEmpty { return .int(0) }
        if mag.count == 1 {
            let m = mag[0]
            if !negative, m <= UInt(Int.max) { return .int(Int(m)) }
            if negative, m <= UInt(Int.max) + 1 { return .int(m == UInt(Int.max) + 1 ? Int.min : -Int(m)) }
        }
        return .obj(PyBigInt(negative: negative, mag: mag))
    }

    static func + (a: SignedMag, b: SignedMag) -> SignedMag {
        if a.negative == b.negative { return SignedMag(negative: a.negative, mag: BigMag.add(a.mag, b.mag)) }
        let c = BigMag.compare(a.mag, b.mag)
        if c == 0 { return SignedMag(negative: false, mag: []) }
        if c > 0 { return SignedMag(negative: a.negative, mag: BigMag.sub(a.mag, b.mag)) }
        return SignedMag(negative: b.negative, mag: BigMag.sub(b.mag, a.mag))
    }

    static prefix func - (a: SignedMag) -> SignedMag { SignedMag(negative: !a.negative, mag: a.mag) }

    static func * (a: SignedMag, b: SignedMag) -> SignedMag {
        SignedMag(negative: a.negative != b.negative, mag: BigMag.mul(a.mag, b.mag))
    }
}

extension Value {
    /// An int (small or big, bools included) as sign and magnitude.
    @inline(__always)
    var signedMag: SignedMag? {
        switch self {
        case .int(let i): return SignedMag(i)
        case .bool(let b): return SignedMag(b ? 1 : 0)
        case .obj(let o) where o.kind == .bigint:
            let b = unsafeDowncast(o, to: PyBigInt.self)
            return SignedMag(negative: b.negative, mag: b.mag)
        default: return nil
        }
    }
}

extension Runtime {
    /// `a op b` for ints when one of them is big, without BigInt where a fast path exists;
    /// nil: use BigInt.
    func bigFast(_ op: BinaryOpKind, _ a: Value, _ b: Value) throws(PyErr) -> Value? {
        switch op {
        case .add, .sub, .mul:
            if op == .mul {
                // Big times small: one pass, no one-word array for the small side.
                if case .obj(let o) = a, o.kind == .bigint, case .int(let i) = b {
                    let x = unsafeDowncast(o, to: PyBigInt.self)
                    return SignedMag(negative: x.negative != (i < 0), mag: BigMag.mulWord(x.mag, i.magnitude)).value
                }
                if case .int(let i) = a, case .obj(let o) = b, o.kind == .bigint {
                    let y = unsafeDowncast(o, to: PyBigInt.self)
                    return SignedMag(negative: y.negative != (i < 0), mag: BigMag.mulWord(y.mag, i.magnitude)).value
                }
            }
            guard let x = a.signedMag, let y = b.signedMag else { return nil }
            if op == .mul && x.mag.count >= BigMag.karatsubaWords && y.mag.count >= BigMag.karatsubaWords { return nil }
            switch op {
            case .add: return (x + y).value
            case .sub: return (x + -y).value
            default: return (x * y).value
            }
        case .floorDiv, .mod:
            // A big number by a one-word divisor.
            guard let x = a.signedMag else { return nil }
            let d: Int
            switch b {
            case .int(let i): d = i
            default: return nil
            }
            if d == 0 { return nil }   // BigInt path raises ZeroDivisionError
            let (q, r) = BigMag.divModWord(x.mag, d.magnitude)
            // Truncated: x = q*d + r with r having x's sign. Python floors.
            let qNeg = x.negative != (d < 0)
            let rNonZero = r != 0
            if op == .floorDiv {
                var qm = SignedMag(negative: qNeg, mag: q)
                if rNonZero && qNeg { qm = qm + SignedMag(-1) }
                return qm.value
            }
            // Remainder with the divisor's sign.
            if !rNonZero { return .int(0) }
            let rs = x.negative ? -Int(r) : Int(r)   // r < |d| <= 2^63: fits
            if (rs < 0) != (d < 0) { return .int(rs + d) }
            return .int(rs)
        default:
            return nil
        }
    }
}
