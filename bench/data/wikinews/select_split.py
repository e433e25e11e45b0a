"""Select and split the Wikinews 2019 annotation set. The rule was written before any article
was annotated or run through wirescope, and is not to be changed afterwards.

Selection: from ../shared/data/wikinews-2019/articles.jsonl keep articles of 150 to 700 words;
score each by how many words of its title and text belong to a fixed conflict / crime / politics
word list (per 100 words); take the 40 best (ties broken by the SHA-256 of the URL).
Split: order those 40 by the SHA-256 of their URL; the first 20 are the open (tuning) half,
the last 20 the sealed half. Files are numbered in that order: w01..w20 open, w21..w40 sealed.
"""
import hashlib
import json
import re
import sys
from pathlib import Path

WORDS = set("""attack attacks attacked attacker attackers bomb bombing bombs bomber killed kill killing
shot shooting gunmen militant militants rebel rebels army military troops soldiers police arrested
arrest court charged sentenced trial prosecutor murder war forces airstrike strike strikes protest
protesters protests election elections minister president government parliament party opposition
sanctions accused denied terrorist terrorism terror insurgents taliban coup vote voted
minister's president's officials official spokesman""".split())


def key(url):
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def select(path, n=40):
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    scored = []
    for row in rows:
        words = re.findall(r"[A-Za-z']+", row["title"] + " " + row["text"])
        if not 150 <= len(row["text"].split()) <= 700:
            continue
        hits = sum(1 for w in words if w.lower() in WORDS)
        scored.append((-hits / len(words), key(row["url"]), row))
    scored.sort(key=lambda t: (t[0], t[1]))
    chosen = [row for _, _, row in scored[:n]]
    chosen.sort(key=lambda row: key(row["url"]))
    return chosen[: n // 2], chosen[n // 2 :]


if __name__ == "__main__":
    source = sys.argv[1] if len(sys.argv) > 1 else "../../../../shared/data/wikinews-2019/articles.jsonl"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(".")
    open_half, sealed = select(source)
    for folder, half, start in (("open", open_half, 1), ("sealed", sealed, 21)):
        (out / folder).mkdir(parents=True, exist_ok=True)
        for i, row in enumerate(half, start):
            name = f"w{i:02d}"
            (out / folder / f"{name}.txt").write_text(row["text"] + "\n", encoding="utf-8")
            (out / folder / f"{name}.meta.json").write_text(json.dumps(
                {k: row[k] for k in ("title", "published", "url", "outlet")}, indent=1) + "\n", encoding="utf-8")
