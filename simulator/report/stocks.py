"""Day-0 strategic stocks in tonnes, as the engines start from them.

Layer: studies.

A strategic stock is given in tonnes, in days of its holder's demand or in days of its
net imports (CRMA Art. 23's benchmark, optionally crediting private stocks). The
compiled plan resolves all three, so the report reads the tonnes there instead of
converting a second time.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.plan import compile_plan
from simulator.scenario import Scenario


@dataclass(frozen=True)
class StartingStocks:
    """Strategic stocks on day 0 (t)."""

    contributed_t: dict[tuple[str, str], float]
    """(member, material): what the member puts into the joint pool (0 in national mode)."""
    reserve_t: dict[tuple[str, str], float]
    """(region, material): the region's national reserve."""


def starting_stocks(scenario: Scenario) -> StartingStocks:
    """The day-0 joint-pool contributions and national reserves of a validated scenario."""
    plan = compile_plan(scenario)
    regions, materials = list(scenario.regions), list(scenario.materials)
    reserve_t = {
        (region, material): float(plan.reserve_stock0_t[i, j, 0])
        for i, region in enumerate(regions)
        for j, material in enumerate(materials)
    }
    agreement = scenario.agreement
    contributed_t: dict[tuple[str, str], float] = {}
    if agreement is not None and plan.agreement is not None:
        joint = agreement.pool.mode == "joint"
        contributed_t = {
            (member, material): float(plan.agreement.contributed_t[k, j, 0]) if joint else 0.0
            for k, member in enumerate(agreement.members)
            for j, material in enumerate(materials)
        }
    return StartingStocks(contributed_t, reserve_t)
