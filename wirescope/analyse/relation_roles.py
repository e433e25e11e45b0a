"""Role phrases: the titles and roles that tie a named person to an organization, a place or a kin.

News prose names people with their role, and the role names what they belong to or lead:
- before the name: "Labour Party leader X", "Indonesian President X", "the United Kingdom's Queen X",
  "Conservative Party leader and Prime Minister X", "Member of Parliament (MP) X of the Labour Party";
- in apposition after the name: "X, the Democratic Speaker of the House,", "X — former Foreign
  Secretary, mayor of London, and member of Parliament —", "X, then the Prime Minister";
- in apposition before the name: "The Labour Party's leader, X", "Two Democratic Representatives,
  X and Y,", "the government's lawyer, X";
- after the name: "President X of Iran", "X of the army's Western Command", "X (D-NJ)";
- as a predicate: "X became leader of Y and prime minister", "elected X as the new Y leader",
  "X served as mayor of Y", "appointed him Y", "Y is led by X".
A head role (data: the leader_of roles) gives leader_of the organization or place the phrase names;
any other role gives member_of. A phrase that names two actors ("the Republican Senate Majority
Leader", "the Democratic chairman of the House Intelligence Committee") heads the nearest (or the
"of" complement) and is a member of the other when that is an organization or a party. A place is
headed only by the heads that head places (president, governor, mayor, chief executive, ...) and has
as members only state roles (minister, senator, envoy, ...). A state head's title that names no
actor ("President X", "X, the current prime minister") heads the bearer's own country, else the
country the article is about, unless the sentence names another country or X is the one a
leadership verb of the sentence names ("Y is led by President X").
Kin nouns ("his children X and Y", "X's wife, Y", "Y, the son of X") give kin_of.

Only named persons bear roles: a description the actors stage left anonymous says nothing new.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from wirescope.analyse import names as nm
from wirescope.analyse.syntax import (
    agents, conjuncts, is_nationality, lookup_multi, modality_of, objects, polarity_of, prep_objects, subjects,
)
from wirescope.analyse.relation_role_words import role_words
from wirescope.model import Entity

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span as SpacySpan, Token

MAX_LEFT = 10  # tokens of modifiers before a role noun
MAX_GAP = 10  # tokens between a title and the name it precedes ("and Prime Minister")
# "ambassador to X" names where, not whom, an envoy serves: "to" is no complement
COMPLEMENT_PREPS = ("of", "for", "at", "with", "within")
APPOSITION_PUNCT = (",", "—", "–", "-", "--", "(")
CLOSERS = (",", ".", ";", ":", ")", "—", "–", "--", "!", "?")
_PARTY_CODE = re.compile(r"^([A-Z])(?:[-–.]|$)")


# bodies a role can be held in, named by a common noun before the title ("committee chairman X")
BODY_NOUNS = frozenset({"committee", "subcommittee", "council", "caucus", "panel", "board", "commission", "court",
                        "party", "union", "tribunal", "assembly", "senate", "house", "parliament", "cabinet",
                        "ministry", "department", "agency", "company", "firm", "bank", "university", "campaign"})


@dataclass
class Phrase:
    head: "Token"
    first: "Token"
    rtype: str
    words: tuple[str, ...]
    left: int
    right: int
    mods: list[Entity]
    comp: list[Entity]
    plural: bool
    named_place: bool = False  # a place word the article names no actor for ("British", "Japan's")


class RoleReader:
    """Reads role phrases sentence by sentence for a relations `_Builder`."""

    def __init__(self, builder) -> None:  # noqa: ANN001
        self.b = builder
        self.ctx = builder.ctx
        self.res = builder.res
        self.words = role_words()
        self.doc = builder.ctx.doc
        self._countries: dict[str, Entity] | None = None
        self._home: Entity | None | bool = False
        self.bearer_at: dict[int, list[Entity]] = {}  # phrase end / head token -> its bearers
        self.split: dict[str, Entity] = {}  # a name that ends with a title -> the actor without it
        self._institutions: dict[str, Entity | None] = {}
        self.portfolios = self.words.portfolios
        self.implicit: list = []  # leader_of relations read off a bare title and the home country
        self.qualified: set[str] = set()  # persons titled with a court or chamber other than the named one

    # ---- entities ---------------------------------------------------------------------------
    def person(self, tok: "Token") -> Entity | None:
        e = self.ctx.entity_of_token(tok)
        if e is not None and e.type == "person" and not e.anonymous:
            return e
        return None

    def actor(self, tok: "Token") -> Entity | None:
        """The organization, group or place a modifier token names (a nationality adjective names
        its country when the article names that country)."""
        e = self.res.named(self.ctx.entity_of_token(tok))
        if e is not None and e.type in ("organization", "group", "location"):
            if is_nationality(e) and not self.party_like(e, tok):
                return self.country_of_demonym(tok)
            return e
        if (e is None or e.type == "person") and tok.text[:1].isupper():  # also inside a description
            return self.country_of_demonym(tok)
        return None

    def country_of_demonym(self, tok: "Token") -> Entity | None:
        entry = None
        if tok.i > tok.sent.start and self.doc[tok.i - 1].text[:1].isupper():  # "North Korean"
            entry = nm.demonym_country(f"{self.doc[tok.i - 1].text} {tok.text}")
        entry = entry or nm.demonym_country(tok.text)
        return self.countries().get(entry.country) if entry is not None else None

    def latent_country(self, tok: "Token") -> Entity | None:
        """The country a nationality word before a head of state's title names, made an actor (with
        the nationality word as its mention) when the article names the country nowhere else."""
        entry = None
        if tok.i > tok.sent.start and self.doc[tok.i - 1].text[:1].isupper():
            entry = nm.demonym_country(f"{self.doc[tok.i - 1].text} {tok.text}")
        entry = entry or nm.demonym_country(tok.text) or nm.gazetteer_lookup(tok.text)
        if entry is not None and (entry.subtype != "country" or not entry.country):
            return None
        code, name = (entry.country, entry.name) if entry is not None else _country_of_demonym(tok.text)
        if not code:
            return None
        found = self.countries().get(code)
        if found is None:
            found = self.ctx.new_entity(name, "location", subtype="country", country=code)
            self.countries()[code] = found
        if self.ctx.entity_of_token(tok) is None:
            self.ctx.add_mention(found, tok.idx, tok.idx + len(tok.text))
        elif found.name.casefold() != tok.text.casefold():
            found.add_alias(tok.text, "demonym")  # the word is inside a description's mention already
        return found

    def names_country(self, tok: "Token") -> bool:
        """Does a capitalised word (with the one before it) name a country or its nationality?"""
        if not tok.text[:1].isupper():
            return False
        forms = [tok.text] + ([f"{self.doc[tok.i - 1].text} {tok.text}"] if tok.i > tok.sent.start else [])
        for form in forms:
            entry = nm.demonym_country(form) or nm.gazetteer_lookup(form)
            if entry is not None and entry.subtype == "country":
                return True
        return entry is None and _country_of_demonym(tok.text)[0] is not None

    def party_like(self, e: Entity, tok: "Token | None" = None) -> bool:
        """A political affiliation ("Democratic", "Republican", a party), not a nationality, a faith
        or a region ("Afghan", "Sunni", "Virginian")."""
        if e.type == "organization" and not is_nationality(e):
            return True
        texts = {nm.name_key(e.name)} | ({nm.name_key(tok.text)} if tok is not None else set())
        return bool(texts & self.words.party_adjectives)

    def is_party(self, e: Entity) -> bool:
        return e.type in ("organization", "group") and (
            e.subtype == "party" or is_nationality(e) and self.party_like(e))

    def countries(self) -> dict[str, Entity]:
        if self._countries is None:
            found: dict[str, Entity] = {}
            for e in self.ctx.entities:
                if e.type == "location" and e.subtype == "country" and e.country:
                    old = found.get(e.country)
                    if old is None or len(e.mentions) > len(old.mentions):
                        found[e.country] = e
            self._countries = found
        return self._countries

    def home(self) -> Entity | None:
        """The country the article is about: the country whose places (itself included) the
        article names most often, when it is named at least twice as often as any other."""
        if self._home is False:
            counts: dict[str, int] = {}
            for e in self.ctx.entities:
                if e.type == "location" and e.country:
                    counts[e.country] = counts.get(e.country, 0) + max(1, len(e.mentions))
            ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
            home = None
            if ranked and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
                home = self.countries().get(ranked[0][0])
            self._home = home
        return self._home  # type: ignore[return-value]

    # ---- role phrases ------------------------------------------------------------------------
    def role_at(self, tok: "Token") -> tuple[str, "Token"] | None:
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        rtype, first = self.lookup(tok)
        if rtype is None:
            return None
        for m in range(tok.i + 1, min(tok.sent.end, tok.i + 4)):  # "Secretary" of "Secretary of State"
            more, more_first = self.lookup(self.doc[m])
            if more is not None and more_first.i <= tok.i:
                return None
        own = self.ctx.entity_of_token(tok)
        if own is not None and own.type != "person" and not (own.anonymous or own.subtype in ("generic", "sources")):
            # "Coast Guard", "House Intelligence Committee": part of a name; but "Secretary of State"
            # is a title whatever the parser made of "State", and "Coast Guard Commandant" is the
            # Coast Guard's commandant when the article names the Coast Guard alone too
            if (first.i == tok.i or self.ctx.entity_of_token(first) is own) and self.title_in_name(tok, first, own) is None:
                return None
        if own is not None and not own.anonymous and tok.ent_type_ == "PERSON":
            return None  # "John Major"
        return rtype, first

    def title_in_name(self, tok: "Token", first: "Token", own: Entity) -> Entity | None:
        """The actor a name that ends with a title names without it ("Coast Guard Commandant" ->
        the Coast Guard), when the article names that actor on its own."""
        if own.id in self.split:
            return self.split[own.id]
        doc = self.doc
        if tok.i + 1 < tok.sent.end and self.ctx.entity_of_token(doc[tok.i + 1]) is own:
            return None
        start = first.i
        while start > tok.sent.start and self.ctx.entity_of_token(doc[start - 1]) is own:
            start -= 1
        if start == first.i:
            return None
        key = nm.name_key(doc[start:first.i].text)
        for e in self.ctx.entities:
            if e.id != own.id and e.type in ("organization", "group") and any(nm.name_key(n) == key for n in (e.name, *e.aliases)):
                self.split[own.id] = e
                return e
        return None

    def lookup(self, tok: "Token") -> tuple[str | None, "Token | None"]:
        """The longest role ending at tok; a capitalised plural the tagger did not lemmatise
        ("Representatives") is tried in the singular."""
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None, None
        rtype, first = lookup_multi(tok, self.words.table)
        if rtype is None and tok.tag_ in ("NNS", "NNPS") and tok.lower_.endswith("s"):
            sing = singular(tok.lower_, self.words.table)
            if sing:
                return self.words.table[sing], tok
        return rtype, first

    def role_words_of(self, first: "Token", head: "Token") -> tuple[str, ...]:
        toks = self.doc[first.i:head.i + 1]
        for words in (tuple(t.lemma_.lower() for t in toks), tuple(t.lower_ for t in toks)):
            if words in self.words.table:
                return words
        return singular(head.lower_, self.words.table) or (head.lemma_.lower(),)

    def phrase(self, head: "Token", rtype: str, first: "Token") -> Phrase:
        doc, sent = self.doc, head.sent
        words = self.role_words_of(first, head)
        left = first.i
        named_place = False
        mods: list[tuple[int, Entity]] = []
        j = first.i - 1
        while j >= sent.start and first.i - j <= MAX_LEFT:
            t = doc[j]
            e = self.ctx.entity_of_token(t)
            if e is not None and e.type == "person" and not e.anonymous and (t.pos_ == "PROPN" or t.ent_type_ == "PERSON"):
                break  # a name before the title; a description the actors stage tied to a name is not
            if t.tag_ == "PRP$" and t.lower_ in ("its", "their"):  # "elected X as its new leader"
                a = next((x for x in self.b.ents([t]) if x.type in ("organization", "group")), None)
                if a is not None and all(a.id != x.id for _, x in mods):
                    mods.append((j, a))
                left = j
                break
            if t.tag_ == "POS" or t.text in ("'s", "\u2019s", "(", ")"):
                left = j
                j -= 1
                continue
            if e is None and t.pos_ not in ("PROPN", "ADJ", "NOUN", "NUM"):
                break
            if self.role_at(t) is not None:
                break  # "Coast Guard Commandant Admiral X": the title before is a phrase of its own
            a = self.actor(t)
            a = self.split.get(a.id, a) if a is not None else None
            if a is not None and a.type == "organization" and t.lower_ in self.portfolios \
                    and self._mention_start(t.i) == t.i and self._mention_end(t.i) == t.i + 1:
                a = None  # "Finance Minister": a portfolio the tagger took for an organization
            if a is None and self.names_country(t):
                named_place = True  # "British Prime Minister X" names a country, even one the article does not
                if rtype == "leader_of" and words in self.words.state_heads \
                        or rtype == "member_of" and words in self.words.state_members:
                    a = self.latent_country(t)  # "the Ukrainian president X", "Greek Foreign Minister X"
            if a is None and t.pos_ == "NOUN" and t.lower_ in BODY_NOUNS:
                # "Democratic committee chairman X": the committee the article named before
                a = self.ctx.named_antecedent(t, definite=False)
                if a is not None and a.type != "organization":
                    a = None
            if a is not None and all(a.id != x.id for _, x in mods):
                mods.append((j, a))
            left = j
            j -= 1
        comp: list[Entity] = []
        right = head.i
        preps = [c for c in head.children if c.dep_ in ("prep", "dative") and c.lower_ in COMPLEMENT_PREPS and c.i > head.i]
        for prep in preps[:1]:
            for p in prep.children:
                if p.dep_ != "pobj":
                    continue
                for x in conjuncts(p):
                    found = self.b.ents([x]) or [e for e in [self.ctx.named_antecedent(x)] if e is not None]
                    for e in found:
                        if e.type == "person" or e.type == "location" and prep.lower_ == "with":
                            continue  # "negotiator with Taipei": a counterpart, not an employer
                        if all(e.id != y.id for y in comp):
                            comp.append(e)
                right = max(right, _np_end(p, lambda t: self.role_at(t) is not None))
        if not comp and head.i + 2 < sent.end and doc[head.i + 1].lower_ == "of":
            # "Prime Minister of India Narendra Modi": the parse can hang "of India" on the name
            e = self.ctx.entity_of_token(doc[head.i + 2])
            if e is not None and e.type in ("organization", "group", "location") and not e.anonymous:
                end = self._mention_end(head.i + 2)
                if end < sent.end and self.person(doc[end]) is not None:
                    comp.append(self.res.named(e) or e)
                    right = end - 1
        return Phrase(head, first, rtype, words, left, right, [e for _, e in sorted(mods, key=lambda m: -m[0])],
                      comp, head.tag_ in ("NNS", "NNPS"), named_place)

    # ---- bearers -----------------------------------------------------------------------------
    def _skip_parenthetical(self, k: int, end: int) -> int:
        doc = self.doc
        if k < end and doc[k].text == "(":
            for m in range(k + 1, min(end, k + 5)):
                if doc[m].text == ")":
                    return m + 1
        return k

    def _skip_honorifics(self, k: int, end: int) -> int:
        doc = self.doc
        steps = 0
        while k < end and steps < 3 and self.person(doc[k]) is None and doc[k].text[:1].isupper() \
                and doc[k].text.casefold().rstrip(".") in self.words.honorifics:
            k += 1
            steps += 1
        return k

    def _mention_end(self, k: int) -> int:
        """Index after the named person mention that covers token k."""
        e = self.ctx.entity_of_token(self.doc[k])
        end = self.doc[k].sent.end
        while k < end and self.ctx.entity_of_token(self.doc[k]) is e:
            k += 1
        return k

    def _mention_start(self, k: int) -> int:
        e = self.ctx.entity_of_token(self.doc[k])
        start = self.doc[k].sent.start
        while k > start and self.ctx.entity_of_token(self.doc[k - 1]) is e:
            k -= 1
        return k

    def names_at(self, k: int, plural: bool) -> list[Entity]:
        """The named person (or, for a plural role, the coordinated named persons) starting at k."""
        doc, end = self.doc, self.doc[k].sent.end if k < len(self.doc) else k
        out: list[Entity] = []
        while k < end:
            k = self._skip_honorifics(k, end)
            if k >= end:
                break
            p = self.person(doc[k])
            if p is None:
                break
            out.append(p)
            k = self._mention_end(k)
            if not plural or k >= end:
                break
            if doc[k].text == "," and k + 1 < end and doc[k + 1].lower_ in ("and", "or"):
                k += 2
            elif doc[k].text == "," or doc[k].lower_ in ("and", "or"):
                k += 1
            else:
                break
        return out

    def bearers(self, ph: Phrase) -> tuple[list[Entity], str]:
        """The named persons a role phrase describes, and how ("title", "apposition", "predicate")."""
        doc, sent = self.doc, ph.head.sent
        end = sent.end
        # the title before the name: "Labour Party leader X", "Member of Parliament (MP) X"
        k = self._skip_parenthetical(ph.right + 1, end)
        k = self._skip_honorifics(k, end)
        if k < end and self.person(doc[k]) is not None:
            return self.names_at(k, ph.plural), "title"
        if k < end and doc[k].lower_ in ("and", "&"):  # "party leader and Prime Minister X"
            for m in range(k + 1, min(end, k + MAX_GAP)):
                t = doc[m]
                if self.person(t) is not None:
                    return [self.person(t)], "title"
                if not (t.pos_ in ("PROPN", "NOUN", "ADJ", "DET") or t.lower_ == "of" or t.text in ("(", ")")):
                    break
        # apposition after the name: "X, the Speaker of the House", "X — former mayor of Y, and member of Z"
        j = ph.left - 1
        listed = False  # ", and member of Z": only as the last of a list of roles
        while j >= sent.start and doc[j].lower_ in self.words.openers | {"and"}:
            listed = listed or doc[j].lower_ == "and"
            j -= 1
        if j > sent.start and doc[j].text in APPOSITION_PUNCT:
            before = j - 1
            p = self.person(doc[before])
            if p is not None and not listed:
                return [p], "apposition"
            if before in self.bearer_at:
                return list(self.bearer_at[before]), "apposition"
        # apposition before the name: "The Labour Party's leader, X", "Two Democratic Representatives, X and Y,"
        k = ph.right + 1
        if k + 1 < end and doc[k].text == "," and self._opens_phrase(ph):
            found = self.names_at(k + 1, ph.plural)
            if found:
                after = self._mention_end(self._last_name_token(k + 1, found))
                if after >= end or doc[after].text in CLOSERS or doc[after].pos_ in ("VERB", "AUX"):
                    return found, "apposition"
        return self._by_parse(ph)

    def _last_name_token(self, k: int, found: list[Entity]) -> int:
        last = found[-1]
        for m in range(k, min(self.doc[k].sent.end, k + 30)):
            if self.ctx.entity_of_token(self.doc[m]) is last:
                return m
        return k

    def _opens_phrase(self, ph: Phrase) -> bool:
        """Does the role phrase begin its noun phrase (so that a name after a comma is its apposition)?"""
        j = ph.left - 1
        if j < ph.head.sent.start:
            return True
        t = self.doc[j]
        return t.pos_ in ("DET", "ADP", "SCONJ", "CCONJ", "PUNCT", "NUM") or t.tag_ == "PRP$" or t.lower_ in self.words.openers

    def _by_parse(self, ph: Phrase) -> tuple[list[Entity], str]:
        head = ph.head
        t, steps = head, 0
        while t.dep_ in ("appos", "conj") and steps < 6:  # "X, the leader of Y", "leader of Y and prime minister"
            steps += 1
            t = t.head
            p = self.person(t)
            if p is not None:
                return [p], "apposition"
            if t.i in self.bearer_at:
                return list(self.bearer_at[t.i]), "apposition"
        for c in head.children:  # "a spokesperson for the police, X,"
            if c.dep_ == "appos" and self.person(c) is not None:
                return [self.person(c)], "apposition"
        verb = head.head
        if head.dep_ in ("attr", "acomp", "oprd") and verb.lemma_.lower() in self.words.copular:
            return self._named(subjects(verb)), "predicate"
        if head.dep_ in ("attr", "oprd", "xcomp") and verb.lemma_.lower() in self.words.object_predicative:
            # "appointed him Foreign Secretary", "X was elected president of Y"
            return self._named(objects(verb) or subjects(verb)), "predicate"
        if head.dep_ == "pobj" and head.head.lower_ == "as" and head.head.head.pos_ in ("VERB", "AUX"):
            v = head.head.head  # "elected X as leader" (the object), "X served as mayor" (the subject)
            objs = objects(v) if v.lemma_.lower() in self.words.object_predicative else []
            return self._named(objs or subjects(v)), "predicate"
        own = self.person(head)
        if own is not None and head.lower_ not in own.name.lower():
            return [own], "description"
        return [], ""

    def _named(self, toks) -> list[Entity]:
        out = []
        for e in self.b.ents(toks):
            if e.type == "person" and not e.anonymous and all(e.id != x.id for x in out):
                out.append(e)
        return out

    # ---- emitting ----------------------------------------------------------------------------
    def objects_of(self, ph: Phrase, bearer: Entity) -> list[tuple[str, Entity]]:
        words = self.words
        out: list[tuple[str, Entity]] = []
        candidates = [e for e in ph.comp + ph.mods if e.id != bearer.id]
        primary: Entity | None = None
        for e in candidates:
            if self._fits(ph, e):
                primary = e
                break
        if primary is not None:
            rtype = ph.rtype
            if rtype == "leader_of" and primary not in ph.comp and self.is_party(primary) \
                    and (ph.words not in words.generic_heads or ph.words in words.state_heads):
                rtype = "member_of"  # "the Democratic Speaker", "a Republican mayor": a member of the party
            out.append((rtype, primary))
        for e in candidates:  # the party of a titled person: "the Democratic chairman of Y"
            if primary is not None and e.id == primary.id or all(e.id != x.id for x in ph.mods + ph.comp[1:]):
                continue
            if e.type in ("organization", "group") and (not is_nationality(e) or self.party_like(e)):
                out.append(("member_of", e))
            elif e.type == "location" and ph.rtype == "member_of" and e in ph.comp and self._fits(ph, e):
                out.append(("member_of", e))
        return out

    def _fits(self, ph: Phrase, e: Entity) -> bool:
        if e.type == "location":
            if ph.rtype == "leader_of":  # a president or a chancellor heads a country, not a city
                return ph.words in self.words.place_heads and (
                    ph.words not in self.words.state_heads or _is_country(e))
            if ph.words in self.words.chambers and not (_is_country(e) and e in ph.mods):
                return False  # "Senator X of Florida": a constituency ("US Senator X": a country's)
            return ph.words in self.words.state_members
        if e.type not in ("organization", "group"):
            return False
        return not is_nationality(e) or self.party_like(e)

    def implicit_country(self, ph: Phrase, bearer: Entity, sent: "SpacySpan", led: set[str]) -> Entity | None:
        """The country a state head's bare title stands for ("President X", "X, the prime minister")."""
        if ph.words not in self.words.state_heads or bearer.id in led or ph.named_place:
            return None
        if bearer.country:
            return self.countries().get(bearer.country)
        home = self.home()
        if home is None:
            return None
        for t in sent:
            e = self.ctx.entity_of_token(t)
            if e is not None and e.type == "location" and e.subtype == "country" and e.id != home.id:
                return None  # "a visit to Ireland with Taoiseach X": whose head, the sentence does not say
            if t.text[:1].isupper() and (e is None or e.type != "location"):  # "the Syrian Army ... President X"
                entry = nm.demonym_country(t.text)
                if entry is not None and entry.country and entry.country != home.country:
                    return None
        return home

    def institution(self, kind: str) -> Entity | None:
        """The one named institution of a kind (court, legislature) the article names, if only one."""
        if kind not in self._institutions:
            found = [e for e in self.ctx.entities if e.type == "organization" and e.subtype == kind and not e.anonymous]
            found.sort(key=lambda e: -len(nm.name_key(e.name)))
            one = None
            if found:  # "the US Supreme Court", "the Supreme Court", "the Court": one institution
                full = nm.name_key(found[0].name).split()
                if all(full[len(full) - len(k):] == k for k in (nm.name_key(e.name).split() for e in found)):
                    one = found[0]
            self._institutions[kind] = one
        return self._institutions[kind]

    def emit(self, ph: Phrase, people: list[Entity], how: str, sent: "SpacySpan", led: set[str]) -> None:
        head = ph.head
        polarity = polarity_of(head.head) if how == "predicate" and head.dep_ == "attr" else "positive"
        modality = modality_of(head.head) if how == "predicate" and head.dep_ == "attr" else "asserted"
        for person in people:
            if how == "title":  # "President X of Iran", "MP X of the Labour Party"
                after = [e for e in self.after_name(person, ph, sent) if all(e.id != c.id for c in ph.comp)]
                if after:
                    ph = replace(ph, comp=ph.comp + after)
            found = self.objects_of(ph, person)
            implicit = False
            if not found and ph.rtype == "leader_of":
                home = self.implicit_country(ph, person, sent, led)
                if home is not None:
                    found, implicit = [("leader_of", home)], True
            if ph.words in self.words.chambers and (how == "title" or ph.words != ("representative",)) \
                    and all(obj.type != "location" and self.is_party(obj) for _, obj in found):
                # "Republican Senator X": the party's member and the Senate's
                chamber = self.chamber(ph.words)
                if chamber is not None:
                    found = [*found, ("member_of", chamber)]
            if not found and ph.words in self.words.services:
                service = self.chamber(ph.words, self.words.services, None)
                if service is not None:
                    found = [("member_of", service)]
            if not found and ph.words in self.words.institutions:
                if self.qualified_institution(ph):
                    self.qualified.add(person.id)  # "District Judge X": not of the one named court, later either
                elif person.id not in self.qualified:
                    place = self.institution(self.words.institutions[ph.words])
                    if place is not None:
                        found = [(ph.rtype, place)]
            if not found and ph.rtype == "leader_of" and ph.words in self.words.generic_heads:
                self.bare_heads.add(person.id)  # "Opposition leader X said his Labour Party ..."
            found = [(rtype, self.department_of(obj)) for rtype, obj in found]
            for rtype, obj in found:
                if rtype and (obj.type != "group" or obj.subtype not in ("generic", "sources")):
                    rel = self.b.add(person, rtype, obj, head, polarity=polarity, modality=modality)
                    if rel is not None and implicit:
                        self.implicit.append(rel)

    def department_of(self, e: Entity) -> Entity:
        """"the Secretary of Transportation" and "the Department of Transportation": a one-word
        portfolio the tagger made an organisation of stands for the department the article names."""
        if e.type != "organization" or e.subtype or len(e.name.split()) != 1:
            return e
        word = e.name.casefold()
        for d in self.ctx.entities:
            if d is e or d.type != "organization" or d.subtype not in ("government", "agency"):
                continue
            key = d.name.casefold().split()
            if len(key) >= 3 and key[-1] == word and key[-2] == "of" and key[-3] in ("department", "ministry", "secretary") \
                    or len(key) >= 2 and key[0] == word and key[1] in ("department", "ministry"):
                return d
        return e

    def chamber(self, words: tuple[str, ...], table: dict | None = None, subtype: str | None = "legislature") -> Entity | None:
        """The legislature a legislator's title names among those of the article: the first chamber
        word (in the title's order of preference) that exactly one named legislature carries. With
        `table` = services and no subtype: the police force or service a rank belongs to."""
        legislatures = [e for e in self.ctx.entities if e.type == "organization" and (subtype is None or e.subtype == subtype)
                        and not e.anonymous]
        for chamber in (table or self.words.chambers)[words]:
            n = len(chamber)
            hits = {e.id: e for e in legislatures
                    if any(tuple(k[i:i + n]) == chamber for k in [nm.name_key(e.name).split()]
                           for i in range(len(k) - n + 1))}
            if len(hits) == 1:
                return next(iter(hits.values()))
            if hits:
                return None  # two senates (a state's and the nation's): the title does not say which
        return None

    def qualified_institution(self, ph: Phrase) -> bool:
        """"U.S. District Judge X", "Circuit Judge Y": a qualifier before the title that the one named
        institution of its kind does not carry names another court or chamber."""
        place = self.institution(self.words.institutions[ph.words])
        if place is None:
            return False
        own = set(nm.name_key(place.name).split())
        for t in self.doc[ph.left:ph.first.i]:
            if t.text[:1].isupper() and t.is_alpha and not self.names_country(t) \
                    and nm.name_key(t.text) not in own and self.ctx.entity_of_token(t) is None:
                return True
        return False

    def drop_contradicted(self) -> None:
        """A bare title read as the home country's head ("Prime Minister X") is dropped when the
        article makes the same person head of another country in so many words ("the Samoan Prime
        Minister X")."""
        if not self.implicit:
            return
        implicit = {id(r) for r in self.implicit}
        explicit: dict[str, set[str]] = {}
        for r in self.ctx.relations:
            obj = self.ctx.entity(r.object)
            if id(r) not in implicit and r.type == "leader_of" and obj is not None and obj.subtype == "country":
                explicit.setdefault(r.subject, set()).add(r.object)
        self.ctx.relations[:] = [r for r in self.ctx.relations if id(r) not in implicit
                                 or not explicit.get(r.subject) or r.object in explicit[r.subject]]

    def after_name(self, person: Entity, ph: Phrase, sent: "SpacySpan") -> list[Entity]:
        """The actor in "of Y" right after the titled name."""
        for m in range(ph.right + 1, min(sent.end, ph.right + MAX_GAP)):
            if self.ctx.entity_of_token(self.doc[m]) is person:
                return self._of_actor(self._mention_end(m), sent)[1]
        return []

    def _of_actor(self, k: int, sent: "SpacySpan", preps: tuple[str, ...] = ("of",)) -> tuple["Token | None", list[Entity]]:
        """(the preposition, the actors of its object) for "of Y" at k (after an optional comma);
        "from Y" / "with Y" only when the parser hangs them on the name ("X from Amnesty said")."""
        doc = self.doc
        if k < sent.end and doc[k].text == ",":
            k += 1
        if not (k < sent.end and doc[k].lower_ in preps):
            return None, []
        prep = doc[k]
        if prep.lower_ != "of" and self.person(prep.head) is None:
            return None, []
        out: list[Entity] = []
        for p in prep.children:
            if p.dep_ == "pobj":
                out += [e for e in self.b.ents([p]) if e.type in ("organization", "group", "location")]
        if not out:
            for m in range(k + 1, min(sent.end, k + 6)):
                e = self.actor(doc[m])
                if e is not None:
                    out.append(e)
                    break
                if doc[m].pos_ not in ("DET", "ADJ", "PROPN", "NOUN"):
                    break
        return prep, out

    # ---- one sentence -------------------------------------------------------------------------
    def sentence(self, sent: "SpacySpan") -> None:
        led = self.led_by_verb(sent)
        self.bearer_at = {}
        self.titled: set[str] = set()
        self.bare_heads: set[str] = set()
        for tok in sent:
            found = self.role_at(tok)
            if found is not None:
                rtype, first = found
                ph = self.phrase(tok, rtype, first)
                people, how = self.bearers(ph)
                if people:
                    self.bearer_at[ph.right] = people
                    self.bearer_at[tok.i] = people
                    if how == "title":
                        self.titled.update(p.id for p in people)
                    self.emit(ph, people, how, sent, led)
            elif tok.lemma_.lower() in self.words.kin and tok.pos_ == "NOUN":
                self.kin(tok)
            if tok.lower_ == "whose" and tok.dep_ == "poss":
                self.whose_role(tok)
        self.names(sent)
        self.possessed(sent)

    def whose_role(self, whose: "Token") -> None:
        """"the army, whose commander-in-chief is President X,", "Hamas, whose leader X lives in Qatar":
        the person the relative clause names holds the role in the actor it hangs on."""
        role = whose.head
        found = self.lookup(role)
        rtype = found[0] if found[0] is not None else None
        if rtype is None:  # "commander-in-chief": the role is the phrase's first word
            first = self.doc[whose.i + 1] if whose.i + 1 < len(self.doc) else None
            rtype = self.lookup(first)[0] if first is not None else None
        if rtype is None:
            return
        person = None
        verb = role.head
        if role.dep_ in ("compound", "nmod") and self.person(role.head) is not None:
            person, verb = self.person(role.head), role.head.head  # "whose leader X lives ..."
        elif role.dep_ in ("nsubj", "nsubjpass") and verb.lemma_ == "be":
            attr = next((c for c in verb.children if c.dep_ == "attr"), None)
            person = self.person(attr) if attr is not None else None
        if person is None or verb.dep_ != "relcl":
            return
        owner = self.res.named(self.ctx.entity_of_token(verb.head))
        if owner is None or owner.type not in ("organization", "group", "location") or owner.id == person.id:
            return
        self.b.add(person, rtype, owner, role)

    def possessed(self, sent: "SpacySpan") -> None:
        """"X said his Labour Party ...": X is a member of the party (its leader when the sentence
        calls X a leader of nothing named)."""
        for tok in sent:
            if tok.tag_ != "PRP$" or tok.dep_ != "poss" or tok.lower_ not in ("his", "her"):
                continue
            org = self.res.named(self.ctx.entity_of_token(tok.head))
            if org is None or org.type != "organization" or is_nationality(org) or org.anonymous:
                continue
            for p in self._named([tok]):
                self.b.add(p, "leader_of" if p.id in self.bare_heads else "member_of", org, tok.head,
                           polarity="positive", modality="asserted")

    def led_by_verb(self, sent: "SpacySpan") -> set[str]:
        """Persons a leadership verb of the sentence names as leaders ("Y is led by X", "X heads Y");
        a mis-tagged passive ("is lead by X") is read here too."""
        out: set[str] = set()
        for t in sent:
            if t.lemma_.lower() not in self.words.leader_verbs or t.pos_ not in ("VERB", "ADJ", "NOUN"):
                continue
            by = agents(t) or prep_objects(t, ("by",))
            people = self._named(by) if by else self._named(subjects(t)) if t.pos_ == "VERB" else []
            out.update(p.id for p in people)
            if t.pos_ == "ADJ" and by and t.dep_ in ("acomp", "attr"):
                for led in self.b.ents(subjects(t.head)):
                    for p in people:
                        self.b.add(p, "leader_of", led, t)
        return out

    def names(self, sent: "SpacySpan") -> None:
        """Named persons followed by "of Y" or a party letter, or preceded by a party adjective."""
        doc = self.doc
        k = sent.start
        while k < sent.end:
            p = self.person(doc[k])
            if p is None or doc[k].pos_ != "PROPN":
                k += 1
                continue
            start, end = k, self._mention_end(k)
            k = end
            titled = p.id in self.titled
            if not titled:  # "X of the army's Western Command", "X, of the provincial council", "X from Amnesty"
                prep, found = self._of_actor(end, sent, ("of", "from", "with"))
                for e in found:
                    if e.type == "organization" and not is_nationality(e) or e.type == "group" and self.party_like(e):
                        self.b.add(p, "member_of", e, prep)
            party = self.party_letter(end, sent)
            if party is not None:
                self.b.add(p, "member_of", party, doc[end + 1])
            self.party_apposition(p, doc[end - 1])
            if start - 1 >= sent.start and not titled:
                before = doc[start - 1]
                e = self.res.named(self.ctx.entity_of_token(before))
                if e is not None and (e.subtype == "party" or e.type in ("organization", "group") and is_nationality(e)
                                      and self.party_like(e, before)):
                    self.b.add(p, "member_of", e, before)

    def party_apposition(self, p: Entity, last: "Token") -> None:
        """"X, a Democrat from New York", "X, the most senior Democrat on the Oversight Committee":
        a party's member noun in apposition makes X its member (and of the body it sits "on" or "in")."""
        head = last
        while head.dep_ in ("compound", "flat") and head.head.i != head.i:
            head = head.head
        for c in head.children:
            if c.dep_ != "appos" or c.pos_ not in ("PROPN", "NOUN"):
                continue
            e = self.res.named(self.ctx.entity_of_token(c))
            if e is None or e.subtype != "party":
                continue
            self.b.add(p, "member_of", e, c)
            for body in self.b.ents(prep_objects(c, ("on", "in"))):
                if body.type == "organization" and body.subtype != "party":
                    self.b.add(p, "member_of", body, c)

    def party_letter(self, k: int, sent: "SpacySpan") -> Entity | None:
        """"X (D-NJ)": the party of the letter, when the article names it."""
        doc = self.doc
        if not (k + 2 < sent.end and doc[k].text == "("):
            return None
        m = _PARTY_CODE.match(doc[k + 1].text)
        if m is None or m.group(1) not in self.words.party_letters:
            return None
        close = next((x for x in range(k + 2, min(sent.end, k + 6)) if doc[x].text == ")"), None)
        if close is None:
            return None
        wanted = self.words.party_letters[m.group(1)]
        for e in self.ctx.entities:
            if e.type in ("organization", "group") and any(nm.name_key(n) in wanted for n in (e.name, *e.aliases)):
                return e
        return None

    # ---- kin ---------------------------------------------------------------------------------
    def kin(self, tok: "Token") -> None:
        """"his children X and Y", "X's wife, Y", "Y, the son of X": kin_of."""
        doc, sent = self.doc, tok.sent
        owners: list[Entity] = []
        for c in tok.children:
            if c.dep_ == "poss":
                owners += [e for e in self.b.ents([c]) if e.type == "person"]
        for p in prep_objects(tok, ("of",)):
            owners += [e for e in self.b.ents([p]) if e.type == "person"]
        relatives: list[Entity] = []
        k = tok.i + 1
        if k < sent.end and doc[k].text == ",":
            k += 1
        if k < sent.end:
            relatives = self.names_at(k, True)
        if not relatives:
            ph = Phrase(tok, tok, "kin_of", (tok.lemma_.lower(),), self._kin_left(tok), tok.i, [], [], False)
            relatives, _ = self.bearers(ph)
        for o in owners:
            for r in relatives:
                self.b.add(o, "kin_of", r, tok)

    def _kin_left(self, tok: "Token") -> int:
        left = tok.i
        for c in tok.lefts:
            left = min(left, min(t.i for t in c.subtree))
        return left


def singular(low: str, table: dict) -> tuple[str, ...] | None:
    for sing in (low[:-3] + "y" if low.endswith("ies") else "", low[:-2] if low.endswith("es") else "", low[:-1]):
        if sing and (sing,) in table:
            return (sing,)
    return None


def _np_end(tok: "Token", is_role) -> int:  # noqa: ANN001
    """The last token of the noun phrase tok heads, without appositions, clauses and coordinated
    roles after it ("mayor of Bogota, senator, and member of ..." ends at Bogota)."""
    end = tok.i
    for c in tok.children:
        if c.i > tok.i and c.dep_ not in ("appos", "relcl", "acl", "punct", "advcl", "parataxis", "cc") \
                and not (c.dep_ == "conj" and is_role(c)):
            end = max(end, _np_end(c, is_role))
    return end


def _country_of_demonym(word: str) -> tuple[str | None, str | None]:
    """(ISO code, name) of the one country a nationality word belongs to, from the place layer's
    demonym table (every country, beyond the actor gazetteer's)."""
    from wirescope.analyse import geo

    codes = geo.gazetteer().demonym(word)
    if len(codes) != 1:
        return None, None
    import pycountry

    country = pycountry.countries.get(alpha_2=codes[0])
    if country is None:
        return None, None
    return codes[0], getattr(country, "common_name", None) or country.name


def _is_country(e: Entity) -> bool:
    """A location that is a country: typed so by the actor gazetteer, or named as one in the place
    layer's country names (every country, Tonga as well as France)."""
    if e.subtype == "country":
        return True
    from wirescope.analyse import geo

    gaz = geo.gazetteer()
    return any(gaz.country_keys.get(geo.place_key(n)) for n in (e.name, *e.aliases))
