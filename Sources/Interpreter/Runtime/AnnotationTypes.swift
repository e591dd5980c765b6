// The values annotations evaluate to: `int | None` (types.UnionType) and `list[int]`
// (types.GenericAlias), printing as CPython's.

/// `list[int]`: the builtin class and its parameters (calling it calls the class).
final class GenericAliasPayload {
    let origin: PyClass
    let args: [Value]
    init(_ origin: PyClass, _ args: [Value]) {
        self.origin = origin
        self.args = args
    }
}

/// The members of an `X | Y` type union.
final class TypeUnion {
    let members: [Value]
    init(_ members: [Value]) { self.members = members }
}

extension Runtime {
    /// `int | None`, `A | B | C`: a types.UnionType, as annotations write them; nil when the
    /// operands are not types (or None, or unions).
    func typeUnion(_ a: Value, _ b: Value) throws(PyErr) -> Value? {
        func members(_ v: Value) -> [Value]? {
            if v.isNone { return [v] }
            if v.asClass != nil { return [v] }
            if case .obj(let o) = v, let n = o as? PyNative, let u = n.payload as? TypeUnion { return u.members }
            if case .obj(let o) = v, let n = o as? PyNative, n.payload is GenericAliasPayload { return [v] }
            return nil
        }
        guard let ma = members(a), let mb = members(b), !(a.isNone && b.isNone) else { return nil }
        var all: [Value] = []
        for m in ma + mb where !all.contains(where: { existing in
            if existing.isNone && m.isNone { return true }
            if let x = existing.asClass, let y = m.asClass { return x === y }
            if case .obj(let x) = existing, case .obj(let y) = m { return x === y }
            return false
        }) { all.append(m) }
        if all.count == 1 { return all[0] }
        return .obj(PyNative(cls: types.unionType, payload: TypeUnion(all)))
    }

    /// The text of a type in an annotation: `int`, `__main__.A`, `None`, `list[int]`.
    func annotationText(_ m: Value) -> String {
        if m.isNone { return "None" }
        if let c = m.asClass { return c.moduleName == "builtins" ? c.qualname : c.moduleName + "." + c.qualname }
        if let i = m.asInstance, i === ellipsisObject { return "..." }
        return (try? repr(m)) ?? "?"
    }

    func genericAlias(_ origin: PyClass, _ index: Value) -> Value {
        let args = index.asTuple?.items ?? [index]
        let alias = PyNative(cls: types.genericAlias, payload: GenericAliasPayload(origin, args))
        alias.directCall = { [unowned self] a, kw throws(PyErr) in try self.call(.obj(origin), a, kw) }
        return .obj(alias)
    }

    func installUnionTypeMethods() {
        types.genericAlias.setAttribute("__repr__", .obj(PyBuiltin("__repr__") { args, _ throws(PyErr) in
            guard case .obj(let o)? = args.first, let n = o as? PyNative, let g = n.payload as? GenericAliasPayload else { return .str("") }
            let inner = g.args.map { a -> String in
                if let l = a.asList { return "[" + l.items.map { self.annotationText($0) }.joined(separator: ", ") + "]" }
                return self.annotationText(a)
            }
            return .str(self.annotationText(.obj(g.origin)) + "[" + inner.joined(separator: ", ") + "]")
        }))
        types.genericAlias.setAttribute("__origin__", .obj(PyProperty(getter: .obj(PyBuiltin("__origin__") { args, _ throws(PyErr) in
            guard case .obj(let o)? = args.first, let n = o as? PyNative, let g = n.payload as? GenericAliasPayload else { return .none }
            return .obj(g.origin)
        }))))
        types.genericAlias.setAttribute("__args__", .obj(PyProperty(getter: .obj(PyBuiltin("__args__") { args, _ throws(PyErr) in
            guard case .obj(let o)? = args.first, let n = o as? PyNative, let g = n.payload as? GenericAliasPayload else { return .obj(PyTuple([])) }
            return .obj(PyTuple(g.args))
        }))))
        types.unionType.setAttribute("__repr__", .obj(PyBuiltin("__repr__") { args, _ throws(PyErr) in
            guard case .obj(let o)? = args.first, let n = o as? PyNative, let u = n.payload as? TypeUnion else { return .str("") }
            let parts = u.members.map { self.annotationText($0) }
            return .str(parts.joined(separator: " | "))
        }))
        types.unionType.setAttribute("__args__", .obj(PyProperty(getter: .obj(PyBuiltin("__args__") { args, _ throws(PyErr) in
            guard case .obj(let o)? = args.first, let n = o as? PyNative, let u = n.payload as? TypeUnion else { return .obj(PyTuple([])) }
            return .obj(PyTuple(u.members.map { $0.isNone ? .obj(self.typeOf(.none)) : $0 }))
        }))))
    }
}
