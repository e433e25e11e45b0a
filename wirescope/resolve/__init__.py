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

from sqlalchemy import bindparam, insert, or_, select, update
from sqlalchemy.engine import Connection

from wirescope.analyse import names as N
from wirescope.resolve import match as M
from wirescope.resolve.judgements import (
    RESOLVER, canonical_map, follow_merges, judged_different, merge, new_kb_id,
)
from wirescope.store import schema as S

__all__ = ["default_resolver", "begin_document", "name_key", "new_kb_id"]

STATE = "wirescope.resolve.document"
MAX_BLOCK = 100  # candidates read per blocking query
CONTEXT_DOCS = 50  # documents read per candidate for its co-occurring actors
BRIDGE_MIN = 0.95  # name evidence both sides of an alias bridge must reach
PREFETCH_MAX_KEYS = 2000  # a document's blocking values looked up in one query (more: per actor)
PREFETCH_MAX_ROWS = 20000  # rows a document's prefetch may read (more: per-actor queries)

# statements built once: building and cache-keying a SQLAlchemy statement costs more than running it
_nm, _rk, _ke = S.kb_names, S.resolve_keys, S.kb_entities
_Q_NAME_BLOCK = (select(_nm.c.kb_entity).where(_nm.c.key.in_(bindparam("keys", expanding=True)))
                 .distinct().limit(MAX_BLOCK))
_Q_NAME_PREFETCH = (select(_nm.c.key, _nm.c.kb_entity).where(_nm.c.key.in_(bindparam("keys", expanding=True)))
                    .distinct().limit(PREFETCH_MAX_ROWS + 1))
_RK_KINDS = ("short", "acronym", "gaz")
_Q_RK_PREFETCH = (select(_rk.c.kind, _rk.c.value, _rk.c.kb_entity)
                  .where(or_(*[(_rk.c.kind == kind) & _rk.c.value.in_(bindparam(f"v_{kind}", expanding=True))
                               for kind in _RK_KINDS]))
                  .distinct().limit(PREFETCH_MAX_ROWS + 1))
_Q_ID_EXISTS = select(_ke.c.id).where(_ke.c.id == bindparam("id"))
_Q_IDS_EXIST = select(_ke.c.id).where(_ke.c.id.in_(bindparam("ids", expanding=True)))
_Q_ROWS = (select(_ke.c.id, _ke.c.name, _ke.c.type, _ke.c.anonymous, _ke.c.country)
           .where(_ke.c.id.in_(bindparam("ids", expanding=True))))
_Q_ROWS_CHAIN = (select(_ke.c.id, _ke.c.merged_into, _ke.c.name, _ke.c.type, _ke.c.anonymous, _ke.c.country)
                 .where(_ke.c.id.in_(bindparam("ids", expanding=True))))
_Q_MERGED = select(_ke.c.id, _ke.c.merged_into).where(_ke.c.merged_into.in_(bindparam("ids", expanding=True)))
_Q_CAND_NAMES = (select(_nm.c.kb_entity, _nm.c.name, _nm.c.how)
                 .where(_nm.c.kb_entity.in_(bindparam("ids", expanding=True))).limit(MAX_BLOCK * 50))
_Q_KNOWN_NAMES = select(_nm.c.name).where(_nm.c.kb_entity == bindparam("id"))
_Q_HAVE_KEYS = select(_rk.c.kind, _rk.c.value).where(_rk.c.kb_entity == bindparam("id"))
_INS_ENTITY = insert(_ke)
_INS_NAMES = insert(_nm)
_INS_KEYS = insert(_rk)
_INS_JUDGEMENT = insert(S.judgements)
_PENDING_ORDER = (("kb_entities", _INS_ENTITY), ("kb_names", _INS_NAMES), ("resolve_keys", _INS_KEYS),
                  ("judgements", _INS_JUDGEMENT))


def name_key(name: str) -> str:
    return M.key(name)


@dataclass
class _DocState:
    doc_id: str
    outlet: str | None
    analysis: object | None = None
    resolved: set[str] = field(default_factory=set)
    by_key: dict[str, set[str]] | None = None  # name key of any actor of the document -> kb actors
    prefetch: "_Prefetch | None" = None
    # rows written while the document's actors are resolved, sent in one executemany per table
    # before anything reads or updates the knowledge base (and at the end of the document)
    pending: dict[str, list[dict]] | None = None


class _Prefetch:
    """The blocking lookups of all of a document's actors, read in one query per table when the
    document begins and kept current with what the document itself writes (kb_names,
    resolve_keys and kb_entities rows are only ever added while a document is resolved). A value
    that was not prefetched, or a read that hit its row cap, falls back to the per-actor query."""

    def __init__(self, conn: Connection, analysis) -> None:
        self.sets: dict[str, tuple] = {}  # entity id -> (entity, block sets)
        self.profiles: dict[str, tuple] = {}  # entity id -> (entity, its profile), handed out once
        self.names: dict[str, set[str]] | None = None  # kb_names.key -> kb entities
        self.keys: dict[tuple[str, str], set[str]] | None = None  # (kind, value) -> kb entities
        self.ids: set[str] | None = None  # kb entity ids known to exist (of those asked)
        self.asked_ids: set[str] = set()
        lookups: set[str] = set()
        values: dict[str, set[str]] = {kind: set() for kind in _RK_KINDS}
        ids: set[str] = set()
        for entity in analysis.entities:
            ids.add(new_kb_id(_seed(entity, analysis.document.id)))
            if entity.anonymous:
                continue
            prof = _profile_of(entity)
            if not prof.keys:
                continue
            sets = _block_sets(entity, prof)
            self.sets[entity.id] = (entity, sets)
            self.profiles[entity.id] = (entity, prof)
            lookups.update(sets[0])
            values["short"].update(sets[1])
            values["acronym"].update(sets[2])
            values["gaz"].update(sets[3])
        if ids and len(ids) <= PREFETCH_MAX_KEYS:
            self.ids = set(conn.execute(_Q_IDS_EXIST, {"ids": sorted(ids)}).scalars())
            self.asked_ids = ids
        if lookups and len(lookups) <= PREFETCH_MAX_KEYS:
            rows = conn.execute(_Q_NAME_PREFETCH, {"keys": sorted(lookups)}).all()
            if len(rows) <= PREFETCH_MAX_ROWS:
                self.names = {k: set() for k in lookups}
                for r in rows:
                    self.names[r.key].add(r.kb_entity)
        if any(values.values()) and sum(len(v) for v in values.values()) <= PREFETCH_MAX_KEYS:
            rows = conn.execute(_Q_RK_PREFETCH, {f"v_{kind}": sorted(v) for kind, v in values.items()}).all()
            if len(rows) <= PREFETCH_MAX_ROWS:
                self.keys = {(kind, v): set() for kind, vs in values.items() for v in vs}
                for r in rows:
                    self.keys[(r.kind, r.value)].add(r.kb_entity)

    def take_profile(self, entity) -> M.Profile | None:
        got = self.profiles.pop(entity.id, None)
        return got[1] if got is not None and got[0] is entity else None

    def block_sets(self, entity) -> tuple | None:
        got = self.sets.get(entity.id)
        return got[1] if got is not None and got[0] is entity else None

    def name_block(self, lookup: list[str]) -> set[str] | None:
        if self.names is None or any(k not in self.names for k in lookup):
            return None
        found: set[str] = set()
        for k in lookup:
            found |= self.names[k]
        return found if len(found) <= MAX_BLOCK else None

    def key_block(self, wanted: list[tuple[str, str]]) -> set[str] | None:
        if self.keys is None or any(w not in self.keys for w in wanted):
            return None
        found: set[str] = set()
        for w in wanted:
            found |= self.keys[w]
        return found if len(found) <= MAX_BLOCK else None

    def id_exists(self, kb_id: str) -> bool | None:
        if self.ids is None or kb_id not in self.asked_ids:
            return None
        return kb_id in self.ids

    # what the document writes
    def created(self, kb_id: str) -> None:
        if self.ids is not None:
            self.ids.add(kb_id)
            self.asked_ids.add(kb_id)

    def named(self, rows: list[dict]) -> None:
        if self.names is not None:
            for r in rows:
                if r["key"] in self.names:
                    self.names[r["key"]].add(r["kb_entity"])

    def keyed(self, rows: list[dict]) -> None:
        if self.keys is not None:
            for r in rows:
                if (r["kind"], r["value"]) in self.keys:
                    self.keys[(r["kind"], r["value"])].add(r["kb_entity"])


def begin_document(conn: Connection, analysis) -> None:
    """Give the resolver the whole document before its actors are resolved one by one, so that
    each actor's context (the other actors of the document) is known from the start."""
    st = _DocState(analysis.document.id, analysis.document.outlet, analysis)
    conn.info[STATE] = st  # a previous document's unsent rows went with its rolled-back transaction
    st.prefetch = _Prefetch(conn, analysis)
    st.pending = {name: [] for name, _ in _PENDING_ORDER}


def end_document(conn: Connection, discard: bool = False) -> None:
    """Write what the document's resolution left pending and drop its read-ahead state; called
    once the document's actors are resolved, before rows that refer to kb entities are written.
    discard=True (resolution failed, the transaction is rolled back): forget the document."""
    st = conn.info.get(STATE)
    if st is None:
        return
    if discard:
        conn.info.pop(STATE, None)
        return
    _flush(conn, everything=True)
    st.prefetch = None
    st.pending = None


def _flush(conn: Connection, everything: bool = False) -> None:
    """Send the pending rows a read is about to need: kb entities, names and blocking keys; the
    judgements too when `everything` (only judged_different and merge read them, and merge
    writes judgements of its own, which must come after the earlier ones)."""
    st = conn.info.get(STATE)
    if st is None or not st.pending:
        return
    for name, stmt in _PENDING_ORDER:
        if name == "judgements" and not everything:
            continue
        rows = st.pending[name]
        if rows:
            st.pending[name] = []
            conn.execute(stmt, rows)


def _write(conn: Connection, doc_id: str, name: str, rows: list[dict]) -> None:
    """Insert rows now, or with the document's other pending rows when a document is open."""
    st = conn.info.get(STATE)
    if st is not None and st.pending is not None and st.doc_id == doc_id:
        st.pending[name].extend(rows)
        return
    conn.execute(dict(_PENDING_ORDER)[name], rows)


def _record(conn: Connection, doc_id: str, left: str, right: str, decision: str, score: float | None,
            explanation: dict | None) -> None:
    """judgements.record for the resolver's own decisions, through the pending rows."""
    _write(conn, doc_id, "judgements", [dict(left=left, right=right, decision=decision, author=RESOLVER,
                                             score=None if score is None else round(float(score), 4),
                                             explanation=explanation or {})])


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


def _profile_of(entity) -> M.Profile:
    """The name profile of a non-anonymous actor, as the resolver builds it."""
    names, weak = _identifying(entity)
    if entity.name not in names:  # not a proper name ("members", "Taliban negotiators"): stays local
        names = []
    return M.profile(names, entity.type, entity.country, weak)


def _seed(entity, doc_id: str) -> str:
    key = M.key(entity.name)
    return f"{doc_id}/{entity.id}" if entity.anonymous or not key else f"{entity.type}/{key}"


# ---- blocking ---------------------------------------------------------------------------------
def _block_sets(entity, prof: M.Profile) -> tuple[list[str], list[str], list[str], list[str]]:
    """(kb_names keys, short values, acronym values, gazetteer values) to look the actor up by."""
    names = prof.names
    keys = set(prof.keys)
    shorts = {k for n in names for k in M.short_keys(n, entity.type)}
    acronyms = {a for n in names if (a := M.acronym_key(n, entity.type))}
    acronym_names = {M.key(n) for n in names if N.looks_like_acronym(n)}
    lookup = sorted((keys | shorts | acronyms) - {""})
    return lookup, sorted(keys | shorts), sorted(acronym_names), sorted(prof.gaz)


def _block(conn: Connection, entity, prof: M.Profile, pre: "_Prefetch | None" = None) -> set[str]:
    sets = pre.block_sets(entity) if pre is not None else None
    lookup, short_vals, acronym_vals, gaz_vals = sets if sets is not None else _block_sets(entity, prof)
    found: set[str] = set()
    if lookup:
        got = pre.name_block(lookup) if pre is not None else None
        if got is None:
            _flush(conn)
            got = conn.execute(_Q_NAME_BLOCK, {"keys": lookup}).scalars()
        found.update(got)
    # its name is a short form of theirs, or both share a family name; acronyms; gazetteer entries
    if short_vals or acronym_vals or gaz_vals:
        wanted = [("short", v) for v in short_vals] + [("acronym", v) for v in acronym_vals] + [
            ("gaz", v) for v in gaz_vals]
        got = pre.key_block(wanted) if pre is not None else None
        if got is None:
            rk = S.resolve_keys
            conds = [(rk.c.kind == kind) & rk.c.value.in_(vals)
                     for kind, vals in (("short", short_vals), ("acronym", acronym_vals), ("gaz", gaz_vals)) if vals]
            _flush(conn)
            got = conn.execute(select(rk.c.kb_entity).where(or_(*conds)).distinct().limit(MAX_BLOCK)).scalars()
        found.update(got)
    return found


def _candidates(conn: Connection, raw: set[str], entity) -> dict[str, dict]:
    """canonical id -> {"row", "ids", "profile"} for the blocked ids of a compatible type."""
    _flush(conn)
    canon, info = _canonical_rows(conn, raw)
    roots = set(canon.values())
    missing = sorted(r for r in roots if r not in info)
    if missing:  # a root beyond the chain followed (canonical_map's limit): read it as well
        info.update({r.id: r for r in conn.execute(_Q_ROWS, {"ids": missing}).all()})
    rows = {rid: info[rid] for rid in sorted(roots) if rid in info}
    out: dict[str, dict] = {}
    for rid, row in rows.items():
        if row.anonymous or M.type_fit(entity.type, row.type) is None or M.name_class(row.name) == "common":
            continue
        out[rid] = {"row": row, "ids": {rid} | {i for i, c in canon.items() if c == rid}}
    if not out:
        return out
    # every name of every candidate (including entities merged into it)
    merged = conn.execute(_Q_MERGED, {"ids": sorted(out)}).all()
    for r in merged:
        out[r.merged_into]["ids"].add(r.id)
    owner = {i: c for c, v in out.items() for i in v["ids"]}
    names: dict[str, list[str]] = {c: [v["row"].name] for c, v in out.items()}
    stored: dict[str, set[str]] = {}  # kb id -> every name row it has (what _attach would read)
    read = 0
    for r in conn.execute(_Q_CAND_NAMES, {"ids": sorted(owner)}):
        read += 1
        stored.setdefault(r.kb_entity, set()).add(r.name)
        if r.how not in M.NOT_NAMES and M.name_class(r.name) != "common":
            names[owner[r.kb_entity]].append(r.name)
    complete = read < MAX_BLOCK * 50  # the read was not cut by its limit
    for c, v in out.items():
        v["profile"] = M.profile(names[c], v["row"].type, v["row"].country)
        v["known"] = stored.get(c, set()) if complete else None
    return out


def _canonical_rows(conn: Connection, ids: set[str]) -> tuple[dict[str, str], dict]:
    """judgements.canonical_map, reading the entities' rows on the way (id -> row)."""
    return follow_merges(conn, ids, _Q_ROWS_CHAIN)


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
                _flush(conn)
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
    _flush(conn)
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
    prof = (st.prefetch.take_profile(entity) if st.prefetch is not None else None) or _profile_of(entity)
    if not prof.keys:
        kb_id = _create(conn, entity, doc_id)
        st.resolved.add(kb_id)
        return kb_id
    raw = _block(conn, entity, prof, st.prefetch)
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
                _flush(conn, everything=True)
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
        _attach(conn, kb_id, entity, doc_id, cands[chosen]["row"], cands[chosen].get("known"))
    for score, why, cid in scored[:4]:
        if cid == chosen or (chosen is not None and cid in {s[2] for s in above} and _bridged(conn, cid, chosen)):
            _record(conn, doc_id, cid, me, "same", score, why)
        else:
            if chosen is None and score >= M.THRESHOLD:
                why = {**why, "ambiguous": True}
            _record(conn, doc_id, cid, me, "different", score, why)
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
    _flush(conn)
    return canonical_map(conn, [cid]).get(cid) == chosen


# ---- writing ----------------------------------------------------------------------------------
def _create(conn: Connection, entity, doc_id: str) -> str:
    key = M.key(entity.name)
    kb_id = new_kb_id(_seed(entity, doc_id))
    st = conn.info.get(STATE)
    pre = st.prefetch if st is not None and st.doc_id == doc_id else None
    exists = pre.id_exists(kb_id) if pre is not None else None
    if exists is None:
        _flush(conn)
        exists = conn.execute(_Q_ID_EXISTS, {"id": kb_id}).first() is not None
    if exists:
        kb_id = new_kb_id(f"{doc_id}/{entity.id}")
    _write(conn, doc_id, "kb_entities", [dict(
        id=kb_id, name=_display_name(entity), key=key, type=entity.type, subtype=entity.subtype,
        anonymous=entity.anonymous, country=entity.country,
    )])
    if pre is not None:
        pre.created(kb_id)
    # a kb entity created just now has no blocking keys yet (resolve_keys.kb_entity is a foreign key)
    _add_names(conn, kb_id, entity, doc_id, set(), pre, fresh=True)
    return kb_id


def _display_name(entity) -> str:
    if entity.type != "person" and not entity.anonymous:
        entry = N.gazetteer_lookup(entity.name)
        if entry is not None:
            return entry.name
    return entity.name


def _attach(conn: Connection, kb_id: str, entity, doc_id: str, row, known: set[str] | None = None) -> None:
    _flush(conn)
    if known is None:
        known = set(conn.execute(_Q_KNOWN_NAMES, {"id": kb_id}).scalars())
    else:
        known = set(known)  # read with the candidates; nothing has named kb_id since
    st = conn.info.get(STATE)
    _add_names(conn, kb_id, entity, doc_id, known, st.prefetch if st is not None and st.doc_id == doc_id else None)
    # a fuller name of a person replaces a short one ("Mujahid" -> "Zabihullah Mujahid")
    if entity.type == "person" and row.type == "person":
        better = N.best_name([row.name, entity.name], "person")
        if better != row.name and N.is_short_form(row.name, better):
            conn.execute(update(S.kb_entities).where(S.kb_entities.c.id == kb_id)
                         .values(name=better, key=M.key(better)))
    if row.country is None and entity.country:
        conn.execute(update(S.kb_entities).where(S.kb_entities.c.id == kb_id).values(country=entity.country))


def _add_names(conn: Connection, kb_id: str, entity, doc_id: str, known: set[str],
               pre: "_Prefetch | None" = None, fresh: bool = False) -> None:
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
        _write(conn, doc_id, "kb_names", rows)
        if pre is not None:
            pre.named(rows)
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
    have: set[tuple[str, str]] = set()
    if not fresh:
        _flush(conn)
        have = {(r.kind, r.value) for r in conn.execute(_Q_HAVE_KEYS, {"id": kb_id})}
    new_keys = [dict(kb_entity=kb_id, kind=kind, value=value, doc_id=doc_id) for kind, value in sorted(wanted - have)]
    if new_keys:
        _write(conn, doc_id, "resolve_keys", new_keys)
        if pre is not None:
            pre.keyed(new_keys)
