"""Procurement policies as pure functions: quotas, order-up-to, re-sourcing, refill.

Suppliers are on the last axis unless stated; any leading batch shape works.
"""

from __future__ import annotations

import numpy as np

from simulator.release.level import Array, level_allocation, ordered_sum


class QuotaInfeasible(ValueError):
    """The other suppliers lack the capacity to take what a quota moves."""


def apply_quota(
    shares: Array,
    max_share: float,
    partner_minimum: Array,
    headroom_share: Array,
) -> Array:
    """Sourcing shares after a procurement quota.

    1. Partner minimums: each partner's share is raised to its minimum; the volume
       comes from the non-partner suppliers in proportion to their shares.
    2. Cap: any share above ``max_share`` is cut to it, and the excess goes to the
       other suppliers in proportion to their room, where a supplier's room is
       ``min(max_share, headroom_share) - share`` (``headroom_share``: its spare
       capacity as a share of this region's demand; ``inf`` when not limited).

    Parameters
    ----------
    shares
        Normal sourcing shares (sum to 1), one per supplier.
    max_share
        Cap on any single supplier's share.
    partner_minimum
        Minimum share per supplier (0 for non-partners).
    headroom_share
        Capacity limit per supplier as a share of the region's demand.

    Examples
    --------
    A 0.65 cap on a 0.85 share moves exactly 0.20 to the others by their room
    (0.65 - 0.10 and 0.65 - 0.05 here, so 0.55 : 0.60):

    >>> apply_quota(np.array([0.85, 0.10, 0.05]), 0.65, np.zeros(3), np.full(3, np.inf)).round(6)
    array([0.65    , 0.195652, 0.154348])
    """
    shares = np.asarray(shares, float).copy()
    minimum = np.asarray(partner_minimum, float)
    partners = minimum > 0
    need = np.maximum(0.0, minimum - shares) * partners
    over = partners & (minimum > np.asarray(headroom_share, float) + 1e-12)
    if over.any():
        raise QuotaInfeasible("a partner minimum exceeds the partner's capacity or it has no route here")
    if need.sum() > 0:
        donors = np.where(partners, 0.0, shares)
        if donors.sum() < need.sum() - 1e-12:
            raise QuotaInfeasible("partner minimums exceed what other suppliers supply")
        shares = shares + need - donors * (need.sum() / donors.sum())
    excess_by_supplier = np.maximum(0.0, shares - max_share)
    excess = excess_by_supplier.sum()
    if excess > 0:
        shares = shares - excess_by_supplier
        limit = np.minimum(max_share, np.asarray(headroom_share, float))
        room = np.maximum(0.0, limit - shares)
        if room.sum() < excess - 1e-12:
            raise QuotaInfeasible(f"other suppliers can take {room.sum():.3g} of the {excess:.3g} share the cap moves")
        finite_room = np.where(np.isfinite(room), room, 1.0)
        shares = shares + level_allocation(finite_room, np.zeros_like(room), room, np.array(excess))
    return shares


def order_up_to_quantity(target_t: Array, on_hand_t: Array, in_transit_t: Array) -> Array:
    """Periodic-review base-stock order: ``max(0, S - (on hand + in transit))`` (t).

    >>> float(order_up_to_quantity(np.array(300.0), np.array(120.0), np.array(100.0)))
    80.0
    """
    return np.maximum(0.0, target_t - (on_hand_t + in_transit_t))


def order_up_to_target(baseline_t_per_day: Array, lead_days: Array, review_days: Array, safety_days: Array) -> Array:
    """Base-stock level ``S = d * (L + R + safety)`` (t) for demand ``d`` (t/day).

    ``L`` is the share-weighted lead time (days) and ``R`` the review period (days):
    the stock must cover demand until the order after next can arrive.

    >>> float(order_up_to_target(np.array(10.0), np.array(5.0), np.array(7.0), np.array(3.0)))
    150.0
    """
    return baseline_t_per_day * (lead_days + review_days + safety_days)


def share_spare_capacity(requests_t: Array, spare_t: Array) -> Array:
    """Split scarce spare capacity among requesting regions pro rata to their requests.

    ``requests_t`` has regions on the second-to-last axis and suppliers on the last;
    ``spare_t`` has suppliers on the last axis. When a supplier's requests exceed its
    spare capacity each request is scaled by ``spare / sum(requests)``.

    >>> share_spare_capacity(np.array([[15.0], [5.0]]), np.array([10.0]))
    array([[7.5],
           [2.5]])
    """
    requests = np.asarray(requests_t, float)
    total = ordered_sum(requests, axis=-2)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(total > spare_t, spare_t / total, 1.0)
    return requests * scale[..., None, :]
