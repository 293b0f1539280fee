#!/usr/bin/env bash
# Person facts against the generator's truth (issue 19): for each size, generated
# multi-agency files are imported into a fresh store and linked; `gugus stats --by
# origin_province` is then compared, province by province, with the true persons
# that some record places (bench/facts/check.py says how). Prints Markdown for
# bench/RESULTS.md; exit status 1 when a figure misses its bar.
# Usage: bench/facts/run.sh [BUILD]   (PERSONS="3000 60000" SEED=5 to choose)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
GUGUS="$BUILD/gugus"
PERSONS=${PERSONS:-"3000 60000"}
SEED=${SEED:-5}
work=var/bench/facts
mkdir -p "$work"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo "machine: $(nproc) cores, $cpu, $(free -g | awk '/Mem:/ {print $2}') GiB, $(date -u +%Y-%m-%d)"
status=0
for persons in $PERSONS; do
  dir="$work/gen-$persons-$SEED"
  db="$dir/gugus.db"
  rm -rf "$dir"
  "$GUGUS" generate --agencies 5 --persons "$persons" --seed "$SEED" --out "$dir" >/dev/null
  "$GUGUS" --db "$db" init >/dev/null
  tail -n +2 "$dir/agencies.csv" | while IFS=, read -r code name type region file; do
    "$GUGUS" --db "$db" agency add "$code" --name "$name" --type "$type" --region "$region" >/dev/null
    "$GUGUS" --db "$db" import "$dir/$file" --agency "$code" --json >/dev/null
  done
  "$GUGUS" --db "$db" link --json >/dev/null
  "$GUGUS" --db "$db" export records --format csv >"$dir/export.csv"
  "$GUGUS" --db "$db" export links --format csv >"$dir/links.csv"
  "$GUGUS" --db "$db" stats --by origin_province --k 1 --totals --format json >"$dir/stats.json"
  echo
  echo "#### $persons generated persons (seed $SEED)"
  echo
  python3 bench/facts/check.py "$dir" "$dir/export.csv" "$dir/links.csv" "$dir/stats.json" || status=1
done
exit $status
