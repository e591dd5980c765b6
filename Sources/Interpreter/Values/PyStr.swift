#if canImport(Glibc)
import Glibc
#endif

/// A Python str: immutable Unicode text. Equality and hashing are on Unicode scalars (Python
/// does not normalise: "é" != "e\u{301}"), never Swift's canonical-equivalence `==`.
public final class PyStr: PyObject {
    // Layout: the two flags fill the bytes after `kind` (PyObject's flag0 and flag1), and
    // what only non-ASCII text needs lives in a side object, so a str is 56 bytes (a 64-byte
    // block, as CPython's short strs); it was 73 (a 96-byte block).
    private var asciiCache: UInt8 {  // 0 no, 1 yes, 2 unknown
        @inline(__always) get { flag0 }
        @inline(__always) set { flag0 = newValue }
    }
    private var hashDone: Bool {
        @inline(__always) get { flag1 != 0 }
        @inline(__always) set { flag1 = newValue ? 1 : 0 }
    }
    public private(set) var value: String
    private var hashCache: Int = 0
    /// Code-point count and code points of non-ASCII text, made when first needed.
    private var nonASCII: NonASCIIText?

    public init(_ value: String) {
        self.value = value
        super.init(kind: .str, flag0: 2)
    }

    /// A string already known to be ASCII or not (pieces of an ASCII string are ASCII).
    init(_ value: String, ascii: Bool) {
        self.value = value
        super.init(kind: .str, flag0: ascii ? 1 : 0)
    }

    /// Calls `body` with the UTF-8 bytes (no copy for native strings).
    @inline(__always)
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var v = value
        return v.withUTF8(body)
    }

    /// Number of code points (Python's `len`).
    public var count: Int {
        if isASCII { return value.utf8.count }
        return nonASCIIText.count
    }

    public var isASCII: Bool {
        @inline(__always) get {
            if asciiCache != 2 { return asciiCache == 1 }
            return computeASCII()
        }
    }

    /// The UTF-8 byte at offset `i`, or nil past the end.
    @inline(__always)
    func byte(at i: Int) -> UInt8? {
        let u = value.utf8
        guard i >= 0 && i < u.count else { return nil }
        return u[u.index(u.startIndex, offsetBy: i)]
    }

    /// ASCII, as far as already known (never scans).
    var knownASCII: Bool { asciiCache == 1 }

    @inline(never)
    private func computeASCII() -> Bool {
        let ascii = withBytes { buf -> Bool in
            var i = 0
            let n = buf.count
            guard let base = buf.baseAddress else { return true }
            // Eight bytes at a time, then the tail.
            let raw = UnsafeRawPointer(base)
            while i + 8 <= n {
                if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                i += 8
            }
            while i < n {
                if buf[i] >= 0x80 { return false }
                i += 1
            }
            return true
        }
        asciiCache = ascii ? 1 : 0
        return ascii
    }

    private var nonASCIIText: NonASCIIText {
        if let t = nonASCII { return t }
        let t = NonASCIIText(count: value.unicodeScalars.count)
        nonASCII = t
        return t
    }

    /// The code points, for random access on non-ASCII text.
    public var scalars: [Unicode.Scalar] {
        let t = nonASCIIText
        if let s = t.scalars { return s }
        let s = Array(value.unicodeScalars)
        t.scalars = s
        return s
    }

    /// The code point at index `i` (0 ≤ i < count).
    public func scalar(at i: Int) -> Unicode.Scalar {
        if isASCII {
            let u = value.utf8
            return Unicode.Scalar(u[u.index(u.startIndex, offsetBy: i)])
        }
        return scalars[i]
    }

    /// The hash, computed once (the cached read is inlined into dict and set lookups).
    public var hashValue64: Int {
        @inline(__always) get { hashDone ? hashCache : computeHash() }
    }

    @inline(never)
    private func computeHash() -> Int {
        // FNV-1a over the UTF-8 bytes: deterministic across runs (unlike CPython's, which is
        // randomised, so no program may depend on it).
        var h: UInt64 = 0xcbf29ce484222325
        for b in value.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100000001b3
        }
        // FNV's low bits mix poorly (they depend only on the bytes' low bits), and hash tables
        // index by the low bits: finish with murmur3's mixer.
        h ^= h >> 33
        h = h &* 0xff51afd7ed558ccd
        h ^= h >> 33
        h = h &* 0xc4ceb9fe1a85ec53
        h ^= h >> 33
        var r = Int(bitPattern: UInt(h))
        if r == -1 { r = -2 }
        hashCache = r
        hashDone = true
        return r
    }

    /// Appends in place. Only for a string no one else can see (see `Runtime.appendInPlace`).
    func append(_ suffix: PyStr) {
        value.append(suffix.value)
        hashDone = false
        nonASCII = nil
        if asciiCache == 1 && !suffix.isASCII { asciiCache = 0 }
    }

    public func equals(_ other: PyStr) -> Bool {
        if self === other { return true }
        if hashDone && other.hashDone && hashCache != other.hashCache { return false }
        return strBytesEqual(value, other.value)
    }
}

/// What a non-ASCII str computes once: its length in code points, and the code points for
/// random access.
final class NonASCIIText {
    let count: Int
    var scalars: [Unicode.Scalar]?
    init(count: Int) { self.count = count }
}

@inline(__always)
func strBytesEqual(_ a: String, _ b: String) -> Bool {
    let au = a.utf8, bu = b.utf8
    if au.count != bu.count { return false }
    if let r = au.withContiguousStorageIfAvailable({ pa in
        bu.withContiguousStorageIfAvailable({ pb in
            pa.count == 0 || memcmp(pa.baseAddress!, pb.baseAddress!, pa.count) == 0
        })
    }), let eq = r { return eq }
    return au.elementsEqual(bu)
}

/// `a + b` as one allocation and two copies.
func concatStrings(_ a: PyStr, _ b: PyStr) -> String {
    a.withBytes { pa in
        b.withBytes { pb in
            String(unsafeUninitializedCapacity: pa.count + pb.count) { out in
                if let o = out.baseAddress {
                    if let x = pa.baseAddress { o.initialize(from: x, count: pa.count) }
                    if let y = pb.baseAddress { (o + pa.count).initialize(from: y, count: pb.count) }
                }
                return pa.count + pb.count
            }
        }
    }
}

/// Compares strings by code point, as Python orders them.
func strCompare(_ a: String, _ b: String) -> Int {
    // UTF-8 byte order equals code point order.
    var a = a, b = b
    return a.withUTF8 { pa in
        b.withUTF8 { pb in
            let n = Swift.min(pa.count, pb.count)
            if n > 0, let x = pa.baseAddress, let y = pb.baseAddress {
                let c = memcmp(x, y, n)
                if c != 0 { return c < 0 ? -1 : 1 }
            }
            return pa.count < pb.count ? -1 : (pa.count > pb.count ? 1 : 0)
        }
    }
}

/// `s += t` without copying `s`, when the slot holds the only reference to `s` (CPython does
/// the same with its reference count), so string-building loops stay linear.
@inline(__always)
func appendInPlace(_ slot: UnsafeMutablePointer<Value>, _ suffix: Value) -> Bool {
    guard case .obj = slot.pointee, case .obj(let so) = suffix, so.kind == .str else { return false }
    // The slot's payload is the object reference at offset 0: check its count in place,
    // before binding it to anything that would take another reference.
    let raw = UnsafeMutableRawPointer(slot)
    let unique = raw.withMemoryRebound(to: PyObject.self, capacity: 1) { isKnownUniquelyReferenced(&$0.pointee) }
    guard unique else { return false }
    let target = raw.load(as: Unmanaged<PyObject>.self)
    return target._withUnsafeGuaranteedRef { o in
        guard o.kind == .str else { return false }
        unsafeDowncast(o, to: PyStr.self).append(unsafeDowncast(so, to: PyStr.self))
        return true
    }
}

/// One-character strings for ASCII, shared, so iterating over text does not allocate.
let asciiCharStrings: [PyStr] = (0..<128).map { PyStr(String(Unicode.Scalar(UInt8($0)))) }

@inline(__always)
func charString(_ s: Unicode.Scalar) -> Value {
    if s.value < 128 { return .obj(asciiCharStrings[Int(s.value)]) }
    return .obj(PyStr(String(s)))
}
