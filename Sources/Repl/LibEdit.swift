import Foundation
import Interpreter

/// Line editing, history and tab completion through libedit's readline interface, loaded at run
/// time with `dlopen`, so stlang builds without libedit's headers and runs without the library
/// (`LibEditLineReader.load()` is then nil and the REPL reads plain stdin).
public final class LibEditLineReader: LineReader {
    typealias ReadlineFn = @convention(c) (UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>?
    typealias StringIntFn = @convention(c) (UnsafePointer<CChar>?) -> Int32
    typealias IntVoidFn = @convention(c) (Int32) -> Void
    typealias VoidFn = @convention(c) () -> Void
    typealias EntryFn = @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>?
    typealias MatchesFn = @convention(c) (UnsafePointer<CChar>?, EntryFn?) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    typealias AttemptedFn = @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

    private let readlineFn: ReadlineFn
    private let addHistoryFn: StringIntFn
    private let readHistoryFn: StringIntFn?
    private let writeHistoryFn: StringIntFn?
    private let stifleHistoryFn: IntVoidFn?
    /// Where history is kept across sessions; nil when there is no HOME.
    private let historyPath: String?
    public var completer: ((String, String) -> [String])? {
        didSet { LibEditLineReader.current = self }
    }

    // The completion hooks are C function pointers: they find the reader through these.
    nonisolated(unsafe) static var current: LibEditLineReader?
    nonisolated(unsafe) static var pendingMatches: [String] = []
    nonisolated(unsafe) static var matchesFn: MatchesFn?
    nonisolated(unsafe) static var lineBuffer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    nonisolated(unsafe) static var attemptedOver: UnsafeMutablePointer<Int32>?

    /// The library, or nil where it is not installed (or `STLANG_NO_LIBEDIT` is set).
    public static func load(historyPath: String?) -> LibEditLineReader? {
        if ProcessInfo.processInfo.environment["STLANG_NO_LIBEDIT"] != nil { return nil }
        var handle: UnsafeMutableRawPointer?
        for name in ["libedit.so.2", "libedit.so", "libedit.3.dylib", "libedit.dylib"] {
            handle = dlopen(name, RTLD_NOW | RTLD_GLOBAL)
            if handle != nil { break }
        }
        guard let handle else { return nil }
        func sym<T>(_ name: String, _: T.Type) -> T? {
            guard let p = dlsym(handle, name) else { return nil }
            return unsafeBitCast(p, to: T.self)
        }
        guard let rl = sym("readline", ReadlineFn.self), let add = sym("add_history", StringIntFn.self) else { return nil }
        return LibEditLineReader(handle: handle, readline: rl, addHistory: add,
                                 readHistory: sym("read_history", StringIntFn.self),
                                 writeHistory: sym("write_history", StringIntFn.self),
                                 stifle: sym("stifle_history", IntVoidFn.self),
                                 historyPath: historyPath)
    }

    private init(handle: UnsafeMutableRawPointer, readline: @escaping ReadlineFn, addHistory: @escaping StringIntFn,
                 readHistory: StringIntFn?, writeHistory: StringIntFn?, stifle: IntVoidFn?, historyPath: String?) {
        readlineFn = readline
        addHistoryFn = addHistory
        readHistoryFn = readHistory
        writeHistoryFn = writeHistory
        stifleHistoryFn = stifle
        self.historyPath = historyPath
        // Multibyte input needs the locale's character set.
        setlocale(LC_CTYPE, "")
        if let usingHistory = dlsym(handle, "using_history") { unsafeBitCast(usingHistory, to: VoidFn.self)() }
        stifleHistoryFn?(1000)
        if let historyPath, FileManager.default.fileExists(atPath: historyPath) {
            _ = readHistoryFn?(historyPath)
        }
        // Completion: our hook computes every candidate at once; libedit's own entry-function
        // protocol hands them out one by one.
        LibEditLineReader.matchesFn = dlsym(handle, "rl_completion_matches").map { unsafeBitCast($0, to: MatchesFn.self) }
        LibEditLineReader.lineBuffer = dlsym(handle, "rl_line_buffer")?.assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self)
        LibEditLineReader.attemptedOver = dlsym(handle, "rl_attempted_completion_over")?.assumingMemoryBound(to: Int32.self)
        if let append = dlsym(handle, "rl_completion_append_character") {
            append.assumingMemoryBound(to: Int32.self).pointee = 0
        }
        // Break words where Python does, but keep dots: `math.sq` completes as one word.
        if let breaks = dlsym(handle, "rl_basic_word_break_characters") {
            breaks.assumingMemoryBound(to: UnsafePointer<CChar>?.self).pointee = UnsafePointer(strdup(" \t\n`~!@#$%^&*()-=+[{]}\\|;:'\",<>/?"))
        }
        if let breaks = dlsym(handle, "rl_completer_word_break_characters") {
            breaks.assumingMemoryBound(to: UnsafePointer<CChar>?.self).pointee = UnsafePointer(strdup(" \t\n`~!@#$%^&*()-=+[{]}\\|;:'\",<>/?"))
        }
        if LibEditLineReader.matchesFn != nil, let hook = dlsym(handle, "rl_attempted_completion_function") {
            let fn: AttemptedFn = { text, _, _ in LibEditLineReader.attemptCompletion(text) }
            hook.assumingMemoryBound(to: AttemptedFn?.self).pointee = fn
        }
        LibEditLineReader.current = self
    }

    static func attemptCompletion(_ text: UnsafePointer<CChar>?) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        attemptedOver?.pointee = 1  // never fall back to file names
        guard let reader = current, let completer = reader.completer, let matchesFn else { return nil }
        let word = text.map { String(cString: $0) } ?? ""
        let line = lineBuffer?.pointee.map { String(cString: $0) } ?? word
        pendingMatches = completer(word, line)
        if pendingMatches.isEmpty { return nil }
        let entry: EntryFn = { _, state in
            if state == 0 { LibEditLineReader.matchIndex = 0 }
            guard LibEditLineReader.matchIndex < LibEditLineReader.pendingMatches.count else { return nil }
            let m = LibEditLineReader.pendingMatches[LibEditLineReader.matchIndex]
            LibEditLineReader.matchIndex += 1
            return strdup(m)
        }
        return matchesFn(text, entry)
    }
    nonisolated(unsafe) static var matchIndex = 0

    public func readLine(prompt: String) -> LineInput {
        interruptRequested = 0
        guard let p = readlineFn(prompt) else {
            // readline gives NULL for Ctrl-D and also when a SIGINT cut the read short.
            if keyboardInterruptRequested {
                interruptRequested = 0
                return .interrupt
            }
            return .eof
        }
        defer { free(p) }
        return .line(String(cString: p))
    }

    public func addHistory(_ line: String) {
        _ = addHistoryFn(line)
        saveHistory()
    }

    private func saveHistory() {
        if let historyPath { _ = writeHistoryFn?(historyPath) }
    }

    public func close() {
        saveHistory()
    }
}
