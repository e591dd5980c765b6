import Resolve
import Syntax

extension Compiler {
    /// A call with positional and keyword arguments but no `*`/`**` (`f(x, key=1)`,
    /// `obj.m(x, key=1)`, `C(x, key=1)`): Python functions, methods and `__init__`s get the
    /// arguments written straight into their frames (see ArgumentBinder.swift). Anything else
    /// goes the general way (`Runtime.callWithKeywords`); the fast paths decide before evaluating
    /// any argument.
    func compileKeywordCall(_ fnExpr: Expr, _ positional: [ExprBox], _ keywords: [(String, ExprBox)]) throws -> ExprFn {
        let rt = self.rt
        let binder = ArgumentBinder(positionalCount: positional.count, keywordNames: keywords.map { $0.0 })
        let kwFns = keywords.map { $0.1 }
        let fill: (Frame, Frame, Int, BindingPlan) throws(PyErr) -> Void = { fp, nfp, offset, plan throws(PyErr) in
            for i in 0..<positional.count { nfp[offset + i] = try positional[i].run(fp) }
            let slots = plan.keywordSlots
            for j in 0..<kwFns.count { nfp[slots[j]] = try kwFns[j].run(fp) }
        }

        if case .attribute(let objExpr, let name) = fnExpr.kind {
            // `obj.m(...)`: no bound method for a plain method found on the receiver's class.
            let obj = try compileExpr(objExpr)
            let cache = MethodCache()
            let generalFromValue: (Frame, Value) throws(PyErr) -> Value = { fp, o throws(PyErr) in
                let callee = try rt.getAttr(o, name)
                return try rt.callWithKeywords(callee, fp, positional, keywords)
            }
            return { fp throws(PyErr) in
                let o = try obj(fp)
                if case .obj(let ob) = o, ob.kind == .instance {
                    let inst = unsafeDowncast(ob, to: PyInstance.self)
                    if let f = cache.function(inst.cls, name), cache.noShadow(inst, name),
                       let plan = binder.plan(f, withReceiver: true) {
                        return try rt.callBinding(f, plan, receiver: o) { nfp, offset, plan throws(PyErr) in
                            try fill(fp, nfp, offset, plan)
                        }
                    }
                }
                return try generalFromValue(fp, o)
            }
        }

        let callee = try compileExpr(fnExpr)
        return { fp throws(PyErr) in
            let c = try callee(fp)
            if case .obj(let o) = c {
                switch o.kind {
                case .function:
                    let f = unsafeDowncast(o, to: PyFunction.self)
                    if let plan = binder.plan(f, withReceiver: false) {
                        return try rt.callBinding(f, plan, receiver: nil) { nfp, offset, plan throws(PyErr) in
                            try fill(fp, nfp, offset, plan)
                        }
                    }
                case .boundMethod:
                    let m = unsafeDowncast(o, to: PyBoundMethod.self)
                    if let f = m.function.asFunction, let plan = binder.plan(f, withReceiver: true) {
                        return try rt.callBinding(f, plan, receiver: m.receiver) { nfp, offset, plan throws(PyErr) in
                            try fill(fp, nfp, offset, plan)
                        }
                    }
                case .cls:
                    // An exception's args are its positional arguments only: the general path.
                    let cls = unsafeDowncast(o, to: PyClass.self)
                    if !cls.isException, let f = rt.plainInitializer(cls), let plan = binder.plan(f, withReceiver: true) {
                        let v = Value.obj(PyInstance(cls: cls))
                        let r = try rt.callBinding(f, plan, receiver: v) { nfp, offset, plan throws(PyErr) in
                            try fill(fp, nfp, offset, plan)
                        }
                        if !r.isNone { throw rt.typeError("__init__() should return None, not '\(rt.typeName(r))'") }
                        return v
                    }
                default:
                    break
                }
            }
            return try rt.callWithKeywords(c, fp, positional, keywords)
        }
    }
}

extension Runtime {
    /// The general call of an already evaluated callee with a site's positional and keyword
    /// arguments (evaluated here, in order).
    func callWithKeywords(_ callee: Value, _ fp: Frame, _ positional: [ExprBox],
                          _ keywords: [(String, ExprBox)]) throws(PyErr) -> Value {
        var pos: [Value] = []
        pos.reserveCapacity(positional.count)
        for a in positional { pos.append(try a.run(fp)) }
        var kws: KwArgs = []
        kws.reserveCapacity(keywords.count)
        for (k, a) in keywords { kws.append((k, try a.run(fp))) }
        return try call(callee, pos, kws)
    }
}
