# Generator functions as pipelines: a counting generator consumed by
# `for`, chained filter/map stages, `yield from` delegating to
# sub-generators, a recursive tree walk with `yield from`, `next()` on a
# generator (with a default and with StopIteration), `send()` into a
# coroutine-style running accumulator, generator `return` values seen
# through `yield from`, and generator expressions. Prints counts and
# checksums; SIZE scales the whole run (counts are linear in SIZE).

SIZE = 300


def count_up(n):
    i = 0
    while i < n:
        yield i
        i += 1


def lcg(seed, n):
    x = seed
    for _ in range(n):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        yield x


def only_odd(it):
    for x in it:
        if x & 1:
            yield x


def scaled(it, k):
    for x in it:
        yield x * k % 1000003


def take(it, n):
    for x in it:
        if n <= 0:
            return
        n -= 1
        yield x


def pairs(it):
    prev = None
    for x in it:
        if prev is not None:
            yield prev, x
        prev = x


def pipeline(seed, n):
    total = 0
    count = 0
    for x in take(scaled(only_odd(lcg(seed, n)), 7), n // 3):
        total += x
        count += 1
    return count, total


def chunk(lo, hi):
    for i in range(lo, hi):
        yield i * i
    return hi - lo


def chunks(n, width):
    got = 0
    lo = 0
    while lo < n:
        hi = min(lo + width, n)
        got += yield from chunk(lo, hi)
        lo = hi
    yield -got


class Node:
    def __init__(self, key, left, right):
        self.key = key
        self.left = left
        self.right = right


def build(lo, hi):
    if lo >= hi:
        return None
    mid = (lo + hi) // 2
    return Node(mid, build(lo, mid), build(mid + 1, hi))


def inorder(node):
    if node is not None:
        yield from inorder(node.left)
        yield node.key
        yield from inorder(node.right)


def depths(node, d):
    if node is None:
        return
    yield d
    yield from depths(node.left, d + 1)
    yield from depths(node.right, d + 1)


def averager():
    total = 0
    count = 0
    avg = None
    while True:
        value = yield avg
        if value is None:
            break
        total += value
        count += 1
        avg = total // count
    return total, count


def run_averager(values):
    acc = averager()
    next(acc)
    last = None
    for v in values:
        last = acc.send(v)
    try:
        acc.send(None)
    except StopIteration as stop:
        return last, stop.value
    return last, None


def fib_gen():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, (a + b) % 1000000007


def main():
    n = SIZE * 1000

    s = 0
    for i in count_up(n):
        s += i
    print("count_up:", s)

    print("pipeline:", pipeline(12345, n), pipeline(999, n // 2))

    pcount = 0
    pdiff = 0
    for a, b in pairs(count_up(n // 2)):
        pcount += 1
        pdiff += b - a
    print("pairs:", pcount, pdiff)

    csum = 0
    last = 0
    for v in chunks(n, 37):
        if v >= 0:
            csum = (csum + v) % 1000000007
        last = v
    print("chunks:", csum, last)

    tree = build(0, n // 4)
    prev = -1
    ordered = True
    walked = 0
    for k in inorder(tree):
        if k <= prev:
            ordered = False
        prev = k
        walked += 1
    print("inorder:", walked, ordered, prev)
    print("max depth:", max(depths(tree, 0)), "depth sum:", sum(depths(tree, 0)))

    g = count_up(5)
    firsts = [next(g), next(g), next(g)]
    rest = list(g)
    print("next:", firsts, rest, next(g, "done"))
    try:
        next(g)
    except StopIteration:
        print("exhausted")

    fg = fib_gen()
    fsum = 0
    for _ in range(n // 10):
        fsum = (fsum + next(fg)) % 1000000007
    print("fib next:", fsum)

    values = list(take(lcg(7, n), n // 4))
    print("averager:", run_averager([v % 1000 for v in values]))

    sq = sum(x * x for x in count_up(n // 4) if x % 3 == 0)
    evens = sum(1 for x in lcg(42, n // 4) if x % 2 == 0)
    nested = sum(i * j for i in range(SIZE) for j in count_up(i))
    big = max((x % 9973, x) for x in lcg(1, n // 8))
    anyhit = any(x % 100000 == 7 for x in lcg(3, n))
    print("genexp:", sq, evens, nested, big, anyhit)

    gen = (x + 1 for x in count_up(10))
    print("genexp next:", next(gen), next(gen), list(gen))


main()
