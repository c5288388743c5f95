"""The procurement step (``simulator.kernel.procure``) on cases that mutation testing showed no other test pinned down.

Each test is worked out by hand and fails on the mutants it was written for (checked on each
mutant); docs/mutation-testing.md ("Kernel: procurement") lists the survivors that are
equivalent. Markets first (moving targets, the cover ratio), then capacity, re-sourcing and
refills at the rounding threshold, and last the joint pool's refill from day 0.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers import ONE_REGION, TWO_MEMBERS, build, halt, run, series, threat
from tests.invariants import check_invariants
from tests.test_agreement import BIDS
from tests.test_border_mutants import quota
from tests.test_kernel_mutants import capacity_world
from tests.test_market import HALT, market
from tests.test_procurement import order_up_to_world

# --- orders -------------------------------------------------------------------------------


def test_a_flow_buyer_orders_exactly_its_baseline_demand_from_day_0():
    """On day 0, as on every day after the warm-up, a flow buyer's order is its baseline demand.

    ONE_REGION at 7 t/day split 0.6 : 0.3 : 0.1 over three suppliers: 7 t is ordered every
    day, exactly, although its three route orders sum to 7.000000000000001 t in floating
    point (4.2 + 2.1 + 0.7 t, the sum the warm-up reports as its orders).
    """
    data = build(
        ONE_REGION,
        horizon_days=3,
        regions__japan__demand__ree__tonnes_per_day=7,
        regions__japan__sourcing={"ree": {"china": 0.6, "australia": 0.3, "canada": 0.1}},
        suppliers__australia={"lead_time_days": {"japan": 3}},
        suppliers__canada={"lead_time_days": {"japan": 4}},
    )
    assert 7.0 * 0.6 + 7.0 * 0.3 + 7.0 * 0.1 != 7.0
    assert series(run(data), "ordered_t", "japan").tolist() == [7.0, 7.0, 7.0]


# --- markets: the moving target and the cover ratio -----------------------------------------


def test_a_periodic_buyer_under_stocking_orders_up_to_review_safety_and_the_cover_above_normal():
    """A periodic buyer's moving target is ``d_e x (L + R + safety + desired cover - normal cover)``.

    ONE_REGION (10 t/day, lead 5, 100 t on hand: a normal cover of 10 days) ordering up
    to a target every 7 days with 5 days of safety, in a market whose buyers keep moving
    targets but see no risk (desired cover = normal cover). Target 10 x (5 + 7 + 5 + 0) =
    170 t; on day 0 it holds 100 t and 40 t in transit, so it orders 30 t; on day 7 it has
    used 70 t since and orders them back.
    """
    data = build(
        order_up_to_world(market=market(stocking={"precaution_gain": 0.0})),
        horizon_days=15,
        regions__japan__commercial_stock__ree__tonnes=100,
        regions__japan__procurement__replenishment__safety_days=5,
    )
    result = run(data)
    ordered = series(result, "ordered_t", "japan")
    assert ordered[[0, 7, 14]] == pytest.approx([30.0, 70.0, 70.0])
    assert np.delete(ordered, [0, 7, 14]) == pytest.approx(0.0)
    assert result.market["cover_ratio"].to_numpy() == pytest.approx(1.0)


def test_a_periodic_buyers_cover_ratio_stays_1_between_reviews():
    """Between reviews a periodic buyer's position counts the demand used since its last review.

    The order-up-to world of tests/test_procurement.py (10 t/day, lead 5, review 7: a
    target of 120 t, met by every review's order) in a market: its stock and goods in
    transit fall 10 t a day after a review while the 10 t a day it has used since count
    back in, so the cover ratio is 1 every day and the price stays at its reference.
    """
    result = run(order_up_to_world(market=market()))
    assert result.market["cover_ratio"].to_numpy() == pytest.approx(1.0)
    assert series(result, "price_usd_per_kg", "japan") == pytest.approx(50.0)


@pytest.mark.parametrize("stock", [0.0, 10.0])
def test_a_material_nobody_demands_has_a_cover_ratio_of_1(stock):
    """Without targets (no demand: every target is 0 t) the cover ratio is 1, without a warning.

    ONE_REGION with no demand for ree, in a market: whatever is on hand (nothing, or
    10 t), the ratio is 1 and the price stays at its reference of 50 USD/kg (pytest turns
    the warning of a division by zero into an error).
    """
    data = build(
        ONE_REGION,
        horizon_days=10,
        regions__japan__demand__ree__tonnes_per_day=0,
        regions__japan__commercial_stock__ree__tonnes=stock,
        market=market(),
    )
    result = run(data)
    assert result.market["cover_ratio"].to_numpy().tolist() == [1.0] * 10
    assert series(result, "price_usd_per_kg", "japan") == pytest.approx(50.0)


def test_a_market_whose_targets_sum_to_less_than_a_tonne_has_its_own_cover_ratio():
    """A cover ratio below 1 moves the price also when the buyers' targets are under a tonne.

    ONE_REGION scaled down a thousandfold (0.01 t/day, 0.1 t on hand, lead 5), cut off
    from day -100: the target is 0.01 x (5 + 10) = 0.15 t against 0.09 t held at the end
    of day 0, a ratio of 0.6, and day 1's price is 50 x 0.6^-2.
    """
    data = build(
        ONE_REGION,
        horizon_days=3,
        regions__japan__demand__ree__tonnes_per_day=0.01,
        regions__japan__commercial_stock__ree__tonnes=0.1,
        shocks=HALT,
        market=market(),
    )
    result = run(data)
    assert result.market["cover_ratio"].to_numpy()[0] == pytest.approx(0.6)
    assert series(result, "price_usd_per_kg", "japan")[1] == pytest.approx(50.0 * 0.6**-2)


# --- capacity -------------------------------------------------------------------------------


def test_capacity_binding_on_one_supplier_leaves_idle_suppliers_alone_without_a_warning():
    """Where one supplier's capacity binds, a supplier shipping nothing keeps a scale of 1.

    The capacity world of tests/test_kernel_mutants.py (Japan 20 and the EU 40 t/day from
    a mine that ships 30): each gets half. Two more suppliers with a route to Japan and no
    orders, one with 5 t/day of capacity, one with none: 5/0 and 0/0 are not worked out
    into a warning (pytest makes it an error) and change nothing.
    """
    data = capacity_world(30)
    data["suppliers"]["idle"] = {"lead_time_days": {"japan": 2}, "capacity_t_per_day": {"ree": 5}}
    data["suppliers"]["closed"] = {"lead_time_days": {"japan": 2}, "capacity_t_per_day": {"ree": 0}}
    result = run(data)
    assert series(result, "arrivals_t", "japan") == pytest.approx(10.0)
    assert series(result, "arrivals_t", "eu") == pytest.approx(20.0)
    check_invariants(result)


def test_a_capacity_that_meets_normal_flows_binds_on_precautionary_orders():
    """Capacity binds on what a market's buyers order to stock up, not only on normal flows.

    ONE_REGION (10 t/day, lead 5) whose only supplier can ship exactly its 10 t/day, in
    the market of tests/test_market.py where a threat perceived at 0.5 doubles desired
    cover to 20 days: the buyers order 10 x (5 + 20) - 140 = 110 t every day, but China
    ships 10 t, so 10 t a day arrive and nothing more is ever on its way.
    """
    blocks = market(risk={"perception_days": 1.0}, stocking={"precaution_gain": 2.0, "adjustment_days": 1.0})
    data = build(
        ONE_REGION,
        horizon_days=10,
        shocks=[threat(0.5)],
        market=blocks,
        suppliers__china__capacity_t_per_day={"ree": 10},
    )
    result = run(data)
    assert series(result, "ordered_t", "japan") == pytest.approx(110.0)
    assert series(result, "arrivals_t", "japan") == pytest.approx(10.0)
    assert series(result, "commercial_stock_t", "japan") == pytest.approx(100.0)


def test_a_capacity_addition_ships_from_its_first_day():
    """A dated capacity addition caps shipments from its ``start`` day on, day 0 included.

    ONE_REGION (10 t/day, lead 5) from China, which can ship 5 t/day, plus 5 t/day more
    from day 0: the warm-up ships 5 t a day (landing on days 0..4), day 0 on the full
    10 t, landing from day 5.
    """
    addition = [{"material": "ree", "start": 0, "capacity_t_per_day": 5}]
    data = build(
        ONE_REGION,
        horizon_days=10,
        suppliers__china__capacity_t_per_day={"ree": 5},
        suppliers__china__capacity_additions=addition,
    )
    landed = series(run(data), "arrivals_t", "japan")
    assert landed[:5] == pytest.approx(5.0)
    assert landed[5:] == pytest.approx(10.0)


# --- the border -------------------------------------------------------------------------------


def test_what_a_quota_turns_away_and_licences_refuse_are_both_lost_at_the_border():
    """Tonnes lost at the border are those a quota turns away plus those licences refuse.

    ONE_REGION (10 t/day, lead 5) under the even quota of tests/test_border_mutants.py (50 t
    per 10 days from day 0 to 20: 5 t a day licensed, 5 t turned away) and licences on the
    same days that approve half of what is applied for at once: 2.5 t a day refused. 7.5 t
    a day are lost and 2.5 t land on days 5..24.
    """
    licences = {"id": "licences", "kind": "licensing", "supplier": "china", "start": 0, "end": 20,
                "approval_share": 0.5, "processing_days": 0}  # fmt: skip
    result = run(build(ONE_REGION, horizon_days=30, shocks=[quota(), licences]))
    lost = series(result, "border_lost_t", "japan")
    assert lost[:20] == pytest.approx(7.5)
    assert lost[20:] == pytest.approx(0.0)
    assert series(result, "arrivals_t", "japan")[5:25] == pytest.approx(2.5)


def test_tonnes_licences_refuse_are_lost_and_re_sourced():
    """Refused licences are lost supply, which re-sourcing replaces.

    ONE_REGION (10 t/day from China, lead 5) with licences on days 0..19 that approve half
    at once, and "spare" (lead 2, 100 t/day of capacity) to re-source from without delay:
    the 5 t a day refused are lost and bought from "spare", landing from day 2.
    """
    licences = {"id": "licences", "kind": "licensing", "supplier": "china", "start": 0, "end": 20,
                "approval_share": 0.5, "processing_days": 0}  # fmt: skip
    data = build(
        ONE_REGION,
        horizon_days=30,
        shocks=[licences],
        regions__japan__procurement={"resourcing": {"reaction_days": 0}},
        suppliers__spare={"lead_time_days": {"japan": 2}, "capacity_t_per_day": {"ree": 100}},
    )
    result = run(data)
    assert series(result, "border_lost_t", "japan")[:20] == pytest.approx(5.0)
    resourced = series(result, "resourced_t", "japan")
    assert resourced[:20] == pytest.approx(5.0)
    assert resourced[20:] == pytest.approx(0.0)
    assert series(result, "arrivals_t", "japan")[2:5] == pytest.approx(15.0)


def test_tonnes_that_leak_through_an_embargo_are_not_re_sourced():
    """What leaks through an embargo arrives later: only the rest is lost and re-sourced.

    The halt of Japan's supply on days 10..19 of tests/test_border.py, 30% of it leaking
    through 3 days later, and "spare" (lead 2, 100 t/day) to re-source from without delay:
    of the 10 t a day halted, 3 t leak and 7 t are re-sourced.
    """
    data = build(
        ONE_REGION,
        horizon_days=30,
        shocks=[halt(leak_share=0.3, leak_extra_days=3)],
        regions__japan__procurement={"resourcing": {"reaction_days": 0}},
        suppliers__spare={"lead_time_days": {"japan": 2}, "capacity_t_per_day": {"ree": 100}},
    )
    result = run(data)
    assert series(result, "leaked_t", "japan")[10:20] == pytest.approx(3.0)
    resourced = series(result, "resourced_t", "japan")
    assert resourced[:10] == pytest.approx(0.0)
    assert resourced[10:20] == pytest.approx(7.0)
    assert resourced[20:] == pytest.approx(0.0)


# --- the rounding threshold (EPS_T, 1e-9 t) -------------------------------------------------


def embargo(supplier: str, end: int, regions: list[str]) -> dict:
    return {"id": f"no_{supplier}", "kind": "embargo", "supplier": supplier, "regions": regions, "start": -100,
            "end": end}  # fmt: skip


def tiny_loss(horizon_days: int, reaction_days: int, shocks: list[dict]) -> dict:
    """ONE_REGION needing 1e-6 t/day, 0.1% from China (1e-9 t, exactly) and the rest from "spare"."""
    return build(
        ONE_REGION,
        horizon_days=horizon_days,
        regions__japan__demand__ree__tonnes_per_day=1e-6,
        regions__japan__sourcing={"ree": {"china": 0.001, "spare": 0.999}},
        regions__japan__procurement={"resourcing": {"reaction_days": reaction_days}},
        shocks=shocks,
    )


def test_a_loss_of_exactly_the_rounding_threshold_is_not_re_sourced():
    """A loss of 1e-9 t is rounding: no re-sourcing, even without a reaction delay.

    Japan needs 1e-6 t/day, 0.1% of it (1e-9 t, exactly in floating point) from China,
    embargoed, the rest from "spare", which has 100 t/day of capacity. It re-sources from
    day 0 at the latest (reaction 0 days), but a loss of 1e-9 t is no loss: nothing is
    re-sourced. Twice the demand loses 2e-9 t a day, which is re-sourced.
    """
    data = tiny_loss(horizon_days=5, reaction_days=0, shocks=[embargo("china", 1000, ["japan"])])
    data["suppliers"]["spare"] = {"lead_time_days": {"japan": 2}, "capacity_t_per_day": {"ree": 100}}
    assert 1e-6 * 0.001 == 1e-9
    assert (series(run(data), "resourced_t", "japan") == 0.0).all()
    twice = build(data, regions__japan__demand__ree__tonnes_per_day=2e-6)
    assert series(run(twice), "resourced_t", "japan") == pytest.approx(2e-9)


def test_days_of_a_loss_of_exactly_the_rounding_threshold_do_not_count_toward_the_reaction():
    """The reaction delay counts days of real loss only: days losing 1e-9 t do not count.

    As above, Japan loses 1e-9 t a day to China's embargo from before day 0; from day 5
    "spare", its other supplier, is embargoed too and Japan loses its whole 1e-6 t a day.
    With a reaction of 3 days it re-sources from "third" (100 t/day of capacity, no
    share) on the third day of real loss, day 7, not on day 5.
    """
    shocks = [embargo("china", 1000, ["japan"]), {**embargo("spare", 1000, ["japan"]), "start": 5}]
    data = build(
        tiny_loss(horizon_days=10, reaction_days=3, shocks=shocks),
        suppliers__spare={"lead_time_days": {"japan": 2}},
        suppliers__third={"lead_time_days": {"japan": 2}, "capacity_t_per_day": {"ree": 100}},
    )
    resourced = series(run(data), "resourced_t", "japan")
    assert (resourced[:7] == 0.0).all()
    assert resourced[7:] == pytest.approx(1e-6)


LULL = {"id": "lull", "kind": "demand_surge", "factor": 0.001, "start": 0, "end": 1000}
HALF_AND_HALF = {"ree": {"china": 0.5, "australia": 0.5}}


def test_a_reserve_refills_while_its_holder_is_short_by_exactly_the_rounding_threshold():
    """A gap of 1e-9 t is no gap: the reserve refills.

    Japan, with nothing on hand, needs 1e-6 x 0.001 = 1e-9 t a day (exactly) and buys half
    from China, embargoed throughout, half from Australia (lead 10), embargoed until day
    5: nothing arrives until day 15 and Japan is short 1e-9 t a day, which is no
    shortfall. Its empty reserve (target 10 days of 1e-6 t) refills at 1e-6 t a day (a
    rate under a tonne still refills) from Australia, the supplier no shock touches, from
    day 5 (not from day 15, when arrivals close the gap): 1e-6 t more in transit each
    day, landing from day 15.
    """
    data = build(
        ONE_REGION,
        horizon_days=20,
        regions__japan__demand__ree__tonnes_per_day=1e-6,
        regions__japan__commercial_stock__ree__tonnes=0,
        regions__japan__sourcing=HALF_AND_HALF,
        regions__japan__reserve={"ree": {"tonnes": 0, "target_days": 10, "refill_t_per_day": 1e-6}},
        shocks=[embargo("china", 1000, ["japan"]), embargo("australia", 5, ["japan"]), LULL],
    )
    data["suppliers"]["australia"] = {"lead_time_days": {"japan": 10}}
    result = run(data)
    assert (series(result, "demand_t", "japan") == 1e-9).all()
    assert (series(result, "shortfall_t", "japan") == 0.0).all()
    in_transit = series(result, "reserve_in_transit_t", "japan")
    assert in_transit[:5] == pytest.approx(0.0)
    assert in_transit[5:15] == pytest.approx(1e-6 * np.arange(1, 11))
    assert series(result, "refill_arrivals_t", "japan")[15:] == pytest.approx(1e-6)


def test_the_pool_refills_while_members_are_short_by_exactly_the_rounding_threshold():
    """A member's gap of 1e-9 t is no gap: the joint pool refills.

    TWO_MEMBERS (a 60 t pool) each needing 1e-6 t a day, half from China (embargoed
    throughout), half from Australia (lead 10, embargoed until day 5), nothing on hand:
    the pool covers both gaps on days 0..2 (6e-6 t). From day 3 demand is 1e-6 x 0.001 =
    1e-9 t a day, a gap that is no gap, so the pool refills at 1e-6 t a day from day 5,
    when Australia reopens, for 6 days: it lands on days 15..20 (not from day 25, after
    arrivals close the gaps on day 15). The pool's location, Japan, pays 1e-6 t at
    50 USD/kg, 0.05 USD a day.
    """
    lull = {**LULL, "start": 3}
    data = build(
        TWO_MEMBERS,
        horizon_days=30,
        regions__japan__demand__ree__tonnes_per_day=1e-6,
        regions__eu__demand__ree__tonnes_per_day=1e-6,
        regions__japan__sourcing=HALF_AND_HALF,
        regions__eu__sourcing=HALF_AND_HALF,
        shocks=[embargo("china", 1000, ["japan", "eu"]), embargo("australia", 5, ["japan", "eu"]), lull],
        agreement__pool__refill_t_per_day={"ree": 1e-6},
    )
    data["suppliers"]["australia"] = {"lead_time_days": {"japan": 10, "eu": 10}}
    result = run(data)
    assert series(result, "released_joint_t", "japan")[:4] == pytest.approx([1e-6, 1e-6, 1e-6, 0.0])
    assert (series(result, "demand_t", "eu")[3:] == 1e-9).all()
    landed = result.pool["pool_arrivals_t"].to_numpy()
    assert landed[:15] == pytest.approx(0.0)
    assert landed[15:21] == pytest.approx(1e-6)
    assert series(result, "refill_cost_usd", "japan")[5:11] == pytest.approx(0.05)


def test_a_capacity_addition_before_day_0_ships_in_the_warm_up():
    """Capacity added before day 0 caps the warm-up's shipments too (docs/model.md: cap(t)).

    ONE_REGION (10 t/day, lead 5) from China, 5 t/day of capacity plus 5 t/day more from
    day -20: on the warm-up days -5..-1 cap(t) is 10 t/day, so normal trade has 10 t a day
    under way and 10 t land on every day from day 0. (The warm-up used to ship within the
    stated 5 t/day alone, and 5 t landed on days 0..4.)
    """
    addition = [{"material": "ree", "start": -20, "capacity_t_per_day": 5}]
    data = build(
        ONE_REGION,
        horizon_days=10,
        suppliers__china__capacity_t_per_day={"ree": 5},
        suppliers__china__capacity_additions=addition,
    )
    result = run(data)
    assert series(result, "arrivals_t", "japan") == pytest.approx(10.0)
    check_invariants(result)


# --- the pool's refill ----------------------------------------------------------------------


def test_the_pool_refills_from_day_0():
    """The joint pool refills from day 0, as national reserves do, when no member is short that day.

    TWO_MEMBERS under the auction, 1,000 t in the pool (its target) and a refill of 5 t/day,
    with only Japan embargoed: it buys half its 20 t/day from China (cut off) and half from
    Australia (lead 5), and holds 40 t. On day 0 it is supplied in full and holds 30 t,
    below the trigger of 5 days of demand: releases open and Japan buys its expected gap,
    7 x 10 - 30 = 40 t, at auction. The pool, 40 t under its target, refills 5 t a day from
    Australia (China's route is cut) on days 0..3, paid by Japan, the pool's location
    (5 t at 50 USD/kg): 5 t land on days 5..8. From day 4 Japan is short before drawing
    what it bought, and the refill stops.
    """
    data = build(
        TWO_MEMBERS,
        horizon_days=12,
        agreement__mechanism="auction",
        agreement__auction=BIDS,
        agreement__trigger={"commercial_days_below": 5},
        agreement__pool__refill_t_per_day={"ree": 5},
        agreement__pool__contributions={"japan": {"ree": {"tonnes": 500}}, "eu": {"ree": {"tonnes": 500}}},
        regions__japan__sourcing={"ree": {"china": 0.5, "australia": 0.5}},
        regions__japan__commercial_stock__ree__tonnes=40,
    )
    data["shocks"][0]["regions"] = ["japan"]
    data["suppliers"]["australia"] = {"lead_time_days": {"japan": 5, "eu": 5}}
    result = run(data)
    check_invariants(result)
    first = result.auctions.iloc[0]
    assert (first["day"], first["won_t.japan"], first["won_t.eu"]) == (0, pytest.approx(40.0), 0.0)
    assert series(result, "refill_cost_usd", "japan")[:6] == pytest.approx([250_000.0] * 4 + [0.0] * 2)
    assert result.pool["pool_arrivals_t"].to_numpy()[:10] == pytest.approx([0.0] * 5 + [5.0] * 4 + [0.0])
    assert series(result, "shortfall_t", "japan") == pytest.approx(0.0)
