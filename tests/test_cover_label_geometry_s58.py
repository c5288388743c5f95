"""The days-of-cover figure's line labels as drawn: inside their panels, and the pool share's clear of the curves.

Session 58: in ``long_embargo_12m_2030`` the NdFeB panel's ``own pool share, not drawable`` sat on the EU's share
at 180 days, the axis's top, and ran over the frame; the light rare earths' ``own pool shares, not drawable`` sat
on the 60-day line over Japan's curve where it falls through 60 days; in ``long_embargo_6m``'s report figure
``60 days``, over the 60-day line at the top of an axis that runs to 62 days, touched the NdFeB panel's top.
Each label is measured as Agg draws it (its light box, or its text where it has none), against the panel's frame
and the curves' drawn paths: no formula of the placement's own.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.path import Path

from simulator.names import Names
from simulator.plots.line_labels import drawn_line_labels
from tests.helpers import FIGURE_SIZES, each_shipped, shipped_cover_figure, shipped_group, shipped_result

SIZES = FIGURE_SIZES
"""The figure as ``stockpile run`` writes it, and at the report's width (``simulator.report``'s ``SIZE``)."""
POOL_WORDS = "not drawable"
"""Words of every pool share's label (``own pool share, not drawable``, ``... = 60 days, not drawable ...``)."""


@functools.cache
def drawn_panels(name: str, size: str) -> tuple[list, object, list[str]]:
    """The days-of-cover figure of the shipped scenario ``name`` at ``size``, drawn: its panels, the renderer, and the
    regions' names (its curves' legend labels). Drawn once per test process, from the figure other files of the
    scenario's ``shipped_group`` read too (:func:`shipped_cover_figure`): the tests only read it.

    Agg lays the figure out as it draws it (each text's extent, each light box set around its text) but paints no
    pixel (``_draw_disabled``, as ``Figure.draw_without_rendering`` does): the tests measure places, not pixels, and
    the layout costs less than half of a whole draw."""
    result = shipped_result(name)
    fig = shipped_cover_figure(name, size)
    renderer = FigureCanvasAgg(fig).get_renderer()
    with renderer._draw_disabled():
        fig.draw(renderer)
    names = Names.of(result.scenario)
    return (
        [ax for ax in fig.axes if ax.get_visible()],
        renderer,
        [names.region(r) for r in result.structure.regions],
    )


def panel(axes: list, title: str):
    """The panel titled ``title``."""
    return next(ax for ax in axes if ax.get_title() == title)


def label(ax, words: str):
    """The line label of ``ax`` whose text (lines joined) holds ``words``."""
    return next(t for t in drawn_line_labels(ax) if words in t.get_text().replace("\n", " "))


def drawn_box(text, renderer):
    """The box ``text`` covers as drawn, display units: its light box where it has one, else its text."""
    patch = text.get_bbox_patch()
    return (patch if patch is not None else text).get_window_extent(renderer)


def inside(box, ax, renderer) -> bool:
    """Whether ``box`` lies within the frame of ``ax`` (display units)."""
    frame = ax.get_window_extent(renderer)
    return frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1


def curves_crossed(ax, box, regions: list[str]) -> list[str]:
    """The regions' curves of ``ax`` whose drawn path passes through ``box`` (display units)."""
    crossed = []
    for line in ax.get_lines():
        if line.get_label() in regions:
            xy = line.get_xydata()
            path = Path(line.get_transform().transform(xy[np.isfinite(xy).all(axis=1)]))
            if path.intersects_bbox(box, filled=False):
                crossed.append(line.get_label())
    return crossed


@shipped_group("long_embargo_12m_2030")
@pytest.mark.parametrize("size", SIZES)
def test_the_ndfeb_pool_share_label_stays_under_the_panels_top(size):
    axes, renderer, _ = drawn_panels("long_embargo_12m_2030", size)
    ax = panel(axes, "NdFeB magnets")
    assert ax.get_ylim()[1] < 190  # the EU's share, 180 days, is near the top: the case
    assert inside(drawn_box(label(ax, POOL_WORDS), renderer), ax, renderer)


@shipped_group("long_embargo_12m_2030")
@pytest.mark.parametrize("size", SIZES)
def test_the_light_rare_earths_pool_share_label_covers_no_curve(size):
    axes, renderer, regions = drawn_panels("long_embargo_12m_2030", size)
    ax = panel(axes, "Light rare earths")
    box = drawn_box(label(ax, POOL_WORDS), renderer)
    assert curves_crossed(ax, box, regions) == []
    assert inside(box, ax, renderer)


@shipped_group("long_embargo_6m")
def test_the_60_days_label_stays_under_the_ndfeb_panels_top_in_the_report():
    axes, renderer, _ = drawn_panels("long_embargo_6m", "report")
    ax = panel(axes, "NdFeB magnets")
    assert 60 < ax.get_ylim()[1] < 65  # the 60-day line a few points under the top: the case
    assert inside(drawn_box(label(ax, "60 days"), renderer), ax, renderer)


@pytest.mark.parametrize("name", each_shipped())
def test_every_shipped_pool_share_and_target_label_is_inside_and_the_pool_shares_cover_no_curve(name):
    for size in SIZES:
        axes, renderer, regions = drawn_panels(name, size)
        for ax in axes:
            for text in drawn_line_labels(ax):
                box = drawn_box(text, renderer)
                where = (name, size, ax.get_title(), text.get_text())
                assert inside(box, ax, renderer), where
                if POOL_WORDS in text.get_text().replace("\n", " "):
                    assert curves_crossed(ax, box, regions) == [], where
