"""Placeholder stage 'events': assigns nothing yet."""
from wirescope.analyse.pipeline import StageInfo


def run(ctx) -> None:
    return None


STAGE = StageInfo("events", requires=("doc",), assigns=(), run=run)
