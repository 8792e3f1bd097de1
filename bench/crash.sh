#!/usr/bin/env bash
# kill -9 cycles (bench/crash.py): the release server under four clients of two units saving
# reports, killed at a random moment, restarted and checked, CYCLES times (default 100). Prints
# acknowledged writes, lost writes, wrong texts and reports in impossible states; exits 1 if any
# write was lost. On SQLite by default; with DATABASE_URL on that PostgreSQL database (which must
# be empty: the demo is seeded into it).
#   bash bench/crash.sh [CYCLES]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q -p duban-cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/crash.py "$PWD/target/release/duban" "$work" "${1:-100}"
