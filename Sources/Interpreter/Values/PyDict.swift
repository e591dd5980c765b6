/// An insertion-ordered hash map with Python key semantics (`1`, `1.0` and `True` are one key;
/// user classes hash and compare through `__hash__`/`__eq__`). Layout as CPython's compact
/// dict: an entries array in insertion order plus an open-addressing index.
public final class PyDict: PyObject {
    /// Entries in insertion order, hash beside key and value (one buffer, one cache line per
    /// probe); a `.undef` key marks a deleted entry.
    private var entries: [DictEntry] = []
    private var index: [Int32] = []               // -1 empty, -2 deleted, else entry number
    public private(set) var count = 0
    /// Bumped by every change of layout: a user `__eq__` run during a lookup may change the
    /// dict, and the lookup must then start over (as CPython's does).
    private var version = 0

    public init() {
        super.init(trackedKind: .dict)
    }
    deinit { if gcGen != 0 { CycleGC.untrack(self) } }

    /// The entries array itself (deleted entries have `.undef` keys).
    var entryArray: [DictEntry] { entries }

    /// Room for `n` entries before the first growth (a dict display knows its size).
    func reserve(_ n: Int) {
        guard entries.isEmpty, n > 0 else { return }
        entries.reserveCapacity(n)
        var size = 8
        while size * 2 <= n * 3 { size <<= 1 }
        index = [Int32](repeating: -1, count: size)
    }

    /// Slots in the index (for tests of the table sizes).
    var indexSize: Int { index.count }

    /// Entry positions (for iteration: skip `.undef` keys).
    public var entryCount: Int { entries.count }

    @inline(__always) private static func fastEqual(_ a: Value, _ b: Value) -> Bool? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.obj(let x), .obj(let y)):
            if x === y { return true }
            if x.kind == .str && y.kind == .str {
                return unsafeDowncast(x, to: PyStr.self).equals(unsafeDowncast(y, to: PyStr.self))
            }
            return nil
        default: return nil
        }
    }

    private func lookupSlot(_ key: Value, _ fullHash: Int, _ rt: Runtime?) throws(PyErr) -> (slot: Int, entry: Int) {
        if index.isEmpty { return (-1, -1) }
        let hash = DictEntry.stored(fullHash)
        let mask = index.count - 1
        var i = hash & mask
        var perturb = UInt(bitPattern: hash)
        var firstDeleted = -1
        while true {
            let e = Int(index[i])
            if e == -1 { return (firstDeleted >= 0 ? firstDeleted : i, -1) }
            if e == -2 {
                if firstDeleted < 0 { firstDeleted = i }
            } else if Int(entries[e].hash) == hash {
                let k = entries[e].key
                if let eq = PyDict.fastEqual(k, key) {
                    if eq { return (i, e) }
                } else if let rt {
                    let before = version
                    let eq = try rt.equal(k, key)
                    if version != before { return try lookupSlot(key, fullHash, rt) }
                    if eq { return (i, e) }
                }
            }
            perturb >>= 5
            i = (i &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
        }
    }

    public func get(_ key: Value, _ rt: Runtime) throws(PyErr) -> Value? {
        let h = try rt.hash(key)  // first: an unhashable key is an error even on an empty dict
        if count == 0 { return nil }
        let (_, e) = try lookupSlot(key, h, rt)
        return e >= 0 ? entries[e].value : nil
    }

    /// The entry of `key`, for reading and then replacing its value in place (`d[k] += 1`:
    /// one lookup instead of two); valid while `layoutVersion` stays the same.
    func entryIndex(_ key: Value, _ rt: Runtime) throws(PyErr) -> Int? {
        let h = try rt.hash(key)
        if count == 0 { return nil }
        let (_, e) = try lookupSlot(key, h, rt)
        return e >= 0 ? e : nil
    }
    var layoutVersion: Int { version }
    func value(at e: Int) -> Value { entries[e].value }
    func setValue(_ v: Value, at e: Int) { entries[e].value = v }

    public func contains(_ key: Value, _ rt: Runtime) throws(PyErr) -> Bool {
        try get(key, rt) != nil
    }

    public func set(_ key: Value, _ value: Value, _ rt: Runtime) throws(PyErr) {
        let h = try rt.hash(key)
        try set(key, hash: h, value, rt)
    }

    public func set(_ key: Value, hash h: Int, _ value: Value, _ rt: Runtime) throws(PyErr) {
        if index.isEmpty { index = [Int32](repeating: -1, count: 8) }
        var (slot, e) = try lookupSlot(key, h, rt)
        while slot < 0 {
            // A user __eq__ emptied the dict during the lookup.
            if index.isEmpty { index = [Int32](repeating: -1, count: 8) }
            (slot, e) = try lookupSlot(key, h, rt)
        }
        if e >= 0 {
            entries[e].value = value
            return
        }
        version &+= 1
        index[slot] = Int32(entries.count)
        entries.append(DictEntry(key: key, value: value, hash: h))
        count += 1
        if entries.count * 3 >= index.count * 2 { rebuild() }
    }

    /// Looks up a str key known not to involve user code.
    public func getStr(_ key: String) -> Value? {
        let k = PyStr(key)
        if count == 0 { return nil }
        guard let (_, e) = try? lookupSlot(.obj(k), k.hashValue64, nil) else { return nil }
        return e >= 0 ? entries[e].value : nil
    }

    /// Sets a str key (no user code can run: str keys hash and compare natively).
    public func setStr(_ key: String, _ value: Value) {
        if index.isEmpty { index = [Int32](repeating: -1, count: 8) }
        let k = PyStr(key)
        guard let (slot, e) = try? lookupSlot(.obj(k), k.hashValue64, nil), slot >= 0 else { return }
        if e >= 0 { entries[e].value = value; return }
        version &+= 1
        index[slot] = Int32(entries.count)
        entries.append(DictEntry(key: .obj(k), value: value, hash: k.hashValue64))
        count += 1
        if entries.count * 3 >= index.count * 2 { rebuild() }
    }

    public func removeStr(_ key: String) -> Bool {
        let k = PyStr(key)
        guard count > 0, let (slot, e) = try? lookupSlot(.obj(k), k.hashValue64, nil), e >= 0 else { return false }
        version &+= 1
        index[slot] = -2
        entries[e].key = .undef
        entries[e].value = .undef
        count -= 1
        if count == 0 { clear() }
        return true
    }

    @discardableResult
    public func remove(_ key: Value, _ rt: Runtime) throws(PyErr) -> Value? {
        let h = try rt.hash(key)
        if count == 0 { return nil }
        let (slot, e) = try lookupSlot(key, h, rt)
        guard e >= 0 else { return nil }
        let v = entries[e].value
        version &+= 1
        index[slot] = -2
        entries[e].key = .undef
        entries[e].value = .undef
        count -= 1
        if count == 0 {
            clear()
        } else if entries.count > 16 && count * 2 < entries.count {
            rebuild()
        }
        return v
    }

    /// Removes and returns the last inserted item.
    public func popLast() -> (Value, Value)? {
        while let k = entries.last?.key {
            if case .undef = k {
                entries.removeLast()
                continue
            }
            version &+= 1
            let v = entries[entries.count - 1].value
            let h = Int(entries[entries.count - 1].hash)
            entries.removeLast()
            count -= 1
            // Find and clear its index slot.
            let mask = index.count - 1
            var i = h & mask
            var perturb = UInt(bitPattern: h)
            let target = Int32(entries.count)
            while index[i] != -1 {
                if index[i] == target { index[i] = -2; break }
                perturb >>= 5
                i = (i &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
            }
            if count == 0 { clear() }
            return (k, v)
        }
        return nil
    }

    public func clear() {
        entries = []; index = []; count = 0
        version &+= 1
    }

    private func rebuild() {
        // Deleted entries are dropped; a dict that only grew keeps its entries where they are
        // (copying them would retain and release every key and value).
        if entries.count != count {
            var ne: [DictEntry] = []
            ne.reserveCapacity(count)
            for en in entries {
                if case .undef = en.key { continue }
                ne.append(en)
            }
            entries = ne
        }
        // CPython's sizes: the index doubles (load 1/3 to 2/3), and the entries get room for
        // exactly what the index takes before the next rebuild. Left to the array's own
        // doubling they would reserve up to twice that.
        var size = 8
        while size * 2 <= entries.count * 3 { size <<= 1 }
        entries.reserveCapacity((size * 2 + 2) / 3)
        var idx = [Int32](repeating: -1, count: size)
        let mask = size - 1
        for e in 0..<entries.count {
            let h = Int(entries[e].hash)
            var i = h & mask
            var perturb = UInt(bitPattern: h)
            while idx[i] != -1 {
                perturb >>= 5
                i = (i &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
            }
            idx[i] = Int32(e)
        }
        index = idx
    }

    /// Live (key, value) pairs in insertion order.
    public var items: [(Value, Value)] {
        var out: [(Value, Value)] = []
        out.reserveCapacity(count)
        for i in 0..<entries.count {
            if case .undef = entries[i].key { continue }
            out.append((entries[i].key, entries[i].value))
        }
        return out
    }

    public var liveKeys: [Value] {
        var out: [Value] = []
        out.reserveCapacity(count)
        for en in entries { if case .undef = en.key { continue }; out.append(en.key) }
        return out
    }

    public var liveValues: [Value] {
        var out: [Value] = []
        out.reserveCapacity(count)
        for i in 0..<entries.count { if case .undef = entries[i].key { continue }; out.append(entries[i].value) }
        return out
    }

    /// Adds every entry of `other`, reusing its stored hashes; an empty dict shares other's
    /// tables (copied on the first write), as `copy()`.
    func update(from other: PyDict, _ rt: Runtime) throws(PyErr) {
        if entries.isEmpty {
            entries = other.entries; index = other.index; count = other.count
            version &+= 1
            return
        }
        for en in other.entries {
            if case .undef = en.key { continue }
            try set(en.key, hash: Int(en.hash), en.value, rt)
        }
    }

    public func copy() -> PyDict {
        let d = PyDict()
        d.entries = entries; d.index = index; d.count = count
        return d
    }

    /// Entry at a raw position, for iterators that must notice size changes.
    public func entry(at i: Int) -> (Value, Value)? {
        guard i < entries.count else { return nil }
        return (entries[i].key, entries[i].value)
    }
}

/// One entry of a dict: the key, the value and the low 32 bits of the key's hash, which fit
/// in the second value's padding (32 bytes an entry, not 40). Probing uses only those bits
/// (`stored`), so a full hash and a stored one find the same slots; a dict's order is its
/// insertion order, so (unlike a set's) it does not depend on the full hash.
struct DictEntry {
    var key: Value
    var value: Value
    var hash: Int32

    init(key: Value, value: Value, hash: Int) {
        self.key = key
        self.value = value
        self.hash = Int32(truncatingIfNeeded: hash)
    }

    @inline(__always) static func stored(_ hash: Int) -> Int { Int(Int32(truncatingIfNeeded: hash)) }
}

// MARK: - Cycle collector support (CycleCollector.swift)

extension PyDict {
    func gcTraverse(_ v: inout GCVisitor) { v.entries(&entries) }
    func gcClear() { clear() }
}
