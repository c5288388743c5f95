"""A pool sold down to a rounding residue has nothing to offer; a material the pool never held is named.

``TWO_MEMBERS``: Japan needs 20 and the EU 80 t/day of rare earths, with no stock, cut off from day 0.
A pool of 0.5 + 0.5 t handed out 0.1 t a day is empty after ten days, but in floating point
1.0 less ten subtractions of 0.1 leaves 1.4e-16 t, not 0: that residue is no stock to auction
(it was: an eleventh auction of 1.4e-16 t, counted in the report and drawn in the figure).
"""

from __future__ import annotations

import pytest

from simulator.mechanisms import BY_NAME
from tests.helpers import TWO_MEMBERS, add_material, build, run, words_page
from tests.test_report_answers import plain, section

ONE_TONNE = {"japan": {"ree": {"tonnes": 0.5}}, "eu": {"ree": {"tonnes": 0.5}}}
BIDS = {m: {"ree": [{"end_use": "all", "share": 1.0, "price_usd_per_kg": 100.0}]} for m in ("japan", "eu")}
TEN_DAY_HALT = TWO_MEMBERS["shocks"][0] | {"end": 10}
"""TWO_MEMBERS's halt of both members, ended on day 10."""


def test_ten_lots_of_a_tenth_of_a_tonne_are_ten_auctions_not_eleven():
    """Daily auctions of 0.1 t lots; Japan bids 100 and the EU 50 USD/kg for its whole gap (20 and 80 t).

    Japan's bid is the higher and wants more than a lot: it wins each lot at its own price (the lowest
    accepted bid), 0.1 t x 1,000 kg/t x 100 USD/kg = USD 10,000 a day. The 1.0 t pool lasts ten
    auctions (days 0-9); from day 10 only the residue is left, and no auction is held.
    """
    bids = {
        "japan": {"ree": [{"end_use": "magnets", "share": 1.0, "price_usd_per_kg": 100}]},
        "eu": {"ree": [{"end_use": "magnets", "share": 1.0, "price_usd_per_kg": 50}]},
    }
    data = build(
        TWO_MEMBERS,
        horizon_days=14,
        agreement__mechanism="auction",
        agreement__pool__contributions=ONE_TONNE,
        agreement__auction={"every_days": 1, "lot_t": {"ree": 0.1}, "bids": bids},
    )
    result = run(data)
    rows = result.auctions
    assert list(rows["day"]) == list(range(10))
    assert list(rows["won_t.japan"]) == pytest.approx([0.1] * 10)
    assert list(rows["spend_usd.japan"]) == pytest.approx([10_000.0] * 10)
    assert float(result.pool["pool_stock_t"].iloc[-1]) < 1e-12  # the residue, left in the pool
    rule = plain(section(words_page(result), "rule"))
    assert "Rare earths: 10 auctions from day 0 to day 9; 1.0 t sold in 10 of them at a clearing price of 100" in rule


def test_a_pool_shared_down_to_a_residue_was_emptied_on_its_last_release():
    """``hybrid``, releases capped at 0.1 t a day: the ratio shares the 1.0 t pool during the embargo.

    Days 0-9: 0.1 t a day (0.05 t each, 50/50), leaving 1.4e-16 t at the end of day 9. The embargo
    ends on day 10: auctions are due on days 10 and 17, the members are still short (cargo lands from
    day 15, lead time 5), but the residue is nothing to offer: no auction, and the report names day 9
    as the day the pool was emptied (it said nothing of it, the residue read as stock).
    """
    data = build(
        TWO_MEMBERS,
        shocks=[TEN_DAY_HALT],
        horizon_days=20,
        agreement__mechanism="hybrid",
        agreement__pool__contributions=ONE_TONNE,
        agreement__release_cap_t_per_day={"ree": 0.1},
        agreement__auction={"every_days": 7, "bids": BIDS},
    )
    result = run(data)
    assert result.auctions.empty
    released = result.releases
    assert list(released["day"]) == list(range(10))
    assert float(released["released_t"].sum()) == pytest.approx(1.0)
    rule = plain(section(words_page(result), "rule"))
    assert (
        "The pool was emptied on day 9 (rare earths) and held nothing after that, so no auction from then on had "
        "stock to offer."
    ) in rule


def test_auctions_of_one_material_and_none_of_a_material_the_pool_never_held():
    """``auction`` with rare earths (pool 30 + 30 t) and gallium (no pool), both bid for at 100 USD/kg.

    Day 0: the members bid their gaps, 20 + 80 t of each; the 60 t of rare earths sell whole at 100
    USD/kg. Gallium has nothing to offer on any day: no auction, and the report says why.
    """
    data = add_material(build(TWO_MEMBERS, agreement__mechanism="auction"), "ga", {"price_usd_per_kg": 300})
    bids = {m: {"ree": BIDS[m]["ree"], "ga": BIDS[m]["ree"]} for m in BIDS}
    data["agreement"]["auction"] = {"every_days": 1, "bids": bids}
    result = run(data)
    assert list(result.auctions["material"]) == ["ree"]
    assert float(result.auctions["sold_t"].sum()) == pytest.approx(60.0)
    rule = plain(section(words_page(result), "rule"))
    assert "No auction of ga was held: the pool holds none of it." in rule


def test_no_auction_at_all_names_the_material_the_pool_never_held():
    """``hybrid`` with rare earths (pool 30 + 30 t) and gallium (no pool); the embargo ends on day 10.

    Day 0: the ratio shares the 60 t of rare earths (the pool is empty from then on); gallium has no
    stock to share. Auctions are due from day 10, but neither pool has anything to offer.
    """
    data = add_material(
        build(TWO_MEMBERS, shocks=[TEN_DAY_HALT], horizon_days=30, agreement__mechanism="hybrid"),
        "ga",
        {"price_usd_per_kg": 300},
    )
    bids = {m: {"ree": BIDS[m]["ree"], "ga": BIDS[m]["ree"]} for m in BIDS}
    data["agreement"]["auction"] = {"every_days": 7, "bids": bids}
    result = run(data)
    assert result.auctions.empty
    assert float(result.releases["released_t"].sum()) == pytest.approx(60.0)
    rule = plain(section(words_page(result), "rule"))
    assert "The pool was emptied on day 0 (rare earths)" in rule
    assert "The pool holds no ga, so no auction of it had stock to offer." in rule


def test_equal_cover_names_both_cases_where_it_differs_from_proportional_to_demand():
    """joint_first, and a member short with its reserve in hand while its tender waits (as compare.rule_notes says)."""
    description = BY_NAME["equal_cover"].description
    assert "agreement.order: joint_first" in description
    assert "sold by tender (regions.<id>.reserve_release)" in description
