// A stable, indented dump of the AST (for golden tests and debugging).
//
// One node a line, two spaces of indentation a level. Fields that hold a node are written as
// `label: Node ...`; lists of statements as `label:` followed by the statements one level deeper.

public func dumpAST(_ module: Module) -> String {
    dumpAST(module, withSpans: false)
}

/// With `withSpans`, every statement and expression line ends with ` @L:C-L:C`.
public func dumpAST(_ module: Module, withSpans: Bool) -> String {
    var p = ASTPrinter(withSpans: withSpans)
    p.run(.text(0, "Module"))
    for s in module.body { p.run(.stmt(s, 1)) }
    return p.out
}

/// Dumps one expression (no trailing newline handling: the text ends with "\n").
public func dumpExpr(_ e: Expr, withSpans: Bool = false) -> String {
    var p = ASTPrinter(withSpans: withSpans)
    p.run(.expr(e, 0, nil))
    return p.out
}

/// Python-style repr of a string (single quotes unless the text contains one and no double).
public func pythonRepr(_ s: String) -> String {
    let useDouble = s.contains("'") && !s.contains("\"")
    let q: Character = useDouble ? "\"" : "'"
    var out = String(q)
    for c in s.unicodeScalars {
        switch c {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if Character(c) == q {
                out += "\\" + String(q)
            } else if c.value < 0x20 || c.value == 0x7F {
                let h = String(c.value, radix: 16)
                out += "\\x" + (h.count < 2 ? "0" + h : h)
            } else if !isPrintable(c) {
                if c.value <= 0xFF {
                    let h = String(c.value, radix: 16)
                    out += "\\x" + (h.count < 2 ? "0" + h : h)
                } else if c.value <= 0xFFFF {
                    out += "\\u" + hex4(c.value).lowercased()
                } else {
                    var h = String(c.value, radix: 16)
                    while h.count < 8 { h = "0" + h }
                    out += "\\U" + h
                }
            } else {
                out.unicodeScalars.append(c)
            }
        }
    }
    out.append(q)
    return out
}

func bytesRepr(_ b: [UInt8]) -> String {
    let hasSingle = b.contains(39)
    let hasDouble = b.contains(34)
    let q: UInt8 = (hasSingle && !hasDouble) ? 34 : 39
    var out = "b" + String(UnicodeScalar(q))
    for x in b {
        switch x {
        case 92: out += "\\\\"
        case 10: out += "\\n"
        case 13: out += "\\r"
        case 9: out += "\\t"
        default:
            if x == q {
                out += "\\" + String(UnicodeScalar(q))
            } else if x < 0x20 || x >= 0x7F {
                let h = String(x, radix: 16)
                out += "\\x" + (h.count < 2 ? "0" + h : h)
            } else {
                out.unicodeScalars.append(UnicodeScalar(x))
            }
        }
    }
    out += String(UnicodeScalar(q))
    return out
}

struct ASTPrinter {
    var out = ""
    let withSpans: Bool

    init(withSpans: Bool) {
        self.withSpans = withSpans
    }

    /// The printer does not recurse (an AST may be deep): each node's lines and children are
    /// queued as items and processed from an explicit stack.
    enum Item {
        case text(Int, String)
        case stmt(Stmt, Int)
        case expr(Expr, Int, String?)
        case block(String, [Stmt], Int)
        case params(Parameters, Int)
        case arg(Argument, Int)
        case comps([Comprehension], Int)
        case fparts([FStringPart], Int)
    }
    var stack: [Item] = []
    var pending: [Item] = []

    mutating func run(_ first: Item) {
        stack.append(first)
        while let item = stack.popLast() {
            switch item {
            case .text(let i, let s):
                for _ in 0..<i { out += "  " }
                out += s
                out += "\n"
            case .stmt(let s, let i): doStmt(s, i)
            case .expr(let e, let i, let label): doExpr(e, i, label: label)
            case .block(let label, let body, let i): doBlock(label, body, i)
            case .params(let ps, let i): doParams(ps, i)
            case .arg(let a, let i): doArgument(a, i)
            case .comps(let c, let i): doComprehensions(c, i)
            case .fparts(let parts, let i): doFparts(parts, i)
            }
            while let x = pending.popLast() { stack.append(x) }
        }
    }

    mutating func line(_ indent: Int, _ text: String) { pending.append(.text(indent, text)) }
    mutating func stmt(_ s: Stmt, _ i: Int) { pending.append(.stmt(s, i)) }
    mutating func expr(_ e: Expr, _ i: Int, label: String?) { pending.append(.expr(e, i, label)) }
    mutating func block(_ label: String, _ body: [Stmt], _ i: Int) { pending.append(.block(label, body, i)) }
    mutating func params(_ ps: Parameters, _ i: Int) { pending.append(.params(ps, i)) }
    mutating func argument(_ a: Argument, _ i: Int) { pending.append(.arg(a, i)) }
    mutating func comprehensions(_ c: [Comprehension], _ i: Int) { pending.append(.comps(c, i)) }
    mutating func fparts(_ parts: [FStringPart], _ i: Int) { pending.append(.fparts(parts, i)) }

    func sp(_ s: SourceSpan) -> String {
        withSpans ? " @\(s.start.line):\(s.start.column)-\(s.end.line):\(s.end.column)" : ""
    }

    mutating func doBlock(_ label: String, _ body: [Stmt], _ indent: Int) {
        if body.isEmpty { return }
        line(indent, label + ":")
        for s in body { stmt(s, indent + 1) }
    }

    mutating func doParams(_ ps: Parameters, _ indent: Int) {
        func one(_ prefix: String, _ p: Param, _ indent: Int, _ me: inout ASTPrinter) {
            me.line(indent, "\(prefix)\(p.name)\(me.sp(p.span))")
            if let a = p.annotation { me.expr(a, indent + 1, label: "annotation") }
            if let d = p.defaultValue { me.expr(d, indent + 1, label: "default") }
        }
        for p in ps.positionalOnly { one("posonly ", p, indent, &self) }
        for p in ps.positional { one("arg ", p, indent, &self) }
        if let v = ps.varargs { one("vararg *", v, indent, &self) }
        for p in ps.keywordOnly { one("kwonly ", p, indent, &self) }
        if let k = ps.kwargs { one("kwarg **", k, indent, &self) }
    }

    mutating func doStmt(_ s: Stmt, _ i: Int) {
        let span = sp(s.span)
        switch s.kind {
        case .expr(let e):
            line(i, "Expr" + span)
            expr(e, i + 1, label: nil)
        case .assign(let targets, let value):
            line(i, "Assign" + span)
            for t in targets { expr(t, i + 1, label: "target") }
            expr(value, i + 1, label: "value")
        case .augAssign(let target, let op, let value):
            line(i, "AugAssign \(op.rawValue)=" + span)
            expr(target, i + 1, label: "target")
            expr(value, i + 1, label: "value")
        case .annAssign(let target, let annotation, let value):
            line(i, "AnnAssign" + span)
            expr(target, i + 1, label: "target")
            expr(annotation, i + 1, label: "annotation")
            if let v = value { expr(v, i + 1, label: "value") }
        case .ifStmt(let test, let body, let orelse):
            line(i, "If" + span)
            expr(test, i + 1, label: "test")
            block("body", body, i + 1)
            block("orelse", orelse, i + 1)
        case .whileStmt(let test, let body, let orelse):
            line(i, "While" + span)
            expr(test, i + 1, label: "test")
            block("body", body, i + 1)
            block("orelse", orelse, i + 1)
        case .forStmt(let target, let iter, let body, let orelse):
            line(i, "For" + span)
            expr(target, i + 1, label: "target")
            expr(iter, i + 1, label: "iter")
            block("body", body, i + 1)
            block("orelse", orelse, i + 1)
        case .breakStmt:
            line(i, "Break" + span)
        case .continueStmt:
            line(i, "Continue" + span)
        case .pass:
            line(i, "Pass" + span)
        case .returnStmt(let v):
            line(i, "Return" + span)
            if let v = v { expr(v, i + 1, label: nil) }
        case .functionDef(let f):
            line(i, "FunctionDef \(f.name)" + span)
            for d in f.decorators { expr(d, i + 1, label: "decorator") }
            params(f.params, i + 1)
            if let r = f.returns { expr(r, i + 1, label: "returns") }
            block("body", f.body, i + 1)
        case .classDef(let c):
            line(i, "ClassDef \(c.name)" + span)
            for d in c.decorators { expr(d, i + 1, label: "decorator") }
            for b in c.bases { expr(b, i + 1, label: "base") }
            for k in c.keywords { argument(k, i + 1) }
            block("body", c.body, i + 1)
        case .tryStmt(let body, let handlers, let orelse, let finalbody):
            line(i, "Try" + span)
            block("body", body, i + 1)
            for h in handlers {
                var head = "except"
                if let n = h.name { head += " as \(n)" }
                line(i + 1, head + sp(h.span))
                if let t = h.type { expr(t, i + 2, label: "type") }
                block("body", h.body, i + 2)
            }
            block("orelse", orelse, i + 1)
            block("finally", finalbody, i + 1)
        case .raise(let exc, let cause):
            line(i, "Raise" + span)
            if let e = exc { expr(e, i + 1, label: "exc") }
            if let c = cause { expr(c, i + 1, label: "cause") }
        case .with(let items, let body):
            line(i, "With" + span)
            for it in items {
                expr(it.context, i + 1, label: "item")
                if let t = it.target { expr(t, i + 2, label: "as") }
            }
            block("body", body, i + 1)
        case .assert(let test, let msg):
            line(i, "Assert" + span)
            expr(test, i + 1, label: "test")
            if let m = msg { expr(m, i + 1, label: "msg") }
        case .delete(let targets):
            line(i, "Delete" + span)
            for t in targets { expr(t, i + 1, label: nil) }
        case .global(let names):
            line(i, "Global " + names.joined(separator: ", ") + span)
        case .nonlocal(let names):
            line(i, "Nonlocal " + names.joined(separator: ", ") + span)
        case .importStmt(let names):
            line(i, "Import" + span)
            for n in names { line(i + 1, alias(n)) }
        case .importFrom(let module, let names, let level):
            line(i, "ImportFrom \(String(repeating: ".", count: level))\(module)" + span)
            for n in names { line(i + 1, alias(n)) }
        }
    }

    func alias(_ a: ImportAlias) -> String {
        a.name + (a.asName.map { " as \($0)" } ?? "") + sp(a.span)
    }

    mutating func doArgument(_ a: Argument, _ i: Int) {
        switch a {
        case .positional(let e): expr(e, i, label: "arg")
        case .keyword(let name, let value, let span): expr(value, i, label: "keyword \(name)" + sp(span))
        case .star(let e): expr(e, i, label: "*arg")
        case .doubleStar(let e): expr(e, i, label: "**kwarg")
        }
    }

    mutating func doComprehensions(_ comps: [Comprehension], _ i: Int) {
        for c in comps {
            line(i, "for")
            expr(c.target, i + 1, label: "target")
            expr(c.iter, i + 1, label: "iter")
            for cond in c.ifs { expr(cond, i + 1, label: "if") }
        }
    }

    mutating func doFparts(_ parts: [FStringPart], _ i: Int) {
        for part in parts {
            switch part {
            case .literal(let s):
                line(i, "Literal \(pythonRepr(s))")
            case .field(let e, let conversion, let spec, let debugText):
                var head = "Field"
                if let c = conversion { head += " !\(c)" }
                if let d = debugText { head += " debug=\(pythonRepr(d))" }
                line(i, head)
                expr(e, i + 1, label: nil)
                if let spec = spec {
                    line(i + 1, "spec:")
                    fparts(spec, i + 2)
                }
            }
        }
    }

    mutating func doExpr(_ e: Expr, _ i: Int, label: String?) {
        let pre = label.map { $0 + ": " } ?? ""
        let span = sp(e.span)
        switch e.kind {
        case .name(let n):
            line(i, pre + "Name \(n)" + span)
        case .int(let v):
            switch v {
            case .small(let x): line(i, pre + "Int \(x)" + span)
            case .big(let d): line(i, pre + "Int \(d) (big)" + span)
            }
        case .float(let d):
            line(i, pre + "Float \(d)" + span)
        case .string(let s):
            line(i, pre + "Str \(pythonRepr(s))" + span)
        case .fstring(let parts):
            line(i, pre + "FString" + span)
            fparts(parts, i + 1)
        case .bytes(let b):
            line(i, pre + "Bytes \(bytesRepr(b))" + span)
        case .bool(let b):
            line(i, pre + (b ? "True" : "False") + span)
        case .none:
            line(i, pre + "None" + span)
        case .ellipsis:
            line(i, pre + "Ellipsis" + span)
        case .list(let elts):
            line(i, pre + "List" + span)
            for x in elts { expr(x, i + 1, label: nil) }
        case .tuple(let elts):
            line(i, pre + "Tuple" + span)
            for x in elts { expr(x, i + 1, label: nil) }
        case .set(let elts):
            line(i, pre + "Set" + span)
            for x in elts { expr(x, i + 1, label: nil) }
        case .dict(let items):
            line(i, pre + "Dict" + span)
            for it in items {
                if let k = it.key {
                    expr(k, i + 1, label: "key")
                    expr(it.value, i + 2, label: "value")
                } else {
                    expr(it.value, i + 1, label: "**")
                }
            }
        case .starred(let x):
            line(i, pre + "Starred" + span)
            expr(x, i + 1, label: nil)
        case .attribute(let x, let name):
            line(i, pre + "Attribute .\(name)" + span)
            expr(x, i + 1, label: nil)
        case .subscript(let x, let index):
            line(i, pre + "Subscript" + span)
            expr(x, i + 1, label: nil)
            expr(index, i + 1, label: "index")
        case .slice(let lower, let upper, let step):
            line(i, pre + "Slice" + span)
            if let l = lower { expr(l, i + 1, label: "lower") }
            if let u = upper { expr(u, i + 1, label: "upper") }
            if let s = step { expr(s, i + 1, label: "step") }
        case .call(let f, let args):
            line(i, pre + "Call" + span)
            expr(f, i + 1, label: nil)
            for a in args { argument(a, i + 1) }
        case .unary(let op, let x):
            line(i, pre + "UnaryOp \(op.rawValue)" + span)
            expr(x, i + 1, label: nil)
        case .binary(let op, let l, let r):
            line(i, pre + "BinOp \(op.rawValue)" + span)
            expr(l, i + 1, label: nil)
            expr(r, i + 1, label: nil)
        case .boolOp(let op, let l, let r):
            line(i, pre + "BoolOp \(op.rawValue)" + span)
            expr(l, i + 1, label: nil)
            expr(r, i + 1, label: nil)
        case .compare(let left, let ops):
            line(i, pre + "Compare" + span)
            expr(left, i + 1, label: nil)
            for (op, r) in ops { expr(r, i + 1, label: op.rawValue) }
        case .ifExp(let test, let body, let orelse):
            line(i, pre + "IfExp" + span)
            expr(test, i + 1, label: "test")
            expr(body, i + 1, label: "body")
            expr(orelse, i + 1, label: "orelse")
        case .lambda(let l):
            line(i, pre + "Lambda" + span)
            params(l.params, i + 1)
            expr(l.body, i + 1, label: "body")
        case .listComp(let elt, let comps):
            line(i, pre + "ListComp" + span)
            expr(elt, i + 1, label: "elt")
            comprehensions(comps, i + 1)
        case .setComp(let elt, let comps):
            line(i, pre + "SetComp" + span)
            expr(elt, i + 1, label: "elt")
            comprehensions(comps, i + 1)
        case .dictComp(let key, let value, let comps):
            line(i, pre + "DictComp" + span)
            expr(key, i + 1, label: "key")
            expr(value, i + 1, label: "value")
            comprehensions(comps, i + 1)
        case .generator(let elt, let comps):
            line(i, pre + "GeneratorExp" + span)
            expr(elt, i + 1, label: "elt")
            comprehensions(comps, i + 1)
        case .namedExpr(let target, let value):
            line(i, pre + "NamedExpr" + span)
            expr(target, i + 1, label: "target")
            expr(value, i + 1, label: "value")
        case .yield(let value):
            line(i, pre + "Yield" + span)
            if let value { expr(value, i + 1, label: "value") }
        case .yieldFrom(let value):
            line(i, pre + "YieldFrom" + span)
            expr(value, i + 1, label: "value")
        }
    }
}
