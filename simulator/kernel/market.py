"""The daily market: arrivals, demand, supply, releases and shortfall (DESIGN §3).

For every day ``t``, region ``r`` and material ``m``:

1. arrivals enter commercial stock (refills enter reserves and the pool);
2. demand ``d = baseline x surge x noise`` (noise: see :func:`simulator.randomness.lognormal_parameters`);
3. ``supplied = min(d, commercial)``; ``gap = d - supplied``;
4. releases: the region's own national reserve, then the agreement's shared stock
   (``agreement.order: joint_first`` swaps the two);
5. ``shortfall = gap - released`` (lost, not carried forward; below 1e-9 t it is
   rounding residue and counts as 0);
6. days of cover = (commercial + national reserve + bought auction stock +
   ownership share x joint pool) / baseline demand, at the end of the day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.kernel.agreement import AgreementDay, AgreementStep
from simulator.kernel.layout import RunsLastPlan
from simulator.kernel.shocks import Effects
from simulator.kernel.state import EPS_T, State
from simulator.metrics import days_of_cover
from simulator.randomness import lognormal_parameters
from simulator.release.level import ordered_sum


@dataclass(frozen=True)
class MarketDay:
    """One day's flows and end-of-day stocks per region and material, (R, M, B)."""

    baseline_demand_t: np.ndarray
    demand_t: np.ndarray
    arrivals_t: np.ndarray
    arrivals_by_supplier_t: np.ndarray
    """(R, M, S, B)."""
    refill_arrivals_t: np.ndarray
    supplied_t: np.ndarray
    released_national_t: np.ndarray
    released_joint_t: np.ndarray
    released_auction_t: np.ndarray
    released_rule_t: np.ndarray
    lent_t: np.ndarray
    shortfall_t: np.ndarray
    commercial_stock_t: np.ndarray
    reserve_stock_t: np.ndarray
    auction_stock_t: np.ndarray
    pool_share_t: np.ndarray
    in_transit_t: np.ndarray
    reserve_in_transit_t: np.ndarray
    days_of_cover: np.ndarray
    auction_spend_usd: np.ndarray
    holding_usd: np.ndarray
    pool_t: np.ndarray
    """Unsold joint pool stock at the end of the day, (M, B)."""
    pool_arrivals_t: np.ndarray
    """Pool refills arrived, (M, B)."""
    agreement: AgreementDay | None


class Market:
    """Runs the market of one day for a batch (see the module docstring)."""

    def __init__(self, plan: RunsLastPlan, demand_z: np.ndarray | None) -> None:
        """``demand_z``: standard normals of demand noise (H, R, M, B), or None without noise."""
        self.plan = plan
        self.demand_z = demand_z
        self.noise_mu, self.noise_sigma = lognormal_parameters(plan.noise_cv)
        self.first_day = plan.structure.first_day
        self.members = list(plan.structure.members)
        self.agreement = AgreementStep(plan) if plan.structure.members else None
        self.joint_first = plan.structure.order == "joint_first"
        self.surges = "demand_surge" in plan.structure.shock_kinds
        B = plan.batch
        R, M = len(plan.structure.regions), len(plan.structure.materials)
        self.zero = np.zeros((R, M, B))
        self.zero.flags.writeable = False
        self.zero_pool = np.zeros((M, B))
        self.zero_pool.flags.writeable = False
        self.ownership = None
        if self.agreement is not None and plan.has("ownership"):
            self.ownership = np.zeros((R, M, B))
            self.ownership[self.members] = plan.ownership
        self.holding_per_day = plan.holding_cost[None] / 365.0
        # no national reserve ever (none at the start, none refilled): own draws are all zero
        self.any_national = bool(plan.national0.any() or plan.refill_rate.any())
        self.any_holding = bool(self.holding_per_day.any())

    def __call__(
        self,
        day: int,
        state: State,
        effects: Effects,
        arrivals: np.ndarray,
        refill_arrivals: np.ndarray | None,
        pool_arrivals: np.ndarray | None,
    ) -> MarketDay:
        """Day ``day``'s market; arrivals are (R, M, S, B), pool arrivals (M, S, B).

        ``None`` refill or pool arrivals mean nothing of that kind is ever shipped.
        """
        p = self.plan
        arrived = ordered_sum(arrivals, axis=-2)
        state.commercial = state.commercial + arrived
        state.in_transit = state.in_transit - arrived
        refilled = self.zero
        if refill_arrivals is not None:
            refilled = ordered_sum(refill_arrivals, axis=-2)
            state.national = state.national + refilled
            state.national_in_transit = state.national_in_transit - refilled
        pool_arrived = self.zero_pool
        if pool_arrivals is not None:
            pool_arrived = ordered_sum(pool_arrivals, axis=-2)
            state.pool = state.pool + pool_arrived
            state.pool_in_transit = state.pool_in_transit - pool_arrived
        baseline = p.baseline[day - self.first_day]
        demand = baseline * effects.demand_multiplier if self.surges else baseline
        if self.demand_z is not None:
            demand = demand * np.exp(self.noise_mu + self.noise_sigma * self.demand_z[day])
        supplied = np.minimum(demand, state.commercial)
        state.commercial = state.commercial - supplied
        gap = demand - supplied
        state.gap = gap
        national = self.zero
        if not self.joint_first:
            national, gap = self._draw_national(state, gap)
        joint = auction = rule = lent = spend = self.zero
        agreed = None
        if self.agreement is not None:
            agreed = self.agreement(
                day, state, gap, supplied + national, baseline, baseline - arrived, effects.embargo_on_member
            )
            if not agreed.is_quiet:
                auction = self._to_regions(agreed.from_balance_t)
                rule = self._to_regions(agreed.from_rule_t)
                lent = self._to_regions(agreed.lent_t)
                spend = self._to_regions(agreed.spend_usd)
                joint = auction + rule
                gap = gap - joint
        if self.joint_first:
            national, gap = self._draw_national(state, gap)
        shortfall = np.where(gap > EPS_T, gap, 0.0)  # rounding residue is not a shortfall
        pool_share = self.zero if self.ownership is None else self.ownership * state.pool[None]
        strategic = state.national + state.balance + pool_share
        cover = days_of_cover(state.commercial + strategic, baseline)
        return MarketDay(
            baseline_demand_t=baseline,
            demand_t=demand,
            arrivals_t=arrived,
            arrivals_by_supplier_t=arrivals,
            refill_arrivals_t=refilled,
            supplied_t=supplied,
            released_national_t=national,
            released_joint_t=joint,
            released_auction_t=auction,
            released_rule_t=rule,
            lent_t=lent,
            shortfall_t=shortfall,
            commercial_stock_t=state.commercial,
            reserve_stock_t=state.national,
            auction_stock_t=state.balance,
            pool_share_t=pool_share,
            in_transit_t=state.in_transit,
            reserve_in_transit_t=state.national_in_transit,
            days_of_cover=cover,
            auction_spend_usd=spend,
            holding_usd=strategic * self.holding_per_day if self.any_holding else self.zero,
            pool_t=state.pool,
            pool_arrivals_t=pool_arrived,
            agreement=agreed,
        )

    def _draw_national(self, state: State, gap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not self.any_national:
            return self.zero, gap
        drawn = np.minimum(gap, state.national)
        state.national = state.national - drawn
        return drawn, gap - drawn

    def _to_regions(self, per_member: np.ndarray) -> np.ndarray:
        """(N, M, B) member array as (R, M, B) with zeros for non-members."""
        out = np.zeros_like(self.zero)
        out[self.members] = per_member
        return out
