// Subclasses of `list` and `dict` (`class Stack(list)`, `class Registry(dict)`). An instance
// is a PyInstance that holds a list or dict (`PyInstance.builtinStorage`). Everything generic
// (len(), iteration, `x[i]`, `in`, repr, comparisons, method calls) treats it as an instance
// and goes through its class, whose MRO ends in the builtin type: the type's methods then
// find the storage in place of the instance, as CPython's find the list inside a subclass's
// object. A subclass's own methods come first in the MRO, so overriding works as in CPython.

extension Runtime {
    /// The list or dict behind `v`, when `v` is an instance of a subclass of the builtin type
    /// whose objects have this `kind`.
    @inline(__always)
    func builtinStorage(_ v: Value, _ kind: ObjKind) -> PyObject? {
        guard case .obj(let o) = v, o.kind == .instance,
              let s = unsafeDowncast(o, to: PyInstance.self).builtinStorage, s.kind == kind else { return nil }
        return s
    }

    /// The storage of a list or dict subclass's instance whose class does not override `d`
    /// (the builtin type's own method would run): generic operations use it directly, as for
    /// a plain list or dict, instead of calling that method through an argument array.
    @inline(__always)
    func unoverriddenStorage(_ o: PyObject, _ d: Dunder) -> PyObject? {
        guard o.kind == .instance else { return nil }
        let inst = unsafeDowncast(o, to: PyInstance.self)
        guard let s = inst.builtinStorage else { return nil }
        let c = inst.cls
        if c.storageOverridesEpoch != classEpoch { findStorageOverrides(c, s.kind) }
        return d.rawValue < 64 && c.storageOverrides & (1 << UInt64(d.rawValue)) == 0 ? s : nil
    }

    /// `list` or `dict`: the builtin type whose objects have this storage kind.
    func storageType(_ kind: ObjKind) -> PyClass {
        kind == .list ? types.list : types.dict
    }

    @inline(never)
    private func findStorageOverrides(_ c: PyClass, _ kind: ObjKind) {
        let type = storageType(kind)
        var bits: UInt64 = 0
        for d in Dunder.allCases where d.rawValue < 64 {
            switch (c.lookup(d), type.lookup(d)) {
            case (nil, nil): continue  // (neither has it: `__bool__`)
            case (.obj(let m)?, .obj(let t)?) where m === t: continue
            default: bits |= 1 << UInt64(d.rawValue)
            }
        }
        c.storageOverrides = bits
        c.storageOverridesEpoch = classEpoch
    }

    /// Whether `f` is the `__init__` of `list` or `dict` (as `kind` says).
    func isStorageInitializer(_ f: Value, _ kind: ObjKind) -> Bool {
        guard case .obj(let o) = f, case .obj(let i)? = storageType(kind).lookup(.initializer) else { return false }
        return i === o
    }

    /// Operators whose other operand is unwrapped too (`[1] + stack`, `d == registry`);
    /// ordinary arguments are left alone (`lst.append(stack)` appends the instance).
    private static let operandUnwrapping: Set<String> = [
        "__add__", "__mul__", "__rmul__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__",
        "__or__", "__ror__",
    ]

    /// Gives `list` and `dict` the methods a subclass reaches through its MRO, and makes
    /// every method of theirs work on a subclass's instance (run after all are installed).
    func installBuiltinSubclassSupport() {
        installContainerProtocolMethods()
        for (cls, kind) in [(types.list, ObjKind.list), (types.dict, ObjKind.dict)] {
            for name in cls.attributeOrder {
                guard case .obj(let o)? = cls.dict[name], o.kind == .builtin else { continue }
                let b = unsafeDowncast(o, to: PyBuiltin.self)
                guard b.receiver == nil else { continue }
                let fn = b.fn
                let operand = Runtime.operandUnwrapping.contains(name)
                cls.setAttribute(name, .obj(PyBuiltin(name) { args, kwargs throws(PyErr) in
                    guard let first = args.first, case .obj(let fo) = first, fo.kind == .instance else {
                        if operand, args.count > 1, let s = self.builtinStorage(args[1], kind) {
                            var a = args
                            a[1] = .obj(s)
                            return try fn(a, kwargs)
                        }
                        return try fn(args, kwargs)
                    }
                    var a = args
                    if let s = self.builtinStorage(first, kind) { a[0] = .obj(s) }
                    if operand, a.count > 1, let s = self.builtinStorage(a[1], kind) { a[1] = .obj(s) }
                    return try fn(a, kwargs)
                }))
            }
        }
        installReceiverKeepingMethods()
    }

    /// The protocol methods CPython's list and dict have and stlang's did not need (their
    /// operations are done inline for plain lists and dicts).
    private func installContainerProtocolMethods() {
        func arity(_ args: [Value], _ n: Int) throws(PyErr) {
            guard args.count == n + 1 else {
                throw typeError("expected \(n) argument\(n == 1 ? "" : "s"), got \(max(0, args.count - 1))")
            }
        }
        let reversedBuiltin = builtins["reversed"] ?? .none
        for cls in [types.list, types.dict] {
            let isList = cls === types.list
            let typeName = cls.name
            cls.setAttribute("__iter__", .obj(PyBuiltin("__iter__") { args, _ throws(PyErr) in
                try arity(args, 0)
                return try self.iterator(of: args[0])
            }))
            cls.setAttribute("__setitem__", .obj(PyBuiltin("__setitem__") { args, _ throws(PyErr) in
                try arity(args, 2)
                try self.setItem(args[0], args[1], args[2])
                return .none
            }))
            cls.setAttribute("__delitem__", .obj(PyBuiltin("__delitem__") { args, _ throws(PyErr) in
                try arity(args, 1)
                try self.delItem(args[0], args[1])
                return .none
            }))
            cls.setAttribute("__reversed__", .obj(PyBuiltin("__reversed__") { args, _ throws(PyErr) in
                try arity(args, 0)
                return try self.call(reversedBuiltin, [args[0]])
            }))
            cls.setAttribute("__init__", .obj(PyBuiltin("__init__") { args, kwargs throws(PyErr) in
                guard let me = args.first else { throw self.typeError("descriptor '__init__' of '\(typeName)' object needs an argument") }
                if args.count > 2 { throw self.typeError("\(typeName) expected at most 1 argument, got \(args.count - 1)") }
                if isList {
                    guard let l = me.asList else { throw self.typeError("descriptor '__init__' requires a 'list' object") }
                    if !kwargs.isEmpty { throw self.typeError("list() takes no keyword arguments") }
                    let items = args.count > 1 ? try self.collect(args[1]) : []
                    l.items = items
                } else {
                    guard let d = me.asDict else { throw self.typeError("descriptor '__init__' requires a 'dict' object") }
                    if args.count > 1 { try self.dictUpdate(d, args[1]) }
                    for (k, v) in kwargs { try d.set(.str(k), v, self) }
                }
                return .none
            }))
            // Unhashable, also for subclasses (which would otherwise find object's hash).
            cls.setAttribute("__hash__", .none)
        }
        for (name, kind) in [("__eq__", CompareKind.eq), ("__ne__", .ne)] {
            types.dict.setAttribute(name, .obj(PyBuiltin(name) { args, _ throws(PyErr) in
                try arity(args, 1)
                guard args[1].asDict != nil else { return .obj(self.notImplementedObject) }
                return try self.richCompare(args[0], args[1], kind)
            }))
        }
    }

    /// Methods that need the receiver itself rather than its storage: in-place operators
    /// return it (`stack += [1]` keeps a Stack), `__str__` goes through the receiver's own
    /// `__repr__`, and `dict.__getitem__` calls a subclass's `__missing__`.
    private func installReceiverKeepingMethods() {
        // (`slot`: CPython's wording for an operator slot; dict.__getitem__ is a plain method.)
        func storage<T: PyObject>(_ v: Value, _ kind: ObjKind, _ type: T.Type, _ name: String,
                                  slot: Bool = true) throws(PyErr) -> T {
            if case .obj(let o) = v, o.kind == kind { return unsafeDowncast(o, to: T.self) }
            if let s = builtinStorage(v, kind) { return unsafeDowncast(s, to: T.self) }
            throw descriptorMisuse(name, storageType(kind).name, v, slot: slot)
        }
        func expectOne(_ args: [Value]) throws(PyErr) {
            guard args.count == 2 else { throw typeError("expected 1 argument, got \(max(0, args.count - 1))") }
        }
        types.list.setAttribute("__iadd__", .obj(PyBuiltin("__iadd__") { args, _ throws(PyErr) in
            try expectOne(args)
            let l = try storage(args[0], .list, PyList.self, "__iadd__")
            let more = try self.collect(args[1])
            try self.checkItemCount(l.items.count + more.count)
            l.items.append(contentsOf: more)
            return args[0]
        }))
        types.list.setAttribute("__imul__", .obj(PyBuiltin("__imul__") { args, _ throws(PyErr) in
            try expectOne(args)
            let l = try storage(args[0], .list, PyList.self, "__imul__")
            guard case .obj = args[1] else {
                let n = try self.indexValue(args[1], "can't multiply sequence by non-int of type '\(self.typeName(args[1]))'")
                let once = l.items
                if n <= 0 { l.items = [] } else {
                    try self.checkItemCount(once.count * n)
                    for _ in 1..<n { l.items.append(contentsOf: once) }
                }
                return args[0]
            }
            throw self.typeError("can't multiply sequence by non-int of type '\(self.typeName(args[1]))'")
        }))
        types.dict.setAttribute("__ior__", .obj(PyBuiltin("__ior__") { args, _ throws(PyErr) in
            try expectOne(args)
            let d = try storage(args[0], .dict, PyDict.self, "__ior__")
            try self.dictUpdate(d, args[1])
            return args[0]
        }))
        types.dict.setAttribute("__getitem__", .obj(PyBuiltin("__getitem__") { args, _ throws(PyErr) in
            try expectOne(args)
            let d = try storage(args[0], .dict, PyDict.self, "__getitem__", slot: false)
            if let v = try d.get(args[1], self) { return v }
            if let inst = args[0].asInstance, let missing = inst.cls.lookup("__missing__") {
                return try self.callMethodValue(missing, args[0], [args[1]], [])
            }
            throw self.keyError(args[1])
        }))
        for cls in [types.list, types.dict] {
            cls.setAttribute("__str__", .obj(PyBuiltin("__str__") { args, _ throws(PyErr) in
                guard args.count == 1 else { throw self.typeError("expected 0 arguments, got \(max(0, args.count - 1))") }
                return .str(try self.repr(args[0]))
            }))
        }
    }
}
