"""A Dask cluster's workers are counted whole, however many it has.

distributed 2025.5 to 2026.6 (within the versions this project accepts) cut ``Client.scheduler_info()["workers"]`` to
five workers unless asked for more, so a command that counted a cluster's workers there planned a cluster of eight as
five (the explorer cut its grid into chunks for five). The client below answers as those versions did.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

import simulator.cli
import simulator.explore
from simulator.sweep.backends import dask_workers

EIGHT = {f"tcp://10.0.0.{i}:1": 1 for i in range(1, 9)}


class EightWorkersListedAsFive:
    """A client of a cluster of eight one-thread workers, as distributed 2025.5-2026.6 described it by default."""

    def nthreads(self) -> dict[str, int]:
        return dict(EIGHT)

    def scheduler_info(self, n_workers: int = 5) -> dict[str, Any]:
        listed = list(EIGHT) if n_workers < 0 else list(EIGHT)[:n_workers]
        return {"workers": {address: {"nthreads": 1} for address in listed}, "n_workers": len(EIGHT)}


def test_a_cluster_of_eight_is_eight_workers():
    assert dask_workers(EightWorkersListedAsFive()) == 8


class Planned(Exception):
    """Stops the command once it has planned the grid."""


def test_the_explorer_plans_its_grid_for_every_worker_of_the_cluster(tmp_path, monkeypatch):
    planned_for: list[int] = []

    def plan_grid(raw: Any, source: Any, spec: Any, workers: int = 1) -> Any:
        planned_for.append(workers)
        if len(planned_for) == 2:  # the first plan is for this machine's cores, the second for the cluster
            raise Planned
        return original(raw, source, spec, workers)

    original = simulator.explore.plan_grid
    monkeypatch.setattr(simulator.explore, "plan_grid", plan_grid)
    monkeypatch.setattr(simulator.cli, "_dask_session", lambda *_: contextlib.nullcontext(EightWorkersListedAsFive()))
    with pytest.raises(Planned):
        simulator.cli.main(
            [
                "explore",
                "scenarios/embargo_2010.yaml",
                "--axis",
                "agreement.ratio.japan=0.2,0.8",
                "--runs",
                "1",
                "--dask",
                "tcp://10.0.0.1:8786",
                "-o",
                str(tmp_path / "explorer.html"),
            ],
            standalone_mode=False,
        )
    assert planned_for[-1] == 8
