#!/usr/bin/python3
"""Trees at scale: genrelab random_forest vs scikit-learn and XGBoost hist, same run, same rows.

The data is bench/scale_data.py's: the 14-genre seed data resampled with
replacement to N rows with 1 % multiplicative noise (65 numeric features and
the Genre label), written once per N and reused.

For each N (default 100,000 and 1,000,000; --with-5m adds 5,000,000 for
genrelab and XGBoost only, where scikit-learn would take hours), each side in
its own process under /usr/bin/time -v (peak RSS is the whole process's,
including reading the CSV):
  genrelab evaluate FILE --model random_forest --cv 0 --test-size 0.2 --seed 0
      n_estimators=T, max_depth=D, max_features=sqrt (default), split_search=auto
      (the histogram search from 50,000 training rows); its own fit clock, and
      its held-out rows, which the other two sides then use exactly
  scikit-learn RandomForestClassifier(n_estimators=T, max_depth=D, max_features="sqrt", n_jobs=-1)
  XGBoost XGBClassifier(tree_method="hist", n_estimators=100, max_depth=6, n_jobs=-1)
and the CSV read: genrelab load-data against pandas.read_csv (bench/csv_read.py's
measurement, one run each).

Writes the table to --out (default bench/results/scale.md). Not a test: times
depend on the machine and on whatever else runs on it.

Usage: bench/scale.py BUILD_DIR [--rows 100000,1000000] [--with-5m] [--trees 100] [--depth 10]
                                [--no-sklearn] [--no-xgboost] [--no-csv] [--out FILE.md]
"""
import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from csv_read import PANDAS_SIDE, load_conditions, timed  # noqa: E402
from result_text import publish  # noqa: E402
from scale_data import LABEL, cached_csv  # noqa: E402

# The Python sides: read the CSV, take genrelab's held-out rows (a .npy of row
# indexes), fit on the rest, score the held-out rows. One JSON line out.
PEER_SIDE = r'''
import json, sys, time
import numpy as np, pandas as pd
kind, path, test_path, trees, depth = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
df = pd.read_csv(path)
y = np.unique(df["%s"].to_numpy(), return_inverse=True)[1]
X = df.drop(columns=["%s"]).to_numpy(dtype=np.float64)
del df
test = np.load(test_path)
mask = np.ones(len(y), dtype=bool)
mask[test] = False
Xtr, ytr, Xte, yte = X[mask], y[mask], X[test], y[test]
del X
if kind == "sklearn":
    from sklearn.ensemble import RandomForestClassifier
    model = RandomForestClassifier(n_estimators=trees, max_depth=depth, max_features="sqrt", n_jobs=-1, random_state=0)
else:
    from xgboost import XGBClassifier
    model = XGBClassifier(tree_method="hist", n_estimators=100, max_depth=6, n_jobs=-1, random_state=0)
t0 = time.perf_counter(); model.fit(Xtr, ytr); fit_s = time.perf_counter() - t0
acc = float((model.predict(Xte) == yte).mean())
print(json.dumps({"fit_s": fit_s, "accuracy": acc, "n_train": int(len(ytr)), "n_test": int(len(yte)),
                  "n_features": int(Xtr.shape[1])}))
''' % (LABEL, LABEL)


def run_genrelab(build, path, trees, depth, tmp, search="auto"):
    out = os.path.join(tmp, "g.json")
    cmd = [os.path.join(build, "genrelab"), "evaluate", path, "--cv", "0", "--test-size", "0.2", "--seed", "0",
           "--model", "random_forest", "--param", f"n_estimators={trees}", "--param", f"max_depth={depth}",
           "--param", f"split_search={search}", "--top", "0", "--json", out]
    _, wall, rss, cpu = timed(cmd)
    with open(out) as f:
        doc = json.load(f)
    hold = doc["evaluation"]["holdout"]
    test_rows = hold["test_rows"]
    import numpy as np
    test_path = os.path.join(tmp, "test_rows.npy")
    np.save(test_path, np.asarray(test_rows, dtype=np.int64))
    return {"fit_s": hold["fit_seconds"], "accuracy": hold["test"]["accuracy"], "n_train": hold["n_train"],
            "n_test": hold["n_test"], "n_features": len(doc["dataset"]["features"]), "rss_mb": rss,
            "wall_s": wall, "cpu_s": cpu}, test_path


def run_peer(kind, path, test_path, trees, depth):
    out, wall, rss, cpu = timed(["/usr/bin/python3", "-c", PEER_SIDE, kind, path, test_path, str(trees), str(depth)])
    res = json.loads(out.strip().splitlines()[-1])
    res.update({"rss_mb": rss, "wall_s": wall, "cpu_s": cpu})
    return res


def csv_read(build, path):
    out, g_wall, g_rss, _ = timed([os.path.join(build, "genrelab"), "load-data", path])
    m = re.search(r"read (\d+) rows x (\d+) features in ([\d.]+) s", out)
    out, p_wall, p_rss, _ = timed(["/usr/bin/python3", "-c", PANDAS_SIDE, path])
    return {"g_read": float(m.group(3)), "g_rss": g_rss, "p_read": float(out.split()[0]), "p_rss": p_rss}


def fmt(v, spec=".1f", unit=""):
    return "—" if v is None else f"{v:{spec}}{unit}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--rows", default="100000,1000000")
    ap.add_argument("--with-5m", action="store_true", help="add 5,000,000 rows (genrelab and XGBoost only)")
    ap.add_argument("--trees", type=int, default=100)
    ap.add_argument("--depth", type=int, default=10)
    ap.add_argument("--no-sklearn", action="store_true")
    ap.add_argument("--no-xgboost", action="store_true")
    ap.add_argument("--no-csv", action="store_true")
    ap.add_argument("--exact-up-to", type=int, default=100_000,
                    help="also fit genrelab with split_search=exact at sizes up to this many rows (0: never)")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "scale.md"))
    args = ap.parse_args()
    sizes = [int(r) for r in args.rows.split(",") if r]
    if args.with_5m and 5_000_000 not in sizes:
        sizes.append(5_000_000)

    before = load_conditions()
    results = []
    for n in sizes:
        path = cached_csv(n, 0)
        with open(path, "rb") as f:  # into the page cache, for every side alike
            while f.read(1 << 24):
                pass
        row = {"n": n, "size_mb": os.path.getsize(path) / 1e6}
        with tempfile.TemporaryDirectory() as tmp:
            print(f"scale: {n:,} rows: genrelab ...", file=sys.stderr)
            row["g"], test_path = run_genrelab(args.build, path, args.trees, args.depth, tmp)
            row["e"] = None
            if n <= args.exact_up_to:
                print(f"scale: {n:,} rows: genrelab split_search=exact ...", file=sys.stderr)
                row["e"], _ = run_genrelab(args.build, path, args.trees, args.depth, tmp, "exact")
            row["s"] = None
            if not args.no_sklearn and n <= 1_000_000:
                print(f"scale: {n:,} rows: scikit-learn ...", file=sys.stderr)
                row["s"] = run_peer("sklearn", path, test_path, args.trees, args.depth)
            row["x"] = None
            if not args.no_xgboost:
                print(f"scale: {n:,} rows: XGBoost ...", file=sys.stderr)
                row["x"] = run_peer("xgboost", path, test_path, args.trees, args.depth)
        row["csv"] = None if args.no_csv else csv_read(args.build, path)
        results.append(row)
        print(json.dumps(row), file=sys.stderr)
    after = load_conditions()

    import sklearn
    import xgboost
    lines = [
        "# Trees at scale: genrelab vs scikit-learn and XGBoost",
        "",
        f"`bench/scale.py`: the 14-genre seed data resampled to N rows with 1 % noise (bench/scale_data.py, seed 0), "
        f"65 features; fitted on 80 % of the rows, scored on the other 20 % (genrelab's held-out rows, the same for "
        f"every side). genrelab random_forest and scikit-learn {sklearn.__version__} RandomForestClassifier(n_jobs=-1): "
        f"{args.trees} trees, max_depth {args.depth}, sqrt features; genrelab's split_search=auto (histogram search, "
        f"255 bins, from 50,000 training rows). XGBoost {xgboost.__version__} XGBClassifier(tree_method=hist, 100 rounds, "
        f"max_depth 6). Fit times are each library's own clock around fit; peak RSS is the whole process's "
        f"(`/usr/bin/time -v`, including reading the CSV). {os.cpu_count()} cores, {platform.machine()}.",
        "",
        f"Load: {before} before the runs; {after} after.",
        "",
        "| rows | genrelab fit | scikit-learn fit | XGBoost hist fit | genrelab accuracy | scikit-learn accuracy "
        "| XGBoost accuracy | genrelab peak RSS | scikit-learn peak RSS | XGBoost peak RSS |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        g, s, x = r["g"], r["s"], r["x"]
        s_fit = f"{s['fit_s']:.1f} s ({s['fit_s'] / g['fit_s']:.1f}×)" if s else "—"
        x_fit = f"{x['fit_s']:.1f} s ({x['fit_s'] / g['fit_s']:.1f}×)" if x else "—"
        lines.append(
            f"| {r['n']:,} | {g['fit_s']:.1f} s | {s_fit} | {x_fit} | {100 * g['accuracy']:.2f} % | "
            f"{fmt(s and 100 * s['accuracy'], '.2f', ' %')} | {fmt(x and 100 * x['accuracy'], '.2f', ' %')} | "
            f"{g['rss_mb']:.0f} MiB | {fmt(s and s['rss_mb'], '.0f', ' MiB')} | {fmt(x and x['rss_mb'], '.0f', ' MiB')} |")
    lines.append("")
    lines.append("(×: how many times longer the peer's fit took than genrelab's.)")
    exact = [r for r in results if r["e"]]
    if exact:
        lines += ["", "The histogram search against genrelab's exact search (split_search=exact), same rows and seed:", "",
                  "| rows | hist fit | exact fit | hist accuracy | exact accuracy | hist peak RSS | exact peak RSS |",
                  "|---|---|---|---|---|---|---|"]
        for r in exact:
            g, e = r["g"], r["e"]
            lines.append(f"| {r['n']:,} | {g['fit_s']:.1f} s | {e['fit_s']:.1f} s | {100 * g['accuracy']:.2f} % | "
                         f"{100 * e['accuracy']:.2f} % | {g['rss_mb']:.0f} MiB | {e['rss_mb']:.0f} MiB |")
    if len(results) >= 2:
        a, b = results[0], results[1]
        growth = ", ".join(
            f"{side} {b[k]['fit_s'] / a[k]['fit_s']:.1f}×" for side, k in
            (("genrelab", "g"), ("scikit-learn", "s"), ("XGBoost", "x")) if a[k] and b[k])
        lines += ["", f"Fit time from {a['n']:,} to {b['n']:,} rows ({b['n'] / a['n']:.0f}× the rows): {growth}."]
    if not args.no_csv:
        lines += ["", "Reading the CSV (one run each, from the page cache): genrelab `load-data` against `pandas.read_csv`.",
                  "", "| rows | file | genrelab read | pandas read | genrelab peak RSS | pandas peak RSS |",
                  "|---|---|---|---|---|---|"]
        for r in results:
            c = r["csv"]
            lines.append(f"| {r['n']:,} | {r['size_mb']:.0f} MB | {c['g_read']:.2f} s | {c['p_read']:.2f} s "
                         f"({c['p_read'] / c['g_read']:.1f}×) | {c['g_rss']:.0f} MiB | {c['p_rss']:.0f} MiB |")
    lines.append("")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    publish("\n".join(lines), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
