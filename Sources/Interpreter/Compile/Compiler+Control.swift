import Resolve
import Syntax

extension Compiler {
    // MARK: - try / except / else / finally

    func compileTry(_ body: [Stmt], _ handlers: [ExceptHandler], _ orelse: [Stmt], _ finalbody: [Stmt]) throws -> StmtFn {
        let rt = self.rt
        let b = try compileBlock(body)
        let e = orelse.isEmpty ? nil : try compileBlock(orelse)
        // A class: stepping through the handlers then retains one reference each, not the
        // four closure contexts a struct's copy would (about 100 instructions per catch).
        final class Handler {
            let type: ExprBox?
            let store: StoreFn?
            let unbind: ((Frame) -> Void)?
            let body: StmtFn
            init(type: ExprBox?, store: StoreFn?, unbind: ((Frame) -> Void)?, body: @escaping StmtFn) {
                self.type = type
                self.store = store
                self.unbind = unbind
                self.body = body
            }
        }
        let hs: [Handler] = try handlers.map { h in
            var unbind: ((Frame) -> Void)?
            if let n = h.name {
                let store = nameStore(n)
                unbind = { fp in try? store(fp, .undef) }
            }
            return Handler(type: try h.type.map { ExprBox(try compileExpr($0)) },
                           store: h.name.map { nameStore($0) }, unbind: unbind,
                           body: try compileBlock(h.body))
        }
        // A caught exception's traceback ends at the frame that caught it (as CPython's does).
        var frameScope = scope
        while frameScope.kind == .comprehension, let p = frameScope.parent { frameScope = p }
        let frameName = frameScope.kind == .module ? "<module>" : frameScope.kind == .generator ? "<genexpr>" : frameScope.name
        let file = filename
        let tryExcept: StmtFn
        if hs.isEmpty {
            tryExcept = { fp throws(PyErr) in
                let f = try b(fp)
                if f == .normal, let e { return try e(fp) }
                return f
            }
        } else {
            tryExcept = { fp throws(PyErr) in
                let flow: Flow
                do throws(PyErr) {
                    flow = try b(fp)
                } catch {
                    for h in hs {
                        if let t = h.type {
                            let tv = try t.run(fp)
                            if try !rt.exceptionMatches(error, tv) { continue }
                        }
                        if error.state.pendingLine > 0 { rt.recordTraceback(error, file, frameName) }
                        if let store = h.store { try store(fp, .obj(error.exc)) }
                        rt.handling.append(error.exc)
                        let hf: Flow
                        do throws(PyErr) {
                            hf = try h.body(fp)
                        } catch let inner {
                            rt.handling.removeLast()
                            h.unbind?(fp)
                            if inner.exc !== error.exc, case .none = inner.state.context {
                                inner.state.context = .obj(error.exc)
                            }
                            throw inner
                        }
                        rt.handling.removeLast()
                        h.unbind?(fp)
                        return hf
                    }
                    throw error
                }
                if flow == .normal, let e { return try e(fp) }
                return flow
            }
        }
        if finalbody.isEmpty { return tryExcept }
        let fin = try compileBlock(finalbody)
        return { fp throws(PyErr) in
            let flow: Flow
            do throws(PyErr) {
                flow = try tryExcept(fp)
            } catch {
                // The finally block runs; if it leaves by return/break/continue, the exception is dropped.
                rt.handling.append(error.exc)
                let ff: Flow
                do throws(PyErr) {
                    ff = try fin(fp)
                } catch let inner {
                    rt.handling.removeLast()
                    if inner.exc !== error.exc, case .none = inner.state.context { inner.state.context = .obj(error.exc) }
                    throw inner
                }
                rt.handling.removeLast()
                if ff != .normal { return ff }
                throw error
            }
            let ff = try fin(fp)
            if ff != .normal { return ff }
            return flow
        }
    }

    // MARK: - raise

    func compileRaise(_ exc: Expr?, _ cause: Expr?) throws -> StmtFn {
        let rt = self.rt
        guard let exc else {
            return { _ throws(PyErr) in
                guard let current = rt.handling.last else {
                    throw rt.raise(rt.types.RuntimeError, "No active exception to reraise")
                }
                // A bare re-raise keeps the traceback: this frame is already in it.
                let err = PyErr(current)
                err.state.pendingLine = -1
                throw err
            }
        }
        let e = try compileExpr(exc)
        let c = try cause.map { try compileExpr($0) }
        return { fp throws(PyErr) in
            let inst = try rt.exceptionInstance(e(fp), forRaise: true)
            if let c {
                let cv = try c(fp)
                if case .none = cv {
                    inst.exception?.cause = .none
                } else {
                    inst.exception?.cause = .obj(try rt.exceptionInstance(cv, forRaise: false, isCause: true))
                }
                inst.exception?.suppressContext = true
            }
            if let current = rt.handling.last, current !== inst, case .none? = inst.exception?.context {
                inst.exception?.context = .obj(current)
            }
            throw PyErr(inst)
        }
    }

    // MARK: - with

    func compileWith(_ items: [WithItem], _ body: [Stmt]) throws -> StmtFn {
        guard let first = items.first else { return try compileBlock(body) }
        let rt = self.rt
        let ctx = try compileExpr(first.context)
        let store = try first.target.map { try compileStore($0) }
        let inner: StmtFn = items.count > 1 ? try compileWith(Array(items.dropFirst()), body) : try compileBlock(body)
        let site = WithSite(filename: filename, bodyLine: body.first?.span.start.line ?? 0)
        return { fp throws(PyErr) in
            let mgr = try ctx(fp)
            let cls = rt.typeOf(mgr)
            guard let enter = cls.lookup(.enter), let exit = cls.lookup(.exit) else {
                throw rt.typeError("'\(cls.name)' object does not support the context manager protocol")
            }
            rt.withSite = site
            let value = try rt.callMethod0(enter, mgr)
            let flow: Flow
            do throws(PyErr) {
                if let store { try store(fp, value) }
                flow = try inner(fp)
            } catch {
                rt.handling.append(error.exc)
                let suppress: Bool
                do throws(PyErr) {
                    let r = try rt.callMethod3(exit, mgr, .obj(error.exc.cls), .obj(error.exc), .none)
                    suppress = try rt.truthy(r)
                } catch let inner {
                    rt.handling.removeLast()
                    throw inner
                }
                rt.handling.removeLast()
                if suppress { return .normal }
                throw error
            }
            _ = try rt.callMethod3(exit, mgr, .none, .none, .none)
            return flow
        }
    }

    // MARK: - import

    func compileImport(_ aliases: [ImportAlias], _ span: SourceSpan) throws -> StmtFn {
        let rt = self.rt
        let steps: [(String, StoreFn, Bool)] = aliases.map { a in
            let top = String(a.name.split(separator: ".").first ?? Substring(a.name))
            return (a.name, nameStore(a.asName ?? top), a.asName == nil && a.name.contains("."))
        }
        let fromFile = filename
        return { fp throws(PyErr) in
            for (name, store, bindTop) in steps {
                let m = try rt.importModule(name, from: fromFile)
                if bindTop, let top = name.split(separator: ".").first {
                    try store(fp, .obj(try rt.importModule(String(top), from: fromFile)))
                } else {
                    try store(fp, .obj(m))
                }
            }
            return .normal
        }
    }

    func compileImportFrom(_ moduleName: String, _ names: [ImportAlias], _ level: Int, _ span: SourceSpan) throws -> StmtFn {
        let rt = self.rt
        if level > 0 {
            throw error("relative imports are not supported in stlang", span)
        }
        let fromFile = filename
        if names.count == 1 && names[0].name == "*" {
            let module = self.module
            return { _ throws(PyErr) in
                let m = try rt.importModule(moduleName, from: fromFile)
                for n in m.boundNames where !n.hasPrefix("_") {
                    if let v = m.get(n) { module.set(n, v) }
                }
                return .normal
            }
        }
        let steps: [(String, StoreFn)] = names.map { ($0.name, nameStore($0.asName ?? $0.name)) }
        return { fp throws(PyErr) in
            let m = try rt.importModule(moduleName, from: fromFile)
            for (name, store) in steps {
                guard let v = try rt.getAttrOrNil(.obj(m), name) else {
                    let location = m.filename.isEmpty ? "unknown location" : m.filename
                    throw rt.raise(rt.types.ImportError, "cannot import name '\(name)' from '\(moduleName)' (\(location))")
                }
                try store(fp, v)
            }
            return .normal
        }
    }
}

extension Runtime {
    /// Does a raised exception match an `except` clause's class (or tuple of classes)?
    func exceptionMatches(_ err: PyErr, _ spec: Value) throws(PyErr) -> Bool {
        if let c = spec.asClass {
            if !c.isException { throw typeError("catching classes that do not inherit from BaseException is not allowed") }
            return err.exc.cls.isSubclass(of: c)
        }
        if let t = spec.asTuple {
            for item in t.items where try exceptionMatches(err, item) { return true }
            return false
        }
        throw typeError("catching classes that do not inherit from BaseException is not allowed")
    }

    /// The instance `raise x` raises: a class is instantiated with no arguments.
    func exceptionInstance(_ v: Value, forRaise: Bool, isCause: Bool = false) throws(PyErr) -> PyInstance {
        if let c = v.asClass, c.isException {
            guard let inst = try instantiate(c, [], []).asInstance else {
                throw typeError("exceptions must derive from BaseException")
            }
            return inst
        }
        if let inst = v.asInstance, inst.exception != nil { return inst }
        if isCause { throw typeError("exception causes must derive from BaseException") }
        throw typeError("exceptions must derive from BaseException")
    }
}
