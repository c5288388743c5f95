"""The supply mix on the report's page: did other suppliers fill the gap a shock left?

``stockpile run`` wrote ``supply_mix.png`` but the report did not show it. It is now in
"Days of cover and shortfall", at the report's width with two panels a row.
"""

from __future__ import annotations

import re

import pytest

from simulator.plots import supply_mix_figure
from simulator.report.figures import REPORT_COLUMNS, REPORT_WIDTH_IN
from tests.helpers import shipped_group, shipped_report, shipped_result


@shipped_group("embargo_2010")
def test_the_curves_section_shows_the_supply_mix_with_its_question():
    # render_report(shipped_result, alone=shipped_alone) in full, the page the report tests of embargo_2010 read too
    html = shipped_report("embargo_2010")
    section = re.search(r'<section id="curves">.*?</section>', html, re.S).group(0)
    figure = re.search(r'<figure data-figure="supply_mix">.*?</figure>', section, re.S)
    assert figure is not None
    assert "<svg" in figure.group(0) and "supply by supplier" in figure.group(0)
    assert "Did other suppliers fill the gap?" in figure.group(0)
    # the suppliers the EU's light rare earths came from are named in its key
    assert "China" in figure.group(0) and "European re-processors" in figure.group(0)


@shipped_group("long_embargo_6m")
def test_at_the_reports_width_three_materials_wrap_two_panels_a_row():
    result = shipped_result("long_embargo_6m")
    regions, materials = len(result.structure.regions), len(result.structure.materials)
    assert (regions, materials) == (2, 3)
    fig = supply_mix_figure(result, width_in=REPORT_WIDTH_IN, columns=REPORT_COLUMNS)
    assert fig.get_size_inches()[0] == pytest.approx(REPORT_WIDTH_IN)
    shown = [ax for ax in fig.axes if ax.get_visible() and ax.get_title()]
    assert len(shown) == regions * materials  # a panel per region and material, none lost to the wrap
    rows: dict[float, int] = {}
    for ax in shown:
        y = round(ax.get_position().y0, 3)
        rows[y] = rows.get(y, 0) + 1
    assert sorted(rows.values()) == [1, 1, 2, 2]  # per region: two materials, then the third
    # the PNG's layout is unchanged: a row per region, a column per material
    png = supply_mix_figure(result)
    assert len({round(ax.get_position().y0, 3) for ax in png.axes if ax.get_visible()}) == regions
