import St

/// Renders elements for people as a run emits them (SPEC §4: program order, interleaved with
/// `print`): one or a few lines per element, indented by nesting; a write into a block other
/// than the one just shown is preceded by the block's path, and a replaced element is marked ↻.
public final class TextRenderer: RecorderObserver {
    let write: (String) -> Void
    let style: TextStyle
    private weak var lastShown: Element?
    /// Elements not to show (the uncaught-exception element of a plain program, whose traceback
    /// is already on stderr).
    public var hidden: Set<ObjectIdentifier> = []

    /// A new run starts with nothing shown.
    public func reset() {
        lastShown = nil
        hidden = []
    }

    public init(color: Bool, write: @escaping (String) -> Void) {
        self.write = write
        self.style = TextStyle(enabled: color)
    }

    public func recorder(_ recorder: Recorder, added element: Element, replacing replaced: Element?) {
        if hidden.contains(ObjectIdentifier(element)) { return }
        guard let parent = element.parent else { return }
        let depth = element.depth
        let continues = lastShown === parent || lastShown?.parent === parent || (replaced != nil && lastShown === replaced) || (lastShown == nil && parent.type == "main")
        if !continues {
            write(indent(max(0, depth - 1)) + style.dim("‹" + TextRenderer.path(parent) + "›") + "\n")
        }
        // Columns and tabs are shown by the path before their first element.
        if element.type == "column" || element.type == "tab" { return }
        let prefix = replaced != nil ? style.dim("↻ ") : ""
        let lines = TextRenderer.lines(element, style)
        for (i, l) in lines.enumerated() {
            write(indent(depth) + (i == 0 ? prefix : "") + l + "\n")
        }
        lastShown = element
    }

    func indent(_ depth: Int) -> String { String(repeating: "  ", count: depth) }

    /// Where a block is: `sidebar › expander "More" › column 2`.
    static func path(_ block: Element) -> String {
        var parts: [String] = []
        var p: Element? = block
        while let b = p {
            if b.type == "main" { if parts.isEmpty { parts.append("main") }; break }
            if b.type != "columns" && b.type != "tabs" { parts.append(blockTitle(b)) }
            p = b.parent
        }
        return parts.reversed().joined(separator: " › ")
    }

    static func blockTitle(_ b: Element) -> String {
        switch b.type {
        case "expander", "tab": return "\(b.type) \"\(b["label"]?.stringValue ?? "")\""
        case "form": return "form \"\(b["key"]?.stringValue ?? "")\""
        case "column":
            if let p = b.parent, let i = p.children.firstIndex(where: { $0 === b }) { return "column \(i + 1)" }
            return "column"
        default: return b.type
        }
    }

    /// The lines an element shows as (without indentation).
    static func lines(_ e: Element, _ s: TextStyle) -> [String] {
        func body() -> String { e["body"]?.stringValue ?? "" }
        func split(_ t: String) -> [String] { t.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        switch e.type {
        case "title": return [s.bold("# " + body())]
        case "header": return [s.bold("## " + body())]
        case "subheader": return [s.bold("### " + body())]
        case "markdown", "text": return split(body())
        case "caption": return split(body()).map { s.dim($0) }
        case "latex": return ["$$ " + body() + " $$"]
        case "code":
            let lang = e["language"]?.stringValue ?? ""
            return ["```" + lang] + split(body()) + ["```"]
        case "json": return split(JSONPretty.format(e["body"] ?? .null))
        case "metric":
            var l = "\(e["label"]?.stringValue ?? ""): " + s.bold(e["value"]?.stringValue ?? "—")
            if let d = e["delta"]?.stringValue {
                l += " " + (d.hasPrefix("-") ? "▼ " + String(d.dropFirst()) : "▲ " + d)
            }
            return [l]
        case "divider": return [s.dim(String(repeating: "─", count: 40))]
        case "success": return split("✔ " + body()).map { s.green($0) }
        case "info": return split("ℹ " + body()).map { s.blue($0) }
        case "warning": return split("⚠ " + body()).map { s.yellow($0) }
        case "error": return split("✖ " + body()).map { s.red($0) }
        case "exception":
            return split("✖ \(e["exception_type"]?.stringValue ?? "Exception"): \(e["message"]?.stringValue ?? "")").map { s.red($0) }
        case "toast": return ["🍞 " + body()]
        case "balloons": return ["🎈 balloons"]
        case "snow": return ["❄ snow"]
        case "progress":
            let v: Int
            if case .int(let i)? = e["value"] { v = i } else { v = 0 }
            let filled = v / 5
            var l = "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: 20 - filled) + "] \(v)%"
            if let t = e["text"]?.stringValue { l += " " + t }
            return [l]
        case "dataframe", "table": return TableText.lines(e, s)
        case "line_chart", "area_chart", "bar_chart", "scatter_chart", "map": return ChartText.lines(e, s)
        case "altair_chart", "vega_lite_chart", "plotly_chart", "bokeh_chart", "pydeck_chart":
            let spec = (e["spec"] ?? .null).text
            return ["[\(e.type)] " + (spec.count > 100 ? String(spec.prefix(99)) + "…" : spec)]
        case "graphviz_chart": return ["[graphviz_chart]"] + split(body())
        case "image", "audio", "video":
            var l = "[\(e.type)] " + (e["source"]?.stringValue ?? "")
            if let c = e["caption"]?.stringValue { l += " — " + c }
            return [l]
        case "html": return ["[html] " + body()]
        case "iframe": return ["[iframe] " + (e["src"]?.stringValue ?? "")]
        case "help":
            var out = ["help: \(e["value"]?.stringValue ?? "") (\(e["value_type"]?.stringValue ?? ""))"]
            if let d = e["doc"]?.stringValue { out += split(d).map { "  " + $0 } }
            return out
        // Blocks.
        case "container": return [s.dim("┌ container")]
        case "empty": return [s.dim("┌ empty")]
        case "expander": return [s.bold("▾ " + (e["label"]?.stringValue ?? ""))]
        case "columns": return [s.dim("┌ columns")]
        case "column": return [s.dim("│ " + blockTitle(e))]
        case "tabs":
            return [s.dim("┌ tabs: " + e.children.map { "\"" + ($0["label"]?.stringValue ?? "") + "\"" }.joined(separator: " | "))]
        case "tab": return [s.dim("tab \"" + (e["label"]?.stringValue ?? "") + "\"")]
        case "form": return [s.dim("┌ form \"\(e["key"]?.stringValue ?? "")\"")]
        default:
            if e.isBlock { return [s.dim("┌ " + e.type)] }
            return [WidgetText.line(e, s)]
        }
    }
}

/// ANSI styling, only on a terminal and never with NO_COLOR (SPEC, issue 3).
public struct TextStyle {
    public let enabled: Bool
    func wrap(_ code: String, _ t: String) -> String { enabled ? "\u{1B}[\(code)m\(t)\u{1B}[0m" : t }
    func bold(_ t: String) -> String { wrap("1", t) }
    func dim(_ t: String) -> String { wrap("2", t) }
    func red(_ t: String) -> String { wrap("31", t) }
    func green(_ t: String) -> String { wrap("32", t) }
    func yellow(_ t: String) -> String { wrap("33", t) }
    func blue(_ t: String) -> String { wrap("34", t) }
    func cyan(_ t: String) -> String { wrap("36", t) }
}
