#!/usr/bin/env python3
"""Generate / check golden expected outputs for the stlang corpus.

Usage:
    expect.py [--check] [--timeout SECS] PATH...

PATH is a NAME.st file or a directory (searched for *.st, non-recursively;
NAME.st files that have a NAME.steps beside them are skipped: their output
is not a CPython oracle's).

For each NAME.st: copy it into a fresh temporary directory as NAME.py, run
`python3 NAME.py` there (cwd = the temp dir, stdin empty, a timeout), and
build the expected output:

    <the program's stdout, exactly>
    --- exit N            (only when the exit status is non-zero)
    <the last line of stderr>

N is CPython's exit status, except that a SyntaxError / IndentationError /
TabError (CPython exits 1) is recorded as exit 2, which is stlang's status for
a syntax error.

Without --check, NAME.out is written beside NAME.st.  With --check nothing is
written; every NAME.st whose stored NAME.out differs from what python3 gives
now (or that has no NAME.out) is reported, and the exit status is 1 if any
differ.
"""
import os
import shutil
import subprocess
import sys
import tempfile

PREFERRED = "/root/.pyenv/versions/3.11.7/bin/python3"
PYTHON = PREFERRED if os.path.exists(PREFERRED) else (shutil.which("python3") or "python3")
SYNTAX_KINDS = ("SyntaxError", "IndentationError", "TabError")


def expected_output(st_path, timeout):
    name = os.path.splitext(os.path.basename(st_path))[0]
    with tempfile.TemporaryDirectory(prefix="stgolden_") as tmp:
        py = os.path.join(tmp, name + ".py")
        shutil.copyfile(st_path, py)
        env = dict(os.environ)
        env["PYTHONHASHSEED"] = "0"        # belt and braces; programs must not depend on it
        env["PYTHONIOENCODING"] = "utf-8"
        env.pop("PYTHONSTARTUP", None)
        try:
            proc = subprocess.run([PYTHON, name + ".py"], cwd=tmp, env=env,
                                  stdin=subprocess.DEVNULL, capture_output=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            raise RuntimeError("timed out after %ss" % timeout)
    out = proc.stdout.decode("utf-8")
    if proc.returncode != 0:
        err_lines = proc.stderr.decode("utf-8").rstrip("\n").split("\n")
        last = err_lines[-1] if err_lines else ""
        code = proc.returncode
        if code == 1 and last.split(":", 1)[0] in SYNTAX_KINDS:
            code = 2
        if out and not out.endswith("\n"):
            out += "\n"
        out += "--- exit %d\n%s\n" % (code, last)
    return out


def collect(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            for f in sorted(os.listdir(p)):
                if f.endswith(".st") and not os.path.exists(os.path.join(p, f[:-3] + ".steps")):
                    files.append(os.path.join(p, f))
        else:
            files.append(p)
    return files


def main(argv):
    check = False
    timeout = 30.0
    paths = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--check":
            check = True
        elif a == "--timeout":
            i += 1
            timeout = float(argv[i])
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            paths.append(a)
        i += 1
    if not paths:
        paths = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lang")]
    files = collect(paths)
    bad = 0
    for st in files:
        out_path = os.path.splitext(st)[0] + ".out"
        try:
            want = expected_output(st, timeout)
        except RuntimeError as e:
            print("ERROR %s: %s" % (st, e))
            bad += 1
            continue
        if check:
            try:
                with open(out_path, encoding="utf-8", newline="") as f:
                    have = f.read()
            except FileNotFoundError:
                print("MISSING %s" % out_path)
                bad += 1
                continue
            if have != want:
                print("DIFFERS %s" % out_path)
                bad += 1
        else:
            with open(out_path, "w", encoding="utf-8", newline="") as f:
                f.write(want)
    verb = "checked" if check else "wrote"
    print("%s %d file(s), %d problem(s)" % (verb, len(files), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
