// `_nprandom`: numpy's legacy global RandomState, exact to the bit, for stdlib/numpy.st.
// numpy.st shapes the flat lists these functions return into arrays.

extension Runtime {
    func makeNumpyRandomModule() -> PyModule {
        func count(_ args: [Value], _ i: Int, _ name: String) throws(PyErr) -> Int {
            guard i < args.count else { return 1 }
            guard case .int(let n) = args[i] else { throw typeError("\(name)(): size must be an int") }
            if n < 0 { throw valueError("negative dimensions are not allowed") }
            if n > 64_000_000 { throw raise(types.MemoryError, args: []) }
            return n
        }
        func floats(_ n: Int, _ draw: () -> Double) -> Value {
            var out: [Value] = []
            out.reserveCapacity(n)
            for _ in 0..<n { out.append(.float(draw())) }
            return .obj(PyList(out))
        }
        return makeNativeModule("_nprandom", functions: [
            ("seed", { args, _ throws(PyErr) in
                switch args.first ?? .none {
                case .none: self.numpyRandom = NumpyLegacyRandom()
                case .int(let i):
                    guard let r = NumpyLegacyRandom.make(seed: i) else { throw self.valueError("Seed must be between 0 and 2**32 - 1") }
                    self.numpyRandom = r
                case .bool(let b): self.numpyRandom = NumpyLegacyRandom(seed: b ? 1 : 0)
                default: throw self.typeError("Cannot cast scalar from dtype('\(self.typeName(args[0]))') to dtype('int64') according to the rule 'safe'")
                }
                return .none
            }),
            // rand(n): n floats in [0, 1)
            ("rand", { args, _ throws(PyErr) in floats(try count(args, 0, "rand")) { self.numpyRandom.rand() } }),
            // randn(n): n standard normals
            ("randn", { args, _ throws(PyErr) in floats(try count(args, 0, "randn")) { self.numpyRandom.randn() } }),
            // normal(loc, scale, n)
            ("normal", { args, _ throws(PyErr) in
                try self.argCount("normal", args, 3, 3)
                let loc = try self.floatArg(args[0], "normal"), scale = try self.floatArg(args[1], "normal")
                if scale < 0 { throw self.valueError("scale < 0") }
                return floats(try count(args, 2, "normal")) { self.numpyRandom.normal(loc: loc, scale: scale) }
            }),
            // uniform(low, high, n)
            ("uniform", { args, _ throws(PyErr) in
                try self.argCount("uniform", args, 3, 3)
                let lo = try self.floatArg(args[0], "uniform"), hi = try self.floatArg(args[1], "uniform")
                return floats(try count(args, 2, "uniform")) { self.numpyRandom.uniform(low: lo, high: hi) }
            }),
            // randint(low, high, n): n ints in [low, high)
            ("randint", { args, _ throws(PyErr) in
                try self.argCount("randint", args, 3, 3)
                guard case .int(let lo) = args[0], case .int(let hi) = args[1] else { throw self.typeError("randint() bounds must be ints") }
                if lo >= hi { throw self.valueError("low >= high") }
                let n = try count(args, 2, "randint")
                var out: [Value] = []
                out.reserveCapacity(n)
                for _ in 0..<n { out.append(.int(self.numpyRandom.randint(lo, hi))) }
                return .obj(PyList(out))
            }),
            // permutation(n): a shuffled range(n), as a list
            ("permutation", { args, _ throws(PyErr) in
                let n = try count(args, 0, "permutation")
                return .obj(PyList(self.numpyRandom.permutation(n).map { .int($0) }))
            }),
            // shuffle(list): in place, numpy's order
            ("shuffle", { args, _ throws(PyErr) in
                guard let l = args.first?.asList else { throw self.typeError("shuffle() expects a list") }
                var items = l.items
                self.numpyRandom.shuffle(&items)
                l.items = items
                return .none
            }),
        ])
    }
}
