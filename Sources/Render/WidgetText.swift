import St

/// Widgets as text: their kind, label and current value.
enum WidgetText {
    static func line(_ e: Element, _ s: TextStyle) -> String {
        let label = e["label"]?.stringValue ?? ""
        let value = e["value"] ?? .null
        switch e.type {
        case "checkbox", "toggle":
            if case .bool(true) = value { return s.cyan("[x] ") + label }
            return s.cyan("[ ] ") + label
        case "button", "form_submit_button":
            if case .bool(true) = value { return s.cyan("(\(label))") + " clicked" }
            return s.cyan("(\(label))")
        case "download_button":
            return s.cyan("(\(label))") + " ⤓ " + (e["file_name"]?.stringValue ?? "")
        case "radio", "selectbox", "multiselect", "select_slider":
            var options: [String] = []
            if case .array(let a)? = e["options"] { options = a.compactMap { $0.stringValue } }
            return s.cyan("[\(e.type)] ") + label + ": " + shown(value) + s.dim("  of " + options.joined(separator: " | "))
        case "slider":
            return s.cyan("[slider] ") + label + ": " + shown(value) + s.dim("  (\(shown(e["min"] ?? .null))..\(shown(e["max"] ?? .null)))")
        case "text_input" where e["input_type"]?.stringValue == "password":
            return s.cyan("[text_input] ") + label + ": " + (value.stringValue.map { String(repeating: "•", count: $0.count) } ?? "None")
        default:
            return s.cyan("[\(e.type)] ") + label + ": " + shown(value)
        }
    }

    /// A value the way Python would show it in a list: strings quoted.
    static func shown(_ v: JSON) -> String {
        switch v {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .string(let s): return "'" + s + "'"
        case .array(let a): return "[" + a.map(shown).joined(separator: ", ") + "]"
        case .object(let f):
            if let n = v["name"]?.stringValue, f.count == 3 { return n }
            return v.text
        default: return v.text
        }
    }
}

/// JSON shown indented, for st.json.
enum JSONPretty {
    static func format(_ v: JSON, _ level: Int = 0) -> String {
        let pad = String(repeating: "  ", count: level + 1)
        let close = String(repeating: "  ", count: level)
        switch v {
        case .array(let items) where !items.isEmpty:
            if items.allSatisfy({ if case .array = $0 { return false }; if case .object = $0 { return false }; return true }) { return v.text }
            return "[\n" + items.map { pad + format($0, level + 1) }.joined(separator: ",\n") + "\n" + close + "]"
        case .object(let fields) where !fields.isEmpty:
            return "{\n" + fields.map { k, x in pad + JSON.string(k).text + ": " + format(x, level + 1) }.joined(separator: ",\n") + "\n" + close + "}"
        default:
            return v.text
        }
    }
}
