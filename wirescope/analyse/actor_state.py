"""The actors stage's working state for one document (the mentions recorded so far, genders,
generic groups, people named only inside "<name> administration") and `record_mention`, the one
way its steps link a span of text to an entity."""
from __future__ import annotations

from dataclasses import dataclass, field

from wirescope.analyse.actor_index import head_of
from wirescope.analyse.context import Context
from wirescope.model import Entity, Span


# ---- the stage's working state ------------------------------------------------------------------
@dataclass
class Mention:
    head: int  # token index of the mention's head
    start_tok: int
    entity: str
    kind: str  # "name" | "description" | "pronoun" | "generic"


@dataclass
class ActorState:
    mentions: list[Mention] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)
    generic: dict[tuple[str, str | None], str] = field(default_factory=dict)
    latent: list[str] = field(default_factory=list)  # people named only inside "<name> administration"
    org_mentions: list[tuple[int, str]] | None = None  # (head token, entity id) of named organizations
    seen: set[tuple[str, int, int]] = field(default_factory=set)


def record_mention(ctx: Context, state: ActorState, entity: Entity, i0: int, i1: int, kind: str,
                   start: int | None = None, end: int | None = None) -> None:
    doc = ctx.doc
    s = doc[i0].idx if start is None else start
    if end is None:
        last = doc[i1 - 1]
        e = last.idx + len(last.text)
    else:
        e = end
    if not (0 <= s < e <= len(ctx.text)):
        return
    # Context.add_mention, without its linear duplicate check (this stage adds thousands of mentions
    # to one entity in a long document): the same span, the same token links
    if (entity.id, s, e) not in state.seen:
        state.seen.add((entity.id, s, e))
        entity.mentions.append(Span.of(ctx.text, s, e))
    links = ctx.token_entity
    covered = doc[i0:i1]
    for i in range(covered.start, covered.end):  # the span's token indices, no Token objects
        links.setdefault(i, entity.id)
    state.mentions.append(Mention(head_of(doc, i0, i1), i0, entity.id, kind))


def merge_into(ctx: Context, state: ActorState, keep: Entity, drop: Entity) -> None:
    """Fold entity `drop` into `keep` (Context.merge_entities) and carry the stage's own records over:
    mentions, genders, generic groups and the descriptions it holds."""
    if keep.id == drop.id:
        return
    ctx.merge_entities(keep, drop)
    for m in state.mentions:
        if m.entity == drop.id:
            m.entity = keep.id
    if drop.id in state.gender:
        state.gender.setdefault(keep.id, state.gender.pop(drop.id))
    for key, eid in list(state.generic.items()):
        if eid == drop.id:
            state.generic[key] = keep.id
    state.org_mentions = None
    for family, bucket in ctx.products.get("descriptions", {}).items():
        for k, (start, eid, desc) in enumerate(bucket):
            if eid == drop.id:
                bucket[k] = (start, keep.id, desc)
