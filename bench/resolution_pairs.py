"""Cross-document resolution on hand-written article pairs: false merges and true-pair recall.

    python -m bench.resolution_pairs [--set open|sealed] [--ids p001,p003] [--why] [--json] [--stages LIST]

Each pair of bench/data/resolution_pairs/<set>.jsonl (fields: id, kind same|different, a and b
with text, published and outlet, name_a, name_b) is run through the real entry path: a fresh
SQLite knowledge base (`wirescope.flow.open_kb`), the full analysis pipeline, `Ingest.store` of
article a then article b. The actor named `name_a` in a (the document actor with a mention that
covers the first occurrence of the name, else one whose name or alias is the name) and the actor
named `name_b` in b are looked up in `doc_entities` and followed through merges; the pair counts
as merged when both end at the same knowledge-base actor.

It reports false merges (kind=different, merged), true-pair recall (kind=same, merged) and lists
every failure, with the resolver's judgements on b's actor when --why is given. An actor the
pipeline does not find counts as not merged (reported as "not found"); so does a document the
pipeline or the store fails on (counted and shown as "documents not stored").

`--set sealed` is the project lead's held-out half: it is scored once, at the end of a piece of
work, never while tuning.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "resolution_pairs"
SETS = ("open", "sealed", "open2", "sealed2", "open3", "sealed3", "pairs")


def load(name: str) -> list[dict]:
    with open(DATA / f"{name}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def find_actor(analysis, name: str):
    """The document actor named `name`: the one whose mention covers the name's first occurrence
    best, else one whose name or alias is the name (case-insensitive); None when there is none."""
    text = analysis.document.text
    start = text.find(name)
    best, best_overlap = None, 0
    if start >= 0:
        end = start + len(name)
        for e in analysis.entities:
            for m in e.mentions:
                overlap = min(end, m.end) - max(start, m.start)
                # a tie goes to the tighter mention ("Raúl Castro" over "Raúl Castro's government")
                if overlap > best_overlap or (overlap == best_overlap and overlap > 0 and best is not None
                                              and (m.end - m.start) < best[1]):
                    best, best_overlap = (e, m.end - m.start), overlap
    if best is not None:
        return best[0]
    folded = name.casefold()
    for e in analysis.entities:
        if any(n.casefold() == folded for n in [e.name, *e.aliases]):
            return e
    return None


def run_pair(pair: dict, pipeline, workdir: Path, why: bool = False) -> dict:
    from sqlalchemy import select

    from wirescope.errors import WirescopeError
    from wirescope.flow import Ingest, open_kb
    from wirescope.model import Analysis, Document
    from wirescope.resolve.judgements import canonical
    from wirescope.store import schema as S

    kb = open_kb(f"sqlite:///{workdir / (pair['id'] + '.db')}")
    try:
        errors: list[str] = []
        flow = Ingest(kb, on_error=lambda exc: errors.append(f"[{exc.code}] {exc.message}"))
        analyses = []
        for side in ("a", "b"):
            doc = pair[side]
            try:
                analysis = pipeline.analyse(Document(doc["text"], published=doc.get("published"), outlet=doc.get("outlet")))
            except WirescopeError as exc:  # counted as not found, and reported
                errors.append(f"[{exc.code}] {exc.message}")
                analysis = Analysis(Document(doc["text"], published=doc.get("published"), outlet=doc.get("outlet")))
            flow.store(analysis)
            analyses.append(analysis)
        out = {"id": pair["id"], "kind": pair["kind"], "name_a": pair["name_a"], "name_b": pair["name_b"],
               "merged": False, "found": [None, None], "kb": [None, None], "errors": errors}
        with kb.engine.connect() as conn:
            for i, (analysis, name) in enumerate(zip(analyses, (pair["name_a"], pair["name_b"]))):
                actor = find_actor(analysis, name)
                if actor is None:
                    continue
                out["found"][i] = f"{actor.name} ({actor.type})"
                raw = conn.execute(select(S.doc_entities.c.kb_entity).where(
                    S.doc_entities.c.doc_id == analysis.document.id,
                    S.doc_entities.c.local_id == actor.id)).scalar()
                if raw is not None:
                    out["kb"][i] = canonical(conn, raw)
                if why and i == 1:
                    j = S.judgements
                    rows = conn.execute(select(j.c.left, j.c.decision, j.c.score, j.c.explanation).where(
                        j.c.right == f"{analysis.document.id}/{actor.id}")).all()
                    out["why"] = [{"left": r.left, "decision": r.decision, "score": r.score,
                                   "explanation": r.explanation} for r in rows]
        out["merged"] = out["kb"][0] is not None and out["kb"][0] == out["kb"][1]
        return out
    finally:
        kb.close()


def score(results: list[dict]) -> dict:
    same = [r for r in results if r["kind"] == "same"]
    different = [r for r in results if r["kind"] == "different"]
    merged_same = sum(r["merged"] for r in same)
    false_merges = [r for r in different if r["merged"]]
    return {"pairs": len(results), "same": len(same), "different": len(different),
            "true_merged": merged_same, "recall": merged_same / len(same) if same else 1.0,
            "false_merges": len(false_merges),
            "false_merge_rate": len(false_merges) / len(different) if different else 0.0}


def failures(results: list[dict]) -> list[dict]:
    return [r for r in results if r["merged"] != (r["kind"] == "same")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=SETS, default="open", help="which half to score (sealed: once, at the end)")
    ap.add_argument("--ids", default="", help="only these pair ids (comma-separated)")
    ap.add_argument("--why", action="store_true", help="show the resolver's judgements on a failed pair's b actor")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--stages", default="", help="analysis stages (comma-separated; default: all)")
    args = ap.parse_args(argv)
    from wirescope.analyse.pipeline import Pipeline
    from wirescope.settings import DEFAULT_STAGES, Settings

    pairs = load(args.set)
    if args.ids:
        wanted = {i.strip() for i in args.ids.split(",") if i.strip()}
        pairs = [p for p in pairs if p["id"] in wanted]
    stages = tuple(s.strip() for s in args.stages.split(",") if s.strip()) or DEFAULT_STAGES
    pipeline = Pipeline(Settings(stages=stages))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        results = [run_pair(p, pipeline, Path(tmp), why=args.why) for p in pairs]
    elapsed = time.perf_counter() - started
    summary = score(results)
    failed = failures(results)
    stored_errors = [e for r in results for e in r["errors"]]
    summary["store_errors"] = len(stored_errors)
    if args.json:
        print(json.dumps({"set": args.set, **summary, "seconds": round(elapsed, 1), "failures": failed},
                         ensure_ascii=False, default=str))
        return 0
    print(f"resolution pairs ({args.set}): {summary['pairs']} pairs, {summary['same']} same, "
          f"{summary['different']} different ({elapsed:.1f} s; stages {', '.join(stages)})")
    print(f"  false merges        {summary['false_merges']} of {summary['different']} different pairs")
    print(f"  true-pair recall    {summary['true_merged']}/{summary['same']} = {summary['recall']:.1%}")
    if stored_errors:
        print(f"  documents the pipeline or the store failed on: {len(stored_errors)} (first: {stored_errors[0]})")
    if failed:
        print("\nfailures:")
    for r in failed:
        what = "FALSE MERGE" if r["kind"] == "different" else "missed"
        found = " / ".join(f or "not found" for f in r["found"])
        print(f"  {r['id']} {what:<11} {r['name_a']!r} vs {r['name_b']!r}: found {found}")
        for j in r.get("why", [])[:4]:
            names = [n for n in (j["explanation"] or {}).get("names") or [] if isinstance(n, dict)]
            how = ", ".join(f"{n.get('how')} {n.get('left')!r}~{n.get('right')!r}" for n in names[:2])
            extra = {k: v for k, v in (j["explanation"] or {}).items() if k in ("blocked", "conflict", "ambiguous",
                                                                                   "shared_actors", "countries")}
            print(f"      {j['decision']:<9} {j['score']} {how} {extra if extra else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
