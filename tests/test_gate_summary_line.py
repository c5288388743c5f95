"""The one-line summary of a drift (JUnit ``message``, GitHub annotation, Markdown): what it calls largest is.

It leads with the total shortfall when that moved, and called it "largest" whatever its
size: ``largest: total_shortfall_t ... (+0.5%), released_t ... (+10.5%)`` (seen in an audit
of ``stockpile check --junit`` after a scenario's demand was raised by 8%).
"""

from __future__ import annotations

from simulator.gate.compare import Drift, Outcome
from simulator.gate.formats import moved_summary

CAUSE = "3 number(s) moved beyond tolerance; scenario unchanged: the code moved the numbers"
RELEASED = Drift("s", "japan", "light_ree", "released_t", 2048.59, 2264.51)  # +215.92, 215.92 / 2048.59 = +10.5%
DEMAND = Drift("s", "japan", "all", "demand_t", 34821.0, 37595.0)  # +2774, 2774 / 34821 = +8.0%


def test_a_total_shortfall_that_is_not_the_largest_move_leads_but_is_not_called_largest():
    total = Drift("s", "all", "all", "total_shortfall_t", 7111.33, 7147.54)  # +36.21, 36.21 / 7111.33 = +0.5%
    assert moved_summary(Outcome("s", "s.yaml", "drift", [DEMAND, total, RELEASED])) == (
        f"{CAUSE}; total_shortfall_t 7111.33 -> 7147.54 (+36.21, +0.5%); largest: released_t japan/light_ree "
        "2048.59 -> 2264.51 (+215.92, +10.5%), demand_t japan/all 34821 -> 37595 (+2774, +8.0%)"
    )


def test_a_total_shortfall_that_is_the_largest_move_is_the_first_of_the_largest():
    total = Drift("s", "all", "all", "total_shortfall_t", 5000, 5940)  # +940, 940 / 5000 = +18.8%
    assert moved_summary(Outcome("s", "s.yaml", "drift", [DEMAND, total, RELEASED])) == (
        f"{CAUSE}; largest: total_shortfall_t 5000 -> 5940 (+940, +18.8%), released_t japan/light_ree "
        "2048.59 -> 2264.51 (+215.92, +10.5%), demand_t japan/all 34821 -> 37595 (+2774, +8.0%)"
    )
