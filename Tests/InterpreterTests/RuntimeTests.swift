@testable import Interpreter
import XCTest

/// Unit tests of runtime pieces that golden programs cannot see directly.
final class RuntimeTests: XCTestCase {
    /// Runs a snippet and returns what it printed (and the exit status).
    func run(_ source: String) -> (String, Int32) {
        var out = ""
        let status = runOnLargeStack { () -> Int32 in
            let interp = Interpreter()
            interp.runtime.stdout.capture = { out += $0 }
            interp.runtime.stderr.capture = { _ in }
            return interp.runSource(source, filename: "t.st")
        }
        return (out, status)
    }

    /// A body that is just `return expr` runs as the bare expression; the caller records its
    /// line when an error escapes (method call, and a builtin calling back into a function).
    /// Runs a snippet as `tb.st` and returns its exit status and what it wrote to stderr.
    func runForErrors(_ source: String) -> (Int32, String) {
        var err = ""
        let status = runOnLargeStack { () -> Int32 in
            let interp = Interpreter()
            interp.runtime.stdout.capture = { _ in }
            interp.runtime.stderr.capture = { err += $0 }
            return interp.runSource(source, filename: "tb.st")
        }
        return (status, err)
    }

    func testReturnOnlyBodiesRecordTheirLine() {
        let source = """
        class Box:
            def __init__(self, v):
                self.v = v

            def ratio(self):
                return self.v / 0


        def key(b):
            return b.ratio()


        sorted([Box(1), Box(2)], key=key)

        """
        let (status, err) = runForErrors(source)
        XCTAssertEqual(status, 1)
        XCTAssertEqual(err, """
        Traceback (most recent call last):
          File "tb.st", line 13, in <module>
            sorted([Box(1), Box(2)], key=key)
          File "tb.st", line 10, in key
            return b.ratio()
          File "tb.st", line 6, in ratio
            return self.v / 0
        ZeroDivisionError: division by zero

        """)
    }

    func testTracebackShapeMatchesCPython() {
        // CPython 3.11's text for this program, without its `^^^`/`~~~` marker lines.
        let source = """
        def inner(x):
            return 10 / x

        def outer(v):
            total = 0
            for i in v:
                total += inner(i)
            return total

        try:
            outer([1, 0])
        except ZeroDivisionError as e:
            raise ValueError("bad input") from e

        """
        let (status, err) = runForErrors(source)
        XCTAssertEqual(status, 1)
        XCTAssertEqual(err, """
        Traceback (most recent call last):
          File "tb.st", line 11, in <module>
            outer([1, 0])
          File "tb.st", line 7, in outer
            total += inner(i)
          File "tb.st", line 2, in inner
            return 10 / x
        ZeroDivisionError: division by zero

        The above exception was the direct cause of the following exception:

        Traceback (most recent call last):
          File "tb.st", line 13, in <module>
            raise ValueError("bad input") from e
        ValueError: bad input

        """)
    }

    func testHugeAllocationsRaiseMemoryErrorInsteadOfAborting() {
        // Swift aborts when an allocation fails; sizes past the limits raise MemoryError first.
        let cases = [
            "'x'.ljust(10**12)", "'x'.zfill(2**40)", "'a\\tb'.expandtabs(2**40)", "'%*d' % (2**40, 1)",
            "'x' * 10**12", "[0] * 10**12", "[0] * 2**40",
        ]
        for c in cases {
            let (out, status) = run("try:\n    \(c)\nexcept MemoryError:\n    print('MemoryError')\n")
            XCTAssertEqual(out, "MemoryError\n", c)
            XCTAssertEqual(status, 0, c)
        }
    }

    func testValueIsSixteenBytes() {
        // DESIGN.md decision 3: one word of payload plus a tag.
        XCTAssertEqual(MemoryLayout<Value>.stride, 16)
    }

    func testDictTablesAreSizedLikeCPython() {
        // An entry keeps 32 bits of the hash in the value's padding: 32 bytes, not 40.
        XCTAssertEqual(MemoryLayout<DictEntry>.stride, 32)
        // 150,000 keys: CPython's index of 262,144 slots, and entries for the 2/3 of it that
        // the next growth allows (array doubling alone would reserve 262,144 of them).
        let d = PyDict()
        for i in 0..<150_000 { d.setStr("k\(i)", .int(i)) }
        XCTAssertEqual(d.count, 150_000)
        XCTAssertEqual(d.indexSize, 262_144)
        XCTAssertLessThan(d.entryArray.capacity, 180_000)
        XCTAssertGreaterThanOrEqual(d.entryArray.capacity, 174_763)
    }

    func testTemplatesSharingACacheSetAreBothKept() {
        // Two template strings whose objects map to the same set stay digested side by side
        // (a direct-mapped cache evicted one for the other on every use).
        let cache = FormatTemplateCache()
        var strings: [PyStr] = []
        var pair: (PyStr, PyStr)?
        for i in 0..<10_000 where pair == nil {
            let s = PyStr("{} template \(i)")
            if let other = strings.first(where: { FormatTemplateCache.slot($0) == FormatTemplateCache.slot(s) }) {
                pair = (other, s)
            }
            strings.append(s)
        }
        guard let (a, b) = pair else { return XCTFail("no two strings share a set") }
        let first = cache.format(a)
        _ = cache.format(b)
        XCTAssertTrue(cache.format(a) === first)
        XCTAssertTrue(cache.format(b) === cache.format(b))
    }

    func testStringEqualityDoesNotNormalise() {
        // Swift's String == treats these as equal; Python does not.
        let (out, _) = run("a = 'caf\\u00e9'\nb = 'cafe\\u0301'\nprint(a == b, len(a), len(b), {a: 1, b: 2}[b])\n")
        XCTAssertEqual(out, "False 4 5 2\n")
    }

    func testDictKeysFollowNumericEquality() {
        let (out, _) = run("d = {1: 'a'}\nd[1.0] = 'b'\nd[True] = 'c'\nprint(d, len(d))\n")
        XCTAssertEqual(out, "{1: 'c'} 1\n")
    }

    func testSetIterationOrderMatchesCPythonForInts() {
        // CPython's table layout decides the order (after a resize to 32 slots, 64 and 33 come first).
        let (out, _) = run("print({33, 1, 64, 100, 2}, {5, 3, 1} | {2, 4})\n")
        XCTAssertEqual(out, "{64, 33, 2, 1, 100} {1, 2, 3, 4, 5}\n")  // CPython 3.11 prints exactly this
    }

    func testSmallIntOverflowPromotesToBigInt() {
        let (out, _) = run("x = 2**62\nprint(x + x, x * 4, -x - x - 1, (x * 4) // 4 == x)\n")
        XCTAssertEqual(out, "9223372036854775808 18446744073709551616 -9223372036854775809 True\n")
    }

    func testInPlaceStringAppendKeepsOtherReferencesIntact() {
        // `s += t` may append in place only when nothing else refers to s.
        let (out, _) = run("s = 'ab'\nt = s\ns += 'c'\nprint(s, t)\ndef f():\n    u = 'x'\n    for i in range(3):\n        v = u\n        u += 'y'\n    return u, v\nprint(f())\n")
        XCTAssertEqual(out, "abc ab\n('xyyy', 'xyy')\n")
    }

    func testRecursionLimitRaisesInsteadOfCrashing() {
        let (out, status) = run("def f(n):\n    return f(n + 1)\ntry:\n    f(0)\nexcept RecursionError as e:\n    print('ok', e)\n")
        XCTAssertEqual(out, "ok maximum recursion depth exceeded\n")
        XCTAssertEqual(status, 0)
    }

    func testExitStatusesOfErrors() {
        XCTAssertEqual(run("1/0\n").1, 1)
        XCTAssertEqual(run("x = (\n").1, 2)
        XCTAssertEqual(run("raise SystemExit(3)\n").1, 3)
    }

    func testNativeModuleInterface() {
        // Hosts register modules the way `st` will: by name, built on demand.
        var out = ""
        let status = runOnLargeStack { () -> Int32 in
            let interp = Interpreter()
            interp.runtime.stdout.capture = { out += $0 }
            interp.runtime.nativeModules["host"] = { rt in
                rt.makeNativeModule("host", functions: [("twice", { args, _ in
                    guard case .int(let i)? = args.first else { return .none }
                    return .int(i * 2)
                })], constants: [("name", .str("demo"))])
            }
            return interp.runSource("import host\nprint(host.twice(21), host.name)\n", filename: "t.st")
        }
        XCTAssertEqual(status, 0)
        XCTAssertEqual(out, "42 demo\n")
    }

    /// The cycle collector's fields (generation, index) live in PyObject's padding, beside two
    /// flag bytes PyStr uses: no object grows. Instance sizes from the class metadata (on
    /// platforms without Objective-C interop, a UInt32 at offset 24).
    func testCycleCollectorFieldsCostNoMemory() {
        func size(_ c: AnyClass) -> Int {
            Int(unsafeBitCast(c, to: UnsafeRawPointer.self).load(fromByteOffset: 24, as: UInt32.self))
        }
        XCTAssertEqual(size(PyObject.self), 24)
        XCTAssertEqual(size(PyStr.self), 56)
        XCTAssertEqual(size(PyInstance.self), 56)
        XCTAssertEqual(size(PyList.self), 32)
        XCTAssertEqual(size(PyCell.self), 33)  // a Value is 9 bytes (payload and tag)
        XCTAssertEqual(size(PyTuple.self), 40)
    }

    /// A cycle is freed by gc.collect(); an object held from outside keeps its contents.
    func testCollectorFreesCyclesAndKeepsReachableObjects() {
        let (out, status) = run("""
        import gc
        class N:
            pass
        a = N(); b = N(); a.o = b; b.o = a
        k = N(); k.o = k; k.data = [1, 2]
        del a, b
        print(gc.collect() >= 2, k.o is k, k.data)
        """)
        XCTAssertEqual(status, 0)
        XCTAssertEqual(out, "True True [1, 2]\n")
    }
}
