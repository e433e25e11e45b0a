"""The shared vocabularies: relation types, PLOVER event types and the spelling conventions of names.

This module sits below every layer (analyse, resolve, query, export all read it) and imports no
other wirescope module but `wirescope.model`, so that reading a knowledge base never needs the
analysis package.

- `relation_types()` and `plover_types()` give the per-type records of data/relations.yaml and
  data/plover.yaml as they are written (exporters, queries and docs read them; the analysis stages
  build their lemma indexes from them in wirescope.analyse.vocab). The data files stay where the
  analysis stages keep them, wirescope/analyse/data/, and are read as package data.
- `name_key`, `clean_name` and `variants` are the name conventions: a comparison key shared by
  every spelling of a name, and other spellings of a name (the full-text search widens a query
  with them). The rules cover English names and the transliterated Arabic, Persian and Pashto
  names that fill wire copy:

  - article prefixes (al-, el-, and the assimilated ad-/ar-/as-/ash-/at-/az-/an-/ud-/ul-) fold to "al";
  - "Abd al-X" / "Abdul X" / "Abdel X" / "Abdur X" / "Abdulx" fold to "abd al x"; ibn/bin/ben ->
    "bin"; Abu/Abou -> "abu"; the Persian/Urdu izafe (-e-/-i-) folds to "e";
  - transliteration: doubled letters collapse, q->k, ph->f, dh->z, dj->j, a vowel run folds to one
    class ("a"; a diphthong ai/ay/ei/ey/ae to "ai", au/aw/ao to "aw"), the first and last vowel
    keep their class (Ghani != Ghana, Omar == Umar, Ibrahim == Ebrahim), and a final -ah drops its h.

  So "al Qaeda", "Al-Qaida" and "al-Qa'ida" share the key "al kaida"; Mohammed/Muhammad/Mohamed
  share "mahamad"; Osama/Usama share "usama". `name_key` is a comparison key, never shown to a
  reader. Short forms, acronyms and the gazetteer stay in wirescope.analyse.names.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any


from wirescope.model import PLOVER_TYPES

DATA_DIR = ("analyse", "data")  # the data files, relative to the wirescope package


# ---- relation and PLOVER event types -----------------------------------------------------------
def _load(name: str) -> dict[str, Any]:
    from wirescope.lexicon import load

    return load(name)


def relation_data() -> dict[str, Any]:
    """The whole of relations.yaml (types plus the shared lists)."""
    return _load("relations.yaml")


def plover_data() -> dict[str, Any]:
    """The whole of plover.yaml (types plus the argument rules)."""
    return _load("plover.yaml")


def relation_types() -> dict[str, dict[str, Any]]:
    """Relation type -> {label, direction, symmetric, inverse, stix, cameo, plover, triggers, ...}."""
    return dict(relation_data().get("types", {}))


def plover_types() -> dict[str, dict[str, Any]]:
    """PLOVER event type -> {quad, description, modes, verbs, nouns, ...}."""
    return dict(plover_data().get("types", {}))


def plover_category_map() -> dict[str, str]:
    """Older PLOVER categories (FIGHT, DEMAND, ...) -> the contract's 16 categories."""
    return dict(plover_data().get("category_map", {}))


def to_contract_type(category: str) -> str | None:
    """Map any PLOVER category name to the contract's enum (None when it has no equivalent)."""
    category = (category or "").upper()
    category = plover_category_map().get(category, category)
    return category if category in PLOVER_TYPES else None


# ---- name conventions --------------------------------------------------------------------------
_APOSTROPHES = "'\u2019\u2018\u02bc\u02bf\u02be`\u00b4"
_END_POSSESSIVE = re.compile(r"(?<=\w)[" + _APOSTROPHES + r"]s?$", re.IGNORECASE)
_ABBREV_END = re.compile(r"(?:\b\w\.)+$|\b(?:Inc|Co|Corp|Ltd|Jr|Sr|St|Bros)\.$")
_POSSESSIVE = re.compile(r"(?<=\w)[" + _APOSTROPHES + r"]s?(?=\s|$|[-,;:)\]])", re.IGNORECASE)
_ASSIMILATED = re.compile(r"(?<![\w])(?:al|el|il|ul|ad|adh|ar|as|ash|at|ath|az|an|ud|ur|us|un|ut)-(?=\w)",
                          re.IGNORECASE)
_IZAFE = re.compile(r"(?<=\w)-(?:e|i|ye|yi)-(?=\w)", re.IGNORECASE)
_NON_WORD = re.compile(r"[^\w\s]|_")
_SPACES = re.compile(r"\s+")

ABD_FORMS = ("abdul", "abdel", "abdal", "abdol", "abdur", "abdus", "abdun", "abdar", "abdil", "abdoul")
ARTICLE_TOKENS = frozenset({"al", "el", "il", "ul"})
BIN_TOKENS = frozenset({"bin", "ibn", "bn", "ben"})
ABU_TOKENS = frozenset({"abu", "abou", "abo"})
VOWELS = frozenset("aeiou")


def strip_diacritics(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def clean_name(name: str) -> str:
    """The surface name without a possessive ending, a leading "the", brackets or edge punctuation."""
    text = _SPACES.sub(" ", (name or "").strip())
    text = text.strip("[](){}\"\u201c\u201d,;:!? ")
    if text.endswith(".") and not _ABBREV_END.search(text):
        text = text[:-1]
    text = _END_POSSESSIVE.sub("", text)
    if text[:4].lower() == "the " and len(text) > 4:
        text = text[4:]
    return text.strip()


def _fold_letters(word: str) -> str:
    """Transliteration folding of one lowercase ascii word (see the module docstring)."""
    if not word or word.isdigit():
        return word
    w = word.replace("ph", "f").replace("dh", "z").replace("dj", "j").replace("q", "k").replace("ck", "k")
    # collapse doubled letters
    out: list[str] = []
    for c in w:
        if not out or out[-1] != c or c in VOWELS:
            out.append(c)
    w = "".join(out).replace("ayi", "ai")
    if len(w) > 3 and w.endswith("h") and w[-2] in VOWELS:
        w = w[:-1]  # final -ah / -eh
    # y: a consonant at the start or between vowels, else a vowel (i)
    chars = list(w)
    for i, c in enumerate(chars):
        if c == "y" and i > 0:
            before = chars[i - 1] in VOWELS
            after = i + 1 < len(chars) and chars[i + 1] in VOWELS
            if not (before and after):
                chars[i] = "i"
    w = "".join(chars)
    # vowel runs
    result: list[str] = []
    i, n = 0, len(w)
    while i < n:
        c = w[i]
        if c not in VOWELS:
            result.append(c)
            i += 1
            continue
        j = i
        while j < n and w[j] in VOWELS:
            j += 1
        run = w[i:j]
        if len(run) > 1 and run[0] in "ae" and any(x in "ie" for x in run[1:]):
            cls = "ai"
        elif len(run) > 1 and run[0] == "a" and run[1] in "uo" and j < n:
            cls = "aw"
        elif i == 0:  # first vowel keeps its class
            cls = "u" if run[0] in "ou" else ("i" if run[0] in "ie" else "a")
        elif j == n:  # and so does the last
            cls = "i" if run[-1] in "i" or run in ("ee", "ie") else ("u" if run[-1] in "ou" else "a")
        else:
            cls = "a"
        result.append(cls)
        i = j
    return "".join(result)


def _key_tokens(name: str) -> list[str]:
    text = strip_diacritics(clean_name(name))
    try:  # other scripts -> ascii (Arabic, Cyrillic ...)
        from unidecode import unidecode
        if not text.isascii():
            text = unidecode(text)
    except ImportError:  # pragma: no cover - unidecode is a declared dependency
        pass
    text = _POSSESSIVE.sub("", text)
    for a in _APOSTROPHES:
        text = text.replace(a, "")
    text = text.replace(".", "")
    text = _IZAFE.sub(" e ", text)
    text = _ASSIMILATED.sub("al ", text)
    text = _NON_WORD.sub(" ", text)
    # acronyms (all capitals) are compared letter for letter, never vowel-folded
    raw = [t.casefold() for t in text.split()]
    acronyms = {i for i, t in enumerate(text.split()) if len(t) > 1 and t.isupper() and t.isalpha()}
    if raw and raw[0] == "the" and len(raw) > 1:
        raw = raw[1:]
        acronyms = {i - 1 for i in acronyms}
    tokens: list[str] = []
    for pos, tok in enumerate(raw):
        if pos in acronyms:
            tokens.append(tok)
        elif tok in ARTICLE_TOKENS:
            tokens.append("al")
        elif tok in BIN_TOKENS and (tok != "ben" or pos > 0):
            tokens.append("bin")
        elif tok in ("bint", "binte", "binti"):
            tokens.append("bint")
        elif tok in ABU_TOKENS:
            tokens.append("abu")
        elif tok == "abd" or tok in ABD_FORMS:
            tokens.extend(["abd", "al"] if tok != "abd" else ["abd"])
        elif tok.startswith(ABD_FORMS) and tok[5:] not in ("lah", "la", "llah", "lla", "ah", "a", ""):
            tokens.extend(["abd", "al"])
            rest = tok[5:]
            if rest:
                tokens.append(_fold_letters(rest))
        elif tok.startswith("abd") and len(tok) > 3 and tok[3:] not in ("allah", "ullah", "ulla", "alla", "ollah"):
            # "Abdrabbuh"-style joins keep their shape
            tokens.append(_fold_letters(tok))
        else:
            tokens.append(_fold_letters(tok))
    # "abd" followed by a bare name (Abd Rauf) reads as "abd al"
    fixed: list[str] = []
    for i, tok in enumerate(tokens):
        fixed.append(tok)
        if tok == "abd" and i + 1 < len(tokens) and tokens[i + 1] != "al":
            fixed.append("al")
    return fixed


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A normalised comparison key: two spellings of one name give the same key."""
    return " ".join(_key_tokens(name or ""))


@lru_cache(maxsize=65536)
def light_key(name: str) -> str:
    """Casefold, diacritics, punctuation, possessive and "the" only: no transliteration folding."""
    text = strip_diacritics(clean_name(name)).casefold()
    for a in _APOSTROPHES:
        text = text.replace(a, "")
    text = _NON_WORD.sub(" ", text.replace(".", ""))
    return _SPACES.sub(" ", text).strip()


def _alternatives(word: str) -> list[str]:
    """Single-rule respellings of one word used by `variants`."""
    subs = (("ou", "u"), ("oo", "u"), ("u", "ou"), ("o", "u"), ("u", "o"), ("e", "a"), ("a", "e"),
            ("ee", "i"), ("i", "ee"), ("ae", "ai"), ("ai", "ae"), ("ei", "ay"), ("ay", "ei"),
            ("dh", "z"), ("ph", "f"), ("q", "k"), ("mm", "m"), ("ss", "s"), ("i", "e"))
    out: list[str] = []
    low = word.lower()
    for a, b in subs:
        idx = low.find(a)
        while idx != -1:
            new = word[:idx] + (b.upper() if word[idx:idx + len(a)].isupper() else b) + word[idx + len(a):]
            if idx == 0 and word[:1].isupper():
                new = new[:1].upper() + new[1:]
            out.append(new)
            idx = low.find(a, idx + 1)
    if low.endswith("a") and len(low) > 3:
        out.append(word + "h")
    if low.endswith("ah") and len(low) > 4:
        out.append(word[:-1])
    return out


def variants(name: str, limit: int = 48) -> set[str]:
    """Other spellings of a name that share its key: article forms (al-X / al X / Al-X / el-X),
    the name without "the" or a possessive, and single transliteration respellings of each word."""
    base = clean_name(name)
    if not base:
        return set()
    key = name_key(base)
    found: set[str] = {base}
    # article and hyphen forms
    art = re.compile(r"\b([Aa]l|[Ee]l)[-\s](?=\w)")
    if art.search(base):
        for repl in ("al-", "al ", "Al-", "Al ", "el-"):
            found.add(art.sub(repl, base))
    if "-" in base:
        found.add(base.replace("-", " "))
    words = base.split(" ")
    for i, w in enumerate(words):
        for alt in _alternatives(w):
            cand = " ".join(words[:i] + [alt] + words[i + 1:])
            found.add(cand)
        if len(found) > limit * 3:
            break
    kept = {v for v in found if name_key(v) == key}
    ordered = sorted(kept, key=lambda v: (v != base, len(v), v))
    return set(ordered[:limit])
