# Sorting: list.sort and sorted with key functions (lambdas, tuples,
# attributes of objects), reverse=True, stability, sorting strings,
# and a hand-written merge sort and quicksort for comparison work.

def lcg(state):
    return (state * 1103515245 + 12345) & 0x7FFFFFFF


class Person:
    def __init__(self, name, age, score):
        self.name = name
        self.age = age
        self.score = score

    def key(self):
        return (-self.score, self.age, self.name)


def make_numbers(n, seed):
    out = []
    state = seed
    for i in range(n):
        state = lcg(state)
        out.append((state >> 8) % 100000)
    return out


def merge_sort(xs):
    if len(xs) <= 1:
        return xs
    mid = len(xs) // 2
    left = merge_sort(xs[:mid])
    right = merge_sort(xs[mid:])
    out = []
    i = 0
    j = 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            out.append(left[i])
            i += 1
        else:
            out.append(right[j])
            j += 1
    out.extend(left[i:])
    out.extend(right[j:])
    return out


def quicksort(xs):
    if len(xs) <= 1:
        return xs
    pivot = xs[len(xs) // 2]
    less = [x for x in xs if x < pivot]
    equal = [x for x in xs if x == pivot]
    more = [x for x in xs if x > pivot]
    return quicksort(less) + equal + quicksort(more)


def digest(xs):
    h = 0
    for x in xs:
        h = (h * 1000003 + x) % 2147483647
    return h


nums = make_numbers(60000, 1)
a = sorted(nums)
b = merge_sort(nums)
c = quicksort(nums)
print("sorted equal", a == b, b == c, digest(a))
d = sorted(nums, reverse=True)
print("reverse", d[:5], d[-3:])
e = sorted(nums, key=lambda x: (x % 100, -x))
print("key", digest(e))

pairs = [(nums[i] % 50, nums[(i * 7) % len(nums)] % 1000, i) for i in range(len(nums))]
pairs.sort()
print("tuples", pairs[0], pairs[-1], digest([p[2] for p in pairs[:2000]]))
pairs.sort(key=lambda p: p[1])
print("stable", digest([p[2] for p in pairs[:3000]]))

NAMES = ["ann", "bob", "cyd", "dee", "eve", "fay", "gus", "hal", "ivy", "jon"]
people = []
state = 5
for i in range(40000):
    state = lcg(state)
    name = NAMES[(state >> 16) % 10] + str(i % 97)
    state = lcg(state)
    age = 18 + (state >> 16) % 60
    state = lcg(state)
    score = (state >> 12) % 500
    people.append(Person(name, age, score))
people.sort(key=Person.key)
print("objects", people[0].name, people[0].score, people[-1].name, people[-1].score)
by_age = sorted(people, key=lambda p: p.age, reverse=True)
print("by_age", by_age[0].age, by_age[0].name, by_age[-1].age, by_age[-1].name)

words = [NAMES[n % 10] + str(n) for n in nums[:30000]]
words.sort()
print("strings", words[0], words[-1], len(words))
words.sort(key=len)
print("by_len", words[0], words[-1])
mx = max(people, key=lambda p: (p.score, p.name))
mn = min(nums)
print("minmax", mx.name, mx.score, mn)
