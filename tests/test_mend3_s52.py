"""Fixes from review 3 of session 52 (RunResult's source, --set wording, the sweep's tonnes note, explore's signal)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_run_result_write_refuses_its_scenario_after_the_working_folder_changes(tmp_path, monkeypatch):
    """M1: RunResult.source kept the path as given, so after os.chdir a relative path named another
    file and write() replaced the scenario the run was read from."""
    import simulator
    from simulator.errors import InputError

    folder = tmp_path / "out"
    folder.mkdir()
    shutil.copy(ROOT / "scenarios" / "long_embargo_6m.yaml", folder / "summary.csv")  # a name run writes
    before = (folder / "summary.csv").read_bytes()
    monkeypatch.chdir(tmp_path)
    result = simulator.run("out/summary.csv")
    assert result.source == str(folder / "summary.csv")
    monkeypatch.chdir(folder)
    with pytest.raises(InputError, match="is the input"):
        result.write(".", plots=False, force=True)
    assert (folder / "summary.csv").read_bytes() == before
    assert "scenario file the run was read from" in " ".join(simulator.RunResult.write.__doc__.split())
