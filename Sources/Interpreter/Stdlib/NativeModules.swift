import BigInt
import Foundation

// The stdlib modules implemented in Swift: math, time, random, json. Modules written in stlang
// live in stdlib/ (string, datetime).

extension Runtime {
    /// Builds a module from (name, function) pairs plus constants.
    public func makeNativeModule(_ name: String, functions: [(String, NativeFunction)], constants: [(String, Value)] = []) -> PyModule {
        let m = PyModule(name: name, filename: "")
        m.set("__name__", .str(name))
        for (n, f) in functions { m.set(n, .obj(PyBuiltin(n, f))) }
        for (n, v) in constants { m.set(n, v) }
        return m
    }

    func registerStandardNativeModules() {
        nativeModules["math"] = { rt in rt.makeMathModule() }
        nativeModules["time"] = { rt in rt.makeTimeModule() }
        nativeModules["random"] = { rt in rt.makeRandomModule() }
        nativeModules["json"] = { rt in rt.makeJSONModule() }
        nativeModules["sys"] = { rt in rt.makeSysModule() }
        nativeModules["gc"] = { rt in rt.makeGCModule() }
        CycleGC.applyEnvironment()
        nativeModules["_itertools"] = { rt in rt.makeItertoolsModule() }
        nativeModules["_re"] = { rt in rt.makeRegexModule() }
        nativeModules["_nprandom"] = { rt in rt.makeNumpyRandomModule() }
    }

    public func floatArg(_ v: Value, _ fname: String) throws(PyErr) -> Double {
        switch v {
        case .float(let d): return d
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        default:
            if v.asBigInt != nil || userUnary(v, "__float__") != nil || userUnary(v, "__index__") != nil { return try toFloat(v) }
            throw typeError("must be real number, not \(typeName(v))")
        }
    }

    public func intArg(_ v: Value) throws(PyErr) -> BigInt {
        if let b = v.bigIntValue { return b }
        if let f = userUnary(v, "__index__"), let b = try callMethodValue(f, v, []).bigIntValue { return b }
        throw typeError("'\(typeName(v))' object cannot be interpreted as an integer")
    }

    // MARK: - math

    func makeMathModule() -> PyModule {
        func f1(_ name: String, _ op: @escaping (Double) -> Double, domain: @escaping (Double) -> Bool = { _ in true }) -> (String, NativeFunction) {
            (name, { args, _ throws(PyErr) in
                try self.argCount(name, args, 1, 1)
                let x = try self.floatArg(args[0], name)
                if !domain(x) { throw self.valueError("math domain error") }
                let r = op(x)
                if r.isNaN && !x.isNaN { throw self.valueError("math domain error") }
                if r.isInfinite && x.isFinite { throw self.overflowError("math range error") }
                return .float(r)
            })
        }
        func toIntegral(_ name: String, _ rule: FloatingPointRoundingRule) -> (String, NativeFunction) {
            (name, { args, _ throws(PyErr) in
                try self.argCount(name, args, 1, 1)
                let v = args[0]
                if v.bigIntValue != nil { return try self.positive(v) }
                if case .obj(let o) = v, o.kind == .instance, let f = self.typeOf(v).lookup("__\(name)__") {
                    return try self.callMethodValue(f, v, [])
                }
                return try self.integral(self.floatArg(v, name), rule)
            })
        }
        let fns: [(String, NativeFunction)] = [
            f1("sqrt", Foundation.sqrt, domain: { $0 >= 0 || $0.isNaN }),
            f1("exp", Foundation.exp),
            f1("sin", Foundation.sin, domain: { !$0.isInfinite }), f1("cos", Foundation.cos, domain: { !$0.isInfinite }),
            f1("tan", Foundation.tan, domain: { !$0.isInfinite }),
            f1("asin", Foundation.asin, domain: { $0 >= -1 && $0 <= 1 }), f1("acos", Foundation.acos, domain: { $0 >= -1 && $0 <= 1 }),
            f1("atan", Foundation.atan), f1("sinh", Foundation.sinh), f1("cosh", Foundation.cosh), f1("tanh", Foundation.tanh),
            f1("asinh", Foundation.asinh), f1("acosh", Foundation.acosh, domain: { $0 >= 1 }), f1("atanh", Foundation.atanh, domain: { $0 > -1 && $0 < 1 }),
            f1("fabs", Swift.abs), f1("log1p", Foundation.log1p, domain: { $0 > -1 }), f1("expm1", Foundation.expm1),
            f1("degrees", { $0 * 180 / Double.pi }), f1("radians", { $0 * Double.pi / 180 }),
            f1("erf", Foundation.erf), f1("erfc", Foundation.erfc), f1("gamma", Foundation.tgamma, domain: { !($0 <= 0 && $0.rounded() == $0) }),
            f1("lgamma", { Foundation.lgamma($0) }),
            toIntegral("floor", .down), toIntegral("ceil", .up), toIntegral("trunc", .towardZero),
            ("log", { args, _ throws(PyErr) in
                try self.argCount("log", args, 1, 2)
                func ln(_ v: Value) throws(PyErr) -> Double {
                    if let b = v.asBigInt {
                        if b.value <= 0 { throw self.valueError("math domain error") }
                        // log of a huge int: scale it down first.
                        let shift = max(0, b.value.bitWidth - 1000)
                        return Foundation.log(Double(b.value >> shift)) + Double(shift) * Foundation.log(2.0)
                    }
                    let x = try self.floatArg(v, "log")
                    if x <= 0 { throw self.valueError("math domain error") }
                    return Foundation.log(x)
                }
                let l = try ln(args[0])
                if args.count == 2 {
                    let lb = try ln(args[1])
                    if lb == 0 { throw self.zeroDivision("float division by zero") }
                    return .float(l / lb)
                }
                return .float(l)
            }),
            ("log2", { args, _ throws(PyErr) in
                try self.argCount("log2", args, 1, 1)
                if let b = args[0].bigIntValue, args[0].asBigInt != nil {
                    if b <= 0 { throw self.valueError("math domain error") }
                    let shift = max(0, b.bitWidth - 1000)
                    return .float(Foundation.log2(Double(b >> shift)) + Double(shift))
                }
                let x = try self.floatArg(args[0], "log2")
                if x <= 0 { throw self.valueError("math domain error") }
                return .float(Foundation.log2(x))
            }),
            ("log10", { args, _ throws(PyErr) in
                try self.argCount("log10", args, 1, 1)
                if let b = args[0].bigIntValue, args[0].asBigInt != nil {
                    if b <= 0 { throw self.valueError("math domain error") }
                    let shift = max(0, b.bitWidth - 1000)
                    return .float(Foundation.log10(Double(b >> shift)) + Double(shift) * Foundation.log10(2.0))
                }
                let x = try self.floatArg(args[0], "log10")
                if x <= 0 { throw self.valueError("math domain error") }
                return .float(Foundation.log10(x))
            }),
            ("pow", { args, _ throws(PyErr) in
                try self.argCount("pow", args, 2, 2)
                let x = try self.floatArg(args[0], "pow"), y = try self.floatArg(args[1], "pow")
                if x == 0 && y < 0 { throw self.valueError("math domain error") }
                if x < 0 && y.isFinite && y.rounded() != y { throw self.valueError("math domain error") }
                let r = Foundation.pow(x, y)
                if r.isInfinite && x.isFinite && y.isFinite { throw self.overflowError("math range error") }
                return .float(r)
            }),
            ("frexp", { args, _ throws(PyErr) in
                try self.argCount("frexp", args, 1, 1)
                let x = try self.floatArg(args[0], "frexp")
                if x == 0 || !x.isFinite { return .obj(PyTuple([.float(x), .int(0)])) }
                let e = x.exponent + 1
                return .obj(PyTuple([.float(Foundation.scalbn(x, -Int(e))), .int(Int(e))]))
            }),
            ("ldexp", { args, _ throws(PyErr) in
                try self.argCount("ldexp", args, 2, 2)
                let x = try self.floatArg(args[0], "ldexp")
                guard let e = Int(exactly: try self.intArg(args[1])) else { throw self.overflowError("math range error") }
                let r = Foundation.scalbn(x, max(-100_000, min(100_000, e)))
                if r.isInfinite && x.isFinite { throw self.overflowError("math range error") }
                return .float(r)
            }),
            f1("cbrt", Foundation.cbrt), f1("exp2", Foundation.exp2),
            ("remainder", { args, _ throws(PyErr) in
                try self.argCount("remainder", args, 2, 2)
                let x = try self.floatArg(args[0], "remainder"), y = try self.floatArg(args[1], "remainder")
                if y == 0 || x.isInfinite { if !x.isNaN && !y.isNaN { throw self.valueError("math domain error") } }
                return .float(Foundation.remainder(x, y))
            }),
            ("atan2", { args, _ throws(PyErr) in
                try self.argCount("atan2", args, 2, 2)
                return .float(Foundation.atan2(try self.floatArg(args[0], "atan2"), try self.floatArg(args[1], "atan2")))
            }),
            ("copysign", { args, _ throws(PyErr) in
                try self.argCount("copysign", args, 2, 2)
                return .float(Foundation.copysign(try self.floatArg(args[0], "copysign"), try self.floatArg(args[1], "copysign")))
            }),
            ("fmod", { args, _ throws(PyErr) in
                try self.argCount("fmod", args, 2, 2)
                let x = try self.floatArg(args[0], "fmod"), y = try self.floatArg(args[1], "fmod")
                if y == 0 || x.isInfinite { throw self.valueError("math domain error") }
                return .float(Foundation.fmod(x, y))
            }),
            ("modf", { args, _ throws(PyErr) in
                try self.argCount("modf", args, 1, 1)
                let x = try self.floatArg(args[0], "modf")
                let ip = x.rounded(.towardZero)
                return .obj(PyTuple([.float(x.isInfinite ? Foundation.copysign(0, x) : x - ip), .float(ip)]))
            }),
            ("hypot", { args, _ throws(PyErr) in
                var acc = 0.0
                for a in args { let x = try self.floatArg(a, "hypot"); acc = Foundation.hypot(acc, x) }
                return .float(acc)
            }),
            ("dist", { args, _ throws(PyErr) in
                try self.argCount("dist", args, 2, 2)
                let p = try self.collect(args[0]), q = try self.collect(args[1])
                if p.count != q.count { throw self.valueError("both points must have the same number of dimensions") }
                var acc = 0.0
                for (a, b) in zip(p, q) { acc = Foundation.hypot(acc, try self.floatArg(a, "dist") - self.floatArg(b, "dist")) }
                return .float(acc)
            }),
            ("isnan", { args, _ throws(PyErr) in .bool(try self.floatArg(args.first ?? .none, "isnan").isNaN) }),
            ("isinf", { args, _ throws(PyErr) in .bool(try self.floatArg(args.first ?? .none, "isinf").isInfinite) }),
            ("isfinite", { args, _ throws(PyErr) in .bool(try self.floatArg(args.first ?? .none, "isfinite").isFinite) }),
            ("isclose", { args, kwargs throws(PyErr) in
                try self.argCount("isclose", args, 2, 2)
                let kw = try self.keywords("isclose", kwargs, ["rel_tol", "abs_tol"])
                let a = try self.floatArg(args[0], "isclose"), b = try self.floatArg(args[1], "isclose")
                let rel = try self.floatArg(kw["rel_tol"] ?? .float(1e-9), "isclose")
                let abst = try self.floatArg(kw["abs_tol"] ?? .float(0), "isclose")
                if rel < 0 || abst < 0 { throw self.valueError("tolerances must be non-negative") }
                if a == b { return .bool(true) }
                if a.isInfinite || b.isInfinite { return .bool(false) }
                let diff = Swift.abs(b - a)
                return .bool(diff <= Swift.abs(rel * b) || diff <= Swift.abs(rel * a) || diff <= abst)
            }),
            ("gcd", { args, _ throws(PyErr) in
                var g = BigInt(0)
                for a in args { g = g.greatestCommonDivisor(with: try self.intArg(a)) }
                return .big(g)
            }),
            ("lcm", { args, _ throws(PyErr) in
                var l = BigInt(1)
                for a in args {
                    let x = try self.intArg(a)
                    if x == 0 { return .int(0) }
                    l = BigInt((l * x).magnitude) / l.greatestCommonDivisor(with: x)
                }
                return .big(l)
            }),
            ("factorial", { args, _ throws(PyErr) in
                try self.argCount("factorial", args, 1, 1)
                if case .float = args[0] { throw self.typeError("'float' object cannot be interpreted as an integer") }
                let n = try self.intArg(args[0])
                if n < 0 { throw self.valueError("factorial() not defined for negative values") }
                guard let k = Int(exactly: n), k <= 1_000_000 else { throw self.overflowError("factorial() argument should not exceed 1000000") }
                // A balanced product tree: big × big multiplications stay few and even.
                func product(_ lo: Int, _ hi: Int) -> BigInt {
                    if hi - lo < 16 {
                        var r = BigInt(1)
                        var i = lo
                        while i <= hi { r *= BigInt(i); i += 1 }
                        return r
                    }
                    let mid = (lo + hi) / 2
                    return product(lo, mid) * product(mid + 1, hi)
                }
                return .big(k < 2 ? BigInt(1) : product(2, k))
            }),
            ("isqrt", { args, _ throws(PyErr) in
                try self.argCount("isqrt", args, 1, 1)
                let n = try self.intArg(args[0])
                if n < 0 { throw self.valueError("isqrt() argument must be nonnegative") }
                return .big(BigInt(n.magnitude.squareRoot()))
            }),
            ("comb", { args, _ throws(PyErr) in
                try self.argCount("comb", args, 2, 2)
                let n = try self.intArg(args[0]), k = try self.intArg(args[1])
                if n < 0 { throw self.valueError("n must be a non-negative integer") }
                if k < 0 { throw self.valueError("k must be a non-negative integer") }
                if k > n { return .int(0) }
                let kk = min(k, n - k)
                var r = BigInt(1)
                var i = BigInt(0)
                while i < kk { r = r * (n - i) / (i + 1); i += 1 }
                return .big(r)
            }),
            ("perm", { args, _ throws(PyErr) in
                try self.argCount("perm", args, 1, 2)
                let n = try self.intArg(args[0])
                let k = args.count > 1 && !args[1].isNone ? try self.intArg(args[1]) : n
                if n < 0 { throw self.valueError("n must be a non-negative integer") }
                if k < 0 { throw self.valueError("k must be a non-negative integer") }
                if k > n { return .int(0) }
                var r = BigInt(1)
                var i = BigInt(0)
                while i < k { r *= (n - i); i += 1 }
                return .big(r)
            }),
            ("prod", { args, kwargs throws(PyErr) in
                try self.argCount("prod", args, 1, 1)
                let kw = try self.keywords("prod", kwargs, ["start"])
                var acc = kw["start"] ?? .int(1)
                try self.forEach(args[0]) { v throws(PyErr) in acc = try self.mul(acc, v); return true }
                return acc
            }),
            ("fsum", { args, _ throws(PyErr) in
                try self.argCount("fsum", args, 1, 1)
                // Shewchuk's exact summation, as CPython's fsum.
                var partials: [Double] = []
                try self.forEach(args[0]) { v throws(PyErr) in
                    var x = try self.floatArg(v, "fsum")
                    var i = 0
                    for var y in partials {
                        if Swift.abs(x) < Swift.abs(y) { swap(&x, &y) }
                        let hi = x + y
                        let lo = y - (hi - x)
                        if lo != 0 { partials[i] = lo; i += 1 }
                        x = hi
                    }
                    partials.removeSubrange(i...)
                    partials.append(x)
                    return true
                }
                return .float(partials.reduce(0, +))
            }),
        ]
        return makeNativeModule("math", functions: fns, constants: [
            ("pi", .float(Double.pi)), ("e", .float(M_E)), ("tau", .float(2 * Double.pi)),
            ("inf", .float(Double.infinity)), ("nan", .float(Double.nan)),
        ])
    }

    // MARK: - time

    func makeTimeModule() -> PyModule {
        let start = Date()
        return makeNativeModule("time", functions: [
            ("time", { _, _ throws(PyErr) in .float(self.clock()) }),
            ("time_ns", { _, _ throws(PyErr) in .big(BigInt(self.clock() * 1e9)) }),
            ("perf_counter", { _, _ throws(PyErr) in .float(Date().timeIntervalSince(start)) }),
            ("monotonic", { _, _ throws(PyErr) in .float(Date().timeIntervalSince(start)) }),
            ("process_time", { _, _ throws(PyErr) in .float(Double(Glibc.clock()) / Double(CLOCKS_PER_SEC)) }),
            ("sleep", { args, _ throws(PyErr) in
                try self.argCount("sleep", args, 1, 1)
                let s = try self.floatArg(args[0], "sleep")
                if s.isNaN { throw self.valueError("Invalid value NaN (not a number)") }
                if s < 0 { throw self.valueError("sleep length must be non-negative") }
                if s * 1e9 >= 9.2e18 { throw self.overflowError("timestamp too large to convert to C _PyTime_t") }
                self.stdout.flush()
                self.sleep(s)
                return .none
            }),
        ])
    }

    // MARK: - random

    func makeRandomModule() -> PyModule {
        func seq(_ v: Value) throws(PyErr) -> [Value] { try collect(v) }
        return makeNativeModule("random", functions: [
            ("seed", { args, kwargs throws(PyErr) in
                let a = args.first ?? kwargs.first(where: { $0.0 == "a" })?.1 ?? .none
                switch a {
                case .none: self.random = MersenneTwister()
                case .int(let i): self.random = MersenneTwister(seed: i)
                case .bool(let b): self.random = MersenneTwister(seed: b ? 1 : 0)
                case .float(let d): self.random = MersenneTwister(seedHash: pyFloatHash(d))
                default:
                    if let b = a.asBigInt {
                        var words: [UInt32] = []
                        var m = b.value.magnitude
                        while m > 0 { words.append(UInt32(truncatingIfNeeded: m & 0xffffffff)); m >>= 32 }
                        self.random = MersenneTwister(seedMagnitudeWords: words)
                    } else if let s = a.asStr {
                        self.random = MersenneTwister(seedString: s.value)
                    } else if case .obj(let o) = a, o.kind == .bytes {
                        self.random = MersenneTwister(seedBytes: unsafeDowncast(o, to: PyBytes.self).bytes)
                    } else {
                        throw self.typeError("The only supported seed types are: None,\nint, float, str, bytes, and bytearray.")
                    }
                }
                return .none
            }),
            ("random", { _, _ throws(PyErr) in .float(self.random.random()) }),
            ("uniform", { args, _ throws(PyErr) in
                try self.argCount("uniform", args, 2, 2)
                return .float(self.random.uniform(try self.floatArg(args[0], "uniform"), try self.floatArg(args[1], "uniform")))
            }),
            ("randint", { args, _ throws(PyErr) in
                try self.argCount("randint", args, 2, 2)
                let a = try self.intArg(args[0]), b = try self.intArg(args[1])
                guard let x = Int(exactly: a), let y = Int(exactly: b) else { throw self.overflowError("randint bounds too large") }
                if y < x { throw self.valueError("empty range for randrange() (\(x), \(BigInt(y) + 1), \(BigInt(y) + 1 - BigInt(x)))") }
                return .int(self.random.randint(x, y))
            }),
            ("randrange", { args, _ throws(PyErr) in
                try self.argCount("randrange", args, 1, 3)
                var ints: [Int] = []
                for a in args {
                    guard let i = Int(exactly: try self.intArg(a)) else { throw self.overflowError("randrange bounds too large") }
                    ints.append(i)
                }
                let (start, stop, step) = ints.count == 1 ? (0, ints[0], 1) : (ints[0], ints[1], ints.count > 2 ? ints[2] : 1)
                if step == 0 { throw self.valueError("zero step for randrange()") }
                let (width, wo) = stop.subtractingReportingOverflow(start)
                if !wo, let r = self.random.randrange(start, stop, step) { return .int(r) }
                // The span does not fit an Int: count the choices in UInt64 (ranges hold Ints).
                let span = BigInt(stop) - BigInt(start)
                let n = step > 0 ? (span + BigInt(step) - 1) / BigInt(step) : (span + BigInt(step) + 1) / BigInt(step)
                guard n > 0, let count = UInt64(exactly: n) else {
                    throw self.valueError(ints.count == 1 ? "empty range for randrange()" : "empty range for randrange() (\(start), \(stop), \(wo ? "\(span)" : "\(width)"))")
                }
                let k = self.random.randbelow(count)
                return .big(BigInt(start) + BigInt(k) * BigInt(step))
            }),
            ("choice", { args, _ throws(PyErr) in
                try self.argCount("choice", args, 1, 1)
                let n = try self.length(args[0])
                if n == 0 { throw self.indexError("Cannot choose from an empty sequence") }
                return try self.getItem(args[0], .int(self.random.choiceIndex(n)))
            }),
            ("shuffle", { args, _ throws(PyErr) in
                try self.argCount("shuffle", args, 1, 1)
                guard let l = args[0].asList else {
                    var items = try seq(args[0])
                    self.random.shuffle(&items)
                    for (i, v) in items.enumerated() { try self.setItem(args[0], .int(i), v) }
                    return .none
                }
                self.random.shuffle(&l.items)
                return .none
            }),
            ("sample", { args, kwargs throws(PyErr) in
                let kw = try self.keywords("sample", kwargs, ["k", "counts"])
                guard let pop = args.first else { throw self.typeError("sample() missing required argument 'population'") }
                let items = try seq(pop)
                let k = try self.indexValue(args.count > 1 ? args[1] : (kw["k"] ?? .none), "sample() missing k")
                if k < 0 || k > items.count { throw self.valueError("Sample larger than population or is negative") }
                return .obj(PyList(self.random.sampleIndices(n: items.count, k: k).map { items[$0] }))
            }),
            ("choices", { args, kwargs throws(PyErr) in
                let kw = try self.keywords("choices", kwargs, ["weights", "cum_weights", "k"])
                guard let pop = args.first else { throw self.typeError("choices() missing required argument 'population'") }
                let items = try seq(pop)
                let k = try self.indexValue(kw["k"] ?? .int(1), "k must be an integer")
                var weights = args.count > 1 ? args[1] : (kw["weights"] ?? .none)
                var out: [Value] = []
                if weights.isNone, let cw = kw["cum_weights"], !cw.isNone { weights = .none
                    let cum = try seq(cw).map { v throws(PyErr) in try self.floatArg(v, "choices") }
                    for _ in 0..<max(0, k) { out.append(items[self.random.choicesIndex(cumWeights: cum)]) }
                    return .obj(PyList(out))
                }
                if items.isEmpty { throw self.indexError("list index out of range") }
                if weights.isNone {
                    for _ in 0..<max(0, k) { out.append(items[self.random.choicesIndex(items.count)]) }
                } else {
                    var cum: [Double] = []
                    var acc = 0.0
                    for w in try seq(weights) { acc += try self.floatArg(w, "choices"); cum.append(acc) }
                    if cum.count != items.count { throw self.valueError("The number of weights does not match the population") }
                    for _ in 0..<max(0, k) { out.append(items[self.random.choicesIndex(cumWeights: cum)]) }
                }
                return .obj(PyList(out))
            }),
            ("gauss", { args, kwargs throws(PyErr) in
                let kw = try self.keywords("gauss", kwargs, ["mu", "sigma"])
                let mu = try self.floatArg(args.count > 0 ? args[0] : (kw["mu"] ?? .float(0)), "gauss")
                let sigma = try self.floatArg(args.count > 1 ? args[1] : (kw["sigma"] ?? .float(1)), "gauss")
                return .float(self.random.gauss(mu: mu, sigma: sigma))
            }),
            ("normalvariate", { args, _ throws(PyErr) in
                let mu = try self.floatArg(args.count > 0 ? args[0] : .float(0), "normalvariate")
                let sigma = try self.floatArg(args.count > 1 ? args[1] : .float(1), "normalvariate")
                return .float(self.random.normalvariate(mu: mu, sigma: sigma))
            }),
            ("expovariate", { args, _ throws(PyErr) in
                try self.argCount("expovariate", args, 1, 1)
                return .float(self.random.expovariate(try self.floatArg(args[0], "expovariate")))
            }),
            ("triangular", { args, _ throws(PyErr) in
                let low = try self.floatArg(args.count > 0 ? args[0] : .float(0), "triangular")
                let high = try self.floatArg(args.count > 1 ? args[1] : .float(1), "triangular")
                let mode = args.count > 2 && !args[2].isNone ? try self.floatArg(args[2], "triangular") : nil
                return .float(self.random.triangular(low: low, high: high, mode: mode))
            }),
            ("getrandbits", { args, _ throws(PyErr) in
                try self.argCount("getrandbits", args, 1, 1)
                let k = try self.indexValue(args[0], "integer argument expected")
                if k < 0 { throw self.valueError("number of bits must be non-negative") }
                if k > Int(Int32.max) { throw self.overflowError("Python int too large to convert to C int") }
                if k > 1 << 28 { throw self.raise(self.types.MemoryError, args: []) }
                var r = BigInt(0)
                for (i, w) in self.random.getrandbits(k).enumerated() { r |= BigInt(w) << (32 * i) }
                return .big(r)
            }),
        ])
    }
}
