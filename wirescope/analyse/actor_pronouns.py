"""Anaphora, steps 3 and 5 of the actors stage: "the former" / "the latter", and pronouns (he/she ->
a recent singular person, they/them -> a recent plural-compatible organization or group, it/its -> an
organisation or a country of this sentence or the one before, scored by sentence
distance, subjecthood and speech; left unresolved when nothing fits). This is the one anaphora
resolver: the predicate layer (syntax.Resolver) and attribution read the mentions it records."""
from __future__ import annotations

from bisect import bisect_right

from wirescope.analyse import names as nm
from wirescope.analyse.actor_index import candidate_tokens, sentence_no, sentence_starts, word_positions
from wirescope.analyse.actor_lexicon import PRONOUN_WINDOW, SUBJECT_DEPS, lexicon
from wirescope.analyse.actor_state import ActorState, Mention, record_mention
from wirescope.analyse.context import Context
from wirescope.model import Entity


# ---- the former / the latter ------------------------------------------------------------------------
def former_latter(ctx: Context, state: ActorState) -> None:
    """"the former" / "the latter": the earlier / later of the last two actors named in this sentence
    and the one before. Only the two sentences' mentions are read (bisect), never the whole list."""
    doc = ctx.doc
    if not state.mentions:
        return
    positions = word_positions(doc, _FORMER_LATTER)
    if not positions:
        return
    ordered = sorted((m for m in state.mentions if m.kind == "name"), key=lambda m: m.start_tok)
    starts = [m.start_tok for m in ordered]
    for i in positions:
        tok = doc[i]
        if tok.dep_ in ("amod", "compound"):
            continue
        if not any(ch.lower_ == "the" and ch.dep_ == "det" for ch in tok.children):
            continue
        if ctx.entity_of_token(tok) is not None:
            continue
        sent_no = sentence_no(doc, tok.i)
        window_start = sentence_starts(doc)[max(0, sent_no - 1)]
        lo, hi = bisect_right(starts, window_start - 1), bisect_right(starts, tok.i - 1)
        seen: list[str] = []
        firsts: dict[str, int] = {}
        for m in ordered[lo:hi]:
            firsts.setdefault(m.entity, m.start_tok)
            if m.entity in seen:
                seen.remove(m.entity)
            seen.append(m.entity)
        if len(seen) < 2:
            continue
        pair = seen[-2:]
        pair.sort(key=lambda eid: firsts[eid])  # the pair keep their order of first mention in the window
        target = ctx.entity(pair[0] if tok.lower_ == "former" else pair[1])
        if target is not None:
            record_mention(ctx, state, target, tok.i, tok.i + 1, "name")


_FORMER_LATTER = frozenset({"former", "latter"})


# ---- pronouns -----------------------------------------------------------------------------------
def _clause_verb(tok):
    cur = tok.head
    steps = 0
    while cur.pos_ not in ("VERB", "AUX") and cur.head.i != cur.i and steps < 8:
        cur = cur.head
        steps += 1
    return cur


def _clause_subjects(verb) -> list:
    subs = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    cur = verb
    steps = 0
    while not subs and cur.dep_ in ("conj", "xcomp") and steps < 4:
        cur = cur.head
        subs = [c for c in cur.children if c.dep_ in SUBJECT_DEPS]
        steps += 1
    return subs


def _is_plural_like(e: Entity) -> bool:
    if e.type == "group" or (e.descriptor or {}).get("plural"):
        return True
    if e.subtype in ("armed_group",):
        return True
    last = e.name.split()[-1] if e.name else ""
    return last.endswith("s") and not last.endswith("ss") and not nm.looks_like_acronym(last)


def _referential_it(tok, expletive_heads: frozenset, actor_adjectives: frozenset = frozenset()) -> bool:
    """Whether "it"/"its" can stand for an actor: possessive "its", or "it" as the subject of a verb
    other than a copula, raising or weather verb ("it is clear", "it took hours", "it rained"), or of
    a copula with an adjective only an actor can be ("Syria says it is willing to withdraw")."""
    if tok.lower_ == "its":
        return tok.dep_ == "poss"
    if tok.dep_ not in SUBJECT_DEPS:
        return False
    head = tok.head
    if head.lemma_.lower() == "be" and any(c.dep_ == "acomp" and c.lemma_.lower() in actor_adjectives
                                          for c in head.children):
        return True
    if head.lemma_.lower() in expletive_heads or head.pos_ not in ("VERB", "AUX"):
        return False
    return not any(c.dep_ in ("expl", "acomp", "attr") for c in head.children)


def pronouns(ctx: Context, state: ActorState) -> None:
    doc, lex = ctx.doc, lexicon()
    pr = lex.pronouns
    singular, plural = pr["singular_person"], pr["plural"]
    neuter, expletive_heads = pr.get("neuter", frozenset()), pr.get("expletive_heads", frozenset())
    actor_adjectives = pr.get("actor_adjectives", frozenset())
    female, male = pr["female"], pr["male"]
    reflexive = pr.get("reflexive", frozenset())
    mentions = sorted(state.mentions, key=lambda m: m.head)
    by_sent: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sent.setdefault(sentence_no(doc, m.head), []).append(m)
    for i in candidate_tokens(doc, ("PRON",), singular | plural | neuter):
        tok = doc[i]
        word = tok.lower_
        if tok.pos_ != "PRON" or (word not in singular and word not in plural and word not in neuter):
            continue
        if word in reflexive or ctx.entity_of_token(tok) is not None:
            continue
        if word in neuter and not _referential_it(tok, expletive_heads, actor_adjectives):
            continue
        if word == "her" and tok.dep_ not in ("dobj", "pobj", "dative", "iobj", "poss"):
            continue
        k = sentence_no(doc, tok.i)
        verb = _clause_verb(tok)
        banned: set[str] = set()
        is_object = tok.dep_ in ("dobj", "dative", "iobj", "pobj") and word not in pr["possessive"]
        if is_object:
            for s in _clause_subjects(verb):
                e = ctx.entity_of_token(s) or ctx.entity_of_phrase(s)
                if e is not None:
                    banned.add(e.id)
                    of = (e.descriptor or {}).get("of")
                    if of:
                        banned.add(of)
        banned_owners = {(ctx.entity(b).descriptor or {}).get("of") for b in banned if ctx.entity(b) is not None}
        scores: dict[str, float] = {}
        for d in range(0, PRONOUN_WINDOW + 1):
            for m in by_sent.get(k - d, []):
                if m.head >= tok.i:
                    continue
                e = ctx.entity(m.entity)
                if e is None or e.id in banned:
                    continue
                mtok = doc[m.head]
                if word in singular:
                    if e.type != "person" or (e.descriptor or {}).get("plural"):
                        continue
                    g = state.gender.get(e.id)
                    if g and ((word in female and g != "female") or (word in male and g != "male")):
                        continue
                elif word in neuter:
                    # an organisation or a country ("Sudan denied that it would ...", "China ... its
                    # territory"); never a person, a group or a place that is only a place
                    if d > 1 or m.kind == "generic" or (e.descriptor or {}).get("plural"):
                        continue
                    if e.type != "organization" and e.subtype != "country":
                        continue
                else:
                    if e.type not in ("organization", "group") or e.type == "location":
                        continue
                    if e.id in banned_owners:
                        continue
                subject = mtok.dep_ in SUBJECT_DEPS
                speaker = subject and mtok.head.lemma_.lower() in lex.speech_verbs
                score = -2.0 * d + (2.0 if subject else 0.0) + (1.0 if speaker and word in singular else 0.0)
                if word in plural and _is_plural_like(e):
                    score += 1.0
                if m.kind == "generic" and (e.descriptor or {}).get("of") is None:
                    score -= 0.5
                # same clause: a subject pronoun cannot take the object of its own verb as antecedent
                if d == 0 and not is_object and _clause_verb(mtok) is verb and not subject:
                    continue
                # "Speaking to Martin Smith of PBS, he said": one spoken to in a fronted phrase of the
                # pronoun's own sentence is rarely the one the subject pronoun names
                if d == 0 and not is_object and mtok.dep_ == "pobj" and tok.dep_ in SUBJECT_DEPS:
                    score -= 1.5
                score += 0.001 * (m.head - tok.i) / max(1, len(doc))  # recency tie-break
                if score > scores.get(e.id, -99.0):
                    scores[e.id] = score
        if not scores:
            continue
        ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
        best_id, best = ranked[0]
        if best < -3.0:
            continue
        if len(ranked) > 1 and abs(ranked[1][1] - best) < 0.01:
            continue  # two equally good antecedents: leave it
        entity = ctx.entity(best_id)
        if entity is not None:
            record_mention(ctx, state, entity, tok.i, tok.i + 1, "pronoun")
            # a chain: the next pronoun may take this one as its antecedent ("She ... her husband")
            by_sent.setdefault(k, []).append(state.mentions[-1])
