"""Web pages as an analyst opens them: median milliseconds through the ASGI app on a synthetic
knowledge base of ~2,000 documents (target: under 150 ms each).

    python -m bench.page_bench [--docs 2000] [--db PATH] [--repeat 9] [--json]

The knowledge base is bench.query_bench's (built once into --db when given, else into a temporary
folder; no NLP runs). The pages are requested in-process with Starlette's TestClient, as a browser
would ask for them (Accept: text/html): the actor page of the most reported group, one of its
relations, the network page and the JSON it embeds (/api/network, the same view), the neighbours a
click on a node asks for, the shortest path between two actors, and the search page for a name and
for a phrase. Every page is requested once to warm imports and templates, then each --repeat times;
the median is printed with the first of them, made cold: with the server's view cache emptied first
(wirescope.api.cache keeps the aggregated network and an actor's strongest relations per state of
the knowledge base, so the median is what an analyst sees once a view was opened; the cold column is
the first opening after a write).
"""
from __future__ import annotations

import argparse
import json
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


def measure(db: Path, repeat: int) -> tuple[dict, dict]:
    from fastapi.testclient import TestClient

    from bench.query_bench import targets
    from wirescope.api.app import create_app
    from wirescope.flow import open_kb
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
    for name, path in cases(t).items():
        headers = {} if "JSON" in name else html
        client.app.state.ws.views.clear()  # cold: nothing computed for this knowledge base yet
        started = time.perf_counter()
        r = client.get(path, headers=headers)
        cold = (time.perf_counter() - started) * 1000
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            r = client.get(path, headers=headers)
            runs.append((time.perf_counter() - started) * 1000)
            assert r.status_code == 200, (path, r.status_code)
        out[name] = {"path": path, "median_ms": round(statistics.median(runs), 1), "cold_ms": round(cold, 1),
                     "bytes": len(r.content)}
    kb.close()
    return out, t


def main(argv: list[str] | None = None) -> int:
    from bench.query_bench import build

    parser = argparse.ArgumentParser(prog="python -m bench.page_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--db", type=Path, help="reuse (or build once into) this SQLite file")
    parser.add_argument("--repeat", type=int, default=9, help="runs per page (the median is printed)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wirescope-page-bench-") as tmp:
        db = args.db or Path(tmp) / "kb.db"
        if not db.exists():
            print(f"building a knowledge base of {args.docs} synthetic documents in {db} ...", file=sys.stderr)
            print(f"built: {build(db, args.docs)}", file=sys.stderr)
        found, t = measure(db, args.repeat)
    if args.json:
        print(json.dumps({"target_ms": TARGET_MS, "targets": t, "pages": found}, indent=1))
        return 0
    print(f"median of {args.repeat} requests through the ASGI app (first request: cold); target {TARGET_MS:.0f} ms")
    print(f"{'page':30s} {'median ms':>10s} {'cold ms':>9s} {'KB':>7s}  ")
    for name, row in found.items():
        flag = "ok" if row["median_ms"] < TARGET_MS else "OVER"
        print(f"{name:30s} {row['median_ms']:10.1f} {row['cold_ms']:9.1f} {row['bytes'] / 1024:7.1f}  {flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
