"""A sweep of one grid point (the explorer's "Reproduce this point" command) draws no figure that compares nothing."""

from __future__ import annotations

import pandas as pd

from simulator.sweep.figures import sweep_notes, write_sweep_figures

RATIO, DAYS = "agreement.ratio.japan", "shocks.embargo.duration_days.mean"
MEMBERS = ["japan", "eu"]


def one_point(paths: dict[str, float]) -> pd.DataFrame:
    """Three runs of one grid point, which differ (totals 1, 2, 6 t): the runs alone would make a band."""
    return pd.DataFrame(
        {
            **{path: [value] * 3 for path, value in paths.items()},
            "point": 0,
            "run": [0, 1, 2],
            "seed": [0, 1, 2],
            "total_shortfall_t": [1.0, 2.0, 6.0],
            "fairness_jain": [0.5, 0.6, 0.9],
            "shortfall_t.japan": [0.0, 0.5, 3.0],
            "shortfall_t.eu": [1.0, 1.5, 3.0],
            "shortfall_share.japan": [0.0, 0.25, 0.5],
            "shortfall_share.eu": [1.0, 0.75, 0.5],
        }
    )


def test_a_one_value_axis_draws_no_metrics_figure_and_says_why(tmp_path):
    table, info = one_point({RATIO: 0.5}), {"grid": {RATIO: [0.5]}, "members": MEMBERS}
    assert write_sweep_figures(table, info, tmp_path) == []
    assert list(tmp_path.iterdir()) == []
    assert sweep_notes(table, info) == [
        "sweep_metrics.png not drawn: a metrics figure needs two or more grid points",
        "sweep_frontier.png not drawn: a frontier needs two or more grid points",
    ]


def test_two_one_value_axes_draw_no_heatmap_and_say_why(tmp_path):
    table = one_point({RATIO: 0.5, DAYS: 120})
    info = {"grid": {RATIO: [0.5], DAYS: [120]}, "members": MEMBERS}
    assert write_sweep_figures(table, info, tmp_path) == []
    assert sweep_notes(table, info)[0] == "sweep_heatmap.png not drawn: a heatmap needs two or more grid points"


def test_two_points_still_draw_the_heatmap(tmp_path):
    second = one_point({RATIO: 0.8, DAYS: 120}).assign(point=1, total_shortfall_t=[3.0, 4.0, 5.0])
    table = pd.concat([one_point({RATIO: 0.5, DAYS: 120}), second], ignore_index=True)
    info = {"grid": {RATIO: [0.5, 0.8], DAYS: [120]}, "members": MEMBERS}
    names = [p.name for p in write_sweep_figures(table, info, tmp_path)]
    assert names == ["sweep_heatmap.png", "sweep_frontier.png"]
