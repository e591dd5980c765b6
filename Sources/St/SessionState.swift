import Interpreter

// `st.session_state`: a dict-like object with attribute access (SPEC §2). Values of keyed
// widgets live under their keys.
extension StApp {
    static let sessionStateDocs = "https://docs.streamlit.io/develop/concepts/architecture/session-state#initialization"

    func setState(_ key: String, _ value: Value) throws(PyErr) {
        if let w = widgets[key], w.key == key {
            throw apiError("`st.session_state.\(key)` cannot be modified after the widget with key `\(key)` is instantiated.")
        }
        if let w = widgets[key] ?? lastRunWidgets[key], w.key == key, w.isButton || w.isUploader {
            throw apiError("Values for st.button, st.download_button, st.file_uploader, st.data_editor, st.chat_input, and st.form cannot be set using st.session_state.")
        }
        userSetKeys.insert(key)
        sessionState.setStr(key, value)
    }

    func installSessionStateClass() {
        let cls = sessionStateClass
        func keyString(_ v: Value) throws(PyErr) -> String {
            if let s = v.asStr { return s.value }
            return try rt.str(v)
        }
        let defs: [(String, NativeFunction)] = [
            ("__getattr__", { args, _ throws(PyErr) in
                let k = try keyString(args.count > 1 ? args[1] : .none)
                if let v = self.sessionState.getStr(k) { return v }
                throw self.rt.attributeError("st.session_state has no attribute \"\(k)\". Did you forget to initialize it? More info: \(StApp.sessionStateDocs)")
            }),
            ("__setattr__", { args, _ throws(PyErr) in
                guard args.count == 3 else { throw self.rt.typeError("expected 2 arguments") }
                try self.setState(try keyString(args[1]), args[2])
                return .none
            }),
            ("__delattr__", { args, _ throws(PyErr) in
                let k = try keyString(args.count > 1 ? args[1] : .none)
                if !self.sessionState.removeStr(k) {
                    throw self.rt.attributeError("st.session_state has no attribute \"\(k)\". Did you forget to initialize it? More info: \(StApp.sessionStateDocs)")
                }
                return .none
            }),
            ("__getitem__", { args, _ throws(PyErr) in
                let k = try keyString(args.count > 1 ? args[1] : .none)
                if let v = self.sessionState.getStr(k) { return v }
                throw self.rt.keyError(.str("st.session_state has no key \"\(k)\". Did you forget to initialize it? More info: \(StApp.sessionStateDocs)"))
            }),
            ("__setitem__", { args, _ throws(PyErr) in
                guard args.count == 3 else { throw self.rt.typeError("expected 2 arguments") }
                try self.setState(try keyString(args[1]), args[2])
                return .none
            }),
            ("__delitem__", { args, _ throws(PyErr) in
                let k = try keyString(args.count > 1 ? args[1] : .none)
                if !self.sessionState.removeStr(k) {
                    throw self.rt.keyError(.str("st.session_state has no key \"\(k)\". Did you forget to initialize it? More info: \(StApp.sessionStateDocs)"))
                }
                return .none
            }),
            ("__contains__", { args, _ throws(PyErr) in
                guard args.count > 1, let s = args[1].asStr else { return .bool(false) }
                return .bool(self.sessionState.getStr(s.value) != nil)
            }),
            ("__len__", { _, _ throws(PyErr) in .int(self.sessionState.count) }),
            ("__iter__", { _, _ throws(PyErr) in
                try self.rt.call(self.rt.builtins["iter"] ?? .none, [.obj(PyList(self.sessionState.items.map { $0.0 }))])
            }),
            ("__repr__", { _, _ throws(PyErr) in .str(try self.rt.repr(.obj(self.sessionState))) }),
            ("__str__", { _, _ throws(PyErr) in .str(try self.rt.repr(.obj(self.sessionState))) }),
            ("to_dict", { _, _ throws(PyErr) in .obj(self.sessionState.copy()) }),
            ("keys", { _, _ throws(PyErr) in try self.rt.call(try self.rt.getAttr(.obj(self.sessionState.copy()), "keys"), []) }),
            ("values", { _, _ throws(PyErr) in try self.rt.call(try self.rt.getAttr(.obj(self.sessionState.copy()), "values"), []) }),
            ("items", { _, _ throws(PyErr) in try self.rt.call(try self.rt.getAttr(.obj(self.sessionState.copy()), "items"), []) }),
            ("get", { args, _ throws(PyErr) in
                let k = try keyString(args.count > 1 ? args[1] : .none)
                return self.sessionState.getStr(k) ?? (args.count > 2 ? args[2] : .none)
            }),
            ("setdefault", { args, _ throws(PyErr) in
                let k = try keyString(args.count > 1 ? args[1] : .none)
                if let v = self.sessionState.getStr(k) { return v }
                let v = args.count > 2 ? args[2] : .none
                try self.setState(k, v)
                return v
            }),
            ("pop", { args, _ throws(PyErr) in
                let k = try keyString(args.count > 1 ? args[1] : .none)
                if let v = self.sessionState.getStr(k) { _ = self.sessionState.removeStr(k); return v }
                if args.count > 2 { return args[2] }
                throw self.rt.keyError(.str(k))
            }),
            ("update", { args, kwargs throws(PyErr) in
                if args.count > 1, let d = args[1].asDict {
                    for (k, v) in d.items { try self.setState(try keyString(k), v) }
                }
                for (k, v) in kwargs { try self.setState(k, v) }
                return .none
            }),
            ("clear", { _, _ throws(PyErr) in self.sessionState.clear(); return .none }),
        ]
        for (n, fn) in defs { cls.setAttribute(n, .obj(PyBuiltin(n, fn))) }
    }
}
