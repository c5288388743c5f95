"""The end-of-day procurement step: what leaves suppliers today, and when it arrives.

Layer: engines. Order of work within the step (all after today's market):

1. **Normal orders**: ``flow`` regions order today's baseline demand; ``order_up_to``
   regions order ``max(0, S - (on hand + in transit))`` on review days and nothing
   otherwise, with ``S = d * (L + R + safety)`` (``L`` the share-weighted lead time).
   Before day 0 (warm-up, which reaches back to the start of a shock in force before
   day 0: :func:`simulator.plan.shock_reach`) every region orders its flow, and the day's
   steps run as on any day (a shock in force before day 0 acts on them from its start: a
   licence takes applications, an embargo holds cargo, a quota counts its use, a loss of
   supply counts towards re-sourcing); of what leaves, only what arrives on day 0 or
   later is sent, so the pipeline, and a licence's queue, are full on day 0.
2. **Split** across suppliers by the effective sourcing shares (after quotas); where a
   quota has a ``max_share_path``, each run's shares switch to the step's portfolio on
   the step's day (and the share-weighted lead time, the premiums and the pool's
   shares with them), so shipments leaving from that day on follow the new shares.
3. **Shocks and capacity**: export quotas license part of the planned routes (the rest
   is turned away: see :mod:`simulator.kernel.border`); a route ships ``multiplier x
   licensed``; a supplier whose shipments of a material exceed its stated capacity scales
   them down to it, pro rata to the regions' orders; the rest is lost (cancelled). The
   border then holds, leaks and licenses what is left, and lets out held cargo.
4. **Re-sourcing**: a region that has lost supply for at least ``reaction_days``
   asks suppliers whose route to it is not shocked and that have a stated capacity
   for the lost volume, split by their spare capacity; only suppliers with a lead
   time to the region qualify; scarce spare capacity is shared pro rata to the requests.
5. **Refill** of national reserves (and the joint pool) toward their targets at a
   capped rate, from suppliers not under a shock, only when the holder (for the pool:
   every member) has no gap today.

Purchases are costed when they leave: quota premiums, re-sourced volume and refills at
today's world price with a market (set in the day's market step), else at the material's
fixed ``price_usd_per_kg``.

With a market whose buyers keep moving stock targets (``stocking``), their orders of
that material follow an order-up-to target that moves: ``S = d_e x (L + cover)``, with
``d_e`` today's expected demand after the price response and ``cover`` their desired
cover (``flow`` buyers review daily; ``order_up_to`` buyers keep their review period and
safety stock, raised by the desired cover above normal). After the orders, the market
cover ratio (inventory positions over these targets, summed over regions) is what sets
tomorrow's price. Capacity grows with dated additions and with capacity a high price
brings in.
"""

from __future__ import annotations

import numpy as np

from simulator.kernel.border import Border
from simulator.kernel.shocks import Effects
from simulator.kernel.state import State
from simulator.numeric import EPS_T, KG_PER_T, anywhere, ordered_sum, scale_down_to, slice_max
from simulator.plan import Plan
from simulator.procurement import order_up_to_quantity, order_up_to_target, share_spare_capacity
from simulator.records import ProcurementDay


class Procurement:
    """Computes each day's :class:`ProcurementDay` for a batch (see the module docstring)."""

    def __init__(self, plan: Plan, border: Border) -> None:
        self.plan = plan
        self.border = border
        self.first_day = plan.structure.first_day
        self.shares = plan.sourcing_share  # (R, M, S, B)
        self.weighted_lead = ordered_sum(self.shares * plan.lead_time_days[:, None], axis=-2)
        # dated portfolios (max_share_path): per run, 0 before the first step, k from the k-th step's day on
        self.step_day = plan.share_step_day  # (K, B)
        self.stepped = plan.structure.share_steps > 0
        self.step = np.zeros(plan.batch, dtype=np.int64)
        self.portfolios = np.concatenate([plan.sourcing_share[None], plan.stepped_sourcing_share])  # (K+1, R, M, S, B)
        self.premiums = np.concatenate([plan.premium_fraction[None], plan.stepped_premium_fraction])
        self.base_capacity = plan.capacity_t_per_day[None]  # (1, M, S, B)
        self.capacity = self.base_capacity
        self.has_capacity = np.isfinite(self.capacity)
        self.added = plan.capacity_added_t_per_day
        market = plan.market
        responding = market is not None and bool((market.response_capacity_t_per_day > 0).any())
        self.dynamic_capacity = bool(self.added.any()) or responding
        self.routes = plan.route_exists[:, None]  # (R, 1, S, B): a lead time exists
        # flows alone never exceed capacity when every region orders its baseline (flow policy)
        # and the largest daily baseline fits: then capacity can only bind through orders
        peak_baseline = plan.baseline_demand_t_per_day.max(axis=0)
        peak_share = self.portfolios.max(axis=0)
        peak_flow = ordered_sum(peak_share * peak_baseline[:, :, None], axis=0)[None]
        within = (peak_flow <= self.capacity) | ~np.isfinite(self.capacity)
        self.any_capacity = bool(self.has_capacity.any()) and (
            bool(plan.order_up_to.any()) or not bool(within.all()) or self.dynamic_capacity or market is not None
        )
        self.market = market
        self.stocking = market is not None and bool(market.stocking_on.any())
        self.stocking_everywhere = market is not None and bool(market.stocking_on.all())
        """Every market of every run stocks: the day's order is the stocking quantity as it is."""
        self.price_usd_per_t = plan.price_usd_per_kg[None] * KG_PER_T  # (1, M, B): without a market
        self.premium_share = plan.premium_fraction  # (R, M, S, B): of the price, on today's portfolio
        self.premium_usd_per_t = self.premium_share * self.price_usd_per_t[:, :, None]
        self.any_premium = bool(self.premiums.any())
        self.any_resourcing = bool(plan.resourcing_on.any())
        self.any_refill = bool((plan.reserve_refill_t_per_day > 0).any())
        terms = plan.agreement
        self.pool_refill = terms is not None and bool((terms.pool_refill_t_per_day > 0).any())
        self.order_up_to = plan.order_up_to[:, None]  # (R, 1, B)
        self.any_order_up_to = bool(plan.order_up_to.any())
        self.members = list(plan.structure.members)
        R, M, S, B = self.shares.shape
        if self.pool_refill:
            assert terms is not None
            self.pool_location = terms.pool_location
            self.pool_here = np.arange(R)[:, None, None] == self.pool_location  # (R, 1, B): the pool's region
            self.pool_shares = self._at_pool(self.shares)
        self._pool_lead_kept: tuple[np.ndarray, np.ndarray] | None = None
        """The last lead array the pool's was taken from, and the pool's (:meth:`_pool_lead`)."""
        self.costed = self.any_premium or self.any_resourcing or self.any_refill or self.pool_refill
        """Whether any purchase is costed (premiums, re-sourcing, refills): else the day's price is not needed."""
        self.zero = np.zeros((R, M, B))
        self.zero_routes = np.zeros((R, M, S, B))
        self.ones_m = np.ones((M, B))
        self.zero.flags.writeable = self.zero_routes.flags.writeable = self.ones_m.flags.writeable = False

    def __call__(self, day: int, state: State, effects: Effects, review_due: np.ndarray) -> ProcurementDay:
        """Shipments leaving on ``day``; ``review_due`` (region, run) marks order-up-to reviews.

        Flows a plan does not have (no quota, no refill, no re-sourcing) are returned as
        shared read-only zeros without computing them.
        """
        p = self.plan
        if self.stepped:
            self._follow_share_path(day)
        price_usd_per_t = self._price_usd_per_t(state) if self.costed else self.price_usd_per_t
        baseline = p.baseline_demand_t_per_day[day - self.first_day]
        lead = effects.lead_days
        ordered = baseline
        if day >= 0 and self.any_order_up_to:
            target = order_up_to_target(baseline, self.weighted_lead, p.review_days[:, None], p.safety_days[:, None])
            quantity = order_up_to_quantity(target, state.commercial, self._on_order(state))
            periodic = np.where(review_due[:, None], quantity, 0.0)
            ordered = np.where(self.order_up_to, periodic, baseline)
        moving = None
        if day >= 0 and self.stocking:
            assert self.market is not None
            moving = self._moving_target(state)
            quantity = order_up_to_quantity(moving, state.commercial, self._on_order(state))
            if self.any_order_up_to:  # else every day is due: selecting by it would copy the quantity
                quantity = np.where(np.where(self.order_up_to, review_due[:, None], True), quantity, 0.0)
            if not self.stocking_everywhere:
                quantity = np.where(self.market.stocking_on[None], quantity, ordered)
            ordered = quantity
        if self.dynamic_capacity:  # warm-up days too: cap(t) includes additions dated before day 0
            added = self.added[day - self.first_day][None] + state.response_capacity[None]
            self.capacity = self.base_capacity + added
        planned = self.shares * ordered[:, :, None]
        arrives = day + lead >= 0 if day < 0 else None  # warm-up: what is sent (see the module docstring)
        ordered_routes = planned
        turned_away = None
        if self.border.quota_ids:
            contracted = self.shares * baseline[:, :, None] if self.border.contracts else None
            planned, turned_away = self.border.quotas(day, planned, effects, contracted)
        multiplier = effects.route_multiplier
        shipped = planned if effects.all_routes_open else planned * multiplier
        if self.any_capacity:
            shipped = self._within_capacity(shipped)
        not_lost, leak, border_lost, held, awaiting = shipped, None, self.zero, self.zero, self.zero
        if self.border.active:
            crossed = self.border(day, planned, shipped, effects)
            leak = crossed.leak_t
            stopped = crossed.lost_t
            if turned_away is not None:
                # without licences nothing else is lost: +0.0 + turned_away is turned_away (never -0.0)
                stopped = turned_away if not self.border.licence_ids else stopped + turned_away
            if self.any_resourcing:  # only re-sourcing needs it
                not_lost = shipped + crossed.held_t + (0.0 if leak is None else leak) - crossed.lost_t
            border_lost = ordered_sum(stopped, axis=-2)
            shipped = crossed.shipped_t
            held, awaiting = self.border.waiting()
        commercial, resourced, resourcing_usd = shipped, self.zero, self.zero
        if self.any_resourcing:
            lost = ordered_sum(ordered_routes - not_lost, axis=-2)
            state.loss_age = np.where(lost > EPS_T, state.loss_age + 1, 0)
            # the warm-up's days too: a loss before day 0 has buyers re-sourcing on day 0 as in steady state
            by_supplier = self._resource(lost, shipped, multiplier, state)
            commercial = shipped + by_supplier
            resourced = ordered_sum(by_supplier, axis=-2)
            resourcing_usd = resourced * price_usd_per_t * p.spot_price_multiplier[:, None]
        if arrives is not None:
            # of what leaves during the warm-up only what arrives from day 0 is sent (the rest would
            # land before day 0); a licence's queue, held cargo and loss of supply are kept as they are
            shipped = np.where(arrives, shipped, 0.0)
            commercial = np.where(arrives, commercial, 0.0)
            if leak is not None:
                assert effects.leak_lead_days is not None
                leak = np.where(day + effects.leak_lead_days >= 0, leak, 0.0)
        state.in_transit = state.in_transit + ordered_sum(commercial, axis=-2)
        if leak is not None:
            state.in_transit = state.in_transit + ordered_sum(leak, axis=-2)
        premium_usd = self.zero
        if self.any_premium:
            premium_usd_per_t = self.premium_usd_per_t
            if self.market is not None:
                premium_usd_per_t = self.premium_share * price_usd_per_t[:, :, None]
            premium_usd = ordered_sum(shipped * premium_usd_per_t, axis=-2)
        refill, refill_usd = self.zero_routes, self.zero
        if self.any_refill and day >= 0:
            refill = self._refill_national(state, multiplier)
            refill_usd = ordered_sum(refill, axis=-2) * price_usd_per_t
        pool_t = pool_lead = None
        if self.pool_refill and day >= 0:
            pool_t, pool_lead, pool_usd = self._refill_pool(state, multiplier, lead, price_usd_per_t[0])
            refill_usd = refill_usd + np.where(self.pool_here, pool_usd[None], 0.0)
        cover = self.ones_m
        if self.market is not None and day >= 0:
            cover = self._cover_ratio(state, review_due, moving)
            state.cover_ratio = cover
        return ProcurementDay(
            in_transit_t=state.in_transit,
            reserve_in_transit_t=state.national_in_transit,
            ordered_t=ordered,
            resourced_t=resourced,
            procurement_premium_usd=premium_usd,
            resourcing_cost_usd=resourcing_usd,
            refill_cost_usd=refill_usd,
            shipped_by_supplier_t=shipped,
            cover_ratio=cover,
            held_at_origin_t=held,
            awaiting_licence_t=awaiting,
            leaked_t=self.zero if leak is None else ordered_sum(leak, axis=-2),
            border_lost_t=border_lost,
            commercial_shipments_t=commercial,
            commercial_lead_days=lead,
            refill_shipments_t=refill,
            pool_shipments_t=pool_t,
            pool_lead_days=pool_lead,
            leak_shipments_t=leak,
            leak_lead_days=effects.leak_lead_days,
        )

    def _follow_share_path(self, day: int) -> None:
        """Switch each run to the portfolio of the last ``max_share_path`` step on or before ``day``."""
        step = (self.step_day <= day).sum(axis=0)  # (B,): steps reached, counted exactly
        if np.array_equal(step, self.step):
            return
        self.step = step
        runs = np.arange(self.plan.batch)
        self.shares = np.moveaxis(self.portfolios[step, ..., runs], 0, -1)  # (R, M, S, B)
        self.premium_share = np.moveaxis(self.premiums[step, ..., runs], 0, -1)
        self.premium_usd_per_t = self.premium_share * self.price_usd_per_t[:, :, None]
        self.weighted_lead = ordered_sum(self.shares * self.plan.lead_time_days[:, None], axis=-2)
        if self.pool_refill:
            self.pool_shares = self._at_pool(self.shares)

    def _on_order(self, state: State) -> np.ndarray:
        """Goods on their way: in transit, and held at the border or awaiting a licence, (R, M, B)."""
        if not self.border.active:
            return state.in_transit
        return state.in_transit + self.border.on_order()

    def _moving_target(self, state: State) -> np.ndarray:
        """The order-up-to target that moves with expected demand and desired cover, (R, M, B).

        ``flow`` buyers: ``d_e x (L + cover)``; ``order_up_to`` buyers:
        ``d_e x (L + R + safety + cover - normal cover)``.
        """
        p, market = self.plan, self.market
        assert market is not None
        extra = state.desired_cover  # every buyer's, without order-up-to buyers (selecting it would copy it)
        if self.any_order_up_to:
            periodic = p.review_days[:, None] + p.safety_days[:, None] + state.desired_cover - market.normal_cover_days
            extra = np.where(self.order_up_to, periodic, state.desired_cover)
        return state.expected_demand * (self.weighted_lead + extra)

    def _cover_ratio(self, state: State, review_due: np.ndarray, target: np.ndarray | None) -> np.ndarray:
        """Buyers' inventory positions over their targets, summed over regions, (M, B) (1 without targets).

        A periodic buyer's position between reviews counts the demand it has used since
        its last review, so that the ratio stays 1 at normal cover whatever the review day.
        ``target``: today's moving target if already worked out (nothing it depends on changes in between).
        """
        if self.any_order_up_to:  # else every buyer counts 0 days since its review, as the state starts
            state.since_review = np.where(review_due | ~self.order_up_to[:, 0], 0, state.since_review + 1)
        if target is None:
            target = self._moving_target(state)
        used = state.expected_demand * state.since_review[:, None]
        position = state.commercial + self._on_order(state) + used
        wanted = ordered_sum(target, axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(wanted > 0, ordered_sum(position, axis=0) / wanted, 1.0)

    def _within_capacity(self, shipped: np.ndarray) -> np.ndarray:
        """Scale each supplier's shipments of a material down to its capacity, pro rata to regions."""
        total = ordered_sum(shipped, axis=0)[None]  # (1, M, S, B)
        over = self.has_capacity & (total > self.capacity)
        if not anywhere(over):  # every scale would be exactly 1
            return shipped
        scale = scale_down_to(self.capacity, total, over)
        return shipped * scale

    def _resource(self, lost: np.ndarray, shipped: np.ndarray, multiplier: np.ndarray, state: State) -> np.ndarray:
        p = self.plan
        ready = p.resourcing_on[:, None] & (state.loss_age >= p.reaction_days[:, None]) & (lost > EPS_T)
        if not anywhere(ready):
            return np.zeros_like(shipped)
        wanted = np.where(ready, lost, 0.0)  # (R, M, B)
        used = ordered_sum(shipped, axis=0)[None]  # (1, M, S, B)
        spare = np.where(self.has_capacity, np.maximum(0.0, self.capacity - used), 0.0)
        eligible = (multiplier >= 1.0) & self.has_capacity & self.routes
        room = np.where(eligible, spare, 0.0)  # (R, M, S, B)
        room_total = ordered_sum(room, axis=-2)[:, :, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            split = np.where(room_total > 0, room / room_total, 0.0)
        requests = wanted[:, :, None] * split  # (R, M, S, B)
        return share_spare_capacity(requests, spare[0])

    def _unshocked_split(self, shares: np.ndarray, multiplier: np.ndarray) -> np.ndarray:
        """Shares over suppliers (axis -2) renormalised to the routes no shock touches."""
        weights = np.where(multiplier >= 1.0, shares, 0.0)
        total = ordered_sum(weights, axis=-2)[..., None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(total > 0, weights / total, 0.0)

    def _refill_national(self, state: State, multiplier: np.ndarray) -> np.ndarray:
        p = self.plan
        room = p.reserve_target_t - (state.national + state.national_in_transit)
        wanted = np.where(state.gap > EPS_T, 0.0, np.minimum(p.reserve_refill_t_per_day, np.maximum(0.0, room)))
        split = self._unshocked_split(self.shares, multiplier)
        refill = wanted[:, :, None] * split
        state.national_in_transit = state.national_in_transit + ordered_sum(refill, axis=-2)
        return refill

    def _refill_pool(
        self, state: State, multiplier: np.ndarray, lead: np.ndarray, price_usd_per_t: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The pool's refill shipments (M, S, B), their lead times and cost (M, B) at ``price_usd_per_t`` (M, B)."""
        terms = self.plan.agreement
        assert terms is not None
        member_gap = slice_max(state.gap[self.members], axis=0)  # (M, B)
        room = terms.pool0_t - (state.pool + state.pool_in_transit)
        wanted = np.where(member_gap > EPS_T, 0.0, np.minimum(terms.pool_refill_t_per_day, np.maximum(0.0, room)))
        split = self._unshocked_split(self.pool_shares, self._at_pool(multiplier))  # (M, S, B)
        refill = wanted[:, None] * split
        state.pool_in_transit = state.pool_in_transit + ordered_sum(refill, axis=-2)
        usd = ordered_sum(refill, axis=-2) * price_usd_per_t
        return refill, self._pool_lead(lead), usd

    def _pool_lead(self, lead: np.ndarray) -> np.ndarray:
        """The pool location's lead times (M, S, B): the same array while ``lead`` is the same.

        The kernel hands out the same ``lead`` while the active shocks do not change; a new
        array each day would make the engine's lead-time masks (``ReferenceEngine._by_lead``) miss.
        """
        kept = self._pool_lead_kept
        if kept is not None and kept[0] is lead:
            return kept[1]
        at_pool = self._at_pool(lead)
        at_pool.flags.writeable = False
        self._pool_lead_kept = (lead, at_pool)
        return at_pool

    def _price_usd_per_t(self, state: State) -> np.ndarray:
        """What a tonne bought today costs (1, M, B).

        The day's world price of a material with a market, else its fixed ``price_usd_per_kg``.
        """
        if self.market is None:
            return self.price_usd_per_t
        # a material without a market of its own keeps its fixed price (its state.price is a placeholder)
        return np.where(self.market.market_on > 0, state.price, self.plan.price_usd_per_kg)[None] * KG_PER_T

    def _at_pool(self, routes: np.ndarray) -> np.ndarray:
        """The pool location's row of each run of a route array (R, M, S, B), as (M, S, B)."""
        batch = self.plan.batch
        runs = np.broadcast_to(routes, (*routes.shape[:-1], batch))
        return runs[self.pool_location, ..., np.arange(batch)].transpose(1, 2, 0)
