#!/usr/bin/env python3
"""Extraction speed: seconds of audio per wall-clock second for genrelab's
full feature set, on one core (--jobs 1) and on two (--jobs 2), from 22 kHz
FLAC (the 60 staged GTZAN clips) and from 44.1 kHz stereo MP3 (the same clips
re-encoded here at 192 kb/s), decoding and resampling included. Beside it, in
the same run and on the same files, aubio's command-line tools for what they
share: aubiomfcc (MFCCs) and aubioonset (onsets), one process per file as
they are used, once in sequence and once two at a time (xargs -P 2).

usage: audio_extract.py BUILD_DIR [--out bench/results/audio_extract.md] [--repeat 3]
Needs ffmpeg and aubio-tools (scripts/install-deps.sh --bench). Run it on an
otherwise idle machine: it measures wall time."""
import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time

from result_text import publish

HERE = os.path.dirname(os.path.abspath(__file__))
FLAC_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "data", "audio", "gtzan_flac"))


def wall(cmd, **kw):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - start


def best_of(n, fn):
    return min(fn() for _ in range(n))


def audio_seconds(csv_path):
    with open(csv_path, newline="") as f:
        return sum(int(r["length"]) for r in csv.DictReader(f)) / 22050.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--out")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    genrelab = os.path.abspath(os.path.join(args.build, "genrelab"))
    for tool in ("ffmpeg", "aubiomfcc", "aubioonset"):
        if not shutil.which(tool):
            sys.exit(f"audio_extract.py: {tool} not found (scripts/install-deps.sh --bench)")
    flacs = sorted(os.path.join(FLAC_DIR, f) for f in os.listdir(FLAC_DIR) if f.endswith(".flac"))
    work = tempfile.mkdtemp(prefix="genrelab-bench-audio-")
    try:
        mp3_dir = os.path.join(work, "mp3")
        os.makedirs(mp3_dir)
        for f in flacs:
            out = os.path.join(mp3_dir, os.path.basename(f)[:-5] + ".mp3")
            subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", f, "-ar", "44100", "-ac", "2",
                            "-b:a", "192k", out], check=True)
        sets = [("22.05 kHz mono FLAC (60 GTZAN clips)", FLAC_DIR, flacs),
                ("44.1 kHz stereo MP3 192k (the same clips)", mp3_dir,
                 sorted(os.path.join(mp3_dir, f) for f in os.listdir(mp3_dir)))]
        rows = []
        for title, folder, files in sets:
            out_csv = os.path.join(work, "f.csv")
            result = {}
            for jobs in (1, 2):
                def run():
                    return wall([genrelab, "extract", folder, "-o", out_csv, "--jobs", str(jobs), "--force", "-q"])
                result[jobs] = best_of(args.repeat, run)
            seconds = audio_seconds(out_csv)
            for tool in ("aubiomfcc", "aubioonset"):
                seq = best_of(args.repeat, lambda: wall(["sh", "-c", " ; ".join(f"{tool} -i '{f}' > /dev/null"
                                                                                    for f in files)]))
                par = best_of(args.repeat, lambda: wall(
                    ["sh", "-c", f"printf '%s\\n' \"$@\" | xargs -P 2 -I{{}} {tool} -i {{}}", "sh"] + files))
                result[tool] = (seq, par)
            rows.append((title, seconds, result))
        lines = ["# Audio extraction speed", "",
                 f"`bench/audio_extract.py`, best of {args.repeat} runs, {os.cpu_count()} cores, "
                 f"{time.strftime('%Y-%m-%d')}. x real-time = seconds of audio / wall seconds.", "",
                 "| input | audio | genrelab --jobs 1 (all features) | genrelab --jobs 2 | 2 jobs / 1 job "
                 "| aubiomfcc 1 proc | aubiomfcc 2 procs | aubioonset 1 proc | aubioonset 2 procs |",
                 "|---|---|---|---|---|---|---|---|---|"]
        for title, seconds, r in rows:
            x = lambda t: f"{seconds / t:.0f}x ({t:.2f} s)"
            lines.append(f"| {title} | {seconds:.0f} s | {x(r[1])} | {x(r[2])} | {r[1] / r[2]:.2f} | "
                         f"{x(r['aubiomfcc'][0])} | {x(r['aubiomfcc'][1])} | {x(r['aubioonset'][0])} | "
                         f"{x(r['aubioonset'][1])} |")
        lines += ["", "genrelab computes the 57 GTZAN columns (chroma with tuning estimate, HPSS, tempo, "
                  "20 MFCCs, ...) plus spectral contrast, flatness and flux per file; aubiomfcc computes only "
                  "MFCCs per frame and aubioonset only onsets, each printing per-frame text.", ""]
        publish("\n".join(lines), args.out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
