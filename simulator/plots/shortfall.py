"""The shortfall figure: daily and cumulative shortfall per region of the materials someone runs short of.

Layer: studies.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from simulator.names import Names, join_words
from simulator.plots.columns import table_column, table_rows
from simulator.plots.curves import draw_region_lines
from simulator.plots.finish import finish_figure
from simulator.plots.layout import Panels, format_axis, grid_width_in, sentence_figure
from simulator.plots.shock_bands import clear_lanes, shade_shocks
from simulator.plots.text import plain_text
from simulator.results import Result
from simulator.shortages import short


def short_materials(result: Result) -> list[str]:
    """Materials some region runs short of, in the scenario's order.

    Every region, members or not: the figure draws each region's curve. Read from the run's daily curves, any day
    (:func:`simulator.shortages.short`), not from the runs' totals (``shortfall_t.<region>.<material>``) that
    ``stockpile compare``, the studies and the sweep's figures ask (:func:`simulator.shortages.short_of`): the
    same decision, of another input.
    """
    shortfall = table_column(result, "timeseries", "shortfall_t")
    return [
        m for m in result.structure.materials if short(shortfall[table_rows(result, "timeseries", material=m)]).any()
    ]


def shortfall_figure(result: Result, *, width_in: float | None = None, columns: int | None = None) -> Figure:
    """Daily and cumulative shortfall per region (panel per material someone runs short of), shocks shaded.

    Materials nobody runs short of get no panels: a sentence under the legend names them
    (:func:`nobody_short_note`). Their sentence panels had left hidden cells under them, a
    blank band where their cumulative panels would be (``gallium_pool``: three of four
    columns). When nobody runs short of anything the figure is one short panel saying so in
    the words the report writes in place of the figure (:data:`NO_SHORTFALL`).
    """
    names = Names.of(result.scenario)
    short = short_materials(result)
    if not short:
        return _no_shortfall_figure(result, width_in, columns)
    grid = Panels(result, rows=2, materials=short, width_in=width_in, columns=columns)
    for material in grid.materials:
        top, bottom = grid.cells[0, material], grid.cells[1, material]
        top.set_title(plain_text(names.material(material)))
        for ax, (column, label) in zip(
            (top, bottom),
            (("shortfall_t", "shortfall (t/day)"), ("shortfall_cum_t", "cumulative shortfall (t)")),
            strict=True,
        ):
            lanes = shade_shocks(ax, result, material)
            draw_region_lines(ax, result, material, column)
            ax.set_ylabel(label)
            ax.set_ylim(bottom=0)
            clear_lanes(ax, lanes)
            format_axis(ax, result, grid.ticks)
    finish_figure(
        grid.fig,
        grid.axes(),
        f"{result.scenario.name}: shortfall (demand not met)",
        grid.rows,
        grid.cols,
        footnote=nobody_short_note(result, short),
    )
    return grid.fig


def nobody_short_note(result: Result, short: list[str]) -> str | None:
    """The sentence naming the materials of ``result`` not in ``short`` (``No region runs short of nickel.``); None."""
    names = Names.of(result.scenario)
    others = [m for m in result.structure.materials if m not in short]
    if not others:
        return None
    return f"No region runs short of {join_words([names.material_text(m) for m in others], 'or')}."


NO_SHORTFALL = "No region runs short of any material in this run."
"""What the shortfall figure and the report say when no region is ever short."""


def _no_shortfall_figure(result: Result, width_in: float | None, columns: int | None) -> Figure:
    """A figure as wide as the shortfall figure would be, one low panel saying that nobody runs short."""
    width = grid_width_in(len(result.structure.materials), columns, width_in)
    return sentence_figure(width, f"{result.scenario.name}: shortfall (demand not met)", NO_SHORTFALL)
