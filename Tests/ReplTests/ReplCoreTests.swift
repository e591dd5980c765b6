import Foundation
import XCTest
import Interpreter
@testable import Repl

/// The REPL loop driven by a scripted line reader: no terminal, no process.
final class ReplCoreTests: XCTestCase {
    /// Output of one scripted session.
    struct Transcript {
        var out = ""
        var err = ""
        var status: Int32 = 0
        var prompts: [String] = []
        var history: [String] = []
    }

    func session(_ lines: [String?], script: String? = nil, configure: ((ReplSession) -> Void)? = nil) -> Transcript {
        final class Box: @unchecked Sendable { var out = ""; var err = "" }
        let box = Box()
        let reader = ScriptedLineReader(lines)
        var options = ReplSession.Options(scriptPath: script)
        options.banner = false
        options.cacheDirectory = nil
        let repl = ReplSession(options: options, reader: reader, writeOut: { box.out += $0 }, writeErr: { box.err += $0 })
        configure?(repl)
        let status = repl.run()
        return Transcript(out: box.out, err: box.err, status: status, prompts: reader.prompts, history: reader.history)
    }

    func testExpressionResultsAreEchoedWithReprAndNoneIsNot() {
        let t = session(["x = 2", "x * 21", "None", "'a' + 'b'", "[1, 'two', None]", "print('printed')", "_"])
        XCTAssertEqual(t.out, "42\n'ab'\n[1, 'two', None]\nprinted\n[1, 'two', None]\n")
        XCTAssertEqual(t.err, "\n")  // the newline after Ctrl-D / end of input
        XCTAssertEqual(t.status, 0)
    }

    func testSeveralStatementsOnOneLineEchoEachExpression() {
        let t = session(["1; 2", "a = 3; a"])
        XCTAssertEqual(t.out, "1\n2\n3\n")
    }

    func testMultiLineBlocksUseTheContinuationPromptAndEndWithABlankLine() {
        let t = session([
            "def f(a):",
            "    if a > 1:",
            "        return a * f(a - 1)",
            "    return 1",
            "",
            "f(5)",
            "class P:",
            "    def __init__(self, v):",
            "        self.v = v",
            "        self.v",
            "    'class body: not echoed'",
            "",
            "P(7).v",
            "for i in range(2):",
            "    i",
            "",
            "x = (1 +",
            "",
            "  2)",
            "x",
        ])
        XCTAssertEqual(t.out, "120\n7\n0\n1\n3\n")
        XCTAssertEqual(t.err, "\n")
        XCTAssertEqual(t.prompts, [
            ">>> ", "... ", "... ", "... ", "... ", ">>> ",
            ">>> ", "... ", "... ", "... ", "... ", "... ", ">>> ",
            ">>> ", "... ", "... ", ">>> ",
            "... ", "... ", ">>> ", ">>> ",
        ])
    }

    func testWithAndTryBlocks() {
        let t = session([
            "class C:",
            "    def __enter__(self): print('in'); return 5",
            "    def __exit__(self, *a): print('out')",
            "",
            "with C() as v:",
            "    v + 1",
            "",
            "try:",
            "    1/0",
            "except ZeroDivisionError as e:",
            "    print('caught', e)",
            "",
        ])
        // Expressions in blocks are echoed too, as python3's 'single' mode does.
        XCTAssertEqual(t.out, "in\n6\nout\ncaught division by zero\n")
    }

    func testAnErrorPrintsATracebackAndKeepsTheState() {
        let t = session(["x = 5", "def g():", "    return 1 / 0", "", "g()", "x", "undefined_name", "x + 1"])
        XCTAssertEqual(t.out, "5\n6\n")
        XCTAssertTrue(t.err.contains("Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\n"), t.err)
        XCTAssertTrue(t.err.contains("ZeroDivisionError: division by zero\n"), t.err)
        XCTAssertTrue(t.err.contains("NameError: name 'undefined_name' is not defined"), t.err)
    }

    func testSyntaxErrorsAreReportedAndTheSessionGoesOn() {
        let t = session(["1 +", "if True:", "", "@decorator", "", "y = 1", "y", "s = \"\"\"a", "", "b\"\"\"", "s", "t = [1,", "", "2]", "t"])
        XCTAssertTrue(t.err.contains("SyntaxError"), t.err)
        XCTAssertTrue(t.err.contains("IndentationError: expected an indented block"), t.err)
        XCTAssertEqual(t.out, "1\n'a\\n\\nb'\n[1, 2]\n")
    }

    func testCtrlCWhileTypingDropsTheBlock() {
        let t = session(["def f():", nil, "2 + 2"])
        XCTAssertEqual(t.out, "4\n")
        XCTAssertTrue(t.err.hasPrefix("\nKeyboardInterrupt\n"), t.err)
        XCTAssertEqual(t.prompts, [">>> ", "... ", ">>> ", ">>> "])
    }

    func testCtrlCDuringExecutionRaisesKeyboardInterruptAndTheSessionGoesOn() {
        let reader = ScriptedLineReader(["n = 0", "while True:", "    n += 1", "", "n > 0", "def spin():", "    while True: pass", "", "spin()", "'still here'"])
        var options = ReplSession.Options()
        options.banner = false
        options.cacheDirectory = nil
        final class Box: @unchecked Sendable { var out = ""; var err = "" }
        let box = Box()
        let repl = ReplSession(options: options, reader: reader, writeOut: { box.out += $0 }, writeErr: { box.err += $0 })
        // Before the two lines that start endless runs, ask for an interrupt a little later,
        // as the SIGINT handler would.
        reader.onPrompt = { [unowned reader] _ in
            let next = reader.lines.first ?? nil
            let after = reader.lines.dropFirst().first ?? nil
            if (next == "" && after == "n > 0") || next == "spin()" {
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { interruptRequested = 1 }
            }
        }
        let status = repl.run()
        XCTAssertEqual(status, 0)
        XCTAssertEqual(box.out, "True\n'still here'\n")
        XCTAssertEqual(box.err.components(separatedBy: "KeyboardInterrupt\n").count - 1, 2, box.err)
        XCTAssertTrue(box.err.contains("in spin"), box.err)
    }

    func testExitEndsTheSessionWithItsStatus() {
        let t = session(["print('a')", "exit(3)", "print('b')"])
        XCTAssertEqual(t.status, 3)
        XCTAssertEqual(t.out, "a\n")
    }

    func testStElementsRenderAsTheyAreEmitted() {
        let t = session(["st.title('Hello')", "print('between')", "st.write('some **text**')", "v = st.slider('level', 0, 10, 4)", "v", ":elements"])
        let lines = t.out.components(separatedBy: "\n")
        XCTAssertTrue(lines[0].contains("Hello"), t.out)
        XCTAssertEqual(lines[1], "between")
        XCTAssertTrue(lines[2].contains("some **text**"), t.out)
        XCTAssertTrue(t.out.contains("level"), t.out)
        XCTAssertTrue(t.out.contains("\n4\n"), t.out)
        XCTAssertTrue(t.out.contains("main:\n  title body=\"Hello\"\n  markdown body=\"some **text**\"\n  slider label=\"level\""), t.out)
        XCTAssertFalse(t.out.contains("\u{1B}["), "no colour unless asked")
    }

    func testCacheCommands() {
        let t = session([
            ":cache",
            "@st.cache_data",
            "def sq(x):",
            "    return x * x",
            "",
            "sq(3)", "sq(3)", "sq(4)",
            ":cache",
            ":clear-cache",
            ":cache",
            ":nope",
        ])
        XCTAssertTrue(t.out.hasPrefix("no caches\n9\n9\n16\n"), t.out)
        XCTAssertTrue(t.out.range(of: #"sq\s+2 entries, \d+ B, oldest written \d+ s ago\n"#, options: .regularExpression) != nil, t.out)
        XCTAssertTrue(t.out.contains("caches cleared\n"), t.out)
        XCTAssertTrue(t.out.range(of: #"sq\s+0 entries"#, options: .regularExpression) != nil || t.out.hasSuffix("caches cleared\nno caches\n"), t.out)
        XCTAssertTrue(t.err.contains("unknown command ':nope'; :help lists the commands"), t.err)
    }

    func testHelpListsEveryCommand() {
        let t = session([":help"])
        for c in [":help", ":rerun", ":elements", ":cache", ":clear-cache"] {
            XCTAssertTrue(t.out.contains("  " + c + " "), c)
        }
    }

    func testScriptRunsFirstAndRerunKeepsCaches() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("repl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = dir.appendingPathComponent("app.st")
        try """
        @st.cache_data
        def load(n):
            print('computing', n)
            return list(range(n))

        data = load(3)
        st.write(len(data))
        """.write(to: app, atomically: true, encoding: .utf8)
        let t = session(["data", ":rerun", "data[-1]", ":elements"], script: app.path)
        XCTAssertEqual(t.out.components(separatedBy: "computing 3").count - 1, 1, t.out)
        XCTAssertTrue(t.out.contains("[0, 1, 2]\n── run 2 ──\n"), t.out)
        XCTAssertTrue(t.out.contains("· cache: 1 hit, 0 misses\n2\n"), t.out)
        XCTAssertTrue(t.out.hasSuffix("main:\n  markdown body=\"`3`\"\n"), t.out)
    }

    func testRerunWithoutAScriptExplains() {
        let t = session([":rerun"])
        XCTAssertTrue(t.err.contains(":rerun: no script was loaded"), t.err)
    }

    func testInputReadsTheNextLine() {
        let t = session(["name = input('who? ')", "Ada", "name"])
        XCTAssertEqual(t.out, "who? 'Ada'\n")
    }

    func testHistoryGetsEveryNonBlankLine() {
        let t = session(["x = 1", "", "if x:", "    x", "", ":help"])
        XCTAssertEqual(t.history, ["x = 1", "if x:", "    x", ":help"])
    }

    func testCompletion() {
        let reader = ScriptedLineReader([])
        var options = ReplSession.Options()
        options.banner = false
        options.cacheDirectory = nil
        let repl = ReplSession(options: options, reader: reader, writeOut: { _ in }, writeErr: { _ in })
        repl.execute("import math\nalpha_value = 1\nclass K:\n    def method_one(self): pass\n\nk = K()\n")
        XCTAssertEqual(repl.completions(text: "alp", line: "alp"), ["alpha_value"])
        XCTAssertTrue(repl.completions(text: "pri", line: "pri").contains("print"))
        XCTAssertTrue(repl.completions(text: "whi", line: "whi").contains("while"))
        XCTAssertEqual(repl.completions(text: "math.sq", line: "math.sq"), ["math.sqrt"])
        XCTAssertTrue(repl.completions(text: "math.", line: "x = math.").contains("math.pi"))
        XCTAssertEqual(repl.completions(text: "k.meth", line: "k.meth"), ["k.method_one"])
        XCTAssertTrue(repl.completions(text: "st.sli", line: "st.sli").contains("st.slider"))
        XCTAssertTrue(repl.completions(text: "ma", line: "import ma").contains("math"))
        XCTAssertEqual(repl.completions(text: ":cl", line: ":cl"), [":clear-cache"])
        XCTAssertEqual(repl.completions(text: "", line: "    "), ["    "], "an empty word at the start of a line indents")
        XCTAssertEqual(repl.completions(text: "nothing_like_this", line: "nothing_like_this"), [])
        XCTAssertEqual(repl.completions(text: "nope.x", line: "nope.x"), [])
    }
}
