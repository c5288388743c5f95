"""The default number of local workers is the number of cores this process may use (audit s50 item 9)."""

from __future__ import annotations

import os

import pytest

from simulator.workers import default_workers


def test_one_allowed_core_is_one_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    # as under `taskset -c 0` on a machine of 8 cores: 1 worker, not 8
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert default_workers() == 1


def test_allowed_cores_not_machine_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {2, 5, 7}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert default_workers() == 3


def test_without_sched_getaffinity_the_machine_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    # macOS and Windows have no sched_getaffinity: the machine's core count, at least one
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert default_workers() == 6
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # "cannot be determined"
    assert default_workers() == 1


def test_refused_sched_getaffinity_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(pid: int) -> set[int]:
        raise OSError("not supported")

    monkeypatch.setattr(os, "sched_getaffinity", refuse, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert default_workers() == 4


def test_a_sweep_on_one_allowed_core_of_eight_runs_in_this_process(monkeypatch, tmp_path) -> None:
    """``stockpile sweep`` without ``--workers``, 4 chunks of work, under ``taskset -c 0`` on 8 cores: one worker,
    this process (with the machine's count it started 4 processes, one per chunk), and no figures drawn in a
    forked child (:func:`simulator.forked.forks_here`)."""
    import json

    from simulator.forked import forks_here
    from tests.helpers import ROOT, invoke

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert not forks_here()
    scenario = ROOT / "scenarios" / "long_embargo_6m.yaml"
    out = tmp_path / "sweep"
    result = invoke(
        "sweep", scenario, "--grid", "agreement.ratio.japan=0.2,0.4,0.6,0.8", "--chunk-runs", "1", "-o", out
    )
    assert result.exit_code == 0, result.output
    info = json.loads((out / "sweep.json").read_text())
    assert (info["workers"], info["backend"]) == (1, "this process")
