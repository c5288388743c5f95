"""Every shipped scenario as written: invariants, and the fast path giving the reference
engine's numbers bit for bit; two of them under every rule (invariants)."""

from __future__ import annotations

import functools
from dataclasses import fields
from typing import Any

import numpy as np
import pandas as pd
import pytest

from simulator.engine import ReferenceEngine, simulate
from simulator.errors import ScenarioError
from simulator.fastpath import run_batch
from simulator.mechanisms import NAMES as MECHANISMS
from simulator.plan import compile_plan, stack_plans
from simulator.randomness import draw_batch
from simulator.results import Result
from simulator.scenario import apply_overrides, load_scenario, read_yaml, validate_data
from tests.helpers import ROOT, SCENARIOS, each_shipped, shipped_group, shipped_result
from tests.invariants import check_invariants


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


EVERY_RULE = ("embargo_2010_scarce", "battery_materials")
"""Shipped scenarios run under every rule: a scarce joint pool, and national reserves (lending)."""


@functools.cache
def own_rule(path) -> str | None:
    """The release rule a shipped scenario is written with (its file read once per process)."""
    return (read_yaml(path).get("agreement") or {}).get("mechanism")


def every_rule_cases() -> list[Any]:
    """Its own rule reads the scenario's shared reference run: that case is in its shipped group."""
    return [
        pytest.param(
            path,
            mechanism,
            id=f"{path.stem}-{mechanism}",
            marks=[shipped_group(path.stem)] if mechanism == own_rule(path) else [],
        )
        for path in SCENARIOS
        if path.stem in EVERY_RULE
        for mechanism in MECHANISMS
    ]


@pytest.mark.parametrize("path", each_shipped(as_path=True))
def test_invariants_hold_and_the_fast_path_equals_the_reference_engine(path):
    """Each shipped scenario as written, and a variant (another seed and ratio) in the same batch.

    The schedule itself is tested event by event in ``test_schedule.py``; this checks the
    shipped configurations end to end. The reference run as written is the one the report
    tests read (made once per test process).
    """
    base = scenario_for(path, None)
    mechanism = base.agreement.mechanism if base.agreement else None
    other = variant(path, mechanism, base)
    reference = shipped_result(path.stem)
    assert reference.scenario == base
    check_invariants(reference)
    plans = [compile_plan(base), compile_plan(other)]
    references = [reference.summary_arrays, ReferenceEngine(plans[1], other.seed).run().summary]
    # one batch with both runs: rows must not influence each other
    batch = run_batch(stack_plans(plans), draw_batch(plans, [base.seed, other.seed]))
    for row, summary in enumerate(references):
        for name, values in summary.items():
            assert np.array_equal(values[0], batch.summary[name][row], equal_nan=True), (name, row)


@pytest.mark.parametrize(("path", "mechanism"), every_rule_cases())
def test_invariants_hold_under_every_rule(path, mechanism):
    scenario = scenario_for(path, mechanism)
    if mechanism == own_rule(path):  # the scenario as written: its reference run, made once per process
        result = shipped_result(path.stem)
        assert result.scenario == scenario
    else:
        result = simulate(scenario)
    check_invariants(result)


@shipped_group("quota_diversification")
def test_the_shared_reference_run_is_what_simulate_returns():
    """``tests.helpers.shipped_result`` repeats :func:`simulate`'s steps to keep the daily arrays: same tables."""
    shared = shipped_result("quota_diversification")
    fresh = simulate(load_scenario(ROOT / "scenarios" / "quota_diversification.yaml"))
    for item in fields(Result):
        if not item.compare:  # the cache of DataFrames made from the tables
            continue
        mine, theirs = getattr(shared, item.name), getattr(fresh, item.name)
        if item.name == "tables":
            assert list(mine) == list(theirs)
            for name in mine:
                assert mine[name].csv_text() == theirs[name].csv_text(), name
                pd.testing.assert_frame_equal(getattr(shared, name), getattr(fresh, name), check_exact=True)
        elif item.name in ("metrics", "summary_arrays"):
            assert list(mine) == list(theirs), item.name
            for key in mine:
                assert np.array_equal(np.asarray(mine[key]), np.asarray(theirs[key]), equal_nan=True), key
        else:
            assert mine == theirs, item.name


@shipped_group("embargo_2010_historical")
def test_2010_replay_gets_no_more_heavy_ree_from_the_rest_of_the_world_than_its_normal_flow():
    """The rest of the world's heavy supply in 2010 was negligible: it keeps its normal flow to Japan
    but cannot absorb the orders China turns away.

    By hand: Japan's heavy demand 1.7 t/day x its rest-of-world share 0.02 = 0.034 t/day; over the
    731-day replay at most 0.034 x 731 = 24.854 t arrive (the 14-day pipeline at day 0 holds the
    same normal flow). With the capacity left blank (no limit) 797.9 t arrived.
    """
    supply = shipped_result("embargo_2010_historical").supply
    rows = supply[(supply.region == "japan") & (supply.material == "heavy_ree") & (supply.supplier == "rest_of_world")]
    assert len(rows) == 731
    assert rows["arrivals_t"].sum() <= 24.854 + 1e-9
    assert rows["shipped_t"].max() <= 0.034 + 1e-12


def _shock_limited(scenario: Any) -> set[str]:
    """Suppliers whose exports a shock of the scenario limits (quotas, embargoes, licences)."""
    return {shock.supplier for shock in scenario.shocks if getattr(shock, "supplier", None)}


@pytest.mark.parametrize("path", each_shipped(as_path=True))
def test_with_a_market_every_sourced_supplier_has_a_limit(path):
    """Where a market moves buyers' orders, a supplier with no stated capacity ships whatever its
    share of the surge asks (a blank capacity means no limit): each supplier a member sources
    from has a stated capacity, unless shocks are what limit it (China's quotas and halts)."""
    scenario = load_scenario(path)
    if not scenario.market:
        pytest.skip("no market: orders stay at the flow")
    limited = _shock_limited(scenario)
    unlimited = [
        f"{supplier} {material} ({region})"
        for region, spec in scenario.regions.items()
        for material, shares in spec.sourcing.items()
        for supplier, share in shares.items()
        if share > 0 and supplier not in limited and material not in scenario.suppliers[supplier].capacity_t_per_day
    ]
    assert not unlimited, f"{path.name}: no capacity for {', '.join(unlimited)}"
