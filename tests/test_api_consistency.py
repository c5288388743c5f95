"""The Python API takes and refuses arguments as its other functions and the command do.

``run(out=...)`` writes what ``stockpile run -o`` writes (as ``sweep(out=...)`` does for a
sweep), an empty ``grid`` and a ``set`` key that is not a path are refused by name, a
mistyped library name is answered with the names it may mean, and a table with no rows
has the column types of one with rows.
"""

from __future__ import annotations

import copy
import types

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

import simulator
from simulator.api.runs import _run_result
from simulator.cli import main
from simulator.errors import InputError, ScenarioError
from tests.helpers import (
    TWO_MEMBERS,
    assert_bad_input,
    contents,
    forbid_simulation,
    invoke,
    manifest_of,
    shipped_group,
    shipped_result,
)

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


@pytest.mark.parametrize("grid", [{}, types.MappingProxyType({})], ids=["dict", "read-only mapping"])
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
@pytest.mark.parametrize(
    ("function", "argument"), [("run", "set"), ("sweep", "set"), ("compare", "set"), ("sweep", "grid")]
)
def test_a_set_or_grid_key_that_is_not_a_dotted_path_is_refused_naming_it(monkeypatch, key, function, argument):
    forbid_simulation(monkeypatch)
    with pytest.raises(InputError) as caught:
        getattr(simulator, function)(copy.deepcopy(TWO_MEMBERS), **{argument: {key: [1]}})
    assert str(caught.value) == (
        f"{argument}: the key {key!r} is not a dotted path; give each path as text, such as 'agreement.ratio.japan'"
    )


# --- a mistyped library name: "did you mean", exit 2, before anything is made -------------------------

TYPO = "file not found, nor a scenario of that name; did you mean "


@pytest.mark.parametrize(
    ("command", "extra"),
    [("run", ("-o", "out")), ("sweep", ("-o", "out")), ("report", ("-o", "out.html")), ("compare", ("-o", "out"))],
)
def test_the_command_line_suggests_the_library_names_close_to_a_typo(tmp_path, monkeypatch, command, extra):
    monkeypatch.chdir(tmp_path)  # no ./scenarios: the shipped library is searched
    forbid_simulation(monkeypatch)
    result = invoke(command, "embargo_201", *extra)
    assert_bad_input(result, f"error: embargo_201: {TYPO}'embargo_2010', 'embargo_2010_scarce' or 'long_embargo_12m'?")
    assert list(tmp_path.iterdir()) == []  # refused before any folder or file was made


def test_the_python_api_suggests_the_closest_name_first(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    forbid_simulation(monkeypatch)
    with pytest.raises(ScenarioError) as caught:
        simulator.run("embargo_20100")
    assert str(caught.value) == f"embargo_20100: {TYPO}'embargo_2010', 'embargo_2010_scarce' or 'long_embargo_6m_2030'?"
    with pytest.raises(ScenarioError) as caught:
        simulator.sweep("club_of_fiv.yaml", workers=1)  # a suffix given is not part of the name compared
    assert str(caught.value) == f"club_of_fiv.yaml: {TYPO}'club_of_five'?"
    with pytest.raises(ScenarioError) as caught:
        simulator.run("no_such_scenario")  # nothing close: where it was looked for
    from simulator.library import shipped_library

    assert str(caught.value) == (
        "no_such_scenario: file not found here, nor as no_such_scenario.yaml or no_such_scenario.yml in "
        f"./scenarios ({tmp_path.resolve() / 'scenarios'}) or the shipped library ({shipped_library().resolve()})"
    )


def test_a_local_scenario_is_suggested_too_and_a_sweep_file_names_one_by_bare_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "two_members.yaml").write_text(yaml.safe_dump(TWO_MEMBERS))
    forbid_simulation(monkeypatch)
    assert_bad_input(invoke("run", "two_member", "-o", "out"), f"two_member: {TYPO}'two_members'?")
    spec = tmp_path / "spec.yaml"
    spec.write_text("scenario: two_membres\n")  # a sweep file's scenario is a bare name too, as SCENARIO is
    assert_bad_input(invoke("sweep", "--spec", spec, "-o", "out"), f"two_membres: {TYPO}'two_members'?")
    assert not (tmp_path / "out").exists()


def test_a_sweep_file_naming_a_library_scenario_by_bare_name_runs_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "two_members.yaml").write_text(yaml.safe_dump(TWO_MEMBERS))
    spec = tmp_path / "spec.yaml"
    spec.write_text("scenario: two_members\n")
    result = invoke("sweep", "--spec", spec, "--no-plots", "--workers", 1, "-o", "out")
    assert result.exit_code == 0, result.output
    table = pd.read_parquet(tmp_path / "out" / "sweep.parquet")
    assert table["total_shortfall_t"].tolist() == pytest.approx(
        [simulator.run("two_members").metrics["total_shortfall_t"]]
    )


# --- a table with no rows has the column types of one with rows ----------------------------------------


@shipped_group("long_embargo_6m")
def test_empty_tables_have_the_dtypes_of_full_ones():
    bare = copy.deepcopy(TWO_MEMBERS)
    del bare["agreement"]
    bare["shocks"] = []
    empty = simulator.run(bare)  # no agreement, no shock: releases, auctions, ledger and shocks have no rows
    full = _run_result(shipped_result("long_embargo_6m"))  # every one of them has rows
    text = pd.Series(["x"]).dtype  # what pandas makes of text ('str' from pandas 3, 'object' before)
    for name in ("releases", "auctions", "ledger", "shocks"):
        frame, rows = getattr(empty, name), getattr(full, name)
        assert len(frame) == 0 < len(rows), name
        common = [c for c in frame.columns if c in rows.columns]
        assert {c: str(frame[c].dtype) for c in common} == {c: str(rows[c].dtype) for c in common}, name
    assert {str(empty.ledger[c].dtype) for c in ("member", "material", "settlement")} == {str(text)}
    assert {str(empty.releases[c].dtype) for c in ("material", "mechanism")} == {str(text)}
    assert {str(empty.shocks[c].dtype) for c in ("id", "kind")} == {str(text)}
    # and the empty columns take rows as a full table's do (concatenation keeps the type)
    joined = pd.concat([empty.ledger[["member"]], full.ledger[["member"]]], ignore_index=True)
    assert str(joined["member"].dtype) == str(text) and len(joined) == len(full.ledger)
