"""Round 3 of the Wikinews 2019 annotation set: a fresh open and sealed half. The rule was written
and committed before any of these articles was annotated or run through wirescope, and is not to be
changed afterwards.

Why a round 3: round 2's sealed half (sealed2/w61..w80) was scored once at the end of round 2; it
has been looked at and is now tuned on, like open/ and round 1's sealed/.

Selection: the same ranking as rounds 1 and 2 (select_split.py: 150 to 700 words, density of the
fixed conflict / crime / politics word list, ties broken by the SHA-256 of the URL); drop the 80
articles of rounds 1 and 2; take the next 40 of the ranking.
Split: order those 40 by the SHA-256 of "round3:" + URL; the first 20 are open (open/w81..w100,
tuning), the last 20 sealed (sealed3/w101..w120), scored once at the end of round 3.
Annotators: four, ten articles each (w81-w85 + w101-w105, w86-w90 + w106-w110, ...), given only the
guide, the seed's text and gold and their articles; they do not know which half an article is in.
"""
import hashlib
import json
import sys
from pathlib import Path

from select_round2 import _ranked, round2
from select_split import select


def round3(path, n=40):
    first_open, first_sealed = select(path, 40)
    second_open, second_sealed = round2(path, 40)
    taken = {row["url"] for row in first_open + first_sealed + second_open + second_sealed}
    ranked = [row for row in _ranked(path) if row["url"] not in taken][:n]
    ranked.sort(key=lambda row: hashlib.sha256(("round3:" + row["url"]).encode("utf-8")).hexdigest())
    return ranked[: n // 2], ranked[n // 2 :]


if __name__ == "__main__":
    source = sys.argv[1] if len(sys.argv) > 1 else "../../../../shared/data/wikinews-2019/articles.jsonl"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(".")
    open_half, sealed = round3(source)
    for folder, half, start in (("open", open_half, 81), ("sealed3", sealed, 101)):
        (out / folder).mkdir(parents=True, exist_ok=True)
        for i, row in enumerate(half, start):
            name = f"w{i:02d}" if i < 100 else f"w{i}"
            (out / folder / f"{name}.txt").write_text(row["text"] + "\n", encoding="utf-8")
            (out / folder / f"{name}.meta.json").write_text(json.dumps(
                {k: row[k] for k in ("title", "published", "url", "outlet")}, indent=1) + "\n", encoding="utf-8")
