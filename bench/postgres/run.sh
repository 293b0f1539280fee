#!/usr/bin/env bash
# PostgreSQL benchmarks of issue 20, on one machine, side by side:
#
# 1. Import: ROWS (default 1,000,000) generated rows of one agency (the file of
#    `make bench`, cached under var/bench/) imported by `gugus import` into a fresh
#    PostgreSQL database, beside `psql \copy` of the same file into a table of text
#    columns (the near-limit reference: no parsing, no validation, no versions).
# 2. Linkage and statistics (LINK=1, the default): the five agencies' files of the
#    linkage benchmark (var/bench/linkage/gen-$LINK_SIZE, made by
#    `make bench-linkage` when missing) imported, then `gugus link --full` and
#    `gugus stats --by origin_province,report_year,sex`, wall time and peak memory.
#
# The server: GUGUS_BENCH_POSTGRES (a libpq URL of a server whose user may create
# databases), or else a throwaway cluster made by pg_virtualenv with fsync on and
# the settings a deployment would have (shared_buffers=2GB, max_wal_size=8GB).
# Prints Markdown tables for bench/RESULTS.md, with the machine named.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
export BUILD
. bench/postgres/server.sh

GUGUS="$BUILD/gugus"
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
LINK=${LINK:-1}
LINK_SIZE=${LINK_SIZE:-1000000}
server=$GUGUS_BENCH_POSTGRES
work=var/bench
mkdir -p "$work"

# A database of its own for each run: its URL.
fresh_db() {
  local name=$1
  psql -q -X -d postgres -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >&2
  if [ "$server" = "postgresql:" ]; then echo "postgresql:///$name"; else echo "$server/$name"; fi
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

data="$work/gen-$ROWS"
if [ ! -f "$data/agencies.csv" ]; then
  echo "generating $ROWS rows into $data ..."
  "$GUGUS" generate --agencies 1 --persons "$ROWS" --seed 1 --invalid-share 0.01 --out "$data"
fi
IFS=, read -r code _ type region fname < <(sed -n 2p "$data/agencies.csv")
file="$data/$fname"
rows=$(($(wc -l <"$file") - 1))

echo "importing $file ($rows lines) into PostgreSQL $RUNS times ..."
secs=(); rss=()
for i in $(seq "$RUNS"); do
  db=$(fresh_db gugus_bench_import)
  "$GUGUS" --db "$db" init >/dev/null
  "$GUGUS" --db "$db" agency add "$code" --name bench --type "$type" --region "$region" >/dev/null
  /usr/bin/time -f "%e %M" -o "$work/time.txt" \
    "$GUGUS" --db "$db" import "$file" --agency "$code" --json >"$work/import.json"
  read -r s m <"$work/time.txt"
  secs+=("$s"); rss+=("$m")
done
imported=$(sed -E 's/.*"rows":([0-9]+).*/\1/' "$work/import.json")
med_s=$(printf '%s\n' "${secs[@]}" | median)
med_rss=$(printf '%s\n' "${rss[@]}" | median)

echo "psql \\copy of the same file $RUNS times ..."
sep=","
head -1 "$file" | grep -q ';' && sep=";"
head -1 "$file" | grep -q $'\t' && sep=$'\t'
encoding=UTF8
iconv -f UTF-8 -t UTF-8 "$file" >/dev/null 2>&1 || encoding=WIN1252
columns=$(head -1 "$file" | awk -F"$sep" '{for (i = 1; i <= NF; i++) printf "%sc%d text", (i > 1 ? ", " : ""), i}')
csecs=()
for i in $(seq "$RUNS"); do
  db=$(fresh_db gugus_bench_copy)
  psql -q -X "$db" -c "CREATE TABLE rows ($columns)"
  /usr/bin/time -f "%e" -o "$work/time.txt" \
    psql -q -X "$db" -c "\\copy rows FROM '$file' WITH (FORMAT csv, HEADER true, DELIMITER E'$sep', ENCODING '$encoding')"
  csecs+=("$(tail -1 "$work/time.txt")")
  crows=$(psql -X -At "$db" -c "SELECT count(*) FROM rows")
done
med_cs=$(printf '%s\n' "${csecs[@]}" | median)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
pgv=$(psql -X -At -d postgres -c "SHOW server_version")
echo
echo "machine: $(nproc) cores, $cpu, $(free -g | awk '/Mem:/ {print $2}') GiB, PostgreSQL $pgv, $(date -u +%Y-%m-%d)"
echo
echo "| what | rows | median seconds ($RUNS runs) | rows/s | peak RSS |"
echo "|---|---|---|---|---|"
awk -v r="$imported" -v s="$med_s" -v m="$med_rss" 'BEGIN {printf "| gugus import on PostgreSQL (validated, stored) | %d | %.2f | %.0f | %.0f MiB |\n", r, s, r/s, m/1024}'
awk -v r="$crows" -v s="$med_cs" 'BEGIN {printf "| psql \\copy (reference) | %d | %.2f | %.0f | |\n", r, s, r/s}'
awk -v a="$med_s" -v b="$med_cs" -v r="$imported" -v c="$crows" 'BEGIN {printf "\ngugus imports at %.0f %% of \\copy'"'"'s rate.\n", 100 * (r/a) / (c/b)}'
echo "import runs: ${secs[*]} s; \\copy runs: ${csecs[*]} s"

[ "$LINK" = 1 ] || exit 0
dir="$work/linkage/gen-$LINK_SIZE"
if [ ! -f "$dir/agencies.csv" ]; then
  SIZES=$LINK_SIZE ORDER_SIZES= bash bench/linkage/run.sh "$BUILD"
fi
db=$(fresh_db gugus_bench_link)
"$GUGUS" --db "$db" init >/dev/null
start=$(date +%s.%N)
tail -n +2 "$dir/agencies.csv" | while IFS=, read -r code name type region file; do
  "$GUGUS" --db "$db" agency add "$code" --name "$name" --type "$type" --region "$region" >/dev/null
  "$GUGUS" --db "$db" import "$dir/$file" --agency "$code" --json >/dev/null
done
import_s=$(echo "$(date +%s.%N) - $start" | bc)
/usr/bin/time -f "%e %M" -o "$work/time.txt" "$GUGUS" --db "$db" link --full >"$work/link.txt"
read -r link_s link_m <"$work/time.txt"
persons=$(grep -m1 -oE '^[0-9]+ persons' "$work/link.txt" | cut -d' ' -f1)
/usr/bin/time -f "%e %M" -o "$work/time.txt" \
  "$GUGUS" --db "$db" stats --by origin_province,report_year,sex --format csv >/dev/null
read -r first_s first_m <"$work/time.txt"
ssecs=()
for i in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %M" -o "$work/time.txt" \
    "$GUGUS" --db "$db" stats --by origin_province,report_year,sex --format csv >/dev/null
  read -r s stats_m <"$work/time.txt"
  ssecs+=("$s")
done
echo
echo "| $LINK_SIZE-record linkage store on PostgreSQL | seconds | peak RSS |"
echo "|---|---|---|"
printf '| import of the five agencies'"'"' files | %.1f | |\n' "$import_s"
printf '| `gugus link --full` (%s persons) | %.1f | %.0f MiB |\n' "$persons" "$link_s" "$(echo "$link_m / 1024" | bc)"
printf '| first `gugus stats` (derives the facts) | %.2f | %.0f MiB |\n' "$first_s" "$(echo "$first_m / 1024" | bc)"
printf '| `gugus stats --by origin_province,report_year,sex` (median of %s) | %.2f | %.0f MiB |\n' "$RUNS" "$(printf '%s\n' "${ssecs[@]}" | median)" "$(echo "$stats_m / 1024" | bc)"
