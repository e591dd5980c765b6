#!/usr/bin/env python3
"""Verify the chunked syntax-error corpus (Tests/Golden/syntax/*.chunks) against CPython.

FILE FORMAT
-----------
A .chunks file is a sequence of chunks separated by lines that are exactly `---`
(no surrounding spaces).  Each chunk is a small, complete program.  The source
that is compiled is the chunk's lines joined with "\\n" plus a final "\\n",
exactly as written: marker comments stay in the source (they are ordinary `#`
comments, so they do not change the error; cases where a trailing comment
would change the error use the header form below).

A chunk carries at most one error marker, in one of two forms:

  1. Trailing marker: a line that ends with `### MESSAGE`.  The error must be
     reported on that line (1-based line number within the chunk).
         x = (1,   ### '(' was never closed

  2. Header marker: the chunk's FIRST line is
         # error-line: N ### MESSAGE
     and the error must be reported on line N of the chunk, counting the
     header line itself as line 1 (so N >= 2).  Use it when the error line
     cannot carry a comment (inside an unterminated string, after a backslash
     continuation, an error reported past the last line, ...).

MESSAGE is CPython 3.11's `SyntaxError.msg` exactly (IndentationError and
TabError are SyntaxError subclasses; only the msg is compared, not the class
name, e.g. `unexpected indent`, `inconsistent use of tabs and spaces in
indentation`).  The text after `### ` up to the end of the line is the
message; surrounding whitespace is stripped.

A chunk with no marker must compile cleanly.

Lines starting with `#` before the first chunk's code are just comments in
that chunk (the first chunk of a file may carry a file-level comment).

USAGE
-----
    check_chunks.py [FILE_OR_DIR ...]     (default: ../syntax beside this tool)

Compiles every chunk with compile(src, "<chunk>", "exec") under the running
python3 (run it with CPython 3.11) and checks each marker's line and message.
Prints one line per failure and a summary; exit status 1 if any chunk fails.
Use --list to print every chunk's verdict.
"""
import os
import sys
import warnings

TRAILING = "### "
HEADER = "# error-line:"


def split_chunks(text):
    chunks, cur, start = [], [], 1
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for i, line in enumerate(lines, 1):
        if line == "---":
            chunks.append((start, cur))
            cur, start = [], i + 1
        else:
            cur.append(line)
    chunks.append((start, cur))
    return chunks


def expectation(lines):
    """Return (line, msg) or None."""
    if lines and lines[0].startswith(HEADER):
        rest = lines[0][len(HEADER):]
        num, sep, msg = rest.partition(TRAILING)
        if not sep:
            raise ValueError("header marker without '### MESSAGE'")
        return int(num.strip()), msg.strip()
    found = None
    for i, line in enumerate(lines, 1):
        idx = line.find(TRAILING)
        if idx >= 0 and (idx == 0 or line[idx - 1] != "#"):
            if found:
                raise ValueError("more than one marker")
            found = (i, line[idx + len(TRAILING):].strip())
    return found


def check_file(path, verbose=False):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    failures, total, n_err = 0, 0, 0
    for start, lines in split_chunks(text):
        total += 1
        where = "%s:%d" % (os.path.basename(path), start)
        try:
            want = expectation(lines)
        except ValueError as e:
            print("BAD MARKER %s: %s" % (where, e))
            failures += 1
            continue
        src = "\n".join(lines) + "\n"
        got = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                compile(src, "<chunk>", "exec")
            except SyntaxError as e:
                got = (e.lineno, e.msg, type(e).__name__)
        if want:
            n_err += 1
        if want is None and got is None:
            ok = True
        elif want is None or got is None:
            ok = False
        else:
            ok = (want[0], want[1]) == (got[0], got[1])
        if not ok:
            failures += 1
            print("FAIL %s: expected %s, got %s" % (
                where,
                "no error" if want is None else "line %d %r" % want,
                "no error" if got is None else "line %d %r (%s)" % got))
        elif verbose:
            print("ok   %s: %s" % (where, "valid" if got is None else "line %d %r (%s)" % got))
    return total, n_err, failures


def main(argv):
    verbose = "--list" in argv
    args = [a for a in argv if a != "--list"]
    if not args:
        args = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "syntax")]
    files = []
    for a in args:
        if os.path.isdir(a):
            files += [os.path.join(a, f) for f in sorted(os.listdir(a)) if f.endswith(".chunks")]
        else:
            files.append(a)
    total = errs = fails = 0
    for p in files:
        t, e, f = check_file(p, verbose)
        total, errs, fails = total + t, errs + e, fails + f
    print("%d chunks (%d with an error marker, %d valid) in %d file(s): %d failed"
          % (total, errs, total - errs, len(files), fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
