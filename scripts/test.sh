#!/usr/bin/env bash
# The test command (README). Runs every test of the workspace. PostgreSQL tests run against the
# server DATABASE_URL points at (each test makes and drops its own database); without it they
# print "SKIPPED (PostgreSQL)", and with DUBAN_REQUIRE_POSTGRES=1 a missing server fails instead.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DATABASE_URL:-}" ]; then
  echo "note: DATABASE_URL is not set; PostgreSQL tests will be skipped" >&2
fi
cargo test --workspace --locked "$@"
