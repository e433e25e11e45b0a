"""Placeholder stage 'places': assigns nothing yet."""
from wirescope.analyse.pipeline import StageInfo


def run(ctx) -> None:
    return None


STAGE = StageInfo("places", requires=("doc",), assigns=(), run=run)
