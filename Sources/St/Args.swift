import Interpreter

/// Binds a native st command's arguments to its parameter names, as a Python call would, so
/// every command checks its arguments the same way and reports Python's TypeError texts.
struct Args {
    let rt: Runtime
    let function: String
    private var values: [String: Value] = [:]
    /// Extra positional arguments, for commands that take `*args` (st.write).
    private(set) var rest: [Value] = []

    init(_ rt: Runtime, _ function: String, _ args: [Value], _ kwargs: KwArgs, _ params: [String], varargs: Bool = false) throws(PyErr) {
        self.rt = rt
        self.function = function
        if args.count > params.count && !varargs {
            throw rt.typeError("\(function)() takes \(params.count) positional argument\(params.count == 1 ? "" : "s") but \(args.count) were given")
        }
        for (i, a) in args.enumerated() {
            if i < params.count { values[params[i]] = a } else { rest.append(a) }
        }
        for (k, v) in kwargs {
            guard params.contains(k) else {
                throw rt.typeError("\(function)() got an unexpected keyword argument '\(k)'")
            }
            if values[k] != nil, args.count > (params.firstIndex(of: k) ?? Int.max) {
                throw rt.typeError("\(function)() got multiple values for argument '\(k)'")
            }
            values[k] = v
        }
    }

    /// The argument, or nil when it was not given.
    subscript(_ name: String) -> Value? { values[name] }

    /// The argument unless it is missing or None.
    func given(_ name: String) -> Value? {
        guard let v = values[name] else { return nil }
        if case .none = v { return nil }
        return v
    }

    func required(_ name: String) throws(PyErr) -> Value {
        guard let v = values[name] else {
            throw rt.typeError("\(function)() missing 1 required positional argument: '\(name)'")
        }
        return v
    }

    /// str(argument), or `def` when missing/None.
    func string(_ name: String, _ def: String? = nil) throws(PyErr) -> String? {
        guard let v = given(name) else { return def }
        return try rt.str(v)
    }

    func bool(_ name: String, _ def: Bool) throws(PyErr) -> Bool {
        guard let v = given(name) else { return def }
        return try rt.truthy(v)
    }

    /// A user key: `key=` must be a str or int (Streamlit's rule); ints are turned into strs.
    func key() throws(PyErr) -> String? {
        guard let v = given("key") else { return nil }
        switch v {
        case .int(let i): return String(i)
        default:
            if let s = v.asStr { return s.value }
            throw rt.typeError("\(function)(): key must be a str or an int, not '\(rt.typeName(v))'")
        }
    }
}
