"""Full-text search as a results page shows it: paged in the database, syndicated copies folded under
their original, facets with totals, and hits marked with private-use characters a page turns into
<mark> after escaping.

`search_page(conn, text, ...)` answers {"query", "actors", "documents", "statements", "totals",
"facets", "limit", "offset"}:
- actors: those whose name, alias or acronym matches (wirescope.query.common.find_entities, at most
  MAX_ACTORS, `actors_capped` says when there may be more), narrowed by `actor_type`;
- documents: originals ranked by their best matching member (a syndicated copy that matches stands
  for its original and is listed under it in `copies`), narrowed by `outlet` and `published`
  (a year "2021" or a month "2021-03"), `limit` from `offset`;
- statements: one per (original report, content): the same statement in a copy is folded into it;
- facets: {"actor_type": {type: actors}, "outlet": {outlet: originals}, "published": {year or month:
  originals}}, each over the whole result, not one page.

Snippets carry MARK_OPEN / MARK_CLOSE around the hits (the stored text never goes through HTML here).
The full-text structures are those of wirescope.query.search (FTS5 on SQLite, tsvector on PostgreSQL;
a LIKE scan elsewhere).
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy import text as sql
from sqlalchemy.engine import Connection

from wirescope.query.common import document_meta, find_entities, statement_dicts
from wirescope.query.search import _PG_DOC, _PG_STMT, _fts5, _fts5_expr, _phrases
from wirescope.store import schema as S

from wirescope.query.search import MARK_CLOSE, MARK_OPEN  # noqa: E402  (one pair of hit delimiters)
MAX_ACTORS = 100
MAX_COPIES = 20  # copies listed under one original
_MONTH = re.compile(r"^\d{4}(-\d{2})?$")
_WORD = re.compile(r"\w+", re.UNICODE)


def _matches(conn: Connection, phrases: list[list[str]], kind: str) -> tuple[str, dict[str, Any]]:
    """SQL of the rows matching the query (doc_id[, local_id], rank: lower is better) and its parameters."""
    if conn.dialect.name == "postgresql":
        params = {f"p{i}": " ".join(p) for i, p in enumerate(phrases)}
        tsq = " || ".join(f"phraseto_tsquery('english', :p{i})" for i in range(len(phrases)))
        if kind == "documents":
            return (f"SELECT id AS doc_id, -ts_rank({_PG_DOC}, q) AS rank FROM documents, (SELECT {tsq} AS q) AS query "
                    f"WHERE {_PG_DOC} @@ q"), params
        return (f"SELECT doc_id, local_id, -ts_rank({_PG_STMT}, q) AS rank FROM statements, (SELECT {tsq} AS q) "
                f"AS query WHERE {_PG_STMT} @@ q"), params
    if _fts5(conn):
        params = {"q": _fts5_expr(phrases)}
        if kind == "documents":
            return "SELECT doc_id, rank FROM fts_documents WHERE fts_documents MATCH :q", params
        return "SELECT doc_id, local_id, rank FROM fts_statements WHERE fts_statements MATCH :q", params
    params = {"needle": "%" + " ".join(phrases[0]).casefold() + "%"}
    if kind == "documents":
        return "SELECT id AS doc_id, 0 AS rank FROM documents WHERE lower(text) LIKE :needle", params
    return "SELECT doc_id, local_id, 0 AS rank FROM statements WHERE lower(content) LIKE :needle", params


def _where(outlet: str | None, published: str | None, params: dict[str, Any], alias: str = "d") -> str:
    """Conditions on the reporting document (outlet, a year or month of publication)."""
    out = []
    if outlet:
        out.append(f"{alias}.outlet = :outlet")
        params["outlet"] = outlet
    if published and _MONTH.match(published):
        out.append(f"{alias}.published LIKE :published")
        params["published"] = published + "%"
    return (" AND " + " AND ".join(out)) if out else ""


def _documents(conn, phrases, outlet, published, limit, offset) -> tuple[list[dict], int, dict]:
    matched, params = _matches(conn, phrases, "documents")
    base = (f"SELECT coalesce(d.duplicate_of, d.id) AS origin, m.doc_id AS doc_id, m.rank AS rank, d.outlet AS outlet, "
            f"d.published AS published FROM ({matched}) AS m JOIN documents d ON d.id = m.doc_id")
    filtered = dict(params)
    cond = _where(outlet, published, filtered, "h")
    folded = f"SELECT origin, min(rank) AS best FROM ({base}) AS h WHERE 1 = 1{cond} GROUP BY origin"
    # the page and the size of the whole list in one pass (a window count, taken before LIMIT)
    page = conn.execute(sql(f"SELECT origin, best, count(*) OVER () AS total FROM ({folded}) AS f "
                            f"ORDER BY best, origin LIMIT :n OFFSET :o"), dict(filtered, n=limit, o=offset)).all()
    if page:
        total = page[0].total
    else:  # past the end (or nothing): count alone
        total = conn.execute(sql(f"SELECT count(*) FROM ({folded}) AS f"), filtered).scalar() or 0
    # facets over the whole result (each narrowed by the other facet, as facets usually are)
    by_outlet, by_date = Counter(), Counter()
    month = bool(published and len(published) >= 4)
    p_out = dict(params)
    c_out = _where(None, published, p_out, "h")
    for name, n in conn.execute(sql(f"SELECT h.outlet, count(DISTINCT h.origin) FROM ({base}) AS h "
                                    f"WHERE 1 = 1{c_out} GROUP BY h.outlet"), p_out):
        by_outlet[name or "(no outlet)"] = n
    p_date = dict(params)
    c_date = _where(outlet, published[:4] if month and published else None, p_date, "h")
    width = 7 if month else 4
    for key, n in conn.execute(sql(f"SELECT substr(h.published, 1, {width}) AS k, count(DISTINCT h.origin) "
                                   f"FROM ({base}) AS h WHERE 1 = 1{c_date} GROUP BY k"), p_date):
        by_date[key or "undated"] = n
    origins = [r.origin for r in page]
    copies = _copies(conn, origins)
    snippets = _doc_snippets(conn, phrases, origins + [c["id"] for cs in copies.values() for c in cs])
    meta = document_meta(conn, origins)
    rows = []
    for origin in origins:
        m = meta.get(origin, {"id": origin})
        mine = copies.get(origin, [])
        snippet = snippets.get(origin) or next((snippets[c["id"]] for c in mine if c["id"] in snippets), "")
        rows.append(dict(m, snippet=snippet, copies=mine))
    facets = {"outlet": dict(by_outlet.most_common()), "published": dict(sorted(by_date.items(), reverse=True))}
    return rows, total, facets


def _copies(conn: Connection, origins: list[str]) -> dict[str, list[dict]]:
    if not origins:
        return {}
    d = S.documents
    out: dict[str, list[dict]] = {}
    for r in conn.execute(select(d.c.id, d.c.duplicate_of, d.c.outlet, d.c.title, d.c.published)
                          .where(d.c.duplicate_of.in_(origins)).order_by(d.c.published, d.c.id)):
        mine = out.setdefault(r.duplicate_of, [])
        if len(mine) < MAX_COPIES:
            mine.append({"id": r.id, "outlet": r.outlet, "title": r.title, "published": r.published})
    return out


def _doc_snippets(conn: Connection, phrases, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    if conn.dialect.name == "postgresql":
        params = {f"p{i}": " ".join(p) for i, p in enumerate(phrases)}
        tsq = " || ".join(f"phraseto_tsquery('english', :p{i})" for i in range(len(phrases)))
        opts = f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=30, MinWords=12, MaxFragments=1"
        names = {f"i{n}": i for n, i in enumerate(ids)}
        rows = conn.execute(sql(f"SELECT id, ts_headline('english', text, q, '{opts}') FROM documents, "
                                f"(SELECT {tsq} AS q) AS query WHERE id IN ({', '.join(':' + k for k in names)})"),
                            {**params, **names})
        return {r[0]: r[1] for r in rows}
    if _fts5(conn):
        names = {f"i{n}": i for n, i in enumerate(ids)}
        rows = conn.execute(sql(f"SELECT doc_id, snippet(fts_documents, 2, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 20) "
                                f"FROM fts_documents WHERE fts_documents MATCH :q AND doc_id IN "
                                f"({', '.join(':' + k for k in names)})"), {"q": _fts5_expr(phrases), **names})
        return {r[0]: r[1] for r in rows}
    d = S.documents
    return {r.id: mark_words(_around(r.text, phrases[0]), phrases) for r in
            conn.execute(select(d.c.id, d.c.text).where(d.c.id.in_(ids)))}


def _around(body: str, words: list[str], width: int = 200) -> str:
    low = body.casefold()
    pos = min((i for i in (low.find(w.casefold()) for w in words) if i >= 0), default=0)
    start = max(0, pos - width // 3)
    return ("…" if start else "") + body[start:start + width] + ("…" if start + width < len(body) else "")


def mark_words(body: str, phrases: list[list[str]]) -> str:
    """The text with every word of the query marked (for texts no full-text function marked)."""
    wanted = {w.casefold() for p in phrases for w in p}
    return _WORD.sub(lambda m: MARK_OPEN + m.group(0) + MARK_CLOSE if m.group(0).casefold() in wanted else m.group(0),
                     body)


def _statements(conn, phrases, outlet, published, limit, offset) -> tuple[list[dict], int]:
    matched, params = _matches(conn, phrases, "statements")
    base = (f"SELECT coalesce(d.duplicate_of, d.id) AS origin, m.doc_id AS doc_id, m.local_id AS local_id, "
            f"m.rank AS rank, s.content AS content FROM ({matched}) AS m "
            f"JOIN statements s ON s.doc_id = m.doc_id AND s.local_id = m.local_id "
            f"JOIN documents d ON d.id = m.doc_id WHERE 1 = 1{_where(outlet, published, params)}")
    # one row per (original report, content): copies fold into the original's statement
    folded = (f"SELECT h.origin AS origin, h.content AS content, min(h.rank) AS best, count(*) AS n, "
              f"min(CASE WHEN h.doc_id = h.origin THEN h.doc_id END) AS own_doc, min(h.doc_id) AS any_doc "
              f"FROM ({base}) AS h GROUP BY h.origin, h.content")
    page = conn.execute(sql(f"SELECT f.*, count(*) OVER () AS total FROM ({folded}) AS f "
                            f"ORDER BY best, origin, content LIMIT :n OFFSET :o"), dict(params, n=limit, o=offset)).all()
    if not page:  # past the end (or nothing): count alone
        return [], conn.execute(sql(f"SELECT count(*) FROM ({folded}) AS f"), params).scalar() or 0
    total = page[0].total
    st = S.statements
    wanted = [(r.own_doc or r.any_doc, r.content, r.n) for r in page]
    found = conn.execute(select(st).where(or_(*(and_(st.c.doc_id == doc, st.c.content == content)
                                                for doc, content, _ in wanted)))).all()
    first: dict[tuple[str, str], Any] = {}
    for row in sorted(found, key=lambda x: (x.doc_id, x.start)):
        first.setdefault((row.doc_id, row.content), row)
    ordered = [first[(doc, content)] for doc, content, _ in wanted if (doc, content) in first]
    dicts = statement_dicts(conn, ordered)
    copies = {(doc, content): n - 1 for doc, content, n in wanted}
    out = []
    for row, d in zip(ordered, dicts):
        out.append(dict(d, snippet=mark_words(row.content, phrases), copies=copies.get((row.doc_id, row.content), 0)))
    return out, total


def _origins_sql(conn: Connection, phrases, outlet: str | None, published: str | None) -> tuple[str, dict[str, Any]]:
    """SQL of the originals the documents section lists (column `origin`), every page of them."""
    matched, params = _matches(conn, phrases, "documents")
    base = (f"SELECT coalesce(d.duplicate_of, d.id) AS origin, d.outlet AS outlet, d.published AS published "
            f"FROM ({matched}) AS m JOIN documents d ON d.id = m.doc_id")
    cond = _where(outlet, published, params, "h")
    return f"SELECT DISTINCT h.origin AS origin FROM ({base}) AS h WHERE 1 = 1{cond}", params


def selection(conn: Connection, text: str, outlet: str | None = None, published: str | None = None):
    """The documents a search page lists, as a one-column (`doc_id`) SQL selectable to use in
    `column.in_(...)`: the originals of every page of the documents section (narrowed by `outlet` and
    `published` as the page narrows them) and the syndicated copies folded under them. The selection
    stays in the database (exports stream through it); None when the text has no words."""
    from sqlalchemy import String, column

    phrases = _phrases((text or "").strip())
    if not phrases:
        return None
    origins, params = _origins_sql(conn, phrases, outlet, published)
    query = (f"SELECT o.origin AS doc_id FROM ({origins}) AS o UNION "
             f"SELECT c.id AS doc_id FROM documents c WHERE c.duplicate_of IN (SELECT origin FROM ({origins}) AS o2)")
    return sql(query).bindparams(**params).columns(column("doc_id", String))


def selected_actors(conn: Connection, text: str, actor_type: str | None = None) -> list[dict]:
    """The actors a search page lists (name, alias or acronym matches, narrowed by `actor_type`)."""
    query = (text or "").strip()
    if not _phrases(query):
        return []
    found = find_entities(conn, query, MAX_ACTORS)
    return [a for a in found if not actor_type or a["type"] == actor_type]


def search_page(conn: Connection, text: str, limit: int = 20, offset: int = 0, actor_type: str | None = None,
                outlet: str | None = None, published: str | None = None, sections=("actors", "documents", "statements")
                ) -> dict[str, Any]:
    query = (text or "").strip()
    result: dict[str, Any] = {"query": query, "actors": [], "documents": [], "statements": [], "limit": limit,
                              "offset": offset, "totals": {"actors": 0, "documents": 0, "statements": 0},
                              "facets": {"actor_type": {}, "outlet": {}, "published": {}}, "actors_capped": False}
    phrases = _phrases(query)
    if not phrases:
        return result
    actors = find_entities(conn, query, MAX_ACTORS)  # the same list as selected_actors
    result["actors_capped"] = len(actors) >= MAX_ACTORS
    result["facets"]["actor_type"] = dict(Counter(a["type"] for a in actors).most_common())
    if actor_type:
        actors = [a for a in actors if a["type"] == actor_type]
    result["totals"]["actors"] = len(actors)
    if "actors" in sections:
        result["actors"] = actors[offset:offset + limit] if sections == ("actors",) else actors[:limit]
    docs, total, facets = _documents(conn, phrases, outlet, published, limit if "documents" in sections else 1,
                                     offset if "documents" in sections else 0)
    result["totals"]["documents"] = total
    result["facets"].update(facets)
    if "documents" in sections:
        result["documents"] = docs
    stmts, stotal = _statements(conn, phrases, outlet, published, limit if "statements" in sections else 1,
                                offset if "statements" in sections else 0)
    result["totals"]["statements"] = stotal
    if "statements" in sections:
        result["statements"] = stmts
    return result
