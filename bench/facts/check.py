#!/usr/bin/env python3
"""Person facts against the generator's truth (issue 19's "Must show").

Reads a generated data set (persons.csv: each true person's origin; truth.csv:
which true person each agency record belongs to), the store's `gugus export
records` and `gugus stats --by origin_province --k 1 --totals --format json`, and prints one
Markdown row per province plus the totals:

- placed: true persons from the province that some imported record places (an
  origin region or a valid NIK, which import keeps only when valid);
- gugus: persons gugus counts under the province (its person facts);
- per record: what counting every record's own origin gave before person facts
  (a person in each province its records name, and under unknown as well when one
  of its records names none), from the same links (`gugus export links`);
- unknown: gugus's `unknown` against the true persons no record places;
- whether every province is within 5 % and unknown at most twice the unplaceable;
- whether the single-valued table's rows add up to its total.
Exit status 0 when all of it holds, 1 otherwise.
Usage: check.py GENERATED_DIR EXPORT.csv LINKS.csv STATS.json
"""
import csv
import json
import sys


def main(gen_dir, export_csv, links_csv, stats_json):
    origin = {}
    with open(f"{gen_dir}/persons.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            origin[row["person_key"]] = row["origin_region"][:2]
    truth = {}
    with open(f"{gen_dir}/truth.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            truth[(row["agency"], row["record_id"])] = row["person_key"]
    linked = {}
    with open(links_csv, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            linked[(row["agency"], row["record_id"])] = row["person_id"]
    placed, seen = set(), set()
    per_record = {}  # gugus person -> provinces its records name ("unknown" too)
    with open(export_csv, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (row["agency"], row["record_id"])
            per_record.setdefault(linked.get(key, key), set()).add(
                row["origin_region"][:2] or "unknown")
            person = truth.get(key)
            if person is None:
                continue
            seen.add(person)
            if row["origin_region"] or row["nik"]:
                placed.add(person)
    before = {}
    for provinces in per_record.values():
        for p in provinces:
            before[p] = before.get(p, 0) + 1
    unplaceable = len(seen - placed)
    truth_by_province = {}
    for person in placed:
        p = origin[person]
        truth_by_province[p] = truth_by_province.get(p, 0) + 1

    with open(stats_json, encoding="utf-8") as f:
        stats = json.load(f)
    counted, total, unknown = {}, None, 0
    for cell in stats["cells"]:
        value = cell["values"]["origin_province"]
        if value == "total":
            total = cell["persons"]
        elif value == "unknown":
            unknown = cell["persons"]
        else:
            counted[value] = cell["persons"]

    ok = True
    print("| province | placed (truth) | gugus | difference | per record (before) |")
    print("|---|---:|---:|---:|---:|")
    worst = 0.0
    for p in sorted(set(truth_by_province) | set(counted)):
        t, g = truth_by_province.get(p, 0), counted.get(p, 0)
        diff = (g - t) / t if t else float("inf") if g else 0.0
        if t >= 50:  # a percentage of a handful says nothing
            worst = max(worst, abs(diff))
            ok &= abs(diff) <= 0.05
        print(f"| {p} | {t} | {g} | {diff:+.1%} | {before.get(p, 0)} |")
    rows_sum = sum(counted.values()) + unknown
    print()
    print(f"- true persons {len(seen)}, placed by some record {len(placed)}, "
          f"unplaceable {unplaceable}")
    print(f"- gugus persons {total}; provinces' rows + unknown = {rows_sum} "
          f"({'add up' if rows_sum == total else 'DO NOT add up'})")
    print(f"- unknown: gugus {unknown} against {unplaceable} unplaceable "
          f"({unknown / max(unplaceable, 1):.2f}x; at most 2x); counting each "
          f"record's own origin gave {before.get('unknown', 0)}, and "
          f"{sum(before.values())} person-cells for {len(per_record)} persons")
    print(f"- largest difference in a province with at least 50 placed persons: "
          f"{worst:.1%} (at most 5 %)")
    ok &= rows_sum == total and unknown <= 2 * unplaceable
    print(f"- {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
