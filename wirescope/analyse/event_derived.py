"""Events read off other events and off statements, a step of the events stage (events.py): a
material act the source says it will carry out is also a promise or a threat; an answer to a
request is aimed at whoever made it; praise and blame said of a named actor are the speaker's
SUPPORT and ACCUSE; not yielding is rejecting. Also the stage's Mention record and the test for a
natural phenomenon as a subject."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wirescope.analyse.actor_lexicon import lexicon as actor_lexicon
from wirescope.analyse.context import Context
from wirescope.analyse.predicates import Frame
from wirescope.analyse.syntax import Resolver, predicate_time, sentence_span
from wirescope.analyse.vocab import plover_data
from wirescope.model import Entity

if TYPE_CHECKING:
    from spacy.tokens import Token

# a stated future material act is a promise (cooperation) or a threat (conflict)
PROMISED = {"RETREAT": "AGREE", "AID": "AGREE", "COOPERATE": "AGREE",
            "ASSAULT": "THREATEN", "COERCE": "THREATEN", "SANCTION": "THREATEN", "PROTEST": "THREATEN",
            "MOBILIZE": "THREATEN"}
SAYING = {"say", "declare", "announce", "insist", "state", "tell", "stress", "warn", "add", "argue",
          "maintain", "write", "demand", "reiterate", "emphasize", "emphasise", "assert", "urge"}


@dataclass
class Mention:
    type: str
    mode: str | None
    trigger: "Token"
    words: list["Token"]
    source: Entity | None = None
    target: Entity | None = None
    location: Entity | None = None
    time: str | None = None
    polarity: str = "positive"
    modality: str = "asserted"
    definite: bool = False
    frame: Frame | None = None
    modifier_source: bool = False  # the source is only a modifier of the noun ("Twin bombings")
    more_sources: list[Entity] = field(default_factory=list)  # coordinated with source / target
    more_targets: list[Entity] = field(default_factory=list)
    absorbed: list[int] = field(default_factory=list)  # token ids of triggers merged in here



def promises(merged: list[tuple[Mention, tuple[int, int]]]) -> list[tuple[Mention, tuple[int, int]]]:
    """A material act the source states it will carry out is also a promise (AGREE: "the rebels
    said they will release the hostages") or a threat (THREATEN: "they would boycott all contact")."""
    out = []
    for m, span in merged:
        kind = PROMISED.get(m.type)
        if kind is None or m.modality not in ("future", "hedged") or m.polarity != "positive" or m.source is None:
            continue
        pred = m.trigger.head if m.trigger.dep_ in ("dobj", "attr") and m.trigger.head.pos_ == "VERB" else m.trigger
        auxes = {t.lower_ for t in pred.children if t.dep_ == "aux"}
        if m.modality == "hedged" and not ("would" in auxes and pred.dep_ == "ccomp"
                                           and pred.head.lemma_.lower() in SAYING):
            continue  # "would" only as the source's own reported intent ("said they would boycott")
        if not auxes & {"will", "would", "shall", "'ll"} \
                and not any(t.lemma_.lower() in ("pledge", "promise", "vow", "threaten", "offer", "agree")
                            for t in m.trigger.ancestors):
            continue  # the future must be the source's stated intent, not a purpose clause
        d = Mention(kind, None, m.trigger, m.words, source=m.source, target=m.target,
                    location=m.location, time=m.time, polarity="positive", modality="asserted")
        out.append((d, span))
    return out


ANSWERED = {"request": "REQUEST", "demand": "REQUEST", "call": "REQUEST", "appeal": "REQUEST", "plea": "REQUEST",
            "petition": "REQUEST", "ultimatum": "THREATEN", "threat": "THREATEN", "accusation": "ACCUSE",
            "allegation": "ACCUSE", "charge": "ACCUSE", "criticism": "ACCUSE"}


def answers(merged: list[tuple[Mention, tuple[int, int]]]) -> None:
    """"The embassy declined the request", "the ministry rejected the accusations": an answer to an
    earlier request, threat or charge is aimed at whoever made it (the latest such event before it,
    when the answer names no target of its own)."""
    seen: list[Mention] = []
    for m, _ in merged:
        if m.target is None and m.type in ("REJECT", "AGREE", "CONCEDE") and m.trigger.pos_ == "VERB":
            for o in m.trigger.children:
                kind = ANSWERED.get(o.lemma_.lower()) if o.dep_ in ("dobj", "nsubjpass") else None
                if kind is None or not any(c.dep_ in ("det", "poss") for c in o.children):
                    continue
                asked = next((p for p in reversed(seen) if p.type == kind and p.source is not None
                              and p.source is not m.source), None)
                if asked is not None:
                    m.target = asked.source
                break
        seen.append(m)


def _taken(merged: list[tuple[Mention, tuple[int, int]]]) -> set[tuple]:
    """(source, target, type) of the events found so far: a derived event adds no second copy."""
    return {(m.source.id if m.source else None, m.target.id if m.target else None, m.type) for m, _ in merged}


def _said(ctx: Context):
    """(statement, speaker entity, content tokens) of every affirmative statement with a known speaker."""
    for st in ctx.statements:
        speaker = ctx.entity(st.speaker)
        if speaker is None or st.polarity != "positive":
            continue
        span = ctx.doc.char_span(st.content.start, st.content.end, alignment_mode="expand")
        if span is not None:
            yield st, speaker, span


def tributes(ctx: Context, res: Resolver, merged: list[tuple[Mention, tuple[int, int]]]) -> list[tuple[Mention, tuple[int, int]]]:
    """Praise said of someone is support: a statement whose content calls a named actor something
    good ("Cummings was a great man", "D'Souza had been an iconic leader", "she is a true friend")
    is a SUPPORT by its speaker of that actor (the words of praise: plover.yaml praise_words)."""
    praise = set(plover_data().get("praise_words", ()))
    taken = _taken(merged)
    out = []
    for st, speaker, span in _said(ctx):
        for tok in span:
            if tok.lemma_ != "be" or not any(c.dep_ == "attr" for c in tok.children):
                continue
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            attr = next(c for c in tok.children if c.dep_ == "attr")
            if subj is None or not any(t.lemma_.lower() in praise for t in attr.subtree) or any(
                    c.dep_ == "neg" for c in tok.children):
                continue
            target = next((e for e in res.entities(subj) if e.type in ("person", "organization", "group")), None)
            if target is None or target.id == speaker.id or (speaker.id, target.id, "SUPPORT") in taken:
                continue
            taken.add((speaker.id, target.id, "SUPPORT"))
            m = Mention("SUPPORT", None, attr, [attr], source=speaker, target=target,
                        time=predicate_time(ctx, tok), polarity="positive", modality="asserted")
            sent = tok.sent
            out.append((m, sentence_span(ctx, sent)))
    return out


def blame(ctx: Context, res: Resolver, merged: list[tuple[Mention, tuple[int, int]]]) -> list[tuple[Mention, tuple[int, int]]]:
    """Blame said of someone is an accusation: a statement whose content has a named actor as the
    subject of its main clause and a word of blame (plover.yaml blame_words), not negated, is an
    ACCUSE by its speaker of that actor ("Boris Johnson is trying to use the Queen ... this is a
    deeply dangerous and irresponsible way to govern")."""
    blame_words = set(plover_data().get("blame_words", ()))
    taken = _taken(merged)
    out = []
    for st, speaker, span in _said(ctx):
        words = [t for t in span if t.lemma_.lower() in blame_words or t.lower_ in blame_words]
        if not words or any(c.dep_ == "neg" for t in words for c in t.head.children):
            continue
        # the first clause of the content whose subject is a named actor: "Boris Johnson is trying ..."
        root, target = None, None
        for t in span:
            if t.dep_ not in ("nsubj", "nsubjpass") or t.pos_ == "PRON" and ctx.entity_of_token(t) is None:
                continue
            target = next((e for e in res.entities(t) if e.type in ("person", "organization", "group")
                           and e.subtype not in ("generic", "sources") and not e.anonymous), None)
            if target is not None:
                root = t.head
                break
        if target is None or target.id == speaker.id or (speaker.id, target.id, "ACCUSE") in taken:
            continue
        taken.add((speaker.id, target.id, "ACCUSE"))
        m = Mention("ACCUSE", "disapprove", words[0], [words[0]], source=speaker, target=target,
                    time=predicate_time(ctx, root), polarity="positive", modality="asserted")
        out.append((m, sentence_span(ctx, root.sent)))
    return out


def sympathy(ctx: Context, res: Resolver, merged: list[tuple[Mention, tuple[int, int]]]) -> list[tuple[Mention, tuple[int, int]]]:
    """Sympathy and tribute said of someone is support: a statement with a word of sympathy or tribute
    (plover.yaml sympathy_words) and no word of blame, about a named person or
    organisation ("said of X", or the first one its content names), is a SUPPORT by its speaker."""
    data = plover_data()
    kind_words = set(data.get("sympathy_words", ()))
    blame_words = set(data.get("blame_words", ()))
    taken = _taken(merged)
    out = []
    for st, speaker, span in _said(ctx):
        if st.modality != "asserted" or st.parent:
            continue
        lemmas = {t.lemma_.lower() for t in span}
        words = [t for t in span if t.lemma_.lower() in kind_words]
        if not words or lemmas & blame_words or any(c.dep_ == "neg" for t in words for c in t.head.children):
            continue
        about: list["Token"] = []
        if st.cue_span is not None:  # "Sarkozy said of Chirac, ..."
            cue = ctx.doc.char_span(st.cue_span.start, st.cue_span.end, alignment_mode="expand")
            if cue is not None:
                about = [p for c in cue.root.children if c.dep_ == "prep" and c.lower_ in ("of", "about")
                         for p in c.children if p.dep_ == "pobj"]
        about += [t for t in span if t.pos_ == "PROPN" or t.pos_ == "PRON" and ctx.entity_of_token(t) is not None]
        target = None
        for t in about:
            target = next((e for e in res.entities(t) if e.type in ("person", "organization") and not e.anonymous
                           and e.subtype not in ("generic", "sources") and e.id != speaker.id), None)
            if target is not None:
                break
        if target is None or (speaker.id, target.id, "SUPPORT") in taken:
            continue
        taken.add((speaker.id, target.id, "SUPPORT"))
        m = Mention("SUPPORT", None, words[0], [words[0]], source=speaker, target=target,
                    time=predicate_time(ctx, words[0]), polarity="positive", modality="asserted")
        out.append((m, sentence_span(ctx, words[0].sent)))
    return out


VICTIM_NOUNS = frozenset({"victim", "casualty", "target", "prey"})


def victims(ctx: Context, res: Resolver, merged: list[tuple[Mention, tuple[int, int]]]) -> list[tuple[Mention, tuple[int, int]]]:
    """"McArthur's first victim was Skandaraj Navaratnam", "Y was X's victim", "X's victim, Y", "Y, a
    victim of X": an ASSAULT of the one whose victim it is on the person named as the victim."""
    taken = _taken(merged)
    out = []
    for tok in ctx.doc:
        if tok.lemma_.lower() not in VICTIM_NOUNS or tok.pos_ != "NOUN":
            continue
        doers = [c for c in tok.children if c.dep_ == "poss"] + [
            p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
        source = next((e for d in doers for e in res.entities(d) if e.type in ("person", "organization", "group")
                       and e.subtype not in ("generic", "sources")), None)
        if source is None:
            continue
        named = [c for c in tok.children if c.dep_ == "appos"]
        if tok.dep_ == "nsubj" and tok.head.lemma_ == "be":
            named += [c for c in tok.head.children if c.dep_ == "attr"]
        elif tok.dep_ == "attr" and tok.head.lemma_ == "be":
            named += [c for c in tok.head.children if c.dep_ == "nsubj"]
        elif tok.dep_ == "appos":
            named.append(tok.head)
        target = next((e for v in named for e in res.entities(v) if e.type == "person" and e.id != source.id), None)
        if target is None or (source.id, target.id, "ASSAULT") in taken:
            continue
        taken.add((source.id, target.id, "ASSAULT"))
        m = Mention("ASSAULT", None, tok, [tok], source=source, target=target,
                    time=predicate_time(ctx, tok), polarity="positive", modality="asserted")
        out.append((m, sentence_span(ctx, tok.sent)))
    return out


def refusals(merged: list[tuple[Mention, tuple[int, int]]]) -> list[tuple[Mention, tuple[int, int]]]:
    """Not yielding is rejecting: "did not accede to the demands", "refused to agree" are also a
    REJECT by the same actors (the negated event stays, negative)."""
    out = []
    for m, span in merged:
        if m.type in ("AGREE", "CONCEDE") and m.polarity == "negative" and m.modality == "asserted" and m.source:
            d = Mention("REJECT", None, m.trigger, m.words, source=m.source, target=m.target,
                        location=m.location, time=m.time, polarity="positive", modality="asserted")
            d.more_sources, d.more_targets = m.more_sources, m.more_targets
            out.append((d, span))
    return out



def is_phenomenon(tok: "Token") -> bool:
    """A natural phenomenon as a subject: "Typhoon Haiyan", "the storm", "an earthquake"."""
    words = actor_lexicon().phenomenon_words
    return tok.lemma_.lower() in words or any(c.dep_ == "compound" and c.lower_ in words for c in tok.children)
