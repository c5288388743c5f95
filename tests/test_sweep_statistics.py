"""The sweep figures summarise each point as the frontier and the research guide do.

Every number below is worked out by hand from the rows written here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.sweep.figures import heatmap_figure, metrics_figure

RATIO, DAYS = "agreement.ratio.japan", "shocks.embargo.duration_days.mean"
MEMBERS = ["japan", "eu"]


def run(ratio: float, days: int, point: int, number: int, total: float, fairness: float) -> dict:
    """One run; a total of 0 is a run in which no member is short (Jain's index then 1 by convention)."""
    return {
        RATIO: ratio,
        DAYS: days,
        "point": point,
        "run": number,
        "seed": number,
        "total_shortfall_t": total,
        "fairness_jain": fairness,
        "shortfall_t.japan": total / 4,
        "shortfall_t.eu": 3 * total / 4,
        "shortfall_share.japan": 0.25 if total else 0.0,
        "shortfall_share.eu": 0.75 if total else 0.0,
    }


# 2 x 2 grid (ratio 0.2, 0.8 x 60, 120 days), five runs a point:
#   (0.2, 60):  totals 0, 0, 0, 2, 4; fairness 1, 1, 1 (no one short), 0.5, 0.6
#   (0.8, 60):  totals 0 x 5: no one short in any run
#   (0.2, 120): totals 10, 20, 30, 40, 400; fairness 0.5, 0.6, 0.7, 0.8, 0.9
#   (0.8, 120): totals 12, 22, 32, 42, 402; fairness 0.6, 0.7, 0.8, 0.9, 1.0
POINTS = {
    (0.2, 60): ([0, 0, 0, 2, 4], [1, 1, 1, 0.5, 0.6]),
    (0.8, 60): ([0] * 5, [1] * 5),
    (0.2, 120): ([10, 20, 30, 40, 400], [0.5, 0.6, 0.7, 0.8, 0.9]),
    (0.8, 120): ([12, 22, 32, 42, 402], [0.6, 0.7, 0.8, 0.9, 1.0]),
}
TABLE = pd.DataFrame(
    [
        run(ratio, days, point, i, float(total), float(fair))
        for point, ((ratio, days), (totals, fairness)) in enumerate(POINTS.items())
        for i, (total, fair) in enumerate(zip(totals, fairness, strict=True))
    ]
)


def panel(fig, starts: str):
    return next(ax for ax in fig.axes if ax.get_title().startswith(starts))


def test_the_heatmap_shows_the_median_total_of_each_point_as_the_frontier_does():
    fig = heatmap_figure(TABLE, RATIO, DAYS, MEMBERS)
    ax = panel(fig, "Total shortfall (t)")
    assert "median" in ax.get_title() and "mean" not in ax.get_title()
    # rows: 60, 120 days; columns: ratio 0.2, 0.8. Medians: 0 and 0; 30 and 32 (means would be 1.2, 0; 100, 102)
    assert np.asarray(ax.images[0].get_array(), float).tolist() == [[0.0, 0.0], [30.0, 32.0]]


def test_heatmap_fairness_is_the_median_of_the_runs_with_a_member_short_and_none_short_is_no_data():
    fig = heatmap_figure(TABLE, RATIO, DAYS, MEMBERS)
    ax = panel(fig, "Fairness (Jain's index)")
    assert "with a member short" in ax.get_title()
    cells = np.ma.filled(ax.images[0].get_array().astype(float), np.nan)
    # (0.2, 60): median of 0.5 and 0.6 = 0.55, not the 1 of the three runs with no one short
    # (all five: median 1, mean 0.82); (0.8, 60): no run short, no value; 120 days: 0.7 and 0.8
    assert cells[0, 0] == 0.55 and np.isnan(cells[0, 1])
    assert cells[1].round(9).tolist() == [0.7, 0.8]
    assert [(t.get_text(), t.get_position()) for t in ax.texts] == [("none short", (1, 0))]


def test_the_metrics_figure_leaves_out_runs_with_no_one_short_from_fairness():
    table = TABLE[TABLE[RATIO] == 0.2].drop(columns=RATIO)  # one axis: 60 and 120 days at ratio 0.2
    fig = metrics_figure(table, DAYS, MEMBERS)
    ax = panel(fig, "Fairness (Jain's index)")
    assert "with a member short" in ax.get_title()
    median = ax.lines[0].get_ydata()
    assert np.round(median, 9).tolist() == [0.55, 0.7]  # 0.55 from the two runs short at 60 days, not 1

    none_short = TABLE[TABLE[DAYS] == 60].drop(columns=DAYS)  # ratio 0.8 at 60 days: no run short
    fig = metrics_figure(none_short, RATIO, MEMBERS)
    ax = panel(fig, "Fairness (Jain's index)")
    assert [t.get_text() for t in ax.texts] == ["none short"]
    assert ax.texts[0].get_position()[0] == 0.8
