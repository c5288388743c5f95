"""Every shipped days-of-cover figure's pool-share label touches the line it names, or a leader joins the two.

Session 61 (measured by an earlier helper): labels placed clear of the curves sat 25 points over
``long_embargo_12m``'s heavy rare-earth share with 1% of their width over the days it is drawn, 30 points from
``long_embargo_12m_2030``'s light shares, 56 points from ``club_of_five``'s light shares in the report: each read as
the label of whatever lay nearer. A label more than 6 points from its line, or over under a quarter of its days, now
takes the place along the line that :func:`simulator.plots.pool_shares.place_share_label_led` finds (touching it, else
clear of everything with a thin leader to it); where it finds none, the label broken into more lines, or anywhere clear
with a leader (session 62, :func:`simulator.plots.pool_shares._place_off`). A leader must end on the line and cross no
curve. Measured as Agg lays the figure out, in the way of
tests/test_pool_share_label_iea_s61.py: the label's light box against the first share line's drawn points (the one it
is placed by).
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.path import Path
from matplotlib.transforms import Bbox

from simulator.plots.line_labels import drawn_line_labels
from simulator.plots.pool_shares import LEADER_LABEL
from tests.helpers import FIGURE_SIZES, SCENARIOS, shipped_group
from tests.test_cover_label_geometry_s58 import drawn_panels

NEAR_PT = 6.0
"""A label this near its line (points, its box to the line's points under it) touches it."""
OVER_SHARE = 0.25
"""...over at least this share of its width where the line is drawn."""
ON_PT = 1.5
"""A leader's end this near the line, or the label's box, is on it (the leader ends on the text, its box 0.85 points
past it)."""
UNMENDED = {
    ("club_of_five", "report", "Light rare earths"),
    ("club_of_five", "report", "Heavy rare earths"),
    ("long_embargo_12m", "report", "Heavy rare earths"),
    ("long_embargo_12m_2030", "png", "Light rare earths"),
    ("long_embargo_12m_2030", "report", "Light rare earths"),
    ("new_supply_2031", "png", "Heavy rare earths"),
    ("new_supply_2031", "report", "Heavy rare earths"),
}
"""Panels still apart (left where they were), each shown unmendable by the last searches
(:func:`simulator.plots.pool_shares._place_off`): no room touching the first share line, with the label broken
into any of its lines and reaching into the margin before the line's first day, and no clear room from which a
straight leader reaches the line (in session 62 a search of leaders bent once, level from the label's side then up
or down to the line, found none either: it was not kept). The first share line is shut in by curves over all its
days. ``new_supply_2031``: Japan's share runs from 180 days to 0 between the EU's curve and Japan's from their
spike on the first days of 2027, and the room under the EU's share (60 days to 0) above the release lanes is lower
than the label in two lines and the room kept round it. ``long_embargo_12m_2030``'s light rare earths: the shares
lie on the 60-day line between Japan's 90 days and the EU's 45 until Japan's curve falls in March 2030 (0.125 of
the width in: less than ``own pool`` and the room kept round it), then run 8 days under Japan's curve.
``long_embargo_12m`` in the report: the room above the 180 days before the EU's spike in May 2026 is narrower than
``drawable`` and the room round it. ``club_of_five`` in the report: the same spike in panels 2.6 inches wide, the
shares between the members' curves after it. Listed so that a change to any is seen."""


def labelled_panels(name: str, size: str) -> list[tuple[str, Bbox, np.ndarray, list[Path], list[Path], float]]:
    """Each panel with a pool-share label: its title, the label's box, the first share line's drawn points, the
    leaders' drawn paths, the curves' drawn paths, and points per pixel (display units)."""
    axes, renderer, regions = drawn_panels(name, size)  # the figure the s58 tests read, drawn once
    found = []
    for ax in axes:
        labels = [t for t in drawn_line_labels(ax) if "own pool share" in t.get_text().replace("\n", " ")]
        if not labels:
            continue
        share = next(line for line in ax.get_lines() if "own pool share" in line.get_label())
        xy = share.get_xydata()
        points = share.get_transform().transform(xy[np.isfinite(xy).all(axis=1)])
        leaders = [
            t.arrow_patch.get_path().transformed(t.arrow_patch.get_transform())
            for t in ax.texts
            if t.get_label() == LEADER_LABEL
        ]
        curves = [
            Path(line.get_transform().transform(line.get_xydata()[np.isfinite(line.get_xydata()).all(axis=1)]))
            for line in ax.get_lines()
            if line.get_label() in regions
        ]
        box = labels[0].get_bbox_patch().get_window_extent(renderer)
        found.append((ax.get_title(), box, points, leaders, curves, 72 / ax.figure.dpi))
    return found


def touches(box: Bbox, points: np.ndarray, pt: float) -> bool:
    """Whether ``box`` lies over a quarter or more of its width where the line is drawn, within 6 points of it."""
    over = min(box.x1, points[:, 0].max()) - max(box.x0, points[:, 0].min())
    under = points[(points[:, 0] >= box.x0) & (points[:, 0] <= box.x1)]
    if over < OVER_SHARE * box.width or not len(under):
        return False
    return max(box.y0 - under[:, 1].max(), under[:, 1].min() - box.y1) * pt <= NEAR_PT


def led(leader: Path, box: Bbox, points: np.ndarray, curves: list[Path], pt: float) -> bool:
    """Whether ``leader`` runs from the line where it is drawn to the edge of ``box``, crossing no curve.

    Straight (up or down from the box) or bent (across from the box's side, then up or down): one end on the line
    (within :data:`ON_PT` of its height at the end's x, inside its days), the other on the box's edge."""
    order = np.argsort(points[:, 0], kind="stable")
    xs, ys = points[order, 0], points[order, 1]

    def on_line(end: np.ndarray) -> bool:
        return bool(xs[0] <= end[0] <= xs[-1] and abs(end[1] - np.interp(end[0], xs, ys)) * pt <= ON_PT)

    def on_box(end: np.ndarray) -> bool:
        inside_x = box.x0 - 1 <= end[0] <= box.x1 + 1 and box.y0 - 1 <= end[1] <= box.y1 + 1
        edge = min(abs(end[0] - box.x0), abs(end[0] - box.x1), abs(end[1] - box.y0), abs(end[1] - box.y1))
        return inside_x and edge * pt <= ON_PT

    first, last = leader.vertices[0], leader.vertices[-1]
    ends = (on_line(first) and on_box(last)) or (on_line(last) and on_box(first))
    return ends and not any(leader.intersects_path(curve, filled=False) for curve in curves)


CASES = [
    pytest.param(path.stem, size, id=f"{path.stem}-{size}", marks=shipped_group(path.stem))
    for path in SCENARIOS
    for size in FIGURE_SIZES
]


@pytest.mark.parametrize(("name", "size"), CASES)
def test_the_label_touches_its_line_or_a_leader_joins_them(name: str, size: str) -> None:
    """Every label touches its line or has a leader to it that crosses no curve, but in the panels :data:`UNMENDED`
    lists."""
    apart = [
        title
        for title, box, points, leaders, curves, pt in labelled_panels(name, size)
        if not touches(box, points, pt) and not any(led(leader, box, points, curves, pt) for leader in leaders)
    ]
    assert set(apart) == {title for n, s, title in UNMENDED if (n, s) == (name, size)}
