"""Evaluation: gold readers, metrics, and one `evaluate(path)` for the CLI, the tests and bench/.

Gold formats (`KINDS`), each read by its own module and scored by its own metrics:

- gold     `NAME.gold.json` (the seed's analyst gold, wirescope.eval.gold): check recall and
           relation+event precision;
- timeml   TimeML `.tml` files (wirescope.eval.timex_eval): TIMEX3 strict/relaxed span F1, value
           accuracy and value F1 (TempEval-3);
- meantime MEANTIME XML (wirescope.eval.meantime): named-mention detection, in-document
           coreference (B-cubed), TIMEX3 value F1;
- plover   PLOVER gold-standard records JSON (wirescope.eval.plover): event-type accuracy and
           source-actor match;
- brat     brat standoff attribution (.ann + .txt, wirescope.eval.brat): content F1 at 50% overlap,
           speaker and cue accuracy.

`evaluate(path, kind=None, analyser=...)` detects the format from the path (see `detect_kind`),
analyses the gold's texts and returns an `EvalReport`: headline `metrics` (flat name -> number,
what the quality gate pins) and `tables` for people. An `Analyser` parses each distinct text once
and can re-run the stages on cached parses (the gate and its tests use that to compare pipelines).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from wirescope.analyse.pipeline import OverBudget, time_budget

KINDS = ("gold", "timeml", "meantime", "plover", "brat")


@dataclass
class EvalTable:
    title: str
    columns: list[str]
    rows: list[list[Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "columns": self.columns, "rows": self.rows}


@dataclass
class EvalReport:
    kind: str
    path: str
    documents: int
    metrics: dict[str, float]
    tables: list[EvalTable] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "documents": self.documents, "metrics": self.metrics,
                "tables": [t.to_dict() for t in self.tables], "details": self.details, "warnings": self.warnings}


# ---- format detection ------------------------------------------------------------------------
def _is_plover_json(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as fh:
            head = fh.read(4096).lstrip()
    except OSError:
        return False
    return head.startswith("[") and '"event"' in head and '"text"' in head


def _is_meantime_xml(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            head = fh.read(1024)
    except OSError:
        return False
    return "<Document" in head


def detect_kind(path: str | Path) -> str | None:
    """The gold format of a file or folder, or None: NAME.gold.json (or a JSON object with a
    text_file) -> gold; .tml -> timeml; MEANTIME <Document> .xml -> meantime; a JSON array of
    event records -> plover; .ann (+ .txt) -> brat. A folder takes the kind of the files in it,
    in that order of preference."""
    from wirescope.eval.gold import is_gold_file

    path = Path(path)
    if path.is_file():
        name = path.name.lower()
        if is_gold_file(path):
            return "gold"
        if name.endswith((".tml", ".timeml")):
            return "timeml"
        if name.endswith(".xml") and _is_meantime_xml(path):
            return "meantime"
        if name.endswith(".json") and _is_plover_json(path):
            return "plover"
        if name.endswith(".ann"):
            return "brat"
        return None
    if not path.is_dir():
        return None
    files = [p for p in path.rglob("*") if p.is_file()]
    names = [p.name.lower() for p in files]
    if any(n.endswith(".gold.json") for n in names):
        return "gold"
    if any(n.endswith((".tml", ".timeml")) for n in names):
        return "timeml"
    if any(n.endswith(".ann") for n in names):
        return "brat"
    if any(p.suffix.lower() == ".xml" and _is_meantime_xml(p) for p in files):
        return "meantime"
    if any(p.suffix.lower() == ".json" and _is_plover_json(p) for p in files):
        return "plover"
    return None


# ---- analysing the gold texts ----------------------------------------------------------------
class Analyser:
    """Runs a Pipeline over Documents, parsing each distinct text once (the parse is kept in
    `cache`, shareable between Analysers with different stages). A document whose analysis fails,
    or runs over `time_limit` seconds, gets an empty Analysis and a warning, so it scores as missed."""

    def __init__(self, pipeline: Any = None, cache: dict | None = None, time_limit: float | None = 60.0,
                 settings: Any = None) -> None:
        self._pipeline = pipeline
        self.settings = settings
        self.cache: dict[str, Any] = {} if cache is None else cache
        self.warnings: list[str] = []
        self.time_limit = time_limit

    @property
    def pipeline(self) -> Any:
        """The Pipeline, built from `settings` on first use (so a bad path fails before spaCy loads)."""
        if self._pipeline is None:
            from wirescope.analyse.pipeline import Pipeline

            self._pipeline = Pipeline(self.settings)
        return self._pipeline

    def analyse(self, documents: Iterable[Any]) -> list[Any]:
        from wirescope.errors import WirescopeError
        from wirescope.model import Analysis

        documents = list(documents)
        todo = [d.text for d in documents if d.text not in self.cache]
        todo = list(dict.fromkeys(todo))
        if todo:
            for text, doc in zip(todo, self.pipeline._parse(todo)):
                self.cache[text] = doc
        out = []
        for document in documents:
            try:
                with time_budget(self.time_limit or 0):
                    out.append(self.pipeline.run_stages(self.cache[document.text], document))
            except WirescopeError as exc:
                self.warnings.append(f"{document.source or document.id}: [{exc.code}] {exc.message}")
                out.append(Analysis(document=document))
            except OverBudget:
                self.warnings.append(f"{document.source or document.id}: the stages ran over {self.time_limit}s "
                                     "and were stopped; the document scores as missed")
                out.append(Analysis(document=document))
        return out


def _prf_row(name: str, p: float, r: float, f: float, *extra: Any) -> list[Any]:
    return [name, round(p, 4), round(r, 4), round(f, 4), *extra]


# ---- one evaluator per kind ------------------------------------------------------------------
def eval_gold(path: Path, analyser: Analyser) -> EvalReport:
    from wirescope.eval.gold import GoldScore, gold_files, load_gold, score_gold
    from wirescope.model import Document

    files = [load_gold(p) for p in gold_files(path)]
    analyses = analyser.analyse(Document(f.text, published=f.published, source=str(f.path)) for f in files)
    total = GoldScore()
    per_file = {}
    for f, analysis in zip(files, analyses):
        s = score_gold(f.gold, analysis)
        per_file[str(f.path)] = s.to_dict()
        total = total.merge(s)
    metrics = {"recall": total.recall, "precision": total.precision,
               "relation_precision": total.relation_precision, "event_precision": total.event_precision,
               "event_roles_recall": total.event_roles_recall}
    for cat, (passed, counted) in total.by_category().items():
        metrics[f"{cat}_recall"] = passed / counted
    summary = EvalTable("Gold checks", ["category", "passed", "counted", "recall"],
                        [[c, p, n, round(p / n, 4)] for c, (p, n) in total.by_category().items()])
    summary.rows.append(["all", sum(c.passed for c in total.counted), len(total.counted), round(total.recall, 4)])
    links = EvalTable("Relation + event precision", ["right", "extracted", "precision"],
                      [[total.links_right, total.links_total, round(total.precision, 4)]])
    misses = EvalTable("Missed checks", ["category", "check", "optional"],
                       [[c.category, c.label, "yes" if c.optional else ""] for c in total.checks if not c.passed])
    return EvalReport("gold", str(path), len(files), metrics, [summary, links, misses], {"files": per_file})


def _timex_table(title: str, rows: list[tuple[str, dict]]) -> EvalTable:
    return EvalTable(title, ["system", "gold", "pred", "strict F1", "relaxed P", "relaxed R", "relaxed F1",
                             "value acc", "value F1"],
                     [[n, s["gold"], s["predicted"], round(s["strict_f1"], 4), round(s["relaxed_p"], 4),
                       round(s["relaxed_r"], 4), round(s["relaxed_f1"], 4), round(s["value_accuracy"], 4),
                       round(s["value_f1"], 4)] for n, s in rows])


def eval_timeml(path: Path, analyser: Analyser) -> EvalReport:
    from wirescope.eval.timex_eval import read_timeml, score_timex
    from wirescope.model import Document

    docs = read_timeml(path)
    analyses = analyser.analyse(Document(d.text, published=d.dct.isoformat() if d.dct else None, source=d.path)
                                for d in docs)
    gold = [t for d in docs for t in d.timexes]
    pred = [{"doc": d.id, "start": t.start, "end": t.end, "type": t.type, "value": t.value}
            for d, a in zip(docs, analyses) for t in a.times]
    s = score_timex(gold, pred)
    metrics = {k: s[k] for k in ("strict_f1", "relaxed_p", "relaxed_r", "relaxed_f1", "value_accuracy", "value_f1")}
    return EvalReport("timeml", str(path), len(docs), metrics,
                      [_timex_table("TIMEX3 (TempEval-3: value F1 = relaxed F1 x value accuracy)",
                                    [("nothing", score_timex(gold, [])), ("wirescope", s)])], {"timex": s})


def score_meantime(docs: list, analyses: list) -> dict[str, dict]:
    """The three MEANTIME scores (mentions, coreference, timex) of analyses aligned with docs."""
    from wirescope.eval.meantime import score_coreference, score_mentions, timex_predictions
    from wirescope.eval.timex_eval import score_timex

    by_id = {d.id: a for d, a in zip(docs, analyses)}
    gold_times = [t for d in docs for t in d.timexes]
    pred_times = [t for d, a in zip(docs, analyses) for t in timex_predictions(d, a)]
    return {"mentions": score_mentions(docs, by_id), "coref": score_coreference(docs, by_id),
            "timex": score_timex(gold_times, pred_times)}


def meantime_metrics(scores: dict[str, dict]) -> dict[str, float]:
    m, c, t = scores["mentions"], scores["coref"], scores["timex"]
    return {"mention_exact_f1": m["exact_f1"], "mention_overlap_f1": m["overlap_f1"],
            "coref_b3_f1": c["f1"], "timex_value_f1": t["value_f1"], "timex_relaxed_f1": t["relaxed_f1"]}


def eval_meantime(path: Path, analyser: Analyser) -> EvalReport:
    from wirescope.eval.meantime import read_meantime_docs
    from wirescope.model import Document

    docs = read_meantime_docs(path)
    analyses = analyser.analyse(Document(d.text, published=d.dct.isoformat() if d.dct else None, source=d.path)
                                for d in docs)
    scores = score_meantime(docs, analyses)
    m, c = scores["mentions"], scores["coref"]
    tables = [
        EvalTable("Named mentions (PER/ORG/LOC proper names)", ["match", "P", "R", "F1", "gold", "pred"],
                  [_prf_row("exact", m["exact_p"], m["exact_r"], m["exact_f1"], m["gold"], m["predicted"]),
                   _prf_row("overlap", m["overlap_p"], m["overlap_r"], m["overlap_f1"], m["gold"], m["predicted"])]),
        EvalTable("In-document coreference (B-cubed over detected gold mentions)",
                  ["metric", "P", "R", "F1", "gold", "detected"],
                  [_prf_row("B-cubed", c["p"], c["r"], c["f1"], c["gold"], c["detected"])]),
        _timex_table("TIMEX3", [("wirescope", scores["timex"])]),
    ]
    return EvalReport("meantime", str(path), len(docs), meantime_metrics(scores), tables, scores)


def eval_plover(path: Path, analyser: Analyser) -> EvalReport:
    from wirescope.eval.plover import load_records, score
    from wirescope.model import Document

    records = load_records(path)
    analyses = analyser.analyse(Document(r.text, published=r.date, source=r.id) for r in records)
    s = score(records, analyses)
    tables = [
        EvalTable("PLOVER events", ["records", "type accuracy", "source match", "with an event"],
                  [[s["records"], round(s["type_accuracy"], 4), round(s["source_match"], 4), round(s["with_event"], 4)]]),
        EvalTable("Per gold type", ["type", "records", "type right", "source right"],
                  [[t, c.get("n", 0), c.get("type", 0), c.get("source", 0)] for t, c in s["per_type"].items()]),
    ]
    return EvalReport("plover", str(path), s["records"],
                      {"type_accuracy": s["type_accuracy"], "source_match": s["source_match"]}, tables, s)


def eval_brat(path: Path, analyser: Analyser) -> EvalReport:
    from wirescope.eval.brat import parse_ann, read_brat, score_attribution
    from wirescope.model import Document

    if path.is_file():  # one NAME.ann: its NAME.txt beside it
        txt = path.with_suffix(".txt")
        docs = [parse_ann(path.stem, txt.read_text(encoding="utf-8"), path.read_text(encoding="utf-8"))]
    else:
        docs = read_brat(path)
    analyses = analyser.analyse(Document(d.text, source=d.name) for d in docs)
    s = score_attribution(docs, {d.name: a for d, a in zip(docs, analyses)})
    tables = [EvalTable("Attribution (content at 50% overlap)",
                        ["gold", "pred", "matched", "P", "R", "F1", "speaker acc", "cue acc"],
                        [[s["gold"], s["predicted"], s["matched"], round(s["precision"], 4), round(s["recall"], 4),
                          round(s["f1"], 4), round(s["speaker_accuracy"], 4), round(s["cue_accuracy"], 4)]])]
    metrics = {"content_f1": s["f1"], "content_p": s["precision"], "content_r": s["recall"],
               "speaker_accuracy": s["speaker_accuracy"], "cue_accuracy": s["cue_accuracy"]}
    return EvalReport("brat", str(path), len(docs), metrics, tables, s)


EVALUATORS: dict[str, Callable[[Path, Analyser], EvalReport]] = {
    "gold": eval_gold, "timeml": eval_timeml, "meantime": eval_meantime, "plover": eval_plover, "brat": eval_brat,
}


def evaluate(path: str | Path, kind: str | None = None, analyser: Analyser | None = None) -> EvalReport:
    """Evaluate the pipeline on the gold at path (format detected unless kind is given)."""
    from wirescope.errors import InputError

    path = Path(path)
    if not path.exists():
        raise InputError("E201", path=str(path), reason="no such file or folder")
    kind = kind or detect_kind(path)
    if kind is None:
        raise InputError("E201", path=str(path),
                         reason="not a recognised gold format (.gold.json, .tml, MEANTIME .xml, PLOVER .json, brat .ann)")
    if kind not in EVALUATORS:
        raise InputError("E201", path=str(path), reason=f"unknown gold kind '{kind}' (valid: {', '.join(KINDS)})")
    analyser = analyser or Analyser()
    seen = len(analyser.warnings)
    try:
        report = EVALUATORS[kind](path, analyser)
    except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
        raise InputError("E201", path=str(path), reason=f"not readable as {kind} gold ({type(exc).__name__}: {exc})") from exc
    if report.documents == 0:
        raise InputError("E201", path=str(path), reason=f"no {kind} gold documents found in it")
    report.warnings.extend(analyser.warnings[seen:])
    return report
