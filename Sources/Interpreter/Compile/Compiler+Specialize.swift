import Resolve
import Syntax

// Operand-shape specialisation (DESIGN.md, speed decision 2): `i + 1`, `a < b`, `n - k` with
// locals and small-int constants compile to one closure that reads the frame directly, instead
// of a closure per operand. Each operator is a type, so Swift generates one specialised copy of
// each shape per operator.

protocol BinaryImpl {
    static func apply(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Value
}

protocol CompareImpl {
    static func test(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Bool
}

enum AddImpl: BinaryImpl {
    @inline(__always) static func apply(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            let (r, o) = x.addingReportingOverflow(y)
            if !o { return .int(r) }
        }
        return try rt.add(a, b)
    }
}

enum SubImpl: BinaryImpl {
    @inline(__always) static func apply(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            let (r, o) = x.subtractingReportingOverflow(y)
            if !o { return .int(r) }
        }
        return try rt.sub(a, b)
    }
}

enum MulImpl: BinaryImpl {
    @inline(__always) static func apply(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if !o { return .int(r) }
        }
        return try rt.mul(a, b)
    }
}

enum LtImpl: CompareImpl {
    @inline(__always) static func test(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Bool {
        if case .int(let x) = a, case .int(let y) = b { return x < y }
        if case .float(let x) = a, case .float(let y) = b { return x < y }
        return try rt.truthy(rt.richCompare(a, b, .lt))
    }
}

enum LeImpl: CompareImpl {
    @inline(__always) static func test(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Bool {
        if case .int(let x) = a, case .int(let y) = b { return x <= y }
        if case .float(let x) = a, case .float(let y) = b { return x <= y }
        return try rt.truthy(rt.richCompare(a, b, .le))
    }
}

enum GtImpl: CompareImpl {
    @inline(__always) static func test(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Bool {
        if case .int(let x) = a, case .int(let y) = b { return x > y }
        if case .float(let x) = a, case .float(let y) = b { return x > y }
        return try rt.truthy(rt.richCompare(a, b, .gt))
    }
}

enum GeImpl: CompareImpl {
    @inline(__always) static func test(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Bool {
        if case .int(let x) = a, case .int(let y) = b { return x >= y }
        if case .float(let x) = a, case .float(let y) = b { return x >= y }
        return try rt.truthy(rt.richCompare(a, b, .ge))
    }
}

enum EqImpl: CompareImpl {
    @inline(__always) static func test(_ rt: Runtime, _ a: Value, _ b: Value) throws(PyErr) -> Bool {
        if case .int(let x) = a, case .int(let y) = b { return x == y }
        return try rt.equal(a, b)
    }
}

enum NeImpl: CompareImpl {
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
                let a = fp[i], b = fp[j]
                if case .undef = a { throw rt.unboundLocal(n) }
                if case .undef = b { throw rt.unboundLocal(m) }
                return try Op.apply(rt, a, b)
            }
        case (.local(let i, let n), .smallInt(let c)):
            return { fp throws(PyErr) in
                let a = fp[i]
                if case .undef = a { throw rt.unboundLocal(n) }
                return try Op.apply(rt, a, .int(c))
            }
        case (.smallInt(let c), .local(let i, let n)):
            return { fp throws(PyErr) in
                let b = fp[i]
                if case .undef = b { throw rt.unboundLocal(n) }
                return try Op.apply(rt, .int(c), b)
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
                let a = fp[i], b = fp[j]
                if case .undef = a { throw rt.unboundLocal(n) }
                if case .undef = b { throw rt.unboundLocal(m) }
                return try Op.test(rt, a, b)
            }
        case (.local(let i, let n), .smallInt(let c)):
            return { fp throws(PyErr) in
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
