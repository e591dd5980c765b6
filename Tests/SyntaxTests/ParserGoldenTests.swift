// Golden tests: the dump of small programs. The expected dumps were checked against the
// structure of CPython's own `ast` module (same shapes; f-string `=` fields differ by design).
import Testing
@testable import Syntax

struct GoldenCase: CustomStringConvertible, Sendable {
    let name: String
    let source: String
    let expected: String
    var description: String { name }
}

let goldenCases: [GoldenCase] = [
    GoldenCase(name: "precedence", source: #"""
x = -2 ** 2
y = 2 ** -1
z = a or b and not c
w = a | b ^ c & d << 1 + 2 * 3 // 4 % 5 @ m
v = ~x ** y ** z

"""#, expected: #"""
Module
  Assign
    target: Name x
    value: UnaryOp -
      BinOp **
        Int 2
        Int 2
  Assign
    target: Name y
    value: BinOp **
      Int 2
      UnaryOp -
        Int 1
  Assign
    target: Name z
    value: BoolOp or
      Name a
      BoolOp and
        Name b
        UnaryOp not
          Name c
  Assign
    target: Name w
    value: BinOp |
      Name a
      BinOp ^
        Name b
        BinOp &
          Name c
          BinOp <<
            Name d
            BinOp +
              Int 1
              BinOp @
                BinOp %
                  BinOp //
                    BinOp *
                      Int 2
                      Int 3
                    Int 4
                  Int 5
                Name m
  Assign
    target: Name v
    value: UnaryOp ~
      BinOp **
        Name x
        BinOp **
          Name y
          Name z

"""#),
    GoldenCase(name: "comparisons", source: #"""
a < b <= c != d
x in y
x not in y
x is y
x is not None
not a == b

"""#, expected: #"""
Module
  Expr
    Compare
      Name a
      <: Name b
      <=: Name c
      !=: Name d
  Expr
    Compare
      Name x
      in: Name y
  Expr
    Compare
      Name x
      not in: Name y
  Expr
    Compare
      Name x
      is: Name y
  Expr
    Compare
      Name x
      is not: None
  Expr
    UnaryOp not
      Compare
        Name a
        ==: Name b

"""#),
    GoldenCase(name: "assignment", source: #"""
a = b = 1
a, b = b, a
[x, *rest] = items
(p, q), r = pairs
obj.attr = d[k] = 0
t = 1,

"""#, expected: #"""
Module
  Assign
    target: Name a
    target: Name b
    value: Int 1
  Assign
    target: Tuple
      Name a
      Name b
    value: Tuple
      Name b
      Name a
  Assign
    target: List
      Name x
      Starred
        Name rest
    value: Name items
  Assign
    target: Tuple
      Tuple
        Name p
        Name q
      Name r
    value: Name pairs
  Assign
    target: Attribute .attr
      Name obj
    target: Subscript
      Name d
      index: Name k
    value: Int 0
  Assign
    target: Name t
    value: Tuple
      Int 1

"""#),
    GoldenCase(name: "augassign", source: #"""
x += 1
x -= 1
x *= 2
x /= 2
x //= 2
x %= 3
x **= 2
x <<= 1
x >>= 1
x &= 1
x |= 1
x ^= 1
m @= n
a.b += 1
a[0] -= 1

"""#, expected: #"""
Module
  AugAssign +=
    target: Name x
    value: Int 1
  AugAssign -=
    target: Name x
    value: Int 1
  AugAssign *=
    target: Name x
    value: Int 2
  AugAssign /=
    target: Name x
    value: Int 2
  AugAssign //=
    target: Name x
    value: Int 2
  AugAssign %=
    target: Name x
    value: Int 3
  AugAssign **=
    target: Name x
    value: Int 2
  AugAssign <<=
    target: Name x
    value: Int 1
  AugAssign >>=
    target: Name x
    value: Int 1
  AugAssign &=
    target: Name x
    value: Int 1
  AugAssign |=
    target: Name x
    value: Int 1
  AugAssign ^=
    target: Name x
    value: Int 1
  AugAssign @=
    target: Name m
    value: Name n
  AugAssign +=
    target: Attribute .b
      Name a
    value: Int 1
  AugAssign -=
    target: Subscript
      Name a
      index: Int 0
    value: Int 1

"""#),
    GoldenCase(name: "annassign", source: #"""
x: int = 1
y: list[int]
self.z: str = 'a'

"""#, expected: #"""
Module
  AnnAssign
    target: Name x
    annotation: Name int
    value: Int 1
  AnnAssign
    target: Name y
    annotation: Subscript
      Name list
      index: Name int
  AnnAssign
    target: Attribute .z
      Name self
    annotation: Name str
    value: Str 'a'

"""#),
    GoldenCase(name: "if_elif_else", source: #"""
if a:
    pass
elif b:
    x = 1
elif c:
    x = 2
else:
    x = 3

"""#, expected: #"""
Module
  If
    test: Name a
    body:
      Pass
    orelse:
      If
        test: Name b
        body:
          Assign
            target: Name x
            value: Int 1
        orelse:
          If
            test: Name c
            body:
              Assign
                target: Name x
                value: Int 2
            orelse:
              Assign
                target: Name x
                value: Int 3

"""#),
    GoldenCase(name: "loops", source: #"""
for k, v in d.items():
    if k:
        continue
    break
else:
    done()
while n > 0:
    n -= 1
else:
    pass
for x in a, b:
    pass

"""#, expected: #"""
Module
  For
    target: Tuple
      Name k
      Name v
    iter: Call
      Attribute .items
        Name d
    body:
      If
        test: Name k
        body:
          Continue
      Break
    orelse:
      Expr
        Call
          Name done
  While
    test: Compare
      Name n
      >: Int 0
    body:
      AugAssign -=
        target: Name n
        value: Int 1
    orelse:
      Pass
  For
    target: Name x
    iter: Tuple
      Name a
      Name b
    body:
      Pass

"""#),
    GoldenCase(name: "yield", source: #"""
def g():
    yield
    yield 1, 2
    x = yield a
    y += yield
    z = (yield from it)
    f((yield))

"""#, expected: #"""
Module
  FunctionDef g
    body:
      Expr
        Yield
      Expr
        Yield
          value: Tuple
            Int 1
            Int 2
      Assign
        target: Name x
        value: Yield
          value: Name a
      AugAssign +=
        target: Name y
        value: Yield
      Assign
        target: Name z
        value: YieldFrom
          value: Name it
      Expr
        Call
          Name f
          arg: Yield

"""#),
    GoldenCase(name: "def_params", source: #"""
def f(a, b=1, /, c=2, *args, d, e=3, **kw) -> int:
    return a
def g(*, key=None): pass
def h(x: int, y: 'str' = 'a') -> None:
    pass

"""#, expected: #"""
Module
  FunctionDef f
    posonly a
    posonly b
      default: Int 1
    arg c
      default: Int 2
    vararg *args
    kwonly d
    kwonly e
      default: Int 3
    kwarg **kw
    returns: Name int
    body:
      Return
        Name a
  FunctionDef g
    kwonly key
      default: None
    body:
      Pass
  FunctionDef h
    arg x
      annotation: Name int
    arg y
      annotation: Str 'str'
      default: Str 'a'
    returns: None
    body:
      Pass

"""#),
    GoldenCase(name: "lambda", source: #"""
f = lambda: 0
g = lambda x, y=1, *a, k, **kw: x + y
h = lambda *, k: k

"""#, expected: #"""
Module
  Assign
    target: Name f
    value: Lambda
      body: Int 0
  Assign
    target: Name g
    value: Lambda
      arg x
      arg y
        default: Int 1
      vararg *a
      kwonly k
      kwarg **kw
      body: BinOp +
        Name x
        Name y
  Assign
    target: Name h
    value: Lambda
      kwonly k
      body: Name k

"""#),
    GoldenCase(name: "class_def", source: #"""
@dataclass
@reg.register(1)
class A(B, C, metaclass=M, **kw):
    x = 1
    def m(self):
        return super().m()

"""#, expected: #"""
Module
  ClassDef A
    decorator: Name dataclass
    decorator: Call
      Attribute .register
        Name reg
      arg: Int 1
    base: Name B
    base: Name C
    keyword metaclass: Name M
    **kwarg: Name kw
    body:
      Assign
        target: Name x
        value: Int 1
      FunctionDef m
        arg self
        body:
          Return
            Call
              Attribute .m
                Call
                  Name super

"""#),
    GoldenCase(name: "try_stmt", source: #"""
try:
    f()
except ValueError:
    pass
except (KeyError, IndexError) as e:
    raise RuntimeError('x') from e
except:
    raise
else:
    ok()
finally:
    cleanup()

"""#, expected: #"""
Module
  Try
    body:
      Expr
        Call
          Name f
    except
      type: Name ValueError
      body:
        Pass
    except as e
      type: Tuple
        Name KeyError
        Name IndexError
      body:
        Raise
          exc: Call
            Name RuntimeError
            arg: Str 'x'
          cause: Name e
    except
      body:
        Raise
    orelse:
      Expr
        Call
          Name ok
    finally:
      Expr
        Call
          Name cleanup

"""#),
    GoldenCase(name: "with_stmt", source: #"""
with open(p) as f, lock:
    pass
with (open(a) as x, open(b) as y):
    pass
with (a, b):
    pass
with a as (x, y):
    pass

"""#, expected: #"""
Module
  With
    item: Call
      Name open
      arg: Name p
      as: Name f
    item: Name lock
    body:
      Pass
  With
    item: Call
      Name open
      arg: Name a
      as: Name x
    item: Call
      Name open
      arg: Name b
      as: Name y
    body:
      Pass
  With
    item: Name a
    item: Name b
    body:
      Pass
  With
    item: Name a
      as: Tuple
        Name x
        Name y
    body:
      Pass

"""#),
    GoldenCase(name: "imports", source: #"""
import os
import a.b.c as d, e
from m import x, y as z
from m import (a,
    b,)
from . import sib
from ..pkg.mod import thing
from m import *

"""#, expected: #"""
Module
  Import
    os
  Import
    a.b.c as d
    e
  ImportFrom m
    x
    y as z
  ImportFrom m
    a
    b
  ImportFrom .
    sib
  ImportFrom ..pkg.mod
    thing
  ImportFrom m
    *

"""#),
    GoldenCase(name: "simple_stmts", source: #"""
global a, b
del x, y[0], z.w
assert x > 0, 'positive'
raise
pass
def f():
    nonlocal q
    return a, b

"""#, expected: #"""
Module
  Global a, b
  Delete
    Name x
    Subscript
      Name y
      index: Int 0
    Attribute .w
      Name z
  Assert
    test: Compare
      Name x
      >: Int 0
    msg: Str 'positive'
  Raise
  Pass
  FunctionDef f
    body:
      Nonlocal q
      Return
        Tuple
          Name a
          Name b

"""#),
    GoldenCase(name: "displays", source: #"""
a = [1, 2, *rest]
b = (1,)
c = ()
d = {}
e = {'k': 1, **other}
f = {1, 2, *s}
g = [*a, *b]
h = (x)
i = ...

"""#, expected: #"""
Module
  Assign
    target: Name a
    value: List
      Int 1
      Int 2
      Starred
        Name rest
  Assign
    target: Name b
    value: Tuple
      Int 1
  Assign
    target: Name c
    value: Tuple
  Assign
    target: Name d
    value: Dict
  Assign
    target: Name e
    value: Dict
      key: Str 'k'
        value: Int 1
      **: Name other
  Assign
    target: Name f
    value: Set
      Int 1
      Int 2
      Starred
        Name s
  Assign
    target: Name g
    value: List
      Starred
        Name a
      Starred
        Name b
  Assign
    target: Name h
    value: Name x
  Assign
    target: Name i
    value: Ellipsis

"""#),
    GoldenCase(name: "comprehensions", source: #"""
a = [x * y for x in xs if x for y in ys if y > 0 if y < 9]
b = {x for x in s}
c = {k: v for k, v in d.items()}
d = (x for x in y)
e = sum(x for x in y)

"""#, expected: #"""
Module
  Assign
    target: Name a
    value: ListComp
      elt: BinOp *
        Name x
        Name y
      for
        target: Name x
        iter: Name xs
        if: Name x
      for
        target: Name y
        iter: Name ys
        if: Compare
          Name y
          >: Int 0
        if: Compare
          Name y
          <: Int 9
  Assign
    target: Name b
    value: SetComp
      elt: Name x
      for
        target: Name x
        iter: Name s
  Assign
    target: Name c
    value: DictComp
      key: Name k
      value: Name v
      for
        target: Tuple
          Name k
          Name v
        iter: Call
          Attribute .items
            Name d
  Assign
    target: Name d
    value: GeneratorExp
      elt: Name x
      for
        target: Name x
        iter: Name y
  Assign
    target: Name e
    value: Call
      Name sum
      arg: GeneratorExp
        elt: Name x
        for
          target: Name x
          iter: Name y

"""#),
    GoldenCase(name: "calls", source: #"""
f()
f(1, x, *args, k=2, **kw)
f(a)(b)[c].d
print(*a, sep='', end='\n')

"""#, expected: #"""
Module
  Expr
    Call
      Name f
  Expr
    Call
      Name f
      arg: Int 1
      arg: Name x
      *arg: Name args
      keyword k: Int 2
      **kwarg: Name kw
  Expr
    Attribute .d
      Subscript
        Call
          Call
            Name f
            arg: Name a
          arg: Name b
        index: Name c
  Expr
    Call
      Name print
      *arg: Name a
      keyword sep: Str ''
      keyword end: Str '\n'

"""#),
    GoldenCase(name: "slices", source: #"""
a[1]
a[1:2]
a[::2]
a[1:2:3]
a[:, 1]
a[1:2, ::3]
a[x, y]
a[-1:]

"""#, expected: #"""
Module
  Expr
    Subscript
      Name a
      index: Int 1
  Expr
    Subscript
      Name a
      index: Slice
        lower: Int 1
        upper: Int 2
  Expr
    Subscript
      Name a
      index: Slice
        step: Int 2
  Expr
    Subscript
      Name a
      index: Slice
        lower: Int 1
        upper: Int 2
        step: Int 3
  Expr
    Subscript
      Name a
      index: Tuple
        Slice
        Int 1
  Expr
    Subscript
      Name a
      index: Tuple
        Slice
          lower: Int 1
          upper: Int 2
        Slice
          step: Int 3
  Expr
    Subscript
      Name a
      index: Tuple
        Name x
        Name y
  Expr
    Subscript
      Name a
      index: Slice
        lower: UnaryOp -
          Int 1

"""#),
    GoldenCase(name: "walrus", source: #"""
if (n := len(a)) > 10:
    pass
while chunk := read():
    pass
ys = [y for x in xs if (y := f(x))]
print(z := 5)

"""#, expected: #"""
Module
  If
    test: Compare
      NamedExpr
        target: Name n
        value: Call
          Name len
          arg: Name a
      >: Int 10
    body:
      Pass
  While
    test: NamedExpr
      target: Name chunk
      value: Call
        Name read
    body:
      Pass
  Assign
    target: Name ys
    value: ListComp
      elt: Name y
      for
        target: Name x
        iter: Name xs
        if: NamedExpr
          target: Name y
          value: Call
            Name f
            arg: Name x
  Expr
    Call
      Name print
      arg: NamedExpr
        target: Name z
        value: Int 5

"""#),
    GoldenCase(name: "strings", source: #"""
a = 'x' "y" '''z'''
b = b'ab' b'\x00\xff'
c = r'\n\d' 'e\tf'
d = 'caf\u00e9 \x41\101'
e = '\q'
f = U'u' R'\r'
g = Rb'\x' BR'x'

"""#, expected: #"""
Module
  Assign
    target: Name a
    value: Str 'xyz'
  Assign
    target: Name b
    value: Bytes b'ab\x00\xff'
  Assign
    target: Name c
    value: Str '\\n\\de\tf'
  Assign
    target: Name d
    value: Str 'café AA'
  Assign
    target: Name e
    value: Str '\\q'
  Assign
    target: Name f
    value: Str 'u\\r'
  Assign
    target: Name g
    value: Bytes b'\\xx'

"""#),
    GoldenCase(name: "fstrings", source: #"""
a = f'hi {name}!'
b = f'{x!r} {y!s:>10} {z!a}'
c = f'{v:{w}.{p}f}'
d = f'{{literal}} {x}'
e = f'{x = }'
g = f'{x=:>5}'
h = f'{x=!s}'
i = 'a' f'{b}' 'c'
j = rf'\d{x}'
k = f'{a["k"]} {f(1, 2)}'

"""#, expected: #"""
Module
  Assign
    target: Name a
    value: FString
      Literal 'hi '
      Field
        Name name
      Literal '!'
  Assign
    target: Name b
    value: FString
      Field !r
        Name x
      Literal ' '
      Field !s
        Name y
        spec:
          Literal '>10'
      Literal ' '
      Field !a
        Name z
  Assign
    target: Name c
    value: FString
      Field
        Name v
        spec:
          Field
            Name w
          Literal '.'
          Field
            Name p
          Literal 'f'
  Assign
    target: Name d
    value: FString
      Literal '{literal} '
      Field
        Name x
  Assign
    target: Name e
    value: FString
      Field !r debug='x = '
        Name x
  Assign
    target: Name g
    value: FString
      Field debug='x='
        Name x
        spec:
          Literal '>5'
  Assign
    target: Name h
    value: FString
      Field !s debug='x='
        Name x
  Assign
    target: Name i
    value: FString
      Literal 'a'
      Field
        Name b
      Literal 'c'
  Assign
    target: Name j
    value: FString
      Literal '\\d'
      Field
        Name x
  Assign
    target: Name k
    value: FString
      Field
        Subscript
          Name a
          index: Str 'k'
      Literal ' '
      Field
        Call
          Name f
          arg: Int 1
          arg: Int 2

"""#),
    GoldenCase(name: "numbers", source: #"""
a = 1_000
b = 0x1f + 0o17 + 0b101
c = 123456789012345678901234567890
d = 0xffffffffffffffffffff
e = 1.5 + .5 + 1. + 1e-3 + 1_0.5 + 1E10
f = 9223372036854775807
g = 9223372036854775808
h = 00

"""#, expected: #"""
Module
  Assign
    target: Name a
    value: Int 1000
  Assign
    target: Name b
    value: BinOp +
      BinOp +
        Int 31
        Int 15
      Int 5
  Assign
    target: Name c
    value: Int 123456789012345678901234567890 (big)
  Assign
    target: Name d
    value: Int 1208925819614629174706175 (big)
  Assign
    target: Name e
    value: BinOp +
      BinOp +
        BinOp +
          BinOp +
            BinOp +
              Float 1.5
              Float 0.5
            Float 1.0
          Float 0.001
        Float 10.5
      Float 10000000000.0
  Assign
    target: Name f
    value: Int 9223372036854775807
  Assign
    target: Name g
    value: Int 9223372036854775808 (big)
  Assign
    target: Name h
    value: Int 0

"""#),
    GoldenCase(name: "semicolons", source: #"""
x = 1; y = 2;
if x: y = 1; z = 2
while 0: pass
class E(Exception): pass

"""#, expected: #"""
Module
  Assign
    target: Name x
    value: Int 1
  Assign
    target: Name y
    value: Int 2
  If
    test: Name x
    body:
      Assign
        target: Name y
        value: Int 1
      Assign
        target: Name z
        value: Int 2
  While
    test: Int 0
    body:
      Pass
  ClassDef E
    base: Name Exception
    body:
      Pass

"""#),
    GoldenCase(name: "ifexp", source: #"""
x = a if b else c
y = a if b else c if d else e
z = (lambda: 1) if f else None

"""#, expected: #"""
Module
  Assign
    target: Name x
    value: IfExp
      test: Name b
      body: Name a
      orelse: Name c
  Assign
    target: Name y
    value: IfExp
      test: Name b
      body: Name a
      orelse: IfExp
        test: Name d
        body: Name c
        orelse: Name e
  Assign
    target: Name z
    value: IfExp
      test: Name f
      body: Lambda
        body: Int 1
      orelse: None

"""#),
    GoldenCase(name: "indentation", source: #"""
if a:
	if b:
		x = 1
	y = 2
# comment

    # indented comment
z = 3

"""#, expected: #"""
Module
  If
    test: Name a
    body:
      If
        test: Name b
        body:
          Assign
            target: Name x
            value: Int 1
      Assign
        target: Name y
        value: Int 2
  Assign
    target: Name z
    value: Int 3

"""#),
    GoldenCase(name: "continuation", source: #"""
x = 1 + \
    2
y = (1 +
     2)
z = [
  1,
  2,
]

"""#, expected: #"""
Module
  Assign
    target: Name x
    value: BinOp +
      Int 1
      Int 2
  Assign
    target: Name y
    value: BinOp +
      Int 1
      Int 2
  Assign
    target: Name z
    value: List
      Int 1
      Int 2

"""#),
]

@Suite("Parser goldens")
struct ParserGoldenTests {
    @Test(arguments: goldenCases)
    func golden(_ c: GoldenCase) throws {
        let m = try parseModule(c.source, filename: "\(c.name).py")
        let dump = dumpAST(m)
        #expect(dump == c.expected, "dump of \(c.name) differs:\n\(dump)")
    }
}
