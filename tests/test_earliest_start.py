"""The earliest day a shock can start is counted one way by the plan's warm-up, its batching and the notes.

A run draws a random start and rounds it to the nearest day (halves to even, ``np.rint``),
so a start drawn from ``low: -10.5`` is day -10 at the earliest, and a lognormal start,
always positive, day 0 at the earliest. Three places used three rules: the warm-up's reach
(``shock_reach``) floored the low to day -11, the batching rule (``_never_before_day_0``)
counted a lognormal start as possibly before day 0 and the notes (``warm_up_start``) rounded.

Worked on ONE_REGION: Japan buys 10 t/day from China, 5 days away (the warm-up starts that
long before the earliest start of a shock in force before day 0, and no earlier than -5).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from simulator.plan import batch_key, compile_plan, with_warm_up_from
from simulator.randomness import draw_batch
from simulator.scenario import validate_data
from simulator.scenario.notes import warm_up_start
from simulator.scenario.schema import earliest_start_day
from tests.helpers import ONE_REGION, build
from tests.test_batch_terms import assert_batch_equals_runs_alone

LEAD = 5  # China -> Japan
UNIFORM = {"distribution": "uniform", "low": -10.5, "high": -9.6}
"""Draws in [-10.5, -9.6) all round to day -10 (-10.5 to even): never day -11."""
LOGNORMAL = {"distribution": "lognormal", "mean": 3, "sd": 2}
"""Positive draws: day 0 at the earliest (draws below 0.5 round to 0)."""


def surge(start: Any) -> dict[str, Any]:
    return {"id": "surge", "kind": "demand_surge", "factor": 1.5, "start": start, "duration_days": 20}


@pytest.mark.parametrize(
    ("start", "earliest"),
    [(UNIFORM, -10), (LOGNORMAL, 0), (-3, -3)],
    ids=["uniform from -10.5", "lognormal", "fixed day -3"],
)
def test_the_warm_up_the_batching_and_the_notes_agree_on_the_earliest_start(start, earliest):
    scenario = validate_data(build(ONE_REGION, shocks=[surge(start)]))
    plan = compile_plan(scenario)
    first_day = min(earliest, 0) - LEAD  # -15, -5, -8
    assert earliest_start_day(scenario.shocks[0].start) == earliest
    assert plan.structure.first_day == first_day  # shock_reach: -16 for the uniform before
    assert warm_up_start(scenario) == first_day  # the notes
    assert batch_key(plan)[1] is (earliest >= 0)  # _never_before_day_0: False for the lognormal before


def test_the_earliest_day_is_the_earliest_a_run_draws():
    # 400 runs of each: the uniform's draws land on day -10 only, the lognormal's on day 0 or later
    for start, earliest in ((UNIFORM, -10), (LOGNORMAL, 0)):
        plan = compile_plan(validate_data(build(ONE_REGION, shocks=[surge(start)])))
        days = draw_batch([plan] * 400, list(range(400))).shock_start[0]
        assert days.min() == earliest
    assert earliest_start_day(-11.5) == -12 and earliest_start_day(-0.5) == 0  # halves to even, as np.rint
    assert np.rint(-11.5) == -12 and np.rint(-0.5) == 0


def test_a_licence_with_a_lognormal_start_adds_no_processing_time_to_the_warm_up():
    # it takes no application before day 0, so its 8 days of processing do not lengthen the
    # warm-up (-5 - 8 = -13 before): the warm-up is the lead time alone
    licence = {"id": "licence", "kind": "licensing", "supplier": "china", "start": LOGNORMAL, "end": 30}
    licence.update(approval_share=0.6, processing_days=8)
    plan = compile_plan(validate_data(build(ONE_REGION, shocks=[licence])))
    assert plan.structure.first_day == -LEAD


def test_runs_with_a_lognormal_start_batched_on_an_earlier_warm_up_give_what_they_give_alone():
    # the batching rule now lets it share a batch started earlier: exact, bit for bit
    plan = compile_plan(validate_data(build(ONE_REGION, shocks=[surge(LOGNORMAL)])))
    assert batch_key(plan)[1]
    earlier = with_warm_up_from(plan, plan.structure.first_day - 30)
    assert_batch_equals_runs_alone([earlier, earlier], [3, 4], alone=[plan, plan])
