#!/usr/bin/env python3
"""Times Python's vaderSentiment (PyPI) on the texts of a NusaX-style CSV,
for `make bench`'s side-by-side with pantau's English path.

Usage: scripts/bench_vader.py FILE.csv [PASSES]  → prints JSON on stdout,
with the rate of each pass over the texts;
       scripts/bench_vader.py FILE.csv --serve → one pass per line on stdin,
its rate on stdout (`pantau-bench english` alternates these with its own
rounds).
Installs vaderSentiment into target/bench-venv on first use.
"""
import csv, json, os, subprocess, sys, time, venv

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
env_dir = os.path.join(root, "target", "bench-venv")
py = os.path.join(env_dir, "bin", "python")
# The venv is shared with bench_feedparser.py: whichever made it, each
# script installs its own package once, marked by a file.
marker = os.path.join(env_dir, ".vadersentiment")
if os.path.realpath(sys.executable) != os.path.realpath(py) or not os.path.exists(marker):
    if not os.path.exists(py):
        venv.create(env_dir, with_pip=True)
    if not os.path.exists(marker):
        subprocess.run([py, "-m", "pip", "install", "-q", "vaderSentiment==3.3.2"], check=True)
        open(marker, "w").close()
    if os.path.realpath(sys.executable) != os.path.realpath(py):
        os.execv(py, [py] + sys.argv)

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

path = sys.argv[1]
texts = [row["text"] for row in csv.DictReader(open(path, encoding="utf-8"))]
analyzer = SentimentIntensityAnalyzer()


def one_pass():
    start = time.perf_counter()
    for t in texts:
        analyzer.polarity_scores(t)
    return time.perf_counter() - start


if len(sys.argv) > 2 and sys.argv[2] == "--serve":
    # One pass per line read; its texts per second written back, so the
    # caller can alternate these passes with its own runs.
    one_pass()  # warm-up
    print("ready", flush=True)
    for _ in sys.stdin:
        print(len(texts) / one_pass(), flush=True)
    sys.exit(0)

repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 20
size = sum(len(t.encode("utf-8")) for t in texts) * repeat
passes = [one_pass() for _ in range(repeat)]
secs = sum(passes)
print(json.dumps({"texts": len(texts) * repeat, "bytes": size, "seconds": secs,
                  "texts_per_s": len(texts) * repeat / secs, "mb_per_s": size / secs / 1e6,
                  "pass_texts_per_s": [len(texts) / p for p in passes]}))
