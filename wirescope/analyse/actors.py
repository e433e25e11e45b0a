"""Actors stage (first cut): named entities from spaCy, typed, grouped by exact name."""
from __future__ import annotations

from wirescope.analyse.context import Context
from wirescope.analyse.pipeline import StageInfo

TYPE_OF_LABEL = {"PERSON": "person", "ORG": "organization", "GPE": "location", "LOC": "location",
                 "FAC": "location", "NORP": "group"}


def _name(text: str) -> str:
    for suffix in ("\u2019s", "'s"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def run(ctx: Context) -> None:
    by_name = {}
    for ent in ctx.doc.ents:
        kind = TYPE_OF_LABEL.get(ent.label_)
        if kind is None:
            continue
        name = _name(ent.text)
        start = ent.start_char
        end = start + len(name)
        if ent[0].lower_ == "the":
            start = ent[1].idx if len(ent) > 1 else start
            name = ctx.text[start:end]
        key = name.casefold()
        entity = by_name.get(key)
        if entity is None:
            entity = by_name[key] = ctx.new_entity(name, kind, label=ent.label_)
        ctx.add_mention(entity, start, end)


STAGE = StageInfo("actors", requires=("doc", "doc.ents"), assigns=("entities",), run=run)
