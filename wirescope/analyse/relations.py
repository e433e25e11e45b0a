"""Placeholder stage 'relations': assigns nothing yet."""
from wirescope.analyse.pipeline import StageInfo


def run(ctx) -> None:
    return None


STAGE = StageInfo("relations", requires=("doc",), assigns=(), run=run)
