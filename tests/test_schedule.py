"""The schedule, event by event: reviews, random shock windows, random-start delays,
order-up-to, stand-down, and reserve and pool refills.

Both engines call the same day-step kernel, so comparing their numbers mostly compares
the kernel with itself. What each engine computes on its own is *when* things happen:
the SimPy engine through its processes and timeouts, the fast path arithmetically. Each
test here works the expected event log out by hand and checks it against both.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from simulator.engine import ReferenceEngine
from simulator.events import Event, EventLog
from simulator.fastpath import run_batch
from simulator.plan import compile_plan, stack_plans
from simulator.randomness import draw_batch, draw_run
from simulator.scenario import validate_data
from tests.helpers import ONE_REGION, TWO_MEMBERS, build


def logs(data: dict[str, Any], seeds: list[int], kinds: tuple[str, ...]) -> tuple[list[list[Event]], list[list[Event]]]:
    """Each seed's events of ``kinds`` from the SimPy engine and from one fast-path batch of all seeds."""
    plan = compile_plan(validate_data(data))
    reference = []
    for seed in seeds:
        log = EventLog(plan.structure)
        ReferenceEngine(plan, seed, log=log).run()
        reference.append(log.of_run(0, kinds))
    batch_log = EventLog(plan.structure)
    plans = [plan] * len(seeds)
    run_batch(stack_plans(plans), draw_batch(plans, seeds), log=batch_log)
    fast = [batch_log.of_run(b, kinds) for b in range(len(seeds))]
    return reference, fast


def events(kind: str, days: list[int], subject: str = "", material: str = "", quantity: float = 0.0) -> list[Event]:
    return [Event(0, day, kind, subject, material, quantity) for day in days]


def simplified(log: list[Event]) -> list[tuple[int, str, str, str, float]]:
    """Events without the run index, quantities rounded to 1e-9 t."""
    return [(e.day, e.kind, e.subject, e.material, round(e.quantity, 9)) for e in log]


def assert_both(data: dict[str, Any], seeds: list[int], kinds: tuple[str, ...], expected: Any) -> None:
    """``expected(seed)`` is the hand-worked log of one seed; both engines must produce it."""
    reference, fast = logs(data, seeds, kinds)
    for seed, ref, batch in zip(seeds, reference, fast, strict=True):
        want = simplified(sorted(expected(seed)))
        assert simplified(ref) == want, ("SimPy engine", seed)
        assert simplified(batch) == want, ("fast path", seed)


def test_order_up_to_reviews_every_r_days_from_day_0_and_orders_the_gap_to_the_target():
    # demand d = 10 t/day, lead L = 5, review R = 4, no safety stock: target S = d(L + R) = 90 t.
    # Warm-up flow orders land on days 0..4 (10 t each) and are used the same day.
    # Day 0: on hand 0, in transit 40 (days -4..-1) -> order 50, lands day 5.
    # Day 4: on hand 0, in transit 50 -> order 40, lands day 9.
    # Day 8: on hand 10 (50 landed on day 5, minus 4 days of demand), in transit 40 -> order 40, lands 13.
    # Day 12 and day 16 likewise: on hand 10, in transit 40 -> 40 each, landing 17 and (past the horizon) 21.
    data = build(
        ONE_REGION,
        horizon_days=20,
        regions__japan__commercial_stock__ree__tonnes=0,
        regions__japan__procurement={"replenishment": {"policy": "order_up_to", "review_days": 4}},
    )
    arrivals = [(d, 10.0) for d in range(5)] + [(5, 50.0), (9, 40.0), (13, 40.0), (17, 40.0)]

    def expected(_seed: int) -> list[Event]:
        return events("review", [0, 4, 8, 12, 16], "japan") + [
            Event(0, day, "arrive", "japan/china", "ree", t) for day, t in arrivals
        ]

    assert_both(data, [0], ("review", "arrive"), expected)


def test_a_delay_with_a_random_start_holds_exactly_the_shipments_leaving_in_its_window():
    # lead 5; the delay adds 3 days to shipments leaving on days s..s+3 (s drawn per run)
    delay = {
        "id": "inspections",
        "kind": "delay",
        "supplier": "china",
        "start": {"distribution": "uniform", "low": 10, "high": 20},
        "duration_days": 4,
        "extra_days": 3,
    }
    data = build(ONE_REGION, horizon_days=40, shocks=[delay])
    plan = compile_plan(validate_data(data))

    def expected(seed: int) -> list[Event]:
        draws = draw_run(plan, seed)
        s, e = int(draws.shock_start[0, 0]), int(draws.shock_end[0, 0])
        assert e == s + 4
        landed: dict[int, float] = {}
        for leave in range(-5, 40):
            land = leave + 5 + (3 if s <= leave < e else 0)
            if 0 <= land < 40:
                landed[land] = landed.get(land, 0.0) + 10.0
        return [Event(0, s, "shock_on", "inspections", ""), Event(0, e, "shock_off", "inspections", "")] + [
            Event(0, day, "arrive", "japan/china", "ree", t) for day, t in landed.items()
        ]

    seeds = list(range(12))
    starts = {int(draw_run(plan, seed).shock_start[0, 0]) for seed in seeds}
    assert len(starts) > 3  # the seeds really move the window
    assert_both(data, seeds, ("shock_on", "shock_off", "arrive"), expected)


def test_a_random_shock_window_switches_on_its_drawn_start_and_off_its_drawn_end():
    halt = {
        "id": "halt",
        "kind": "embargo",
        "supplier": "china",
        "regions": ["japan"],
        "start": {"distribution": "uniform", "low": 5, "high": 15},
        "duration_days": {"distribution": "uniform", "low": 3, "high": 8},
    }
    data = build(ONE_REGION, horizon_days=40, shocks=[halt])
    plan = compile_plan(validate_data(data))

    def expected(seed: int) -> list[Event]:
        draws = draw_run(plan, seed)
        s, e = int(draws.shock_start[0, 0]), int(draws.shock_end[0, 0])
        # shipments leaving while the halt is on are lost: nothing lands on days s+5 .. e+4
        landed = [day for day in range(40) if not s + 5 <= day < e + 5]
        return [Event(0, s, "shock_on", "halt", ""), Event(0, e, "shock_off", "halt", "")] + [
            Event(0, day, "arrive", "japan/china", "ree", 10.0) for day in landed
        ]

    assert_both(data, list(range(10)), ("shock_on", "shock_off", "arrive"), expected)


def test_a_shock_already_on_at_the_warm_up_switches_on_on_the_first_day():
    # the halt runs from day -5000, past the warm-up's reach (capped 3650 days back), to day 3:
    # first day = -3650 - lead = -3655
    halt = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -5000, "end": 3}
    data = build(ONE_REGION, horizon_days=12, shocks=[halt])

    def expected(_seed: int) -> list[Event]:
        # shipments of days -3655..2 never leave: the first lands on day 3 + 5 = 8
        return [Event(0, -3655, "shock_on", "halt", ""), Event(0, 3, "shock_off", "halt", "")] + [
            Event(0, day, "arrive", "japan/china", "ree", 10.0) for day in range(8, 12)
        ]

    assert_both(data, [0], ("shock_on", "shock_off", "arrive"), expected)


def pool_world(**changes: Any) -> dict[str, Any]:
    # no supply leaves on days -5..9: both members are short on days 0..14 (the first
    # shipments after the halt land on day 15); the 60 t pool goes on day 0
    return build(
        TWO_MEMBERS,
        horizon_days=40,
        shocks=[
            {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan", "eu"], "start": -100, "end": 10}
        ],
        agreement__trigger={"standdown_days": 7},
        agreement__pool__refill_t_per_day={"ree": 5},
        **changes,
    )


def test_the_agreement_stands_down_standdown_days_after_the_last_gap():
    # last day with a gap: 14; it stands down when day - 14 >= 7, on day 21
    assert_both(pool_world(), [0], ("stand_down",), lambda _s: [Event(0, 21, "stand_down", "", "ree")])


def test_the_pool_refills_at_its_rate_once_no_member_is_short_and_each_refill_lands_a_lead_time_later():
    # refills leave on days 15..26 (5 t a day until 60 t are in the pool or on their way)
    # from China to the pool's location (Japan, lead 5): they land on days 20..31
    def expected(_seed: int) -> list[Event]:
        orders = [Event(0, day, "pool_order", "", "ree", 5.0) for day in range(15, 27)]
        landings = [Event(0, day, "pool_arrive", "china", "ree", 5.0) for day in range(20, 32)]
        return orders + landings

    assert_both(pool_world(), [0], ("pool_order", "pool_arrive"), expected)


def test_a_national_reserve_refills_after_the_gap_at_its_rate_toward_its_target():
    # commercial 20 t lasts days 0..1; the 30 t reserve covers days 2..4; days 5..7 are short;
    # the first shipment after the halt (ended day 3) lands on day 8: no gap from day 8, so
    # refills of 10 t leave on days 8, 9, 10 (then 30 t are in the reserve or on their way)
    # and land on days 13, 14, 15
    halt = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 3}
    data = build(
        ONE_REGION,
        horizon_days=25,
        shocks=[halt],
        regions__japan__commercial_stock__ree__tonnes=20,
        regions__japan__reserve={"ree": {"tonnes": 30, "refill_t_per_day": 10}},
    )

    def expected(_seed: int) -> list[Event]:
        orders = [Event(0, day, "refill_order", "japan", "ree", 10.0) for day in (8, 9, 10)]
        landings = [Event(0, day, "refill_arrive", "japan/china", "ree", 10.0) for day in (13, 14, 15)]
        return orders + landings

    assert_both(data, [0], ("refill_order", "refill_arrive"), expected)


# --- the fast path against the SimPy engine on a large batch using every scheduling feature ----------

BIDS = [
    {"end_use": "magnets", "share": 0.7, "price_usd_per_kg": 120.0},
    {"end_use": "other", "share": 0.3, "price_usd_per_kg": 60.0},
]


def everything() -> dict[str, Any]:
    """Two members; random embargo windows, a random-start delay and a random surge; order-up-to
    on one member (review 5) and flow on the other; national reserves and the joint pool refilled;
    hybrid auctions and fair-ratio releases; demand noise.

    60 days: the embargo and the delay always end within them, a surge may run past the end,
    and in each of 256 runs the stand-down, refills and pool refills are frequent (each kind of
    event happens in over half of the runs), for a third less time than 90 days."""
    shocks = [
        {
            "id": "halt",
            "kind": "embargo",
            "supplier": "china",
            "regions": ["japan", "eu"],
            "start": {"distribution": "uniform", "low": 0, "high": 30},
            "duration_days": {"distribution": "triangular", "low": 5, "mode": 15, "high": 30},
            "severity": {"distribution": "uniform", "low": 0.3, "high": 1.0},
        },
        {
            "id": "customs",
            "kind": "delay",
            "supplier": "china",
            "regions": ["japan"],
            "start": {"distribution": "uniform", "low": 10, "high": 50},
            "duration_days": 10,
            "extra_days": {"distribution": "uniform", "low": 1, "high": 6},
        },
        {
            "id": "rush",
            "kind": "demand_surge",
            "start": {"distribution": "uniform", "low": 20, "high": 60},
            "duration_days": 7,
            "factor": {"distribution": "lognormal", "mean": 1.3, "sd": 0.1},
        },
    ]
    return build(
        TWO_MEMBERS,
        horizon_days=60,
        shocks=shocks,
        regions__japan__commercial_stock__ree__days=15,
        regions__eu__commercial_stock__ree__days=10,
        regions__japan__demand__ree__noise_cv=0.15,
        regions__eu__demand__ree__noise_cv=0.05,
        regions__japan__procurement={"replenishment": {"policy": "order_up_to", "review_days": 5, "safety_days": 3}},
        regions__japan__reserve={"ree": {"tonnes": 40, "refill_t_per_day": 8}},
        regions__eu__reserve={"ree": {"days": 1, "refill_t_per_day": 20}},
        agreement__mechanism="hybrid",
        agreement__trigger={"standdown_days": 6},
        agreement__pool__refill_t_per_day={"ree": 15},
        agreement__auction={"every_days": 4, "bids": {"japan": {"ree": BIDS}, "eu": {"ree": BIDS}}},
    )


def test_a_batch_of_256_mixed_runs_equals_256_runs_of_the_simpy_engine():
    data = everything()
    plan = compile_plan(validate_data(data))
    seeds = list(range(256))
    plans = [plan] * len(seeds)
    batch_log = EventLog(plan.structure)
    batch = run_batch(stack_plans(plans), draw_batch(plans, seeds), curves=True, log=batch_log)
    kinds_seen: set[str] = set()
    for row, seed in enumerate(seeds):
        log = EventLog(plan.structure)
        recorder = ReferenceEngine(plan, seed, log=log).run()
        assert simplified(log.of_run(0)) == simplified(batch_log.of_run(row)), seed
        kinds_seen |= {e.kind for e in log.events}
        for name, values in recorder.summary.items():
            assert np.array_equal(values[0], batch.summary[name][row], equal_nan=True), (name, seed)
        for column, values in batch.curves.items():
            assert np.array_equal(recorder.arrays[column].astype(np.float32), values[row], equal_nan=True)
    # every scheduling feature happened somewhere in the batch
    assert kinds_seen >= {
        "shock_on",
        "shock_off",
        "review",
        "arrive",
        "refill_order",
        "refill_arrive",
        "pool_order",
        "pool_arrive",
        "stand_down",
    }
    auctions = batch.summary["released_auction_t"].sum(axis=(1, 2))
    rule = batch.summary["released_rule_t"].sum(axis=(1, 2))
    assert (auctions > 0).any()
    assert (rule > 0).any()


@pytest.mark.parametrize("review_days", [3, 5, 7])
def test_a_sweep_row_and_stockpile_run_with_its_seed_agree_on_every_metric(review_days, tmp_path):
    """DESIGN: a sweep row reproduces with ``stockpile run --seed``; here with order-up-to,
    random shock windows and delays that start on a random day."""
    import pandas as pd
    import yaml
    from click.testing import CliRunner

    from simulator.cli import main

    data = everything()
    data["regions"]["japan"]["procurement"]["replenishment"]["review_days"] = review_days
    path = tmp_path / "everything.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    out = tmp_path / "sweep"
    swept = CliRunner().invoke(
        main,
        [
            "sweep",
            str(path),
            "--grid",
            "agreement.ratio.japan=0.3,0.6",
            "--runs",
            "3",
            "--workers",
            "1",
            "--no-plots",
            "-o",
            str(out),
        ],
    )
    assert swept.exit_code == 0, swept.output
    table = pd.read_parquet(out / "sweep.parquet")
    for _, row in table.iloc[[1, 5]].iterrows():
        ratio, seed = row["agreement.ratio.japan"], int(row["seed"])
        run_dir = tmp_path / f"run-{seed}-{ratio}"
        done = CliRunner().invoke(
            main,
            [
                "run",
                str(path),
                "--seed",
                str(seed),
                "--set",
                f"agreement.ratio.japan={ratio}",
                "--no-plots",
                "-o",
                str(run_dir),
            ],
        )
        assert done.exit_code == 0, done.output
        import json

        metrics = json.loads((run_dir / "summary.json").read_text())["metrics"]
        for key, value in metrics.items():
            got = row[key]
            if value is None:
                assert pd.isna(got), key
            else:
                assert got == value, key
