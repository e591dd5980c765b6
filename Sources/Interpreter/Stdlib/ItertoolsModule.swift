// `_itertools`: CPython's itertools as native iterators (stdlib/itertools.st re-exports them
// and adds `chain.from_iterable`). Native rather than generator functions in stlang: a
// generator body costs a thread hand-off per item, these cost a closure call.
extension Runtime {
    func makeItertoolsModule() -> PyModule {
        var classes: [String: PyClass] = [:]
        let iterNext = types.iterator.lookup("__next__") ?? .none
        let iterSelf = types.iterator.lookup("__iter__") ?? .none
        func cls(_ name: String) -> PyClass {
            if let c = classes[name] { return c }
            let c = PyClass(name: name, base: types.object, isBuiltin: true, moduleName: "itertools")
            c.setAttribute("__next__", iterNext)
            c.setAttribute("__iter__", iterSelf)
            classes[name] = c
            return c
        }
        func iterator(_ name: String, _ next: @escaping () throws(PyErr) -> Value?) -> Value {
            .obj(PyIterator(cls: cls(name), next))
        }
        func count(_ name: String, _ v: Value) throws(PyErr) -> Int {
            guard case .int(let n) = v else {
                if case .bool(let b) = v { return b ? 1 : 0 }
                throw typeError("'\(typeName(v))' object cannot be interpreted as an integer")
            }
            return n
        }
        func r(_ name: String, _ v: Value?, _ n: Int) throws(PyErr) -> Int {
            guard let v, !v.isNone else { return n }
            let k = try count(name, v)
            if k < 0 { throw valueError("r must be non-negative") }
            return k
        }

        func combinations(_ name: String, replacement: Bool) -> NativeFunction {
            { args, kwargs throws(PyErr) in
                let kw = try self.keywords(name, kwargs, ["iterable", "r"])
                try self.argCount(name, args, 0, 2)
                guard let source = args.first ?? kw["iterable"], let rv = args.count > 1 ? args[1] : kw["r"] else {
                    throw self.typeError("\(name)() missing required argument 'r' (pos 2)")
                }
                let pool = try self.collect(source)
                return try self.combinations(pool, try r(name, rv, 0), replacement: replacement, iterator)
            }
        }

        let functions: [(String, NativeFunction)] = [
            ("count", { args, kwargs throws(PyErr) in
                let kw = try self.keywords("count", kwargs, ["start", "step"])
                try self.argCount("count", args, 0, 2)
                var current = args.first ?? kw["start"] ?? .int(0)
                let step = args.count > 1 ? args[1] : kw["step"] ?? .int(1)
                for v in [current, step] {
                    switch v {
                    case .int, .float, .bool: continue
                    default: if v.bigIntValue == nil { throw self.typeError("a number is required") }
                    }
                }
                return iterator("count") { () throws(PyErr) -> Value? in
                    let v = current
                    current = try self.add(current, step)
                    return v
                }
            }),
            ("cycle", { args, kwargs throws(PyErr) in
                try self.noKwargs("cycle", kwargs)
                try self.argCount("cycle", args, 1, 1)
                let it = try self.iterator(of: args[0])
                var saved: [Value] = []
                var index = -1
                return iterator("cycle") { () throws(PyErr) -> Value? in
                    if index < 0 {
                        if let v = try self.nextItem(it) {
                            saved.append(v)
                            return v
                        }
                        if saved.isEmpty { return nil }
                        index = 0
                    }
                    let v = saved[index]
                    index = (index + 1) % saved.count
                    return v
                }
            }),
            ("repeat", { args, kwargs throws(PyErr) in
                let kw = try self.keywords("repeat", kwargs, ["object", "times"])
                try self.argCount("repeat", args, 0, 2)
                guard let object = args.first ?? kw["object"] else { throw self.typeError("repeat() missing required argument 'object' (pos 1)") }
                let timesValue = args.count > 1 ? args[1] : kw["times"]
                var remaining = try timesValue.map { v throws(PyErr) in max(0, try count("repeat", v)) } ?? -1
                return iterator("repeat") { () -> Value? in
                    if remaining == 0 { return nil }
                    if remaining > 0 { remaining -= 1 }
                    return object
                }
            }),
            ("accumulate", { args, kwargs throws(PyErr) in
                let kw = try self.keywords("accumulate", kwargs, ["iterable", "func", "initial"])
                try self.argCount("accumulate", args, 1, 2)
                let it = try self.iterator(of: args[0])
                let fn = args.count > 1 ? args[1] : kw["func"] ?? .none
                var total: Value? = (kw["initial"]?.isNone ?? true) ? nil : kw["initial"]
                var pendingInitial = total != nil
                return iterator("accumulate") { () throws(PyErr) -> Value? in
                    if pendingInitial {
                        pendingInitial = false
                        return total
                    }
                    guard let v = try self.nextItem(it) else { return nil }
                    if let t = total {
                        total = fn.isNone ? try self.add(t, v) : try self.call(fn, [t, v])
                    } else {
                        total = v
                    }
                    return total
                }
            }),
            ("_chain", { args, kwargs throws(PyErr) in
                try self.noKwargs("chain", kwargs)
                var sources = args.makeIterator()
                var current: Value?
                return iterator("chain") { () throws(PyErr) -> Value? in
                    while true {
                        if let c = current, let v = try self.nextItem(c) { return v }
                        guard let next = sources.next() else { return nil }
                        current = try self.iterator(of: next)
                    }
                }
            }),
            ("_chain_from_iterable", { args, kwargs throws(PyErr) in
                try self.noKwargs("from_iterable", kwargs)
                try self.argCount("from_iterable", args, 1, 1)
                let sources = try self.iterator(of: args[0])
                var current: Value?
                return iterator("chain") { () throws(PyErr) -> Value? in
                    while true {
                        if let c = current, let v = try self.nextItem(c) { return v }
                        guard let next = try self.nextItem(sources) else { return nil }
                        current = try self.iterator(of: next)
                    }
                }
            }),
            ("islice", { args, kwargs throws(PyErr) in
                try self.noKwargs("islice", kwargs)
                try self.argCount("islice", args, 2, 4)
                let it = try self.iterator(of: args[0])
                func bound(_ v: Value, _ what: String) throws(PyErr) -> Int? {
                    if v.isNone { return nil }
                    guard case .int(let n) = v, n >= 0 else {
                        throw self.valueError("\(what) argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
                    }
                    return n
                }
                var start = 0, step = 1
                let stop: Int?
                if args.count == 2 {
                    stop = try bound(args[1], "Stop")
                } else {
                    start = try bound(args[1], "Indices") ?? 0
                    stop = try bound(args[2], "Stop")
                    if args.count > 3 {
                        if args[3].isNone { step = 1 } else {
                            guard case .int(let s) = args[3], s > 0 else {
                                throw self.valueError("Step for islice() must be a positive integer or None.")
                            }
                            step = s
                        }
                    }
                }
                var position = 0
                var nextWanted = start
                return iterator("islice") { () throws(PyErr) -> Value? in
                    while true {
                        if let stop, nextWanted >= stop {
                            // CPython consumes up to `stop` so the source is left where it ends.
                            while position < stop, try self.nextItem(it) != nil { position += 1 }
                            return nil
                        }
                        guard let v = try self.nextItem(it) else { return nil }
                        position += 1
                        if position - 1 == nextWanted {
                            nextWanted += step
                            return v
                        }
                    }
                }
            }),
            ("takewhile", { args, kwargs throws(PyErr) in
                try self.noKwargs("takewhile", kwargs)
                try self.argCount("takewhile", args, 2, 2)
                let pred = args[0], it = try self.iterator(of: args[1])
                var done = false
                return iterator("takewhile") { () throws(PyErr) -> Value? in
                    if done { return nil }
                    guard let v = try self.nextItem(it) else { return nil }
                    if try self.truthy(try self.call(pred, [v])) { return v }
                    done = true
                    return nil
                }
            }),
            ("dropwhile", { args, kwargs throws(PyErr) in
                try self.noKwargs("dropwhile", kwargs)
                try self.argCount("dropwhile", args, 2, 2)
                let pred = args[0], it = try self.iterator(of: args[1])
                var dropping = true
                return iterator("dropwhile") { () throws(PyErr) -> Value? in
                    while let v = try self.nextItem(it) {
                        if dropping, try self.truthy(try self.call(pred, [v])) { continue }
                        dropping = false
                        return v
                    }
                    return nil
                }
            }),
            ("filterfalse", { args, kwargs throws(PyErr) in
                try self.noKwargs("filterfalse", kwargs)
                try self.argCount("filterfalse", args, 2, 2)
                let pred = args[0], it = try self.iterator(of: args[1])
                return iterator("filterfalse") { () throws(PyErr) -> Value? in
                    while let v = try self.nextItem(it) {
                        let keep = pred.isNone ? try self.truthy(v) : try self.truthy(try self.call(pred, [v]))
                        if !keep { return v }
                    }
                    return nil
                }
            }),
            ("starmap", { args, kwargs throws(PyErr) in
                try self.noKwargs("starmap", kwargs)
                try self.argCount("starmap", args, 2, 2)
                let fn = args[0], it = try self.iterator(of: args[1])
                return iterator("starmap") { () throws(PyErr) -> Value? in
                    guard let v = try self.nextItem(it) else { return nil }
                    return try self.call(fn, try self.collect(v))
                }
            }),
            ("compress", { args, kwargs throws(PyErr) in
                try self.noKwargs("compress", kwargs)
                try self.argCount("compress", args, 2, 2)
                let data = try self.iterator(of: args[0]), selectors = try self.iterator(of: args[1])
                return iterator("compress") { () throws(PyErr) -> Value? in
                    while let v = try self.nextItem(data) {
                        guard let s = try self.nextItem(selectors) else { return nil }
                        if try self.truthy(s) { return v }
                    }
                    return nil
                }
            }),
            ("pairwise", { args, kwargs throws(PyErr) in
                try self.noKwargs("pairwise", kwargs)
                try self.argCount("pairwise", args, 1, 1)
                let it = try self.iterator(of: args[0])
                var previous: Value?
                var started = false
                return iterator("pairwise") { () throws(PyErr) -> Value? in
                    if !started {
                        started = true
                        previous = try self.nextItem(it)
                    }
                    guard let a = previous, let b = try self.nextItem(it) else { previous = nil; return nil }
                    previous = b
                    return .obj(PyTuple([a, b]))
                }
            }),
            ("zip_longest", { args, kwargs throws(PyErr) in
                let kw = try self.keywords("zip_longest", kwargs, ["fillvalue"])
                let fill = kw["fillvalue"] ?? .none
                var its: [Value?] = []
                for a in args { its.append(try self.iterator(of: a)) }
                var active = its.count
                return iterator("zip_longest") { () throws(PyErr) -> Value? in
                    if its.isEmpty || active == 0 { return nil }
                    var row: [Value] = []
                    for i in its.indices {
                        if let it = its[i], let v = try self.nextItem(it) {
                            row.append(v)
                        } else {
                            if its[i] != nil { its[i] = nil; active -= 1 }
                            if active == 0 { return nil }
                            row.append(fill)
                        }
                    }
                    return .obj(PyTuple(row))
                }
            }),
            ("product", { args, kwargs throws(PyErr) in
                let kw = try self.keywords("product", kwargs, ["repeat"])
                let times = try kw["repeat"].map { v throws(PyErr) in try count("product", v) } ?? 1
                if times < 0 { throw self.valueError("repeat argument cannot be negative") }
                var pools: [[Value]] = []
                for a in args { pools.append(try self.collect(a)) }
                pools = Array(repeating: pools, count: times).flatMap { $0 }
                var indices = Array(repeating: 0, count: pools.count)
                var done = pools.contains { $0.isEmpty }
                var first = true
                return iterator("product") { () -> Value? in
                    if done { return nil }
                    if first {
                        first = false
                    } else {
                        var i = pools.count - 1
                        while i >= 0 {
                            indices[i] += 1
                            if indices[i] < pools[i].count { break }
                            indices[i] = 0
                            i -= 1
                        }
                        if i < 0 { done = true; return nil }
                    }
                    return .obj(PyTuple(indices.enumerated().map { pools[$0.offset][$0.element] }))
                }
            }),
            ("permutations", { args, kwargs throws(PyErr) in
                let kw = try self.keywords("permutations", kwargs, ["iterable", "r"])
                try self.argCount("permutations", args, 0, 2)
                guard let source = args.first ?? kw["iterable"] else { throw self.typeError("permutations() missing required argument 'iterable' (pos 1)") }
                let pool = try self.collect(source)
                let n = pool.count
                let k = try r("permutations", args.count > 1 ? args[1] : kw["r"], n)
                // CPython's algorithm (itertools docs): lexicographic by position.
                var indices = Array(0..<n)
                var cycles = Array(stride(from: n, to: n - k, by: -1))
                var done = k > n
                var first = true
                return iterator("permutations") { () -> Value? in
                    if done { return nil }
                    if first {
                        first = false
                        return .obj(PyTuple(indices.prefix(k).map { pool[$0] }))
                    }
                    var i = k - 1
                    while i >= 0 {
                        cycles[i] -= 1
                        if cycles[i] == 0 {
                            let moved = indices.remove(at: i)
                            indices.append(moved)
                            cycles[i] = n - i
                        } else {
                            let j = cycles[i]
                            indices.swapAt(i, n - j)
                            return .obj(PyTuple(indices.prefix(k).map { pool[$0] }))
                        }
                        i -= 1
                    }
                    done = true
                    return nil
                }
            }),
            ("combinations", combinations("combinations", replacement: false)),
            ("combinations_with_replacement", combinations("combinations_with_replacement", replacement: true)),
            ("groupby", { args, kwargs throws(PyErr) in
                let kw = try self.keywords("groupby", kwargs, ["iterable", "key"])
                try self.argCount("groupby", args, 0, 2)
                guard let source = args.first ?? kw["iterable"] else { throw self.typeError("groupby() missing required argument 'iterable' (pos 1)") }
                let keyFn = args.count > 1 ? args[1] : kw["key"] ?? .none
                let state = GroupByState(try self.iterator(of: source))
                func keyOf(_ v: Value) throws(PyErr) -> Value { keyFn.isNone ? v : try self.call(keyFn, [v]) }
                func advance() throws(PyErr) -> Bool {
                    guard let v = try self.nextItem(state.source) else { state.exhausted = true; return false }
                    state.currentValue = v
                    state.currentKey = try keyOf(v)
                    return true
                }
                return iterator("groupby") { () throws(PyErr) -> Value? in
                    if state.exhausted { return nil }
                    if state.currentKey == nil {
                        guard try advance() else { return nil }
                    } else if let target = state.groupKey {
                        // Skip what is left of the current group.
                        while let k = state.currentKey, try self.equal(k, target) {
                            guard try advance() else { return nil }
                        }
                    }
                    guard let key = state.currentKey else { return nil }
                    state.groupKey = key
                    state.generation += 1
                    let generation = state.generation
                    var first = true
                    let group = iterator("_grouper") { () throws(PyErr) -> Value? in
                        guard generation == state.generation, !state.exhausted else { return nil }
                        if first {
                            first = false
                        } else {
                            guard try advance() else { return nil }
                        }
                        guard let k = state.currentKey, try self.equal(k, key) else { return nil }
                        return state.currentValue
                    }
                    return .obj(PyTuple([key, group]))
                }
            }),
            ("tee", { args, kwargs throws(PyErr) in
                try self.noKwargs("tee", kwargs)
                try self.argCount("tee", args, 1, 2)
                let n = args.count > 1 ? try count("tee", args[1]) : 2
                if n < 0 { throw self.valueError("n must be >= 0") }
                let source = try self.iterator(of: args[0])
                // Items read from the source, and how far each copy has got.
                var buffer: [Value] = []
                var offset = 0
                var positions = Array(repeating: 0, count: n)
                var copies: [Value] = []
                for i in 0..<n {
                    copies.append(iterator("_tee") { () throws(PyErr) -> Value? in
                        let p = positions[i]
                        if p - offset == buffer.count {
                            guard let v = try self.nextItem(source) else { return nil }
                            buffer.append(v)
                        }
                        let v = buffer[p - offset]
                        positions[i] = p + 1
                        // Drop what every copy has read.
                        let low = positions.min() ?? 0
                        if low - offset > 64 {
                            buffer.removeFirst(low - offset)
                            offset = low
                        }
                        return v
                    })
                }
                return .obj(PyTuple(copies))
            }),
        ]
        return makeNativeModule("_itertools", functions: functions)
    }

    /// combinations / combinations_with_replacement, in CPython's (lexicographic) order.
    private func combinations(_ pool: [Value], _ k: Int, replacement: Bool,
                              _ iterator: (String, @escaping () throws(PyErr) -> Value?) -> Value) throws(PyErr) -> Value {
        let n = pool.count
        var indices = replacement ? Array(repeating: 0, count: k) : Array(0..<k)
        var done = replacement ? (n == 0 && k > 0) : k > n
        var first = true
        let name = replacement ? "combinations_with_replacement" : "combinations"
        return iterator(name) { () -> Value? in
            if done { return nil }
            if first {
                first = false
                return .obj(PyTuple(indices.map { pool[$0] }))
            }
            var i = k - 1
            if replacement {
                while i >= 0 && indices[i] == n - 1 { i -= 1 }
                if i < 0 { done = true; return nil }
                let v = indices[i] + 1
                for j in i..<k { indices[j] = v }
            } else {
                while i >= 0 && indices[i] == i + n - k { i -= 1 }
                if i < 0 { done = true; return nil }
                indices[i] += 1
                for j in (i + 1)..<max(k, i + 1) { indices[j] = indices[j - 1] + 1 }
            }
            return .obj(PyTuple(indices.map { pool[$0] }))
        }
    }
}

/// groupby's shared position: the item under the cursor and the group being handed out.
private final class GroupByState {
    let source: Value
    var currentKey: Value?
    var currentValue: Value = .none
    var groupKey: Value?
    var generation = 0
    var exhausted = false
    init(_ source: Value) { self.source = source }
}
