"""Placeholder stage 'timex': assigns nothing yet."""
from wirescope.analyse.pipeline import StageInfo


def run(ctx) -> None:
    return None


STAGE = StageInfo("times", requires=("doc",), assigns=(), run=run)
