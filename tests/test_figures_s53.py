"""Figure fixes of session 53: every legend inside its figure.

Stop 51 found china_2025_licensing's one-column legends 0.01 inch wider than their figure at the
report's width (7.1 inches): a licensing shock's label measures 6.50 inches at 8.5 pt, Agg draws
it 6.69 inches wide at 100 dpi (hinting), and the legend's padding, swatch and gap add 0.425 inch
(7.11 inches in all). Such a label is now broken after a comma, and the legend's height counts
the line it gains.
"""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from simulator.plots import (
    LEGEND_PT,
    legend_height_in,
    legend_layout,
    run_figures,
    text_width_in,
    wrapped_lines,
    wrapped_title,
)
from tests.helpers import FIGURE_SIZES, each_shipped, figure_size, shipped_cover_figure, shipped_group, shipped_result

SIZES = FIGURE_SIZES
"""``stockpile run``'s PNGs (10.4 inches for two materials), and the report's figures drawn by the same functions."""
DPIS = (100, 110)
"""Matplotlib's default (where the overflow was measured) and the PNGs' (``write_figures``)."""
SUSPENDED = (
    "Licensing: China \u2192 Japan, EU, 70% of licences approved after 0-28 days,"
    " suspended 7 Nov 2025 \u2013 9 Nov 2026"
)
"""china_2025_licensing's longest legend label (its fourth shock)."""


def legend_boxes(fig: Figure, dpi: float) -> list[tuple[float, float, float, float]]:
    """Each legend's extent in inches (x0, x1, y0, y1) as Agg lays it out at ``dpi``: the figure's size is not drawn.
    The figure keeps its own dpi (the days of cover's is :func:`shipped_cover_figure`'s, which other tests draw)."""
    own_dpi = fig.get_dpi()
    fig.set_dpi(dpi)
    try:
        renderer = FigureCanvasAgg(fig).get_renderer()
        boxes = [legend.get_window_extent(renderer) for legend in fig.legends]
    finally:
        fig.set_dpi(own_dpi)
    return [(b.x0 / dpi, b.x1 / dpi, b.y0 / dpi, b.y1 / dpi) for b in boxes]


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
@pytest.mark.parametrize("name", each_shipped())
def test_every_legend_of_a_shipped_run_figure_lies_inside_its_figure(name, size):
    result = shipped_result(name)
    measured = 0
    for figure, make in run_figures(result).items():
        fig = shipped_cover_figure(name, size) if figure == "days_of_cover" else make(result, **figure_size(size))
        width, height = fig.get_size_inches()
        measured += len(fig.legends)  # none where a figure is a sentence (nobody short: no shortfall curves)
        for dpi in DPIS:
            for x0, x1, y0, y1 in legend_boxes(fig, dpi):
                where = (
                    f"{figure} at {dpi} dpi: x {x0:.3f}-{x1:.3f} of {width:.2f}, y {y0:.3f}-{y1:.3f} of {height:.2f}"
                )
                assert x0 >= 0 and x1 <= width and y0 >= 0 and y1 <= height, where
    assert measured >= 2  # the days of cover's and the supply mix's at least


@shipped_group("china_2025_licensing")
def test_the_licensing_label_too_long_for_a_report_figure_is_broken_after_a_comma_and_its_legend_made_taller():
    assert 6.4 < text_width_in([SUSPENDED], LEGEND_PT) < 6.6  # 6.50 inches: with 0.425 of pads, 0.11 under 7.1
    fig = shipped_cover_figure("china_2025_licensing", "report")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    (legend,) = fig.legends
    texts = [t.get_text() for t in legend.get_texts()]
    assert SUSPENDED.replace(", suspended", ",\nsuspended") in texts  # two lines, the suspension on the second
    broken = [t for t in texts if "\n" in t]  # the labels that need it: it and the two quotas (caps named by material)
    assert len(broken) == 3 and all(t.startswith("Export quota: China → Japan, EU,\ncap of ") for t in broken[::2])
    # the line it gains is counted: the legend stays under the dates, clear of them (as test_figure_format_s51)
    lowest = min(ax.get_tightbbox(renderer).y0 for ax in fig.axes if ax.get_visible())
    gap_in = (lowest - legend.get_window_extent(renderer).y1) / fig.dpi
    assert 0.05 <= gap_in <= 0.15, gap_in


def test_a_legend_keeps_its_labels_whole_where_they_fit_and_breaks_only_in_one_column():
    short = ["Japan", "EU"]
    assert legend_layout(short, 7.1) == (short, 2)  # whole, side by side
    # 6.50 inches of text and 0.425 of pads, at most 4% wider drawn: 7.18 inches, more than 7.1 less 0.1 of edges
    labels, columns = legend_layout([*short, SUSPENDED], 7.1)
    assert columns == 1 and labels[:2] == short and labels[2].count("\n") == 1
    assert legend_layout([*short, SUSPENDED], 10.4) == ([*short, SUSPENDED], 1)  # 10.4 inches: room to spare
    # heights: three rows of 0.19 inch, and 0.16 for the second line (0.73); in two columns, the taller is 2 rows
    assert legend_height_in(labels, 1) == pytest.approx(0.73)
    assert legend_height_in(short * 2, 2) == pytest.approx(0.38)


# --- one wrapping rule for every figure's titles and labels (plots.wrapped_title) -----------------------


def test_a_title_with_a_swept_path_too_long_for_a_line_breaks_after_the_paths_dots_not_inside_a_word():
    # 3 inches less 0.3 of margin at 0.105 inch a character: 25 characters a line; the path alone is 46
    title = "sweep of agreement.pool.contributions.eu.light_ree.days"
    assert wrapped_title(title, 3.0) == ["sweep of agreement.pool.", "contributions.eu.", "light_ree.days"]
    # a title of words breaks at spaces as before: 'a title that is long' is 20, the least a line holds
    assert wrapped_title("a title that is long enough to be broken in two", 3.0) == [
        "a title that is long",
        "enough to be broken in",
        "two",
    ]


def test_a_line_breaks_at_spaces_never_inside_a_range_and_a_part_without_dots_is_cut_to_the_width():
    sentence = "Shortfall, EU (t): median 0 at every point (5-95% of runs: 0 to 12)"
    assert wrapped_lines(sentence, 34) == ["Shortfall, EU (t): median 0 at", "every point (5-95% of runs: 0 to", "12)"]
    assert wrapped_lines("agreement.ratio.japan", 80) == ["agreement.ratio.japan"]
    assert wrapped_lines("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert wrapped_lines("", 10) == [""]
