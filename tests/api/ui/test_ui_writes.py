"""Merge, split and review from the pages: forms posted with the write token, checked (with the
form's origin and the lockout) before a handler runs, recorded as judgements and in the audit log,
shown in the actor's history."""
from __future__ import annotations

import logging

import pytest
from uidata import UI_TOKEN, actor_ids

from apihelpers import Spy, make_client

HTML = {"accept": "text/html"}
SAME = {"origin": "http://localhost", **HTML}


def post(client, path: str, data: dict, headers: dict | None = None, token: str | None = UI_TOKEN):
    form = dict(data, **({"token": token} if token is not None else {}))
    return client.post(path, data=form, headers=headers or SAME, follow_redirects=False)


def audit(app) -> list[dict]:
    from wirescope.store import audit as A

    with app.state.ws.kb.engine.connect() as conn:
        return A.entries(conn, limit=50)


def test_merge_from_the_actor_page(ui_writable):
    client, app = ui_writable
    ids = actor_ids(app)
    page = client.get(f"/actors/{ids['Coastal Brigade']}", headers=HTML).text
    assert 'class="merge-form"' in page and 'name="token"' in page and 'type="password"' in page
    r = post(client, f"/actors/{ids['Coastal Brigade']}/merge", {"other": "Delta Legion", "note": "one group"})
    assert r.status_code == 303 and r.headers["location"] == f"/actors/{ids['Coastal Brigade']}?done=merged#history"
    page = client.get(r.headers["location"], headers=HTML).text
    history = page.split('id="history"')[1]
    assert "Merged: the other actor is now part of Coastal Brigade" in page
    assert "merge" in history and "Delta Legion" in history and "one group" in history and "by api-token" in history
    assert client.get(f"/api/actors/{ids['Delta Legion']}").json()["entity"]["id"] == ids["Coastal Brigade"]
    row = audit(app)[0]
    assert row["action"] == "merge" and row["result"] == "ok" and row["identity"] == "api-token"
    assert set(row["ids"]) >= {ids["Coastal Brigade"], ids["Delta Legion"]} and row["detail"]["via"] == "web"


def test_split_and_undo_from_the_actor_page(ui_writable):
    client, app = ui_writable
    ids = actor_ids(app)
    post(client, f"/actors/{ids['Coastal Brigade']}/merge", {"other": ids["Delta Legion"]})
    r = post(client, f"/actors/{ids['Coastal Brigade']}/split", {"names": "Delta Legion"})
    assert r.status_code == 303 and r.headers["location"].startswith(f"/actors/{ids['Delta Legion']}?done=split")
    assert client.get(f"/api/actors/{ids['Delta Legion']}").json()["entity"]["name"] == "Delta Legion"
    page = client.get(f"/actors/{ids['Coastal Brigade']}", headers=HTML).text.split('id="history"')[1]
    assert page.index("split") < page.index("merge")  # newest first
    # undo every merge into an actor
    post(client, f"/actors/{ids['Northern Front']}/merge", {"other": "Eastern Guard"})
    r = post(client, f"/actors/{ids['Northern Front']}/split", {"undo_merges": "true"})
    assert r.status_code == 303 and "done=unmerged" in r.headers["location"]
    assert client.get(f"/api/actors/{ids['Eastern Guard']}").json()["entity"]["id"] == ids["Eastern Guard"]
    r = post(client, f"/actors/{ids['Northern Front']}/split", {"undo_merges": "true"})
    assert r.status_code == 422 and "nothing was merged" in r.text
    r = post(client, f"/actors/{ids['Northern Front']}/split", {"names": ""})
    assert r.status_code == 422
    assert [a["action"] for a in audit(app)[:2]] == ["split", "split"] and audit(app)[0]["result"] == "E505"


@pytest.mark.parametrize("token", [None, "", "wrong", UI_TOKEN + "x"])
def test_forms_need_the_token(ui_writable, token):
    client, app = ui_writable
    ids = actor_ids(app)
    r = post(client, f"/actors/{ids['Coastal Brigade']}/merge", {"other": "Delta Legion"}, token=token)
    assert r.status_code == 401 and r.headers["content-type"].startswith("text/html")
    assert 'data-code="E503"' in r.text
    assert client.get(f"/api/actors/{ids['Delta Legion']}").json()["entity"]["id"] == ids["Delta Legion"]
    assert audit(app) == []  # refused before any handler: nothing was written


def test_the_bearer_header_works_for_forms_too(ui_writable):
    client, app = ui_writable
    ids = actor_ids(app)
    r = client.post(f"/actors/{ids['Coastal Brigade']}/merge", data={"other": "Delta Legion"},
                    headers={"authorization": f"Bearer {UI_TOKEN}"}, follow_redirects=False)
    assert r.status_code == 303


def test_a_form_from_another_site_is_refused_and_locks_no_one_out(ui_writable, caplog):
    client, app = ui_writable
    ids = actor_ids(app)
    path = f"/actors/{ids['Coastal Brigade']}/merge"
    with caplog.at_level(logging.WARNING, logger="wirescope.api.security"):
        for origin in ("https://evil.example", "null", "http://localhost.evil.example", "http://localhost:1"):
            r = post(client, path, {"other": "Delta Legion"}, headers={"origin": origin, **HTML})
            assert r.status_code == 403 and 'data-code="E505"' in r.text and "another site" in r.text
    assert sum("another site" in m for m in caplog.messages) == 4
    for _ in range(6):  # more than the lockout allows: none counted as a failed token
        post(client, path, {"other": "Delta Legion"}, headers={"origin": "https://evil.example"}, token="guess")
    assert post(client, path, {"other": "Delta Legion"}).status_code == 303
    assert post(client, f"/actors/{ids['Northern Front']}/merge", {"other": "Eastern Guard"},
                headers=HTML).status_code == 303  # no Origin (not a browser): the token decides


def test_wrong_tokens_lock_forms_out_like_the_api(ui_writable):
    client, app = ui_writable
    ids = actor_ids(app)
    path = f"/actors/{ids['Coastal Brigade']}/merge"
    for _ in range(5):
        assert post(client, path, {"other": "Delta Legion"}, token="guess").status_code == 401
    r = post(client, path, {"other": "Delta Legion"})
    assert r.status_code == 429 and "retry-after" in r.headers and 'data-code="E509"' in r.text
    assert client.post("/api/actors/merge", json={"keep": "a", "drop": "b"},
                       headers={"authorization": f"Bearer {UI_TOKEN}"}).status_code == 429  # one lockout for both


def test_a_large_form_is_refused_before_the_handler(ui_writable):
    client, app = ui_writable
    spy = Spy(app)
    with make_client(spy) as c:
        r = c.post("/actors/x/merge", content=b"other=" + b"x" * 20_000 + b"&token=" + UI_TOKEN.encode(),
                   headers={"content-type": "application/x-www-form-urlencoded", **SAME})
    assert r.status_code == 413 and 'data-code="E504"' in r.text
    assert spy.received <= 16_384 + 65_536  # read up to the form limit (one chunk past it at most), not the rest
    with make_client(Spy(app)) as c:  # not a form, no header: refused unread
        r = c.post("/actors/x/merge", content=b"{" * 50_000, headers={"content-type": "application/json"})
        assert r.status_code == 401


def test_read_only_servers_refuse_forms_and_show_none(ui_client):
    r = ui_client.post("/actors/Coastal%20Brigade/merge", data={"other": "Delta Legion", "token": UI_TOKEN},
                       headers=SAME)
    assert r.status_code == 403 and 'data-code="E502"' in r.text
    page = ui_client.get("/actors/Coastal%20Brigade", headers=HTML, follow_redirects=True).text
    assert 'class="merge-form"' not in page and "--allow-writes" in page
    review = ui_client.get("/review", headers=HTML).text
    assert "formaction=" not in review and 'name="token"' not in review and "--allow-writes" in review


def test_review_confirm_and_undo(ui_writable):
    client, app = ui_writable
    page = client.get("/review", params={"limit": 500}, headers=HTML).text
    rows = page.count('<tr id="merge-')
    assert rows >= 2 and 'id="review-form"' in page and 'formaction="/review/' in page
    first, second = [int(x) for x in __import__("re").findall(r'<tr id="merge-(\d+)"', page)[:2]]
    r = post(client, f"/review/{first}/confirm", {"note": "checked"})
    assert r.status_code == 303 and r.headers["location"] == f"/review?done=confirmed-{first}"
    r = post(client, f"/review/{second}/undo", {})
    assert r.status_code == 303
    page = client.get("/review", params={"limit": 500}, headers=HTML).text
    assert f'id="merge-{first}"' not in page and f'id="merge-{second}"' not in page  # reviewed: listed no more
    assert page.count('<tr id="merge-') == rows - 2
    assert [(a["action"], a["detail"]["action"]) for a in audit(app)[:2]] == [("review", "undo"), ("review", "confirm")]
    assert post(client, "/review/999999/undo", {}).status_code == 404
    logged = client.get("/api/audit", params={"action": "review"}, headers={"authorization": f"Bearer {UI_TOKEN}"}).json()
    assert [e["result"] for e in logged["items"]] == ["E501", "ok", "ok"]  # a refused write is audited too
