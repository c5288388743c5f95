"""Figures of grids of many points, or of long category labels, stay legible (session 56).

Tests had drawn 2 x 2 grids only. Each test here builds a table the size that broke a figure
and checks what a reader relies on: cells not blended, labels that do not overlap one another,
that stay on the canvas.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

from simulator.sweep.figures import frontier_figure, heatmap_figure, metrics_figure
from tests.test_sweep_statistics import DAYS, MEMBERS, run

MECHANISM, RATIO = "agreement.mechanism", "agreement.ratio.japan"
RULES = ["hybrid", "fair_ratio", "auction"]


def _table(firsts: list, seconds: list, first: str, second: str) -> pd.DataFrame:
    """One run at each point of ``firsts`` x ``seconds``; a member short (2 t, fairness 0.5) at every other point."""
    rows = []
    for i, a in enumerate(firsts):
        for j, b in enumerate(seconds):
            point = i * len(seconds) + j
            row = run(0.0, 0, point, 0, 2.0 if point % 2 else 0.0, 0.5 if point % 2 else 1.0)
            rows.append({k: v for k, v in row.items() if k not in (RATIO, DAYS)} | {first: a, second: b})
    return pd.DataFrame(rows)


def test_a_heatmap_of_3_x_300_points_draws_each_cell_flat_not_blended_into_its_neighbours():
    ratios = list(np.round(np.arange(1, 301) / 1000, 3))
    fig = heatmap_figure(_table(RULES, ratios, MECHANISM, RATIO), MECHANISM, RATIO, MEMBERS)
    images = [image for ax in fig.axes for image in ax.images]
    assert len(images) == 4  # one per key metric: total, fairness, Japan, EU
    # 300 rows in a panel about 3 in high: Matplotlib's default smooths a shrunk image, and
    # blended the 3 rules' columns into one gradient
    assert {image.get_interpolation() for image in images} == {"nearest"}


RULE_NAMES = [  # the release rules of docs/release-rules.md, as a sweep of all of them names them
    "hybrid",
    "fair_ratio",
    "auction",
    "proportional_to_demand",
    "proportional_to_claims",
    "equal_cover",
    "iea_ess",
    "need_with_restraint",
    "equal_awards",
    "equal_losses",
    "talmud",
]
SHARES = [f"{{japan: {a / 100:.2f}, eu: {1 - a / 100:.2f}}}" for a in range(1, 41)]  # 40 long names


def _one_axis(values: list, path: str) -> pd.DataFrame:
    """One run at each of ``values`` of ``path``; a member short at every other one."""
    rows = [run(0.0, 0, i, 0, 2.0 if i % 2 else 0.0, 0.5 if i % 2 else 1.0) for i in range(len(values))]
    return pd.DataFrame(
        [
            {k: v for k, v in row.items() if k not in (RATIO, DAYS)} | {path: v}
            for row, v in zip(rows, values, strict=True)
        ]
    )


def _laid_out(fig) -> RendererAgg:
    """Agg's renderer once ``fig`` is laid out as saved: each tick's label, title and legend in its place.

    The figure is drawn with Agg's drawing calls disabled (``_draw_disabled``, as ``Figure.draw_without_rendering``
    does): every extent is what a whole draw gives, and no text is rasterized (half of a draw's time here).
    """
    renderer = FigureCanvasAgg(fig).get_renderer()
    with renderer._draw_disabled():
        fig.draw(renderer)
    return renderer


def _names(fig, ax, renderer: RendererAgg) -> list:
    """The category names ``ax`` shows under its axis: (text, its point's x in inches, its box in inches), as laid out
    for ``renderer`` (:func:`_laid_out`)."""
    shown = [label for label in ax.get_xticklabels() if label.get_text()]
    return [
        (
            label.get_text(),
            ax.transData.transform((label.get_position()[0], 0))[0] / fig.dpi,
            label.get_window_extent(renderer).transformed(fig.dpi_scale_trans.inverted()),
        )
        for label in shown
    ]


def _panels_in_a_row(fig) -> list:
    """The first row's two panels, left to right."""
    top = [ax for ax in fig.axes if ax.get_visible() and ax.get_xticklabels()]
    first_row = max(ax.get_position().y0 for ax in top)
    return sorted((ax for ax in top if ax.get_position().y0 == first_row), key=lambda ax: ax.get_position().x0)


def test_forty_long_category_names_do_not_overlap_one_another_nor_leave_the_canvas():
    fig = metrics_figure(_one_axis(SHARES, "agreement.ratio"), "agreement.ratio", MEMBERS)
    renderer = _laid_out(fig)
    left, right = (_names(fig, ax, renderer) for ax in _panels_in_a_row(fig))
    for names in (left, right):
        assert 1 < len(names) < len(SHARES)  # some named, not all: 40 would overlap
        assert names[0][0] == SHARES[0]  # the first point is named
        # slanted 30 degrees, right-aligned at their points: parallel lines, as far apart across
        # their baselines as half the distance between their points; 10 pt text needs 10 pt
        across_in = np.diff([x for _, x, _ in names]) / 2
        assert across_in.min() >= 10 / 72
    assert min(box.x0 for _, _, box in left) >= 0  # none off the canvas's left edge
    # the right panel's names stop short of where the left panel's end
    assert min(box.x0 for _, _, box in right) > max(box.x1 for _, _, box in left)


def test_the_eleven_release_rules_are_all_named_where_they_fit():
    fig = metrics_figure(_one_axis(RULE_NAMES, MECHANISM), MECHANISM, MEMBERS)
    renderer = _laid_out(fig)
    for ax in _panels_in_a_row(fig):
        assert [text for text, _, _ in _names(fig, ax, renderer)] == RULE_NAMES


def _boxes(fig) -> dict:
    """Each heatmap panel's boxes in inches, as saved, by (row, column): y names, x names, title, colour bar."""
    renderer, inches = _laid_out(fig), fig.dpi_scale_trans.inverted()
    out = {}
    for ax in fig.axes:
        if not ax.images or ax.get_label() == "<colorbar>":
            continue
        spec = ax.get_subplotspec().get_topmost_subplotspec()
        out[spec.rowspan.start, spec.colspan.start] = [
            box.transformed(inches)
            for box in (
                ax.yaxis.get_tightbbox(renderer),
                ax.xaxis.get_tightbbox(renderer),
                ax.title.get_window_extent(renderer),
                ax.images[0].colorbar.ax.get_tightbbox(renderer),
            )
        ]
    return out


def _clear_of_one_another(fig) -> None:
    """No axis's names off the canvas, over the colour bar on their left or over the title below them."""
    width, _ = fig.get_size_inches()
    boxes = _boxes(fig)
    assert len(boxes) == 4
    for (row, col), (y_names, x_names, _, bar) in boxes.items():
        assert y_names.x0 >= 0 and x_names.x0 >= 0 and x_names.y0 >= 0 and bar.x1 <= width
        if (row, col - 1) in boxes:
            assert y_names.x0 > boxes[row, col - 1][3].x1  # clear of the left panel's colour bar
        if (row + 1, col) in boxes:
            assert x_names.y0 > boxes[row + 1, col][2].y1  # clear of the title of the panel below


def test_a_heatmap_of_the_eleven_rules_by_300_ratios_keeps_every_name_clear():
    # panels: total, fairness, Japan and EU all drawn (a member short at every other point)
    ratios = list(np.round(np.arange(1, 301) / 1000, 3))
    _clear_of_one_another(heatmap_figure(_table(ratios, RULE_NAMES, RATIO, MECHANISM), RATIO, MECHANISM, MEMBERS))
    _clear_of_one_another(heatmap_figure(_table(RULE_NAMES, ratios, MECHANISM, RATIO), MECHANISM, RATIO, MEMBERS))


def test_a_heatmap_of_forty_long_names_along_its_foot_keeps_them_on_the_canvas():
    # right-aligned and slanted 45 degrees, the first names reach left of the first panel: they reached
    # 0.46 in past the canvas's left edge when only the names down the side were measured
    shares = [f"{{japan: {a / 100:.2f}, eu: {1 - a / 100:.2f}, united_states: 0.0}}" for a in range(1, 41)]
    table = _table(shares, [0.2, 0.8], "agreement.ratio", RATIO)
    _clear_of_one_another(heatmap_figure(table, "agreement.ratio", RATIO, MEMBERS))


LONG = ["proportional_to_claims_with_a_floor_of_need_first", "equal_cover_after_restraint_of_every_member_too"]


def test_long_category_names_widen_the_metrics_figure_not_squeeze_its_panels():
    fig = metrics_figure(_one_axis(LONG, MECHANISM), MECHANISM, MEMBERS)
    width, _ = fig.get_size_inches()
    # 4.3 in a column less the default margins (0.75 left, 0.2 right, 0.9 between): 3.375 in a panel, as with
    # short names; the margins the names need are added to the figure (it squeezed the panels to about 1.07 in)
    for ax in _panels_in_a_row(fig):
        assert ax.get_position().width * width == pytest.approx((8.6 - 0.75 - 0.2 - 0.9) / 2)
    assert width > 8.6
    renderer, inches = _laid_out(fig), fig.dpi_scale_trans.inverted()
    for ax in _panels_in_a_row(fig):  # titles, axis names and category names all on the canvas
        box = ax.get_tightbbox(renderer).transformed(inches)
        assert box.x0 >= 0 and box.x1 <= width


def test_a_category_named_by_an_empty_text_draws():
    fig = metrics_figure(_one_axis([""], MECHANISM), MECHANISM, MEMBERS)  # max() of no name's reach raised
    assert len(_panels_in_a_row(fig)) == 2


def test_a_heatmap_of_short_names_keeps_its_size_and_margins():
    fig = heatmap_figure(_table([0.2, 0.8], [60, 120], RATIO, DAYS), RATIO, DAYS, MEMBERS)
    # 4.6 in a column; 3.8 in a row, 0.6 in for the title
    assert tuple(fig.get_size_inches()) == pytest.approx((9.2, 8.2))
    assert fig.subplotpars.left == pytest.approx(0.95 / 9.2) and fig.subplotpars.bottom == pytest.approx(1.0 / 8.2)


def test_a_frontier_of_300_efficient_points_writes_only_labels_that_fit_beside_their_dots():
    # total 0, 1, ..., 299 t and fairness rising with it: every point efficient, each dot 1.6 pt from the next
    ratios = np.round(np.linspace(0.001, 1, 300), 4)
    rows = [run(float(r), 0, i, 0, float(i), 0.5 + 0.5 * i / 300) for i, r in enumerate(ratios)]
    fig = frontier_figure(pd.DataFrame(rows).drop(columns=[DAYS]), [RATIO], MEMBERS)
    (ax,) = fig.axes
    renderer = _laid_out(fig)
    labels = [(text, text.get_window_extent(renderer)) for text in ax.texts]
    assert 1 < len(labels) < 300
    assert all(text.arrow_patch is None for text, _ in labels)  # none led from afar to its dot
    for k, (_, box) in enumerate(labels):
        assert not any(box.overlaps(other) for _, other in labels[k + 1 :])
    written, wanted = re.search(r"(\d+) of (\d+): the others would overlap", ax.get_title()).groups()
    assert int(written) == len(labels) and int(wanted) > len(labels)


def _median_lines(ax) -> list:
    return [line for line in ax.get_lines() if line.get_label() in ("median", "one run")]


def test_a_metrics_panel_of_1000_points_draws_its_median_as_a_line_not_a_pile_of_dots():
    ratios = list(np.round(np.arange(1000) / 1000, 3))  # 0.9 x 3.4 in / 1,000 = 0.22 pt apart, dots 3 pt wide
    fig = metrics_figure(_one_axis(ratios, RATIO), RATIO, MEMBERS)
    (line,) = _median_lines(fig.axes[0])  # total shortfall
    assert line.get_marker() in ("None", None, "") and len(line.get_xdata()) == 1000


def test_a_lone_point_between_gaps_keeps_its_dot_where_the_line_has_none():
    short = np.zeros(1000, bool)
    short[:500] = short[700] = True  # fairness: points 0-499 joined by a line, 700 alone between gaps
    ratios = np.round(np.arange(1000) / 1000, 3)
    rows = [run(float(r), 0, i, 0, 2.0 if short[i] else 0.0, 0.5 if short[i] else 1.0) for i, r in enumerate(ratios)]
    fig = metrics_figure(pd.DataFrame(rows).drop(columns=[DAYS]), RATIO, MEMBERS)
    (fairness,) = [ax for ax in fig.axes if ax.get_title().startswith("Fairness")]
    dotted = [line for line in fairness.get_lines() if line.get_marker() == "o"]
    assert [list(line.get_xdata()) for line in dotted] == [[0.7]]


def test_a_metrics_panel_of_eleven_points_keeps_a_dot_at_each():
    ratios = list(np.round(np.arange(11) / 10, 1))
    fig = metrics_figure(_one_axis(ratios, RATIO), RATIO, MEMBERS)
    (line,) = _median_lines(fig.axes[0])
    assert line.get_marker() == "o"


def _named(axis) -> list[str]:
    return [label.get_text() for label in axis.get_ticklabels() if label.get_text()]


def test_a_heatmap_names_each_of_the_eleven_rules_down_its_side_where_they_fit():
    fig = heatmap_figure(_table([0.1, 0.2, 0.3], RULE_NAMES, RATIO, MECHANISM), RATIO, MECHANISM, MEMBERS)
    panels = [ax for ax in fig.axes if ax.images and ax.get_label() != "<colorbar>"]
    for ax in panels:  # 11 rows in a panel about 2.7 in high: 0.25 in apart, 7 pt names need 0.1 in
        assert _named(ax.yaxis) == RULE_NAMES  # every other one used to be left unnamed
        assert _named(ax.xaxis) == ["0.1", "0.2", "0.3"]


def test_a_heatmap_names_each_of_the_eleven_rules_along_its_foot_in_parallel_lines():
    fig = heatmap_figure(_table(RULE_NAMES, [0.1, 0.2, 0.3], MECHANISM, RATIO), MECHANISM, RATIO, MEMBERS)
    panels = [ax for ax in fig.axes if ax.images and ax.get_label() != "<colorbar>"]
    for ax in panels:
        labels = [label for label in ax.get_xticklabels() if label.get_text()]
        assert [label.get_text() for label in labels] == RULE_NAMES
        # each ends at its own cell, slanted 45 degrees: parallel lines, as far apart across
        # them as sin 45 of the cells' width; 7 pt names need 7 pt
        assert {(label.get_ha(), label.get_rotation_mode(), label.get_rotation()) for label in labels} == {
            ("right", "anchor", 45.0)
        }
        cell_in = ax.get_position().width * fig.get_figwidth() / len(RULE_NAMES)
        assert cell_in * np.sin(np.pi / 4) >= 7 / 72


def _title_gap_in(fig) -> float:
    """How far the bottom of ``fig``'s bold title lies above the top of the highest panel title, as saved (inches)."""
    renderer, inches = _laid_out(fig), fig.dpi_scale_trans.inverted()
    title = fig._suptitle.get_window_extent(renderer).transformed(inches)
    panels = [ax.title.get_window_extent(renderer).transformed(inches) for ax in fig.axes if ax.get_title()]
    return title.y0 - max(panel.y1 for panel in panels)


@pytest.mark.parametrize(
    ("table", "first", "second"),
    [
        (_table([0.2, 0.8], [60, 120], RATIO, DAYS), RATIO, DAYS),  # 8.2 in high
        (_table(RULE_NAMES, [0.1, 0.2, 0.3], MECHANISM, RATIO), MECHANISM, RATIO),  # taller: slanted names at its foot
    ],
)
def test_a_heatmaps_bold_title_stands_clear_above_the_top_rows_panel_titles(table, first, second):
    # 2% of the height down (Matplotlib's default) left 0.04 in of a 2 x 2 figure and 0.03 in
    # of a taller one between the bold title and the two-line panel titles: they read as one block
    assert _title_gap_in(heatmap_figure(table, first, second, MEMBERS)) > 0.06


QUOTA = "shocks.china_quota_2011.tonnes_per_period"


def _quota_grid() -> pd.DataFrame:
    """Issue 19's grid of 10,000 points: 100 ratios x quotas of 10,000-19,900 t; totals up to 19,800 t at 2 of 3 points.

    Colour bars labelled up to 15,000 t or more reach into the gap where the next panel names its quotas.
    """
    rows = []
    for i, ratio in enumerate(np.round(np.arange(1, 101) / 100, 2)):
        for j, quota in enumerate(range(10_000, 20_000, 100)):
            point = i * 100 + j
            total = (20_000 - quota) * (1 + ratio) if point % 3 else 0.0
            row = run(float(ratio), 0, point, 0, float(total), 0.5 if total else 1.0)
            rows.append({k: v for k, v in row.items() if k != DAYS} | {QUOTA: quota})
    return pd.DataFrame(rows)


def test_a_heatmap_of_10000_points_is_made_once_and_not_drawn_to_measure_its_names(monkeypatch):
    # a whole draw only to measure the names took a third of the figure's time, and where they
    # collided (here: colour bars' labels against the next panel's quotas) the figure was made twice
    from matplotlib.figure import Figure

    import simulator.sweep.figures as figures

    made, draws = [], []
    new_figure, draw = figures._new_figure, Figure.draw
    monkeypatch.setattr(figures, "_new_figure", lambda figsize: made.append(figsize) or new_figure(figsize))
    monkeypatch.setattr(Figure, "draw", lambda fig, renderer: draws.append(fig) or draw(fig, renderer))
    fig = heatmap_figure(_quota_grid(), RATIO, QUOTA, MEMBERS)
    assert len(made) == 1 and draws == []
    assert fig.get_figwidth() > 9.2  # widened for the colour bars' labels: 4.6 in a column at the default gap
    _clear_of_one_another(fig)


@pytest.mark.parametrize("regions", [[], ["shortfall_t.japan", "shortfall_t.eu"]])
def test_a_metrics_figures_bold_title_sits_as_far_below_the_top_as_a_heatmaps(regions):
    # two panels (one row, 4.3 in high) or four (two rows, 7.7 in): Matplotlib's default put the title's
    # top 2% of the height down, 0.086 in or 0.154 in; a heatmap's sits 0.12 in down at every height
    table = _one_axis([0.1, 0.5, 0.9], RATIO).drop(
        columns=[c for c in ("shortfall_t.japan", "shortfall_t.eu") if c not in regions]
    )
    fig = metrics_figure(table, RATIO, MEMBERS)
    renderer, inches = _laid_out(fig), fig.dpi_scale_trans.inverted()
    title = fig._suptitle.get_window_extent(renderer).transformed(inches)
    legend = fig.legends[0].get_window_extent(renderer).transformed(inches)
    assert fig.get_figheight() - title.y1 == pytest.approx(0.12, abs=0.005)
    assert title.y0 > legend.y1  # clear of the legend under it
