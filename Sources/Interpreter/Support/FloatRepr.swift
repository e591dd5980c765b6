// FloatRepr.swift — CPython-compatible float <-> string conversions, rounding and hashing.
//
// Self-contained (Foundation/Glibc only). Mirrors CPython 3.11:
//   * repr(float) / str(float)            -> pyFloatRepr
//   * '%.Nf' / '%.Ne' / '%.Ng' and format()-style float rendering (PyOS_double_to_string)
//   * round(x, n), round(x)               -> pyRound, pyRoundHalfEven
//   * hash(float), hash(int)              -> pyFloatHash, pyIntHash
//   * float(str)                          -> pyParseFloat
//
// Digit generation: shortest round-trip digits come from Swift's `Double.description`
// (shortest, correctly rounded); fixed-precision digits come from glibc's snprintf, which is
// exact and rounds half-to-even on exact ties, exactly like David Gay's dtoa used by CPython.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

// MARK: - Digit generation

/// Decimal digits (ASCII '0'...'9', no leading/trailing zeros except the single "0" for zero)
/// and decimal-point position: value = 0.d1d2d3... * 10**decpt.
struct PyDecimalDigits {
    var digits: [UInt8]
    var decpt: Int
}

/// Run snprintf with a `%.*e` / `%.*f` style format on one double. Returns the ASCII bytes.
@inline(__always)
private func cFormatDouble(_ fmt: StaticString, _ precision: Int, _ d: Double, extra: Int) -> [UInt8] {
    let prec = Int32(clamping: precision)
    var capacity = Int(prec) + extra + 8
    while true {
        var buf = [UInt8](repeating: 0, count: capacity)
        let n: Int32 = buf.withUnsafeMutableBufferPointer { bp -> Int32 in
            return bp.baseAddress!.withMemoryRebound(to: CChar.self, capacity: capacity) { cp in
                fmt.withUTF8Buffer { fb -> Int32 in
                    fb.baseAddress!.withMemoryRebound(to: CChar.self, capacity: fb.count + 1) { fp in
                        withVaList([prec, d]) { va in vsnprintf(cp, capacity, fp, va) }
                    }
                }
            }
        }
        if n < 0 { return [] }
        if Int(n) < capacity {
            buf.removeSubrange(Int(n)...)
            return buf
        }
        capacity = Int(n) + 1
    }
}

/// `ndigits` significant digits, correctly rounded (dtoa mode 2). ndigits >= 1. |d| used.
func pySignificantDigits(_ d: Double, _ ndigits: Int) -> PyDecimalDigits {
    let a = Swift.abs(d)
    if a == 0 { return PyDecimalDigits(digits: [UInt8(ascii: "0")], decpt: 1) }
    // A double's exact decimal expansion has < 800 significant digits: more are trailing zeros.
    let s = cFormatDouble("%.*e", min(max(ndigits, 1), 800) - 1, a, extra: 16)
    var digits: [UInt8] = []
    digits.reserveCapacity(s.count)
    var i = 0
    while i < s.count && s[i] != UInt8(ascii: "e") {
        if s[i] >= 48 && s[i] <= 57 { digits.append(s[i]) }
        i += 1
    }
    var exp = 0
    var sign = 1
    i += 1
    while i < s.count {
        let c = s[i]
        if c == UInt8(ascii: "-") { sign = -1 } else if c >= 48 && c <= 57 { exp = exp * 10 + Int(c - 48) }
        i += 1
    }
    while digits.count > 1 && digits[digits.count - 1] == UInt8(ascii: "0") { digits.removeLast() }
    if digits.isEmpty { digits = [UInt8(ascii: "0")] }
    return PyDecimalDigits(digits: digits, decpt: sign * exp + 1)
}

/// Digits rounded to `ndigits` places after the point (dtoa mode 3). ndigits >= 0. |d| used.
/// A result that rounds to zero is returned as "0" with decpt 1.
func pyFixedDigits(_ d: Double, _ ndigits: Int) -> PyDecimalDigits {
    let a = Swift.abs(d)
    if a == 0 { return PyDecimalDigits(digits: [UInt8(ascii: "0")], decpt: 1) }
    if let q = pyFixedScaledInteger(a, ndigits) {
        if q == 0 { return PyDecimalDigits(digits: [UInt8(ascii: "0")], decpt: 1) }
        var digits = Array(String(q).utf8)
        let decpt = digits.count - ndigits
        while digits.count > 1 && digits[digits.count - 1] == UInt8(ascii: "0") { digits.removeLast() }
        return PyDecimalDigits(digits: digits, decpt: decpt)
    }
    // Digits beyond 1074 places after the point are always zero.
    let s = cFormatDouble("%.*f", min(max(ndigits, 0), 1100), a, extra: 330)
    var digits: [UInt8] = []
    digits.reserveCapacity(s.count)
    var intCount = -1
    for c in s {
        if c == UInt8(ascii: ".") { intCount = digits.count } else if c >= 48 && c <= 57 { digits.append(c) }
    }
    if intCount < 0 { intCount = digits.count }
    var lead = 0
    while lead < digits.count && digits[lead] == UInt8(ascii: "0") { lead += 1 }
    if lead == digits.count { return PyDecimalDigits(digits: [UInt8(ascii: "0")], decpt: 1) }
    digits.removeFirst(lead)
    while digits.count > 1 && digits[digits.count - 1] == UInt8(ascii: "0") { digits.removeLast() }
    return PyDecimalDigits(digits: digits, decpt: intCount - lead)
}

private let pyPow10U128: [UInt128] = {
    var r: [UInt128] = [1]
    for _ in 1...22 { r.append(r[r.count - 1] * 10) }
    return r
}()

/// Fast exact path: round(a * 10**p) (half-even on exact ties) for a finite a > 0 when it can be
/// computed in 128-bit integer arithmetic; nil otherwise.
@inline(__always)
func pyFixedScaledInteger(_ a: Double, _ p: Int) -> UInt128? {
    guard p >= 0 && p <= 18 && a.isNormal else { return nil }
    let bits = a.bitPattern
    let m = (bits & 0x000F_FFFF_FFFF_FFFF) | 0x0010_0000_0000_0000
    let e = Int((bits >> 52) & 0x7FF) - 1075
    if e >= 0 {
        if e > 10 { return nil }   // a < 2**63 keeps m << e * 10**p within 128 bits
        return (UInt128(m) << UInt128(e)) * pyPow10U128[p]
    }
    let sh = -e
    if sh > 120 { return nil }
    let n = UInt128(m) * pyPow10U128[p]
    var q = n >> UInt128(sh)
    let r = n & ((UInt128(1) << UInt128(sh)) - 1)
    let half = UInt128(1) << UInt128(sh - 1)
    if r > half || (r == half && (q & 1) == 1) { q += 1 }
    return q
}

// MARK: - PyOS_double_to_string port

/// Port of CPython's PyOS_double_to_string / format_float_short.
/// - formatCode: 'e','E','f','F','g','G','r' (repr; precision ignored).
/// - addDot0: Py_DTSF_ADD_DOT_0; alternate: Py_DTSF_ALT; alwaysSign: Py_DTSF_SIGN;
///   noNegZero: Py_DTSF_NO_NEG_0.
func pyDoubleToString(_ d: Double, formatCode: Character, precision: Int,
                      alternate: Bool = false, addDot0: Bool = false,
                      alwaysSign: Bool = false, noNegZero: Bool = false) -> String {
    pyDoubleToString(d, code: formatCode.asciiValue ?? UInt8(ascii: "r"), precision: precision,
                     alternate: alternate, addDot0: addDot0, alwaysSign: alwaysSign, noNegZero: noNegZero)
}

private let pyPow10U64: [UInt64] = (0...19).map { k in (0..<k).reduce(UInt64(1)) { r, _ in r * 10 } }

/// '%.Nf' of a finite d written at `out` (room for 48 bytes) when 0 <= precision <= 18 and
/// |d| * 10**precision < 2**64: the number of bytes; nil otherwise. The same text as
/// pyDoubleToString with code 'f' (the integer part, then exactly `precision` digits).
@inline(__always)
func pyFixedFast(_ d: Double, _ precision: Int, alternate: Bool = false, alwaysSign: Bool = false,
                 noNegZero: Bool = false, into out: UnsafeMutablePointer<UInt8>) -> Int? {
    guard precision >= 0 && precision <= 18 && d.isFinite else { return nil }
    let a = Swift.abs(d)
    var q: UInt64 = 0
    if a != 0 {
        guard let q128 = pyFixedScaledInteger(a, precision), q128 <= UInt128(UInt64.max) else { return nil }
        q = UInt64(q128)
    }
    var n = 0
    var negative = d.sign == .minus
    if noNegZero && negative && q == 0 { negative = false }
    if negative { out[0] = UInt8(ascii: "-"); n = 1 } else if alwaysSign { out[0] = UInt8(ascii: "+"); n = 1 }
    let p10 = pyPow10U64[precision]
    var ip = q / p10
    var fp = q % p10
    // Integer part (at least one digit), written backwards after counting its digits.
    var digits = 1
    var t = ip
    while t >= 10 { t /= 10; digits += 1 }
    var k = n + digits
    n = k
    repeat {
        k -= 1
        out[k] = UInt8(truncatingIfNeeded: ip % 10) &+ 48
        ip /= 10
    } while ip > 0
    if precision > 0 || alternate { out[n] = UInt8(ascii: "."); n += 1 }
    k = n + precision
    n = k
    while k > n - precision {
        k -= 1
        out[k] = UInt8(truncatingIfNeeded: fp % 10) &+ 48
        fp /= 10
    }
    return n
}

/// The same with the format code as an ASCII byte. The digits of 'r' and of 'f' (up to 18
/// places, values below 2**63) are made on the stack; the others go through snprintf.
func pyDoubleToString(_ d: Double, code formatCode: UInt8, precision: Int,
                      alternate: Bool = false, addDot0: Bool = false,
                      alwaysSign: Bool = false, noNegZero: Bool = false) -> String {
    if (formatCode == UInt8(ascii: "f") || formatCode == UInt8(ascii: "F")) && !addDot0 {
        let r = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buf -> String? in
            guard let base = buf.baseAddress,
                  let n = pyFixedFast(d, precision, alternate: alternate, alwaysSign: alwaysSign,
                                      noNegZero: noNegZero, into: base) else { return nil }
            return String(decoding: UnsafeBufferPointer(start: base, count: n), as: UTF8.self)
        }
        if let r { return r }
    }
    var code = formatCode
    var upper = false
    var precision = precision
    switch code {
    case UInt8(ascii: "E"): upper = true; code = UInt8(ascii: "e")
    case UInt8(ascii: "F"): upper = true; code = UInt8(ascii: "f")
    case UInt8(ascii: "G"): upper = true; code = UInt8(ascii: "g")
    case UInt8(ascii: "e"), UInt8(ascii: "f"), UInt8(ascii: "g"): break
    default: code = UInt8(ascii: "r")
    }
    if code == UInt8(ascii: "g") && precision == 0 { precision = 1 }
    if precision < 0 { precision = 0 }
    let negative = d.sign == .minus
    if d.isNaN || d.isInfinite {
        var s = ""
        if d.isInfinite {
            if negative { s = "-" } else if alwaysSign { s = "+" }
            s += upper ? "INF" : "inf"
        } else {
            if alwaysSign { s = "+" }
            s += upper ? "NAN" : "nan"
        }
        return s
    }
    let a = Swift.abs(d)
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buf -> String in
        guard let base = buf.baseAddress else { return "" }
        var n = 0
        var decpt = 0
        if a == 0 {
            base[0] = UInt8(ascii: "0"); n = 1; decpt = 1
        } else if code == UInt8(ascii: "f"), let q = pyFixedScaledInteger(a, precision), q <= UInt128(UInt64.max) {
            var v = UInt64(q)
            if v == 0 {
                base[0] = UInt8(ascii: "0"); n = 1; decpt = 1
            } else {
                // Digits backwards at the end of the buffer, then moved to the front.
                var i = 40
                while v > 0 {
                    i -= 1
                    base[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
                    v /= 10
                }
                n = 40 - i
                decpt = n - precision
                for k in 0..<n { base[k] = base[i + k] }
                while n > 1 && base[n - 1] == UInt8(ascii: "0") { n -= 1 }
            }
        } else if code == UInt8(ascii: "r") {
            (n, decpt) = pyShortestDigits(a, into: base)
        } else if code != UInt8(ascii: "f"),
                  let (cnt, dp) = pySignificantDigitsExact(a, code == UInt8(ascii: "e") ? precision + 1 : precision, into: base) {
            n = cnt
            decpt = dp
        } else {
            let dd: PyDecimalDigits
            switch code {
            case UInt8(ascii: "e"): dd = pySignificantDigits(a, precision + 1)
            case UInt8(ascii: "f"): dd = pyFixedDigits(a, precision)
            default: dd = pySignificantDigits(a, precision)
            }
            return dd.digits.withUnsafeBufferPointer { dp in
                pyAssembleFloat(dp, decpt: dd.decpt, negative: negative, code: code, precision: precision,
                                upper: upper, alternate: alternate, addDot0: addDot0, alwaysSign: alwaysSign,
                                noNegZero: noNegZero)
            }
        }
        return pyAssembleFloat(UnsafeBufferPointer(start: base, count: n), decpt: decpt, negative: negative,
                               code: code, precision: precision, upper: upper, alternate: alternate,
                               addDot0: addDot0, alwaysSign: alwaysSign, noNegZero: noNegZero)
    }
}

private let pyPow10U128Wide: [UInt128] = {
    var r: [UInt128] = [1]
    for _ in 1...38 { r.append(r[r.count - 1] * 10) }
    return r
}()

/// round(a * 10**k), half-even on exact ties, for a finite a > 0, when 128-bit integer
/// arithmetic holds it exactly; nil otherwise. `up`: the rounding went up (the exact product
/// is below q).
func pyScaledRound(_ a: Double, _ k: Int) -> (q: UInt128, up: Bool)? {
    guard a.isNormal, k >= -38, k <= 38 else { return nil }
    let bits = a.bitPattern
    let m = UInt128((bits & 0x000F_FFFF_FFFF_FFFF) | 0x0010_0000_0000_0000)
    let e = Int((bits >> 52) & 0x7FF) - 1075
    // a * 10**k = num / den exactly.
    var num: UInt128, den: UInt128
    if k >= 0 {
        guard k <= 18 else { return nil }       // m * 10**18 < 2**113
        num = m * pyPow10U128Wide[k]
        if e >= 0 {
            guard e <= 14 else { return nil }
            return (num << UInt128(e), false)
        }
        guard -e <= 120 else { return nil }
        den = UInt128(1) << UInt128(-e)
    } else {
        let nk = -k
        if e >= 0 {
            guard e <= 64 else { return nil }    // m << e < 2**117
            num = m << UInt128(e)
            den = pyPow10U128Wide[nk]
        } else {
            guard -e <= 60, nk <= 19 else { return nil }  // 10**19 << 60 < 2**124
            num = m
            den = pyPow10U128Wide[nk] << UInt128(-e)
        }
    }
    var q = num / den
    let r = num % den
    var up = false
    if r != 0 {
        // 2r against den without overflow: r > den - r.
        let rest = den - r
        if r > rest || (r == rest && (q & 1) == 1) { q += 1; up = true }
    }
    return (q, up)
}

/// `ndigits` (1...17) significant digits of a finite a > 0, correctly rounded (half-even on
/// exact ties, as dtoa mode 2 and glibc's printf), written at `out`: (count, decpt) with
/// trailing zeros dropped; nil when the value is out of the exact integer range.
private func pySignificantDigitsExact(_ a: Double, _ ndigits: Int, into out: UnsafeMutablePointer<UInt8>) -> (Int, Int)? {
    guard ndigits >= 1 && ndigits <= 17 && a.isNormal else { return nil }
    let lo = UInt128(pyPow10U128Wide[ndigits - 1]), hi = UInt128(pyPow10U128Wide[ndigits])
    var e10 = Int(log10(a).rounded(.down))
    for _ in 0..<3 {
        // a * 10**k has ndigits digits before the point when 10**e10 <= a < 10**(e10 + 1).
        guard let (q, up) = pyScaledRound(a, ndigits - 1 - e10) else { return nil }
        // Below 10**(ndigits - 1) before rounding: e10 was one too high.
        if q < lo || (q == lo && up) { e10 -= 1; continue }
        if q > hi { e10 += 1; continue }
        var v = UInt64(q)
        var decpt = e10 + 1
        if q == hi {        // rounded up to the next power of ten
            v = 1
            decpt = e10 + 2
        }
        var i = 40
        while v > 0 {
            i -= 1
            out[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
            v /= 10
        }
        var n = 40 - i
        for k in 0..<n { out[k] = out[i + k] }
        while n > 1 && out[n - 1] == UInt8(ascii: "0") { n -= 1 }
        return (n, decpt)
    }
    return nil
}

/// Shortest round-trip digits of a finite, non-zero a > 0 written at `out` (room for 40),
/// from Swift's `description` (shortest, correctly rounded): (count, decpt).
private func pyShortestDigits(_ a: Double, into out: UnsafeMutablePointer<UInt8>) -> (Int, Int) {
    var count = 0
    var pointPos = -1
    var exp = 0
    var expSign = 1
    var inExp = false
    for c in a.description.utf8 {
        if inExp {
            if c == UInt8(ascii: "-") { expSign = -1 } else if c >= 48 && c <= 57 { exp = exp * 10 + Int(c - 48) }
        } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            inExp = true
        } else if c == UInt8(ascii: ".") {
            pointPos = count
        } else if c >= 48 && c <= 57 && count < 40 {
            out[count] = c
            count += 1
        }
    }
    if pointPos < 0 { pointPos = count }
    var lead = 0
    while lead < count - 1 && out[lead] == UInt8(ascii: "0") { lead += 1 }
    if lead > 0 {
        for k in 0..<(count - lead) { out[k] = out[k + lead] }
        count -= lead
        pointPos -= lead
    }
    while count > 1 && out[count - 1] == UInt8(ascii: "0") { count -= 1 }
    return (count, pointPos + expSign * exp)
}

/// format_float_short's layout of digits (value = 0.DIGITS * 10**decpt) as text.
private func pyAssembleFloat(_ digits: UnsafeBufferPointer<UInt8>, decpt decpt0: Int, negative: Bool, code: UInt8,
                             precision: Int, upper: Bool, alternate: Bool, addDot0: Bool, alwaysSign: Bool,
                             noNegZero: Bool) -> String {
    var decpt = decpt0
    let digitsLen = digits.count
    var sign = negative
    if noNegZero && sign && (digitsLen == 0 || (digitsLen == 1 && digits[0] == UInt8(ascii: "0"))) {
        sign = false
    }
    var vdigitsEnd = digitsLen
    var useExp = false
    switch code {
    case UInt8(ascii: "e"):
        useExp = true
        vdigitsEnd = precision + 1   // precision was incremented in CPython
    case UInt8(ascii: "f"):
        vdigitsEnd = decpt + precision
    case UInt8(ascii: "g"):
        if decpt <= -4 || decpt > (addDot0 ? precision - 1 : precision) { useExp = true }
        if alternate { vdigitsEnd = precision }
    default: // 'r'
        if decpt <= -4 || decpt > 16 { useExp = true }
    }
    var exp = 0
    if useExp {
        exp = decpt - 1
        decpt = 1
    }
    let vdigitsStart = decpt <= 0 ? decpt - 1 : 0
    if !useExp && addDot0 {
        vdigitsEnd = vdigitsEnd > decpt ? vdigitsEnd : decpt + 1
    } else {
        vdigitsEnd = vdigitsEnd > decpt ? vdigitsEnd : decpt
    }
    let capacity = 16 + digitsLen + Swift.abs(decpt) + Swift.max(0, vdigitsEnd) + Swift.max(0, -vdigitsStart)
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buf -> String in
        guard let out = buf.baseAddress else { return "" }
        var n = 0
        let zero = UInt8(ascii: "0")
        let point = UInt8(ascii: ".")
        @inline(__always) func zeros(_ k: Int) {
            if k > 0 { (out + n).initialize(repeating: zero, count: k); n += k }
        }
        @inline(__always) func copy(_ lo: Int, _ hi: Int) {
            if hi > lo, let src = digits.baseAddress { (out + n).initialize(from: src + lo, count: hi - lo); n += hi - lo }
        }
        if sign { out[n] = UInt8(ascii: "-"); n += 1 } else if alwaysSign { out[n] = UInt8(ascii: "+"); n += 1 }
        if decpt <= 0 {
            zeros(decpt - vdigitsStart)
            out[n] = point; n += 1
            zeros(-decpt)
        } else {
            zeros(-vdigitsStart)
        }
        if 0 < decpt && decpt <= digitsLen {
            copy(0, decpt)
            out[n] = point; n += 1
            copy(decpt, digitsLen)
        } else {
            copy(0, digitsLen)
        }
        if digitsLen < decpt {
            zeros(decpt - digitsLen)
            out[n] = point; n += 1
            zeros(Swift.max(0, vdigitsEnd - decpt))
        } else {
            zeros(Swift.max(0, vdigitsEnd - digitsLen))
        }
        if n > 0 && out[n - 1] == point && !alternate { n -= 1 }
        if useExp {
            out[n] = upper ? UInt8(ascii: "E") : UInt8(ascii: "e"); n += 1
            out[n] = exp < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"); n += 1
            let ae = Swift.abs(exp)
            if ae >= 100 { out[n] = UInt8(truncatingIfNeeded: ae / 100) &+ 48; n += 1 }
            out[n] = UInt8(truncatingIfNeeded: (ae / 10) % 10) &+ 48; n += 1
            out[n] = UInt8(truncatingIfNeeded: ae % 10) &+ 48; n += 1
        }
        return String(decoding: UnsafeBufferPointer(start: out, count: n), as: UTF8.self)
    }
}

// MARK: - Public helpers

/// repr(float) == str(float) in CPython 3.
public func pyFloatRepr(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
    // Swift's `description` has the same shortest digits, and the same text wherever both
    // use fixed notation (Swift: from 1e-4 to below 2**53) or both an exponent (below 1e-4, and
    // from 1e16): only 2**53 <= |d| < 1e16 needs the general path. (Checked against CPython's
    // repr on 400,000 values and the boundaries.)
    let a = Swift.abs(d)
    if a < 9007199254740992.0 || a >= 1e16 { return d.description }
    return pyDoubleToString(d, code: UInt8(ascii: "r"), precision: 0, addDot0: true)
}

/// '%.Nf' (CPython: correctly rounded, half-even on exact binary ties).
func pyFormatFloatFixed(_ d: Double, precision: Int, alternate: Bool = false) -> String {
    pyDoubleToString(d, formatCode: "f", precision: precision, alternate: alternate)
}

/// '%.Ne' — e.g. '1.23e+05' (exponent at least two digits).
func pyFormatFloatExp(_ d: Double, precision: Int, alternate: Bool = false, uppercase: Bool = false) -> String {
    pyDoubleToString(d, formatCode: uppercase ? "E" : "e", precision: precision, alternate: alternate)
}

/// '%.Ng' semantics (precision 0 is treated as 1). `alternate` keeps trailing zeros and the point.
/// `addDot0` gives the format-spec "no type but a precision" flavour (format(2.0, '.3') == '2.0').
func pyFormatFloatGeneral(_ d: Double, precision: Int, alternate: Bool = false,
                          uppercase: Bool = false, addDot0: Bool = false) -> String {
    pyDoubleToString(d, formatCode: uppercase ? "G" : "g", precision: precision,
                     alternate: alternate, addDot0: addDot0)
}

/// For the '%' operator: format one of 'e','E','f','F','g','G' ('r' = repr).
/// Sign/width/padding are the caller's job (or use pyDoubleToString(alwaysSign:)).
func pyFloatToString(_ d: Double, format: Character, precision: Int, alternate: Bool) -> String {
    pyDoubleToString(d, formatCode: format, precision: precision, alternate: alternate)
}

// MARK: - Rounding

/// round(x) with ndigits=None, as a Double (half-to-even). The caller converts to int
/// (CPython raises OverflowError/ValueError for inf/nan: "cannot convert float infinity to integer",
/// "cannot convert float NaN to integer").
func pyRoundHalfEven(_ d: Double) -> Double {
    d.rounded(.toNearestOrEven)
}

/// round(x, ndigits) exactly like CPython's float.__round__ (correctly rounded via decimal,
/// half-even on exact ties). nan/inf/±0 are returned unchanged. If the rounded value overflows
/// (only possible for huge |x| and negative ndigits) the result is ±infinity: CPython raises
/// OverflowError("rounded value too large to represent") in that case — the caller should check
/// `result.isInfinite && x.isFinite`.
func pyRound(_ d: Double, ndigits: Int) -> Double {
    if !d.isFinite || d == 0 { return d }
    let ndigitsMax = 323   // (DBL_MANT_DIG - DBL_MIN_EXP) * 0.30103
    let ndigitsMin = -308  // -(DBL_MAX_EXP + 1) * 0.30103
    if ndigits > ndigitsMax { return d }
    if ndigits < ndigitsMin { return 0.0 * d }
    var digits: [UInt8]
    var decpt: Int
    if ndigits >= 0 {
        if ndigits <= 18, let q = pyFixedScaledInteger(Swift.abs(d), ndigits), q < (UInt128(1) << 53) {
            // q and 10**ndigits are exact doubles: one correctly rounded division.
            let r = Double(UInt64(q)) / pyPow10Double[ndigits]
            return d < 0 ? -r : r
        }
        let dd = pyFixedDigits(d, ndigits)
        digits = dd.digits
        decpt = dd.decpt
    } else {
        // Round the exact integer part to a multiple of 10**k (k = -ndigits), half-even,
        // taking the fractional part into account for ties.
        let k = -ndigits
        let a = Swift.abs(d)
        let ip = a.rounded(.towardZero)
        let hasFrac = ip != a
        var s = cFormatDouble("%.*f", 0, ip, extra: 330)
        if s.isEmpty { s = [UInt8(ascii: "0")] }
        // s has no point; exact integer digits
        if s.count < k {
            // |x| < 10**(k-1)*... : compare with half = 5 * 10**(k-1)
            // If s.count < k, then a < 10**(k-1) *10 ... only a tie/above half if s.count == k.
            return 0.0 * d
        }
        let keep = s.count - k
        let rest = s[keep...]
        var cmp = 0 // -1 below half, 0 tie, 1 above
        let firstDropped = rest.first ?? UInt8(ascii: "0")  // nothing dropped: exact, rounds down
        if firstDropped > UInt8(ascii: "5") { cmp = 1 } else if firstDropped < UInt8(ascii: "5") { cmp = -1 } else {
            cmp = rest.dropFirst().contains(where: { $0 != UInt8(ascii: "0") }) ? 1 : 0
            if cmp == 0 && hasFrac { cmp = 1 }
        }
        var head = Array(s[0..<keep])
        var roundUp = cmp > 0
        if cmp == 0 {
            let last = head.last.map { Int($0 - 48) } ?? 0
            roundUp = last % 2 == 1
        }
        if roundUp {
            var i = head.count - 1
            var carry = true
            while carry && i >= 0 {
                if head[i] == UInt8(ascii: "9") { head[i] = UInt8(ascii: "0"); i -= 1 } else { head[i] += 1; carry = false }
            }
            if carry { head.insert(UInt8(ascii: "1"), at: 0) }
        }
        if head.isEmpty || head.allSatisfy({ $0 == UInt8(ascii: "0") }) { return 0.0 * d }
        digits = head
        decpt = head.count + k
    }
    // Build "[-]0.DIGITSe<decpt>" and convert back with strtod.
    var str: [UInt8] = []
    str.reserveCapacity(digits.count + 16)
    if d < 0 { str.append(UInt8(ascii: "-")) }
    str.append(UInt8(ascii: "0")); str.append(UInt8(ascii: "."))
    str.append(contentsOf: digits)
    str.append(UInt8(ascii: "e"))
    str.append(contentsOf: String(decpt).utf8)
    str.append(0)
    let r: Double = str.withUnsafeBufferPointer { bp in
        bp.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bp.count) { strtod($0, nil) }
    }
    return r
}

// MARK: - Hashing

private let pyPow10Double: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]

private let pyHashBits: UInt64 = 61
private let pyHashModulus: UInt64 = (1 << 61) - 1

/// CPython's hash(float). nan hashes to 0 (CPython 3.11 uses object identity).
func pyFloatHash(_ v: Double) -> Int {
    if !v.isFinite {
        if v.isInfinite { return v > 0 ? 314159 : -314159 }
        return 0
    }
    var e: Int32 = 0
    var m = frexp(v, &e)
    var exponent = Int(e)
    var sign: Int64 = 1
    if m < 0 { sign = -1; m = -m }
    var x: UInt64 = 0
    while m != 0 {
        x = ((x << 28) & pyHashModulus) | x >> (pyHashBits - 28)
        m *= 268435456.0
        exponent -= 28
        let y = UInt64(m)
        m -= Double(y)
        x += y
        if x >= pyHashModulus { x -= pyHashModulus }
    }
    let bits = Int(pyHashBits)
    exponent = exponent >= 0 ? exponent % bits : bits - 1 - ((-1 - exponent) % bits)
    let ue = UInt64(exponent)
    x = ((x << ue) & pyHashModulus) | x >> (pyHashBits - ue)
    var r = Int64(bitPattern: x) &* sign
    if r == -1 { r = -2 }
    return Int(r)
}

/// CPython's hash(int) for a machine integer.
func pyIntHash(_ i: Int) -> Int {
    let mag = i.magnitude
    var h = Int(UInt64(mag) % pyHashModulus)
    if i < 0 { h = -h }
    return h == -1 ? -2 : h
}

/// hash() of an arbitrary-size int given its magnitude as little-endian 32-bit words.
func pyIntHash(negative: Bool, magnitudeWords: [UInt32]) -> Int {
    // Horner over words from most significant: x = (x * 2^32 + w) mod P
    var x: UInt64 = 0
    for w in magnitudeWords.reversed() {
        // (x << 32) mod P  with P = 2^61-1: rotate within 61 bits
        x = ((x << 32) & pyHashModulus) | (x >> (pyHashBits - 32))
        x += UInt64(w)
        if x >= pyHashModulus { x -= pyHashModulus }
    }
    var h = Int(x)
    if negative { h = -h }
    return h == -1 ? -2 : h
}

// MARK: - Parsing

/// float(str): returns nil when CPython raises ValueError("could not convert string to float: ...").
func pyParseFloat(_ s: String) -> Double? {
    // Map Unicode decimal digits to ASCII, Unicode whitespace to ' ' (as CPython does).
    var bytes: [UInt8] = []
    bytes.reserveCapacity(s.utf8.count)
    for u in s.unicodeScalars {
        if u.isASCII {
            bytes.append(UInt8(u.value))
        } else if u.properties.isWhitespace {
            bytes.append(UInt8(ascii: " "))
        } else if u.properties.numericType == .decimal, let v = u.properties.numericValue,
                  v >= 0, v <= 9 {
            bytes.append(UInt8(48 + Int(v)))
        } else {
            return nil
        }
    }
    func isSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f) }
    var lo = 0
    var hi = bytes.count
    while lo < hi && isSpace(bytes[lo]) { lo += 1 }
    while hi > lo && isSpace(bytes[hi - 1]) { hi -= 1 }
    if lo == hi { return nil }
    var t: [UInt8] = []
    t.reserveCapacity(hi - lo + 1)
    // Underscores: only between two digits.
    var i = lo
    while i < hi {
        let c = bytes[i]
        if c == UInt8(ascii: "_") {
            let prevDigit = i > lo && bytes[i - 1] >= 48 && bytes[i - 1] <= 57
            let nextDigit = i + 1 < hi && bytes[i + 1] >= 48 && bytes[i + 1] <= 57
            if !(prevDigit && nextDigit) { return nil }
        } else {
            t.append(c)
        }
        i += 1
    }
    // Validate grammar: [sign] (inf|infinity|nan | digits[.digits][e[sign]digits] | .digits[...])
    var p = 0
    var negative = false
    if p < t.count && (t[p] == UInt8(ascii: "+") || t[p] == UInt8(ascii: "-")) {
        negative = t[p] == UInt8(ascii: "-")
        p += 1
    }
    let rest = String(decoding: t[p...], as: UTF8.self).lowercased()
    if rest == "inf" || rest == "infinity" { return negative ? -Double.infinity : Double.infinity }
    if rest == "nan" { return negative ? -Double.nan : Double.nan }
    var nInt = 0
    while p < t.count && t[p] >= 48 && t[p] <= 57 { p += 1; nInt += 1 }
    var nFrac = 0
    if p < t.count && t[p] == UInt8(ascii: ".") {
        p += 1
        while p < t.count && t[p] >= 48 && t[p] <= 57 { p += 1; nFrac += 1 }
    }
    if nInt + nFrac == 0 { return nil }
    if p < t.count && (t[p] == UInt8(ascii: "e") || t[p] == UInt8(ascii: "E")) {
        p += 1
        if p < t.count && (t[p] == UInt8(ascii: "+") || t[p] == UInt8(ascii: "-")) { p += 1 }
        var nExp = 0
        while p < t.count && t[p] >= 48 && t[p] <= 57 { p += 1; nExp += 1 }
        if nExp == 0 { return nil }
    }
    if p != t.count { return nil }
    t.append(0)
    return t.withUnsafeBufferPointer { bp in
        bp.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bp.count) { strtod($0, nil) }
    }
}
