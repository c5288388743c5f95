"""Grid points patched from one compiled plan: bit-identical to validating and compiling each point.

The reference for every patched plan is ``compile_plan(validate(point))``, compared field
by field here with its own comparison (arrays by dtype, shape and bytes; everything else
by type and equality), not with the patcher's.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from simulator import forked
from simulator.cli import main
from simulator.plan import batch_key, compile_plan
from simulator.scenario import load_raw
from simulator.sweep import Axis, SweepSpec, parse_axis, plan_sweep
from simulator.sweep.runner import _batch_keys, build_point, may_be_random, run_points
from tests.helpers import TWO_MEMBERS, build, no_traceback

ROOT = Path(__file__).resolve().parent.parent
REPLAY = ROOT / "scenarios" / "embargo_2010.yaml"
QUOTAS = ROOT / "scenarios" / "quota_diversification.yaml"


def mismatches(a: Any, b: Any, where: str = "plan") -> list[str]:
    """Where two compiled plans differ, recursively through dataclasses, tuples and arrays."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        same = (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.dtype == b.dtype
            and a.shape == b.shape
            and a.tobytes() == b.tobytes()
        )
        return [] if same else [where]
    if is_dataclass(a) and not isinstance(a, type):
        if type(a) is not type(b):
            return [where]
        return [m for f in fields(a) for m in mismatches(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")]
    if isinstance(a, tuple):
        if not isinstance(b, tuple) or len(a) != len(b):
            return [where]
        return [m for k, (x, y) in enumerate(zip(a, b, strict=True)) for m in mismatches(x, y, f"{where}[{k}]")]
    return [] if type(a) is type(b) and a == b else [where]


def planned(path: Path | dict[str, Any], *axes: str):
    raw = copy.deepcopy(path) if isinstance(path, dict) else load_raw(path)
    return plan_sweep(raw, str(path) if isinstance(path, Path) else "test", SweepSpec(tuple(map(parse_axis, axes))))


def assert_patched_plans_are_compiled_plans(sweep) -> None:
    assert sweep.patcher is not None, "this grid should be patched"
    patched = sweep.patcher.plans(list(range(len(sweep.points))))
    for p, point in enumerate(sweep.points):
        full = compile_plan(build_point(sweep.raw, point, sweep.source))
        assert mismatches(patched[p], full) == [], point


def test_the_mismatch_finder_sees_one_changed_number():
    plan = compile_plan(build_point(load_raw(REPLAY), {}, "x"))
    other = compile_plan(build_point(load_raw(REPLAY), {"agreement.ratio.japan": 0.5}, "x"))
    assert mismatches(plan, plan) == []
    assert mismatches(plan, other) == ["plan.agreement.ratio"]


@pytest.mark.parametrize(
    "axes",
    [
        # a ratio, a pool contribution in days, an embargo's severity, an export quota's tonnes
        (
            "agreement.ratio.japan=0.1,0.5,0.9",
            "agreement.pool.contributions.eu.light_ree.days=0,45",
            "shocks.china_japan_slowdown.severity=0.2,0.9",
            "shocks.china_quota_2011.tonnes_per_period=12000,18000",
        ),
        # the mechanism, shock windows (start, end, a date), market price and risk parameters
        (
            "agreement.mechanism=hybrid,fair_ratio",
            "shocks.china_eu_halt.end=2010-11-05,2010-12-01",
            "shocks.china_japan_halt.start=80,90",
            "market.light_ree.price.sensitivity=3,8",
            "market.heavy_ree.price.cap_usd_per_kg=900,2000",
            "market.light_ree.risk.memory_days=200,900",
        ),
        # a contribution in tonnes where days were given, a floor price, a duration for an end
        (
            "agreement.pool.contributions.japan.heavy_ree.tonnes=0,500",
            "market.light_ree.price.floor_usd_per_kg=2,5",
            "market.heavy_ree.price.adjustment_days=30,90",
            "market.light_ree.price.targeted_premium=0,0.3",
            "market.light_ree.risk.perception_days=7,30",
        ),
    ],
)
def test_patched_plans_of_the_replay_are_its_compiled_plans_bit_for_bit(axes):
    assert_patched_plans_are_compiled_plans(planned(REPLAY, *axes))


def test_patched_per_run_shock_terms_are_compiled_plans_bit_for_bit():
    """Perceived severities, leak shares, leak days and release days: one field each, as compiled."""
    sweep = planned(
        REPLAY,
        "shocks.china_quota_2011.perceived_severity=0.2,0.5",
        "shocks.china_japan_halt.leak_share=0,0.3,0.69",
        "shocks.china_japan_halt.leak_extra_days=0,12",
        "shocks.china_japan_slowdown.release_days=0,45",
        "shocks.china_eu_halt.perceived_severity=0.5,1",
    )
    assert_patched_plans_are_compiled_plans(sweep)
    # two terms of one shock are two axes of two checks: still patched
    assert_patched_plans_are_compiled_plans(
        planned(REPLAY, "shocks.china_japan_halt.leak_share=0.1,0.5", "shocks.china_japan_halt.release_days=0,20")
    )


def test_patched_plans_of_quota_cuts_are_compiled_plans_bit_for_bit():
    sweep = planned(
        QUOTAS,
        "shocks.china_quota_2011.severity=0,0.35,0.7",
        "shocks.china_quota_2011.end=2011-06-01,2012-01-01",
        "shocks.china_japan_halt.severity=0.4,1",
    )
    assert_patched_plans_are_compiled_plans(sweep)


def test_patched_demand_surges_and_durations_are_compiled_plans_bit_for_bit():
    surge = {"id": "rush", "kind": "demand_surge", "regions": ["eu"], "start": 5, "duration_days": 10, "factor": 1.5}
    data = build(TWO_MEMBERS, shocks=[*TWO_MEMBERS["shocks"], surge])
    sweep = planned(data, "shocks.rush.factor=1,2.5", "shocks.rush.duration_days=3,30", "shocks.0.severity=0.5,1")
    assert_patched_plans_are_compiled_plans(sweep)


def test_patched_licence_approval_shares_are_compiled_plans_bit_for_bit():
    """A licence's approval share is its size, and (none given) its perceived severity follows it."""
    licence = {"id": "licence", "kind": "licensing", "supplier": "china", "start": 3, "end": 40}
    licence.update(approval_share=0.6, processing_days={"distribution": "uniform", "low": 0.5, "high": 12.5})
    told = {**licence, "id": "told", "regions": ["eu"], "perceived_severity": 0.9}
    data = build(TWO_MEMBERS, shocks=[{**licence, "regions": ["japan"]}, told])
    sweep = planned(data, "shocks.licence.approval_share=0.1,0.35,0.9", "shocks.told.approval_share=0.2,0.7")
    assert_patched_plans_are_compiled_plans(sweep)
    plans = sweep.patcher.plans(list(range(len(sweep.points))))
    perceived = {round(plans[p].shocks[0].perceived, 12) for p in plans}
    assert perceived == {0.9, 0.65, 0.1}  # 1 - approval share: the default moved with each point's share
    assert {plans[p].shocks[1].perceived for p in plans} == {0.9}  # the one given stays


@pytest.mark.parametrize(
    ("axes", "why"),
    [
        (("agreement.ratio.japan=0.2", "agreement.ratio.eu=0.8"), "both set the same ratios"),
        (("shocks.china_eu_halt.start=100,105", "shocks.china_eu_halt.end=112,130"), "end after start is one check"),
        (("market.light_ree.price.sensitivity=3,8", "market.heavy_ree.price.sensitivity=3,8"), "one array"),
        (("agreement.ratio.japan=0.2,0.4", "regions.eu.demand.light_ree.tonnes_per_day=10,20"), "not patched"),
    ],
)
def test_grids_that_cannot_be_patched_are_compiled_point_by_point(axes, why):
    assert planned(REPLAY, *axes).patcher is None, why


def test_a_value_that_makes_a_shock_random_is_compiled_point_by_point():
    ratio = Axis("agreement.ratio.japan", (0.2, 0.4))
    fixed = plan_sweep(copy.deepcopy(TWO_MEMBERS), "test", SweepSpec((ratio, Axis("shocks.halt.severity", (0.5, 1)))))
    assert fixed.patcher is not None
    random_value = {"distribution": "uniform", "low": 0.2, "high": 0.8}
    spec = SweepSpec((ratio, Axis("shocks.halt.severity", (0.5, random_value))))
    assert plan_sweep(copy.deepcopy(TWO_MEMBERS), "test", spec).patcher is None


@pytest.mark.parametrize(
    ("data", "axes"),
    [
        (TWO_MEMBERS, ("agreement.ratio.japan=0.2,0.7", "shocks.halt.severity=0.5,1", "shocks.halt.start=-100,20")),
        (REPLAY, ("agreement.ratio.japan=0.1,0.6", "shocks.china_japan_halt.end=2010-10-10,2010-12-20")),
        (REPLAY, ("shocks.china_japan_halt.leak_share=0,0.69", "shocks.china_japan_slowdown.release_days=0,45")),
    ],
)
def test_the_sweep_table_is_the_same_patched_or_compiled_point_by_point(data, axes):
    patched = planned(data, *axes)
    compiled = planned(data, *axes)
    compiled.patcher = None
    assert patched.patcher is not None
    table, _ = run_points(patched)
    expected, _ = run_points(compiled)
    pd.testing.assert_frame_equal(table, expected, check_exact=True)
    if data is TWO_MEMBERS:  # every point is short in its own way: no row is a copy of another
        assert len(table[["shortfall_t.japan", "shortfall_t.eu"]].drop_duplicates()) == len(table) == 8


def test_a_patched_grid_gets_each_points_batch_key_and_warm_up_from_its_shock_start():
    sweep = planned(TWO_MEMBERS, "agreement.ratio.japan=0.2,0.7", "shocks.halt.start=-100,20")
    plans = sweep.patcher.plans(list(range(4)))
    # the warm-up reaches back to a start before day 0 (less the 5-day pipeline), patched as compiled
    assert [plan.structure.first_day for plan in plans.values()] == [-105, -5, -105, -5]
    assert len({id(plan.structure) for plan in plans.values()}) == 2
    assert_patched_plans_are_compiled_plans(sweep)
    keys = _batch_keys(plans)
    assert keys == {point: batch_key(plan) for point, plan in plans.items()}
    assert [key[1] for key in keys.values()] == [False, True, False, True]  # a shock before day 0, or not


def test_a_bad_value_of_a_patched_axis_exits_2_naming_file_point_and_field(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "sweep",
            str(REPLAY),
            "--grid",
            "agreement.ratio.japan=0.2,0.4",
            "--grid",
            "shocks.china_japan_slowdown.severity=0.5,1.5",
            "-o",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 2
    assert "embargo_2010.yaml [shocks.china_japan_slowdown.severity=1.5]" in result.output
    assert "shocks.china_japan_slowdown.severity" in result.output and "must be <= 1" in result.output
    assert no_traceback(result)


def test_a_sweep_file_with_a_patched_grid_runs(tmp_path):
    spec = {"scenario": str(REPLAY), "grid": {"shocks.china_quota_2011.tonnes_per_period": [15000, 20000]}}
    (tmp_path / "grid.yaml").write_text(yaml.safe_dump(spec))
    result = CliRunner().invoke(
        main,
        ["sweep", "--spec", str(tmp_path / "grid.yaml"), "-o", str(tmp_path / "out"), "--workers", "1", "--no-plots"],
    )
    assert result.exit_code == 0, result.output
    table = pd.read_parquet(tmp_path / "out" / "sweep.parquet")
    assert list(table["shocks.china_quota_2011.tonnes_per_period"]) == [15000, 20000]


def test_a_patched_grid_draws_random_inputs_exactly_when_its_first_point_does():
    deterministic = planned(TWO_MEMBERS, "agreement.ratio.japan=0.2,0.7", "shocks.halt.severity=0.5,1")
    noisy = planned(build(TWO_MEMBERS, regions__eu__demand__ree__noise_cv=0.1), "agreement.ratio.japan=0.2,0.7")
    assert deterministic.patcher is not None and noisy.patcher is not None
    assert not may_be_random(deterministic)
    assert may_be_random(noisy)


TWO_WAYS = """
import json, sys
from simulator import forked
from simulator.sweep import patch
from tests.test_sweep_patch import REPLAY, mismatches, planned

compiled = []
real = patch.compile_plan
patch.compile_plan = lambda s: compiled.append(1) or real(s)
two = planned(REPLAY, *sys.argv[1:])  # a fresh process, one thread: half of the values in a child
here_with_a_child = len(compiled)
forked.can_fork = lambda: False
compiled.clear()
one = planned(REPLAY, *sys.argv[1:])
print(json.dumps([two.patcher is not None, mismatches(two.patcher, one.patcher), here_with_a_child, len(compiled)]))
"""


@pytest.mark.skipif(not forked.forks_here(), reason="no fork, or a single core: every value is checked here")
def test_a_grid_checked_in_two_processes_is_the_grid_checked_in_one():
    axes = ["agreement.ratio.japan=0.1:0.9:0.1", "shocks.china_quota_2011.tonnes_per_period=10000:19000:1000"]
    command = [sys.executable, "-c", TWO_WAYS, *axes]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    patched, differ, with_a_child, alone = json.loads(done.stdout)
    assert patched and differ == []
    assert with_a_child < alone  # the child compiled some of the values
