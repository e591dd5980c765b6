# Nested loops with integer arithmetic: sieve, collatz, integer matrix
# multiply, gcd table, bit twiddling.

def sieve(n):
    flags = [True] * (n + 1)
    flags[0] = False
    flags[1] = False
    i = 2
    while i * i <= n:
        if flags[i]:
            j = i * i
            while j <= n:
                flags[j] = False
                j += i
        i += 1
    count = 0
    total = 0
    for k in range(n + 1):
        if flags[k]:
            count += 1
            total += k
    return count, total


def collatz_longest(limit):
    best = 0
    best_n = 0
    for n in range(1, limit):
        x = n
        steps = 0
        while x != 1:
            if x % 2 == 0:
                x = x // 2
            else:
                x = 3 * x + 1
            steps += 1
        if steps > best:
            best = steps
            best_n = n
    return best_n, best


def matmul(n):
    a = [[(i * 7 + j * 3) % 11 - 5 for j in range(n)] for i in range(n)]
    b = [[(i * 5 - j * 2) % 13 - 6 for j in range(n)] for i in range(n)]
    c = [[0] * n for _ in range(n)]
    for i in range(n):
        ai = a[i]
        ci = c[i]
        for k in range(n):
            aik = ai[k]
            bk = b[k]
            for j in range(n):
                ci[j] += aik * bk[j]
    s = 0
    for i in range(n):
        for j in range(n):
            s = (s * 31 + c[i][j]) % 1000000007
    return s


def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


def gcd_table(n):
    total = 0
    for i in range(1, n):
        for j in range(1, n):
            total += gcd(i, j)
    return total


def bits(n):
    acc = 0
    for i in range(n):
        x = i ^ (i >> 3)
        x = (x << 5) & 0xFFFF
        x |= i & 0xFF
        acc += bin(x).count("1") if i % 64 == 0 else (x & 7)
        acc ^= (i * 2654435761) & 0xFFFFFFFF
    return acc


print("sieve", sieve(400000))
print("collatz", collatz_longest(50000))
print("matmul", matmul(60))
print("gcd", gcd_table(120))
print("bits", bits(60000))
