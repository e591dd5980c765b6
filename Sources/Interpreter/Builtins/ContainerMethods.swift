import BigInt
import Foundation

// Methods of list, tuple, dict (and its views), set, int, float, bytes and iterators.

/// The payload of a dict view (`d.keys()`, `d.values()`, `d.items()`).
final class DictViewPayload {
    enum Kind { case keys, values, items }
    let dict: PyDict
    let kind: Kind
    init(_ d: PyDict, _ kind: Kind) { dict = d; self.kind = kind }
}

extension Runtime {
    /// The dict and kind of a dict view, or nil: loops and builtins iterate a view's entries
    /// directly instead of through its `__iter__`.
    @inline(__always)
    func dictView(_ v: Value) -> DictViewPayload? {
        guard case .obj(let o) = v, o.kind == .native else { return nil }
        let n = unsafeDowncast(o, to: PyNative.self)
        guard n.cls === types.dictItems || n.cls === types.dictKeys || n.cls === types.dictValues else { return nil }
        return unsafeDowncast(n.payload, to: DictViewPayload.self)
    }
}

extension Runtime {
    func installBuiltinMethods() {
        installStringMethods()
        installListMethods()
        installTupleMethods()
        installDictMethods()
        installSetMethods()
        installNumberMethods()
        installFileMethods()
        installGeneratorMethods()
        installUnionTypeMethods()
        methods(types.range, [
            ("index", { args, _ throws(PyErr) in
                guard args.count == 2 else { throw self.typeError("range.index() takes exactly one argument (\(args.count - 1) given)") }
                if try self.contains(args[0], args[1]), case .obj(let o) = args[0], let i = args[1].bigIntValue.flatMap({ Int(exactly: $0) }) {
                    let r = unsafeDowncast(o, to: PyRange.self)
                    let distance = r.step > 0 ? UInt(bitPattern: i &- r.start) : UInt(bitPattern: r.start &- i)
                    return .big(BigInt(distance / r.step.magnitude))
                }
                throw self.valueError("\(try self.repr(args[1])) is not in range")
            }),
            ("count", { args, _ throws(PyErr) in
                guard args.count == 2 else { throw self.typeError("range.count() takes exactly one argument (\(args.count - 1) given)") }
                return .int(try self.contains(args[0], args[1]) ? 1 : 0)
            }),
        ])
        installOperatorDunders()
        installBuiltinSubclassSupport()
        let iterNext = PyBuiltin("__next__") { args, _ throws(PyErr) in
            guard let it = args.first else { throw self.stopIteration() }
            guard let v = try self.nextItem(it) else { throw self.stopIteration(of: it) }
            return v
        }
        let iterSelf = PyBuiltin("__iter__") { args, _ throws(PyErr) in args.first ?? .none }
        for c in [types.iterator, types.generator] {
            c.setAttribute("__next__", .obj(iterNext))
            c.setAttribute("__iter__", .obj(iterSelf))
        }
    }

    /// `seq.index(x[, start[, end]])` for lists and tuples: the first position or nil.
    /// `args` are the method's (receiver, x, start, end).
    func position(of x: Value, in items: [Value], _ args: [Value]) throws(PyErr) -> Int? {
        let n = items.count
        var start = args.count > 2 ? try indexValue(args[2], "slice indices must be integers") : 0
        var end = args.count > 3 ? try indexValue(args[3], "slice indices must be integers") : n
        if start < 0 { start = max(0, start + n) }
        if end < 0 { end = max(0, end + n) }
        var i = start
        while i < min(end, items.count) {
            if try same(items[i], x) { return i }
            i += 1
        }
        return nil
    }

    /// CPython's words for a method of `typeName` called on something else: an ordinary
    /// method "doesn't apply", an operator slot "requires" (`slot`: by default, a dunder name;
    /// `dict.__getitem__` is an ordinary method).
    func descriptorMisuse(_ name: String, _ typeName: String, _ receiver: Value?, slot: Bool? = nil) -> PyErr {
        let isSlot = slot ?? name.hasPrefix("__")
        guard let receiver else {
            if isSlot { return typeError("descriptor '\(name)' of '\(typeName)' object needs an argument") }
            return typeError("unbound method \(typeName).\(name)() needs an argument")
        }
        if isSlot {
            return typeError("descriptor '\(name)' requires a '\(typeName)' object but received a '\(self.typeName(receiver))'")
        }
        return typeError("descriptor '\(name)' for '\(typeName)' objects doesn't apply to a '\(self.typeName(receiver))' object")
    }

    private func methods(_ cls: PyClass, _ defs: [(String, NativeFunction)]) {
        for (name, fn) in defs { cls.setAttribute(name, .obj(PyBuiltin(name, fn))) }
    }

    // MARK: - list

    func installListMethods() {
        func self_(_ args: [Value], _ name: String) throws(PyErr) -> PyList {
            guard let l = args.first?.asList else { throw descriptorMisuse(name, "list", args.first) }
            return l
        }
        methods(types.list, [
            ("append", { args, _ throws(PyErr) in
                let l = try self_(args, "append")
                guard args.count == 2 else { throw self.typeError("list.append() takes exactly one argument (\(args.count - 1) given)") }
                l.items.append(args[1])
                return .none
            }),
            ("extend", { args, _ throws(PyErr) in
                let l = try self_(args, "extend")
                guard args.count == 2 else { throw self.typeError("list.extend() takes exactly one argument (\(args.count - 1) given)") }
                let more = try self.collect(args[1])
                try self.checkItemCount(l.items.count + more.count)
                // One value at a time: append(contentsOf:) copies through the value witness.
                l.items.reserveCapacity(l.items.count + more.count)
                for v in more { l.items.append(v) }
                return .none
            }),
            ("insert", { args, _ throws(PyErr) in
                let l = try self_(args, "insert")
                guard args.count == 3 else { throw self.typeError("insert expected 2 arguments, got \(args.count - 1)") }
                var i = try self.ssizeArgument(args[1])
                let n = l.items.count
                if i < 0 { i = max(0, i + n) }
                l.items.insert(args[2], at: min(i, n))
                return .none
            }),
            ("pop", { args, _ throws(PyErr) in
                let l = try self_(args, "pop")
                var i = args.count > 1 ? try self.ssizeArgument(args[1]) : -1
                if l.items.isEmpty { throw self.indexError("pop from empty list") }
                if i < 0 { i += l.items.count }
                guard i >= 0 && i < l.items.count else { throw self.indexError("pop index out of range") }
                return l.items.remove(at: i)
            }),
            ("remove", { args, _ throws(PyErr) in
                let l = try self_(args, "remove")
                guard args.count == 2 else { throw self.typeError("list.remove() takes exactly one argument (\(args.count - 1) given)") }
                for (i, v) in l.items.enumerated() where try self.same(v, args[1]) {
                    l.items.remove(at: i)
                    return .none
                }
                throw self.valueError("list.remove(x): x not in list")
            }),
            ("index", { args, _ throws(PyErr) in
                let l = try self_(args, "index")
                guard args.count >= 2 else { throw self.typeError("index expected at least 1 argument, got 0") }
                if let i = try self.position(of: args[1], in: l.items, args) { return .int(i) }
                throw self.valueError("\(try self.repr(args[1])) is not in list")
            }),
            ("count", { args, _ throws(PyErr) in
                let l = try self_(args, "count")
                guard args.count == 2 else { throw self.typeError("list.count() takes exactly one argument (\(args.count - 1) given)") }
                var n = 0
                for v in l.items where try self.same(v, args[1]) { n += 1 }
                return .int(n)
            }),
            ("reverse", { args, _ throws(PyErr) in
                try self_(args, "reverse").items.reverse()
                return .none
            }),
            ("clear", { args, _ throws(PyErr) in
                try self_(args, "clear").items.removeAll()
                return .none
            }),
            ("copy", { args, _ throws(PyErr) in
                .obj(PyList(try self_(args, "copy").items))
            }),
            ("sort", { args, kwargs throws(PyErr) in
                let l = try self_(args, "sort")
                if args.count > 1 { throw self.typeError("sort() takes no positional arguments") }
                let kw = try self.keywords("sort", kwargs, ["key", "reverse"])
                var items = l.items
                l.items = []
                defer { if l.items.isEmpty { l.items = items } }
                do throws(PyErr) {
                    try self.sortValues(&items, key: kw["key"] ?? .none, reverse: try self.truthy(kw["reverse"] ?? .bool(false)))
                } catch {
                    throw error
                }
                if !l.items.isEmpty { throw self.valueError("list modified during sort") }
                return .none
            }),
            ("__len__", { args, _ throws(PyErr) in .int(try self_(args, "__len__").items.count) }),
            ("__getitem__", { args, _ throws(PyErr) in try self.getItem(args[0], args.count > 1 ? args[1] : .none) }),
            ("__contains__", { args, _ throws(PyErr) in .bool(try self.contains(args[0], args.count > 1 ? args[1] : .none)) }),
        ])
    }

    // MARK: - tuple

    func installTupleMethods() {
        methods(types.tuple, [
            ("count", { args, _ throws(PyErr) in
                guard let t = args.first?.asTuple, args.count == 2 else { throw self.typeError("tuple.count() takes exactly one argument") }
                var n = 0
                for v in t.items where try self.same(v, args[1]) { n += 1 }
                return .int(n)
            }),
            ("index", { args, _ throws(PyErr) in
                guard let t = args.first?.asTuple, args.count >= 2 else { throw self.typeError("index expected at least 1 argument, got 0") }
                if let i = try self.position(of: args[1], in: t.items, args) { return .int(i) }
                throw self.valueError("tuple.index(x): x not in tuple")
            }),
            ("__len__", { args, _ throws(PyErr) in .int(try self.length(args[0])) }),
            ("__getitem__", { args, _ throws(PyErr) in try self.getItem(args[0], args.count > 1 ? args[1] : .none) }),
        ])
    }

    // MARK: - dict

    func installDictMethods() {
        func self_(_ args: [Value], _ name: String) throws(PyErr) -> PyDict {
            guard let d = args.first?.asDict else { throw descriptorMisuse(name, "dict", args.first) }
            return d
        }
        let keysCls = types.dictKeys, valuesCls = types.dictValues, itemsCls = types.dictItems
        func view(_ cls: PyClass, _ d: PyDict) -> Value {
            let kind: DictViewPayload.Kind = cls === keysCls ? .keys : cls === valuesCls ? .values : .items
            return .obj(PyNative(cls: cls, payload: DictViewPayload(d, kind)))
        }
        methods(types.dict, [
            ("get", { args, _ throws(PyErr) in
                let d = try self_(args, "get")
                guard args.count == 2 || args.count == 3 else { throw self.typeError("get expected at least 1 argument, got 0") }
                return try d.get(args[1], self) ?? (args.count == 3 ? args[2] : .none)
            }),
            ("setdefault", { args, _ throws(PyErr) in
                let d = try self_(args, "setdefault")
                guard args.count >= 2 else { throw self.typeError("setdefault expected at least 1 argument, got 0") }
                guard args.count <= 3 else { throw self.typeError("setdefault expected at most 2 arguments, got \(args.count - 1)") }
                if let v = try d.get(args[1], self) { return v }
                let dv = args.count > 2 ? args[2] : .none
                try d.set(args[1], dv, self)
                return dv
            }),
            ("pop", { args, _ throws(PyErr) in
                let d = try self_(args, "pop")
                guard args.count >= 2 else { throw self.typeError("pop expected at least 1 argument, got 0") }
                guard args.count <= 3 else { throw self.typeError("pop expected at most 2 arguments, got \(args.count - 1)") }
                if let v = try d.remove(args[1], self) { return v }
                if args.count > 2 { return args[2] }
                throw self.keyError(args[1])
            }),
            ("popitem", { args, _ throws(PyErr) in
                let d = try self_(args, "popitem")
                guard let (k, v) = d.popLast() else { throw self.raise(self.types.KeyError, "popitem(): dictionary is empty") }
                return .obj(PyTuple([k, v]))
            }),
            ("keys", { args, _ throws(PyErr) in view(keysCls, try self_(args, "keys")) }),
            ("values", { args, _ throws(PyErr) in view(valuesCls, try self_(args, "values")) }),
            ("items", { args, _ throws(PyErr) in view(itemsCls, try self_(args, "items")) }),
            ("update", { args, kwargs throws(PyErr) in
                let d = try self_(args, "update")
                if args.count > 1 { try self.dictUpdate(d, args[1]) }
                for (k, v) in kwargs { try d.set(.str(k), v, self) }
                return .none
            }),
            ("clear", { args, _ throws(PyErr) in try self_(args, "clear").clear(); return .none }),
            ("copy", { args, _ throws(PyErr) in .obj(try self_(args, "copy").copy()) }),
            ("__len__", { args, _ throws(PyErr) in .int(try self_(args, "__len__").count) }),
            ("__getitem__", { args, _ throws(PyErr) in try self.getItem(args[0], args.count > 1 ? args[1] : .none) }),
            ("__contains__", { args, _ throws(PyErr) in .bool(try self_(args, "__contains__").contains(args.count > 1 ? args[1] : .none, self)) }),
        ])
        types.dict.setAttribute("fromkeys", .obj(PyClassMethod(.obj(PyBuiltin("fromkeys") { args, _ throws(PyErr) in
            guard args.count >= 2 else { throw self.typeError("fromkeys expected at least 1 argument, got 0") }
            let d = PyDict()
            let v = args.count > 2 ? args[2] : .none
            try self.forEach(args[1]) { k throws(PyErr) in try d.set(k, v, self); return true }
            return .obj(d)
        }))))

        func payload(_ args: [Value]) throws(PyErr) -> PyDict {
            guard case .obj(let o)? = args.first, o.kind == .native,
                  let p = unsafeDowncast(o, to: PyNative.self).payload as? DictViewPayload else {
                throw typeError("invalid dict view")
            }
            return p.dict
        }
        let project: [(PyClass, String, (Value, Value) -> Value)] = [
            (keysCls, "dict_keys", { k, _ in k }),
            (valuesCls, "dict_values", { _, v in v }),
            (itemsCls, "dict_items", { k, v in .obj(PyTuple([k, v])) }),
        ]
        installDictViewOperators()
        for (cls, name, f) in project {
            methods(cls, [
                ("__iter__", { args, _ throws(PyErr) in .obj(self.dictIterator(try payload(args), f)) }),
                ("__len__", { args, _ throws(PyErr) in .int(try payload(args).count) }),
                ("__repr__", { args, _ throws(PyErr) in
                    let d = try payload(args)
                    var parts: [String] = []
                    for (k, v) in d.items { parts.append(try self.repr(f(k, v))) }
                    return .str("\(name)([\(parts.joined(separator: ", "))])")
                }),
                ("__contains__", { args, _ throws(PyErr) in
                    let d = try payload(args)
                    let x = args.count > 1 ? args[1] : .none
                    if cls === keysCls { return .bool(try d.contains(x, self)) }
                    if cls === itemsCls, let view = self.dictView(args[0]) { return .bool(try self.viewContains(view, x)) }
                    for (k, v) in d.items where try self.equal(f(k, v), x) { return .bool(true) }
                    return .bool(false)
                }),
                ("__reversed__", { args, _ throws(PyErr) in
                    let d = try payload(args)
                    var items = d.items.map { f($0.0, $0.1) }.makeIterator()
                    var rev = Array(IteratorSequence(items)).reversed().makeIterator()
                    _ = items.next()
                    return .obj(PyIterator(cls: self.types.iterator) { rev.next() })
                }),
            ])
            if cls !== valuesCls {
                cls.setAttribute("__eq__", .obj(PyBuiltin("__eq__") { args, _ throws(PyErr) in
                    let d = try payload(args)
                    let mine = PySet()
                    for (k, v) in d.items { try mine.add(f(k, v), self) }
                    guard args.count > 1 else { return .bool(false) }
                    let o = args[1]
                    if o.asSet == nil && o.asNative(of: cls) == nil { return .obj(self.notImplementedObject) }
                    let other = PySet()
                    try self.setUpdate(other, o)
                    return try self.richCompare(.obj(mine), .obj(other), .eq)
                }))
            }
        }
    }

    // MARK: - set

    func installSetMethods() {
        func self_(_ args: [Value], _ name: String) throws(PyErr) -> PySet {
            guard let s = args.first?.asSet else { throw descriptorMisuse(name, "set", args.first) }
            return s
        }
        func mutable(_ args: [Value], _ name: String) throws(PyErr) -> PySet {
            let s = try self_(args, name)
            if s.kind == .frozenset { throw attributeError("'frozenset' object has no attribute '\(name)'") }
            return s
        }
        func asSet(_ v: Value) throws(PyErr) -> PySet {
            if let s = v.asSet { return s }
            let s = PySet()
            try setUpdate(s, v)
            return s
        }
        func op(_ name: String, _ kind: BinaryOpKind) -> (String, NativeFunction) {
            (name, { args, _ throws(PyErr) in
                var r = try self_(args, name).copy(self)
                if args.count == 1 { return .obj(r) }
                for o in args.dropFirst() { r = try self.setOperation(kind, r, asSet(o)) }
                if args[0].asObject?.kind == .frozenset && r.kind != .frozenset { r = r.copy(frozen: true, self) }
                return .obj(r)
            })
        }
        func updateOp(_ name: String, _ kind: BinaryOpKind) -> (String, NativeFunction) {
            (name, { args, _ throws(PyErr) in
                let s = try mutable(args, name)
                var r = s
                for o in args.dropFirst() { r = try self.setOperation(kind, r, asSet(o)) }
                if r !== s { s.removeAll(); try s.merge(r, self) }
                return .none
            })
        }
        let defs: [(String, NativeFunction)] = [
            ("add", { args, _ throws(PyErr) in
                let s = try mutable(args, "add")
                guard args.count == 2 else { throw self.typeError("set.add() takes exactly one argument (\(args.count - 1) given)") }
                try s.add(args[1], self)
                return .none
            }),
            ("discard", { args, _ throws(PyErr) in
                let s = try mutable(args, "discard")
                guard args.count == 2 else { throw self.typeError("set.discard() takes exactly one argument (\(args.count - 1) given)") }
                try s.discard(args[1], self)
                return .none
            }),
            ("remove", { args, _ throws(PyErr) in
                let s = try mutable(args, "remove")
                guard args.count == 2 else { throw self.typeError("set.remove() takes exactly one argument (\(args.count - 1) given)") }
                if try !s.discard(args[1], self) { throw self.keyError(args[1]) }
                return .none
            }),
            ("pop", { args, _ throws(PyErr) in
                let s = try mutable(args, "pop")
                guard let v = s.popAny() else { throw self.raise(self.types.KeyError, "pop from an empty set") }
                return v
            }),
            ("clear", { args, _ throws(PyErr) in try mutable(args, "clear").removeAll(); return .none }),
            ("copy", { args, _ throws(PyErr) in .obj(try self_(args, "copy").copy(self)) }),
            ("update", { args, _ throws(PyErr) in
                let s = try mutable(args, "update")
                for o in args.dropFirst() { try self.setUpdate(s, o) }
                return .none
            }),
            op("union", .or), op("intersection", .and), op("difference", .sub), op("symmetric_difference", .xor),
            updateOp("intersection_update", .and), updateOp("difference_update", .sub), updateOp("symmetric_difference_update", .xor),
            ("issubset", { args, _ throws(PyErr) in
                try self.richCompare(.obj(try self_(args, "issubset")), .obj(try asSet(args.count > 1 ? args[1] : .none)), .le)
            }),
            ("issuperset", { args, _ throws(PyErr) in
                try self.richCompare(.obj(try self_(args, "issuperset")), .obj(try asSet(args.count > 1 ? args[1] : .none)), .ge)
            }),
            ("isdisjoint", { args, _ throws(PyErr) in
                let s = try self_(args, "isdisjoint")
                let o = try asSet(args.count > 1 ? args[1] : .none)
                for e in o.elements where try s.contains(e, self) { return .bool(false) }
                return .bool(true)
            }),
            ("__len__", { args, _ throws(PyErr) in .int(try self_(args, "__len__").count) }),
            ("__contains__", { args, _ throws(PyErr) in .bool(try self_(args, "__contains__").contains(args.count > 1 ? args[1] : .none, self)) }),
        ]
        methods(types.set, defs)
        methods(types.frozenset, defs.filter { ["copy", "union", "intersection", "difference", "symmetric_difference", "issubset", "issuperset", "isdisjoint", "__len__", "__contains__"].contains($0.0) })
    }

    // MARK: - numbers and bytes

    func installNumberMethods() {
        methods(types.int, [
            ("bit_length", { args, _ throws(PyErr) in
                guard let b = args.first?.bigIntValue else { return .int(0) }
                return .int(b == 0 ? 0 : b.magnitude.bitWidth)
            }),
            ("bit_count", { args, _ throws(PyErr) in
                guard let b = args.first?.bigIntValue else { return .int(0) }
                return .int(b.magnitude.words.reduce(0) { $0 + $1.nonzeroBitCount })
            }),
            ("conjugate", { args, _ throws(PyErr) in try self.positive(args.first ?? .int(0)) }),
            ("__index__", { args, _ throws(PyErr) in try self.positive(args.first ?? .int(0)) }),
            ("to_bytes", { args, kwargs throws(PyErr) in
                guard let b = args.first?.bigIntValue else { return .obj(PyBytes([])) }
                let kw = try self.keywords("to_bytes", kwargs, ["length", "byteorder", "signed"])
                let length = try self.indexValue(args.count > 1 ? args[1] : (kw["length"] ?? .int(1)), "length must be int")
                let little = try self.byteOrderIsLittle(args.count > 2 ? args[2] : kw["byteorder"])
                let signed = try kw["signed"].map { v throws(PyErr) in try self.truthy(v) } ?? false
                return .obj(PyBytes(try self.intToBytes(b, length, little: little, signed: signed)))
            }),
        ])
        types.int.setAttribute("from_bytes", .obj(PyClassMethod(.obj(PyBuiltin("from_bytes") { args, kwargs throws(PyErr) in
            let kw = try self.keywords("from_bytes", kwargs, ["bytes", "byteorder", "signed"])
            guard let source = args.count > 1 ? args[1] : kw["bytes"] else {
                throw self.typeError("from_bytes() missing required argument 'bytes' (pos 1)")
            }
            let bytes: [UInt8]
            if case .obj(let o) = source, o.kind == .bytes {
                bytes = unsafeDowncast(o, to: PyBytes.self).bytes
            } else {
                // Any iterable of ints in range(256), as `bytes(...)` takes.
                guard case .obj(let made) = try self.call(.obj(self.types.bytes), [source]), made.kind == .bytes else {
                    throw self.typeError("cannot convert '\(self.typeName(source))' object to bytes")
                }
                bytes = unsafeDowncast(made, to: PyBytes.self).bytes
            }
            let little = try self.byteOrderIsLittle(args.count > 2 ? args[2] : kw["byteorder"])
            let signed = try kw["signed"].map { v throws(PyErr) in try self.truthy(v) } ?? false
            return .big(Runtime.intFromBytes(bytes, little: little, signed: signed))
        }))))
        methods(types.float, [
            ("is_integer", { args, _ throws(PyErr) in
                guard case .float(let d)? = args.first else { return .bool(false) }
                return .bool(d.isFinite && d.rounded(.towardZero) == d)
            }),
            ("conjugate", { args, _ throws(PyErr) in args.first ?? .float(0) }),
            ("as_integer_ratio", { args, _ throws(PyErr) in
                guard case .float(let d)? = args.first else { return .none }
                if d.isNaN { throw self.valueError("cannot convert NaN to integer ratio") }
                if d.isInfinite { throw self.overflowError("cannot convert Infinity to integer ratio") }
                var num = d, den = BigInt(1)
                var exp = 0
                while num != num.rounded(.towardZero) { num *= 2; exp += 1 }
                den <<= exp
                var n = BigInt(exactly: num) ?? 0
                let g = n.greatestCommonDivisor(with: den)
                n /= g
                den /= g
                return .obj(PyTuple([.big(n), .big(den)]))
            }),
            ("hex", { args, _ throws(PyErr) in
                guard case .float(let d)? = args.first else { return .none }
                return .str(String(format: "%a", d))
            }),
        ])
        methods(types.bytes, [
            ("decode", { args, _ throws(PyErr) in
                guard case .obj(let o)? = args.first, o.kind == .bytes else { return .str("") }
                let b = unsafeDowncast(o, to: PyBytes.self).bytes
                guard let s = String(validating: b, as: UTF8.self) else {
                    throw self.raise(self.types.UnicodeError, "'utf-8' codec can't decode bytes")
                }
                return .str(s)
            }),
            // hex() and hex(sep): two lowercase digits a byte (`bytes_per_sep` is not taken).
            ("hex", { args, _ throws(PyErr) in
                guard case .obj(let o)? = args.first, o.kind == .bytes else { return .str("") }
                try self.argCount("hex", args, 1, 2)
                var sep = ""
                if args.count == 2 {
                    guard let s = args[1].asStr?.value, s.unicodeScalars.count == 1 else {
                        throw self.valueError("sep must be length 1.")
                    }
                    sep = s
                }
                let digits = Array("0123456789abcdef".utf8)
                var out: [UInt8] = []
                for (i, byte) in unsafeDowncast(o, to: PyBytes.self).bytes.enumerated() {
                    if i > 0 && !sep.isEmpty { out.append(contentsOf: sep.utf8) }
                    out.append(digits[Int(byte >> 4)])
                    out.append(digits[Int(byte & 15)])
                }
                return .str(String(decoding: out, as: UTF8.self))
            }),
        ])
    }
}

extension Value {
    /// A native object of class `cls`, if this is one.
    func asNative(of cls: PyClass) -> PyNative? {
        if case .obj(let o) = self, o.kind == .native {
            let n = unsafeDowncast(o, to: PyNative.self)
            if n.cls === cls { return n }
        }
        return nil
    }
}
