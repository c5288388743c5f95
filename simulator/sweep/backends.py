"""Where a sweep's chunks run: in this process, in local worker processes, or on Dask.

Layer: studies (sweeps).

Each backend takes the chunks still to do and yields their results as they finish. The
caller saves each one at once, so whatever stops the sweep, finished chunks are kept.

- **Local processes** never outlive the sweep. Each worker ignores SIGINT (the parent
  decides) and runs a watchdog thread that ends it within :data:`WATCH_INTERVAL_S` when
  the parent asks (the sweep stopped: Ctrl-C, SIGTERM, an error) or when the parent is
  gone (killed, even with SIGKILL: the worker's parent process id changes).
- **Dask**: if the cluster has had no live worker for ``no_worker_timeout_s`` seconds,
  or the scheduler is lost, the sweep stops with :class:`SweepStopped` (exit code 3).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from simulator.workers import pool_size

WATCH_INTERVAL_S = 0.2
"""How often a local worker checks that its sweep still wants it."""
DASK_POLL_S = 0.2
"""How often a Dask sweep with nothing finishing checks that the cluster has workers (one small request to the
scheduler each time; a sweep whose workers all died or whose scheduler is lost stops within two polls of the
timeout)."""
NO_WORKER_TIMEOUT_S = 60.0
"""How long a Dask sweep waits for a live worker before it stops (``--dask-timeout``)."""


class SweepStopped(RuntimeError):
    """The sweep cannot go on (no Dask worker, scheduler lost, a damaged chunk): exit code 3."""


def in_process(chunks: list[Any], run: Callable[[Any], Any]) -> Iterator[Any]:
    """Run the chunks one after another in this process."""
    for chunk in chunks:
        yield run(chunk)


def _watch(parent_pid: int, stop: Any) -> None:
    while not stop.value and os.getppid() == parent_pid:
        time.sleep(WATCH_INTERVAL_S)
    os._exit(1)


def _start_worker(parent_pid: int, stop: Any) -> None:
    """Initialiser of each local worker: signals to the parent, and the watchdog."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_watch, args=(parent_pid, stop), name="stockpile-watchdog", daemon=True).start()


def local_processes(
    chunks: list[Any], run: Callable[[Any], Any], workers: int, started: Callable[[], None] | None = None
) -> Iterator[Any]:
    """Run the chunks on ``workers`` local processes, at most two chunks queued per worker.

    No more processes start than there are chunks (:func:`~simulator.workers.pool_size`).
    ``started()`` is called once, in this process, as soon as the workers have their
    first chunks: work done there overlaps theirs.
    """
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    stop = context.RawValue(ctypes.c_bool, False)
    workers = pool_size(workers, len(chunks))  # a forking pool starts all its processes at its first chunk
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(), stop))
    pending: set[Future[Any]] = set()
    queue = list(chunks)
    try:
        while queue or pending:
            while queue and len(pending) < 2 * workers:
                pending.add(pool.submit(run, queue.pop(0)))
            if started is not None:
                started()
                started = None
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                yield future.result()
    except BaseException:
        stop.value = True  # the workers end their chunks now, not when they finish
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def dask_workers(client: Any) -> int:
    """How many workers the Dask cluster of ``client`` has now.

    From ``Client.nthreads()`` (one entry per worker), not ``scheduler_info()["workers"]``: distributed 2025.5 to
    2026.6 (within the versions this project accepts) cut that list to five workers by default, so a larger cluster
    was planned for as five.
    """
    return len(client.nthreads())


class _Liveness:
    """Whether a Dask cluster still has a worker, and since when it has had none."""

    def __init__(self, client: Any, timeout_s: float) -> None:
        self.client = client
        self.timeout_s = timeout_s
        self.alone_since: float | None = None

    def check(self) -> None:
        """Raise :class:`SweepStopped` if the scheduler is lost or no worker lived for the timeout."""
        if self.client.status != "running":
            raise SweepStopped("lost the connection to the Dask scheduler")
        if self.client.nthreads():
            self.alone_since = None
        elif self.alone_since is None:
            self.alone_since = time.monotonic()
        elif time.monotonic() - self.alone_since > self.timeout_s:
            raise SweepStopped(f"no live Dask worker for {self.timeout_s:g} s")


def dask_cluster(
    chunks: list[Any], run: Callable[[Any], Any], client: Any, key: str, no_worker_timeout_s: float
) -> Iterator[Any]:
    """Run the chunks on a Dask cluster; stop if it has no live worker for the timeout.

    Every wait, for the next chunk or for a result to come back (a finished chunk's
    result is lost with its worker and computed again), is cut into polls of
    :data:`DASK_POLL_S` between which the cluster's liveness is checked. ``key``
    (unique to the sweep) prefixes the task keys, so two sweeps never share a task.
    """
    from distributed import wait as dask_wait
    from distributed.comm import CommClosedError

    liveness = _Liveness(client, no_worker_timeout_s)
    pending = {client.submit(run, chunk, pure=False, key=f"{key}-chunk-{chunk.index}") for chunk in chunks}
    try:
        while pending:
            try:
                finished, pending = dask_wait(pending, timeout=DASK_POLL_S, return_when="FIRST_COMPLETED")
            except TimeoutError:
                liveness.check()
                continue
            for future in finished:
                while True:
                    try:
                        result = future.result(timeout=DASK_POLL_S)
                        break
                    except TimeoutError:
                        liveness.check()
                yield result
    except SweepStopped:
        raise
    except Exception as exc:
        if isinstance(exc, CommClosedError) or client.status != "running":
            raise SweepStopped(f"lost the connection to the Dask scheduler ({type(exc).__name__})") from exc
        raise
    finally:
        for future in pending:
            future.cancel()
