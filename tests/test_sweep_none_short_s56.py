"""Where no run has a member short, a fairness panel says "none short" legibly, however many points it has.

A grid of many points used to write the words at every such point: a 100 x 100 heatmap wrote
them 1,800 times over one another (a grey smear, and 2.6 s of the 10,000-point grid's command),
a metrics panel of 100 points a block of overlapping vertical labels (session 56).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.sweep.figures import NONE_SHORT, NONE_SHORT_LINE_IN, heatmap_figure, metrics_figure
from tests.test_sweep_statistics import DAYS, MEMBERS, RATIO, panel, run

RATIOS = np.round(np.arange(1, 101) / 100, 2)  # 0.01 ... 1.00: 100 points, 0.04 in apart in a 4 in panel


def _one_axis(short_at: np.ndarray, ratios: np.ndarray = RATIOS) -> pd.DataFrame:
    """One run at each of ``ratios``; a member short (total 2 t, fairness 0.5) where ``short_at``."""
    points = enumerate(zip(ratios, short_at, strict=True))
    rows = [run(r, 60, i, 0, 2.0 if short else 0.0, 0.5 if short else 1.0) for i, (r, short) in points]
    return pd.DataFrame(rows).drop(columns=DAYS)


def _grid(columns: int, rows: int) -> pd.DataFrame:
    """``columns`` ratios x ``rows`` days, one run each; nobody short in the lowest row of days (60)."""
    ratios, days = np.round(np.arange(1, columns + 1) / columns, 3), 60 + 10 * np.arange(rows)
    runs = [
        run(r, int(d), i * columns + j, 0, 0.0 if d == 60 else 2.0, 1.0 if d == 60 else 0.5)
        for i, d in enumerate(days)
        for j, r in enumerate(ratios)
    ]
    return pd.DataFrame(runs)


def _fairness(fig):
    return panel(fig, "Fairness (Jain's index)")


def _colour_bar_labels(fig) -> list[str]:
    return [ax.get_ylabel() for ax in fig.axes if ax.get_label() == "<colorbar>"]


def test_a_heatmap_of_many_points_says_none_short_once_on_its_colour_bar():
    fig = heatmap_figure(_grid(40, 40), RATIO, DAYS, MEMBERS)
    cells = np.ma.filled(_fairness(fig).images[0].get_array().astype(float), np.nan)
    assert np.isnan(cells[0]).all() and not np.isnan(cells[1:]).any()  # 40 grey cells, in the first row
    assert len(_fairness(fig).texts) == 0
    assert _colour_bar_labels(fig).count(f"grey: {NONE_SHORT}") == 1


def test_a_heatmap_of_few_points_keeps_the_words_in_each_grey_cell():
    fig = heatmap_figure(_grid(3, 3), RATIO, DAYS, MEMBERS)
    assert [(t.get_text(), t.get_position()) for t in _fairness(fig).texts] == [(NONE_SHORT, (c, 0)) for c in range(3)]
    assert f"grey: {NONE_SHORT}" not in _colour_bar_labels(fig)


def test_a_heatmap_of_cells_too_short_for_a_line_says_none_short_once_on_its_colour_bar():
    # 3 columns: cells ~1 in wide, room for the words; 40 rows: cells ~0.06 in tall, under a line of 7 pt (0.13 in)
    fig = heatmap_figure(_grid(3, 40), RATIO, DAYS, MEMBERS)
    cells = np.ma.filled(_fairness(fig).images[0].get_array().astype(float), np.nan)
    assert cells.shape == (40, 3) and np.isnan(cells[0]).all() and not np.isnan(cells[1:]).any()
    assert len(_fairness(fig).texts) == 0
    assert _colour_bar_labels(fig).count(f"grey: {NONE_SHORT}") == 1


def test_a_metrics_panel_of_many_points_bands_each_run_of_neighbours_and_labels_it_once():
    short_at = np.ones(100, bool)
    short_at[:20] = short_at[60:70] = short_at[85] = False  # runs: 0.01-0.20, 0.61-0.70, 0.86 alone
    ax = _fairness(metrics_figure(_one_axis(short_at), RATIO, MEMBERS))
    assert [t.get_text() for t in ax.texts] == [NONE_SHORT] * 3
    # centred on each run: (0.01 + 0.20) / 2, (0.61 + 0.70) / 2, and the lone point itself
    assert [t.get_position()[0] for t in ax.texts] == pytest.approx([0.105, 0.655, 0.86])
    bands = [patch.get_x() for patch in ax.patches]
    widths = [patch.get_width() for patch in ax.patches]
    assert bands == pytest.approx([0.01, 0.61]) and widths == pytest.approx([0.19, 0.09])  # none for a lone point


def test_a_metrics_panel_of_points_far_apart_labels_each_one():
    table = _one_axis(np.array([False, True, False]), np.array([0.2, 0.5, 0.8]))
    ax = _fairness(metrics_figure(table, RATIO, MEMBERS))
    assert [t.get_position()[0] for t in ax.texts] == pytest.approx([0.2, 0.8])
    assert len(ax.patches) == 0


def test_labels_of_runs_close_together_never_overlap():
    short_at = np.ones(100, bool)
    short_at[:40:2] = False  # 20 lone points, every other one: labels at each would overlap
    fig = metrics_figure(_one_axis(short_at), RATIO, MEMBERS)
    ax = _fairness(fig)
    x_in = [ax.transData.transform((t.get_position()[0], 0))[0] / fig.dpi for t in ax.texts]
    assert 1 < len(x_in) < 20
    assert min(np.diff(x_in)) >= NONE_SHORT_LINE_IN
