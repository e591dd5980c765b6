# String building: += concatenation, join, f-strings with format specs,
# slicing, str methods (split, replace, upper, find, strip, startswith).

def lcg(state):
    return (state * 1103515245 + 12345) & 0x7FFFFFFF


WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
         "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi"]


def build_concat(n):
    s = ""
    state = 42
    for i in range(n):
        state = lcg(state)
        s += WORDS[(state >> 16) % len(WORDS)]
        s += " "
    return s


def build_join(n):
    parts = []
    state = 7
    for i in range(n):
        state = lcg(state)
        w = WORDS[(state >> 16) % 16]
        parts.append(f"{i:05d}:{w:>8}|{state % 1000:<4}|{i / 7:.3f}")
    return "\n".join(parts)


def checksum(s):
    h = 0
    for ch in s:
        h = (h * 131 + ord(ch)) % 1000000007
    return h


def slicing(s, rounds):
    acc = 0
    n = len(s)
    for r in range(rounds):
        a = (r * 37) % (n - 20)
        piece = s[a:a + 20]
        acc += len(piece[::2]) + len(piece[::-3])
        acc += piece.find("a") + piece.count("e")
        if piece.startswith("al"):
            acc += 1
        rev = piece[::-1]
        acc += ord(rev[0]) if rev else 0
    return acc


def transform(text):
    lines = text.split("\n")
    out = []
    for line in lines:
        head, _, tail = line.partition(":")
        fields = tail.split("|")
        name = fields[0].strip().upper()
        num = int(fields[1].strip())
        out.append(name.replace("A", "4").lower() + "-" + str(num * 2) + head[-2:])
    return ",".join(out)


def caesar(s, k):
    res = []
    for ch in s:
        if "a" <= ch <= "z":
            res.append(chr((ord(ch) - 97 + k) % 26 + 97))
        else:
            res.append(ch)
    return "".join(res)


a = build_concat(200000)
print("concat", len(a), checksum(a[:20000]))
b = build_join(70000)
print("join", len(b), checksum(b[-20000:]))
print("slice", slicing(a, 150000))
t = transform(b)
print("transform", len(t), checksum(t[:30000]))
c = caesar(a[:150000], 3)
print("caesar", checksum(c), c[:30])
print("fmt", f"{len(a)!r:>10}|{3.14159:8.2f}|{'x' * 3!s}|{255:x}|{255:#o}|{12345678:,}")
