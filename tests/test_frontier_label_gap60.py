"""The frontier's labels keep LABEL_GAP_PT apart in the PNG plot-sweep writes (110 dpi), not only as measured (100 dpi).

On the 10k grid two labels, ``0.01 / 18100 (+99 alike)`` and ``0.01 / 16200 (+99 alike)``, touched end to end:
placed 3.6 points apart at the figure's 100 dpi, Agg's hinting draws them wider at 110 dpi.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from simulator.sweep.figures import LABEL_GAP_PT, frontier_figure

RATIO, QUOTA = "agreement.ratio.japan", "shocks.china_quota_2011.tonnes_per_period"
MEMBERS = ["japan", "eu"]
PNG_DPI = 110
"""The resolution plot-sweep writes sweep_frontier.png at."""


def crowded_row() -> pd.DataFrame:
    """2 ratios (a choice that changes nothing) x 100 quotas (a condition): each quota one dot of 2 alike.

    As on the 10k grid: the shortfall falls by 0.0035 t per 100 t more quota, from 0.287 t at 10,000 t
    to 0 at 18,200 t, at fairness 0.5 (1 where no one is short): 83 dots in a row at 0.5, 2.6 points apart.
    """
    quotas = np.arange(10_000, 20_000, 100)
    total = np.maximum(0.0, (18_200 - quotas) / 100 * 0.0035)
    rows = [
        {
            RATIO: ratio,
            QUOTA: quota,
            "run": 0,
            "seed": 0,
            "total_shortfall_t": t,
            "fairness_jain": 1.0 if t == 0 else 0.5,
        }
        for quota, t in zip(quotas, total, strict=True)
        for ratio in (0.01, 0.02)
    ]
    return pd.DataFrame(rows).assign(point=lambda table: range(len(table)))


def test_labels_keep_their_gap_in_the_png():
    fig = frontier_figure(crowded_row(), [RATIO, QUOTA], MEMBERS)
    fig.set_dpi(PNG_DPI)  # as savefig(dpi=110) draws it
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    labels = [t for t in fig.axes[0].texts if t.get_text()]
    assert len(labels) >= 4
    boxes = [Text.get_window_extent(t, renderer) for t in labels]  # the words, not a leader line
    gap_px = LABEL_GAP_PT * PNG_DPI / 72  # 3 points: 4.6 pixels at 110 dpi
    for (a, s), (b, t) in combinations(zip(boxes, labels, strict=True), 2):
        apart_px = max(b.x0 - a.x1, a.x0 - b.x1, b.y0 - a.y1, a.y0 - b.y1)  # along x or along y
        assert apart_px >= gap_px - 0.5, (s.get_text(), t.get_text(), apart_px)  # half a pixel: where Agg snaps text
