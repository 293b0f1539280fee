#!/usr/bin/env python3
"""Case and suspect linkage and the justice counts against the generator's truth.

usage: eval.py GEN_DIR CASES.csv SUSPECTS.csv JUSTICE.csv

GEN_DIR is a `gugus generate --legal` folder (its legal/ holds truth.csv,
cases.csv and justice.csv); the other three are what `gugus export cases`,
`gugus export suspects` and `gugus justice --format csv` printed for the imported
and linked files. Prints the agency-case pairwise precision/recall/F1, the suspect
B-cubed precision/recall/F1, and each year's counts beside the truth with the
relative difference. Exit 0 always: the figures are the result.
"""
import csv
import re
import sys
from collections import Counter, defaultdict


def ref_key(ref):
    # As CaseRefKey (src/domain/justice/justice_model.cc).
    parts = [p for p in re.split(r"[^0-9A-Za-z\u0080-\uffff]+", ref.strip().upper()) if p]
    if len(parts) > 1 and parts[0] in ("NO", "NOMOR", "NOMER", "NR"):
        parts = parts[1:]
    return "/".join(parts)


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def pairs(groups):
    return sum(n * (n - 1) // 2 for n in groups)


def pairwise(pred, truth):
    """pred, truth: item -> cluster; over the items both know."""
    items = [i for i in pred if i in truth]
    cells = Counter((pred[i], truth[i]) for i in items)
    tp = pairs(cells.values())
    pp = pairs(Counter(pred[i] for i in items).values())
    tt = pairs(Counter(truth[i] for i in items).values())
    p = tp / pp if pp else 1.0
    r = tp / tt if tt else 1.0
    return len(items), p, r, 2 * p * r / (p + r) if p + r else 0.0


def bcubed(pred, truth):
    items = [i for i in pred if i in truth]
    pc = Counter(pred[i] for i in items)
    tc = Counter(truth[i] for i in items)
    both = Counter((pred[i], truth[i]) for i in items)
    p = sum(both[(pred[i], truth[i])] / pc[pred[i]] for i in items) / len(items)
    r = sum(both[(pred[i], truth[i])] / tc[truth[i]] for i in items) / len(items)
    return len(items), p, r, 2 * p * r / (p + r)


def main():
    gen, cases_csv, suspects_csv, justice_csv = sys.argv[1:5]
    true_case = {(r["agency"], ref_key(r["case_ref"])): r["case_key"]
                 for r in rows(f"{gen}/legal/cases.csv")}
    pred_case = {(r["agency"], ref_key(r["case_ref"])): r["case_id"]
                 for r in rows(cases_csv)}
    n, p, r, f = pairwise(pred_case, true_case)
    missing = len(set(true_case) - set(pred_case))
    print(f"agency cases: {n} ({missing} of the truth's not imported)")
    print(f"  cases pairwise  precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}")
    print(f"  cases: {len(set(pred_case.values()))} linked, "
          f"{len(set(true_case.values()))} true")

    true_suspect = {(r["agency"], r["record_id"]): r["suspect_key"]
                    for r in rows(f"{gen}/legal/truth.csv") if r["suspect_key"]}
    pred_suspect = {(r["agency"], r["record_id"]): r["suspect_id"]
                    for r in rows(suspects_csv)}
    n, p, r, f = bcubed(pred_suspect, true_suspect)
    print(f"suspect mentions: {n}")
    print(f"  suspects B-cubed  precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}")
    print(f"  suspects: {len(set(pred_suspect.values()))} linked, "
          f"{len(set(true_suspect.values()))} true")

    truth = {r["year"]: r for r in rows(f"{gen}/legal/justice.csv")}
    got = {r["year"]: r for r in rows(justice_csv)}
    cols = ["cases", "suspects_named", "prosecuted", "convicted", "acquitted",
            "restitution_ordered", "restitution_paid"]
    print("justice per year: gugus / truth (difference)")
    print("year  " + "  ".join(f"{c:>26}" for c in cols))
    worst = 0.0
    for year in sorted(set(truth) | set(got)):
        cells = []
        for c in cols:
            g = int(got.get(year, {}).get(c, 0) or 0)
            t = int(truth.get(year, {}).get(c, 0) or 0)
            d = (g - t) / t if t else (0.0 if g == 0 else 1.0)
            if c not in ("restitution_ordered", "restitution_paid") and t >= 20:
                worst = max(worst, abs(d))
            cells.append(f"{g:>11}/{t:<11}({d:+.1%})")
        print(f"{year}  " + "  ".join(f"{x:>26}" for x in cells))
    print(f"largest difference of a count (cells of 20 or more): {worst:.1%}")


if __name__ == "__main__":
    main()
