// Expressions, by Python's precedence (lowest first):
// lambda < if-else < or < and < not < comparisons < | < ^ < & < shifts < + - < * / // % @
// < unary + - ~ < ** < await/primary.

extension Parser {
    /// True when the current token can begin an expression.
    func startsExpression() -> Bool {
        startsExpressionAt(p)
    }

    func startsExpressionAt(_ i: Int) -> Bool {
        switch toks[min(i, toks.count - 1)].kind {
        case .name, .int, .float, .string:
            return true
        case .keyword(let k):
            return k == "not" || k == "lambda" || k == "None" || k == "True" || k == "False" || k == "await" || k == "yield"
        case .op(let o):
            return o == "(" || o == "[" || o == "{" || o == "-" || o == "+" || o == "~" || o == "*" || o == "..."
        default:
            return false
        }
    }

    /// star_expressions: `a`, `a, b`, `*a, b` (a bare tuple without parentheses).
    mutating func parseStarExpressions() throws -> Expr {
        let start = tok.start
        let first = try parseStarExpression()
        if !isOp(",") { return first }
        var elts = [first]
        while eatOp(",") {
            if !startsExpression() || isKw("yield") { break }
            elts.append(try parseStarExpression())
        }
        return Expr(.tuple(elts), span(from: start))
    }

    /// star_expression: `*bitwise_or` or an expression.
    mutating func parseStarExpression() throws -> Expr {
        if isOp("*") {
            let start = tok.start
            advance()
            let e = try parseBitOr()
            return Expr(.starred(e), span(from: start))
        }
        return try parseExpression()
    }

    /// star_named_expression: `*bitwise_or` or a named expression (in displays).
    mutating func parseStarNamedExpression() throws -> Expr {
        if isOp("*") {
            let start = tok.start
            advance()
            let e = try parseBitOr()
            return Expr(.starred(e), span(from: start))
        }
        return try parseNamedExpression()
    }

    /// named_expression: `NAME := expression` or an expression.
    mutating func parseNamedExpression() throws -> Expr {
        if case .op(":=") = peekKind(1) { return try parseWalrus() }
        let e = try parseExpression()
        if isOp(":=") { throw walrusTargetError(e) }
        return e
    }

    mutating func parseWalrus() throws -> Expr {
        guard case .name(let n) = kind else {
            let e = try parseExpression()
            throw walrusTargetError(e)
        }
        let start = tok.start
        advance()
        let target = Expr(.name(n), span(from: start))
        advance()
        let value = try parseExpression()
        return Expr(.namedExpr(target: target, value: value), span(from: start))
    }

    func walrusTargetError(_ e: Expr) -> SyntaxError {
        buf.error("cannot use assignment expressions with \(exprName(e))", e.span.start)
    }

    /// expression: lambda, or a conditional expression.
    mutating func parseExpression() throws -> Expr {
        if isKw("lambda") { return try parseLambda() }
        try enter()
        defer { leave() }
        let start = toks[p].start
        let body = try parseBinary(1)
        if isKw("if") { return try parseIfExpRest(body, start) }
        return body
    }

    mutating func parseIfExpRest(_ body: Expr, _ start: SourceLocation) throws -> Expr {
        advance()
        let test = try parseDisjunction()
        if !isKw("else") {
            if case .error(let e) = kind { throw e }
            if isOp(":") { throw invalidSyntax() }
            throw buf.error("expected 'else' after 'if' expression", start)
        }
        advance()
        let orelse = try parseExpression()
        return Expr(.ifExp(test: test, body: body, orelse: orelse), span(from: start))
    }

    /// An expression without a conditional or lambda (comprehension iterables and conditions).
    mutating func parseDisjunction() throws -> Expr {
        try parseBinary(1)
    }

    /// bitwise_or: the operand of comparisons, starred items and targets.
    mutating func parseBitOr() throws -> Expr {
        try parseBinary(5)
    }

    /// `*bitwise_or` or bitwise_or (del targets, for targets).
    mutating func parseBitOrOrStar() throws -> Expr {
        if isOp("*") {
            let start = tok.start
            advance()
            let e = try parseBitOr()
            return Expr(.starred(e), span(from: start))
        }
        return try parseBitOr()
    }

    /// The binding power of the binary operator at the current token (0 when there is none).
    /// 1 or, 2 and, 4 comparisons, 5 |, 6 ^, 7 &, 8 << >>, 9 + -, 10 * / // % @.
    /// (3 is the prefix `not`.)
    func binaryPrecedence() -> Int {
        switch toks[p].kind {
        case .op(let o):
            switch o {
            case "|": return 5
            case "^": return 6
            case "&": return 7
            case "<<", ">>": return 8
            case "+", "-": return 9
            case "*", "/", "//", "%", "@": return 10
            case "==", "!=", "<", "<=", ">", ">=": return 4
            default: return 0
            }
        case .keyword(let k):
            switch k {
            case "or": return 1
            case "and": return 2
            case "in", "is": return 4
            case "not":
                if case .keyword("in") = peekKind(1) { return 4 }
                return 0
            default: return 0
            }
        default:
            return 0
        }
    }

    /// Precedence climbing over the binary operators whose binding power is at least `minPrec`
    /// (a loop for left-associative chains, so long chains do not recurse).
    mutating func parseBinary(_ minPrec: Int) throws -> Expr {
        let start = toks[p].start
        var left: Expr
        if minPrec <= 3 && isKw("not") {
            left = try parseNot()
        } else {
            left = try parseFactor()
        }
        let depthAtStart = depth
        defer { depth = depthAtStart }
        while true {
            let prec = binaryPrecedence()
            if prec == 0 || prec < minPrec { break }
            try enter()
            if prec == 4 {
                left = try parseComparisonChain(left, start)
            } else {
                left = try parseBinaryRight(left, prec, start)
            }
        }
        return left
    }

    mutating func parseNot() throws -> Expr {
        try enter()
        defer { leave() }
        let start = toks[p].start
        advance()
        let operand = try parseBinary(3)
        return Expr(.unary(.not, operand), span(from: start))
    }

    mutating func parseBinaryRight(_ left: Expr, _ prec: Int, _ start: SourceLocation) throws -> Expr {
        guard let o = opText() else { throw invalidSyntax() }
        advance()
        let right = try parseBinary(prec + 1)
        let sp = span(from: start)
        switch o {
        case "or": return Expr(.boolOp(.or, left, right), sp)
        case "and": return Expr(.boolOp(.and, left, right), sp)
        case "|": return Expr(.binary(.bitOr, left, right), sp)
        case "^": return Expr(.binary(.bitXor, left, right), sp)
        case "&": return Expr(.binary(.bitAnd, left, right), sp)
        case "<<": return Expr(.binary(.lshift, left, right), sp)
        case ">>": return Expr(.binary(.rshift, left, right), sp)
        case "+": return Expr(.binary(.add, left, right), sp)
        case "-": return Expr(.binary(.sub, left, right), sp)
        case "*": return Expr(.binary(.mul, left, right), sp)
        case "/": return Expr(.binary(.div, left, right), sp)
        case "//": return Expr(.binary(.floorDiv, left, right), sp)
        case "%": return Expr(.binary(.mod, left, right), sp)
        default: return Expr(.binary(.matMul, left, right), sp)
        }
    }

    func opText() -> String? {
        switch toks[p].kind {
        case .op(let o): return o
        case .keyword(let k): return k
        default: return nil
        }
    }

    mutating func compareOp() -> CompareOp? {
        switch kind {
        case .op(let o):
            switch o {
            case "==": advance(); return .eq
            case "!=": advance(); return .ne
            case "<": advance(); return .lt
            case "<=": advance(); return .le
            case ">": advance(); return .gt
            case ">=": advance(); return .ge
            default: return nil
            }
        case .keyword(let k):
            if k == "in" { advance(); return .in }
            if k == "is" {
                advance()
                if eatKw("not") { return .isNot }
                return .is
            }
            if k == "not", case .keyword("in") = peekKind(1) {
                advance(); advance()
                return .notIn
            }
            return nil
        default:
            return nil
        }
    }

    mutating func parseComparisonChain(_ left: Expr, _ start: SourceLocation) throws -> Expr {
        var ops: [(CompareOp, Expr)] = []
        while let op = compareOp() {
            let right = try parseBinary(5)
            ops.append((op, right))
        }
        return Expr(.compare(left, ops), span(from: start))
    }

    mutating func parseFactor() throws -> Expr {
        if case .op(let o) = toks[p].kind, o == "-" || o == "+" || o == "~" {
            return try parseUnary(o)
        }
        return try parsePower()
    }

    mutating func parseUnary(_ o: String) throws -> Expr {
        try enter()
        defer { leave() }
        let start = toks[p].start
        advance()
        let operand = try parseFactor()
        let op: UnaryOp = o == "-" ? .negate : (o == "+" ? .plus : .invert)
        return Expr(.unary(op, operand), span(from: start))
    }

    mutating func parsePower() throws -> Expr {
        let start = toks[p].start
        let base = try parsePrimary()
        if isOp("**") {
            return try parsePowerRight(base, start)
        }
        return base
    }

    mutating func parsePowerRight(_ base: Expr, _ start: SourceLocation) throws -> Expr {
        try enter()
        defer { leave() }
        advance()
        let exp = try parseFactor()
        return Expr(.binary(.pow, base, exp), SourceSpan(start: start, end: lastEnd))
    }

    mutating func parsePrimary() throws -> Expr {
        let start = toks[p].start
        var e: Expr
        switch toks[p].kind {
        case .op("("): e = try parseParen()
        case .op("["): e = try parseListDisplay()
        case .op("{"): e = try parseBraceDisplay()
        default: e = try parseAtom()
        }
        guard case .op(let o) = toks[p].kind, o == "." || o == "(" || o == "[" else { return e }
        return try parseTrailers(e, start)
    }

    /// Attribute references, calls and subscripts after an atom; `start` is the atom's first
    /// token (its opening parenthesis when parenthesized, as CPython's spans have it).
    mutating func parseTrailers(_ atom: Expr, _ start: SourceLocation) throws -> Expr {
        var e = atom
        let depthAtStart = depth
        defer { depth = depthAtStart }
        while true {
            if isOp(".") {
                try enter()
                advance()
                guard case .name(let n) = kind else {
                    if case .error(let err) = kind { throw err }
                    throw invalidSyntax()
                }
                advance()
                e = Expr(.attribute(e, n), span(from: start))
            } else if isOp("(") {
                try enter()
                let args = try parseCallArguments()
                e = Expr(.call(e, args), span(from: start))
            } else if isOp("[") {
                try enter()
                let index = try parseSubscriptIndex()
                e = Expr(.subscript(e, index), span(from: start))
            } else {
                break
            }
        }
        return e
    }

    /// `[...]` after a primary: a slice, an expression, or a tuple of them.
    mutating func parseSubscriptIndex() throws -> Expr {
        try enter()
        defer { leave() }
        advance()  // [
        let start = tok.start
        var elts: [Expr] = []
        var trailingComma = false
        while true {
            elts.append(try parseSliceItem())
            if isOp(",") {
                advance()
                trailingComma = true
                if isOp("]") { break }
                trailingComma = false
                continue
            }
            break
        }
        if !isOp("]") { throw missingClose(after: elts.last) }
        let idxSpan = span(from: start)
        advance()
        if elts.count == 1 && !trailingComma { return elts[0] }
        return Expr(.tuple(elts), idxSpan)
    }

    mutating func parseSliceItem() throws -> Expr {
        let start = tok.start
        var lower: Expr? = nil
        if !isOp(":") {
            let e = try parseStarNamedExpression()
            if !isOp(":") { return e }
            lower = e
        }
        advance()  // :
        var upper: Expr? = nil
        var step: Expr? = nil
        if !isOp(":") && !isOp("]") && !isOp(",") {
            upper = try parseExpression()
        }
        if eatOp(":") {
            if !isOp("]") && !isOp(",") {
                step = try parseExpression()
            }
        }
        return Expr(.slice(lower: lower, upper: upper, step: step), span(from: start))
    }

    /// The error for a display or call whose closing bracket is missing.
    mutating func missingClose(after prev: Expr?) -> SyntaxError {
        if case .error(let e) = kind { return e }
        if isOp("=") || isOp(":=") {
            return genericError()
        }
        if prev == nil { return invalidSyntax() }
        if let prev = prev, startsExpression(), !isOp("*") {
            // CPython parses the next expression to make its suggestion; if that runs into the
            // end of the input inside the brackets, the unclosed bracket is reported instead.
            let saveP = p, saveEnd = lastEnd, saveDepth = depth
            _ = try? parseExpression()
            let hitError = reachedEndError()
            p = saveP; lastEnd = saveEnd; depth = saveDepth
            if let e = hitError { return e }
            // CPython makes no suggestion after a name followed by a string (a misspelt
            // prefix) or after a soft keyword.
            var suggest = true
            if case .name(let n) = prev.kind {
                if case .string = kind { suggest = false }
                if n == "match" || n == "case" || n == "_" { suggest = false }
            }
            if suggest {
                return buf.error("invalid syntax. Perhaps you forgot a comma?", prev.span.start)
            }
        }
        return invalidSyntax()
    }

    mutating func parseCallArguments() throws -> [Argument] {
        try enter()
        defer { leave() }
        let parenStart = toks[p].start
        advance()  // (
        var args: [Argument] = []
        var seenKeyword = false
        var seenDoubleStar = false
        var prev: Expr? = nil
        var keywordNames = Set<String>()
        while !isOp(")") {
            if case .error(let e) = kind { throw e }
            if isOp("*") {
                let starLoc = tok.start
                advance()
                let e = try parseExpression()
                if seenDoubleStar {
                    throw buf.error("iterable argument unpacking follows keyword argument unpacking", starLoc)
                }
                args.append(.star(e))
                prev = e
            } else if isOp("**") {
                advance()
                let e = try parseExpression()
                args.append(.doubleStar(e))
                seenDoubleStar = true
                prev = e
            } else if case .name(let n) = kind, case .op("=") = peekKind(1) {
                let start = tok.start
                if keywordNames.contains(n) {
                    throw buf.error("keyword argument repeated: \(n)", start)
                }
                keywordNames.insert(n)
                advance(); advance()
                let v = try parseExpression()
                args.append(.keyword(name: n, value: v, span: span(from: start)))
                seenKeyword = true
                prev = v
            } else {
                let start = tok.start
                let e = try parseNamedExpression()
                if isOp("=") {
                    switch e.kind {
                    case .bool(let b):
                        throw buf.error("cannot assign to \(b ? "True" : "False")", e.span.start)
                    case .none:
                        throw buf.error("cannot assign to None", e.span.start)
                    default:
                        throw buf.error("expression cannot contain assignment, perhaps you meant \"==\"?", e.span.start)
                    }
                }
                if isKw("for") {
                    let comps = try parseComprehensionClauses()
                    if !args.isEmpty || !isOp(")") {
                        throw buf.error("Generator expression must be parenthesized", start)
                    }
                    // like CPython, a sole generator argument's span includes the parentheses
                    let gen = Expr(.generator(e, comps), SourceSpan(start: parenStart, end: toks[p].end))
                    args.append(.positional(gen))
                    break
                }
                if seenDoubleStar {
                    throw error("positional argument follows keyword argument unpacking")
                }
                if seenKeyword {
                    throw error("positional argument follows keyword argument")
                }
                args.append(.positional(e))
                prev = e
            }
            if eatOp(",") {
                if isKw("for") { throw invalidSyntax() }
                continue
            }
            if !isOp(")") {
                if isKw("for"), case .positional(let g)? = args.last, case .generator = g.kind {
                    throw buf.error("Generator expression must be parenthesized", g.span.start)
                }
                throw missingClose(after: prev)
            }
        }
        advance()  // )
        return args
    }

    /// `for target in iter if cond ...` clauses.
    mutating func parseComprehensionClauses() throws -> [Comprehension] {
        var comps: [Comprehension] = []
        while isKw("for") {
            advance()
            if isKw("async") { throw error("'async' is not supported in stlang") }
            let target = try parseTargetList()
            try checkTarget(target, context: .comprehension)
            if !isKw("in") {
                if case .error(let e) = kind { throw e }
                var last = target
                if case .tuple(let elts) = target.kind, let l = elts.last { last = l }
                throw missingClose(after: last)
            }
            advance()
            let iter = try parseDisjunction()
            var ifs: [Expr] = []
            while isKw("if") {
                advance()
                ifs.append(try parseDisjunction())
            }
            comps.append(Comprehension(target: target, iter: iter, ifs: ifs))
        }
        return comps
    }

    /// star_targets in `for` statements and comprehensions: `x`, `k, v`, `(a, b), *c`.
    mutating func parseTargetList() throws -> Expr {
        let start = tok.start
        let first = try parseStarTarget()
        if !isOp(",") { return first }
        var elts = [first]
        while eatOp(",") {
            if isKw("in") || isOp("=") || !startsExpression() { break }
            elts.append(try parseStarTarget())
        }
        return Expr(.tuple(elts), span(from: start))
    }

    mutating func parseStarTarget() throws -> Expr {
        try parseBitOrOrStar()
    }

    mutating func parseLambda() throws -> Expr {
        try enter()
        defer { leave() }
        let start = tok.start
        advance()  // lambda
        let params = try parseParameters(closing: ":", allowAnnotations: false)
        if !isOp(":") { throw invalidSyntax() }
        advance()
        functionDepth += 1
        defer { functionDepth -= 1 }
        let body = try parseExpression()
        let sp = span(from: start)
        return Expr(.lambda(Lambda(params: params, body: body, span: sp)), sp)
    }

    // MARK: atoms

    mutating func parseAtom() throws -> Expr {
        if isKw("await") { throw error("'await' is not supported in stlang") }
        let start = tok.start
        switch kind {
        case .name(let n):
            advance()
            return Expr(.name(n), span(from: start))
        case .int(let v):
            advance()
            return Expr(.int(v), span(from: start))
        case .float(let d):
            advance()
            return Expr(.float(d), span(from: start))
        case .string:
            return try parseStrings()
        case .keyword(let k):
            switch k {
            case "True": advance(); return Expr(.bool(true), span(from: start))
            case "False": advance(); return Expr(.bool(false), span(from: start))
            case "None": advance(); return Expr(.none, span(from: start))
            case "yield": throw error(yieldMessage)
            case "await", "async": throw error("'\(k)' is not supported in stlang")
            default: throw invalidSyntax()
            }
        case .op(let o):
            switch o {
            case "(": return try parseParen()
            case "[": return try parseListDisplay()
            case "{": return try parseBraceDisplay()
            case "...": advance(); return Expr(.ellipsis, span(from: start))
            default: throw invalidSyntax()
            }
        case .error(let e):
            throw e
        default:
            throw invalidSyntax()
        }
    }

    mutating func parseParen() throws -> Expr {
        try enter()
        defer { leave() }
        let start = toks[p].start
        advance()  // (
        if isOp(")") || isKw("yield") { return try parseParenSpecial(start) }
        let first = try parseStarNamedExpression()
        return try parseParenRest(first, start)
    }

    mutating func parseParenSpecial(_ start: SourceLocation) throws -> Expr {
        if isKw("yield") {
            let y = try parseYield()
            try expectOp(")")
            return y
        }
        advance()
        return Expr(.tuple([]), span(from: start))
    }

    mutating func parseParenRest(_ first: Expr, _ start: SourceLocation) throws -> Expr {
        if isKw("for") {
            if case .starred = first.kind {
                throw buf.error("iterable unpacking cannot be used in comprehension", first.span.start)
            }
            let comps = try parseComprehensionClauses()
            if !isOp(")") { throw missingClose(after: nil) }
            advance()
            return Expr(.generator(first, comps), span(from: start))
        }
        if isOp(")") {
            advance()
            if case .starred = first.kind {
                throw buf.error("cannot use starred expression here", first.span.start)
            }
            return first
        }
        if !isOp(",") { throw missingClose(after: first) }
        var elts = [first]
        while eatOp(",") {
            if isOp(")") { break }
            let e = try parseStarNamedExpression()
            elts.append(e)
            if !isOp(",") && !isOp(")") { throw missingClose(after: e) }
        }
        try expectOp(")")
        return Expr(.tuple(elts), span(from: start))
    }

    mutating func parseListDisplay() throws -> Expr {
        try enter()
        defer { leave() }
        let start = toks[p].start
        advance()  // [
        if isOp("]") {
            advance()
            return Expr(.list([]), span(from: start))
        }
        let first = try parseStarNamedExpression()
        return try parseListRest(first, start)
    }

    mutating func parseListRest(_ first: Expr, _ start: SourceLocation) throws -> Expr {
        if isKw("for") {
            if case .starred = first.kind {
                throw buf.error("iterable unpacking cannot be used in comprehension", first.span.start)
            }
            let comps = try parseComprehensionClauses()
            if !isOp("]") { throw missingClose(after: nil) }
            advance()
            return Expr(.listComp(first, comps), span(from: start))
        }
        var elts = [first]
        var prev = first
        while eatOp(",") {
            if isOp("]") { break }
            prev = try parseStarNamedExpression()
            elts.append(prev)
        }
        if !isOp("]") { throw missingClose(after: prev) }
        advance()
        return Expr(.list(elts), span(from: start))
    }

    mutating func parseBraceDisplay() throws -> Expr {
        try enter()
        defer { leave() }
        let start = toks[p].start
        advance()  // {
        if isOp("}") {
            advance()
            return Expr(.dict([]), span(from: start))
        }
        if isOp("**") {
            advance()
            let v = try parseBitOr()
            return try parseDictRest(DictItem(key: nil, value: v), start)
        }
        let e = try parseStarNamedExpression()
        if isOp(":") { return try parseDictAfterKey(e, start) }
        return try parseSetRest(e, start)
    }

    mutating func parseDictAfterKey(_ key: Expr, _ start: SourceLocation) throws -> Expr {
        if case .starred = key.kind {
            throw buf.error("cannot use a starred expression in a dictionary key", key.span.start)
        }
        advance()  // :
        let v = try parseExpression()
        if isKw("for") {
            let comps = try parseComprehensionClauses()
            if !isOp("}") { throw missingClose(after: nil) }
            advance()
            return Expr(.dictComp(key: key, value: v, comps), span(from: start))
        }
        return try parseDictRest(DictItem(key: key, value: v), start)
    }

    mutating func parseDictRest(_ first: DictItem, _ start: SourceLocation) throws -> Expr {
        var items = [first]
        var prev: Expr = first.value
        while eatOp(",") {
            if isOp("}") { break }
            if isOp("**") {
                advance()
                prev = try parseBitOr()
                items.append(DictItem(key: nil, value: prev))
                continue
            }
            let k = try parseExpression()
            if !isOp(":") {
                if case .error(let err) = kind { throw err }
                if isOp(",") || isOp("}") {
                    throw buf.error("':' expected after dictionary key", k.span.start)
                }
                throw missingClose(after: k)
            }
            advance()
            prev = try parseExpression()
            items.append(DictItem(key: k, value: prev))
        }
        if !isOp("}") {
            if isKw("for") { throw error("dict unpacking cannot be used in dict comprehension") }
            throw missingClose(after: prev)
        }
        advance()
        return Expr(.dict(items), span(from: start))
    }

    mutating func parseSetRest(_ first: Expr, _ start: SourceLocation) throws -> Expr {
        if isKw("for") {
            if case .starred = first.kind {
                throw buf.error("iterable unpacking cannot be used in comprehension", first.span.start)
            }
            let comps = try parseComprehensionClauses()
            if !isOp("}") { throw missingClose(after: nil) }
            advance()
            return Expr(.setComp(first, comps), span(from: start))
        }
        var elts = [first]
        var prev = first
        while eatOp(",") {
            if isOp("}") { break }
            prev = try parseStarNamedExpression()
            elts.append(prev)
        }
        if !isOp("}") { throw missingClose(after: prev) }
        advance()
        return Expr(.set(elts), span(from: start))
    }
}
