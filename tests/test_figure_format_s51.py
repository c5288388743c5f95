"""The report's figures and tables formatted alike (audit s51 item 12).

- The record's figure (``fit_figure``) dates its axes as every other figure does
  (``simulator.plots.date_ticks``: "Jul" over "2010", level), month starts under monthly
  points, not rotated ISO dates with half-month ticks ("2010-09-15").
- The settlement table's text columns (Member, Material) are left-aligned, as text is in
  the other tables (``td.name``: a short name, not prose, which a phone lays out full width).
- A run figure's legend sits a small fixed gap under the panels' dates whatever its
  number of rows: ``days_of_cover.png`` of embargo_2010 left about 0.37 inch blank.
"""

from __future__ import annotations

import re

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from simulator.calibrate import fit_figure
from simulator.report.figures import REPORT_COLUMNS, REPORT_WIDTH_IN
from simulator.report.html_names import HtmlNames
from simulator.report.ledger import ledger_section
from simulator.report.record import against_record, load_record
from simulator.report.style import CSS
from tests.helpers import FIGURE_SIZES, ROOT, shipped_cover_figure, shipped_group, shipped_result

RECORD = ROOT / "scenarios" / "records" / "rare_earths_2010_2012.csv"


def _dated_panels(fig):
    """The visible panels whose x axis holds dates (all but the totals' bars)."""
    return [ax for ax in fig.axes if ax.get_visible() and not ax.get_title().startswith("totals")]


@shipped_group("embargo_2010")
@pytest.mark.parametrize("size", [{}, {"width_in": REPORT_WIDTH_IN, "columns": REPORT_COLUMNS}])
def test_the_record_figure_dates_its_panels_as_the_run_figures_do(size):
    result = shipped_result("embargo_2010")
    record = load_record(RECORD, result.scenario)
    fig = fit_figure(against_record(result, record), result.scenario, fitted_rows=record.marked, **size)
    panels = _dated_panels(fig)
    assert len(panels) == 4  # two prices, Japan's imports, China's exports
    for ax in panels:
        labels = ax.get_xticklabels()
        assert labels, ax.get_title()
        for label in labels:
            assert re.fullmatch(r"[A-Z][a-z]{2}\n20[0-9]{2}", label.get_text()), (ax.get_title(), label.get_text())
            assert label.get_rotation() == 0
    (exports,) = [ax for ax in panels if ax.get_title().startswith("China's exports")]
    # its points: 1 Sep to 1 Dec 2010, a month apart: a tick at each month start, none between
    assert [t.get_text() for t in exports.get_xticklabels()] == ["Sep\n2010", "Oct\n2010", "Nov\n2010", "Dec\n2010"]


@shipped_group("embargo_2010")
def test_the_settlement_tables_member_and_material_are_left_aligned_text():
    result = shipped_result("embargo_2010")
    html = ledger_section(result, HtmlNames.of(result))
    rows = re.findall(r"<tr>(<td[^>]*>.*?)</tr>", html)
    assert len(rows) == 4  # Japan and the EU, light and heavy
    for row in rows:
        cells = re.findall(r"<td( class=\"[^\"]*\")?>", row)
        assert cells[:2] == [' class="name"', ' class="name"'], row  # Member, Material: names, not prose
        assert all(c == ' class="num"' for c in cells[2:]), row
    assert "td.text, td.source, td.name { text-align: left; }" in CSS
    assert "table.ledger thead th:nth-child(2) { text-align: left; }" in CSS  # the Material header over them


@shipped_group("embargo_2010")
@pytest.mark.parametrize("size", FIGURE_SIZES)
def test_the_cover_figures_legend_sits_a_small_gap_under_the_dates(size):
    fig = shipped_cover_figure("embargo_2010", size)
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    dpi = fig.dpi
    (legend,) = fig.legends
    box = legend.get_window_extent(renderer)
    assert len(legend.get_texts()) == 13  # 13 rows of one column
    lowest = min(ax.get_tightbbox(renderer).y0 for ax in fig.axes if ax.get_visible())  # the dates' lower edge
    gap_in = (lowest - box.y1) / dpi
    assert 0.05 <= gap_in <= 0.15, gap_in  # 0.37 inch before
    width, height = fig.get_size_inches() * dpi
    assert box.y0 >= 0 and box.x0 >= 0 and box.x1 <= width  # the legend whole in the figure
    for ax in fig.axes:
        tight = ax.get_tightbbox(renderer)
        assert tight.y1 <= height and tight.x0 >= 0 and tight.x1 <= width
