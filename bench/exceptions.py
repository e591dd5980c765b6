# Exceptions used for control flow: try/except in hot loops, custom
# exception classes with inheritance, raise ... from, finally, else,
# KeyError/IndexError/ValueError/ZeroDivisionError from builtins,
# with-statement context managers.

class AppError(Exception):
    pass


class NotFound(AppError):
    def __init__(self, key):
        super().__init__("not found: " + str(key))
        self.key = key


class Invalid(AppError):
    pass


def lookup(d, k):
    try:
        return d[k]
    except KeyError:
        raise NotFound(k)


def parse(s):
    try:
        return int(s)
    except ValueError as e:
        raise Invalid(s) from e


def safe_div(a, b):
    try:
        r = a // b
    except ZeroDivisionError:
        return 0
    else:
        return r
    finally:
        pass


class Tracker:
    def __init__(self):
        self.entered = 0
        self.exited = 0
        self.suppressed = 0

    def __enter__(self):
        self.entered += 1
        return self

    def __exit__(self, exc_type, exc, tb):
        self.exited += 1
        if exc is not None and isinstance(exc, Invalid):
            self.suppressed += 1
            return True
        return False


d = {i: i * 3 for i in range(0, 1000, 2)}
found = 0
missing = 0
for i in range(200000):
    try:
        found += lookup(d, i % 1000)
    except NotFound as e:
        missing += 1
        if e.key % 500 == 1:
            found += 1
print("lookup", found, missing)

tokens = ["12", "x7", "-3", "", "40", "4.5", "0", "abc", "99"]
good = 0
bad = 0
msgs = set()
for i in range(90000):
    t = tokens[i % len(tokens)]
    try:
        good += parse(t)
    except Invalid as e:
        bad += 1
        msgs.add(str(e) + "/" + str(isinstance(e.__cause__, ValueError)))
print("parse", good, bad, sorted(msgs))

total = 0
for i in range(100000):
    total += safe_div(i, i % 7)
print("div", total)

xs = list(range(50))
hits = 0
for i in range(100000):
    try:
        hits += xs[i % 60]
    except IndexError:
        hits -= 1
print("index", hits)

finals = 0
for i in range(50000):
    try:
        try:
            if i % 3 == 0:
                raise Invalid("inner")
            if i % 3 == 1:
                raise NotFound(i)
        finally:
            finals += 1
    except NotFound:
        finals += 2
    except AppError:
        finals += 3
print("nested", finals)

tr = Tracker()
ok = 0
for i in range(90000):
    try:
        with tr:
            if i % 4 == 0:
                raise Invalid("x")
            if i % 4 == 1:
                raise NotFound(i)
            ok += 1
    except NotFound:
        ok -= 1
print("with", tr.entered, tr.exited, tr.suppressed, ok)


def find_first(grid, target):
    class Found(Exception):
        pass
    pos = None
    try:
        for r, row in enumerate(grid):
            for c, v in enumerate(row):
                if v == target:
                    pos = (r, c)
                    raise Found()
    except Found:
        return pos
    return None


grid = [[(r * 37 + c * 11) % 1009 for c in range(40)] for r in range(40)]
acc = 0
for t in range(0, 1009, 3):
    p = find_first(grid, t)
    if p is not None:
        acc += p[0] * 40 + p[1]
print("find", acc)

it = iter(range(30000))
n = 0
while True:
    try:
        n += next(it)
    except StopIteration:
        break
print("stopiter", n)
try:
    assert n < 0, "n is " + str(n)
except AssertionError as e:
    print("assert", e)
