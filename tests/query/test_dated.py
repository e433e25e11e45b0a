"""Claims and denials side by side, by date: one dated list per relation, with who said each statement,
through whom and where: in aggregate_relations, `wirescope relations`, the API's relation JSON and
the web relation page."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from wirescope.cli import main
from wirescope.query.relations import aggregate_relations, relation_detail

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories import claim  # noqa: E402

HTML = {"accept": "text/html"}


def harbors_of(conn):
    rows = aggregate_relations(conn, "Taliban", "al-Qaeda", type="harbors")
    assert len(rows) == 1
    return rows[0]


def test_one_dated_list_for_and_against(conn, doc_ids):
    row = harbors_of(conn)
    dated = row["statements"]
    assert [(e["date"], e["stance"]) for e in dated] == [
        ("2021-01-05", "against"), ("2021-01-05", "for"), ("2021-03-01", "for"), ("2021-03-01", "for"),
        ("2021-03-04", "against")]
    assert [e["polarity"] for e in dated] == ["negative", "positive", "positive", "positive", "negative"]
    # each statement once: the syndicated copy (06) is listed under its original (05)
    assert {e["doc_id"] for e in dated} == {doc_ids["01"], doc_ids["05"], doc_ids["07"]}
    assert [c["outlet"] for e in dated for c in e["copies"]] == ["Continental Newswire"] * 2
    # who, through whom, where
    first, last = dated[0], dated[-1]
    assert first["speaker"]["name"] == "Taliban" and first["outlet"] == "Kabul Ledger" and first["cue"] == "denied"
    assert last["speaker"]["name"] == "Zabihullah Mujahid" and last["outlet"] == "Eastern Wire"
    assert all({"via", "relayed_by", "chain", "chain_text", "title", "doc_id", "evidence"} <= set(e) for e in dated)
    assert dated[2]["speaker_text"] == "a UN report released on Sunday" and dated[2]["speaker"] is None
    # the lists for and against are still there, whole
    assert len(row["support"]) == 5 and len(row["against"]) == 2
    assert len(dated) + sum(len(e["copies"]) for e in dated) == len(row["support"]) + len(row["against"])


def test_undated_reports_come_last(writable_kb):
    writable_kb.save(claim("Capital Times", "2021-04-02", "Omar Said"))
    writable_kb.save(claim("Valley Post", None, "Lina Noor", words="denied", polarity="negative"))
    writable_kb.save(claim("Harbour Times", "2021-04-01", "Mariam Solaimankhil", words="denied", polarity="negative"))
    with writable_kb.engine.connect() as c:
        row = aggregate_relations(c, "Haven Front", "Ash Brigade")[0]
    assert [(e["date"], e["stance"], e["speaker"]["name"]) for e in row["statements"]] == [
        ("2021-04-01", "against", "Mariam Solaimankhil"), ("2021-04-02", "for", "Omar Said"),
        (None, "against", "Lina Noor")]


def test_relation_detail_has_the_dated_list_and_the_old_fields(conn):
    t = harbors_of(conn)
    row = relation_detail(conn, t["subject"]["id"], "harbors", t["object"]["id"])
    for field in ("support", "against", "first_seen", "last_seen", "independent_sources", "documents", "confidence",
                  "reasons", "speakers", "named_speakers", "anonymous_speakers", "statements", "sources",
                  "against_sources", "independent_sources_against", "independent_reports"):
        assert field in row, field
    empty = relation_detail(conn, t["subject"]["id"], "funds", t["object"]["id"])
    assert empty["statements"] == [] and empty["sources"] == []


# ---- the command line ------------------------------------------------------------------------------------
def run(capsys, *args):
    code = main(list(args))
    return code, capsys.readouterr().out


def test_cli_relations_lists_statements_by_date(capsys, writable_kb, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # one table row a line
    code, out = run(capsys, "relations", "Taliban", "al-Qaeda", "--type", "harbors", "--db", writable_kb.url)
    assert code == 0
    rows = [line for line in out.splitlines() if re.match(r"│\s*20\d\d-", line)]
    dates = [re.search(r"20\d\d-\d\d-\d\d", line).group(0) for line in rows]
    assert dates == sorted(dates) and len(dates) == 5
    stances = [("against" if "against" in line else "for") for line in rows]
    assert stances == ["against", "for", "for", "for", "against"]
    assert "(the report" not in out  # every harbors statement is attributed in the text
    assert "a UN report released on Sunday" in out and "[not identified]" in out
    assert "syndicated copy: Continental Newswire" in out
    assert "independent sources for (2):" in out and "independent sources against (2):" in out


def test_cli_shows_the_outlets_own_words_as_the_report(capsys, writable_kb):
    code, out = run(capsys, "relations", "Taliban", "al-Qaeda", "--type", "allied_with", "--db", writable_kb.url)
    assert code == 0 and "(the report itself: Eastern Wire)" in out


def test_cli_json_has_the_dated_list(capsys, writable_kb):
    code, out = run(capsys, "relations", "Taliban", "al-Qaeda", "--type", "harbors", "--format", "json",
                    "--db", writable_kb.url)
    [row] = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [e["stance"] for e in row["statements"]] == ["against", "for", "for", "for", "against"]
    assert row["statements"][0]["chain_text"].startswith("Taliban, in Kabul Ledger (2021-01-05")


# ---- the API and the web pages ------------------------------------------------------------------------------
@pytest.fixture
def client(writable_kb):
    from fastapi.testclient import TestClient

    from wirescope.api.app import create_app
    from wirescope.settings import Settings

    with TestClient(create_app(Settings(db_url=writable_kb.url)), base_url="http://localhost") as c:
        yield c


@pytest.fixture
def ids(writable_kb):
    from wirescope.query.entities import resolve_entity

    with writable_kb.engine.connect() as c:
        return {n: resolve_entity(c, n)["id"] for n in ("Taliban", "al-Qaeda")}


def test_api_relation_json(client, ids):
    body = client.get(f"/api/relations/{ids['Taliban']}/harbors/{ids['al-Qaeda']}").json()
    assert len(body["support"]) == 5 and len(body["against"]) == 2 and body["independent_sources"] == 2
    assert [e["stance"] for e in body["statements"]] == ["against", "for", "for", "for", "against"]
    assert body["statements"][0]["speaker"]["name"] == "Taliban" and body["statements"][0]["outlet"] == "Kabul Ledger"
    assert {c["independent"] for c in body["sources"]} == {True, False}
    listed = client.get("/api/relations", params={"actor": ids["Taliban"], "other": ids["al-Qaeda"],
                                                  "type": "harbors"}).json()["items"][0]
    assert listed["statements"] == body["statements"]


def test_web_relation_page_puts_claims_and_denials_side_by_side(client, ids):
    html = client.get(f"/relations/{ids['Taliban']}/harbors/{ids['al-Qaeda']}", headers=HTML).text
    section = html.split('id="by-date"')[1].split("</section>")[0]
    rows = re.findall(r'<tr class="polarity-\w+ stance-(\w+)">\s*<td class="nowrap">([^<]+)</td>', section)
    assert rows == [("against", "2021-01-05"), ("for", "2021-01-05"), ("for", "2021-03-01"), ("for", "2021-03-01"),
                    ("against", "2021-03-04")]
    assert "Zabihullah Mujahid" in section and "Kabul Ledger" in section and "Continental Newswire" in section
    assert "“a UN report released on Sunday”" in section and "not identified" in section
    assert 'id="sources"' in html and "counted" in html


def test_web_actor_page_shows_each_relations_latest_statement(client, ids):
    html = client.get(f"/actors/{ids['Taliban']}", headers=HTML).text
    section = html.split('id="relations"')[1].split("</section>")[0]
    row = [r for r in section.split("<tr>") if ">harbors<" in r][0]
    assert "2021-03-04" in row and "against" in row and "Zabihullah Mujahid" in row
