"""One JSON error shape for every error: ours, the framework's 404/405/422, and a 500."""
from __future__ import annotations

import pytest

from apihelpers import assert_error_shape, make_client
from wirescope.errors import ERRORS

CASES = [
    # method, path, kwargs, status, code
    ("GET", "/api/no-such-endpoint", {}, 404, "E501"),
    ("GET", "/api/documents/doc_0000000000000000", {}, 404, "E501"),
    ("GET", "/api/actors/ent_0000000000000000", {}, 404, "E403"),
    ("GET", "/api/actors/Nobody%20At%20All", {}, 404, "E403"),
    ("GET", "/api/entities/Nobody%20At%20All", {}, 404, "E403"),
    ("GET", "/api/relations?actor=Nobody%20At%20All", {}, 404, "E403"),
    ("GET", "/api/events?actor=Nobody%20At%20All", {}, 404, "E403"),
    ("GET", "/api/statements?actor=Nobody%20At%20All", {}, 404, "E403"),
    ("GET", "/api/network?actor=Nobody%20At%20All", {}, 404, "E403"),
    ("GET", "/api/relations?actor=Northern%20Front&entity=Coastal%20Brigade", {}, 422, "E505"),
    ("GET", "/api/relations/ent_a/harbors/ent_b", {}, 404, "E501"),
    ("GET", "/api/relations/ent_a/likes/ent_b", {}, 422, "E505"),
    ("GET", "/api/search", {}, 422, "E505"),
    ("GET", "/api/documents?limit=0", {}, 422, "E505"),
    ("GET", "/api/documents?limit=many", {}, 422, "E505"),
    ("GET", "/api/relations?type=bogus", {}, 422, "E505"),
    ("GET", "/api/network?min_sources=-1", {}, 422, "E505"),
    ("GET", "/api/timeline?since=yesterday", {}, 422, "E206"),
    ("GET", "/api/events?until=2021-13-45", {}, 422, "E206"),
    ("DELETE", "/api/documents", {}, 405, "E505"),
    ("POST", "/api/documents", {"json": {"text": "A short report."}}, 403, "E502"),
    ("POST", "/api/entities/merge", {"json": {"keep": "a", "drop": "b"}}, 403, "E502"),
    ("POST", "/api/actors/merge", {"json": {"keep": "a", "drop": "b"}}, 403, "E502"),
    ("POST", "/api/entities/ent_a/split", {"json": {"names": ["x"]}}, 403, "E502"),
    ("POST", "/api/actors/ent_a/split", {"json": {"names": ["x"]}}, 403, "E502"),
    ("GET", "/api/audit", {}, 403, "E502"),
    ("GET", "/static/../pyproject.toml", {}, 404, "E501"),
    ("GET", "/static/%2e%2e%2fapp.py", {}, 404, "E501"),
    ("GET", "/static/templates", {}, 404, "E501"),
]


@pytest.mark.parametrize("method, path, kwargs, status, code", CASES)
def test_error_shape(client, method, path, kwargs, status, code):
    r = client.request(method, path, **kwargs)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert_error_shape(r.json(), code)
    if "{" not in ERRORS[code][1]:  # the catalogue's hint, word for word
        assert r.json()["error"]["hint"] == ERRORS[code][1]


def test_internal_error_has_the_same_shape(kb_url, monkeypatch):
    import wirescope.query.documents as documents
    from wirescope.api.app import create_app
    from wirescope.settings import Settings

    def broken(conn):
        raise RuntimeError("boom")

    monkeypatch.setattr(documents, "stats", broken)
    with make_client(create_app(Settings(db_url=kb_url))) as c:
        r = c.get("/api/stats")
        assert r.status_code == 500
        assert_error_shape(r.json(), "E500")
        assert "boom" not in r.text  # no internals leak to the client
        page = c.get("/", headers={"accept": "text/html"})
        assert page.status_code == 500 and "E500" in page.text and page.headers["content-type"].startswith("text/html")
        assert r.headers["x-content-type-options"] == "nosniff" and "frame-ancestors 'none'" in r.headers["content-security-policy"]


@pytest.mark.parametrize("path, status, code", [("/no-such-page", 404, "E501"),
                                               ("/documents/doc_0000000000000000", 404, "E501"),
                                               ("/actors/Nobody%20At%20All", 404, "E403"),
                                               ("/timeline?since=yesterday", 422, "E206")])
def test_html_pages_show_the_same_error_fields(client, path, status, code):
    r = client.get(path, headers={"accept": "text/html"})
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert f'data-code="{code}"' in r.text
    # the same URL asked for JSON answers in the JSON shape
    assert_error_shape(client.get(path, headers={"accept": "application/json"}).json(), code)


def test_writes_need_a_token_to_start():
    from wirescope.api.app import create_app
    from wirescope.errors import ConfigError
    from wirescope.settings import Settings

    with pytest.raises(ConfigError) as info:
        create_app(Settings(db_url="sqlite://"), allow_writes=True, token=None)
    assert info.value.code == "E103"
