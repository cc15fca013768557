#!/usr/bin/python3
"""gradient_boosting on the 114k set against scikit-learn's own GradientBoostingClassifier,
the model the seed study used, with genrelab's parameters (50 rounds, max_depth 6,
learning_rate 0.3, subsample 1).

A full GradientBoostingClassifier fit of 50 rounds × 114 classes on 91k rows takes about
an hour, so this script fits it twice from scratch, with 1 round and with N rounds
(default 2), and extrapolates. That is sound because every round after the first does
the same work: one exact-split regression tree per class on all training rows
(subsample 1, so no round sees fewer rows). T(N) − T(1) is N − 1 rounds, so the
estimate for 50 rounds is T(1) + 49 · (T(N) − T(1)) / (N − 1). (warm_start is not
used: each warm-started fit first re-predicts every earlier round, which inflates
later rounds.) With --rounds 50 the second fit is the whole model, its time is
measured rather than estimated, and its accuracy is reported.

genrelab's fit runs on the same rows (`evaluate --cv 0 --group-by track_id`), with
both threads; GradientBoostingClassifier has no thread option and uses one.

With --rounds 50 it fits the whole model (about an hour) and also reports its accuracy.

Usage: bench/gbc_114k.py BUILD_DIR [--rounds N] [--out FILE.md]
"""
import argparse
import os
import sys
import time

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from result_text import publish  # noqa: E402
from models_114k import DEFAULT_DATA, run, same_rows  # noqa: E402

ROUNDS = 50


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--rounds", type=int, default=2, help="rounds of the second timed fit (2 to 50)")
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    if not os.path.exists(args.data):
        print(f"gbc_114k: {args.data} not found; skipping", file=sys.stderr)
        return 0
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.preprocessing import StandardScaler

    df = pd.read_csv(args.data)
    doc = run(args.build, args.data, "gradient_boosting", [f"n_estimators={ROUNDS}"])
    hold = doc["evaluation"]["holdout"]
    X, y, train, test = same_rows(df, doc)
    scaler = StandardScaler().fit(X[train])
    Xtr = scaler.transform(X[train])

    times = {}
    for rounds in (1, args.rounds):
        model = GradientBoostingClassifier(n_estimators=rounds, learning_rate=0.3, max_depth=6, subsample=1.0,
                                           random_state=42)
        t0 = time.perf_counter()
        model.fit(Xtr, y[train])
        times[rounds] = time.perf_counter() - t0
        print(f"{rounds} round(s): {times[rounds]:.1f} s", flush=True)
    per_round = (times[args.rounds] - times[1]) / (args.rounds - 1)
    estimate = times[1] + (ROUNDS - 1) * per_round
    g_fit = hold["fit_seconds"]
    peer_acc = ""
    if args.rounds >= ROUNDS:  # fully fitted: the estimate is the measured total, and accuracy is comparable
        acc = float((model.predict(scaler.transform(X[test])) == y[test]).mean())
        peer_acc = f"GradientBoostingClassifier held-out accuracy {100 * acc:.2f} % (all {ROUNDS} rounds fitted). "
    text = (
        f"| model | rows (train/test) | genrelab fit s | peer | peer fit s | fit speed-up |\n"
        f"|---|---|---|---|---|---|\n"
        f"| gradient_boosting ({ROUNDS} rounds, depth 6, lr 0.3) | {len(train)}/{len(test)} | {g_fit:.2f} | "
        f"GradientBoostingClassifier (same parameters, estimated) | {estimate:.0f} | {estimate / g_fit:.0f}× |\n\n"
        f"GradientBoostingClassifier fits timed: 1 round {times[1]:.1f} s, {args.rounds} rounds {times[args.rounds]:.1f} s; "
        f"estimate = T(1) + {ROUNDS - 1} × {per_round:.1f} s per further round.\n"
        f"genrelab held-out accuracy {100 * hold['test']['accuracy']:.2f} %. {peer_acc}{os.cpu_count()} CPUs.\n")
    publish(text, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
