"""The 30- and 60-day lines of a days-of-cover figure are labelled where no curve runs through the label."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from simulator.plots import days_of_cover_figure
from tests.helpers import ONE_REGION, build, run


def label_and_curve(stock_t: float):
    """The panel's ``60 days`` label box and Japan's curve, in pixels, as the figure is saved."""
    result = run(build(ONE_REGION, regions__japan__commercial_stock__ree__tonnes=stock_t, horizon_days=200))
    fig = days_of_cover_figure(result)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    (label,) = [t for t in ax.texts if t.get_text() == "60 days"]
    (curve,) = [line for line in ax.get_lines() if line.get_label() == "Japan"]
    points = ax.transData.transform(np.column_stack([curve.get_xdata(), curve.get_ydata()]).astype(float))
    half = curve.get_linewidth() * fig.dpi / 72 / 2  # the line is drawn this far above and below its points
    line_y = ax.transData.transform((0, 60.0))[1]
    return label.get_window_extent(renderer), points, half, ax.get_window_extent(renderer), line_y


def test_a_curve_at_62_days_does_not_run_through_the_60_days_label():
    # 620 t of stock over 10 t a day, no shock: cover stays at 62 days, just above the 60-day line,
    # right through a label written above the line's right end; it moves below the line
    box, points, half, _, _ = label_and_curve(620)
    inside = (points[:, 0] >= box.x0) & (points[:, 0] <= box.x1)
    assert inside.any()  # the label's span lies along the curve
    assert not ((points[inside, 1] + half >= box.y0) & (points[inside, 1] - half <= box.y1)).any()


def test_the_label_stays_above_the_right_end_where_no_curve_is_there():
    box, _, _, frame, line_y = label_and_curve(1500)  # 150 days: far above both lines
    assert frame.x1 - 5 <= box.x1 <= frame.x1 and box.y0 >= line_y  # above the line's right end, as it always was
