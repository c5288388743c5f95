"""Sweep figures keep their legend off the data and a frontier's corner dot whole, its label off the frame."""

from __future__ import annotations

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg

from simulator.sweep.figures import metrics_figure

MECHANISM = "agreement.mechanism"
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
