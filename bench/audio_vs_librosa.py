#!/usr/bin/env python3
"""Compares genrelab's extracted features with librosa's reference values in
GTZAN's features CSVs, column by column.

For every column: the median and the worst |genrelab - librosa| over the
matched files, as a share of that column's standard deviation over all rows
of the reference file (so columns near zero are judged fairly), and the
median relative difference |g - l| / |l|.

usage: audio_vs_librosa.py OURS.csv REFERENCE.csv [--markdown] [--max-worst P]
  --max-worst P: exit 1 when a column's worst difference exceeds P % of sd
                 (tempo excluded), for use as a check.
Only the standard library is needed."""
import csv
import math
import statistics
import sys


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return rows


def key(name):
    # Our filenames may keep the audio's own extension (.flac); GTZAN's are .wav.
    base = name.rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0]
    return stem


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    markdown = "--markdown" in argv
    max_worst = None
    if "--max-worst" in argv:
        max_worst = float(argv[argv.index("--max-worst") + 1])
        args = [a for a in args if a != argv[argv.index("--max-worst") + 1]]
    ours_path, ref_path = args[0], args[1]
    ours = {key(r["filename"]): r for r in read(ours_path)}
    ref_rows = read(ref_path)
    ref = {key(r["filename"]): r for r in ref_rows}
    matched = sorted(set(ours) & set(ref))
    if not matched:
        print("no file in common", file=sys.stderr)
        return 2
    columns = [c for c in ref_rows[0].keys() if c not in ("filename", "label") and c in next(iter(ours.values()))]
    failures = []
    lines = []
    header = ["column", "median |d|/sd %", "worst |d|/sd %", "median rel. diff %", "worst file"]
    for c in columns:
        sd = statistics.pstdev(float(r[c]) for r in ref_rows)
        diffs, rels = [], []
        for k in matched:
            g, l = float(ours[k][c]), float(ref[k][c])
            d = abs(g - l)
            diffs.append((d / sd * 100 if sd > 0 else (0.0 if d == 0 else math.inf), k))
            rels.append(d / abs(l) * 100 if l != 0 else (0.0 if d == 0 else math.inf))
        med = statistics.median(d for d, _ in diffs)
        worst, worst_file = max(diffs)
        lines.append([c, f"{med:.4f}", f"{worst:.4f}", f"{statistics.median(rels):.4f}", worst_file])
        if max_worst is not None and c != "tempo" and worst > max_worst:
            failures.append(c)
    print(f"{len(matched)} files matched between {ours_path} and {ref_path}")
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for l in lines:
            print("| " + " | ".join(l) + " |")
    else:
        print("  ".join(f"{h:>20}" for h in header))
        for l in lines:
            print("  ".join(f"{v:>20}" for v in l))
    if failures:
        print("columns over the limit: " + ", ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
