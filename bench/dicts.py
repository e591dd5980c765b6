# Dict work: word counting, dict of lists, .get/.setdefault, items()
# iteration, key membership, deletion, dict of dicts.

def lcg(state):
    return (state * 1103515245 + 12345) & 0x7FFFFFFF


SYLL = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "po", "qu", "ba"]


def make_text(n):
    words = []
    state = 2024
    for i in range(n):
        state = lcg(state)
        k = 1 + (state >> 16) % 3
        w = ""
        for j in range(k):
            state = lcg(state)
            w += SYLL[(state >> 16) % len(SYLL)]
        words.append(w)
    return " ".join(words)


def count_words(text):
    counts = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    return counts


def group_by_len(counts):
    groups = {}
    for w, c in counts.items():
        groups.setdefault(len(w), []).append((w, c))
    return groups


def index_positions(text):
    idx = {}
    for pos, w in enumerate(text.split()):
        if w in idx:
            idx[w].append(pos)
        else:
            idx[w] = [pos]
    return idx


def nested(n):
    table = {}
    state = 99
    for i in range(n):
        state = lcg(state)
        row = "r" + str((state >> 16) % 50)
        state = lcg(state)
        col = "c" + str((state >> 16) % 40)
        if row not in table:
            table[row] = {}
        inner = table[row]
        inner[col] = inner.get(col, 0) + i % 17
    total = 0
    for row in sorted(table):
        for col, v in table[row].items():
            total = (total * 7 + v) % 1000003
    return total, len(table)


def churn(n):
    d = {}
    for i in range(n):
        d[i * 7 % 1000] = i
        if i % 3 == 0 and (i // 3) % 1000 in d:
            del d[(i // 3) % 1000]
    keys = list(d.keys())
    vals = list(d.values())
    return len(d), sum(keys), sum(vals) % 1000007


text = make_text(100000)
counts = count_words(text)
print("distinct", len(counts))
top = 0
top_word = ""
for w, c in counts.items():
    if c > top or (c == top and w < top_word):
        top = c
        top_word = w
print("top", top_word, top)
groups = group_by_len(counts)
for k in sorted(groups):
    g = groups[k]
    print("len", k, len(g), sum(c for w, c in g))
idx = index_positions(text)
acc = 0
for w in idx:
    p = idx[w]
    acc = (acc + p[0] * 3 + p[-1] + len(p)) % 1000000007
print("index", acc)
print("nested", nested(250000))
print("churn", churn(300000))
