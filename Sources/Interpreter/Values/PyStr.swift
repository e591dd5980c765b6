#if canImport(Glibc)
import Glibc
#endif

/// A Python str: immutable Unicode text. Equality and hashing are on Unicode scalars (Python
/// does not normalise: "é" != "e\u{301}"), never Swift's canonical-equivalence `==`.
public final class PyStr: PyObject {
    public let value: String
    private var hashCache: Int = 0
    private var hashDone = false
    private var scalarCache: [Unicode.Scalar]?
    private var countCache: Int = -1
    private var asciiCache: UInt8 = 2  // 0 no, 1 yes, 2 unknown

    public init(_ value: String) {
        self.value = value
        super.init(kind: .str)
    }

    /// Number of code points (Python's `len`).
    public var count: Int {
        if countCache >= 0 { return countCache }
        let n = isASCII ? value.utf8.count : value.unicodeScalars.count
        countCache = n
        return n
    }

    public var isASCII: Bool {
        if asciiCache == 2 {
            var ascii = true
            for b in value.utf8 where b >= 0x80 { ascii = false; break }
            asciiCache = ascii ? 1 : 0
        }
        return asciiCache == 1
    }

    /// The code points, for random access on non-ASCII text.
    public var scalars: [Unicode.Scalar] {
        if let s = scalarCache { return s }
        let s = Array(value.unicodeScalars)
        scalarCache = s
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

    public var hashValue64: Int {
        if hashDone { return hashCache }
        // FNV-1a over the UTF-8 bytes: deterministic across runs (unlike CPython's, which is
        // randomised, so no program may depend on it).
        var h: UInt64 = 0xcbf29ce484222325
        for b in value.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100000001b3
        }
        var r = Int(bitPattern: UInt(h))
        if r == -1 { r = -2 }
        hashCache = r
        hashDone = true
        return r
    }

    public func equals(_ other: PyStr) -> Bool {
        if self === other { return true }
        if hashDone && other.hashDone && hashCache != other.hashCache { return false }
        return strBytesEqual(value, other.value)
    }
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

/// Compares strings by code point, as Python orders them.
func strCompare(_ a: String, _ b: String) -> Int {
    // UTF-8 byte order equals code point order.
    var ia = a.utf8.makeIterator(), ib = b.utf8.makeIterator()
    while true {
        let x = ia.next(), y = ib.next()
        switch (x, y) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let p?, let q?):
            if p != q { return p < q ? -1 : 1 }
        }
    }
}

/// One-character strings for ASCII, shared, so iterating over text does not allocate.
let asciiCharStrings: [PyStr] = (0..<128).map { PyStr(String(Unicode.Scalar(UInt8($0)))) }

@inline(__always)
func charString(_ s: Unicode.Scalar) -> Value {
    if s.value < 128 { return .obj(asciiCharStrings[Int(s.value)]) }
    return .obj(PyStr(String(s)))
}
