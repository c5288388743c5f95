"""The report's fairness sentence says once who bears all the shortfall, and names the one region short (session 60,
final read). Figures worked out by hand.
"""

from __future__ import annotations

import copy
from types import SimpleNamespace

import numpy as np
import pandas as pd

from simulator.names import Names
from simulator.report.findings import Run, overall_finding
from simulator.report.sharing import grant_note
from simulator.report.uncertainty import _near_short
from simulator.report.words import NBSP
from tests.helpers import TWO_MEMBERS, build, run
from tests.test_report_answers import plain
from tests.test_report_by_material import MINOR_METALS


def test_a_material_borne_by_one_member_names_it_in_a_list_of_several():
    # no pool, both halted from before day 0, no stock in transit: Japan holds 1,000 t of gallium (10 days x 2 t is
    # 20 t), so only the EU is short of it, 10 x 4 = 40 t: shares (0, 1), Jain 1/2. Germanium: both short of all
    # of it, 10 t and 30 t, shares (1, 1), Jain 1
    world = build(
        MINOR_METALS,
        shocks=TWO_MEMBERS["shocks"],
        agreement__pool__contributions={},
        regions__japan__commercial_stock={"gallium": {"tonnes": 1000}, "germanium": {"tonnes": 0}},
    )
    sentence = plain(overall_finding(Run.of(run(world))))
    assert "short of 40.0 t of gallium and 40.0 t of germanium" in sentence
    assert sentence.endswith("1 = equal): gallium 0.50 (the EU bears it all, one of two members) and germanium 1.00.")
    assert sentence.count("bears it all") == 1


def test_without_an_agreement_the_one_region_short_is_named_not_all_regions():
    # no agreement, only the EU halted all 60 days with no stock: the EU short of 60 x 80 = 4,800 t, Japan of none
    world = copy.deepcopy(TWO_MEMBERS)
    del world["agreement"]
    world["shocks"][0]["regions"] = ["eu"]
    sentence = plain(overall_finding(Run.of(run(world))))
    assert sentence.startswith("Over the 60 days, the EU is short of 4,800 t of rare earths in all")
    assert "all regions are short" not in sentence
    assert sentence.endswith("is 0.50: the EU bears it all (one of two regions).")


def test_some_regions_short_of_three_are_the_regions_together():
    # a third region, South Korea, with the same rare earths and 5,000 t of its own (250 days of 20 t) is never
    # short in the 60 days: Japan and the EU are, so neither "all regions" nor one region's name
    world = copy.deepcopy(TWO_MEMBERS)
    del world["agreement"]
    world["suppliers"]["china"]["lead_time_days"]["korea"] = 5
    world["regions"]["korea"] = {
        "demand": {"ree": {"tonnes_per_day": 20}},
        "commercial_stock": {"ree": {"tonnes": 5000}},
        "sourcing": {"ree": {"china": 1.0}},
    }
    world["shocks"][0]["regions"] = ["japan", "eu", "korea"]
    sentence = plain(overall_finding(Run.of(run(world))))
    assert sentence.startswith("Over the 60 days, the regions together are short of 6,000 t of rare earths in all")


def test_a_grant_that_rounds_to_nothing_is_not_noted():
    # in millions to three decimals: USD 400 is 0.0004 m, shown 0.000 m, which took nothing as shown; USD 2,373
    # is 0.002 m, and USD 400 shown whole (not in millions) is USD 400
    assert grant_note(5.0, 400.0, True) == []
    assert grant_note(-5.0, -400.0, True) == []
    assert [n.replace(NBSP, " ") for n in grant_note(5.0, 2373.0, True)] == ["took USD 0.002 m beyond its share, free"]
    assert [n.replace(NBSP, " ") for n in grant_note(5.0, 400.0, False)] == ["took USD 400 beyond its share, free"]


def _eu_short(light_t: list[float], heavy_t: list[float], factor: float) -> pd.DataFrame:
    """Samples where only the EU is short: of light and heavy rare earths (t) times ``factor``."""
    light, heavy = np.array(light_t) * factor, np.array(heavy_t) * factor
    zero = np.zeros(len(light))
    return pd.DataFrame(
        {
            "shortfall_t.eu": light + heavy,
            "shortfall_t.eu.light": light,
            "shortfall_t.eu.heavy": heavy,
            "shortfall_t.japan": zero,
            "shortfall_t.japan.light": zero,
            "shortfall_t.japan.heavy": zero,
        }
    )


def _clause(light_t: list[float], heavy_t: list[float]) -> str:
    """What the stock does near the record, the first three samples near it, cutting each shortfall to 5%."""
    found = SimpleNamespace(without=_eu_short(light_t, heavy_t, 1.0), samples=_eu_short(light_t, heavy_t, 0.05))
    names = Names({}, {"light": "Light rare earths", "heavy": "Heavy rare earths"})
    near = np.array([True, True, True, False])
    return _near_short(found, names, ["japan", "eu"], ["light", "heavy"], near).replace(NBSP, " ")


def test_the_runs_short_of_each_material_near_the_record_are_counted():
    # light alone in the third run, heavy alone in the first two: runs apart, the heavy ones 'the other two'
    assert _clause([0, 0, 4540, 9000], [35.0, 58.3, 0, 1]).endswith(
        "(4,540 t of light rare earths in one run, 35.0\u201358.3 t of heavy in the other two)"
    )
    # light in the first two, heavy in all three: the heavy runs include the light ones, so counted, not 'other'
    assert _clause([10, 20, 0, 9000], [35.0, 58.3, 40, 1]).endswith(
        "(10.0\u201320.0 t of light rare earths in two runs, 35.0\u201358.3 t of heavy in three)"
    )
    # every near run short of both: each range is over all three, no count needed
    assert _clause([10, 20, 30, 9000], [35.0, 58.3, 40, 1]).endswith(
        "(10.0\u201330.0 t of light and 35.0\u201358.3 t of heavy rare earths)"
    )
