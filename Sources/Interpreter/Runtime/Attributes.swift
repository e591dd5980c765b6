// Attribute access: instances (with properties, static and class methods, `__getattr__`),
// classes, modules, and the methods of builtin values.

extension Runtime {
    public func getAttr(_ v: Value, _ name: String) throws(PyErr) -> Value {
        if let r = try getAttrOrNil(v, name) { return r }
        throw attributeMissing(v, name)
    }

    func attributeMissing(_ v: Value, _ name: String) -> PyErr {
        let e: PyErr
        if let m = v.asModule {
            e = attributeError("module '\(m.name)' has no attribute '\(name)'")
        } else if let c = v.asClass {
            e = attributeError("type object '\(c.name)' has no attribute '\(name)'")
        } else {
            e = attributeError("'\(typeName(v))' object has no attribute '\(name)'")
        }
        e.exc.setAttr("name", .str(name))
        e.state.missingName = name
        e.state.attributeOwner = v
        return e
    }

    /// Binds a class attribute found for `receiver` the way Python's descriptors do.
    @inline(__always)
    func bindClassAttribute(_ attr: Value, _ receiver: Value, _ cls: PyClass) throws(PyErr) -> Value {
        guard case .obj(let o) = attr else { return attr }
        switch o.kind {
        case .function:
            return .obj(PyBoundMethod(receiver: receiver, function: attr))
        case .builtin:
            let b = unsafeDowncast(o, to: PyBuiltin.self)
            if b.receiver == nil { return .obj(PyBuiltin(b.name, receiver: receiver, b.fn)) }
            return attr
        case .staticMethod:
            return unsafeDowncast(o, to: PyStaticMethod.self).function
        case .classMethod:
            return .obj(PyBoundMethod(receiver: .obj(cls), function: unsafeDowncast(o, to: PyClassMethod.self).function))
        case .property:
            let p = unsafeDowncast(o, to: PyProperty.self)
            if case .none = p.getter { throw attributeError("property of '\(cls.name)' object has no getter") }
            return try call(p.getter, [receiver])
        default:
            return attr
        }
    }

    public func getAttrOrNil(_ v: Value, _ name: String) throws(PyErr) -> Value? {
        switch v {
        case .obj(let o):
            switch o.kind {
            case .instance:
                let inst = unsafeDowncast(o, to: PyInstance.self)
                let cls = inst.cls
                let clsAttr = cls.lookup(name)
                if let ca = clsAttr, case .obj(let co) = ca, co.kind == .property {
                    // A property that raises AttributeError falls back to __getattr__.
                    guard let ga = cls.lookup(.getattr) else { return try bindClassAttribute(ca, v, cls) }
                    do throws(PyErr) {
                        return try bindClassAttribute(ca, v, cls)
                    } catch {
                        if !matches(error, types.AttributeError) { throw error }
                        return try callMethodValue(ga, v, [.str(name)])
                    }
                }
                if let a = inst.getAttr(name) { return a }
                if let ca = clsAttr { return try bindClassAttribute(ca, v, cls) }
                // The special attributes are dunders, or belong to exceptions: a miss of any other
                // name (`hasattr(o, "x")`) skips their string switches.
                if name.utf8.first == UInt8(ascii: "_") || inst.exception != nil {
                    if let r = try specialInstanceAttribute(inst, name) { return r }
                    if let m = objectMethod(name) { return .obj(PyBuiltin(name, receiver: v, m)) }
                }
                if let ga = cls.lookup(.getattr) {
                    // Its AttributeError (with its own message) is the result.
                    return try callMethodValue(ga, v, [.str(name)])
                }
                return nil
            case .cls:
                let c = unsafeDowncast(o, to: PyClass.self)
                if let a = c.lookup(name) {
                    if case .obj(let ao) = a {
                        switch ao.kind {
                        case .staticMethod: return unsafeDowncast(ao, to: PyStaticMethod.self).function
                        case .classMethod:
                            return .obj(PyBoundMethod(receiver: v, function: unsafeDowncast(ao, to: PyClassMethod.self).function))
                        default: return a
                        }
                    }
                    return a
                }
                if c === types.object, let m = objectMethod(name) { return .obj(PyBuiltin(name, m)) }
                switch name {
                case "__call__": return v
                case "__name__": return .str(c.name)
                case "__qualname__": return .str(c.qualname)
                case "__module__": return .str(c.moduleName)
                case "__base__": return c.base.map { .obj($0) } ?? Value.none
                case "__bases__": return .obj(PyTuple(c.bases.map { .obj($0) }))
                case "__mro__": return .obj(PyTuple(c.mro.map { .obj($0) }))
                case "mro": return .obj(PyBuiltin("mro") { _, _ in .obj(PyList(c.mro.map { .obj($0) })) })
                case "__dict__":
                    let d = PyDict()
                    for k in c.attributeOrder { if let val = c.dict[k] { try d.set(.str(k), val, self) } }
                    return .obj(d)
                case "__doc__": return Value.none
                default: return nil
                }
            case .module:
                let m = unsafeDowncast(o, to: PyModule.self)
                if let r = m.get(name) { return r }
                if name == "__name__" { return .str(m.name) }
                if name == "__file__", !m.filename.isEmpty { return .str(m.filename) }
                if name == "__dict__" {
                    let d = PyDict()
                    for n in m.boundNames { if let val = m.get(n) { try d.set(.str(n), val, self) } }
                    return .obj(d)
                }
                return nil
            case .function:
                let f = unsafeDowncast(o, to: PyFunction.self)
                if let a = f.attributes[name] { return a }
                switch name {
                case "__call__": return v
                case "__name__": return .str(f.name)
                case "__qualname__": return .str(f.qualname)
                case "__module__": return .str(f.code.module.name)
                case "__doc__": return f.code.doc.map { .str($0) } ?? Value.none
                case "__defaults__": return f.defaults.isEmpty ? Value.none : .obj(PyTuple(f.defaults))
                case "__kwdefaults__":
                    if f.kwDefaults.isEmpty { return Value.none }
                    let d = PyDict()
                    for name in f.code.keywordOnlyNames { if let val = f.kwDefaults[name] { try d.set(.str(name), val, self) } }
                    return .obj(d)
                case "__dict__":
                    let d = PyDict()
                    for (k, val) in f.attributes { try d.set(.str(k), val, self) }
                    return .obj(d)
                default: return nil
                }
            case .boundMethod:
                let m = unsafeDowncast(o, to: PyBoundMethod.self)
                switch name {
                case "__call__": return v
                case "__self__": return m.receiver
                case "__func__": return m.function
                default: return try getAttrOrNil(m.function, name)
                }
            case .builtin:
                let b = unsafeDowncast(o, to: PyBuiltin.self)
                switch name {
                case "__call__": return v
                case "__name__", "__qualname__": return .str(b.name)
                case "__self__": return b.receiver ?? Value.none
                default: return nil
                }
            case .superProxy:
                let s = unsafeDowncast(o, to: PySuper.self)
                let cls = typeOf(s.receiver)
                let mro = (s.receiver.asClass ?? cls).mro
                guard let start = mro.firstIndex(where: { $0 === s.startAfter }) else { return nil }
                for c in mro[(start + 1)...] {
                    if let a = c.dict[name] {
                        if let rc = s.receiver.asClass {
                            if case .obj(let ao) = a, ao.kind == .classMethod {
                                return .obj(PyBoundMethod(receiver: .obj(rc), function: unsafeDowncast(ao, to: PyClassMethod.self).function))
                            }
                            return a
                        }
                        return try bindClassAttribute(a, s.receiver, cls)
                    }
                }
                if let m = objectMethod(name) { return .obj(PyBuiltin(name, receiver: s.receiver, m)) }
                return nil
            case .property:
                let p = unsafeDowncast(o, to: PyProperty.self)
                switch name {
                case "fget": return p.getter
                case "fset": return p.setter
                case "setter", "getter", "deleter":
                    return .obj(PyBuiltin(name) { args, _ throws(PyErr) in
                        guard let f = args.first else { throw self.typeError("\(name)() takes exactly one argument") }
                        let np = PyProperty(getter: p.getter, setter: p.setter, deleter: p.deleter)
                        switch name {
                        case "setter": np.setter = f
                        case "getter": np.getter = f
                        default: np.deleter = f
                        }
                        return .obj(np)
                    })
                default: return nil
                }
            default:
                break
            }
        default:
            break
        }
        // Builtin values: methods from the type, plus a few data attributes.
        let cls = typeOf(v)
        if let a = cls.lookup(name) { return try bindClassAttribute(a, v, cls) }
        if case .obj(let o) = v, o.kind == .native, let ga = cls.lookup(.getattr) {
            // Host objects (e.g. `st.session_state`) may answer any attribute.
            return try callMethodValue(ga, v, [.str(name)])
        }
        switch (name, v) {
        case ("__class__", _): return .obj(cls)
        case ("real", .int), ("real", .float), ("numerator", .int): return v
        case ("real", .bool(let b)), ("numerator", .bool(let b)): return .int(b ? 1 : 0)
        case ("imag", .int), ("imag", .bool): return .int(0)
        case ("imag", .float): return .float(0)
        case ("denominator", .int), ("denominator", .bool): return .int(1)
        default: break
        }
        if v.asBigInt != nil {
            switch name {
            case "real", "numerator": return v
            case "imag": return .int(0)
            case "denominator": return .int(1)
            default: break
            }
        }
        if case .obj(let o) = v, o.kind == .range {
            let r = unsafeDowncast(o, to: PyRange.self)
            switch name {
            case "start": return .int(r.start)
            case "stop": return .int(r.stop)
            case "step": return .int(r.step)
            default: break
            }
        }
        if case .obj(let o) = v, o.kind == .slice {
            let s = unsafeDowncast(o, to: PySlice.self)
            switch name {
            case "start": return s.start
            case "stop": return s.stop
            case "step": return s.step
            case "indices":
                return .obj(PyBuiltin("indices") { args, _ throws(PyErr) in
                    guard args.count == 1 else { throw self.typeError("slice.indices() takes exactly one argument (\(args.count) given)") }
                    let n = try self.indexValue(args[0], "'\(self.typeName(args[0]))' object cannot be interpreted as an integer")
                    if n < 0 { throw self.valueError("length should not be negative") }
                    let (start, stop, step, _) = try self.sliceIndices(s, n)
                    return .obj(PyTuple([.int(start), .int(stop), .int(step)]))
                })
            default: break
            }
        }
        return nil
    }

    func specialInstanceAttribute(_ inst: PyInstance, _ name: String) throws(PyErr) -> Value? {
        switch name {
        case "__class__": return .obj(inst.cls)
        case "__dict__":
            return .obj(inst.attributeDict())
        default: break
        }
        if let e = inst.exception {
            switch name {
            case "args": return .obj(PyTuple(e.args))
            case "__cause__": return e.cause
            case "__context__": return e.context
            case "__suppress_context__": return .bool(e.suppressContext)
            case "__traceback__": return Value.none
            case "value" where inst.cls.isSubclass(of: types.StopIteration): return e.args.first ?? Value.none
            case "code" where inst.cls.isSubclass(of: types.SystemExit):
                return e.args.count > 1 ? .obj(PyTuple(e.args)) : e.args.first ?? Value.none
            case "name" where inst.cls.isSubclass(of: types.NameError) || inst.cls.isSubclass(of: types.AttributeError):
                return Value.none
            default: break
            }
        }
        return nil
    }

    public func setAttr(_ v: Value, _ name: String, _ value: Value) throws(PyErr) {
        if case .obj(let o) = v {
            switch o.kind {
            case .instance:
                let inst = unsafeDowncast(o, to: PyInstance.self)
                if let ca = inst.cls.lookup(name), case .obj(let co) = ca, co.kind == .property {
                    let p = unsafeDowncast(co, to: PyProperty.self)
                    if case .none = p.setter { throw attributeError("property '\(name)' of '\(inst.cls.name)' object has no setter") }
                    _ = try call(p.setter, [v, value])
                    return
                }
                if let sa = inst.cls.lookup(.setattr), !inst.cls.isBuiltin {
                    _ = try callMethodValue(sa, v, [.str(name), value])
                    return
                }
                if name == "__class__" {
                    guard let c = value.asClass else {
                        throw typeError("__class__ must be set to a class, not '\(typeName(value))' object")
                    }
                    if c.isBuiltin || inst.cls.isBuiltin {
                        throw typeError("__class__ assignment only supported for mutable types or ModuleType subclasses")
                    }
                    if c.isException != inst.cls.isException || c.storageKind != inst.cls.storageKind {
                        throw typeError("__class__ assignment: '\(c.name)' object layout differs from '\(inst.cls.name)'")
                    }
                    inst.changeClass(to: c)
                    return
                }
                if name == "__dict__" {
                    guard let d = value.asDict else {
                        throw typeError("__dict__ must be set to a dictionary, not a '\(typeName(value))'")
                    }
                    inst.replaceAttributeDict(d)
                    return
                }
                if let e = inst.exception {
                    switch name {
                    case "args": e.args = try collect(value); return
                    case "__cause__": e.cause = value; e.suppressContext = true; return
                    case "__context__": e.context = value; return
                    default: break
                    }
                }
                inst.setAttr(name, value)
                return
            case .cls:
                let c = unsafeDowncast(o, to: PyClass.self)
                if c.isBuiltin { throw typeError("cannot set '\(name)' attribute of immutable type '\(c.name)'") }
                c.setAttribute(name, value)
                return
            case .module:
                unsafeDowncast(o, to: PyModule.self).set(name, value)
                return
            case .function:
                let f = unsafeDowncast(o, to: PyFunction.self)
                switch name {
                case "__name__": if let s = value.asStr { f.name = s.value; return }
                case "__qualname__": if let s = value.asStr { f.qualname = s.value; return }
                case "__defaults__":
                    if value.isNone { f.defaults = []; return }
                    guard let t = value.asTuple else { throw typeError("__defaults__ must be set to a tuple object") }
                    f.defaults = t.items
                    return
                case "__kwdefaults__":
                    if value.isNone { f.kwDefaults = [:]; return }
                    guard let d = value.asDict else { throw typeError("__kwdefaults__ must be set to a dict object") }
                    var kw: [String: Value] = [:]
                    for (k, val) in d.items { if let ks = k.asStr { kw[ks.value] = val } }
                    f.kwDefaults = kw
                    return
                default: f.attributes[name] = value; return
                }
            case .native:
                if let sa = typeOf(v).lookup(.setattr) {
                    _ = try callMethodValue(sa, v, [.str(name), value])
                    return
                }
            default: break
            }
        }
        if typeOf(v).lookup(name) != nil {
            throw attributeError("'\(typeName(v))' object attribute '\(name)' is read-only")
        }
        // Data attributes of builtin values (`(5).real`) exist but cannot be set.
        if !(v.asInstance != nil), (try? getAttrOrNil(v, name)) != nil {
            throw attributeError("attribute '\(name)' of '\(typeName(v))' objects is not writable")
        }
        throw attributeError("'\(typeName(v))' object has no attribute '\(name)'")
    }

    public func delAttr(_ v: Value, _ name: String) throws(PyErr) {
        if case .obj(let o) = v {
            switch o.kind {
            case .instance:
                let inst = unsafeDowncast(o, to: PyInstance.self)
                if let ca = inst.cls.lookup(name), case .obj(let co) = ca, co.kind == .property {
                    let p = unsafeDowncast(co, to: PyProperty.self)
                    if case .none = p.deleter { throw attributeError("property '\(name)' of '\(inst.cls.name)' object has no deleter") }
                    _ = try call(p.deleter, [v])
                    return
                }
                if inst.removeAttr(name) { return }
                throw attributeError("'\(inst.cls.name)' object has no attribute '\(name)'")
            case .cls:
                let c = unsafeDowncast(o, to: PyClass.self)
                if !c.isBuiltin, c.removeAttribute(name) { return }
                throw attributeError("type object '\(c.name)' has no attribute '\(name)'")
            case .module:
                let m = unsafeDowncast(o, to: PyModule.self)
                if m.get(name) != nil { m.set(name, .undef); return }
            case .function:
                let f = unsafeDowncast(o, to: PyFunction.self)
                if f.attributes.removeValue(forKey: name) != nil { return }
            case .native:
                if let da = typeOf(v).lookup("__delattr__") {
                    _ = try callMethodValue(da, v, [.str(name)])
                    return
                }
            default: break
            }
        }
        throw attributeMissing(v, name)
    }
}

extension Runtime {
    /// The methods every object inherits from `object`, for `super().__init__(...)`,
    /// `super().__str__()`, `object.__setattr__(self, ...)` and explicit `obj.__repr__()`.
    /// They are not in `object`'s class dict, so that "does this class define __eq__?" checks
    /// stay cheap and exact.
    func objectMethod(_ name: String) -> NativeFunction? {
        switch name {
        case "__init__":
            return { _, _ in .none }
        case "__str__":
            return { args, _ throws(PyErr) in
                guard let v = args.first else { throw self.typeError("descriptor '__str__' of 'object' object needs an argument") }
                if let inst = v.asInstance, let e = inst.exception, self.typeOf(v).lookup(.repr) == nil {
                    return .str(try self.exceptionStr(inst, e))
                }
                return .str(try self.repr(v))
            }
        case "__repr__":
            return { args, _ throws(PyErr) in
                guard let v = args.first, case .obj(let o) = v else { throw self.typeError("descriptor '__repr__' of 'object' object needs an argument") }
                let cls = self.typeOf(v)
                let prefix = cls.moduleName == "builtins" ? cls.qualname : cls.moduleName + "." + cls.qualname
                return .str("<\(prefix) object at \(self.addressString(o))>")
            }
        case "__eq__":
            return { args, _ in args.count == 2 && args[0].isIdentical(args[1]) ? .bool(true) : .obj(self.notImplementedObject) }
        case "__ne__":
            return { args, _ throws(PyErr) in
                guard args.count == 2 else { return .obj(self.notImplementedObject) }
                return .bool(!(try self.equal(args[0], args[1])))
            }
        case "__hash__":
            return { args, _ in
                if case .obj(let o)? = args.first { return .int(self.identityHash(o)) }
                return .int(0)
            }
        case "__setattr__":
            return { args, _ throws(PyErr) in
                guard args.count == 3, let inst = args[0].asInstance, let n = args[1].asStr else {
                    throw self.typeError("expected 2 arguments, got \(max(0, args.count - 1))")
                }
                inst.setAttr(n.value, args[2])
                return .none
            }
        case "__getattribute__":
            return { args, _ throws(PyErr) in
                guard args.count == 2, let n = args[1].asStr else { throw self.typeError("expected 1 argument") }
                if let inst = args[0].asInstance, let a = inst.getAttr(n.value) { return a }
                return try self.getAttr(args[0], n.value)
            }
        case "__delattr__":
            return { args, _ throws(PyErr) in
                guard args.count == 2, let inst = args[0].asInstance, let n = args[1].asStr else { throw self.typeError("expected 1 argument") }
                if !inst.removeAttr(n.value) { throw self.attributeError("'\(inst.cls.name)' object has no attribute '\(n.value)'") }
                return .none
            }
        case "__format__":
            return { args, _ throws(PyErr) in
                guard args.count == 2 else { throw self.typeError("expected 1 argument") }
                if let s = args[1].asStr, !s.value.isEmpty {
                    throw self.typeError("unsupported format string passed to \(self.typeName(args[0])).__format__")
                }
                return .str(try self.str(args[0]))
            }
        case "__lt__", "__le__", "__gt__", "__ge__":
            return { _, _ in .obj(self.notImplementedObject) }
        case "__init_subclass__":
            return { _, _ in .none }
        default:
            return nil
        }
    }
}
