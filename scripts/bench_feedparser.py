#!/usr/bin/env python3
"""Times Python's feedparser (PyPI) parsing every file under a directory,
for `make bench`'s side-by-side with pantau's parse + normalise.

Usage: scripts/bench_feedparser.py DIR [REPEAT]  → prints JSON on stdout.
Installs feedparser into target/bench-venv on first use.
"""
import json, os, subprocess, sys, time, venv

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
env_dir = os.path.join(root, "target", "bench-venv")
py = os.path.join(env_dir, "bin", "python")
if os.path.realpath(sys.executable) != os.path.realpath(py) or not os.path.exists(os.path.join(env_dir, ".feedparser")):
    if not os.path.exists(py):
        venv.create(env_dir, with_pip=True)
    if not os.path.exists(os.path.join(env_dir, ".feedparser")):
        subprocess.run([py, "-m", "pip", "install", "-q", "feedparser==6.0.11"], check=True)
        open(os.path.join(env_dir, ".feedparser"), "w").close()
    if os.path.realpath(sys.executable) != os.path.realpath(py):
        os.execv(py, [py] + sys.argv)

import feedparser  # noqa: E402

base = sys.argv[1]
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
files = []
for d, _, names in os.walk(base):
    for n in sorted(names):
        with open(os.path.join(d, n), "rb") as f:
            files.append(f.read())
size = sum(len(b) for b in files) * repeat
errors = 0
start = time.perf_counter()
for _ in range(repeat):
    for b in files:
        try:
            feedparser.parse(b)
        except Exception:  # a few of feedparser's own test files crash it
            errors += 1
secs = time.perf_counter() - start
print(json.dumps({"feeds": len(files) * repeat, "bytes": size, "seconds": secs, "crashes": errors // repeat,
                  "feeds_per_s": len(files) * repeat / secs, "mb_per_s": size / secs / 1e6}))
