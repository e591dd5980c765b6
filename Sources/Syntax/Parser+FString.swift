// String literal concatenation and f-strings (Python 3.11 rules: the whole f-string is one
// token; its replacement fields are found by scanning the body, and each field's expression is
// tokenized and parsed on its own, as if it were in parentheses).

extension Parser {
    /// One or more adjacent string literals.
    mutating func parseStrings() throws -> Expr {
        let start = tok.start
        var toksIn: [StringToken] = []
        var ends: [SourceLocation] = []
        while case .string(let st) = kind {
            toksIn.append(st)
            ends.append(tok.end)
            advance()
        }
        let sp = span(from: start)
        let anyBytes = toksIn.contains { $0.isBytes }
        let allBytes = toksIn.allSatisfy { $0.isBytes }
        if anyBytes && !allBytes {
            throw buf.error("cannot mix bytes and nonbytes literals", lastEnd)
        }
        if allBytes {
            var out: [UInt8] = []
            for t in toksIn { out.append(contentsOf: t.bytes) }
            return Expr(.bytes(out), sp)
        }
        if !toksIn.contains(where: { $0.isFormat }) {
            if toksIn.count == 1 { return Expr(.string(toksIn[0].value), sp) }
            var s = ""
            for t in toksIn { s += t.value }
            return Expr(.string(s), sp)
        }
        var parts: [FStringPart] = []
        for (k, t) in toksIn.enumerated() {
            if t.isFormat {
                let (ps, _) = try parseFStringBody(t.bodyStart, t.bodyEnd, raw: t.isRaw, level: 0, literalEnd: ends[k])
                for part in ps { appendPart(&parts, part) }
            } else {
                appendPart(&parts, .literal(t.value))
            }
        }
        return Expr(.fstring(parts), sp)
    }

    func appendPart(_ parts: inout [FStringPart], _ part: FStringPart) {
        if case .literal(let s) = part {
            if s.isEmpty { return }
            if case .literal(let prev)? = parts.last {
                parts[parts.count - 1] = .literal(prev + s)
                return
            }
        }
        parts.append(part)
    }

    /// CPython 3.11 reports errors found while scanning an f-string at the end of the literal.
    func fstringError(_ message: String, _ literalEnd: SourceLocation) -> SyntaxError {
        buf.error(message, literalEnd)
    }

    /// Parses f-string text in `lo..<hi` of the buffer. At level 0 (the whole body) it runs to
    /// `hi`; in a format spec (level > 0) it stops at the '}' that closes the field. Returns the
    /// parts and the index where it stopped.
    mutating func parseFStringBody(_ lo: Int, _ hi: Int, raw: Bool, level: Int, literalEnd: SourceLocation) throws -> ([FStringPart], Int) {
        let s = buf.s
        var parts: [FStringPart] = []
        var litStart = lo
        var i = lo

        func flush(_ upTo: Int, _ parts: inout [FStringPart]) throws {
            if upTo > litStart {
                let text: String
                if raw {
                    text = scalarsToString(s, litStart, upTo)
                } else {
                    do {
                        text = try decodeString(s, litStart, upTo)
                    } catch let e as EscapeError {
                        throw buf.error(e.message, literalEnd)
                    }
                }
                appendPart(&parts, .literal(text))
            }
        }

        while i < hi {
            let c = s[i]
            if c == "\\" && !raw {
                // skip the escaped character (so that `\{` keeps its backslash and `\N{...}`
                // is not a field)
                if i + 1 < hi && s[i + 1] == "N" && i + 2 < hi && s[i + 2] == "{" {
                    var j = i + 3
                    while j < hi && s[j] != "}" { j += 1 }
                    i = min(j + 1, hi)
                    continue
                }
                if i + 1 < hi && s[i + 1] != "{" && s[i + 1] != "}" {
                    i += 2
                } else {
                    i += 1
                }
                continue
            }
            if c == "{" || c == "}" {
                if level == 0 {
                    if i + 1 < hi && s[i + 1] == c {
                        try flush(i + 1, &parts)
                        i += 2
                        litStart = i
                        continue
                    }
                    if c == "}" {
                        throw fstringError("f-string: single '}' is not allowed", literalEnd)
                    }
                }
                if c == "}" {
                    // end of a nested format spec
                    try flush(i, &parts)
                    return (parts, i)
                }
                try flush(i, &parts)
                let (field, next) = try parseField(i, hi, raw: raw, level: level, literalEnd: literalEnd)
                parts.append(field)
                i = next
                litStart = i
                continue
            }
            i += 1
        }
        try flush(hi, &parts)
        return (parts, hi)
    }

    /// Parses the replacement field starting at the '{' at `open`. Returns the part and the
    /// index just past its closing '}'.
    mutating func parseField(_ open: Int, _ hi: Int, raw: Bool, level: Int, literalEnd: SourceLocation) throws -> (FStringPart, Int) {
        let s = buf.s
        if level >= 2 {
            throw fstringError("f-string: expressions nested too deeply", literalEnd)
        }
        let exprStart = open + 1
        var j = exprStart
        var stack: [Unicode.Scalar] = []
        var quote: Unicode.Scalar? = nil
        var tripleQuote = false
        scan: while j < hi {
            let c = s[j]
            if c == "\\" {
                throw fstringError("f-string expression part cannot include a backslash", literalEnd)
            }
            if let q = quote {
                if c == q {
                    if tripleQuote {
                        if j + 2 < hi && s[j + 1] == q && s[j + 2] == q {
                            quote = nil
                            j += 3
                            continue
                        }
                    } else {
                        quote = nil
                    }
                }
                j += 1
                continue
            }
            switch c {
            case "'", "\"":
                if j + 2 < hi && s[j + 1] == c && s[j + 2] == c {
                    tripleQuote = true
                    quote = c
                    j += 3
                    continue
                }
                tripleQuote = false
                quote = c
            case "[", "(", "{":
                if stack.count >= maxParenDepth {
                    throw fstringError("f-string: too many nested parenthesis", literalEnd)
                }
                stack.append(c)
            case "]", ")", "}":
                if stack.isEmpty {
                    if c == "}" { break scan }
                    throw fstringError("f-string: unmatched '\(Character(c))'", literalEnd)
                }
                let o = stack.removeLast()
                let want: Unicode.Scalar = o == "(" ? ")" : (o == "[" ? "]" : "}")
                if c != want {
                    throw fstringError("f-string: closing parenthesis '\(Character(c))' does not match opening parenthesis '\(Character(o))'", literalEnd)
                }
            case "#":
                throw fstringError("f-string expression part cannot include '#'", literalEnd)
            case "!", "=", "<", ">", ":":
                if stack.isEmpty {
                    if c != ":" && j + 1 < hi && s[j + 1] == "=" {
                        j += 2
                        continue
                    }
                    if c == "<" || c == ">" { break }
                    break scan
                }
            default:
                break
            }
            j += 1
        }
        if quote != nil {
            throw fstringError("f-string: unterminated string", literalEnd)
        }
        if j >= hi {
            if !stack.isEmpty {
                throw fstringError("f-string: unmatched '\(Character(stack[stack.count - 1]))'", literalEnd)
            }
            throw fstringError("f-string: expecting '}'", literalEnd)
        }
        let exprEnd = j
        var allSpace = true
        for k in exprStart..<exprEnd where !(s[k] == " " || s[k] == "\t" || s[k] == "\n" || s[k] == "\u{0C}") {
            allSpace = false
            break
        }
        if allSpace {
            throw fstringError("f-string: empty expression not allowed", literalEnd)
        }
        let expr = try parseFieldExpression(exprStart, exprEnd)
        var debugText: String? = nil
        var conversion: Character? = nil
        var spec: [FStringPart]? = nil
        if s[j] == "=" {
            j += 1
            while j < hi && (s[j] == " " || s[j] == "\t" || s[j] == "\n" || s[j] == "\u{0C}") { j += 1 }
            debugText = scalarsToString(s, exprStart, j)
        }
        if j < hi && s[j] == "!" {
            j += 1
            guard j < hi else { throw fstringError("f-string: expecting '}'", literalEnd) }
            let cc = s[j]
            if cc != "s" && cc != "r" && cc != "a" {
                throw fstringError("f-string: invalid conversion character: expected 's', 'r', or 'a'", literalEnd)
            }
            conversion = Character(cc)
            j += 1
        }
        if j < hi && s[j] == ":" {
            let (specParts, stop) = try parseFStringBody(j + 1, hi, raw: raw, level: level + 1, literalEnd: literalEnd)
            spec = specParts
            j = stop
        }
        if j >= hi || s[j] != "}" {
            throw fstringError("f-string: expecting '}'", literalEnd)
        }
        j += 1
        if debugText != nil && conversion == nil && spec == nil {
            conversion = "r"
        }
        return (.field(expr: expr, conversion: conversion, spec: spec, debugText: debugText), j)
    }

    /// Tokenizes and parses a field's expression (`lo..<hi` of the buffer).
    mutating func parseFieldExpression(_ lo: Int, _ hi: Int) throws -> Expr {
        var lx = Lexer(buffer: buf, start: lo, end: hi)
        let stream = lx.run()
        var sub = Parser(buffer: buf, stream: stream, depth: depth + 10)
        sub.inFString = true
        do {
            let e = try sub.parseStarExpressions()
            if case .endMarker = sub.kind {} else {
                if case .error(let err) = sub.kind { throw err }
                if sub.startsExpression() {
                    throw sub.buf.error("invalid syntax. Perhaps you forgot a comma?", e.span.start)
                }
                throw sub.invalidSyntax()
            }
            return e
        } catch var e as SyntaxError {
            if !e.message.hasPrefix("f-string") {
                e.message = "f-string: " + e.message
            }
            throw e
        }
    }
}
