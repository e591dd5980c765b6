// TextBuilder: the output of an f-string, `str.format` or `%`, built as UTF-8 bytes.
//
// Appending to a Swift String checks uniqueness, capacity and flags on every piece; the pieces
// of a formatted string are many and short, so they go into a byte array instead (reused from
// one formatting to the next, see `Runtime.takeTextStorage`) and become a String once. Whether
// the text is ASCII is tracked on the way (numbers are, strs know), so the resulting str knows
// its length without a scan.

/// The bytes of a TextBuilder: a plain growable block (no uniqueness or bounds checks per
/// append), kept by the runtime between formattings.
final class TextBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 32)
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Room for `n` more bytes; where they go.
    @inline(__always)
    func reserve(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if n > capacity - count { grow(n) }
        return base + count
    }

    @inline(never)
    private func grow(_ n: Int) {
        let newCapacity = Swift.max(capacity * 2, count + n)
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        b.initialize(from: base, count: count)
        base.deallocate()
        base = b
        capacity = newCapacity
    }
}

struct TextBuilder {
    let buffer: TextBuffer
    /// Every byte so far is ASCII.
    private(set) var ascii = true

    /// A builder over `storage` (emptied), or over a new buffer.
    init(storage: TextBuffer?, capacity: Int) {
        if let storage {
            buffer = storage
            storage.count = 0
        } else {
            buffer = TextBuffer(capacity: capacity)
        }
    }

    init() { buffer = TextBuffer(capacity: 32) }

    var isEmpty: Bool { buffer.count == 0 }

    /// UTF-8 bytes of whole code points.
    @inline(__always)
    mutating func append(utf8 p: UnsafeBufferPointer<UInt8>) {
        if ascii && !utf8IsASCII(p) { ascii = false }
        copy(p)
    }

    /// UTF-8 bytes known to be ASCII or not.
    @inline(__always)
    mutating func append(utf8 p: UnsafeBufferPointer<UInt8>, ascii isASCII: Bool) {
        if !isASCII { ascii = false }
        copy(p)
    }

    @inline(__always)
    private func copy(_ p: UnsafeBufferPointer<UInt8>) {
        let n = p.count
        guard n > 0, let src = p.baseAddress else { return }
        buffer.reserve(n).initialize(from: src, count: n)
        buffer.count += n
    }

    /// Text of unknown ASCII-ness.
    @inline(__always)
    mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { append(utf8: $0) }
    }

    /// Text known to be ASCII (digits, signs, literal punctuation).
    @inline(__always)
    mutating func appendASCII(_ s: String) {
        var s = s
        s.withUTF8 { copy($0) }
    }

    /// Text known to be ASCII or not.
    @inline(__always)
    mutating func append(_ s: String, ascii isASCII: Bool) {
        if !isASCII { ascii = false }
        var s = s
        s.withUTF8 { copy($0) }
    }

    @inline(__always)
    mutating func append(_ s: PyStr) {
        if ascii && !s.isASCII { ascii = false }
        s.withBytes { copy($0) }
    }

    @inline(__always)
    mutating func appendByte(_ b: UInt8) {
        if b >= 0x80 { ascii = false }
        buffer.reserve(1).pointee = b
        buffer.count += 1
    }

    /// `n` copies of the ASCII byte `b`.
    @inline(__always)
    mutating func appendRepeated(_ b: UInt8, _ n: Int) {
        if n <= 0 { return }
        if b >= 0x80 { ascii = false }
        buffer.reserve(n).initialize(repeating: b, count: n)
        buffer.count += n
    }

    /// Decimal digits of `i`, with '-' when negative.
    @inline(__always)
    mutating func appendInt(_ i: Int) {
        if i < 0 { appendByte(UInt8(ascii: "-")) }
        appendDigits(i.magnitude)
    }

    func appendDigits(_ v: UInt) {
        var n = 1
        var t = v
        while t >= 10 { t /= 10; n += 1 }
        let p = buffer.reserve(n)
        var v = v
        var k = n
        while v >= 10 {
            k -= 1
            p[k] = UInt8(truncatingIfNeeded: v % 10) &+ 48
            v /= 10
        }
        p[k - 1] = UInt8(truncatingIfNeeded: v) &+ 48
        buffer.count += n
    }

    /// The text as a str object (knowing its length when it is ASCII).
    func pyStr() -> PyStr {
        let s = string
        return ascii ? PyStr(s, ascii: true) : PyStr(s)
    }

    var string: String { String(decoding: UnsafeBufferPointer(start: buffer.base, count: buffer.count), as: UTF8.self) }
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
    func takeTextStorage() -> TextBuffer? {
        let b = formatTemplates.textStorage
        formatTemplates.textStorage = nil
        return b
    }

    /// Gives a builder's bytes back for the next formatting (not when they grew large).
    @inline(__always)
    func returnTextStorage(_ b: TextBuilder) {
        if b.buffer.capacity <= 1 << 16 { formatTemplates.textStorage = b.buffer }
    }
}
