"""Demand given up at high prices is said beside the shortfall (audit of the replay's report, item 2).

With a demand response a region's ``demand_t`` is what the price left of its demand: "Share of demand
not met 0%" read as if nothing was lost while the replay's Japan gave up about 10,000 t. The region
tables name that row for what it is and add the demand given up; the overall finding says it.

The world: Japan (20 t/day) and the EU (80 t/day), no stock, China's supply halved for 60 of 121 days,
a market whose price answers it and demand with a short-run elasticity of -0.3; no noise, so each
day's baseline demand is 100 t in all and 12,100 t over the run.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from simulator.report.words import NBSP
from tests.helpers import TWO_MEMBERS, build, run, words_page

CUT = [{"id": "cut", "kind": "quota_cut", "supplier": "china", "start": 20, "end": 80, "severity": 0.5}]
WORLD = build(TWO_MEMBERS, horizon_days=121, shocks=CUT)
RESPONDS = build(
    WORLD,
    market={"ree": {"price": {"sensitivity": 3.0, "adjustment_days": 10.0}, "demand": {"short_run_elasticity": -0.3}}},
)


def _rows(html: str, region: str) -> dict[str, list[str]]:
    table = re.search(rf'<table class="member" data-region="{region}">.*?</table>', html, re.S)
    assert table
    return {
        unescape(label): [unescape(c).replace(NBSP, " ") for c in re.findall(r"<td>(.*?)</td>", cells)]
        for label, cells in re.findall(r"<tr[^>]*><th>(.*?)</th>(.*?)</tr>", table.group())
    }


def _plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).replace(NBSP, " ")


def test_the_tables_and_finding_say_the_demand_given_up_at_high_prices():
    result = run(RESPONDS)
    ts = result.timeseries
    html = words_page(result)
    given = {}
    for region in ("japan", "eu"):
        rows = ts[ts["region"] == region]
        used, destroyed = rows["demand_t"].sum(), rows["demand_destroyed_t"].sum()
        # what was used and what was given up make up the baseline: 20 or 80 t a day for 121 days
        assert used + destroyed == pytest.approx(121 * (20 if region == "japan" else 80), rel=1e-9)
        assert destroyed > 100 and rows["shortfall_t"].sum() > 0
        table = _rows(html, region)
        assert "Demand over the horizon (t)" not in table and "Share of demand not met" not in table
        assert table["Share of that demand not met"][0] == f"{rows['shortfall_t'].sum() / used:.0%}"
        given[region] = destroyed
    # the two rows to the tonne, so that they add up to the baseline: Japan 2,101 + 319 = 2,420 t (20 t x 121
    # days), the EU 8,403 + 1,277 = 9,680 t (80 t x 121); at two significant figures the EU's would read 1,300 t
    japan, eu = _rows(html, "japan"), _rows(html, "eu")
    assert japan["Demand after the price response (t)"] == ["2,101 t"] * 2
    assert japan["Demand given up at high prices (t)"] == ["319 t"] * 2
    assert eu["Demand after the price response (t)"] == ["8,403 t"] * 2
    assert eu["Demand given up at high prices (t)"] == ["1,277 t"] * 2
    assert 2101 + 319 == 121 * 20 and 8403 + 1277 == 121 * 80
    # the sentence keeps two significant figures, as the price section: 319 t + 1,277 t = 1,596 t, said 1,600 t, 13%
    # of the 12,100 t baseline
    total = given["japan"] + given["eu"]
    assert f"{total:.2g}" == "1.6e+03" and f"{total / 12100:.0%}" == "13%"
    assert (
        "at high prices the members gave up 1,600 t of demand (13% of what they would have used), none of it "
        "counted as shortfall." in _plain(html)
    )


def test_without_a_demand_response_demand_is_the_horizons_and_nothing_is_given_up():
    result = run(WORLD)
    html = words_page(result)
    table = _rows(html, "eu")
    # the EU's 80 t a day over 121 days, all of it its demand: the price does not touch it
    assert table["Demand over the horizon (t)"] == ["9,680 t"] * 2
    assert "Share of demand not met" in table and "Demand given up at high prices (t)" not in table
    assert "Demand after the price response (t)" not in table and "gave up" not in _plain(html)
