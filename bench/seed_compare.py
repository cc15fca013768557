#!/usr/bin/python3
"""Side by side: genrelab and scikit-learn on the seed data, same kind of folds.

For every model and for the 14-genre and 6-genre subsets, runs 5-fold stratified
cross-validation with scikit-learn (Pipeline[StandardScaler, model], the setup of
../shared/anchors/sklearn_seed_results.md) and `genrelab evaluate` with the same
hyper-parameters, and prints the two CV accuracies next to each other with the
difference and the wall time of each side.

Usage: bench/seed_compare.py BUILD_DIR [--models random_forest,...] [--out FILE.md]
Needs Debian's python3-sklearn (and python3-xgboost for gradient_boosting).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from result_text import publish  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SEED_CSV = os.path.join(HERE, "..", "data", "seed", "all_genres.csv")
SIX = ["50s Hits", "classical", "electronic", "industrial pop", "rockabilly", "spanish"]


def sklearn_models():
    """genrelab model name -> (genrelab --param list, sklearn estimator factory)."""
    from sklearn.dummy import DummyClassifier
    from sklearn.ensemble import RandomForestClassifier, ExtraTreesClassifier, AdaBoostClassifier
    from sklearn.tree import DecisionTreeClassifier
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import SVC, LinearSVC
    from sklearn.naive_bayes import GaussianNB
    models = {
        "dummy": ([], lambda: DummyClassifier()),
        "decision_tree": (["random_state=42"], lambda: DecisionTreeClassifier(random_state=42)),
        "random_forest": (["n_estimators=100", "max_depth=10", "random_state=42"],
                          lambda: RandomForestClassifier(n_estimators=100, max_depth=10, random_state=42, n_jobs=-1)),
        "extra_trees": (["n_estimators=100", "random_state=42"],
                        lambda: ExtraTreesClassifier(n_estimators=100, random_state=42, n_jobs=-1)),
        "knn": ([], lambda: KNeighborsClassifier()),
        "logistic_regression": (["max_iter=1000"], lambda: LogisticRegression(max_iter=1000)),
        "svm": ([], lambda: SVC()),
        "linear_svm": (["random_state=42"], lambda: LinearSVC(random_state=42)),
        "naive_bayes": ([], lambda: GaussianNB()),
        "adaboost": (["random_state=42"], lambda: AdaBoostClassifier(algorithm="SAMME", random_state=42)),
    }
    try:
        from xgboost import XGBClassifier
        models["gradient_boosting"] = ([], lambda: XGBClassifier(tree_method="hist", n_jobs=2, verbosity=0))
    except ImportError:
        pass
    return models


def genrelab_models(build):
    out = subprocess.run([os.path.join(build, "genrelab"), "models"], capture_output=True, text=True, check=True).stdout
    return [line.split(":")[0] for line in out.splitlines() if line and not line.startswith(" ")]


def run_genrelab(build, model, params, genres, cv):
    with tempfile.TemporaryDirectory() as tmp:
        out_json = os.path.join(tmp, "r.json")
        cmd = [os.path.join(build, "genrelab"), "evaluate", "seed", "--model", model, "--cv", str(cv),
               "--test-size", "0", "--json", out_json]
        for p in params:
            cmd += ["--param", p]
        if genres:
            cmd += ["--genres", ",".join(genres)]
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t0
        with open(out_json) as f:
            cv_json = json.load(f)["evaluation"]["cv"]
    return cv_json["accuracy"]["mean"], cv_json["accuracy"]["sd"], wall, cv_json["fold_of_row"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--models", default="")
    ap.add_argument("--cv", type=int, default=5)
    ap.add_argument("--out", default="")
    args = ap.parse_args()

    df = pd.read_csv(SEED_CSV)
    table = sklearn_models()
    available = genrelab_models(args.build)
    names = [m for m in (args.models.split(",") if args.models else available) if m in table and m in available]

    lines = ["| subset | model | genrelab CV acc | scikit-learn CV acc | diff (points) | genrelab s | scikit-learn s | speed-up |",
             "|---|---|---|---|---|---|---|---|"]
    totals = {"genrelab": 0.0, "sklearn": 0.0}
    worst = 0.0
    for subset, genres in (("all14", None), ("six", SIX)):
        part = df if genres is None else df[df["Genre"].isin(genres)]
        X = part.drop(columns=["Genre"]).to_numpy(dtype=float)
        # Codes 0..K-1 in sorted-name order (XGBoost insists; the other models do not care).
        y = np.unique(part["Genre"].to_numpy(), return_inverse=True)[1]
        for name in names:
            params, make = table[name]
            g_mean, g_sd, g_wall, fold_of_row = run_genrelab(args.build, name, params, genres, args.cv)
            # Exactly genrelab's folds (its JSON says which fold held out each row),
            # so the two columns differ only by the implementations.
            fold_of_row = np.asarray(fold_of_row)
            folds = [(np.flatnonzero(fold_of_row != k), np.flatnonzero(fold_of_row == k)) for k in range(args.cv)]
            t0 = time.perf_counter()
            scores = cross_val_score(make_pipeline(StandardScaler(), make()), X, y, cv=folds)
            sk_wall = time.perf_counter() - t0
            diff = 100 * (g_mean - scores.mean())
            worst = max(worst, abs(diff))
            totals["genrelab"] += g_wall
            totals["sklearn"] += sk_wall
            lines.append(f"| {subset} | {name} | {100*g_mean:.1f} ± {100*g_sd:.1f} | {100*scores.mean():.1f} ± {100*scores.std():.1f} "
                         f"| {diff:+.1f} | {g_wall:.2f} | {sk_wall:.2f} | {sk_wall/max(g_wall,1e-9):.1f}× |")
            print(lines[-1], flush=True)
    lines.append("")
    lines.append(f"Largest |difference|: {worst:.1f} points. Total wall time: genrelab {totals['genrelab']:.2f} s "
                 f"(whole CLI runs, including reading the CSV), scikit-learn {totals['sklearn']:.2f} s "
                 f"(cross_val_score only, data already in memory): {totals['sklearn']/max(totals['genrelab'],1e-9):.1f}×.")
    import sklearn
    lines.append(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, {os.cpu_count()} CPUs. "
                 "Both sides use the same folds: genrelab's stratified 5 folds (seed 42), passed to cross_val_score.")
    text = "\n".join(lines) + "\n"
    publish(text, args.out)


if __name__ == "__main__":
    sys.exit(main())
