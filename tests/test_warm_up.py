"""Runs whose warm-ups start on different days share a batch where that is exact.

A plan's warm-up starts at minus its longest lead time (plus fixed delays), so points of
a study that move a lead time or a delay's days used to be one batch each. Started
earlier, a warm-up orders nothing more (procurement orders during the warm-up only what
arrives from day 0), as long as no shock can act before day 0. A plan with a shock that
can act before day 0 has its warm-up reach back to that shock's start (at most
``WARM_UP_REACH_CAP_DAYS``) and keeps its own first day.
"""

from __future__ import annotations

import pytest

from simulator.fastpath import run_batch
from simulator.plan import WARM_UP_REACH_CAP_DAYS, Plan, batch_key, compile_plan, stack_plans, with_warm_up_from
from simulator.randomness import draw_batch
from simulator.scenario import load_scenario, validate_data
from tests.helpers import ONE_REGION, ROOT, build
from tests.test_batch_terms import CURVES, assert_batch_equals_runs_alone, assert_bits

HISTORICAL = ROOT / "scenarios" / "embargo_2010_historical.yaml"
STOCHASTIC = ROOT / "scenarios" / "embargo_stochastic.yaml"
LEADS = [
    {},  # as written: the longest lead 40 days (Europe's reprocessors to Japan), the customs delay 14 days
    {"suppliers.china.lead_time_days.eu": 45, "shocks.china_japan_customs_delay.extra_days": 7},
    {"suppliers.china.lead_time_days.japan": 14, "suppliers.europe_reprocessors.lead_time_days.japan": 49},
    {"shocks.china_japan_customs_delay.extra_days": 21, "market.light_ree.price.sensitivity": 4.0},
]
"""Points of the historical replay whose warm-ups start on different days."""


GROWING = {"regions.japan.demand.light_ree.growth_per_year": 0.08, "regions.eu.demand.heavy_ree.growth_per_year": -0.1}
"""Demand that changes every day, so that a day array read a day off changes the numbers."""


def plans_of(path, variants: list[dict[str, object]]) -> list[Plan]:
    return [compile_plan(load_scenario(path, list({**GROWING, **v}.items()))) for v in variants]


def assert_earliest_warm_up_batch_equals_runs_alone(plans: list[Plan], seeds: list[int]) -> None:
    """A batch of ``plans`` started on their earliest warm-up day gives each run, bit for bit, what
    the plan as compiled gives alone."""
    first_day = min(p.structure.first_day for p in plans)
    earlier = [with_warm_up_from(p, first_day) for p in plans]
    assert {p.structure.first_day for p in earlier} == {first_day}
    assert_batch_equals_runs_alone(earlier, seeds, alone=plans)


def test_points_moving_lead_times_and_delays_start_their_warm_ups_on_different_days_but_share_a_key():
    plans = plans_of(HISTORICAL, LEADS)
    # minus (longest lead + the delay's days): 40 + 14, 45 + 7, 49 + 14, 40 + 21
    assert [p.structure.first_day for p in plans] == [-54, -52, -63, -61]
    assert len({p.structure for p in plans}) == 4
    assert len({batch_key(p) for p in plans}) == 1


def test_a_batch_started_on_the_earliest_warm_up_gives_each_run_what_it_gives_alone():
    plans = plans_of(HISTORICAL, LEADS)
    assert min(p.structure.first_day for p in plans) == -63
    assert_earliest_warm_up_batch_equals_runs_alone(plans, [1, 2, 3, 4])


def test_noisy_runs_with_random_shocks_from_day_0_share_a_batch_exactly():
    variants = [{}, {"suppliers.china.lead_time_days.eu": 50}, {"suppliers.china.lead_time_days.japan": 45}]
    plans = plans_of(STOCHASTIC, variants)
    assert len({batch_key(p) for p in plans}) == 1 and len({p.structure for p in plans}) == 3
    assert any(p.random_sources for p in plans)
    assert_earliest_warm_up_batch_equals_runs_alone(plans, [11, 12, 13])


def delayed(start: int) -> Plan:
    """One region, a 5-day lead time, and a delay of 20-30 random extra days from ``start``."""
    delay = {
        "id": "late",
        "kind": "delay",
        "supplier": "china",
        "start": start,
        "end": 30,
        "extra_days": {"distribution": "uniform", "low": 20, "high": 30},
    }
    return compile_plan(validate_data(build(ONE_REGION, shocks=[delay])))


def test_a_shock_that_can_act_before_day_0_keeps_its_own_warm_up():
    """Why the rule: past the reach's cap, cargo held since before the warm-up grows with it."""
    held = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -5000, "end": 10}
    capped = compile_plan(validate_data(build(ONE_REGION, shocks=[{**held, "on_halt": "held", "release_days": 0}])))
    assert capped.structure.first_day == -WARM_UP_REACH_CAP_DAYS - 5
    assert batch_key(capped) == (capped.structure, False)
    seeds = [5]
    alone = run_batch(stack_plans([capped]), draw_batch([capped], seeds), curves=CURVES)
    longer = with_warm_up_from(capped, capped.structure.first_day - 30)
    moved = run_batch(stack_plans([longer]), draw_batch([longer], seeds), curves=CURVES)
    arrivals = "arrivals_by_supplier_t"
    # released on day 10, landing on day 15: 30 more days of 10 t held
    assert moved.curves[arrivals][0, 15].sum() - alone.curves[arrivals][0, 15].sum() == pytest.approx(300.0)
    # within the cap the warm-up reaches back to the delay's start, so an earlier start adds only quiet days
    early, late = delayed(-40), delayed(0)
    assert early.structure.first_day == -40 - 5
    assert batch_key(early) == (early.structure, False)  # kept apart all the same: the rule does not look closer
    assert batch_key(late)[1] and batch_key(late)[0] != late.structure
    before = with_warm_up_from(early, early.structure.first_day - 30)
    once = run_batch(stack_plans([early]), draw_batch([early], seeds), curves=CURVES)
    again = run_batch(stack_plans([before]), draw_batch([before], seeds), curves=CURVES)
    for name, values in once.curves.items():
        assert_bits(values, again.curves[name], name)
    kept = with_warm_up_from(late, late.structure.first_day - 30)
    same = run_batch(stack_plans([kept]), draw_batch([kept], seeds), curves=CURVES)
    reference = run_batch(stack_plans([late]), draw_batch([late], seeds), curves=CURVES)
    for name, values in reference.curves.items():
        assert_bits(values, same.curves[name], name)


def test_a_random_start_counts_from_its_lowest_day_and_a_warm_up_never_starts_later():
    start = {"distribution": "uniform", "low": -3, "high": 10}
    plan = compile_plan(validate_data(build(ONE_REGION, shocks=[_halt(start)])))
    assert batch_key(plan)[1] is False
    plan = compile_plan(validate_data(build(ONE_REGION, shocks=[_halt({**start, "low": 0})])))
    assert batch_key(plan)[1] is True
    assert with_warm_up_from(plan, plan.structure.first_day) is plan
    with pytest.raises(ValueError, match="cannot start later"):
        with_warm_up_from(plan, plan.structure.first_day + 1)


def _halt(start: object) -> dict[str, object]:
    return {
        "id": "halt",
        "kind": "embargo",
        "supplier": "china",
        "regions": ["japan"],
        "start": start,
        "duration_days": 5,
    }
