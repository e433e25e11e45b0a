"""Stage 'places': put location entities on the map, give actors a country, give events a place.

Every location entity is looked up in the offline gazetteer (wirescope.analyse.geo): a country, a
first-level region (US state, province, governorate...), a region with a country, or a city with
coordinates and population. A name that several places share ("Georgia", "Tripoli", "Paris",
"Hyderabad") is decided by the rest of the document, each reading scored as:

- a prior: countries first, then regions, then cities by the log of their population;
- the other places of the document that are not ambiguous themselves: a city or region of the same
  country (+3), of the same US state (+4), the country itself, its capital or a demonym of it ("the
  Lebanese army", +1 each, at most 3), for a country a neighbour mentioned (+0.5 each, at most 2);
- the words around the mention: "Paris, Texas" or "Tripoli in Lebanon" (+10 for a reading inside
  the place named next), "Kandahar province" or "the province of Kandahar" (+3 for a region),
  "Kandahar city" (+3 for a city).

When the two best readings are in different countries and less than half a point apart, the name
stays unresolved; when they are different places of one country, it is left at country level.
Names the gazetteer lacks fall back to a place they are said to be in ("Sangin, Helmand", "the
village of Sangin in Helmand province"), with that place's country; a facility named after its
town ("Kabul airport") takes the town.

Each resolved location gets `entity.country` (ISO 3166-1 alpha-2) and `entity.geo`:
{"geonameid", "name", "lat", "lon", "country", "admin1", "feature": country|admin1|region|city,
"how"}. Actors without a country get one from a demonym or country name in their own words or just
before them ("Afghan officials", "Pakistani Prime Minister ...", "Iraq's Interior Ministry", "the
Syrian Democratic Forces"), or from the place their description names. Events without a location
take the location entity their sentence puts them at ("in", "near", "outside" ...), never their own
source or target.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wirescope.analyse import geo
from wirescope.analyse.context import Context
from wirescope.analyse.pipeline import StageInfo
from wirescope.model import Entity

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token

MARGIN = 0.5
W_APPOSITION = 10.0
W_SAME_ADMIN1 = 4.0
W_SAME_COUNTRY_PLACE = 3.0
W_COUNTRY_MENTION = 1.0
W_NEIGHBOUR = 0.5
W_HINT = 3.0
WINDOW = 6  # tokens looked at before an actor's mention for a demonym


@dataclass
class Reading:
    entity: Entity
    places: list[geo.Place] = field(default_factory=list)
    how: str = "gazetteer"
    admin_hint: bool = False
    city_hint: bool = False
    containers: list[str] = field(default_factory=list)  # ids of location entities named right after it


@dataclass
class Evidence:
    """What the unambiguous places and demonyms of a document say, kept by the entity that said it
    so that a name is never its own evidence."""
    mentions: Counter = field(default_factory=Counter)  # ISO -> country mentions (country, capital, demonym)
    mentions_by: dict[str, Counter] = field(default_factory=dict)
    places: Counter = field(default_factory=Counter)  # ISO -> places inside that country
    admins: Counter = field(default_factory=Counter)  # admin1 -> places inside it
    places_by: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    def add_mention(self, eid: str | None, country: str) -> None:
        self.mentions[country] += 1
        if eid:
            self.mentions_by.setdefault(eid, Counter())[country] += 1

    def add_place(self, eid: str, country: str, admin1: str | None) -> None:
        self.places[country] += 1
        if admin1:
            self.admins[admin1] += 1
        self.places_by[eid] = (country, admin1)

    def country_mentions(self, country: str, skip: str) -> int:
        return self.mentions[country] - self.mentions_by.get(skip, Counter())[country]

    def has_place_in(self, country: str, skip: str) -> bool:
        own = self.places_by.get(skip)
        return self.places[country] - (1 if own and own[0] == country else 0) > 0

    def has_place_in_admin1(self, admin1: str, skip: str) -> bool:
        own = self.places_by.get(skip)
        return self.admins[admin1] - (1 if own and own[1] == admin1 else 0) > 0

    def countries(self, skip: str) -> set[str]:
        return {c for c in set(self.mentions) | set(self.places)
                if self.country_mentions(c, skip) > 0 or self.has_place_in(c, skip)}


def run(ctx: Context) -> None:
    if not ctx.entities:
        return
    gaz = geo.gazetteer()
    words = gaz.words
    _retype_places(ctx, gaz, words)
    locations = [e for e in ctx.entities if e.type == "location"]
    readings = {e.id: _reading(ctx, e, gaz, words) for e in locations}
    evidence = _evidence(ctx, gaz, readings)
    resolved: dict[str, geo.Place] = {}
    before = {e.id: e.country for e in ctx.entities}
    for reading in readings.values():
        found = _decide(reading, readings, evidence, gaz)
        if found is not None:
            place, how = found
            resolved[reading.entity.id] = place
            reading.entity.geo = place.geo(how)
            reading.entity.country = place.country
    for reading in readings.values():  # names the gazetteer lacks: the place they are said to be in
        if reading.entity.id not in resolved:
            _contained(ctx, reading, readings, resolved)
    _actor_countries(ctx, gaz, before)
    _event_places(ctx, words)


STAGE = StageInfo("places", requires=("entities",), assigns=("places",), run=run)


def _retype_places(ctx: Context, gaz: geo.Gazetteer, words: dict) -> None:
    """A name the parser took for an actor is a place when the gazetteer knows it and no statement,
    relation or event uses it as an actor: a person or organisation whose every mention sits where
    places go ("regrouped in Nineveh", "police in Hyderabad and Karachi", "the port of Hodeidah",
    "across the Tigray region"), a group whose name is a place and not a demonym ("Punjab")."""
    used: set[str] = set()
    for s in ctx.statements:
        used.update(x for x in (s.speaker, s.via) if x)
    for r in ctx.relations:
        used.update((r.subject, r.object))
    for v in ctx.events:
        used.update(x for x in (v.source, v.target) if x)
    for entity in ctx.entities:
        if entity.type not in ("person", "organization", "group") or entity.anonymous or entity.id in used:
            continue
        if entity.country is not None or entity.subtype or entity.descriptor or not gaz.lookup(entity.name):
            continue
        if entity.type == "group":
            if not gaz.demonym(entity.name) and not any(gaz.demonym(a) for a in entity.aliases):
                entity.type = "location"
            continue
        ok = bool(entity.mentions)
        for m in entity.mentions:
            span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not _in_place_position(span.root, words):
                ok = False
                break
        if ok:
            entity.type = "location"


_NOT_PLACE_PREPS = frozenset({"at", "on", "against", "over", "towards", "toward"})


def _in_place_position(tok: "Token", words: dict) -> bool:
    place_nouns = words["admin_words"] | words["city_words"]
    for _ in range(4):
        if tok.dep_ == "conj" and tok.head.i != tok.i:
            tok = tok.head
        elif tok.dep_ == "compound" and tok.head.lower_ in place_nouns:
            tok = tok.head
        else:
            break
    if tok.dep_ != "pobj":
        return False
    prep = tok.head
    if prep.lower_ in words["locative_prepositions"] and prep.lower_ not in _NOT_PLACE_PREPS:
        return True
    return prep.lower_ == "of" and prep.head.lower_ in place_nouns


# ---- readings ------------------------------------------------------------------------------------

def _names(entity: Entity) -> list[str]:
    seen: dict[str, None] = {}
    for name in [entity.name, *entity.aliases, *(m.text for m in entity.mentions)]:
        if name and name.strip():
            seen.setdefault(name.strip(), None)
    return list(seen)


def _lookup(name: str, gaz: geo.Gazetteer, words: dict) -> tuple[list[geo.Place], str, bool, bool]:
    """Places for a name, trying the name, then without a region/town word, then without a compass
    word, then its leading words (a facility named after its town)."""
    found = gaz.lookup(name)
    if found:
        return found, "gazetteer", False, False
    parts = geo.place_key(name).split()
    if len(parts) < 2:
        return [], "", False, False
    if parts[-1] in words["admin_words"] or parts[0] in words["admin_words"] and len(parts) > 2 and parts[1] == "of":
        rest = " ".join(parts[:-1]) if parts[-1] in words["admin_words"] else " ".join(parts[2:])
        found = gaz.lookup(rest)
        if found:
            return found, "gazetteer", True, False
    if parts[-1] in words["city_words"]:
        found = gaz.lookup(" ".join(parts[:-1]))
        if found:
            return found, "gazetteer", False, True
    if parts[0] in words["directions"]:
        found, how, admin, city = _lookup(" ".join(parts[1:]), gaz, words)
        if found:
            return found, how, admin, city
    for n in range(len(parts) - 1, 0, -1):  # "Kabul airport", "Kandahar Airfield", "Mosul University"
        found = gaz.lookup(" ".join(parts[:n]))
        if found:
            return found, "named after", False, False
    return [], "", False, False


def _reading(ctx: Context, entity: Entity, gaz: geo.Gazetteer, words: dict) -> Reading:
    reading = Reading(entity)
    for name in _names(entity):
        places, how, admin, city = _lookup(name, gaz, words)
        if places:
            reading.places, reading.how = places, how
            reading.admin_hint |= admin
            reading.city_hint |= city
            break
    doc = ctx.doc
    for m in entity.mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        after = doc[span.end] if span.end < len(doc) else None
        if after is not None:
            low = after.lower_
            if low in words["admin_words"]:
                reading.admin_hint = True
            elif low in words["city_words"] and low not in ("capital",):
                reading.city_hint = True
        if span.start >= 2 and doc[span.start - 1].lower_ == "of":
            low = doc[span.start - 2].lower_
            if low in words["admin_words"]:
                reading.admin_hint = True
            elif low in words["city_words"]:
                reading.city_hint = True
        container = _next_place(ctx, span.end, words)
        if container is not None and container.id != entity.id and container.id not in reading.containers:
            reading.containers.append(container.id)
    return reading


def _next_place(ctx: Context, i: int, words: dict) -> Entity | None:
    """The location entity that 'X, Y' or 'X in (the) (northern) Y' names right after token i."""
    doc = ctx.doc
    if i >= len(doc):
        return None
    j = i
    if doc[j].text == ",":
        j += 1
        if j < len(doc) and doc[j].lower_ == "in":
            j += 1
    elif doc[j].lower_ == "in":
        j += 1
    else:
        return None
    while j < len(doc) and j < i + 5 and (doc[j].lower_ in ("the",) or doc[j].lower_ in words["directions"]):
        j += 1
    if j >= len(doc):
        return None
    found = ctx.entity_of_token(doc[j])
    return found if found is not None and found.type == "location" else None


# ---- evidence ------------------------------------------------------------------------------------

def _evidence(ctx: Context, gaz: geo.Gazetteer, readings: dict[str, Reading]) -> Evidence:
    ev = Evidence()
    for eid, reading in readings.items():
        countries = {p.country for p in reading.places}
        if len(countries) != 1:
            continue
        country = next(iter(countries))
        if any(p.feature == "country" or p.capital for p in reading.places):
            for _ in range(min(3, max(1, len(reading.entity.mentions)))):
                ev.add_mention(eid, country)
        else:
            admins = {p.admin1 for p in reading.places}
            ev.add_place(eid, country, admins.pop() if len(admins) == 1 else None)
    for ent in ctx.doc.ents:
        if ent.label_ == "NORP":
            found = gaz.demonym(ent.text)
            if len(found) == 1:
                ev.add_mention(None, found[0])
    if ctx.document.dateline:
        places = gaz.lookup(ctx.document.dateline)
        countries = {p.country for p in places}
        if len(countries) == 1:
            ev.add_mention(None, next(iter(countries)))
    return ev


# ---- deciding ------------------------------------------------------------------------------------

def _contains(outer: geo.Place, inner: geo.Place) -> bool:
    if outer.country != inner.country or outer == inner:
        return False
    if outer.feature == "country":
        return inner.feature != "country"
    if outer.feature in ("admin1", "region") and inner.feature == "city":
        return outer.admin1 is None or inner.admin1 is None or outer.admin1 == inner.admin1
    return False


def _score(place: geo.Place, reading: Reading, readings: dict[str, Reading], ev: Evidence, gaz: geo.Gazetteer
           ) -> tuple[float, bool]:
    """(score, whether anything beyond the prior counted)."""
    eid = reading.entity.id
    score = place.prior
    context = 0.0
    context += W_COUNTRY_MENTION * min(ev.country_mentions(place.country, eid), 3)
    if ev.has_place_in(place.country, eid):
        context += W_SAME_COUNTRY_PLACE
    if place.admin1 and place.feature != "country" and ev.has_place_in_admin1(place.admin1, eid):
        context += W_SAME_ADMIN1
    if place.feature == "country":
        near = gaz.neighbours.get(place.country, frozenset()) & ev.countries(eid)
        context += W_NEIGHBOUR * min(len(near), 2)
    if reading.admin_hint and place.feature in ("admin1", "region"):
        context += W_HINT
    if reading.city_hint and place.feature == "city":
        context += W_HINT
    for cid in reading.containers:
        outer = readings.get(cid)
        if outer is not None and any(_contains(o, place) for o in outer.places):
            context += W_APPOSITION
            break
    return score + context, context > 0


def _decide(reading: Reading, readings: dict[str, Reading], ev: Evidence, gaz: geo.Gazetteer
            ) -> tuple[geo.Place, str] | None:
    places = reading.places
    if not places:
        return None
    if len(places) == 1:
        return places[0], reading.how
    scored = sorted(((*_score(p, reading, readings, ev, gaz), p) for p in places),
                    key=lambda t: (-t[0], -t[2].population, t[2].name))
    (best_score, best_ctx, best), (second_score, _, second) = scored[0], scored[1]
    close = best_score - second_score < MARGIN
    if close and best.country != second.country:
        return None  # two countries, nothing to choose between them
    if close and best.feature != "country" and second.feature != "country" and {best.feature, second.feature} == {"city"}:
        country = gaz.country(best.country)
        return (country, "country level (several places of that name)") if country else None
    if best.country == second.country and best.feature == "country":
        return best, reading.how
    how = "context" if best_ctx and best is not max(places, key=lambda p: (p.prior, p.population)) else (
        "most likely reading" if reading.how == "gazetteer" else reading.how)
    return best, how


def _contained(ctx: Context, reading: Reading, readings: dict[str, Reading], resolved: dict[str, geo.Place]) -> None:
    """A name the gazetteer lacks takes the country of the place it is said to be in."""
    entity = reading.entity
    doc = ctx.doc
    outer_ids = list(reading.containers)
    for m in entity.mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        for tok in span.root.children:  # "Sangin district of Helmand", "a village in Kunar"
            if tok.dep_ == "prep" and tok.lower_ in ("in", "of"):
                for obj in tok.children:
                    if obj.dep_ == "pobj":
                        found = ctx.entity_of_token(obj)
                        if found is not None and found.type == "location":
                            outer_ids.append(found.id)
    for oid in outer_ids:
        place = resolved.get(oid)
        if place is not None and oid != entity.id:
            outer = next(e for e in ctx.entities if e.id == oid)
            entity.country = place.country
            entity.geo = place.geo(f"inside {outer.name}")
            return


# ---- actors --------------------------------------------------------------------------------------

def _country_in_words(texts: list[str], gaz: geo.Gazetteer) -> str | None:
    """The one country that a demonym or a country name among these words points to."""
    found: set[str] = set()
    for text in texts:
        tokens = geo.place_key(text).split()
        for n in (3, 2, 1):
            for i in range(len(tokens) - n + 1):
                code = gaz.country_of_name(" ".join(tokens[i:i + n]))
                if code:
                    found.add(code)
    return found.pop() if len(found) == 1 else None


_STOP_POS = {"VERB", "AUX", "ADP", "SCONJ", "CCONJ", "PRON", "NUM"}


def _country_before(ctx: Context, start: int, gaz: geo.Gazetteer) -> str | None:
    """A demonym or country name in the words right before a mention: 'Afghan President X',
    "Iraq's Interior Ministry", 'the Pakistani army chief X'."""
    doc = ctx.doc
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None:
        return None
    i = span.start
    found: set[str] = set()
    j = i - 1
    while j >= 0 and j >= i - WINDOW and not doc[j].is_sent_end:
        tok = doc[j]
        if tok.pos_ in _STOP_POS or tok.text in (",", ";", ":", "(", ")", '"', "\u201c", "\u201d"):
            break
        if tok.text[:1].isupper() or tok.text.upper() == tok.text:
            pair = doc[j - 1:j + 1].text if j >= 1 else ""
            code = (gaz.country_of_name(pair) if pair else None) or gaz.country_of_name(tok.text)
            if code:
                found.add(code)
        j -= 1
    return found.pop() if len(found) == 1 else None


def _country_in_apposition(ctx: Context, start: int, end: int, gaz: geo.Gazetteer) -> str | None:
    """'X, the Afghan envoy, said' -> AF."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    for child in span.root.children:
        if child.dep_ == "appos":
            for tok in child.children:
                if tok.dep_ in ("amod", "compound", "poss", "nmod") and tok.text[:1].isupper():
                    code = gaz.country_of_name(tok.text)
                    if code:
                        return code
    return None


def _actor_countries(ctx: Context, gaz: geo.Gazetteer, before: dict[str, str | None]) -> None:
    by_id = {e.id: e for e in ctx.entities}
    for entity in ctx.entities:
        if entity.type == "location":
            continue
        desc = entity.descriptor or {}
        owner = by_id.get(desc.get("affiliation_id") or "")
        if owner is not None and owner.type == "location" and owner.country and (
                entity.country is None or entity.country == before.get(owner.id) != owner.country):
            entity.country = owner.country  # its description names a place we put on the map
            continue
        if entity.country is not None:
            continue
        code = None
        if desc.get("affiliation"):
            code = _country_in_words([str(desc["affiliation"])], gaz)
        if code is None and entity.type in ("group", "organization") and not entity.anonymous:
            code = _country_in_words([entity.name, *entity.aliases], gaz)
        if code is None and entity.type in ("person", "organization") and not entity.anonymous:
            for m in entity.mentions:
                code = _country_before(ctx, m.start, gaz) or _country_in_apposition(ctx, m.start, m.end, gaz)
                if code:
                    break
        if code:
            entity.country = code


# ---- events --------------------------------------------------------------------------------------

def _event_places(ctx: Context, words: dict) -> None:
    if not ctx.events:
        return
    locations = [e for e in ctx.entities if e.type == "location"]
    if not locations:
        return
    preps = words["locative_prepositions"]
    mentions = sorted((m.start, m.end, e.id) for e in locations for m in e.mentions)
    starts = [m[0] for m in mentions]
    for event in ctx.events:
        if event.location is not None:
            continue
        anchor = event.trigger_span.start if event.trigger_span is not None else event.evidence.start
        sent = ctx.sentence_of(anchor)
        best: tuple[int, int, str] | None = None
        for k in range(bisect_left(starts, sent.start_char), len(mentions)):
            start, end, eid = mentions[k]
            if start >= sent.end_char:
                break
            if end > sent.end_char or eid in (event.source, event.target):
                continue
            rank = _locative_rank(ctx, start, end, preps)
            if rank is None:
                continue
            candidate = (rank, abs(start - anchor), eid)
            if best is None or candidate < best:
                best = candidate
        if best is not None:
            event.location = best[2]


def _locative_rank(ctx: Context, start: int, end: int, preps: frozenset) -> int | None:
    """0: the object of a locative preposition ('in Kabul', 'in Kabul's Shar-e-Naw district');
    1: another mention that is not a subject or object (an actor); None: an actor."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    tok: Token = span.root
    for _ in range(3):  # climb possessives and compounds to the phrase head
        if tok.dep_ in ("poss", "compound", "nmod", "amod", "appos") and tok.head is not tok:
            tok = tok.head
        else:
            break
    if tok.dep_ == "pobj" and tok.head.lower_ in preps:
        return 0
    if tok.dep_ in ("nsubj", "nsubjpass", "dobj", "iobj", "agent", "attr", "dative"):
        return None
    if tok.dep_ == "pobj" and tok.head.lower_ in ("from", "to", "with", "by", "for", "of", "between", "about"):
        return None
    return 1
