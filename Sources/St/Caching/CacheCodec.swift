import Foundation
import Interpreter

/// The data-only, versioned encoding of persisted entries: values (None, bools, ints, floats,
/// str, bytes, list, tuple, dict, set, frozenset, range, instances of classes by module and
/// name) and the recorded elements. Nothing in it can run code when loaded (unlike pickle).
struct CacheEncoder {
    var bytes: [UInt8] = []

    struct Unsupported: Error { let typeName: String }

    mutating func u8(_ b: UInt8) { bytes.append(b) }
    mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
    mutating func int(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
    mutating func text(_ s: String) { let u = Array(s.utf8); int(u.count); bytes += u }

    mutating func value(_ v: Value, _ rt: Runtime, depth: Int = 0) throws(Unsupported) {
        if depth > 500 { throw Unsupported(typeName: "nesting deeper than 500") }
        switch v {
        case .none, .undef: u8(0)
        case .bool(let b): u8(b ? 2 : 1)
        case .int(let i): u8(3); int(i)
        case .float(let d): u8(5); u64(d.bitPattern)
        case .obj(let o):
            if let b = v.asBigInt { u8(4); text(b.value.description); return }
            if let s = v.asStr { u8(6); text(s.value); return }
            switch o.kind {
            case .bytes: u8(7); let b = (o as? PyBytes)?.bytes ?? []; int(b.count); bytes += b
            case .list: u8(8); let items = v.asList?.items ?? []; int(items.count); for x in items { try value(x, rt, depth: depth + 1) }
            case .tuple: u8(9); let items = v.asTuple?.items ?? []; int(items.count); for x in items { try value(x, rt, depth: depth + 1) }
            case .dict:
                u8(10); let items = v.asDict?.items ?? []; int(items.count)
                for (k, x) in items { try value(k, rt, depth: depth + 1); try value(x, rt, depth: depth + 1) }
            case .set, .frozenset:
                u8(o.kind == .set ? 11 : 12)
                let items = (try? rt.collect(v)) ?? []
                int(items.count)
                for x in items { try value(x, rt, depth: depth + 1) }
            case .range:
                guard let r = o as? PyRange else { throw Unsupported(typeName: "range") }
                u8(14); int(r.start); int(r.stop); int(r.step)
            case .instance:
                let inst = unsafeDowncast(o, to: PyInstance.self)
                if inst.exception != nil { throw Unsupported(typeName: inst.cls.name) }
                u8(13); text(inst.cls.moduleName); text(inst.cls.qualname)
                let attrs = inst.attributePairs
                int(attrs.count)
                for (k, x) in attrs { text(k); try value(x, rt, depth: depth + 1) }
            default:
                throw Unsupported(typeName: rt.typeName(v))
            }
        }
    }

    mutating func json(_ j: JSON) {
        switch j {
        case .null: u8(0)
        case .bool(let b): u8(b ? 2 : 1)
        case .int(let i): u8(3); int(i)
        case .bigInt(let s): u8(4); text(s)
        case .double(let d): u8(5); u64(d.bitPattern)
        case .string(let s): u8(6); text(s)
        case .array(let a): u8(7); int(a.count); for x in a { json(x) }
        case .object(let f): u8(8); int(f.count); for (k, x) in f { text(k); json(x) }
        }
    }

    mutating func element(_ e: Element) {
        text(e.type)
        u8(e.isBlock ? 1 : 0)
        int(e.fields.count)
        for (k, v) in e.fields { text(k); json(v) }
        int(e.children.count)
        for c in e.children { element(c) }
    }

    mutating func target(_ t: ReplayTarget) {
        switch t {
        case .cursor: u8(0)
        case .sidebar: u8(1)
        case .created(let op, let path): u8(2); int(op); int(path.count); for p in path { int(p) }
        case .slot(let op): u8(3); int(op)
        case .outside: u8(4)
        }
    }
}

/// Reads what CacheEncoder wrote; every read is bounds-checked, so a corrupt or truncated entry
/// is an error, never a trap.
struct CacheDecoder {
    let bytes: [UInt8]
    var pos = 0
    let rt: Runtime

    struct Corrupt: Error { let why: String }

    init(_ bytes: [UInt8], rt: Runtime) {
        self.bytes = bytes
        self.rt = rt
    }

    mutating func u8() throws(Corrupt) -> UInt8 {
        guard pos < bytes.count else { throw Corrupt(why: "truncated") }
        defer { pos += 1 }
        return bytes[pos]
    }

    mutating func u64() throws(Corrupt) -> UInt64 {
        guard pos + 8 <= bytes.count else { throw Corrupt(why: "truncated") }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[pos + i]) << (8 * UInt64(i)) }
        pos += 8
        return v
    }

    mutating func int() throws(Corrupt) -> Int { Int(Int64(bitPattern: try u64())) }

    /// A count of items, each at least one byte: never more than what is left.
    mutating func count() throws(Corrupt) -> Int {
        let n = try int()
        guard n >= 0, n <= bytes.count - pos else { throw Corrupt(why: "bad length") }
        return n
    }

    mutating func text() throws(Corrupt) -> String {
        let n = try count()
        let s = String(decoding: bytes[pos..<(pos + n)], as: UTF8.self)
        pos += n
        return s
    }

    mutating func value(depth: Int = 0) throws(Corrupt) -> Value {
        if depth > 500 { throw Corrupt(why: "too deep") }
        switch try u8() {
        case 0: return .none
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .int(try int())
        case 4:
            let digits = try text()
            let v: Value
            do throws(PyErr) { v = try rt.call(rt.builtins["int"] ?? .none, [.str(digits)]) } catch { throw Corrupt(why: "bad int") }
            return v
        case 5: return .float(Double(bitPattern: try u64()))
        case 6: return .str(try text())
        case 7:
            let n = try count()
            let b = Array(bytes[pos..<(pos + n)])
            pos += n
            return .obj(PyBytes(b))
        case 8, 9:
            let isList = bytes[pos - 1] == 8
            let n = try count()
            var items: [Value] = []
            for _ in 0..<n { items.append(try value(depth: depth + 1)) }
            return isList ? .obj(PyList(items)) : .obj(PyTuple(items))
        case 10:
            let n = try count()
            let d = PyDict()
            for _ in 0..<n {
                let k = try value(depth: depth + 1)
                let v = try value(depth: depth + 1)
                do throws(PyErr) { try d.set(k, v, rt) } catch { throw Corrupt(why: "unhashable dict key") }
            }
            return .obj(d)
        case 11, 12:
            let frozen = bytes[pos - 1] == 12
            let n = try count()
            let s = PySet(frozen: frozen)
            for _ in 0..<n {
                let k = try value(depth: depth + 1)
                do throws(PyErr) { try s.add(k, rt) } catch { throw Corrupt(why: "unhashable set item") }
            }
            return .obj(s)
        case 13:
            let module = try text()
            let qualname = try text()
            guard let m = rt.modules[module] else { throw Corrupt(why: "module '\(module)' of class \(qualname) is not loaded") }
            var cls: Value = .obj(m)
            for part in qualname.split(separator: ".") {
                guard let c = try? rt.getAttrOrNil(cls, String(part)) else { throw Corrupt(why: "class \(module).\(qualname) not found") }
                cls = c
            }
            guard let c = cls.asClass else { throw Corrupt(why: "\(module).\(qualname) is not a class") }
            let inst = PyInstance(cls: c)
            let n = try count()
            for _ in 0..<n {
                let k = try text()
                inst.setAttr(k, try value(depth: depth + 1))
            }
            return .obj(inst)
        case 14:
            let start = try int(), stop = try int(), step = try int()
            guard step != 0 else { throw Corrupt(why: "bad range") }
            return .obj(PyRange(start: start, stop: stop, step: step))
        default:
            throw Corrupt(why: "unknown value tag")
        }
    }

    mutating func json(depth: Int = 0) throws(Corrupt) -> JSON {
        if depth > 500 { throw Corrupt(why: "too deep") }
        switch try u8() {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .int(try int())
        case 4: return .bigInt(try text())
        case 5: return .double(Double(bitPattern: try u64()))
        case 6: return .string(try text())
        case 7:
            let n = try count()
            var a: [JSON] = []
            for _ in 0..<n { a.append(try json(depth: depth + 1)) }
            return .array(a)
        case 8:
            let n = try count()
            var f: [(String, JSON)] = []
            for _ in 0..<n { let k = try text(); f.append((k, try json(depth: depth + 1))) }
            return .object(f)
        default: throw Corrupt(why: "unknown JSON tag")
        }
    }

    mutating func element(depth: Int = 0) throws(Corrupt) -> Element {
        if depth > 200 { throw Corrupt(why: "too deep") }
        let type = try text()
        let isBlock = try u8() == 1
        let n = try count()
        var fields: [(String, JSON)] = []
        for _ in 0..<n { let k = try text(); fields.append((k, try json())) }
        let e = Element(type, fields, isBlock: isBlock)
        let c = try count()
        for _ in 0..<c { e.adopt(try element(depth: depth + 1)) }
        return e
    }

    mutating func target() throws(Corrupt) -> ReplayTarget {
        switch try u8() {
        case 0: return .cursor
        case 1: return .sidebar
        case 2:
            let op = try int()
            let n = try count()
            var path: [Int] = []
            for _ in 0..<n { path.append(try int()) }
            return .created(op: op, path: path)
        case 3: return .slot(op: try int())
        case 4: return .outside
        default: throw Corrupt(why: "unknown target tag")
        }
    }
}
