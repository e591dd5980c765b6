import Foundation
import XCTest

/// The package's debug binary (built by `swift build` / `swift test`).
let stlangBinary: String = {
    // #filePath is Tests/ReplTests/Subprocess.swift.
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/stlang").path
}()

/// A fresh temporary folder, removed by the caller.
func makeTempDir(_ name: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// Text that arrives from a file descriptor on a background thread, for `expect`.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var closed = false

    /// Reads `fd` until end of file (or an error: a pty's master gives EIO when the child is gone).
    func drain(fd: Int32) {
        let t = Thread { [self] in
            var buf = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                lock.lock(); data.append(contentsOf: buf[0..<n]); lock.unlock()
            }
            lock.lock(); closed = true; lock.unlock()
        }
        t.start()
    }

    var text: String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    var isClosed: Bool {
        lock.lock(); defer { lock.unlock() }
        return closed
    }

    /// How often `needle` occurs so far.
    func count(_ needle: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// Waits until `needle` occurs `n` times.
    @discardableResult
    func expect(_ needle: String, times n: Int = 1, timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if count(needle) >= n { return true }
            if isClosed { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        XCTFail("timed out waiting for \(n)× \(needle.debugDescription); output so far:\n\(text)", file: file, line: line)
        return false
    }
}

/// Runs stlang with `input` on stdin; kills it after `timeout` seconds.
func runStlang(_ args: [String], stdin input: String, environment: [String: String] = [:], directory: URL? = nil,
               timeout: Double = 30) throws -> (out: String, err: String, status: Int32) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: stlangBinary)
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = nil
    for (k, v) in environment { env[k] = v }
    p.environment = env
    if let directory { p.currentDirectoryURL = directory }
    let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
    p.standardInput = inPipe
    p.standardOutput = outPipe
    p.standardError = errPipe
    let out = OutputCollector(), err = OutputCollector()
    let done = DispatchSemaphore(value: 0)
    p.terminationHandler = { _ in done.signal() }
    try p.run()
    out.drain(fd: outPipe.fileHandleForReading.fileDescriptor)
    err.drain(fd: errPipe.fileHandleForReading.fileDescriptor)
    inPipe.fileHandleForWriting.write(input.data(using: .utf8)!)
    try inPipe.fileHandleForWriting.close()
    if done.wait(timeout: .now() + timeout) == .timedOut {
        p.terminate()
        _ = done.wait(timeout: .now() + 5)
        XCTFail("stlang \(args) did not finish in \(timeout) s")
    }
    // Let the readers see the end of the pipes.
    let deadline = Date().addingTimeInterval(5)
    while !(out.isClosed && err.isClosed) && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    return (out.text, err.text, p.terminationStatus)
}
