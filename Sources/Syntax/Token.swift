// Tokens produced by the lexer.

/// A string literal as the lexer saw it. Plain strings and bytes are already decoded; an
/// f-string keeps the position of its raw body (the text between the quotes) so that the parser
/// can split it into literal parts and fields.
public struct StringToken {
    public var isRaw: Bool
    public var isBytes: Bool
    public var isFormat: Bool
    /// Decoded value of a plain (non-f, non-bytes) string.
    public var value: String
    /// Decoded value of a bytes literal.
    public var bytes: [UInt8]
    /// The body (between the quotes) as indices into the lexer's scalar buffer.
    public var bodyStart: Int
    public var bodyEnd: Int
    /// The location of the first character of the whole literal (its prefix).
    public var literalStart: SourceLocation
}

public enum TokenKind {
    case name(String)
    case keyword(String)
    case int(IntLiteral)
    case float(Double)
    indirect case string(StringToken)
    /// Operators and delimiters: `+`, `**=`, `(`, `->`, `...`, ...
    case op(String)
    case newline
    case indent
    case dedent
    case endMarker
    /// A tokenizer error: the parser raises it when it reaches this token (or when a parse error
    /// is found before it, as CPython checks the whole source for tokenizer errors).
    indirect case error(SyntaxError)
}

public struct Token {
    public var kind: TokenKind
    public var start: SourceLocation
    public var end: SourceLocation
    public init(_ kind: TokenKind, start: SourceLocation, end: SourceLocation) {
        self.kind = kind
        self.start = start
        self.end = end
    }

    /// A short description used by tests and debugging.
    public var debugDescription: String {
        switch kind {
        case .name(let n): return "NAME(\(n))"
        case .keyword(let k): return "KW(\(k))"
        case .int(let v):
            switch v {
            case .small(let i): return "INT(\(i))"
            case .big(let d): return "INT(\(d))"
            }
        case .float(let d): return "FLOAT(\(d))"
        case .string(let s):
            if s.isFormat { return "FSTRING" }
            if s.isBytes { return "BYTES(\(s.bytes))" }
            return "STRING(\(s.value))"
        case .op(let o): return "OP(\(o))"
        case .newline: return "NEWLINE"
        case .indent: return "INDENT"
        case .dedent: return "DEDENT"
        case .endMarker: return "ENDMARKER"
        case .error(let e): return "ERROR(\(e.message))"
        }
    }
}

let pythonKeywords: Set<String> = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
    "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
    "try", "while", "with", "yield",
]
