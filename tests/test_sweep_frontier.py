"""Sweep figures built from actual grid points, sweeps that warn, and registry titles.

Tables here are made by hand so that every median and every efficient point is known.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from simulator.sweep.columns import metric_title
from simulator.sweep.figures import (
    frontier_figure,
    heatmap_figure,
    metrics_figure,
    pool_frontier_figure,
    sweep_notes,
    unchanged_notes,
    unchanged_paths,
    write_sweep_figures,
)
from tests.helpers import TWO_MEMBERS, build

RATIO, LENGTH = "agreement.ratio.japan", "shocks.halt.end"


def table_of(rows: list[tuple]) -> pd.DataFrame:
    """Rows (ratio, length, run, total, fairness, japan, eu) -> a sweep table with point numbers."""
    frame = pd.DataFrame(
        rows,
        columns=[RATIO, LENGTH, "run", "total_shortfall_t", "fairness_jain", "shortfall_t.japan", "shortfall_t.eu"],
    )
    frame.insert(2, "point", frame.groupby([RATIO, LENGTH], sort=False).ngroup())
    frame.insert(4, "seed", frame["run"] + 100)
    frame["holding_cost_usd.japan"] = frame[RATIO] * 1e6
    frame["holding_cost_usd.eu"] = 1e6
    return frame


# 2 ratios x 2 lengths x 3 runs. Point (0.2, 100): totals 10, 30, 20 -> median 20; fairness 0.6, 0.9, 0.7 -> 0.7.
# Taken separately, the medians of japan (2, 9, 5 -> 5) and eu (8, 21, 15 -> 15) match no run.
TABLE = table_of(
    [
        (0.2, 100, 0, 10.0, 0.6, 2.0, 8.0),
        (0.2, 100, 1, 30.0, 0.9, 9.0, 21.0),
        (0.2, 100, 2, 20.0, 0.7, 5.0, 15.0),
        (0.8, 100, 0, 20.0, 0.9, 10.0, 10.0),
        (0.8, 100, 1, 20.0, 0.9, 10.0, 10.0),
        (0.8, 100, 2, 20.0, 0.9, 10.0, 10.0),
        (0.2, 200, 0, 50.0, 0.5, 0.0, 50.0),
        (0.2, 200, 1, 50.0, 0.5, 0.0, 50.0),
        (0.2, 200, 2, 50.0, 0.5, 0.0, 50.0),
        (0.8, 200, 0, 40.0, 1.0, 20.0, 20.0),
        (0.8, 200, 1, 40.0, 1.0, 20.0, 20.0),
        (0.8, 200, 2, 40.0, 1.0, 20.0, 20.0),
    ]
)
INFO = {"grid": {RATIO: [0.2, 0.8], LENGTH: [100, 200]}, "members": ["japan", "eu"]}


def points_drawn(fig) -> dict[tuple[float, float], str]:
    """Every scatter point of a figure -> the colour family it is drawn in (efficient or dominated).

    A frontier of condition groups names each group after the kind (``dominated, halt.end 100``): the kind alone.
    """
    out = {}
    for collection in fig.axes[0].collections:
        kind = collection.get_label().split(", ")[0]
        for x, y in collection.get_offsets():
            out[round(float(x), 6), round(float(y), 6)] = kind
    return out


def test_each_frontier_point_is_one_grid_point_with_the_same_statistic_on_both_axes():
    fig = frontier_figure(TABLE, [RATIO, LENGTH], ["japan", "eu"])
    # medians per point: (0.2,100) -> (20, 0.7); (0.8,100) -> (20, 0.9); (0.2,200) -> (50, 0.5); (0.8,200) -> (40, 1.0)
    assert points_drawn(fig) == {
        (20.0, 0.7): "dominated",  # (20, 0.9) is as efficient and fairer
        (20.0, 0.9): "efficient (Pareto)",
        (50.0, 0.5): "dominated",
        (40.0, 1.0): "efficient (Pareto)",  # more shortfall, but the fairest
    }
    labels = sorted(text.get_text() for text in fig.axes[0].texts)
    assert labels == ["0.2 / 100", "0.2 / 200", "0.8 / 100", "0.8 / 200"]  # every swept axis, none collapsed
    assert "ratio.japan / halt.end" in fig.axes[0].get_title()
    assert fig.axes[0].get_ylim()[0] == pytest.approx(0.5 - 0.015)  # the fairness axis starts at 1/n


def test_the_pool_frontier_puts_holding_cost_against_shortfall():
    fig = pool_frontier_figure(TABLE, [RATIO, LENGTH], ["japan", "eu"])
    # cost (million USD) = ratio + 1; shortfall medians as above. The halt's end is a condition, so
    # efficiency is among the points of the same end: at 200, (1.2, 50) is cheaper and (1.8, 40) shorter,
    # neither beaten by (1.2, 20), whose shorter halt no one can buy
    assert points_drawn(fig) == {
        (1.2, 20.0): "efficient (Pareto)",
        (1.8, 20.0): "dominated",
        (1.2, 50.0): "efficient (Pareto)",
        (1.8, 40.0): "efficient (Pareto)",
    }


def test_a_swept_path_that_changes_nothing_is_named():
    inert = TABLE.copy()
    inert[LENGTH] = inert[LENGTH].map({100: 1, 200: 2})
    same = inert[inert[LENGTH] == 1].copy()
    same[LENGTH] = 2
    flat = pd.concat([inert[inert[LENGTH] == 1], same], ignore_index=True)
    flat["point"] = flat.groupby([RATIO, LENGTH]).ngroup()
    assert unchanged_paths(flat, [RATIO, LENGTH]) == [LENGTH]
    assert unchanged_paths(TABLE, [RATIO, LENGTH]) == []


def test_flat_metrics_become_sentences_and_an_all_flat_figure_is_not_drawn(tmp_path):
    zero = {"shortfall_t.japan": 0.0, "shortfall_t.eu": 0.0, "holding_cost_usd.japan": 5.0}
    flat = TABLE.assign(total_shortfall_t=0.0, fairness_jain=1.0, **zero)
    info = {"grid": {RATIO: [0.2, 0.8]}, "members": ["japan", "eu"]}
    one_axis = flat[flat[LENGTH] == 100]
    assert write_sweep_figures(one_axis, info, tmp_path) == []
    notes = sweep_notes(one_axis, info)
    assert notes[0].startswith("sweep_metrics.png not drawn: every key metric is the same at every point")
    assert "Total shortfall (t): 0 at every point" in notes[0]
    assert not any("changed no output" in n for n in notes)  # noted once, where the sweep finishes
    assert unchanged_notes(one_axis, [RATIO])[0].startswith(f"{RATIO}: its values changed no output")
    partly = one_axis.assign(**{"shortfall_t.eu": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    fig = metrics_figure(partly, RATIO, ["japan", "eu"])
    sentences = [" ".join(t.get_text().split()) for ax in fig.axes for t in ax.texts]
    assert any("Total shortfall (t): 0 at every point" in s for s in sentences)
    assert [ax.get_title() for ax in fig.axes if ax.get_visible()][:2] == [
        "Total shortfall (t)",
        # the table has no shortfall_share columns: every run is summarised, and the title says so
        "Fairness (Jain's index),\nover all runs (1 where none is short)",
    ]


def _panel_corners(fig) -> list[tuple[float, float]]:
    """Lower-left corners (figure fractions, 2 decimals) of a figure's titled panels, in order."""
    return [(round(ax.get_position().x0, 2), round(ax.get_position().y0, 2)) for ax in fig.axes if ax.get_title()]


def test_four_key_metrics_are_drawn_two_by_two_and_a_flat_panel_shows_no_scale():
    partly = TABLE[TABLE[LENGTH] == 100].assign(**{"shortfall_t.japan": 0.0})
    one_axis = metrics_figure(partly, RATIO, ["japan", "eu"])
    two_axes = heatmap_figure(TABLE.assign(**{"shortfall_t.japan": 0.0}), RATIO, LENGTH, ["japan", "eu"])
    for fig in (one_axis, two_axes):
        corners = _panel_corners(fig)
        assert len(corners) == 4
        assert len({x for x, _ in corners}) == 2 and len({y for _, y in corners}) == 2  # 2 columns, 2 rows
        flat = [ax for ax in fig.axes if ax.get_title().startswith("Shortfall, Japan")]
        assert [(list(ax.get_xticks()), list(ax.get_yticks())) for ax in flat] == [([], [])]


def test_metric_titles_come_from_the_registry():
    # the region and material as the figures and the report name them by default
    assert metric_title("shortfall_t.japan") == "Shortfall, Japan (t)"
    assert metric_title("holding_cost_usd.eu") == "Holding cost, EU (USD)"
    assert metric_title("min_days_of_cover.eu.ree") == "Lowest days of cover, EU, rare earths (days)"
    assert metric_title("shortfall_t.south_korea.ndfeb_magnets") == "Shortfall, South Korea, NdFeB magnets (t)"


def test_runs_of_a_scenario_without_random_inputs_are_run_once_and_said_so(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(TWO_MEMBERS, sort_keys=False))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "sweep",
            str(path),
            "--grid",
            "agreement.ratio.japan=0.2,0.8",
            "--runs",
            "5",
            "--workers",
            "1",
            "--no-plots",  # its table and notes alone
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "note: pair has no random inputs, so the 5 runs of each point would all be alike" in result.output
    table = pd.read_parquet(out / "sweep.parquet")
    assert list(table["run"]) == [0, 0]  # one row per run that happened
    info = json.loads((out / "sweep.json").read_text())
    assert info["runs_per_point"] == 1 and "each point runs once" in info["notes"][0]


def test_runs_of_a_random_scenario_are_all_run(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(build(TWO_MEMBERS, regions__japan__demand__ree__noise_cv=0.1), sort_keys=False))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "sweep",
            str(path),
            "--grid",
            "agreement.ratio.japan=0.2,0.8",
            "--runs",
            "3",
            "--workers",
            "1",
            "--no-plots",  # its table and notes alone
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "no random inputs" not in result.output
    assert len(pd.read_parquet(out / "sweep.parquet")) == 6
