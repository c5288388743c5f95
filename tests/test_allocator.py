"""The fast path keeps freed memory for its next batch (glibc): a reused array faults in no new pages."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="keep_freed_memory tunes glibc's malloc; elsewhere it does nothing",
)

# In a fresh interpreter (the thresholds are per process): ``PREPARE``, then a 58 MB
# float32 array (a day-major curve of 5,000 runs x 731 days x 2 x 2) filled, freed and
# made again three times; prints the minor page faults of the first and of the later ones.
REFAULTS = """
import resource, sys
import numpy as np
{prepare}
def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
counts = []
for _ in range(4):
    before = faults()
    curve = np.zeros((731, 2, 2, 5000), np.float32)
    curve[:] = 1.0
    del curve
    counts.append(faults() - before)
print(counts[0], max(counts[1:]))
"""

RUN_A_BATCH = """
import simulator
simulator.sweep("embargo_2010", grid={"agreement.ratio.japan": [0.3, 0.5]}, workers=1)
"""


def first_and_later_faults(prepare: str) -> tuple[int, int]:
    done = subprocess.run(
        [sys.executable, "-c", REFAULTS.format(prepare=prepare)], capture_output=True, text=True, check=True
    )
    first, later = done.stdout.split()
    return int(first), int(later)


def test_without_it_glibc_faults_a_large_array_in_again_every_time() -> None:
    # the premise: 58 MB is above glibc's largest automatic mmap threshold (32 MiB),
    # so each new array is fresh pages (4 KiB or 2 MiB each, at least 29 faults)
    first, later = first_and_later_faults("")
    assert later >= 29 and later > first // 2


def test_after_keep_freed_memory_a_reused_array_faults_in_nothing_new() -> None:
    first, later = first_and_later_faults(
        "from simulator.allocator import keep_freed_memory\nassert keep_freed_memory()"
    )
    assert first >= 29 and later <= 2


def test_a_fast_path_batch_leaves_the_process_keeping_freed_memory() -> None:
    first, later = first_and_later_faults(RUN_A_BATCH)
    assert first >= 1 and later <= 2


HUGE_PAGE_ADVICE = """
from simulator.allocator import SET_HUGE_PAGE_ADVICE
{prepare}
print(SET_HUGE_PAGE_ADVICE(True))  # returns the advice in force before
"""


@pytest.mark.parametrize(("prepare", "advised"), [("", "True"), (RUN_A_BATCH, "False")])
def test_a_fast_path_batch_stops_numpy_asking_for_huge_pages(prepare: str, advised: str) -> None:
    # NumPy advises huge pages for its large arrays by default; a worker's first batch
    # then had the kernel zero 2 MiB pages on first touch (0.3-0.5 s of system time)
    done = subprocess.run(
        [sys.executable, "-c", HUGE_PAGE_ADVICE.format(prepare=prepare)], capture_output=True, text=True, check=True
    )
    assert done.stdout.split()[-1] == advised
