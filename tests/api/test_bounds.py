"""Every query and path parameter is bounded: out of bounds is 422 in the error shape, never a 500;
an actor name that matches nothing is 404, one that matches several is 409 with `candidates`."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from apihelpers import assert_error_shape, make_client

LISTS = ["/api/documents", "/api/actors", "/api/entities", "/api/statements", "/api/relations", "/api/events",
         "/api/timeline", "/api/actors/Northern%20Front/events"]
HTML = {"accept": "text/html"}


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("params", [{"offset": "1e20"}, {"offset": str(2 ** 63)}, {"offset": str(2 ** 63 - 1)},
                                    {"offset": "-1"}, {"offset": "99999999999999999999999999"}, {"offset": "1.5"},
                                    {"limit": "0"}, {"limit": "501"}, {"limit": str(2 ** 64)}, {"limit": "-5"},
                                    {"limit": "many"}, {"offset": ""}])
def test_limit_and_offset_out_of_bounds(client, path, params):
    r = client.get(path, params=params)
    assert r.status_code == 422, r.text
    assert_error_shape(r.json(), "E505")
    name = next(iter(params))
    assert r.json()["error"]["message"].startswith(f"Invalid request: {name}:")


@pytest.mark.parametrize("path", LISTS)
def test_the_largest_offset_is_an_empty_last_page(client, path):
    r = client.get(path, params={"offset": 1_000_000_000, "limit": 500})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["items"] == [] and body["next"] is None and body["offset"] == 1_000_000_000 and body["total"] >= 0


LONG = "x" * 201
CASES = [
    # path, params -> 422
    ("/api/actors", {"q": LONG}),
    ("/api/actors", {"q": "a\x00b"}),
    ("/api/actors", {"type": "t" * 33}),
    ("/api/search", {"q": "w" * 501}),
    ("/api/search", {"q": ""}),
    ("/api/search", {"q": "x", "limit": "201"}),
    ("/api/relations", {"actor": LONG}),
    ("/api/relations", {"other": LONG}),
    ("/api/relations", {"entity": LONG}),
    ("/api/relations", {"since": "2021-01-01" * 4}),
    ("/api/relations", {"type": ["harbors"] * 21}),
    ("/api/relations", {"type": ",".join(["harbors"] * 21)}),
    ("/api/relations", {"type": "h" * 5000}),
    ("/api/relations", {"min_sources": "1001"}),
    ("/api/relations", {"min_sources": str(2 ** 63)}),
    ("/api/events", {"actor": LONG}),
    ("/api/events", {"until": "u" * 33}),
    ("/api/statements", {"actor": LONG}),
    ("/api/statements", {"document": "d" * 101}),
    ("/api/statements", {"polarity": "neutral"}),
    ("/api/network", {"actor": LONG}),
    ("/api/network", {"min_sources": "-1"}),
    ("/api/network", {"since": "\x01"}),
    ("/api/actors/" + LONG, {}),
    ("/api/actors/" + LONG + "/events", {}),
    ("/api/entities/" + LONG, {}),
    ("/api/documents/" + "d" * 101, {}),
    ("/api/documents/doc%00", {}),
    ("/api/relations/" + LONG + "/harbors/b", {}),
    ("/api/relations/a/harbors/" + LONG, {}),
    ("/api/relations/a/" + "h" * 33 + "/b", {}),
]


@pytest.mark.parametrize("path, params", CASES)
def test_strings_and_numbers_out_of_bounds(client, path, params):
    r = client.get(path, params=params)
    assert r.status_code == 422, (path, r.status_code, r.text[:300])
    assert_error_shape(r.json(), "E505")


@pytest.mark.parametrize("path, params", [("/api/actors", {"q": "N" * 200}), ("/api/search", {"q": "w " * 250}),
                                          ("/api/documents/" + "d" * 100, {}), ("/api/actors/" + "x" * 200, {}),
                                          ("/api/relations", {"type": ",".join(["harbors"] * 20)})])
def test_at_the_bounds_is_answered(client, path, params):
    r = client.get(path, params=params)
    assert r.status_code in (200, 404), r.text[:300]


@pytest.mark.parametrize("path, status", [("/actors/" + LONG, 422), ("/documents/" + "d" * 101, 422),
                                          ("/relations/a/" + "h" * 33 + "/b", 422), ("/network?entity=" + LONG, 422),
                                          ("/timeline?since=" + "1" * 33, 422), ("/search?q=" + "w" * 501, 422),
                                          ("/documents?page=0", 422), ("/documents?page=" + str(2 ** 63), 422)])
def test_pages_are_bounded_too(client, path, status):
    r = client.get(path, headers=HTML)
    assert r.status_code == status
    assert 'data-code="E505"' in r.text


# ---- unknown and ambiguous names ----------------------------------------------------------------
def separate(conn, entity, doc_id):
    """A resolver that gives every actor its own identity, so the test does not depend on how the
    real resolver weighs same-named actors."""
    from sqlalchemy import insert

    from wirescope.resolve.match import key
    from wirescope.store import schema as S

    kb_id = f"ent_{doc_id[-8:]}{entity.id}"
    conn.execute(insert(S.kb_entities).values(id=kb_id, name=entity.name, key=key(entity.name), type=entity.type,
                                              anonymous=False))
    conn.execute(insert(S.kb_names).values(kb_entity=kb_id, name=entity.name, key=key(entity.name),
                                           how="canonical", doc_id=doc_id))
    return kb_id


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    """A knowledge base where "Hassan Group" names three different actors."""
    from kbdata import entity

    from wirescope.api.app import create_app
    from wirescope.flow import open_kb
    from wirescope.model import Analysis, Document
    from wirescope.settings import Settings

    def report(text, type_, published):
        return Analysis(Document(text, title=text[:20], published=published),
                        [entity(text, "e1", "Hassan Group", type_, ["Hassan Group"])], [], [], [], [])

    url = f"sqlite:///{tmp_path_factory.mktemp('twins') / 'kb.db'}"
    with open_kb(url) as kb:
        kb.save(report("Hassan Group said it would build a port in Selin.", "organization", "2021-05-01"), separate)
        kb.save(report("Hassan Group, a singer, gave a concert in the capital.", "person", "2021-05-02"), separate)
        kb.save(report("Police met Hassan Group at the port, the mayor said.", "location", "2021-05-04"), separate)
    with make_client(create_app(Settings(db_url=url))) as c:
        yield c


@pytest.mark.parametrize("path", ["/api/actors/Hassan%20Group", "/api/entities/Hassan%20Group",
                                  "/api/actors/Hassan%20Group/events", "/api/relations?actor=Hassan%20Group",
                                  "/api/relations?other=hassan%20group", "/api/events?actor=Hassan%20Group",
                                  "/api/statements?actor=Hassan%20Group", "/api/network?actor=Hassan%20Group",
                                  "/api/relations/Hassan%20Group/harbors/ent_x"])
def test_an_ambiguous_name_is_409_with_candidates(twins, path):
    r = twins.get(path)
    assert r.status_code == 409, r.text
    assert_error_shape(r.json(), "E404")
    found = r.json()["error"]["candidates"]
    assert sorted((c["name"], c["type"]) for c in found) == [
        ("Hassan Group", "location"), ("Hassan Group", "organization"), ("Hassan Group", "person")]
    assert all(set(c) == {"id", "name", "type", "documents"} for c in found)
    person = next(c for c in found if c["type"] == "person")
    assert person["documents"] >= 1
    # every candidate id answers directly
    for c in found:
        assert twins.get(f"/api/actors/{c['id']}").json()["entity"]["id"] == c["id"]


def test_the_openapi_declares_candidates(client):
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert "candidates" in schemas["ErrorDetail"]["properties"]
    assert set(schemas["Candidate"]["properties"]) >= {"id", "name", "type", "documents"}
    assert "409" in spec["paths"]["/api/actors/{id}"]["get"]["responses"]


def test_an_ambiguous_name_on_a_page_lists_the_candidates(twins):
    r = twins.get("/actors/Hassan%20Group", headers=HTML)
    assert r.status_code == 409 and 'data-code="E404"' in r.text
    assert r.text.count('class="actor-result"') == 3
    for page_path in ("/network?entity=Hassan%20Group", "/timeline?entity=Hassan%20Group"):
        page = twins.get(page_path, headers=HTML)
        assert page.status_code == 409 and page.text.count('class="actor-result"') == 3


@pytest.mark.parametrize("path", ["/api/actors/Nobody", "/api/events?actor=Nobody", "/api/relations?other=Nobody",
                                  "/api/actors/%20"])
def test_a_name_that_matches_nothing_is_404(twins, path):
    r = twins.get(path)
    assert r.status_code == 404
    assert_error_shape(r.json(), "E403")


def test_hostile_names_in_errors_stay_text(twins):
    name = '<script>alert(1)</script>'
    r = twins.get("/actors/" + quote(name, safe=""), headers=HTML)
    assert r.status_code == 404 and "<script>alert" not in r.text and "&lt;script&gt;" in r.text
