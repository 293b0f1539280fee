#!/usr/bin/env bash
# `make bench`: the import benchmark of issue #2 and the parser micro-benchmarks.
#
# 1. Generates ROWS (default 1,000,000) synthetic interchange-format rows in one file
#    (one agency, so every person appears once), cached under var/bench/.
# 2. Imports it into a fresh database with `gugus import --json`: rows/s validated
#    and stored, and peak memory (GNU time's maximum resident set size).
# 3. Loads the same file with the sqlite3 shell's `.import` into a fresh database:
#    the near-limit reference (no parsing, no validation, no versioning).
# 4. Runs the parser micro-benchmarks (Google Benchmark).
# Prints a Markdown table to paste into bench/RESULTS.md, with the machine named.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
GUGUS="$BUILD/gugus"
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
work=var/bench
mkdir -p "$work"

data="$work/gen-$ROWS"
if [ ! -f "$data/agencies.csv" ]; then
  echo "generating $ROWS rows into $data ..."
  "$GUGUS" generate --agencies 1 --persons "$ROWS" --seed 1 --invalid-share 0.01 --out "$data"
fi
file="$data/$(awk -F, 'NR==2 {print $5}' "$data/agencies.csv")"
code=$(awk -F, 'NR==2 {print $1}' "$data/agencies.csv")
type=$(awk -F, 'NR==2 {print $3}' "$data/agencies.csv")
region=$(awk -F, 'NR==2 {print $4}' "$data/agencies.csv")
rows=$(($(wc -l <"$file") - 1))
size_mb=$(du -m "$file" | cut -f1)

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "importing $file ($rows lines, ${size_mb} MB) $RUNS times ..."
secs=(); rss=()
for i in $(seq "$RUNS"); do
  db="$work/import.db"
  rm -f "$db" "$db-wal" "$db-shm"
  "$GUGUS" --db "$db" init >/dev/null
  "$GUGUS" --db "$db" agency add "$code" --name bench --type "$type" --region "$region" >/dev/null
  /usr/bin/time -f "%e %M" -o "$work/time.txt" \
    "$GUGUS" --db "$db" import "$file" --agency "$code" --json >"$work/import.json"
  read -r s m <"$work/time.txt"
  secs+=("$s"); rss+=("$m")
done
cat "$work/import.json"
imported=$(sed -E 's/.*"rows":([0-9]+).*/\1/' "$work/import.json")
med_s=$(printf '%s\n' "${secs[@]}" | median)
med_rss=$(printf '%s\n' "${rss[@]}" | median)

echo "sqlite3 .import of the same file $RUNS times ..."
ssecs=()
for i in $(seq "$RUNS"); do
  ref="$work/sqlite-import.db"
  rm -f "$ref"
  sep=","
  head -c 4096 "$file" | head -1 | grep -q ';' && sep=";"
  head -c 4096 "$file" | head -1 | grep -q $'\t' && sep=$'\t'
  /usr/bin/time -f "%e" -o "$work/time.txt" \
    sqlite3 "$ref" -cmd "PRAGMA journal_mode=WAL" ".mode csv" ".separator \"$sep\"" \
    ".import '$file' rows" >/dev/null 2>&1 || true
  ssecs+=("$(tail -1 "$work/time.txt")")
  srows=$(sqlite3 "$ref" "SELECT count(*) FROM rows")
done
med_ss=$(printf '%s\n' "${ssecs[@]}" | median)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo
echo "machine: $(nproc) cores, $cpu, $(free -g | awk '/Mem:/ {print $2}') GiB, $(date -u +%Y-%m-%d)"
echo
echo "| what | rows | median seconds ($RUNS runs) | rows/s | peak RSS |"
echo "|---|---|---|---|---|"
awk -v r="$imported" -v s="$med_s" -v m="$med_rss" 'BEGIN {printf "| gugus import (validated, stored) | %d | %.2f | %.0f | %.0f MiB |\n", r, s, r/s, m/1024}'
awk -v r="$srows" -v s="$med_ss" 'BEGIN {printf "| sqlite3 .import (reference) | %d | %.2f | %.0f | |\n", r, s, r/s}'
echo

# The Google Benchmark programs (person_search_bench is not one: it needs a linked
# store and has its own script, bench/person/run.sh).
"$BUILD/bench/parsers_bench" --benchmark_min_time=0.2
