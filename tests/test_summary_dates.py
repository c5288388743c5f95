"""When cover is lowest and when the price peaks: the day and the date of each in the summary.

The numbers are worked out by hand on one region of 10 t/day, 100 t of stock and a 5-day
lead time, cut off by an embargo on the shipments that leave on days 5 to 19.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

import simulator
from simulator.fastpath import run_batch
from simulator.output import summary_json
from simulator.plan import compile_plan
from simulator.randomness import draw_batch
from simulator.scenario import validate_data
from tests.helpers import ONE_REGION, add_material, build, run, series

EMBARGO = [{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 5, "end": 20}]
CUT_OFF = build(ONE_REGION, start_date="2010-07-01", shocks=EMBARGO)
"""Nothing arrives on days 10 to 24 (the shipments of days 5 to 19, 5 days late)."""


def japan(result):
    return result.summary.set_index(["region", "material"]).loc[("japan", "ree")]


def test_cover_is_lowest_on_the_first_day_it_reaches_0_and_a_fixed_price_peaks_on_day_0():
    result = run(CUT_OFF)
    row = japan(result)
    # 100 t of stock, 10 t used a day from day 10 on without arrivals: 0 at the end of day
    # 19, and 0 every day after (short on days 20-24, no stock rebuilt after): the first of
    # those tied days is day 19, 1 Jul 2010 + 19 days
    assert series(result, "days_of_cover", "japan")[[9, 10, 18, 19, 39]] == pytest.approx([10, 9, 1, 0, 0])
    assert row["min_days_of_cover"] == 0.0
    assert row["min_days_of_cover_day"] == 19
    assert row["min_days_of_cover_date"] == "2010-07-20"
    assert (row["first_shortfall_day"], row["first_shortfall_date"]) == (20, "2010-07-21")
    # 50 USD/kg on all 40 days: the first day at it is day 0
    assert (row["peak_price_usd_per_kg"], row["peak_price_day"], row["peak_price_date"]) == (50.0, 0, "2010-07-01")
    record = summary_json(result)["records"][0]
    assert record["min_days_of_cover_day"] == 19 and record["min_days_of_cover_date"] == "2010-07-20"
    assert record["peak_price_day"] == 0 and record["peak_price_date"] == "2010-07-01"
    assert result.metrics["min_days_of_cover_day.japan.ree"] == 19
    assert result.metrics["peak_price_day.japan.ree"] == 0
    rows = list(csv.DictReader(io.StringIO(result.tables["summary"].csv_text())))
    assert (rows[0]["min_days_of_cover_day"], rows[0]["min_days_of_cover_date"]) == ("19", "2010-07-20")
    assert rows[-1]["region"] == "all" and rows[-1]["min_days_of_cover_date"] == ""  # agreement-wide rows: empty


@pytest.mark.parametrize(("sensitivity", "day", "date"), [(1.0, 20, "2010-07-21"), (3.0, 17, "2010-07-18")])
def test_the_price_peaks_on_the_first_day_it_reaches_its_cap(sensitivity, day, date):
    # the buyers' position (stock + in transit) is 100 + 5 x 10 = 150 t, falling by 10 t a day
    # from day 5 to 0 at the end of day 19; a day's price is 50 x (150 / yesterday's position)^s,
    # capped at 100 x 50 = 5,000 USD/kg. s = 1: only day 20 (position 0) reaches the cap;
    # s = 3: days 17 to 23 do (positions of 30, 20, 10, 0, then 10, 20, 30 t as stock comes
    # back: 50 x 5^3 = 6,250 > 5,000), the first of them is the peak's day
    market = {"ree": {"price": {"sensitivity": sensitivity, "adjustment_days": 1.0}}}
    result = run(build(CUT_OFF, market=market))
    price = series(result, "price_usd_per_kg", "japan")
    at_cap = np.flatnonzero(price == 5000.0)
    assert at_cap.tolist() == ([20] if sensitivity == 1.0 else list(range(17, 24)))
    row = japan(result)
    assert (row["peak_price_usd_per_kg"], row["peak_price_day"], row["peak_price_date"]) == (5000.0, day, date)
    # the fast path gives the same days
    plan = compile_plan(validate_data(build(CUT_OFF, market=market)))
    fast = run_batch(plan, draw_batch([plan], [0])).summary
    assert fast["peak_price_day"][0, 0, 0] == day and fast["min_days_of_cover_day"][0, 0, 0] == 19


def test_without_a_start_date_the_days_stay_and_the_dates_are_empty():
    result = run(build(ONE_REGION, shocks=EMBARGO))
    row = japan(result)
    assert row["min_days_of_cover_day"] == 19 and row["peak_price_day"] == 0
    assert row["min_days_of_cover_date"] == row["peak_price_date"] == ""  # as the daily tables' date column
    record = summary_json(result)["records"][0]
    assert record["min_days_of_cover_date"] == record["peak_price_date"] == ""


def test_no_cover_and_no_price_give_no_day():
    # a second material with neither demand (no days of cover) nor a price (no price)
    data = add_material(build(CUT_OFF), "other", {}, tonnes_per_day=0)
    row = run(data).summary.set_index(["region", "material"]).loc[("japan", "other")]
    assert np.isnan(row["min_days_of_cover"]) and row["min_days_of_cover_day"] == -1
    assert row["min_days_of_cover_date"] == row["peak_price_date"] == ""
    assert row["peak_price_day"] == -1


def test_the_python_api_shows_no_day_as_missing_as_it_shows_never_short():
    # the Python API's tables give a day number's -1 as <NA>: never short, no cover, no price
    data = add_material(build(CUT_OFF), "other", {}, tonnes_per_day=0)
    summary = simulator.run(data).summary.set_index(["region", "material"])
    other = summary.loc[("japan", "other")]
    assert other[["first_shortfall_day", "min_days_of_cover_day", "peak_price_day"]].isna().all()
    assert summary.loc[("japan", "ree"), "min_days_of_cover_day"] == 19
