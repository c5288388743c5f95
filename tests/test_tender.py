"""National reserve sold by tender on a government request (JOGMEC-style reserve_release).

World: one region needing 10 t/day, no commercial stock and nothing arriving (an embargo
since before day 0), 1,000 t of national reserve, material price 50 USD/kg. Without a
release policy the reserve covers the gap from day 0; with a tender and a 14-day lag the
firms are short for days 0-13 and buy 10 t/day from day 14 at 50 USD/kg (500,000 USD).
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.release.tender import tender_requests
from tests.helpers import ONE_REGION, build, run, series
from tests.invariants import check_invariants
from tests.test_fastpath import assert_batch_equals_reference

HALT = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}
BASE = build(
    ONE_REGION,
    shocks=[HALT],
    regions__japan__commercial_stock__ree__tonnes=0,
    regions__japan__reserve={"ree": {"tonnes": 1000}},
)


def test_without_a_release_policy_the_reserve_covers_the_gap_at_once_unpaid():
    result = run(BASE)
    assert series(result, "released_national_t", "japan")[:3] == pytest.approx(10)
    assert "reserve_sale_usd" not in result.timeseries or not result.timeseries["reserve_sale_usd"].any()


def test_tender_after_the_lag_at_the_market_price():
    result = run(build(BASE, regions__japan__reserve_release={"mode": "tender", "lag_days": 14}))
    check_invariants(result)
    released = series(result, "released_national_t", "japan")
    assert released[:14] == pytest.approx(0) and released[14:20] == pytest.approx(10)
    assert series(result, "shortfall_t", "japan")[:14] == pytest.approx(10)
    sales = series(result, "reserve_sale_usd", "japan")
    assert sales[:14] == pytest.approx(0) and sales[14:20] == pytest.approx(10 * 50 * 1000)


def test_tender_at_a_discount():
    release = {"mode": "tender", "lag_days": 0, "price": "discount", "discount_share": 0.2}
    result = run(build(BASE, regions__japan__reserve_release=release))
    assert series(result, "reserve_sale_usd", "japan")[:5] == pytest.approx(10 * 50 * 0.8 * 1000)


def test_a_request_lapses_after_the_standdown_and_a_new_gap_waits_again():
    # the halts stop shipments leaving on days 0-9 and 20-29; with a 5-day lead time nothing
    # arrives on days 5-14 and 25-34, when firms are short. The first request lapses 3 days
    # after the first gap ends, so the second gap is a new request with a new 4-day lag
    halts = [
        {"id": "one", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 0, "end": 10},
        {"id": "two", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 20, "end": 30},
    ]
    data = build(
        BASE, shocks=halts, regions__japan__reserve_release={"mode": "tender", "lag_days": 4, "standdown_days": 3}
    )
    result = run(data)
    check_invariants(result)
    short_before = series(result, "demand_t", "japan") - series(result, "supplied_t", "japan")
    released = series(result, "released_national_t", "japan")
    gap_days = [d for d in range(len(short_before)) if short_before[d] > 1e-9]
    first, second = gap_days[0], next(d for d in gap_days if d >= 25)
    assert (first, second) == (5, 25)  # shipments leaving on days 0-9 and 20-29 arrive 5 days later
    assert released[first : first + 4] == pytest.approx(0) and released[first + 4] == pytest.approx(10)
    assert released[second : second + 4] == pytest.approx(0) and released[second + 4] == pytest.approx(10)


def test_a_discount_needs_the_discount_rule_and_a_share():
    from tests.test_scenario import problems

    path = "x.yaml: regions.japan.reserve_release.discount_share"
    ok = build(
        BASE,
        regions__japan__reserve_release={"mode": "tender", "lag_days": 3, "price": "discount", "discount_share": 0.1},
    )
    assert problems(ok) == []
    none = build(BASE, regions__japan__reserve_release={"mode": "tender", "lag_days": 3, "price": "discount"})
    assert f"{path}: price 'discount' needs a discount_share above 0 and below 1" in problems(none)
    stray = build(BASE, regions__japan__reserve_release={"mode": "tender", "lag_days": 3, "discount_share": 0.1})
    assert any(p.startswith(f"{path}: a discount needs price: discount") for p in problems(stray))


def test_both_engines_agree_with_a_tender_and_a_drawn_halt():
    halt = {**HALT, "start": {"distribution": "uniform", "low": 0, "high": 30}, "end": 45}
    data = build(
        BASE,
        horizon_days=60,
        shocks=[halt],
        regions__japan__demand__ree__noise_cv=0.2,
        regions__japan__commercial_stock__ree__tonnes=50,
        regions__japan__reserve_release={"mode": "tender", "lag_days": 6, "standdown_days": 5},
    )
    assert_batch_equals_reference(data, seeds=list(range(12)))


def open_days(short_days: set[int], lag_days: int, standdown_days: int, horizon_days: int) -> list[int]:
    """The days the rule puts the reserve on sale, for firms short on ``short_days``."""
    never = np.array(-(10**9))
    requested_on, last_short, opened = never, never, []
    for day in range(horizon_days):
        requested_on, last_short, on_sale = tender_requests(
            day, np.array(day in short_days), requested_on, last_short, np.array(lag_days), np.array(standdown_days)
        )
        if on_sale:
            opened.append(day)
    return opened


def test_without_a_lag_sales_open_on_the_first_day_short_and_stay_open_until_the_request_lapses():
    # short on days 0 and 1: the request stands from day 0 and lapses 3 days after day 1
    assert open_days({0, 1}, lag_days=0, standdown_days=3, horizon_days=8) == [0, 1, 2, 3]


def test_a_gap_exactly_standdown_days_after_the_last_is_a_new_request_with_a_new_lag():
    # short on days 0-1 and from day 4: the first request opens sales on day 2 and lapses
    # on day 4 (3 days after day 1), so the gap of day 4 is a new request, on sale from day 6
    assert open_days({0, 1, 4, 5, 6}, lag_days=2, standdown_days=3, horizon_days=8) == [2, 3, 6, 7]
    # a gap one day earlier (day 3, 2 days after day 1) is still the first request, which
    # then lapses 3 days after day 4
    assert open_days({0, 1, 3, 4}, lag_days=2, standdown_days=3, horizon_days=8) == [2, 3, 4, 5, 6]
