"""Day-0 strategic stocks in tonnes, as the engines start from them.

Layer: studies.

A strategic stock is given in tonnes, in days of its holder's demand or in days of its
net imports (CRMA Art. 23's benchmark, optionally crediting private stocks). The
compiled plan resolves all three, so the report, the comparisons and the uncertainty
study's status quo read the tonnes there instead of converting a second time.

A member listed in ``agreement.pool.already_held`` puts into the joint pool a stock it
holds today (:func:`shares_held_today`), of every material it puts in or of those listed
with it (:func:`is_held_today`): the report then measures the joint stock against the
status quo, those stocks held alone
(:func:`simulator.counterfactuals.status_quo_scenario`).
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


def held_today_members(scenario: Scenario | None) -> list[str]:
    """The members whose pool shares, of some material at least, are stocks they hold today (``already_held``).

    As listed; :func:`is_held_today` says of which materials. Empty where the joint stock is new (none
    listed), or ``scenario`` has no agreement (or is None). The scenario's checks make each one listed a
    member that puts something into the pool (each material listed with it too), in joint mode.
    """
    agreement = scenario.agreement if scenario is not None else None
    return list(agreement.pool.held_today()) if agreement is not None else []


def is_held_today(scenario: Scenario | None, member: str, material: str) -> bool:
    """Whether ``member``'s pool contribution of ``material`` is a stock it holds today (``already_held``).

    So it is where ``member`` is listed alone (all its contributions) or with ``material`` among its materials.
    """
    agreement = scenario.agreement if scenario is not None else None
    if agreement is None:
        return False
    held = agreement.pool.held_today()
    return member in held and (held[member] is None or material in held[member])


def shares_held_today(scenario: Scenario | None) -> bool:
    """Whether some pool shares are stocks members hold today (:func:`held_today_members`).

    Where they are, the joint stock is measured against the status quo, not against no stock at all.
    """
    return bool(held_today_members(scenario))
