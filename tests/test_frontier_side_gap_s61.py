"""Two frontier labels side by side on one line keep 6 points apart (3 above or below), so that they read as two.

The research guide's frontier (``make sweep``: ratio 0.1-0.9 x embargo mean 60-300 days, every ratio alike)
drew ``0.1 / 240 (+4 alike)`` and ``0.1 / 300 (+4 alike)`` on one line 6.6 pixels apart at the PNG's 110 dpi
(4.3 points: more than the 3 points kept between any two labels, hardly more than the space between a
label's own words), so that they read as one line of text.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from simulator.sweep.figures import _free_place, frontier_figure

RATIO, MEAN = "agreement.ratio.japan", "shocks.china_embargo_both.duration_days.mean"
MEMBERS = ["japan", "eu"]
PNG_DPI = 110
"""The resolution the sweep writes sweep_frontier.png at."""
SIDE_GAP_PX = 6 * PNG_DPI / 72
"""6 points at 110 dpi: 9.2 pixels."""
MEDIAN_SHORTFALL_T = {60: 0.352516, 120: 4.180055, 180: 6.765380, 240: 7.900109, 300: 18.575623}
"""The guide's sweep's median total shortfall per embargo mean (days), the same at every ratio; fairness 0.5."""


def guide_sweep() -> pd.DataFrame:
    rows = [
        {RATIO: ratio, MEAN: mean, "run": 0, "seed": 0, "total_shortfall_t": total, "fairness_jain": 0.5}
        for ratio in (0.1, 0.3, 0.5, 0.7, 0.9)
        for mean, total in MEDIAN_SHORTFALL_T.items()
    ]
    return pd.DataFrame(rows).assign(point=lambda table: range(len(table)))


def test_labels_on_one_line_keep_6_points_apart_in_the_png():
    fig = frontier_figure(guide_sweep(), [RATIO, MEAN], MEMBERS)
    fig.set_dpi(PNG_DPI)  # as savefig(dpi=110) draws it
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    labels = [t for t in fig.axes[0].texts if t.get_text()]
    assert sorted(t.get_text() for t in labels) == sorted(f"0.1 / {mean} (+4 alike)" for mean in MEDIAN_SHORTFALL_T)
    boxes = [Text.get_window_extent(t, renderer) for t in labels]  # the words, not a leader line
    side_by_side = 0
    for (a, s), (b, t) in combinations(zip(boxes, labels, strict=True), 2):
        if a.y0 < b.y1 and b.y0 < a.y1:  # on one line
            side_by_side += 1
            apart_px = max(b.x0 - a.x1, a.x0 - b.x1)
            assert apart_px >= SIDE_GAP_PX - 0.5, (s.get_text(), t.get_text(), apart_px)  # half a pixel: Agg snaps text
    assert side_by_side >= 1  # the 60 days' label shares a line with another: the check checks something


def test_a_place_a_few_points_short_of_a_label_on_its_line_is_not_taken():
    # axes 500 x 400 points, the dot at (100, 200), a 30 x 10 label: right of the dot it would
    # span x = 106 to 136 (100 + 0.012 * 500 = 106), from y = 200 + 0.01 * 400 - 5 = 199
    own, size, dots = np.array([100.0, 200.0]), np.array([500.0, 400.0]), np.array([[100.0, 200.0]])
    # another label on the same line starts at x = 141: 5 points after it, less than 6
    after = [np.array([141.0, 199.0, 171.0, 209.0])]
    # so the label goes left of its dot: 100 - 6 - 30 = 64
    assert _free_place(own, 30, 10, size, dots, after) == (64.0, 199.0, False)
    # one line lower (y 185-195, 4 points below the line), 5 points along is room enough: right of the dot
    below = [np.array([141.0, 185.0, 171.0, 195.0])]
    assert _free_place(own, 30, 10, size, dots, below) == (106.0, 199.0, False)
