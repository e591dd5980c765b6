import Foundation
import Interpreter

/// A decorated function: the wrapped function, its identity and its cache parameters.
final class CachedFunctionPayload {
    let function: Value
    let kind: CacheKind
    let options: CacheOptions
    /// (module, qualified name, source text): editing the source makes a new key (B §2.1).
    let functionKey: String
    let name: String
    let qualifiedName: String
    /// The cache this decoration uses, found on its first call (a decoration lives one run).
    var cache: FunctionCache?
    init(function: Value, kind: CacheKind, options: CacheOptions, functionKey: String, name: String, qualifiedName: String) {
        self.function = function
        self.kind = kind
        self.options = options
        self.functionKey = functionKey
        self.name = name
        self.qualifiedName = qualifiedName
    }
}

/// `st.cache_data` / `st.experimental_memo` / ...: which kind, and the deprecated name if any.
final class CacheAPIPayload {
    let kind: CacheKind
    let deprecatedName: String?
    init(kind: CacheKind, deprecatedName: String?) {
        self.kind = kind
        self.deprecatedName = deprecatedName
    }
}

extension StApp {
    static func deprecationMessage(_ name: String, _ kind: CacheKind) -> String {
        "`st.\(name)` is deprecated. Please use the new command `st.\(kind.rawValue)` instead, which has the same behavior. More information [in our docs](https://docs.streamlit.io/develop/concepts/architecture/caching)."
    }

    func installCacheClasses() {
        for cls in [cacheDataAPIClass, cacheResourceAPIClass] {
            cls.setAttribute("__call__", .obj(PyBuiltin("__call__") { args, kwargs throws(PyErr) in
                guard case .obj(let o)? = args.first, let api = (o as? PyNative)?.payload as? CacheAPIPayload else { throw self.rt.typeError("bad cache API object") }
                return try self.decorate(api, Array(args.dropFirst()), kwargs)
            }))
            cls.setAttribute("clear", .obj(PyBuiltin("clear") { args, kwargs throws(PyErr) in
                guard case .obj(let o)? = args.first, let api = (o as? PyNative)?.payload as? CacheAPIPayload else { throw self.rt.typeError("bad cache API object") }
                _ = try Args(self.rt, "clear", Array(args.dropFirst()), kwargs, [])
                if let d = api.deprecatedName { self.emit(Element("warning", [("body", .string(StApp.deprecationMessage(d, api.kind))), ("icon", .null)]), DGPayload(.cursor)) }
                try self.clearAll(api.kind)
                return .none
            }))
        }
        cachedFuncClass.setAttribute("__call__", .obj(PyBuiltin("__call__") { args, kwargs throws(PyErr) in
            try self.callCached(try self.cachedPayload(args), Array(args.dropFirst()), kwargs)
        }))
        cachedFuncClass.setAttribute("clear", .obj(PyBuiltin("clear") { args, kwargs throws(PyErr) in
            let cf = try self.cachedPayload(args)
            try self.clear(cf, Array(args.dropFirst()), kwargs)
            return .none
        }))
        cachedFuncClass.setAttribute("__getattr__", .obj(PyBuiltin("__getattr__") { args, _ throws(PyErr) in
            let cf = try self.cachedPayload(args)
            let name = args.count > 1 ? try self.rt.str(args[1]) : ""
            if name == "__wrapped__" { return cf.function }
            return try self.rt.getAttr(cf.function, name)
        }))
        cachedFuncClass.setAttribute("__repr__", .obj(PyBuiltin("__repr__") { args, _ throws(PyErr) in
            let cf = try self.cachedPayload(args)
            return .str("<CachedFunc \(cf.kind.rawValue) \(cf.qualifiedName)>")
        }))
    }

    func cachedPayload(_ args: [Value]) throws(PyErr) -> CachedFunctionPayload {
        guard case .obj(let o)? = args.first, let cf = (o as? PyNative)?.payload as? CachedFunctionPayload else {
            throw rt.typeError("expected a cached function")
        }
        return cf
    }

    /// `@st.cache_data`, `@st.cache_data(ttl=...)`, `st.cache_data(f, ttl=...)`.
    func decorate(_ api: CacheAPIPayload, _ args: [Value], _ kwargs: KwArgs) throws(PyErr) -> Value {
        if args.count > 1 { throw rt.typeError("\(api.kind == .data ? "CacheDataAPI" : "CacheResourceAPI").__call__() takes from 1 to 2 positional arguments but \(args.count + 1) were given") }
        let options = try CacheOptions.parse(api.kind, kwargs, self)
        if let d = api.deprecatedName {
            emit(Element("warning", [("body", .string(StApp.deprecationMessage(d, api.kind))), ("icon", .null)]), DGPayload(.cursor))
        }
        if let f = args.first, !(args.first.map { if case .none = $0 { return true } else { return false } } ?? true) {
            return try wrap(f, api.kind, options, memo: api.deprecatedName == "experimental_memo")
        }
        // Called with parameters only: return the decorator.
        return .obj(PyBuiltin(api.kind.rawValue) { a, k throws(PyErr) in
            guard a.count == 1, k.isEmpty else { throw self.rt.typeError("\(api.kind.rawValue)() decorator takes one function") }
            return try self.wrap(a[0], api.kind, options, memo: api.deprecatedName == "experimental_memo")
        })
    }

    func wrap(_ f: Value, _ kind: CacheKind, _ givenOptions: CacheOptions, memo: Bool) throws(PyErr) -> Value {
        var options = givenOptions
        var module = "__main__", qualname = "", name = "", source = ""
        if let fn = f.asFunction {
            module = fn.code.module.name
            qualname = fn.qualname
            name = fn.name
            source = fn.code.sourceText
        } else if case .obj(let o) = f, o.kind == .builtin || o.kind == .boundMethod || o.kind == .native {
            name = (try rt.getAttrOrNil(f, "__name__")).flatMap { $0.asStr?.value } ?? "function"
            qualname = name
        } else {
            throw rt.typeError("\(kind.rawValue) can only decorate a function, not '\(rt.typeName(f))'")
        }
        if options.persist, options.ttl != nil, kind == .data {
            // The seed's rule: ttl is ignored for persistent caches, with a warning each time the
            // decorator is applied.
            rt.stdout.flush()
            rt.stderr.write(memo
                ? "The memoized function '\(name)' has a TTL that will be ignored. Persistent memo caches currently don't support TTL.\n"
                : "The cached function '\(name)' has a TTL that will be ignored. Persistent cached functions currently don't support TTL.\n")
            rt.stderr.flush()
            options.ttl = nil
        }
        let key = ValueHasher.digest(Array("\(module)\u{0}\(qualname)\u{0}\(source)".utf8))
        let payload = CachedFunctionPayload(function: f, kind: kind, options: options, functionKey: key, name: name,
                                            qualifiedName: module == "__main__" ? qualname : "\(module).\(qualname)")
        let native = PyNative(cls: cachedFuncClass, payload: payload)
        native.directCall = { [unowned self] args, kwargs throws(PyErr) in try self.callCached(payload, args, kwargs) }
        return .obj(native)
    }
}
