"""An auction with bids is held even on an empty pool: a row of auctions.csv is not a sale (docs/outputs.md).

``TWO_MEMBERS`` (Japan 20, the EU 80 t/day, no stock, cut off from day 0) under ``auction`` with daily
auctions, Japan bidding 100 and the EU 50 USD/kg for its whole expected gap. Day 0: bids 20 and 80 t
against a lot of the whole pool, 60 t (no cap, no lot size); Japan's higher bid is filled in full (20 t),
the EU gets the other 40 t at the clearing price of 50 USD/kg (its own bid, the lowest filled). From day 1
the pool is empty: the members bid 20 and 80 t again, the lot is 0 t and nothing is sold, and each day is
still a row, as docs/outputs.md says.
"""

from __future__ import annotations

import math

import pytest

from tests.helpers import TWO_MEMBERS, build, run, series

DAILY_BIDS = {
    "every_days": 1,
    "bids": {
        "japan": {"ree": [{"end_use": "magnets", "share": 1.0, "price_usd_per_kg": 100}]},
        "eu": {"ree": [{"end_use": "magnets", "share": 1.0, "price_usd_per_kg": 50}]},
    },
}


def test_an_auction_on_an_empty_pool_is_a_row_with_nothing_offered_or_sold():
    result = run(build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction=DAILY_BIDS, horizon_days=4))
    rows = result.auctions
    assert list(rows["day"]) == [0, 1, 2, 3]  # one row a day, though only day 0 had stock to offer
    first = rows.iloc[0]
    assert (first["lot_t"], first["sold_t"], first["won_t.japan"], first["won_t.eu"]) == pytest.approx((60, 60, 20, 40))
    assert first["clearing_price_usd_per_kg"] == 50.0
    for _, empty in rows.iloc[1:].iterrows():
        assert (empty["lot_t"], empty["sold_t"], empty["won_t.japan"], empty["won_t.eu"]) == (0.0, 0.0, 0.0, 0.0)
        assert (empty["bid_t.japan"], empty["bid_t.eu"]) == pytest.approx((20, 80))
        assert math.isnan(empty["clearing_price_usd_per_kg"])
    # the days the pool is empty are auction days in the time series too
    assert list(series(result, "release_rule", "eu")) == ["auction"] * 4
    assert list(series(result, "shortfall_t", "eu")) == pytest.approx([40, 80, 80, 80])
