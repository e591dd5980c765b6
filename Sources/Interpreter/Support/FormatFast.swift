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

    /// Appends the formatted value to `out`; false (nothing appended) when this digest does
    /// not cover it.
    @inline(__always)
    func append(_ v: Value, to out: inout TextBuilder) -> Bool {
        switch v {
        case .int(let i) where intOK:
            if width <= 1 {
                out.appendInt(i)
                return true
            }
            var n = 1
            var t = i.magnitude
            while t >= 10 { t /= 10; n += 1 }
            let len = n + (i < 0 ? 1 : 0)
            let (l, s, r) = padding(len, numAlign)
            out.appendRepeated(numFill, l)
            if i < 0 { out.appendByte(UInt8(ascii: "-")) }
            out.appendRepeated(numFill, s)
            out.appendDigits(i.magnitude)
            out.appendRepeated(numFill, r)
        case .float(let d) where floatOK:
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buf in
                if let base = buf.baseAddress, let n = pyFixedFast(d, precision, into: base) {
                    let (l, _, r) = padding(n, numAlign)
                    out.appendRepeated(numFill, l)
                    out.append(utf8: UnsafeBufferPointer(start: base, count: n), ascii: true)
                    out.appendRepeated(numFill, r)
                } else {
                    let s = pyDoubleToString(d, code: UInt8(ascii: "f"), precision: precision)
                    let (l, _, r) = padding(s.utf8.count, numAlign)
                    out.appendRepeated(numFill, l)
                    out.appendASCII(s)
                    out.appendRepeated(numFill, r)
                }
            }
        case .obj(let o) where strOK && o.kind == .str:
            let s = unsafeDowncast(o, to: PyStr.self)
            if width <= 0 {
                out.append(s)
            } else {
                let (l, _, r) = padding(s.count, strAlign)
                out.appendRepeated(strFill, l)
                out.append(s)
                out.appendRepeated(strFill, r)
            }
        default:
            return false
        }
        return true
    }

    /// The fill before the sign, between the sign and the digits, and after the text, for
    /// `len` code points ('=' puts it after the sign).
    @inline(__always)
    private func padding(_ len: Int, _ align: UInt8) -> (Int, Int, Int) {
        let n = width - len
        if n <= 0 { return (0, 0, 0) }
        switch align {
        case UInt8(ascii: "<"): return (0, 0, n)
        case UInt8(ascii: "^"): return (n / 2, 0, n - n / 2)
        case UInt8(ascii: "="): return (0, n, 0)
        default: return (n, 0, 0)
        }
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

    /// Appends `format(v, text)`.
    @inline(__always)
    func append(_ v: Value, _ rt: Runtime, _ out: inout TextBuilder) throws(PyErr) {
        if let fast, fast.append(v, to: &out) { return }
        if case .obj(let o) = v, o.kind == .instance || o.kind == .native {
            out.append(try rt.format(v, text))
        } else if let parsed {
            out.append(try rt.formatParsed(v, parsed))
        } else {
            out.append(try rt.format(v, text))
        }
    }
}
