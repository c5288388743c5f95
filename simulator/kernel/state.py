"""The mutable state of a batch of runs between days (all quantities in tonnes; runs last)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.kernel.layout import RunsLastPlan
from simulator.metrics import EPS_T

__all__ = ["EPS_T", "State", "initial_state"]


@dataclass
class State:
    """Stocks, pipelines and the agreement's activation, shape (..., B) each."""

    commercial: np.ndarray
    """Industry stock on hand, (R, M, B)."""
    in_transit: np.ndarray
    """Commercial shipments on their way, (R, M, B)."""
    national: np.ndarray
    """National strategic reserves, (R, M, B)."""
    national_in_transit: np.ndarray
    """Reserve refills on their way, (R, M, B)."""
    balance: np.ndarray
    """Auction stock bought by a member and not yet drawn, (R, M, B)."""
    lent_cum: np.ndarray
    """Reserve lent to other members so far (national pool mode), (R, M, B)."""
    loss_age: np.ndarray
    """Consecutive days with supply lost to shocks, (R, M, B)."""
    gap: np.ndarray
    """Today's gap after commercial supply (for refill rules), (R, M, B)."""
    pool: np.ndarray
    """Unsold joint pool stock, (M, B)."""
    pool_in_transit: np.ndarray
    """Pool refills on their way, (M, B)."""
    active: np.ndarray
    """Agreement activated (triggered, not stood down), (M, B) bool."""
    since: np.ndarray
    """Day of the activating trigger, (M, B)."""
    last_trigger: np.ndarray
    """Last day the trigger held, (M, B)."""
    is_open: np.ndarray
    """Releases open (activation plus decision and delivery lags), (M, B) bool."""
    auction_regime: np.ndarray
    """Auction rule in force yesterday (open, and no embargo under ``hybrid``), (M, B) bool."""
    auction_anchor: np.ndarray
    """First day of the current auction regime (the auction calendar counts from it), (M, B)."""


def initial_state(plan: RunsLastPlan) -> State:
    """Stocks of day 0 and empty pipelines (the warm-up days fill the pipelines)."""
    B = plan.batch
    R, M = len(plan.structure.regions), len(plan.structure.materials)
    zeros = np.zeros((R, M, B))
    pool = plan.pool0.astype(float) if plan.has("pool0") else np.zeros((M, B))
    never = np.full((M, B), -(10**9), dtype=np.int64)
    return State(
        commercial=np.array(plan.commercial0, dtype=float),
        in_transit=zeros.copy(),
        national=np.array(plan.national0, dtype=float),
        national_in_transit=zeros.copy(),
        balance=zeros.copy(),
        lent_cum=zeros.copy(),
        loss_age=np.zeros((R, M, B), dtype=np.int64),
        gap=zeros.copy(),
        pool=np.array(np.broadcast_to(pool, (M, B))),
        pool_in_transit=np.zeros((M, B)),
        active=np.zeros((M, B), bool),
        since=never.copy(),
        last_trigger=never.copy(),
        is_open=np.zeros((M, B), bool),
        auction_regime=np.zeros((M, B), bool),
        auction_anchor=never.copy(),
    )
