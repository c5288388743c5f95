"""Plan compilation and stacking: the arrays both engines read, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.plan import compile_plan, stack_plans
from simulator.scenario import validate_data
from tests.helpers import TWO_MEMBERS, build


def plan_of(data: dict):
    return compile_plan(validate_data(data))


def test_stacked_runs_keep_their_own_parameters_in_run_order():
    # three runs: the base, a 30/70 ratio with Japan needing 40 t/day, and the base again
    base = plan_of(TWO_MEMBERS)
    other = plan_of(
        build(
            TWO_MEMBERS,
            agreement__ratio__japan=0.3,
            agreement__ratio__eu=0.7,
            regions__japan__demand__ree__tonnes_per_day=40,
        )
    )
    batch = stack_plans([base, other, base])
    assert batch.batch == 3
    assert batch.agreement.ratio[:, 0] == pytest.approx([0.5, 0.5])
    assert batch.agreement.ratio[:, 1] == pytest.approx([0.3, 0.7])
    assert batch.agreement.ratio[:, 2] == pytest.approx([0.5, 0.5])
    japan = batch.baseline_demand_t_per_day[:, 0, 0, :]  # (day, run): Japan's demand, every day
    assert japan == pytest.approx(np.broadcast_to([20.0, 40.0, 20.0], japan.shape))
    assert batch.baseline_demand_t_per_day[:, 1, 0, :] == pytest.approx(80.0)  # the EU's, unchanged


def test_arrays_equal_in_every_run_are_one_shared_read_only_view():
    # two plans compiled separately from one scenario: equal arrays, distinct objects
    first, second = plan_of(TWO_MEMBERS), plan_of(TWO_MEMBERS)
    assert first.baseline_demand_t_per_day is not second.baseline_demand_t_per_day
    batch = stack_plans([first, second, first])
    demand = batch.baseline_demand_t_per_day
    assert demand.shape[-1] == 3
    assert demand.strides[-1] == 0  # a view repeating one run, not three copies
    assert not demand.flags.writeable
    assert batch.agreement.ratio.strides[-1] == 0


def test_plans_of_different_structure_cannot_share_a_batch():
    three = build(TWO_MEMBERS)
    three["regions"]["korea"] = {"demand": {"ree": {"tonnes_per_day": 5}}, "sourcing": {"ree": {"china": 1.0}}}
    three["suppliers"]["china"]["lead_time_days"]["korea"] = 5
    with pytest.raises(ValueError, match="different structure"):
        stack_plans([plan_of(TWO_MEMBERS), plan_of(three)])
