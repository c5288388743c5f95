"""The agreement's day (``simulator.kernel.agreement``) on cases that mutation testing showed no other test pinned down.

Each test is worked out by hand and fails on the mutants it was written for (checked on each
mutant); docs/mutation-testing.md ("Kernel: the agreement") lists the survivors that are
equivalent. A measured supply loss first (what switches ``hybrid`` to the fair ratio), then
activation (the commercial-stock trigger, release times in a batch), the auction (bids, when
one is held, each run's terms in a batch, pay-as-bid, a region that is not a member, gaps at
the rounding threshold beside bought stock, the stock left unused), the rule material by
material, national lending, the IEA's sharing with terms other than the defaults, the
shared stock a member may draw, and last a bug found on the way, since fixed.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from simulator.engine import ReferenceEngine
from simulator.fastpath import run_batch
from simulator.kernel.agreement import AgreementStep
from simulator.numeric import EPS_T
from simulator.plan import compile_plan, stack_plans
from simulator.randomness import draw_batch
from simulator.scenario import validate_data
from tests.helpers import TWO_MEMBERS, add_material, build, run, series
from tests.invariants import check_invariants
from tests.test_agreement import BIDS, IEP_PAIR
from tests.test_market import market_auction


def add_outsider(
    data: dict[str, Any], name: str, supplier: str, lead_days: int, reserve: dict[str, Any] | None = None
) -> None:
    """A region outside the agreement: 10 t/day of ``ree``, no stock, all of it from ``supplier``."""
    data["regions"][name] = {
        "demand": {"ree": {"tonnes_per_day": 10}},
        "commercial_stock": {"ree": {"tonnes": 0}},
        "sourcing": {"ree": {supplier: 1.0}},
        **({"reserve": reserve} if reserve is not None else {}),
    }
    data["suppliers"][supplier]["lead_time_days"][name] = lead_days


# --- a measured supply loss ---------------------------------------------------------------

BID = [{"share": 1.0, "price_usd_per_kg": 100.0}]


def hybrid(*shocks: dict[str, Any], **trigger: Any) -> dict[str, Any]:
    """TWO_MEMBERS (20 and 80 t/day, no commercial stock, a 60 t pool) under ``hybrid``, with ``shocks``.

    Both members bid 100 USD/kg every 7 days. A second supplier, "other", has routes to both
    members, which buy nothing from it. ``trigger`` is the agreement's trigger.
    """
    data = build(
        TWO_MEMBERS,
        shocks=list(shocks),
        agreement__mechanism="hybrid",
        agreement__auction={"every_days": 7, "bids": {"japan": {"ree": BID}, "eu": {"ree": BID}}},
    )
    data["suppliers"]["other"] = {"lead_time_days": {"japan": 5, "eu": 5}}
    if trigger:
        data["agreement"]["trigger"] = trigger
    return data


def cut(severity: float, supplier: str = "china") -> dict[str, Any]:
    """A quota cut by ``supplier`` since long before day 0: arrivals are cut from day 0."""
    return {"id": f"cut_{supplier}", "kind": "quota_cut", "supplier": supplier, "start": -100, "end": 1000,
            "severity": severity}  # fmt: skip


DECLARED = {"id": "declared", "kind": "embargo", "supplier": "other", "regions": ["japan"], "start": -100, "end": 1000}
"""An embargo declared against Japan by a supplier it buys nothing from: its arrivals do not change."""


def rules(data: dict[str, Any]) -> set[str]:
    result = run(data)
    check_invariants(result)
    return set(series(result, "release_rule", "japan")) - {""}


def loss(window_days: int = 5, **thresholds: float) -> dict[str, Any]:
    return {"window_days": window_days, **thresholds}


@pytest.mark.parametrize(
    ("shocks", "trigger", "expected"),
    [
        # the declared embargo alone switches by default (it is what switch_on names) ...
        pytest.param([cut(0.05), DECLARED], {}, {"fair_ratio"}, id="declared-by-default"),
        # ... but not when only a measured loss switches; and arrivals at 95% of normal are no
        # loss (the group's above 90%, each member's above 80%): auctions throughout
        pytest.param(
            [cut(0.05), DECLARED],
            {"measured_loss": loss(), "switch_on": "measured_loss"},
            {"auction"},
            id="declared-not-measured",
        ),
        # arrivals at half of normal are a measured loss, but switch_on: declared_embargo
        # (the default) lets only a declared embargo switch
        pytest.param([cut(0.5)], {"measured_loss": loss()}, {"auction"}, id="measured-not-switching"),
        # 85% of normal: the group's loss holds (below 90%) though no member's does (above 80%)
        pytest.param(
            [cut(0.15)], {"measured_loss": loss(), "switch_on": "measured_loss"}, {"fair_ratio"}, id="group-only"
        ),
        # half of normal against thresholds of exactly a half: "below" is strict, no loss
        pytest.param(
            [cut(0.5)],
            {"measured_loss": loss(group_below=0.5, member_below=0.5), "switch_on": "measured_loss"},
            {"auction"},
            id="at-the-thresholds",
        ),
        # a window of a single day measures the loss too
        pytest.param(
            [cut(0.5)],
            {"measured_loss": loss(window_days=1), "switch_on": "measured_loss"},
            {"fair_ratio"},
            id="one-day",
        ),
    ],
)
def test_hybrid_switches_to_the_fair_ratio_on_what_switch_on_names(shocks, trigger, expected):
    """``hybrid`` uses the fair ratio on days its switch holds (``switch_on``), else auctions.

    A measured loss holds when the members' arrivals over the window are below
    ``group_below`` of normal (their baseline demand), or one member's below
    ``member_below`` of its own (defaults 0.9 and 0.8). Every arrival is cut by the same
    share from day 0 and both members are short every day, so one rule holds throughout.
    """
    assert rules(hybrid(*shocks, **trigger)) == expected


def test_one_members_measured_loss_switches_though_the_groups_arrivals_are_near_normal():
    """One member's arrivals below ``member_below`` of its own normal are a measured loss.

    Japan buys 40% of its 20 t from "other", whose exports are cut off: it receives 12 t a
    day (60% of normal, below 80%), while the group receives 92 of 100 t (above 90%). The
    fair ratio gives Japan its 8 t gap every day from the 60 t pool while it lasts.
    """
    data = hybrid(cut(1.0, "other"), measured_loss=loss(), switch_on="measured_loss")
    data["regions"]["japan"]["sourcing"]["ree"] = {"china": 0.6, "other": 0.4}
    result = run(data)
    check_invariants(result)
    assert series(result, "arrivals_t", "japan")[:10] == pytest.approx(12.0)
    assert set(series(result, "release_rule", "japan")) == {"fair_ratio"}
    assert series(result, "released_rule_t", "japan")[:7] == pytest.approx(8.0)


def test_a_member_whose_normal_is_rounding_measures_no_loss():
    """A member whose normal arrivals over the window are no more than EPS_T (1e-9 t) measures no loss.

    The agreement's measurement on one day with a 1-day window: Japan's normal is exactly
    1e-9 t and it receives nothing, the EU receives its normal 100 t (the group is at 100%
    of normal): Japan's 0 t against 1e-9 t is rounding, not a loss. With a normal of
    2e-9 t it is one.
    """
    data = hybrid(cut(0.5), measured_loss=loss(window_days=1), switch_on="measured_loss")
    for normal, lost in ((EPS_T, False), (2 * EPS_T, True)):
        step = AgreementStep(compile_plan(validate_data(data)))
        got = step._measured_loss(
            0, np.array([0.0, 100.0]).reshape(2, 1, 1), np.array([normal, 100.0]).reshape(2, 1, 1)
        )
        assert got.tolist() == [[lost]]


def test_a_run_without_a_measured_loss_measures_none_in_a_batch_with_one():
    """A run whose agreement measures no loss never has one, even where its rolling sums round below zero.

    In a batch with a run that measures a loss over 2 days, both runs' arrivals are summed
    over the same days: Japan receives 0.7 t, 0.1 t, then nothing. On day 3 the rolling
    sum, 0.7 + 0.1 - 0.7 - 0.1, is -1.4e-16 t by rounding, below the thresholds of 0 that a
    run without a measured loss has; that run still measures nothing, while the other
    measures a loss every day (at most 0.8 t of a normal 200 t over 2 days).
    """
    plans = [compile_plan(validate_data(d)) for d in (hybrid(cut(0.5)), hybrid(cut(0.5), measured_loss=loss(2)))]
    step = AgreementStep(stack_plans(plans))
    normal = np.broadcast_to(np.array([20.0, 80.0]).reshape(2, 1, 1), (2, 1, 2))
    for day, japan in enumerate((0.7, 0.1, 0.0, 0.0)):
        arrived = np.zeros((2, 1, 2))
        arrived[0] = japan
        got = step._measured_loss(day, arrived, normal)
        assert got[0].tolist() == [False, True]
    assert step.arrived_sum[0, 0, 0] < 0.0


# --- activation: the commercial-stock trigger, release times -------------------------------


@pytest.mark.parametrize(("days_below", "opens"), [(4, 12), (1, 15)])
def test_commercial_stock_below_the_trigger_activates_the_agreement_on_that_day(days_below, opens):
    """``commercial_days_below`` activates the agreement the first day a member's stock is below that cover.

    TWO_MEMBERS, each needing 0.5 t/day (under a tonne) from 5 t of commercial stock, nothing
    arriving, with a decision lag of 6 days. Below 4 days (2 t): stock ends day 5 at exactly
    2 t (not below) and day 6 at 1.5 t, so the agreement activates on day 6 and releases open
    on day 12. Below 1 day (0.5 t): stock ends day 8 at exactly 0.5 t and day 9 at 0, so it
    activates on day 9, a day before the first gap, and opens on day 15. Stock runs out at
    the end of day 9: each member is short 0.5 t a day from day 10 until releases open,
    then receives its 0.5 t a day from the pool.
    """
    data = build(
        TWO_MEMBERS,
        horizon_days=20,
        regions__japan__demand__ree__tonnes_per_day=0.5,
        regions__eu__demand__ree__tonnes_per_day=0.5,
        regions__japan__commercial_stock__ree__tonnes=5,
        regions__eu__commercial_stock__ree__tonnes=5,
        agreement__trigger={"commercial_days_below": days_below},
        agreement__decision_lag_days=6,
    )
    result = run(data)
    check_invariants(result)
    short = np.zeros(20)
    short[10:opens] = 0.5
    for member in ("japan", "eu"):
        assert series(result, "commercial_stock_t", member)[5:10].tolist() == [2.0, 1.5, 1.0, 0.5, 0.0]
        assert series(result, "shortfall_t", member) == pytest.approx(short)
        assert series(result, "released_joint_t", member)[opens:] == pytest.approx(0.5)


def test_runs_with_and_without_release_times_share_a_batch_run_by_run():
    """A run with release times and one with a decision lag instead give in a batch what they give alone.

    TWO_MEMBERS, both members cut off since before day 0: with release times (normal 30
    days, emergency 8) releases open on day 8, the emergency lead time; with a decision lag
    of 3 days instead, on day 3. Batched together, each run gives the numbers it gives alone.
    """
    variants = [
        build(TWO_MEMBERS, agreement__release_times={"normal_days": 30, "emergency_days": 8}),
        build(TWO_MEMBERS, agreement__decision_lag_days=3),
    ]
    for data, first in zip(variants, (8, 3), strict=True):
        released = series(run(data), "released_joint_t", "japan")
        assert np.flatnonzero(released)[0] == first
    plans = [compile_plan(validate_data(v)) for v in variants]
    batch = run_batch(stack_plans(plans), draw_batch(plans, [0, 0]))
    for row, plan in enumerate(plans):
        alone = ReferenceEngine(plan, 0).run().summary
        for name, values in alone.items():
            assert np.array_equal(values[0], batch.summary[name][row], equal_nan=True), (name, row)


# --- the auction ---------------------------------------------------------------------------


def test_auction_bids_count_the_stock_a_member_holds():
    """A member bids for its expected gap until the next auction less its commercial and bought stock.

    TWO_MEMBERS under the auction (Japan bids 100 USD/kg, the EU 50, every 7 days) with a
    pool of 5,000 t (no bid is cut), and 160 t of commercial stock for the EU. Day 0: the
    EU has used 80 t and holds 80: it bids 7 x 80 - 80 = 480 t. It uses the 80 t on day 1
    and 80 t a day of what it bought on days 2..6: on day 7 it still holds 80 t bought, and
    bids 560 - 80 = 480 t again; on day 14 it holds nothing and bids 560 t. Japan, without
    stock, bids 7 x 20 = 140 t each time.
    """
    data = build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction=BIDS)
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 2500}}, "eu": {"ree": {"tonnes": 2500}}}
    data["regions"]["eu"]["commercial_stock"]["ree"]["tonnes"] = 160
    result = run(data)
    check_invariants(result)
    auctions = result.auctions.iloc[:3]
    assert auctions["day"].tolist() == [0, 7, 14]
    assert auctions["won_t.eu"].tolist() == pytest.approx([480.0, 480.0, 560.0])
    assert auctions["won_t.japan"].tolist() == pytest.approx([140.0] * 3)
    assert series(result, "auction_stock_t", "eu")[6] == pytest.approx(80.0)
    assert series(result, "shortfall_t", "eu")[:21] == pytest.approx(0.0)


def test_runs_with_different_service_levels_share_a_batch_run_by_run():
    """Each run of a batch bids with its own service level's margin, as it does alone.

    Only Japan bids (80 USD/kg, every 7 days, 1,000 t on offer), for 7 x 20 = 140 t plus
    ``z x 0.2 x 20 x sqrt(7)`` for a noise of cv 0.2: 17.4 t at a service level of 0.95
    (z = 1.645), 24.6 t at 0.99 (z = 2.326). Batched together, with a run without a margin,
    each run gives the numbers it gives alone.
    """
    bids = {"japan": {"ree": [{"share": 1.0, "price_usd_per_kg": 80.0}]}, "eu": {"ree": []}}
    data = build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction={"every_days": 7, "bids": bids})
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 500}}, "eu": {"ree": {"tonnes": 500}}}
    data["regions"]["japan"]["demand"]["ree"]["noise_cv"] = 0.2
    variants = [build(data, agreement__auction__service_level=level) for level in (0.95, 0.99)] + [data]
    plans = [compile_plan(validate_data(v)) for v in variants]
    batch = run_batch(stack_plans(plans), draw_batch(plans, [0, 0, 0]))
    for row, (plan, z) in enumerate(zip(plans, (1.6448536, 2.3263479, 0.0), strict=True)):
        alone = ReferenceEngine(plan, 0).run()
        for name, values in alone.summary.items():
            assert np.array_equal(values[0], batch.summary[name][row], equal_nan=True), (name, row)
        margin = z * 0.2 * 20 * np.sqrt(7)
        assert alone.arrays["auction_spend_usd"][0, 0, 0] == pytest.approx((140 + margin) * 80_000, rel=1e-6)


def test_a_service_level_under_a_z_of_1_adds_its_margin():
    """A service level whose z is under 1 (0.75: z = 0.674) still adds its margin to the bid.

    Only Japan bids (80 USD/kg, every 7 days, 1,000 t on offer), for 7 x 20 = 140 t plus
    ``z x 0.2 x 20 x sqrt(7)`` for a noise of cv 0.2: 0.674 x 10.58 = 7.14 t; it pays
    80 USD/kg for 147.14 t.
    """
    bids = {"japan": {"ree": [{"share": 1.0, "price_usd_per_kg": 80.0}]}, "eu": {"ree": []}}
    data = build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction={"every_days": 7, "bids": bids})
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 500}}, "eu": {"ree": {"tonnes": 500}}}
    data["regions"]["japan"]["demand"]["ree"]["noise_cv"] = 0.2
    data["agreement"]["auction"]["service_level"] = 0.75
    first = run(data, seed=0).auctions.iloc[0]
    margin = 0.6744898 * 0.2 * 20 * np.sqrt(7)
    assert margin == pytest.approx(7.14, abs=0.01)
    assert first["won_t.japan"] == pytest.approx(140 + margin, rel=1e-6)
    assert first["spend_usd.japan"] == pytest.approx((140 + margin) * 80_000, rel=1e-6)


def test_runs_with_different_release_caps_share_a_batch_run_by_run():
    """Each run of a batch offers its own release cap's lot, as it does alone.

    The auction of TWO_MEMBERS (Japan bids 100 USD/kg for 140 t, the EU 50 USD/kg for 560 t,
    every 7 days; 1,000 t in the pool) with a release cap of 10 t/day offers lots of
    7 x 10 = 70 t, all to Japan; with 100 t/day, 700 t, as much as both bid for. Batched
    with a run without a cap, each run gives the numbers it gives alone.
    """
    data = build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction=BIDS)
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 500}}, "eu": {"ree": {"tonnes": 500}}}
    caps = (10.0, 100.0)
    variants = [build(data, agreement__release_cap_t_per_day={"ree": cap}) for cap in caps] + [data]
    plans = [compile_plan(validate_data(v)) for v in variants]
    batch = run_batch(stack_plans(plans), draw_batch(plans, [0, 0, 0]))
    for row, plan in enumerate(plans):
        alone = ReferenceEngine(plan, 0).run().summary
        for name, values in alone.items():
            assert np.array_equal(values[0], batch.summary[name][row], equal_nan=True), (name, row)
    first = [run(v).auctions.iloc[0] for v in variants[:2]]
    assert [a["lot_t"] for a in first] == pytest.approx([70.0, 700.0])
    assert [(a["won_t.japan"], a["won_t.eu"]) for a in first] == [(70.0, 0.0), (140.0, 560.0)]


def test_a_member_that_expects_no_gap_bids_nothing():
    """A member whose stock covers its expected gap until the next auction bids for nothing.

    The auction of TWO_MEMBERS, but the EU holds 1,000 t of commercial stock: on day 0 it
    holds 920 t against an expected 7 x 80 = 560 t, and on day 7 it still holds 360 t
    against 560 t; it bids 0, then 200 t. Japan, without stock, bids 140 t each time.
    """
    data = build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction=BIDS)
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 500}}, "eu": {"ree": {"tonnes": 500}}}
    data["regions"]["eu"]["commercial_stock"]["ree"]["tonnes"] = 1000
    auctions = run(data).auctions.iloc[:2]
    assert auctions["day"].tolist() == [0, 7]
    assert auctions["bid_t.eu"].tolist() == pytest.approx([0.0, 200.0])
    assert auctions["won_t.eu"].tolist() == pytest.approx([0.0, 200.0])
    assert auctions["bid_t.japan"].tolist() == pytest.approx([140.0, 140.0])


def test_runs_with_different_bid_shares_share_a_batch_run_by_run():
    """Each run of a batch splits a member's bid by its own segment shares, as it does alone.

    Japan bids in two segments, at 100 and 40 USD/kg, the EU in two at 50 (for 560 t), against
    a lot of 7 x 50 = 350 t (a release cap of 50 t/day): with shares 0.5/0.5 of Japan's
    140 t the segment at 100 wins 70 t, the EU's the other 280 t; with 0.8/0.2, 112 t and
    238 t. Batched, each run gives the numbers it gives alone.
    """
    variants = []
    for high in (0.5, 0.8):
        segments = [{"share": high, "price_usd_per_kg": 100.0}, {"share": 1 - high, "price_usd_per_kg": 40.0}]
        eu = [{"share": 0.5, "price_usd_per_kg": 50.0}, {"share": 0.5, "price_usd_per_kg": 50.0}]
        auction = {"every_days": 7, "bids": {"japan": {"ree": segments}, "eu": {"ree": eu}}}
        data = build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction=auction)
        data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 500}}, "eu": {"ree": {"tonnes": 500}}}
        variants.append(build(data, agreement__release_cap_t_per_day={"ree": 50}))
    plans = [compile_plan(validate_data(v)) for v in variants]
    batch = run_batch(stack_plans(plans), draw_batch(plans, [0, 0]))
    for row, (plan, japan) in enumerate(zip(plans, (70.0, 112.0), strict=True)):
        alone = ReferenceEngine(plan, 0).run().summary
        for name, values in alone.items():
            assert np.array_equal(values[0], batch.summary[name][row], equal_nan=True), (name, row)
        first = run(variants[row]).auctions.iloc[0]
        assert (first["won_t.japan"], first["won_t.eu"]) == (pytest.approx(japan), pytest.approx(350.0 - japan))


def test_an_auction_nobody_bids_at_is_not_held():
    """An auction day on which no member bids holds no auction.

    The auction of TWO_MEMBERS, but the embargo ends on day 2: shipments arrive again from
    day 7. On day 0 the members buy 7 days of gaps (140 and 560 t), which they draw on days
    0..6; on day 7, the next auction day, they expect no gap and bid nothing: no auction is
    held and nothing is released.
    """
    data = build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction=BIDS)
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 500}}, "eu": {"ree": {"tonnes": 500}}}
    data["shocks"][0]["end"] = 2
    result = run(data)
    assert result.auctions["day"].tolist() == [0]
    rule = series(result, "release_rule", "japan")
    assert set(rule[:7]) == {"auction"} and set(rule[7:]) == {""}


def test_an_auction_for_less_than_a_tonne_is_held():
    """An auction is held for bids of less than a tonne, clears at a price, and its draws are the auction's.

    The auction of TWO_MEMBERS with only Japan embargoed, and needing 0.1 t/day: it bids
    for 7 x 0.1 = 0.7 t, wins it at its own bid, 100 USD/kg (the only bid, the lowest
    filled), and is never short. On days 1..6, without an auction, its draws of 0.1 t of
    what it bought are logged under the auction.
    """
    data = build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction=BIDS)
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 500}}, "eu": {"ree": {"tonnes": 500}}}
    data["shocks"][0]["regions"] = ["japan"]
    data["regions"]["japan"]["demand"]["ree"]["tonnes_per_day"] = 0.1
    result = run(data)
    first = result.auctions.iloc[0]
    assert (first["day"], first["won_t.japan"], first["won_t.eu"]) == (0, pytest.approx(0.7), 0.0)
    assert first["clearing_price_usd_per_kg"] == pytest.approx(100.0)
    assert series(result, "shortfall_t", "japan") == pytest.approx(0.0)
    assert series(result, "released_auction_t", "japan")[1:7] == pytest.approx(0.1)
    assert set(series(result, "release_rule", "japan")[:7]) == {"auction"}


def test_pay_as_bid_auctions_charge_each_winner_its_own_bid():
    """Under ``pay_as_bid`` pricing each winner pays its own bid, not the clearing price.

    The auction of TWO_MEMBERS with 1,000 t in the pool (no bid is cut): on day 0 Japan
    wins its 140 t at its bid of 100 USD/kg, USD 14 million (7 million at the uniform
    clearing price, the EU's 50 USD/kg), and the EU its 560 t at 50 USD/kg, USD 28 million.
    700 t of the 1,000 t lot are sold, 300 t not.
    """
    data = build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction={**BIDS, "pricing": "pay_as_bid"})
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 500}}, "eu": {"ree": {"tonnes": 500}}}
    result = run(data)
    check_invariants(result)
    first = result.auctions.iloc[0]
    assert (first["day"], first["won_t.japan"], first["won_t.eu"]) == (0, pytest.approx(140.0), pytest.approx(560.0))
    assert first["clearing_price_usd_per_kg"] == pytest.approx(50.0)
    assert (first["spend_usd.japan"], first["spend_usd.eu"]) == (pytest.approx(14e6), pytest.approx(28e6))
    assert (first["lot_t"], first["sold_t"], first["unsold_t"]) == (1000.0, pytest.approx(700.0), pytest.approx(300.0))


def test_members_keep_what_they_win_when_a_region_is_not_a_member():
    """Stock won at auction is added to what each member holds when some region is not a member.

    The auction of TWO_MEMBERS (500 t in the pool from each member) beside a third region,
    the US (10 t/day from China, not embargoed), that is not a member. On day 0 Japan wins
    140 t and the EU 560 t; each uses a day's demand, 20 and 80 t, and holds 120 and
    480 t of auction stock at the end of the day, 20 and 80 t less each day until the next
    auction on day 7. Neither is short until then; the US never holds auction stock nor is short.
    """
    data = build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction=BIDS, horizon_days=14)
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 500}}, "eu": {"ree": {"tonnes": 500}}}
    add_outsider(data, "us", "china", lead_days=5)
    result = run(data)
    check_invariants(result)
    first = result.auctions.iloc[0]
    assert (first["day"], first["won_t.japan"], first["won_t.eu"]) == (0, pytest.approx(140.0), pytest.approx(560.0))
    days = np.arange(7)
    assert series(result, "auction_stock_t", "japan")[:7] == pytest.approx(120.0 - 20.0 * days)
    assert series(result, "auction_stock_t", "eu")[:7] == pytest.approx(480.0 - 80.0 * days)
    assert series(result, "auction_stock_t", "us") == pytest.approx(0.0)
    assert series(result, "shortfall_t", "us") == pytest.approx(0.0)
    for member in ("japan", "eu"):
        assert series(result, "shortfall_t", member)[:7] == pytest.approx(0.0)


def test_gaps_met_from_bought_stock_leave_no_shared_stock_unused():
    """Stock bought at auction that meets a member's gap closes it: no shared stock is left unused.

    The auction of TWO_MEMBERS with 1,000 t in the pool: on day 0 the members buy 140 and
    560 t, 7 days of their gaps, and 300 t stay in the pool until day 7, while each
    member's gap is met from what it bought: nobody remains short beside that stock, so
    ``unused_release_t`` is 0. On day 7 the EU gets the 160 t left after Japan's 140 and is
    short from day 9, when the pool is empty: 0 unused again. The releases table logs the
    draws of bought stock with no stock available to a sharing rule (0 t: the auction has none).
    """
    data = build(TWO_MEMBERS, horizon_days=14, agreement__mechanism="auction", agreement__auction=BIDS)
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 500}}, "eu": {"ree": {"tonnes": 500}}}
    result = run(data)
    check_invariants(result)
    assert result.pool["pool_stock_t"].tolist() == pytest.approx([300.0] * 7 + [0.0] * 7)
    assert series(result, "shortfall_t", "eu")[:9] == pytest.approx(0.0)
    assert series(result, "shortfall_t", "eu")[9:] == pytest.approx(80.0)
    assert result.summary.iloc[-1]["region"] == "all"
    assert result.summary.iloc[-1]["unused_release_t"] == 0.0
    assert result.releases["day"].tolist()[:7] == list(range(7))
    assert result.releases["available_t"].tolist() == [0.0] * len(result.releases)


def test_a_gap_of_exactly_the_rounding_threshold_draws_no_bought_stock():
    """A member short by 1e-9 t (rounding, not a gap) draws nothing of the stock it bought at auction.

    The auction of TWO_MEMBERS with Japan needing 1e-6 t/day: on day 0 it buys 7e-6 t and
    draws 1e-6 t a day. From day 3 its demand falls to 1e-6 x 0.001 = 1e-9 t (exactly),
    which it cannot meet (nothing arrives): that is no gap, so it draws nothing more and
    keeps 4e-6 t, and is never short. (The EU's gaps keep the agreement busy every day.)
    """
    lull = {"id": "lull", "kind": "demand_surge", "regions": ["japan"], "factor": 0.001, "start": 3, "end": 1000}
    data = build(
        TWO_MEMBERS,
        horizon_days=7,
        agreement__mechanism="auction",
        agreement__auction=BIDS,
        regions__japan__demand__ree__tonnes_per_day=1e-6,
    )
    data["shocks"].append(lull)
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 500}}, "eu": {"ree": {"tonnes": 500}}}
    result = run(data)
    assert result.auctions["won_t.japan"].iloc[0] == pytest.approx(7e-6)
    assert (series(result, "demand_t", "japan")[3:] == 1e-9).all()
    assert series(result, "released_auction_t", "japan")[:3] == pytest.approx(1e-6)
    assert (series(result, "released_auction_t", "japan")[3:] == 0.0).all()
    stock = series(result, "auction_stock_t", "japan")
    assert stock[2] == pytest.approx(4e-6)
    assert (stock[3:] == stock[2]).all()
    assert (series(result, "shortfall_t", "japan") == 0.0).all()


def test_a_gap_left_at_the_rounding_threshold_after_bought_stock_is_not_shared():
    """A gap of exactly 1e-9 t left after a member draws what it bought is rounding: the rule does not act on it.

    ``hybrid`` with a daily auction of a 1e-9 t lot. Japan needs 1e-6 t/day, cut to 1e-9 t on
    day 0 and to 2e-9 t from day 1 (exactly, in floating point), and receives nothing; the
    EU, supplied in full, is short only on day 0 (a surge), which activates the agreement.
    Day 0 is an auction day: Japan buys the 1e-9 t lot (its 1e-9 t gap is rounding, so it
    draws none of it). From day 1 an embargo declared against Japan puts the fair ratio in
    force: on day 1 Japan draws its 1e-9 t and is left short 2e-9 - 1e-9 = 1e-9 t, no gap, so
    no rule decides and the day's release is the auction's; on day 2 the rule gives it its
    2e-9 t.
    """
    bids = {
        "japan": {"ree": [{"share": 1.0, "price_usd_per_kg": 200.0}]},
        "eu": {"ree": [{"share": 1.0, "price_usd_per_kg": 100.0}]},
    }
    data = build(
        TWO_MEMBERS,
        horizon_days=3,
        agreement__mechanism="hybrid",
        agreement__auction={"every_days": 1, "bids": bids, "lot_t": {"ree": 1e-9}},
        agreement__pool__contributions={"japan": {"ree": {"tonnes": 100}}, "eu": {"ree": {"tonnes": 100}}},
        regions__japan__demand__ree__tonnes_per_day=1e-6,
        regions__japan__sourcing={"ree": {"other": 1.0}},
    )
    data["suppliers"]["other"] = {"lead_time_days": {"japan": 5, "eu": 5}}
    data["shocks"] = [
        {"id": "cut_other", "kind": "quota_cut", "supplier": "other", "start": -100, "end": 1000, "severity": 1.0},
        {"id": "rush", "kind": "demand_surge", "regions": ["eu"], "factor": 2.0, "start": 0, "end": 1},
        {"id": "lull", "kind": "demand_surge", "regions": ["japan"], "factor": 0.001, "start": 0, "end": 1},
        {"id": "less", "kind": "demand_surge", "regions": ["japan"], "factor": 0.002, "start": 1, "end": 1000},
        {"id": "declared", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 1, "end": 1000},
    ]
    result = run(data)
    assert result.auctions["won_t.japan"].tolist() == [1e-9]
    assert series(result, "demand_t", "japan").tolist() == [1e-9, 2e-9, 2e-9]
    assert series(result, "released_auction_t", "japan").tolist() == [0.0, 1e-9, 0.0]
    assert series(result, "released_rule_t", "japan").tolist() == [0.0, 0.0, 2e-9]
    assert series(result, "release_rule", "japan").tolist() == ["auction", "auction", "fair_ratio"]
    assert (series(result, "shortfall_t", "japan") == 0.0).all()


def test_each_material_is_auctioned_on_its_own_days():
    """A material is auctioned only on its own auction days, not on another material's.

    The auction of TWO_MEMBERS with a second material, "ga": 10 t/day each, all from
    China (embargoed), bids of 100 USD/kg, 500 t in the pool; Japan holds 30 t of it and
    the EU 1,000 t. REE is short from day 0 and auctioned on days 0, 7, 14, ...; ga only
    from day 3, when Japan's stock runs out: auctions on days 3, 10, 17, for 7 x 10 = 70 t,
    though on day 0 Japan expected a gap of 70 - 20 t.
    """
    data = build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction=copy.deepcopy(BIDS))
    data["materials"]["ga"] = {"price_usd_per_kg": 50}
    for region, stock in (("japan", 30), ("eu", 1000)):
        data["regions"][region]["demand"]["ga"] = {"tonnes_per_day": 10}
        data["regions"][region]["commercial_stock"]["ga"] = {"tonnes": stock}
        data["regions"][region]["sourcing"]["ga"] = {"china": 1.0}
        data["agreement"]["auction"]["bids"][region]["ga"] = [{"share": 1.0, "price_usd_per_kg": 100}]
    data["agreement"]["pool"]["contributions"] = {
        "japan": {"ree": {"tonnes": 500}, "ga": {"tonnes": 500}},
        "eu": {"ree": {"tonnes": 500}},
    }
    auctions = run(data).auctions
    ga = auctions[auctions["material"] == "ga"].iloc[:3]
    assert ga["day"].tolist() == [3, 10, 17]
    assert ga["won_t.japan"].tolist() == pytest.approx([70.0] * 3)
    ree = auctions[auctions["material"] == "ree"]
    # REE's 1,000 t pool: 7 days of gaps (700 t) sold on day 0, the last 300 t on day 7; empty on day 14, no auction
    assert ree["day"].tolist() == [0, 7] and ree["sold_t"].tolist() == pytest.approx([700.0, 300.0])


def test_market_linked_and_fixed_bids_clear_together():
    """A member's market-linked bid and another's fixed bid are both bid at their own prices.

    The auction of TWO_MEMBERS with a market (the price is 50 USD/kg on day 0) and 1,000 t in
    the pool: Japan bids 0.8 times the market price (40 USD/kg) for 140 t, the EU a fixed 50
    USD/kg for 560 t. Both are filled, at the lowest filled bid, 40 USD/kg.
    """
    bids = {
        "japan": {"ree": [{"share": 1.0, "price_multiplier": 0.8}]},
        "eu": {"ree": [{"share": 1.0, "price_usd_per_kg": 50.0}]},
    }
    data = market_auction(bids, pool_each_t=500)
    result = run(data)
    assert series(result, "price_usd_per_kg", "japan")[0] == pytest.approx(50.0)
    first = result.auctions.iloc[0]
    assert (first["day"], first["won_t.japan"], first["won_t.eu"]) == (0, pytest.approx(140.0), pytest.approx(560.0))
    assert first["clearing_price_usd_per_kg"] == pytest.approx(40.0)


def test_runs_with_different_lots_reserve_prices_and_linked_bids_share_a_batch_run_by_run():
    """Each run of a batch auctions with its own lot, reserve price, bid multipliers and caps, as it does alone.

    The market-linked auction of tests/test_market.py (Japan bids twice the market price, the
    EU 1.5 times it up to 60 USD/kg, every 7 days), with a pool of 1,000 t: on day 0 both
    are filled at the EU's 60 USD/kg. The same with a lot of 30 t, a reserve price of 120
    USD/kg, a multiplier of 1 for Japan, and a cap of 40 USD/kg for the EU. Batched together,
    each run gives the numbers it gives alone, and each differs from the first.
    """
    bids = {
        "japan": {"ree": [{"share": 1.0, "price_multiplier": 2.0}]},
        "eu": {"ree": [{"share": 1.0, "price_multiplier": 1.5, "max_usd_per_kg": 60.0}]},
    }
    data = market_auction(bids, pool_each_t=500)
    variants = [
        data,
        build(data, agreement__auction__lot_t={"ree": 30}),
        build(data, agreement__auction__reserve_price_usd_per_kg={"ree": 120}),
        build(data, agreement__auction__bids__japan__ree=[{"share": 1.0, "price_multiplier": 1.0}]),
        build(data, agreement__auction__bids__eu__ree=[{"share": 1.0, "price_multiplier": 1.5, "max_usd_per_kg": 40}]),
    ]
    plans = [compile_plan(validate_data(v)) for v in variants]
    batch = run_batch(stack_plans(plans), draw_batch(plans, [0] * len(plans)))
    summaries = []
    for row, plan in enumerate(plans):
        alone = ReferenceEngine(plan, 0).run().summary
        for name, values in alone.items():
            assert np.array_equal(values[0], batch.summary[name][row], equal_nan=True), (name, row)
        summaries.append(alone)
    for other in summaries[1:]:
        assert any(not np.array_equal(other[k], summaries[0][k], equal_nan=True) for k in other)


# --- the sharing rule, material by material ------------------------------------------------


def test_a_material_without_a_decision_releases_nothing_while_another_is_shared():
    """On a day the rule shares one material, a material without a gap keeps its pool.

    TWO_MEMBERS (REE cut off, a 60 t pool shared by the fair ratio) with a second material,
    "ga", that both members buy from another supplier and receive in full (10 t/day each),
    with Japan's 30 t of ga in the pool. The rule decides on REE every day: on day 0 it shares the
    60 t (Japan's 20 t gap in full, the other 40 t to the EU), then nothing is left. No day
    releases ga, and the ga pool keeps its 30 t.
    """
    data = build(TWO_MEMBERS, horizon_days=5)
    data["materials"]["ga"] = {"price_usd_per_kg": 50}
    data["suppliers"]["other"] = {"lead_time_days": {"japan": 5, "eu": 5}}
    for region in ("japan", "eu"):
        data["regions"][region]["demand"]["ga"] = {"tonnes_per_day": 10}
        data["regions"][region]["commercial_stock"]["ga"] = {"tonnes": 0}
        data["regions"][region]["sourcing"]["ga"] = {"other": 1.0}
    data["agreement"]["pool"]["contributions"] = {
        "japan": {"ree": {"tonnes": 30}, "ga": {"tonnes": 30}},
        "eu": {"ree": {"tonnes": 30}},
    }
    result = run(data)
    check_invariants(result)
    assert series(result, "released_joint_t", "japan", "ree") == pytest.approx([20.0, 0.0, 0.0, 0.0, 0.0])
    assert series(result, "released_joint_t", "eu", "ree") == pytest.approx([40.0, 0.0, 0.0, 0.0, 0.0])
    assert set(series(result, "release_rule", "japan", "ree")) == {"fair_ratio"}
    for member in ("japan", "eu"):
        assert series(result, "released_joint_t", member, "ga") == pytest.approx(0.0)
        assert series(result, "shortfall_t", member, "ga") == pytest.approx(0.0)
    pool = result.pool
    assert pool[pool["material"] == "ga"]["pool_stock_t"].tolist() == pytest.approx([30.0] * 5)


# --- national lending ---------------------------------------------------------------------


def lenders() -> dict[str, Any]:
    """Japan (30 t/day) is cut off; the EU and the US (10 t/day each, fully supplied) hold reserves of 100 and 300 t.

    National mode, donors keep 5 days of their demand (50 t): the EU may lend 50 t and
    the US 250 t.
    """
    data = build(
        TWO_MEMBERS, agreement__mechanism="proportional_to_claims", regions__japan__demand__ree__tonnes_per_day=30
    )
    data["shocks"][0]["regions"] = ["japan"]
    data["regions"]["eu"]["demand"]["ree"]["tonnes_per_day"] = 10
    data["regions"]["eu"]["reserve"] = {"ree": {"tonnes": 100}}
    data["regions"]["us"] = {**data["regions"]["eu"], "reserve": {"ree": {"tonnes": 300}}}
    data["suppliers"]["china"]["lead_time_days"]["us"] = 5
    data["agreement"]["members"] = ["japan", "eu", "us"]
    data["agreement"]["pool"] = {"mode": "national", "donor_floor_days": 5}
    del data["agreement"]["ratio"]
    return data


def test_donors_lend_in_proportion_to_what_they_may_lend():
    """Outside the IEA's rules donors lend in proportion to what they may lend, not to their reserves.

    The EU may lend 50 t and the US 250 t: of Japan's 30 t gap the EU lends 5 t a day and
    the US 25 t (1:5, where their reserves are 1:3), which keeps the proportion, until both
    reach their floors together after 10 days.
    """
    result = run(lenders())
    check_invariants(result)
    assert series(result, "released_joint_t", "japan")[:10] == pytest.approx(30.0)
    assert series(result, "lent_t", "eu")[:10] == pytest.approx(5.0)
    assert series(result, "lent_t", "us")[:10] == pytest.approx(25.0)
    assert series(result, "lent_t", "eu")[10:].sum() + series(result, "lent_t", "us")[10:].sum() == pytest.approx(0.0)
    assert series(result, "reserve_stock_t", "eu")[-1] == pytest.approx(50.0)
    assert series(result, "reserve_stock_t", "us")[-1] == pytest.approx(50.0)


def test_stock_donors_may_still_lend_is_what_stays_unused():
    """In national mode the shared stock left unused is what donors may still lend after today's loans.

    The donors above (50 and 250 t to lend) under a release cap of 20 t/day: Japan's 30 t gap
    gets 20 t a day (3.33 t from the EU, 16.67 t from the US) and stays 10 t short. After
    day k donors may still lend 280 - 20k t, more than the 10 t gap on days 0..13 (10 t
    unused each day) and nothing after day 14: ``unused_release_t`` is 14 x 10 = 140 t.
    """
    result = run(build(lenders(), agreement__release_cap_t_per_day={"ree": 20}))
    check_invariants(result)
    assert series(result, "lent_t", "us")[:15] == pytest.approx(50 / 3)
    assert series(result, "shortfall_t", "japan")[:15] == pytest.approx(10.0)
    assert series(result, "shortfall_t", "japan")[15:] == pytest.approx(30.0)
    assert result.summary.iloc[-1]["region"] == "all"
    assert result.summary.iloc[-1]["unused_release_t"] == pytest.approx(140.0)


# --- the IEA's sharing --------------------------------------------------------------------


def test_iea_ess_in_national_mode_draws_no_more_than_a_members_reserve():
    """Under ``iea_ess`` in national mode each member draws its obligation from its own reserve, as far as it goes.

    IEP_PAIR (a loses half its 100 t, b none) with commitments 1:1: a restraint of 10%,
    obligations of 15 t each. b holds 20 t: 15 t on day 0, the 5 t left on day 1, then
    nothing; b still passes 25 t a day to a, so it consumes 75 + 15, then 75 + 5, then 75 t.
    """
    data = build(IEP_PAIR, agreement__iea_ess__commitments={"a": 1, "b": 1})
    data["agreement"]["pool"] = {"mode": "national"}
    data["regions"]["a"]["reserve"] = {"ree": {"tonnes": 1000}}
    data["regions"]["b"]["reserve"] = {"ree": {"tonnes": 20}}
    result = run(data)
    check_invariants(result)
    assert series(result, "released_joint_t", "b")[:4] == pytest.approx([15.0, 5.0, 0.0, 0.0])
    assert series(result, "reserve_stock_t", "b")[:2] == pytest.approx([5.0, 0.0])
    assert series(result, "shortfall_t", "b")[:4] == pytest.approx([10.0, 20.0, 25.0, 25.0])
    assert series(result, "transferred_t", "b")[:4] == pytest.approx(-25.0)
    assert series(result, "released_joint_t", "a")[:4] == pytest.approx(15.0)


def test_iea_ess_in_national_mode_leaves_a_non_members_reserve_alone():
    """In national mode the IEA's draws come out of the members' reserves, not a non-member's.

    The case above (b draws 15 t, then its last 5 t) beside a third region, c, that is not a
    member: 10 t/day from "other", fully supplied, with a reserve of 50 t it never needs.
    The members draw as they do alone, and c's reserve stays 50 t.
    """
    data = build(IEP_PAIR, agreement__iea_ess__commitments={"a": 1, "b": 1})
    data["agreement"]["pool"] = {"mode": "national"}
    data["regions"]["a"]["reserve"] = {"ree": {"tonnes": 1000}}
    data["regions"]["b"]["reserve"] = {"ree": {"tonnes": 20}}
    add_outsider(data, "c", "other", lead_days=1, reserve={"ree": {"tonnes": 50}})
    result = run(data)
    check_invariants(result)
    assert series(result, "released_joint_t", "b")[:4] == pytest.approx([15.0, 5.0, 0.0, 0.0])
    assert series(result, "released_joint_t", "a")[:4] == pytest.approx(15.0)
    assert series(result, "reserve_stock_t", "c") == pytest.approx(50.0)
    assert series(result, "shortfall_t", "c") == pytest.approx(0.0)


def test_iea_ess_counts_as_unused_the_pool_beside_the_gaps_left_after_its_sharing():
    """Under ``iea_ess`` the pool left unused is counted against the gaps left after drawing and passing supplies.

    IEP_PAIR (a loses half its 100 t a day, a 300 t pool): each member draws 15 t a day and b
    passes 25 t to a, so each consumes 90 t (the 10% restraint) and is left short 10 t:
    20 t of gaps a day beside the pool, which holds 270, 240, ..., 30 t after days 0..8 and
    nothing from day 9. ``unused_release_t`` is min(pool left, 20 t) summed: 9 x 20 = 180 t.
    """
    result = run(build(IEP_PAIR))
    check_invariants(result)
    for member in ("a", "b"):
        assert series(result, "shortfall_t", member)[:10] == pytest.approx(10.0)
    assert result.pool["pool_stock_t"].tolist()[:10] == pytest.approx([270.0 - 30 * k for k in range(10)])
    assert result.summary.iloc[-1]["region"] == "all"
    assert result.summary.iloc[-1]["unused_release_t"] == pytest.approx(180.0)


@pytest.mark.parametrize(
    ("iea_ess", "drawn", "transferred"),
    [
        # a higher restraint of 20% (the loss, 25%, is past 12%): permissible 80 t each, a
        # shortfall of 160 - 150 = 10 t drawn 5/5; rights 75 t each: b passes 25 t
        ({"higher_restraint": 0.2}, (5.0, 5.0), 25.0),
        # the higher restraint only from a 30% loss: 7% (the restraint), permissible 93 t
        # each, 186 - 150 = 36 t drawn 18/18; rights 75 t each
        ({"higher_loss_share": 0.3}, (18.0, 18.0), 25.0),
        # commitments 1:3: 30 t drawn 7.5 and 22.5; rights 82.5 and 67.5 t, so b passes
        # 100 - 67.5 = 32.5 t
        ({"commitments": {"a": 1, "b": 3}}, (7.5, 22.5), 32.5),
    ],
)
def test_iea_ess_applies_its_terms_as_given(iea_ess, drawn, transferred):
    """The IEA's restraints, the loss share for the higher one, and the commitments are those the scenario gives.

    IEP_PAIR: two members of 100 t/day, a loses half its supply, a joint pool of 300 t.
    Each consumes its permissible consumption: what it is supplied, passed and draws.
    """
    data = build(IEP_PAIR)
    data["agreement"]["iea_ess"] = iea_ess
    result = run(data)
    check_invariants(result)
    for region, got_drawn, passed in (("a", drawn[0], transferred), ("b", drawn[1], -transferred)):
        assert series(result, "released_joint_t", region)[:3] == pytest.approx(got_drawn)
        assert series(result, "transferred_t", region)[:3] == pytest.approx(passed)
    consumed = (series(result, "demand_t", "a") - series(result, "shortfall_t", "a"))[:3]
    assert consumed == pytest.approx(50.0 + transferred + drawn[0])


@pytest.mark.parametrize(("selective", "received"), [(0.4, 12.9), (0.6, 0.0)])
def test_iea_ess_selective_trigger_at_its_given_loss_share(selective, received):
    """One member's loss triggers the IEA's sharing from the share the scenario gives (``selective_loss_share``).

    a (30 t/day) loses half of its supply (15 t, 50% of its own) among 530 t/day: 2.8% for
    the group, no general trigger. From a selective share of 40%: a restraint of 7%, nothing
    drawn (the group's supply covers its permissible consumption), and b passes a its right,
    27.9 - 15 = 12.9 t; at 60% nothing happens.
    """
    data = build(
        IEP_PAIR,
        regions__a__demand__ree__tonnes_per_day=30,
        regions__b__demand__ree__tonnes_per_day=500,
        agreement__iea_ess={"selective_loss_share": selective},
    )
    result = run(data)
    check_invariants(result)
    assert series(result, "transferred_t", "a")[:10] == pytest.approx(received)
    assert series(result, "transferred_t", "b")[:10] == pytest.approx(-received)
    assert series(result, "released_joint_t", "a")[:10] == pytest.approx(0.0)


def test_iea_ess_names_the_days_it_decides_below_its_triggers():
    """A day the IEA's rule decides but neither trigger holds is logged under its name, sharing nothing.

    The case above at a selective share of 60%: a loses 50% of its own supply, 2.8% of the
    group's, so neither trigger holds; a is short 15 t on each of the 12 days, releases are
    open and the 300 t pool is there, so the rule decides every day and passes nothing. Each
    day's row of the releases table names ``iea_ess`` (it was ``''``, which the report could
    not name).
    """
    data = build(
        IEP_PAIR,
        regions__a__demand__ree__tonnes_per_day=30,
        regions__b__demand__ree__tonnes_per_day=500,
        agreement__iea_ess={"selective_loss_share": 0.6},
    )
    releases = run(data).releases
    assert releases["day"].tolist() == list(range(12))
    assert releases["mechanism"].tolist() == ["iea_ess"] * 12
    assert releases["gap_t.a"].tolist() == [15.0] * 12
    assert releases["released_t"].tolist() == [0.0] * 12


def test_iea_ess_decides_material_by_material():
    """A material nobody is short of, beside one the IEA's rule decides on, gets no row and changes nothing.

    IEP_PAIR (a loses its Chinese half of ``ree``: 30 t/day drawn from the 300 t pool for
    10 days, 15/15, and b passes a 25 t/day) with ``nd`` beside it, bought the same way but
    not embargoed, and 150 t of each in the pool from each member. ``ree``'s days are those
    of IEP_PAIR alone; ``nd`` has no decision (no row of the releases table) and nobody is
    short of it or draws it; recording its undecided days does not fail (a rule code given only
    where the rule decided: ``AgreementStep.__call__`` 215 left None there and the recorder crashed).
    """
    alone = run(build(IEP_PAIR))
    data = add_material(build(IEP_PAIR), "nd", {"price_usd_per_kg": 40.0})
    data["shocks"][0]["materials"] = ["ree"]
    data["agreement"]["pool"]["contributions"] = {m: {"ree": {"tonnes": 150}, "nd": {"tonnes": 150}} for m in "ab"}
    result = run(data)
    check_invariants(result)
    releases = result.releases
    assert releases["material"].tolist() == ["ree"] * 12
    assert releases["mechanism"].tolist() == ["iea_ess"] * 12
    assert releases["released_t"].tolist() == alone.releases["released_t"].tolist() == [30.0] * 10 + [0.0] * 2
    for region in ("a", "b"):
        for column in ("released_joint_t", "transferred_t", "shortfall_t"):
            assert series(result, column, region, "ree").tolist() == series(alone, column, region).tolist()
            assert series(result, column, region, "nd").tolist() == [0.0] * 12


# --- shared stock a member may draw (its days of cover) -------------------------------------


def test_a_member_may_draw_its_ownership_share_of_the_pool_under_a_rule_without_a_ratio():
    """Under a rule without a ratio a member counts its ownership share of the pool left under the cap as cover.

    TWO_MEMBERS under ``proportional_to_demand`` (no ratio given) with a release cap of
    10 t/day, but only the EU is embargoed and the pool holds 10 t from Japan and 50 t from
    the EU (ownership 1/6 and 5/6). The EU draws 10 t a day, leaving 50, 40, ..., 10 t in the
    pool on days 0..4; Japan, fully supplied and without stock, may draw 1/6 of the 10 t
    the cap lets out: 10/6 t, 1/12 of a day of its 20 t demand. From day 5 the pool is empty.
    """
    data = build(
        TWO_MEMBERS,
        horizon_days=8,
        agreement__mechanism="proportional_to_demand",
        agreement__release_cap_t_per_day={"ree": 10},
        agreement__pool__contributions={"japan": {"ree": {"tonnes": 10}}, "eu": {"ree": {"tonnes": 50}}},
    )
    data["shocks"][0]["regions"] = ["eu"]
    del data["agreement"]["ratio"]
    result = run(data)
    check_invariants(result)
    assert result.pool["pool_stock_t"].tolist() == pytest.approx([50.0, 40.0, 30.0, 20.0, 10.0, 0.0, 0.0, 0.0])
    assert series(result, "shortfall_t", "japan") == pytest.approx(0.0)
    cover = series(result, "days_of_cover", "japan")
    assert cover[:5] == pytest.approx(10 / 6 / 20)
    assert cover[5:] == pytest.approx(0.0)


# --- a bug found on the way -----------------------------------------------------------------


def test_a_run_measures_its_loss_over_its_own_window_in_a_batch():
    """A run measures a supply loss over its own ``window_days``, whatever the other runs of its batch.

    Found while writing this file (docs/mutation-testing.md, "Kernel: the agreement"):
    ``AgreementStep`` kept one ring of days as long as the batch's longest window and summed
    every run over all of it, so in a sweep over ``window_days`` the shorter windows got the
    longest one's result. A 50% cut from day 10 halves arrivals from day 15:
    over 1 day the loss holds on day 15 (10 of 20 t), over 10 days on day 17 (170 of 200 t,
    below 90%), so alone the 1-day run uses the fair ratio from day 15 and the 10-day run
    auctions Japan's gaps on days 15 and 16. In a batch with the 10-day run, the 1-day run
    must still give the numbers it gives alone.
    """
    shocks = [{"id": "cut", "kind": "quota_cut", "supplier": "china", "start": 10, "end": 1000, "severity": 0.5}]
    data = hybrid(*shocks)
    variants = [
        build(data, agreement__trigger={"measured_loss": loss(w), "switch_on": "measured_loss"}) for w in (1, 10)
    ]
    plans = [compile_plan(validate_data(v)) for v in variants]
    batch = run_batch(stack_plans(plans), draw_batch(plans, [0, 0]))
    for k, plan in enumerate(plans):
        alone = ReferenceEngine(plan, 0).run().summary
        for name, values in alone.items():
            assert np.array_equal(values[0], batch.summary[name][k], equal_nan=True), (k, name)
    one_day, ten_days = (series_of(batch, k) for k in (0, 1))
    assert one_day != ten_days  # the windows differ in what they measure, as worked out above


def series_of(batch, k: int) -> float:
    """Japan's total shortfall in run ``k`` of a batch (region 0, summed over materials)."""
    return float(batch.summary["shortfall_t"][k, 0].sum())
