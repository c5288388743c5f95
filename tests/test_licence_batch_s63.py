"""Runs differing in a licence's approval share, processing time or end-use share share a batch, each its own.

A licence's approval share, processing time and end-use share used to be terms a batch shared, so every
sample of an uncertain one ran as a batch of one (100 samples of china_2025_licensing: 100 batches of
730 days). The share approved is now read per run (the shock's magnitude), and each run keeps its own
processing-time shares (a ring of its own length) and end-use share.
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


def world(approval_share: float, processing_days: Any = None, end_use_share: float = 1.0) -> dict[str, Any]:
    licence = {
        "id": "licence",
        "kind": "licensing",
        "supplier": "china",
        "start": 3,
        "end": 40,
        "approval_share": approval_share,
        "processing_days": processing_days or {"distribution": "uniform", "low": 0.5, "high": 12.5},
        "end_use_share": end_use_share,
    }
    # buyers order up to a target over their inventory position, goods awaiting a licence included: the
    # queue's total (a sum over the ring's slots, in their order) reaches every figure
    replenishment = {"policy": "order_up_to", "review_days": 5, "safety_days": 3}
    return build(
        ONE_REGION,
        horizon_days=60,
        shocks=[licence],
        regions__japan__demand__ree__noise_cv=0.1,
        regions__japan__procurement={"replenishment": replenishment},
    )


def each_run_is_its_own(plans: list, seeds: list[int]) -> list[float]:
    """Run ``plans`` as one batch; each run's summary and curves are the reference engine's of its plan alone.

    Returns each run's total shortfall (t).
    """
    assert len({batch_key(plan) for plan in plans}) == 1
    batch = run_batch(stack_plans(plans), draw_batch(plans, seeds), curves=True)
    lost = []
    for row, (plan, seed) in enumerate(zip(plans, seeds, strict=True)):
        alone = ReferenceEngine(plan, seed).run()
        for name, values in alone.summary.items():
            assert np.array_equal(values[0], batch.summary[name][row], equal_nan=True), (name, row)
        for column, values in batch.curves.items():
            assert np.array_equal(alone.arrays[column].astype(np.float32), values[row], equal_nan=True), column
        lost.append(float(batch.summary["shortfall_t"][row].sum()))
    return lost


def test_approval_shares_share_a_batch_and_each_run_is_the_reference_engines_run_of_its_own_share():
    plans = [compile_plan(validate_data(world(share))) for share in APPROVALS]
    lost = each_run_is_its_own(plans, [11, 12, 13, 14])
    # the shares matter: less approved, more short (the two runs at 0.3 differ only by their noise)
    assert lost[0] > lost[1] > lost[2] > 0.0


def test_processing_times_and_end_use_shares_share_a_batch_each_run_in_its_own_ring():
    """Rings of 9, 13 and 16 slots in one batch (each run's zeros past its own), and end-use shares 1 and 0.4."""
    spreads = (8, {"distribution": "uniform", "low": 0.5, "high": 12.5}, 15, 8)
    uses = (1.0, 1.0, 1.0, 0.4)
    plans = [compile_plan(validate_data(world(0.55, days, use))) for days, use in zip(spreads, uses, strict=True)]
    assert [len(plan.shocks[0].processing_shares) for plan in plans] == [9, 13, 16, 9]
    lost = each_run_is_its_own(plans, [5, 6, 7, 8])
    # a longer wait keeps goods from arriving longer; a licence on 40% of the flow holds back less than on all
    assert lost[2] > lost[0] > lost[3]


def test_rings_more_than_twice_as_long_go_to_batches_of_their_own():
    """A run waiting 30 days does not make runs waiting 3 walk its 31 slots every day."""
    keys = [batch_key(compile_plan(validate_data(world(0.55, days)))) for days in (3, 7, 30)]
    assert keys[0] != keys[1] != keys[2]  # rings of 4, 8 and 31 slots: classes 4, 8 and 32
    assert batch_key(compile_plan(validate_data(world(0.55, 5)))) == keys[1]  # 6 slots: class 8, as 8 slots
