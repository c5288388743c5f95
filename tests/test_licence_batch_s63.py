"""Runs that differ only in a licence's approval share share a batch, and each keeps its own numbers.

A licence's approval share used to be part of the weights the batch shared, so every sample of an
uncertain approval share ran as a batch of one (100 samples of china_2025_licensing: 100 batches of
730 days). The share approved is now read per run (the shock's magnitude); the processing-time
shares alone are shared.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.engine import ReferenceEngine
from simulator.fastpath import run_batch
from simulator.plan import batch_key, compile_plan, stack_plans
from simulator.randomness import draw_batch
from simulator.scenario import validate_data
from tests.helpers import ONE_REGION, build

# shares with no short binary form; processing spread over 13 days (NumPy adds 8 or more values
# pairwise, so a refused share summed over the batch's slot axis would differ in its last bits)
APPROVALS = (0.3, 0.55, 0.7, 0.3)


def world(approval_share: float) -> dict[str, Any]:
    licence = {
        "id": "licence",
        "kind": "licensing",
        "supplier": "china",
        "start": 3,
        "end": 40,
        "approval_share": approval_share,
        "processing_days": {"distribution": "uniform", "low": 0.5, "high": 12.5},
    }
    return build(ONE_REGION, horizon_days=60, shocks=[licence], regions__japan__demand__ree__noise_cv=0.1)


def test_approval_shares_share_a_batch_and_each_run_is_the_reference_engines_run_of_its_own_share():
    plans = [compile_plan(validate_data(world(share))) for share in APPROVALS]
    assert len({batch_key(plan) for plan in plans}) == 1
    seeds = [11, 12, 13, 14]
    batch = run_batch(stack_plans(plans), draw_batch(plans, seeds), curves=True)
    lost = []
    for row, (plan, seed) in enumerate(zip(plans, seeds, strict=True)):
        alone = ReferenceEngine(plan, seed).run()
        for name, values in alone.summary.items():
            assert np.array_equal(values[0], batch.summary[name][row], equal_nan=True), (name, APPROVALS[row])
        for column, values in batch.curves.items():
            assert np.array_equal(alone.arrays[column].astype(np.float32), values[row], equal_nan=True), column
        lost.append(float(batch.summary["shortfall_t"][row].sum()))
    # the shares matter: less approved, more short (the two runs at 0.3 differ only by their noise)
    assert lost[0] > lost[1] > lost[2] > 0.0
