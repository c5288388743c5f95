"""Procurement policies as pure functions: order-up-to and re-sourcing.

Layer: model. Quotas are in :mod:`simulator.scenario.portfolio`. Arrays follow the
model's axis order (regions, materials, suppliers, then any batch shape).
"""

from __future__ import annotations

import numpy as np

from simulator.numeric import Array, ordered_sum


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

    ``requests_t`` has regions on the first axis (then materials, suppliers and any
    batch shape); ``spare_t`` has the same shape without the regions. When a
    supplier's requests exceed its spare capacity each request is scaled by
    ``spare / sum(requests)``.

    >>> share_spare_capacity(np.array([[15.0], [5.0]]), np.array([10.0]))
    array([[7.5],
           [2.5]])
    """
    requests = np.asarray(requests_t, float)
    total = ordered_sum(requests, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(total > spare_t, spare_t / total, 1.0)
    return requests * scale[None]
