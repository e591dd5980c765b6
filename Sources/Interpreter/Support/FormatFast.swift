// A constant format spec (an f-string's, a `str.format` field's), digested once: for machine
// ints ('d', 'x', 'X', 'o', 'b' or none, with any sign option, '#', grouping, fill, alignment
// and width), floats ('e', 'f', 'g', '%' and their capitals, or none, with the same options and
// a precision) and strs (fill, alignment, width, precision). Formatting such a value writes
// bytes straight into the output, following FormatSpec.swift's formatInteger /
// formatFloatInternal / formatString step by step, without the general machinery's Character
// compares and intermediate arrays. Anything the digest does not cover (bools, big ints,
// 'n', 'c', non-ASCII fill, errors, huge widths) returns false and takes the general path, so
// output and errors are unchanged.

struct FastSpec {
    /// Whether an int (not a bool), a float, a str may be formatted here.
    let intOK: Bool
    let floatOK: Bool
    let strOK: Bool
    let fill: UInt8
    /// Alignment for numbers (default '>', '=' with the '0' flag) and for strs (default '<').
    let numAlign: UInt8, strAlign: UInt8
    /// -1 when not given.
    let width: Int
    /// 0 (only '-'), '+' or ' '.
    let signMode: UInt8
    /// Ints: radix, 'X', the '#' prefix letter (0: none), digits per group (0, 3, 4), separator.
    let radix: Int
    let upper: Bool
    let prefix: UInt8
    let intGroup: Int
    let sep: UInt8
    /// Floats: the code for pyDoubleToString ('e', 'E', 'f', 'F', 'g', 'G', 'r'), precision,
    /// repr-style '.0' (no type), '%', '#', 'z', digits per group (0 or 3).
    let floatCode: UInt8
    let precision: Int
    let addDot0: Bool
    let percent: Bool
    let alternate: Bool
    let noNegZero: Bool
    let floatGroup: Int
    /// Strs: the precision (-1 none).
    let strPrecision: Int

    /// A digest that covers nothing (`append` always returns false).
    static let nothing = FastSpec()

    private init() {
        intOK = false; floatOK = false; strOK = false
        fill = 0x20; numAlign = UInt8(ascii: ">"); strAlign = UInt8(ascii: "<"); width = -1; signMode = 0
        radix = 10; upper = false; prefix = 0; intGroup = 0; sep = 0
        floatCode = 0; precision = 0; addDot0 = false; percent = false; alternate = false; noNegZero = false
        floatGroup = 0; strPrecision = -1
    }

    init?(_ spec: FormatSpec) {
        let fillChar: Character = spec.fill ?? (spec.zeroPad ? "0" : " ")
        guard let fillByte = fillChar.asciiValue, fillChar.unicodeScalars.count == 1 else { return nil }
        fill = fillByte
        if let w = spec.width, w > 100_000 { return nil }
        width = spec.width ?? -1
        let align: UInt8?
        switch spec.align {
        case nil: align = nil
        case "<": align = UInt8(ascii: "<")
        case ">": align = UInt8(ascii: ">")
        case "^": align = UInt8(ascii: "^")
        case "=": align = UInt8(ascii: "=")
        default: return nil
        }
        numAlign = align ?? (spec.zeroPad ? UInt8(ascii: "=") : UInt8(ascii: ">"))
        strAlign = align ?? UInt8(ascii: "<")
        switch spec.sign {
        case nil, "-": signMode = 0
        case "+": signMode = UInt8(ascii: "+")
        case " ": signMode = UInt8(ascii: " ")
        default: return nil
        }
        let t = spec.type.flatMap { $0.asciiValue } ?? 0
        if spec.type != nil && (t == 0 || spec.type?.unicodeScalars.count != 1) { return nil }
        sep = spec.grouping == "_" ? UInt8(ascii: "_") : UInt8(ascii: ",")

        // Ints (checkGrouping, then formatInteger's checks, all passed).
        var iOK = spec.precision == nil && !spec.noNegZero
        var r = 10, up = false, pre: UInt8 = 0, ig = 0
        switch t {
        case 0, UInt8(ascii: "d"):
            ig = spec.grouping == nil ? 0 : 3
        case UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "o"), UInt8(ascii: "b"):
            r = t == UInt8(ascii: "o") ? 8 : (t == UInt8(ascii: "b") ? 2 : 16)
            up = t == UInt8(ascii: "X")
            pre = t == UInt8(ascii: "o") ? UInt8(ascii: "o") : (t == UInt8(ascii: "b") ? UInt8(ascii: "b") : UInt8(ascii: "x"))
            if !spec.alternate { pre = 0 }
            if spec.grouping == "," { iOK = false }
            ig = spec.grouping == nil ? 0 : 4
        default:
            iOK = false
        }
        intOK = iOK
        radix = r
        upper = up
        prefix = pre
        intGroup = ig

        // Floats (formatFloat / formatFloatInternal).
        var fOK = true
        var code: UInt8 = 0, prec = 6, dot0 = false, pct = false
        switch t {
        case 0:
            dot0 = true
            if let p = spec.precision { code = UInt8(ascii: "g"); prec = p } else { code = UInt8(ascii: "r"); prec = 0 }
        case UInt8(ascii: "%"):
            code = UInt8(ascii: "f"); pct = true; prec = spec.precision ?? 6
        case UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "g"), UInt8(ascii: "G"):
            code = t; prec = spec.precision ?? 6
        default:
            fOK = false
        }
        if prec > 10_000 { fOK = false }
        floatOK = fOK
        floatCode = code
        precision = prec
        addDot0 = dot0
        percent = pct
        alternate = spec.alternate
        noNegZero = spec.noNegZero
        floatGroup = spec.grouping == nil ? 0 : 3

        // Strs (formatString's checks, all passed).
        strOK = (t == 0 || t == UInt8(ascii: "s")) && spec.grouping == nil && spec.sign == nil && !spec.noNegZero
            && !spec.alternate && spec.align != "="
        strPrecision = spec.precision ?? -1

        if !intOK && !floatOK && !strOK { return nil }
    }

    /// Appends the formatted value to `out`; false (nothing appended) when this digest does
    /// not cover it.
    @inline(__always)
    func append(_ v: Value, to out: inout TextBuilder) -> Bool {
        switch v {
        case .int(let i) where intOK:
            if signMode == 0 && prefix == 0 && intGroup == 0 && radix == 10 {
                if width <= 1 {
                    out.appendInt(i)
                    return true
                }
                // Decimal digits padded: the sign goes before the fill with '='.
                var n = 1
                var t = i.magnitude
                while t >= 10 { t /= 10; n += 1 }
                let pad = width - n - (i < 0 ? 1 : 0)
                var l = 0, m = 0, r = 0
                if pad > 0 {
                    switch numAlign {
                    case UInt8(ascii: "<"): r = pad
                    case UInt8(ascii: "^"): l = pad / 2; r = pad - l
                    case UInt8(ascii: "="): m = pad
                    default: l = pad
                    }
                }
                out.appendRepeated(fill, l)
                if i < 0 { out.appendByte(UInt8(ascii: "-")) }
                out.appendRepeated(fill, m)
                out.appendDigits(i.magnitude)
                out.appendRepeated(fill, r)
            } else {
                appendInt(i, &out)
            }
        case .float(let d) where floatOK:
            appendFloat(d, &out)
        case .int(let i) where floatOK && floatCode != UInt8(ascii: "r") && !addDot0:
            // An int with a float presentation type is formatted as float(i).
            appendFloat(Double(i), &out)
        case .obj(let o) where strOK && o.kind == .str:
            let s = unsafeDowncast(o, to: PyStr.self)
            if width <= 0 && strPrecision < 0 {
                out.append(s)
            } else {
                appendStr(s, &out)
            }
        default:
            return false
        }
        return true
    }

    private func appendStr(_ s: PyStr, _ out: inout TextBuilder) {
        var len = s.count
        if strPrecision >= 0 && len >= strPrecision {
            len = strPrecision
        }
        let n = width - len
        var l = 0, r = 0
        if n > 0 {
            switch strAlign {
            case UInt8(ascii: ">"): l = n
            case UInt8(ascii: "^"): l = n / 2; r = n - l
            default: r = n
            }
        }
        out.appendRepeated(fill, l)
        if len == s.count {
            out.append(s)
        } else {
            // The first `len` code points.
            s.withBytes { u in
                var k = 0, i = 0
                while i < u.count {
                    if u[i] & 0xC0 != 0x80 {
                        if k == len { break }
                        k += 1
                    }
                    i += 1
                }
                out.append(utf8: UnsafeBufferPointer(rebasing: u[0..<i]))
            }
        }
        out.appendRepeated(fill, r)
    }

    private func appendInt(_ i: Int, _ out: inout TextBuilder) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 66) { buf in
            guard let base = buf.baseAddress else { return }
            // Digits of |i| in the radix, at the end of the buffer.
            var v = i.magnitude
            var k = 66
            if radix == 10 {
                repeat {
                    k -= 1
                    base[k] = UInt8(truncatingIfNeeded: v % 10) &+ 48
                    v /= 10
                } while v > 0
            } else {
                let shift: UInt = radix == 16 ? 4 : (radix == 8 ? 3 : 1)
                let mask = UInt(radix - 1)
                let letters: UInt8 = upper ? 55 : 87
                repeat {
                    k -= 1
                    let d = UInt8(truncatingIfNeeded: v & mask)
                    base[k] = d < 10 ? d &+ 48 : d &+ letters
                    v >>= shift
                } while v > 0
            }
            let digits = UnsafeBufferPointer(start: base + k, count: 66 - k)
            base[0] = UInt8(ascii: "0")
            base[1] = upper ? prefix &- 32 : prefix
            let pre = UnsafeBufferPointer(start: base, count: prefix == 0 ? 0 : 2)
            renderNumber(negative: i < 0, prefix: pre, digits: digits, hasDecimal: false,
                         remainder: UnsafeBufferPointer(start: base, count: 0), group: intGroup, &out)
        }
    }

    private func appendFloat(_ d: Double, _ out: inout TextBuilder) {
        let val = percent ? d * 100 : d
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buf in
            guard let base = buf.baseAddress else { return }
            if floatCode == UInt8(ascii: "f") || floatCode == UInt8(ascii: "F"),
               let n = pyFixedFast(val, precision, alternate: alternate, noNegZero: noNegZero, into: base) {
                var n = n
                if percent { base[n] = UInt8(ascii: "%"); n += 1 }
                appendFloatText(UnsafeBufferPointer(start: base, count: n), &out)
            } else {
                var s = pyDoubleToString(val, code: floatCode, precision: precision, alternate: alternate,
                                         addDot0: addDot0, noNegZero: noNegZero)
                if percent { s += "%" }
                s.withUTF8 { appendFloatText($0, &out) }
            }
        }
    }

    /// formatFloatInternal after the digits: the text as it is, or split into sign, digits,
    /// point and the rest for renderNumber.
    private func appendFloatText(_ b: UnsafeBufferPointer<UInt8>, _ out: inout TextBuilder) {
        if signMode == 0 && width < 0 && floatGroup == 0 {
            out.append(utf8: b, ascii: true)
            return
        }
        var index = 0
        var negative = false
        if b.first == UInt8(ascii: "-") { negative = true; index = 1 }
        var p = index
        while p < b.count && b[p] >= 48 && b[p] <= 57 { p += 1 }
        let hasDecimal = p < b.count && b[p] == UInt8(ascii: ".")
        let remStart = hasDecimal ? p + 1 : p
        renderNumber(negative: negative, prefix: UnsafeBufferPointer(rebasing: b[0..<0]),
                     digits: UnsafeBufferPointer(rebasing: b[index..<p]), hasDecimal: hasDecimal,
                     remainder: UnsafeBufferPointer(rebasing: b[remStart...]), group: floatGroup, &out)
    }

    /// renderNumber (calc_number_widths + fill_number) into the output.
    private func renderNumber(negative: Bool, prefix: UnsafeBufferPointer<UInt8>, digits: UnsafeBufferPointer<UInt8>,
                              hasDecimal: Bool, remainder: UnsafeBufferPointer<UInt8>, group: Int,
                              _ out: inout TextBuilder) {
        var nSign = 0
        var signByte: UInt8 = 0
        switch signMode {
        case UInt8(ascii: "+"): nSign = 1; signByte = negative ? UInt8(ascii: "-") : UInt8(ascii: "+")
        case UInt8(ascii: " "): nSign = 1; signByte = negative ? UInt8(ascii: "-") : UInt8(ascii: " ")
        default: if negative { nSign = 1; signByte = UInt8(ascii: "-") }
        }
        let nonDigit = nSign + prefix.count + (hasDecimal ? 1 : 0) + remainder.count
        let minWidth = (fill == UInt8(ascii: "0") && numAlign == UInt8(ascii: "=")) ? width - nonDigit : 0
        // The digits, grouped and zero-extended to minWidth (none when there are no digits).
        var grouped: [UInt8] = []
        var groupedCount = digits.count
        let simple = digits.isEmpty || (group == 0 && minWidth <= digits.count)
        if !simple {
            if group == 0 {
                groupedCount = minWidth
            } else {
                grouped = groupDigitsFast(digits, minWidth: minWidth, group: group, sep: sep)
                groupedCount = grouped.count
            }
        }
        let nPadding = width - (nonDigit + groupedCount)
        var lpad = 0, spad = 0, rpad = 0
        if nPadding > 0 {
            switch numAlign {
            case UInt8(ascii: "<"): rpad = nPadding
            case UInt8(ascii: "^"): lpad = nPadding / 2; rpad = nPadding - lpad
            case UInt8(ascii: "="): spad = nPadding
            default: lpad = nPadding
            }
        }
        out.appendRepeated(fill, lpad)
        if nSign == 1 { out.appendByte(signByte) }
        out.append(utf8: prefix, ascii: true)
        out.appendRepeated(fill, spad)
        if simple {
            out.append(utf8: digits, ascii: true)
        } else if group == 0 {
            out.appendRepeated(UInt8(ascii: "0"), minWidth - digits.count)
            out.append(utf8: digits, ascii: true)
        } else {
            grouped.withUnsafeBufferPointer { out.append(utf8: $0, ascii: true) }
        }
        if hasDecimal { out.appendByte(UInt8(ascii: ".")) }
        out.append(utf8: remainder, ascii: true)
        out.appendRepeated(fill, rpad)
    }

    /// _PyUnicode_InsertThousandsGrouping as FormatSpec.swift's groupDigits does it.
    private func groupDigitsFast(_ digits: UnsafeBufferPointer<UInt8>, minWidth: Int, group: Int, sep: UInt8) -> [UInt8] {
        var minWidth = Swift.max(0, minWidth)
        var remaining = digits.count
        var pos = digits.count
        var out: [UInt8] = []   // built reversed
        out.reserveCapacity(Swift.max(remaining, minWidth) + remaining / 3 + 2)
        var useSep = false
        var loopBroken = false
        func emit(_ nChars: Int, _ nZeros: Int) {
            if useSep { out.append(sep) }
            var j = pos - 1
            let stop = pos - nChars
            while j >= stop { out.append(digits[j]); j -= 1 }
            pos -= nChars
            if nZeros > 0 { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: nZeros)) }
        }
        while true {
            let len = Swift.min(group, Swift.max(Swift.max(remaining, minWidth), 1))
            let nZeros = Swift.max(0, len - remaining)
            let nChars = Swift.max(0, Swift.min(remaining, len))
            emit(nChars, nZeros)
            useSep = true
            remaining -= nChars
            minWidth -= len
            if remaining <= 0 && minWidth <= 0 { loopBroken = true; break }
            minWidth -= 1
        }
        if !loopBroken {
            let len = Swift.max(Swift.max(remaining, minWidth), 1)
            emit(Swift.max(0, Swift.min(remaining, len)), Swift.max(0, len - remaining))
        }
        out.reverse()
        return out
    }
}

/// A constant format spec (an f-string's, a `str.format` field's): its text, its parse when it
/// parses, and the digest of the parse. One object, so a field holds one reference.
final class ConstantSpec {
    let text: String
    let parsed: FormatSpec?
    /// The digest (`FastSpec.nothing` when the spec does not parse or is not covered).
    let fast: FastSpec

    init(_ text: String) {
        self.text = text
        if case .success(let p) = FormatSpec.parse(text) {
            parsed = p
            fast = FastSpec(p) ?? .nothing
        } else {
            parsed = nil
            fast = .nothing
        }
    }

    /// Appends `format(v, text)`.
    @inline(__always)
    func append(_ v: Value, _ rt: Runtime, _ out: inout TextBuilder) throws(PyErr) {
        if fast.append(v, to: &out) { return }
        if case .obj(let o) = v, o.kind == .instance || o.kind == .native {
            out.append(try rt.format(v, text))
        } else if let parsed {
            out.append(try rt.formatParsed(v, parsed))
        } else {
            out.append(try rt.format(v, text))
        }
    }
}
