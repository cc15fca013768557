#!/usr/bin/python3
"""`genrelab compare --models all --cv 5` against the equivalent scikit-learn script.

The scikit-learn side does the same work as genrelab's compare for every model:
5-fold cross-validation (cross_val_score, StandardScaler in the pipeline) plus one
fit on the 80 % training part scored on itself and on the 20 % test part. It runs
the models genrelab has, with the same parameters. Gradient boosting is run twice on
the Python side: with XGBClassifier (the same library genrelab uses) and with
scikit-learn's own GradientBoostingClassifier (what the seed study used); the total is
reported for both. Both sides on 14 and 6 genres, same machine, same run.

Usage: bench/compare_seed.py BUILD_DIR [--out FILE.md]
"""
import argparse
import os
import subprocess
import sys
import time

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from result_text import publish  # noqa: E402
from seed_compare import SEED_CSV, SIX, sklearn_models  # noqa: E402


def sklearn_compare(X, y, models, cv):
    times = {}
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, stratify=y, random_state=42)
    for name, make in models.items():
        t0 = time.perf_counter()
        cross_val_score(make_pipeline(StandardScaler(), make()), X, y, cv=StratifiedKFold(cv, shuffle=True, random_state=42))
        model = make_pipeline(StandardScaler(), make()).fit(Xtr, ytr)
        model.score(Xtr, ytr)
        model.score(Xte, yte)
        times[name] = time.perf_counter() - t0
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--cv", type=int, default=5)
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    from sklearn.ensemble import GradientBoostingClassifier

    df = pd.read_csv(SEED_CSV)
    rows = ["| subset | genrelab compare (s) | scikit-learn, XGBoost for boosting (s) | ratio | scikit-learn, GradientBoostingClassifier (s) | ratio |",
            "|---|---|---|---|---|---|"]
    detail = []
    for subset, genres in (("all14", None), ("six", SIX)):
        cmd = [os.path.join(args.build, "genrelab"), "compare", "seed", "--models", "all", "--cv", str(args.cv)]
        if genres:
            cmd += ["--genres", ",".join(genres)]
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        g = time.perf_counter() - t0

        part = df if genres is None else df[df["Genre"].isin(genres)]
        X = part.drop(columns=["Genre"]).to_numpy(dtype=float)
        y = np.unique(part["Genre"].to_numpy(), return_inverse=True)[1]
        table = {name: make for name, (_, make) in sklearn_models().items()}
        t_xgb = sklearn_compare(X, y, table, args.cv)
        t_gbc = sklearn_compare(X, y, {"gradient_boosting(sklearn)": lambda: GradientBoostingClassifier(random_state=42)}, args.cv)
        total_xgb = sum(t_xgb.values())
        total_gbc = total_xgb - t_xgb.get("gradient_boosting", 0.0) + t_gbc["gradient_boosting(sklearn)"]
        rows.append(f"| {subset} | {g:.2f} | {total_xgb:.2f} | {total_xgb/g:.1f}× | {total_gbc:.2f} | {total_gbc/g:.1f}× |")
        detail.append(f"{subset} scikit-learn seconds per model: " +
                      ", ".join(f"{k} {v:.2f}" for k, v in {**t_xgb, **t_gbc}.items()))
        print(rows[-1], flush=True)
    text = "\n".join(rows) + "\n\n" + "\n".join(detail) + "\n\ngenrelab time is the whole CLI process (reading the CSV included); " \
        f"scikit-learn time excludes reading the data. {os.cpu_count()} CPUs.\n"
    publish(text, args.out)


if __name__ == "__main__":
    sys.exit(main())
