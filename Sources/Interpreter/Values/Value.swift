import BigInt

/// Every stlang value. Payloads are a machine word or one class reference, so a `Value` is
/// 16 bytes and copying one never allocates (DESIGN.md, speed decision 3).
public enum Value {
    case int(Int)
    case float(Double)
    case bool(Bool)
    case none
    case obj(PyObject)
    /// The contents of an unassigned local slot. Never visible to programs.
    case undef
}

/// The kinds of heap object, so hot paths switch on a byte instead of casting.
public enum ObjKind: UInt8 {
    case str, list, tuple, dict, set, frozenset, bigint, bytes
    case function, builtin, boundMethod, cls, instance, module
    case range, iterator, cell, slice, property, staticMethod, classMethod
    case superProxy, file, native
}

/// Base class of heap objects. Subclasses are final; `kind` tells which one.
open class PyObject {
    public final let kind: ObjKind
    /// The cycle collector's bookkeeping (CycleCollector.swift): which generation's table
    /// holds the object (0: not tracked) and where. With the two flag bytes they fill the
    /// padding after `kind`, so they cost no memory (subclass fields start at offset 24).
    final var gcGen: UInt8 = 0
    /// Small flags of a subclass, in what would otherwise be padding: PyStr keeps its ASCII
    /// and hash states here (a subclass's own byte fields would start after `gcIndex`).
    final var flag0: UInt8
    final var flag1: UInt8 = 0
    final var gcIndex: Int32 = 0
    public init(kind: ObjKind) {
        self.kind = kind
        flag0 = 0
    }
    init(kind: ObjKind, flag0: UInt8) {
        self.kind = kind
        self.flag0 = flag0
    }
    /// For the types the cycle collector tracks: registers the object (the subclass's fields
    /// are all set by then). Tracking here rather than in the subclass's initializer spares a
    /// retain and release of the new object around the call.
    init(trackedKind kind: ObjKind) {
        self.kind = kind
        flag0 = 0
        CycleGC.track(self)
    }
}

extension Value {
    @inline(__always) public static func str(_ s: String) -> Value { .obj(PyStr(s)) }
    @inline(__always) public static func big(_ b: BigInt) -> Value {
        let m = b.magnitude
        if m.words.count <= 1 {
            let w = m.words.first ?? 0
            if b.sign == .plus || w == 0 {
                if w <= UInt(Int.max) { return .int(Int(w)) }
            } else if w <= UInt(Int.max) + 1 {
                return .int(w == UInt(Int.max) + 1 ? Int.min : -Int(w))
            }
        }
        return .obj(PyBigInt(b))
    }
    public static let emptyTuple: Value = .obj(PyTuple([]))

    @inline(__always) public var isNone: Bool {
        if case .none = self { return true }
        return false
    }

    @inline(__always) public var asObject: PyObject? {
        if case .obj(let o) = self { return o }
        return nil
    }

    @inline(__always) public var asStr: PyStr? {
        if case .obj(let o) = self, o.kind == .str { return unsafeDowncast(o, to: PyStr.self) }
        return nil
    }
    @inline(__always) public var asList: PyList? {
        if case .obj(let o) = self, o.kind == .list { return unsafeDowncast(o, to: PyList.self) }
        return nil
    }
    @inline(__always) public var asTuple: PyTuple? {
        if case .obj(let o) = self, o.kind == .tuple { return unsafeDowncast(o, to: PyTuple.self) }
        return nil
    }
    @inline(__always) public var asDict: PyDict? {
        if case .obj(let o) = self, o.kind == .dict { return unsafeDowncast(o, to: PyDict.self) }
        return nil
    }
    @inline(__always) public var asSet: PySet? {
        if case .obj(let o) = self, o.kind == .set || o.kind == .frozenset { return unsafeDowncast(o, to: PySet.self) }
        return nil
    }
    @inline(__always) public var asInstance: PyInstance? {
        if case .obj(let o) = self, o.kind == .instance { return unsafeDowncast(o, to: PyInstance.self) }
        return nil
    }
    @inline(__always) public var asClass: PyClass? {
        if case .obj(let o) = self, o.kind == .cls { return unsafeDowncast(o, to: PyClass.self) }
        return nil
    }
    @inline(__always) public var asFunction: PyFunction? {
        if case .obj(let o) = self, o.kind == .function { return unsafeDowncast(o, to: PyFunction.self) }
        return nil
    }
    @inline(__always) public var asBigInt: PyBigInt? {
        if case .obj(let o) = self, o.kind == .bigint { return unsafeDowncast(o, to: PyBigInt.self) }
        return nil
    }
    @inline(__always) public var asModule: PyModule? {
        if case .obj(let o) = self, o.kind == .module { return unsafeDowncast(o, to: PyModule.self) }
        return nil
    }

    /// An int of either representation as a BigInt (bools count as ints).
    /// An int, bool, float or big int.
    @inline(__always) var isNumber: Bool {
        switch self {
        case .int, .bool, .float: return true
        case .obj(let o): return o.kind == .bigint
        default: return false
        }
    }

    public var bigIntValue: BigInt? {
        switch self {
        case .int(let i): return BigInt(sign: i < 0 ? .minus : .plus, magnitude: BigUInt(words: [i.magnitude]))
        case .bool(let b): return BigInt(sign: .plus, magnitude: BigUInt(words: [b ? 1 : 0]))
        case .obj(let o) where o.kind == .bigint: return unsafeDowncast(o, to: PyBigInt.self).value
        default: return nil
        }
    }

    /// Identity as Python's `is` sees it.
    public func isIdentical(_ other: Value) -> Bool {
        switch (self, other) {
        case (.none, .none): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b  // small ints are interned in CPython too
        case (.float(let a), .float(let b)): return a.bitPattern == b.bitPattern
        case (.obj(let a), .obj(let b)): return a === b
        default: return false
        }
    }
}
