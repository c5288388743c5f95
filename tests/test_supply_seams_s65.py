"""The supply mix parts two suppliers' layers with a white line, and outlines nothing else.

A white outline around every layer (stop 65's contrast change) turned the replay's narrow catch-up spikes of a lone
supplier (the EU's heavy rare earths in December 2010, China alone) into white slivers: the figure showed no supply
where 0.95 t/day arrived. Now the layers have no edge, and a seam runs along the top of a layer only where another
layer lies on it.
"""

import matplotlib.colors as mcolors
import numpy as np

from simulator.plots.supply import LAYER_EDGE_PT, supply_mix_figure
from tests.helpers import shipped_group, shipped_result

pytestmark = shipped_group("embargo_2010")


def _white_lines(ax):
    return [line for line in ax.get_lines() if mcolors.to_hex(line.get_color()) == "#ffffff"]


def test_layers_have_no_outline_and_seams_lie_only_under_another_layer():
    fig = supply_mix_figure(shipped_result("embargo_2010"))
    axes = {ax.get_title(): ax for ax in fig.axes if ax.get_title()}
    lone = axes["EU: heavy rare earths"]  # China alone: one layer, nothing to part
    assert _white_lines(lone) == []
    for ax in axes.values():
        for layer in ax.collections:
            assert np.all(np.asarray(layer.get_linewidths()) == 0)
    shared = axes["Japan: light rare earths"]  # China, European re-processors, rest of world: two seams
    seams = _white_lines(shared)
    assert len(seams) == 2
    assert all(seam.get_linewidth() == LAYER_EDGE_PT for seam in seams)
    china_top = seams[0].get_ydata()  # China's top (its 7-day mean): the re-processors lie on it every day
    assert np.isfinite(china_top).all() and china_top.max() > 100  # the December 2010 catch-up peak, ~170 t/day


def test_a_seam_runs_only_where_the_layer_above_is_not_empty():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from simulator.plots.supply import _draw_seams

    ax = Figure().subplots()
    # bottom layer 1, 2, 3 t/day; the one above 0, 1, 0, 4; the top one 5 every day
    _draw_seams(ax, [0, 1, 2, 3], np.array([[1.0, 2.0, 3.0, 3.0], [0.0, 1.0, 0.0, 4.0], [5.0, 5.0, 5.0, 5.0]]))
    first, second = (line.get_ydata() for line in ax.get_lines())
    np.testing.assert_array_equal(first, [np.nan, 2.0, np.nan, 3.0])  # under the middle layer where it is not 0
    np.testing.assert_array_equal(second, [1.0, 3.0, 3.0, 7.0])  # the middle's top: the top layer is always there
