// Support for the REPL: is typed input unfinished because of the lexer (not a block)?

/// True when `source` ends inside an open bracket, after a backslash continuation, or inside a
/// triple-quoted string: a blank line there does not end the input (python3's REPL rule).
public func isInsideBracketsOrString(_ source: String) -> Bool {
    let stream = Lexer.tokenize(SourceBuffer(source, filename: "<stdin>"))
    guard let e = stream.error else { return false }
    if stream.unclosedLine != nil { return true }
    if e.message.hasPrefix("unterminated triple-quoted string literal") { return true }
    return e.message == "unexpected EOF while parsing"
}
