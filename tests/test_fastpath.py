"""The batched fast path against the SimPy engine on cases the shipped scenarios lack."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from simulator import quantities
from simulator.engine import ReferenceEngine
from simulator.events import EventLog
from simulator.fastpath import CURVE_COLUMNS, run_batch
from simulator.kernel import Kernel
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


@pytest.mark.parametrize("mode", ["joint", "national"])
def test_iea_ess_passing_supplies_and_drawing_by_obligation(mode):
    # noisy demand moves the group loss across the 7% and 12% bands from run to run and day to day
    from tests.test_agreement import IEP_PAIR

    data = build(
        IEP_PAIR,
        horizon_days=30,
        regions__a__demand__ree__noise_cv=0.3,
        regions__b__demand__ree__noise_cv=0.3,
        regions__a__sourcing__ree={"china": 0.2, "other": 0.8},
    )
    if mode == "national":
        data["agreement"]["pool"] = {"mode": "national"}
        data["regions"]["a"]["reserve"] = {"ree": {"tonnes": 60}}
        data["regions"]["b"]["reserve"] = {"ree": {"tonnes": 20}}
    assert_batch_equals_reference(data, seeds=list(range(12)))


def test_release_times_with_a_drawn_embargo_start():
    # the embargo starts on a drawn day, before or after the surge activates the agreement:
    # the emergency lead time shortens the normal one only in some runs
    surge = {"id": "surge", "kind": "demand_surge", "regions": ["japan"], "factor": 1.5, "start": 0, "end": 60}
    halt = {**DELAYS[2], "end": 60}
    data = build(
        TWO_MEMBERS,
        shocks=[surge, halt],
        regions__japan__demand__ree__noise_cv=0.1,
        agreement__release_times={"normal_days": 30, "emergency_days": 8},
    )
    assert_batch_equals_reference(data, seeds=list(range(12)))


def test_curves_are_kept_only_when_asked_for():
    plan = compile_plan(validate_data(build(ONE_REGION, horizon_days=5)))
    draws = draw_batch([plan], [0])
    assert run_batch(plan, draws).curves is None
    assert run_batch(plan, draws, curves=True).curves["shortfall_t"].shape == (1, 5, 1, 1)


def test_the_fast_path_logs_the_kernels_events_of_day_0():
    # Japan's empty reserve refills at 5 t/day toward 20 t from day 0: orders on days 0..3
    data = build(ONE_REGION, horizon_days=10, regions__japan__reserve={"ree": {"tonnes": 0, "target_days": 2}})
    data["regions"]["japan"]["reserve"]["ree"]["refill_t_per_day"] = 5
    plan = compile_plan(validate_data(data))
    log = EventLog(plan.structure)
    run_batch(plan, draw_batch([plan], [0]), log=log)
    orders = [(e.day, e.quantity) for e in log.of_run(0, ("refill_order",))]
    assert orders == [(0, 5.0), (1, 5.0), (2, 5.0), (3, 5.0)]


RANDOM_START_DELAY = {
    "id": "inspections",
    "kind": "delay",
    "supplier": "china",
    "start": {"distribution": "uniform", "low": 0, "high": 30},
    "duration_days": 10,
    "extra_days": 10,
}


def test_a_delay_starting_on_a_random_day_holds_back_each_runs_own_arrivals():
    # lead 5 days, 10 t/day shipped; shipments leaving on days s..s+9 take 15 days, so
    # nothing arrives on days s+5..s+14 and twice 10 t arrives on days s+15..s+24
    data = build(ONE_REGION, horizon_days=70, shocks=[RANDOM_START_DELAY])
    plan = compile_plan(validate_data(data))
    seeds = list(range(12))
    draws = draw_batch([plan] * len(seeds), seeds)
    batch = run_batch(stack_plans([plan] * len(seeds)), draws, curves=("arrivals_t",))
    starts = draws.shock_start[0]
    assert len(set(starts.tolist())) > 5  # lead times differ between runs on most days
    for row, start in enumerate(starts):
        expected = np.full(70, 10.0)
        expected[start + 5 : start + 15] = 0.0
        expected[start + 15 : start + 25] = 20.0
        assert batch.curves["arrivals_t"][row, :, 0, 0] == pytest.approx(expected), start


def test_a_noisy_pair_with_a_random_start_delay_equals_the_reference_engine():
    shock = {**RANDOM_START_DELAY, "id": "customs", "extra_days": {"distribution": "uniform", "low": 3, "high": 20}}
    shock["duration_days"] = {"distribution": "uniform", "low": 5, "high": 25}
    data = build(
        TWO_MEMBERS,
        horizon_days=90,
        shocks=[shock, DELAYS[0]],
        regions__japan__demand__ree__noise_cv=0.2,
        regions__eu__demand__ree__noise_cv=0.1,
        regions__japan__commercial_stock__ree__tonnes=100,
        regions__eu__commercial_stock__ree__tonnes=400,
    )
    assert_batch_equals_reference(data, seeds=list(range(30)))


def _settled_pair(settlement: dict) -> dict:
    """TWO_MEMBERS with noisy demand, a random halt that ends and a refilling pool, under ``settlement``."""
    return build(
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


@pytest.mark.parametrize(
    "settlement",
    [{"kind": "sale"}, {"kind": "sale", "price_usd_per_kg": 20}, {"kind": "loan", "term_days": 7}],
    ids=["sale", "sale_set_price", "loan"],
)
def test_settlements_and_honest_cover_agree_bit_for_bit(settlement):
    # sales, loans, repayments and the three days-of-cover variants all come from the kernel both engines call
    assert_batch_equals_reference(_settled_pair(settlement), seeds=list(range(6)))


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


def test_procurement_curves_hold_days_0_on_even_with_a_horizon_shorter_than_the_lead_time():
    # lead 5 days, so the warm-up runs from day -5; the horizon is 3 days. Every day 10 t
    # is ordered and shipped from China: the warm-up days are not stored (nor wrap to the
    # end), day 0 is, and a curve with a supplier axis has one
    plan = compile_plan(validate_data(build(ONE_REGION, horizon_days=3)))
    names = ("ordered_t", "shipped_by_supplier_t")
    curves = run_batch(plan, draw_batch([plan], [0]), curves=names).curves
    assert curves["ordered_t"].shape == (1, 3, 1, 1)  # run, day, region, material
    assert curves["shipped_by_supplier_t"].shape == (1, 3, 1, 1, 1)  # ... and supplier
    for name in names:
        assert curves[name].ravel().tolist() == [10.0, 10.0, 10.0], name


def test_regions_with_different_lead_times_each_receive_only_their_own_shipments():
    # Japan 10 t/day with a 5-day lead, the EU 40 t/day with an 8-day lead, same in every
    # run: each cell's shipments land in its own slot of the ring, so from day 0 on Japan
    # receives 10 t and the EU 40 t every day (the warm-up starts on day -8)
    data = build(ONE_REGION, horizon_days=12, suppliers__china__lead_time_days={"japan": 5, "eu": 8})
    data["regions"]["eu"] = build(
        data["regions"]["japan"], demand__ree__tonnes_per_day=40, commercial_stock__ree__tonnes=400
    )
    plan = compile_plan(validate_data(data))
    curves = run_batch(plan, draw_batch([plan], [0]), curves=("arrivals_t",)).curves
    japan, eu = (plan.structure.regions.index(r) for r in ("japan", "eu"))
    assert curves["arrivals_t"][0, :, japan, 0].tolist() == [10.0] * 12
    assert curves["arrivals_t"][0, :, eu, 0].tolist() == [40.0] * 12


def test_the_arrivals_of_a_ring_nothing_was_shipped_through_are_read_only():
    # every day before the first shipment gets the same array of zeros: a write into one
    # day's arrivals would otherwise become arrivals of every later day
    from simulator.fastpath import _Ring

    ring = _Ring(batch=2, length=6, shape=(1, 1, 1))
    arrivals = ring.take(0)
    assert arrivals.shape == (1, 1, 1, 2) and not arrivals.any()
    with pytest.raises(ValueError, match="read-only"):
        arrivals += 1.0
    assert ring.take(1) is arrivals


@functools.cache
def _rich_batch_plans() -> tuple:
    """Noisy runs with a random halt, a refilling pool and loans: every summary metric moves."""
    return (compile_plan(validate_data(_settled_pair({"kind": "loan", "term_days": 7}))),) * 5


@functools.cache
def _rich_full_summary() -> dict:
    plans = list(_rich_batch_plans())
    return run_batch(stack_plans(plans), draw_batch(plans, list(range(5)))).summary


SUMMARY_METRICS = [q.name for q in (*quantities.SUMMARY, *quantities.AGREEMENT_SUMMARY)]


@pytest.mark.parametrize("metric", SUMMARY_METRICS)
def test_a_summary_of_one_metric_holds_the_full_summarys_numbers_of_it(metric):
    plans, full = list(_rich_batch_plans()), _rich_full_summary()
    some = run_batch(stack_plans(plans), draw_batch(plans, list(range(5))), metrics=(metric,)).summary
    assert metric in some or f"agreement.{metric}" in some
    assert set(some) < set(full)
    for name, values in some.items():
        assert np.array_equal(values, full[name], equal_nan=True), name


def test_a_summary_of_some_metrics_has_just_them_and_their_inputs():
    plans = list(_rich_batch_plans())
    some = run_batch(stack_plans(plans), draw_batch(plans, [0] * 5), metrics=("total_shortfall_t", "released_t"))
    # the total is the members' shortfalls summed; released = national + joint releases
    expected = {"shortfall_t", "released_national_t", "released_joint_t", "released_t"}
    assert set(some.summary) == expected | {"agreement.total_shortfall_t", "by_material.total_shortfall_t"}
    with pytest.raises(ValueError, match="'total_shortfall' is not a summary metric"):
        run_batch(stack_plans(plans), draw_batch(plans, [0] * 5), metrics=("total_shortfall",))


def test_without_an_agreement_the_total_shortfall_is_over_all_regions_even_alone():
    data = {k: v for k, v in build(TWO_MEMBERS, regions__japan__demand__ree__noise_cv=0.2).items() if k != "agreement"}
    plans = [compile_plan(validate_data(data))] * 3
    full = run_batch(stack_plans(plans), draw_batch(plans, [1, 2, 3])).summary
    alone = run_batch(stack_plans(plans), draw_batch(plans, [1, 2, 3]), metrics=("total_shortfall_t",)).summary
    # both regions are short every day of the whole-horizon halt: 60 days x 80 t for the EU
    assert (full["shortfall_t"][:, 1, 0] == 60 * 80.0).all()
    np.testing.assert_array_equal(alone["agreement.total_shortfall_t"], full["agreement.total_shortfall_t"])
    np.testing.assert_array_equal(alone["agreement.total_shortfall_t"], full["shortfall_t"].sum(axis=(1, 2)))


def test_output_only_fields_a_batch_reads_are_the_reference_engines_and_the_rest_are_not_worked_out():
    plans = list(_rich_batch_plans())
    shown = ("days_of_cover_runway", "days_of_cover_own", "pool_share_t")
    batch = run_batch(stack_plans(plans), draw_batch(plans, [4] * 5), curves=shown, metrics=("shortfall_t",))
    recorder = ReferenceEngine(plans[0], 4).run()
    for column in shown:
        expected = recorder.arrays[column].astype(np.float32)
        assert np.array_equal(batch.curves[column][0], expected, equal_nan=True), column
    kernel = Kernel(plans[0], draw_batch(plans[:1], [4]), ("shortfall_t",), reads=["days_of_cover_own"])
    kernel.procure(-1, np.zeros((1, 1), bool), np.zeros((2, 1), bool))
    day = kernel.market(0, np.zeros((1, 1), bool), *(np.zeros((2, 1, 1, 1)),) * 2, np.zeros((1, 1, 1)))
    assert day.days_of_cover_own is not None and day.shortfall_t is not None
    assert day.days_of_cover_runway is None and day.holding_cost_usd is None and day.pool_share_t is None


def test_a_cumulative_curve_beside_metrics_that_do_not_need_its_source_is_still_the_running_sum():
    plans = list(_rich_batch_plans())
    shown = ("shortfall_t", "shortfall_cum_t")
    full = run_batch(stack_plans(plans), draw_batch(plans, list(range(5))), curves=shown)
    some = run_batch(stack_plans(plans), draw_batch(plans, list(range(5))), curves=shown, metrics=("released_t",))
    # released_t is worked out from the releases alone: the shortfall is summed only for the curve
    daily_sum = np.cumsum(some.curves["shortfall_t"].astype(np.float64), axis=1)
    assert some.curves["shortfall_cum_t"][:, -1].max() > 0
    np.testing.assert_allclose(some.curves["shortfall_cum_t"], daily_sum, rtol=1e-5, atol=1e-3)
    for name in shown:
        assert np.array_equal(some.curves[name], full.curves[name], equal_nan=True), name
