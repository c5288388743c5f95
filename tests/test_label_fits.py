"""Text drawn in a figure's panels stays inside them, at every width the figures are drawn.

The audit found the report's days-of-cover figure (7.1 inches, two panels of 2.6 inches
each) with the label "own pool shares = 60 days, not drawable under the rule" (3.3 inches
at 8.5 pt) running across the light rare earths panel's right edge, cut at "...not drawable
unde" by the heavy panel. club_of_five's panels had the same label past the frame, over the
"60 days" label, and its fan charts had "United States" written over the centred title
"Light rare earths". Each is measured here as drawn by Matplotlib's Agg renderer.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from simulator.report.figures import REPORT_COLUMNS, REPORT_WIDTH_IN
from simulator.sensitivity.figures import fan_figure
from tests.helpers import shipped_comparison, shipped_cover_figure, shipped_group

REPORT = {"width_in": REPORT_WIDTH_IN, "columns": REPORT_COLUMNS}
POOL_LABEL = "own pool shares = 60 days, not drawable under the rule"
SLACK_PX = 0.5  # a pixel's rounding


def drawn(fig: Figure):
    """``fig`` drawn by Agg, and the renderer that measured it."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def inside(inner, outer) -> bool:
    return (
        inner.x0 >= outer.x0 - SLACK_PX
        and inner.x1 <= outer.x1 + SLACK_PX
        and inner.y0 >= outer.y0 - SLACK_PX
        and inner.y1 <= outer.y1 + SLACK_PX
    )


def overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def assert_texts_fit(fig: Figure) -> None:
    """Every text of every panel inside the figure; a panel's texts inside the panel's frame, left to right,
    and none over another; its titles inside the figure and apart."""
    renderer = drawn(fig)
    page = fig.bbox
    for ax in (a for a in fig.axes if a.get_visible()):
        frame = ax.get_window_extent(renderer)
        texts = [t for t in ax.texts if t.get_visible() and t.get_text()]
        boxes = [t.get_window_extent(renderer) for t in texts]
        for text, box in zip(texts, boxes, strict=True):
            where = f"{ax.get_title()!r}: {text.get_text()!r} spans x {box.x0:.0f}-{box.x1:.0f}"
            assert inside(box, page), f"{where}, past the figure's edge {page.x1:.0f}"
            assert frame.x0 - SLACK_PX <= box.x0 and box.x1 <= frame.x1 + SLACK_PX, (
                f"{where}, past its panel's frame x {frame.x0:.0f}-{frame.x1:.0f}"
            )
        for i, a in enumerate(boxes):
            for j in range(i):
                assert not overlap(a, boxes[j]), f"{texts[i].get_text()!r} over {texts[j].get_text()!r}"
        if (note := ax.get_legend()) is not None:  # a fan chart's note: a box inside the panel
            assert inside(note.get_window_extent(renderer), frame), note.get_title().get_text()
        titles = [t for t in (ax.title, ax._left_title, ax._right_title) if t.get_text()]
        for title in titles:
            assert inside(title.get_window_extent(renderer), page), title.get_text()
        for i, a in enumerate(titles):
            for b in titles[:i]:
                assert not overlap(a.get_window_extent(renderer), b.get_window_extent(renderer)), (
                    f"{a.get_text()!r} over {b.get_text()!r}"
                )


@shipped_group("embargo_2010")
def test_the_pool_share_label_fits_its_panel_in_the_report():
    fig = shipped_cover_figure("embargo_2010", "report")
    assert_texts_fit(fig)
    for ax in fig.axes:  # the label keeps its words, broken after its comma: 3.3 inches in a 2.6-inch panel
        labels = [t.get_text() for t in ax.texts if "not drawable" in t.get_text()]
        assert labels == ["own pool shares = 60 days,\nnot drawable under the rule"]


@shipped_group("embargo_2010")
def test_the_pool_share_label_stays_one_line_where_it_fits():
    fig = shipped_cover_figure("embargo_2010")  # days_of_cover.png: panels of 4.3 inches
    assert_texts_fit(fig)
    for ax in fig.axes:
        assert POOL_LABEL in [t.get_text() for t in ax.texts]


@shipped_group("club_of_five")
@pytest.mark.parametrize("size", ["report", "png"])
def test_five_members_labels_fit_and_keep_apart(size):
    """club_of_five: Australia's 3,300 days of pool share stretch the light panel's axis: the 30- and 60-day
    lines and the shares' label lie within a label's height of each other."""
    assert_texts_fit(shipped_cover_figure("club_of_five", size))


def test_long_regions_names_keep_to_a_fan_charts_panels():
    """The United States' curves drawn; South Korea short in a few samples only (median and as written 0), its
    panels a note: "South Korea: median and as written 0 throughout" is 2.9 inches at 8.5 pt."""
    regions, materials, horizon = ["united_states", "south_korea"], ["light_ree", "heavy_ree"], 365
    mid = np.full((horizon, len(regions), len(materials)), 40.0)
    mid[:, 1] = 0.0
    bands = {"p5": 0.5 * mid, "p50": mid, "p95": 1.5 * mid + np.array([0.0, 3.0])[None, :, None]}
    fig = fan_figure(
        bands, mid, regions, materials, dt.date(2026, 1, 1), "Shortfall", "Cumulative shortfall (t)", 100, **REPORT
    )
    assert_texts_fit(fig)
    panel = fig.axes[0]  # the material is still the panel's title, as the run's figures title it
    assert (panel.get_title(loc="left"), panel.get_title()) == ("United States", "Light rare earths")
    note = fig.axes[2].get_legend().get_title().get_text()
    assert note.replace("\n", " ") == "South Korea: median and as written 0 throughout"


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=shipped_group(n)) for n in ("long_embargo_12m", "long_embargo_6m")]
)
def test_the_fairness_labels_of_compare_per_material_fit_their_panel(name):
    """compare.png's per-material layout: a fairness panel about an inch wide, its x axis to 1.15, left about
    0.1 inch right of a bar near 1, less than a label: "0.995" and "1.000" ran past the panel and the figure's
    edge (notes/s50/final_review.md, item 6). long_embargo_6m's bars (0.500 to 0.975) have labels either side.
    Since session 61 one fairness panel per material with two users short, heavy rare earths' last."""
    from simulator.plots import compare_figure

    comparison = shipped_comparison(name)  # compare scenarios/<name>.yaml --mechanisms hybrid,iea_ess, made once
    fig = compare_figure(comparison.results, comparison.skipped, comparison.baselines)
    fair = fig.axes[-1]
    assert (fair.get_title(), fair.get_xlabel()) == ("Heavy rare earths", "fairness (Jain)")  # per material, last
    assert len([t for t in fair.texts if t.get_text()]) == 4  # one label a row: no agreement, own shares, 2 rules
    assert_texts_fit(fig)
