// The tokenizer: Python 3.11's rules for indentation, brackets, numbers and strings.

/// The source as an array of Unicode scalars (line endings normalised to "\n"), with line starts
/// so that an index can be turned into a location and a line number into the line's text.
final class SourceBuffer {
    let s: [Unicode.Scalar]
    let lineStarts: [Int]
    let filename: String
    /// True when the original source ended with a newline (used for "detected at line N").
    let endsWithNewline: Bool

    init(_ source: String, filename: String) {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(source.utf8.count)
        var prevCR = false
        // A UTF-8 byte order mark at the start of a file is skipped, as CPython does.
        var scalars = Substring(source).unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        for c in scalars {
            if c == "\r" {
                out.append("\n")
                prevCR = true
                continue
            }
            if c == "\n" && prevCR {
                prevCR = false
                continue
            }
            prevCR = false
            out.append(c)
        }
        var starts = [0]
        for (i, c) in out.enumerated() where c == "\n" {
            starts.append(i + 1)
        }
        self.s = out
        self.lineStarts = starts
        self.filename = filename
        self.endsWithNewline = out.last == "\n"
    }

    func location(_ index: Int) -> SourceLocation {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= index { lo = mid } else { hi = mid - 1 }
        }
        return SourceLocation(line: lo + 1, column: index - lineStarts[lo] + 1)
    }

    func lineText(_ line: Int) -> String {
        guard line >= 1 && line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = start
        while end < s.count && s[end] != "\n" { end += 1 }
        var v = String.UnicodeScalarView()
        v.append(contentsOf: s[start..<end])
        return String(v)
    }

    func error(_ message: String, _ loc: SourceLocation, kind: String = "SyntaxError") -> SyntaxError {
        SyntaxError(kind: kind, message: message, filename: filename, location: loc, lineText: lineText(loc.line))
    }
}

/// The result of tokenizing: the tokens (the last one is `.endMarker` or `.error`), and how a
/// tokenizer error ranks against a parser error found earlier in the file.
struct TokenStream {
    var tokens: [Token]
    /// The tokenizer error, if tokenizing stopped on one.
    var error: SyntaxError?
    /// CPython checks the whole source for tokenizer errors once the parser fails; the ones it
    /// raises as exceptions (unterminated strings, bad literals, bad characters) win over the
    /// parser's error. Indentation errors and stray `$` do not.
    var errorOverrides: Bool = false
    /// For "'(' was never closed": the line of the bracket (it wins over a parser error on a
    /// later line).
    var unclosedLine: Int?
}

struct LexFailure: Error {
    var error: SyntaxError
    var overrides: Bool
    var unclosedLine: Int? = nil
}

private let asciiIdentStart: [Bool] = (0..<128).map { i in
    let c = UInt8(i)
    return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
}

@inline(__always) private func isIdentStart(_ c: Unicode.Scalar) -> Bool {
    if c.value < 128 { return asciiIdentStart[Int(c.value)] }
    return c.properties.isXIDStart
}

@inline(__always) private func isIdentContinue(_ c: Unicode.Scalar) -> Bool {
    if c.value < 128 {
        return asciiIdentStart[Int(c.value)] || (c.value >= 48 && c.value <= 57)
    }
    return c.properties.isXIDContinue
}

@inline(__always) private func isDigit(_ c: Unicode.Scalar) -> Bool {
    c.value >= 48 && c.value <= 57
}

func isPrintable(_ c: Unicode.Scalar) -> Bool {
    if c == " " { return true }
    switch c.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator,
         .paragraphSeparator, .spaceSeparator:
        return false
    default:
        return true
    }
}

func hex4(_ v: UInt32) -> String {
    var h = String(v, radix: 16, uppercase: true)
    while h.count < 4 { h = "0" + h }
    return h
}

let maxParenDepth = 200
let maxIndentDepth = 100

struct Lexer {
    let buf: SourceBuffer
    let s: [Unicode.Scalar]
    let end: Int
    var pos: Int
    var line: Int
    var lineStart: Int
    var tokens: [Token] = []
    /// Open brackets: the character, its location. A `nil` character is the virtual bracket
    /// around an f-string expression.
    var parens: [(Unicode.Scalar?, SourceLocation)] = []
    var indents: [(col: Int, alt: Int)] = [(0, 0)]
    var atLineStart = true
    var lineHasTokens = false
    let fstringMode: Bool

    init(buffer: SourceBuffer) {
        self.buf = buffer
        self.s = buffer.s
        self.end = buffer.s.count
        self.pos = 0
        self.line = 1
        self.lineStart = 0
        self.fstringMode = false
        tokens.reserveCapacity(buffer.s.count / 3 + 8)
    }

    /// A lexer for an f-string replacement field's expression: `start..<end` in the buffer,
    /// inside a virtual pair of parentheses (newlines are insignificant).
    init(buffer: SourceBuffer, start: Int, end: Int) {
        self.buf = buffer
        self.s = buffer.s
        self.end = min(end, buffer.s.count)
        self.pos = start
        let loc = buffer.location(start)
        self.line = loc.line
        self.lineStart = start - (loc.column - 1)
        self.fstringMode = true
        self.parens = [(nil, loc)]
        self.atLineStart = false
    }

    @inline(__always) var loc: SourceLocation {
        SourceLocation(line: line, column: pos - lineStart + 1)
    }

    @inline(__always) func locAt(_ i: Int) -> SourceLocation {
        SourceLocation(line: line, column: i - lineStart + 1)
    }

    @inline(__always) func peek(_ off: Int = 0) -> Unicode.Scalar {
        let i = pos + off
        return i < end ? s[i] : "\0"
    }

    func fail(_ message: String, _ at: SourceLocation, kind: String = "SyntaxError", overrides: Bool = true) -> LexFailure {
        LexFailure(error: buf.error(message, at, kind: kind), overrides: overrides)
    }

    mutating func emit(_ kind: TokenKind, _ start: SourceLocation) {
        tokens.append(Token(kind, start: start, end: loc))
        lineHasTokens = true
    }

    mutating func newLine() {
        // pos is at a "\n"
        pos += 1
        line += 1
        lineStart = pos
    }

    static func tokenize(_ buffer: SourceBuffer) -> TokenStream {
        var lx = Lexer(buffer: buffer)
        return lx.run()
    }

    mutating func run() -> TokenStream {
        do {
            try lexAll()
            return TokenStream(tokens: tokens)
        } catch let f as LexFailure {
            tokens.append(Token(.error(f.error), start: f.error.location, end: f.error.location))
            return TokenStream(tokens: tokens, error: f.error, errorOverrides: f.overrides, unclosedLine: f.unclosedLine)
        } catch {
            let e = buf.error("invalid syntax", loc)
            tokens.append(Token(.error(e), start: e.location, end: e.location))
            return TokenStream(tokens: tokens, error: e)
        }
    }

    mutating func lexAll() throws {
        while true {
            if atLineStart && parens.isEmpty && !fstringMode {
                atLineStart = false
                if try handleIndentation() { continue }
            }
            // skip whitespace
            while pos < end {
                let c = s[pos]
                if c == " " || c == "\t" || c == "\u{0C}" { pos += 1 } else { break }
            }
            if pos >= end { break }
            let c = s[pos]
            var newlineStart = pos
            if c == "#" {
                while pos < end && s[pos] != "\n" { pos += 1 }
                if pos >= end { break }
            }
            if s[pos] == "\n" {
                if c != "#" { newlineStart = pos }
                if parens.isEmpty && !fstringMode {
                    if lineHasTokens {
                        // like CPython, a NEWLINE after a comment starts where the comment does
                        tokens.append(Token(.newline, start: locAt(newlineStart), end: locAt(pos + 1)))
                        lineHasTokens = false
                    }
                    atLineStart = true
                }
                newLine()
                continue
            }
            if c == "\\" {
                let nx = peek(1)
                if pos + 1 >= end {
                    if fstringMode { throw fail("f-string expression part cannot include a backslash", loc) }
                    throw fail("unexpected EOF while parsing", locAt(pos + 1), overrides: false)
                }
                if nx == "\n" {
                    let eofLoc = locAt(pos + 1)
                    pos += 1
                    newLine()
                    // Only blank text after a continuation is the end of input too (CPython).
                    var rest = pos
                    while rest < end && (s[rest] == " " || s[rest] == "\t" || s[rest] == "\n" || s[rest] == "\u{0C}") { rest += 1 }
                    if rest >= end && !fstringMode {
                        throw fail("unexpected EOF while parsing", eofLoc, overrides: false)
                    }
                    continue
                }
                throw fail("unexpected character after line continuation character", locAt(pos + 1), overrides: false)
            }
            let start = loc
            if isIdentStart(c) {
                let b = pos
                pos += 1
                while pos < end && isIdentContinue(s[pos]) { pos += 1 }
                // string prefix?
                if pos < end && (s[pos] == "'" || s[pos] == "\"") && pos - b <= 2 {
                    if let flags = stringPrefix(b, pos) {
                        try lexString(prefixStart: b, raw: flags.raw, bytes: flags.bytes, format: flags.format)
                        continue
                    }
                }
                let name = scalarsToString(s, b, pos)
                if pythonKeywords.contains(name) {
                    emit(.keyword(name), start)
                } else {
                    emit(.name(name), start)
                }
                continue
            }
            if isDigit(c) || (c == "." && isDigit(peek(1))) {
                try lexNumber()
                continue
            }
            if c == "'" || c == "\"" {
                try lexString(prefixStart: pos, raw: false, bytes: false, format: false)
                continue
            }
            if let op = matchOperator() {
                pos += op.unicodeScalars.count
                try handleBracket(op, start)
                emit(.op(op), start)
                continue
            }
            // invalid characters
            if c == "\0" {
                throw fail("source code string cannot contain null bytes", start)
            }
            if c.value < 128 {
                if c.value < 32 || c.value == 127 {
                    throw fail("invalid non-printable character U+\(hex4(c.value))", start)
                }
                // `$`, `?`, `!`, backtick: CPython's tokenizer returns an error token and goes
                // on; the parser reports "invalid syntax" when it reaches it.
                pos += 1
                let e = buf.error("invalid syntax", start)
                tokens.append(Token(.error(e), start: start, end: loc))
                lineHasTokens = true
                continue
            }
            if !isPrintable(c) {
                throw fail("invalid non-printable character U+\(hex4(c.value))", start)
            }
            throw fail("invalid character '\(Character(c))' (U+\(hex4(c.value)))", start)
        }
        // end of input
        if fstringMode {
            tokens.append(Token(.endMarker, start: loc, end: loc))
            return
        }
        if let open = parens.last, let ch = open.0 {
            var f = fail("'\(Character(ch))' was never closed", open.1)
            f.unclosedLine = open.1.line
            f.overrides = false
            throw f
        }
        if lineHasTokens {
            tokens.append(Token(.newline, start: loc, end: loc))
            lineHasTokens = false
        }
        let endLoc = loc
        while indents.count > 1 {
            indents.removeLast()
            tokens.append(Token(.dedent, start: endLoc, end: endLoc))
        }
        tokens.append(Token(.endMarker, start: endLoc, end: endLoc))
    }

    /// Measures the indentation of a new logical line and emits INDENT/DEDENT tokens. Returns
    /// true when the line was blank (the caller then starts over on the next line).
    mutating func handleIndentation() throws -> Bool {
        var col = 0
        var alt = 0
        while pos < end {
            let c = s[pos]
            if c == " " {
                col += 1; alt += 1
            } else if c == "\t" {
                col = (col / 8 + 1) * 8
                alt += 1
            } else if c == "\u{0C}" {
                col = 0; alt = 0
            } else {
                break
            }
            pos += 1
        }
        if pos >= end { return false }
        let c = s[pos]
        if c == "#" || c == "\n" {
            // blank or comment-only line: no indentation change
            while pos < end && s[pos] != "\n" { pos += 1 }
            if pos < end { newLine() }
            atLineStart = true
            return true
        }
        if c == "\\" && peek(1) == "\n" {
            // a backslash continuation on an otherwise empty line: treat as blank
            pos += 1
            newLine()
            atLineStart = true
            return true
        }
        let top = indents[indents.count - 1]
        if col == top.col {
            if alt != top.alt {
                throw fail("inconsistent use of tabs and spaces in indentation", SourceLocation(line: line, column: 1), kind: "TabError", overrides: false)
            }
        } else if col > top.col {
            if indents.count >= maxIndentDepth {
                throw fail("too many levels of indentation", loc, kind: "IndentationError", overrides: false)
            }
            if alt <= top.alt {
                throw fail("inconsistent use of tabs and spaces in indentation", SourceLocation(line: line, column: 1), kind: "TabError", overrides: false)
            }
            indents.append((col, alt))
            tokens.append(Token(.indent, start: SourceLocation(line: line, column: 1), end: loc))
        } else {
            var level = indents.count - 1
            while level > 0 && col < indents[level].col { level -= 1 }
            let nt = indents[level]
            if col != nt.col {
                var e = pos
                while e < end && s[e] != "\n" { e += 1 }
                throw fail("unindent does not match any outer indentation level", locAt(e), kind: "IndentationError", overrides: false)
            }
            if alt != nt.alt {
                throw fail("inconsistent use of tabs and spaces in indentation", SourceLocation(line: line, column: 1), kind: "TabError", overrides: false)
            }
            while indents.count - 1 > level {
                indents.removeLast()
                tokens.append(Token(.dedent, start: loc, end: loc))
            }
        }
        return false
    }

    func stringPrefix(_ b: Int, _ e: Int) -> (raw: Bool, bytes: Bool, format: Bool)? {
        var raw = false, bytes = false, format = false, unicode = false
        for i in b..<e {
            switch s[i] {
            case "r", "R":
                if raw { return nil }
                raw = true
            case "b", "B":
                if bytes { return nil }
                bytes = true
            case "f", "F":
                if format { return nil }
                format = true
            case "u", "U":
                if unicode { return nil }
                unicode = true
            default:
                return nil
            }
        }
        if unicode && (raw || bytes || format) { return nil }
        if bytes && format { return nil }
        return (raw, bytes, format)
    }

    /// The operator or delimiter at `pos` (longest match), if any.
    func matchOperator() -> String? {
        let c0 = s[pos]
        let c1 = peek(1)
        let c2 = peek(2)
        switch c0 {
        case "(": return "("
        case ")": return ")"
        case "[": return "["
        case "]": return "]"
        case "{": return "{"
        case "}": return "}"
        case ",": return ","
        case ";": return ";"
        case "~": return "~"
        case ".":
            if c1 == "." && c2 == "." { return "..." }
            return "."
        case ":": return c1 == "=" ? ":=" : ":"
        case "=": return c1 == "=" ? "==" : "="
        case "!": return c1 == "=" ? "!=" : nil
        case "+": return c1 == "=" ? "+=" : "+"
        case "-":
            if c1 == "=" { return "-=" }
            if c1 == ">" { return "->" }
            return "-"
        case "%": return c1 == "=" ? "%=" : "%"
        case "@": return c1 == "=" ? "@=" : "@"
        case "&": return c1 == "=" ? "&=" : "&"
        case "|": return c1 == "=" ? "|=" : "|"
        case "^": return c1 == "=" ? "^=" : "^"
        case "*":
            if c1 == "*" { return c2 == "=" ? "**=" : "**" }
            return c1 == "=" ? "*=" : "*"
        case "/":
            if c1 == "/" { return c2 == "=" ? "//=" : "//" }
            return c1 == "=" ? "/=" : "/"
        case "<":
            if c1 == "<" { return c2 == "=" ? "<<=" : "<<" }
            if c1 == "=" { return "<=" }
            return "<"
        case ">":
            if c1 == ">" { return c2 == "=" ? ">>=" : ">>" }
            if c1 == "=" { return ">=" }
            return ">"
        default:
            return nil
        }
    }

    mutating func handleBracket(_ op: String, _ start: SourceLocation) throws {
        switch op {
        case "(", "[", "{":
            if parens.count >= maxParenDepth + (fstringMode ? 1 : 0) {
                throw fail("too many nested parentheses", start)
            }
            parens.append((op.unicodeScalars.first, start))
        case ")", "]", "}":
            let close = op.unicodeScalars.first ?? ")"
            guard let open = parens.last, let oc = open.0 else {
                throw fail((fstringMode ? "f-string: " : "") + "unmatched '\(op)'", start)
            }
            let expected: Unicode.Scalar = oc == "(" ? ")" : (oc == "[" ? "]" : "}")
            if close != expected {
                var msg = "closing parenthesis '\(op)' does not match opening parenthesis '\(Character(oc))'"
                if open.1.line != start.line { msg += " on line \(open.1.line)" }
                throw fail(msg, start)
            }
            parens.removeLast()
        default:
            break
        }
    }

    // MARK: numbers

    mutating func lexNumber() throws {
        let startPos = pos
        let start = loc
        let c = s[pos]
        if c == "0" && (peek(1) == "x" || peek(1) == "X" || peek(1) == "o" || peek(1) == "O" || peek(1) == "b" || peek(1) == "B") {
            let kindChar = peek(1)
            let radix: Int
            let name: String
            switch kindChar {
            case "x", "X": radix = 16; name = "hexadecimal"
            case "o", "O": radix = 8; name = "octal"
            default: radix = 2; name = "binary"
            }
            pos += 2
            var digits: [UInt8] = []
            while true {
                if pos < end && s[pos] == "_" { pos += 1 }
                guard pos < end, let d = digitValue(s[pos]), d < radix else {
                    if pos < end, let d = digitValue(s[pos]), d >= radix, d < 10 {
                        throw fail("invalid digit '\(Character(s[pos]))' in \(name) literal", loc)
                    }
                    throw fail("invalid \(name) literal", locAt(pos - 1))
                }
                digits.append(UInt8(d))
                pos += 1
                if pos < end, let d2 = digitValue(s[pos]), d2 < radix { continue }
                if pos < end && s[pos] == "_" { continue }
                break
            }
            if pos < end, let d = digitValue(s[pos]), d >= radix, d < 10 {
                throw fail("invalid digit '\(Character(s[pos]))' in \(name) literal", loc)
            }
            try verifyEndOfNumber(name)
            emit(.int(radixToLiteral(digits, radix: radix)), start)
            return
        }
        // fast path: a short plain decimal integer
        if c != "." {
            var v = 0
            var i = pos
            while i < end && i - pos < 18 && isDigit(s[i]) {
                v = v * 10 + Int(s[i].value - 48)
                i += 1
            }
            let next: Unicode.Scalar = i < end ? s[i] : " "
            if !isIdentContinue(next) && next != "." && !(c == "0" && i - pos > 1) {
                pos = i
                emit(.int(.small(v)), start)
                return
            }
        }
        // decimal int or float
        var intPart = String.UnicodeScalarView()
        var isFloat = false
        var text = String.UnicodeScalarView()
        if c != "." {
            try decimalDigits(into: &intPart)
            text.append(contentsOf: intPart)
            let nx = peek()
            if !(nx == "." || nx == "e" || nx == "E" || nx == "j" || nx == "J") {
                let digits = Array(intPart)
                if digits.count > 1 && digits[0] == "0" && digits.contains(where: { $0 != "0" }) {
                    pos = startPos
                    throw fail("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", start)
                }
            }
        }
        if pos < end && s[pos] == "." {
            isFloat = true
            text.append(".")
            pos += 1
            if pos < end && isDigit(s[pos]) {
                try decimalDigits(into: &text)
            }
        }
        if pos < end && (s[pos] == "e" || s[pos] == "E") {
            let save = pos
            var exp = String.UnicodeScalarView()
            exp.append("e")
            pos += 1
            var signPos: Int? = nil
            if pos < end && (s[pos] == "+" || s[pos] == "-") {
                signPos = pos
                exp.append(s[pos])
                pos += 1
            }
            if pos < end && isDigit(s[pos]) {
                try decimalDigits(into: &exp)
                text.append(contentsOf: exp)
                isFloat = true
            } else if signPos == nil {
                // `1else 2`: CPython backs up to the `e` and accepts a glued keyword.
                pos = save
                try verifyEndOfNumber("decimal")
            } else {
                pos = save
                throw fail("invalid decimal literal", locAt(signPos ?? (save - 1)))
            }
        }
        if pos < end && (s[pos] == "j" || s[pos] == "J") {
            pos += 1
            throw fail("imaginary literals are not supported in stlang", start)
        }
        try verifyEndOfNumber("decimal")
        if isFloat {
            let str = String(text)
            emit(.float(Double(str) ?? Double.infinity), start)
            return
        }
        // integer
        let digits = Array(intPart)
        if digits.count > 1 && digits[0] == "0" {
            if digits.contains(where: { $0 != "0" }) {
                pos = startPos
                throw fail("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", start)
            }
        }
        let str = String(intPart)
        if digits.count <= 18, let v = Int(str) {
            emit(.int(.small(v)), start)
        } else if let v = Int(str) {
            emit(.int(.small(v)), start)
        } else {
            var t = Substring(str)
            while t.count > 1 && t.first == "0" { t = t.dropFirst() }
            emit(.int(.big(String(t))), start)
        }
    }

    /// Digits with single underscores between them; `pos` is at a digit.
    mutating func decimalDigits(into out: inout String.UnicodeScalarView) throws {
        while pos < end {
            let c = s[pos]
            if isDigit(c) {
                out.append(c)
                pos += 1
            } else if c == "_" {
                if pos + 1 < end && isDigit(s[pos + 1]) {
                    pos += 1
                } else {
                    throw fail("invalid decimal literal", loc)
                }
            } else {
                break
            }
        }
    }

    func digitValue(_ c: Unicode.Scalar) -> Int? {
        let v = c.value
        if v >= 48 && v <= 57 { return Int(v - 48) }
        if v >= 97 && v <= 102 { return Int(v - 87) }
        if v >= 65 && v <= 70 { return Int(v - 55) }
        return nil
    }

    mutating func verifyEndOfNumber(_ name: String) throws {
        guard pos < end, isIdentContinue(s[pos]) else { return }
        // CPython accepts (with a warning) a keyword glued to a number: `1if x else 2`.
        for kw in ["and", "else", "for", "if", "in", "is", "not", "or"] {
            var ok = true
            var i = pos
            for ch in kw.unicodeScalars {
                if i >= end || s[i] != ch { ok = false; break }
                i += 1
            }
            if ok { return }
        }
        throw fail("invalid \(name) literal", locAt(pos - 1))
    }

    // MARK: strings

    mutating func lexString(prefixStart: Int, raw: Bool, bytes: Bool, format: Bool) throws {
        let start = locAt(prefixStart)
        let q = s[pos]
        let triple = peek(1) == q && peek(2) == q
        pos += triple ? 3 : 1
        let bodyStart = pos
        var bodyEnd = pos
        let startLine = line
        while true {
            if pos >= end {
                if triple {
                    var detected = line
                    if buf.endsWithNewline && detected > 1 && pos >= buf.s.count { detected -= 1 }
                    throw fail("unterminated triple-quoted string literal (detected at line \(detected))", start)
                }
                throw fail("unterminated string literal (detected at line \(startLine))", start)
            }
            let c = s[pos]
            if c == "\\" {
                pos += 1
                if pos < end {
                    if s[pos] == "\n" {
                        newLine()
                    } else {
                        pos += 1
                    }
                }
                continue
            }
            if c == "\n" {
                if !triple {
                    throw fail("unterminated string literal (detected at line \(line))", start)
                }
                newLine()
                continue
            }
            if c == q {
                if !triple {
                    bodyEnd = pos
                    pos += 1
                    break
                }
                if peek(1) == q && peek(2) == q {
                    bodyEnd = pos
                    pos += 3
                    break
                }
            }
            pos += 1
        }
        var tok = StringToken(isRaw: raw, isBytes: bytes, isFormat: format, value: "", bytes: [],
                              bodyStart: bodyStart, bodyEnd: bodyEnd, literalStart: start)
        if !format {
            do {
                if bytes {
                    tok.bytes = try decodeBytes(s, bodyStart, bodyEnd, raw: raw)
                } else {
                    tok.value = raw ? scalarsToString(s, bodyStart, bodyEnd) : try decodeString(s, bodyStart, bodyEnd)
                }
            } catch let e as EscapeError {
                // raised by CPython's parser when it builds the constant: an error token that
                // the parser raises when it gets there; tokenizing goes on.
                let err = buf.error(e.message, e.atStart ? start : loc)
                tokens.append(Token(.error(err), start: start, end: loc))
                lineHasTokens = true
                return
            }
        }
        emit(.string(tok), start)
    }
}

/// Tokenizes `source` (for tests and tools).
public func tokenize(_ source: String, filename: String = "<string>") -> [Token] {
    Lexer.tokenize(SourceBuffer(source, filename: filename)).tokens
}
