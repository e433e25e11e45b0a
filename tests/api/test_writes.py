"""The write guard, the body limit, ingest through the pipeline, and the analyst's merge/split."""
from __future__ import annotations

import pytest

from apihelpers import TOKEN, assert_error_shape, make_client, never_builds
from wirescope.api.app import create_app
from wirescope.settings import Settings

ARTICLE = {"text": ("The Harbour Council accused the Coastal Brigade of blocking the port road on Tuesday, "
                    "a council spokesman said. The brigade denied it."),
           "published": "2021-06-08", "title": "Council accuses brigade", "outlet": "Harbour Times",
           "url": "https://example.org/harbour/2021/06/road"}


@pytest.fixture()
def guarded(kb_url):
    """Writes enabled with a token, a pipeline that must never be built (guard tests stop earlier)."""
    app = create_app(Settings(db_url=kb_url), allow_writes=True, token=TOKEN, pipeline_factory=never_builds)
    with make_client(app) as c:
        yield c


@pytest.mark.parametrize("headers, status, code", [
    ({}, 401, "E503"),
    ({"authorization": "Bearer wrong"}, 401, "E503"),
    ({"authorization": f"Basic {TOKEN}"}, 401, "E503"),
    ({"authorization": f"Bearer {TOKEN}x"}, 401, "E503"),
    ({"authorization": "Bearer "}, 401, "E503"),
])
@pytest.mark.parametrize("path, body", [("/api/documents", ARTICLE),
                                        ("/api/actors/merge", {"keep": "a", "drop": "b"}),
                                        ("/api/actors/ent_a/split", {"names": ["x"]}),
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
    with make_client(app) as c:
        headers = {"authorization": f"Bearer {TOKEN}", "content-type": "application/json"}
        if declared:
            r = c.post("/api/documents", content=payload, headers=headers)
        else:  # chunked, no Content-Length: the limit holds while streaming
            r = c.post("/api/documents", content=iter([payload[:1500], payload[1500:]]), headers=headers)
        assert r.status_code == 413
        assert_error_shape(r.json(), "E504")


def test_default_body_limit_is_five_megabytes(guarded, client):
    r = guarded.post("/api/documents", content=b"x" * 5_000_001,
                     headers={"content-type": "application/json", "authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413
    assert_error_shape(r.json(), "E504")
    # a read-only server refuses the write before looking at the body at all
    r = client.post("/api/documents", content=b"x" * 5_000_001, headers={"content-type": "application/json"})
    assert r.status_code == 403
    assert_error_shape(r.json(), "E502")


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
             for e in c.get("/api/actors", params={"q": q}).json()["items"]}
    mara, port = found["Mara Ellison"], found["Port Selin"]
    r = c.post("/api/actors/merge", json={"keep": mara, "drop": port, "note": "same person"}, headers=auth)
    assert r.status_code == 200, r.text
    assert r.json()["into"] == mara and r.json()["author"] == "api-token"
    merged = c.get(f"/api/actors/{port}").json()  # the dropped id now reads as the survivor
    assert merged["entity"]["id"] == mara
    assert {"Mara Ellison", "Port Selin"} <= {n["name"] for n in merged["names"]}
    # the author is the authenticated identity, not text from the request
    assert any(j["decision"] == "same" and j["author"] == "api-token" for j in merged["judgements"])

    r = c.post(f"/api/actors/{mara}/split", json={"names": ["Port Selin"]}, headers=auth)
    assert r.status_code == 200, r.text
    new = r.json()["new"]
    assert new and new != mara and r.json()["moved"] and r.json()["author"] == "api-token"
    assert c.get(f"/api/actors/{new}").json()["entity"]["name"] == "Port Selin"
    assert "Port Selin" not in {n["name"] for n in c.get(f"/api/actors/{mara}").json()["names"]}


@pytest.mark.parametrize("path, body", [("/api/actors/merge", {"keep": "a", "drop": "b", "author": "mallory"}),
                                        ("/api/actors/ent_a/split", {"names": ["x"], "author": "mallory"})])
def test_the_request_cannot_name_the_author(guarded, path, body):
    r = guarded.post(path, json=body, headers={"authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422
    assert_error_shape(r.json(), "E505")
    assert "author" in r.json()["error"]["message"]


def test_a_configured_identity_authors_judgements(tmp_path):
    from kbdata import all_reports

    from wirescope.flow import open_kb

    url = f"sqlite:///{tmp_path / 'named.db'}"
    with open_kb(url) as kb:
        for analysis in all_reports()[:2]:
            kb.save(analysis)
    app = create_app(Settings(db_url=url), allow_writes=True, token=TOKEN, identity="desk-7",
                     pipeline_factory=never_builds)
    auth = {"authorization": f"Bearer {TOKEN}"}
    with make_client(app) as c:
        found = {e["name"]: e["id"] for e in c.get("/api/actors", params={"limit": 100}).json()["items"]}
        r = c.post("/api/actors/merge", json={"keep": found["Mara Ellison"], "drop": found["police"]}, headers=auth)
        assert r.status_code == 200 and r.json()["author"] == "desk-7"
        judged = c.get(f"/api/actors/{found['Mara Ellison']}").json()["judgements"]
        assert [j["author"] for j in judged] == ["desk-7"]
        assert c.get("/api/audit", headers=auth).json()["items"][0]["identity"] == "desk-7"


@pytest.mark.parametrize("identity", ["has space", "x" * 65, "<script>", "-dash", "new\nline", "desk\n"])
def test_identity_must_be_a_plain_name(kb_url, identity):
    from wirescope.errors import ConfigError

    with pytest.raises(ConfigError) as info:
        create_app(Settings(db_url=kb_url), allow_writes=True, token=TOKEN, identity=identity)
    assert info.value.code == "E103"


@pytest.mark.parametrize("path, body, status, code", [
    ("/api/actors/merge", {"keep": "ent_missing", "drop": "ent_missing2"}, 404, "E501"),
    ("/api/actors/merge", {"keep": "same", "drop": "same"}, 422, "E505"),
    ("/api/actors/merge", {"keep": "x" * 101, "drop": "y"}, 422, "E505"),
    ("/api/actors/ent_missing/split", {"names": ["x"]}, 404, "E501"),
    ("/api/actors/ent_missing/split", {}, 422, "E505"),
    ("/api/actors/ent_missing/split", {"names": ["x" * 201]}, 422, "E505"),
    ("/api/actors/" + "x" * 101 + "/split", {"names": ["x"]}, 422, "E505"),
])
def test_merge_split_refusals(guarded, path, body, status, code):
    r = guarded.post(path, json=body, headers={"authorization": f"Bearer {TOKEN}"})
    assert r.status_code == status, r.text
    assert_error_shape(r.json(), code)
