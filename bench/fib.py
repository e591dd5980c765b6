# Recursive calls: naive fib, tak, and a recursive tree walk.

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def tak(x, y, z):
    if y < x:
        return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
    return z


def make_tree(depth):
    if depth == 0:
        return None
    return (make_tree(depth - 1), depth, make_tree(depth - 1))


def tree_sum(t):
    if t is None:
        return 0
    left, v, right = t
    return tree_sum(left) + v + tree_sum(right)


def hanoi(n, a, b, c, moves):
    if n == 0:
        return moves
    moves = hanoi(n - 1, a, c, b, moves)
    moves += 1
    return hanoi(n - 1, c, b, a, moves)


total = fib(32)
print("fib(32) =", total)
t = tak(24, 16, 8)
print("tak(24, 16, 8) =", t)
tree = make_tree(16)
s = tree_sum(tree)
print("tree_sum =", s)
m = hanoi(17, "a", "b", "c", 0)
print("hanoi moves =", m)
print("checksum", (total + t * 7 + s * 13 + m) % 1000000007)
