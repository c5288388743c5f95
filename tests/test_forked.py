"""Tasks shared with a forked child (``simulator.forked``): each runs once, failures surface here."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from simulator import forked
from simulator.forked import run_shared

needs_fork = pytest.mark.skipif(not forked.can_fork(), reason="no fork, or a single core: everything runs here")


def writer(path: Path):
    def write() -> None:
        path.write_text(str(os.getpid()))

    return write


@needs_fork
def test_every_task_runs_once_half_of_them_in_a_child(tmp_path):
    paths = [tmp_path / f"{k}.txt" for k in range(4)]
    run_shared([writer(p) for p in paths])
    pids = [int(p.read_text()) for p in paths]
    assert pids[0] == pids[2] == os.getpid()  # the even ones here
    assert pids[1] == pids[3] != os.getpid()  # the odd ones in one child


def test_without_a_child_the_tasks_run_here_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    order: list[int] = []
    run_shared([lambda k=k: order.append(k) for k in range(3)])
    assert order == [0, 1, 2]


@needs_fork
def test_a_task_that_fails_in_the_child_is_run_again_here(tmp_path):
    parent = os.getpid()
    path = tmp_path / "odd.txt"

    def fails_in_a_child() -> None:
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        path.write_text("here")

    run_shared([lambda: None, fails_in_a_child])
    assert path.read_text() == "here"


@needs_fork
def test_a_task_that_always_fails_raises_here():
    def broken() -> None:
        raise ValueError("broken figure")

    with pytest.raises(ValueError, match="broken figure"):
        run_shared([lambda: None, broken])


@needs_fork
def test_an_error_here_kills_the_child_before_it_writes(tmp_path):
    late = tmp_path / "late.txt"

    def slow() -> None:
        time.sleep(1.0)
        late.write_text("written after the parent failed")

    def broken() -> None:
        raise ValueError("stop")

    with pytest.raises(ValueError, match="stop"):
        run_shared([broken, slow])
    time.sleep(1.5)  # the child would have written by now
    assert not late.exists()
