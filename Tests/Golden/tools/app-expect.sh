#!/usr/bin/env bash
# Writes the expected outputs of app golden tests from stlang itself (apps have no CPython
# oracle): NAME.out (text) and, with --json, NAME.jsonl. Review every output by eye against
# Streamlit's documented behaviour before committing it.
#   Tests/Golden/tools/app-expect.sh [--json] [--binary B] Tests/Golden/st/NAME.st ...
# Uses NAME.steps and NAME.args (e.g. --trace-cache) when present, a scratch cache folder,
# and the golden convention: stdout, then `--- exit N` and the last stderr line when N != 0.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
bin="$root/.build/debug/stlang"
json=0
files=()
while [ $# -gt 0 ]; do
    case "$1" in
        --json) json=1 ;;
        --binary) shift; bin="$1" ;;
        *) files+=("$1") ;;
    esac
    shift
done
expect() {  # expect FILE FORMAT OUTPUT
    local f="$1" format="$2" target="$3" base="${1%.st}" args=() d
    [ -f "$base.args" ] && read -r -a args < "$base.args"
    [ -f "$base.steps" ] && args+=(--steps "$(cd "$(dirname "$base")" && pwd)/$(basename "$base").steps")
    d=$(mktemp -d)
    local abs; abs="$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"
    (cd "$d" && STLANG_PATH="$root/stdlib" "$bin" run "$abs" "${args[@]}" --format "$format" --cache-dir "$d/cache" >"$d/out" 2>"$d/err")
    local rc=$?
    cp "$d/out" "$target"
    if [ $rc -ne 0 ]; then
        if [ -s "$target" ] && [ -n "$(tail -c1 "$target")" ]; then echo >> "$target"; fi
        echo "--- exit $rc" >> "$target"
        grep -v '^$' "$d/err" | tail -1 >> "$target"
    fi
    rm -rf "$d"
}
for f in "${files[@]}"; do
    expect "$f" text "${f%.st}.out"
    [ $json = 1 ] && expect "$f" json "${f%.st}.jsonl"
done
