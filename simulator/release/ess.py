"""The IEA Emergency Sharing System (oil, 1974) adapted to one material.

Layer: rules. Each member has a *supply right* equal to its permissible use,
``(1 - restraint) * d_i`` (baseline demand ``d_i``, t/day): members accept the
restraint share of their demand as their own loss. The system activates when the
group's gap reaches ``trigger_loss_share`` of the group's baseline demand. A member
whose supply today (served from its commercial stock and own reserve) is below its
supply right receives the difference, at most its gap; when the shared stock cannot
cover every member's need, needs are met pro rata. The shared stock is drawn from
members in proportion to their stock commitments (see :func:`drawdown_obligations`).
Members are on the first axis; any batch shape follows.
"""

from __future__ import annotations

import numpy as np

from simulator.numeric import Array, level_allocation, ordered_sum
from simulator.release.inputs import RuleInputs


def supply_right_needs(gaps: Array, supplied: Array, baseline_demand: Array, restraint: Array | float) -> Array:
    """Each member's need: ``min(g_i, max(0, (1 - restraint) * d_i - supplied_i))`` (t).

    >>> supply_right_needs(np.array([50.0, 10.0]), np.array([50.0, 90.0]),
    ...                    np.array([100.0, 100.0]), 0.1)
    array([40.,  0.])
    """
    right = (1.0 - np.asarray(restraint, float)) * np.asarray(baseline_demand, float)
    return np.minimum(np.asarray(gaps, float), np.maximum(0.0, right - np.asarray(supplied, float)))


def iea_ess(
    gaps: Array,
    available: Array,
    supplied: Array,
    baseline_demand: Array,
    restraint: Array | float,
    trigger_loss_share: Array | float,
) -> Array:
    """Awards under the Emergency Sharing System (t).

    Worked example (docs/release-rules.md): demands 100 and 100 t/day, restraint 10%,
    a supplier halt leaves member A with 50 t supplied (gap 50) and member B with 90 t
    (gap 10). Group gap 60 t = 30% of demand >= the 7% trigger. Supply rights are 90 t
    each, so A needs 40 t and B needs 0 t; with 100 t of shared stock A receives 40 t.

    >>> iea_ess(np.array([50.0, 10.0]), np.array(100.0), np.array([50.0, 90.0]),
    ...         np.array([100.0, 100.0]), 0.1, 0.07)
    array([40.,  0.])
    """
    gaps = np.asarray(gaps, float)
    demand = np.broadcast_to(np.asarray(baseline_demand, float), gaps.shape)
    needs = supply_right_needs(gaps, supplied, demand, restraint)
    group_gap = ordered_sum(gaps, axis=0)
    group_demand = ordered_sum(demand, axis=0)
    active = (group_gap > 0) & (group_gap >= trigger_loss_share * group_demand)
    total_need = ordered_sum(needs, axis=0)
    release = np.minimum(np.asarray(available, float), total_need)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(total_need > 0, release / total_need, 0.0)
    return np.where(active[None], needs * scale[None], 0.0)


def drawdown_obligations(total: Array, commitments: Array, drawable: Array) -> Array:
    """Split a release of ``total`` t among donors in proportion to their commitments.

    A donor never gives more than it can (``drawable``, t); what it cannot give falls on
    the others in proportion to their commitments.

    >>> drawdown_obligations(np.array(30.0), np.array([1.0, 2.0]), np.array([100.0, 5.0]))
    array([25.,  5.])
    """
    drawable = np.asarray(drawable, float)
    weights = np.broadcast_to(np.asarray(commitments, float), drawable.shape)
    return level_allocation(weights, np.zeros_like(drawable), drawable, total)


def allocate_iea_ess(x: RuleInputs) -> Array:
    """:func:`iea_ess` on a day's inputs."""
    return iea_ess(
        x.gaps_t, x.available_t, x.supplied_t, x.baseline_demand_t, x.ess_restraint, x.ess_trigger_loss_share
    )
