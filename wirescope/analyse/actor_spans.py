"""Repairs of named candidates, part of step 1 of the actors stage (actor_mentions): parser spans
that swallow or lose neighbouring words, and names typed as the wrong kind of actor.

- organization spans split: a party adjective before a chamber ("Republican Senate" -> the
  Republicans + the Senate), title words after the name ("Coast Guard Commandant" -> the Coast Guard;
  the title goes to the person named next), a person's name after the organization's head word
  ("Amnesty International Man-kei Tam", "the House Nancy Pelosi");
- organization heads kept in ("Abu Dhabi" + "Media", "Jamaah" + "Ansharut Daulah");
- name particles kept in ("Arnel" + "dela Vega", "Ludwig" + "van Beethoven");
- types: a place word after the name or the parse around it makes a place ("Maidan Wardak province",
  "the capital, Sanaa,", "in Maidan Shahr", "at Abqaiq"), a building or site word a place ("Jolo
  Cathedral"), a party adjective or plural a party ("Conservative", "Republicans"), a process name
  no actor ("Brexit"), a name the article gives a person elsewhere a person ("Wiranto").
Each repair looks at a candidate and the few tokens around it: linear in the document."""
from __future__ import annotations

from wirescope.analyse import names as nm
from wirescope.analyse.actor_lexicon import lexicon, subtype_of_org
from wirescope.analyse.context import Context

LOCATIVE = frozenset({"in", "near", "outside", "inside", "across", "throughout", "around", "into", "from", "at",
                      "to", "toward", "towards", "within", "via"})
STRONG_LOCATIVE = frozenset({"in", "near", "outside", "inside", "across", "throughout", "around", "within"})


def _geo():
    from wirescope.analyse import geo  # the place layer: loaded only when a repair asks for it

    return geo.gazetteer()


def _known_place(text: str) -> bool:
    """The gazetteer holds the name as a place's main name (not only as another spelling)."""
    gaz = _geo()
    return bool(gaz.primary.get(_place_key(text)))


def _place_key(text: str) -> str:
    from wirescope.analyse import geo

    return geo.place_key(text)


def _cap(tok) -> bool:
    return tok.text[:1].isupper() and any(c.isalpha() for c in tok.text)


def _title_len(doc, i: int, j: int) -> int:
    """Tokens of the longest title starting at i and ending by j (0 when none)."""
    lex = lexicon()
    for n in range(min(lex.title_max, j - i), 0, -1):
        if " ".join(t.text for t in doc[i:i + n]).casefold() in lex.titles:
            return n
    return 0


# ---- organization spans ---------------------------------------------------------------------------
def _split_place_person(ctx: Context, c, make) -> list | None:
    """"First Minister of Scotland Nicola Sturgeon": after "<title> of", a span that the tagger ran
    from the place into the person's name is the place and then the person."""
    doc, lex = ctx.doc, lexicon()
    if c.gaz is not None or c.i1 - c.i0 < 3:
        return None
    if c.i0 >= 2 and doc[c.i0 - 1].lower_ == "of" and any(
            _title_len(doc, j, c.i0 - 1) == c.i0 - 1 - j for j in range(max(0, c.i0 - 5), c.i0 - 1)):
        for k in range(c.i0 + 1, c.i1 - 1):
            head, tail = doc[c.i0:k], doc[k:c.i1]
            if _known_place(head.text) and 2 <= len(tail) <= 3 and all(_cap(t) and t.is_alpha for t in tail) \
                    and not _known_place(tail.text) and not any(t.text.casefold() in lex.org_head_words for t in tail):
                body = make(ctx, c.i0, k, "GPE")
                person = make(ctx, k, c.i1, "PERSON")
                return [x for x in (body, person) if x is not None]
    return None


def _split_person_at(ctx: Context, c, make) -> list | None:
    """"Steven Wolf at Saint Francis", "Jane Roe from Amnesty": a person's span the tagger ran over a
    lowercase "at" / "from" into the body they belong to is the person and that body."""
    doc = ctx.doc
    for k in range(c.i0 + 2, c.i1 - 1):
        if doc[k].text in ("at", "from") and all(_cap(t) for t in doc[c.i0:k]) and _cap(doc[k + 1]):
            person, body = make(ctx, c.i0, k, "PERSON"), make(ctx, k + 1, c.i1, "ORG")
            return [x for x in (person, body) if x is not None]
    return None


def _split_org(ctx: Context, c, make) -> list:
    """The pieces of an organization span that holds more than the organization (see module doc)."""
    doc, lex = ctx.doc, lexicon()
    if c.gaz is not None or c.kind not in ("organization", "group", "location") or c.i1 - c.i0 < 2:
        return [c]
    toks = doc[c.i0:c.i1]
    first = toks[0].text.casefold()
    # "Republican Senate": a party adjective before a chamber or a title
    if first in lex.party_family and lex.party_family.get(c.text.casefold()) is None:
        rest = doc[c.i0 + 1:c.i1]
        chamber = len(rest) == 1 and subtype_of_org(rest.text) == "legislature"
        if chamber or _title_len(doc, c.i0 + 1, c.i1) == len(rest):
            party = make(ctx, c.i0, c.i0 + 1, "NORP")
            out = [party] if party is not None else []
            if chamber:
                body = make(ctx, c.i0 + 1, c.i1, "ORG")
                if body is not None:
                    out.append(body)
            return out
    # "Coast Guard Commandant (Admiral) Elson Hermogino": title words end the span, a name follows
    if c.i1 < len(doc) and _cap(doc[c.i1]):
        for k in range(c.i0 + 1, c.i1):
            if _title_len(doc, k, c.i1) == c.i1 - k and doc[k - 1].text.casefold() not in lex.title_first:
                body = make(ctx, c.i0, k, "ORG" if c.label not in ("GPE", "LOC", "FAC") else c.label)
                return [body] if body is not None else []
    # "United States Representative Elijah Cummings", "Scotland First Minister Nicola Sturgeon": a
    # title inside the span with a personal name after it ends the organization or place
    for k in range(c.i0 + 1, c.i1 - 2):
        n = _title_len(doc, k, c.i1 - 2)
        if n == 0:
            continue
        tail = doc[k + n:c.i1]
        if len(tail) < 2 or not all(_cap(t) and t.is_alpha for t in tail) \
                or any(t.text.casefold() in lex.org_head_words for t in tail) or _known_place(tail.text):
            break
        head = doc[c.i0:k]
        label = "GPE" if _known_place(head.text) or nm.demonym_country(head.text) else "ORG"
        body = make(ctx, c.i0, k, label)
        person = make(ctx, k, c.i1, "PERSON")
        return [x for x in (body, person) if x is not None]
    # "Amnesty International Man-kei Tam": a person's name after the organization's head word
    for k in range(c.i0 + 1, c.i1 - 1):
        if doc[k - 1].text.casefold() not in lex.org_head_words:
            continue
        tail = doc[k:c.i1]
        words = [t for t in tail if t.text not in ("-", "\u2010", "\u2011")]
        if len(words) < 2 or not all(_cap(t) or (t.i > k and doc[t.i - 1].text in ("-", "\u2011")) for t in words):
            break
        if any(t.text.casefold() in lex.org_head_words or t.text.casefold() in lex.titles
               or subtype_of_org(t.text) for t in words):
            break
        if _known_place(tail.text) or nm.demonym_country(tail.text) is not None or nm.gazetteer_lookup(tail.text):
            break
        root = tail[-1]
        if c.i0 <= root.head.i < k:
            break  # the parser reads the words as part of the organization's name
        body = make(ctx, c.i0, k, "ORG")
        person = make(ctx, k, c.i1, "PERSON")
        return [x for x in (body, person) if x is not None]
    return [c]


def _extend(ctx: Context, c, cands_at: dict[int, object], make):
    """"Abu Dhabi" + "Media", "Jamaah" + "Ansharut Daulah": heads and name words the parser left out."""
    doc, lex = ctx.doc, lexicon()
    if c.gaz is not None and c.gaz.type != "location":
        return c
    i0, i1 = c.i0, c.i1
    changed = False
    if c.kind in ("organization", "location", "person") and i1 < len(doc) and i1 not in cands_at:
        nxt = doc[i1]
        if (_cap(nxt) and nxt.text.casefold() in lex.org_head_words and nxt.pos_ == "PROPN"
                and doc[i1 - 1].head.i == i1 and not (c.kind == "person" and c.label == "PERSON")):
            i1 += 1
            changed = True
    if (c.kind == "organization" or changed) and i1 + 1 < len(doc) and doc[i1].lower_ == "of" and (
            doc[i1 - 1].text.casefold() in lex.org_head_words or subtype_of_org(doc[i1 - 1].text)):
        j = i1 + 1  # "the United States House" + "of Representatives": capitalised words no one else holds
        while j < len(doc) and j < i1 + 4 and j not in cands_at and _cap(doc[j]) and doc[j].pos_ == "PROPN":
            j += 1
        if j > i1 + 1 and (j >= len(doc) or not _cap(doc[j])):
            i1 = j
            changed = True
    if i0 > 0 and (i0 - 1) not in cands_at:
        prev = doc[i0 - 1]
        if _cap(prev) and prev.lower_ in lex.org_name_words and not prev.is_sent_start:
            i0 -= 1
            changed = True
    if not changed:
        return c
    new = make(ctx, i0, i1, "ORG")
    if new is None:
        return c
    new.kind = "organization"
    new.subtype = new.subtype or lex.org_name_words.get(doc[i0].lower_) or subtype_of_org(new.text)
    return new


def _particle_name(ctx: Context, c, cands_at: dict[int, object], make):
    """"Arnel dela Vega": a name that opens with a particle takes the name words before it."""
    doc, lex = ctx.doc, lexicon()
    if c.kind not in ("person", "organization") or c.gaz is not None or c.i0 == 0:
        return c, None
    if doc[c.i0].lower_ not in lex.name_particles or not doc[c.i0].text[:1].islower():
        return c, None
    j = c.i0
    dropped = None
    while j > 0 and j > c.i0 - 3:
        t = doc[j - 1]
        if not _cap(t) or t.is_sent_start and t.text.casefold() in lex.titles or t.text.casefold() in lex.titles:
            break
        other = cands_at.get(j - 1)
        if other is not None:
            if other.i1 - other.i0 > 2 or other.kind == "location" and other.gaz is not None:
                break
            dropped = other
        j -= 1
    if j == c.i0:
        return c, None
    new = make(ctx, j, c.i1, "PERSON")
    return (new, dropped) if new is not None else (c, None)


# ---- types ----------------------------------------------------------------------------------------
def _place_after(doc, i: int) -> bool:
    """A lowercase place noun starts at token i ("province", "oil field")."""
    if i >= len(doc) or not doc[i].text[:1].islower():
        return False
    for words in lexicon().place_after.get(doc[i].lower_, ()):
        if tuple(t.lower_ for t in doc[i:i + len(words)]) == words:
            return True
    return False


def _place_context(ctx: Context, c, locations: list) -> str | None:
    """Why the parse puts a name where places go: "after" (a place noun follows), "of" ("the town
    of X"), "appos" ("the capital, X,"), "locative" (the object of "in", "near", ...), else None."""
    doc, lex = ctx.doc, lexicon()
    if _place_after(doc, c.i1):
        return "after"
    if c.i0 >= 2 and doc[c.i0 - 1].lower_ == "of" and doc[c.i0 - 2].lower_ in lex.place_before:
        return "of"
    root = doc[c.i1 - 1]
    if root.dep_ == "appos" and root.head.lower_ in lex.place_before:
        return "appos"
    if root.dep_ == "pobj" and root.head.lower_ in LOCATIVE:
        return "locative"
    return None


def _followed_by_place(ctx: Context, c, location_starts: set[int]) -> bool:
    """"in Maidan Shahr in the centre of Afghanistan's ...", "Jolo, Sulu": a place named right after."""
    doc = ctx.doc
    j = c.i1
    if j < len(doc) and doc[j].text == ",":
        return j + 1 in location_starts
    if j < len(doc) and doc[j].lower_ in ("in", "near"):
        return any(k in location_starts for k in range(j + 1, min(len(doc), j + 7)))
    return False


def _coordinated_place(ctx: Context, c, location_starts: set[int]) -> bool:
    """"Jolo, and the Sulu region it is within,": a name coordinated with a place."""
    root = ctx.doc[c.i1 - 1]
    others = [t for t in root.children if t.dep_ == "conj"] + ([root.head] if root.dep_ == "conj" else [])
    return any(t.i in location_starts or any(s.i in location_starts for s in t.subtree) for t in others)


def _party_words(ctx: Context, cands: list, make) -> list:
    """Party words the parser left untagged: "Conservative MP Philip Hammond", "Liberals, which had
    secured ...". Inside a sentence a capitalised form counts; at its start a plural form, or an
    adjective before a capitalised word (a title or a name)."""
    from wirescope.analyse.actor_index import word_positions

    doc, lex = ctx.doc, lexicon()
    forms = frozenset(f for f in lex.party_family if " " not in f)
    taken = {i for c in cands for i in range(c.i0, c.i1)}
    out = []
    for i in word_positions(doc, forms):
        tok = doc[i]
        if i in taken or not tok.text[:1].isupper() or tok.pos_ not in ("PROPN", "ADJ", "NOUN"):
            continue
        if tok.is_sent_start or (i > 0 and doc[i - 1].text in ("\"", "\u201c", "'", "(")):
            nxt = doc[i + 1] if i + 1 < len(doc) else None
            plural = tok.text.endswith("s") and tok.text.casefold() != lex.party_family.get(tok.text.casefold(), "").casefold()
            if not (plural or nxt is not None and nxt.text[:1].isupper() and nxt.is_alpha):
                continue
        c = make(ctx, i, i + 1, "NORP")
        if c is not None:
            out.append(c)
    return out


def _drop_indefinite_appositions(ctx: Context, cands: list) -> list:
    """"James Fields, a self-described Neo-Nazi, ...": a name the tagger found inside an indefinite
    noun phrase in apposition to a person describes that person; it is no actor of its own."""
    doc = ctx.doc
    person_at = {i for c in cands if c.kind == "person" and c.label == "PERSON" for i in range(c.i0, c.i1)}
    out = []
    for c in cands:
        head = doc[c.i1 - 1]
        if c.gaz is None and c.label in ("PERSON", "NORP") and head.dep_ == "appos" and head.head.i in person_at \
                and any(t.dep_ == "det" and t.lower_ in ("a", "an") for t in head.children) \
                and sum(1 for t in doc[c.i0:c.i1] if not t.is_punct) <= 2:
            continue
        out.append(c)
    return out


def _join_adjacent_persons(ctx: Context, cands: list, make) -> list:
    """"Yolanda" + "Yu Hoi-kwan": two person spans with nothing between them are one name that the
    tagger cut in two."""
    doc = ctx.doc
    ordered = sorted(cands, key=lambda c: c.i0)
    out: list = []
    for c in ordered:
        prev = out[-1] if out else None
        if prev is not None and prev.kind == "person" and c.kind == "person" and prev.i1 == c.i0 \
                and prev.label == "PERSON" and c.label == "PERSON" and prev.gaz is None and c.gaz is None \
                and doc[c.i0 - 1].whitespace_ and not doc[c.i0].is_punct and c.i1 - prev.i0 <= 5:
            joined = make(ctx, prev.i0, c.i1, "PERSON")
            if joined is not None:
                out[-1] = joined
                continue
        out.append(c)
    return out


def repair(ctx: Context, cands: list, make) -> list:
    """The candidates with the spans and types of the module doc repaired (`make` builds a candidate
    from a token range and a label, as actor_mentions._make_cand)."""
    doc, lex = ctx.doc, lexicon()
    out: list = []
    for c in cands:
        pieces = _split_place_person(ctx, c, make)
        if pieces is None and c.kind == "person":
            pieces = _split_person_at(ctx, c, make)
        out.extend(pieces if pieces is not None else _split_org(ctx, c, make) if c.kind != "person" else [c])
    out = _join_adjacent_persons(ctx, out, make)
    out = _drop_indefinite_appositions(ctx, out)
    cands_at: dict[int, object] = {}
    for c in out:
        for i in range(c.i0, c.i1):
            cands_at[i] = c
    fixed: list = []
    drop: set[int] = set()
    for c in out:
        new = _extend(ctx, c, cands_at, make)
        new, gone = _particle_name(ctx, new, cands_at, make)
        if gone is not None:
            drop.add(id(gone))
        fixed.append(new)
    fixed = [c for c in fixed if id(c) not in drop]
    fixed.extend(_party_words(ctx, fixed, make))
    person_keys = {nm.name_key(c.text) for c in fixed if c.label == "PERSON" and c.kind == "person"}
    place_keys = {nm.name_key(c.text) for c in fixed if c.kind == "location" and c.label in ("GPE", "LOC")}
    location_starts = {c.i0 for c in fixed if c.kind == "location"}
    to_place: set[str] = set()
    for c in sorted(fixed, key=lambda c: _place_after(doc, c.i1), reverse=True):  # "the Sulu region" first
        low = c.text.casefold()
        if low in lex.non_actor_names:
            c.kind, c.gaz, c.subtype = "other", None, None
            continue
        fam = lex.party_family.get(low)
        if fam is not None and c.kind in ("group", "organization", "person") and (c.gaz is None or c.gaz.type != "location"):
            c.kind, c.subtype, c.label = "organization", "party", "NORP" if c.label == "NORP" else c.label
            c.party = fam
            continue
        if c.gaz is not None or c.title:
            continue
        code = _geo().country_keys.get(_place_key(c.text)) if c.kind in ("organization", "person") \
            and c.label in ("ORG", "PERSON", "NORP") else None
        if code:
            c.kind, c.label, c.subtype, c.country = "location", "GPE", "country", code  # "Sierra Leone" as an organization
            continue
        words = c.text.split()
        if c.kind == "organization" and c.label != "PERSON" and len(words) > 1 and words[-1].casefold() in lex.facility_words:
            c.kind, c.subtype = "location", "facility"
            continue
        if c.kind == "location" and c.label in ("GPE",) and nm.name_key(c.text) in person_keys \
                and not _known_place(c.text):
            c.kind, c.label = "person", "PERSON"  # "visit Wiranto": the person named so elsewhere
            continue
        if c.kind not in ("person", "organization") or len(words) > 3:
            continue
        if c.kind == "organization" and subtype_of_org(c.text) is not None:
            continue
        key = nm.name_key(c.text)
        if c.kind == "organization" and key in place_keys and not any(
                w.casefold() in lex.org_head_words for w in words):
            to_place.add(key)  # the article names the place so elsewhere: "Muslim Mindanao" ... "Mindanao"
            continue
        how = _place_context(ctx, c, fixed)
        known = _known_place(c.text)
        if how is None:
            if known and _coordinated_place(ctx, c, location_starts):
                to_place.add(key)
            continue
        if how in ("after", "of", "appos") or (
                how == "locative" and (known or _followed_by_place(ctx, c, location_starts)) and (
                    doc[c.i1 - 1].head.lower_ in STRONG_LOCATIVE or c.kind == "organization" and known)):
            to_place.add(key)
            location_starts.add(c.i0)
    if to_place:
        for c in fixed:  # every mention of the name: one entity, one type
            if c.gaz is None and not c.title and c.kind in ("person", "organization") \
                    and nm.name_key(c.text) in to_place:
                c.kind, c.label, c.subtype = "location", "GPE", None
    return fixed
