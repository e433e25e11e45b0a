"""Attribution gold in brat standoff format, and the score of predicted statements against it.

A folder holds pairs NAME.txt + NAME.ann. Text-bound annotations (`T`) of type Source, Cue and
Content (discontinuous spans "10 20;30 40" allowed) are linked into attributions either by events
(`E1	Attribution:T4 Cue:T2 Source:T1 Content:T3`, as PolNeAR does) or by relations
(`R1	Source Arg1:T2 Arg2:T1`: every relation links two of one attribution's parts; the parts
joined through relations around one Cue make one attribution). Attributes (`A`) are kept on the
span they name. Other annotation types are ignored.

`score_attribution(gold_docs, predictions)`:
- content: a predicted statement matches a gold attribution when their character overlap is at least
  half of the longer of the two (for a discontinuous gold content, of the fragments the prediction
  touches); matching is one-to-one, best overlap first. Precision, recall and F1 over contents.
- speaker: on matched pairs whose gold has a Source, the speaker is right when a mention of the
  predicted speaker entity overlaps the Source (for bare statement lists with no entities, the
  statement's `speaker_span` stands in for the mentions).
- cue: on matched pairs whose gold has a Cue, right when the predicted cue span overlaps it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

ROLE_TYPES = ("source", "cue", "content")


@dataclass
class BratSpan:
    id: str
    type: str
    fragments: list[tuple[int, int]]
    text: str
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def start(self) -> int:
        return min(s for s, _ in self.fragments)

    @property
    def end(self) -> int:
        return max(e for _, e in self.fragments)

    def length(self) -> int:
        return sum(e - s for s, e in self.fragments)


@dataclass
class BratAttribution:
    id: str
    content: BratSpan | None = None
    source: BratSpan | None = None
    cue: BratSpan | None = None


@dataclass
class BratDoc:
    name: str
    text: str
    spans: dict[str, BratSpan]
    attributions: list[BratAttribution]


_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t?(.*)$")


def _role(type_name: str) -> str | None:
    low = re.sub(r"\d+$", "", type_name.lower())
    return low if low in ROLE_TYPES else None


def parse_ann(name: str, text: str, ann: str) -> BratDoc:
    spans: dict[str, BratSpan] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    relations: list[tuple[str, str, str, str]] = []
    for line in ann.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        m = _T_LINE.match(line)
        if m:
            tid, type_name, offsets, surface = m.groups()
            frags = []
            for part in offsets.split(";"):
                bits = part.split()
                if len(bits) == 2:
                    frags.append((int(bits[0]), int(bits[1])))
            if frags:
                spans[tid] = BratSpan(tid, type_name, frags, surface)
            continue
        fields = line.split("\t")
        if line.startswith("E") and len(fields) >= 2:
            args = [tuple(a.split(":", 1)) for a in fields[1].split() if ":" in a]
            events.append((fields[0], args))  # type: ignore[arg-type]
        elif line.startswith("R") and len(fields) >= 2:
            bits = fields[1].split()
            if len(bits) == 3:
                a1 = bits[1].split(":", 1)[-1]
                a2 = bits[2].split(":", 1)[-1]
                relations.append((fields[0], bits[0], a1, a2))
        elif line.startswith("A") and len(fields) >= 2:
            bits = fields[1].split()
            if len(bits) >= 2 and bits[1] in spans:
                spans[bits[1]].attributes[bits[0]] = bits[2] if len(bits) > 2 else "true"
    attributions: list[BratAttribution] = []
    linked: set[str] = set()
    for eid, args in events:
        att = BratAttribution(eid)
        for role_name, tid in args:
            span = spans.get(tid)
            role = _role(role_name)
            if span is None or role is None:
                continue
            linked.add(tid)
            current = getattr(att, role)
            if current is None:
                setattr(att, role, span)
            else:  # a second fragment of the same role: join them
                setattr(att, role, BratSpan(current.id, current.type, current.fragments + span.fragments,
                                            current.text + " " + span.text))
        if att.content is not None:
            attributions.append(att)
    if relations:
        # parts joined through relations, grouped around their Cue (or Content when no cue)
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.get(x, x) != x:
                x = parent[x]
            return x

        for _, _, a1, a2 in relations:
            if a1 in spans and a2 in spans:
                parent.setdefault(a1, a1)
                parent.setdefault(a2, a2)
                parent[find(a1)] = find(a2)
        groups: dict[str, list[str]] = {}
        for tid in parent:
            if tid not in linked:
                groups.setdefault(find(tid), []).append(tid)
        for root, members in sorted(groups.items()):
            att = BratAttribution(f"R:{root}")
            for tid in sorted(members, key=lambda t: spans[t].start):
                role = _role(spans[tid].type)
                if role and getattr(att, role) is None:
                    setattr(att, role, spans[tid])
                linked.add(tid)
            if att.content is not None:
                attributions.append(att)
    # a Content span linked to nothing is an attribution with no known source or cue
    for tid, span in spans.items():
        if tid not in linked and _role(span.type) == "content":
            attributions.append(BratAttribution(f"T:{tid}", content=span))
    attributions.sort(key=lambda a: a.content.start if a.content else 0)
    return BratDoc(name, text, spans, attributions)


def read_brat(folder: str | Path) -> list[BratDoc]:
    """Every NAME.txt with a NAME.ann beside it under folder (recursively), sorted by name."""
    root = Path(folder)
    docs = []
    for txt in sorted(root.rglob("*.txt")):
        ann = txt.with_suffix(".ann")
        if not ann.exists():
            continue
        name = str(txt.relative_to(root).with_suffix(""))
        text = txt.read_text(encoding="utf-8")
        docs.append(parse_ann(name, text, ann.read_text(encoding="utf-8")))
    return docs


# ---- scoring ----------------------------------------------------------------------------------
def _statements_of(prediction: Any) -> tuple[list[dict], dict[str, list[tuple[int, int]]]]:
    """(statements as dicts, entity id -> mention ranges) from an Analysis, its to_dict(), or a
    plain list of statement dicts."""
    if prediction is None:
        return [], {}
    if hasattr(prediction, "to_dict"):
        prediction = prediction.to_dict()
    if isinstance(prediction, list):
        return [s.to_dict() if hasattr(s, "to_dict") else s for s in prediction], {}
    mentions = {e["id"]: [(m["start"], m["end"]) for m in e.get("mentions", [])]
                for e in prediction.get("entities", [])}
    return list(prediction.get("statements", [])), mentions


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def content_match(pred: tuple[int, int], gold: BratSpan) -> float:
    """Overlap of a predicted range with a gold span, as a share of the longer of the two (only the
    gold fragments the prediction touches count); >= 0.5 is a match."""
    touched = [f for f in gold.fragments if _overlap(pred, f) > 0]
    if not touched:
        return 0.0
    shared = sum(_overlap(pred, f) for f in touched)
    longer = max(pred[1] - pred[0], sum(e - s for s, e in touched))
    return shared / longer if longer else 0.0


def _span_range(d: dict | None) -> tuple[int, int] | None:
    return (d["start"], d["end"]) if d else None


def score_attribution(gold_docs: Iterable[BratDoc], predictions: Mapping[str, Any]) -> dict:
    """Content P/R/F1 at 50% overlap, speaker and cue accuracy on matched statements; `per_doc`
    holds the same counts per document."""
    total = {"gold": 0, "predicted": 0, "matched": 0, "speaker_right": 0, "speaker_total": 0,
             "cue_right": 0, "cue_total": 0}
    per_doc = {}
    for doc in gold_docs:
        statements, mentions = _statements_of(predictions.get(doc.name))
        golds = [a for a in doc.attributions if a.content is not None]
        preds = [s for s in statements if s.get("content")]
        pairs = []
        for gi, g in enumerate(golds):
            for pi, p in enumerate(preds):
                share = content_match((p["content"]["start"], p["content"]["end"]), g.content)  # type: ignore[arg-type]
                if share >= 0.5:
                    pairs.append((share, gi, pi))
        pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
        used_g, used_p, matched = set(), set(), []
        for share, gi, pi in pairs:
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            matched.append((golds[gi], preds[pi]))
        counts = {"gold": len(golds), "predicted": len(preds), "matched": len(matched),
                  "speaker_right": 0, "speaker_total": 0, "cue_right": 0, "cue_total": 0}
        for g, p in matched:
            if g.source is not None:
                counts["speaker_total"] += 1
                ranges = list(mentions.get(p.get("speaker") or "", []))
                if not mentions and p.get("speaker_span"):  # bare statements: their own words
                    ranges.append(_span_range(p["speaker_span"]))
                if p.get("speaker") is not None and any(
                        _overlap(r, f) > 0 for r in ranges if r for f in g.source.fragments):
                    counts["speaker_right"] += 1
            if g.cue is not None:
                counts["cue_total"] += 1
                cue = _span_range(p.get("cue_span"))
                if cue and any(_overlap(cue, f) > 0 for f in g.cue.fragments):
                    counts["cue_right"] += 1
        per_doc[doc.name] = counts
        for k in total:
            total[k] += counts[k]
    precision = total["matched"] / total["predicted"] if total["predicted"] else 0.0
    recall = total["matched"] / total["gold"] if total["gold"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        **total,
        "precision": precision, "recall": recall, "f1": f1,
        "speaker_accuracy": total["speaker_right"] / total["speaker_total"] if total["speaker_total"] else 0.0,
        "cue_accuracy": total["cue_right"] / total["cue_total"] if total["cue_total"] else 0.0,
        "per_doc": per_doc,
    }
