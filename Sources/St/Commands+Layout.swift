import Foundation
import Interpreter

// Blocks (container, expander, empty, columns, tabs, form), st.write's delegation, st.echo and
// st.spinner.
extension StApp {
    func layoutCommands() -> [(String, Command)] {
        var cmds: [(String, Command)] = []
        cmds.append(("container", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "container", a, k, ["height", "border"])
            var fields: [(String, JSON)] = []
            if let b = args.given("border") { fields.append(("border", .bool(try self.rt.truthy(b)))) }
            return self.emit(Element("container", fields, isBlock: true), dg)
        }))
        cmds.append(("expander", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "expander", a, k, ["label", "expanded", "icon"])
            let label = try self.rt.str(try args.required("label"))
            // Nested expanders are allowed (Streamlit 1.67; CACHING.md Part A).
            return self.emit(Element("expander", [("label", .string(label)), ("expanded", .bool(try args.bool("expanded", false)))], isBlock: true), dg)
        }))
        cmds.append(("empty", { dg, a, k throws(PyErr) in
            _ = try Args(self.rt, "empty", a, k, [])
            return self.emit(Element("empty", isBlock: true), dg)
        }))
        cmds.append(("columns", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "columns", a, k, ["spec", "gap", "vertical_alignment"])
            let spec = try args.required("spec")
            var weights: [Double] = []
            switch spec {
            case .int(let n):
                guard n > 0 else { throw self.apiError("The input argument to st.columns must be either a positive integer or a list of positive numeric weights. See [documentation](https://docs.streamlit.io/library/api-reference/layout/st.columns) for more information.") }
                weights = Array(repeating: 1, count: n)
            default:
                for w in try self.rt.collect(spec) {
                    let d: Double
                    switch w {
                    case .int(let i): d = Double(i)
                    case .float(let f): d = f
                    default: d = 0
                    }
                    guard d > 0 else { throw self.apiError("The input argument to st.columns must be either a positive integer or a list of positive numeric weights. See [documentation](https://docs.streamlit.io/library/api-reference/layout/st.columns) for more information.") }
                    weights.append(d)
                }
                if weights.isEmpty { throw self.apiError("The input argument to st.columns must be either a positive integer or a list of positive numeric weights. See [documentation](https://docs.streamlit.io/library/api-reference/layout/st.columns) for more information.") }
            }
            let gap = try args.string("gap", "small") ?? "small"
            guard ["small", "medium", "large"].contains(gap) else {
                throw self.apiError("The gap argument to st.columns must be \"small\", \"medium\", or \"large\". \nThe argument passed was \(gap).")
            }
            // One level of nesting only, as Streamlit allows.
            var depth = 0
            var p: Element? = self.parentBlock(dg)
            while let b = p { if b.type == "column" { depth += 1 }; p = b.parent }
            if depth >= 2 { throw self.apiError("Columns can only be placed inside other columns up to one level of nesting.") }
            if depth >= 1, self.parentBlock(dg).type == "sidebar" || self.isInSidebar(self.parentBlock(dg)) {
                throw self.apiError("Columns cannot be placed inside other columns in the sidebar. This is only possible in the main area of the app.")
            }
            let total = weights.reduce(0, +)
            let block = Element("columns", [("gap", .string(gap))], isBlock: true)
            var out: [Value] = []
            for w in weights {
                let col = Element("column", [("weight", .double((w / total * 10000).rounded() / 10000))], isBlock: true)
                block.adopt(col)
                out.append(self.dgValue(col))
            }
            self.emit(block, dg)
            return .obj(PyList(out))
        }))
        cmds.append(("tabs", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "tabs", a, k, ["tabs"])
            let labels = try self.rt.collect(try args.required("tabs")).map { v throws(PyErr) in try self.rt.str(v) }
            if labels.isEmpty { throw self.apiError("The input argument to st.tabs must contain at least one tab label.") }
            let block = Element("tabs", isBlock: true)
            var out: [Value] = []
            for l in labels {
                let tab = Element("tab", [("label", .string(l))], isBlock: true)
                block.adopt(tab)
                out.append(self.dgValue(tab))
            }
            self.emit(block, dg)
            return .obj(PyList(out))
        }))
        cmds.append(("form", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "form", a, k, ["key", "clear_on_submit", "border"])
            let key = try self.rt.str(try args.required("key"))
            if self.enclosingForm(self.parentBlock(dg)) != nil { throw self.apiError("Forms cannot be nested in other forms.") }
            if self.forms[key] != nil {
                throw self.rt.raise(self.duplicateWidgetID, "There are multiple identical forms with `key='\(key)'`.\n\nTo fix this, please make sure that the `key` argument is unique for each\n`st.form` you create.")
            }
            let block = Element("form", [("key", .string(key)), ("clear_on_submit", .bool(try args.bool("clear_on_submit", false)))], isBlock: true)
            self.forms[key] = block
            return self.emit(block, dg)
        }))
        cmds.append(("write", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "write", a, k, [], varargs: true)
            _ = k.first { $0.0 != "unsafe_allow_html" }.map { _ in () }
            try self.write(dg, args.rest)
            return .none
        }))
        cmds.append(("echo", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "echo", a, k, ["code_location"])
            let below = (try args.string("code_location", "above") ?? "above") == "below"
            return .obj(PyNative(cls: self.echoClass, payload: EchoPayload(dg: dg, below: below)))
        }))
        cmds.append(("spinner", { _, a, k throws(PyErr) in
            let args = try Args(self.rt, "spinner", a, k, ["text", "show_time"])
            return .obj(PyNative(cls: self.spinnerClass, payload: SpinnerPayload(text: try args.string("text", "In progress...") ?? "")))
        }))
        return cmds
    }

    func isInSidebar(_ b: Element) -> Bool {
        var p: Element? = b
        while let x = p { if x === recorder.sidebar { return true }; p = x.parent }
        return false
    }

    /// `st.write(*args)`: strings (joined with spaces) become one markdown element, tables become
    /// `dataframe`, dicts and lists `json`, exceptions `exception`, functions/classes/modules
    /// `help`, anything else markdown of its str in backticks: Streamlit's delegation.
    func write(_ dg: DGPayload, _ values: [Value]) throws(PyErr) {
        var buffer: [String] = []
        func flush() {
            if buffer.isEmpty { return }
            place(Element("markdown", [("body", .string(buffer.joined(separator: " ")))]), dg)
            buffer = []
        }
        for v in values {
            if let s = v.asStr { buffer.append(s.value); continue }
            if let n = v.asObject as? PyNative, n.cls === sessionStateClass {
                flush(); emit(Element("json", [("body", try json(.obj(sessionState))), ("expanded", .bool(true))]), dg); continue
            }
            if try isDataFrameLike(v) {
                flush()
                if let t = try table(v) { emit(Element("dataframe", tableFields(t)), dg) }
                continue
            }
            if case .obj(let o) = v {
                if let inst = o as? PyInstance, inst.exception != nil {
                    flush(); emit(try exceptionElement(v), dg); continue
                }
                switch o.kind {
                case .dict, .list:
                    flush(); emit(Element("json", [("body", try json(v)), ("expanded", .bool(true))]), dg); continue
                case .function, .builtin, .boundMethod, .cls, .module:
                    flush(); emit(try helpElement(v), dg); continue
                default: break
                }
            }
            buffer.append("`" + (try rt.str(v)).replacingOccurrences(of: "`", with: "\\`") + "`")
        }
        flush()
    }
}

final class EchoPayload {
    let dg: DGPayload
    let below: Bool
    var code = ""
    init(dg: DGPayload, below: Bool) { self.dg = dg; self.below = below }
}

final class SpinnerPayload {
    let text: String
    init(text: String) { self.text = text }
}
