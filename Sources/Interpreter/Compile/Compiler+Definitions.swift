import Resolve
import Syntax

extension Compiler {
    /// The source text of a node's lines (decorators included for definitions).
    func sourceText(_ span: SourceSpan) -> String {
        let first = max(span.start.line - 1, 0)
        var last = min(span.end.line - 1, sourceLines.count - 1)
        if span.end.line > span.start.line && span.end.column <= 1 { last -= 1 }
        guard first <= last, first < sourceLines.count else { return "" }
        return sourceLines[first...last].joined(separator: "\n")
    }

    /// Compiles a function body in its own scope and returns its code object.
    func compileCode(name: String, params: Parameters, inner: Scope, span: SourceSpan, isLambda: Bool,
                     body: (Compiler) throws -> (StmtFn, ExprBox?, Int)) throws -> CodeObject {
        let positional = params.positionalOnly + params.positional
        let owner = CodeOwner(hasReceiver: !positional.isEmpty, receiverIsCell: inner.cellSlots.contains(0))
        if !classOwners.isEmpty && scope.kind == .classBody { classOwners[classOwners.count - 1].append(owner) }
        let savedScope = scope, savedOwner = currentOwner, savedClassOwners = classOwners
        scope = inner
        currentOwner = owner
        classOwners = []
        let compiledBody: StmtFn
        let valueBody: ExprBox?
        let valueBodyLine: Int
        do {
            defer { scope = savedScope; currentOwner = savedOwner; classOwners = savedClassOwners }
            (compiledBody, valueBody, valueBodyLine) = try body(self)
        }
        return CodeObject(
            name: name, qualname: inner.qualname, filename: filename, firstLine: span.start.line,
            sourceText: sourceText(span), module: module,
            slotCount: inner.slotCount + 1,
            positionalNames: positional.map(\.name), positionalOnlyCount: params.positionalOnly.count,
            keywordOnlyNames: params.keywordOnly.map(\.name),
            varargsSlot: params.varargs != nil ? positional.count : nil,
            kwargsSlot: params.kwargs != nil ? positional.count + (params.varargs != nil ? 1 : 0) + params.keywordOnly.count : nil,
            cellSlots: inner.cellSlots, freeSlots: inner.freeVars.map(\.slot), isLambda: isLambda,
            isGenerator: inner.isGenerator, owner: owner, body: compiledBody, valueBody: valueBody,
            valueBodyLine: valueBodyLine)
    }

    /// The closure that creates a function object at run time: defaults, closure cells.
    func functionMaker(_ code: CodeObject, _ params: Parameters, _ inner: Scope) throws -> (Frame) throws(PyErr) -> Value {
        let positional = params.positionalOnly + params.positional
        var sawDefault = false
        for p in positional {
            if p.defaultValue != nil { sawDefault = true }
            else if sawDefault { throw error("non-default argument follows default argument", p.span) }
        }
        let defaults = try positional.compactMap { p in try p.defaultValue.map { ExprBox(try compileExpr($0)) } }
        let kwDefaults: [(String, ExprBox)] = try params.keywordOnly.compactMap { p in
            guard let d = p.defaultValue else { return nil }
            return (p.name, ExprBox(try compileExpr(d)))
        }
        let outerSlots = inner.freeVars.map(\.outer)
        return { fp throws(PyErr) in
            var dv: [Value] = []
            if !defaults.isEmpty {
                dv.reserveCapacity(defaults.count)
                for d in defaults { dv.append(try d.run(fp)) }
            }
            var kw: [String: Value] = [:]
            for (n, d) in kwDefaults { kw[n] = try d.run(fp) }
            var cells: [PyCell] = []
            if !outerSlots.isEmpty {
                cells.reserveCapacity(outerSlots.count)
                for s in outerSlots {
                    if case .obj(let o) = fp[s], o.kind == .cell { cells.append(unsafeDowncast(o, to: PyCell.self)) }
                    else { cells.append(PyCell()) }
                }
            }
            return .obj(PyFunction(code: code, defaults: dv, kwDefaults: kw, closure: cells))
        }
    }

    func compileFunctionDef(_ def: FunctionDef) throws -> StmtFn {
        let rt = self.rt
        guard let inner = resolved.scope(of: def) else { throw error("internal error: unresolved function", def.span) }
        let decorators = try def.decorators.map { ExprBox(try compileExpr($0)) }
        let code = try compileCode(name: def.name, params: def.params, inner: inner, span: def.span, isLambda: false) { c in
            // A generator's body runs through `runBody`, which needs the statement form.
            if !inner.isGenerator, let (vb, line) = try c.compileValueBody(def.body) {
                let ret = inner.slotCount
                let run = vb.run
                return ({ fp throws(PyErr) in
                    do throws(PyErr) {
                        Compiler.setReturn(fp + ret, try run(fp))
                    } catch {
                        if line != 0 { Compiler.mark(error, line) }
                        throw error
                    }
                    return .returned
                }, vb, line)
            }
            return (try c.compileBlock(def.body), nil, 0)
        }
        if let first = def.body.first, case .expr(let e) = first.kind, case .string(let d) = e.kind { code.doc = d }
        let make = try functionMaker(code, def.params, inner)
        let store = nameStore(def.name)
        return { fp throws(PyErr) in
            var decs: [Value] = []
            for d in decorators { decs.append(try d.run(fp)) }
            var f = try make(fp)
            for d in decs.reversed() { f = try rt.call(d, [f]) }
            try store(fp, f)
            return .normal
        }
    }

    func compileLambda(_ lambda: Lambda) throws -> ExprFn {
        guard let inner = resolved.scope(of: lambda) else { throw error("internal error: unresolved lambda", lambda.span) }
        let code = try compileCode(name: "<lambda>", params: lambda.params, inner: inner, span: lambda.span, isLambda: true) { c in
            let body = try c.compileExpr(lambda.body)
            let ret = inner.slotCount
            return ({ fp throws(PyErr) in
                fp[ret] = try body(fp)
                return .returned
            }, inner.isGenerator ? nil : ExprBox(body), 0)
        }
        return try functionMaker(code, lambda.params, inner)
    }

    func compileClassDef(_ cls: ClassDef) throws -> StmtFn {
        let rt = self.rt
        guard let inner = resolved.scope(of: cls) else { throw error("internal error: unresolved class", cls.span) }
        let decorators = try cls.decorators.map { ExprBox(try compileExpr($0)) }
        let bases = try cls.bases.map { ExprBox(try compileExpr($0)) }
        for k in cls.keywords {
            if case .keyword(let name, _, let span) = k, name != "metaclass" {
                throw error("class keyword arguments are not supported in stlang ('\(name)')", span)
            }
        }
        let savedScope = scope, savedOwner = currentOwner
        scope = inner
        currentOwner = nil
        classOwners.append([])
        let body: StmtFn
        do {
            body = try compileBlock(cls.body)
        } catch {
            scope = savedScope
            currentOwner = savedOwner
            classOwners.removeLast()
            throw error
        }
        let methodOwners = classOwners.removeLast()
        scope = savedScope
        currentOwner = savedOwner

        var doc: String?
        if let first = cls.body.first, case .expr(let e) = first.kind, case .string(let d) = e.kind { doc = d }
        let frameSize = inner.slotCount + 1
        let nsSlot = inner.slotCount
        let freeVars = inner.freeVars
        let name = cls.name
        let qualname = inner.qualname
        let moduleName = module.name
        let store = nameStore(cls.name)
        return { fp throws(PyErr) in
            var decs: [Value] = []
            for d in decorators { decs.append(try d.run(fp)) }
            var baseValues: [Value] = []
            for b in bases { baseValues.append(try b.run(fp)) }
            let bases = try rt.classBases(baseValues)

            let ns = PyDict()
            try ns.set(.str("__module__"), .str(moduleName), rt)
            try ns.set(.str("__qualname__"), .str(qualname), rt)
            try ns.set(.str("__doc__"), doc.map { .str($0) } ?? .none, rt)
            let cfp = try rt.pushFrame(frameSize)
            do throws(PyErr) {
                cfp[nsSlot] = .obj(ns)
                for fv in freeVars { cfp[fv.slot] = fp[fv.outer] }
                _ = try body(cfp)
            } catch {
                rt.popFrame(cfp, frameSize)
                throw error
            }
            rt.popFrame(cfp, frameSize)

            var dict: [String: Value] = [:]
            var order: [String] = []
            for (k, v) in ns.items {
                guard let ks = k.asStr, ks.value != "__qualname__" else { continue }
                if dict.updateValue(v, forKey: ks.value) == nil { order.append(ks.value) }
            }
            let c = try rt.makeClass(name, bases: bases, dict: dict, order: order, moduleName: moduleName)
            c.qualname = qualname
            for owner in methodOwners { owner.ownerClass = c }
            // (What super() would find from the new class: the next class of its MRO.)
            for k in c.mro.dropFirst() {
                guard let initSub = k.dict["__init_subclass__"] else { continue }
                if initSub.asFunction != nil { _ = try rt.call(initSub, [.obj(c)]) }
                break
            }
            var result: Value = .obj(c)
            for d in decs.reversed() { result = try rt.call(d, [result]) }
            try store(fp, result)
            return .normal
        }
    }
}

extension Runtime {
    /// The bases of a class statement (or of `type(name, bases, ns)`): classes that instances
    /// can extend (user classes, exceptions, object), each once; none means `object`.
    func classBases(_ bases: [Value]) throws(PyErr) -> [PyClass] {
        var out: [PyClass] = []
        for b in bases {
            guard let c = b.asClass else { throw typeError("bases must be types") }
            if c.isBuiltin && c === types.bool {
                throw typeError("type 'bool' is not an acceptable base type")
            }
            if c.isBuiltin && c !== types.object && !c.isException && c !== types.list && c !== types.dict {
                throw typeError("stlang does not support subclassing the builtin type '\(c.name)'")
            }
            if out.contains(where: { $0 === c }) { throw typeError("duplicate base class \(c.name)") }
            out.append(c)
        }
        if out.isEmpty { return [types.object] }
        // Instances of the new class hold one kind of builtin object, or an exception state:
        // bases that need two different ones cannot be combined (CPython: their layouts
        // conflict).
        var kinds: [ObjKind] = []
        var exception = false
        for c in out {
            if let k = storageKind(of: c), !kinds.contains(k) { kinds.append(k) }
            if c.isException { exception = true }
        }
        if kinds.count + (exception ? 1 : 0) > 1 { throw typeError("multiple bases have instance lay-out conflict") }
        return out
    }

    /// The builtin object kind instances of `c` hold: `list` and `dict` themselves, or
    /// inherited from them.
    func storageKind(of c: PyClass) -> ObjKind? {
        if c === types.list { return .list }
        if c === types.dict { return .dict }
        return c.storageKind
    }

    /// The method resolution order after a new class with these bases: CPython's C3
    /// linearisation (each base before its own bases, the bases' order kept, every class once).
    func methodResolutionOrder(after bases: [PyClass]) throws(PyErr) -> [PyClass] {
        if bases.count == 1 { return bases[0].mro }
        var lists: [[PyClass]] = bases.map { $0.mro } + [bases]
        var out: [PyClass] = []
        while true {
            lists.removeAll { $0.isEmpty }
            if lists.isEmpty { return out }
            // The first head that is in no list's tail.
            var next: PyClass?
            for l in lists {
                let head = l[0]
                if !lists.contains(where: { $0.dropFirst().contains { $0 === head } }) {
                    next = head
                    break
                }
            }
            guard let chosen = next else {
                var names: [String] = []
                var seen: [PyClass] = []
                for l in lists where !seen.contains(where: { $0 === l[0] }) {
                    seen.append(l[0])
                    names.append(l[0].name)
                }
                throw typeError("Cannot create a consistent method resolution\norder (MRO) for bases \(names.joined(separator: ", "))")
            }
            out.append(chosen)
            for i in lists.indices where lists[i][0] === chosen { lists[i].removeFirst() }
        }
    }

    /// A new user class with these bases (`classBases`) and its C3 MRO.
    func makeClass(_ name: String, bases: [PyClass], dict: [String: Value], order: [String],
                   moduleName: String) throws(PyErr) -> PyClass {
        let tail = try methodResolutionOrder(after: bases)
        let c = PyClass(name: name, base: bases.first, dict: dict, order: order, isBuiltin: false, moduleName: moduleName)
        if bases.count > 1 { c.setBases(bases, mroAfterSelf: tail) }  // (one base: its MRO follows)
        c.storageKind = bases.lazy.compactMap { self.storageKind(of: $0) }.first
        return c
    }
}
