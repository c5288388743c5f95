"""A sweep's transform: applied to a grid that could be patched, its refusals kept whole, its name in the fingerprint.

The two-member world has no stock and an embargo on both members from before day 0 to past
its 60 days: without its agreement every tonne of demand is short, 20 t/day for Japan and
80 t/day for the EU, 1,200 t and 6,000 t in all.
"""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from functools import partial, update_wrapper
from typing import Any

import numpy as np
import pytest

from simulator.counterfactuals import without_agreement_scenario
from simulator.errors import InputError, Problem, ScenarioError, setting
from simulator.scenario import Scenario
from simulator.scenario.overrides import OverrideError
from simulator.sweep import SweepSpec, describe, parse_axis, plan_sweep, runner
from simulator.sweep.runner import (
    IN_PROCESS,
    Sweep,
    build_point,
    callable_name,
    may_be_random,
    plan_points,
    run_points,
    task_name,
    without_repeats,
)
from tests.helpers import ROOT, TWO_MEMBERS, build

RATIOS = "agreement.ratio.japan=0.2,0.8"


def _without_agreement(scenario: Scenario, keep: float | None = None, note: str = "") -> Scenario:
    return scenario.model_copy(update={"agreement": None})


def _quiet(scenario: Scenario) -> Scenario:
    """``scenario`` with the EU's demand of rare earths without noise (``noise_cv`` 0)."""
    eu = scenario.regions["eu"]
    demand = {"ree": eu.demand["ree"].model_copy(update={"noise_cv": 0.0})}
    regions = {**scenario.regions, "eu": eu.model_copy(update={"demand": demand})}
    return scenario.model_copy(update={"regions": regions})


def _ratio_grid(
    runs: int = 1, seed: int | None = None, transform: Callable[[Scenario], Scenario] | None = None, **paths: Any
) -> Sweep:
    """The two members' world (``paths`` changed, as :func:`tests.helpers.build`) swept over Japan's ratio."""
    spec = SweepSpec((parse_axis(RATIOS),), runs=runs, seed=seed)
    return plan_sweep(build(TWO_MEMBERS, **paths), "two.yaml", spec, transform=transform)


# --- a transform on a grid that could be patched ---------------------------------------------------


def test_a_transform_is_applied_to_a_grid_that_could_be_patched():
    """The ratio grid is patched from one plan; its transform must still reach every point, as point by point."""
    grid = _ratio_grid()
    assert grid.patcher is not None, "this grid should be eligible for patching"
    transformed = _ratio_grid(transform=_without_agreement)
    assert transformed.patcher is None and transformed.first.agreement is None
    seeds = [seed for _, _, seed in grid.runs]
    one_by_one = plan_points(copy.deepcopy(TWO_MEMBERS), "two.yaml", grid.points, seeds, transform=_without_agreement)
    assert one_by_one.patcher is None

    transformed_rows, _ = run_points(transformed)
    point_rows, _ = run_points(one_by_one)

    assert transformed_rows.equals(point_rows)  # plan_sweep and plan_points build the same transformed points
    assert transformed_rows["total_shortfall_t"].tolist() == [6000.0, 6000.0]  # (20 + 80) t/day x 60 days
    assert transformed_rows["shortfall_t.japan"].tolist() == [1200.0, 1200.0]  # 20 t/day x 60 days
    untransformed_rows, _ = run_points(grid)
    assert (untransformed_rows["total_shortfall_t"] < 6000.0).all()  # the pool covers some: the transform matters


def test_a_patched_grid_refuses_a_transform_set_afterwards():
    """Its patcher would build the points' plans from untransformed scenarios, and its first point is untransformed."""
    with pytest.raises(ValueError, match=r"plan it with plan_sweep\(transform=\.\.\.\)"):
        replace(_ratio_grid(), transform=_without_agreement)


def test_a_transformed_grid_draws_random_inputs_as_its_transformed_points_do():
    """The EU's demand is noisy, the transform quiets it: no transformed point draws anything, so the three runs
    of each point would be alike and each point runs once; the untransformed grid draws at every point."""
    noisy = {"regions__eu__demand__ree__noise_cv": 0.1}
    assert may_be_random(_ratio_grid(runs=3, **noisy))
    quieted = _ratio_grid(runs=3, transform=_quiet, **noisy)
    assert not may_be_random(quieted)
    once, why = without_repeats(quieted)
    assert why is not None and once.n_runs == 2  # two ratios, once each
    assert describe(quieted, 0.0, IN_PROCESS, 1, 1)["random_inputs"] == []


def test_sweep_json_names_the_members_of_the_transformed_scenario():
    """Without its agreement the scenario has no members; the patched grid's first point has two."""
    assert describe(_ratio_grid(), 0.0, IN_PROCESS, 1, 1)["members"] == ["japan", "eu"]
    assert describe(_ratio_grid(transform=_without_agreement), 0.0, IN_PROCESS, 1, 1)["members"] == []


def test_a_transformed_grid_holds_a_plan_per_point_and_bounds_its_chunks_so(monkeypatch):
    """Compiled point by point, a chunk keeps a plan per point: with room for one run's daily values a batch
    (:func:`~simulator.sweep.runner.gathered_batch_runs`, at least one run), each chunk has one run."""
    monkeypatch.setattr(runner, "MIN_BATCH_RUNS", 1)
    monkeypatch.setattr(runner, "DAY_VALUES_PER_BATCH", 1)
    assert _ratio_grid().chunk_runs > 1  # patched: the points' plans are made from one, no bound
    assert _ratio_grid(transform=_without_agreement).chunk_runs == 1


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


def test_a_point_s_bad_override_keeps_its_class_and_assignment_said_of_the_point():
    """A ratio of 2 is refused as it is set, before validation: the error is the override's, of this point."""
    with pytest.raises(InputError) as caught:
        build_point(copy.deepcopy(TWO_MEMBERS), {"agreement.ratio.japan": 2}, "two.yaml")
    expected = (
        "two.yaml [agreement.ratio.japan=2]: agreement.ratio.japan: a ratio must be a number in [0, 1], got 2"
        " (a share between 0 and 1: for 2% write 0.02; for weights, give each member its share of their sum)"
    )
    for error in (caught.value, pickle.loads(pickle.dumps(caught.value))):  # as a worker process sends it
        assert type(error) is OverrideError
        assert error.assignment == ("agreement.ratio.japan", 2)
        assert str(error) == expected


# --- one unwrapping of partials for fingerprints and task keys -----------------------------------

PINNED_PLAIN = "5a7b72d7677665f73d45177907a7aa041ab0968a7b15a7b16e2a46b6aa2f01bd"
"""The fingerprint of ``_ratio_grid(runs=3, seed=7)`` without a transform, as stockpile made it before session 55
(its version and code pinned): a checkpoint folder of such a sweep still resumes."""
PINNED_STATUS_QUO = "d88e962b0c890bb291af308c64484a9f0f847606ee77bbd723969e56750a120e"
"""The same with ``--uncertainty``'s transform, ``without_agreement_scenario``, as made before session 55: named
from the module it lived in then (``simulator.report.counterfactuals``, which :func:`pinned_code` sets), so not the
fingerprint today's code makes of the function moved to ``simulator.counterfactuals``."""
PINNED_FLAT_PARTIAL = "13877f64aa92867c4274ab79d13121668793d512f6b55a4ce623433252096c77"
"""The same with ``partial(without_agreement_scenario, 1.0, note="eu")`` (only named here, never called), as made
before session 55: its function named from ``simulator.report.counterfactuals`` as then (:func:`pinned_code` sets
it), so not what today's code writes for the moved function."""


@pytest.fixture
def pinned_code(monkeypatch):
    """Version and code pinned, and the transform named from the module it lived in when the pins were made
    (``simulator.report.counterfactuals``; ``simulator.counterfactuals`` since session 56): the pins check how a
    fingerprint is made, not where the function lives."""
    monkeypatch.setattr(Sweep, "made_by", lambda self: {"version": "pinned", "code": "pinned"})
    monkeypatch.setattr(without_agreement_scenario, "__module__", "simulator.report.counterfactuals")


def _nested(function, keep: float) -> partial:
    """``partial(partial(function, keep), note="eu")`` whose inner partial Python does not flatten
    (``update_wrapper`` gives it a ``__dict__``)."""
    inner = update_wrapper(partial(function, keep), function)
    return partial(inner, note="eu")


def _named_only(transform: Callable[..., Scenario]) -> Sweep:
    """``_ratio_grid(runs=3, seed=7)`` compiled point by point with ``transform``, never called (a fingerprint
    names it only); unlike :func:`plan_sweep` with a transform, its first point is left untransformed, which the
    fingerprint does not read."""
    return replace(_ratio_grid(runs=3, seed=7), patcher=None, transform=transform)


def test_the_fingerprints_of_a_plain_sweep_of_a_function_and_of_a_flat_partial_are_as_before(pinned_code):
    assert _ratio_grid(runs=3, seed=7).fingerprint() == PINNED_PLAIN
    assert _ratio_grid(runs=3, seed=7, transform=without_agreement_scenario).fingerprint() == PINNED_STATUS_QUO
    flat = partial(without_agreement_scenario, 1.0, note="eu")
    assert _named_only(flat).fingerprint() == PINNED_FLAT_PARTIAL


def test_a_nested_partial_is_named_as_the_flat_partial_python_would_make_of_it(pinned_code):
    nested = _nested(without_agreement_scenario, 1.0)
    assert nested.func is not without_agreement_scenario  # not flattened by Python
    assert _named_only(nested).fingerprint() == PINNED_FLAT_PARTIAL
    assert callable_name(_nested(_without_agreement, 1.0)) == f"{__name__}._without_agreement(1.0, note='eu')"
    # the inner partial's arguments are part of the name: two nested partials that differ there are two transforms
    assert callable_name(_nested(_without_agreement, 1.0)) != callable_name(_nested(_without_agreement, 2.0))
    # and the task keys name the same innermost function
    assert task_name(nested) == "without_agreement_scenario"
    # an inner partial with an attribute of its own has no __qualname__ to read
    tagged = partial(_without_agreement, 1.0)
    tagged.note = "tagged"
    assert callable_name(partial(tagged, note="eu")) == f"{__name__}._without_agreement(1.0, note='eu')"


def test_an_outer_partial_s_keyword_overrides_the_inner_one_as_in_a_call():
    inner = update_wrapper(partial(_without_agreement, keep=1.0, note="inner"), _without_agreement)
    assert callable_name(partial(inner, note="outer")) == f"{__name__}._without_agreement(keep=1.0, note='outer')"


def test_large_arrays_that_differ_in_one_element_are_two_transforms():
    """NumPy's repr of a 2,000-element array shows its first and last three values only."""
    zeros = np.zeros(2000)
    one_changed = zeros.copy()
    one_changed[1000] = 1.0
    assert callable_name(partial(_without_agreement, zeros)) != callable_name(partial(_without_agreement, one_changed))
    assert callable_name(partial(_without_agreement, keep=zeros)) != callable_name(
        partial(_without_agreement, keep=one_changed)
    )
    # arrays alike in bytes but not in dtype or shape are told apart too
    assert callable_name(partial(_without_agreement, np.zeros(4))) != callable_name(
        partial(_without_agreement, np.zeros((2, 2)))
    )
    assert callable_name(partial(_without_agreement, zeros)) == callable_name(partial(_without_agreement, zeros.copy()))


OBJECT_ARRAY_NAME = """
import numpy as np
from functools import partial
from simulator.sweep.runner import callable_name
print(callable_name(partial(round, np.array([1.5, "eu", None], dtype=object))))
"""


def test_an_object_array_is_named_alike_in_two_processes():
    """An object array's bytes are addresses, which differ per process: a resumed sweep must find its folder."""
    names = [
        subprocess.run(
            [sys.executable, "-c", OBJECT_ARRAY_NAME], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout
        for _ in range(2)
    ]
    assert names[0] == names[1] and names[0].startswith("builtins.round(ndarray(object, (3,), sha256=")


def test_masked_arrays_that_differ_only_in_their_mask_are_two_transforms():
    data = [1.0, 2.0, 3.0]
    first = np.ma.masked_array(data, mask=[False, True, False])
    second = np.ma.masked_array(data, mask=[False, False, True])
    assert callable_name(partial(_without_agreement, first)) != callable_name(partial(_without_agreement, second))
    again = np.ma.masked_array(data, mask=[False, True, False])
    assert callable_name(partial(_without_agreement, first)) == callable_name(partial(_without_agreement, again))
    assert "MaskedArray(float64, (3,), sha256=" in callable_name(partial(_without_agreement, first))
