// Building literal values: strings from scalars, escape decoding, big integer digits.

func scalarsToString(_ s: [Unicode.Scalar], _ b: Int, _ e: Int) -> String {
    if b >= e { return "" }
    var count = 0
    for i in b..<e {
        let v = s[i].value
        count += v < 0x80 ? 1 : (v < 0x800 ? 2 : (v < 0x10000 ? 3 : 4))
    }
    return String(unsafeUninitializedCapacity: count) { buf in
        var k = 0
        for i in b..<e {
            let v = s[i].value
            if v < 0x80 {
                buf[k] = UInt8(v)
                k += 1
            } else if v < 0x800 {
                buf[k] = UInt8(0xC0 | (v >> 6))
                buf[k + 1] = UInt8(0x80 | (v & 0x3F))
                k += 2
            } else if v < 0x10000 {
                buf[k] = UInt8(0xE0 | (v >> 12))
                buf[k + 1] = UInt8(0x80 | ((v >> 6) & 0x3F))
                buf[k + 2] = UInt8(0x80 | (v & 0x3F))
                k += 3
            } else {
                buf[k] = UInt8(0xF0 | (v >> 18))
                buf[k + 1] = UInt8(0x80 | ((v >> 12) & 0x3F))
                buf[k + 2] = UInt8(0x80 | ((v >> 6) & 0x3F))
                buf[k + 3] = UInt8(0x80 | (v & 0x3F))
                k += 4
            }
        }
        return k
    }
}

struct EscapeError: Error {
    var message: String
    /// Reported at the start of the literal (CPython does so for non-ASCII bytes).
    var atStart = false
}

private func hexValue(_ c: Unicode.Scalar) -> UInt32? {
    let v = c.value
    if v >= 48 && v <= 57 { return v - 48 }
    if v >= 97 && v <= 102 { return v - 87 }
    if v >= 65 && v <= 70 { return v - 55 }
    return nil
}

/// Decodes the escapes of a (non-raw) str literal body.
func decodeString(_ s: [Unicode.Scalar], _ b: Int, _ e: Int) throws -> String {
    var out: [Unicode.Scalar] = []
    var i = b
    // fast path: no backslash
    var hasBackslash = false
    var k = b
    while k < e { if s[k] == "\\" { hasBackslash = true; break }; k += 1 }
    if !hasBackslash { return scalarsToString(s, b, e) }
    while i < e {
        let c = s[i]
        if c != "\\" {
            out.append(c)
            i += 1
            continue
        }
        let escStart = i - b
        i += 1
        guard i < e else {
            out.append("\\")
            break
        }
        let n = s[i]
        i += 1
        switch n {
        case "\n": break
        case "\\": out.append("\\")
        case "'": out.append("'")
        case "\"": out.append("\"")
        case "a": out.append("\u{07}")
        case "b": out.append("\u{08}")
        case "f": out.append("\u{0C}")
        case "n": out.append("\n")
        case "r": out.append("\r")
        case "t": out.append("\t")
        case "v": out.append("\u{0B}")
        case "0"..."7":
            var v = n.value - 48
            var count = 1
            while count < 3 && i < e && s[i].value >= 48 && s[i].value <= 55 {
                v = v * 8 + (s[i].value - 48)
                i += 1
                count += 1
            }
            out.append(Unicode.Scalar(v) ?? "\u{FFFD}")
        case "x", "u", "U":
            let len = n == "x" ? 2 : (n == "u" ? 4 : 8)
            var v: UInt32 = 0
            var got = 0
            while got < len && i < e, let h = hexValue(s[i]) {
                v = v &* 16 &+ h
                i += 1
                got += 1
            }
            if got < len {
                let what = n == "x" ? "truncated \\xXX escape" : (n == "u" ? "truncated \\uXXXX escape" : "truncated \\UXXXXXXXX escape")
                throw EscapeError(message: "(unicode error) 'unicodeescape' codec can't decode bytes in position \(escStart)-\(escStart + 1 + got): \(what)")
            }
            guard let sc = Unicode.Scalar(v) else {
                if n == "U" && v > 0x10FFFF {
                    throw EscapeError(message: "(unicode error) 'unicodeescape' codec can't decode bytes in position \(escStart)-\(escStart + 1 + got): illegal Unicode character")
                }
                // lone surrogates cannot be represented in a Swift String
                throw EscapeError(message: "(unicode error) surrogate code points are not supported in stlang strings")
            }
            out.append(sc)
        case "N":
            throw EscapeError(message: "(unicode error) 'unicodeescape' codec can't decode bytes in position \(escStart)-\(escStart + 1): \\N{...} escapes are not supported in stlang")
        default:
            out.append("\\")
            out.append(n)
        }
    }
    return scalarsToString(out, 0, out.count)
}

/// Decodes a bytes literal body (escapes unless raw); only ASCII characters are allowed.
func decodeBytes(_ s: [Unicode.Scalar], _ b: Int, _ e: Int, raw: Bool) throws -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(e - b)
    var i = b
    while i < e {
        let c = s[i]
        if c.value >= 128 {
            throw EscapeError(message: "bytes can only contain ASCII literal characters", atStart: true)
        }
        if c != "\\" || raw {
            out.append(UInt8(c.value))
            i += 1
            continue
        }
        let escStart = i - b
        i += 1
        guard i < e else {
            out.append(92)
            break
        }
        let n = s[i]
        if n.value >= 128 {
            throw EscapeError(message: "bytes can only contain ASCII literal characters", atStart: true)
        }
        i += 1
        switch n {
        case "\n": break
        case "\\": out.append(92)
        case "'": out.append(39)
        case "\"": out.append(34)
        case "a": out.append(7)
        case "b": out.append(8)
        case "f": out.append(12)
        case "n": out.append(10)
        case "r": out.append(13)
        case "t": out.append(9)
        case "v": out.append(11)
        case "0"..."7":
            var v = n.value - 48
            var count = 1
            while count < 3 && i < e && s[i].value >= 48 && s[i].value <= 55 {
                v = v * 8 + (s[i].value - 48)
                i += 1
                count += 1
            }
            out.append(UInt8(v & 0xFF))
        case "x":
            var v: UInt32 = 0
            var got = 0
            while got < 2 && i < e, let h = hexValue(s[i]) {
                v = v * 16 + h
                i += 1
                got += 1
            }
            if got < 2 {
                throw EscapeError(message: "(value error) invalid \\x escape at position \(escStart)")
            }
            out.append(UInt8(v))
        default:
            out.append(92)
            out.append(UInt8(n.value))
        }
    }
    return out
}

/// Converts digits in `radix` (most significant first) to an IntLiteral.
func radixToLiteral(_ digits: [UInt8], radix: Int) -> IntLiteral {
    // fast path
    var v: Int = 0
    var overflow = false
    for d in digits {
        let (m, o1) = v.multipliedReportingOverflow(by: radix)
        let (a, o2) = m.addingReportingOverflow(Int(d))
        if o1 || o2 { overflow = true; break }
        v = a
    }
    if !overflow { return .small(v) }
    // base 1e9 limbs, least significant first
    var limbs: [UInt64] = [0]
    let base: UInt64 = 1_000_000_000
    for d in digits {
        var carry = UInt64(d)
        for k in 0..<limbs.count {
            let x = limbs[k] * UInt64(radix) + carry
            limbs[k] = x % base
            carry = x / base
        }
        while carry > 0 {
            limbs.append(carry % base)
            carry /= base
        }
    }
    var out = String(limbs[limbs.count - 1])
    var k = limbs.count - 2
    while k >= 0 {
        var part = String(limbs[k])
        while part.count < 9 { part = "0" + part }
        out += part
        k -= 1
    }
    return .big(out)
}
