# Dict iteration patterns: `for k, v in d.items()`, `for k in d`,
# sum(d.values()), sorted(d.items(), key=...), dict comprehensions built
# from items, `in` / `not in` tests, dict.get with a default, nested
# dicts updated with d[a][b] += 1, counting without collections,
# dict(zip(...)), enumerate over keys, keys()/items() set operations,
# insertion order after updates and deletions, popitem/pop/update/setdefault.
# Prints counts and checksums.

N = 30000
ROUNDS = 32


def lcg_words(seed, n, vocab):
    x = seed
    out = []
    for _ in range(n):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(vocab[(x >> 8) % len(vocab)])
    return out


def make_vocab():
    syll = ["ka", "lo", "mi", "ne", "ru", "ta", "shi", "po", "ve", "zu"]
    vocab = []
    for a in syll:
        for b in syll:
            vocab.append(a + b)
            vocab.append(b + a + "n")
            for c in syll[::2]:
                vocab.append(a + b + c)
    return vocab


def count_words(words):
    counts = {}
    for w in words:
        if w in counts:
            counts[w] += 1
        else:
            counts[w] = 1
    return counts


def count_get(words):
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    return counts


def bigrams(words):
    nested = {}
    prev = words[0]
    for w in words[1:]:
        inner = nested.get(prev)
        if inner is None:
            inner = {}
            nested[prev] = inner
        if w not in inner:
            inner[w] = 0
        nested[prev][w] += 1
        prev = w
    return nested


def by_first_letter(counts):
    groups = {}
    for k, v in counts.items():
        groups.setdefault(k[0], {})[k] = v
    return groups


def main():
    vocab = make_vocab()
    total_checksum = 0
    for r in range(ROUNDS):
        words = lcg_words(1000 + r, N, vocab)

        counts = count_words(words)
        counts2 = count_get(words)
        assert counts == counts2

        # for k, v in d.items()
        weighted = 0
        for k, v in counts.items():
            weighted += len(k) * v
        # for k in d
        keylen = 0
        for k in counts:
            keylen += len(k) + counts[k] % 3
        # values()
        total = sum(counts.values())
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        rare = sorted(counts, key=counts.get)[:3]
        # comprehensions from items
        frequent = {k: v for k, v in counts.items() if v > N // len(vocab)}
        inverted = {v: k for k, v in sorted(counts.items())}
        lengths = {k: len(k) for k in counts}
        # in tests and get with default
        probes = ["kalo", "zuzu", "nope", "mikata", "xx", "tashin", "poven", "ka", "lomiru"]
        hits = sum(1 for p in probes if p in counts)
        misses = sum(1 for p in probes if p not in counts)
        got = sum(counts.get(p, -1) for p in probes)

        nested = bigrams(words)
        pairs = 0
        best = ("", "", 0)
        for a, inner in nested.items():
            for b, c in inner.items():
                pairs += c
                if c > best[2] or (c == best[2] and (a, b) < (best[0], best[1])):
                    best = (a, b, c)
        row_max = {a: max(inner.values()) for a, inner in nested.items()}

        groups = by_first_letter(counts)
        group_sizes = sorted((k, len(g), sum(g.values())) for k, g in groups.items())

        # zip into dict, enumerate over keys
        keys = sorted(counts)
        index = dict(zip(keys, range(len(keys))))
        pos_sum = 0
        for i, k in enumerate(counts):
            pos_sum += i * index[k]
        ranks = dict(zip(keys, [counts[k] for k in keys]))
        assert ranks == counts

        # views as sets
        common = counts.keys() & frequent.keys()
        only = counts.keys() - frequent.keys()
        item_hits = sum(1 for kv in top if kv in counts.items())

        # churn: delete, reinsert, update, pop, popitem
        churn = dict(counts)
        for k in keys[::3]:
            del churn[k]
        for k in keys[::6]:
            churn[k] = -1
        churn.update({"zz": 1, keys[1]: 99})
        popped = churn.pop(keys[2], None), churn.pop("absent", "dflt")
        last = churn.popitem()
        order = list(churn)[:3] + list(churn)[-3:]

        checksum = (weighted * 7 + keylen * 11 + total + pos_sum + pairs
                    + sum(row_max.values()) + len(inverted) * 13 + sum(lengths.values())) % 1000000007
        total_checksum = (total_checksum * 31 + checksum) % 1000000007
        if r == 0:
            print("distinct:", len(counts), "total:", total, "frequent:", len(frequent))
            print("top:", top)
            print("rare:", rare, "probes:", hits, misses, got)
            print("best bigram:", best, "pairs:", pairs, "rows:", len(nested))
            print("groups:", group_sizes[:4])
            print("views:", len(common), len(only), item_hits)
            print("churn:", len(churn), popped, last, order)
            print("round checksum:", checksum)
    print("checksum:", total_checksum)


main()
