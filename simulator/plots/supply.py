"""The supply-mix figure: arrivals by supplier over time, a panel per region and material.

Layer: studies.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simulator.names import Names
from simulator.palette import SUPPLIER_COLOURS
from simulator.plots.columns import days_as_x, table_column, table_rows
from simulator.plots.finish import finish_figure
from simulator.plots.layout import empty_panel, format_axis, grid_width_in, wrapped_grid, wrapped_width_in
from simulator.plots.text import plain_text
from simulator.results import Result
from simulator.scenario.portfolio import has_demand


def supply_mix_figure(result: Result, *, width_in: float | None = None, columns: int | None = None) -> Figure:
    """Arrivals by supplier over time (stacked areas, 7-day means), region x material.

    A panel stacks the suppliers that deliver to it on some day, each in its own colour
    in every panel (:data:`~simulator.palette.SUPPLIER_COLOURS`, none a shock's), opaque and parted by
    thin white lines; the legend names only those (not a supplier whose capacity starts
    after the horizon). A pair of region and material with nothing to draw says why in
    words instead of an empty frame: the region has no demand for the material, or
    nothing arrives.

    A region's panels are side by side up to ``columns`` (all of them by default), then
    wrap to further rows; ``width_in`` sets the width, as for the other figures (the
    report's: :data:`simulator.report.figures.REPORT_WIDTH_IN`, two panels a row). The PNG (neither set) of more
    than :data:`SUPPLY_REGIONS_DOWN` regions is turned over: a material's regions side by side, wrapped as
    ``compare.png``'s members (:func:`_regions_across`), not a row per region :data:`SUPPLY_ROW_IN` tall.
    """
    names = Names.of(result.scenario)
    regions, materials = result.structure.regions, result.structure.materials
    if columns is None and width_in is None and len(regions) > SUPPLY_REGIONS_DOWN:
        fig, axes, ticks = _regions_across(len(regions), len(materials))
    else:
        cols = len(materials) if columns is None else max(1, min(len(materials), columns))
        blocks = -(-len(materials) // cols)  # rows of panels per region
        panel_in = SUPPLY_ROW_IN if width_in is None else SUPPLY_REPORT_ROW_IN
        height_in = panel_in * len(regions) * blocks + SUPPLY_TOP_IN
        fig = Figure(figsize=(grid_width_in(len(materials), columns, width_in), height_in))
        grid = np.atleast_2d(fig.subplots(len(regions) * blocks, cols, squeeze=False))
        axes = np.empty((len(regions), len(materials)), dtype=object)
        for i in range(len(regions)):
            for j in range(len(materials)):
                block, col = divmod(j, cols)
                axes[i, j] = grid[i * blocks + block, col]
        _hide_unused(grid, axes)
        ticks = 6 if grid_width_in(len(materials), columns, width_in) / cols >= 4.0 else 4
    suppliers = result.structure.suppliers
    days, arrivals = table_column(result, "supply", "day"), table_column(result, "supply", "arrivals_t")
    layers: dict[int, Any] = {}  # each supplier drawn: its first layer, for the legend
    for i, region in enumerate(regions):
        for j, material in enumerate(materials):
            ax = axes[i, j]
            ax.set_title(plain_text(f"{names.region(region)}: {names.material_text(material)}"), fontsize=10)
            cell = table_rows(result, "supply", region=region, material=material)
            by_supplier = [table_rows(result, "supply", supplier=s) & cell for s in suppliers]
            drawn = [k for k, rows in enumerate(by_supplier) if (arrivals[rows] > 0).any()]
            if not drawn:
                used = has_demand(result.scenario, region, material)
                empty_panel(ax, "Nothing arrives." if used else f"No demand for {names.material_text(material)}.")
                continue
            x = days_as_x(result, days[by_supplier[0]])
            stacked = np.array([trailing_mean(arrivals[by_supplier[k]], 7) for k in drawn])
            drawn_layers = ax.stackplot(
                x,
                stacked,
                labels=[names.supplier(suppliers[k]) for k in drawn],
                colors=[SUPPLIER_COLOURS[k % len(SUPPLIER_COLOURS)] for k in drawn],  # its colour in every panel
                lw=0,
            )
            _draw_seams(ax, x, stacked)
            for k, layer in zip(drawn, drawn_layers, strict=True):
                layers.setdefault(k, layer)
            ax.set_ylabel("arrivals (t/day)")
            format_axis(ax, result, ticks)
    finish_figure(
        fig,
        list(axes.flat),
        f"{result.scenario.name}: supply by supplier (7-day mean of arrivals)",
        *_shape(fig),
        lead=[(layers[k], names.supplier(suppliers[k])) for k in sorted(layers)],  # in the scenario's order
    )
    return fig


LAYER_EDGE_PT = 0.6
"""Width of the white line between two suppliers' layers, points: it parts them (each at least 3:1 on white,
:data:`~simulator.palette.SUPPLIER_COLOURS`) where their colours meet."""


def _draw_seams(ax: Axes, x: Any, stacked: np.ndarray) -> None:
    """A white line of :data:`LAYER_EDGE_PT` along the top of each layer, only where another layer lies on it.

    ``stacked``: the layers' values, bottom first (t/day). No outline around a layer's outer edge: a narrow spike of
    a layer alone (a week's catch-up shipment) drawn with white edges reads as a white sliver, not as supply.
    """
    tops = np.cumsum(stacked, axis=0)
    for below, above in zip(tops[:-1], stacked[1:], strict=True):
        ax.plot(x, np.where(above > 0, below, np.nan), color="white", lw=LAYER_EDGE_PT, solid_capstyle="butt")


SUPPLY_REGIONS_DOWN = 5
"""Most regions the supply-mix PNG gives a row of panels each (a panel per material across). More regions are
turned over (:func:`_regions_across`): twelve regions' rows of two materials made a figure 3,828 pixels tall."""
SUPPLY_ROW_IN = 2.8
"""Height of a row of panels of the supply-mix PNG (a panel and its gap), inches; the report's are
:data:`SUPPLY_REPORT_ROW_IN`."""
SUPPLY_REPORT_ROW_IN = 2.3
"""Height of a row of panels of the supply-mix figure drawn at a set ``width_in`` (the report's, the one caller that
sets it: :data:`simulator.report.figures.REPORT_WIDTH_IN`, two panels a row), a panel and its gap, inches. Lower
than the PNG's :data:`SUPPLY_ROW_IN` because the panels are narrower (3.55 inches, half the page's 7.1, against the
PNG's 5.2): the stacked areas stay wider than tall, and the two regions of ``embargo_2010`` make a figure 6.2 inches
tall (2 x 2.3 + :data:`SUPPLY_TOP_IN` = 5.8, grown for its legend), under three fifths of an A4 page inside its
margins (10.5 inches)."""
SUPPLY_TOP_IN = 1.2
"""What the supply-mix figure adds to its rows' height (title, legend, margins), inches."""


def _regions_across(regions: int, materials: int) -> tuple[Figure, np.ndarray, int]:
    """The turned-over grid of the supply-mix PNG: a row of regions per material, wrapped as ``compare.png``'s.

    Past :data:`~simulator.plots.layout.WRAP_COLUMNS_MAX` regions (as ``compare.png``'s members), a material's row
    wraps into rows of as many as evenly as they go (12 into three rows of 4:
    :func:`~simulator.plots.layout.wrapped_grid`). Returns the figure, its panels by region and material (as the
    grid of a row per region) and the ticks of a panel's date axis. Twelve regions' two materials are six rows of
    four panels, 18 inches tall (not 34.8), 16.6 wide.
    """
    blocks, cols = wrapped_grid(regions)  # blocks: rows of panels a material takes
    rows = materials * blocks
    fig = Figure(figsize=(wrapped_width_in(cols), SUPPLY_ROW_IN * rows + SUPPLY_TOP_IN))
    grid = np.atleast_2d(fig.subplots(rows, cols, squeeze=False))
    axes = np.empty((regions, materials), dtype=object)
    for i in range(regions):
        block, col = divmod(i, cols)
        for j in range(materials):
            axes[i, j] = grid[j * blocks + block, col]
    _hide_unused(grid, axes)
    return fig, axes, 4


def _hide_unused(grid: np.ndarray, axes: np.ndarray) -> None:
    """Hide the panels of ``grid`` that no region and material of ``axes`` takes (the end of a wrapped row)."""
    used = {id(ax) for ax in axes.flat}
    for ax in grid.flat:
        if id(ax) not in used:
            ax.set_visible(False)


def _shape(fig: Figure) -> tuple[int, int]:
    """Rows and columns of ``fig``'s grid of panels (its first panel's, every panel being of one grid)."""
    return fig.axes[0].get_subplotspec().get_gridspec().get_geometry()


def trailing_mean(values: np.ndarray, days: int) -> np.ndarray:
    """Mean of each value and the ``days - 1`` before it (fewer at the start).

    As pandas' ``rolling(days, min_periods=1).mean()``, a window of equal values gives that
    value exactly (a flat stretch is drawn on the very pixel row it was before).

    >>> trailing_mean(np.array([1.0, 3.0, 5.0, 7.0]), 3).tolist(), trailing_mean(np.full(9, 0.1), 7)[-1]
    ([1.0, 2.0, 3.0, 5.0], np.float64(0.1))
    """
    padded = np.concatenate([np.full(days - 1, np.nan), values])
    windows = np.lib.stride_tricks.sliding_window_view(padded, days)
    counts = np.minimum(np.arange(1, len(values) + 1), days)
    low, high = np.nanmin(windows, axis=-1), np.nanmax(windows, axis=-1)
    return np.where(low == high, low, np.nansum(windows, axis=-1) / counts)
