"""Actors of the knowledge base: find them, resolve a name to one, and profile one.

Every function takes a SQLAlchemy Connection and returns plain JSON-serialisable dicts. Entities
merged into another (kb_entities.merged_into) are read as the entity they were merged into.
The helpers at the bottom (references to actors, document metadata, statement dicts) are shared
by the other query modules.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from wirescope.errors import StoreError
from wirescope.resolve.judgements import canonical_map, members
from wirescope.resolve.match import acronym_key, gazetteer_id, key as name_key
from wirescope.store import schema as S

__all__ = ["find_entities", "resolve_entity", "entity_profile", "canonical_map", "members"]

MAX_PROFILE_DOCS = 500


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


# ---- the profile -----------------------------------------------------------------------------
def entity_profile(conn: Connection, kb_id: str) -> dict:
    """Everything the knowledge base holds on one actor: its names and aliases (each with the
    document it was learnt from), mentions, documents, relations (aggregated, for and against),
    statements by it and about it, and the resolution judgements that shaped it."""
    from wirescope.query.relations import aggregate_relations

    ent = S.kb_entities
    if not conn.execute(select(ent.c.id).where(ent.c.id == kb_id)).first():
        kb_id = resolve_entity(conn, kb_id)["id"]
    kb_id = canonical_map(conn, [kb_id])[kb_id]
    ids = members(conn, kb_id)
    entity = dict(entity_rows(conn, [kb_id])[kb_id])
    row = conn.execute(select(ent.c.country).where(ent.c.id == kb_id)).first()
    entity["country"] = row.country if row else None
    entity["merged"] = [i for i in ids if i != kb_id]

    de, nm = S.doc_entities, S.kb_names
    local = conn.execute(select(de.c.doc_id, de.c.local_id).where(de.c.kb_entity.in_(ids))).all()
    doc_ids = sorted({r.doc_id for r in local})
    meta = document_meta(conn, doc_ids)
    docs = sorted(meta.values(), key=lambda m: (m["published"] or "", m["id"]), reverse=True)

    names = []
    seen = set()
    name_rows = conn.execute(select(nm.c.name, nm.c.how, nm.c.doc_id, nm.c.kb_entity).where(nm.c.kb_entity.in_(ids))
                             .order_by(nm.c.id)).all()
    extra = document_meta(conn, {r.doc_id for r in name_rows if r.doc_id and r.doc_id not in meta})
    for r in name_rows:
        if (r.name, r.how) in seen:
            continue
        seen.add((r.name, r.how))
        m = meta.get(r.doc_id) or extra.get(r.doc_id) or {}
        names.append({"name": r.name, "how": r.how, "doc_id": r.doc_id, "title": m.get("title"),
                      "outlet": m.get("outlet"), "published": m.get("published")})

    mention_count = 0
    if local:
        m = S.mentions
        by_doc: dict[str, list[str]] = defaultdict(list)
        for r in local:
            by_doc[r.doc_id].append(r.local_id)
        for chunk in _chunks(sorted(by_doc), 200):
            rows = conn.execute(select(m.c.doc_id, m.c.entity, func.count()).where(m.c.doc_id.in_(chunk))
                                .group_by(m.c.doc_id, m.c.entity)).all()
            mention_count += sum(n for doc, e, n in rows if e in by_doc[doc])

    by, about = _statements_by_and_about(conn, local[:MAX_PROFILE_DOCS * 20], set(ids))
    j = S.judgements
    judged = conn.execute(select(j.c.id, j.c.left, j.c.right, j.c.decision, j.c.score, j.c.author, j.c.explanation)
                          .where(or_(j.c.left.in_(ids), j.c.right.in_(ids)), j.c.author != "resolver")
                          .order_by(j.c.id)).all()
    return {
        "entity": entity,
        "names": names,
        "mentions": mention_count,
        "documents": docs[:MAX_PROFILE_DOCS],
        "relations": aggregate_relations(conn, entity=kb_id),
        "statements_by": by,
        "statements_about": about,
        "judgements": [{"id": r.id, "left": r.left, "right": r.right, "decision": r.decision, "score": r.score,
                        "author": r.author, "explanation": r.explanation} for r in judged],
    }


def _statements_by_and_about(conn: Connection, local: list, ids: set[str]) -> tuple[list[dict], list[dict]]:
    st, m = S.statements, S.mentions
    by_doc: dict[str, set[str]] = defaultdict(set)
    for r in local:
        by_doc[r.doc_id].add(r.local_id)
    docs = sorted(by_doc)[-MAX_PROFILE_DOCS:]
    by, about = [], []
    for chunk in _chunks(docs, 200):
        rows = conn.execute(select(st).where(st.c.doc_id.in_(chunk))).all()
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for r in conn.execute(select(m.c.doc_id, m.c.entity, m.c.start, m.c.end).where(m.c.doc_id.in_(chunk))):
            if r.entity in by_doc[r.doc_id]:
                spans[r.doc_id].append((r.start, r.end))
        mine, theirs = [], []
        for r in rows:
            if r.speaker in by_doc[r.doc_id]:
                mine.append(r)
            elif any(r.start <= s and e <= r.end for s, e in spans[r.doc_id]):
                theirs.append(r)
        by.extend(statement_dicts(conn, mine))
        about.extend(statement_dicts(conn, theirs))
    key = lambda s: (s["published"] or "", s["doc_id"], s["evidence"]["start"])  # noqa: E731
    return sorted(by, key=key), sorted(about, key=key)


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


def document_counts(conn: Connection, ids: Iterable[str]) -> dict[str, int]:
    """canonical id -> number of documents naming it or anything merged into it."""
    de = S.doc_entities
    out = {}
    for c in ids:
        group = members(conn, c)
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
        rows.extend(r for r in conn.execute(select(de.c.doc_id, de.c.local_id, de.c.kb_entity, de.c.name)
                                            .where(de.c.doc_id.in_(chunk))) if (r.doc_id, r.local_id) in wanted)
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
