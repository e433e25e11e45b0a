"""SIGKILL in the middle of an ingest leaves a consistent knowledge base, and re-running the same
command completes the job without duplicates."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

PLACES = ["Kabul", "Kandahar", "Herat", "Mosul", "Aleppo", "Sanaa", "Tripoli", "Mogadishu", "Bamako", "Kyiv"]
GROUPS = ["the Taliban", "al-Qaeda", "Hezbollah", "al-Shabaab", "the Houthis", "Boko Haram"]


def article(i: int) -> str:
    place, group = PLACES[i % len(PLACES)], GROUPS[i % len(GROUPS)]
    return (f"{place.upper()} (Wire) - Fighters loyal to {group} attacked a police post in {place} on Monday, "
            f"killing {i % 9 + 2} officers, a provincial spokesman said. \"We were outnumbered,\" one officer told "
            f"reporters. The interior ministry said {group} had received weapons from abroad. Story {i}.")


def orphans(con) -> dict[str, int]:
    checks = {
        "doc_entities": "select count(*) from doc_entities where doc_id not in (select id from documents)",
        "mentions": "select count(*) from mentions m where not exists (select 1 from doc_entities d "
                    "where d.doc_id = m.doc_id and d.local_id = m.entity)",
        "statements": "select count(*) from statements where doc_id not in (select id from documents)",
        "relations": "select count(*) from relations where doc_id not in (select id from documents)",
        "events": "select count(*) from events where doc_id not in (select id from documents)",
        "times": "select count(*) from times where doc_id not in (select id from documents)",
        "kb_names": "select count(*) from kb_names where kb_entity not in (select id from kb_entities)",
        "entities without document": "select count(*) from documents d where not exists "
                                     "(select 1 from doc_entities e where e.doc_id = d.id)",
    }
    return {name: con.execute(sql).fetchone()[0] for name, sql in checks.items()}


def test_sigkill_mid_ingest(tmp_path):
    n = 160
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps({"text": article(i), "published": "2021-03-01"}) for i in range(n)) + "\n")
    db = tmp_path / "kb.db"
    cmd = [sys.executable, "-m", "wirescope", "ingest", str(feed), "--db", str(db), "-q"]
    env = {**os.environ, "WIRESCOPE_BATCH_SIZE": "4"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.time() + 240
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if db.exists():
            try:
                con = sqlite3.connect(db, timeout=5)
                stored = con.execute("select count(*) from documents").fetchone()[0]
                con.close()
            except sqlite3.OperationalError:
                continue
            if stored >= 8:
                break
    assert proc.poll() is None, "ingest ended before it could be killed: " + proc.stderr.read().decode()[-500:]
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert con.execute("pragma foreign_key_check").fetchall() == []
    assert all(v == 0 for v in orphans(con).values()), orphans(con)
    partial = con.execute("select count(*) from documents").fetchone()[0]
    assert 0 < partial < n
    con.close()

    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from documents").fetchone()[0] == n
    assert con.execute("select count(distinct id) from documents").fetchone()[0] == n
    assert all(v == 0 for v in orphans(con).values()), orphans(con)
    # the interrupted-and-resumed knowledge base holds what one uninterrupted run builds
    clean = tmp_path / "clean.db"
    subprocess.run(cmd[:-3] + ["--db", str(clean), "-q"], check=True, env=env, timeout=900, capture_output=True)
    ref = sqlite3.connect(clean)
    for table in ("documents", "doc_entities", "mentions", "statements", "relations", "events", "times", "kb_entities"):
        q = f"select count(*) from {table}"
        assert con.execute(q).fetchone()[0] == ref.execute(q).fetchone()[0], table
