"""Plan arrays with the runs on the last axis: the memory layout of the kernel.

NumPy is fast when the axis it loops over innermost is long and unit-strided. The
model's own axes (regions, materials, suppliers, members) have 2 to 6 entries while a
batch has thousands of runs, so the kernel keeps the runs last: an elementwise step is
one long loop, a per-run parameter of shape (B,) broadcasts from the right, and a sum
over members or suppliers adds whole contiguous slices. (With the runs first, the same
steps run inner loops of 2 to 4 elements and were measured 5 to 50 times slower.)

Shapes in the kernel therefore read (R, M, B) for a region and material, (R, M, S, B)
for a route, (M, B) for the pool, (N, M, B) for the members of the agreement.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.plan import Plan


def runs_last(array: np.ndarray) -> np.ndarray:
    """``array`` with its leading batch axis moved to the end.

    An array shared by every run (a broadcast view, stride 0 on the batch) stays a
    view; any other array is copied so that the runs axis is contiguous.
    """
    moved = np.moveaxis(array, 0, -1)
    if array.shape[0] == 1 or array.strides[0] == 0:
        return moved
    return np.ascontiguousarray(moved)


class RunsLastPlan:
    """A :class:`Plan` whose arrays are read with the runs on the last axis.

    An array is converted on first use and kept as an attribute, so later reads in the
    daily step are plain attribute lookups; ``structure``, ``shocks`` and ``batch`` are
    the plan's own.
    """

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.structure = plan.structure
        self.shocks = plan.shocks
        self.batch = plan.batch

    def has(self, key: str) -> bool:
        """Whether the plan defines the array ``key`` (agreement arrays are optional)."""
        return key in self.plan.arrays

    def __getattr__(self, key: str) -> Any:
        """Called only for names not yet set: convert the plan's array ``key`` and keep it."""
        try:
            array = runs_last(self.__dict__["plan"].arrays[key])
        except KeyError:
            raise AttributeError(key) from None
        setattr(self, key, array)
        return array
