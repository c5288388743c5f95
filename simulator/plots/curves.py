"""A line per region in a panel, in the region's colour and style.

Layer: studies.
"""

from __future__ import annotations

from matplotlib.axes import Axes

from simulator.names import Names
from simulator.plots.columns import days_as_x, table_column, table_rows
from simulator.plots.style import region_colour, region_dashes
from simulator.results import Result
from simulator.scenario.portfolio import has_demand


def region_style(i: int) -> dict[str, object]:
    """Colour, line style and width of region ``i``: later regions drawn thinner, so overlaps stay visible.

    A colour of its own for each of the first 18 regions (:func:`region_colour`); the first two solid, the others
    dashed, dash-dotted or dash-dot-dotted in turn (:func:`region_dashes`), so that colour is not their only cue.
    """
    return {
        "color": region_colour(i),
        "ls": region_dashes(i),
        "lw": max(1.0, 2.8 - 0.8 * i),
    }


def draw_region_lines(ax: Axes, result: Result, material: str, column: str) -> None:
    """A line per region with demand for ``material`` (:func:`simulator.scenario.portfolio.has_demand`)."""
    names = Names.of(result.scenario)
    days, values = table_column(result, "timeseries", "day"), table_column(result, "timeseries", column)
    for i, region in enumerate(result.structure.regions):
        if not has_demand(result.scenario, region, material):
            continue
        rows = table_rows(result, "timeseries", region=region, material=material)
        ax.plot(days_as_x(result, days[rows]), values[rows], label=names.region(region), **region_style(i))
