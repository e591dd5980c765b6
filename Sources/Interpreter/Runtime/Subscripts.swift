import BigInt

// `x[i]`, `x[i] = v`, `del x[i]`, with slices.

extension Runtime {
    /// An index value as an Int (ints, bools, or objects with `__index__`).
    @inline(__always)
    func indexValue(_ v: Value, _ what: @autoclosure () -> String) throws(PyErr) -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return try indexValueSlow(v, what())
        }
    }

    /// An index argument of a method (`list.pop(i)`, `list.insert(i, x)`): as CPython's
    /// argument converter, a big int is an OverflowError there, not an IndexError.
    func ssizeArgument(_ v: Value) throws(PyErr) -> Int {
        if v.asBigInt != nil { throw raise(types.OverflowError, "Python int too large to convert to C ssize_t") }
        return try indexValue(v, "'\(typeName(v))' object cannot be interpreted as an integer")
    }

    @inline(never)
    func indexValueSlow(_ v: Value, _ what: String) throws(PyErr) -> Int {
        if v.asBigInt != nil { throw indexError("cannot fit 'int' into an index-sized integer") }
        if let f = userUnary(v, "__index__") { return try indexValue(callMethod0(f, v), what) }
        throw typeError(what)
    }

    /// Resolves a slice against a length: (start, stop, step, count), as PySlice_AdjustIndices.
    func sliceIndices(_ s: PySlice, _ length: Int) throws(PyErr) -> (Int, Int, Int, Int) {
        try sliceIndices(start: s.start, stop: s.stop, step: s.step, length)
    }

    func sliceIndices(start startValue: Value, stop stopValue: Value, step stepValue: Value,
                      _ length: Int) throws(PyErr) -> (Int, Int, Int, Int) {
        func idx(_ v: Value) throws(PyErr) -> Int? {
            switch v {
            case .none: return nil
            case .int(let i): return i
            case .bool(let b): return b ? 1 : 0
            default:
                if let b = v.bigIntValue { return b < 0 ? Int.min / 2 : Int.max / 2 }
                if let f = userUnary(v, "__index__") { return try idx(callMethod0(f, v)) }
                throw typeError("slice indices must be integers or None or have an __index__ method")
            }
        }
        var step = try idx(stepValue) ?? 1
        if step == 0 { throw valueError("slice step cannot be zero") }
        if step < -Int.max { step = -Int.max }
        var start: Int, stop: Int
        if let st = try idx(startValue) {
            start = st
            if start < 0 { start += length; if start < 0 { start = step < 0 ? -1 : 0 } }
            else if start >= length { start = step < 0 ? length - 1 : length }
        } else {
            start = step < 0 ? length - 1 : 0
        }
        if let sp = try idx(stopValue) {
            stop = sp
            if stop < 0 { stop += length; if stop < 0 { stop = step < 0 ? -1 : 0 } }
            else if stop >= length { stop = step < 0 ? length - 1 : length }
        } else {
            stop = step < 0 ? -1 : length
        }
        var count = 0
        if step < 0 {
            if stop < start { count = (start - stop - 1) / (-step) + 1 }
        } else if start < stop {
            count = (stop - start - 1) / step + 1
        }
        return (start, stop, step, count)
    }

    func sliceItems<T>(_ items: [T], _ s: PySlice) throws(PyErr) -> [T] {
        sliceByIndices(items, try sliceIndices(s, items.count))
    }

    /// The items of a list or tuple a slice selects (the generic version below copied them
    /// through the value witnesses, several times slower).
    func sliceByIndices(_ items: [Value], _ ix: (Int, Int, Int, Int)) -> [Value] {
        let (start, _, step, count) = ix
        if count <= 0 { return [] }
        if count <= smallArrayLimit {
            var out: [Value] = []
            out.reserveCapacity(count)
            var i = start
            for _ in 0..<count { out.append(items[i]); i += step }
            return out
        }
        return items.withUnsafeBufferPointer { src -> [Value] in
            guard let base = src.baseAddress else { return [] }
            return [Value](unsafeUninitializedCapacity: count) { out, initialized in
                guard let dst = out.baseAddress else { return }
                // A loop the compiler sees through (initialize(from:count:) calls the runtime,
                // which copies each value through its type's witness).
                var i = start
                for n in 0..<count { (dst + n).initialize(to: base[i]); i += step }
                initialized = count
            }
        }
    }

    func sliceByIndices<T>(_ items: [T], _ ix: (Int, Int, Int, Int)) -> [T] {
        let (start, _, step, count) = ix
        if step == 1 { return count > 0 ? Array(items[start..<(start + count)]) : [] }
        var out: [T] = []
        out.reserveCapacity(count)
        var i = start
        for _ in 0..<count { out.append(items[i]); i += step }
        return out
    }

    /// `s[start:stop:step]`.
    func strSlice(_ s: PyStr, _ startValue: Value, _ stopValue: Value, _ stepValue: Value) throws(PyErr) -> Value {
        if s.isASCII {
            let (start, _, step, count) = try sliceIndices(start: startValue, stop: stopValue, step: stepValue, s.count)
            if count <= 0 { return .str("") }
            let r = s.withBytes { buf -> String in
                if step == 1 { return bytesString(buf, start, start + count) }
                return String(unsafeUninitializedCapacity: count) { out in
                    var k = start
                    for n in 0..<count { out[n] = buf[k]; k += step }
                    return count
                }
            }
            return .obj(PyStr(r, ascii: true))
        }
        let scalars = s.scalars
        let ix = try sliceIndices(start: startValue, stop: stopValue, step: stepValue, scalars.count)
        var out = String.UnicodeScalarView()
        out.append(contentsOf: sliceByIndices(scalars, ix))
        return .str(String(out))
    }

    /// `o[start:stop:step]` with no slice object for strs, lists and tuples.
    func sliceDirect(_ o: Value, _ start: Value, _ stop: Value, _ step: Value) throws(PyErr) -> Value {
        if case .obj(let ob) = o {
            switch ob.kind {
            case .str:
                return try strSlice(unsafeDowncast(ob, to: PyStr.self), start, stop, step)
            case .list:
                let items = unsafeDowncast(ob, to: PyList.self).items
                return .obj(PyList(sliceByIndices(items, try sliceIndices(start: start, stop: stop, step: step, items.count))))
            case .tuple:
                let items = unsafeDowncast(ob, to: PyTuple.self).items
                return .obj(PyTuple(sliceByIndices(items, try sliceIndices(start: start, stop: stop, step: step, items.count))))
            default:
                break
            }
        }
        return try getItem(o, .obj(PySlice(start: start, stop: stop, step: step)))
    }

    public func getItem(_ o: Value, _ index: Value) throws(PyErr) -> Value {
        guard case .obj(let ob) = o else {
            throw typeError("'\(typeName(o))' object is not subscriptable")
        }
        switch ob.kind {
        case .list, .tuple:
            let items = ob.kind == .list ? unsafeDowncast(ob, to: PyList.self).items : unsafeDowncast(ob, to: PyTuple.self).items
            let name = ob.kind == .list ? "list" : "tuple"
            if case .obj(let io) = index, io.kind == .slice {
                let r = try sliceItems(items, unsafeDowncast(io, to: PySlice.self))
                return ob.kind == .list ? .obj(PyList(r)) : .obj(PyTuple(r))
            }
            var i = try indexValue(index, "\(name) indices must be integers or slices, not \(typeName(index))")
            if i < 0 { i += items.count }
            guard i >= 0 && i < items.count else { throw indexError("\(name) index out of range") }
            return items[i]
        case .str:
            let s = unsafeDowncast(ob, to: PyStr.self)
            if case .obj(let io) = index, io.kind == .slice {
                let sl = unsafeDowncast(io, to: PySlice.self)
                return try strSlice(s, sl.start, sl.stop, sl.step)
            }
            var i = try indexValue(index, "string indices must be integers, not '\(typeName(index))'")
            let n = s.count
            if i < 0 { i += n }
            guard i >= 0 && i < n else { throw indexError("string index out of range") }
            return charString(s.scalar(at: i))
        case .dict:
            let d = unsafeDowncast(ob, to: PyDict.self)
            if let v = try d.get(index, self) { return v }
            throw keyError(index)
        case .range:
            let r = unsafeDowncast(ob, to: PyRange.self)
            guard let n = r.exactCount else {
                // More items than an Int counts: index with big arithmetic (slices unsupported).
                if case .obj(let io) = index, io.kind == .slice { throw overflowError("Python int too large to convert to C ssize_t") }
                let i = try indexValue(index, "range indices must be integers or slices, not \(typeName(index))")
                let big = (BigInt(r.stop) - BigInt(r.start) - (r.step > 0 ? 1 : -1)) / BigInt(r.step) + 1
                let k = i < 0 ? big + BigInt(i) : BigInt(i)
                guard k >= 0, k < big, let v = Int(exactly: BigInt(r.start) + k * BigInt(r.step)) else {
                    throw indexError("range object index out of range")
                }
                return .int(v)
            }
            if case .obj(let io) = index, io.kind == .slice {
                let (start, stop, step, _) = try sliceIndices(unsafeDowncast(io, to: PySlice.self), n)
                let bs = BigInt(r.start) + BigInt(start) * BigInt(r.step)
                let be = BigInt(r.start) + BigInt(stop) * BigInt(r.step)
                let bstep = BigInt(r.step) * BigInt(step)
                guard let ns = Int(exactly: bs), let ne = Int(exactly: be), let nst = Int(exactly: bstep) else {
                    throw overflowError("Python int too large to convert to C ssize_t")
                }
                return .obj(PyRange(start: ns, stop: ne, step: nst))
            }
            var i = try indexValue(index, "range indices must be integers or slices, not \(typeName(index))")
            if i < 0 { i += n }
            guard i >= 0 && i < n else { throw indexError("range object index out of range") }
            return .int(r.item(i))
        case .bytes:
            let b = unsafeDowncast(ob, to: PyBytes.self).bytes
            if case .obj(let io) = index, io.kind == .slice {
                return .obj(PyBytes(try sliceItems(b, unsafeDowncast(io, to: PySlice.self))))
            }
            var i = try indexValue(index, "byte indices must be integers or slices, not \(typeName(index))")
            if i < 0 { i += b.count }
            guard i >= 0 && i < b.count else { throw indexError("index out of range") }
            return .int(Int(b[i]))
        case .instance, .native:
            if let s = unoverriddenStorage(ob, .getitem) {
                if s.kind == .list { return try getItem(.obj(s), index) }
                if let v = try unsafeDowncast(s, to: PyDict.self).get(index, self) { return v }
                // (Missing: dict.__getitem__, below, calls the subclass's `__missing__`.)
            }
            if let f = typeOf(o).lookup(.getitem) { return try callMethod1(f, o, index) }
        case .cls:
            // `list[int]` and friends in annotations.
            if let c = o.asClass, c.isBuiltin { return genericAlias(c, index) }
            if let r = try callClassHook(o, "__class_getitem__", [index]) { return r }
            throw typeError("type '\(unsafeDowncast(ob, to: PyClass.self).name)' is not subscriptable")
        default:
            break
        }
        throw typeError("'\(typeName(o))' object is not subscriptable")
    }

    public func setItem(_ o: Value, _ index: Value, _ value: Value) throws(PyErr) {
        if case .obj(let ob) = o {
            switch ob.kind {
            case .list:
                let l = unsafeDowncast(ob, to: PyList.self)
                if case .obj(let io) = index, io.kind == .slice {
                    let sl = unsafeDowncast(io, to: PySlice.self)
                    let newItems = try value.asList === l ? l.items : collect(value)
                    let (start, _, step, count) = try sliceIndices(sl, l.items.count)
                    if step == 1 {
                        let end = max(start, start + count)
                        l.items.replaceSubrange(start..<end, with: newItems)
                        return
                    }
                    if newItems.count != count {
                        throw valueError("attempt to assign sequence of size \(newItems.count) to extended slice of size \(count)")
                    }
                    var i = start
                    for v in newItems { l.items[i] = v; i += step }
                    return
                }
                var i = try indexValue(index, "list indices must be integers or slices, not \(typeName(index))")
                if i < 0 { i += l.items.count }
                guard i >= 0 && i < l.items.count else { throw indexError("list assignment index out of range") }
                l.items[i] = value
                return
            case .dict:
                try unsafeDowncast(ob, to: PyDict.self).set(index, value, self)
                return
            case .instance, .native:
                if let s = unoverriddenStorage(ob, .setitem) { return try setItem(.obj(s), index, value) }
                if let f = typeOf(o).lookup(.setitem) {
                    _ = try callMethodValue(f, o, [index, value])
                    return
                }
            default:
                break
            }
        }
        throw typeError("'\(typeName(o))' object does not support item assignment")
    }

    public func delItem(_ o: Value, _ index: Value) throws(PyErr) {
        if case .obj(let ob) = o {
            switch ob.kind {
            case .list:
                let l = unsafeDowncast(ob, to: PyList.self)
                if case .obj(let io) = index, io.kind == .slice {
                    let (start, _, step, count) = try sliceIndices(unsafeDowncast(io, to: PySlice.self), l.items.count)
                    if count == 0 { return }
                    var drop = Set<Int>()
                    var i = start
                    for _ in 0..<count { drop.insert(i); i += step }
                    l.items = l.items.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
                    return
                }
                var i = try indexValue(index, "list indices must be integers or slices, not \(typeName(index))")
                if i < 0 { i += l.items.count }
                guard i >= 0 && i < l.items.count else { throw indexError("list assignment index out of range") }
                l.items.remove(at: i)
                return
            case .dict:
                if try unsafeDowncast(ob, to: PyDict.self).remove(index, self) == nil { throw keyError(index) }
                return
            case .instance, .native:
                if let s = unoverriddenStorage(ob, .delitem) { return try delItem(.obj(s), index) }
                if let f = typeOf(o).lookup(.delitem) {
                    _ = try callMethod1(f, o, index)
                    return
                }
            default:
                break
            }
        }
        throw typeError("'\(typeName(o))' object doesn't support item deletion")
    }

    /// `len(x)`.
    public func length(_ v: Value) throws(PyErr) -> Int {
        if case .obj(let o) = v {
            switch o.kind {
            case .str: return unsafeDowncast(o, to: PyStr.self).count
            case .list: return unsafeDowncast(o, to: PyList.self).items.count
            case .tuple: return unsafeDowncast(o, to: PyTuple.self).items.count
            case .dict: return unsafeDowncast(o, to: PyDict.self).count
            case .set, .frozenset: return unsafeDowncast(o, to: PySet.self).count
            case .range:
                guard let n = unsafeDowncast(o, to: PyRange.self).exactCount else {
                    throw overflowError("Python int too large to convert to C ssize_t")
                }
                return n
            case .bytes: return unsafeDowncast(o, to: PyBytes.self).bytes.count
            case .instance, .native:
                if let s = unoverriddenStorage(o, .len) { return try length(.obj(s)) }
                if let f = typeOf(v).lookup(.len) { return try lenResult(callMethod0(f, v)) }
            case .cls:
                if let n = try callClassHook(v, "__class_len__", []) { return try lenResult(n) }
            default: break
            }
        }
        throw typeError("object of type '\(typeName(v))' has no len()")
    }
}
