import Foundation
import Interpreter
import St

/// Tables as aligned text: the index, then each column; long cells are cut, and rows beyond
/// `maxRows` are counted instead of shown.
enum TableText {
    static let maxRows = 10
    static let maxCell = 24

    static func cell(_ v: JSON) -> String {
        let s: String
        switch v {
        case .null: s = "None"
        case .bool(let b): s = b ? "True" : "False"
        case .string(let t): s = t
        case .double(let d): s = number(d)
        default: s = v.text
        }
        return s.count > maxCell ? String(s.prefix(maxCell - 1)) + "…" : s
    }

    /// Floats as people read them in a table: at most 4 decimals (terminals are narrow), short
    /// values and very large or small ones as Python writes them.
    static func number(_ d: Double) -> String {
        let r = pyFloatRepr(d)
        if !d.isFinite || abs(d) >= 1e9 || abs(d) < 1e-4 || r.contains("e") { return r }
        if let dot = r.firstIndex(of: "."), r.distance(from: dot, to: r.endIndex) <= 5 { return r }
        return String(format: "%.4f", d)
    }

    /// Widest table line before columns are cut (with a count of hidden columns).
    static let maxWidth = 120

    static func arrays(_ e: Element) -> (columns: [String], index: [JSON], rows: [[JSON]]) {
        func arr(_ j: JSON?) -> [JSON] { if case .array(let a)? = j { return a }; return [] }
        let columns = arr(e["columns"]).compactMap(\.stringValue)
        let rows = arr(e["rows"]).map { arr($0) }
        return (columns, arr(e["index"]), rows)
    }

    static func lines(_ e: Element, _ s: TextStyle) -> [String] {
        let (columns, index, rows) = arrays(e)
        let shown = rows.prefix(maxRows)
        var table: [[String]] = [[""] + columns]
        for (i, r) in shown.enumerated() {
            table.append([i < index.count ? cell(index[i]) : String(i)] + columns.indices.map { $0 < r.count ? cell(r[$0]) : "" })
        }
        var widths = [Int](repeating: 0, count: columns.count + 1)
        for r in table { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        // Cut columns that do not fit, keeping the index.
        var shownColumns = widths.count
        var total = widths[0]
        for i in 1..<max(1, widths.count) {
            if total + 2 + widths[i] > maxWidth && i > 1 { shownColumns = i; break }
            total += 2 + widths[i]
        }
        if shownColumns < widths.count {
            let hidden = widths.count - shownColumns
            table = table.map { Array($0.prefix(shownColumns)) + [$0 == table[0] ? "… +\(hidden)" : "…"] }
            widths = Array(widths.prefix(shownColumns)) + ["… +\(hidden)".count]
        }
        var out: [String] = []
        for (n, r) in table.enumerated() {
            let cells = r.enumerated().map { i, c -> String in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                // Numbers right-aligned as pandas prints them; the index and text left.
                return i == 0 ? c + pad : pad + c
            }
            let line = cells.joined(separator: "  ")
            out.append(n == 0 ? s.bold(line) : line)
        }
        if rows.count > maxRows { out.append(s.dim("… \(rows.count - maxRows) more row\(rows.count - maxRows == 1 ? "" : "s") (\(rows.count) in all)")) }
        if rows.isEmpty { out.append(s.dim("(empty)")) }
        return out
    }
}

/// Charts as one Unicode sparkline per series (bars for bar charts), scaled to the series' range.
enum ChartText {
    static let ticks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let maxPoints = 60

    static func lines(_ e: Element, _ s: TextStyle) -> [String] {
        let (columns, _, rows) = TableText.arrays(e)
        let x = e["x"]?.stringValue
        var out = ["[\(e.type)] \(rows.count) point\(rows.count == 1 ? "" : "s")" + (x.map { " by \($0)" } ?? "")]
        let width = columns.map(\.count).max() ?? 0
        for (i, name) in columns.enumerated() where name != x {
            let values: [Double] = rows.compactMap { r in
                guard i < r.count else { return nil }
                switch r[i] {
                case .int(let n): return Double(n)
                case .double(let d): return d.isFinite ? d : nil
                case .bool(let b): return b ? 1 : 0
                default: return nil
                }
            }
            guard !values.isEmpty else {
                out.append("  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  (no numbers)")
                continue
            }
            let sample = sampled(values)
            let lo = values.min() ?? 0, hi = values.max() ?? 0
            let line = String(sample.map { v -> Character in
                if hi == lo { return ticks[3] }
                let k = Int(((v - lo) / (hi - lo) * Double(ticks.count - 1)).rounded())
                return ticks[max(0, min(ticks.count - 1, k))]
            })
            out.append("  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + line
                       + s.dim("  \(TableText.number(lo)) … \(TableText.number(hi))"))
        }
        return out
    }

    /// At most `maxPoints` values, evenly picked.
    static func sampled(_ v: [Double]) -> [Double] {
        if v.count <= maxPoints { return v }
        return (0..<maxPoints).map { v[$0 * v.count / maxPoints] }
    }
}
