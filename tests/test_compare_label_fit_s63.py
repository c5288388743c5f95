"""``compare.png``'s bar panels: x labels that fit their panels, inside the figure, titles of a row in one size (s63).

``battery_materials`` draws a totals' panel per material short: its lithium label ``shortfall, t of lithium
chemicals (product weight)``, 2.7 inches at 8 pt under a panel of 1.7, ran into cobalt's label beside it, and the
fairness panels were titled at 8 pt beside the totals' 10 pt. ``china_2025_licensing``'s fairness label ``fairness
of heavy rare earths (Jain's index, 1 = equal)``, 3.7 inches at 10 pt under a panel of 3.1 ending 0.2 inch from
the figure's right edge, was cut off by it. Read from the drawn figure (Agg, at the PNG's 110 dpi).
"""

from __future__ import annotations

from typing import Any

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from simulator.compare import compare
from simulator.plots import compare_figure
from simulator.scenario import load_raw
from tests.helpers import ROOT, shipped_group

SCENARIOS = ("battery_materials", "china_2025_licensing")
PNG_DPI = 110  # as stockpile compare saves compare.png
SLACK_PX = 0.5  # a pixel's rounding
RULES = ["iea_ess", "proportional_to_claims"]  # the longest rule's name: the left margin, as with every rule


@pytest.fixture(scope="module", params=[pytest.param(n, marks=shipped_group(n)) for n in SCENARIOS])
def drawn(request) -> tuple[str, Any, Any]:
    """The scenario's compare.png of :data:`RULES` and its baselines, drawn, and the renderer it was drawn with."""
    path = f"scenarios/{request.param}.yaml"
    comparison = compare(load_raw(ROOT / path), RULES, path)
    fig = compare_figure(comparison.results, comparison.skipped, comparison.baselines)
    fig.set_dpi(PNG_DPI)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return request.param, fig, canvas.get_renderer()


def _labelled(fig) -> list[Any]:
    """The panels with an x label: the totals' and fairness bar panels of the last row."""
    return [ax for ax in fig.axes if ax.xaxis.label.get_text()]


def _overlap(a, b) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > SLACK_PX and min(a.y1, b.y1) - max(a.y0, b.y0) > SLACK_PX


def test_the_long_label_is_there_and_no_x_label_overlaps_another_or_the_legend(drawn):
    name, fig, renderer = drawn
    axes = _labelled(fig)
    long = {"battery_materials": "lithium chemicals", "china_2025_licensing": "fairness of heavy rare earths"}[name]
    assert any(long in ax.xaxis.label.get_text().replace("\n", " ") for ax in axes)  # the situation of the fix is drawn
    assert len(axes) == (4 if name == "battery_materials" else 2)
    boxes = [ax.xaxis.label.get_window_extent(renderer) for ax in axes]
    for k, box in enumerate(boxes):
        for other in boxes[k + 1 :]:
            assert not _overlap(box, other), (box, other)
        for legend in fig.legends:
            assert not _overlap(box, legend.get_window_extent(renderer))


def test_each_x_label_lies_under_its_own_tick_labels_short_of_the_next_panel(drawn):
    _, fig, renderer = drawn
    axes = _labelled(fig)
    frames = [ax.get_window_extent(renderer) for ax in axes]
    for ax, frame in zip(axes, frames, strict=True):
        box = ax.xaxis.label.get_window_extent(renderer)
        for other in frames:  # no further than halfway to the panel beside it
            if other.x0 >= frame.x1:
                assert box.x1 <= (frame.x1 + other.x0) / 2, (ax.xaxis.label.get_text(), box)
            if other.x1 <= frame.x0:
                assert box.x0 >= (frame.x0 + other.x1) / 2, (ax.xaxis.label.get_text(), box)
        low, high = sorted(ax.get_xlim())
        ticks = [t for t, x in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True) if low <= x <= high]
        assert ticks and all(box.y1 <= t.get_window_extent(renderer).y0 + SLACK_PX for t in ticks)  # under them


def test_every_text_lies_inside_the_figure(drawn):
    _, fig, renderer = drawn
    width, height = fig.bbox.width, fig.bbox.height
    boxes = [ax.get_tightbbox(renderer) for ax in fig.axes if ax.get_visible()]  # ticks, labels, titles, values
    boxes += [legend.get_window_extent(renderer) for legend in fig.legends]
    boxes += [text.get_window_extent(renderer) for text in [*fig.texts, fig._suptitle] if text and text.get_text()]
    for box in boxes:
        assert box.x0 >= -SLACK_PX and box.x1 <= width + SLACK_PX, box
        assert box.y0 >= -SLACK_PX and box.y1 <= height + SLACK_PX, box


def test_the_bar_panels_titles_are_in_one_size(drawn):
    name, fig, renderer = drawn
    titled = [ax for ax in _labelled(fig) if ax.title.get_text()]
    if name != "battery_materials":  # one material short: its bar panels carry no titles to size
        assert titled == []
        return
    # lithium and cobalt, totals and fairness
    assert [ax.title.get_text() for ax in titled] == ["Cobalt", "Lithium", "Lithium", "Cobalt"]
    boxes = [ax.title.get_window_extent(renderer) for ax in titled]
    assert not any(_overlap(a, b) for k, a in enumerate(boxes) for b in boxes[k + 1 :])
    assert all(ax.title.get_fontsize() == 10 for ax in titled)  # the panels' above: room for it
