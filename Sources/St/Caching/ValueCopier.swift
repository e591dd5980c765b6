import Interpreter

/// cache_data's copies (CACHING.md Part A): a hit returns a value equal to the cached one that
/// shares nothing mutable with it, without a deep copy of a big value on every hit. The cache
/// stores a *copy plan*: the immutable parts are shared as they are, and only the mutable
/// containers are rebuilt on a hit; a rebuilt list shares its items' storage with the cached
/// one until either is changed (Swift arrays are copy-on-write), so a hit on a list of a million
/// ints costs one object, not a million.
indirect enum CopyPlan {
    /// Immutable (or host-owned): shared.
    case shared(Value)
    /// A list: items shared by storage, with the positions of items that need their own copies.
    case list([Value], [(Int, CopyPlan)])
    case tuple([Value], [(Int, CopyPlan)])
    case dict(PyDict, [(Value, CopyPlan)])
    case set(PySet)
    case instance(PyClass, [(String, CopyPlan)])

    /// A fresh value from the plan.
    func materialize(_ rt: Runtime) -> Value {
        switch self {
        case .shared(let v): return v
        case .list(let items, let nested):
            var copy = items
            for (i, p) in nested { copy[i] = p.materialize(rt) }
            return .obj(PyList(copy))
        case .tuple(let items, let nested):
            if nested.isEmpty { return .obj(PyTuple(items)) }
            var copy = items
            for (i, p) in nested { copy[i] = p.materialize(rt) }
            return .obj(PyTuple(copy))
        case .dict(let d, let nested):
            let copy = d.copy()
            for (k, p) in nested { try? copy.set(k, p.materialize(rt), rt) }
            return .obj(copy)
        case .set(let s): return .obj(s.copy(rt))
        case .instance(let cls, let attrs):
            let inst = PyInstance(cls: cls)
            for (k, p) in attrs { inst.setAttr(k, p.materialize(rt)) }
            return .obj(inst)
        }
    }

    /// The plan of `v`, which must already be the cache's own copy (nothing else refers to it).
    static func make(_ v: Value, _ rt: Runtime, depth: Int = 0) -> CopyPlan {
        guard case .obj(let o) = v, depth < 500 else { return .shared(v) }
        switch o.kind {
        case .list:
            let items = v.asList?.items ?? []
            return .list(items, nestedPlans(items, rt, depth))
        case .tuple:
            let items = v.asTuple?.items ?? []
            let nested = nestedPlans(items, rt, depth)
            return nested.isEmpty ? .shared(v) : .tuple(items, nested)
        case .dict:
            guard let d = v.asDict else { return .shared(v) }
            var nested: [(Value, CopyPlan)] = []
            for (k, x) in d.items {
                let p = make(x, rt, depth: depth + 1)
                if case .shared = p { continue }
                nested.append((k, p))
            }
            return .dict(d, nested)
        case .set:
            return v.asSet.map { .set($0) } ?? .shared(v)
        case .instance:
            let inst = unsafeDowncast(o, to: PyInstance.self)
            if inst.exception != nil { return .shared(v) }
            return .instance(inst.cls, inst.attributePairs.map { ($0.0, make($0.1, rt, depth: depth + 1)) })
        default:
            return .shared(v)
        }
    }

    private static func nestedPlans(_ items: [Value], _ rt: Runtime, _ depth: Int) -> [(Int, CopyPlan)] {
        var nested: [(Int, CopyPlan)] = []
        for (i, x) in items.enumerated() {
            guard case .obj(let o) = x else { continue }
            switch o.kind {
            case .str, .bigint, .bytes, .range, .function, .builtin, .cls, .module, .native: continue
            default:
                let p = make(x, rt, depth: depth + 1)
                if case .shared = p { continue }
                nested.append((i, p))
            }
        }
        return nested
    }

    /// A deep copy of a value the caller owns, made when it is stored: later changes by the
    /// caller to what the miss returned must not reach the cache.
    static func snapshot(_ v: Value, _ rt: Runtime) -> Value {
        make(v, rt).materialize(rt)
    }

    /// A rough size in bytes, for `max_size` and the cache listing.
    static func estimatedSize(_ v: Value, depth: Int = 0) -> Int {
        guard case .obj(let o) = v, depth < 100 else { return 16 }
        switch o.kind {
        case .str: return 48 + (v.asStr?.value.utf8.count ?? 0)
        case .list: return 56 + (v.asList?.items.reduce(0) { $0 + estimatedSize($1, depth: depth + 1) } ?? 0)
        case .tuple: return 40 + (v.asTuple?.items.reduce(0) { $0 + estimatedSize($1, depth: depth + 1) } ?? 0)
        case .dict: return 64 + (v.asDict?.items.reduce(0) { $0 + estimatedSize($1.0, depth: depth + 1) + estimatedSize($1.1, depth: depth + 1) } ?? 0)
        case .bytes: return 33 + ((o as? PyBytes)?.bytes.count ?? 0)
        case .instance: return 56 + unsafeDowncast(o, to: PyInstance.self).attributePairs.reduce(0) { $0 + 16 + estimatedSize($1.1, depth: depth + 1) }
        default: return 32
        }
    }
}
