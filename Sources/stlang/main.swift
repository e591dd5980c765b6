import ArgumentParser
import Foundation
import Interpreter
import Repl
import Session

let stlangVersion = "0.1.0"

struct Stlang: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stlang",
        abstract: "A Python-like scripting language with a data-app runtime built in.",
        version: stlangVersion,
        subcommands: [Run.self, Test.self, ReplCommand.self, WatchCommand.self, CacheCommand.self]
    )
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a script (an app) and print what it shows.")

    @Argument(help: "The script to run (a .st file).")
    var file: String

    @Option(name: .long, help: "A steps file: one action per line (rerun, set, click, submit, upload, edit, advance, clear_cache, restart).")
    var steps: String?

    @Option(name: .long, help: "Output format: text (for people) or json (one JSON document per run, JSON Lines).")
    var format: String = "text"

    @Flag(name: .long, help: "Show cache hits and misses in the text output.")
    var traceCache = false

    @Option(name: .long, help: "Where persisted caches live (default: $STLANG_CACHE_DIR, else ~/.cache/stlang).")
    var cacheDir: String?

    @Argument(parsing: .allUnrecognized, help: "Arguments passed to the script.")
    var scriptArguments: [String] = []

    func validate() throws {
        guard AppSession.Format(rawValue: format) != nil else {
            throw ValidationError("--format must be text or json, not '\(format)'")
        }
    }

    func run() throws {
        var options = AppSession.Options(scriptPath: file, stepsPath: steps)
        options.format = AppSession.Format(rawValue: format) ?? .text
        options.color = options.format == .text && terminalWantsColor()
        options.traceCache = traceCache
        options.scriptArguments = scriptArguments
        if let cacheDir { options.cacheDirectory = cacheDir }
        let opts = options
        let status = runOnLargeStack { () -> Int32 in AppSession(options: opts).run() }
        throw ExitCode(status)
    }
}

/// Colour only on a terminal, never with NO_COLOR (https://no-color.org) or TERM=dumb.
func terminalWantsColor() -> Bool {
    let env = ProcessInfo.processInfo.environment
    if env["NO_COLOR"] != nil || env["TERM"] == "dumb" { return false }
    return isatty(1) != 0
}

struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a golden corpus: each NAME.st against NAME.out.")

    @Argument(help: "A folder of NAME.st / NAME.out pairs (searched recursively).")
    var directory: String

    @Option(name: .long, help: "Only run cases whose name contains this text.")
    var filter: String?

    func run() throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw ValidationError("'\(directory)' is not a folder")
        }
        var cases = GoldenRunner.discover(directory)
        if let filter { cases = cases.filter { $0.name.contains(filter) } }
        let runner = GoldenRunner()
        let (passed, failed) = runner.run(cases) { f in
            print("FAIL \(f.name)")
            print(f.diff)
            print()
        }
        print("\(passed) passed, \(failed.count) failed")
        if !failed.isEmpty { throw ExitCode(1) }
    }
}

struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "An interactive prompt (`:help` lists its commands); piped stdin runs as a script.")

    @Argument(help: "A script to run first; `:rerun` runs it again.")
    var file: String?

    @Flag(name: [.customShort("i"), .long], help: "Prompt and echo even when stdin is not a terminal.")
    var interactive = false

    @Option(name: .long, help: "Where persisted caches live (default: $STLANG_CACHE_DIR, else ~/.cache/stlang).")
    var cacheDir: String?

    func run() throws {
        var options = ReplSession.Options(scriptPath: file)
        options.color = terminalWantsColor()
        if let cacheDir { options.cacheDirectory = cacheDir }
        ReplSession.version = stlangVersion
        throw ExitCode(ReplMain.run(options: options, interactive: interactive))
    }
}

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Run a script, then rerun it whenever it (or a module beside it) is saved; caches are kept.")

    @Argument(help: "The script to watch (a .st file).")
    var file: String

    @Option(name: .long, help: "Stop after this many runs.")
    var maxRuns: Int?

    @Option(name: .long, help: "Where persisted caches live (default: $STLANG_CACHE_DIR, else ~/.cache/stlang).")
    var cacheDir: String?

    func run() throws {
        var options = WatchSession.Options(scriptPath: file)
        options.color = terminalWantsColor()
        options.maxRuns = maxRuns
        if let cacheDir { options.cacheDirectory = cacheDir }
        let opts = options
        throw ExitCode(runOnLargeStack { () -> Int32 in WatchSession(options: opts).run() })
    }
}

// `stlang run FILE [ARGS...]`, the common case, skips the argument parser: its reflection-based
// set-up (protocol conformance scans) costs more than the rest of start-up together.
let argv = CommandLine.arguments
if argv.count >= 3, argv[1] == "run", !argv[2].hasPrefix("-"), !argv.dropFirst(3).contains(where: { $0.hasPrefix("-") }) {
    var options = AppSession.Options(scriptPath: argv[2])
    options.scriptArguments = Array(argv.dropFirst(3))
    options.color = terminalWantsColor()
    let opts = options
    let status = runOnLargeStack { () -> Int32 in AppSession(options: opts).run() }
    exit(status)
}
// `stlang` alone: the REPL on a terminal, else stdin as a script (as python3).
if argv.count == 1 {
    var options = ReplSession.Options()
    options.color = terminalWantsColor()
    ReplSession.version = stlangVersion
    exit(ReplMain.run(options: options))
}
Stlang.main()
