"""Markets: price formation, demand response, precautionary stocking, market-linked auctions.

Every expected number is worked out by hand in the comments from the equations of
docs/model.md ("Markets"): X is the buyers' cover ratio (positions over targets), the
indicated price is P0 X^-s, the price moves in logs with the adjustment time.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from simulator.engine import ReferenceEngine
from simulator.fastpath import run_batch
from simulator.plan import compile_plan, stack_plans
from simulator.randomness import draw_batch
from simulator.scenario import validate_data
from tests.helpers import ONE_REGION, TWO_MEMBERS, build, no_traceback, run, series, threat
from tests.invariants import check_invariants

HALT = [{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}]


def market(**blocks: object) -> dict:
    """A market block for material ``ree`` with a reference price of 50 USD/kg (the material's price)."""
    return {"ree": {"price": {"sensitivity": 2.0, "adjustment_days": 1.0}, **blocks}}


def market_auction(bids: dict, pool_each_t: float | None = None) -> dict:
    """TWO_MEMBERS auctioning its pool every 7 days with ``bids``, under :func:`market`.

    ``pool_each_t``: each member's contribution of ree (TWO_MEMBERS': 30 t each).
    """
    data = build(
        TWO_MEMBERS,
        agreement__mechanism="auction",
        agreement__auction={"every_days": 7, "bids": bids},
        market=market(),
    )
    if pool_each_t is not None:
        data["agreement"]["pool"]["contributions"] = {m: {"ree": {"tonnes": pool_each_t}} for m in ("japan", "eu")}
    return data


def test_without_shocks_the_market_stays_at_its_reference():
    # demand 10 t/day, lead 5, 100 t of stock (10 days); a buyer ordering up to
    # d (L + cover) = 10 x (5 + 10) = 150 t holds exactly 150 t of position every day: X = 1
    result = run(build(ONE_REGION, market=market(stocking={"precaution_gain": 0.0})))
    assert series(result, "price_usd_per_kg", "japan") == pytest.approx(50.0)
    assert result.market["cover_ratio"].to_numpy() == pytest.approx(1.0)
    assert series(result, "ordered_t", "japan") == pytest.approx(10.0)
    assert series(result, "demand_t", "japan") == pytest.approx(10.0)


def test_the_price_answers_the_cover_ratio_with_its_sensitivity():
    # nothing arrives: at the end of day t the position is 100 - 10 (t + 1) against a target
    # of 150 t, so X_0 = 90/150 = 0.6; with an adjustment time of 1 day the price of day 1 is
    # the indicated price 50 x 0.6^-2 = 138.89, of day 2 50 x (80/150)^-2 = 175.78
    result = run(build(ONE_REGION, shocks=HALT, market=market()))
    price = series(result, "price_usd_per_kg", "japan")
    assert price[0] == pytest.approx(50.0)
    assert price[1] == pytest.approx(50.0 * 0.6**-2)
    assert price[2] == pytest.approx(50.0 * (80 / 150) ** -2)
    # the cap (100 x the reference) holds once the stock is gone
    assert price[-1] == pytest.approx(5000.0)
    world = result.market["world_price_usd_per_kg"].to_numpy()
    assert world == pytest.approx(price)


def test_the_price_moves_a_share_of_its_log_gap_each_day():
    # adjustment time 2 days: ln P1 = ln 50 + (ln 138.89 - ln 50) / 2, i.e. P1 = sqrt(50 x 138.89) = 83.33
    result = run(build(ONE_REGION, shocks=HALT, market=market(price={"sensitivity": 2.0, "adjustment_days": 2.0})))
    assert series(result, "price_usd_per_kg", "japan")[1] == pytest.approx(np.sqrt(50.0 * 50.0 * 0.6**-2))


def test_demand_answers_the_price_with_its_elasticity_and_the_destroyed_tonnes_are_reported():
    # day 1: P/P0 = 0.6^-2, elasticity -0.5: realised demand 10 x (0.6^-2)^-0.5 = 6 t, 4 t destroyed
    data = build(ONE_REGION, shocks=HALT, market=market(demand={"short_run_elasticity": -0.5}))
    result = run(data)
    demand = series(result, "demand_t", "japan")
    assert demand[0] == pytest.approx(10.0)
    assert demand[1] == pytest.approx(6.0)
    assert series(result, "demand_destroyed_t", "japan")[1] == pytest.approx(4.0)
    assert series(result, "baseline_demand_t", "japan")[1] == pytest.approx(10.0)
    # the extra spend: 6 t x (138.89 - 50) USD/kg x 1000 kg/t = 533,333 USD. The surplus lost on
    # the 4 t given up, on the demand curve D = 10 r^-0.5 (no floor, no substitution), r = 1/0.36:
    # P0 x D_pot x [integral from 1 to r of x^-0.5 dx - r^-0.5 (r - 1)]
    # = 50 x 1000 x 10 x [2 (1/0.6 - 1) - 0.6 x (1/0.36 - 1)] = 500,000 x (4/3 - 16/15) = 133,333 USD
    # (a straight demand line would give the triangle 4 t x 88.89 USD/kg / 2 x 1000 = 177,778 USD)
    assert series(result, "crisis_extra_cost_usd", "japan")[1] == pytest.approx(533_333.33)
    assert series(result, "lost_surplus_usd", "japan")[1] == pytest.approx(133_333.33)
    assert series(result, "lost_surplus_usd", "japan")[0] == 0.0  # at the reference price nothing is lost
    check_invariants(result)


def test_the_demand_floor_holds_and_substitution_builds_up_and_partly_stays():
    # a tenfold price from day 1 on (the cap at 10x); full substitution of 40% at 10x, adjustment
    # 1 day: S = 0.4 from the end of day 1; demand floor 50%: (1 - 0.4) x 10^-0.5 = 0.19 -> 0.5
    data = build(
        ONE_REGION,
        shocks=HALT,
        market={
            "ree": {
                "price": {"sensitivity": 2.0, "adjustment_days": 1.0, "cap_usd_per_kg": 500.0},
                "demand": {
                    "short_run_elasticity": -0.5,
                    "floor_share": 0.5,
                    "substitution": {"max_share": 0.4, "full_price_ratio": 10.0, "adjustment_days": 1.0},
                },
            }
        },
    )
    result = run(data)
    assert series(result, "substitution_share", "japan")[-1] == pytest.approx(0.4)
    assert series(result, "demand_t", "japan")[-1] == pytest.approx(5.0)
    # the surplus lost on the last day (price 500 = 10 P0, S = 0.4 in force): the curve 0.6 x^-0.5
    # meets the floor 0.5 at x = (0.6/0.5)^2 = 1.44, so integral from 1 to 10 of the demand curve
    # = 0.6 x 2 (1.2 - 1) + 0.5 x (10 - 1.44) = 4.52, less today's 0.5 x 9: 0.02; the substituted 40%
    # lose 0.4 / ln 10 x (10^(0.4/0.4) - 1) - 0.4 = 1.163460. 50 x 1000 x 10 t x 1.183460 = 591,730 USD
    assert series(result, "price_usd_per_kg", "japan")[-1] == pytest.approx(500.0)
    assert series(result, "lost_surplus_usd", "japan")[-1] == pytest.approx(591_730.07, abs=0.01)


def test_perceived_risk_raises_desired_cover_and_buyers_stock_up():
    # a measure perceived at 0.5 on the only supplier that cuts nothing physically; perception
    # and cover adjustment of 1 day: risk 0.5 and desired cover 10 x (1 + 2 x 0.5) = 20 days at
    # the end of day 0; target 10 x (5 + 20) = 250 t against a position of 140 t: order 110 t
    blocks = market(risk={"perception_days": 1.0}, stocking={"precaution_gain": 2.0, "adjustment_days": 1.0})
    result = run(build(ONE_REGION, shocks=[threat(0.5)], market=blocks))
    assert result.market["perceived_risk"].to_numpy()[0] == pytest.approx(0.5)
    assert series(result, "desired_cover_days", "japan")[0] == pytest.approx(20.0)
    assert series(result, "ordered_t", "japan")[0] == pytest.approx(110.0)
    # the stock bought arrives five days later: cover reaches 20 days, ordering falls back to demand
    assert series(result, "commercial_stock_t", "japan")[10] == pytest.approx(200.0)
    assert series(result, "ordered_t", "japan")[10] == pytest.approx(10.0)


def test_a_region_under_a_targeted_embargo_pays_a_premium():
    data = build(
        TWO_MEMBERS,
        shocks=[{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 0, "end": 1000}],
        market=market(price={"sensitivity": 2.0, "adjustment_days": 1.0, "targeted_premium": 0.3}),
    )
    result = run(data)
    assert series(result, "price_usd_per_kg", "japan")[5] == pytest.approx(
        1.3 * series(result, "price_usd_per_kg", "eu")[5]
    )


def test_market_linked_bids_clear_at_the_market_price_times_the_multiplier_capped():
    bids = {
        "japan": {"ree": [{"share": 1.0, "price_multiplier": 2.0}]},
        "eu": {"ree": [{"share": 1.0, "price_multiplier": 1.5, "max_usd_per_kg": 60.0}]},
    }
    result = run(market_auction(bids))
    auctions = result.auctions
    assert len(auctions)
    # the pool of 60 t is all offered on day 0 and both bid more than it: Japan's bid (2 x 50 = 100)
    # beats the EU's (min(1.5 x 50, 60) = 60); Japan wins and pays its own bid (uniform, marginal)
    first = auctions.iloc[0]
    assert first["clearing_price_usd_per_kg"] == pytest.approx(100.0)
    assert first["won_t.japan"] == pytest.approx(60.0)
    # the revenue goes to the pool's owners by share: 60 t x 100 USD/kg x 1000 split 50/50
    revenue = result.summary.set_index("region").loc[["japan", "eu"], "auction_revenue_usd"].to_numpy()
    assert revenue == pytest.approx([3e6, 3e6])


def test_bids_with_a_service_level_add_the_noise_margin():
    # service level 0.95 (z = 1.645), noise cv 0.2 on 20 t/day, 7 days: margin
    # 1.645 x 0.2 x 20 x sqrt(7) = 17.41 t on top of the expected gap
    bids = {"japan": {"ree": [{"share": 1.0, "price_usd_per_kg": 80.0}]}, "eu": {"ree": []}}
    base = build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction={"every_days": 7, "bids": bids})
    base["regions"]["japan"]["demand"]["ree"]["noise_cv"] = 0.2
    plain = run(base).auctions.iloc[0]["bid_t.japan"]
    with_margin = build(base, agreement__auction__service_level=0.95)
    margin = run(with_margin).auctions.iloc[0]["bid_t.japan"] - plain
    assert margin == pytest.approx(1.6448536 * 0.2 * 20 * np.sqrt(7), rel=1e-6)


def test_both_engines_agree_with_markets_on(tmp_path):
    data = build(
        TWO_MEMBERS,
        horizon_days=80,
        shocks=[
            {
                "id": "halt",
                "kind": "embargo",
                "supplier": "china",
                "regions": ["japan"],
                "start": {"distribution": "uniform", "low": 5, "high": 30},
                "duration_days": 20,
                "severity": 0.8,
                "on_halt": "held",
                "leak_share": 0.2,
                "leak_extra_days": 3,
            }
        ],
        regions__japan__demand__ree__noise_cv=0.1,
        regions__japan__commercial_stock__ree__days=20,
        regions__eu__commercial_stock__ree__days=20,
        market={
            "ree": {
                "price": {"sensitivity": 2.5, "adjustment_days": 10.0, "targeted_premium": 0.2},
                "demand": {"short_run_elasticity": -0.2, "substitution": {"max_share": 0.2, "permanent_share": 0.5}},
                "stocking": {"precaution_gain": 1.5},
            }
        },
    )
    plan = compile_plan(validate_data(data))
    seeds = list(range(12))
    batch = run_batch(stack_plans([plan] * len(seeds)), draw_batch([plan] * len(seeds), seeds))
    for row, seed in enumerate(seeds):
        reference = ReferenceEngine(plan, seed).run().summary
        for name, values in reference.items():
            assert np.array_equal(values[0], batch.summary[name][row], equal_nan=True), (name, seed)
    check_invariants(run(data, seed=3))


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"demand": {"short_run_elasticity": 0}}, "market.ree.demand", "below 0"),
        ({"demand": {"short_run_elasticity": 0.2}}, "market.ree.demand.short_run_elasticity", "<= 0"),
        ({"price": {"floor_usd_per_kg": 80, "cap_usd_per_kg": 60}}, "market.ree.price", "between the floor"),
        ({"price": {"adjustment_days": 0}}, "market.ree.price.adjustment_days", ">= 1"),
        ({"price": {"floor_usd_per_kg": 60}}, "market.ree.price", "reference price 50"),
    ],
)
def test_bad_market_input_exits_2_naming_the_field(tmp_path, change, field, words):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(build(ONE_REGION, market={"ree": change})))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert field in result.output and words in result.output and no_traceback(result)


def test_a_market_for_a_material_that_does_not_exist_exits_2(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(build(ONE_REGION, market={"neodymium": {}})))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2 and "market.neodymium" in result.output and "unknown material" in result.output
