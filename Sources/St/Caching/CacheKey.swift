/// An entry's key: the argument encoding itself (exact: no collisions in memory), with its
/// hash computed once (hashing the bytes through Swift's Hasher one by one costs more than the
/// rest of a cache hit).
struct CacheKey: Hashable {
    let bytes: [UInt8]
    let hash: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        hash = Int(truncatingIfNeeded: h)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    static func == (a: CacheKey, b: CacheKey) -> Bool { a.hash == b.hash && a.bytes == b.bytes }
}
