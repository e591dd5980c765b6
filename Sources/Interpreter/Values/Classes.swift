/// Class-level attribute lookups are cached per class; any change to any class dict bumps this
/// epoch, which invalidates every cache (class dicts rarely change after definition).
nonisolated(unsafe) var classEpoch: Int = 0

/// Dunder methods the runtime looks up on hot paths, cached per class by number instead of
/// by name (hashing a String on every `==`, `hash()` or `len()` of an instance adds up).
/// (The first 64 may be kept as bits of a word: `PyClass.storageOverrides`.)
public enum Dunder: Int, CaseIterable {
    case iter, getitem, len, setattr, repr, next, initializer, eq, call, str, setitem, reversed, new, hash, getattr, format, exit, enter, delitem, contains, bool, ne, lt, le, gt, ge
    // The binary operators in `BinaryOpKind`'s order, then their reflected and in-place forms
    // (`BinaryOpKind.dunderSlot`).
    case add, sub, mul, truediv, floordiv, mod, pow, lshift, rshift, and, or, xor, matmul
    case radd, rsub, rmul, rtruediv, rfloordiv, rmod, rpow, rlshift, rrshift, rand, ror, rxor, rmatmul
    case iadd, isub, imul, itruediv, ifloordiv, imod, ipow, ilshift, irshift, iand, ior, ixor, imatmul
    case neg, pos, invert

    var name: String { self == .initializer ? "__init__" : "__\(self)__" }
}

/// A class: builtin (`int`, `list`, `ValueError`, ...) or defined by a program.
public final class PyClass: PyObject {
    public let name: String
    public var qualname: String
    public let base: PyClass?
    /// All the bases, in order (`base` is the first).
    public private(set) var bases: [PyClass]
    public private(set) var dict: [String: Value]
    public private(set) var mro: [PyClass] = []
    public var moduleName: String
    /// Set for builtin types: called by `T(...)` instead of creating an instance.
    public var constructor: NativeFunction? {
        didSet { classEpoch &+= 1 }  // (per-class caches such as `plainInit` depend on it)
    }
    public let isBuiltin: Bool
    public private(set) var isException = false
    /// For a class deriving from `list` or `dict`: that builtin type's object kind. Each
    /// instance then holds such an object (`PyInstance.builtinStorage`), which the type's
    /// methods work on.
    public internal(set) var storageKind: ObjKind?
    /// For such a class: one bit per `Dunder` that resolves to something other than the
    /// builtin type's own method (`Runtime.unoverriddenStorage`), valid while
    /// `storageOverridesEpoch` is `classEpoch`.
    var storageOverrides: UInt64 = 0
    var storageOverridesEpoch = -1
    /// The most attributes an instance has had: new instances reserve that many slots.
    var slotHint = 0
    /// `Runtime.plainInitializer`'s answer for this class, valid while `plainInitEpoch` is
    /// `classEpoch` (two dunder lookups, each copying a Value, on every instantiation).
    var plainInit: PyFunction?
    var plainInitEpoch = -1
    /// The shape of this class's instances before any attribute is set. Each class has its
    /// own, so a shape implies the class: attribute caches keyed on shapes never mistake an
    /// instance of a class with a `__setattr__` or a property for one without.
    let rootShape = Shape(keys: [])
    private var cache: [String: Value] = [:]
    private var cacheMisses: Set<String> = []
    private var cacheEpoch = -1
    private var dunderValues = [Value?](repeating: nil, count: Dunder.allCases.count)
    private var dunderKnown = [Bool](repeating: false, count: Dunder.allCases.count)
    private var dunderEpoch = -1

    /// The attribute names in definition order (what `__dict__` shows), as CPython keeps them.
    public private(set) var attributeOrder: [String]

    public init(name: String, base: PyClass?, dict: [String: Value] = [:], order: [String]? = nil, isBuiltin: Bool,
                moduleName: String = "builtins") {
        self.name = name
        self.qualname = name
        self.base = base
        self.bases = base.map { [$0] } ?? []
        self.dict = dict
        self.attributeOrder = order ?? dict.keys.sorted()
        self.isBuiltin = isBuiltin
        self.moduleName = moduleName
        super.init(kind: .cls)
        let m: [PyClass] = [self] + (base?.mro ?? [])
        mro = m
        isException = m.contains { $0.name == "BaseException" && $0.isBuiltin }
    }

    /// Looks `name` up along the MRO.
    public func lookup(_ name: String) -> Value? {
        if cacheEpoch != classEpoch {
            cache.removeAll(keepingCapacity: true)
            cacheMisses.removeAll(keepingCapacity: true)
            cacheEpoch = classEpoch
        }
        if let v = cache[name] { return v }
        if cacheMisses.contains(name) { return nil }
        for c in mro {
            if let v = c.dict[name] {
                cache[name] = v
                return v
            }
        }
        cacheMisses.insert(name)
        return nil
    }

    /// `lookup(d.name)`, cached by number.
    @inline(__always)
    public func lookup(_ d: Dunder) -> Value? {
        if dunderEpoch == classEpoch && dunderKnown[d.rawValue] { return dunderValues[d.rawValue] }
        return lookupDunderSlow(d)
    }

    @inline(never)
    private func lookupDunderSlow(_ d: Dunder) -> Value? {
        if dunderEpoch != classEpoch {
            for i in 0..<dunderKnown.count { dunderKnown[i] = false; dunderValues[i] = nil }
            dunderEpoch = classEpoch
        }
        let v = lookup(d.name)
        dunderValues[d.rawValue] = v
        dunderKnown[d.rawValue] = true
        return v
    }

    /// The class in the MRO that defines `name`, and the value.
    public func lookupWithOwner(_ name: String) -> (PyClass, Value)? {
        for c in mro { if let v = c.dict[name] { return (c, v) } }
        return nil
    }

    public func setAttribute(_ name: String, _ value: Value) {
        if dict.updateValue(value, forKey: name) == nil { attributeOrder.append(name) }
        classEpoch &+= 1
    }

    public func removeAttribute(_ name: String) -> Bool {
        guard dict.removeValue(forKey: name) != nil else { return false }
        attributeOrder.removeAll { $0 == name }
        classEpoch &+= 1
        return true
    }

    /// Several bases: `mroAfterSelf` is their C3 linearisation (`Runtime.methodResolutionOrder`).
    func setBases(_ bases: [PyClass], mroAfterSelf: [PyClass]) {
        self.bases = bases
        mro = [self] + mroAfterSelf
        isException = mro.contains { $0.name == "BaseException" && $0.isBuiltin }
    }

    public func isSubclass(of other: PyClass) -> Bool {
        if self === other { return true }
        for c in mro where c === other { return true }
        return false
    }
}

/// The layout of an instance's attributes ("hidden class"): instances that got the same
/// attributes in the same order share a shape, so `self.x` can be cached per call site.
public final class Shape {
    public let keys: [String]
    /// For shapes with many keys; small ones are scanned (attribute names are mostly short
    /// Swift strings stored inline, which compare in two words: cheaper than hashing).
    private let index: [String: Int]
    private var transitions: [String: Shape] = [:]
    static let scanLimit = 12

    /// The shape of instances whose attributes live in a dict (after `obj.__dict__` was used):
    /// it has no keys, so attribute caches never match it; the dict is the only slot.
    static let dictMode = Shape(keys: [], dictMode: true)
    let isDictMode: Bool

    init(keys: [String], dictMode: Bool = false) {
        self.keys = keys
        self.isDictMode = dictMode
        var idx: [String: Int] = [:]
        if keys.count > Shape.scanLimit {
            for (i, k) in keys.enumerated() { idx[k] = i }
        }
        index = idx
    }

    /// The slot of attribute `name`, or nil.
    @inline(__always)
    func slot(of name: String) -> Int? {
        if keys.count > Shape.scanLimit { return index[name] }
        // Lengths first: comparing two different strings calls into the runtime.
        let n = name.utf8.count
        var i = 0
        for k in keys {
            if k.utf8.count == n && k == name { return i }
            i += 1
        }
        return nil
    }

    func adding(_ key: String) -> Shape {
        if let s = transitions[key] { return s }
        let s = Shape(keys: keys + [key])
        transitions[key] = s
        return s
    }
}

/// State carried by instances of exception classes.
public final class ExceptionState {
    public var args: [Value]
    /// The traceback, innermost frame first (`appendTraceback`). The first entry is kept
    /// apart: most exceptions are caught where they were raised and never get a second, so
    /// no array is allocated for them.
    public var traceback: [TracebackEntry] {
        guard let firstEntry else { return [] }
        return [firstEntry] + moreEntries
    }
    private var firstEntry: TracebackEntry?
    private var moreEntries: [TracebackEntry] = []
    func appendTraceback(_ entry: TracebackEntry) {
        if firstEntry == nil { firstEntry = entry } else { moreEntries.append(entry) }
    }
    public var cause: Value = .none
    public var context: Value = .none
    public var suppressContext = false
    /// The line being executed in the innermost frame not yet recorded in `traceback`.
    public var pendingLine: Int = 0
    /// For "Did you mean" hints: the missing name, the local names of the scope a NameError
    /// came from (plus its module), or the object an AttributeError was about.
    var missingName: String?
    var localNames: [String] = []
    var module: PyModule?
    var attributeOwner: Value?
    init(args: [Value]) { self.args = args }
}

public struct TracebackEntry {
    public var filename: String
    public var line: Int
    public var function: String
}

public final class PyInstance: PyObject {
    public var cls: PyClass
    public private(set) var shape: Shape
    public private(set) var slots: [Value] = []
    /// An exception's state, or the builtin object of an instance of a `list` or `dict`
    /// subclass (a class is never both: `Runtime.classBases`). One field for the two keeps
    /// an instance at 56 bytes (a 64-byte block).
    var extra: AnyObject?

    /// (Which of the two `extra` holds follows from the class: a class with a `storageKind`
    /// is no exception class, and `__class__` assignment keeps the kind.)
    public var exception: ExceptionState? {
        @inline(__always) get {
            guard cls.storageKind == nil, let e = extra else { return nil }
            return unsafeDowncast(e, to: ExceptionState.self)
        }
        // (Never over a list or dict: `BaseException.__init__(stack)` leaves it alone.)
        set { if cls.storageKind == nil { extra = newValue } }
    }

    /// The list or dict an instance of a subclass of `list` or `dict` extends.
    public var builtinStorage: PyObject? {
        @inline(__always) get {
            guard cls.storageKind != nil, let e = extra else { return nil }
            return unsafeDowncast(e, to: PyObject.self)
        }
    }

    public init(cls: PyClass) {
        self.cls = cls
        self.shape = cls.rootShape
        if cls.isException {
            extra = ExceptionState(args: [])
        } else if let kind = cls.storageKind {
            extra = PyInstance.newStorage(kind)
        }
        super.init(trackedKind: .instance)
    }
    /// An instance of an exception class with these `args` (one state allocated, not two).
    init(exceptionClass cls: PyClass, args: [Value]) {
        self.cls = cls
        self.shape = cls.rootShape
        extra = ExceptionState(args: args)
        super.init(trackedKind: .instance)
    }

    static func newStorage(_ kind: ObjKind) -> PyObject {
        kind == .dict ? PyDict() : PyList([])
    }
    deinit { if gcGen != 0 { CycleGC.untrack(self) } }

    /// Attributes move here the first time a program asks for `__dict__`, so that writes to
    /// the dict are writes to the object (as in CPython, where `__dict__` is the storage).
    /// The dict is kept as the only slot, under the shape `Shape.dictMode`: no field of its
    /// own, so an instance takes 56 bytes (a 64-byte block) instead of 64 (an 80-byte one).
    @inline(__always) public var dictStorage: PyDict? {
        guard shape.isDictMode, case .obj(let o)? = slots.first, o.kind == .dict else { return nil }
        return unsafeDowncast(o, to: PyDict.self)
    }

    @inline(__always) public func getAttr(_ name: String) -> Value? {
        if let d = dictStorage { return d.getStr(name) }
        guard let i = shape.slot(of: name) else { return nil }
        return slots[i]
    }

    /// The attributes as (name, value) pairs, in definition order, without switching storage.
    public var attributePairs: [(String, Value)] {
        if let d = dictStorage { return d.items.compactMap { k, v in k.asStr.map { ($0.value, v) } } }
        return Array(zip(shape.keys, slots))
    }

    /// The instance's attribute dict (switching the instance to dict storage).
    public func attributeDict() -> PyDict {
        if let d = dictStorage { return d }
        let d = PyDict()
        for (k, v) in zip(shape.keys, slots) { d.setStr(k, v) }
        shape = .dictMode
        slots = [.obj(d)]
        return d
    }

    /// `obj.__class__ = c`: the attributes move onto `c`'s shapes (a shape implies its class,
    /// which the attribute caches rely on); dict storage stays as it is.
    func changeClass(to c: PyClass) {
        if dictStorage != nil {
            cls = c
            return
        }
        let pairs = Array(zip(shape.keys, slots))
        cls = c
        shape = c.rootShape
        slots = []
        for (k, v) in pairs { appendSlot(shape.adding(k), v) }
        // (The caller has checked that `c` keeps the layout: the same storage kind, and an
        // exception class only for an exception.)
        if c.isException && exception == nil { exception = ExceptionState(args: []) }
    }

    public func replaceAttributeDict(_ d: PyDict) {
        _ = attributeDict()
        slots = [.obj(d)]
    }

    @inline(__always) public func slotValue(_ i: Int) -> Value { slots[i] }
    /// The old value is released after the write (see `PyModule.store`).
    @inline(__always) public func setSlot(_ i: Int, _ v: Value) {
        var old = v
        swap(&slots[i], &old)
    }
    /// Adds an attribute whose new shape is already known (`shape.adding(name)`).
    @inline(__always) func appendSlot(_ newShape: Shape, _ v: Value) {
        shape = newShape
        if slots.isEmpty && cls.slotHint > 1 { slots.reserveCapacity(cls.slotHint) }
        slots.append(v)
        if slots.count > cls.slotHint { cls.slotHint = slots.count }
    }

    public func setAttr(_ name: String, _ value: Value) {
        if let d = dictStorage { d.setStr(name, value); return }
        if let i = shape.slot(of: name) {
            setSlot(i, value)
        } else {
            shape = shape.adding(name)
            slots.append(value)
        }
    }

    public func removeAttr(_ name: String) -> Bool {
        if let d = dictStorage { return d.removeStr(name) }
        guard let i = shape.slot(of: name) else { return false }
        var keys = shape.keys
        keys.remove(at: i)
        slots.remove(at: i)
        var s = cls.rootShape
        for k in keys { s = s.adding(k) }
        shape = s
        return true
    }

    /// Attributes in insertion order (for `vars()` and hashing instances).
    public var attributes: [(String, Value)] {
        if let d = dictStorage {
            return d.items.compactMap { k, v in k.asStr.map { ($0.value, v) } }
        }
        return Array(zip(shape.keys, slots))
    }
}

// MARK: - Cycle collector support (CycleCollector.swift)

extension PyInstance {
    /// The slots hold the attribute dict too, when there is one (`Shape.dictMode`).
    func gcTraverse(_ v: inout GCVisitor) {
        v.values(&slots)
        v.instanceExtra(&extra)
    }
    /// Leaves an empty object with a consistent layout (the class stays: classes are not tracked).
    func gcClear() {
        slots = []
        shape = cls.rootShape
        extra = nil
    }
}

extension ExceptionState {
    func gcTraverse(_ v: inout GCVisitor) {
        v.values(&args)
        v.value(cause)
        v.value(context)
        if let o = attributeOwner { v.value(o) }
    }
}
