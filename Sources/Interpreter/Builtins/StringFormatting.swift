import BigInt

// `str.format` and the `%` operator.

extension Runtime {
    /// `template.format(*args, **kwargs)`.
    func strFormat(_ template: String, _ args: [Value], _ kwargs: [String: Value]) throws(PyErr) -> String {
        var state = FormatNumbering()
        return try strFormat(template, args, kwargs, depth: 0, &state)
    }

    /// Automatic field numbering is shared with the nested fields of format specs.
    struct FormatNumbering {
        var autoIndex = 0
        var manual = false
        var auto = false
    }

    func strFormat(_ template: String, _ args: [Value], _ kwargs: [String: Value], depth: Int, _ state: inout FormatNumbering) throws(PyErr) -> String {
        if depth > 2 { throw valueError("Max string recursion exceeded") }
        let sc = Array(template.unicodeScalars)
        var out = ""
        var i = 0
        while i < sc.count {
            let c = sc[i]
            if c == "}" {
                if i + 1 < sc.count && sc[i + 1] == "}" { out += "}"; i += 2; continue }
                throw valueError("Single '}' encountered in format string")
            }
            if c != "{" { out.unicodeScalars.append(c); i += 1; continue }
            if i + 1 < sc.count && sc[i + 1] == "{" { out += "{"; i += 2; continue }
            // Find the matching close brace, allowing nested braces in the spec.
            var j = i + 1
            var level = 1
            while j < sc.count {
                if sc[j] == "{" { level += 1 }
                if sc[j] == "}" { level -= 1; if level == 0 { break } }
                j += 1
            }
            if j >= sc.count { throw valueError(level > 1 ? "expected '}' before end of string" : "Single '{' encountered in format string") }
            var field = String.UnicodeScalarView(); field.append(contentsOf: sc[(i + 1)..<j])
            i = j + 1
            // field_name[!conv][:spec]
            var name = "", conv: Character? = nil, spec = ""
            var fs = Array(String(field).unicodeScalars)
            var k = 0
            var bracket = 0
            while k < fs.count {
                if fs[k] == "[" { bracket += 1 } else if fs[k] == "]" { bracket -= 1 }
                if bracket == 0 && (fs[k] == "!" || fs[k] == ":") { break }
                k += 1
            }
            var nv = String.UnicodeScalarView(); nv.append(contentsOf: fs[0..<k]); name = String(nv)
            if k < fs.count && fs[k] == "!" {
                guard k + 1 < fs.count else { throw valueError("end of string while looking for conversion specifier") }
                conv = Character(fs[k + 1])
                k += 2
                if k < fs.count && fs[k] != ":" { throw valueError("expected ':' after conversion specifier") }
            }
            if k < fs.count && fs[k] == ":" {
                var sv = String.UnicodeScalarView(); sv.append(contentsOf: fs[(k + 1)...]); spec = String(sv)
            }
            fs = []
            // Resolve the field name: first part is an index or keyword, then .attr / [key].
            var first = "", rest = Substring("")
            if let idx = name.firstIndex(where: { $0 == "." || $0 == "[" }) {
                first = String(name[..<idx]); rest = name[idx...]
            } else {
                first = name
            }
            var value: Value
            if first.isEmpty {
                if state.manual { throw valueError("cannot switch from manual field specification to automatic field numbering") }
                state.auto = true
                guard state.autoIndex < args.count else { throw indexError("Replacement index \(state.autoIndex) out of range for positional args tuple") }
                value = args[state.autoIndex]
                state.autoIndex += 1
            } else if let n = Int(first) {
                if state.auto { throw valueError("cannot switch from automatic field numbering to manual field specification") }
                state.manual = true
                guard n >= 0 && n < args.count else { throw indexError("Replacement index \(n) out of range for positional args tuple") }
                value = args[n]
            } else {
                guard let v = kwargs[first] else { throw keyError(.str(first)) }
                value = v
            }
            while !rest.isEmpty {
                if rest.first == "." {
                    rest = rest.dropFirst()
                    let end = rest.firstIndex(where: { $0 == "." || $0 == "[" }) ?? rest.endIndex
                    value = try getAttr(value, String(rest[..<end]))
                    rest = rest[end...]
                } else if rest.first == "[" {
                    guard let close = rest.firstIndex(of: "]") else { throw valueError("Missing ']' in format string") }
                    let key = String(rest[rest.index(after: rest.startIndex)..<close])
                    value = try getItem(value, Int(key).map { .int($0) } ?? .str(key))
                    rest = rest[rest.index(after: close)...]
                } else {
                    throw valueError("Only '.' or '[' may follow ']' in format field specifier")
                }
            }
            switch conv {
            case nil: break
            case "r": value = .str(try repr(value))
            case "s": value = .str(try str(value))
            case "a": value = .str(asciiEscape(try repr(value)))
            case let c?: throw valueError("Unknown conversion specifier \(c)")
            }
            if spec.contains("{") { spec = try strFormat(spec, args, kwargs, depth: depth + 1, &state) }
            out += try format(value, spec)
        }
        return out
    }

    /// `fmt % values`.
    func percentFormat(_ fmt: String, _ values: Value) throws(PyErr) -> String {
        let sc = Array(fmt.unicodeScalars)
        var args: [Value]
        var mapping: Value? = nil
        if let t = values.asTuple { args = t.items } else { args = [values] }
        if values.asDict != nil || (values.asInstance != nil && typeOf(values).lookup(.getitem) != nil && values.asTuple == nil) {
            mapping = values
        }
        var argIndex = 0
        var usedMapping = false
        func nextArg() throws(PyErr) -> Value {
            guard argIndex < args.count else { throw typeError("not enough arguments for format string") }
            defer { argIndex += 1 }
            return args[argIndex]
        }
        var out = ""
        var i = 0
        while i < sc.count {
            let c = sc[i]
            if c != "%" { out.unicodeScalars.append(c); i += 1; continue }
            i += 1
            guard i < sc.count else { throw valueError("incomplete format") }
            var key: String? = nil
            if sc[i] == "(" {
                guard mapping != nil else { throw typeError("format requires a mapping") }
                var depth = 1
                var j = i + 1
                while j < sc.count && depth > 0 {
                    if sc[j] == "(" { depth += 1 } else if sc[j] == ")" { depth -= 1 }
                    j += 1
                }
                if depth > 0 { throw valueError("incomplete format key") }
                var kv = String.UnicodeScalarView(); kv.append(contentsOf: sc[(i + 1)..<(j - 1)])
                key = String(kv)
                usedMapping = true
                i = j
            }
            var flags = Set<Character>()
            while i < sc.count, "-+ #0".unicodeScalars.contains(sc[i]) { flags.insert(Character(sc[i])); i += 1 }
            var width: Int? = nil
            if i < sc.count && sc[i] == "*" {
                let w = try nextArg()
                guard case .int(let wi) = w else { throw typeError("* wants int") }
                width = wi == Int.min ? Int.max : Swift.abs(wi)
                if wi < 0 { flags.insert("-") }
                i += 1
            } else {
                var w = 0, any = false
                while i < sc.count, let d = Int(String(sc[i])), sc[i].isASCII {
                    let (m, o1) = w.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = m.addingReportingOverflow(d)
                    if o1 || o2 { throw valueError("width too big") }
                    w = sum; any = true; i += 1
                }
                if any { width = w }
            }
            if let w = width { try checkStringSize(w) }
            var precision: Int? = nil
            if i < sc.count && sc[i] == "." {
                i += 1
                if i < sc.count && sc[i] == "*" {
                    let p = try nextArg()
                    guard case .int(let pi) = p else { throw typeError("* wants int") }
                    precision = max(0, pi)
                    i += 1
                } else {
                    var p = 0
                    while i < sc.count, let d = Int(String(sc[i])), sc[i].isASCII {
                        let (m, o1) = p.multipliedReportingOverflow(by: 10)
                        let (sum, o2) = m.addingReportingOverflow(d)
                        if o1 || o2 { throw valueError("precision too big") }
                        p = sum; i += 1
                    }
                    precision = p
                }
            }
            if let p = precision { try checkStringSize(p) }
            while i < sc.count, "hlL".unicodeScalars.contains(sc[i]) { i += 1 }
            guard i < sc.count else { throw valueError("incomplete format") }
            let type = Character(sc[i])
            i += 1
            if type == "%" { out += "%"; continue }
            let arg: Value
            if let key, let m = mapping { arg = try getItem(m, .str(key)) } else { arg = try nextArg() }
            var body: String
            var numeric = false
            var negative = false
            switch type {
            case "s": body = try str(arg)
                if let p = precision { body = String(body.unicodeScalars.prefix(p).map(Character.init)) }
            case "r": body = try repr(arg)
                if let p = precision { body = String(body.prefix(p)) }
            case "a": body = asciiEscape(try repr(arg))
            case "d", "i", "u":
                numeric = true
                let iv: BigInt
                if case .float(let d) = arg {
                    if !d.isFinite { throw overflowError("cannot convert float \(d.isNaN ? "NaN" : "infinity") to integer") }
                    iv = BigInt(exactly: d.rounded(.towardZero)) ?? 0
                } else if let b = arg.bigIntValue {
                    iv = b
                } else if let f = userUnary(arg, "__int__") ?? userUnary(arg, "__index__"), let b = try callMethodValue(f, arg, []).bigIntValue {
                    iv = b
                } else {
                    throw typeError("%\(type) format: a real number is required, not \(typeName(arg))")
                }
                negative = iv < 0
                body = String(iv.magnitude)
                if let p = precision, body.count < p { body = String(repeating: "0", count: p - body.count) + body }
            case "x", "X", "o":
                numeric = true
                guard let iv = arg.bigIntValue else {
                    throw typeError("%\(type) format: an integer is required, not \(typeName(arg))")
                }
                negative = iv < 0
                body = String(iv.magnitude, radix: type == "o" ? 8 : 16, uppercase: type == "X")
                if let p = precision, body.count < p { body = String(repeating: "0", count: p - body.count) + body }
                if flags.contains("#") { body = (type == "o" ? "0o" : (type == "x" ? "0x" : "0X")) + body }
            case "e", "E", "f", "F", "g", "G":
                numeric = true
                var dv = try intToDouble(arg)
                if dv == nil, userUnary(arg, "__float__") != nil { dv = try toFloat(arg) }
                guard let d = dv else {
                    throw typeError("must be real number, not \(typeName(arg))")
                }
                negative = d.sign == .minus && !d.isNaN
                body = pyFloatToString(Swift.abs(d), format: type, precision: precision ?? 6, alternate: flags.contains("#"))
            case "c":
                if let ci = arg.bigIntValue {
                    guard ci >= 0, ci <= 0x10FFFF, let u = Unicode.Scalar(UInt32(ci)) else {
                        throw overflowError("%c arg not in range(0x110000)")
                    }
                    body = String(u)
                } else if let s = arg.asStr, s.count == 1 {
                    body = s.value
                } else {
                    throw typeError("%c requires int or char")
                }
            default:
                throw valueError("unsupported format character '\(type)' (0x\(String(type.unicodeScalars.first?.value ?? 0, radix: 16))) at index \(i - 1)")
            }
            var sign = ""
            if numeric {
                if negative { sign = "-" } else if flags.contains("+") { sign = "+" } else if flags.contains(" ") { sign = " " }
            }
            let len = sign.count + body.unicodeScalars.count
            if let w = width, w > len {
                let pad = w - len
                if flags.contains("-") {
                    out += sign + body + String(repeating: " ", count: pad)
                } else if flags.contains("0") && numeric {
                    var prefix = ""
                    if flags.contains("#") && (type == "x" || type == "X" || type == "o") {
                        prefix = String(body.prefix(2)); body = String(body.dropFirst(2))
                    }
                    out += sign + prefix + String(repeating: "0", count: pad) + body
                } else {
                    out += String(repeating: " ", count: pad) + sign + body
                }
            } else {
                out += sign + body
            }
        }
        if !usedMapping && argIndex < args.count && mapping == nil {
            throw typeError("not all arguments converted during string formatting")
        }
        return out
    }
}
