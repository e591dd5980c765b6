// `str.format` and `%` templates, digested once per string object.
//
// The digest follows CPython 3.11's parsers step by step (Objects/stringlib/unicode_format.h
// for str.format, unicode_format_arg_parse in Objects/unicodeobject.c for `%`). CPython
// parses lazily, while formatting: a malformed template raises only when the formatting
// reaches the bad spot, after the fields before it have been formatted (and their
// `__format__`/`__repr__`/`__getattr__` have run). So a parse error does not fail the digest:
// it becomes a piece that raises when reached, and the pieces before it run as usual.
//
// Templates are cached per string object (a string literal is one object for the life of its
// code), in a small direct-mapped table that holds the string alive, so an address can never
// be reused by another string while its entry is there.

// MARK: - Shared helpers

/// Py_UNICODE_TODECIMAL: the value of a decimal digit (any script), else -1.
@inline(__always)
func pyDecimalDigitValue(_ u: Unicode.Scalar) -> Int {
    if u.value >= 48 && u.value <= 57 { return Int(u.value - 48) }
    if u.isASCII { return -1 }
    if u.properties.numericType == .decimal, let v = u.properties.numericValue, v >= 0, v <= 9 {
        return Int(v)
    }
    return -1
}

/// unicode_format.h's get_integer over UTF-8 bytes.
enum FieldInteger {
    case notInteger
    case value(Int)
    case overflow
}

func fieldInteger(_ bytes: ArraySlice<UInt8>) -> FieldInteger {
    if bytes.isEmpty { return .notInteger }
    var acc = 0
    var ascii = true
    for b in bytes {
        if b >= 0x80 { ascii = false; break }
        if b < 48 || b > 57 { return .notInteger }
        let d = Int(b - 48)
        if acc > (Int.max - d) / 10 { return .overflow }
        acc = acc * 10 + d
    }
    if ascii { return .value(acc) }
    acc = 0
    for u in String(decoding: bytes, as: UTF8.self).unicodeScalars {
        let d = pyDecimalDigitValue(u)
        if d < 0 { return .notInteger }
        if acc > (Int.max - d) / 10 { return .overflow }
        acc = acc * 10 + d
    }
    return .value(acc)
}

@inline(__always)
private func text(_ b: ArraySlice<UInt8>) -> String { String(decoding: b, as: UTF8.self) }

/// The code point starting at byte `i` of valid UTF-8, and its length in bytes.
private func decodeScalar(_ b: [UInt8], _ i: Int) -> (UInt32, Int) {
    let c = b[i]
    if c < 0x80 { return (UInt32(c), 1) }
    var n = 2
    if c >= 0xF0 { n = 4 } else if c >= 0xE0 { n = 3 }
    n = min(n, b.count - i)
    var it = String(decoding: b[i..<(i + n)], as: UTF8.self).unicodeScalars.makeIterator()
    return (it.next()?.value ?? 0xFFFD, n)
}

// MARK: - str.format

final class FormatField {
    enum First {
        case auto
        case index(Int)
        case key(String)
        case error(String)
    }
    enum Access {
        case attr(String)
        case index(Int)
        case key(String)
        case error(String)
    }
    enum Spec {
        case empty
        /// A constant spec, parsed once (when it does not parse, formatting raises the
        /// parse error for the value's type).
        case constant(ConstantSpec)
        /// A spec with replacement fields, formatted first (sharing the numbering).
        case nested(FormatTemplate)
    }
    let first: First
    let rest: [Access]
    /// 0, or the conversion character after '!'.
    let conversion: UInt32
    let spec: Spec

    init(first: First, rest: [Access], conversion: UInt32, spec: Spec) {
        self.first = first
        self.rest = rest
        self.conversion = conversion
        self.spec = spec
    }
}

/// One step of a `str.format` template: the literal text before it, then a field or an
/// error (or nothing, for the text at the end). Plain data, so formatting walks a template
/// without retaining anything; what the common fields do not need is in `FormatField`.
struct FormatItem {
    static let textOnly: UInt8 = 0, field: UInt8 = 1, error: UInt8 = 2
    /// The template's literal bytes before this item: litStart..<litEnd.
    var litStart = 0
    var litEnd = 0
    var litASCII = true
    var kind: UInt8 = 0
    /// 0: `{}` (the next automatic number), 1: `{N}` (`index`); 2: anything else, such as a
    /// keyword or `.attr`/`[key]` parts (see the FormatField).
    var first: UInt8 = 2
    var index = 0
    /// 0, or the conversion character after '!'.
    var conversion: UInt32 = 0
    /// 0: no spec, 1: a constant spec, 2: a spec with fields in it.
    var specKind: UInt8 = 0
    /// Index in the template's `fields` (a field) or `errors` (an error).
    var slot = 0
}

final class FormatTemplate {
    enum Piece {
        /// Literal text, and whether it is ASCII.
        case text(String, Bool)
        case field(FormatField)
        /// A ValueError the formatting raises when it gets here.
        case error(String)
    }
    /// All the literal text ('{{' as '{'), in one block.
    let literal: UnsafeMutableBufferPointer<UInt8>
    let items: UnsafeMutableBufferPointer<FormatItem>
    /// The digest of each item's constant spec (`FastSpec.nothing` for the others), apart from
    /// the items so that walking them copies less.
    let fastSpecs: UnsafeMutableBufferPointer<FastSpec>
    let count: Int
    let fields: [FormatField]
    let errors: [String]
    /// Bytes of literal text, plus a few per field: the output's likely size.
    let estimate: Int

    init(pieces: [Piece]) {
        var lit: [UInt8] = []
        var items: [FormatItem] = []
        var fields: [FormatField] = []
        var errors: [String] = []
        var fast: [FastSpec] = []
        var cur = FormatItem()
        for p in pieces {
            switch p {
            case .text(let s, let ascii):
                lit.append(contentsOf: s.utf8)
                if !ascii { cur.litASCII = false }
                continue
            case .field(let f):
                cur.kind = FormatItem.field
                switch f.first {
                case .auto where f.rest.isEmpty: cur.first = 0
                case .index(let n) where f.rest.isEmpty: cur.first = 1; cur.index = n
                default: cur.first = 2
                }
                cur.conversion = f.conversion
                switch f.spec {
                case .empty: cur.specKind = 0
                case .constant(let c): cur.specKind = 1; fast.append(c.fast)
                case .nested: cur.specKind = 2
                }
                cur.slot = fields.count
                fields.append(f)
            case .error(let m):
                cur.kind = FormatItem.error
                cur.slot = errors.count
                errors.append(m)
            }
            if fast.count == items.count { fast.append(.nothing) }
            cur.litEnd = lit.count
            items.append(cur)
            cur = FormatItem()
            cur.litStart = lit.count
        }
        if lit.count > cur.litStart {
            cur.litEnd = lit.count
            items.append(cur)
            fast.append(.nothing)
        }
        fastSpecs = UnsafeMutableBufferPointer.allocate(capacity: Swift.max(fast.count, 1))
        _ = fastSpecs.initialize(from: fast)
        literal = UnsafeMutableBufferPointer.allocate(capacity: Swift.max(lit.count, 1))
        _ = literal.initialize(from: lit)
        self.items = UnsafeMutableBufferPointer.allocate(capacity: Swift.max(items.count, 1))
        _ = self.items.initialize(from: items)
        count = items.count
        self.fields = fields
        self.errors = errors
        estimate = lit.count + 8 * fields.count
    }

    deinit {
        literal.deallocate()
        items.deallocate()
        fastSpecs.deallocate()
    }

    @inline(__always)
    func literalText(_ it: FormatItem) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: literal[it.litStart..<it.litEnd])
    }

    /// MarkupIterator_next + parse_field + field_name_split over a whole template.
    static func parse(_ s: String) -> FormatTemplate {
        parse(Array(s.utf8)[...])
    }

    static func parse(_ b: ArraySlice<UInt8>) -> FormatTemplate {
        let b = Array(b)
        let n = b.count
        var pieces: [Piece] = []
        var lit: [UInt8] = []
        func flush() {
            if !lit.isEmpty {
                pieces.append(.text(String(decoding: lit, as: UTF8.self), lit.allSatisfy { $0 < 0x80 }))
                lit.removeAll()
            }
        }
        func fail(_ m: String) -> FormatTemplate {
            flush()
            pieces.append(.error(m))
            return FormatTemplate(pieces: pieces)
        }
        let lbrace = UInt8(ascii: "{"), rbrace = UInt8(ascii: "}")
        var p = 0
        while p < n {
            // Literal text up to the first '{' or '}'.
            let start = p
            var c: UInt8 = 0
            var markup = false
            while p < n {
                c = b[p]
                p += 1
                if c == lbrace || c == rbrace { markup = true; break }
            }
            let atEnd = p >= n
            var len = p - start
            if markup && c == rbrace && (atEnd || b[p] != rbrace) {
                return fail("Single '}' encountered in format string")
            }
            if markup && atEnd && c == lbrace {
                return fail("Single '{' encountered in format string")
            }
            if markup {
                if b[p] == c {
                    p += 1          // '{{' or '}}': one brace of literal text
                    markup = false
                } else {
                    len -= 1
                }
            }
            lit.append(contentsOf: b[start..<(start + len)])
            if !markup { continue }

            // parse_field: the field name ends at '}', ':' or '!' (not inside [...]).
            let nameStart = p
            c = 0
            while p < n {
                c = b[p]
                p += 1
                if c == lbrace { return fail("unexpected '{' in field name") }
                if c == UInt8(ascii: "[") {
                    while p < n && b[p] != UInt8(ascii: "]") { p += 1 }
                    continue
                }
                if c == rbrace || c == UInt8(ascii: ":") || c == UInt8(ascii: "!") { break }
            }
            let nameEnd = p - 1
            var conversion: UInt32 = 0
            var specRange: Range<Int>? = nil
            var needsExpanding = false
            if c == UInt8(ascii: "!") || c == UInt8(ascii: ":") {
                var done = false
                if c == UInt8(ascii: "!") {
                    if p >= n { return fail("end of string while looking for conversion specifier") }
                    let (u, w) = decodeScalar(b, p)
                    conversion = u
                    p += w
                    if p < n {
                        let c2 = b[p]
                        p += 1
                        if c2 == rbrace {
                            done = true
                        } else if c2 != UInt8(ascii: ":") {
                            return fail("expected ':' after conversion specifier")
                        }
                    }
                }
                if !done {
                    let specStart = p
                    var count = 1
                    while p < n {
                        let c3 = b[p]
                        p += 1
                        if c3 == lbrace {
                            needsExpanding = true
                            count += 1
                        } else if c3 == rbrace {
                            count -= 1
                            if count == 0 { specRange = specStart..<(p - 1); break }
                        }
                    }
                    if specRange == nil { return fail("unmatched '{' in format spec") }
                }
            } else if c != rbrace {
                return fail("expected '}' before end of string")
            }

            // field_name_split: the first part up to '.' or '[', then the accessors.
            var i = nameStart
            while i < nameEnd && b[i] != UInt8(ascii: ".") && b[i] != UInt8(ascii: "[") { i += 1 }
            let firstBytes = b[nameStart..<i]
            let first: FormatField.First
            switch fieldInteger(firstBytes) {
            case .overflow: first = .error("Too many decimal digits in format string")
            case .value(let v): first = .index(v)
            case .notInteger: first = firstBytes.isEmpty ? .auto : .key(text(firstBytes))
            }
            var rest: [FormatField.Access] = []
            scan: while i < nameEnd {
                let c4 = b[i]
                i += 1
                if c4 == UInt8(ascii: ".") {
                    let s = i
                    while i < nameEnd && b[i] != UInt8(ascii: ".") && b[i] != UInt8(ascii: "[") { i += 1 }
                    if s == i { rest.append(.error("Empty attribute in format string")); break scan }
                    rest.append(.attr(text(b[s..<i])))
                } else if c4 == UInt8(ascii: "[") {
                    let s = i
                    while i < nameEnd && b[i] != UInt8(ascii: "]") { i += 1 }
                    if i >= nameEnd { rest.append(.error("Missing ']' in format string")); break scan }
                    let key = b[s..<i]
                    i += 1
                    switch fieldInteger(key) {
                    case .overflow:
                        rest.append(.error("Too many decimal digits in format string")); break scan
                    case .value(let v):
                        rest.append(.index(v))
                    case .notInteger:
                        if key.isEmpty { rest.append(.error("Empty attribute in format string")); break scan }
                        rest.append(.key(text(key)))
                    }
                } else {
                    rest.append(.error("Only '.' or '[' may follow ']' in format field specifier"))
                    break scan
                }
            }

            let spec: FormatField.Spec
            if let r = specRange, !r.isEmpty {
                if needsExpanding {
                    spec = .nested(parse(b[r]))
                } else {
                    spec = .constant(ConstantSpec(text(b[r])))
                }
            } else {
                spec = .empty
            }
            flush()
            pieces.append(.field(FormatField(first: first, rest: rest, conversion: conversion, spec: spec)))
        }
        flush()
        return FormatTemplate(pieces: pieces)
    }
}

// MARK: - %

/// One `%` conversion of a template, as unicode_format_arg_parse reads it, with the literal
/// text before it. Plain data (no references), so formatting walks a template's specs without
/// retaining anything.
struct PercentSpec {
    static let ljust: UInt8 = 1, sign: UInt8 = 2, blank: UInt8 = 4, alt: UInt8 = 8, zero: UInt8 = 16
    /// `error` codes: ValueErrors raised after the '*' arguments before them have been taken.
    static let incompleteFormat: UInt8 = 1, widthTooBig: UInt8 = 2, precisionTooBig: UInt8 = 3
    static let errorMessages = ["", "incomplete format", "width too big", "precision too big"]

    /// The template's literal bytes before this conversion: litStart..<litEnd.
    var litStart = 0
    var litEnd = 0
    var litASCII = true
    /// False for the text after the last conversion.
    var isConversion = true
    /// `%(key)`: index in the template's keys, or -1.
    var key = -1
    /// "incomplete format key" (raised after the check for a mapping).
    var keyIncomplete = false
    var flags: UInt8 = 0
    var widthStar = false
    /// -1 when not given.
    var width = -1
    var precStar = false
    var prec = -1
    /// The conversion character (a code point).
    var type: UInt32 = 0
    /// Its index in code points, for "unsupported format character".
    var typeIndex = 0
    var error: UInt8 = 0
}

final class PercentTemplate {
    /// The literal text of the whole template ('%%' as '%'), in one block.
    let literal: UnsafeMutableBufferPointer<UInt8>
    /// The conversions in order, each with the text before it; the last may be text only.
    let specs: UnsafeMutableBufferPointer<PercentSpec>
    let keys: [String]
    let estimate: Int

    init(literal lit: [UInt8], specs sp: [PercentSpec], keys: [String]) {
        literal = UnsafeMutableBufferPointer.allocate(capacity: Swift.max(lit.count, 1))
        _ = literal.initialize(from: lit)
        specs = UnsafeMutableBufferPointer.allocate(capacity: Swift.max(sp.count, 1))
        _ = specs.initialize(from: sp)
        self.keys = keys
        estimate = lit.count + 8 * sp.count
        count = sp.count
    }

    /// Number of entries in `specs`.
    let count: Int

    deinit {
        literal.deallocate()
        specs.deallocate()
    }

    @inline(__always)
    func literalText(_ s: PercentSpec) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: literal[s.litStart..<s.litEnd])
    }

    static func parse(_ str: String) -> PercentTemplate {
        let b = Array(str.utf8)
        let n = b.count
        var lit: [UInt8] = []
        var specs: [PercentSpec] = []
        var keys: [String] = []
        var litStart = 0
        var litASCII = true
        let percent = UInt8(ascii: "%")
        var p = 0
        var cp = 0          // code points before p
        @inline(__always) func isLead(_ x: UInt8) -> Bool { x & 0xC0 != 0x80 }
        while p < n {
            if b[p] != percent {
                let start = p
                while p < n && b[p] != percent {
                    if isLead(b[p]) { cp += 1 }
                    if b[p] >= 0x80 { litASCII = false }
                    p += 1
                }
                lit.append(contentsOf: b[start..<p])
                continue
            }
            p += 1; cp += 1
            if p < n && b[p] == percent {
                lit.append(percent)
                p += 1; cp += 1
                continue
            }
            var spec = PercentSpec()
            spec.litStart = litStart
            spec.litEnd = lit.count
            spec.litASCII = litASCII
            litStart = lit.count
            litASCII = true
            var ch: UInt32 = 0
            var end = false
            // Reads the next code point into `ch`; false (and `end`) at the end of the template.
            func next() -> Bool {
                if p >= n { end = true; return false }
                let (u, w) = decodeScalar(b, p)
                ch = u
                p += w
                cp += 1
                return true
            }
            func isDigit(_ u: UInt32) -> Bool { u >= 48 && u <= 57 }
            parse: do {
                if p < n && b[p] == UInt8(ascii: "(") {
                    p += 1; cp += 1
                    let keyStart = p
                    var depth = 1
                    while depth > 0 && next() {
                        if ch == 0x29 { depth -= 1 } else if ch == 0x28 { depth += 1 }
                    }
                    spec.key = keys.count
                    if end || depth > 0 {
                        spec.keyIncomplete = true
                        keys.append("")
                        break parse
                    }
                    keys.append(text(b[keyStart..<(p - 1)]))
                }
                while next() {
                    switch ch {
                    case 0x2D: spec.flags |= PercentSpec.ljust; continue
                    case 0x2B: spec.flags |= PercentSpec.sign; continue
                    case 0x20: spec.flags |= PercentSpec.blank; continue
                    case 0x23: spec.flags |= PercentSpec.alt; continue
                    case 0x30: spec.flags |= PercentSpec.zero; continue
                    default: break
                    }
                    break
                }
                if !end && ch == 0x2A {
                    spec.widthStar = true
                    _ = next()
                } else if !end && isDigit(ch) {
                    var w = Int(ch - 48)
                    while next() {
                        if !isDigit(ch) { break }
                        let d = Int(ch - 48)
                        if w > (Int.max - d) / 10 { spec.error = PercentSpec.widthTooBig; break parse }
                        w = w * 10 + d
                    }
                    spec.width = w
                }
                if !end && ch == 0x2E {
                    spec.prec = 0
                    _ = next()
                    if !end && ch == 0x2A {
                        spec.precStar = true
                        _ = next()
                    } else if !end && isDigit(ch) {
                        var q = Int(ch - 48)
                        while next() {
                            if !isDigit(ch) { break }
                            let d = Int(ch - 48)
                            if q > (Int(Int32.max) - d) / 10 { spec.error = PercentSpec.precisionTooBig; break parse }
                            q = q * 10 + d
                        }
                        spec.prec = q
                    }
                }
                if !end && (ch == 0x68 || ch == 0x6C || ch == 0x4C) { _ = next() }
                if end { spec.error = PercentSpec.incompleteFormat; break parse }
                spec.type = ch
                spec.typeIndex = cp - 1
            }
            specs.append(spec)
            if spec.error != 0 || spec.keyIncomplete { return PercentTemplate(literal: lit, specs: specs, keys: keys) }
        }
        if lit.count > litStart {
            var tail = PercentSpec()
            tail.litStart = litStart
            tail.litEnd = lit.count
            tail.litASCII = litASCII
            tail.isConversion = false
            specs.append(tail)
        }
        return PercentTemplate(literal: lit, specs: specs, keys: keys)
    }
}

// MARK: - The caches

/// Digested templates by string object: 128 sets of two entries each, chosen by the address.
/// (Direct-mapped on 64 slots, two templates whose objects lay a multiple of 1 KiB apart
/// evicted each other on every use: the formatting benchmark parsed 36,000 templates.)
final class FormatTemplateCache {
    static let sets = 128
    static let slots = sets * 2
    /// Longer templates are digested on every use instead (the digest is linear anyway).
    static let maxBytes = 4096
    private var formatKeys = [PyStr?](repeating: nil, count: slots)
    private var formatValues = [FormatTemplate?](repeating: nil, count: slots)
    private var percentKeys = [PyStr?](repeating: nil, count: slots)
    private var percentValues = [PercentTemplate?](repeating: nil, count: slots)
    /// Byte storage reused by the formatting that builds text (TextBuilder.swift).
    var textStorage: TextBuffer? = nil
    /// Specs made at run time (`{x:{w}}`, `format(x, spec)`), digested by their text.
    private var specs: [String: ConstantSpec] = [:]

    func constantSpec(_ text: String) -> ConstantSpec {
        // ASCII texts only: Swift compares Strings up to canonical equivalence ("é" written
        // as one code point or as two would share an entry), Python by code point.
        let ascii = text.utf8.count <= 64 && text.utf8.allSatisfy { $0 < 0x80 }
        if ascii, let c = specs[text] { return c }
        let c = ConstantSpec(text)
        if ascii {
            if specs.count >= 512 { specs.removeAll(keepingCapacity: true) }
            specs[text] = c
        }
        return c
    }

    /// The first of the set's two entries (the newer one; the older one follows it).
    @inline(__always)
    static func slot(_ s: PyStr) -> Int {
        let a = UInt(bitPattern: ObjectIdentifier(s)) >> 4
        return Int(truncatingIfNeeded: (a ^ (a >> 7) ^ (a >> 14)) & UInt(sets - 1)) * 2
    }

    func format(_ s: PyStr) -> FormatTemplate {
        let i = FormatTemplateCache.slot(s)
        if formatKeys[i] === s, let t = formatValues[i] { return t }
        if formatKeys[i + 1] === s, let t = formatValues[i + 1] { return t }
        let t = FormatTemplate.parse(s.value)
        if s.value.utf8.count <= FormatTemplateCache.maxBytes {
            formatKeys[i + 1] = formatKeys[i]
            formatValues[i + 1] = formatValues[i]
            formatKeys[i] = s
            formatValues[i] = t
        }
        return t
    }

    func percent(_ s: PyStr) -> PercentTemplate {
        let i = FormatTemplateCache.slot(s)
        if percentKeys[i] === s, let t = percentValues[i] { return t }
        if percentKeys[i + 1] === s, let t = percentValues[i + 1] { return t }
        let t = PercentTemplate.parse(s.value)
        if s.value.utf8.count <= FormatTemplateCache.maxBytes {
            percentKeys[i + 1] = percentKeys[i]
            percentValues[i + 1] = percentValues[i]
            percentKeys[i] = s
            percentValues[i] = t
        }
        return t
    }
}
