"""The prices figure's y axes stay inside the figure and clear of the panel to their left, however long their ticks.

Session 61: an analyst's gallium market (prices up to ~19,600 USD/kg) drew the top panel's ticks ``20,000`` and its
label ``price (USD/kg, log scale)`` past the figure's left edge (its label's left edge at -0.036 inch): the margin
was a fixed 0.75 inch. Here ``embargo_2010``'s heavy rare-earth reference price is raised 100 and 10,000 times
(prices up to ~160,000 and ~16 million USD/kg: ticks ``500,000`` and ``50,000,000``), which sits in the second
column, and the light rare earths' in the first. Everything is measured as Agg lays the figure out.
"""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from simulator.plots.prices import prices_figure
from tests.helpers import FIGURE_SIZES, figure_size, shipped_group, shipped_with

REFERENCE_USD_PER_KG = 156.5
"""``embargo_2010``'s heavy rare-earth reference price (scenarios/embargo_2010.yaml)."""
LIGHT_REFERENCE_USD_PER_KG = 13.13
"""Its light rare-earth reference price."""
GAP_IN = 0.02
"""The least room between a y axis and the figure's edge or the panel to its left, inches (2 pixels at 110 dpi)."""


def laid_out(path: str, scale: float, size: str) -> tuple[list, float, object]:
    """The prices figure of ``embargo_2010`` with the reference price at ``path`` scaled by ``scale``, laid out."""
    changes = ((path, scale * (LIGHT_REFERENCE_USD_PER_KG if "light" in path else REFERENCE_USD_PER_KG)),)
    fig = prices_figure(shipped_with("embargo_2010", changes), **figure_size(size))
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    return [ax for ax in fig.axes if ax.get_visible()], fig.dpi, renderer


CASES = [
    pytest.param(path, scale, size, id=f"{path.split('.')[1]}-x{scale:g}-{size}", marks=shipped_group("embargo_2010"))
    for path in ("market.heavy_ree.reference_price_usd_per_kg", "market.light_ree.reference_price_usd_per_kg")
    for scale in (100.0, 10_000.0)
    for size in FIGURE_SIZES
]


@pytest.mark.parametrize(("path", "scale", "size"), CASES)
def test_y_axes_inside_the_figure(path: str, scale: float, size: str) -> None:
    """Every panel's y label and tick labels start right of the figure's left edge."""
    axes, dpi, renderer = laid_out(path, scale, size)
    for ax in axes:
        ticks = [t.get_window_extent(renderer).x0 for t in ax.get_yticklabels() if t.get_visible() and t.get_text()]
        assert ax.yaxis.label.get_window_extent(renderer).x0 / dpi >= GAP_IN, ax.get_ylabel()
        assert min(ticks) / dpi >= GAP_IN


@pytest.mark.parametrize(("path", "scale", "size"), CASES)
def test_y_axes_clear_of_the_panel_to_their_left(path: str, scale: float, size: str) -> None:
    """A panel's y axis (label, ticks) starts right of the right edge of the panel beside it in its row."""
    axes, dpi, renderer = laid_out(path, scale, size)
    boxes = [(ax.get_window_extent(renderer), ax.yaxis.get_tightbbox(renderer)) for ax in axes]
    pairs = 0
    for panel, axis in boxes:
        left = [p for p, _ in boxes if p.x1 <= panel.x0 and p.y0 < panel.y1 and panel.y0 < p.y1]
        if left:
            pairs += 1
            assert (axis.x0 - max(p.x1 for p in left)) / dpi >= GAP_IN
    assert pairs == 2  # the heavy rare earths' two panels have the light rare earths' beside them
