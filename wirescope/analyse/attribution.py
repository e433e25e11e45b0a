"""Placeholder stage 'attribution': assigns nothing yet."""
from wirescope.analyse.pipeline import StageInfo


def run(ctx) -> None:
    return None


STAGE = StageInfo("attribution", requires=("doc",), assigns=(), run=run)
