#!/usr/bin/python3
"""Prediction throughput on the 114k Spotify Tracks set: genrelab vs scikit-learn / XGBoost-Python, same run.

For each model (random forest: 100 trees, max_depth 10; gradient boosting: n_estimators 50):
  genrelab: `genrelab train tracks.csv --group-by track_id --holdout 0.2` (the saved model is the one
            fitted on the 80 % part), then `genrelab predict model.glab tracks.csv --proba --timing` on all
            114k rows, timed as a whole command (load model + read CSV + encode + predict + write CSV)
            and in process (encode + predict_proba, printed by --timing).
  Python:   pandas reads the CSV, the same features (identifier/text columns dropped, explicit 0/1, key
            and time_signature one-hot), GroupShuffleSplit 80/20 by track_id, fit on the 80 %, then
            predict_proba on all rows (timed), RandomForestClassifier(n_jobs=-1) and
            XGBClassifier(tree_method="hist", n_jobs=-1).
Both sides use every core. The model fits are not what is measured here (see forest_114k.py).

Usage: bench/predict_114k.py BUILD_DIR [--data tracks.csv] [--out bench/results/predict_114k.md] [--repeat 3]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "..", "shared", "data", "spotify_tracks_114k", "tracks.csv")

PYTHON_SIDE = r'''
import json, sys, time
import numpy as np, pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GroupShuffleSplit
from sklearn.preprocessing import LabelEncoder
from xgboost import XGBClassifier
path, repeat = sys.argv[1], int(sys.argv[2])
t0 = time.perf_counter(); df = pd.read_csv(path); read_s = time.perf_counter() - t0
y = LabelEncoder().fit_transform(df["track_genre"].to_numpy())
groups = df["track_id"].to_numpy()
X = df.drop(columns=["Unnamed: 0", "track_id", "artists", "album_name", "track_name", "track_genre"])
X["explicit"] = X["explicit"].astype(int)
X = pd.get_dummies(X, columns=["key", "time_signature"]).to_numpy(dtype=np.float64)
train, test = next(GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=42).split(X, y, groups))
out = {"read_s": read_s, "rows": len(X), "n_features": X.shape[1]}
for name, model in [("random_forest", RandomForestClassifier(n_estimators=100, max_depth=10, n_jobs=-1, random_state=42)),
                    ("gradient_boosting", XGBClassifier(n_estimators=50, tree_method="hist", n_jobs=-1, random_state=0))]:
    model.fit(X[train], y[train])
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter(); P = model.predict_proba(X); best = min(best, time.perf_counter() - t0)
    out[name] = {"predict_proba_s": best, "holdout_accuracy": float((P[test].argmax(1) == y[test]).mean())}
print(json.dumps(out))
'''


def run(cmd):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr}")
    return r, wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--out", default=os.path.join(HERE, "results", "predict_114k.md"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not os.path.exists(args.data):
        print(f"predict_114k: {args.data} not found; skipping", file=sys.stderr)
        return 0
    exe = os.path.join(args.build, "genrelab")
    models = {"random_forest": ["--param", "n_estimators=100", "--param", "max_depth=10"],
              "gradient_boosting": ["--param", "n_estimators=50"]}
    gen = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, params in models.items():
            glab = os.path.join(tmp, name + ".glab")
            r, fit_wall = run([exe, "train", args.data, "--group-by", "track_id", "--holdout", "0.2", "--seed", "42",
                               "--model", name, *params, "-o", glab])
            acc = float(re.search(r"held out\s+\d+ rows: accuracy ([0-9.]+)", r.stdout).group(1))
            best_wall, best_in = float("inf"), float("inf")
            for _ in range(args.repeat):
                r, wall = run([exe, "predict", glab, args.data, "--proba", "--timing", "-o", os.path.join(tmp, "p.csv")])
                m = re.search(r"timing: (\d+) tracks; load model \+ read CSV ([0-9.]+) s; predict ([0-9.]+) s", r.stderr)
                best_wall, best_in = min(best_wall, wall), min(best_in, float(m.group(3)))
                rows = int(m.group(1))
            gen[name] = {"wall_s": best_wall, "in_process_s": best_in, "rows": rows, "holdout_accuracy": acc,
                         "model_mb": os.path.getsize(glab) / 1e6, "train_wall_s": fit_wall}
    p = subprocess.run(["/usr/bin/python3", "-c", PYTHON_SIDE, args.data, str(args.repeat)], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(p.stderr)
    py = json.loads(p.stdout.strip().splitlines()[-1])

    import sklearn
    import xgboost
    n = py["rows"]
    lines = [
        f"Prediction throughput on {os.path.basename(args.data)} ({n} tracks, 114 genres, {py['n_features']} features), "
        f"{os.cpu_count()} CPUs; best of {args.repeat}. Models fitted on a group-aware 80 % split (by track_id); "
        f"prediction on all {n} rows. scikit-learn {sklearn.__version__}, XGBoost-Python {xgboost.__version__}, "
        "all with every core.",
        "",
        "| model | genrelab predict, whole command (s) | genrelab in-process (s) | genrelab tracks/s (in-process) "
        "| Python predict_proba (s) | Python tracks/s | ratio (Python / genrelab in-process) | held-out accuracy genrelab / Python |",
        "|---|---|---|---|---|---|---|---|",
    ]
    labels = {"random_forest": "random forest (100 trees, max_depth 10) vs sklearn RandomForestClassifier",
              "gradient_boosting": "gradient boosting (n_estimators 50) vs XGBClassifier"}
    for name in models:
        g, q = gen[name], py[name]
        lines.append(
            f"| {labels[name]} | {g['wall_s']:.2f} | {g['in_process_s']:.3f} | {n / g['in_process_s']:,.0f} "
            f"| {q['predict_proba_s']:.3f} | {n / q['predict_proba_s']:,.0f} | {q['predict_proba_s'] / g['in_process_s']:.2f}x "
            f"| {100 * g['holdout_accuracy']:.2f} % / {100 * q['holdout_accuracy']:.2f} % |")
    lines += [
        "",
        f"Whole command = load and verify the model file (SHA-256), read and encode the CSV, predict_proba, and write "
        f"a {n}-row CSV with one probability column per genre. For comparison pandas.read_csv alone took "
        f"{py['read_s']:.2f} s. Model files: random forest {gen['random_forest']['model_mb']:.1f} MB, gradient boosting "
        f"{gen['gradient_boosting']['model_mb']:.1f} MB. In-process = encode_features + predict_proba (genrelab's "
        "`--timing`); Python = predict_proba on the already-encoded float64 matrix.",
        "The sides draw their own group-aware splits (genrelab: stratified by genre, seed 42; Python: GroupShuffleSplit, "
        "random_state 42), so accuracies differ by split noise as well.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
