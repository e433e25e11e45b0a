"""The write guard, the body limit, ingest through the pipeline, and the analyst's merge/split."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from conftest import TOKEN
from test_error_shape import assert_error_shape
from wirescope.api.app import create_app
from wirescope.settings import Settings

ARTICLE = {"text": ("The Harbour Council accused the Coastal Brigade of blocking the port road on Tuesday, "
                    "a council spokesman said. The brigade denied it."),
           "published": "2021-06-08", "title": "Council accuses brigade", "outlet": "Harbour Times",
           "url": "https://example.org/harbour/2021/06/road"}


def never_builds():
    raise AssertionError("the pipeline must not load for this request")


@pytest.fixture()
def guarded(kb_url):
    """Writes enabled with a token, a pipeline that must never be built (guard tests stop earlier)."""
    app = create_app(Settings(db_url=kb_url), allow_writes=True, token=TOKEN, pipeline_factory=never_builds)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("headers, status, code", [
    ({}, 401, "E503"),
    ({"authorization": "Bearer wrong"}, 401, "E503"),
    ({"authorization": f"Basic {TOKEN}"}, 401, "E503"),
    ({"authorization": f"Bearer {TOKEN}x"}, 401, "E503"),
    ({"authorization": "Bearer "}, 401, "E503"),
])
@pytest.mark.parametrize("path, body", [("/api/documents", ARTICLE),
                                        ("/api/entities/merge", {"keep": "a", "drop": "b"}),
                                        ("/api/entities/ent_a/split", {"names": ["x"]})])
def test_write_guard_refuses_without_the_token(guarded, headers, status, code, path, body):
    r = guarded.post(path, json=body, headers=headers)
    assert r.status_code == status
    assert_error_shape(r.json(), code)
    assert r.headers.get("www-authenticate") == "Bearer"


@pytest.mark.parametrize("body, code", [
    ({}, "E505"),
    ({"text": ""}, "E505"),
    ({"text": 5}, "E505"),
    ({"text": "Some news.", "colour": "red"}, "E505"),
    ([], "E505"),
    ({"text": "   \n  "}, "E202"),
])
def test_ingest_refuses_bad_articles_before_loading_the_pipeline(guarded, body, code):
    r = guarded.post("/api/documents", json=body, headers={"authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422, r.text
    assert_error_shape(r.json(), code)


@pytest.mark.parametrize("declared", [True, False])
def test_body_limit(kb_url, declared):
    app = create_app(Settings(db_url=kb_url), allow_writes=True, token=TOKEN, max_body=2_000,
                     pipeline_factory=never_builds)
    payload = b'{"text": "' + b"x" * 5_000 + b'"}'
    with TestClient(app, raise_server_exceptions=False) as c:
        headers = {"authorization": f"Bearer {TOKEN}", "content-type": "application/json"}
        if declared:
            r = c.post("/api/documents", content=payload, headers=headers)
        else:  # chunked, no Content-Length: the limit holds while streaming
            r = c.post("/api/documents", content=iter([payload[:1500], payload[1500:]]), headers=headers)
        assert r.status_code == 413
        assert_error_shape(r.json(), "E504")


def test_default_body_limit_is_five_megabytes(client):
    r = client.post("/api/documents", content=b"x" * 5_000_001, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert_error_shape(r.json(), "E504")


def test_ingest_loads_the_pipeline_lazily_and_stores(writable):
    c, app = writable
    auth = {"authorization": f"Bearer {TOKEN}"}
    assert c.get("/api/health").json()["pipeline_loaded"] is False
    c.get("/api/documents")
    assert app.state.ws._pipeline is None  # reads never load spaCy
    r = c.post("/api/documents", json=ARTICLE, headers=auth)
    assert r.status_code == 201, r.text
    (stored,) = r.json()["documents"]
    assert stored["stored"] is True and stored["actors"] >= 2
    assert app.state.ws._pipeline is not None
    doc = c.get(f"/api/documents/{stored['id']}").json()
    assert doc["title"] == ARTICLE["title"] and doc["published"] == "2021-06-08" and doc["text"] == ARTICLE["text"]
    assert "Harbour Council" in {e["name"] for e in doc["entities"]}
    again = c.post("/api/documents", json=[ARTICLE, {"text": "Talks resumed in the capital on Friday."}], headers=auth)
    assert [d["stored"] for d in again.json()["documents"]] == [False, True]
    assert again.json()["counts"]["documents"] == 4


def test_merge_and_split_record_judgements(writable):
    c, _ = writable
    auth = {"authorization": f"Bearer {TOKEN}"}
    found = {e["name"]: e["id"] for q in ("Mara Ellison", "Port Selin")
             for e in c.get("/api/entities", params={"q": q}).json()}
    mara, port = found["Mara Ellison"], found["Port Selin"]
    r = c.post("/api/entities/merge", json={"keep": mara, "drop": port, "author": "tester"}, headers=auth)
    assert r.status_code == 200, r.text
    assert r.json()["into"] == mara
    merged = c.get(f"/api/entities/{port}").json()  # the dropped id now reads as the survivor
    assert merged["entity"]["id"] == mara
    assert {"Mara Ellison", "Port Selin"} <= {n["name"] for n in merged["names"]}
    assert any(j["decision"] == "same" and j["author"] == "tester" for j in merged["judgements"])

    r = c.post(f"/api/entities/{mara}/split", json={"names": ["Port Selin"], "author": "tester"}, headers=auth)
    assert r.status_code == 200, r.text
    new = r.json()["new"]
    assert new and new != mara and r.json()["moved"]
    assert c.get(f"/api/entities/{new}").json()["entity"]["name"] == "Port Selin"
    assert "Port Selin" not in {n["name"] for n in c.get(f"/api/entities/{mara}").json()["names"]}


@pytest.mark.parametrize("path, body, status, code", [
    ("/api/entities/merge", {"keep": "ent_missing", "drop": "ent_missing2"}, 404, "E501"),
    ("/api/entities/merge", {"keep": "same", "drop": "same"}, 422, "E505"),
    ("/api/entities/ent_missing/split", {"names": ["x"]}, 404, "E501"),
    ("/api/entities/ent_missing/split", {}, 422, "E505"),
])
def test_merge_split_refusals(guarded, path, body, status, code):
    r = guarded.post(path, json=body, headers={"authorization": f"Bearer {TOKEN}"})
    assert r.status_code == status, r.text
    assert_error_shape(r.json(), code)
