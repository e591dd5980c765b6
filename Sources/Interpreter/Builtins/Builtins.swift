import BigInt
import Foundation

// The builtin functions and the constructors of the builtin types.

extension Runtime {
    func defineBuiltin(_ name: String, _ fn: @escaping NativeFunction) {
        builtins[name] = .obj(PyBuiltin(name, fn))
    }

    func argCount(_ name: String, _ args: [Value], _ lo: Int, _ hi: Int) throws(PyErr) {
        if args.count < lo || args.count > hi {
            if lo == hi {
                if lo == 1 { throw typeError("\(name)() takes exactly one argument (\(args.count) given)") }
                throw typeError("\(name) expected \(lo) arguments, got \(args.count)")
            }
            if args.count < lo { throw typeError("\(name) expected at least \(lo) argument\(lo == 1 ? "" : "s"), got \(args.count)") }
            throw typeError("\(name) expected at most \(hi) argument\(hi == 1 ? "" : "s"), got \(args.count)")
        }
    }

    func noKwargs(_ name: String, _ kwargs: KwArgs) throws(PyErr) {
        if !kwargs.isEmpty { throw typeError("\(name)() takes no keyword arguments") }
    }

    /// Reads keyword arguments a builtin accepts; rejects others.
    func keywords(_ name: String, _ kwargs: KwArgs, _ allowed: [String]) throws(PyErr) -> [String: Value] {
        var out: [String: Value] = [:]
        for (k, v) in kwargs {
            guard allowed.contains(k) else { throw typeError("\(name)() got an unexpected keyword argument '\(k)'") }
            out[k] = v
        }
        return out
    }

    func installBuiltins() {
        let t = types
        builtins["None"] = Value.none
        builtins["True"] = .bool(true)
        builtins["False"] = .bool(false)
        builtins["NotImplemented"] = .obj(notImplementedObject)
        builtins["Ellipsis"] = .obj(ellipsisObject)
        for c in [t.object, t.type, t.int, t.bool, t.float, t.str, t.bytes, t.list, t.tuple, t.dict, t.set, t.frozenset,
                  t.range, t.slice, t.property, t.staticmethod, t.classmethod, t.superType] {
            builtins[c.name] = .obj(c)
        }
        for c in t.exceptions { builtins[c.name] = .obj(c) }
        builtins["EnvironmentError"] = .obj(t.OSError)
        builtins["IOError"] = .obj(t.OSError)
        installConstructors()

        defineBuiltin("print") { args, kwargs throws(PyErr) in
            let kw = try self.keywords("print", kwargs, ["sep", "end", "file", "flush"])
            var sep = " ", end = "\n"
            if let s = kw["sep"], !s.isNone {
                guard let ss = s.asStr else { throw self.typeError("sep must be None or a string, not \(self.typeName(s))") }
                sep = ss.value
            }
            if let e = kw["end"], !e.isNone {
                guard let es = e.asStr else { throw self.typeError("end must be None or a string, not \(self.typeName(e))") }
                end = es.value
            }
            var out = ""
            for (i, a) in args.enumerated() {
                if i > 0 { out += sep }
                if let s = a.asStr { out += s.value } else { out += try self.str(a) }
            }
            out += end
            if let f = kw["file"], !f.isNone {
                _ = try self.callMethod(f, "write", [.str(out)])
                return .none
            }
            self.stdout.write(out)
            return .none
        }
        defineBuiltin("len") { args, kwargs throws(PyErr) in
            try self.argCount("len", args, 1, 1)
            return .int(try self.length(args[0]))
        }
        defineBuiltin("repr") { args, _ throws(PyErr) in
            try self.argCount("repr", args, 1, 1)
            return .obj(try self.reprStr(args[0]))
        }
        defineBuiltin("ascii") { args, _ throws(PyErr) in
            try self.argCount("ascii", args, 1, 1)
            return .str(asciiEscape(try self.repr(args[0])))
        }
        defineBuiltin("abs") { args, _ throws(PyErr) in
            try self.argCount("abs", args, 1, 1)
            return try self.absolute(args[0])
        }
        defineBuiltin("hash") { args, _ throws(PyErr) in
            try self.argCount("hash", args, 1, 1)
            return .int(try self.hash(args[0]))
        }
        defineBuiltin("id") { args, _ throws(PyErr) in
            try self.argCount("id", args, 1, 1)
            if case .obj(let o) = args[0] { return .int(Int(bitPattern: UInt(bitPattern: ObjectIdentifier(o).hashValue))) }
            return .int(try self.hash(args[0]) & 0xffffffffffff)
        }
        defineBuiltin("callable") { args, _ throws(PyErr) in
            try self.argCount("callable", args, 1, 1)
            guard case .obj(let o) = args[0] else { return .bool(false) }
            switch o.kind {
            case .function, .builtin, .boundMethod, .cls: return .bool(true)
            case .instance, .native: return .bool(self.typeOf(args[0]).lookup(.call) != nil)
            default: return .bool(false)
            }
        }
        defineBuiltin("isinstance") { args, _ throws(PyErr) in
            try self.argCount("isinstance", args, 2, 2)
            return .bool(try self.isInstanceOf(args[0], args[1]))
        }
        defineBuiltin("issubclass") { args, _ throws(PyErr) in
            try self.argCount("issubclass", args, 2, 2)
            guard let c = args[0].asClass else { throw self.typeError("issubclass() arg 1 must be a class") }
            return .bool(try self.isSubclassOf(c, args[1]))
        }
        defineBuiltin("getattr") { args, _ throws(PyErr) in
            try self.argCount("getattr", args, 2, 3)
            guard let name = args[1].asStr else { throw self.typeError("attribute name must be string, not '\(self.typeName(args[1]))'") }
            if args.count == 3 {
                do throws(PyErr) {
                    if let v = try self.getAttrOrNil(args[0], name.value) { return v }
                } catch {
                    if !self.matches(error, self.types.AttributeError) { throw error }
                }
                return args[2]
            }
            return try self.getAttr(args[0], name.value)
        }
        defineBuiltin("setattr") { args, _ throws(PyErr) in
            try self.argCount("setattr", args, 3, 3)
            guard let name = args[1].asStr else { throw self.typeError("attribute name must be string, not '\(self.typeName(args[1]))'") }
            try self.setAttr(args[0], name.value, args[2])
            return .none
        }
        defineBuiltin("hasattr") { args, _ throws(PyErr) in
            try self.argCount("hasattr", args, 2, 2)
            guard let name = args[1].asStr else { throw self.typeError("attribute name must be string, not '\(self.typeName(args[1]))'") }
            do throws(PyErr) {
                return .bool(try self.getAttrOrNil(args[0], name.value) != nil)
            } catch {
                if self.matches(error, self.types.AttributeError) { return .bool(false) }
                throw error
            }
        }
        defineBuiltin("delattr") { args, _ throws(PyErr) in
            try self.argCount("delattr", args, 2, 2)
            guard let name = args[1].asStr else { throw self.typeError("attribute name must be string, not '\(self.typeName(args[1]))'") }
            try self.delAttr(args[0], name.value)
            return .none
        }
        defineBuiltin("iter") { args, _ throws(PyErr) in
            try self.argCount("iter", args, 1, 2)
            if args.count == 2 {
                let fn = args[0], sentinel = args[1]
                return .obj(PyIterator(cls: self.types.iterator) { () throws(PyErr) -> Value? in
                    let v = try self.call(fn, [])
                    if try self.equal(v, sentinel) { return nil }
                    return v
                })
            }
            return try self.iterator(of: args[0])
        }
        defineBuiltin("next") { args, _ throws(PyErr) in
            try self.argCount("next", args, 1, 2)
            let it = args[0]
            if case .obj(let o) = it, o.kind != .iterator, o.kind != .instance, o.kind != .native {
                throw self.typeError("'\(self.typeName(it))' object is not an iterator")
            }
            if args.count == 2 {
                return try self.nextItem(it) ?? args[1]
            }
            if case .obj(let o) = it, o.kind == .instance || o.kind == .native {
                guard let f = self.typeOf(it).lookup(.next) else {
                    throw self.typeError("'\(self.typeName(it))' object is not an iterator")
                }
                return try self.callMethod0(f, it)
            }
            guard let v = try self.nextItem(it) else { throw self.stopIteration(of: it) }
            return v
        }
        defineBuiltin("any") { args, _ throws(PyErr) in
            try self.argCount("any", args, 1, 1)
            var found = false
            try self.forEach(args[0]) { v throws(PyErr) in
                if try self.truthy(v) { found = true; return false }
                return true
            }
            return .bool(found)
        }
        defineBuiltin("all") { args, _ throws(PyErr) in
            try self.argCount("all", args, 1, 1)
            var ok = true
            try self.forEach(args[0]) { v throws(PyErr) in
                if try !self.truthy(v) { ok = false; return false }
                return true
            }
            return .bool(ok)
        }
        defineBuiltin("sum") { args, kwargs throws(PyErr) in
            let kw = try self.keywords("sum", kwargs, ["start"])
            try self.argCount("sum", args, 1, 2)
            var acc: Value = args.count > 1 ? args[1] : (kw["start"] ?? .int(0))
            if acc.asStr != nil { throw self.typeError("sum() can't sum strings [use ''.join(seq) instead]") }
            try self.forEach(args[0]) { v throws(PyErr) in
                acc = try self.add(acc, v)
                return true
            }
            return acc
        }
        defineBuiltin("min") { args, kwargs throws(PyErr) in try self.minMax("min", args, kwargs, wantMax: false) }
        defineBuiltin("max") { args, kwargs throws(PyErr) in try self.minMax("max", args, kwargs, wantMax: true) }
        defineBuiltin("sorted") { args, kwargs throws(PyErr) in
            try self.argCount("sorted", args, 1, 1)
            let kw = try self.keywords("sorted", kwargs, ["key", "reverse"])
            var items = try self.collect(args[0])
            try self.sortValues(&items, key: kw["key"] ?? .none, reverse: try self.truthy(kw["reverse"] ?? .bool(false)))
            return .obj(PyList(items))
        }
        defineBuiltin("reversed") { args, _ throws(PyErr) in
            try self.argCount("reversed", args, 1, 1)
            return try self.reversedIterator(args[0])
        }
        defineBuiltin("enumerate") { args, kwargs throws(PyErr) in
            let kw = try self.keywords("enumerate", kwargs, ["start", "iterable"])
            let iterable = args.first ?? kw["iterable"] ?? .none
            if args.isEmpty && kw["iterable"] == nil { throw self.typeError("enumerate() missing required argument 'iterable' (pos 1)") }
            let startValue = args.count > 1 ? args[1] : (kw["start"] ?? .int(0))
            guard startValue.bigIntValue != nil else {
                throw self.typeError("'\(self.typeName(startValue))' object cannot be interpreted as an integer")
            }
            var i = try self.positive(startValue)
            let it = try self.iterator(of: iterable)
            return .obj(PyIterator(cls: self.types.iterator) { () throws(PyErr) -> Value? in
                guard let v = try self.nextItem(it) else { return nil }
                let current = i
                i = try self.add(i, .int(1))
                return .obj(PyTuple([current, v]))
            })
        }
        defineBuiltin("zip") { args, kwargs throws(PyErr) in
            let kw = try self.keywords("zip", kwargs, ["strict"])
            let strict = try self.truthy(kw["strict"] ?? .bool(false))
            var its: [Value] = []
            for (i, a) in args.enumerated() {
                _ = i
                its.append(try self.iterator(of: a))
            }
            var done = false
            // Lists and tuples read by position (still seeing a list change size, as their
            // iterators would); each step then costs two reads and one tuple.
            if !strict, args.count == 2, let a = ZipSource(args[0]), let b = ZipSource(args[1]) {
                var i = 0
                return .obj(PyIterator(cls: self.types.iterator) { () -> Value? in
                    guard !done, let x = a.item(i), let y = b.item(i) else { done = true; return nil }
                    i += 1
                    return .obj(PyTuple([x, y]))
                })
            }
            return .obj(PyIterator(cls: self.types.iterator) { () throws(PyErr) -> Value? in
                if done || its.isEmpty { return nil }
                var items: [Value] = []
                items.reserveCapacity(its.count)
                for (i, it) in its.enumerated() {
                    guard let v = try self.nextItem(it) else {
                        done = true
                        if strict {
                            if i > 0 { throw self.valueError("zip() argument \(i + 1) is shorter than argument\(i > 1 ? "s 1-\(i)" : " 1")") }
                            for (j, other) in its.enumerated().dropFirst() where try self.nextItem(other) != nil {
                                throw self.valueError("zip() argument \(j + 1) is longer than argument\(j > 1 ? "s 1-\(j)" : " 1")")
                            }
                        }
                        return nil
                    }
                    items.append(v)
                }
                return .obj(PyTuple(items))
            })
        }
        defineBuiltin("map") { args, _ throws(PyErr) in
            if args.count < 2 { throw self.typeError("map() must have at least two arguments.") }
            let fn = args[0]
            let its = try args.dropFirst().map { a throws(PyErr) in try self.iterator(of: a) }
            return .obj(PyIterator(cls: self.types.iterator) { () throws(PyErr) -> Value? in
                if its.count == 1 {
                    guard let v = try self.nextItem(its[0]) else { return nil }
                    return try self.callOne(fn, v)
                }
                var items: [Value] = []
                for it in its {
                    guard let v = try self.nextItem(it) else { return nil }
                    items.append(v)
                }
                return try self.call(fn, items)
            })
        }
        defineBuiltin("filter") { args, _ throws(PyErr) in
            try self.argCount("filter", args, 2, 2)
            let fn = args[0]
            let it = try self.iterator(of: args[1])
            return .obj(PyIterator(cls: self.types.iterator) { () throws(PyErr) -> Value? in
                while let v = try self.nextItem(it) {
                    let keep = fn.isNone ? try self.truthy(v) : try self.truthy(self.callOne(fn, v))
                    if keep { return v }
                }
                return nil
            })
        }
        defineBuiltin("round") { args, kwargs throws(PyErr) in
            let kw = try self.keywords("round", kwargs, ["number", "ndigits"])
            let x = args.first ?? kw["number"] ?? .none
            let nd = args.count > 1 ? args[1] : (kw["ndigits"] ?? .none)
            return try self.roundValue(x, nd)
        }
        defineBuiltin("pow") { args, kwargs throws(PyErr) in
            try self.argCount("pow", args, 2, 3)
            if args.count == 3 && !args[2].isNone {
                guard let b = args[0].bigIntValue, let e = args[1].bigIntValue, let m = args[2].bigIntValue else {
                    throw self.typeError("pow() 3rd argument not allowed unless all arguments are integers")
                }
                if m == 0 { throw self.valueError("pow() 3rd argument cannot be 0") }
                var base = b, exp = e
                if exp < 0 {
                    guard let inv = self.modInverse(b, m) else { throw self.valueError("base is not invertible for the given modulus") }
                    base = inv
                    exp = -exp
                }
                var r = base.power(exp, modulus: m)
                if r != 0 && (r < 0) != (m < 0) { r += m }
                return .big(r)
            }
            return try self.binary(.pow, args[0], args[1])
        }
        defineBuiltin("divmod") { args, _ throws(PyErr) in
            try self.argCount("divmod", args, 2, 2)
            // Two machine ints, a non-zero divisor: floor division and modulo directly.
            if case .int(let x) = args[0], case .int(let y) = args[1], y != 0, !(x == Int.min && y == -1) {
                var q = x / y, r = x % y
                if r != 0 && ((r < 0) != (y < 0)) { q -= 1; r += y }
                return .obj(PyTuple([.int(q), .int(r)]))
            }
            if let (x, y) = self.smallInts(args[0], args[1]), y == 0, x == x {
                throw self.zeroDivision("integer division or modulo by zero")
            }
            if args[0].bigIntValue != nil, let y = args[1].bigIntValue, y == 0 {
                throw self.zeroDivision("integer division or modulo by zero")
            }
            // Floats by zero: CPython names the operation, not floor division.
            var anyFloat = false
            if case .float = args[0] { anyFloat = true }
            if case .float = args[1] { anyFloat = true }
            if anyFloat, try self.intToDouble(args[0]) != nil, let y = try self.intToDouble(args[1]), y == 0 {
                throw self.zeroDivision("float divmod()")
            }
            let q = try self.binary(.floorDiv, args[0], args[1])
            let r = try self.binary(.mod, args[0], args[1])
            return .obj(PyTuple([q, r]))
        }
        defineBuiltin("chr") { args, _ throws(PyErr) in
            try self.argCount("chr", args, 1, 1)
            let i = try self.indexValue(args[0], "'\(self.typeName(args[0]))' object cannot be interpreted as an integer")
            guard i >= 0, i <= 0x10FFFF else { throw self.valueError("chr() arg not in range(0x110000)") }
            guard let u = Unicode.Scalar(UInt32(i)) else { return .str("\u{FFFD}") }
            return charString(u)
        }
        defineBuiltin("ord") { args, _ throws(PyErr) in
            try self.argCount("ord", args, 1, 1)
            if let s = args[0].asStr {
                let n = s.count
                guard n == 1 else { throw self.typeError("ord() expected a character, but string of length \(n) found") }
                return .int(Int(s.scalar(at: 0).value))
            }
            if case .obj(let o) = args[0], o.kind == .bytes {
                let b = unsafeDowncast(o, to: PyBytes.self).bytes
                guard b.count == 1 else { throw self.typeError("ord() expected a character, but string of length \(b.count) found") }
                return .int(Int(b[0]))
            }
            throw self.typeError("ord() expected string of length 1, but \(self.typeName(args[0])) found")
        }
        for (name, radix, prefix) in [("hex", 16, "0x"), ("oct", 8, "0o"), ("bin", 2, "0b")] {
            defineBuiltin(name) { args, _ throws(PyErr) in
                try self.argCount(name, args, 1, 1)
                guard let b = args[0].bigIntValue else {
                    if let f = self.userUnary(args[0], "__index__") {
                        let v = try self.callMethodValue(f, args[0], [])
                        if let bb = v.bigIntValue { return .str((bb < 0 ? "-" : "") + prefix + String(bb.magnitude, radix: radix)) }
                    }
                    throw self.typeError("'\(self.typeName(args[0]))' object cannot be interpreted as an integer")
                }
                return .str((b < 0 ? "-" : "") + prefix + String(b.magnitude, radix: radix))
            }
        }
        defineBuiltin("format") { args, _ throws(PyErr) in
            try self.argCount("format", args, 1, 2)
            var spec = ""
            if args.count == 2 {
                guard let s = args[1].asStr else { throw self.typeError("format() argument 2 must be str, not \(self.typeName(args[1]))") }
                spec = s.value
            }
            var out = TextBuilder(storage: self.takeTextStorage(), capacity: 16)
            try self.appendFormat(args[0], spec, &out)
            let r = out.pyStr()
            self.returnTextStorage(out)
            return .obj(r)
        }
        defineBuiltin("vars") { args, _ throws(PyErr) in
            try self.argCount("vars", args, 1, 1)
            guard let d = try self.getAttrOrNil(args[0], "__dict__") else {
                throw self.typeError("vars() argument must have __dict__ attribute")
            }
            return d
        }
        defineBuiltin("dir") { args, _ throws(PyErr) in
            try self.argCount("dir", args, 1, 1)
            var names = Set<String>()
            let v = args[0]
            if let inst = v.asInstance { for (k, _) in inst.attributes { names.insert(k) } }
            if let m = v.asModule { for n in m.boundNames { names.insert(n) } } else {
                let cls = v.asClass ?? self.typeOf(v)
                for c in cls.mro { for k in c.dict.keys { names.insert(k) } }
            }
            return .obj(PyList(names.sorted { strCompare($0, $1) < 0 }.map { .str($0) }))
        }
        defineBuiltin("input") { args, _ throws(PyErr) in
            try self.argCount("input", args, 0, 1)
            if let p = args.first { self.stdout.write(try self.str(p)) }
            self.stdout.flush()
            guard let line = self.readLine() else { throw self.raise(self.types.EOFError, "EOF when reading a line") }
            return .str(line)
        }
        defineBuiltin("open") { args, kwargs throws(PyErr) in try self.openFile(args, kwargs) }
        defineBuiltin("globals") { _, _ throws(PyErr) in
            let d = PyDict()
            if let m = self.modules["__main__"] {
                for n in m.boundNames { if let v = m.get(n) { try d.set(.str(n), v, self) } }
            }
            return .obj(d)
        }
        defineBuiltin("exit") { args, _ throws(PyErr) in
            throw self.raise(self.types.SystemExit, args: args)
        }
        builtins["quit"] = builtins["exit"]
    }

    func isInstanceOf(_ v: Value, _ spec: Value) throws(PyErr) -> Bool {
        if let c = spec.asClass { return typeOf(v).isSubclass(of: c) }
        if let t = spec.asTuple {
            for item in t.items where try isInstanceOf(v, item) { return true }
            return false
        }
        throw typeError("isinstance() arg 2 must be a type, a tuple of types, or a union")
    }

    func isSubclassOf(_ c: PyClass, _ spec: Value) throws(PyErr) -> Bool {
        if let s = spec.asClass { return c.isSubclass(of: s) }
        if let t = spec.asTuple {
            for item in t.items where try isSubclassOf(c, item) { return true }
            return false
        }
        throw typeError("issubclass() arg 2 must be a class, a tuple of classes, or a union")
    }

    func absolute(_ v: Value) throws(PyErr) -> Value {
        switch v {
        case .int(let i): return i == Int.min ? .big(BigInt(i).magnitude.asSigned) : .int(Swift.abs(i))
        case .float(let d): return .float(Swift.abs(d))
        case .bool(let b): return .int(b ? 1 : 0)
        default:
            if let b = v.asBigInt { return .big(BigInt(b.value.magnitude)) }
            if let f = userUnary(v, "__abs__") { return try callMethod0(f, v) }
            throw typeError("bad operand type for abs(): '\(typeName(v))'")
        }
    }

    func modInverse(_ a: BigInt, _ m: BigInt) -> BigInt? {
        var (oldR, r) = (a.modulus(m), m.magnitude.asSigned)
        var (oldS, s) = (BigInt(1), BigInt(0))
        while r != 0 {
            let q = oldR / r
            (oldR, r) = (r, oldR - q * r)
            (oldS, s) = (s, oldS - q * s)
        }
        if oldR != 1 { return nil }
        return oldS.modulus(m)
    }

    func minMax(_ name: String, _ args: [Value], _ kwargs: KwArgs, wantMax: Bool) throws(PyErr) -> Value {
        let kw = try keywords(name, kwargs, ["key", "default"])
        let key = kw["key"] ?? .none
        var items: [Value]
        if args.count == 1 {
            items = try collect(args[0])
        } else if args.isEmpty {
            throw typeError("\(name) expected at least 1 argument, got 0")
        } else {
            if kw["default"] != nil {
                throw typeError("Cannot specify a default for \(name)() with multiple positional arguments")
            }
            items = args
        }
        guard var best = items.first else {
            if let d = kw["default"] { return d }
            throw valueError("\(name)() arg is an empty sequence")
        }
        var bestKey = key.isNone ? best : try callOne(key, best)
        for v in items.dropFirst() {
            let k = key.isNone ? v : try callOne(key, v)
            let better = wantMax ? try lessThan(bestKey, k) : try lessThan(k, bestKey)
            if better { best = v; bestKey = k }
        }
        return best
    }

    /// A stable sort with Python comparison semantics (`key`, `reverse`).
    func sortValues(_ items: inout [Value], key: Value, reverse: Bool) throws(PyErr) {
        var keys = items
        if !key.isNone { try computeSortKeys(&keys, key) }
        if items.count < 2 { return }
        // Homogeneous ints, floats or strs: Swift's sort on (key, index) pairs, stable by index.
        if keys.allSatisfy({ if case .int = $0 { return true }; return false }) {
            var idx = Array(0..<items.count)
            let ks = keys.map { if case .int(let i) = $0 { return i }; return 0 }
            idx.sort { a, b in reverse ? (ks[a] > ks[b] || (ks[a] == ks[b] && a < b)) : (ks[a] < ks[b] || (ks[a] == ks[b] && a < b)) }
            let orig = items
            for (i, j) in idx.enumerated() { items[i] = orig[j] }
            return
        }
        if keys.allSatisfy({ $0.asStr != nil }) {
            let idx = Runtime.sortedStrIndexes(keys, reverse: reverse)
            let orig = items
            for (i, j) in idx.enumerated() { items[i] = orig[j] }
            return
        }
        // General case: the standard library's stable sort of indexes, with comparisons that
        // may raise: after the first error no more comparisons run (user code included), and
        // the error is thrown with the list unchanged.
        var idx = Array(0..<items.count)
        // The keys in a buffer of their own, compared in place (no copy, no retain per
        // comparison); the buffer holds its own references until the sort ends.
        let kp = UnsafeMutablePointer<Value>.allocate(capacity: keys.count)
        kp.initialize(from: keys, count: keys.count)
        defer {
            kp.deinitialize(count: keys.count)
            kp.deallocate()
        }
        // Tuples led by ints (`(count, name)`, `(x % 100, -x)`): the heads compared as ints
        // first, the whole keys only when the heads tie.
        // Led by strs (`sorted(d.items())`): the heads' first eight UTF-8 bytes as big-endian
        // numbers, which order as the strs do wherever they differ.
        var heads: [Int] = []
        var strHeads: [UInt64] = []
        if keys.allSatisfy({ if let t = $0.asTuple, let f = t.items.first, case .int = f { return true }; return false }) {
            heads = keys.map { if case .int(let i)? = $0.asTuple?.items.first { return i }; return 0 }
        } else if keys.allSatisfy({ $0.asTuple?.items.first?.asStr != nil }) {
            strHeads = keys.map { Runtime.utf8Prefix($0.asTuple?.items.first?.asStr?.value ?? "") }
        }
        let byHeads = !heads.isEmpty, byStrHeads = !strHeads.isEmpty
        var failure: PyErr? = nil
        idx.sort { a, b in
            if failure != nil { return false }
            if byHeads, heads[a] != heads[b] { return reverse ? heads[a] > heads[b] : heads[a] < heads[b] }
            if byStrHeads, strHeads[a] != strHeads[b] { return reverse ? strHeads[a] > strHeads[b] : strHeads[a] < strHeads[b] }
            let pa = reverse ? kp + b : kp + a, pb = reverse ? kp + a : kp + b
            if let r = sortLessInPlace(pa, pb) { return r }
            do throws(PyErr) {
                return try sortLess(pa.pointee, pb.pointee)
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        let orig = items
        for (i, j) in idx.enumerated() { items[i] = orig[j] }
    }

    /// `key(item)` for each item, in place. The common builtin keys run without a call:
    /// `len` and a dict's bound `get` (`sorted(d, key=d.get)`); other bound builtin methods
    /// get one argument array instead of two.
    func computeSortKeys(_ keys: inout [Value], _ key: Value) throws(PyErr) {
        if case .obj(let ko) = key, ko.kind == .builtin {
            let b = unsafeDowncast(ko, to: PyBuiltin.self)
            if case .obj(let lo)? = builtins["len"], lo === ko {
                for i in 0..<keys.count { keys[i] = .int(try length(keys[i])) }
                return
            }
            if let r = b.receiver {
                if b.name == "get", let d = r.asDict {
                    for i in 0..<keys.count { keys[i] = try d.get(keys[i], self) ?? .none }
                    return
                }
                for i in 0..<keys.count { keys[i] = try b.fn([r, keys[i]], []) }
                return
            }
        }
        for i in 0..<keys.count { keys[i] = try callOne(key, keys[i]) }
    }

    /// The first eight UTF-8 bytes of `s` as a big-endian number (zero-padded): two strs whose
    /// prefixes differ order as their prefixes do.
    static func utf8Prefix(_ s: String) -> UInt64 {
        var p: UInt64 = 0
        var n = 0
        for b in s.utf8 {
            p = p << 8 | UInt64(b)
            n += 1
            if n == 8 { break }
        }
        return n == 8 ? p : p << UInt64(8 * (8 - n))
    }

    /// The stable sorted order of str keys. Their UTF-8 bytes (whose order is code point
    /// order) are laid out in one buffer, each key led by its first eight bytes as a big-endian
    /// number: most comparisons are one integer compare, the rest one memcmp, and no String is
    /// touched while sorting.
    static func sortedStrIndexes(_ keys: [Value], reverse: Bool) -> [Int] {
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var prefixes: [UInt64] = []
        starts.reserveCapacity(keys.count + 1)
        prefixes.reserveCapacity(keys.count)
        for k in keys {
            starts.append(bytes.count)
            let text = k.asStr?.value ?? ""
            bytes.append(contentsOf: text.utf8)
            prefixes.append(Runtime.utf8Prefix(text))
        }
        starts.append(bytes.count)
        var idx = Array(0..<keys.count)
        bytes.withUnsafeBufferPointer { buf in
            let base = buf.baseAddress
            func compare(_ a: Int, _ b: Int) -> Int {
                if prefixes[a] != prefixes[b] { return prefixes[a] < prefixes[b] ? -1 : 1 }
                let la = starts[a + 1] - starts[a], lb = starts[b + 1] - starts[b]
                let n = Swift.min(la, lb)
                if n > 8, let base {
                    let c = memcmp(base + starts[a] + 8, base + starts[b] + 8, n - 8)
                    if c != 0 { return c < 0 ? -1 : 1 }
                }
                return la < lb ? -1 : (la > lb ? 1 : 0)
            }
            idx.sort { a, b in
                let c = compare(a, b)
                return reverse ? (c > 0 || (c == 0 && a < b)) : (c < 0 || (c == 0 && a < b))
            }
        }
        return idx
    }

    /// `a < b` for two sort keys read where they lie, when both are ints, floats, strs, or
    /// tuples whose items up to the first difference are such; nil otherwise (no user code
    /// runs here and nothing raises).
    @inline(__always)
    func sortLessInPlace(_ pa: UnsafeMutablePointer<Value>, _ pb: UnsafeMutablePointer<Value>) -> Bool? {
        if case .int(let x) = pa.pointee, case .int(let y) = pb.pointee { return x < y }
        guard case .obj = pa.pointee, case .obj = pb.pointee else { return nil }
        unowned(unsafe) let x = UnsafeRawPointer(pa).load(as: Unmanaged<PyObject>.self).takeUnretainedValue()
        unowned(unsafe) let y = UnsafeRawPointer(pb).load(as: Unmanaged<PyObject>.self).takeUnretainedValue()
        if x.kind == .tuple && y.kind == .tuple {
            return tupleLessInPlace(unsafeDowncast(x, to: PyTuple.self), unsafeDowncast(y, to: PyTuple.self))
        }
        if x.kind == .str && y.kind == .str {
            return strCompare(unsafeDowncast(x, to: PyStr.self).value, unsafeDowncast(y, to: PyStr.self).value) < 0
        }
        return nil
    }

    func tupleLessInPlace(_ ta: PyTuple, _ tb: PyTuple) -> Bool? {
        ta.items.withUnsafeBufferPointer { a in
            tb.items.withUnsafeBufferPointer { b -> Bool? in
                let n = min(a.count, b.count)
                var i = 0
                while i < n {
                    if case .int(let x) = a[i], case .int(let y) = b[i] {
                        if x != y { return x < y }
                    } else if case .float(let x) = a[i], case .float(let y) = b[i], !x.isNaN && !y.isNaN {
                        if x != y { return x < y }
                    } else if case .obj = a[i], case .obj = b[i],
                              let c = strCompareInPlace(a.baseAddress.map { $0 + i }, b.baseAddress.map { $0 + i }) {
                        if c != 0 { return c < 0 }
                    } else {
                        return nil
                    }
                    i += 1
                }
                return a.count < b.count
            }
        }
    }

    /// Compares two strs where they lie; nil when either is not a str.
    @inline(__always)
    func strCompareInPlace(_ pa: UnsafePointer<Value>?, _ pb: UnsafePointer<Value>?) -> Int? {
        guard let pa, let pb else { return nil }
        unowned(unsafe) let x = UnsafeRawPointer(pa).load(as: Unmanaged<PyObject>.self).takeUnretainedValue()
        unowned(unsafe) let y = UnsafeRawPointer(pb).load(as: Unmanaged<PyObject>.self).takeUnretainedValue()
        guard x.kind == .str && y.kind == .str else { return nil }
        return strCompare(unsafeDowncast(x, to: PyStr.self).value, unsafeDowncast(y, to: PyStr.self).value)
    }

    /// `a < b` for sorting: tuples of ints, floats and strs compared inline (the same
    /// comparisons, in the same order, as the general path), anything else by `lessThan`.
    @inline(__always)
    func sortLess(_ a: Value, _ b: Value) throws(PyErr) -> Bool {
        if case .obj(let x) = a, case .obj(let y) = b {
            if x.kind == .tuple && y.kind == .tuple {
                return try tupleLess(unsafeDowncast(x, to: PyTuple.self), unsafeDowncast(y, to: PyTuple.self))
            }
            if x.kind == .str && y.kind == .str {
                return strCompare(unsafeDowncast(x, to: PyStr.self).value, unsafeDowncast(y, to: PyStr.self).value) < 0
            }
        }
        return try lessThan(a, b)
    }

    func tupleLess(_ ta: PyTuple, _ tb: PyTuple) throws(PyErr) -> Bool {
        let a = ta.items, b = tb.items
        let n = min(a.count, b.count)
        var i = 0
        while i < n {
            switch (a[i], b[i]) {
            case (.int(let x), .int(let y)):
                if x != y { return x < y }
            case (.float(let x), .float(let y)) where !x.isNaN && !y.isNaN:
                if x != y { return x < y }
            case (.obj(let x), .obj(let y)) where x.kind == .str && y.kind == .str:
                let c = strCompare(unsafeDowncast(x, to: PyStr.self).value, unsafeDowncast(y, to: PyStr.self).value)
                if c != 0 { return c < 0 }
            default:
                // Anything else: the general tuple comparison from here on.
                return try truthy(richCompare(.obj(PyTuple(Array(a[i...]))), .obj(PyTuple(Array(b[i...]))), .lt))
            }
            i += 1
        }
        return a.count < b.count
    }

    func reversedIterator(_ v: Value) throws(PyErr) -> Value {
        if case .obj(let o) = v {
            switch o.kind {
            case .list:
                let l = unsafeDowncast(o, to: PyList.self)
                var i = l.items.count - 1
                return .obj(PyIterator(cls: types.iterator) {
                    guard i >= 0, i < l.items.count else { return nil }
                    defer { i -= 1 }
                    return l.items[i]
                })
            case .range:
                let r = unsafeDowncast(o, to: PyRange.self)
                guard let n = r.exactCount else { throw overflowError("Python int too large to convert to C ssize_t") }
                var k = n - 1
                return .obj(PyIterator(cls: types.iterator) {
                    guard k >= 0 else { return nil }
                    defer { k -= 1 }
                    return .int(r.item(k))
                })
            case .tuple, .str:
                let items = try collect(v).reversed()
                var it = items.makeIterator()
                return .obj(PyIterator(cls: types.iterator) { it.next() })
            case .dict:
                let keys = unsafeDowncast(o, to: PyDict.self).liveKeys.reversed()
                var it = keys.makeIterator()
                return .obj(PyIterator(cls: types.iterator) { it.next() })
            case .instance, .native:
                let cls = typeOf(v)
                if let f = cls.lookup(.reversed) { return try callMethod0(f, v) }
                if cls.lookup(.len) != nil, cls.lookup(.getitem) != nil {
                    var i = try length(v) - 1
                    return .obj(PyIterator(cls: types.iterator) { () throws(PyErr) -> Value? in
                        guard i >= 0 else { return nil }
                        defer { i -= 1 }
                        return try self.getItem(v, .int(i))
                    })
                }
            default: break
            }
        }
        throw typeError("'\(typeName(v))' object is not reversible")
    }

    func roundValue(_ x: Value, _ nd: Value) throws(PyErr) -> Value {
        switch x {
        case .float(let d):
            if nd.isNone {
                if d.isNaN { throw valueError("cannot convert float NaN to integer") }
                if d.isInfinite { throw overflowError("cannot convert float infinity to integer") }
                let r = pyRoundHalfEven(d)
                if let i = Int(exactly: r) { return .int(i) }
                return .big(BigInt(exactly: r) ?? BigInt(0))
            }
            let n = try indexValue(nd, "'\(typeName(nd))' object cannot be interpreted as an integer")
            if !d.isFinite { return .float(d) }
            let r = pyRound(d, ndigits: n)
            if r.isInfinite { throw overflowError("rounded value too large to represent") }
            return .float(r)
        case .int, .bool:
            if nd.isNone { return try positive(x) }
            guard let b = x.bigIntValue else { return x }
            return try roundInteger(b, nd)
        default:
            if let b = x.bigIntValue {
                if nd.isNone { return x }
                return try roundInteger(b, nd)
            }
            if let f = userUnary(x, "__round__") { return try callMethodValue(f, x, nd.isNone ? [] : [nd]) }
            throw typeError("type \(typeName(x)) doesn't define __round__ method")
        }
    }

    func roundInteger(_ b: BigInt, _ nd: Value) throws(PyErr) -> Value {
        let n = try indexValue(nd, "'\(typeName(nd))' object cannot be interpreted as an integer")
        if n >= 0 { return .big(b) }
        if n < -4000 { return .int(0) }
        let p = BigInt(10).power(-n)
        let q = floorDivBig(b, p)
        let r = b - q * p
        var result = q
        let twice = r * 2
        if twice > p || (twice == p && q.magnitude % 2 == 1) { result += 1 }
        return .big(result * p)
    }
}

extension BigUInt {
    var asSigned: BigInt { BigInt(self) }
}

/// A list or tuple zip() reads by position.
struct ZipSource {
    let list: PyList?
    let tuple: PyTuple?

    init?(_ v: Value) {
        guard case .obj(let o) = v else { return nil }
        if o.kind == .list { list = unsafeDowncast(o, to: PyList.self); tuple = nil; return }
        if o.kind == .tuple { tuple = unsafeDowncast(o, to: PyTuple.self); list = nil; return }
        return nil
    }

    @inline(__always)
    func item(_ i: Int) -> Value? {
        if let list { return i < list.items.count ? list.items[i] : nil }
        if let tuple { return i < tuple.items.count ? tuple.items[i] : nil }
        return nil
    }
}
