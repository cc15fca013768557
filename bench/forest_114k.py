#!/usr/bin/python3
"""Random Forest on the 114k Spotify Tracks set: genrelab vs scikit-learn, same run.

Both sides: 114 genres, the same feature columns (identifier/text columns left out,
key and time_signature one-hot, explicit as 0/1), an 80/20 split that keeps every
track_id on one side (group-aware), RandomForest(n_estimators=100, max_depth=10,
max_features=sqrt). scikit-learn uses n_jobs=-1. Each side runs in its own process
under /usr/bin/time -v for peak memory (RSS of the whole process, including reading
the CSV: pandas for scikit-learn, genrelab's own reader for genrelab).

Usage: bench/forest_114k.py BUILD_DIR [--data tracks.csv] [--trees 100] [--depth 10] [--out FILE.md]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from result_text import publish  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "..", "shared", "data", "spotify_tracks_114k", "tracks.csv")

SKLEARN_SIDE = r'''
import json, sys, time
import numpy as np, pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GroupShuffleSplit
path, trees, depth = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t0 = time.perf_counter()
df = pd.read_csv(path)
read_s = time.perf_counter() - t0
y = df["track_genre"].to_numpy()
groups = df["track_id"].to_numpy()
X = df.drop(columns=["Unnamed: 0", "track_id", "artists", "album_name", "track_name", "track_genre"])
X["explicit"] = X["explicit"].astype(int)
X = pd.get_dummies(X, columns=["key", "time_signature"]).to_numpy(dtype=np.float64)
train, test = next(GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=42).split(X, y, groups))
rf = RandomForestClassifier(n_estimators=trees, max_depth=depth, n_jobs=-1, random_state=42)
t0 = time.perf_counter(); rf.fit(X[train], y[train]); fit_s = time.perf_counter() - t0
t0 = time.perf_counter(); pred = rf.predict(X[test]); predict_s = time.perf_counter() - t0
print(json.dumps({"read_s": read_s, "fit_s": fit_s, "predict_s": predict_s, "n_train": len(train),
                  "n_test": len(test), "n_features": X.shape[1], "accuracy": float((pred == y[test]).mean())}))
'''


def peak_rss_mb(stderr):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    return int(m.group(1)) / 1024 if m else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--trees", type=int, default=100)
    ap.add_argument("--depth", type=int, default=10)
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    if not os.path.exists(args.data):
        print(f"forest_114k: {args.data} not found; skipping", file=sys.stderr)
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        out_json = os.path.join(tmp, "g.json")
        cmd = ["/usr/bin/time", "-v", os.path.join(args.build, "genrelab"), "evaluate", args.data,
               "--group-by", "track_id", "--cv", "0", "--test-size", "0.2", "--seed", "42",
               "--model", "random_forest", "--param", f"n_estimators={args.trees}",
               "--param", f"max_depth={args.depth}", "--top", "0", "--json", out_json]
        g = subprocess.run(cmd, capture_output=True, text=True)
        if g.returncode != 0:
            print(g.stderr, file=sys.stderr)
            return 1
        with open(out_json) as f:
            doc = json.load(f)
    hold = doc["evaluation"]["holdout"]
    gen = {"fit_s": hold["fit_seconds"], "predict_s": hold["predict_seconds"], "accuracy": hold["test"]["accuracy"],
           "n_train": hold["n_train"], "n_test": hold["n_test"], "n_features": len(doc["dataset"]["features"]),
           "rss_mb": peak_rss_mb(g.stderr)}

    s = subprocess.run(["/usr/bin/time", "-v", "/usr/bin/python3", "-c", SKLEARN_SIDE, args.data,
                        str(args.trees), str(args.depth)], capture_output=True, text=True)
    if s.returncode != 0:
        print(s.stderr, file=sys.stderr)
        return 1
    sk = json.loads(s.stdout.strip().splitlines()[-1])
    sk["rss_mb"] = peak_rss_mb(s.stderr)

    import sklearn
    rows = [
        f"Random Forest (n_estimators={args.trees}, max_depth={args.depth}, max_features=sqrt) on {os.path.basename(args.data)}: "
        f"114 genres, group-aware 80/20 split by track_id, {os.cpu_count()} CPUs, scikit-learn {sklearn.__version__} n_jobs=-1.",
        "",
        "| | genrelab | scikit-learn | ratio (sklearn / genrelab) |",
        "|---|---|---|---|",
        f"| train / test rows | {gen['n_train']} / {gen['n_test']} | {sk['n_train']} / {sk['n_test']} | |",
        f"| features | {gen['n_features']} | {sk['n_features']} | |",
        f"| fit time (s) | {gen['fit_s']:.2f} | {sk['fit_s']:.2f} | {sk['fit_s']/gen['fit_s']:.1f}× |",
        f"| predict time (s) | {gen['predict_s']:.3f} | {sk['predict_s']:.3f} | {sk['predict_s']/gen['predict_s']:.1f}× |",
        f"| peak memory, whole process (MB) | {gen['rss_mb']:.0f} | {sk['rss_mb']:.0f} | {sk['rss_mb']/gen['rss_mb']:.1f}× |",
        f"| test accuracy | {100*gen['accuracy']:.2f}% | {100*sk['accuracy']:.2f}% | {100*(gen['accuracy']-sk['accuracy']):+.2f} points |",
        "",
        "The two sides draw their own group-aware split (genrelab: stratified by genre, seed 42; "
        "scikit-learn: GroupShuffleSplit, random_state 42), so accuracies differ by split noise as well.",
    ]
    text = "\n".join(rows) + "\n"
    publish(text, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
