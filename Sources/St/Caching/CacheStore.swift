import Interpreter

/// One stored result: the value (a copy plan for cache_data, the object for cache_resource)
/// and what the body emitted.
final class CacheEntry {
    let plan: CopyPlan?
    let value: Value
    let ops: [RecordedOp]
    let writtenAt: Double
    let size: Int
    var lastUsed: Int = 0

    init(plan: CopyPlan?, value: Value, ops: [RecordedOp], writtenAt: Double, size: Int) {
        self.plan = plan
        self.value = value
        self.ops = ops
        self.writtenAt = writtenAt
        self.size = size
    }
}

/// With `experimental_allow_widgets`, the entry at an argument key holds one result per
/// combination of the values of the widgets the body created (B §9.2).
final class WidgetEntries {
    var widgetIDs: [String]
    var results = OrderedMap<CacheKey, CacheEntry>()
    init(widgetIDs: [String]) { self.widgetIDs = widgetIDs }
}

enum CacheSlot {
    case plain(CacheEntry)
    case widgets(WidgetEntries)

    var entries: [CacheEntry] {
        switch self {
        case .plain(let e): return [e]
        case .widgets(let w): return Array(w.results.values)
        }
    }
}

/// The entries of one function (for one source text and one set of cache parameters).
public final class FunctionCache {
    let kind: CacheKind
    let functionKey: String
    public let name: String
    let options: CacheOptions
    var slots = OrderedMap<CacheKey, CacheSlot>()
    /// Why a key is missing, when it once was there.
    var gone: [CacheKey: String] = [:]
    private var clock = 0

    init(kind: CacheKind, functionKey: String, name: String, options: CacheOptions) {
        self.kind = kind
        self.functionKey = functionKey
        self.name = name
        self.options = options
    }

    func touch(_ e: CacheEntry) {
        clock += 1
        e.lastUsed = clock
    }

    public var entryCount: Int { slots.values.reduce(0) { $0 + $1.entries.count } }
    public var totalSize: Int { slots.values.reduce(0) { $0 + $1.entries.reduce(0) { $0 + $1.size } } }
    public var oldestWrite: Double? { slots.values.flatMap(\.entries).map(\.writtenAt).min() }

    /// Least recently used first out, until max_entries and max_size hold; returns what left.
    func evict() -> [CacheEntry] {
        var out: [CacheEntry] = []
        while true {
            let over = (options.maxEntries.map { slots.count > $0 } ?? false) || (options.maxSize.map { totalSize > $0 } ?? false)
            guard over, let victim = slots.pairs.min(by: { a, b in
                (a.value.entries.map(\.lastUsed).max() ?? 0) < (b.value.entries.map(\.lastUsed).max() ?? 0)
            }) else { break }
            slots[victim.key] = nil
            gone[victim.key] = "evicted"
            out += victim.value.entries
        }
        return out
    }

    func remove(_ key: CacheKey, reason: String) -> [CacheEntry] {
        guard let s = slots.removeValue(forKey: key) else { return [] }
        gone[key] = reason
        return s.entries
    }

    func removeAll(reason: String) -> [CacheEntry] {
        let all = slots.values.flatMap(\.entries)
        for k in slots.keys { gone[k] = reason }
        slots = OrderedMap()
        return all
    }
}

/// All memory caches of a process, by function key.
public final class CacheRegistry {
    var caches = OrderedMap<String, FunctionCache>()
    /// Function keys seen for each (kind, module, qualified name): a new key for a known name
    /// means its source changed.
    var keysByName: [String: Set<String>] = [:]

    public init() {}

    public var all: [FunctionCache] { caches.values.sorted { $0.name < $1.name } }

    /// The cache for a decorated function; a change of parameters starts an empty one.
    func cache(kind: CacheKind, functionKey: String, name: String, qualifiedName: String, options: CacheOptions) -> (FunctionCache, replaced: [CacheEntry]) {
        let id = kind.rawValue + ":" + functionKey
        if let c = caches[id], c.options.signature == options.signature { return (c, []) }
        let replaced = caches[id].map { $0.removeAll(reason: "cleared") } ?? []
        keysByName[kind.rawValue + ":" + qualifiedName, default: []].insert(functionKey)
        let c = FunctionCache(kind: kind, functionKey: functionKey, name: name, options: options)
        caches[id] = c
        return (c, replaced)
    }

    /// Whether a cache of the same function under another source text has (or had) this key.
    func otherSourceHas(_ key: CacheKey, _ cf: CachedFunctionPayload) -> Bool {
        guard let keys = keysByName[cf.kind.rawValue + ":" + cf.qualifiedName], keys.count > 1 else { return false }
        return caches.values.contains { c in
            c.kind == cf.kind && c.functionKey != cf.functionKey && keys.contains(c.functionKey) && (c.slots[key] != nil || c.gone[key] != nil)
        }
    }

    func caches(of kind: CacheKind) -> [FunctionCache] { caches.values.filter { $0.kind == kind } }
}
