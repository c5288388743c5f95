"""How many worker processes a command starts: never more than it has pieces of work.

Layer: ground (imports nothing from the project).

Every local process pool (a sweep's, the explorer's, a sensitivity study's, a
calibration's and ``check``'s) sizes itself with :func:`pool_size`, so ``--workers 40``
on one chunk of work starts no process at all and on three chunks starts three. The
command line refuses ``--workers`` above :data:`MAX_WORKERS` (exit 2) before any work.
Without ``--workers``, a command starts :func:`default_workers`: one per core this process
may run on, not one per core of the machine.
"""

from __future__ import annotations

import os

MAX_WORKERS = 256
"""The most local worker processes a command accepts (``--workers``)."""


def pool_size(workers: int, tasks: int) -> int:
    """Worker processes worth starting for ``tasks`` pieces of work: at most one per piece, at least one.

    One means: do the work in this process.

    >>> pool_size(40, 1), pool_size(40, 3), pool_size(2, 100), pool_size(4, 0)
    (1, 3, 2, 1)
    """
    return max(1, min(workers, tasks))


def default_workers() -> int:
    """Worker processes a command starts when not told how many: one per core this process may use.

    The cores it may use (``os.sched_getaffinity``) may be fewer than the machine has
    (``os.cpu_count``): under ``taskset -c 0``, or a CI runner pinned to some cores, a
    worker per machine core would only share the allowed ones and each would hold its
    own memory. Where the allowed cores cannot be known (macOS, Windows), the machine's.
    At least one. (Python 3.13's ``os.process_cpu_count`` is this.)
    """
    allowed = getattr(os, "sched_getaffinity", None)
    if allowed is not None:
        try:
            return max(1, len(allowed(0)))
        except OSError:  # a platform that has the call but refuses it
            pass
    return os.cpu_count() or 1
