"""Web pages as an analyst opens them: median milliseconds through the ASGI app on a synthetic
knowledge base of ~2,000 documents (target: under 150 ms each).

    python -m bench.page_bench [--docs 2000] [--db PATH] [--repeat 9] [--json]

The knowledge base is bench.query_bench's (built once into --db when given, else into a temporary
folder; no NLP runs). The pages are requested in-process with Starlette's TestClient, as a browser
would ask for them (Accept: text/html): the actor page of the most reported group, one of its
relations, the network page and the JSON it embeds (/api/network, the same view), the neighbours a
click on a node asks for, the shortest path between two actors, and the search page for a name and
for a phrase. Every page is requested once to warm imports and templates, then each --repeat times;
the median is printed with two first openings:

- after a write: one more synthetic report is stored (through flow.Ingest, into the app's knowledge
  base, as an ingest would) just before the request, so the server's view cache
  (wirescope.api.cache, one answer per state of the knowledge base) no longer holds the page, and
  the process's remembered aggregates (wirescope.query.ranking.AggregateMemo) hold every relation
  the report did not touch: what an analyst sees the first time a page is opened after an ingest
  (median of 3 such writes);
- nothing cached: the view cache and the remembered aggregates emptied, as after a server start.

The knowledge base given with --db is copied first: the writes go to the copy.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_MS = 150.0


def cases(t: dict) -> dict[str, str]:
    """name -> the address requested (t: bench.query_bench.targets)."""
    return {
        "actor page": f"/actors/{t['a']}",
        "actor page, relations p.2": f"/actors/{t['a']}?section=relations&page=2",
        "relation page": f"/relations/{t['s']}/{t['type']}/{t['o']}",
        "network page": "/network",
        "network JSON": "/api/network?limit=100",
        "network page around A": f"/network?entity={t['a']}",
        "neighbours JSON (expand)": f"/api/network/neighbours?actor={t['b']}",
        "path JSON": f"/api/network/path?from={t['a']}&to={t['far']}",
        "search page (name)": f"/search?q={t['name'].replace(' ', '+')}",
        "search page (phrase)": "/search?q=sheltered+fighters",
        "search page, documents p.3": "/search?q=sheltered+fighters&section=documents&page=3",
    }


def far_actor(db: Path, a: str) -> tuple[str, str]:
    """An actor two relations away from `a` and none closer (for the path), and `a`'s name."""
    import sqlite3

    con = sqlite3.connect(db)
    name = con.execute("SELECT name FROM kb_entities WHERE id = ?", (a,)).fetchone()[0]

    def around(ids: set[str]) -> set[str]:
        marks = ", ".join("?" * len(ids))
        return {r[0] for r in con.execute(
            f"SELECT object_kb FROM relations WHERE polarity = 'positive' AND subject_kb IN ({marks}) UNION "
            f"SELECT subject_kb FROM relations WHERE polarity = 'positive' AND object_kb IN ({marks})",
            (*ids, *ids))}

    near = around({a}) - {a}
    far = sorted(around(set(sorted(near)[:50])) - near - {a}) if near else []
    con.close()
    return (far[len(far) // 2] if far else (sorted(near)[0] if near else a)), name


def measure(db: Path, repeat: int, writes: int = 3, docs: int = 2000) -> tuple[dict, dict]:
    from fastapi.testclient import TestClient

    from bench.query_bench import _pool, _story, targets
    from wirescope.api.app import create_app
    from wirescope.flow import Ingest, open_kb
    from wirescope.query.ranking import forget_aggregates
    from wirescope.settings import Settings

    t = targets(db)
    t["far"], t["name"] = far_actor(db, t["a"])
    url = f"sqlite:///{db}"
    kb = open_kb(url, create=False)
    client = TestClient(create_app(Settings(db_url=url), kb=kb), base_url="http://localhost")
    html = {"accept": "text/html"}
    out: dict[str, dict] = {}
    for name, path in cases(t).items():  # imports, templates, SQLite's page cache: not what is timed
        assert client.get(path, headers={} if "JSON" in name else html).status_code == 200, path
    ingest = Ingest(kb)
    rng, pool = random.Random(17), _pool(random.Random(11), docs)  # the actors of query_bench's stories
    written = 0

    def timed(path, headers):
        started = time.perf_counter()
        r = client.get(path, headers=headers)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
        return (time.perf_counter() - started) * 1000

    for name, path in cases(t).items():
        headers = {} if "JSON" in name else html
        client.app.state.ws.views.clear()  # nothing computed for this knowledge base yet
        forget_aggregates()
        cold = timed(path, headers)
        after = []
        for _ in range(writes):  # a real write first: the view cache is out of date, memos partly
            ingest.store(_story(rng, pool, 10_000_000 + written))
            written += 1
            after.append(timed(path, headers))
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            r = client.get(path, headers=headers)
            runs.append((time.perf_counter() - started) * 1000)
            assert r.status_code == 200, (path, r.status_code)
        out[name] = {"path": path, "median_ms": round(statistics.median(runs), 1),
                     "after_write_ms": round(statistics.median(after), 1), "cold_ms": round(cold, 1),
                     "bytes": len(r.content)}
    kb.close()
    return out, t


def main(argv: list[str] | None = None) -> int:
    from bench.query_bench import build

    parser = argparse.ArgumentParser(prog="python -m bench.page_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--db", type=Path, help="reuse (or build once into) this SQLite file")
    parser.add_argument("--repeat", type=int, default=9, help="runs per page (the median is printed)")
    parser.add_argument("--writes", type=int, default=3, help="writes before the 'after a write' requests of a page")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wirescope-page-bench-") as tmp:
        db = args.db or Path(tmp) / "kb.db"
        if not db.exists():
            print(f"building a knowledge base of {args.docs} synthetic documents in {db} ...", file=sys.stderr)
            print(f"built: {build(db, args.docs)}", file=sys.stderr)
        work = Path(tmp) / "measured.db"
        shutil.copyfile(db, work)  # the writes go to a copy
        found, t = measure(work, args.repeat, args.writes, args.docs)
    if args.json:
        print(json.dumps({"target_ms": TARGET_MS, "targets": t, "pages": found}, indent=1))
        return 0
    print(f"median of {args.repeat} requests through the ASGI app; the first request after a write (median of "
          f"{args.writes}) and with nothing cached; target {TARGET_MS:.0f} ms")
    print(f"{'page':30s} {'median ms':>10s} {'after write':>12s} {'nothing cached':>15s} {'KB':>7s}  ")
    for name, row in found.items():
        flag = "ok" if max(row["median_ms"], row["after_write_ms"]) < TARGET_MS else "OVER"
        print(f"{name:30s} {row['median_ms']:10.1f} {row['after_write_ms']:12.1f} {row['cold_ms']:15.1f} "
              f"{row['bytes'] / 1024:7.1f}  {flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
