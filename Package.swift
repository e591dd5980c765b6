// swift-tools-version:6.0
import Foundation
import PackageDescription

// Profile-guided optimisation of release builds: LLVM lays hot code out together, splits cold
// paths off and promotes hot indirect calls (a tree-walker's closures) using the counts in
// bench/pgo/stlang.profdata, recorded by `bench/pgo/train` on the benchmarks, the golden corpus
// and the samples (bench/pgo/README.md; bench geomean 1.00 -> 0.91). A stale profile only
// loses the functions that changed since. The file is LLVM 21's format, so only toolchains from
// Swift 6.3 on read it; `STLANG_PGO=off` builds without it (the training build does).
let pgoProfile = Context.packageDirectory + "/bench/pgo/stlang.profdata"
let profileGuided: [SwiftSetting] = {
    #if compiler(>=6.3)
    guard Context.environment["STLANG_PGO"] != "off", FileManager.default.fileExists(atPath: pgoProfile) else { return [] }
    return [.unsafeFlags(["-Xfrontend", "-ir-profile-use=" + pgoProfile], .when(configuration: .release))]
    #else
    return []
    #endif
}()

// The hot layers (compile + runtime) live in one module, `Interpreter`, so whole-module
// optimisation can inline fast paths across them (DESIGN.md). An interpreter runs on one
// thread, so its reference counting need not be atomic (-assume-single-threaded: ~1.5× on
// object-heavy code; generator bodies run on stacks of their own but on the same thread, see
// Generators.swift); exclusivity checks are off in release for the same hot paths. Copy
// propagation without lexical lifetimes releases values after their last use instead of at
// the end of their Swift scope, which removes many retain/release pairs (richards -13%
// instructions); nothing in the runtime depends on a Swift variable's scope to keep an object
// alive (callees rely on the caller's guaranteed parameters).
let optimize: [SwiftSetting] = [
    .unsafeFlags([
        "-enforce-exclusivity=unchecked", "-Xfrontend", "-assume-single-threaded",
        "-Xfrontend", "-enable-copy-propagation=always", "-Xfrontend", "-enable-lexical-lifetimes=false",
    ], .when(configuration: .release)),
] + profileGuided

// Static Foundation needs its own dependencies named (SwiftPM's --static-swift-stdlib does this).
// A non-PIE executable needs no load-time relocation of its ~77,000 pointers: 200 fewer page
// faults at start-up, 16 -> 14.4 MB resident for a one-line script.
// Only where the toolchain ships the static libraries (found beside the `swift` on PATH);
// elsewhere the release build links dynamically, as before.
let toolchainHasStaticFoundation: Bool = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    return path.split(separator: ":").contains { dir in
        let lib = URL(fileURLWithPath: String(dir)).deletingLastPathComponent()
            .appendingPathComponent("lib/swift_static/linux/libFoundation.a").path
        return FileManager.default.fileExists(atPath: String(dir) + "/swift") && FileManager.default.fileExists(atPath: lib)
    }
}()
let staticRuntime = !toolchainHasStaticFoundation ? [] : [
    "-static-stdlib", "-Xclang-linker", "-no-pie", "-Xlinker", "--start-group",
    "-lFoundation", "-lFoundationInternationalization", "-lFoundationEssentials", "-lCoreFoundation",
    "-l_FoundationICU", "-l_FoundationCShims", "-l_FoundationCollections", "-lswiftSynchronization",
    "-Xlinker", "--end-group",
]

let package = Package(
    name: "stlang",
    products: [
        .executable(name: "stlang", targets: ["stlang"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.0"),
    ],
    targets: [
        .target(name: "Syntax", swiftSettings: profileGuided),
        .target(name: "Resolve", dependencies: ["Syntax"], swiftSettings: profileGuided),
        // Two small C targets: a native stack switch for generator bodies (Swift cannot express
        // it), and the flag a SIGINT handler sets (see InterruptFlag.h).
        .target(name: "StackSwitch"),
        .target(name: "InterruptFlag"),
        .target(
            name: "Interpreter",
            dependencies: ["Syntax", "Resolve", "StackSwitch", "InterruptFlag", .product(name: "BigInt", package: "BigInt")],
            swiftSettings: optimize
        ),
        .target(name: "St", dependencies: ["Interpreter"], swiftSettings: optimize),
        .target(name: "Render", dependencies: ["St", "Interpreter"], swiftSettings: profileGuided),
        .target(name: "Session", dependencies: ["Interpreter", "Syntax", "St", "Render"], swiftSettings: profileGuided),
        .target(name: "Repl", dependencies: ["Interpreter", "InterruptFlag", "Syntax", "St", "Render"], swiftSettings: profileGuided),
        .executableTarget(
            name: "stlang",
            dependencies: [
                "Interpreter", "Syntax", "Session", "St", "Render", "Repl",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: profileGuided,
            // The Swift runtime and Foundation linked in statically: no dynamic loading and
            // symbol binding of a dozen shared libraries at start-up (15 -> 7 ms for a
            // one-line script; python3 55 ms) and 23 -> 14.4 MB resident (python3 13.4).
            linkerSettings: [.unsafeFlags(staticRuntime, .when(platforms: [.linux], configuration: .release))]
        ),
        .testTarget(name: "SyntaxTests", dependencies: ["Syntax", "Resolve"]),
        .testTarget(name: "InterpreterTests", dependencies: ["Interpreter", "Syntax", "Session"]),
        .testTarget(name: "StTests", dependencies: ["St", "Render", "Session", "Interpreter"]),
        .testTarget(name: "ReplTests", dependencies: ["Repl", "Session", "St", "Interpreter"]),
    ],
    swiftLanguageModes: [.v5]
)
