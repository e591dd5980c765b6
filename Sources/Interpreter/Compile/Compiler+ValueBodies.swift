import Resolve
import Syntax

// Function bodies that end in `return expr` compiled to return the value directly.
//
// A statement returns a `Flow` and `return` leaves its value in the frame's return slot; a call
// then runs the body block, which runs the `return` statement, which runs the expression. For
// `return expr` at the end of a body (and the common `if test: return a` before it) the value
// body evaluates the expressions itself: two or three fewer closure calls per Python call,
// which also keeps deep recursion within the processor's return-address predictor longer.

extension Compiler {
    /// The value body of a function whose statements end in `return expr`, or nil (a box: an
    /// optional closure would come back wrapped in reabstraction thunks).
    /// The body as an expression, and the line an escaping error is to record, or 0 when
    /// the expression records its lines itself. A body that is just `return expr` is `expr`
    /// unwrapped (no closure layer per call): the caller records its line on error.
    func compileValueBody(_ body: [Stmt]) throws -> (body: ExprBox, errorLine: Int)? {
        guard let last = body.last, case .returnStmt(let value?) = last.kind else { return nil }
        let ret = scope.host.slotCount
        let tailLine = last.span.start.line
        let tail = try compileExpr(value)
        let prefix = body.dropLast()
        if prefix.isEmpty { return (ExprBox(tail), tailLine) }
        // `if test: return a` then `return b`.
        if prefix.count == 1, let first = prefix.first, case .ifStmt(let test, let thenBody, let orelse) = first.kind,
           orelse.isEmpty, thenBody.count == 1, let only = thenBody.first, case .returnStmt(let early?) = only.kind {
            let testLine = first.span.start.line, earlyLine = only.span.start.line
            let cond = try compileCondition(test)
            let a = try compileExpr(early)
            return (ExprBox { fp throws(PyErr) in
                let c: Bool
                do throws(PyErr) { c = try cond(fp) } catch { Compiler.mark(error, testLine); throw error }
                if c {
                    do throws(PyErr) { return try a(fp) } catch { Compiler.mark(error, earlyLine); throw error }
                }
                do throws(PyErr) { return try tail(fp) } catch { Compiler.mark(error, tailLine); throw error }
            }, 0)
        }
        let run = try compileBlock(Array(prefix))
        return (ExprBox { fp throws(PyErr) in
            // Only `.returned` or `.normal` can end a function's top-level statements.
            if try run(fp) == .returned {
                let slot = fp + ret
                let r = slot.move()
                slot.initialize(to: .undef)
                if case .undef = r { return .none }
                return r
            }
            do throws(PyErr) { return try tail(fp) } catch { Compiler.mark(error, tailLine); throw error }
        }, 0)
    }
}
