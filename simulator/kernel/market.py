"""The daily market: arrivals, demand, supply, releases and shortfall (DESIGN §3).

Layer: engines. For every day ``t``, region ``r`` and material ``m``:

1. arrivals enter commercial stock (refills enter reserves and the pool);
2. demand ``d = baseline x surge x noise`` (noise: see :func:`simulator.randomness.lognormal_parameters`);
   with a market, today's price is set first and ``d`` is the realised demand:
   the potential demand times the demand factor (:mod:`simulator.kernel.pricing`);
3. ``supplied = min(d, commercial)``; ``gap = d - supplied``;
4. releases: the region's own national reserve (under a tender policy only from
   ``lag_days`` after the government's request, sold at the price rule:
   :mod:`simulator.release.tender`), then the agreement's shared stock
   (``agreement.order: joint_first`` swaps the two). Under a rule that shares supplies
   (``iea_ess``) the agreement acts first: on the days it acts it decides each member's
   draw on its own reserve (or pool share), the supplies members pass to each other
   (``transferred_t``, counted in ``supplied``) and the demand restraint; on other days
   members draw their own reserves for what remains;
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
from simulator.mechanisms import BY_NAME
from simulator.metrics import days_of_cover
from simulator.numeric import EPS_T, KG_PER_T, ordered_sum
from simulator.plan import Plan
from simulator.randomness import DemandNoise, lognormal_parameters
from simulator.records import MarketDay
from simulator.release.tender import tender_requests, tender_sales_usd

REPORTED = (
    "transfer_value_usd",
    "reserve_sale_usd",
    "pool_share_t",
    "holding_cost_usd",
    "demand_destroyed_t",
    "crisis_extra_cost_usd",
    "lost_surplus_usd",
    "auction_revenue_usd",
    "days_of_cover_own",
    "days_of_net_imports",
    "days_of_cover_runway",
)
"""Fields of :class:`MarketDay` that nothing in the day step reads: worked out only when reported."""


class Market:
    """Runs the market of one day for a batch (see the module docstring)."""

    def __init__(self, plan: Plan, demand_z: DemandNoise | None) -> None:
        """``demand_z``: standard normals of demand noise (``demand_z[day]``: region, material, run), or None."""
        self.plan = plan
        self.demand_z = demand_z
        self.noise_mu, self.noise_sigma = lognormal_parameters(plan.noise_cv)
        self.first_day = plan.structure.first_day
        self.members = list(plan.structure.members)
        self.all_members = self.members == list(range(len(plan.structure.regions)))
        self.agreement = AgreementStep(plan) if plan.agreement is not None else None
        self.joint_first = plan.structure.order == "joint_first"
        mechanism = plan.structure.mechanism
        self.shares_supply = mechanism is not None and BY_NAME[mechanism].shares_supply
        # routes a member buys on at some time: its sourcing after quotas, and each dated portfolio
        portfolios = np.concatenate([plan.sourcing_share[None], plan.stepped_sourcing_share])
        self.sourced = (portfolios[:, self.members] > 0).any(axis=0)  # (member, material, supplier, run)
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
        self.tender = bool(plan.tender_on.any())
        self.pricing = Pricing(plan)
        self.markets = plan.market is not None
        self.demand_response = self.markets and self.pricing.demand_response
        self.baseline_positive = bool((plan.baseline_demand_t_per_day > 0).all())  # every day, region, material
        self.report = dict.fromkeys(REPORTED, True)

    def report_only(self, fields: frozenset[str]) -> None:
        """Work out of the output-only fields (:data:`REPORTED`) just ``fields``; the others are None."""
        self.report = {name: name in fields for name in REPORTED}

    def _cover(self, stock_t: np.ndarray, baseline_t_per_day: np.ndarray) -> np.ndarray:
        """:func:`days_of_cover` against today's baseline: a plain division when no baseline is ever 0."""
        return stock_t / baseline_t_per_day if self.baseline_positive else days_of_cover(stock_t, baseline_t_per_day)

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
        surge = effects.demand_multiplier
        expected = baseline if surge is None else baseline * surge
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
        blocked = None  # where a region may not draw its own reserve today, (region, material, run)
        if self.tender:
            state.tender_requested_on, state.tender_last_short, on_sale = tender_requests(
                day,
                gap > EPS_T,
                state.tender_requested_on,
                state.tender_last_short,
                p.tender_lag_days,
                p.tender_standdown_days,
            )
            blocked = p.tender_on & ~on_sale
        national = self.zero
        if not (self.joint_first or self.shares_supply):
            national, gap = self._draw_national(state, gap, blocked)
        joint = auction = rule = lent = spend = transferred = self.zero
        report = self.report
        revenue = self.zero if report["auction_revenue_usd"] else None
        agreed = None
        if self.agreement is not None:
            forecast = (expected if self.markets else baseline) - arrived  # the auction's net drawdown
            cut = None
            if self.agreement.timed:  # a supply shock is cutting a member's shipments of the material today
                # an embargo cuts by its route multiplier too, so one by a supplier no member
                # buys from is no emergency, like a quota cut there (docs/release-rules.md)
                routes = (effects.route_multiplier[self.members] < 1.0) & self.sourced
                cut = np.any(routes, axis=(0, 2))
            agreed = self.agreement(
                day,
                state,
                gap,
                supplied + national,
                baseline,
                forecast,
                effects.embargo_on_member,
                prices,
                arrived,
                cut,
            )
            if not agreed.is_quiet:
                auction = self._to_regions(agreed.released_auction_t)
                rule = self._to_regions(agreed.released_rule_t)
                lent = self._to_regions(agreed.lent_t)
                spend = self._to_regions(agreed.spend_usd)
                if self.ownership is not None and revenue is not None:
                    revenue = self.ownership * ordered_sum(spend, axis=0)[None]
                joint = auction + rule
                gap = gap - joint
                if self.shares_supply:
                    transferred = self._to_regions(agreed.transferred_t)
                    supplied = supplied + transferred
                    gap = gap - transferred
                    governed = np.zeros(self.zero.shape, bool)
                    governed[self.members] = agreed.governed[None]
                    blocked = governed if blocked is None else blocked | governed
        if self.joint_first or self.shares_supply:
            national, gap = self._draw_national(state, gap, blocked)
        shortfall = np.where(gap > EPS_T, gap, 0.0)  # rounding residue is not a shortfall
        drawable_shared = self.zero
        if agreed is not None and agreed.drawable_t is not self.no_drawable:
            # a member short today has drawn all the rule would give it
            drawable_shared = np.where(shortfall > 0, 0.0, self._to_regions(agreed.drawable_t))
        own = state.commercial + state.national
        # a member short today could draw nothing more: stock it still holds (a national
        # reserve awaiting a tender, or held back by the rule's obligations) is not drawable
        drawable = np.where(shortfall > 0, 0.0, own + state.auction_stock + drawable_shared)
        cover = self._cover(drawable, baseline)
        paid = received = repaid = due = self.zero
        if self.settlement is not None:
            settled = self.settlement(day, state, rule, lent, prices.paid_usd_per_kg, pool_arrived, refilled, self.zero)
            paid, received, repaid, due = settled.paid_usd, settled.received_usd, settled.repaid_t, settled.due_t
        extra = destroyed = None
        if report["crisis_extra_cost_usd"] or report["lost_surplus_usd"]:
            extra, destroyed = self.pricing.costs(prices, potential, demand) if self.markets else (self.zero, self.zero)
        if self.markets:
            self.pricing.end_of_day(state, effects, prices)
        pool_share = holding = None
        if report["pool_share_t"] or report["holding_cost_usd"]:
            pool_share = self.zero if self.ownership is None else self.ownership * state.pool[None]
        if report["holding_cost_usd"]:
            strategic = state.national + state.auction_stock + pool_share
            holding = strategic * self.holding_per_day if self.any_holding else self.zero
        world_shown, paid_shown = self.pricing.shown(prices)
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
            transferred_t=transferred,
            transfer_value_usd=(
                None
                if not report["transfer_value_usd"]
                else transferred * prices.world_usd_per_kg[None] * KG_PER_T
                if self.shares_supply
                else self.zero
            ),
            reserve_sale_usd=(
                None
                if not report["reserve_sale_usd"]
                else tender_sales_usd(
                    np.where(p.tender_on, national, 0.0), prices.paid_usd_per_kg, p.tender_price_share
                )
                if self.tender
                else self.zero
            ),
            auction_stock_t=state.auction_stock,
            pool_share_t=pool_share,
            refill_arrivals_t=refilled,
            auction_spend_usd=spend,
            holding_cost_usd=holding,
            price_usd_per_kg=paid_shown,
            demand_destroyed_t=(
                None if not report["demand_destroyed_t"] else potential - demand if self.demand_response else self.zero
            ),
            substitution_share=state.substitution,
            desired_cover_days=state.desired_cover,
            crisis_extra_cost_usd=extra,
            lost_surplus_usd=destroyed,
            auction_revenue_usd=revenue,
            arrivals_by_supplier_t=arrivals,
            pool_stock_t=state.pool,
            pool_arrivals_t=pool_arrived,
            world_price_usd_per_kg=world_shown,
            perceived_risk=state.risk,
            days_of_cover_own=self._cover(own, baseline) if report["days_of_cover_own"] else None,
            drawable_shared_t=drawable_shared,
            days_of_net_imports=(
                None
                if not report["days_of_net_imports"]
                else cover
                if self.all_imported
                else days_of_cover(drawable, baseline * p.net_import_share)
            ),
            days_of_cover_runway=(
                self._cover(drawable + state.in_transit + state.national_in_transit, baseline)
                if report["days_of_cover_runway"]
                else None
            ),
            settlement_paid_usd=paid,
            settlement_received_usd=received,
            loan_repaid_t=repaid,
            loan_due_t=due,
            loan_owed_t=state.loan_owed,
            loan_receivable_t=state.loan_receivable,
            agreement=agreed,
        )

    def _draw_national(
        self, state: State, gap: np.ndarray, blocked: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each region draws its own reserve for its gap, except where ``blocked`` (region, material, run)."""
        if not self.any_national:
            return self.zero, gap
        drawn = np.minimum(gap, state.national)
        if blocked is not None:
            drawn = np.where(blocked, 0.0, drawn)
        state.national = state.national - drawn
        return drawn, gap - drawn

    def _to_regions(self, per_member: np.ndarray) -> np.ndarray:
        """(member, material, run) array as (region, material, run) with zeros for non-members.

        Where every region is a member that is ``per_member`` itself (the kernel never
        changes a day's arrays once made).
        """
        if self.all_members:
            return per_member
        out = np.zeros_like(self.zero)
        out[self.members] = per_member
        return out
