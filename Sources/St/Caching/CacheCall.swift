import Foundation
import Interpreter

// One call of a cached function (CACHING.md B §3 with Part A's decisions): key, lookup, hit
// with replay, or miss with recording.
extension StApp {
    /// The arguments bound to the parameters as a call binds them, defaults filled in, `_`
    /// parameters left out (Part A: f(1), f(a=1) and f(1, b=2) with default b=2 share a key).
    /// nil when the call does not fit the signature (the call itself then reports it).
    func boundArguments(_ f: Value, _ args: [Value], _ kwargs: KwArgs) -> [(String, Value)]? {
        guard let fn = f.asFunction else {
            return args.enumerated().map { ("\($0.offset)", $0.element) } + kwargs.sorted { $0.0 < $1.0 }
        }
        let code = fn.code
        let names = code.positionalNames
        if kwargs.isEmpty, args.count == names.count, code.isSimple {
            var out: [(String, Value)] = []
            out.reserveCapacity(names.count)
            for (n, a) in zip(names, args) where !n.hasPrefix("_") { out.append((n, a)) }
            return out
        }
        var bound: [String: Value] = [:]
        var extra: [Value] = []
        for (i, a) in args.enumerated() {
            if i < names.count { bound[names[i]] = a } else if code.varargsSlot != nil { extra.append(a) } else { return nil }
        }
        var extraKw: [(String, Value)] = []
        for (k, v) in kwargs {
            let isPositional = names.firstIndex(of: k).map { $0 >= code.positionalOnlyCount } ?? false
            if isPositional || code.keywordOnlyNames.contains(k) {
                if bound[k] != nil { return nil }
                bound[k] = v
            } else if code.kwargsSlot != nil {
                extraKw.append((k, v))
            } else {
                return nil
            }
        }
        let firstDefault = names.count - fn.defaults.count
        for (i, n) in names.enumerated() where bound[n] == nil {
            guard i >= firstDefault else { return nil }
            bound[n] = fn.defaults[i - firstDefault]
        }
        for n in code.keywordOnlyNames where bound[n] == nil {
            guard let d = fn.kwDefaults[n] else { return nil }
            bound[n] = d
        }
        var out: [(String, Value)] = names.map { ($0, bound[$0] ?? .none) }
        for (i, x) in extra.enumerated() { out.append(("*\(i)", x)) }
        out += code.keywordOnlyNames.map { ($0, bound[$0] ?? .none) }
        out += extraKw.sorted { $0.0 < $1.0 }
        return out.filter { !$0.0.hasPrefix("_") }
    }

    static func unhashableMessage(_ arg: String, _ type: String, _ function: String, _ kind: CacheKind) -> String {
        let shownArg = arg.hasPrefix("*") ? "(unnamed)" : arg
        let param = arg.hasPrefix("*") ? "arg" : arg
        return """
        Cannot hash argument '\(shownArg)' (of type `\(type)`) in '\(function)'.

        To address this, you can tell Streamlit not to hash this argument by adding a
        leading underscore to the argument's name in the function signature:

        ```
        @st.\(kind.rawValue)
        def \(function)(_\(param), ...):
            ...
        ```
        """
    }

    /// The entry key of a call; throws UnhashableParamError / UserHashError as Streamlit does.
    func valueKey(_ cf: CachedFunctionPayload, _ args: [Value], _ kwargs: KwArgs) throws(PyErr) -> CacheKey? {
        var h = ValueHasher(rt: rt, hashFuncs: cf.options.hashFuncs)
        // The common call, positional arguments only: hash them where they are.
        if kwargs.isEmpty, let fn = cf.function.asFunction, fn.code.isSimple, args.count == fn.code.positionalNames.count,
           cf.options.hashFuncs.isEmpty {
            h.bytes.reserveCapacity(16 * args.count)
            var ok = true
            for (name, v) in zip(fn.code.positionalNames, args) where !name.hasPrefix("_") {
                h.text(name)
                do throws(ValueHasher.Failure) { try h.add(v) } catch { ok = false; break }
            }
            if ok { return CacheKey(h.bytes) }
            h = ValueHasher(rt: rt, hashFuncs: cf.options.hashFuncs)
        }
        guard let pairs = boundArguments(cf.function, args, kwargs) else { return nil }
        for (name, v) in pairs {
            h.text(name)
            do throws(ValueHasher.Failure) { try h.add(v) } catch {
                switch error {
                case .unhashable:
                    throw rt.raise(unhashableParamError, StApp.unhashableMessage(name, ValueHasher.qualifiedTypeName(rt, v), cf.name, cf.kind))
                case .raised(let e, let fn, let value):
                    let fnName = (try? rt.getAttrOrNil(fn, "__name__"))??.asStr?.value ?? "hash_func"
                    let original = describe(e)
                    let fqn = ValueHasher.qualifiedTypeName(rt, value)
                    throw rt.raise(userHashError, """
                    \(original)

                    This error is likely due to a bug in `\(fnName)()`, which is a
                    user-defined hash function that was passed into the `@st.\(cf.kind.rawValue)` decorator of
                    `\(cf.name)()`.

                    `\(fnName)()` failed when hashing an object of type
                    `\(fqn)`.  If you don't know where that object is coming from,
                    try looking at the hash chain below for an object that you do recognize, then
                    pass that to `hash_funcs` instead:

                    ```
                    Object of type \(fqn): \((try? rt.repr(value)) ?? "?")
                    ```

                    If you think this is actually a Streamlit bug, please
                    [file a bug report here](https://github.com/streamlit/streamlit/issues/new/choose).
                    """)
                }
            }
        }
        return CacheKey(h.bytes)
    }

    /// The second-stage key: the current values of the widgets the body created.
    func widgetKey(_ ids: [String]) -> CacheKey {
        var h = ValueHasher(rt: rt, hashFuncs: [])
        for id in ids.sorted() {
            let v = widgets[id].flatMap { currentValue($0) } ?? lastRunWidgets[id].flatMap { currentValue($0) } ?? widgetValues[id] ?? sessionState.getStr(id)
            guard let v else { continue }
            h.text(id)
            do throws(ValueHasher.Failure) { try h.add(v) } catch { h.tag("?") }
        }
        return CacheKey(h.bytes)
    }

    func event(_ cf: CachedFunctionPayload, hit: Bool, reason: String?, replayed: Int, error: String? = nil) {
        cacheEvent(CacheEvent(function: cf.qualifiedName, hit: hit, reason: reason, replayed: replayed, error: error))
    }

    func release(_ cf: CachedFunctionPayload, _ entries: [CacheEntry]) throws(PyErr) {
        guard let onRelease = cf.options.onRelease else { return }
        for e in entries { _ = try rt.call(onRelease, [e.value]) }
    }

    func isExpired(_ e: CacheEntry, _ options: CacheOptions, now: Double) -> Bool {
        guard let ttl = options.ttl else { return false }
        return now - e.writtenAt >= ttl
    }

    /// What a hit returns: a fresh copy for cache_data, the object itself for cache_resource.
    func result(_ e: CacheEntry) -> Value {
        e.plan.map { $0.materialize(rt) } ?? e.value
    }

    func callCached(_ cf: CachedFunctionPayload, _ args: [Value], _ kwargs: KwArgs) throws(PyErr) -> Value {
        guard let key = try valueKey(cf, args, kwargs) else { return try rt.call(cf.function, args, kwargs) }
        let cache: FunctionCache
        if let c = cf.cache {
            cache = c
        } else {
            let (c, replaced) = caches.cache(kind: cf.kind, functionKey: cf.functionKey, name: cf.name,
                                                qualifiedName: cf.qualifiedName, options: cf.options)
            try release(cf, replaced)
            cf.cache = c
            cache = c
        }
        // The clock is read only when it matters (ttl, or a write).
        lazy var now = rt.clock()
        // Why a miss missed, when it is not simply gone (computed only on a miss).
        var reason: String?
        var widgetEntries: WidgetEntries?
        if let slot = cache.slots[key] {
            var entry: CacheEntry?
            switch slot {
            case .plain(let e): entry = e
            case .widgets(let w):
                widgetEntries = w
                entry = w.results[widgetKey(w.widgetIDs)]
                if entry == nil { reason = "widgets changed" }
            }
            if let e = entry {
                if cf.options.ttl != nil, isExpired(e, cf.options, now: now) {
                    try release(cf, cache.remove(key, reason: "expired"))
                    widgetEntries = nil
                    reason = "expired"
                } else if let validate = cf.options.validate, !(try rt.truthy(try rt.call(validate, [e.value]))) {
                    try release(cf, cache.remove(key, reason: "validate failed"))
                    widgetEntries = nil
                    reason = "validate failed"
                } else {
                    cache.touch(e)
                    var replayed = 0
                    do throws(PyErr) { try replay(e.ops, function: cf.name, kind: cf.kind, replayed: &replayed) } catch {
                        event(cf, hit: true, reason: nil, replayed: replayed, error: error.exc.cls.name)
                        throw error
                    }
                    event(cf, hit: true, reason: nil, replayed: replayed)
                    return result(e)
                }
            }
        } else if cf.options.persist, cf.kind == .data, let disk = diskCache {
            switch disk.read(functionKey: cf.functionKey, valueKey: ValueHasher.digest(key.bytes), app: self) {
            case .found(let value, let ops, let writtenAt):
                let stored = CopyPlan.snapshot(value, rt)
                let e = CacheEntry(plan: CopyPlan.make(stored, rt), value: stored, ops: ops, writtenAt: writtenAt,
                                   size: CopyPlan.estimatedSize(stored))
                cache.slots[key] = .plain(e)
                cache.touch(e)
                try release(cf, cache.evict())
                var replayed = 0
                do throws(PyErr) { try replay(ops, function: cf.name, kind: cf.kind, replayed: &replayed) } catch {
                    event(cf, hit: true, reason: nil, replayed: replayed, error: error.exc.cls.name)
                    throw error
                }
                event(cf, hit: true, reason: nil, replayed: replayed)
                return result(e)
            case .missing:
                break
            case .unreadable(let why):
                rt.stdout.flush()
                rt.stderr.write("stlang: warning: ignoring the persisted cache entry of \(cf.qualifiedName)() (\(why)); recomputing\n")
                rt.stderr.flush()
            }
        }
        // Miss: run the body, recording what it emits.
        let missReason = reason ?? cache.gone[key] ?? (caches.otherSourceHas(key, cf) ? "source changed" : "new key")
        let capture = CacheCapture(functionName: cf.name, kind: cf.kind, allowWidgets: cf.options.allowWidgets)
        // The spinner: a miss of the outermost cached call only, transient (never in the tree).
        let spinner = captures.isEmpty ? spinnerText(cf, args, kwargs) : nil
        if let spinner { onSpinner?(spinner) }
        defer { if spinner != nil { onSpinner?(nil) } }
        captures.append(capture)
        let value: Value
        do throws(PyErr) {
            value = try rt.call(cf.function, args, kwargs)
        } catch {
            captures.removeAll { $0 === capture }
            event(cf, hit: false, reason: missReason, replayed: 0, error: error.exc.cls.name)
            throw error
        }
        captures.removeAll { $0 === capture }
        let entry: CacheEntry
        if cf.kind == .data {
            let stored = CopyPlan.snapshot(value, rt)
            entry = CacheEntry(plan: CopyPlan.make(stored, rt), value: stored, ops: capture.ops, writtenAt: now, size: CopyPlan.estimatedSize(stored))
        } else {
            entry = CacheEntry(plan: nil, value: value, ops: capture.ops, writtenAt: now, size: CopyPlan.estimatedSize(value))
        }
        cache.touch(entry)
        if cf.options.allowWidgets && !capture.widgetIDs.isEmpty {
            let w = widgetEntries ?? WidgetEntries(widgetIDs: [])
            for id in capture.widgetIDs where !w.widgetIDs.contains(id) { w.widgetIDs.append(id) }
            w.results[widgetKey(w.widgetIDs)] = entry
            cache.slots[key] = .widgets(w)
        } else {
            cache.slots[key] = .plain(entry)
        }
        cache.gone[key] = nil
        try release(cf, cache.evict())
        if cf.options.persist, cf.kind == .data, !capture.hasWidgets, let disk = diskCache {
            if let problem = disk.write(functionKey: cf.functionKey, valueKey: ValueHasher.digest(key.bytes), value: entry.value, ops: entry.ops, writtenAt: now, app: self) {
                rt.stdout.flush()
                rt.stderr.write("stlang: warning: could not persist the cache entry of \(cf.qualifiedName)(): \(problem)\n")
                rt.stderr.flush()
            }
        }
        event(cf, hit: false, reason: missReason, replayed: 0)
        return value
    }

    /// ``Running `load_data(...)`.``, the given text, or nil for `show_spinner=False`.
    func spinnerText(_ cf: CachedFunctionPayload, _ args: [Value], _ kwargs: KwArgs) -> String? {
        switch cf.options.showSpinner {
        case .bool(false): return nil
        case .bool(true): return "Running `\(cf.qualifiedName)(\(args.isEmpty && kwargs.isEmpty ? "" : "..."))`."
        default: return cf.options.showSpinner.asStr?.value
        }
    }

    /// The memory caches, one line each: function, kind, entries, bytes, age of the oldest entry.
    public func cacheListing(now: Double) -> [String] {
        caches.all.filter { $0.entryCount > 0 }.map { c in
            let age = c.oldestWrite.map { String(format: "%.1fs", now - $0) } ?? "-"
            return "\(c.name)  \(c.kind.rawValue)  \(c.entryCount) entr\(c.entryCount == 1 ? "y" : "ies")  ~\(c.totalSize) bytes  oldest \(age)"
        }
    }

    /// `f.clear()` (the whole cache of f, disk included) or `f.clear(*args, **kwargs)` (one entry).
    func clear(_ cf: CachedFunctionPayload, _ args: [Value], _ kwargs: KwArgs) throws(PyErr) {
        let matching = caches.caches.values.filter { $0.kind == cf.kind && $0.functionKey == cf.functionKey }
        if args.isEmpty && kwargs.isEmpty {
            for c in matching { try release(cf, c.removeAll(reason: "cleared")) }
            if cf.kind == .data { diskCache?.remove(functionKey: cf.functionKey, valueKey: nil) }
            return
        }
        guard let key = try valueKey(cf, args, kwargs) else {
            _ = try rt.call(cf.function, args, kwargs)   // reports the bad arguments
            return
        }
        for c in matching { try release(cf, c.remove(key, reason: "cleared")) }
        if cf.kind == .data { diskCache?.remove(functionKey: cf.functionKey, valueKey: ValueHasher.digest(key.bytes)) }
    }

    /// `st.cache_data.clear()` / `st.cache_resource.clear()` (resource: on_release runs).
    func clearAll(_ kind: CacheKind) throws(PyErr) {
        for c in caches.caches(of: kind) {
            let gone = c.removeAll(reason: "cleared")
            if kind == .resource, let onRelease = c.options.onRelease {
                for e in gone { _ = try rt.call(onRelease, [e.value]) }
            }
        }
        if kind == .data { diskCache?.removeAll() }
    }

    /// The `clear_cache` step: both kinds.
    public func clearAllCaches() {
        _ = try? clearAll(.data)
        _ = try? clearAll(.resource)
    }
}
