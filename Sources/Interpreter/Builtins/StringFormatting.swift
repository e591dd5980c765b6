import BigInt

// `str.format`, `str.format_map` and the `%` operator, over the templates digested in
// FormatTemplates.swift. Formatting walks the pieces in order and raises what CPython raises
// where CPython raises it (see the notes there).

/// Where `str.format`'s fields find their values: `args[base...]` (none for `format_map`),
/// the keyword arguments, or `format_map`'s mapping.
struct FormatArguments {
    let args: [Value]
    let base: Int
    let positional: Bool
    let kwargs: KwArgs
    let mapping: Value?
}

/// Automatic field numbering, shared with the fields nested in format specs.
struct FormatNumbering {
    /// 0 not yet known, 1 automatic, 2 manual.
    var state: UInt8 = 0
    var next = 0
}

/// The `%` operator's arguments, as PyUnicode_Format walks them: a tuple's items, or one value
/// (`arglen` -1), and the mapping for `%(key)s` when the right side is one.
struct PercentArguments {
    var items: [Value]
    var single: Value
    var arglen: Int
    var argidx: Int
    let dict: Value?

    @inline(__always)
    mutating func next(_ rt: Runtime) throws(PyErr) -> Value {
        if argidx < arglen {
            argidx += 1
            return arglen < 0 ? single : items[argidx - 1]
        }
        throw rt.typeError("not enough arguments for format string")
    }
}

/// Number of code points in UTF-8 bytes.
@inline(__always)
func codePointCount(_ u: UnsafeBufferPointer<UInt8>) -> Int {
    var n = 0
    for b in u where b & 0xC0 != 0x80 { n += 1 }
    return n
}

extension Runtime {
    // MARK: - str.format

    /// `template.format(*args[base...], **kwargs)`.
    func strFormat(_ template: PyStr, _ args: [Value], base: Int, _ kwargs: KwArgs) throws(PyErr) -> Value {
        let t = formatTemplates.format(template)
        let a = FormatArguments(args: args, base: base, positional: true, kwargs: kwargs, mapping: nil)
        var numbering = FormatNumbering()
        var out = TextBuilder(storage: takeTextStorage(), capacity: t.estimate)
        try renderFormat(t, a, depth: 2, &numbering, &out)
        let r = out.pyStr()
        returnTextStorage(out)
        return .obj(r)
    }

    /// `template.format_map(mapping)`.
    func strFormatMap(_ template: PyStr, _ mapping: Value) throws(PyErr) -> Value {
        let t = formatTemplates.format(template)
        let a = FormatArguments(args: [], base: 0, positional: false, kwargs: [], mapping: mapping)
        var numbering = FormatNumbering()
        var out = TextBuilder(storage: takeTextStorage(), capacity: t.estimate)
        try renderFormat(t, a, depth: 2, &numbering, &out)
        let r = out.pyStr()
        returnTextStorage(out)
        return .obj(r)
    }

    /// build_string: `depth` is CPython's recursion_depth (2 at the top).
    func renderFormat(_ t: FormatTemplate, _ a: FormatArguments, depth: Int, _ numbering: inout FormatNumbering,
                      _ out: inout TextBuilder) throws(PyErr) {
        if depth <= 0 { throw valueError("Max string recursion exceeded") }
        for k in 0..<t.count {
            let it = t.items[k]
            if it.litEnd > it.litStart { out.append(utf8: t.literalText(it), ascii: it.litASCII) }
            if it.kind != FormatItem.field {
                if it.kind == FormatItem.error { throw valueError(t.errors[it.slot]) }
                continue
            }
            var v: Value
            if it.first < 2 {
                // `{}` or `{N}`: the argument itself.
                var index = it.index
                if it.first == 0 {
                    if numbering.state == 2 {
                        throw valueError("cannot switch from manual field specification to automatic field numbering")
                    }
                    numbering.state = 1
                    index = numbering.next
                    numbering.next += 1
                } else {
                    if numbering.state == 1 {
                        throw valueError("cannot switch from automatic field numbering to manual field specification")
                    }
                    numbering.state = 2
                }
                if !a.positional { throw valueError("Format string contains positional fields") }
                guard index >= 0 && index < a.args.count - a.base else {
                    throw indexError("Replacement index \(index) out of range for positional args tuple")
                }
                v = a.args[a.base + index]
            } else {
                v = try fieldValue(t.fields[it.slot], a, &numbering)
            }
            if it.conversion == 0x72 && it.specKind == 0 {
                try appendRepr(v, &out)
                continue
            }
            switch it.conversion {
            case 0: break
            case 0x72: v = .str(try repr(v))
            case 0x73: v = .str(try str(v))
            case 0x61: v = .str(asciiEscape(try repr(v)))
            case let c:
                if c > 32 && c < 127, let u = Unicode.Scalar(c) {
                    throw valueError("Unknown conversion specifier \(Character(u))")
                }
                throw valueError("Unknown conversion specifier \\x\(String(c, radix: 16))")
            }
            switch it.specKind {
            case 0:
                try appendFormatEmpty(v, &out)
            case 1:
                if t.fastSpecs[k].append(v, to: &out) { break }
                guard case .constant(let spec) = t.fields[it.slot].spec else { break }
                try spec.append(v, self, &out)
            default:
                guard case .nested(let st) = t.fields[it.slot].spec else { break }
                if depth - 1 <= 0 { throw valueError("Max string recursion exceeded") }
                var spec = TextBuilder()
                try renderFormat(st, a, depth: depth - 1, &numbering, &spec)
                try appendFormat(v, spec.string, &out)
            }
        }
    }

    /// get_field_object: the argument a field names, then its `.attr` and `[key]` parts.
    private func fieldValue(_ f: FormatField, _ a: FormatArguments, _ numbering: inout FormatNumbering) throws(PyErr) -> Value {
        var value: Value
        var index = -1
        switch f.first {
        case .auto:
            if numbering.state == 2 {
                throw valueError("cannot switch from manual field specification to automatic field numbering")
            }
            numbering.state = 1
            index = numbering.next
            numbering.next += 1
        case .index(let n):
            if numbering.state == 1 {
                throw valueError("cannot switch from automatic field numbering to manual field specification")
            }
            numbering.state = 2
            index = n
        case .key(let k):
            if let m = a.mapping {
                value = try getItem(m, .str(k))
            } else {
                // By code points (Swift's == would match canonically equivalent names).
                guard let v = a.kwargs.first(where: { strBytesEqual($0.0, k) })?.1 else { throw keyError(.str(k)) }
                value = v
            }
            return try fieldRest(f, value)
        case .error(let m):
            throw valueError(m)
        }
        if !a.positional { throw valueError("Format string contains positional fields") }
        let n = a.args.count - a.base
        guard index >= 0 && index < n else {
            throw indexError("Replacement index \(index) out of range for positional args tuple")
        }
        value = a.args[a.base + index]
        return f.rest.isEmpty ? value : try fieldRest(f, value)
    }

    private func fieldRest(_ f: FormatField, _ start: Value) throws(PyErr) -> Value {
        var value = start
        for step in f.rest {
            switch step {
            case .attr(let name): value = try getAttr(value, name)
            case .index(let i): value = try getItem(value, .int(i))
            case .key(let k): value = try getItem(value, .str(k))
            case .error(let m): throw valueError(m)
            }
        }
        return value
    }

    // MARK: - %

    /// `fmt % values` (PyUnicode_Format).
    func percentFormat(_ fmt: PyStr, _ values: Value) throws(PyErr) -> Value {
        let t = formatTemplates.percent(fmt)
        var st: PercentArguments
        let isTuple = values.asTuple != nil
        var dict: Value? = nil
        if !isTuple, case .obj(let o) = values {
            switch o.kind {
            case .dict, .list, .bytes, .range: dict = values
            case .instance, .native: if typeOf(values).lookup(.getitem) != nil { dict = values }
            default: break
            }
        }
        if let tup = values.asTuple {
            st = PercentArguments(items: tup.items, single: .none, arglen: tup.items.count, argidx: 0, dict: nil)
        } else {
            st = PercentArguments(items: [], single: values, arglen: -1, argidx: -2, dict: dict)
        }
        var out = TextBuilder(storage: takeTextStorage(), capacity: t.estimate)
        for k in 0..<t.count {
            let spec = t.specs[k]
            if spec.litEnd > spec.litStart { out.append(utf8: t.literalText(spec), ascii: spec.litASCII) }
            if spec.isConversion { try percentOne(spec, t, &st, &out) }
        }
        if st.argidx < st.arglen && st.dict == nil {
            throw typeError("not all arguments converted during string formatting")
        }
        let r = out.pyStr()
        returnTextStorage(out)
        return .obj(r)
    }

    private func percentOne(_ spec: PercentSpec, _ t: PercentTemplate, _ st: inout PercentArguments,
                            _ out: inout TextBuilder) throws(PyErr) {
        if spec.key >= 0 {
            guard let d = st.dict else { throw typeError("format requires a mapping") }
            if spec.keyIncomplete { throw valueError("incomplete format key") }
            st.single = try getItem(d, .str(t.keys[spec.key]))
            st.items = []
            st.arglen = -1
            st.argidx = -2
        }
        var flags = spec.flags
        var width = spec.width
        var prec = spec.prec
        if spec.widthStar {
            let w = try st.next(self)
            switch w {
            case .int(let i): width = i
            case .bool(let b): width = b ? 1 : 0
            case .obj(let o) where o.kind == .bigint:
                throw overflowError("Python int too large to convert to C ssize_t")
            default: throw typeError("* wants int")
            }
            if width < 0 {
                flags |= PercentSpec.ljust
                width = width == Int.min ? Int.max : -width
            }
        }
        if width >= 0 { try checkStringSize(width) }
        if spec.precStar {
            let p = try st.next(self)
            switch p {
            case .int(let i):
                if i > Int(Int32.max) || i < Int(Int32.min) {
                    throw overflowError("Python int too large to convert to C int")
                }
                prec = i
            case .bool(let b): prec = b ? 1 : 0
            case .obj(let o) where o.kind == .bigint:
                throw overflowError("Python int too large to convert to C int")
            default: throw typeError("* wants int")
            }
            if prec < 0 { prec = 0 }
        }
        if prec >= 0 { try checkStringSize(prec) }
        if spec.error != 0 { throw valueError(PercentSpec.errorMessages[Int(spec.error)]) }

        let v = try st.next(self)
        let ch = spec.type
        switch ch {
        case 0x73, 0x72, 0x61:  // s r a
            if width == -1 && prec == -1 {
                if case .int(let i) = v {
                    out.appendInt(i)
                    break
                }
                if ch == 0x73 {
                    switch v {
                    case .obj(let o) where o.kind == .instance || o.kind == .native: break
                    default:
                        // str() of a builtin value: format(v, "") writes the same text.
                        try appendFormatEmpty(v, &out)
                        if st.dict != nil && st.argidx < st.arglen {
                            throw typeError("not all arguments converted during string formatting")
                        }
                        return
                    }
                } else if ch == 0x72 {
                    try appendRepr(v, &out)
                    if st.dict != nil && st.argidx < st.arglen {
                        throw typeError("not all arguments converted during string formatting")
                    }
                    return
                }
            }
            let s: String
            if ch == 0x73 {
                if case .obj(let o) = v, o.kind == .str { s = unsafeDowncast(o, to: PyStr.self).value } else { s = try str(v) }
            } else if ch == 0x72 {
                s = try repr(v)
            } else {
                s = asciiEscape(try repr(v))
            }
            percentEmit(s, ch, flags, width, prec, numeric: false, &out)
        case 0x64, 0x69, 0x75, 0x6F, 0x78, 0x58:  // d i u o x X
            if case .int(let i) = v, width == -1, prec == -1, flags & (PercentSpec.sign | PercentSpec.blank) == 0,
               ch != 0x78 && ch != 0x6F && ch != 0x58 {
                out.appendInt(i)
                break
            }
            let body = try percentInteger(v, ch, flags, prec)
            percentEmit(body, ch, flags, width, prec, numeric: true, &out)
        case 0x65, 0x45, 0x66, 0x46, 0x67, 0x47:  // e E f F g G
            var dv = try intToDouble(v)
            if dv == nil, userUnary(v, "__float__") != nil { dv = try toFloat(v) }
            guard let d = dv else { throw typeError("must be real number, not \(typeName(v))") }
            if (ch == 0x66 || ch == 0x46) && width == -1 && flags & (PercentSpec.sign | PercentSpec.blank) == 0 {
                let done = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buf -> Bool in
                    guard let base = buf.baseAddress,
                          let n = pyFixedFast(d, prec < 0 ? 6 : prec, alternate: flags & PercentSpec.alt != 0,
                                              into: base) else { return false }
                    out.append(utf8: UnsafeBufferPointer(start: base, count: n), ascii: true)
                    return true
                }
                if done { break }
            }
            let body = pyDoubleToString(d, code: UInt8(truncatingIfNeeded: ch),
                                        precision: prec < 0 ? 6 : prec,
                                        alternate: flags & PercentSpec.alt != 0)
            if width == -1 && flags & (PercentSpec.sign | PercentSpec.blank) == 0 {
                out.appendASCII(body)
            } else {
                percentEmit(body, ch, flags, width, prec, numeric: true, &out)
            }
        case 0x63:  // c
            let c: String
            if let ci = v.bigIntValue {
                guard ci >= 0, ci <= 0x10FFFF, let u = Unicode.Scalar(UInt32(ci)) else {
                    throw overflowError("%c arg not in range(0x110000)")
                }
                c = String(u)
            } else if let s = v.asStr, s.count == 1 {
                c = s.value
            } else {
                throw typeError("%c requires int or char")
            }
            if width == -1 && prec == -1 { out.append(c) } else { percentEmit(c, ch, flags, width, prec, numeric: false, &out) }
        default:
            let shown = ch >= 31 && ch <= 126 ? String(Unicode.Scalar(UInt8(ch))) : "?"
            throw valueError("unsupported format character '\(shown)' (0x\(String(ch, radix: 16))) at index \(spec.typeIndex)")
        }
        if st.dict != nil && st.argidx < st.arglen {
            throw typeError("not all arguments converted during string formatting")
        }
    }

    /// mainformatlong + _PyUnicode_FormatLong: sign, `0x`/`0X`/`0o` prefix with '#', digits
    /// zero-extended to the precision.
    private func percentInteger(_ v: Value, _ ch: UInt32, _ flags: UInt8, _ prec: Int) throws(PyErr) -> String {
        let radix = ch == 0x6F ? 8 : (ch == 0x78 || ch == 0x58 ? 16 : 10)
        let upper = ch == 0x58
        var negative = false
        var digits: String
        switch v {
        case .int(let i):
            negative = i < 0
            digits = String(i.magnitude, radix: radix, uppercase: upper)
        default:
            let iv: BigInt
            if radix != 10 {
                if let b = v.bigIntValue {
                    iv = b
                } else if let f = userUnary(v, "__index__"), let b = try callMethodValue(f, v, []).bigIntValue {
                    iv = b
                } else {
                    throw typeError("%\(Character(Unicode.Scalar(UInt8(ch)))) format: an integer is required, not \(typeName(v))")
                }
            } else if case .float(let d) = v {
                if d.isNaN { throw valueError("cannot convert float NaN to integer") }
                if d.isInfinite { throw overflowError("cannot convert float infinity to integer") }
                iv = BigInt(exactly: d.rounded(.towardZero)) ?? 0
            } else if let b = v.bigIntValue {
                iv = b
            } else if let f = userUnary(v, "__int__") ?? userUnary(v, "__index__"), let b = try callMethodValue(f, v, []).bigIntValue {
                iv = b
            } else {
                throw typeError("%\(Character(Unicode.Scalar(UInt8(ch)))) format: a real number is required, not \(typeName(v))")
            }
            negative = iv < 0
            digits = String(iv.magnitude, radix: radix, uppercase: upper)
        }
        var body = ""
        body.reserveCapacity(digits.utf8.count + 4)
        if negative { body += "-" }
        if flags & PercentSpec.alt != 0 && radix != 10 {
            body += ch == 0x6F ? "0o" : (upper ? "0X" : "0x")
        }
        let nd = digits.utf8.count
        if prec > nd { body += String(repeating: "0", count: prec - nd) }
        body += digits
        return body
    }

    /// unicode_format_arg_output: `body` truncated to the precision (s, r, a), the sign moved
    /// before zero padding, padded to the width.
    private func percentEmit(_ body: String, _ ch: UInt32, _ flags: UInt8, _ width0: Int, _ prec: Int,
                             numeric: Bool, _ out: inout TextBuilder) {
        var body = body
        body.withUTF8 { u in
            let total = codePointCount(u)
            var len = total
            var width = width0
            if (width == -1 || width <= len) && (prec == -1 || prec >= len)
                && flags & (PercentSpec.sign | PercentSpec.blank) == 0 {
                out.append(utf8: u)
                return
            }
            if (ch == 0x73 || ch == 0x72 || ch == 0x61) && prec >= 0 && len > prec { len = prec }
            let fill: UInt8 = numeric && flags & PercentSpec.zero != 0 ? 0x30 : 0x20
            var hasSign = numeric
            var signChar: UInt8 = 0
            var pindex = 0   // what is skipped is ASCII: code points and bytes alike
            if hasSign {
                let first = u.first ?? 0
                if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
                    signChar = first
                    len -= 1
                    pindex = 1
                } else if flags & PercentSpec.sign != 0 {
                    signChar = UInt8(ascii: "+")
                } else if flags & PercentSpec.blank != 0 {
                    signChar = UInt8(ascii: " ")
                } else {
                    hasSign = false
                }
            }
            if width < len { width = len }
            if hasSign {
                if fill != 0x20 { out.appendByte(signChar) }
                if width > len { width -= 1 }
            }
            let altPrefix = flags & PercentSpec.alt != 0 && (ch == 0x78 || ch == 0x58 || ch == 0x6F)
            if altPrefix {
                if fill != 0x20 {
                    out.appendByte(UInt8(ascii: "0"))
                    out.appendByte(UInt8(truncatingIfNeeded: ch))
                    pindex += 2
                }
                width -= 2
                if width < 0 { width = 0 }
                len -= 2
            }
            if width > len && flags & PercentSpec.ljust == 0 {
                out.appendRepeated(fill, width - len)
                width = len
            }
            if fill == 0x20 {
                if hasSign { out.appendByte(signChar) }
                if altPrefix {
                    out.appendByte(UInt8(ascii: "0"))
                    out.appendByte(UInt8(truncatingIfNeeded: ch))
                    pindex += 2
                }
            }
            if len > 0 {
                var to = u.count
                if pindex + len < total {
                    // Up to code point pindex + len (the text is cut only for s, r, a).
                    var k = 0
                    var i = pindex
                    while i < u.count {
                        if u[i] & 0xC0 != 0x80 {
                            if k == len { break }
                            k += 1
                        }
                        i += 1
                    }
                    to = i
                }
                out.append(utf8: UnsafeBufferPointer(rebasing: u[pindex..<to]))
            }
            if width > len { out.appendRepeated(0x20, width - len) }
        }
    }
}
