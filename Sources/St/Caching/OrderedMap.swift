/// A dictionary that remembers insertion order, so everything derived from a cache (release
/// callbacks, listings, evictions on ties) happens in the same order in every process (Swift's
/// own dictionaries are seeded randomly per process).
struct OrderedMap<Key: Hashable, Value> {
    private var storage: [Key: Value] = [:]
    private(set) var keys: [Key] = []

    subscript(_ key: Key) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    @discardableResult
    mutating func removeValue(forKey key: Key) -> Value? {
        let v = storage.removeValue(forKey: key)
        if v != nil { keys.removeAll { $0 == key } }
        return v
    }

    var values: [Value] { keys.compactMap { storage[$0] } }
    var pairs: [(key: Key, value: Value)] { keys.compactMap { k in storage[k].map { (k, $0) } } }
    var isEmpty: Bool { keys.isEmpty }
    var count: Int { keys.count }
}
