// A recursive-descent parser for the Python 3.11 subset (statements; expressions are in
// Parser+Expressions.swift, f-strings in Parser+FString.swift).

/// Parses a whole file.
public func parseModule(_ source: String, filename: String) throws -> Module {
    let buf = SourceBuffer(source, filename: filename)
    if let nul = buf.s.firstIndex(of: "\0") {
        throw buf.error("source code string cannot contain null bytes", buf.location(nul))
    }
    let stream = Lexer.tokenize(buf)
    var p = Parser(buffer: buf, stream: stream)
    let body = try p.parseFileWithOverrides()
    return Module(body: body, filename: filename, source: source)
}

/// Parses input typed at the REPL (one or more complete statements).
public func parseInteractive(_ source: String, filename: String) throws -> Module {
    try parseModule(source, filename: filename)
}

let maxNestingDepth = 1000

struct Parser {
    let buf: SourceBuffer
    var toks: [Token]
    var p = 0
    var lastEnd = SourceLocation(line: 1, column: 1)
    var depth = 0
    /// The furthest token the parser has reached (lookahead included).
    var furthest = 0
    let stream: TokenStream
    /// Set for the sub-parsers of f-string expressions: errors get an "f-string: " prefix.
    var inFString = false
    /// How many `def`/`lambda` bodies enclose the current position (for the `yield` message).
    var functionDepth = 0

    init(buffer: SourceBuffer, stream: TokenStream, depth: Int = 0) {
        self.buf = buffer
        self.stream = stream
        self.toks = stream.tokens
        if toks.isEmpty {
            toks.append(Token(.endMarker, start: SourceLocation(line: 1, column: 1), end: SourceLocation(line: 1, column: 1)))
        }
        self.depth = depth
    }

    // MARK: token helpers

    @inline(__always) var tok: Token { toks[p] }
    @inline(__always) var kind: TokenKind { toks[p].kind }

    @inline(__always) mutating func advance() {
        if p < toks.count - 1 {
            switch toks[p].kind {
            case .newline, .indent, .dedent: break
            default: lastEnd = toks[p].end
            }
            p += 1
            if p > furthest { furthest = p }
        }
    }

    func peekKind(_ off: Int) -> TokenKind {
        let i = min(p + off, toks.count - 1)
        return toks[i].kind
    }

    @inline(__always) func isOp(_ s: String) -> Bool {
        if case .op(let o) = toks[p].kind { return o == s }
        return false
    }

    @inline(__always) func isKw(_ s: String) -> Bool {
        if case .keyword(let k) = toks[p].kind { return k == s }
        return false
    }

    var isNewline: Bool {
        if case .newline = kind { return true }
        return false
    }

    var isEnd: Bool {
        if case .endMarker = kind { return true }
        return false
    }

    mutating func eatOp(_ s: String) -> Bool {
        if isOp(s) { advance(); return true }
        return false
    }

    mutating func eatKw(_ s: String) -> Bool {
        if isKw(s) { advance(); return true }
        return false
    }

    /// Builds an error; when the parser stands on a tokenizer error token, that error wins.
    func error(_ message: String, at loc: SourceLocation? = nil, kind: String = "SyntaxError") -> SyntaxError {
        if case .error(let e) = toks[p].kind { return e }
        let l = loc ?? toks[p].start
        return buf.error(message, l, kind: kind)
    }

    func invalidSyntax() -> SyntaxError {
        if case .indent = kind {
            return error("unexpected indent", at: indentLocation(tok), kind: "IndentationError")
        }
        if case .dedent = kind {
            var loc = tok.start
            if p > 0, case .newline = toks[p - 1].kind { loc = toks[p - 1].start }
            return error("unexpected unindent", at: loc, kind: "IndentationError")
        }
        return error("invalid syntax")
    }

    func indentLocation(_ t: Token) -> SourceLocation {
        SourceLocation(line: t.start.line, column: max(1, t.end.column - 1))
    }

    mutating func expectOp(_ s: String) throws {
        if isOp(s) { advance(); return }
        throw invalidSyntax()
    }

    mutating func expectName() throws -> String {
        if case .name(let n) = kind {
            advance()
            return n
        }
        if case .keyword(let k) = kind, k == "yield" || k == "await" || k == "async" {
            throw error(k == "yield" ? yieldMessage : "'\(k)' is not supported in stlang")
        }
        throw invalidSyntax()
    }

    mutating func enter() throws {
        depth += 1
        if depth > maxNestingDepth {
            throw error("too many nested expressions")
        }
    }

    @inline(__always) mutating func leave() { depth -= 1 }

    func span(from start: SourceLocation) -> SourceSpan {
        SourceSpan(start: start, end: lastEnd)
    }

    // MARK: file

    mutating func parseFileWithOverrides() throws -> [Stmt] {
        do {
            return try parseFile()
        } catch let e as SyntaxError {
            // CPython raises "unexpected indent" without looking further for tokenizer errors.
            if e.message == "unexpected indent" { throw e }
            if let lexErr = stream.error, !inFString {
                if stream.errorOverrides { throw lexErr }
                if let ul = stream.unclosedLine, ul < toks[furthest].start.line { throw lexErr }
            }
            throw e
        }
    }

    mutating func parseFile() throws -> [Stmt] {
        var body: [Stmt] = []
        while true {
            switch kind {
            case .endMarker:
                return body
            case .newline:
                advance()
            case .error(let e):
                throw e
            default:
                try parseStatement(into: &body)
            }
        }
    }

    // MARK: statements

    /// Parses one statement (a compound statement or a line of simple statements).
    mutating func parseStatement(into out: inout [Stmt]) throws {
        switch kind {
        case .indent:
            throw error("unexpected indent", at: indentLocation(tok), kind: "IndentationError")
        case .keyword(let k):
            switch k {
            case "if": out.append(try parseIf()); return
            case "while": out.append(try parseWhile()); return
            case "for": out.append(try parseFor()); return
            case "try": out.append(try parseTry()); return
            case "with": out.append(try parseWith()); return
            case "def": out.append(try parseDef(decorators: [], start: tok.start)); return
            case "class": out.append(try parseClass(decorators: [], start: tok.start)); return
            case "async": throw error("'async' is not supported in stlang")
            default: break
            }
        case .op("@"):
            out.append(try parseDecorated())
            return
        default:
            break
        }
        try parseSimpleStatements(into: &out)
    }

    mutating func parseSimpleStatements(into out: inout [Stmt]) throws {
        var last: Stmt
        while true {
            last = try parseSimpleStatement()
            out.append(last)
            if eatOp(";") {
                if isNewline || isEnd { break }
                continue
            }
            break
        }
        if isNewline {
            advance()
            return
        }
        if isEnd { return }
        switch last.kind {
        case .expr, .assign, .augAssign, .annAssign, .returnStmt:
            throw genericError()
        default:
            throw invalidSyntax()
        }
    }

    /// The tokenizer error at the end of the stream, if a (speculative) parse has reached it.
    func reachedEndError() -> SyntaxError? {
        if case .error(let e) = toks[p].kind { return e }
        if furthest == toks.count - 1, case .error(let e) = toks[furthest].kind { return e }
        return nil
    }

    /// "invalid syntax" at the current token, unless CPython's error recovery would have run
    /// into a tokenizer error first (it parses on after the bad token, so inside an unclosed
    /// bracket it reaches the end of the input and reports the bracket).
    mutating func genericError() -> SyntaxError {
        if case .error(let e) = kind { return e }
        let saveP = p, saveEnd = lastEnd, saveDepth = depth
        defer { p = saveP; lastEnd = saveEnd; depth = saveDepth }
        if isOp("=") || isOp(":=") { advance() }
        if startsExpression() {
            _ = try? parseStarExpressions()
            if let e = reachedEndError() { return e }
        }
        p = saveP
        return invalidSyntax()
    }

    /// The body of a compound statement after its ':'.
    mutating func parseBlock(_ what: String, line: Int) throws -> [Stmt] {
        var body: [Stmt] = []
        if isNewline {
            let nl = tok
            advance()
            guard case .indent = kind else {
                if case .error(let e) = kind, p == toks.count - 1 { throw e }
                var i = p
                while i < toks.count - 1, case .dedent = toks[i].kind { i += 1 }
                var loc = toks[i].start
                if case .endMarker = toks[i].kind {
                    // at the end of the input CPython points past the end of the last line
                    var last = buf.lineStarts.count
                    if buf.endsWithNewline && last > 1 { last -= 1 }
                    last = max(last, nl.start.line)
                    loc = SourceLocation(line: last, column: buf.lineText(last).unicodeScalars.count + 1)
                }
                throw buf.error("expected an indented block after \(what) on line \(line)", loc, kind: "IndentationError")
            }
            advance()
            while true {
                switch kind {
                case .dedent:
                    advance()
                    return body
                case .endMarker:
                    return body
                case .error(let e):
                    throw e
                case .newline:
                    advance()
                default:
                    try parseStatement(into: &body)
                }
            }
        }
        if case .error(let e) = kind { throw e }
        // simple statements on the same line
        switch kind {
        case .keyword(let k) where ["if", "while", "for", "try", "with", "def", "class"].contains(k):
            throw invalidSyntax()
        case .endMarker:
            throw error("expected an indented block after \(what) on line \(line)", kind: "IndentationError")
        default:
            break
        }
        try parseSimpleStatements(into: &body)
        return body
    }

    /// The ':' of a compound statement. CPython says "expected ':'" when the line ends there
    /// (or always, after a `def` header) and "invalid syntax" otherwise.
    mutating func expectColon(forced: Bool = false) throws {
        if isOp(":") { advance(); return }
        if case .error(let e) = kind { throw e }
        if forced || isNewline { throw error("expected ':'") }
        throw invalidSyntax()
    }

    /// The test of an `if`/`elif`/`while`.
    mutating func parseTest() throws -> Expr {
        let test = try parseNamedExpression()
        if isOp("=") {
            throw buf.error("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", test.span.start)
        }
        return test
    }

    mutating func parseIf() throws -> Stmt {
        let start = tok.start
        let isElif = isKw("elif")
        advance()
        let test = try parseTest()
        try expectColon()
        let body = try parseBlock(isElif ? "'elif' statement" : "'if' statement", line: start.line)
        var orelse: [Stmt] = []
        if isKw("elif") {
            orelse = [try parseIf()]
        } else if isKw("else") {
            let l = tok.start.line
            advance()
            try expectColon()
            orelse = try parseBlock("'else' statement", line: l)
        }
        return Stmt(.ifStmt(test: test, body: body, orelse: orelse), span(from: start))
    }

    mutating func parseWhile() throws -> Stmt {
        let start = tok.start
        advance()
        let test = try parseTest()
        try expectColon()
        let body = try parseBlock("'while' statement", line: start.line)
        var orelse: [Stmt] = []
        if isKw("else") {
            let l = tok.start.line
            advance()
            try expectColon()
            orelse = try parseBlock("'else' statement", line: l)
        }
        return Stmt(.whileStmt(test: test, body: body, orelse: orelse), span(from: start))
    }

    mutating func parseFor() throws -> Stmt {
        let start = tok.start
        advance()
        let target = try parseTargetList()
        try checkTarget(target, context: .forLoop)
        if !isKw("in") { throw invalidSyntax() }
        advance()
        let iter = try parseStarExpressions()
        try rejectStarred(iter)
        try expectColon()
        let body = try parseBlock("'for' statement", line: start.line)
        var orelse: [Stmt] = []
        if isKw("else") {
            let l = tok.start.line
            advance()
            try expectColon()
            orelse = try parseBlock("'else' statement", line: l)
        }
        return Stmt(.forStmt(target: target, iter: iter, body: body, orelse: orelse), span(from: start))
    }

    mutating func parseTry() throws -> Stmt {
        let start = tok.start
        advance()
        try expectColon()
        let body = try parseBlock("'try' statement", line: start.line)
        var handlers: [ExceptHandler] = []
        var orelse: [Stmt] = []
        var finalbody: [Stmt] = []
        while isKw("except") {
            let hstart = tok.start
            advance()
            if isOp("*") { throw error("'except*' is not supported in stlang") }
            var type: Expr? = nil
            var name: String? = nil
            if !isOp(":") {
                let t = try parseExpression()
                if isOp(",") {
                    throw error("multiple exception types must be parenthesized", at: t.span.start)
                }
                type = t
                if eatKw("as") {
                    name = try expectName()
                }
            }
            try expectColon()
            let hbody = try parseBlock("'except' statement", line: hstart.line)
            if type == nil && isKw("except") {
                throw error("default 'except:' must be last", at: hstart)
            }
            handlers.append(ExceptHandler(type: type, name: name, body: hbody, span: span(from: hstart)))
        }
        if isKw("else") {
            if handlers.isEmpty { throw invalidSyntax() }
            let l = tok.start.line
            advance()
            try expectColon()
            orelse = try parseBlock("'else' statement", line: l)
        }
        if isKw("finally") {
            let l = tok.start.line
            advance()
            try expectColon()
            finalbody = try parseBlock("'finally' statement", line: l)
        }
        if handlers.isEmpty && finalbody.isEmpty {
            if case .error(let e) = kind { throw e }
            var loc = tok.start
            var atDedent = isEnd
            if case .dedent = kind { atDedent = true }
            if atDedent {
                var i = p - 1
                while i > 0, case .dedent = toks[i].kind { i -= 1 }
                if i >= 0, case .newline = toks[i].kind { loc = toks[i].start }
            }
            throw buf.error("expected 'except' or 'finally' block", loc)
        }
        return Stmt(.tryStmt(body: body, handlers: handlers, orelse: orelse, finalbody: finalbody), span(from: start))
    }

    mutating func parseWithItem() throws -> WithItem {
        let ctx = try parseExpression()
        var target: Expr? = nil
        if eatKw("as") {
            let t = try parseStarTarget()
            try checkTarget(t, context: .with)
            target = t
        }
        return WithItem(context: ctx, target: target)
    }

    mutating func parseWith() throws -> Stmt {
        let start = tok.start
        advance()
        var items: [WithItem] = []
        var parsed = false
        if isOp("(") {
            // try the parenthesized form: `with (a as b, c as d):`
            let saveP = p, saveEnd = lastEnd, saveDepth = depth
            do {
                advance()
                var its: [WithItem] = []
                while true {
                    its.append(try parseWithItem())
                    if eatOp(",") {
                        if isOp(")") { break }
                        continue
                    }
                    break
                }
                try expectOp(")")
                if isOp(":") {
                    items = its
                    parsed = true
                } else {
                    p = saveP; lastEnd = saveEnd; depth = saveDepth
                }
            } catch {
                p = saveP; lastEnd = saveEnd; depth = saveDepth
            }
        }
        if !parsed {
            while true {
                items.append(try parseWithItem())
                if eatOp(",") { continue }
                break
            }
        }
        try expectColon()
        let body = try parseBlock("'with' statement", line: start.line)
        return Stmt(.with(items: items, body: body), span(from: start))
    }

    mutating func parseDecorated() throws -> Stmt {
        let start = tok.start
        var decorators: [Expr] = []
        while isOp("@") {
            advance()
            decorators.append(try parseNamedExpression())
            if !isNewline { throw invalidSyntax() }
            advance()
        }
        if isKw("def") { return try parseDef(decorators: decorators, start: start) }
        if isKw("class") { return try parseClass(decorators: decorators, start: start) }
        if isKw("async") { throw error("'async' is not supported in stlang") }
        throw invalidSyntax()
    }

    mutating func parseDef(decorators: [Expr], start: SourceLocation) throws -> Stmt {
        let defLine = tok.start.line
        advance()
        let name = try expectName()
        if !isOp("(") {
            if case .error(let e) = kind, p == toks.count - 1 { throw e }
            throw buf.error("expected '('", tok.start)
        }
        advance()
        let params = try parseParameters(closing: ")", allowAnnotations: true)
        try expectOp(")")
        var returns: Expr? = nil
        if eatOp("->") {
            returns = try parseExpression()
        }
        try expectColon(forced: true)
        functionDepth += 1
        let body: [Stmt]
        do {
            defer { functionDepth -= 1 }
            body = try parseBlock("function definition", line: defLine)
        }
        let fd = FunctionDef(name: name, params: params, body: body, decorators: decorators, returns: returns, span: span(from: start))
        return Stmt(.functionDef(fd), fd.span)
    }

    mutating func parseClass(decorators: [Expr], start: SourceLocation) throws -> Stmt {
        let classLine = tok.start.line
        advance()
        let name = try expectName()
        var bases: [Expr] = []
        var keywords: [Argument] = []
        if isOp("(") {
            let args = try parseCallArguments()
            for a in args {
                switch a {
                case .positional(let e): bases.append(e)
                case .star(let e): bases.append(Expr(.starred(e), e.span))
                case .keyword, .doubleStar: keywords.append(a)
                }
            }
        }
        try expectColon()
        let body = try parseBlock("class definition", line: classLine)
        let cd = ClassDef(name: name, bases: bases, keywords: keywords, body: body, decorators: decorators, span: span(from: start))
        return Stmt(.classDef(cd), cd.span)
    }

    /// Parameters of a `def` (closing ")") or a `lambda` (closing ":").
    mutating func parseParameters(closing: String, allowAnnotations: Bool) throws -> Parameters {
        var params = Parameters()
        var seenDefault = false
        var seenSlash = false
        var seenStar = false
        var bareStarLoc: SourceLocation? = nil
        var names = Set<String>()

        func checkDuplicate(_ prm: Param) throws {
            if names.contains(prm.name) {
                throw buf.error("duplicate argument '\(prm.name)' in function definition", prm.span.start)
            }
            names.insert(prm.name)
        }

        while !isOp(closing) {
            if case .error(let e) = kind { throw e }
            if isOp("/") {
                if seenSlash { throw error("/ may appear only once") }
                if seenStar { throw error("/ must be ahead of *") }
                if params.positional.isEmpty { throw error("at least one argument must precede /") }
                advance()
                seenSlash = true
                params.positionalOnly = params.positional
                params.positional = []
            } else if isOp("*") {
                let starLoc = tok.start
                if seenStar { throw error("* argument may appear only once") }
                advance()
                seenStar = true
                if isOp(",") || isOp(closing) {
                    bareStarLoc = starLoc
                } else {
                    let prm = try parseParam(allowAnnotations: allowAnnotations, allowDefault: false, starred: true)
                    try checkDuplicate(prm)
                    params.varargs = prm
                }
            } else if isOp("**") {
                advance()
                let prm = try parseParam(allowAnnotations: allowAnnotations, allowDefault: false, starred: true)
                try checkDuplicate(prm)
                params.kwargs = prm
                if let b = bareStarLoc, params.keywordOnly.isEmpty {
                    throw buf.error("named arguments must follow bare *", b)
                }
                _ = eatOp(",")
                if !isOp(closing) {
                    if case .error(let e) = kind { throw e }
                    throw error("arguments cannot follow var-keyword argument")
                }
                break
            } else {
                let prm = try parseParam(allowAnnotations: allowAnnotations, allowDefault: true, starred: false)
                try checkDuplicate(prm)
                if seenStar {
                    params.keywordOnly.append(prm)
                } else {
                    if prm.defaultValue != nil {
                        seenDefault = true
                    } else if seenDefault {
                        throw buf.error("non-default argument follows default argument", prm.span.start)
                    }
                    params.positional.append(prm)
                }
            }
            if eatOp(",") { continue }
            if !isOp(closing) { throw invalidSyntax() }
        }
        if let b = bareStarLoc, params.keywordOnly.isEmpty {
            throw buf.error("named arguments must follow bare *", b)
        }
        return params
    }

    mutating func parseParam(allowAnnotations: Bool, allowDefault: Bool, starred: Bool) throws -> Param {
        let start = tok.start
        let name = try expectName()
        var annotation: Expr? = nil
        if allowAnnotations && eatOp(":") {
            if starred && isOp("*") {
                throw error("'*' annotations are not supported in stlang")
            }
            annotation = try parseExpression()
        }
        var def: Expr? = nil
        if isOp("=") {
            if !allowDefault {
                throw error(starred ? "var-positional argument cannot have default value" : "invalid syntax")
            }
            let eqLoc = tok.start
            advance()
            if isOp(",") || isOp(")") || isOp(":") {
                throw buf.error("expected default value expression", eqLoc)
            }
            def = try parseExpression()
        }
        return Param(name: name, defaultValue: def, annotation: annotation, span: span(from: start))
    }

    // MARK: simple statements

    mutating func parseSimpleStatement() throws -> Stmt {
        let start = tok.start
        switch kind {
        case .keyword(let k):
            switch k {
            case "pass": advance(); return Stmt(.pass, span(from: start))
            case "break": advance(); return Stmt(.breakStmt, span(from: start))
            case "continue": advance(); return Stmt(.continueStmt, span(from: start))
            case "return":
                advance()
                var value: Expr? = nil
                if startsExpression() {
                    let v = try parseStarExpressions()
                    try rejectStarred(v)
                    value = v
                }
                return Stmt(.returnStmt(value), span(from: start))
            case "raise":
                advance()
                var exc: Expr? = nil
                var cause: Expr? = nil
                if startsExpression() {
                    exc = try parseExpression()
                    if eatKw("from") {
                        cause = try parseExpression()
                    }
                }
                return Stmt(.raise(exc: exc, cause: cause), span(from: start))
            case "global", "nonlocal":
                advance()
                var names: [String] = [try expectName()]
                while eatOp(",") { names.append(try expectName()) }
                return Stmt(k == "global" ? .global(names) : .nonlocal(names), span(from: start))
            case "del":
                advance()
                var targets: [Expr] = []
                while true {
                    let t = try parseBitOrOrStar()
                    try checkDelTarget(t)
                    targets.append(t)
                    if eatOp(",") {
                        if !startsExpression() { break }
                        continue
                    }
                    break
                }
                return Stmt(.delete(targets), span(from: start))
            case "assert":
                advance()
                let test = try parseExpression()
                var msg: Expr? = nil
                if eatOp(",") { msg = try parseExpression() }
                return Stmt(.assert(test: test, msg: msg), span(from: start))
            case "import":
                return try parseImport()
            case "from":
                return try parseFromImport()
            case "yield":
                let value = try parseYield()
                if isOp("=") { throw buf.error("assignment to yield expression not possible", start) }
                return Stmt(.expr(value), span(from: start))
            case "async", "await":
                throw error("'\(k)' is not supported in stlang")
            default:
                break
            }
        default:
            break
        }
        return try parseExpressionStatement()
    }

    mutating func parseDottedName() throws -> String {
        var name = try expectName()
        while isOp(".") {
            advance()
            name += "." + (try expectName())
        }
        return name
    }

    mutating func parseImport() throws -> Stmt {
        let start = tok.start
        advance()
        var names: [ImportAlias] = []
        while true {
            let s = tok.start
            let name = try parseDottedName()
            var asName: String? = nil
            if eatKw("as") { asName = try expectName() }
            names.append(ImportAlias(name: name, asName: asName, span: span(from: s)))
            if eatOp(",") { continue }
            break
        }
        return Stmt(.importStmt(names), span(from: start))
    }

    mutating func parseFromImport() throws -> Stmt {
        let start = tok.start
        advance()
        var level = 0
        while true {
            if isOp(".") { level += 1; advance() } else if isOp("...") { level += 3; advance() } else { break }
        }
        var module = ""
        if !isKw("import") || level == 0 {
            module = try parseDottedName()
        }
        if !isKw("import") { throw invalidSyntax() }
        advance()
        var names: [ImportAlias] = []
        if isOp("*") {
            let s = tok.start
            advance()
            names.append(ImportAlias(name: "*", asName: nil, span: span(from: s)))
            return Stmt(.importFrom(module: module, names: names, level: level), span(from: start))
        }
        let paren = eatOp("(")
        while true {
            let s = tok.start
            let name = try expectName()
            var asName: String? = nil
            if eatKw("as") { asName = try expectName() }
            names.append(ImportAlias(name: name, asName: asName, span: span(from: s)))
            if isOp(",") {
                advance()
                if paren && isOp(")") { break }
                if !paren && (isNewline || isEnd || isOp(";")) {
                    throw error("trailing comma not allowed without surrounding parentheses", at: lastEnd)
                }
                continue
            }
            break
        }
        if paren { try expectOp(")") }
        return Stmt(.importFrom(module: module, names: names, level: level), span(from: start))
    }

    static let augOps: [String: BinaryOp] = [
        "+=": .add, "-=": .sub, "*=": .mul, "/=": .div, "//=": .floorDiv, "%=": .mod, "**=": .pow,
        "<<=": .lshift, ">>=": .rshift, "&=": .bitAnd, "|=": .bitOr, "^=": .bitXor, "@=": .matMul,
    ]

    mutating func parseExpressionStatement() throws -> Stmt {
        let start = tok.start
        let first = try parseStarExpressions()
        if isOp("=") {
            var exprs: [Expr] = [first]
            while eatOp("=") {
                if case .keyword("yield") = kind {
                    exprs.append(try parseYield())
                    continue
                }
                if !startsExpression() {
                    // CPython checks the targets before complaining about the missing value
                    for (i, t) in exprs.enumerated() {
                        try checkTarget(t, context: i == 0 ? .firstAssign : .assign)
                    }
                    throw genericError()
                }
                exprs.append(try parseStarExpressions())
            }
            let value = exprs.removeLast()
            try rejectStarred(value)
            for (i, t) in exprs.enumerated() {
                try checkTarget(t, context: i == 0 ? .firstAssign : .assign)
            }
            return Stmt(.assign(targets: exprs, value: value), span(from: start))
        }
        if case .op(let o) = kind, let op = Parser.augOps[o] {
            switch first.kind {
            case .name, .attribute, .subscript:
                try checkTarget(first, context: .assign)
            default:
                throw buf.error("'\(exprName(first))' is an illegal expression for augmented assignment", first.span.start)
            }
            advance()
            if case .keyword("yield") = kind {
                return Stmt(.augAssign(target: first, op: op, value: try parseYield()), span(from: start))
            }
            let value = try parseStarExpressions()
            try rejectStarred(value)
            return Stmt(.augAssign(target: first, op: op, value: value), span(from: start))
        }
        if isOp(":") {
            if !startsExpressionAt(p + 1) {
                switch first.kind {
                case .name, .attribute, .subscript: advance()
                default: break
                }
                throw genericError()
            }
            switch first.kind {
            case .name, .attribute, .subscript:
                try checkTarget(first, context: .assign)
            case .tuple:
                throw buf.error("only single target (not tuple) can be annotated", first.span.start)
            case .list:
                throw buf.error("only single target (not list) can be annotated", first.span.start)
            default:
                throw buf.error("illegal target for annotation", first.span.start)
            }
            advance()
            let ann = try parseExpression()
            var value: Expr? = nil
            if eatOp("=") {
                let v = try parseStarExpressions()
                try rejectStarred(v)
                value = v
            }
            return Stmt(.annAssign(target: first, annotation: ann, value: value), span(from: start))
        }
        // legacy print / exec
        if case .name(let n) = first.kind, n == "print" || n == "exec", startsExpression() {
            throw buf.error("Missing parentheses in call to '\(n)'. Did you mean \(n)(...)?", first.span.start)
        }
        try rejectStarred(first)
        return Stmt(.expr(first), span(from: start))
    }

    func rejectStarred(_ e: Expr) throws {
        if case .starred = e.kind {
            throw buf.error("can't use starred expression here", e.span.start)
        }
    }
}

extension Parser {
    /// CPython's message outside a function; inside one, generators are what stlang lacks.
    /// `yield`, `yield v`, `yield a, *b`, `yield from it` (the `yield` keyword is the current
    /// token). Where it may appear (a statement, an assignment's value, parentheses) is the
    /// caller's business; outside a function it is an error.
    mutating func parseYield() throws -> Expr {
        let start = tok.start
        if functionDepth == 0 { throw error("'yield' outside function") }
        advance()
        if case .keyword("from") = kind {
            advance()
            let it = try parseExpression()
            return Expr(.yieldFrom(it), span(from: start))
        }
        if !startsExpression() || isOp("=") { return Expr(.yield(nil), span(from: start)) }
        return Expr(.yield(try parseStarExpressions()), span(from: start))
    }

    var yieldMessage: String {
        functionDepth == 0 ? "'yield' outside function" : "invalid syntax"
    }
}
