"""Every stage's time grows linearly with the document: n and 4n characters, a ratio, not a clock.

The long document is news prose: the repository's example articles one after another (different
stories, actors, dates and quotes), cut to size. Each stage is timed on its own (CPU time of this
process, the best of a few runs on a fresh Context over the same parse), so a busy machine slows
both sizes alike. Linear work gives a ratio near 4; anything quadratic gives about 16. The bound
is generous (8) so that noise never fails it and a quadratic stage always does.
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from wirescope.analyse.context import Context
from wirescope.model import Document

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SMALL = 25_000  # characters
FACTOR = 4
BOUND = 8.0
RUNS = 3
PUBLISHED = dt.date(2021, 3, 20)


def long_article(chars: int) -> str:
    stories = [p.read_text(encoding="utf-8").strip() for p in sorted(EXAMPLES.glob("*.txt"))]
    assert stories, f"no example articles in {EXAMPLES}"
    parts: list[str] = []
    size = 0
    i = 0
    while size < chars:
        parts.append(stories[i % len(stories)])
        size += len(parts[-1]) + 2
        i += 1
    text = "\n\n".join(parts)[:chars]
    return text[:text.rfind(" ")] if " " in text else text  # end on a word boundary


def stage_seconds(pipeline, text: str) -> dict[str, float]:
    """CPU seconds of each stage on `text` (best of RUNS), the parse done once outside."""
    doc = pipeline._parse([text])[0]
    best: dict[str, float] = {}
    for _ in range(RUNS):
        ctx = Context(doc, Document(text, published=PUBLISHED.isoformat()), PUBLISHED)
        for stage in pipeline.stages:
            started = time.process_time()
            stage.run(ctx)
            spent = time.process_time() - started
            best[stage.name] = min(best.get(stage.name, spent), spent)
    return best


@pytest.fixture(scope="module")
def timings(pipeline):
    stage_seconds(pipeline, long_article(3_000))  # lazy lexicons and first-call costs
    small = stage_seconds(pipeline, long_article(SMALL))
    large = stage_seconds(pipeline, long_article(SMALL * FACTOR))
    return small, large


def test_the_long_article_is_long_news_text():
    text = long_article(SMALL * FACTOR)
    assert SMALL * FACTOR - 50 <= len(text) <= SMALL * FACTOR
    assert len(set(text.split("\n\n"))) >= 8  # several different stories, not one repeated line


@pytest.mark.parametrize("stage", ["actors", "times", "attribution", "relations", "events", "places"])
def test_stage_time_grows_linearly(timings, stage):
    small, large = timings
    assert stage in small, f"stage {stage} did not run"
    ratio = large[stage] / max(small[stage], 1e-4)
    assert ratio < BOUND, (f"{stage}: {small[stage]:.3f}s at {SMALL:,} chars, {large[stage]:.3f}s at "
                           f"{SMALL * FACTOR:,} chars: x{ratio:.1f} for x{FACTOR} the text")
