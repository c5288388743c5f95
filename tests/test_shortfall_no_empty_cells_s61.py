"""The shortfall figure has no empty cells: a panel per material someone runs short of, the others named in words.

Session 61: an analyst's ``gallium_pool`` (rare earths and gallium, only gallium short) drew three sentence panels
``No region runs short of ...`` over three hidden cells: a blank band three columns wide where their cumulative panels
would be. ``battery_materials`` (nickel not short) left one such cell in its own PNG (three columns). Now only the
materials someone runs short of get panels (two each: daily and cumulative), and a sentence under the legend names
the others.
"""

from __future__ import annotations

import pytest

from simulator.plots import shortfall_figure
from tests.helpers import FIGURE_SIZES, each_shipped, figure_size, shipped_group, shipped_result


def shortfall_panels(fig) -> list:
    """The figure's visible panels that draw shortfall (a y label), not a sentence."""
    return [ax for ax in fig.axes if ax.get_visible() and ax.get_ylabel()]


@pytest.mark.parametrize("size", FIGURE_SIZES)
@pytest.mark.parametrize("name", each_shipped())
def test_every_cell_of_the_grid_is_a_drawn_panel(name: str, size: str) -> None:
    """Every cell of the grid holds a visible panel with curves, unless the figure is the one sentence: nobody short."""
    fig = shortfall_figure(shipped_result(name), **figure_size(size))
    panels = shortfall_panels(fig)
    if not panels:  # nobody short: one panel of one sentence
        assert len(fig.axes) == 1
        return
    rows, cols = fig.axes[0].get_subplotspec().get_gridspec().get_geometry()
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert visible == panels  # no hidden cell, no sentence panel
    assert len(panels) % 2 == 0  # daily and cumulative per material
    # only the last line of a wrapped grid may be short of materials (each two rows high), by fewer than a line
    assert rows * cols - len(panels) <= 2 * (cols - 1)


@shipped_group("battery_materials")
@pytest.mark.parametrize("size", FIGURE_SIZES)
def test_battery_materials_names_nickel_in_words(size: str) -> None:
    """Lithium and cobalt are short (a column each, two rows); nickel is named under the legend, not drawn."""
    fig = shortfall_figure(shipped_result("battery_materials"), **figure_size(size))
    assert fig.axes[0].get_subplotspec().get_gridspec().get_geometry() == (2, 2)
    assert [ax.get_title() for ax in shortfall_panels(fig)] == ["Lithium", "Cobalt", "", ""]
    assert "No region runs short of nickel." in [t.get_text() for t in fig.texts]
