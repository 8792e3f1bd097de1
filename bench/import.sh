#!/usr/bin/env bash
# Import benchmark: the 124-task PDF-text notice into a fresh SQLite database, end to end
# (process start, decode, table reconstruction, one transaction), with the release binary.
# Prints a table of runs, the median time and rows per second.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-10}
file=${1:-fixtures/progress-2023-08-linzi.txt}
cargo build --release --locked -q -p duban-cli
bin=target/release/duban
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rows=$("$bin" --db "$work/count.db" import "$file" --dry-run --json 2>/dev/null | grep -c '"seq"')
printf '%-5s %10s %12s\n' run seconds rows/s
times=()
for i in $(seq 1 "$runs"); do
  db="$work/run$i.db"
  "$bin" --db "$db" init >/dev/null
  start=$(date +%s.%N)
  "$bin" --db "$db" import "$file" >/dev/null 2>&1
  end=$(date +%s.%N)
  t=$(echo "$end - $start" | bc -l)
  times+=("$t")
  printf '%-5s %10.4f %12.0f\n' "$i" "$t" "$(echo "$rows / $t" | bc -l)"
done
median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
printf 'file %s: %d rows, median %.4f s, %.0f rows/s\n' "$file" "$rows" "$median" "$(echo "$rows / $median" | bc -l)"
