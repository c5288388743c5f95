"""``.chunks/made-by.json`` keeps the starting command's options through a resume (s61).

The small sweep (tests/test_sweep.py: 3 ratios x 6 runs, chunks of 5 runs: 4 chunks) is started with the
scenario file's absolute path and stopped after 1 chunk; it is resumed from the scenario's folder with the
relative path ``s.yaml`` (the same sweep: the fingerprint holds the data, not the path) and stopped again
before the table is written, so ``.chunks`` is still there to read. Before, the resume wrote its own options:
``scenario_file`` became ``s.yaml``.

Where ``made-by.json`` cannot be read, the legs that saved chunks are known only by the numbers their receipts
carry: chunk 0 names leg 0, so the resumed process is leg 1 (before: legs restarted at [], the resumed process
was leg 0 and took chunk 0 as its own).
"""

from __future__ import annotations

import json
from pathlib import Path

import simulator.sweep
from simulator.sweep import SweepStopped
from tests.helpers import invoke
from tests.test_sweep import SMALL_SWEEP, write
from tests.test_sweep_safety import CHUNKED, interrupted

THIS_PROCESS = {"backend": "this process", "workers_requested": 1, "workers": 1}


def _stop(*args):
    raise SweepStopped("stopped before the table")


def _resume_and_stop(monkeypatch, folder: Path, out: Path) -> None:
    """Resume the small sweep from ``folder`` with the relative path ``s.yaml``; stop before the table."""
    with monkeypatch.context() as patched:
        patched.chdir(folder)
        patched.setattr(simulator.sweep, "finish_sweep", _stop)
        result = invoke("sweep", "s.yaml", *SMALL_SWEEP, *CHUNKED, "-o", out)
    assert result.exit_code == 3, result.output


def _made_by(out: Path) -> dict:
    return json.loads((out / ".chunks" / "made-by.json").read_text())


def test_a_resume_from_another_folder_keeps_the_first_commands_scenario_file(tmp_path, monkeypatch):
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=1)
    first = _made_by(out)["options"]
    assert first["scenario_file"] == str(write(tmp_path))
    _resume_and_stop(monkeypatch, tmp_path, out)
    made_by = _made_by(out)
    assert made_by["options"] == first  # the path as the starting command gave it, not s.yaml
    assert made_by["legs"] == [THIS_PROCESS, THIS_PROCESS]


def test_an_unreadable_made_by_keeps_the_leg_numbers_the_receipts_carry(tmp_path, monkeypatch):
    out = tmp_path / "out"
    interrupted(tmp_path, monkeypatch, out, finished=1)  # chunk 0 saved by leg 0
    (out / ".chunks" / "made-by.json").write_text("{not json")
    _resume_and_stop(monkeypatch, tmp_path, out)
    made_by = _made_by(out)
    unknown = {"backend": None, "workers_requested": None, "workers": None}
    assert made_by["legs"] == [unknown, THIS_PROCESS]
    legs = [json.loads((out / ".chunks" / f"chunk-{i:06d}.json").read_text())["leg"] for i in range(4)]
    assert legs == [0, 1, 1, 1]  # chunk 0 stays the first leg's
    assert made_by["options"]["scenario_file"] == "s.yaml"  # nothing else is known: this command's
