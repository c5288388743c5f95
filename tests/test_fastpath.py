"""The batched fast path against the SimPy engine on cases the shipped scenarios lack."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.engine import ReferenceEngine
from simulator.fastpath import CURVE_COLUMNS, run_batch
from simulator.plan import compile_plan, stack_plans
from simulator.randomness import draw_batch
from simulator.scenario import validate_data
from tests.helpers import ONE_REGION, TWO_MEMBERS, build

DELAYS = [
    {"id": "inspections", "kind": "delay", "supplier": "china", "start": 5, "end": 25, "extra_days": 10},
    {
        "id": "rerouting",
        "kind": "delay",
        "supplier": "china",
        "start": 10,
        "end": 30,
        "extra_days": {"distribution": "uniform", "low": 5, "high": 15},
    },
    {
        "id": "halt",
        "kind": "embargo",
        "supplier": "china",
        "regions": ["japan"],
        "start": {"distribution": "uniform", "low": 0, "high": 40},
        "end": 20,
    },
]


def assert_batch_equals_reference(data: dict, seeds: list[int]) -> None:
    scenario = validate_data(data)
    plan = compile_plan(scenario)
    plans = [plan] * len(seeds)
    batch = run_batch(stack_plans(plans), draw_batch(plans, seeds), curves=True)
    for row, seed in enumerate(seeds):
        engine = ReferenceEngine(plan, seed)
        recorder = engine.run()
        for name, values in recorder.summary.items():
            assert np.array_equal(values[0], batch.summary[name][row], equal_nan=True), (name, seed)
        for column in ("days_of_cover", "shortfall_t", "shortfall_cum_t"):
            expected = recorder.arrays[column].astype(np.float32)
            assert np.array_equal(expected, batch.curves[column][row], equal_nan=True), (column, seed)
    assert set(CURVE_COLUMNS) == set(batch.curves)


def test_overlapping_delays_and_a_random_start_before_a_fixed_end():
    # the two delays add up to 25 extra days on days 10..24; some seeds draw the halt's
    # start after its fixed end (it then never happens)
    data = build(ONE_REGION, horizon_days=80, shocks=DELAYS)
    assert_batch_equals_reference(data, seeds=list(range(8)))


def test_a_large_mixed_batch_of_quiet_and_short_runs():
    # half the runs are cut off (severity near 1), half barely touched: rows must not interact
    data = build(
        TWO_MEMBERS,
        horizon_days=50,
        regions__japan__demand__ree__noise_cv=0.2,
        regions__eu__commercial_stock__ree__days=20,
        regions__japan__commercial_stock__ree__days=20,
        agreement__mechanism="equal_cover",
        shocks=[
            {
                "id": "halt",
                "kind": "embargo",
                "supplier": "china",
                "regions": ["japan", "eu"],
                "start": {"distribution": "uniform", "low": 0, "high": 20},
                "duration_days": 20,
                "severity": {"distribution": "uniform", "low": 0.0, "high": 1.0},
            }
        ],
    )
    assert_batch_equals_reference(data, seeds=list(range(40)))


def test_a_drawn_start_after_a_fixed_end_means_no_shock():
    from simulator.engine import simulate

    data = build(ONE_REGION, horizon_days=60, shocks=DELAYS[2:])
    scenario = validate_data(data)
    for seed in range(10):
        result = simulate(scenario, seed=seed)
        start = int(result.shocks.iloc[0]["start_day"])
        arrivals = result.timeseries["arrivals_t"].to_numpy()
        if start >= 20:
            assert arrivals == pytest.approx(10.0)  # never active
        else:
            assert arrivals[start + 5 : 25] == pytest.approx(0.0)


@pytest.mark.parametrize(
    "settlement",
    [{"kind": "sale"}, {"kind": "sale", "price_usd_per_kg": 20}, {"kind": "loan", "term_days": 7}],
    ids=["sale", "sale_set_price", "loan"],
)
def test_settlements_and_honest_cover_agree_bit_for_bit(settlement):
    # noisy demand, a random halt that ends, a refilling pool: sales, loans, repayments and
    # the three days-of-cover variants all come from the kernel both engines call
    data = build(
        TWO_MEMBERS,
        horizon_days=90,
        shocks__0__start={"distribution": "uniform", "low": 0, "high": 20},
        shocks__0__end=40,
        regions__japan__demand__ree__noise_cv=0.3,
        regions__eu__commercial_stock__ree__tonnes=200,
        agreement__pool__refill_t_per_day={"ree": 4},
        agreement__ratio={"japan": 0.3, "eu": 0.7},
        agreement__settlement=settlement,
    )
    assert_batch_equals_reference(data, seeds=list(range(6)))


def test_loans_of_different_terms_share_a_batch_run_by_run():
    base = build(TWO_MEMBERS, agreement__settlement={"kind": "loan", "term_days": 5})
    plans = [compile_plan(validate_data(build(base, agreement__settlement__term_days=t))) for t in (5, 100, 5)]
    batch = run_batch(stack_plans(plans), draw_batch(plans, [0, 0, 0]))
    alone = ReferenceEngine(plans[1], 0).run().summary
    for name in ("loan_owed_t", "loan_due_t", "loan_overdue_t"):
        assert np.array_equal(batch.summary[name][1], alone[name][0]), name
    # the 60-day horizon: a 5-day loan of day 0 is overdue, a 100-day one is not
    assert batch.summary["loan_overdue_t"][0].sum() == 30.0
    assert batch.summary["loan_overdue_t"][1].sum() == 0.0
