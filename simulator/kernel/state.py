"""The mutable state of a batch of runs between days (tonnes; runs on the last axis).

Layer: engines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.plan import Plan

NEVER = -(10**9)
"""Day number of an event that has not happened."""


@dataclass
class State:
    """Stocks, pipelines and the agreement's activation, shape (..., run) each."""

    commercial: np.ndarray
    """Industry stock on hand, (region, material, run)."""
    in_transit: np.ndarray
    """Commercial shipments on their way, (region, material, run)."""
    national: np.ndarray
    """National strategic reserves, (region, material, run)."""
    national_in_transit: np.ndarray
    """Reserve refills on their way, (region, material, run)."""
    auction_stock: np.ndarray
    """Auction stock bought by a member and not yet drawn, (region, material, run)."""
    lent_cum: np.ndarray
    """Reserve lent to other members so far (national pool mode), (region, material, run)."""
    loss_age: np.ndarray
    """Consecutive days with supply lost to shocks, (region, material, run)."""
    gap: np.ndarray
    """Today's gap after commercial supply (for refill rules), (region, material, run)."""
    pool: np.ndarray
    """Unsold joint pool stock, (material, run)."""
    pool_in_transit: np.ndarray
    """Pool refills on their way, (material, run)."""
    active: np.ndarray
    """Agreement activated (triggered, not stood down), (material, run) bool."""
    since: np.ndarray
    """Day of the activating trigger, (material, run)."""
    last_trigger: np.ndarray
    """Last day the trigger held, (material, run)."""
    open_day: np.ndarray
    """With release times: the day releases open (normal or emergency lead time), (material, run)."""
    is_open: np.ndarray
    """Releases open (activation plus decision and delivery lags), (material, run) bool."""
    auction_regime: np.ndarray
    """Auction rule in force yesterday (open, and no sharing rule applied), (material, run) bool."""
    auction_anchor: np.ndarray
    """First day of the current auction regime (the auction calendar counts from it), (material, run)."""
    price: np.ndarray
    """World price (USD/kg), (material, run)."""
    risk: np.ndarray
    """Perceived supply risk, (material, run)."""
    substitution: np.ndarray
    """Share of demand substituted, (region, material, run)."""
    substitution_peak: np.ndarray
    """Highest substitution so far, (region, material, run)."""
    desired_cover: np.ndarray
    """Commercial cover buyers want (days), (region, material, run)."""
    cover_ratio: np.ndarray
    """Market cover ratio at the end of the day (1 = normal), (material, run)."""
    response_capacity: np.ndarray
    """Capacity brought in by a high price (t/day), (material, supplier, run)."""
    expected_demand: np.ndarray
    """Today's demand after the price response, without noise (t), (region, material, run)."""
    since_review: np.ndarray
    """Days since each region's last order-up-to review, (region, run) int."""
    tender_requested_on: np.ndarray
    """Day of the standing request to sell the national reserve by tender, (region, material, run) int."""
    tender_last_short: np.ndarray
    """Last day the region's firms were short (tender requests), (region, material, run) int."""
    loan_owed: np.ndarray
    """Borrowed under a loan settlement and not yet returned, (region, material, run)."""
    loan_receivable: np.ndarray
    """Lent under a loan settlement and not yet returned, (region, material, run)."""


def initial_state(plan: Plan) -> State:
    """Stocks of day 0 and empty pipelines (the warm-up days fill the pipelines)."""
    B = plan.batch
    R, M = len(plan.structure.regions), len(plan.structure.materials)
    zeros = np.zeros((R, M, B))
    pool = plan.agreement.pool0_t if plan.agreement is not None else np.zeros((M, B))
    never = np.full((M, B), NEVER, dtype=np.int64)
    S = len(plan.structure.suppliers)
    market = plan.market
    price = market.reference_price_usd_per_kg if market is not None else plan.price_usd_per_kg
    normal = market.normal_cover_days if market is not None else np.zeros((R, M, 1))
    return State(
        commercial=np.array(plan.commercial_stock0_t, dtype=float),
        in_transit=zeros.copy(),
        national=np.array(plan.reserve_stock0_t, dtype=float),
        national_in_transit=zeros.copy(),
        auction_stock=zeros.copy(),
        lent_cum=zeros.copy(),
        loss_age=np.zeros((R, M, B), dtype=np.int64),
        gap=zeros.copy(),
        pool=np.array(pool, dtype=float),
        pool_in_transit=np.zeros((M, B)),
        active=np.zeros((M, B), bool),
        since=never.copy(),
        last_trigger=never.copy(),
        open_day=never.copy(),
        is_open=np.zeros((M, B), bool),
        auction_regime=np.zeros((M, B), bool),
        auction_anchor=never.copy(),
        price=np.array(np.broadcast_to(price, (M, B)), dtype=float),
        risk=np.zeros((M, B)),
        substitution=zeros.copy(),
        substitution_peak=zeros.copy(),
        desired_cover=np.array(np.broadcast_to(normal, (R, M, B)), dtype=float),
        cover_ratio=np.ones((M, B)),
        response_capacity=np.zeros((M, S, B)),
        expected_demand=zeros.copy(),
        since_review=np.zeros((R, B), dtype=np.int64),
        tender_requested_on=np.full((R, M, B), NEVER, dtype=np.int64),
        tender_last_short=np.full((R, M, B), NEVER, dtype=np.int64),
        loan_owed=zeros.copy(),
        loan_receivable=zeros.copy(),
    )
