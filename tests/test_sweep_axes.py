"""A swept path's values on the sweep figures' axes: categories apart in grid order, dates on a time axis.

Tables are made by hand; every median and 5-95% range below is worked out from the rows.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.dates import date2num

from simulator.sweep.figures import heatmap_figure, metrics_figure

MECHANISM, END, RATIO = "agreement.mechanism", "shocks.china_japan_slowdown.end", "agreement.ratio.japan"
MEMBERS = ["japan", "eu"]
RUNS = [0.0, 10.0, 20.0, 30.0, 40.0]
"""Each point's runs add these to its level: median +20, and by linear interpolation of
0..40 at positions 0.2 and 3.8 of 4, a 5% of +2 and a 95% of +38."""


def one_axis(path: str, values: list) -> pd.DataFrame:
    """Point ``p`` at ``values[p]``, five runs; total shortfall 100 p + run, Japan 2 p + run/10."""
    rows = []
    for point, value in enumerate(values):
        for run, extra in enumerate(RUNS):
            rows.append(
                {
                    path: value,
                    "point": point,
                    "run": run,
                    "seed": run,
                    "total_shortfall_t": 100.0 * point + extra,
                    "fairness_jain": 0.6 + 0.1 * point,
                    "shortfall_t.japan": 2.0 * point + extra / 10,
                }
            )
    return pd.DataFrame(rows)


def panel(fig, title: str):
    return next(ax for ax in fig.axes if ax.get_title() == title)


def test_categories_keep_the_grid_order_and_are_drawn_apart_with_bars_not_a_line_and_band():
    grid = ["fair_ratio", "auction", "talmud"]  # alphabetically: auction, fair_ratio, talmud
    fig = metrics_figure(one_axis(MECHANISM, grid), MECHANISM, MEMBERS)
    ax = panel(fig, "Total shortfall (t)")
    assert [t.get_text() for t in ax.get_xticklabels()] == grid
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)]  # no band between categories
    (dots,) = [line for line in ax.lines if line.get_marker() == "o"]
    assert dots.get_linestyle() == "None"  # no line joins two categories
    assert list(dots.get_xdata()) == [0, 1, 2]
    assert list(dots.get_ydata()) == [20.0, 120.0, 220.0]  # medians of 100 p + 0..40, point p at position p
    (bars,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    spans = sorted((float(s[0, 0]), float(s[0, 1]), float(s[1, 1])) for s in bars.get_segments())
    assert spans == [(0.0, 2.0, 38.0), (1.0, 102.0, 138.0), (2.0, 202.0, 238.0)]  # 5% to 95% of the runs


def test_dates_lie_on_a_time_axis_as_far_apart_as_they_are():
    days = [dt.date(2010, 12, 7), dt.date(2010, 11, 20), dt.date(2010, 12, 1)]  # the grid's order
    stored = {
        "as a sweep writes them": pd.Series(pd.to_datetime(days), dtype="datetime64[ms]"),
        "as an older table read back": pd.Series(days, dtype=object),
    }
    for how, values in stored.items():
        table = one_axis(END, list(values))
        fig = metrics_figure(table, END, MEMBERS)
        ax = panel(fig, "Total shortfall (t)")
        assert [c for c in ax.collections if isinstance(c, PolyCollection)], how  # a band: a scale joins the dates
        (line,) = [line for line in ax.lines if line.get_marker() == "o"]
        x = date2num(np.asarray(line.get_xdata()))
        # in time order: 20 Nov (point 1), 1 Dec (point 2), 7 Dec (point 0): 11 and 6 days apart
        assert list(np.diff(x)) == [11.0, 6.0], how
        assert x[0] == date2num(np.datetime64("2010-11-20")), how
        assert list(line.get_ydata()) == [120.0, 220.0, 20.0], how
        lo, hi = ax.get_xlim()
        assert lo < x[0] and x[-1] < hi and hi - lo < 40, how  # days on the axis, not category positions 0..2
        ticks = ax.get_xticks()  # three dates, none nearer the next than a sixth of the 17 days: ticked each
        assert list(ticks) == list(x), how
        labels = ax.xaxis.get_major_formatter().format_ticks(ticks)
        assert labels == ["20 Nov 2010", "1 Dec 2010", "7 Dec 2010"], how


def test_a_heatmap_keeps_the_grid_order_of_categories_and_sorts_numbers():
    rows = []
    for a, mechanism in enumerate(["talmud", "auction", "fair_ratio"]):
        for b, ratio in enumerate([0.8, 0.2]):
            point = 2 * a + b
            rows.append(
                {
                    MECHANISM: mechanism,
                    RATIO: ratio,
                    "point": point,
                    "run": 0,
                    "seed": 0,
                    "total_shortfall_t": float(10 * a + b),
                    "fairness_jain": 0.9,
                    "shortfall_t.japan": float(point),
                }
            )
    fig = heatmap_figure(pd.DataFrame(rows), MECHANISM, RATIO, MEMBERS)
    ax = panel(fig, "Total shortfall (t),\nmedian over runs")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["talmud", "auction", "fair_ratio"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0.2", "0.8"]
    (image,) = ax.images
    # row 0 is ratio 0.2 (b = 1), row 1 ratio 0.8 (b = 0); columns talmud, auction, fair_ratio (a = 0, 1, 2)
    assert image.get_array().tolist() == [[1.0, 11.0, 21.0], [0.0, 10.0, 20.0]]


def test_a_label_is_not_placed_touching_another_label():
    from simulator.sweep.figures import _free_place

    # axes 500 x 400 points, the dot at (100, 200), a 30 x 10 label: right of the dot it would
    # start at x = 100 + 0.012 * 500 = 106, from y = 200 + 0.01 * 400 - 5 = 199
    own, size, dots = np.array([100.0, 200.0]), np.array([500.0, 400.0]), np.array([[100.0, 200.0]])
    assert _free_place(own, 30, 10, size, dots, []) == (106.0, 199.0, False)
    # another label ends exactly at x = 106 on the same line: side by side they would read as one
    touching = [np.array([102.0, 199.0, 106.0, 209.0])]
    # so the label goes left of its dot: 100 - 6 - 30 = 64 (ending 94, 8 points from the other)
    assert _free_place(own, 30, 10, size, dots, touching) == (64.0, 199.0, False)


def test_frontier_labels_of_close_dots_keep_apart():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from simulator.sweep.figures import LABEL_GAP_PT, frontier_figure

    # the medians of the audit's one-axis sweep (embargo mean 60 to 300 days): 60 is efficient,
    # 120 and 180 share a spot just right of it, a label each: each mean is its own condition group
    path = "shocks.china_embargo_both.duration_days.mean"
    totals = [0.003555, 0.048266, 0.048628, 0.21553, 2.015046]
    fairness = [0.5, 0.5, 0.5, 0.5, 0.627353]
    table = pd.DataFrame(
        {
            path: [60, 120, 180, 240, 300],
            "point": range(5),
            "run": 0,
            "seed": 0,
            "total_shortfall_t": totals,
            "fairness_jain": fairness,
        }
    )
    fig = frontier_figure(table, [path], MEMBERS)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    texts = [t for t in fig.axes[0].texts if t.get_text()]
    assert sorted(t.get_text() for t in texts) == ["120", "180", "240", "300", "60"]
    boxes = [Text.get_window_extent(t, renderer) for t in texts]
    gap_px = LABEL_GAP_PT * fig.dpi / 72
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = max(b.x0 - a.x1, a.x0 - b.x1, b.y0 - a.y1, a.y0 - b.y1)
            assert apart >= gap_px - 0.5, (texts[i].get_text(), apart)
