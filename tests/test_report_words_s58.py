"""A policy reader's findings on the 2010 replay's report (session 58), tested on hand-worked numbers.

1. Tonnages named no material: "The EU's 30.0 t share of the joint pool", "Members' open needs on those days came to
   364 t", "(10,000 t of demand destroyed)", "China's exports to Japan and the EU, 12,462 t in 2011". Each now says
   of what.
2. Ids where a reader needs words: the uncertain inputs' values and ranges read ``light_ree 21.43 USD/kg``,
   ``china 81%, europe_reprocessors 10%`` and ``one of fair_ratio, hybrid``; they now give the names the report
   uses everywhere else (materials, suppliers, release rules).
3. "Wanted 18% less" (the run's average) sat beside a price figure whose realised demand falls to 78% (its lowest
   day): the sentence now says which is which, and gives the lowest day's cut too.
4. The Largest columns are the worst sample in days of demand, yet their cells led with tonnes: the days now lead.
5. A headline total of tonnes that may be added ("the members' shortfall from 6,000 t to 5,940 t") said no more
   of what than the findings' "294 t in all": each says what it adds.
"""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pandas as pd
import pytest

from simulator.names import Names
from simulator.report.prices import _wanted_less, deepest_cut
from simulator.report.uncertainty import NO_SIZE, _largest_cell
from simulator.table import Table
from tests.helpers import TWO_MEMBERS, add_material, build, run, words_page
from tests.test_report import MAGNETS
from tests.test_report_answers import AMPLE, plain
from tests.test_report_pool_units import _cells


def test_the_open_needs_beside_a_release_name_their_material():
    # Japan puts 10 t of magnets into the pool; the EU, short of them, draws all 10 t on one day, its open need
    # that day 10 t (tests/test_report.py, the member holding a material it does not use)
    text = plain(words_page(run(build(MAGNETS, agreement__pool__contributions__japan__mag={"tonnes": 10}))))
    assert "Members' open needs of mag on those days came to 10.0 t." in text
    assert "open needs on those days" not in text


def _demand(days_t: list[float], baseline_t: list[float]) -> SimpleNamespace:
    """A run (as the price sentences read it) of one region and material with these daily demands, from 1 Jan 2011."""
    table = pd.DataFrame(
        {
            "day": range(len(days_t)),
            "region": "eu",
            "material": "ree",
            "demand_t": days_t,
            "baseline_demand_t": baseline_t,
        }
    )
    result = SimpleNamespace(
        timeseries=table,
        tables={"timeseries": Table({name: table[name].to_numpy() for name in table})},
        structure=SimpleNamespace(regions=("eu",)),
        start_date=dt.date(2011, 1, 1),
    )
    return SimpleNamespace(result=result, names=Names({}, {"ree": "Rare earths"}))


def test_the_price_sentence_says_the_runs_average_cut_and_the_deepest_days_apart():
    # baseline 10 t a day; demand 10, 8, 7, 9: over the run 34 of 40 t, 15% less on average; on day 2 (3 Jan) 7 of
    # 10 t, 30% less, the low point a figure of realised demand shows (70% of baseline)
    fell = _demand([10.0, 8.0, 7.0, 9.0], [10.0] * 4)
    assert deepest_cut(fell, "eu", "ree") == (pytest.approx(0.3), 2)
    assert _wanted_less(fell, "eu", "ree", 0.15, "6 t") == (
        "; at these prices it wanted 15% less than its baseline demand on average over the whole run "
        "(6 t of demand for rare earths destroyed) and 30% less on the day it wanted least, 3 Jan 2011"
    )
    # the same cut every day: the lowest day says nothing more, and is not said
    even = _demand([8.0] * 4, [10.0] * 4)
    assert _wanted_less(even, "eu", "ree", 0.2, "8 t").endswith(
        "on average over the whole run (8 t of demand for rare earths destroyed)"
    )
    # a day without baseline demand has no share of it: 0 of 0 t is no cut of 100%
    idle = _demand([0.0, 9.0, 5.0], [0.0, 10.0, 10.0])
    assert deepest_cut(idle, "eu", "ree") == (0.5, 2)
    assert deepest_cut(_demand([0.0], [0.0]), "eu", "ree") is None


def test_the_largest_cells_lead_with_the_days_of_demand_they_are_the_worst_in():
    # the column's worst sample is the one most days of its demand short (91 days), not the most tonnes: the days
    # come first, its tonnes of the material under them
    largest = (("171\u00a0t of heavy rare earths", "91\u00a0days of its demand"),)
    assert _largest_cell(1, NO_SIZE, largest) == (
        "91\u00a0days of its demand<br><small>171\u00a0t of heavy rare earths</small>"
    )
    # a material without demand as written has no days: its tonnes alone; a column with no sample short: none
    assert _largest_cell(2, NO_SIZE, (("4\u00a0t of magnets", ""),)) == "4\u00a0t of magnets"
    assert _largest_cell(0, NO_SIZE, largest) == "none"


def test_the_uncertain_inputs_name_materials_suppliers_and_release_rules_as_the_report_does():
    data = build(AMPLE)
    source = {"source": "test"}
    data["uncertain"] = [
        {"path": "agreement.mechanism", "values": ["fair_ratio", "proportional_to_demand"], **source},
        {"path": "agreement.pool.refill_t_per_day", "values": [{}, {"ree": 2.5}], **source},
        {"path": "regions.eu.sourcing.ree", "values": [{"china": 1.0}, {"china": 0.85, "japan_mine": 0.15}], **source},
    ]
    data["suppliers"]["japan_mine"] = {"lead_time_days": {"japan": 1, "eu": 1}}
    page = words_page(run(data))
    # the rule by its label ("fair ratio"), as the page's header names the run's rule
    assert _cells(page, "agreement.mechanism") == ("fair ratio", "one of fair ratio, proportional to demand")
    # the material ree by its name, rare earths; the suppliers by theirs (no label: made from the id)
    assert _cells(page, "agreement.pool.refill_t_per_day") == ("none", "one of none, rare earths 2.5 t/day")
    assert _cells(page, "regions.eu.sourcing.ree") == (
        "China 100%",
        "one of: \u2022 China 100% \u2022 China 85%, Japan mine 15%",
    )
    # no id is left in a value or range (an input's path stays under its label: it is what --set takes)
    table = page.split('<table class="uncertain-inputs', 1)[1].split("</table>", 1)[0]
    cells = " ".join(re.findall(r'data-label="(?:Value used|Range)">(.*?)</td>', table))
    assert not re.search(r"fair_ratio|proportional_to_demand|japan_mine|\bree\b|\bchina\b", cells), cells


def test_a_headline_total_of_tonnes_that_may_be_added_says_what_it_adds():
    # TWO_MEMBERS without an agreement: China's shipments halted all 60 days, no stock. Light rare earths (20 and
    # 80 t/day) and heavy (5 t/day each), priced alike, so their tonnes may be added: Japan 60 x (20 + 5) = 1,500 t,
    # the EU 60 x (80 + 5) = 5,100 t, 6,600 t in all; a total still says what it adds, once where all share it
    data = build(TWO_MEMBERS, materials__ree__label="Light rare earths")
    del data["agreement"]
    add_material(data, "hree", {"label": "Heavy rare earths", "price_usd_per_kg": 50}, tonnes_per_day=5)
    text = plain(words_page(run(data)))
    assert (
        "There is no joint stock in this scenario: Japan is short of 1,500 t and the EU of 5,100 t of light and "
        "heavy rare earths." in text
    )
    assert "all regions are short of 6,600 t of light and heavy rare earths in all" in text


def test_no_shortfall_says_it_is_of_no_material():
    # AMPLE: a 2,000 t pool and stock enough; over its 10 days no member is short of anything
    text = plain(words_page(run(build(AMPLE))))
    assert "Over the 10 days, no member runs short (0 t of shortfall of any material)" in text
