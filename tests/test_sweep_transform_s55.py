"""A sweep's transform: applied to a grid that could be patched, its refusals kept whole, its name in the fingerprint.

The two-member world has no stock and an embargo on both members from before day 0 to past
its 60 days: without its agreement every tonne of demand is short, 20 t/day for Japan and
80 t/day for the EU, 1,200 t and 6,000 t in all.
"""

from __future__ import annotations

import copy
import pickle
from dataclasses import replace

import pytest

from simulator.errors import InputError, Problem, ScenarioError, setting
from simulator.scenario import Scenario
from simulator.scenario.overrides import OverrideError
from simulator.sweep import SweepSpec, parse_axis, plan_sweep
from simulator.sweep.runner import Sweep, build_point, plan_points, run_points
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


# --- a transform's refusal ------------------------------------------------------------------------


def test_a_transform_s_refusal_keeps_its_class_its_wording_and_its_cause():
    refusal = ScenarioError([Problem(setting("grid"), f"too large (raise {setting('max_points')})")])
    refusal.in_python_words()

    def refuse(scenario: Scenario) -> Scenario:
        raise refusal

    with pytest.raises(InputError) as caught:
        build_point(copy.deepcopy(TWO_MEMBERS), {"agreement.ratio.japan": 0.3}, "two.yaml", refuse)
    error = caught.value
    assert type(error) is ScenarioError
    assert error.python
    assert error.__cause__ is refusal
    assert str(error) == "two.yaml [agreement.ratio.japan=0.3]: grid: too large (raise max_points=)"
    assert refusal.source is None  # the transform's own error is left as it was raised


def test_a_refusal_with_attributes_of_its_own_keeps_them_said_of_the_point_and_through_a_worker():
    """An OverrideError takes (problems, assignment): its copy and its pickle keep both, and the point."""
    refusal = OverrideError([Problem("agreement.ratio.eu", "must be at most 1")], ("agreement.ratio.eu", 2))

    def refuse(scenario: Scenario) -> Scenario:
        raise refusal

    with pytest.raises(OverrideError) as caught:
        build_point(copy.deepcopy(TWO_MEMBERS), {"agreement.ratio.japan": 0.3}, "two.yaml", refuse)
    expected = "two.yaml [agreement.ratio.japan=0.3]: agreement.ratio.eu: must be at most 1"
    back = pickle.loads(pickle.dumps(caught.value))  # as a worker process sends it
    for error in (caught.value, back):
        assert type(error) is OverrideError
        assert error.assignment == ("agreement.ratio.eu", 2)
        assert error.source == "two.yaml [agreement.ratio.japan=0.3]"
        assert str(error) == expected
