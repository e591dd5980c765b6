import Resolve
import Syntax

// `for a, b in enumerate(xs)`, `for k, v in d.items()` and `for a, b in zip(xs, ys)`: the two
// values of each step go straight into the two targets, with no tuple made and unpacked per
// item. Whether the fast form applies is decided before anything is evaluated (for `enumerate`
// and `zip`: the program has not bound a global of that name), or right after the one thing
// evaluated anyway (for `.items()`: the receiver is a dict); otherwise the loop runs as written.

extension Compiler {
    func compilePairLoop(_ target: Expr, _ iter: Expr, _ body: @escaping StmtFn, _ orelse: StmtFn?) throws -> StmtBox? {
        guard case .tuple(let elts) = target.kind, elts.count == 2,
              case .name = elts[0].kind, case .name = elts[1].kind,
              case .call(let fn, let args) = iter.kind else { return nil }
        let positional = args.compactMap { a -> Expr? in if case .positional(let e) = a { return e }; return nil }
        guard positional.count == args.count else { return nil }
        let first = try compileStore(elts[0]), second = try compileStore(elts[1])
        let rt = self.rt
        switch fn.kind {
        case .name("enumerate") where (1...2).contains(positional.count) && isBuiltinName("enumerate"):
            let general = try compileForGeneral(target, iter, body, orelse)
            let idx = module.slot(for: "enumerate")
            let module = self.module
            let source = try compileExpr(positional[0])
            let startFn = positional.count > 1 ? try compileExpr(positional[1]) : nil
            return StmtBox { fp throws(PyErr) in
                guard case .undef = module.globals[idx] else { return try general(fp) }
                let seq = try source(fp)
                var n = 0
                if let startFn {
                    let s = try startFn(fp)
                    guard case .int(let i) = s else {
                        // A big or non-int start: the builtin validates and counts.
                        let made = try rt.call(rt.builtins["enumerate"] ?? .none, [seq, s])
                        return try Compiler.loopValues(made, fp, body, orelse, rt) { v throws(PyErr) in
                            try Compiler.unpackPair(v, fp, first, second, rt)
                        }
                    }
                    n = i
                }
                let it = try rt.iterator(of: seq)
                while let v = try rt.nextItem(it) {
                    try first(fp, .int(n))
                    try second(fp, v)
                    if let end = try Compiler.loopStep(body, fp, rt) { return end }
                    let (next, o) = n.addingReportingOverflow(1)
                    if o { throw rt.raise(rt.types.OverflowError, "enumerate count overflowed") }
                    n = next
                }
                if let orelse { return try orelse(fp) }
                return .normal
            }

        case .name("zip") where positional.count == 2 && isBuiltinName("zip"):
            let general = try compileForGeneral(target, iter, body, orelse)
            let idx = module.slot(for: "zip")
            let module = self.module
            let xs = try compileExpr(positional[0]), ys = try compileExpr(positional[1])
            return StmtBox { fp throws(PyErr) in
                guard case .undef = module.globals[idx] else { return try general(fp) }
                let a = try xs(fp), b = try ys(fp)
                let ia = try rt.iterator(of: a), ib = try rt.iterator(of: b)
                while let x = try rt.nextItem(ia) {
                    guard let y = try rt.nextItem(ib) else { break }
                    try first(fp, x)
                    try second(fp, y)
                    if let end = try Compiler.loopStep(body, fp, rt) { return end }
                }
                if let orelse { return try orelse(fp) }
                return .normal
            }

        case .attribute(let objExpr, "items") where positional.isEmpty:
            let obj = try compileExpr(objExpr)
            let store = try compileStore(target)
            return StmtBox { fp throws(PyErr) in
                let dv = try obj(fp)
                guard case .obj(let o) = dv, o.kind == .dict else {
                    let items = try rt.callMethod(dv, "items", [])
                    return try Compiler.loopValues(items, fp, body, orelse, rt) { v throws(PyErr) in try store(fp, v) }
                }
                let d = unsafeDowncast(o, to: PyDict.self)
                let n = d.count
                var i = 0
                while let (k, v) = d.entry(at: i) {
                    if d.count != n { throw rt.raise(rt.types.RuntimeError, "dictionary changed size during iteration") }
                    i += 1
                    if case .undef = k { continue }
                    try first(fp, k)
                    try second(fp, v)
                    if let end = try Compiler.loopStep(body, fp, rt) { return end }
                }
                if d.count != n { throw rt.raise(rt.types.RuntimeError, "dictionary changed size during iteration") }
                if let orelse { return try orelse(fp) }
                return .normal
            }

        default:
            return nil
        }
    }

    /// Whether `name` here means the builtin (unless the module binds a global of that name at
    /// run time, which the loops check).
    func isBuiltinName(_ name: String) -> Bool {
        if case .global = scope.lookup(name), rt.builtins[name] != nil { return true }
        return false
    }

    /// `a, b = v` for a loop step taken the general way.
    static func unpackPair(_ v: Value, _ fp: Frame, _ first: StoreFn, _ second: StoreFn, _ rt: Runtime) throws(PyErr) {
        let items = try rt.collect(v)
        guard items.count == 2 else {
            if items.count < 2 { throw rt.valueError("not enough values to unpack (expected 2, got \(items.count))") }
            throw rt.valueError("too many values to unpack (expected 2)")
        }
        try first(fp, items[0])
        try second(fp, items[1])
    }
}
