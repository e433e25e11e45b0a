"""Actors stage: named entities, their types, and every way one article names the same actor.

Steps, in order (each linear in the document, or windowed):

1. named candidates: spaCy's PERSON/ORG/GPE/LOC/FAC/NORP spans, cleaned (no leading "the", no
   possessive, no title, split at brackets), plus gazetteer phrases spaCy missed; "<person or
   nationality> administration/government" becomes one government organization, "<place> court" an
   unnamed institution; a nationality used as a modifier ("Afghan officials") is no entity of its own;
2. within-document coreference of the candidates: same comparison key (names.name_key: spelling and
   transliteration variants), same gazetteer entry, an alias cue between two names ("also known as",
   "a.k.a.", brackets, ...), acronyms and their expansions, short forms ("Ghani" for "Ashraf Ghani");
3. "the former" / "the latter";
4. descriptions: unnamed human sources ("a senior Afghan intelligence official") become anonymous
   person entities with a descriptor; later definite descriptions ("the official") join the most recent
   compatible one; plural ones ("Afghan officials") stay apart; an apposition ties a description to a
   named person; generic armed-group nouns ("the al-Qaeda terrorists") become group entities whose
   descriptor["of"] names the actor they belong to;
5. pronouns: he/she -> a recent singular person, they/them -> a recent plural-compatible organization
   or group, scored by sentence distance, subjecthood and speech; left unresolved when nothing fits.

The lexicons live in data/actor_roles.yaml and data/gazetteer.yaml. `describe_source` and
`make_source_entity` let the attribution stage reuse the description logic.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from wirescope.analyse import names as nm
from wirescope.analyse.context import Context
from wirescope.analyse.pipeline import StageInfo
from wirescope.model import Entity, Span

TYPE_OF_LABEL = {"PERSON": "person", "ORG": "organization", "GPE": "location", "LOC": "location",
                 "FAC": "location", "NORP": "group"}
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
QUOTES = "\"\u201c\u201d\u2018\u2019'\u00ab\u00bb"
PRONOUN_WINDOW = 3  # sentences before the pronoun's own


# ---- lexicon ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Lexicon:
    role_of: dict[str, tuple[str, bool]]  # word -> (singular role, plural?)
    family: dict[str, str]
    gender: dict[str, str]
    needs_modifier: frozenset[str]
    ranks: frozenset[str]
    agencies: frozenset[str]
    affiliations: frozenset[str]
    titles: frozenset[str]  # casefolded, multiword joined by space
    title_max: int
    title_gender: dict[str, str]
    generic_of: dict[str, tuple[str, bool]]  # word -> (singular, plural?)
    generic_plural: dict[str, str]  # singular -> plural
    government_nouns: frozenset[str]
    institution_nouns: dict[str, str]
    org_generic_heads: frozenset[str]
    org_name_words: dict[str, str]
    subtype_keywords: dict[str, tuple[str, ...]]
    alias_cues: tuple[str, ...]
    alias_reversed: frozenset[str]
    alias_weak: frozenset[str]
    alias_name_nouns: tuple[str, ...]
    national_nouns: dict[tuple[str, ...], str]
    pronouns: dict[str, frozenset[str]]
    speech_verbs: frozenset[str]
    identity_cues: tuple[tuple[str, ...], ...] = ()  # word sequences, longest first
    member_roles: frozenset[str] = frozenset()
    org_anaphor_nouns: frozenset[str] = frozenset()
    org_name_titles: frozenset[str] = frozenset()
    name_lead_words: frozenset[str] = frozenset()  # casefolded
    name_particles: frozenset[str] = frozenset()
    title_first: frozenset[str] = frozenset()  # casefolded first words of titles
    title_last: frozenset[str] = frozenset()  # casefolded last words of titles


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = nm._load_yaml("actor_roles.yaml")
    role_of: dict[str, tuple[str, bool]] = {}
    family: dict[str, str] = {}
    gender: dict[str, str] = {}
    for item in raw["roles"]:
        sing, plur = item["singular"].lower(), item["plural"].lower()
        role_of.setdefault(sing, (sing, False))
        role_of.setdefault(plur, (sing, True))
        family[sing] = item.get("family", sing)
        if item.get("gender"):
            gender[sing] = item["gender"]
    generic_of: dict[str, tuple[str, bool]] = {}
    generic_plural: dict[str, str] = {}
    for item in raw["generic_groups"]:
        sing, plur = item["singular"].lower(), item["plural"].lower()
        generic_of[sing] = (sing, False)
        generic_of[plur] = (sing, True)
        generic_plural[sing] = plur
        family.setdefault(sing, sing)
    titles = frozenset(str(t).casefold() for t in raw["titles"])
    cues = sorted({str(c).casefold() for c in raw["alias_cues"]}, key=len, reverse=True)
    pron = {k: frozenset(v) for k, v in raw["pronouns"].items()}
    return Lexicon(
        role_of=role_of, family=family, gender=gender,
        needs_modifier=frozenset(w.lower() for w in raw.get("needs_modifier", [])),
        ranks=frozenset(w.lower() for w in raw["ranks"]),
        agencies=frozenset(str(w).lower() for w in raw["agencies"]),
        affiliations=frozenset(w.lower() for w in raw["affiliations"]),
        titles=titles, title_max=max(len(t.split()) for t in titles),
        title_gender={str(k).casefold(): v for k, v in raw.get("title_gender", {}).items()},
        generic_of=generic_of, generic_plural=generic_plural,
        government_nouns=frozenset(w.lower() for w in raw["government_nouns"]),
        institution_nouns={k.lower(): v for k, v in raw["institution_nouns"].items()},
        org_generic_heads=frozenset(w.lower() for w in raw.get("org_generic_heads", [])),
        org_name_words={str(k).lower(): v for k, v in raw.get("org_name_words", {}).items()},
        subtype_keywords={k: tuple(str(w).lower() for w in v) for k, v in raw["subtype_keywords"].items()},
        alias_cues=tuple(cues),
        alias_reversed=frozenset(str(c).casefold() for c in raw.get("alias_cues_reversed", [])),
        alias_weak=frozenset(str(c).casefold() for c in raw.get("alias_cues_weak", [])),
        alias_name_nouns=tuple(sorted({str(c).casefold() for c in raw.get("alias_name_nouns", [])}, key=len, reverse=True)),
        national_nouns={tuple(str(k).lower().split()): v for k, v in raw.get("national_actor_nouns", {}).items()},
        pronouns=pron,
        speech_verbs=frozenset(w.lower() for w in raw["speech_verbs"]),
        identity_cues=tuple(sorted({tuple(str(c).casefold().split()) for c in raw.get("identity_cues", [])},
                                   key=len, reverse=True)),
        member_roles=frozenset(str(w).lower() for w in raw.get("member_roles", [])),
        org_anaphor_nouns=frozenset(str(w).lower() for w in raw.get("org_anaphor_nouns", [])),
        org_name_titles=frozenset(str(w).casefold() for w in raw.get("org_name_titles", [])),
        name_lead_words=frozenset(str(w).casefold() for w in raw.get("name_lead_words", [])),
        name_particles=frozenset(str(w).casefold() for w in raw.get("name_particles", [])),
        title_first=frozenset(t.split()[0] for t in titles),
        title_last=frozenset(t.split()[-1] for t in titles),
    )


@lru_cache(maxsize=1)
def _alias_gap_re() -> re.Pattern:
    """What may stand between a name and its alias: punctuation, quotes, a cue."""
    cues = "|".join(re.escape(c) for c in lexicon().alias_cues)
    nouns = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in lexicon().alias_name_nouns)
    # "better known by his nom de guerre", "using the alias", "who goes by the kunya of"
    tail = (r"(?:\s+(?:by|under|as|with))?(?:\s+(?:his|her|their|its|the|a|an))?(?:\s+(?:" + nouns
            + r"))?(?:\s+(?:of|as|is))?") if nouns else ""
    return re.compile(r"^[\s,(\-\u2013\u2014" + QUOTES + r"]*(?:(?:or|and)\s+(?=also|better|more|otherwise|known|using|who|goes))?(?:(?:and|but)\s+)?(?:(?:is|was)\s+)?(" + cues + r")" + tail + r"[\s:,\-"
                      + QUOTES + r"]*(?:the\s+)?$", re.IGNORECASE)


_PAREN_GAP = re.compile(r"^\s*[(\[]\s*[" + QUOTES + r"]?\s*(?:the\s+)?$", re.IGNORECASE)
_PAREN_CLOSE = re.compile(r"^\s*[" + QUOTES + r"]?\s*[)\]]")


def subtype_of_org(name: str) -> str | None:
    """The subtype an organization's own name tells ("Ministry of Interior" -> government)."""
    words = nm.light_key(name).split()
    if not words:
        return None
    text = " " + " ".join(words) + " "
    best: tuple[int, str] | None = None
    for subtype, keys in lexicon().subtype_keywords.items():
        for k in keys:
            pos = text.rfind(" " + k + " ")
            if pos >= 0 and (best is None or pos > best[0]):
                best = (pos, subtype)
    return best[1] if best else None


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


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if ra > rb:
            ra, rb = rb, ra
        self.parent[rb] = ra  # the earlier candidate stays the root
        return True


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
    if _title_before(doc, i0) is not None:
        return i0, None  # "Minister Amir Khan Muttaqi": a title word right after a title is a name
    for n in range(min(lex.title_max, i1 - i0 - 1), 0, -1):
        words = " ".join(t.text for t in doc[i0:i0 + n]).casefold()
        if words in lex.titles:
            best = n
            break
    if best is None:
        return i0, None
    return i0 + best, doc[i0:i0 + best].text


def _title_before(doc, i0: int) -> str | None:
    lex = lexicon()
    if i0 == 0 or doc[i0 - 1].text.casefold() not in lex.title_last:
        return None
    sent_start = _sent_start(doc, i0) if i0 < len(doc) else 0
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
    title = None
    if label == "PERSON" or (gaz is None and label in ("ORG", "NORP", "GPE")):
        new0, title = _strip_title(doc, i0, i1)
        if title and label != "PERSON" and (
                title.casefold() in lexicon().org_name_titles or subtype_of_org(doc[new0:i1].text) is not None):
            title = None  # "General Motors", "Justice Department": the title word is part of the name
        if title and new0 < i1:
            i0 = new0
            if label != "PERSON" and doc[i0:i1].text[:1].isupper():
                label = "PERSON"
        else:
            title = None
    if label == "PERSON" and title is None:
        title = _title_before(doc, i0)
    start, end = doc[i0].idx, doc[i1 - 1].idx + len(doc[i1 - 1].text)
    text = ctx.text[start:end]
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
    first_word = re.split(r"[\s\-]", text, maxsplit=1)[0].lower()
    if gaz is not None:
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


# ---- token positions by word (one array per document, no Python pass over every token) -----------
_LOWER_CACHE: dict[int, tuple[Any, Any]] = {}


def _lower_array(doc):
    cached = _LOWER_CACHE.get(id(doc))
    if cached is not None and cached[0] is doc:
        return cached[1]
    import numpy as np
    from spacy.attrs import LOWER

    arr = doc.to_array(LOWER) if len(doc) else np.zeros(0, dtype="uint64")
    _LOWER_CACHE.clear()
    _LOWER_CACHE[id(doc)] = (doc, arr)
    return arr


_ATTR_CACHE: dict[int, tuple[Any, dict[str, Any]]] = {}


def _doc_arrays(doc) -> dict[str, Any]:
    """Per-document token arrays, computed once: coarse POS ids, the distinct lowercase forms and
    lemmas with each token's place among them (membership is then tested once per distinct word)."""
    cached = _ATTR_CACHE.get(id(doc))
    if cached is not None and cached[0] is doc:
        return cached[1]
    import numpy as np
    from spacy.attrs import LEMMA, POS

    arr = doc.to_array([POS, LEMMA])
    lower_u, lower_inv = np.unique(_lower_array(doc), return_inverse=True)
    lemma_u, lemma_inv = np.unique(arr[:, 1], return_inverse=True)
    out = {"pos": arr[:, 0], "lower_u": lower_u.tolist(), "lower_inv": lower_inv.reshape(-1),
           "lemma_u": lemma_u.tolist(), "lemma_inv": lemma_inv.reshape(-1)}
    _ATTR_CACHE.clear()
    _ATTR_CACHE[id(doc)] = (doc, out)
    return out


@lru_cache(maxsize=64)
def _hash_set(words: frozenset[str]) -> frozenset[int]:
    from spacy.strings import get_string_id

    return frozenset(get_string_id(w) for w in words)


def _candidate_tokens(doc, pos_names: tuple[str, ...], lowers: frozenset[str],
                      lemma_lowers: frozenset[str] = frozenset()) -> list[int]:
    """Indices, in text order, of the tokens with one of the coarse tags whose lowercase form is
    one of `lowers` or whose lowercased lemma is one of `lemma_lowers`: a superset filter that
    spares a Python Token object for every other word of the document."""
    import numpy as np
    from spacy.symbols import IDS

    if len(doc) == 0:
        return []
    arrays = _doc_arrays(doc)
    pos = arrays["pos"]
    mask = pos == IDS[pos_names[0]]
    for name in pos_names[1:]:
        mask |= pos == IDS[name]
    hashes = _hash_set(lowers)
    lower_u = arrays["lower_u"]
    words = np.fromiter((h in hashes for h in lower_u), dtype=bool, count=len(lower_u))[arrays["lower_inv"]]
    if lemma_lowers:
        strings = doc.vocab.strings
        lemma_u = arrays["lemma_u"]
        hit = np.fromiter((strings[h].lower() in lemma_lowers for h in lemma_u), dtype=bool, count=len(lemma_u))
        words |= hit[arrays["lemma_inv"]]
    return np.flatnonzero(mask & words).tolist()


def _positions(doc, words: frozenset[str]) -> list[int]:
    """Indices of the tokens whose lowercase form is one of `words`, in text order."""
    import numpy as np

    if len(doc) == 0 or not words:
        return []
    arrays = _doc_arrays(doc)
    hashes = _hash_set(words)
    lower_u = arrays["lower_u"]
    hit = np.fromiter((h in hashes for h in lower_u), dtype=bool, count=len(lower_u))
    return np.flatnonzero(hit[arrays["lower_inv"]]).tolist()


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
                _name_word(nxt) or (nxt.text in DASHES and not t.whitespace_)):
            j += 1
            continue
        if t.text in DASHES and not t.whitespace_ and j > start and not doc[j - 1].whitespace_ and nxt is not None \
                and _name_word(nxt):
            j += 1
            continue
        break
    return end


def _rule_person_cands(ctx: Context, taken: list[Cand]) -> list[Cand]:
    """Personal names after a title or a role noun ("spokesman Zabihullah Mujahid", "Gen. Austin
    Miller", "Prime Minister Imran Khan") and names led by an Arabic or Persian name word ("Abu
    Mohammed al-Julani", "Mullah Abdul Ghani Baradar") that spaCy missed, cut short or typed as an
    organization or place. A parser span inside the name gives way; one reaching outside it wins."""
    doc, lex = ctx.doc, lexicon()
    starters = _rule_starters()
    positions = _positions(doc, starters)
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
        if first in occupied:
            continue
        if start >= len(doc):
            continue
        sent_end = _sent_end(doc, start)
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


def _named_cands(ctx: Context) -> list[Cand]:
    doc = ctx.doc
    cands = _spacy_cands(ctx)
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
        if c.label == "NORP" and c.gaz is None and _is_modifier_use(doc, c) and (
                c.country is not None or nm.light_key(c.text) in lexicon().affiliations
                or nm.demonym_country(c.text) is not None):
            continue  # a nationality or creed modifier: an affiliation of what it modifies, not an entity
        if c.kind == "group" and c.gaz is not None and c.gaz.subtype == "country":
            # a country name tagged NORP is the country
            c.kind = "location"
        kept.append(c)
    kept.sort(key=lambda c: (c.start, -c.end))
    kept.extend(_dateline(ctx, kept))
    kept.sort(key=lambda c: (c.start, -c.end))
    # drop exact duplicates and spans nested in a longer one of the same kind
    out: list[Cand] = []
    for c in kept:
        if out and c.start >= out[-1].start and c.end <= out[-1].end:
            if c.kind != "location" or out[-1].kind == "location":
                continue
        out.append(c)
    return out


# ---- coreference of named candidates -----------------------------------------------------------
def _coarse(kind: str) -> str:
    return "place" if kind == "location" else "agent"


def _spelling_compatible(a: str, b: str) -> bool:
    la, lb = nm.light_key(a).split(), nm.light_key(b).split()
    if la == lb:
        return True
    if len(la) != len(lb):
        return True  # token counts differ only through article/abd folding
    return all(x == y or (len(x) >= 4 and len(y) >= 4) for x, y in zip(la, lb))


def _compatible_kinds(a: Cand, b: Cand) -> bool:
    if a.kind == b.kind:
        return True
    if "location" in (a.kind, b.kind):
        return False
    return True


def _alias_links(ctx: Context, cands: list[Cand], uf: _UnionFind) -> None:
    """Name, cue, name: "X also known as Y", "X (Y)", "Y, whose real name is X", ..."""
    lex = lexicon()
    gap_re = _alias_gap_re()
    text = ctx.text
    for k in range(len(cands) - 1):
        a, b = cands[k], cands[k + 1]
        if b.start - a.end > 60 or a.kind == "location" and b.kind != "location":
            continue
        if _sent_no(ctx.doc, a.i0) != _sent_no(ctx.doc, b.i0):
            continue
        gap = text[a.end:b.start]
        how = None
        m = gap_re.match(gap)
        if m:
            cue = m.group(1).casefold()
            if cue in lex.alias_weak:
                # "X, or Y," / "X, called Y," only inside commas or brackets
                after = text[b.end:b.end + 2]
                if not (gap.lstrip().startswith((",", "(")) and after[:1] in (",", ")")):
                    continue
            how = cue
        elif _PAREN_GAP.match(gap) and _PAREN_CLOSE.match(text[b.end:b.end + 4]):
            # "X (ACR)", "X (Y)"; not a dateline's "KABUL (Reuters)"
            if b.subtype == "media" or (b.gaz is not None and b.gaz.subtype == "media"):
                continue
            if nm.looks_like_acronym(b.text):
                if not (nm.acronym_matches(b.text, a.text) or (a.gaz is not None and a.gaz is b.gaz)):
                    continue
                how = "acronym"
            elif a.kind == b.kind and not a.text.isupper():
                how = "parentheses"
        if how is None:
            continue
        if not _compatible_kinds(a, b):
            strong = how not in ("acronym", "parentheses") and how not in lex.alias_weak
            if not strong or (a.gaz is not None and a.kind == "location") or (b.gaz is not None and b.kind == "location"):
                continue
            if a.kind == "location":
                a.kind = b.kind
            else:
                b.kind = a.kind
        if how in ("acronym", "parentheses") and a.kind != b.kind and not nm.looks_like_acronym(b.text):
            continue
        if a.gaz is not None and b.gaz is not None and a.gaz is not b.gaz:
            continue
        a.cue = b.cue = how
        if how in lex.alias_reversed:
            a.how = how
        else:
            b.how = how
        uf.union(k, k + 1)


def _paren_acronyms(ctx: Context, cands: list[Cand]) -> list[Cand]:
    """"the Federal Bureau of Investigation (FBI)" when spaCy left the acronym untagged."""
    doc = ctx.doc
    starts = {c.i0 for c in cands}
    extra: list[Cand] = []
    for c in cands:
        if c.kind == "location" or c.i1 + 2 >= len(doc):
            continue
        if doc[c.i1].text not in ("(", "["):
            continue
        t = doc[c.i1 + 1]
        if t.i in starts or doc[c.i1 + 2].text not in (")", "]"):
            continue
        if nm.looks_like_acronym(t.text) and nm.acronym_matches(t.text, c.text):
            new = Cand(t.i, t.i + 1, t.idx, t.idx + len(t.text), t.text, c.kind, c.label,
                       gaz=nm.gazetteer_lookup(t.text), subtype=c.subtype, country=c.country)
            if new.gaz is not None and c.gaz is not None and new.gaz is not c.gaz:
                continue
            extra.append(new)
    return extra


def _cluster(ctx: Context, cands: list[Cand]) -> list[list[Cand]]:
    uf = _UnionFind(len(cands))
    cands_index = {id(c): k for k, c in enumerate(cands)}
    # 1. same gazetteer entry or same key
    first: dict[tuple, int] = {}
    for k, c in enumerate(cands):
        if c.gaz is not None:
            key = ("gaz", c.gaz.id)
        elif c.label == "NORP" and c.country:
            key = ("nationality", c.country)  # "Afghans" and "the Afghan" are one group
        else:
            key = (_coarse(c.kind), nm.name_key(c.text))
        if key in first:
            j = first[key]
            if c.gaz is not None or _spelling_compatible(cands[j].text, c.text):
                if c.text != cands[j].text and c.how == "mention":
                    same = nm.name_key(c.text) == nm.name_key(cands[j].text)
                    c.how = "variant spelling" if same else "gazetteer alias"
                uf.union(j, k)
        else:
            first[key] = k
    # 2. alias cues between neighbours
    _alias_links(ctx, cands, uf)
    # 3. acronyms: "FBI" with "Federal Bureau of Investigation" anywhere in the document
    expansions: dict[str, list[int]] = {}
    for k, c in enumerate(cands):
        if not nm.looks_like_acronym(c.text) and len(c.text.split()) > 1:
            expansions.setdefault(nm.acronym_of(c.text).casefold(), []).append(k)
    for k, c in enumerate(cands):
        if nm.looks_like_acronym(c.text):
            targets = {uf.find(j) for j in expansions.get(c.text.replace(".", "").casefold(), [])
                       if _compatible_kinds(cands[j], c) or c.label in ("PERSON", "NORP")}
            if len(targets) == 1:
                root = targets.pop()
                if uf.find(k) != root:
                    if c.how == "mention":
                        c.how = "acronym"
                    uf.union(root, k)
    # 4. organizations named without their generic last word: "Haqqani" for "the Haqqani network"
    heads = lexicon().org_generic_heads
    org_short: dict[str, set[int]] = {}
    for k, c in enumerate(cands):
        words = c.text.split()
        if c.kind == "organization" and len(words) > 1 and words[-1].lower() in heads:
            org_short.setdefault(nm.name_key(" ".join(words[:-1])), set()).add(uf.find(k))
    for k, c in enumerate(cands):
        if c.label == "PERSON" or c.gaz is not None:
            continue
        roots = org_short.get(nm.name_key(c.text), set())
        if len(roots) == 1:
            root = next(iter(roots))
            if uf.find(k) != root:
                if c.how == "mention":
                    c.how = "short form"
                c.kind = "organization"
                uf.union(root, k)
    # 5. short forms of people's names: "Ghani" for "Ashraf Ghani", "Al-Rahman" for "X Abd-al-Rahman"
    groups = _groups(cands, uf)
    owner_of: dict[str, set[int]] = {}
    for g in groups:
        if any(c.kind == "person" for c in g):
            root = uf.find(cands_index[id(g[0])])
            for c in g:
                if c.kind == "person":
                    for key in nm.short_form_keys(c.text):
                        owner_of.setdefault(key, set()).add(root)
    for g in groups:
        if any(c.gaz is not None and c.gaz.type != "person" for c in g):
            continue
        if any(c.kind == "organization" and c.label != "PERSON" and len(c.text.split()) > 1 for c in g):
            continue
        me = uf.find(cands_index[id(g[0])])
        owners: set[int] | None = None
        for c in g:
            found = owner_of.get(nm.name_key(c.text), set()) - {me}
            owners = found if owners is None else owners & found
        if owners and len(owners) == 1:
            for c in g:
                if c.how == "mention":
                    c.how = "short form"
            uf.union(next(iter(owners)), me)
    return _groups(cands, uf)


def _groups(cands: list[Cand], uf: _UnionFind) -> list[list[Cand]]:
    by_root: dict[int, list[Cand]] = {}
    for k, c in enumerate(cands):
        by_root.setdefault(uf.find(k), []).append(c)
    return sorted(by_root.values(), key=lambda g: g[0].start)


def _cluster_type(group: list[Cand]) -> tuple[str, str | None, str | None, nm.GazetteerEntry | None]:
    gaz = next((c.gaz for c in group if c.gaz is not None), None)
    if gaz is not None:
        return gaz.type, gaz.subtype, gaz.country, gaz
    if any(c.kind == "person" and c.title for c in group):
        return "person", None, next((c.country for c in group if c.country), None), None
    names = [c.text for c in group if not nm.looks_like_acronym(c.text)] or [c.text for c in group]
    best = nm.best_name(names)
    lead = next(c for c in group if c.text == best)
    kind = lead.kind
    if kind == "person" and all(nm.looks_like_acronym(c.text) for c in group):
        kind = "organization"
    subtype = next((c.subtype for c in group if c.subtype), None)
    if kind == "organization" and subtype is None:
        subtype = subtype_of_org(best)
    country = next((c.country for c in group if c.country), None)
    return kind, subtype, country, None


# ---- the stage's working state ------------------------------------------------------------------
@dataclass
class _Mention:
    head: int  # token index of the mention's head
    start_tok: int
    entity: str
    kind: str  # "name" | "description" | "pronoun" | "generic"


@dataclass
class _State:
    mentions: list[_Mention] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)
    generic: dict[tuple[str, str | None], str] = field(default_factory=dict)
    latent: list[str] = field(default_factory=list)  # people named only inside "<name> administration"
    org_mentions: list[tuple[int, str]] | None = None  # (head token, entity id) of named organizations
    seen: set[tuple[str, int, int]] = field(default_factory=set)


_SENT_CACHE: dict[int, tuple[Any, list[int]]] = {}


def _sent_starts(doc) -> list[int]:
    """Token indices where sentences start (computed once per doc)."""
    cached = _SENT_CACHE.get(id(doc))
    if cached is not None and cached[0] is doc:
        return cached[1]
    starts = [s.start for s in doc.sents] if len(doc) else [0]
    _SENT_CACHE.clear()
    _SENT_CACHE[id(doc)] = (doc, starts)
    return starts


def _sent_no(doc, i: int) -> int:
    return max(0, bisect_right(_sent_starts(doc), i) - 1)


def _sent_start(doc, i: int) -> int:
    return _sent_starts(doc)[_sent_no(doc, i)]


def _sent_end(doc, i: int) -> int:
    starts = _sent_starts(doc)
    k = _sent_no(doc, i) + 1
    return starts[k] if k < len(starts) else len(doc)


def _head_of(doc, i0: int, i1: int) -> int:
    for i in range(i1 - 1, i0 - 1, -1):
        h = doc[i].head.i
        if not (i0 <= h < i1) or h == i:
            return i
    return i1 - 1


def _record(ctx: Context, state: _State, entity: Entity, i0: int, i1: int, kind: str,
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
    state.mentions.append(_Mention(_head_of(doc, i0, i1), i0, entity.id, kind))


def _alias_how(c: Cand, name: str, gaz: nm.GazetteerEntry | None, lead_cue: str | None) -> str:
    """How the article taught that c.text names the same actor as `name`."""
    if c.how not in ("mention", "variant spelling", "gazetteer alias"):
        return c.how
    if c.cue:
        return c.cue
    if lead_cue:
        return lead_cue
    if nm.name_key(c.text) == nm.name_key(name):
        return "variant spelling"
    if nm.is_short_form(c.text, name):
        return "short form"
    if nm.looks_like_acronym(c.text) and nm.acronym_matches(c.text, name):
        return "acronym"
    if gaz is not None:
        return "gazetteer alias"
    return c.how if c.how != "mention" else "coreference"


def _named_entities(ctx: Context, state: _State) -> None:
    cands = _named_cands(ctx)
    cands.extend(_paren_acronyms(ctx, cands))
    cands.sort(key=lambda c: (c.start, -c.end))
    lex = lexicon()
    state.latent.extend(c.latent for c in cands if c.latent)
    for group in _cluster(ctx, cands):
        kind, subtype, country, gaz = _cluster_type(group)
        texts: list[str] = []
        for c in group:
            if c.text not in texts:
                texts.append(c.text)
        name = nm.best_name(texts, kind)
        if gaz is not None:
            # prefer the surface form closest to the gazetteer's own name
            same = [t for t in texts if nm.name_key(t) == nm.name_key(gaz.name)]
            if same and len(nm.key_parts(same[0])) >= len(nm.key_parts(name)):
                name = same[0]
        if name.isupper() and any(c.dateline for c in group):
            # "KABUL (Reuters)": the place's name as a reader writes it
            name = next((t for t in texts if not t.isupper() and nm.name_key(t) == nm.name_key(name)),
                        gaz.name if gaz is not None else " ".join(w.capitalize() for w in name.split()))
        label = next((c.label for c in group if c.text == name), group[0].label)
        entity = ctx.new_entity(name, kind, subtype=subtype, label=label, country=country)
        seen = {name.casefold()}
        lead_cue = next((c.cue for c in group if c.text == name and c.cue), None)
        for c in group:
            if c.text.casefold() not in seen:
                seen.add(c.text.casefold())
                entity.add_alias(c.text, _alias_how(c, name, gaz, lead_cue))
        titles = [c.title for c in group if c.title]
        if titles and kind == "person":
            entity.descriptor = {"title": titles[0]}
            g = lex.title_gender.get(titles[0].split()[-1].casefold()) or lex.title_gender.get(titles[0].casefold())
            if g:
                state.gender[entity.id] = g
        for c in group:
            _record(ctx, state, entity, c.i0, c.i1, "name")


# lowercase word hash -> the last part of the word's name key (None: not a word that can end a name);
# a hash always names the same string, so the table holds across documents
_LAST_KEY_OF: dict[int, str | None] = {}


def _recover_positions(doc, last_keys: set[str]) -> list[int]:
    """Tokens whose word can end a known name: each distinct word of the document is keyed once."""
    import numpy as np

    if len(doc) == 0:
        return []
    arrays = _doc_arrays(doc)
    strings = doc.vocab.strings
    last_of = _LAST_KEY_OF
    if len(last_of) > 200_000:
        last_of.clear()
    hit = np.zeros(len(arrays["lower_u"]), dtype=bool)
    for k, h in enumerate(arrays["lower_u"]):
        last = last_of.get(h, "")
        if last == "":
            word = strings[h]
            last = last_of[h] = nm.name_key(word).rsplit(" ", 1)[-1] if word[:1].isalpha() else None
        if last is not None and last in last_keys:
            hit[k] = True
    if not hit.any():
        return []
    return np.flatnonzero(hit[arrays["lower_inv"]]).tolist()


def _recover_mentions(ctx: Context, state: _State) -> None:
    """Mentions spaCy did not tag: a known name or the short form of a known name ("Baghdadi" after
    "Abu Bakr al-Baghdadi", "Haqqani fighters" after "the Haqqani network")."""
    doc = ctx.doc
    index: dict[str, set[str]] = {}
    heads = lexicon().org_generic_heads
    for e in ctx.entities:
        if e.anonymous or e.type == "other":
            continue
        for n in [e.name, *e.aliases]:
            if not nm.looks_like_acronym(n):
                index.setdefault(nm.name_key(n), set()).add(e.id)
            if e.type == "person":
                for key in nm.short_form_keys(n):
                    index.setdefault(key, set()).add(e.id)
            words = n.split()
            if e.type == "organization" and len(words) > 1 and words[-1].lower() in heads:
                index.setdefault(nm.name_key(" ".join(words[:-1])), set()).add(e.id)
    for person in state.latent:
        key = nm.name_key(person)
        if key and key not in index:
            index[key] = {"latent:" + person}
    index.pop("", None)
    if not index:
        return
    longest = max(len(k.split()) for k in index) + 3
    linked = ctx.token_entity
    pronouns = lexicon().pronouns["plural"] | lexicon().pronouns["singular_person"]
    for i in _recover_positions(doc, {k.rsplit(" ", 1)[-1] for k in index}):
        tok = doc[i]
        if tok.i in linked or not tok.text[:1].isupper() or not tok.is_alpha or tok.pos_ in ("PRON", "DET", "ADP"):
            continue
        if tok.lower_ in pronouns:
            continue
        sent_start = _sent_start(doc, tok.i)
        lo = max(sent_start, tok.i - longest)
        for j in range(tok.i - 1, lo - 1, -1):  # a window never holds a linked token
            if j in linked:
                lo = j + 1
                break
        best = None
        for start in range(lo, tok.i + 1):
            window = doc[start:tok.i + 1]
            if window[0].is_punct:
                continue
            if window[0].lower_ == "the" and start < tok.i:
                continue
            if not (window[0].text[:1].isupper() or window[0].lower_ in ("al", "el", "bin", "ibn", "abu")):
                continue
            ids = index.get(nm.name_key(window.text))
            if ids:
                best = (start, ids)
                break
        if best is None:
            continue
        start, ids = best
        if len(ids) > 1:
            want = "organization" if tok.dep_ == "compound" and tok.head.pos_ == "NOUN" else "person"
            ids = {i for i in ids if (ctx.entity(i) and ctx.entity(i).type == want)}
        if len(ids) != 1:
            continue
        only = next(iter(ids))
        found = ctx.entity(only)
        if found is not None and found.type == "group" and tok.dep_ in MODIFIER_DEPS:
            continue  # "an Afghan official": an affiliation, not a mention of "Afghans"
        if only.startswith("latent:"):
            if tok.dep_ == "compound" and doc[tok.head.i].lower_ in lexicon().government_nouns:
                continue
            entity = ctx.new_entity(doc[start:tok.i + 1].text, "person", label="PERSON")
            ids.clear()
            ids.add(entity.id)
            for key, val in index.items():
                if val == {only}:
                    index[key] = {entity.id}
        else:
            entity = ctx.entity(only)
        if entity is None:
            continue
        text = doc[start:tok.i + 1].text
        if text.casefold() != entity.name.casefold() and text.casefold() not in {a.casefold() for a in entity.aliases}:
            same = nm.name_key(text) == nm.name_key(entity.name)
            entity.add_alias(text, "variant spelling" if same else "short form")
        _record(ctx, state, entity, start, tok.i + 1, "name")


# ---- nationality + security noun: "Turkish police", "Israeli jets" ------------------------------
def _national_noun(tok) -> tuple[str, int] | None:
    """(subtype, first token of the noun words) when tok heads a security or state noun."""
    table = lexicon().national_nouns
    lemma = tok.lemma_.lower()
    doc = tok.doc
    if tok.i > 0:
        prev = doc[tok.i - 1]
        for key in ((prev.lower_, lemma), (prev.lower_, tok.lower_)):
            if key in table:
                return table[key], tok.i - 1
    for key in ((lemma,), (tok.lower_,)):
        if key in table:
            return table[key], tok.i
    return None


@lru_cache(maxsize=1)
def _national_last_words() -> frozenset[str]:
    """The words a security or state noun of the table can end with (its lemma or its form)."""
    return frozenset(key[-1] for key in lexicon().national_nouns)


def _national_actors(ctx: Context, state: _State) -> None:
    """A nationality adjective on a security or state noun names an actor of that country: one
    organization per country and subtype ("Turkish police" ... "the Turkish police officers")."""
    doc = ctx.doc
    made: dict[tuple[str, str], Entity] = {}
    last_words = _national_last_words()
    for i in _candidate_tokens(doc, ("NOUN", "PROPN"), last_words, last_words):
        tok = doc[i]
        if tok.pos_ not in ("NOUN", "PROPN") or tok.i in ctx.token_entity:
            continue
        if tok.dep_ == "compound" and tok.head.i > tok.i and tok.head.pos_ in ("NOUN", "PROPN"):
            continue  # "police chief": the head noun decides
        found = _national_noun(tok)
        if found is None:
            continue
        subtype, first = found
        # the nationality: a modifier left of the noun words, with only modifiers between
        dem_tok, country = None, None
        for c in sorted(tok.lefts, key=lambda t: t.i):
            if c.dep_ in ("amod", "compound", "nmod", "npadvmod") and c.i < first and c.text[:1].isupper():
                if c.ent_type_ in ("GPE", "LOC") or nm.gazetteer_lookup(c.text) is not None:
                    break  # a place name as modifier ("US troops"): the place stands for the actor
                entry = nm.demonym_country(c.text)
                if entry is not None and entry.country:
                    dem_tok, country = c, entry.country
                    break
        if dem_tok is None:
            continue
        owner = ctx.entity_of_token(dem_tok)
        if owner is not None and owner.type in ("organization", "person"):
            continue
        if any(t.i in ctx.token_entity and ctx.entity_of_token(t) is not owner for t in doc[dem_tok.i:tok.i + 1]):
            continue
        key = (country, subtype)
        entity = made.get(key)
        text = doc[dem_tok.i:tok.i + 1].text
        if entity is None:
            entity = ctx.new_entity(text, "organization", subtype=subtype, label="NORP", country=country)
            made[key] = entity
        elif text.casefold() != entity.name.casefold() and text.casefold() not in {a.casefold() for a in entity.aliases}:
            entity.add_alias(text, "coreference")
        _record(ctx, state, entity, dem_tok.i, tok.i + 1, "name")


# ---- the former / the latter ------------------------------------------------------------------------
def _former_latter(ctx: Context, state: _State) -> None:
    """"the former" / "the latter": the earlier / later of the last two actors named in this sentence
    and the one before. Only the two sentences' mentions are read (bisect), never the whole list."""
    doc = ctx.doc
    if not state.mentions:
        return
    positions = _positions(doc, _FORMER_LATTER)
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
        sent_no = _sent_no(doc, tok.i)
        window_start = _sent_starts(doc)[max(0, sent_no - 1)]
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
            _record(ctx, state, target, tok.i, tok.i + 1, "name")


_FORMER_LATTER = frozenset({"former", "latter"})


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
    """Every description seen, by role family, in text order: (start, entity id, descriptor). Kept on
    the context so that later stages' lookups (make_source_entity) see the same descriptions."""
    store = getattr(ctx, "_actor_descriptions", None)
    if store is None:
        store = {}
        ctx._actor_descriptions = store  # type: ignore[attr-defined]
    return store


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


def _resolve_description(ctx: Context, state: _State | None, head, descriptor: dict) -> Entity | None:
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
        _record(ctx, state, target, descriptor["first"], descriptor["head"] + 1, "description",
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


def _org_anaphor(ctx: Context, state: _State, noun) -> Entity | None:
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
    window = _sent_starts(doc)[max(0, _sent_no(doc, noun.i) - 1)]
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


def _group_owner(ctx: Context, state: _State, head) -> tuple[Entity | None, int | None]:
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


def _generic_group(ctx: Context, state: _State, head, descriptor: dict) -> None:
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
    _record(ctx, state, entity, i0, head.i + 1, "generic")


@lru_cache(maxsize=1)
def _role_words() -> frozenset[str]:
    """Every word form `_role_of_token` reads as a role or generic group noun."""
    lex = lexicon()
    return frozenset(lex.role_of) | frozenset(lex.generic_of)


@lru_cache(maxsize=1)
def _role_lemmas() -> frozenset[str]:
    """The lemmas `_role_of_token` reads as a role noun."""
    return frozenset(lexicon().role_of)


def _descriptions(ctx: Context, state: _State) -> None:
    doc = ctx.doc
    for i in _candidate_tokens(doc, ("NOUN", "PROPN"), _role_words(), _role_lemmas()):
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
        if _is_title_of_name(ctx, tok):
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


def _pronouns(ctx: Context, state: _State) -> None:
    doc, lex = ctx.doc, lexicon()
    pr = lex.pronouns
    singular, plural = pr["singular_person"], pr["plural"]
    female, male = pr["female"], pr["male"]
    reflexive = pr.get("reflexive", frozenset())
    mentions = sorted(state.mentions, key=lambda m: m.head)
    by_sent: dict[int, list[_Mention]] = {}
    for m in mentions:
        by_sent.setdefault(_sent_no(doc, m.head), []).append(m)
    for i in _candidate_tokens(doc, ("PRON",), singular | plural):
        tok = doc[i]
        word = tok.lower_
        if tok.pos_ != "PRON" or (word not in singular and word not in plural):
            continue
        if word in reflexive or ctx.entity_of_token(tok) is not None:
            continue
        if word == "her" and tok.dep_ not in ("dobj", "pobj", "dative", "iobj", "poss"):
            continue
        k = _sent_no(doc, tok.i)
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
            _record(ctx, state, entity, tok.i, tok.i + 1, "pronoun")


# ---- the stage ----------------------------------------------------------------------------------
def run(ctx: Context) -> None:
    if len(ctx.doc) == 0:
        return
    state = _State()
    _named_entities(ctx, state)
    _recover_mentions(ctx, state)
    _national_actors(ctx, state)
    _former_latter(ctx, state)
    _descriptions(ctx, state)
    _pronouns(ctx, state)


STAGE = StageInfo("actors", requires=("doc", "doc.ents"), assigns=("entities",), run=run, version="2")
