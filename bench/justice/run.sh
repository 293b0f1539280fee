#!/usr/bin/env bash
# Cases and suspects against known truth, and the justice benchmarks:
#   bash bench/justice/run.sh [BUILD] [PERSONS]
# generates PERSONS (default 20000) synthetic persons with legal-progress files
# (`gugus generate --legal`), imports everything into a fresh SQLite database
# (GUGUS_BENCH_DB=postgresql://… for PostgreSQL), links, and prints the agency-case
# pairwise F1, the suspect B-cubed F1, the yearly counts beside the truth (eval.py),
# the legal import's rows per second, the time `gugus link` spends on cases and
# suspects, and `gugus justice`'s time.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
PERSONS=${2:-20000}
GUGUS="$BUILD/gugus"
work=${WORK:-var/bench/justice/gen-$PERSONS}
mkdir -p "$work"
if [ ! -f "$work/legal/justice.csv" ]; then
  "$GUGUS" generate --persons "$PERSONS" --agencies 20 --seed 11 --legal --out "$work" >/dev/null
fi
db=${GUGUS_BENCH_DB:-$work/bench.db}
if [[ "$db" != postgresql* ]]; then rm -f "$db" "$db-wal" "$db-shm"; fi
g() { "$GUGUS" --db "$db" "$@"; }
g init >/dev/null
add_and_import() {  # agencies.csv's folder; prints each import's JSON
  tail -n +2 "$1/agencies.csv" | while IFS=, read -r code name type region file; do
    g agency add "$code" --name "$name" --type "$type" --region "$region" >/dev/null 2>&1 || true
    g import "$1/$file" --agency "$code" --json
  done
}
add_and_import "$work" >/dev/null
start=$(date +%s.%N)
add_and_import "$work/legal" > "$work/legal-imports.jsonl"
end=$(date +%s.%N)
python3 - "$work/legal-imports.jsonl" "$start" "$end" <<'PY'
import json, sys
rows = secs = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    rows += r["rows"]; secs += r["seconds"]
wall = float(sys.argv[3]) - float(sys.argv[2])
print(f"legal import: {rows} rows in {secs:.2f} s of import ({rows/secs:,.0f} rows/s); "
      f"{wall:.2f} s wall with process starts")
PY
g link --full --json > "$work/link.json"
python3 -c "
import json; r = json.load(open('$work/link.json')); j = r['justice']
print(f\"link --full: victims {r.get('seconds', 0):.1f} s; cases and suspects {j['seconds']:.2f} s \"
      f\"({j['legal_rows']} rows, {j['agency_cases']} agency cases -> {j['cases']} cases, \"
      f\"{j['suspects']} suspects, {j['review_pairs']} pairs to review)\")"
g export cases --format csv > "$work/cases.out.csv"
g export suspects --format csv > "$work/suspects.out.csv"
g justice --format csv > "$work/justice.out.csv"
for i in 1 2 3; do
  /usr/bin/time -f "%e" -o "$work/justice.time" "$GUGUS" --db "$db" justice --format csv >/dev/null
  echo "gugus justice: $(cat "$work/justice.time") s"
done
python3 bench/justice/eval.py "$work" "$work/cases.out.csv" "$work/suspects.out.csv" \
  "$work/justice.out.csv"
g justice --by agency | tail -n 12
