import Foundation
import Interpreter

// The `st` module object and the classes of the objects it hands out.
extension StApp {
    func allCommands() -> [(String, Command)] {
        elementCommands() + layoutCommands() + widgetCommands()
    }

    func makeModule() -> PyModule {
        let main = DGPayload(.cursor)
        var functions: [(String, NativeFunction)] = allCommands().map { name, cmd in
            (name, { args, kwargs throws(PyErr) in try cmd(main, args, kwargs) })
        }
        functions += [
            ("stop", { _, _ throws(PyErr) in throw self.rt.raise(self.stopException, args: []) }),
            ("rerun", { _, _ throws(PyErr) in try self.rerun() }),
            ("experimental_rerun", { _, _ throws(PyErr) in try self.rerun() }),
            ("experimental_get_query_params", { args, kwargs throws(PyErr) in
                _ = try Args(self.rt, "experimental_get_query_params", args, kwargs, [])
                let d = PyDict()
                for (k, vs) in self.queryParams { d.setStr(k, .obj(PyList(vs.map { .str($0) }))) }
                return .obj(d)
            }),
            ("experimental_set_query_params", { args, kwargs throws(PyErr) in
                _ = try Args(self.rt, "experimental_set_query_params", args, [], [])
                var params: [(String, [String])] = []
                for (k, v) in kwargs {
                    if v.asList != nil || v.asTuple != nil {
                        params.append((k, try self.rt.collect(v).map { x throws(PyErr) in try self.rt.str(x) }))
                    } else {
                        params.append((k, [try self.rt.str(v)]))
                    }
                }
                self.queryParams = params
                return .none
            }),
        ]
        let m = rt.makeNativeModule("streamlit", functions: functions, constants: [
            ("sidebar", sidebarDG),
            ("session_state", .obj(PyNative(cls: sessionStateClass, payload: self))),
            ("StopException", .obj(stopException)),
            ("RerunException", .obj(rerunException)),
            ("StreamlitAPIException", .obj(apiException)),
            ("DuplicateWidgetID", .obj(duplicateWidgetID)),
            ("cache_data", cacheAPI(.data, nil)),
            ("cache_resource", cacheAPI(.resource, nil)),
            ("experimental_memo", cacheAPI(.data, "experimental_memo")),
            ("experimental_singleton", cacheAPI(.resource, "experimental_singleton")),
            ("__version__", .str("1.36.0")),
        ])
        let v1 = rt.makeNativeModule("streamlit.components.v1", functions: [
            ("html", { args, kwargs throws(PyErr) in
                let a = try Args(self.rt, "html", args, kwargs, ["html", "width", "height", "scrolling"])
                return self.emit(Element("html", [("body", .string(try a.string("html", "") ?? "")), ("height", try self.json(a.given("height") ?? .int(150)))]), main)
            }),
            ("iframe", { args, kwargs throws(PyErr) in
                let a = try Args(self.rt, "iframe", args, kwargs, ["src", "width", "height", "scrolling"])
                return self.emit(Element("iframe", [("src", .string(try a.string("src", "") ?? "")), ("height", try self.json(a.given("height") ?? .int(150)))]), main)
            }),
        ])
        let components = rt.makeNativeModule("streamlit.components", functions: [], constants: [("v1", .obj(v1))])
        m.set("components", .obj(components))
        rt.nativeModules["streamlit.components"] = { _ in components }
        rt.nativeModules["streamlit.components.v1"] = { _ in v1 }
        return m
    }

    func rerun() throws(PyErr) -> Value {
        if inCallback {
            emit(Element("warning", [("body", .string("Calling st.rerun() within a callback is a no-op.")), ("icon", .null)]), DGPayload(.cursor))
            return .none
        }
        throw rt.raise(rerunException, args: [])
    }

    func cacheAPI(_ kind: CacheKind, _ deprecated: String?) -> Value {
        .obj(PyNative(cls: kind == .data ? cacheDataAPIClass : cacheResourceAPIClass, payload: CacheAPIPayload(kind: kind, deprecatedName: deprecated)))
    }

    private func method(_ cls: PyClass, _ name: String, _ fn: @escaping NativeFunction) {
        cls.setAttribute(name, .obj(PyBuiltin(name, fn)))
    }

    func installDeltaGeneratorClass() {
        for (name, cmd) in allCommands() {
            method(dgClass, name) { args, kwargs throws(PyErr) in
                let p = try self.payload(args.first ?? .none)
                return try cmd(p, Array(args.dropFirst()), kwargs)
            }
        }
        method(dgClass, "__enter__") { args, _ throws(PyErr) in
            let p = try self.payload(args.first ?? .none)
            switch p.place {
            case .cursor: self.recorder.push(self.recorder.main)
            case .sidebar: self.recorder.push(self.recorder.sidebar)
            case .block(let b): self.recorder.push(b)
            case .slot(let e):
                throw self.apiError("`\(e.type)` is not a container: use it with `with` only if it is a block such as st.container() or st.empty().")
            }
            return args[0]
        }
        method(dgClass, "__exit__") { args, _ throws(PyErr) in
            let p = try self.payload(args.first ?? .none)
            switch p.place {
            case .cursor: self.recorder.pop(self.recorder.main)
            case .sidebar: self.recorder.pop(self.recorder.sidebar)
            case .block(let b): self.recorder.pop(b)
            case .slot: break
            }
            return .bool(false)
        }
        method(dgClass, "__repr__") { args, _ throws(PyErr) in
            let p = try self.payload(args.first ?? .none)
            switch p.place {
            case .cursor: return .str("DeltaGenerator()")
            case .sidebar: return .str("DeltaGenerator(sidebar)")
            case .block(let b), .slot(let b): return .str("DeltaGenerator(\(b.type))")
            }
        }
        method(echoClass, "__enter__") { args, _ throws(PyErr) in
            guard case .obj(let o)? = args.first, let n = o as? PyNative, let e = n.payload as? EchoPayload else { return .none }
            e.code = self.blockSource(self.rt.withSite)
            if !e.below { self.emit(Element("code", [("body", .string(e.code)), ("language", .string("python"))]), e.dg) }
            return .none
        }
        method(echoClass, "__exit__") { args, _ throws(PyErr) in
            guard case .obj(let o)? = args.first, let n = o as? PyNative, let e = n.payload as? EchoPayload else { return .bool(false) }
            if e.below { self.emit(Element("code", [("body", .string(e.code)), ("language", .string("python"))]), e.dg) }
            return .bool(false)
        }
        // A spinner is transient: it shows while its block runs and leaves nothing in the tree.
        method(spinnerClass, "__enter__") { _, _ throws(PyErr) in .none }
        method(spinnerClass, "__exit__") { _, _ throws(PyErr) in .bool(false) }
    }

    /// The source lines of the `with` block starting at `site`, dedented (for st.echo).
    func blockSource(_ site: WithSite) -> String {
        guard let lines = rt.sources[site.filename], site.bodyLine >= 1, site.bodyLine <= lines.count else { return "" }
        func indent(_ s: Substring) -> Int { s.prefix { $0 == " " || $0 == "\t" }.count }
        let first = lines[site.bodyLine - 1]
        let width = indent(first)
        var out: [Substring] = []
        var i = site.bodyLine - 1
        while i < lines.count {
            let l = lines[i]
            let blank = l.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" }
            if !blank && indent(l) < width { break }
            out.append(blank ? "" : l.dropFirst(width))
            i += 1
        }
        while let last = out.last, last.isEmpty { out.removeLast() }
        return out.joined(separator: "\n")
    }
}
