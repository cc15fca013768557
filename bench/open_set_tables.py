#!/usr/bin/env python3
"""Markdown tables from `genrelab evaluate DATA --open-set K --json FILE` results
(bench/open_set.sh writes them; bench/results/open_set.md holds the output).

usage: open_set_tables.py each FILE      per left-out genre AUROC table (--open-set 1 --open-set-each)
       open_set_tables.py coverage FILE  coverage of the prediction sets over rounds
       open_set_tables.py summary FILE   AUROC / FRR / FAR / open-set accuracy over rounds
"""
import json
import sys

SCORES = ["max_proba", "mahalanobis", "combined"]


def f3(x):
    return "–" if x is None else f"{x:.3f}"


def pct(x):
    return "–" if x is None else f"{100 * x:.1f}%"


def each(o):
    rows = []
    for r in o["rounds"]:
        g = r["hidden"][0]
        pg = next(p for p in o["per_genre"] if p["genre"] == g)
        named = ", ".join(f"{a['genre']} {100 * a['share']:.0f}%" for a in pg["predicted_as_when_hidden"][:2])
        rows.append((g, [r["scores"][s]["auroc"] for s in SCORES], r["scores"]["combined"]["frr"],
                     r["scores"]["combined"]["far"], r["open_set_accuracy"], named))
    print("| left-out genre | AUROC max_proba | AUROC mahalanobis | AUROC combined | FRR (combined) | FAR (combined) | open-set acc. | its tracks were named as |")
    print("|---|---|---|---|---|---|---|---|")
    for g, a, frr, far, osa, named in sorted(rows, key=lambda t: t[1][2]):
        print(f"| {g} | {f3(a[0])} | {f3(a[1])} | {f3(a[2])} | {pct(frr)} | {pct(far)} | {pct(osa)} | {named} |")
    sm = o["summary"]["scores"]
    print(f"| **mean** | **{f3(sm['max_proba']['auroc']['mean'])}** | **{f3(sm['mahalanobis']['auroc']['mean'])}** | "
          f"**{f3(sm['combined']['auroc']['mean'])}** | {pct(sm['combined']['frr']['mean'])} | {pct(sm['combined']['far']['mean'])} | "
          f"{pct(o['summary']['open_set_accuracy']['mean'])} | |")


def coverage(o):
    s = o["summary"]
    c, m = s["coverage"], s["mean_set_size"]
    print(f"coverage mean {pct(c['mean'])}, sd {pct(c['sd'])}, range {pct(c['min'])} – {pct(c['max'])} over {c['n']} rounds; "
          f"mean set size {m['mean']:.2f} (range {m['min']:.2f} – {m['max']:.2f}); closed-set accuracy "
          f"{pct(s['closed_set_accuracy']['mean'])}")
    per = sorted((p for p in o["per_genre"] if p["coverage"] is not None), key=lambda p: p["coverage"])
    print()
    print("lowest and highest per-genre coverage (pooled over rounds): " +
          ", ".join(f"{p['genre']} {pct(p['coverage'])} (size {p['mean_set_size']:.1f})" for p in per[:3]) + " … " +
          ", ".join(f"{p['genre']} {pct(p['coverage'])} (size {p['mean_set_size']:.1f})" for p in per[-3:]))


def summary(o):
    sm = o["summary"]
    print("| score | AUROC mean (range) | FRR mean | FAR mean |")
    print("|---|---|---|---|")
    for s in SCORES:
        x = sm["scores"][s]
        print(f"| {s} | {f3(x['auroc']['mean'])} ({f3(x['auroc']['min'])} – {f3(x['auroc']['max'])}) | "
              f"{pct(x['frr']['mean'])} | {pct(x['far']['mean'])} |")
    print()
    print(f"open-set accuracy {pct(sm['open_set_accuracy']['mean'])} (range {pct(sm['open_set_accuracy']['min'])} – "
          f"{pct(sm['open_set_accuracy']['max'])}); closed-set accuracy on the known genres "
          f"{pct(sm['closed_set_accuracy']['mean'])}; empty sets on hidden-genre tracks {pct(sm['unknown_empty_sets']['mean'])}")
    print()
    coverage(o)


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    doc = json.load(open(path))
    {"each": each, "coverage": coverage, "summary": summary}[kind](doc["open_set"])
