"""The process's memory allocator, set to keep the fast path's large freed arrays for reuse.

Layer: ground (imports nothing from the project).

A batch of the fast path allocates and frees arrays of megabytes again and again: the
per-day curves (58 MB each for 5,000 runs of the 2010 replay), noise blocks, the sorted
copies of the explorer's percentiles. glibc's ``malloc`` serves every allocation above
its mmap threshold (at most 32 MiB, adjusted as it goes) from fresh pages and returns
them at ``free``, and gives the top of its heap back to the system beyond a trim
threshold; each reuse then faults in zeroed pages again. That cost about 10% of the
explorer's CPU time (most of its system time: 11 s of 160 s on two workers; 2 s after).

:func:`keep_freed_memory` raises both thresholds once per process, so freed memory stays
in the heap for the next batch. Only where memory comes from changes, never a number;
the peak memory stayed the same in measurement (docs/design-decisions.md). On another C
library (musl, macOS, Windows) it does nothing.
"""

from __future__ import annotations

import ctypes
import functools
import platform

MMAP_THRESHOLD_BYTES = 1 << 30
"""Allocations below this come from the heap (glibc ``M_MMAP_THRESHOLD``; it is a C int)."""
TRIM_THRESHOLD_BYTES = (1 << 31) - 1
"""Free memory at the heap's top kept before any is given back (``M_TRIM_THRESHOLD``)."""
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
"""``mallopt`` parameter numbers, from glibc's ``malloc.h``."""


@functools.cache
def keep_freed_memory() -> bool:
    """Set glibc's thresholds (once per process; a forked worker inherits them); whether they took.

    Setting either threshold also stops glibc adjusting them on its own.
    """
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    mallopt = ctypes.CDLL(None).mallopt
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)
    )
