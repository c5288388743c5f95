"""Honest days of cover: own, drawable and runway, by hand and as a property."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import TWO_MEMBERS, build, run, series
from tests.invariants import check_invariants


def test_drawable_cover_counts_the_rule_weight_of_the_pool_left():
    # Pool 600 t (300 t each), ratio 1/4-3/4, both cut off with no stock of their own. Day 0:
    # Japan's gap 20 t and the EU's 80 t are met in full; 500 t are left. Japan may draw
    # 1/4 x 500 = 125 t (6.25 days of its 20 t/day), the EU 3/4 x 500 = 375 t (4.6875 days).
    # Its own cover is 0; nothing is in transit under the embargo, so runway = drawable.
    data = build(
        TWO_MEMBERS,
        agreement__ratio={"japan": 0.25, "eu": 0.75},
        agreement__pool__contributions={"japan": {"ree": {"tonnes": 300}}, "eu": {"ree": {"tonnes": 300}}},
    )
    result = run(data)
    check_invariants(result)
    assert series(result, "days_of_cover", "japan")[0] == 6.25
    assert series(result, "days_of_cover", "eu")[0] == 4.6875
    assert series(result, "days_of_cover_own", "japan")[0] == 0.0
    assert series(result, "days_of_cover_runway", "eu")[0] == 4.6875
    assert series(result, "drawable_shared_t", "japan")[0] == 125.0


def test_a_member_short_today_has_no_cover_although_the_pool_is_not_empty():
    # Strict ratio: the EU's gap 80 t exceeds its half of the 60 t pool; it gets 30 t and is
    # short 50 t; Japan takes 20 t and its unused 10 t stays in the pool. The EU is shown
    # with 0 days (the rule gave it all it would today); Japan with 1/2 x 10 t / 20 = 0.25.
    result = run(build(TWO_MEMBERS, agreement__strict=True))
    check_invariants(result)
    assert series(result, "shortfall_t", "eu")[0] == 50.0
    assert series(result, "days_of_cover", "eu")[0] == 0.0
    assert series(result, "days_of_cover", "japan")[0] == 0.25


def test_under_auctions_in_normal_times_the_pool_is_not_drawable():
    # hybrid with no embargo in force: only stock bought at auction could be drawn
    data = build(
        TWO_MEMBERS,
        agreement__mechanism="hybrid",
        agreement__auction={"bids": {"japan": {"ree": [{"share": 1, "price_usd_per_kg": 60}]}}},
        shocks=[],
        regions__japan__commercial_stock__ree__tonnes=400,
        regions__eu__commercial_stock__ree__tonnes=1600,
    )
    result = run(data)
    assert np.all(series(result, "drawable_shared_t", "japan") == 0.0)
    # own stock only: 400 t at 20 t/day is 20 days at the end of day 0 less the day's use
    assert series(result, "days_of_cover", "japan")[0] == series(result, "days_of_cover_own", "japan")[0]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pool=st.integers(0, 400),
    stock_japan=st.integers(0, 300),
    stock_eu=st.integers(0, 1200),
    ratio=st.sampled_from([0.2, 0.5, 0.8]),
    mechanism=st.sampled_from(["fair_ratio", "proportional", "equal_cover", "talmud", "iea_ess"]),
    start=st.integers(0, 30),
    length=st.integers(1, 40),
    strict=st.booleans(),
    order=st.sampled_from(["national_first", "joint_first"]),
    reserve=st.integers(0, 200),
)
def test_no_member_is_shown_with_cover_on_a_day_it_is_short(
    pool, stock_japan, stock_eu, ratio, mechanism, start, length, strict, order, reserve
):
    data = build(
        TWO_MEMBERS,
        shocks__0__start=start,
        shocks__0__end=start + length,
        regions__japan__commercial_stock__ree__tonnes=stock_japan,
        regions__eu__commercial_stock__ree__tonnes=stock_eu,
        regions__eu__reserve={"ree": {"tonnes": reserve}},
        agreement__mechanism=mechanism,
        agreement__ratio={"japan": ratio, "eu": 1 - ratio},
        agreement__strict=strict,
        agreement__order=order,
        agreement__pool__contributions={"japan": {"ree": {"tonnes": pool}}, "eu": {"ree": {"tonnes": pool // 2}}},
    )
    result = run(data)
    check_invariants(result)  # own <= drawable <= runway; no cover on a short day
    short = result.timeseries["shortfall_t"].to_numpy() > 0
    assert np.all(result.timeseries["days_of_cover"].to_numpy()[short] == 0.0)
