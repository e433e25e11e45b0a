"""Lookups shared by the query modules: finding an actor by name, and reading entity, document and
statement rows as plain dicts.

Every function takes a SQLAlchemy Connection and returns plain JSON-serialisable dicts. Entities
merged into another (kb_entities.merged_into) are read as the entity they were merged into.
`wirescope.query.entities` (actor profiles) and `wirescope.query.relations` (cross-document
relations) both build on these, so neither has to import the other for them.
"""
from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from wirescope.errors import StoreError
from wirescope.resolve.judgements import MAX_CHAIN, canonical_map, members
from wirescope.resolve.match import acronym_key, gazetteer_id, key as name_key
from wirescope.store import schema as S


# ---- finding ----------------------------------------------------------------------------------
def _raw_matches(conn: Connection, text: str, prefix: bool, limit: int) -> dict[str, int]:
    """kb id -> match rank (0 exact key, 1 gazetteer/acronym, 2 prefix) for a name."""
    k = name_key(text)
    out: dict[str, int] = {}
    if not k:
        return out
    nm, rk = S.kb_names, S.resolve_keys
    for i in conn.execute(select(nm.c.kb_entity).where(nm.c.key == k).distinct().limit(limit * 5)).scalars():
        out[i] = 0
    ent = S.kb_entities
    for i in conn.execute(select(ent.c.id).where(ent.c.key == k).limit(limit * 5)).scalars():
        out[i] = 0
    conds = []
    g = gazetteer_id(text)
    if g:
        conds.append(and_(rk.c.kind == "gaz", rk.c.value == g))
    conds.append(and_(rk.c.kind == "acronym", rk.c.value == k))
    for i in conn.execute(select(rk.c.kb_entity).where(or_(*conds)).distinct().limit(limit * 5)).scalars():
        out.setdefault(i, 1)
    acr = acronym_key(text, "organization")
    if acr:
        for i in conn.execute(select(nm.c.kb_entity).where(nm.c.key == acr).distinct().limit(limit)).scalars():
            out.setdefault(i, 1)
    if prefix:
        upper = k + "\uffff"
        for i in conn.execute(select(nm.c.kb_entity).where(nm.c.key >= k, nm.c.key < upper).distinct()
                              .limit(limit * 5)).scalars():
            out.setdefault(i, 2)
        for i in conn.execute(select(rk.c.kb_entity).where(rk.c.kind == "short", rk.c.value == k).distinct()
                              .limit(limit * 5)).scalars():
            out.setdefault(i, 2)
    return out


def _ranked(conn: Connection, raw: dict[str, int], limit: int) -> list[dict]:
    canon = canonical_map(conn, raw)
    best: dict[str, int] = {}
    for i, rank in raw.items():
        c = canon.get(i, i)
        best[c] = min(rank, best.get(c, 9))
    refs = entity_rows(conn, best)
    counts = document_counts(conn, best)
    out = []
    for c, rank in best.items():
        if c not in refs:
            continue
        row = dict(refs[c], documents=counts.get(c, 0), match=("exact", "alias", "prefix")[rank])
        out.append(row)
    out.sort(key=lambda r: (("exact", "alias", "prefix").index(r["match"]), r["anonymous"], -r["documents"], r["name"]))
    return out[:limit]


def find_entities(conn: Connection, text: str, limit: int = 20) -> list[dict]:
    """Actors whose name, alias, acronym or gazetteer entry matches `text` (or starts with it):
    [{"id", "name", "type", "subtype", "anonymous", "documents", "match"}], best first."""
    text = (text or "").strip()
    if not text:
        return []
    raw = _raw_matches(conn, text, prefix=True, limit=limit)
    if text.startswith("ent_"):
        if conn.execute(select(S.kb_entities.c.id).where(S.kb_entities.c.id == text)).first():
            raw[text] = 0
    return _ranked(conn, raw, limit)


def resolve_entity(conn: Connection, name_or_id: str) -> dict:
    """The one actor a name or id denotes; StoreError E403 when none, E404 when several fit."""
    text = (name_or_id or "").strip()
    ent = S.kb_entities
    if text and conn.execute(select(ent.c.id).where(ent.c.id == text)).first():
        c = canonical_map(conn, [text])[text]
        return dict(entity_rows(conn, [c])[c], documents=document_counts(conn, [c]).get(c, 0))
    raw = _raw_matches(conn, text, prefix=False, limit=20)
    found = _ranked(conn, raw, 50)
    if not found:
        found = _ranked(conn, _raw_matches(conn, text, prefix=True, limit=20), 50)
    if not found:
        raise StoreError("E403", name=text)
    if len(found) > 1:
        named = [f for f in found if not f["anonymous"]] or found
        top = [f for f in named if f["match"] == named[0]["match"]]
        own = [f for f in top if name_key(f["name"]) == name_key(text)]
        if len(top) == 1:
            return top[0]
        if len(own) == 1:
            return own[0]
        raise StoreError("E404", name=text, options="; ".join(
            f"{f['name']} ({f['type']}, {f['id']}, {f['documents']} documents)" for f in top[:8]))
    return found[0]


# ---- shared helpers ---------------------------------------------------------------------------
def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def entity_rows(conn: Connection, ids: Iterable[str]) -> dict[str, dict]:
    """id -> {"id", "name", "type", "subtype", "anonymous"} for the given (canonical) ids."""
    ent = S.kb_entities
    ids = sorted({i for i in ids if i})
    out = {}
    for chunk in _chunks(ids, 500):
        for r in conn.execute(select(ent.c.id, ent.c.name, ent.c.type, ent.c.subtype, ent.c.anonymous)
                              .where(ent.c.id.in_(chunk))):
            out[r.id] = {"id": r.id, "name": r.name, "type": r.type, "subtype": r.subtype,
                         "anonymous": bool(r.anonymous)}
    return out


def refs(conn: Connection, ids: Iterable[str]) -> dict[str, dict]:
    """raw kb id -> {"id", "name", "anonymous", "type"} of the entity it is (after merges)."""
    canon = canonical_map(conn, ids)
    rows = entity_rows(conn, canon.values())
    return {i: {k: rows[c][k] for k in ("id", "name", "anonymous", "type")} for i, c in canon.items() if c in rows}


def members_map(conn: Connection, ids: Iterable[str]) -> dict[str, list[str]]:
    """canonical id -> itself and every entity merged into it (`members` for many ids, one query a
    level of merge chains instead of one a level and id)."""
    k = S.kb_entities
    out = {c: [c] for c in {i for i in ids if i}}
    owner = {c: c for c in out}
    frontier = sorted(out)
    for _ in range(MAX_CHAIN):
        if not frontier:
            break
        found = []
        for chunk in _chunks(frontier, 500):
            for r in conn.execute(select(k.c.id, k.c.merged_into).where(k.c.merged_into.in_(chunk))):
                if r.id not in owner:
                    owner[r.id] = owner[r.merged_into]
                    out[owner[r.id]].append(r.id)
                    found.append(r.id)
        frontier = sorted(found)
    return out


def document_counts(conn: Connection, ids: Iterable[str]) -> dict[str, int]:
    """canonical id -> number of documents naming it or anything merged into it (one grouped query
    a chunk of actors; a document naming two members of one actor counts once)."""
    de = S.doc_entities
    groups = members_map(conn, ids)
    out = {c: 0 for c in groups}
    single = sorted(c for c, g in groups.items() if len(g) == 1)
    for chunk in _chunks(single, 500):
        for kb, n in conn.execute(select(de.c.kb_entity, func.count(func.distinct(de.c.doc_id)))
                                  .where(de.c.kb_entity.in_(chunk)).group_by(de.c.kb_entity)):
            out[kb] = n
    for c, group in groups.items():
        if len(group) > 1:
            out[c] = conn.execute(select(func.count(func.distinct(de.c.doc_id))).where(de.c.kb_entity.in_(group))).scalar()
    return out


def document_meta(conn: Connection, doc_ids: Iterable[str]) -> dict[str, dict]:
    d = S.documents
    out = {}
    for chunk in _chunks(sorted({i for i in doc_ids if i}), 500):
        for r in conn.execute(select(d.c.id, d.c.title, d.c.outlet, d.c.url, d.c.published, d.c.duplicate_of,
                                     d.c.similarity).where(d.c.id.in_(chunk))):
            out[r.id] = {"id": r.id, "title": r.title, "outlet": r.outlet, "url": r.url, "published": r.published,
                         "duplicate_of": r.duplicate_of, "similarity": r.similarity}
    return out


def local_refs(conn: Connection, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """(doc_id, local entity id) -> {"id", "name", "anonymous", "type", "local_name"}."""
    de = S.doc_entities
    wanted = {(d, e) for d, e in pairs if d and e}
    docs = sorted({d for d, _ in wanted})
    rows = []
    for chunk in _chunks(docs, 200):
        in_chunk = set(chunk)
        locals_ = sorted({e for d, e in wanted if d in in_chunk})  # a few local ids: only their rows are read
        rows.extend(r for r in conn.execute(select(de.c.doc_id, de.c.local_id, de.c.kb_entity, de.c.name)
                                            .where(de.c.doc_id.in_(chunk), de.c.local_id.in_(locals_)))
                    if (r.doc_id, r.local_id) in wanted)
    kb = refs(conn, [r.kb_entity for r in rows])
    out = {}
    for r in rows:
        if r.kb_entity in kb:
            out[(r.doc_id, r.local_id)] = dict(kb[r.kb_entity], local_name=r.name)
    return out


def statement_dicts(conn: Connection, rows: list, evidence: dict | None = None) -> list[dict]:
    """Stored statement rows -> statement dicts with speaker, via and document fields."""
    if not rows:
        return []
    people = local_refs(conn, [(r.doc_id, r.speaker) for r in rows] + [(r.doc_id, r.via) for r in rows])
    meta = document_meta(conn, {r.doc_id for r in rows})
    out = []
    for r in rows:
        m = meta.get(r.doc_id, {})
        out.append({
            "doc_id": r.doc_id, "statement_id": r.local_id,
            "speaker": people.get((r.doc_id, r.speaker)), "via": people.get((r.doc_id, r.via)),
            "cue": r.cue, "content": r.content, "direct": bool(r.direct),
            "evidence": evidence or {"start": r.start, "end": r.end, "text": r.content},
            "polarity": r.polarity, "modality": r.modality, "published": m.get("published"),
            "outlet": m.get("outlet"), "title": m.get("title"), "url": m.get("url"),
            "duplicate_of": m.get("duplicate_of"),
        })
    return out


def as_json(value: Any) -> Any:
    """Sets and tuples to lists (the query functions already return JSON-ready values)."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [as_json(v) for v in value]
    return value
