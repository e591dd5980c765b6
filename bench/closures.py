# Closures and higher-order functions: map/filter/lambda, closures with
# nonlocal counters, function composition, decorators, callbacks.

def make_counter(start):
    count = start

    def inc(step=1):
        nonlocal count
        count += step
        return count

    return inc


def make_accumulator():
    total = 0
    calls = 0

    def add(x):
        nonlocal total, calls
        total += x
        calls += 1
        return total

    def stats():
        return (total, calls)

    return add, stats


def compose(f, g):
    return lambda x: f(g(x))


def adder(n):
    def add(x):
        return x + n
    return add


def memoize(fn):
    cache = {}

    def wrapper(n):
        if n in cache:
            return cache[n]
        r = fn(n)
        cache[n] = r
        return r

    return wrapper


@memoize
def ways(n):
    if n < 0:
        return 0
    if n == 0:
        return 1
    return ways(n - 1) + ways(n - 3) + ways(n - 5)


def apply_n(f, n, x):
    for _ in range(n):
        x = f(x)
    return x


def pipeline(fns):
    def run(x):
        for f in fns:
            x = f(x)
        return x
    return run


counter = make_counter(10)
for i in range(500000):
    counter()
    if i % 10 == 0:
        counter(5)
print("counter", counter(0))

add, stats = make_accumulator()
for i in range(500000):
    add(i % 97)
print("acc", stats())

inc3 = compose(adder(1), compose(adder(1), adder(1)))
print("compose", apply_n(inc3, 150000, 0))

double_then_inc = compose(lambda x: x + 1, lambda x: x * 2)
print("mod chain", apply_n(lambda x: double_then_inc(x) % 1000003, 150000, 1))

nums = list(range(500000))
evens = list(filter(lambda x: x % 2 == 0, nums))
squares = list(map(lambda x: x * x % 1009, evens))
print("map/filter", len(evens), sum(squares))
pairs = list(map(lambda a, b: a * b, nums[:50000], nums[50000:100000]))
print("map2", sum(pairs) % 1000000007)

adders = [adder(k) for k in range(50)]
total = 0
for i in range(6000):
    for f in adders[i % 10:i % 10 + 5]:
        total = f(total) % 1000003
print("adders", total)

p = pipeline([adder(3), lambda x: x * 7, lambda x: x % 10007, adder(-1)])
print("pipeline", apply_n(p, 120000, 5))
m = 0
for i in range(3000):
    m = ways(i)
print("memo", m % 1000000007)

handlers = {}


def on(name):
    def register(fn):
        handlers[name] = fn
        return fn
    return register


@on("double")
def h_double(x):
    return x * 2


@on("neg")
def h_neg(x):
    return -x


@on("sq")
def h_sq(x):
    return x * x % 10007


order = ["double", "neg", "sq", "double", "sq"]
v = 3
for i in range(150000):
    v = handlers[order[i % 5]](v)
print("handlers", v, sorted(handlers))
print("any/all", any(x > 499990 for x in nums), all(x >= 0 for x in nums))
