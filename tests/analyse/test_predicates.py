"""The predicate-argument layer: frames per sentence (sentences written for this file)."""
from __future__ import annotations

import datetime as dt

import pytest

from wirescope.analyse.context import Context
from wirescope.analyse.predicates import MODALITIES, frames
from wirescope.model import Document


@pytest.fixture(scope="module")
def read(pipeline):
    """read(text) -> (ctx, frame index) after every stage of the default pipeline."""

    def run(text: str, published: str = "2021-03-20"):
        doc = pipeline.nlp(text)
        ctx = Context(doc, Document(text, published=published), dt.date.fromisoformat(published))
        for stage in pipeline.stages:
            stage.run(ctx)
        return ctx, frames(ctx)

    return run


def frame(index, ctx, word):
    for f in index.all():
        if f.trigger.text == word:
            return f
    raise AssertionError(f"no frame on {word!r}: {[f.trigger.text for f in index.all()]}")


def texts(tokens):
    return {t.text for t in tokens}


def test_frames_are_on_the_context_once(read):
    ctx, index = read("Rebels shelled the town.")
    assert frames(ctx) is index and ctx.products["predicates"] is index
    sent = next(iter(ctx.doc.sents))
    assert index.sentence(sent) is index.sentence(sent)


def test_passive_by_agent(read):
    ctx, index = read("Three journalists were kidnapped by armed men in Mali.")
    f = frame(index, ctx, "kidnapped")
    assert f.voice == "passive"
    assert texts(f.agent) == {"men"} and texts(f.patient) == {"journalists"}
    assert "Mali" in texts(f.place)


def test_participle_chain_shares_the_agent(read):
    ctx, index = read("The militia broke the ceasefire, shelling army posts and killing four guards.")
    for word in ("broke", "shelling", "killing"):
        assert texts(frame(index, ctx, word).agent) == {"militia"}, word
    assert texts(frame(index, ctx, "killing").patient) == {"guards"}


def test_coordinated_agents(read):
    ctx, index = read("Police and troops stormed the building on Sunday.")
    assert texts(frame(index, ctx, "stormed").agent) == {"Police", "troops"}


def test_nominal_possessor_and_of(read):
    ctx, index = read("Russia's shelling of the port angered Ukraine.")
    f = frame(index, ctx, "shelling")
    assert f.kind == "noun" and texts(f.agent) == {"Russia"} and texts(f.patient) == {"port"}


def test_nominal_on_and_by(read):
    ctx, index = read("The raid on the camp by commandos lasted an hour.")
    f = frame(index, ctx, "raid")
    assert texts(f.agent) == {"commandos"} and texts(f.patient) == {"camp"}


@pytest.mark.parametrize("text,noun,agent,patient", [
    ("Rebels carried out an ambush on the patrol.", "ambush", "Rebels", "patrol"),
    ("The navy launched strikes against pirate bases.", "strikes", "navy", "bases"),
])
def test_light_verbs_lend_their_subject(read, text, noun, agent, patient):
    ctx, index = read(text)
    f = frame(index, ctx, noun)
    assert f.support is not None
    assert agent in texts(f.agent) and patient in texts(f.patient)


def test_control_verb_passes_its_subject(read):
    ctx, index = read("Hamas vowed to retaliate against Israel.")
    f = frame(index, ctx, "retaliate")
    assert texts(f.agent) == {"Hamas"} and texts(f.oblique("against")) == {"Israel"}


def test_relative_pronoun_stands_for_the_noun(read):
    ctx, index = read("Officials questioned the envoy who met the rebels.")
    assert texts(frame(index, ctx, "met").agent) == {"envoy"}


def test_negation(read):
    ctx, index = read("The army did not attack the village.")
    f = frame(index, ctx, "attack")
    assert f.negated and f.polarity == "negative" and not f.happened


@pytest.mark.parametrize("text,word,modality", [
    ("Rebels may attack the town.", "attack", "hedged"),
    ("Troops will withdraw from the border next week.", "withdraw", "future"),
    ("The minister is to resign on Friday.", "resign", "future"),
    ("The summit is set to open tomorrow.", "open", "future"),
    ("If the talks fail, the army would resume its offensive.", "fail", "conditional"),
    ("If the talks fail, the army would resume its offensive.", "resume", "hypothetical"),
    ("The bill would have allowed the police to detain suspects.", "allowed", "hypothetical"),
    ("Soldiers arrested the smugglers.", "arrested", "asserted"),
])
def test_modality(read, text, word, modality):
    ctx, index = read(text)
    f = frame(index, ctx, word)
    assert f.modality == modality and modality in MODALITIES
    assert f.event_modality() in ("asserted", "hedged", "future")


def test_time_of_own_clause_then_sentence(read):
    ctx, index = read("Fighters attacked a checkpoint on Tuesday, and officials later reported the attack.")
    assert frame(index, ctx, "attacked").time == "2021-03-16"
    # "reported" has no time of its own: the sentence's
    assert frame(index, ctx, "reported").time == "2021-03-16"


def test_a_date_header_is_no_ones_time(read):
    ctx, index = read("Monday, March 15, 2021\n\nGunmen kidnapped a priest in the north.")
    assert frame(index, ctx, "kidnapped").time is None


def test_statement_of_a_frame(read):
    ctx, index = read("The minister said police arrested ten people.")
    f = frame(index, ctx, "arrested")
    assert f.statement is not None and ctx.statement(f.statement) is not None


def test_long_sentences_get_no_frames(read):
    ctx, index = read("Rebels attacked " + ", ".join(["the town"] * 250) + ".")
    assert list(index.all()) == []
