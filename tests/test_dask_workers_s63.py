"""``--dask``: each worker is asked once for what the checks need, and a sweep runs on every worker there is.

A command with ``--dask`` refuses (exit 2) a cluster whose workers run other stockpile code or other
versions of the numeric libraries: both are asked of each worker in one ``client.run``, the code
judged first, each refusal in the words it always had. ``sweep --dask`` then spreads its chunks over
as many workers as the scheduler has (``simulator.sweep.backends.dask_workers``), whatever this
machine's cores.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import simulator.cli
import simulator.version
from simulator.errors import InputError
from tests.helpers import invoke
from tests.test_sweep import SMALL_SWEEP, write

ADDRESS = "inproc://scheduler"  # no tcp:// address: the command tries no socket before its client


class Cluster:
    """A Dask client of named workers, each running the function here as the worker would.

    ``workers``: each worker's changes to :mod:`simulator.version` while it answers (an older
    stockpile's code, a function it lacks, one that fails), none for a worker like this process.
    Functions sent by name (a module's own) are looked up in the worker's module, as a worker
    unpickles them; a function made in a function is sent whole.
    """

    def __init__(self, monkeypatch: Any, workers: dict[str, dict[str, Any]]) -> None:
        self.monkeypatch = monkeypatch
        self.workers = workers
        self.runs = 0

    def __call__(self, address: str, timeout: str) -> Cluster:  # as distributed.Client(address, timeout=...)
        return self

    def run(self, function: Any) -> dict[str, Any]:
        self.runs += 1
        answers = {}
        for worker, changes in self.workers.items():
            with self.monkeypatch.context() as patch:
                for name, value in changes.items():
                    if value is None:
                        patch.delattr(simulator.version, name)
                    else:
                        patch.setattr(simulator.version, name, value)
                # a function sent by name is the worker's own (AttributeError where it lacks one)
                own = function if "<locals>" in function.__qualname__ else getattr(simulator.version, function.__name__)
                answers[worker] = own()
        return answers

    def close(self, timeout: float) -> None:
        pass


def refusal(monkeypatch: Any, workers: dict[str, dict[str, Any]]) -> tuple[str | None, int]:
    """What ``--dask`` says of a cluster of ``workers`` as it connects (None: accepted), and the calls of client.run."""
    import distributed

    cluster = Cluster(monkeypatch, workers)
    monkeypatch.setattr(distributed, "Client", cluster)
    try:
        with simulator.cli._dask_session(ADDRESS, debug=True):
            return None, cluster.runs
    except InputError as exc:
        return exc.render(), cluster.runs


def older_code() -> str:
    return "0123456789abcdef"


def unreadable_code() -> str:
    raise PermissionError(13, "Permission denied")


def older_numpy() -> dict[str, str]:
    return {**LIBRARIES, "numpy": "1.26.4"}


LIBRARIES = simulator.version.library_versions()
HERE = simulator.version.code_fingerprint()


def test_each_worker_is_asked_once_for_its_code_and_its_libraries(monkeypatch):
    assert refusal(monkeypatch, {"tcp://a:1": {}, "tcp://b:2": {}}) == (None, 1)  # one round-trip, not one per check


def test_a_worker_of_an_older_stockpile_without_the_libraries_question_is_refused_for_its_code(monkeypatch):
    older = {"code_fingerprint": older_code, "library_versions": None}  # before the numeric libraries were checked
    assert refusal(monkeypatch, {"tcp://a:1": {}, "tcp://b:2": older}) == (
        f"--dask {ADDRESS}: 1 worker runs other stockpile code than this command (tcp://b:2: code "
        f"0123456789abcdef, here {HERE}); install the same version of the package on every worker",
        1,
    )


def test_the_code_is_judged_before_the_libraries_and_the_workers_apart_are_counted(monkeypatch):
    workers = {"tcp://c:3": {"library_versions": older_numpy}, "tcp://b:2": {"library_versions": older_numpy}}
    said, _ = refusal(monkeypatch, {**workers, "tcp://a:1": {"code_fingerprint": older_code}})
    assert said.startswith(f"--dask {ADDRESS}: 1 worker runs other stockpile code than this command (tcp://a:1: ")
    assert refusal(monkeypatch, workers)[0] == (  # two workers, the first by address named
        f"--dask {ADDRESS}: 2 workers have other versions of the numeric libraries than this command "
        f"(tcp://b:2: numpy 1.26.4 (here {LIBRARIES['numpy']})); install the same versions on every worker"
    )


def test_a_worker_that_cannot_answer_a_question_is_refused_naming_its_error(monkeypatch):
    failing = {"code_fingerprint": unreadable_code, "library_versions": older_numpy}
    assert refusal(monkeypatch, {"tcp://a:1": {}, "tcp://b:2": failing})[0] == (  # the code's question first
        f"--dask {ADDRESS}: a worker cannot run stockpile's code (PermissionError(13, 'Permission denied'))"
    )
    without = {"library_versions": None}
    assert refusal(monkeypatch, {"tcp://a:1": {}, "tcp://b:2": without})[0] == (
        f"--dask {ADDRESS}: a worker cannot report its libraries' versions (AttributeError(\"module "
        "'simulator.version' has no attribute 'library_versions'\"))"
    )


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # Dask's objects, collected later
@pytest.mark.xdist_group("dask-cluster")
def test_a_sweep_on_dask_runs_its_chunks_on_every_worker_the_scheduler_has(tmp_path, monkeypatch, dask_cluster):
    from distributed import Client, get_task_stream

    monkeypatch.setattr(simulator.cli, "default_workers", lambda: 7)  # this machine's cores are not the cluster's
    out = tmp_path / "out"
    with Client(dask_cluster) as client, get_task_stream(client) as stream:
        workers = set(client.nthreads())
        result = invoke(
            "sweep",
            write(tmp_path),
            *SMALL_SWEEP,  # 3 points x 6 runs in chunks of 3 runs: 6 chunks for 2 workers
            "--chunk-runs",
            3,
            "--dask",
            dask_cluster.scheduler_address,
            "--no-plots",
            "-o",
            out,
        )
    assert result.exit_code == 0, result.output
    record = json.loads((out / "sweep.json").read_text())
    assert len(workers) == 2  # the shared cluster's two worker processes
    assert (record["backend"], record["workers_requested"], record["workers"]) == ("dask", 2, 2)
    assert [(leg["backend"], leg["workers"], leg["chunks"]) for leg in record["legs"]] == [("dask", 2, 6)]
    chunks = [task for task in stream.data if "-chunk-" in str(task["key"])]
    assert len(chunks) == 6 and {task["worker"] for task in chunks} == workers
