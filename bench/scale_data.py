#!/usr/bin/python3
"""Large synthetic tables shaped like the seed data, for the scale benchmarks.

The 14-genre seed data (data/seed/all_genres.csv, 1,186 rows, 65 numeric features
and the Genre label) resampled with replacement, each numeric cell multiplied by
(1 + 0.01 * N(0, 1)): 1 % multiplicative noise, so zeros stay zeros and no row is
an exact copy of a seed row. Columns stay in the seed file's order (Genre in the
middle), written by pandas' to_csv, as a user of pandas would write such a file.

Shared by bench/csv_read.py (reading speed and memory) and bench/scale.py (tree
fitting), so both measure the same kind of data.

    from scale_data import make_rows, cached_csv
    make_rows(1_000_000, 0, "/tmp/big.csv")        # always writes
    path = cached_csv(1_000_000, seed=0)           # writes once, then reuses

Command line: bench/scale_data.py N [--seed S] [--out FILE]
"""
import argparse
import os
import sys

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
SEED_CSV = os.path.join(HERE, "..", "data", "seed", "all_genres.csv")
LABEL = "Genre"
# Generated files are large (about 750 bytes a row), so they live outside the
# repository; GENRELAB_BENCH_DATA moves them.
CACHE_DIR = os.environ.get("GENRELAB_BENCH_DATA", os.path.join("/tmp", "genrelab-bench-data"))
_BLOCK = 100_000  # rows generated and written at a time, to keep the generator's memory small


def make_rows(n, seed, path):
    """Writes an n-row CSV to `path` (through a temporary name, so a crash leaves no half file)."""
    base = pd.read_csv(SEED_CSV)
    numeric = [c for c in base.columns if c != LABEL]
    values = base[numeric].to_numpy(dtype=np.float64)
    labels = base[LABEL].to_numpy()
    rng = np.random.default_rng(seed)
    tmp = path + ".part"
    with open(tmp, "w", newline="") as f:
        for start in range(0, n, _BLOCK):
            m = min(_BLOCK, n - start)
            pick = rng.integers(0, len(base), m)
            block = values[pick] * (1.0 + 0.01 * rng.standard_normal((m, len(numeric))))
            df = pd.DataFrame(block, columns=numeric)
            df.insert(list(base.columns).index(LABEL), LABEL, labels[pick])
            df.to_csv(f, index=False, header=start == 0)
    os.replace(tmp, path)
    return path


def cached_csv(n, seed=0):
    """Path of the n-row file for `seed`, generating it the first time."""
    os.makedirs(CACHE_DIR, exist_ok=True)
    path = os.path.join(CACHE_DIR, f"seed_resampled_{n}_s{seed}.csv")
    if not os.path.exists(path):
        print(f"scale_data: writing {n} rows to {path} ...", file=sys.stderr)
        make_rows(n, seed, path)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="", help="file to write (default: the shared cache, reused if present)")
    args = ap.parse_args()
    print(make_rows(args.n, args.seed, args.out) if args.out else cached_csv(args.n, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
