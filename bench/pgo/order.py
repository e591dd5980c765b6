#!/usr/bin/env python3
"""Writes the link order of stlang's functions from callgrind runs (see bench/pgo/README.md).

usage: order.py BINARY OUT CALLGRIND_FILE...

Each file is a callgrind profile of BINARY recorded with --demangle=no --compress-strings=no.
Every function of BINARY that ran in any of them is written to OUT, one symbol per line:
first those that ran in every run (start-up, the runtime's basics: what even a one-line
script touches, so it stays in the fewest pages), then the others; each group by the
instructions the function executed itself over all runs, most first, so that hot code
shares pages and cache lines.
"""
import re
import sys
from collections import Counter


def self_costs(path, binary_name):
    """Self instruction counts of the functions of `binary_name` in one callgrind file."""
    costs = Counter()
    obj = None          # the object file the next `fn=` belongs to
    fn = None           # the current function, or None when it is not in the binary
    skip_next = False   # the cost line after `calls=` is the call's inclusive cost
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("ob="):
                obj = line[3:].strip()
            elif line.startswith("fn="):
                name = re.sub(r"'\d+$", "", line[3:].strip())
                mine = obj is not None and obj.endswith(binary_name) and not name.startswith("0x")
                fn = name if mine else None
                if fn is not None:
                    costs[fn] += 0
            elif line.startswith("calls="):
                skip_next = True
            elif line[:1].isdigit() or line[:1] in "+-*":
                if skip_next:
                    skip_next = False
                    continue
                if fn is not None:
                    parts = line.split()
                    if len(parts) >= 2 and parts[-1].isdigit():
                        costs[fn] += int(parts[-1])
    return costs


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    binary, out, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    binary_name = binary.rsplit("/", 1)[-1]
    total = Counter()
    runs = Counter()    # how many runs each function ran in
    for path in files:
        costs = self_costs(path, binary_name)
        total.update(costs)
        runs.update(costs.keys())
    if not total:
        sys.exit(f"order.py: no functions of {binary_name} in the callgrind files")
    names = sorted(total, key=lambda n: (runs[n] < len(files), -total[n], n))
    with open(out, "w") as f:
        f.write("\n".join(names) + "\n")
    print(f"wrote {out}: {len(names)} functions", file=sys.stderr)


if __name__ == "__main__":
    main()
