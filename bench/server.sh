#!/usr/bin/env bash
# Load on the web server: requests per second and p99 latency at 64 concurrent connections for
# the dashboard (/), the ledger table (/ledger) and the task API (/api/tasks/ID), logged in as
# the office, with the demo's 124-task ledger and with a generated 10,000-task ledger, on SQLite
# and on PostgreSQL (DATABASE_URL's server; skipped without it).
#
# Then, at 124 tasks, a cheap request (/api/me: one session lookup) alone and while eight clients
# log in without pause (each login is an argon2 check of tens of milliseconds): it shows whether
# password checks hold up other people's requests.
#
# Load generator: wrk (Debian package), on the same machine as the server: the figures are the
# two sharing its cores. Usage: bash bench/server.sh [seconds per run, default 10]
# SIZES="124" limits the ledger sizes; DUBAN_BIN benchmarks another build of duban (to compare).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
command -v wrk >/dev/null || { echo "bench/server.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
if [ -n "${DUBAN_BIN:-}" ]; then
  bin=$DUBAN_BIN
else
  cargo build --release --locked -q -p duban-cli
  bin=$PWD/target/release/duban
fi
sizes=${SIZES:-124 10000}
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export DUBAN_DEMO_PASSWORD=bench-password-1
# duban reads DATABASE_URL itself: keep it for the PostgreSQL runs only, passed explicitly.
pg_server=${DATABASE_URL:-}
unset DATABASE_URL

# A 10,000-task ledger in the ledger JSON: 40 units, 15 leaders, every task with a target and
# a progress text of realistic length, statuses spread as in the 2023 table.
python3 - "$work/big.json" <<'PY'
import json, random, sys
random.seed(7)
units = [f"区第{i}局" for i in range(1, 41)]
leaders = [f"领导{i}" for i in range(1, 16)]
statuses = ["done"] * 85 + ["partial"] * 10 + ["not_done"] * 5
tasks = []
for seq in range(1, 10001):
    lead, *support = random.sample(units, 3)
    tasks.append({
        "seq": seq,
        "goal": f"第{seq}项：新增市场主体{random.randint(100, 9999)}户，固定资产投资增长{random.randint(3, 15)}%以上，推进重点项目建设。",
        "target": f"9月份新增市场主体{random.randint(10, 999)}户，完成年度投资计划的{random.randint(50, 80)}%。",
        "status": random.choice(statuses),
        "progress": f"截至9月底，新增市场主体{random.randint(10, 999)}户，完成投资{random.randint(1, 90)}.{random.randint(0, 9)}亿元，占年度计划的{random.randint(40, 95)}%。",
        "leaders": random.sample(leaders, 2),
        "units": [{"name": lead, "role": "lead"}] + [{"name": u, "role": "support"} for u in support],
    })
json.dump({"ledger": "2026年重点工作（压力测试）", "period": "2026-09",
           "columns": ["goal", "target", "progress", "leaders", "units"], "tasks": tasks},
          open(sys.argv[1], "w"), ensure_ascii=False)
PY

port=18990
base=http://127.0.0.1:$port

start() { # start DB-ARGS...
  # The login clients below give each their own address through X-Forwarded-For, so that the
  # login limit (per account and client) does not answer them before the password is checked.
  "$bin" "$@" demo --bind 127.0.0.1:$port --trusted-proxy 127.0.0.1 >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do curl -fso /dev/null "$base/login" && return 0; sleep 0.1; done
  cat "$work/server.log" >&2; exit 1
}
stop() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=; }

login() {
  curl -fs -c "$work/cookies" -H 'content-type: application/json' \
    -d "{\"login\":\"ducha\",\"password\":\"$DUBAN_DEMO_PASSWORD\"}" "$base/api/login" >/dev/null
  awk '$6 == "duban_session" { print "duban_session=" $7 }' "$work/cookies"
}

measure() { # measure LABEL PATH COOKIE
  local out
  # A 30 s timeout so that slow pages are measured rather than dropped as timeouts.
  out=$(wrk -t2 -c64 -d"${seconds}s" --timeout 30s --latency -H "Cookie: $3" "$base$2")
  local rps p99 errors
  rps=$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  errors=$(awk '/Non-2xx/ { print $5 } /Socket errors/ { print }' <<<"$out" | tr '\n' ' ')
  printf '%-11s %-7s %-10s %10s %10s %s\n' "$backend" "$size" "$1" "$rps" "$p99" "${errors:+errors: $errors}"
}

printf '%-11s %-7s %-10s %10s %10s\n' backend tasks page "req/s" "p99"
run() { # run BACKEND DB-ARGS...
  backend=$1; shift
  for size in $sizes; do
    start "$@"
    if [ "$size" = 10000 ]; then
      "$bin" "$@" import "$work/big.json" >/dev/null
    fi
    cookie=$(login)
    ledger=$(curl -fs -H "Cookie: $cookie" "$base/api/ledgers" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["name"])')
    task=$(curl -fs -H "Cookie: $cookie" "$base/api/ledgers/$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$ledger")/sheet" \
      | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["tasks"]))')
    [ "$task" -ge "$size" ] || { echo "expected $size tasks in $ledger, found $task" >&2; exit 1; }
    # A task from the middle of the ledger table (its link on the page holding it).
    middle=$(( (task / 2 + 99) / 100 ))
    task_id=$(curl -fs -H "Cookie: $cookie" "$base/ledger?page=$middle" | grep -o '/tasks/[0-9]*' | head -n 1 | cut -d/ -f3)
    measure dashboard / "$cookie"
    measure ledger /ledger "$cookie"
    measure task-api "/api/tasks/$task_id" "$cookie"
    if [ "$size" = 124 ]; then
      measure cheap /api/me "$cookie"
      login_pids=()
      for i in 1 2 3 4 5 6 7 8; do
        while true; do
          curl -s -o /dev/null -H 'content-type: application/json' -H "X-Forwarded-For: 10.9.0.$i" \
            -d "{\"login\":\"ducha\",\"password\":\"$DUBAN_DEMO_PASSWORD\"}" "$base/api/login"
        done &
        login_pids+=($!)
      done
      sleep 1
      measure cheap+8login /api/me "$cookie"
      kill "${login_pids[@]}" 2>/dev/null || true
      wait "${login_pids[@]}" 2>/dev/null || true
    fi
    stop
    # A fresh database for the next size.
    case "$backend" in
      SQLite) rm -f "$work"/bench.db* ;;
      PostgreSQL) psql -q "$admin_url" -c "drop database if exists duban_bench with (force)" -c "create database duban_bench" ;;
    esac
  done
}

run SQLite --db "$work/bench.db"
if [ -n "$pg_server" ]; then
  admin_url=$pg_server
  psql -q "$admin_url" -c "drop database if exists duban_bench with (force)" -c "create database duban_bench"
  pg_url="${pg_server%/*}/duban_bench"
  run PostgreSQL --database-url "$pg_url"
  psql -q "$admin_url" -c "drop database if exists duban_bench with (force)"
else
  echo "PostgreSQL: skipped (DATABASE_URL not set)"
fi
