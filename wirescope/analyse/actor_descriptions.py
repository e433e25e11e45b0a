"""Descriptions, step 4 of the actors stage: unnamed human sources ("a senior Afghan intelligence
official") become anonymous person entities with a descriptor; later definite descriptions ("the
official") join the most recent compatible one; plural ones ("Afghan officials") stay apart; an
apposition ties a description to a named person; generic armed-group nouns ("the al-Qaeda
terrorists") become group entities whose descriptor["of"] names the actor they belong to.

`describe_source` and `make_source_entity` let the attribution stage reuse this logic."""
from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from typing import Any

from wirescope.analyse import names as nm
from wirescope.analyse.actor_index import candidate_tokens, sentence_no, sentence_starts
from wirescope.analyse.actor_lexicon import DEFINITE, QUOTES, SUBJECT_DEPS, lexicon
from wirescope.analyse.actor_state import ActorState, record_mention
from wirescope.analyse.context import Context
from wirescope.model import Entity


# ---- descriptions -------------------------------------------------------------------------------
def _as_head(span_or_tokens) -> Any:
    """The head token of a spaCy Span, a Token, or a list of tokens."""
    if span_or_tokens is None:
        return None
    if hasattr(span_or_tokens, "root"):
        return span_or_tokens.root
    if hasattr(span_or_tokens, "head") and hasattr(span_or_tokens, "i"):
        return span_or_tokens
    toks = list(span_or_tokens)
    if not toks:
        return None
    idx = {t.i for t in toks}
    for t in reversed(toks):
        if t.head.i not in idx or t.head.i == t.i:
            return t
    return toks[-1]


def _role_of_token(tok) -> tuple[str, bool, bool] | None:
    """(role, plural, generic) for a human role noun or a generic group noun, else None."""
    if tok.pos_ not in ("NOUN", "PROPN") or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"):
        return None
    lex = lexicon()
    word = tok.lower_
    if word in lex.role_of:
        role, plural = lex.role_of[word]
        return role, plural, False
    if word in lex.generic_of:
        role, plural = lex.generic_of[word]
        return role, plural, True
    lemma = tok.lemma_.lower()
    if lemma in lex.role_of and lemma != word:
        role, _ = lex.role_of[lemma]
        return role, tok.tag_ in ("NNS", "NNPS"), False
    return None


def _left_modifiers(head) -> list:
    """Tokens of the pre-head modifiers of a noun phrase, in text order (no determiner)."""
    out = []
    for child in head.lefts:
        if child.dep_ in ("det", "predet", "punct", "cc", "case", "prep"):
            continue
        out.extend(t for t in child.subtree if t.i < head.i)
    return sorted(out, key=lambda t: t.i)


def _identity_name_at(head) -> int | None:
    """Where the name that identifies a description starts: "the man, identified as X,", "a suspect,
    named as X,", "the victim, X," (data: identity_cues). None when no such name follows."""
    doc = head.doc
    j = head.i + 1
    if j + 1 >= len(doc) or doc[j].text != "," or head.tag_ in ("NNS", "NNPS"):
        return None
    j += 1
    k, cued = j, False
    for cue in lexicon().identity_cues:
        n = len(cue)
        if j + n < len(doc) and tuple(t.lower_ for t in doc[j:j + n]) == cue:
            k, cued = j + n, True
            break
    if k >= len(doc) or not doc[k].text[:1].isupper():
        return None
    if doc[k].ent_type_ == "PERSON" or (cued and doc[k].pos_ == "PROPN"):
        return k
    return None


def describe_source(span_or_tokens) -> dict | None:
    """The descriptor of a human-description noun phrase ("a senior Afghan intelligence official" ->
    {"role": "official", "rank": "senior", "affiliation": "Afghan", "agency": "intelligence", ...}),
    or None when its head is not a source noun. Keys: role, family, plural, rank, affiliation,
    agency, country (ISO code of a nationality), definite, text, start, end (char span of the
    mention: modifiers and head, without determiner, possessor or trailing phrases), generic."""
    head = _as_head(span_or_tokens)
    if head is None:
        return None
    found = _role_of_token(head)
    if found is None:
        return None
    role, plural, generic = found
    lex = lexicon()
    mods = _left_modifiers(head)
    poss_tokens = {t.i for child in head.lefts if child.dep_ == "poss" for t in child.subtree}
    count_tokens = {t.i for child in head.lefts if child.dep_ in ("nummod", "quantmod") or (
        child.dep_ == "amod" and child.lower_ in ("many", "several", "few", "various", "numerous", "some"))
        for t in child.subtree}
    body = [t for t in mods if t.i not in poss_tokens and t.i not in count_tokens]
    # the mention: contiguous modifiers ending at the head
    start_tok = head
    for t in reversed(body):
        if t.i == start_tok.i - 1 or (t.i < start_tok.i and all(
                x.i in {b.i for b in body} for x in head.doc[t.i:start_tok.i])):
            start_tok = t
    while start_tok.i < head.i and (start_tok.is_punct or start_tok.text in QUOTES):
        start_tok = head.doc[start_tok.i + 1]
    ranks, agencies, affiliations, country = [], [], [], None
    affiliation_tokens: list = []
    for t in body:
        w = t.lower_
        if w in lex.ranks or t.text.lower().replace("-", "") in lex.ranks:
            ranks.append(t.text)
        elif w in lex.agencies:
            agencies.append(t.text)
        else:
            dem = nm.demonym_country(t.text) if t.text[:1].isupper() else None
            if dem is not None:
                affiliations.append(t.text)
                country = country or dem.country
            elif w in lex.affiliations:
                affiliations.append(t.text)
            elif t.pos_ == "PROPN" or t.ent_type_ in ("ORG", "GPE", "NORP"):
                affiliation_tokens.append(t)
    # hyphenated ranks: "high-ranking"
    joined = head.doc[start_tok.i:head.i].text.lower()
    for r in ("high-ranking", "high-level", "mid-level", "low-level"):
        if r in joined and r not in [x.lower() for x in ranks]:
            ranks = [x for x in ranks if x.lower() not in ("high", "ranking", "level")] + [r]
    if affiliation_tokens:
        affiliations.append(head.doc[affiliation_tokens[0].i:affiliation_tokens[-1].i + 1].text)
    # a prepositional affiliation: "a spokesman for the Taliban", "an official with the Afghan intelligence"
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("for", "of", "with", "from", "at", "in"):
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                if pobj.ent_type_ in ("ORG", "NORP") or (pobj.pos_ == "PROPN" and pobj.ent_type_ != "GPE"):
                    left = min((t.i for t in pobj.subtree if t.dep_ not in ("det",) and t.i <= pobj.i), default=pobj.i)
                    if head.doc[left].lower_ == "the":
                        left += 1
                    affiliations.append(head.doc[left:pobj.i + 1].text)
                elif pobj.ent_type_ == "GPE" and child.lower_ in ("for", "of", "from"):
                    affiliations.append(pobj.text)
                for t in pobj.lefts:
                    if t.lower_ in lex.agencies:
                        agencies.append(t.text)
                    dem = nm.demonym_country(t.text) if t.text[:1].isupper() else None
                    if dem is not None:
                        affiliations.append(t.text)
                        country = country or dem.country
                if pobj.lower_ in lex.agencies:
                    agencies.append(pobj.text)
                break
    for child in head.lefts:  # a named possessor: "Al-Qaeda's leaders"
        if child.dep_ == "poss" and (child.ent_type_ in ("ORG", "NORP", "GPE") or child.pos_ == "PROPN"):
            left = child.left_edge.i + (child.left_edge.lower_ == "the")
            affiliations.append(head.doc[left:child.i + 1].text)
    if role in lex.needs_modifier and not (ranks or agencies or affiliations) and _identity_name_at(head) is None:
        return None
    det = next((c.lower_ for c in head.lefts if c.dep_ in ("det", "predet")), None)
    has_poss = any(c.dep_ == "poss" for c in head.lefts)
    end_char = head.idx + len(head.text)
    descriptor: dict[str, Any] = {
        "role": role, "family": lex.family.get(role, role), "plural": plural,
        "rank": " ".join(ranks) or None, "affiliation": affiliations[0] if affiliations else None,
        "agency": " ".join(dict.fromkeys(a.lower() for a in agencies)) or None, "country": country,
        "definite": det in DEFINITE, "possessed": has_poss,
        "text": head.doc[start_tok.i:head.i + 1].text, "start": start_tok.idx, "end": end_char,
        "generic": generic, "head": head.i, "first": start_tok.i,
    }
    if count_tokens:
        descriptor["count"] = head.doc[min(count_tokens):max(count_tokens) + 1].text
    if len(affiliations) > 1:
        descriptor["affiliations"] = list(dict.fromkeys(affiliations))
    if lex.gender.get(role):
        descriptor["gender"] = lex.gender[role]
    return descriptor


def _public(descriptor: dict) -> dict:
    keep = ("role", "rank", "affiliation", "agency", "plural", "count")
    out = {k: descriptor[k] for k in keep if descriptor.get(k) not in (None, False)}
    if descriptor.get("affiliations"):
        out["affiliations"] = descriptor["affiliations"]
    if descriptor.get("affiliation_id"):
        out["affiliation_id"] = descriptor["affiliation_id"]
    return out


def _compatible(later: dict, earlier: dict) -> bool:
    """May a later description mean the same source as an earlier one? Same role family and number,
    and nothing in the later one the earlier did not say (or contradicts)."""
    if later["family"] != earlier.get("family", earlier.get("role")) or bool(later.get("plural")) != bool(earlier.get("plural")):
        return False
    for key in ("rank", "agency"):
        a, b = later.get(key), earlier.get(key)
        if a and not set(a.lower().split()) <= set((b or "").lower().split()):
            return False
    a, b = later.get("affiliation"), earlier.get("affiliation")
    if a:
        known = {x.casefold() for x in ([b] if b else []) + list(earlier.get("affiliations", []))}
        if nm.name_key(a) not in {nm.name_key(x) for x in known} and a.casefold() not in known:
            return False
    return True


def _affiliation_entity(ctx: Context, head, descriptor: dict) -> Entity | None:
    """The named actor a description belongs to ("a CIA official" -> CIA), if the article names it."""
    for t in _left_modifiers(head):
        e = ctx.entity_of_token(t)
        if e is not None and e.type in ("organization", "location", "group"):
            return e
    for child in head.rights:
        if child.dep_ == "prep":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    e = ctx.entity_of_phrase(pobj)
                    if e is not None and e.type in ("organization", "group") or (
                            e is not None and e.type == "location" and child.lower_ in ("for", "of", "from")):
                        return e
    return None


def _named_person_for(ctx: Context, head, descriptor: dict) -> Entity | None:
    """A named person the description is in apposition to, or predicated of:
    "Zabihullah Mujahid, a Taliban spokesman,", "a Taliban spokesman, Zabihullah Mujahid,",
    "Mujahid is the group's spokesman"."""
    if descriptor.get("plural"):
        return None
    doc = head.doc
    # "Name, description"
    first = doc[descriptor["first"]]
    i = first.i - 1
    while i >= 0 and doc[i].lower_ in ("a", "an", "the"):
        i -= 1
    if i >= 1 and doc[i].text == "," :
        e = ctx.entity_of_token(doc[i - 1])
        if e is not None and e.type == "person" and not e.anonymous:
            return e
    # "the man, identified as Name", "the victim, Name,"
    k = _identity_name_at(head)
    if k is not None:
        e = ctx.entity_of_token(doc[k])
        if e is not None and e.type == "person" and not e.anonymous:
            return e
    # "description, Name,"
    j = head.i + 1
    sent_end = head.sent.end
    limit = min(sent_end, head.i + 10)
    while j < limit and doc[j].text != ",":
        if doc[j].dep_ in ("nsubj", "ROOT") or doc[j].pos_ == "VERB":
            break
        j += 1
    if j < limit and doc[j].text == "," and j + 1 < sent_end:
        e = ctx.entity_of_token(doc[j + 1])
        if e is not None and e.type == "person" and not e.anonymous:
            k = j + 1
            while k < sent_end and ctx.entity_of_token(doc[k]) is e:
                k += 1
            if k >= sent_end or doc[k].text in (",", ".", ")") or doc[k].pos_ in ("VERB", "AUX"):
                return e
    # apposition in the parse, either way
    if head.dep_ == "appos":
        e = ctx.entity_of_token(head.head)
        if e is not None and e.type == "person" and not e.anonymous:
            return e
    for child in head.children:
        if child.dep_ in ("appos", "compound") and ctx.entity_of_token(child) is not None:
            e = ctx.entity_of_token(child)
            if e.type == "person" and not e.anonymous:
                return e
    # copula: "X is a senior official"
    if head.dep_ == "attr" and head.head.lemma_ == "be":
        for ch in head.head.children:
            if ch.dep_ == "nsubj":
                e = ctx.entity_of_token(ch)
                if e is not None and e.type == "person" and not e.anonymous:
                    return e
    return None


def _is_title_of_name(ctx: Context, head) -> bool:
    """"Taliban spokesman Zabihullah Mujahid", "Foreign Minister Atmar": a title, not a description."""
    if head.dep_ == "compound" and ctx.entity_of_token(head.head) is not None:
        return ctx.entity_of_token(head.head).type == "person"
    nxt = head.i + 1
    if nxt < len(head.doc):
        e = ctx.entity_of_token(head.doc[nxt])
        if e is not None and e.type == "person" and head.doc[nxt].pos_ == "PROPN":
            return True
    return False


def _store(ctx: Context) -> dict[str, list[tuple[int, str, dict]]]:
    """Every description seen, by role family, in text order: (start, entity id, descriptor). A
    declared product of the actors stage ("descriptions"), so that later stages' lookups
    (make_source_entity) see the same descriptions."""
    return ctx.products.setdefault("descriptions", {})


def _attach_description(ctx: Context, entity: Entity, descriptor: dict) -> None:
    bucket = _store(ctx).setdefault(descriptor["family"], [])
    bucket.append((descriptor["start"], entity.id, descriptor))
    if len(bucket) > 1 and bucket[-2][0] > descriptor["start"]:
        bucket.sort(key=lambda item: item[0])


def make_source_entity(ctx: Context, head_token) -> Entity | None:
    """The entity of a human-description noun phrase headed by head_token: the one already linked
    to the token, else the most recent compatible description (for a definite one), else a new
    anonymous entity. None when the phrase does not describe a source."""
    if head_token is None:
        return None
    found = ctx.entity_of_token(head_token)
    if found is not None:
        return found
    descriptor = describe_source(head_token)
    if descriptor is None or descriptor["generic"] and descriptor["plural"]:
        return None
    return _resolve_description(ctx, None, head_token, descriptor)


def _with_affiliation(ctx: Context, head, descriptor: dict) -> None:
    """Name the actor a description belongs to, when the article names it ("Pakistani Taliban
    leader" -> the Pakistani Taliban, not just "Pakistani")."""
    affiliation = _affiliation_entity(ctx, head, descriptor)
    if affiliation is None:
        return
    descriptor["affiliation_id"] = affiliation.id
    current = descriptor.get("affiliation")
    if affiliation.type in ("organization", "group") and current and current != affiliation.name:
        others = [x for x in descriptor.get("affiliations", [current]) if x]
        descriptor["affiliations"] = list(dict.fromkeys([affiliation.name, *others]))
        descriptor["affiliation"] = affiliation.name
    elif not current:
        descriptor["affiliation"] = affiliation.name
    if affiliation.country and not descriptor.get("country"):
        descriptor["country"] = affiliation.country


def _resolve_description(ctx: Context, state: ActorState | None, head, descriptor: dict) -> Entity | None:
    _with_affiliation(ctx, head, descriptor)
    target: Entity | None = _named_person_for(ctx, head, descriptor)
    if target is None and descriptor["definite"] and not descriptor["possessed"]:
        target = _previous_description_any(ctx, descriptor, descriptor["start"])
    if target is None:
        kind = "group" if descriptor["plural"] else "person"
        target = ctx.new_entity(descriptor["text"], kind, anonymous=True, descriptor=_public(descriptor),
                                country=descriptor.get("country"))
        if descriptor["plural"]:
            target.subtype = "sources"
    else:
        if target.anonymous and descriptor["text"].casefold() != target.name.casefold():
            target.add_alias(descriptor["text"], "description")
        if target.country is None and descriptor.get("country"):
            target.country = descriptor["country"]
        if not target.anonymous:
            base = dict(target.descriptor or {})
            for k, v in _public(descriptor).items():
                base.setdefault(k, v)
            target.descriptor = base
    _attach_description(ctx, target, descriptor)
    if descriptor.get("gender") and state is not None:
        state.gender.setdefault(target.id, descriptor["gender"])
    if state is not None:
        record_mention(ctx, state, target, descriptor["first"], descriptor["head"] + 1, "description",
                       descriptor["start"], descriptor["end"])
    else:
        ctx.add_mention(target, descriptor["start"], descriptor["end"])
    return target


def _previous_description_any(ctx: Context, descriptor: dict, before: int, look_back: int = 50) -> Entity | None:
    """The entity of the most recent compatible description before `before` (the last `look_back`
    descriptions of the same role family are searched)."""
    bucket = _store(ctx).get(descriptor["family"], [])
    checked = 0
    for start, eid, desc in reversed(bucket):
        if start >= before:
            continue
        checked += 1
        if checked > look_back:
            break
        if _compatible(descriptor, desc):
            found = ctx.entity(eid)
            if found is not None:
                return found
    return None


def _org_anaphor(ctx: Context, state: ActorState, noun) -> Entity | None:
    """The organization a definite "the group" / "the network" refers back to: in this sentence or the
    one before, the most recent named organization that is a subject, else the most recent one."""
    lex = lexicon()
    if noun.lower_ not in lex.org_anaphor_nouns or ctx.entity_of_token(noun) is not None:
        return None
    lefts = list(noun.lefts)
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in lefts) or any(
            c.dep_ in ("amod", "compound", "poss", "nummod") for c in lefts):
        return None
    orgs = state.org_mentions
    if orgs is None:
        orgs = state.org_mentions = sorted(
            (m.head, m.entity) for m in state.mentions if m.kind == "name"
            and (e := ctx.entity(m.entity)) is not None and e.type in ("organization", "group") and not e.anonymous)
    doc = ctx.doc
    window = sentence_starts(doc)[max(0, sentence_no(doc, noun.i) - 1)]
    k = bisect_right(orgs, (noun.i, "")) - 1
    latest = None
    while k >= 0 and orgs[k][0] >= window:
        head, eid = orgs[k]
        if latest is None:
            latest = eid
        if doc[head].dep_ in SUBJECT_DEPS:
            return ctx.entity(eid)
        k -= 1
    return ctx.entity(latest)


def _group_owner(ctx: Context, state: ActorState, head) -> tuple[Entity | None, int | None]:
    """The named actor a group noun belongs to, and the first token tying it there: a modifier
    ("the al-Qaeda terrorists", "Hezbollah's fighters"), or "of/from/with/for X", "loyal to X"."""
    for t in _left_modifiers(head):
        e = ctx.entity_of_token(t)
        if e is not None and e.type in ("organization", "group", "person") and not e.anonymous:
            return e, t.i
    owner: Entity | None = None
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "from", "with", "for"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    e = ctx.entity_of_phrase(pobj) or _org_anaphor(ctx, state, pobj)
                    if e is not None and e.type in ("organization", "group") and not e.anonymous:
                        owner = e
        elif child.dep_ in ("amod", "acl") and child.lower_ in ("loyal", "linked", "affiliated", "allied", "aligned"):
            for prep in child.children:
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        e = ctx.entity_of_phrase(pobj)
                        if e is not None and e.type in ("organization", "group") and not e.anonymous:
                            owner = e
    return owner, None


def _generic_group(ctx: Context, state: ActorState, head, descriptor: dict) -> None:
    """"the al-Qaeda terrorists", "Taliban fighters", "militants of the Islamic State", "terrorists";
    and members of a named actor ("senior members of the network", "Haqqani members")."""
    doc = head.doc
    owner, tie_start = _group_owner(ctx, state, head)
    plural_word = lexicon().generic_plural.get(descriptor["role"], head.lower_)
    key = (plural_word, owner.id if owner else None)
    entity = ctx.entity(state.generic.get(key))
    if entity is None:
        name = f"{owner.name} {plural_word}" if owner is not None else plural_word
        entity = ctx.new_entity(name, "group", subtype="generic",
                                descriptor={"role": plural_word, "of": owner.id if owner else None, "plural": True},
                                country=owner.country if owner is not None else None)
        state.generic[key] = entity.id
    i0 = tie_start if tie_start is not None else head.i
    if i0 < head.i and doc[i0].lower_ == "the":
        i0 += 1
    start = doc[i0].idx
    text = ctx.text[start:head.idx + len(head.text)]
    if text.casefold() != entity.name.casefold():
        entity.add_alias(text, "description")
    # the owner keeps its own mention tokens: add_mention never re-links a token already linked
    record_mention(ctx, state, entity, i0, head.i + 1, "generic")


@lru_cache(maxsize=1)
def _role_words() -> frozenset[str]:
    """Every word form `_role_of_token` reads as a role or generic group noun."""
    lex = lexicon()
    return frozenset(lex.role_of) | frozenset(lex.generic_of)


@lru_cache(maxsize=1)
def _role_lemmas() -> frozenset[str]:
    """The lemmas `_role_of_token` reads as a role noun."""
    return frozenset(lexicon().role_of)


def _in_titled_name(ctx: Context, tok) -> bool:
    """A word of a multiword title before a named person ("Detective" in "Detective Inspector Darren
    Gough"): part of the person's title, not a description of its own."""
    t, steps = tok, 0
    while t.dep_ == "compound" and t.head.i > t.i and steps < 4:
        t, steps = t.head, steps + 1
    e = ctx.entity_of_token(t) if t is not tok else None
    return e is not None and e.type == "person" and not e.anonymous


def descriptions(ctx: Context, state: ActorState) -> None:
    doc = ctx.doc
    for i in candidate_tokens(doc, ("NOUN", "PROPN"), _role_words(), _role_lemmas()):
        tok = doc[i]
        if tok.pos_ not in ("NOUN", "PROPN"):
            continue
        found = _role_of_token(tok)
        if found is None or ctx.entity_of_token(tok) is not None:
            continue
        role, plural, generic = found
        if tok.dep_ in ("compound", "amod") and tok.head.i > tok.i and _role_of_token(tok.head) is None:
            if _is_title_of_name(ctx, tok):
                descriptor = describe_source(tok)
                person = ctx.entity_of_token(tok.head)
                if descriptor is not None and person is not None and not person.anonymous:
                    _with_affiliation(ctx, tok, descriptor)
                    base = dict(person.descriptor or {})
                    for k, v in _public(descriptor).items():
                        base.setdefault(k, v)
                    person.descriptor = base
                    _attach_description(ctx, person, descriptor)
            continue  # "intelligence official" is a head, "official statement" is not
        if _is_title_of_name(ctx, tok) or _in_titled_name(ctx, tok):
            continue
        descriptor = describe_source(tok)
        if descriptor is None:
            continue
        if generic and plural:
            _generic_group(ctx, state, tok, descriptor)
        elif plural and role in lexicon().member_roles and _group_owner(ctx, state, tok)[0] is not None:
            _generic_group(ctx, state, tok, descriptor)  # "members of the network": a part of the network
        else:
            _resolve_description(ctx, state, tok, descriptor)
