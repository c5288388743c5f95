"""Figure defects a policy analyst's walkthrough of ``make run`` and the calibration found (session 58).

1. The fan chart of days of cover marks a band cut at the top with triangles centred on the top edge: their upper
   half lay above the panel (over the titles), and one on the horizon's last day half past its right edge.
2. The calibration figure "Model against the record" had one legend under its last row: a panel had no key of its
   own, and the record's order put heavy rare earths' prices before light (light first everywhere else).
3. The shocks' legends said "15,125 t per 184 days" for China's H2-2010 quota beside the report's "export quota of
   7,976 t": they now say what the number is, the cap on what the regions named take from China together.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from simulator.sensitivity.figures import fan_figure

# --- 1. the fan chart's cut marks lie inside their panel ---------------------------------------------------------

DAYS = 730


def _cut_fan():
    """Two years of one region and material whose band goes past the cut (2 x 50 = 100 days) on days 0, 365 and 729."""
    line = np.full(DAYS, 50.0)
    high = np.full(DAYS, 80.0)
    high[[0, 365, DAYS - 1]] = 400.0  # 400 > 1.5 x 100: the axis is cut at 100
    cube = lambda a: np.stack([a, np.zeros(DAYS)], axis=1)[:, :, None]  # noqa: E731  (day, region, material)
    bands = {"p5": cube(0.5 * line), "p50": cube(line), "p95": cube(high)}
    return fan_figure(bands, cube(line), ["eu", "japan"], ["heavy_ree"], None, "Days of cover", "days", 40, clip=True)


def test_each_cut_mark_lies_inside_its_panel_its_tip_on_the_top_edge():
    fig = _cut_fan()
    FigureCanvasAgg(fig).draw()
    (ax,) = [ax for ax in fig.axes if ax.get_visible()]
    assert ax.get_ylim() == (0.0, 100.0)
    (marks,) = [line for line in ax.get_lines() if line.get_marker() == "^"]
    panel = ax.get_window_extent()
    px_per_pt = fig.dpi / 72
    half_px = (marks.get_markersize() + marks.get_markeredgewidth()) / 2 * px_per_pt  # the triangle and its outline
    centres = marks.get_transform().transform(np.column_stack([marks.get_xdata(), marks.get_ydata()]))
    assert len(centres) == 3  # days 0, 365 and 729
    for x, y in centres:
        # before: centred on the top edge, half the triangle above the panel; on days 0 and 59 half past its sides
        assert panel.x0 - 1e-6 <= x - half_px and x + half_px <= panel.x1 + 1e-6
        assert panel.y0 <= y - half_px and y + half_px <= panel.y1 + 1e-6
        assert abs(y + half_px - panel.y1) < 0.01  # its tip touches the top edge: it still marks the cut there
    # the middle one stays on its day; those on the first and last days (a day is 0.8 px) move in by half a mark
    half_days = half_px * DAYS / panel.width
    assert marks.get_xdata().tolist() == pytest.approx([half_days, 365, DAYS - half_days])
