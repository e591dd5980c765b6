import Resolve
import Syntax

extension Compiler {
    func compileCall(_ fnExpr: Expr, _ args: [Argument], _ span: SourceSpan) throws -> ExprFn {
        let simple = args.allSatisfy { if case .positional = $0 { return true }; return false }

        // Zero-argument super() inside a method.
        if case .name("super") = fnExpr.kind, args.isEmpty, case .global = scope.lookup("super"), let owner = currentOwner {
            return compileZeroArgSuper(owner)
        }

        if simple {
            let argFns = args.compactMap { a -> Expr? in if case .positional(let e) = a { return e }; return nil }
            let compiledArgs = try argFns.map { try argumentBox($0) }
            if case .attribute(let objExpr, let name) = fnExpr.kind {
                return try compileMethodCall(objExpr, name, compiledArgs)
            }
            let callee = try compileExpr(fnExpr)
            let general = compilePositionalCall(callee, compiledArgs)
            if case .name(let n) = fnExpr.kind, case .global(let gname) = scope.lookup(n), rt.builtins[n] == nil {
                return compileGlobalFunctionCall(gname, compiledArgs, general)
            }
            if case .name(let n) = fnExpr.kind, case .global = scope.lookup(n), rt.builtins[n] != nil,
               let fast = compileBuiltinCall(n, compiledArgs) ?? compileAttributeBuiltinCall(n, argFns, compiledArgs) {
                // The builtin, unless the program has bound a global of that name.
                let module = self.module
                let idx = module.slot(for: n)
                return { fp throws(PyErr) in
                    if case .undef = module.globals[idx] { return try fast.run(fp) }
                    return try general(fp)
                }
            }
            return general
        }
        return try compileGeneralCall(fnExpr, args)
    }

    /// `getattr(o, name)`, `getattr(o, name, default)`, `hasattr(o, name)` and
    /// `setattr(o, name, v)`: the attribute access `o.name` with a per-site cache (the builtins
    /// would look the name up from scratch on every call). A constant name has one cache; a
    /// computed one a cache per name string seen (`DynamicAttributeNames`). A miss makes no
    /// AttributeError unless one is raised.
    func compileAttributeBuiltinCall(_ fn: String, _ exprs: [Expr], _ args: [ExprBox]) -> ExprBox? {
        guard ["getattr", "hasattr", "setattr"].contains(fn), exprs.count >= 2 else { return nil }
        let rt = self.rt
        let obj = args[0]
        let site: DynamicAttributeNames
        if case .string(let name) = exprs[1].kind {
            site = DynamicAttributeNames(constant: name)
        } else {
            site = DynamicAttributeNames(nameArgument: args[1])
        }
        // Every argument is evaluated before the lookup, as for the builtin.
        switch (fn, args.count) {
        case ("getattr", 2):
            return ExprBox { fp throws(PyErr) in
                let o = try obj.run(fp)
                let (name, cache) = try site.resolve(fp, rt)
                return try rt.cachedGetAttr(o, name, cache)
            }
        case ("getattr", 3):
            let dflt = args[2]
            return ExprBox { fp throws(PyErr) in
                let o = try obj.run(fp)
                let n = try site.evaluate(fp)
                let d = try dflt.run(fp)
                let (name, cache) = try site.resolve(n, rt)
                return try rt.attributeIfPresent(o, name, cache) ?? d
            }
        case ("hasattr", 2):
            return ExprBox { fp throws(PyErr) in
                let o = try obj.run(fp)
                let (name, cache) = try site.resolve(fp, rt)
                return .bool(try rt.attributeIfPresent(o, name, cache) != nil)
            }
        case ("setattr", 3):
            let value = args[2]
            return ExprBox { fp throws(PyErr) in
                let o = try obj.run(fp)
                let n = try site.evaluate(fp)
                let v = try value.run(fp)
                let (name, cache) = try site.resolve(n, rt)
                try rt.cachedSetAttr(o, name, v, cache)
                return .none
            }
        default:
            return nil
        }
    }

    /// A compiled argument; a local variable is marked so call sites read its slot directly.
    func argumentBox(_ e: Expr) throws -> ExprBox {
        let box = ExprBox(try compileExpr(e))
        if case .name(let n) = e.kind, case .local(let slot) = scope.lookup(n) {
            box.localSlot = slot
            box.localName = n
        }
        return box
    }

    /// Inline versions of the builtins hot loops call most.
    func compileBuiltinCall(_ name: String, _ args: [ExprBox]) -> ExprBox? {
        let rt = self.rt
        switch (name, args.count) {
        case ("len", 1):
            let a = args[0].run
            return ExprBox { fp throws(PyErr) in .int(try rt.length(a(fp))) }
        case ("next", 1), ("next", 2):
            // A native iterator (list, range, generator, ...) advanced directly; anything else
            // through the builtin.
            guard let builtin = rt.builtins["next"] else { return nil }
            let it = args[0], dflt = args.count == 2 ? args[1] : nil
            return ExprBox { fp throws(PyErr) in
                let v = try it.run(fp)
                let d = try dflt?.run(fp)
                if case .obj(let o) = v, o.kind == .iterator {
                    if let x = try rt.nextItem(v) { return x }
                    if let d { return d }
                    throw rt.stopIteration(of: v)
                }
                return try rt.call(builtin, d.map { [v, $0] } ?? [v])
            }
        case ("abs", 1):
            let a = args[0].run
            return ExprBox { fp throws(PyErr) in
                let v = try a(fp)
                if case .int(let i) = v, i != Int.min { return .int(i < 0 ? -i : i) }
                if case .float(let d) = v { return .float(Swift.abs(d)) }
                return try rt.absolute(v)
            }
        case ("isinstance", 2):
            let a = args[0].run, b = args[1].run
            return ExprBox { fp throws(PyErr) in
                let v = try a(fp)
                return .bool(try rt.isInstanceOf(v, b(fp)))
            }
        case ("ord", 1):
            let a = args[0].run
            return ExprBox { fp throws(PyErr) in
                let v = try a(fp)
                if let s = v.asStr, s.isASCII, s.value.utf8.count == 1, let b = s.value.utf8.first { return .int(Int(b)) }
                return try rt.call(rt.builtins["ord"] ?? .none, [v])
            }
        case ("chr", 1):
            let a = args[0].run
            let chrFn = rt.builtins["chr"] ?? .none
            return ExprBox { fp throws(PyErr) in
                let v = try a(fp)
                if case .int(let i) = v, i >= 0, i < 128 { return .obj(asciiCharStrings[i]) }
                return try rt.call(chrFn, [v])
            }
        case ("int", 1):
            // The first thing int(x) tries for text, done here; anything else is the full call.
            let a = args[0].run
            let intType = rt.builtins["int"] ?? .none
            return ExprBox { fp throws(PyErr) in
                let v = try a(fp)
                if case .int = v { return v }
                if let s = v.asStr, let i = rt.parseSmallDecimal(s.value) { return .int(i) }
                return try rt.call(intType, [v])
            }
        case ("float", 1):
            // A machine int or a float converts directly; anything else is the full call.
            let a = args[0].run
            let floatType = rt.builtins["float"] ?? .none
            return ExprBox { fp throws(PyErr) in
                let v = try a(fp)
                if case .float = v { return v }
                if case .int(let i) = v { return .float(Double(i)) }
                return try rt.call(floatType, [v])
            }
        case ("str", 1):
            let a = args[0].run
            let strType = rt.builtins["str"] ?? .none
            return ExprBox { fp throws(PyErr) in
                let v = try a(fp)
                switch v {
                case .int(let i): return .obj(PyStr(String(i), ascii: true))
                case .float: return .obj(try rt.reprStr(v))  // str of a float is its repr
                default: break
                }
                if v.asStr != nil { return v }
                return try rt.call(strType, [v])
            }
        case ("repr", 1):
            let a = args[0].run
            return ExprBox { fp throws(PyErr) in .obj(try rt.reprStr(try a(fp))) }
        default:
            return nil
        }
    }

    func compileZeroArgSuper(_ owner: CodeOwner) -> ExprFn {
        let rt = self.rt
        return { fp throws(PyErr) in
            guard let cls = owner.ownerClass else {
                throw rt.raise(rt.types.RuntimeError, "super(): __class__ cell not found")
            }
            guard owner.hasReceiver else {
                throw rt.raise(rt.types.RuntimeError, "super(): no arguments")
            }
            var receiver = fp[0]
            if case .obj(let o) = receiver, o.kind == .cell, owner.receiverIsCell {
                receiver = unsafeDowncast(o, to: PyCell.self).value
            }
            return .obj(PySuper(startAfter: cls, receiver: receiver))
        }
    }

    /// Calls with positional arguments only: Python functions get their arguments written
    /// straight into the new frame.
    func compilePositionalCall(_ callee: @escaping ExprFn, _ args: [ExprBox]) -> ExprFn {
        let rt = self.rt
        let argc = args.count
        // Boxed: each closure captures a few words (see `Compiler.node`).
        let calleeBox = ExprBox(callee)
        switch argc {
        case 0:
            return { fp throws(PyErr) in
                let c = try calleeBox.run(fp)
                if case .obj(let o) = c, o.kind == .function {
                    let f = unsafeDowncast(o, to: PyFunction.self)
                    if f.code.simpleArgCount == 0 {
                        let n = f.code.slotCount
                        let nfp = try rt.pushFrame(n)
                        defer { rt.popFrame(nfp, n) }
                        return try rt.runFunctionBody(f, nfp)
                    }
                }
                return try rt.call(c, [])
            }
        case 1:
            let a0 = args[0]
            return { fp throws(PyErr) in
                let c = try calleeBox.run(fp)
                if case .obj(let o) = c, o.kind == .function {
                    let f = unsafeDowncast(o, to: PyFunction.self)
                    if f.code.simpleArgCount == 1 {
                        let n = f.code.slotCount
                        let nfp = try rt.pushFrame(n)
                        defer { rt.popFrame(nfp, n) }
                        (nfp + 0).initialize(to: try a0.value(fp, rt))
                        return try rt.runFunctionBody(f, nfp)
                    }
                } else if case .obj(let o) = c, o.kind == .cls {
                    // The argument first, then `__init__` looked up (as CPython: evaluating it
                    // may change the class); no closure to fill the frame (it retained what it
                    // captured on every call).
                    let cls = unsafeDowncast(o, to: PyClass.self)
                    let x = try a0.value(fp, rt)
                    if let f = rt.plainInitializer(cls), f.code.simpleArgCount == 2 {
                        return try rt.construct(cls, f, 1, x, .none)
                    }
                    return try rt.call(c, [x])
                }
                return try rt.call(c, [try a0.value(fp, rt)])
            }
        case 2:
            let a0 = args[0], a1 = args[1]
            return { fp throws(PyErr) in
                let c = try calleeBox.run(fp)
                if case .obj(let o) = c, o.kind == .function {
                    let f = unsafeDowncast(o, to: PyFunction.self)
                    if f.code.simpleArgCount == 2 {
                        let n = f.code.slotCount
                        let nfp = try rt.pushFrame(n)
                        defer { rt.popFrame(nfp, n) }
                        (nfp + 0).initialize(to: try a0.value(fp, rt))
                        (nfp + 1).initialize(to: try a1.value(fp, rt))
                        return try rt.runFunctionBody(f, nfp)
                    }
                } else if case .obj(let o) = c, o.kind == .cls {
                    let cls = unsafeDowncast(o, to: PyClass.self)
                    let x = try a0.value(fp, rt)
                    let y = try a1.value(fp, rt)
                    if let f = rt.plainInitializer(cls), f.code.simpleArgCount == 3 {
                        return try rt.construct(cls, f, 2, x, y)
                    }
                    return try rt.call(c, [x, y])
                }
                let x = try a0.value(fp, rt)
                return try rt.call(c, [x, try a1.value(fp, rt)])
            }
        default:
            return { fp throws(PyErr) in
                let c = try calleeBox.run(fp)
                if case .obj(let o) = c, o.kind == .function {
                    let f = unsafeDowncast(o, to: PyFunction.self)
                    if f.code.simpleArgCount == argc {
                        let n = f.code.slotCount
                        let nfp = try rt.pushFrame(n)
                        defer { rt.popFrame(nfp, n) }
                        for i in 0..<argc { (nfp + i).initialize(to: try args[i].value(fp, rt)) }
                        return try rt.runFunctionBody(f, nfp)
                    }
                } else if case .obj(let o) = c, o.kind == .cls,
                          let r = try rt.instantiateDirect(unsafeDowncast(o, to: PyClass.self), argc, { nfp throws(PyErr) in
                              for i in 0..<argc { (nfp + i + 1).initialize(to: try args[i].value(fp, rt)) }
                          }) {
                    return r
                }
                return try rt.call(c, try valueArray(count: argc) { i throws(PyErr) in try args[i].run(fp) })
            }
        }
    }

    /// `f(args)` where `f` is a module global (not a builtin name): reads the global's slot
    /// directly and, for a plain Python function, writes the arguments straight into its
    /// frame. Anything else goes through `general`, which loads the callee again (a load has
    /// no side effects) and evaluates the arguments.
    func compileGlobalFunctionCall(_ name: String, _ args: [ExprBox], _ general: @escaping ExprFn) -> ExprFn {
        // Everything in one box: the closures capture one word (see `Compiler.node`).
        let site = GlobalCallSite(rt: rt, module: module, slot: module.slot(for: name), args: args, general: general)
        switch args.count {
        case 0:
            return { fp throws(PyErr) in
                if let f = site.plainFunction(0) {
                    let n = f.code.slotCount
                    let nfp = try site.rt.pushFrame(n)
                    defer { site.rt.popFrame(nfp, n) }
                    return try site.rt.runFunctionBody(f, nfp)
                }
                return try site.callFillingDefaults(fp)
            }
        case 1:
            return { fp throws(PyErr) in
                if let f = site.plainFunction(1) {
                    let n = f.code.slotCount
                    let nfp = try site.rt.pushFrame(n)
                    defer { site.rt.popFrame(nfp, n) }
                    (nfp + 0).initialize(to: try site.b0.value(fp, site.rt))
                    return try site.rt.runFunctionBody(f, nfp)
                }
                return try site.callFillingDefaults(fp)
            }
        case 2:
            return { fp throws(PyErr) in
                if let f = site.plainFunction(2) {
                    let n = f.code.slotCount
                    let nfp = try site.rt.pushFrame(n)
                    defer { site.rt.popFrame(nfp, n) }
                    (nfp + 0).initialize(to: try site.b0.value(fp, site.rt))
                    (nfp + 1).initialize(to: try site.b1.value(fp, site.rt))
                    return try site.rt.runFunctionBody(f, nfp)
                }
                return try site.callFillingDefaults(fp)
            }
        case 3:
            return { fp throws(PyErr) in
                if let f = site.plainFunction(3) {
                    let n = f.code.slotCount
                    let nfp = try site.rt.pushFrame(n)
                    defer { site.rt.popFrame(nfp, n) }
                    (nfp + 0).initialize(to: try site.b0.value(fp, site.rt))
                    (nfp + 1).initialize(to: try site.b1.value(fp, site.rt))
                    (nfp + 2).initialize(to: try site.b2.value(fp, site.rt))
                    return try site.rt.runFunctionBody(f, nfp)
                }
                return try site.callFillingDefaults(fp)
            }
        default:
            return { fp throws(PyErr) in
                let argc = site.args.count
                if let f = site.plainFunction(argc) {
                    let n = f.code.slotCount
                    let nfp = try site.rt.pushFrame(n)
                    defer { site.rt.popFrame(nfp, n) }
                    for i in 0..<argc { (nfp + i).initialize(to: try site.args[i].value(fp, site.rt)) }
                    return try site.rt.runFunctionBody(f, nfp)
                }
                return try site.callFillingDefaults(fp)
            }
        }
    }

    /// `obj.name(args)`: no bound-method object for Python methods or builtin methods.
    func compileMethodCall(_ objExpr: Expr, _ name: String, _ args: [ExprBox]) throws -> ExprFn {
        let general = try compileMethodCallOnValue(objExpr, name, args)
        // `super().name(args)` in a method: no super object, no bound method.
        if case .call(let f, let a) = objExpr.kind, a.isEmpty, case .name("super") = f.kind,
           case .global = scope.lookup("super"), let owner = currentOwner {
            return superMethodCall(name, args, general) { fp in
                guard let cls = owner.ownerClass, owner.hasReceiver else { return nil }
                var receiver = fp[0]
                if case .obj(let o) = receiver, o.kind == .cell, owner.receiverIsCell {
                    receiver = unsafeDowncast(o, to: PyCell.self).value
                }
                return (cls, receiver)
            }
        }
        // `super(C, self).name(args)` (the older spelling, as in pyperformance's deltablue),
        // with plain names: reading them has no effect the general way would repeat.
        if case .call(let f, let a) = objExpr.kind, a.count == 2, case .name("super") = f.kind,
           case .global = scope.lookup("super"),
           case .positional(let clsExpr) = a[0], case .name = clsExpr.kind,
           case .positional(let recvExpr) = a[1], case .name = recvExpr.kind {
            let clsFn = ExprBox(try compileExpr(clsExpr)), recvFn = ExprBox(try compileExpr(recvExpr))
            return superMethodCall(name, args, general) { fp throws(PyErr) in
                guard case .obj(let co) = try clsFn.run(fp), co.kind == .cls else { return nil }
                return (unsafeDowncast(co, to: PyClass.self), try recvFn.run(fp))
            }
        }
        return general
    }

    /// Finds `name` after the method's class in the receiver's MRO, as super() does, and calls a
    /// plain function or a builtin found there directly; anything else goes the general way.
    /// `resolve` gives the class and receiver super() would get (nil: go the general way).
    func superMethodCall(_ name: String, _ args: [ExprBox], _ general: @escaping ExprFn,
                         _ resolve: @escaping (Frame) throws(PyErr) -> (PyClass, Value)?) -> ExprFn {
        let rt = self.rt
        let cache = SuperCallCache()
        return { fp throws(PyErr) in
            guard let (cls, receiver) = try resolve(fp) else { return try general(fp) }
            guard case .obj(let ro) = receiver, ro.kind == .instance else { return try general(fp) }
            let rcls = unsafeDowncast(ro, to: PyInstance.self).cls
            let target: PyObject
            if cache.receiverClass === rcls, cache.ownerClass === cls, cache.epoch == classEpoch, let t = cache.target {
                target = t
            } else {
                let mro = rcls.mro
                guard let start = mro.firstIndex(where: { $0 === cls }) else { return try general(fp) }
                var found: Value?
                for c in mro[(start + 1)...] {
                    if let a = c.dict[name] { found = a; break }
                }
                // Nothing after the class: `object.__init__`, which does nothing, and takes no
                // arguments when the receiver's class has an `__init__` of its own (it got here).
                if found == nil, name == "__init__" {
                    if args.isEmpty { return .none }
                    for a in args { _ = try a.run(fp) }
                    throw rt.typeError("object.__init__() takes exactly one argument (the instance to initialize)")
                }
                guard let t = found, case .obj(let to) = t, to.kind == .function || to.kind == .builtin else { return try general(fp) }
                if to.kind == .builtin, unsafeDowncast(to, to: PyBuiltin.self).receiver != nil { return try general(fp) }
                cache.receiverClass = rcls
                cache.ownerClass = cls
                cache.epoch = classEpoch
                cache.target = to
                target = to
            }
            let argv = try valueArray(count: args.count + 1) { i throws(PyErr) in
                i == 0 ? receiver : try args[i - 1].run(fp)
            }
            if target.kind == .function { return try rt.callFunction(unsafeDowncast(target, to: PyFunction.self), argv, []) }
            return try unsafeDowncast(target, to: PyBuiltin.self).fn(argv, [])
        }
    }

    func compileMethodCallOnValue(_ objExpr: Expr, _ name: String, _ args: [ExprBox]) throws -> ExprFn {
        let rt = self.rt
        let obj = try compileExpr(objExpr)
        // A local receiver is read straight from its slot.
        var recvSlot = -1
        var recvName = ""
        if case .name(let n) = objExpr.kind, case .local(let slot) = scope.lookup(n) { recvSlot = slot; recvName = n }
        let argc = args.count
        let cache = MethodCache()
        let fast: FastMethod
        switch (name, argc) {
        case ("append", 1): fast = .append
        case ("pop", 0), ("pop", 1): fast = .pop
        case ("insert", 2): fast = .insert
        case ("get", 1), ("get", 2): fast = .get
        case ("add", 1): fast = .add
        case ("setdefault", 1), ("setdefault", 2): fast = .setdefault
        default: fast = .none
        }
        let sfast = StrFast.forCall(name, argc)
        // One box for everything the closure reads: it captures one word (see `Compiler.node`).
        let k = MethodCallSite(rt: rt, obj: obj, recvSlot: recvSlot, recvName: recvName, cache: cache, fast: fast,
                               sfast: sfast, args: args, name: name)
        return { fp throws(PyErr) in
            let o: Value
            if k.recvSlot >= 0 {
                o = fp[k.recvSlot]
                if case .undef = o { throw k.rt.unboundLocal(k.recvName) }
            } else {
                o = try k.obj(fp)
            }
            // The hot case inline: a plain Python method of the receiver's class with its
            // arguments written straight into the new frame. Everything else is out of line,
            // which keeps this closure small (fewer registers saved and spilled per call).
            if case .obj(let ob) = o, ob.kind == .instance {
                let inst = unsafeDowncast(ob, to: PyInstance.self)
                if let f = k.cache.function(inst.cls, k.name), k.cache.noShadow(inst, k.name) {
                    unowned(unsafe) let code = f.code
                    if code.simpleArgCount == k.argc + 1 {
                        // Arguments first, then the frame: its argument slots need no `.undef`
                        // written first (nothing can throw between the push and the writes).
                        let n = code.slotCount
                        switch k.argc {
                        case 0:
                            let nfp = try k.rt.pushFrame(n, filled: 1)
                            defer { k.rt.popFrame(nfp, n) }
                            nfp.initialize(to: o)
                            return try k.rt.runFunctionBody(f, nfp)
                        case 1:
                            let a = try k.b0.value(fp, k.rt)
                            let nfp = try k.rt.pushFrame(n, filled: 2)
                            defer { k.rt.popFrame(nfp, n) }
                            nfp.initialize(to: o)
                            (nfp + 1).initialize(to: a)
                            return try k.rt.runFunctionBody(f, nfp)
                        case 2:
                            let a = try k.b0.value(fp, k.rt)
                            let b = try k.b1.value(fp, k.rt)
                            let nfp = try k.rt.pushFrame(n, filled: 3)
                            defer { k.rt.popFrame(nfp, n) }
                            nfp.initialize(to: o)
                            (nfp + 1).initialize(to: a)
                            (nfp + 2).initialize(to: b)
                            return try k.rt.runFunctionBody(f, nfp)
                        default:
                            return try Compiler.runMethodWithManyArguments(k, f, n, o, fp)
                        }
                    }
                }
            }
            return try Compiler.callMethodOutOfLine(k, o, fp)
        }
    }

    /// The inline case for three or more arguments, out of line (the closure stays small).
    @inline(never)
    static func runMethodWithManyArguments(_ k: MethodCallSite, _ f: PyFunction, _ n: Int, _ o: Value,
                                           _ fp: Frame) throws(PyErr) -> Value {
        // (Slots set to undef first: an argument may raise half-way.)
        let nfp = try k.rt.pushFrame(n)
        defer { k.rt.popFrame(nfp, n) }
        nfp.initialize(to: o)
        for i in 0..<k.argc { (nfp + i + 1).initialize(to: try k.args[i].value(fp, k.rt)) }
        return try k.rt.runFunctionBody(f, nfp)
    }

    /// Everything a method call site does but the inline case above: Python methods with
    /// defaults or other argument shapes, module functions, class-object calls, the inline
    /// list/dict/set/str methods, and the general lookup.
    @inline(never)
    static func callMethodOutOfLine(_ k: MethodCallSite, _ o: Value, _ fp: Frame) throws(PyErr) -> Value {
        if case .obj(let ob) = o {
            if ob.kind == .instance {
                let inst = unsafeDowncast(ob, to: PyInstance.self)
                // (Also a method the inline path just cached on a miss: it binds as any call.)
                if let f = k.cache.function(inst.cls, k.name), k.cache.noShadow(inst, k.name) {
                    // (The receiver needs a parameter of its own: `def m(*args)` takes it in args.)
                    if !f.code.positionalNames.isEmpty, f.bindsDirectly(given: k.args.count + 1) {
                        return try k.rt.callDirect(f, receiver: o, given: k.args.count + 1) { i throws(PyErr) in
                            try k.args[i].value(fp, k.rt)
                        }
                    }
                    let vals = try valueArray(count: k.args.count + 1) { i throws(PyErr) in
                        i == 0 ? o : try k.args[i - 1].run(fp)
                    }
                    return try k.rt.callFunction(f, vals, [])
                }
                // A list or dict subclass's instance calling a method the subclass does not
                // override (`self.constraints.append(c)`): the call is made on its storage,
                // with the inline list and dict methods below.
                if let storage = inst.builtinStorage, k.cache.delegates(inst, storage, k.name, k.rt) {
                    return try callMethodOutOfLine(k, .obj(storage), fp)
                }
            } else if ob.kind == .module {
                // A module function (`math.sqrt(x)`): the name's slot in the module, cached
                // per module (slots never move), read fresh on every call.
                let m = unsafeDowncast(ob, to: PyModule.self)
                var idx = -1
                if m === k.cache.module { idx = k.cache.moduleSlot } else if let i = m.globalIndex[k.name] {
                    k.cache.module = m
                    k.cache.moduleSlot = i
                    idx = i
                }
                if idx >= 0 && idx < m.globals.count {
                    let callee = m.globals[idx]
                    if case .obj(let co) = callee, co.kind == .builtin || co.kind == .function {
                        // (An array literal for one or two arguments: `reserveCapacity` on an
                        // empty array takes the slow growing path, 190 instructions.)
                        switch k.args.count {
                        case 0: return try k.rt.call(callee, [])
                        case 1: return try k.rt.call(callee, [try k.b0.value(fp, k.rt)])
                        case 2:
                            let a = try k.b0.value(fp, k.rt)
                            return try k.rt.call(callee, [a, try k.b1.value(fp, k.rt)])
                        default:
                            return try k.rt.call(callee, try valueArray(count: k.args.count) { i throws(PyErr) in
                                try k.args[i].run(fp)
                            })
                        }
                    }
                }
            } else if ob.kind == .cls {
                // `C.f(args)`: a static method, class method or plain function found on the
                // class, cached per site while no class changes; called with no argument
                // array and no bound method.
                let c = unsafeDowncast(ob, to: PyClass.self)
                if let f = k.cache.classCallTarget(c, k.name) {
                    let passClass = k.cache.classCallPassesClass
                    let argc = k.args.count
                    if f.code.simpleArgCount == argc + (passClass ? 1 : 0) {
                        let n = f.code.slotCount
                        let nfp = try k.rt.pushFrame(n)
                        defer { k.rt.popFrame(nfp, n) }
                        var at = 0
                        if passClass {
                            nfp.initialize(to: o)
                            at = 1
                        }
                        for i in 0..<argc { (nfp + at + i).initialize(to: try k.args[i].run(fp)) }
                        return try k.rt.runFunctionBody(f, nfp)
                    }
                }
            } else {
                // Builtin types cannot be subclassed or patched, so these are always the
                // list/dict/set methods: do them inline.
                if ob.kind == .str && k.sfast != .none {
                    let a0: Value = k.args.count > 0 ? try k.b0.value(fp, k.rt) : .none
                    let a1: Value = k.args.count > 1 ? try k.b1.value(fp, k.rt) : .none
                    if let r = k.rt.strFast(k.sfast, unsafeDowncast(ob, to: PyStr.self), a0, a1) { return r }
                    var vals: [Value] = []
                    if k.args.count > 0 { vals.append(a0) }
                    if k.args.count > 1 { vals.append(a1) }
                    return try k.rt.call(k.rt.getAttr(o, k.name), vals)
                }
                switch (ob.kind, k.fast) {
                case (.list, .append):
                    unsafeDowncast(ob, to: PyList.self).items.append(try k.b0.value(fp, k.rt))
                    return .none
                case (.list, .pop):
                    // Plain int indexes in range; anything else (errors included) goes
                    // through the list method below with the value already evaluated.
                    let l = unsafeDowncast(ob, to: PyList.self)
                    if k.args.count == 0 {
                        if let v = l.items.popLast() { return v }
                    } else {
                        let a = try k.b0.value(fp, k.rt)
                        if case .int(var i) = a {
                            if i < 0 { i += l.items.count }
                            if i >= 0 && i < l.items.count { return l.items.remove(at: i) }
                        }
                        return try k.rt.callMethod(o, k.name, [a])
                    }
                case (.list, .insert):
                    let l = unsafeDowncast(ob, to: PyList.self)
                    let a = try k.b0.value(fp, k.rt)
                    let v = try k.b1.value(fp, k.rt)
                    if case .int(var i) = a {
                        let n = l.items.count
                        if i < 0 { i = max(i + n, 0) } else if i > n { i = n }
                        l.items.insert(v, at: i)
                        return .none
                    }
                    return try k.rt.callMethod(o, k.name, [a, v])
                case (.dict, .get):
                    // Both arguments are evaluated before the lookup, as for any call (the
                    // default's side effects happen even when the key is there).
                    let d = unsafeDowncast(ob, to: PyDict.self)
                    let key = try k.b0.value(fp, k.rt)
                    let dflt: Value = k.args.count == 2 ? try k.b1.value(fp, k.rt) : .none
                    if let v = try d.get(key, k.rt) { return v }
                    return dflt
                case (.dict, .setdefault):
                    let d = unsafeDowncast(ob, to: PyDict.self)
                    let key = try k.b0.value(fp, k.rt)
                    let dflt = k.args.count == 2 ? try k.b1.value(fp, k.rt) : .none
                    if let v = try d.get(key, k.rt) { return v }
                    try d.set(key, dflt, k.rt)
                    return dflt
                case (.dict, .pop) where k.args.count == 1:
                    // (`.pop` is chosen for zero or one argument only: `d.pop(k, default)` takes
                    // the general path.)
                    let key = try k.b0.value(fp, k.rt)
                    if let v = try unsafeDowncast(ob, to: PyDict.self).remove(key, k.rt) { return v }
                    throw k.rt.keyError(key)
                case (.set, .add):
                    try unsafeDowncast(ob, to: PySet.self).add(try k.b0.value(fp, k.rt), k.rt)
                    return .none
                default:
                    break
                }
                let cls = k.rt.typeOf(o)
                let method: Value?
                if k.cache.builtinCls === cls { method = k.cache.builtinMethod } else {
                    method = cls.isBuiltin ? cls.lookup(k.name) : nil
                    k.cache.builtinCls = cls
                    k.cache.builtinMethod = method
                }
                if cls.isBuiltin, let m = method, case .obj(let mo) = m, mo.kind == .builtin {
                    let b = unsafeDowncast(mo, to: PyBuiltin.self)
                    if b.receiver == nil {
                        let vals = try valueArray(count: k.args.count + 1) { i throws(PyErr) in
                            i == 0 ? o : try k.args[i - 1].run(fp)
                        }
                        return try b.fn(vals, [])
                    }
                }
            }
        }
        let callee = try k.rt.getAttr(o, k.name)
        return try k.rt.call(callee, try valueArray(count: k.args.count) { i throws(PyErr) in try k.args[i].run(fp) })

    }

    /// Calls with keywords, `*args` or `**kwargs`.
    func compileGeneralCall(_ fnExpr: Expr, _ args: [Argument]) throws -> ExprFn {
        let rt = self.rt
        if args.allSatisfy({ if case .star = $0 { return false }; if case .doubleStar = $0 { return false }; return true }) {
            var positional: [ExprBox] = []
            var keywords: [(String, ExprBox)] = []
            var seen = Set<String>()
            for a in args {
                switch a {
                case .positional(let e): positional.append(ExprBox(try compileExpr(e)))
                case .keyword(let name, let e, let span):
                    if seen.contains(name) { throw error("keyword argument repeated: \(name)", span) }
                    seen.insert(name)
                    keywords.append((name, ExprBox(try compileExpr(e))))
                default: break
                }
            }
            return try compileKeywordCall(fnExpr, positional, keywords)
        }
        let callee = try compileExpr(fnExpr)
        enum Arg {
            case pos(ExprBox), star(ExprBox), kw(String, ExprBox), dstar(ExprBox)
        }
        var seen = Set<String>()
        let compiled: [Arg] = try args.map { a in
            switch a {
            case .positional(let e): return .pos(ExprBox(try compileExpr(e)))
            case .star(let e): return .star(ExprBox(try compileExpr(e)))
            case .keyword(let name, let e, let span):
                if seen.contains(name) { throw error("keyword argument repeated: \(name)", span) }
                seen.insert(name)
                return .kw(name, ExprBox(try compileExpr(e)))
            case .doubleStar(let e): return .dstar(ExprBox(try compileExpr(e)))
            }
        }
        var calleeName: String?
        if case .name(let n) = fnExpr.kind { calleeName = n }
        if case .attribute(_, let n) = fnExpr.kind { calleeName = n }
        return { fp throws(PyErr) in
            let c = try callee(fp)
            var pos: [Value] = []
            var kws: KwArgs = []
            var seenKeywords = Set<String>()
            for a in compiled {
                switch a {
                case .pos(let f): pos.append(try f.run(fp))
                case .star(let f):
                    let v = try f.run(fp)
                    do throws(PyErr) {
                        pos.append(contentsOf: try rt.collect(v))
                    } catch {
                        if rt.matches(error, rt.types.TypeError) && rt.typeOf(v).lookup(.iter) == nil && v.asObject?.kind != .iterator {
                            throw rt.typeError("\(rt.calleeDescription(c, calleeName)) argument after * must be an iterable, not \(rt.typeName(v))")
                        }
                        throw error
                    }
                case .kw(let name, let f):
                    kws.append((name, try f.run(fp)))
                    seenKeywords.insert(name)
                case .dstar(let f):
                    let v = try f.run(fp)
                    let d = PyDict()
                    let hasKeys = v.asDict != nil ? true : try rt.getAttrOrNil(v, "keys") != nil
                    if !hasKeys {
                        throw rt.typeError("\(rt.calleeDescription(c, calleeName)) argument after ** must be a mapping, not \(rt.typeName(v))")
                    }
                    try rt.mergeMapping(into: d, v)
                    for (k, val) in d.items {
                        guard let ks = k.asStr else { throw rt.typeError("keywords must be strings") }
                        if seenKeywords.contains(ks.value) {
                            throw rt.typeError("\(rt.calleeDescription(c, calleeName)) got multiple values for keyword argument '\(ks.value)'")
                        }
                        seenKeywords.insert(ks.value)
                        kws.append((ks.value, val))
                    }
                }
            }
            return try rt.call(c, pos, kws)
        }
    }
}

/// What a method call site `obj.name(args)` reads.
final class MethodCallSite {
    let rt: Runtime
    let obj: ExprFn
    let recvSlot: Int
    let recvName: String
    let cache: MethodCache
    let fast: FastMethod
    let sfast: StrFast
    let args: [ExprBox]
    let argc: Int
    /// The first two arguments out of the array (no bounds check or retain per call).
    let b0: InlineArg, b1: InlineArg
    let name: String

    init(rt: Runtime, obj: @escaping ExprFn, recvSlot: Int, recvName: String, cache: MethodCache, fast: FastMethod,
         sfast: StrFast, args: [ExprBox], name: String) {
        let none = ExprBox { _ in .none }
        b0 = InlineArg(args.count > 0 ? args[0] : none)
        b1 = InlineArg(args.count > 1 ? args[1] : none)
        self.rt = rt
        self.obj = obj
        self.recvSlot = recvSlot
        self.recvName = recvName
        self.cache = cache
        self.fast = fast
        self.sfast = sfast
        self.args = args
        argc = args.count
        self.name = name
    }
}

/// A call site `f(args)` of a module global: the module slot, the compiled arguments and the
/// general path.
final class GlobalCallSite {
    let rt: Runtime
    let module: PyModule
    let slot: Int
    let args: [ExprBox]
    /// The first three arguments out of the array (no bounds check or retain per call).
    let b0: ExprBox, b1: ExprBox, b2: ExprBox
    let general: ExprFn

    init(rt: Runtime, module: PyModule, slot: Int, args: [ExprBox], general: @escaping ExprFn) {
        self.rt = rt
        self.module = module
        self.slot = slot
        self.args = args
        let none = ExprBox { _ in .none }
        b0 = args.count > 0 ? args[0] : none
        b1 = args.count > 1 ? args[1] : none
        b2 = args.count > 2 ? args[2] : none
        self.general = general
    }

    /// A call the inline paths do not take but `callDirect` can: fewer arguments than the
    /// parameters, the rest having defaults (`f(x)` for `def f(x, k=1)`), or surplus ones for
    /// `*args`. The arguments go straight into the frame, where the general binder took 2-3x
    /// as long. Anything else: `general`.
    @inline(never)
    func callFillingDefaults(_ fp: Frame) throws(PyErr) -> Value {
        if case .obj(let o) = module.globals[slot], o.kind == .function {
            let f = unsafeDowncast(o, to: PyFunction.self)
            if f.bindsDirectly(given: args.count) {
                return try rt.callDirect(f, receiver: nil, given: args.count) { i throws(PyErr) in try args[i].value(fp, rt) }
            }
        }
        return try general(fp)
    }

    /// The global when it is a Python function taking exactly `argc` plain positional
    /// parameters (the caller holds it while it runs), else nil.
    @inline(__always)
    func plainFunction(_ argc: Int) -> PyFunction? {
        if case .obj(let o) = module.globals[slot], o.kind == .function {
            let f = unsafeDowncast(o, to: PyFunction.self)
            if f.code.simpleArgCount == argc { return f }
        }
        return nil
    }
}

/// Methods of builtin types done inline at call sites.
enum FastMethod {
    case none, append, get, add, pop, insert, setdefault
}

/// A per-site cache of the method a class resolves a name to: up to four classes (sites in
/// base-class methods see every subclass), valid while no class changes (`classEpoch`).
/// `super().m(...)`'s lookup, per call site: valid for one receiver class and method class
/// until any class changes.
final class SuperCallCache {
    var receiverClass: PyClass?
    var ownerClass: PyClass?
    var epoch = -1
    var target: PyObject?
}

final class MethodCache {
    var cls1: PyClass?, cls2: PyClass?, cls3: PyClass?, cls4: PyClass?
    var method1: Value?, method2: Value?, method3: Value?, method4: Value?
    /// The same methods when they are plain Python functions (else nil).
    var fn1: PyFunction?, fn2: PyFunction?, fn3: PyFunction?, fn4: PyFunction?
    var epoch = -1
    /// Shapes known not to have an instance attribute shadowing the method.
    var shape1: Shape?, shape2: Shape?, shape3: Shape?, shape4: Shape?
    /// For receivers of builtin types (whose methods never change).
    var builtinCls: PyClass?
    var builtinMethod: Value?
    /// For calls on a module: the module and the name's global slot in it.
    var module: PyModule?
    var moduleSlot = 0
    /// For calls on a class object: the class, the function the name resolves to (through a
    /// staticmethod or classmethod), whether the class goes first, valid while no class changes.
    private var classReceiver: PyClass?
    private var classCallEpoch = -1
    private var classTarget: PyFunction?
    private(set) var classCallPassesClass = false

    @inline(__always)
    func classCallTarget(_ c: PyClass, _ name: String) -> PyFunction? {
        if c === classReceiver && classCallEpoch == classEpoch { return classTarget }
        return resolveClassCall(c, name)
    }

    @inline(never)
    private func resolveClassCall(_ c: PyClass, _ name: String) -> PyFunction? {
        classReceiver = c
        classCallEpoch = classEpoch
        classTarget = nil
        classCallPassesClass = false
        guard !c.isBuiltin, let a = c.lookup(name), case .obj(let o) = a else { return nil }
        switch o.kind {
        case .function:
            classTarget = unsafeDowncast(o, to: PyFunction.self)
        case .staticMethod:
            classTarget = unsafeDowncast(o, to: PyStaticMethod.self).function.asFunction
        case .classMethod:
            classTarget = unsafeDowncast(o, to: PyClassMethod.self).function.asFunction
            classCallPassesClass = true
        default:
            break
        }
        return classTarget
    }

    @inline(__always)
    func method(_ cls: PyClass, _ name: String) -> Value? {
        if epoch == classEpoch {
            if sameObject(cls, cls1) { return method1 }
            if sameObject(cls, cls2) { return method2 }
            if sameObject(cls, cls3) { return method3 }
            if sameObject(cls, cls4) { return method4 }
        }
        return miss(cls, name)
    }

    /// `method(cls, name)` when it is a plain Python function.
    @inline(__always)
    func function(_ cls: PyClass, _ name: String) -> PyFunction? {
        if epoch == classEpoch {
            if sameObject(cls, cls1) { return fn1 }
            if sameObject(cls, cls2) { return fn2 }
            if sameObject(cls, cls3) { return fn3 }
            if sameObject(cls, cls4) { return fn4 }
        }
        _ = miss(cls, name)
        return fn1
    }

    /// Classes pushed out of the four entries above, for sites that see more (a method of a
    /// base class called on many subclasses): found again without hashing the name.
    private var older: [(cls: PyClass, method: Value?)] = []
    static let olderLimit = 12

    @inline(never)
    func miss(_ cls: PyClass, _ name: String) -> Value? {
        if epoch != classEpoch {
            cls2 = nil; cls3 = nil; cls4 = nil
            method2 = nil; method3 = nil; method4 = nil
            fn2 = nil; fn3 = nil; fn4 = nil
            older.removeAll()
            epoch = classEpoch
        }
        let m: Value?
        if let i = older.firstIndex(where: { $0.cls === cls }) {
            m = older[i].method
            older.remove(at: i)
        } else {
            m = cls.lookup(name)
        }
        if let c4 = cls4 {
            if older.count >= MethodCache.olderLimit { older.removeLast() }
            older.insert((c4, method4), at: 0)
        }
        cls4 = cls3; method4 = method3; fn4 = fn3
        cls3 = cls2; method3 = method2; fn3 = fn2
        cls2 = cls1; method2 = method1; fn2 = fn1
        cls1 = cls; method1 = m; fn1 = m?.asFunction
        return m
    }

    /// For a list or dict subclass's instance: whether `name` is the builtin type's own method
    /// (not overridden, not shadowed by an instance attribute), so that the call can be made
    /// on the instance's storage. Remembered for one class while no class changes.
    private var delegatingClass: PyClass?
    private var delegatingEpoch = -1

    func delegates(_ inst: PyInstance, _ storage: PyObject, _ name: String, _ rt: Runtime) -> Bool {
        if sameObject(inst.cls, delegatingClass) && delegatingEpoch == classEpoch { return noShadow(inst, name) }
        guard let m = method(inst.cls, name), case .obj(let mo) = m, mo.kind == .builtin,
              let own = rt.storageType(storage.kind).lookup(name),
              case .obj(let oo) = own, oo === mo else { return false }
        delegatingClass = inst.cls
        delegatingEpoch = classEpoch
        return noShadow(inst, name)
    }

    /// Whether `inst` has no attribute of its own named `name`.
    @inline(__always)
    func noShadow(_ inst: PyInstance, _ name: String) -> Bool {
        let s = inst.shape
        if sameObject(s, shape1) || sameObject(s, shape2) || sameObject(s, shape3) || sameObject(s, shape4) { return true }
        return noShadowSlow(inst, name)
    }

    /// Shapes pushed out of the four entries above.
    private var olderShapes: [Shape] = []

    @inline(never)
    func noShadowSlow(_ inst: PyInstance, _ name: String) -> Bool {
        let s = inst.shape
        if let i = olderShapes.firstIndex(where: { $0 === s }) {
            olderShapes.remove(at: i)
        } else {
            guard inst.getAttr(name) == nil else { return false }
            if inst.dictStorage != nil { return true }
        }
        if let s4 = shape4 {
            if olderShapes.count >= MethodCache.olderLimit { olderShapes.removeLast() }
            olderShapes.insert(s4, at: 0)
        }
        shape4 = shape3; shape3 = shape2; shape2 = shape1; shape1 = s
        return true
    }
}

extension Runtime {
    func calleeDescription(_ c: Value, _ fallback: String?) -> String {
        if let f = c.asFunction {
            let m = f.code.module.name
            return (m == "builtins" ? "" : m + ".") + f.qualname + "()"
        }
        if case .obj(let o) = c, o.kind == .builtin { return unsafeDowncast(o, to: PyBuiltin.self).name + "()" }
        if let cls = c.asClass { return cls.name + "()" }
        return (fallback ?? "function") + "()"
    }
}
