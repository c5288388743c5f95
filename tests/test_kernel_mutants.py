"""The day-step kernel on cases that mutation testing showed no other test pinned down.

Each test is worked out by hand; docs/mutation-testing.md lists the mutants each one
kills. Procurement first (capacity, re-sourcing, refills), then the agreement, the
markets and the shocks.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from tests.helpers import ONE_REGION, TWO_MEMBERS, build, hybrid_pair, run, series, threat
from tests.invariants import check_invariants

# --- procurement: capacity -------------------------------------------------------------


def capacity_world(capacity: float) -> dict:
    # Japan needs 20 t/day and the EU 40 t/day, both only from "mine" (lead 2 days)
    region = {"commercial_stock": {"ree": {"tonnes": 1000}}, "sourcing": {"ree": {"mine": 1.0}}}
    return {
        "name": "capacity",
        "horizon_days": 10,
        "materials": {"ree": {"price_usd_per_kg": 10}},
        "suppliers": {"mine": {"lead_time_days": {"japan": 2, "eu": 2}, "capacity_t_per_day": {"ree": capacity}}},
        "regions": {
            "japan": {**region, "demand": {"ree": {"tonnes_per_day": 20}}},
            "eu": {**region, "demand": {"ree": {"tonnes_per_day": 40}}},
        },
    }


def test_a_suppliers_capacity_is_shared_by_the_regions_pro_rata_to_their_orders():
    # 60 t/day ordered from a mine that ships 30: each order is scaled by 30/60
    result = run(capacity_world(30))
    assert series(result, "arrivals_t", "japan") == pytest.approx(10.0)
    assert series(result, "arrivals_t", "eu") == pytest.approx(20.0)
    check_invariants(result)


def test_a_listed_supplier_with_no_capacity_and_no_orders_changes_nothing():
    # order-up-to makes capacity checks run every day; "idle" has a route to Japan but
    # neither capacity nor a sourcing share: 0 t shipped of 0 t capacity is not an error
    data = build(
        ONE_REGION,
        horizon_days=20,
        regions__japan__commercial_stock__ree__tonnes=10,
        regions__japan__procurement={"replenishment": {"policy": "order_up_to", "review_days": 7}},
    )
    data["suppliers"]["idle"] = {"lead_time_days": {"japan": 3}, "capacity_t_per_day": {"ree": 0}}
    ordered = series(run(data), "ordered_t", "japan")
    # S = 10 x (5 + 7) = 120 t; on hand 10 + 40 in transit at the first review -> 70 t
    assert ordered[[0, 7, 14]] == pytest.approx(70.0)


# --- procurement: re-sourcing -----------------------------------------------------------


def resourcing_world(spare_capacity: float, eu_from_spare: bool) -> dict:
    # China stops shipping to Japan (15 t/day) on day 10; the EU (10 t/day) is not cut
    # off and buys either from China or from "spare" itself. Japan reacts on its third
    # day of loss (day 12) and asks "spare" (lead 2) for what it lost.
    def region(demand: float, source: str) -> dict:
        return {
            "demand": {"ree": {"tonnes_per_day": demand}},
            "commercial_stock": {"ree": {"tonnes": 1000}},
            "sourcing": {"ree": {source: 1.0}},
            "procurement": {"resourcing": {"reaction_days": 3}},
        }

    return {
        "name": "spare",
        "horizon_days": 20,
        "materials": {"ree": {"price_usd_per_kg": 10}},
        "suppliers": {
            "china": {"lead_time_days": {"japan": 5, "eu": 5}},
            "spare": {"lead_time_days": {"japan": 2, "eu": 2}, "capacity_t_per_day": {"ree": spare_capacity}},
        },
        "regions": {"japan": region(15, "china"), "eu": region(10, "spare" if eu_from_spare else "china")},
        "shocks": [
            {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 10, "end": 100}
        ],
    }


@pytest.mark.parametrize(
    ("spare_capacity", "eu_from_spare", "japan_gets"),
    [
        (100.0, False, 15.0),  # ample spare capacity: Japan's whole loss, the EU asks for nothing
        (20.0, True, 10.0),  # the EU's own 10 t/day leave 10 t spare
        (10.0, True, 0.0),  # the EU's orders use the whole capacity: nothing spare
        (0.5, False, 0.5),  # less than a tonne spare still goes to Japan
    ],
)
def test_resourcing_asks_for_the_loss_within_the_capacity_left_by_normal_orders(
    spare_capacity, eu_from_spare, japan_gets
):
    result = run(resourcing_world(spare_capacity, eu_from_spare))
    japan = series(result, "resourced_t", "japan")
    assert japan[:12] == pytest.approx(0.0)
    assert japan[12:] == pytest.approx(japan_gets)
    assert series(result, "resourced_t", "eu") == pytest.approx(0.0)
    check_invariants(result)


# --- procurement: refills from the suppliers no shock touches -----------------------------


def refill_world(embargoed: list[str]) -> dict:
    # Japan (10 t/day, 1,000 t on hand: never short) sources China 60%, Australia 20%
    # (lead 3) and Canada 20% (lead 4). Its empty reserve refills at 5 t/day toward
    # 2 days of demand (20 t) from the suppliers not under an embargo.
    return {
        "name": "refill",
        "horizon_days": 12,
        "materials": {"ree": {"price_usd_per_kg": 10}},
        "suppliers": {
            "china": {"lead_time_days": {"japan": 5}},
            "australia": {"lead_time_days": {"japan": 3}},
            "canada": {"lead_time_days": {"japan": 4}},
        },
        "regions": {
            "japan": {
                "demand": {"ree": {"tonnes_per_day": 10}},
                "commercial_stock": {"ree": {"tonnes": 1000}},
                "sourcing": {"ree": {"china": 0.6, "australia": 0.2, "canada": 0.2}},
                "reserve": {"ree": {"tonnes": 0, "target_days": 2, "refill_t_per_day": 5}},
            }
        },
        "shocks": [
            {"id": f"no_{s}", "kind": "embargo", "supplier": s, "regions": ["japan"], "start": -100, "end": 1000}
            for s in embargoed
        ],
    }


def test_a_reserve_refills_only_from_unshocked_suppliers_in_their_renormalised_shares():
    # China is embargoed: 5 t/day split 0.2 : 0.2 -> 2.5 t by Australia (3 days) and 2.5 t
    # by Canada (4 days); ordered on days 0..3 (then 20 t are on their way)
    result = run(refill_world(["china"]))
    landed = series(result, "refill_arrivals_t", "japan")
    assert landed[:8] == pytest.approx([0, 0, 0, 2.5, 5, 5, 5, 2.5])
    assert landed[8:] == pytest.approx(0.0)
    assert series(result, "reserve_stock_t", "japan")[-1] == pytest.approx(20.0)
    assert result.summary.iloc[0]["refill_cost_usd"] == pytest.approx(20 * 10 * 1000)  # 20 t at 10 USD/kg
    check_invariants(result)


def test_a_reserve_does_not_refill_while_every_supplier_is_shocked():
    result = run(refill_world(["china", "australia", "canada"]))
    assert series(result, "refill_arrivals_t", "japan") == pytest.approx(0.0)
    assert series(result, "reserve_in_transit_t", "japan") == pytest.approx(0.0)
    assert result.summary.iloc[0]["refill_cost_usd"] == 0.0


def test_the_joint_pool_refills_from_every_supplier_at_its_lead_time_and_the_location_pays():
    # China (lead 5) and Australia (lead 3) each supply half. China's shipments of days -5
    # and -4 are lost, so on days 0 and 1 Japan (20 t/day) and the EU (80 t/day) miss
    # half their demand: gaps 10 and 40. The 60 t pool (fair ratio 50/50) gives 10 and
    # 40 on day 0 and 5 and 5 on day 1, and is empty. From day 2 nobody is short: it
    # refills at 6 t/day, 3 t by each supplier, ordered on days 2..11 (60 t).
    region = {"commercial_stock": {"ree": {"tonnes": 0}}, "sourcing": {"ree": {"china": 0.5, "australia": 0.5}}}
    data = {
        "name": "pool",
        "horizon_days": 20,
        "materials": {"ree": {"price_usd_per_kg": 10}},
        "suppliers": {
            "china": {"lead_time_days": {"japan": 5, "eu": 5}},
            "australia": {"lead_time_days": {"japan": 3, "eu": 3}},
        },
        "regions": {
            "japan": {**region, "demand": {"ree": {"tonnes_per_day": 20}}},
            "eu": {**region, "demand": {"ree": {"tonnes_per_day": 80}}},
        },
        "shocks": [
            {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan", "eu"], "start": -100, "end": -3}
        ],
        "agreement": {
            "members": ["japan", "eu"],
            "mechanism": "fair_ratio",
            "ratio": {"japan": 0.5, "eu": 0.5},
            "pool": {
                "contributions": {"japan": {"ree": {"tonnes": 30}}, "eu": {"ree": {"tonnes": 30}}},
                "refill_t_per_day": {"ree": 6},
            },
        },
    }
    result = run(data)
    assert series(result, "released_joint_t", "japan")[:3] == pytest.approx([10, 5, 0])
    assert series(result, "released_joint_t", "eu")[:3] == pytest.approx([40, 5, 0])
    landed = result.pool["pool_arrivals_t"].to_numpy()
    # Australia's 3 t land on days 5..14, China's on days 7..16
    expected = np.zeros(20)
    expected[5:15] += 3.0
    expected[7:17] += 3.0
    assert landed == pytest.approx(expected)
    assert result.pool["pool_stock_t"].iloc[-1] == pytest.approx(60.0)
    cost = result.summary.set_index("region")["refill_cost_usd"]
    assert cost["japan"] == pytest.approx(60 * 10 * 1000)  # the pool's location (the first member) pays
    assert cost["eu"] == 0.0
    check_invariants(result)
    # with a market (no demand response or stocking: the same tonnes) the location pays the
    # world price of the day each 6 t is ordered (days 2..11), not the material's 10 USD/kg
    priced = run({**data, "market": {"ree": {"reference_price_usd_per_kg": 40.0}}})
    assert priced.pool["pool_arrivals_t"].to_numpy() == pytest.approx(expected)
    price = series(priced, "price_usd_per_kg", "japan")
    assert price[2] != price[11]  # the price moves over the refill days
    cost = priced.summary.set_index("region")["refill_cost_usd"]
    assert cost["japan"] == pytest.approx(6 * 1000 * price[2:12].sum(), rel=1e-12)


# --- the agreement: national pool mode ----------------------------------------------------


def national_ess_world() -> dict:
    # Japan and Korea (10 t/day each, 1,000 t on hand: never short) hold 100 t reserves,
    # half of which they may lend; the EU (100 t/day) gets nothing at all. Members are
    # listed in another order than the regions, and donors give in proportion to their
    # ESS commitments (Korea 3, Japan 1).
    def region(demand: float, stock: float, reserve: float) -> dict:
        out = {
            "demand": {"ree": {"tonnes_per_day": demand}},
            "commercial_stock": {"ree": {"tonnes": stock}},
            "sourcing": {"ree": {"china": 1.0}},
        }
        if reserve:
            out["reserve"] = {"ree": {"tonnes": reserve}}
        return out

    return {
        "name": "ess",
        "horizon_days": 5,
        "materials": {"ree": {"price_usd_per_kg": 10}},
        "suppliers": {"china": {"lead_time_days": {"japan": 5, "korea": 5, "eu": 5}}},
        "regions": {"japan": region(10, 1000, 100), "korea": region(10, 1000, 100), "eu": region(100, 0, 0)},
        "shocks": [
            {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["eu"], "start": -100, "end": 1000}
        ],
        "agreement": {
            "members": ["eu", "korea", "japan"],
            "mechanism": "need_with_restraint",
            "pool": {"mode": "national", "lendable_share": 0.5},
            "iea_ess": {"restraint": 0.1, "trigger_loss_share": 0.07, "commitments": {"eu": 0, "japan": 1, "korea": 3}},
        },
    }


def test_national_ess_donors_lend_by_commitments_within_their_quotas_and_their_reserves_fall():
    # The EU's supply right is 90 t/day. Day 0: 90 t split 3:1 would be 67.5 and 22.5, but
    # Korea may lend only 50 t: Korea 50, Japan 40. Day 1: Korea's quota is used up and
    # Japan has 10 t of its 50 t quota left. Then nothing may be lent.
    result = run(national_ess_world())
    assert series(result, "released_joint_t", "eu") == pytest.approx([90, 10, 0, 0, 0])
    assert series(result, "lent_t", "korea") == pytest.approx([50, 0, 0, 0, 0])
    assert series(result, "lent_t", "japan") == pytest.approx([40, 10, 0, 0, 0])
    assert series(result, "reserve_stock_t", "korea") == pytest.approx(50.0)
    assert series(result, "reserve_stock_t", "japan") == pytest.approx([60, 50, 50, 50, 50])
    assert series(result, "reserve_stock_t", "eu") == pytest.approx(0.0)
    check_invariants(result)


# --- the agreement: what the sharing rule sees ---------------------------------------------


def test_equal_cover_counts_a_members_national_reserve_as_its_own_stock():
    # TWO_MEMBERS with a 100 t reserve for Japan, drawn after the shared stock
    # (joint_first). Day 0: gaps 20 and 80; Japan's own stock is 100 t = 5 days, the EU's
    # 0. Raising the lowest cover first, all 60 t go to the EU (0.75 days); Japan then
    # covers its 20 t from its own reserve.
    data = build(TWO_MEMBERS, agreement__mechanism="equal_cover", agreement__order="joint_first")
    data["regions"]["japan"]["reserve"] = {"ree": {"tonnes": 100}}
    result = run(data)
    assert series(result, "released_joint_t", "eu")[0] == pytest.approx(60.0)
    assert series(result, "released_joint_t", "japan")[0] == 0.0
    assert series(result, "released_national_t", "japan")[0] == pytest.approx(20.0)
    assert series(result, "shortfall_t", "japan")[0] == 0.0
    check_invariants(result)


# --- the agreement: release times when the agreement activates after day 0 -----------------


def test_release_times_count_from_an_activation_after_day_0():
    # TWO_MEMBERS without stock, cut off from day 10: the last shipments land on day 14, so
    # both members are short from day 15, when the agreement activates. The embargo cuts
    # their route, so the emergency lead time applies: releases open on day 15 + 8 = 23.
    data = build(
        TWO_MEMBERS,
        shocks__0__start=10,
        agreement__release_times={"normal_days": 30, "emergency_days": 8},
    )
    result = run(data)
    shortfall = series(result, "shortfall_t", "japan")
    assert shortfall[:15] == pytest.approx(0.0)
    assert shortfall[15:23] == pytest.approx(20.0)
    assert series(result, "released_joint_t", "japan")[:23] == pytest.approx(0.0)
    assert series(result, "released_joint_t", "japan")[23] == pytest.approx(20.0)
    check_invariants(result)


# --- markets -------------------------------------------------------------------------------


def market_block(**blocks: object) -> dict:
    """A market for ``ree`` whose price moves half its log-gap a day (sensitivity 2)."""
    return {"ree": {"price": {"sensitivity": 2.0, "adjustment_days": 2.0}, **blocks}}


def test_a_market_starts_at_its_own_reference_price_and_charges_extra_only_above_it():
    # ONE_REGION (demand 10 t/day, 100 t = 10 days on hand, lead 5) with a market whose
    # reference is 40 USD/kg while the material's set price is 50. Buyers keep their normal
    # cover (cover ratio 1), so the price indicated is 40 every day and the world price,
    # which starts at the reference, stays there (from 50 it would be sqrt(50 x 40) = 44.7
    # on day 0). At the reference price the extra spend and the surplus lost are 0 (at 50,
    # 10 t x (40 - 50) USD/kg x 1000 = -100,000 USD a day).
    blocks = market_block(reference_price_usd_per_kg=40.0, stocking={"precaution_gain": 0.0})
    result = run(build(ONE_REGION, market=blocks))
    assert series(result, "price_usd_per_kg", "japan") == pytest.approx(40.0)
    assert result.market["world_price_usd_per_kg"].to_numpy() == pytest.approx(40.0)
    assert series(result, "crisis_extra_cost_usd", "japan") == pytest.approx(0.0, abs=1e-6)
    assert result.summary.iloc[0]["crisis_extra_cost_usd"] == pytest.approx(0.0, abs=1e-6)


def test_the_price_stops_at_its_floor():
    # ONE_REGION with a market whose buyers want 5 days of cover, not the 10 they hold:
    # their target is 10 x (5 + 5) = 100 t. At the end of day 0 they hold 100 t on hand and
    # 40 t in transit and order nothing: X = 140/100 = 1.4, then 1.3, 1.2, 1.1 as the
    # pipeline empties, and 1.0 from day 4 (they order 10 t/day again). The indicated
    # prices 50 x X^-2 = 25.5, 29.6, 34.7 and 41.3 USD/kg are all below the floor of 45,
    # so with an adjustment time of 1 day the world price is 45 on days 1-4, then 50.
    blocks = {
        "ree": {
            "price": {"sensitivity": 2.0, "adjustment_days": 1.0, "floor_usd_per_kg": 45.0},
            "stocking": {"normal_cover_days": {"japan": 5}},
        }
    }
    result = run(build(ONE_REGION, horizon_days=8, market=blocks))
    assert result.market["cover_ratio"].to_numpy()[:5] == pytest.approx([1.4, 1.3, 1.2, 1.1, 1.0])
    price = result.market["world_price_usd_per_kg"].to_numpy()
    assert price == pytest.approx([50, 45, 45, 45, 45, 50, 50, 50])


def spare_capacity_world(price_ratio: float, adjustment_days: float = 2.0, **overrides: object) -> dict:
    """ONE_REGION where Japan (10 t/day, no stock) buys only from "mine" (no capacity of its
    own, lead 5), which brings in 0.5 t/day from the day after the price reaches
    ``price_ratio`` times its reference (lag 1 day); the price's sensitivity is 2."""
    response = {"supplier": "mine", "capacity_t_per_day": 0.5, "price_ratio": price_ratio, "lag_days": 1.0}
    price = {"sensitivity": 2.0, "adjustment_days": adjustment_days}
    data = build(
        ONE_REGION,
        regions__japan__commercial_stock__ree__tonnes=0,
        regions__japan__sourcing={"ree": {"mine": 1.0}},
        market={"ree": {"price": price, "supply_response": [response]}},
        **overrides,
    )
    data["suppliers"] = {"mine": {"lead_time_days": {"japan": 5}, "capacity_t_per_day": {"ree": 0}}}
    return data


def test_spare_capacity_of_half_a_tonne_answers_a_high_price():
    # The capacity comes in while the price is at least 1.5 times its reference, 75 USD/kg.
    # Nothing was shipped in the warm-up. Day 0's price is the reference (50); nothing is
    # on hand or on its way (cover ratio 0), so day 1's moves half its log-gap toward the
    # cap of 5,000: sqrt(50 x 5000) = 500. The 0.5 t/day come in at the end of day 1's
    # market, ship that day and land from day 6.
    result = run(spare_capacity_world(1.5))
    assert result.market["world_price_usd_per_kg"].to_numpy()[:2] == pytest.approx([50.0, 500.0])
    landed = series(result, "arrivals_t", "japan")
    assert landed[:6] == pytest.approx(0.0)
    assert landed[6:] == pytest.approx(0.5)


def test_spare_capacity_answers_a_price_exactly_at_its_threshold():
    # As above, but the reference is 1 USD/kg (exp(log 1) is exactly 1, so day 0's price is
    # the reference to the last bit) and the capacity comes in at 1.0 times it: the price
    # is at least the threshold on day 0 already. The 0.5 t/day come in at the end of day
    # 0's market and land from day 5 (lead 5); day 1's price is sqrt(1 x 100) = 10.
    result = run(spare_capacity_world(1.0, materials__ree__price_usd_per_kg=1.0))
    world = result.market["world_price_usd_per_kg"].to_numpy()
    assert world[0] == 1.0
    assert world[1] == pytest.approx(10.0)
    landed = series(result, "arrivals_t", "japan")
    assert landed[:5] == pytest.approx(0.0)
    assert landed[5:] == pytest.approx(0.5)


def test_spare_capacity_answers_a_price_held_at_the_cap_where_its_threshold_is():
    # As above, with the capacity coming in while the world price is at least 100 times its
    # reference of 50 USD/kg: 5,000, the price cap. With nothing on hand or on its way the
    # price moves all the way to the indicated price (adjustment of 1 day), clipped to the
    # cap: 5,000 exactly from day 1, at the threshold, so the capacity comes in at the end
    # of day 1's market and its tonnes land from day 6 on.
    result = run(spare_capacity_world(100.0, adjustment_days=1.0))
    assert (result.market["world_price_usd_per_kg"].to_numpy()[1:] == 5000.0).all()
    landed = series(result, "arrivals_t", "japan")
    assert landed[:6] == pytest.approx(0.0)
    assert landed[6:] == pytest.approx(0.5)


def two_materials_world() -> dict:
    # ONE_REGION with a second material, cobalt, also from China; a market for ree only.
    # China's ree comes half from "mine" (lead 5) as well. A quota cut by China that cuts
    # nothing physically is perceived at 0.8 on both materials.
    data = build(
        ONE_REGION,
        regions__japan__sourcing={"ree": {"china": 0.5, "mine": 0.5}, "co": {"china": 1.0}},
        market={"ree": {"risk": {"perception_days": 1.0}}},
        shocks=[threat(0.8)],
    )
    data["materials"]["co"] = {"price_usd_per_kg": 30}
    data["regions"]["japan"]["demand"]["co"] = {"tonnes_per_day": 5}
    data["suppliers"]["mine"] = {"lead_time_days": {"japan": 5}}
    return data


def test_a_shock_on_half_the_supply_indicates_its_severity_times_that_half():
    # exposure 0.5 (China's share of ree): indicated risk 1 - (1 - 0.8 x 0.5) = 0.4,
    # reached at once with a perception time of 1 day
    risk = result_market(two_materials_world())
    assert risk["ree"] == pytest.approx(0.4)


def test_a_material_without_a_market_perceives_no_risk():
    risk = result_market(two_materials_world())
    assert risk["co"] == pytest.approx(0.0)


def result_market(data: dict) -> dict[str, np.ndarray]:
    """Perceived risk per material, day by day."""
    market = run(data).market
    return {m: market[market["material"] == m]["perceived_risk"].to_numpy() for m in ("ree", "co")}


# --- shocks --------------------------------------------------------------------------------


def two_regions(**fields: object) -> dict:
    """Japan and the EU (10 t/day each, 100 t on hand) buying from China (lead 5), no agreement."""
    region = {
        "demand": {"ree": {"tonnes_per_day": 10}},
        "commercial_stock": {"ree": {"tonnes": 100}},
        "sourcing": {"ree": {"china": 1.0}},
    }
    data = {
        "name": "two",
        "horizon_days": 10,
        "materials": {"ree": {"price_usd_per_kg": 50}},
        "suppliers": {"china": {"lead_time_days": {"japan": 5, "eu": 5}}},
        "regions": {"japan": region, "eu": copy.deepcopy(region)},
    }
    return build(data, **fields)


def embargo(sid: str, regions: list[str], **fields: object) -> dict:
    return {"id": sid, "kind": "embargo", "supplier": "china", "regions": regions, "start": 0, "end": 1000, **fields}


PREMIUM = {"ree": {"price": {"sensitivity": 2.0, "adjustment_days": 1.0, "targeted_premium": 0.3}}}
"""A market where a region hit by an embargo aimed at some regions only pays 30% more."""


def test_an_embargo_on_every_region_carries_no_targeted_premium():
    result = run(two_regions(shocks=[embargo("halt", ["japan", "eu"])], market=PREMIUM))
    world = result.market["world_price_usd_per_kg"].to_numpy()
    assert series(result, "price_usd_per_kg", "japan") == pytest.approx(world)
    assert series(result, "price_usd_per_kg", "eu") == pytest.approx(world)


def test_two_targeted_embargoes_each_charge_their_own_region_the_premium():
    # one embargo aimed at Japan, a later one at the EU: both regions pay 1.3 x the world price
    result = run(two_regions(shocks=[embargo("on_japan", ["japan"]), embargo("on_eu", ["eu"])], market=PREMIUM))
    world = result.market["world_price_usd_per_kg"].to_numpy()
    assert series(result, "price_usd_per_kg", "japan") == pytest.approx(1.3 * world)
    assert series(result, "price_usd_per_kg", "eu") == pytest.approx(1.3 * world)


def test_a_demand_surge_raises_only_the_demand_of_its_regions():
    surge = {"id": "surge", "kind": "demand_surge", "regions": ["japan"], "factor": 1.5, "start": 0, "end": 1000}
    result = run(two_regions(shocks=[surge]))
    assert series(result, "demand_t", "japan") == pytest.approx(15.0)
    assert series(result, "demand_t", "eu") == pytest.approx(10.0)


def test_what_leaks_through_each_embargo_takes_that_embargos_extra_days():
    # Japan (10 t/day) buys half from China and half from "mine" (both lead 5). From day 0
    # each is embargoed, each letting half of what it stops leak through: 2.5 t/day per
    # route, China's with 2 extra days (landing from day 7), the mine's with 10 (from day 15).
    data = two_regions(
        horizon_days=20,
        regions__japan__sourcing={"ree": {"china": 0.5, "mine": 0.5}},
        shocks=[
            embargo("china", ["japan"], leak_share=0.5, leak_extra_days=2),
            embargo("mine", ["japan"], supplier="mine", leak_share=0.5, leak_extra_days=10),
        ],
    )
    data["suppliers"]["mine"] = {"lead_time_days": {"japan": 5, "eu": 5}}
    landed = series(run(data), "arrivals_t", "japan")
    assert landed[:5] == pytest.approx(10.0)  # shipped in the warm-up
    assert landed[5:7] == pytest.approx(0.0)
    assert landed[7:15] == pytest.approx(2.5)
    assert landed[15:] == pytest.approx(5.0)


def test_an_embargo_against_a_member_switches_hybrid_to_its_ratio_whatever_other_embargoes_follow():
    # the hybrid rule of test_agreement.py with a third, non-member region, the US: an
    # embargo against Japan on days 10-19 is followed in the list by one against the US
    # over the same days; the rule still shares by the fair ratio exactly on those days
    data = hybrid_pair()
    data["regions"]["us"] = copy.deepcopy(data["regions"]["japan"])
    data["suppliers"]["china"]["lead_time_days"]["us"] = 5
    data["shocks"] = [
        {"id": "quota", "kind": "quota_cut", "supplier": "china", "start": -100, "end": 1000, "severity": 1.0},
        {**embargo("on_japan", ["japan"]), "start": 10, "end": 20},
        {**embargo("on_us", ["us"]), "start": 10, "end": 20},
    ]
    rule = series(run(data), "release_rule", "japan")
    assert list(np.flatnonzero(rule == "fair_ratio")) == list(range(10, 20))
