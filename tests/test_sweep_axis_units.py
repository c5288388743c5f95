"""Swept axes are titled with the scenario schema's unit, as panels are with the registry's:
``shocks.halt.duration_days.mean`` read without its "(days)" while every panel title had a unit."""

from __future__ import annotations

import pandas as pd

from simulator.sweep.figures import heatmap_figure, metrics_figure

RATIO, MEAN = "agreement.ratio.japan", "shocks.halt.duration_days.mean"
MECHANISM = "agreement.mechanism"


def table(paths: dict[str, list]) -> pd.DataFrame:
    """Two runs at each point of the grid of ``paths`` (first path fastest), shortfalls varying by point."""
    import itertools

    rows = []
    values = list(itertools.product(*reversed(list(paths.values()))))
    for point, combo in enumerate(values):
        for run in range(2):
            rows.append(
                {
                    **dict(zip(reversed(list(paths)), combo, strict=True)),
                    "point": point,
                    "run": run,
                    "seed": run,
                    "total_shortfall_t": 10.0 * point + run,
                    "shortfall_t.japan": 4.0 * point + run,
                    "shortfall_t.eu": 6.0 * point,
                }
            )
    return pd.DataFrame(rows)


def test_heatmap_axes_carry_the_schema_s_unit():
    fig = heatmap_figure(table({RATIO: [0.2, 0.8], MEAN: [60, 180]}), RATIO, MEAN, ["japan", "eu"])
    drawn = [ax for ax in fig.axes if ax.get_xlabel()]
    assert drawn
    assert {(ax.get_xlabel(), ax.get_ylabel()) for ax in drawn} == {
        (f"{RATIO} (fraction)", f"{MEAN} (days)")  # a distribution's mean: the unit of the value it draws
    }


def test_a_metrics_axis_carries_the_unit_and_a_path_without_one_stays_bare():
    fig = metrics_figure(table({MEAN: [60, 120, 180]}), MEAN, ["japan", "eu"])
    assert {ax.get_xlabel() for ax in fig.axes if ax.get_visible() and ax.get_xlabel()} == {f"{MEAN} (days)"}
    fig = metrics_figure(table({MECHANISM: ["fair_ratio", "auction"]}), MECHANISM, ["japan", "eu"])
    assert {ax.get_xlabel() for ax in fig.axes if ax.get_visible() and ax.get_xlabel()} == {MECHANISM}
