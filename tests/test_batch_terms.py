"""Shock terms that differ between runs: a perceived severity, a leak and a release share one batch.

Plans that differ only in these terms have one structure, so a sweep or a sensitivity
study over them runs in a few large batches; each run must still give exactly what it
gives alone.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.fastpath import run_batch
from simulator.kernel.border import Border
from simulator.plan import Plan, compile_plan, stack_plans
from simulator.quantities import DAILY
from simulator.randomness import draw_batch
from simulator.scenario import load_scenario, validate_data
from tests.helpers import ONE_REGION, ROOT, build, halt

CURVES = tuple(q.name for q in DAILY)
"""Every daily quantity, those of the border (held, leaked) and the perceived risk included."""

HISTORICAL = ROOT / "scenarios" / "embargo_2010_historical.yaml"
HALT, SLOWDOWN, EU_HALT = "shocks.china_japan_halt", "shocks.china_japan_slowdown", "shocks.china_eu_halt"
VARIANTS: list[dict[str, object]] = [
    {},  # as written: the halt leaks 70% (7 extra days) and clears its held cargo over 30 days
    {f"{HALT}.leak_share": 0.0, f"{HALT}.release_days": 0, "shocks.china_quota_2011.perceived_severity": 0.2},
    {
        f"{HALT}.leak_share": 0.2,
        f"{HALT}.leak_extra_days": 21,
        f"{HALT}.release_days": 60,
        f"{EU_HALT}.release_days": 15,  # 0 in the other runs
        "shocks.china_quota_h2_2010.perceived_severity": 0.3,
    },
    {f"{SLOWDOWN}.leak_share": 0.3, f"{SLOWDOWN}.leak_extra_days": 3, f"{HALT}.perceived_severity": 0.5},
    {f"{HALT}.leak_share": 0.0, f"{HALT}.release_days": 0, "shocks.china_quota_2011.perceived_severity": 0.2},
]
"""Points of the historical replay that differ only in per-run shock terms (the last repeats the second)."""


def historical_plans() -> list[Plan]:
    return [compile_plan(load_scenario(HISTORICAL, list(v.items()))) for v in VARIANTS]


def assert_bits(expected: np.ndarray, got: np.ndarray, what: object) -> None:
    """Equal bit for bit: dtype, shape and bytes (so +0.0 and -0.0 differ, NaN equals NaN)."""
    assert expected.dtype == got.dtype and expected.shape == got.shape, what
    assert expected.tobytes() == got.tobytes(), what


def assert_batch_equals_runs_alone(plans: list[Plan], seeds: list[int], alone: list[Plan] | None = None) -> None:
    """A batch of ``plans`` gives each run, bit for bit, what its plan gives alone (every summary and
    daily quantity); ``alone``: the plans to run alone instead (default: ``plans`` themselves)."""
    batch = run_batch(stack_plans(plans), draw_batch(plans, seeds), curves=CURVES)
    assert batch.curves is not None
    for row, (plan, seed) in enumerate(zip(alone or plans, seeds, strict=True)):
        alone = run_batch(stack_plans([plan]), draw_batch([plan], [seed]), curves=CURVES)
        assert alone.curves is not None and set(alone.summary) == set(batch.summary)
        for name, values in alone.summary.items():
            assert_bits(values[0], batch.summary[name][row], (name, row))
        for name, values in alone.curves.items():
            assert_bits(values[0], batch.curves[name][row], (name, row))


def test_points_that_differ_only_in_per_run_shock_terms_share_one_structure():
    plans = historical_plans()
    assert len({plan.structure for plan in plans}) == 1
    assert stack_plans(plans).batch == len(VARIANTS)


def test_a_term_every_run_must_share_still_keeps_plans_apart():
    # whether stopped cargo is held or lost changes which state the border keeps
    halt = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 10, "end": 20}
    held, lost = (
        compile_plan(validate_data(build(ONE_REGION, shocks=[{**halt, "on_halt": h}]))) for h in ("held", "lost")
    )
    assert held.structure != lost.structure
    with pytest.raises(ValueError, match="different structure"):
        stack_plans([held, lost])


def test_a_mixed_batch_of_the_historical_replay_gives_each_run_what_it_gives_alone():
    plans = historical_plans()
    assert_batch_equals_runs_alone(plans, seeds=[0] * len(plans))
    # the terms change the answer (else this test could not see a run take another's terms)
    batch = run_batch(stack_plans(plans), draw_batch(plans, [0] * len(plans)), curves=("leaked_t", "perceived_risk"))
    assert batch.curves is not None
    leaked = batch.curves["leaked_t"].sum(axis=(1, 2, 3))
    assert leaked[0] > leaked[2] > 0.0 and leaked[1] == leaked[4] == 0.0
    risk = batch.curves["perceived_risk"]
    assert not np.array_equal(risk[0], risk[1]) and not np.array_equal(risk[0], risk[3])


def test_a_batch_mixing_leaks_and_releases_ships_each_runs_own_by_hand():
    # Japan orders 10 t a day over a 5-day route; the halt holds what it stops on days 10..19
    # (shipments land 5 days later). Per run:
    # - all at once, no leak: the 100 t held leave on day 20 with the day's 10 t: 110 t on day 25;
    # - over 5 days, no leak: 20 t a day on days 20..24 beside the normal 10 t: 30 t on days 25..29;
    # - all at once, 30% leaks with 3 extra days: 3 t a day land on days 18..27, the 70 t held
    #   on day 25 (83 t with the day's 10 t and the leak);
    # - over 5 days, 50% leaks with no extra day: 5 t a day land on days 15..24, then the 50 t
    #   held leave at 10 t a day: 20 t on days 25..29.
    terms = [(0, 0.0, 0), (5, 0.0, 0), (0, 0.3, 3), (5, 0.5, 0)]
    plans = [
        compile_plan(
            validate_data(
                build(
                    ONE_REGION,
                    shocks=[halt(on_halt="held", release_days=release, leak_share=leak, leak_extra_days=extra)],
                )
            )
        )
        for release, leak, extra in terms
    ]
    batch = run_batch(stack_plans(plans), draw_batch(plans, [0] * 4), curves=("arrivals_t",))
    assert batch.curves is not None
    got = batch.curves["arrivals_t"][:, :, 0, 0]  # (run, day)
    expected = np.full((4, 40), 10.0)
    expected[:, 15:25] = 0.0
    expected[0, 25] = 110.0
    expected[1, 25:30] = 30.0
    expected[2, 18:25], expected[2, 25], expected[2, 26:28] = 3.0, 83.0, 13.0
    expected[3, 15:25], expected[3, 25:30] = 5.0, 20.0
    assert got == pytest.approx(expected)
    assert_batch_equals_runs_alone(plans, seeds=[0] * 4)


def test_a_run_whose_shock_leaks_nothing_keeps_the_leak_days_of_the_others():
    # two lost halts on Japan's only route, days 10..19: the first stops half of the 10 t a day
    # and leaks 40% of it (2 t) with 2 extra days; the second stops the other 5 t, with 6 extra
    # days for what leaks. Run 0: nothing leaks, nothing lands on days 15..24. Run 1: the
    # second leaks nothing, so the 2 t land 7 days after they leave (days 17..26). Run 2: it
    # leaks 50% (2.5 t) and all 4.5 t travel with the longest extra time, landing 11 days
    # after they leave (days 21..30).
    def plan_of(first_leak: float, second_leak: float) -> Plan:
        halts = [
            {"id": "half", "severity": 0.5, "leak_share": first_leak, "leak_extra_days": 2},
            {"id": "rest", "severity": 1.0, "leak_share": second_leak, "leak_extra_days": 6},
        ]
        common = {"kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 10, "end": 20}
        return compile_plan(validate_data(build(ONE_REGION, shocks=[{**common, **h} for h in halts])))

    plans = [plan_of(0.0, 0.0), plan_of(0.4, 0.0), plan_of(0.4, 0.5)]
    batch = run_batch(stack_plans(plans), draw_batch(plans, [0] * 3), curves=("arrivals_t",))
    assert batch.curves is not None
    got = batch.curves["arrivals_t"][:, :, 0, 0]
    expected = np.full((3, 40), 10.0)
    expected[:, 15:25] = 0.0
    expected[1, 17:25], expected[1, 25:27] = 2.0, 12.0
    expected[2, 21:25], expected[2, 25:31] = 4.5, 14.5
    assert got == pytest.approx(expected)
    assert_batch_equals_runs_alone(plans, seeds=[0] * 3)


def test_held_residue_leaves_at_once_only_in_the_runs_that_release_at_once():
    # goods held up to 1e-9 t start no spread release, but a run with release_days 0 lets
    # them out at once: in a batch of one run of each, only that run's residue leaves
    halt = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 10, "end": 20}
    plans = [
        compile_plan(validate_data(build(ONE_REGION, shocks=[{**halt, "on_halt": "held", "release_days": days}])))
        for days in (5, 0)
    ]
    stacked = stack_plans(plans)
    border = Border(stacked, draw_batch(plans, [0, 0]))
    k = border.held_ids[0]
    border.held[0] = 0.0
    border.held[0, 0, 0, 0, 1] = 4e-10
    assert border._releasing(0, k)
    out = border._release(0, k, np.zeros(2, bool))
    assert out[0, 0, 0].tolist() == [0.0, 4e-10]
    border.held[0, 0, 0, 0] = [4e-10, 0.0]  # now only the run that spreads its release holds a residue
    assert not border._releasing(0, k)
    out = border._release(0, k, np.zeros(2, bool))
    assert not out.any() and border.held[0, 0, 0, 0].tolist() == [4e-10, 0.0]


def test_a_drawn_severity_is_perceived_run_by_run_unless_a_perceived_severity_is_stated():
    # a quota cut on the only supplier, severity drawn in 0.2..0.8, perceived within a day:
    # the perceived risk of day 0 is the run's own severity, or the stated 0.9 in the last run
    cut = {"id": "cut", "kind": "quota_cut", "supplier": "china", "start": 0, "end": 1000}
    cut["severity"] = {"distribution": "uniform", "low": 0.2, "high": 0.8}
    blocks = {"ree": {"price": {"sensitivity": 2.0, "adjustment_days": 1.0}, "risk": {"perception_days": 1.0}}}
    drawn = compile_plan(validate_data(build(ONE_REGION, shocks=[cut], market=blocks)))
    stated = compile_plan(validate_data(build(ONE_REGION, shocks=[{**cut, "perceived_severity": 0.9}], market=blocks)))
    plans, seeds = [drawn, drawn, drawn, stated], [1, 2, 3, 4]
    draws = draw_batch(plans, seeds)
    severity = draws.shock_magnitude[0]
    assert len(set(severity.tolist())) == 4 and ((severity >= 0.2) & (severity <= 0.8)).all()
    batch = run_batch(stack_plans(plans), draws, curves=("perceived_risk",))
    assert batch.curves is not None
    assert batch.curves["perceived_risk"][:, 0, 0] == pytest.approx([*severity[:3], 0.9])
    assert_batch_equals_runs_alone(plans, seeds)
