#!/usr/bin/env bash
# Assessment of the 2023 monthly table (124 tasks with the office's own statuses): the agreement
# table (recorded status × suggested status), the share of tasks judged, every disagreement with
# its evidence, and the time taken, with the release binary on a fresh SQLite database. The
# assessor never sees the recorded statuses: it judges by figures against the milestone and, where
# they cannot, by what the progress text states (已建成 / 尚未 / 正在 …).
#   bash bench/assess.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q -p duban-cli
bin=$PWD/target/release/duban
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ledger="2023年《政府工作报告》重点工作"
"$bin" --db "$work/a.db" init >/dev/null
"$bin" --db "$work/a.db" import fixtures/progress-2023-08-linzi.txt >/dev/null 2>&1
start=$(date +%s.%N)
"$bin" --db "$work/a.db" assess --ledger "$ledger" --summary
end=$(date +%s.%N)
printf '\nassess (124 tasks, end to end): %.3f s\n\nDisagreements and their evidence:\n' "$(echo "$end - $start" | bc -l)"
"$bin" --db "$work/a.db" assess --ledger "$ledger" --json | python3 -c '
import json, sys
for a in json.load(sys.stdin):
    if a["review"]:
        print("序号 %s: 记录 %s, 建议 %s" % (a["seq"], a["recorded"], a["suggested"]))
        for e in a["evidence"]:
            print("    %s  ←  %s  met=%s" % (e["target"], e["reported"], e["met"]))
        for s in a.get("statements", []):
            print("    “%s” (%s) in: %s" % (s["phrase"], s["says"], s["clause"]))
'
