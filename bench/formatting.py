# String formatting: f-strings with format specs (width, fill, align,
# sign, precision, `,` and `_` grouping, x/o/b/e/g/%), `%`-formatting
# (%d %i %s %r %x %X %o %e %g %5.2f %-10s %+d %05d %%, tuples and dicts),
# str.format with positional, numbered, named, attribute/index fields and
# nested specs, repr/str of floats, ints, lists, tuples, dicts and nested
# containers, "".join of formatted pieces, ljust/rjust/center/zfill.
# Prints line counts, total lengths and a checksum of the text produced.

ROUNDS = 9000


def checksum(s, h):
    for ch in s[::7]:
        h = (h * 31 + ord(ch)) & 0xFFFFFFFF
    return (h + len(s)) & 0xFFFFFFFF


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return "Point(%r, %r)" % (self.x, self.y)

    def __str__(self):
        return "(%s, %s)" % (self.x, self.y)


def lcg_values(seed, n):
    out = []
    x = seed
    for _ in range(n):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(x)
    return out


def fstrings(i, v, f, name):
    return [
        f"{i:5d}|{v:>12,}|{f:10.3f}|{name:<8}|",
        f"{i:08.2f} {v:x} {v:#X} {i:o} {i:#b} {v:_}",
        f"{f:+.2e} {f:g} {f / 1000:.4g} {f / 997:.3%} {-f:=+12.2f}",
        f"{name!r:>12} {name:*^11} {name!s:.3} {name.upper():>{i % 9 + 4}}",
        f"{i:{'^'}{7}} {[i, name]} {(v % 7, f)!r} {i % 3 == 0}",
    ]


def percent(i, v, f, name):
    return [
        "%d %s %5.2f %x %-10s %r" % (i, name, f, v, name, name),
        "%+d|%05d|%-6d|%6d|%X|%o|%i" % (i - 500, i, i, -i, v, i, v % 1000),
        "%e %.3e %g %.10g %10.4f %-10.1f|" % (f, f * 1e10, f, f / 7, f, f),
        "%(name)s has %(count)d items costing %(cost).2f" % {"name": name, "count": i, "cost": f},
        "%s %r %s %%" % ([i, f], (name,), {"k": i}),
        "%c%c %5s %-5s| %.2s" % (65 + i % 26, "z", name[:3], name[:2], name),
    ]


def formats(i, v, f, name, p):
    return [
        "{} {} {}".format(i, name, f),
        "{0} {1} {0} {2:>6}".format(name, i, v % 1000),
        "{n}: {c:,d} ({pct:.1%})".format(n=name, c=v, pct=f / 1e4),
        "{0:^10}|{1:<8.3f}|{2:+06d}".format(name, f, i - 500),
        "{p.x}/{p.y} {p} {p!r} {lst[1]} {d[k]}".format(p=p, lst=[name, i], d={"k": v}),
        "{:{w}.{prec}f}|{:>{w}}".format(f, name, w=i % 5 + 8, prec=i % 4),
        "{{literal}} {0!r:>10} {1:x}".format(name, i),
    ]


def reprs(i, v, f, name):
    data = {"id": i, "name": name, "vals": [f, -f, f / 3], "ok": i % 2 == 0, "none": None}
    t = (i, f, name, (v % 5,), [])
    return [
        repr(f), str(f / 7), repr(f * 1e20), repr(1.0 / (i + 1)), str(float(i)),
        repr(i * 123456789), str(-v), repr([i, f, name, None, True]),
        str(data), repr(t), str({i: [name, (f,)], "s": {1, 2} if i % 3 else set()}),
        repr(name + "'q\"\n\t"), repr(0.1 * i), str(2.5e-7 * i), repr(1e16 + i),
    ]


def padding(i, name):
    s = str(i)
    return [
        s.zfill(8), ("-" + s).zfill(7), name.ljust(12, "."), name.rjust(12),
        name.center(13, "*"), name.center(6), s.rjust(6, "0"), s.ljust(2),
        "+".join([s.zfill(3), name.center(8, "-"), str(-i).zfill(5)]),
    ]


def table(rows):
    lines = []
    header = "|".join(["id".rjust(5), "name".ljust(10), "value".rjust(14), "ratio".rjust(8)])
    lines.append(header)
    lines.append("-" * len(header))
    for r in rows:
        lines.append("|".join([
            str(r[0]).rjust(5), r[1].ljust(10), f"{r[2]:14,}", "%8.3f" % r[3],
        ]))
    return "\n".join(lines)


NAMES = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
         "iota", "kappa", "lambda", "mu"]


def main():
    values = lcg_values(2024, ROUNDS)
    h = 0
    lines = 0
    total_len = 0
    samples = []
    rows = []
    for i in range(ROUNDS):
        v = values[i]
        f = (v % 100000) / 37.0
        name = NAMES[i % len(NAMES)]
        p = Point(i, f)
        groups = [fstrings(i, v, f, name), percent(i, v, f, name),
                  formats(i, v, f, name, p), reprs(i, v, f, name), padding(i, name)]
        for g in groups:
            text = "".join(g)
            h = checksum(text, h)
            lines += len(g)
            total_len += len(text)
        if i % 97 == 0:
            samples.append(groups)
        rows.append((i, name, v, f / 100))
    t = table(rows)
    h = checksum(t, h)
    print("lines:", lines, "chars:", total_len, "table chars:", len(t))
    print("checksum:", h)
    for groups in samples[:2]:
        for g in groups:
            for line in g:
                print(line)
    print(t[:200])


main()
