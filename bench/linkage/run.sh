#!/usr/bin/env bash
# Record-linkage benchmarks (issue #3). Prints Markdown tables for bench/RESULTS.md.
#
# 1. FEBRL4 (link a↔b) and FEBRL3 (dedupe) from ../shared/data/linkage with the
#    settings in this folder: precision, recall, F1, blocking recall, B-cubed, time.
# 2. Generated Indonesian data (`gugus generate`, five agencies) at SIZES records
#    (default 100k, 200k, 300k, 1M): imported into a fresh store, exported, linked
#    with generated.settings.json (the settings `gugus link` uses) and scored
#    against the generator's truth, beside the two spreadsheet baselines (exact NIK;
#    exact name and birth date). Then `gugus link` itself on the store: wall time
#    and peak memory (GNU time).
# 3. Import order (ORDER_SIZES, default 200000): the generated files imported
#    again, agencies reversed and each file's rows shuffled, into a second store;
#    `gugus link --full` on both must give the same persons (import_order.py).
# Usage: bench/linkage/run.sh [BUILD]   (SIZES="200000" to choose)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
GUGUS="$BUILD/gugus"
EVAL="$BUILD/bench/linkage_eval"
DATA=../shared/data/linkage
SIZES=${SIZES:-"100000 200000 300000 1000000"}
work=var/bench/linkage
mkdir -p "$work"

field() { python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"; }

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo "machine: $(nproc) cores, $cpu, $(free -g | awk '/Mem:/ {print $2}') GiB, $(date -u +%Y-%m-%d)"
echo

if [ -d "$DATA" ]; then
  echo "| data set | records | candidate pairs | blocking recall | precision | recall | F1 | B-cubed F1 | seconds |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  out=$("$EVAL" --settings bench/linkage/febrl4.settings.json --truth febrl \
    "$DATA/febrl_dataset4a.csv" "$DATA/febrl_dataset4b.csv")
  echo "$out" | field '"| FEBRL4 a↔b | %d | %d | %.4f | %.4f | %.4f | %.4f | | %.2f |" % (j["records"], j["candidate_pairs"], j["blocking_recall"], j["pairwise"]["precision"], j["pairwise"]["recall"], j["pairwise"]["f1"], j["seconds"]["total"])'
  out=$("$EVAL" --settings bench/linkage/febrl3.settings.json --truth febrl "$DATA/febrl_dataset3.csv")
  echo "$out" | field '"| FEBRL3 dedupe | %d | %d | %.4f | %.4f | %.4f | %.4f | %.4f | %.2f |" % (j["records"], j["candidate_pairs"], j["blocking_recall"], j["pairwise"]["precision"], j["pairwise"]["recall"], j["pairwise"]["f1"], j["bcubed"]["f1"], j["seconds"]["total"])'
  echo
fi

echo "| records | true persons | persons counted: gugus / exact NIK / exact name+birth | B-cubed F1: gugus / NIK / name+birth | gugus B-cubed P / R | pairs F1 | candidate pairs | blocking recall | linkage s | pairs/s/core | gugus link s | peak MiB |"
echo "|---:|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
for size in $SIZES; do
  # About 1.7 records per person with five agencies.
  persons=$((size * 10 / 17))
  dir="$work/gen-$size"
  if [ ! -f "$dir/export.csv" ]; then
    rm -rf "$dir"
    "$GUGUS" generate --agencies 5 --persons "$persons" --seed 11 --out "$dir" >/dev/null
    db="$dir/gugus.db"
    "$GUGUS" --db "$db" init >/dev/null
    tail -n +2 "$dir/agencies.csv" | while IFS=, read -r code name type region file; do
      "$GUGUS" --db "$db" agency add "$code" --name "$name" --type "$type" --region "$region" >/dev/null
      "$GUGUS" --db "$db" import "$dir/$file" --agency "$code" --json >/dev/null
    done
    "$GUGUS" --db "$db" export records --format csv >"$dir/export.csv"
  fi
  # A store kept from an earlier run is brought up to the current schema.
  "$GUGUS" --db "$dir/gugus.db" init >/dev/null
  out=$("$EVAL" --settings bench/linkage/generated.settings.json --truth "file:$dir/truth.csv" "$dir/export.csv")
  cp "$dir/gugus.db" "$work/link.db"
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$GUGUS" --db "$work/link.db" link --full --json >/dev/null
  read -r secs rss <"$work/time.txt"
  echo "$out" | field "'| %d | %d | %d / %d / %d | %.3f / %.3f / %.3f | %.3f / %.3f | %.3f | %d | %.3f | %.1f | %.0f | $secs | %d |' % (j['records'], j['true_persons'], j['persons'], j['baselines']['exact_nik']['persons'], j['baselines']['exact_name_birth_date']['persons'], j['bcubed']['f1'], j['baselines']['exact_nik']['bcubed']['f1'], j['baselines']['exact_name_birth_date']['bcubed']['f1'], j['bcubed']['precision'], j['bcubed']['recall'], j['pairwise']['f1'], j['candidate_pairs'], j['blocking_recall'], j['seconds']['total'], j['pairs_per_second_per_core'], $rss / 1024)"
done

# Issue 19: the same files imported in another order (agencies the other way
# round, each file's rows shuffled) must give the same persons. ORDER_SIZES: the
# generated sizes to check (each costs a second import and two `gugus link --full`).
ORDER_SIZES=${ORDER_SIZES:-200000}
if [ -n "$ORDER_SIZES" ]; then
  echo
  echo "| records | persons: files in order | persons: reversed, rows shuffled | records whose person differs | identical |"
  echo "|---:|---:|---:|---:|---|"
  for size in $ORDER_SIZES; do
    dir="$work/gen-$size"
    [ -f "$dir/export.csv" ] || continue
    other="$work/order-$size"
    rm -rf "$other"
    python3 bench/linkage/import_order.py shuffle "$dir" "$other" 19
    "$GUGUS" --db "$other/gugus.db" init >/dev/null
    tail -n +2 "$dir/agencies.csv" | tac | while IFS=, read -r code name type region file; do
      "$GUGUS" --db "$other/gugus.db" agency add "$code" --name "$name" --type "$type" --region "$region" >/dev/null
      "$GUGUS" --db "$other/gugus.db" import "$other/$file" --agency "$code" --json >/dev/null
    done
    cp "$dir/gugus.db" "$other/in-order.db"
    for db in "$other/in-order.db" "$other/gugus.db"; do
      "$GUGUS" --db "$db" link --full --json >/dev/null
      "$GUGUS" --db "$db" export links >"$db.links.csv"
    done
    python3 bench/linkage/import_order.py compare "$other/in-order.db.links.csv" "$other/gugus.db.links.csv" || true
  done
fi
