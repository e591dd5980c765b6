/// A set with CPython's exact table layout (open addressing, 9 linear probes then perturbation,
/// the same resize points), so that iterating a set of ints gives CPython's order: programs
/// print sets, and CPython is the oracle.
public final class PySet: PyObject {
    private static let minSize = 8
    private static let linearProbes = 9

    private var tableKeys: [Value]   // .undef: empty or dummy
    private var tableHashes: [Int]   // dummy: key .undef with hash -1
    private var fill = 0             // active + dummy
    public private(set) var count = 0
    /// Bumped on every change, so a lookup whose user `__eq__` changed the set starts over.
    private var version = 0

    public init(frozen: Bool = false) {
        tableKeys = [Value](repeating: .undef, count: PySet.minSize)
        tableHashes = [Int](repeating: 0, count: PySet.minSize)
        super.init(trackedKind: frozen ? .frozenset : .set)
    }
    deinit { if gcGen != 0 { CycleGC.untrack(self) } }

    private var mask: Int { tableKeys.count - 1 }

    @inline(__always) private func isEmptySlot(_ i: Int) -> Bool {
        if case .undef = tableKeys[i], tableHashes[i] == 0 { return true }
        return false
    }
    @inline(__always) private func isDummy(_ i: Int) -> Bool {
        if case .undef = tableKeys[i], tableHashes[i] == -1 { return true }
        return false
    }
    @inline(__always) private func isActive(_ i: Int) -> Bool {
        if case .undef = tableKeys[i] { return false }
        return true
    }

    /// nil when user code changed the set while comparing (the caller restarts).
    private func keysEqual(_ a: Value, _ b: Value, _ rt: Runtime) throws(PyErr) -> Bool? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.obj(let x), .obj(let y)) where x.kind == .str && y.kind == .str:
            return unsafeDowncast(x, to: PyStr.self).equals(unsafeDowncast(y, to: PyStr.self))
        default:
            let before = version
            let eq = try rt.equal(a, b)
            return version == before ? eq : nil
        }
    }

    /// Slot holding `key`, or nil.
    private func find(_ key: Value, _ hash: Int, _ rt: Runtime) throws(PyErr) -> Int? {
        let mask = self.mask
        var i = hash & mask
        var perturb = UInt(bitPattern: hash)
        while true {
            var probes = (i + PySet.linearProbes <= mask) ? PySet.linearProbes : 0
            var j = i
            while true {
                if isEmptySlot(j) { return nil }
                if tableHashes[j] == hash, isActive(j) {
                    guard let eq = try keysEqual(tableKeys[j], key, rt) else { return try find(key, hash, rt) }
                    if eq { return j }
                }
                j += 1
                if probes == 0 { break }
                probes -= 1
            }
            perturb >>= 5
            i = (i &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
        }
    }

    public func contains(_ key: Value, _ rt: Runtime) throws(PyErr) -> Bool {
        try find(key, rt.hash(key), rt) != nil
    }

    public func add(_ key: Value, _ rt: Runtime) throws(PyErr) {
        try add(key, hash: rt.hash(key), rt)
    }

    public func add(_ key: Value, hash: Int, _ rt: Runtime) throws(PyErr) {
        let mask = self.mask
        var i = hash & mask
        var perturb = UInt(bitPattern: hash)
        var freeSlot = -1
        while true {
            var probes = (i + PySet.linearProbes <= mask) ? PySet.linearProbes : 0
            var j = i
            while true {
                if isEmptySlot(j) {
                    version &+= 1
                    if freeSlot >= 0 {
                        tableKeys[freeSlot] = key
                        tableHashes[freeSlot] = hash
                        count += 1
                        return
                    }
                    fill += 1
                    count += 1
                    tableKeys[j] = key
                    tableHashes[j] = hash
                    if fill * 5 >= mask * 3 { resize(count > 50000 ? count * 2 : count * 4) }
                    return
                }
                if tableHashes[j] == hash, isActive(j) {
                    guard let eq = try keysEqual(tableKeys[j], key, rt) else { return try add(key, hash: hash, rt) }
                    if eq { return }
                } else if isDummy(j), freeSlot < 0 {
                    freeSlot = j
                }
                j += 1
                if probes == 0 { break }
                probes -= 1
            }
            perturb >>= 5
            i = (i &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
        }
    }

    @discardableResult
    public func discard(_ key: Value, _ rt: Runtime) throws(PyErr) -> Bool {
        guard let j = try find(key, rt.hash(key), rt) else { return false }
        version &+= 1
        tableKeys[j] = .undef
        tableHashes[j] = -1
        count -= 1
        return true
    }

    public func removeAll() {
        version &+= 1
        tableKeys = [Value](repeating: .undef, count: PySet.minSize)
        tableHashes = [Int](repeating: 0, count: PySet.minSize)
        fill = 0
        count = 0
    }

    private static func insertClean(_ keys: inout [Value], _ hashes: inout [Int], _ key: Value, _ hash: Int) {
        let mask = keys.count - 1
        var perturb = UInt(bitPattern: hash)
        var i = hash & mask
        while true {
            if case .undef = keys[i] { keys[i] = key; hashes[i] = hash; return }
            if i + linearProbes <= mask {
                for j in 1...linearProbes {
                    if case .undef = keys[i + j] { keys[i + j] = key; hashes[i + j] = hash; return }
                }
            }
            perturb >>= 5
            i = (i &* 5 &+ 1 &+ Int(bitPattern: perturb)) & mask
        }
    }

    private func resize(_ minUsed: Int) {
        version &+= 1
        var newSize = PySet.minSize
        while newSize <= minUsed { newSize <<= 1 }
        var nk = [Value](repeating: .undef, count: newSize)
        var nh = [Int](repeating: 0, count: newSize)
        for i in 0..<tableKeys.count where isActive(i) {
            PySet.insertClean(&nk, &nh, tableKeys[i], tableHashes[i])
        }
        tableKeys = nk
        tableHashes = nh
        fill = count
    }

    /// Active (key, hash) pairs in table order: the iteration order.
    public var entries: [(Value, Int)] {
        var out: [(Value, Int)] = []
        out.reserveCapacity(count)
        for i in 0..<tableKeys.count where isActive(i) { out.append((tableKeys[i], tableHashes[i])) }
        return out
    }

    public var elements: [Value] {
        var out: [Value] = []
        out.reserveCapacity(count)
        for i in 0..<tableKeys.count where isActive(i) { out.append(tableKeys[i]) }
        return out
    }

    /// CPython's set_merge: adding all of another set's entries.
    public func merge(_ other: PySet, _ rt: Runtime) throws(PyErr) {
        if other.count == 0 { return }
        version &+= 1
        if (fill + other.count) * 5 >= mask * 3 { resize((count + other.count) * 2) }
        if fill == 0 && mask == other.mask && other.fill == other.count {
            tableKeys = other.tableKeys
            tableHashes = other.tableHashes
            fill = other.fill
            count = other.count
            return
        }
        if fill == 0 {
            fill = other.count
            count = other.count
            for i in 0..<other.tableKeys.count where other.isActive(i) {
                PySet.insertClean(&tableKeys, &tableHashes, other.tableKeys[i], other.tableHashes[i])
            }
            return
        }
        for i in 0..<other.tableKeys.count where other.isActive(i) {
            try add(other.tableKeys[i], hash: other.tableHashes[i], rt)
        }
    }

    /// CPython's set_update_internal for a dict's keys: pre-size, then add.
    public func reserveForAdding(_ n: Int) {
        if (fill + n) * 5 >= mask * 3 { resize((count + n) * 2) }
    }

    public func copy(frozen: Bool? = nil, _ rt: Runtime) -> PySet {
        let s = PySet(frozen: frozen ?? (kind == .frozenset))
        try? s.merge(self, rt)  // merging into an empty set never compares keys
        return s
    }

    /// Whether `key` (with a precomputed hash) is present.
    public func contains(_ key: Value, hash: Int, _ rt: Runtime) throws(PyErr) -> Bool {
        try find(key, hash, rt) != nil
    }

    @discardableResult
    public func discard(_ key: Value, hash: Int, _ rt: Runtime) throws(PyErr) -> Bool {
        guard let j = try find(key, hash, rt) else { return false }
        version &+= 1
        tableKeys[j] = .undef
        tableHashes[j] = -1
        count -= 1
        return true
    }

    /// Removes and returns an arbitrary element, as CPython's set.pop does (first active slot
    /// starting from a moving finger).
    private var finger = 0
    public func popAny() -> Value? {
        if count == 0 { return nil }
        var i = finger & mask
        while !isActive(i) { i = (i + 1) & mask }
        let k = tableKeys[i]
        version &+= 1
        tableKeys[i] = .undef
        tableHashes[i] = -1
        count -= 1
        finger = i + 1
        return k
    }
}

// MARK: - Cycle collector support (CycleCollector.swift)

extension PySet {
    func gcTraverse(_ v: inout GCVisitor) { v.values(&tableKeys) }
    func gcClear() { removeAll() }
}
