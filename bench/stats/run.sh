#!/usr/bin/env bash
# Statistics benchmark (`gugus stats`, `gugus report annual`). Prints a Markdown table
# for bench/RESULTS.md.
#
# Uses the linked store of the 1,000,000-record linkage benchmark
# (var/bench/linkage/link.db, left by `SIZES=1000000 bench/linkage/run.sh`), copied
# (opening it upgrades its schema). The first query after new records or links
# refreshes the compact facts table (timed on its own); the others read it. Each
# figure is the median of RUNS (default 7) runs of the real binary, process start and
# database open included.
# Usage: bench/stats/run.sh [BUILD]   (DB=path/to/linked.db to use another store)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
GUGUS="$BUILD/gugus"
DB=${DB:-var/bench/linkage/link.db}
RUNS=${RUNS:-7}
work=var/bench/stats
mkdir -p "$work"
if [ ! -f "$DB" ]; then
  echo "no linked store at $DB: run SIZES=1000000 bench/linkage/run.sh first" >&2
  exit 1
fi
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo "machine: $(nproc) cores, $cpu, $(free -g | awk '/Mem:/ {print $2}') GiB, $(date -u +%Y-%m-%d)"
rm -f "$work/stats.db" "$work/stats.db-wal" "$work/stats.db-shm"
cp "$DB" "$work/stats.db"
db="$work/stats.db"
"$GUGUS" --db "$db" init >/dev/null
records=$(sqlite3 "$db" "SELECT count(*) FROM source_records")
persons=$(sqlite3 "$db" "SELECT count(DISTINCT person_id) FROM person_links")
echo "store: $records source records, $persons persons"
echo

# seconds of one run of "$@" (wall clock), output discarded
one() {
  /usr/bin/time -f "%e" -o "$work/t" "$@" >/dev/null 2>&1
  cat "$work/t"
}
# median wall seconds and peak RSS (MiB) of RUNS runs
median() {
  local times=() rss=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>&1
    read -r s m <"$work/t"
    times+=("$s")
    ((m > rss)) && rss=$m
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v r="$rss" \
    '{a[NR]=$1} END {printf "%.2f s (peak %d MiB)", a[int((NR+1)/2)], r/1024}'
}

echo "| what | time |"
echo "|---|---|"
echo "| first \`gugus stats\` after linking (builds the facts table) | $(one "$GUGUS" --db "$db" stats --by sex) s |"
for by in origin_province,report_year,sex agency,sex,age_group origin_regency,exploitation; do
  echo "| \`gugus stats --by $by --format csv\` | $(median "$GUGUS" --db "$db" stats --by "$by" --format csv) |"
done
echo "| \`gugus reconcile\` | $(median "$GUGUS" --db "$db" reconcile) |"
year=$(sqlite3 "$db" "SELECT substr(max(report_date),1,4) - 1 FROM record_versions")
for ext in xlsx html pdf; do
  echo "| \`gugus report annual --year $year --out FILE.$ext\` (national) | $(median "$GUGUS" --db "$db" report annual --year "$year" --out "$work/annual.$ext") |"
done
echo "| \`gugus report annual --year $year --region 53 --out FILE.pdf\` | $(median "$GUGUS" --db "$db" report annual --year "$year" --region 53 --out "$work/annual-53.pdf") |"
echo
hidden=$("$GUGUS" --db "$db" stats --by origin_province,report_year,sex --format csv | awk -F, 'NR>1 {n++; if ($NF==1) h++} END {printf "%d of %d", h, n}')
echo "suppressed cells (k = 5) in origin_province × report_year × sex: $hidden"
