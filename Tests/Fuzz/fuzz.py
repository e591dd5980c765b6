#!/usr/bin/env python3
"""Mutation fuzzer for the stlang binary.

    python3 Tests/Fuzz/fuzz.py --binary .build/debug/stlang --corpus Tests/Golden \\
        --count 3000 --timeout 5 [--seed N] [--jobs 2] [--out /tmp/fuzz-findings]
    python3 Tests/Fuzz/fuzz.py --corpus Tests/Golden --dry      # show 5 mutated samples
    python3 Tests/Fuzz/fuzz.py ... --seed S --replay I          # rebuild case I of seed S

Each iteration picks a random `.st` file under --corpus (recursively), applies
1-4 random mutations (token-level: delete / duplicate / swap / insert / replace
tokens, delete / duplicate / re-indent lines, swap in extreme numbers; byte-level:
delete / duplicate / flip a byte, insert NUL, tab, CR, invalid UTF-8, truncate),
writes the result to a private temp dir and runs `BINARY run fuzz_case.st` there
with stdin at EOF (/dev/null), stdout discarded, under --timeout.

Outcomes:
  OK       exit 0, 1 or 2 (success, uncaught exception, syntax error); a crash
           marker on stderr is then the program's own text echoed back
  CRASH    killed by a signal (returncode < 0 or >= 128), or another exit code with
           stderr mentioning "Fatal error", "Illegal instruction", "Segmentation
           fault", "Trace/breakpoint trap", "Swift runtime failure"
  TIMEOUT  ran past --timeout. A mutated program can legitimately loop forever
           (`while True:` with its `break` deleted), so these are only recorded;
           with --oracle (default: the CPython running this script) the case is
           re-run under CPython and the finding notes whether CPython also times
           out. A human judges.
  OTHER    any other exit code

Every CRASH / TIMEOUT / OTHER input is saved to --out as KIND-SEED-ITER.st with a
KIND-SEED-ITER.txt beside it (origin file, mutations, exit code, stderr).
The last line is `N runs: A ok, B crash, C timeout, D other`; the exit status
is 1 if any run crashed, else 0 (2 for usage errors).
"""

import argparse
import difflib
import hashlib
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

CRASH_MARKERS = [
    "Fatal error",
    "Illegal instruction",
    "Segmentation fault",
    "Trace/breakpoint trap",
    "Swift runtime failure",
]

# --- tokenizer -------------------------------------------------------------

TOKEN_RE = re.compile(
    r"""
    (?P<str>(?:[rRbBfFuU]{1,2})?(?:\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'))
  | (?P<num>0[xXoObB][0-9a-fA-F_]+|\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?j?|\.\d[\d_]*(?:[eE][+-]?\d+)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<nl>\r\n|\r|\n)
  | (?P<ws>[ \t\f]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<op>\*\*=?|//=?|->|:=|<<=?|>>=?|[-+*/%&|^<>=!@]=|\.\.\.|[^\s\w])
  | (?P<other>[\s\S])
    """,
    re.VERBOSE,
)


def tokenize(text):
    """Split text into (kind, value) tokens whose values concatenate back to text."""
    return [(m.lastgroup, m.group()) for m in TOKEN_RE.finditer(text)]


KEYWORDS = (
    "False None True and as assert break class continue def del elif else except "
    "finally for from global if import in is lambda nonlocal not or pass raise "
    "return try while with yield async await match case print len range self super "
    "__init__ object Exception StopIteration st"
).split()

PUNCT = [
    "(", ")", "[", "]", "{", "}", ":", ",", ".", ";", "=", "==", "!=", "**", "*",
    "/", "//", "%", "+", "-", "@", "->", "+=", "-=", "**=", "~", "<", ">", "<=",
    "<<", ">>", "&", "|", "^", "!", "\\", '"""', "'''", '"', "'", 'f"', "f'",
    "r'", "b'", "{x!r}", "{", "}", "...", ":=", "*args", "**kw", "#", "\n",
    "\n    ", "    ", "\t", " ", "\\\n", "lambda:", "lambda x:", "if", "else",
    "not", "in", "is", "()", "[]", "{}", "(,)", "[:]", "[::-1]", "[1:2:0]",
]

INTERESTING_NUMBERS = [
    "0", "-1", "1", "2", "255", "256", "65535", "2147483647", "2147483648",
    "4294967296", "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "18446744073709551616", "10**100", "10**400",
    "(-2)**63", "2**64-1", "0.0", "-0.0", "1e308", "1e309", "-1e309", "5e-324",
    "1e-400", "0.1", "3.14159", "1_000", "0x7fffffffffffffff", "0b1", "0o777",
    "float('nan')", "float('inf')", "True", "None", "''", "[]", "1j",
]

INSERT_BYTES = [
    b"\x00", b"\t", b"\r", b"\x0c", b"\x0b", b"\xff", b"\xfe", b"\xc3", b"\xc3\x28",
    b"\xe2\x82", b"\xf0\x9f\x98", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\x80",
    b"\xc2\xa0", b"\xe2\x80\xa8", b"\\", b"\n", b"\x1b", b"\x7f",
    "é".encode(), "😀".encode(), "变量".encode(),
]


# --- mutations -------------------------------------------------------------

def _rand_index(rng, toks, kinds=None):
    idx = [i for i, (k, _) in enumerate(toks) if kinds is None or k in kinds]
    return rng.choice(idx) if idx else None


SIGNIFICANT = {"str", "num", "word", "op", "comment", "other"}


def mut_token_delete(rng, text):
    toks = tokenize(text)
    i = _rand_index(rng, toks, SIGNIFICANT)
    if i is None:
        return text, "token-delete (none)"
    desc = f"token-delete {toks[i][1][:30]!r}"
    del toks[i]
    return "".join(v for _, v in toks), desc


def mut_token_duplicate(rng, text):
    toks = tokenize(text)
    i = _rand_index(rng, toks, SIGNIFICANT)
    if i is None:
        return text, "token-duplicate (none)"
    toks.insert(i, toks[i])
    return "".join(v for _, v in toks), f"token-duplicate {toks[i][1][:30]!r}"


def mut_token_swap(rng, text):
    toks = tokenize(text)
    sig = [i for i, (k, _) in enumerate(toks) if k in SIGNIFICANT]
    if len(sig) < 2:
        return text, "token-swap (none)"
    i = rng.choice(sig)
    if rng.random() < 0.6:  # a nearby token: keeps most of the program plausible
        pos = sig.index(i)
        j = sig[min(len(sig) - 1, max(0, pos + rng.choice([-3, -2, -1, 1, 2, 3])))]
    else:
        j = rng.choice(sig)
    toks[i], toks[j] = toks[j], toks[i]
    return "".join(v for _, v in toks), f"token-swap {toks[j][1][:20]!r} <-> {toks[i][1][:20]!r}"


def mut_token_insert(rng, text):
    toks = tokenize(text)
    r = rng.random()
    if r < 0.4:
        j = _rand_index(rng, toks, SIGNIFICANT)
        new = toks[j][1] if j is not None else "x"
    elif r < 0.7:
        new = rng.choice(KEYWORDS)
        new = rng.choice([new, " " + new + " "])
    else:
        new = rng.choice(PUNCT)
    i = rng.randrange(len(toks) + 1)
    toks.insert(i, ("op", new))
    return "".join(v for _, v in toks), f"token-insert {new[:30]!r}"


def mut_token_replace(rng, text):
    toks = tokenize(text)
    i = _rand_index(rng, toks, SIGNIFICANT)
    if i is None:
        return text, "token-replace (none)"
    kind, old = toks[i]
    if kind == "num" or (kind == "word" and rng.random() < 0.15):
        new = rng.choice(INTERESTING_NUMBERS)
    elif kind == "word":
        words = [v for k, v in toks if k == "word"]
        new = rng.choice(words + KEYWORDS[:35])
    elif kind == "str":
        new = rng.choice(['""', "''", '"\\x00"', '"\\u00e9"', '"\\N{BULLET}"', '"{"',
                          'f"{1/0}"', 'f"{x!r:>{w}}"', '"\\q"', "'''\n'''",
                          repr("ünï" * 3), '"' + "a" * 300 + '"', 'b"x"', old[::-1]])
    else:
        new = rng.choice(PUNCT)
    toks[i] = (kind, new)
    return "".join(v for _, v in toks), f"token-replace {old[:20]!r} -> {new[:20]!r}"


def mut_line(rng, text):
    lines = text.splitlines(keepends=True)
    if not lines:
        return text, "line (empty)"
    i = rng.randrange(len(lines))
    op = rng.choice(["delete", "duplicate", "indent", "dedent", "tab", "swap"])
    if op == "delete":
        del lines[i]
    elif op == "duplicate":
        lines.insert(i, lines[i])
    elif op == "indent":
        lines[i] = rng.choice(["    ", " ", "        "]) + lines[i]
    elif op == "dedent":
        stripped = lines[i].lstrip(" \t")
        cut = len(lines[i]) - len(stripped)
        lines[i] = lines[i][min(cut, rng.choice([1, 4, cut])):]
    elif op == "tab":
        lines[i] = "\t" + lines[i].lstrip(" ")
    else:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines), f"line-{op} {i + 1}"


def _bytes(text):
    return text.encode("utf-8", "surrogateescape")


def _text(data):
    return data.decode("utf-8", "surrogateescape")


def mut_byte(rng, text):
    data = bytearray(_bytes(text))
    op = rng.choice(["delete", "duplicate", "flip", "insert", "insert", "truncate", "random"])
    if not data:
        op = "insert"
    i = rng.randrange(len(data) + 1) if op in ("insert", "random") else rng.randrange(len(data))
    if op == "delete":
        n = rng.choice([1, 1, 1, 2, 5])
        del data[i:i + n]
    elif op == "duplicate":
        n = rng.choice([1, 1, 3, 10])
        data[i:i] = data[i:i + n]
    elif op == "flip":
        data[i] ^= 1 << rng.randrange(8)
    elif op == "insert":
        data[i:i] = rng.choice(INSERT_BYTES)
    elif op == "truncate":
        del data[i:]
    else:
        data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
    return _text(bytes(data)), f"byte-{op} @{i}"


TOKEN_MUTATORS = [
    (mut_token_delete, 3), (mut_token_duplicate, 2), (mut_token_swap, 2),
    (mut_token_insert, 3), (mut_token_replace, 3), (mut_line, 2),
]
BYTE_WEIGHT = 4  # out of the total below: ~20% of mutations are byte-level
ALL_MUTATORS = TOKEN_MUTATORS + [(mut_byte, BYTE_WEIGHT)]


def mutate(rng, text, max_mutations=4):
    funcs = [f for f, _ in ALL_MUTATORS]
    weights = [w for _, w in ALL_MUTATORS]
    descs = []
    # 1..max mutations, biased to few: one mutation keeps most programs parseable,
    # which reaches the runtime instead of stopping in the parser.
    n = rng.choices(range(1, max_mutations + 1), [2 ** -k for k in range(max_mutations)])[0]
    for _ in range(n):
        f = rng.choices(funcs, weights)[0]
        text, d = f(rng, text)
        descs.append(d)
    return text, descs


# --- running ---------------------------------------------------------------

IMPORT_RE = re.compile(r"^\s*(?:import|from)\s+([A-Za-z_]\w*)", re.M)


def find_corpus(root):
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fn in sorted(filenames):
            if fn.endswith(".st"):
                files.append(os.path.join(dirpath, fn))
    return files


def make_case(seed, iteration, corpus, max_mutations):
    rng = random.Random(f"{seed}:{iteration}")
    origin = rng.choice(corpus)
    with open(origin, "rb") as f:
        text = _text(f.read())
    mutated, descs = mutate(rng, text, max_mutations)
    return origin, _bytes(mutated), descs


def set_own_limits(mem_mib):
    """Limits set on this process are inherited by every child (thread-safe, unlike
    preexec_fn): no core dumps, and an address-space cap so a mutated program that
    grows a list forever cannot take the machine down. Note that hitting the cap
    can make the Swift binary abort on a failed allocation (reported as CRASH:
    check such findings for huge allocations, or rerun with --mem-limit 0)."""
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass
    if mem_mib:
        lim = mem_mib * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            lim = min(lim, hard)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (lim, hard))
        except (ValueError, OSError):
            pass


def run_case(argv, cwd, timeout, stderr_cap=64 * 1024):
    """Run argv; return (returncode or None on timeout, stderr bytes, seconds)."""
    with tempfile.TemporaryFile(dir=cwd) as ferr:
        start = time.monotonic()
        proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=ferr,
                                start_new_session=True)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            rc = None
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        elapsed = time.monotonic() - start
        ferr.seek(0)
        err = ferr.read(stderr_cap)
    return rc, err, elapsed


def classify(rc, err):
    if rc is None:
        return "TIMEOUT"
    text = err.decode("utf-8", "replace")
    if rc < 0 or rc >= 128:
        return "CRASH"
    # A normal exit is never a runtime crash (those trap, by a signal): a marker on stderr
    # then is the program's own text, echoed in a traceback or syntax error.
    if rc in (0, 1, 2):
        return "OK"
    if any(m in text for m in CRASH_MARKERS):
        return "CRASH"
    return "OTHER"


def crash_signature(rc, err):
    text = err.decode("utf-8", "replace")
    for line in text.splitlines():
        if any(m in line for m in CRASH_MARKERS):
            # strip addresses / numbers so similar crashes group together
            return re.sub(r"0x[0-9a-f]+|\d+", "N", line.strip())[:160]
    if rc is not None and rc < 0:
        try:
            return f"killed by {signal.Signals(-rc).name}"
        except ValueError:
            return f"killed by signal {-rc}"
    return f"exit {rc}"


def main():
    ap = argparse.ArgumentParser(description="Mutation fuzzer for stlang (see module docstring).")
    ap.add_argument("--binary", help="stlang binary (run as BINARY run FILE)")
    ap.add_argument("--corpus", default="Tests/Golden", help="folder of .st seeds (recursive)")
    ap.add_argument("--count", type=int, default=3000, help="number of runs (default 3000)")
    ap.add_argument("--timeout", type=float, default=5.0, help="seconds per run (default 5)")
    ap.add_argument("--seed", type=int, default=None, help="seed (default: time-based, printed)")
    ap.add_argument("--jobs", type=int, default=2, help="parallel runs (default 2)")
    ap.add_argument("--out", default="/tmp/fuzz-findings", help="where findings are saved")
    ap.add_argument("--max-mutations", type=int, default=4, help="mutations per case, 1..N")
    ap.add_argument("--mem-limit", type=int, default=4096,
                    help="address-space limit per run in MiB (0: none; default 4096)")
    ap.add_argument("--oracle", default=sys.executable,
                    help="CPython used to re-run TIMEOUT cases ('' to skip)")
    ap.add_argument("--dry", action="store_true", help="print 5 mutated samples and exit")
    ap.add_argument("--diff", action="store_true",
                    help="with --dry: print a diff against the seed file instead of the whole sample")
    ap.add_argument("--replay", type=int, metavar="ITER",
                    help="write case ITER of --seed to stdout (bytes) and exit")
    args = ap.parse_args()

    corpus = find_corpus(args.corpus)
    if not corpus:
        print(f"no .st files under {args.corpus}", file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else int(time.time()) % 1000000
    maxm = max(1, args.max_mutations)

    if args.replay is not None:
        origin, data, descs = make_case(seed, args.replay, corpus, maxm)
        print(f"# origin {origin}; mutations: {'; '.join(descs)}", file=sys.stderr)
        sys.stdout.buffer.write(data)
        return 0

    if args.dry:
        for i in range(5):
            origin, data, descs = make_case(seed, i, corpus, maxm)
            print(f"===== sample {i} (seed {seed}) from {origin}")
            print(f"===== mutations: {'; '.join(descs)}")
            shown = data.decode("utf-8", "backslashreplace")
            if args.diff:
                with open(origin, "rb") as f:
                    orig = f.read().decode("utf-8", "backslashreplace")
                shown = "".join(difflib.unified_diff(orig.splitlines(True), shown.splitlines(True),
                                                     origin, "mutated", n=1))
            sys.stdout.write(shown)
            if not shown.endswith("\n"):
                print()
        return 0

    if not args.binary:
        print("--binary is required (except with --dry / --replay)", file=sys.stderr)
        return 2
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        print(f"binary not found or not executable: {binary}", file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)
    set_own_limits(args.mem_limit)

    print(f"fuzz: seed {seed}, {len(corpus)} corpus files, {args.count} runs, "
          f"{args.jobs} jobs, timeout {args.timeout:g}s, findings -> {args.out}", flush=True)

    counts = {"OK": 0, "CRASH": 0, "TIMEOUT": 0, "OTHER": 0}
    signatures = {}
    lock = threading.Lock()
    done = [0]
    start_all = time.monotonic()

    def work(iteration):
        origin, data, descs = make_case(seed, iteration, corpus, maxm)
        tmp = tempfile.mkdtemp(prefix="stfuzz-")
        try:
            # modules the seed imports from beside itself (import helper -> helper.st)
            src_dir = os.path.dirname(origin)
            for mod in set(IMPORT_RE.findall(_text(data))):
                cand = os.path.join(src_dir, mod + ".st")
                if os.path.isfile(cand):
                    shutil.copy(cand, tmp)
            case = os.path.join(tmp, "fuzz_case.st")
            with open(case, "wb") as f:
                f.write(data)
            rc, err, elapsed = run_case([binary, "run", case], tmp, args.timeout)
            kind = classify(rc, err)
            oracle_note = ""
            if kind == "TIMEOUT" and args.oracle:
                prc, perr, pel = run_case([args.oracle, case], tmp, args.timeout)
                oracle_note = ("CPython also timed out (probably a legitimate infinite loop)"
                               if prc is None else
                               f"CPython finished in {pel:.2f}s with exit {prc} (suspicious)")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

        with lock:
            counts[kind] += 1
            done[0] += 1
            if kind != "OK":
                tag = f"{kind.lower()}-{seed}-{iteration:05d}"
                with open(os.path.join(args.out, tag + ".st"), "wb") as f:
                    f.write(data)
                with open(os.path.join(args.out, tag + ".txt"), "w") as f:
                    f.write(f"kind: {kind}\n")
                    f.write(f"origin: {origin}\n")
                    f.write(f"mutations: {'; '.join(descs)}\n")
                    f.write(f"replay: python3 {sys.argv[0]} --corpus {args.corpus} "
                            f"--seed {seed} --replay {iteration}\n")
                    f.write(f"exit: {'timeout' if rc is None else rc}  time: {elapsed:.2f}s\n")
                    if oracle_note:
                        f.write(f"oracle: {oracle_note}\n")
                    f.write(f"sha1: {hashlib.sha1(data).hexdigest()}\n")
                    f.write("--- stderr ---\n")
                    f.write(err.decode("utf-8", "replace"))
                if kind == "CRASH":
                    sig = crash_signature(rc, err)
                    signatures.setdefault(sig, []).append(tag)
                    if len(signatures[sig]) == 1:
                        print(f"  CRASH {tag}: {sig}", flush=True)
                elif kind == "OTHER":
                    print(f"  OTHER {tag}: exit {rc}", flush=True)
            if done[0] % 250 == 0:
                rate = done[0] / max(1e-9, time.monotonic() - start_all)
                print(f"  [{done[0]}/{args.count}] ok {counts['OK']} crash {counts['CRASH']} "
                      f"timeout {counts['TIMEOUT']} other {counts['OTHER']} ({rate:.1f}/s)",
                      flush=True)

    pool = ThreadPoolExecutor(max_workers=max(1, args.jobs))
    try:
        for fut in [pool.submit(work, i) for i in range(args.count)]:
            fut.result()
    except KeyboardInterrupt:
        print("interrupted; finishing the runs in flight", file=sys.stderr)
        pool.shutdown(wait=True, cancel_futures=True)
    pool.shutdown(wait=True)

    if signatures:
        print("distinct crash signatures:")
        for sig, tags in sorted(signatures.items(), key=lambda kv: -len(kv[1])):
            print(f"  {len(tags):4d}x {sig}   e.g. {args.out}/{tags[0]}.st")
    if counts["TIMEOUT"]:
        print(f"timeouts saved in {args.out}/timeout-*.st (see 'oracle:' in the .txt files)")
    total = sum(counts.values())
    print(f"{total} runs: {counts['OK']} ok, {counts['CRASH']} crash, "
          f"{counts['TIMEOUT']} timeout, {counts['OTHER']} other")
    return 1 if counts["CRASH"] else 0


if __name__ == "__main__":
    sys.exit(main())
