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
    func specializedBinary(_ op: BinaryOp, _ left: Expr, _ right: Expr) -> ExprFn? {
        switch op {
        case .add: return specializedBinary(AddImpl.self, left, right)
        case .sub: return specializedBinary(SubImpl.self, left, right)
        case .mul: return specializedBinary(MulImpl.self, left, right)
        default: return nil
        }
    }

    func specializedBinary<Op: BinaryImpl>(_ op: Op.Type, _ left: Expr, _ right: Expr) -> ExprFn? {
        let rt = self.rt
        switch (operandShape(left), operandShape(right)) {
        case (.local(let i, let n), .local(let j, let m)):
            return { fp throws(PyErr) in
                // Ints are matched in place (no copy of the slots' values).
                if case .int(let x) = fp[i], case .int(let y) = fp[j], let r = Op.int(x, y) { return .int(r) }
                if case .float(let x) = fp[i], case .float(let y) = fp[j] { return .float(Op.float(x, y)) }
                let a = fp[i], b = fp[j]
                if case .undef = a { throw rt.unboundLocal(n) }
                if case .undef = b { throw rt.unboundLocal(m) }
                return try Op.apply(rt, a, b)
            }
        case (.local(let i, let n), .smallInt(let c)):
            return { fp throws(PyErr) in
                if case .int(let x) = fp[i], let r = Op.int(x, c) { return .int(r) }
                let a = fp[i]
                if case .undef = a { throw rt.unboundLocal(n) }
                return try Op.apply(rt, a, .int(c))
            }
        case (.smallInt(let c), .local(let i, let n)):
            return { fp throws(PyErr) in
                if case .int(let y) = fp[i], let r = Op.int(c, y) { return .int(r) }
                let b = fp[i]
                if case .undef = b { throw rt.unboundLocal(n) }
                return try Op.apply(rt, .int(c), b)
            }
        default:
            return nil
        }
    }

    /// `if local op k:` / `if local op local:` with the comparison inline in the statement
    /// (one closure call fewer per test); nil for other tests.
    func specializedIf(_ test: Expr, _ b: @escaping StmtFn, _ e: StmtFn?, _ line: Int) -> StmtFn? {
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

    func specializedIf<Op: CompareImpl>(_ op: Op.Type, _ left: Expr, _ right: Expr, _ b: @escaping StmtFn, _ e: StmtFn?,
                                        _ line: Int) -> StmtFn? {
        let rt = self.rt
        let orelse: StmtFn = e ?? { _ in .normal }
        switch (operandShape(left), operandShape(right)) {
        case (.local(let i, let n), .smallInt(let c)):
            return { fp throws(PyErr) in
                let t: Bool
                if case .int(let x) = fp[i] {
                    t = Op.int(x, c)
                } else {
                    do throws(PyErr) {
                        let a = fp[i]
                        if case .undef = a { throw rt.unboundLocal(n) }
                        t = try Op.test(rt, a, .int(c))
                    } catch {
                        Compiler.mark(error, line)
                        throw error
                    }
                }
                return t ? try b(fp) : try orelse(fp)
            }
        case (.local(let i, let n), .local(let j, let m)):
            return { fp throws(PyErr) in
                let t: Bool
                if case .int(let x) = fp[i], case .int(let y) = fp[j] {
                    t = Op.int(x, y)
                } else {
                    do throws(PyErr) {
                        let a = fp[i], c = fp[j]
                        if case .undef = a { throw rt.unboundLocal(n) }
                        if case .undef = c { throw rt.unboundLocal(m) }
                        t = try Op.test(rt, a, c)
                    } catch {
                        Compiler.mark(error, line)
                        throw error
                    }
                }
                return t ? try b(fp) : try orelse(fp)
            }
        default:
            return nil
        }
    }

    /// A specialised Bool test for `left op right`, else nil.
    func specializedCondition(_ op: CompareOp, _ left: Expr, _ right: Expr) -> ((Frame) throws(PyErr) -> Bool)? {
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

    func specializedCondition<Op: CompareImpl>(_ op: Op.Type, _ left: Expr, _ right: Expr) -> ((Frame) throws(PyErr) -> Bool)? {
        let rt = self.rt
        switch (operandShape(left), operandShape(right)) {
        case (.local(let i, let n), .local(let j, let m)):
            return { fp throws(PyErr) in
                if case .int(let x) = fp[i], case .int(let y) = fp[j] { return Op.int(x, y) }
                if case .float(let x) = fp[i], case .float(let y) = fp[j] { return Op.float(x, y) }
                let a = fp[i], b = fp[j]
                if case .undef = a { throw rt.unboundLocal(n) }
                if case .undef = b { throw rt.unboundLocal(m) }
                return try Op.test(rt, a, b)
            }
        case (.local(let i, let n), .smallInt(let c)):
            return { fp throws(PyErr) in
                if case .int(let x) = fp[i] { return Op.int(x, c) }
                let a = fp[i]
                if case .undef = a { throw rt.unboundLocal(n) }
                return try Op.test(rt, a, .int(c))
            }
        case (.local(let i, let n), .other):
            guard let r = try? compileExpr(right) else { return nil }
            return { fp throws(PyErr) in
                let a = fp[i]
                if case .undef = a { throw rt.unboundLocal(n) }
                return try Op.test(rt, a, r(fp))
            }
        case (.other, .smallInt(let c)):
            guard let l = try? compileExpr(left) else { return nil }
            return { fp throws(PyErr) in try Op.test(rt, l(fp), .int(c)) }
        default:
            return nil
        }
    }
}
