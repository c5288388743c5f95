"""``stockpile compare`` on a scenario with random inputs: ``--seed``, the seed recorded, a note (audit s51 item 4).

``embargo_stochastic`` draws demand noise and its embargo's start, length and severity. Every row of a comparison
runs with one seed, so the rules are ranked on one draw of them: at the scenario's seed 2010 ``auction`` leaves the
members 1.831 t of light and 0.080 t of heavy rare earths short, at seed 5 0.045 t of each (each the same as
``stockpile run --set agreement.mechanism=auction`` at that seed; priced far apart, they are not added in compare.csv).
``long_embargo_6m`` draws nothing: no note.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

import simulator
from simulator import load_scenario
from simulator.library import resolve_scenario
from tests.helpers import invoke

DRAWN = ["noise", "shock/china_embargo_both"]
DRAWN_WORDS = ["demand noise", "china_embargo_both's start, length, severity"]
BY_MATERIAL = ["total_shortfall_t.all.light_ree", "total_shortfall_t.all.heavy_ree"]


def _compare(tmp_path, scenario, *args):
    out = tmp_path / "cmp"
    result = invoke("compare", scenario, "--mechanisms", "fair_ratio,auction", "--no-plots", "-o", out, *args)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "compare.csv").set_index("mechanism")
    return result, table, json.loads((out / "manifest.json").read_text())


def test_seed_runs_every_row_with_it_and_is_recorded(tmp_path):
    result, table, manifest = _compare(tmp_path, "embargo_stochastic", "--seed", 5, "--no-baseline")
    alone = simulator.run("embargo_stochastic", set={"agreement.mechanism": "auction"}, seed=5).metrics
    assert list(table.loc["auction", BY_MATERIAL]) == pytest.approx([alone[c] for c in BY_MATERIAL], rel=1e-12)
    assert list(table.loc["auction", BY_MATERIAL]) == pytest.approx([0.0447, 0.0447], abs=1e-4)
    assert (manifest["seed"], manifest["random_inputs"], manifest["random_inputs_words"]) == (5, DRAWN, DRAWN_WORDS)
    note = result.stderr.strip().splitlines()[-1]
    assert note.startswith("note: the comparison is conditional on one draw of the random inputs (demand noise; ")
    assert "seed 5 in every row" in note
    assert note.endswith("embargo_stochastic.yaml --grid agreement.mechanism=fair_ratio,auction --runs 200")
    assert "; for their spread over draws: stockpile sweep " in note  # the scenario as given, resolved
    assert "note:" not in result.stdout  # the table stays clean on stdout


def test_without_seed_the_scenarios_seed_is_used_and_said(tmp_path):
    result, table, manifest = _compare(tmp_path, "embargo_stochastic", "--set", "horizon_days=731")  # as written
    assert list(table.loc["auction", BY_MATERIAL]) == pytest.approx([1.8314, 0.0800], abs=1e-4)
    assert manifest["seed"] == 2010
    assert "seed 2010 in every row" in result.stderr
    assert "embargo_stochastic.yaml --set horizon_days=731 --grid" in result.stderr  # the same world


def test_no_note_without_random_inputs(tmp_path):
    result, _, manifest = _compare(tmp_path, "long_embargo_6m", "--no-baseline")
    assert "one draw" not in result.output
    assert (
        manifest["random_inputs"] == [] and manifest["seed"] == load_scenario(resolve_scenario("long_embargo_6m")).seed
    )


def test_the_api_takes_the_seed_too():
    table = simulator.compare("embargo_stochastic", "auction", seed=5, baseline=False)
    assert list(table.loc[0, BY_MATERIAL]) == pytest.approx([0.0447, 0.0447], abs=1e-4)
