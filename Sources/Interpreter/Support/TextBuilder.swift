// TextBuilder: the output of an f-string, `str.format` or `%`, built as UTF-8 bytes.
//
// Appending to a Swift String checks uniqueness, capacity and flags on every piece; the pieces
// of a formatted string are many and short, so they go into a byte array instead (reused from
// one formatting to the next, see `Runtime.takeTextStorage`) and become a String once. Whether
// the text is ASCII is tracked on the way (numbers are, strs know), so the resulting str knows
// its length without a scan.

struct TextBuilder {
    private(set) var bytes: [UInt8]
    /// Every byte so far is ASCII.
    private(set) var ascii = true

    init(storage: [UInt8], capacity: Int) {
        bytes = storage
        bytes.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(capacity)
    }

    init() { bytes = [] }

    var isEmpty: Bool { bytes.isEmpty }

    /// Text of unknown ASCII-ness.
    @inline(__always)
    mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { p in
            if ascii && !utf8IsASCII(p) { ascii = false }
            bytes.append(contentsOf: p)
        }
    }

    /// Text known to be ASCII (digits, signs, literal punctuation).
    @inline(__always)
    mutating func appendASCII(_ s: String) {
        var s = s
        s.withUTF8 { p in bytes.append(contentsOf: p) }
    }

    /// Text known to be ASCII or not.
    @inline(__always)
    mutating func append(_ s: String, ascii isASCII: Bool) {
        if !isASCII { ascii = false }
        var s = s
        s.withUTF8 { p in bytes.append(contentsOf: p) }
    }

    @inline(__always)
    mutating func append(_ s: PyStr) {
        if ascii && !s.isASCII { ascii = false }
        s.withBytes { p in bytes.append(contentsOf: p) }
    }

    /// UTF-8 bytes of whole code points.
    @inline(__always)
    mutating func append(utf8 p: UnsafeBufferPointer<UInt8>) {
        if ascii && !utf8IsASCII(p) { ascii = false }
        bytes.append(contentsOf: p)
    }

    /// UTF-8 bytes known to be ASCII or not.
    @inline(__always)
    mutating func append(utf8 p: UnsafeBufferPointer<UInt8>, ascii isASCII: Bool) {
        if !isASCII { ascii = false }
        bytes.append(contentsOf: p)
    }

    @inline(__always)
    mutating func appendByte(_ b: UInt8) {
        if b >= 0x80 { ascii = false }
        bytes.append(b)
    }

    /// `n` copies of the ASCII byte `b`.
    @inline(__always)
    mutating func appendRepeated(_ b: UInt8, _ n: Int) {
        if n <= 0 { return }
        if b >= 0x80 { ascii = false }
        bytes.append(contentsOf: repeatElement(b, count: n))
    }

    /// Decimal digits of `i`, with '-' when negative.
    @inline(__always)
    mutating func appendInt(_ i: Int) {
        if i < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(i.magnitude)
    }

    mutating func appendDigits(_ v: UInt) {
        var n = 1
        var t = v
        while t >= 10 { t /= 10; n += 1 }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: n))
        bytes.withUnsafeMutableBufferPointer { p in
            var v = v
            var k = start + n
            while v >= 10 {
                k -= 1
                p[k] = UInt8(truncatingIfNeeded: v % 10) &+ 48
                v /= 10
            }
            p[k - 1] = UInt8(truncatingIfNeeded: v) &+ 48
        }
    }

    /// The text as a str object (knowing its length when it is ASCII).
    func pyStr() -> PyStr {
        let s = String(decoding: bytes, as: UTF8.self)
        return ascii ? PyStr(s, ascii: true) : PyStr(s)
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// Whether UTF-8 bytes are all ASCII (eight at a time).
@inline(__always)
func utf8IsASCII(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = p.baseAddress else { return true }
    let n = p.count
    var i = 0
    let raw = UnsafeRawPointer(base)
    while i + 8 <= n {
        if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
        i += 8
    }
    while i < n {
        if base[i] >= 0x80 { return false }
        i += 1
    }
    return true
}

extension Runtime {
    /// A byte array to build text in: the one kept from the last formatting (emptied, its
    /// capacity kept), or a new one when that is in use (formatting inside `__format__`).
    @inline(__always)
    func takeTextStorage() -> [UInt8] {
        var s: [UInt8] = []
        swap(&s, &formatTemplates.textStorage)
        return s
    }

    /// Gives a builder's bytes back for the next formatting (not when they grew large).
    @inline(__always)
    func returnTextStorage(_ b: TextBuilder) {
        if b.bytes.capacity <= 1 << 16 { formatTemplates.textStorage = b.bytes }
    }
}
