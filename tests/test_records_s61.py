"""Outputs record what is needed to redo them (s61): the code and libraries, the options, each leg of a sweep.

A referee found every number reproducible but the records too thin to redo a study from its folder alone:
no record of the code fingerprint, Python, the numeric libraries or the platform; no ``--set`` or
``--uncertainty`` in a run's manifest; no scenario in a sweep's folder; a resumed sweep described only by
its last process; a refused resume that did not say what differs. The test worlds are
tests/test_sensitivity.py's (one region short, three uncertain inputs) and tests/test_sweep.py's small
stochastic sweep: 3 ratios x 6 runs, in chunks of 5 (4 chunks: 5, 5, 5 and 3 runs).
"""

from __future__ import annotations

import json
import platform
from importlib.metadata import version
from pathlib import Path

import pytest

import simulator
import simulator.sweep
from simulator.errors import InputError
from simulator.sweep import SweepStopped
from simulator.version import code_fingerprint
from tests.helpers import invoke, manifest_of, no_run
from tests.test_sensitivity import write as write_uncertain
from tests.test_sweep import SMALL_SWEEP, STOCHASTIC, write
from tests.test_sweep_safety import CHUNKED, interrupted, resume, table_bytes

LIBRARIES = ("numpy", "pandas", "scipy", "simpy")
STOCK = "regions.japan.commercial_stock.ree.tonnes"


def _made_with_here() -> dict:
    """What ``made_with`` must hold on this machine, read here without the code under test."""
    return {
        "code": code_fingerprint(),
        "python": platform.python_version(),
        "libraries": {name: version(name) for name in LIBRARIES},
        "platform": platform.platform(),
    }


# --- a run's manifest -------------------------------------------------------------------------------


def _run(tmp_path: Path, out: str, *extra) -> dict:
    scenario = write_uncertain(tmp_path)
    result = invoke("run", scenario, "--set", f"{STOCK}=60", "--no-plots", *extra, "-o", tmp_path / out)
    assert result.exit_code == 0, result.output
    return manifest_of(tmp_path / out)


def test_the_run_manifest_records_the_sets_as_given_the_samples_their_engine_and_workers(tmp_path):
    made = _run(tmp_path, "u", "--uncertainty", 4, "--workers", 1)
    assert made["set"] == [f"{STOCK}=60"]  # as typed, not as parsed
    assert made["engine"] == "reference"  # the run's own; the samples ran on the fast path
    assert made["uncertainty"] == {
        "samples": 4,
        "engine": "batched fast path (bit-identical to the SimPy reference engine)",
        "workers": 1,
        "as_written_outside_range": [],
    }
    assert made["made_with"] == _made_with_here()


def test_a_run_without_uncertainty_records_none_and_two_runs_differ_only_in_their_time(tmp_path):
    one, two = _run(tmp_path, "one"), _run(tmp_path, "two")
    assert one["uncertainty"] is None and one["set"] == [f"{STOCK}=60"]
    assert {k: v for k, v in one.items() if k != "written_at"} == {k: v for k, v in two.items() if k != "written_at"}


# --- sensitivity.json --------------------------------------------------------------------------------


def test_sensitivity_json_records_its_backend_workers_code_and_libraries(tmp_path):
    out = tmp_path / "out"
    result = invoke("sensitivity", write_uncertain(tmp_path), "--samples", 2, "--workers", 1, "-o", out)
    assert result.exit_code == 0, result.output
    info = json.loads((out / "sensitivity.json").read_text())
    # Sobol' with 2 samples of 3 inputs: 2 x (3 + 2) = 10 runs, one chunk on the one worker asked for
    assert info["runs"] == 10
    assert (info["backend"], info["workers_requested"], info["workers"]) == ("this process", 1, 1)
    assert info["made_with"] == _made_with_here()


# --- a sweep's folder can be redone on its own ------------------------------------------------------


def test_a_sweep_folder_holds_its_scenario_and_sweeping_it_again_gives_the_same_table(tmp_path):
    scenario = write(tmp_path)
    out, again = tmp_path / "out", tmp_path / "again"
    given = ("--set", "regions.japan.commercial_stock.ree.days=6")
    assert invoke("sweep", scenario, *SMALL_SWEEP, *given, *CHUNKED, "-o", out).exit_code == 0
    info = json.loads((out / "sweep.json").read_text())
    assert info["scenario_file"] == str(scenario) and info["scenario_file_resolved"] == str(scenario.resolve())
    assert "scenario.json" in manifest_of(out)["files"]
    saved = json.loads((out / "scenario.json").read_text())
    assert saved["regions"]["japan"]["commercial_stock"]["ree"]["days"] == 6  # the --set applied
    # the sweep again from the folder alone: its scenario.json, with the grid, sets, runs and seed sweep.json records
    grid = [f"{path}={','.join(map(str, values))}" for path, values in info["grid"].items()]
    sets = [f"{path}={value}" for path, value in info["fixed"].items()]
    redo = ("--runs", info["runs_per_point"], "--seed", info["seed"], "--chunk-runs", info["chunk_runs"])
    args = [a for g in grid for a in ("--grid", g)] + [a for s in sets for a in ("--set", s)]
    result = invoke("sweep", out / "scenario.json", *args, *redo, "--workers", 1, "--no-plots", "-o", again)
    assert result.exit_code == 0, result.output
    assert table_bytes(again) == table_bytes(out)
    assert json.loads((again / "sweep.json").read_text())["scenario_hash"] == info["scenario_hash"]


def test_sweep_json_records_the_code_libraries_and_one_leg_without_a_resume(tmp_path):
    out = tmp_path / "out"
    assert invoke("sweep", write(tmp_path), *SMALL_SWEEP, *CHUNKED, "-o", out).exit_code == 0
    info = json.loads((out / "sweep.json").read_text())
    assert info["made_with"] == _made_with_here()
    assert info["chunks_kept"] == 0
    assert info["legs"] == [{"backend": "this process", "workers_requested": 1, "workers": 1, "chunks": 4}]


# --- a resumed sweep records each leg ------------------------------------------------------------------


def test_a_resumed_sweep_records_both_legs_and_the_chunks_each_computed(tmp_path, monkeypatch):
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=2)  # chunks 0 and 1 saved, then a lost worker
    two = ("--workers", 2, "--chunk-runs", 5, "--no-plots", "--excel")  # CHUNKED on two local processes
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, *two, "-o", out)
    assert result.exit_code == 0, result.output
    whole = invoke("sweep", write(tmp_path), *SMALL_SWEEP, *CHUNKED, "--excel", "-o", tmp_path / "whole")
    assert whole.exit_code == 0, whole.output
    # the workbook's set-up leaves out how the sweep ran: the same bytes as the uninterrupted sweep's
    assert (out / "workbook.xlsx").read_bytes() == (tmp_path / "whole" / "workbook.xlsx").read_bytes()
    info = json.loads((out / "sweep.json").read_text())
    assert info["chunks_kept"] == 2
    assert info["legs"] == [
        {"backend": "this process", "workers_requested": 1, "workers": 1, "chunks": 2},
        {"backend": "local processes", "workers_requested": 2, "workers": 2, "chunks": 2},
    ]
    # the last leg's, as before
    assert (info["backend"], info["workers"]) == ("local processes", 2)


def _stop():
    raise SweepStopped("stopped before the table")


def test_a_rerun_with_every_chunk_kept_is_a_leg_that_computed_none(tmp_path, monkeypatch):
    out = tmp_path / "out"
    with monkeypatch.context() as patched:  # all 4 chunks saved, then stopped before the table is written
        patched.setattr(simulator.sweep, "finish_sweep", lambda *args: _stop())
        assert invoke("sweep", write(tmp_path), *SMALL_SWEEP, *CHUNKED, "-o", out).exit_code == 3
    assert not (out / "sweep.json").exists()
    assert resume(tmp_path, monkeypatch, out) == []
    legs = json.loads((out / "sweep.json").read_text())["legs"]
    assert [(leg["backend"], leg["chunks"]) for leg in legs] == [
        ("this process", 4),
        ("none (every chunk was kept from an interrupted sweep)", 0),
    ]


# --- the starting command's options, and a refusal that says what differs ---------------------------


def test_made_by_records_the_starting_commands_options(tmp_path, monkeypatch):
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=1)
    made_by = json.loads((out / ".chunks" / "made-by.json").read_text())
    options = made_by["options"]
    assert options["grid"] == {"agreement.ratio.japan": [0.2, 0.5, 0.8]}  # 0.2:0.8:0.3
    assert (options["runs"], options["seed"], options["chunk_runs"], options["set"]) == (6, 11, 5, {})
    assert options["scenario_file"] == str(write(tmp_path))
    assert made_by["legs"] == [{"backend": "this process", "workers_requested": 1, "workers": 1}]


def test_resuming_with_another_chunk_size_is_refused_naming_it(tmp_path, monkeypatch):
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=2)
    no_run(monkeypatch)
    args = ("--workers", 1, "--chunk-runs", 6, "--no-plots")  # CHUNKED but for the chunk size
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, *args, "-o", out)
    assert result.exit_code == 2, result.output
    assert result.output == (
        f"error: {out}: .chunks: holds 2 finished chunks (10 runs) of another sweep (chunk_runs 5 -> 6), which "
        "this sweep would discard: to resume that sweep, run the command that started it again (its options "
        "are in .chunks/made-by.json); to discard them and run this sweep, pass --force\n"
    )


def test_resuming_with_another_seed_and_set_names_both(tmp_path, monkeypatch):
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=2)
    no_run(monkeypatch)
    changed = ("--seed", 12, "--set", "regions.japan.commercial_stock.ree.days=6")  # the later --seed wins
    result = invoke("sweep", write(tmp_path), *SMALL_SWEEP, *CHUNKED, *changed, "-o", out)
    assert result.exit_code == 2, result.output
    assert "of another sweep (scenario_sha256 " in result.output
    assert '; set {} -> {"regions.japan.commercial_stock.ree.days": 6}; seed 11 -> 12), which' in result.output


# --- Dask workers must have the client's numeric libraries ---------------------------------------------


class _Workers:
    """A Dask client's ``run`` as seen from here: each worker's answer to the function."""

    def __init__(self, answers):
        self.answers = answers

    def run(self, function):
        return {worker: answer(function) if callable(answer) else answer for worker, answer in self.answers.items()}


def test_dask_workers_with_other_library_versions_are_refused_naming_both():
    from simulator.cli import _same_workers

    here = {name: version(name) for name in LIBRARIES}
    alike = {"code": code_fingerprint(), "libraries": dict(here)}
    _same_workers(_Workers({"tcp://a:1": lambda f: f(), "tcp://b:2": alike}), "tcp://s:8786")  # alike
    older = {**alike, "libraries": {**here, "numpy": "1.26.4"}}
    with pytest.raises(InputError) as caught:
        _same_workers(_Workers({"tcp://a:1": alike, "tcp://b:2": older}), "tcp://s:8786")
    assert caught.value.render() == (
        "--dask tcp://s:8786: 1 worker has other versions of the numeric libraries than this command "
        f"(tcp://b:2: numpy 1.26.4 (here {here['numpy']})); install the same versions on every worker"
    )


def test_a_python_sweep_of_scenario_data_names_no_resolved_file_and_keeps_the_data(tmp_path):
    out = tmp_path / "out"
    simulator.sweep(STOCHASTIC, {"agreement.ratio.japan": [0.2]}, runs=2, workers=1, out=out, plots=False)
    info = json.loads((out / "sweep.json").read_text())
    assert info["scenario_file_resolved"] is None  # no file: the data was given as such
    assert json.loads((out / "scenario.json").read_text())["horizon_days"] == STOCHASTIC["horizon_days"] == 40
