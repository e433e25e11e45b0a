"""Relations across articles: for each (subject, type, object) every statement for and against.

Aggregates are computed at query time from the stored relation rows (indexed by subject and
object), so ingesting a new article updates them without reanalysing anything. A row groups the
relation statements of all documents after entity merges; symmetric types (allied_with, kin_of,
agreement_with, rival_of: `symmetric: true` in analyse/data/relations.yaml) group regardless of
direction. Syndicated copies (documents.duplicate_of) collapse onto their original: they are listed
but never counted as another independent source.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from functools import lru_cache

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Connection

from wirescope.query.common import (
    _chunks, canonical_map, document_meta, entity_rows, members, resolve_entity, statement_dicts,
)
from wirescope.resolve.match import name_class
from wirescope.store import schema as S

FALLBACK_SYMMETRIC = frozenset({"allied_with", "kin_of", "agreement_with", "rival_of"})
# how much one source's statement weighs, by who makes it, and how sure it is
WEIGHT = {"named": 1.0, "narrator": 0.8, "anonymous": 0.6}
MODALITY = {"asserted": 1.0, "hedged": 0.5, "future": 0.5}
SATURATION = 0.8  # confidence = (1 - exp(-SATURATION * support)) * support / (support + against)
AFFILIATION_TYPES = ("member_of", "leader_of")

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


def _rows(conn: Connection, entity: str | None, other: str | None, type: str | None) -> list:
    r = S.relations
    q = select(r)
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
    return conn.execute(q.order_by(r.c.doc_id, r.c.local_id)).all()


def _statement_rows(conn: Connection, rows: list) -> dict[tuple[str, str], object]:
    st = S.statements
    wanted = {(r.doc_id, r.statement) for r in rows if r.statement}
    out = {}
    for chunk in _chunks(sorted({d for d, _ in wanted}), 200):
        for s in conn.execute(select(st).where(st.c.doc_id.in_(chunk))):
            if (s.doc_id, s.local_id) in wanted:
                out[(s.doc_id, s.local_id)] = s
    return out


def _affiliations(conn: Connection, speaker_ids: set[str]) -> dict[str, str]:
    """speaker id -> the organisation it speaks for (a member_of / leader_of relation), if any."""
    if not speaker_ids:
        return {}
    r = S.relations
    groups = {c: members(conn, c) for c in speaker_ids}
    owner = {m: c for c, ms in groups.items() for m in ms}
    rows = conn.execute(select(r.c.subject_kb, r.c.object_kb).where(
        r.c.subject_kb.in_(sorted(owner)), r.c.type.in_(AFFILIATION_TYPES), r.c.polarity == "positive")).all()
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
                        until: str | None = None) -> list[dict]:
    """Relations (touching `entity`, between `entity` and `other`), aggregated over documents:
    one row per (subject, type, object) with the statements for and against, first and last
    seen, independent sources, speakers and a confidence with its reasons. Best supported first."""
    rows = _rows(conn, entity, other, type)
    if not rows:
        return []
    canon = canonical_map(conn, {x for r in rows for x in (r.subject_kb, r.object_kb)})
    names = entity_rows(conn, canon.values())
    meta = document_meta(conn, {r.doc_id for r in rows})
    statements = _statement_rows(conn, rows)
    said = {k: d for k, d in zip(statements, statement_dicts(conn, list(statements.values())))}
    symmetric = symmetric_types()
    groups: dict[tuple, list] = defaultdict(list)
    orientation: dict[tuple, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        s, o = canon.get(r.subject_kb, r.subject_kb), canon.get(r.object_kb, r.object_kb)
        if s not in names or o not in names:
            continue
        m = meta.get(r.doc_id, {})
        time = normalise_time(r.time)
        if not _in_window(time or (m.get("published") or "")[:10] or None, since, until):
            continue
        key = (min(s, o), r.type, max(s, o)) if r.type in symmetric else (s, r.type, o)
        groups[key].append(_statement(r, said.get((r.doc_id, r.statement)), m, time, s, o))
        orientation[key][(s, o)] += 1
    out = []
    for key, items in groups.items():
        s, o = max(orientation[key].items(), key=lambda kv: (kv[1], kv[0] == (key[0], key[2])))[0]
        out.append(_aggregate(conn, key[1], names[s], names[o], items, key[1] in symmetric))
    if min_sources:
        out = [row for row in out if row["independent_sources"] >= min_sources]
    out.sort(key=lambda row: (-row["confidence"], -row["independent_sources"], row["subject"]["name"],
                              row["type"], row["object"]["name"]))
    return out


def _statement(r, said: dict | None, meta: dict, time: str | None, s: str, o: str) -> dict:
    base = dict(said) if said else {
        "doc_id": r.doc_id, "statement_id": None, "speaker": None, "via": None, "cue": None, "content": None,
        "direct": False, "published": meta.get("published"), "outlet": meta.get("outlet"),
        "title": meta.get("title"), "url": meta.get("url"), "duplicate_of": meta.get("duplicate_of"),
    }
    base.update({
        "doc_id": r.doc_id, "statement_id": r.statement, "relation_id": r.local_id,
        "evidence": {"start": r.start, "end": r.end, "text": r.evidence}, "polarity": r.polarity,
        "modality": r.modality, "trigger": r.trigger, "time": time, "subject_id": s, "object_id": o,
    })
    return base


def _source_kind(item: dict) -> str:
    """narrator (the report itself), named (a proper-named speaker) or anonymous (anonymous, or
    unnamed: "the report", "officials")."""
    speaker = item.get("speaker")
    if speaker is None:
        return "narrator"
    if speaker.get("anonymous") or speaker.get("type") == "other" or name_class(speaker["name"]) == "common":
        return "anonymous"
    return "named"


def _weigh(items: list[dict]) -> float:
    """Sum over independent reports of the strongest statement each makes."""
    best: dict[str, float] = {}
    for it in items:
        origin = it.get("duplicate_of") or it["doc_id"]
        w = WEIGHT[_source_kind(it)] * MODALITY.get(it.get("modality") or "asserted", 1.0)
        best[origin] = max(w, best.get(origin, 0.0))
    return sum(best.values())


def _speakers(items: list[dict]) -> tuple[set, set]:
    named, anonymous = set(), set()
    for it in items:
        sp = it.get("speaker")
        if not sp:
            continue
        if _source_kind(it) == "anonymous":
            origin = it.get("duplicate_of") or it["doc_id"]
            anonymous.add((origin, (sp.get("local_name") or sp["name"]).casefold()))
        else:
            named.add(sp["id"])
    return named, anonymous


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _aggregate(conn: Connection, type: str, subject: dict, obj: dict, items: list[dict], symmetric: bool) -> dict:
    key = lambda it: (it.get("published") or "", it["doc_id"], it["evidence"]["start"])  # noqa: E731
    support = sorted((it for it in items if it["polarity"] == "positive"), key=key)
    against = sorted((it for it in items if it["polarity"] != "positive"), key=key)
    basis = support or against
    times = sorted(t for t in (it.get("time") for it in basis) if t)
    published = sorted(p for p in (it.get("published") for it in basis) if p)
    origins = {it.get("duplicate_of") or it["doc_id"] for it in support}
    copies = {it["doc_id"] for it in support if it.get("duplicate_of")}
    named, anonymous = _speakers(support)
    narrated = {it.get("duplicate_of") or it["doc_id"] for it in support if it.get("speaker") is None}
    s_weight, a_weight = _weigh(support), _weigh(against)
    confidence = 0.0
    if s_weight > 0:
        confidence = (1 - math.exp(-SATURATION * s_weight)) * s_weight / (s_weight + a_weight)
    reasons = _reasons(conn, support, against, origins, copies, named, anonymous, narrated, subject, obj)
    return {
        "subject": {"id": subject["id"], "name": subject["name"]}, "type": type,
        "object": {"id": obj["id"], "name": obj["name"]}, "symmetric": symmetric,
        "support": support, "against": against,
        "first_seen": times[0] if times else None, "last_seen": times[-1] if times else None,
        "first_published": published[0] if published else None, "last_published": published[-1] if published else None,
        "independent_sources": len(origins), "speakers": len(named) + len(anonymous),
        "named_speakers": len(named), "anonymous_speakers": len(anonymous),
        "documents": len({it["doc_id"] for it in items}),
        "confidence": round(confidence, 3), "reasons": reasons,
    }


def _reasons(conn, support, against, origins, copies, named, anonymous, narrated, subject, obj) -> list[str]:
    reasons = []
    if support:
        text = _plural(len(origins), "independent report")
        if copies:
            text += f" ({_plural(len(copies), 'syndicated copy', 'syndicated copies')} not counted again)"
        reasons.append(text)
    else:
        reasons.append("no statement supports it")
    if named:
        names = sorted({it["speaker"]["name"] for it in support if it.get("speaker") and it["speaker"]["id"] in named})
        reasons.append(f"{_plural(len(named), 'named speaker')}: {', '.join(names[:5])}")
    if anonymous:
        labels = sorted({n for _, n in anonymous})
        reasons.append(f"{_plural(len(anonymous), 'anonymous or unnamed source')} ({', '.join(labels[:3])})")
    if narrated:
        reasons.append(f"stated by the reporting outlet in {_plural(len(narrated), 'report')}")
    hedged = sum(1 for it in support if it.get("modality") == "hedged")
    if hedged:
        reasons.append(f"{_plural(hedged, 'hedged statement')}")
    if against:
        speakers = {it["speaker"]["id"] for it in against if it.get("speaker") and not it["speaker"]["anonymous"]}
        party = {subject["id"], obj["id"]}
        affiliation = _affiliations(conn, speakers - party)
        by = []
        for it in against:
            sp = it.get("speaker")
            if sp is None:
                label = f"the reporting outlet ({it.get('outlet') or it['doc_id']})"
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
        reasons.append(f"{_plural(len(against), 'contradicting statement')} by {'; '.join(by[:5])}")
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
        "last_published": None, "independent_sources": 0, "speakers": 0, "named_speakers": 0,
        "anonymous_speakers": 0, "documents": 0, "confidence": 0.0, "reasons": ["no statement in the knowledge base"],
    }
