"""Where a reference line's label goes: the first spot clear of the curves, and under its line near the panel's top.

Session 60: the geometry tests of session 58 (tests/test_cover_label_geometry_s58.py) still passed with the room a
label keeps under its panel's top (``LABEL_TOP_ROOM_PT``) set to 0, and with :func:`clear_spot` returning its first
spot whatever crossed it. The cases here are worked out by hand: a curve through the first spots, a label whose
box ends half a point, or a point and a half, under the panel's top.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.path import Path

from simulator.plots import days_of_cover_figure, finish_figure
from simulator.plots.cover_lines import target_label
from simulator.plots.line_labels import LABEL_SPOTS, clear_spot, drawn_line_labels
from simulator.plots.style import PNG_DPI
from tests.helpers import ONE_REGION, build, run

# --- clear_spot: the first spot the fewest curve points fall in --------------------------------------------------


def test_a_curve_over_the_left_of_the_line_sends_the_label_to_the_right_end():
    # the line at 15, the curve at 16 over the first half of the panel, then at 40: a label above the line spans
    # 15 to 15 + 0.08 x 40 = 18.2; at the left (0 to 0.3 of the width) 30 of the 100 points, all at 16, fall in
    # it, at the right end (0.7 to 1.0) none
    curve = np.where(np.arange(100) < 50, 16.0, 40.0)
    assert clear_spot([curve], 15.0) == (0.7, "bottom")


def test_a_curve_just_above_the_line_all_along_sends_the_label_under_it():
    # the curve at 6 all along over the line at 5.8: every spot above the line (5.8 to 5.8 + 0.08 x 6 = 6.28)
    # holds 30 points, every spot under it (5.32 to 5.8) none: the first of those, at the left
    assert clear_spot([np.full(100, 6.0)], 5.8) == (0.0, "top")


def test_the_first_spot_crossed_by_fewest_points_wins():
    # the line at 5.8; one curve at 6 over the left half, another at 5.5 over the right half: a label spans
    # 0.08 x 6 = 0.48 above the line (5.8 to 6.28, where the first curve lies) or under it (5.32 to 5.8, the
    # second). Above it the left spot (0 to 0.3 of the width) holds 30 points, the right end (0.7 to 1) none
    left_high = np.where(np.arange(100) < 50, 6.0, np.nan)
    right_low = np.where(np.arange(100) >= 50, 5.5, np.nan)
    assert clear_spot([left_high, right_low], 5.8) == (0.7, "bottom")
    # without the right end: above the line the left holds 30 points, the middle (0.35 to 0.65) 15 (35 to 49);
    # under it the left holds none, the middle 15 (50 to 64): the left, under the line
    spots = tuple(spot for spot in LABEL_SPOTS if spot[0] != 0.7)
    assert clear_spot([left_high, right_low], 5.8, spots=spots) == (0.0, "top")


# --- in a figure: the 60-day label moved off a curve that lies on its first spot ------------------------------------


def curves_crossed(ax, box) -> list[str]:
    """The regions' curves (labels without a leading ``_`` and not the reference lines') whose drawn path passes
    through ``box`` (display units)."""
    crossed = []
    for line in ax.get_lines():
        if line.get_transform() is ax.get_yaxis_transform() or line.get_label().startswith("_"):
            continue  # the horizontal reference lines
        xy = line.get_xydata()
        path = Path(line.get_transform().transform(xy[np.isfinite(xy).all(axis=1)]))
        if path.intersects_bbox(box, filled=False):
            crossed.append(line.get_label())
    return crossed


def test_the_60_day_label_keeps_off_a_curve_at_62_days_that_lies_on_its_usual_place():
    # no shock, 10 t/day of demand each: Japan's 620 t of stock are 62 days all along, over the 60-day line
    # where its label usually sits (above its right end), the EU's 1,200 t 120 days, which takes the axis's top
    # far above the line (the label is not sent under it for want of room). A label spans 0.08 x 120 = 9.6 days
    # above or under the line: above it, anywhere, it would cross Japan's curve; under it (50.4 to 60) it does not
    data = build(ONE_REGION, regions__japan__commercial_stock__ree__tonnes=620, suppliers__china__lead_time_days__eu=5)
    data["regions"]["eu"] = build(data["regions"]["japan"], commercial_stock__ree__tonnes=1200)
    result = run(build(data, shocks=[]))
    cover = result.timeseries.groupby("region")["days_of_cover"]
    assert cover.min().to_dict() == cover.max().to_dict() == {"eu": 120.0, "japan": 62.0}
    fig = days_of_cover_figure(result)
    fig.set_dpi(PNG_DPI)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    (ax,) = [ax for ax in fig.axes if ax.get_visible()]
    (label,) = [t for t in drawn_line_labels(ax) if t.get_text() == "60 days"]
    assert label.get_va() == "top"  # under its line
    box = (label.get_bbox_patch() or label).get_window_extent(renderer)
    line_y = ax.transData.transform((0, 60.0))[1]
    assert box.y1 <= line_y  # all of it under the line at 60 days
    assert curves_crossed(ax, box) == []


# --- under the panel's top: a label that would reach within a point of it goes under its line -----------------


PANEL_IN = 3.0
"""The panel's height: a figure 4.19 inches tall less :func:`finish_figure`'s margins for a one-line title and no
legend, 0.55 inch on top and 0.64 under."""


def labelled_line(top_gap_pt: float) -> tuple[Figure, object, object]:
    """A panel 3 inches (216 points) tall on an axis from 0 with the 60-day target line labelled as the cover figures
    label it (:func:`target_label`: 2 points over the line, 8.5 points type on 1.2 leading: 10.2 points tall), the
    axis's top set to put the label's top ``top_gap_pt`` points under the panel's top; then the figure finished."""
    fig = Figure(figsize=(5.0, 4.19))
    ax = fig.subplots()
    line_pt = 216.0 - top_gap_pt - 2.0 - 10.2
    ax.set_ylim(0.0, 60.0 * 216.0 / line_pt)
    ax.axhline(60.0, color="0.45")
    label = target_label(ax, 60.0)
    finish_figure(fig, [ax], "t", 1, 1)
    assert ax.get_position().height * fig.get_size_inches()[1] == pytest.approx(PANEL_IN)
    return fig, ax, label


def test_a_label_that_would_end_half_a_point_under_the_panels_top_goes_under_its_line():
    # within a point of the frame: moved under its line, as far (2 points) from it, and all of it in the panel
    fig, ax, label = labelled_line(0.5)
    assert label.get_text() == "60 days"
    assert label.get_va() == "top" and label.xyann == (-2, -2)
    fig.set_dpi(PNG_DPI)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    box, frame = label.get_window_extent(renderer), ax.get_window_extent(renderer)
    line_y = ax.transData.transform((0, 60.0))[1]
    assert frame.y0 <= box.y0 and box.y1 <= line_y <= frame.y1


def test_a_label_that_ends_a_point_and_a_half_under_the_panels_top_stays_over_its_line():
    _, _, label = labelled_line(1.5)
    assert label.get_va() == "bottom" and label.xyann == (-2, 2)
