// Calling things: functions (binding arguments into a fresh frame), builtins, bound methods,
// classes (instantiation) and callable instances.

extension Runtime {
    public func call(_ callee: Value, _ args: [Value], _ kwargs: KwArgs = []) throws(PyErr) -> Value {
        guard case .obj(let o) = callee else {
            throw typeError("'\(typeName(callee))' object is not callable")
        }
        switch o.kind {
        case .function:
            return try callFunction(unsafeDowncast(o, to: PyFunction.self), args, kwargs)
        case .builtin:
            let b = unsafeDowncast(o, to: PyBuiltin.self)
            if let r = b.receiver { return try b.fn(prepending(r, args), kwargs) }
            return try b.fn(args, kwargs)
        case .boundMethod:
            let m = unsafeDowncast(o, to: PyBoundMethod.self)
            if let f = m.function.asFunction { return try callFunction(f, prepending(m.receiver, args), kwargs) }
            return try call(m.function, prepending(m.receiver, args), kwargs)
        case .cls:
            return try instantiate(unsafeDowncast(o, to: PyClass.self), args, kwargs)
        case .native:
            if let direct = unsafeDowncast(o, to: PyNative.self).directCall { return try direct(args, kwargs) }
            if let f = typeOf(callee).lookup(.call) {
                return try callMethodValue(f, callee, args, kwargs)
            }
        case .instance:
            if let f = typeOf(callee).lookup(.call) {
                return try callMethodValue(f, callee, args, kwargs)
            }
        case .staticMethod:
            return try call(unsafeDowncast(o, to: PyStaticMethod.self).function, args, kwargs)
        default:
            break
        }
        throw typeError("'\(typeName(callee))' object is not callable")
    }

    /// Runs `f` in a new frame whose arguments `fill` writes (after the caller checked that `f`
    /// takes exactly those plain positional parameters).
    @inline(__always)
    func runInNewFrame(_ f: PyFunction, _ fill: (Frame) throws(PyErr) -> Void) throws(PyErr) -> Value {
        let n = f.code.slotCount
        let nfp = try pushFrame(n)
        defer { popFrame(nfp, n) }
        try fill(nfp)
        return try runFunctionBody(f, nfp)
    }

    /// `f(x)` for builtins that call back into user code once per item (sort keys, map,
    /// filter, min/max keys): no argument array for simple Python functions.
    public func callOne(_ callee: Value, _ arg: Value) throws(PyErr) -> Value {
        if case .obj(let o) = callee, o.kind == .function {
            let f = unsafeDowncast(o, to: PyFunction.self)
            if f.code.simpleArgCount == 1 {
                return try runInNewFrame(f) { fp in fp[0] = arg }
            }
        }
        return try call(callee, [arg])
    }

    /// Calls a class attribute (as found by `lookup`) as a method of `receiver`.
    @inline(__always)
    public func callMethodValue(_ method: Value, _ receiver: Value, _ args: [Value], _ kwargs: KwArgs = []) throws(PyErr) -> Value {
        if case .obj(let o) = method {
            switch o.kind {
            case .function:
                return try callFunction(unsafeDowncast(o, to: PyFunction.self), prepending(receiver, args), kwargs)
            case .builtin:
                let b = unsafeDowncast(o, to: PyBuiltin.self)
                if b.receiver == nil { return try b.fn(prepending(receiver, args), kwargs) }
            default:
                break
            }
        }
        let bound = try bindClassAttribute(method, receiver, typeOf(receiver))
        return try call(bound, args, kwargs)
    }

    /// `callMethodValue(method, receiver, [])` without the argument arrays for a plain Python
    /// function (special methods: `__len__`, `__neg__`, ...).
    @inline(__always)
    public func callMethod0(_ method: Value, _ receiver: Value) throws(PyErr) -> Value {
        if case .obj(let o) = method, o.kind == .function {
            let f = unsafeDowncast(o, to: PyFunction.self)
            if f.code.simpleArgCount == 1 {
                return try runInNewFrame(f) { fp in fp[0] = receiver }
            }
        }
        return try callMethodValue(method, receiver, [])
    }

    /// `callMethodValue(method, receiver, [arg])` without the argument arrays for a plain
    /// Python function (`__add__`, `__eq__`, `__getitem__`, ...).
    @inline(__always)
    public func callMethod1(_ method: Value, _ receiver: Value, _ arg: Value) throws(PyErr) -> Value {
        if case .obj(let o) = method, o.kind == .function {
            let f = unsafeDowncast(o, to: PyFunction.self)
            if f.code.simpleArgCount == 2 {
                return try runInNewFrame(f) { fp in
                    fp[0] = receiver
                    fp[1] = arg
                }
            }
        }
        return try callMethodValue(method, receiver, [arg])
    }

    /// `callMethodValue(method, receiver, [a, b, c])` without the argument arrays for a plain
    /// Python function (`__exit__`).
    public func callMethod3(_ method: Value, _ receiver: Value, _ a: Value, _ b: Value, _ c: Value) throws(PyErr) -> Value {
        if case .obj(let o) = method, o.kind == .function {
            let f = unsafeDowncast(o, to: PyFunction.self)
            if f.code.simpleArgCount == 4 {
                return try runInNewFrame(f) { fp in
                    fp[0] = receiver
                    fp[1] = a
                    fp[2] = b
                    fp[3] = c
                }
            }
        }
        return try callMethodValue(method, receiver, [a, b, c])
    }

    /// `obj.name(args)` without creating a bound method object when avoidable.
    public func callMethod(_ obj: Value, _ name: String, _ args: [Value], _ kwargs: KwArgs = []) throws(PyErr) -> Value {
        if case .obj(let o) = obj {
            switch o.kind {
            case .instance:
                let inst = unsafeDowncast(o, to: PyInstance.self)
                if inst.getAttr(name) == nil, let m = inst.cls.lookup(name), let f = m.asFunction {
                    return try callFunction(f, prepending(obj, args), kwargs)
                }
            case .module, .cls:
                return try call(getAttr(obj, name), args, kwargs)
            default:
                if let m = typeOf(obj).lookup(name), case .obj(let mo) = m, mo.kind == .builtin {
                    let b = unsafeDowncast(mo, to: PyBuiltin.self)
                    if b.receiver == nil { return try b.fn(prepending(obj, args), kwargs) }
                }
            }
        }
        return try call(getAttr(obj, name), args, kwargs)
    }

    // MARK: - Functions

    public func callFunction(_ f: PyFunction, _ args: [Value], _ kwargs: KwArgs) throws(PyErr) -> Value {
        let code = f.code
        let fp = try pushFrame(code.slotCount)
        defer { popFrame(fp, code.slotCount) }
        if code.simpleArgCount == args.count && kwargs.isEmpty {
            for i in 0..<args.count { fp[i] = args[i] }
        } else {
            try bindArguments(f, fp, args, kwargs)
        }
        return try runFunctionBody(f, fp)
    }

    /// Runs a function whose arguments are already in its frame.
    @inline(__always)
    func runFunctionBody(_ f: PyFunction, _ fp: Frame) throws(PyErr) -> Value {
        if f.code.needsSetup, let generator = setUpFrame(f, fp) { return generator }
        return try runCode(f.code, fp)
    }

    /// Out of line so that `code` is a guaranteed (borrowed) parameter: calling its body
    /// closures, `let` properties, then needs no retain and release of their contexts, which
    /// an inlined copy paid on every call (~25 instructions).
    @inline(never)
    func runCode(_ code: CodeObject, _ fp: Frame) throws(PyErr) -> Value {
        depth += 1
        defer { depth -= 1 }
        if depth > recursionLimit { throw recursionError() }
        if interruptRequested != 0 { try serviceInterrupt() }
        if code.hasValueBody {
            do throws(PyErr) {
                return try code.valueBody(fp)
            } catch {
                if code.valueBodyLine != 0 { Compiler.mark(error, code.valueBodyLine) }
                recordTraceback(error, code.filename, code.name)
                throw error
            }
        }
        do throws(PyErr) {
            _ = try code.body(fp)
        } catch {
            recordTraceback(error, code.filename, code.name)
            throw error
        }
        // Move the value out of the return slot (no reference counting), leave it empty.
        let slot = fp + code.returnSlot
        let r = slot.move()
        slot.initialize(to: .undef)
        if case .undef = r { return .none }
        return r
    }

    /// Cells and free variables into a new frame; for a generator function, the generator
    /// (the body does not run yet). Out of line: every inlined call path stays small.
    @inline(never)
    func setUpFrame(_ f: PyFunction, _ fp: Frame) -> Value? {
        let code = f.code
        for s in code.cellSlots { fp[s] = .obj(PyCell(fp[s])) }
        for (i, s) in code.freeSlots.enumerated() { fp[s] = .obj(f.closure[i]) }
        if code.isGenerator { return makeGenerator(f, fp) }
        return nil
    }

    @inline(never)
    func recursionError() -> PyErr {
        raise(types.RecursionError, "maximum recursion depth exceeded")
    }

    /// Adds the frame being left to an exception's traceback; `pendingLine` is the line it was
    /// at (-1: already recorded, after a bare `raise`).
    func recordTraceback(_ error: PyErr, _ filename: String, _ name: String) {
        let st = error.state
        if st.pendingLine >= 0 {
            st.appendTraceback(TracebackEntry(filename: filename, line: st.pendingLine, function: name))
        }
        st.pendingLine = 0
    }

    func bindArguments(_ f: PyFunction, _ fp: Frame, _ args: [Value], _ kwargs: KwArgs) throws(PyErr) {
        let code = f.code
        let npos = code.positionalNames.count
        let fname = f.qualname
        if args.count > npos {
            if let vs = code.varargsSlot {
                fp[vs] = .obj(PyTuple(Array(args[npos...])))
            } else {
                let ndef = f.defaults.count
                let kwGiven = kwargs.filter { code.keywordOnlyNames.contains($0.0) }.count
                let takes: String
                if ndef > 0 {
                    takes = "from \(npos - ndef) to \(npos) positional arguments"
                } else {
                    takes = "\(npos) positional argument\(npos == 1 ? "" : "s")"
                }
                var given = "\(args.count) \(args.count == 1 ? "was" : "were") given"
                if kwGiven > 0 {
                    given = "\(args.count) positional argument\(args.count == 1 ? "" : "s") (and \(kwGiven) keyword-only argument\(kwGiven == 1 ? "" : "s")) were given"
                }
                throw typeError("\(fname)() takes \(takes) but \(given)")
            }
        } else if let vs = code.varargsSlot {
            fp[vs] = .emptyTuple
        }
        for i in 0..<min(args.count, npos) { fp[i] = args[i] }
        var extra: PyDict?
        if let ks = code.kwargsSlot {
            let d = PyDict()
            extra = d
            fp[ks] = .obj(d)
        }
        var posOnlyAsKeyword: [String] = []
        for (k, v) in kwargs {
            if let slot = code.keywordSlot(k) {
                if case .undef = fp[slot] {
                    fp[slot] = v
                } else {
                    throw typeError("\(fname)() got multiple values for argument '\(k)'")
                }
            } else if let d = extra {
                try d.set(.str(k), v, self)
            } else if let i = code.positionalNames.firstIndex(of: k), i < code.positionalOnlyCount {
                posOnlyAsKeyword.append(k)
            } else {
                throw typeError("\(fname)() got an unexpected keyword argument '\(k)'")
            }
        }
        if !posOnlyAsKeyword.isEmpty {
            throw typeError("\(fname)() got some positional-only arguments passed as keyword arguments: '\(posOnlyAsKeyword.joined(separator: ", "))'")
        }
        // Defaults and missing arguments.
        let firstDefault = npos - f.defaults.count
        var missing: [String] = []
        for i in 0..<npos {
            if case .undef = fp[i] {
                if i >= firstDefault { fp[i] = f.defaults[i - firstDefault] }
                else { missing.append(code.positionalNames[i]) }
            }
        }
        if !missing.isEmpty {
            throw typeError("\(fname)() missing \(missing.count) required positional argument\(missing.count == 1 ? "" : "s"): \(nameList(missing))")
        }
        let kwBase = npos + (code.varargsSlot != nil ? 1 : 0)
        for (j, name) in code.keywordOnlyNames.enumerated() {
            if case .undef = fp[kwBase + j] {
                if let d = f.kwDefaults[name] { fp[kwBase + j] = d } else { missing.append(name) }
            }
        }
        if !missing.isEmpty {
            throw typeError("\(fname)() missing \(missing.count) required keyword-only argument\(missing.count == 1 ? "" : "s"): \(nameList(missing))")
        }
    }

    func nameList(_ names: [String]) -> String {
        let q = names.map { "'\($0)'" }
        switch q.count {
        case 1: return q[0]
        case 2: return q[0] + " and " + q[1]
        default: return q.dropLast().joined(separator: ", ") + ", and " + (q.last ?? "")
        }
    }

    // MARK: - Classes

    /// `C(args)` for a plain class whose `__init__` is a Python function taking `argc`
    /// positional arguments: `fill` writes them into the `__init__` frame from slot 1, with
    /// no argument arrays. nil: not such a class (nothing was evaluated).
    @inline(__always)
    func instantiateDirect(_ cls: PyClass, _ argc: Int, _ fill: (Frame) throws(PyErr) -> Void) throws(PyErr) -> Value? {
        guard let f = plainInitializer(cls) else { return nil }
        let full = f.code.simpleArgCount == argc + 1
        guard full || f.defaultsComplete(given: argc + 1) else { return nil }
        let inst = PyInstance(cls: cls)
        let v = Value.obj(inst)
        let n = f.code.slotCount
        let nfp = try pushFrame(n)
        defer { popFrame(nfp, n) }
        nfp.initialize(to: v)  // (over `.undef`: nothing to release)
        try fill(nfp)
        // An exception's args are all the constructor's arguments (its __init__ may reset them).
        if let e = inst.exception { e.args = Array(UnsafeBufferPointer(start: nfp + 1, count: argc)) }
        if !full { f.fillDefaults(nfp, given: argc + 1) }
        let r = try runFunctionBody(f, nfp)
        if !r.isNone { throw typeError("__init__() should return None, not '\(typeName(r))'") }
        return v
    }

    /// `cls(a0)` or `cls(a0, a1)` (`argc` says which; `a1` is ignored for one) when `f` is
    /// `plainInitializer(cls)` and takes exactly those: the arguments, already evaluated, are
    /// moved into the `__init__` frame.
    @inline(__always)
    func construct(_ cls: PyClass, _ f: PyFunction, _ argc: Int, _ a0: consuming Value,
                   _ a1: consuming Value) throws(PyErr) -> Value {
        let inst = PyInstance(cls: cls)
        let v = Value.obj(inst)
        let n = f.code.slotCount
        let nfp = try pushFrame(n, filled: argc + 1)
        defer { popFrame(nfp, n) }
        nfp.initialize(to: v)
        (nfp + 1).initialize(to: a0)
        if argc == 2 { (nfp + 2).initialize(to: a1) }
        // An exception's args are all the constructor's arguments (its __init__ may reset them).
        if let e = inst.exception { e.args = Array(UnsafeBufferPointer(start: nfp + 1, count: argc)) }
        let r = try runFunctionBody(f, nfp)
        if !r.isNone { throw typeError("__init__() should return None, not '\(typeName(r))'") }
        return v
    }

    /// The `__init__` of a class that instantiation can call directly: a Python function, and
    /// no constructor or `__new__` of the class's own. nil otherwise.
    @inline(__always)
    func plainInitializer(_ cls: PyClass) -> PyFunction? {
        if cls.plainInitEpoch == classEpoch { return cls.plainInit }
        return resolvePlainInitializer(cls)
    }

    @inline(never)
    func resolvePlainInitializer(_ cls: PyClass) -> PyFunction? {
        cls.plainInit = findPlainInitializer(cls)
        cls.plainInitEpoch = classEpoch
        return cls.plainInit
    }

    func findPlainInitializer(_ cls: PyClass) -> PyFunction? {
        guard cls.constructor == nil, let initFn = cls.lookup(.initializer),
              case .obj(let io) = initFn, io.kind == .function else { return nil }
        if let newFn = cls.lookup(.new), case .obj(let no) = newFn, no.kind == .function || no.kind == .staticMethod, no !== objectNew {
            return nil
        }
        return unsafeDowncast(io, to: PyFunction.self)
    }

    public func instantiate(_ cls: PyClass, _ args: [Value], _ kwargs: KwArgs) throws(PyErr) -> Value {
        if let ctor = cls.constructor { return try ctor(args, kwargs) }
        // A class deriving from a builtin type with a constructor is not supported, except
        // through exceptions and object.
        if let newFn = cls.lookup(.new), !cls.isBuiltin, newFn.asFunction != nil || newFn.asObject?.kind == .staticMethod,
           newFn.asObject !== objectNew {
            let fn: Value
            if case .obj(let o) = newFn, o.kind == .staticMethod { fn = unsafeDowncast(o, to: PyStaticMethod.self).function } else { fn = newFn }
            let obj = try call(fn, prepending(.obj(cls), args), kwargs)
            if let inst = obj.asInstance, inst.cls.isSubclass(of: cls), let initFn = cls.lookup(.initializer) {
                let r = try callMethodValue(initFn, obj, args, kwargs)
                if !r.isNone { throw typeError("__init__() should return None, not '\(typeName(r))'") }
            }
            return obj
        }
        let inst = PyInstance(cls: cls)
        let v = Value.obj(inst)
        if let e = inst.exception { e.args = args }
        if let initFn = cls.lookup(.initializer) {
            if inst.exception != nil, kwargs.isEmpty, case .obj(let io) = initFn, io === baseExceptionInit { return v }
            // `Stack()` with list's own `__init__`: the new, empty list is what it would make.
            if let kind = cls.storageKind, args.isEmpty, kwargs.isEmpty, isStorageInitializer(initFn, kind) { return v }
            let r = try callMethodValue(initFn, v, args, kwargs)
            if !r.isNone { throw typeError("__init__() should return None, not '\(typeName(r))'") }
        } else if !inst.cls.isException && (!args.isEmpty || !kwargs.isEmpty) {
            throw typeError("\(cls.name)() takes no arguments")
        }
        return v
    }

    /// What a metaclass's `__iter__`/`__len__`/`__contains__` would do, for a class that
    /// defines `__class_iter__`/`__class_len__`/`__class_contains__` (stlang has no metaclasses;
    /// stdlib/enum.st uses these). nil when the class defines no such hook.
    func callClassHook(_ v: Value, _ name: String, _ args: [Value]) throws(PyErr) -> Value? {
        guard case .obj(let o) = v, o.kind == .cls, let hook = unsafeDowncast(o, to: PyClass.self).lookup(name) else { return nil }
        if case .obj(let h) = hook, h.kind == .classMethod {
            return try call(unsafeDowncast(h, to: PyClassMethod.self).function, prepending(v, args))
        }
        return try call(hook, prepending(v, args))
    }
}

/// `[first] + rest`, built in place: the generic `+` went through `append(contentsOf:)`
/// (≈550 instructions for a two-item array, on every bound-method and builtin-method call).
@inline(__always)
func prepending(_ first: Value, _ rest: [Value]) -> [Value] {
    switch rest.count {
    case 0: return [first]
    case 1: return [first, rest[0]]
    case 2: return [first, rest[0], rest[1]]
    default:
        var out: [Value] = []
        out.reserveCapacity(rest.count + 1)
        out.append(first)
        for v in rest { out.append(v) }
        return out
    }
}

/// An argument array of `n` values, `make(i)` for each, made in order. Up to four are an
/// array literal, one allocation of the right size; `reserveCapacity` on an empty array takes
/// the general growing path (≈190 instructions), and `init(unsafeUninitializedCapacity:)`
/// calls the stdlib's unspecialised code (a generic metadata lookup per call).
@inline(__always)
func valueArray(count n: Int, _ make: (Int) throws(PyErr) -> Value) throws(PyErr) -> [Value] {
    switch n {
    case 0: return []
    case 1: return [try make(0)]
    case 2:
        let a = try make(0)
        return [a, try make(1)]
    case 3:
        let a = try make(0), b = try make(1)
        return [a, b, try make(2)]
    case 4:
        let a = try make(0), b = try make(1), c = try make(2)
        return [a, b, c, try make(3)]
    default:
        var out: [Value] = []
        out.reserveCapacity(n)
        for i in 0..<n { out.append(try make(i)) }
        return out
    }
}
