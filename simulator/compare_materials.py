"""``stockpile compare``'s fairness and pool figures material by material, where one over all materials misleads.

Layer: studies.

Jain's index over all materials (``fairness_jain``) divides each member's shortfall of every material by its
demand for every material: where the scenario's tonnes may not be added it adds them, and with one material short
it counts demand for materials no one is short of
(:func:`simulator.scenario.tonnes.index_by_material`). There the printed table and ``compare.png`` give each
material short its own index (``fairness_jain.all.<material>``), as ``stockpile run``'s last line does, and its
largest gap with it (``max_shortfall_share_gap.all.<material>``); a material one member alone uses has no burden to
share and gets none. The pool's figures over all materials (``pool_end_t``, ``envious_members``,
``draw_contribution_gap``, ``draw_to_contribution.<member>``) add the tonnes of every material paid in: where those
may not be added (:func:`simulator.scenario.tonnes.pool_adds`) they are empty in compare.csv, as
``total_shortfall_t`` is, and given by material (``pool_end_t.all.<material>``,
``draw_contribution_gap.all.<material>``, ``envious_members.all.<material>``,
``draw_to_contribution.<member>.<material>``; envy over all materials is not emptied, a count, not tonnes; nor is
``unused_release_t``, though it adds tonnes: ``unused_release_t.all.<material>`` gives it by material). compare.csv
has every figure of every material in every comparison (:data:`BY_MATERIAL_PREFIXES`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from simulator.burden import members_with_demand
from simulator.metrics import jain_index, share_gap
from simulator.names import Names
from simulator.quantities import FAIRNESS_OF
from simulator.results import Result
from simulator.scenario import Scenario
from simulator.scenario.tonnes import index_by_material, pool_adds
from simulator.shortages import short_of as some_short_of

GAP_OF = "draw_contribution_gap.all."
"""The start of compare.csv's gap between draws and contributions of one material (as the run's metric)."""
SHARE_GAP_OF = "max_shortfall_share_gap.all."
"""The start of compare.csv's largest gap between two members' shortfall shares of one material (the run's)."""
ENVY_OF = "envious_members.all."
"""The start of compare.csv's count of envious members over one material's draws and contributions (the run's)."""
UNUSED_OF = "unused_release_t.all."
"""The start of compare.csv's shared stock of one material that stayed in the pool on days members were short, t
(as the run's metric, and sweep.parquet's column)."""
POOL_END_OF = "pool_end_t.all."
"""The start of compare.csv's pool left at the end of one material, t (as the run's metric)."""
BY_MATERIAL_PREFIXES = (FAIRNESS_OF, SHARE_GAP_OF, GAP_OF, ENVY_OF, UNUSED_OF, POOL_END_OF)
"""compare.csv's figures of each material, in their order there (:func:`rule_columns`)."""
FAIRNESS_MATERIALS = "fairness_materials"
"""``Comparison.table().attrs`` key: the materials whose index the printed table and ``compare.png`` give in place of
``fairness_jain`` (:func:`fairness_materials`); [] where the index over all materials is the answer."""
SOLE_USERS = "fairness_sole_users"
"""``Comparison.table().attrs`` key beside :data:`FAIRNESS_MATERIALS`: (material, member) of each material short that
one member alone uses (no burden to share, so no index of it is shown)."""
POOL_MATERIALS = "pool_materials"
"""``Comparison.table().attrs`` key: the materials paid into the pool, where their tonnes may not be added
(:func:`pool_adds`); missing elsewhere."""
POOL_NOT_ADDED = "pool_not_added"
"""``Comparison.table().attrs`` key beside :data:`POOL_MATERIALS`: what a pool figure over them would add."""


def members_fairness(result: Result, members: list[str], material: str) -> float:
    """Jain's index of ``members``' shortfalls of ``material`` as shares of their demand for it (1: none short).

    As a rule's run has it (``fairness_jain.all.<material>``), for a run without the agreement, whose own index
    counts every region: a member without demand for the material is left out
    (:func:`~simulator.metrics.jain_index`).
    """
    return float(jain_index(*_members_shares(result, members, material)))


def members_share_gap(result: Result, members: list[str], material: str) -> float:
    """The largest gap between two ``members``' shortfall shares of ``material`` (0 to 1), those with demand for it.

    As a rule's run has it (``max_shortfall_share_gap.all.<material>``), for a run without the agreement, whose own
    gap counts every region (:func:`~simulator.metrics.share_gap`).
    """
    return float(share_gap(*_members_shares(result, members, material)))


def _members_shares(result: Result, members: list[str], material: str) -> tuple[np.ndarray, np.ndarray]:
    """``members``' shortfall shares of ``material``, and whether each has demand for it (the ones counted)."""
    shares = np.array([float(result.metrics[f"shortfall_share.{m}.{material}"]) for m in members])
    demanding = np.array([_demand_t(result, m, material) > 0 for m in members])
    return shares, demanding


def _demand_t(result: Result, member: str, material: str) -> float:
    """``member``'s demand for ``material`` over the run (t), from the summary."""
    summary = result.summary
    rows = summary[(summary["region"] == member) & (summary["material"] == material)]
    return float(rows["demand_t"].iloc[0]) if len(rows) else 0.0


def rule_columns(result: Result, members: list[str]) -> dict[str, Any]:
    """compare.csv's columns by material of a rule's row: each material's fairness figures, then the pool's.

    ``fairness_jain.all.<material>``, ``max_shortfall_share_gap.all.<material>``,
    ``draw_contribution_gap.all.<material>``, ``envious_members.all.<material>``,
    ``unused_release_t.all.<material>``, ``pool_end_t.all.<material>`` (the run's metrics), then
    ``draw_to_contribution.<member>.<material>`` (the summary's; empty where the member paid none of it in or none
    was drawn). What ``stockpile compare`` prints by material is among them.
    """
    materials = result.structure.materials
    out: dict[str, Any] = {
        f"{prefix}{m}": result.metrics[f"{prefix}{m}"] for prefix in BY_MATERIAL_PREFIXES for m in materials
    }
    summary = result.summary.set_index(["region", "material"])["draw_to_contribution"]
    for member in members:
        for m in materials:
            ratio = float(summary.get((member, m), math.nan))
            out[f"draw_to_contribution.{member}.{m}"] = None if math.isnan(ratio) else ratio
    return out


def baseline_columns(result: Result, members: list[str]) -> dict[str, Any]:
    """The columns of :func:`rule_columns` in a row without the agreement (``result``).

    The members' index and largest gap of each material (:func:`members_fairness`, :func:`members_share_gap`); the
    pool's figures empty (no pool).
    """
    materials = result.structure.materials
    out: dict[str, Any] = {f"{FAIRNESS_OF}{m}": members_fairness(result, members, m) for m in materials}
    out.update({f"{SHARE_GAP_OF}{m}": members_share_gap(result, members, m) for m in materials})
    out.update(dict.fromkeys(f"{prefix}{m}" for prefix in (GAP_OF, ENVY_OF, UNUSED_OF, POOL_END_OF) for m in materials))
    out.update(dict.fromkeys(f"draw_to_contribution.{member}.{m}" for member in members for m in materials))
    return out


def pool_totals(members: list[str]) -> list[str]:
    """compare.csv's pool figures that add every material's tonnes: empty where those may not be added."""
    return ["draw_contribution_gap", "pool_end_t", *(f"draw_to_contribution.{member}" for member in members)]


def pooled_materials(rules: list[Result], members: list[str]) -> list[str]:
    """The materials some member paid into the shared stock under some rule (``contributed_t`` above 0)."""
    first = rules[0]
    paid = set()
    for result in rules:
        summary = result.summary
        rows = summary[summary["region"].isin(members) & (summary["contributed_t"] > 0)]
        paid.update(rows["material"])
    return [m for m in first.structure.materials if m in paid]


def is_short_of(figures: Mapping[str, Any], members: list[str], material: str) -> bool:
    """Whether some of ``members`` is short of ``material`` (a shortfall the words show) in one row of the comparison.

    ``figures``: a run's metrics or a row of compare.csv, both with ``shortfall_t.<member>.<material>`` (t):
    :func:`simulator.shortages.short_of` of that one row.
    """
    return bool(some_short_of(figures, members, material))


def short_materials(runs: list[Result], members: list[str]) -> list[str]:
    """The materials some member is short of in some of ``runs`` (:func:`is_short_of`), in the scenario's order."""
    materials = runs[0].structure.materials
    return [m for m in materials if any(is_short_of(r.metrics, members, m) for r in runs)]


def fairness_materials(runs: list[Result], members: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The materials whose own index stands in ``fairness_jain``'s place, and (material, member) of those one uses.

    Where :func:`~simulator.scenario.tonnes.index_by_material` holds for the materials short in some row: each such
    material two members or more use, then each that one member alone uses with that member (no burden to share,
    as ``stockpile run`` names it). ([], []) where the index over all materials is the answer.
    """
    split = split_by_users(runs[0].scenario, members, short_materials(runs, members))
    return ([], []) if split is None else split


def split_by_users(
    scenario: Scenario, members: list[str], short: list[str]
) -> tuple[list[str], list[tuple[str, str]]] | None:
    """The materials ``short`` split by their users: those two of ``members`` or more use, and (material, member).

    The second list holds each material one member alone uses, with that member. None where
    :func:`~simulator.scenario.tonnes.index_by_material` does not hold for them (the index over all materials is the
    answer). Read by ``stockpile compare`` and by the studies (:mod:`simulator.sensitivity.study`).
    """
    if not index_by_material(scenario, short):
        return None
    users = {m: members_with_demand(scenario, members, [m]) for m in short}
    return [m for m in short if len(users[m]) >= 2], [(m, users[m][0]) for m in short if len(users[m]) == 1]


def mark_by_material(table: Any, runs: list[Result], rules: list[Result], members: list[str]) -> None:
    """Mark in ``table``'s attrs the figures given by material, and empty the pool totals that would add tonnes.

    :data:`FAIRNESS_MATERIALS` and :data:`SOLE_USERS` (:func:`fairness_materials`); :data:`POOL_MATERIALS` and
    :data:`POOL_NOT_ADDED` where the pool's tonnes may not be added, its totals (:func:`pool_totals`) then NaN.

    ``runs``: every row's run in the table's order (baselines first); ``rules``: the rules' runs alone.
    """
    table.attrs[FAIRNESS_MATERIALS], table.attrs[SOLE_USERS] = fairness_materials(runs, members)
    pooled = pooled_materials(rules, members)
    why = pool_adds(rules[0].scenario, pooled)
    if why is not None:
        table.attrs[POOL_MATERIALS], table.attrs[POOL_NOT_ADDED] = pooled, why
        table[pool_totals(members)] = float("nan")


def shown_by_material(attrs: dict[str, Any]) -> tuple[str, ...]:
    """The fairness columns of ``stockpile compare``'s printed table, ``table.attrs`` of :meth:`Comparison.table`.

    ``fairness_jain``, ``max_shortfall_share_gap``, ``draw_contribution_gap``, ``envious_members``; where their
    figure over all materials misleads, ``fairness_jain.all.<material>`` and ``max_shortfall_share_gap.all.<material>``
    of each material of :data:`FAIRNESS_MATERIALS` (none where every material short has one user), and
    ``draw_contribution_gap.all.<material>`` and ``envious_members.all.<material>`` of each of
    :data:`POOL_MATERIALS` in their places.
    """
    by_index = bool(attrs.get(FAIRNESS_MATERIALS) or attrs.get(SOLE_USERS))
    fairness = [f"{FAIRNESS_OF}{m}" for m in attrs[FAIRNESS_MATERIALS]] if by_index else ["fairness_jain"]
    gaps = [f"{SHARE_GAP_OF}{m}" for m in attrs[FAIRNESS_MATERIALS]] if by_index else ["max_shortfall_share_gap"]
    pooled = attrs.get(POOL_MATERIALS)
    draws = [f"{GAP_OF}{m}" for m in pooled] if pooled else ["draw_contribution_gap"]
    envy = [f"{ENVY_OF}{m}" for m in pooled] if pooled else ["envious_members"]
    return (*fairness, *gaps, *draws, *envy)


def by_material_notes(attrs: dict[str, Any], shown: Any) -> list[str]:
    """The lines under ``stockpile compare``'s table saying which of its figures are by material, and why.

    ``shown``: the printed columns. ``fairness_jain.all.<material>`` in place of ``fairness_jain`` (what the index
    over all materials would add: :data:`~simulator.compare.NOT_ADDED`, or with one material short the demand for
    the others it counts), each material short that one member alone uses (or a line saying envy stays over all
    materials). The largest gap, the draw-contribution gap and envy by material are not in the printed table
    (:data:`simulator.console.LEFT_OUT`): its last line says that compare.csv has them.
    """
    from simulator.compare import NONE_SHORT, NOT_ADDED

    lines = []
    if attrs.get(FAIRNESS_MATERIALS) or attrs.get(SOLE_USERS):
        over_all = (
            f"would add {attrs[NOT_ADDED]}"
            if attrs.get(NOT_ADDED)
            else "would divide each member's shortfall by its demand for every material, those no one is short of too"
        )
        if any(str(c).startswith(FAIRNESS_OF) for c in shown):
            lines.append(
                f"{FAIRNESS_OF}MATERIAL: Jain's index of the members' shortfalls of the material as shares of their "
                f"demand for it, in place of fairness_jain, whose shares over all materials {over_all} (fairness_jain "
                "stays in compare.csv)"
            )
            if any((shown[c] == NONE_SHORT).any() for c in shown.columns if str(c).startswith(FAIRNESS_OF)):
                lines.append(
                    f"{FAIRNESS_OF}MATERIAL {NONE_SHORT}: no member is short of it in that row (1 in compare.csv)"
                )
        lines.extend(f"only {member} uses {m}: no burden of it to share" for m, member in attrs.get(SOLE_USERS, []))
        if "envious_members" in shown:  # the pool's tonnes may be added: envy stays over all materials
            lines.append("envious_members: over all materials' draws and contributions, added")
    return lines


def by_material_sentence(
    names: Names,
    materials: list[str],
    sole_users: Iterable[tuple[str, str]],
    adds: str | None,
    *,
    given: Callable[[str], str],
    none: str,
    sole_tail: str = "",
) -> str:
    """Why Jain's index is given material by material, and of which: the sentence of the studies' notes.

    One builder for ``stockpile sensitivity``'s note (:func:`simulator.sensitivity.by_material_note`) and
    ``stockpile run --uncertainty``'s (:func:`simulator.sensitivity.intervals.by_material_text`); each says what
    is given in its own words. ``materials``: those whose own index is given (two members or more use each);
    ``sole_users``: (material, member) of each material short that one member alone uses; ``adds``: what the index
    over all materials would add (:func:`~simulator.scenario.tonnes.not_added`), or None (one material short).

    ``given`` makes the first clause, where some index is given, from what the index over all materials would do
    (``add <adds>``, else ``divide each member's shortfall of <the first material> by its demand for every
    material``); ``none`` is the first clause where none is (each material short has one user). Then each sole
    user is named (no burden of it to share), ``sole_tail`` after it. Named by ``names``.

    :func:`by_material_notes` says the same of ``stockpile compare``'s table in lines of its own: column names and
    ids, not names, and what the index over all materials would do without naming a material.

    >>> print(by_material_sentence(Names(), ["ga"], [("mag", "eu")], None, given=lambda why: f"it would {why}",
    ...                            none="no index", sole_tail="!"))
    it would divide each member's shortfall of ga by its demand for every material; only the EU uses mag: no \
burden of it to share!
    >>> print(by_material_sentence(Names(), [], [("mag", "eu")], "tonnes", given=str, none="no index"))
    no index; only the EU uses mag: no burden of it to share
    """
    if materials:
        first = names.material_text(materials[0])
        said = [
            given(
                f"add {adds}" if adds else f"divide each member's shortfall of {first} by its demand for every material"
            )
        ]
    else:
        said = [none]
    said += [
        f"only {names.subject(member)} uses {names.material_text(m)}: no burden of it to share{sole_tail}"
        for m, member in sole_users
    ]
    return "; ".join(said)
