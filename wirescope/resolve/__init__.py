"""Cross-document entity resolution: which stored actor is a document's local actor?

`default_resolver(conn, entity, doc_id) -> kb_id` runs inside the document's write transaction,
once per actor of the document. It normalises the actor's names (wirescope.analyse.names), blocks
(indexed lookups of knowledge-base actors sharing a name key, a short form, an acronym or a
gazetteer entry, with a compatible type), scores each candidate with an explanation
(resolve.match), merges at or above `match.THRESHOLD`, and records the decision as a judgement
(author "resolver"). Analysts' judgements win: a "same" judgement (merged_into) sends later
mentions to the surviving entity, a "different" one blocks an automatic merge of the two.
Anonymous sources never merge across documents; only an analyst can merge them.

When a document names an actor by two names that the knowledge base still holds as two actors
("Abu Talha al-Kabuli, whose real name is Abdul Basir Wardak"), the document bridges them: the two
are merged, with the document as the evidence (unless a judgement says they differ).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import insert, or_, select, update
from sqlalchemy.engine import Connection

from wirescope.analyse import names as N
from wirescope.resolve import match as M
from wirescope.resolve.judgements import (
    RESOLVER, canonical_map, judged_different, merge, new_kb_id, record,
)
from wirescope.store import schema as S

__all__ = ["default_resolver", "begin_document", "name_key", "new_kb_id"]

STATE = "wirescope.resolve.document"
MAX_BLOCK = 100  # candidates read per blocking query
CONTEXT_DOCS = 50  # documents read per candidate for its co-occurring actors
BRIDGE_MIN = 0.95  # name evidence both sides of an alias bridge must reach


def name_key(name: str) -> str:
    return M.key(name)


@dataclass
class _DocState:
    doc_id: str
    outlet: str | None
    analysis: object | None = None
    resolved: set[str] = field(default_factory=set)
    by_key: dict[str, set[str]] | None = None  # name key of any actor of the document -> kb actors


def begin_document(conn: Connection, analysis) -> None:
    """Give the resolver the whole document before its actors are resolved one by one, so that
    each actor's context (the other actors of the document) is known from the start."""
    conn.info[STATE] = _DocState(analysis.document.id, analysis.document.outlet, analysis)


def _state(conn: Connection, doc_id: str) -> _DocState:
    st = conn.info.get(STATE)
    if st is None or st.doc_id != doc_id:
        outlet = conn.execute(select(S.documents.c.outlet).where(S.documents.c.id == doc_id)).scalar()
        st = _DocState(doc_id, outlet)
        conn.info[STATE] = st
    return st


def _names_of(entity) -> list[str]:
    return [n for n in dict.fromkeys([entity.name, *entity.aliases]) if n and n.strip()]


def _identifying(entity) -> tuple[list[str], set[str]]:
    """The names that can identify the actor across documents, and which of them are weak."""
    names, weak = [], set()
    for n in _names_of(entity):
        how = "canonical" if n == entity.name else entity.alias_sources.get(n, "alias")
        if how in M.NOT_NAMES or M.name_class(n) == "common":
            continue
        names.append(n)
        if how in M.WEAK_HOWS:
            weak.add(n)
    return names, weak


# ---- blocking ---------------------------------------------------------------------------------
def _block(conn: Connection, entity, prof: M.Profile) -> set[str]:
    names = prof.names
    keys = set(prof.keys)
    shorts = {k for n in names for k in M.short_keys(n, entity.type)}
    acronyms = {a for n in names if (a := M.acronym_key(n, entity.type))}
    acronym_names = {M.key(n) for n in names if N.looks_like_acronym(n)}
    found: set[str] = set()
    nm = S.kb_names
    lookup = sorted((keys | shorts | acronyms) - {""})
    if lookup:
        found.update(conn.execute(select(nm.c.kb_entity).where(nm.c.key.in_(lookup)).distinct()
                                  .limit(MAX_BLOCK)).scalars())
    rk = S.resolve_keys
    conds = []
    if keys | shorts:  # its name is a short form of theirs, or both share a family name
        conds.append((rk.c.kind == "short") & rk.c.value.in_(sorted(keys | shorts)))
    if acronym_names:
        conds.append((rk.c.kind == "acronym") & rk.c.value.in_(sorted(acronym_names)))
    if prof.gaz:
        conds.append((rk.c.kind == "gaz") & rk.c.value.in_(sorted(prof.gaz)))
    if conds:
        found.update(conn.execute(select(rk.c.kb_entity).where(or_(*conds)).distinct().limit(MAX_BLOCK)).scalars())
    return found


def _candidates(conn: Connection, raw: set[str], entity) -> dict[str, dict]:
    """canonical id -> {"row", "ids", "profile"} for the blocked ids of a compatible type."""
    canon = canonical_map(conn, raw)
    k = S.kb_entities
    roots = set(canon.values())
    rows = {r.id: r for r in conn.execute(
        select(k.c.id, k.c.name, k.c.type, k.c.anonymous, k.c.country).where(k.c.id.in_(sorted(roots)))).all()}
    out: dict[str, dict] = {}
    for rid, row in rows.items():
        if row.anonymous or M.type_fit(entity.type, row.type) is None or M.name_class(row.name) == "common":
            continue
        out[rid] = {"row": row, "ids": {rid} | {i for i, c in canon.items() if c == rid}}
    if not out:
        return out
    # every name of every candidate (including entities merged into it)
    merged = conn.execute(select(k.c.id, k.c.merged_into).where(k.c.merged_into.in_(sorted(out)))).all()
    for r in merged:
        out[r.merged_into]["ids"].add(r.id)
    owner = {i: c for c, v in out.items() for i in v["ids"]}
    nm = S.kb_names
    names: dict[str, list[str]] = {c: [v["row"].name] for c, v in out.items()}
    for r in conn.execute(select(nm.c.kb_entity, nm.c.name, nm.c.how).where(nm.c.kb_entity.in_(sorted(owner)))
                          .limit(MAX_BLOCK * 50)):
        if r.how not in M.NOT_NAMES and M.name_class(r.name) != "common":
            names[owner[r.kb_entity]].append(r.name)
    for c, v in out.items():
        v["profile"] = M.profile(names[c], v["row"].type, v["row"].country)
    return out


# ---- context ----------------------------------------------------------------------------------
def _doc_context(conn: Connection, st: _DocState, entity, own_keys: set[str]) -> set[str]:
    """The knowledge-base actors the other actors of this document denote (by exact name key),
    plus those resolved so far."""
    if st.by_key is None:
        st.by_key = {}
        analysis = st.analysis
        if analysis is not None:
            keys = {M.key(n) for e in analysis.entities if not e.anonymous for n in [e.name, *e.aliases]} - {""}
            if keys:
                nm = S.kb_names
                rows = conn.execute(select(nm.c.key, nm.c.kb_entity).where(nm.c.key.in_(sorted(keys))).distinct()
                                    .limit(MAX_BLOCK * 5)).all()
                canon = canonical_map(conn, {r.kb_entity for r in rows})
                for r in rows:
                    st.by_key.setdefault(r.key, set()).add(canon.get(r.kb_entity, r.kb_entity))
    found = set(st.resolved)
    for k, ids in st.by_key.items():
        if k not in own_keys:
            found |= ids
    return found


def _candidate_context(conn: Connection, ids: set[str]) -> tuple[set[str], set[str]]:
    """(co-occurring actors, outlets) of up to CONTEXT_DOCS documents naming any of `ids`."""
    de, d = S.doc_entities, S.documents
    docs = conn.execute(select(de.c.doc_id).where(de.c.kb_entity.in_(sorted(ids))).distinct()
                        .order_by(de.c.doc_id).limit(CONTEXT_DOCS)).scalars().all()
    if not docs:
        return set(), set()
    actors = conn.execute(select(de.c.kb_entity).where(de.c.doc_id.in_(docs)).distinct()).scalars().all()
    outlets = {o for o in conn.execute(select(d.c.outlet).where(d.c.id.in_(docs)).distinct()).scalars() if o}
    return set(canonical_map(conn, actors).values()), outlets


# ---- the resolver -----------------------------------------------------------------------------
def default_resolver(conn: Connection, entity, doc_id: str) -> str:
    st = _state(conn, doc_id)
    if entity.anonymous:
        kb_id = _create(conn, entity, doc_id)
        st.resolved.add(kb_id)
        return kb_id
    names, weak = _identifying(entity)
    if entity.name not in names:  # not a proper name ("members", "Taliban negotiators"): stays local
        names = []
    prof = M.profile(names, entity.type, entity.country, weak)
    if not prof.keys:
        kb_id = _create(conn, entity, doc_id)
        st.resolved.add(kb_id)
        return kb_id
    raw = _block(conn, entity, prof)
    cands = _candidates(conn, raw, entity) if raw else {}
    scored = []
    for cid, cand in cands.items():
        score, why = M.score_pair(prof, cand["profile"])
        if why.get("names"):
            scored.append([score, why, cid])
    if scored and (len(scored) > 1 or scored[0][0] < M.THRESHOLD):
        # names alone do not settle it: bring in the context both sides share
        doc_context = _doc_context(conn, st, entity, set(prof.keys))
        prof.outlets = {st.outlet} if st.outlet else set()
        for item in scored:
            cand = cands[item[2]]
            context, cand["profile"].outlets = _candidate_context(conn, cand["ids"])
            cand["profile"].context = context - cand["ids"]  # an actor is no context for itself
            prof.context = doc_context - cand["ids"]
            item[0], item[1] = M.score_pair(prof, cand["profile"])
    scored.sort(key=lambda s: (-s[0], s[2]))
    me = f"{doc_id}/{entity.id}"
    above = [s for s in scored if s[0] >= M.THRESHOLD]
    chosen = None
    if above:
        best = above[0]
        chosen = best[2]
        for other in above[1:]:
            if _bridges(best, other):
                if not judged_different(conn, cands[chosen]["ids"], cands[other[2]]["ids"]):
                    chosen = merge(conn, chosen, other[2], RESOLVER, score=min(best[0], other[0]), explanation={
                        "action": "alias bridge", "document": doc_id, "actor": entity.id,
                        "left": best[1].get("names", [])[:1], "right": other[1].get("names", [])[:1]})
                    continue
                # judged different: the actor goes with the one its own name matches, if only one
                if _matched_by(best) == entity.name != _matched_by(other):
                    continue
                if _matched_by(other) == entity.name != _matched_by(best):
                    best, chosen = other, other[2]
                    continue
            if round(other[0], 3) > round(best[0] - M.MARGIN, 3) and not _weaker(other, best):
                chosen = None  # two different actors fit about as well: do not guess
                break
    if chosen is None:
        kb_id = _create(conn, entity, doc_id)
    else:
        kb_id = chosen
        _attach(conn, kb_id, entity, doc_id, cands[chosen]["row"])
    for score, why, cid in scored[:4]:
        if cid == chosen or (chosen is not None and cid in {s[2] for s in above} and _bridged(conn, cid, chosen)):
            record(conn, cid, me, "same", RESOLVER, score, why)
        else:
            if chosen is None and score >= M.THRESHOLD:
                why = {**why, "ambiguous": True}
            record(conn, cid, me, "different", RESOLVER, score, why)
    st.resolved.add(kb_id)
    return kb_id


def _bridges(best: list, other: list) -> bool:
    """Two candidates matched strongly by two different names of the document's actor."""
    a, b = best[1].get("names") or [], other[1].get("names") or []
    if not a or not b or a[0]["score"] < BRIDGE_MIN or b[0]["score"] < BRIDGE_MIN:
        return False
    return M.key(a[0]["left"]) != M.key(b[0]["left"])


def _matched_by(item: list) -> str | None:
    names = item[1].get("names") or []
    return names[0]["left"] if names else None


def _weaker(other: list, best: list) -> bool:
    """`other` matched only through a weak alias where `best` matched a proper name."""
    a, b = best[1].get("names") or [], other[1].get("names") or []
    return bool(a and b and not a[0].get("weak") and b[0].get("weak"))


def _bridged(conn: Connection, cid: str, chosen: str) -> bool:
    return canonical_map(conn, [cid]).get(cid) == chosen


# ---- writing ----------------------------------------------------------------------------------
def _create(conn: Connection, entity, doc_id: str) -> str:
    key = M.key(entity.name)
    seed = f"{doc_id}/{entity.id}" if entity.anonymous or not key else f"{entity.type}/{key}"
    kb_id = new_kb_id(seed)
    if conn.execute(select(S.kb_entities.c.id).where(S.kb_entities.c.id == kb_id)).first():
        kb_id = new_kb_id(f"{doc_id}/{entity.id}")
    conn.execute(insert(S.kb_entities).values(
        id=kb_id, name=_display_name(entity), key=key, type=entity.type, subtype=entity.subtype,
        anonymous=entity.anonymous, country=entity.country,
    ))
    _add_names(conn, kb_id, entity, doc_id, set())
    return kb_id


def _display_name(entity) -> str:
    if entity.type != "person" and not entity.anonymous:
        entry = N.gazetteer_lookup(entity.name)
        if entry is not None:
            return entry.name
    return entity.name


def _attach(conn: Connection, kb_id: str, entity, doc_id: str, row) -> None:
    nm = S.kb_names
    known = set(conn.execute(select(nm.c.name).where(nm.c.kb_entity == kb_id)).scalars())
    _add_names(conn, kb_id, entity, doc_id, known)
    # a fuller name of a person replaces a short one ("Mujahid" -> "Zabihullah Mujahid")
    if entity.type == "person" and row.type == "person":
        better = N.best_name([row.name, entity.name], "person")
        if better != row.name and N.is_short_form(row.name, better):
            conn.execute(update(S.kb_entities).where(S.kb_entities.c.id == kb_id)
                         .values(name=better, key=M.key(better)))
    if row.country is None and entity.country:
        conn.execute(update(S.kb_entities).where(S.kb_entities.c.id == kb_id).values(country=entity.country))


def _add_names(conn: Connection, kb_id: str, entity, doc_id: str, known: set[str]) -> None:
    """Every new name (first seen in this document) and the blocking keys it brings."""
    rows = []
    new_names = []
    for name in _names_of(entity):
        if name in known:
            continue
        how = "canonical" if name == entity.name else entity.alias_sources.get(name, "alias")
        rows.append(dict(kb_entity=kb_id, name=name, key=M.key(name), how=how, doc_id=doc_id))
        new_names.append(name)
        known.add(name)
    if rows:
        conn.execute(insert(S.kb_names), rows)
    if entity.anonymous or not new_names:
        return
    wanted = set()
    usable = set(_identifying(entity)[0])
    for name in new_names:
        if name not in usable:
            continue
        wanted.update(("short", k) for k in M.short_keys(name, entity.type))
        if a := M.acronym_key(name, entity.type):
            wanted.add(("acronym", a))
        if g := M.gaz_of(name, entity.type):
            wanted.add(("gaz", g))
    if not wanted:
        return
    rk = S.resolve_keys
    have = {(r.kind, r.value) for r in conn.execute(select(rk.c.kind, rk.c.value).where(rk.c.kb_entity == kb_id))}
    fresh = [dict(kb_entity=kb_id, kind=kind, value=value, doc_id=doc_id) for kind, value in sorted(wanted - have)]
    if fresh:
        conn.execute(insert(rk), fresh)
