"""A sweep's transform: applied to a grid that could be patched, its refusals kept whole, its name in the fingerprint.

The two-member world has no stock and an embargo on both members from before day 0 to past
its 60 days: without its agreement every tonne of demand is short, 20 t/day for Japan and
80 t/day for the EU, 1,200 t and 6,000 t in all.
"""

from __future__ import annotations

import copy
from dataclasses import replace

from simulator.scenario import Scenario
from simulator.sweep import SweepSpec, parse_axis, plan_sweep
from simulator.sweep.runner import Sweep, plan_points, run_points
from tests.helpers import TWO_MEMBERS

RATIOS = "agreement.ratio.japan=0.2,0.8"


def _without_agreement(scenario: Scenario, keep: float | None = None, note: str = "") -> Scenario:
    return scenario.model_copy(update={"agreement": None})


def _ratio_grid(runs: int = 1, seed: int | None = None) -> Sweep:
    spec = SweepSpec((parse_axis(RATIOS),), runs=runs, seed=seed)
    return plan_sweep(copy.deepcopy(TWO_MEMBERS), "two.yaml", spec)


# --- a transform on a grid that could be patched ---------------------------------------------------


def test_a_transform_is_applied_to_a_grid_that_could_be_patched():
    """The ratio grid is patched from one plan; its transform must still reach every point, as point by point."""
    grid = _ratio_grid()
    assert grid.patcher is not None, "this grid should be eligible for patching"
    transformed = replace(grid, transform=_without_agreement)
    seeds = [seed for _, _, seed in grid.runs]
    one_by_one = plan_points(copy.deepcopy(TWO_MEMBERS), "two.yaml", grid.points, seeds, transform=_without_agreement)
    assert one_by_one.patcher is None

    patched_rows, _ = run_points(transformed)
    point_rows, _ = run_points(one_by_one)

    assert patched_rows.equals(point_rows)
    assert patched_rows["total_shortfall_t"].tolist() == [6000.0, 6000.0]  # (20 + 80) t/day x 60 days
    assert patched_rows["shortfall_t.japan"].tolist() == [1200.0, 1200.0]  # 20 t/day x 60 days
    untransformed_rows, _ = run_points(grid)
    assert (untransformed_rows["total_shortfall_t"] < 6000.0).all()  # the pool covers some: the transform matters
