// Assignment, deletion and loop targets: the checks and CPython's messages for invalid ones.

extension Parser {
    enum TargetContext { case firstAssign, assign, forLoop, with, comprehension }

    func exprName(_ e: Expr) -> String {
        switch e.kind {
        case .name: return "name"
        case .int, .float, .string, .bytes: return "literal"
        case .fstring: return "f-string expression"
        case .bool(let b): return b ? "True" : "False"
        case .none: return "None"
        case .ellipsis: return "ellipsis"
        case .list: return "list"
        case .tuple: return "tuple"
        case .set: return "set display"
        case .dict: return "dict literal"
        case .starred: return "starred"
        case .attribute: return "attribute"
        case .subscript: return "subscript"
        case .slice: return "slice"
        case .call: return "function call"
        case .unary, .binary, .boolOp: return "expression"
        case .compare: return "comparison"
        case .ifExp: return "conditional expression"
        case .lambda: return "lambda"
        case .listComp: return "list comprehension"
        case .setComp: return "set comprehension"
        case .dictComp: return "dict comprehension"
        case .generator: return "generator expression"
        case .namedExpr: return "named expression"
        case .yield, .yieldFrom: return "yield expression"
        }
    }

    func checkTarget(_ e: Expr, context: TargetContext, nested: Bool = false) throws {
        switch e.kind {
        case .name(let n):
            if n == "__debug__" { throw buf.error("cannot assign to __debug__", e.span.start) }
        case .attribute, .subscript:
            break
        case .tuple(let elts), .list(let elts):
            var starCount = 0
            for el in elts {
                if case .starred(let inner) = el.kind {
                    starCount += 1
                    if starCount > 1 {
                        throw buf.error("multiple starred expressions in assignment", e.span.start)
                    }
                    try checkTarget(inner, context: context, nested: true)
                } else {
                    try checkTarget(el, context: context, nested: true)
                }
            }
        case .starred:
            throw buf.error("starred assignment target must be in a list or tuple", e.span.start)
        default:
            let what = exprName(e)
            var msg = "cannot assign to \(what)"
            if case .bool = e.kind {
            } else if case .none = e.kind {
            } else if context == .firstAssign && !nested {
                msg += " here. Maybe you meant '==' instead of '='?"
            }
            throw buf.error(msg, e.span.start)
        }
    }

    func checkDelTarget(_ e: Expr) throws {
        switch e.kind {
        case .name, .attribute, .subscript:
            break
        case .tuple(let elts), .list(let elts):
            for el in elts { try checkDelTarget(el) }
        default:
            throw buf.error("cannot delete \(exprName(e))", e.span.start)
        }
    }
}
