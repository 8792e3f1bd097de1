#!/usr/bin/env bash
# Assessment: `duban score` over the 2023 table (124 tasks, 40 lead units) with N findings spread
# over its tasks (every third one lowering its August verdict), as JSON and as the year's xlsx
# table; and `duban rectify list`. Release binary, median of 5 runs, process start included; peak
# RSS from GNU time. SQLite by default; DATABASE_URL for PostgreSQL.
#   bash bench/score.sh [FINDINGS]
set -euo pipefail
cd "$(dirname "$0")/.."
findings=${1:-200}
cargo build --release --locked -q -p duban-cli
bin=$PWD/target/release/duban
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=(--db "$work/bench.db")
[ -n "${DATABASE_URL:-}" ] && db=()
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { /usr/bin/time -f '%e %M' -o "$work/t" "$@" >"$work/out" 2>/dev/null; cat "$work/t"; }
ledger="2023年《政府工作报告》重点工作"

"$bin" "${db[@]}" init >/dev/null
"$bin" "${db[@]}" import fixtures/progress-2023-08-linzi.txt >/dev/null 2>&1
"$bin" "${db[@]}" tasks --ledger "$ledger" --period 2023-08 --json |
  python3 -c 'import json,sys
for t in json.load(sys.stdin)["tasks"]:
    lead=[u["name"] for u in t.get("units") or [] if u["role"]=="lead"]
    if lead: print(t["seq"], lead[0], sep="\t")' >"$work/tasks"
count=$(wc -l <"$work/tasks")
start=$(date +%s.%N)
for i in $(seq 1 "$findings"); do
  line=$(sed -n "$(( (i - 1) % count + 1 ))p" "$work/tasks")
  seq=${line%%$'\t'*}; unit=${line#*$'\t'}
  extra=()
  [ $((i % 3)) -eq 0 ] && extra=(--lowers 2023-08)
  "$bin" "${db[@]}" inspect add --ledger "$ledger" --kind field_visit --date 2023-09-20 \
    --task "$seq" --unit "$unit" --finding "第 $i 个问题" --days $((i % 15 + 1)) "${extra[@]}" >/dev/null 2>&1
done
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
printf '%d findings recorded one command each: %.2f s (%.1f ms per command, process start included)\n' \
  "$findings" "$elapsed" "$(echo "$elapsed * 1000 / $findings" | bc -l)"

printf '%-48s %10s %9s\n' "command (release, median of 5)" "seconds" "peak MB"
for label in "score --json" "score -o year.xlsx" "rectify list --json"; do
  case $label in
    "score --json") cmd=(score --ledger "$ledger" --json) ;;
    "score -o year.xlsx") cmd=(score --ledger "$ledger" -o "$work/year.xlsx") ;;
    "rectify list --json") cmd=(rectify list --ledger "$ledger" --json) ;;
  esac
  : >"$work/runs"
  for _ in 1 2 3 4 5; do measure "$bin" "${db[@]}" "${cmd[@]}" >>"$work/runs"; done
  secs=$(cut -d' ' -f1 "$work/runs" | median)
  kb=$(cut -d' ' -f2 "$work/runs" | median)
  printf '%-48s %10s %9.1f\n' "$label" "$secs" "$(echo "$kb / 1024" | bc -l)"
done
"$bin" "${db[@]}" score --ledger "$ledger" --json |
  python3 -c 'import json,sys
s = json.load(sys.stdin)
parts = sum(len(u["parts"]) for u in s)
totals = [u["total"] for u in s]
print(len(s), "units scored,", parts, "explained parts; totals from", min(totals), "to", max(totals))'
