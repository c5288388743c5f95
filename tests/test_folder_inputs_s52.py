"""Session 52 fuzz audit (D2): a folder command never writes or removes its own input file.

The input (SCENARIO, ``--record``, ``--compare``, ``--spec``) sitting in the output folder
under the name of an output is refused as the single files refuse it (exit 2, before any
run), forced or not, with the manifest listing that name or not: the input stays byte for
byte, and so does the earlier output.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import simulator
from tests.helpers import (
    ROOT,
    TWO_MEMBERS,
    contents,
    folder_commands,
    forbid_simulation,
    invoke,
    manifest_of,
    no_traceback,
)
from tests.test_sweep import write

SCENARIO = ROOT / "scenarios" / "long_embargo_6m.yaml"
HISTORICAL = ROOT / "scenarios" / "embargo_2010_historical.yaml"
RECORD = ROOT / "scenarios" / "records" / "rare_earths_2010_2012.csv"


def refused_as_input(result, output: Path, given: Path) -> None:
    """The command stopped with exit 2 and the one line of the single files' rule, no traceback."""
    assert result.exit_code == 2, result.output
    assert no_traceback(result)
    line = f"error: {output}: is the input {given}; write the output to another folder"
    assert result.output.strip().splitlines() == [line], result.output


def test_run_refuses_its_scenario_under_a_name_the_manifest_lists(tmp_path, monkeypatch):
    """Audit reproducer (a): no --force needed, since the manifest lists summary.csv."""
    folder = tmp_path / "nm8"
    assert invoke("run", SCENARIO, "-o", folder, "--no-plots").exit_code == 0
    assert "summary.csv" in manifest_of(folder)["files"]
    given = folder / "summary.csv"
    shutil.copyfile(SCENARIO, given)  # the user's scenario, now under an output's name
    before = contents(folder)
    forbid_simulation(monkeypatch)  # refused before any run
    refused_as_input(invoke("run", given, "-o", folder, "--no-plots"), given, given)
    assert given.read_bytes() == SCENARIO.read_bytes()
    assert contents(folder) == before  # the earlier output (its manifest too) as it was


def test_run_with_force_refuses_its_record_under_an_outputs_name(tmp_path, monkeypatch):
    """Audit reproducer (b): --force overrides files not the tool's, never the command's own inputs."""
    folder = tmp_path / "recdir"
    folder.mkdir()
    given = folder / "summary.csv"
    shutil.copyfile(RECORD, given)
    forbid_simulation(monkeypatch)
    args = ("run", HISTORICAL, "-o", folder, "--report", "--record", given, "--no-plots", "--force")
    refused_as_input(invoke(*args), given, given)
    assert given.read_bytes() == RECORD.read_bytes()
    assert sorted(p.name for p in folder.iterdir()) == ["summary.csv"]


@pytest.mark.parametrize(("option", "name"), [("--compare", "summary.csv"), ("--record", "report.html")])
def test_run_refuses_each_file_it_reads(tmp_path, monkeypatch, option, name):
    """Every file run reads is an input, as report's are: the baseline, the record."""
    folder = tmp_path / "out"
    folder.mkdir()
    given = folder / name
    source = {"--compare": SCENARIO, "--record": RECORD}[option]
    shutil.copyfile(source, given)
    scenario = HISTORICAL if option == "--record" else SCENARIO
    forbid_simulation(monkeypatch)
    result = invoke("run", scenario, "-o", folder, "--report", option, given, "--force")
    refused_as_input(result, given, given)
    assert given.read_bytes() == source.read_bytes()
    assert sorted(p.name for p in folder.iterdir()) == [name]


def test_run_refuses_an_input_it_would_remove_as_the_earlier_outputs(tmp_path, monkeypatch):
    """A listed file the new output does not write is removed: an input there is refused too."""
    folder = tmp_path / "out"
    assert invoke("run", write(tmp_path, TWO_MEMBERS), "-o", folder, "--no-plots").exit_code == 0
    assert "pool.csv" in manifest_of(folder)["files"]  # the agreement's: a run without one removes it
    given = folder / "pool.csv"
    shutil.copyfile(HISTORICAL, given)  # no agreement: writes no pool.csv
    before = contents(folder)
    forbid_simulation(monkeypatch)
    refused_as_input(invoke("run", given, "-o", folder, "--no-plots"), given, given)
    assert contents(folder) == before


# each folder command, its input put in the folder under the name of one of its outputs
OWN_OUTPUT = {"compare": "compare.csv", "sweep": "sweep.parquet", "sensitivity": "sensitivity.csv"}


@pytest.mark.parametrize("command", sorted(OWN_OUTPUT))
def test_each_folder_command_refuses_its_scenario_in_the_folder(tmp_path, monkeypatch, command):
    args = folder_commands(tmp_path)[command]
    folder = tmp_path / "out"
    folder.mkdir()
    given = folder / OWN_OUTPUT[command]
    shutil.copyfile(args[1], given)
    forbid_simulation(monkeypatch)
    refused_as_input(invoke(args[0], given, *args[2:], "-o", folder, "--force"), given, given)
    assert given.read_bytes() == Path(args[1]).read_bytes()
    assert sorted(p.name for p in folder.iterdir()) == [given.name]


def test_calibrate_refuses_its_record_in_the_folder(tmp_path, monkeypatch):
    args = folder_commands(tmp_path)["calibrate"]
    record = Path(args[args.index("--record") + 1])
    folder = tmp_path / "out"
    folder.mkdir()
    given = folder / "fit.csv"
    shutil.copyfile(record, given)
    forbid_simulation(monkeypatch)
    moved = tuple(given if a == record else a for a in args)
    refused_as_input(invoke(*moved, "-o", folder, "--force"), given, given)
    assert given.read_bytes() == record.read_bytes()


def test_sweep_refuses_its_spec_file_in_the_folder(tmp_path, monkeypatch):
    """A finished sweep's folder: the spec saved as sweep.json (listed) is refused; the sweep stays whole."""
    scenario = write(tmp_path)
    folder = tmp_path / "out"
    swept = invoke("sweep", scenario, "--grid", "shocks.halt.severity.high=0.6,1.0", "--no-plots", "-o", folder)
    assert swept.exit_code == 0, swept.output
    given = folder / "sweep.json"
    text = json.dumps({"scenario": str(scenario), "grid": {"shocks.halt.severity.high": [0.6, 1.0]}, "runs": 2})
    given.write_text(text)
    before = contents(folder)
    forbid_simulation(monkeypatch)
    refused_as_input(invoke("sweep", "--spec", given, "--workers", 1, "--no-plots", "-o", folder), given, given)
    assert given.read_text() == text
    assert contents(folder) == before


def test_the_same_file_by_another_name_is_the_input(tmp_path, monkeypatch):
    """The rule is the single files': the same file by any name (here a symbolic link given as SCENARIO)."""
    folder = tmp_path / "out"
    folder.mkdir()
    given = folder / "compare.csv"
    shutil.copyfile(write(tmp_path, TWO_MEMBERS), given)
    link = tmp_path / "link.yaml"
    link.symlink_to(given)
    forbid_simulation(monkeypatch)
    refused_as_input(invoke("compare", link, "-o", folder), given, link)
    assert given.read_bytes() == (tmp_path / "s.yaml").read_bytes()


def test_the_api_out_refuses_its_scenario_in_the_folder(tmp_path, monkeypatch):
    """simulator.run(out=) and simulator.sweep(out=): the scenario file read is never written."""
    folder = tmp_path / "out"
    folder.mkdir()
    forbid_simulation(monkeypatch)
    for name, call in (
        ("summary.csv", lambda path: simulator.run(path, out=folder, plots=False, force=True)),
        ("sweep.parquet", lambda path: simulator.sweep(path, out=folder, plots=False, force=True, workers=1)),
    ):
        given = folder / name
        shutil.copyfile(SCENARIO, given)
        with pytest.raises(simulator.InputError) as caught:
            call(given)
        assert str(caught.value) == f"{given}: is the input {given}; write the output to another folder"
        assert given.read_bytes() == SCENARIO.read_bytes()
        given.unlink()


def test_the_api_write_refuses_its_record_in_the_folder(tmp_path):
    result = simulator.run(HISTORICAL)
    folder = tmp_path / "out"
    folder.mkdir()
    given = folder / "timeseries.csv"
    shutil.copyfile(RECORD, given)
    with pytest.raises(simulator.InputError) as caught:
        result.write(folder, plots=False, report=True, record=given, force=True)
    assert str(caught.value) == f"{given}: is the input {given}; write the output to another folder"
    assert given.read_bytes() == RECORD.read_bytes()
    assert sorted(p.name for p in folder.iterdir()) == ["timeseries.csv"]
