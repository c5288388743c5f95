"""Procurement policies against textbook cases worked out by hand (DESIGN §5)."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from simulator.errors import ScenarioError
from simulator.plan import compile_plan
from simulator.randomness import draw_run, run_seed
from simulator.scenario import validate_data
from simulator.scenario.portfolio import (
    QuotaInfeasible,
    apply_quota,
    capacity_notes,
    has_demand,
    quota_shares,
    ramp_share,
    within_capacity,
)
from tests.helpers import ONE_REGION, add_material, build, invoke, run, series
from tests.invariants import check_invariants

ORDER_UP_TO = {"policy": "order_up_to", "review_days": 7, "safety_days": 0}


def order_up_to_world(**paths):
    # D = 10 t/day, L = 5 days, R = 7 days: S = D (L + R) = 120 t. Starting with 10 t on
    # hand and 40 t in transit puts the inventory position at 50 before the first review.
    return build(
        ONE_REGION,
        horizon_days=50,
        regions__japan__commercial_stock__ree__tonnes=10,
        regions__japan__procurement={"replenishment": ORDER_UP_TO},
        **paths,
    )


def test_order_up_to_reaches_steady_state_with_orders_equal_to_demand():
    result = run(order_up_to_world())
    ordered = series(result, "ordered_t", "japan")
    reviews = np.arange(0, 50, 7)
    assert ordered[reviews] == pytest.approx(70.0)  # S - IP = 120 - 50 = D x R every review
    assert np.delete(ordered, reviews) == pytest.approx(0.0)
    # inventory position after each review's order = S
    position = series(result, "commercial_stock_t", "japan") + series(result, "in_transit_t", "japan")
    assert position[reviews] == pytest.approx(120.0)
    assert series(result, "shortfall_t", "japan") == pytest.approx(0.0)


def test_order_up_to_follows_a_step_in_demand_as_the_textbook_rule_says():
    # demand doubles from day 22 while S stays 120 (set from baseline demand): each order
    # replaces what was sold since the last review, and with lost sales the stock runs out.
    # Days 22-28: on hand 50 -> 30, 10, 0 (10 short), 0 (20 short); +70 on day 26 -> 50, 30, 10:
    # sold 20+20+10+0+20+20+20 = 110, so the day-28 order is 110; the day-35 order is
    # 10+0+0+0+20+20+20 = 70 (the 110 lands on day 33); then 110 again on day 42.
    surge = [{"id": "step", "kind": "demand_surge", "start": 22, "end": 1000, "factor": 2.0}]
    result = run(order_up_to_world(shocks=surge))
    ordered = series(result, "ordered_t", "japan")
    assert ordered[[0, 7, 14, 21, 28, 35, 42, 49]] == pytest.approx([70, 70, 70, 70, 110, 70, 110, 70])
    shortfall = series(result, "shortfall_t", "japan")
    assert shortfall[22:30] == pytest.approx([0, 0, 10, 20, 0, 0, 0, 10])
    assert series(result, "supplied_t", "japan")[22:29].sum() == pytest.approx(110)


def quota_world(cap=0.65, premium=0.25):
    # EU needs 100 t/day: China 85%, A 10%, B 5%. A can ship 30 t/day and B 15 t/day, so
    # their room under the cap is 0.30 - 0.10 = 0.20 and 0.15 - 0.05 = 0.10 of demand.
    return {
        "name": "quota",
        "horizon_days": 10,
        "materials": {"ree": {"price_usd_per_kg": 40}},
        "suppliers": {
            "china": {"lead_time_days": {"eu": 5}},
            "a": {"lead_time_days": {"eu": 5}, "capacity_t_per_day": {"ree": 30}},
            "b": {"lead_time_days": {"eu": 5}, "capacity_t_per_day": {"ree": 15}},
        },
        "regions": {
            "eu": {
                "demand": {"ree": {"tonnes_per_day": 100}},
                "commercial_stock": {"ree": {"days": 10}},
                "sourcing": {"ree": {"china": 0.85, "a": 0.10, "b": 0.05}},
                "procurement": {"quota": {"ree": {"max_share_per_supplier": cap, "premium": premium}}},
            }
        },
    }


def test_a_065_cap_moves_exactly_020_by_capacity_and_the_premium_is_volume_x_premium_x_price():
    plan = compile_plan(validate_data(quota_world()))
    shares = plan.sourcing_share[0, 0, :, 0]
    # 0.20 moved in proportion to room 0.20 : 0.10
    assert shares == pytest.approx([0.65, 0.10 + 0.20 * 2 / 3, 0.05 + 0.20 / 3])
    result = run(quota_world())
    supply = result.supply
    shipped = supply.groupby("supplier")["shipped_t"].sum()
    assert shipped["china"] == pytest.approx(65 * 10)
    # 20 t/day moved x 10 days x 25% x 40 USD/kg x 1000 kg/t
    assert result.summary.iloc[0]["procurement_premium_usd"] == pytest.approx(20 * 10 * 0.25 * 40 * 1000)


def test_quota_the_other_suppliers_cannot_take_is_a_scenario_error():
    from simulator.errors import ScenarioError

    with pytest.raises(ScenarioError, match=r"regions\.eu\.procurement\.quota\.ree: other suppliers can take 0\.3"):
        validate_and_compile(quota_world(cap=0.5))


def validate_and_compile(data):
    return compile_plan(validate_data(data))


def test_partner_minimum_takes_volume_from_non_partners_pro_rata():
    # partner b must have 20%: the 15 points come from china and a in proportion 0.85 : 0.10
    shares = apply_quota(np.array([0.85, 0.10, 0.05]), 1.0, np.array([0.0, 0.0, 0.20]), np.full(3, np.inf))
    assert shares == pytest.approx([0.85 - 0.15 * 0.85 / 0.95, 0.10 - 0.15 * 0.10 / 0.95, 0.20])


def resourcing_world(japan_demand, eu_demand):
    # China stops shipping to both on day 10; "spare" has 10 t/day it does not normally sell
    region = {
        "commercial_stock": {"ree": {"tonnes": 1000}},
        "sourcing": {"ree": {"china": 1.0}},
        "procurement": {"resourcing": {"reaction_days": 3, "price_multiplier": 2.0}},
    }
    return {
        "name": "spare",
        "horizon_days": 30,
        "materials": {"ree": {"price_usd_per_kg": 10}},
        "suppliers": {
            "china": {"lead_time_days": {"japan": 5, "eu": 5}},
            "spare": {"lead_time_days": {"japan": 2, "eu": 4}, "capacity_t_per_day": {"ree": 10}},
        },
        "regions": {
            "japan": {**region, "demand": {"ree": {"tonnes_per_day": japan_demand}}},
            "eu": {**region, "demand": {"ree": {"tonnes_per_day": eu_demand}}},
        },
        "shocks": [
            {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan", "eu"], "start": 10, "end": 100}
        ],
    }


def test_resourcing_shares_scarce_spare_capacity_pro_rata_after_the_reaction_delay():
    result = run(resourcing_world(15, 5))
    japan, eu = series(result, "resourced_t", "japan"), series(result, "resourced_t", "eu")
    # losses on days 10, 11, 12: the third day of loss reaches the 3-day reaction delay;
    # requests 15 + 5 exceed the 10 t spare, so each gets half of its request
    assert japan[:12] == pytest.approx(0.0) and eu[:12] == pytest.approx(0.0)
    assert japan[12:] == pytest.approx(7.5) and eu[12:] == pytest.approx(2.5)
    # re-sourced tonnes arrive after the spare supplier's own lead times (2 and 4 days), while
    # China's last shipments (day 9, lead 5) land on day 14
    assert series(result, "arrivals_t", "japan")[13:16] == pytest.approx([15, 15 + 7.5, 7.5])
    assert series(result, "arrivals_t", "eu")[14:18] == pytest.approx([5, 0, 2.5, 2.5])
    cost = result.summary.set_index("region").loc["japan", "resourcing_cost_usd"]
    assert cost == pytest.approx(7.5 * 18 * 10 * 2.0 * 1000)  # 18 days x 7.5 t at 2 x 10 USD/kg
    check_invariants(result)


def refill_world(**paths) -> dict:
    """No stock, a 50 t reserve refilled at 5 t/day; China halted on days 0..9 (lead 5), so
    arrivals stop on days 5..14 and the member has gaps then; refills go out from day 15."""
    return build(
        ONE_REGION,
        horizon_days=40,
        regions__japan__commercial_stock__ree__tonnes=0,
        regions__japan__reserve={"ree": {"tonnes": 50, "refill_t_per_day": 5}},
        shocks=[{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 0, "end": 10}],
        **paths,
    )


def test_refill_waits_while_a_gap_exists_and_lands_after_the_lead_time():
    result = run(refill_world())
    reserve = series(result, "reserve_stock_t", "japan")
    assert reserve[4:10] == pytest.approx([50, 40, 30, 20, 10, 0])  # covers the gaps of days 5..9
    assert reserve[10:15] == pytest.approx(0.0)
    assert series(result, "shortfall_t", "japan")[10:15] == pytest.approx(10.0)
    in_transit = series(result, "reserve_in_transit_t", "japan")
    assert in_transit[:15] == pytest.approx(0.0)  # no refill ordered while short
    refill_arrivals = series(result, "refill_arrivals_t", "japan")
    assert refill_arrivals[:20] == pytest.approx(0.0)
    assert refill_arrivals[20:30] == pytest.approx(5.0)  # ordered days 15..24, 5 days in transit
    assert reserve[29:] == pytest.approx(50.0)
    assert result.summary.iloc[0]["refill_cost_usd"] == pytest.approx(50 * 50 * 1000)
    check_invariants(result)


STOCHASTIC = [
    {
        "id": "random_halt",
        "kind": "embargo",
        "supplier": "china",
        "regions": ["japan"],
        "start": {"distribution": "uniform", "low": 10, "high": 30},
        "duration_days": {"distribution": "lognormal", "mean": 60, "sd": 20},
        "severity": {"distribution": "triangular", "low": 0.5, "mode": 0.9, "high": 1.0},
    }
]


def test_same_seed_same_shock_and_different_seeds_differ():
    data = build(ONE_REGION, shocks=STOCHASTIC, seed=3)
    first, again, other = run(data), run(data), run(data, seed=4)
    assert first.shocks.equals(again.shocks)
    assert not first.shocks.equals(other.shocks)


def test_drawn_shock_durations_match_the_configured_distribution():
    from scipy import stats  # imported here: a second of every test process's start for one test

    plan = compile_plan(validate_data(build(ONE_REGION, shocks=STOCHASTIC)))
    draws = [draw_run(plan, run_seed(2024, k)) for k in range(1000)]
    durations = np.array([d.shock_end[0, 0] - d.shock_start[0, 0] for d in draws], float)
    starts = np.array([d.shock_start[0, 0] for d in draws], float)
    severity = np.array([d.shock_magnitude[0, 0] for d in draws])
    # lognormal with mean 60 and sd 20, rounded to whole days: standard error of the mean ~0.63
    assert durations.mean() == pytest.approx(60, abs=2.0)
    assert durations.std() == pytest.approx(20, abs=1.5)
    sigma = np.sqrt(np.log1p((20 / 60) ** 2))
    fitted = stats.lognorm(s=sigma, scale=60 * np.exp(-(sigma**2) / 2))
    assert stats.kstest(durations + np.random.default_rng(0).uniform(-0.5, 0.5, 1000), fitted.cdf).pvalue > 0.01
    assert starts.mean() == pytest.approx(20, abs=0.6) and starts.min() >= 10 and starts.max() <= 30
    assert severity.mean() == pytest.approx((0.5 + 0.9 + 1.0) / 3, abs=0.01)


def test_the_reallocated_portfolio_is_reported():
    portfolio = run(quota_world()).portfolio.set_index("supplier")
    assert portfolio.loc["china", "normal_share"] == pytest.approx(0.85)
    assert portfolio.loc["china", "sourcing_share"] == pytest.approx(0.65)
    # a's premium applies to the part of its share the quota moved: (0.2333 - 0.10) / 0.2333
    assert portfolio.loc["a", "premium_fraction"] == pytest.approx(0.25 * (0.4 / 3) / (0.1 + 0.4 / 3))


def over_capacity_world(capacity_t_per_day):
    # a re-processor asked for 0.6 x 10 + 0.3 x 20 = 12 t/day that can ship only its capacity;
    # no stock, so any tonne it cannot ship is a shortfall
    region = {"commercial_stock": {"ree": {"tonnes": 0}}}
    return {
        "name": "over_capacity",
        "horizon_days": 30,
        "materials": {"ree": {"price_usd_per_kg": 10}},
        "suppliers": {
            "china": {"lead_time_days": {"japan": 5, "eu": 5}},
            "reprocessor": {"lead_time_days": {"japan": 3, "eu": 3}, "capacity_t_per_day": {"ree": capacity_t_per_day}},
        },
        "regions": {
            "japan": {
                **region,
                "demand": {"ree": {"tonnes_per_day": 10}},
                "sourcing": {"ree": {"china": 0.4, "reprocessor": 0.6}},
            },
            "eu": {
                **region,
                "demand": {"ree": {"tonnes_per_day": 20}},
                "sourcing": {"ree": {"china": 0.7, "reprocessor": 0.3}},
            },
        },
    }


def test_day_0_sourcing_asks_no_supplier_for_more_than_its_capacity():
    # 9 of the 12 t/day: each region gets 75% of its ask (Japan 4.5, the EU 4.5 t/day) and
    # orders the 1.5 t/day each is short of from China from day 0, so nobody runs short
    result = run(over_capacity_world(9))
    portfolio = result.portfolio.set_index(["region", "supplier"])["sourcing_share"]
    assert portfolio.to_dict() == pytest.approx(
        {("japan", "china"): 0.55, ("japan", "reprocessor"): 0.45, ("eu", "china"): 0.775, ("eu", "reprocessor"): 0.225}
    )
    shipped = result.supply.groupby(["region", "supplier"])["shipped_t"].mean()
    assert shipped.to_dict() == pytest.approx(
        {("japan", "china"): 5.5, ("japan", "reprocessor"): 4.5, ("eu", "china"): 15.5, ("eu", "reprocessor"): 4.5}
    )
    assert result.summary["shortfall_t"].sum() == 0
    check_invariants(result)
    # with room for all 12 t/day, the shares are those written
    portfolio = run(over_capacity_world(12)).portfolio.set_index(["region", "supplier"])["sourcing_share"]
    assert portfolio[("japan", "reprocessor")] == 0.6 and portfolio[("eu", "reprocessor")] == 0.3


def test_run_and_validate_say_where_the_sourcing_asks_more_than_a_capacity(tmp_path):
    path = tmp_path / "over.yaml"
    path.write_text(yaml.safe_dump(over_capacity_world(9)))
    note = (
        "suppliers.reprocessor.capacity_t_per_day.ree: the regions' sourcing asks 12 t/day of it, more than the "
        "9 t/day it can ship: eu kept 75% of its share, japan kept 75% of its share and moved the rest to other "
        "suppliers (sourcing_share in portfolio.csv)"
    )
    run_result = invoke("run", path, "--no-plots", "-o", tmp_path / "out")
    assert run_result.exit_code == 0 and f"note: {path}: {note}\n" in run_result.output  # as validate says it
    validated = invoke("validate", path)
    assert validated.exit_code == 0 and f"note: {path}: {note}\n" in validated.output
    path.write_text(yaml.safe_dump(over_capacity_world(12)))  # exactly full: nothing to say
    assert "note:" not in invoke("validate", path).output


def test_the_fit_to_capacity_does_not_depend_on_the_horizon():
    # the re-processor has no capacity until a 12 t/day plant opens on day 400: its shares are
    # kept (built, it can serve them), so until then its 12 t/day are lost, whatever the horizon
    data = build(
        over_capacity_world(0),
        **{"suppliers.reprocessor.capacity_additions": [{"material": "ree", "start": 400, "capacity_t_per_day": 12}]},
    )
    short = [series(run(build(data, horizon_days=days)), "shortfall_t", "eu")[:300] for days in (300, 500)]
    assert short[0] == pytest.approx(short[1]) and short[0][10:] == pytest.approx(6.0)


def test_a_quota_step_of_one_region_leaves_the_fit_of_the_others_alone():
    # the EU's demand grows 20% a year and it has no quota; Japan's quota path steps on day 200
    data = build(
        over_capacity_world(12),
        regions__eu__demand__ree__growth_per_year=0.2,
        regions__japan__procurement={"quota": {"ree": {"max_share_per_supplier": 1.0, "max_share_path": [
            {"start": 200, "max_share": 0.5}]}}},
    )  # fmt: skip
    plan = compile_plan(validate_data(data))
    eu = list(plan.structure.regions).index("eu")
    assert plan.stepped_sourcing_share[0, eu, 0, :, 0] == pytest.approx([0.7, 0.3])  # as written, on day 200 too


def test_a_region_whose_only_supplier_is_full_keeps_its_share_and_is_capped_day_by_day():
    # Japan buys all its 10 t/day from the re-processor (China, which it can reach, is not one of
    # its suppliers); with the EU's 6 t/day it is asked 16 of 9. The EU keeps 9/16 of its 0.3
    # and moves the rest to China: the re-processor is then asked 10 + 6 x 9/16 = 13.375 t a
    # day and ships 9, pro rata, so Japan gets 10 x 9/13.375 = 6.729 t and is short of 3.271
    data = build(over_capacity_world(9), **{"regions.japan.sourcing.ree": {"reprocessor": 1.0}})
    result = run(data)
    portfolio = result.portfolio.set_index(["region", "supplier"])["sourcing_share"]
    assert portfolio[("japan", "reprocessor")] == 1.0 and ("japan", "china") not in portfolio.index
    assert portfolio[("eu", "reprocessor")] == pytest.approx(0.3 * 9 / 16)
    japan = series(result, "shortfall_t", "japan")
    assert japan[10:] == pytest.approx(10 - 10 * 9 / (10 + 6 * 9 / 16))


def test_the_capacity_note_says_a_region_with_no_other_supplier_keeps_its_share(tmp_path):
    # Japan buys only from the re-processor; the EU also from China: only the EU can move its cut
    path = tmp_path / "over.yaml"
    path.write_text(
        yaml.safe_dump(build(over_capacity_world(9), **{"regions.japan.sourcing.ree": {"reprocessor": 1.0}}))
    )
    output = invoke("validate", path).output
    assert (
        "asks 16 t/day of it, more than the 9 t/day it can ship: eu kept 56% of its share and moved the rest to other "
        "suppliers; japan kept all of theirs (no other supplier of theirs has room), so the cap shares the supplier "
        "among its buyers day by day (sourcing_share in portfolio.csv)"
    ) in output


def test_a_quota_may_rely_on_capacity_built_before_day_0():
    # the re-processor's 12 t/day opened on day -10; Japan's 0.9 from China is capped at 0.6 and
    # its 0.3 (3 t/day) goes to the re-processor, which has 12 - 6 (the EU's) - 1 = 5 t/day of room
    data = build(
        over_capacity_world(0),
        **{
            "suppliers.reprocessor.capacity_additions": [{"material": "ree", "start": -10, "capacity_t_per_day": 12}],
            "regions.japan.sourcing.ree": {"china": 0.9, "reprocessor": 0.1},
            "regions.japan.procurement": {"quota": {"ree": {"max_share_per_supplier": 0.6}}},
        },
    )
    plan = compile_plan(validate_data(data))
    assert plan.sourcing_share[0, 0, :, 0] == pytest.approx([0.6, 0.4])


def test_the_capacity_note_gives_each_region_the_share_it_kept():
    # China has 20 t/day, of which Japan (4) and the EU (14) use 18: Japan moves its whole 1.5 t
    # cut there (keeps 0.45 of 0.6: 75%), the EU only the 0.5 t left (keeps 0.275 of 0.3: 92%),
    # so the re-processor is still asked 4.5 + 5.5 = 10 t/day of its 9
    from simulator.scenario.portfolio import capacity_notes

    data = build(over_capacity_world(9), **{"suppliers.china.capacity_t_per_day": {"ree": 20}})
    (note,) = capacity_notes(validate_data(data))
    assert note.endswith(
        "9 t/day it can ship: japan kept 75% of its share, eu kept 92% of its share and moved the rest to other "
        "suppliers, so the cap shares the supplier among its buyers day by day (sourcing_share in portfolio.csv)"
    )


def test_a_full_supplier_cut_moves_only_what_the_others_have_room_for():
    # 10 t/day, half from A (4 t/day of capacity), half from B (5.5): A is asked 5, serves 80%, and the 1 t/day
    # (0.1 of the share) it cuts can go only to B's 0.5 t/day of room (0.05); the other 0.05 stays with A,
    # which the cap then shares day by day: A 0.45 (4.5 t/day), B 0.55 (5.5 t/day, full)
    fitted = within_capacity(
        np.array([[[0.5, 0.5]]]), np.array([[10.0]]), np.array([[4.0], [5.5]]), np.ones((1, 2), bool)
    )
    assert fitted[0, 0] == pytest.approx([0.45, 0.55], abs=1e-12)


def test_the_fit_cuts_every_buyer_of_a_full_supplier_and_no_one_else():
    # A (4.5 t/day) is asked 0.5 x 10 + 0.5 x 0.5 = 5.25 t/day and serves 6/7 of each ask: the region of
    # 10 t/day and the one of 0.5 t/day each move 1/14 of their share to B (no limit); a region without
    # demand asks nothing and keeps its shares as written, as does the one that buys only from C
    shares = np.array([[[0.5, 0.5, 0.0]], [[0.5, 0.5, 0.0]], [[0.5, 0.5, 0.0]], [[0.0, 0.0, 1.0]]])
    demand = np.array([[10.0], [0.5], [0.0], [2.0]])
    fitted = within_capacity(shares, demand, np.array([[4.5], [np.inf], [np.inf]]), np.ones((4, 3), bool))
    assert fitted[0, 0] == pytest.approx([3 / 7, 4 / 7, 0.0], abs=1e-12)
    assert fitted[1, 0] == pytest.approx([3 / 7, 4 / 7, 0.0], abs=1e-12)
    assert fitted[2, 0].tolist() == [0.5, 0.5, 0.0]
    assert fitted[3, 0].tolist() == [0.0, 0.0, 1.0]
    assert 10 * fitted[0, 0, 0] + 0.5 * fitted[1, 0, 0] == pytest.approx(4.5)  # A exactly full


def test_a_supplier_without_capacity_that_nobody_asks_for_leaves_the_shares_alone():
    # B has 0 t/day of the material and no region sources it from B: nothing is over, nothing moves
    shares = np.array([[[1.0, 0.0]]])
    fitted = within_capacity(shares, np.array([[10.0]]), np.array([[np.inf], [0.0]]), np.ones((1, 2), bool))
    assert fitted.tolist() == [[[1.0, 0.0]]]


# one region buying 10 t/day of rare earths from China (0.9) and Australia (0.1), as in tests/test_share_path.py
QUOTA_WORLD: dict = {
    "name": "quota",
    "horizon_days": 30,
    "materials": {"ree": {"price_usd_per_kg": 50}},
    "suppliers": {"china": {"lead_time_days": {"japan": 5}}, "australia": {"lead_time_days": {"japan": 12}}},
    "regions": {
        "japan": {
            "demand": {"ree": {"tonnes_per_day": 10}},
            "commercial_stock": {"ree": {"tonnes": 300}},
            "sourcing": {"ree": {"china": 0.9, "australia": 0.1}},
        }
    },
}
QUOTA = "regions.japan.procurement.quota"


def test_a_quota_in_force_from_day_0_counts_only_the_capacity_built_by_day_0():
    # a cap of 0.6 moves 0.4 (4 t/day) to Australia, which has 1 t/day and 3 more from day 1: on day 0 it can
    # take 0.1; with the 3 t/day from day 0 it takes the whole 0.4
    data = build(
        QUOTA_WORLD,
        **{
            "suppliers.australia.capacity_t_per_day": {"ree": 1.0},
            "suppliers.australia.capacity_additions": [{"material": "ree", "start": 1, "capacity_t_per_day": 3.0}],
            "regions.japan.sourcing.ree": {"china": 1.0},
            QUOTA: {"ree": {"max_share_per_supplier": 0.6}},
        },
    )
    with pytest.raises(ScenarioError, match=r"quota\.ree: other suppliers can take 0\.1 of the 0\.4 share"):
        validate_data(data)
    data = build(data, **{"suppliers.australia.capacity_additions.0.start": 0})
    assert quota_shares(validate_data(data))[0][0, 0] == pytest.approx([0.6, 0.4])


@pytest.mark.parametrize(
    ("demand", "shares", "premiums"),
    [
        # 0.5 t/day is capped like any demand: 0.3 moves to Australia, which pays 0.3 / 0.4 x 0.25 on all it ships
        (0.5, [0.6, 0.4], [0.0, 0.1875]),
        # without demand there is nothing to cap: the shares as written, no premium
        (0.0, [0.9, 0.1], [0.0, 0.0]),
    ],
)
def test_a_quota_caps_small_demand_and_leaves_a_region_without_demand_as_written(demand, shares, premiums):
    data = build(
        QUOTA_WORLD,
        **{
            "regions.japan.demand.ree.tonnes_per_day": demand,
            QUOTA: {"ree": {"max_share_per_supplier": 0.6, "premium": 0.25}},
        },
    )
    got, premium, problems = quota_shares(validate_data(data))
    assert got[0, 0] == pytest.approx(shares) and premium[0, 0] == pytest.approx(premiums) and problems == []


def with_cobalt(**paths) -> dict:
    # a second material after the rare earths: 4 t/day of cobalt, 0.9 / 0.1 as well
    return build(
        QUOTA_WORLD,
        **{
            "materials.co": {"price_usd_per_kg": 30},
            "regions.japan.demand.co": {"tonnes_per_day": 4},
            "regions.japan.commercial_stock.co": {"tonnes": 100},
            "regions.japan.sourcing.co": {"china": 0.9, "australia": 0.1},
            **paths,
        },
    )


def test_a_quota_on_a_regions_second_material_only_caps_that_material():
    data = with_cobalt(**{QUOTA: {"co": {"max_share_per_supplier": 0.6}}})
    shares = quota_shares(validate_data(data))[0]
    assert shares[0, 0] == pytest.approx([0.9, 0.1]) and shares[0, 1] == pytest.approx([0.6, 0.4])


def test_every_quota_the_others_cannot_meet_is_reported_not_only_a_regions_first():
    # Australia has 1 t/day of rare earths and 0.4 of cobalt, all of it used already (0.1 x 10, 0.1 x 4)
    data = with_cobalt(
        **{
            "suppliers.australia.capacity_t_per_day": {"ree": 1.0, "co": 0.4},
            QUOTA: {"ree": {"max_share_per_supplier": 0.6}, "co": {"max_share_per_supplier": 0.6}},
        }
    )
    with pytest.raises(ScenarioError) as error:
        validate_data(data)
    for material in ("ree", "co"):
        assert f"quota.{material}: other suppliers can take 0 of the 0.3 share the cap moves" in str(error.value)


def test_a_later_regions_quota_finds_only_the_room_an_earlier_ones_left():
    # Australia has 7 t/day; Japan and the EU each buy 1 t/day there. Japan's cap of 0.6 moves 3 t/day to it
    # (5 used); the EU's would need 3 more but finds 7 - 5 + its own 1 = 3 t/day, a share of 0.3: 0.2 more
    data = build(
        QUOTA_WORLD,
        **{
            "suppliers.china.lead_time_days.eu": 5,
            "suppliers.australia.lead_time_days.eu": 12,
            "suppliers.australia.capacity_t_per_day": {"ree": 7.0},
            "regions.eu": build(QUOTA_WORLD)["regions"]["japan"],
            QUOTA: {"ree": {"max_share_per_supplier": 0.6}},
            "regions.eu.procurement.quota": {"ree": {"max_share_per_supplier": 0.6}},
        },
    )
    with pytest.raises(
        ScenarioError, match=r"regions\.eu\.procurement\.quota\.ree: other suppliers can take 0\.2 of the 0\.3"
    ):
        validate_data(data)
    # with 8 t/day it fits: 0.6 / 0.4 each, Australia full
    shares = quota_shares(validate_data(build(data, **{"suppliers.australia.capacity_t_per_day.ree": 8.0})))[0]
    assert shares[:, 0].ravel() == pytest.approx([0.6, 0.4, 0.6, 0.4])


def test_a_supplier_capped_at_0_pays_no_premium_on_nothing():
    # a step capping China at 0 from day 0 moves its whole 0.9 to Australia, whose premium is 0.9 / 1.0 x 0.25;
    # China ships nothing and its premium is 0 (portfolio.csv lists it: it had a share as written)
    data = build(
        QUOTA_WORLD,
        **{
            QUOTA: {
                "ree": {
                    "max_share_per_supplier": 1.0,
                    "max_share_path": [{"start": 0, "max_share": 0.0, "suppliers": ["china"]}],
                    "premium": 0.25,
                }
            }
        },
    )
    shares, premium, _ = quota_shares(validate_data(data), 0)
    assert shares[0, 0] == pytest.approx([0.0, 1.0])
    assert premium[0, 0].tolist() == [0.0, pytest.approx(0.225)]


def test_the_capacity_note_names_only_the_buyers_and_those_that_kept_their_share():
    # the re-processor has 0.5 t/day; Japan (10 t/day) and the EU (0.5 t/day) buy only from it, so both keep
    # their shares; Korea has demand but buys only from China, the US a share but no demand: neither is a buyer
    region = {"commercial_stock": {"ree": {"tonnes": 0}}}
    data = build(
        over_capacity_world(0.5),
        **{
            "regions.japan.sourcing.ree": {"reprocessor": 1.0},
            "regions.eu.demand.ree.tonnes_per_day": 0.5,
            "regions.eu.sourcing.ree": {"reprocessor": 1.0},
            "suppliers.china.lead_time_days.kr": 5,
            "suppliers.reprocessor.lead_time_days.kr": 3,
            "suppliers.china.lead_time_days.us": 5,
            "suppliers.reprocessor.lead_time_days.us": 3,
            "regions.kr": {**region, "demand": {"ree": {"tonnes_per_day": 5}}, "sourcing": {"ree": {"china": 1.0}}},
            "regions.us": {
                **region,
                "demand": {"ree": {"tonnes_per_day": 0}},
                "sourcing": {"ree": {"reprocessor": 1.0}},
            },
        },
    )
    assert capacity_notes(validate_data(data)) == [
        "suppliers.reprocessor.capacity_t_per_day.ree: the regions' sourcing asks 10.5 t/day of it, more than the "
        "0.5 t/day it can ship: japan, eu kept all of theirs (no other supplier of theirs has room), so the cap "
        "shares the supplier among its buyers day by day (sourcing_share in portfolio.csv)"
    ]


def test_a_partner_minimum_met_by_a_partner_holding_the_whole_share_changes_nothing():
    # the partner already has all of it (1.0 >= 0.5): nothing to take from the others, who have none
    assert apply_quota(np.array([1.0, 0.0]), 1.0, np.array([0.5, 0.0]), np.full(2, np.inf)).tolist() == [1.0, 0.0]


def test_a_partner_minimum_beyond_its_headroom_says_so():
    with pytest.raises(
        QuotaInfeasible, match=r"^a partner minimum exceeds the partner's capacity or it has no route here$"
    ):
        apply_quota(np.array([0.5, 0.5]), 1.0, np.array([0.6, 0.0]), np.array([0.55, np.inf]))


def test_a_quota_step_given_as_a_date_is_in_force_from_that_day():
    # start_date 2010-07-01: a step dated 2010-07-11 is day 10, when China's cap falls from 1.0 to 0.6
    data = build(
        QUOTA_WORLD,
        **{
            "start_date": "2010-07-01",
            QUOTA: {"ree": {"max_share_path": [{"start": "2010-07-11", "max_share": 0.6}]}},
        },
    )
    s = validate_data(data)
    assert quota_shares(s, 9)[0][0, 0] == pytest.approx([0.9, 0.1])
    assert quota_shares(s, 10)[0][0, 0] == pytest.approx([0.6, 0.4])


def test_a_capacity_addition_ramps_up_linearly_from_its_first_day():
    # first day 10 over 5 days: 1/5 on day 10, 2/5 on day 11, all of it from day 14; nothing before day 10
    assert ramp_share(np.array([8, 9, 10, 11, 14, 20]), 10, 5).tolist() == [0.0, 0.0, 0.2, 0.4, 1.0, 1.0]
    assert ramp_share(np.array([9, 10, 11]), 10, 0).tolist() == [0.0, 1.0, 1.0]


def test_a_demand_of_0_t_per_day_is_no_demand():
    s = validate_data(build(QUOTA_WORLD, **{"regions.japan.demand.ree.tonnes_per_day": 0}))
    assert not has_demand(s, "japan", "ree")
    assert has_demand(validate_data(QUOTA_WORLD), "japan", "ree")


def test_partner_minimums_may_take_all_the_other_suppliers_have_and_no_more():
    # the partner's minimum of 1.0 takes exactly the 0.5 the other has; a minimum the others cannot give
    # (0.5 + 0.6 > 1 of two partners) is refused
    assert apply_quota(np.array([0.5, 0.5]), 1.0, np.array([1.0, 0.0]), np.full(2, np.inf)).tolist() == [1.0, 0.0]
    with pytest.raises(QuotaInfeasible, match="partner minimums exceed what other suppliers supply"):
        apply_quota(np.array([0.3, 0.3, 0.4]), 1.0, np.array([0.5, 0.6, 0.0]), np.full(3, np.inf))


def test_a_quota_the_others_cannot_meet_before_and_at_its_step_is_reported_for_both():
    # Australia has 1 t/day, 0.1 of Japan's 10, all used: neither the cap of 0.8 written nor the step to 0.6 on
    # day 10 can move anything there
    data = build(
        QUOTA_WORLD,
        **{
            "suppliers.australia.capacity_t_per_day": {"ree": 1.0},
            QUOTA: {"ree": {"max_share_per_supplier": 0.8, "max_share_path": [{"start": 10, "max_share": 0.6}]}},
        },
    )
    with pytest.raises(ScenarioError) as error:
        validate_data(data)
    assert "quota.ree: other suppliers can take 0 of the 0.1 share the cap moves" in str(error.value)
    assert "quota.ree.max_share_path.0: other suppliers can take 0 of the 0.3 share the cap moves" in str(error.value)


def pinned_market(reference_usd_per_kg: float) -> dict:
    """A market for ``ree`` whose price stays at ``reference_usd_per_kg`` (to 1e-6) while buyers hold some stock."""
    # the indicated price is P0 x X^-s: with s = 1e-9 it is P0 to within |ln X| x 1e-9 while the
    # cover ratio X stays away from 0; with no stock at all the price still climbs to its cap
    return {"ree": {"reference_price_usd_per_kg": reference_usd_per_kg, "price": {"sensitivity": 1e-9}}}


def test_with_a_market_purchases_are_costed_at_the_world_price_not_the_materials_fixed_price():
    # the three worlds above, with a world price of 4 x the material's fixed price
    resourcing = run({**resourcing_world(15, 5), "market": pinned_market(40.0)})
    assert series(resourcing, "price_usd_per_kg", "japan") == pytest.approx(40.0, rel=1e-6)
    cost = resourcing.summary.set_index("region").loc["japan", "resourcing_cost_usd"]
    assert cost == pytest.approx(7.5 * 18 * 40 * 2.0 * 1000, rel=1e-6)  # 18 days x 7.5 t at 2 x 40 USD/kg

    premium = run({**quota_world(), "market": pinned_market(160.0)})
    # 20 t/day moved x 10 days x 25% x 160 USD/kg x 1000 kg/t
    assert premium.summary.iloc[0]["procurement_premium_usd"] == pytest.approx(20 * 10 * 0.25 * 160 * 1000, rel=1e-6)

    refill = refill_world(market=pinned_market(200.0))
    # as in the refill test above, 5 t/day ordered on days 15..24; with no stock the price
    # has risen (the cover ratio is near 0), so each day's 5 t is costed at that day's price
    refilled = run(refill)
    price = series(refilled, "price_usd_per_kg", "japan")
    assert price[15] > 400.0 and price[24] < 340.0  # well away from the 200 USD/kg reference, and moving
    assert series(refilled, "refill_arrivals_t", "japan")[20:30] == pytest.approx(5.0)
    assert refilled.summary.iloc[0]["refill_cost_usd"] == pytest.approx(5 * 1000 * price[15:25].sum(), rel=1e-12)


def test_a_material_without_a_market_or_a_price_costs_nothing_beside_one_with_a_market():
    # the re-sourcing world with a second material, "other", handled the same way but with
    # no price and no market: its re-sourced tonnes (7.5 t/day for Japan from day 12, as
    # ree's) cost nothing, while ree's are paid at its pinned 40 USD/kg world price
    data = {**resourcing_world(15, 5), "market": pinned_market(40.0)}
    add_material(data, "other", {})
    data["suppliers"]["spare"]["capacity_t_per_day"]["other"] = 10
    result = run(data)
    rows = result.summary.set_index(["region", "material"])
    assert series(result, "resourced_t", "japan", "other")[12:] == pytest.approx(7.5)
    assert rows.loc[("japan", "other"), "resourcing_cost_usd"] == 0.0
    assert rows.loc[("japan", "ree"), "resourcing_cost_usd"] == pytest.approx(7.5 * 18 * 40 * 2.0 * 1000, rel=1e-6)
