"""Every list answers {"items", "total", "limit", "offset", "next"}; `next` walks the whole list;
OpenAPI declares the response models and the bearer scheme, and every route that declares the
scheme is guarded before its body is read."""
from __future__ import annotations

import pytest

from apihelpers import TOKEN, Spy, make_client

ENVELOPE = {"items", "total", "limit", "offset", "next"}
LISTS = ["/api/documents", "/api/actors", "/api/entities", "/api/statements", "/api/relations", "/api/events",
         "/api/timeline", "/api/actors/Coastal%20Brigade/events", "/api/entities/Coastal%20Brigade/timeline"]


@pytest.mark.parametrize("path", LISTS)
def test_every_list_has_the_envelope(client, path):
    body = client.get(path).json()
    assert set(body) == ENVELOPE
    assert body["offset"] == 0 and body["limit"] >= 1 and isinstance(body["items"], list)
    assert body["total"] == len(body["items"]) and body["next"] is None  # the test knowledge base fits one page


@pytest.mark.parametrize("path, params", [("/api/documents", {}), ("/api/actors", {}), ("/api/statements", {}),
                                          ("/api/relations", {"type": "harbors,member_of,rival_of"}),
                                          ("/api/events", {}), ("/api/actors", {"q": "Northern"})])
def test_next_walks_the_whole_list(client, path, params):
    whole = client.get(path, params={**params, "limit": 500}).json()
    seen, url, pages = [], path, 0
    first = client.get(url, params={**params, "limit": 2}).json()
    body = first
    while True:
        pages += 1
        assert body["total"] == whole["total"] and body["limit"] == 2 and len(body["items"]) <= 2
        seen.extend(body["items"])
        if body["next"] is None:
            break
        assert body["next"].startswith(path + "?")  # relative: the Host header is never echoed
        body = client.get(body["next"]).json()
    assert seen == whole["items"] and pages == max(1, -(-whole["total"] // 2))


def test_next_keeps_the_filters(client):
    body = client.get("/api/relations", params=[("type", "harbors"), ("type", "member_of"), ("limit", 1)]).json()
    assert body["next"] == "/api/relations?type=harbors&type=member_of&limit=1&offset=1"


def test_all_actors_by_name(client, ids):
    body = client.get("/api/actors", params={"limit": 500}).json()
    live = {k: v for k, v in ids.items() if v.startswith("ent_")}
    assert body["total"] == len(live) == len(body["items"])
    assert [a["name"] for a in body["items"]] == sorted(a["name"] for a in body["items"])
    assert {a["id"] for a in body["items"]} == set(live.values())
    groups = client.get("/api/actors", params={"type": "group"}).json()
    assert groups["total"] >= 2 and {a["type"] for a in groups["items"]} == {"group"}
    brigade = next(a for a in body["items"] if a["name"] == "Coastal Brigade")
    assert brigade["documents"] == 2


def test_aliases_answer_the_same(client, ids):
    for new, old in (("/api/actors?q=Front", "/api/entities?q=Front"),
                     (f"/api/actors/{ids['Mara Ellison']}", f"/api/entities/{ids['Mara Ellison']}"),
                     ("/api/events?actor=Port%20Selin", "/api/timeline?entity=Port%20Selin"),
                     ("/api/relations?actor=Mara%20Ellison", "/api/relations?entity=Mara%20Ellison")):
        assert client.get(new).json() == client.get(old).json(), new


# ---- OpenAPI ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def spec(client):
    return client.get("/openapi.json").json()


def _ref(spec, path, method="get", status="200"):
    return spec["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]["$ref"]


@pytest.mark.parametrize("path, model", [
    ("/api/actors", "Page_ActorRow_"), ("/api/actors/{id}", "ActorProfile"), ("/api/actors/{id}/events", "Page_EventOut_"),
    ("/api/statements", "Page_StatementOut_"), ("/api/relations", "Page_RelationOut_"),
    ("/api/relations/{subject}/{type}/{object}", "RelationOut"), ("/api/events", "Page_EventOut_"),
    ("/api/documents", "Page_DocumentRow_"), ("/api/documents/{id}", "DocumentOut"), ("/api/network", "NetworkOut"),
    ("/api/search", "SearchOut"), ("/api/stats", "StatsOut"), ("/api/health", "HealthOut"),
    ("/api/audit", "Page_AuditEntry_"),
])
def test_main_routes_declare_response_models(spec, path, model):
    assert _ref(spec, path).endswith("/" + model)
    schema = spec["components"]["schemas"][model]
    if model.startswith("Page_"):
        assert set(schema["properties"]) == ENVELOPE
    if path not in ("/api/stats", "/api/health"):  # these take no parameters
        assert _ref(spec, path, status="422").endswith("/ErrorOut")


def test_write_routes_declare_the_bearer_scheme(spec):
    assert spec["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["bearer"]["description"]}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            secured = op.get("security") == [{"bearer": []}]
            assert secured == (method != "get" or path == "/api/audit"), (method, path)
            if secured:
                assert {"401", "403", "413", "429"} <= set(op["responses"]), (method, path)
    assert _ref(spec, "/api/documents", "post", "201").endswith("/IngestOut")
    assert _ref(spec, "/api/actors/merge", "post").endswith("/MergeOut")
    assert "author" not in spec["components"]["schemas"]["MergeIn"]["properties"]
    assert "author" not in spec["components"]["schemas"]["SplitIn"]["properties"]


def test_every_secured_route_is_guarded_before_its_body(kb_url, spec):
    from wirescope.api.app import create_app
    from wirescope.settings import Settings

    secured = [(m, p.replace("{id}", "ent_x")) for p, item in spec["paths"].items() for m, op in item.items()
               if op.get("security")]
    assert len(secured) == 6
    for allow, status in ((True, 401), (False, 403)):
        spy = Spy(create_app(Settings(db_url=kb_url), allow_writes=allow, token=TOKEN if allow else None,
                             max_failures=100))
        with make_client(spy) as c:
            for method, path in secured:
                r = c.request(method, path, content=b'{"keep": "a", "drop": "b"}',
                              headers={"content-type": "application/json"})
                assert r.status_code == status, (method, path, r.text)
        assert spy.received == 0


def test_docs_page_marks_secured_and_deprecated_routes(client):
    html = client.get("/docs").text
    assert html.count('<span class="tag">bearer token</span>') >= 6
    assert '<span class="tag">deprecated</span>' in html and "candidates" in html and '"next"' in html
