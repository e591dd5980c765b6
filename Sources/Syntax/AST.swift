// The abstract syntax tree produced by the parser.
//
// Nodes are final classes so that later layers (the resolver, the compiler) can attach
// information to a node by its identity (`ObjectIdentifier`) without the syntax layer
// knowing about them.

/// A position in a source file. `line` and `column` are 1-based; `column` counts Unicode scalars.
public struct SourceLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }
}

/// The range a node covers: `start` is its first character, `end` is one past its last.
public struct SourceSpan: Equatable, Hashable, Sendable {
    public var start: SourceLocation
    public var end: SourceLocation
    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }
    public init(_ start: SourceLocation) {
        self.start = start
        self.end = start
    }
}

// MARK: - Expressions

public final class Expr {
    public let kind: ExprKind
    public let span: SourceSpan
    public init(_ kind: ExprKind, _ span: SourceSpan) {
        self.kind = kind
        self.span = span
    }
}

public enum UnaryOp: String, Sendable {
    case negate = "-", plus = "+", invert = "~", not = "not"
}

public enum BinaryOp: String, Sendable {
    case add = "+", sub = "-", mul = "*", div = "/", floorDiv = "//", mod = "%", pow = "**"
    case lshift = "<<", rshift = ">>", bitAnd = "&", bitOr = "|", bitXor = "^", matMul = "@"
}

public enum BoolOp: String, Sendable {
    case and, or
}

public enum CompareOp: String, Sendable {
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
    case `is` = "is", isNot = "is not", `in` = "in", notIn = "not in"
}

/// An integer literal: small values as `Int`, larger ones as their decimal digits.
public enum IntLiteral: Equatable, Sendable {
    case small(Int)
    case big(String)  // decimal digits, no sign
}

public enum FStringPart {
    case literal(String)
    /// `{expr!conv:spec}`. `conversion` is "r", "s" or "a" (or nil). `spec` is itself a list of
    /// parts because a spec may contain nested fields (`{x:{width}}`). `debugText` is set for
    /// `{expr=}`: the literal text "expr=" (with the original spacing) to print before the value.
    case field(expr: Expr, conversion: Character?, spec: [FStringPart]?, debugText: String?)
}

public struct DictItem {
    /// nil key means `**value` unpacking.
    public var key: Expr?
    public var value: Expr
    public init(key: Expr?, value: Expr) {
        self.key = key
        self.value = value
    }
}

public enum Argument {
    case positional(Expr)
    case keyword(name: String, value: Expr, span: SourceSpan)
    case star(Expr)        // *args
    case doubleStar(Expr)  // **kwargs
}

public struct Comprehension {
    public var target: Expr
    public var iter: Expr
    public var ifs: [Expr]
    public init(target: Expr, iter: Expr, ifs: [Expr]) {
        self.target = target
        self.iter = iter
        self.ifs = ifs
    }
}

public indirect enum ExprKind {
    case name(String)
    case int(IntLiteral)
    case float(Double)
    case string(String)           // adjacent literals already concatenated
    case fstring([FStringPart])   // adjacent literals/f-strings concatenated into one list
    case bytes([UInt8])
    case bool(Bool)
    case none
    case ellipsis
    case list([Expr])             // elements may be `.starred`
    case tuple([Expr])
    case set([Expr])
    case dict([DictItem])
    case starred(Expr)            // only valid inside displays, call args are `Argument.star`
    case attribute(Expr, String)
    case `subscript`(Expr, Expr)    // `a[i]`; `a[i:j]` has a `.slice` index; `a[i, j]` a `.tuple`
    case slice(lower: Expr?, upper: Expr?, step: Expr?)
    case call(Expr, [Argument])
    case unary(UnaryOp, Expr)
    case binary(BinaryOp, Expr, Expr)
    case boolOp(BoolOp, Expr, Expr)          // `a and b and c` nests left: ((a and b) and c)
    case compare(Expr, [(CompareOp, Expr)])  // chained: `a < b < c`
    case ifExp(test: Expr, body: Expr, orelse: Expr)
    case lambda(Lambda)
    case listComp(Expr, [Comprehension])
    case setComp(Expr, [Comprehension])
    case dictComp(key: Expr, value: Expr, [Comprehension])
    case generator(Expr, [Comprehension])
    case namedExpr(target: Expr, value: Expr)  // `x := v`; target is a `.name`
    case yield(Expr?)             // `yield`, `yield v`, `yield a, b` (a tuple)
    case yieldFrom(Expr)          // `yield from it`
}

// MARK: - Functions and classes

public struct Param {
    public var name: String
    public var defaultValue: Expr?
    public var annotation: Expr?
    public var span: SourceSpan
    public init(name: String, defaultValue: Expr?, annotation: Expr?, span: SourceSpan) {
        self.name = name
        self.defaultValue = defaultValue
        self.annotation = annotation
        self.span = span
    }
}

/// A parameter list: `def f(a, b=1, /, c=2, *args, d, e=3, **kw)`.
public struct Parameters {
    public var positionalOnly: [Param] = []   // before `/`
    public var positional: [Param] = []       // ordinary positional-or-keyword
    public var varargs: Param?                // `*args`
    public var keywordOnly: [Param] = []      // after `*` or `*args`
    public var kwargs: Param?                 // `**kw`
    public init() {}
}

public final class Lambda {
    public var params: Parameters
    public var body: Expr
    public var span: SourceSpan
    public init(params: Parameters, body: Expr, span: SourceSpan) {
        self.params = params
        self.body = body
        self.span = span
    }
}

public final class FunctionDef {
    public var name: String
    public var params: Parameters
    public var body: [Stmt]
    public var decorators: [Expr]
    public var returns: Expr?
    /// The span of the whole definition, decorators included.
    public var span: SourceSpan
    public init(name: String, params: Parameters, body: [Stmt], decorators: [Expr], returns: Expr?, span: SourceSpan) {
        self.name = name
        self.params = params
        self.body = body
        self.decorators = decorators
        self.returns = returns
        self.span = span
    }
}

public final class ClassDef {
    public var name: String
    public var bases: [Expr]
    public var keywords: [Argument]   // `metaclass=...` etc.; only `.keyword` cases
    public var body: [Stmt]
    public var decorators: [Expr]
    public var span: SourceSpan
    public init(name: String, bases: [Expr], keywords: [Argument], body: [Stmt], decorators: [Expr], span: SourceSpan) {
        self.name = name
        self.bases = bases
        self.keywords = keywords
        self.body = body
        self.decorators = decorators
        self.span = span
    }
}

// MARK: - Statements

public final class Stmt {
    public let kind: StmtKind
    public let span: SourceSpan
    public init(_ kind: StmtKind, _ span: SourceSpan) {
        self.kind = kind
        self.span = span
    }
}

public struct ExceptHandler {
    public var type: Expr?     // nil for a bare `except:`
    public var name: String?   // `except E as name`
    public var body: [Stmt]
    public var span: SourceSpan
    public init(type: Expr?, name: String?, body: [Stmt], span: SourceSpan) {
        self.type = type
        self.name = name
        self.body = body
        self.span = span
    }
}

public struct WithItem {
    public var context: Expr
    public var target: Expr?
    public init(context: Expr, target: Expr?) {
        self.context = context
        self.target = target
    }
}

public struct ImportAlias {
    public var name: String     // dotted for `import a.b`; "*" for `from m import *`
    public var asName: String?
    public var span: SourceSpan
    public init(name: String, asName: String?, span: SourceSpan) {
        self.name = name
        self.asName = asName
        self.span = span
    }
}

public indirect enum StmtKind {
    case expr(Expr)
    case assign(targets: [Expr], value: Expr)      // `a = b = v` has two targets
    case augAssign(target: Expr, op: BinaryOp, value: Expr)
    case annAssign(target: Expr, annotation: Expr, value: Expr?)
    case ifStmt(test: Expr, body: [Stmt], orelse: [Stmt])   // `elif` is a nested ifStmt in orelse
    case whileStmt(test: Expr, body: [Stmt], orelse: [Stmt])
    case forStmt(target: Expr, iter: Expr, body: [Stmt], orelse: [Stmt])
    case breakStmt
    case continueStmt
    case pass
    case returnStmt(Expr?)
    case functionDef(FunctionDef)
    case classDef(ClassDef)
    case tryStmt(body: [Stmt], handlers: [ExceptHandler], orelse: [Stmt], finalbody: [Stmt])
    case raise(exc: Expr?, cause: Expr?)
    case with(items: [WithItem], body: [Stmt])
    case assert(test: Expr, msg: Expr?)
    case delete([Expr])
    case global([String])
    case nonlocal([String])
    case importStmt([ImportAlias])
    case importFrom(module: String, names: [ImportAlias], level: Int)
}

/// A parsed file.
public final class Module {
    public var body: [Stmt]
    public var filename: String
    public var source: String
    public init(body: [Stmt], filename: String, source: String) {
        self.body = body
        self.filename = filename
        self.source = source
    }
}

// MARK: - Errors

/// A syntax error as Python reports it: `kind` is "SyntaxError", "IndentationError" or "TabError".
public struct SyntaxError: Error, CustomStringConvertible {
    public var kind: String
    public var message: String
    public var filename: String
    public var location: SourceLocation
    /// The text of the offending line, without its newline.
    public var lineText: String
    public init(kind: String = "SyntaxError", message: String, filename: String, location: SourceLocation, lineText: String) {
        self.kind = kind
        self.message = message
        self.filename = filename
        self.location = location
        self.lineText = lineText
    }
    public var description: String { "\(filename):\(location.line):\(location.column): \(kind): \(message)" }
}
