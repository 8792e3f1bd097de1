#!/usr/bin/env bash
# Scale (issue 22): ledgers of 10,000 and 100,000 tasks (SIZES="10000 100000 1000000" for a
# million), generated, imported into a fresh database (rate and peak memory of the import
# process), then served: the latency of one request to each page and API call (median of 5,
# process warm), requests per second at 64 connections (wrk) for the dashboard, the ledger page,
# a filtered ledger page, the task list API, a unit reporter's own list and a static asset of the
# same server, and the server's memory after the load. On SQLite, and on PostgreSQL when DATABASE_URL names a server.
#
# Usage: bash bench/scale.sh [seconds per wrk run, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
command -v wrk >/dev/null || { echo "bench/scale.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
cargo build --release --locked -q -p duban-cli
bin=$PWD/target/release/duban
sizes=${SIZES:-10000 100000}
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export DUBAN_DEMO_PASSWORD=bench-password-1
pg_server=${DATABASE_URL:-}
unset DATABASE_URL
port=18991
base=http://127.0.0.1:$port

generate() { # generate N FILE: a ledger of N tasks, written as it is made
  python3 - "$1" "$2" <<'PY'
import json, random, sys
random.seed(11)
n, path = int(sys.argv[1]), sys.argv[2]
units = [f"区第{i}局" for i in range(1, 201)]
leaders = [f"领导{i}" for i in range(1, 31)]
statuses = ["done"] * 80 + ["partial"] * 12 + ["not_done"] * 5 + ["unreported"] * 3
with open(path, "w") as out:
    out.write('{"ledger": "2026年重点工作（规模测试）", "period": "2026-09", '
              '"columns": ["goal", "target", "progress", "leaders", "units"], "tasks": [')
    for seq in range(1, n + 1):
        lead, *support = random.sample(units, 3)
        status = random.choice(statuses)
        task = {
            "seq": seq,
            "goal": f"第{seq}项：新增市场主体{random.randint(100, 9999)}户，固定资产投资增长{random.randint(3, 15)}%以上，推进重点项目建设。",
            "target": f"9月份完成年度投资计划的{random.randint(50, 80)}%。",
            "status": status,
            "leaders": random.sample(leaders, 2),
            "units": [{"name": lead, "role": "lead"}] + [{"name": u, "role": "support"} for u in support],
        }
        if status != "unreported":
            task["progress"] = f"截至9月底，完成投资{random.randint(1, 90)}.{random.randint(0, 9)}亿元，占年度计划的{random.randint(40, 95)}%。"
        out.write(("," if seq > 1 else "") + json.dumps(task, ensure_ascii=False))
    out.write("]}")
PY
}

start() { # start DB-ARGS...
  "$bin" "$@" demo --bind 127.0.0.1:$port >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do curl -fso /dev/null "$base/login" && return 0; sleep 0.1; done
  cat "$work/server.log" >&2; exit 1
}
stop() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=; }

login() { # login LOGIN: the session cookie
  curl -fs -c "$work/cookies" -H 'content-type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"$DUBAN_DEMO_PASSWORD\"}" "$base/api/login" >/dev/null
  awk '$6 == "duban_session" { print "duban_session=" $7 }' "$work/cookies"
}

latency() { # latency PATH: the median of 5 requests, in ms
  local times=()
  for _ in 1 2 3 4 5; do
    times+=("$(curl -fso /dev/null -w '%{time_total}' -H "Cookie: $cookie" "$base$1")")
  done
  printf '%s\n' "${times[@]}" | sort -g | sed -n 3p | awk '{ printf "%.1f", $1 * 1000 }'
}

rps() { # rps PATH: requests per second at 64 connections
  wrk -t2 -c64 -d"${seconds}s" --timeout 30s -H "Cookie: $cookie" "$base$1" \
    | awk '/^Requests\/sec/ { printf "%.0f", $2 }'
}

printf '%-10s %8s %10s %9s | %-28s %9s %9s | %s\n' backend tasks import/s "peak MB" request "ms" "req/s" "server MB"
run() { # run BACKEND DB-ARGS...
  local backend=$1; shift
  for size in $sizes; do
    file=$work/ledger-$size.json
    [ -f "$file" ] || generate "$size" "$file"
    # The demo's accounts first (the server seeds them into the fresh database), then the
    # ledger, imported by its own process while the server waits.
    start "$@"
    /usr/bin/time -f '%e %M' -o "$work/time" "$bin" "$@" import "$file" >/dev/null
    read -r secs kb <"$work/time"
    rate=$(python3 -c "print(round($size / max($secs, 0.001)))")
    peak=$(( kb / 1024 ))
    # A reporter of one of the 200 units, for the unit's own list (about 1.5 % of the tasks).
    echo "$DUBAN_DEMO_PASSWORD" | "$bin" "$@" account create --name 规模填报人 --role reporter \
      --unit 区第7局 scale-tb >/dev/null
    office=$(login ducha)
    unit=$(login scale-tb)
    ledger=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "2026年重点工作（规模测试）")
    static=/assets/app.css
    first=1
    for entry in \
      "dashboard|/?ledger=$ledger" \
      "ledger page|/ledger?ledger=$ledger" \
      "ledger page 500|/ledger?ledger=$ledger&page=500" \
      "filtered ledger page|/ledger?ledger=$ledger&status=partial&unit=%E5%8C%BA%E7%AC%AC7%E5%B1%80" \
      "task list API|/api/ledgers/$ledger/tasks?limit=100&status=partial&after=$((size / 2))" \
      "unit's task list|/my?ledger=$ledger" \
      "static asset|$static"; do
      label=${entry%%|*}; path=${entry#*|}
      case "$label" in
        "unit's task list") cookie=$unit ;;
        *) cookie=$office ;;
      esac
      ms=$(latency "$path")
      case "$label" in
        "ledger page 500") r=- ;;
        *) r=$(rps "$path") ;;
      esac
      rss=$(( $(awk '/VmRSS/ { print $2 }' "/proc/$server_pid/status") / 1024 ))
      if [ $first = 1 ]; then
        printf '%-10s %8s %10s %9s | %-28s %9s %9s | %s\n' "$backend" "$size" "$rate" "$peak" "$label" "$ms" "$r" "$rss"
        first=0
      else
        printf '%-10s %8s %10s %9s | %-28s %9s %9s | %s\n' "" "" "" "" "$label" "$ms" "$r" "$rss"
      fi
    done
    stop
    case "$backend" in
      SQLite) rm -f "$work"/scale.db* ;;
      PostgreSQL) psql -q "$admin_url" -c "drop database if exists duban_scale with (force)" -c "create database duban_scale" ;;
    esac
  done
}

run SQLite --db "$work/scale.db"
if [ -n "$pg_server" ]; then
  admin_url=$pg_server
  psql -q "$admin_url" -c "drop database if exists duban_scale with (force)" -c "create database duban_scale"
  run PostgreSQL --database-url "${pg_server%/*}/duban_scale"
  psql -q "$admin_url" -c "drop database if exists duban_scale with (force)"
else
  echo "PostgreSQL: skipped (DATABASE_URL not set)"
fi
