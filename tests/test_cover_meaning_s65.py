"""What the drawable cover and the runway count, and what they do not tell (docs/model.md "Days of cover").

The drawable cover counts the member's own weight in the rule times the pool left, not the shares other members
leave unused; the runway counts goods in transit at today's demand, whenever they arrive. Both tests work their
numbers out by hand and pin that meaning: they fail if either formula changes.
"""

from __future__ import annotations

import numpy as np

from tests.helpers import ONE_REGION, TWO_MEMBERS, build, run, series
from tests.invariants import check_invariants


def test_drawable_cover_is_the_members_share_of_the_pool_left_though_it_goes_on_to_draw_more():
    # Pool 600 t (300 t each), ratio 1/2-1/2, both cut off with no stock of their own; the pool has no
    # cap, so the rule meets every gap in full while it lasts. Day 0: Japan's 20 t and the EU's 80 t are
    # met and 500 t are left. Each member's drawable share is 1/2 x 500 = 250 t: 3.125 days of the EU's
    # 80 t/day, 12.5 days of Japan's 20 t/day. Days 1-5 meet both gaps again (100 t a day, 500 t), so
    # the pool is empty after day 5 and both are short from day 6.
    data = build(
        TWO_MEMBERS,
        agreement__pool__contributions={"japan": {"ree": {"tonnes": 300}}, "eu": {"ree": {"tonnes": 300}}},
    )
    result = run(data)
    check_invariants(result)
    assert series(result, "drawable_shared_t", "eu")[0] == 250.0
    assert series(result, "days_of_cover", "eu")[0] == 3.125
    assert series(result, "drawable_shared_t", "japan")[0] == 250.0
    assert series(result, "days_of_cover", "japan")[0] == 12.5
    # the EU draws what Japan leaves unused: 400 t after day 0 (5 days of its demand), not its 250 t
    assert series(result, "released_joint_t", "eu")[1:].sum() == 400.0
    # Japan's 12.5 days were never its own: it draws 100 t (5 days) and is short from day 6
    assert series(result, "released_joint_t", "japan")[1:].sum() == 100.0
    assert np.flatnonzero(series(result, "shortfall_t", "japan") > 0)[0] == 6
    assert np.flatnonzero(series(result, "shortfall_t", "eu") > 0)[0] == 6


def test_runway_counts_goods_in_transit_that_arrive_after_the_stock_is_gone():
    # One region, 1 t/day, 10 t of stock, a 20-day lead time. An embargo on days -20..-6 holds the
    # warm-up's 15 t at origin; they ship on day -5 with that day's order and land on day 15 (16 t),
    # the orders of days -4..-1 on days 16-19: 20 t in transit on day 0, none arriving before day 15.
    # Day 0: stock 10 - 1 = 9 t; drawable cover 9 days; runway (9 + 20) / 1 = 29 days. The stock is
    # gone after day 9 and the region is short 1 t a day on days 10-14, while the runway reads
    # 29-34 days: on day 10 it counts the 20 t plus the orders of days 0-9 (10 t), 30 days.
    data = build(
        ONE_REGION,
        horizon_days=25,
        suppliers__china__lead_time_days__japan=20,
        regions__japan__demand__ree__tonnes_per_day=1,
        regions__japan__commercial_stock__ree__tonnes=10,
        shocks=[
            {
                "id": "halt",
                "kind": "embargo",
                "supplier": "china",
                "regions": ["japan"],
                "start": -20,
                "end": -5,
                "on_halt": "held",
            }
        ],
    )
    result = run(data)
    check_invariants(result)
    arrivals = series(result, "arrivals_t", "japan")
    shortfall = series(result, "shortfall_t", "japan")
    runway = series(result, "days_of_cover_runway", "japan")
    assert np.all(arrivals[:15] == 0.0) and arrivals[15] == 16.0
    assert series(result, "days_of_cover", "japan")[0] == 9.0
    assert runway[0] == 29.0
    # the runway counts what was under way before the day's order ships: the day before's in_transit_t
    # less the day's arrivals (day 10: 30 t, none arriving)
    in_transit = series(result, "in_transit_t", "japan")
    assert in_transit[9] - arrivals[10] == 30.0 and in_transit[0] == 21.0
    assert np.flatnonzero(shortfall > 0).tolist() == [10, 11, 12, 13, 14]
    assert np.all(shortfall[10:15] == 1.0)
    # short, with no drawable cover, and yet a runway of 30-34 days
    assert np.all(series(result, "days_of_cover", "japan")[10:15] == 0.0)
    assert runway[10:15].tolist() == [30.0, 31.0, 32.0, 33.0, 34.0]
