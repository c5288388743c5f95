"""The day's market (``simulator.kernel.market``) on cases that mutation testing showed no other test pinned down.

Each test is worked out by hand and fails on the mutants it was written for (checked on each
mutant); docs/mutation-testing.md ("Kernel: the market") lists the survivors that are equivalent.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator import fastpath
from simulator.events import EventLog
from simulator.kernel import Kernel
from simulator.kernel.market import REPORTED
from simulator.plan import compile_plan, stack_plans
from simulator.randomness import draw_batch, draw_run
from simulator.scenario import validate_data
from tests.helpers import ONE_REGION, TWO_MEMBERS, build, run, series
from tests.invariants import check_invariants
from tests.test_agreement import BIDS, IEP_PAIR
from tests.test_fastpath import _settled_pair
from tests.test_market import HALT, market

# --- demand -------------------------------------------------------------------------------


def test_demand_noise_rises_with_the_days_standard_normal_draw():
    """The day's demand multiplier grows with the day's draw ``z`` (``exp(mu + sigma z)``).

    ONE_REGION (10 t/day) with a noise of cv 0.2: a day with a higher draw has a higher
    demand, so the days sorted by their draws are the days sorted by demand, and a draw
    above ``sigma / 2`` (where ``mu + sigma z = 0``, ``sigma^2 = ln 1.04``) means demand
    above the baseline.
    """
    data = build(ONE_REGION, horizon_days=30, regions__japan__demand__ree__noise_cv=0.2, seed=11)
    z = draw_run(compile_plan(validate_data(data)), 11).demand_z
    assert z is not None
    draws = np.array([z[day][0, 0, 0] for day in range(30)])
    demand = series(run(data), "demand_t", "japan")
    assert list(np.argsort(draws)) == list(np.argsort(demand))
    assert list(demand > 10.0) == list(draws > np.sqrt(np.log(1.04)) / 2)


def test_expected_demand_under_a_demand_response_is_the_demand_the_price_leaves():
    """Buyers' moving targets follow expected demand times the day's demand factor.

    ONE_REGION (10 t/day, 100 t on hand, lead 5, nothing arriving) with a market whose
    demand answers the price with elasticity -0.5 (tests/test_market.py): on day 1 the price
    is 50 x 0.6^-2, demand 6 t, so the buyers' target is 6 x (5 + 10) = 90 t against
    100 - 10 - 6 = 84 t held: a cover ratio of 84/90, and day 2's price 50 x (90/84)^2.
    """
    data = build(ONE_REGION, shocks=HALT, market=market(demand={"short_run_elasticity": -0.5}))
    result = run(data)
    assert series(result, "demand_t", "japan")[1] == pytest.approx(6.0)
    assert series(result, "commercial_stock_t", "japan")[1] == pytest.approx(84.0)
    assert result.market["cover_ratio"].to_numpy()[1] == pytest.approx(84.0 / 90.0)
    assert series(result, "price_usd_per_kg", "japan")[2] == pytest.approx(50.0 * (90.0 / 84.0) ** 2)


# --- the order of the releases ----------------------------------------------------------


@pytest.mark.parametrize(
    ("order", "japan_national", "japan_joint", "eu_joint"),
    [
        # Japan draws its 10 t first, gap 10: fair ratio level L with
        # min(10, L/2) + min(80, L/2) = 60 -> L = 100: Japan 10, the EU 50
        ("national_first", 10.0, 10.0, 50.0),
        # the pool first on gaps 20 and 80: L/2 = 30 would give 20 + 30 = 50 < 60, so
        # L/2 = 40: Japan 20, the EU 40; Japan's gap is then closed and its reserve untouched
        ("joint_first", 0.0, 20.0, 40.0),
    ],
)
def test_joint_first_draws_the_shared_stock_before_the_national_reserve(order, japan_national, japan_joint, eu_joint):
    """``agreement.order: joint_first`` swaps the national and the shared release on day 0.

    TWO_MEMBERS (gaps 20 and 80 t on day 0, a 60 t pool shared 50/50 by the fair ratio)
    with a 10 t national reserve for Japan.
    """
    data = build(TWO_MEMBERS, agreement__order=order)
    data["regions"]["japan"]["reserve"] = {"ree": {"tonnes": 10}}
    result = run(data)
    assert series(result, "released_national_t", "japan")[0] == pytest.approx(japan_national)
    assert series(result, "released_joint_t", "japan")[0] == pytest.approx(japan_joint)
    assert series(result, "released_joint_t", "eu")[0] == pytest.approx(eu_joint)
    assert series(result, "shortfall_t", "japan")[0] == pytest.approx(0.0)
    assert series(result, "shortfall_t", "eu")[0] == pytest.approx(80.0 - eu_joint)
    check_invariants(result)


# --- the auction's forecast ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("markets", "japan_won"),
    [
        # without a market bids follow baseline demand (docs/design-decisions.md): 7 x (20 - 10)
        (False, 70.0),
        # with a market, expected demand, the surge included: 7 x (30 - 10)
        (True, 140.0),
    ],
)
def test_auction_bids_forecast_demand_less_todays_arrivals(markets, japan_won):
    """Members bid for ``every_days x (demand forecast - today's arrivals)``.

    TWO_MEMBERS under the auction (Japan bids 100 USD/kg, the EU 50, every 7 days, a pool
    of 1,000 t), without stock; China ships half of what is ordered (a quota cut of 0.5
    since before day 0), so 10 and 40 t arrive on day 0, and Japan's demand rises by half
    from day 0. The EU bids 7 x (80 - 40) = 280 t. Both bids are filled (1,000 t on offer)
    at the lowest filled bid, 50 USD/kg.
    """
    cut = {"id": "quota", "kind": "quota_cut", "supplier": "china", "start": -100, "end": 1000, "severity": 0.5}
    surge = {"id": "surge", "kind": "demand_surge", "regions": ["japan"], "factor": 1.5, "start": 0, "end": 60}
    data = build(TWO_MEMBERS, shocks=[cut, surge], agreement__mechanism="auction", agreement__auction=BIDS)
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 500}}, "eu": {"ree": {"tonnes": 500}}}
    if markets:
        data["market"] = {"ree": {"price": {"sensitivity": 2.0, "adjustment_days": 1.0}}}
    result = run(data)
    assert series(result, "arrivals_t", "japan")[0] == pytest.approx(10.0)
    assert series(result, "arrivals_t", "eu")[0] == pytest.approx(40.0)
    first = result.auctions.iloc[0]
    assert first["day"] == 0
    assert first["won_t.japan"] == pytest.approx(japan_won)
    assert first["won_t.eu"] == pytest.approx(280.0)
    assert first["clearing_price_usd_per_kg"] == 50.0


# --- holding costs ---------------------------------------------------------------------------


def test_holding_costs_count_the_reserve_the_stock_bought_at_auction_and_the_pool_share():
    """A member pays holding costs on its national reserve, its bought stock and its share of the pool.

    The auction of TWO_MEMBERS worked in tests/test_agreement.py: on day 0 Japan
    wins 140 t and the EU 560 t of the 1,000 t pool and they draw their 20 and 80 t gaps. At
    the end of day 0 Japan holds 120 t bought, the EU 480 t, and each owns half of the 300 t
    left in the pool; Japan also has a 10 t reserve, untouched while its bought stock lasts
    (the joint release comes first under ``joint_first``). At 730 USD/t/year, 2 USD/t/day:
    Japan 2 x (10 + 120 + 150) = 560 USD, the EU 2 x (480 + 150) = 1,260 USD.
    """
    data = build(
        TWO_MEMBERS,
        agreement__mechanism="auction",
        agreement__auction=BIDS,
        agreement__order="joint_first",
        materials__ree__holding_cost_usd_per_t_year=730.0,
    )
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 500}}, "eu": {"ree": {"tonnes": 500}}}
    data["regions"]["japan"]["reserve"] = {"ree": {"tonnes": 10}}
    result = run(data)
    assert series(result, "auction_stock_t", "japan")[0] == pytest.approx(120.0)
    assert series(result, "pool_share_t", "japan")[0] == pytest.approx(150.0)
    assert series(result, "holding_cost_usd", "japan")[0] == pytest.approx(560.0)
    assert series(result, "holding_cost_usd", "eu")[0] == pytest.approx(1260.0)


# --- days of cover ------------------------------------------------------------------------


def test_a_member_short_by_less_than_a_tonne_is_shown_no_drawable_shared_stock():
    """A member short today, by however little, has drawn all the rule gives it: none of the pool is drawable.

    TWO_MEMBERS (60 t pool, half each) with the strict fair ratio and the EU needing
    21 t/day. Day 0: gaps 20 and 21 t, so 41 t are released: Japan's half, 20.5 t, covers
    its 20 t; the EU gets 20.5 t and is short 0.5 t. 19.5 t are left: Japan may draw half,
    9.75 t (0.4875 days of its 20 t/day); the EU is shown none and 0 days.
    """
    data = build(TWO_MEMBERS, agreement__strict=True, regions__eu__demand__ree__tonnes_per_day=21)
    result = run(data)
    assert series(result, "shortfall_t", "eu")[0] == pytest.approx(0.5)
    assert series(result, "drawable_shared_t", "japan")[0] == pytest.approx(9.75)
    assert series(result, "days_of_cover", "japan")[0] == pytest.approx(0.4875)
    assert series(result, "drawable_shared_t", "eu")[0] == 0.0
    assert series(result, "days_of_cover", "eu")[0] == 0.0
    check_invariants(result)


def test_days_of_net_imports_divide_by_the_imported_share_when_no_region_imports_everything():
    """Days of net imports use net imports, not demand, also when every region has some domestic supply.

    ONE_REGION (10 t/day, 100 t on hand) buys a quarter from a domestic recycler: its net
    imports are 7.5 t/day. No shock: arrivals meet demand and the 100 t stay on hand,
    10 days of consumption and 100 / 7.5 = 13.33 days of net imports.
    """
    data = build(
        ONE_REGION,
        horizon_days=5,
        suppliers__recycler={"lead_time_days": {"japan": 2}, "home_region": "japan"},
        regions__japan__sourcing={"ree": {"china": 0.75, "recycler": 0.25}},
    )
    result = run(data)
    assert series(result, "commercial_stock_t", "japan") == pytest.approx(100.0)
    assert series(result, "days_of_cover", "japan") == pytest.approx(10.0)
    assert series(result, "days_of_net_imports", "japan") == pytest.approx(100.0 / 7.5)


def test_need_with_restraint_counts_a_members_own_reserve_draw_as_supplied():
    """A member's need is its supply right less what it got, its own reserve's draw included.

    TWO_MEMBERS under ``need_with_restraint`` (restraint 10%) with a 10 t national reserve
    for Japan, drawn first. Day 0: Japan's gap of 20 t falls to 10 t; it has had 10 t against
    a right of 0.9 x 20 = 18 t, so it needs 8 t; the EU (gap 80 t, nothing supplied) needs
    72 t. The 60 t pool covers 60/80 of the needs: Japan 6 t, the EU 54 t.
    """
    data = build(TWO_MEMBERS, agreement__mechanism="need_with_restraint")
    data["agreement"]["iea_ess"] = {"restraint": 0.1, "trigger_loss_share": 0.07}
    data["regions"]["japan"]["reserve"] = {"ree": {"tonnes": 10}}
    result = run(data)
    assert series(result, "released_national_t", "japan")[0] == pytest.approx(10.0)
    assert series(result, "released_joint_t", "japan")[0] == pytest.approx(6.0)
    assert series(result, "released_joint_t", "eu")[0] == pytest.approx(54.0)
    check_invariants(result)


# --- release times: what counts as a supply shock cutting a member's shipments ----------------

TIMES = {"normal_days": 30, "emergency_days": 8}
SURGE = {"id": "surge", "kind": "demand_surge", "regions": ["japan"], "factor": 1.5, "start": 0, "end": 60}


def test_a_quota_cut_on_a_members_supplier_makes_the_emergency_lead_time_apply():
    """A quota cut, not only an embargo, on a member's shipments is a supply shock for release times.

    TWO_MEMBERS without stock, China cutting its whole quota from day 10: the last shipments
    land on day 14, both members are short from day 15, when the agreement activates under
    the cut: releases open on day 15 + 8 = 23 (not 15 + 30).
    """
    cut = {"id": "quota", "kind": "quota_cut", "supplier": "china", "start": 10, "end": 1000, "severity": 1.0}
    result = run(build(TWO_MEMBERS, shocks=[cut], agreement__release_times=TIMES))
    joint = series(result, "released_joint_t", "japan")
    assert series(result, "shortfall_t", "japan")[:15] == pytest.approx(0.0)
    assert joint[:23] == pytest.approx(0.0)
    assert joint[23] == pytest.approx(20.0)
    check_invariants(result)


@pytest.mark.parametrize("kind", ["quota_cut", "embargo"])
def test_a_cut_on_a_supplier_no_member_buys_from_is_no_emergency(kind):
    """Only a cut of routes a member actually sources from makes its releases an emergency.

    TWO_MEMBERS with every route open; Japan's demand rises by half from day 0 (short
    10 t/day, its 20 t/day arrive). A whole quota cut, or an embargo against both members,
    from day 0 by "mine", a supplier with routes to both members that neither buys from,
    cuts nothing they get: the normal 30 days apply, and on day 30 Japan gets its 10 t. (An
    embargo against a member counted as a cut whatever the member sourced, and opened
    releases on day 8.)
    """
    cut = {"id": "mine_cut", "kind": kind, "supplier": "mine", "start": 0, "end": 60}
    cut.update({"severity": 1.0} if kind == "quota_cut" else {"regions": ["japan", "eu"]})
    data = build(TWO_MEMBERS, shocks=[SURGE, cut], agreement__release_times=TIMES)
    data["suppliers"]["mine"] = {"lead_time_days": {"japan": 5, "eu": 5}}
    result = run(data)
    joint = series(result, "released_joint_t", "japan")
    assert joint[:30] == pytest.approx(0.0)
    assert joint[30] == pytest.approx(10.0)


def test_an_embargo_on_a_supplier_a_member_buys_from_under_a_quota_is_an_emergency():
    """A supplier a member buys from only because its procurement quota says so counts too.

    As above, but Japan must buy half its ree from "mine" (``partner_minimum``), which its
    normal sourcing leaves out. An embargo by "mine" against both members from day 0 cuts
    half of what Japan buys, so releases open after the emergency's 8 days, not 30.
    """
    cut = {"id": "mine_cut", "kind": "embargo", "supplier": "mine", "start": 0, "end": 60, "regions": ["japan", "eu"]}
    data = build(TWO_MEMBERS, shocks=[SURGE, cut], agreement__release_times=TIMES)
    data["suppliers"]["mine"] = {"lead_time_days": {"japan": 5, "eu": 5}}
    data["regions"]["japan"].setdefault("procurement", {})["quota"] = {"ree": {"partner_minimum": {"mine": 0.5}}}
    joint = series(run(data), "released_joint_t", "japan")
    assert joint[:8] == pytest.approx(0.0)
    assert joint[8] > 0.0


def test_an_embargo_on_a_supplier_only_another_member_buys_from_is_no_emergency():
    """The cut is member by member: a member's own routes to a supplier it does not buy from.

    As above, but the embargo is against Japan only, and only the EU buys from "mine" (half
    of its ree, by ``partner_minimum``). Japan's routes to "mine" are cut, but Japan buys
    nothing there, and the EU's are open: no emergency, so the normal 30 days apply.
    """
    cut = {"id": "mine_cut", "kind": "embargo", "supplier": "mine", "start": 0, "end": 60, "regions": ["japan"]}
    data = build(TWO_MEMBERS, shocks=[SURGE, cut], agreement__release_times=TIMES)
    data["suppliers"]["mine"] = {"lead_time_days": {"japan": 5, "eu": 5}}
    data["regions"]["eu"].setdefault("procurement", {})["quota"] = {"ree": {"partner_minimum": {"mine": 0.5}}}
    joint = series(run(data), "released_joint_t", "japan")
    assert joint[:30] == pytest.approx(0.0)
    assert joint[30] == pytest.approx(10.0)


@pytest.mark.parametrize(("measured_loss", "opens_on"), [(False, 35), (True, 13)])
def test_an_export_quota_is_an_emergency_only_through_a_measured_loss(measured_loss, opens_on):
    """An export quota caps what ships without scaling a route: only a measured loss makes it an emergency.

    TWO_MEMBERS without stock; China licenses 500 t per 10 days from day 0, half of the
    100 t/day the members order. Shipments of day 0 land on day 5 at half, so Japan (20 t a
    day) is short 10 t from day 5, when the agreement activates. Without a measured loss,
    releases open after the normal 30 days, on day 35. With a 4-day loss window, the
    arrivals of days 2-5 (3 x 100 + 50 = 350 t) are below 0.9 of normal (400 t) on day 5,
    so releases open after the emergency's 8 days, on day 13. Japan then gets its 10 t: the
    pool's 60 t, half offered to each, is more than its gap (docs/release-rules.md).
    """
    quota = {"id": "quota", "kind": "export_quota", "supplier": "china", "start": 0, "end": 1000}
    quota.update({"period_days": 10, "tonnes_per_period": 500})
    data = build(TWO_MEMBERS, shocks=[quota], agreement__release_times=TIMES)
    if measured_loss:
        loss = {"window_days": 4, "group_below": 0.9, "member_below": 0.8}
        data["agreement"].setdefault("trigger", {})["measured_loss"] = loss
    result = run(data)
    joint = series(result, "released_joint_t", "japan")
    assert series(result, "shortfall_t", "japan")[:5] == pytest.approx(0.0)
    assert series(result, "shortfall_t", "japan")[5] == pytest.approx(10.0)
    assert joint[:opens_on] == pytest.approx(0.0)
    assert joint[opens_on] == pytest.approx(10.0)


# --- tenders --------------------------------------------------------------------------------


def test_a_tender_holds_a_reserve_back_also_under_a_rule_that_shares_supplies():
    """Under ``iea_ess`` a member with a tender policy still waits for its tender to draw its reserve.

    The IEP pair (100 t/day each, no commercial stock, lead 1 day), a losing its Chinese
    0.5%: the group loses 0.25% and a 0.5%, below the triggers, so a draws its own reserve
    for its 0.5 t gap, but only once its tender is on sale, 3 days after the first gap. Until
    then a is short, so its 1,000 t reserve (10 days of its own stock) is not drawable: 0 days
    of cover. From day 3 it buys 0.5 t a day at 50 USD/kg, 25,000 USD; b, without a tender,
    sells nothing.
    """
    data = build(IEP_PAIR, regions__a__sourcing__ree={"china": 0.005, "other": 0.995})
    data["agreement"]["pool"] = {"mode": "national"}
    data["regions"]["a"]["reserve"] = {"ree": {"tonnes": 1000}}
    data["regions"]["a"]["reserve_release"] = {"mode": "tender", "lag_days": 3}
    result = run(data)
    national, short = series(result, "released_national_t", "a"), series(result, "shortfall_t", "a")
    assert national[:3] == pytest.approx(0.0)
    assert short[:3] == pytest.approx(0.5)
    assert series(result, "days_of_cover", "a")[:3] == pytest.approx(0.0)
    assert series(result, "days_of_cover_own", "a")[:3] == pytest.approx(10.0)
    assert national[3:8] == pytest.approx(0.5)
    assert short[3:8] == pytest.approx(0.0)
    assert series(result, "reserve_sale_usd", "a")[3:8] == pytest.approx(25_000.0)
    assert (series(result, "reserve_sale_usd", "b") == 0.0).all()
    check_invariants(result)


def test_a_gap_at_the_rounding_threshold_asks_for_no_tender():
    """A gap of exactly 1e-9 t is rounding residue, not a shortage: no tender is requested.

    One region needing 1e-6 t/day, a surge of factor 0.001 (1e-6 x 0.001 is 1e-9 in floating
    point, the threshold itself), nothing on hand or arriving and a 1,000 t reserve sold by
    tender without lag: its gap is 1e-9 t every day, which counts as no shortfall, so no
    tender is requested and the reserve is never drawn.
    """
    halt = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}
    lull = {"id": "lull", "kind": "demand_surge", "factor": 0.001, "start": 0, "end": 1000}
    data = build(
        ONE_REGION,
        horizon_days=5,
        shocks=[halt, lull],
        regions__japan__demand__ree__tonnes_per_day=1e-6,
        regions__japan__commercial_stock__ree__tonnes=0,
        regions__japan__reserve={"ree": {"tonnes": 1000}},
        regions__japan__reserve_release={"mode": "tender", "lag_days": 0},
    )
    result = run(data)
    assert (series(result, "demand_t", "japan") == 1e-9).all()
    assert (series(result, "shortfall_t", "japan") == 0.0).all()
    assert (series(result, "released_national_t", "japan") == 0.0).all()
    assert (series(result, "reserve_stock_t", "japan") == 1000.0).all()


# --- output-only fields -------------------------------------------------------------------

OUTPUT_ONLY_CASES = {
    "loan": _settled_pair({"kind": "loan", "term_days": 7}),
    "auction_market": build(
        TWO_MEMBERS,
        agreement__mechanism="auction",
        agreement__auction=BIDS,
        market=market(demand={"short_run_elasticity": -0.5}),
    ),
}


def _market_days(data: dict, monkeypatch: pytest.MonkeyPatch, **options: object) -> list:
    """Every day's market record of a fast-path batch of three runs of ``data`` (``run_batch`` ``options``)."""
    days = []

    class Recording(Kernel):
        def market(self, *args, **kwargs):
            day = super().market(*args, **kwargs)
            days.append(day)
            return day

    monkeypatch.setattr(fastpath, "Kernel", Recording)
    plans = [compile_plan(validate_data(data))] * 3
    fastpath.run_batch(stack_plans(plans), draw_batch(plans, [0, 1, 2]), **options)
    assert len(days) == plans[0].structure.horizon_days
    assert sum(float(d.released_joint_t.sum()) for d in days) > 0  # the agreement is not quiet on every day
    return days


@pytest.mark.parametrize("kept", [("days_of_cover_own",), ()], ids=["own_cover_kept", "none_kept"])
@pytest.mark.parametrize("case", OUTPUT_ONLY_CASES)
def test_a_batch_works_out_just_the_output_only_fields_something_reads(case, kept, monkeypatch):
    """``Market.report_only``: of :data:`REPORTED`, only the fields the kept curves or the summary read are set.

    A curve of one output-only field (days of own cover) or none, and a summary of the
    shortfall alone, which reads no output-only field: every day's record has just the
    kept field and None for the others, also on the days the agreement releases stock.
    """
    days = _market_days(OUTPUT_ONLY_CASES[case], monkeypatch, curves=kept, metrics=("shortfall_t",))
    for d in days:
        assert [name for name in REPORTED if getattr(d, name) is not None] == list(kept)


@pytest.mark.parametrize("case", OUTPUT_ONLY_CASES)
def test_a_batch_with_an_event_log_works_out_every_output_only_field(case, monkeypatch):
    """The event log may read any field of the day's record, so with a log none is left out."""
    plan = compile_plan(validate_data(OUTPUT_ONLY_CASES[case]))
    days = _market_days(OUTPUT_ONLY_CASES[case], monkeypatch, metrics=("shortfall_t",), log=EventLog(plan.structure))
    for d in days:
        assert [name for name in REPORTED if getattr(d, name) is None] == []
