#!/usr/bin/env python3
"""The import-order check of bench/linkage/run.sh (issue 19).

  import_order.py shuffle GEN_DIR OUT_DIR SEED
      writes each agency file of a `gugus generate` folder to OUT_DIR with its rows
      in a random order (the header first; a record id written twice keeps its
      first entry first, as the import keeps that one and quarantines the repeat)
  import_order.py compare LINKS_A LINKS_B
      compares two `gugus export links` files as partitions of the records
      (persons as sets of (agency, record_id), whatever their ids) and prints
      one line of a Markdown table; exits 1 when they differ
"""
import csv
import os
import random
import sys
from collections import defaultdict


def rows_of(data):
    """A CSV file's rows as bytes, each with its line end: a line break inside
    quotes (an address) stays in its row."""
    rows, pending = [], None
    for line in data.removesuffix(b"\n").split(b"\n"):
        pending = line if pending is None else pending + b"\n" + line
        if pending.count(b'"') % 2 == 0:
            rows.append(pending + b"\n")
            pending = None
    if pending is not None:
        rows.append(pending + b"\n")
    return rows


def shuffle(gen_dir, out_dir, seed):
    os.makedirs(out_dir, exist_ok=True)
    ids = defaultdict(list)  # agency → record ids in the order of its file's rows
    with open(os.path.join(gen_dir, "truth.csv"), newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        for agency, record_id, _ in reader:
            ids[agency].append(record_id)
    with open(os.path.join(gen_dir, "agencies.csv"), newline="", encoding="utf-8") as f:
        agencies = list(csv.DictReader(f))
    rng = random.Random(seed)
    for a in agencies:
        with open(os.path.join(gen_dir, a["file"]), "rb") as f:
            rows = rows_of(f.read())
        header, body, own = rows[0], rows[1:], ids[a["code"]]
        if len(body) != len(own):
            sys.exit(f"{a['file']}: {len(body)} rows, {len(own)} in truth.csv")
        order = list(range(len(body)))
        rng.shuffle(order)
        places = defaultdict(list)  # record id → its places in the new order
        for k, i in enumerate(order):
            places[own[i]].append(k)
        for p in places.values():
            if len(p) > 1:
                for k, i in zip(p, sorted(order[k] for k in p)):
                    order[k] = i
        with open(os.path.join(out_dir, a["file"]), "wb") as f:
            f.write(header + b"".join(body[i] for i in order))


def partition(path):
    members = defaultdict(set)
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        for agency, record_id, person in reader:
            members[person].add((agency, record_id))
    return {key: frozenset(m) for m in members.values() for key in m}


def compare(links_a, links_b):
    a, b = partition(links_a), partition(links_b)
    differ = sum(1 for key in a.keys() | b.keys() if a.get(key) != b.get(key))
    persons = lambda p: len(set(p.values()))
    same = differ == 0
    print(f"| {len(a):,} | {persons(a):,} | {persons(b):,} | {differ:,} | "
          f"{'yes' if same else 'NO'} |")
    return 0 if same else 1


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "shuffle":
        shuffle(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
