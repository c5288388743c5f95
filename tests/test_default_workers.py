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


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="no CPU affinity on this platform")
def test_this_process() -> None:
    assert default_workers() == len(os.sched_getaffinity(0)) <= (os.cpu_count() or 1)
