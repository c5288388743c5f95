"""The IEP rule's departure that docs/release-rules.md quotes ("Where it departs from the IEP").

``iea_ess`` counts as a member's supply what it drew from its commercial stock today, where the
IEP counts production and net imports (Art. 7(2), (3)). With the 2010 halt to Japan
extended through 2011, its cargo lost and none leaking, Japan therefore counts as supplied
while its stock lasts: once the EU's stock has run out (7 Feb 2011, day 221) Japan, the
member cut off, is above its supply right and passes light rare earths to the EU. The
figures are read from the page's paragraph and set against the runs of the command it names
(``stockpile compare`` with the three ``--set``), every rule and both baselines: a change of
the supply measure, or of the page, makes these tests fail, and the paragraph then has to be
rewritten from a rerun of that command.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

import simulator
from simulator.compare import Comparison, compare
from simulator.mechanisms import BASELINE, NAMES, OWN_SHARES
from simulator.scenario import apply_overrides
from simulator.scenario.overrides import parse_assignment
from tests.helpers import ROOT

HALT_THROUGH_2011 = [
    "shocks.china_japan_halt.end=2012-01-01",
    "shocks.china_japan_halt.on_halt=lost",
    "shocks.china_japan_halt.leak_share=0",
]
SCENARIO = ROOT / "scenarios" / "embargo_2010.yaml"
START = dt.date(2010, 7, 1)  # the scenario's day 0

# the module's tests read one comparison (the fixture compared): under pytest -n, in one process
pytestmark = pytest.mark.xdist_group("ess-departure")


def paragraph() -> str:
    """The page's paragraph "Where it departs from the IEP", on one line."""
    page = (ROOT / "docs" / "release-rules.md").read_text(encoding="utf-8")
    start = page.index("**Where it departs from the IEP.**")
    return " ".join(page[start : page.index("\n\n", start)].split())


def tonnes(text: str) -> int:
    return int(text.replace(",", ""))


def day(text: str) -> int:
    return (dt.datetime.strptime(text, "%d %B %Y").date() - START).days


@pytest.fixture(scope="module")
def page() -> dict[str, object]:
    """The paragraph's figures, found by the words around them."""
    text = paragraph()
    # the command the paragraph names is the one these tests run
    for assignment in HALT_THROUGH_2011:
        assert f"--set {assignment}" in text, assignment
    passed = re.search(
        r"Japan passes it ([\d,]+) t of light rare earths from (\d+ \w+ \d{4}) \(and gets ([\d,]+) t", text
    )
    # Japan's shortfall as (light, heavy) tonnes: the tool does not add them (priced far apart), nor does the page
    short = re.search(
        r"Japan is short from that day: ([\d,]+) t of light and ([\d,]+) t of heavy rare earths "
        r"\(not added: priced far apart\), against ([\d,]+) t of light and ([\d,]+) t of heavy with its pool share "
        r"alone, none of light and "
        r"([\d,]+) t of heavy under `need_with_restraint`, ([\d,]+)–([\d,]+) t and ([\d,]+) t under the other rules "
        r"\(([\d,]+) t and ([\d,]+) t without the agreement, first short on (\d+ \w+ \d{4})\)",
        text,
    )
    assert passed and short, text
    return {
        "passed": tonnes(passed[1]),
        "from": day(passed[2]),
        "back": tonnes(passed[3]),
        "short": (tonnes(short[1]), tonnes(short[2])),
        "own": (tonnes(short[3]), tonnes(short[4])),
        "need": (0, tonnes(short[5])),
        "others_light": (tonnes(short[6]), tonnes(short[7])),
        "others_heavy": tonnes(short[8]),
        "alone": (tonnes(short[9]), tonnes(short[10])),
        "alone_from": day(short[11]),
    }


def test_the_page_gives_the_figures_these_tests_were_worked_from(page):
    # 7 Feb 2011 is day 221 from 1 Jul 2010 (184 days to 1 Jan 2011, then 37), 1 Mar 2011 day 243
    assert page == {
        "passed": 1707,
        "from": 221,
        "back": 130,
        "short": (2031, 300),
        "own": (11, 319),
        "need": (0, 309),
        "others_light": (817, 827),
        "others_heavy": 309,
        "alone": (4607, 421),
        "alone_from": 243,
    }


@pytest.fixture(scope="module")
def compared() -> Comparison:
    """The runs of the command the page names (``stockpile compare`` with the three ``--set``), every rule and both
    baselines, made once for both tests: its ``iea_ess`` run is the run of the same data with
    ``--set agreement.mechanism=iea_ess`` (checked in the first test), the one whose days the page describes."""
    raw = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    raw = apply_overrides(raw, [parse_assignment(assignment) for assignment in HALT_THROUGH_2011])
    return compare(raw, list(NAMES), str(SCENARIO))


def test_under_iea_ess_japan_cut_off_passes_supplies_to_the_eu(page, compared):
    result = compared.results["iea_ess"]
    assert result.scenario == simulator.load_scenario(SCENARIO, [*HALT_THROUGH_2011, "agreement.mechanism=iea_ess"])
    t = result.timeseries
    japan = t[t.region == "japan"]
    light = japan[japan.material == "light_ree"]
    passed = light[light.transferred_t < 0]
    assert passed.day.iloc[0] == page["from"] == 221  # 7 Feb 2011 (day 0 is 1 Jul 2010)
    assert round(-passed.transferred_t.sum()) == page["passed"]
    assert round(light[light.transferred_t > 0].transferred_t.sum()) == page["back"]
    # passing on: Japan's transfers and the EU's add up to nothing every day
    eu = t[(t.region == "eu") & (t.material == "light_ree")]
    assert (light.transferred_t.to_numpy() + eu.transferred_t.to_numpy() == 0).all()
    assert japan[japan.shortfall_t > 0].day.min() == page["from"]  # "short from that day"
    heavy = japan[japan.material == "heavy_ree"]
    assert (round(light.shortfall_t.sum()), round(heavy.shortfall_t.sum())) == page["short"]
    assert set(japan.material) == {"light_ree", "heavy_ree"}  # nothing else Japan could be short of


def test_the_page_sets_japans_shortfall_beside_every_other_rule_and_both_baselines(page, compared):
    # the command the page names (stockpile compare, every rule): Japan's shortfall in each row
    table = compared.table().set_index("mechanism")
    # compare.csv leaves shortfall_t.japan empty (light and heavy, priced far apart) and gives each material
    assert table["shortfall_t.japan"].isna().all()
    light = table["shortfall_t.japan.light_ree"].round().astype(int)
    heavy = table["shortfall_t.japan.heavy_ree"].round().astype(int)
    assert (light[BASELINE], heavy[BASELINE]) == page["alone"]
    assert table.loc[BASELINE, "first_shortfall_day.japan"] == page["alone_from"]
    assert table.loc[BASELINE, "first_shortfall_day.eu"] == 221  # without the agreement the EU runs out first too
    assert (light[OWN_SHARES], heavy[OWN_SHARES]) == page["own"]
    assert table.loc["need_with_restraint", "shortfall_t.japan.light_ree"] == 0  # "none", not a rounded 0
    assert (light["need_with_restraint"], heavy["need_with_restraint"]) == page["need"]
    assert (light["iea_ess"], heavy["iea_ess"]) == page["short"]
    others = [BASELINE, OWN_SHARES, "need_with_restraint", "iea_ess"]
    others_light, others_heavy = light.drop(others), heavy.drop(others)
    assert sorted(others_light.index) == sorted(set(NAMES) - {"need_with_restraint", "iea_ess"})  # nine other rules
    assert (others_light.min(), others_light.max()) == page["others_light"]
    assert set(others_heavy) == {page["others_heavy"]}
