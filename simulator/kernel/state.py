"""The mutable state of a batch of runs between days (all quantities in tonnes)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.metrics import EPS_T
from simulator.plan import Plan

__all__ = ["EPS_T", "State", "initial_state"]


@dataclass
class State:
    """Stocks, pipelines and the agreement's activation, shape (B, ...) each."""

    commercial: np.ndarray
    """Industry stock on hand, (B, R, M)."""
    in_transit: np.ndarray
    """Commercial shipments on their way, (B, R, M)."""
    national: np.ndarray
    """National strategic reserves, (B, R, M)."""
    national_in_transit: np.ndarray
    """Reserve refills on their way, (B, R, M)."""
    balance: np.ndarray
    """Auction stock bought by a member and not yet drawn, (B, R, M)."""
    lent_cum: np.ndarray
    """Reserve lent to other members so far (national pool mode), (B, R, M)."""
    loss_age: np.ndarray
    """Consecutive days with supply lost to shocks, (B, R, M)."""
    gap: np.ndarray
    """Today's gap after commercial supply (for refill rules), (B, R, M)."""
    pool: np.ndarray
    """Unsold joint pool stock, (B, M)."""
    pool_in_transit: np.ndarray
    """Pool refills on their way, (B, M)."""
    active: np.ndarray
    """Agreement activated (triggered, not stood down), (B, M) bool."""
    since: np.ndarray
    """Day of the activating trigger, (B, M)."""
    last_trigger: np.ndarray
    """Last day the trigger held, (B, M)."""
    is_open: np.ndarray
    """Releases open (activation plus decision and delivery lags), (B, M) bool."""
    auction_regime: np.ndarray
    """Auction rule in force yesterday (open, and no embargo under ``hybrid``), (B, M) bool."""
    auction_anchor: np.ndarray
    """First day of the current auction regime (the auction calendar counts from it), (B, M)."""


def initial_state(plan: Plan) -> State:
    """Stocks of day 0 and empty pipelines (the warm-up days fill the pipelines)."""
    B = plan.batch
    R, M = len(plan.structure.regions), len(plan.structure.materials)
    zeros = np.zeros((B, R, M))
    has_pool = "pool0" in plan.arrays
    pool = plan.pool0.astype(float).copy() if has_pool else np.zeros((B, M))
    never = np.full((B, M), -(10**9), dtype=np.int64)
    return State(
        commercial=plan.commercial0.astype(float).copy(),
        in_transit=zeros.copy(),
        national=plan.national0.astype(float).copy(),
        national_in_transit=zeros.copy(),
        balance=zeros.copy(),
        lent_cum=zeros.copy(),
        loss_age=np.zeros((B, R, M), dtype=np.int64),
        gap=zeros.copy(),
        pool=pool,
        pool_in_transit=np.zeros((B, M)),
        active=np.zeros((B, M), bool),
        since=never.copy(),
        last_trigger=never.copy(),
        is_open=np.zeros((B, M), bool),
        auction_regime=np.zeros((B, M), bool),
        auction_anchor=never.copy(),
    )
