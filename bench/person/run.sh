#!/usr/bin/env bash
# Person search benchmark (domain/person_service.h). Prints a Markdown table for
# bench/RESULTS.md.
#
# Uses the linked store of the 1,000,000-record linkage benchmark
# (var/bench/linkage/link.db, left by `SIZES=1000000 bench/linkage/run.sh`), copied
# (opening it upgrades its schema), then runs build/bench/person_search_bench on it:
# the name index's build time, and QUERIES (default 200) queries of each kind drawn
# from the store with a fixed seed, alone and from two threads at once; GNU time
# gives the peak memory.
# Usage: bench/person/run.sh [BUILD]   (DB=path/to/linked.db to use another store)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
BENCH="$BUILD/bench/person_search_bench"
DB=${DB:-var/bench/linkage/link.db}
QUERIES=${QUERIES:-200}
work=var/bench/person
mkdir -p "$work"
if [ ! -f "$DB" ]; then
  echo "no linked store at $DB: run SIZES=1000000 bench/linkage/run.sh first" >&2
  exit 1
fi
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo "machine: $(nproc) cores, $cpu, $(free -g | awk '/Mem:/ {print $2}') GiB, $(date -u +%Y-%m-%d)"
echo
rm -f "$work/search.db" "$work/search.db-wal" "$work/search.db-shm"
cp "$DB" "$work/search.db"
/usr/bin/time -f "%e %M" -o "$work/time.txt" "$BENCH" "$work/search.db" "$QUERIES" 2
read -r secs rss <"$work/time.txt"
echo
echo "whole run ${secs} s, peak $((rss / 1024)) MiB (the store's page cache included)"
