"""Who says a relation holds, through whom, where: attribution chains and independent sources.

A statement for or against a relation reaches the reader along a chain the text gives:

    original speaker -> relayed by (the speaker of an enclosing statement) -> via (a channel:
    "told Radio X", "citing ...") -> the outlet that published the document

Four kinds of original speaker (`attribution`):
  named       a resolved, proper-named actor ("Zabihullah Mujahid")
  anonymous   a resolved unnamed actor ("a senior intelligence official", "officials")
  unresolved  the text attributes the words to someone the analysis could not resolve ("according
              to a UN report" with no actor for the report); `speaker_text` holds the words that
              name that speaker, read from the document, when they can be found
  narrator    no statement carries the words: the outlet says it in its own voice (the only case
              shown as "the report")

Independent sources, as an analyst counts them: syndicated copies (documents.duplicate_of) stand
for their original and add nothing; each remaining chain is one original speaker reaching us
through its conduits (channel, relaying speakers, outlet). Two chains are independent when they
share neither the speaker nor a conduit: one speaker quoted in several outlets is one source, two
speakers in one outlet's stories are one source (the outlet is common to both), two stories of one
outlet repeating one speaker are one source. Conduits tied by a chain (an outlet and the channel it
cites) count as one. The number of independent sources is the largest set of pairwise independent
chains: a maximum matching between speakers and conduits, earliest reports first.
"""
from __future__ import annotations

import re
from typing import Iterable

from wirescope.resolve.match import name_class

KINDS = ("named", "anonymous", "unresolved", "narrator")
# how much one source's statement weighs, by who makes it, and how sure it is
WEIGHT = {"named": 1.0, "narrator": 0.8, "anonymous": 0.6, "unresolved": 0.6}
MODALITY = {"asserted": 1.0, "hedged": 0.5, "future": 0.5}
MAX_RELAY = 5  # enclosing statements followed up from a statement
_AFTER_CUES = ("according to", "as reported by", "as quoted by", "as cited by", "citing", "per", "quoting")
_SENTENCE_END = re.compile(r"[.!?]['\"”’]*\s+|\n")
_EDGE = " \t\n,;:.!?'\"“”‘’()[]—–-"
MAX_SPEAKER_WORDS = 12


# ---- the chain of one statement -----------------------------------------------------------------
def speaker_kind(speaker: dict | None, has_statement: bool) -> str:
    """named, anonymous, unresolved (a statement without a resolved speaker) or narrator."""
    if speaker is None:
        return "unresolved" if has_statement else "narrator"
    if speaker.get("anonymous") or speaker.get("type") == "other" or name_class(speaker["name"]) == "common":
        return "anonymous"
    return "named"


def _label(ref: dict | None) -> str:
    if not ref:
        return "?"
    return ref.get("local_name") or ref.get("name") or ref.get("id") or "?"


def _outlet_key(outlet: str | None, origin: str) -> str:
    return "outlet:" + (" ".join(outlet.casefold().split()) if outlet else f"doc {origin}")


def speaker_key(item: dict) -> str:
    """The node of the original speaker: the actor; an unnamed or unresolved speaker within its outlet
    (it cannot be told apart from another outlet's); the outlet itself for its own words."""
    kind = item["attribution"]
    outlet = _outlet_key(item.get("origin_outlet"), item["origin"])
    if kind == "named":
        return "actor:" + item["speaker"]["id"]
    if kind == "anonymous":
        return f"anonymous:{outlet}:{' '.join(_label(item['speaker']).casefold().split())}"
    if kind == "unresolved":
        return f"unresolved:{outlet}:{' '.join((item.get('speaker_text') or '').casefold().split())}"
    return outlet


def conduit_keys(item: dict) -> list[str]:
    """The nodes the words pass through after the speaker: relaying speakers, the channel, the outlet."""
    keys = []
    for ref in item.get("relayed_by") or []:
        keys.append("actor:" + ref["id"] if ref.get("id") else f"relay:{_label(ref).casefold()}")
    via = item.get("via")
    if via:
        keys.append(_outlet_key(via.get("name"), item["origin"]))
    keys.append(_outlet_key(item.get("origin_outlet"), item["origin"]))
    return keys


def chain(item: dict) -> list[dict]:
    """The chain as the text gives it: [{"role", "name", "id"?, ...}] from the speaker to the document."""
    kind = item["attribution"]
    sp = item.get("speaker")
    if kind == "narrator":
        links = [{"role": "speaker", "name": item.get("outlet") or "the report", "kind": "narrator"}]
    elif kind == "unresolved":
        links = [{"role": "speaker", "name": item.get("speaker_text"), "kind": "unresolved", "cue": item.get("cue")}]
    else:
        links = [{"role": "speaker", "name": sp["name"], "id": sp["id"], "kind": kind,
                  "text": sp.get("local_name")}]
    for ref in item.get("relayed_by") or []:
        links.append({"role": "relayed by", "name": ref.get("name"), "id": ref.get("id"), "text": ref.get("local_name")})
    if item.get("via"):
        links.append({"role": "via", "name": item["via"]["name"], "id": item["via"].get("id")})
    links.append({"role": "outlet", "name": item.get("outlet"), "doc_id": item["doc_id"],
                  "published": item.get("published"), "title": item.get("title"),
                  "syndicated_from": item.get("duplicate_of")})
    return links


def chain_text(item: dict) -> str:
    """One line: 'Zabihullah Mujahid, via Radio X, in Kabul Ledger (2021-01-05, "title")'."""
    kind = item["attribution"]
    sp = item.get("speaker")
    if kind == "narrator":
        who = f"{item.get('outlet') or 'the report'} itself (no one quoted)"
    elif kind == "unresolved":
        words = item.get("speaker_text")
        who = f"“{words}” (speaker not identified)" if words else (
            f"an unidentified speaker ({item.get('cue')})" if item.get("cue") else "an unidentified speaker")
    else:
        who = sp["name"]
        if sp.get("local_name") and sp["local_name"] != sp["name"]:
            who += f" (“{sp['local_name']}”)"
        if kind == "anonymous":
            who += " [anonymous]"
    parts = [who]
    parts += [f"as told by {_label(ref)}" for ref in item.get("relayed_by") or []]
    if item.get("via"):
        parts.append(f"via {item['via']['name']}")
    where = item.get("outlet") or item["doc_id"]
    detail = ", ".join(x for x in ((item.get("published") or "")[:10], item.get("title") or item["doc_id"]) if x)
    text = ", ".join(parts) + f", in {where}" + (f" ({detail})" if detail else "")
    if item.get("duplicate_of"):
        text += f", a syndicated copy of {item['duplicate_of']}"
    return text


# ---- speaker words from the text ------------------------------------------------------------------
def _clean(words: str, keep: str) -> str | None:
    words = words.strip(_EDGE)
    parts = words.split()
    if not parts:
        return None
    parts = parts[-MAX_SPEAKER_WORDS:] if keep == "tail" else parts[:MAX_SPEAKER_WORDS]
    return " ".join(parts).strip(_EDGE) or None


def _find_word(haystack: str, needle: str, last: bool) -> int:
    hits = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", haystack, re.IGNORECASE)]
    if not hits:
        return -1
    return hits[-1] if last else hits[0]


def speaker_words(text: str, start: int, end: int, cue: str | None) -> str | None:
    """The words naming the speaker of a statement whose content is text[start:end], found around
    its cue in the same sentence ("The report said ...", "... according to a UN report", "..., the
    ministry said"); None when the cue is not there or names no one."""
    if not cue or not text or start < 0 or end > len(text) or start > end:
        return None
    left = 0
    for m in _SENTENCE_END.finditer(text, max(0, start - 400), start):
        left = m.end()
    m = _SENTENCE_END.search(text, end)
    right = m.start() if m else len(text)
    before, after = text[left:start], text[end:right]
    cue = " ".join(cue.split())
    after_cue = cue.casefold().startswith(_AFTER_CUES)
    p = _find_word(before, cue, last=True)
    if p >= 0:
        if after_cue:
            return _clean(re.split(r"[,;:]", before[p + len(cue):])[0], "head")
        return _clean(re.split(r"[,;:“\"]", before[:p])[-1], "tail")
    q = _find_word(after, cue, last=False)
    if q < 0:
        return None
    following = re.split(r"[,;:]", after[q + len(cue):])[0]
    if after_cue:
        return _clean(following, "head")
    between = re.split(r"[,;:”\"]", after[:q])[-1]
    return _clean(between, "tail") or _clean(following, "head")


# ---- independent sources ----------------------------------------------------------------------------
class _Conduits:
    """Union-find over conduit nodes: nodes that one chain passes through together are one conduit."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def join(self, keys: list[str]) -> None:
        first = self.find(keys[0])
        for k in keys[1:]:
            self.parent[self.find(k)] = first


def _matching(edges: list[tuple[str, str]]) -> dict[str, str]:
    """Maximum bipartite matching speaker -> conduit (augmenting paths, iterative), trying speakers
    and their conduits in the order given."""
    adjacency: dict[str, list[str]] = {}
    for s, c in edges:
        if c not in adjacency.setdefault(s, []):
            adjacency[s].append(c)
    owner: dict[str, str] = {}  # conduit -> speaker
    for root in adjacency:
        parent: dict[str, str | None] = {root: None}  # speaker -> the conduit it was reached through
        via: dict[str, str] = {}  # conduit -> the speaker that reached it
        stack, found = [root], None
        while stack and found is None:
            s = stack.pop()
            for c in adjacency[s]:
                if c in via:
                    continue
                via[c] = s
                if c not in owner:
                    found = c
                    break
                nxt = owner[c]
                if nxt not in parent:
                    parent[nxt] = c
                    stack.append(nxt)
        while found is not None:  # flip the path back to the root
            s = via[found]
            previous = parent[s]
            owner[found] = s
            found = previous
    return {s: c for c, s in owner.items()}


def sources(items: Iterable[dict], detail: bool = True) -> list[dict]:
    """The distinct chains behind `items` (one per original speaker and conduit, copies folded in),
    earliest first, each marked `independent` when it belongs to the largest set of chains that share
    no speaker and no conduit. Every item gets `source_key` (its chain's key)."""
    items = sorted(items, key=lambda it: ((it.get("published") or "9999"), it["doc_id"], it["evidence"]["start"]))
    conduits = _Conduits()
    for it in items:
        conduits.join(conduit_keys(it))
    groups: dict[tuple[str, str], dict] = {}
    for it in items:
        key = (speaker_key(it), conduits.find(conduit_keys(it)[-1]))
        it["source_key"] = f"{key[0]} | {key[1]}"
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "key": it["source_key"], "attribution": it["attribution"], "speaker": _ref(it.get("speaker")),
                "speaker_text": it.get("speaker_text"), "relayed_by": [_ref(r) for r in it.get("relayed_by") or []],
                "via": _ref(it.get("via")), "outlet": it.get("origin_outlet") or it.get("outlet"),
                "outlets": [], "documents": [], "copies": [], "statements": 0, "weight": 0.0,
                "first_published": it.get("published"), "chain": chain_text(it) if detail else None,
                "independent": False,
            }
        group["statements"] += 1
        group["weight"] = max(group["weight"], weight(it))
        outlet = it.get("outlet")
        if outlet and outlet not in group["outlets"]:
            group["outlets"].append(outlet)
        target = group["copies"] if it.get("duplicate_of") else group["documents"]
        if it["doc_id"] not in target:
            target.append(it["doc_id"])
    matched = _matching(list(groups))
    for (s, c), group in groups.items():
        group["independent"] = matched.get(s) == c
        group["weight"] = round(group["weight"], 3)
    return list(groups.values())


def weight(item: dict) -> float:
    return WEIGHT[item["attribution"]] * MODALITY.get(item.get("modality") or "asserted", 1.0)


def _ref(ref: dict | None) -> dict | None:
    if not ref:
        return None
    return {k: ref.get(k) for k in ("id", "name", "type", "anonymous", "local_name")}


# ---- one dated list ---------------------------------------------------------------------------------
DATED_FIELDS = ("date", "stance", "polarity", "modality", "attribution", "speaker", "speaker_text", "relayed_by",
                "via", "chain", "chain_text", "cue", "outlet", "published", "title", "url", "doc_id", "statement_id",
                "relation_id", "evidence", "time", "subject_id", "object_id", "duplicate_of", "source_key")


def dated(support: list[dict], against: list[dict]) -> list[dict]:
    """Statements for and against side by side, by date (the report's publication day; undated last),
    each once: a syndicated copy is folded into its original (`copies`), or stands for it when the
    original is not among them."""
    entries: dict[tuple, dict] = {}
    order = sorted([("for", it) for it in support] + [("against", it) for it in against],
                   key=lambda p: (bool(p[1].get("duplicate_of")), p[1].get("published") or "9999", p[1]["doc_id"],
                                  p[1]["evidence"]["start"]))
    for stance, it in order:
        key = (it["origin"], stance, it.get("source_key"), " ".join((it["evidence"]["text"] or "").split()).casefold())
        copy = {"doc_id": it["doc_id"], "outlet": it.get("outlet"), "published": it.get("published"),
                "title": it.get("title"), "url": it.get("url")}
        if key in entries:
            entries[key]["copies"].append(copy)
            continue
        entry = {f: it.get(f) for f in DATED_FIELDS}
        entry.update(stance=stance, date=(it.get("published") or "")[:10] or None, copies=[])
        entries[key] = entry
    return sorted(entries.values(), key=lambda e: (e["date"] or "9999-99-99", e["doc_id"],
                                                   (e["evidence"] or {}).get("start") or 0, e["stance"]))
