"""Every shipped scenario, under every mechanism it can run: invariants, and the fast path
giving the reference engine's numbers bit for bit."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from simulator.engine import ReferenceEngine, simulate
from simulator.errors import ScenarioError
from simulator.fastpath import run_batch
from simulator.plan import compile_plan, stack_plans
from simulator.randomness import draw_run, stack_draws
from simulator.scenario import MECHANISMS, apply_overrides, read_yaml, validate_data
from tests.helpers import SCENARIOS
from tests.invariants import check_invariants


def cases() -> list[Any]:
    out = []
    for path in SCENARIOS:
        raw = read_yaml(path)
        mechanisms = MECHANISMS if raw.get("agreement") else (None,)
        for mechanism in mechanisms:
            out.append(pytest.param(path, mechanism, id=f"{path.stem}-{mechanism or 'no_agreement'}"))
    return out


def scenario_for(path, mechanism, extra=()):
    raw = read_yaml(path)
    changes = [("agreement.mechanism", mechanism)] if mechanism else []
    try:
        return validate_data(apply_overrides(raw, [*changes, *extra]), str(path))
    except ScenarioError as exc:
        pytest.skip(f"{mechanism} cannot run here: {exc.problems[0].message}")


def test_there_are_shipped_scenarios():
    assert len(SCENARIOS) >= 3


@pytest.mark.parametrize(("path", "mechanism"), cases())
def test_invariants_hold(path, mechanism):
    check_invariants(simulate(scenario_for(path, mechanism)))


def variants(path, mechanism):
    """The scenario, another seed, and (with a ratio) a different ratio: one batch, mixed rows."""
    base = scenario_for(path, mechanism)
    out = [(base, base.seed), (base, base.seed + 1)]
    if base.agreement is not None and base.agreement.ratio:
        member = base.agreement.members[0]
        out.append((scenario_for(path, mechanism, [(f"agreement.ratio.{member}", 0.3)]), base.seed))
    return out


@pytest.mark.parametrize(("path", "mechanism"), cases())
def test_fast_path_equals_reference_engine_bit_for_bit(path, mechanism):
    runs = variants(path, mechanism)
    plans = [compile_plan(scenario) for scenario, _ in runs]
    batch = run_batch(
        stack_plans(plans), stack_draws([draw_run(p, seed) for p, (_, seed) in zip(plans, runs, strict=True)])
    )
    for row, (plan, (_, seed)) in enumerate(zip(plans, runs, strict=True)):
        engine = ReferenceEngine(plan, seed)
        reference = engine.run().summary
        for name, values in reference.items():
            assert np.array_equal(values[0], batch.summary[name][row], equal_nan=True), (name, row)
