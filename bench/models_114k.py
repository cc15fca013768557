#!/usr/bin/python3
"""Every model on the 114k Spotify Tracks set: fit time and accuracy next to its
scikit-learn counterpart, on exactly the same rows.

genrelab runs `evaluate --cv 0 --test-size 0.2 --group-by track_id --json`; the JSON
names the held-out rows, and the scikit-learn side trains and tests on exactly those.
Features are rebuilt in pandas the way genrelab builds them (identifier and text
columns out, explicit as 0/1, key and time_signature one-hot, mode 0/1).
Kernel SVM is O(n^2) per class pair and has 6,441 pairs with 114 genres, so it runs
on a 3 % sample of the tracks, and LinearSVC (up to 1,000 iterations for each of
114 classes) on a 12 % sample (whole track_id groups), written to a temporary CSV
that both sides read. On all 91k training rows scikit-learn's serial LinearSVC
had not finished after 30 minutes.

Usage: bench/models_114k.py BUILD_DIR [--models a,b] [--out FILE.md]
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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from result_text import publish  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "..", "shared", "data", "spotify_tracks_114k", "tracks.csv")


def counterparts():
    """genrelab name -> (genrelab params, [(peer name, factory)], sample fraction)."""
    from sklearn.dummy import DummyClassifier
    from sklearn.ensemble import (AdaBoostClassifier, ExtraTreesClassifier, HistGradientBoostingClassifier,
                                  RandomForestClassifier)
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC, LinearSVC
    from sklearn.tree import DecisionTreeClassifier
    from xgboost import XGBClassifier
    return {
        "dummy": ([], [("DummyClassifier", DummyClassifier)], 1.0),
        "naive_bayes": ([], [("GaussianNB", GaussianNB)], 1.0),
        "decision_tree": (["max_depth=10"], [("DecisionTreeClassifier", lambda: DecisionTreeClassifier(max_depth=10, random_state=42))], 1.0),
        "random_forest": (["n_estimators=100", "max_depth=10"],
                          [("RandomForestClassifier", lambda: RandomForestClassifier(100, max_depth=10, n_jobs=-1, random_state=42))], 1.0),
        "extra_trees": (["n_estimators=100", "max_depth=10"],
                        [("ExtraTreesClassifier", lambda: ExtraTreesClassifier(100, max_depth=10, n_jobs=-1, random_state=42))], 1.0),
        "adaboost": ([], [("AdaBoostClassifier(SAMME)", lambda: AdaBoostClassifier(algorithm="SAMME", random_state=42))], 1.0),
        "gradient_boosting": (["n_estimators=50"],
                              [("XGBClassifier", lambda: XGBClassifier(n_estimators=50, tree_method="hist", n_jobs=-1, random_state=0)),
                               ("HistGradientBoostingClassifier", lambda: HistGradientBoostingClassifier(max_iter=50, learning_rate=0.3, early_stopping=False, random_state=42))], 1.0),
        "knn": ([], [("KNeighborsClassifier", lambda: KNeighborsClassifier(n_jobs=-1))], 1.0),
        "logistic_regression": (["max_iter=1000"], [("LogisticRegression", lambda: LogisticRegression(max_iter=1000))], 1.0),
        "linear_svm": ([], [("LinearSVC", lambda: LinearSVC(random_state=42))], 0.12),
        "svm": ([], [("SVC", SVC)], 0.03),
    }


# The models genrelab's Pipeline standardises (Classifier::scale_sensitive()).
SCALED = {"knn", "logistic_regression", "svm", "linear_svm", "naive_bayes"}


def features(df):
    X = df.drop(columns=[c for c in ["Unnamed: 0", "track_id", "artists", "album_name", "track_name", "track_genre"] if c in df])
    X["explicit"] = X["explicit"].astype(int)
    X["key"] = pd.Categorical(X["key"], categories=range(12))
    return pd.get_dummies(X, columns=["key", "time_signature"]).to_numpy(dtype=np.float64)


def same_rows(df, doc):
    """Features, labels, and genrelab's training and held-out rows (from its JSON)."""
    test = np.asarray(doc["evaluation"]["holdout"]["test_rows"])
    train = np.setdiff1d(np.arange(len(df)), test)
    y = np.unique(df["track_genre"].to_numpy(), return_inverse=True)[1]
    return features(df), y, train, test


def run(build, data, model, params):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.json")
        cmd = [os.path.join(build, "genrelab"), "evaluate", data, "--group-by", "track_id", "--cv", "0",
               "--test-size", "0.2", "--seed", "42", "--model", model, "--top", "0", "--json", out]
        for p in params:
            cmd += ["--param", p]
        subprocess.run(cmd, capture_output=True, check=True)
        with open(out) as f:
            return json.load(f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--models", default="")
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    if not os.path.exists(args.data):
        print(f"models_114k: {args.data} not found; skipping", file=sys.stderr)
        return 0
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    full = pd.read_csv(args.data)
    table = counterparts()
    names = args.models.split(",") if args.models else list(table)
    rows = ["| model | rows (train/test) | genrelab fit s | peer | peer fit s | fit speed-up | genrelab predict s | peer predict s | predict speed-up | genrelab acc | peer acc | diff (points) |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            params, peers, fraction = table[name]
            data_path, df = args.data, full
            if fraction < 1.0:
                ids = full["track_id"].unique()
                keep = set(np.random.default_rng(42).choice(ids, int(len(ids) * fraction), replace=False))
                df = full[full["track_id"].isin(keep)].reset_index(drop=True)
                data_path = os.path.join(tmp, "sample.csv")
                df.to_csv(data_path, index=False)
            doc = run(args.build, data_path, name, params)
            hold = doc["evaluation"]["holdout"]
            X, y, train, test = same_rows(df, doc)
            assert X.shape[1] == len(doc["dataset"]["features"]), (X.shape, len(doc["dataset"]["features"]))
            # genrelab standardises inside fit for the models that need it, so their
            # peers fit a StandardScaler pipeline on the raw rows: the same work on
            # both sides. Tree models and naive Bayes get the rows as they are.
            scaled = name in SCALED
            Xtr, Xte = X[train], X[test]
            for peer, make in peers:
                model = make_pipeline(StandardScaler(), make()) if scaled else make()
                t0 = time.perf_counter()
                model.fit(Xtr, y[train])
                fit_s = time.perf_counter() - t0
                t0 = time.perf_counter()
                predicted = model.predict(Xte)
                predict_s = time.perf_counter() - t0
                acc = float((predicted == y[test]).mean())
                g_acc = hold["test"]["accuracy"]
                g_fit, g_pred = hold["fit_seconds"], hold["predict_seconds"]
                rows.append(f"| {name} | {len(train)}/{len(test)} | {g_fit:.2f} | {peer} | {fit_s:.2f} | "
                            f"{fit_s/max(g_fit,1e-9):.1f}× | {g_pred:.2f} | {predict_s:.2f} | {predict_s/max(g_pred,1e-9):.1f}× | "
                            f"{100*g_acc:.2f}% | {100*acc:.2f}% | {100*(g_acc-acc):+.2f} |")
                print(rows[-1], flush=True)
    import sklearn
    text = "\n".join(rows) + f"\n\nscikit-learn {sklearn.__version__}, {os.cpu_count()} CPUs; genrelab fit and predict times from its JSON " \
        "(scaling included where the model needs it); peer predict time is model.predict on the test rows.\n"
    publish(text, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
