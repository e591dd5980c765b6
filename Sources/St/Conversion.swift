import Interpreter

/// Turning stlang values into the JSON the element tree holds.
extension StApp {
    /// A value as JSON data: the way `st.json` and widget values show it.
    func json(_ v: Value, depth: Int = 0) throws(PyErr) -> JSON {
        if depth > 200 { return .string("...") }
        switch v {
        case .none, .undef: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .double(d)
        case .obj(let o):
            if let b = v.asBigInt { return .bigInt(b.value.description) }
            if let s = v.asStr { return .string(s.value) }
            if let l = v.asList { return .array(try l.items.map { x throws(PyErr) in try json(x, depth: depth + 1) }) }
            if let t = v.asTuple { return .array(try t.items.map { x throws(PyErr) in try json(x, depth: depth + 1) }) }
            if let d = v.asDict {
                var fields: [(String, JSON)] = []
                for (k, x) in d.items {
                    let key: String
                    switch k {
                    case .none: key = "null"
                    case .bool(let b): key = b ? "true" : "false"
                    default: key = try rt.str(k)
                    }
                    fields.append((key, try json(x, depth: depth + 1)))
                }
                return .object(fields)
            }
            if o.kind == .set || o.kind == .frozenset {
                return .array(try rt.collect(v).map { x throws(PyErr) in try json(x, depth: depth + 1) })
            }
            if let t = try table(v) {
                return .object([("columns", .array(t.columns.map { .string($0) })), ("rows", .array(t.rows.map { .array($0) }))])
            }
            if let n = o as? PyNative, n.cls === sessionStateClass { return try json(.obj(sessionState), depth: depth + 1) }
            if let n = o as? PyNative, n.cls === uploadedFileClass, let f = n.payload as? UploadedFilePayload {
                return .object([("name", .string(f.name)), ("size", .int(f.data.count)), ("type", .string(f.mimeType))])
            }
            return .string(try rt.str(v))
        }
    }

    /// Data shaped as a table: columns, index labels and rows.
    struct Table {
        var columns: [String]
        var index: [JSON]
        var rows: [[JSON]]
    }

    /// `v` as a table, when it is table-like: anything with `_st_table()` (the stdlib's
    /// DataFrame, Series and ndarray), a dict of columns, a list of rows (dicts, lists or scalars).
    /// nil for anything else.
    func table(_ v: Value) throws(PyErr) -> Table? {
        switch v {
        case .obj(let o):
            if o.kind == .instance, let m = try rt.getAttrOrNil(v, "_st_table") {
                let d = try rt.call(m, [])
                guard let dict = d.asDict else { throw rt.typeError("_st_table() must return a dict") }
                let cols = try rt.collect(dict.getStr("columns") ?? .obj(PyList([]))).map { x throws(PyErr) in try rt.str(x) }
                let index = try rt.collect(dict.getStr("index") ?? .obj(PyList([]))).map { x throws(PyErr) in try json(x) }
                var rows: [[JSON]] = []
                for r in try rt.collect(dict.getStr("rows") ?? .obj(PyList([]))) {
                    rows.append(try rt.collect(r).map { x throws(PyErr) in try json(x) })
                }
                return Table(columns: cols, index: index.count == rows.count ? index : (0..<rows.count).map { .int($0) }, rows: rows)
            }
            if let d = v.asDict {
                let cols = try d.items.map { kv throws(PyErr) in try rt.str(kv.0) }
                let isColumns = d.items.allSatisfy { $0.1.asList != nil || $0.1.asTuple != nil || (try? table($0.1)) != nil }
                if isColumns {
                    var columns: [[JSON]] = []
                    for (_, c) in d.items {
                        if let t = try table(c), t.columns.count == 1 { columns.append(t.rows.map { $0.first ?? .null }) } else {
                            columns.append(try rt.collect(c).map { x throws(PyErr) in try json(x) })
                        }
                    }
                    let n = columns.map(\.count).max() ?? 0
                    let rows = (0..<n).map { i in columns.map { i < $0.count ? $0[i] : .null } }
                    return Table(columns: cols, index: (0..<n).map { .int($0) }, rows: rows)
                }
                return Table(columns: cols, index: [.int(0)], rows: [try d.items.map { kv throws(PyErr) in try json(kv.1) }])
            }
            let items: [Value]
            if let l = v.asList { items = l.items } else if let t = v.asTuple { items = t.items } else { return nil }
            if !items.isEmpty, items.allSatisfy({ $0.asDict != nil }) {
                var cols: [String] = []
                var keyed: [[String: JSON]] = []
                for item in items {
                    var row: [String: JSON] = [:]
                    for (k, x) in item.asDict!.items {
                        let name = try rt.str(k)
                        if !cols.contains(name) { cols.append(name) }
                        row[name] = try json(x)
                    }
                    keyed.append(row)
                }
                return Table(columns: cols, index: (0..<items.count).map { .int($0) }, rows: keyed.map { r in cols.map { r[$0] ?? .null } })
            }
            if !items.isEmpty, items.allSatisfy({ $0.asList != nil || $0.asTuple != nil }) {
                var rows: [[JSON]] = []
                for item in items { rows.append(try rt.collect(item).map { x throws(PyErr) in try json(x) }) }
                let width = rows.map(\.count).max() ?? 0
                return Table(columns: (0..<width).map { String($0) }, index: (0..<rows.count).map { .int($0) },
                             rows: rows.map { $0 + Array(repeating: JSON.null, count: width - $0.count) })
            }
            return Table(columns: ["0"], index: (0..<items.count).map { .int($0) }, rows: try items.map { x throws(PyErr) in [try json(x)] })
        default:
            return nil
        }
    }

    /// Whether `v` is a DataFrame-like object (has `_st_table`).
    func isDataFrameLike(_ v: Value) throws(PyErr) -> Bool {
        guard case .obj(let o) = v, o.kind == .instance else { return false }
        return try rt.getAttrOrNil(v, "_st_table") != nil
    }

    func tableFields(_ t: Table) -> [(String, JSON)] {
        [("columns", .array(t.columns.map { .string($0) })), ("index", .array(t.index)), ("rows", .array(t.rows.map { .array($0) }))]
    }
}
