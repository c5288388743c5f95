"""Shocks as they happen at the border: held cargo, leaks, tonnage quotas, licences, and the
agreement's switch on a measured supply loss. Numbers worked out by hand from the one-region
world of tests/helpers.py (10 t/day from China, 5 days in transit, 100 t of stock)."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from simulator.engine import ReferenceEngine
from simulator.fastpath import run_batch
from simulator.kernel import border
from simulator.kernel.border import Border
from simulator.plan import compile_plan, processing_distribution, stack_plans
from simulator.randomness import draw_batch
from simulator.scenario import validate_data
from simulator.scenario.schema import Triangular
from tests.helpers import ONE_REGION, TWO_MEMBERS, build, halt, run, series
from tests.invariants import check_invariants


def arrivals(data: dict) -> np.ndarray:
    result = run(data)
    check_invariants(result)
    return series(result, "arrivals_t", "japan")


def test_a_lost_halt_loses_its_shipments():
    got = arrivals(build(ONE_REGION, shocks=[halt()]))
    assert got[15:25] == pytest.approx(0.0)
    assert got[25:] == pytest.approx(10.0)


def test_held_cargo_ships_all_at_once_when_the_halt_ends():
    # the shipments of days 10..19 (100 t) wait at the border and leave on day 20 with the
    # day's own 10 t: 110 t land on day 25
    data = build(ONE_REGION, shocks=[halt(on_halt="held")])
    got = arrivals(data)
    assert got[15:25] == pytest.approx(0.0)
    assert got[25] == pytest.approx(110.0)
    assert got[26:] == pytest.approx(10.0)
    held = series(run(data), "held_at_origin_t", "japan")
    assert held[10:20] == pytest.approx(10.0 * np.arange(1, 11))
    assert held[20] == pytest.approx(0.0)


def test_held_cargo_released_over_release_days():
    # 100 t released over 5 days: 20 t a day on days 20..24, landing 25..29 with the normal 10 t
    got = arrivals(build(ONE_REGION, shocks=[halt(on_halt="held", release_days=5)]))
    assert got[25:30] == pytest.approx(30.0)
    assert got[30:] == pytest.approx(10.0)


def test_a_leak_gets_through_later():
    # 30% of each stopped shipment leaks with 3 extra days: 3 t from days 10..19 land on 18..27
    data = build(ONE_REGION, shocks=[halt(leak_share=0.3, leak_extra_days=3)])
    got = arrivals(data)
    assert got[15:18] == pytest.approx(0.0)
    assert got[18:25] == pytest.approx(3.0)
    assert got[25:28] == pytest.approx(13.0)
    assert series(run(data), "leaked_t", "japan")[10:20] == pytest.approx(3.0)


def test_a_second_hold_on_a_route_is_released_after_the_first_has_cleared():
    # two held halts, days 10..19 and 40..49, each releasing its 100 t over 3 days: 33.3 t a
    # day leave on days 20..22 and 50..52 beside the day's own 10 t (landing on 25..27 and
    # 55..57); in between nothing is held (the border no longer looks at the first hold)
    data = build(ONE_REGION, horizon_days=80, shocks=[
        halt(on_halt="held", release_days=3), halt(id="again", start=40, end=50, on_halt="held", release_days=3),
    ])  # fmt: skip
    got = arrivals(data)
    for landed in (25, 55):
        assert got[landed : landed + 3] == pytest.approx(10.0 + 100.0 / 3)
    assert got[28:45] == pytest.approx(10.0)
    assert got[45:55] == pytest.approx(0.0)
    assert got[58:] == pytest.approx(10.0)
    held = series(run(data), "held_at_origin_t", "japan")
    assert held[23:40] == pytest.approx(0.0, abs=1e-9)
    assert held[49] == pytest.approx(100.0)


def test_rounding_residue_held_at_origin_stays_without_a_release():
    # goods held up to 1e-9 t start no release: skipping the release on such days must give
    # what the release itself gives, nothing shipped and the residue kept
    data = build(ONE_REGION, shocks=[halt(on_halt="held", release_days=5)])
    plan = compile_plan(validate_data(data))
    draws = draw_batch([plan], [0])
    border = Border(plan, draws)
    border.held[0] = 0.0
    border.held[0, 0, 0, 0, 0] = 4e-10
    assert not border._releasing(0, border.held_ids[0])
    out = border._release(0, border.held_ids[0], np.zeros(plan.batch, bool))
    assert np.array_equal(out, np.zeros_like(out)) and not np.signbit(out).any()
    assert border.held[0, 0, 0, 0, 0] == 4e-10 and not border.release_rate.any()
    border.held[0, 0, 0, 0, 0] = 2e-9  # above rounding: a release starts
    assert border._releasing(0, border.held_ids[0])


def quota(**fields: object) -> dict:
    return {"id": "quota", "kind": "export_quota", "supplier": "china", "start": 0, "end": 20, "period_days": 10,
            "tonnes_per_period": 50, **fields}  # fmt: skip


def test_an_even_quota_lets_out_its_daily_share():
    # 50 t per 10 days released evenly: 5 t a day leave on days 0..19 and land on 5..24
    data = build(ONE_REGION, shocks=[quota()])
    got = arrivals(data)
    assert got[5:25] == pytest.approx(5.0)
    assert series(run(data), "border_lost_t", "japan")[:20] == pytest.approx(5.0)


def test_a_front_loaded_quota_is_first_come_first_served_and_resets_each_period():
    # all 50 t from the period's first day: 10 t a day on days 0..4 and 10..14, nothing on 5..9 and 15..19
    got = arrivals(build(ONE_REGION, shocks=[quota(release="front_loaded")]))
    assert got[5:10] == pytest.approx(10.0)
    assert got[10:15] == pytest.approx(0.0)
    assert got[15:20] == pytest.approx(10.0)
    assert got[20:25] == pytest.approx(0.0)


def test_smuggling_flows_above_the_quota():
    # 5 t a day are stopped; 20% of them are smuggled: 6 t a day
    assert arrivals(build(ONE_REGION, shocks=[quota(smuggling_share=0.2)]))[5:25] == pytest.approx(6.0)


def test_a_binding_quota_is_shared_pro_rata_or_by_preference():
    # Japan orders 20 t/day, the EU 80; a quota of 50 t/day: pro rata 10 and 40; preferring the EU: 0 and 50
    shocks = [quota(tonnes_per_period=500, end=1000)]
    pro_rata = run(build(TWO_MEMBERS, shocks=shocks))
    assert series(pro_rata, "arrivals_t", "japan")[5:20] == pytest.approx(10.0)
    assert series(pro_rata, "arrivals_t", "eu")[5:20] == pytest.approx(40.0)
    preferred = run(build(TWO_MEMBERS, shocks=[{**shocks[0], "sharing": "preference", "preference": ["eu"]}]))
    assert series(preferred, "arrivals_t", "japan")[5:20] == pytest.approx(0.0)
    assert series(preferred, "arrivals_t", "eu")[5:20] == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("halt_fields", "japan_t", "eu_t"),
    [
        # cargo lost, nothing leaks: Japan's 20 t claim no licence, the EU takes all 50 t
        ({}, 0.0, 50.0),
        # half leaks: Japan claims its 10 t that get out, the EU its 80: of 50 t Japan is
        # licensed 50 x 10/90 = 5.56 t of claim, the EU 44.44 t; Japan's licence covers
        # 11.11 t of orders, of which half (5.56 t) leaks through
        ({"leak_share": 0.5}, 50 * 10 / 90, 50 * 80 / 90),
        # cargo held was licensed before it was stopped: Japan claims all 20 t, 10 are held
        ({"on_halt": "held"}, 0.0, 40.0),
    ],
)
def test_with_deliverable_claims_cargo_an_embargo_stops_for_good_claims_no_quota(halt_fields, japan_t, eu_t):
    # Japan orders 20 t/day, the EU 80; a quota of 50 t/day; Japan's supply halted from day 0
    shocks = [quota(tonnes_per_period=500, end=1000, claims="deliverable"), halt(start=0, end=1000, **halt_fields)]
    result = run(build(TWO_MEMBERS, shocks=shocks))
    check_invariants(result)
    assert series(result, "arrivals_t", "japan")[5:20] == pytest.approx(japan_t)
    assert series(result, "arrivals_t", "eu")[5:20] == pytest.approx(eu_t)
    # by default every tonne ordered claims: Japan's 20 t take 10 of the 50 t, lost or held
    default = run(build(TWO_MEMBERS, shocks=[{**shocks[0], "claims": "ordered"}, shocks[1]]))
    assert series(default, "arrivals_t", "eu")[5:20] == pytest.approx(40.0)


def test_room_deliverable_claims_leave_unused_carries_forward_within_the_period():
    # 50 t per 10 days, released 5 t a day, for Japan alone (10 t/day); its cargo halted and
    # lost on days 0..4. Claiming only what is deliverable, days 0..4 take no room, so on days
    # 5..9 the room (30, 25, 20, 15, 10 t) lets its whole 10 t a day through; claiming every
    # tonne ordered, days 0..4 use 5 t each and days 5..9 get 5 t a day
    def arrivals_with(claims):
        shocks = [quota(claims=claims, end=10), halt(start=0, end=5)]
        return series(run(build(ONE_REGION, shocks=shocks)), "arrivals_t", "japan")

    assert arrivals_with("deliverable")[10:15] == pytest.approx(10.0)
    assert arrivals_with("ordered")[10:15] == pytest.approx(5.0)


def test_a_binding_quota_follows_orders_not_demand_so_a_buyer_who_orders_again_takes_quota():
    # A quota of 100 t a day (period 1 day). The EU orders its 90 t/day demand (flow). Japan
    # (30 t/day) reviews daily up to 30 x (5 + 1) = 180 t of position; with 30 t on hand and
    # 120 t in transit after day 0's arrival it orders 30 t on day 0.
    # Day 0: orders 30 + 90 = 120 > 100: Japan ships 100 x 30/120 = 25 t, the EU 75 t
    #        (5 t and 15 t turned away).
    # Day 1: Japan's position is 5 t short of 180, so it orders 30 + 5 = 35 t; the EU again
    #        90 t: Japan ships 100 x 35/125 = 28 t, the EU 72 t (7 t and 18 t turned away).
    # Shared by demand (30 : 90) it would have stayed 25 and 75.
    data = build(
        TWO_MEMBERS,
        shocks=[quota(tonnes_per_period=100, period_days=1, end=1000)],
        regions__japan__demand__ree__tonnes_per_day=30,
        regions__japan__commercial_stock__ree__tonnes=30,
        regions__japan__procurement={"replenishment": {"policy": "order_up_to", "review_days": 1}},
        regions__eu__demand__ree__tonnes_per_day=90,
    )
    result = run(data)
    check_invariants(result)
    assert series(result, "ordered_t", "japan")[:2] == pytest.approx([30.0, 35.0])
    assert series(result, "ordered_t", "eu")[:2] == pytest.approx([90.0, 90.0])
    assert series(result, "arrivals_t", "japan")[5:7] == pytest.approx([25.0, 28.0])
    assert series(result, "arrivals_t", "eu")[5:7] == pytest.approx([75.0, 72.0])
    assert series(result, "border_lost_t", "japan")[:2] == pytest.approx([5.0, 7.0])
    assert series(result, "border_lost_t", "eu")[:2] == pytest.approx([15.0, 18.0])


def contracts_case(sharing: str, tonnes_per_day: float) -> dict:
    # Japan (30 t/day) reviews daily up to 30 x (5 + 1 + 2) = 240 t with no stock on hand:
    # it orders 120 t on day 0 and keeps ordering its gap; the EU orders its 90 t/day (flow)
    return build(
        TWO_MEMBERS,
        shocks=[quota(tonnes_per_period=tonnes_per_day, period_days=1, end=1000, sharing=sharing)],
        regions__japan__demand__ree__tonnes_per_day=30,
        regions__japan__commercial_stock__ree__tonnes=0,
        regions__japan__procurement={"replenishment": {"policy": "order_up_to", "review_days": 1, "safety_days": 2}},
        regions__eu__demand__ree__tonnes_per_day=90,
    )


def test_contracts_first_serves_each_regions_normal_flow_before_orders_beyond_it():
    # 140 t a day of quota; normal flows (contracts) Japan 30, the EU 90 t. Day 0: orders
    # 120 + 90 = 210. Contracts first: 30 + 90 = 120 served, the 20 t left go to orders
    # beyond contracts (Japan's 90 t alone): Japan 50 t, the EU 90 t, every day while Japan
    # still orders more than 50 t. Pro rata on day 0: Japan 140 x 120/210 = 80, the EU 60.
    first = run(contracts_case("contracts_first", 140))
    check_invariants(first)
    assert series(first, "ordered_t", "japan")[0] == pytest.approx(120.0)
    assert series(first, "arrivals_t", "japan")[5:9] == pytest.approx(50.0)
    assert series(first, "arrivals_t", "eu")[5:] == pytest.approx(90.0)
    assert series(first, "shortfall_t", "eu") == pytest.approx(0.0)
    pro_rata = run(contracts_case("pro_rata", 140))
    assert series(pro_rata, "arrivals_t", "japan")[5] == pytest.approx(80.0)
    assert series(pro_rata, "arrivals_t", "eu")[5] == pytest.approx(60.0)


def test_contracts_first_shares_a_quota_below_the_normal_flows_pro_rata_to_them():
    # 100 t a day cannot cover the contracts (30 + 90): each gets its contract x 100/120,
    # Japan 25 t and the EU 75 t, however much more Japan orders (120 t on day 0, then its
    # growing gap); pro rata to orders Japan would get 100 x 120/210 = 57.1 t on day 0
    result = run(contracts_case("contracts_first", 100))
    check_invariants(result)
    assert series(result, "ordered_t", "japan")[:3] == pytest.approx([120.0, 125.0, 130.0])
    assert series(result, "arrivals_t", "japan")[5:30] == pytest.approx(25.0)
    assert series(result, "arrivals_t", "eu")[5:30] == pytest.approx(75.0)
    assert series(run(contracts_case("pro_rata", 100)), "arrivals_t", "japan")[5] == pytest.approx(100 * 120 / 210)


def test_a_quota_that_is_off_leaves_the_next_quota_its_whole_period():
    # 50 t per 10 days on days 0..19 (5 t a day), then 100 t per 10 days on days 20..39,
    # which never binds at 10 t a day: 5 t land on days 5..24, 10 t from day 25
    data = build(ONE_REGION, horizon_days=60, shocks=[
        quota(), quota(id="later", start=20, end=40, tonnes_per_period=100),
    ])  # fmt: skip
    got = arrivals(data)
    assert got[5:25] == pytest.approx(5.0)
    assert got[25:] == pytest.approx(10.0)
    lost = series(run(data), "border_lost_t", "japan")
    assert lost[:20] == pytest.approx(5.0)
    assert lost[20:] == pytest.approx(0.0)


def test_held_cargo_was_licensed_before_it_was_stopped():
    # a quota of exactly the normal 10 t/day licenses the orders of days 10..19 that the
    # halt holds; released on day 20, the 100 t leave outside the quota: 110 t land on day 25
    data = build(ONE_REGION, shocks=[quota(end=40, tonnes_per_period=100), halt(on_halt="held")])
    got = arrivals(data)
    assert got[25] == pytest.approx(110.0)
    assert got[26:] == pytest.approx(10.0)
    assert series(run(data), "border_lost_t", "japan") == pytest.approx(0.0)


def licensing(**fields: object) -> dict:
    return {"id": "licences", "kind": "licensing", "supplier": "china", "start": 10, "end": 30, **fields}


def test_licences_approve_a_share_after_the_processing_time():
    # shipments of days 10..29 need a licence; half approved after 3 days: 5 t leave on days
    # 13..32 and land on 18..37, on days 35..37 beside the 10 t shipped freely from day 30;
    # nothing lands on days 15..17
    data = build(ONE_REGION, shocks=[licensing(approval_share=0.5, processing_days=3)])
    got = arrivals(data)
    assert got[15:18] == pytest.approx(0.0)
    assert got[18:35] == pytest.approx(5.0)
    assert got[35:38] == pytest.approx(15.0)
    assert got[38:] == pytest.approx(10.0)
    result = run(data)
    assert series(result, "awaiting_licence_t", "japan")[12] == pytest.approx(3 * 5.0)
    assert series(result, "border_lost_t", "japan")[10:30] == pytest.approx(5.0)


@pytest.mark.parametrize("order", ["in date order", "successor first"])
def test_new_licence_terms_that_follow_the_old_do_not_review_again_what_the_old_are_reviewing(order):
    # the same terms in two windows, days 10..19 and 20..29, the second following the first:
    # as one licence over 10..29 (the test above), 5 t land a day on 18..34
    first = licensing(id="terms_2025", end=20, approval_share=0.5, processing_days=3)
    second = licensing(id="terms_2026", start=20, approval_share=0.5, processing_days=3, follows="terms_2025")
    got = arrivals(build(ONE_REGION, shocks=[first, second] if order == "in date order" else [second, first]))
    assert got[15:18] == pytest.approx(0.0)
    assert got[18:35] == pytest.approx(5.0)
    assert got[35:38] == pytest.approx(15.0)
    assert got[38:] == pytest.approx(10.0)


def test_a_second_licence_without_follows_reviews_again_what_the_first_approved():
    # the first's approvals leaving on days 20..22 (5 t each) are applications to the second,
    # with the day's own 10 t: nothing leaves on 20..22 (lands 25..27); from day 23 the second
    # approves half of 15 t (7.5 t, landing 28..30), then half of 10 t (5 t)
    first = licensing(id="terms_2025", end=20, approval_share=0.5, processing_days=3)
    second = licensing(id="terms_2026", start=20, approval_share=0.5, processing_days=3)
    got = arrivals(build(ONE_REGION, shocks=[first, second]))
    assert got[18:25] == pytest.approx(5.0)
    assert got[25:28] == pytest.approx(0.0)
    assert got[28:31] == pytest.approx(7.5)
    assert got[31:35] == pytest.approx(5.0)


@pytest.mark.parametrize(
    ("follows", "message"),
    [
        ("terms_2026", "no other shock with id 'terms_2026' (licensing shocks: terms_2025)"),
        ("halt", "'halt' is not a licensing shock but embargo"),
    ],
)
def test_follows_names_another_licensing_shock(follows, message):
    from simulator.errors import ScenarioError

    shocks = [licensing(id="terms_2025"), licensing(id="terms_2026", start=30, end=40, follows=follows), halt()]
    with pytest.raises(ScenarioError) as caught:
        validate_data(build(ONE_REGION, shocks=shocks), "s.yaml")
    assert f"s.yaml: shocks.terms_2026.follows: {message}" in caught.value.render()


def test_licences_suspended_in_a_window_and_for_an_end_use_share_only():
    # 40% of shipments need a licence, approved after 2 days; suspended on days 20..24
    data = build(ONE_REGION, shocks=[licensing(processing_days=2, end_use_share=0.4, suspended=[[20, 25]])])
    got = arrivals(data)
    assert got[15:17] == pytest.approx(6.0)  # only the 60% without licence on days 10..11
    assert got[17:25] == pytest.approx(10.0)  # 6 t + 4 t approved two days later
    assert got[25:27] == pytest.approx(14.0)  # suspended: 10 t + the 4 t of days 18..19
    assert got[27:30] == pytest.approx(10.0)  # shipped freely on days 22..24
    assert got[30:32] == pytest.approx(6.0)  # licences again from day 25: 4 t wait two days
    assert got[32:35] == pytest.approx(10.0)


def test_a_suspension_window_given_by_dates_is_the_window_of_its_day_numbers():
    # 21 July 2010 is day 20 of a scenario starting on 1 July; 26 July is day 25: the same
    # arrivals as the window [20, 25) of the test above
    window = [["2010-07-21", "2010-07-26"]]
    data = build(
        ONE_REGION,
        start_date="2010-07-01",
        shocks=[licensing(processing_days=2, end_use_share=0.4, suspended=window)],
    )
    got = arrivals(data)
    assert got[17:25] == pytest.approx(10.0)
    assert got[25:27] == pytest.approx(14.0)  # suspended from day 20
    assert got[30:32] == pytest.approx(6.0)  # licences again from day 25


@pytest.mark.parametrize("window", [[-5, 0], ["2010-06-26", "2010-07-01"]])
def test_a_suspension_window_that_ends_on_day_0_suspends_nothing_from_day_0(window):
    # licences from day 0 (40% of shipments, approved after 2 days; lead time 5 days): the
    # shipments of days 0 and 1 land on days 5 and 6 without their licensed 4 t, whatever
    # a window that ended before day 0 said
    data = build(
        ONE_REGION,
        start_date="2010-07-01",
        shocks=[licensing(start=0, processing_days=2, end_use_share=0.4, suspended=[window])],
    )
    got = arrivals(data)
    assert got[:5] == pytest.approx(10.0)  # shipped before the shock
    assert got[5:7] == pytest.approx(6.0)
    assert got[7:12] == pytest.approx(10.0)  # 6 t + the 4 t approved two days later


def test_a_processing_time_distribution_spreads_approvals():
    weights = processing_distribution(Triangular(distribution="triangular", low=20, mode=40, high=63))
    assert weights.sum() == pytest.approx(1.0)
    assert weights[:20].sum() == pytest.approx(0.0)
    assert np.argmax(weights) == 40
    mean = float(np.arange(len(weights)) @ weights)
    assert mean == pytest.approx((20 + 40 + 63) / 3, abs=0.05)


def test_held_and_pending_goods_count_as_on_order():
    # a daily-reviewing buyer orders up to 10 t/day x (5 + 1) days = 60 t of position; once
    # 60 t wait at the border (day 15) it stops ordering: held goods are on order
    data = build(
        ONE_REGION,
        shocks=[halt(on_halt="held")],
        regions__japan__procurement={"replenishment": {"policy": "order_up_to", "review_days": 1}},
    )
    result = run(data)
    assert series(result, "ordered_t", "japan")[16:25] == pytest.approx(0.0)
    assert series(result, "held_at_origin_t", "japan")[15:20] == pytest.approx(60.0)


def test_hybrid_switches_to_the_ratio_on_a_measured_loss():
    bids = [{"share": 1.0, "price_usd_per_kg": 100.0}]
    data = build(
        TWO_MEMBERS,
        shocks=[{"id": "cut", "kind": "quota_cut", "supplier": "china", "start": -100, "end": 1000, "severity": 0.5}],
        agreement__mechanism="hybrid",
        agreement__auction={"every_days": 7, "bids": {"japan": {"ree": bids}, "eu": {"ree": bids}}},
    )
    declared = run(data)  # no embargo against a member: auctions only
    assert set(declared.timeseries["release_rule"]) <= {"", "auction"}
    measured = build(data, agreement__trigger={"measured_loss": {"window_days": 5}, "switch_on": "measured_loss"})
    # arrivals are half of normal from day 0: a measured loss from the start, so the fair ratio
    rules = set(run(measured).timeseries["release_rule"])
    assert "fair_ratio" in rules and "auction" not in rules


def test_both_engines_agree_on_every_border_mechanism():
    shocks = [
        halt(on_halt="held", release_days=4, leak_share=0.25, leak_extra_days=2,
             start={"distribution": "uniform", "low": 5, "high": 20}),
        quota(start=30, end=60, tonnes_per_period=70, smuggling_share=0.1),
        quota(id="deliverable", start=0, end=90, tonnes_per_period=95, claims="deliverable"),
        halt(id="lost", severity=0.5, leak_share=0.2, start={"distribution": "uniform", "low": 1, "high": 40}, end=80),
        licensing(start=40, end=70, approval_share=0.7,
                  processing_days={"distribution": "uniform", "low": 2, "high": 9}, suspended=[[50, 55]]),
    ]  # fmt: skip
    data = build(ONE_REGION, horizon_days=90, shocks=shocks, regions__japan__demand__ree__noise_cv=0.1)
    plan = compile_plan(validate_data(data))
    seeds = list(range(16))
    batch = run_batch(stack_plans([plan] * len(seeds)), draw_batch([plan] * len(seeds), seeds), curves=True)
    for row, seed in enumerate(seeds):
        recorder = ReferenceEngine(plan, seed).run()
        for name, values in recorder.summary.items():
            assert np.array_equal(values[0], batch.summary[name][row], equal_nan=True), (name, seed)
        assert np.array_equal(recorder.arrays["days_of_cover"].astype(np.float32), batch.curves["days_of_cover"][row])
    check_invariants(run(data, seed=5))


def test_contracts_first_keeps_a_front_loaded_periods_room_for_the_normal_flows_of_its_later_days():
    # 700 t per 5 days, all open from each period's first day; normal flows 30 + 90 = 120 t a
    # day. Japan's 50 safety days put its target at 30 x 56 = 1,680 t: it orders far beyond
    # its 30 t. Day 0: contracts 120 t served, 4 later days x 120 = 480 t kept, so Japan's
    # excess gets 700 - 120 - 480 = 100 t: Japan 130 t, the EU 90 t. Days 1-4: the room
    # (480, 360, 240, 120 t) is what is kept plus the day's 120 t: Japan 30 t, the EU 90 t.
    # Without keeping it, Japan's excess would take 580 t on day 0 and the EU get nothing on days 1-4.
    data = build(contracts_case("contracts_first", 100), horizon_days=30)
    data["shocks"][0].update(tonnes_per_period=700, period_days=5, release="front_loaded")
    data["regions"]["japan"]["procurement"]["replenishment"]["safety_days"] = 50
    result = run(data)
    check_invariants(result)
    assert series(result, "ordered_t", "japan")[0] > 1000
    assert series(result, "arrivals_t", "japan")[5:10] == pytest.approx([130.0, 30.0, 30.0, 30.0, 30.0])
    assert series(result, "arrivals_t", "eu")[5:25] == pytest.approx(90.0)


def test_a_front_loaded_quota_keeps_no_room_for_days_after_it_ends():
    # the same quota ending on day 2: on day 0 only day 1's normal flows (120 t) are kept, so
    # Japan's orders beyond normal get 700 - 120 - 120 = 460 t (30 + 460 = 490 t); day 1 keeps
    # nothing for days the quota no longer covers: its 120 t of room serve the normal flows
    data = build(contracts_case("contracts_first", 100), horizon_days=30)
    data["shocks"][0].update(tonnes_per_period=700, period_days=5, release="front_loaded", end=2)
    data["regions"]["japan"]["procurement"]["replenishment"]["safety_days"] = 50
    result = run(data)
    assert series(result, "arrivals_t", "japan")[5:7] == pytest.approx([490.0, 30.0])
    assert series(result, "arrivals_t", "eu")[5:7] == pytest.approx([90.0, 90.0])


def test_with_deliverable_claims_a_halted_regions_normal_flow_is_not_kept_for_it():
    # the front-loaded quota, claims: deliverable, the EU's supply halted for good (lost, no
    # leak): its 90 t of normal flow cannot leave, so only Japan's 30 t a day of later days are
    # kept on day 0 (120 t, not 480): Japan gets 30 + (700 - 30 - 120) = 580 t, the EU nothing
    data = build(contracts_case("contracts_first", 100), horizon_days=30)
    data["shocks"][0].update(tonnes_per_period=700, period_days=5, release="front_loaded", claims="deliverable")
    data["shocks"].append(halt(regions=["eu"], start=-100, end=1000))
    data["regions"]["japan"]["procurement"]["replenishment"]["safety_days"] = 50
    result = run(data)
    assert series(result, "arrivals_t", "japan")[5] == pytest.approx(580.0)
    assert series(result, "arrivals_t", "eu")[5:10] == pytest.approx(0.0)


def test_both_engines_agree_on_a_quota_that_serves_contracts_first():
    # two members, a quota below the normal 120 t a day from a random day, a daily reviewer
    # whose gap grows and demand noise: the fast path's batch equals each run of the reference engine
    data = build(contracts_case("contracts_first", 100), horizon_days=60, regions__eu__demand__ree__noise_cv=0.2)
    data["shocks"][0]["start"] = {"distribution": "uniform", "low": 0, "high": 30}
    plan = compile_plan(validate_data(data))
    seeds = list(range(8))
    batch = run_batch(stack_plans([plan] * len(seeds)), draw_batch([plan] * len(seeds), seeds))
    for row, seed in enumerate(seeds):
        recorder = ReferenceEngine(plan, seed).run()
        for name, values in recorder.summary.items():
            assert np.array_equal(values[0], batch.summary[name][row], equal_nan=True), (name, seed)
    assert len({float(batch.summary["shortfall_t"][row].sum()) for row in range(len(seeds))}) > 1


def test_a_sweep_over_a_leak_share_runs_in_one_batch_each_point_with_its_own_share():
    # a 30-day lost halt: without a leak the 100 t of stock runs out on day 15 and Japan is
    # short 10 t/day on days 15..34 (200 t); a leak of 50% arrives from day 5, the stock drains
    # at 5 t/day and runs out on day 25: 5 t/day short on days 25..34 (50 t); with 20% it drains
    # at 8 t/day: 4 t short on day 17, 8 t/day on days 18..34 (140 t)
    import simulator

    data = build(ONE_REGION, shocks=[halt(start=0, end=30)])
    swept = simulator.sweep(data, grid={"shocks.halt.leak_share": [0.0, 0.5, 0.2]}, workers=1)
    assert swept["shortfall_t.japan"].tolist() == pytest.approx([200.0, 50.0, 140.0])
    plans = [compile_plan(validate_data(build(data, **{"shocks.halt.leak_share": v}))) for v in (0.0, 0.5)]
    assert plans[0].structure == plans[1].structure  # the share is read per run (tests/test_batch_terms.py)


@pytest.mark.parametrize("room_t", [0.0, 40.0, 1e9])
def test_a_quota_on_a_block_of_routes_gives_the_full_computation_bit_for_bit(room_t):
    # the 2010 replay's quota on China (one supplier of three): worked out on the block of
    # its routes, it must give what masking every route gives, zeros and signs included,
    # whether it binds everywhere (no room), in some runs or nowhere
    from simulator.scenario import load_scenario

    plan = compile_plan(load_scenario("scenarios/embargo_2010.yaml"))
    runs = 64
    stacked = stack_plans([plan] * runs)
    draws = draw_batch([plan] * runs, list(range(runs)))
    rng = np.random.default_rng(3)
    shipped = rng.uniform(0.0, 30.0, (2, 2, 3, runs)) * (rng.uniform(size=(2, 2, 3, runs)) > 0.2)
    shipped[..., :4] = -0.0
    on = rng.uniform(size=runs) > 0.3
    got = []
    for blocks in (True, False):
        border = Border(stacked, replace(draws, shock_magnitude=np.full_like(draws.shock_magnitude, room_t)))
        k = border.quota_ids[0]
        assert border.boxes[k] is not None
        if not blocks:
            border.boxes[k] = None
        for on_runs in (on, np.ones(runs, bool)):
            got.append((*border._quota(3, 0, k, shipped, on_runs), border.quota_used[0].copy()))
    for block, full in zip(got[:2], got[2:], strict=True):
        for a, b in zip(block, full, strict=True):
            assert a.tobytes() == b.tobytes()


@pytest.mark.parametrize("smuggling", [0.0, 0.25])
def test_a_quota_binding_in_no_run_ships_what_the_full_scaling_would_bit_for_bit(smuggling):
    # the shortcut must equal scaling by exactly 1, sign of zero included (-0.0 + 0.0 is +0.0)
    shock = SimpleNamespace(smuggling_share=smuggling)
    flows = np.array([[[[-0.0, 3.0]]], [[[0.0, -0.0]]]])  # (region, material, supplier, run)
    by_region = np.array([[-0.0, 3.0], [0.0, -0.0]])
    through, stopped = border._capped(shock, flows, by_region, by_region.copy(), slice(None), True)
    assert stopped is None
    # the same quota with one run over its room takes the full path: its other run is the reference
    allowed = by_region.copy()
    allowed[0, 1] = 1.5
    full, _ = border._capped(shock, flows, by_region, allowed, slice(None), True)
    assert through[..., 0].tobytes() == full[..., 0].tobytes()
    assert not np.signbit(through).any()


def test_cargo_two_halts_stop_for_good_adds_up_in_the_claims():
    # two half cuts of Japan's flow, both losing their cargo: 0.5 + 0.5 x 0.5 = 75% stopped for
    # good, so Japan claims 5 of its 20 t and the EU its 80: of 50 t Japan is licensed
    # 50 x 5/85 of claim, its orders are scaled by (50 x 5/85) / 5 and a quarter gets through
    halts = [halt(id=f"cut{n}", start=0, end=1000, severity=0.5) for n in (1, 2)]
    shocks = [quota(tonnes_per_period=500, end=1000, claims="deliverable"), *halts]
    result = run(build(TWO_MEMBERS, shocks=shocks))
    check_invariants(result)
    assert series(result, "arrivals_t", "japan")[5:20] == pytest.approx(50 * 5 / 85)
    assert series(result, "arrivals_t", "eu")[5:20] == pytest.approx(50 * 80 / 85)


def test_only_a_quota_that_counts_deliverable_claims_leaves_lost_cargo_out():
    # one quota counts every tonne ordered (days 0-9), the next only what is deliverable
    # (days 10-19); Japan's cargo is lost all along: 40 t then 50 t a day reach the EU
    shocks = [
        quota(tonnes_per_period=500, start=0, end=10),
        quota(id="later", tonnes_per_period=500, start=10, end=20, claims="deliverable"),
        halt(start=0, end=1000),
    ]
    eu = series(run(build(TWO_MEMBERS, shocks=shocks)), "arrivals_t", "eu")
    assert eu[5:15] == pytest.approx(40.0) and eu[15:25] == pytest.approx(50.0)
