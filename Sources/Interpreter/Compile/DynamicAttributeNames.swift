/// The attribute name of a `getattr`/`hasattr`/`setattr` call site and the cache for it. With
/// a computed name (`getattr(o, name)`), the few name strings a site sees each get a cache,
/// found by the string object's identity (names usually come from the same literals) or, failing
/// that, by equal text; past `limit` names the last entry is reused.
final class DynamicAttributeNames {
    private static let limit = 8
    private let constant: (String, AttrCache)?
    private let nameArgument: ExprBox?
    private var names: [PyStr] = []
    private var entries: [(String, AttrCache)] = []

    init(constant name: String) {
        constant = (name, AttrCache())
        nameArgument = nil
    }

    init(nameArgument: ExprBox) {
        constant = nil
        self.nameArgument = nameArgument
    }

    /// The name argument's value (nothing for a constant name).
    @inline(__always)
    func evaluate(_ fp: Frame) throws(PyErr) -> Value {
        guard let arg = nameArgument else { return .none }
        return try arg.run(fp)
    }

    @inline(__always)
    func resolve(_ fp: Frame, _ rt: Runtime) throws(PyErr) -> (String, AttrCache) {
        if let constant { return constant }
        return try resolve(try evaluate(fp), rt)
    }

    /// The name and cache for an evaluated name argument.
    @inline(__always)
    func resolve(_ v: Value, _ rt: Runtime) throws(PyErr) -> (String, AttrCache) {
        if let constant { return constant }
        guard case .obj(let o) = v, o.kind == .str else {
            throw rt.typeError("attribute name must be string, not '\(rt.typeName(v))'")
        }
        let s = unsafeDowncast(o, to: PyStr.self)
        for i in 0..<names.count where names[i] === s { return entries[i] }
        return lookUp(s)
    }

    @inline(never)
    private func lookUp(_ s: PyStr) -> (String, AttrCache) {
        for i in 0..<names.count where names[i].equals(s) {
            names[i] = s
            return entries[i]
        }
        let entry = (s.value, AttrCache())
        if names.count < DynamicAttributeNames.limit {
            names.append(s)
            entries.append(entry)
        } else {
            names[names.count - 1] = s
            entries[entries.count - 1] = entry
        }
        return entry
    }
}
