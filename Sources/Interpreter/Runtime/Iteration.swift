/// A Python iterator implemented in Swift: `next` returns nil when exhausted.
public final class PyIterator: PyObject {
    public let cls: PyClass?
    /// The next item, nil at the end. Not for a generator function's generator object, which
    /// `Runtime.forEach` and `nextItem` resume directly (see `generator`).
    public let next: () throws(PyErr) -> Value?
    /// What a generator function's generator object drives (nil for other iterators). Only
    /// this object holds it: when it goes, a suspended body is closed (GeneratorExit at its
    /// `yield`, so `finally` blocks run), as CPython does when it collects a generator.
    let generator: GeneratorBody?
    /// A list, tuple or range iterator's state, kept here rather than captured by a `next`
    /// closure: one allocation per `iter(seq)` instead of three (object, closure context,
    /// boxed position). `enumerate(xs)` and `zip` loops make one per loop.
    enum Mode: UInt8 { case closure, list, tuple, range, exhausted }
    private var mode: Mode = .closure
    /// The list or tuple iterated.
    private var sequence: PyObject?
    /// The next index, or a range's next value.
    private var position = 0
    private var rangeStep = 0, rangeStop = 0

    public init(cls: PyClass? = nil, _ next: @escaping () throws(PyErr) -> Value?) {
        self.cls = cls
        self.next = next
        generator = nil
        super.init(kind: .iterator)
    }
    init(cls: PyClass, generator: GeneratorBody) {
        self.cls = cls
        next = { nil }
        self.generator = generator
        super.init(kind: .iterator)
    }
    /// An iterator over a list or a tuple.
    init(cls: PyClass, items: PyObject) {
        self.cls = cls
        next = { nil }
        generator = nil
        mode = items.kind == .list ? .list : .tuple
        sequence = items
        super.init(kind: .iterator)
    }
    /// An iterator over a range.
    init(cls: PyClass, range r: PyRange) {
        self.cls = cls
        next = { nil }
        generator = nil
        mode = .range
        position = r.start
        rangeStep = r.step
        rangeStop = r.stop
        super.init(kind: .iterator)
    }
    deinit {
        guard let generator, generator.state == .suspended else { return }
        generator.rt.closeAbandoned(generator)
    }

    /// The next item, nil at the end (not for generator objects: see `generator`).
    @inline(__always)
    func step() throws(PyErr) -> Value? {
        switch mode {
        case .closure:
            return try next()
        case .list:
            // Once past the end it stays exhausted, even if the list grows (as CPython's).
            let l = unsafeDowncast(sequence.unsafelyUnwrapped, to: PyList.self)
            guard position < l.items.count else { mode = .exhausted; return nil }
            position += 1
            return l.items[position - 1]
        case .tuple:
            let t = unsafeDowncast(sequence.unsafelyUnwrapped, to: PyTuple.self)
            guard position < t.items.count else { mode = .exhausted; return nil }
            position += 1
            return t.items[position - 1]
        case .range:
            let i = position
            if rangeStep > 0 ? i >= rangeStop : i <= rangeStop { mode = .exhausted; return nil }
            let (n, o) = i.addingReportingOverflow(rangeStep)
            if o { mode = .exhausted } else { position = n }
            return .int(i)
        case .exhausted:
            return nil
        }
    }
}

extension Runtime {
    /// Calls `body` with each item of an iterable; `body` returns false to stop early.
    /// Builtins use this internal iteration: no iterator object for lists, tuples, ranges.
    public func forEach(_ iterable: Value, _ body: (Value) throws(PyErr) -> Bool) throws(PyErr) {
        if case .obj(let o) = iterable {
            switch o.kind {
            case .list:
                let l = unsafeDowncast(o, to: PyList.self)
                var i = 0
                while i < l.items.count {
                    if try !body(l.items[i]) { return }
                    i += 1
                }
                return
            case .tuple:
                for v in unsafeDowncast(o, to: PyTuple.self).items { if try !body(v) { return } }
                return
            case .range:
                let r = unsafeDowncast(o, to: PyRange.self)
                var i = r.start
                while r.step > 0 ? i < r.stop : i > r.stop {
                    if try !body(.int(i)) { return }
                    let (next, o) = i.addingReportingOverflow(r.step)
                    if o { return }
                    i = next
                }
                return
            case .str:
                let s = unsafeDowncast(o, to: PyStr.self)
                if s.isASCII {
                    for b in s.value.utf8 { if try !body(.obj(asciiCharStrings[Int(b)])) { return } }
                } else {
                    for c in s.value.unicodeScalars { if try !body(charString(c)) { return } }
                }
                return
            case .dict:
                try forEachPair(unsafeDowncast(o, to: PyDict.self)) { k, _ throws(PyErr) in try body(k) }
                return
            case .set, .frozenset:
                let s = unsafeDowncast(o, to: PySet.self)
                let n = s.count
                for k in s.elements {
                    if s.count != n { throw raise(types.RuntimeError, "Set changed size during iteration") }
                    if try !body(k) { return }
                }
                return
            case .iterator:
                let it = unsafeDowncast(o, to: PyIterator.self)
                if let g = it.generator {
                    while let v = try resume(g, send: .none, throwing: nil) { if try !body(v) { return } }
                    return
                }
                while let v = try it.step() { if try !body(v) { return } }
                return
            case .bytes:
                for b in unsafeDowncast(o, to: PyBytes.self).bytes { if try !body(.int(Int(b))) { return } }
                return
            case .native:
                guard let view = dictView(iterable) else { break }
                try forEachViewItem(view, body)
                return
            case .instance:
                if let s = unoverriddenStorage(o, .iter) { return try forEach(.obj(s), body) }
            default:
                break
            }
        }
        let it = try iterator(of: iterable)
        while let v = try nextItem(it) { if try !body(v) { return } }
    }

    /// The (key, value) pairs of a dict in order, with no tuple made per pair, until `body`
    /// returns false; raises as CPython if the dict changes size meanwhile.
    @inline(__always)
    func forEachPair(_ d: PyDict, _ body: (Value, Value) throws(PyErr) -> Bool) throws(PyErr) {
        let n = d.count
        var i = 0
        while let (k, v) = d.entry(at: i) {
            if d.count != n { throw raise(types.RuntimeError, "dictionary changed size during iteration") }
            i += 1
            if case .undef = k { continue }
            if try !body(k, v) { return }
        }
        if d.count != n { throw raise(types.RuntimeError, "dictionary changed size during iteration") }
    }

    /// The items of a dict view (keys, values, or (key, value) tuples) until `body` returns false.
    func forEachViewItem(_ view: DictViewPayload, _ body: (Value) throws(PyErr) -> Bool) throws(PyErr) {
        try forEachPair(view.dict) { k, v throws(PyErr) in
            switch view.kind {
            case .keys: return try body(k)
            case .values: return try body(v)
            case .items: return try body(.obj(PyTuple([k, v])))
            }
        }
    }

    /// All items of an iterable, as an array.
    public func collect(_ iterable: Value) throws(PyErr) -> [Value] {
        if let l = iterable.asList { return l.items }
        if let t = iterable.asTuple { return t.items }
        if case .obj(let o) = iterable, o.kind == .range {
            try checkItemCount(unsafeDowncast(o, to: PyRange.self).exactCount ?? Int.max)
        }
        if case .obj(let o) = iterable, o.kind == .instance, let lenFn = typeOf(iterable).lookup(.len) {
            // CPython's length hint: `__len__` first (a huge big range raises OverflowError
            // here instead of being iterated); a TypeError from it is ignored.
            do throws(PyErr) {
                if case .int(let n) = try callMethod0(lenFn, iterable), n > 0 { try checkItemCount(n) }
            } catch {
                if !matches(error, types.TypeError) { throw error }
            }
        }
        var out: [Value] = []
        try forEach(iterable) { v throws(PyErr) in
            out.append(v)
            if out.count > Runtime.maxItems { throw raise(types.MemoryError, args: []) }
            return true
        }
        return out
    }

    /// At most `limit` items (unpacking needs to see only one more than it wants).
    func collect(_ iterable: Value, atMost limit: Int) throws(PyErr) -> [Value] {
        if let l = iterable.asList { return l.items }
        if let t = iterable.asTuple { return t.items }
        var out: [Value] = []
        try forEach(iterable) { v in
            out.append(v)
            return out.count < limit
        }
        return out
    }

    /// `iter(v)`: an iterator object.
    public func iterator(of v: Value) throws(PyErr) -> Value {
        if case .obj(let o) = v {
            switch o.kind {
            case .iterator:
                return v
            case .list:
                return .obj(PyIterator(cls: types.iterator, items: o))
            case .tuple:
                return .obj(PyIterator(cls: types.iterator, items: o))
            case .bytes:
                let bytes = unsafeDowncast(o, to: PyBytes.self).bytes
                var i = 0
                return .obj(PyIterator(cls: types.iterator) {
                    guard i < bytes.count else { return nil }
                    defer { i += 1 }
                    return .int(Int(bytes[i]))
                })
            case .range:
                return .obj(PyIterator(cls: types.iterator, range: unsafeDowncast(o, to: PyRange.self)))
            case .str:
                let scalars = Array(unsafeDowncast(o, to: PyStr.self).value.unicodeScalars)
                var i = 0
                return .obj(PyIterator(cls: types.iterator) {
                    guard i < scalars.count else { return nil }
                    defer { i += 1 }
                    return charString(scalars[i])
                })
            case .dict:
                let d = unsafeDowncast(o, to: PyDict.self)
                return .obj(dictIterator(d) { k, _ in k })
            case .set, .frozenset:
                let s = unsafeDowncast(o, to: PySet.self)
                let elems = s.elements
                let n = s.count
                var i = 0
                return .obj(PyIterator(cls: types.iterator) { () throws(PyErr) -> Value? in
                    if s.count != n { throw self.raise(self.types.RuntimeError, "Set changed size during iteration") }
                    guard i < elems.count else { return nil }
                    defer { i += 1 }
                    return elems[i]
                })
            case .instance, .native, .file:
                if let view = dictView(v) {
                    switch view.kind {
                    case .keys: return .obj(dictIterator(view.dict) { k, _ in k })
                    case .values: return .obj(dictIterator(view.dict) { _, v in v })
                    case .items: return .obj(dictIterator(view.dict) { k, v in .obj(PyTuple([k, v])) })
                    }
                }
                if let s = unoverriddenStorage(o, .iter) { return try iterator(of: .obj(s)) }
                let cls = typeOf(v)
                if let iterFn = cls.lookup(.iter) {
                    let it = try callMethod0(iterFn, v)
                    return it
                }
                if cls.lookup(.getitem) != nil {
                    var i = 0
                    return .obj(PyIterator(cls: types.iterator) { () throws(PyErr) -> Value? in
                        do throws(PyErr) {
                            let r = try self.getItem(v, .int(i))
                            i += 1
                            return r
                        } catch {
                            if self.matches(error, self.types.IndexError) || self.matches(error, self.types.StopIteration) { return nil }
                            throw error
                        }
                    })
                }
            case .cls:
                if let it = try callClassHook(v, "__class_iter__", []) { return try iterator(of: it) }
            default:
                break
            }
        }
        throw typeError("'\(typeName(v))' object is not iterable")
    }

    func dictIterator(_ d: PyDict, _ project: @escaping (Value, Value) -> Value) -> PyIterator {
        let n = d.count
        var i = 0
        return PyIterator(cls: types.iterator) { () throws(PyErr) -> Value? in
            if d.count != n { throw self.raise(self.types.RuntimeError, "dictionary changed size during iteration") }
            while let (k, v) = d.entry(at: i) {
                i += 1
                if case .undef = k { continue }
                return project(k, v)
            }
            return nil
        }
    }

    /// Whether `iter(v)` would succeed (without calling anything).
    func isIterable(_ v: Value) -> Bool {
        guard case .obj(let o) = v else { return false }
        switch o.kind {
        case .list, .tuple, .str, .dict, .set, .frozenset, .range, .iterator, .bytes: return true
        case .instance, .native, .file:
            let cls = typeOf(v)
            return cls.lookup(.iter) != nil || cls.lookup(.getitem) != nil
        default: return false
        }
    }

    /// `next(it)` without a default: nil when exhausted.
    public func nextItem(_ it: Value) throws(PyErr) -> Value? {
        if case .obj(let o) = it, o.kind == .iterator {
            let i = unsafeDowncast(o, to: PyIterator.self)
            if let g = i.generator { return try resume(g, send: .none, throwing: nil) }
            return try i.step()
        }
        let cls = typeOf(it)
        guard let nextFn = cls.lookup(.next) else {
            throw typeError("'\(typeName(it))' object is not an iterator")
        }
        do throws(PyErr) {
            return try callMethod0(nextFn, it)
        } catch {
            if matches(error, types.StopIteration) { return nil }
            throw error
        }
    }
}
