"""Within-document coreference of named candidates, step 2 of the actors stage: same comparison
key (names.name_key: spelling and transliteration variants), same gazetteer entry, an alias cue
between two names ("also known as", "a.k.a.", brackets, ...), acronyms and their expansions, short
forms ("Ghani" for "Ashraf Ghani"). Each cluster becomes one entity with its aliases and how the
article taught them; later mentions of a known name that spaCy did not tag are recovered."""
from __future__ import annotations

import re
from functools import lru_cache

from wirescope.analyse import names as nm
from wirescope.analyse.actor_index import doc_arrays, sentence_no, sentence_start
from wirescope.analyse.actor_lexicon import MODIFIER_DEPS, QUOTES, lexicon, subtype_of_org
from wirescope.analyse.actor_mentions import Cand, named_candidates
from wirescope.analyse.actor_state import ActorState, record_mention
from wirescope.analyse.context import Context


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
        if sentence_no(ctx.doc, a.i0) != sentence_no(ctx.doc, b.i0):
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
        if c.party is not None:
            key = ("party", c.party)  # "Republican", "Republicans", "the Republican Party"
        elif c.gaz is not None:
            key = ("gaz", c.gaz.id)
        elif c.label == "NORP" and c.country:
            key = ("nationality", c.country)  # "Afghans" and "the Afghan" are one group
        else:
            key = (_coarse(c.kind), nm.name_key(c.text))
        if key in first:
            j = first[key]
            if c.gaz is not None or c.party is not None or _spelling_compatible(cands[j].text, c.text):
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
    # 4b. an institution named with and without its country: "US Supreme Court" / "Supreme Court",
    # "Parliament of the United Kingdom" / "Parliament"
    _place_free_links(cands, uf)
    # 4c. a name and its longer form with generic words: "Blenheim" / "Blenheim Palace", "Scripps" /
    # "Scripps Institution of Oceanography", "Virginia" / "State of Virginia"
    _generic_tail_links(cands, uf)
    # 5. short forms of people's names: "Ghani" for "Ashraf Ghani", "Al-Rahman" for "X Abd-al-Rahman",
    # "Tamim" for "Ali bin Tamim"; the given name alone ("Brenton" for "Brenton Tarrant") when one
    # person of the article has it
    groups = _groups(cands, uf)
    owner_of: dict[str, set[int]] = {}
    given: dict[str, set[int]] = {}
    for g in groups:
        if any(c.kind == "person" for c in g):
            root = uf.find(cands_index[id(g[0])])
            for c in g:
                if c.kind == "person":
                    for key in nm.short_form_keys(c.text):
                        owner_of.setdefault(key, set()).add(root)
                    parts = nm.key_parts(c.text)
                    if len(parts) >= 3 and parts[-2] in ("bin", "ibn", "bint", "ben"):
                        owner_of.setdefault(parts[-1], set()).add(root)
                    if len(parts) >= 2 and c.label == "PERSON" and not nm.is_particle(parts[0]):
                        given.setdefault(parts[0], set()).add(root)
    for key, roots in given.items():
        if len(roots) == 1 and key not in owner_of:
            owner_of[key] = set(roots)
    first_seen: dict[int, int] = {}
    for g in groups:
        root = uf.find(cands_index[id(g[0])])
        first_seen[root] = min(c.start for c in g)
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
        if owners and len(owners) > 1:
            # "Elijah Cummings ... Cummings ... his parents, Robert and Ruth Cummings": when the short
            # form first appears, only the bearer introduced before it can be meant
            start = first_seen.get(me, 0)
            before = [o for o in owners if first_seen.get(o, start) < start]
            if len(before) == 1:
                owners = set(before)
        if owners and len(owners) == 1:
            for c in g:
                if c.how == "mention":
                    c.how = "short form"
            uf.union(next(iter(owners)), me)
    return _groups(cands, uf)


def _place_words(words: list[str]) -> int:
    """How many leading words name a country or its people ("US", "United States", "British")."""
    for n in range(min(3, len(words) - 1), 0, -1):
        head = " ".join(words[:n])
        entry = nm.gazetteer_lookup(head)
        if (entry is not None and entry.subtype == "country") or nm.demonym_country(head) is not None:
            return n
    return 0


def _place_free(text: str) -> str | None:
    """An institution's name without the country before or after it, or None when it has none."""
    words = text.split()
    n = _place_words(words)
    if n:
        return " ".join(words[n:])
    low = [w.casefold() for w in words]
    if "of" in low[1:]:
        k = low.index("of", 1)
        rest = words[k + 1:]
        if rest and rest[0].casefold() == "the":
            rest = rest[1:]
        entry = nm.gazetteer_lookup(" ".join(rest)) if rest else None
        if entry is not None and entry.subtype == "country":
            return " ".join(words[:k])
    return None


def _generic_words() -> frozenset[str]:
    lex, parts = lexicon(), nm.name_parts()
    words = {w.casefold() for w in lex.org_head_words} | {w.casefold() for w in lex.facility_words} \
        | {w.casefold() for w in lex.org_generic_heads} | set(parts.generic) | set(parts.legal) \
        | set(parts.place_features) | set(parts.company)
    return frozenset(words | {"of", "the", "and", "for", "institution", "institute", "palace", "cathedral",
                              "limited", "ltd", "inc", "state", "republic", "kingdom", "province", "city"})


def _generic_tail_links(cands: list[Cand], uf: _UnionFind) -> None:
    """A short name joins the one longer name of the article that holds it as its first words with
    only generic words after it ("Blenheim Palace", "Facebook Ireland Limited", "Scripps Institution
    of Oceanography"), or as its last words after a generic head and "of" ("State of Virginia")."""
    generic = _generic_words()
    from wirescope.analyse import geo  # countries may follow a company's name: "Facebook Ireland"

    gaz = geo.gazetteer()
    longer: dict[str, set[int]] = {}
    for k, c in enumerate(cands):
        if c.kind not in ("organization", "location") or c.party is not None:
            continue
        words = c.text.split()
        if len(words) < 2:
            continue
        for n in range(1, min(3, len(words))):  # the first one or two words, then generic words
            rest = words[n:]
            headed = len(rest) >= 3 and rest[0].casefold() in generic and rest[1].casefold() == "of"
            if headed or all(w.casefold() in generic or gaz.country_keys.get(geo.place_key(w)) for w in rest) \
                    and any(w.casefold() not in ("of", "the", "and") for w in rest):
                longer.setdefault(nm.name_key(" ".join(words[:n])), set()).add(uf.find(k))
        low = [w.casefold() for w in words]
        if len(words) >= 3 and low[1] == "of" and low[0] in generic and c.kind == "location":  # "Province of X"
            longer.setdefault(nm.name_key(" ".join(words[2:])), set()).add(uf.find(k))
    kind_of = {uf.find(k): c.kind for k, c in enumerate(cands)}
    facility = {w.casefold() for w in lexicon().facility_words} | {"palace", "cathedral", "castle", "abbey"}
    facility_root = {uf.find(k) for k, c in enumerate(cands) if c.text.split()[-1].casefold() in facility}
    surnames = {nm.name_key(c.text.split()[-1]) for c in cands if c.kind == "person" and len(c.text.split()) > 1}
    for k, c in enumerate(cands):
        if c.kind not in ("organization", "location") or len(c.text.split()) > 2 or c.label == "PERSON":
            continue
        if c.kind == "location" and gaz.primary.get(geo.place_key(c.text)):
            continue  # "London" is not "London Fire Brigade", "United States" not its Senate
        if nm.name_key(c.text) in surnames:
            continue  # "Trump" is the person, not the "Trump administration"
        roots = {uf.find(r) for r in longer.get(nm.name_key(c.text), set())
                 if kind_of.get(uf.find(r)) == c.kind or uf.find(r) in facility_root}  # a site is both
        if len(roots) == 1 and uf.find(k) not in roots:
            if c.how == "mention":
                c.how = "short form"
            uf.union(next(iter(roots)), k)


def _place_free_links(cands: list[Cand], uf: _UnionFind) -> None:
    bare: dict[str, set[int]] = {}
    for k, c in enumerate(cands):
        if c.kind == "organization" and c.party is None:
            short = _place_free(c.text)
            if short and (subtype_of_org(short) or short.split()[-1].casefold() in lexicon().org_head_words):
                bare.setdefault(nm.name_key(short), set()).add(uf.find(k))
    for k, c in enumerate(cands):
        if c.kind != "organization" or c.gaz is not None and c.gaz.type != "organization":
            continue
        roots = {uf.find(r) for r in bare.get(nm.name_key(c.text), set())}
        if len(roots) == 1 and uf.find(k) not in roots:
            if c.how == "mention":
                c.how = "short form"
            uf.union(next(iter(roots)), k)


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


def named_entities(ctx: Context, state: ActorState) -> None:
    cands = named_candidates(ctx)
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
            if c.bare and c.bare.casefold() not in seen:  # "Elizabeth II" of "Queen Elizabeth II"
                seen.add(c.bare.casefold())
                entity.add_alias(c.bare, "short form")
        titles = [c.title for c in group if c.title]
        if titles and kind == "person":
            entity.descriptor = {"title": titles[0]}
            g = lex.title_gender.get(titles[0].split()[-1].casefold()) or lex.title_gender.get(titles[0].casefold())
            if g:
                state.gender[entity.id] = g
        for c in group:
            record_mention(ctx, state, entity, c.i0, c.i1, "name")


# lowercase word hash -> the last part of the word's name key (None: not a word that can end a name);
# a hash always names the same string, so the table holds across documents
_LAST_KEY_OF: dict[int, str | None] = {}


def _recover_positions(doc, last_keys: set[str]) -> list[int]:
    """Tokens whose word can end a known name: each distinct word of the document is keyed once."""
    import numpy as np

    if len(doc) == 0:
        return []
    arrays = doc_arrays(doc)
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


def recover_mentions(ctx: Context, state: ActorState) -> None:
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
        sent_start = sentence_start(doc, tok.i)
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
        record_mention(ctx, state, entity, start, tok.i + 1, "name")
