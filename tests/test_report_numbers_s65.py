"""The report's numbers read the same wherever they stand and say what they measure (session 65).

A float and a ``numpy.float64`` of one value give one text, rounded half up as :func:`words.tonnes` rounds:
``round()`` took a ``numpy.float64`` of 54.45 to 54.4 and a float to 54.5, so one pool share read two ways on
one page (the verdict's ``USD 54.5 m``, the region table's ``54.4``).
"""

from __future__ import annotations

import copy
import dataclasses
import html
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from simulator.counterfactuals import without_agreement
from simulator.report import rule, uncertainty, words
from simulator.report.findings import Run, compare_region, region_findings
from simulator.report.verdict import PHYSICAL_ONLY, physical_only_line
from simulator.results import Result
from tests.helpers import ONE_REGION, TWO_MEMBERS, run, words_page
from tests.test_small_shortfall_s65 import pair, with_shortfall

NBSP = words.NBSP


def plain(page: str) -> str:
    """A page's text: tags dropped, entities read, no-break spaces as spaces."""
    return html.unescape(re.sub(r"<[^>]+>", "", page)).replace(NBSP, " ")


AT_A_HALF: list[tuple[Callable[[float], str], float, str]] = [
    (words.usd_m, 54_450_000.0, "54.5"),  # cobalt: Korea's 30 days of 55 t/day at 33 USD/kg
    (words.usd_m, 345_000.0, "0.35"),
    (words.usd_m, 7_655_000.0, "7.66"),
    (words.usd_m, 2_225_000_000.0, "2,230"),
    (words.usd, 54_450_000.0, f"USD{NBSP}54.5{NBSP}m"),
    (words.usd, 345_000.0, f"USD{NBSP}0.35{NBSP}m"),
    (words.usd, 45_300.5, f"USD{NBSP}45,301"),
    (words.usd, 2.5, f"USD{NBSP}3"),
    (words.usd, 1.245e9, f"USD{NBSP}1.25{NBSP}bn"),
    (words.usd_2, 54_500_000.0, f"USD{NBSP}55{NBSP}m"),
    (words.usd_2, 45_500.0, f"USD{NBSP}46,000"),
    (words.price, 21.435, "21.44"),
    (words.price, 156.45, "156.5"),
    (words.price, 1606.5, "1,607"),
    (words.percent, 0.0345, "3.5%"),
    (words.percent, 0.00045, "0.05%"),
    (words.percent, 0.345, "35%"),
    (words.days, 2.45, "2.5"),
    (words.days, 0.25, "0.3"),
    (words.days, 38.65, "38.7"),
    (words.times, 9.45, "9.5x"),
    (words.times, 10.5, "11x"),
    (words.tonnes, 54.45, f"54.5{NBSP}t"),
    (words.tonnes_2, 2.45, f"2.5{NBSP}t"),
    (rule._days_of_demand, 2.5, "3 days"),
    (rule._days_of_demand, 0.25, "0.3 days"),
    (lambda v: uncertainty._figure_number(v, "days"), 142.45, "142.5"),
    (uncertainty._tonnes, 1046.5, f"1,047{NBSP}t"),  # the format's half to even took it to 1,046
    (uncertainty._days, 26.5, f"27{NBSP}days"),
    (uncertainty._days, 0.25, f"0.3{NBSP}days"),
]


@pytest.mark.parametrize(("shown", "value", "half_up"), AT_A_HALF)
def test_a_half_reads_half_up_from_a_float_and_a_numpy_float(
    shown: Callable[[float], str], value: float, half_up: str
) -> None:
    assert shown(value) == half_up
    assert shown(np.float64(value)) == half_up


def test_usd_all_in_millions_from_an_amount_at_a_half() -> None:
    """99,999.5 dollars is USD 100,000 rounded half up, so it and the amounts beside it are in millions."""
    assert words.in_millions([np.float64(99_999.5)]) and words.in_millions([99_999.5])
    assert words.usd_all([99_999.5, 2373.0]) == [f"USD{NBSP}0.10{NBSP}m", f"USD{NBSP}0.002{NBSP}m"]


def test_cost_per_kg_avoided_keeps_its_decimals_when_whole() -> None:
    """TWO_MEMBERS: a pool of 2 x 30 t of rare earths at 50 USD/kg (USD 3.0 m), no holding cost, and the members
    short without it by more than they are with it by those 60 t (a halt all the run: every tonne of the pool
    is drawn and closes a tonne of shortfall): USD 3.0 m over 60,000 kg is USD 50 a kg, written as a cost per
    kg worked out from the run is, with its two decimals (``USD 33`` in one run and ``USD 39.18`` in another
    read as figures of two precisions)."""
    page = plain(words_page(run(TWO_MEMBERS)))
    assert "Per kg of shortfall avoided, buying the whole pool and holding it cost USD 50.00 for rare earths" in page
    assert "reference price (rare earths 50 USD/kg)" in page  # the scenario's own price reads as it writes it


@pytest.mark.parametrize(
    ("value", "text"), [(33.0, "33.00"), (39.18, "39.18"), (39.1, "39.10"), (156.5, "156.5"), (1606.26, "1,606")]
)
def test_a_cost_per_kg_has_the_decimals_its_size_gives(value: float, text: str) -> None:
    assert words.usd_per_kg(value) == words.usd_per_kg(np.float64(value)) == text


def _uncertain_page() -> str:
    data = copy.deepcopy(ONE_REGION)
    data["uncertain"] = [
        {"path": "regions.japan.commercial_stock.ree.tonnes", "low": 50, "high": 150, "source": "assumption"},
        {
            "path": "regions.japan.demand.ree.tonnes_per_day",
            "low": 8,
            "high": 12,
            "label": "Japan's use",
            "source": "a guess",
        },
    ]
    return words_page(run(data))


def test_an_uncertain_input_without_a_label_shows_its_path_once() -> None:
    page = _uncertain_page()
    table = page.split('<table class="uncertain-inputs', 1)[1].split("</table>", 1)[0]
    rows = {plain(r.split("</td>", 1)[0]): r for r in table.split("<tr>")[2:]}
    # no label: the input is named by its path, written once
    assert "regions.japan.commercial_stock.ree.tonnes" in rows
    assert table.count("regions.japan.commercial_stock.ree.tonnes") == 1
    # a label: over its path
    assert 'Japan&#x27;s use<br><code class="source">regions.japan.demand.ree.tonnes_per_day</code>' in table


UNSET_LAG = "arrive the day they are decided: the scenario sets no decision lag nor delivery time."
UNSET_HOLDING = "holding strategic stock USD 0 over the 60 days (the scenario sets no holding cost)."


def test_a_lead_time_and_holding_cost_the_scenario_does_not_set_read_as_unset() -> None:
    """TWO_MEMBERS writes no decision lag, delivery time or holding cost: the schema's 0s read as such, and only
    they (the same 0s written read as given)."""
    page = plain(words_page(run(TWO_MEMBERS)))
    assert f"Releases open 0 days after the first call (time to decide) and {UNSET_LAG}" in page
    assert UNSET_HOLDING in page
    assert "+ holding (the scenario sets no holding cost) + refills" in page  # the members' table's note
    # the same 0s written by the scenario are its input: stated as they are
    data = copy.deepcopy(TWO_MEMBERS)
    data["agreement"] |= {"decision_lag_days": 0, "delivery_days": 0}
    data["materials"]["ree"]["holding_cost_usd_per_t_year"] = 0
    page = plain(words_page(run(data)))
    assert "Releases open 0 days after the first call (time to decide) and arrive the day they are decided." in page
    assert "holding strategic stock USD 0 over the 60 days." in page
    assert "sets no" not in page


def test_a_holding_cost_set_for_one_material_of_two_names_the_other() -> None:
    data = copy.deepcopy(TWO_MEMBERS)
    data["materials"]["ga"] = {"price_usd_per_kg": 400, "holding_cost_usd_per_t_year": 365}
    for member in ("japan", "eu"):
        region = data["regions"][member]
        region["demand"]["ga"] = {"tonnes_per_day": 1}
        region["commercial_stock"]["ga"] = {"tonnes": 0}
        region["sourcing"]["ga"] = {"china": 1.0}
        data["agreement"]["pool"]["contributions"][member]["ga"] = {"tonnes": 5}
    page = plain(words_page(run(data)))
    assert "over the 60 days (the scenario sets no holding cost for rare earths)." in page


HALF_HALTED: dict[str, Any] = {
    "name": "tiny",
    "horizon_days": 40,
    "materials": {"ree": {"price_usd_per_kg": 50}},
    "suppliers": {"china": {"lead_time_days": {"japan": 5}}, "other": {"lead_time_days": {"japan": 5}}},
    "regions": {
        "japan": {
            "demand": {"ree": {"tonnes_per_day": 10}},
            "commercial_stock": {"ree": {"tonnes": 0}},
            "sourcing": {"ree": {"china": 0.6, "other": 0.4}},
        }
    },
    "shocks": [{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 10, "end": 20}],
}
"""10 t/day, 60% of it from China, no stock: China's halt on days 10-19 leaves out its 6 t/day 5 days later, on
days 15-24: 10 days short of 6 t, 60 t in all."""


@pytest.mark.parametrize(("horizon_days", "share"), [(40, "15%"), (80, "7.5%")])
def test_a_share_of_demand_over_the_run_comes_with_the_depth_on_the_days_short(horizon_days: int, share: str) -> None:
    """60 t of 40 x 10 t is 15% over 40 days and 7.5% over 80: the share over the run halves with its length,
    while on the 10 days short Japan lacks 60 t of their 100 t, 60%, either way."""
    data = copy.deepcopy(HALF_HALTED)
    data["horizon_days"] = horizon_days
    page = plain(words_page(run(data)))
    assert (
        f"is short of 60.0 t in all, {share} of its demand over the {horizon_days} days (on its 10 short days it "
        "lacks 60% of its demand)" in page
    )
    assert f"Rare earths: short of 60.0 t ({share} of demand, 60% on the days short) on 10 days" in page


BAND_T = 1e-7
"""A shortfall the kernel counts a day of (above its 1e-9 t) but the report does not (5e-7 t and under:
:func:`simulator.shortages.short`): float residue, which the words show as none."""


@pytest.fixture(scope="module")
def residue_on_day_24() -> tuple[Result, Result, Result]:
    """The pair with 150 t for Japan (no member short: its cover is 0 from day 24 on, 16 days under one day), the
    same run with Japan short of :data:`BAND_T` of rare earths on day 24 in its daily rows, summary and metrics,
    and the run without the agreement."""
    result = run(pair(150))
    changed = with_shortfall(result, BAND_T)
    for name in ("first_shortfall_day.japan", "first_shortfall_day.japan.ree"):
        changed.metrics[name] = 24
    for name in ("shortfall_days.japan", "shortfall_days.japan.ree"):
        changed.metrics[name] = 1
    summary = changed._frames["summary"]
    rows = (summary["region"] == "japan") & (summary["material"] == "ree")
    summary.loc[rows, ["first_shortfall_day", "shortfall_days"]] = [24, 1]
    ts = result.timeseries.copy()
    ts.loc[(ts["region"] == "japan") & (ts["material"] == "ree") & (ts["day"] == 24), "shortfall_t"] = BAND_T
    changed._frames["timeseries"] = ts
    return result, changed, without_agreement(result)


def test_a_residue_the_kernel_counts_a_day_of_is_no_shortfall_in_the_regions_findings(residue_on_day_24) -> None:
    result, changed, _ = residue_on_day_24
    assert region_findings(Run.of(changed), "japan") == region_findings(Run.of(result), "japan")
    said = plain(" ".join(region_findings(Run.of(changed), "japan")))
    assert said.startswith("Japan never runs short;") and "Rare earths: never short;" in said
    assert "on 16 days not short its cover was under one day" in said  # day 24 among them


def test_a_residue_is_no_shortfall_in_the_line_on_physical_stock(residue_on_day_24) -> None:
    """No member short with the joint stock or without it: a residue with it, or without it, reads as none."""
    result, changed, alone = residue_on_day_24
    assert physical_only_line(Run.of(result), Run.of(alone)) == PHYSICAL_ONLY
    assert physical_only_line(Run.of(changed), Run.of(alone)) == PHYSICAL_ONLY
    assert physical_only_line(Run.of(result), Run.of(changed, "alone")) == PHYSICAL_ONLY


def test_counts_of_days_past_a_thousand_are_separated_as_elsewhere() -> None:
    """HALF_HALTED over 1,200 days: 60 t is 0.5% of its 12,000 t, over the 1,200 days (was 'over the 1200 days')."""
    data = copy.deepcopy(HALF_HALTED)
    data["horizon_days"] = 1200
    page = plain(words_page(run(data)))
    assert "is short of 60.0 t in all, 0.5% of its demand over the 1,200 days (on its 10 short days" in page
    assert "over the 1200 days" not in page


def test_a_comparison_names_a_change_of_lowest_cover_only_where_the_words_differ(residue_on_day_24) -> None:
    """A lowest cover of 2.45 days (a numpy.float64, as a run's metrics hold it) against 2.5 reads 2.5 days both
    ways: no 'rises from 2.5 to 2.5 days' (round() took the numpy.float64 to 2.4 and found them apart)."""
    result = residue_on_day_24[0]
    metric = "min_days_of_cover.japan"
    base = dataclasses.replace(result, metrics={**result.metrics, metric: np.float64(2.45)})
    now = dataclasses.replace(result, metrics={**result.metrics, metric: 2.5})
    assert "lowest cover" not in compare_region(Run.of(now), Run.of(base, "baseline"), "japan")
    lower = dataclasses.replace(result, metrics={**result.metrics, metric: 2.4})
    assert "its lowest cover rises from" in plain(compare_region(Run.of(now), Run.of(lower, "baseline"), "japan"))
