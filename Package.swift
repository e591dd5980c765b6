// swift-tools-version:6.0
import Foundation
import PackageDescription

// The toolchain's own directory (the `swift` found on PATH), for what it ships beside it.
let toolchainBin: String? = {
    let path = Context.environment["PATH"] ?? ""
    return path.split(separator: ":").map(String.init).first { FileManager.default.fileExists(atPath: $0 + "/swift") }
}()
func toolchainHas(_ relativePath: String) -> Bool {
    guard let bin = toolchainBin else { return false }
    return FileManager.default.fileExists(atPath: bin + "/" + relativePath)
}

// Profile-guided optimisation of release builds: LLVM lays hot code out together, splits cold
// paths off and promotes hot indirect calls (a tree-walker's closures) using the counts in
// bench/pgo/stlang.profdata, recorded by `bench/pgo/train` on the benchmarks, the golden corpus
// and the samples (bench/pgo/README.md; bench geomean 1.00 -> 0.91). A stale profile only
// loses the functions that changed since. The file is LLVM 21's format, so only toolchains from
// Swift 6.3 on read it; `STLANG_PGO=off` builds without it (the training build does).
let pgoProfile = Context.packageDirectory + "/bench/pgo/stlang.profdata"
let usePGO: Bool = {
    #if compiler(>=6.3)
    return Context.environment["STLANG_PGO"] != "off" && FileManager.default.fileExists(atPath: pgoProfile)
    #else
    return false
    #endif
}()

// Function order: the release binary is linked by the toolchain's lld with every function in
// a section of its own, laid out in the order of bench/pgo/order.txt (the functions a run
// executes, hottest first, also from `bench/pgo/train`). A run then touches a few contiguous
// megabytes of code instead of pages scattered over 18 MB: 14.7 -> 10.7 MB resident for a
// one-line script, and the hot loop's code shares pages and cache lines. (SwiftPM caches what
// this manifest evaluates to by its text: after adding or removing these files, change it.)
let functionOrder = Context.packageDirectory + "/bench/pgo/order.txt"
let useFunctionOrder = Context.environment["STLANG_PGO"] != "off" && toolchainHas("ld.lld")
    && FileManager.default.fileExists(atPath: functionOrder)

/// Release code generation for every target of this package.
let releaseCodegen: [SwiftSetting] = [
    .unsafeFlags((usePGO ? ["-Xfrontend", "-ir-profile-use=" + pgoProfile] : [])
        + (useFunctionOrder ? ["-Xfrontend", "-function-sections"] : []), .when(configuration: .release)),
]

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
] + releaseCodegen

// Static Foundation needs its own dependencies named (SwiftPM's --static-swift-stdlib does this).
// A non-PIE executable needs no load-time relocation of its ~77,000 pointers: 200 fewer page
// faults at start-up, 16 -> 14.4 MB resident for a one-line script.
// Only where the toolchain ships the static libraries; elsewhere the release build links
// dynamically, as before.
let staticRuntime = !toolchainHas("../lib/swift_static/linux/libFoundation.a") ? [] : [
    "-static-stdlib", "-Xclang-linker", "-no-pie", "-Xlinker", "--start-group",
    "-lFoundation", "-lFoundationInternationalization", "-lFoundationEssentials", "-lCoreFoundation",
    "-l_FoundationICU", "-l_FoundationCShims", "-l_FoundationCollections", "-lswiftSynchronization",
    "-Xlinker", "--end-group",
]
let orderedLink = !useFunctionOrder ? [] : [
    "-use-ld=lld", "-Xlinker", "--symbol-ordering-file=" + functionOrder, "-Xlinker", "--no-warn-symbol-ordering",
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
        .target(name: "Syntax", swiftSettings: releaseCodegen),
        .target(name: "Resolve", dependencies: ["Syntax"], swiftSettings: releaseCodegen),
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
        .target(name: "Render", dependencies: ["St", "Interpreter"], swiftSettings: releaseCodegen),
        .target(name: "Session", dependencies: ["Interpreter", "Syntax", "St", "Render"], swiftSettings: releaseCodegen),
        .target(name: "Repl", dependencies: ["Interpreter", "InterruptFlag", "Syntax", "St", "Render"], swiftSettings: releaseCodegen),
        .executableTarget(
            name: "stlang",
            dependencies: [
                "Interpreter", "Syntax", "Session", "St", "Render", "Repl",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: releaseCodegen,
            // The Swift runtime and Foundation linked in statically: no dynamic loading and
            // symbol binding of a dozen shared libraries at start-up (15 -> 7 ms for a
            // one-line script; python3 55 ms) and 23 -> 14.4 MB resident (python3 13.4).
            linkerSettings: [.unsafeFlags(staticRuntime + orderedLink, .when(platforms: [.linux], configuration: .release))]
        ),
        .testTarget(name: "SyntaxTests", dependencies: ["Syntax", "Resolve"]),
        .testTarget(name: "InterpreterTests", dependencies: ["Interpreter", "Syntax", "Session"]),
        .testTarget(name: "StTests", dependencies: ["St", "Render", "Session", "Interpreter"]),
        .testTarget(name: "ReplTests", dependencies: ["Repl", "Session", "St", "Interpreter"]),
    ],
    swiftLanguageModes: [.v5]
)
