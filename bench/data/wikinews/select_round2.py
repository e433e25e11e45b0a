"""Round 2 of the Wikinews 2019 annotation set: a fresh open and sealed half. The rule was written
and committed before any of these articles was annotated or run through wirescope, and is not to be
changed afterwards.

Why a round 2: round 1's sealed half (sealed/w21..w40) was scored once at the end of the previous
round; it has been looked at and is now tuned on, like open/w01..w20.

Selection: the same ranking as round 1 (select_split.py: 150 to 700 words, density of the fixed
conflict / crime / politics word list, ties broken by the SHA-256 of the URL); drop the 40 articles
of round 1; take the next 40 of the ranking.
Split: order those 40 by the SHA-256 of "round2:" + URL; the first 20 are open (open/w41..w60,
tuning), the last 20 sealed (sealed2/w61..w80), scored once at the end of the round.
Annotators: four, ten articles each (w41-w45 + w61-w65, w46-w50 + w66-w70, ...), given only the
guide, the seed's text and gold and their articles; they do not know which half an article is in.
"""
import hashlib
import json
import sys
from pathlib import Path

from select_split import key, select


def round2(path, n=40):
    first_open, first_sealed = select(path, 40)
    taken = {row["url"] for row in first_open + first_sealed}
    ranked = [row for row in _ranked(path) if row["url"] not in taken][:n]
    ranked.sort(key=lambda row: hashlib.sha256(("round2:" + row["url"]).encode("utf-8")).hexdigest())
    return ranked[: n // 2], ranked[n // 2 :]


def _ranked(path):
    # select() with a large n returns every eligible article, ranked then split in two by URL
    # hash; re-rank here with the same score so that "the next 40" means the next 40 of the score.
    import re
    from select_split import WORDS
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    scored = []
    for row in rows:
        if not 150 <= len(row["text"].split()) <= 700:
            continue
        words = re.findall(r"[A-Za-z']+", row["title"] + " " + row["text"])
        hits = sum(1 for w in words if w.lower() in WORDS)
        scored.append((-hits / len(words), key(row["url"]), row))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [row for _, _, row in scored]


if __name__ == "__main__":
    source = sys.argv[1] if len(sys.argv) > 1 else "../../../../shared/data/wikinews-2019/articles.jsonl"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(".")
    open_half, sealed = round2(source)
    for folder, half, start in (("open", open_half, 41), ("sealed2", sealed, 61)):
        (out / folder).mkdir(parents=True, exist_ok=True)
        for i, row in enumerate(half, start):
            name = f"w{i:02d}"
            (out / folder / f"{name}.txt").write_text(row["text"] + "\n", encoding="utf-8")
            (out / folder / f"{name}.meta.json").write_text(json.dumps(
                {k: row[k] for k in ("title", "published", "url", "outlet")}, indent=1) + "\n", encoding="utf-8")
