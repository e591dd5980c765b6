import Foundation
import Interpreter

/// The two kinds of cache (CACHING.md): data (copies) and resource (shared objects).
public enum CacheKind: String {
    case data = "cache_data"
    case resource = "cache_resource"
}

/// The parameters of a cache decorator, checked when the decorator is applied.
struct CacheOptions {
    var ttl: Double?
    var maxEntries: Int?
    var maxSize: Int?
    var showSpinner: Value = .bool(true)
    var persist = false
    var hashFuncs: [(key: Value, fn: Value)] = []
    var allowWidgets = false
    var validate: Value?
    var onRelease: Value?
    var sessionScope = false

    /// What makes two caches of one function different: a change starts an empty cache (B §2.1).
    var signature: String {
        "ttl=\(ttl.map { String($0) } ?? "None");max=\(maxEntries.map(String.init) ?? "None");size=\(maxSize.map(String.init) ?? "None");persist=\(persist);validate=\(validate != nil);widgets=\(allowWidgets)"
    }

    static let dataParams = ["ttl", "max_entries", "max_size", "show_spinner", "show_time", "persist", "experimental_allow_widgets", "hash_funcs", "scope", "refresh_mode"]
    static let resourceParams = ["ttl", "max_entries", "show_spinner", "show_time", "validate", "experimental_allow_widgets", "hash_funcs", "on_release", "scope", "refresh_mode"]

    static func parse(_ kind: CacheKind, _ kwargs: KwArgs, _ app: StApp) throws(PyErr) -> CacheOptions {
        let rt = app.rt
        let allowed = kind == .data ? dataParams : resourceParams
        let apiName = kind == .data ? "CacheDataAPI" : "CacheResourceAPI"
        var o = CacheOptions()
        for (k, v) in kwargs {
            guard allowed.contains(k) else { throw rt.typeError("\(apiName).__call__() got an unexpected keyword argument '\(k)'") }
            switch k {
            case "ttl": o.ttl = try parseTTL(v, app)
            case "max_entries":
                switch v {
                case .none: o.maxEntries = nil
                case .int(let n) where n >= 0: o.maxEntries = n
                default: throw app.apiError("max_entries must be None or a non-negative int, not \(try rt.repr(v))")
                }
            case "max_size": o.maxSize = try parseSize(v, app)
            case "show_spinner":
                guard v.asStr != nil || { if case .bool = v { return true } else { return false } }() else {
                    throw app.apiError("show_spinner must be a bool or a str, not \(rt.typeName(v))")
                }
                o.showSpinner = v
            case "persist":
                switch v {
                case .none, .bool(false): o.persist = false
                case .bool(true): o.persist = true
                default:
                    if let s = v.asStr, s.value == "disk" { o.persist = true } else {
                        throw app.apiError("Unsupported persist option '\(try rt.str(v))'. Valid values are 'disk' or None.")
                    }
                }
            case "experimental_allow_widgets": o.allowWidgets = try rt.truthy(v)
            case "hash_funcs":
                if case .none = v { break }
                guard let d = v.asDict else { throw app.apiError("hash_funcs must be a dict mapping types (or their qualified names) to functions") }
                o.hashFuncs = d.items.map { (key: $0.0, fn: $0.1) }
            case "validate": if case .none = v {} else { o.validate = v }
            case "on_release": if case .none = v {} else { o.onRelease = v }
            case "scope":
                let s = try rt.str(v)
                guard s == "global" || s == "session" else { throw app.apiError("Invalid `scope` value. Supported values: 'global', 'session'.") }
                o.sessionScope = s == "session"
            default: break
            }
        }
        return o
    }

    /// ttl: None, seconds, a timedelta, or a string such as "1h", "30m", "1d2h34m", "2 days".
    static func parseTTL(_ v: Value, _ app: StApp) throws(PyErr) -> Double? {
        let rt = app.rt
        switch v {
        case .none: return nil
        case .int(let i): return Double(i)
        case .float(let d): return d.isInfinite ? nil : d
        default:
            if let s = v.asStr {
                guard let secs = parseDuration(s.value) else {
                    throw app.apiError("Time string doesn't look right. It should be formatted as`'1d2h34m'` or `2 days`, for example. Got: \(s.value)")
                }
                return secs
            }
            if let total = try rt.getAttrOrNil(v, "total_seconds") {
                return try rt.floatArg(try rt.call(total, []), "ttl")
            }
            throw app.apiError("ttl must be None, a number of seconds, a timedelta or a duration string such as \"1h\", not \(rt.typeName(v))")
        }
    }

    /// "1d2h34m", "2 days", "1.5 days", "1h23s", "30m", "90s" → seconds.
    static func parseDuration(_ text: String) -> Double? {
        let units: [(String, Double)] = [
            ("weeks", 604800), ("week", 604800), ("w", 604800),
            ("days", 86400), ("day", 86400), ("d", 86400),
            ("hours", 3600), ("hour", 3600), ("hrs", 3600), ("hr", 3600), ("h", 3600),
            ("minutes", 60), ("minute", 60), ("mins", 60), ("min", 60), ("m", 60),
            ("seconds", 1), ("second", 1), ("secs", 1), ("sec", 1), ("s", 1),
            ("milliseconds", 0.001), ("ms", 0.001),
        ]
        var s = Substring(text.lowercased().trimmingCharacters(in: .whitespaces))
        if s.isEmpty { return nil }
        var total = 0.0
        while !s.isEmpty {
            s = s.drop { $0 == " " }
            let num = s.prefix { $0.isNumber || $0 == "." }
            guard !num.isEmpty, let n = Double(num) else { return nil }
            s = s.dropFirst(num.count).drop { $0 == " " }
            guard let (u, f) = units.first(where: { s.hasPrefix($0.0) && !(s.dropFirst($0.0.count).first?.isLetter ?? false) }) else { return nil }
            total += n * f
            s = s.dropFirst(u.count).drop { $0 == " " || $0 == "," }
        }
        return total
    }

    /// max_size: bytes, or a string such as "500MB".
    static func parseSize(_ v: Value, _ app: StApp) throws(PyErr) -> Int? {
        switch v {
        case .none: return nil
        case .int(let i) where i >= 0: return i
        default:
            if let s = v.asStr {
                let t = s.value.uppercased().replacingOccurrences(of: " ", with: "")
                let units: [(String, Int)] = [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1)]
                for (u, f) in units where t.hasSuffix(u) {
                    if let n = Double(t.dropLast(u.count)), n >= 0 { return Int(n * Double(f)) }
                }
            }
            throw app.apiError("max_size must be None, a number of bytes, or a string such as \"500MB\", not \(try app.rt.repr(v))")
        }
    }
}
