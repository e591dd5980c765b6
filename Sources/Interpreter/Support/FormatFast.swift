// A constant f-string format spec, digested once at compile time for the common cases:
// `{i:05d}`, `{n:>8}`, `{x:<4}`, `{v:.3f}`, `{s:^10}` (an ASCII fill, an alignment, a width,
// a precision for 'f'; no sign option, '#', grouping or 'z'). Formatting such a value skips
// the general machinery, which compares Characters and builds intermediate arrays; anything
// the digest does not cover returns nil and takes the general path, so output and errors are
// unchanged.

struct FastSpec {
    /// Whether an int (not a bool), a float, a str may be formatted here.
    let intOK: Bool
    let floatOK: Bool
    let strOK: Bool
    let numFill: UInt8, numAlign: UInt8
    let strFill: UInt8, strAlign: UInt8
    let width: Int
    let precision: Int

    init?(_ spec: FormatSpec) {
        if spec.alternate || spec.grouping != nil || spec.noNegZero { return nil }
        if let s = spec.sign, s != "-" { return nil }
        let fillChar: Character = spec.fill ?? (spec.zeroPad ? "0" : " ")
        guard let fill = fillChar.asciiValue, fillChar.unicodeScalars.count == 1 else { return nil }
        let width = spec.width ?? 0
        if width > 100_000 { return nil }
        let align: UInt8?
        switch spec.align {
        case nil: align = nil
        case "<": align = UInt8(ascii: "<")
        case ">": align = UInt8(ascii: ">")
        case "^": align = UInt8(ascii: "^")
        case "=": align = UInt8(ascii: "=")
        default: return nil
        }
        numFill = fill
        strFill = fill
        numAlign = align ?? (spec.zeroPad ? UInt8(ascii: "=") : UInt8(ascii: ">"))
        strAlign = align ?? UInt8(ascii: "<")
        self.width = width
        precision = spec.precision ?? -1
        intOK = (spec.type == nil || spec.type == "d") && spec.precision == nil
        floatOK = spec.type == "f" && (spec.precision ?? 101) <= 100 && numAlign != UInt8(ascii: "=")
        strOK = (spec.type == nil || spec.type == "s") && spec.precision == nil && spec.sign == nil
            && strAlign != UInt8(ascii: "=")
        if !intOK && !floatOK && !strOK { return nil }
    }

    /// The formatted value, or nil when this digest does not cover it.
    func format(_ v: Value) -> String? {
        switch v {
        case .int(let i) where intOK:
            let digits = String(i.magnitude)
            return pad(sign: i < 0, digits, count: digits.utf8.count, fill: numFill, align: numAlign)
        case .float(let d) where floatOK:
            let s = pyDoubleToString(d, code: UInt8(ascii: "f"), precision: precision)
            return pad(sign: false, s, count: s.utf8.count, fill: numFill, align: numAlign)
        case .obj(let o) where strOK && o.kind == .str:
            let s = unsafeDowncast(o, to: PyStr.self)
            if width <= 0 { return s.value }
            return pad(sign: false, s.value, count: s.count, fill: strFill, align: strAlign)
        default:
            return nil
        }
    }

    /// `body` (with a leading '-' when `sign`) padded to `width` columns; `count` is the
    /// body's length in code points. '=' puts the padding after the sign.
    private func pad(sign: Bool, _ body: String, count: Int, fill: UInt8, align: UInt8) -> String {
        let len = count + (sign ? 1 : 0)
        let n = width - len
        if n <= 0 { return sign ? "-" + body : body }
        var lpad = 0, spad = 0, rpad = 0
        switch align {
        case UInt8(ascii: "<"): rpad = n
        case UInt8(ascii: "^"): lpad = n / 2; rpad = n - lpad
        case UInt8(ascii: "="): spad = n
        default: lpad = n
        }
        var out: [UInt8] = []
        out.reserveCapacity(width + body.utf8.count)
        out.append(contentsOf: repeatElement(fill, count: lpad))
        if sign { out.append(UInt8(ascii: "-")) }
        out.append(contentsOf: repeatElement(fill, count: spad))
        out.append(contentsOf: body.utf8)
        out.append(contentsOf: repeatElement(fill, count: rpad))
        return String(decoding: out, as: UTF8.self)
    }
}


/// A constant format spec (an f-string's, a `str.format` field's): its text, its parse when it
/// parses, and the digest of the parse. One object, so a field holds one reference.
final class ConstantSpec {
    let text: String
    let parsed: FormatSpec?
    let fast: FastSpec?

    init(_ text: String) {
        self.text = text
        if case .success(let p) = FormatSpec.parse(text) {
            parsed = p
            fast = FastSpec(p)
        } else {
            parsed = nil
            fast = nil
        }
    }

    /// `format(v, text)`.
    @inline(__always)
    func format(_ v: Value, _ rt: Runtime) throws(PyErr) -> String {
        if let fast, let s = fast.format(v) { return s }
        if case .obj(let o) = v, o.kind == .instance || o.kind == .native { return try rt.format(v, text) }
        if let parsed { return try rt.formatParsed(v, parsed) }
        return try rt.format(v, text)
    }
}
