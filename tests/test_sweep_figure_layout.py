"""Sweep figures keep their legend off the data and a frontier's corner dot whole, its label off the frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg

from simulator.sweep.figures import DOT_PT, frontier_figure, metrics_figure

MECHANISM, RATIO, DAYS = "agreement.mechanism", "agreement.ratio.japan", "shocks.x.duration_days.mean"
MEMBERS = ["japan", "eu"]


def test_the_metrics_legend_sits_above_the_panels_and_covers_no_bar():
    # three rules, two runs each: totals 0 and 22.8, 0 and 15, 0 and 22.2 t (as the Monte Carlo
    # sweep of the three rules: its hybrid bar reached into the legend's box in the top right corner)
    tops = {"fair_ratio": 22.8, "auction": 15.0, "hybrid": 22.2}
    rows = [
        {MECHANISM: rule, "point": p, "run": r, "seed": r, "total_shortfall_t": top * r, "fairness_jain": 0.5}
        | {"shortfall_t.japan": 0.0, "shortfall_t.eu": top * r}
        for p, (rule, top) in enumerate(tops.items())
        for r in (0, 1)
    ]
    fig = metrics_figure(pd.DataFrame(rows), MECHANISM, MEMBERS)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    assert all(ax.get_legend() is None for ax in fig.axes)  # no panel holds a legend box
    (legend,) = fig.legends
    box = legend.get_window_extent(renderer)
    assert [t.get_text() for t in legend.get_texts()] == ["median, bar 5-95% of runs"]
    for ax in fig.axes:
        if ax.get_visible():
            assert not box.overlaps(ax.get_window_extent(renderer)), ax.get_title()


def test_a_frontier_dot_at_no_shortfall_and_full_fairness_is_whole_and_its_label_clear_of_the_frame():
    # the shortest embargo: no one short in the median run, so total 0 and Jain's index 1 (the corner)
    points = [(30, 0.0, 1.0), (60, 0.35, 0.5), (120, 4.18, 0.5), (180, 6.77, 0.5), (300, 18.58, 0.5)]
    table = pd.DataFrame(
        [
            {RATIO: 0.1, DAYS: d, "point": p, "run": 0, "seed": 0, "total_shortfall_t": x, "fairness_jain": y}
            for p, (d, x, y) in enumerate(points)
        ]
    )
    fig = frontier_figure(table, [RATIO, DAYS], MEMBERS)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    frame = ax.get_window_extent(renderer)
    radius = DOT_PT * fig.dpi / 72
    x, y = ax.transData.transform((0.0, 1.0))
    assert x - radius >= frame.x0 and y + radius <= frame.y1  # the whole dot inside, not half cut by the frame
    margin = 3 * fig.dpi / 72  # 3 points: a label closer reads as touching the frame
    for text in (t for t in ax.texts if t.get_text()):
        box = text.get_window_extent(renderer)
        assert frame.x0 + margin <= box.x0 and box.x1 <= frame.x1 - margin, text.get_text()
        assert frame.y0 + margin <= box.y0 and box.y1 <= frame.y1 - margin, text.get_text()
    assert np.isclose(ax.get_ylim()[1], 1 + 0.03 * 0.5)  # the fairness axis: still 1/2 to 1 with a little room
