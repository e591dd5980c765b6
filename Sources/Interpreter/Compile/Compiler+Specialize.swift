import Resolve
import Syntax

// Operand-shape specialisation (DESIGN.md, speed decision 2): `i + 1`, `a < b`, `n - k` with
// locals and small-int constants compile to one closure that reads the frame directly, instead
// of a closure per operand. Each operator is a type, so Swift generates one specialised copy of
// each shape per operator.

protocol BinaryImpl {
    static func apply(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Value
    /// Two small ints: the result, or nil on overflow.
    static func int(_ x: Int, _ y: Int) -> Int?
    static func float(_ x: Double, _ y: Double) -> Double
}

protocol CompareImpl {
    static func test(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Bool
    static func int(_ x: Int, _ y: Int) -> Bool
    static func float(_ x: Double, _ y: Double) -> Bool
}

enum AddImpl: BinaryImpl {
    @inline(__always) static func float(_ x: Double, _ y: Double) -> Double { x + y }
    @inline(__always) static func int(_ x: Int, _ y: Int) -> Int? {
        let (r, o) = x.addingReportingOverflow(y)
        return o ? nil : r
    }
    @inline(__always) static func apply(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            let (r, o) = x.addingReportingOverflow(y)
            if !o { return .int(r) }
        }
        return try rt.add(a, b)
    }
}

enum SubImpl: BinaryImpl {
    @inline(__always) static func float(_ x: Double, _ y: Double) -> Double { x - y }
    @inline(__always) static func int(_ x: Int, _ y: Int) -> Int? {
        let (r, o) = x.subtractingReportingOverflow(y)
        return o ? nil : r
    }
    @inline(__always) static func apply(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            let (r, o) = x.subtractingReportingOverflow(y)
            if !o { return .int(r) }
        }
        return try rt.sub(a, b)
    }
}

enum MulImpl: BinaryImpl {
    @inline(__always) static func float(_ x: Double, _ y: Double) -> Double { x * y }
    @inline(__always) static func int(_ x: Int, _ y: Int) -> Int? {
        let (r, o) = x.multipliedReportingOverflow(by: y)
        return o ? nil : r
    }
    @inline(__always) static func apply(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if !o { return .int(r) }
        }
        return try rt.mul(a, b)
    }
}

enum LtImpl: CompareImpl {
    @inline(__always) static func float(_ x: Double, _ y: Double) -> Bool { x < y }
    @inline(__always) static func int(_ x: Int, _ y: Int) -> Bool { x < y }
    @inline(__always) static func test(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Bool {
        if case .int(let x) = a, case .int(let y) = b { return x < y }
        if case .float(let x) = a, case .float(let y) = b { return x < y }
        return try rt.truthy(rt.richCompare(a, b, .lt))
    }
}

enum LeImpl: CompareImpl {
    @inline(__always) static func float(_ x: Double, _ y: Double) -> Bool { x <= y }
    @inline(__always) static func int(_ x: Int, _ y: Int) -> Bool { x <= y }
    @inline(__always) static func test(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Bool {
        if case .int(let x) = a, case .int(let y) = b { return x <= y }
        if case .float(let x) = a, case .float(let y) = b { return x <= y }
        return try rt.truthy(rt.richCompare(a, b, .le))
    }
}

enum GtImpl: CompareImpl {
    @inline(__always) static func float(_ x: Double, _ y: Double) -> Bool { x > y }
    @inline(__always) static func int(_ x: Int, _ y: Int) -> Bool { x > y }
    @inline(__always) static func test(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Bool {
        if case .int(let x) = a, case .int(let y) = b { return x > y }
        if case .float(let x) = a, case .float(let y) = b { return x > y }
        return try rt.truthy(rt.richCompare(a, b, .gt))
    }
}

enum GeImpl: CompareImpl {
    @inline(__always) static func float(_ x: Double, _ y: Double) -> Bool { x >= y }
    @inline(__always) static func int(_ x: Int, _ y: Int) -> Bool { x >= y }
    @inline(__always) static func test(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Bool {
        if case .int(let x) = a, case .int(let y) = b { return x >= y }
        if case .float(let x) = a, case .float(let y) = b { return x >= y }
        return try rt.truthy(rt.richCompare(a, b, .ge))
    }
}

enum EqImpl: CompareImpl {
    @inline(__always) static func float(_ x: Double, _ y: Double) -> Bool { x == y }
    @inline(__always) static func int(_ x: Int, _ y: Int) -> Bool { x == y }
    @inline(__always) static func test(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Bool {
        if case .int(let x) = a, case .int(let y) = b { return x == y }
        return try rt.equal(a, b)
    }
}

enum NeImpl: CompareImpl {
    @inline(__always) static func float(_ x: Double, _ y: Double) -> Bool { x != y }
    @inline(__always) static func int(_ x: Int, _ y: Int) -> Bool { x != y }
    @inline(__always) static func test(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Bool {
        if case .int(let x) = a, case .int(let y) = b { return x != y }
        return try rt.truthy(rt.richCompare(a, b, .ne))
    }
}

/// The shape of an operand, for specialisation.
enum OperandShape {
    case local(Int, String)
    case smallInt(Int)
    case other
}

extension Compiler {
    func operandShape(_ e: Expr) -> OperandShape {
        switch e.kind {
        case .name(let n):
            if case .local(let slot) = scope.lookup(n) { return .local(slot, n) }
        case .int(.small(let i)):
            return .smallInt(i)
        default:
            break
        }
        return .other
    }

    /// A specialised closure for `left op right` when the shapes allow, else nil.
    func specializedBinary(_ op: BinaryOp, _ left: Expr, _ right: Expr) -> ExprBox? {
        switch op {
        case .add: return specializedBinary(AddImpl.self, left, right)
        case .sub: return specializedBinary(SubImpl.self, left, right)
        case .mul: return specializedBinary(MulImpl.self, left, right)
        default: return nil
        }
    }

    func specializedBinary<Op: BinaryImpl>(_ op: Op.Type, _ left: Expr, _ right: Expr) -> ExprBox? {
        switch (operandShape(left), operandShape(right)) {
        case (.local(let i, let n), .local(let j, let m)):
            let k = OperandSite(rt, i: i, n: n, j: j, m: m)
            return ExprBox { fp throws(PyErr) in
                // Ints are matched in place (no copy of the slots' values).
                if case .int(let x) = fp[k.i], case .int(let y) = fp[k.j], let r = Op.int(x, y) { return .int(r) }
                if case .float(let x) = fp[k.i], case .float(let y) = fp[k.j] { return .float(Op.float(x, y)) }
                let a = fp[k.i], b = fp[k.j]
                if case .undef = a { throw k.rt.unboundLocal(k.n) }
                if case .undef = b { throw k.rt.unboundLocal(k.m) }
                return try Op.apply(k.rt, a, b)
            }
        case (.local(let i, let n), .smallInt(let c)):
            let k = OperandSite(rt, i: i, n: n, c: c)
            return ExprBox { fp throws(PyErr) in
                if case .int(let x) = fp[k.i], let r = Op.int(x, k.c) { return .int(r) }
                let a = fp[k.i]
                if case .undef = a { throw k.rt.unboundLocal(k.n) }
                return try Op.apply(k.rt, a, .int(k.c))
            }
        case (.smallInt(let c), .local(let i, let n)):
            let k = OperandSite(rt, i: i, n: n, c: c)
            return ExprBox { fp throws(PyErr) in
                if case .int(let y) = fp[k.i], let r = Op.int(k.c, y) { return .int(r) }
                let b = fp[k.i]
                if case .undef = b { throw k.rt.unboundLocal(k.n) }
                return try Op.apply(k.rt, .int(k.c), b)
            }
        default:
            return nil
        }
    }

    /// `if local op k:` / `if local op local:` with the comparison inline in the statement
    /// (one closure call fewer per test); nil for other tests.
    func specializedIf(_ test: Expr, _ b: @escaping StmtFn, _ e: StmtBox?, _ line: Int) -> StmtBox? {
        guard case .compare(let left, let rest) = test.kind, rest.count == 1 else { return nil }
        let (op, right) = rest[0]
        switch op {
        case .lt: return specializedIf(LtImpl.self, left, right, b, e, line)
        case .le: return specializedIf(LeImpl.self, left, right, b, e, line)
        case .gt: return specializedIf(GtImpl.self, left, right, b, e, line)
        case .ge: return specializedIf(GeImpl.self, left, right, b, e, line)
        case .eq: return specializedIf(EqImpl.self, left, right, b, e, line)
        case .ne: return specializedIf(NeImpl.self, left, right, b, e, line)
        default: return nil
        }
    }

    func specializedIf<Op: CompareImpl>(_ op: Op.Type, _ left: Expr, _ right: Expr, _ b: @escaping StmtFn, _ e: StmtBox?,
                                        _ line: Int) -> StmtBox? {
        let orelse: StmtFn
        if let e { orelse = e.run } else { orelse = { _ in .normal } }
        switch (operandShape(left), operandShape(right)) {
        case (.local(let i, let n), .smallInt(let c)):
            let k = OperandSite(rt, i: i, n: n, c: c, line: line, then: b, orelse: orelse)
            return StmtBox { fp throws(PyErr) in
                let t: Bool
                if case .int(let x) = fp[k.i] {
                    t = Op.int(x, k.c)
                } else {
                    do throws(PyErr) {
                        let a = fp[k.i]
                        if case .undef = a { throw k.rt.unboundLocal(k.n) }
                        t = try Op.test(k.rt, a, .int(k.c))
                    } catch {
                        Compiler.mark(error, k.line)
                        throw error
                    }
                }
                return t ? try k.then(fp) : try k.orelse(fp)
            }
        case (.local(let i, let n), .local(let j, let m)):
            let k = OperandSite(rt, i: i, n: n, j: j, m: m, line: line, then: b, orelse: orelse)
            return StmtBox { fp throws(PyErr) in
                let t: Bool
                if case .int(let x) = fp[k.i], case .int(let y) = fp[k.j] {
                    t = Op.int(x, y)
                } else {
                    do throws(PyErr) {
                        let a = fp[k.i], c = fp[k.j]
                        if case .undef = a { throw k.rt.unboundLocal(k.n) }
                        if case .undef = c { throw k.rt.unboundLocal(k.m) }
                        t = try Op.test(k.rt, a, c)
                    } catch {
                        Compiler.mark(error, k.line)
                        throw error
                    }
                }
                return t ? try k.then(fp) : try k.orelse(fp)
            }
        default:
            return nil
        }
    }

    /// A specialised Bool test for `left op right`, else nil.
    func specializedCondition(_ op: CompareOp, _ left: Expr, _ right: Expr) -> CondBox? {
        switch op {
        case .lt: return specializedCondition(LtImpl.self, left, right)
        case .le: return specializedCondition(LeImpl.self, left, right)
        case .gt: return specializedCondition(GtImpl.self, left, right)
        case .ge: return specializedCondition(GeImpl.self, left, right)
        case .eq: return specializedCondition(EqImpl.self, left, right)
        case .ne: return specializedCondition(NeImpl.self, left, right)
        default: return nil
        }
    }

    func specializedCondition<Op: CompareImpl>(_ op: Op.Type, _ left: Expr, _ right: Expr) -> CondBox? {
        switch (operandShape(left), operandShape(right)) {
        case (.local(let i, let n), .local(let j, let m)):
            let k = OperandSite(rt, i: i, n: n, j: j, m: m)
            return CondBox { fp throws(PyErr) in
                if case .int(let x) = fp[k.i], case .int(let y) = fp[k.j] { return Op.int(x, y) }
                if case .float(let x) = fp[k.i], case .float(let y) = fp[k.j] { return Op.float(x, y) }
                let a = fp[k.i], b = fp[k.j]
                if case .undef = a { throw k.rt.unboundLocal(k.n) }
                if case .undef = b { throw k.rt.unboundLocal(k.m) }
                return try Op.test(k.rt, a, b)
            }
        case (.local(let i, let n), .smallInt(let c)):
            let k = OperandSite(rt, i: i, n: n, c: c)
            return CondBox { fp throws(PyErr) in
                if case .int(let x) = fp[k.i] { return Op.int(x, k.c) }
                let a = fp[k.i]
                if case .undef = a { throw k.rt.unboundLocal(k.n) }
                return try Op.test(k.rt, a, .int(k.c))
            }
        case (.local(let i, let n), .other):
            guard let r = try? compileExpr(right) else { return nil }
            let k = OperandSite(rt, i: i, n: n, right: r)
            return CondBox { fp throws(PyErr) in
                let a = fp[k.i]
                if case .undef = a { throw k.rt.unboundLocal(k.n) }
                return try Op.test(k.rt, a, k.right(fp))
            }
        case (.other, .smallInt(let c)):
            guard let l = try? compileExpr(left) else { return nil }
            let k = OperandSite(rt, c: c, right: l)
            return CondBox { fp throws(PyErr) in try Op.test(k.rt, k.right(fp), .int(k.c)) }
        default:
            return nil
        }
    }
}

/// What a specialised operation reads, in one box: its closures capture one word, so their
/// forwarding thunks stay small and call them directly (see `Compiler.node`).
final class OperandSite {
    let rt: Runtime
    /// Local slots and their names (for UnboundLocalError), a small-int constant.
    let i: Int, j: Int, c: Int
    let n: String, m: String
    let line: Int
    let then: StmtFn, orelse: StmtFn
    /// The other operand, compiled.
    let right: ExprFn

    init(_ rt: Runtime, i: Int = 0, n: String = "", j: Int = 0, m: String = "", c: Int = 0, line: Int = 0,
         then: @escaping StmtFn = { _ in .normal }, orelse: @escaping StmtFn = { _ in .normal },
         right: @escaping ExprFn = { _ in .none }) {
        self.rt = rt
        self.i = i
        self.j = j
        self.c = c
        self.n = n
        self.m = m
        self.line = line
        self.then = then
        self.orelse = orelse
        self.right = right
    }
}
