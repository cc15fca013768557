#!/usr/bin/env python3
"""Checks that every include between genrelab's layers runs downwards.

The CMake targets already make an upward include a compile error for every
.cpp file; this also covers headers that no file of their own layer includes,
and prints the layer graph. Exit status 1 on a violation.

    scripts/check_layers.py
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Each layer and the layers it may include (what its CMake target links).
ALLOWED = {
    "core": set(),
    "audio": {"core"},
    "data": {"core"},
    "features": {"core", "data"},
    "models": {"core", "data", "features"},
    "evaluation": {"core", "data", "features", "models"},
    "profiling": {"core", "data", "features", "models", "evaluation"},
    "modelio": {"core", "data", "features", "models", "evaluation"},
    "explain": {"core", "data", "features", "models", "evaluation", "modelio"},
    "report": {"core", "data", "features", "models", "evaluation"},
    "study": {"core", "audio", "data", "features", "models", "evaluation", "profiling", "modelio", "explain", "report"},
}
INCLUDE = re.compile(r'#include "([a-z_]+)/([A-Za-z0-9_/]+\.h)"')

public = {}  # "genrelab/x.h" -> layer
for layer in ALLOWED:
    for h in (ROOT / "include" / layer / "genrelab").glob("*.h"):
        public["genrelab/" + h.name] = layer

bad = 0
for layer in ALLOWED:
    files = list((ROOT / "include" / layer).rglob("*.h")) + list((ROOT / "src" / layer).rglob("*.[ch]*"))
    for f in files:
        for n, line in enumerate(f.read_text(errors="replace").splitlines(), 1):
            m = INCLUDE.search(line)
            if not m:
                continue
            target = m.group(1) + "/" + m.group(2)
            if m.group(1) == "genrelab":
                to = public.get(target)
                if to is None:
                    print(f"{f.relative_to(ROOT)}:{n}: {target} is no layer's public header")
                    bad += 1
                    continue
            else:
                to = m.group(1)  # a private header "<layer>/name.h"
                if to != layer:
                    print(f"{f.relative_to(ROOT)}:{n}: {target} is private to {to}")
                    bad += 1
                    continue
            if to != layer and to not in ALLOWED[layer]:
                print(f"{f.relative_to(ROOT)}:{n}: {layer} includes {target} from {to}, a layer above or beside it")
                bad += 1
print(f"{len(public)} public headers in {len(ALLOWED)} layers; {bad} upward or private includes")
sys.exit(1 if bad else 0)
