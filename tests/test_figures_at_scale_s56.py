"""Figures of grids of many points, or of long category labels, stay legible (session 56).

Tests had drawn 2 x 2 grids only. Each test here builds a table the size that broke a figure
and checks what a reader relies on: cells not blended, labels that do not overlap one another,
that stay on the canvas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.sweep.figures import heatmap_figure
from tests.test_sweep_statistics import DAYS, MEMBERS, run

MECHANISM, RATIO = "agreement.mechanism", "agreement.ratio.japan"
RULES = ["hybrid", "fair_ratio", "auction"]


def _table(firsts: list, seconds: list, first: str, second: str) -> pd.DataFrame:
    """One run at each point of ``firsts`` x ``seconds``; a member short (2 t, fairness 0.5) at every other point."""
    rows = []
    for i, a in enumerate(firsts):
        for j, b in enumerate(seconds):
            point = i * len(seconds) + j
            row = run(0.0, 0, point, 0, 2.0 if point % 2 else 0.0, 0.5 if point % 2 else 1.0)
            rows.append({k: v for k, v in row.items() if k not in (RATIO, DAYS)} | {first: a, second: b})
    return pd.DataFrame(rows)


def test_a_heatmap_of_3_x_300_points_draws_each_cell_flat_not_blended_into_its_neighbours():
    ratios = list(np.round(np.arange(1, 301) / 1000, 3))
    fig = heatmap_figure(_table(RULES, ratios, MECHANISM, RATIO), MECHANISM, RATIO, MEMBERS)
    images = [image for ax in fig.axes for image in ax.images]
    assert len(images) == 4  # one per key metric: total, fairness, Japan, EU
    # 300 rows in a panel about 3 in high: Matplotlib's default smooths a shrunk image, and
    # blended the 3 rules' columns into one gradient
    assert {image.get_interpolation() for image in images} == {"nearest"}
