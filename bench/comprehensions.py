# Comprehensions: list/dict/set comprehensions with several for/if
# clauses, nested comprehensions, generator expressions into sum/min/max/
# any/all, enumerate/zip inside comprehensions.

N = 600

squares = [i * i for i in range(N * 100)]
print("squares", len(squares), sum(squares) % 1000000007)

triples = [(a, b, c) for a in range(1, 80) for b in range(a, 80) for c in range(b, 110)
           if a * a + b * b == c * c]
print("triples", len(triples), triples[:3], triples[-1])

grid = [[(r * 31 + c * 17) % 10 for c in range(N)] for r in range(N)]
row_sums = [sum(row) for row in grid]
col_sums = [sum(grid[r][c] for r in range(N)) for c in range(N)]
print("grid", sum(row_sums), sum(col_sums), max(row_sums), min(col_sums))

transposed = [[grid[r][c] for r in range(N)] for c in range(N)]
print("transpose", sum(transposed[5]), transposed[7][3] == grid[3][7])

flat = [x for row in grid for x in row if x > 4]
print("flat", len(flat))

index = {i: i * i % 97 for i in range(150000)}
inverse = {}
for k, v in index.items():
    inverse.setdefault(v, []).append(k)
print("dict", len(index), len(inverse), sum(len(v) for v in inverse.values()))

residues = {x * x % 1009 for x in range(300000)}
print("set", len(residues), min(residues), max(residues))

words = ["w" + str(i % 311) + "_" + str(i % 7) for i in range(100000)]
lengths = {w: len(w) for w in words}
by_len = {n: [w for w in lengths if lengths[w] == n] for n in set(lengths.values())}
print("by_len", sorted((n, len(ws)) for n, ws in by_len.items()))

pairs = [(i, w) for i, w in enumerate(words) if i % 1000 == 0]
print("enum", pairs[:3], len(pairs))
zipped = [a * b for a, b in zip(range(0, 60000, 2), range(1, 60000, 2))]
print("zip", sum(zipped) % 1000000007)

print("genexp", sum(x * x for x in range(600000) if x % 3 == 0) % 1000000007)
print("minmax", min(x % 1013 for x in range(7, 100000, 7)), max((x * 7) % 1013 for x in range(100000)))
print("anyall", any(x * x == 99980001 for x in range(20000)), all(x < 10 for row in grid for x in row))
matrix = [[i * j for j in range(110)] for i in range(110)]
prod = [[sum(matrix[i][k] * matrix[k][j] for k in range(110)) for j in range(110)] for i in range(110)]
print("matprod", sum(sum(r) for r in prod) % 1000000007)
