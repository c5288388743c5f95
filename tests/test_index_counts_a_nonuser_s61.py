"""Where tonnes may be added, Jain's index runs over all materials, and the report says whom it counts as bearing none.

A member with demand for some material but none for the one short cannot be short of it; the index over all
materials still counts it, with a share of 0, and so is pulled down by a member who could not have borne any of
the shortfall. The overall finding says so, naming that member: "the index counts South Korea, which uses none, as
bearing none", after both "with the shortfall on both members using rare earths" and "the EU bears it all".

The world (the s48 audit's, tests/test_report_s48_audit.py, but with gallium priced as rare earths are, 50 USD/kg,
so that tonnes may be added and the index is over all materials): TWO_MEMBERS' Japan (20 t/day) and the EU
(80 t/day) of rare earths, cut off by China all 60 days, and South Korea, a third member using only gallium (5 t/day,
100 t of its own stock, 20 days' worth), which nobody is short of.
"""

from __future__ import annotations

from simulator.report.findings import Run, overall_finding
from simulator.results import Result
from tests.helpers import build, run, with_korea_on_gallium
from tests.test_report import plain

DAYS = 60
COUNTS_KOREA = "the index counts South Korea, which uses none, as bearing none"


def _shortfall_t(result: Result) -> dict[tuple[str, str], float]:
    """Each member's shortfall of each material over the run (t), from summary.csv's rows."""
    rows = result.summary[result.summary["region"] != "all"]
    return {(r, m): float(t) for r, m, t in zip(rows["region"], rows["material"], rows["shortfall_t"], strict=True)}


def _jain(shares: list[float]) -> float:
    """Jain's index (sum x)^2 / (n sum x^2) of the shares ``x``, by its definition."""
    return sum(shares) ** 2 / (len(shares) * sum(x * x for x in shares))


def test_both_rare_earth_users_short_korea_counted_as_bearing_none():
    result = run(with_korea_on_gallium(50))
    short = {key: t for key, t in _shortfall_t(result).items() if t > 0}
    assert set(short) == {("japan", "ree"), ("eu", "ree")}  # nobody short of gallium
    # shares of each member's demand for every material: Japan 20 t/day, the EU 80 t/day, Korea 5 t/day (of gallium)
    shares = [short["japan", "ree"] / (20 * DAYS), short["eu", "ree"] / (80 * DAYS), 0.0]
    assert 0.6 < _jain(shares) < 0.7  # Korea's 0 pulls it from near 1 (both others near 100% short) to about 2/3
    text = plain(overall_finding(Run.of(result)))
    assert f"is {_jain(shares):.2f}, with the shortfall on both members using rare earths ({COUNTS_KOREA})." in text, (
        text
    )


def test_one_bearer_of_three_korea_counted_as_bearing_none():
    # Japan with 5,000 t of its own (250 days of its 20 t/day) is never short: the EU bears it all
    result = run(build(with_korea_on_gallium(50), regions__japan__commercial_stock__ree__tonnes=5000))
    short = {key: t for key, t in _shortfall_t(result).items() if t > 0}
    assert list(short) == [("eu", "ree")]
    # one share above 0 of three: the index is 1/3 whatever the EU's share
    assert round(_jain([0.0, short["eu", "ree"] / (80 * DAYS), 0.0]), 9) == round(1 / 3, 9)
    text = plain(overall_finding(Run.of(result)))
    assert f"is 0.33: the EU bears it all (one of three members; {COUNTS_KOREA})." in text, text
