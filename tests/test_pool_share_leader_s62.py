"""Pool-share labels that no place beside their line had room for, mended in session 62; and every leader drawn.

Session 61 left 12 panels of the shipped days-of-cover figures with the label apart from its line
(tests/test_pool_share_label_near_s61.py's ``UNMENDED``). Five have room once the label may be broken into more
lines than after its comma and reach into the axis's margin before the line's first day, or sit anywhere clear with
a straight leader to the line: those are checked here as Agg lays them out, against the drawn share line and curves
(no formula of the placement's own). Then every leader of every shipped figure: one end on a share line where it is
drawn, the other on its label's box, crossing no curve.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.path import Path

from simulator.plots.line_labels import drawn_line_labels
from simulator.plots.pool_shares import LEADER_LABEL
from tests.helpers import FIGURE_SIZES, SCENARIOS, shipped_group
from tests.test_cover_label_geometry_s58 import curves_crossed, drawn_box, drawn_panels, inside
from tests.test_pool_share_label_near_s61 import ON_PT, led, touches

MENDED = [
    ("china_2025_licensing", "report"),  # a straight leader from a label clear of the lanes, down to 180 days
    ("club_of_five", "png"),  # broken into more lines, above the 180-day share before the members' spike
    ("long_embargo_12m", "png"),
    ("long_embargo_12m_2030", "png"),
    ("long_embargo_12m_2030", "report"),
]
"""The shipped figures (scenario, size) whose heavy rare-earth panel's pool-share label session 61 left apart."""
TITLE = "Heavy rare earths"


def pool_label(ax):
    """The pool-share label of ``ax`` (its words, lines joined, hold "own pool share"), or None."""
    return next((t for t in drawn_line_labels(ax) if "own pool share" in t.get_text().replace("\n", " ")), None)


def share_points(ax) -> list[np.ndarray]:
    """The drawn points (display units) of each pool-share line of ``ax``, its days without a value left out."""
    found = []
    for line in ax.get_lines():
        if "own pool share" in line.get_label():
            xy = line.get_xydata()
            found.append(line.get_transform().transform(xy[np.isfinite(xy).all(axis=1)]))
    return found


def curve_paths(ax, regions: list[str]) -> list[Path]:
    """The drawn paths (display units) of the regions' curves of ``ax``."""
    paths = []
    for line in ax.get_lines():
        if line.get_label() in regions:
            xy = line.get_xydata()
            paths.append(Path(line.get_transform().transform(xy[np.isfinite(xy).all(axis=1)])))
    return paths


def leaders(ax) -> list[Path]:
    """The drawn paths (display units) of the leaders of ``ax``."""
    return [
        t.arrow_patch.get_path().transformed(t.arrow_patch.get_transform())
        for t in ax.texts
        if t.get_label() == LEADER_LABEL
    ]


@pytest.mark.parametrize(
    ("name", "size"), [pytest.param(n, s, id=f"{n}-{s}", marks=shipped_group(n)) for n, s in MENDED]
)
def test_the_label_left_apart_touches_the_first_share_or_a_leader_joins_them(name: str, size: str) -> None:
    axes, renderer, regions = drawn_panels(name, size)
    ax = next(ax for ax in axes if ax.get_title() == TITLE)
    label = pool_label(ax)
    box = drawn_box(label, renderer)
    points = share_points(ax)[0]  # the first member's: the line the label is placed by
    pt = 72 / ax.figure.dpi
    curves = curve_paths(ax, regions)
    assert touches(box, points, pt) or any(led(leader, box, points, curves, pt) for leader in leaders(ax))
    assert inside(box, ax, renderer)
    assert curves_crossed(ax, box, regions) == []


@pytest.mark.parametrize(
    "name", [pytest.param(path.stem, id=path.stem, marks=shipped_group(path.stem)) for path in SCENARIOS]
)
def test_every_leader_runs_from_a_share_line_to_its_label_crossing_no_curve(name: str) -> None:
    checked = 0
    for size in FIGURE_SIZES:
        axes, renderer, regions = drawn_panels(name, size)
        for ax in axes:
            drawn = leaders(ax)
            if not drawn:
                continue
            checked += len(drawn)
            box = drawn_box(pool_label(ax), renderer)
            pt = 72 / ax.figure.dpi
            curves = curve_paths(ax, regions)
            for leader in drawn:
                where = (name, size, ax.get_title(), leader.vertices.tolist())
                assert any(led(leader, box, points, curves, pt) for points in share_points(ax)), where
                assert all(abs(leader.vertices[0, 0] - x) * pt <= ON_PT for x in leader.vertices[:, 0]), where
    if name == "china_2025_licensing":  # its report's heavy rare earths' label is led to Japan's 180 days
        assert checked >= 1
