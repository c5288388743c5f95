"""Each sample's own baseline demand, worked out in the worker that compiles its plan (``own_demand``).

``stockpile run --uncertainty`` reads a sample's shortfall in days of that sample's baseline demand; the
column was worked out by compiling every sample a second time in the parent process (about 7 ms each).
"""

from __future__ import annotations

import numpy as np

from simulator.sweep.runner import OWN_DEMAND, plan_points, run_points
from tests.helpers import ONE_REGION, build

GROWING = build(
    ONE_REGION,
    horizon_days=365,
    regions={
        "japan": {
            "demand": {"ree": {"tonnes_per_day": 10, "growth_per_year": 1.0}},  # doubles over the year
            "commercial_stock": {"ree": {"tonnes": 100}},
            "sourcing": {"ree": {"china": 1.0}},
        }
    },
    # in force from day -100: the warm-up reaches back to it, on days whose demand is lower still
    shocks=[{"id": "slow", "kind": "delay", "supplier": "china", "start": -100, "end": 30, "extra_days": 3}],
)


def test_each_point_gets_the_mean_of_its_demand_over_the_horizon_from_day_0():
    """Demand T x 2^(d/365) on days d = 0..364 averages T (2 - 1) / (365 (2^(1/365) - 1)) = 1.441326 T (a
    geometric series); the warm-up's 100 earlier days, lower, are not counted (with them: 1.2 T or so)."""
    points = [{"regions.japan.demand.ree.tonnes_per_day": t} for t in (10.0, 30.0, 10.0)]
    sweep = plan_points(GROWING, "s.yaml", points, [1, 2, 3], chunk_runs=2, own_demand=True)
    table, _ = run_points(sweep)
    mean_factor = 1.0 / (365.0 * (2.0 ** (1.0 / 365.0) - 1.0))
    assert round(mean_factor, 6) == 1.441326
    column = table[f"{OWN_DEMAND}.japan.ree"].to_numpy()
    assert np.allclose(column, [10.0 * mean_factor, 30.0 * mean_factor, 10.0 * mean_factor], rtol=1e-12, atol=0)
    assert table["point"].tolist() == [0, 1, 2]  # in run order across the two chunks


def test_without_own_demand_the_table_has_no_such_column():
    sweep = plan_points(GROWING, "s.yaml", [{}], [1])
    table, _ = run_points(sweep)
    assert not [c for c in table.columns if c.startswith(OWN_DEMAND)]
