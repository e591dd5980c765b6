import BigInt
import Resolve
import Syntax

extension Compiler {
    func compileExpr(_ e: Expr) throws -> ExprFn {
        let rt = self.rt
        switch e.kind {
        case .name(let n):
            return compileLoad(n)
        case .int(let lit):
            switch lit {
            case .small(let i):
                return { _ in .int(i) }
            case .big(let digits):
                guard let b = BigInt(digits, radix: 10) else { throw error("invalid integer literal", e.span) }
                let v = Value.big(b)
                return { _ in v }
            }
        case .float(let d):
            return { _ in .float(d) }
        case .string(let s):
            let v = Value.str(s)
            return { _ in v }
        case .bytes(let b):
            let v = Value.obj(PyBytes(b))
            return { _ in v }
        case .bool(let b):
            return { _ in .bool(b) }
        case .none:
            return { _ in .none }
        case .ellipsis:
            let v = Value.obj(rt.ellipsisObject)
            return { _ in v }
        case .fstring(let parts):
            return try compileFString(parts)
        case .list(let elts):
            let items = try compileItems(elts)
            return { fp throws(PyErr) in .obj(PyList(try items(fp))) }
        case .tuple(let elts):
            if elts.isEmpty { return { _ in .emptyTuple } }
            let items = try compileItems(elts)
            return { fp throws(PyErr) in .obj(PyTuple(try items(fp))) }
        case .set(let elts) where elts.count > 2 && elts.allSatisfy(isConstant):
            // CPython 3.11 folds such a display into a frozenset constant, which its constant
            // merging rebuilds once more in iteration order; the set then copies that table.
            // Doing the same gives the same iteration order when hashes collide.
            let items = try compileItems(elts)
            return { fp throws(PyErr) in
                let first = PySet(frozen: true)
                for v in try items(fp) { try first.add(v, rt) }
                let merged = PySet(frozen: true)
                for v in first.elements { try merged.add(v, rt) }
                let s = PySet()
                try s.merge(merged, rt)
                return .obj(s)
            }
        case .set(let elts):
            let items = try compileItems(elts)
            return { fp throws(PyErr) in
                let s = PySet()
                for v in try items(fp) { try s.add(v, rt) }
                return .obj(s)
            }
        case .dict(let pairs):
            return try compileDict(pairs)
        case .starred:
            throw error("can't use starred expression here", e.span)
        case .attribute(let objExpr, let name):
            return try compileAttribute(objExpr, name)
        case .subscript(let objExpr, let indexExpr) where isSlice(indexExpr):
            guard case .slice(let lower, let upper, let step) = indexExpr.kind else { throw error("internal error: slice", e.span) }
            let obj = try compileExpr(objExpr)
            let l = try compileOptional(lower), u = try compileOptional(upper), s = try compileOptional(step)
            return { fp throws(PyErr) in
                let o = try obj(fp)
                let a = try l(fp), b = try u(fp), c = try s(fp)
                return try rt.sliceDirect(o, a, b, c)
            }
        case .subscript(let objExpr, let indexExpr) where localSlot(objExpr) != nil && isPlainIndex(indexExpr):
            // `xs[i]`, `b[3]` with a local sequence and an index with no side effects: the
            // list or tuple is read in place, borrowed from its slot.
            guard case .name(let n) = objExpr.kind, let slot = localSlot(objExpr) else { throw error("internal error: subscript", e.span) }
            let index = try compileExpr(indexExpr)
            return { fp throws(PyErr) in
                let p = fp + slot
                if case .undef = p.pointee { throw rt.unboundLocal(n) }
                let i = try index(fp)
                if case .int(let k) = i, let v = borrowedItem(p, k) { return v }
                if let v = try borrowedDictItem(p, i, rt) { return v }
                return try rt.getItem(p.pointee, i)
            }
        case .subscript(let objExpr, let indexExpr):
            let obj = try compileExpr(objExpr)
            let index = try compileExpr(indexExpr)
            return { fp throws(PyErr) in
                let o = try obj(fp)
                let i = try index(fp)
                if case .obj(let ob) = o, ob.kind == .list, case .int(var k) = i {
                    let l = unsafeDowncast(ob, to: PyList.self)
                    if k < 0 { k += l.items.count }
                    if k >= 0 && k < l.items.count {
                        switch l.items[k] {
                        case .int(let x): return .int(x)
                        case .float(let x): return .float(x)
                        default: return l.items[k]
                        }
                    }
                }
                return try rt.getItem(o, i)
            }
        case .slice(let lower, let upper, let step):
            let l = try lower.map { try compileExpr($0) }
            let u = try upper.map { try compileExpr($0) }
            let s = try step.map { try compileExpr($0) }
            return { fp throws(PyErr) in
                .obj(PySlice(start: try l?(fp) ?? .none, stop: try u?(fp) ?? .none, step: try s?(fp) ?? .none))
            }
        case .call(let fn, let args):
            return try compileCall(fn, args, e.span)
        case .unary(let op, let operand):
            let v = try compileExpr(operand)
            switch op {
            case .negate:
                return { fp throws(PyErr) in
                    let x = try v(fp)
                    if case .int(let i) = x, i != Int.min { return .int(-i) }
                    if case .float(let d) = x { return .float(-d) }
                    return try rt.negate(x)
                }
            case .plus: return { fp throws(PyErr) in try rt.positive(v(fp)) }
            case .invert: return { fp throws(PyErr) in try rt.invert(v(fp)) }
            case .not: return { fp throws(PyErr) in .bool(try !rt.truthy(v(fp))) }
            }
        case .binary(let op, let left, let right):
            return try compileBinary(op, left, right)
        case .boolOp(let op, let left, let right):
            // Operands in boxes: three captured words (five made the thunk a merged one).
            let l = ExprBox(try compileExpr(left)), r = ExprBox(try compileExpr(right))
            if op == .and {
                return { fp throws(PyErr) in
                    let a = try l.run(fp)
                    return try rt.truthy(a) ? try r.run(fp) : a
                }
            }
            return { fp throws(PyErr) in
                let a = try l.run(fp)
                return try rt.truthy(a) ? a : try r.run(fp)
            }
        case .compare(let first, let rest):
            return try compileCompare(first, rest)
        case .ifExp(let test, let body, let orelse):
            let t = CondBox(try compileCondition(test))
            let b = ExprBox(try compileExpr(body)), o = ExprBox(try compileExpr(orelse))
            return { fp throws(PyErr) in try t.run(fp) ? try b.run(fp) : try o.run(fp) }
        case .lambda(let lambda):
            return try compileLambda(lambda)
        case .listComp(let elt, let comps):
            return try compileComprehension(e, comps, .list(elt))
        case .setComp(let elt, let comps):
            return try compileComprehension(e, comps, .set(elt))
        case .dictComp(let key, let value, let comps):
            return try compileComprehension(e, comps, .dict(key, value))
        case .generator(let elt, let comps):
            return try compileGenerator(e, elt, comps)
        case .yield(let value):
            let v = try value.map { try compileExpr($0) }
            return { fp throws(PyErr) in try rt.yieldValue(try v?(fp) ?? .none) }
        case .yieldFrom(let value):
            let v = try compileExpr(value)
            return { fp throws(PyErr) in try rt.yieldFrom(try v(fp)) }
        case .namedExpr(let target, let value):
            guard case .name(let n) = target.kind else { throw error("cannot use assignment expressions with this target", target.span) }
            let v = try compileExpr(value)
            let store = nameStore(n)
            return { fp throws(PyErr) in
                let x = try v(fp)
                try store(fp, x)
                return x
            }
        }
    }

    /// The frame slot of a plain local name.
    func localSlot(_ e: Expr) -> Int? {
        if case .name(let n) = e.kind, case .local(let slot) = scope.lookup(n) { return slot }
        return nil
    }

    /// A small int literal or a local name: evaluating it cannot run code or rebind anything.
    func isPlainIndex(_ e: Expr) -> Bool {
        if case .int(.small) = e.kind { return true }
        return localSlot(e) != nil
    }

    func isSlice(_ e: Expr) -> Bool {
        if case .slice = e.kind { return true }
        return false
    }

    /// An optional part of a slice (absent: None).
    func compileOptional(_ e: Expr?) throws -> ExprFn {
        guard let e else { return { _ in .none } }
        return try compileExpr(e)
    }

    /// A literal CPython's compiler treats as a constant (after folding `-1` and tuples).
    func isConstant(_ e: Expr) -> Bool {
        switch e.kind {
        case .int, .float, .string, .bytes, .bool, .none, .ellipsis: return true
        case .unary(.negate, let x), .unary(.plus, let x):
            switch x.kind {
            case .int, .float: return true
            default: return false
            }
        case .tuple(let elts): return elts.allSatisfy(isConstant)
        default: return false
        }
    }

    // MARK: - Names

    func compileLoad(_ n: String) -> ExprFn {
        let rt = self.rt
        switch scope.lookup(n) {
        case .local(let slot):
            // One box captured (four words made a thunk that unpacks them on every load).
            let k = LocalLoadSite(rt: rt, slot: slot, name: n)
            return { fp throws(PyErr) in
                // Each case rebuilt from its payload: no outlined copy of the whole Value.
                switch fp[k.slot] {
                case .int(let i): return .int(i)
                case .float(let d): return .float(d)
                case .obj(let o): return .obj(o)
                case .undef: throw k.unbound()
                default: return fp[k.slot]
                }
            }
        case .cell(let slot):
            let isFree = isFreeVariable(n)
            return { fp throws(PyErr) in
                let v = unsafeDowncast(fp[slot].asObject.unsafelyUnwrapped, to: PyCell.self).value
                if case .undef = v {
                    if isFree {
                        throw rt.raise(rt.types.NameError, "cannot access free variable '\(n)' where it is not associated with a value in enclosing scope")
                    }
                    throw rt.unboundLocal(n)
                }
                return v
            }
        case .global(let name):
            return globalLoad(name)
        case .classLocal(let name, let fallback):
            let nsSlot = scope.host.slotCount
            let key = Value.str(name)
            let fb: ExprFn
            switch fallback {
            case .global: fb = globalLoad(name)
            case .cell(let slot):
                fb = { fp throws(PyErr) in
                    let v = unsafeDowncast(fp[slot].asObject.unsafelyUnwrapped, to: PyCell.self).value
                    if case .undef = v { throw rt.nameError(name) }
                    return v
                }
            }
            return { fp throws(PyErr) in
                if let ns = fp[nsSlot].asDict, let v = try ns.get(key, rt) { return v }
                return try fb(fp)
            }
        }
    }

    func isFreeVariable(_ n: String) -> Bool {
        var s: Scope? = scope
        while let sc = s, sc.kind == .comprehension { s = sc.parent }
        return s?.freeVars.contains { $0.name == n } ?? false
    }

    func globalLoad(_ name: String) -> ExprFn {
        let rt = self.rt
        let module = self.module
        let idx = module.slot(for: name)
        if let builtin = rt.builtins[name] {
            return { _ in
                let v = module.globals[idx]
                if case .undef = v { return builtin }
                return v
            }
        }
        var fn = scope
        while fn.kind == .comprehension, let p = fn.parent { fn = p }
        let localNames = fn.kind == .module || fn.kind == .classBody ? [] : fn.slotNames
        // One captured box (a closure capturing more words gets a merged thunk: one more
        // call per load).
        let k = GlobalLoadSite(rt: rt, module: module, slot: idx, name: name, localNames: localNames)
        return { fp throws(PyErr) in
            let v = k.module.globals[k.slot]
            if case .undef = v {
                // (`fp` used on a path never taken: a closure ignoring its argument is split
                // by the optimiser into a thunk plus a specialised body, one more call.)
                if k.slot < 0 { return fp.pointee }
                throw k.nameError()
            }
            return v
        }
    }

    // MARK: - Displays

    /// Elements of a display, with `*iterable` spliced in.
    func compileItems(_ elts: [Expr]) throws -> (Frame) throws(PyErr) -> [Value] {
        let rt = self.rt
        let hasStar = elts.contains { if case .starred = $0.kind { return true }; return false }
        if !hasStar {
            let fns = try elts.map { ExprBox(try compileExpr($0)) }
            switch fns.count {
            case 0: return { _ in [] }
            case 1:
                let a = fns[0].run
                return { fp throws(PyErr) in [try a(fp)] }
            case 2:
                let a = fns[0].run, b = fns[1].run
                return { fp throws(PyErr) in
                    let x = try a(fp)
                    return [x, try b(fp)]
                }
            default:
                return { fp throws(PyErr) in
                    var out: [Value] = []
                    out.reserveCapacity(fns.count)
                    for f in fns { out.append(try f.run(fp)) }
                    return out
                }
            }
        }
        let parts: [(Bool, ExprBox)] = try elts.map { e in
            if case .starred(let inner) = e.kind { return (true, ExprBox(try compileExpr(inner))) }
            return (false, ExprBox(try compileExpr(e)))
        }
        return { fp throws(PyErr) in
            var out: [Value] = []
            for (star, f) in parts {
                let v = try f.run(fp)
                if star { out.append(contentsOf: try rt.collect(v)) } else { out.append(v) }
            }
            return out
        }
    }

    func compileDict(_ pairs: [DictItem]) throws -> ExprFn {
        let rt = self.rt
        let compiled: [(ExprBox?, ExprBox)] = try pairs.map { p in
            (try p.key.map { ExprBox(try compileExpr($0)) }, ExprBox(try compileExpr(p.value)))
        }
        let size = pairs.filter { $0.key != nil }.count
        return { fp throws(PyErr) in
            let d = PyDict()
            d.reserve(size)
            for (k, v) in compiled {
                if let k {
                    let key = try k.run(fp)
                    try d.set(key, v.run(fp), rt)
                } else {
                    let other = try v.run(fp)
                    try rt.mergeMapping(into: d, other)
                }
            }
            return .obj(d)
        }
    }

    // MARK: - Attributes

    func compileAttribute(_ objExpr: Expr, _ name: String) throws -> ExprFn {
        let rt = self.rt
        let cache = AttrCache()
        if case .name(let n) = objExpr.kind, case .local(let slot) = scope.lookup(n) {
            // `self.x`: the instance stays in its slot, borrowed, while the cache is checked.
            // One box captured (a direct forwarding thunk); the miss path out of line.
            let k = AttributeSite(rt: rt, slot: slot, localName: n, name: name, cache: cache)
            return { fp throws(PyErr) in
                if let v = cachedSlotRead(fp + k.slot, k.cache) { return v }
                return try k.miss(fp)
            }
        }
        // Any other receiver (`a.b.c`, `f().x`): one box captured (a direct forwarding thunk).
        let k = AttributeSite(rt: rt, obj: try compileExpr(objExpr), name: name, cache: cache)
        return { fp throws(PyErr) in try k.rt.cachedGetAttr(try k.obj(fp), k.name, k.cache) }
    }

    // MARK: - Operators

    func compileBinary(_ op: BinaryOp, _ left: Expr, _ right: Expr) throws -> ExprFn {
        if let s = specializedBinary(op, left, right) { return s.run }
        let rt = self.rt
        // Operands in boxes: each closure captures three words (see `Compiler.node`).
        let lbox = ExprBox(try compileExpr(left)), rbox = ExprBox(try compileExpr(right))
        // Constant right operands are common (`n - 1`, `i * 2`).
        if case .int(.small(let c)) = right.kind {
            switch op {
            case .add:
                return { fp throws(PyErr) in
                    let a = try lbox.run(fp)
                    if case .int(let x) = a {
                        let (s, o) = x.addingReportingOverflow(c)
                        if !o { return .int(s) }
                    }
                    return try rt.add(a, .int(c))
                }
            case .sub:
                return { fp throws(PyErr) in
                    let a = try lbox.run(fp)
                    if case .int(let x) = a {
                        let (s, o) = x.subtractingReportingOverflow(c)
                        if !o { return .int(s) }
                    }
                    return try rt.sub(a, .int(c))
                }
            default: break
            }
        }
        switch op {
        case .add:
            return { fp throws(PyErr) in
                let a = try lbox.run(fp), b = try rbox.run(fp)
                if case .int(let x) = a, case .int(let y) = b {
                    let (s, o) = x.addingReportingOverflow(y)
                    if !o { return .int(s) }
                }
                return try rt.add(a, b)
            }
        case .sub:
            return { fp throws(PyErr) in
                let a = try lbox.run(fp), b = try rbox.run(fp)
                if case .int(let x) = a, case .int(let y) = b {
                    let (s, o) = x.subtractingReportingOverflow(y)
                    if !o { return .int(s) }
                }
                return try rt.sub(a, b)
            }
        case .mul:
            return { fp throws(PyErr) in
                let a = try lbox.run(fp), b = try rbox.run(fp)
                if case .int(let x) = a, case .int(let y) = b {
                    let (s, o) = x.multipliedReportingOverflow(by: y)
                    if !o { return .int(s) }
                }
                return try rt.mul(a, b)
            }
        case .mod:
            return { fp throws(PyErr) in
                let a = try lbox.run(fp), b = try rbox.run(fp)
                if case .int(let x) = a, case .int(let y) = b, y > 0, x >= 0 { return .int(x % y) }
                return try rt.binarySlow(.mod, a, b)
            }
        case .div:
            return { fp throws(PyErr) in
                let a = try lbox.run(fp), b = try rbox.run(fp)
                // Ints up to 2**53 convert to floats exactly, so one float division is the
                // correctly rounded quotient Python gives.
                switch (a, b) {
                case (.float(let x), .float(let y)) where y != 0: return .float(x / y)
                case (.float(let x), .int(let y)) where y != 0 && y.magnitude < 1 << 53: return .float(x / Double(y))
                case (.int(let x), .float(let y)) where y != 0 && x.magnitude < 1 << 53: return .float(Double(x) / y)
                case (.int(let x), .int(let y)) where y != 0 && x.magnitude < 1 << 53 && y.magnitude < 1 << 53:
                    return .float(Double(x) / Double(y))
                default: return try rt.binarySlow(.div, a, b)
                }
            }
        case .floorDiv:
            return { fp throws(PyErr) in
                let a = try lbox.run(fp), b = try rbox.run(fp)
                if case .int(let x) = a, case .int(let y) = b, y > 0, x >= 0 { return .int(x / y) }
                return try rt.binarySlow(.floorDiv, a, b)
            }
        case .bitAnd:
            return { fp throws(PyErr) in
                let a = try lbox.run(fp), b = try rbox.run(fp)
                if case .int(let x) = a, case .int(let y) = b { return .int(x & y) }
                return try rt.binarySlow(.and, a, b)
            }
        case .bitOr:
            return { fp throws(PyErr) in
                let a = try lbox.run(fp), b = try rbox.run(fp)
                if case .int(let x) = a, case .int(let y) = b { return .int(x | y) }
                return try rt.binarySlow(.or, a, b)
            }
        case .bitXor:
            return { fp throws(PyErr) in
                let a = try lbox.run(fp), b = try rbox.run(fp)
                if case .int(let x) = a, case .int(let y) = b { return .int(x ^ y) }
                return try rt.binarySlow(.xor, a, b)
            }
        case .rshift:
            return { fp throws(PyErr) in
                let a = try lbox.run(fp), b = try rbox.run(fp)
                // Swift's >> on Int shifts arithmetically and saturates past 63, as Python's does.
                if case .int(let x) = a, case .int(let y) = b, y >= 0 { return .int(x >> y) }
                return try rt.binarySlow(.rshift, a, b)
            }
        case .lshift:
            return { fp throws(PyErr) in
                let a = try lbox.run(fp), b = try rbox.run(fp)
                if case .int(let x) = a, case .int(let y) = b, y >= 0, y < 63 {
                    let s = x << y
                    if s >> y == x { return .int(s) }
                }
                return try rt.binarySlow(.lshift, a, b)
            }
        default:
            let kind = binaryKind(op)
            return { fp throws(PyErr) in
                let a = try lbox.run(fp), b = try rbox.run(fp)
                return try rt.binarySlow(kind, a, b)
            }
        }
    }

    func compileCompare(_ first: Expr, _ rest: [(CompareOp, Expr)]) throws -> ExprFn {
        let rt = self.rt
        if rest.count == 1 {
            let (op, right) = rest[0]
            let l = try compileExpr(first), r = try compileExpr(right)
            return compareOp(op, l, r)
        }
        // Chains: each middle operand is evaluated once.
        let l = try compileExpr(first)
        let ops = try rest.map { (op, e) in (op, ExprBox(try compileExpr(e))) }
        return { fp throws(PyErr) in
            var a = try l(fp)
            var result: Value = .bool(true)
            for (op, f) in ops {
                let b = try f.run(fp)
                if let r = quickCompare(op, a, b) {
                    if !r { return .bool(false) }
                    result = .bool(true)
                    a = b
                    continue
                }
                result = try rt.compare(op, a, b)
                if try !rt.truthy(result) { return result }
                a = b
            }
            return result
        }
    }

    func compareOp(_ op: CompareOp, _ l: @escaping ExprFn, _ r: @escaping ExprFn) -> ExprFn {
        let rt = self.rt
        switch op {
        case .lt:
            return { fp throws(PyErr) in
                let a = try l(fp), b = try r(fp)
                if case .int(let x) = a, case .int(let y) = b { return .bool(x < y) }
                return try rt.richCompare(a, b, .lt)
            }
        case .eq:
            return { fp throws(PyErr) in
                let a = try l(fp), b = try r(fp)
                if case .int(let x) = a, case .int(let y) = b { return .bool(x == y) }
                return try rt.compare(.eq, a, b)
            }
        default:
            return { fp throws(PyErr) in
                let a = try l(fp), b = try r(fp)
                return try rt.compare(op, a, b)
            }
        }
    }

    // MARK: - f-strings

    func compileFString(_ parts: [FStringPart]) throws -> ExprFn {
        let rt = self.rt
        let (pieces, capacity) = try compileFStringPieces(parts)
        return { fp throws(PyErr) in
            var out = TextBuilder(storage: rt.takeTextStorage(), capacity: capacity)
            try pieces(fp, &out)
            let s = out.pyStr()
            rt.returnTextStorage(out)
            return .obj(s)
        }
    }

    /// The f-string's pieces appended to a builder, and the likely size of the text.
    func compileFStringPieces(_ parts: [FStringPart]) throws -> ((Frame, inout TextBuilder) throws(PyErr) -> Void, Int) {
        let rt = self.rt
        var pieces: [FStringPiece] = []
        var literal: [UInt8] = []
        var estimate = 0
        for p in parts {
            switch p {
            case .literal(let s):
                literal.append(contentsOf: s.utf8)
            case .field(let expr, let conversion, let spec, let debugText):
                if let debugText { literal.append(contentsOf: debugText.utf8) }
                let f = ExprBox(try compileExpr(expr))
                let conv: UInt8
                switch conversion {
                case "r": conv = UInt8(ascii: "r")
                case "s": conv = UInt8(ascii: "s")
                case "a": conv = UInt8(ascii: "a")
                default: conv = 0
                }
                var constant: ConstantSpec? = nil
                var nested: ((Frame, inout TextBuilder) throws(PyErr) -> Void)? = nil
                if let spec, !spec.isEmpty, spec.allSatisfy({ if case .literal = $0 { return true }; return false }),
                   case let text = spec.map({ if case .literal(let t) = $0 { return t }; return "" }).joined(),
                   !text.isEmpty, case .success = FormatSpec.parse(text) {
                    // A constant spec that parses: digested once, here.
                    constant = ConstantSpec(text)
                } else if let spec {
                    nested = try compileFStringPieces(spec).0
                }
                estimate += literal.count + 8
                pieces.append(FStringPiece(literal, f, conv, constant, nested))
                literal.removeAll()
            }
        }
        if !literal.isEmpty {
            estimate += literal.count
            pieces.append(FStringPiece(literal, nil, 0, nil, nil))
        }
        let run: (Frame, inout TextBuilder) throws(PyErr) -> Void = { fp, out throws(PyErr) in
            for p in pieces {
                if p.literal.count > 0 { out.append(utf8: p.literal, ascii: p.literalASCII) }
                guard let f = p.expr else { continue }
                var v = try f.run(fp)
                if let spec = p.constant {
                    switch p.conversion {
                    case 0: break
                    case UInt8(ascii: "r"): v = .str(try rt.repr(v))
                    case UInt8(ascii: "s"): v = .str(try rt.str(v))
                    default: v = .str(asciiEscape(try rt.repr(v)))
                    }
                    try spec.append(v, rt, &out)
                    continue
                }
                if p.conversion == UInt8(ascii: "r") && p.nested == nil {
                    try rt.appendRepr(v, &out)
                    continue
                }
                switch p.conversion {
                case 0: break
                case UInt8(ascii: "r"): v = .str(try rt.repr(v))
                case UInt8(ascii: "s"): v = .str(try rt.str(v))
                default: v = .str(asciiEscape(try rt.repr(v)))
                }
                if let nested = p.nested {
                    var sb = TextBuilder()
                    try nested(fp, &sb)
                    try rt.appendFormat(v, sb.string, &out)
                } else {
                    try rt.appendFormatEmpty(v, &out)
                }
            }
        }
        return (run, estimate)
    }
}

/// `a op b` for two ints or two strs (no user code, cannot raise); nil for anything else.
@inline(__always)
func quickCompare(_ op: CompareOp, _ a: Value, _ b: Value) -> Bool? {
    let c: Int
    if case .int(let x) = a, case .int(let y) = b {
        c = x < y ? -1 : (x > y ? 1 : 0)
    } else if case .obj(let x) = a, case .obj(let y) = b, x.kind == .str && y.kind == .str {
        let sa = unsafeDowncast(x, to: PyStr.self), sb = unsafeDowncast(y, to: PyStr.self)
        switch op {
        case .eq: return sa.equals(sb)
        case .ne: return !sa.equals(sb)
        default: c = strCompare(sa.value, sb.value)
        }
    } else {
        return nil
    }
    switch op {
    case .eq: return c == 0
    case .ne: return c != 0
    case .lt: return c < 0
    case .le: return c <= 0
    case .gt: return c > 0
    case .ge: return c >= 0
    default: return nil
    }
}

/// `a === b` for a reference against an optional one, as one compare of the two addresses:
/// the optional `===` also tests for nil (two more instructions and a branch for every
/// cache entry checked). `a` is never nil, so equal addresses mean the same object.
@inline(__always)
func sameObject<T: AnyObject>(_ a: T, _ b: T?) -> Bool {
    unsafeBitCast(b, to: UInt.self) == unsafeBitCast(a, to: UInt.self)
}

/// An instance attribute found through the per-site cache, read with the instance borrowed
/// from its frame slot (no retain/release); nil when the slot holds no instance or the
/// cache does not know its shape.
@inline(__always)
func cachedSlotRead(_ p: UnsafeMutablePointer<Value>, _ cache: AttrCache) -> Value? {
    guard case .obj = p.pointee else { return nil }
    return UnsafeRawPointer(p).load(as: Unmanaged<PyObject>.self)._withUnsafeGuaranteedRef { ob -> Value? in
        guard ob.kind == .instance else { return nil }
        let inst = unsafeDowncast(ob, to: PyInstance.self)
        let shape = inst.shape
        if sameObject(shape, cache.shape) {
            switch inst.slotValue(cache.index) {
            case .int(let x): return .int(x)
            case .float(let x): return .float(x)
            default: return inst.slotValue(cache.index)
            }
        }
        if sameObject(shape, cache.shape2) { return inst.slotValue(cache.index2) }
        if sameObject(shape, cache.shape3) { return inst.slotValue(cache.index3) }
        if sameObject(shape, cache.shape4) { return inst.slotValue(cache.index4) }
        return nil
    }
}

/// What an attribute site reads or writes: the receiver (a local's slot, or an expression
/// when `slot` is -1), the names, the cache. The site's closure captures just this box.
final class AttributeSite {
    let rt: Runtime
    let slot: Int
    let localName: String
    /// The closure itself, not an `ExprBox`: a closure reached through two boxes is called
    /// with a retain and release of its context (~25 instructions per read).
    let obj: ExprFn
    let name: String
    let cache: AttrCache

    init(rt: Runtime, slot: Int = -1, localName: String = "", obj: @escaping ExprFn = { _ in .none }, name: String,
         cache: AttrCache) {
        self.rt = rt
        self.slot = slot
        self.localName = localName
        self.obj = obj
        self.name = name
        self.cache = cache
    }

    /// The read when the cache's first entries do not apply.
    @inline(never)
    func miss(_ fp: Frame) throws(PyErr) -> Value {
        let o = fp[slot]
        if case .undef = o { throw rt.unboundLocal(localName) }
        return try rt.cachedGetAttr(o, name, cache)
    }

    /// The write when the cache does not apply.
    @inline(never)
    func missedWrite(_ fp: Frame, _ v: Value) throws(PyErr) {
        let o = fp[slot]
        if case .undef = o { throw rt.unboundLocal(localName) }
        try rt.cachedSetAttr(o, name, v, cache)
    }
}

/// `o.attr = v` through the per-site cache (a known shape, or the known shape transition
/// that adds the attribute), with the instance borrowed from its frame slot; false when the
/// cache does not apply (the caller takes the general path). The cache only ever learns
/// shapes of classes without a custom `__setattr__` or a property of that name.
@inline(__always)
func cachedSlotWrite(_ p: UnsafeMutablePointer<Value>, _ cache: AttrCache, _ v: Value) -> Bool {
    guard case .obj = p.pointee else { return false }
    return UnsafeRawPointer(p).load(as: Unmanaged<PyObject>.self)._withUnsafeGuaranteedRef { ob -> Bool in
        guard ob.kind == .instance else { return false }
        let inst = unsafeDowncast(ob, to: PyInstance.self)
        let shape = inst.shape
        if sameObject(shape, cache.shape) { inst.setSlot(cache.index, v); return true }
        if sameObject(shape, cache.shape2) { inst.setSlot(cache.index2, v); return true }
        if sameObject(shape, cache.shape3) { inst.setSlot(cache.index3, v); return true }
        if sameObject(shape, cache.shape4) { inst.setSlot(cache.index4, v); return true }
        if shape === cache.addFrom, let to = cache.addTo { inst.appendSlot(to, v); return true }
        return false
    }
}

/// `xs[k]` for a list or tuple borrowed from its frame slot; nil for anything else or an
/// index out of range (the caller then takes the general path, which raises).
@inline(__always)
func borrowedItem(_ p: UnsafeMutablePointer<Value>, _ k: Int) -> Value? {
    guard case .obj = p.pointee else { return nil }
    return UnsafeRawPointer(p).load(as: Unmanaged<PyObject>.self)._withUnsafeGuaranteedRef { ob -> Value? in
        if ob.kind == .list {
            let l = unsafeDowncast(ob, to: PyList.self)
            let i = k < 0 ? k + l.items.count : k
            guard i >= 0 && i < l.items.count else { return nil }
            switch l.items[i] {
            case .int(let x): return .int(x)
            case .float(let x): return .float(x)
            default: return l.items[i]
            }
        }
        if ob.kind == .tuple {
            let t = unsafeDowncast(ob, to: PyTuple.self)
            let i = k < 0 ? k + t.items.count : k
            return i >= 0 && i < t.items.count ? t.items[i] : nil
        }
        return nil
    }
}

/// `body` run on the object in a local's slot, borrowed (no retain and release); nil when
/// the slot holds no object. User code the body runs (`__hash__`, `__eq__`) cannot rebind a
/// plain local of this frame, so the object stays alive meanwhile.
@inline(__always)
func withBorrowedObject<T>(_ p: UnsafeMutablePointer<Value>,
                           _ body: (PyObject) throws(PyErr) -> T?) throws(PyErr) -> T? {
    guard case .obj = p.pointee else { return nil }
    var result: Result<T?, PyErr> = .success(nil)
    UnsafeRawPointer(p).load(as: Unmanaged<PyObject>.self)._withUnsafeGuaranteedRef { ob in
        do throws(PyErr) {
            result = .success(try body(ob))
        } catch {
            result = .failure(error)
        }
    }
    return try result.get()
}

/// `d[key]` for a dict in a local's slot, read borrowed; nil when the slot holds no dict or
/// the key is missing (the caller then raises as usual).
@inline(__always)
func borrowedDictItem(_ p: UnsafeMutablePointer<Value>, _ key: Value, _ rt: Runtime) throws(PyErr) -> Value? {
    try withBorrowedObject(p) { ob throws(PyErr) -> Value? in
        ob.kind == .dict ? try unsafeDowncast(ob, to: PyDict.self).get(key, rt) : nil
    }
}

/// `item in c` for a dict or set in a local's slot, read borrowed; nil for other containers.
@inline(__always)
func borrowedContains(_ p: UnsafeMutablePointer<Value>, _ item: Value, _ rt: Runtime) throws(PyErr) -> Bool? {
    try withBorrowedObject(p) { ob throws(PyErr) -> Bool? in
        switch ob.kind {
        case .dict: return try unsafeDowncast(ob, to: PyDict.self).contains(item, rt)
        case .set, .frozenset: return try unsafeDowncast(ob, to: PySet.self).contains(item, rt)
        default: return nil
        }
    }
}

/// `ascii()`: non-ASCII code points escaped.
func asciiEscape(_ s: String) -> String {
    var out = ""
    for u in s.unicodeScalars {
        if u.value < 128 { out.unicodeScalars.append(u) }
        else if u.value < 0x100 { out += "\\x" + String(u.value, radix: 16).leftPadded(to: 2) }
        else if u.value < 0x10000 { out += "\\u" + String(u.value, radix: 16).leftPadded(to: 4) }
        else { out += "\\U" + String(u.value, radix: 16).leftPadded(to: 8) }
    }
    return out
}

extension PyClass {
    /// Whether a class attribute named `name` is a property (which beats instance attributes).
    func hasDataDescriptor(_ name: String) -> Bool {
        if let a = lookup(name), case .obj(let o) = a, o.kind == .property { return true }
        return false
    }
}

extension Runtime {
    /// One comparison of a chain, as a Python value.
    public func compare(_ op: CompareOp, _ a: Value, _ b: Value) throws(PyErr) -> Value {
        switch op {
        case .eq:
            if let r = numericEqual(a, b) { return .bool(r) }
            return try richCompare(a, b, .eq)
        case .ne:
            if let r = numericEqual(a, b) { return .bool(!r) }
            return try richCompare(a, b, .ne)
        case .lt: return try richCompare(a, b, .lt)
        case .le: return try richCompare(a, b, .le)
        case .gt: return try richCompare(a, b, .gt)
        case .ge: return try richCompare(a, b, .ge)
        case .is: return .bool(a.isIdentical(b))
        case .isNot: return .bool(!a.isIdentical(b))
        case .in: return .bool(try contains(b, a))
        case .notIn: return .bool(try !contains(b, a))
        }
    }

    /// `{**other}` and `f(**other)`: copies a mapping's items.
    func mergeMapping(into d: PyDict, _ other: Value) throws(PyErr) {
        if let od = other.asDict {
            for (k, v) in od.items { try d.set(k, v, self) }
            return
        }
        guard let keysFn = try getAttrOrNil(other, "keys") else {
            throw typeError("'\(typeName(other))' object is not a mapping")
        }
        for k in try collect(call(keysFn, [])) {
            try d.set(k, getItem(other, k), self)
        }
    }
}

/// One step of an f-string: literal text, then a field (its expression, conversion and spec:
/// a constant one digested once, or one with fields of its own), or nothing at the end.
final class FStringPiece {
    private let storage: UnsafeMutableBufferPointer<UInt8>
    let literal: UnsafeBufferPointer<UInt8>
    let literalASCII: Bool
    let expr: ExprBox?
    let conversion: UInt8
    let constant: ConstantSpec?
    let nested: ((Frame, inout TextBuilder) throws(PyErr) -> Void)?

    init(_ literal: [UInt8], _ expr: ExprBox?, _ conversion: UInt8, _ constant: ConstantSpec?,
         _ nested: ((Frame, inout TextBuilder) throws(PyErr) -> Void)?) {
        storage = UnsafeMutableBufferPointer.allocate(capacity: Swift.max(literal.count, 1))
        _ = storage.initialize(from: literal)
        self.literal = UnsafeBufferPointer(rebasing: storage[0..<literal.count])
        literalASCII = literal.allSatisfy { $0 < 0x80 }
        self.expr = expr
        self.conversion = conversion
        self.constant = constant
        self.nested = nested
    }

    deinit { storage.deallocate() }
}

/// What a load of a module global (not a builtin name) reads.
final class GlobalLoadSite {
    let rt: Runtime
    let module: PyModule
    let slot: Int
    let name: String
    /// The enclosing function's local names, for the NameError's suggestion.
    let localNames: [String]

    init(rt: Runtime, module: PyModule, slot: Int, name: String, localNames: [String]) {
        self.rt = rt
        self.module = module
        self.slot = slot
        self.name = name
        self.localNames = localNames
    }

    @inline(never)
    func nameError() -> PyErr {
        rt.nameError(name, locals: localNames, module: module)
    }
}

/// What a load of a local variable reads.
final class LocalLoadSite {
    let rt: Runtime
    let slot: Int
    let name: String

    init(rt: Runtime, slot: Int, name: String) {
        self.rt = rt
        self.slot = slot
        self.name = name
    }

    @inline(never)
    func unbound() -> PyErr { rt.unboundLocal(name) }
}
