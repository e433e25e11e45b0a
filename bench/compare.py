"""wirescope beside the tools a user would otherwise pick, in one run, package versions printed.

    python -m bench.compare [--task entities,times,attribution] [--json]

Tasks, each with a dict of runners (peers are imported lazily and reported as unavailable when
missing; "everything" and "nothing" are sanity baselines that frame the numbers):

- entities (MEANTIME DEV, named PER/ORG/LOC mentions; wirescope.eval.meantime.score_mentions):
  wirescope; spacy-ner (the same spaCy model's doc.ents alone: PERSON -> PER, ORG -> ORG,
  GPE/LOC/FAC -> LOC); everything (every word token a name); nothing.
- times (MEANTIME DEV TIMEX3 against each article's creation time; timex_eval.score_timex):
  wirescope; dateparser (dateparser.search.search_dates anchored on the creation time, each hit's
  value written at the precision dateparser reports: year, month, day or time); everything
  (every word token a DATE valued the creation date); nothing.
- attribution (brat dev set bench/data/attribution; brat.score_attribution): wirescope;
  textacy-quotes (textacy.extract.triples.direct_quotations on the same parse: direct quotations
  only); everything (every sentence a statement with no speaker); nothing.

Only the annotated part of each MEANTIME article is scored (the peers read only that part).
The spaCy parse is shared: wirescope parses each text once and the spaCy-based peers reuse it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

from bench.gate import SHARED
from wirescope.eval import Analyser

BENCH = Path(__file__).resolve().parent
MEANTIME = SHARED / "data" / "meantime-en"
ATTRIBUTION = BENCH / "data" / "attribution"
_WORD = re.compile(r"\w[\w'’.-]*")
_SENTENCE = re.compile(r"[^\s].*?(?:[.!?][\"”’]?(?=\s)|$)", re.M)


class Unavailable(Exception):
    """A peer whose package is not installed."""


def version_of(*packages: str) -> str | None:
    for name in packages:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


@dataclass
class Context:
    """What the runners share: the analyser (one parse per text) and the gold, read once."""
    analyser: Analyser
    _cache: dict[str, Any] = field(default_factory=dict)

    def meantime(self) -> list:
        if "meantime" not in self._cache:
            from wirescope.eval.meantime import read_meantime_docs

            self._cache["meantime"] = read_meantime_docs(MEANTIME)
        return self._cache["meantime"]

    def brat(self) -> list:
        if "brat" not in self._cache:
            from wirescope.eval.brat import read_brat

            self._cache["brat"] = read_brat(ATTRIBUTION)
        return self._cache["brat"]

    def analyses(self, name: str) -> list:
        """wirescope's analyses of a corpus ("meantime" or "brat"), computed once."""
        key = f"analyses:{name}"
        if key not in self._cache:
            from wirescope.model import Document

            if name == "meantime":
                docs = [Document(d.text, published=d.dct.isoformat() if d.dct else None, source=d.path)
                        for d in self.meantime()]
            else:
                docs = [Document(d.text, source=d.name) for d in self.brat()]
            self._cache[key] = self.analyser.analyse(docs)
        return self._cache[key]

    def parses(self, name: str) -> list:
        """The spaCy docs of a corpus, from the analyser's parse cache."""
        texts = [d.text for d in (self.meantime() if name == "meantime" else self.brat())]
        self.analyses(name)
        return [self.analyser.cache[t] for t in texts]

    def spacy_versions(self) -> dict[str, str]:
        meta = self.analyser.pipeline.nlp.meta
        return {"spacy": version_of("spacy") or "?", "spacy_model": f"{meta.get('name', '?')}-{meta.get('version', '?')}"}


# ---- entities --------------------------------------------------------------------------------
SPACY_LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}


def entities_wirescope(ctx: Context) -> dict:
    return {d.id: a for d, a in zip(ctx.meantime(), ctx.analyses("meantime"))}


def entities_spacy(ctx: Context) -> dict:
    from wirescope.eval.meantime import PredictedMention

    out = {}
    for d, doc in zip(ctx.meantime(), ctx.parses("meantime")):
        out[d.id] = [PredictedMention(e.start_char, e.end_char, f"s{i}", SPACY_LABELS[e.label_], True)
                     for i, e in enumerate(doc.ents) if e.label_ in SPACY_LABELS]
    return out


def entities_everything(ctx: Context) -> dict:
    from wirescope.eval.meantime import PredictedMention

    return {d.id: [PredictedMention(m.start(), m.end(), f"w{i}", "", True) for i, m in enumerate(_WORD.finditer(d.text))]
            for d in ctx.meantime()}


def entities_nothing(ctx: Context) -> dict:
    return {d.id: [] for d in ctx.meantime()}


def score_entities(ctx: Context, predictions: dict) -> dict:
    from wirescope.eval.meantime import score_mentions

    s = score_mentions(ctx.meantime(), predictions)
    return {"exact_f1": s["exact_f1"], "overlap_p": s["overlap_p"], "overlap_r": s["overlap_r"],
            "overlap_f1": s["overlap_f1"], "predicted": s["predicted"]}


# ---- times -----------------------------------------------------------------------------------
def times_wirescope(ctx: Context) -> list[dict]:
    from wirescope.eval.meantime import timex_predictions

    return [t for d, a in zip(ctx.meantime(), ctx.analyses("meantime")) for t in timex_predictions(d, a)]


def _dateparser_value(when: dt.datetime, period: str | None) -> str:
    if period == "year":
        return f"{when.year:04d}"
    if period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if period == "time":
        return when.strftime("%Y-%m-%dT%H:%M")
    return when.date().isoformat()


def times_dateparser(ctx: Context) -> list[dict]:
    try:
        from dateparser.date import DateDataParser
        from dateparser.search import search_dates
    except ImportError as exc:
        raise Unavailable(str(exc)) from None
    out = []
    for d in ctx.meantime():
        text = d.text[:d.annotated_end] if d.annotated_end is not None else d.text
        settings = {"RELATIVE_BASE": dt.datetime.combine(d.dct, dt.time())} if d.dct else {}
        periods = DateDataParser(languages=["en"], settings=settings or None)
        cursor = 0
        for surface, when in search_dates(text, languages=["en"], settings=settings or None) or []:
            start = text.find(surface, cursor)
            if start < 0:
                continue
            cursor = start + len(surface)
            period = periods.get_date_data(surface).period
            out.append({"doc": d.id, "start": start, "end": cursor, "type": "TIME" if period == "time" else "DATE",
                        "value": _dateparser_value(when, period)})
    return out


def times_everything(ctx: Context) -> list[dict]:
    return [{"doc": d.id, "start": m.start(), "end": m.end(), "type": "DATE",
             "value": d.dct.isoformat() if d.dct else None}
            for d in ctx.meantime() for m in _WORD.finditer(d.text) if d.in_scope(m.start())]


def times_nothing(ctx: Context) -> list[dict]:
    return []


def score_times(ctx: Context, predictions: list[dict]) -> dict:
    from wirescope.eval.timex_eval import score_timex

    s = score_timex([t for d in ctx.meantime() for t in d.timexes], predictions)
    return {k: s[k] for k in ("strict_f1", "relaxed_p", "relaxed_r", "relaxed_f1", "value_accuracy", "value_f1", "predicted")}


# ---- attribution -----------------------------------------------------------------------------
def attribution_wirescope(ctx: Context) -> dict:
    return {d.name: a for d, a in zip(ctx.brat(), ctx.analyses("brat"))}


def _char_span(doc: Any, tokens: list) -> dict | None:
    if not tokens:
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return {"start": start, "end": end, "text": doc.text[start:end]}


def attribution_textacy(ctx: Context) -> dict:
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError as exc:
        raise Unavailable(str(exc)) from None
    out = {}
    for d, doc in zip(ctx.brat(), ctx.parses("brat")):
        statements = []
        try:
            triples = list(direct_quotations(doc))
        except Exception:  # a peer failing on one document: no output for it
            triples = []
        for i, (speaker, cue, content) in enumerate(triples):
            statements.append({"speaker": f"q{i}" if speaker else None, "content": _char_span(doc, list(content)),
                               "speaker_span": _char_span(doc, list(speaker)), "cue_span": _char_span(doc, list(cue))})
        out[d.name] = statements
    return out


def attribution_everything(ctx: Context) -> dict:
    return {d.name: [{"speaker": None, "content": {"start": m.start(), "end": m.end(), "text": m.group()}}
                     for m in _SENTENCE.finditer(d.text)] for d in ctx.brat()}


def attribution_nothing(ctx: Context) -> dict:
    return {d.name: [] for d in ctx.brat()}


def score_attribution_task(ctx: Context, predictions: dict) -> dict:
    from wirescope.eval.brat import score_attribution

    s = score_attribution(ctx.brat(), predictions)
    return {k: s[k] for k in ("precision", "recall", "f1", "speaker_accuracy", "cue_accuracy", "predicted")}


# ---- the table of runners --------------------------------------------------------------------
@dataclass(frozen=True)
class Task:
    data: str
    score: Callable[[Context, Any], dict]
    runners: dict[str, Callable[[Context], Any]]
    versions: dict[str, Callable[[Context], dict[str, str | None]]]  # runner -> its package versions


def _wirescope_versions(ctx: Context) -> dict[str, str | None]:
    return {"wirescope": version_of("wirescope"), **ctx.spacy_versions()}


TASKS: dict[str, Task] = {
    "entities": Task(
        "MEANTIME DEV: named PER/ORG/LOC mentions", score_entities,
        {"wirescope": entities_wirescope, "spacy-ner": entities_spacy,
         "everything": entities_everything, "nothing": entities_nothing},
        {"wirescope": _wirescope_versions, "spacy-ner": lambda ctx: ctx.spacy_versions()}),
    "times": Task(
        "MEANTIME DEV: TIMEX3 against the creation time", score_times,
        {"wirescope": times_wirescope, "dateparser": times_dateparser,
         "everything": times_everything, "nothing": times_nothing},
        {"wirescope": _wirescope_versions, "dateparser": lambda ctx: {"dateparser": version_of("dateparser")}}),
    "attribution": Task(
        "brat dev set in bench/data/attribution: statements", score_attribution_task,
        {"wirescope": attribution_wirescope, "textacy-quotes": attribution_textacy,
         "everything": attribution_everything, "nothing": attribution_nothing},
        {"wirescope": _wirescope_versions,
         "textacy-quotes": lambda ctx: {"textacy": version_of("textacy"), **ctx.spacy_versions()}}),
}


def run(tasks: list[str] | None = None, analyser: Analyser | None = None) -> dict[str, dict]:
    """{task: {"data", "rows": [{"runner", "scores" | "unavailable", "seconds", "versions"}]}}."""
    ctx = Context(analyser or Analyser())
    out: dict[str, dict] = {}
    for name in tasks or list(TASKS):
        task = TASKS[name]
        rows = []
        for runner_name, runner in task.runners.items():
            started = time.perf_counter()
            try:
                predictions = runner(ctx)
            except Unavailable as exc:
                rows.append({"runner": runner_name, "unavailable": str(exc)})
                continue
            seconds = time.perf_counter() - started
            version = task.versions.get(runner_name)
            rows.append({"runner": runner_name, "scores": task.score(ctx, predictions), "seconds": round(seconds, 2),
                         "versions": version(ctx) if version else {}})
        out[name] = {"data": task.data, "rows": rows}
    return out


HEADLINES = {"entities": ("overlap_p", "overlap_r", "overlap_f1", "exact_f1"),
             "times": ("relaxed_p", "relaxed_r", "relaxed_f1", "value_f1"),
             "attribution": ("precision", "recall", "f1", "speaker_accuracy")}


def _versions_text(v: dict) -> str:
    return ", ".join(f"{k} {x}" for k, x in v.items() if x) or "-"


def text_table(results: dict[str, dict]) -> str:
    lines = []
    for name, res in results.items():
        cols = HEADLINES[name]
        lines.append(f"{name}: {res['data']}")
        widths = [max(10, len(c)) + 2 for c in cols]
        head = f"  {'runner':<15}" + "".join(f"{c:>{w}}" for c, w in zip(cols, widths)) + f"{'pred':>7}{'sec':>7}  versions"
        lines += [head, "  " + "-" * (len(head) + 20)]
        for row in res["rows"]:
            if "unavailable" in row:
                lines.append(f"  {row['runner']:<15} unavailable ({row['unavailable']})")
                continue
            s = row["scores"]
            lines.append(f"  {row['runner']:<15}" + "".join(f"{s[c]:>{w}.3f}" for c, w in zip(cols, widths))
                         + f"{s['predicted']:>7}{row['seconds']:>7.1f}  {_versions_text(row['versions'])}")
        lines.append("")
    return "\n".join(lines)


def markdown_table(results: dict[str, dict]) -> str:
    lines = []
    for name, res in results.items():
        cols = HEADLINES[name]
        lines += [f"**{name}** ({res['data']})", "", "| runner | " + " | ".join(cols) + " | versions |",
                  "|---|" + "---:|" * len(cols) + "---|"]
        for row in res["rows"]:
            if "unavailable" in row:
                lines.append(f"| {row['runner']} | " + " | ".join("n/a" for _ in cols) + " | not installed |")
                continue
            s = row["scores"]
            lines.append(f"| {row['runner']} | " + " | ".join(f"{s[c]:.3f}" for c in cols)
                         + f" | {_versions_text(row['versions'])} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--task", default=",".join(TASKS), help=f"comma-separated tasks (default: all of {', '.join(TASKS)})")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the tables")
    args = ap.parse_args(argv)
    tasks = [t.strip() for t in args.task.split(",") if t.strip()]
    unknown = [t for t in tasks if t not in TASKS]
    if unknown:
        print(f"error: unknown task {', '.join(unknown)}; valid: {', '.join(TASKS)}", file=sys.stderr)
        return 2
    results = run(tasks)
    if args.json:
        print(json.dumps(results, indent=1, default=str))
    else:
        print(f"python {sys.version.split()[0]}")
        print(text_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
