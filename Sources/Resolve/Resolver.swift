import Syntax

/// Resolves every name of a module to a binding before anything runs (starlark-go's `resolve`
/// is the model). First pass: collect, per scope, the names assigned, declared and used.
/// Second pass: give locals frame slots, and thread captured variables through cells.
public func resolve(_ module: Module) throws -> ResolvedModule {
    let resolver = Resolver(module: module)
    return try resolver.run()
}

final class Resolver {
    let module: Module
    let result: ResolvedModule
    /// Names in first-assignment order per scope, so slot numbers are stable.
    var assignedOrder: [ObjectIdentifier: [String]] = [:]
    /// Where each `nonlocal` name was declared, for the error when it binds nothing.
    var nonlocalSpans: [ObjectIdentifier: [String: SourceSpan]] = [:]

    init(module: Module) {
        self.module = module
        let top = Scope(kind: .module, name: "<module>", parent: nil)
        result = ResolvedModule(module: module, moduleScope: top)
    }

    func run() throws -> ResolvedModule {
        var ctx = Context(scope: result.moduleScope, loopDepth: 0, inFunction: false)
        for stmt in module.body { try visit(stmt, &ctx) }
        try allocate(result.moduleScope)
        try resolveUses(result.moduleScope)
        finalize(result.moduleScope)
        return result
    }

    struct Context {
        var scope: Scope
        var loopDepth: Int
        var inFunction: Bool
    }

    func error(_ message: String, _ span: SourceSpan) -> SyntaxError {
        let lines = module.source.split(separator: "\n", omittingEmptySubsequences: false)
        let idx = span.start.line - 1
        let text = idx >= 0 && idx < lines.count ? String(lines[idx]) : ""
        return SyntaxError(message: message, filename: module.filename, location: span.start, lineText: text)
    }

    // MARK: - Pass 1: collect

    func assign(_ name: String, in scope: Scope) {
        if !scope.assigned.contains(name) {
            scope.assigned.insert(name)
            assignedOrder[ObjectIdentifier(scope), default: []].append(name)
        }
    }

    func visit(_ stmts: [Stmt], _ ctx: inout Context) throws {
        for s in stmts { try visit(s, &ctx) }
    }

    func visit(_ stmt: Stmt, _ ctx: inout Context) throws {
        let scope = ctx.scope
        switch stmt.kind {
        case .expr(let e):
            try visit(e, ctx)
        case .assign(let targets, let value):
            try visit(value, ctx)
            for t in targets { try visitTarget(t, ctx) }
        case .augAssign(let target, _, let value):
            try visit(value, ctx)
            if case .name(let n) = target.kind { scope.used.insert(n) }
            try visitTarget(target, ctx)
        case .annAssign(let target, let annotation, let value):
            if let value { try visit(value, ctx) }
            if scope.kind != .function { try visit(annotation, ctx) }
            if value != nil { try visitTarget(target, ctx) }
            else if case .name = target.kind {} else { try visitTarget(target, ctx) }
        case .ifStmt(let test, let body, let orelse):
            try visit(test, ctx)
            try visit(body, &ctx)
            try visit(orelse, &ctx)
        case .whileStmt(let test, let body, let orelse):
            try visit(test, ctx)
            ctx.loopDepth += 1
            try visit(body, &ctx)
            ctx.loopDepth -= 1
            try visit(orelse, &ctx)
        case .forStmt(let target, let iter, let body, let orelse):
            try visit(iter, ctx)
            try visitTarget(target, ctx)
            ctx.loopDepth += 1
            try visit(body, &ctx)
            ctx.loopDepth -= 1
            try visit(orelse, &ctx)
        case .breakStmt:
            if ctx.loopDepth == 0 { throw error("'break' outside loop", stmt.span) }
        case .continueStmt:
            if ctx.loopDepth == 0 { throw error("'continue' not properly in loop", stmt.span) }
        case .pass:
            break
        case .returnStmt(let value):
            if !ctx.inFunction { throw error("'return' outside function", stmt.span) }
            if let value { try visit(value, ctx) }
        case .functionDef(let def):
            for d in def.decorators { try visit(d, ctx) }
            try visitDefaults(def.params, ctx)
            if let r = def.returns { try visit(r, ctx) }
            assign(def.name, in: scope)
            let inner = Scope(kind: .function, name: def.name, parent: scope)
            result.scopes[ObjectIdentifier(def)] = inner
            try declareParams(def.params, in: inner)
            var innerCtx = Context(scope: inner, loopDepth: 0, inFunction: true)
            try visit(def.body, &innerCtx)
        case .classDef(let cls):
            for d in cls.decorators { try visit(d, ctx) }
            for b in cls.bases { try visit(b, ctx) }
            for k in cls.keywords { try visitArgument(k, ctx) }
            assign(cls.name, in: scope)
            let inner = Scope(kind: .classBody, name: cls.name, parent: scope)
            result.scopes[ObjectIdentifier(cls)] = inner
            var innerCtx = Context(scope: inner, loopDepth: 0, inFunction: false)
            try visit(cls.body, &innerCtx)
        case .tryStmt(let body, let handlers, let orelse, let finalbody):
            try visit(body, &ctx)
            for h in handlers {
                if let t = h.type { try visit(t, ctx) }
                if let n = h.name { assign(n, in: scope) }
                try visit(h.body, &ctx)
            }
            try visit(orelse, &ctx)
            try visit(finalbody, &ctx)
        case .raise(let exc, let cause):
            if let exc { try visit(exc, ctx) }
            if let cause { try visit(cause, ctx) }
        case .with(let items, let body):
            for item in items {
                try visit(item.context, ctx)
                if let t = item.target { try visitTarget(t, ctx) }
            }
            try visit(body, &ctx)
        case .assert(let test, let msg):
            try visit(test, ctx)
            if let msg { try visit(msg, ctx) }
        case .delete(let targets):
            for t in targets { try visitTarget(t, ctx) }
        case .global(let names):
            for n in names {
                if scope.assigned.contains(n) && !scope.params.contains(n) && !scope.declaredGlobal.contains(n) {
                    throw error("name '\(n)' is assigned to before global declaration", stmt.span)
                }
                if scope.used.contains(n) && !scope.declaredGlobal.contains(n) {
                    throw error("name '\(n)' is used prior to global declaration", stmt.span)
                }
                if scope.kind == .module { continue }
                if scope.params.contains(n) { throw error("name '\(n)' is parameter and global", stmt.span) }
                if scope.declaredNonlocal.contains(n) { throw error("name '\(n)' is nonlocal and global", stmt.span) }
                scope.declaredGlobal.insert(n)
            }
        case .nonlocal(let names):
            if scope.kind == .module { throw error("nonlocal declaration not allowed at module level", stmt.span) }
            for n in names {
                if scope.params.contains(n) { throw error("name '\(n)' is parameter and nonlocal", stmt.span) }
                if scope.assigned.contains(n) && !scope.declaredNonlocal.contains(n) {
                    throw error("name '\(n)' is assigned to before nonlocal declaration", stmt.span)
                }
                if scope.used.contains(n) && !scope.declaredNonlocal.contains(n) {
                    throw error("name '\(n)' is used prior to nonlocal declaration", stmt.span)
                }
                if scope.declaredGlobal.contains(n) { throw error("name '\(n)' is nonlocal and global", stmt.span) }
                scope.declaredNonlocal.insert(n)
                nonlocalSpans[ObjectIdentifier(scope), default: [:]][n] = stmt.span
            }
        case .importStmt(let aliases):
            for a in aliases {
                if let asName = a.asName { assign(asName, in: scope) }
                else { assign(String(a.name.split(separator: ".").first ?? Substring(a.name)), in: scope) }
            }
        case .importFrom(_, let names, _):
            for a in names {
                if a.name == "*" {
                    if scope.kind != .module { throw error("import * only allowed at module level", stmt.span) }
                    continue
                }
                assign(a.asName ?? a.name, in: scope)
            }
        }
    }

    func visitDefaults(_ params: Parameters, _ ctx: Context) throws {
        for p in params.positionalOnly + params.positional + params.keywordOnly {
            if let d = p.defaultValue { try visit(d, ctx) }
            if let a = p.annotation { try visit(a, ctx) }
        }
        if let a = params.varargs?.annotation { try visit(a, ctx) }
        if let a = params.kwargs?.annotation { try visit(a, ctx) }
    }

    func declareParams(_ params: Parameters, in scope: Scope) throws {
        var all = params.positionalOnly + params.positional
        if let v = params.varargs { all.append(v) }
        all += params.keywordOnly
        if let k = params.kwargs { all.append(k) }
        var seen = Set<String>()
        for p in all {
            if seen.contains(p.name) {
                throw error("duplicate argument '\(p.name)' in function definition", p.span)
            }
            seen.insert(p.name)
            scope.params.append(p.name)
            assign(p.name, in: scope)
        }
    }

    func visitTarget(_ target: Expr, _ ctx: Context) throws {
        switch target.kind {
        case .name(let n):
            assign(n, in: ctx.scope)
        case .tuple(let elts), .list(let elts):
            for e in elts { try visitTarget(e, ctx) }
        case .starred(let e):
            try visitTarget(e, ctx)
        case .attribute(let obj, _):
            try visit(obj, ctx)
        case .subscript(let obj, let index):
            try visit(obj, ctx)
            try visit(index, ctx)
        default:
            // The parser rejects other targets; visiting keeps names used inside them resolved.
            try visit(target, ctx)
        }
    }

    func visitArgument(_ arg: Argument, _ ctx: Context) throws {
        switch arg {
        case .positional(let e), .star(let e), .doubleStar(let e): try visit(e, ctx)
        case .keyword(_, let e, _): try visit(e, ctx)
        }
    }

    func visit(_ expr: Expr, _ ctx: Context) throws {
        let scope = ctx.scope
        switch expr.kind {
        case .name(let n):
            scope.used.insert(n)
        case .int, .float, .string, .bytes, .bool, .none, .ellipsis:
            break
        case .fstring(let parts):
            try visitFString(parts, ctx)
        case .list(let elts), .tuple(let elts), .set(let elts):
            for e in elts { try visit(e, ctx) }
        case .dict(let items):
            for item in items {
                if let k = item.key { try visit(k, ctx) }
                try visit(item.value, ctx)
            }
        case .starred(let e):
            try visit(e, ctx)
        case .attribute(let obj, _):
            try visit(obj, ctx)
        case .subscript(let obj, let index):
            try visit(obj, ctx)
            try visit(index, ctx)
        case .slice(let lower, let upper, let step):
            if let lower { try visit(lower, ctx) }
            if let upper { try visit(upper, ctx) }
            if let step { try visit(step, ctx) }
        case .call(let fn, let args):
            try visit(fn, ctx)
            for a in args { try visitArgument(a, ctx) }
        case .unary(_, let e):
            try visit(e, ctx)
        case .binary(_, let l, let r), .boolOp(_, let l, let r):
            try visit(l, ctx)
            try visit(r, ctx)
        case .compare(let first, let rest):
            try visit(first, ctx)
            for (_, e) in rest { try visit(e, ctx) }
        case .ifExp(let test, let body, let orelse):
            try visit(test, ctx)
            try visit(body, ctx)
            try visit(orelse, ctx)
        case .lambda(let lambda):
            try visitDefaults(lambda.params, ctx)
            let inner = Scope(kind: .function, name: "<lambda>", parent: scope)
            result.scopes[ObjectIdentifier(lambda)] = inner
            try declareParams(lambda.params, in: inner)
            let innerCtx = Context(scope: inner, loopDepth: 0, inFunction: true)
            try visit(lambda.body, innerCtx)
        case .listComp(let elt, let comps):
            try visitComprehension(expr, name: "<listcomp>", kind: .comprehension, comps, ctx) { c in try self.visit(elt, c) }
        case .setComp(let elt, let comps):
            try visitComprehension(expr, name: "<setcomp>", kind: .comprehension, comps, ctx) { c in try self.visit(elt, c) }
        case .dictComp(let key, let value, let comps):
            try visitComprehension(expr, name: "<dictcomp>", kind: .comprehension, comps, ctx) { c in
                try self.visit(key, c)
                try self.visit(value, c)
            }
        case .generator(let elt, let comps):
            try visitComprehension(expr, name: "<genexpr>", kind: .generator, comps, ctx) { c in try self.visit(elt, c) }
        case .yield(let value):
            try markGenerator(expr, ctx)
            if let value { try visit(value, ctx) }
        case .yieldFrom(let value):
            try markGenerator(expr, ctx)
            try visit(value, ctx)
        case .namedExpr(let target, let value):
            try visit(value, ctx)
            guard case .name(let n) = target.kind else { return }
            // PEP 572: the target binds in the nearest enclosing non-comprehension scope.
            var owner = scope
            while owner.kind == .comprehension || owner.kind == .generator, let p = owner.parent {
                owner.used.insert(n)
                owner = p
            }
            if owner.kind == .classBody {
                throw error("assignment expression within a comprehension cannot be used in a class body", expr.span)
            }
            assign(n, in: owner)
        }
    }

    func visitFString(_ parts: [FStringPart], _ ctx: Context) throws {
        for part in parts {
            if case .field(let e, _, let spec, _) = part {
                try visit(e, ctx)
                if let spec { try visitFString(spec, ctx) }
            }
        }
    }

    /// A `yield` makes its function a generator; anywhere else it is CPython's error.
    func markGenerator(_ expr: Expr, _ ctx: Context) throws {
        let scope = ctx.scope
        switch scope.kind {
        case .function:
            scope.isGenerator = true
        case .comprehension, .generator:
            let what = ["<listcomp>": "list comprehension", "<setcomp>": "set comprehension",
                        "<dictcomp>": "dict comprehension"][scope.name] ?? "generator expression"
            throw error("'yield' inside \(what)", expr.span)
        case .module, .classBody:
            throw error("'yield' outside function", expr.span)
        }
    }

    func visitComprehension(_ expr: Expr, name: String, kind: Scope.Kind, _ comps: [Comprehension],
                            _ ctx: Context, element: (Context) throws -> Void) throws {
        guard let first = comps.first else { return }
        // The first iterable is evaluated in the enclosing scope.
        try visit(first.iter, ctx)
        let inner = Scope(kind: kind, name: name, parent: ctx.scope)
        result.scopes[ObjectIdentifier(expr)] = inner
        let innerCtx = Context(scope: inner, loopDepth: 0, inFunction: ctx.inFunction)
        for (i, c) in comps.enumerated() {
            if i > 0 { try visit(c.iter, innerCtx) }
            try visitTarget(c.target, innerCtx)
            for cond in c.ifs { try visit(cond, innerCtx) }
        }
        try element(innerCtx)
    }

    // MARK: - Pass 2: slots and cells

    /// Does `scope` own `name` as a local variable (not global, not nonlocal)?
    func ownsLocal(_ scope: Scope, _ name: String) -> Bool {
        scope.assigned.contains(name) && !scope.declaredGlobal.contains(name) && !scope.declaredNonlocal.contains(name)
    }

    /// Gives every scope's locals their slots, top-down.
    func allocate(_ scope: Scope) throws {
        let order = assignedOrder[ObjectIdentifier(scope)] ?? []
        switch scope.kind {
        case .module, .classBody:
            // Module and class names live in the module's / class's namespace, not in slots.
            break
        case .function, .generator:
            for p in scope.params { scope.bindings[p] = .local(scope.addSlot(p)) }
            for n in order where ownsLocal(scope, n) && scope.bindings[n] == nil {
                scope.bindings[n] = .local(scope.addSlot(n))
            }
        case .comprehension:
            let host = scope.host
            for n in order where ownsLocal(scope, n) {
                let slot = host.addSlot(n)
                scope.bindings[n] = .local(slot)
                scope.addComprehensionSlot(slot, cell: false)
            }
        }
        for child in scope.children { try allocate(child) }
    }

    /// The slot, in `scope`'s frame, of a cell holding `name` as seen from inside `scope`, adding
    /// free variables to intermediate scopes as needed. nil means the name is global.
    func cellSlot(for name: String, in scope: Scope) -> Int? {
        switch scope.kind {
        case .module:
            if scope.bindings[name] != nil, case .local(let slot)? = scope.bindings[name] {
                // A comprehension variable at module level living in the module frame.
                scope.captured.insert(name)
                return slot
            }
            return nil
        case .comprehension:
            if ownsLocal(scope, name), case .local(let slot)? = scope.bindings[name] {
                scope.captured.insert(name)
                return slot
            }
            guard let parent = scope.parent else { return nil }
            return cellSlot(for: name, in: parent)
        case .classBody:
            if let existing = scope.freeVars.first(where: { $0.name == name }) { return existing.slot }
            guard let parent = scope.parent, let outer = cellSlot(for: name, in: parent) else { return nil }
            let slot = scope.host.addSlot(name)
            scope.addFree(name, slot: slot, outer: outer)
            return slot
        case .function, .generator:
            if scope.declaredGlobal.contains(name) { return nil }
            if ownsLocal(scope, name), case .local(let slot)? = scope.bindings[name] {
                scope.captured.insert(name)
                return slot
            }
            if let existing = scope.freeVars.first(where: { $0.name == name }) { return existing.slot }
            guard let parent = scope.parent, let outer = cellSlot(for: name, in: parent) else { return nil }
            let slot = scope.addSlot(name)
            scope.addFree(name, slot: slot, outer: outer)
            return slot
        }
    }

    /// Resolves the names each scope uses but does not own, bottom-up in source order.
    func resolveUses(_ scope: Scope) throws {
        for n in scope.declaredNonlocal.sorted() {
            guard let parent = scope.parent, parent.kind != .module,
                  let slot = cellSlot(for: n, in: parent) else {
                let span = nonlocalSpans[ObjectIdentifier(scope)]?[n] ?? SourceSpan(SourceLocation(line: 1, column: 1))
                throw error("no binding for nonlocal '\(n)' found", span)
            }
            _ = slot
            _ = cellSlot(for: n, in: scope)  // adds the free variable
        }
        for n in scope.used.sorted() {
            switch scope.kind {
            case .module:
                break
            case .function, .generator:
                if ownsLocal(scope, n) || scope.declaredGlobal.contains(n) { continue }
                _ = cellSlot(for: n, in: scope)
            case .classBody:
                if scope.declaredGlobal.contains(n) { continue }
                if let parent = scope.parent, let outer = cellSlot(for: n, in: parent),
                   !scope.freeVars.contains(where: { $0.name == n }) {
                    let slot = scope.addSlot(n)
                    scope.addFree(n, slot: slot, outer: outer)
                }
            case .comprehension:
                if ownsLocal(scope, n) { continue }
                if let parent = scope.parent { _ = lookupInHostChain(n, parent) }
            }
        }
        for child in scope.children { try resolveUses(child) }
    }

    /// A comprehension uses a name it does not own: it is whatever the name is in the scope it is
    /// inlined into; for a class, the class's own names are invisible (as in Python).
    func lookupInHostChain(_ name: String, _ scope: Scope) -> Bool {
        switch scope.kind {
        case .comprehension:
            if ownsLocal(scope, name) { return true }
            guard let p = scope.parent else { return false }
            return lookupInHostChain(name, p)
        case .classBody:
            if scope.freeVars.contains(where: { $0.name == name }) { return true }
            guard let parent = scope.parent, let outer = cellSlot(for: name, in: parent) else { return false }
            let slot = scope.addSlot(name)
            scope.addFree(name, slot: slot, outer: outer)
            return true
        case .function, .generator, .module:
            if scope.kind != .module, !ownsLocal(scope, name), !scope.declaredGlobal.contains(name) {
                _ = cellSlot(for: name, in: scope)
            }
            return true
        }
    }

    /// Turns captured locals into cells and writes every scope's final binding table.
    func finalize(_ scope: Scope) {
        for child in scope.children { finalize(child) }
        switch scope.kind {
        case .module:
            break
        case .function, .generator:
            for (name, b) in scope.bindings {
                if case .local(let slot) = b, scope.captured.contains(name) {
                    scope.bindings[name] = .cell(slot)
                    scope.markCell(slot)
                }
            }
            for fv in scope.freeVars { scope.bindings[fv.name] = .cell(fv.slot) }
        case .classBody:
            for fv in scope.freeVars where !scope.assigned.contains(fv.name) {
                scope.bindings[fv.name] = .cell(fv.slot)
            }
        case .comprehension:
            for (name, b) in scope.bindings {
                if case .local(let slot) = b, scope.captured.contains(name) {
                    scope.bindings[name] = .cell(slot)
                    scope.addComprehensionSlot(slot, cell: true)
                }
            }
        }
        // Names not bound here: comprehensions see their host's bindings; class bodies keep their
        // own names in the namespace with a fallback.
        if scope.kind == .classBody {
            for n in scope.assigned where !scope.declaredGlobal.contains(n) {
                var fallback = ClassFallback.global
                if let fv = scope.freeVars.first(where: { $0.name == n }) { fallback = .cell(fv.slot) }
                scope.bindings[n] = .classLocal(n, fallback: fallback)
            }
            for n in scope.declaredNonlocal {
                if let fv = scope.freeVars.first(where: { $0.name == n }) { scope.bindings[n] = .cell(fv.slot) }
            }
        }
    }
}

extension Scope {
    /// The binding of `name` as seen from code in this scope, following inlined comprehensions
    /// out to their host.
    public func lookup(_ name: String) -> Binding {
        if let b = bindings[name] { return b }
        if kind == .comprehension, let p = parent {
            if p.kind == .classBody {
                // Class names are invisible inside a comprehension; the class's free vars are not.
                if let fv = p.freeVars.first(where: { $0.name == name }) { return .cell(fv.slot) }
                return p.parent.map { $0.kind == .module ? Binding.global(name) : p.lookupOuter(name) } ?? .global(name)
            }
            return p.lookup(name)
        }
        return .global(name)
    }

    fileprivate func lookupOuter(_ name: String) -> Binding {
        if let fv = freeVars.first(where: { $0.name == name }) { return .cell(fv.slot) }
        return .global(name)
    }
}
