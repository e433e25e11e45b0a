"""STIX 2.1: a bundle of actors, relationships, statements (notes) and reports, written object by object.

Every object is built as the plain dict the `stix2` library would write for it (custom properties
prefixed `x_wirescope_`; tests parse every object with stix2 and check that it serialises back to the
same dict), serialised, and written straight away inside one `{"type": "bundle", ...}` envelope: the
bundle is never held in memory. (Validating each object through stix2 as it was made took most of
the time of a large export.)

What becomes what:
  actors      armed groups (subtype in ARMED_SUBTYPES) and persons who are members or leaders of
              one -> threat-actor (with `aliases`); places -> location (`country` when known);
              everyone else -> identity (organisations with a sector where the subtype says,
              anonymous sources as individuals or organisations, NORP groups as a class);
              identity and location have no `aliases` in STIX, they carry `x_wirescope_aliases`
  relations   one relationship per cross-document relation (wirescope.query.relations): the
              type mapped by the relation vocabulary's `stix` entry (data/relations.yaml), checked
              against the source/target object types STIX defines for that relationship type (else
              related-to with a description); `confidence` = the aggregate's confidence x 100
  statements  one note each: content, speaker, cue, anonymity, polarity; object_refs to its report
              and to the relationships it backs
  documents   one report each: published, external_references with the URL, object_refs to the
              actors it mentions, the relationships it backs and its notes

Ids are uuid5 over stable keys (the kb actor id, "subject|type|object", "doc_id/statement id",
the document id) and timestamps come from publication dates, so exporting the same knowledge base
twice gives the same bundle. Memory: one actor id -> STIX type map and the set of relationship ids
written (both far smaller than the evidence), plus one relation type's aggregates at a time.
"""
from __future__ import annotations

import json
import re
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, TextIO

from sqlalchemy.engine import Connection

from wirescope.export.base import ExportStats, Filters, Scope, normal_key, relation_vocabulary
from wirescope.query import rows as R

NAMESPACE = uuid.UUID("6f1d0c58-2f7e-4c1b-9a55-3f0e5b7d2a91")  # wirescope's, fixed forever
EPOCH = "1970-01-01T00:00:00.000Z"  # for objects with no dated source
PREFIX = "x_wirescope_"

ARMED_SUBTYPES = frozenset({"armed_group"})
TIE_RELATIONS = ("member_of", "leader_of")  # a person tied to an armed group is a threat actor
# our actor subtypes -> STIX industry-sector-ov
SECTORS = {
    "government": "government", "agency": "government", "court": "government", "legislature": "government",
    "intergovernmental": "government", "military": "defense", "media": "communications", "ngo": "non-profit",
    "company": "commercial",
}
# STIX 2.1 relationship types defined between these object kinds (spec section 4, the
# "Relationships" table of each object): (source type, relationship type) -> allowed target types
SPEC_RELATIONSHIPS: dict[tuple[str, str], frozenset[str]] = {
    ("threat-actor", "targets"): frozenset({"identity", "location", "vulnerability"}),
    ("threat-actor", "located-at"): frozenset({"location"}),
    ("threat-actor", "attributed-to"): frozenset({"identity"}),
    ("threat-actor", "impersonates"): frozenset({"identity"}),
    ("identity", "located-at"): frozenset({"location"}),
}

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@lru_cache(maxsize=500_000)  # one actor's id is asked for by every report, note and relationship naming it
def stix_id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def timestamp(day: str | None) -> str:
    day = (day or "")[:10]
    return f"{day}T00:00:00.000Z" if _DAY.match(day) else EPOCH


def stamps(first: str | None, last: str | None) -> tuple[str, str]:
    """(created, modified) from the first and last publication dates (modified never before created)."""
    created = timestamp(first)
    return created, max(created, timestamp(last))


def relationship_key(subject: str, rtype: str, obj: str) -> str:
    return "|".join(normal_key(subject, rtype, obj))


ANY_PRECISION = ("published", "start_time", "stop_time")  # timestamps stix2 writes without milliseconds


def _sdo(kind: str, allow_custom: bool = True, **props: Any) -> dict[str, Any]:
    """A STIX 2.1 object as the plain dict the `stix2` library would serialise for these properties:
    `type` and `spec_version` added, unset (None) properties left out, timestamps in the library's
    formats (created/modified to the millisecond, the others without fractions of a second).
    Building through the library itself validated every property of every object, which was most of
    the time of a large export; tests/export/test_stix.py parses every object of an export with
    stix2 and checks that it serialises back to exactly these dicts."""
    obj = {k: v for k, v in props.items() if v is not None}
    for key in ANY_PRECISION:
        value = obj.get(key)
        if isinstance(value, str) and value.endswith(".000Z"):
            obj[key] = value[:-5] + "Z"
    obj["type"] = kind
    obj["spec_version"] = "2.1"
    return obj


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v not in (None, "", [], {})}


# ---- actors -------------------------------------------------------------------------------------
def actor_kind(actor: dict[str, Any], tied: set[str]) -> str:
    if actor["type"] == "location":
        return "location"
    if actor.get("subtype") in ARMED_SUBTYPES and actor["type"] != "person":
        return "threat-actor"
    if actor["type"] == "person" and actor["id"] in tied:
        return "threat-actor"
    return "identity"


def identity_class(actor: dict[str, Any]) -> str:
    if actor["type"] == "person":
        return "individual"
    if actor["type"] == "organization":
        return "organization"
    if actor["type"] == "group":
        return "class"  # a nationality, religious or political group: a category of people
    return "unknown"


def actor_object(actor: dict[str, Any], aliases: list[str], tied: set[str], stats: ExportStats) -> Any:
    kind = actor_kind(actor, tied)
    created, modified = stamps(actor.get("first_published"), actor.get("last_published"))
    common = {"id": stix_id(kind, actor["id"]), "name": actor["name"], "created": created, "modified": modified,
              "allow_custom": True}
    custom = _clean({
        f"{PREFIX}id": actor["id"], f"{PREFIX}type": actor["type"], f"{PREFIX}subtype": actor.get("subtype"),
        f"{PREFIX}anonymous": bool(actor.get("anonymous")), f"{PREFIX}documents": actor.get("documents"),
        f"{PREFIX}mentions": actor.get("mentions"), f"{PREFIX}descriptor": actor.get("descriptor"),
        f"{PREFIX}first_published": actor.get("first_published"),
        f"{PREFIX}last_published": actor.get("last_published"),
    })
    custom[f"{PREFIX}anonymous"] = bool(actor.get("anonymous"))
    if kind == "threat-actor":
        labels = ["armed-group"] if actor.get("subtype") in ARMED_SUBTYPES else ["tied-to-armed-group"]
        return _sdo("threat-actor", **common, **_clean({"aliases": aliases, "labels": labels}), **custom)
    if kind == "location":
        country = (actor.get("country") or "").upper() or None
        props = {"country": country}
        if not country:  # STIX needs a country, a region or coordinates; we know none of them
            props["region"] = "unknown"
            stats.add("locations without a country (region 'unknown')")
        return _sdo("location", **common, **_clean(props), **_clean({f"{PREFIX}aliases": aliases}), **custom)
    sector = SECTORS.get(actor.get("subtype") or "")
    description = None
    if actor.get("anonymous"):
        d = actor.get("descriptor") or {}
        words = [str(d[k]) for k in ("rank", "affiliation", "agency", "role") if d.get(k)]
        description = "anonymous source" + (f": {' '.join(words)}" if words else "")
    return _sdo("identity", **common, identity_class=identity_class(actor),
                          **_clean({"sectors": [sector] if sector else None, "description": description}),
                          **_clean({f"{PREFIX}aliases": aliases}), **custom)


def with_aliases(actors: Iterator[dict], aliases: Iterator[dict]) -> Iterator[tuple[dict, list[str]]]:
    """Walk both streams (each ordered by actor id) together: each actor with its other names."""
    pending = next(aliases, None)
    for actor in actors:
        names: list[str] = []
        while pending is not None and pending["actor_id"] <= actor["id"]:
            if pending["actor_id"] == actor["id"] and not pending["canonical"]:
                names.append(pending["name"])
            pending = next(aliases, None)
        yield actor, names


# ---- relationships ---------------------------------------------------------------------------------
def stix_mapping(rtype: str, vocabulary: dict[str, dict[str, Any]]) -> tuple[str, str | None, bool]:
    """(relationship_type, description, found in the vocabulary) for one of our relation types."""
    info = vocabulary.get(rtype) or {}
    stix = info.get("stix") if isinstance(info.get("stix"), dict) else None
    label = info.get("label") or rtype.replace("_", " ")
    if not stix or not stix.get("relationship_type"):
        return "related-to", label, False
    rel_type = str(stix["relationship_type"])
    return rel_type, stix.get("description") or (label if rel_type == "related-to" else None), True


def relationship_object(agg: dict[str, Any], kinds: dict[str, str], vocabulary: dict, stats: ExportStats) -> Any | None:
    subject, rtype, obj = agg["subject"]["id"], agg["type"], agg["object"]["id"]
    if subject not in kinds or obj not in kinds:
        stats.add("relationships left out (an actor is not exported)")
        return None
    source_kind, target_kind = kinds[subject], kinds[obj]
    rel_type, description, mapped = stix_mapping(rtype, vocabulary)
    if not mapped:
        stats.add("relationships with no STIX mapping (related-to)")
        stats.note(f"relation type '{rtype}' has no 'stix' entry in the relation vocabulary; exported as related-to")
    allowed = SPEC_RELATIONSHIPS.get((source_kind, rel_type), frozenset())
    if rel_type != "related-to" and target_kind not in allowed:
        stats.add(f"relationships downgraded to related-to ({rel_type} is not defined "
                  f"from {source_kind} to {target_kind})")
        description = (vocabulary.get(rtype) or {}).get("label") or rtype.replace("_", " ")
        rel_type = "related-to"
    support, against = len(agg.get("support") or []), len(agg.get("against") or [])
    polarity = "positive" if support >= against else "negative"
    if not support:  # only denials: say so, and never as a typed STIX fact a consumer could take at face value
        description = f"denied: {description or (vocabulary.get(rtype) or {}).get('label') or rtype}"
        rel_type = "related-to"
    first, last = agg.get("first_seen"), agg.get("last_seen")
    times = {}
    if first and _DAY.match(str(first)[:10]):
        times["start_time"] = timestamp(first)
        if last and _DAY.match(str(last)[:10]) and str(last)[:10] > str(first)[:10]:
            times["stop_time"] = timestamp(last)
    confidence = agg.get("confidence")
    custom = _clean({
        f"{PREFIX}type": rtype, f"{PREFIX}polarity": polarity,
        f"{PREFIX}independent_sources": agg.get("independent_sources"), f"{PREFIX}documents": agg.get("documents"),
        f"{PREFIX}speakers": agg.get("speakers"), f"{PREFIX}named_speakers": agg.get("named_speakers"),
        f"{PREFIX}anonymous_speakers": agg.get("anonymous_speakers"),
        f"{PREFIX}support": support, f"{PREFIX}against": against,
        f"{PREFIX}first_seen": first, f"{PREFIX}last_seen": last,
        f"{PREFIX}first_published": agg.get("first_published"), f"{PREFIX}last_published": agg.get("last_published"),
        f"{PREFIX}reasons": list(agg.get("reasons") or []),
    })
    for key in (f"{PREFIX}support", f"{PREFIX}against", f"{PREFIX}independent_sources"):
        custom.setdefault(key, 0)
    created, modified = stamps(agg.get("first_published"), agg.get("last_published"))
    score = None if confidence is None else max(0, min(100, round(float(confidence) * 100)))
    return _sdo("relationship",
        id=stix_id("relationship", relationship_key(subject, rtype, obj)),
        source_ref=stix_id(source_kind, subject), target_ref=stix_id(target_kind, obj),
        relationship_type=rel_type, created=created, modified=modified,
        **_clean({"description": description, "confidence": score}), **times, **custom, allow_custom=True,
    )


# ---- statements and reports ----------------------------------------------------------------------------
def note_object(st: dict[str, Any], report_id: str, relationship_ids: list[str], kinds: dict[str, str]) -> Any:
    speaker = st.get("speaker_name") or st.get("speaker_text")
    stamp = timestamp(st.get("published"))
    speaker_id = st.get("speaker_id")
    custom = _clean({
        f"{PREFIX}doc_id": st["doc_id"], f"{PREFIX}statement_id": st["id"],
        f"{PREFIX}speaker": speaker, f"{PREFIX}speaker_text": st.get("speaker_text"),
        f"{PREFIX}speaker_ref": stix_id(kinds[speaker_id], speaker_id) if speaker_id in kinds else None,
        f"{PREFIX}via": st.get("via_name"), f"{PREFIX}cue": st.get("cue"),
        f"{PREFIX}polarity": st.get("polarity"), f"{PREFIX}modality": st.get("modality"),
        f"{PREFIX}kind": st.get("statement_kind"),
        f"{PREFIX}evidence": {"start": st["start"], "end": st["end"]},
    })
    custom[f"{PREFIX}anonymous"] = bool(st.get("speaker_anonymous"))
    custom[f"{PREFIX}direct"] = bool(st.get("direct"))
    abstract = f"{speaker or 'unattributed'}{' ' + st['cue'] if st.get('cue') else ''}"
    return _sdo("note",
        id=stix_id("note", f"{st['doc_id']}/{st['id']}"), created=stamp, modified=stamp,
        abstract=abstract, content=st.get("content") or abstract, object_refs=[report_id, *relationship_ids],
        **custom, allow_custom=True,
    )


def report_object(doc: dict[str, Any], refs: list[str]) -> Any:
    stamp = timestamp(doc.get("published"))
    ref = _clean({"source_name": doc.get("outlet") or "wirescope", "url": doc.get("url"), "external_id": doc["id"]})
    custom = _clean({f"{PREFIX}doc_id": doc["id"], f"{PREFIX}outlet": doc.get("outlet"),
                     f"{PREFIX}published": doc.get("published"), f"{PREFIX}duplicate_of": doc.get("duplicate_of")})
    return _sdo("report",
        id=stix_id("report", doc["id"]), name=doc.get("title") or f"Document {doc['id']}", published=stamp,
        created=stamp, modified=stamp, object_refs=refs, external_references=[ref], **custom, allow_custom=True,
    )


class BundleWriter:
    """Write `{"type": "bundle", "id": ..., "objects": [...]}` one object at a time."""

    def __init__(self, out: TextIO, bundle_id: str) -> None:
        self.out = out
        self.count = 0
        out.write('{"type": "bundle", "id": ' + json.dumps(bundle_id) + ', "objects": [\n')

    def add(self, obj: Any) -> None:
        if self.count:
            self.out.write(",\n")
        if isinstance(obj, dict):
            self.out.write(json.dumps(obj, sort_keys=True, ensure_ascii=False))
        else:  # an object of the stix2 library
            self.out.write(obj.serialize(sort_keys=True, ensure_ascii=False))
        self.count += 1

    def close(self) -> None:
        self.out.write("\n]}\n")


class StixExporter:
    name = "stix"
    suffix = ".json"
    multi_file = False

    def write(self, conn: Connection, out: TextIO | Path, filters: Filters) -> ExportStats:
        stats = ExportStats(self.name)
        scope = Scope.resolve(conn, filters)
        vocabulary = relation_vocabulary()
        if not vocabulary:
            stats.note("the relation vocabulary could not be read; every relationship is related-to")
        bundle = BundleWriter(out, stix_id("bundle", filters.key()))

        # actors: remember each one's STIX type (relationships and notes point at them)
        tied = R.persons_tied_to(conn, TIE_RELATIONS, ARMED_SUBTYPES)
        kinds: dict[str, str] = {}
        for actor, aliases in with_aliases(scope.actors(conn), scope.aliases(conn)):
            obj = actor_object(actor, aliases, tied, stats)
            kinds[actor["id"]] = obj["type"]
            bundle.add(obj)
            stats.add(obj["type"])

        # relationships, one relation type at a time
        written: set[str] = set()
        for agg in scope.aggregates(conn):
            obj = relationship_object(agg, kinds, vocabulary, stats)
            if obj is None:
                continue
            written.add(obj["id"])
            bundle.add(obj)
            stats.add("relationship")

        # documents: their notes, then the report that points at everything it backs. The
        # document's relations, statements and actors come from streams ordered like the documents.
        f = filters
        doc_relations = R.ByDocument(R.iter_relations(conn, since=f.since, until=f.until, docs=scope.docs))
        doc_statements = R.ByDocument(scope.statements(conn))
        doc_actors = R.ByDocument(R.iter_document_actors(conn, since=f.since, until=f.until, docs=scope.docs))
        for doc in scope.documents(conn):
            report_id = stix_id("report", doc["id"])
            backed: dict[str, list[str]] = {}
            relationships: set[str] = set()
            for rel in doc_relations.take(doc["id"]):
                rid = stix_id("relationship", relationship_key(rel["subject_id"], rel["type"], rel["object_id"]))
                if rid in written:
                    relationships.add(rid)
                    if rel.get("statement"):
                        backed.setdefault(rel["statement"], []).append(rid)
            notes: list[str] = []
            for st in doc_statements.take(doc["id"]):
                note = note_object(st, report_id, sorted(set(backed.get(st["id"], []))), kinds)
                bundle.add(note)
                notes.append(note["id"])
                stats.add("note")
            actors = {stix_id(kinds[a["actor_id"]], a["actor_id"]) for a in doc_actors.take(doc["id"])
                      if a["actor_id"] in kinds}
            refs = sorted(actors | relationships) + notes
            if not refs:
                stats.add("reports left out (nothing exported from them)")
                continue
            bundle.add(report_object(doc, refs))
            stats.add("report")
        bundle.close()
        return stats
