"""The shortfall figure: daily and cumulative shortfall per region, or a sentence when nobody is short.

Layer: studies.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from simulator.names import Names
from simulator.plots.columns import _column, _rows
from simulator.plots.curves import _region_lines
from simulator.plots.finish import finish_figure
from simulator.plots.layout import Panels, empty_panel, format_axis, grid_width_in, sentence_figure
from simulator.plots.shock_bands import clear_lanes, shade_shocks
from simulator.plots.text import plain_text
from simulator.results import Result


def short_materials(result: Result) -> list[str]:
    """Materials some region runs short of."""
    shortfall = _column(result, "timeseries", "shortfall_t")
    return [m for m in result.structure.materials if (shortfall[_rows(result, "timeseries", material=m)] > 0).any()]


def shortfall_figure(result: Result, *, width_in: float | None = None, columns: int | None = None) -> Figure:
    """Daily and cumulative shortfall per region (panel per material), shocks shaded.

    A material nobody runs short of gets a sentence instead of two flat lines; when
    nobody runs short of anything the figure is one short panel saying so in the words
    the report writes in place of the figure (:data:`NO_SHORTFALL`).
    """
    names = Names.of(result.scenario)
    short = short_materials(result)
    if not short:
        return _no_shortfall_figure(result, width_in, columns)
    nobody_short = [m for m in result.structure.materials if m not in short]
    grid = Panels(result, rows=2, width_in=width_in, columns=columns, one_row=nobody_short)
    for material in grid.materials:
        top = grid.cells[0, material]
        top.set_title(plain_text(names.material(material)))
        if material not in short:
            empty_panel(top, f"No region runs short of\n{names.material_text(material)}.")
            if (1, material) in grid.cells:
                grid.cells[1, material].set_visible(False)
            continue
        bottom = grid.cells[1, material]
        for ax, (column, label) in zip(
            (top, bottom),
            (("shortfall_t", "shortfall (t/day)"), ("shortfall_cum_t", "cumulative shortfall (t)")),
            strict=True,
        ):
            lanes = shade_shocks(ax, result, material)
            _region_lines(ax, result, material, column)
            ax.set_ylabel(label)
            ax.set_ylim(bottom=0)
            clear_lanes(ax, lanes)
            format_axis(ax, result, grid.ticks)
    finish_figure(grid.fig, grid.axes(), f"{result.scenario.name}: shortfall (demand not met)", grid.rows, grid.cols)
    return grid.fig


NO_SHORTFALL = "No region runs short of any material in this run."
"""What the shortfall figure and the report say when no region is ever short."""


def _no_shortfall_figure(result: Result, width_in: float | None, columns: int | None) -> Figure:
    """A figure as wide as the shortfall figure would be, one low panel saying that nobody runs short."""
    width = grid_width_in(len(result.structure.materials), columns, width_in)
    return sentence_figure(width, f"{result.scenario.name}: shortfall (demand not met)", NO_SHORTFALL)
