"""An auction with nothing to offer is not held: no row of auctions.csv, no auction day in the time series.

``TWO_MEMBERS`` (Japan 20, the EU 80 t/day, no stock, cut off from day 0) under ``auction`` with daily
auctions, Japan bidding 100 and the EU 50 USD/kg for its whole expected gap. Day 0: bids 20 and 80 t
against a lot of the whole pool, 60 t (no cap, no lot size); Japan's higher bid is filled in full (20 t),
the EU gets the other 40 t at the clearing price of 50 USD/kg (its own bid, the lowest filled). From day 1
the pool is empty: the members would bid 20 and 80 t again, but there is nothing to sell, so no auction
is held (it was held with a 0 t lot, and counted as an auction, in the report too).
"""

from __future__ import annotations

import pytest

from tests.helpers import TWO_MEMBERS, build, run, series, words_page
from tests.test_report_answers import plain, section

DAILY_BIDS = {
    "every_days": 1,
    "bids": {
        "japan": {"ree": [{"end_use": "magnets", "share": 1.0, "price_usd_per_kg": 100}]},
        "eu": {"ree": [{"end_use": "magnets", "share": 1.0, "price_usd_per_kg": 50}]},
    },
}


def test_an_auction_on_an_empty_pool_is_not_held():
    result = run(build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction=DAILY_BIDS, horizon_days=4))
    rows = result.auctions
    assert list(rows["day"]) == [0]  # only day 0 had stock to offer
    first = rows.iloc[0]
    assert (first["lot_t"], first["sold_t"], first["won_t.japan"], first["won_t.eu"]) == pytest.approx((60, 60, 20, 40))
    assert first["clearing_price_usd_per_kg"] == 50.0
    assert list(series(result, "release_rule", "eu")) == ["auction", "", "", ""]
    assert list(series(result, "shortfall_t", "eu")) == pytest.approx([40, 80, 80, 80])


def test_the_report_says_no_auction_was_held_because_the_pool_was_emptied_for_good():
    """``hybrid``: the ratio shares during the embargo (days 0-9); from day 10, when it ends, auctions are due.

    Day 0: the gaps are 20 + 80 = 100 t against the 60 t pool, shared 30/30 by the ratio; the pool is
    empty at the end of day 0 and never refilled. Cargo ordered from day 10 lands from day 15 (lead
    time 5), so the members are short and bid on day 10, but there is nothing to sell: no auction.
    """
    halt = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan", "eu"], "start": -100, "end": 10}
    bids = {m: {"ree": [{"end_use": "all", "share": 1.0, "price_usd_per_kg": 100.0}]} for m in ("japan", "eu")}
    data = build(
        TWO_MEMBERS,
        shocks=[halt],
        horizon_days=30,
        agreement__mechanism="hybrid",
        agreement__auction={"every_days": 7, "bids": bids},
    )
    result = run(data)
    assert result.auctions.empty
    released = result.releases[result.releases["released_t"] > 0]
    assert list(released["day"]) == [0] and list(released["released_t"]) == [60.0]
    rule = plain(section(words_page(result), "rule"))
    assert "and only if a member bids and the pool has stock to offer" in rule
    assert (
        "The pool was emptied on day 0 (rare earths) and held nothing after that, so no auction from then on had "
        "stock to offer."
    ) in rule
