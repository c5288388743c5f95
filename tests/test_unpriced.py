"""A material with neither a market nor a price: its price columns are empty, what is valued at it is 0.

Procurement already costs such a material at 0 (``test_procurement``); the pricing step
holds a 1 USD/kg placeholder in its stead when another material has a market, which the
tables, transfer values and the ledger once showed (docs/outputs.md, "Prices").
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.fastpath import run_batch
from simulator.plan import compile_plan
from simulator.randomness import draw_batch
from simulator.scenario import validate_data
from tests.helpers import ONE_REGION, add_material, build, run, series
from tests.test_agreement import IEP_PAIR

MARKET = {"nd": {"reference_price_usd_per_kg": 40.0}}
"""A market for the second material ``nd`` (40 USD/kg): the plan then has markets."""


def unpriced_pair(market: bool) -> dict:
    """IEP_PAIR (iea_ess: a passes 25 t/day of ree to b... to a) with ree unpriced, beside ``nd`` (40 USD/kg)."""
    data = build(IEP_PAIR)
    data["materials"]["ree"] = {}
    add_material(data, "nd", {"price_usd_per_kg": 40.0})
    data["agreement"]["pool"]["contributions"] = {m: {"ree": {"tonnes": 150}} for m in ("a", "b")}
    if market:
        data["market"] = MARKET
    return data


@pytest.mark.parametrize("market", [True, False], ids=["beside_a_market", "no_market"])
def test_transfers_of_an_unpriced_material_are_worth_0_and_its_price_is_empty(market):
    result = run(unpriced_pair(market))
    for region, passed in (("a", 25), ("b", -25)):
        assert series(result, "transferred_t", region, "ree")[:10] == pytest.approx(passed)
        # 0 USD, not 25 t x 1 USD/kg x 1000 = 25,000 USD at the placeholder
        assert (series(result, "transfer_value_usd", region, "ree") == 0.0).all()
        assert np.isnan(series(result, "price_usd_per_kg", region, "ree")).all()
    summary = result.summary.set_index(["region", "material"])
    assert summary.loc[("a", "ree"), "peak_price_usd_per_kg"] is None or np.isnan(
        summary.loc[("a", "ree"), "peak_price_usd_per_kg"]
    )
    if market:
        world = result.market.set_index(["material", "day"])["world_price_usd_per_kg"]
        assert np.isnan(world.loc["ree"]).all()
        assert world.loc["nd"].notna().all() and world.loc[("nd", 0)] == pytest.approx(40.0, rel=1e-3)
    ledger = result.ledger.set_index(["member", "material"])
    assert ledger.loc[("a", "ree"), "contributed_usd"] == 0.0  # not 150 t x 1 USD/kg x 1000
    assert np.isnan(ledger.loc[("a", "ree"), "end_price_usd_per_kg"])
    assert np.isfinite(ledger["net_position_usd"]).all()


def test_a_material_without_a_market_shows_its_fixed_price_beside_one_with_a_market():
    # ree keeps IEP_PAIR's 50 USD/kg: its world price is that fixed price every day and the
    # transfers are valued at it (25 t x 50 USD/kg x 1000 = 1.25 m USD a day)
    data = unpriced_pair(True)
    data["materials"]["ree"] = {"price_usd_per_kg": 50}
    result = run(data)
    assert series(result, "price_usd_per_kg", "a", "ree") == pytest.approx(50.0)
    assert series(result, "transfer_value_usd", "a", "ree")[:10] == pytest.approx(25 * 50_000)
    world = result.market.set_index(["material", "day"])["world_price_usd_per_kg"]
    assert world.loc["ree"].to_numpy() == pytest.approx(50.0)
    assert result.ledger.set_index(["member", "material"]).loc[("a", "ree"), "contributed_usd"] == 150 * 50_000


def test_the_fast_path_gives_the_same_empty_peak_price():
    plan = compile_plan(validate_data(unpriced_pair(True)))
    reference = run(unpriced_pair(True), seed=0).summary_arrays
    fast = run_batch(plan, draw_batch([plan], [0]), curves=("transfer_value_usd", "world_price_usd_per_kg"))
    assert np.isnan(fast.summary["peak_price_usd_per_kg"][0]).tolist() == [[True, False], [True, False]]
    np.testing.assert_array_equal(fast.summary["peak_price_usd_per_kg"], reference["peak_price_usd_per_kg"])
    assert (fast.curves["transfer_value_usd"][0][:, :, 0] == 0.0).all()  # (day, region, material)
    assert np.isnan(fast.curves["world_price_usd_per_kg"][0][:, 0]).all()


def test_reserve_sold_by_tender_of_an_unpriced_material_is_sold_for_0_beside_a_market():
    # test_tender's world (10 t/day drawn from a 1,000 t reserve, sold by tender at once)
    # with ree unpriced beside nd's market: 0 USD a day, not 10 t x 1 USD/kg x 1000 = 10,000
    data = build(
        ONE_REGION,
        shocks=[
            {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}
        ],
        regions__japan__commercial_stock__ree__tonnes=0,
        regions__japan__reserve={"ree": {"tonnes": 1000}},
        regions__japan__reserve_release={"mode": "tender", "lag_days": 0},
    )
    data["materials"]["ree"] = {}
    add_material(data, "nd", {"price_usd_per_kg": 40.0})
    data["market"] = MARKET
    result = run(data)
    assert series(result, "released_national_t", "japan", "ree")[:5] == pytest.approx(10)
    assert (series(result, "reserve_sale_usd", "japan", "ree") == 0.0).all()


def test_a_price_under_1_usd_and_a_market_without_a_material_price_are_both_priced():
    # ree at 0.5 USD/kg without a market: priced (any price above 0), shown at 0.5 and its
    # transfers valued at it (25 t x 0.5 USD/kg x 1000 = 12,500 USD a day); nd without a
    # price of its own but with a market (reference 40 USD/kg, given in the market): priced
    # by the market, 40 USD/kg on day 0, not empty
    data = unpriced_pair(True)
    data["materials"]["ree"] = {"price_usd_per_kg": 0.5}
    data["materials"]["nd"] = {}
    result = run(data)
    assert series(result, "price_usd_per_kg", "a", "ree").tolist() == [0.5] * 12
    assert series(result, "transfer_value_usd", "a", "ree")[:10] == pytest.approx(12_500.0)
    world = result.market.set_index(["material", "day"])["world_price_usd_per_kg"]
    assert world.loc["ree"].tolist() == [0.5] * 12
    assert world.loc["nd"].notna().all() and world.loc[("nd", 0)] == 40.0
    assert series(result, "price_usd_per_kg", "a", "nd")[0] == 40.0


def test_the_extra_cost_of_an_unpriced_material_beside_a_market_is_0():
    # ree unpriced beside nd's market: it is paid 0 and its cost reference is 0, so its crisis
    # extra cost is 0 every day, not 100 t x (0 - 1 USD/kg placeholder) x 1000 = -100,000 USD;
    # nd's own is 100 t x (p - 40 USD/kg) x 1000: 0 on day 0, where p is the reference
    result = run(unpriced_pair(True))
    for region in ("a", "b"):
        assert series(result, "crisis_extra_cost_usd", region, "ree").tolist() == [0.0] * 12
        extra = series(result, "crisis_extra_cost_usd", region, "nd")
        price = series(result, "price_usd_per_kg", region, "nd")
        assert extra[0] == 0.0 and extra[1:] == pytest.approx(100 * (price[1:] - 40.0) * 1000)
        assert (extra[1:] > 0).all()
