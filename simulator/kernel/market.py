"""The daily market: arrivals, demand, supply, releases and shortfall (DESIGN §3).

Layer: engines. For every day ``t``, region ``r`` and material ``m``:

1. arrivals enter commercial stock (refills enter reserves and the pool);
2. demand ``d = baseline x surge x noise`` (noise: see :func:`simulator.randomness.lognormal_parameters`);
   with a market, today's price is set first and ``d`` is the realised demand:
   the potential demand times the demand factor (:mod:`simulator.kernel.pricing`);
3. ``supplied = min(d, commercial)``; ``gap = d - supplied``;
4. releases: the region's own national reserve, then the agreement's shared stock
   (``agreement.order: joint_first`` swaps the two);
5. ``shortfall = gap - released`` (lost, not carried forward; below 1e-9 t it is
   rounding residue and counts as 0);
6. days of cover at the end of the day, in days of baseline demand: ``own``
   (commercial + national reserve); ``days_of_cover``, the drawable cover (own +
   bought auction stock + the shared stock the rule would let the member draw now,
   none on a day it is short); ``runway`` (drawable + goods in transit to it);
7. settlement of the day's rule draws (:mod:`simulator.kernel.settlement`).
"""

from __future__ import annotations

import numpy as np

from simulator.kernel.agreement import AgreementStep
from simulator.kernel.pricing import Pricing
from simulator.kernel.settlement import Settlement
from simulator.kernel.shocks import Effects
from simulator.kernel.state import State
from simulator.metrics import days_of_cover
from simulator.numeric import EPS_T, ordered_sum
from simulator.plan import Plan
from simulator.randomness import lognormal_parameters
from simulator.records import MarketDay


class Market:
    """Runs the market of one day for a batch (see the module docstring)."""

    def __init__(self, plan: Plan, demand_z: np.ndarray | None) -> None:
        """``demand_z``: standard normals of demand noise (day, region, material, run), or None without noise."""
        self.plan = plan
        self.demand_z = demand_z
        self.noise_mu, self.noise_sigma = lognormal_parameters(plan.noise_cv)
        self.first_day = plan.structure.first_day
        self.members = list(plan.structure.members)
        self.agreement = AgreementStep(plan) if plan.agreement is not None else None
        self.joint_first = plan.structure.order == "joint_first"
        self.surges = "demand_surge" in plan.structure.shock_kinds
        B = plan.batch
        R, M = len(plan.structure.regions), len(plan.structure.materials)
        self.zero = np.zeros((R, M, B))
        self.zero.flags.writeable = False
        self.zero_pool = np.zeros((M, B))
        self.zero_pool.flags.writeable = False
        self.ownership = None
        if plan.agreement is not None:
            self.ownership = np.zeros((R, M, B))
            self.ownership[self.members] = plan.agreement.ownership_share
        self.settlement = None
        if plan.agreement is not None and plan.structure.settlement != "grant":
            assert self.ownership is not None
            self.settlement = Settlement(plan, self.ownership)
        self.all_imported = bool((plan.net_import_share == 1.0).all())  # then cover in net imports = cover
        self.no_drawable = self.agreement.no_drawable if self.agreement is not None else None
        self.holding_per_day = plan.holding_cost_usd_per_t_day[None]
        # no national reserve ever (none at the start, none refilled): own draws are all zero
        self.any_national = bool(plan.reserve_stock0_t.any() or plan.reserve_refill_t_per_day.any())
        self.any_holding = bool(self.holding_per_day.any())
        self.pricing = Pricing(plan)
        self.markets = plan.market is not None
        self.demand_response = self.markets and self.pricing.demand_response

    def __call__(
        self,
        day: int,
        state: State,
        effects: Effects,
        arrivals: np.ndarray,
        refill_arrivals: np.ndarray | None,
        pool_arrivals: np.ndarray | None,
    ) -> MarketDay:
        """Day ``day``'s market.

        Arrivals are (region, material, supplier, run), pool arrivals (material, supplier, run).

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
        baseline = p.baseline_demand_t_per_day[day - self.first_day]
        prices = self.pricing.today(state, effects)
        expected = baseline * effects.demand_multiplier if self.surges else baseline
        demand = expected
        if self.demand_z is not None:
            demand = demand * np.exp(self.noise_mu + self.noise_sigma * self.demand_z[day])
        potential = demand
        if self.demand_response:
            demand = potential * prices.demand_factor
            expected = expected * prices.demand_factor
        state.expected_demand = expected
        supplied = np.minimum(demand, state.commercial)
        state.commercial = state.commercial - supplied
        gap = demand - supplied
        state.gap = gap
        national = self.zero
        if not self.joint_first:
            national, gap = self._draw_national(state, gap)
        joint = auction = rule = lent = spend = revenue = self.zero
        agreed = None
        if self.agreement is not None:
            forecast = (expected if self.markets else baseline) - arrived  # the auction's net drawdown
            agreed = self.agreement(
                day, state, gap, supplied + national, baseline, forecast, effects.embargo_on_member, prices, arrived
            )
            if not agreed.is_quiet:
                auction = self._to_regions(agreed.released_auction_t)
                rule = self._to_regions(agreed.released_rule_t)
                lent = self._to_regions(agreed.lent_t)
                spend = self._to_regions(agreed.spend_usd)
                if self.ownership is not None:
                    revenue = self.ownership * ordered_sum(spend, axis=0)[None]
                joint = auction + rule
                gap = gap - joint
        if self.joint_first:
            national, gap = self._draw_national(state, gap)
        shortfall = np.where(gap > EPS_T, gap, 0.0)  # rounding residue is not a shortfall
        pool_share = self.zero if self.ownership is None else self.ownership * state.pool[None]
        strategic = state.national + state.auction_stock + pool_share
        drawable_shared = self.zero
        if agreed is not None and agreed.drawable_t is not self.no_drawable:
            # a member short today has drawn all the rule would give it
            drawable_shared = np.where(shortfall > 0, 0.0, self._to_regions(agreed.drawable_t))
        own = state.commercial + state.national
        drawable = own + state.auction_stock + drawable_shared
        cover = days_of_cover(drawable, baseline)
        paid = received = repaid = due = self.zero
        if self.settlement is not None:
            settled = self.settlement(day, state, rule, lent, prices.paid_usd_per_kg, pool_arrived, refilled, self.zero)
            paid, received, repaid, due = settled.paid_usd, settled.received_usd, settled.repaid_t, settled.due_t
        extra = destroyed = self.zero
        if self.markets:
            extra, destroyed = self.pricing.costs(prices, potential, demand)
            self.pricing.end_of_day(state, effects, prices)
        return MarketDay(
            baseline_demand_t=baseline,
            demand_t=demand,
            arrivals_t=arrived,
            supplied_t=supplied,
            released_t=national + joint,
            shortfall_t=shortfall,
            commercial_stock_t=state.commercial,
            reserve_stock_t=state.national,
            days_of_cover=cover,
            released_national_t=national,
            released_joint_t=joint,
            released_auction_t=auction,
            released_rule_t=rule,
            lent_t=lent,
            auction_stock_t=state.auction_stock,
            pool_share_t=pool_share,
            refill_arrivals_t=refilled,
            auction_spend_usd=spend,
            holding_cost_usd=strategic * self.holding_per_day if self.any_holding else self.zero,
            price_usd_per_kg=prices.paid_usd_per_kg,
            demand_destroyed_t=potential - demand if self.demand_response else self.zero,
            substitution_share=state.substitution,
            desired_cover_days=state.desired_cover,
            crisis_extra_cost_usd=extra,
            lost_surplus_usd=destroyed,
            auction_revenue_usd=revenue,
            arrivals_by_supplier_t=arrivals,
            pool_stock_t=state.pool,
            pool_arrivals_t=pool_arrived,
            world_price_usd_per_kg=prices.world_usd_per_kg,
            perceived_risk=state.risk,
            days_of_cover_own=days_of_cover(own, baseline),
            drawable_shared_t=drawable_shared,
            days_of_net_imports=cover if self.all_imported else days_of_cover(drawable, baseline * p.net_import_share),
            days_of_cover_runway=days_of_cover(drawable + state.in_transit + state.national_in_transit, baseline),
            settlement_paid_usd=paid,
            settlement_received_usd=received,
            loan_repaid_t=repaid,
            loan_due_t=due,
            loan_owed_t=state.loan_owed,
            loan_receivable_t=state.loan_receivable,
            agreement=agreed,
        )

    def _draw_national(self, state: State, gap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not self.any_national:
            return self.zero, gap
        drawn = np.minimum(gap, state.national)
        state.national = state.national - drawn
        return drawn, gap - drawn

    def _to_regions(self, per_member: np.ndarray) -> np.ndarray:
        """(member, material, run) array as (region, material, run) with zeros for non-members."""
        out = np.zeros_like(self.zero)
        out[self.members] = per_member
        return out
