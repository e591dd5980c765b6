// The cycle collector: frees groups of objects that refer to each other but that nothing else
// refers to (ARC alone never frees them). Trial deletion over tracked container objects, as
// CPython's gc does.
//
// WHAT IS TRACKED. Objects that can hold references to other tracked objects and close a cycle:
// instances, lists, dicts, sets, cells, functions, bound methods, builtin methods bound to a
// tracked object (`f = lst.append`), and tuples holding a tracked object when made (their items
// never change, so a tuple of ints or strs can never be in a cycle). Not tracked: strs, numbers,
// classes, modules, iterators and generators (their Swift closures and frames are opaque), st
// objects. A reference from an untracked object is never seen, so it counts as an outside
// reference: cycles through untracked objects leak, safely.
//
// Every tracked object sits in the table of its generation (0, 1, 2): `gcGen` is the table plus
// one (0: not tracked), `gcIndex` its position. Both fit in PyObject's padding (no memory).
// Tracking is an append at init; untracking (first thing in deinit) moves the table's last entry
// into the hole. Generation 0's count is therefore allocations minus deallocations, as CPython's
// is: objects that ARC frees at once (most) never make a collection due.
//
// ONE COLLECTION of generation g (younger tables merged into it first):
//  1. refs[i] = the strong retain count of object i (swift_retainCount: the number of strong
//     references, read in place, without taking one).
//  2. For each object, for each reference it holds to an object of this generation, refs[target]
//     -= 1 (1 and 2 are one pass: the sums meet in any order). What remains is the number of
//     references from outside the generation: Swift locals, frames on the value stack, caches,
//     closures, untracked objects, older generations.
//  3. Objects with refs > 0 are roots; everything reachable from them (over every reference,
//     certain or not) is live. The rest is garbage: only garbage refers to it.
//  4. Survivors move to the next generation. Garbage is untracked, held in a Swift array (so
//     nothing is freed half way), its contents dropped (slots, items, cells emptied), then the
//     array is released and ARC frees the lot.
//
// SAFETY: trial deletion may only subtract references that really are counted in the target's
// retain count; an extra reference the traversal cannot see only makes a root (a leak, never a
// use after free). The one way to subtract too much is storage shared by two owners: Swift
// arrays and dictionaries are copy-on-write, so two objects (or an object and a Swift local
// that is iterating it) may share one buffer that holds ONE reference to each element. So a
// buffer's elements are subtracted only when the buffer's own retain count is 1 (read from the
// buffer pointer stored in the object, without copying the array); a shared buffer's elements
// count as referenced from outside. The same holds for the exception state object an instance
// points to. Step 2 ends with a check that no count went below zero; if one did, the collection
// frees nothing.
//
// Nothing may run in the middle: no interpreted code, no deinit, between step 1 and the end of
// step 4's table moves. Interpreted code can run while garbage is cleared (dropping a suspended
// generator runs its `finally`), but it cannot see garbage (a generator's frame is opaque, so
// whatever it refers to counted as referenced from outside), and a collection asked for then
// waits (`collecting`). Deinits untrack first, before releasing anything, so an object being
// freed is never in a table when interpreted code (a dropped generator again) gets to run.
//
// WHEN: generation 0 holding more than `threshold0` objects asks for a collection through
// `interruptRequested` (bit 2), which the interpreter already reads at every function entry and
// loop back-edge: no cost on the hot path. The collection runs at that point, where Swift holds
// every object it still uses strongly (a frame slot, a local, an argument; code that went on
// using an object through an unowned(unsafe) or Unmanaged alias after its last strong
// reference ended would be wrong under ARC alone, and the runtime is built on that rule, see
// Package.swift's note on lexical lifetimes), or through a chain of strong references from
// one that the marking follows. `gc.collect()` is such a point too. Generation 1 is
// collected every `threshold1` generation-0 collections, generation 2 every `threshold2`
// generation-1 collections when the objects moved into it since its last collection are more
// than a quarter of it (CPython's rule), so a program building millions of long-lived objects
// pays linear time.
//
// One collector per process: interpreters run one at a time on one thread (the reference
// counts are not atomic either, see Package.swift).
//
// LIMITS. A cycle through an untracked object (a suspended generator's frame, an iterator's
// closure, a class, a module, an st object) is never freed; nor is one whose only path goes
// through a copy-on-write buffer shared at collection time (until a write unshares it).
// `gc.collect()` counts objects as stlang has them, so its number differs from CPython's.
//
// TESTING. `STLANG_GC_THRESHOLD=0` collects at nearly every function call and loop iteration
// (the golden corpus, the samples and the benchmarks give the same output under it);
// `STLANG_GC_DEBUG=1` checks every table entry around each collection and prints a line.

import Foundation
import InterruptFlag

@_silgen_name("swift_retainCount")
private func swiftRetainCount(_ object: UnsafeMutableRawPointer) -> Int

/// The strong retain count of the object whose reference is the first word of `value` (an
/// array's or dictionary's buffer, an optional class reference); 0 for nil. Read in place, as
/// copying the value would take a reference. (An implicit `&value` pointer conversion was seen
/// to hand over a temporary instead of the variable: hence `withUnsafeMutablePointer`, and an
/// opaque function, so the optimizer cannot reason about the word through the type pun.)
@inline(__always)
private func storedReferenceCount<T>(_ value: inout T) -> Int {
    precondition(MemoryLayout<T>.size == MemoryLayout<UnsafeRawPointer>.size)
    return withUnsafeMutablePointer(to: &value) { referenceCount(atWord: UnsafeRawPointer($0)) }
}

@inline(never)
private func referenceCount(atWord p: UnsafeRawPointer) -> Int {
    guard let o = p.load(as: UnsafeMutableRawPointer?.self) else { return 0 }
    return swiftRetainCount(o)
}

/// One generation's objects, unretained.
struct GCTable {
    var base: UnsafeMutablePointer<UnsafeMutableRawPointer>? = nil
    var count = 0
    var capacity = 0

    @inline(never)
    mutating func reserve(_ n: Int) {
        if n <= capacity { return }
        var c = Swift.max(capacity * 2, 1024)
        while c < n { c *= 2 }
        precondition(c <= Int(Int32.max), "too many tracked objects")
        let nb = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: c)
        if let base {
            nb.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = nb
        capacity = c
    }

    @inline(__always)
    mutating func remove(at i: Int) {
        let last = count &- 1
        count = last
        if i != last {
            let b = base.unsafelyUnwrapped
            let moved = b[last]
            b[i] = moved
            Unmanaged<PyObject>.fromOpaque(moved)._withUnsafeGuaranteedRef { $0.gcIndex = Int32(truncatingIfNeeded: i) }
        }
    }
}

/// Walks the references an object holds. Subtracting (step 2) it decrements the counts of the
/// targets it can be sure of; marking (step 3) it marks every target it sees as live.
struct GCVisitor {
    /// The `gcGen` of the generation being collected: references to other objects are ignored.
    let tag: UInt8
    var subtracting: Bool
    /// Int32, half the cache footprint of Int (counts beyond 2^31 are clamped: such an object
    /// is a root either way).
    let refs: UnsafeMutablePointer<Int32>
    let stack: UnsafeMutablePointer<Int32>
    var top = 0

    @inline(__always)
    mutating func object(_ o: PyObject) {
        if o.gcGen != tag { return }
        let i = Int(o.gcIndex)
        if subtracting {
            refs[i] &-= 1
        } else if refs[i] == 0 {
            refs[i] = -1
            stack[top] = Int32(truncatingIfNeeded: i)
            top += 1
        }
    }

    /// An object in an array, read in place (a `.obj` payload is the reference, at offset 0),
    /// without retaining it.
    @inline(__always)
    mutating func element(_ p: UnsafePointer<Value>) {
        guard case .obj = p.pointee else { return }
        UnsafeRawPointer(p).load(as: Unmanaged<PyObject>.self)._withUnsafeGuaranteedRef { object($0) }
    }

    @inline(__always)
    mutating func value(_ v: Value) {
        if case .obj(let o) = v { object(o) }
    }

    /// An array the object holds (passed in place: `&obj.items`).
    mutating func values(_ a: inout [Value]) {
        if a.isEmpty { return }
        if subtracting && storedReferenceCount(&a) != 1 { return }
        a.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return }
            for i in 0..<b.count { element(p + i) }
        }
    }

    mutating func cells(_ a: inout [PyCell]) {
        if a.isEmpty { return }
        if subtracting && storedReferenceCount(&a) != 1 { return }
        a.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return }
            for i in 0..<b.count {
                UnsafeRawPointer(p + i).load(as: Unmanaged<PyObject>.self)._withUnsafeGuaranteedRef { object($0) }
            }
        }
    }

    /// A dict's entries (key and value of each, read in place).
    mutating func entries(_ a: inout [DictEntry]) {
        if a.isEmpty { return }
        if subtracting && storedReferenceCount(&a) != 1 { return }
        let keyOffset = MemoryLayout<DictEntry>.offset(of: \DictEntry.key)!
        let valueOffset = MemoryLayout<DictEntry>.offset(of: \DictEntry.value)!
        a.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return }
            for i in 0..<b.count {
                let e = UnsafeRawPointer(p + i)
                element((e + keyOffset).assumingMemoryBound(to: Value.self))
                element((e + valueOffset).assumingMemoryBound(to: Value.self))
            }
        }
    }

    mutating func dictionary(_ d: inout [String: Value]) {
        if d.isEmpty { return }
        if subtracting && storedReferenceCount(&d) != 1 { return }
        for v in d.values { value(v) }
    }

    /// An instance's `extra`: an exception state (part of the instance when only it holds
    /// it), or the list or dict of a builtin subclass's instance (an object like any other).
    mutating func instanceExtra(_ s: inout AnyObject?) {
        if s == nil { return }
        let isState = type(of: s.unsafelyUnwrapped) == ExceptionState.self
        if !isState {
            object(unsafeDowncast(s.unsafelyUnwrapped, to: PyObject.self))
            return
        }
        if subtracting && storedReferenceCount(&s) != 1 { return }
        unsafeDowncast(s.unsafelyUnwrapped, to: ExceptionState.self).gcTraverse(&self)
    }
}

enum CycleGC {
    /// The bit of `interruptRequested` that asks for a collection.
    static let requestBit: Int32 = 2

    nonisolated(unsafe) static var young = GCTable()
    nonisolated(unsafe) static var middle = GCTable()
    nonisolated(unsafe) static var old = GCTable()

    /// Generation 0's size at which to ask for a collection (again, if the request was lost:
    /// the REPL clears `interruptRequested`); Int.max while disabled.
    nonisolated(unsafe) static var requestAt = 700
    nonisolated(unsafe) static var threshold0 = 700
    nonisolated(unsafe) static var threshold1 = 10
    nonisolated(unsafe) static var threshold2 = 10
    /// Generation-0 collections since the last collection of generation 1, and generation-1
    /// collections since the last of generation 2 (CPython's gen[1].count and gen[2].count).
    nonisolated(unsafe) static var count1 = 0
    nonisolated(unsafe) static var count2 = 0
    /// Objects moved into generation 2 since its last collection, and its size then.
    nonisolated(unsafe) static var longLivedPending = 0
    nonisolated(unsafe) static var longLivedTotal = 0
    nonisolated(unsafe) static var enabled = true
    nonisolated(unsafe) static var collecting = false
    /// Collections whose counts went below zero (a reference subtracted that was not counted):
    /// they freed nothing. Always 0 unless the traversal has a bug.
    nonisolated(unsafe) static var anomalies = 0
    nonisolated(unsafe) static var collections = (0, 0, 0)
    nonisolated(unsafe) static var collected = 0

    /// `STLANG_GC_DEBUG=1`: each collection checks every table entry and prints a line to stderr.
    static let debug: Bool = getenv("STLANG_GC_DEBUG").map { String(cString: $0) == "1" } ?? false

    /// `STLANG_GC_THRESHOLD=N` sets generation 0's threshold (a torture test: 1 collects at
    /// nearly every function call and loop iteration). Read when a runtime starts.
    static func applyEnvironment() {
        guard let p = getenv("STLANG_GC_THRESHOLD"), let t = Int(String(cString: p)), t >= 0 else { return }
        threshold0 = t
        setEnabled(enabled)
    }

    /// Every entry of every table points back to itself (debugging aid).
    static func verifyTables() {
        for g in 0..<3 {
            let t = withTable(g) { $0 }
            for i in 0..<t.count {
                Unmanaged<PyObject>.fromOpaque(t.base.unsafelyUnwrapped[i])._withUnsafeGuaranteedRef { o in
                    precondition(o.gcGen == UInt8(g + 1) && Int(o.gcIndex) == i, "gc table \(g) entry \(i) is stale")
                    switch o.kind {
                    case .instance, .list, .tuple, .dict, .set, .frozenset, .cell, .function, .boundMethod, .builtin: break
                    default: preconditionFailure("gc table \(g) entry \(i) has kind \(o.kind)")
                    }
                }
            }
        }
    }

    /// Called from `PyObject.init(trackedKind:)`. Out of line: allocation sites stay small
    /// (inlined into a hot closure, the extra code was seen to cost it spills and moves).
    @inline(never)
    static func track(_ o: PyObject) {
        let n = young.count
        o.gcGen = 1
        o.gcIndex = Int32(truncatingIfNeeded: n)
        let raw = Unmanaged.passUnretained(o).toOpaque()
        if n == young.capacity { young.reserve(n &+ 1) }
        young.base.unsafelyUnwrapped[n] = raw
        young.count = n &+ 1
        if n >= requestAt { requestCollection() }
    }

    @inline(__always)
    static func untrack(_ o: PyObject) {
        if o.gcGen == 1 {
            young.remove(at: Int(o.gcIndex))
        } else {
            untrackOlder(o)
        }
    }

    @inline(never)
    static func untrackOlder(_ o: PyObject) {
        if o.gcGen == 2 { middle.remove(at: Int(o.gcIndex)) } else { old.remove(at: Int(o.gcIndex)) }
        o.gcGen = 0
    }

    /// Whether a new tuple with these items must be tracked.
    @inline(__always)
    static func holdsTrackedObject(_ items: [Value]) -> Bool {
        items.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return false }
            for i in 0..<b.count {
                guard case .obj = p[i] else { continue }
                let tracked = UnsafeRawPointer(p + i).load(as: Unmanaged<PyObject>.self)._withUnsafeGuaranteedRef { $0.gcGen != 0 }
                if tracked { return true }
            }
            return false
        }
    }

    @inline(never)
    static func requestCollection() {
        guard enabled else { requestAt = Int.max; return }
        requestAt = young.count + threshold0
        if !collecting { stl_interrupt_set_bits(requestBit) }
    }

    static func setEnabled(_ on: Bool) {
        enabled = on
        requestAt = on ? Swift.max(threshold0, young.count) : Int.max
    }

    /// At a safe point, after a request: collects the generation that is due.
    static func collectDue() {
        guard enabled, !collecting else { return }
        if young.count <= threshold0 {
            // Freed since the request.
            requestAt = threshold0
            return
        }
        if count2 >= threshold2 && longLivedPending > longLivedTotal / 4 {
            _ = collect(generation: 2)
        } else if count1 >= threshold1 {
            _ = collect(generation: 1)
        } else {
            _ = collect(generation: 0)
        }
    }

    @inline(__always)
    private static func withTable<R>(_ g: Int, _ body: (inout GCTable) -> R) -> R {
        switch g {
        case 0: return body(&young)
        case 1: return body(&middle)
        default: return body(&old)
        }
    }

    /// Moves every object of the younger tables into table `g`.
    private static func mergeYounger(into g: Int) {
        let tag = UInt8(g + 1)
        for y in 0..<g {
            let src = withTable(y) { t -> GCTable in
                let copy = t
                t.count = 0
                return copy
            }
            guard src.count > 0, let sb = src.base else { continue }
            withTable(g) { t in
                t.reserve(t.count + src.count)
                for i in 0..<src.count {
                    let raw = sb[i]
                    t.base.unsafelyUnwrapped[t.count] = raw
                    Unmanaged<PyObject>.fromOpaque(raw)._withUnsafeGuaranteedRef { o in
                        o.gcGen = tag
                        o.gcIndex = Int32(truncatingIfNeeded: t.count)
                    }
                    t.count += 1
                }
            }
        }
    }

    @inline(__always)
    private static func traverse(_ raw: UnsafeMutableRawPointer, _ v: inout GCVisitor) {
        Unmanaged<PyObject>.fromOpaque(raw)._withUnsafeGuaranteedRef { o in
            switch o.kind {
            case .instance: unsafeDowncast(o, to: PyInstance.self).gcTraverse(&v)
            case .list: unsafeDowncast(o, to: PyList.self).gcTraverse(&v)
            case .tuple: unsafeDowncast(o, to: PyTuple.self).gcTraverse(&v)
            case .dict: unsafeDowncast(o, to: PyDict.self).gcTraverse(&v)
            case .set, .frozenset: unsafeDowncast(o, to: PySet.self).gcTraverse(&v)
            case .cell: unsafeDowncast(o, to: PyCell.self).gcTraverse(&v)
            case .function: unsafeDowncast(o, to: PyFunction.self).gcTraverse(&v)
            case .boundMethod: unsafeDowncast(o, to: PyBoundMethod.self).gcTraverse(&v)
            case .builtin: unsafeDowncast(o, to: PyBuiltin.self).gcTraverse(&v)
            default: break
            }
        }
    }

    private static func clearContents(_ o: PyObject) {
        switch o.kind {
        case .instance: unsafeDowncast(o, to: PyInstance.self).gcClear()
        case .list: unsafeDowncast(o, to: PyList.self).gcClear()
        case .tuple: unsafeDowncast(o, to: PyTuple.self).gcClear()
        case .dict: unsafeDowncast(o, to: PyDict.self).gcClear()
        case .set, .frozenset: unsafeDowncast(o, to: PySet.self).gcClear()
        case .cell: unsafeDowncast(o, to: PyCell.self).gcClear()
        case .function: unsafeDowncast(o, to: PyFunction.self).gcClear()
        // Bound methods hold their receiver and function in constants; the cycle they are in
        // goes through a receiver or a cell, which is cleared.
        default: break
        }
    }

    /// Collects generation `g` and the younger ones; returns the number of objects found
    /// unreachable (and freed).
    @discardableResult
    static func collect(generation g: Int) -> Int {
        if collecting { return 0 }
        collecting = true
        defer { collecting = false }
        if debug { verifyTables() }
        mergeYounger(into: g)
        let tag = UInt8(g + 1)
        let table = withTable(g) { $0 }
        let n = table.count
        var garbage: [PyObject] = []
        if n > 0, let base = table.base {
            let refs = UnsafeMutablePointer<Int32>.allocate(capacity: n)
            let stack = UnsafeMutablePointer<Int32>.allocate(capacity: n)
            defer {
                refs.deallocate()
                stack.deallocate()
            }
            // 1 and 2 in one pass (one visit of each object): its retain count, minus the
            // references it holds to objects of this generation (counts meet in any order).
            refs.initialize(repeating: 0, count: n)
            var v = GCVisitor(tag: tag, subtracting: true, refs: refs, stack: stack)
            for i in 0..<n {
                let raw = base[i]
                refs[i] &+= Int32(clamping: swiftRetainCount(raw))
                traverse(raw, &v)
            }
            var consistent = true
            for i in 0..<n where refs[i] < 0 { consistent = false; break }
            if !consistent {
                anomalies += 1
                for i in 0..<n { refs[i] = -1 }
            } else {
                // 3. Everything reachable from the roots is live. Roots are taken in table
                // order (roughly address order); only objects found through them go through the
                // stack.
                v.subtracting = false
                for i in 0..<n where refs[i] > 0 {
                    refs[i] = -1
                    traverse(base[i], &v)
                    while v.top > 0 {
                        v.top -= 1
                        traverse(base[Int(stack[v.top])], &v)
                    }
                }
            }
            // 4. Survivors to the next generation (the oldest keeps them in place), garbage
            // out. A survivor is only written to when its place changes.
            let dest = Swift.min(g + 1, 2)
            let destTag = UInt8(dest + 1)
            var kept = 0
            @inline(__always) func takeGarbage(_ raw: UnsafeMutableRawPointer) {
                let o = Unmanaged<PyObject>.fromOpaque(raw).takeUnretainedValue()
                o.gcGen = 0
                garbage.append(o)
            }
            if dest == g {
                for i in 0..<n {
                    let raw = base[i]
                    if refs[i] == -1 {
                        if kept != i {
                            base[kept] = raw
                            Unmanaged<PyObject>.fromOpaque(raw)._withUnsafeGuaranteedRef { $0.gcIndex = Int32(truncatingIfNeeded: kept) }
                        }
                        kept += 1
                    } else {
                        takeGarbage(raw)
                    }
                }
            } else {
                withTable(dest) { t in
                    t.reserve(t.count + n)
                    let db = t.base.unsafelyUnwrapped
                    for i in 0..<n {
                        let raw = base[i]
                        if refs[i] == -1 {
                            db[t.count] = raw
                            let at = Int32(truncatingIfNeeded: t.count)
                            Unmanaged<PyObject>.fromOpaque(raw)._withUnsafeGuaranteedRef { o in
                                o.gcGen = destTag
                                o.gcIndex = at
                            }
                            t.count += 1
                            kept += 1
                        } else {
                            takeGarbage(raw)
                        }
                    }
                }
            }
            withTable(g) { $0.count = dest == g ? kept : 0 }
            if dest == 2 && g == 1 { longLivedPending += kept }
            if g == 2 {
                longLivedPending = 0
                longLivedTotal = kept
            }
        }
        switch g {
        case 0: collections.0 += 1; count1 += 1
        case 1: collections.1 += 1; count1 = 0; count2 += 1
        default: collections.2 += 1; count1 = 0; count2 = 0
        }
        requestAt = enabled ? threshold0 : Int.max
        // 5. Break the cycles: drop what the garbage holds, then the garbage itself.
        let found = garbage.count
        collected += found
        for o in garbage { clearContents(o) }
        garbage = []
        if debug {
            verifyTables()
            FileHandle.standardError.write("gc: generation \(g): \(n) objects, \(found) unreachable; tables \(young.count)/\(middle.count)/\(old.count), anomalies \(anomalies)\n".data(using: .utf8)!)
        }
        return found
    }
}

// MARK: - The `gc` module

extension Runtime {
    func makeGCModule() -> PyModule {
        func intArg(_ v: Value, _ fname: String) throws(PyErr) -> Int {
            switch v {
            case .int(let i): return i
            case .bool(let b): return b ? 1 : 0
            default: throw typeError("'\(typeName(v))' object cannot be interpreted as an integer")
            }
        }
        return makeNativeModule("gc", functions: [
            ("collect", { args, kwargs throws(PyErr) in
                try self.argCount("collect", args, 0, 1)
                var g = 2
                if let a = args.first ?? kwargs.first(where: { $0.0 == "generation" })?.1 { g = try intArg(a, "collect") }
                guard (0...2).contains(g) else { throw self.valueError("invalid generation") }
                return .int(CycleGC.collect(generation: g))
            }),
            ("enable", { args, _ throws(PyErr) in
                try self.argCount("enable", args, 0, 0)
                CycleGC.setEnabled(true)
                return .none
            }),
            ("disable", { args, _ throws(PyErr) in
                try self.argCount("disable", args, 0, 0)
                CycleGC.setEnabled(false)
                return .none
            }),
            ("isenabled", { args, _ throws(PyErr) in
                try self.argCount("isenabled", args, 0, 0)
                return .bool(CycleGC.enabled)
            }),
            ("get_count", { args, _ throws(PyErr) in
                try self.argCount("get_count", args, 0, 0)
                return .obj(PyTuple([.int(CycleGC.young.count), .int(CycleGC.count1), .int(CycleGC.count2)]))
            }),
            ("get_threshold", { args, _ throws(PyErr) in
                try self.argCount("get_threshold", args, 0, 0)
                return .obj(PyTuple([.int(CycleGC.threshold0), .int(CycleGC.threshold1), .int(CycleGC.threshold2)]))
            }),
            ("set_threshold", { args, _ throws(PyErr) in
                try self.argCount("set_threshold", args, 1, 3)
                let t = try args.map { v throws(PyErr) in try intArg(v, "set_threshold") }
                // CPython takes 0 to mean "never"; a floor of 1 keeps that meaning close enough.
                CycleGC.threshold0 = t[0] <= 0 ? Int.max / 2 : t[0]
                if t.count > 1 { CycleGC.threshold1 = Swift.max(t[1], 0) }
                if t.count > 2 { CycleGC.threshold2 = Swift.max(t[2], 0) }
                CycleGC.setEnabled(CycleGC.enabled)
                return .none
            }),
        ], constants: [
            ("garbage", .obj(PyList([]))),
        ])
    }
}
