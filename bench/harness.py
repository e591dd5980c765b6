#!/usr/bin/env python3
"""Benchmark harness for stlang: times stlang against CPython on bench/*.st.

Usually started through bench/run (which builds the release binary first).

    python3 bench/harness.py [PROGRAM ...] [--rounds N] [--binary PATH]
                             [--python PATH] [--timeout S] [--list]

Each program NAME has NAME.st (run by stlang) and NAME.py (run by CPython),
byte-for-byte identical. For every round the two interpreters run one after
the other; stdout must be identical. Prints a table of medians and peak RSS,
then the geometric mean of the stlang/CPython ratios as the last line.
Exit status: 0 all good, 1 a mismatch or failure, 2 usage error.
"""

import argparse
import difflib
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH_DIR)


def discover():
    names = []
    for fn in sorted(os.listdir(BENCH_DIR)):
        if fn.endswith(".st") and os.path.exists(os.path.join(BENCH_DIR, fn[:-3] + ".py")):
            names.append(fn[:-3])
    return names


_peakrss = None


def peakrss_helper():
    """bench/peakrss.c built once into .build-bench/ (see that file for why), or None when
    no C compiler is found (then peak RSS is read from this process's wait4, which cannot
    report less than this Python process's own size, about 15 MiB)."""
    global _peakrss
    if _peakrss is None:
        _peakrss = ""
        src = os.path.join(BENCH_DIR, "peakrss.c")
        exe = os.path.join(ROOT, ".build-bench", "peakrss")
        cc = shutil.which("cc") or shutil.which("clang") or shutil.which("gcc")
        if os.path.exists(exe) and os.path.getmtime(exe) >= os.path.getmtime(src):
            _peakrss = exe
        elif cc:
            os.makedirs(os.path.dirname(exe), exist_ok=True)
            if subprocess.run([cc, "-O2", "-o", exe, src]).returncode == 0:
                _peakrss = exe
        if not _peakrss:
            print("note: no C compiler for bench/peakrss.c; peak RSS below ~15 MiB reads as ~15 MiB",
                  file=sys.stderr)
    return _peakrss or None


def run_measured(argv, timeout):
    """Run argv (stdin closed, cwd bench/); return dict(rc, wall, rss_mib, out, err, timed_out).

    Wall time is perf_counter around spawn..reap (including the helper's fork, the same for
    both interpreters); peak RSS is the command's ru_maxrss in KiB, via bench/peakrss.c."""
    import tempfile
    helper = peakrss_helper()
    with tempfile.TemporaryFile() as fout, tempfile.TemporaryFile() as ferr, \
            tempfile.NamedTemporaryFile(mode="r", suffix=".rss") as frss:
        if helper:
            argv = [helper, frss.name] + list(argv)
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=fout, stderr=ferr,
                                cwd=BENCH_DIR, start_new_session=True)
        deadline = start + timeout
        timed_out = False
        status = None
        ru = None
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid != 0:
                break
            if time.perf_counter() > deadline:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)  # the helper and the command
                pid, status, ru = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from re-waiting
        fout.seek(0)
        ferr.seek(0)
        out = fout.read()
        err = ferr.read()
        rss_kib = ru.ru_maxrss if ru is not None else None
        if helper:
            text = frss.read().strip()
            rss_kib = int(text) if text.isdigit() else None
    rss = rss_kib / 1024.0 if rss_kib is not None else float("nan")
    return {"rc": proc.returncode, "wall": wall, "rss_mib": rss, "out": out,
            "err": err, "timed_out": timed_out}


def show_diff(expected, got, limit=20):
    a = expected.decode("utf-8", "replace").splitlines()
    b = got.decode("utf-8", "replace").splitlines()
    lines = list(difflib.unified_diff(a, b, "cpython", "stlang", lineterm="", n=1))
    for line in lines[:limit]:
        print("    " + line)
    if len(lines) > limit:
        print(f"    ... ({len(lines) - limit} more diff lines)")


def tail(b, n=6):
    lines = b.decode("utf-8", "replace").rstrip("\n").splitlines()
    return lines[-n:]


def main():
    ap = argparse.ArgumentParser(description="Time stlang against CPython on bench programs.")
    ap.add_argument("programs", nargs="*", help="program names (default: all in bench/)")
    ap.add_argument("--rounds", type=int, default=5, help="rounds per program (default 5)")
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "stlang"),
                    help="stlang binary (default .build/release/stlang)")
    ap.add_argument("--python", default=sys.executable,
                    help="CPython interpreter (default: the one running this harness)")
    ap.add_argument("--timeout", type=float, default=300.0,
                    help="seconds before a single run is killed (default 300)")
    ap.add_argument("--list", action="store_true", help="list the programs and exit")
    args = ap.parse_args()

    available = discover()
    if args.list:
        print("\n".join(available))
        return 0
    progs = args.programs or available
    unknown = [p for p in progs if p not in available]
    if unknown:
        print(f"unknown program(s): {', '.join(unknown)}; available: {', '.join(available)}",
              file=sys.stderr)
        return 2
    if args.rounds < 1:
        print("--rounds must be >= 1", file=sys.stderr)
        return 2
    if not os.path.exists(args.binary):
        print(f"stlang binary not found: {args.binary}", file=sys.stderr)
        return 2

    print(f"stlang:  {args.binary}")
    print(f"CPython: {args.python}")
    print(f"rounds:  {args.rounds}")
    print()

    results = []  # (name, py_med, st_med, ratio, py_mib, st_mib, status)
    problems = 0
    for name in progs:
        st_file = os.path.join(BENCH_DIR, name + ".st")
        py_file = os.path.join(BENCH_DIR, name + ".py")
        with open(st_file, "rb") as f1, open(py_file, "rb") as f2:
            if f1.read() != f2.read():
                print(f"!!! MISMATCH: {name}.st and {name}.py differ; they must be identical")
                problems += 1
        py_times, st_times, py_rss, st_rss = [], [], [], []
        expected = None
        status = "ok"
        print(f"{name}: ", end="", flush=True)
        st_alive = True
        for r in range(args.rounds):
            # stlang first, then CPython, alternating round by round
            st_out = None
            if st_alive:
                res = run_measured([args.binary, "run", st_file], args.timeout)
                if res["timed_out"] or res["rc"] != 0:
                    why = f"timeout after {args.timeout:g} s" if res["timed_out"] else f"exit {res['rc']}"
                    status = "FAIL"
                    st_alive = False
                    problems += 1
                    print(f"\n!!! FAIL: stlang on {name} ({why}); stderr tail:")
                    for line in tail(res["err"]):
                        print("    " + line)
                else:
                    st_times.append(res["wall"])
                    st_rss.append(res["rss_mib"])
                    st_out = res["out"]
            pres = run_measured([args.python, py_file], args.timeout)
            if pres["timed_out"] or pres["rc"] != 0:
                print(f"\n!!! FAIL: CPython on {name} (rc {pres['rc']}):")
                for line in tail(pres["err"]):
                    print("    " + line)
                status = "FAIL"
                problems += 1
                break
            py_times.append(pres["wall"])
            py_rss.append(pres["rss_mib"])
            if expected is None:
                expected = pres["out"]
            elif pres["out"] != expected:
                print(f"\n!!! CPython output of {name} is not deterministic (round {r + 1})")
            if st_out is not None and st_out != expected and status == "ok":
                status = "MISMATCH"
                problems += 1
                print(f"\n!!! MISMATCH: stlang output of {name} differs from CPython:")
                show_diff(expected, st_out)
            print(".", end="", flush=True)
        print()
        py_med = statistics.median(py_times) if py_times else float("nan")
        st_med = statistics.median(st_times) if st_times and status != "FAIL" else float("nan")
        ratio = st_med / py_med if py_times and not math.isnan(st_med) else float("nan")
        py_mib = max(py_rss) if py_rss else float("nan")
        st_mib = max(st_rss) if st_rss else float("nan")
        results.append((name, py_med, st_med, ratio, py_mib, st_mib, status))

    def fmt(x, spec):
        return "-" if (isinstance(x, float) and math.isnan(x)) else format(x, spec)

    print()
    header = f"{'program':<16}{'CPython s':>10}{'stlang s':>10}{'ratio':>8}{'CPy MiB':>9}{'st MiB':>9}  status"
    print(header)
    print("-" * len(header))
    for name, py_med, st_med, ratio, py_mib, st_mib, status in results:
        print(f"{name:<16}{fmt(py_med, '.3f'):>10}{fmt(st_med, '.3f'):>10}{fmt(ratio, '.2f'):>8}"
              f"{fmt(py_mib, '.1f'):>9}{fmt(st_mib, '.1f'):>9}  {status}")
    print("-" * len(header))
    ratios = [r[3] for r in results if r[6] == "ok" and not math.isnan(r[3]) and r[3] > 0]
    skipped = len(results) - len(ratios)
    if ratios:
        geo = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
        note = f" ({skipped} failed/mismatched program(s) left out)" if skipped else ""
        if problems:
            print(f"*** {problems} problem(s): see MISMATCH/FAIL above ***")
        print(f"geometric mean stlang/CPython: {geo:.2f}x over {len(ratios)} program(s){note}")
    else:
        if problems:
            print(f"*** {problems} problem(s): see MISMATCH/FAIL above ***")
        print("geometric mean stlang/CPython: n/a (no program ran cleanly)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
