"""Sharing a release among members' gaps: fair ratio, proportional to demand, equal cover.

Layer: rules. Each rule is a pure function of the members' gaps (t), the stock that may
be released today ``available`` (t, after any release cap) and the rule's parameters;
it returns each member's award (t). Members are on the first axis; any batch shape
follows. Every rule gives ``0 <= award <= gap`` and ``sum(award) <= available``.
"""

from __future__ import annotations

import numpy as np

from simulator.numeric import Array, anywhere, level_allocation, ordered_sum, share_of
from simulator.release.inputs import RuleInputs


def fair_ratio(gaps: Array, available: Array, ratio: Array, strict: bool = False) -> Array:
    """Pre-agreed fair allocation ratio with water-filling.

    The release is ``R = min(available, sum(gaps))``. Member ``i`` is offered
    ``w_i * R``; what a member cannot use (its gap is smaller than its share) goes to
    the members with unmet gaps in proportion to their ratios, repeatedly, until the
    release or the gaps run out. Equivalently ``a_i = min(g_i, L * w_i)`` for the
    level ``L`` that releases ``R``. Stock still left once every member with a ratio
    above 0 is served goes to the members with ratio 0 by equal awards, so no stock
    stays unused while a gap remains. With ``strict=True`` unused shares are withheld:
    ``a_i = min(g_i, w_i * R)``.

    Parameters
    ----------
    gaps
        ``g_i``, each member's unmet demand today (t).
    available
        Stock that may be released today (t).
    ratio
        ``w_i``, pre-agreed shares summing to 1.
    strict
        Withhold shares a member cannot use instead of redistributing them.

    Examples
    --------
    Japan 40%, EU 60%; 100 t available; Japan short 10 t, EU 200 t. Japan's 40 t
    share exceeds its gap, so the EU receives the rest (strict: only its 60 t). A
    member with ratio 0 receives what is left once the others are served.

    >>> fair_ratio(np.array([10.0, 200.0]), np.array(100.0), np.array([0.4, 0.6]))
    array([10., 90.])
    >>> fair_ratio(np.array([10.0, 200.0]), np.array(100.0), np.array([0.4, 0.6]), strict=True)
    array([10., 60.])
    >>> fair_ratio(np.array([10.0, 10.0]), np.array(100.0), np.array([1.0, 0.0]))
    array([10., 10.])
    """
    gaps = np.asarray(gaps, float)
    release = np.minimum(np.asarray(available, float), ordered_sum(gaps, axis=0))
    ratio = np.broadcast_to(np.asarray(ratio, float), gaps.shape)
    if strict:
        return np.minimum(gaps, ratio * release[None])
    awarded = level_allocation(ratio, np.zeros_like(gaps), gaps, release)
    leftover = release - ordered_sum(awarded, axis=0)
    if not anywhere(leftover > 0):
        return awarded
    # only members with ratio 0 can still have gaps here; share what is left equally
    unserved = np.where(ratio > 0, 0.0, gaps - awarded)
    extra = level_allocation(np.ones_like(gaps), np.zeros_like(gaps), unserved, np.maximum(leftover, 0.0))
    return awarded + extra


def proportional_to_demand(gaps: Array, available: Array, baseline_demand: Array) -> Array:
    """Shares in proportion to baseline demand (the IEA's consumption-share key, applied to gaps).

    Fair ratio with ``w_i = d_i / sum(d)``, including the water-filling of shares a
    member cannot use. When gaps are proportional to demand (a loss spread evenly),
    every member ends with the same fractional shortfall.

    >>> proportional_to_demand(np.array([20.0, 80.0]), np.array(60.0), np.array([20.0, 80.0]))
    array([12., 48.])
    """
    demand = np.asarray(baseline_demand, float)
    weights = share_of(demand, ordered_sum(demand, axis=0)[None])
    return fair_ratio(gaps, available, weights)


def equal_cover(gaps: Array, available: Array, baseline_demand: Array, own_stock: Array) -> Array:
    """Release so members end the day with days of cover as equal as possible.

    Member ``i``'s cover after the release counts its own stock ``s_i`` (commercial,
    national reserve and bought auction stock, t) plus its award, in days of its
    baseline demand ``d_i``. The rule raises the lowest covers first to a common level
    ``L`` (days): ``a_i = min(g_i, max(0, L * d_i - s_i))``.

    With every ``s_i`` 0 this is :func:`proportional_to_demand`. So it is under the kernel's
    default order (``agreement.order: national_first``): a member is short there only once its
    commercial stock, its national reserve and the stock it bought at auction are used up, so
    the members this rule shares among hold no own stock. It differs under ``joint_first``
    (the agreement acts before members draw their reserves), or where a member's reserve is
    sold by tender and waits for it (docs/release-rules.md, Equal cover).

    >>> equal_cover(np.array([50.0, 50.0]), np.array(60.0), np.array([10.0, 10.0]),
    ...             np.array([0.0, 200.0]))
    array([50., 10.])
    """
    gaps = np.asarray(gaps, float)
    release = np.minimum(np.asarray(available, float), ordered_sum(gaps, axis=0))
    demand = np.broadcast_to(np.asarray(baseline_demand, float), gaps.shape)
    stock = np.broadcast_to(np.asarray(own_stock, float), gaps.shape)
    return level_allocation(demand, stock, gaps, release)


def allocate_fair_ratio(x: RuleInputs) -> Array:
    """:func:`fair_ratio` on a day's inputs."""
    return fair_ratio(x.gaps_t, x.available_t, x.ratio, strict=x.strict)


def allocate_proportional_to_demand(x: RuleInputs) -> Array:
    """:func:`proportional_to_demand` on a day's inputs."""
    return proportional_to_demand(x.gaps_t, x.available_t, x.baseline_demand_t)


def allocate_equal_cover(x: RuleInputs) -> Array:
    """:func:`equal_cover` on a day's inputs."""
    return equal_cover(x.gaps_t, x.available_t, x.baseline_demand_t, x.own_stock_t)
