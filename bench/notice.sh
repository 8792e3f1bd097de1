#!/usr/bin/env bash
# Notice benchmark, end to end with the release binary on SQLite: `duban notice` for the real
# 124-task ledger and for a generated 10,000-task ledger, in each format (process start, reading
# the ledger from the database, building, writing the file). Prints the median of RUNS runs.
# The 10,000-task ledger is the seed's tasks repeated and numbered on (made with python3); its
# import time is printed too.
#   bash bench/notice.sh            RUNS=5 bash bench/notice.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
cargo build --release --locked -q -p duban-cli
bin=$PWD/target/release/duban
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ledger="2023年《政府工作报告》重点工作"

seconds() { # command… → elapsed seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

db=$work/notice.db
"$bin" --db "$db" init >/dev/null
"$bin" --db "$db" import fixtures/progress-2023-08-linzi.txt >/dev/null 2>&1
"$bin" --db "$db" tasks --ledger "$ledger" --json > "$work/seed.json"
python3 - "$work/seed.json" "$work/large.json" <<'PY'
import json, sys
seed = json.load(open(sys.argv[1]))
tasks = []
for i in range(10000):
    t = dict(seed["tasks"][i % len(seed["tasks"])])
    t["seq"] = i + 1
    if i % 13 == 0:
        t["status"] = "unreported"; t.pop("progress", None)
    tasks.append(t)
seed["ledger"] = "万项任务台账（基准）"
seed["tasks"] = tasks
json.dump(seed, open(sys.argv[2], "w"), ensure_ascii=False)
PY
t=$(seconds "$bin" --db "$db" import "$work/large.json")
printf 'import of the 10,000-task ledger JSON: %.2f s\n\n' "$t"

printf '%-8s %-6s %10s %12s %12s\n' tasks format 'median s' 'tasks/s' bytes
for spec in "124|$ledger" "10000|万项任务台账（基准）"; do
  n=${spec%%|*}; name=${spec#*|}
  for format in xlsx docx html md; do
    out=$work/notice.$format
    times=()
    for _ in $(seq 1 "$runs"); do
      times+=("$(seconds "$bin" --db "$db" notice --ledger "$name" --period 2023-08 --date 2023-09-05 -o "$out")")
    done
    m=$(printf '%s\n' "${times[@]}" | median)
    printf '%-8s %-6s %10.3f %12.0f %12d\n' "$n" "$format" "$m" "$(echo "$n / $m" | bc -l)" "$(stat -c %s "$out")"
  done
done
