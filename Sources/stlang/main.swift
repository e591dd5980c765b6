import ArgumentParser
import Foundation
import Interpreter
import Session

let stlangVersion = "0.1.0"

struct Stlang: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stlang",
        abstract: "A Python-like scripting language with a data-app runtime built in.",
        version: stlangVersion,
        subcommands: [Run.self, Test.self]
    )
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a script and print what it shows.")

    @Argument(help: "The script to run (a .st file).")
    var file: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments passed to the script.")
    var scriptArguments: [String] = []

    func run() throws {
        let path = file
        let status = runOnLargeStack { () -> Int32 in
            let interp = Interpreter()
            return interp.runFile(path: path)
        }
        throw ExitCode(status)
    }
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

// `stlang run FILE [ARGS...]`, the common case, skips the argument parser: its reflection-based
// set-up (protocol conformance scans) costs more than the rest of start-up together.
let argv = CommandLine.arguments
if argv.count >= 3, argv[1] == "run", !argv[2].hasPrefix("-") {
    let path = argv[2]
    let status = runOnLargeStack { () -> Int32 in Interpreter().runFile(path: path) }
    exit(status)
}
Stlang.main()
