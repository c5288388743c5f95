"""Sealed-bid auctions of a lot of strategic stock.

Layer: rules. Bids are arrays on the first axis (one entry per bid segment): volume (t) and price
(USD/kg). Bids are filled from the highest price down; bids at the marginal price share
what is left of the lot pro rata to their volumes; bids below the reserve price are not
filled. Any trailing batch shape works (the kernel's layout: materials, then runs).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.numeric import KG_PER_T, Array, ordered_sum, slice_any


@dataclass(frozen=True)
class Clearing:
    """Outcome of one auction (bids on the first axis, batch shape ``...`` after them)."""

    filled_t: Array
    """Tonnes awarded to each bid."""
    clearing_price_usd_per_kg: Array
    """Price of the lowest filled bid (NaN when nothing is sold)."""
    paid_usd: Array
    """What each bid pays (USD) under the chosen pricing."""


def clear_auction(
    volume_t: Array,
    price_usd_per_kg: Array,
    lot_t: Array,
    reserve_price_usd_per_kg: Array | float = 0.0,
    pricing: str = "uniform",
) -> Clearing:
    """Clear a lot against price-volume bids.

    The clearing price ``p*`` is the price of the bid at which the cumulative volume
    of the bids sorted by price (highest first) reaches the lot, or the lowest
    eligible bid when the bids do not cover the lot. Bids above ``p*`` are filled in
    full; bids at ``p*`` share ``lot - volume above p*`` pro rata. ``uniform``
    pricing charges every winner ``p*``; ``pay_as_bid`` charges each its own price.

    Examples
    --------
    100 t against 40 t at 12, 30 t at 11, 50 t at 10 and 20 t at 9 USD/kg: filled
    40/30/30/0 t at a uniform price of 10 USD/kg (1,000 t*USD/kg = USD 1,000,000);
    pay-as-bid revenue is 40*12 + 30*11 + 30*10 = 1,110 t*USD/kg.

    >>> c = clear_auction(np.array([40.0, 30, 50, 20]), np.array([12.0, 11, 10, 9]), np.array(100.0))
    >>> c.filled_t, float(c.clearing_price_usd_per_kg), float(c.paid_usd.sum())
    (array([40., 30., 30.,  0.]), 10.0, 1000000.0)
    >>> float(clear_auction(np.array([40.0, 30, 50, 20]), np.array([12.0, 11, 10, 9]),
    ...                     np.array(100.0), pricing="pay_as_bid").paid_usd.sum())
    1110000.0
    """
    volume = np.asarray(volume_t, float)
    price = np.broadcast_to(np.asarray(price_usd_per_kg, float), volume.shape)
    lot = np.asarray(lot_t, float)
    reserve = np.asarray(reserve_price_usd_per_kg, float)
    eligible = (volume > 0) & (price >= reserve)
    volume = np.where(eligible, volume, 0.0)
    n_eligible = np.sum(eligible, axis=0)
    has_bids = (n_eligible > 0) & (lot > 0)
    if price.ndim > 1 and bool((price == price[..., :1]).all()):  # one order of bids for every run
        clearing = _marginal_in_fixed_order(price[..., 0], volume, eligible, lot)
    else:
        clearing = _marginal_by_sorting(np.where(eligible, price, -np.inf), volume, lot, n_eligible)
    clearing = np.where(has_bids, clearing, np.nan)
    above = np.where(price > clearing, volume, 0.0)
    at = np.where(price == clearing, volume, 0.0)
    volume_above = ordered_sum(above, axis=0)
    volume_at = ordered_sum(at, axis=0)
    left = np.clip(lot - volume_above, 0.0, volume_at)
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction_at = np.where(volume_at > 0, left / volume_at, 0.0)
    filled = np.where(has_bids, above + at * fraction_at, 0.0)
    unit_price = clearing if pricing == "uniform" else price
    paid = np.where(filled > 0, filled * unit_price * KG_PER_T, 0.0)
    return Clearing(filled, clearing, paid)


def _marginal_by_sorting(ranked_price: Array, volume: Array, lot: Array, n_eligible: np.ndarray) -> Array:
    """The marginal bid's price: bids sorted by price (ineligible ones ranked at -inf, last)."""
    order = np.argsort(-ranked_price, axis=0, kind="stable")
    sorted_price = np.take_along_axis(ranked_price, order, axis=0)
    sorted_volume = np.take_along_axis(volume, order, axis=0)
    cumulative = np.cumsum(sorted_volume, axis=0)
    reached = (cumulative >= lot) & np.isfinite(sorted_price)
    marginal = np.where(slice_any(reached, axis=0), np.argmax(reached, axis=0), n_eligible - 1)
    marginal = np.clip(marginal, 0, None)
    return np.take_along_axis(sorted_price, marginal[None], axis=0)[0]


def _marginal_in_fixed_order(base_price: Array, volume: Array, eligible: np.ndarray, lot: Array) -> Array:
    """:func:`_marginal_by_sorting` when every run (last axis) has the same bid prices ``base_price``.

    The bids are walked once in the order of their prices (highest first, ties by
    position), ineligible ones included with their volume of 0: adding 0 leaves the
    running volume unchanged, so at each eligible bid it equals the sorted cumulative
    volume bit for bit. The marginal bid is the first one whose running volume reaches
    the lot (an ineligible bid adds nothing, so it can be first only where the lot is
    0, where nothing is sold), else the last eligible one (-inf where none is eligible,
    as the sorted version's first entry).
    """
    n, runs = volume.shape[0], volume.shape[-1]
    prices = base_price.reshape(n, -1)  # (bid, batch cell)
    order = np.argsort(-prices, axis=0, kind="stable")
    cells = np.arange(prices.shape[1])
    lot = np.broadcast_to(lot, volume.shape[1:]).reshape(-1, runs)
    volume = volume.reshape(n, -1, runs)
    eligible = eligible.reshape(n, -1, runs)
    marginal = np.full(volume.shape[1:], -np.inf)
    reached = []
    running = volume[order[0], cells]
    for k in range(n):
        bid = order[k]
        price = prices[bid, cells][:, None]
        walked = eligible[bid, cells]
        if k:
            running = running + volume[bid, cells]
        marginal = np.where(walked, price, marginal)  # the last eligible bid so far
        reached.append(((running >= lot) & np.isfinite(price), price))
    for hit, price in reversed(reached):  # the first bid that reaches the lot wins
        marginal = np.where(hit, price, marginal)
    return marginal.reshape((*base_price.shape[1:], runs))
