// Syntax errors: message, kind, line and column, as CPython 3.11 reports them (the expected
// values were produced by `compile()` in python3.11).
import Testing
@testable import Syntax

struct ErrorCase: CustomStringConvertible, Sendable {
    let source: String
    let kind: String
    let message: String
    let line: Int
    let column: Int
    var description: String { source.debugDescription }
}

let cpythonErrorCases: [ErrorCase] = [
    ErrorCase(source: "x = (1,\n2", kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 5),
    ErrorCase(source: "x = \"abc\n", kind: "SyntaxError", message: "unterminated string literal (detected at line 1)", line: 1, column: 5),
    ErrorCase(source: "x = \"\"\"abc\n\n", kind: "SyntaxError", message: "unterminated triple-quoted string literal (detected at line 2)", line: 1, column: 5),
    ErrorCase(source: "  x=1\n", kind: "IndentationError", message: "unexpected indent", line: 1, column: 2),
    ErrorCase(source: "if x:\npass\n", kind: "IndentationError", message: "expected an indented block after 'if' statement on line 1", line: 2, column: 1),
    ErrorCase(source: "if x:\n    a\n  b\n", kind: "IndentationError", message: "unindent does not match any outer indentation level", line: 3, column: 4),
    ErrorCase(source: "1x\n", kind: "SyntaxError", message: "invalid decimal literal", line: 1, column: 1),
    ErrorCase(source: "1 = 2\n", kind: "SyntaxError", message: "cannot assign to literal here. Maybe you meant '==' instead of '='?", line: 1, column: 1),
    ErrorCase(source: "f() = 1\n", kind: "SyntaxError", message: "cannot assign to function call here. Maybe you meant '==' instead of '='?", line: 1, column: 1),
    ErrorCase(source: "f(a b)\n", kind: "SyntaxError", message: "invalid syntax. Perhaps you forgot a comma?", line: 1, column: 3),
    ErrorCase(source: "if x\n    pass\n", kind: "SyntaxError", message: "expected ':'", line: 1, column: 5),
    ErrorCase(source: "x = \n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 5),
    ErrorCase(source: "x = 1 +\\\n", kind: "SyntaxError", message: "unexpected EOF while parsing", line: 1, column: 9),
    ErrorCase(source: "f(a=1, b)\n", kind: "SyntaxError", message: "positional argument follows keyword argument", line: 1, column: 9),
    ErrorCase(source: "def f(a=1, b): pass\n", kind: "SyntaxError", message: "non-default argument follows default argument", line: 1, column: 12),
    ErrorCase(source: "f(x for x in y, 1)\n", kind: "SyntaxError", message: "Generator expression must be parenthesized", line: 1, column: 3),
    ErrorCase(source: "x $ 1\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 3),
    ErrorCase(source: "x ? 1\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 3),
    ErrorCase(source: "x € 1\n", kind: "SyntaxError", message: "invalid character '€' (U+20AC)", line: 1, column: 3),
    ErrorCase(source: "print(1 2\n", kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 6),
    ErrorCase(source: "f(a b\n", kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 2),
    ErrorCase(source: ")\n", kind: "SyntaxError", message: "unmatched ')'", line: 1, column: 1),
    ErrorCase(source: "(]\n", kind: "SyntaxError", message: "closing parenthesis ']' does not match opening parenthesis '('", line: 1, column: 2),
    ErrorCase(source: "(\n]\n", kind: "SyntaxError", message: "closing parenthesis ']' does not match opening parenthesis '(' on line 1", line: 2, column: 1),
    ErrorCase(source: "x = -", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 6),
    ErrorCase(source: "0777\n", kind: "SyntaxError", message: "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", line: 1, column: 1),
    ErrorCase(source: "1e\n", kind: "SyntaxError", message: "invalid decimal literal", line: 1, column: 1),
    ErrorCase(source: "0x\n", kind: "SyntaxError", message: "invalid hexadecimal literal", line: 1, column: 2),
    ErrorCase(source: "0b12\n", kind: "SyntaxError", message: "invalid digit '2' in binary literal", line: 1, column: 4),
    ErrorCase(source: "1__0\n", kind: "SyntaxError", message: "invalid decimal literal", line: 1, column: 2),
    ErrorCase(source: "1_\n", kind: "SyntaxError", message: "invalid decimal literal", line: 1, column: 2),
    ErrorCase(source: "1.e\n", kind: "SyntaxError", message: "invalid decimal literal", line: 1, column: 2),
    ErrorCase(source: "a\\b\n", kind: "SyntaxError", message: "unexpected character after line continuation character", line: 1, column: 3),
    ErrorCase(source: "\tif x:\n        a\n", kind: "IndentationError", message: "unexpected indent", line: 1, column: 1),
    ErrorCase(source: "if x:\n        a\n\tb\n", kind: "TabError", message: "inconsistent use of tabs and spaces in indentation", line: 3, column: 1),
    ErrorCase(source: "x = ((((", kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 8),
    ErrorCase(source: "if x:\n", kind: "IndentationError", message: "expected an indented block after 'if' statement on line 1", line: 1, column: 6),
    ErrorCase(source: "if x:\n    pass\nelse:\n", kind: "IndentationError", message: "expected an indented block after 'else' statement on line 3", line: 3, column: 6),
    ErrorCase(source: "def f():\n", kind: "IndentationError", message: "expected an indented block after function definition on line 1", line: 1, column: 9),
    ErrorCase(source: "class A:\n", kind: "IndentationError", message: "expected an indented block after class definition on line 1", line: 1, column: 9),
    ErrorCase(source: "for x in y:\n", kind: "IndentationError", message: "expected an indented block after 'for' statement on line 1", line: 1, column: 12),
    ErrorCase(source: "while x:\n", kind: "IndentationError", message: "expected an indented block after 'while' statement on line 1", line: 1, column: 9),
    ErrorCase(source: "try:\n", kind: "IndentationError", message: "expected an indented block after 'try' statement on line 1", line: 1, column: 5),
    ErrorCase(source: "try:\n  a\nexcept:\n", kind: "IndentationError", message: "expected an indented block after 'except' statement on line 3", line: 3, column: 8),
    ErrorCase(source: "try:\n  a\nfinally:\n", kind: "IndentationError", message: "expected an indented block after 'finally' statement on line 3", line: 3, column: 9),
    ErrorCase(source: "with a:\n", kind: "IndentationError", message: "expected an indented block after 'with' statement on line 1", line: 1, column: 8),
    ErrorCase(source: "if a:\n  b\nelif c:\n", kind: "IndentationError", message: "expected an indented block after 'elif' statement on line 3", line: 3, column: 8),
    ErrorCase(source: "try:\n  a\n", kind: "SyntaxError", message: "expected 'except' or 'finally' block", line: 2, column: 4),
    ErrorCase(source: "x = 1\n  y = 2\n", kind: "IndentationError", message: "unexpected indent", line: 2, column: 2),
    ErrorCase(source: "def f(:\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 7),
    ErrorCase(source: "a.1\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 2),
    ErrorCase(source: "del f()\n", kind: "SyntaxError", message: "cannot delete function call", line: 1, column: 5),
    ErrorCase(source: "x + 1 = 2\n", kind: "SyntaxError", message: "cannot assign to expression here. Maybe you meant '==' instead of '='?", line: 1, column: 1),
    ErrorCase(source: "(a, 1) = 2\n", kind: "SyntaxError", message: "cannot assign to literal", line: 1, column: 5),
    ErrorCase(source: "a, b += 1\n", kind: "SyntaxError", message: "'tuple' is an illegal expression for augmented assignment", line: 1, column: 1),
    ErrorCase(source: "f() += 1\n", kind: "SyntaxError", message: "'function call' is an illegal expression for augmented assignment", line: 1, column: 1),
    ErrorCase(source: "for 1 in x: pass\n", kind: "SyntaxError", message: "cannot assign to literal", line: 1, column: 5),
    ErrorCase(source: "with a as 1: pass\n", kind: "SyntaxError", message: "cannot assign to literal", line: 1, column: 11),
    ErrorCase(source: "f(**a, *b)\n", kind: "SyntaxError", message: "iterable argument unpacking follows keyword argument unpacking", line: 1, column: 8),
    ErrorCase(source: "x = [1, 2\ny = 3\n", kind: "SyntaxError", message: "'[' was never closed", line: 1, column: 5),
    ErrorCase(source: "x = 'a' 'b\n", kind: "SyntaxError", message: "unterminated string literal (detected at line 1)", line: 1, column: 9),
    ErrorCase(source: "def f(*): pass\n", kind: "SyntaxError", message: "named arguments must follow bare *", line: 1, column: 7),
    ErrorCase(source: "def f(a, a): pass\n", kind: "SyntaxError", message: "duplicate argument 'a' in function definition", line: 1, column: 10),
    ErrorCase(source: "import a.b as\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 14),
    ErrorCase(source: "from x import a,\n", kind: "SyntaxError", message: "trailing comma not allowed without surrounding parentheses", line: 1, column: 17),
    ErrorCase(source: "x = {1: 2, 3}\n", kind: "SyntaxError", message: "':' expected after dictionary key", line: 1, column: 12),
    ErrorCase(source: "f(=1)\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 3),
    ErrorCase(source: "else: pass\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 1),
    ErrorCase(source: "x = 5 if 3\n", kind: "SyntaxError", message: "expected 'else' after 'if' expression", line: 1, column: 5),
    ErrorCase(source: "print \"hi\"\n", kind: "SyntaxError", message: "Missing parentheses in call to 'print'. Did you mean print(...)?", line: 1, column: 1),
    ErrorCase(source: "x = not\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 8),
    ErrorCase(source: "f\"{}\"\n", kind: "SyntaxError", message: "f-string: empty expression not allowed", line: 1, column: 6),
    ErrorCase(source: "f\"{x!z}\"\n", kind: "SyntaxError", message: "f-string: invalid conversion character: expected 's', 'r', or 'a'", line: 1, column: 9),
    ErrorCase(source: "f\"{x\"\n", kind: "SyntaxError", message: "f-string: expecting '}'", line: 1, column: 6),
    ErrorCase(source: "f\"}\"\n", kind: "SyntaxError", message: "f-string: single '}' is not allowed", line: 1, column: 5),
    ErrorCase(source: "f\"{#}\"\n", kind: "SyntaxError", message: "f-string expression part cannot include '#'", line: 1, column: 7),
    ErrorCase(source: "f'{\"\\n\"}'\n", kind: "SyntaxError", message: "f-string expression part cannot include a backslash", line: 1, column: 10),
    ErrorCase(source: "True = 1\n", kind: "SyntaxError", message: "cannot assign to True", line: 1, column: 1),
    ErrorCase(source: "None = 1\n", kind: "SyntaxError", message: "cannot assign to None", line: 1, column: 1),
    ErrorCase(source: "__debug__ = 1\n", kind: "SyntaxError", message: "cannot assign to __debug__", line: 1, column: 1),
    ErrorCase(source: "*a = 1\n", kind: "SyntaxError", message: "starred assignment target must be in a list or tuple", line: 1, column: 1),
    ErrorCase(source: "a = *b\n", kind: "SyntaxError", message: "can't use starred expression here", line: 1, column: 5),
    ErrorCase(source: "x := 1\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 3),
    ErrorCase(source: "(x.y := 1)\n", kind: "SyntaxError", message: "cannot use assignment expressions with attribute", line: 1, column: 2),
    ErrorCase(source: "def f(**k, a): pass\n", kind: "SyntaxError", message: "arguments cannot follow var-keyword argument", line: 1, column: 12),
    ErrorCase(source: "def f(*, **k): pass\n", kind: "SyntaxError", message: "named arguments must follow bare *", line: 1, column: 7),
    ErrorCase(source: "1 = 2\nx = \"abc\n", kind: "SyntaxError", message: "unterminated string literal (detected at line 2)", line: 2, column: 5),
    ErrorCase(source: "1 = 2\nx $ 1\n", kind: "SyntaxError", message: "cannot assign to literal here. Maybe you meant '==' instead of '='?", line: 1, column: 1),
    ErrorCase(source: "1 = 2\nif x:\n  a\n b\n", kind: "SyntaxError", message: "cannot assign to literal here. Maybe you meant '==' instead of '='?", line: 1, column: 1),
    ErrorCase(source: "1 = 2\nx = (\n", kind: "SyntaxError", message: "cannot assign to literal here. Maybe you meant '==' instead of '='?", line: 1, column: 1),
    ErrorCase(source: "1 = 2 + (\n", kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 9),
    ErrorCase(source: "x = $\ny = (\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 5),
    ErrorCase(source: "a b\nx = 1x\n", kind: "SyntaxError", message: "invalid decimal literal", line: 2, column: 5),
    ErrorCase(source: "f(\n", kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 2),
    ErrorCase(source: "a = 1 = 2\n", kind: "SyntaxError", message: "cannot assign to literal", line: 1, column: 5),
    ErrorCase(source: "f'{x:{y:{z}}}'\n", kind: "SyntaxError", message: "f-string: expressions nested too deeply", line: 1, column: 15),
    ErrorCase(source: "def f():\n  return\n   x\n", kind: "IndentationError", message: "unexpected indent", line: 3, column: 3),
    ErrorCase(source: "x = 1\n\tif y\n", kind: "IndentationError", message: "unexpected indent", line: 2, column: 1),
    ErrorCase(source: "a b\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 3),
    ErrorCase(source: "x = 1 2\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 7),
    ErrorCase(source: "if x:\n  y\n else:\n  z\n", kind: "IndentationError", message: "unindent does not match any outer indentation level", line: 3, column: 7),
    ErrorCase(source: "class A(:\n  pass\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 9),
    ErrorCase(source: "def f()\n  pass\n", kind: "SyntaxError", message: "expected ':'", line: 1, column: 8),
    ErrorCase(source: "for x in range(3)\n  pass\n", kind: "SyntaxError", message: "expected ':'", line: 1, column: 18),
    ErrorCase(source: "while x\n  pass\n", kind: "SyntaxError", message: "expected ':'", line: 1, column: 8),
    ErrorCase(source: "x = [1, 2,, 3]\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 11),
    ErrorCase(source: "x = {a: b: c}\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 10),
    ErrorCase(source: "x = (1 2)\n", kind: "SyntaxError", message: "invalid syntax. Perhaps you forgot a comma?", line: 1, column: 6),
    ErrorCase(source: "x = [a b]\n", kind: "SyntaxError", message: "invalid syntax. Perhaps you forgot a comma?", line: 1, column: 6),
    ErrorCase(source: "{a b}\n", kind: "SyntaxError", message: "invalid syntax. Perhaps you forgot a comma?", line: 1, column: 2),
    ErrorCase(source: "f(a, b c)\n", kind: "SyntaxError", message: "invalid syntax. Perhaps you forgot a comma?", line: 1, column: 6),
    ErrorCase(source: "'abc\n", kind: "SyntaxError", message: "unterminated string literal (detected at line 1)", line: 1, column: 1),
    ErrorCase(source: "\"\"\"abc", kind: "SyntaxError", message: "unterminated triple-quoted string literal (detected at line 1)", line: 1, column: 1),
    ErrorCase(source: "x = 'abc", kind: "SyntaxError", message: "unterminated string literal (detected at line 1)", line: 1, column: 5),
    ErrorCase(source: "x = 1 if y else\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 16),
    ErrorCase(source: "import\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 7),
    ErrorCase(source: "from x import\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 14),
    ErrorCase(source: "from import x\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 6),
    ErrorCase(source: "del 1\n", kind: "SyntaxError", message: "cannot delete literal", line: 1, column: 5),
    ErrorCase(source: "del (a, 1)\n", kind: "SyntaxError", message: "cannot delete literal", line: 1, column: 9),
    ErrorCase(source: "for x in : pass\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 10),
    ErrorCase(source: "x = [i for i in]\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 16),
    ErrorCase(source: "x = [for i in y]\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 6),
    ErrorCase(source: "a[1:2:3:4]\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 8),
    ErrorCase(source: "x.\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 3),
    ErrorCase(source: "f(a for a in b for)\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 19),
    ErrorCase(source: "x = {**a: 1}\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 9),
    ErrorCase(source: "return x y\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 10),
    ErrorCase(source: "@dec\nx = 1\n", kind: "SyntaxError", message: "invalid syntax", line: 2, column: 1),
    ErrorCase(source: "try:\n  a\nexcept A, B:\n  pass\n", kind: "SyntaxError", message: "multiple exception types must be parenthesized", line: 3, column: 8),
    ErrorCase(source: "x = 0o8\n", kind: "SyntaxError", message: "invalid digit '8' in octal literal", line: 1, column: 7),
    ErrorCase(source: "x = 0xg\n", kind: "SyntaxError", message: "invalid hexadecimal literal", line: 1, column: 6),
    ErrorCase(source: "x = 09\n", kind: "SyntaxError", message: "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", line: 1, column: 5),
    ErrorCase(source: "x = 1.2.3\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 8),
    ErrorCase(source: "x = 1e+\n", kind: "SyntaxError", message: "invalid decimal literal", line: 1, column: 7),
    ErrorCase(source: "b'\\xff' + b'é'\n", kind: "SyntaxError", message: "bytes can only contain ASCII literal characters", line: 1, column: 11),
    ErrorCase(source: "x = b'é'\n", kind: "SyntaxError", message: "bytes can only contain ASCII literal characters", line: 1, column: 5),
    ErrorCase(source: "'\\x4'\n", kind: "SyntaxError", message: "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape", line: 1, column: 6),
    ErrorCase(source: "u'a' b'b'\n", kind: "SyntaxError", message: "cannot mix bytes and nonbytes literals", line: 1, column: 10),
    ErrorCase(source: "if x:\n\tpass\n        pass\n", kind: "TabError", message: "inconsistent use of tabs and spaces in indentation", line: 3, column: 1),
    ErrorCase(source: "x = [1,\n2,\n3\n", kind: "SyntaxError", message: "'[' was never closed", line: 1, column: 5),
    ErrorCase(source: "(\n(\n)\n", kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 1),
    ErrorCase(source: "}\n", kind: "SyntaxError", message: "unmatched '}'", line: 1, column: 1),
    ErrorCase(source: "f(a)(b\nc = 1\n", kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 5),
    ErrorCase(source: "x = \"\"\"\nabc\n", kind: "SyntaxError", message: "unterminated triple-quoted string literal (detected at line 2)", line: 1, column: 5),
    ErrorCase(source: "class\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 6),
    ErrorCase(source: "def\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 4),
    ErrorCase(source: "def 1(): pass\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 5),
    ErrorCase(source: "while True:\npass\n", kind: "IndentationError", message: "expected an indented block after 'while' statement on line 1", line: 2, column: 1),
    ErrorCase(source: "with open(x) as f\n  pass\n", kind: "SyntaxError", message: "expected ':'", line: 1, column: 18),
    ErrorCase(source: "if x:\n    pass\n  else:\n    pass\n", kind: "IndentationError", message: "unindent does not match any outer indentation level", line: 3, column: 8),
    ErrorCase(source: "x = (a for a in b, c)\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 18),
    ErrorCase(source: "f(a, b for b in c)\n", kind: "SyntaxError", message: "Generator expression must be parenthesized", line: 1, column: 6),
    ErrorCase(source: "[x for x in 1, 2]\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 14),
    ErrorCase(source: "x = ~\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 6),
    ErrorCase(source: "x ==\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 5),
    ErrorCase(source: "x = a[\n", kind: "SyntaxError", message: "'[' was never closed", line: 1, column: 6),
    ErrorCase(source: "a = (1, 2\n", kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 5),
    ErrorCase(source: "pass pass\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 6),
    ErrorCase(source: "x = 1; ; y = 2\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 8),
    ErrorCase(source: ";\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 1),
    ErrorCase(source: "global\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 7),
    ErrorCase(source: "nonlocal 1\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 10),
    ErrorCase(source: "assert\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 7),
    ErrorCase(source: "raise from x\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 7),
    ErrorCase(source: "a, *b, *c = d\n", kind: "SyntaxError", message: "multiple starred expressions in assignment", line: 1, column: 1),
    ErrorCase(source: "f(x=1, x=2)\n", kind: "SyntaxError", message: "keyword argument repeated: x", line: 1, column: 8),
    ErrorCase(source: "x = y := 1\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 7),
    ErrorCase(source: "def f(a=1, /, b): pass\n", kind: "SyntaxError", message: "non-default argument follows default argument", line: 1, column: 15),
    ErrorCase(source: "def f(/, a): pass\n", kind: "SyntaxError", message: "at least one argument must precede /", line: 1, column: 7),
    ErrorCase(source: "f(**a, b)\n", kind: "SyntaxError", message: "positional argument follows keyword argument unpacking", line: 1, column: 9),
    ErrorCase(source: "f(*a, b=1, c)\n", kind: "SyntaxError", message: "positional argument follows keyword argument", line: 1, column: 13),
    ErrorCase(source: "x = [*a for a in b]\n", kind: "SyntaxError", message: "iterable unpacking cannot be used in comprehension", line: 1, column: 6),
    ErrorCase(source: "x = (*a)\n", kind: "SyntaxError", message: "cannot use starred expression here", line: 1, column: 6),
    ErrorCase(source: "x =   1\n", kind: "SyntaxError", message: "invalid non-printable character U+00A0", line: 1, column: 5),
    ErrorCase(source: "if x:\n  if y:\n    pass\n  z\n w\n", kind: "IndentationError", message: "unindent does not match any outer indentation level", line: 5, column: 3),
    ErrorCase(source: "x = 1\n\n\n  \n    y\n", kind: "IndentationError", message: "unexpected indent", line: 5, column: 4),
    ErrorCase(source: "x = \"a\\\nb\n", kind: "SyntaxError", message: "unterminated string literal (detected at line 2)", line: 1, column: 5),
    ErrorCase(source: "x = 10000000000000000000000e\n", kind: "SyntaxError", message: "invalid decimal literal", line: 1, column: 27),
    ErrorCase(source: "x = f\"{a!}\"\n", kind: "SyntaxError", message: "f-string: invalid conversion character: expected 's', 'r', or 'a'", line: 1, column: 12),
    ErrorCase(source: "x = f\"{a:{b:{c}}}\"\n", kind: "SyntaxError", message: "f-string: expressions nested too deeply", line: 1, column: 19),
    ErrorCase(source: "def f(x, *, y, **k, z): pass\n", kind: "SyntaxError", message: "arguments cannot follow var-keyword argument", line: 1, column: 21),
    ErrorCase(source: "x = 0b\n", kind: "SyntaxError", message: "invalid binary literal", line: 1, column: 6),
    ErrorCase(source: "x = 0o9\n", kind: "SyntaxError", message: "invalid digit '9' in octal literal", line: 1, column: 7),
    ErrorCase(source: "x = 1 if\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 9),
    ErrorCase(source: "if True:\n    x = (1,\n", kind: "SyntaxError", message: "'(' was never closed", line: 2, column: 9),
    ErrorCase(source: "class A:\n    def f(self):\n        pass\n      x = 1\n", kind: "IndentationError", message: "unindent does not match any outer indentation level", line: 4, column: 12),
    ErrorCase(source: "for x in range(3):\n    print(x)\n  y\n", kind: "IndentationError", message: "unindent does not match any outer indentation level", line: 3, column: 4),
    ErrorCase(source: "x = [1, 2)\n", kind: "SyntaxError", message: "closing parenthesis ')' does not match opening parenthesis '['", line: 1, column: 10),
    ErrorCase(source: "x = {1: 2]\n", kind: "SyntaxError", message: "closing parenthesis ']' does not match opening parenthesis '{'", line: 1, column: 10),
    ErrorCase(source: "f(**)\n", kind: "SyntaxError", message: "invalid syntax", line: 1, column: 5),
    ErrorCase(source: "a.b.c(\n", kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 6),
]

/// Errors that are specific to stlang (or where CPython's column is not meaningful).
let stlangErrorCases: [ErrorCase] = [
    ErrorCase(source: "def f():\n    x = 1 + yield 1\n", kind: "SyntaxError", message: "invalid syntax", line: 2, column: 13),
    ErrorCase(source: "x = yield 1\n", kind: "SyntaxError", message: "'yield' outside function", line: 1, column: 5),
    ErrorCase(source: "def f():\n    yield x = 3\n", kind: "SyntaxError", message: "assignment to yield expression not possible", line: 2, column: 5),
    ErrorCase(source: "async def f(): pass\n", kind: "SyntaxError", message: "'async' is not supported in stlang", line: 1, column: 1),
    ErrorCase(source: "x = await y\n", kind: "SyntaxError", message: "'await' is not supported in stlang", line: 1, column: 5),
    ErrorCase(source: "x = 1j\n", kind: "SyntaxError", message: "imaginary literals are not supported in stlang", line: 1, column: 5),
    ErrorCase(source: "x = 1\0\n", kind: "SyntaxError", message: "source code string cannot contain null bytes", line: 1, column: 6),
    ErrorCase(source: "x = 'a\\N{DASH}'\n", kind: "SyntaxError", message: "(unicode error) 'unicodeescape' codec can't decode bytes in position 1-2: \\N{...} escapes are not supported in stlang", line: 1, column: 16),
    ErrorCase(source: "x = " + String(repeating: "-", count: 5000) + "1\n", kind: "SyntaxError", message: "too many nested expressions", line: 1, column: 1004),
    ErrorCase(source: "x = " + String(repeating: "(", count: 201) + "1" + String(repeating: ")", count: 201) + "\n", kind: "SyntaxError", message: "too many nested parentheses", line: 1, column: 205),
]

@Suite("Syntax errors")
struct SyntaxErrorTests {
    func check(_ c: ErrorCase) {
        do {
            _ = try parseModule(c.source, filename: "t.py")
            Issue.record("expected \(c.kind): \(c.message)")
        } catch let e as SyntaxError {
            #expect(e.kind == c.kind)
            #expect(e.message == c.message)
            #expect(e.location.line == c.line)
            #expect(e.location.column == c.column)
            #expect(e.filename == "t.py")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test(arguments: cpythonErrorCases)
    func matchesCPython(_ c: ErrorCase) {
        check(c)
    }

    @Test(arguments: stlangErrorCases)
    func stlangSpecific(_ c: ErrorCase) {
        check(c)
    }

    @Test func lineTextIsTheOffendingLine() throws {
        do {
            _ = try parseModule("x = 1\ny = (1 2)\n", filename: "app.st")
            Issue.record("no error")
        } catch let e as SyntaxError {
            #expect(e.lineText == "y = (1 2)")
            #expect(e.description == "app.st:2:6: SyntaxError: invalid syntax. Perhaps you forgot a comma?")
        }
    }
}
