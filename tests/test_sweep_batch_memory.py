"""Batches of differing plans are bounded by the daily values they gather, the warm-up's days included.

Plans compiled point by point copy their baseline demand and dated capacity additions per run,
over every day from the warm-up's first (:data:`simulator.sweep.runner.DAY_VALUES_PER_BATCH`): a
shock dated long before day 0 lengthens the warm-up, and batches sized by the horizon alone grew
with it (a reviewer measured 2.34 GB for a 3,000-point grid whose licence dated from day -3,700).
"""

from __future__ import annotations

import pandas as pd

from simulator.sweep import SweepSpec, parse_axis, plan_sweep, runner
from tests.helpers import TWO_MEMBERS, build
from tests.test_sweep_patch import planned

DEMANDS = ",".join(str(10 + k) for k in range(12))
"""Twelve Japanese demands: twelve plans, compiled point by point (the licence dates from before day 0)."""


def _grid():
    """``TWO_MEMBERS`` (60 days, one material, one supplier, lead 5 days) with a licence from day -100."""
    data = build(TWO_MEMBERS)
    data["shocks"] = [
        {
            "id": "lic",
            "kind": "licensing",
            "supplier": "china",
            "start": -100,
            "end": 59,
            "approval_share": 0.5,
            "processing_days": 8,
        }
    ]
    return planned(data, f"regions.japan.demand.ree.tonnes_per_day={DEMANDS}")


def _batches(monkeypatch, sweep) -> tuple[list[int], pd.DataFrame]:
    sizes: list[int] = []
    real = runner.run_batch

    def counting(plan, draws, **kwargs):
        sizes.append(plan.batch)
        return real(plan, draws, **kwargs)

    monkeypatch.setattr(runner, "run_batch", counting)
    table, _ = runner.run_points(sweep)
    return sizes, table


def test_batches_of_plans_compiled_point_by_point_count_the_warm_up_days(monkeypatch):
    sweep = _grid()
    structure = runner.compile_plan(runner.build_point(sweep.raw, sweep.points[0], sweep.source)).structure
    # the warm-up starts the pipeline (5 days' lead + 8 days' processing) before the licence's start on day -100:
    # 60 + 113 days of 1 material x (2 regions + 1 supplier) = 519 daily values a run
    assert structure.first_day == -113
    assert runner.gathered_batch_runs(structure) == runner.MAX_BATCH_RUNS  # far under the bound
    whole_sizes, whole = _batches(monkeypatch, sweep)
    assert whole_sizes == [12]
    monkeypatch.setattr(runner, "MIN_BATCH_RUNS", 1)
    monkeypatch.setattr(runner, "DAY_VALUES_PER_BATCH", 5 * 519)  # five runs' daily values
    cut_sizes, cut = _batches(monkeypatch, sweep)
    assert cut_sizes == [5, 5, 2]
    pd.testing.assert_frame_equal(cut, whole)  # cutting a batch changes no run


def test_runs_of_one_plan_share_its_arrays_and_keep_their_batch(monkeypatch):
    data = build(TWO_MEMBERS)
    data["regions"]["japan"]["demand"]["ree"]["noise_cv"] = 0.1
    axis = parse_axis("regions.japan.demand.ree.tonnes_per_day=20")
    sweep = plan_sweep(data, "test", SweepSpec((axis,), runs=12, seed=1))
    monkeypatch.setattr(runner, "MIN_BATCH_RUNS", 1)
    monkeypatch.setattr(runner, "DAY_VALUES_PER_BATCH", 1)
    sizes, table = _batches(monkeypatch, sweep)
    assert len(table) == 12 and table["demand_t.japan"].nunique() == 12  # twelve distinct noisy runs
    assert sizes == [12]


def test_a_grid_compiled_point_by_point_holds_as_many_plans_a_chunk_as_a_batch_holds_runs(monkeypatch):
    """A chunk compiles a plan per point and keeps them all: its default size follows the same bound."""
    monkeypatch.setattr(runner, "MIN_BATCH_RUNS", 1)
    monkeypatch.setattr(runner, "DAY_VALUES_PER_BATCH", 5 * 519)  # five runs' daily values (see above)
    sweep = _grid()
    assert sweep.patcher is None  # a licence dated before day 0: compiled point by point
    assert sweep.chunk_runs == 5 and [len(runs) for _, runs in sweep.chunks()] == [5, 5, 2]


def test_the_bound_counts_the_days_of_the_batch_s_earliest_warm_up(monkeypatch):
    """Lead times of 5 and 30 days share a batch (a longer warm-up changes nothing here), which then warms up
    from day -30: 60 + 30 days x 1 material x (2 regions + 1 supplier) = 270 values a run, so a bound of two
    runs' values cuts the six runs in threes of two (counted from the batch key's structure alone, 180 a run,
    it let three through)."""
    data = build(TWO_MEMBERS)
    data["shocks"][0].update(start=10, end=40)  # after day 0: the warm-ups may be lengthened
    sweep = planned(
        data, "suppliers.china.lead_time_days.japan=5,30", "regions.japan.demand.ree.tonnes_per_day=10,11,12"
    )
    monkeypatch.setattr(runner, "MIN_BATCH_RUNS", 1)
    monkeypatch.setattr(runner, "DAY_VALUES_PER_BATCH", 2 * 270)
    sizes, _ = _batches(monkeypatch, sweep)
    assert sizes == [2, 2, 2]


def test_a_patched_grid_that_leaves_demand_and_capacity_alone_keeps_its_batch(monkeypatch):
    """Ratio points share one baseline demand and one capacity array: nothing is copied per run."""
    sweep = planned(build(TWO_MEMBERS), "agreement.ratio.japan=0.2,0.4,0.6,0.8")
    assert sweep.patcher is not None
    monkeypatch.setattr(runner, "MIN_BATCH_RUNS", 1)
    monkeypatch.setattr(runner, "DAY_VALUES_PER_BATCH", 1)
    sizes, table = _batches(monkeypatch, sweep)
    assert sizes == [4] and len(table) == 4
