#!/usr/bin/env python3
"""Propose Indonesian lexicon candidates from errors on a TRAINING split.

Usage: scripts/lexicon_candidates.py [--binary PANTAU] [--config config/pantau.toml] [--min N] TRAIN_FILE

TRAIN_FILE is a TRAINING split only (SmSA train_preprocess.tsv or NusaX-senti train.csv); never
run it on a validation or test split. The script classifies every row with
`pantau classify-text --stdin --json` and prints two lists for a human reviewer:

1. words that no lexicon entry matched in misclassified rows, with their gold-label counts
   over the whole split (positive/neutral/negative) — candidates for a missing entry;
2. lexicon lemmas that pushed misclassified rows the wrong way — candidates for a lower
   weight or for blocking with 0.

It only proposes candidates. Most listed words are topic words (food, places, names) whose
label correlation is an artefact of the dataset; an entry is added only when it is a general
Indonesian word or phrase with a polarity a careful reader would agree with.
"""
import argparse, collections, csv, json, re, subprocess


def load(path):
    if path.endswith(".csv"):
        with open(path, newline="") as f:
            return [(r["text"].replace("\n", " "), r["label"]) for r in csv.DictReader(f)]
    rows = []
    for line in open(path):
        text, label = line.rstrip("\n").rsplit("\t", 1)
        rows.append((text, label))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("train_file")
    ap.add_argument("--binary", default="target/debug/pantau")
    ap.add_argument("--config", default="config/pantau.toml")
    ap.add_argument("--min", type=int, default=3, help="minimum misclassified rows per word")
    ap.add_argument("--top", type=int, default=80)
    a = ap.parse_args()

    rows = load(a.train_file)
    out = subprocess.run([a.binary, "classify-text", "--config", a.config, "--stdin", "--json"],
                         input="\n".join(t for t, _ in rows) + "\n",
                         capture_output=True, text=True, check=True).stdout
    results = [json.loads(l) for l in out.splitlines() if l.strip()]
    assert len(results) == len(rows), "one result per row expected"

    labels = collections.defaultdict(collections.Counter)   # word -> gold labels (all rows)
    unmatched = collections.Counter()                        # word -> misclassified rows, unmatched
    blame = collections.Counter()
    weight = {}
    for (text, gold), r in zip(rows, results):
        pred = r["sentiment"]
        terms = r["explanation"]["terms"]
        covered = {w for t in terms for w in t["text"].lower().split()}
        for w in set(re.findall(r"[a-z][a-z\-]*", text.lower())):
            labels[w][gold] += 1
            if pred != gold and w not in covered:
                unmatched[w] += 1
        if pred != gold:
            for t in terms:
                eff = t["effective"]
                wrong_way = gold == "neutral" or (gold == "positive") == (eff < 0)
                if wrong_way:
                    blame[t["lemma"]] += abs(eff)
                    weight[t["lemma"]] = t["weight"]

    def dist(w):
        c = labels[w]
        return f"{c['positive']}/{c['neutral']}/{c['negative']}"

    print("# unmatched words in misclassified rows: word  misclassified  pos/neu/neg over the split")
    for w, n in unmatched.most_common():
        if n < a.min:
            break
        print(f"{w}\t{n}\t{dist(w)}")
    print("\n# lexicon lemmas pushing misclassified rows the wrong way: lemma  weight  blame")
    for lemma, b in blame.most_common(a.top):
        print(f"{lemma}\t{weight[lemma]:+.1f}\t{b:.1f}")


if __name__ == "__main__":
    main()
