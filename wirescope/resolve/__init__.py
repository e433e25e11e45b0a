"""Cross-document entity resolution: which stored actor is a document's local actor?

`default_resolver(conn, entity, doc_id) -> kb_id` runs inside the document's write transaction,
once per actor of the document. It normalises the actor's names (wirescope.analyse.names), reads
what the document says about them (resolve.context: the countries of the document's other actors,
what a name institutions of many countries share denotes there, which full name of the document a
one-word name belongs to), blocks (indexed lookups of knowledge-base actors sharing a name key, a
short form, an acronym or an external identifier), scores each candidate with an explanation
(resolve.match), merges at or above the merge threshold (Settings.merge_threshold,
WIRESCOPE_MERGE_THRESHOLD; `configure` sets it for the process), and records the decision as a
judgement (author "resolver"). Analysts' judgements win: a "same" judgement (merged_into) sends
later mentions to the surviving entity, a "different" one blocks an automatic merge of the two.
Anonymous sources never merge across documents; only an analyst can merge them.

Choosing. The best candidate wins, an older actor before a younger one on a tie; two candidates that
fit about as well are merged when they score as one actor themselves (same external identifier,
same full name without conflict), else the best is taken: a tie never creates an actor. A one-word
name of a person ("Khan") goes to a bearer of it only when the document or the knowledge base
leaves one. An actor keeps its id: a merge keeps the older of the two ids, and undoing it
(judgements.unmerge_one, split) gives the absorbed actor its own id back.

When a document names an actor by two names that the knowledge base still holds as two actors
("Abu Talha al-Kabuli, whose real name is Abdul Basir Wardak"), the document bridges them: the two
are merged, with the document as the evidence (unless a judgement says they differ).

Work per document is bounded, whatever the size of the knowledge base: the blocking lookups of all
its actors are read ahead in one query per table, and at most CONTEXT_BUDGET candidates' contexts
are read for one document, each from the candidate's context summary (resolve.summary: the actors
and countries of its documents, kept up to date as documents are written), one indexed read of
the document's own context actors, never the candidate's documents.
"""
from __future__ import annotations

from sqlalchemy import bindparam, literal, or_, select, union_all, update
from sqlalchemy.engine import Connection

from wirescope.analyse import names as N
from wirescope.resolve import context as C
from wirescope.resolve import match as M
from wirescope.resolve import persons as P
from wirescope.resolve import cache as RC
from wirescope.resolve import summary as CS
from wirescope.resolve.judgements import (
    RESOLVER, canonical_map, follow_merges, judged_different, merge, new_kb_id,
)
from wirescope.resolve.state import (
    MAX_BLOCK, Q_NAME_BLOCK, STATE, DocState, Prefetch, flush, prefetch_of, record, state, write,
)
from wirescope.resolve.state import end_document as _end_state
from wirescope.store import schema as S

__all__ = ["default_resolver", "begin_document", "end_document", "name_key", "new_kb_id", "configure",
           "merge_threshold"]

CONTEXT_BUDGET = 40  # candidate contexts read per document (more candidates: scored on names alone)
CONTEXT_PER_ACTOR = 4  # candidates per actor whose context is read (the best by name)
SCORE_MAX = 16  # candidates scored per actor: the established ones its names reach best (bounded work)
CONTEXT_COUNTRIES = 30  # countries of its documents kept per actor (resolve_keys kind "ctx")
CONTEXT_YEARS = 40  # publication years of its documents kept per person (resolve_keys kind "year")
BRIDGE_MIN = 0.95  # name evidence both sides of an alias bridge must reach
IN_DOCUMENT = 0.9  # the confidence recorded for a name the document itself ties to a fuller one
LINKED = "in-document"  # how a one-word name tied to a fuller one in its document is kept (not a name)

_nm, _rk, _ke = S.kb_names, S.resolve_keys, S.kb_entities
_Q_ID_EXISTS = select(_ke.c.id).where(_ke.c.id == bindparam("id"))
_Q_ROWS_CHAIN = (select(_ke.c.id, _ke.c.merged_into, _ke.c.name, _ke.c.type, _ke.c.anonymous, _ke.c.country)
                 .where(_ke.c.id.in_(bindparam("ids", expanding=True))))
# a candidate's members, then its names and keys in one read (two round trips per cache miss; plain
# IN lists on indexed columns, which every planner reads through the index)
_Q_ROWS_MEMBERS = (select(_ke.c.id, _ke.c.merged_into, _ke.c.name, _ke.c.type, _ke.c.anonymous, _ke.c.country)
                   .where(or_(_ke.c.id.in_(bindparam("ids", expanding=True)),
                              _ke.c.merged_into.in_(bindparam("ids", expanding=True)))))
_Q_CAND_ALL = union_all(
    select(literal("n").label("src"), _nm.c.id, _nm.c.kb_entity, _nm.c.name.label("a"), _nm.c.how.label("b"))
    .where(_nm.c.kb_entity.in_(bindparam("ids", expanding=True)))
    .order_by(_nm.c.kb_entity, _nm.c.id).limit(MAX_BLOCK * 50).subquery().select(),
    select(literal("k"), _rk.c.id, _rk.c.kb_entity, _rk.c.kind, _rk.c.value)
    .where(_rk.c.kb_entity.in_(bindparam("ids", expanding=True)))
    .order_by(_rk.c.kb_entity, _rk.c.id).limit(MAX_BLOCK * 50).subquery().select(),
)
_Q_KNOWN_NAMES = select(_nm.c.name).where(_nm.c.kb_entity == bindparam("id"))
_Q_HAVE_KEYS = select(_rk.c.kind, _rk.c.value).where(_rk.c.kb_entity == bindparam("id"))
_threshold: float | None = None


def configure(settings) -> None:
    """Use the merge threshold of these Settings from now on (in this process)."""
    global _threshold
    _threshold = float(settings.merge_threshold)


def merge_threshold() -> float:
    """The score at or above which the resolver merges: as configured, else the environment's
    Settings (WIRESCOPE_MERGE_THRESHOLD), else match.THRESHOLD."""
    global _threshold
    if _threshold is None:
        from wirescope.settings import Settings

        _threshold = float(Settings.from_env().merge_threshold)
    return _threshold


def name_key(name: str) -> str:
    return M.key(name)


# ---- the document -----------------------------------------------------------------------------
def begin_document(conn: Connection, analysis) -> None:
    """Give the resolver the whole document before its actors are resolved one by one, so that
    each actor's context (the other actors of the document, their countries) is known from the start."""
    CS.ensure(conn)  # a knowledge base made before the context summaries gets them once
    st = DocState(analysis.document.id, analysis.document.outlet, analysis)
    st.cache = RC.begin(conn)
    conn.info[STATE] = st  # a previous document's unsent rows went with its rolled-back transaction
    st.entities = {e.id: e for e in analysis.entities}
    st.countries = C.document_countries(analysis.entities)
    specific = set()
    for e in analysis.entities:
        if not e.anonymous:
            prof = _profile_of(e, st)
            st.profiles[e.id] = prof
            if prof.gaz:
                specific.add(e.id)
    st.links = C.doc_links(analysis.entities, specific)
    st.prefetch = Prefetch(conn, analysis, lambda e: _profile(e, st), _block_sets,
                           lambda e: new_kb_id(_seed(e, analysis.document.id)))
    st.pending = {name: [] for name in ("kb_entities", "kb_names", "resolve_keys", "judgements")}


def _names_of(entity) -> list[str]:
    return [n for n in dict.fromkeys([entity.name, *entity.aliases]) if n and n.strip()]


def _how(entity, name: str) -> str:
    return "canonical" if name == entity.name else entity.alias_sources.get(name, "alias")


def _identifying(entity) -> tuple[list[str], set[str]]:
    """The names that can identify the actor across documents, and which of them are weak."""
    names, weak = [], set()
    for n in _names_of(entity):
        how = _how(entity, n)
        if how in M.NOT_NAMES or M.name_class(n) == "common":
            continue
        names.append(n)
        if how in M.WEAK_HOWS:
            weak.add(n)
    return names, weak


def _profile_of(entity, st: DocState | None = None) -> M.Profile:
    """The profile of a non-anonymous actor, as the resolver builds it: its names (and fuller names
    its mentions give), what they denote in the document's country context, its gender."""
    names, weak = _identifying(entity)
    if entity.name not in names:  # not a proper name ("members", "Taliban negotiators"): stays local
        names = []
    extra = [n for n in C.mention_names(entity) if n not in names] if names else []
    countries = set(C.context_of(st.countries, entity.id)) if st is not None else set()
    where = countries | ({entity.country} if entity.country and entity.type != "location" else set())
    # what its own names denote first: a coreferent short form ("Taliban" of "Pakistani Taliban")
    # names the actor only when no fuller name of it denotes a well-known actor of its own
    strong = [n for n in names if n not in weak]
    read = C.readings(strong, entity.type, where, getattr(entity, "geo", None)) if strong else None
    if read is None or not read.ids:
        read = C.readings(names, entity.type, where, getattr(entity, "geo", None))
    if entity.country:
        countries.add(entity.country)
    own = None if _guessed_country(entity) else entity.country
    prof = M.profile([*names, *extra], entity.type, own, weak | set(extra), ids=read.ids,
                     maybe=read.maybe, generic=read.generic)
    prof.countries = countries
    if entity.type == "person" and names:
        prof.gender = P.gender(names, [m.text for m in entity.mentions])
    year = _year(st.analysis) if st is not None else None
    if year is not None:
        prof.years = {year}
    return prof


def _guessed_country(entity) -> bool:
    """A place the gazetteer lacks, which the places stage put inside the country the document is
    about ("Lockerbie" inside whichever country the report names): its country is a guess, no
    evidence against another report's place of that name."""
    geo = getattr(entity, "geo", None) or {}
    return entity.type == "location" and str(geo.get("how") or "").startswith("inside ")


def _year(analysis) -> int | None:
    """The publication year of the document being resolved, or None."""
    published = getattr(getattr(analysis, "document", None), "published", None)
    text = str(published or "")[:4]
    return int(text) if len(text) == 4 and text.isdigit() else None


def _profile(entity, st: DocState | None) -> M.Profile:
    if st is not None and entity.id in st.profiles and st.entities.get(entity.id) is entity:
        return st.profiles[entity.id]
    return _profile_of(entity, st)


def _seed(entity, doc_id: str) -> str:
    key = M.key(entity.name)
    return f"{doc_id}/{entity.id}" if entity.anonymous or not key else f"{entity.type}/{key}"


# ---- blocking ---------------------------------------------------------------------------------
def _block_sets(entity, prof: M.Profile) -> tuple[list[str], list[str], list[str], list[str]]:
    """(kb_names keys, short values, acronym values, gazetteer values) to look the actor up by."""
    names = prof.names
    keys = set(prof.keys)
    shorts = {M.lookup_key(k) for n in names for k in M.short_keys(n, entity.type)}
    variants = set()
    for n in names:
        variants.add(M.key(P.dehyphen(n)))
        if entity.type == "person":
            parsed = P.parse(n)
            if len(parsed.units) == 1:
                variants.add(M.key(N.strip_titles(n)[0]))

    acronyms = {a for n in names if (a := M.acronym_key(n, entity.type))}
    acronym_names = {M.key(n.replace("-", "")) for n in names if M.looks_like_acronym(n)}
    acronym_names |= {M.key(n) for n in names if M.looks_like_acronym(n)}
    lookup = sorted((keys | shorts | acronyms | variants | acronym_names) - {""})
    return lookup, sorted((keys | shorts | variants) - {""}), sorted(acronym_names - {""}), sorted(prof.gaz)


def _block(conn: Connection, entity, prof: M.Profile, pre: Prefetch | None = None) -> set[str]:
    sets = pre.block_sets(entity) if pre is not None else None
    lookup, short_vals, acronym_vals, gaz_vals = sets if sets is not None else _block_sets(entity, prof)
    found: set[str] = set()
    if lookup:
        got = pre.name_block(lookup) if pre is not None else None
        if got is None:
            flush(conn)
            got = conn.execute(Q_NAME_BLOCK, {"keys": lookup}).scalars()
        found.update(got)
    # its name is a short form of theirs, or both share a family name; acronyms; identifiers
    if short_vals or acronym_vals or gaz_vals:
        wanted = [("short", v) for v in short_vals] + [("acronym", v) for v in acronym_vals] + [
            ("gaz", v) for v in gaz_vals]
        got = pre.key_block(wanted) if pre is not None else None
        if got is None:
            rk = S.resolve_keys
            conds = [(rk.c.kind == kind) & rk.c.value.in_(vals)
                     for kind, vals in (("short", short_vals), ("acronym", acronym_vals), ("gaz", gaz_vals)) if vals]
            flush(conn)
            got = conn.execute(select(rk.c.kb_entity).where(or_(*conds)).distinct().limit(MAX_BLOCK)).scalars()
        found.update(got)
    return found


def _candidates(conn: Connection, raw: set[str], entity, prof: M.Profile | None = None) -> dict[str, dict]:
    """canonical id -> {"row", "ids", "profile", "known", "keys"} for the blocked ids (not anonymous,
    not named by a common noun). What was read of an actor is kept for the next documents
    (resolve.cache): an actor seen again costs no read. With `prof` (the document actor's profile),
    at most SCORE_MAX of them: those sharing its gazetteer identity, then its exact name, then the
    oldest, so that the work per actor stays bounded however many namesakes a name reaches."""
    flush(conn, ids=raw)  # a blocked actor written by this document must be readable
    st = conn.info.get(STATE)
    cache = st.cache if st is not None else None
    canon: dict[str, str] = {}
    info: dict = {}
    unknown = set(raw)
    if cache is not None:
        for i in raw:
            c = cache.root(i)
            if c is not None:
                canon[i] = c
        unknown -= set(canon)
    if unknown:
        found, read_rows = follow_merges(conn, unknown, _Q_ROWS_CHAIN)
        canon.update(found)
        info.update(read_rows)
        if cache is not None:
            for i, c in found.items():
                cache.put_canon(i, c)
    roots = sorted(set(canon.values()))
    chained = {}  # root -> the blocked ids that lead to it
    for i, c in canon.items():
        chained.setdefault(c, set()).add(i)
    entries: dict[str, dict] = {}
    misses = []
    for rid in roots:
        got = cache.entries.get(rid) if cache is not None else None
        if got is not None and chained[rid] <= got["ids"]:
            entries[rid] = got
        else:
            misses.append(rid)
    if misses:
        entries.update(_read_candidates(conn, misses, chained, info, cache))
    out: dict[str, dict] = {}
    listed = [rid for rid in roots if entries.get(rid) is not None and not entries[rid]["row"].anonymous
              and M.name_class(entries[rid]["row"].name) != "common"]
    if prof is not None and len(listed) > SCORE_MAX:
        listed = sorted(listed, key=lambda rid: _prior(entries[rid], prof, rid))[:SCORE_MAX]
    for rid in listed:
        entry = entries[rid]
        row = entry["row"]
        if M.type_fit(entity.type, row.type) is None and "person" in (entity.type, row.type) \
                and not (M.looks_like_acronym(entity.name) or M.looks_like_acronym(row.name)) \
                and not C.country_named(entity.name if entity.type == "person" else row.name):
            continue  # a person and a non-person meet only through an initialism ("MBS") or a country's name
        mine = entry["keys"]
        gaz = {value: row.name for kind, value in mine if kind == "gaz"}
        genders = {value for kind, value in mine if kind == "gender"}
        cp = M.profile(entry["names"], row.type, row.country, ids=gaz or None)
        cp.gender = next(iter(genders)) if len(genders) == 1 else None
        cp.countries = {value for kind, value in mine if kind == "ctx"}
        cp.years = {int(value) for kind, value in mine if kind == "year" and value.isdigit()}
        cp.oldest = entry["oldest"]
        out[rid] = {"row": row, "ids": set(entry["ids"]), "profile": cp, "known": entry["known"],
                    "keys": entry["own_keys"]}
    return out


def _prior(entry: dict, prof: M.Profile, rid: str) -> tuple:
    """How promising a blocked candidate is before it is scored (smaller first): its gazetteer
    identity is the actor's, a name of it has the actor's exact name key, then the oldest."""
    gaz = {value for kind, value in entry["keys"] if kind == "gaz"}
    exact = any(M.key(n) in prof.keys for n in entry["names"])
    return (not (gaz & set(prof.gaz)), not exact, entry["oldest"], rid)


def _read_candidates(conn: Connection, roots: list[str], chained: dict, info: dict, cache) -> dict[str, dict]:
    """The entries of actors not in the cache: row, ids (with everything merged into it), names
    (the display name first), the first name row's id (its age), the names and keys of its own."""
    members: dict[str, set[str]] = {}
    wanted = set(roots)
    for r in conn.execute(_Q_ROWS_MEMBERS, {"ids": sorted(roots)}).all():  # rows and members, one read
        if r.id in wanted:
            info.setdefault(r.id, r)
        if r.merged_into in wanted:
            members.setdefault(r.merged_into, set()).add(r.id)
    out: dict[str, dict] = {}
    rows = {}
    for rid in roots:
        row = info.get(rid)
        if row is None:
            continue
        if row.anonymous or M.name_class(row.name) == "common":  # never a candidate: nothing more to read
            out[rid] = {"row": row, "ids": frozenset({rid} | chained.get(rid, set()))}
            if cache is not None:
                cache.put(rid, out[rid])
            continue
        rows[rid] = row
    if not rows:
        return out
    ids = {rid: {rid} | chained.get(rid, set()) | members.get(rid, set()) for rid in rows}
    owner = {i: c for c, v in ids.items() for i in v}
    flush(conn, ids=set(owner))
    name_rows, key_rows = [], []
    for r in conn.execute(_Q_CAND_ALL, {"ids": sorted(owner)}).all():
        (name_rows if r.src == "n" else key_rows).append(r)
    names: dict[str, list[str]] = {c: [rows[c].name] for c in rows}
    oldest: dict[str, int] = {}
    stored: dict[str, set[str]] = {}  # kb id -> every name row it has (what _attach would read)
    for r in sorted(name_rows, key=lambda r: (r.kb_entity, r.id)):
        stored.setdefault(r.kb_entity, set()).add(r.a)
        c = owner[r.kb_entity]
        oldest[c] = min(oldest.get(c, r.id), r.id)
        if r.b not in M.NOT_NAMES and r.b != LINKED and M.name_class(r.a) != "common":
            names[c].append(r.a)
    complete = len(name_rows) < MAX_BLOCK * 50  # the read was not cut by its limit
    keys: dict[str, set[tuple[str, str]]] = {}
    own_keys: dict[str, set[tuple[str, str]]] = {}
    for r in key_rows:
        keys.setdefault(owner[r.kb_entity], set()).add((r.a, r.b))
        own_keys.setdefault(r.kb_entity, set()).add((r.a, r.b))
    complete_keys = len(key_rows) < MAX_BLOCK * 50
    for c, row in rows.items():
        out[c] = entry = {"row": row, "ids": frozenset(ids[c]), "names": names[c], "oldest": oldest.get(c, 1 << 62),
                          "keys": frozenset(keys.get(c, ())),
                          "known": frozenset(stored.get(c, ())) if complete else None,
                          "own_keys": frozenset(own_keys.get(c, ())) if complete_keys else None}
        if cache is not None:  # a read cut by its limit is cut the same way next time: kept as well
            cache.put(c, entry)
    return out


# ---- context ----------------------------------------------------------------------------------
_context_actor = CS.is_context_actor


def _doc_context(conn: Connection, st: DocState, entity, own_keys: set[str]) -> set[str]:
    """The knowledge-base actors the other actors of this document denote (by exact name key),
    plus those resolved so far."""
    if st.by_key is None:
        st.by_key = {}
        analysis = st.analysis
        if analysis is not None:
            keys = {M.key(n) for e in analysis.entities if _context_actor(e.name, e.type, e.anonymous)
                    for n in [e.name, *e.aliases]} - {""}
            if keys:
                flush(conn)
                rows = conn.execute(select(_nm.c.key, _nm.c.kb_entity).where(_nm.c.key.in_(sorted(keys))).distinct()
                                    .limit(MAX_BLOCK * 5)).all()
                canon = canonical_map(conn, {r.kb_entity for r in rows})
                for r in rows:
                    st.by_key.setdefault(r.key, set()).add(canon.get(r.kb_entity, r.kb_entity))
    found = set(st.resolved)
    for k, ids in st.by_key.items():
        if k not in own_keys:
            found |= ids
    return found


def _candidate_context(conn: Connection, ids: set[str], doc_context: set[str], st: DocState,
                       root: str) -> tuple[set[str], set[str]]:
    """(the actors of `doc_context` that co-occur with the candidate `ids` in its documents, the
    countries of its documents), from the candidate's context summary: one indexed read, whatever
    the number of its documents."""
    context = CS.members_of(conn, doc_context, st.context_members)
    wanted = {m: c for m, c in context.items() if c in doc_context}
    return CS.shared(conn, ids, wanted, root, st.cache)


def _context_of(conn: Connection, st: DocState, ids: set[str], doc_context: set[str],
                root: str) -> tuple[set[str], set[str]] | None:
    key = frozenset(ids)
    if key not in st.context_cache:
        if st.context_calls >= CONTEXT_BUDGET:
            return None
        st.context_calls += 1
        st.context_cache[key] = {}
    known = st.context_cache[key]
    ctx = frozenset(doc_context)
    if ctx not in known:
        known[ctx] = _candidate_context(conn, ids, doc_context, st, root)
    return known[ctx]


def end_document(conn: Connection, discard: bool = False) -> None:
    """Write what the document's resolution left pending, add the document to its actors' context
    summaries, and drop the document's state (discard=True: resolution failed, forget it)."""
    st = conn.info.get(STATE)
    if st is not None and not discard and st.analysis is not None:
        _end_state(conn)
        if st.cache is not None:
            RC.end(conn)
        CS.record(conn, st.doc_id, [(st.kb_of[e.id], e.name, e.type, e.country, getattr(e, "geo", None), e.anonymous)
                                     for e in st.analysis.entities if e.id in st.kb_of])
        return
    _end_state(conn, discard)


# ---- the resolver -----------------------------------------------------------------------------
def default_resolver(conn: Connection, entity, doc_id: str) -> str:
    st = state(conn, doc_id)
    done = st.kb_of.get(entity.id)
    if done is not None and st.entities.get(entity.id) is entity:
        return done  # resolved already, as the fuller name another actor of the document is
    kb_id = _resolve(conn, st, entity, doc_id)
    if st.entities.get(entity.id) is entity:
        st.kb_of[entity.id] = kb_id
    return kb_id


def _resolve(conn: Connection, st: DocState, entity, doc_id: str) -> str:
    if entity.anonymous:
        return _create(conn, entity, doc_id, None)
    target = st.entities.get(st.links.get(entity.id, ""))
    if target is not None and st.entities.get(entity.id) is entity:
        return _link(conn, st, entity, target, doc_id)
    prof = _profile(entity, st)
    if not prof.keys:
        return _create(conn, entity, doc_id, prof)
    raw = _block(conn, entity, prof, prefetch_of(conn, doc_id))
    cands = _candidates(conn, raw, entity, prof) if raw else {}
    scored = []
    for cid, cand in cands.items():
        score, why = M.score_pair(prof, cand["profile"])
        if why.get("names") or why.get("blocked"):
            scored.append([score, why, cid])
    threshold = merge_threshold()
    live = [s for s in scored if s[1].get("names") and not s[1].get("blocked")]
    reach = threshold - M.CONTEXT_MAX - M.SHARED_COUNTRY
    if len(live) > 1 or (prof.bare and live) or any(s[1]["names"][0]["score"] < threshold and s[0] >= reach
                                                     for s in live):
        # names (and the countries of both sides) do not settle it: bring in the actors both sides' documents share
        doc_context = _doc_context(conn, st, entity, set(prof.keys))
        live.sort(key=lambda s: (-s[0], cands[s[2]]["profile"].oldest))
        for item in live[:CONTEXT_PER_ACTOR]:
            cand = cands[item[2]]
            got = _context_of(conn, st, cand["ids"], doc_context - cand["ids"], item[2])
            if got is None:
                continue
            context, countries = got
            cand["profile"].context = context - cand["ids"]  # an actor is no context for itself
            cand["profile"].countries |= countries
            prof.context = doc_context - cand["ids"]
            item[0], item[1] = M.score_pair(prof, cand["profile"])
    _one_bearer(prof, cands, scored)
    own = M.key(entity.name)  # on a tie, the actor known by this very name, then the oldest
    scored.sort(key=lambda s: (-s[0], M.key(cands[s[2]]["row"].name) != own, cands[s[2]]["profile"].oldest, s[2]))
    me = f"{doc_id}/{entity.id}"
    above = [s for s in scored if s[0] >= threshold]
    chosen = None
    if above:
        best = above[0]
        chosen = best[2]
        for other in above[1:]:
            if _bridges(best, other) or _one_actor(cands[chosen], cands[other[2]], threshold):
                flush(conn, everything=True)
                if not judged_different(conn, cands[chosen]["ids"], cands[other[2]]["ids"]):
                    action = "alias bridge" if _bridges(best, other) else "same actor twice"
                    keep, drop = _older(cands, chosen, other[2])
                    RC.merged(conn, keep, drop)
                    chosen = merge(conn, keep, drop, RESOLVER, score=min(best[0], other[0]), explanation={
                        "action": action, "document": doc_id, "actor": entity.id,
                        "left": best[1].get("names", [])[:1], "right": other[1].get("names", [])[:1]})
                    cands[chosen] = cands[keep]
                    continue
                # judged different: the actor goes with the one its own name matches, if only one
                if _matched_by(other) == entity.name != _matched_by(best):
                    best, chosen = other, other[2]
    if chosen is None:
        kb_id = _create(conn, entity, doc_id, prof)
    else:
        kb_id = chosen
        _attach(conn, kb_id, entity, doc_id, cands[chosen], prof)
    for score, why, cid in scored[:4]:
        if cid == chosen or (chosen is not None and score >= threshold and _bridged(conn, cid, chosen)):
            record(conn, doc_id, cid, me, "same", score, why)
        else:
            record(conn, doc_id, cid, me, "different", score, why)
    if _context_actor(entity.name, entity.type, entity.anonymous) and not prof.generic:
        st.resolved.add(kb_id)
    return kb_id


def _one_bearer(prof: M.Profile, cands: dict, scored: list) -> None:
    """A one-word name of a person goes to its bearer when the knowledge base leaves one (or, with
    no bearer, to the one actor known by that word alone); a full name takes up the one actor known
    by its family name alone. Rescores that candidate as `unique`."""
    if prof.type != "person":
        return
    bare_items = [s for s in scored if not s[1].get("blocked") and s[1].get("names")
                  and s[1]["names"][0]["how"] in M.BARE_HOWS]
    if not bare_items:
        return
    alone = [s for s in bare_items if cands[s[2]]["profile"].bare]
    if prof.bare:
        bearers = [s for s in bare_items if not cands[s[2]]["profile"].bare]
        picks = alone + (bearers if len(bearers) == 1 else [])
    else:
        picks = alone if len(alone) == 1 else []
    for pick in picks:
        pick[0], pick[1] = M.score_pair(prof, cands[pick[2]]["profile"], unique=True)


def _one_actor(a: dict, b: dict, threshold: float) -> bool:
    """Two candidates that score as one actor between themselves (the evidence supports a merge)."""
    pa, pb = a["profile"], b["profile"]
    if pa.gaz and pb.gaz:
        return bool(set(pa.gaz) & set(pb.gaz))
    score, why = M.score_pair(pa, pb)
    return score >= threshold and (why.get("names") or [{}])[0].get("how") in ("gazetteer", "same key")


def _older(cands: dict, a: str, b: str) -> tuple[str, str]:
    """(keep, drop): the older actor keeps its id."""
    ka = (cands[a]["profile"].oldest, a)
    kb = (cands[b]["profile"].oldest, b)
    return (a, b) if ka <= kb else (b, a)


def _bridges(best: list, other: list) -> bool:
    """Two candidates matched strongly by two different names of the document's actor."""
    a, b = best[1].get("names") or [], other[1].get("names") or []
    if not a or not b or a[0]["score"] < BRIDGE_MIN or b[0]["score"] < BRIDGE_MIN:
        return False
    return M.key(a[0]["left"]) != M.key(b[0]["left"])


def _matched_by(item: list) -> str | None:
    names = item[1].get("names") or []
    return names[0]["left"] if names else None


def _bridged(conn: Connection, cid: str, chosen: str) -> bool:
    flush(conn, ids={cid})
    return canonical_map(conn, [cid]).get(cid) == chosen


def _link(conn: Connection, st: DocState, entity, target, doc_id: str) -> str:
    """The actor is the document's fuller-named `target` ("Xi" of "Xi Jinping")."""
    kb_id = default_resolver(conn, target, doc_id)
    flush(conn, ids={kb_id})
    known = set(conn.execute(_Q_KNOWN_NAMES, {"id": kb_id}).scalars())
    rows = [dict(kb_entity=kb_id, name=n, key=M.key(n), how=LINKED, doc_id=doc_id)
            for n in _names_of(entity) if n not in known]
    if rows:
        RC.forget(conn, kb_id)
        write(conn, doc_id, "kb_names", rows)
        pre = prefetch_of(conn, doc_id)
        if pre is not None:
            pre.named(rows)
    record(conn, doc_id, kb_id, f"{doc_id}/{entity.id}", "same", IN_DOCUMENT, {
        "names": [{"how": LINKED, "left": entity.name, "right": target.name, "score": IN_DOCUMENT}],
        "in_document": target.id, "score": IN_DOCUMENT})
    return kb_id


# ---- writing ----------------------------------------------------------------------------------
def _create(conn: Connection, entity, doc_id: str, prof: M.Profile | None) -> str:
    key = M.key(entity.name)
    kb_id = new_kb_id(_seed(entity, doc_id))
    pre = prefetch_of(conn, doc_id)
    exists = pre.id_exists(kb_id) if pre is not None else None
    if exists is None:
        flush(conn, ids={kb_id})
        exists = conn.execute(_Q_ID_EXISTS, {"id": kb_id}).first() is not None
    if exists:
        kb_id = new_kb_id(f"{doc_id}/{entity.id}")
    name, kind = _display(entity, prof)
    write(conn, doc_id, "kb_entities", [dict(
        id=kb_id, name=name, key=key, type=kind, subtype=entity.subtype,
        anonymous=entity.anonymous, country=entity.country,
    )])
    if pre is not None:
        pre.created(kb_id)
    # a kb entity created just now has no blocking keys yet (resolve_keys.kb_entity is a foreign key)
    _add_names(conn, kb_id, entity, doc_id, set(), prof, pre, have=set())
    return kb_id


def _display(entity, prof: M.Profile | None) -> tuple[str, str]:
    """The name and type a new kb actor gets: a well-known actor's own name (an initialism of a
    person, "MBS", makes a person)."""
    if entity.anonymous or prof is None or len(prof.gaz) != 1:
        return entity.name, entity.type
    entry = N.variant_index().by_id.get(next(iter(prof.gaz)))
    if entry is None:
        return entity.name, entity.type
    if entry.type == "person" and entity.type != "person":
        return entry.name, "person"
    if entity.type != "person":
        return entry.name, entity.type
    if entry.id.startswith("iso:"):  # a country the tagger took for a person
        return entry.name, "location"
    return entity.name, entity.type


def _attach(conn: Connection, kb_id: str, entity, doc_id: str, cand: dict, prof: M.Profile) -> None:
    flush(conn, ids={kb_id})
    row, known = cand["row"], cand.get("known")
    if known is None:
        known = set(conn.execute(_Q_KNOWN_NAMES, {"id": kb_id}).scalars())
    else:
        known = set(known)  # read with the candidates; nothing has named kb_id since
    have = set(cand["keys"]) if cand.get("keys") is not None else None
    _add_names(conn, kb_id, entity, doc_id, known, prof, prefetch_of(conn, doc_id), have=have)
    # a fuller name of a person replaces a short one ("Mujahid" -> "Zabihullah Mujahid")
    if entity.type == "person" and row.type == "person":
        better = N.best_name([row.name, entity.name], "person")
        if better != row.name and (N.is_short_form(row.name, better) or P.family_short_form(row.name, better)):
            RC.forget(conn, kb_id)
            conn.execute(update(S.kb_entities).where(S.kb_entities.c.id == kb_id)
                         .values(name=better, key=M.key(better)))
    if row.country is None and entity.country:
        RC.forget(conn, kb_id)
        conn.execute(update(S.kb_entities).where(S.kb_entities.c.id == kb_id).values(country=entity.country))


def _add_names(conn: Connection, kb_id: str, entity, doc_id: str, known: set[str], prof: M.Profile | None,
               pre: Prefetch | None = None, have: set[tuple[str, str]] | None = None) -> None:
    """Every new name (first seen in this document) and the blocking keys it brings; what the
    names denote here and the actor's gender."""
    rows = []
    new_names = []
    extra = C.mention_names(entity) if prof is not None else []
    for name in [*_names_of(entity), *[n for n in extra if n not in _names_of(entity)]]:
        if name in known:
            continue
        how = _how(entity, name) if name in _names_of(entity) else "mention"
        rows.append(dict(kb_entity=kb_id, name=name, key=M.key(name), how=how, doc_id=doc_id))
        new_names.append(name)
        known.add(name)
    if rows:
        RC.forget(conn, kb_id)
        write(conn, doc_id, "kb_names", rows)
        if pre is not None:
            pre.named(rows)
    if entity.anonymous or prof is None:
        return
    wanted: set[tuple[str, str]] = set()
    usable = set(_identifying(entity)[0]) | set(extra)
    for name in new_names:
        if name not in usable:
            continue
        wanted.update(("short", k) for k in M.short_keys(name, entity.type))
        if a := M.acronym_key(name, entity.type):
            wanted.add(("acronym", a))
    wanted.update(("gaz", g) for g in prof.gaz)
    if prof.gender:
        wanted.add(("gender", prof.gender))
    # the countries of its documents, up to CONTEXT_COUNTRIES (an actor of more is at home everywhere)
    if have is None or sum(1 for k, _ in have if k == "ctx") < CONTEXT_COUNTRIES:
        wanted.update(("ctx", c) for c in sorted(prof.countries)[:CONTEXT_COUNTRIES])
    # the publication years of its documents (people only: they tell a father from a son)
    if entity.type == "person" and (have is None or sum(1 for k, _ in have if k == "year") < CONTEXT_YEARS):
        wanted.update(("year", str(y)) for y in sorted(prof.years))
    if not wanted:
        return
    if have is None:
        flush(conn, ids={kb_id})
        have = {(r.kind, r.value) for r in conn.execute(_Q_HAVE_KEYS, {"id": kb_id})}
    new_keys = [dict(kb_entity=kb_id, kind=kind, value=value, doc_id=doc_id) for kind, value in sorted(wanted - have)]
    if new_keys:
        RC.keyed(conn, kb_id, [(k["kind"], k["value"]) for k in new_keys])
        write(conn, doc_id, "resolve_keys", new_keys)
        if pre is not None:
            pre.keyed(new_keys)
