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
in the heap for the next batch. It also stops NumPy advising the kernel to back its
arrays of 4 MiB and more with transparent huge pages: where the kernel honours that
advice (``/sys/kernel/mm/transparent_hugepage/enabled`` set to ``madvise``, as on this
project's machine), each first touch of such an array has the kernel find and zero a
2 MiB page. A worker's first 5,000-run batch of the replay spent 0.34-0.60 s of system
time on that, against 0.05-0.10 s without the advice, and later batches ran no slower
(docs/design-decisions.md). Only where memory comes from changes, never a number; the
peak memory stayed the same in measurement. On another C library (musl, macOS, Windows)
the thresholds are left alone.
"""

from __future__ import annotations

import ctypes
import functools
import platform

import numpy as np

MMAP_THRESHOLD_BYTES = 1 << 30
"""Allocations below this come from the heap (glibc ``M_MMAP_THRESHOLD``; it is a C int)."""
TRIM_THRESHOLD_BYTES = (1 << 31) - 1
"""Free memory at the heap's top kept before any is given back (``M_TRIM_THRESHOLD``)."""
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
"""``mallopt`` parameter numbers, from glibc's ``malloc.h``."""


SET_HUGE_PAGE_ADVICE = getattr(
    (np._core if hasattr(np, "_core") else np.core).multiarray, "_set_madvise_hugepage", None
)  # NumPy 2, NumPy 1
"""NumPy's switch for its huge-page advice: sets it and returns the setting before (None if NumPy has none)."""


@functools.cache
def keep_freed_memory() -> bool:
    """Set glibc's thresholds and NumPy's huge-page advice (once per process; a forked worker inherits them).

    Returns whether glibc's thresholds took. Setting either threshold also stops glibc
    adjusting them on its own.
    """
    if SET_HUGE_PAGE_ADVICE is not None:
        SET_HUGE_PAGE_ADVICE(False)
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    mallopt = ctypes.CDLL(None).mallopt
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)
    )
