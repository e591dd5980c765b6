import Resolve
import Syntax

/// A compiled statement and the line it starts on (for tracebacks).
final class StmtBox {
    let run: StmtFn
    let line: Int
    init(_ run: @escaping StmtFn, line: Int) {
        self.run = run
        self.line = line
    }
    /// For compile functions that may decline (an optional box: an optional closure would
    /// come back wrapped in reabstraction thunks, two extra calls per run).
    convenience init(_ run: @escaping StmtFn) { self.init(run, line: 0) }
}

/// A compiled expression held in a class, so arrays of them need no reabstraction thunks.
final class ExprBox {
    let run: ExprFn
    /// For a plain local variable (call arguments): its slot and name, so a call site can
    /// read it from the frame without calling `run`; -1 otherwise.
    var localSlot = -1
    var localName = ""
    init(_ run: @escaping ExprFn) { self.run = run }

    /// The value, read straight from the frame for a local.
    @inline(__always)
    func value(_ fp: Frame, _ rt: Runtime) throws(PyErr) -> Value {
        try argumentValue(fp, rt, localSlot, localName, run)
    }
}

/// A compiled call argument held inline in a call site's box: a closure reached through two
/// boxes (site, then `ExprBox`) is called with a retain and release of its context.
struct InlineArg {
    let run: ExprFn
    let localSlot: Int
    let localName: String

    init(_ box: ExprBox) {
        run = box.run
        localSlot = box.localSlot
        localName = box.localName
    }

    /// The value, read straight from the frame for a local.
    @inline(__always)
    func value(_ fp: Frame, _ rt: Runtime) throws(PyErr) -> Value {
        try argumentValue(fp, rt, localSlot, localName, run)
    }
}

/// An argument's value: a local (`slot` >= 0) read straight from the frame, else `run`.
@inline(__always)
func argumentValue(_ fp: Frame, _ rt: Runtime, _ slot: Int, _ name: String, _ run: ExprFn) throws(PyErr) -> Value {
    if slot >= 0 {
        let v = fp[slot]
        if case .undef = v { throw rt.unboundLocal(name) }
        return v
    }
    return try run(fp)
}

/// A compiled assignment target.
typealias StoreFn = (Frame, Value) throws(PyErr) -> Void

/// A compiled assignment target held in a class (see `ExprBox`).
final class StoreBox {
    let run: StoreFn
    init(_ run: @escaping StoreFn) { self.run = run }
}

/// Turns a resolved AST into a tree of Swift closures ("closure compilation"): each node becomes
/// a closure specialised for its shape, so running a program is a chain of direct calls.
final class Compiler {
    let rt: Runtime
    let resolved: ResolvedModule
    let module: PyModule
    let filename: String
    let sourceLines: [Substring]
    /// The scope whose code is being compiled.
    var scope: Scope
    /// The function being compiled, for zero-argument `super()`.
    var currentOwner: CodeOwner?
    /// Functions defined directly in the class bodies being compiled.
    var classOwners: [[CodeOwner]] = []
    /// REPL input: the values of expression statements outside functions and classes go here.
    var displayHook: ((Value) throws(PyErr) -> Void)?
    /// Set by `compileStmt` when the statement it returned records its own line into
    /// exceptions (so the block needs no wrapper for it).
    var selfMarking = false
    /// `from __future__ import annotations`: annotations are kept as their source text.
    lazy var postponedAnnotations: Bool = resolved.module.body.contains { s in
        if case .importFrom(let m, let names, _) = s.kind, m == "__future__" { return names.contains { $0.name == "annotations" } }
        return false
    }

    init(rt: Runtime, resolved: ResolvedModule, module: PyModule) {
        self.rt = rt
        self.resolved = resolved
        self.module = module
        self.filename = resolved.module.filename
        self.sourceLines = resolved.module.source.split(separator: "\n", omittingEmptySubsequences: false)
        self.scope = resolved.moduleScope
    }

    /// The source text a span covers (columns are 1-based, in characters).
    func sourceSlice(_ span: SourceSpan) -> String {
        let first = span.start.line - 1, last = span.end.line - 1
        guard first >= 0, last < sourceLines.count, first <= last else { return "" }
        var lines = Array(sourceLines[first...last].map { Array(String($0)) })
        if let n = lines.indices.last { lines[n] = Array(lines[n].prefix(max(0, span.end.column - 1))) }
        lines[0] = Array(lines[0].dropFirst(max(0, span.start.column - 1)))
        return lines.map { String($0) }.joined(separator: "\n")
    }

    func error(_ message: String, _ span: SourceSpan) -> SyntaxError {
        let i = span.start.line - 1
        let text = i >= 0 && i < sourceLines.count ? String(sourceLines[i]) : ""
        return SyntaxError(message: message, filename: filename, location: span.start, lineText: text)
    }

    /// Compiles the module body. The result runs in a frame of `moduleScope.slotCount` slots.
    func compileModule() throws -> StmtFn {
        try compileBlock(resolved.module.body)
    }

    // MARK: - Blocks

    func compileBlock(_ stmts: [Stmt]) throws -> StmtFn {
        let boxes = try stmts.map { s in
            let fn = try compileStmt(s)
            // Statements that record their own line need no wrapper for it.
            let marks = selfMarking
            selfMarking = false
            return StmtBox(fn, line: marks ? 0 : s.span.start.line)
        }
        return Compiler.makeBlock(boxes)
    }

    /// Joins compiled statements into one closure: a tree of up to four statements per node,
    /// so running a block is a short chain of direct closure calls with no per-statement array
    /// access or ARC traffic. A leaf statement's line (0: it records its own) is recorded into
    /// an exception passing through it.
    static func makeBlock(_ boxes: [StmtBox]) -> StmtFn {
        if boxes.isEmpty { return { _ in .normal } }
        let (fn, line) = tree(boxes[...])
        guard line != 0 else { return fn }
        return { fp throws(PyErr) in
            do throws(PyErr) {
                return try fn(fp)
            } catch {
                Compiler.mark(error, line)
                throw error
            }
        }
    }

    /// A subtree of a block and the line its caller must record (0: none). Closures travel in
    /// `StmtBox`es: taken out of a generic array or tuple they would come wrapped in
    /// reabstraction thunks.
    private static func tree(_ boxes: ArraySlice<StmtBox>) -> (StmtFn, Int) {
        if boxes.count == 1, let b = boxes.first { return (b.run, b.line) }
        var parts: [StmtBox] = []
        if boxes.count <= 4 {
            parts = Array(boxes)
        } else {
            // Four chunks, as even as possible.
            let n = boxes.count
            var lo = boxes.startIndex
            for k in 0..<4 {
                let hi = boxes.startIndex + (n * (k + 1)) / 4
                let (fn, line) = tree(boxes[lo..<hi])
                parts.append(StmtBox(fn, line: line))
                lo = hi
            }
        }
        return (node(parts), 0)
    }

    @inline(__always)
    private static func step(_ f: StmtFn, _ line: Int, _ fp: Frame) throws(PyErr) -> Flow {
        do throws(PyErr) {
            return try f(fp)
        } catch {
            if line != 0 { Compiler.mark(error, line) }
            throw error
        }
    }

    /// Captures are the boxes, one word each: a closure capturing few words gets a small
    /// forwarding thunk that calls it directly (larger thunks are merged into shared ones,
    /// which cost one more call per statement).
    private static func node(_ parts: [StmtBox]) -> StmtFn {
        // The statements' closures and lines held in one object, so each node captures one
        // word (three or four captured boxes made the thunk a merged one).
        let k = BlockNode(parts)
        switch parts.count {
        case 2:
            return { fp throws(PyErr) in
                let f = try step(k.a, k.la, fp)
                if f != .normal { return f }
                return try step(k.b, k.lb, fp)
            }
        case 3:
            return { fp throws(PyErr) in
                var f = try step(k.a, k.la, fp)
                if f != .normal { return f }
                f = try step(k.b, k.lb, fp)
                if f != .normal { return f }
                return try step(k.c, k.lc, fp)
            }
        default:
            return { fp throws(PyErr) in
                var f = try step(k.a, k.la, fp)
                if f != .normal { return f }
                f = try step(k.b, k.lb, fp)
                if f != .normal { return f }
                f = try step(k.c, k.lc, fp)
                if f != .normal { return f }
                return try step(k.d, k.ld, fp)
            }
        }
    }

    /// Stores a function's result into its return slot, which is almost always empty
    /// (`.undef`, trivial: no release needed); a `return` in a `finally` may overwrite one.
    @inline(__always)
    static func setReturn(_ slot: UnsafeMutablePointer<Value>, _ v: Value) {
        if case .undef = slot.pointee { slot.initialize(to: v) } else { slot.pointee = v }
    }

    /// Stores into a local's slot. An old value holding no object needs no release: it is
    /// overwritten in place, without the outlined destroy call a plain assignment makes.
    @inline(__always)
    static func storeLocal(_ p: UnsafeMutablePointer<Value>, _ v: Value) {
        if case .obj = p.pointee { p.pointee = v } else { p.initialize(to: v) }
    }

    /// Records the line of the innermost statement an exception passed through.
    @inline(__always)
    static func mark(_ error: PyErr, _ line: Int) {
        let st = error.state
        if st.pendingLine == 0 { st.pendingLine = line }
    }

    // MARK: - Statements

    func compileStmt(_ stmt: Stmt) throws -> StmtFn {
        let rt = self.rt
        // Statements that set `selfMarking` record this line into exceptions themselves.
        let line = stmt.span.start.line
        switch stmt.kind {
        case .expr(let e):
            let f = try compileExpr(e)
            if let display = displayHook, scope.kind == .module {
                return { fp throws(PyErr) in try display(try f(fp)); return .normal }
            }
            selfMarking = true
            return { fp throws(PyErr) in
                do throws(PyErr) { _ = try f(fp) } catch { Compiler.mark(error, line); throw error }
                return .normal
            }

        case .assign(let targets, let value):
            if targets.count == 1, let swap = try compileParallelAssign(targets[0], value) { return swap.run }
            let v = try compileExpr(value)
            if targets.count == 1 {
                if case .name(let n) = targets[0].kind, case .local(let slot) = scope.lookup(n) {
                    selfMarking = true
                    return { fp throws(PyErr) in
                        do throws(PyErr) { Compiler.storeLocal(fp + slot, try v(fp)) } catch { Compiler.mark(error, line); throw error }
                        return .normal
                    }
                }
                let store = try compileStore(targets[0])
                selfMarking = true
                return { fp throws(PyErr) in
                    do throws(PyErr) { try store(fp, v(fp)) } catch { Compiler.mark(error, line); throw error }
                    return .normal
                }
            }
            let stores = try targets.map { try compileStore($0) }
            return { fp throws(PyErr) in
                let x = try v(fp)
                for s in stores { try s(fp, x) }
                return .normal
            }

        case .augAssign(let target, let op, let value):
            return try compileAugAssign(target, op, value)

        case .annAssign(let target, let annotation, let value):
            // In a class body, `name: T` records T in the class's __annotations__ (dataclasses
            // and NamedTuple-style code read it); elsewhere annotations are not evaluated.
            var record: ((Frame) throws(PyErr) -> Void)?
            if scope.kind == .classBody, case .name(let n) = target.kind {
                let ann: ExprFn
                if postponedAnnotations {
                    let text = Value.str(sourceSlice(annotation.span))
                    ann = { _ in text }
                } else {
                    ann = try compileExpr(annotation)
                }
                let nsSlot = scope.host.slotCount
                let key = Value.str(n), annotationsKey = Value.str("__annotations__")
                record = { fp throws(PyErr) in
                    guard let ns = fp[nsSlot].asDict else { return }
                    let table: PyDict
                    if let existing = try ns.get(annotationsKey, rt)?.asDict {
                        table = existing
                    } else {
                        table = PyDict()
                        try ns.set(annotationsKey, .obj(table), rt)
                    }
                    try table.set(key, try ann(fp), rt)
                }
            }
            guard let value else {
                guard let record else { return { _ in .normal } }
                return { fp throws(PyErr) in try record(fp); return .normal }
            }
            let v = try compileExpr(value)
            let store = try compileStore(target)
            return { fp throws(PyErr) in
                try store(fp, v(fp))
                try record?(fp)
                return .normal
            }

        case .ifStmt(let test, let body, let orelse):
            // Only the test needs this line: statements in the branches mark their own.
            let t = try compileCondition(test)
            let b = try compileBlock(body)
            if orelse.isEmpty, let special = specializedIf(test, b, nil, line) {
                selfMarking = true
                return special.run
            }
            if orelse.isEmpty {
                selfMarking = true
                return { fp throws(PyErr) in
                    let c: Bool
                    do throws(PyErr) { c = try t(fp) } catch { Compiler.mark(error, line); throw error }
                    return c ? try b(fp) : .normal
                }
            }
            let e = try compileBlock(orelse)
            selfMarking = true
            if let special = specializedIf(test, b, StmtBox(e), line) { return special.run }
            return { fp throws(PyErr) in
                let c: Bool
                do throws(PyErr) { c = try t(fp) } catch { Compiler.mark(error, line); throw error }
                return c ? try b(fp) : try e(fp)
            }

        case .whileStmt(let test, let body, let orelse):
            // Boxes: the closure captures three words (more made its thunk a merged one).
            let t = CondBox(try compileCondition(test))
            let b = StmtBox(try compileBlock(body), line: 0)
            let e = orelse.isEmpty ? nil : StmtBox(try compileBlock(orelse), line: 0)
            return { fp throws(PyErr) in
                while try t.run(fp) {
                    if interruptRequested != 0 { try rt.serviceInterrupt() }
                    switch try b.run(fp) {
                    case .normal, .continueLoop: continue
                    case .breakLoop: return .normal
                    case .returned: return .returned
                    }
                }
                if let e { return try e.run(fp) }
                return .normal
            }

        case .forStmt(let target, let iter, let body, let orelse):
            return try compileFor(target, iter, body, orelse)

        // These never raise: no line to record (a block of one of them needs no wrapper).
        case .breakStmt:
            selfMarking = true
            return { _ in .breakLoop }
        case .continueStmt:
            selfMarking = true
            return { _ in .continueLoop }
        case .pass:
            selfMarking = true
            return { _ in .normal }

        case .returnStmt(let value):
            // The frame's slot after the scope's own slots holds the return value.
            let ret = scope.host.slotCount
            guard let value else {
                selfMarking = true
                return { fp in fp[ret] = .none; return .returned }
            }
            if case .name(let n) = value.kind, case .local(let slot) = scope.lookup(n) {
                selfMarking = true
                return { fp throws(PyErr) in
                    let v = fp[slot]
                    if case .undef = v {
                        let error = rt.unboundLocal(n)
                        Compiler.mark(error, line)
                        throw error
                    }
                    Compiler.setReturn(fp + ret, v)
                    return .returned
                }
            }
            let v = try compileExpr(value)
            selfMarking = true
            return { fp throws(PyErr) in
                do throws(PyErr) { Compiler.setReturn(fp + ret, try v(fp)) } catch { Compiler.mark(error, line); throw error }
                return .returned
            }

        case .functionDef(let def):
            return try compileFunctionDef(def)

        case .classDef(let cls):
            return try compileClassDef(cls)

        case .tryStmt(let body, let handlers, let orelse, let finalbody):
            return try compileTry(body, handlers, orelse, finalbody)

        case .raise(let exc, let cause):
            return try compileRaise(exc, cause)

        case .with(let items, let body):
            return try compileWith(items, body)

        case .assert(let test, let msg):
            let t = try compileCondition(test)
            let m = try msg.map { ExprBox(try compileExpr($0)) }
            // The failure out of line, its message in a box: three captured words.
            let failure = ExprBox { fp throws(PyErr) in
                if let m { throw rt.raise(rt.types.AssertionError, args: [try m.run(fp)]) }
                throw rt.raise(rt.types.AssertionError, args: [])
            }
            return { fp throws(PyErr) in
                if try !t(fp) { _ = try failure.run(fp) }
                return .normal
            }

        case .delete(let targets):
            let dels = try targets.map { try compileDelete($0) }
            return { fp throws(PyErr) in
                for d in dels { try d(fp) }
                return .normal
            }

        case .global, .nonlocal:
            selfMarking = true
            return { _ in .normal }

        case .importStmt(let aliases):
            return try compileImport(aliases, stmt.span)

        case .importFrom(let moduleName, let names, let level):
            return try compileImportFrom(moduleName, names, level, stmt.span)
        }
    }

    /// A test expression as a Swift Bool, with the comparison fast paths inlined.
    func compileCondition(_ e: Expr) throws -> (Frame) throws(PyErr) -> Bool {
        let rt = self.rt
        if case .compare(let left, let rest) = e.kind, rest.count == 1 {
            let (op, right) = rest[0]
            if let s = specializedCondition(op, left, right) { return s.run }
            if op == .is || op == .isNot, case .none = right.kind { return try compileNoneTest(left, negate: op == .isNot).run }
            let l = try compileExpr(left), r = try compileExpr(right)
            switch op {
            case .lt:
                return { fp throws(PyErr) in
                    let a = try l(fp), b = try r(fp)
                    if case .int(let x) = a, case .int(let y) = b { return x < y }
                    return try rt.truthy(rt.richCompare(a, b, .lt))
                }
            case .le:
                return { fp throws(PyErr) in
                    let a = try l(fp), b = try r(fp)
                    if case .int(let x) = a, case .int(let y) = b { return x <= y }
                    return try rt.truthy(rt.richCompare(a, b, .le))
                }
            case .gt:
                return { fp throws(PyErr) in
                    let a = try l(fp), b = try r(fp)
                    if case .int(let x) = a, case .int(let y) = b { return x > y }
                    return try rt.truthy(rt.richCompare(a, b, .gt))
                }
            case .ge:
                return { fp throws(PyErr) in
                    let a = try l(fp), b = try r(fp)
                    if case .int(let x) = a, case .int(let y) = b { return x >= y }
                    return try rt.truthy(rt.richCompare(a, b, .ge))
                }
            case .eq:
                return { fp throws(PyErr) in
                    let a = try l(fp), b = try r(fp)
                    if case .int(let x) = a, case .int(let y) = b { return x == y }
                    return try rt.equal(a, b)
                }
            case .ne:
                return { fp throws(PyErr) in
                    let a = try l(fp), b = try r(fp)
                    if case .int(let x) = a, case .int(let y) = b { return x != y }
                    return try rt.truthy(rt.richCompare(a, b, .ne))
                }
            case .in, .notIn:
                // Membership as a Swift Bool: no bool value made and tested again.
                let lbox = ExprBox(l), rbox = ExprBox(r)
                let negate = op == .notIn
                if case .name(let n) = right.kind, let slot = localSlot(right), isPlainIndex(left) {
                    // `w in counts` with a local dict or set: the container is read in place,
                    // borrowed from its slot (the item, a local or constant, cannot rebind it).
                    return { fp throws(PyErr) in
                        let a = try lbox.run(fp)
                        let p = fp + slot
                        if let found = try borrowedContains(p, a, rt) { return found != negate }
                        if case .undef = p.pointee { throw rt.unboundLocal(n) }
                        return try rt.contains(p.pointee, a) != negate
                    }
                }
                return { fp throws(PyErr) in
                    let a = try lbox.run(fp), b = try rbox.run(fp)
                    return try rt.contains(b, a) != negate
                }
            case .is, .isNot:
                let lbox = ExprBox(l), rbox = ExprBox(r)
                let negate = op == .isNot
                return { fp throws(PyErr) in
                    let a = try lbox.run(fp), b = try rbox.run(fp)
                    return a.isIdentical(b) != negate
                }
            }
        }
        if case .unary(.not, let inner) = e.kind {
            let c = try compileCondition(inner)
            return { fp throws(PyErr) in try !c(fp) }
        }
        if case .boolOp(let op, let a, let b) = e.kind {
            let ca = try compileCondition(a), cb = try compileCondition(b)
            if op == .and {
                return { fp throws(PyErr) in
                    if try !ca(fp) { return false }
                    return try cb(fp)
                }
            }
            return { fp throws(PyErr) in
                if try ca(fp) { return true }
                return try cb(fp)
            }
        }
        let f = try compileExpr(e)
        return { fp throws(PyErr) in
            let v = try f(fp)
            if case .bool(let b) = v { return b }
            return try rt.truthy(v)
        }
    }

    /// `x is None` / `x is not None` as a test: the operand's case checked, with no None
    /// loaded and compared; a local operand is read straight from its slot.
    func compileNoneTest(_ operand: Expr, negate: Bool) throws -> CondBox {
        if case .name(let n) = operand.kind, case .local(let slot) = scope.lookup(n) {
            let k = OperandSite(rt, i: slot, n: n, c: negate ? 1 : 0)
            if negate {
                return CondBox { fp throws(PyErr) in
                    switch fp[k.i] {
                    case .none: return false
                    case .undef: throw k.rt.unboundLocal(k.n)
                    default: return true
                    }
                }
            }
            return CondBox { fp throws(PyErr) in
                switch fp[k.i] {
                case .none: return true
                case .undef: throw k.rt.unboundLocal(k.n)
                default: return false
                }
            }
        }
        let value = ExprBox(try compileExpr(operand))
        return CondBox { fp throws(PyErr) in
            if case .none = try value.run(fp) { return !negate }
            return negate
        }
    }

    // MARK: - Loops

    func compileFor(_ target: Expr, _ iter: Expr, _ body: [Stmt], _ orelse: [Stmt]) throws -> StmtFn {
        if let fast = try compileForRange(target, iter, body, orelse) { return fast.run }
        let b = try compileBlock(body)
        let e = orelse.isEmpty ? nil : try compileBlock(orelse)
        if let pairs = try compilePairLoop(target, iter, b, e) { return pairs.run }
        return try compileForGeneral(target, iter, b, e)
    }

    func compileForGeneral(_ target: Expr, _ iter: Expr, _ b: @escaping StmtFn, _ e: StmtFn?) throws -> StmtFn {
        let rt = self.rt
        let it = try compileExpr(iter)
        var localSlot = -1
        if case .name(let n) = target.kind, case .local(let s) = scope.lookup(n) { localSlot = s }
        let store = try compileStore(target)

        return { fp throws(PyErr) in
            var seq = try it(fp)
            // A list or dict subclass's instance that keeps the type's `__iter__`: its storage.
            if case .obj(let o) = seq, o.kind == .instance, let s = rt.unoverriddenStorage(o, .iter) { seq = .obj(s) }
            // Runs the body once; returns nil to go on, or the flow that ends the loop.
            if case .obj(let o) = seq {
                switch o.kind {
                case .range:
                    let r = unsafeDowncast(o, to: PyRange.self)
                    return try Compiler.loopInts(r.start, r.stop, r.step, fp, b, e, rt) { i throws(PyErr) in
                        if localSlot >= 0 { Compiler.storeLocal(fp + localSlot, .int(i)) } else { try store(fp, .int(i)) }
                    }
                case .list:
                    let l = unsafeDowncast(o, to: PyList.self)
                    var i = 0
                    while i < l.items.count {
                        let v = l.items[i]
                        if localSlot >= 0 { Compiler.storeLocal(fp + localSlot, v) } else { try store(fp, v) }
                        if let end = try Compiler.loopStep(b, fp, rt) { return end }
                        i += 1
                    }
                    if let e { return try e(fp) }
                    return .normal
                case .iterator:
                    // A generator function's generator: resumed here, each item moved into
                    // the target (no closure call and no copy per item). `seq` is kept to the
                    // end: dropped early, the generator object would close its body.
                    guard let g = unsafeDowncast(o, to: PyIterator.self).generator else { break }
                    return try withExtendedLifetime(seq) { () throws(PyErr) -> Flow in
                        while let v = try rt.resume(g, send: .none, throwing: nil) {
                            if localSlot >= 0 { Compiler.storeLocal(fp + localSlot, v) } else { try store(fp, v) }
                            if let end = try Compiler.loopStep(b, fp, rt) { return end }
                        }
                        if let e { return try e(fp) }
                        return .normal
                    }
                default:
                    break
                }
            }
            var ended: Flow? = nil
            try rt.forEach(seq) { v throws(PyErr) in
                if localSlot >= 0 { Compiler.storeLocal(fp + localSlot, v) } else { try store(fp, v) }
                if interruptRequested != 0 { try rt.serviceInterrupt() }
                switch try b(fp) {
                case .normal, .continueLoop: return true
                case .breakLoop: ended = .normal; return false
                case .returned: ended = .returned; return false
                }
            }
            if let ended { return ended }
            if let e { return try e(fp) }
            return .normal
        }
    }

    /// `for i in range(...)` with the builtin range: counts without creating a range object.
    func compileForRange(_ target: Expr, _ iter: Expr, _ body: [Stmt], _ orelse: [Stmt]) throws -> StmtBox? {
        guard case .call(let fn, let args) = iter.kind, case .name("range") = fn.kind, case .global = scope.lookup("range"),
              (1...3).contains(args.count),
              case .name(let n) = target.kind, case .local(let slot) = scope.lookup(n) else { return nil }
        let argExprs = args.compactMap { a -> Expr? in if case .positional(let e) = a { return e }; return nil }
        guard argExprs.count == args.count else { return nil }
        let argFns = try argExprs.map { ExprBox(try compileExpr($0)) }
        let b = try compileBlock(body)
        let e = orelse.isEmpty ? nil : try compileBlock(orelse)
        let general = try compileForGeneral(target, iter, b, e)
        let rt = self.rt
        let module = self.module
        let idx = module.slot(for: "range")
        return StmtBox { fp throws(PyErr) in
            guard case .undef = module.globals[idx] else { return try general(fp) }
            var raw: [Value] = []
            for a in argFns { raw.append(try a.run(fp)) }
            let bounds: (Int, Int, Int)
            switch (raw.count, raw.first, raw.count > 1 ? raw[1] : .none, raw.count > 2 ? raw[2] : .none) {
            case (1, .int(let stop)?, _, _): bounds = (0, stop, 1)
            case (2, .int(let start)?, .int(let stop), _): bounds = (start, stop, 1)
            case (3, .int(let start)?, .int(let stop), .int(let step)) where step != 0: bounds = (start, stop, step)
            default:
                // Not plain ints: the range constructor validates (and raises) as usual; bounds
                // beyond machine ints make a big range, iterated as any iterable.
                let made = try rt.call(.obj(rt.types.range), raw)
                guard case .obj(let o) = made, o.kind == .range else {
                    return try Compiler.loopValues(made, fp, b, e, rt) { v in Compiler.storeLocal(fp + slot, v) }
                }
                let r = unsafeDowncast(o, to: PyRange.self)
                bounds = (r.start, r.stop, r.step)
            }
            return try Compiler.loopInts(bounds.0, bounds.1, bounds.2, fp, b, e, rt) { i in Compiler.storeLocal(fp + slot, .int(i)) }
        }
    }

    /// One run of a loop body (after the interrupt check): nil to go on, or the flow the loop
    /// ends with (`break` ends it normally).
    @inline(__always)
    static func loopStep(_ body: StmtFn, _ fp: Frame, _ rt: Runtime) throws(PyErr) -> Flow? {
        if interruptRequested != 0 { try rt.serviceInterrupt() }
        switch try body(fp) {
        case .normal, .continueLoop: return nil
        case .breakLoop: return .normal
        case .returned: return .returned
        }
    }

    /// The body of a loop over any iterable's items, then its `else` unless it broke out.
    static func loopValues(_ iterable: Value, _ fp: Frame, _ body: StmtFn, _ orelse: StmtFn?, _ rt: Runtime,
                           assign: (Value) throws(PyErr) -> Void) throws(PyErr) -> Flow {
        let it = try rt.iterator(of: iterable)
        while let v = try rt.nextItem(it) {
            try assign(v)
            if let end = try Compiler.loopStep(body, fp, rt) { return end }
        }
        if let orelse { return try orelse(fp) }
        return .normal
    }

    /// The body of a loop over the ints of a range, then its `else` unless it broke out.
    @inline(__always)
    static func loopInts(_ start: Int, _ stop: Int, _ step: Int, _ fp: Frame, _ body: StmtFn, _ orelse: StmtFn?, _ rt: Runtime,
                         assign: (Int) throws(PyErr) -> Void) throws(PyErr) -> Flow {
        var i = start
        while step > 0 ? i < stop : i > stop {
            try assign(i)
            if let end = try Compiler.loopStep(body, fp, rt) { return end }
            let (next, o) = i.addingReportingOverflow(step)
            if o { break }
            i = next
        }
        if let orelse { return try orelse(fp) }
        return .normal
    }

    // MARK: - Assignment targets

    func compileStore(_ target: Expr) throws -> StoreFn {
        let rt = self.rt
        switch target.kind {
        case .name(let n):
            return nameStore(n)
        case .attribute(let objExpr, let name):
            let cache = AttrCache()
            if case .name(let n) = objExpr.kind, case .local(let slot) = scope.lookup(n) {
                // `self.x = v`: the instance stays borrowed in its slot while the cache is checked.
                // One box captured; the miss path out of line (as for reads).
                let k = AttributeSite(rt: rt, slot: slot, localName: n, name: name, cache: cache)
                return { fp, v throws(PyErr) in
                    if cachedSlotWrite(fp + k.slot, k.cache, v) { return }
                    try k.missedWrite(fp, v)
                }
            }
            let obj = try compileExpr(objExpr)
            return { fp, v throws(PyErr) in try rt.cachedSetAttr(try obj(fp), name, v, cache) }
        case .subscript(let objExpr, let indexExpr):
            let obj = try compileExpr(objExpr)
            let index = try compileExpr(indexExpr)
            return { fp, v throws(PyErr) in
                let o = try obj(fp)
                let i = try index(fp)
                if case .obj(let lo) = o, lo.kind == .list, case .int(var k) = i {
                    // `xs[i] = v` in range: stored in place; the old value is released after
                    // the write (releasing it may run code, e.g. a dropped generator's finally).
                    let l = unsafeDowncast(lo, to: PyList.self)
                    if k < 0 { k += l.items.count }
                    if k >= 0 && k < l.items.count {
                        var old = v
                        swap(&l.items[k], &old)
                        return
                    }
                }
                try rt.setItem(o, i, v)
            }
        case .tuple(let elts), .list(let elts):
            return try compileUnpack(elts, target.span)
        case .starred:
            throw error("starred assignment target must be in a list or tuple", target.span)
        default:
            throw error("cannot assign to expression", target.span)
        }
    }

    func nameStore(_ n: String) -> StoreFn {
        let rt = self.rt
        switch scope.lookup(n) {
        case .local(let slot):
            return { fp, v in Compiler.storeLocal(fp + slot, v) }
        case .cell(let slot):
            return { fp, v in unsafeDowncast(fp[slot].asObject.unsafelyUnwrapped, to: PyCell.self).value = v }
        case .global(let name):
            let module = self.module
            let idx = module.slot(for: name)
            return { _, v in module.store(idx, v) }
        case .classLocal(let name, _):
            let nsSlot = scope.host.slotCount
            let key = Value.str(name)
            return { fp, v throws(PyErr) in
                guard let ns = fp[nsSlot].asDict else { return }
                try ns.set(key, v, rt)
            }
        }
    }

    /// `a, b = x, y` (2 or 3 names, no starred items): evaluates the right side left to right,
    /// then stores left to right, with no tuple in between.
    func compileParallelAssign(_ target: Expr, _ value: Expr) throws -> StmtBox? {
        guard case .tuple(let rhs) = value.kind else { return nil }
        let lhs: [Expr]
        switch target.kind {
        case .tuple(let e), .list(let e): lhs = e
        default: return nil
        }
        guard lhs.count == rhs.count, lhs.count == 2 || lhs.count == 3 else { return nil }
        func isStar(_ e: Expr) -> Bool { if case .starred = e.kind { return true }; return false }
        guard !lhs.contains(where: isStar), !rhs.contains(where: isStar) else { return nil }
        // Closures travel in boxes: taken out of an array they would come wrapped in
        // reabstraction thunks.
        let vals = try rhs.map { ExprBox(try compileExpr($0)) }
        let slots = lhs.compactMap { e -> Int? in
            if case .name(let n) = e.kind, case .local(let slot) = scope.lookup(n) { return slot }
            return nil
        }
        if slots.count == lhs.count {
            if lhs.count == 2 {
                let v0 = vals[0].run, v1 = vals[1].run, i0 = slots[0], i1 = slots[1]
                return StmtBox { fp throws(PyErr) in
                    let x = try v0(fp)
                    let y = try v1(fp)
                    fp[i0] = x
                    fp[i1] = y
                    return .normal
                }
            }
            let v0 = vals[0].run, v1 = vals[1].run, v2 = vals[2].run, i0 = slots[0], i1 = slots[1], i2 = slots[2]
            return StmtBox { fp throws(PyErr) in
                let x = try v0(fp)
                let y = try v1(fp)
                let z = try v2(fp)
                fp[i0] = x
                fp[i1] = y
                fp[i2] = z
                return .normal
            }
        }
        let stores = try lhs.map { StoreBox(try compileStore($0)) }
        if lhs.count == 2 {
            let v0 = vals[0].run, v1 = vals[1].run, s0 = stores[0].run, s1 = stores[1].run
            return StmtBox { fp throws(PyErr) in
                let x = try v0(fp)
                let y = try v1(fp)
                try s0(fp, x)
                try s1(fp, y)
                return .normal
            }
        }
        let v0 = vals[0].run, v1 = vals[1].run, v2 = vals[2].run, s0 = stores[0].run, s1 = stores[1].run, s2 = stores[2].run
        return StmtBox { fp throws(PyErr) in
            let x = try v0(fp)
            let y = try v1(fp)
            let z = try v2(fp)
            try s0(fp, x)
            try s1(fp, y)
            try s2(fp, z)
            return .normal
        }
    }

    func compileUnpack(_ elts: [Expr], _ span: SourceSpan) throws -> StoreFn {
        let rt = self.rt
        let starIndex = elts.firstIndex { if case .starred = $0.kind { return true }; return false }
        if let si = starIndex, elts[(si + 1)...].contains(where: { if case .starred = $0.kind { return true }; return false }) {
            throw error("multiple starred expressions in assignment", span)
        }
        let stores: [StoreBox] = try elts.map { e in
            if case .starred(let inner) = e.kind { return StoreBox(try compileStore(inner)) }
            return StoreBox(try compileStore(e))
        }
        let n = elts.count
        // All plain local names (`a, b = pair`, `for k, v in ...`): a tuple or list of the
        // right length goes straight into the slots.
        let slots = elts.compactMap { e -> Int? in
            if case .name(let nm) = e.kind, case .local(let slot) = scope.lookup(nm) { return slot }
            return nil
        }
        let allLocal = starIndex == nil && slots.count == n
        return { fp, v throws(PyErr) in
            if allLocal, case .obj(let o) = v, o.kind == .tuple || o.kind == .list {
                let items = o.kind == .tuple ? unsafeDowncast(o, to: PyTuple.self).items : unsafeDowncast(o, to: PyList.self).items
                if items.count == n {
                    for i in 0..<n { fp[slots[i]] = items[i] }
                    return
                }
            }
            let items: [Value]
            if let t = v.asTuple { items = t.items }
            else if let l = v.asList { items = l.items }
            else {
                do throws(PyErr) {
                    items = starIndex == nil ? try rt.collect(v, atMost: n + 1) : try rt.collect(v)
                } catch {
                    if rt.matches(error, rt.types.TypeError), rt.typeOf(v).lookup(.iter) == nil {
                        throw rt.typeError("cannot unpack non-iterable \(rt.typeName(v)) object")
                    }
                    throw error
                }
            }
            if let si = starIndex {
                let after = n - si - 1
                if items.count < n - 1 {
                    throw rt.valueError("not enough values to unpack (expected at least \(n - 1), got \(items.count))")
                }
                for i in 0..<si { try stores[i].run(fp, items[i]) }
                try stores[si].run(fp, .obj(PyList(Array(items[si..<(items.count - after)]))))
                for j in 0..<after { try stores[si + 1 + j].run(fp, items[items.count - after + j]) }
                return
            }
            if items.count != n {
                if items.count < n {
                    throw rt.valueError("not enough values to unpack (expected \(n), got \(items.count))")
                }
                throw rt.valueError("too many values to unpack (expected \(n))")
            }
            for i in 0..<n { try stores[i].run(fp, items[i]) }
        }
    }

    func compileDelete(_ target: Expr) throws -> (Frame) throws(PyErr) -> Void {
        let rt = self.rt
        switch target.kind {
        case .name(let n):
            switch scope.lookup(n) {
            case .local(let slot):
                return { fp throws(PyErr) in
                    if case .undef = fp[slot] { throw rt.unboundLocal(n) }
                    fp[slot] = .undef
                }
            case .cell(let slot):
                return { fp throws(PyErr) in
                    let c = unsafeDowncast(fp[slot].asObject.unsafelyUnwrapped, to: PyCell.self)
                    if case .undef = c.value { throw rt.unboundLocal(n) }
                    c.value = .undef
                }
            case .global(let name):
                let module = self.module
                let idx = module.slot(for: name)
                return { _ throws(PyErr) in
                    if case .undef = module.globals[idx] { throw rt.nameError(name) }
                    module.store(idx, .undef)
                }
            case .classLocal(let name, _):
                let nsSlot = scope.host.slotCount
                return { fp throws(PyErr) in
                    guard let ns = fp[nsSlot].asDict, try ns.remove(.str(name), rt) != nil else { throw rt.nameError(name) }
                }
            }
        case .attribute(let objExpr, let name):
            let obj = try compileExpr(objExpr)
            return { fp throws(PyErr) in try rt.delAttr(obj(fp), name) }
        case .subscript(let objExpr, let indexExpr):
            let obj = try compileExpr(objExpr)
            let index = try compileExpr(indexExpr)
            return { fp throws(PyErr) in
                let o = try obj(fp)
                try rt.delItem(o, index(fp))
            }
        case .tuple(let elts), .list(let elts):
            let dels = try elts.map { try compileDelete($0) }
            return { fp throws(PyErr) in for d in dels { try d(fp) } }
        default:
            throw error("cannot delete expression", target.span)
        }
    }

    func compileAugAssign(_ target: Expr, _ op: BinaryOp, _ value: Expr) throws -> StmtFn {
        let rt = self.rt
        // Boxed operands: the closures capture few words (see `Compiler.node`).
        let vbox = ExprBox(try compileExpr(value))
        let kind = binaryKind(op)
        switch target.kind {
        case .name(let n):
            let loadBox = ExprBox(try compileExpr(target))
            if case .local(let slot) = scope.lookup(n) {
                // (Not self-marking: capturing the line as well made this closure's thunk a
                // merged one, which cost more in loops than the wrapper of a one-statement body.)
                if kind == .add {
                    return { fp throws(PyErr) in
                        let b = try vbox.run(fp)
                        if case .int(let x) = fp[slot], case .int(let y) = b {
                            let (r, o) = x.addingReportingOverflow(y)
                            if !o { (fp + slot).initialize(to: .int(r)); return .normal }  // (the old value: an int)
                        }
                        if appendInPlace(fp + slot, b) { return .normal }
                        let a = try loadBox.run(fp)
                        Compiler.storeLocal(fp + slot, try rt.inplace(.add, a, b))
                        return .normal
                    }
                }
                return { fp throws(PyErr) in
                    let a = try loadBox.run(fp)
                    Compiler.storeLocal(fp + slot, try rt.inplace(kind, a, vbox.run(fp)))
                    return .normal
                }
            }
            if case .global(let name) = scope.lookup(n), kind == .add {
                let module = self.module
                let idx = module.slot(for: name)
                return { fp throws(PyErr) in
                    let b = try vbox.run(fp)
                    if case .int(let x) = module.globals[idx], case .int(let y) = b {
                        let (r, o) = x.addingReportingOverflow(y)
                        if !o { module.store(idx, .int(r)); return .normal }
                    }
                    let done = module.globals.withUnsafeMutableBufferPointer { buf -> Bool in
                        guard let base = buf.baseAddress else { return false }
                        return appendInPlace(base + idx, b)
                    }
                    if done { return .normal }
                    let a = try loadBox.run(fp)
                    module.store(idx, try rt.inplace(.add, a, b))
                    return .normal
                }
            }
            let store = nameStore(n)
            return { fp throws(PyErr) in
                let a = try loadBox.run(fp)
                try store(fp, rt.inplace(kind, a, vbox.run(fp)))
                return .normal
            }
        case .attribute(let objExpr, let name):
            let obj = try compileExpr(objExpr)
            let getCache = AttrCache(), setCache = AttrCache()
            return { fp throws(PyErr) in
                let o = try obj(fp)
                let a = try rt.cachedGetAttr(o, name, getCache)
                let b = try vbox.run(fp)
                if case .int(let x) = a, case .int(let y) = b, kind == .add {
                    let (r, ov) = x.addingReportingOverflow(y)
                    if !ov { try rt.cachedSetAttr(o, name, .int(r), setCache); return .normal }
                }
                try rt.cachedSetAttr(o, name, rt.inplace(kind, a, b), setCache)
                return .normal
            }
        case .subscript(let objExpr, let indexExpr):
            let obj = try compileExpr(objExpr)
            let index = try compileExpr(indexExpr)
            var objSlot = -1
            var objName = ""
            if case .name(let n) = objExpr.kind, case .local(let slot) = scope.lookup(n) { objSlot = slot; objName = n }
            return { fp throws(PyErr) in
                let o: Value
                if objSlot >= 0 {
                    o = fp[objSlot]
                    if case .undef = o { throw rt.unboundLocal(objName) }
                } else {
                    o = try obj(fp)
                }
                let i = try index(fp)
                if case .obj(let lo) = o, lo.kind == .list, case .int(var k) = i {
                    let l = unsafeDowncast(lo, to: PyList.self)
                    if k < 0 { k += l.items.count }
                    if k >= 0 && k < l.items.count {
                        let a = l.items[k]
                        let b = try vbox.run(fp)
                        let r: Value
                        switch (a, b, kind) {
                        case (.float(let x), .float(let y), .add): r = .float(x + y)
                        case (.float(let x), .float(let y), .sub): r = .float(x - y)
                        case (.float(let x), .float(let y), .mul): r = .float(x * y)
                        default: r = try rt.inplace(kind, a, b)
                        }
                        if k < l.items.count { l.items[k] = r } else { try rt.setItem(o, i, r) }
                        return .normal
                    }
                }
                if case .obj(let dobj) = o, dobj.kind == .dict {
                    // `d[k] += v` on a key present: one lookup, the value replaced where it is
                    // (unless the dict's layout changed meanwhile, when it is stored again).
                    let d = unsafeDowncast(dobj, to: PyDict.self)
                    if let e = try d.entryIndex(i, rt) {
                        let version = d.layoutVersion
                        let a = d.value(at: e)
                        let b = try vbox.run(fp)
                        let r: Value
                        if case .int(let x) = a, case .int(let y) = b, kind == .add, case (let s, false) = x.addingReportingOverflow(y) {
                            r = .int(s)
                        } else {
                            r = try rt.inplace(kind, a, b)
                        }
                        if d.layoutVersion == version { d.setValue(r, at: e) } else { try rt.setItem(o, i, r) }
                        return .normal
                    }
                }
                let a = try rt.getItem(o, i)
                try rt.setItem(o, i, rt.inplace(kind, a, vbox.run(fp)))
                return .normal
            }
        default:
            throw error("'\(describe(target))' is an illegal expression for augmented assignment", target.span)
        }
    }

    func describe(_ e: Expr) -> String {
        switch e.kind {
        case .tuple: return "tuple"
        case .list: return "list"
        case .call: return "function call"
        default: return "expression"
        }
    }

    func binaryKind(_ op: BinaryOp) -> BinaryOpKind {
        switch op {
        case .add: return .add
        case .sub: return .sub
        case .mul: return .mul
        case .div: return .div
        case .floorDiv: return .floorDiv
        case .mod: return .mod
        case .pow: return .pow
        case .lshift: return .lshift
        case .rshift: return .rshift
        case .bitAnd: return .and
        case .bitOr: return .or
        case .bitXor: return .xor
        case .matMul: return .matMul
        }
    }
}

/// A per-site cache of an instance attribute's slot for one shape.
final class AttrCache {
    /// Two (shape, slot) entries: sites that see two kinds of object stay fast.
    var shape: Shape?
    var index = 0
    var shape2: Shape?
    var index2 = 0
    var shape3: Shape?
    var index3 = 0
    var shape4: Shape?
    var index4 = 0
    /// For stores that add the attribute: the shape before and after.
    var addFrom: Shape?
    var addTo: Shape?
    /// A plain class attribute (a constant, not a method or property) read through instances
    /// of one class and shape, valid while no class changes (`classEpoch`).
    var classShape: Shape?
    var classOwner: PyClass?
    var classEpochSeen = -1
    var classValue: Value = .none
    /// An attribute read from a class object (`Strength.REQUIRED`, `C.method`): the value,
    /// valid while no class changes.
    var classReceiver: PyClass?
    var classReceiverEpoch = -1
    var classReceiverValue: Value = .none
    /// An attribute read from a module (`math.pi`): its global slot (slots never move).
    var moduleReceiver: PyModule?
    var moduleSlot = 0
    /// A property read through instances of one class, valid while no class changes.
    var propertyOwner: PyClass?
    var propertyEpoch = -1
    var property: PyProperty?
    /// A shape known to lack the attribute (no instance slot, nothing on the class, no
    /// `__getattr__`), valid while no class changes: `hasattr` misses without a lookup.
    var missShape: Shape?
    var missEpoch = -1
    /// A shape whose instances answer this name from their own state rather than a slot or
    /// the class (`e.args` of an exception), valid while no class changes.
    var specialShape: Shape?
    var specialEpoch = -1

    /// Entries pushed out of the four above, for sites that see many shapes (a base-class
    /// method reading `self.x` of many subclasses): found again without looking the name up.
    var older: [(shape: Shape, index: Int)] = []
    static let olderLimit = 12

    /// Class values read through instances of other shapes (the entry above holds the last).
    var olderClassValues: [(shape: Shape, value: Value)] = []

    func recallClassValue(_ s: Shape) -> Value? {
        for e in olderClassValues where e.shape === s { return e.value }
        return nil
    }

    /// The slot of `s` among the older entries (moving it back to the front), or nil.
    func recall(_ s: Shape) -> Int? {
        guard let k = older.firstIndex(where: { $0.shape === s }) else { return nil }
        let i = older[k].index
        older.remove(at: k)
        remember(s, i)
        return i
    }

    func remember(_ s: Shape, _ i: Int) {
        if let s4 = shape4 {
            if older.count >= AttrCache.olderLimit { older.removeLast() }
            older.insert((s4, index4), at: 0)
        }
        shape4 = shape3
        index4 = index3
        shape3 = shape2
        index3 = index2
        shape2 = shape
        index2 = index
        shape = s
        index = i
    }
}

extension PyClass {
    /// Whether instances route attribute stores through a user `__setattr__` or a property.
    func hasCustomSetAttr(_ rt: Runtime) -> Bool {
        !isBuiltin && lookup(.setattr) != nil
    }
}

extension Runtime {
    /// `o.name` with a per-site cache of the instance slot for the last shape seen, and of
    /// plain class attributes (constants) for the last class seen.
    @inline(__always)
    func cachedGetAttr(_ o: Value, _ name: String, _ cache: AttrCache) throws(PyErr) -> Value {
        if let v = try cachedGetAttrOrNil(o, name, cache) { return v }
        throw attributeMissing(o, name)
    }

    /// `getattr(o, name, default)` / `hasattr(o, name)`: the attribute, or nil when it is
    /// missing or its lookup raised AttributeError (other errors propagate).
    func attributeIfPresent(_ o: Value, _ name: String, _ cache: AttrCache) throws(PyErr) -> Value? {
        do throws(PyErr) {
            return try cachedGetAttrOrNil(o, name, cache)
        } catch {
            if matches(error, types.AttributeError) { return nil }
            throw error
        }
    }

    /// As `cachedGetAttr`, but a missing attribute is nil rather than an AttributeError made
    /// and caught (`hasattr`, `getattr` with a default). An AttributeError raised by a
    /// property or `__getattr__` still propagates.
    @inline(__always)
    func cachedGetAttrOrNil(_ o: Value, _ name: String, _ cache: AttrCache) throws(PyErr) -> Value? {
        if case .obj(let ob) = o, ob.kind == .instance {
            let inst = unsafeDowncast(ob, to: PyInstance.self)
            let shape = inst.shape
            if sameObject(shape, cache.shape) { return inst.slotValue(cache.index) }
            if sameObject(shape, cache.shape2) { return inst.slotValue(cache.index2) }
            if sameObject(shape, cache.shape3) { return inst.slotValue(cache.index3) }
            if sameObject(shape, cache.shape4) { return inst.slotValue(cache.index4) }
            if shape === cache.classShape && inst.cls === cache.classOwner && cache.classEpochSeen == classEpoch {
                return cache.classValue
            }
            if cache.classEpochSeen == classEpoch, let v = cache.recallClassValue(shape) { return v }
            if inst.cls === cache.propertyOwner && cache.propertyEpoch == classEpoch, let p = cache.property,
               case .obj(let g) = p.getter, g.kind == .function {
                // The getter called directly: no bound method, no argument array.
                let f = unsafeDowncast(g, to: PyFunction.self)
                if f.code.simpleArgCount == 1 { return try runInNewFrame(f) { fp in fp[0] = o } }
            }
            if shape === cache.missShape && cache.missEpoch == classEpoch { return nil }
            if shape === cache.specialShape && cache.specialEpoch == classEpoch,
               let v = try specialInstanceAttribute(inst, name) {
                return v
            }
            return try cachedGetAttrSlow(o, inst, name, cache)
        }
        if case .obj(let ob) = o {
            if ob === cache.classReceiver && cache.classReceiverEpoch == classEpoch { return cache.classReceiverValue }
            if ob === cache.moduleReceiver {
                let m = unsafeDowncast(ob, to: PyModule.self)
                if cache.moduleSlot < m.globals.count {
                    let v = m.globals[cache.moduleSlot]
                    if case .undef = v {} else { return v }
                }
            }
            return try cachedGetAttrOther(o, ob, name, cache)
        }
        return try getAttrOrNil(o, name)
    }

    @inline(never)
    func cachedGetAttrOther(_ o: Value, _ ob: PyObject, _ name: String, _ cache: AttrCache) throws(PyErr) -> Value? {
        guard let v = try getAttrOrNil(o, name) else { return nil }
        if ob.kind == .cls {
            // Only what `getAttr` returns unchanged each time (not a new bound method).
            let c = unsafeDowncast(ob, to: PyClass.self)
            if let a = c.lookup(name), a.isIdentical(v) {
                if case .obj(let ao) = a, ao.kind == .classMethod || ao.kind == .staticMethod { return v }
                do {
                    cache.classReceiver = c
                    cache.classReceiverEpoch = classEpoch
                    cache.classReceiverValue = a
                }
            }
        } else if ob.kind == .module {
            let m = unsafeDowncast(ob, to: PyModule.self)
            if let i = m.globalIndex[name] {
                cache.moduleReceiver = m
                cache.moduleSlot = i
            }
        }
        return v
    }

    @inline(never)
    func cachedGetAttrSlow(_ o: Value, _ inst: PyInstance, _ name: String, _ cache: AttrCache) throws(PyErr) -> Value? {
        if let i = cache.recall(inst.shape) { return inst.slotValue(i) }
        if let i = inst.shape.slot(of: name), !inst.cls.hasDataDescriptor(name) {
            cache.remember(inst.shape, i)
            return inst.slotValue(i)
        }
        guard let v = try getAttrOrNil(o, name) else {
            // Absent for every instance of this shape until a class changes (a dict-mode
            // instance's shape says nothing of its names; an exception has extra ones).
            if inst.dictStorage == nil, inst.exception == nil, inst.cls.lookup(.getattr) == nil {
                cache.missShape = inst.shape
                cache.missEpoch = classEpoch
            }
            return nil
        }
        // Neither a slot nor anything on the class: the instance's own state answered (an
        // exception's `args`, `__class__`); the same holds for its shape until a class changes.
        if inst.dictStorage == nil, inst.exception != nil || name == "__class__", inst.shape.slot(of: name) == nil,
           inst.cls.lookup(name) == nil, inst.cls.lookup(.getattr) == nil {
            cache.specialShape = inst.shape
            cache.specialEpoch = classEpoch
            return v
        }
        // A property (whose AttributeError no `__getattr__` would catch): cache it per class.
        if let a = inst.cls.lookup(name), case .obj(let ao) = a, ao.kind == .property, inst.cls.lookup(.getattr) == nil {
            cache.propertyOwner = inst.cls
            cache.propertyEpoch = classEpoch
            cache.property = unsafeDowncast(ao, to: PyProperty.self)
            return v
        }
        // A plain value found on the class (not a descriptor or method): cache it per class.
        if inst.dictStorage == nil, inst.shape.slot(of: name) == nil, let a = inst.cls.lookup(name) {
            var plain = true
            if case .obj(let ao) = a {
                switch ao.kind {
                case .function, .builtin, .property, .staticMethod, .classMethod, .native, .instance: plain = false
                default: break
                }
            }
            if plain {
                if cache.classEpochSeen != classEpoch { cache.olderClassValues.removeAll() }
                if let s = cache.classShape, cache.classEpochSeen == classEpoch {
                    // Shapes are per class: the shape alone says which class and which
                    // instance attributes (none of this name).
                    if cache.olderClassValues.count >= AttrCache.olderLimit { cache.olderClassValues.removeLast() }
                    cache.olderClassValues.insert((s, cache.classValue), at: 0)
                }
                cache.classShape = inst.shape
                cache.classOwner = inst.cls
                cache.classEpochSeen = classEpoch
                cache.classValue = a
            }
        }
        return v
    }

    /// `o.name = v` with a per-site cache: the slot for a known shape, or the shape transition
    /// when the store adds the attribute (as `__init__` does for every new instance).
    @inline(__always)
    func cachedSetAttr(_ o: Value, _ name: String, _ v: Value, _ cache: AttrCache) throws(PyErr) {
        if case .obj(let ob) = o, ob.kind == .instance {
            let inst = unsafeDowncast(ob, to: PyInstance.self)
            let before = inst.shape
            if before === cache.shape {
                inst.setSlot(cache.index, v)
                return
            }
            if before === cache.shape2 {
                inst.setSlot(cache.index2, v)
                return
            }
            if before === cache.shape3 {
                inst.setSlot(cache.index3, v)
                return
            }
            if before === cache.shape4 {
                inst.setSlot(cache.index4, v)
                return
            }
            if before === cache.addFrom, let to = cache.addTo {
                inst.appendSlot(to, v)
                return
            }
            if let i = cache.recall(before) {
                inst.setSlot(i, v)
                return
            }
            if inst.cls === cache.propertyOwner && cache.propertyEpoch == classEpoch, let p = cache.property,
               case .obj(let s) = p.setter, s.kind == .function {
                // The setter called directly: no argument array.
                let f = unsafeDowncast(s, to: PyFunction.self)
                if f.code.simpleArgCount == 2 {
                    _ = try runInNewFrame(f) { fp in
                        fp[0] = o
                        fp[1] = v
                    }
                    return
                }
            }
            try setAttr(o, name, v)
            if let a = inst.cls.lookup(name), case .obj(let ao) = a, ao.kind == .property {
                cache.propertyOwner = inst.cls
                cache.propertyEpoch = classEpoch
                cache.property = unsafeDowncast(ao, to: PyProperty.self)
                return
            }
            if inst.cls.hasCustomSetAttr(self) || name == "__class__" { return }
            let after = inst.shape
            if after !== before {
                if after.keys.count == before.keys.count + 1 && after.keys.last == name {
                    cache.addFrom = before
                    cache.addTo = after
                }
            } else if let i = after.slot(of: name), !inst.cls.hasDataDescriptor(name) {
                cache.remember(after, i)
            }
            return
        }
        try setAttr(o, name, v)
    }

    @inline(never)
    func unboundLocal(_ n: String) -> PyErr {
        raise(types.UnboundLocalError, "cannot access local variable '\(n)' where it is not associated with a value")
    }
}

/// Two to four statements of a block with their lines (see `Compiler.node`).
final class BlockNode {
    let a: StmtFn, b: StmtFn, c: StmtFn, d: StmtFn
    let la: Int, lb: Int, lc: Int, ld: Int

    init(_ parts: [StmtBox]) {
        let none: StmtFn = { _ in .normal }
        a = parts.count > 0 ? parts[0].run : none
        b = parts.count > 1 ? parts[1].run : none
        c = parts.count > 2 ? parts[2].run : none
        d = parts.count > 3 ? parts[3].run : none
        la = parts.count > 0 ? parts[0].line : 0
        lb = parts.count > 1 ? parts[1].line : 0
        lc = parts.count > 2 ? parts[2].line : 0
        ld = parts.count > 3 ? parts[3].line : 0
    }
}
