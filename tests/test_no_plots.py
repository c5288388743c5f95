"""``--no-plots`` for ``sweep`` and ``compare`` (``plots=False`` in ``simulator.sweep``): tables, no figures.

A sweep or a comparison is often run for its table alone (a study in a notebook, a CI job);
drawing its figures cost about a third of a small sweep.
"""

from __future__ import annotations

import pytest

import simulator
from simulator.errors import InputError
from tests.helpers import TWO_MEMBERS, invoke, manifest_of
from tests.test_sweep import SMALL_SWEEP, write


def test_a_sweep_without_plots_writes_its_table_and_no_figure_nor_a_note_about_one(tmp_path):
    scenario = write(tmp_path)
    drawn = invoke("sweep", scenario, *SMALL_SWEEP, "--workers", 1, "-o", tmp_path / "sw")
    assert drawn.exit_code == 0, drawn.output
    assert sorted(p.name for p in (tmp_path / "sw").glob("*.png")) == ["sweep_frontier.png", "sweep_metrics.png"]
    table = (tmp_path / "sw" / "sweep.parquet").read_bytes()
    bare = invoke("sweep", scenario, *SMALL_SWEEP, "--workers", 1, "--no-plots", "-o", tmp_path / "sw")
    assert bare.exit_code == 0, bare.output
    # the same runs, the same table; the figures of the earlier sweep go with it (they are its)
    assert (tmp_path / "sw" / "sweep.parquet").read_bytes() == table
    assert not list((tmp_path / "sw").glob("*.png"))
    assert manifest_of(tmp_path / "sw")["files"] == ["manifest.json", "scenario.json", "sweep.json", "sweep.parquet"]
    assert "not drawn" not in bare.output
    redrawn = invoke("plot-sweep", tmp_path / "sw")  # drawn later from the table
    assert redrawn.exit_code == 0, redrawn.output
    assert sorted(p.name for p in (tmp_path / "sw").glob("*.png")) == ["sweep_frontier.png", "sweep_metrics.png"]


def test_a_comparison_without_plots_writes_no_figure(tmp_path):
    scenario = write(tmp_path, TWO_MEMBERS)
    result = invoke(
        "compare", scenario, "--mechanisms", "fair_ratio,proportional_to_demand", "--no-plots", "-o", tmp_path / "c"
    )
    assert result.exit_code == 0, result.output
    # compare.csv and the record of what made it (scenario.json: the scenario as compared), no compare.png
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == ["compare.csv", "manifest.json", "scenario.json"]
    assert "fair_ratio" in (tmp_path / "c" / "compare.csv").read_text()


def test_the_python_sweep_takes_plots_as_the_command_takes_no_plots(tmp_path):
    with pytest.warns(UserWarning, match="leave the members' total shortfall the same"):  # the ratio moves who is short
        table = simulator.sweep(
            write(tmp_path), {"agreement.ratio.japan": [0.2, 0.8]}, runs=2, workers=1, out=tmp_path / "o", plots=False
        )
    assert len(table) == 4
    assert manifest_of(tmp_path / "o")["files"] == ["manifest.json", "scenario.json", "sweep.json", "sweep.parquet"]
    with pytest.raises(InputError, match="plots: must be True or False, got 'no'"):
        simulator.sweep(write(tmp_path), {"agreement.ratio.japan": [0.2]}, workers=1, out=tmp_path / "p", plots="no")
