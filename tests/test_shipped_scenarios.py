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
from simulator.randomness import draw_batch
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


def variant(path, mechanism, base):
    """The same scenario with another seed and, when it has a ratio, another ratio."""
    changes = [("seed", base.seed + 1)]
    if base.agreement is not None and base.agreement.ratio:
        changes.append((f"agreement.ratio.{base.agreement.members[0]}", 0.3))
    return scenario_for(path, mechanism, changes)


@pytest.mark.parametrize(("path", "mechanism"), cases())
def test_invariants_hold_and_fast_path_equals_reference_engine_bit_for_bit(path, mechanism):
    base = scenario_for(path, mechanism)
    other = variant(path, mechanism, base)
    reference = simulate(base)
    check_invariants(reference)
    plans = [compile_plan(base), compile_plan(other)]
    references = [reference.summary_arrays, ReferenceEngine(plans[1], other.seed).run().summary]
    # one batch with both runs: rows must not influence each other
    batch = run_batch(stack_plans(plans), draw_batch(plans, [base.seed, other.seed]))
    for row, summary in enumerate(references):
        for name, values in summary.items():
            assert np.array_equal(values[0], batch.summary[name][row], equal_nan=True), (name, row)
