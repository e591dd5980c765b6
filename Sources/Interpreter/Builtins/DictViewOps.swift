// The set operators of `d.keys()` and `d.items()` (`&`, `|`, `-`, `^` and their reflected
// forms), following CPython's dictviews_* functions step for step: the same sets built in the
// same order give the same iteration order, and each view is read through its dict's entries
// (its keys) rather than through an iterator and a throwaway set.

extension Runtime {
    /// `x in view` for a keys or items view.
    func viewContains(_ view: DictViewPayload, _ x: Value) throws(PyErr) -> Bool {
        switch view.kind {
        case .keys: return try view.dict.contains(x, self)
        case .items:
            // One lookup of the key, then the value compared (identity first, as CPython).
            guard let t = x.asTuple, t.items.count == 2 else { return false }
            guard let v = try view.dict.get(t.items[0], self) else { return false }
            if v.isIdentical(t.items[1]) { return true }
            return try equal(v, t.items[1])
        case .values: return false
        }
    }

    /// CPython's `dictviews_to_set`, or `set(v)` for the other operand of a reflected
    /// operator: a keys view is read as its dict (a set made from a dict is sized for it first).
    private func setOf(_ v: Value) throws(PyErr) -> PySet {
        let s = PySet()
        if let view = dictView(v), view.kind == .keys {
            try setUpdate(s, .obj(view.dict))
        } else {
            try setUpdate(s, v)
        }
        return s
    }

    /// Adds the items of `v` one by one, as `set.update` does for anything but a set or a
    /// dict (a keys view is read from its dict).
    private func addEach(_ s: PySet, _ v: Value) throws(PyErr) {
        if let view = dictView(v), view.kind == .keys {
            // (A dict keeps 32 bits of each hash, and a set's order needs all 64: the hash is
            // computed again. CPython reuses the stored one; only a user `__hash__` with side
            // effects can tell.)
            for k in view.dict.liveKeys { try s.add(k, self) }
        } else {
            try forEach(v) { x throws(PyErr) in
                try s.add(x, self)
                return true
            }
        }
    }

    /// CPython's `_PyDictView_Intersect`: iterate the smaller side, keep what the other holds.
    func viewIntersect(_ view: DictViewPayload, _ other: Value) throws(PyErr) -> PySet {
        let result = PySet()
        if case .obj(let so) = other, so.kind == .set, view.dict.count <= unsafeDowncast(so, to: PySet.self).count {
            // set.intersection(view): the view iterated, each item looked up in the set.
            let s = unsafeDowncast(so, to: PySet.self)
            try forEachViewItem(view) { x throws(PyErr) in
                if try s.contains(x, self) { try result.add(x, self) }
                return true
            }
            return result
        }
        if let o = dictView(other), o.kind != .values, o.dict.count > view.dict.count {
            try forEachViewItem(view) { x throws(PyErr) in
                if try self.viewContains(o, x) { try result.add(x, self) }
                return true
            }
            return result
        }
        try forEach(other) { x throws(PyErr) in
            if try self.viewContains(view, x) { try result.add(x, self) }
            return true
        }
        return result
    }

    /// `a | b`, `a - b`, `a ^ b` where one side is a view: `set(left)`, then updated by the right.
    func viewSetOperation(_ op: BinaryOpKind, _ left: Value, _ right: Value) throws(PyErr) -> PySet {
        let result = try setOf(left)
        switch op {
        case .or:
            try addEach(result, right)
        case .sub:
            try forEach(right) { x throws(PyErr) in
                _ = try result.discard(x, self)
                return true
            }
        default:  // .xor: symmetric_difference_update, over a set made of the right side
            var other = PySet()
            if case .obj(let o) = right, o.kind == .set || o.kind == .frozenset {
                other = unsafeDowncast(o, to: PySet.self)
            } else {
                try addEach(other, right)
            }
            for (k, h) in other.entries {
                if try !result.discard(k, hash: h, self) { try result.add(k, hash: h, self) }
            }
        }
        return result
    }

    func installDictViewOperators() {
        func payload(_ args: [Value]) throws(PyErr) -> DictViewPayload {
            guard let v = args.first, let view = dictView(v) else { throw typeError("invalid dict view") }
            return view
        }
        for cls in [types.dictKeys, types.dictItems] {
            cls.setAttribute("__and__", .obj(PyBuiltin("__and__") { args, _ throws(PyErr) in
                .obj(try self.viewIntersect(try payload(args), args.count > 1 ? args[1] : .none))
            }))
            cls.setAttribute("__rand__", .obj(PyBuiltin("__rand__") { args, _ throws(PyErr) in
                .obj(try self.viewIntersect(try payload(args), args.count > 1 ? args[1] : .none))
            }))
            for (name, reflected, op) in [("__or__", "__ror__", BinaryOpKind.or), ("__sub__", "__rsub__", .sub),
                                          ("__xor__", "__rxor__", .xor)] {
                cls.setAttribute(name, .obj(PyBuiltin(name) { args, _ throws(PyErr) in
                    _ = try payload(args)
                    return .obj(try self.viewSetOperation(op, args[0], args.count > 1 ? args[1] : .none))
                }))
                cls.setAttribute(reflected, .obj(PyBuiltin(reflected) { args, _ throws(PyErr) in
                    _ = try payload(args)
                    return .obj(try self.viewSetOperation(op, args.count > 1 ? args[1] : .none, args[0]))
                }))
            }
        }
    }
}
