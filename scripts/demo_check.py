#!/usr/bin/env python3
"""Compare pantau's classification of the demo feeds with demo/expected.jsonl.

Usage: scripts/demo_check.py [PANTAU_BINARY]   (needs `pantau demo-server` on 127.0.0.1:8787)
Prints every disagreement and the confusion counts; exits 1 on any mismatch.
"""
import json, subprocess, sys, re, collections
import xml.etree.ElementTree as ET

binary = sys.argv[1] if len(sys.argv) > 1 else "target/debug/pantau"
expected = [json.loads(l) for l in open("demo/expected.jsonl") if l.strip()]
by_feed = collections.defaultdict(dict)
for e in expected:
    if "duplicate_of" not in e:
        by_feed[e["feed"]][e["guid"]] = e

def guid_links(path):
    text = re.sub(r"\{\{[^}]*\}\}", "Mon, 01 Jan 2024 00:00:00 +0700", open(path).read())
    if path.endswith(".json"):
        return {i["id"]: i["url"] for i in json.loads(text)["items"]}
    root = ET.fromstring(text)
    out = {}
    for item in root.iter("item"):
        out[item.findtext("guid")] = item.findtext("link")
    ns = "{http://www.w3.org/2005/Atom}"
    for entry in root.iter(ns + "entry"):
        out[entry.findtext(ns + "id")] = entry.find(ns + "link").get("href")
    return out

bad = 0
conf = collections.Counter()
for feed, items in by_feed.items():
    links = guid_links(f"demo/feeds/{feed}")
    url_to_guid = {v.split("?")[0]: k for k, v in links.items()}
    out = subprocess.run([binary, "--config", "config/demo.toml", "feeds", "check",
                          f"http://127.0.0.1:8787/feeds/{feed}", "--entity", "kemensos", "--json"],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        r = json.loads(line)
        guid = url_to_guid.get((r["url"] or "").split("?")[0])
        e = items.get(guid)
        if e is None:
            print("unmatched", r["url"]); bad += 1; continue
        got_rel = bool(r["assessments"])
        got = r["assessments"][0]["sentiment"] if got_rel else None
        conf[(e["sentiment"], got)] += 1
        if got_rel != e["relevant"] or got != e["sentiment"]:
            bad += 1
            a = r["assessments"][0] if got_rel else None
            terms = [(t["text"], round(t["effective"], 2)) for t in a["explanation"]["terms"]] if a else []
            print(f"{feed} {guid}: expected {e['relevant']}/{e['sentiment']}, got {got_rel}/{got} "
                  f"score={a['score'] if a else None:.3} {r['title'][:70]!r}\n    {terms}\n    why: {e['why'][:120]}" if a else
                  f"{feed} {guid}: expected {e['relevant']}/{e['sentiment']}, got not relevant: {r['title'][:70]!r}")
print("confusion (expected, got):", dict(conf))
print(f"{bad} mismatches")
sys.exit(1 if bad else 0)
