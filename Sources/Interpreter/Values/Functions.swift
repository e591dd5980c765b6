/// A frame is a window of the runtime's value stack: slot `i` of the running function is `fp[i]`.
public typealias Frame = UnsafeMutablePointer<Value>

/// How a statement ended. `return`, `break` and `continue` travel as this small code instead of
/// being thrown (DESIGN.md, speed decision 2); the returned value waits in the frame's last slot,
/// so a `finally` block that calls functions cannot disturb it.
public enum Flow: UInt8 {
    case normal, breakLoop, continueLoop, returned
}

public typealias ExprFn = (Frame) throws(PyErr) -> Value
public typealias StmtFn = (Frame) throws(PyErr) -> Flow

/// The compiled form of a `def` or `lambda`: everything a call needs that does not change
/// between the function objects created from it.
public final class CodeObject {
    public let name: String
    public let qualname: String
    public let filename: String
    public let firstLine: Int
    /// The source text of the definition (decorators included), for cache identity.
    public let sourceText: String
    public let module: PyModule

    /// Frame size: the scope's slots plus one where `return` leaves its value.
    public let slotCount: Int
    public var returnSlot: Int { slotCount - 1 }
    /// Positional parameter names (positional-only first), in slot order 0..<count.
    public let positionalNames: [String]
    public let positionalOnlyCount: Int
    public let keywordOnlyNames: [String]    // slots follow the positional ones (and *args)
    public let varargsSlot: Int?
    public let kwargsSlot: Int?
    public let cellSlots: [Int]
    public let freeSlots: [Int]
    /// Only positional parameters, no cells: arguments go straight into slots.
    public let isSimple: Bool
    /// The number of parameters when all are plain positional ones (no `*args`, `**kwargs`
    /// or keyword-only), else -1 (one check at call sites): arguments then go straight into
    /// slots 0..<count, and `runFunctionBody` makes the cells.
    public let simpleArgCount: Int
    /// Cell or free variables, or a generator: the frame needs set-up before the body runs.
    public let needsSetup: Bool
    /// The body yields: a call makes a generator object instead of running it.
    public let isGenerator: Bool
    public let body: StmtFn
    /// For bodies that end in `return expr`: the body as an expression giving the return
    /// value (see Compiler+ValueBodies.swift); `hasValueBody` says whether it is one.
    public let valueBody: ExprFn
    public let hasValueBody: Bool
    /// The line an error escaping `valueBody` records, or 0 when the body records its own.
    public let valueBodyLine: Int
    /// Facts known only once the function is defined (its class, for `super()`).
    public let owner: CodeOwner
    public var ownerClass: PyClass? { owner.ownerClass }
    public let isLambda: Bool
    /// The docstring: the body's first statement when it is a string literal.
    public var doc: String?

    init(name: String, qualname: String, filename: String, firstLine: Int, sourceText: String, module: PyModule,
                slotCount: Int, positionalNames: [String], positionalOnlyCount: Int, keywordOnlyNames: [String],
                varargsSlot: Int?, kwargsSlot: Int?, cellSlots: [Int], freeSlots: [Int], isLambda: Bool,
                isGenerator: Bool = false, owner: CodeOwner, body: @escaping StmtFn, valueBody: ExprBox? = nil,
                valueBodyLine: Int = 0) {
        self.name = name
        self.qualname = qualname
        self.filename = filename
        self.firstLine = firstLine
        self.sourceText = sourceText
        self.module = module
        self.slotCount = slotCount
        self.positionalNames = positionalNames
        self.positionalOnlyCount = positionalOnlyCount
        self.keywordOnlyNames = keywordOnlyNames
        self.varargsSlot = varargsSlot
        self.kwargsSlot = kwargsSlot
        self.cellSlots = cellSlots
        self.freeSlots = freeSlots
        self.isLambda = isLambda
        self.owner = owner
        self.body = body
        self.valueBodyLine = valueBodyLine
        // Taken out of the box unwrapped: an optional closure would be reabstracted.
        if let vb = valueBody {
            self.valueBody = vb.run
            self.hasValueBody = true
        } else {
            self.valueBody = { _ in .none }
            self.hasValueBody = false
        }
        let plain = varargsSlot == nil && kwargsSlot == nil && keywordOnlyNames.isEmpty
        let cells = !cellSlots.isEmpty || !freeSlots.isEmpty
        self.isGenerator = isGenerator
        self.isSimple = plain && !cells
        self.needsSetup = cells || isGenerator
        self.simpleArgCount = plain ? positionalNames.count : -1
    }

    /// Slot of a parameter that may be passed by keyword.
    public func keywordSlot(_ name: String) -> Int? {
        if let i = positionalNames.firstIndex(of: name), i >= positionalOnlyCount { return i }
        if let i = keywordOnlyNames.firstIndex(of: name) {
            return positionalNames.count + (varargsSlot != nil ? 1 : 0) + i
        }
        return nil
    }
}

/// What a code object learns after compilation: the class that defined it.
public final class CodeOwner {
    public var ownerClass: PyClass?
    /// Parameter facts zero-argument `super()` needs to find `self`.
    let hasReceiver: Bool
    let receiverIsCell: Bool
    init(hasReceiver: Bool, receiverIsCell: Bool) {
        self.hasReceiver = hasReceiver
        self.receiverIsCell = receiverIsCell
    }
}

public final class PyFunction: PyObject {
    public let code: CodeObject
    /// Defaults of the last `defaults.count` positional parameters.
    public var defaults: [Value]
    public var kwDefaults: [String: Value]
    /// Set once; a `var` only so that the cycle collector can check its buffer's count in place.
    public private(set) var closure: [PyCell]
    public var name: String
    public var qualname: String
    /// Attributes set on the function object (`f.attr = ...`).
    public var attributes: [String: Value] = [:]

    public init(code: CodeObject, defaults: [Value], kwDefaults: [String: Value], closure: [PyCell]) {
        self.code = code
        self.defaults = defaults
        self.kwDefaults = kwDefaults
        self.closure = closure
        self.name = code.name
        self.qualname = code.qualname
        super.init(trackedKind: .function)
    }
    deinit { if gcGen != 0 { CycleGC.untrack(self) } }
}

extension PyFunction {
    func gcTraverse(_ v: inout GCVisitor) {
        v.values(&defaults)
        v.cells(&closure)
        v.dictionary(&kwDefaults)
        v.dictionary(&attributes)
    }
    /// The closure stays (a function's cells are tracked, and cleared, themselves).
    func gcClear() {
        defaults = []
        kwDefaults = [:]
        attributes = [:]
    }
}

extension PyFunction {
    /// Whether a call giving the first `given` positional arguments, and nothing else, is
    /// complete with this plain function's defaults (`f(x)` for `def f(x, k=1)`).
    @inline(__always)
    func defaultsComplete(given: Int) -> Bool {
        let want = code.simpleArgCount
        return given < want && given + defaults.count >= want
    }

    /// Whether `given` positional arguments and nothing else bind without the general binder
    /// (`Runtime.callDirect`): no `**kwargs`, extra arguments only into `*args`, missing
    /// positional ones and every keyword-only one covered by defaults.
    func bindsDirectly(given: Int) -> Bool {
        let c = code
        if c.kwargsSlot != nil { return false }
        let p = c.positionalNames.count
        if given > p && c.varargsSlot == nil { return false }
        if given < p && given + defaults.count < p { return false }
        for name in c.keywordOnlyNames where kwDefaults[name] == nil { return false }
        return true
    }

    /// Writes the defaults of the positional parameters after the first `given` into a new
    /// frame (whose slots there are still unset): the last `defaults.count` have them.
    @inline(__always)
    func fillDefaults(_ frame: Frame, given: Int) {
        let want = code.positionalNames.count
        let d = defaults
        for i in given..<want { (frame + i).initialize(to: d[d.count - want + i]) }
    }
}

extension Runtime {
    /// Calls `f`, for which `bindsDirectly(given:)` holds, with `given` positional arguments:
    /// the receiver (if any) and then `arg(0)`, `arg(1)`, ... evaluated in order, written into
    /// the frame, the surplus made the `*args` tuple, defaults filled in.
    func callDirect(_ f: PyFunction, receiver: Value?, given: Int,
                    _ arg: (Int) throws(PyErr) -> Value) throws(PyErr) -> Value {
        let c = f.code
        let n = c.slotCount
        let nfp = try pushFrame(n)
        defer { popFrame(nfp, n) }
        var first = 0
        if let r = receiver {
            nfp.initialize(to: r)
            first = 1
        }
        let p = c.positionalNames.count
        let direct = min(given, p)
        if first < direct {
            for i in first..<direct { (nfp + i).initialize(to: try arg(i - first)) }
        }
        if let vs = c.varargsSlot {
            if given > p {
                var rest: [Value] = []
                rest.reserveCapacity(given - p)
                for i in p..<given { rest.append(try arg(i - first)) }
                (nfp + vs).initialize(to: .obj(PyTuple(rest)))
            } else {
                (nfp + vs).initialize(to: .emptyTuple)
            }
        }
        if given < p { f.fillDefaults(nfp, given: given) }
        if !c.keywordOnlyNames.isEmpty {
            let base = p + (c.varargsSlot != nil ? 1 : 0)
            for (j, name) in c.keywordOnlyNames.enumerated() { (nfp + base + j).initialize(to: f.kwDefaults[name] ?? .none) }
        }
        return try runFunctionBody(f, nfp)
    }
}
