"""The audit log: every write through the API leaves one row (time, client, identity, action, ids,
result) in the knowledge base, successful or not; reading it needs the token; older knowledge
bases gain the table when opened."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, select, text

from apihelpers import TOKEN, assert_error_shape, make_client, never_builds
from wirescope.api.app import create_app
from wirescope.settings import Settings
from wirescope.store import audit
from wirescope.store import schema as S

AUTH = {"authorization": f"Bearer {TOKEN}"}


@pytest.fixture()
def fresh(tmp_path):
    """A writable knowledge base of two reports (no pipeline): (client, app, {name: kb id})."""
    from kbdata import all_reports

    from wirescope.flow import open_kb

    url = f"sqlite:///{tmp_path / 'audit.db'}"
    with open_kb(url) as kb:
        for analysis in all_reports()[:2]:
            kb.save(analysis)
        with kb.engine.connect() as conn:
            ids = {name: i for i, name in conn.execute(select(S.kb_entities.c.id, S.kb_entities.c.name))}
    app = create_app(Settings(db_url=url), allow_writes=True, token=TOKEN, pipeline_factory=never_builds)
    with make_client(app) as c:
        yield c, app, ids


def rows(app) -> list[dict]:
    with app.state.ws.kb.engine.connect() as conn:
        return audit.entries(conn, limit=100)


def test_a_merge_is_audited_with_who_what_and_where(fresh):
    c, app, ids = fresh
    before = dt.datetime.now(dt.timezone.utc)
    r = c.post("/api/actors/merge", json={"keep": ids["Mara Ellison"], "drop": ids["police"], "note": "n"},
               headers=AUTH)
    assert r.status_code == 200
    (row,) = rows(app)
    assert (row["action"], row["result"], row["identity"], row["client"]) == ("merge", "ok", "api-token", "testclient")
    assert row["ids"] == [ids["Mara Ellison"], ids["police"], ids["Mara Ellison"]]  # keep, drop, survivor
    assert row["detail"] == {"note": "n"}
    at = dt.datetime.fromisoformat(row["at"])
    assert at.tzinfo is not None and before - dt.timedelta(seconds=5) <= at <= dt.datetime.now(dt.timezone.utc)


def test_a_split_is_audited(fresh):
    c, app, ids = fresh
    c.post("/api/actors/merge", json={"keep": ids["Mara Ellison"], "drop": ids["police"]}, headers=AUTH)
    r = c.post(f"/api/actors/{ids['Mara Ellison']}/split", json={"names": ["police"]}, headers=AUTH)
    assert r.status_code == 200, r.text
    split = rows(app)[0]  # newest first
    assert (split["action"], split["result"]) == ("split", "ok")
    assert split["ids"] == [ids["Mara Ellison"], r.json()["new"]]
    assert split["detail"] == {"names": ["police"], "moved": 1}


@pytest.mark.parametrize("path, body, code", [
    ("/api/actors/merge", {"keep": "ent_missing", "drop": "ent_other"}, "E501"),
    ("/api/actors/merge", {"keep": "ent_same", "drop": "ent_same"}, "E505"),
    ("/api/actors/ent_missing/split", {"names": ["x"]}, "E501"),
    ("/api/documents", {"text": "Some news.", "published": "last spring"}, "E206"),
    ("/api/documents", [], "E505"),
])
def test_a_refused_write_is_audited_with_its_error_code(fresh, path, body, code):
    c, app, _ = fresh
    r = c.post(path, json=body, headers=AUTH)
    assert r.json()["error"]["code"] == code
    (row,) = rows(app)
    assert row["result"] == code and row["identity"] == "api-token"


@pytest.mark.parametrize("headers, body", [({}, {"keep": "a", "drop": "b"}),
                                           ({"authorization": "Bearer wrong"}, {"keep": "a", "drop": "b"}),
                                           (AUTH, {"keep": "a"}), (AUTH, {"keep": "a", "drop": "b", "x": 1})])
def test_requests_that_never_reach_a_write_leave_no_row(fresh, headers, body):
    c, app, _ = fresh
    assert c.post("/api/actors/merge", json=body, headers=headers).status_code in (401, 422)
    assert rows(app) == []


def test_a_write_and_its_audit_row_commit_together(fresh, monkeypatch, caplog):
    c, app, ids = fresh

    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit, "append", broken)
    r = c.post("/api/actors/merge", json={"keep": ids["Mara Ellison"], "drop": ids["police"]}, headers=AUTH)
    assert r.status_code == 500
    assert_error_shape(r.json(), "E500")
    monkeypatch.undo()
    # no audit row, so no merge either: the transaction was rolled back
    assert c.get(f"/api/actors/{ids['police']}").json()["entity"]["id"] == ids["police"]


def test_ingest_is_audited_with_the_document_ids(writable):
    c, app = writable
    article = {"text": "The Harbour Council met the Coastal Brigade in Port Selin on Tuesday, officials said.",
               "published": "2021-06-08"}
    r = c.post("/api/documents", json=[article, article], headers=AUTH)
    assert r.status_code == 201, r.text
    doc_id = r.json()["documents"][0]["id"]
    (row,) = rows(app)
    assert (row["action"], row["result"], row["ids"]) == ("ingest", "ok", [doc_id, doc_id])
    assert row["detail"] == {"articles": 2, "stored": 1}


def test_reading_the_audit_log_needs_the_token(fresh):
    c, app, ids = fresh
    for _ in range(3):
        c.post("/api/actors/merge", json={"keep": "ent_missing", "drop": "ent_other"}, headers=AUTH)
    c.post("/api/actors/merge", json={"keep": ids["Mara Ellison"], "drop": ids["police"]}, headers=AUTH)
    r = c.get("/api/audit")
    assert r.status_code == 401
    assert_error_shape(r.json(), "E503")
    body = c.get("/api/audit", params={"limit": 2}, headers=AUTH).json()
    assert body["total"] == 4 and [e["result"] for e in body["items"]] == ["ok", "E501"]
    assert body["next"] == "/api/audit?limit=2&offset=2"
    assert c.get("/api/audit", params={"result": "ok"}, headers=AUTH).json()["total"] == 1
    assert c.get("/api/audit", params={"action": "split"}, headers=AUTH).json()["total"] == 0
    assert c.get("/api/audit", params={"action": "drop table"}, headers=AUTH).status_code == 422


def test_store_functions_append_and_list(tmp_path):
    from wirescope.flow import open_kb

    with open_kb(f"sqlite:///{tmp_path / 's.db'}") as kb, kb.engine.begin() as conn:
        first = audit.append(conn, action="ingest", identity="x" * 100, client="1.2.3.4", ids=[f"d{i}" for i in range(1005)])
        second = audit.append(conn, action="merge", identity="desk", ids=["a", "b"], result="E501")
        assert second > first
        newest, oldest = audit.entries(conn)
        assert newest["id"] == second and newest["result"] == "E501" and newest["client"] is None
        assert len(oldest["identity"]) == 64 and len(oldest["ids"]) == 1000
        assert oldest["detail"] == {"ids_not_listed": 5}
        assert audit.count(conn) == 2 and audit.count(conn, action="merge") == 1
        assert audit.entries(conn, offset=1) == [oldest]


def test_an_older_knowledge_base_gains_the_table(tmp_path):
    from wirescope.flow import open_kb

    url = f"sqlite:///{tmp_path / 'old.db'}"
    with open_kb(url) as kb, kb.engine.begin() as conn:  # a knowledge base from before the audit log
        conn.execute(text("DROP TABLE audit_log"))
    with open_kb(url) as kb:
        assert "audit_log" in inspect(kb.engine).get_table_names()
        with kb.engine.connect() as conn:
            version = conn.execute(select(S.meta.c.value).where(S.meta.c.key == "schema_version")).scalar()
        assert version == S.SCHEMA_VERSION == "1"  # additive: no version bump, older files keep opening
    app = create_app(Settings(db_url=url), allow_writes=True, token=TOKEN, pipeline_factory=never_builds)
    with make_client(app) as c:
        assert c.get("/api/audit", headers=AUTH).json()["total"] == 0
