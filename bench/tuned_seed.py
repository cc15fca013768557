#!/usr/bin/python3
"""Tuned models on the 14-genre seed data, honestly: for each split seed,
`compare --tune` chooses parameters by 5-fold CV on that split's 80 % training
part only, then scores the chosen model once on its 20 % held-out part.

One 238-track test split has a binomial sd of about 3 points, and split seed 42
is a hard one (default RandomForest scores 52.9 % on it against a 60.7 % mean
over seeds 0-9), so the table reports every seed and the mean. The study's
60.4 % came from a different snapshot of the data on an unknown split
(../shared/anchors/sklearn_seed_results.md), so no single split is "its" split.

Usage: bench/tuned_seed.py BUILD_DIR [--seeds 0,1,...] [--out FILE.md]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

GRIDS = [
    "random_forest:n_estimators=500 max_features=sqrt,0.2,0.35 min_samples_leaf=1,2",
    "extra_trees:n_estimators=500 max_features=0.2,0.35,0.5",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--seeds", default="42,0,1,2,3,4,5,6,7,8,9")
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    rows = ["| split seed | model chosen (best CV) | parameters | CV on training part | held-out test |", "|---|---|---|---|---|"]
    tests = []
    for seed in seeds:
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [os.path.join(args.build, "genrelab"), "compare", "seed", "--tune", "--seed", str(seed),
                   "--models", "random_forest,extra_trees", "-o", tmp]
            for g in GRIDS:
                cmd += ["--grid", g]
            subprocess.run(cmd, capture_output=True, check=True)
            with open(os.path.join(tmp, "comparison.json")) as f:
                doc = json.load(f)
        best = doc["models"][0]  # ranked by CV accuracy
        cv = best["cv"]["accuracy"]
        test = best["holdout"]["test"]["accuracy"]
        if seed != 42:
            tests.append(test)
        chosen = " ".join(f"{k}={v}" for k, v in sorted(best["tuning"]["best_params"].items())
                          if k not in ("random_state",)) if "tuning" in best else ""
        rows.append(f"| {seed} | {best['model']} | {chosen} | {100*cv['mean']:.1f} % ± {100*cv['sd']:.1f} | {100*test:.1f} % |")
        print(rows[-1], flush=True)
    if tests:
        rows.append(f"\nMean held-out accuracy over split seeds {', '.join(str(s) for s in seeds if s != 42)}: "
                    f"{100*statistics.mean(tests):.1f} % (min {100*min(tests):.1f}, max {100*max(tests):.1f}); study: 60.4 %.")
    text = "\n".join(rows) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
