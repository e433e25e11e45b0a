"""TIMEX3 gold readers (MEANTIME XML, TimeML .tml) and the TempEval-3 style scorer.

- `read_meantime(path)`: one MEANTIME (NewsReader) XML file, or a folder of them. The text is
  rebuilt from the tokens (sentences on their own lines, no space before closing punctuation),
  each token keeps its character offset, and every TIMEX3 anchored to tokens becomes a gold span.
  The document creation time is the TIMEX3 with functionInDocument="CREATION_TIME".
- `read_timeml(path)`: one TimeML .tml file (or a folder): in-line TIMEX3 tags inside <TEXT>, DCT
  from the TIMEX3 with functionInDocument="CREATION_TIME".
- `score_timex(gold, predicted)`: strict and relaxed (overlap) span precision/recall/F1, type and
  value accuracy on relaxed matches, and value F1 = relaxed F1 x value accuracy.
"""
from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

_NO_SPACE_BEFORE = frozenset(",.;:!?)]}%") | {"'s", "'S", "n't", "'re", "'ve", "'ll", "'d", "'m", "’s", "''", "”", "’"}
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "“", "``", "#", "US$", "£", "€"})


@dataclass(slots=True)
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str | None
    doc: str = ""
    dct: bool = False  # the document creation time itself

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "type": self.type,
                "value": self.value, "doc": self.doc, "dct": self.dct}


@dataclass(slots=True)
class TimexDoc:
    id: str
    text: str
    dct: dt.date | None
    timexes: list[GoldTimex] = field(default_factory=list)
    path: str = ""
    # gold covers text[:annotated_end] only (MEANTIME annotates the first sentences of each
    # article); predictions past it are neither right nor wrong and are left out of the score
    annotated_end: int | None = None

    def in_scope(self, start: int) -> bool:
        return self.annotated_end is None or start < self.annotated_end


def _date_of(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _files(path: str | Path, suffixes: tuple[str, ...]) -> list[Path]:
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix.lower() in suffixes and p.is_file())
    return [path]


def read_meantime(path: str | Path) -> list[TimexDoc]:
    """MEANTIME documents (a file or a folder of .xml files) with their TIMEX3 gold."""
    docs = []
    for file in _files(path, (".xml",)):
        docs.append(_read_meantime_file(file))
    return docs


def _read_meantime_file(file: Path) -> TimexDoc:
    root = ET.parse(file).getroot()
    pieces: list[str] = []
    offsets: dict[str, tuple[int, int]] = {}
    sentence_of: dict[str, str] = {}
    sentence_end: dict[str, int] = {}
    length = 0
    prev_sent = None
    prev_tok = None
    for tok in root.iter("token"):
        word = tok.text or ""
        sent = tok.get("sentence")
        if prev_sent is not None:
            if sent != prev_sent:
                sep = "\n"
            elif word in _NO_SPACE_BEFORE or (prev_tok in _NO_SPACE_AFTER):
                sep = ""
            else:
                sep = " "
            pieces.append(sep)
            length += len(sep)
        offsets[tok.get("t_id", "")] = (length, length + len(word))
        sentence_of[tok.get("t_id", "")] = sent or ""
        pieces.append(word)
        length += len(word)
        sentence_end[sent or ""] = length
        prev_sent, prev_tok = sent, word
    text = "".join(pieces)
    doc_id = root.get("doc_id") or file.stem
    timexes: list[GoldTimex] = []
    dct = None
    for tx in root.iter("TIMEX3"):
        ids = [a.get("t_id") for a in tx.findall("token_anchor")]
        spans = [offsets[i] for i in ids if i in offsets]
        is_dct = tx.get("functionInDocument") == "CREATION_TIME"
        if is_dct and dct is None:
            dct = _date_of(tx.get("value"))
        if not spans:
            continue
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        timexes.append(GoldTimex(start, end, text[start:end], tx.get("type") or "DATE", tx.get("value"),
                                 doc=doc_id, dct=is_dct))
    timexes.sort(key=lambda t: (t.start, t.end))
    annotated = [sentence_of[a.get("t_id")] for markables in root.iter("Markables") for m in markables
                 for a in m.findall("token_anchor") if a.get("t_id") in sentence_of]
    annotated_end = max((sentence_end[s] for s in annotated), default=None)
    return TimexDoc(doc_id, text, dct, timexes, str(file), annotated_end=annotated_end)


_TAG = re.compile(r"<(/?)([A-Za-z_][\w:.-]*)([^>]*?)(/?)>|<!--.*?-->|<\?.*?\?>|<!\[CDATA\[(.*?)\]\]>", re.S)
_ATTR = re.compile(r"([\w:.-]+)\s*=\s*(\"[^\"]*\"|'[^']*')")


def read_timeml(path: str | Path) -> list[TimexDoc]:
    """TimeML documents (a .tml file or a folder of them) with their TIMEX3 gold."""
    return [_read_timeml_file(f) for f in _files(path, (".tml", ".timeml"))]


def _read_timeml_file(file: Path) -> TimexDoc:
    raw = file.read_text(encoding="utf-8", errors="replace")
    has_text = re.search(r"<TEXT\b", raw) is not None
    out: list[str] = []
    length = 0
    inside = not has_text
    open_timex: list[tuple[dict[str, str], int]] = []
    timexes: list[GoldTimex] = []
    dct: dt.date | None = None
    doc_id = file.stem
    pos = 0
    for m in _TAG.finditer(raw):
        chunk = raw[pos:m.start()]
        pos = m.end()
        if inside and chunk:
            plain = html.unescape(chunk)
            out.append(plain)
            length += len(plain)
        if m.group(5) is not None:  # CDATA
            if inside:
                out.append(m.group(5))
                length += len(m.group(5))
            continue
        name = (m.group(2) or "").upper()
        closing, selfclosing = m.group(1) == "/", m.group(4) == "/"
        if not name:
            continue
        if name == "TEXT":
            inside = not closing
            continue
        if name == "DOCID" and not closing:
            end = raw.find("<", m.end())
            doc_id = raw[m.end():end].strip() or doc_id
        if name != "TIMEX3":
            continue
        if not closing:
            attrs = {k: html.unescape(v[1:-1]) for k, v in _ATTR.findall(m.group(3) or "")}
            if attrs.get("functionInDocument") == "CREATION_TIME" and dct is None:
                dct = _date_of(attrs.get("value"))
            if selfclosing:
                continue
            open_timex.append((attrs, length if inside else -1))
        elif open_timex:
            attrs, start = open_timex.pop()
            if start < 0 or not inside:
                continue
            text = "".join(out)
            timexes.append(GoldTimex(start, length, text[start:length], attrs.get("type", "DATE"), attrs.get("value"),
                                     doc=doc_id, dct=attrs.get("functionInDocument") == "CREATION_TIME"))
    tail = raw[pos:]
    if inside and tail:
        out.append(html.unescape(tail))
    text = "".join(out)
    timexes.sort(key=lambda t: (t.start, t.end))
    return TimexDoc(doc_id, text, dct, timexes, str(file))


# ---- scoring ------------------------------------------------------------------------------

def _get(item: Any, key: str, default: Any = None) -> Any:
    if isinstance(item, dict):
        return item.get(key, default)
    return getattr(item, key, default)


def _prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_p / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp_g / n_gold if n_gold else (1.0 if not n_pred else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _norm_value(v: Any) -> str:
    return str(v).strip().upper() if v is not None else ""


def score_timex(gold: Iterable[Any], predicted: Iterable[Any]) -> dict[str, float | int]:
    """Score predicted TIMEX3 against gold. Items are dicts or objects with start, end, value,
    type and optionally doc (spans only match within the same doc).

    Relaxed matching pairs each gold span with at most one overlapping prediction (largest
    overlap first); value and type accuracy are measured on those pairs."""
    gold = list(gold)
    pred = list(predicted)

    def key(i: Any) -> tuple:
        return (_get(i, "doc", ""), _get(i, "start"), _get(i, "end"))

    gold_keys = {key(g) for g in gold}
    pred_keys = {key(p) for p in pred}
    strict_tp = len(gold_keys & pred_keys)

    by_doc: dict[Any, list[int]] = {}
    for j, p in enumerate(pred):
        by_doc.setdefault(_get(p, "doc", ""), []).append(j)
    pairs = []
    for i, g in enumerate(gold):
        gs, ge = _get(g, "start"), _get(g, "end")
        for j in by_doc.get(_get(g, "doc", ""), []):
            ps, pe = _get(pred[j], "start"), _get(pred[j], "end")
            overlap = min(ge, pe) - max(gs, ps)
            if overlap > 0:
                pairs.append((overlap, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    matched = []
    for _, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        matched.append((i, j))
    value_ok = sum(1 for i, j in matched if _norm_value(_get(gold[i], "value")) == _norm_value(_get(pred[j], "value")))
    type_ok = sum(1 for i, j in matched if _norm_value(_get(gold[i], "type")) == _norm_value(_get(pred[j], "type")))
    sp, sr, sf = _prf(strict_tp, len(pred), strict_tp, len(gold))
    rp, rr, rf = _prf(len(matched), len(pred), len(matched), len(gold))
    value_acc = value_ok / len(matched) if matched else (1.0 if not gold and not pred else 0.0)
    type_acc = type_ok / len(matched) if matched else (1.0 if not gold and not pred else 0.0)
    return {
        "gold": len(gold), "predicted": len(pred), "strict_matched": strict_tp, "relaxed_matched": len(matched),
        "value_correct": value_ok,
        "strict_p": sp, "strict_r": sr, "strict_f1": sf,
        "relaxed_p": rp, "relaxed_r": rr, "relaxed_f1": rf,
        "type_accuracy": type_acc, "value_accuracy": value_acc, "value_f1": rf * value_acc,
    }
