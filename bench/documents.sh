#!/usr/bin/env bash
# Documents: the time to import the five-year plan (≈200 KB of PDF text: heading tree, 318
# passages, 21 indicators, 171 projects) and the work report, and to link a 100-task ledger
# against the report. The ledger is the first 100 candidate tasks `duban tasks propose` finds in
# the report, with every third goal reworded (its first clause dropped, 全年 put in front) so the
# linker sees edited goals as well as verbatim ones. Release binary, fresh SQLite databases,
# median of 5 runs, process start included.
#   bash bench/documents.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q -p duban-cli
bin=$PWD/target/release/duban
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
elapsed() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

for i in 1 2 3 4 5; do
  "$bin" --db "$work/p$i.db" init >/dev/null
  elapsed "$bin" --db "$work/p$i.db" import fixtures/plan-2021-2025-zichuan.txt --as plan
done | median > "$work/plan"
for i in 1 2 3 4 5; do
  elapsed "$bin" --db "$work/x.db" import fixtures/plan-2021-2025-zichuan.txt --as plan --dry-run --json
done | median > "$work/plan-dry"
for i in 1 2 3 4 5; do
  "$bin" --db "$work/r$i.db" init >/dev/null
  elapsed "$bin" --db "$work/r$i.db" import fixtures/work-report-2021-linzi.txt
done | median > "$work/report"

db="$work/r1.db"
"$bin" --db "$db" tasks propose --document 1 --json | python3 -c '
import json, sys
sheet = json.load(sys.stdin)
sheet["ledger"] = "2021年基准台账"
tasks = sheet["tasks"][:100]
for t in tasks:
    t.pop("source", None)
    if t["seq"] % 3 == 0 and "，" in t["goal"]:
        t["goal"] = "全年" + t["goal"].split("，", 1)[1]
sheet["tasks"] = tasks
json.dump(sheet, open(sys.argv[1], "w"), ensure_ascii=False)
' "$work/ledger.json"
"$bin" --db "$db" import "$work/ledger.json" >/dev/null
for i in 1 2 3 4 5; do
  elapsed "$bin" --db "$db" link --ledger 2021年基准台账 --document 1
done | median > "$work/link"
"$bin" --db "$db" link --ledger 2021年基准台账 --document 1 --json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
linked = [r for r in rows if r["score"] is not None]
scores = sorted(r["score"] for r in linked)
print("linked %d of %d tasks; score min %.2f, median %.2f" % (len(linked), len(rows), scores[0], scores[len(scores)//2]))
' > "$work/quality"

printf '%-48s %10s\n' "step (median of 5, release, SQLite)" "seconds"
printf '%-48s %10.3f\n' "import plan, 205 KB (read + store)" "$(cat "$work/plan")"
printf '%-48s %10.3f\n' "read plan only (--dry-run --json)" "$(cat "$work/plan-dry")"
printf '%-48s %10.3f\n' "import report, 53 KB" "$(cat "$work/report")"
printf '%-48s %10.3f\n' "link 100-task ledger against the report" "$(cat "$work/link")"
cat "$work/quality"
