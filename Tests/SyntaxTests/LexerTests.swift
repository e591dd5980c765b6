import Testing
@testable import Syntax

/// The tokens of `source` as short strings (positions left out).
func kinds(_ source: String) -> [String] {
    tokenize(source).map { $0.debugDescription }
}

@Suite("Lexer")
struct LexerTests {
    @Test func simpleStatement() {
        #expect(kinds("x = 1 + 2\n") == ["NAME(x)", "OP(=)", "INT(1)", "OP(+)", "INT(2)", "NEWLINE", "ENDMARKER"])
    }

    @Test func missingFinalNewlineStillEndsTheLine() {
        #expect(kinds("pass") == ["KW(pass)", "NEWLINE", "ENDMARKER"])
    }

    @Test func indentAndDedent() {
        let src = "if a:\n    b\n    if c:\n        d\ne\n"
        #expect(kinds(src) == [
            "KW(if)", "NAME(a)", "OP(:)", "NEWLINE",
            "INDENT", "NAME(b)", "NEWLINE",
            "KW(if)", "NAME(c)", "OP(:)", "NEWLINE",
            "INDENT", "NAME(d)", "NEWLINE",
            "DEDENT", "DEDENT", "NAME(e)", "NEWLINE", "ENDMARKER",
        ])
    }

    @Test func dedentsAtEndOfInput() {
        #expect(kinds("if a:\n  if b:\n    c") == [
            "KW(if)", "NAME(a)", "OP(:)", "NEWLINE", "INDENT", "KW(if)", "NAME(b)", "OP(:)", "NEWLINE",
            "INDENT", "NAME(c)", "NEWLINE", "DEDENT", "DEDENT", "ENDMARKER",
        ])
    }

    @Test func blankAndCommentLinesDoNotIndent() {
        let src = "if a:\n\n        # deep comment\n  b  # trailing\n\n# col 0 comment\n  c\n"
        #expect(kinds(src) == [
            "KW(if)", "NAME(a)", "OP(:)", "NEWLINE", "INDENT", "NAME(b)", "NEWLINE", "NAME(c)", "NEWLINE",
            "DEDENT", "ENDMARKER",
        ])
    }

    @Test func implicitLineJoiningInBrackets() {
        #expect(kinds("x = (1,\n  2,\n\n 3)\n") == [
            "NAME(x)", "OP(=)", "OP(()", "INT(1)", "OP(,)", "INT(2)", "OP(,)", "INT(3)", "OP())", "NEWLINE", "ENDMARKER",
        ])
    }

    @Test func backslashContinuation() {
        #expect(kinds("x = 1 + \\\n      2\n") == ["NAME(x)", "OP(=)", "INT(1)", "OP(+)", "INT(2)", "NEWLINE", "ENDMARKER"])
    }

    @Test func integerLiterals() {
        #expect(kinds("1_000 0x1f 0o17 0b101 0 00 0XFF") == [
            "INT(1000)", "INT(31)", "INT(15)", "INT(5)", "INT(0)", "INT(0)", "INT(255)", "NEWLINE", "ENDMARKER",
        ])
    }

    @Test func bigIntegerLiterals() {
        #expect(kinds("123456789012345678901234567890 0xffffffffffffffffffff 0b1" + String(repeating: "0", count: 64)) == [
            "INT(123456789012345678901234567890)", "INT(1208925819614629174706175)",
            "INT(18446744073709551616)", "NEWLINE", "ENDMARKER",
        ])
        let toks = tokenize("9223372036854775807 9223372036854775808")
        if case .int(.small(let v)) = toks[0].kind { #expect(v == Int.max) } else { Issue.record("not small") }
        if case .int(.big(let d)) = toks[1].kind { #expect(d == "9223372036854775808") } else { Issue.record("not big") }
    }

    @Test func floatLiterals() {
        #expect(kinds("1.5 .5 1. 1e-3 1_0.5 1E10 2.5e+2") == [
            "FLOAT(1.5)", "FLOAT(0.5)", "FLOAT(1.0)", "FLOAT(0.001)", "FLOAT(10.5)", "FLOAT(10000000000.0)", "FLOAT(250.0)",
            "NEWLINE", "ENDMARKER",
        ])
    }

    @Test func operatorsLongestMatch() {
        #expect(kinds("a **= b //= c >>= d <<= e -> f := g ... != == <= >= @=") == [
            "NAME(a)", "OP(**=)", "NAME(b)", "OP(//=)", "NAME(c)", "OP(>>=)", "NAME(d)", "OP(<<=)", "NAME(e)",
            "OP(->)", "NAME(f)", "OP(:=)", "NAME(g)", "OP(...)", "OP(!=)", "OP(==)", "OP(<=)", "OP(>=)", "OP(@=)",
            "NEWLINE", "ENDMARKER",
        ])
    }

    @Test func keywordsAndSoftKeywords() {
        #expect(kinds("match = lambda: None") == ["NAME(match)", "OP(=)", "KW(lambda)", "OP(:)", "KW(None)", "NEWLINE", "ENDMARKER"])
    }

    @Test func stringEscapes() {
        let toks = tokenize(#"'a\n\t\\\'\"\x41\u00e9\U0001F600\101\0\q' "x\"# + "\ny\"")
        guard case .string(let s) = toks[0].kind, case .string(let s2) = toks[1].kind else {
            Issue.record("not strings"); return
        }
        #expect(s.value == "a\n\t\\'\"Aé😀A\0\\q")
        #expect(s2.value == "xy")
    }

    @Test func rawBytesAndPrefixes() {
        let toks = tokenize(#"r'\n' Rb'\x' b'\x41\n' U'u' F'{x}' rB'\d'"#)
        guard case .string(let r) = toks[0].kind, case .string(let rb) = toks[1].kind,
              case .string(let b) = toks[2].kind, case .string(let u) = toks[3].kind,
              case .string(let f) = toks[4].kind, case .string(let rb2) = toks[5].kind else {
            Issue.record("not strings"); return
        }
        #expect(r.value == "\\n")
        #expect(rb.isBytes && rb.bytes == [92, 120])
        #expect(b.bytes == [65, 10])
        #expect(u.value == "u")
        #expect(f.isFormat)
        #expect(rb2.bytes == [92, 100])
    }

    @Test func tripleQuotedStringsSpanLines() {
        let toks = tokenize("x = '''a\nb'''\ny = \"\"\"c\"\"\"\n")
        guard case .string(let s) = toks[2].kind else { Issue.record("not a string"); return }
        #expect(s.value == "a\nb")
        #expect(toks[2].start == SourceLocation(line: 1, column: 5))
        #expect(toks[2].end == SourceLocation(line: 2, column: 5))
        #expect(toks[4].start == SourceLocation(line: 3, column: 1))
    }

    @Test func columnsCountUnicodeScalars() {
        let toks = tokenize("é = 'ü😀' + x\n")
        #expect(toks[0].start == SourceLocation(line: 1, column: 1))
        #expect(toks[1].start == SourceLocation(line: 1, column: 3))
        #expect(toks[2].start == SourceLocation(line: 1, column: 5))
        #expect(toks[3].start == SourceLocation(line: 1, column: 10))
        #expect(toks[4].start == SourceLocation(line: 1, column: 12))
    }

    @Test func tabsAdvanceToMultiplesOfEight() {
        // a tab and eight spaces are the same indentation when used consistently... per line
        #expect(kinds("if a:\n\tb\n\tc\n") == [
            "KW(if)", "NAME(a)", "OP(:)", "NEWLINE", "INDENT", "NAME(b)", "NEWLINE", "NAME(c)", "NEWLINE", "DEDENT", "ENDMARKER",
        ])
    }

    @Test func inconsistentTabsAreATabError() {
        do {
            _ = try parseModule("if a:\n        b\n\tc\n", filename: "t")
            Issue.record("no error")
        } catch let e as SyntaxError {
            #expect(e.kind == "TabError")
            #expect(e.message == "inconsistent use of tabs and spaces in indentation")
            #expect(e.location.line == 3)
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func crlfLineEndings() throws {
        let m = try parseModule("if a:\r\n    b = 1\r\nc = 2\r\n", filename: "t")
        #expect(m.body.count == 2)
    }

    @Test func fstringFieldsAreParsedFromTheBody() throws {
        let m = try parseModule("f'a{x!r:>{w}}b{{c}}'\n", filename: "t")
        guard case .expr(let e) = m.body[0].kind, case .fstring(let parts) = e.kind else {
            Issue.record("not an f-string"); return
        }
        #expect(parts.count == 3)
        guard case .literal("a") = parts[0], case .literal("b{c}") = parts[2],
              case .field(let fx, let conv, let spec, let debug) = parts[1] else {
            Issue.record("parts \(parts)"); return
        }
        #expect(conv == "r")
        #expect(debug == nil)
        if case .name("x") = fx.kind {} else { Issue.record("field expr") }
        // the field expression points into the original line
        #expect(fx.span.start == SourceLocation(line: 1, column: 5))
        #expect(spec?.count == 2)
    }

    @Test func fstringDebugText() throws {
        let m = try parseModule("f'{x = }{y=:>3}{z=!s}'\n", filename: "t")
        guard case .expr(let e) = m.body[0].kind, case .fstring(let parts) = e.kind, parts.count == 3 else {
            Issue.record("not an f-string"); return
        }
        if case .field(_, let c, let s, let d) = parts[0] {
            #expect(c == "r"); #expect(s == nil); #expect(d == "x = ")
        }
        if case .field(_, let c, let s, let d) = parts[1] {
            #expect(c == nil); #expect(s != nil); #expect(d == "y=")
        }
        if case .field(_, let c, _, let d) = parts[2] {
            #expect(c == "s"); #expect(d == "z=")
        }
    }

    @Test func stringConcatenation() throws {
        let m = try parseModule("a = 'x' \"y\"\nb = b'1' b'2'\nc = 'p' f'{q}' 'r'\n", filename: "t")
        guard case .assign(_, let a) = m.body[0].kind, case .assign(_, let b) = m.body[1].kind,
              case .assign(_, let c) = m.body[2].kind else { Issue.record("shape"); return }
        if case .string(let s) = a.kind { #expect(s == "xy") } else { Issue.record("a") }
        if case .bytes(let s) = b.kind { #expect(s == [49, 50]) } else { Issue.record("b") }
        if case .fstring(let parts) = c.kind { #expect(parts.count == 3) } else { Issue.record("c") }
    }
}
