"""``unused_release_t`` counts rounding residue of the pool's stock as none, as a gap up to ``EPS_T`` is no gap.

Audit s51 item 16: ``long_embargo_6m`` under ``equal_cover`` gave ``unused_release_t`` =
4.440892098500626e-16 where every other rule gives 0.0, so ``unused_release_t > 0`` picked the rule out.
"""

from __future__ import annotations

import numpy as np

import simulator
from simulator.metrics import _AGREEMENT
from simulator.numeric import EPS_T


def test_equal_cover_leaves_no_unused_stock_in_long_embargo_6m() -> None:
    metrics = simulator.run("long_embargo_6m", set={"agreement.mechanism": "equal_cover"}).metrics
    unused = {k: v for k, v in metrics.items() if k.startswith("unused_release_t")}
    assert len(unused) == 4  # the total and one per material (light, heavy, magnets)
    assert all(v == 0.0 for v in unused.values()), unused


def test_residue_is_none_and_real_unused_stock_is_kept() -> None:
    _, rule = _AGREEMENT["unused_release_t"]
    # two runs x three materials: residue, exactly the threshold, real tonnes just above it
    by_material = np.array([[4.4e-16, 2.5, 0.0], [EPS_T, 1e-6, 3.0]])
    per_material, total = rule({}, [0, 1], by_material)
    np.testing.assert_array_equal(per_material, [[0.0, 2.5, 0.0], [0.0, 1e-6, 3.0]])
    np.testing.assert_array_equal(total, [2.5, 3.000001])
