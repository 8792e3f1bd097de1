#!/usr/bin/env bash
# Real files: the time and memory to read a large table and a large plan from Word and from PDF,
# end to end (`duban import … --dry-run --json`: bytes, layout, structure, JSON out). The files are
# written by scripts/make-test-files.py --bench: the 2023 monthly table three times over (372
# tasks, 50+ PDF pages) and the plan with its chapters repeated (200+ PDF pages), through
# LibreOffice. Release binary, median of 5 runs, process start included; peak RSS from GNU time.
#   bash bench/files.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q -p duban-cli
bin=$PWD/target/release/duban
files=$PWD/target/bench-files
if [ ! -f "$files/plan-large.pdf" ] || [ scripts/make-test-files.py -nt "$files/plan-large.pdf" ]; then
  python3 scripts/make-test-files.py --bench --duban "$bin" --out "$files" >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Prints "seconds max-rss-kB" of one run.
measure() { /usr/bin/time -f '%e %M' -o "$work/t" "$@" >"$work/out" 2>/dev/null; cat "$work/t"; }

printf '%-34s %6s %9s %10s %11s\n' "file (release, median of 5)" "pages" "size kB" "seconds" "peak MB"
for spec in "table-large.docx:" "table-large.pdf:" "plan-large.docx:--as plan" "plan-large.pdf:--as plan"; do
  name=${spec%%:*}
  extra=${spec#*:}
  path="$files/$name"
  # shellcheck disable=SC2086
  for _ in 1 2 3 4 5; do measure "$bin" import "$path" $extra --dry-run --json; done >"$work/runs"
  seconds=$(cut -d' ' -f1 "$work/runs" | median)
  rss=$(cut -d' ' -f2 "$work/runs" | median)
  pages=$( [ "${name##*.}" = pdf ] && pdfinfo "$path" 2>/dev/null | awk '/^Pages:/ {print $2}' || echo "-")
  printf '%-34s %6s %9d %10.2f %11.1f\n' "$name" "$pages" "$(( $(stat -c %s "$path") / 1024 ))" "$seconds" "$(echo "$rss / 1024" | bc -l)"
done
# What was read, so a fast wrong answer cannot pass for a fast right one.
"$bin" import "$files/table-large.pdf" --dry-run --json 2>/dev/null | python3 -c 'import json,sys; print("table-large.pdf: %d tasks" % len(json.load(sys.stdin)["tasks"]))'
"$bin" import "$files/plan-large.pdf" --as plan --dry-run --json 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print("plan-large.pdf: %d sections, %d indicators, %d projects" % (len(d["sections"]), len(d["indicators"]), len(d["projects"])))'
