"""The layers in front of the routes: trusted Host names (DNS rebinding), the token checked before
the body is read, failed tokens rate-limited per client and logged, security headers on refusals."""
from __future__ import annotations

import logging

import pytest

from apihelpers import TOKEN, Spy, assert_error_shape, make_client, never_builds
from wirescope.api.app import create_app
from wirescope.api.security import allowed_hosts, host_of_header, is_loopback
from wirescope.errors import ERRORS
from wirescope.settings import Settings

AUTH = {"authorization": f"Bearer {TOKEN}"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def guarded_app(kb_url):
    return create_app(Settings(db_url=kb_url), allow_writes=True, token=TOKEN, pipeline_factory=never_builds)


# ---- trusted hosts ------------------------------------------------------------------------------
@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "LOCALHOST:1", "localhost.", "127.0.0.1",
                                  "127.0.0.1:65535", "[::1]", "[::1]:8000"])
def test_loopback_host_names_are_answered(client, host):
    r = client.get("/api/health", headers={"host": host})
    assert r.status_code == 200, (host, r.text)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil.example",
                                  "attacker-rebind.127.0.0.1.nip.io", "[::2]", "::1", "[::1", "[::1]x", "localhost:abc",
                                  "localhost:80:80", "127.0.0.1@evil.example", "", "0.0.0.0", "testserver",
                                  "localhost:123456"])
@pytest.mark.parametrize("path", ["/api/health", "/", "/api/documents", "/static/app.js", "/openapi.json"])
def test_other_host_names_are_refused(client, host, path):
    r = client.get(path, headers={"host": host, "accept": "text/html"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/json")  # always JSON, even for a browser
    assert_error_shape(r.json(), "E506")
    assert r.json()["error"]["hint"] == ERRORS["E506"][1]
    if host:
        assert host not in r.text  # the attacker's name is not echoed
    assert r.headers["x-content-type-options"] == "nosniff" and "content-security-policy" in r.headers


def test_writes_are_refused_for_a_foreign_host_before_the_token(guarded_app):
    spy = Spy(guarded_app)
    with make_client(spy) as c:
        r = c.post("/api/documents", json={"text": "x"}, headers={**AUTH, "host": "evil.example"})
    assert r.status_code == 400 and spy.received == 0


def test_configured_and_extra_hosts_are_answered(kb_url):
    app = create_app(Settings(db_url=kb_url), host="10.1.2.3", allowed_host=["kb.example.org", "[fd00::7]"])
    with make_client(app) as c:
        for host in ("10.1.2.3:8000", "kb.example.org", "KB.Example.Org:443", "[fd00::7]:80", "localhost:8000"):
            assert c.get("/api/health", headers={"host": host}).status_code == 200, host
        for host in ("other.example.org", "example.org", "10.1.2.4", "sub.kb.example.org"):
            assert c.get("/api/health", headers={"host": host}).status_code == 400, host


def test_a_wildcard_bind_adds_no_host_name():
    assert allowed_hosts("0.0.0.0") == allowed_hosts("::") == allowed_hosts("127.0.0.1") == {"127.0.0.1", "localhost", "::1"}
    with pytest.raises(ValueError):
        allowed_hosts("127.0.0.1", ["not a name"])


@pytest.mark.parametrize("value, expected", [("localhost:80", "localhost"), ("[::1]:80", "::1"), ("[0:0::1]", "::1"),
                                             ("Example.ORG.", "example.org"), ("1.2.3.4", "1.2.3.4"), ("a_b.org", None),
                                             ("[example.org]", None), ("-x.org", None), ("x" * 64 + ".org", None)])
def test_host_header_parsing(value, expected):
    assert host_of_header(value) == expected


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.8.0.1", True), ("localhost", True),
                                            ("::1", True), ("[::1]", True), ("0.0.0.0", False), ("::", False),
                                            ("192.168.1.5", False), ("example.org", False), ("", False)])
def test_loopback_binds(host, loopback):
    assert is_loopback(host) is loopback


# ---- the token before the body --------------------------------------------------------------------
@pytest.mark.parametrize("headers", [{}, {"authorization": "Bearer wrong"}, {"authorization": f"Basic {TOKEN}"}])
def test_a_large_body_with_a_wrong_token_is_refused_unread(guarded_app, headers):
    spy = Spy(guarded_app)
    payload = b'{"text": "' + b"x" * (5_000_000 - 12) + b'"}'
    assert len(payload) == 5_000_000  # at the limit: the body limit alone would read it all
    with make_client(spy) as c:
        r = c.post("/api/documents", content=payload, headers={"content-type": "application/json", **headers})
    assert r.status_code == 401
    assert_error_shape(r.json(), "E503")
    assert r.headers["www-authenticate"] == "Bearer"
    assert spy.received == 0  # not a byte of the body was read, let alone parsed


def test_read_only_server_refuses_writes_unread(kb_url):
    spy = Spy(create_app(Settings(db_url=kb_url)))
    with make_client(spy) as c:
        r = c.post("/api/documents", content=b"{" * 100_000, headers={"content-type": "application/json", **AUTH})
    assert r.status_code == 403 and spy.received == 0
    assert_error_shape(r.json(), "E502")


def test_the_right_token_lets_the_body_be_read_and_validated(guarded_app):
    spy = Spy(guarded_app)
    with make_client(spy) as c:
        r = c.post("/api/documents", content=b"{not json", headers={"content-type": "application/json", **AUTH})
    assert r.status_code == 422 and spy.received == len(b"{not json")


def test_unprotected_routes_and_unknown_methods_are_not_guarded(guarded_app):
    with make_client(guarded_app) as c:
        assert c.get("/api/documents").status_code == 200  # reads need no token
        r = c.delete("/api/documents")
        assert r.status_code == 405
        assert_error_shape(r.json(), "E505")
        assert c.post("/api/no-such-route", json={}).status_code == 404


# ---- failed tokens are limited per client and logged ---------------------------------------------
def test_failed_tokens_are_rate_limited_per_client(guarded_app):
    clock = Clock()
    guarded_app.state.ws.limiter.clock = clock
    body = {"keep": "ent_a", "drop": "ent_b"}
    with make_client(guarded_app) as c:
        for _ in range(5):
            assert c.post("/api/actors/merge", json=body, headers={"authorization": "Bearer guess"}).status_code == 401
        clock.now += 10
        r = c.post("/api/actors/merge", json=body, headers={"authorization": "Bearer guess"})
        assert r.status_code == 429
        assert_error_shape(r.json(), "E509")
        assert r.headers["retry-after"] == "50"  # the first failure leaves the 60 s window in 50 s
        # locked out: even the right token is refused, so guessing on gains nothing
        r = c.post("/api/actors/merge", json=body, headers=AUTH)
        assert r.status_code == 429 and int(r.headers["retry-after"]) == 50
        # reads are not affected
        assert c.get("/api/health").status_code == 200
    with make_client(Spy(guarded_app, client=("10.9.9.9", 4000))) as other:  # another client is not locked out
        assert other.post("/api/actors/merge", json=body, headers=AUTH).status_code == 404
    clock.now += 51
    with make_client(guarded_app) as c:
        assert c.post("/api/actors/merge", json=body, headers=AUTH).status_code == 404  # past the window


def test_lockout_ends_failure_by_failure(guarded_app):
    clock = Clock()
    guarded_app.state.ws.limiter.clock = clock
    with make_client(guarded_app) as c:
        for _ in range(5):
            c.post("/api/documents", json={"text": "x"}, headers={"authorization": "Bearer guess"})
            clock.now += 5
        assert c.post("/api/documents", json={"text": "x"}).status_code == 429
        clock.now += 36  # the first failure (at 1000) leaves the window at 1060
        assert c.post("/api/documents", json={"text": "x"}).status_code == 401  # one more try ...
        assert c.post("/api/documents", json={"text": "x"}).status_code == 429  # ... and locked again


def test_failures_are_logged_without_the_token(guarded_app, caplog):
    with caplog.at_level(logging.WARNING, logger="wirescope.api.security"), make_client(guarded_app) as c:
        c.post("/api/documents", json={"text": "x"}, headers={"authorization": "Bearer s3cret-guess-1"})
        c.post("/api/documents", json={"text": "x"})
    messages = [r.getMessage() for r in caplog.records if r.name == "wirescope.api.security"]
    assert len(messages) == 2
    assert "testclient" in messages[0] and "wrong token" in messages[0] and "/api/documents" in messages[0]
    assert "missing token" in messages[1] and "2 failure(s)" in messages[1]
    assert not any("s3cret-guess-1" in m or TOKEN in m for m in messages)


def test_token_comparison_is_constant_time_over_digests():
    from wirescope.api.security import token_matches

    assert token_matches(TOKEN, TOKEN)
    assert not token_matches(TOKEN + "x", TOKEN) and not token_matches("", TOKEN) and not token_matches(TOKEN, None)
    assert not token_matches("caf\udce9", TOKEN)  # undecodable header bytes do not raise
