"""No frontier where no choice varies: a choice swept with one value offers nothing to choose between.

Session 59's final read: ``--grid agreement.ratio.japan=0.5 --grid shocks.china_embargo.severity=0.5,1.0`` drew
``sweep_frontier.png`` with two one-dot groups, each "efficient in its group", because a choice path was swept at all.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from simulator.cli import main
from tests.helpers import ROOT

SCENARIO = str(ROOT / "scenarios" / "long_embargo_6m.yaml")
SEVERITIES = "shocks.china_embargo.severity=0.5,1.0"


@pytest.mark.parametrize(
    ("choice", "missing"),
    [
        ("agreement.ratio.japan=0.5", ["sweep_frontier.png"]),
        ("agreement.pool.contributions.eu.light_ree.days=30", ["sweep_frontier.png", "sweep_pool_frontier.png"]),
    ],
    ids=["ratio", "pool"],
)
def test_a_choice_with_one_value_draws_no_frontier_and_says_why(tmp_path, choice, missing):
    out = tmp_path / "sweep"
    done = CliRunner().invoke(main, ["sweep", SCENARIO, "--grid", choice, "--grid", SEVERITIES, "-o", str(out)])
    assert done.exit_code == 0, done.output
    path = choice.split("=")[0]
    for figure in missing:
        assert not (out / figure).exists()
        assert (
            f"note: {figure} not drawn: no choice varies ({path} takes one value; shocks.china_embargo.severity is a "
            "condition)"
        ) in done.output, done.output
    assert (out / "sweep_heatmap.png").exists()  # the grid's figure is still drawn


def test_a_choice_with_two_values_draws_the_frontier(tmp_path):
    out = tmp_path / "sweep"
    grid = ["--grid", "agreement.ratio.japan=0.3,0.7", "--grid", SEVERITIES]
    done = CliRunner().invoke(main, ["sweep", SCENARIO, *grid, "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert (out / "sweep_frontier.png").exists(), done.output
