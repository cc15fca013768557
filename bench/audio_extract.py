#!/usr/bin/env python3
"""Extraction speed: seconds of audio per wall-clock second for genrelab's
feature sets (GTZAN's librosa columns alone, and everything), on one core (--jobs 1) and on two (--jobs 2), from 22 kHz
FLAC (the 60 staged GTZAN clips) and from 44.1 kHz stereo MP3 (the same clips
re-encoded here at 192 kb/s), decoding and resampling included. Beside it, in
the same run and on the same files, aubio's command-line tools for what they
share: aubiomfcc (MFCCs) and aubioonset (onsets), one process per file as
they are used, once in sequence and once two at a time (xargs -P 2).
Then tempo and loudness beside their peers on the same clips: aubio's
`aubio tempo` and `aubiotrack` on click tracks and drum patterns the script writes (60-180 BPM, 4/4 and 3/4),
ffmpeg's ebur128 filter on the staged clips: accuracy and time.

usage: audio_extract.py BUILD_DIR [--out bench/results/audio_extract.md] [--repeat 3]
Needs ffmpeg and aubio-tools (scripts/install-deps.sh --bench). Run it on an
otherwise idle machine: it measures wall time."""
import argparse
import csv
import math
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import wave

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


def write_wav(path, y, rate=22050):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(max(-1, min(1, v)) * 32767)) for v in y))


def write_clicks(path, bpm, metre=4, seconds=24.0, rate=22050):
    """A click track: 2 kHz bursts, the downbeat of each bar louder (as tests/audio_rhythm_test.cpp)."""
    n = int(seconds * rate)
    y = [0.0] * n
    period, t, beat = 60.0 / bpm, 0.25, 0
    while t + 0.05 < seconds:
        start, gain = int(t * rate), (0.9 if beat % metre == 0 else 0.3)
        for i in range(600):
            if start + i < n:
                y[start + i] += gain * math.exp(-i / 80.0) * math.sin(2 * math.pi * 2000.0 * i / rate)
        t, beat = t + period, beat + 1
    write_wav(path, y, rate)


def write_drums(path, bpm, metre=4, seconds=24.0, rate=22050, seed=1):
    """A drum pattern (as tests/audio_rhythm_test.cpp): a doubled kick on the downbeat, a snare on the
    other beats, a hi-hat on every off-beat eighth."""
    rng = random.Random(seed)
    n = int(seconds * rate)
    y = [0.0] * n

    def hit(at, kind):
        start, length, phase = int(at * rate), (800 if kind == "h" else 4000), 0.0
        for i in range(length):
            if start + i >= n:
                break
            t = i / rate
            if kind == "k":
                phase += 2 * math.pi * (50.0 + 50.0 * math.exp(-t * 30)) / rate
                v = 0.9 * math.sin(phase) * math.exp(-t * 12)
            elif kind == "s":
                v = 0.5 * rng.gauss(0, 1) * math.exp(-t * 25)
            else:
                v = 0.15 * rng.gauss(0, 1) * math.exp(-t * 120)
            y[start + i] += v

    period, t, beat = 60.0 / bpm, 0.25, 0
    while t + 0.2 < seconds:
        downbeat = beat % metre == 0
        hit(t, "k" if downbeat else "s")
        if downbeat:
            hit(t, "k")
        hit(t + period / 2, "h")
        t, beat = t + period, beat + 1
    write_wav(path, y, rate)


def peers(genrelab, work, repeat):
    """Tempo beside aubio on synthetic clips, loudness beside ffmpeg on the staged clips."""
    clicks = os.path.join(work, "clicks")
    os.makedirs(clicks)
    truths, groups = {}, {}
    for kind, writer in (("clicks", write_clicks), ("drums", write_drums)):
        for metre in (4, 3):
            for bpm in range(60, 181, 15):
                name = f"{kind}{metre}{bpm:03d}.wav"
                writer(os.path.join(clicks, name), bpm, metre)
                truths[name] = (float(bpm), metre)
                groups.setdefault(f"{kind}, {metre}/4", []).append(name)
    out = os.path.join(work, "r.csv")
    t_ours = best_of(repeat, lambda: wall([genrelab, "extract", clicks, "--families", "rhythm", "-o", out,
                                           "--force", "-q", "--jobs", "1"]))
    with open(out, newline="") as f:
        rows = {r["filename"]: r for r in csv.DictReader(f)}
    ours = {n: float(r["bpm"]) for n, r in rows.items()}
    metres = {n: int(float(r["time_signature"])) for n, r in rows.items()}
    aubio_tempo, aubio_track = {}, {}
    start = time.perf_counter()
    for name in truths:
        text = subprocess.run(["aubio", "tempo", os.path.join(clicks, name)], capture_output=True, text=True).stdout
        aubio_tempo[name] = float(text.split()[0]) if text.split() else 0.0
    t_tempo = time.perf_counter() - start
    start = time.perf_counter()
    for name in truths:
        text = subprocess.run(["aubiotrack", "-i", os.path.join(clicks, name)], capture_output=True, text=True).stdout
        beats = [float(v) for v in text.split()]
        gaps = sorted(b - a for a, b in zip(beats, beats[1:]))
        aubio_track[name] = 60.0 / gaps[len(gaps) // 2] if gaps else 0.0
    t_track = time.perf_counter() - start
    ok = lambda d, n: abs(d[n] - truths[n][0]) <= 0.02 * truths[n][0]
    count = lambda d, names: f"{sum(ok(d, n) for n in names)} of {len(names)}"
    lines = ["# Tempo on synthetic clips (24 s, 60-180 BPM every 15; click tracks and drum patterns, 4/4 and 3/4)", "",
             "Tempo within 2 % of the truth, and (genrelab only; aubio has no metre) the time signature right.", "",
             "| clips | genrelab bpm | genrelab time signature | aubio tempo | aubiotrack (median beat interval) |",
             "|---|---|---|---|---|"]
    for group, names in groups.items():
        lines.append(f"| {group} | {count(ours, names)} | {sum(metres[n] == truths[n][1] for n in names)} of "
                     f"{len(names)} | {count(aubio_tempo, names)} | {count(aubio_track, names)} |")
    every = list(truths)
    lines += [f"| all | {count(ours, every)} | {sum(metres[n] == truths[n][1] for n in every)} of {len(every)} | "
              f"{count(aubio_tempo, every)} | {count(aubio_track, every)} |",
              f"| wall time, 1 core | {t_ours:.2f} s (decoding + rhythm, one process) | | {t_tempo:.2f} s "
              f"(a process per clip) | {t_track:.2f} s |", "",
              "| clip | truth | genrelab bpm | genrelab metre | aubio tempo | aubiotrack |", "|---|---|---|---|---|---|"]
    for n in every:
        lines.append(f"| {n} | {truths[n][0]:.0f} {truths[n][1]}/4 | {ours[n]:.2f} | {metres[n]}/4 | "
                     f"{aubio_tempo[n]:.2f} | {aubio_track[n]:.2f} |")
    lines.append("")
    staged = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "data", "audio"))
    files = ["essentia/techno_loop.mp3", "essentia/dubstep.flac", "essentia/hiphop.mp3", "essentia/flamenco.mp3",
             "gtzan/jazz.00000.wav", "gtzan/rock.00001.wav", "madmom/sample.wav"]
    lines += ["# Integrated loudness beside ffmpeg's ebur128 filter", "",
              "| clip | genrelab LUFS | ffmpeg LUFS | difference |", "|---|---|---|---|"]
    worst = 0.0
    for name in files:
        path = os.path.join(staged, name)
        subprocess.run([genrelab, "extract", path, "--families", "loudness", "-o", out, "--force", "-q"], check=True)
        with open(out, newline="") as f:
            lufs = float(next(csv.DictReader(f))["loudness"])
        err = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", path, "-af", "ebur128",
                              "-f", "null", "-"], capture_output=True, text=True).stderr
        theirs = float(err[err.rfind("Integrated loudness:"):].split("I:")[1].split()[0])
        worst = max(worst, abs(lufs - theirs))
        lines.append(f"| {name} | {lufs:.2f} | {theirs:.1f} | {lufs - theirs:+.2f} |")
    lines += [f"| largest difference | | | {worst:.2f} LU (ffmpeg prints one decimal) |", ""]
    return lines


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
        gtzan_families = ("chroma_stft,rms,spectral_centroid,spectral_bandwidth,rolloff,zero_crossing_rate,hpss,"
                          "tempo,mfcc,spectral_contrast,spectral_flatness,spectral_flux")
        rows = []
        for title, folder, files in sets:
            out_csv = os.path.join(work, "f.csv")
            result = {}
            for label, families in (("gtzan", gtzan_families), ("all", "")):
                for jobs in (1, 2):
                    cmd = [genrelab, "extract", folder, "-o", out_csv, "--jobs", str(jobs), "--force", "-q"]
                    if families:
                        cmd += ["--families", families]
                    result[(label, jobs)] = best_of(args.repeat, lambda: wall(cmd))
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
                 "| input | audio | genrelab GTZAN columns, 1 job | 2 jobs | 2 / 1 | genrelab all columns, 1 job "
                 "| 2 jobs | 2 / 1 | aubiomfcc 1 proc | 2 procs | aubioonset 1 proc | 2 procs |",
                 "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for title, seconds, r in rows:
            x = lambda t: f"{seconds / t:.0f}x ({t:.2f} s)"
            lines.append(f"| {title} | {seconds:.0f} s | {x(r[('gtzan', 1)])} | {x(r[('gtzan', 2)])} | "
                         f"{r[('gtzan', 1)] / r[('gtzan', 2)]:.2f} | {x(r[('all', 1)])} | {x(r[('all', 2)])} | "
                         f"{r[('all', 1)] / r[('all', 2)]:.2f} | {x(r['aubiomfcc'][0])} | {x(r['aubiomfcc'][1])} | "
                         f"{x(r['aubioonset'][0])} | {x(r['aubioonset'][1])} |")
        lines += ["", "GTZAN columns: the 57 of features_30_sec.csv plus spectral contrast, flatness and flux. "
                  "All columns: also rhythm (beat tracking), loudness (EBU R128 with true peak), key and the "
                  "descriptors. aubiomfcc computes only MFCCs per frame and aubioonset only onsets, each "
                  "printing per-frame text.", ""]
        lines += peers(genrelab, work, args.repeat)
        publish("\n".join(lines), args.out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
