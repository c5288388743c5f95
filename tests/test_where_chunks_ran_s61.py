"""sensitivity.json records where its runs' chunks ran as the runner placed them, not worked out again (s61).

Before, ``where_samples_ran`` re-derived the backend and workers from the chunk count it expected
(``simulator.sensitivity.study``'s chunk size and ``where_chunks_run``'s rule), beside the runner that decided it:
two homes that could drift. Now the runner's one decision (:func:`simulator.sweep.runner.place_chunks`) is what
runs the chunks and what the record reads.

Sobol' with 2 samples of 3 inputs: 2 x (3 + 2) = 10 runs; with ``--workers 2`` they are cut into chunks of
ceil(10 / 2) = 5 runs (the chunk size when fewer than 250 runs per worker), so 2 chunks on 2 local processes.
"""

from __future__ import annotations

import json

import simulator.sweep.runner as runner
from tests.helpers import invoke
from tests.test_sensitivity import write as write_uncertain


def _info(tmp_path, *extra) -> dict:
    out = tmp_path / "out"
    result = invoke("sensitivity", write_uncertain(tmp_path), "--samples", 2, *extra, "-o", out)
    assert result.exit_code == 0, result.output
    return json.loads((out / "sensitivity.json").read_text())


def test_two_chunks_on_two_local_processes_are_recorded_as_the_runner_placed_them(tmp_path, monkeypatch):
    placed = []
    place = runner.place_chunks
    monkeypatch.setattr(runner, "place_chunks", lambda *args: placed.append(place(*args)) or placed[-1])
    info = _info(tmp_path, "--workers", 2)
    assert info["runs"] == 10
    assert [p.record() for p in placed] == [{"backend": "local processes", "workers_requested": 2, "workers": 2}]
    assert (info["backend"], info["workers_requested"], info["workers"]) == ("local processes", 2, 2)


def test_the_record_follows_the_runners_decision(tmp_path, monkeypatch):
    # the runner told to keep the 2 chunks in this process: the record says so, not what --workers 2 would give
    monkeypatch.setattr(
        runner, "place_chunks", lambda workers, chunks, client=None: runner.Placement("this process", 1, 2)
    )
    info = _info(tmp_path, "--workers", 2)
    assert (info["backend"], info["workers_requested"], info["workers"]) == ("this process", 2, 1)
