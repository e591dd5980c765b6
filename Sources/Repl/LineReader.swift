import Foundation
import Interpreter

/// What reading one line of input gave.
public enum LineInput: Equatable {
    case line(String)
    /// End of input (Ctrl-D on an empty line, or the end of a pipe).
    case eof
    /// Ctrl-C while typing: the line is dropped.
    case interrupt
}

/// Where the REPL reads lines from: libedit on a terminal, plain stdin otherwise, a script in tests.
public protocol LineReader: AnyObject {
    /// Shows `prompt` and reads one line (without its newline).
    func readLine(prompt: String) -> LineInput
    /// Remembers a line for history recall (the up arrow).
    func addHistory(_ line: String)
    /// Given the word being completed and the whole line, the candidates for that word.
    var completer: ((_ text: String, _ line: String) -> [String])? { get set }
    /// Called once when the REPL ends (saves the history).
    func close()
}

/// Lines given up front (tests): each `readLine` takes the next; `nil` entries mean Ctrl-C.
public final class ScriptedLineReader: LineReader {
    public private(set) var lines: [String?]
    /// Every prompt shown, in order (tests check continuation prompts).
    public private(set) var prompts: [String] = []
    public private(set) var history: [String] = []
    public var completer: ((String, String) -> [String])?
    /// Called before each line is handed out (tests use it to interleave checks).
    public var onPrompt: ((String) -> Void)?

    public init(_ lines: [String?]) { self.lines = lines }

    public func readLine(prompt: String) -> LineInput {
        prompts.append(prompt)
        onPrompt?(prompt)
        guard !lines.isEmpty else { return .eof }
        guard let l = lines.removeFirst() else { return .interrupt }
        return .line(l)
    }

    public func addHistory(_ line: String) { history.append(line) }
    public func close() {}
}

/// Reads stdin with plain `read(2)` (no line editing): where libedit is missing, or stdin is not
/// a terminal. A SIGINT while waiting for input (the REPL's handler sets `interruptRequested`)
/// interrupts the read and gives `.interrupt`.
public final class PlainLineReader: LineReader {
    private var pending: [UInt8] = []
    private var atEOF = false
    /// Whether to write prompts (to stderr, as python3 does without readline).
    let showPrompts: Bool
    public var completer: ((String, String) -> [String])?

    public init(showPrompts: Bool) { self.showPrompts = showPrompts }

    public func readLine(prompt: String) -> LineInput {
        if showPrompts, !prompt.isEmpty {
            var p = Array(prompt.utf8)
            _ = p.withUnsafeMutableBytes { Foundation.write(2, $0.baseAddress, $0.count) }
        }
        while true {
            if let nl = pending.firstIndex(of: 0x0A) {
                let lineBytes = pending[..<nl]
                pending.removeSubrange(...nl)
                var s = String(decoding: lineBytes, as: UTF8.self)
                if s.hasSuffix("\r") { s.removeLast() }
                return .line(s)
            }
            if atEOF {
                if pending.isEmpty { return .eof }
                let s = String(decoding: pending, as: UTF8.self)
                pending = []
                return .line(s)
            }
            // A Ctrl-C that came while no read was blocked (the previous input was still being
            // handled) interrupted nothing: it counts for this prompt. Waiting in short polls
            // rather than one blocking read leaves no moment where such a signal is missed.
            if keyboardInterruptRequested {
                interruptRequested = 0
                pending = []
                return .interrupt
            }
            var ready = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            let polled = poll(&ready, 1, 100)
            if polled == 0 || (polled < 0 && errno == EINTR) { continue }
            var buf = [UInt8](repeating: 0, count: 4096)
            let n = buf.withUnsafeMutableBytes { Foundation.read(0, $0.baseAddress, $0.count) }
            if n > 0 {
                pending.append(contentsOf: buf[0..<n])
            } else if n == 0 {
                atEOF = true
            } else if errno == EINTR {
                if keyboardInterruptRequested {
                    interruptRequested = 0
                    pending = []
                    return .interrupt
                }
            } else {
                atEOF = true
            }
        }
    }

    public func addHistory(_ line: String) {}
    public func close() {}
}
