"""Title holders, a step of the actors stage after the descriptions: a title the article gives a
named person stands for that person when the article uses it alone.

- "the Queen", "the Pope", "Her Majesty", "His Holiness": the one person of the article who holds the
  styled title ("Queen Elizabeth II", "Pope Francis");
- "the prime minister", "the Taoiseach", "the home secretary": a definite description (or the bare
  capitalised title) whose title a named person of the article holds ("Prime Minister Boris Johnson",
  "Boris Johnson, the current prime minister") joins that person instead of staying an anonymous
  actor of its own; with two holders, the latest named before it (else the first after it).
A former holder's title ("the former prime minister") is another title."""
from __future__ import annotations

from bisect import bisect_right

from wirescope.analyse import names as nm
from wirescope.analyse.actor_lexicon import lexicon
from wirescope.analyse.actor_state import ActorState, merge_into, record_mention
from wirescope.analyse.context import Context
from wirescope.model import Entity

# words of a title that say nothing about which title it is ("the current prime minister")
_NEUTRAL = frozenset({"current", "then", "sitting", "incumbent", "the", "a", "an", "'s", "\u2019s", "country", "nation"})


def title_key(text: str) -> str:
    """The comparison key of a title: casefolded words without neutral words and nationalities
    ("the British Prime Minister" -> "prime minister")."""
    out = []
    for w in text.replace("\u2019", "'").split():
        low = w.casefold()
        if low in _NEUTRAL or (w[:1].isupper() and nm.demonym_country(w) is not None):
            continue
        out.append(low)
    return " ".join(out)


def _holders(ctx: Context) -> dict[str, list[tuple[int, str]]]:
    """Title key -> (where the title was given, person id), in text order, for named persons."""
    found: dict[str, list[tuple[int, str]]] = {}
    for e in ctx.entities:
        if e.type != "person" or e.anonymous:
            continue
        title = (e.descriptor or {}).get("title")
        if title:
            first = min((m.start for m in e.mentions), default=0)
            found.setdefault(title_key(title), []).append((first, e.id))
    for family in ctx.products.get("descriptions", {}).values():
        for start, eid, desc in family:
            e = ctx.entity(eid)
            if e is None or e.type != "person" or e.anonymous or desc.get("plural"):
                continue
            found.setdefault(title_key(desc.get("text", "")), []).append((start, eid))
    for key in list(found):
        if not key:
            del found[key]
        else:
            found[key] = sorted(set(found[key]))
    return found


def _pick(places: list[tuple[int, str]], at: int) -> str | None:
    """The holder named last before `at`, else the first named after it."""
    k = bisect_right(places, (at, "\uffff")) - 1
    if k >= 0:
        return places[k][1]
    return places[0][1] if places else None


def _title_only(e: Entity) -> bool:
    """An entity the article names only by a title ("Queen", "Majesty", "Prime Minister")."""
    lex = lexicon()
    forms = {e.name, *e.aliases, *(m.text for m in e.mentions)}
    return all(f.casefold() in lex.titles or tuple(f.casefold().split()[-1:]) in {k[-1:] for k in lex.style_references}
               for f in forms if f)


def _description_key(ctx: Context, e: Entity) -> str | None:
    """The title an anonymous singular person's definite descriptions give, when they all give one."""
    keys = set()
    for family in ctx.products.get("descriptions", {}).values():
        for _, eid, desc in family:
            if eid != e.id:
                continue
            if desc.get("plural") or not (desc.get("definite") or desc.get("text", "")[:1].isupper()):
                return None
            keys.add(title_key(desc.get("text", "")))
    return keys.pop() if len(keys) == 1 else None


def _style_holder(ctx: Context, titles: frozenset[str], holders: dict[str, list[tuple[int, str]]]) -> Entity | None:
    """The one person holding one of the titles ("Her Majesty" -> the Queen of the article)."""
    ids = {eid for t in titles for _, eid in holders.get(t, [])}
    return ctx.entity(next(iter(ids))) if len(ids) == 1 else None


def title_holders(ctx: Context, state: ActorState) -> None:
    lex = lexicon()
    holders = _holders(ctx)
    if not holders:
        return
    doc = ctx.doc
    # 1. entities named only by a title, or anonymous descriptions of a title someone holds
    for e in list(ctx.entities):
        if e.type != "person" or not e.mentions:
            continue
        at = min(m.start for m in e.mentions)
        if not e.anonymous and _title_only(e):
            key = title_key(e.name)
            if key.split()[-1:] == ["majesty"] or key.split()[-1:] in (["highness"], ["holiness"]):
                forms = {k for k in lex.style_references if k[-1] == key.split()[-1]}
                target = _style_holder(ctx, frozenset(t for k in forms for t in lex.style_references[k]), holders)
            else:
                places = [p for p in holders.get(key, []) if p[1] != e.id]
                target = ctx.entity(_pick(places, at)) if places else None
        elif e.anonymous and (e.descriptor or {}).get("role"):
            key = _description_key(ctx, e)
            places = holders.get(key or "", [])
            target = ctx.entity(_pick(places, at)) if places else None
        else:
            continue
        if target is not None and target.id != e.id and not target.anonymous:
            merge_into(ctx, state, target, e)
    # 2. "the Queen", "Her Majesty", "His Holiness" the parser left untagged
    linked = ctx.token_entity
    for tok in doc:
        if tok.i in linked or not tok.text[:1].isupper():
            continue
        low = tok.text.casefold()
        i0, i1, titles = None, None, None
        if low in lex.styled_titles and tok.i > 0 and doc[tok.i - 1].lower_ == "the" and (
                tok.i + 1 >= len(doc) or not doc[tok.i + 1].text[:1].isupper()):
            i0, i1, titles = tok.i, tok.i + 1, frozenset({low})
        elif low in ("her", "his", "their") and tok.i + 1 < len(doc):
            for form, allowed in lex.style_references.items():
                n = len(form)
                if tuple(t.lower_ for t in doc[tok.i:tok.i + n]) == form:
                    i0, i1, titles = tok.i, tok.i + n, allowed
                    break
        if titles is None:
            continue
        target = _style_holder(ctx, titles, holders)
        if target is not None and all(linked.get(i, target.id) == target.id for i in range(i0, i1)):
            record_mention(ctx, state, target, i0, i1, "name")
