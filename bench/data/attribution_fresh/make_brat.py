"""Build NAME.txt + NAME.ann (brat standoff) from the marked-up sources in src/.

Markup (nestable): {S1:source words} {C1:cue words} {X1:content words}; one span may serve several
attributions ({S1,2:The ministry}). Several X spans with one number make one discontinuous Content.
Each src/NAME.src is written to tune/NAME.* or heldout/NAME.* as its first line says
("#split tune" / "#split heldout"). Run: python bench/data/attribution_fresh/make_brat.py
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROLES = {"S": "Source", "C": "Cue", "X": "Content"}
OPEN = re.compile(r"\{([SCX])([\d,]+):")


def text_so_far(out: list[str], i: int) -> str:
    return out[i]


def convert(marked: str) -> tuple[str, str]:
    out: list[str] = []
    pos = 0
    stack: list[tuple[str, list[int], int]] = []
    spans: list[tuple[str, list[int], int, int]] = []
    i = 0
    while i < len(marked):
        m = OPEN.match(marked, i)
        if m:
            stack.append((m.group(1), [int(n) for n in m.group(2).split(",")], pos))
            i = m.end()
            continue
        ch = marked[i]
        if ch == "}" and stack:
            role, ids, start = stack.pop()
            s_, e_ = start, pos
            while s_ < e_ and text_so_far(out, s_).isspace():
                s_ += 1
            while e_ > s_ and text_so_far(out, e_ - 1).isspace():
                e_ -= 1
            spans.append((role, ids, s_, e_))
            i += 1
            continue
        out.append(ch)
        pos += 1
        i += 1
    if stack:
        raise ValueError(f"unclosed span {stack}")
    text = "".join(out)
    lines: list[str] = []
    tid = 0
    by_att: dict[int, dict[str, list[str]]] = {}
    content_frags: dict[int, list[tuple[int, int]]] = {}
    for role, ids, s, e in sorted(spans, key=lambda t: (t[2], t[3])):
        if role == "X":
            assert len(ids) == 1, "a content belongs to one attribution"
            content_frags.setdefault(ids[0], []).append((s, e))
            continue
        tid += 1
        lines.append(f"T{tid}\t{ROLES[role]} {s} {e}\t{text[s:e]}")
        for a in ids:
            by_att.setdefault(a, {}).setdefault(role, []).append(f"T{tid}")
    for a, frags in sorted(content_frags.items()):
        tid += 1
        offs = ";".join(f"{s} {e}" for s, e in frags)
        lines.append(f"T{tid}\tContent {offs}\t{' '.join(text[s:e] for s, e in frags)}")
        by_att.setdefault(a, {}).setdefault("X", []).append(f"T{tid}")
    for a, parts in sorted(by_att.items()):
        if "X" not in parts:
            raise ValueError(f"attribution {a} has no content")
        args = []
        if "C" in parts:
            args.append(f"Attribution:{parts['C'][0]}")
        args += [f"Content:{t}" for t in parts["X"]]
        args += [f"Cue:{t}" for t in parts.get("C", [])]
        args += [f"Source:{t}" for t in parts.get("S", [])]
        lines.append(f"E{a}\t" + " ".join(args))
    return text, "\n".join(lines) + "\n"


def main() -> int:
    for src in sorted((HERE / "src").glob("*.src")):
        raw = src.read_text(encoding="utf-8")
        first, _, body = raw.partition("\n")
        split = first.split()[-1]
        text, ann = convert(body)
        dest = HERE / split
        dest.mkdir(exist_ok=True)
        (dest / f"{src.stem}.txt").write_text(text, encoding="utf-8")
        (dest / f"{src.stem}.ann").write_text(ann, encoding="utf-8")
        print(f"{split}/{src.stem}: {len(text.split())} words, {ann.count(chr(10) + 'E') + ann.startswith('E')} attributions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
