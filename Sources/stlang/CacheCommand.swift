import ArgumentParser
import Foundation
import St

/// `stlang cache list|clear`: the persisted (`persist="disk"`) caches.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "List or clear the persisted caches (persist=\"disk\").")

    @Argument(help: "list or clear")
    var action: String

    @Option(name: .long, help: "The cache folder (default: $STLANG_CACHE_DIR, else ~/.cache/stlang).")
    var cacheDir: String?

    func validate() throws {
        guard action == "list" || action == "clear" else { throw ValidationError("the action is list or clear, not '\(action)'") }
    }

    func run() throws {
        guard let dir = cacheDir ?? DiskCache.defaultDirectory() else { throw ValidationError("no cache folder: give --cache-dir") }
        let disk = DiskCache(directory: dir)
        let files = disk.files()
        if action == "clear" {
            for f in files { try? FileManager.default.removeItem(atPath: (dir as NSString).appendingPathComponent(f)) }
            print("removed \(files.count) entr\(files.count == 1 ? "y" : "ies") from \(dir)")
            return
        }
        // One line per function: entries, bytes, age of the oldest entry.
        var byFunction: [(key: String, entries: Int, bytes: Int, oldest: Date)] = []
        for f in files {
            let path = (dir as NSString).appendingPathComponent(f)
            let attrs = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
            let size = (attrs[.size] as? NSNumber)?.intValue ?? 0
            let date = (attrs[.modificationDate] as? Date) ?? Date()
            let key = String(f.split(separator: "-").first ?? "")
            if let i = byFunction.firstIndex(where: { $0.key == key }) {
                byFunction[i].entries += 1
                byFunction[i].bytes += size
                byFunction[i].oldest = min(byFunction[i].oldest, date)
            } else {
                byFunction.append((key, 1, size, date))
            }
        }
        print("\(dir): \(files.count) entr\(files.count == 1 ? "y" : "ies")")
        for f in byFunction {
            print("  function \(f.key)  \(f.entries) entr\(f.entries == 1 ? "y" : "ies")  \(f.bytes) bytes  oldest \(Int(Date().timeIntervalSince(f.oldest)))s ago")
        }
    }
}
