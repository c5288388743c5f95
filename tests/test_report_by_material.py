"""The verdict's tables never add tonnes of materials the headline would not add.

Tonnes of gallium metal and germanium metal (materials counted as different things, priced
far apart) are given material by material in every cell that holds both; tonnes of materials
that may be added keep one total. Numbers are worked out by hand on small scenarios
(tests/helpers.py).
"""

from __future__ import annotations

import functools
import re

from tests.helpers import TWO_MEMBERS, add_material, build, run, words_page
from tests.test_report_answers import AMPLE, plain, section

MINOR_METALS = build(
    TWO_MEMBERS,
    horizon_days=10,
    materials={
        "gallium": {"price_usd_per_kg": 300, "tonnes_of": "Ga metal"},
        "germanium": {"price_usd_per_kg": 1500, "tonnes_of": "Ge metal"},
    },
    regions__japan__demand={"gallium": {"tonnes_per_day": 2}, "germanium": {"tonnes_per_day": 1}},
    regions__eu__demand={"gallium": {"tonnes_per_day": 4}, "germanium": {"tonnes_per_day": 3}},
    regions__japan__commercial_stock={"gallium": {"tonnes": 0}, "germanium": {"tonnes": 0}},
    regions__eu__commercial_stock={"gallium": {"tonnes": 0}, "germanium": {"tonnes": 0}},
    regions__japan__sourcing={"gallium": {"china": 1.0}, "germanium": {"china": 1.0}},
    regions__eu__sourcing={"gallium": {"china": 1.0}, "germanium": {"china": 1.0}},
    agreement__pool__contributions={
        "japan": {"gallium": {"tonnes": 100}, "germanium": {"tonnes": 100}},
        "eu": {"gallium": {"tonnes": 100}, "germanium": {"tonnes": 100}},
    },
)
"""Ten days of a full halt on buyers without stock, a pool that outlasts it: the EU needs 4 t of
gallium and 3 t of germanium a day, so without the pool it is short of 40 t of Ga and 30 t of Ge,
and with it receives exactly that from the pool (Japan: 20 t and 10 t)."""


@functools.cache
def minor_metals_report() -> str:
    """The report of ``MINOR_METALS``, made once for the tests that read it (they only read it)."""
    return words_page(run(MINOR_METALS))


def cells(text: str, attribute: str, key: str) -> list[str]:
    """The plain text of each cell of the verdict table's row ``data-<attribute>="<key>"``."""
    row = re.search(rf'<tr data-{attribute}="{key}">(.*?)</tr>', section(text, "verdict"), re.S)
    assert row is not None
    return [plain(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row.group(1), re.S)]


def test_a_member_row_gives_tonnes_of_gallium_and_germanium_apart():
    text = minor_metals_report()
    # Member, short with the stock, with its share alone, without it, received, bought, net, still owns
    eu = cells(text, "member", "eu")
    assert eu[1] == "none" and eu[2] == "none"
    assert eu[3] == "40.0 t of gallium 30.0 t of germanium from day 0"
    assert eu[4].startswith("40.0 t of gallium 30.0 t of germanium ")
    assert "40.0 t of gallium and 30.0 t of germanium by the rule" in eu[4]
    japan = cells(text, "member", "japan")
    assert japan[3] == "20.0 t of gallium 10.0 t of germanium from day 0"
    # 40 + 30 = 70 t and 20 + 10 = 30 t: sums of unlike tonnes, in no cell
    assert not any(re.search(r"\b(70|30)\.0 t\b(?! of)", cell) for cell in eu + japan)
    # the tagged figures are each material's own
    assert 'data-metric="shortfall_t.eu.gallium" data-value="40.0"' in text


def test_outside_the_agreement_and_without_one_the_regions_tonnes_are_by_material_too():
    data = build(MINOR_METALS, agreement=None)
    text = words_page(run(data))
    eu = cells(text, "region", "eu")
    assert eu[1] == "40.0 t of gallium 30.0 t of germanium from day 0"
    assert eu[2] == "0 t"  # no reserve to draw


def test_materials_that_may_be_added_keep_one_total():
    # AMPLE's pool (rare earths only) closes the 200 + 800 t gaps; a second material as rare earths are,
    # priced alike (60 against 50 USD/kg) and counted alike, with no pool: Japan short of 200 t of it
    # and the EU of 800 t with the stock or without it
    data = add_material(build(AMPLE), "ree2", {"price_usd_per_kg": 60})
    text = words_page(run(data))
    eu = cells(text, "member", "eu")
    assert eu[1] == "800 t from day 0"
    assert eu[3] == "1,600 t from day 0"  # 800 t of each, one total: the headline adds them too
    assert eu[4].startswith("800 t ")


def test_tonnes_granted_without_prices_are_given_by_material():
    # without prices a grant is told in tonnes. Under the 50/50 pool the rule's draws are gallium 20 + 40 = 60 t
    # (each member's share 30 t) and germanium 10 + 30 = 40 t (20 t each): the EU took 10 t of each beyond
    # its share, Japan gave 10 t of each (not "took 20.0 t", a sum of Ga and Ge metal)
    unpriced = build(MINOR_METALS, materials__gallium={"tonnes_of": "Ga metal"})
    unpriced = build(unpriced, materials__germanium={"tonnes_of": "Ge metal"})
    text = words_page(run(unpriced))
    eu, japan = cells(text, "member", "eu")[4], cells(text, "member", "japan")[4]
    assert "took 10.0 t of gallium beyond its share, free; took 10.0 t of germanium beyond its share, free" in eu
    assert "gave 10.0 t of gallium of its share, unpaid; gave 10.0 t of germanium of its share, unpaid" in japan
    assert "20.0 t beyond" not in eu and "20.0 t of its share" not in japan


def test_the_region_tables_say_why_their_total_column_does_not_add_tonnes_that_count_different_things():
    # gallium and germanium metal priced alike (300 USD/kg each): not far apart, yet a tonne of one is not
    # a tonne of the other; the All materials column does not add them, and the note under the tables says why
    alike = build(MINOR_METALS, materials__germanium__price_usd_per_kg=300)
    note = plain(section(words_page(run(alike)), "regions"))
    assert (
        "\u201cBy material\u201d under All materials: a total of tonnes there would add tonnes of Ga metal and "
        "tonnes of Ge metal, which count different things;" in note
    )
    assert "priced far apart" not in note
    # priced far apart as well: said once, with both
    note = plain(section(minor_metals_report(), "regions"))
    assert (
        "a total of tonnes there would add tonnes of Ga metal and tonnes of Ge metal, which count different things, "
        "priced far apart as well (reference prices: gallium 300 USD/kg; germanium 1,500 USD/kg), a tonne of one "
        "not worth a tonne of another" in note
    )
