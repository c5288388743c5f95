"""A licence in force before day 0 runs in the warm-up as in steady state.

The warm-up (the days before day 0 that fill the pipelines) used to send only orders that
arrive from day 0, before the border: a licence in force before day 0 then took
applications only in the last lead-time days, so on day 0 its queue was short and the
first weeks lost approvals (new_supply_2031 dated its licences on day 0 and called the gap
model artefact LA50). Now the warm-up reaches back to the licence's start, minus the normal
pipeline (the longest lead time plus the licence's longest processing time), runs the
day's steps as on any day and sends only what arrives from day 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from simulator.engine import ReferenceEngine
from simulator.fastpath import run_batch
from simulator.plan import batch_key, compile_plan, stack_plans, with_warm_up_from
from simulator.randomness import draw_batch
from simulator.scenario import validate_data
from tests.helpers import ONE_REGION, build, run, series, shipped_group, shipped_result, shipped_with

FLOW = 10.0  # Japan's demand, all from China (ONE_REGION), t/day
LEAD = 5  # China -> Japan
APPROVED = 0.6
WAIT = 8  # fixed processing days: longer than the lead time


def licence(start: int, **fields: Any) -> dict[str, Any]:
    return {
        "id": "licence",
        "kind": "licensing",
        "supplier": "china",
        "start": start,
        "end": 1000,
        "approval_share": APPROVED,
        "processing_days": WAIT,
        **fields,
    }


def world(start: int, shocks: list[dict[str, Any]] | None = None, **changes: Any) -> dict[str, Any]:
    return build(ONE_REGION, horizon_days=30, shocks=shocks or [licence(start)], **changes)


def test_a_licence_in_force_before_day_0_delivers_its_approved_share_from_day_0():
    # in steady state each day's 10 t are applications; 6 t are approved 8 days later and land
    # 5 days after that: 6 t land every day, day 0 included (the applications of day -13 on)
    plan = compile_plan(validate_data(world(-100)))
    assert plan.structure.first_day == -100 - (LEAD + WAIT)  # a full pipeline when the licence starts
    result = run(world(-100))
    arrivals = series(result, "arrivals_t", "japan")
    assert arrivals == pytest.approx([FLOW * APPROVED] * 30, abs=1e-12)
    # on each day's end the queue holds the approved share of the last 8 days' applications
    # (days -7..0 on day 0: the application of day -8 was approved and left that day)
    awaiting = series(result, "awaiting_licence_t", "japan")
    assert awaiting == pytest.approx([WAIT * FLOW * APPROVED] * 30, abs=1e-12)


def test_a_licence_dated_on_day_0_starts_with_nothing_in_review():
    # what new_supply_2031 did before: the warm-up ships unlicensed 10 t/day landing on days
    # 0-4; the first applications (day 0) are approved on day 8 and land on day 13
    arrivals = series(run(world(0)), "arrivals_t", "japan")
    expected = [FLOW] * LEAD + [0.0] * WAIT + [FLOW * APPROVED] * (30 - LEAD - WAIT)
    assert arrivals == pytest.approx(expected, abs=1e-12)


def test_a_spread_processing_time_still_lands_the_approved_share_every_day():
    # uniform 2-10 days: each day's approvals are spread over the days that follow; with
    # applications every day since long before, every day gets 0.6 x 10 t all the same
    spread = {"distribution": "uniform", "low": 2, "high": 10}
    data = build(ONE_REGION, horizon_days=30, shocks=[licence(-100, processing_days=spread)])
    assert series(run(data), "arrivals_t", "japan") == pytest.approx([FLOW * APPROVED] * 30, abs=1e-9)


def test_buyers_refused_before_day_0_have_re_sourced_goods_under_way_on_day_0():
    # 4 t/day refused since long before day 0: after 5 days of loss Japan re-sources it from a
    # partner with 2 t/day spare, 10 days away; in steady state 2 t/day land from day 0
    data = world(
        -100,
        suppliers__partner={"lead_time_days": {"japan": 10}, "capacity_t_per_day": {"ree": 2.0}},
        regions__japan__procurement={"resourcing": {"reaction_days": 5, "price_multiplier": 2.0}},
    )
    supply = run(data).supply
    partner = supply[supply.supplier == "partner"].set_index("day")["arrivals_t"]
    assert partner.to_numpy() == pytest.approx([2.0] * 30, abs=1e-12)


def test_both_engines_agree_bit_for_bit_on_a_licence_in_force_before_day_0():
    spread = {"distribution": "triangular", "low": 3, "mode": 6, "high": 12}
    data = world(
        -40,
        shocks=[
            licence(-40, processing_days=spread, end_use_share=0.7),
            licence(-20, id="ban", approval_share=0.0, processing_days=0, end_use_share=0.1),
        ],
        suppliers__partner={"lead_time_days": {"japan": 10}, "capacity_t_per_day": {"ree": 2.0}},
        regions__japan__procurement={"resourcing": {"reaction_days": 5, "price_multiplier": 2.0}},
        regions__japan__commercial_stock={"ree": {"tonnes": 10}},
    )
    plan = compile_plan(validate_data(data))
    reference = ReferenceEngine(plan, 3).run()
    batch = run_batch(stack_plans([plan]), draw_batch([plan], [3]))
    for name, values in reference.summary.items():
        assert np.array_equal(values[0], batch.summary[name][0], equal_nan=True), name
    assert reference.summary["shortfall_t"][0].sum() > 0  # the test sees a shortfall, not an idle world


DAY_0 = {"shocks.no18_licences.start": "2027-01-01", "shocks.japan_dual_use_ban.start": "2027-01-01"}
"""new_supply_2031's licences dated on day 0, as the file had them while the warm-up could not fill a queue."""


def _china_and_lynas(supply: Any, region: str, days: int) -> tuple[float, float]:
    early = supply[(supply.region == region) & (supply.day < days)]
    return (
        float(early[early.supplier == "china"]["arrivals_t"].sum()),
        float(early[early.supplier == "lynas"]["arrivals_t"].sum()),
    )


@shipped_group("new_supply_2031")
def test_new_supply_2031_starts_in_steady_state_and_its_shortfall_moved_by_what_day_0_dating_lost():
    result = shipped_result("new_supply_2031")
    # China: Japan 1.35 t/day x 0.6 approved x 0.9 (military refused) = 0.729, the EU 0.5 x 0.6 = 0.3,
    # from day 0; Lynas's spare 0.274 t/day re-sourced pro rata to the refused 0.621 and 0.2 t/day
    japan_china, japan_lynas = 1.5 * 0.9 * 0.6 * 0.9, 0.274 * 0.621 / 0.821
    eu_china, eu_lynas = 0.5 * 0.6, 0.274 * 0.2 / 0.821
    got = {r: _china_and_lynas(result.supply, r, 150) for r in ("japan", "eu")}
    assert got["japan"] == pytest.approx((150 * japan_china, 150 * japan_lynas), abs=0.01)
    assert got["eu"] == pytest.approx((150 * eu_china, 150 * eu_lynas), abs=0.01)
    summary = result.summary.set_index("region")
    total = float(summary.loc[["japan", "eu"], "shortfall_t"].sum())
    assert total == pytest.approx(293.6, abs=0.05)
    assert summary.loc["japan", "first_shortfall_date"] == "2029-05-29"  # day 879
    assert summary.loc["eu", "first_shortfall_date"] == "2029-05-30"

    # dated on day 0: China's approvals start after the processing time (mean 42.7 days) and
    # re-sourcing after 29 days of refusals, so the first months lack 32.6 t from China and
    # 13.5 t from Lynas, and the shortfall is that much larger and starts earlier
    old = shipped_with("new_supply_2031", tuple(DAY_0.items()))  # test_new_supply_start's run too
    lost = {r: np.subtract(got[r], _china_and_lynas(old.supply, r, 150)) for r in ("japan", "eu")}
    mean_wait = (20 + 45 + 63) / 3
    china_gap = {
        "japan": japan_china * mean_wait - (1.35 - japan_china) * 7,  # the warm-up shipped 1.35 t/day for 7 days
        "eu": eu_china * mean_wait - (0.5 - eu_china) * 35,
    }
    lynas_gap = {"japan": japan_lynas * (29 + 14), "eu": eu_lynas * (29 + 40)}  # 29 days late, plus what is under way
    for region in ("japan", "eu"):
        assert lost[region] == pytest.approx((china_gap[region], lynas_gap[region]), abs=0.1), region
    old_summary = old.summary.set_index("region")
    old_total = float(old_summary.loc[["japan", "eu"], "shortfall_t"].sum())
    assert old_total == pytest.approx(339.7, abs=0.05)
    assert old_summary.loc["japan", "first_shortfall_date"] == "2029-02-08"
    # nobody is short before 2029: every tonne lost at the start is a tonne short at the end
    assert old_total - total == pytest.approx(sum(china_gap.values()) + sum(lynas_gap.values()), abs=0.3)


def test_a_plan_whose_warm_up_loses_to_capacity_where_buyers_re_source_keeps_its_own_warm_up():
    # China can ship 8 of the 10 t/day: 2 t/day are lost on every warm-up day, so when buyers
    # re-source (after 20 days of loss, from a partner 10 days away) depends on how long the
    # warm-up ran: such a plan cannot share a batch with plans of another warm-up length
    data = build(
        ONE_REGION,
        horizon_days=30,
        suppliers__china={"lead_time_days": {"japan": 5}, "capacity_t_per_day": {"ree": 8.0}},
        suppliers__partner={"lead_time_days": {"japan": 10}, "capacity_t_per_day": {"ree": 2.0}},
        regions__japan__procurement={"resourcing": {"reaction_days": 20, "price_multiplier": 2.0}},
    )
    plan = compile_plan(validate_data(data))
    assert batch_key(plan) == (plan.structure, False)
    assert batch_key(compile_plan(validate_data(build(data, suppliers__china__capacity_t_per_day={"ree": 10.0}))))[1]
    runs = [plan, with_warm_up_from(plan, plan.structure.first_day - 40)]
    partner = [
        run_batch(stack_plans([p]), draw_batch([p], [0]), curves=("arrivals_by_supplier_t",)).curves for p in runs
    ]
    landed = [c["arrivals_by_supplier_t"][0, :, 0, 0, 1] for c in partner]  # (day,) from the partner
    # own warm-up (days -10..-1): 10 days of loss by day 0, the 20th on day 9, landing from day 19
    assert landed[0] == pytest.approx([0.0] * 19 + [2.0] * 11, abs=1e-6)
    assert landed[1] == pytest.approx([2.0] * 30, abs=1e-6)
