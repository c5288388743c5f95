"""A shock in force before day 0 has run, by day 0, as it would have: whatever the warm-up's length.

The warm-up (the days before day 0 that fill the pipelines) used to start only the longest
lead time (plus fixed delays and licence processing) before day 0, so what a shock dated
before day 0 had built up by day 0 depended on inputs that have nothing to do with it: a
supplier nobody buys from, 40 days away, made the warm-up longer and changed the numbers.
Now the warm-up starts the normal pipeline's length before the shock's earliest start.

Each case is worked by hand on ONE_REGION (Japan, 10 t/day from China 5 days away, 100 t of
commercial stock), alone and with an unused supplier 40 days away: the numbers must agree.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from simulator.engine import ReferenceEngine
from simulator.fastpath import run_batch
from simulator.plan import WARM_UP_REACH_CAP_DAYS, compile_plan, stack_plans
from simulator.randomness import draw_batch
from simulator.scenario import validate_data
from tests.helpers import ONE_REGION, build, run, series

FLOW = 10.0  # Japan's demand, all from China, t/day
LEAD = 5  # China -> Japan
FAR = {"far": {"lead_time_days": {"japan": 40}}}
"""A supplier 40 days away that Japan does not buy from: it only makes the pipeline longer."""


def halt(**fields: Any) -> dict[str, Any]:
    return {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, **fields}


def both(shocks: list[dict[str, Any]], **changes: Any) -> list[dict[str, Any]]:
    """The world alone, and with the unused far supplier."""
    data = build(ONE_REGION, horizon_days=30, shocks=shocks, **changes)
    return [data, build(data, suppliers__far=FAR["far"])]


def assert_engines_agree(data: dict[str, Any]) -> None:
    plan = compile_plan(validate_data(data))
    reference = ReferenceEngine(plan, 0).run()
    batch = run_batch(stack_plans([plan]), draw_batch([plan], [0]))
    for name, values in reference.summary.items():
        assert np.array_equal(values[0], batch.summary[name][0], equal_nan=True), name


def test_cargo_held_since_day_minus_100_is_every_day_s_flow_since_then_whatever_the_pipeline():
    # held from day -100 to day 10: each day's 10 t wait at origin, days -100..0 are 101 days on
    # day 0's end; released at once on day 10 (days -100..9: 1,100 t) they land on day 15 with
    # day 10's own 10 t
    for data in both([halt(end=10, on_halt="held", release_days=0)]):
        result = run(data)
        held = series(result, "held_at_origin_t", "japan")
        assert held[:10] == pytest.approx([FLOW * (101 + day) for day in range(10)], abs=1e-9)
        arrivals = series(result, "arrivals_t", "japan")
        assert arrivals[15] == pytest.approx(110 * FLOW + FLOW, abs=1e-9)
        assert arrivals[:15] == pytest.approx([0.0] * 15, abs=1e-12)
        assert_engines_agree(data)


def test_two_licences_in_series_since_day_minus_100_deliver_the_steady_state_from_day_0():
    # each approves 60% after its own wait (8 days, then 6): 10 x 0.6 x 0.6 = 3.6 t/day land
    # every day in steady state, day 0 included (applications from day -19 on)
    def licence(name: str, wait: int) -> dict[str, Any]:
        return {
            "id": name,
            "kind": "licensing",
            "supplier": "china",
            "start": -100,
            "end": 1000,
            "approval_share": 0.6,
            "processing_days": wait,
        }

    for data in both([licence("a", 8), licence("b", 6)]):
        assert series(run(data), "arrivals_t", "japan") == pytest.approx([FLOW * 0.36] * 30, abs=1e-9)
        assert_engines_agree(data)


def test_what_leaks_from_an_embargo_since_day_minus_100_lands_from_day_0():
    # 30% of the stopped 10 t/day leak through 10 days slower: 3 t/day land every day, day 0
    # included; nothing lands before day 0 (the leaks of days -100..-16 are not sent): commercial
    # stock on day 0 is the 100 t given less day 0's 7 t short, and 30 x 7 t - 100 t are short
    for data in both([halt(end=1000, leak_share=0.3, leak_extra_days=10)]):
        result = run(data)
        assert series(result, "arrivals_t", "japan") == pytest.approx([0.3 * FLOW] * 30, abs=1e-12)
        stock = series(result, "commercial_stock_t", "japan")
        assert stock[:3] == pytest.approx([100.0 - 7.0 * (day + 1) for day in range(3)], abs=1e-9)
        assert float(result.summary["shortfall_t"].sum()) == pytest.approx(30 * 7.0 - 100.0, abs=1e-9)
        # the batched engine too: a leak sent during the warm-up that lands before day 0 would
        # reach its stocks (the leak-masking line in procure.py)
        assert_engines_agree(data)


def test_buyers_cut_off_since_day_minus_100_re_source_with_a_full_pipeline_on_day_0():
    # the loss since day -100 is 20 days old on day -80: Japan re-sources from a partner with
    # 2 t/day spare, 10 days away, so 2 t/day land every day from day 0; 8 t/day short of the
    # 10 t demand over 30 days, less the 100 t of stock, is 140 t short
    for data in both(
        [halt(end=1000)],
        suppliers__partner={"lead_time_days": {"japan": 10}, "capacity_t_per_day": {"ree": 2.0}},
        regions__japan__procurement={"resourcing": {"reaction_days": 20, "price_multiplier": 2.0}},
    ):
        result = run(data)
        supply = result.supply
        partner = supply[supply.supplier == "partner"].set_index("day")["arrivals_t"]
        assert partner.to_numpy() == pytest.approx([2.0] * 30, abs=1e-12)
        assert float(result.summary["shortfall_t"].sum()) == pytest.approx(30 * 8.0 - 100.0, abs=1e-9)
        assert_engines_agree(data)


def test_a_front_loaded_quota_since_day_minus_10_runs_out_as_it_would_have():
    # 200 t per 30 days from day -10: the departures of days -10..9 use it (20 x 10 t), landing
    # on days -5..14; the next period opens on day 20, its departures land from day 25
    quota = {
        "id": "q",
        "kind": "export_quota",
        "supplier": "china",
        "start": -10,
        "end": 1000,
        "tonnes_per_period": 200,
        "period_days": 30,
        "release": "front_loaded",
    }
    for data in both([quota]):
        arrivals = series(run(data), "arrivals_t", "japan")
        assert arrivals == pytest.approx([FLOW] * 15 + [0.0] * 10 + [FLOW] * 5, abs=1e-9)
        assert_engines_agree(data)


def test_the_reach_is_the_earliest_start_less_the_pipeline_and_stops_at_the_cap():
    def first_day(start: Any, **changes: Any) -> int:
        data = build(ONE_REGION, shocks=[halt(start=start, end=50)], **changes)
        return compile_plan(validate_data(data)).structure.first_day

    assert first_day(-100) == -100 - LEAD
    assert first_day(-100, suppliers__far=FAR["far"]) == -100 - 40
    assert first_day({"distribution": "uniform", "low": -30, "high": 10}) == -30 - LEAD  # its lowest value
    assert first_day(0) == -LEAD  # in force from day 0: the pipeline alone
    assert first_day(-20_000) == -WARM_UP_REACH_CAP_DAYS - LEAD
