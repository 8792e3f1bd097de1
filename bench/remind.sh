#!/usr/bin/env bash
# Reminders: one `duban remind run` pass over the 2023 table (124 tasks, 54 units) with a
# DingTalk-style robot channel for every unit, all answered by a local receiver (bench/robot.py),
# and the same pass again the same day (nothing new to send). Release binary, median of 5 runs,
# process start included; peak RSS from GNU time. SQLite by default; DATABASE_URL for PostgreSQL.
#   bash bench/remind.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q -p duban-cli
bin=$PWD/target/release/duban
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 bench/robot.py "$port" >"$work/robot.log" 2>&1 &
robot=$!
trap 'kill $robot 2>/dev/null; rm -rf "$work"' EXIT
db=(--db "$work/bench.db")
[ -n "${DATABASE_URL:-}" ] && db=()
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { /usr/bin/time -f '%e %M' -o "$work/t" "$@" >"$work/out" 2>/dev/null; cat "$work/t"; }

"$bin" "${db[@]}" init >/dev/null
"$bin" "${db[@]}" import fixtures/progress-2023-08-linzi.txt >/dev/null 2>&1
units=$("$bin" "${db[@]}" units --json | python3 -c 'import json,sys; print("\n".join(u["name"] for u in json.load(sys.stdin)))')
n=0
while IFS= read -r unit; do
  "$bin" "${db[@]}" notify channel add --unit "$unit" --dingtalk "http://127.0.0.1:$port/robot/send?access_token=$n" --secret "SEC$n" >/dev/null
  n=$((n + 1))
done <<<"$units"

printf '%-44s %10s %9s\n' "pass (release, median of 5, $n channels)" "seconds" "peak MB"
for day in 2023-10-11 2023-10-12 2023-10-13 2023-10-16 2023-10-17; do
  measure "$bin" "${db[@]}" remind run --at "$day" --json
done >"$work/first"
sent=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sent"])' "$work/out")
printf '%-44s %10s %9.1f\n' "first pass of a day ($sent digests sent)" \
  "$(cut -d' ' -f1 "$work/first" | median)" "$(cut -d' ' -f2 "$work/first" | median | awk '{print $1/1024}')"
for _ in 1 2 3 4 5; do measure "$bin" "${db[@]}" remind run --at 2023-10-17T08:00:00Z --json; done >"$work/again"
printf '%-44s %10s %9.1f\n' "same day again (nothing new)" \
  "$(cut -d' ' -f1 "$work/again" | median)" "$(cut -d' ' -f2 "$work/again" | median | awk '{print $1/1024}')"
echo "robot received $(wc -l <"$work/robot.log") messages"
