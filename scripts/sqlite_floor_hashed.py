#!/usr/bin/env python3
"""The SQLite floor of ../shared/bench/sqlite_floor.py with one change: ids
and dedup keys are content hashes (32 hex digits of SHA-256 of the item's
link), as a deduplicating store's must be, instead of the counter 0, 1, 2, …
that the shared floor writes. With sequential ids every index is appended
to at its right edge; with hashes each batch writes into random leaves of
every index, which is what pantau's store pays. Same rows, batch of 510,
WAL + synchronous=FULL, ON CONFLICT DO NOTHING. Prints rows/s on the last
line, in the shared floor's format. Usage: sqlite_floor_hashed.py N"""
import hashlib, json, os, random, sqlite3, string, sys, tempfile, time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
B = 510
d = tempfile.mkdtemp()
c = sqlite3.connect(os.path.join(d, "floor.db"), isolation_level=None)
c.execute("pragma journal_mode=wal")
c.execute("pragma synchronous=full")
c.execute("create table a(id text primary key, entity text, title text, body text, published int, sentiment text, score real, explanation text)")
c.execute("create table k(key text primary key, id text)")
random.seed(1)
body = "".join(random.choice(string.ascii_lowercase + " ") for _ in range(2000))
expl = json.dumps({"terms": [{"text": "x", "weight": -1.5, "position": 3}] * 3})


def ident(i):
    return hashlib.sha256(f"https://bench.example/berita/{i}".encode()).hexdigest()[:32]


t = time.time()
for s in range(0, N, B):
    ids = [ident(i) for i in range(s, min(N, s + B))]
    c.execute("begin immediate")
    c.executemany("insert into a values(?,?,?,?,?,?,?,?) on conflict do nothing",
                  [(x, "kemensos", f"judul berita {s + j}", body, 1700000000 + s + j, "negative", -0.5, expl) for j, x in enumerate(ids)])
    c.executemany("insert into k values(?,?) on conflict do nothing", [("g" + x[1:], x) for x in ids])
    c.execute("commit")
dt = time.time() - t
print(f"sqlite3 floor, content-hash ids: {N} rows in {dt:.2f} s = {N/dt:.0f} rows/s")
