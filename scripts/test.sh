#!/usr/bin/env bash
# The test command (README). Runs every test of the workspace. PostgreSQL tests run against the
# server DATABASE_URL points at (each test makes and drops its own database); without it they
# print "SKIPPED (PostgreSQL)", and with DUBAN_REQUIRE_POSTGRES=1 a missing server fails instead.
# Ends with one line adding up all test binaries: "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DATABASE_URL:-}" ]; then
  echo "note: DATABASE_URL is not set; PostgreSQL tests will be skipped" >&2
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --workspace --all-targets --locked "$@" 2>&1 | tee "$log" || status=$?
skipped=$(grep -c '^SKIPPED' "$log" || true)
awk -v skipped="$skipped" '
  /^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
  END { line = sprintf("tests: %d passed, %d failed", p - skipped, f); if (skipped > 0) line = line sprintf(", %d skipped", skipped); print line }
' "$log"
exit "$status"
