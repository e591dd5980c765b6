import Foundation

/// A widget named in a steps file: its key as a bare word, or its label in double quotes.
public enum WidgetRef: Equatable, CustomStringConvertible {
    case key(String)
    case label(String)
    public var description: String {
        switch self {
        case .key(let k): return k
        case .label(let l): return "\"\(l)\""
        }
    }
}

/// One action of a steps file (SPEC §4).
public enum StepAction: Equatable {
    case rerun
    case set(WidgetRef, value: String)
    case click(WidgetRef)
    case submit(form: String)
    case upload(WidgetRef, path: String)
    case edit(path: String)
    case advance(seconds: Double)
    case clearCache
    case restart

    /// Whether the action starts a run (the others only change state).
    public var startsRun: Bool {
        switch self {
        case .advance, .clearCache, .restart: return false
        default: return true
        }
    }

    public var name: String {
        switch self {
        case .rerun: return "rerun"
        case .set: return "set"
        case .click: return "click"
        case .submit: return "submit"
        case .upload: return "upload"
        case .edit: return "edit"
        case .advance: return "advance"
        case .clearCache: return "clear_cache"
        case .restart: return "restart"
        }
    }
}

public struct Step: Equatable {
    public let line: Int
    public let action: StepAction
}

/// A steps file that does not parse: the line, the action and what was expected.
public struct StepsError: Error, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let message: String
    public var description: String { "\(file):\(line): \(message)" }
}

public enum StepsParser {
    static let usage: [String: String] = [
        "rerun": "rerun",
        "set": "set WIDGET VALUE (WIDGET: a key, or a \"label\" in double quotes; VALUE: an stlang literal)",
        "click": "click WIDGET",
        "submit": "submit FORM (the form's key)",
        "upload": "upload WIDGET PATH",
        "edit": "edit FILE",
        "advance": "advance SECONDS (a non-negative number)",
        "clear_cache": "clear_cache",
        "restart": "restart",
    ]

    public static func parse(_ text: String, file: String) throws -> [Step] {
        var steps: [Step] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNo = i + 1
            let line = raw.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            if line.isEmpty || line.hasPrefix("#") { continue }
            let word = String(line.prefix { !$0.isWhitespace })
            var rest = Substring(line.dropFirst(word.count)).drop { $0.isWhitespace }
            func fail(_ what: String) -> StepsError {
                StepsError(file: file, line: lineNo, message: "\(word): \(what); expected `\(usage[word] ?? word)`")
            }
            func widget() throws -> WidgetRef {
                if rest.hasPrefix("\"") {
                    var label = ""
                    var j = rest.index(after: rest.startIndex)
                    var closed = false
                    while j < rest.endIndex {
                        let c = rest[j]
                        if c == "\\", rest.index(after: j) < rest.endIndex {
                            j = rest.index(after: j)
                            label.append(rest[j])
                        } else if c == "\"" {
                            closed = true
                            break
                        } else {
                            label.append(c)
                        }
                        j = rest.index(after: j)
                    }
                    guard closed else { throw fail("the label's closing quote is missing") }
                    rest = rest[rest.index(after: j)...].drop { $0.isWhitespace }
                    return .label(label)
                }
                let key = String(rest.prefix { !$0.isWhitespace })
                guard !key.isEmpty else { throw fail("the widget is missing") }
                rest = rest.dropFirst(key.count).drop { $0.isWhitespace }
                return .key(key)
            }
            func noMore() throws {
                if !rest.isEmpty { throw fail("unexpected text `\(rest)`") }
            }
            let action: StepAction
            switch word {
            case "rerun": try noMore(); action = .rerun
            case "clear_cache": try noMore(); action = .clearCache
            case "restart": try noMore(); action = .restart
            case "set":
                let w = try widget()
                guard !rest.isEmpty else { throw fail("the value is missing") }
                action = .set(w, value: String(rest))
            case "click":
                let w = try widget()
                try noMore()
                action = .click(w)
            case "submit":
                let f = String(rest)
                guard !f.isEmpty, !f.contains(where: \.isWhitespace) else { throw fail(f.isEmpty ? "the form key is missing" : "a form key is one word") }
                action = .submit(form: f)
            case "upload":
                let w = try widget()
                guard !rest.isEmpty else { throw fail("the file path is missing") }
                action = .upload(w, path: String(rest))
            case "edit":
                guard !rest.isEmpty else { throw fail("the file path is missing") }
                action = .edit(path: String(rest))
            case "advance":
                guard let s = Double(rest), s.isFinite, s >= 0 else { throw fail(rest.isEmpty ? "the number of seconds is missing" : "`\(rest)` is not a number of seconds") }
                action = .advance(seconds: s)
            default:
                throw StepsError(file: file, line: lineNo, message: "unknown action `\(word)`; actions are rerun, set, click, submit, upload, edit, advance, clear_cache, restart")
            }
            steps.append(Step(line: lineNo, action: action))
        }
        return steps
    }
}
