// Support for the REPL: deciding whether typed input is complete.

/// True when `source` is an unfinished REPL block: an open bracket, a trailing backslash, an
/// unterminated triple-quoted string, or a compound statement (a line ending with ':', a
/// decorator) whose block has not been closed by a blank line.
public func isIncompleteInput(_ source: String) -> Bool {
    let buf = SourceBuffer(source, filename: "<stdin>")
    let stream = Lexer.tokenize(buf)
    if let e = stream.error {
        if stream.unclosedLine != nil { return true }
        if e.message.hasPrefix("unterminated triple-quoted string literal") { return true }
        if e.message == "unexpected EOF while parsing" { return true }
        return false
    }
    // Does some logical line open a block (a compound statement or a decorator)?
    let toks = stream.tokens
    var blockOpened = false
    var atLineStart = true
    var lastLineIsDecorator = false
    for t in toks {
        if atLineStart {
            switch t.kind {
            case .newline, .indent, .dedent, .endMarker: break
            case .op("@"): lastLineIsDecorator = true
            default: lastLineIsDecorator = false
            }
        }
        switch t.kind {
        case .newline:
            atLineStart = true
            continue
        case .indent, .dedent:
            if case .indent = t.kind { blockOpened = true }
            continue
        case .keyword(let k) where atLineStart:
            if ["if", "while", "for", "try", "with", "def", "class", "else", "elif", "except", "finally"].contains(k) {
                blockOpened = true
            }
        case .op("@") where atLineStart:
            blockOpened = true
        default:
            break
        }
        atLineStart = false
    }
    if lastLineIsDecorator { return true }
    do {
        _ = try parseModule(source, filename: "<stdin>")
    } catch let e as SyntaxError {
        if e.message.hasPrefix("expected an indented block") || e.message == "expected 'except' or 'finally' block" {
            return true
        }
        return false
    } catch {
        return false
    }
    if !blockOpened { return false }
    // the block is closed by a blank last line
    var lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    if let last = lines.last, last.isEmpty { lines.removeLast() }
    if let last = lines.last, last.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { return false }
    return true
}
