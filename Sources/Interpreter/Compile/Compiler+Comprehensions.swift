import Resolve
import Syntax

/// One level of a comprehension's loop nest; the accumulator is the list, set or dict built.
typealias ComprehensionStep = (Frame, PyObject) throws(PyErr) -> Void

enum ComprehensionKind {
    case list(Expr)
    case set(Expr)
    case dict(Expr, Expr)
}

/// A compiled test held in a class (see `ExprBox`).
final class CondBox {
    let run: (Frame) throws(PyErr) -> Bool
    init(_ run: @escaping (Frame) throws(PyErr) -> Bool) { self.run = run }
}

/// A heap frame for a generator expression, which outlives the frame that created it.
final class HeapFrame {
    let fp: Frame
    let size: Int
    init(size: Int) {
        self.size = size
        fp = Frame.allocate(capacity: max(size, 1))
        fp.initialize(repeating: .undef, count: max(size, 1))
    }
    deinit {
        fp.deinitialize(count: max(size, 1))
        fp.deallocate()
    }
}

/// Where a one-loop generator expression is: its source (a range, list or ASCII str counted
/// directly, a generator resumed directly, or any iterator), and whether it has finished.
struct GenexprCursor {
    let size: Int
    var finished = false
    var rangeDone = false
    var i = 0
    var range: PyRange?
    var list: PyList?
    var text: PyStr?
    var generator: Unmanaged<GeneratorBody>?
    var source: Value = .none
    init(size: Int) { self.size = max(size, 1) }
}

/// A one-loop generator expression's state with its frame after it, in one allocation (a
/// captured `var` per field was a heap box each: ~12 allocations per generator expression).
final class GenexprState: ManagedBuffer<GenexprCursor, Value> {
    static func make(_ cursor: GenexprCursor) -> GenexprState {
        let state = unsafeDowncast(GenexprState.create(minimumCapacity: cursor.size) { _ in cursor }, to: GenexprState.self)
        state.withUnsafeMutablePointerToElements { $0.initialize(repeating: .undef, count: cursor.size) }
        return state
    }

    deinit {
        let n = header.size
        withUnsafeMutablePointerToElements { fp in
            for i in 0..<n {
                if case .obj = fp[i] { (fp + i).deinitialize(count: 1) }
            }
        }
    }

    var fp: Frame { withUnsafeMutablePointerToElements { $0 } }
}

extension Compiler {
    /// List, set and dict comprehensions run inline in the current frame: their variables
    /// have private slots there (the resolver gave them), so no function call is needed.
    func compileComprehension(_ e: Expr, _ comps: [Comprehension], _ kind: ComprehensionKind) throws -> ExprFn {
        let rt = self.rt
        guard let inner = resolved.scope(of: e), let first = comps.first else {
            throw error("internal error: unresolved comprehension", e.span)
        }
        let firstIter = try compileExpr(first.iter)
        let saved = scope
        scope = inner
        defer { scope = saved }

        var innermost: ComprehensionStep
        switch kind {
        case .list(let elt):
            let f = try compileExpr(elt)
            innermost = { fp, acc throws(PyErr) in unsafeDowncast(acc, to: PyList.self).items.append(try f(fp)) }
        case .set(let elt):
            let f = try compileExpr(elt)
            innermost = { fp, acc throws(PyErr) in try unsafeDowncast(acc, to: PySet.self).add(try f(fp), rt) }
        case .dict(let k, let v):
            let kf = try compileExpr(k), vf = try compileExpr(v)
            innermost = { fp, acc throws(PyErr) in
                let key = try kf(fp)
                try unsafeDowncast(acc, to: PyDict.self).set(key, try vf(fp), rt)
            }
        }
        // Build the loop nest from the inside out; level 0 receives its iterable from outside.
        var step = innermost
        var level0: ((Frame, Value, PyObject) throws(PyErr) -> Void)?
        for (i, c) in comps.enumerated().reversed() {
            let store = try compileStore(c.target)
            var localSlot = -1
            if case .name(let n) = c.target.kind, case .local(let slot) = scope.lookup(n) { localSlot = slot }
            let cond = try compileConditions(c.ifs)
            let next = step
            var body: (Frame, Value, PyObject) throws(PyErr) -> Void
            // `k, v` (two local names) over a dict's items(): the pair goes straight into the
            // slots, with no tuple made and unpacked per entry.
            var pairSlots: (Int, Int)? = nil
            if case .tuple(let elts) = c.target.kind, elts.count == 2,
               case .name(let n0) = elts[0].kind, case .local(let s0) = scope.lookup(n0),
               case .name(let n1) = elts[1].kind, case .local(let s1) = scope.lookup(n1) {
                pairSlots = (s0, s1)
            }
            if let cb = cond {
                let test = cb.run
                if localSlot >= 0 {
                    body = { fp, iterable, acc throws(PyErr) in
                        try rt.forEach(iterable) { v throws(PyErr) in
                            fp[localSlot] = v
                            if try test(fp) { try next(fp, acc) }
                            return true
                        }
                    }
                } else {
                    body = { fp, iterable, acc throws(PyErr) in
                        try rt.forEach(iterable) { v throws(PyErr) in
                            try store(fp, v)
                            if try test(fp) { try next(fp, acc) }
                            return true
                        }
                    }
                }
            } else if localSlot >= 0 {
                body = { fp, iterable, acc throws(PyErr) in
                    try rt.forEach(iterable) { v throws(PyErr) in
                        fp[localSlot] = v
                        try next(fp, acc)
                        return true
                    }
                }
            } else {
                body = { fp, iterable, acc throws(PyErr) in
                    try rt.forEach(iterable) { v throws(PyErr) in
                        try store(fp, v)
                        try next(fp, acc)
                        return true
                    }
                }
            }
            if let (s0, s1) = pairSlots {
                let general = body
                let test = cond?.run
                body = { fp, iterable, acc throws(PyErr) in
                    guard let view = rt.dictView(iterable), view.kind == .items else {
                        return try general(fp, iterable, acc)
                    }
                    try rt.forEachPair(view.dict) { k, v throws(PyErr) in
                        fp[s0] = k
                        fp[s1] = v
                        if let test, try !test(fp) { return true }
                        try next(fp, acc)
                        return true
                    }
                }
            }
            if i == 0 {
                level0 = body
            } else {
                let iterFn = try compileExpr(c.iter)
                step = { fp, acc throws(PyErr) in try body(fp, try iterFn(fp), acc) }
            }
        }
        guard let run = level0 else { throw error("internal error: empty comprehension", e.span) }
        let cellSlots = inner.comprehensionCellSlots
        let ownSlots = inner.comprehensionSlots
        let makeAcc: () -> PyObject
        switch kind {
        case .list: makeAcc = { PyList([]) }
        case .set: makeAcc = { PySet() }
        case .dict: makeAcc = { PyDict() }
        }
        // One `for` and no `if` over a sized container: the list gets its final size at once
        // (growing by doubling would leave up to half of it unused).
        var sizedList = false
        if case .list = kind, comps.count == 1, first.ifs.isEmpty { sizedList = true }
        return { fp throws(PyErr) in
            let iterable = try firstIter(fp)
            for s in cellSlots { fp[s] = .obj(PyCell()) }
            let acc = makeAcc()
            if sizedList, let n = Compiler.knownLength(iterable), n > 0, n <= Compiler.maxReservedLength {
                unsafeDowncast(acc, to: PyList.self).items.reserveCapacity(n)
            }
            try run(fp, iterable, acc)
            // Comprehension variables do not outlive it.
            for s in ownSlots { fp[s] = .undef }
            return .obj(acc)
        }
    }

    /// Above this a comprehension grows its list as it goes: the body may raise long before
    /// the end of a huge range.
    static let maxReservedLength = 1 << 22

    /// The length of a range, list, tuple, dict or set without calling anything, or nil.
    static func knownLength(_ v: Value) -> Int? {
        guard case .obj(let o) = v else { return nil }
        switch o.kind {
        case .range: return unsafeDowncast(o, to: PyRange.self).exactCount
        case .list: return unsafeDowncast(o, to: PyList.self).items.count
        case .tuple: return unsafeDowncast(o, to: PyTuple.self).items.count
        case .dict: return unsafeDowncast(o, to: PyDict.self).count
        default: return nil
        }
    }

    /// The `if` clauses of one comprehension level as one test (nil: none), each evaluated
    /// only while the ones before it hold.
    func compileConditions(_ ifs: [Expr]) throws -> CondBox? {
        var combined: CondBox? = nil
        for e in ifs {
            let c = try compileCondition(e)
            if let prev = combined?.run {
                combined = CondBox { fp throws(PyErr) in
                    if try !prev(fp) { return false }
                    return try c(fp)
                }
            } else {
                combined = CondBox(c)
            }
        }
        return combined
    }

    /// Generator expressions are lazy: an iterator object driving the loop nest one item at a time.
    func compileGenerator(_ e: Expr, _ elt: Expr, _ comps: [Comprehension]) throws -> ExprFn {
        let rt = self.rt
        guard let inner = resolved.scope(of: e), let first = comps.first else {
            throw error("internal error: unresolved generator expression", e.span)
        }
        let firstIter = try compileExpr(first.iter)
        let saved = scope
        scope = inner
        defer { scope = saved }
        struct Level {
            let iter: ExprBox?
            let store: StoreFn
            let conds: [(Frame) throws(PyErr) -> Bool]
        }
        let levels: [Level] = try comps.enumerated().map { (i, c) in
            Level(iter: i == 0 ? nil : ExprBox(try compileExpr(c.iter)),
                  store: try compileStore(c.target),
                  conds: try c.ifs.map { try compileCondition($0) })
        }
        let element = try compileExpr(elt)
        let size = inner.slotCount
        let freeVars = inner.freeVars
        let cellSlots = inner.cellSlots
        let line = e.span.start.line
        let file = filename
        /// What an exception leaving the body becomes (PEP 479), with the traceback entry.
        func escaping(_ error: PyErr) -> PyErr {
            Compiler.mark(error, line)
            rt.recordTraceback(error, file, "<genexpr>")
            if rt.matches(error, rt.types.StopIteration) {
                let wrapped = rt.raise(rt.types.RuntimeError, "generator raised StopIteration")
                wrapped.state.cause = .obj(error.exc)
                wrapped.state.suppressContext = true
                return wrapped
            }
            return error
        }
        // One `for` over a local name (`f(x) for x in xs if c`): a specialised iterator,
        // counting a range or indexing a list directly.
        if comps.count == 1, case .name(let n) = comps[0].target.kind, case .local(let slot) = scope.lookup(n) {
            let cond = try compileConditions(comps[0].ifs)
            let hasCond = cond != nil
            let test: (Frame) throws(PyErr) -> Bool
            if let c = cond { test = c.run } else { test = { _ in true } }
            return { fp throws(PyErr) in
                let iterable = try firstIter(fp)
                var cursor = GenexprCursor(size: size)
                if case .obj(let o) = iterable, o.kind == .range {
                    let r = unsafeDowncast(o, to: PyRange.self)
                    cursor.range = r
                    cursor.i = r.start
                } else if case .obj(let o) = iterable, o.kind == .list {
                    cursor.list = unsafeDowncast(o, to: PyList.self)
                } else if case .obj(let o) = iterable, o.kind == .str, unsafeDowncast(o, to: PyStr.self).isASCII {
                    // An ASCII str (immutable): its bytes are its characters.
                    cursor.text = unsafeDowncast(o, to: PyStr.self)
                } else {
                    let it = try rt.iterator(of: iterable)
                    // A generator function's generator is resumed directly (`source` keeps it
                    // alive: borrowed, with no reference counting per item).
                    if case .obj(let o) = it, o.kind == .iterator, let g = unsafeDowncast(o, to: PyIterator.self).generator {
                        cursor.generator = Unmanaged.passUnretained(g)
                    }
                    cursor.source = it
                }
                let state = GenexprState.make(cursor)
                let sfp = state.fp
                for fv in freeVars { sfp[fv.slot] = fp[fv.outer] }
                for c in cellSlots { sfp[c] = .obj(PyCell()) }
                return .obj(PyIterator(cls: rt.types.generator) { () throws(PyErr) -> Value? in
                    if state.header.finished { return nil }
                    let gfp = state.fp
                    do throws(PyErr) {
                        while true {
                            if let g = state.header.generator {
                                var item: Value?
                                var failure: PyErr?
                                g._withUnsafeGuaranteedRef { body in
                                    do throws(PyErr) {
                                        item = try rt.resume(body, send: .none, throwing: nil)
                                    } catch {
                                        failure = error
                                    }
                                }
                                if let failure { throw failure }
                                guard let v = item else { break }
                                gfp[slot] = v
                            } else if let r = state.header.range {
                                let i = state.header.i
                                if state.header.rangeDone || (r.step > 0 ? i >= r.stop : i <= r.stop) { break }
                                gfp[slot] = .int(i)
                                let (next, o) = i.addingReportingOverflow(r.step)
                                if o { state.header.rangeDone = true } else { state.header.i = next }
                            } else if let l = state.header.list {
                                let i = state.header.i
                                if i >= l.items.count { break }
                                gfp[slot] = l.items[i]
                                state.header.i = i + 1
                            } else if let t = state.header.text {
                                let i = state.header.i
                                guard let b = t.byte(at: i) else { break }
                                gfp[slot] = .obj(asciiCharStrings[Int(b)])
                                state.header.i = i + 1
                            } else {
                                guard let v = try rt.nextItem(state.header.source) else { break }
                                gfp[slot] = v
                            }
                            if hasCond, try !test(gfp) { continue }
                            return try element(gfp)
                        }
                    } catch {
                        state.header.finished = true
                        throw escaping(error)
                    }
                    state.header.finished = true
                    return nil
                })
            }
        }
        return { fp throws(PyErr) in
            let it0 = try rt.iterator(of: firstIter(fp))
            let frame = HeapFrame(size: size)
            for fv in freeVars { frame.fp[fv.slot] = fp[fv.outer] }
            for c in cellSlots { frame.fp[c] = .obj(PyCell()) }
            var iters: [Value] = [it0] + Array(repeating: Value.none, count: levels.count - 1)
            var level = 0
            var finished = false
            return .obj(PyIterator(cls: rt.types.generator) { () throws(PyErr) -> Value? in
                if finished { return nil }
                let gfp = frame.fp
                do throws(PyErr) {
                    while level >= 0 {
                        guard let v = try rt.nextItem(iters[level]) else {
                            level -= 1
                            continue
                        }
                        let lv = levels[level]
                        try lv.store(gfp, v)
                        var pass = true
                        for cond in lv.conds where try !cond(gfp) { pass = false; break }
                        if !pass { continue }
                        if level == levels.count - 1 { return try element(gfp) }
                        level += 1
                        if let iterFn = levels[level].iter {
                            iters[level] = try rt.iterator(of: iterFn.run(gfp))
                        }
                    }
                } catch {
                    finished = true
                    // PEP 479: a StopIteration escaping the body would look like exhaustion.
                    throw escaping(error)
                }
                finished = true
                return nil
            })
        }
    }
}
