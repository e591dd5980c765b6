import Foundation
import Interpreter

// The widgets: identity, value across reruns, callbacks, forms (SPEC §2).
extension StApp {
    /// What a widget command passes to `widget(...)`.
    struct WidgetSpec {
        var type: String
        var label: String
        var key: String?
        /// Parameters that make up the generated id and are shown in the element.
        var params: [(String, JSON)]
        var defaultValue: Value
        var expects: String
        var coerce: (Value) throws(PyErr) -> Value
        var callback: Value? = nil
        var callbackArgs: [Value] = []
        var callbackKwargs: KwArgs = []
        var help: String? = nil
        var disabled = false
    }

    func duplicateMessage(_ type: String, key: String?) -> String {
        if let key {
            return "There are multiple widgets with the same `key='\(key)'`.\n\nTo fix this, please make sure that the `key` argument is unique for each\nwidget you create."
        }
        return "There are multiple identical `st.\(type)` widgets with the\nsame generated key.\n\nWhen a widget is created, it's assigned an internal key based on\nits structure. Multiple widgets with an identical structure will\nresult in the same internal key, which causes this error.\n\nTo fix this error, please pass a unique `key` argument to\n`st.\(type)`."
    }

    /// Registers a widget in this run, records its element and returns its current value.
    func widget(_ dg: DGPayload, _ given: WidgetSpec, _ args: Args? = nil, serialize: ((Value) throws(PyErr) -> JSON)? = nil, replaying: Bool = false) throws(PyErr) -> Value {
        var spec = given
        if let args {
            spec.help = try args.string("help")
            spec.disabled = try args.bool("disabled", false)
        }
        // Inside cached calls: replayed only when every enclosing cached call allows widgets;
        // otherwise a warning element (which is replayed) stands before the widget.
        var recordWidget = false
        if !captures.isEmpty && !replaying {
            if captures.allSatisfy(\.allowWidgets) {
                if spec.type == "file_uploader" || spec.type == "camera_input", let c = captures.last {
                    throw apiError("`st.\(spec.type)` can't be used in `\(c.functionName)()`, a function cached with `experimental_allow_widgets=True`: uploaded files cannot take part in widget replay. Move the `st.\(spec.type)()` call outside `\(c.functionName)()`.")
                }
                recordWidget = true
            } else if let c = captures.last {
                emit(Element("exception", [("exception_type", .string("CachedStFunctionWarning")),
                                           ("message", .string(StApp.cachedWidgetWarning(spec.type, c.functionName, c.kind)))]), dg)
            }
        }
        let parent = parentBlock(dg)
        let form = enclosingForm(parent)
        let formKey = form.flatMap { $0["key"]?.stringValue }
        // The generated id covers the type, label, parameters, default and help, as Streamlit's.
        let generated = "\(spec.type)-\(spec.label)-" + JSON.object(spec.params).text + "-" + (try json(spec.defaultValue)).text
            + "-" + (spec.help ?? "") + (formKey.map { "-form:\($0)" } ?? "")
        let id = spec.key ?? generated
        if widgets[id] != nil { throw rt.raise(duplicateWidgetID, duplicateMessage(spec.type, key: spec.key)) }
        if form != nil, spec.callback != nil, spec.type != "form_submit_button" {
            throw apiError("With forms, callbacks can only be defined on the `st.form_submit_button`. Defining callbacks on other widgets inside a form is not allowed.")
        }
        if form == nil, spec.type == "form_submit_button" {
            throw apiError("`st.form_submit_button()` must be used inside an `st.form()`.\nFor more information, refer to the [documentation for forms](https://docs.streamlit.io/library/api-reference/control-flow/st.form).")
        }
        if form != nil, spec.type == "button" || spec.type == "download_button" {
            throw apiError("`st.\(spec.type)()` can't be used in an `st.form()`.\nFor more information, refer to the [documentation for forms](https://docs.streamlit.io/library/api-reference/control-flow/st.form).")
        }
        var value: Value
        let meta = WidgetMeta(id: id, type: spec.type, label: spec.label, key: spec.key, form: formKey, callback: spec.callback,
                              callbackArgs: spec.callbackArgs, callbackKwargs: spec.callbackKwargs, expects: spec.expects,
                              disabled: spec.disabled, coerce: spec.coerce)
        if let key = spec.key, meta.isButton || meta.isUploader, userSetKeys.contains(key) {
            throw apiError("Values for st.button, st.download_button, st.file_uploader, st.data_editor, st.chat_input, and st.form cannot be set using st.session_state.")
        }
        if meta.isButton {
            value = .bool(clicked.contains(id))
            if let key = spec.key { sessionState.setStr(key, value); widgetKeys.insert(key) }
        } else if let key = spec.key {
            value = sessionState.getStr(key) ?? spec.defaultValue
            sessionState.setStr(key, value)
            widgetKeys.insert(key)
        } else {
            value = widgetValues[id] ?? spec.defaultValue
            widgetValues[id] = value
        }
        let shownValue: JSON
        if let serialize { shownValue = try serialize(value) } else { shownValue = try json(value) }
        var fields: [(String, JSON)] = [("label", .string(spec.label)), ("value", shownValue),
                                        ("key", spec.key.map { .string($0) } ?? .null)]
        fields += spec.params
        if spec.disabled { fields.append(("disabled", .bool(true))) }
        // An uploaded file is read afresh in every run.
        if meta.isUploader { value = freshUploads(value) }
        if let formKey { fields.append(("form", .string(formKey))) }
        let element = Element(spec.type, fields)
        element.widgetID = id
        emit(element, dg, record: recordWidget || replaying, widget: spec)
        if recordWidget || replaying { for c in captures where c.allowWidgets { c.widgetIDs.append(id) } }
        widgets[id] = meta
        widgetOrder.append(id)
        return value
    }

    /// The callback parameters (`on_change`/`on_click`, `args`, `kwargs`) of a widget call.
    func callback(_ args: Args, _ name: String) throws(PyErr) -> (Value?, [Value], KwArgs) {
        guard let f = args.given(name) else { return (nil, [], []) }
        let a = try args.given("args").map { v throws(PyErr) in try rt.collect(v) } ?? []
        var kw: KwArgs = []
        if let d = args.given("kwargs")?.asDict {
            for (k, v) in d.items { kw.append((try rt.str(k), v)) }
        }
        return (f, a, kw)
    }

    func setError(_ what: String, _ expected: String, _ got: Value) -> PyErr {
        rt.valueError("\(what) expects \(expected), got \((try? rt.repr(got)) ?? "?")")
    }

    func number(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        default: return nil
        }
    }

    func widgetCommands() -> [(String, Command)] {
        var cmds: [(String, Command)] = []
        let common = ["key", "help", "on_change", "args", "kwargs", "disabled", "label_visibility"]

        for name in ["button", "form_submit_button", "download_button"] {
            let params: [String]
            switch name {
            case "download_button": params = ["label", "data", "file_name", "mime", "key", "help", "on_click", "args", "kwargs", "type", "disabled", "use_container_width"]
            case "form_submit_button": params = ["label", "help", "on_click", "args", "kwargs", "type", "disabled", "use_container_width"]
            default: params = ["label", "key", "help", "on_click", "args", "kwargs", "type", "disabled", "use_container_width"]
            }
            cmds.append((name, { dg, a, k throws(PyErr) in
                let args = try Args(self.rt, name, a, k, params)
                let label = try args.string("label", name == "form_submit_button" ? "Submit" : nil) ?? ""
                if name != "form_submit_button", args["label"] == nil {
                    throw self.rt.typeError("\(name)() missing 1 required positional argument: 'label'")
                }
                var extra: [(String, JSON)] = []
                if name == "download_button" {
                    let data = try args.required("data")
                    let shown: JSON
                    if let s = data.asStr { shown = .string(s.value) } else if case .obj(let o) = data, o.kind == .bytes {
                        shown = try self.mediaSource(data)
                    } else { shown = try self.json(data) }
                    extra = [("data", shown), ("file_name", .string(try args.string("file_name", "download") ?? "download")),
                             ("mime", try args.given("mime").map { v throws(PyErr) in .string(try self.rt.str(v)) } ?? .null)]
                }
                if name == "form_submit_button" {
                    extra.append(("button_type", .string(try args.string("type", "secondary") ?? "secondary")))
                }
                let (cb, cbArgs, cbKw) = try self.callback(args, "on_click")
                let spec = WidgetSpec(type: name, label: label, key: name == "form_submit_button" ? nil : try args.key(), params: extra,
                                      defaultValue: .bool(false), expects: "a click", coerce: { v throws(PyErr) in v },
                                      callback: cb, callbackArgs: cbArgs, callbackKwargs: cbKw)
                return try self.widget(dg, spec, args)
            }))
        }

        for name in ["checkbox", "toggle"] {
            cmds.append((name, { dg, a, k throws(PyErr) in
                let args = try Args(self.rt, name, a, k, ["label", "value"] + common)
                let label = try self.rt.str(try args.required("label"))
                let (cb, cbArgs, cbKw) = try self.callback(args, "on_change")
                let spec = WidgetSpec(type: name, label: label, key: try args.key(), params: [], defaultValue: .bool(try args.bool("value", false)),
                                      expects: "True or False", coerce: { v throws(PyErr) in
                                          guard case .bool = v else { throw self.setError(name, "True or False", v) }
                                          return v
                                      }, callback: cb, callbackArgs: cbArgs, callbackKwargs: cbKw)
                return try self.widget(dg, spec, args)
            }))
        }

        for name in ["radio", "selectbox"] {
            let params = ["label", "options", "index", "format_func", "key", "help", "on_change", "args", "kwargs", "placeholder", "disabled", "label_visibility", "horizontal", "captions"]
            cmds.append((name, { dg, a, k throws(PyErr) in
                let args = try Args(self.rt, name, a, k, params)
                let label = try self.rt.str(try args.required("label"))
                let options = try self.rt.collect(args.given("options") ?? .obj(PyList([])))
                let shown = try self.formatOptions(options, args.given("format_func"))
                var def: Value = options.first ?? .none
                if let iv = args["index"] {
                    switch iv {
                    case .none: def = .none
                    case .int(let i):
                        if options.isEmpty { def = .none; break }
                        guard i >= 0, i < options.count else {
                            throw self.apiError(name == "radio" ? "Radio index must be between 0 and length of options" : "Selectbox index must be greater than or equal to 0 and less than the length of options.")
                        }
                        def = options[i]
                    default: throw self.apiError("\(name == "radio" ? "Radio" : "Selectbox") Value has invalid type: \(self.rt.typeName(iv))")
                    }
                }
                let (cb, cbArgs, cbKw) = try self.callback(args, "on_change")
                let expects = "one of " + (try self.rt.repr(.obj(PyList(options))))
                let spec = WidgetSpec(type: name, label: label, key: try args.key(), params: [("options", .array(shown.map { .string($0) }))],
                                      defaultValue: def, expects: expects, coerce: { v throws(PyErr) in
                                          for o in options where try self.rt.equal(o, v) { return o }
                                          throw self.setError(name, expects, v)
                                      }, callback: cb, callbackArgs: cbArgs, callbackKwargs: cbKw)
                return try self.widget(dg, spec, args)
            }))
        }

        cmds.append(("multiselect", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "multiselect", a, k, ["label", "options", "default", "format_func", "key", "help", "on_change", "args", "kwargs", "max_selections", "placeholder", "disabled", "label_visibility"])
            let label = try self.rt.str(try args.required("label"))
            let options = try self.rt.collect(args.given("options") ?? .obj(PyList([])))
            let shown = try self.formatOptions(options, args.given("format_func"))
            var def: [Value] = []
            if let d = args.given("default") {
                let items = d.asList != nil || d.asTuple != nil ? try self.rt.collect(d) : [d]
                for v in items {
                    guard try self.indexIn(options, v) != nil else {
                        throw self.apiError("The default value '\(try self.rt.str(v))' is not part of the options. Please make sure that every default values also exists in the options.")
                    }
                    def.append(v)
                }
            }
            let maxSel = args.given("max_selections").flatMap { v -> Int? in if case .int(let i) = v { return i } else { return nil } }
            if let m = maxSel, def.count > m {
                throw self.apiError("Multiselect has \(def.count) options selected but `max_selections`\nis set to \(m). This happened because you either gave too many options to `default`\nor you manipulated the widget's state through `st.session_state`. Note that\nthe latter can happen before the line indicating the error.\nPlease select at most \(m) options.")
            }
            let (cb, cbArgs, cbKw) = try self.callback(args, "on_change")
            let expects = "a list of items from " + (try self.rt.repr(.obj(PyList(options))))
            let spec = WidgetSpec(type: "multiselect", label: label, key: try args.key(), params: [("options", .array(shown.map { .string($0) }))],
                                  defaultValue: .obj(PyList(def)), expects: expects, coerce: { v throws(PyErr) in
                                      guard v.asList != nil || v.asTuple != nil else { throw self.setError("multiselect", expects, v) }
                                      var out: [Value] = []
                                      for x in try self.rt.collect(v) {
                                          guard let i = try self.indexIn(options, x) else { throw self.setError("multiselect", expects, v) }
                                          let o = options[i]
                                          out.append(o)
                                      }
                                      if let m = maxSel, out.count > m { throw self.rt.valueError("multiselect allows at most \(m) selections") }
                                      return .obj(PyList(out))
                                  }, callback: cb, callbackArgs: cbArgs, callbackKwargs: cbKw)
            // A fresh list each run: the caller may mutate what it gets.
            let v = try self.widget(dg, spec, args)
            if let l = v.asList { return .obj(PyList(l.items)) }
            return v
        }))

        cmds.append(("slider", { dg, a, k throws(PyErr) in try self.slider(dg, a, k) }))
        cmds.append(("select_slider", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "select_slider", a, k, ["label", "options", "value", "format_func"] + common)
            let label = try self.rt.str(try args.required("label"))
            let options = try self.rt.collect(args.given("options") ?? .obj(PyList([])))
            if options.isEmpty { throw self.apiError("The `options` argument needs to be non-empty") }
            let shown = try self.formatOptions(options, args.given("format_func"))
            func find(_ v: Value) throws(PyErr) -> Value? {
                for o in options where try self.rt.equal(o, v) { return o }
                return nil
            }
            var def: Value = options[0]
            var isRange = false
            if let v = args.given("value") {
                if v.asList != nil || v.asTuple != nil {
                    let pair = try self.rt.collect(v)
                    guard pair.count == 2, let lo = try find(pair[0]), let hi = try find(pair[1]) else {
                        throw self.apiError("Every selectbox value must be one of the options")
                    }
                    def = .obj(PyTuple([lo, hi])); isRange = true
                } else {
                    guard let o = try find(v) else { throw self.apiError("Every selectbox value must be one of the options") }
                    def = o
                }
            }
            let (cb, cbArgs, cbKw) = try self.callback(args, "on_change")
            let expects = (isRange ? "a pair of items from " : "one of ") + (try self.rt.repr(.obj(PyList(options))))
            let spec = WidgetSpec(type: "select_slider", label: label, key: try args.key(), params: [("options", .array(shown.map { .string($0) }))],
                                  defaultValue: def, expects: expects, coerce: { v throws(PyErr) in
                                      if isRange {
                                          let pair = (v.asList != nil || v.asTuple != nil) ? try self.rt.collect(v) : []
                                          guard pair.count == 2, let lo = try find(pair[0]), let hi = try find(pair[1]) else { throw self.setError("select_slider", expects, v) }
                                          return .obj(PyTuple([lo, hi]))
                                      }
                                      guard let o = try find(v) else { throw self.setError("select_slider", expects, v) }
                                      return o
                                  }, callback: cb, callbackArgs: cbArgs, callbackKwargs: cbKw)
            return try self.widget(dg, spec, args)
        }))

        cmds.append(("number_input", { dg, a, k throws(PyErr) in try self.numberInput(dg, a, k) }))

        for name in ["text_input", "text_area"] {
            let params = name == "text_input"
                ? ["label", "value", "max_chars", "key", "type", "help", "autocomplete", "on_change", "args", "kwargs", "placeholder", "disabled", "label_visibility"]
                : ["label", "value", "height", "max_chars", "key", "help", "on_change", "args", "kwargs", "placeholder", "disabled", "label_visibility"]
            cmds.append((name, { dg, a, k throws(PyErr) in
                let args = try Args(self.rt, name, a, k, params)
                let label = try self.rt.str(try args.required("label"))
                let def: Value = args["value"].map { v in if case .none = v { return Value.none } else { return .str((try? self.rt.str(v)) ?? "") } } ?? .str("")
                let maxChars = args.given("max_chars").flatMap { v -> Int? in if case .int(let i) = v { return i } else { return nil } }
                if let m = maxChars, let s = def.asStr, s.value.count > m {
                    throw self.apiError("`\(name)` has a `max_chars` of \(m) but the default `value` has \(s.value.count) characters.")
                }
                let (cb, cbArgs, cbKw) = try self.callback(args, "on_change")
                var params: [(String, JSON)] = []
                if let m = maxChars { params.append(("max_chars", .int(m))) }
                if name == "text_input", let t = try args.string("type"), t == "password" { params.append(("input_type", .string(t))) }
                let spec = WidgetSpec(type: name, label: label, key: try args.key(), params: params, defaultValue: def,
                                      expects: "a str", coerce: { v throws(PyErr) in
                                          guard let s = v.asStr else { throw self.setError(name, "a str", v) }
                                          if let m = maxChars, s.value.count > m { throw self.rt.valueError("\(name) allows at most \(m) characters") }
                                          return v
                                      }, callback: cb, callbackArgs: cbArgs, callbackKwargs: cbKw)
                return try self.widget(dg, spec, args)
            }))
        }

        cmds.append(("color_picker", { dg, a, k throws(PyErr) in
            let args = try Args(self.rt, "color_picker", a, k, ["label", "value"] + common)
            let label = try self.rt.str(try args.required("label"))
            let def = try args.string("value", "#000000") ?? "#000000"
            func valid(_ s: String) -> Bool {
                let hex = s.dropFirst()
                return s.hasPrefix("#") && (hex.count == 6 || hex.count == 3) && hex.allSatisfy(\.isHexDigit)
            }
            guard valid(def) else { throw self.apiError("'\(def)' is not a valid hex code for colors. Valid ones are like '#00FFAA' or '#000'.") }
            let (cb, cbArgs, cbKw) = try self.callback(args, "on_change")
            let spec = WidgetSpec(type: "color_picker", label: label, key: try args.key(), params: [], defaultValue: .str(def),
                                  expects: "a hex colour like '#00ffaa'", coerce: { v throws(PyErr) in
                                      guard let s = v.asStr, valid(s.value) else { throw self.setError("color_picker", "a hex colour like '#00ffaa'", v) }
                                      return v
                                  }, callback: cb, callbackArgs: cbArgs, callbackKwargs: cbKw)
            return try self.widget(dg, spec, args)
        }))

        cmds.append(("date_input", { dg, a, k throws(PyErr) in try self.dateInput(dg, a, k) }))
        cmds.append(("time_input", { dg, a, k throws(PyErr) in try self.timeInput(dg, a, k) }))

        for name in ["file_uploader", "camera_input"] {
            let params = name == "file_uploader"
                ? ["label", "type", "accept_multiple_files", "key", "help", "on_change", "args", "kwargs", "disabled", "label_visibility"]
                : ["label", "key", "help", "on_change", "args", "kwargs", "disabled", "label_visibility"]
            cmds.append((name, { dg, a, k throws(PyErr) in
                let args = try Args(self.rt, name, a, k, params)
                let label = try self.rt.str(try args.required("label"))
                let multiple = try args.bool("accept_multiple_files", false)
                var types: [String]? = nil
                if let t = args.given("type") {
                    let raw = t.asStr != nil ? [try self.rt.str(t)] : try self.rt.collect(t).map { v throws(PyErr) in try self.rt.str(v) }
                    types = raw.map { $0.hasPrefix(".") ? String($0.dropFirst()).lowercased() : $0.lowercased() }
                }
                let (cb, cbArgs, cbKw) = try self.callback(args, "on_change")
                var params: [(String, JSON)] = []
                if let types { params.append(("accept", .array(types.map { .string($0) }))) }
                if multiple { params.append(("multiple", .bool(true))) }
                let spec = WidgetSpec(type: name, label: label, key: try args.key(), params: params,
                                      defaultValue: multiple ? .obj(PyList([])) : .none, expects: "an upload",
                                      coerce: { v throws(PyErr) in
                                          // An upload step passes one file; check its type here.
                                          if let types, let f = v.asNative(uploaded: self.uploadedFileClass) {
                                              let ext = (f.name as NSString).pathExtension.lowercased()
                                              if !types.contains(ext) { throw self.rt.valueError("\(f.name): \(ext.isEmpty ? "no" : ext) files are not allowed (accepted: \(types.joined(separator: ", ")))") }
                                          }
                                          return multiple ? .obj(PyList([v])) : v
                                      }, callback: cb, callbackArgs: cbArgs, callbackKwargs: cbKw)
                return try self.widget(dg, spec, args)
            }))
        }
        return cmds
    }

    func freshUploads(_ v: Value) -> Value {
        if let f = v.asUploadedFile { return uploadedFile(UploadedFilePayload(name: f.name, data: f.data, mimeType: f.mimeType)) }
        if let l = v.asList { return .obj(PyList(l.items.map { freshUploads($0) })) }
        return v
    }

    func indexIn(_ options: [Value], _ v: Value) throws(PyErr) -> Int? {
        for (i, o) in options.enumerated() where try rt.equal(o, v) { return i }
        return nil
    }

    /// The labels options are shown with (`format_func`, default str).
    func formatOptions(_ options: [Value], _ formatFunc: Value?) throws(PyErr) -> [String] {
        try options.map { o throws(PyErr) in
            if let f = formatFunc { return try rt.str(try rt.call(f, [o])) }
            return try rt.str(o)
        }
    }
}
