// MersenneTwister.swift — MT19937 exactly as CPython 3.11's `_random` + `random.py`, and numpy's
// legacy `np.random` (RandomState) helpers.
//
// CPython seeding rules (random.seed(a), version 2):
//   * int a           -> init_by_array(32-bit little-endian words of abs(a)), at least one word
//                        (use `MersenneTwister(seed: Int)` or `MersenneTwister(seedMagnitudeWords:)` for big ints)
//   * str / bytes a   -> a = int.from_bytes(a_bytes + sha512(a_bytes).digest(), 'big'), then as int
//                        (`MersenneTwister(seedString:)`, `MersenneTwister(seedBytes:)`)
//   * float a         -> seeded with hash(a) cast to size_t (`MersenneTwister(seedHash: pyFloatHash(a))`)
//   * None / no arg   -> 624 random words from the OS (`MersenneTwister()`)
//   Any other type raises TypeError in 3.11 (caller's job). Seeding resets gauss_next.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

struct MersenneTwister {
    static let n = 624
    static let m = 397
    private var mt: [UInt32]
    private var index: Int
    /// random.gauss()'s cached second value (Random.gauss_next).
    var gaussNext: Double? = nil

    // MARK: seeding

    /// init_genrand(s) — plain 32-bit seeding (numpy's legacy seeding uses this).
    init(seed32 s: UInt32) {
        mt = [UInt32](repeating: 0, count: MersenneTwister.n)
        mt[0] = s
        for i in 1..<MersenneTwister.n {
            mt[i] = 1812433253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i)
        }
        index = MersenneTwister.n
    }

    /// init_by_array(key) — CPython's seeding for ints/str/bytes (key must be non-empty; an empty
    /// key is treated as [0]).
    init(seedKey key0: [UInt32]) {
        let key = key0.isEmpty ? [0] : key0
        self.init(seed32: 19650218)
        let n = MersenneTwister.n
        var i = 1
        var j = 0
        var k = max(n, key.count)
        while k > 0 {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1664525)) &+ key[j] &+ UInt32(truncatingIfNeeded: j)
            i += 1; j += 1
            if i >= n { mt[0] = mt[n - 1]; i = 1 }
            if j >= key.count { j = 0 }
            k -= 1
        }
        k = n - 1
        while k > 0 {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1566083941)) &- UInt32(truncatingIfNeeded: i)
            i += 1
            if i >= n { mt[0] = mt[n - 1]; i = 1 }
            k -= 1
        }
        mt[0] = 0x8000_0000
        index = n
    }

    /// The init_by_array key CPython uses for an int seed given |n| as little-endian 32-bit words:
    /// high zero words stripped, at least one word.
    static func keyForSeed(magnitudeWords: [UInt32]) -> [UInt32] {
        var w = magnitudeWords
        while w.count > 1 && w[w.count - 1] == 0 { w.removeLast() }
        if w.isEmpty { w = [0] }
        return w
    }

    /// random.seed(n) for an int n (abs(n) is used, as CPython does).
    init(seed: Int) {
        let mag = UInt64(seed.magnitude)
        self.init(seedKey: MersenneTwister.keyForSeed(magnitudeWords: [UInt32(truncatingIfNeeded: mag),
                                                                       UInt32(truncatingIfNeeded: mag >> 32)]))
    }

    /// random.seed(n) for an arbitrary-size int given abs(n) as little-endian 32-bit words.
    init(seedMagnitudeWords words: [UInt32]) {
        self.init(seedKey: MersenneTwister.keyForSeed(magnitudeWords: words))
    }

    /// Seeding by a hash value (float seeds: hash(x) reinterpreted as size_t).
    init(seedHash h: Int) {
        let u = UInt64(bitPattern: Int64(h))
        self.init(seedKey: MersenneTwister.keyForSeed(magnitudeWords: [UInt32(truncatingIfNeeded: u),
                                                                       UInt32(truncatingIfNeeded: u >> 32)]))
    }

    /// random.seed(b) for bytes/bytearray (version 2).
    init(seedBytes bytes: [UInt8]) {
        let all = bytes + SHA512.hash(bytes)   // big-endian integer
        var words: [UInt32] = []
        words.reserveCapacity(all.count / 4 + 1)
        var idx = all.count
        while idx > 0 {
            var w: UInt32 = 0
            let lo = max(0, idx - 4)
            for b in all[lo..<idx] { w = (w << 8) | UInt32(b) }
            words.append(w)
            idx = lo
        }
        self.init(seedKey: MersenneTwister.keyForSeed(magnitudeWords: words))
    }

    /// random.seed(s) for str (version 2): uses s.encode() (UTF-8).
    init(seedString s: String) {
        self.init(seedBytes: Array(s.utf8))
    }

    /// random.seed() / random.seed(None): 624 words from the OS entropy source.
    init() {
        var g = SystemRandomNumberGenerator()
        var key = [UInt32](repeating: 0, count: MersenneTwister.n)
        for i in 0..<key.count { key[i] = g.next() }
        self.init(seedKey: key)
    }

    // MARK: core

    private mutating func twist() {
        let n = MersenneTwister.n, m = MersenneTwister.m
        mt.withUnsafeMutableBufferPointer { p in
            @inline(__always) func mag(_ y: UInt32) -> UInt32 { (y & 1) != 0 ? 0x9908_b0df : 0 }
            var kk = 0
            while kk < n - m {
                let y = (p[kk] & 0x8000_0000) | (p[kk + 1] & 0x7fff_ffff)
                p[kk] = p[kk + m] ^ (y >> 1) ^ mag(y)
                kk += 1
            }
            while kk < n - 1 {
                let y = (p[kk] & 0x8000_0000) | (p[kk + 1] & 0x7fff_ffff)
                p[kk] = p[kk + m - n] ^ (y >> 1) ^ mag(y)
                kk += 1
            }
            let y = (p[n - 1] & 0x8000_0000) | (p[0] & 0x7fff_ffff)
            p[n - 1] = p[m - 1] ^ (y >> 1) ^ mag(y)
        }
        index = 0
    }

    /// genrand_uint32
    @inline(__always)
    mutating func nextUInt32() -> UInt32 {
        if index >= MersenneTwister.n { twist() }
        var y = mt[index]
        index += 1
        y ^= (y >> 11)
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= (y >> 18)
        return y
    }

    /// random.random() (genrand_res53).
    @inline(__always)
    mutating func random() -> Double {
        let a = nextUInt32() >> 5
        let b = nextUInt32() >> 6
        return (Double(a) * 67108864.0 + Double(b)) * (1.0 / 9007199254740992.0)
    }

    /// random.getrandbits(k) as little-endian 32-bit words (k >= 0; k == 0 gives [0]).
    /// The caller raises ValueError("number of bits must be non-negative") for k < 0.
    mutating func getrandbits(_ k: Int) -> [UInt32] {
        if k <= 0 { return [0] }
        if k <= 32 { return [nextUInt32() >> UInt32(32 - k)] }
        let words = (k - 1) / 32 + 1
        var out = [UInt32](repeating: 0, count: words)
        var kk = k
        for i in 0..<words {
            var r = nextUInt32()
            if kk < 32 { r >>= UInt32(32 - kk) }
            out[i] = r
            kk -= 32
        }
        return out
    }

    /// getrandbits(k) for 0 <= k <= 64 (same stream consumption as the general version).
    @inline(__always)
    mutating func getrandbits64(_ k: Int) -> UInt64 {
        if k <= 0 { return 0 }
        if k <= 32 { return UInt64(nextUInt32() >> UInt32(32 - k)) }
        let lo = UInt64(nextUInt32())
        var hi = nextUInt32()
        let rest = min(k, 64) - 32
        if rest < 32 { hi >>= UInt32(32 - rest) }
        return (UInt64(hi) << 32) | lo
    }

    /// Random._randbelow_with_getrandbits(n) for 0 < n <= Int.max (n <= 0 returns 0; the caller
    /// raises). For bigger n use getrandbits(n.bit_length()) words in a loop with the same rule.
    mutating func randbelow(_ n: Int) -> Int {
        if n <= 0 { return 0 }
        return Int(randbelow(UInt64(n)))
    }

    /// _randbelow for 0 < n < 2**64 (n == 0 returns 0).
    mutating func randbelow(_ n: UInt64) -> UInt64 {
        if n == 0 { return 0 }
        let k = UInt64.bitWidth - n.leadingZeroBitCount
        var r = getrandbits64(k)
        while r >= n { r = getrandbits64(k) }
        return r
    }

    // MARK: random.py methods

    /// random.randint(a, b) — requires a <= b (else CPython: ValueError
    /// "empty range for randrange() (a, b+1, width)"; here a is returned).
    mutating func randint(_ a: Int, _ b: Int) -> Int {
        if b < a { return a }
        let w = UInt64(bitPattern: Int64(b &- a))   // b - a, exact as unsigned
        if w == UInt64.max {
            // n = 2**64 -> k = 65 bits
            while true {
                let r = getrandbits(65)
                if r[2] == 0 { return a &+ Int(truncatingIfNeeded: UInt64(r[0]) | (UInt64(r[1]) << 32)) }
            }
        }
        return a &+ Int(truncatingIfNeeded: randbelow(w + 1))
    }

    /// random.randrange(start, stop, step) for a non-empty range (n = number of elements > 0).
    /// Returns nil when CPython would raise ValueError (empty range / zero step).
    mutating func randrange(_ start: Int, _ stop: Int, _ step: Int = 1) -> Int? {
        let (width, o1) = stop.subtractingReportingOverflow(start)
        if o1 { return nil }
        if step == 1 {
            return width > 0 ? start + randbelow(width) : nil
        }
        if step == 0 { return nil }
        let (num, o2) = width.addingReportingOverflow(step > 0 ? step - 1 : step + 1)
        if o2 { return nil }
        var n = num / step
        if num % step != 0 && ((num < 0) != (step < 0)) { n -= 1 }
        if n <= 0 { return nil }
        return start &+ step &* randbelow(n)
    }

    /// Index for random.choice(seq) with len(seq) == count > 0
    /// (CPython raises IndexError("Cannot choose from an empty sequence") for count == 0).
    mutating func choiceIndex(_ count: Int) -> Int { randbelow(count) }

    /// random.shuffle(x)
    mutating func shuffle<T>(_ a: inout [T]) {
        var i = a.count - 1
        while i >= 1 {
            let j = randbelow(i + 1)
            a.swapAt(i, j)
            i -= 1
        }
    }

    /// random.uniform(a, b)
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * random() }

    /// random.gauss(mu, sigma)
    mutating func gauss(mu: Double, sigma: Double) -> Double {
        var z = gaussNext
        gaussNext = nil
        if z == nil {
            let x2pi = random() * (2.0 * Double.pi)
            let g2rad = (-2.0 * log(1.0 - random())).squareRoot()
            z = cos(x2pi) * g2rad
            gaussNext = sin(x2pi) * g2rad
        }
        return mu + z! * sigma
    }

    /// random.normalvariate(mu, sigma) (Kinderman–Monahan)
    mutating func normalvariate(mu: Double, sigma: Double) -> Double {
        let nvMagic = 4 * exp(-0.5) / (2.0).squareRoot()
        var z = 0.0
        while true {
            let u1 = random()
            let u2 = 1.0 - random()
            z = nvMagic * (u1 - 0.5) / u2
            let zz = z * z / 4.0
            if zz <= -log(u2) { break }
        }
        return mu + z * sigma
    }

    /// random.expovariate(lambd) (lambd == 0 -> CPython ZeroDivisionError; caller checks)
    mutating func expovariate(_ lambd: Double) -> Double { -log(1.0 - random()) / lambd }

    /// random.triangular(low, high, mode) (mode nil = midpoint)
    mutating func triangular(low: Double = 0.0, high: Double = 1.0, mode: Double? = nil) -> Double {
        var u = random()
        var low = low, high = high
        var c = 0.5
        if let m = mode {
            if high - low == 0 { return low }   // ZeroDivisionError path in CPython returns low
            c = (m - low) / (high - low)
        }
        if u > c {
            u = 1.0 - u
            c = 1.0 - c
            swap(&low, &high)
        }
        return low + (high - low) * (u * c).squareRoot()
    }

    /// Indices chosen by random.sample(population, k) for len(population) == n
    /// (0 <= k <= n, else CPython: ValueError("Sample larger than population or is negative")).
    mutating func sampleIndices(n: Int, k: Int) -> [Int] {
        if k < 0 || k > n { return [] }
        var result = [Int](repeating: 0, count: k)
        var setsize = 21
        if k > 5 {
            let e = (log(Double(k * 3)) / log(4.0)).rounded(.up)
            setsize += Int(pow(4.0, e))
        }
        if n <= setsize {
            var pool = Array(0..<n)
            for i in 0..<k {
                let j = randbelow(n - i)
                result[i] = pool[j]
                pool[j] = pool[n - i - 1]
            }
        } else {
            var selected = Set<Int>()
            for i in 0..<k {
                var j = randbelow(n)
                while selected.contains(j) { j = randbelow(n) }
                selected.insert(j)
                result[i] = j
            }
        }
        return result
    }

    /// Index for one unweighted random.choices() draw: floor(random() * n).
    mutating func choicesIndex(_ n: Int) -> Int { Int((random() * Double(n)).rounded(.down)) }

    /// Index for one weighted random.choices() draw given cumulative weights
    /// (bisect_right(cum, random() * total, 0, n - 1)).
    mutating func choicesIndex(cumWeights cum: [Double]) -> Int {
        guard let total0 = cum.last else { return 0 }
        let total = total0 + 0.0
        let x = random() * total
        var lo = 0, hi = cum.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if x < cum[mid] { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

// MARK: - numpy legacy RandomState

/// numpy's legacy global RandomState (`np.random.seed(n)`, `rand`, `randn`, `randint`, ...).
struct NumpyLegacyRandom {
    var mt: MersenneTwister
    var hasGauss = false
    var gauss = 0.0

    /// np.random.seed(n) for 0 <= n <= 2**32-1 (init_genrand).
    init(seed: UInt32) { mt = MersenneTwister(seed32: seed) }

    /// np.random.seed(n); nil when numpy raises ValueError("Seed must be between 0 and 2**32 - 1").
    static func make(seed: Int) -> NumpyLegacyRandom? {
        guard seed >= 0, seed <= 0xFFFF_FFFF else { return nil }
        return NumpyLegacyRandom(seed: UInt32(seed))
    }

    /// np.random.seed() / seed(None): OS entropy.
    init() { mt = MersenneTwister() }

    mutating func nextUInt32() -> UInt32 { mt.nextUInt32() }
    /// mt19937_next64: high word first.
    mutating func nextUInt64() -> UInt64 {
        let hi = UInt64(mt.nextUInt32())
        let lo = UInt64(mt.nextUInt32())
        return (hi << 32) | lo
    }

    /// np.random.rand() / random_sample() / random()
    mutating func rand() -> Double { mt.random() }

    /// np.random.randn() / standard_normal() (legacy polar Box–Muller with caching)
    mutating func randn() -> Double {
        if hasGauss {
            hasGauss = false
            let t = gauss
            gauss = 0
            return t
        }
        var x1 = 0.0, x2 = 0.0, r2 = 0.0
        repeat {
            x1 = 2.0 * mt.random() - 1.0
            x2 = 2.0 * mt.random() - 1.0
            r2 = x1 * x1 + x2 * x2
        } while r2 >= 1.0 || r2 == 0.0
        let f = (-2.0 * log(r2) / r2).squareRoot()
        gauss = f * x1
        hasGauss = true
        return f * x2
    }

    /// np.random.normal(loc, scale)
    mutating func normal(loc: Double = 0.0, scale: Double = 1.0) -> Double { loc + scale * randn() }

    /// np.random.uniform(low, high)
    mutating func uniform(low: Double = 0.0, high: Double = 1.0) -> Double { low + (high - low) * mt.random() }

    /// Bounded draw in [0, rng] exactly like random_bounded_uint64_fill(use_masked: true).
    mutating func boundedMasked(_ rng: UInt64) -> UInt64 {
        if rng == 0 { return 0 }
        if rng <= 0xFFFF_FFFF {
            if rng == 0xFFFF_FFFF { return UInt64(mt.nextUInt32()) }
            let mask = UInt32(truncatingIfNeeded: NumpyLegacyRandom.genMask(rng))
            while true {
                let v = mt.nextUInt32() & mask
                if UInt64(v) <= rng { return UInt64(v) }
            }
        }
        if rng == UInt64.max { return nextUInt64() }
        let mask = NumpyLegacyRandom.genMask(rng)
        while true {
            let v = nextUInt64() & mask
            if v <= rng { return v }
        }
    }

    static func genMask(_ max: UInt64) -> UInt64 {
        var m = max
        m |= m >> 1; m |= m >> 2; m |= m >> 4; m |= m >> 8; m |= m >> 16; m |= m >> 32
        return m
    }

    /// np.random.randint(low, high) (high exclusive; default int64 dtype). Requires low < high
    /// (numpy: ValueError("low >= high")). randint(n) == randint(0, n).
    mutating func randint(_ low: Int, _ high: Int) -> Int {
        if high <= low { return low }
        let rng = UInt64(bitPattern: Int64(high &- low &- 1))
        return low &+ Int(truncatingIfNeeded: boundedMasked(rng))
    }

    /// np.random.choice(n) (integer population, uniform, with replacement) -> randint(0, n).
    mutating func choice(_ n: Int) -> Int { randint(0, n) }

    /// random_interval(max): value in [0, max] (used by legacy shuffle/permutation).
    mutating func interval(_ max: UInt64) -> UInt64 {
        if max == 0 { return 0 }
        let mask = NumpyLegacyRandom.genMask(max)
        if max <= 0xFFFF_FFFF {
            while true {
                let v = UInt64(mt.nextUInt32()) & mask
                if v <= max { return v }
            }
        }
        while true {
            let v = nextUInt64() & mask
            if v <= max { return v }
        }
    }

    /// np.random.shuffle(x) for a 1-D sequence.
    mutating func shuffle<T>(_ a: inout [T]) {
        var i = a.count - 1
        while i >= 1 {
            let j = Int(interval(UInt64(i)))
            a.swapAt(i, j)
            i -= 1
        }
    }

    /// np.random.permutation(n)
    mutating func permutation(_ n: Int) -> [Int] {
        var a = Array(0..<max(0, n))
        shuffle(&a)
        return a
    }
}
