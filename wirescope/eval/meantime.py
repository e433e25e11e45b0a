"""MEANTIME (NewsReader) gold for entities: named-mention detection and in-document coreference.

The text of each article is the one `timex_eval.read_meantime` rebuilds from the tokens (so TIMEX3
and entity offsets agree); every ENTITY_MENTION becomes a gold mention with the type of the ENTITY
it REFERS_TO (PER, ORG, LOC, PRO, FIN, MIX) and its `syntactic_type` (NAM proper name, NOM, PRO
pronoun, APP, CONJ, ...). MEANTIME annotates the first sentences of each article only: predictions
after the last annotated sentence (`TimexDoc.annotated_end`) are left out of every score.

- `score_mentions(docs, predictions)`: named-mention detection. Gold: mentions with syntactic_type
  NAM of PER/ORG/LOC entities. Predicted: mentions of our person/organization/location entities
  that are not anonymous and read as names (a capitalised word that is not a pronoun or a
  determiner). Exact span P/R/F1 and overlap P/R/F1 (one-to-one, largest overlap first).
- `score_coreference(docs, predictions)`: B-cubed over the gold PER/ORG/LOC mentions (any
  syntactic type) that we detect (a predicted mention of any entity overlaps them, one-to-one):
  the predicted cluster of a mention is our entity id, the gold cluster its REFERS_TO instance.
  Singletons everywhere give precision 1; one entity for everything gives recall 1.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from wirescope.eval.timex_eval import GoldTimex, read_meantime

NAME_TYPES = ("PER", "ORG", "LOC")
OUR_TYPES = {"person": "PER", "organization": "ORG", "location": "LOC"}
_FUNCTION_WORDS = frozenset("""a an the this that these those he she it they we i you him her them us his its their
our my your who which what whose whom there here one some any all each both either neither""".split())
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


@dataclass(frozen=True, slots=True)
class GoldMention:
    start: int
    end: int
    text: str
    entity: str  # the ENTITY's m_id in its document (the REFERS_TO target)
    type: str  # ent_type of that ENTITY
    syntactic: str  # syntactic_type of the mention ("" when not given)

    @property
    def is_name(self) -> bool:
        return self.syntactic == "NAM" and self.type in NAME_TYPES


@dataclass
class MeantimeDoc:
    id: str
    text: str
    dct: dt.date | None
    mentions: list[GoldMention] = field(default_factory=list)
    timexes: list[GoldTimex] = field(default_factory=list)
    annotated_end: int | None = None
    path: str = ""

    def in_scope(self, start: int) -> bool:
        return self.annotated_end is None or start < self.annotated_end

    def names(self) -> list[GoldMention]:
        return [m for m in self.mentions if m.is_name]

    def coref_mentions(self) -> list[GoldMention]:
        return [m for m in self.mentions if m.type in NAME_TYPES]


def _token_offsets(root: ET.Element, text: str) -> dict[str, tuple[int, int]]:
    """t_id -> (start, end) in the rebuilt text, found token by token from left to right."""
    offsets: dict[str, tuple[int, int]] = {}
    cursor = 0
    for tok in root.iter("token"):
        word = tok.text or ""
        at = text.find(word, cursor) if word else cursor
        if at < 0:
            continue
        offsets[tok.get("t_id", "")] = (at, at + len(word))
        cursor = at + len(word)
    return offsets


def _read_file(file: Path) -> MeantimeDoc:
    (timex_doc,) = read_meantime(file)
    root = ET.parse(file).getroot()
    text = timex_doc.text
    offsets = _token_offsets(root, text)
    markables = root.find("Markables")
    entity_type: dict[str, str] = {}
    raw_mentions: dict[str, tuple[list[str], str]] = {}
    for m in (markables if markables is not None else []):
        if m.tag == "ENTITY":
            entity_type[m.get("m_id", "")] = m.get("ent_type") or ""
        elif m.tag == "ENTITY_MENTION":
            ids = [a.get("t_id", "") for a in m.findall("token_anchor")]
            raw_mentions[m.get("m_id", "")] = (ids, m.get("syntactic_type") or "")
    refers: dict[str, str] = {}
    relations = root.find("Relations")
    for rel in (relations.findall("REFERS_TO") if relations is not None else []):
        target = rel.find("target")
        if target is None or target.get("m_id") not in entity_type:
            continue
        for source in rel.findall("source"):
            refers.setdefault(source.get("m_id", ""), target.get("m_id", ""))
    mentions = []
    for m_id, (ids, syntactic) in raw_mentions.items():
        spans = [offsets[i] for i in ids if i in offsets]
        if not spans or m_id not in refers:
            continue
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        entity = refers[m_id]
        mentions.append(GoldMention(start, end, text[start:end], entity, entity_type[entity], syntactic))
    mentions.sort(key=lambda g: (g.start, g.end))
    return MeantimeDoc(timex_doc.id, text, timex_doc.dct, mentions, timex_doc.timexes,
                       timex_doc.annotated_end, str(file))


def read_meantime_docs(path: str | Path) -> list[MeantimeDoc]:
    """MEANTIME articles (one .xml file or a folder searched recursively), sorted by path."""
    path = Path(path)
    files = sorted(p for p in path.rglob("*.xml") if p.is_file()) if path.is_dir() else [path]
    docs = []
    for file in files:
        try:
            root_tag = ET.parse(file).getroot().tag
        except ET.ParseError:
            continue
        if root_tag == "Document":
            docs.append(_read_file(file))
    return docs


# ---- predictions -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PredictedMention:
    start: int
    end: int
    entity: str
    type: str  # PER, ORG, LOC or "" for our other types
    name: bool  # reads as a proper name


def looks_like_name(text: str) -> bool:
    """A capitalised word that is not a pronoun or a determiner ("He", "The" are not names; an
    all-capitals acronym such as "US" is a name even where the pronoun shares its letters)."""
    return any(w[0].isupper() and (w.lower() not in _FUNCTION_WORDS or (len(w) > 1 and w.isupper()))
               for w in _WORD.findall(text))


def predicted_mentions(analysis: Any) -> list[PredictedMention]:
    """Every entity mention of an Analysis (or its to_dict()), with our type folded to MEANTIME's;
    a list of PredictedMention (a baseline's output) is taken as it is."""
    if isinstance(analysis, list):
        return list(analysis)
    if hasattr(analysis, "to_dict"):
        analysis = analysis.to_dict()
    out = []
    for e in (analysis or {}).get("entities", []):
        kind = OUR_TYPES.get(e.get("type") or "", "")
        for m in e.get("mentions", []):
            name = bool(kind) and not e.get("anonymous") and looks_like_name(m.get("text", ""))
            out.append(PredictedMention(m["start"], m["end"], e["id"], kind, name))
    return out


# ---- scores ----------------------------------------------------------------------------------
def _prf(matched: int, predicted: int, gold: int) -> dict[str, float]:
    p = matched / predicted if predicted else (1.0 if not gold else 0.0)
    r = matched / gold if gold else (1.0 if not predicted else 0.0)
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def align(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs of overlapping spans, exact matches first,
    then the largest overlap. Both lists sorted by start keeps this near-linear."""
    pairs = []
    order = sorted(range(len(pred)), key=lambda j: pred[j])
    starts = [pred[j][0] for j in order]
    longest = max((e - s for s, e in pred), default=0)
    for i, (gs, ge) in enumerate(gold):
        lo = bisect.bisect_left(starts, gs - longest)
        hi = bisect.bisect_left(starts, ge)
        for k in range(lo, hi):
            j = order[k]
            ps, pe = pred[j]
            overlap = min(ge, pe) - max(gs, ps)
            if overlap > 0:
                pairs.append(((ps, pe) == (gs, ge), overlap, i, j))
    pairs.sort(key=lambda t: (not t[0], -t[1], t[2], t[3]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, _, i, j in pairs:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j))
    return out


def _doc_predictions(doc: MeantimeDoc, predictions: Mapping[str, Any]) -> list[PredictedMention]:
    return [m for m in predicted_mentions(predictions.get(doc.id)) if doc.in_scope(m.start)]


def score_mentions(docs: Iterable[MeantimeDoc], predictions: Mapping[str, Any]) -> dict[str, Any]:
    """Named-mention detection: exact and overlap span P/R/F1, and type accuracy on overlaps.
    predictions maps a document id to its Analysis (or to_dict(), or {"entities": [...]})."""
    n_gold = n_pred = exact = overlap = typed = 0
    for doc in docs:
        gold = doc.names()
        pred = [m for m in _doc_predictions(doc, predictions) if m.name]
        g_spans = [(m.start, m.end) for m in gold]
        p_spans = [(m.start, m.end) for m in pred]
        exact += len(set(g_spans) & set(p_spans))
        pairs = align(g_spans, p_spans)
        overlap += len(pairs)
        typed += sum(1 for i, j in pairs if gold[i].type == pred[j].type)
        n_gold += len(gold)
        n_pred += len(pred)
    e, o = _prf(exact, n_pred, n_gold), _prf(overlap, n_pred, n_gold)
    return {"gold": n_gold, "predicted": n_pred, "exact_matched": exact, "overlap_matched": overlap,
            "exact_p": e["p"], "exact_r": e["r"], "exact_f1": e["f1"],
            "overlap_p": o["p"], "overlap_r": o["r"], "overlap_f1": o["f1"],
            "type_accuracy": typed / overlap if overlap else 0.0}


def b_cubed(gold_of: list[str], pred_of: list[str]) -> tuple[float, float]:
    """B-cubed precision and recall of items whose gold and predicted cluster labels are given."""
    n = len(gold_of)
    if not n:
        return 1.0, 1.0
    pairs: dict[tuple[str, str], int] = {}
    g_size: dict[str, int] = {}
    p_size: dict[str, int] = {}
    for g, p in zip(gold_of, pred_of):
        pairs[(g, p)] = pairs.get((g, p), 0) + 1
        g_size[g] = g_size.get(g, 0) + 1
        p_size[p] = p_size.get(p, 0) + 1
    # each item in cell (g, p) shares its cell with pairs[(g, p)] items
    precision = sum(c * c / p_size[p] for (g, p), c in pairs.items()) / n
    recall = sum(c * c / g_size[g] for (g, p), c in pairs.items()) / n
    return precision, recall


def score_coreference(docs: Iterable[MeantimeDoc], predictions: Mapping[str, Any]) -> dict[str, Any]:
    """B-cubed P/R/F1 over the detected gold PER/ORG/LOC mentions, averaged over mentions of all
    documents (clusters never cross documents)."""
    gold_labels: list[str] = []
    pred_labels: list[str] = []
    n_gold = 0
    for doc in docs:
        gold = [m for m in doc.coref_mentions() if doc.in_scope(m.start)]
        pred = _doc_predictions(doc, predictions)
        n_gold += len(gold)
        for i, j in align([(m.start, m.end) for m in gold], [(m.start, m.end) for m in pred]):
            gold_labels.append(f"{doc.id}/{gold[i].entity}")
            pred_labels.append(f"{doc.id}/{pred[j].entity}")
    p, r = b_cubed(gold_labels, pred_labels) if gold_labels else (0.0, 0.0)
    return {"gold": n_gold, "detected": len(gold_labels), "p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def timex_predictions(doc: MeantimeDoc, analysis: Any) -> list[dict[str, Any]]:
    """The analysis' times inside the annotated part, as score_timex items."""
    if hasattr(analysis, "to_dict"):
        analysis = analysis.to_dict()
    return [{"doc": doc.id, "start": t["start"], "end": t["end"], "type": t.get("type"), "value": t.get("value")}
            for t in (analysis or {}).get("times", []) if doc.in_scope(t["start"])]
