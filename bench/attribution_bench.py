"""Statements (attribution) against brat gold: `python -m bench.attribution_bench [FOLDER]`.

FOLDER holds NAME.txt + NAME.ann pairs with Source / Cue / Content annotations (PolNeAR-like; see
wirescope/eval/brat.py for what is read and how it is scored). Without FOLDER the small dev set
written for this bench (bench/data/attribution/) is used. Two sanity runners frame the numbers:
"nothing" (no statements) and "sentences" (every sentence a statement with no speaker).
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from wirescope.eval.brat import read_brat, score_attribution

DEFAULT = Path(__file__).resolve().parent / "data" / "attribution"
TARGETS = {"f1": 0.75, "speaker_accuracy": 0.85}


def run_wirescope(docs, pipeline=None) -> dict:
    from wirescope.analyse.pipeline import Pipeline
    from wirescope.model import Document

    pipeline = pipeline or Pipeline()
    return {d.name: pipeline.analyse(Document(d.text, source=d.name)) for d in docs}


def run_nothing(docs) -> dict:
    return {d.name: [] for d in docs}


_SENTENCE = re.compile(r"[^\s].*?(?:[.!?](?=\s)|$)", re.M)


def run_sentences(docs) -> dict:
    out = {}
    for d in docs:
        out[d.name] = [{"speaker": None, "content": {"start": m.start(), "end": m.end(), "text": m.group()}}
                       for m in _SENTENCE.finditer(d.text)]
    return out


def table(rows: list[tuple[str, dict, float]]) -> str:
    head = f"{'runner':<12} {'docs':>4} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6} {'speaker':>8} {'cue':>6} {'sec':>6}"
    lines = [head, "-" * len(head)]
    for name, s, secs in rows:
        lines.append(f"{name:<12} {len(s['per_doc']):>4} {s['gold']:>5} {s['predicted']:>5} {s['matched']:>5} "
                     f"{s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} {s['speaker_accuracy']:>8.3f} "
                     f"{s['cue_accuracy']:>6.3f} {secs:>6.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.attribution_bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", nargs="?", default=str(DEFAULT), help="brat folder (default: the bundled dev set)")
    ap.add_argument("--per-doc", action="store_true", help="also print each document's counts")
    args = ap.parse_args(argv)
    docs = read_brat(args.folder)
    if not docs:
        print(f"error: no NAME.txt + NAME.ann pairs under {args.folder}", file=sys.stderr)
        return 2
    rows = []
    for name, runner in (("nothing", run_nothing), ("sentences", run_sentences), ("wirescope", run_wirescope)):
        started = time.perf_counter()
        predictions = runner(docs)
        rows.append((name, score_attribution(docs, predictions), time.perf_counter() - started))
    print(f"attribution bench on {args.folder} ({len(docs)} documents)")
    print(table(rows))
    ours = rows[-1][1]
    if args.per_doc:
        print()
        for doc, c in ours["per_doc"].items():
            print(f"  {doc:<40} gold {c['gold']:>3} pred {c['predicted']:>3} match {c['matched']:>3} "
                  f"speaker {c['speaker_right']}/{c['speaker_total']}")
    print("targets on held-out real data: " + ", ".join(f"{k} >= {v}" for k, v in TARGETS.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
