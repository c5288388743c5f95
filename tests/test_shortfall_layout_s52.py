"""The report's shortfall figure keeps no blank band when the wrapped grid's last line holds only
materials nobody runs short of (battery_materials at the report's two columns: lithium and cobalt
short, nickel not). That line was one row high, its sentence panel alone; 3.3 inches stood blank. Since session 61
nickel has no panel at all (a sentence under the legend names it: tests/test_shortfall_no_empty_cells_s61.py)."""

from __future__ import annotations

from simulator.plots import shortfall_figure
from simulator.report.figures import REPORT_COLUMNS, REPORT_WIDTH_IN
from tests.helpers import shipped_group, shipped_result


def _visible_titles(fig) -> list[tuple[int, str]]:
    """(grid row, title) of each visible panel, top to bottom."""
    shown = [ax for ax in fig.axes if ax.get_visible()]
    return [(ax.get_subplotspec().rowspan.start, ax.get_title()) for ax in shown]


@shipped_group("battery_materials")
def test_a_last_line_of_materials_nobody_is_short_of_is_one_row():
    result = shipped_result("battery_materials")
    fig = shortfall_figure(result, width_in=REPORT_WIDTH_IN, columns=REPORT_COLUMNS)
    assert REPORT_COLUMNS == 2
    # rows: lithium and cobalt (daily, cumulative); nickel is a sentence under the legend, no row of its own
    assert fig.axes[0].get_subplotspec().get_gridspec().get_geometry() == (2, 2)
    assert _visible_titles(fig) == [(0, "Lithium"), (0, "Cobalt"), (1, ""), (1, "")]


@shipped_group("battery_materials")
def test_a_last_line_with_a_material_someone_is_short_of_keeps_both_rows():
    """The run's own figure: the two materials someone is short of, two rows (nickel, not short, has no column)."""
    result = shipped_result("battery_materials")
    fig = shortfall_figure(result)
    assert fig.axes[0].get_subplotspec().get_gridspec().get_geometry() == (2, 2)
    assert [t for _, t in _visible_titles(fig)] == ["Lithium", "Cobalt", "", ""]
