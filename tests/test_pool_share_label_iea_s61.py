"""The pool shares' label under ``iea_ess``, where the shares become drawable part way along the axis.

Session 61: in ``embargo_2010`` with ``--set agreement.mechanism=iea_ess`` the members' own pool shares lie on 60 days
until they become drawable under the rule (3 December 2010 for light rare earths; 22 February 2011 for heavy, after
most of December 2010): no trigger fires and the pool is not drawn, but a share's dotted line, drawn only where it
differs from the drawable stock, stops there.
The label ``own pool shares = 60 days, not drawable under the rule`` was placed as for a line across the panel: it ran
from July 2010 to April 2012 about 25 days above the shares' line (12 points), over days where the shares are not
drawn, a few days over the EU's curve: it read as that curve's label. It must now touch the line it names, or be
joined to it by a leader that ends on the line where the line is drawn; the label and its leader cover no curve and
no line. Everything is measured as Agg lays the figure out (the label's light box, the leader's drawn path) against
the curves' and lines' drawn paths, in the way of tests/test_cover_label_geometry_s58.py.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.path import Path
from matplotlib.transforms import Bbox

from simulator.plots import days_of_cover_figure
from simulator.plots.line_labels import drawn_line_labels
from tests.helpers import FIGURE_SIZES, figure_size, shipped_group, shipped_with

IEA_ESS = (("agreement.mechanism", "iea_ess"),)
"""``stockpile run scenarios/embargo_2010.yaml --set agreement.mechanism=iea_ess``."""
WORDS = "own pool shares = 60 days"
"""The label's words where the shares lie on the 60-day line (the line itself then not drawn)."""
TOUCH_PT = 3.0
"""A label this near its line (points) touches it: the labels sit 2 points off their lines, their box 0.85 points
past the text."""
ON_LINE_PT = 1.0
"""A leader's end this near the line or the label's box (points) is on it."""
PANELS = ("Light rare earths", "Heavy rare earths")


@functools.cache
def drawn(size: str) -> tuple[list, object]:
    """The iea_ess run's days-of-cover figure at ``size``, laid out as Agg draws it: its visible panels and renderer."""
    fig = days_of_cover_figure(shipped_with("embargo_2010", IEA_ESS), **figure_size(size))
    renderer = FigureCanvasAgg(fig).get_renderer()
    with renderer._draw_disabled():
        fig.draw(renderer)
    return [ax for ax in fig.axes if ax.get_visible()], renderer


def panel_parts(size: str, title: str) -> tuple[object, object, Bbox, list[np.ndarray], list[Path], list[Bbox], float]:
    """Of the panel ``title``: its axes, the renderer, the label's drawn box, the share lines' drawn points, the
    other lines' drawn paths (curves and horizontal lines), the leaders' drawn boxes, and points per pixel."""
    axes, renderer = drawn(size)
    ax = next(a for a in axes if a.get_title() == title)
    text = next(t for t in drawn_line_labels(ax) if WORDS in t.get_text().replace("\n", " "))
    box = text.get_bbox_patch().get_window_extent(renderer)
    shares, others = [], []
    for line in ax.get_lines():
        xy = line.get_xydata()
        points = line.get_transform().transform(xy[np.isfinite(xy).all(axis=1)])
        (shares if "own pool share" in line.get_label() else others).append(points)
    leaders = [
        t.arrow_patch.get_window_extent(renderer)
        for t in ax.texts
        if t.get_text() == "" and t.arrow_patch is not None and t.arrow_patch.get_window_extent(renderer).width < 2
    ]
    return ax, renderer, box, shares, [Path(p) for p in others], leaders, 72 / ax.figure.dpi


def gap_pt(box: Bbox, share: np.ndarray, pt: float) -> float | None:
    """Points between ``box`` and the share line's points under it (drawn on those days), None where none is."""
    under = share[(share[:, 0] >= box.x0) & (share[:, 0] <= box.x1)]
    if not len(under):
        return None
    return max(box.y0 - under[:, 1].max(), under[:, 1].min() - box.y1) * pt


def leads_to_line(leader: Bbox, box: Bbox, share: np.ndarray, pt: float) -> bool:
    """Whether the vertical ``leader`` runs from an edge of ``box`` (over its width) to ``share`` where it is drawn."""
    x = (leader.x0 + leader.x1) / 2
    if not (box.x0 <= x <= box.x1 and share[:, 0].min() <= x <= share[:, 0].max()):
        return False
    line_y = float(np.interp(x, share[:, 0], share[:, 1]))
    ends = (leader.y0, leader.y1)
    on_line = min(abs(e - line_y) for e in ends) * pt <= ON_LINE_PT
    on_box = min(abs(e - edge) for e in ends for edge in (box.y0, box.y1)) * pt <= ON_LINE_PT
    return on_line and on_box


@shipped_group("embargo_2010")
@pytest.mark.parametrize("size", FIGURE_SIZES)
@pytest.mark.parametrize("title", PANELS)
def test_the_shares_end_part_way_along_the_axis(size, title):
    ax, _, _, shares, _, _, _ = panel_parts(size, title)
    frame = ax.get_window_extent()
    ends = [(s[:, 0].max() - frame.x0) / frame.width for s in shares]
    assert len(shares) == 2 and max(ends) < 0.4  # the case: both members' lines end by February 2011


@shipped_group("embargo_2010")
@pytest.mark.parametrize("size", FIGURE_SIZES)
@pytest.mark.parametrize("title", PANELS)
def test_the_label_touches_the_shares_or_a_leader_joins_them(size, title):
    _, _, box, shares, _, leaders, pt = panel_parts(size, title)
    gap = gap_pt(box, shares[0], pt)
    touching = gap is not None and gap <= TOUCH_PT
    assert touching or any(leads_to_line(leader, box, shares[0], pt) for leader in leaders), (gap, leaders)


@shipped_group("embargo_2010")
@pytest.mark.parametrize("size", FIGURE_SIZES)
@pytest.mark.parametrize("title", PANELS)
def test_the_label_and_its_leader_cover_no_curve_and_no_line(size, title):
    ax, renderer, box, shares, others, leaders, _ = panel_parts(size, title)
    frame = ax.get_window_extent(renderer)
    assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    assert not any(path.intersects_bbox(box, filled=False) for path in [*others, *(Path(s) for s in shares)])
    for leader in leaders:  # a vertical segment: shrunk a pixel at its ends, off the line it starts on
        inner = Bbox([[leader.x0 - 0.5, leader.y0 + 1], [leader.x1 + 0.5, leader.y1 - 1]])
        assert not any(path.intersects_bbox(inner, filled=False) for path in others)
