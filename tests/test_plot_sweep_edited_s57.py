"""plot-sweep on a hand-edited table: what no sweep writes is named on standard error, and what is finite drawn.

NaN or infinite key metrics, and swept values the grid does not list, were drawn without a word
(an infinite run made its point's median infinite; an infinite ratio drew a column labelled ``inf``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import simulator.sweep.figures as figures
from tests.helpers import assert_bad_input, invoke
from tests.test_sweep_figure_fixes import RATIO, two_points, write_sweep

GRID = {RATIO: [0.2, 0.8]}


def _table(totals: list[float], ratios: tuple[float, float] = (0.2, 0.8)) -> pd.DataFrame:
    """Two points of two runs each (at ``ratios[0]``, then at ``ratios[1]``), fairness 0.5, 0.6, 0.7 and 0.8."""
    return two_points(RATIO, ratios, total_shortfall_t=totals, fairness_jain=[0.5, 0.6, 0.7, 0.8])


def _plotted(tmp_path, monkeypatch, table: pd.DataFrame) -> tuple:
    """plot-sweep of ``table`` (grid 0.2, 0.8): its result, its notes on sweep.parquet, and the table it drew."""
    folder = tmp_path / "s"
    write_sweep(folder, table, GRID)
    drawn = []
    write = figures.write_sweep_figures
    monkeypatch.setattr(figures, "write_sweep_figures", lambda t, info, out: drawn.append(t) or write(t, info, out))
    result = invoke("plot-sweep", folder)
    notes = [line for line in result.stderr.splitlines() if "sweep.parquet" in line]
    return result, notes, drawn[0] if drawn else None, folder


@pytest.mark.parametrize("bad", [np.nan, np.inf], ids=["nan", "inf"])
def test_a_run_of_no_finite_total_is_named_and_its_point_drawn_from_its_other_run(tmp_path, monkeypatch, bad):
    # point 0: runs of 10 t and NaN (or inf); point 1: 30 and 50 t. An infinite run made point 0's median
    # infinite ((10 + inf) / 2): its dot fell off the panel, without a word
    result, notes, drawn, folder = _plotted(tmp_path, monkeypatch, _table([10.0, bad, 30.0, 50.0]))
    assert result.exit_code == 0, result.output
    assert notes == [
        f"note: {folder}: sweep.parquet: column total_shortfall_t: 1 of 4 drawn rows is NaN or infinite, which no "
        "sweep writes: the figures draw the finite ones"
    ]
    assert drawn.groupby("point")["total_shortfall_t"].median().tolist() == [10.0, 40.0]
    assert (folder / "sweep_metrics.png").is_file() and (folder / "sweep_frontier.png").is_file()


def test_a_swept_value_the_grid_does_not_list_is_named_and_drawn_where_it_lies(tmp_path, monkeypatch):
    result, notes, drawn, folder = _plotted(tmp_path, monkeypatch, _table([10.0, 20.0, 30.0, 50.0], (0.2, 0.5)))
    assert result.exit_code == 0, result.output
    assert notes == [
        f"note: {folder}: sweep.parquet: column {RATIO}: 0.5 not among the grid's values in sweep.json: "
        "drawn where it lies"
    ]
    assert sorted(drawn[RATIO].unique()) == [0.2, 0.5]


def test_an_infinite_swept_number_is_named_and_its_rows_left_out(tmp_path, monkeypatch):
    # it drew a third column (or a point) labelled 'inf' in the figures
    table = pd.concat(
        [_table([10.0, 20.0, 30.0, 50.0]), _table([1.0, 2.0, 3.0, 5.0], (np.inf, 0.8)).head(2).assign(point=2)]
    )
    result, notes, drawn, folder = _plotted(tmp_path, monkeypatch, table.reset_index(drop=True))
    assert result.exit_code == 0, result.output
    assert notes == [
        f"note: {folder}: sweep.parquet: column {RATIO}: 2 rows at inf, on no scale: left out of the figures"
    ]
    assert len(drawn) == 4 and np.isfinite(drawn[RATIO]).all()


def test_a_table_whose_key_metrics_hold_no_finite_value_is_refused_naming_them(tmp_path, monkeypatch):
    # it exited 0, saying every key metric was 'empty at every point', and drew nothing
    table = _table([np.nan, np.inf, -np.inf, np.nan]).assign(fairness_jain=np.nan)
    result, _, drawn, folder = _plotted(tmp_path, monkeypatch, table)
    assert_bad_input(
        result,
        f"error: {folder}: sweep.parquet: columns total_shortfall_t, fairness_jain: no finite value (NaN or "
        "infinite in every row): nothing to draw",
    )
    assert drawn is None and not list(folder.glob("*.png"))


def test_a_table_whose_every_swept_number_is_infinite_is_refused_naming_the_column(tmp_path, monkeypatch):
    # it drew a heatmap column and a frontier of dots labelled 'inf', exit 0
    table = _table([10.0, 20.0, 30.0, 50.0], (np.inf, -np.inf))
    result, _, drawn, folder = _plotted(tmp_path, monkeypatch, table)
    assert_bad_input(
        result, f"error: {folder}: sweep.parquet: column {RATIO}: no row at a finite value: nothing to draw"
    )
    assert drawn is None and not list(folder.glob("*.png"))


def test_a_metric_finite_only_in_rows_left_out_is_said_to_have_no_finite_drawn_value(tmp_path, monkeypatch):
    # 4 rows at ratios 0.2 and 0.8 with no finite total, 2 rows at an infinite ratio (left out) with totals 1 and 2 t.
    # It said "4 of 6 values are NaN or infinite ...: the figures draw the finite ones", of a panel empty everywhere
    table = pd.concat(
        [_table([np.nan] * 4), _table([1.0, 2.0, 3.0, 5.0], (np.inf, 0.8)).head(2).assign(point=2)]
    ).reset_index(drop=True)
    result, notes, drawn, folder = _plotted(tmp_path, monkeypatch, table)
    assert result.exit_code == 0, result.output
    assert notes == [
        f"note: {folder}: sweep.parquet: column {RATIO}: 2 rows at inf, on no scale: left out of the figures",
        f"note: {folder}: sweep.parquet: column total_shortfall_t: no finite value (NaN or infinite in every drawn "
        "row), which no sweep writes: its panel is empty",
    ]
    assert len(drawn) == 4 and drawn["total_shortfall_t"].isna().all()


def test_a_metric_is_counted_over_the_rows_drawn_not_those_left_out(tmp_path, monkeypatch):
    # drawn: totals 10, NaN, 30, 50 t (1 of 4 not finite); left out: 2 rows at an infinite ratio, one of them NaN.
    # It counted "2 of 6 values"
    table = pd.concat(
        [_table([10.0, np.nan, 30.0, 50.0]), _table([np.nan, 2.0, 3.0, 5.0], (np.inf, 0.8)).head(2).assign(point=2)]
    ).reset_index(drop=True)
    result, notes, _, folder = _plotted(tmp_path, monkeypatch, table)
    assert result.exit_code == 0, result.output
    assert notes[1] == (
        f"note: {folder}: sweep.parquet: column total_shortfall_t: 1 of 4 drawn rows is NaN or infinite, which no "
        "sweep writes: the figures draw the finite ones"
    )
