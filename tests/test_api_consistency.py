"""The Python API takes and refuses arguments as its other functions and the command do.

``run(out=...)`` writes what ``stockpile run -o`` writes (as ``sweep(out=...)`` does for a
sweep), an empty ``grid`` and a ``set`` key that is not a path are refused by name, a
mistyped library name is answered with the names it may mean, and a table with no rows
has the column types of one with rows.
"""

from __future__ import annotations

import copy

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

import simulator
from simulator.cli import main
from simulator.errors import InputError
from tests.helpers import TWO_MEMBERS, contents, forbid_simulation, manifest_of

# --- run(out=...): the files of stockpile run -o, as sweep(out=...) writes those of stockpile sweep -o ---


def test_run_with_out_writes_the_files_of_stockpile_run_byte_for_byte(tmp_path):
    scenario = tmp_path / "two.yaml"
    scenario.write_text(yaml.safe_dump(TWO_MEMBERS))
    cli = tmp_path / "cli"
    done = CliRunner().invoke(main, ["run", str(scenario), "-o", str(cli), "--no-plots"])
    assert done.exit_code == 0, done.output
    result = simulator.run(str(scenario), out=tmp_path / "api", plots=False)
    written, expected = contents(tmp_path / "api"), contents(cli)
    assert sorted(written) == sorted(expected)
    # every file but the manifest (which has the time it was written) is the command's, byte for byte
    assert {k: v for k, v in written.items() if k != "manifest.json"} == {
        k: v for k, v in expected.items() if k != "manifest.json"
    }
    assert manifest_of(tmp_path / "api")["command"] == "run"
    # and the tables returned are those written: the same shortfall, day by day
    on_disk = pd.read_csv(tmp_path / "api" / "timeseries.csv")
    assert on_disk["shortfall_t"].sum() == pytest.approx(result.timeseries["shortfall_t"].sum())
    assert len(result.timeseries) == len(on_disk) > 0


def test_run_with_out_refuses_a_file_it_does_not_own_before_the_run(tmp_path, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "timeseries.csv").write_text("mine")
    forbid_simulation(monkeypatch)
    with pytest.raises(InputError) as caught:
        simulator.run(copy.deepcopy(TWO_MEMBERS), out=folder, plots=False)
    assert "timeseries.csv: exists and is not listed in this folder's manifest.json" in str(caught.value)
    assert contents(folder) == {"timeseries.csv": b"mine"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"out": ""}, "out: give an output folder path (or None to write nothing), not an empty path"),
        ({"out": 5}, "out: give an output folder path (or None to write nothing), not int"),
        ({"plots": "no"}, "plots: must be True or False, got 'no'"),
    ],
)
def test_run_refuses_bad_out_arguments_by_name(tmp_path, monkeypatch, kwargs, message):
    monkeypatch.chdir(tmp_path)
    forbid_simulation(monkeypatch)
    with pytest.raises(InputError) as caught:
        simulator.run(copy.deepcopy(TWO_MEMBERS), **kwargs)
    assert message in str(caught.value)
    assert list(tmp_path.iterdir()) == []


# --- an empty grid, a set key that is not a path: refused by name, before any run ---------------------


@pytest.mark.parametrize("grid", [{}, dict()], ids=["literal", "dict"])
def test_an_empty_grid_is_refused_naming_grid_and_what_to_give(monkeypatch, grid):
    forbid_simulation(monkeypatch)
    with pytest.raises(InputError) as caught:
        simulator.sweep(copy.deepcopy(TWO_MEMBERS), grid=grid, workers=1)
    assert str(caught.value) == (
        "grid: an empty mapping sweeps nothing; give at least one {path: values}, "
        "or grid=None to run the scenario as it is (runs= seeds)"
    )


def test_no_grid_still_runs_the_scenario_once_per_seed():
    # grid=None is the documented default: one point, `runs` seeds (TWO_MEMBERS has no random input: one run)
    with pytest.warns(UserWarning, match="no random inputs"):
        table = simulator.sweep(copy.deepcopy(TWO_MEMBERS), runs=3, workers=1)
    assert len(table) == 1 and table["point"].tolist() == [0]
    assert table["total_shortfall_t"].iloc[0] == pytest.approx(simulator.run(TWO_MEMBERS).metrics["total_shortfall_t"])


@pytest.mark.parametrize("key", [5, 0.3, None, "  "])
@pytest.mark.parametrize("function", ["run", "sweep", "compare"])
def test_a_set_key_that_is_not_a_dotted_path_is_refused_naming_it(monkeypatch, key, function):
    forbid_simulation(monkeypatch)
    with pytest.raises(InputError) as caught:
        getattr(simulator, function)(copy.deepcopy(TWO_MEMBERS), set={key: 1})
    assert str(caught.value) == (
        f"set: the key {key!r} is not a dotted path; give each path as text, such as 'agreement.ratio.japan'"
    )
