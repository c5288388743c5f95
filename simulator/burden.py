"""Jain's index of the burden material by material, where a run's shortfall is given by material.

Layer: model.

Jain's index over all materials (``fairness_jain``) sums each member's shortfall over its
materials. Where tonnes of the run's materials may not be added (oxide and magnet, or prices
far apart: :func:`simulator.scenario.tonnes.not_added`), ``stockpile run`` and the report give
the shortfall by material, and so each material's own index (``fairness_jain.all.<material>``:
the members' shortfalls of it as shares of their demand for it). A material that fewer than two
of the members (every region, without an agreement) use has no burden to share: its one user is
named instead of the index's 1 by convention.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from simulator.quantities import FAIRNESS_OF
from simulator.scenario import Scenario
from simulator.scenario.portfolio import has_demand


def jain_group(scenario: Scenario) -> list[str]:
    """The regions whose shortfall shares Jain's index compares: the agreement's members, or every region."""
    return list(scenario.agreement.members if scenario.agreement else scenario.regions)


def members_with_demand(
    scenario: Scenario, group: Iterable[str] | None = None, materials: Iterable[str] | None = None
) -> list[str]:
    """The members Jain's index counts, its ``n``: those of ``group`` with demand for any of ``materials``.

    ``group`` (None: the agreement's members, or every region without an agreement) in its order;
    ``materials`` (None: every material of the scenario). A member without demand has no shortfall
    share and the index leaves it out (:func:`simulator.metrics.jain_index`,
    :func:`simulator.scenario.portfolio.has_demand`): one member bearing all the shortfall gives
    ``1/n`` of these, not of every member.
    """
    if group is None:
        group = jain_group(scenario)
    wanted = list(scenario.materials if materials is None else materials)
    return [region for region in group if any(has_demand(scenario, region, material) for material in wanted)]


def fairness_by_material(result: Any, materials: list[str]) -> tuple[list[tuple[str, float]], list[tuple[str, str]]]:
    """For each of ``materials``: (material, Jain's index) where two or more of the group use it, else (material, user).

    The group is the agreement's members, or every region without an agreement: the regions whose
    shares the index compares. A material no one in the group uses gives neither.
    """
    group = result.structure.member_names or list(result.structure.regions)
    indices, sole_users = [], []
    for material in materials:
        users = members_with_demand(result.scenario, group, [material])
        if len(users) >= 2:
            indices.append((material, float(result.metrics[f"{FAIRNESS_OF}{material}"])))
        else:
            sole_users.extend((material, region) for region in users)
    return indices, sole_users
