import Foundation

// The methods of str. Searching works on UTF-8 bytes (byte order equals code point order and
// matching is exact, unlike Foundation's canonical-equivalence searches); positions reported
// to programs are code point indices.

/// Code point index of a UTF-8 byte offset.
func scalarIndex(_ bytes: [UInt8], _ byteOffset: Int) -> Int {
    var n = 0
    var i = 0
    while i < byteOffset { if bytes[i] & 0xC0 != 0x80 { n += 1 }; i += 1 }
    return n
}

/// UTF-8 byte offset of a code point index (clamped).
func byteOffset(_ bytes: [UInt8], _ scalarIdx: Int) -> Int {
    if scalarIdx <= 0 { return 0 }
    var n = 0
    var i = 0
    while i < bytes.count {
        if bytes[i] & 0xC0 != 0x80 {
            if n == scalarIdx { return i }
            n += 1
        }
        i += 1
    }
    return bytes.count
}

func findBytes(_ hay: [UInt8], _ needle: [UInt8], from: Int, to: Int) -> Int? {
    let n = needle.count
    if n == 0 { return from <= to ? from : nil }
    if to - from < n { return nil }
    let first = needle[0]
    var i = from
    let last = to - n
    while i <= last {
        if hay[i] == first {
            var j = 1
            while j < n && hay[i + j] == needle[j] { j += 1 }
            if j == n { return i }
        }
        i += 1
    }
    return nil
}

func rfindBytes(_ hay: [UInt8], _ needle: [UInt8], from: Int, to: Int) -> Int? {
    let n = needle.count
    if n == 0 { return from <= to ? to : nil }
    var i = to - n
    while i >= from {
        var j = 0
        while j < n && hay[i + j] == needle[j] { j += 1 }
        if j == n { return i }
        i -= 1
    }
    return nil
}

@inline(__always) func bytesToString<C: Collection>(_ b: C) -> String where C.Element == UInt8 {
    String(decoding: b, as: UTF8.self)
}

func isPythonWhitespace(_ u: Unicode.Scalar) -> Bool {
    switch u.value {
    case 0x09...0x0D, 0x1C...0x1F, 0x20, 0x85, 0xA0: return true
    default: return u.value > 0x7f && u.properties.isWhitespace
    }
}

extension Runtime {
    func strArg(_ v: Value, _ method: String, _ what: String = "") throws(PyErr) -> String {
        guard let s = v.asStr else {
            throw typeError("\(what.isEmpty ? "must be str" : what), not \(typeName(v))")
        }
        return s.value
    }

    /// Optional start/end arguments of find/count/startswith, as byte offsets.
    func byteRange(_ bytes: [UInt8], _ s: PyStr, _ args: ArraySlice<Value>) throws(PyErr) -> (Int, Int) {
        let n = s.count
        func norm(_ v: Value?, _ dflt: Int) throws(PyErr) -> Int {
            guard let v, !v.isNone else { return dflt }
            var i = try indexValue(v, "slice indices must be integers or None or have an __index__ method")
            if i < 0 { i += n; if i < 0 { i = 0 } }
            return min(i, n)
        }
        let start = try norm(args.first, 0)
        let end = try norm(args.dropFirst().first, n)
        // A start past the end finds nothing, not even the empty string: an empty range.
        if let a = args.first, !a.isNone, let raw = a.bigIntValue, raw > n { return (0, -1) }
        if s.isASCII { return (start, end < start ? -1 : end) }
        return (byteOffset(bytes, start), end < start ? -1 : byteOffset(bytes, end))
    }

    func installStringMethods() {
        let cls = types.str
        func method(_ name: String, _ fn: @escaping (PyStr, [Value], KwArgs) throws(PyErr) -> Value) {
            cls.setAttribute(name, .obj(PyBuiltin(name) { args, kwargs throws(PyErr) in
                guard let s = args.first?.asStr else {
                    throw self.typeError("descriptor '\(name)' requires a 'str' object")
                }
                return try fn(s, Array(args.dropFirst()), kwargs)
            }))
        }
        func mapScalars(_ s: String, _ f: (Unicode.Scalar) -> String) -> String {
            var out = ""
            for u in s.unicodeScalars { out += f(u) }
            return out
        }
        method("upper") { s, _, _ in .str(s.value.uppercased()) }
        method("lower") { s, _, _ in .str(pyLower(s.value)) }
        method("casefold") { s, _, _ in .str(pyLower(s.value).folding(options: [.caseInsensitive], locale: nil)) }
        method("swapcase") { s, _, _ in
            .str(mapScalars(s.value) { u in
                if u.properties.isUppercase { return u.properties.lowercaseMapping }
                if u.properties.isLowercase { return u.properties.uppercaseMapping }
                return String(u)
            })
        }
        method("title") { s, _, _ in
            var out = ""
            var prevCased = false
            for u in s.value.unicodeScalars {
                if prevCased { out += u.properties.lowercaseMapping } else { out += u.properties.titlecaseMapping }
                prevCased = u.properties.isCased
            }
            return .str(out)
        }
        method("capitalize") { s, _, _ in
            var out = ""
            for (i, u) in s.value.unicodeScalars.enumerated() {
                out += i == 0 ? u.properties.titlecaseMapping : u.properties.lowercaseMapping
            }
            return .str(out)
        }
        // ASCII text is tested byte by byte (`ascii`), without Unicode property lookups.
        func predicate(_ name: String, emptyResult: Bool = false, ascii: ((UInt8) -> Bool)? = nil,
                       _ test: @escaping (Unicode.Scalar) -> Bool) {
            method(name) { s, _, _ in
                if s.value.isEmpty { return .bool(emptyResult) }
                if let ascii, s.isASCII { return .bool(s.withBytes { $0.allSatisfy(ascii) }) }
                return .bool(s.value.unicodeScalars.allSatisfy(test))
            }
        }
        func isDigitByte(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        func isAlphaByte(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        predicate("isdigit", ascii: isDigitByte) { u in u.properties.numericType == .digit || u.properties.numericType == .decimal }
        predicate("isdecimal", ascii: isDigitByte) { u in u.properties.numericType == .decimal }
        predicate("isnumeric", ascii: isDigitByte) { u in u.properties.numericType != nil }
        predicate("isalpha", ascii: isAlphaByte) { u in u.properties.isAlphabetic && !(u.properties.numericType != nil) && u.properties.generalCategory != .spacingMark && u.properties.generalCategory != .nonspacingMark }
        predicate("isalnum", ascii: { isAlphaByte($0) || isDigitByte($0) }) { u in u.properties.isAlphabetic || u.properties.numericType != nil }
        predicate("isspace", ascii: isASCIISpace) { u in isPythonWhitespace(u) }
        predicate("isascii", emptyResult: true) { u in u.value < 128 }
        predicate("isprintable", emptyResult: true) { u in isPrintable(u) }
        method("isupper") { s, _, _ in
            var cased = false
            for u in s.value.unicodeScalars {
                if u.properties.isLowercase || u.properties.generalCategory == .titlecaseLetter { return .bool(false) }
                if u.properties.isUppercase { cased = true }
            }
            return .bool(cased)
        }
        method("islower") { s, _, _ in
            var cased = false
            for u in s.value.unicodeScalars {
                if u.properties.isUppercase || u.properties.generalCategory == .titlecaseLetter { return .bool(false) }
                if u.properties.isLowercase { cased = true }
            }
            return .bool(cased)
        }
        method("istitle") { s, _, _ in
            var cased = false, prevCased = false
            for u in s.value.unicodeScalars {
                let upper = u.properties.isUppercase || u.properties.generalCategory == .titlecaseLetter
                let lower = u.properties.isLowercase
                if upper {
                    if prevCased { return .bool(false) }
                    prevCased = true; cased = true
                } else if lower {
                    if !prevCased { return .bool(false) }
                    prevCased = true; cased = true
                } else {
                    prevCased = false
                }
            }
            return .bool(cased)
        }
        method("isidentifier") { s, _, _ in
            guard let f = s.value.unicodeScalars.first else { return .bool(false) }
            let okFirst = f == "_" || f.properties.isXIDStart
            return .bool(okFirst && s.value.unicodeScalars.dropFirst().allSatisfy { $0 == "_" || $0.properties.isXIDContinue })
        }

        func stripper(_ name: String, left: Bool, right: Bool) {
            method(name) { s, args, _ throws(PyErr) in
                try self.argCount(name, args, 0, 1)
                var chars: Set<Unicode.Scalar>? = nil
                if let c = args.first, !c.isNone {
                    guard let cs = c.asStr else { throw self.typeError("\(name) arg must be None or str") }
                    if s.isASCII && cs.isASCII {
                        // ASCII text and characters: a byte table, and the bytes sliced.
                        var strip = [Bool](repeating: false, count: 128)
                        cs.withBytes { for b in $0 { strip[Int(b)] = true } }
                        return asciiStrip(s, left: left, right: right) { strip[Int($0)] }
                    }
                    chars = Set(cs.value.unicodeScalars)
                }
                let scalars = Array(s.value.unicodeScalars)
                var lo = 0, hi = scalars.count
                func strip(_ u: Unicode.Scalar) -> Bool { chars.map { $0.contains(u) } ?? isPythonWhitespace(u) }
                if left { while lo < hi && strip(scalars[lo]) { lo += 1 } }
                if right { while hi > lo && strip(scalars[hi - 1]) { hi -= 1 } }
                if lo == 0 && hi == scalars.count { return .obj(s) }
                var v = String.UnicodeScalarView()
                v.append(contentsOf: scalars[lo..<hi])
                return .str(String(v))
            }
        }
        stripper("strip", left: true, right: true)
        stripper("lstrip", left: true, right: false)
        stripper("rstrip", left: false, right: true)

        method("split") { s, args, kwargs throws(PyErr) in
            let kw = try self.keywords("split", kwargs, ["sep", "maxsplit"])
            let sep = args.count > 0 ? args[0] : (kw["sep"] ?? .none)
            let maxsplit = try self.indexValue(args.count > 1 ? args[1] : (kw["maxsplit"] ?? .int(-1)), "integer argument expected")
            return .obj(PyList(try self.splitString(s.value, sep, maxsplit).map { .str($0) }))
        }
        method("rsplit") { s, args, kwargs throws(PyErr) in
            let kw = try self.keywords("rsplit", kwargs, ["sep", "maxsplit"])
            let sep = args.count > 0 ? args[0] : (kw["sep"] ?? .none)
            let maxsplit = try self.indexValue(args.count > 1 ? args[1] : (kw["maxsplit"] ?? .int(-1)), "integer argument expected")
            return .obj(PyList(try self.rsplitString(s.value, sep, maxsplit).map { .str($0) }))
        }
        method("splitlines") { s, args, kwargs throws(PyErr) in
            let kw = try self.keywords("splitlines", kwargs, ["keepends"])
            let keep = try self.truthy(args.first ?? kw["keepends"] ?? .bool(false))
            // Line breaks found in the UTF-8 bytes (a scalar array of the whole string cost
            // ~100 ns per character): ASCII \n \r \v \f \x1c-\x1e, U+0085 (C2 85), U+2028 and
            // U+2029 (E2 80 A8/A9). Every break ends on a scalar boundary.
            var text = s.value
            return text.withUTF8 { u -> Value in
                var out: [Value] = []
                let n = u.count
                var start = 0, i = 0
                while i < n {
                    let c = u[i]
                    var eol = 0, width = 1
                    if c < 0x20 {
                        switch c {
                        case 0x0D:
                            eol = 1
                            if i + 1 < n && u[i + 1] == 0x0A { width = 2 }
                        case 0x0A, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E: eol = 1
                        default: break
                        }
                    } else if c == 0xC2, i + 1 < n, u[i + 1] == 0x85 {
                        eol = 1; width = 2
                    } else if c == 0xE2, i + 2 < n, u[i + 1] == 0x80, u[i + 2] == 0xA8 || u[i + 2] == 0xA9 {
                        eol = 1; width = 3
                    }
                    if eol > 0 {
                        let end = keep ? i + width : i
                        out.append(.str(String(decoding: UnsafeBufferPointer(rebasing: u[start..<end]), as: UTF8.self)))
                        i += width
                        start = i
                    } else {
                        i += 1
                    }
                }
                if start < n { out.append(.str(String(decoding: UnsafeBufferPointer(rebasing: u[start..<n]), as: UTF8.self))) }
                return .obj(PyList(out))
            }
        }
        method("join") { s, args, _ throws(PyErr) in
            try self.argCount("join", args, 1, 1)
            var parts: [String] = []
            var i = 0
            if !self.isIterable(args[0]) { throw self.typeError("can only join an iterable") }
            try self.forEach(args[0]) { v throws(PyErr) in
                guard let p = v.asStr else {
                    throw self.typeError("sequence item \(i): expected str instance, \(self.typeName(v)) found")
                }
                parts.append(p.value)
                i += 1
                return true
            }
            return .str(parts.joined(separator: s.value))
        }
        method("replace") { s, args, _ throws(PyErr) in
            try self.argCount("replace", args, 2, 3)
            let old = try self.strArg(args[0], "replace", "replace() argument 1 must be str")
            let new = try self.strArg(args[1], "replace", "replace() argument 2 must be str")
            var count = args.count > 2 ? try self.indexValue(args[2], "integer argument expected") : -1
            if count < 0 { count = Int.max }
            if old.isEmpty {
                var out = ""
                var n = 0
                for u in s.value.unicodeScalars {
                    if n < count { out += new; n += 1 }
                    out.unicodeScalars.append(u)
                }
                if n < count { out += new }
                return .str(out)
            }
            let hay = Array(s.value.utf8), needle = Array(old.utf8), rep = Array(new.utf8)
            var out: [UInt8] = []
            out.reserveCapacity(hay.count)
            var i = 0, n = 0
            while n < count, let j = findBytes(hay, needle, from: i, to: hay.count) {
                out.append(contentsOf: hay[i..<j])
                out.append(contentsOf: rep)
                i = j + needle.count
                n += 1
            }
            if n == 0 { return .obj(s) }
            out.append(contentsOf: hay[i...])
            return .str(bytesToString(out))
        }
        func finder(_ name: String, reverse: Bool, raises: Bool) {
            method(name) { s, args, _ throws(PyErr) in
                try self.argCount(name, args, 1, 3)
                let sub = try self.strArg(args[0], name, "\(name)() argument 1 must be str")
                let hay = Array(s.value.utf8)
                let (from, to) = try self.byteRange(hay, s, args[1...])
                var found: Int? = nil
                if to >= from {
                    found = reverse ? rfindBytes(hay, Array(sub.utf8), from: from, to: to) : findBytes(hay, Array(sub.utf8), from: from, to: to)
                }
                guard let f = found else {
                    if raises { throw self.valueError("substring not found") }
                    return .int(-1)
                }
                return .int(s.isASCII ? f : scalarIndex(hay, f))
            }
        }
        finder("find", reverse: false, raises: false)
        finder("rfind", reverse: true, raises: false)
        finder("index", reverse: false, raises: true)
        finder("rindex", reverse: true, raises: true)
        method("count") { s, args, _ throws(PyErr) in
            try self.argCount("count", args, 1, 3)
            let sub = try self.strArg(args[0], "count", "must be str")
            let hay = Array(s.value.utf8)
            let (from, to) = try self.byteRange(hay, s, args[1...])
            if to < from { return .int(0) }
            if sub.isEmpty {
                let a = s.isASCII ? from : scalarIndex(hay, from)
                let b = s.isASCII ? to : scalarIndex(hay, to)
                return .int(b - a + 1)
            }
            let needle = Array(sub.utf8)
            var n = 0, i = from
            while let j = findBytes(hay, needle, from: i, to: to) { n += 1; i = j + needle.count }
            return .int(n)
        }
        func affix(_ name: String, suffix: Bool) {
            method(name) { s, args, _ throws(PyErr) in
                try self.argCount(name, args, 1, 3)
                let hay = Array(s.value.utf8)
                let (from, to) = try self.byteRange(hay, s, args[1...])
                var candidates: [String] = []
                if let t = args[0].asTuple {
                    for item in t.items {
                        guard let p = item.asStr else {
                            throw self.typeError("tuple for \(name) must only contain str, not \(self.typeName(item))")
                        }
                        candidates.append(p.value)
                    }
                } else if let p = args[0].asStr {
                    candidates = [p.value]
                } else {
                    throw self.typeError("\(name) first arg must be str or a tuple of str, not \(self.typeName(args[0]))")
                }
                if to < from { return .bool(false) }
                for c in candidates {
                    let nb = Array(c.utf8)
                    if nb.count > to - from { continue }
                    if suffix {
                        if Array(hay[(to - nb.count)..<to]) == nb { return .bool(true) }
                    } else if Array(hay[from..<(from + nb.count)]) == nb {
                        return .bool(true)
                    }
                }
                return .bool(false)
            }
        }
        affix("startswith", suffix: false)
        affix("endswith", suffix: true)
        method("removeprefix") { s, args, _ throws(PyErr) in
            try self.argCount("removeprefix", args, 1, 1)
            let p = try self.strArg(args[0], "removeprefix", "removeprefix() argument must be str")
            if !p.isEmpty && s.value.utf8.starts(with: p.utf8) { return .str(bytesToString(s.value.utf8.dropFirst(p.utf8.count))) }
            return .obj(s)
        }
        method("removesuffix") { s, args, _ throws(PyErr) in
            try self.argCount("removesuffix", args, 1, 1)
            let p = try self.strArg(args[0], "removesuffix", "removesuffix() argument must be str")
            if !p.isEmpty && s.value.utf8.reversed().starts(with: p.utf8.reversed()) {
                return .str(bytesToString(s.value.utf8.dropLast(p.utf8.count)))
            }
            return .obj(s)
        }
        func partitioner(_ name: String, reverse: Bool) {
            method(name) { s, args, _ throws(PyErr) in
                try self.argCount(name, args, 1, 1)
                let sep = try self.strArg(args[0], name, "must be str")
                if sep.isEmpty { throw self.valueError("empty separator") }
                let hay = Array(s.value.utf8), needle = Array(sep.utf8)
                let f = reverse ? rfindBytes(hay, needle, from: 0, to: hay.count) : findBytes(hay, needle, from: 0, to: hay.count)
                guard let j = f else {
                    return reverse ? .obj(PyTuple([.str(""), .str(""), .obj(s)])) : .obj(PyTuple([.obj(s), .str(""), .str("")]))
                }
                return .obj(PyTuple([.str(bytesToString(hay[..<j])), .str(sep), .str(bytesToString(hay[(j + needle.count)...]))]))
            }
        }
        partitioner("partition", reverse: false)
        partitioner("rpartition", reverse: true)
        func justify(_ name: String, _ place: @escaping (Int, Int) -> (Int, Int)) {
            method(name) { s, args, _ throws(PyErr) in
                try self.argCount(name, args, 1, 2)
                let width = try self.indexValue(args[0], "'\(self.typeName(args[0]))' object cannot be interpreted as an integer")
                var fill = " "
                if args.count > 1 {
                    guard let f = args[1].asStr else {
                        throw self.typeError("The fill character must be a unicode character, not \(self.typeName(args[1]))")
                    }
                    guard f.count == 1 else {
                        throw self.typeError("The fill character must be exactly one character long")
                    }
                    fill = f.value
                }
                let n = s.count
                if width <= n { return .obj(s) }
                try self.checkStringSize(width)
                let (l, r) = place(width - n, width)
                var out = TextBuilder(storage: self.takeTextStorage(), capacity: s.value.utf8.count + l + r)
                if let b = fill.utf8.first, fill.utf8.count == 1 {
                    out.appendRepeated(b, l)
                    out.append(s)
                    out.appendRepeated(b, r)
                } else {
                    for _ in 0..<l { out.append(fill, ascii: false) }
                    out.append(s)
                    for _ in 0..<r { out.append(fill, ascii: false) }
                }
                let result = out.pyStr()
                self.returnTextStorage(out)
                return .obj(result)
            }
        }
        justify("ljust") { pad, _ in (0, pad) }
        justify("rjust") { pad, _ in (pad, 0) }
        justify("center") { pad, width in
            let left = pad / 2 + (pad & width & 1)
            return (left, pad - left)
        }
        method("zfill") { s, args, _ throws(PyErr) in
            try self.argCount("zfill", args, 1, 1)
            let width = try self.indexValue(args[0], "'\(self.typeName(args[0]))' object cannot be interpreted as an integer")
            let n = s.count
            if width <= n { return .obj(s) }
            try self.checkStringSize(width)
            var out = TextBuilder(storage: self.takeTextStorage(), capacity: s.value.utf8.count + width - n)
            let ascii = s.isASCII
            s.withBytes { u in
                // A leading sign stays in front of the zeros.
                var from = 0
                if let f = u.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
                    out.appendByte(f)
                    from = 1
                }
                out.appendRepeated(UInt8(ascii: "0"), width - n)
                out.append(utf8: UnsafeBufferPointer(rebasing: u[from...]), ascii: ascii)
            }
            let result = out.pyStr()
            self.returnTextStorage(out)
            return .obj(result)
        }
        method("expandtabs") { s, args, kwargs throws(PyErr) in
            let kw = try self.keywords("expandtabs", kwargs, ["tabsize"])
            let size = try self.indexValue(args.first ?? kw["tabsize"] ?? .int(8), "integer argument expected")
            var out = ""
            var col = 0
            for u in s.value.unicodeScalars {
                if u == "\t" {
                    if size > 0 {
                        let n = size - col % size
                        try self.checkStringSize(out.utf8.count + n)
                        out += String(repeating: " ", count: n)
                        col += n
                    }
                } else if u == "\n" || u == "\r" {
                    out.unicodeScalars.append(u)
                    col = 0
                } else {
                    out.unicodeScalars.append(u)
                    col += 1
                }
            }
            return .str(out)
        }
        method("encode") { s, args, kwargs throws(PyErr) in
            let kw = try self.keywords("encode", kwargs, ["encoding", "errors"])
            let enc = ((args.first ?? kw["encoding"])?.asStr?.value ?? "utf-8").lowercased().replacingOccurrences(of: "_", with: "-")
            let errors = ((args.count > 1 ? args[1] : kw["errors"])?.asStr?.value) ?? "strict"
            let limit: UInt32
            switch enc {
            case "utf-8", "utf8": return .obj(PyBytes(Array(s.value.utf8)))
            case "ascii", "us-ascii": limit = 0x80
            case "latin-1", "latin1", "iso-8859-1": limit = 0x100
            default: throw self.raise(self.types.builtinsException("LookupError"), "unknown encoding: \(enc)")
            }
            var out: [UInt8] = []
            for (i, u) in s.value.unicodeScalars.enumerated() {
                if u.value < limit { out.append(UInt8(u.value)); continue }
                switch errors {
                case "ignore": continue
                case "replace": out.append(0x3F)
                default:
                    let name = limit == 0x80 ? "ascii" : "latin-1"
                    let esc = u.value < 0x100 ? "\\x" + String(u.value, radix: 16).leftPadded(to: 2)
                        : u.value < 0x10000 ? "\\u" + String(u.value, radix: 16).leftPadded(to: 4) : "\\U" + String(u.value, radix: 16).leftPadded(to: 8)
                    throw self.raise(self.types.builtinsException("UnicodeEncodeError"),
                                     "'\(name)' codec can't encode character '\(esc)' in position \(i): ordinal not in range(\(limit))")
                }
            }
            return .obj(PyBytes(out))
        }
        // `format` takes the receiver's argument array as it is (no copy without the receiver).
        cls.setAttribute("format", .obj(PyBuiltin("format") { args, kwargs throws(PyErr) in
            guard let s = args.first?.asStr else {
                throw self.typeError("descriptor 'format' requires a 'str' object")
            }
            return try self.strFormat(s, args, base: 1, kwargs)
        }))
        method("format_map") { s, args, _ throws(PyErr) in
            try self.argCount("format_map", args, 1, 1)
            return try self.strFormatMap(s, args[0])
        }
        method("__len__") { s, _, _ in .int(s.count) }
        method("__contains__") { s, args, _ throws(PyErr) in .bool(try self.contains(.obj(s), args.first ?? .none)) }
        cls.setAttribute("maketrans", .obj(PyStaticMethod(.obj(PyBuiltin("maketrans") { args, _ throws(PyErr) in
            let d = PyDict()
            if args.count == 1, let m = args[0].asDict {
                for (k, v) in m.items {
                    if let ks = k.asStr, ks.count == 1 { try d.set(.int(Int(ks.scalar(at: 0).value)), v, self) } else { try d.set(k, v, self) }
                }
                return .obj(d)
            }
            guard args.count >= 2, let a = args[0].asStr, let b = args[1].asStr, a.count == b.count else {
                throw self.valueError("the first two maketrans arguments must have equal length")
            }
            for (x, y) in zip(a.value.unicodeScalars, b.value.unicodeScalars) {
                try d.set(.int(Int(x.value)), .int(Int(y.value)), self)
            }
            if args.count > 2, let c = args[2].asStr {
                for x in c.value.unicodeScalars { try d.set(.int(Int(x.value)), .none, self) }
            }
            return .obj(d)
        }))))
        method("translate") { s, args, _ throws(PyErr) in
            try self.argCount("translate", args, 1, 1)
            var out = ""
            for u in s.value.unicodeScalars {
                let r: Value
                do throws(PyErr) {
                    r = try self.getItem(args[0], .int(Int(u.value)))
                } catch {
                    if self.matches(error, self.types.LookupError) { out.unicodeScalars.append(u); continue }
                    throw error
                }
                switch r {
                case .none: break
                case .int(let i): if let x = Unicode.Scalar(UInt32(max(0, i))) { out.unicodeScalars.append(x) }
                default: out += try self.strArg(r, "translate", "character mapping must return integer, None or str")
                }
            }
            return .str(out)
        }
    }

    func splitString(_ s: String, _ sep: Value, _ maxsplit: Int) throws(PyErr) -> [String] {
        var limit = maxsplit < 0 ? Int.max : maxsplit
        if sep.isNone {
            var out: [String] = []
            let sc = Array(s.unicodeScalars)
            var i = 0
            while i < sc.count {
                while i < sc.count && isPythonWhitespace(sc[i]) { i += 1 }
                if i >= sc.count { break }
                if limit == 0 {
                    // The rest, leading whitespace skipped, trailing kept (CPython).
                    var v = String.UnicodeScalarView(); v.append(contentsOf: sc[i...])
                    out.append(String(v))
                    return out
                }
                let start = i
                while i < sc.count && !isPythonWhitespace(sc[i]) { i += 1 }
                var v = String.UnicodeScalarView(); v.append(contentsOf: sc[start..<i])
                out.append(String(v))
                limit -= 1
            }
            return out
        }
        let sepStr = try strArg(sep, "split", "must be str or None")
        if sepStr.isEmpty { throw valueError("empty separator") }
        let hay = Array(s.utf8), needle = Array(sepStr.utf8)
        var out: [String] = []
        var i = 0
        while limit > 0, let j = findBytes(hay, needle, from: i, to: hay.count) {
            out.append(bytesToString(hay[i..<j]))
            i = j + needle.count
            limit -= 1
        }
        out.append(bytesToString(hay[i...]))
        return out
    }

    func rsplitString(_ s: String, _ sep: Value, _ maxsplit: Int) throws(PyErr) -> [String] {
        var limit = maxsplit < 0 ? Int.max : maxsplit
        if sep.isNone {
            var out: [String] = []
            let sc = Array(s.unicodeScalars)
            var i = sc.count
            while i > 0 {
                while i > 0 && isPythonWhitespace(sc[i - 1]) { i -= 1 }
                if i == 0 { break }
                if limit == 0 {
                    var v = String.UnicodeScalarView(); v.append(contentsOf: sc[0..<i])
                    out.append(String(v))
                    break
                }
                let end = i
                while i > 0 && !isPythonWhitespace(sc[i - 1]) { i -= 1 }
                var v = String.UnicodeScalarView(); v.append(contentsOf: sc[i..<end])
                out.append(String(v))
                limit -= 1
            }
            return out.reversed()
        }
        let sepStr = try strArg(sep, "rsplit", "must be str or None")
        if sepStr.isEmpty { throw valueError("empty separator") }
        let hay = Array(s.utf8), needle = Array(sepStr.utf8)
        var out: [String] = []
        var end = hay.count
        while limit > 0, let j = rfindBytes(hay, needle, from: 0, to: end) {
            out.append(bytesToString(hay[(j + needle.count)..<end]))
            end = j
            limit -= 1
        }
        out.append(bytesToString(hay[..<end]))
        return out.reversed()
    }
}

/// str.lower: Unicode lowercase, with Greek final sigma (Σ at the end of a word is ς), which
/// Swift's lowercased() does not do.
func pyLower(_ s: String) -> String {
    let lowered = s.lowercased()
    guard s.unicodeScalars.contains("\u{03A3}") else { return lowered }
    let src = Array(s.unicodeScalars)
    var out = String.UnicodeScalarView()
    func cased(_ u: Unicode.Scalar) -> Bool { u.properties.isCased }
    func ignorable(_ u: Unicode.Scalar) -> Bool { u.properties.isCaseIgnorable }
    for (i, u) in src.enumerated() {
        if u == "\u{03A3}" {
            var j = i - 1
            while j >= 0 && ignorable(src[j]) { j -= 1 }
            let before = j >= 0 && cased(src[j])
            var k = i + 1
            while k < src.count && ignorable(src[k]) { k += 1 }
            let after = k < src.count && cased(src[k])
            out.append(before && !after ? "\u{03C2}" : "\u{03C3}")
        } else {
            out.append(contentsOf: u.properties.lowercaseMapping.unicodeScalars)
        }
    }
    return String(out)
}
