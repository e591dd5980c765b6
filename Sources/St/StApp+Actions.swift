import Interpreter

// What a session's steps do to the app between runs: set a widget, click a button, submit a
// form, upload a file (SPEC §4).
extension StApp {
    /// The widget of the last run with this key, or with this label.
    public func lastRunWidget(key: String) -> WidgetMeta? {
        lastRunWidgets[key].flatMap { $0.key == key ? $0 : nil }
    }

    public func lastRunWidgets(label: String) -> [WidgetMeta] {
        lastRunWidgetOrder.compactMap { lastRunWidgets[$0] }.filter { $0.label == label }
    }

    /// The widgets of the last run, described for an error message.
    public var lastRunWidgetList: String {
        let ws = lastRunWidgetOrder.compactMap { lastRunWidgets[$0] }
        if ws.isEmpty { return "the last run showed no widgets" }
        return "widgets of the last run: " + ws.map { w in
            "\"\(w.label)\" (\(w.type)" + (w.key.map { ", key \($0)" } ?? "") + ")"
        }.joined(separator: ", ")
    }

    func currentValue(_ w: WidgetMeta) -> Value? {
        if let key = w.key { return sessionState.getStr(key) }
        return widgetValues[w.id]
    }

    func store(_ w: WidgetMeta, _ v: Value) {
        if let key = w.key { sessionState.setStr(key, v); widgetKeys.insert(key) } else { widgetValues[w.id] = v }
    }

    /// Sets a widget's value (already checked by its `coerce`). Inside a form the value waits
    /// for `submit`; returns whether the action starts a run.
    public func set(_ w: WidgetMeta, _ v: Value) throws(PyErr) -> Bool {
        let value = try w.coerce(v)
        if let form = w.form {
            pendingFormValues[form, default: [:]][w.id] = value
            return false
        }
        let old = currentValue(w)
        store(w, value)
        let changed: Bool
        if let old { changed = !(try rt.equal(old, value)) } else { changed = true }
        if changed, let cb = w.callback { pendingCallbacks.append((cb, w.callbackArgs, w.callbackKwargs)) }
        return true
    }

    /// Clicks a button (True for the next run only); a form's submit button submits its form.
    public func click(_ w: WidgetMeta) throws(PyErr) {
        if w.type == "form_submit_button", let form = w.form {
            try applyForm(form)
        }
        clicked.insert(w.id)
        if let cb = w.callback { pendingCallbacks.append((cb, w.callbackArgs, w.callbackKwargs)) }
    }

    /// The submit button of a form in the last run (the first, if there are several).
    public func submitButton(form: String) -> WidgetMeta? {
        lastRunWidgetOrder.compactMap { lastRunWidgets[$0] }.first { $0.type == "form_submit_button" && $0.form == form }
    }

    public var lastRunForms: [String] {
        var seen: [String] = []
        for w in lastRunWidgetOrder.compactMap({ lastRunWidgets[$0] }) { if let f = w.form, !seen.contains(f) { seen.append(f) } }
        return seen
    }

    func applyForm(_ form: String) throws(PyErr) {
        let pending = pendingFormValues[form] ?? [:]
        pendingFormValues[form] = nil
        for id in lastRunWidgetOrder where pending[id] != nil {
            guard let w = lastRunWidgets[id], let v = pending[id] else { continue }
            store(w, v)
        }
    }

    /// Uploads a file to a file_uploader / camera_input.
    public func upload(_ w: WidgetMeta, name: String, data: [UInt8], mimeType: String) throws(PyErr) -> Bool {
        try set(w, uploadedFile(UploadedFilePayload(name: name, data: data, mimeType: mimeType)))
    }

    /// Evaluates a steps VALUE (an stlang literal).
    public func evaluateLiteral(_ source: String) throws(PyErr) -> Value {
        let m = PyModule(name: "__steps__", filename: "<steps>")
        let code = try rt.compile(source: "__value__ = \(source)\n", filename: "<steps>", module: m)
        try rt.run(code, module: m)
        return m.get("__value__") ?? .none
    }

    /// Describes an error raised while applying a step, in one line.
    public func describe(_ e: PyErr) -> String {
        let msg = e.exc.exception?.args.first.flatMap { v -> String? in (try? rt.str(v)) } ?? ""
        return "\(e.exc.cls.name): \(msg)"
    }
}

extension StApp {
    /// Adds the element of an uncaught exception where the run stopped (after `with` blocks
    /// have closed, so in the block open at top level, usually main).
    public func appendUncaught(_ element: Element) {
        recorder.append(element, to: recorder.current)
    }
}
