"""Relations across articles: for each (subject, type, object) every statement for and against.

Aggregates are computed at query time from the stored relation rows (indexed by subject and
object), so ingesting a new article updates them without reanalysing anything. A row groups the
relation statements of all documents after entity merges; symmetric types (allied_with, kin_of,
agreement_with, rival_of: `symmetric: true` in analyse/data/relations.yaml) group regardless of
direction.

Each statement carries its attribution chain as the text gives it (wirescope.query.sources):
the original speaker (named, anonymous, unresolved with the words naming it, or the outlet's own
voice when no statement carries the words), who relayed it, the channel it came through and the
outlet and document that published it. A relation without a statement id whose evidence lies inside
a statement is that statement's speaker's. Independent sources are counted as an analyst counts
them: syndicated copies (documents.duplicate_of) stand for their original, and chains that share
the original speaker or the outlet (or channel) count once (`sources` lists every chain, marked
`independent` or not). `statements` lists the statements for and against side by side, by date.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from functools import lru_cache

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Connection

from wirescope.query.common import (
    _chunks, canonical_map, document_meta, entity_rows, members, members_map, resolve_entity, statement_dicts,
)
from wirescope.query.sources import (
    MODALITY, WEIGHT, chain, chain_text, dated, sources, speaker_kind, speaker_words,
)
from wirescope.store import schema as S

FALLBACK_SYMMETRIC = frozenset({"allied_with", "kin_of", "agreement_with", "rival_of"})
__all__ = ["aggregate_relations", "relation_detail", "symmetric_types", "normalise_time", "WEIGHT", "MODALITY"]
SATURATION = 0.8  # confidence = (1 - exp(-SATURATION * support)) * support / (support + against)
AFFILIATION_TYPES = ("member_of", "leader_of")
MAX_TEXT_DOCS = 200  # documents read to find the words naming unresolved speakers, per call
MAX_RELAY = 5  # enclosing statements followed up from a statement

_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?")


@lru_cache(maxsize=1)
def symmetric_types() -> frozenset[str]:
    try:
        from wirescope.vocab import relation_types

        found = frozenset(t for t, v in relation_types().items() if (v or {}).get("symmetric"))
        return found or FALLBACK_SYMMETRIC
    except Exception:  # the vocabulary file is optional for reading a knowledge base
        return FALLBACK_SYMMETRIC


def normalise_time(value: str | None) -> str | None:
    """The calendar part of a TIMEX3 value ("2020-10", "2021-03-20"), None for anything else."""
    if not value:
        return None
    m = _DATE.match(str(value))
    return m.group(0) if m else None


def _in_window(date: str | None, since: str | None, until: str | None) -> bool:
    """Whether a (possibly partial) ISO date can fall between since and until (inclusive)."""
    if not since and not until:
        return True
    if not date:
        return False
    if since and date < since[:len(date)]:
        return False
    if until and date[:len(until)] > until:
        return False
    return True


def _entity_id(conn: Connection, value: str) -> str:
    return resolve_entity(conn, value)["id"]


def _rows(conn: Connection, entity: str | None, other: str | None, type: str | None,
          keys: list[tuple[str, str, str]] | None = None, docs=None) -> list:
    r = S.relations
    q = select(r)
    if docs is not None:  # a selection of documents (a one-column SQL selectable of their ids)
        q = q.where(r.c.doc_id.in_(docs))
    if entity:
        a = members(conn, _entity_id(conn, entity))
        if other:
            b = members(conn, _entity_id(conn, other))
            q = q.where(or_(and_(r.c.subject_kb.in_(a), r.c.object_kb.in_(b)),
                            and_(r.c.subject_kb.in_(b), r.c.object_kb.in_(a))))
        else:
            q = q.where(or_(r.c.subject_kb.in_(a), r.c.object_kb.in_(a)))
    elif other:
        b = members(conn, _entity_id(conn, other))
        q = q.where(or_(r.c.subject_kb.in_(b), r.c.object_kb.in_(b)))
    if type:
        q = q.where(r.c.type == type)
    if keys is None:
        return conn.execute(q.order_by(r.c.doc_id, r.c.local_id)).all()
    out = []
    for chunk in _chunks(sorted(set(keys)), 100):  # one index seek per key (SQLite: multi-index OR)
        out += conn.execute(q.where(or_(*(and_(r.c.subject_kb == s, r.c.type == t, r.c.object_kb == o)
                                          for s, t, o in chunk)))).all()
    return sorted(out, key=lambda x: (x.doc_id, x.local_id))


def _statements_of(conn: Connection, doc_ids: set[str]) -> dict[str, list]:
    """doc id -> its statement rows, by position."""
    st = S.statements
    out: dict[str, list] = defaultdict(list)
    for chunk in _chunks(sorted(doc_ids), 200):
        for s in conn.execute(select(st).where(st.c.doc_id.in_(chunk))):
            out[s.doc_id].append(s)
    for rows in out.values():
        rows.sort(key=lambda s: (s.start, -s.end, s.local_id))
    return out


def _statements_by_id(conn: Connection, keys: set[tuple[str, str]]) -> dict[tuple[str, str], object]:
    """(doc id, statement id) -> its statement row, for these keys (read by primary key, a document's
    worth at a time)."""
    st = S.statements
    wanted: dict[str, set[str]] = defaultdict(set)
    for doc, local in keys:
        wanted[doc].add(local)
    out = {}
    for chunk in _chunks(sorted(wanted), 200):
        locals_ = sorted({x for d in chunk for x in wanted[d]})
        for s in conn.execute(select(st).where(st.c.doc_id.in_(chunk), st.c.local_id.in_(locals_))):
            if s.local_id in wanted[s.doc_id]:
                out[(s.doc_id, s.local_id)] = s
    return out


def _covering(statements: list, start: int, end: int):
    """The innermost statement whose content holds [start, end), if any."""
    best = None
    for s in statements:
        if s.start > start:
            break
        if end <= s.end and (best is None or s.end - s.start < best.end - best.start):
            best = s
    return best


def _attributions(conn: Connection, rows: list, words: bool) -> dict[tuple[str, str], dict]:
    """(doc id, relation id) -> the statement that carries the relation, as a statement dict with
    `relayed_by` (the speakers of its enclosing statements), `statement_inferred` (found by position,
    not by id) and, for an unresolved speaker, `speaker_text` (the words naming it, when `words`)."""
    index = _statements_by_id(conn, {(r.doc_id, r.statement) for r in rows if r.statement})
    # every statement of a document only where a relation names none (or one not found): found by position
    by_doc = _statements_of(conn, {r.doc_id for r in rows if not r.statement or (r.doc_id, r.statement) not in index})
    index.update({(s.doc_id, s.local_id): s for ss in by_doc.values() for s in ss})
    missing = {(s.doc_id, s.parent) for s in index.values() if s.parent and (s.doc_id, s.parent) not in index}
    for _ in range(MAX_RELAY):  # the statements enclosing them (relays), a level at a time
        if not missing:
            break
        found = _statements_by_id(conn, missing)
        index.update(found)
        missing = {(s.doc_id, s.parent) for s in found.values() if s.parent and (s.doc_id, s.parent) not in index}
    chosen: dict[tuple[str, str], tuple] = {}
    for r in rows:
        s = index.get((r.doc_id, r.statement)) if r.statement else None
        inferred = False
        if s is None:
            s = _covering(by_doc.get(r.doc_id, []), r.start, r.end)
            inferred = s is not None
        if s is not None:
            chosen[(r.doc_id, r.local_id)] = (s, inferred)
    needed: dict[tuple[str, str], object] = {}
    for s, _ in chosen.values():
        cur, steps = s, 0
        while cur is not None and (cur.doc_id, cur.local_id) not in needed and steps <= MAX_RELAY:
            needed[(cur.doc_id, cur.local_id)] = cur
            cur = index.get((cur.doc_id, cur.parent)) if cur.parent else None
            steps += 1
    dicts = dict(zip(needed, statement_dicts(conn, list(needed.values()))))
    texts = _texts(conn, {s.doc_id for s, _ in chosen.values() if words and s.speaker is None and s.cue})
    out = {}
    for key, (s, inferred) in chosen.items():
        said = dict(dicts[(s.doc_id, s.local_id)])
        relayed, seen, cur = [], {s.local_id}, s
        while cur.parent and cur.parent not in seen and len(relayed) < MAX_RELAY:
            seen.add(cur.parent)
            cur = index.get((cur.doc_id, cur.parent))
            if cur is None:
                break
            speaker = dicts.get((cur.doc_id, cur.local_id), {}).get("speaker")
            if speaker and (not said["speaker"] or speaker["id"] != said["speaker"]["id"]):
                relayed.append(speaker)
        said["relayed_by"] = relayed
        said["statement_inferred"] = inferred
        said["speaker_text"] = None
        if said["speaker"] is None and s.doc_id in texts:
            said["speaker_text"] = speaker_words(texts[s.doc_id], s.start, s.end, s.cue)
        out[key] = said
    return out



def _texts(conn: Connection, doc_ids: set[str]) -> dict[str, str]:
    d = S.documents
    out = {}
    for chunk in _chunks(sorted(doc_ids)[:MAX_TEXT_DOCS], 100):
        out.update(conn.execute(select(d.c.id, d.c.text).where(d.c.id.in_(chunk))).all())
    return out


def _affiliations(conn: Connection, speaker_ids: set[str]) -> dict[str, str]:
    """speaker id -> the organisation it speaks for (a member_of / leader_of relation), if any."""
    if not speaker_ids:
        return {}
    r = S.relations
    groups = members_map(conn, speaker_ids)
    owner = {m: c for c, ms in groups.items() for m in ms}
    rows = []
    for chunk in _chunks(sorted(owner), 500):
        rows += conn.execute(select(r.c.subject_kb, r.c.object_kb).where(
            r.c.subject_kb.in_(chunk), r.c.type.in_(AFFILIATION_TYPES), r.c.polarity == "positive")).all()
    canon = canonical_map(conn, [x.object_kb for x in rows])
    names = entity_rows(conn, canon.values())
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for x in rows:
        c = canon.get(x.object_kb)
        if c in names:
            counts[owner[x.subject_kb]][names[c]["name"]] += 1
    return {s: max(v.items(), key=lambda kv: kv[1])[0] for s, v in counts.items()}


def aggregate_relations(conn: Connection, entity: str | None = None, other: str | None = None,
                        type: str | None = None, min_sources: int = 0, since: str | None = None,
                        until: str | None = None, detail: bool = True,
                        keys: list[tuple[str, str, str]] | None = None, docs=None,
                        reuse: dict | None = None) -> list[dict]:
    """Relations (touching `entity`, between `entity` and `other`), aggregated over documents:
    one row per (subject, type, object) with the statements for and against (`support`,
    `against`, and both side by side by date in `statements`), first and last seen, independent
    sources (`sources` / `against_sources`: every attribution chain, marked when counted), speakers
    and a confidence with its reasons. Best supported first. `detail=False` (graphs, exports) leaves
    out what only a reader needs: the words naming unresolved speakers (read from the documents),
    each statement's chain and chain text, and the dated list; counts and confidence are the same.
    `keys` keeps only the relation rows stored under these (subject_kb, type, object_kb) ids; `docs`
    (a one-column SQL selectable of document ids) aggregates the evidence of those documents only.
    `reuse` ((doc id, relation id) -> the statement dict an earlier aggregation made of that relation
    row, with the same merges, names and `detail`; no date window) spares reading those rows'
    statements and documents again: only rows written since are read."""
    rows = _rows(conn, entity, other, type, keys, docs)
    if not rows:
        return []
    if reuse and (since or until):
        raise ValueError("reuse needs the whole time range")
    reuse = reuse or {}
    fresh = [r for r in rows if (r.doc_id, r.local_id) not in reuse]
    canon = canonical_map(conn, {x for r in rows for x in (r.subject_kb, r.object_kb)})
    names = entity_rows(conn, canon.values())
    meta = document_meta(conn, {r.doc_id for r in fresh})
    meta.update(document_meta(conn, {m["duplicate_of"] for m in meta.values()
                                     if m.get("duplicate_of") and m["duplicate_of"] not in meta}))
    kept = []
    for r in rows:
        m = meta.get(r.doc_id, {})
        time = normalise_time(r.time)
        if canon.get(r.subject_kb) in names and canon.get(r.object_kb) in names and _in_window(
                time or (m.get("published") or "")[:10] or None, since, until):
            kept.append((r, time))
    said = _attributions(conn, [r for r, _ in kept if (r.doc_id, r.local_id) not in reuse], detail)
    symmetric = symmetric_types()
    groups: dict[tuple, list] = defaultdict(list)
    orientation: dict[tuple, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    for r, time in kept:
        s, o = canon[r.subject_kb], canon[r.object_kb]
        key = (min(s, o), r.type, max(s, o)) if r.type in symmetric else (s, r.type, o)
        item = reuse.get((r.doc_id, r.local_id))
        if item is None or (item["subject_id"], item["object_id"]) != (s, o):
            item = _statement(r, said.get((r.doc_id, r.local_id)), meta, time, s, o, detail)
        groups[key].append(item)
        orientation[key][(s, o)] += 1
    deniers = {it["speaker"]["id"] for items in groups.values() for it in items
               if it["polarity"] != "positive" and it.get("speaker") and not it["speaker"]["anonymous"]}
    affiliation = _affiliations(conn, deniers)
    out = []
    for key, items in groups.items():
        s, o = max(orientation[key].items(), key=lambda kv: (kv[1], kv[0] == (key[0], key[2])))[0]
        out.append(_aggregate(key[1], names[s], names[o], items, key[1] in symmetric, affiliation, detail))
    if min_sources:
        out = [row for row in out if row["independent_sources"] >= min_sources]
    out.sort(key=lambda row: (-row["confidence"], -row["independent_sources"], row["subject"]["name"],
                              row["type"], row["object"]["name"]))
    return out


def _statement(r, said: dict | None, meta: dict, time: str | None, s: str, o: str, detail: bool = True) -> dict:
    m = meta.get(r.doc_id, {})
    base = dict(said) if said else {
        "doc_id": r.doc_id, "statement_id": None, "speaker": None, "via": None, "cue": None, "content": None,
        "direct": False, "published": m.get("published"), "outlet": m.get("outlet"),
        "title": m.get("title"), "url": m.get("url"), "duplicate_of": m.get("duplicate_of"),
        "relayed_by": [], "statement_inferred": False, "speaker_text": None,
    }
    origin = m.get("duplicate_of") or r.doc_id
    base.update({
        "doc_id": r.doc_id, "statement_id": base.get("statement_id") if said else r.statement,
        "relation_id": r.local_id, "evidence": {"start": r.start, "end": r.end, "text": r.evidence},
        "polarity": r.polarity, "modality": r.modality, "trigger": r.trigger, "time": time,
        "subject_id": s, "object_id": o, "attribution": speaker_kind(base.get("speaker"), said is not None),
        "origin": origin, "origin_outlet": (meta.get(origin) or m).get("outlet") or m.get("outlet"),
        "date": (m.get("published") or "")[:10] or None,
    })
    if detail:
        base["chain"] = chain(base)
        base["chain_text"] = chain_text(base)
    return base


def _speakers(items: list[dict]) -> tuple[set, set, set]:
    """Named speaker ids; anonymous and unresolved speakers, each within the report it is in."""
    named, anonymous, unresolved = set(), set(), set()
    for it in items:
        kind, origin = it["attribution"], it["origin"]
        if kind == "named":
            named.add(it["speaker"]["id"])
        elif kind == "anonymous":
            sp = it["speaker"]
            anonymous.add((origin, (sp.get("local_name") or sp["name"]).casefold()))
        elif kind == "unresolved":
            unresolved.add((origin, (it.get("speaker_text") or it.get("cue") or "").casefold()))
    return named, anonymous, unresolved


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _confidence(s_weight: float, a_weight: float) -> float:
    if s_weight <= 0:
        return 0.0
    return round((1 - math.exp(-SATURATION * s_weight)) * s_weight / (s_weight + a_weight), 3)


def _aggregate(type: str, subject: dict, obj: dict, items: list[dict], symmetric: bool,
               affiliation: dict[str, str], detail: bool = True) -> dict:
    key = lambda it: (it.get("published") or "", it["doc_id"], it["evidence"]["start"])  # noqa: E731
    support = sorted((it for it in items if it["polarity"] == "positive"), key=key)
    against = sorted((it for it in items if it["polarity"] != "positive"), key=key)
    basis = support or against
    times = sorted(t for t in (it.get("time") for it in basis) if t)
    published = sorted(p for p in (it.get("published") for it in basis) if p)
    chains, against_chains = sources(support, detail), sources(against, detail)
    counted = [c for c in chains if c["independent"]]
    counted_against = [c for c in against_chains if c["independent"]]
    named, anonymous, unresolved = _speakers(support)
    confidence = _confidence(sum(c["weight"] for c in counted), sum(c["weight"] for c in counted_against))
    row = {
        "subject": {"id": subject["id"], "name": subject["name"]}, "type": type,
        "object": {"id": obj["id"], "name": obj["name"]}, "symmetric": symmetric,
        "support": support, "against": against,
        "first_seen": times[0] if times else None, "last_seen": times[-1] if times else None,
        "first_published": published[0] if published else None, "last_published": published[-1] if published else None,
        "independent_sources": len(counted), "independent_sources_against": len(counted_against),
        "independent_reports": len({it["origin"] for it in support}),
        "speakers": len(named) + len(anonymous), "named_speakers": len(named), "anonymous_speakers": len(anonymous),
        "unresolved_speakers": len(unresolved), "documents": len({it["doc_id"] for it in items}),
        "confidence": confidence, "sources": chains, "against_sources": against_chains,
        "statements": dated(support, against) if detail else [],
    }
    row["reasons"] = _reasons(row, subject, obj, affiliation)
    return row


def _reasons(row: dict, subject: dict, obj: dict, affiliation: dict[str, str]) -> list[str]:
    support, against, chains = row["support"], row["against"], row["sources"]
    reasons = []
    if support:
        copies = {it["doc_id"] for it in support if it.get("duplicate_of")}
        text = (f"{_plural(row['independent_sources'], 'independent source')} "
                f"(distinct speakers through distinct outlets)")
        if copies:
            text += f"; {_plural(len(copies), 'syndicated copy', 'syndicated copies')} not counted again"
        reasons.append(text)
        shared = len(chains) - row["independent_sources"]
        if shared:
            reasons.append(f"{_plural(shared, 'more attribution chain')} {'shares' if shared == 1 else 'share'} "
                           "a speaker or an outlet with those counted")
    else:
        reasons.append("no statement supports it")
    named, anonymous, unresolved = _speakers(support)
    if named:
        names = sorted({it["speaker"]["name"] for it in support if it["attribution"] == "named"})
        reasons.append(f"{_plural(len(named), 'named speaker')}: {', '.join(names[:5])}")
    if anonymous:
        labels = sorted({it["speaker"].get("local_name") or it["speaker"]["name"] for it in support
                         if it["attribution"] == "anonymous"}, key=str.casefold)
        reasons.append(f"{_plural(len(anonymous), 'anonymous or unnamed source')} ({', '.join(labels[:3])})")
    if unresolved:
        labels = sorted({f"“{it['speaker_text']}”" for it in support
                         if it["attribution"] == "unresolved" and it.get("speaker_text")}, key=str.casefold)
        reasons.append(f"{_plural(len(unresolved), 'speaker')} the text names but the analysis did not identify"
                       + (f" ({', '.join(labels[:3])})" if labels else ""))
    narrated = {it["origin"] for it in support if it["attribution"] == "narrator"}
    if narrated:
        reasons.append(f"stated by the reporting outlet in {_plural(len(narrated), 'report')}")
    hedged = sum(1 for it in support if it.get("modality") == "hedged")
    if hedged:
        reasons.append(f"{_plural(hedged, 'hedged statement')}")
    if against:
        party = {subject["id"], obj["id"]}
        by = []
        for it in against:
            sp = it.get("speaker")
            if it["attribution"] == "narrator":
                label = f"the reporting outlet ({it.get('outlet') or it['doc_id']})"
            elif sp is None:
                words = it.get("speaker_text") or it.get("cue") or "?"
                label = f"an unidentified speaker (“{words}”, {it.get('outlet') or it['doc_id']})"
            elif sp["id"] in party:
                label = f"{sp['name']} (a party to it)"
            elif sp["id"] in affiliation:
                label = f"{sp['name']} ({affiliation[sp['id']]})"
            else:
                label = sp["name"] + (" (anonymous)" if sp.get("anonymous") else "")
            if it.get("modality") == "future":
                label += ", a pledge"
            if label not in by:
                by.append(label)
        reasons.append(f"{_plural(len(against), 'contradicting statement')} by {'; '.join(by[:5])}"
                       f" ({_plural(row['independent_sources_against'], 'independent source')})")
    return reasons


def relation_detail(conn: Connection, subject_id: str, type: str, object_id: str) -> dict:
    """One aggregated relation, both polarities (an empty row when nothing is stored)."""
    rows = aggregate_relations(conn, entity=subject_id, other=object_id, type=type)
    s = canonical_map(conn, [subject_id]).get(subject_id, subject_id)
    o = canonical_map(conn, [object_id]).get(object_id, object_id)
    for row in rows:
        if (row["subject"]["id"], row["object"]["id"]) == (s, o) or (
                row["symmetric"] and {row["subject"]["id"], row["object"]["id"]} == {s, o}):
            return row
    names = entity_rows(conn, [s, o])
    return {
        "subject": {"id": s, "name": names.get(s, {}).get("name")}, "type": type,
        "object": {"id": o, "name": names.get(o, {}).get("name")}, "symmetric": type in symmetric_types(),
        "support": [], "against": [], "first_seen": None, "last_seen": None, "first_published": None,
        "last_published": None, "independent_sources": 0, "independent_sources_against": 0,
        "independent_reports": 0, "speakers": 0, "named_speakers": 0, "anonymous_speakers": 0,
        "unresolved_speakers": 0, "documents": 0, "confidence": 0.0, "sources": [], "against_sources": [],
        "statements": [], "reasons": ["no statement in the knowledge base"],
    }
