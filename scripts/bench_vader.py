#!/usr/bin/env python3
"""Times Python's vaderSentiment (PyPI) on the texts of a NusaX-style CSV,
for `make bench`'s side-by-side with pantau's English path.

Usage: scripts/bench_vader.py FILE.csv [REPEAT]  → prints JSON on stdout.
Installs vaderSentiment into target/bench-venv on first use.
"""
import csv, json, os, subprocess, sys, time, venv

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
env_dir = os.path.join(root, "target", "bench-venv")
py = os.path.join(env_dir, "bin", "python")
if os.path.realpath(sys.executable) != os.path.realpath(py):
    if not os.path.exists(py):
        venv.create(env_dir, with_pip=True)
        subprocess.run([py, "-m", "pip", "install", "-q", "vaderSentiment==3.3.2"], check=True)
    os.execv(py, [py] + sys.argv)

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

path = sys.argv[1]
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 20
texts = [row["text"] for row in csv.DictReader(open(path, encoding="utf-8"))]
analyzer = SentimentIntensityAnalyzer()
size = sum(len(t.encode("utf-8")) for t in texts) * repeat
# Each pass over the texts is timed on its own: the machine is shared, and
# as Python's timeit advises, the fastest pass is the best estimate of what
# the code costs; the median is printed beside it.
passes = []
for _ in range(repeat):
    start = time.perf_counter()
    for t in texts:
        analyzer.polarity_scores(t)
    passes.append(time.perf_counter() - start)
secs = sum(passes)
rates = sorted(len(texts) / p for p in passes)
print(json.dumps({"texts": len(texts) * repeat, "bytes": size, "seconds": secs,
                  "texts_per_s": len(texts) * repeat / secs, "mb_per_s": size / secs / 1e6,
                  "best_texts_per_s": rates[-1],
                  "median_texts_per_s": rates[len(rates) // 2]}))
