"""Guards of the time stage: words that look like time expressions but are part of something else.

- a month that is a person's name: "Theresa May", "May said", "Mrs May", "June Carter" (the
  entity layer, the document's own person names, a capitalised neighbour, the parse);
- a year inside a name: "the Terrorism Act 2000", "Windows 2000" (the year hangs on the proper
  noun before it), or a title right after a work noun ("the film 1917", "her album 1989");
- a holiday inside a place or organisation name: "Easter Island", "the Great Orchestra of
  Christmas Charity";
- fractions: "three-quarters" of something is no nine months;
- scores: "a 2-1 win", "won 9-11" is no date.

Each guard takes the original text, the span and the optional parse (`DocInfo`); the word lists are
data (`guards` in data/timex.yaml).
"""
from __future__ import annotations

import re
from functools import lru_cache

from wirescope.analyse.timex_patterns import lexicon, norm_key, patterns
from wirescope.analyse.timex_types import DocInfo, word_after

_WORD = re.compile(r"[A-Za-z][\w'’.-]*")
_NAME_MONTH = re.compile(r"\b([A-Z][a-z]+)[^\S\n]+(January|February|March|April|May|June|July|August|September|"
                         r"October|November|December)\b(?![^\S\n]*[,.]?[^\S\n]*\d)")
_PREV_WORD = re.compile(r"([A-Za-z][\w'’-]*)(\.?)([^\S\n]+)$")


@lru_cache(maxsize=1)
def _lists() -> dict[str, frozenset[str]]:
    lex = lexicon()["guards"]
    p = patterns()
    time_words = set(p.months) | set(p.weekdays) | set(p.seasons) | set(p.holidays) | set(p.point_mods) | {
        "fy", "fiscal", "q1", "q2", "q3", "q4", "h1", "h2", "year", "years", "class", "summer", "winter",
        "spring", "autumn", "fall", "christmas", "easter"}
    out = {k: frozenset(norm_key(str(w)) for w in v) for k, v in lex.items()}
    out["time_words"] = frozenset(time_words) | out["not_name_words"]
    return out


def _prev_word(text: str, start: int) -> str:
    """The word right before start on the same line and in the same sentence ("" if none)."""
    m = _PREV_WORD.search(text, max(0, start - 40), start)
    if not m:
        return ""
    if m.group(2) and m.group(1).lower() not in _lists()["titles"]:
        return ""  # "... the deal died. May said": a new sentence
    return m.group(1)


def person_surnames(text: str, doc_info: DocInfo | None) -> frozenset[str]:
    """Month words the document uses as a surname: the last words of its multi-word person names
    ("Theresa May" -> "may"), from the entity layer and from a first name written before a month
    word ("Theresa May", not "In May" or "Early June")."""
    if doc_info is not None:
        cached = getattr(doc_info, "_surnames", None)
        if cached is None:
            cached = frozenset(ent[-1].lower_ for ent in doc_info.doc.ents if ent.label_ == "PERSON" and len(ent) > 1)
            doc_info._surnames = cached | _written_surnames(text)  # type: ignore[attr-defined]
        return doc_info._surnames  # type: ignore[attr-defined]
    return _written_surnames(text)


@lru_cache(maxsize=4)
def _written_surnames(text: str) -> frozenset[str]:
    L = _lists()
    out = set()
    for m in _NAME_MONTH.finditer(text):
        first, month = m.group(1), m.group(2)
        if first.lower() not in L["time_words"] and first.lower() not in L["temporal_before"] and (
                first.lower() not in L["weak_before"]):
            out.add(month.lower())
    return frozenset(out)


def month_is_name(text: str, start: int, end: int, doc_info: DocInfo | None) -> bool:
    """A bare month word ("May", "June") that is a person: a name part next to it, a person entity,
    a person of the document with that surname, the subject of a reporting verb."""
    L = _lists()
    word = text[start:end]
    prev = _prev_word(text, start)
    if prev.lower() in L["temporal_before"]:
        return False  # "in May", "since June", "early March"
    nxt = word_after(text, end)
    if doc_info is not None:
        tok = doc_info.token_at(start)
        if tok is not None and tok.ent_type_ in ("PERSON", "ORG", "NORP"):
            return True
    if word.lower() in person_surnames(text, doc_info):
        return True
    if doc_info is not None:
        if tok is not None and tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lower_ in L["speech_verbs"]:
            return True
    if prev.lower() in L["weak_before"]:
        return False
    if nxt.lower() in L["speech_verbs"]:
        return True  # "May said the deal was dead"
    if prev and prev[0].isupper() and prev.isalpha() and prev.lower() not in L["time_words"]:
        return True  # "Theresa May", "Mrs May", "Prime Minister May"
    if prev.lower() in L["titles"]:
        return True  # "Mrs. May"
    if nxt and nxt[0].isupper() and nxt.isalpha() and nxt.lower() not in L["time_words"] and (
            end < len(text) and text[end] == " "):
        return True  # "June Carter"
    return False


def year_in_name(text: str, start: int, end: int, doc_info: DocInfo | None) -> bool:
    """A year that is part of a name: "the Terrorism Act 2000", "Windows 2000"."""
    L = _lists()
    prev = _prev_word(text, start)
    if prev.lower() in L["work_nouns"] and re.search(r"\b(?:the|a|an|his|her|its|their)[^\S\n]+\S+[^\S\n]+$",
                                                      text[max(0, start - 40):start], re.IGNORECASE):
        return True  # "the film 1917", "her album 1989"
    if not prev or not prev[0].isupper() or prev.lower() in L["time_words"]:
        return False
    if prev.lower() in L["title_words"]:
        return True
    if doc_info is not None:
        tok = doc_info.token_at(start)
        if tok is None or tok.i == 0:
            return False
        before = tok.doc[tok.i - 1]
        if tok.ent_type_ in ("LAW", "PRODUCT", "WORK_OF_ART") and tok.ent_iob_ == "I":
            return True
        return (before.tag_ in ("NNP", "NNPS") and before.i == tok.i - 1 and tok.head.i == before.i
                and tok.dep_ in ("nummod", "appos", "compound", "npadvmod"))
    return False


def holiday_in_name(start: int, end: int, doc_info: DocInfo | None, text: str) -> bool:
    """"Easter Island", "the Great Orchestra of Christmas Charity": a holiday word inside a name."""
    nxt = word_after(text, end)
    if nxt.lower() in _lists()["name_heads"] and end < len(text) and text[end] == " ":
        return True
    if doc_info is None:
        return False
    tok = doc_info.token_at(start)
    if tok is None or tok.ent_type_ not in ("GPE", "LOC", "FAC", "ORG", "PERSON", "WORK_OF_ART", "PRODUCT"):
        return False
    last = doc_info.token_at(max(start, end - 1))
    # the entity reaches beyond the holiday's own words
    return (tok.ent_iob_ == "I" or (last is not None and last.i + 1 < len(tok.doc)
                                    and tok.doc[last.i + 1].ent_iob_ == "I"))


def is_fraction(text: str, start: int, end: int) -> bool:
    """"three-quarters of the voters", "three quarters of the staff": a share, not nine months."""
    span = text[start:end]
    if re.search(r"[a-z]-quarters?\b", span, re.IGNORECASE):
        return True
    m = re.match(r"\s+of\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+|his\s+|her\s+)?([A-Za-z]+)", text[end:end + 40])
    if m and span.lower().endswith(("quarter", "quarters")):
        return norm_key(m.group(1)) not in _lists()["fraction_time_nouns"]
    return False


def is_score(text: str, start: int, end: int) -> bool:
    """"won 9-11", "a 2-1 win", "by a 7/7 margin": a result, not a date."""
    L = _lists()
    prev = _prev_word(text, start)
    if prev.lower() in L["score_words"]:
        return True
    return word_after(text, end).lower() in L["score_words"]
