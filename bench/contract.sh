#!/usr/bin/env bash
# The API against its own OpenAPI document (generated from the handlers, /api/openapi.json) with schemathesis from
# PyPI: the release demo server on a fresh SQLite database, logged in as the office (session
# cookie and CSRF header), every operation generated from the schema. Checks: no server error
# (5xx) and every response inside its documented schema. Prints schemathesis' summary; exits
# non-zero when either check fails.
#   bash bench/contract.sh [MAX_EXAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v schemathesis >/dev/null || pip install -q schemathesis
cargo build --release --locked -q -p duban-cli
work=$(mktemp -d)
port=18$((RANDOM % 900 + 100))
DUBAN_DEMO_PASSWORD=contract-check-123 ./target/release/duban --db "$work/duban.db" demo \
  --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/login" >/dev/null && break; sleep 0.2; done
login=$(curl -sf -c "$work/cookies" -H 'Content-Type: application/json' \
  -d '{"login":"ducha","password":"contract-check-123"}' "http://127.0.0.1:$port/api/login")
csrf=$(echo "$login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
token=$(awk '$6 == "duban_session" {print $7}' "$work/cookies")
# Logging out would end the session the rest of the run uses.
schemathesis run "http://127.0.0.1:$port/api/openapi.json" --url "http://127.0.0.1:$port" \
  -H "Cookie: duban_session=$token" -H "X-CSRF-Token: $csrf" \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples "${1:-25}" --exclude-path /api/logout --seed 20261201
