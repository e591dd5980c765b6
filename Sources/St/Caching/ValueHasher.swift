import Interpreter

/// Hashes cache arguments by type and content into bytes that are the same in every process
/// (needed for `persist`): `1`, `1.0`, `True` and `"1"` differ, lists and tuples differ, dicts
/// hash in insertion order, sets order-independently, instances of user classes by class and
/// attributes (CACHING.md Part A). Functions, iterators, files and host objects without a data
/// form are unhashable unless `hash_funcs` maps their type.
struct ValueHasher {
    let rt: Runtime
    /// `hash_funcs`: by class, or by the qualified name string (`"__main__.Conn"`).
    let hashFuncs: [(key: Value, fn: Value)]
    var bytes: [UInt8] = []
    private var active: Set<ObjectIdentifier> = []

    init(rt: Runtime, hashFuncs: [(key: Value, fn: Value)]) {
        self.rt = rt
        self.hashFuncs = hashFuncs
    }

    /// The value that cannot be hashed, when hashing fails for that reason.
    struct Unhashable: Error { let value: Value }

    enum Failure: Error {
        case unhashable(Value)
        case raised(PyErr, hashFunc: Value, value: Value)
    }

    mutating func tag(_ t: String) { bytes += Array(t.utf8) }
    @inline(__always) mutating func byte(_ b: UInt8) { bytes.append(b) }
    /// An int as 8 raw bytes: cheaper than its digits, and still the same in every process.
    @inline(__always) mutating func word(_ i: Int) {
        var v = UInt64(bitPattern: Int64(i))
        for _ in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v)); v >>= 8 }
    }

    mutating func text(_ s: String) {
        word(s.utf8.count)
        bytes += s.utf8
    }

    /// The qualified name of a value's type (`builtins.function`, `__main__.Conn`).
    static func qualifiedTypeName(_ rt: Runtime, _ v: Value) -> String {
        let c = rt.typeOf(v)
        return "\(c.moduleName).\(c.qualname)"
    }

    func hashFunc(for v: Value) -> Value? {
        let cls = rt.typeOf(v)
        let fqn = "\(cls.moduleName).\(cls.qualname)"
        for (k, f) in hashFuncs {
            if let c = k.asClass, cls.isSubclass(of: c) { return f }
            if let s = k.asStr, s.value == fqn || s.value == cls.qualname { return f }
        }
        return nil
    }

    mutating func add(_ v: Value) throws(Failure) {
        if !hashFuncs.isEmpty, let f = hashFunc(for: v) {
            let r: Value
            do throws(PyErr) { r = try rt.call(f, [v]) } catch { throw .raised(error, hashFunc: f, value: v) }
            tag("H")
            try add(r)
            return
        }
        switch v {
        case .none, .undef: byte(0x4E)                       // N
        case .bool(let b): byte(b ? 0x54 : 0x46)              // T / F
        case .int(let i): byte(0x69); word(i)                 // i
        case .float(let d): byte(0x66); word(Int(bitPattern: UInt(d.bitPattern)))  // f
        case .obj(let o):
            if let b = v.asBigInt { tag("I\(b.value);"); return }
            if let s = v.asStr { byte(0x73); text(s.value); return }
            let id = ObjectIdentifier(o)
            if active.contains(id) { tag("@cycle"); return }
            active.insert(id)
            defer { active.remove(id) }
            switch o.kind {
            case .list:
                let items = v.asList?.items ?? []
                tag("l\(items.count)[")
                for x in items { try add(x) }
                tag("]")
            case .tuple:
                let items = v.asTuple?.items ?? []
                tag("t\(items.count)(")
                for x in items { try add(x) }
                tag(")")
            case .dict:
                let items = v.asDict?.items ?? []
                tag("d\(items.count){")
                for (k, x) in items { try add(k); try add(x) }
                tag("}")
            case .set, .frozenset:
                var parts: [[UInt8]] = []
                let items: [Value]
                do throws(PyErr) { items = try rt.collect(v) } catch { throw .unhashable(v) }
                for x in items {
                    var h = ValueHasher(rt: rt, hashFuncs: hashFuncs)
                    try h.add(x)
                    parts.append(h.bytes)
                }
                parts.sort { $0.lexicographicallyPrecedes($1) }
                tag(o.kind == .set ? "S\(parts.count){" : "Z\(parts.count){")
                for p in parts { bytes += p }
                tag("}")
            case .bytes:
                let b = (o as? PyBytes)?.bytes ?? []
                tag("y\(b.count):")
                bytes += b
            case .range:
                guard let r = o as? PyRange else { throw .unhashable(v) }
                tag("r\(r.start),\(r.stop),\(r.step);")
            case .cls:
                // A class hashes by its name only, as in Streamlit.
                let c = unsafeDowncast(o, to: PyClass.self)
                tag("C"); text("\(c.moduleName).\(c.qualname)")
            case .module:
                tag("M"); text(unsafeDowncast(o, to: PyModule.self).name)
            case .instance:
                let inst = unsafeDowncast(o, to: PyInstance.self)
                if inst.exception != nil { throw .unhashable(v) }
                tag("o"); text("\(inst.cls.moduleName).\(inst.cls.qualname)")
                let attrs = inst.attributePairs
                tag("\(attrs.count){")
                for (k, x) in attrs { text(k); try add(x) }
                tag("}")
            case .native:
                if let f = v.asUploadedFile {
                    tag("U"); text(f.name); tag("\(f.position);y\(f.data.count):"); bytes += f.data
                    return
                }
                throw .unhashable(v)
            default:
                throw .unhashable(v)
            }
        }
    }

    /// A stable 128-bit digest of bytes, as hex.
    static func digest(_ bytes: [UInt8]) -> String {
        let h = SHA512.hash(bytes)
        return h.prefix(16).map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined()
    }
}

extension Value {
    var asUploadedFile: UploadedFilePayload? {
        if case .obj(let o) = self, let n = o as? PyNative { return n.payload as? UploadedFilePayload }
        return nil
    }
}
