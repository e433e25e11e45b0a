"""A two-process Dask LocalCluster shared by the scale tests (workers load spaCy once each)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0") as c:
        yield c
