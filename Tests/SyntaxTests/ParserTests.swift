import Foundation
import Testing
@testable import Syntax

/// Runs `body` on a thread with a large stack (tests may run on threads with small stacks).
final class BigStackBox<T>: @unchecked Sendable {
    var value: T?
    init() {}
}

func onBigStack<T>(_ body: @escaping () -> T) -> T {
    let box = BigStackBox<T>()
    let done = DispatchSemaphore(value: 0)
    let t = Thread {
        box.value = body()
        done.signal()
    }
    t.stackSize = 64 << 20
    t.start()
    done.wait()
    return box.value!
}

func parseResult(_ src: String) -> String {
    do {
        _ = try parseModule(src, filename: "t")
        return "OK"
    } catch let e as SyntaxError {
        return "\(e.kind): \(e.message)"
    } catch {
        return "other: \(error)"
    }
}

@Suite("Parser")
struct ParserTests {
    @Test func spansOfStatementsAndExpressions() throws {
        let m = try parseModule("x = foo(1, b)\nif a:\n    y = [1,\n  2]\n", filename: "t")
        let dump = dumpAST(m, withSpans: true)
        #expect(dump == """
        Module
          Assign @1:1-1:14
            target: Name x @1:1-1:2
            value: Call @1:5-1:14
              Name foo @1:5-1:8
              arg: Int 1 @1:9-1:10
              arg: Name b @1:12-1:13
          If @2:1-4:5
            test: Name a @2:4-2:5
            body:
              Assign @3:5-4:5
                target: Name y @3:5-3:6
                value: List @3:9-4:5
                  Int 1 @3:10-3:11
                  Int 2 @4:3-4:4

        """)
    }

    @Test func functionSpanCoversDecorators() throws {
        let m = try parseModule("@dec\ndef f():\n    return 1\n", filename: "t")
        guard case .functionDef(let f) = m.body[0].kind else { Issue.record("not a def"); return }
        #expect(f.span.start == SourceLocation(line: 1, column: 1))
        #expect(f.span.end == SourceLocation(line: 3, column: 13))
        #expect(m.body[0].span == f.span)
    }

    @Test func elifIsANestedIf() throws {
        let m = try parseModule("if a:\n    pass\nelif b:\n    pass\n", filename: "t")
        guard case .ifStmt(_, _, let orelse) = m.body[0].kind, orelse.count == 1,
              case .ifStmt = orelse[0].kind else { Issue.record("shape"); return }
    }

    @Test func boolOpsNestLeft() throws {
        let m = try parseModule("a and b and c\n", filename: "t")
        guard case .expr(let e) = m.body[0].kind, case .boolOp(.and, let l, let r) = e.kind,
              case .boolOp(.and, _, _) = l.kind, case .name("c") = r.kind else { Issue.record("shape"); return }
    }

    @Test func parseInteractiveAndModuleAgree() throws {
        let src = "x = 1\nprint(x)\n"
        #expect(dumpAST(try parseInteractive(src, filename: "<stdin>")) == dumpAST(try parseModule(src, filename: "t")))
    }

    @Test func incompleteInput() {
        #expect(isIncompleteInput("if x:"))
        #expect(isIncompleteInput("if x:\n    y = 1\n"))
        #expect(!isIncompleteInput("if x:\n    y = 1\n\n"))
        #expect(isIncompleteInput("x = (1,"))
        #expect(isIncompleteInput("x = [\n1,\n"))
        #expect(isIncompleteInput("x = 1 + \\"))
        #expect(isIncompleteInput("s = '''abc\n"))
        #expect(isIncompleteInput("def f():"))
        #expect(isIncompleteInput("@dec"))
        #expect(isIncompleteInput("try:\n    x\n"))
        #expect(isIncompleteInput("for x in y: pass"))
        #expect(!isIncompleteInput("x = 1"))
        #expect(!isIncompleteInput("print(1))"))
        #expect(!isIncompleteInput("x = 'abc"))
        #expect(!isIncompleteInput("if x\n"))
        #expect(!isIncompleteInput(""))
    }

    @Test func deepButLegalNesting() {
        let r = onBigStack { () -> [String] in
            [
                parseResult("x = " + String(repeating: "(", count: 199) + "1" + String(repeating: ")", count: 199)),
                parseResult("x = " + String(repeating: "[", count: 150) + String(repeating: "]", count: 150)),
                parseResult("x = " + String(repeating: "-", count: 500) + "1"),
                parseResult("x = 1" + String(repeating: " + 1", count: 900)),
                parseResult(String(repeating: "x = 1\n", count: 20000)),
                parseResult((0..<99).map { String(repeating: " ", count: $0) + "if x:\n" }.joined() + String(repeating: " ", count: 99) + "pass\n"),
            ]
        }
        #expect(r == ["OK", "OK", "OK", "OK", "OK", "OK"])
    }

    @Test func pathologicalNestingIsASyntaxError() {
        let r = onBigStack { () -> [String] in
            [
                parseResult("x = " + String(repeating: "-", count: 100_000) + "1"),
                parseResult("x = " + String(repeating: "not ", count: 100_000) + "1"),
                parseResult("x = " + String(repeating: "lambda: ", count: 100_000) + "1"),
                parseResult("x = " + String(repeating: "1 if 2 else ", count: 100_000) + "1"),
                parseResult("x = 2" + String(repeating: "**2", count: 100_000)),
                parseResult("x = a" + String(repeating: ".b", count: 100_000)),
                parseResult("x = f" + String(repeating: "()", count: 100_000)),
                parseResult("x = 1" + String(repeating: "+1", count: 100_000)),
                parseResult("x = " + String(repeating: "(", count: 100_000)),
                parseResult((0..<120).map { String(repeating: " ", count: $0) + "if x:\n" }.joined() + String(repeating: " ", count: 120) + "pass\n"),
            ]
        }
        #expect(r == Array(repeating: "SyntaxError: too many nested expressions", count: 8)
            + ["SyntaxError: too many nested parentheses", "IndentationError: too many levels of indentation"])
    }

    @Test func randomMutationsNeverCrash() {
        let base = """
        import os
        from m import (a, b as c)
        @dec(1)
        class A(B, metaclass=M):
            x: int = 1
            def f(self, a, b=2, *args, c, **kw) -> int:
                '''doc'''
                for i, j in zip(a, b):
                    if i % 2 == 0 and not j:
                        continue
                    elif (k := i ** -2) > 1:
                        break
                else:
                    pass
                try:
                    y = [x * 2 for x in range(10) if x] + [*a]
                    d = {**kw, 'k': f"{y!r:>{w}} {{}} {z=}"}
                except (E, F) as e:
                    raise G from e
                finally:
                    del y[1:2, ::3]
                with open(p) as fh, q:
                    return lambda x, *y: x if y else -x
        """
        let scalars = Array(base.unicodeScalars)
        let pieces: [String] = ["(", ")", "[", "]", "{", "}", ":", ",", "=", "\n", "    ", "\t", "\"", "'", "\"\"\"",
                                "f\"{", "}", "\\", "#", "if", "else", "lambda", "not", "*", "**", ".", "0x", "1e", "$",
                                "\u{20AC}", "\0", ":=", "for", "in", "@", "yield", "!r", "{x=}", "\r", "é"]
        var rng = SplitMix(seed: 42)
        var outcomes = 0
        for _ in 0..<1500 {
            var s = scalars
            for _ in 0..<Int(rng.next() % 4 + 1) {
                let i = Int(rng.next() % UInt64(s.count + 1))
                switch rng.next() % 3 {
                case 0:
                    let piece = pieces[Int(rng.next() % UInt64(pieces.count))]
                    s.insert(contentsOf: piece.unicodeScalars, at: i)
                case 1:
                    if i < s.count { s.removeSubrange(i..<min(s.count, i + Int(rng.next() % 3 + 1))) }
                default:
                    if i < s.count { s[i] = Unicode.Scalar(UInt8(32 + rng.next() % 95)) }
                }
            }
            var v = String.UnicodeScalarView()
            v.append(contentsOf: s)
            let src = String(v)
            _ = parseResult(src)
            _ = isIncompleteInput(src)
            if let m = try? parseModule(src, filename: "t") { _ = dumpAST(m) }
            outcomes += 1
        }
        #expect(outcomes == 1500)
    }
}

/// A small deterministic random generator for the mutation test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
