"""Emergency sharing after the IEA's International Energy Program, and the older need rule.

Layer: rules. Members are on the first axis; any batch shape follows.

:func:`iea_ess` follows the Agreement on an International Energy Program (IEP) for one
material: the triggers of Arts. 13, 14 and 17, the demand restraint of Arts. 5, 13 and 14,
and the supply right, drawdown obligation and allocation right and obligation of Art. 7
(with Art. 8 for the selective trigger):

- **Triggers.** The *general* trigger (Art. 13) holds when the group's supply loss,
  ``max(0, sum(d) - sum(s))``, is at least ``trigger_loss_share`` (7%) of the group's
  base consumption ``sum(d)``; the *selective* trigger (Art. 17) when one member's own
  loss ``max(0, d_i - s_i)`` is at least ``selective_loss_share`` (7%) of its ``d_i``.
- **Demand restraint** (Art. 5; levels Arts. 13, 14): ``restraint`` (7%) once a trigger
  holds, ``higher_restraint`` (10%) when the group's loss reaches ``higher_loss_share``
  (12%, Art. 14). *Permissible consumption* (Art. 7(4)) ``P_i = (1 - restraint) x d_i``.
- **Drawdown obligation** (Art. 7(5), (6)): the group supply shortfall
  ``S = max(0, sum(P) - sum(s))`` is to be drawn from emergency stock; member ``i``'s
  obligation is its share of the group's reserve commitments, ``O_i = c_i / sum(c) x S``.
  It draws ``O_i`` for its own use as far as its stock allows (a joint pool short of ``S``
  is drawn in proportion to the obligations); what it cannot draw is its own loss.
- **Supply right** (Art. 7(1)): ``R_i = P_i - O_i``. An obligation is at most ``P_i``: where
  the commitment share ``c_i / sum(c) x S`` would exceed it, the member owes ``P_i`` (its right
  is 0) and the rest falls on the others in proportion to their commitments, each up to its own
  ``P`` (on members without a commitment, by their ``P``, once those with one owe their whole
  ``P``; the IEP would have that member supply the others from its stock; with a joint pool
  the stock is the pool's, docs/release-rules.md). So where a shortfall is drawn the rights add up
  to the group's supply, and every member below its right is brought up to it.
- **Allocation right and obligation** (Art. 7(2), (3)): members supplied above their right
  pass the excess to those below it. Under the general trigger the excesses and the deficits
  add up to the same; under the selective trigger alone nothing is drawn, each member below
  its right receives it in full (it bears the first 7% itself, Art. 8(1)), and those above
  give in proportion to their excess (the IEP shares this obligation by base-period
  consumption, Art. 8(2)).

Each member then consumes ``s_i + received_i - passed_i + drawn_i``: ``P_i`` less the
part of its obligation its stock could not give. Base consumption ``d_i`` is the member's
demand today (the model has no base period; this keeps demand the price destroyed from
counting as a supply loss), and its supply ``s_i`` is what it took from its commercial
stock, where the IEP counts domestic production and net imports (Art. 7(2), (3)): a member
cut off but still holding stock counts as supplied (docs/release-rules.md, "Where it
departs from the IEP"). :func:`need_with_restraint` is the rule this project called
``iea_ess`` before: stock fills each member up to ``(1 - restraint) x d_i``, with no
drawdown obligation and no passing of supplies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.numeric import EPS_T, Array, level_allocation, ordered_sum
from simulator.release.inputs import RuleInputs


@dataclass(frozen=True)
class EssSharing:
    """The IEP's decision for one day (members on the first axis)."""

    restraint: Array
    """Demand restraint applied (share of base consumption; 0 where no trigger holds), (...)."""
    general: Array
    """The general trigger holds (group loss at least its threshold), (...) bool."""
    selective: Array
    """The selective trigger holds (Art. 17) and the general one does not, (...) bool."""
    permissible_t: Array
    """Permissible consumption ``P_i = (1 - restraint) x d_i`` (t), (N, ...)."""
    obligation_t: Array
    """Drawdown obligation ``O_i``: the member's commitment share of the group's shortfall, at most ``P_i`` (t),
    (N, ...)."""
    drawn_t: Array
    """Stock each member draws for its own use: its obligation, as far as the stock allows (t), (N, ...)."""
    transferred_t: Array
    """Supply received from (+) or passed on to (-) other members (t), (N, ...)."""
    restraint_t: Array
    """Demand the restraint held back (t), (N, ...): the member's unmet demand ``d_i - s_i - transferred_i -
    drawn_i`` up to ``restraint x d_i``, where a trigger holds (0 elsewhere). Past it, the unmet demand is the
    obligation the stock could not give; below it, the member kept more than ``P_i`` (above its right under the
    selective trigger alone, it passes on only what those below theirs lack). Unmet demand up to ``EPS_T`` is
    rounding residue, not restraint."""


def iea_ess(
    demand_t: Array,
    supply_t: Array,
    commitments: Array,
    drawable_t: Array,
    available_t: Array,
    restraint: Array | float = 0.07,
    higher_restraint: Array | float = 0.10,
    higher_loss_share: Array | float = 0.12,
    trigger_loss_share: Array | float = 0.07,
    selective_loss_share: Array | float = 0.07,
) -> EssSharing:
    """Share a supply loss by the IEP's arithmetic (module docstring).

    Supply is measured as what a member drew from its commercial stock each day (``supply_t``).

    Parameters
    ----------
    demand_t
        ``d_i``, base consumption: the member's demand today (t/day).
    supply_t
        ``s_i``, supply today from the member's own commercial stock (t), at most ``d_i``.
    commitments
        ``c_i``, emergency reserve commitments (weights, any scale, sum above 0).
    drawable_t
        Most each member's own stock may give today (t); ``inf`` for a joint pool.
    available_t
        Most the group's stock may give today (t): the stock after any release cap.
    restraint, higher_restraint, higher_loss_share
        Demand restraint (share of ``d_i``), and the larger restraint that applies from a
        group loss of ``higher_loss_share`` of ``sum(d)``.
    trigger_loss_share, selective_loss_share
        General trigger (group loss share) and selective trigger (one member's loss
        share of its own ``d_i``).

    Examples
    --------
    Two members of 100 t/day; one loses half its supply. The group loses 25% (above 12%):
    restraint 10%, permissible 90 each, shortfall 180 - 150 = 30 t drawn 15/15, supply
    rights 75 each, so the unhit member passes 25 t to the hit one. Each consumes 90 t.

    >>> e = iea_ess(np.array([100.0, 100.0]), np.array([50.0, 100.0]), np.array([1.0, 1.0]),
    ...             np.full(2, np.inf), np.array(1000.0))
    >>> float(e.restraint), e.drawn_t, e.transferred_t
    (0.1, array([15., 15.]), array([ 25., -25.]))

    Each is short 10 t of its 100 t, all of it the restraint (the stock gave each its whole obligation):

    >>> e.restraint_t
    array([10., 10.])
    """
    demand = np.asarray(demand_t, float)
    supply = np.broadcast_to(np.asarray(supply_t, float), demand.shape)
    group_demand = ordered_sum(demand, axis=0)
    group_supply = ordered_sum(supply, axis=0)
    group_loss = np.maximum(0.0, group_demand - group_supply)
    general = (group_loss > 0) & (group_loss >= trigger_loss_share * group_demand)
    member_loss = np.maximum(0.0, demand - supply)
    hit = (member_loss > 0) & (member_loss >= np.asarray(selective_loss_share, float)[None] * demand)
    selective = ~general & np.any(hit, axis=0)
    active = general | selective
    higher = general & (group_loss >= higher_loss_share * group_demand)
    cut = np.where(active, np.where(higher, higher_restraint, restraint), 0.0)
    permissible = (1.0 - cut)[None] * demand
    shortfall = np.where(active, np.maximum(0.0, ordered_sum(permissible, axis=0) - group_supply), 0.0)
    weights = np.broadcast_to(np.asarray(commitments, float), demand.shape)
    total_weight = ordered_sum(weights, axis=0)
    obligation = _obligations_t(shortfall, weights, total_weight, permissible)
    drawable = np.broadcast_to(np.asarray(drawable_t, float), demand.shape)
    drawn = _drawn_t(obligation, drawable, shortfall, np.asarray(available_t, float))
    right = permissible - obligation
    excess = np.where(active[None], np.maximum(0.0, supply - right), 0.0)
    deficit = np.where(active[None], np.maximum(0.0, right - supply), 0.0)
    total_excess, total_deficit = ordered_sum(excess, axis=0), ordered_sum(deficit, axis=0)
    passed = np.minimum(total_excess, total_deficit)
    with np.errstate(divide="ignore", invalid="ignore"):
        given = np.where(total_excess > 0, passed / total_excess, 0.0)[None] * excess
        received = np.where(total_deficit > 0, passed / total_deficit, 0.0)[None] * deficit
    transferred = received - given
    return EssSharing(
        cut,
        general,
        selective,
        permissible,
        obligation,
        drawn,
        transferred,
        _held_back_t(demand, supply + transferred + drawn, cut),
    )


def _drawn_t(obligation_t: Array, drawable_t: Array, shortfall_t: Array, available_t: Array) -> Array:
    """Stock each member draws (t), (N, ...): its obligation, as far as its own stock and the group's allow.

    From a joint pool (``drawable_t`` all ``inf``) the members draw ``O_i x min(1, A / S)``: a pool ``A`` short of
    the group's shortfall ``S`` is drawn in proportion to the obligations. From national reserves each member
    draws ``min(O_i, D_i)``, its own reserve ``D_i`` being its limit, and only a release cap that leaves the
    group's ``A`` below what they would draw together scales those draws down alike: a member short of its
    own reserve does not make the others draw less of theirs.

    Japan owes 18 t and holds 64 t, the EU owes 72 t and holds none; with no cap ``A`` is their 64 t:

    >>> _drawn_t(np.array([18.0, 72.0]), np.array([64.0, 0.0]), np.array(90.0), np.array(64.0))
    array([18.,  0.])

    A joint pool of 45 t for the same obligations meets half of each:

    >>> _drawn_t(np.array([18.0, 72.0]), np.full(2, np.inf), np.array(90.0), np.array(45.0))
    array([ 9., 36.])
    """
    wanted = np.minimum(obligation_t, drawable_t)
    pooled = np.all(np.isinf(drawable_t), axis=0)
    can_draw = np.where(pooled, shortfall_t, ordered_sum(wanted, axis=0))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # over: reserves of a few 1e-309 t
        met = np.where(can_draw > 0, np.minimum(1.0, available_t / can_draw), 0.0)
    return wanted * met[None]


def _obligations_t(shortfall_t: Array, commitments: Array, total_commitment: Array, permissible_t: Array) -> Array:
    """Drawdown obligations ``O_i`` (t), (N, ...): the shortfall ``S`` (...) shared by commitment, each up to ``P_i``.

    ``O_i = c_i / sum(c) x S`` wherever that leaves every ``O_i <= P_i``. In a batch column where it does not,
    the obligations are levelled: ``O_i = min(P_i, L x c_i)`` for the common ``L`` that makes them add up to
    ``S``, so the part above a member's ``P_i`` falls on the others in proportion to their commitments. If the
    members with a commitment cannot take all of ``S`` within their ``P`` (every one of them owes its ``P_i``),
    the rest falls on the members without one, in proportion to their ``P_i``. The obligations then add up to
    ``S`` (``S <= sum(P)``: supplies are not negative). Columns where no cap binds keep the proportional shares
    exactly.

    Commitments 8, 1, 1, ``S`` = 40 t, ``P`` = 18, 90, 72 t: 32 t would exceed the first member's 18 t, so it
    owes 18 t and the other two 11 t each. With commitments 8, 0, 0 and ``S`` = 45 t it owes 18 t and the other
    two share the 27 t left as 90 : 72, 15 t and 12 t.

    >>> P = np.array([18.0, 90.0, 72.0])
    >>> _obligations_t(np.array(40.0), np.array([8.0, 1.0, 1.0]), np.array(10.0), P)
    array([18., 11., 11.])
    >>> _obligations_t(np.array(45.0), np.array([8.0, 0.0, 0.0]), np.array(8.0), P)
    array([18., 15., 12.])
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        proportional = np.where(total_commitment > 0, shortfall_t / total_commitment, 0.0)[None] * commitments
    above_cap = np.any(proportional > permissible_t, axis=0)
    if not np.any(above_cap):
        return proportional
    levelled = drawdown_obligations(shortfall_t, commitments, permissible_t)
    left_t = np.maximum(0.0, shortfall_t - ordered_sum(levelled, axis=0))
    room_t = permissible_t - levelled
    total_room_t = ordered_sum(room_t, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = levelled + np.where(total_room_t > 0, left_t / total_room_t, 0.0)[None] * room_t
    spread = np.minimum(spread, permissible_t)  # (rounding)
    return np.where(above_cap[None], spread, proportional)


def _held_back_t(demand_t: Array, consumed_t: Array, restraint: Array) -> Array:
    """Demand the restraint held back: unmet demand up to ``restraint x d_i`` (t), (N, ...); 0 where none applies.

    ``restraint`` (...) is 0 where no trigger holds. Unmet demand up to ``EPS_T`` is rounding residue.

    >>> _held_back_t(np.array([100.0, 100.0, 100.0]), np.array([80.0, 95.0, 100.0]), np.array(0.07))
    array([7., 5., 0.])
    """
    unmet = demand_t - consumed_t
    return np.minimum(np.where(unmet > EPS_T, unmet, 0.0), np.asarray(restraint)[None] * demand_t)


def supply_right_needs(gaps: Array, supplied: Array, baseline_demand: Array, restraint: Array | float) -> Array:
    """Each member's need: ``min(g_i, max(0, (1 - restraint) * d_i - supplied_i))`` (t).

    >>> supply_right_needs(np.array([50.0, 10.0]), np.array([50.0, 90.0]),
    ...                    np.array([100.0, 100.0]), 0.1)
    array([40.,  0.])
    """
    right = (1.0 - np.asarray(restraint, float)) * np.asarray(baseline_demand, float)
    return np.minimum(np.asarray(gaps, float), np.maximum(0.0, right - np.asarray(supplied, float)))


def need_with_restraint(
    gaps: Array,
    available: Array,
    supplied: Array,
    baseline_demand: Array,
    restraint: Array | float,
    trigger_loss_share: Array | float,
) -> Array:
    """Stock fills each member's need up to ``(1 - restraint) x d_i``, pro rata when short (t).

    Active when the group's gap reaches ``trigger_loss_share`` of its baseline demand.
    Demands 100 and 100 t/day, restraint 10%, member A supplied 50 t (gap 50) and B 90 t
    (gap 10): the group's gap is 30% of demand; A needs 40 t, B nothing.

    >>> need_with_restraint(np.array([50.0, 10.0]), np.array(100.0), np.array([50.0, 90.0]),
    ...                     np.array([100.0, 100.0]), 0.1, 0.07)
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


def allocate_need_with_restraint(x: RuleInputs) -> Array:
    """:func:`need_with_restraint` on a day's inputs."""
    return need_with_restraint(
        x.gaps_t, x.available_t, x.supplied_t, x.baseline_demand_t, x.ess_restraint, x.ess_trigger_loss_share
    )


def allocate_iea_ess(x: RuleInputs) -> EssSharing:
    """:func:`iea_ess` on a day's inputs: today's demand is what was supplied plus the gap."""
    return iea_ess(
        x.supplied_t + x.gaps_t,
        x.supplied_t,
        x.commitments,
        x.drawable_t,
        x.available_t,
        x.ess_restraint,
        x.ess_higher_restraint,
        x.ess_higher_loss_share,
        x.ess_trigger_loss_share,
        x.ess_selective_loss_share,
    )
