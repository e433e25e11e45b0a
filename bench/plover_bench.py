"""PLOVER event coding on the PLOVER GSR (CAMEO manual) DEV records.

    python -m bench.plover_bench [--data PATH] [--errors]

Prints event-type accuracy (the gold PLOVER type, folded to the contract's 16, is among the events
predicted for the sentence) and source-actor match (a predicted event's source entity has a mention
overlapping the gold source actorText), with a "nothing" row (no events: the floor) and per-type rows.
"""
from __future__ import annotations

import argparse
import sys
import time

from wirescope.eval.plover import default_path, load_records, score, score_record


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(default_path()))
    ap.add_argument("--errors", action="store_true", help="list the sentences whose type was missed")
    args = ap.parse_args(argv)

    from wirescope.analyse.pipeline import Pipeline
    from wirescope.model import Analysis, Document

    records = load_records(args.data)
    pipeline = Pipeline()
    started = time.perf_counter()
    analyses = [pipeline.analyse(Document(r.text, published=r.date)) for r in records]
    elapsed = time.perf_counter() - started
    nothing = score(records, [Analysis(document=Document(r.text)) for r in records])
    result = score(records, analyses)
    print(f"PLOVER GSR dev: {result['records']} sentences, {elapsed:.1f}s")
    print(f"{'system':10} {'type_acc':>9} {'source':>7} {'with_event':>10}")
    for name, r in (("nothing", nothing), ("wirescope", result)):
        print(f"{name:10} {r['type_accuracy']:9.3f} {r['source_match']:7.3f} {r['with_event']:10.3f}")
    print("per type (n, type ok, source ok):")
    for t, c in result["per_type"].items():
        print(f"  {t:10} {c.get('n', 0):3d} {c.get('type', 0):3d} {c.get('source', 0):3d}")
    if args.errors:
        for rec, an in zip(records, analyses):
            s = score_record(rec, an)
            if not s["type"]:
                got = ",".join(sorted({e.type for e in an.events})) or "-"
                print(f"MISS {rec.type:9} got {got:20} {rec.text[:110]}")
    print(f"event-type accuracy {result['type_accuracy']:.3f}  source-actor match {result['source_match']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
