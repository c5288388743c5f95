"""The agreement inside the engine: each mechanism, logistics, pool modes, hybrid switching.

Base world (tests/helpers.py TWO_MEMBERS): nothing arrives at all (a total embargo since
before day 0), no commercial stock; Japan needs 20 t/day and the EU 80 t/day, so the
gaps are 20 t and 80 t every day; the joint pool holds 60 t, owned 50/50.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.engine import ReferenceEngine, simulate
from simulator.fastpath import run_batch
from simulator.plan import compile_plan, stack_plans
from simulator.randomness import draw_batch
from simulator.scenario import validate_data
from tests.helpers import TWO_MEMBERS, build, frame_bytes, run, series, shipped_group, shipped_result
from tests.invariants import check_invariants

BIDS = {
    "every_days": 7,
    "bids": {
        "japan": {"ree": [{"end_use": "magnets", "share": 1.0, "price_usd_per_kg": 100}]},
        "eu": {"ree": [{"end_use": "magnets", "share": 1.0, "price_usd_per_kg": 50}]},
    },
}


def joint(result, region):
    return series(result, "released_joint_t", region)


@pytest.mark.parametrize(
    ("mechanism", "japan", "eu"),
    [
        ("fair_ratio", 20, 40),  # 30/30 offered; Japan needs 20, its 10 spare go to the EU
        ("proportional", 12, 48),  # the former name of proportional_to_demand still works
        ("proportional_to_demand", 12, 48),  # by baseline demand 20:80
        ("proportional_to_claims", 12, 48),  # by gaps 20:80
        ("equal_awards", 20, 40),
        ("equal_losses", 0, 60),
        ("talmud", 10, 50),
        ("equal_cover", 12, 48),  # no own stock: level L days, 20L + 80L = 60
    ],
)
def test_day_zero_allocation_of_60_t_against_gaps_20_and_80(mechanism, japan, eu):
    result = run(build(TWO_MEMBERS, agreement__mechanism=mechanism))
    assert joint(result, "japan")[0] == pytest.approx(japan)
    assert joint(result, "eu")[0] == pytest.approx(eu)
    assert joint(result, "japan")[1:].sum() + joint(result, "eu")[1:].sum() == pytest.approx(0.0)  # pool empty
    assert result.pool["pool_stock_t"].iloc[0] == pytest.approx(0.0)
    check_invariants(result)


def test_strict_fair_ratio_withholds_japans_unused_share():
    result = run(build(TWO_MEMBERS, agreement__strict=True))
    # day 0: 30 t offered to each; Japan uses 20, the EU gets only its 30; 10 t stay in the pool
    # day 1: the 10 t left are offered 5/5
    assert joint(result, "japan")[:3] == pytest.approx([20, 5, 0])
    assert joint(result, "eu")[:3] == pytest.approx([30, 5, 0])
    assert result.summary.iloc[-1]["unused_release_t"] == pytest.approx(10.0)  # sat in the pool on day 0


def test_ratio_override_30_70():
    result = run(build(TWO_MEMBERS, agreement__ratio__japan=0.3, agreement__ratio__eu=0.7))
    assert joint(result, "japan")[0] == pytest.approx(18) and joint(result, "eu")[0] == pytest.approx(42)


def test_need_with_restraint_fills_up_to_the_supply_right():
    data = build(TWO_MEMBERS, agreement__mechanism="need_with_restraint", agreement__iea_ess__restraint=0.1)
    data["agreement"]["pool"]["contributions"]["japan"]["ree"]["tonnes"] = 1000
    result = run(data)
    # supply right 90% of demand: 18 and 72 t/day; the members bear 2 and 8 t/day themselves
    assert joint(result, "japan")[:3] == pytest.approx([18, 18, 18])
    assert joint(result, "eu")[:3] == pytest.approx([72, 72, 72])
    assert series(result, "shortfall_t", "eu")[:3] == pytest.approx([8, 8, 8])


IEP_PAIR = {
    "name": "iep",
    "horizon_days": 12,
    "materials": {"ree": {"price_usd_per_kg": 50}},
    "suppliers": {
        "china": {"lead_time_days": {"a": 1, "b": 1}},
        "other": {"lead_time_days": {"a": 1, "b": 1}},
    },
    "regions": {
        "a": {
            "demand": {"ree": {"tonnes_per_day": 100}},
            "commercial_stock": {"ree": {"tonnes": 0}},
            "sourcing": {"ree": {"china": 0.5, "other": 0.5}},
        },
        "b": {
            "demand": {"ree": {"tonnes_per_day": 100}},
            "commercial_stock": {"ree": {"tonnes": 0}},
            "sourcing": {"ree": {"other": 1.0}},
        },
    },
    "shocks": [{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["a"], "start": -100, "end": 1000}],
    "agreement": {
        "members": ["a", "b"],
        "mechanism": "iea_ess",
        "pool": {"contributions": {"a": {"ree": {"tonnes": 150}}, "b": {"ree": {"tonnes": 150}}}},
    },
}
"""Two members of 100 t/day with no commercial stock; a loses half its supply (its Chinese half)."""


def test_iea_ess_two_members_one_losing_half_each_consume_90():
    result = run(build(IEP_PAIR))
    check_invariants(result)
    for region, passed in (("a", 25), ("b", -25)):
        assert series(result, "transferred_t", region)[:10] == pytest.approx(passed)
        assert series(result, "released_joint_t", region)[:10] == pytest.approx(15)  # 30 t/day drawn, 15/15
        assert series(result, "supplied_t", region)[:10] == pytest.approx(75)  # own supply after passing
        assert series(result, "shortfall_t", region)[:10] == pytest.approx(10)  # the 10% restraint
        # a sale at the world price, 50 USD/kg: a pays 25 t x 50,000 USD/t, b receives it
        assert series(result, "transfer_value_usd", region)[:10] == pytest.approx(passed * 50_000)
    # 300 t of pool last 10 days; then the obligations (15 + 15) cannot be drawn: rights stay
    # 75 + 75, b still passes 25, and both consume 75
    assert series(result, "transferred_t", "a")[10:] == pytest.approx(25)
    assert series(result, "shortfall_t", "a")[10:] == pytest.approx(25)
    assert series(result, "shortfall_t", "b")[10:] == pytest.approx(25)
    assert result.releases["mechanism"].eq("iea_ess").all()


def test_iea_ess_draws_national_reserves_by_obligation_not_first():
    data = build(IEP_PAIR)
    data["agreement"]["pool"] = {"mode": "national"}
    data["regions"]["a"]["reserve"] = {"ree": {"tonnes": 1000}}
    data["regions"]["b"]["reserve"] = {"ree": {"tonnes": 1000}}
    result = run(data)
    check_invariants(result)
    # a does not cover its own 50 t gap from its reserve: each draws its 15 t obligation
    assert series(result, "released_national_t", "a")[:5] == pytest.approx(0)
    assert series(result, "released_joint_t", "a")[:5] == pytest.approx(15)
    assert series(result, "lent_t", "b")[:5] == pytest.approx(15)  # drawn from b's own reserve, for b
    assert series(result, "reserve_stock_t", "b")[:2] == pytest.approx([985, 970])
    assert series(result, "transferred_t", "b")[:5] == pytest.approx(-25)


def test_iea_ess_below_its_triggers_leaves_own_reserves_to_their_owners():
    # a loses 5% of its supply: 5/200 = 2.5% for the group, 5% for a: no trigger; a draws its own
    data = build(IEP_PAIR, regions__a__sourcing__ree={"china": 0.05, "other": 0.95})
    data["agreement"]["pool"] = {"mode": "national"}
    data["regions"]["a"]["reserve"] = {"ree": {"tonnes": 1000}}
    result = run(data)
    check_invariants(result)
    assert series(result, "released_national_t", "a")[:5] == pytest.approx(5)
    assert series(result, "transferred_t", "a")[:5] == pytest.approx(0)
    assert series(result, "shortfall_t", "b")[:5] == pytest.approx(0)


def test_iea_ess_selective_trigger_in_the_engine():
    # a (30 t/day) is cut off alone among 530 t/day: the group loses 5.7%, a 100% of its own;
    # b passes it 27.9 t/day, 93% of its demand, and no stock is drawn
    data = build(
        IEP_PAIR,
        regions__a__sourcing__ree={"china": 1.0},
        regions__a__demand__ree__tonnes_per_day=30,
        regions__b__demand__ree__tonnes_per_day=500,
    )
    result = run(data)
    check_invariants(result)
    assert series(result, "supplied_t", "a")[:10] == pytest.approx(27.9)
    assert series(result, "transferred_t", "b")[:10] == pytest.approx(-27.9)
    assert series(result, "released_joint_t", "a")[:10] == pytest.approx(0)  # no stock drawn


def test_decision_lag_and_delivery_delay_postpone_the_first_release():
    data = build(TWO_MEMBERS, agreement__decision_lag_days=2, agreement__delivery_days=1)
    result = run(data)
    assert joint(result, "japan")[:4] == pytest.approx([0, 0, 0, 20])
    assert series(result, "shortfall_t", "japan")[:3] == pytest.approx([20, 20, 20])


def test_release_cap_limits_the_daily_release():
    data = build(TWO_MEMBERS, agreement__release_cap_t_per_day={"ree": 30})
    result = run(data)
    assert joint(result, "japan")[:2] == pytest.approx([15, 15])
    assert joint(result, "eu")[:2] == pytest.approx([15, 15])


def test_early_trigger_opens_releases_before_the_first_gap():
    # Japan holds 100 t (5 days); releases open 5 days after the trigger
    data = build(
        TWO_MEMBERS,
        agreement__decision_lag_days=5,
        regions__japan__commercial_stock__ree__tonnes=100,
        regions__eu__commercial_stock__ree__tonnes=1000,
    )
    data["agreement"]["pool"]["contributions"]["eu"]["ree"]["tonnes"] = 1000
    late = run(data)
    assert series(late, "shortfall_t", "japan")[5:10] == pytest.approx(20.0)  # gap from day 5, releases day 10
    data["agreement"]["trigger"] = {"commercial_days_below": 10}
    early = run(data)  # below 10 days of cover on day 0 -> open on day 5, when the gap starts
    assert series(early, "shortfall_t", "japan")[:20] == pytest.approx(0.0)
    assert joint(early, "japan")[5] == pytest.approx(20.0)


def test_national_mode_lends_within_the_lendable_share_and_donor_floor():
    data = build(TWO_MEMBERS)
    data["agreement"]["pool"] = {"mode": "national", "lendable_share": 0.5}
    data["regions"]["japan"]["reserve"] = {"ree": {"tonnes": 100}}
    result = run(data)
    # day 0: Japan draws 20 of its own; may lend min(80 left, 50% of 100) = 50 to the EU
    assert series(result, "released_national_t", "japan")[:2] == pytest.approx([20, 20])
    assert joint(result, "eu")[:2] == pytest.approx([50, 0])
    assert series(result, "lent_t", "japan")[:2] == pytest.approx([50, 0])
    check_invariants(result)
    data["agreement"]["pool"]["donor_floor_days"] = 2  # keep 40 t = 2 days of Japan's demand
    floored = run(data)
    assert joint(floored, "eu")[0] == pytest.approx(40)


def test_auction_sells_expected_gaps_and_members_draw_what_they_bought():
    data = build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction=BIDS)
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 500}}, "eu": {"ree": {"tonnes": 500}}}
    result = run(data)
    first, second = result.auctions.iloc[0], result.auctions.iloc[1]
    # day 0: bids for 7 days of gaps, 140 t at 100 and 560 t at 50; 1,000 t on offer
    assert (first["day"], first["won_t.japan"], first["won_t.eu"]) == (0, pytest.approx(140), pytest.approx(560))
    assert first["clearing_price_usd_per_kg"] == 50.0
    assert first["spend_usd.japan"] == pytest.approx(140 * 50 * 1000)
    # day 7: 300 t left; Japan's higher bid is filled first, the EU gets the rest
    assert (second["day"], second["won_t.japan"], second["won_t.eu"]) == (7, pytest.approx(140), pytest.approx(160))
    assert joint(result, "japan")[:14] == pytest.approx(20.0)
    assert joint(result, "eu")[7:9] == pytest.approx(80.0)
    assert series(result, "clearing_price_usd_per_kg", "japan")[0] == 50.0
    assert np.isnan(series(result, "clearing_price_usd_per_kg", "japan")[1])
    check_invariants(result)


def test_hybrid_uses_the_fair_ratio_exactly_on_embargo_days():
    data = build(TWO_MEMBERS, agreement__mechanism="hybrid", agreement__auction={**BIDS, "every_days": 1})
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 5000}}, "eu": {"ree": {"tonnes": 5000}}}
    data["shocks"] = [
        {"id": "quota", "kind": "quota_cut", "supplier": "china", "start": -100, "end": 1000, "severity": 1.0},
        {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 10, "end": 20},
    ]
    result = run(data)
    rule = series(result, "release_rule", "japan")
    assert list(np.flatnonzero(rule == "fair_ratio")) == list(range(10, 20))
    assert set(rule[:10]) == {"auction"} and set(rule[20:]) == {"auction"}
    check_invariants(result)


SURGE = {"id": "surge", "kind": "demand_surge", "regions": ["japan"], "factor": 1.5, "start": 0, "end": 60}
"""Japan's demand rises by half from day 0 with every route open: a gap, but no supply shock."""


def test_release_times_normal_lead_time_without_a_supply_shock():
    # japan is short 10 t/day from day 0 (its 20 t/day arrive, it needs 30); no route is cut,
    # so releases open after the normal 30 days
    data = build(TWO_MEMBERS, shocks=[SURGE], agreement__release_times={"normal_days": 30, "emergency_days": 8})
    result = run(data)
    assert joint(result, "japan")[:30] == pytest.approx(0.0)
    assert joint(result, "japan")[30] == pytest.approx(10.0)


def test_release_times_emergency_delivery_under_a_supply_shock():
    # TWO_MEMBERS: an embargo cuts both members' only route since before day 0: 8 days
    data = build(TWO_MEMBERS, agreement__release_times={"normal_days": 30, "emergency_days": 8})
    result = run(data)
    assert joint(result, "japan")[:8] == pytest.approx(0.0)
    assert joint(result, "japan")[8] == pytest.approx(20.0)


def test_release_times_an_emergency_after_activation_shortens_the_wait():
    # activated by the surge on day 0 (normal: open on day 30); an embargo on japan's route
    # from day 10 makes it an emergency: open on day 10 + 8 = 18
    halt = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 10, "end": 60}
    data = build(TWO_MEMBERS, shocks=[SURGE, halt], agreement__release_times={"normal_days": 30, "emergency_days": 8})
    result = run(data)
    assert joint(result, "japan")[:18] == pytest.approx(0.0)
    assert joint(result, "japan")[18] > 0


def test_runs_with_different_auction_terms_share_a_batch_run_by_run():
    # the worked auction above, the same with the EU bidding 150 USD/kg (its bid now
    # sets no price: both are filled at Japan's 100), and with an auction every 3 days
    data = build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction=BIDS)
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 500}}, "eu": {"ree": {"tonnes": 500}}}
    eu_bid = [{"end_use": "magnets", "share": 1.0, "price_usd_per_kg": 150}]
    variants = [
        data,
        build(data, agreement__auction__bids__eu__ree=eu_bid),
        build(data, agreement__auction__every_days=3),
    ]
    plans = [compile_plan(validate_data(v)) for v in variants]
    batch = run_batch(stack_plans(plans), draw_batch(plans, [0, 0, 0]))
    for row, plan in enumerate(plans):  # alone, each run's terms are the batch's terms
        alone = ReferenceEngine(plan, 0).run().summary
        for name, values in alone.items():
            assert np.array_equal(values[0], batch.summary[name][row], equal_nan=True), (name, row)
    spend = batch.summary["auction_spend_usd"][:, :, 0]  # (run, region)
    # day 0: 140 t for Japan and 560 t for the EU out of 1,000 t, at 50 USD/kg, then at 100
    assert spend[1, 1] > spend[0, 1] and spend[1, 1] >= 560 * 100 * 1000
    assert not np.array_equal(spend[2], spend[0])


@pytest.mark.parametrize("name", [pytest.param(n, marks=shipped_group(n)) for n in ("long_embargo_6m", "club_of_five")])
def test_quiet_days_give_the_record_the_full_step_gives(monkeypatch, name):
    """The agreement's short way on quiet days (``_quiet_fields``) builds its record apart from the full
    step: a field it got wrong (a stock copied as zeros) would be wrong only on those days.

    The short way is the shipped scenario's reference run (``shipped_result``, made once per
    process and read by the report and shipped-scenario tests too), taken before the patch."""
    from simulator.kernel.agreement import AgreementStep

    assert AgreementStep.skip_quiet_days  # the short way is on, so the shared run took it
    short_way = shipped_result(name)
    monkeypatch.setattr(AgreementStep, "skip_quiet_days", False)
    full_step = simulate(short_way.scenario)
    assert short_way.summary["shortfall_t"].sum() > 0  # the agreement has work to do on other days
    for table in ("timeseries", "summary", "pool", "releases", "auctions", "ledger"):
        assert frame_bytes(getattr(full_step, table)) == frame_bytes(getattr(short_way, table)), table
