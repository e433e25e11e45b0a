"""Time stage benchmark: TIMEX3 quality on MEANTIME (DEV) and tagging throughput.

    python -m bench.time_bench [--data PATH] [--no-parse] [--errors] [--repeat N]

Quality follows the TempEval-3 convention: relaxed (overlap) span F1, value accuracy on the
matched spans, value F1 = relaxed F1 x value accuracy. Each document is anchored on its creation
time (the TIMEX3 with functionInDocument="CREATION_TIME"); MEANTIME annotates only the first
sentences of each article, so predictions after the last annotated sentence are not scored (the
whole text is still tagged, for context and for the throughput figures). Rows: "nothing" (no predictions, a
sanity floor), the tagger without a parse (regex cues only), and with the spaCy parse.
Throughput counts tagging only (the parse is timed separately).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from wirescope.analyse.timex import resolve_dateline_date, tag_times
from wirescope.eval.timex_eval import read_meantime, score_timex

DEFAULT_DATA = Path(os.environ.get("WIRESCOPE_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "data" / "meantime-en"


def anchor_of(d):
    """The document date, as the stage gets it: metadata (the DCT), else the dateline."""
    return d.dct or resolve_dateline_date(d.text)


def predict(docs, parsed=None):
    out = []
    for i, d in enumerate(docs):
        doc = parsed[i] if parsed is not None else None
        for t in tag_times(d.text, anchor_of(d), doc):
            if not d.in_scope(t.start):
                continue
            out.append({"doc": d.id, "start": t.start, "end": t.end, "type": t.type, "value": t.value, "text": t.text})
    return out


def throughput(docs, parsed, repeat: int) -> tuple[float, float, float]:
    n_expr = 0
    started = time.perf_counter()
    for _ in range(repeat):
        for i, d in enumerate(docs):
            n_expr += len(tag_times(d.text, anchor_of(d), parsed[i] if parsed is not None else None))
    elapsed = time.perf_counter() - started
    return n_expr / elapsed, len(docs) * repeat / elapsed, sum(len(d.text) for d in docs) * repeat / elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="MEANTIME folder or file")
    ap.add_argument("--no-parse", action="store_true", help="skip the spaCy rows")
    ap.add_argument("--errors", action="store_true", help="list gold/predicted mismatches")
    ap.add_argument("--repeat", type=int, default=20, help="passes over the corpus for throughput")
    args = ap.parse_args(argv)

    docs = read_meantime(args.data)
    if not docs:
        print(f"no MEANTIME documents under {args.data}", file=sys.stderr)
        return 1
    gold = [t for d in docs for t in d.timexes]
    rows = [("nothing", score_timex(gold, []), None)]
    tag_times("warm up on March 3, 2021", None)  # compile the patterns outside the timings
    rows.append(("tagger, no parse", score_timex(gold, predict(docs)), throughput(docs, None, args.repeat)))
    parse_rate = None
    parsed = None
    if not args.no_parse:
        from wirescope.analyse.pipeline import load_spacy

        nlp = load_spacy(None)
        started = time.perf_counter()
        parsed = list(nlp.pipe([d.text for d in docs]))
        parse_rate = len(docs) / (time.perf_counter() - started)
        rows.append(("tagger + spaCy parse", score_timex(gold, predict(docs, parsed)),
                     throughput(docs, parsed, max(1, args.repeat // 4))))

    print(f"MEANTIME: {len(docs)} documents, {len(gold)} gold TIMEX3 ({sum(t.dct for t in gold)} of them the DCT)")
    head = f"{'system':22} {'strictF1':>8} {'relP':>6} {'relR':>6} {'relF1':>6} {'typeAcc':>7} {'valAcc':>6} {'valF1':>6} {'expr/s':>9} {'docs/s':>8} {'chars/s':>10}"
    print(head)
    print("-" * len(head))
    for name, s, tp in rows:
        speed = f"{tp[0]:9.0f} {tp[1]:8.0f} {tp[2]:10.0f}" if tp else f"{'':9} {'':8} {'':10}"
        print(f"{name:22} {s['strict_f1']:8.3f} {s['relaxed_p']:6.3f} {s['relaxed_r']:6.3f} {s['relaxed_f1']:6.3f} "
              f"{s['type_accuracy']:7.3f} {s['value_accuracy']:6.3f} {s['value_f1']:6.3f} {speed}")
    if parse_rate:
        print(f"(spaCy parse alone: {parse_rate:.0f} docs/s)")
    if args.errors:
        pred = predict(docs, parsed)
        _print_errors(docs, gold, pred)
    return 0


def _print_errors(docs, gold, pred) -> None:
    by_doc = {d.id: d for d in docs}
    for d in docs:
        g = [t for t in gold if t.doc == d.id]
        p = [t for t in pred if t["doc"] == d.id]
        for t in g:
            hits = [x for x in p if x["start"] < t.end and t.start < x["end"]]
            if not hits:
                print(f"MISS  {d.id:8} {t.text!r:40} {t.type} {t.value}  dct={d.dct}")
            elif all(h["value"] != t.value for h in hits):
                h = hits[0]
                print(f"VALUE {d.id:8} {t.text!r:40} gold={t.value} ours={h['value']} ({h['text']!r}) dct={d.dct}")
        for x in p:
            if not any(x["start"] < t.end and t.start < x["end"] for t in g):
                ctx = by_doc[d.id].text[max(0, x["start"] - 30):x["end"] + 30].replace("\n", " ")
                print(f"EXTRA {d.id:8} {x['text']!r:40} {x['value']}   ...{ctx}...")


if __name__ == "__main__":
    raise SystemExit(main())
