/// One cache lookup of a run (SPEC §4): kept as a struct, turned into JSON only for output.
public struct CacheEvent: Equatable {
    public let function: String
    public let hit: Bool
    /// Why a miss missed: new key, expired, evicted, source changed, cleared, validate failed,
    /// widgets changed.
    public let reason: String?
    /// Element nodes replayed (children and widgets included).
    public let replayed: Int
    /// The exception type, when the body raised or the replay failed.
    public let error: String?

    public var json: JSON {
        var f: [(String, JSON)] = [("function", .string(function)), ("event", .string(hit ? "hit" : "miss"))]
        if let reason { f.append(("reason", .string(reason))) }
        f.append(("replayed", .int(replayed)))
        if let error { f.append(("error", .string(error))) }
        return .object(f)
    }

    /// The `--trace-cache` line: `· cache miss load_data (new key)`.
    public var traceLine: String {
        var l = "· cache \(hit ? "hit" : "miss") \(function)"
        if let reason { l += " (\(reason))" }
        if replayed > 0 { l += ", replayed \(replayed)" }
        if let error { l += ", raised \(error)" }
        return l
    }
}
