"""Fixes from review 1 of session 52 (/work/notes/s52/review1.md), one section per finding."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.api.inputs import raw_data
from simulator.explore.grid import plan_grid, run_grid
from simulator.sweep.grid import Axis, SweepSpec
from tests.helpers import ROOT

LONG_EMBARGO = str(ROOT / "scenarios" / "long_embargo_6m.yaml")


# --- B1: the explorer's per-material split runs on Dask ------------------------------------


@pytest.mark.filterwarnings(
    "ignore::DeprecationWarning",
    "ignore::UserWarning",
    "ignore::ResourceWarning",
    "ignore::pytest.PytestUnraisableExceptionWarning",
)
def test_the_explorer_splits_by_material_on_dask_as_in_process():
    """long_embargo_6m counts magnets in magnet tonnes, so the explorer splits its shortfalls by material
    (a functools.partial of the chunk's summary); on an in-process Dask cluster the grid is the one
    computed without it, number for number."""
    from distributed import Client, LocalCluster

    raw, source = raw_data(LONG_EMBARGO, [])
    spec = SweepSpec((Axis("shocks.0.severity", (0.5, 1.0)),), runs=1)
    here = run_grid(plan_grid(raw, source, spec))
    assert here.by_material == ("light_ree", "heavy_ree", "ndfeb_magnets")
    with (
        LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        on_dask = run_grid(plan_grid(raw, source, spec), client=client)
    assert on_dask.by_material == here.by_material
    np.testing.assert_array_equal(on_dask.headline, here.headline)
    np.testing.assert_array_equal(on_dask.curves, here.curves)
