import Resolve
import Syntax
import Testing

/// The resolver decides, per scope, where each name lives (Python's scoping rules).
@Suite("Resolver")
struct ResolverTests {
    func resolved(_ src: String) throws -> ResolvedModule {
        try resolve(parseModule(src, filename: "t.st"))
    }

    func function(_ r: ResolvedModule, _ name: String) -> Scope? {
        func find(_ stmts: [Stmt]) -> FunctionDef? {
            for s in stmts {
                switch s.kind {
                case .functionDef(let d):
                    if d.name == name { return d }
                    if let f = find(d.body) { return f }
                case .classDef(let c):
                    if let f = find(c.body) { return f }
                default: break
                }
            }
            return nil
        }
        return find(r.module.body).flatMap { r.scope(of: $0) }
    }

    @Test func moduleNamesAreGlobal() throws {
        let r = try resolved("x = 1\nprint(x)\n")
        #expect(r.moduleScope.lookup("x") == .global("x"))
        #expect(r.moduleScope.lookup("print") == .global("print"))
    }

    @Test func parametersComeFirstThenLocals() throws {
        let r = try resolved("def f(a, b):\n    c = a + b\n    return c\n")
        let f = try #require(function(r, "f"))
        #expect(f.lookup("a") == .local(0))
        #expect(f.lookup("b") == .local(1))
        #expect(f.lookup("c") == .local(2))
        #expect(f.slotCount == 3)
    }

    @Test func assignmentAnywhereMakesALocal() throws {
        // `x` is local in g even where it is read before the assignment (UnboundLocalError).
        let r = try resolved("x = 1\ndef g():\n    print(x)\n    x = 2\n")
        let g = try #require(function(r, "g"))
        #expect(g.lookup("x") == .local(0))
    }

    @Test func globalDeclarationBindsToTheModule() throws {
        let r = try resolved("n = 0\ndef inc():\n    global n\n    n += 1\n")
        let f = try #require(function(r, "inc"))
        #expect(f.lookup("n") == .global("n"))
    }

    @Test func capturedLocalsBecomeCellsAndFreeVariables() throws {
        let src = """
        def outer():
            count = 0
            def inner():
                nonlocal count
                count += 1
                return count
            return inner
        """
        let r = try resolved(src + "\n")
        let outer = try #require(function(r, "outer"))
        let inner = try #require(function(r, "inner"))
        guard case .cell(let s) = outer.lookup("count") else {
            Issue.record("count should be a cell in outer")
            return
        }
        #expect(outer.cellSlots == [s])
        guard case .cell(let fs) = inner.lookup("count") else {
            Issue.record("count should be a free variable of inner")
            return
        }
        #expect(inner.freeVars.map(\.name) == ["count"])
        #expect(inner.freeVars.first?.slot == fs)
        #expect(inner.freeVars.first?.outer == s)
    }

    @Test func freeVariablesPassThroughIntermediateFunctions() throws {
        let src = "def a():\n    v = 1\n    def b():\n        def c():\n            return v\n        return c\n    return b\n"
        let r = try resolved(src)
        let b = try #require(function(r, "b"))
        let c = try #require(function(r, "c"))
        #expect(b.freeVars.map(\.name) == ["v"])
        #expect(c.freeVars.map(\.name) == ["v"])
    }

    @Test func classBodyNamesLiveInTheNamespace() throws {
        let r = try resolved("class A:\n    x = 1\n    y = x + 1\n    def m(self):\n        return x\n")
        let m = try #require(function(r, "m"))
        // Methods do not see the class body's names.
        #expect(m.lookup("x") == .global("x"))
    }

    @Test func comprehensionVariablesGetPrivateSlotsInTheHostFrame() throws {
        let r = try resolved("def f(xs):\n    i = 10\n    ys = [i * 2 for i in xs]\n    return i\n")
        let f = try #require(function(r, "f"))
        // `i` of the function and `i` of the comprehension are different slots.
        #expect(f.lookup("i") == .local(1))
        #expect(f.slotCount == 4)  // xs, i, ys, and the comprehension's i
    }

    @Test func lambdasInComprehensionsCaptureTheLoopVariable() throws {
        let r = try resolved("fs = [lambda: i for i in range(3)]\n")
        #expect(r.moduleScope.slotCount == 1)
        let comp = try #require(r.moduleScope.children.first)
        #expect(comp.comprehensionCellSlots.count == 1)
    }

    @Test func walrusInComprehensionBindsInTheEnclosingFunction() throws {
        let r = try resolved("def f(xs):\n    return [y for x in xs if (y := x) > 0], y\n")
        let f = try #require(function(r, "f"))
        guard case .local = f.lookup("y") else {
            Issue.record("y should be a local of f")
            return
        }
    }

    @Test func qualifiedNames() throws {
        let r = try resolved("class A:\n    def m(self):\n        def inner():\n            pass\n")
        #expect(function(r, "m")?.qualname == "A.m")
        #expect(function(r, "inner")?.qualname == "A.m.<locals>.inner")
    }

    @Test(arguments: [
        ("return 1\n", "'return' outside function", 1),
        ("break\n", "'break' outside loop", 1),
        ("for x in y:\n    pass\ncontinue\n", "'continue' not properly in loop", 3),
        ("nonlocal x\n", "nonlocal declaration not allowed at module level", 1),
        ("def f():\n    nonlocal q\n", "no binding for nonlocal 'q' found", 2),
        ("def f(a):\n    global a\n", "name 'a' is parameter and global", 2),
        ("def f():\n    x = 1\n    global x\n", "name 'x' is assigned to before global declaration", 3),
        ("def f():\n    print(x)\n    global x\n", "name 'x' is used prior to global declaration", 3),
        ("def f(a, a):\n    pass\n", "duplicate argument 'a' in function definition", 1),
        ("def f():\n    from m import *\n", "import * only allowed at module level", 2),
        ("def f():\n    return [(yield x) for x in y]\n", "'yield' inside list comprehension", 2),
        ("def f():\n    return ((yield x) for x in y)\n", "'yield' inside generator expression", 2),
        ("def f():\n    return {(yield): 1 for x in y}\n", "'yield' inside dict comprehension", 2),
        ("def f():\n    class A:\n        yield 1\n", "'yield' outside function", 3),
    ])
    func errors(_ src: String, _ message: String, _ line: Int) {
        do {
            _ = try resolved(src)
            Issue.record("expected \(message)")
        } catch let e as SyntaxError {
            #expect(e.message == message)
            #expect(e.location.line == line)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
