"""Full-text search over documents and statements, and the actors whose names match.

SQLite: two FTS5 tables (`fts_documents`, `fts_statements`), filled as each document is stored
(`index_document`, called by the store inside the document's transaction). PostgreSQL: GIN
indexes on `to_tsvector('english', ...)` expressions of the stored columns, nothing to fill.
A query also looks for the spelling variants of a name ("al-Qaida" finds "al-Qaeda").
`index_document` also stores the document's syndication LSH bands (resolve.syndication).
"""
from __future__ import annotations

import re

from sqlalchemy import bindparam, select
from sqlalchemy import text as sql
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from wirescope.query.common import document_meta, find_entities, statement_dicts
from wirescope.store import schema as S

# hits in a snippet are delimited by these private-use characters while the database builds it, then
# taken out: a result carries the plain snippet and the hits' [start, end) offsets in it ("highlights"),
# so that no caller has to undo a markup (the web page turns them into <mark>, the CLI into bold)
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"


def split_marks(snippet: str | None) -> tuple[str, list[list[int]]]:
    """(the snippet without the hit delimiters, the hits' [start, end) offsets in it)."""
    if not snippet:
        return snippet or "", []
    plain: list[str] = []
    spans: list[list[int]] = []
    n = 0
    start = None
    for ch in snippet:
        if ch == MARK_OPEN:
            start = n
        elif ch == MARK_CLOSE:
            if start is not None and n > start:
                spans.append([start, n])
            start = None
        else:
            plain.append(ch)
            n += 1
    return "".join(plain), spans

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_VARIANTS = 8
FTS_KEY = "wirescope.search.fts5"

_SQLITE_SETUP = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS fts_documents USING fts5("
    "doc_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS fts_statements USING fts5("
    "doc_id UNINDEXED, local_id UNINDEXED, content, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS fts_forget_document AFTER DELETE ON documents BEGIN "
    "DELETE FROM fts_documents WHERE doc_id = old.id; DELETE FROM fts_statements WHERE doc_id = old.id; END",
)
_PG_DOC = "to_tsvector('english', coalesce(title, '') || ' ' || text)"
_PG_STMT = "to_tsvector('english', content)"
_PG_SETUP = (
    f"CREATE INDEX IF NOT EXISTS ix_documents_fulltext ON documents USING gin ({_PG_DOC})",
    f"CREATE INDEX IF NOT EXISTS ix_statements_fulltext ON statements USING gin ({_PG_STMT})",
)


def _ensure_indexes(conn: Connection) -> None:
    """Indexes added to existing tables after a knowledge base was created (create_all only makes
    the indexes of tables it creates)."""
    for table in (S.kb_entities, S.relations, S.events, S.judgements, S.documents, S.doc_entities, S.mentions,
                  S.statements):
        for index in table.indexes:
            index.create(conn, checkfirst=True)


def setup(conn: Connection) -> None:
    """Create the full-text structures (idempotent); index documents stored before they existed."""
    if conn.dialect.name == "postgresql":
        conn.execute(sql("SELECT pg_advisory_xact_lock(7262000)"))
        _ensure_indexes(conn)
        for ddl in _PG_SETUP:
            conn.execute(sql(ddl))
        return
    if conn.dialect.name != "sqlite":
        return
    _ensure_indexes(conn)
    from wirescope.query.ranking import setup_rank

    setup_rank(conn)  # the relations' ranking bounds, kept up to date by triggers
    try:
        for ddl in _SQLITE_SETUP:
            conn.exec_driver_sql(ddl)
    except DBAPIError:  # SQLite built without FTS5: search falls back to LIKE
        return
    has_docs = conn.exec_driver_sql("SELECT 1 FROM documents LIMIT 1").first()
    indexed = conn.exec_driver_sql("SELECT 1 FROM fts_documents LIMIT 1").first()
    if has_docs and not indexed:
        conn.exec_driver_sql("INSERT INTO fts_documents (doc_id, title, text) SELECT id, title, text FROM documents")
        conn.exec_driver_sql("INSERT INTO fts_statements (doc_id, local_id, content) "
                             "SELECT doc_id, local_id, content FROM statements")


def _fts5(conn: Connection) -> bool:
    if conn.dialect.name != "sqlite":
        return False
    found = conn.info.get(FTS_KEY)
    if not found:  # only a positive answer is cached: the tables may be created later
        found = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'fts_documents'").first() is not None
        if found:
            conn.info[FTS_KEY] = True
    return found


def index_document(conn: Connection, doc_id: str) -> None:
    """Index one stored document (inside its write transaction)."""
    from wirescope.resolve import syndication

    syndication.index_document(conn, doc_id)
    if _fts5(conn):
        conn.execute(_INDEX_DOCUMENT, {"d": doc_id})
        conn.execute(_INDEX_STATEMENTS, {"d": doc_id})


# built once: index_document runs for every stored document
_INDEX_DOCUMENT = sql("INSERT INTO fts_documents (doc_id, title, text) "
                      "SELECT id, title, text FROM documents WHERE id = :d")
_INDEX_STATEMENTS = sql("INSERT INTO fts_statements (doc_id, local_id, content) "
                        "SELECT doc_id, local_id, content FROM statements WHERE doc_id = :d")


# ---- querying ---------------------------------------------------------------------------------
def _phrases(query: str) -> list[list[str]]:
    """The query's words, and those of its name variants, as word lists (no duplicates)."""
    words = _WORD.findall(query)
    out = [words] if words else []
    if words and len(words) <= 6:
        try:
            from wirescope.vocab import variants

            for v in sorted(variants(query))[:MAX_VARIANTS * 2]:
                w = _WORD.findall(v)
                if w and [x.casefold() for x in w] not in [[y.casefold() for y in o] for o in out]:
                    out.append(w)
                if len(out) > MAX_VARIANTS:
                    break
        except Exception:  # variants are a nicety, never a reason to fail a search
            pass
    return out


def _fts5_expr(phrases: list[list[str]]) -> str:
    return " OR ".join("(" + " ".join('"' + w.replace('"', '""') + '"' for w in p) + ")" for p in phrases)


def _snippet(body: str, words: list[str], width: int = 160) -> str:
    low = body.casefold()
    pos = min((i for i in (low.find(w.casefold()) for w in words) if i >= 0), default=0)
    start = max(0, pos - width // 3)
    text = body[start:start + width].replace("\n", " ")
    wanted = {w.casefold() for w in words}
    text = re.sub(r"\w[\w'’-]*", lambda m: MARK_OPEN + m.group(0) + MARK_CLOSE if m.group(0).casefold() in wanted
                  else m.group(0), text)
    return ("…" if start else "") + text + ("…" if start + width < len(body) else "")


def search(conn: Connection, text: str, limit: int = 20) -> dict:
    """{"actors": find_entities rows, "documents": [{"id", "title", "snippet", "outlet", "published",
    "url", "duplicate_of", "score"}], "statements": [statement dicts + "snippet"]}."""
    query = (text or "").strip()
    result = {"query": query, "actors": [], "documents": [], "statements": []}
    phrases = _phrases(query)
    if not phrases:
        return result
    result["actors"] = find_entities(conn, query, limit)
    if conn.dialect.name == "postgresql":
        docs, stmts = _search_pg(conn, phrases, limit)
    elif _fts5(conn):
        docs, stmts = _search_fts5(conn, phrases, limit)
    else:
        docs, stmts = _search_like(conn, phrases, limit)
    meta = document_meta(conn, [d for d, _, _ in docs])
    for doc_id, snippet, score in docs:
        m = meta.get(doc_id, {})
        snippet, marks = split_marks(snippet)
        result["documents"].append({"id": doc_id, "title": m.get("title"), "snippet": snippet, "highlights": marks,
                                    "outlet": m.get("outlet"), "published": m.get("published"), "url": m.get("url"),
                                    "duplicate_of": m.get("duplicate_of"), "score": score})
    st = S.statements
    rows = []
    for doc_id, local_id, snippet, score in stmts:
        row = conn.execute(select(st).where(st.c.doc_id == doc_id, st.c.local_id == local_id)).first()
        if row is not None:
            rows.append((row, snippet, score))
    for (row, snippet, score), d in zip(rows, statement_dicts(conn, [r for r, _, _ in rows])):
        plain, marks = split_marks(snippet)
        result["statements"].append(dict(d, snippet=plain, highlights=marks, score=score))
    return result


def _search_fts5(conn: Connection, phrases, limit):
    expr = _fts5_expr(phrases)
    docs = [(r[0], r[1], round(-float(r[2]), 4)) for r in conn.execute(sql(
        f"SELECT doc_id, snippet(fts_documents, 2, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 16), bm25(fts_documents) "
        "FROM fts_documents "
        "WHERE fts_documents MATCH :q ORDER BY bm25(fts_documents) LIMIT :n"), {"q": expr, "n": limit})]
    stmts = [(r[0], r[1], r[2], round(-float(r[3]), 4)) for r in conn.execute(sql(
        f"SELECT doc_id, local_id, snippet(fts_statements, 2, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 16), "
        "bm25(fts_statements) "
        "FROM fts_statements WHERE fts_statements MATCH :q ORDER BY bm25(fts_statements) LIMIT :n"),
        {"q": expr, "n": limit})]
    return docs, stmts


def _search_pg(conn: Connection, phrases, limit):
    params = {f"p{i}": " ".join(p) for i, p in enumerate(phrases)}
    tsq = " || ".join(f"phraseto_tsquery('english', :p{i})" for i in range(len(phrases)))
    params["n"] = limit
    opts = f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=24, MinWords=8, MaxFragments=1"
    docs = [(r[0], r[1], round(float(r[2]), 4)) for r in conn.execute(sql(
        f"SELECT id, ts_headline('english', text, q, '{opts}'), ts_rank({_PG_DOC}, q) "
        f"FROM documents, ({'SELECT ' + tsq + ' AS q'}) AS query WHERE {_PG_DOC} @@ q "
        f"ORDER BY ts_rank({_PG_DOC}, q) DESC, id LIMIT :n"), params)]
    stmts = [(r[0], r[1], r[2], round(float(r[3]), 4)) for r in conn.execute(sql(
        f"SELECT doc_id, local_id, ts_headline('english', content, q, '{opts}'), ts_rank({_PG_STMT}, q) "
        f"FROM statements, ({'SELECT ' + tsq + ' AS q'}) AS query WHERE {_PG_STMT} @@ q "
        f"ORDER BY ts_rank({_PG_STMT}, q) DESC, doc_id, local_id LIMIT :n"), params)]
    return docs, stmts


def _search_like(conn: Connection, phrases, limit):
    d, st = S.documents, S.statements
    needle = " ".join(phrases[0]).casefold()
    words = phrases[0]
    docs = [(r.id, _snippet(r.text, words), 1.0) for r in conn.execute(
        select(d.c.id, d.c.text).where(d.c.text.ilike(bindparam("q"))).limit(limit), {"q": f"%{needle}%"})]
    stmts = [(r.doc_id, r.local_id, _snippet(r.content, words), 1.0) for r in conn.execute(
        select(st.c.doc_id, st.c.local_id, st.c.content).where(st.c.content.ilike(bindparam("q"))).limit(limit),
        {"q": f"%{needle}%"})]
    return docs, stmts
