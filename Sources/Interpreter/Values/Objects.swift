import BigInt

// The heap objects behind `Value.obj`. Each is a final class with a fixed `kind`.

public final class PyBigInt: PyObject {
    /// Sign and little-endian magnitude words (no high zero words): what the fast paths
    /// in BigMag.swift use. `value` is built from them on first use. The sign is PyObject's
    /// flag0 (a byte that would otherwise be padding).
    @inline(__always) public var negative: Bool { flag0 != 0 }
    let mag: [UInt]
    private var cached: BigInt?

    public var value: BigInt {
        if let c = cached { return c }
        let b = BigInt(sign: negative ? .minus : .plus, magnitude: BigUInt(words: mag))
        cached = b
        return b
    }

    public init(_ value: BigInt) {
        self.cached = value
        var m = Array(value.magnitude.words)
        while let last = m.last, last == 0 { m.removeLast() }
        self.mag = m
        super.init(kind: .bigint, flag0: value.sign == .minus && !value.isZero ? 1 : 0)
    }

    init(negative: Bool, mag: [UInt]) {
        self.mag = mag
        super.init(kind: .bigint, flag0: negative ? 1 : 0)
    }

    deinit { BigMag.recycle(mag) }
}

public final class PyList: PyObject {
    public var items: [Value]
    public init(_ items: [Value]) {
        self.items = items
        super.init(trackedKind: .list)
    }
    deinit {
        if gcGen != 0 { CycleGC.untrack(self) }
        Trashcan.release(&items)
    }
}

public final class PyTuple: PyObject {
    /// PyObject's flag0, a byte after `kind`: a tuple object is 40 bytes (a 48-byte block),
    /// where an optional hash after `items` made it 41 (a 64-byte block).
    private var hashKnown: Bool {
        @inline(__always) get { flag0 != 0 }
        @inline(__always) set { flag0 = newValue ? 1 : 0 }
    }
    public private(set) var items: [Value]
    private var hashValue = 0
    var cachedHash: Int? {
        get { hashKnown ? hashValue : nil }
        set {
            hashKnown = newValue != nil
            hashValue = newValue ?? 0
        }
    }
    public init(_ items: [Value]) {
        self.items = items
        // Items never change: a tuple holding no tracked object can never be in a cycle.
        if CycleGC.holdsTrackedObject(items) {
            super.init(trackedKind: .tuple)
        } else {
            super.init(kind: .tuple)
        }
    }
    deinit {
        if gcGen != 0 { CycleGC.untrack(self) }
        Trashcan.release(&items)
    }
}

/// Freeing a deeply nested structure (a list in a list in a list...) would recurse once per
/// level in native code; past a depth, contents are parked and freed by the outermost level
/// in a loop instead (CPython's "trashcan").
enum Trashcan {
    nonisolated(unsafe) static var depth = 0
    nonisolated(unsafe) static var parked: [[Value]] = []

    static func release(_ items: inout [Value]) {
        if items.isEmpty { return }
        if depth >= 200 {
            parked.append(items)
            items = []
            return
        }
        var taken: [Value] = []
        swap(&taken, &items)
        depth += 1
        // Opaque, so the optimiser cannot move the release before the depth update.
        drop(&taken)
        if depth == 1 {
            while var next = parked.popLast() { drop(&next) }
        }
        depth -= 1
    }

    @inline(never)
    static func drop(_ items: inout [Value]) {
        items = []
    }
}

public final class PyBytes: PyObject {
    public let bytes: [UInt8]
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        super.init(kind: .bytes)
    }
}

public final class PyRange: PyObject {
    public let start: Int, stop: Int, step: Int
    public init(start: Int, stop: Int, step: Int) {
        self.start = start
        self.stop = stop
        self.step = step
        super.init(kind: .range)
    }
    /// The number of items; nil when it does not fit in an Int.
    public var exactCount: Int? {
        // Magnitudes fit in UInt: (stop - start) and |step| are below 2^64.
        if step > 0 {
            guard start < stop else { return 0 }
            let span = UInt(bitPattern: stop &- start) &- 1
            return Int(exactly: span / UInt(step) + 1)
        }
        guard start > stop else { return 0 }
        let span = UInt(bitPattern: start &- stop) &- 1
        return Int(exactly: span / step.magnitude + 1)
    }
    public var count: Int { exactCount ?? Int.max }

    /// The item at `i` (0 ≤ i < count), which always fits between start and stop.
    public func item(_ i: Int) -> Int {
        Int(truncatingIfNeeded: UInt(bitPattern: start) &+ UInt(bitPattern: i) &* UInt(bitPattern: step))
    }
}

public final class PySlice: PyObject {
    public let start: Value, stop: Value, step: Value
    public init(start: Value, stop: Value, step: Value) {
        self.start = start
        self.stop = stop
        self.step = step
        super.init(kind: .slice)
    }
}

/// A captured variable shared between a function and the closures it creates.
public final class PyCell: PyObject {
    public var value: Value
    public init(_ value: Value = .undef) {
        self.value = value
        super.init(trackedKind: .cell)
    }
    deinit { if gcGen != 0 { CycleGC.untrack(self) } }
}

public typealias KwArgs = [(String, Value)]
public typealias NativeFunction = (_ args: [Value], _ kwargs: KwArgs) throws(PyErr) -> Value

/// A function written in Swift. Methods of builtin types receive `self` as `args[0]`.
public final class PyBuiltin: PyObject {
    public let name: String
    public let fn: NativeFunction
    /// Bound receiver for builtin methods fetched as attributes (`f = lst.append`).
    public let receiver: Value?
    public init(_ name: String, receiver: Value? = nil, _ fn: @escaping NativeFunction) {
        self.name = name
        self.fn = fn
        self.receiver = receiver
        // A builtin method bound to a tracked object (`f = lst.append`) can close a cycle.
        if case .obj(let o)? = receiver, o.gcGen != 0 {
            super.init(trackedKind: .builtin)
        } else {
            super.init(kind: .builtin)
        }
    }
    deinit { if gcGen != 0 { CycleGC.untrack(self) } }
}

public final class PyBoundMethod: PyObject {
    public let receiver: Value
    public let function: Value
    public init(receiver: Value, function: Value) {
        self.receiver = receiver
        self.function = function
        super.init(trackedKind: .boundMethod)
    }
    deinit { if gcGen != 0 { CycleGC.untrack(self) } }
}

public final class PyProperty: PyObject {
    public var getter: Value
    public var setter: Value
    public var deleter: Value
    public init(getter: Value, setter: Value = .none, deleter: Value = .none) {
        self.getter = getter
        self.setter = setter
        self.deleter = deleter
        super.init(kind: .property)
    }
}

public final class PyStaticMethod: PyObject {
    public let function: Value
    public init(_ function: Value) {
        self.function = function
        super.init(kind: .staticMethod)
    }
}

public final class PyClassMethod: PyObject {
    public let function: Value
    public init(_ function: Value) {
        self.function = function
        super.init(kind: .classMethod)
    }
}

/// `super()`: attribute lookups start after `startAfter` in the MRO of `receiver`'s class.
public final class PySuper: PyObject {
    public let startAfter: PyClass
    public let receiver: Value
    public init(startAfter: PyClass, receiver: Value) {
        self.startAfter = startAfter
        self.receiver = receiver
        super.init(kind: .superProxy)
    }
}

/// An object of a native type that only host code understands (e.g. `st` elements, DataFrames).
/// It has a class for attribute lookups and an opaque payload.
public final class PyNative: PyObject {
    public let cls: PyClass
    public var payload: AnyObject
    /// Calls the object without a `__call__` lookup or a receiver-prefixed argument array (hot
    /// native callables such as cached functions); the class's `__call__` must do the same.
    public var directCall: ((_ args: [Value], _ kwargs: KwArgs) throws(PyErr) -> Value)?
    public init(cls: PyClass, payload: AnyObject) {
        self.cls = cls
        self.payload = payload
        super.init(kind: .native)
    }
}

/// A module: its globals are slots, addressed by index from compiled code.
public final class PyModule: PyObject {
    public let name: String
    public let filename: String
    public var globals: [Value] = []
    public var globalIndex: [String: Int] = [:]
    public var globalNames: [String] = []
    public init(name: String, filename: String) {
        self.name = name
        self.filename = filename
        super.init(kind: .module)
    }

    public func slot(for name: String) -> Int {
        if let i = globalIndex[name] { return i }
        let i = globals.count
        globals.append(.undef)
        globalNames.append(name)
        globalIndex[name] = i
        return i
    }

    public func get(_ name: String) -> Value? {
        guard let i = globalIndex[name] else { return nil }
        if case .undef = globals[i] { return nil }
        return globals[i]
    }

    public func set(_ name: String, _ value: Value) {
        store(slot(for: name), value)
    }

    /// Replaces a global, releasing the old value after the write instead of during it:
    /// releasing it may close an abandoned generator, whose body may read the globals.
    @inline(__always) public func store(_ i: Int, _ value: Value) {
        var old = value
        swap(&globals[i], &old)
    }

    /// Names bound in the module, in definition order.
    public var boundNames: [String] {
        globalNames.filter { get($0) != nil }
    }
}

// MARK: - Cycle collector support (CycleCollector.swift): the references each tracked type
// holds, and how to drop them. Here because some of the storage is private(set).

extension PyList {
    func gcTraverse(_ v: inout GCVisitor) { v.values(&items) }
    func gcClear() { items = [] }
}

extension PyTuple {
    func gcTraverse(_ v: inout GCVisitor) { v.values(&items) }
    func gcClear() { items = []; cachedHash = nil }
}

extension PyCell {
    func gcTraverse(_ v: inout GCVisitor) { v.value(value) }
    func gcClear() { value = .undef }
}

extension PyBuiltin {
    func gcTraverse(_ v: inout GCVisitor) { if let r = receiver { v.value(r) } }
}

extension PyBoundMethod {
    func gcTraverse(_ v: inout GCVisitor) {
        v.value(receiver)
        v.value(function)
    }
}
