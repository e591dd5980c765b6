# Note: CPython 3.11 refuses str() of ints over 4300 digits, so every
# str()/int() conversion here stays below that.
# Big integers: factorial, fibonacci with thousands of digits, pow with
# and without modulus, str() of big ints, int() parsing, digit sums,
# floor division/modulo of big numbers, bit operations.

def factorial(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


def fib_iter(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def digit_sum(n):
    return sum(int(ch) for ch in str(n))


def isqrt(n):
    if n < 2:
        return n
    x = 10 ** (len(str(n)) // 2 + 1)
    while True:
        y = (x + n // x) // 2
        if y >= x:
            return x
        x = y


def pi_digits(n):
    # Machin-like formula with fixed-point big ints.
    scale = 10 ** (n + 10)

    def arctan_inv(x):
        total = 0
        term = scale // x
        x2 = x * x
        k = 1
        sign = 1
        while term:
            total += sign * (term // k)
            term //= x2
            k += 2
            sign = -sign
        return total

    pi = 4 * (4 * arctan_inv(5) - arctan_inv(239))
    return str(pi // 10 ** 10)


f = factorial(1450)
s = str(f)
print("fact1450 digits", len(s), s[:20], s[-5:], digit_sum(f))
trailing = len(s) - len(s.rstrip("0"))
print("trailing zeros", trailing)

g = fib_iter(20000)
gs = str(g)
print("fib20000 digits", len(gs), gs[:15], gs[-15:])
print("fib mod", g % 1000000007, g // (10 ** (len(gs) - 10)))

p = pow(3, 8000)
print("pow", len(str(p)), p % 999999937, pow(7, 10 ** 18, 1000000007), pow(2, 12345, 10 ** 30))
print("cross", (f * g) % 1000000009, (f - g * g) < 0, f // g % 1000)
q = int("9" * 3000)
print("parse", (q + 1) == 10 ** 3000, q % 123456789, -q // 987654321 % 1000)
print("isqrt", isqrt(10 ** 800) == 10 ** 400, isqrt(f) % 1000000007)
print("pi", pi_digits(2000)[-20:])
x = (1 << 5000) - 1
print("bits", (x & ((1 << 4000) + 12345)) % 1000003, (x ^ (x >> 7)) % 1000003, hex(x)[:10], bin(x >> 4990))
h = 0
for i in range(1, 600):
    h = (h * (i + 12345678901234567890) + i ** 5) % (10 ** 40 + 7)
print("mixed", h)
print("neg", (-f) // 7 % 1000, divmod(-g, 10 ** 20)[1] % 1000, abs(-p) == p)
ds = 0
for n in range(100, 1400, 3):
    ds += digit_sum(factorial(n))
print("digit sums", ds)
acc = 0
for k in range(250):
    acc ^= fib_iter(3000 + k * 50) % (10 ** 30 + 57)
print("fib xor", acc)
print("pi2", pi_digits(3500)[-12:])
