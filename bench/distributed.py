#!/usr/bin/python3
"""Distributed gradient_boosting (XGBoost's collective) on this machine: workers x rows.

For each row count N (default 1 M and 5 M) and worker count W (default 1 and 2),
`genrelab launch --workers W -- train part-{task}.csv --distributed` fits
gradient_boosting (tree_method hist, ROUNDS rounds, max_depth 6, max_bin 256) on
N seed-shaped rows (bench/scale_data.py: the 14-genre seed data bootstrapped
with 1 % noise), each worker reading its own N/W-row file, as workers on
separate machines would. W = 1 is also fitted without the collective
(plain `train`), so its overhead shows.

Measured per run: the fit time of each worker (its own clock around the fit,
printed by the worker), the wall time of the whole launch (reading the CSVs
included), and the bytes each worker sent to the others during its fit (the
sum of TCP_INFO bytes_sent over its sockets, read by the worker before and
after), i.e. the quantile sketch once plus every round's histogram allreduce.

From those it writes an estimate for 8 and 32 machines at 50 M rows (see
estimate()); the formula and its assumptions are printed with it.

On two cores, two workers share the cores (n_jobs = cores / W each), so W = 2
here measures the collective's cost, not a speed-up; machines bring their own cores.

Usage: bench/distributed.py BUILD_DIR [--rows 1000000,5000000] [--workers 1,2]
                            [--rounds 20] [--out bench/results/distributed.md]
       bench/distributed.py BUILD_DIR --rows 20000 --rounds 3     (a quick check)
Files go to $GENRELAB_BENCH_DATA (default /tmp/genrelab-bench-data), ~750 bytes a row.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from result_text import publish  # noqa: E402
from scale_data import cached_csv  # noqa: E402

MAX_DEPTH = 6
MAX_BIN = 256
WORKER_LINE = re.compile(
    r"\[worker (\d+)\]\s+worker \d+: fit in ([0-9.]+) s, (\d+) rounds; sent ([0-9.]+) MB")


def shape_of(path):
    """(features, classes) of a scale_data file: every column but Genre is a feature."""
    import pandas as pd
    df = pd.read_csv(path, nrows=20000)
    return len(df.columns) - 1, df["Genre"].nunique()


def run_launch(build, files, rounds, n_jobs):
    workers = len(files)
    with tempfile.TemporaryDirectory() as tmp:
        for k, f in enumerate(files):
            os.symlink(f, os.path.join(tmp, f"part-{k}.csv"))
        cmd = [os.path.join(build, "genrelab"), "launch", "--workers", str(workers), "--", "train", "part-{task}.csv",
               "--model", "gradient_boosting", "--param", f"n_estimators={rounds}", "--param", f"max_depth={MAX_DEPTH}",
               "--param", f"max_bin={MAX_BIN}", "--param", f"n_jobs={n_jobs}", "--distributed",
               "-o", "model.glab"]
        t0 = time.perf_counter()
        p = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True)
        wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"distributed: launch failed ({p.returncode}):\n{p.stderr[-3000:]}")
    fits = {}
    for m in WORKER_LINE.finditer(p.stderr):
        fits[int(m.group(1))] = (float(m.group(2)), int(m.group(3)), float(m.group(4)))
    if len(fits) != workers:
        sys.exit(f"distributed: expected {workers} worker fit lines in:\n{p.stderr[-3000:]}")
    return wall, fits


def run_single(build, path, rounds, n_jobs):
    """Plain `train` (no collective), timed from outside: the fit dominates at these sizes."""
    cmd = [os.path.join(build, "genrelab"), "train", path, "--model", "gradient_boosting",
           "--param", f"n_estimators={rounds}", "--param", f"max_depth={MAX_DEPTH}", "--param", f"max_bin={MAX_BIN}",
           "--param", f"n_jobs={n_jobs}", "-o", os.devnull]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"distributed: train failed:\n{p.stderr[-3000:]}")
    return time.perf_counter() - t0


def histogram_bytes_per_round(n_features, n_classes):
    """What hist allreduces per boosting round in XGBoost 1.7 (depthwise): for each
    class's tree, the histograms of the nodes it builds at each level below the
    leaves: the root, then one child per split pair (the sibling is the parent
    minus it), so 1 + 1 + 2 + ... + 2^(max_depth-2) = 2^(max_depth-1) nodes; each
    histogram is n_features x max_bin bins of a (gradient, hessian) pair of doubles."""
    nodes = 2 ** (MAX_DEPTH - 1)
    return n_classes * nodes * n_features * MAX_BIN * 2 * 8


def estimate(per_row_round_s, bytes_per_round, n_features, n_classes, rows=50_000_000, rounds=100):
    """Time of `rounds` rounds at `rows` rows on 8 and 32 machines (one worker each, this
    machine's 2 cores), from the measured compute throughput and allreduce volume."""
    lines = []
    bandwidths = [(1.25e9, "10 Gbit/s"), (0.125e9, "1 Gbit/s")]
    latency = 50e-6
    calls = n_classes * MAX_DEPTH  # one allreduce per level of each class's tree
    for machines in (8, 32):
        per_worker = rows / machines
        compute = per_worker * per_row_round_s
        for bw, name in bandwidths:
            # Ring allreduce: each worker sends (and receives) 2 (W-1)/W of the payload;
            # latency: 2 (W-1) steps per call.
            comm = 2 * (machines - 1) / machines * bytes_per_round / bw + calls * 2 * (machines - 1) * latency
            total = rounds * (compute + comm)
            lines.append(f"| {machines} | {per_worker / 1e6:.2f} M | {name} | {compute:.2f} s | {comm:.2f} s | "
                         f"{total / 60:.1f} min |")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build")
    ap.add_argument("--rows", default="1000000,5000000")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    args.build = os.path.abspath(args.build)  # the launches run in temporary folders
    rows_list = [int(x) for x in args.rows.split(",")]
    workers_list = [int(x) for x in args.workers.split(",")]
    cores = os.cpu_count() or 1

    out = ["# Distributed gradient_boosting: workers x rows", "",
           f"`bench/distributed.py {' '.join(sys.argv[1:])}` on {cores} cores, "
           f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. gradient_boosting, {args.rounds} rounds, "
           f"max_depth {MAX_DEPTH}, max_bin {MAX_BIN}, tree_method hist; bench/scale_data.py rows (seed data "
           "bootstrapped, 1 % noise); each worker reads its own N/W-row file; n_jobs = cores / W per worker.", "",
           "| rows | workers | rows per worker | fit s (slowest worker) | launch wall s | plain train s | "
           "rows x rounds / s per worker | MB sent per round per worker | histogram model, MB per round |",
           "|---|---|---|---|---|---|---|---|---|"]
    best = None
    n_features = n_classes = 0
    for rows in rows_list:
        for w in workers_list:
            files = [cached_csv(rows // w, seed=k) for k in range(w)]
            n_features, n_classes = shape_of(files[0])
            n_jobs = max(1, cores // w)
            wall, fits = run_launch(args.build, files, args.rounds, n_jobs)
            single = run_single(args.build, files[0], args.rounds, n_jobs) if w == 1 else None
            fit = max(f[0] for f in fits.values())
            rounds = fits[0][1]
            sent_per_round = max(f[2] for f in fits.values()) / rounds
            throughput = (rows // w) * rounds / fit
            model = histogram_bytes_per_round(n_features, n_classes) / 1e6
            out.append(f"| {rows:,} | {w} | {rows // w:,} | {fit:.1f} | {wall:.1f} | "
                       f"{'%.1f' % single if single else '-'} | {throughput:,.0f} | "
                       f"{sent_per_round:.2f} | {model:.2f} |")
            if w == 1:
                # Per-worker compute from the one-worker run at the largest size (no waiting on peers).
                best = (1.0 / throughput, rows)
            if w > 1 and sent_per_round > 0:
                measured_bytes = sent_per_round * 1e6
    out += ["", f"{n_features} features, {n_classes} classes. \"MB sent\" is everything a worker sent during its "
            "fit (the one-time sketch included) divided by the rounds; 1 worker sends nothing.", ""]
    if best and any(w > 1 for w in workers_list):
        per_row_round, at_rows = best
        # Histograms grow with features x bins x classes, not with rows: the
        # measured volume at this shape stands for any row count.
        out += ["## Estimate: 50 M rows, 100 rounds, 8 and 32 machines", "",
                f"Compute: {per_row_round * 1e9:.1f} ns per row per round, the one-worker throughput at "
                f"{at_rows:,} rows (this machine's {cores} cores per machine), assumed linear in rows per worker. "
                f"Allreduce: {measured_bytes / 1e6:.2f} MB per round (measured above; the model gives "
                f"{histogram_bytes_per_round(n_features, n_classes) / 1e6:.2f} MB): histograms do not grow with "
                "rows. Ring allreduce moves 2 (W-1)/W of it per worker per round, plus 2 (W-1) steps of 50 us "
                f"latency for each of the {n_classes * MAX_DEPTH} allreduce calls (one per level of each class's tree).",
                "", "| machines | rows per machine | network | compute per round | allreduce per round | 100 rounds |",
                "|---|---|---|---|---|---|"]
        out += estimate(per_row_round, measured_bytes, n_features, n_classes)
        out += ["", "Not modelled: reading and parsing each machine's CSV share (see bench/results/csv_read.md), "
                "the one-time sketch, stragglers (every level waits for "
                "the slowest worker), and memory: a machine holds its rows as doubles and as XGBoost's float "
                "DMatrix plus the bin index."]
    publish("\n".join(out) + "\n", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
