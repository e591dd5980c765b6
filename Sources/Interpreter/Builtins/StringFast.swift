#if canImport(Glibc)
import Glibc
#endif

// Inline versions of the str methods hot loops call most, used at `s.method(...)` call sites
// (str cannot be subclassed or patched, so the receiver's methods are always these). Each
// returns nil for anything it does not handle exactly like the general method (non-ASCII text
// where positions matter, arguments of other types, errors); the call site then calls the
// general method with the arguments it has already evaluated.

enum StrFast {
    case none, strip, lstrip, rstrip, upper, lower, find, count, startswith, endswith
    case splitWhitespace, splitSep, partition, replace, join
    case stripChars, lstripChars, rstripChars, isdigit, isalpha, isspace

    static func forCall(_ name: String, _ argc: Int) -> StrFast {
        switch (name, argc) {
        case ("strip", 0): return .strip
        case ("lstrip", 0): return .lstrip
        case ("rstrip", 0): return .rstrip
        case ("upper", 0): return .upper
        case ("lower", 0): return .lower
        case ("find", 1): return .find
        case ("count", 1): return .count
        case ("startswith", 1): return .startswith
        case ("endswith", 1): return .endswith
        case ("split", 0): return .splitWhitespace
        case ("split", 1): return .splitSep
        case ("partition", 1): return .partition
        case ("replace", 2): return .replace
        case ("join", 1): return .join
        case ("strip", 1): return .stripChars
        case ("lstrip", 1): return .lstripChars
        case ("rstrip", 1): return .rstripChars
        case ("isdigit", 0): return .isdigit
        case ("isalpha", 0): return .isalpha
        case ("isspace", 0): return .isspace
        default: return .none
        }
    }
}

/// Python's whitespace among ASCII bytes (str.split() and str.strip() with no arguments).
@inline(__always)
func isASCIISpace(_ b: UInt8) -> Bool {
    b == 0x20 || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F)
}

/// First index of `needle` in `hay[from...]`.
@inline(__always)
func bufFind(_ hay: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
    let n = needle.count
    if n == 0 { return from <= hay.count ? from : nil }
    if hay.count - from < n { return nil }
    guard let h = hay.baseAddress, let nd = needle.baseAddress else { return nil }
    let first = nd[0]
    var i = from
    let last = hay.count - n
    while i <= last {
        // memchr for the first byte, then compare the rest.
        guard let p = memchr(h + i, Int32(first), last - i + 1) else { return nil }
        let j = UnsafeRawPointer(h).distance(to: UnsafeRawPointer(p))
        if n == 1 || memcmp(h + j + 1, nd + 1, n - 1) == 0 { return j }
        i = j + 1
    }
    return nil
}

/// An ASCII str without the leading (`left`) and trailing (`right`) bytes `strip` accepts;
/// the str itself when nothing goes.
@inline(__always)
func asciiStrip(_ s: PyStr, left: Bool, right: Bool, _ strip: (UInt8) -> Bool) -> Value {
    s.withBytes { buf -> Value in
        var lo = 0, hi = buf.count
        if left { while lo < hi && strip(buf[lo]) { lo += 1 } }
        if right { while hi > lo && strip(buf[hi - 1]) { hi -= 1 } }
        if lo == 0 && hi == buf.count { return .obj(s) }
        return .obj(PyStr(bytesString(buf, lo, hi), ascii: true))
    }
}

@inline(__always)
func bytesString(_ buf: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: buf[lo..<hi]), as: UTF8.self)
}

extension Runtime {
    func strFast(_ kind: StrFast, _ s: PyStr, _ a0: Value, _ a1: Value) -> Value? {
        switch kind {
        case .none:
            return nil

        case .stripChars, .lstripChars, .rstripChars:
            // ASCII text and ASCII characters only (None and errors: the general method).
            guard s.isASCII, let cs = a0.asStr, cs.isASCII else { return nil }
            // The characters as a 128-bit set, fixed before the closure reads it.
            let (low, high) = cs.withBytes { bytes -> (UInt64, UInt64) in
                var low: UInt64 = 0, high: UInt64 = 0
                for b in bytes { if b < 64 { low |= 1 << UInt64(b) } else { high |= 1 << UInt64(b & 63) } }
                return (low, high)
            }
            return asciiStrip(s, left: kind != .rstripChars, right: kind != .lstripChars) { b in
                b < 64 ? low & (1 << UInt64(b)) != 0 : high & (1 << UInt64(b & 63)) != 0
            }

        case .isdigit, .isalpha, .isspace:
            guard s.isASCII else { return nil }
            return .bool(s.withBytes { buf -> Bool in
                if buf.isEmpty { return false }
                switch kind {
                case .isdigit: return buf.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
                case .isalpha: return buf.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }
                default: return buf.allSatisfy(isASCIISpace)
                }
            })

        case .strip, .lstrip, .rstrip:
            guard s.isASCII else { return nil }
            return asciiStrip(s, left: kind != .rstrip, right: kind != .lstrip, isASCIISpace)

        case .upper, .lower:
            guard s.isASCII else { return nil }
            let lowA: UInt8 = kind == .upper ? 0x61 : 0x41
            let r = s.withBytes { buf in
                String(unsafeUninitializedCapacity: buf.count) { out in
                    for i in 0..<buf.count {
                        let b = buf[i]
                        out[i] = b >= lowA && b < lowA + 26 ? b ^ 0x20 : b
                    }
                    return buf.count
                }
            }
            return .obj(PyStr(r, ascii: true))

        case .find:
            guard s.isASCII, let sub = a0.asStr else { return nil }
            let r = s.withBytes { h in sub.withBytes { n in bufFind(h, n, from: 0) } }
            return .int(r ?? -1)

        case .count:
            guard s.isASCII, let sub = a0.asStr, !sub.value.isEmpty else { return nil }
            let r = s.withBytes { h in
                sub.withBytes { n -> Int in
                    var c = 0, i = 0
                    while let j = bufFind(h, n, from: i) { c += 1; i = j + n.count }
                    return c
                }
            }
            return .int(r)

        case .startswith, .endswith:
            // A UTF-8 byte prefix that is itself whole UTF-8 is a code point prefix.
            guard let p = a0.asStr else { return nil }
            let r = s.withBytes { h in
                p.withBytes { n -> Bool in
                    if n.count > h.count { return false }
                    if n.count == 0 { return true }
                    guard let hb = h.baseAddress, let nb = n.baseAddress else { return false }
                    let off = kind == .startswith ? 0 : h.count - n.count
                    return memcmp(hb + off, nb, n.count) == 0
                }
            }
            return .bool(r)

        case .splitWhitespace:
            guard s.isASCII else { return nil }
            let out = s.withBytes { buf -> [Value] in
                var out: [Value] = []
                var i = 0
                let n = buf.count
                while i < n {
                    while i < n && isASCIISpace(buf[i]) { i += 1 }
                    if i >= n { break }
                    let start = i
                    while i < n && !isASCIISpace(buf[i]) { i += 1 }
                    out.append(.obj(PyStr(bytesString(buf, start, i), ascii: true)))
                }
                return out
            }
            return .obj(PyList(out))

        case .splitSep:
            guard let sep = a0.asStr, !sep.value.isEmpty else { return nil }
            let ascii = s.isASCII
            let out = s.withBytes { h in
                sep.withBytes { nd -> [Value] in
                    var out: [Value] = []
                    var i = 0
                    while let j = bufFind(h, nd, from: i) {
                        out.append(.obj(ascii ? PyStr(bytesString(h, i, j), ascii: true) : PyStr(bytesString(h, i, j))))
                        i = j + nd.count
                    }
                    out.append(.obj(ascii ? PyStr(bytesString(h, i, h.count), ascii: true) : PyStr(bytesString(h, i, h.count))))
                    return out
                }
            }
            return .obj(PyList(out))

        case .partition:
            guard let sep = a0.asStr, !sep.value.isEmpty else { return nil }
            let ascii = s.isASCII
            let parts = s.withBytes { h in
                sep.withBytes { nd -> (String, String)? in
                    guard let j = bufFind(h, nd, from: 0) else { return nil }
                    return (bytesString(h, 0, j), bytesString(h, j + nd.count, h.count))
                }
            }
            guard let (head, tail) = parts else {
                return .obj(PyTuple([.obj(s), .str(""), .str("")]))
            }
            if ascii {
                return .obj(PyTuple([.obj(PyStr(head, ascii: true)), a0, .obj(PyStr(tail, ascii: true))]))
            }
            return .obj(PyTuple([.str(head), a0, .str(tail)]))

        case .replace:
            guard let old = a0.asStr, let new = a1.asStr, !old.value.isEmpty else { return nil }
            let r = s.withBytes { h in
                old.withBytes { nd in
                    new.withBytes { rep -> [UInt8]? in
                        guard var j = bufFind(h, nd, from: 0) else { return nil }
                        var out: [UInt8] = []
                        out.reserveCapacity(h.count)
                        var i = 0
                        while true {
                            out.append(contentsOf: UnsafeBufferPointer(rebasing: h[i..<j]))
                            out.append(contentsOf: rep)
                            i = j + nd.count
                            guard let k = bufFind(h, nd, from: i) else { break }
                            j = k
                        }
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: h[i..<h.count]))
                        return out
                    }
                }
            }
            guard let bytes = r else { return .obj(s) }
            return .str(String(decoding: bytes, as: UTF8.self))

        case .join:
            let items: [Value]
            if let l = a0.asList { items = l.items } else if let t = a0.asTuple { items = t.items } else { return nil }
            if items.isEmpty { return .str("") }
            var total = s.value.utf8.count * (items.count - 1)
            for v in items {
                guard let p = v.asStr else { return nil }
                total += p.value.utf8.count
            }
            // One allocation, then plain byte copies.
            var ascii = s.knownASCII
            let out = s.withBytes { sep in
                String(unsafeUninitializedCapacity: total) { buf -> Int in
                    guard let base = buf.baseAddress else { return 0 }
                    var k = 0
                    for (n, v) in items.enumerated() {
                        if n > 0, let sp = sep.baseAddress {
                            (base + k).initialize(from: sp, count: sep.count)
                            k += sep.count
                        }
                        guard case .obj(let o) = v else { continue }
                        let p = unsafeDowncast(o, to: PyStr.self)
                        if !p.knownASCII { ascii = false }
                        p.withBytes { pb in
                            if let pp = pb.baseAddress { (base + k).initialize(from: pp, count: pb.count) }
                            k += pb.count
                        }
                    }
                    return k
                }
            }
            return ascii ? .obj(PyStr(out, ascii: true)) : .str(out)
        }
    }
}
