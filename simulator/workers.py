"""How many worker processes a command starts: never more than it has pieces of work.

Layer: ground (imports nothing from the project).

Every local process pool (a sweep's, the explorer's, a sensitivity study's, a
calibration's and ``check``'s) sizes itself with :func:`pool_size`, so ``--workers 40``
on one chunk of work starts no process at all and on three chunks starts three. The
command line refuses ``--workers`` above :data:`MAX_WORKERS` (exit 2) before any work.
"""

from __future__ import annotations

MAX_WORKERS = 256
"""The most local worker processes a command accepts (``--workers``)."""


def pool_size(workers: int, tasks: int) -> int:
    """Worker processes worth starting for ``tasks`` pieces of work: at most one per piece, at least one.

    One means: do the work in this process.

    >>> pool_size(40, 1), pool_size(40, 3), pool_size(2, 100), pool_size(4, 0)
    (1, 3, 2, 1)
    """
    return max(1, min(workers, tasks))
