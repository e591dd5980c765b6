import Foundation
import Interpreter

/// `persist="disk"` storage: one file per entry, `<function key>-<value key>.stcache`, written
/// to a temporary file and renamed into place, so a reader never sees half an entry and two
/// processes writing the same entry at once leave one whole file. Each file starts with a
/// magic word, a format version, the payload's length and a checksum: anything else is
/// ignored with a warning (CACHING.md Part A).
public final class DiskCache {
    public let directory: String
    static let magic = Array("STLANGCACHE".utf8)
    static let version: UInt8 = 1

    public init(directory: String) {
        self.directory = directory
    }

    /// `--cache-dir`, else `$STLANG_CACHE_DIR`, else `~/.cache/stlang` (nil without a home).
    public static func defaultDirectory() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let d = env["STLANG_CACHE_DIR"], !d.isEmpty { return d }
        if let home = env["HOME"], !home.isEmpty { return (home as NSString).appendingPathComponent(".cache/stlang") }
        return nil
    }

    func path(_ functionKey: String, _ valueKey: String) -> String {
        (directory as NSString).appendingPathComponent("\(functionKey)-\(valueKey).stcache")
    }

    enum ReadResult {
        case found(Value, [RecordedOp], writtenAt: Double)
        case missing
        case unreadable(String)
    }

    static func checksum(_ b: ArraySlice<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for x in b { h = (h ^ UInt64(x)) &* 0x100000001b3 }
        return h
    }

    func read(functionKey: String, valueKey: String, app: StApp) -> ReadResult {
        let p = path(functionKey, valueKey)
        guard FileManager.default.fileExists(atPath: p) else { return .missing }
        guard let data = FileManager.default.contents(atPath: p) else { return .unreadable("cannot read \(p)") }
        let bytes = [UInt8](data)
        let header = DiskCache.magic.count + 1 + 16
        guard bytes.count >= header, Array(bytes.prefix(DiskCache.magic.count)) == DiskCache.magic else {
            return .unreadable("not an stlang cache file")
        }
        guard bytes[DiskCache.magic.count] == DiskCache.version else {
            return .unreadable("cache format version \(bytes[DiskCache.magic.count]), expected \(DiskCache.version)")
        }
        var d = CacheDecoder(bytes, rt: app.rt)
        d.pos = DiskCache.magic.count + 1
        do throws(CacheDecoder.Corrupt) {
            let length = try d.int()
            let sum = try d.u64()
            guard length == bytes.count - header else { return .unreadable("truncated (\(bytes.count - header) of \(length) bytes)") }
            guard DiskCache.checksum(bytes[header...]) == sum else { return .unreadable("checksum mismatch") }
            let writtenAt = Double(bitPattern: try d.u64())
            let value = try d.value()
            let n = try d.count()
            var ops: [RecordedOp] = []
            for _ in 0..<n {
                let t = try d.target()
                ops.append(RecordedOp(target: t, element: try d.element(), widget: nil))
            }
            guard d.pos == bytes.count else { return .unreadable("trailing bytes") }
            return .found(value, ops, writtenAt: writtenAt)
        } catch {
            return .unreadable(error.why)
        }
    }

    /// Writes an entry atomically; returns a problem to report, or nil.
    func write(functionKey: String, valueKey: String, value: Value, ops: [RecordedOp], writtenAt: Double, app: StApp) -> String? {
        var payload = CacheEncoder()
        payload.u64(writtenAt.bitPattern)
        do throws(CacheEncoder.Unsupported) { try payload.value(value, app.rt) } catch {
            return "values of type '\(error.typeName)' cannot be persisted"
        }
        payload.int(ops.count)
        for op in ops { payload.target(op.target); payload.element(op.element) }
        var file = CacheEncoder()
        file.bytes = DiskCache.magic + [DiskCache.version]
        file.int(payload.bytes.count)
        file.u64(DiskCache.checksum(payload.bytes[...]))
        file.bytes += payload.bytes
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let final = path(functionKey, valueKey)
            let temp = final + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try Data(file.bytes).write(to: URL(fileURLWithPath: temp))
            if rename(temp, final) != 0 {
                let err = String(cString: strerror(errno))
                try? FileManager.default.removeItem(atPath: temp)
                return "rename failed: \(err)"
            }
            return nil
        } catch {
            return "\(error.localizedDescription)"
        }
    }

    /// Removes one entry, or every entry of a function.
    func remove(functionKey: String, valueKey: String?) {
        if let valueKey { try? FileManager.default.removeItem(atPath: path(functionKey, valueKey)); return }
        for f in files() where f.hasPrefix(functionKey + "-") {
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(f))
        }
    }

    func removeAll() {
        for f in files() { try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(f)) }
    }

    public func files() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".stcache") }.sorted()
    }
}
