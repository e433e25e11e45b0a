"""Named candidates, step 1 of the actors stage: spaCy's PERSON/ORG/GPE/LOC/FAC/NORP spans,
cleaned (no leading "the", no possessive, no title, split at brackets), plus gazetteer phrases spaCy
missed, personal names after a title or role noun or led by an Arabic or Persian name word, plural
family and movement names ("the Haqqanis") and a dateline's place; "<person or nationality>
administration/government" becomes one government organization, "<place> court" an unnamed
institution; a nationality used as a modifier ("Afghan officials") is no candidate of its own."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from wirescope.analyse import names as nm
from wirescope.analyse.actor_index import sentence_end, sentence_start, word_positions
from wirescope.analyse.actor_lexicon import MODIFIER_DEPS, QUOTES, TYPE_OF_LABEL, lexicon, subtype_of_org
from wirescope.analyse.actor_spans import repair
from wirescope.analyse.context import Context


# ---- gazetteer phrase matching -----------------------------------------------------------------
_MATCHERS: dict[int, Any] = {}


def _matchers(vocab) -> tuple[Any, Any, dict[str, nm.GazetteerEntry]]:
    """PhraseMatchers over the gazetteer's names (capitals as written for acronyms, else lowercase)."""
    key = id(vocab)
    if key in _MATCHERS:
        return _MATCHERS[key]
    import spacy
    from spacy.matcher import PhraseMatcher

    tokenizer = spacy.blank("en", vocab=vocab).tokenizer
    lower, orth = PhraseMatcher(vocab, attr="LOWER"), PhraseMatcher(vocab, attr="ORTH")
    table: dict[str, nm.GazetteerEntry] = {}
    for i, (form, exact, entry) in enumerate(nm.gazetteer().surfaces):
        label = f"gaz{i}"
        table[label] = entry
        (orth if exact else lower).add(label, [tokenizer(form)])
    _MATCHERS[key] = (lower, orth, table)
    return _MATCHERS[key]


# ---- candidates ---------------------------------------------------------------------------------
@dataclass
class Cand:
    i0: int  # token range [i0, i1)
    i1: int
    start: int
    end: int
    text: str
    kind: str
    label: str
    gaz: nm.GazetteerEntry | None = None
    subtype: str | None = None
    title: str | None = None
    country: str | None = None
    how: str = "mention"
    cue: str | None = None
    drop_inner: bool = False
    latent: str | None = None
    dateline: bool = False
    bare: str | None = None  # the name without the title it keeps ("Elizabeth II" of "Queen Elizabeth II")
    party: str | None = None  # the party family a party's name, plural or adjective belongs to


def _is_possessive(tok) -> bool:
    return tok.lower_ in ("'s", "\u2019s", "'", "\u2019") or (tok.tag_ == "POS")


TEX_QUOTES = ("``", "''")


def _keeps_the(doc, i0: int, i1: int) -> bool:
    """A capital "The" inside a sentence belongs to the name ("shares of The New York Times")."""
    tok = doc[i0]
    if tok.text != "The" or i1 - i0 < 2 or i0 == 0 or tok.is_sent_start:
        return False
    prev = doc[i0 - 1]
    return not (prev.is_punct or prev.is_space or prev.text in QUOTES or prev.text in TEX_QUOTES)


_TRIM_LEAD_POS = ("ADV", "CCONJ", "SCONJ", "ADP", "PRON", "AUX", "VERB", "DET")


def _trim(doc, i0: int, i1: int) -> tuple[int, int]:
    while i0 < i1:
        tok = doc[i0]  # one Token object per step, not one per test
        text = tok.text
        if not ((tok.lower_ == "the" and not _keeps_the(doc, i0, i1)) or tok.is_punct
                or tok.is_space or text in QUOTES or text in TEX_QUOTES
                or (tok.pos_ in _TRIM_LEAD_POS and i1 - i0 > 1 and tok.lower_ not in nm.PARTICLES)):
            break
        i0 += 1
    while i1 > i0:
        tok = doc[i1 - 1]
        text = tok.text
        if not (_is_possessive(tok) or tok.is_space or text in TEX_QUOTES
                or (tok.is_punct and text not in (".",) and len(text) == 1)
                or text == "."):
            break
        i1 -= 1
    return i0, i1


def _strip_title(doc, i0: int, i1: int) -> tuple[int, str | None]:
    """Leading title words inside a person span ("President Ashraf Ghani") -> (new start, title)."""
    lex = lexicon()
    best = None
    if doc[i0].text.casefold() not in lex.title_first:
        return i0, None
    if _title_before(doc, i0) is not None and doc[i0].text.casefold() in lex.titles_also_names:
        return i0, None  # "Minister Amir Khan Muttaqi": a title word right after a title is a name
    for n in range(min(lex.title_max, i1 - i0 - 1), 0, -1):
        words = " ".join(t.text for t in doc[i0:i0 + n]).casefold()
        if words in lex.titles:
            best = n
            break
    if best is None:
        return i0, None
    j = i0 + best
    while j < i1 - 1 and doc[j].text.casefold() not in lex.titles_also_names:  # "Commandant Admiral X"
        more = next((n for n in range(min(lex.title_max, i1 - j - 1), 0, -1)
                     if " ".join(t.text for t in doc[j:j + n]).casefold() in lex.titles), 0)
        if not more:
            break
        j += more
    return j, doc[i0:i0 + best].text


def _title_before(doc, i0: int) -> str | None:
    lex = lexicon()
    if i0 == 0 or doc[i0 - 1].text.casefold() not in lex.title_last:
        return None
    sent_start = sentence_start(doc, i0) if i0 < len(doc) else 0
    for n in range(min(lex.title_max, i0 - sent_start), 0, -1):
        words = " ".join(t.text for t in doc[i0 - n:i0]).casefold()
        if words in lex.titles:
            return doc[i0 - n:i0].text
    return None


def _make_cand(ctx: Context, i0: int, i1: int, label: str, gaz: nm.GazetteerEntry | None = None) -> Cand | None:
    doc = ctx.doc
    i0, i1 = _trim(doc, i0, i1)
    if i0 >= i1:
        return None
    if i1 - i0 >= 3 and doc[i1 - 1].text.rstrip(".") in nm.name_parts().post_nominals \
            and all(t.text[:1].isupper() for t in doc[i0:i1 - 1]) and label in ("PERSON", "ORG", "GPE", "NORP", "FAC"):
        # "Kama Melly QC", "Jane Smith MP": a person, named without the letters (the mention keeps them)
        post, label, gaz = doc[i1 - 2].idx + len(doc[i1 - 2].text), "PERSON", None
    else:
        post = None
    title = None
    bare0 = None  # where the name starts after a title the name keeps
    if label == "PERSON" or (gaz is None and label in ("ORG", "NORP", "GPE")):
        new0, title = _strip_title(doc, i0, i1)
        if title and label != "PERSON" and (
                title.casefold() in lexicon().org_name_titles or subtype_of_org(doc[new0:i1].text) is not None):
            title = None  # "General Motors", "Justice Department": the title word is part of the name
        if title and new0 < i1:
            if title.casefold() in lexicon().styled_titles:
                bare0 = new0  # "Queen Elizabeth II": the title is part of the name
            else:
                i0 = new0
            if label != "PERSON" and doc[new0:i1].text[:1].isupper():
                label = "PERSON"
        else:
            title = None
    if label == "PERSON" and title is None:
        title = _title_before(doc, i0)
        if title is not None and title.casefold() in lexicon().styled_titles:
            bare0 = i0  # "Roman Catholic Pope Francis": the parser left the title out
            i0 -= len(title.split())
    start, end = doc[i0].idx, doc[i1 - 1].idx + len(doc[i1 - 1].text)
    text = ctx.text[start:end if post is None else post]
    if not any(c.isalpha() for c in text):
        return None
    if gaz is None:
        gaz = nm.gazetteer_lookup(text)
        if gaz is not None and gaz.type == "person" and label != "PERSON":
            gaz = None
        if gaz is None:
            gaz = _plural_name_entry(text)
    kind = TYPE_OF_LABEL.get(label, "other")
    cand = Cand(i0, i1, start, end, text, kind, label, gaz=gaz, title=title)
    if bare0 is not None and bare0 < i1:
        cand.bare = ctx.text[doc[bare0].idx:end]
    first_word = re.split(r"[\s\-]", text, maxsplit=1)[0].lower()
    before = doc[i0 - 1].lower_ if i0 > 0 else ""
    if first_word in lexicon().phenomenon_words or (before in lexicon().phenomenon_words and doc[i0 - 1].text[:1].isupper()):
        cand.kind, cand.gaz = "other", None  # "Typhoon Haiyan", "(Tropical) Storm Barry": not an actor
    elif gaz is not None:
        cand.kind, cand.subtype, cand.country = gaz.type, gaz.subtype, gaz.country
    elif first_word in lexicon().org_name_words and len(text.split()) + text.count("-") > 1:
        cand.kind, cand.subtype = "organization", lexicon().org_name_words[first_word]
    elif label == "PERSON" and nm.looks_like_acronym(text) and "." not in text:
        cand.kind = "organization"  # people are not written as acronyms
    elif label == "NORP":
        country = nm.demonym_country(text)
        if country is not None:
            cand.country = country.country
    return cand


def _spacy_cands(ctx: Context) -> list[Cand]:
    doc = ctx.doc
    out: list[Cand] = []
    for ent in doc.ents:
        if ent.label_ not in TYPE_OF_LABEL:
            continue
        # split at brackets: "Federal Bureau of Investigation (FBI" -> two spans
        pieces, cur = [], ent.start
        for tok in ent:
            # and at a dash standing between spaces: "San Jose - Cisco" names two things
            if tok.text in "()[]" or (tok.text in ("-", "--", "\u2013", "\u2014") and tok.i > ent.start
                                      and tok.whitespace_ and doc[tok.i - 1].whitespace_):
                if tok.i > cur:
                    pieces.append((cur, tok.i))
                cur = tok.i + 1
        if cur < ent.end:
            pieces.append((cur, ent.end))
        for i0, i1 in pieces:
            cand = _make_cand(ctx, i0, i1, ent.label_)
            if cand is not None:
                out.append(cand)
    return out


def _capitalised_like(doc, i0: int, i1: int, form: str) -> bool:
    """A gazetteer phrase counts only when its capital letters are capitals in the text too."""
    words = form.split()
    toks = [t for t in doc[i0:i1] if not t.is_space]
    if len(words) == len(toks):
        for w, t in zip(words, toks):
            if w[:1].isupper() and not t.text[:1].isupper():
                return False
        return True
    return all(t.text[:1].isupper() or t.is_stop or t.is_punct for t in toks)


def _gazetteer_cands(ctx: Context, taken: list[Cand]) -> list[Cand]:
    doc = ctx.doc
    if len(doc) == 0:
        return []
    lower, orth, table = _matchers(doc.vocab)
    occupied: dict[int, int] = {}
    for idx, c in enumerate(taken):
        for i in range(c.i0, c.i1):
            occupied[i] = idx
    found: list[Cand] = []
    matches = sorted(list(lower(doc)) + list(orth(doc)), key=lambda m: (m[1], -(m[2] - m[1])))
    last_end = -1
    surfaces = nm.gazetteer().surfaces
    for match_id, s, e in matches:
        if s < last_end:
            continue
        label = doc.vocab.strings[match_id]
        entry = table[label]
        form = surfaces[int(label[3:])][0]
        if not _capitalised_like(doc, s, e, form):
            continue
        if e - s == 1 and (doc[s].pos_ != "PROPN" and not doc[s].text.isupper()):
            continue
        if e - s == 1 and doc[s].is_sent_start and not doc[s].ent_type_ and not doc[s].text.isupper():
            continue
        inside = {occupied[i] for i in range(s, e) if i in occupied}
        if inside:
            # replace spaCy spans strictly inside the phrase ("Islamic" NORP in "Islamic State")
            if all(taken[k].i0 >= s and taken[k].i1 <= e and (taken[k].i1 - taken[k].i0) < (e - s)
                   for k in inside):
                for k in inside:
                    taken[k].drop_inner = True
            else:
                continue
        label_name = {"person": "PERSON", "location": "GPE", "group": "NORP"}.get(entry.type, "ORG")
        cand = _make_cand(ctx, s, e, label_name, gaz=entry)
        if cand is not None:
            found.append(cand)
            last_end = e
    return found


def _government_phrases(ctx: Context, cands: list[Cand]) -> list[Cand]:
    """"the Trump administration", "the Afghan government" -> one organization (government);
    "a Manhattan court" -> an unnamed institution of the place (its place stays a mention)."""
    doc, lex = ctx.doc, lexicon()
    extra: list[Cand] = []
    by_start = {c.i0: c for c in cands if not c.drop_inner}
    for c in cands:
        if c.drop_inner or c.i1 >= len(doc):
            continue
        nxt = doc[c.i1]
        word = nxt.lower_
        if c.label in ("PERSON", "NORP") and word in lex.government_nouns and c.gaz is None or (
                c.label == "NORP" and word in lex.government_nouns):
            org = _make_cand(ctx, c.i0, c.i1 + 1, "ORG")
            if org is None:
                continue
            org.kind, org.subtype, org.gaz = "organization", "government", None
            org.country = c.country
            if c.label == "PERSON":
                org.latent = c.text  # the person becomes an entity only if named on their own
            c.drop_inner = True
            extra.append(org)
        elif c.kind == "location" and word in lex.institution_nouns and nxt.pos_ == "NOUN":
            org = _make_cand(ctx, c.i0, c.i1 + 1, "ORG")
            if org is None:
                continue
            org.kind, org.subtype, org.gaz = "organization", lex.institution_nouns[word], None
            org.country = c.gaz.country if c.gaz is not None and c.gaz.subtype == "country" else None
            extra.append(org)
        elif (c.kind == "organization" and c.gaz is None and word in ("of", "for") and c.i1 + 1 < len(doc)
              and (subtype_of_org(c.text) or c.text.split()[-1].lower() in lex.org_generic_heads)):
            # spaCy's split "the National Salvation Front" + "of" + "Libya": one name
            j = c.i1 + 1 + (doc[c.i1 + 1].lower_ == "the")
            nxt_cand = by_start.get(j)
            if nxt_cand is not None and nxt_cand.kind in ("location", "organization") and not (
                    c.i1 + 1 < len(doc) and doc[c.i1 + 1].lower_ == "the"):
                org = _make_cand(ctx, c.i0, nxt_cand.i1, "ORG")
                if org is None:
                    continue
                org.kind, org.subtype = "organization", c.subtype or subtype_of_org(c.text)
                org.gaz = org.gaz if org.gaz is not None and org.gaz.type == "organization" else None
                c.drop_inner = True
                extra.append(org)
    return extra


def _is_modifier_use(doc, c: Cand) -> bool:
    """A nationality or creed used as an adjective ("Afghan officials", "Afghan soil")."""
    root = doc[c.i1 - 1]
    return root.dep_ in MODIFIER_DEPS and root.head.i >= c.i1 and root.head.pos_ in ("NOUN", "PROPN", "ADJ")


# ---- plural family and movement names: "the Haqqanis", "the Houthis" ------------------------------
@lru_cache(maxsize=1)
def _gazetteer_short_forms() -> dict[str, nm.GazetteerEntry]:
    """Organizations by their name without a generic last word ("Haqqani" for "Haqqani network")."""
    heads = lexicon().org_generic_heads
    out: dict[str, nm.GazetteerEntry] = {}
    for entry in nm.gazetteer().entries:
        if entry.type not in ("organization", "group"):
            continue
        for form in [entry.name, *entry.aliases]:
            words = form.split()
            if len(words) > 1 and words[-1].lower() in heads:
                out.setdefault(nm.name_key(" ".join(words[:-1])), entry)
    return out


def _plural_name_entry(text: str) -> nm.GazetteerEntry | None:
    """The organization a plural family or movement name stands for ("Haqqanis" -> Haqqani network)."""
    word = text.strip()
    if " " in word or len(word) < 5 or not word[:1].isupper() or not word.endswith("s") or word.endswith("ss"):
        return None
    if nm.looks_like_acronym(word) or not word[:-1].isalpha() and "-" not in word:
        return None
    single = word[:-1]
    entry = nm.gazetteer_lookup(single) or _gazetteer_short_forms().get(nm.name_key(single))
    return entry if entry is not None and entry.type in ("organization", "group") else None


# ---- names the parser missed: after a title or role, or with Arabic and Persian particles --------
NON_NAME_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "NORP"})
DASHES = ("-", "\u2010", "\u2011")


def _name_word(tok) -> bool:
    text = tok.text
    return (text[:1].isupper() and any(c.isalpha() for c in text) and not tok.is_punct
            and tok.ent_type_ not in NON_NAME_ENTS and not (tok.is_stop and tok.lower_ not in lexicon().name_particles)
            and tok.lower_ not in lexicon().role_of and text.casefold() not in lexicon().titles)


def _title_length(doc, i: int) -> int:
    """Tokens of the longest title starting at token i (0 when none)."""
    lex = lexicon()
    for n in range(min(lex.title_max, len(doc) - i), 0, -1):
        if " ".join(t.text for t in doc[i:i + n]).casefold() in lex.titles:
            return n
    return 0


# name particles that are also English words: inside a name only when hyphenated ("at-Tayyib"), so
# that "Dr. Steven Wolf at Saint Francis" ends before "at"
_ENGLISH_PARTICLES = frozenset({"at", "as", "an", "ad", "i", "e", "y", "of", "the", "la"})


def _name_after(doc, start: int, sent_end: int) -> int:
    """End of a personal name starting at token `start`: capitalised words, with the particles and
    hyphens of Arabic and Persian names inside ("Abdul Ghani Baradar", "Ayman al-Zawahiri")."""
    lex = lexicon()
    j = start
    end = start
    limit = min(sent_end, start + 7)
    while j < limit:
        t = doc[j]
        if _name_word(t):
            j += 1
            end = j
            continue
        low = t.lower_
        nxt = doc[j + 1] if j + 1 < limit else None
        if low in lex.name_particles and nxt is not None and (
                _name_word(nxt) and low not in _ENGLISH_PARTICLES or (nxt.text in DASHES and not t.whitespace_)):
            j += 1
            continue
        if t.text in DASHES and not t.whitespace_ and j > start and not doc[j - 1].whitespace_ and nxt is not None \
                and _name_word(nxt):
            j += 1
            continue
        break
    return end


def _appositive_name(doc, role: int, start: int) -> bool:
    """Two or three capitalised proper-noun words after "<role>," that the parse sets in apposition to
    the role noun and that end the phrase (a comma, a full stop or a verb follows)."""
    end = start
    while end < len(doc) and end - start < 3 and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
        end += 1
    if not 2 <= end - start <= 3:
        return False
    last = doc[end - 1]
    after = doc[end] if end < len(doc) else None
    return last.dep_ == "appos" and last.head.i == role and (
        after is None or after.text in (",", ".", ";") or after.pos_ in ("VERB", "AUX"))


def _place_typed_name(c: Cand, doc, lex, first: int) -> bool:
    """"economist Helen Park", "pastor John Church": a two- or three-word name right after a role
    noun that the tagger typed as a place or facility (for its last word) is a person's name, unless
    the place gazetteer knows it as a place."""
    if c.i0 != first or c.label not in ("FAC", "GPE", "LOC") or c.gaz is not None or not 2 <= c.i1 - c.i0 <= 3:
        return False
    words = doc[c.i0:c.i1]
    if not all(t.text[:1].isupper() and t.is_alpha for t in words) \
            or any(t.text.casefold() in lex.org_head_words for t in words):
        return False
    from wirescope.analyse.actor_spans import _known_place

    return not _known_place(c.text)


def _rule_person_cands(ctx: Context, taken: list[Cand]) -> list[Cand]:
    """Personal names after a title or a role noun ("spokesman Zabihullah Mujahid", "Gen. Austin
    Miller", "Prime Minister Imran Khan") and names led by an Arabic or Persian name word ("Abu
    Mohammed al-Julani", "Mullah Abdul Ghani Baradar") that spaCy missed, cut short or typed as an
    organization or place. A parser span inside the name gives way; one reaching outside it wins."""
    doc, lex = ctx.doc, lexicon()
    starters = _rule_starters()
    positions = word_positions(doc, starters)
    if not positions:
        return []
    occupied: dict[int, int] = {}
    for k, c in enumerate(taken):
        for i in range(c.i0, c.i1):
            occupied[i] = k
    out: list[Cand] = []
    last_end = -1
    for i in positions:
        if i < last_end or i in occupied:
            continue
        tok = doc[i]
        n_title = _title_length(doc, i)
        lead = tok.text[:1].isupper() and tok.text.casefold() in lex.name_lead_words
        first = i  # where the candidate starts: a title is kept there (and stripped into descriptor.title)
        if n_title == 0 and not lead:
            role = lex.role_of.get(tok.lower_)
            if role is None or role[1] or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            n_title = 1
            first = i + 1  # a role noun ("cleric", "envoy") stays out of the name
            more = _title_length(doc, first) if first < len(doc) else 0
            n_title += more  # "the cleric Maulvi Abdul Kabir"
        start = i if (lead and n_title == 0) else i + n_title
        if n_title and start + 2 < len(doc) and doc[start].text == "," and _appositive_name(doc, start - 1, start + 1):
            first = start = start + 1  # "said the university's chancellor, Pradeep Khosla"
        if first in occupied and not _place_typed_name(taken[occupied[first]], doc, lex, first):
            continue
        if start >= len(doc):
            continue
        sent_end = sentence_end(doc, start)
        titled_name = (n_title > 0 and doc[start].text[:1].isupper() and doc[start].text.casefold() in lex.titles
                       and start + 1 < sent_end and _name_word(doc[start + 1]))
        if not (_name_word(doc[start]) or titled_name):
            continue
        end = _name_after(doc, start + 1 if titled_name else start, sent_end)
        # a parser or gazetteer span of another actor stops the name before it
        for j in range(start, end):
            k = occupied.get(j)
            if k is None:
                continue
            c = taken[k]
            if c.label == "PERSON" and c.gaz is None and c.i0 == j > start and c.i1 - start <= 5:
                end = c.i1  # "Superintendent Yolanda" + "Yu Hoi-kwan": the tagger cut one name in two
                break
            if (c.gaz is not None and c.gaz.type != "person") or c.label == "NORP" or c.i0 < start or c.i1 > end:
                end = j
                break
        words = end - start
        if words < 1 or (n_title == 0 and words < 2):
            continue
        if end < len(doc) and (doc[end].lower_ in lex.role_of or doc[end].text.casefold() in lex.titles):
            continue  # "Chief Operating Officer": words of a longer title, not a name
        last = doc[end - 1]
        if last.dep_ in ("compound", "amod") and last.head.i >= end and last.head.pos_ == "NOUN" \
                and not last.head.text[:1].isupper():
            continue  # "the official Xinhua news agency": a name modifying a noun is no person
        inside = sorted({occupied[j] for j in range(start, end) if j in occupied})
        if len(inside) == 1 and taken[inside[0]].label == "PERSON" and (taken[inside[0]].i0, taken[inside[0]].i1) == (start, end):
            continue
        cand = _make_cand(ctx, first, end, "PERSON")
        if cand is None or cand.kind != "person":
            continue
        for k in inside:
            taken[k].drop_inner = True
        out.append(cand)
        last_end = end
    return out


@lru_cache(maxsize=1)
def _rule_starters() -> frozenset[str]:
    lex = lexicon()
    singular_roles = {w for w, (_, plural) in lex.role_of.items() if not plural}
    return frozenset(lex.title_first | lex.name_lead_words | singular_roles)


# ---- datelines: "KABUL (Reuters) -", "ISLAMABAD, Pakistan -" ---------------------------------------
_DATELINE = re.compile(r"(?m)^[ \t]*([A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,3})(?:/[A-Z][A-Z.'\-]+)*"
                       r"(?:,[ \t]*[A-Z][\w.]*(?: [A-Z][\w.]*){0,2})?[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?"
                       r"(?:-|--|\u2013|\u2014|:)")


def _after_dateline(ctx: Context, cands: list[Cand]) -> list[Cand]:
    """"NAIROBI - William Ruto was sworn in ...": the tagger, thrown by the capitals before it, often
    misses the name that opens the story; two or three title-case proper nouns right after the
    dateline's dash, followed by a verb or a comma, with no candidate on them, are a person's name
    (unless the gazetteers know them as a place or an organization)."""
    m = _DATELINE.search(ctx.text[:400])
    if m is None:
        return []
    doc = ctx.doc
    first = next((t for t in doc if t.idx >= m.end()), None)
    if first is None:
        return []
    i = first.i
    j = i
    while j < len(doc) and j - i < 3 and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() \
            and doc[j].text[1:].islower() and doc[j].is_alpha:
        j += 1
    if not 2 <= j - i <= 3 or j >= len(doc) or not (doc[j].pos_ in ("VERB", "AUX") or doc[j].text == ","):
        return []
    text = doc[i:j].text
    from wirescope.analyse.actor_spans import _known_place

    if _known_place(text) or nm.gazetteer_lookup(text) is not None:
        return []
    on = [c for c in cands if c.i0 < j and i < c.i1]
    if on:
        c = on[0]  # "KAMPALA - Grace Nakato" read as one organization, the place cut off since
        if len(on) == 1 and (c.i0, c.i1) == (i, j) and c.label in ("ORG", "GPE", "LOC", "FAC") and c.gaz is None:
            c.kind, c.label, c.subtype = "person", "PERSON", None
        return []
    cand = _make_cand(ctx, i, j, "PERSON")
    return [cand] if cand is not None and cand.kind == "person" else []


def _dateline(ctx: Context, cands: list[Cand]) -> list[Cand]:
    """The place of a dateline in capitals is a location (spaCy often takes it for an organization);
    its entity keeps the place's name in title case. Returns a candidate when spaCy missed it."""
    m = _DATELINE.search(ctx.text[:400])
    if m is None or sum(c.isalpha() for c in m.group(1)) < 3:
        return []
    start, end = m.span(1)
    for c in cands:
        if c.start < end and start < c.end:
            if c.start >= start and c.end <= end and (c.gaz is None or c.gaz.type == "location"):
                c.kind, c.label, c.subtype, c.dateline = "location", "GPE", c.gaz.subtype if c.gaz else None, True
            return []
    span = ctx.doc.char_span(start, end, alignment_mode="contract")
    if span is None or len(span) == 0:
        return []
    cand = _make_cand(ctx, span.start, span.end, "GPE")
    if cand is None or (cand.gaz is not None and cand.gaz.type != "location"):
        return []
    cand.kind, cand.dateline = "location", True
    return [cand]


def named_candidates(ctx: Context) -> list[Cand]:
    doc = ctx.doc
    cands = repair(ctx, _spacy_cands(ctx), _make_cand)
    cands.extend(_gazetteer_cands(ctx, cands))
    cands = [c for c in cands if not c.drop_inner]
    cands.extend(_rule_person_cands(ctx, cands))
    cands = [c for c in cands if not c.drop_inner]
    cands.extend(_government_phrases(ctx, cands))
    kept: list[Cand] = []
    cue_words = set(lexicon().alias_cues)
    for c in cands:
        if c.drop_inner or c.text.casefold() in cue_words:
            continue
        if c.label == "NORP" and c.gaz is None and c.party is None and _is_modifier_use(doc, c) and (
                c.country is not None or nm.light_key(c.text) in lexicon().affiliations
                or nm.demonym_country(c.text) is not None):
            continue  # a nationality or creed modifier: an affiliation of what it modifies, not an entity
        if c.kind == "group" and c.gaz is not None and c.gaz.subtype == "country":
            # a country name tagged NORP is the country
            c.kind = "location"
        kept.append(c)
    kept.sort(key=lambda c: (c.start, -c.end))
    kept.extend(_dateline(ctx, kept))
    kept.extend(_after_dateline(ctx, kept))
    kept.sort(key=lambda c: (c.start, -c.end))
    # drop exact duplicates and spans nested in a longer one of the same kind
    out: list[Cand] = []
    for c in kept:
        if out and c.start >= out[-1].start and c.end <= out[-1].end:
            if c.kind != "location" or out[-1].kind == "location":
                continue
        out.append(c)
    _people_by_context(doc, out)
    _media_by_context(doc, out)
    return out


_MEDIA_NOUNS = frozenset({"magazine", "newspaper", "tabloid", "daily", "weekly", "broadcaster", "channel",
                          "network", "website", "paper", "periodical", "journal", "radio", "television"})


def _media_by_context(doc, cands: list[Cand]) -> None:
    """"Time magazine", "the Guardian newspaper", "Al-Masirah TV channel": a name right before a
    media noun is the outlet's, whatever type the tagger gave it."""
    for c in cands:
        if c.i1 >= len(doc) or c.gaz is not None and c.gaz.type != "location":
            continue
        nxt = doc[c.i1]
        if nxt.lemma_.lower() in _MEDIA_NOUNS and nxt.pos_ == "NOUN" and nxt.text.islower() and c.kind != "person":
            c.kind, c.subtype, c.gaz = "organization", "media", None


def _people_by_context(doc, cands: list[Cand]) -> None:
    """A name the tagger typed as an organisation or a place is a person's when its context says so:
    right after a person's role noun ("officers Antoine Quirin and Nicolas Redouane", "lawyer X") or
    coordinated with a person's name ("Antoine Quirin and Nicolas Redouane"). Only names of two or
    three capitalised words with no gazetteer entry and no organisation word."""
    roles = _person_role_nouns()
    at: dict[int, Cand] = {i: c for c in cands for i in range(c.i0, c.i1)}

    def loose(c: Cand) -> bool:
        words = c.text.split()
        return (c.kind in ("organization", "location") and c.gaz is None and c.subtype is None
                and 2 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words)
                and subtype_of_org(c.text) is None)
    for c in cands:
        if not loose(c):
            continue
        before = doc[c.i0 - 1] if c.i0 > 0 else None
        person = before is not None and (before.lemma_.lower() in roles and before.pos_ == "NOUN"
                                         or c.i0 >= 5 and _AGE.search(doc[c.i0 - 5:c.i0].text + " ") is not None)
        if not person and c.kind == "organization":  # (a place coordinated with a person stays a place)
            head = doc[c.i1 - 1]
            for t in head.conjuncts:
                other = at.get(t.i)
                if other is not None and other is not c and other.kind == "person":
                    person = True
                    break
        if person:
            c.kind, c.label, c.subtype = "person", "PERSON", None


_AGE = re.compile(r"\d{1,3}-year-old\s+$", re.IGNORECASE)  # "40-year-old X": a person


@lru_cache(maxsize=1)
def _person_role_nouns() -> frozenset[str]:
    """Nouns that name a person's role and may stand right before the name ("officer X")."""
    lex = lexicon()
    return frozenset(lex.role_of) | frozenset({"officer", "lawyer", "suspect", "defendant", "victim", "witness",
                                               "detective", "journalist", "reporter", "activist", "student"})
