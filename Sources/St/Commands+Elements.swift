import Foundation
import Interpreter

/// A command of `st` and of DeltaGenerator objects: where it writes, its arguments.
typealias Command = (DGPayload, [Value], KwArgs) throws(PyErr) -> Value

// Text, data, status, chart and media elements: each records one element (SPEC §2).
extension StApp {
    func elementCommands() -> [(String, Command)] {
        var cmds: [(String, Command)] = []
        func text(_ name: String, _ params: [String], _ extra: [String] = []) {
            cmds.append((name, { dg, a, k throws(PyErr) in
                let args = try Args(self.rt, name, a, k, params)
                var fields: [(String, JSON)] = [("body", .string(try args.string(params[0], "") ?? ""))]
                for p in extra where args.given(p) != nil { fields.append((p, try self.json(args.given(p)!))) }
                return self.emit(Element(name, fields), dg)
            }))
        }
        text("title", ["body", "anchor", "help"], ["anchor", "help"])
        text("header", ["body", "anchor", "help", "divider"], ["anchor", "help", "divider"])
        text("subheader", ["body", "anchor", "help", "divider"], ["anchor", "help", "divider"])
        text("markdown", ["body", "unsafe_allow_html", "help"], ["help"])
        text("caption", ["body", "unsafe_allow_html", "help"], ["help"])
        text("text", ["body", "help"], ["help"])
        text("latex", ["body", "help"], ["help"])
        cmds.append(("code", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "code", a, k, ["body", "language", "line_numbers", "wrap_lines"])
            let lang: JSON = args["language"].map { v in if case .none = v { return .null } else { return .string((try? self.rt.str(v)) ?? "") } } ?? .string("python")
            return self.emit(Element("code", [("body", .string(try args.string("body", "") ?? "")), ("language", lang)]), dg)
        }))
        cmds.append(("json", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "json", a, k, ["body", "expanded"])
            var body = try args.required("body")
            if body.asStr != nil {
                // A str is JSON text, as in Streamlit.
                let json = try self.rt.importModule("json", from: "")
                body = try self.rt.call(try self.rt.getAttr(.obj(json), "loads"), [body])
            }
            return self.emit(Element("json", [("body", try self.json(body)), ("expanded", .bool(try args.bool("expanded", true)))]), dg)
        }))
        cmds.append(("metric", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "metric", a, k, ["label", "value", "delta", "delta_color", "help", "label_visibility"])
            func shown(_ n: String) throws(PyErr) -> JSON {
                guard let v = args.given(n) else { return .null }
                return .string(try self.rt.str(v))
            }
            let color = try args.string("delta_color", "normal") ?? "normal"
            guard ["normal", "inverse", "off"].contains(color) else {
                throw self.apiError("'\(color)' is not an accepted value. delta_color only accepts: 'normal', 'inverse', or 'off'")
            }
            return self.emit(Element("metric", [("label", .string(try args.string("label", "") ?? "")), ("value", try shown("value")),
                                                ("delta", try shown("delta")), ("delta_color", .string(color))]), dg)
        }))
        cmds.append(("divider", { dg, a, k throws(PyErr) in
            _ = try Args(self.rt, "divider", a, k, [])
            return self.emit(Element("divider"), dg)
        }))
        cmds.append(("help", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "help", a, k, ["obj"])
            return self.emit(try self.helpElement(args["obj"] ?? .none), dg)
        }))
        for name in ["dataframe", "table"] {
            cmds.append((name, { dg, a, k throws(PyErr) in
                let args = try Args(self.rt, name, a, k, ["data", "width", "height", "use_container_width", "hide_index", "column_order", "column_config"])
                let data = args.given("data") ?? .none
                var t = Table(columns: ["value"], index: [.int(0)], rows: [[try self.json(data)]])
                if let tt = try self.table(data) { t = tt }
                return self.emit(Element(name, self.tableFields(t)), dg)
            }))
        }
        // Status.
        for name in ["success", "info", "warning", "error"] {
            cmds.append((name, { dg, a, k throws(PyErr) in
                let args = try Args(self.rt, name, a, k, ["body", "icon"])
                return self.emit(Element(name, [("body", .string(try args.string("body", "") ?? "")), ("icon", args.given("icon").map { .string((try? self.rt.str($0)) ?? "") } ?? .null)]), dg)
            }))
        }
        // `st.alert` is named in the seed's list: an alias of info.
        cmds.append(("alert", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "alert", a, k, ["body", "icon"])
            return self.emit(Element("info", [("body", .string(try args.string("body", "") ?? "")), ("icon", .null)]), dg)
        }))
        cmds.append(("exception", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "exception", a, k, ["exception"])
            let e = try args.required("exception")
            return self.emit(try self.exceptionElement(e), dg)
        }))
        cmds.append(("toast", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "toast", a, k, ["body", "icon"])
            return self.emit(Element("toast", [("body", .string(try args.string("body", "") ?? "")), ("icon", args.given("icon").map { .string((try? self.rt.str($0)) ?? "") } ?? .null)]), dg)
        }))
        for name in ["balloons", "snow"] {
            cmds.append((name, { dg, a, k throws(PyErr) in
                _ = try Args(self.rt, name, a, k, [])
                return self.emit(Element(name), dg)
            }))
        }
        cmds.append(("progress", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "progress", a, k, ["value", "text"])
            let v = try args.required("value")
            let percent: Int
            switch v {
            case .int(let i):
                guard (0...100).contains(i) else { throw self.apiError("Progress Value has invalid value [0, 100]: \(i)") }
                percent = i
            case .float(let d):
                guard d >= 0, d <= 1 else { throw self.apiError("Progress Value has invalid value [0.0, 1.0]: \(pyFloatRepr(d))") }
                percent = Int(d * 100)
            default:
                throw self.apiError("Progress Value has invalid type: \(self.rt.typeName(v))")
            }
            return self.emit(Element("progress", [("value", .int(percent)), ("text", args.given("text").map { .string((try? self.rt.str($0)) ?? "") } ?? .null)]), dg)
        }))
        // Charts from data.
        for name in ["line_chart", "area_chart", "bar_chart", "scatter_chart", "map"] {
            cmds.append((name, { dg, a, k throws(PyErr) in
                let args = try Args(self.rt, name, a, k, ["data", "x", "y", "color", "size", "width", "height", "use_container_width",
                                                          "latitude", "longitude", "zoom", "stack", "horizontal", "x_label", "y_label"])
                var t = try self.table(args.given("data") ?? .obj(PyList([]))) ?? Table(columns: [], index: [], rows: [])
                var fields: [(String, JSON)] = []
                if let x = try args.string("x") {
                    guard t.columns.contains(x) else { throw self.apiError("Data does not have a column named '\(x)'.") }
                    fields.append(("x", .string(x)))
                }
                if let y = args.given("y") {
                    let ys = y.asStr != nil ? [try self.rt.str(y)] : try self.rt.collect(y).map { v throws(PyErr) in try self.rt.str(v) }
                    for c in ys where !t.columns.contains(c) { throw self.apiError("Data does not have a column named '\(c)'.") }
                    let keep = t.columns.indices.filter { ys.contains(t.columns[$0]) || t.columns[$0] == (try? args.string("x")) ?? nil }
                    t = Table(columns: keep.map { t.columns[$0] }, index: t.index, rows: t.rows.map { r in keep.map { $0 < r.count ? r[$0] : .null } })
                    fields.append(("y", .array(ys.map { .string($0) })))
                }
                return self.emit(Element(name, self.tableFields(t) + fields), dg)
            }))
        }
        // Charts from a spec: the spec is recorded.
        for (name, params) in [("altair_chart", ["altair_chart", "use_container_width", "theme"]),
                               ("vega_lite_chart", ["data", "spec", "use_container_width", "theme"]),
                               ("plotly_chart", ["figure_or_data", "use_container_width", "theme"]),
                               ("bokeh_chart", ["figure", "use_container_width"]),
                               ("pydeck_chart", ["pydeck_obj", "use_container_width"])] {
            cmds.append((name, { dg, a, k throws(PyErr) in
                let args = try Args(self.rt, name, a, k, params)
                var fields: [(String, JSON)] = []
                if name == "vega_lite_chart" {
                    var spec = args.given("spec")
                    var data = args.given("data")
                    if spec == nil, let d = data, d.asDict != nil { spec = d; data = nil }
                    fields.append(("spec", try spec.map { v throws(PyErr) in try self.json(v) } ?? .null))
                    if let d = data, let t = try self.table(d) { fields += self.tableFields(t) }
                } else {
                    fields.append(("spec", try self.json(args[params[0]] ?? .none)))
                }
                return self.emit(Element(name, fields), dg)
            }))
        }
        cmds.append(("graphviz_chart", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "graphviz_chart", a, k, ["figure_or_dot", "use_container_width"])
            return self.emit(Element("graphviz_chart", [("body", .string(try args.string("figure_or_dot", "") ?? ""))]), dg)
        }))
        // Media: a path, a URL or bytes.
        for (name, params) in [("image", ["image", "caption", "width", "use_column_width", "clamp", "channels", "output_format"]),
                               ("audio", ["data", "format", "start_time", "sample_rate"]),
                               ("video", ["data", "format", "start_time", "subtitles"])] {
            cmds.append((name, { dg, a, k throws(PyErr) in
                let args = try Args(self.rt, name, a, k, params)
                let data = try args.required(params[0])
                var fields: [(String, JSON)] = [("source", try self.mediaSource(data))]
                if name == "image" {
                    fields.append(("caption", try args.given("caption").map { v throws(PyErr) in .string(try self.rt.str(v)) } ?? .null))
                    fields.append(("width", try args.given("width").map { v throws(PyErr) in try self.json(v) } ?? .null))
                } else {
                    fields.append(("format", .string(try args.string("format", name == "audio" ? "audio/wav" : "video/mp4") ?? "")))
                }
                return self.emit(Element(name, fields), dg)
            }))
        }
        return cmds
    }

    func mediaSource(_ v: Value) throws(PyErr) -> JSON {
        if case .obj(let o) = v, let b = o as? PyBytes { return .string("<\(b.bytes.count) bytes>") }
        if let n = v.asNative(uploaded: uploadedFileClass) { return .string("<\(n.data.count) bytes: \(n.name)>") }
        return .string(try rt.str(v))
    }

    /// The element `st.exception(e)` and an uncaught exception show.
    public func exceptionElement(_ e: Value) throws(PyErr) -> Element {
        let type = rt.typeName(e)
        let message = try rt.str(e)
        return Element("exception", [("exception_type", .string(type)), ("message", .string(message))])
    }

    /// A function's parameters as written: `a, b=2, *args, key=None, **kw`.
    func signature(_ fn: PyFunction) -> String {
        let code = fn.code
        var parts: [String] = []
        let firstDefault = code.positionalNames.count - fn.defaults.count
        for (i, n) in code.positionalNames.enumerated() {
            parts.append(i >= firstDefault ? "\(n)=\((try? rt.repr(fn.defaults[i - firstDefault])) ?? "...")" : n)
            if code.positionalOnlyCount > 0 && i == code.positionalOnlyCount - 1 { parts.append("/") }
        }
        if code.varargsSlot != nil { parts.append("*args") } else if !code.keywordOnlyNames.isEmpty { parts.append("*") }
        for n in code.keywordOnlyNames { parts.append(fn.kwDefaults[n].map { "\(n)=\((try? rt.repr($0)) ?? "...")" } ?? n) }
        if code.kwargsSlot != nil { parts.append("**kwargs") }
        return parts.joined(separator: ", ")
    }

    /// `st.help(obj)`: its name, type and docstring.
    func helpElement(_ obj: Value) throws(PyErr) -> Element {
        let name = (try rt.getAttrOrNil(obj, "__name__")).flatMap { $0.asStr?.value } ?? ""
        let doc = (try rt.getAttrOrNil(obj, "__doc__")).flatMap { $0.asStr?.value }
        var shown = try rt.repr(obj)
        if let fn = obj.asFunction { shown = fn.name + "(" + signature(fn) + ")" }
        return Element("help", [("name", .string(name)), ("value", .string(shown)), ("value_type", .string(rt.typeName(obj))),
                                ("doc", doc.map { .string($0) } ?? .null)])
    }
}

extension Value {
    func asNative(uploaded cls: PyClass) -> UploadedFilePayload? {
        if case .obj(let o) = self, let n = o as? PyNative, n.cls === cls { return n.payload as? UploadedFilePayload }
        return nil
    }
}
