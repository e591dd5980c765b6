import Foundation
import XCTest

/// `stlang repl` on a pseudo-terminal, typed at as a person would: libedit line editing,
/// history, completion, Ctrl-C and Ctrl-D.
final class PtyTests: XCTestCase {
    /// glibc's POSIX_SPAWN_SETSID (not imported into Swift).
    static let posixSpawnSetsidValue: Int32 = 0x80

    /// A child process whose stdin, stdout and stderr are a pty it has as controlling terminal
    /// (its own session), so Ctrl-C typed into the pty is a SIGINT for it.
    final class PtyProcess {
        let master: Int32
        var pid: pid_t = 0
        let out = OutputCollector()
        private var exited: Int32?

        init(_ args: [String], environment: [String: String]) throws {
            // posix_openpt & co. are hidden behind _XOPEN_SOURCE in Swift's Glibc module: look them up.
            let libc = dlopen(nil, RTLD_NOW)
            typealias OpenPt = @convention(c) (Int32) -> Int32
            typealias IntFn = @convention(c) (Int32) -> Int32
            typealias NameFn = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
            guard let o = dlsym(libc, "posix_openpt"), let g = dlsym(libc, "grantpt"), let u = dlsym(libc, "unlockpt"),
                  let n = dlsym(libc, "ptsname") else {
                throw NSError(domain: "pty", code: 1, userInfo: [NSLocalizedDescriptionKey: "no posix_openpt"])
            }
            master = unsafeBitCast(o, to: OpenPt.self)(O_RDWR | O_NOCTTY)
            guard master >= 0, unsafeBitCast(g, to: IntFn.self)(master) == 0, unsafeBitCast(u, to: IntFn.self)(master) == 0,
                  let name = unsafeBitCast(n, to: NameFn.self)(master) else {
                throw NSError(domain: "pty", code: 1, userInfo: [NSLocalizedDescriptionKey: "no pseudo-terminal"])
            }
            let slave = String(cString: name)
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addclose(&actions, master)
            // Opened after setsid(): the pty becomes the controlling terminal.
            posix_spawn_file_actions_addopen(&actions, 0, slave, O_RDWR, 0)
            posix_spawn_file_actions_adddup2(&actions, 0, 1)
            posix_spawn_file_actions_adddup2(&actions, 0, 2)
            var attr = posix_spawnattr_t()
            posix_spawnattr_init(&attr)
            defer { posix_spawnattr_destroy(&attr) }
            var mask = sigset_t()
            sigemptyset(&mask)
            posix_spawnattr_setsigmask(&attr, &mask)
            var defaults = sigset_t()
            sigemptyset(&defaults)
            sigaddset(&defaults, SIGINT)
            posix_spawnattr_setsigdefault(&attr, &defaults)
            posix_spawnattr_setflags(&attr, Int16(PtyTests.posixSpawnSetsidValue | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            var env = ProcessInfo.processInfo.environment
            env["STLANG_HISTORY"] = nil
            for (k, v) in environment { env[k] = v }
            let argv: [UnsafeMutablePointer<CChar>?] = ([stlangBinary] + args).map { strdup($0) } + [nil]
            let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer {
                for p in argv { free(p) }
                for p in envp { free(p) }
            }
            let rc = posix_spawn(&pid, stlangBinary, &actions, &attr, argv, envp)
            guard rc == 0 else {
                close(master)
                throw NSError(domain: "pty", code: Int(rc), userInfo: [NSLocalizedDescriptionKey: "posix_spawn failed: \(rc)"])
            }
            out.drain(fd: master)
        }

        func type(_ s: String) {
            let bytes = Array(s.utf8)
            _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
        }

        /// The exit status, waiting up to `timeout` seconds (then the child is killed).
        func waitForExit(timeout: Double = 20) -> Int32? {
            if let exited { return exited }
            let deadline = Date().addingTimeInterval(timeout)
            var status: Int32 = 0
            while Date() < deadline {
                let r = waitpid(pid, &status, WNOHANG)
                if r == pid {
                    let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                    exited = code
                    return code
                }
                Thread.sleep(forTimeInterval: 0.02)
            }
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
            exited = -1
            XCTFail("stlang repl did not exit; output:\n\(out.text)")
            return nil
        }

        deinit {
            if exited == nil {
                kill(pid, SIGKILL)
                var status: Int32 = 0
                _ = waitpid(pid, &status, 0)
            }
            close(master)
        }
    }

    func testTypingAtTheTerminal() throws {
        let home = try makeTempDir("repl-home")
        defer { try? FileManager.default.removeItem(at: home) }
        let env = ["HOME": home.path, "TERM": "xterm", "NO_COLOR": "1"]
        let p = try PtyProcess(["repl"], environment: env)
        let o = p.out
        o.expect(">>> ")

        // A multi-line def: continuation prompts, a blank line ends it.
        p.type("def f(a):\r")
        o.expect("... ")
        p.type("    return a * 2\r")
        o.expect("... ", times: 2)
        p.type("\r")
        o.expect(">>> ", times: 2)
        p.type("f(21)\r")
        o.expect("42\r\n")

        // The up arrow recalls the last line.
        p.type("\u{1B}[A")
        Thread.sleep(forTimeInterval: 0.2)
        p.type("\r")
        o.expect("42\r\n", times: 2)

        // An error prints a traceback; the state is intact.
        p.type("1/0\r")
        o.expect("ZeroDivisionError: division by zero")
        p.type("f(1000)\r")
        o.expect("2000\r\n")

        // Ctrl-C while typing drops the line.
        p.type("this is not code")
        Thread.sleep(forTimeInterval: 0.2)
        p.type("\u{03}")
        o.expect("KeyboardInterrupt")
        // Ctrl-C while code runs raises KeyboardInterrupt and the REPL goes on.
        p.type("while True: pass\r")
        o.expect("... ", times: 3)
        p.type("\r")
        Thread.sleep(forTimeInterval: 0.5)
        p.type("\u{03}")
        o.expect("KeyboardInterrupt", times: 2)
        o.expect("Traceback", times: 2)
        p.type("f(3000)\r")
        o.expect("6000\r\n")

        // Tab completes module members.
        p.type("import math\r")
        p.type("math.sqr")
        Thread.sleep(forTimeInterval: 0.2)
        p.type("\t")
        Thread.sleep(forTimeInterval: 0.2)
        p.type("(16)\r")
        o.expect("4.0\r\n")
        p.type("'last' + ' line'\r")
        o.expect("'last line'\r\n")

        // Ctrl-D leaves with status 0.
        p.type("\u{04}")
        XCTAssertEqual(p.waitForExit(), 0)

        // History is kept across sessions.
        let history = home.appendingPathComponent(".stlang_history")
        XCTAssertTrue(FileManager.default.fileExists(atPath: history.path))
        let q = try PtyProcess(["repl"], environment: env)
        q.out.expect(">>> ")
        q.type("\u{1B}[A")
        Thread.sleep(forTimeInterval: 0.2)
        q.type("\r")
        q.out.expect("'last line'\r\n")
        q.type("\u{04}")
        XCTAssertEqual(q.waitForExit(), 0)
    }

    func testWithoutLibeditATerminalGetsPlainPrompts() throws {
        let p = try PtyProcess(["repl"], environment: ["STLANG_NO_LIBEDIT": "1", "TERM": "xterm", "NO_COLOR": "1"])
        p.out.expect(">>> ")
        p.type("if True:\r")
        p.out.expect("... ")
        p.type("    'yes'\r\r")
        // Once as the terminal's echo of the typed line, once as the value; then the prompt is back
        // (a Ctrl-C typed earlier would flush the blank line still queued in the terminal).
        p.out.expect("'yes'\r\n", times: 2)
        p.out.expect(">>> ", times: 2)
        p.type("\u{03}")
        p.out.expect("KeyboardInterrupt")
        p.type("6 * 7\r")
        p.out.expect("42\r\n")
        p.type("\u{04}")
        XCTAssertEqual(p.waitForExit(), 0)
    }
}
