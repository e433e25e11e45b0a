"""PLOVER JSON Lines: one event record a line, with the PLOVER manual's field names.

Field names follow the PLOVER manual (openeventdata/PLOVER, PLOVER_MANUAL.tex, draft 0.7b1,
chapter "JSON Data Fields" and its information-object tables). Every field is optional there
except `id`, `date`, `source` and `event`; `source` and `recipient` are lists of actor objects,
`event` and `mode` are lists (the manual allows several values), `date` is YYYY-MM-DD.
Fields beyond the manual are prefixed `wirescope_` (the manual invites providers to add named
fields rather than generic ones).

Dates: the event's own normalised time when it is a full day, else the reporting document's
publication date (the event's TIMEX3 value stays in `wirescope_time`). Events with no date or
no source actor (both required by PLOVER) are left out and counted; csv and jsonl keep them.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.engine import Connection

from wirescope import __version__
from wirescope.export.base import ExportStats, Filters, Scope

# the event record (manual table "PLOVER JSON")
FIELDS: tuple[str, ...] = (
    "id", "has_event", "date", "time", "enddate", "endtime", "source", "recipient", "event", "event_loc",
    "event_text", "quad_code", "event_scale", "mode", "context", "link", "text", "text_info", "cite_info",
    "coder", "coded_date", "coded_time", "comment",
)
REQUIRED: tuple[str, ...] = ("id", "date", "source", "event")
# "Information object for actors"; the manual spells the identifier fields "identifer_id" and
# "identifer_text" (a typo of the draft); we write the intended spelling.
ACTOR_FIELDS: tuple[str, ...] = (
    "code", "sector", "actor_text", "identifier_id", "identifier_text", "actor_loc", "religion", "ethnicity",
    "office", "gender", "age",
)
# "Information object for text"
TEXT_INFO_FIELDS: tuple[str, ...] = ("sequence", "start", "end", "text_story", "connlu_parse", "treebank_parse")
# "Information object for citations"
CITE_FIELDS: tuple[str, ...] = (
    "corpus", "citation", "url", "title", "language", "publication", "license", "copyright", "coder", "codebook",
    "version",
)
# "Location object: identical to geonames" (the subset we can fill)
LOCATION_FIELDS: tuple[str, ...] = (
    "geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude", "feature class", "feature code",
    "country code", "cc3", "cc2", "admin1 code", "admin2 code", "admin3 code", "admin4 code", "population",
    "elevation", "dem", "timezone",
)
EXTENSION_PREFIX = "wirescope_"
# the manual's "Quad categories in PLOVER" numbering
QUAD_CODES = {"verbal cooperation": 1, "material cooperation": 2, "verbal conflict": 3, "material conflict": 4}

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def validate(record: dict[str, Any]) -> list[str]:
    """Problems of one record against the field lists above (empty when it conforms)."""
    problems = [f"missing required field {f!r}" for f in REQUIRED if f not in record or record[f] in (None, "", [])]
    problems += [f"unknown field {k!r}" for k in record if k not in FIELDS and not k.startswith(EXTENSION_PREFIX)]
    if "date" in record and not _DAY.match(str(record["date"] or "")):
        problems.append(f"date {record.get('date')!r} is not YYYY-MM-DD")
    for role in ("source", "recipient"):
        for actor in record.get(role) or []:
            problems += [f"{role}: unknown actor field {k!r}" for k in actor
                         if k not in ACTOR_FIELDS and not k.startswith(EXTENSION_PREFIX)]
    for key, allowed in (("text_info", TEXT_INFO_FIELDS), ("cite_info", CITE_FIELDS), ("event_loc", LOCATION_FIELDS)):
        problems += [f"{key}: unknown field {k!r}" for k in record.get(key) or {}
                     if k not in allowed and not k.startswith(EXTENSION_PREFIX)]
    return problems


def _quad_codes() -> dict[str, int]:
    try:
        from wirescope import vocab
    except ImportError:
        return {}
    return {name: QUAD_CODES[str(info.get("quad", "")).lower()] for name, info in vocab.plover_types().items()
            if str(info.get("quad", "")).lower() in QUAD_CODES}


def _actor(row: dict[str, Any], role: str) -> dict[str, Any] | None:
    kb_id = row.get(f"{role}_id")
    if not kb_id:
        return None
    actor = {"actor_text": row.get(f"{role}_text") or row.get(f"{role}_name"), "identifier_id": kb_id,
             "identifier_text": row.get(f"{role}_name")}
    return {k: v for k, v in actor.items() if v not in (None, "")}


def event_date(row: dict[str, Any]) -> str | None:
    time = (row.get("time") or "")[:10]
    if _DAY.match(time):
        return time
    published = (row.get("published") or "")[:10]
    return published if _DAY.match(published) else None


def record(row: dict[str, Any], quad: dict[str, int], coder: str) -> dict[str, Any] | None:
    date = event_date(row)
    if date is None:
        return None
    out: dict[str, Any] = {
        "id": f"wirescope-{row['doc_id']}-{row['id']}",
        "has_event": True,
        "date": date,
        "source": [a for a in [_actor(row, "source")] if a],
        "event": [row["type"]],
    }
    recipient = _actor(row, "target")
    if recipient:
        out["recipient"] = [recipient]
    if row.get("location_id"):
        loc = {"name": row.get("location_name") or row.get("location_text"),
               "country code": row.get("location_country"), f"{EXTENSION_PREFIX}id": row["location_id"]}
        out["event_loc"] = {k: v for k, v in loc.items() if v}
    out["event_text"] = [row["trigger"]]
    if row["type"] in quad:
        out["quad_code"] = quad[row["type"]]
    if row.get("mode"):
        out["mode"] = [row["mode"]]
    out["text"] = row["evidence"]
    out["text_info"] = {"start": row["start"], "end": row["end"]}
    cite = {"citation": row["doc_id"], "url": row.get("url"), "title": row.get("title"),
            "publication": row.get("outlet"), "language": "en", "coder": coder, "codebook": "plover (wirescope)"}
    out["cite_info"] = {k: v for k, v in cite.items() if v}
    out["coder"] = coder
    out[f"{EXTENSION_PREFIX}time"] = row.get("time")
    out[f"{EXTENSION_PREFIX}polarity"] = row.get("polarity")
    out[f"{EXTENSION_PREFIX}statement"] = row.get("statement")
    out[f"{EXTENSION_PREFIX}published"] = row.get("published")
    out[f"{EXTENSION_PREFIX}duplicate_of"] = row.get("duplicate_of")
    return out


class PloverExporter:
    name = "plover"
    suffix = ".jsonl"
    multi_file = False

    def write(self, conn: Connection, out: TextIO | Path, filters: Filters) -> ExportStats:
        stats = ExportStats(self.name)
        scope = Scope.resolve(conn, filters)
        quad = _quad_codes()
        coder = f"wirescope {__version__}"
        for row in scope.events(conn):
            rec = record(row, quad, coder)
            if rec is None:
                stats.add("events without a date (left out)")
                continue
            if not rec["source"]:
                stats.add("events without a source actor (left out)")
                continue
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            stats.add("events")
        if len(stats.counts) > 1:
            stats.note("PLOVER requires a date and a source actor; events lacking either are left out "
                       "(the csv and jsonl exports keep them)")
        return stats
