# Exceptions as control flow in hot loops: `try: d[k] except KeyError`
# caches, `int(s)` with `except ValueError` over mixed strings, a while
# loop driven by `next(it)` until StopIteration, custom exceptions raised
# deep in recursion and caught at the top (with attributes, `raise ...
# from`, `except (A, B) as e`), try/finally and try/except/else counters,
# class-based context managers (__enter__/__exit__, one that suppresses).
# Prints counts and checksums.

ROUNDS = 26


class Found(Exception):
    def __init__(self, path, depth):
        super().__init__(path)
        self.path = path
        self.depth = depth


class TooDeep(Exception):
    pass


class Budget(Exception):
    pass


def lcg(x):
    return (x * 1103515245 + 12345) & 0x7FFFFFFF


def memo_fib_like(n, cache):
    try:
        return cache[n]
    except KeyError:
        pass
    if n < 2:
        v = n
    else:
        v = (memo_fib_like(n - 1, cache) + memo_fib_like(n - 2, cache)) % 1000003
    cache[n] = v
    return v


def key_lookups(seed, n):
    table = {}
    hits = 0
    misses = 0
    x = seed
    for _ in range(n):
        x = lcg(x)
        k = x % 3000
        try:
            table[k] += 1
            hits += 1
        except KeyError:
            table[k] = 1
            misses += 1
    return hits, misses, len(table)


def parse_all(items):
    total = 0
    bad = 0
    for s in items:
        try:
            total += int(s)
        except ValueError:
            bad += 1
            try:
                total += int(float(s))
            except ValueError:
                pass
    return total, bad


def make_items(seed, n):
    forms = ["{}", "-{}", " {} ", "{}.5", "x{}", "{}e2", "", "0x{}", "+{}", "1_{}"]
    out = []
    x = seed
    for i in range(n):
        x = lcg(x)
        out.append(forms[x % len(forms)].format(x % 10000))
    return out


def drain(it):
    count = 0
    total = 0
    while True:
        try:
            v = next(it)
        except StopIteration:
            break
        count += 1
        total += v
    return count, total


def search(node, target, depth, path):
    # node: (value, children); raises Found when value == target
    if depth > 12:
        raise TooDeep(depth)
    value, children = node
    if value == target:
        raise Found(path, depth)
    for i, child in enumerate(children):
        search(child, target, depth + 1, path * 4 + i)


def build_tree(seed, depth, fan):
    x = lcg(seed)
    if depth == 0:
        return (x % 5000, [])
    return (x % 5000, [build_tree(x + i, depth - 1, fan) for i in range(fan)])


def find_all(tree, targets):
    found = 0
    pathsum = 0
    depthsum = 0
    for t in targets:
        try:
            search(tree, t, 0, 0)
        except Found as f:
            found += 1
            pathsum += f.path
            depthsum += f.depth
    return found, pathsum, depthsum


class Stats:
    def __init__(self):
        self.enters = 0
        self.exits = 0
        self.errors = 0
        self.suppressed = 0
        self.finally_runs = 0
        self.else_runs = 0


class Tracked:
    def __init__(self, stats, name):
        self.stats = stats
        self.name = name

    def __enter__(self):
        self.stats.enters += 1
        return self

    def __exit__(self, exc_type, exc, tb):
        self.stats.exits += 1
        if exc_type is not None:
            self.stats.errors += 1
        return False


class Suppress:
    def __init__(self, stats, *kinds):
        self.stats = stats
        self.kinds = kinds

    def __enter__(self):
        return self.stats

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and issubclass(exc_type, self.kinds):
            self.stats.suppressed += 1
            return True
        return False


def guarded_div(stats, a, b):
    try:
        q = a // b
    except ZeroDivisionError:
        stats.errors += 1
        return 0
    else:
        stats.else_runs += 1
        return q
    finally:
        stats.finally_runs += 1


def spend(stats, budget, costs):
    spent = 0
    try:
        for c in costs:
            with Tracked(stats, "step"):
                if spent + c > budget:
                    raise Budget(spent)
                spent += c
    except Budget as b:
        return b.args[0]
    finally:
        stats.finally_runs += 1
    return spent


def convert(s):
    try:
        return int(s)
    except ValueError as e:
        raise LookupError("bad " + s) from e


def managers(stats, n):
    total = 0
    seed = 9
    for i in range(n):
        seed = lcg(seed)
        with Tracked(stats, "outer") as t:
            with Suppress(stats, KeyError, IndexError):
                if seed % 3 == 0:
                    {}["missing"]
                elif seed % 3 == 1:
                    [][seed % 5]
                total += len(t.name)
        total += guarded_div(stats, seed, seed % 4)
        try:
            with Tracked(stats, "failing"):
                if seed % 5 == 0:
                    raise ValueError(i)
        except ValueError:
            total += 1
    return total % 1000000007


def main():
    cache = {}
    fibsum = 0
    for i in range(ROUNDS):
        cache = {}
        for n in range(0, 600, 7):
            fibsum = (fibsum + memo_fib_like(n, cache)) % 1000003
    print("memo:", fibsum, len(cache))

    print("key lookups:", key_lookups(1, 12000 * ROUNDS))

    items = make_items(5, 2500 * ROUNDS)
    print("parse:", parse_all(items), items[:10])

    drained = (0, 0)
    for r in range(ROUNDS):
        drained = drain(iter(range(r, r + 12000)))
    d2 = drain(iter({"a": 1, "b": 2, "c": 3}.values()))
    print("drain:", drained, d2)

    tree = build_tree(3, 5, 4)
    seed = 77
    targets = []
    for _ in range(12 * ROUNDS):
        seed = lcg(seed)
        targets.append(seed % 5000)
    print("search:", find_all(tree, targets))
    try:
        search(((1, [((2, [((3, []))]))])), 3, 11, 0)
    except TooDeep as e:
        print("too deep:", e.args)
    except Found as f:
        print("found:", f.path, f.depth, str(f))

    stats = Stats()
    print("managers:", managers(stats, 4000 * ROUNDS))
    budgets = []
    for b in range(0, 40 * ROUNDS):
        budgets.append(spend(stats, b, [3, 5, 7, 11, 13]))
    print("budgets:", sum(budgets), budgets[:12])
    print("stats:", stats.enters, stats.exits, stats.errors, stats.suppressed,
          stats.finally_runs, stats.else_runs)

    chained = 0
    for s in ["12", "x", "7", "", "3"] * (200 * ROUNDS):
        try:
            chained += convert(s)
        except (LookupError, TypeError) as e:
            if isinstance(e.__cause__, ValueError):
                chained += 100
    print("chained:", chained)


main()
