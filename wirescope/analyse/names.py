"""Name conventions: comparison keys, short forms, acronyms and spelling variants of actor names.

Shared by the actors stage (within one document) and the cross-document resolver. The rules cover
English names and the transliterated Arabic, Persian and Pashto names that fill wire copy:

- article prefixes (al-, el-, and the assimilated ad-/ar-/as-/ash-/at-/az-/an-/ud-/ul-) fold to "al";
- "Abd al-X" / "Abdul X" / "Abdel X" / "Abdur X" / "Abdulx" fold to "abd al x"; ibn/bin/ben -> "bin";
  Abu/Abou -> "abu"; the Persian/Urdu izafe (-e-/-i-) folds to "e";
- transliteration: doubled letters collapse, q->k, ph->f, dh->z, dj->j, a vowel run folds to one
  class ("a"; a diphthong ai/ay/ei/ey/ae to "ai", au/aw/ao to "aw"), the first and last vowel keep
  their class (Ghani != Ghana, Omar == Umar, Ibrahim == Ebrahim), and a final -ah drops its h.

So "al Qaeda", "Al-Qaida" and "al-Qa'ida" share the key "al kaida"; Mohammed/Muhammad/Mohamed share
"mahamad"; Osama/Usama share "usama". `name_key` is a comparison key, never shown to a reader.

The gazetteer of well-known actors (data/gazetteer.yaml) is loaded here too, so that both the
actors stage and the resolver look names up the same way (`gazetteer_lookup`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

DATA = Path(__file__).resolve().parent / "data"

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
PARTICLES = frozenset({"al", "bin", "bint", "abu", "umm", "abd", "e", "the", "of", "de", "da", "van", "von",
                       "der", "la", "le", "du", "dos", "das", "del"})
ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "in", "on", "at", "to", "a", "an", "de", "du", "des",
                          "la", "le", "el", "del", "di", "da", "y", "&"})
VOWELS = frozenset("aeiou")


# ---- keys --------------------------------------------------------------------------------------
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


def light_key(name: str) -> str:
    """Casefold, diacritics, punctuation, possessive and "the" only: no transliteration folding."""
    text = strip_diacritics(clean_name(name)).casefold()
    for a in _APOSTROPHES:
        text = text.replace(a, "")
    text = _NON_WORD.sub(" ", text.replace(".", ""))
    return _SPACES.sub(" ", text).strip()


def key_parts(name: str) -> list[str]:
    return name_key(name).split()


def is_particle(token_key: str) -> bool:
    return token_key in PARTICLES


def short_form_keys(full: str) -> set[str]:
    """The keys of every short form of a full personal name (see `is_short_form`)."""
    f = key_parts(full)
    out: set[str] = set()
    if len(f) > 2 and f[0] in ("abu", "umm") and not is_particle(f[1]):
        out.add(" ".join(f[:2]))  # the kunya alone: "Abu Talha" for "Abu Talha al-Almani"
    for cut in range(1, len(f)):
        s = f[cut:]
        if all(is_particle(t) for t in s) or s[0] in ("abu", "umm"):
            continue
        prev = f[cut - 1]
        if prev in ("abd", "abu", "umm") and s[0] == "al":
            if len(s) >= 2:
                out.add(" ".join(s))  # "Al-Rahman" for "Abd-al-Rahman": the usual short form
            continue
        if prev == "al" and cut >= 2 and f[cut - 2] == "abd":
            continue  # "Rahman" is no name on its own: "Abd al-Rahman" means "servant of the Merciful"
        if prev in ("bin", "bint", "abd", "abu", "umm", "e") or (prev == "al" and cut < 2):
            continue  # the cut must fall on a name boundary
        out.add(" ".join(s))
    return out


def is_short_form(short: str, full: str) -> bool:
    """True when `short` names the same bearer as `full` by its last component(s): a surname
    ("Ghani" for "Ashraf Ghani"), a nisba or family part with its article ("Al-Rahman" for
    "X Abd-al-Rahman", "bin Laden" for "Osama bin Laden"). A bare particle, a first name or a kunya
    ("Abu X") is not."""
    key = name_key(short)
    return bool(key) and key in short_form_keys(full)


def is_kunya(name: str) -> bool:
    parts = key_parts(name)
    return bool(parts) and parts[0] in ("abu", "umm")


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s]+", clean_name(name)) if w]


def acronym_of(name: str) -> str:
    """The initials of a name, skipping of/the/and/for...: "Federal Bureau of Investigation" -> "FBI".
    Hyphenated capitalised parts count separately ("Al-Qaeda in the Arabian Peninsula" -> "AQAP")."""
    letters: list[str] = []
    for word in _words(name):
        if word.casefold() in ACRONYM_SKIP:
            continue
        parts = [p for p in re.split(r"[-\u2010\u2011]", word) if p]
        capital = [p for p in parts if p[:1].isupper()]
        use = capital if len(capital) > 1 else parts[:1]
        for p in use:
            ch = next((c for c in p if c.isalnum()), "")
            if ch:
                letters.append(ch.upper())
    return "".join(letters)


def looks_like_acronym(text: str) -> bool:
    t = text.replace(".", "").replace("&", "")
    return 2 <= len(t) <= 8 and t.isalnum() and sum(c.isupper() for c in t) >= max(2, len(t) - 1)


def acronym_matches(acronym: str, name: str) -> bool:
    """Whether `acronym` abbreviates `name`, allowing the small words in ("DoD" for "Department of
    Defense") or out ("FBI"), and the dotted form ("U.N.")."""
    a = acronym.replace(".", "").replace(" ", "").casefold()
    if len(a) < 2 or len(_words(name)) < 2:
        return False
    if acronym_of(name).casefold() == a:
        return True
    full = "".join(w[0] for w in _words(name) if w[:1].isalnum()).casefold()
    return full == a and len(_words(name)) > 1


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


# ---- gazetteer ----------------------------------------------------------------------------------
@dataclass(slots=True)
class GazetteerEntry:
    name: str
    type: str
    subtype: str | None = None
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    id: str = ""


@dataclass(slots=True)
class Gazetteer:
    entries: list[GazetteerEntry]
    by_key: dict[str, GazetteerEntry]
    by_demonym: dict[str, GazetteerEntry]
    # exact surface forms for phrase matching: (text, case_sensitive, entry)
    surfaces: list[tuple[str, bool, GazetteerEntry]]


def _load_yaml(name: str) -> Any:
    import yaml

    with open(DATA / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    raw = _load_yaml("gazetteer.yaml") or {}
    entries: list[GazetteerEntry] = []
    for section, default_type in (("actors", None), ("countries", "location")):
        for item in raw.get(section, []) or []:
            entry = GazetteerEntry(
                name=item["name"], type=item.get("type", default_type) or "organization",
                subtype=item.get("subtype", "country" if section == "countries" else None),
                country=item.get("country") or item.get("iso"),
                aliases=list(item.get("aliases", []) or []), demonyms=list(item.get("demonyms", []) or []),
            )
            entry.id = "gaz:" + name_key(entry.name).replace(" ", "_")
            entries.append(entry)
    by_key: dict[str, GazetteerEntry] = {}
    by_demonym: dict[str, GazetteerEntry] = {}
    surfaces: list[tuple[str, bool, GazetteerEntry]] = []
    for entry in entries:
        for form in [entry.name, *entry.aliases]:
            by_key.setdefault(name_key(form), entry)
            by_key.setdefault("=" + light_key(form), entry)
            surfaces.append((form, looks_like_acronym(form) or len(form) <= 3, entry))
        for dem in entry.demonyms:
            by_demonym.setdefault(light_key(dem), entry)
    return Gazetteer(entries, by_key, by_demonym, surfaces)


def gazetteer_lookup(name: str) -> GazetteerEntry | None:
    """The well-known actor a name denotes, by key ("Al-Qaida" -> al-Qaeda), or None.
    All-capital acronyms must match in capitals ("US" is the country, "us" is not)."""
    base = clean_name(name)
    if not base:
        return None
    table = gazetteer().by_key
    entry = table.get(name_key(base)) or table.get("=" + light_key(base))
    if entry is None:
        return None
    if len(base.replace(".", "")) <= 3 and not base.replace(".", "").isupper():
        # short names only match as written in capitals (IS, US, UN, AP)
        forms = [entry.name, *entry.aliases]
        if not any(f == base for f in forms):
            return None
    return entry


def demonym_country(word: str) -> GazetteerEntry | None:
    """The country a nationality adjective or noun belongs to: "Afghan" -> Afghanistan."""
    return gazetteer().by_demonym.get(light_key(word))


def best_name(names: Iterable[str], kind: str | None = None) -> str:
    """The most complete of several names: the longest non-kunya, non-acronym one (first seen on ties)."""
    listed = [n for n in names if n]
    if not listed:
        return ""

    def score(item: tuple[int, str]) -> tuple:
        idx, n = item
        words = len(key_parts(n))
        return (
            not looks_like_acronym(n),
            not (kind == "person" and is_kunya(n)),
            words,
            len(n),
            -idx,
        )

    return max(enumerate(listed), key=score)[1]
