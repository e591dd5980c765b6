// FormatSpec.swift — Python's format-spec mini-language (CPython 3.11 Python/formatter_unicode.c).
//
//   [[fill]align][sign]["z"]["#"]["0"][width][grouping]["." precision][type]
//
// Usage:
//   switch FormatSpec.parse(specString, typeName: "int") { case .success(let spec): ...; case .failure(let e): raise e }
//   try formatInteger(negative:magnitude:asDouble:spec)   (int / bool; 'c' handled here)
//   try formatFloat(d, spec)
//   try formatString(s, spec)
//
// Errors carry CPython's exception class (`kind`) and exact message. `parse` needs the type name
// only for "Invalid format specifier '...' for object of type '...'".
// The grouping/type compatibility check ("Cannot specify ',' with 's'.") depends on the
// object's default type, so it is done by the format functions (before any other check, exactly
// where CPython's parser would report it).
//
// Memory safety: widths/precisions that would make the result larger than `formatSpecMaxLength`
// characters throw kind .memoryError ("width too large" / "precision too large"): CPython would
// try to allocate (and typically raise MemoryError). Widths/precisions that do not fit in a
// Py_ssize_t raise CPython's "Too many decimal digits in format string"; float precision
// > INT_MAX raises CPython's "precision too big".

let formatSpecMaxLength = 10_000_000

struct FormatSpecError: Error, Equatable {
    enum Kind: Equatable { case valueError, overflowError, memoryError }
    let kind: Kind
    let message: String
    init(_ message: String, kind: Kind = .valueError) {
        self.kind = kind
        self.message = message
    }
    init(message: String, kind: Kind = .valueError) {
        self.kind = kind
        self.message = message
    }
}

struct FormatSpec: Equatable {
    /// Explicit fill character (nil: ' ' or '0' when `zeroPad`).
    var fill: Character? = nil
    /// Explicit alignment '<', '>', '^', '=' (nil: type default; '=' for numbers when `zeroPad`).
    var align: Character? = nil
    /// '+', '-', ' ' or nil.
    var sign: Character? = nil
    /// 'z' option (3.11): coerce negative zero to positive zero (floats only).
    var noNegZero: Bool = false
    /// '#'
    var alternate: Bool = false
    /// The '0' flag before the width (only recorded when no explicit fill was given).
    var zeroPad: Bool = false
    var width: Int? = nil
    /// ',' or '_'
    var grouping: Character? = nil
    var precision: Int? = nil
    var type: Character? = nil

    init() {}

    var isEmpty: Bool { self == FormatSpec() }

    /// Parses a spec. `typeName` is only used in "Invalid format specifier '...' for object of type
    /// '<typeName>'"; by default the placeholder "{type}" is left in the message for the caller to
    /// substitute.
    static func parse(_ spec: String, typeName: String = "{type}") -> Result<FormatSpec, FormatSpecError> {
        var r = FormatSpec()
        if spec.isEmpty { return .success(r) }
        let u = Array(spec.unicodeScalars)
        let end = u.count
        var pos = 0
        func isAlign(_ c: Unicode.Scalar) -> Bool { c == "<" || c == ">" || c == "^" || c == "=" }
        var fillSpecified = false
        if end - pos >= 2 && isAlign(u[pos + 1]) {
            r.align = Character(u[pos + 1])
            r.fill = Character(u[pos])
            fillSpecified = true
            pos += 2
        } else if end - pos >= 1 && isAlign(u[pos]) {
            r.align = Character(u[pos])
            pos += 1
        }
        if pos < end && (u[pos] == "+" || u[pos] == "-" || u[pos] == " ") {
            r.sign = Character(u[pos]); pos += 1
        }
        if pos < end && u[pos] == "z" { r.noNegZero = true; pos += 1 }
        if pos < end && u[pos] == "#" { r.alternate = true; pos += 1 }
        if !fillSpecified && pos < end && u[pos] == "0" { r.zeroPad = true; pos += 1 }

        func decimalValue(_ c: Unicode.Scalar) -> Int? {
            if c.value >= 48 && c.value <= 57 { return Int(c.value - 48) }
            if c.isASCII { return nil }
            if c.properties.numericType == .decimal, let v = c.properties.numericValue, v >= 0, v <= 9 {
                return Int(v)
            }
            return nil
        }
        // get_integer: returns number of digits consumed or nil on overflow.
        func getInteger(_ result: inout Int) -> Int? {
            var acc = 0
            var n = 0
            while pos < end, let dv = decimalValue(u[pos]) {
                if acc > (Int.max - dv) / 10 { return nil }
                acc = acc * 10 + dv
                pos += 1; n += 1
            }
            result = acc
            return n
        }
        let tooMany = FormatSpecError("Too many decimal digits in format string")
        var w = 0
        guard let wc = getInteger(&w) else { return .failure(tooMany) }
        if wc > 0 { r.width = w }
        if pos < end && u[pos] == "," { r.grouping = ","; pos += 1 }
        if pos < end && u[pos] == "_" {
            if r.grouping != nil { return .failure(FormatSpecError("Cannot specify both ',' and '_'.")) }
            r.grouping = "_"; pos += 1
        }
        if pos < end && u[pos] == "," && r.grouping == "_" {
            return .failure(FormatSpecError("Cannot specify both ',' and '_'."))
        }
        if pos < end && u[pos] == "." {
            pos += 1
            var p = 0
            guard let pc = getInteger(&p) else { return .failure(tooMany) }
            if pc == 0 { return .failure(FormatSpecError("Format specifier missing precision")) }
            r.precision = p
        }
        if end - pos > 1 {
            return .failure(FormatSpecError("Invalid format specifier '\(spec)' for object of type '\(typeName)'"))
        }
        if end - pos == 1 { r.type = Character(u[pos]) }
        return .success(r)
    }
}

// MARK: - Shared helpers

private func codeDescription(_ c: Character) -> String {
    let v = c.unicodeScalars.first!.value
    if v > 32 && v < 128 { return String(c) }
    return "\\x" + String(v, radix: 16)
}

/// CPython's post-parse grouping validation (parse_internal_render_format_spec's tail).
/// Returns the group size (0 none, 3, or 4) to use.
private func checkGrouping(_ spec: FormatSpec, effectiveType: Character?) throws(FormatSpecError) -> Int {
    guard let g = spec.grouping else { return 0 }
    switch effectiveType {
    case nil, "d", "e", "f", "g", "E", "G", "%", "F":
        return 3
    case "b", "o", "x", "X":
        if g == "_" { return 4 }
    default:
        break
    }
    throw FormatSpecError("Cannot specify '\(g)' with '\(codeDescription(effectiveType ?? "s"))'.")
}

private func unknownCode(_ t: Character, _ typeName: String) -> FormatSpecError {
    FormatSpecError("Unknown format code '\(codeDescription(t))' for object of type '\(typeName)'")
}

@inline(__always)
private func appendRepeated(_ out: inout [UInt8], _ bytes: [UInt8], _ n: Int) {
    if n <= 0 { return }
    if bytes.count == 1 {
        out.append(contentsOf: repeatElement(bytes[0], count: n))
    } else {
        for _ in 0..<n { out.append(contentsOf: bytes) }
    }
}

/// _PyUnicode_InsertThousandsGrouping: digits (ASCII) grouped right-to-left, zero-extended to minWidth.
private func groupDigits(_ digits: ArraySlice<UInt8>, minWidth: Int, group: Int, sep: UInt8) -> [UInt8] {
    var minWidth = max(0, minWidth)
    var remaining = digits.count
    var pos = digits.endIndex
    var out: [UInt8] = []   // built reversed
    out.reserveCapacity(max(remaining, minWidth) + remaining / 3 + 2)
    var useSep = false
    var loopBroken = false
    @inline(__always) func emit(_ nChars: Int, _ nZeros: Int) {
        if useSep { out.append(sep) }
        var j = pos - 1
        let stop = pos - nChars
        while j >= stop { out.append(digits[j]); j -= 1 }
        pos -= nChars
        if nZeros > 0 { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: nZeros)) }
    }
    if group > 0 {
        while true {
            let len = min(group, max(max(remaining, minWidth), 1))
            let nZeros = max(0, len - remaining)
            let nChars = max(0, min(remaining, len))
            emit(nChars, nZeros)
            useSep = true
            remaining -= nChars
            minWidth -= len
            if remaining <= 0 && minWidth <= 0 { loopBroken = true; break }
            minWidth -= 1
        }
    }
    if !loopBroken {
        let len = max(max(remaining, minWidth), 1)
        let nZeros = max(0, len - remaining)
        let nChars = max(0, min(remaining, len))
        emit(nChars, nZeros)
    }
    out.reverse()
    return out
}

/// calc_number_widths + fill_number.
/// digits: ASCII digits to group; hasDecimal: a '.' follows; remainder: what follows.
private func renderNumber(signChar: Bool /* negative */, prefix: [UInt8], digits: ArraySlice<UInt8>,
                          hasDecimal: Bool, remainder: [UInt8], remainderCount: Int,
                          group: Int, sep: UInt8, spec: FormatSpec,
                          defaultAlign: Character = ">", upper: Bool = false) throws(FormatSpecError) -> [UInt8] {
    let fillChar: Character = spec.fill ?? (spec.zeroPad ? "0" : " ")
    let align: Character = spec.align ?? (spec.zeroPad ? "=" : defaultAlign)
    let width = spec.width ?? -1
    var nSign = 0
    var signByte: UInt8 = 0
    switch spec.sign {
    case "+":
        nSign = 1; signByte = signChar ? UInt8(ascii: "-") : UInt8(ascii: "+")
    case " ":
        nSign = 1; signByte = signChar ? UInt8(ascii: "-") : UInt8(ascii: " ")
    default:
        if signChar { nSign = 1; signByte = UInt8(ascii: "-") }
    }
    let nDecimal = hasDecimal ? 1 : 0
    let nonDigit = nSign + prefix.count + nDecimal + remainderCount
    if width > formatSpecMaxLength && width > nonDigit + digits.count * 2 {
        throw FormatSpecError("width too large", kind: .memoryError)
    }
    let minWidth = (fillChar == "0" && align == "=") ? width - nonDigit : 0
    let grouped: [UInt8] = digits.isEmpty ? [] : groupDigits(digits, minWidth: minWidth, group: group, sep: sep)
    let nPadding = width - (nonDigit + grouped.count)
    var lpad = 0, spad = 0, rpad = 0
    if nPadding > 0 {
        switch align {
        case "<": rpad = nPadding
        case "^": lpad = nPadding / 2; rpad = nPadding - lpad
        case "=": spad = nPadding
        default: lpad = nPadding
        }
    }
    let fillBytes = Array(String(fillChar).utf8)
    var out: [UInt8] = []
    out.reserveCapacity((lpad + spad + rpad) * fillBytes.count + nonDigit + grouped.count + remainder.count)
    appendRepeated(&out, fillBytes, lpad)
    if nSign == 1 { out.append(signByte) }
    if upper {
        for b in prefix { out.append(b >= 97 && b <= 122 ? b - 32 : b) }
    } else {
        out.append(contentsOf: prefix)
    }
    appendRepeated(&out, fillBytes, spad)
    if upper {
        for b in grouped { out.append(b >= 97 && b <= 122 ? b - 32 : b) }
    } else {
        out.append(contentsOf: grouped)
    }
    if hasDecimal { out.append(UInt8(ascii: ".")) }
    out.append(contentsOf: remainder)
    appendRepeated(&out, fillBytes, rpad)
    return out
}

// MARK: - str

/// format(s, spec) for str (typeName for the "Unknown format code" message).
func formatString(_ s: String, _ spec: FormatSpec, typeName: String = "str") throws(FormatSpecError) -> String {
    let type = spec.type ?? "s"
    _ = try checkGrouping(spec, effectiveType: type)
    if type != "s" { throw unknownCode(type, typeName) }
    if let sg = spec.sign {
        if sg == " " { throw FormatSpecError("Space not allowed in string format specifier") }
        throw FormatSpecError("Sign not allowed in string format specifier")
    }
    if spec.noNegZero {
        throw FormatSpecError("Negative zero coercion (z) not allowed in string format specifier")
    }
    if spec.alternate { throw FormatSpecError("Alternate form (#) not allowed in string format specifier") }
    if spec.align == "=" { throw FormatSpecError("'=' alignment not allowed in string format specifier") }
    let scalars = s.unicodeScalars
    var len = scalars.count
    var text = s
    if let p = spec.precision, len >= p {
        len = p
        text = String(String.UnicodeScalarView(scalars.prefix(p)))
    }
    let width = spec.width ?? -1
    if width <= len { return text }
    if width > formatSpecMaxLength { throw FormatSpecError("width too large", kind: .memoryError) }
    let align: Character = spec.align ?? "<"
    let fillChar: Character = spec.fill ?? (spec.zeroPad ? "0" : " ")
    let total = width
    let lpad: Int
    switch align {
    case ">": lpad = total - len
    case "^": lpad = (total - len) / 2
    default: lpad = 0
    }
    let rpad = total - len - lpad
    let fillBytes = Array(String(fillChar).utf8)
    var out: [UInt8] = []
    out.reserveCapacity((lpad + rpad) * fillBytes.count + text.utf8.count)
    appendRepeated(&out, fillBytes, lpad)
    out.append(contentsOf: text.utf8)
    appendRepeated(&out, fillBytes, rpad)
    return String(decoding: out, as: UTF8.self)
}

// MARK: - int

/// format(i, spec) for int/bool.
/// - magnitude(radix): digits of |i| in radix 2, 8, 10 or 16 (lowercase, no prefix/sign).
/// - asDouble: float(i) for the float presentation types ('e','E','f','F','g','G','%');
///   return nil if the int is too large (OverflowError "int too large to convert to float").
///   When omitted, float(i) is computed (correctly rounded) from magnitude(10).
/// 'c' is handled here (OverflowError "%c arg not in range(0x110000)"; lone surrogates are
/// rendered as U+FFFD since Swift strings cannot hold them).
func formatInteger(negative: Bool, magnitude: (Int) -> String, asDouble: (() -> Double?)? = nil,
                   _ spec: FormatSpec, typeName: String = "int") throws(FormatSpecError) -> String {
    let type = spec.type ?? "d"
    let group = try checkGrouping(spec, effectiveType: type)
    switch type {
    case "b", "c", "d", "o", "x", "X", "n":
        break
    case "e", "E", "f", "F", "g", "G", "%":
        let converted: Double?
        if let asDouble = asDouble {
            converted = asDouble()
        } else {
            let m = pyParseFloat(magnitude(10)) ?? .infinity
            converted = m.isFinite ? (negative ? -m : m) : nil
        }
        guard let d = converted, d.isFinite else {
            throw FormatSpecError("int too large to convert to float", kind: .overflowError)
        }
        return try formatFloatInternal(d, spec, group: group)
    default:
        throw unknownCode(type, typeName)
    }
    if spec.precision != nil { throw FormatSpecError("Precision not allowed in integer format specifier") }
    if spec.noNegZero {
        throw FormatSpecError("Negative zero coercion (z) not allowed in integer format specifier")
    }
    if type == "c" {
        if spec.sign != nil { throw FormatSpecError("Sign not allowed with integer format specifier 'c'") }
        if spec.alternate {
            throw FormatSpecError("Alternate form (#) not allowed with integer format specifier 'c'")
        }
        let ds = magnitude(10)
        let tooLarge = FormatSpecError("Python int too large to convert to C long", kind: .overflowError)
        if ds.utf8.count > 19 { throw tooLarge }
        guard let mag = UInt64(ds) else { throw tooLarge }
        if (!negative && mag > UInt64(Int64.max)) || (negative && mag > UInt64(Int64.max) + 1) { throw tooLarge }
        if (negative && mag != 0) || mag > 0x10FFFF {
            throw FormatSpecError("%c arg not in range(0x110000)", kind: .overflowError)
        }
        let v = Int(mag)
        let scalar = Unicode.Scalar(UInt32(v)) ?? Unicode.Scalar(0xFFFD)!
        let rem = Array(String(Character(scalar)).utf8)
        let out = try renderNumber(signChar: false, prefix: [], digits: [], hasDecimal: false,
                                   remainder: rem, remainderCount: 1, group: 0, sep: 0, spec: spec)
        return String(decoding: out, as: UTF8.self)
    }
    let radix: Int
    var prefix: [UInt8] = []
    switch type {
    case "b": radix = 2; prefix = Array("0b".utf8)
    case "o": radix = 8; prefix = Array("0o".utf8)
    case "x", "X": radix = 16; prefix = Array("0x".utf8)
    default: radix = 10
    }
    if !spec.alternate { prefix = [] }
    let digits = Array(magnitude(radix).utf8)
    let sep: UInt8 = spec.grouping == "_" ? UInt8(ascii: "_") : UInt8(ascii: ",")
    let out = try renderNumber(signChar: negative, prefix: prefix, digits: digits[...], hasDecimal: false,
                               remainder: [], remainderCount: 0, group: type == "n" ? 0 : group,
                               sep: sep, spec: spec, upper: type == "X")
    return String(decoding: out, as: UTF8.self)
}

/// Convenience for machine ints.
func formatInt(_ i: Int, _ spec: FormatSpec, typeName: String = "int") throws(FormatSpecError) -> String {
    try formatInteger(negative: i < 0, magnitude: { String(i.magnitude, radix: $0) },
                      asDouble: { Double(i) }, spec, typeName: typeName)
}

// MARK: - float

/// format(x, spec) for float.
func formatFloat(_ d: Double, _ spec: FormatSpec, typeName: String = "float") throws(FormatSpecError) -> String {
    let group = try checkGrouping(spec, effectiveType: spec.type)
    switch spec.type {
    case nil, "e", "E", "f", "F", "g", "G", "n", "%":
        return try formatFloatInternal(d, spec, group: group)
    default:
        throw unknownCode(spec.type!, typeName)
    }
}

private func formatFloatInternal(_ value: Double, _ spec: FormatSpec, group: Int) throws(FormatSpecError) -> String {
    if let p = spec.precision {
        if p > Int(Int32.max) { throw FormatSpecError("precision too big") }
    }
    var type: Character = spec.type ?? "r"
    var addDot0 = false
    var defaultPrecision = 6
    if spec.type == nil {
        addDot0 = true
        defaultPrecision = 0
    }
    if type == "n" { type = "g" }
    var val = value
    var addPct = false
    if type == "%" {
        type = "f"
        val *= 100
        addPct = true
    }
    var precision: Int
    if let p = spec.precision {
        precision = p
        if type == "r" { type = "g" }
    } else {
        precision = defaultPrecision
    }
    // Only 'e'/'f' (and alternate 'g') pad the output up to `precision` digits; the others stay
    // short (digit generation is clamped internally), as in CPython.
    if precision > formatSpecMaxLength && val.isFinite
        && (type == "e" || type == "E" || type == "f" || type == "F" || spec.alternate) {
        throw FormatSpecError("precision too large", kind: .memoryError)
    }
    var buf = Array(pyDoubleToString(val, formatCode: type, precision: precision,
                                     alternate: spec.alternate, addDot0: addDot0,
                                     noNegZero: spec.noNegZero).utf8)
    if addPct { buf.append(UInt8(ascii: "%")) }
    if spec.sign != "+" && spec.sign != " " && spec.width == nil && spec.type != "n" && spec.grouping == nil {
        return String(decoding: buf, as: UTF8.self)
    }
    var index = 0
    var negative = false
    if buf.first == UInt8(ascii: "-") { negative = true; index = 1 }
    var p = index
    while p < buf.count && buf[p] >= 48 && buf[p] <= 57 { p += 1 }
    let digits = buf[index..<p]
    let hasDecimal = p < buf.count && buf[p] == UInt8(ascii: ".")
    let remStart = hasDecimal ? p + 1 : p
    let remainder = Array(buf[remStart...])
    let sep: UInt8 = spec.grouping == "_" ? UInt8(ascii: "_") : UInt8(ascii: ",")
    let out = try renderNumber(signChar: negative, prefix: [], digits: digits, hasDecimal: hasDecimal,
                               remainder: remainder, remainderCount: remainder.count,
                               group: spec.type == "n" ? 0 : group, sep: sep, spec: spec)
    return String(decoding: out, as: UTF8.self)
}
