"""Knowledge-base commands: show, relations, timeline, search, merge, split.

Thin Typer commands over wirescope.query (reads) and wirescope.resolve.judgements (an analyst's
corrections). Every command takes --db and --format text|json; text is rich tables, json is JSON
(one object, or JSON Lines for lists) for scripts.
"""
from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional

import typer
from rich.console import Console
from rich.table import Table as _RichTable
from rich.text import Text

from wirescope.cli.common import settings_from
from wirescope.errors import StoreError, UsageError

FORMATS = ("text", "json")
DB_HELP = "SQLAlchemy URL or SQLite path (default: WIRESCOPE_DB or sqlite:///wirescope.db)."
FORMAT_HELP = "text (tables) or json (for scripts)."


class Table(_RichTable):
    """A rich table whose cells are plain text (brackets in evidence are not markup)."""

    def add_row(self, *cells, **kwargs) -> None:  # type: ignore[override]
        super().add_row(*(Text(c) if isinstance(c, str) else c for c in cells), **kwargs)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UsageError("E209", value=fmt, options=", ".join(FORMATS))


@contextmanager
def _open(db: Optional[str], write: bool = False) -> Iterator:
    from wirescope.flow import open_kb
    from wirescope.store.kb import normalise_url

    url = normalise_url(settings_from(db=db).db_url)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        path = Path(url[len("sqlite:///"):])
        if not path.exists():
            raise StoreError("E401", url=url, reason="no such database file (build one with `wirescope ingest`)")
    kb = open_kb(url)
    try:
        if write:
            with kb.engine.begin() as conn:
                yield conn
        else:
            with kb.engine.connect() as conn:
                yield conn
    finally:
        kb.close()


def _out() -> Console:
    console = Console(highlight=False, soft_wrap=False)
    if not console.is_terminal:  # piped: wide enough for the tables to stay readable
        console = Console(highlight=False, soft_wrap=False, width=int(os.environ.get("COLUMNS") or 160))
    return console


def _json(value) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str) + "\n")


def _json_lines(rows) -> None:
    for row in rows:
        _json(row)


def _short(text: str | None, width: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _who(st: dict) -> str:
    """The original speaker as the text gives it. Only words no statement carries are the report's
    own; words the text attributes to someone it names but the analysis did not identify show
    those words ("a UN report"), or the cue, never "the report"."""
    sp = st.get("speaker")
    if st.get("attribution") == "narrator":
        return f"(the report itself: {st.get('outlet') or '?'})"
    if not sp:
        words = st.get("speaker_text")
        if words:
            return f"“{words}” [not identified]"
        return "an unidentified speaker" + (f" ({st['cue']})" if st.get("cue") else "")
    label = sp["name"] + (" [anonymous]" if sp.get("anonymous") else "")
    for ref in st.get("relayed_by") or []:
        label += f", as told by {ref.get('name') or '?'}"
    return label


def _speaker(st: dict) -> str:
    via = st.get("via")
    return _who(st) + (f" via {via['name']}" if via else "")


def _source(st: dict) -> str:
    parts = [st.get("outlet") or "?", (st.get("published") or "")[:10]]
    text = ", ".join(p for p in parts if p)
    if st.get("duplicate_of"):
        text += " (syndicated copy)"
    return text


def _analyst(by: Optional[str]) -> str:
    return by or settings_from().analyst or os.environ.get("USER") or "analyst"


# ---- rendering --------------------------------------------------------------------------------
def render_relation(row: dict, out: Console) -> None:
    """One relation: its figures and reasons, then every statement for and against it side by side
    by date (who said it, through whom, where), then the attribution chains behind the count of
    independent sources."""
    arrow = "<->" if row["symmetric"] else "->"
    out.print(f"{row['subject']['name']} {arrow} {row['type']} {arrow} {row['object']['name']}   "
              f"confidence {row['confidence']:.2f}", markup=False, style="bold")
    out.print("  " + "; ".join(row["reasons"]), markup=False)
    seen = [row["first_seen"], row["last_seen"]]
    against = row.get("independent_sources_against")
    out.print(f"  seen {seen[0] or '?'} .. {seen[1] or '?'}; reported {(row['first_published'] or '?')[:10]} .. "
              f"{(row['last_published'] or '?')[:10]}; {row['independent_sources']} independent source(s) for"
              + (f", {against} against" if against is not None else "")
              + f"; {row['named_speakers']} named and {row['anonymous_speakers']} anonymous speaker(s), "
              f"{row['documents']} document(s)", markup=False)
    table = Table(show_header=True, header_style="bold", pad_edge=False, expand=False)
    for col in ("date", "", "who said it", "through", "where", "evidence"):
        table.add_column(col, overflow="fold")
    for st in _dated(row):
        stance = st["stance"] + (f" ({st['modality']})" if st.get("modality") not in (None, "asserted") else "")
        direction = ""
        if row["symmetric"] and st.get("subject_id") != row["subject"]["id"]:
            direction = " (reversed)"
        where = _source(st) + (f": {_short(st['title'], 50)}" if st.get("title") else f" ({st['doc_id']})")
        for c in st.get("copies") or []:
            where += f"; syndicated copy: {', '.join(x for x in (c.get('outlet'), (c.get('published') or '')[:10]) if x)}"
        via = st.get("via")
        table.add_row(st.get("date") or "undated", stance, _who(st) + (f" ({st['cue']})" if st.get("cue") else ""),
                      f"via {via['name']}" if via else "", where, _short(st["evidence"]["text"], 90) + direction)
    out.print(table)
    for title, chains in (("for", row.get("sources")), ("against", row.get("against_sources"))):
        if not chains:
            continue
        counted = sum(1 for c in chains if c["independent"])
        out.print(f"  independent sources {title} ({counted}):", markup=False)
        for c in chains:
            mark = "counted" if c["independent"] else "not counted, shares a speaker or an outlet"
            extra = f"; {len(c['copies'])} syndicated copy/copies" if c.get("copies") else ""
            out.print(f"    - {mark}: {c.get('chain') or c['key']} [{c['statements']} statement(s){extra}]",
                      markup=False)


def _dated(row: dict) -> list[dict]:
    """The row's statements by date; built from support/against when the row has no dated list."""
    if row.get("statements"):
        return row["statements"]
    items = [dict(st, stance="for") for st in row["support"]] + [dict(st, stance="against") for st in row["against"]]
    for st in items:
        st.setdefault("date", (st.get("published") or "")[:10] or None)
    return sorted(items, key=lambda st: (st["date"] or "9999", st["doc_id"], st["evidence"]["start"]))


def _statement_table(title: str, items: list[dict]) -> Table:
    table = Table(title=title, title_justify="left", show_header=True, header_style="bold")
    for col in ("speaker", "cue", "content", "polarity", "source"):
        table.add_column(col, overflow="fold")
    for st in items:
        table.add_row(_speaker(st), st.get("cue") or "", _short(st.get("content"), 100), st.get("polarity") or "",
                      _source(st))
    return table


def render_profile(p: dict, out: Console) -> None:
    e = p["entity"]
    flags = " [anonymous]" if e["anonymous"] else ""
    out.print(f"{e['name']} ({e['type']}{', ' + e['subtype'] if e.get('subtype') else ''}){flags}  {e['id']}",
              markup=False, style="bold")
    totals = p.get("totals") or {}
    out.print(f"{p['mentions']} mention(s) in {totals.get('documents', len(p['documents']))} document(s)"
              + (f"; merged from {', '.join(e['merged'])}" if e.get("merged") else ""), markup=False)
    cut = [f"{len(p[k])} of {totals[k]} {k.replace('_', ' ')}" for k in ("names", "relations", "statements_by",
                                                                       "statements_about")
           if isinstance(totals.get(k), int) and totals[k] > len(p[k])]
    if cut:
        out.print(f"showing {'; '.join(cut)}", markup=False)
    names = Table(title="Names and aliases", title_justify="left", header_style="bold")
    for col in ("name", "how", "first source"):
        names.add_column(col, overflow="fold")
    for n in p["names"]:
        src = ", ".join(x for x in (n.get("outlet"), (n.get("published") or "")[:10], _short(n.get("title"), 60)) if x)
        names.add_row(n["name"], n.get("how") or "", src or (n.get("doc_id") or ""))
    out.print(names)
    if p["relations"]:
        rel = Table(title="Relations", title_justify="left", header_style="bold")
        for col in ("subject", "relation", "object", "for", "against", "sources", "confidence", "reasons"):
            rel.add_column(col, overflow="fold")
        for r in p["relations"]:
            rel.add_row(r["subject"]["name"], r["type"], r["object"]["name"], str(len(r["support"])),
                        str(len(r["against"])), str(r["independent_sources"]), f"{r['confidence']:.2f}",
                        _short("; ".join(r["reasons"]), 110))
        out.print(rel)
    if p["statements_by"]:
        out.print(_statement_table("Statements by it", p["statements_by"]))
    if p["statements_about"]:
        out.print(_statement_table("Statements about it", p["statements_about"]))
    if p.get("judgements"):
        j = Table(title="Analyst judgements", title_justify="left", header_style="bold")
        for col in ("decision", "left", "right", "author"):
            j.add_column(col)
        for r in p["judgements"]:
            j.add_row(r["decision"], r["left"], r["right"], r["author"])
        out.print(j)


# ---- commands ---------------------------------------------------------------------------------
def register(app: typer.Typer) -> None:
    @app.command()
    def show(
        entity: str = typer.Argument(..., help="An actor's name, alias or id."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        fmt: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
    ) -> None:
        """Everything on one actor: names and aliases (with the document each came from), mentions,
        relations for and against, statements by and about it.

        Example: wirescope show Taliban --db kb.db
        """
        from wirescope.query.entities import entity_profile, resolve_entity

        _check_format(fmt)
        with _open(db) as conn:
            # the whole profile (every relation; the newest documents and statements up to
            # MAX_PROFILE_DOCS): an analyst's reading, not a page to keep quick
            profile = entity_profile(conn, resolve_entity(conn, entity)["id"], limit=None)
        if fmt == "json":
            _json(profile)
        else:
            render_profile(profile, _out())

    @app.command()
    def relations(
        entity: str = typer.Argument(..., help="An actor."),
        other: Optional[str] = typer.Argument(None, help="A second actor: only relations between the two."),
        type_: Optional[str] = typer.Option(None, "--type", "-t", help="Only this relation type (e.g. harbors)."),
        min_sources: int = typer.Option(0, "--min-sources", help="Only relations with at least this many independent sources."),
        since: Optional[str] = typer.Option(None, "--since", metavar="YYYY[-MM[-DD]]", help="Seen on or after."),
        until: Optional[str] = typer.Option(None, "--until", metavar="YYYY[-MM[-DD]]", help="Seen on or before."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        fmt: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
    ) -> None:
        """Relations of an actor across articles: every statement for and against, with speakers and outlets.

        Example: wirescope relations Taliban al-Qaeda --db kb.db
        """
        from wirescope.query.relations import aggregate_relations

        _check_format(fmt)
        with _open(db) as conn:
            rows = aggregate_relations(conn, entity=entity, other=other, type=type_, min_sources=min_sources,
                                       since=since, until=until)
        if fmt == "json":
            _json_lines(rows)
            return
        out = _out()
        if not rows:
            out.print("no relation found", markup=False)
        for i, row in enumerate(rows):
            if i:
                out.print()
            render_relation(row, out)

    @app.command()
    def timeline(
        entity: Optional[str] = typer.Argument(None, help="An actor (all events when omitted)."),
        since: Optional[str] = typer.Option(None, "--since", metavar="YYYY[-MM[-DD]]"),
        until: Optional[str] = typer.Option(None, "--until", metavar="YYYY[-MM[-DD]]"),
        limit: int = typer.Option(500, "--limit", "-n"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        fmt: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
    ) -> None:
        """Events involving an actor, ordered by normalised event time.

        Example: wirescope timeline Taliban --since 2021 --db kb.db
        """
        from wirescope.query.timeline import timeline as run

        _check_format(fmt)
        with _open(db) as conn:
            rows = run(conn, entity=entity, since=since, until=until, limit=limit)
        if fmt == "json":
            _json_lines(rows)
            return
        table = Table(header_style="bold")
        for col in ("time", "event", "source", "target", "location", "evidence", "reported"):
            table.add_column(col, overflow="fold")
        for r in rows:
            when = (r["time"] or "?") + ("" if r["time_from"] == "event" else " (published)")
            table.add_row(when, r["type"] + (f"/{r['mode']}" if r.get("mode") else "")
                          + (" (negated)" if r.get("polarity") == "negative" else ""),
                          (r["source"] or {}).get("name", ""), (r["target"] or {}).get("name", ""),
                          (r["location"] or {}).get("name", ""), _short(r["evidence"]["text"], 80), _source(r))
        _out().print(table if rows else "no event found")

    @app.command()
    def search(
        text: str = typer.Argument(..., help="Words to look for (names are also matched in their other spellings)."),
        limit: int = typer.Option(20, "--limit", "-n"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        fmt: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
    ) -> None:
        """Full-text search over documents and statements, and the actors whose names match.

        Example: wirescope search "al-Qaida" --db kb.db
        """
        from wirescope.query.search import search as run

        _check_format(fmt)
        with _open(db) as conn:
            result = run(conn, text, limit=limit)
        if fmt == "json":
            _json(result)
            return
        out = _out()
        if result["actors"]:
            t = Table(title="Actors", title_justify="left", header_style="bold")
            for col in ("id", "name", "type", "documents"):
                t.add_column(col)
            for a in result["actors"]:
                t.add_row(a["id"], a["name"] + (" [anonymous]" if a["anonymous"] else ""), a["type"], str(a["documents"]))
            out.print(t)
        if result["documents"]:
            t = Table(title="Documents", title_justify="left", header_style="bold")
            for col in ("id", "title", "source", "snippet"):
                t.add_column(col, overflow="fold")
            for d in result["documents"]:
                t.add_row(d["id"], _short(d["title"], 60), _source(d), _marked(d))
            out.print(t)
        if result["statements"]:
            t = Table(title="Statements", title_justify="left", header_style="bold")
            for col in ("speaker", "snippet", "source"):
                t.add_column(col, overflow="fold")
            for s in result["statements"]:
                t.add_row(_speaker(s), _marked(s), _source(s))
            out.print(t)
        if not (result["actors"] or result["documents"] or result["statements"]):
            out.print("nothing found", markup=False)

    @app.command()
    def merge(
        keep: str = typer.Argument(..., help="The actor that stays (name or id)."),
        drop: str = typer.Argument(..., help="The actor merged into it (name or id)."),
        by: Optional[str] = typer.Option(None, "--by", help="The analyst's name (default: WIRESCOPE_ANALYST or USER)."),
        reason: Optional[str] = typer.Option(None, "--reason", help="Why, kept with the judgement."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        fmt: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
    ) -> None:
        """Merge two actors (recorded as an analyst's "same" judgement; later ingests follow it).

        Example: wirescope merge "Abu Hafs al-Logari" "Gul Rahman Safi" --by lena --db kb.db
        """
        from wirescope.query.entities import resolve_entity
        from wirescope.resolve.judgements import merge as do_merge

        _check_format(fmt)
        with _open(db, write=True) as conn:
            a, b = resolve_entity(conn, keep), resolve_entity(conn, drop)
            if a["id"] == b["id"]:
                result = {"entity": a["id"], "merged": None, "note": "already the same actor"}
            else:
                survivor = do_merge(conn, a["id"], b["id"], _analyst(by),
                                    explanation={"action": "merge", "reason": reason} if reason else {"action": "merge"})
                result = {"entity": survivor, "merged": b["id"], "names": [a["name"], b["name"]], "by": _analyst(by)}
        if fmt == "json":
            _json(result)
        elif result["merged"]:
            _out().print(f"merged {b['name']} ({b['id']}) into {a['name']} ({a['id']}), judged by {_analyst(by)}",
                         markup=False)
        else:
            _out().print(f"{a['name']} and {b['name']} are already the same actor ({a['id']})", markup=False)

    @app.command()
    def split(
        entity: str = typer.Argument(..., help="The actor to split (name or id)."),
        names: Optional[List[str]] = typer.Option(None, "--names", help="Move the mentions that go by these names to a new actor (repeat the option)."),
        docs: Optional[List[str]] = typer.Option(None, "--doc", help="Only in these documents (repeatable)."),
        by: Optional[str] = typer.Option(None, "--by", help="The analyst's name."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        fmt: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
    ) -> None:
        """Split an actor: without --names/--doc, undo the merges into it; with them, move those mentions
        to a new actor. Recorded as judgements ("split", "different"), so later ingests keep them apart.

        Example: wirescope split "Ashraf Ghani" --names Ghani --by lena --db kb.db
        """
        from wirescope.query.entities import resolve_entity
        from wirescope.resolve.judgements import split as do_split, unmerge

        _check_format(fmt)
        with _open(db, write=True) as conn:
            target = resolve_entity(conn, entity)
            if names or docs:
                result = do_split(conn, target["id"], list(names or []), _analyst(by), docs=list(docs or []) or None)
            else:
                result = {"entity": target["id"], "unmerged": unmerge(conn, target["id"], _analyst(by))}
        if fmt == "json":
            _json(result)
            return
        out = _out()
        if "unmerged" in result:
            out.print(f"undid {len(result['unmerged'])} merge(s) into {target['name']} ({target['id']})"
                      if result["unmerged"] else f"nothing was merged into {target['name']}", markup=False)
        elif result["new"]:
            out.print(f"moved {len(result['moved'])} mention group(s) of {target['name']} to new actor {result['new']}",
                      markup=False)
        else:
            out.print(f"no mention of {target['name']} goes by {', '.join(names or [])}", markup=False)


def _marked(row: dict, width: int = 100):
    """The row's snippet cut to width, its hits in bold (offsets from `highlights`)."""
    from rich.text import Text

    snippet = row.get("snippet") or ""
    text = Text(snippet[:width] + ("…" if len(snippet) > width else ""))
    for start, end in row.get("highlights") or ():
        if start < width:
            text.stylize("bold", start, min(end, width))
    return text
