import Foundation
import XCTest

/// `stlang` / `stlang repl` as processes with piped stdin.
final class ReplProcessTests: XCTestCase {
    func testNoArgumentsWithPipedStdinRunsItAsAScript() throws {
        let r = try runStlang([], stdin: "x = 6 * 7\nx\nprint(x)\nst.write('hi')\n")
        XCTAssertEqual(r.out, "42\nhi\n", "no prompts, no echo: a script (as python3 < file)")
        XCTAssertEqual(r.err, "")
        XCTAssertEqual(r.status, 0)
    }

    func testPipedScriptWithAnExceptionExitsOne() throws {
        let r = try runStlang(["repl"], stdin: "print(1)\n1/0\nprint(2)\n")
        XCTAssertEqual(r.out, "1\n")
        XCTAssertTrue(r.err.contains("File \"<stdin>\", line 2, in <module>\nZeroDivisionError: division by zero\n"), r.err)
        XCTAssertEqual(r.status, 1)
    }

    func testPipedScriptWithASyntaxErrorRunsNothing() throws {
        let r = try runStlang(["repl"], stdin: "print(1)\nx = (\n")
        XCTAssertEqual(r.out, "")
        XCTAssertTrue(r.err.contains("SyntaxError"), r.err)
        XCTAssertEqual(r.status, 1)
    }

    func testInteractiveFlagPromptsOnStderrAndEchoesOnStdout() throws {
        let input = """
        def f(a):
            return a * 2

        f(21)
        1/0
        f(5)
        :help
        exit()
        print('not reached')

        """
        let r = try runStlang(["repl", "-i"], stdin: input)
        XCTAssertTrue(r.out.hasPrefix("42\n10\nCommands:\n"), r.out)
        XCTAssertFalse(r.out.contains("not reached"))
        XCTAssertTrue(r.err.contains(">>> ... ... >>> "), r.err)
        XCTAssertTrue(r.err.contains("ZeroDivisionError: division by zero"), r.err)
        XCTAssertEqual(r.status, 0)
    }

    func testEndOfInputExitsZero() throws {
        let r = try runStlang(["repl", "-i"], stdin: "x = 1\n")
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.err.hasSuffix(">>> >>> \n"), r.err)
    }

    func testNoColourIntoAPipeEvenForWidgets() throws {
        let r = try runStlang(["repl", "-i"], stdin: "st.title('T')\nst.slider('n', 0, 9)\nst.error('bad')\n")
        XCTAssertTrue(r.out.contains("T"), r.out)
        XCTAssertFalse(r.out.contains("\u{1B}["), r.out)
        XCTAssertFalse(r.err.contains("\u{1B}["), r.err)
    }

    func testScriptThenPromptThenRerun() throws {
        let dir = try makeTempDir("repl-proc")
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
        @st.cache_data
        def total(n):
            print('computing')
            return sum(range(n))

        st.write(total(10))
        """.write(to: dir.appendingPathComponent("app.st"), atomically: true, encoding: .utf8)
        let r = try runStlang(["repl", "-i", "app.st", "--cache-dir", dir.appendingPathComponent("cache").path],
                              stdin: "total(10)\n:rerun\n:cache\n:clear-cache\n:rerun\n", directory: dir)
        XCTAssertEqual(r.out.components(separatedBy: "computing").count - 1, 2, r.out)
        XCTAssertTrue(r.out.contains("45\n── run 2 ──\n"), r.out)
        XCTAssertTrue(r.out.contains("· cache: 1 hit, 0 misses\n"), r.out)
        XCTAssertTrue(r.out.contains("caches cleared\n── run 3 ──\ncomputing\n"), r.out)
        XCTAssertTrue(r.out.contains("· cache: 0 hits, 1 miss\n"), r.out)
        XCTAssertEqual(r.status, 0)
    }

    func testWithoutLibeditOrATerminalThePlainReaderWorks() throws {
        let r = try runStlang(["repl", "-i"], stdin: "for i in range(3):\n    i\n\n'done'\n", environment: ["STLANG_NO_LIBEDIT": "1"])
        XCTAssertEqual(r.out, "0\n1\n2\n'done'\n")
        XCTAssertEqual(r.status, 0)
    }
}
