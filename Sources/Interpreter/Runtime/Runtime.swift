import Foundation
import Syntax

/// A Python exception in flight: thrown with typed throws (DESIGN.md, speed decision 6).
public struct PyErr: Error, @unchecked Sendable {
    public let exc: PyInstance
    public init(_ exc: PyInstance) { self.exc = exc }
    public var state: ExceptionState {
        if let s = exc.exception { return s }
        let s = ExceptionState(args: [])
        exc.exception = s
        return s
    }
}

/// The source position of a `with` block's body.
public struct WithSite {
    public let filename: String
    public let bodyLine: Int
}

/// Where `print` and the REPL write. Buffered; flushed at exit, before stderr output, and
/// when large.
public final class OutputSink {
    private var buffer: [UInt8] = []
    private let fd: Int32
    /// When set, text goes here instead of the file descriptor (tests, JSON mode capture).
    public var capture: ((String) -> Void)?

    public init(fd: Int32) { self.fd = fd }

    public func write(_ s: String) {
        if let capture { capture(s); return }
        buffer.append(contentsOf: s.utf8)
        if buffer.count > 1 << 16 { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = Foundation.write(fd, raw.baseAddress!.advanced(by: off), raw.count - off)
                if n <= 0 { break }
                off += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// One interpreter: its value stack, builtin types, modules and output. Compiled code captures
/// the runtime it was compiled for.
public final class Runtime {
    // MARK: Value stack (DESIGN.md, speed decision 5)
    static let stackCapacity = 1 << 22
    let stackBase: UnsafeMutablePointer<Value>
    let stackEnd: UnsafeMutablePointer<Value>
    var sp: UnsafeMutablePointer<Value>

    // MARK: Recursion
    /// The depth at which calls raise RecursionError: the configured limit, or less inside a
    /// generator body (whose thread has a smaller stack).
    public var recursionLimit = 1000
    /// The limit `sys.setrecursionlimit` set (as far as it can be honoured).
    var configuredRecursionLimit = 1000
    /// The deepest a running generator body may go (Int.max outside generators).
    var generatorDepthCap = Int.max
    /// What `sys.setrecursionlimit` was given, when above what stlang can honour safely.
    var requestedRecursionLimit: Int?
    /// The deepest recursion the value stack and the native stack hold in any build.
    static let maxRecursionLimit = 10_000
    /// `sys.argv`: the script's path, then the arguments after it.
    public var scriptArguments: [String] = [""]
    var depth = 0

    // MARK: Output
    public let stdout = OutputSink(fd: 1)
    public let stderr = OutputSink(fd: 2)

    // MARK: Modules
    public var modules: [String: PyModule] = [:]
    /// Folders searched for `NAME.st` on import, in order.
    public var searchPaths: [String] = []
    /// Modules implemented in Swift, by name. Hosts add theirs (e.g. `st`).
    public var nativeModules: [String: (Runtime) -> PyModule] = [:]
    var importing: Set<String> = []

    // MARK: Builtins
    public var builtins: [String: Value] = [:]
    public let types: BuiltinTypes
    /// The exception being handled by the innermost `except` block (for bare `raise` and context).
    var handling: [PyInstance] = []
    /// `object.__new__` (a static method): instantiation skips it when a class does not define
    /// its own `__new__`.
    /// BaseException's `__init__`: sets the instance's args. Instantiation sets them already,
    /// so a class that inherits this `__init__` skips the call (`raise E(x)` in a loop).
    lazy var baseExceptionInit: PyBuiltin = PyBuiltin("__init__") { [unowned self] args, _ throws(PyErr) in
        guard let first = args.first else {
            throw self.typeError("descriptor '__init__' of 'BaseException' object needs an argument")
        }
        guard let inst = first.asInstance, inst.cls.isException else {
            throw self.typeError("descriptor '__init__' requires a 'BaseException' object but received a '\(self.typeName(first))'")
        }
        if inst.exception == nil { inst.exception = ExceptionState(args: []) }
        inst.exception?.args = Array(args.dropFirst())
        return .none
    }
    lazy var objectNew: PyStaticMethod = PyStaticMethod(.obj(PyBuiltin("__new__") { [unowned self] args, _ throws(PyErr) in
        guard let cls = args.first?.asClass else {
            throw self.typeError("object.__new__(X): X is not a type object (\(args.first.map { self.typeName($0) } ?? "nothing"))")
        }
        if cls.constructor != nil && cls !== self.types.object {
            throw self.typeError("object.__new__(\(cls.name)) is not safe, use \(cls.name).__new__()")
        }
        let inst = PyInstance(cls: cls)
        if let e = inst.exception { e.args = Array(args.dropFirst()) }
        return .obj(inst)
    }))
    /// The generator body running now (what `yield` hands its value through).
    /// Unmanaged: the consumer's `resume` holds the running body alive, and sets this back
    /// before it returns (a strong reference cost two retains and releases per resume, and an
    /// unowned(unsafe) one an atomic retain per use).
    var currentGenerator: Unmanaged<GeneratorBody>?
    /// Native stacks for generator bodies, kept for reuse.
    let generatorStacks = GeneratorStacks()
    /// The `yield from` chains being resumed (Generators.swift).
    let delegationPath = DelegationPath()

    /// Source text of loaded files, for traceback lines.
    public var sources: [String: [Substring]] = [:]

    /// Hooks a host can set: the clock (`time.time`), and sleep.
    public var clock: () -> Double = { Date().timeIntervalSince1970 }
    public var sleep: (Double) -> Void = { s in if s > 0 { Thread.sleep(forTimeInterval: s) } }
    /// Reads a line for `input()`; nil at end of input.
    public var readLine: () -> String? = { Swift.readLine(strippingNewline: true) }

    /// Where the `with` statement whose `__enter__` is running has its body (for `st.echo`,
    /// which shows the source of its block).
    public var withSite = WithSite(filename: "", bodyLine: 0)

    /// Random-number state of the `random` module.
    var random = MersenneTwister(seedKey: [0])
    /// numpy's global RandomState (`_nprandom`, for stdlib/numpy.st).
    var numpyRandom = NumpyLegacyRandom()

    /// Containers whose repr is being built (to print `[...]` for self-references).
    var reprActive = ReprActiveSet()
    /// `str.format` and `%` templates digested per string object (FormatTemplates.swift).
    let formatTemplates = FormatTemplateCache()
    /// Parser errors behind SyntaxError exception objects.
    var syntaxErrors: [ObjectIdentifier: SyntaxError] = [:]
    /// The `NotImplemented` and `Ellipsis` singletons.
    public let notImplementedObject: PyInstance
    public let ellipsisObject: PyInstance

    public init() {
        stackBase = UnsafeMutablePointer<Value>.allocate(capacity: Runtime.stackCapacity)
        stackEnd = stackBase + Runtime.stackCapacity
        sp = stackBase
        types = BuiltinTypes()
        notImplementedObject = PyInstance(cls: PyClass(name: "NotImplementedType", base: types.object, isBuiltin: true))
        ellipsisObject = PyInstance(cls: PyClass(name: "ellipsis", base: types.object, isBuiltin: true))
        random = MersenneTwister(seedKey: [UInt32(truncatingIfNeeded: Int(Date().timeIntervalSince1970 * 1_000_000))])
        installBuiltins()
        installBuiltinMethods()
        registerStandardNativeModules()
    }

    deinit {
        stackBase.deallocate()
    }

    // MARK: Frames

    /// Reserves `n` slots on the value stack, initialised to `.undef`.
    @inline(__always)
    func pushFrame(_ n: Int) throws(PyErr) -> Frame {
        let fp = sp
        if fp + n > stackEnd { throw recursionError() }
        fp.initialize(repeating: .undef, count: n)
        sp = fp + n
        return fp
    }

    /// Reserves `n` slots of which the caller initialises the first `filled` at once (with
    /// nothing that can throw in between); the rest start `.undef`.
    @inline(__always)
    func pushFrame(_ n: Int, filled: Int) throws(PyErr) -> Frame {
        let fp = sp
        if fp + n > stackEnd { throw recursionError() }
        (fp + filled).initialize(repeating: .undef, count: n - filled)
        sp = fp + n
        return fp
    }

    @inline(__always)
    func popFrame(_ fp: Frame, _ n: Int) {
        // A plain loop: frames are small, and deinitialize(count:) goes through the generic
        // runtime (swift_arrayDestroy).
        // Only object references need releasing: ints, floats and the rest are trivial.
        var i = 0
        while i < n {
            if case .obj = (fp + i).pointee { (fp + i).deinitialize(count: 1) }
            i += 1
        }
        sp = fp
    }

    // MARK: Errors

    /// A new exception of class `cls` with a message.
    public func raise(_ cls: PyClass, _ message: String) -> PyErr {
        PyErr(PyInstance(exceptionClass: cls, args: [.str(message)]))
    }

    public func raise(_ cls: PyClass, args: [Value]) -> PyErr {
        PyErr(PyInstance(exceptionClass: cls, args: args))
    }

    public func typeError(_ m: String) -> PyErr { raise(types.TypeError, m) }
    public func valueError(_ m: String) -> PyErr { raise(types.ValueError, m) }
    public func attributeError(_ m: String) -> PyErr { raise(types.AttributeError, m) }
    func indexError(_ m: String) -> PyErr { raise(types.IndexError, m) }
    public func keyError(_ key: Value) -> PyErr { raise(types.KeyError, args: [key]) }
    func nameError(_ name: String, locals: [String] = [], module: PyModule? = nil) -> PyErr {
        let e = raise(types.NameError, "name '\(name)' is not defined")
        e.exc.setAttr("name", .str(name))
        e.state.missingName = name
        e.state.localNames = locals
        e.state.module = module
        return e
    }
    func zeroDivision(_ m: String) -> PyErr { raise(types.ZeroDivisionError, m) }
    func overflowError(_ m: String) -> PyErr { raise(types.OverflowError, m) }
    func stopIteration() -> PyErr { raise(types.StopIteration, args: []) }
    /// The StopIteration of an exhausted iterator: a generator's carries its return value.
    func stopIteration(of it: Value) -> PyErr {
        if case .obj(let o) = it, o.kind == .iterator, let body = unsafeDowncast(o, to: PyIterator.self).generator,
           !body.returnValue.isNone {
            return raise(types.StopIteration, args: [body.returnValue])
        }
        return stopIteration()
    }

    /// The largest string (bytes) or list (items) built in one step. Swift aborts when an
    /// allocation fails, so sizes beyond these raise MemoryError first.
    static let maxStringBytes = 1 << 30
    static let maxItems = 1 << 26

    func checkStringSize(_ n: Int) throws(PyErr) {
        if n < 0 || n > Runtime.maxStringBytes { throw raise(types.MemoryError, args: []) }
    }

    func checkItemCount(_ n: Int) throws(PyErr) {
        if n < 0 || n > Runtime.maxItems { throw raise(types.MemoryError, args: []) }
    }

    /// Whether an exception is an instance of `cls`.
    public func matches(_ err: PyErr, _ cls: PyClass) -> Bool {
        err.exc.cls.isSubclass(of: cls)
    }
}
