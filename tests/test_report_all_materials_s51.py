"""The region tables' All materials column adds no tonnes the rest of the report gives by material.

Where tonnes of a run's materials may not be added (:func:`simulator.scenario.tonnes.tonnes_apart`:
tonnes of oxide and of magnet, or reference prices more than 2 times apart), the column's rows of
tonnes and its share of demand read "by material", and the note under the tables says what a total
would add (:func:`simulator.scenario.tonnes.why_apart`'s words). What does add up over materials
stays: days short (days on which any material was short, a union), first shortfall, lowest cover,
costs in US dollars. Where tonnes may be added, the column keeps their sum. Numbers are worked out by
hand on one region halted for 10 days (tests/helpers.py), and read from the shipped long_embargo_6m.
"""

from __future__ import annotations

import functools
import re

from simulator.scenario.load import load_raw
from tests.helpers import ONE_REGION, ROOT, add_material, build, run, shipped_group, shipped_report, words_page
from tests.test_report_answers import plain, section

HALTED = build(
    ONE_REGION,
    horizon_days=10,
    materials__ree__tonnes_of="oxide",
    regions__japan__commercial_stock__ree__tonnes=0,
    shocks=[{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}],
)
"""Japan cut off from its only supplier over all 10 days, without stock: short of its whole demand of
rare earths, 10 t a day, on each of the 10 days (100 t)."""

APART = build(
    add_material(build(HALTED), "mag", {"price_usd_per_kg": 60, "tonnes_of": "magnet"}, tonnes_per_day=3),
    regions__japan__commercial_stock__mag__tonnes=15,
)
"""With magnets too (3 t a day, priced alike at 60 against 50 USD/kg, but tonnes of magnet): 15 t of
stock last 5 days (end-of-day stock 12, 9, 6, 3, 0), then Japan is short of 3 t a day on days 5 to 9,
15 t in all. Demand 100 t + 30 t; shortfall 100 t + 15 t; days short 10 and 5, of which any material
short on all 10 (a union: not 15)."""

ALIKE = build(APART, materials__mag__tonnes_of="oxide")
"""The same run with the magnets' tonnes counted as oxide too: tonnes that may be added (130 t of demand,
115 t short, 115 / 130 = 88% of demand not met)."""

PRICED = build(ALIKE, materials__mag__price_usd_per_kg=500)
"""Counted alike but priced far apart (500 against 50 USD/kg, more than 2 times)."""


def rows(text: str, region: str) -> dict[str, list[str]]:
    """The plain cells of ``region``'s table by row label (the header row under ``""``)."""
    table = re.search(rf'<table class="member" data-region="{region}">(.*?)</table>', text, re.S)
    assert table is not None
    found = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S):
        label, *values = [plain(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        found[label] = values
    return found


def note(text: str) -> str:
    """The note under the region tables (plain text)."""
    found = re.search(r'<p class="note">\* All materials:(.*?)</p>', section(text, "regions"), re.S)
    assert found is not None
    return plain(found.group(1))


@functools.cache
def report(data_key: str) -> str:
    return words_page(run({"apart": APART, "alike": ALIKE, "priced": PRICED}[data_key]))


def test_tonnes_of_oxide_and_of_magnet_are_not_added_in_the_all_materials_column():
    table = rows(report("apart"), "japan")
    assert table[""] == ["Rare earths", "Mag", "All materials"]
    # each material's own tonnes stay; 100 + 30 = 130 t and 100 + 15 = 115 t are not shown
    assert table["Demand over the horizon (t)"] == ["100 t", "30.0 t", "by material"]
    assert table["Shortfall (t)"] == ["100 t", "15.0 t", "by material"]
    assert table["Share of demand not met"] == ["100%", "50%", "by material"]  # not 115 / 130 = 88%
    assert table["Release received (t)"] == ["0 t", "0 t", "by material"]
    assert not any(cell in ("130 t", "115 t", "88%") for cells in table.values() for cell in cells)
    # days short: on all 10 days some material was short (a union, not 10 + 5 = 15); the first day is day 0
    assert table["Days short"] == ["10", "5", "10*"]
    assert table["First shortfall"] == ["day 0", "day 5", "day 0"]
    # the note says why, in the words of why_apart (tonnes of magnet and tonnes of oxide)
    said = note(report("apart"))
    assert (
        "\u201cBy material\u201d under All materials: a total of tonnes there would add tonnes of magnet and "
        "tonnes of oxide, which count different things; read tonnes and shares of demand by material" in said
    )
    assert "The All materials column adds" not in said


def test_tonnes_that_may_be_added_keep_their_sum_where_unlike_ones_do_not():
    # the same run, tonnes of magnet counted as oxide: 100 + 30 = 130 t of demand, 100 + 15 = 115 t short
    alike = rows(report("alike"), "japan")
    assert alike["Demand over the horizon (t)"] == ["100 t", "30.0 t", "130 t"]
    assert alike["Shortfall (t)"] == ["100 t", "15.0 t", "115 t"]
    assert alike["Share of demand not met"] == ["100%", "50%", "88%"]  # 115 / 130 = 0.885
    assert alike["Days short"] == ["10", "5", "10*"]
    assert "By material" not in note(report("alike"))
    # only the tonnes_of told apart: there the sums give way
    apart = rows(report("apart"), "japan")
    assert apart["Shortfall (t)"][-1] == "by material"
    assert apart["Days short"] == alike["Days short"]


def test_tonnes_of_materials_priced_far_apart_are_not_added_either():
    text = report("priced")
    table = rows(text, "japan")
    assert table["Demand over the horizon (t)"] == ["100 t", "30.0 t", "by material"]
    assert table["Shortfall (t)"] == ["100 t", "15.0 t", "by material"]
    assert table["Share of demand not met"][-1] == "by material"
    assert table["Days short"] == ["10", "5", "10*"]
    assert (
        "a total of tonnes there would add tonnes of materials priced far apart (reference prices: rare earths "
        "50 USD/kg; mag 500 USD/kg), a tonne of one not worth a tonne of another" in note(text)
    )


def test_costs_in_us_dollars_stay_in_the_all_materials_column():
    # 100 t of magnets in a national reserve, never drawn (1,000 t of commercial stock outlast the 10 days),
    # held at 365,000 USD/t/year: 100 x 365,000 / 365 = 100,000 USD a day, USD 1.00 m over 10 days
    held = build(
        APART,
        materials__mag__holding_cost_usd_per_t_year=365_000,
        regions__japan__commercial_stock__mag__tonnes=1000,
        regions__japan__reserve={"mag": {"tonnes": 100}},
    )
    table = rows(words_page(run(held)), "japan")
    assert table["Holding cost (USD m)"] == ["0", "1.00", "1.00"]
    assert table["Net cost of strategic stock (USD m)"] == ["0", "1.00", "1.00"]
    assert table["Shortfall (t)"] == ["100 t", "0 t", "by material"]
    assert table["Demand over the horizon (t)"] == ["100 t", "30.0 t", "by material"]
    assert table["Days short"] == ["10", "0", "10*"]


@shipped_group("long_embargo_6m")
def test_long_embargo_6m_eu_shortfall_is_not_6602_tonnes():
    # the EU is short of 675 t of light rare earths (oxide) and 5,927 t of NdFeB magnets: 6,602 t added
    text = shipped_report("long_embargo_6m")
    eu = rows(text, "eu")
    assert eu[""] == ["Light rare earths", "Heavy rare earths", "NdFeB magnets", "All materials"]
    assert eu["Shortfall (t)"] == ["675 t", "0 t", "5,927 t", "by material"]
    assert eu["Demand over the horizon (t)"][-1] == "by material"
    assert eu["Share of demand not met"][-1] == "by material"
    assert eu["Release received (t)"][-1] == "by material"
    assert "6,602 t" not in section(text, "regions")
    # days short over materials: 139 days of magnets, 42 of light rare earths, all 42 of them within the magnets'
    # 139 (the embargo's last weeks): the union is 139 days, not the 181 a sum would give
    light, heavy, magnets, either = eu["Days short"]
    assert (light, heavy, magnets) == ("42", "0", "139")
    assert either == "139*"
    # costs in US dollars add over materials: the auction spend is the heavy rare earths' alone
    assert eu["Auction spend (USD m)"] == ["0", "5.78", "0", "5.78"]
    assert "would add tonnes of magnet and tonnes of oxide, which count different things" in note(text)


def test_the_region_findings_escape_what_the_scenarios_tonnes_of_say():
    # long_embargo_6m's members are short of oxide and of magnets, so the overall finding gives them by material
    # with why they are not added, quoting each material's tonnes_of: written as HTML, it shows as written, once
    data = load_raw(ROOT / "scenarios" / "long_embargo_6m.yaml")
    for spec in data["materials"].values():
        spec["tonnes_of"] = f"{spec['tonnes_of']} <b>&"
    text = words_page(run(data))
    findings = text.split('<section id="findings"')[1].split("</section>")[0]
    assert "(not added: tonnes of magnet &lt;b&gt;&amp; and tonnes of oxide &lt;b&gt;&amp;)" in findings
    assert "<b>" not in findings
