import BigInt

// The operator methods of builtin types, for code that calls them explicitly: `(5).__add__(3)`,
// `x.__lt__(y)`, `(2.5).__round__()`. The operators themselves never go through these.
// As in CPython, a number's methods handle only operands of the types it knows and return
// NotImplemented for others (`(3).__add__(1.5)`: int leaves that to float; float takes ints),
// while a sequence's raise as its operator does (`"a".__add__(1)`).

extension Runtime {
    func installOperatorDunders() {
        let arithmetic: [(String, BinaryOpKind)] = [
            ("add", .add), ("sub", .sub), ("mul", .mul), ("truediv", .div), ("floordiv", .floorDiv),
            ("mod", .mod), ("pow", .pow),
        ]
        let bitwise: [(String, BinaryOpKind)] = [("and", .and), ("or", .or), ("xor", .xor), ("lshift", .lshift), ("rshift", .rshift)]
        let isInt: (Value) -> Bool = { v in
            switch v {
            case .int, .bool: return true
            case .obj(let o): return o.kind == .bigint
            default: return false
            }
        }
        let isNumber: (Value) -> Bool = { v in
            if case .float = v { return true }
            return isInt(v)
        }
        let isSet: (Value) -> Bool = { v in v.asSet != nil }

        // Numbers: both directions of every operator the type has, and divmod.
        for (cls, handles, ops) in [(types.int, isInt, arithmetic + bitwise), (types.bool, isInt, arithmetic + bitwise),
                                    (types.float, isNumber, arithmetic)] {
            for (stem, op) in ops {
                for reflected in [false, true] {
                    let name = reflected ? "__r\(stem)__" : "__\(stem)__"
                    // `(2).__pow__(10, 7)`: the three-argument pow.
                    let ternary = op == .pow && !reflected
                    cls.setAttribute(name, builtinMethod(name, arity: ternary ? 1...2 : 1...1) { args throws(PyErr) in
                        guard handles(args[1]) else { return .obj(self.notImplementedObject) }
                        if args.count == 3 { return try self.call(self.builtins["pow"] ?? .none, args) }
                        return reflected ? try self.binary(op, args[1], args[0]) : try self.binary(op, args[0], args[1])
                    })
                }
            }
            for reflected in [false, true] {
                let name = reflected ? "__rdivmod__" : "__divmod__"
                cls.setAttribute(name, builtinMethod(name, arity: 1...1) { args throws(PyErr) in
                    guard handles(args[1]) else { return .obj(self.notImplementedObject) }
                    let pair = reflected ? [args[1], args[0]] : [args[0], args[1]]
                    return try self.call(self.builtins["divmod"] ?? .none, pair)
                })
            }
        }

        // Sequences: what `+`, `*` and `%` do, errors included.
        let sequenceOps: [(PyClass, [(String, BinaryOpKind, Bool)])] = [
            (types.str, [("__add__", .add, false), ("__mul__", .mul, false), ("__rmul__", .mul, true), ("__mod__", .mod, false)]),
            (types.list, [("__add__", .add, false), ("__mul__", .mul, false), ("__rmul__", .mul, true)]),
            (types.tuple, [("__add__", .add, false), ("__mul__", .mul, false), ("__rmul__", .mul, true)]),
        ]
        for (cls, ops) in sequenceOps {
            for (name, op, reflected) in ops {
                cls.setAttribute(name, builtinMethod(name, arity: 1...1) { args throws(PyErr) in
                    reflected ? try self.binary(op, args[1], args[0]) : try self.binary(op, args[0], args[1])
                })
            }
        }

        // Sets with sets, dicts with dicts (`|`); anything else is NotImplemented.
        let setOps: [(String, BinaryOpKind)] = [("and", .and), ("or", .or), ("xor", .xor), ("sub", .sub)]
        let mappingOps: [(PyClass, (Value) -> Bool, [(String, BinaryOpKind)])] = [
            (types.set, isSet, setOps), (types.frozenset, isSet, setOps), (types.dict, { $0.asDict != nil }, [("or", .or)]),
        ]
        for (cls, handles, ops) in mappingOps {
            for (stem, op) in ops {
                for reflected in [false, true] {
                    let name = reflected ? "__r\(stem)__" : "__\(stem)__"
                    cls.setAttribute(name, builtinMethod(name, arity: 1...1) { args throws(PyErr) in
                        guard handles(args[1]) else { return .obj(self.notImplementedObject) }
                        return reflected ? try self.binary(op, args[1], args[0]) : try self.binary(op, args[0], args[1])
                    })
                }
            }
        }

        // Comparisons: NotImplemented unless the other operand is of a type this one compares
        // with itself (`(2).__eq__(2.0)` is NotImplemented: float answers `2 == 2.0`).
        let compares: [(String, CompareKind)] = [("__eq__", .eq), ("__ne__", .ne), ("__lt__", .lt), ("__le__", .le), ("__gt__", .gt), ("__ge__", .ge)]
        let comparable: [(PyClass, (Value) -> Bool)] = [
            (types.int, isInt), (types.bool, isInt), (types.float, isNumber),
            (types.str, { $0.asStr != nil }), (types.list, { $0.asList != nil }), (types.tuple, { $0.asTuple != nil }),
        ]
        for (cls, handles) in comparable {
            for (name, kind) in compares {
                cls.setAttribute(name, builtinMethod(name, arity: 1...1) { args throws(PyErr) in
                    guard handles(args[1]) else { return .obj(self.notImplementedObject) }
                    return try self.richCompare(args[0], args[1], kind)
                })
            }
        }

        // One-operand methods.
        var numberUnaries: [(String, ClosedRange<Int>, ([Value]) throws(PyErr) -> Value)] = [
            ("__neg__", 0...0, { a throws(PyErr) in try self.negate(a[0]) }),
            ("__pos__", 0...0, { a throws(PyErr) in try self.positive(a[0]) }),
            ("__abs__", 0...0, { a throws(PyErr) in try self.absolute(a[0]) }),
            ("__int__", 0...0, { a throws(PyErr) in try self.toInt(a[0], base: nil) }),
            ("__float__", 0...0, { a throws(PyErr) in .float(try self.toFloat(a[0])) }),
            ("__bool__", 0...0, { a throws(PyErr) in .bool(try self.truthy(a[0])) }),
            ("__hash__", 0...0, { a throws(PyErr) in .int(try self.hash(a[0])) }),
            ("__round__", 0...1, { a throws(PyErr) in try self.roundValue(a[0], a.count > 1 ? a[1] : .none) }),
            ("__trunc__", 0...0, { a throws(PyErr) in try self.integralPart(a[0], .towardZero) }),
            ("__floor__", 0...0, { a throws(PyErr) in try self.integralPart(a[0], .down) }),
            ("__ceil__", 0...0, { a throws(PyErr) in try self.integralPart(a[0], .up) }),
        ]
        let stringForms: [(String, ClosedRange<Int>, ([Value]) throws(PyErr) -> Value)] = [
            ("__str__", 0...0, { a throws(PyErr) in .str(try self.str(a[0])) }),
            ("__repr__", 0...0, { a throws(PyErr) in .str(try self.repr(a[0])) }),
        ]
        numberUnaries += stringForms
        let intOnly: [(String, ClosedRange<Int>, ([Value]) throws(PyErr) -> Value)] = [
            ("__invert__", 0...0, { a throws(PyErr) in try self.invert(a[0]) }),
            ("__index__", 0...0, { a throws(PyErr) in try self.positive(a[0]) }),
        ]
        for (cls, unaries) in [(types.int, numberUnaries + intOnly), (types.bool, numberUnaries + intOnly), (types.float, numberUnaries)] {
            for (name, arity, fn) in unaries {
                cls.setAttribute(name, builtinMethod(name, arity: arity, fn))
            }
        }
        for cls in [types.str, types.list, types.tuple, types.dict, types.set] {
            for (name, arity, fn) in stringForms {
                cls.setAttribute(name, builtinMethod(name, arity: arity, fn))
            }
        }
    }

    /// Ordinary methods rather than operator slots in CPython: their arity error reads
    /// differently.
    private static let plainMethodDunders: Set<String> = ["__floor__", "__ceil__", "__trunc__"]

    /// A method taking the receiver and `arity` more arguments: the body gets them all, the
    /// receiver first.
    private func builtinMethod(_ name: String, arity: ClosedRange<Int>,
                               _ body: @escaping ([Value]) throws(PyErr) -> Value) -> Value {
        .obj(PyBuiltin(name) { args, _ throws(PyErr) in
            guard !args.isEmpty else { throw self.typeError("descriptor '\(name)' needs an argument") }
            let n = args.count - 1
            guard arity.contains(n) else {
                if Runtime.plainMethodDunders.contains(name) {
                    throw self.typeError("\(self.typeName(args[0])).\(name)() takes no arguments (\(n) given)")
                }
                if arity.lowerBound == arity.upperBound {
                    throw self.typeError("expected \(arity.lowerBound) argument\(arity.lowerBound == 1 ? "" : "s"), got \(n)")
                }
                throw self.typeError("\(name) expected at most \(arity.upperBound) argument\(arity.upperBound == 1 ? "" : "s"), got \(n)")
            }
            return try body(args)
        })
    }

    /// An int's `__trunc__`/`__floor__`/`__ceil__` is the int itself (a bool's, 0 or 1); a
    /// float's is the integral value in that direction, as an int.
    private func integralPart(_ v: Value, _ rule: FloatingPointRoundingRule) throws(PyErr) -> Value {
        if case .float(let x) = v { return try integral(x, rule) }
        return try positive(v)
    }

    /// `x` rounded by `rule`, as an int (`math.floor`, `math.ceil`, `math.trunc` of a float).
    func integral(_ x: Double, _ rule: FloatingPointRoundingRule) throws(PyErr) -> Value {
        if x.isNaN { throw valueError("cannot convert float NaN to integer") }
        if x.isInfinite { throw overflowError("cannot convert float infinity to integer") }
        let r = x.rounded(rule)
        if let i = Int(exactly: r) { return .int(i) }
        return .big(BigInt(exactly: r) ?? 0)
    }
}
