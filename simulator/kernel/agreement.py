"""The agreement's daily step: activation, auctions, and sharing the shared stock.

Layer: engines. Per material, after members have drawn their own reserves
(``national_first``):

1. **Trigger and lags.** The trigger holds when a member has a gap (or, with
   ``commercial_days_below``, when a member's commercial stock is below that many
   days of demand). The first trigger activates the agreement; releases open
   ``decision_lag_days + delivery_days`` later; the agreement stands down after
   ``standdown_days`` without a trigger.
2. **Auction** (mechanisms that hold auctions, on days their sharing rule does not
   apply): on the first day of auction rule (the day releases open, or under
   ``hybrid`` the day an embargo ends) and every ``every_days`` after, a lot
   (``lot_t``, else the release cap times ``every_days``, else all pool stock) is
   offered. Each member bids, in its price segments, for its expected gap until the
   next auction: today's expected net drawdown (baseline demand minus arrivals) times
   ``every_days``, less its commercial stock and the stock it already bought. Won stock
   becomes the member's *auction stock*, held in the pool.
3. **Auction stock draws**: a member's gap is met from its auction stock first (any day).
4. **Rule release** (on the days the mechanism's sharing rule applies, see
   :mod:`simulator.mechanisms`): the rule shares ``min(shared stock, release cap)``
   among the remaining gaps. In ``national`` pool mode the shared stock is what donors
   may lend: at most their reserve, their lendable share of their initial reserve not
   yet lent, and what keeps their own days of cover at the donor floor; donors give in
   proportion to what they may lend (or to their stock commitments, as the mechanism's
   entry says). A rule that shares supplies (``iea_ess``) also passes supplies between
   members and, on the days it acts, records the demand its restraint held back
   (``restraint_t``, the rule's own figure).

Member arrays are (member, material, run), as everywhere in the kernel; the sharing
rules take the same layout.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.kernel.pricing import PriceDay
from simulator.kernel.state import State
from simulator.mechanisms import AUCTION_CODE, BY_NAME, applied_rule
from simulator.numeric import EPS_T, anywhere, ordered_sum, slice_any, slice_max
from simulator.plan import AgreementPlan, AuctionPlan, Plan
from simulator.records import AgreementDay
from simulator.release import EssSharing, RuleInputs, allocator, clear_auction, drawdown_obligations


class AgreementStep:
    """Applies the agreement to a batch of runs (see the module docstring)."""

    skip_quiet_days = True
    """A day on which no member is short and no auction is due takes the short way (:func:`_quiet_fields`):
    the same record as the full step, made without it (a test runs without the short way)."""

    def __init__(self, plan: Plan) -> None:
        st = plan.structure
        assert plan.agreement is not None
        assert st.mechanism is not None
        self.plan = plan
        self.terms: AgreementPlan = plan.agreement
        self.members_list = list(st.members)
        # members as an index: a slice (views, no copies) when they are all regions in order
        self.members: list[int] | slice = (
            slice(None) if self.members_list == list(range(len(st.regions))) else self.members_list
        )
        self.mechanism = BY_NAME[st.mechanism]
        self.sharing = applied_rule(st.mechanism)
        self.allocate = allocator(self.sharing.name) if self.sharing is not None else None
        self.shares_supply = self.sharing is not None and self.sharing.shares_supply
        self.joint = st.pool_mode == "joint"
        self.strict = st.strict
        self.pricing = st.pricing or "uniform"
        self.owners = np.array(st.bid_owners, dtype=np.int64)
        # bids come in equal blocks, one block per member, in order (see _auction and _by_member)
        width = len(st.bid_owners) // max(1, len(st.members))
        assert list(st.bid_owners) == [n for n in range(len(st.members)) for _ in range(width)]
        self.lag_days = self.terms.decision_lag_days + self.terms.delivery_days
        self.timed = bool((self.terms.release_normal_days >= 0).any())  # release times given in some run
        M, B = len(st.materials), plan.batch
        # on which days the sharing rule applies when it does not depend on embargoes
        self.rule_days = np.full((M, B), self.mechanism.shares_when == "always")
        self.rule_days.flags.writeable = False
        self.commercial_trigger = bool((self.terms.trigger_commercial_days > 0).any())
        self.window = int(self.terms.loss_window_days.max())  # measured supply loss (0: none)
        # each run sums its own window out of a ring as long as the batch's longest
        self.own_windows = self.terms.loss_window_days.astype(np.int64)
        self.one_window = bool((self.own_windows == self.window).all())
        if self.window:
            N = len(self.members_list)
            self.arrived_days = np.zeros((self.window, N, M, B))
            self.normal_days = np.zeros((self.window, N, M, B))
            self.arrived_sum = np.zeros((N, M, B))
            self.normal_sum = np.zeros((N, M, B))
        self.auction: AuctionPlan | None = plan.auction if self.mechanism.holds_auctions else None
        self.margins = self.auction is not None and bool((self.auction.service_level_z > 0).any())
        self.linked_bids = self.auction is not None and bool((self.auction.bid_price_multiplier > 0).any())
        self._no_auction: _Auction | None = None
        # the auction's terms and caps, narrowed to one run where every run has the same (see _runs)
        self._same: dict[str, np.ndarray] = {}
        if self.auction is not None:
            terms = {f: getattr(self.auction, f) for f in _AUCTION_TERMS}
            terms["release_cap_t_per_day"] = self.terms.release_cap_t_per_day
            self._same = {name: v[..., :1] for name, v in terms.items() if _same_in_every_run(v)}
        # returned as drawable_t wherever nothing is drawable (the market then skips it)
        self.no_drawable = np.zeros((len(self.members_list), M, B))
        self.no_drawable.flags.writeable = False
        self.quiet = _quiet_fields(len(self.members_list), M, B)
        self.no_auction_due = np.zeros((M, B), bool)  # the auction days of a mechanism without auctions
        self.no_auction_due.flags.writeable = False

    def __call__(
        self,
        day: int,
        state: State,
        gap: np.ndarray,
        supplied: np.ndarray,
        baseline: np.ndarray,
        net_drawdown: np.ndarray,
        embargo_on_member: np.ndarray,
        prices: PriceDay,
        arrived: np.ndarray,
        supply_cut: np.ndarray | None = None,
    ) -> AgreementDay:
        """Release shared stock against ``gap`` (region, material, run); updates ``state`` in place.

        ``supplied`` is what members already received today (commercial stock and own
        reserve), ``baseline`` today's baseline demand and ``net_drawdown`` today's
        expected demand minus arrivals (the auction's forecast), all (region, material,
        run); ``prices`` are today's prices (market-linked bids follow them) and
        ``arrived`` today's arrivals (a measured supply loss compares them with normal);
        ``supply_cut`` (material, run) marks where a supply shock is reducing a member's
        shipments today (needed with release times: it makes the emergency lead time apply).
        """
        mem = self.members
        seen = gap[mem]  # (N, M, B)
        g = np.where(seen > EPS_T, seen, 0.0)  # rounding noise is not a gap
        d = baseline[mem]
        N, M, B = g.shape
        measured = self._measured_loss(day, arrived[mem], d) if self.window else None
        stood_down = self._activation(day, state, g, d, measured, supply_cut)
        use_rule = self.rule_days
        if self.mechanism.shares_when == "embargo_on_member":
            use_rule = embargo_on_member if measured is None else self._threat(embargo_on_member, measured)
        due = self._auction_due(day, state, use_rule)
        sharing_now = state.is_open & use_rule
        if self.skip_quiet_days and not g.any() and not anywhere(due):  # nobody short, no auction: the rest is a no-op
            return AgreementDay(
                gap_t=seen, stood_down=stood_down, drawable_t=self._drawable(state, sharing_now), **self.quiet
            )
        opened = state.is_open
        rule = np.zeros((M, B), dtype=np.int64)
        auction = self._auction(state, net_drawdown, due, d, prices)
        bought = state.auction_stock[mem]
        from_auction_stock = np.minimum(g, bought)
        g = g - from_auction_stock
        state.auction_stock = _with_members(state.auction_stock, mem, bought - from_auction_stock)
        rule = np.where(auction.held | (ordered_sum(from_auction_stock, axis=0) > 0), AUCTION_CODE, rule)
        shareable = self._shareable(state, d)  # (N, M, B) national, or zeros
        if self.joint:
            stock = state.pool
        elif self.shares_supply:  # each member draws its own reserve by obligation
            stock = ordered_sum(state.national[mem], axis=0)
        else:
            stock = ordered_sum(shareable, axis=0)
        available = np.where(opened & use_rule, np.minimum(stock, self.terms.release_cap_t_per_day), 0.0)
        decide = opened & use_rule & (slice_max(g, axis=0) > EPS_T)
        from_rule = np.zeros((N, M, B))
        lent = transferred = restraint_t = from_rule
        governed = np.zeros((M, B), bool)
        released = np.zeros((M, B))
        if anywhere(decide):
            assert self.sharing is not None
            # only the runs with a decision today: every rule works run by run
            runs = slice_any(decide, axis=0)
            # (every run, as always in a single run: views instead of copies of the runs' columns)
            rows: np.ndarray | slice = np.flatnonzero(runs) if anywhere(~runs) else slice(None)
            from_rule = np.zeros_like(g)
            if self.shares_supply:
                sharing = self._share_supply(rows, g, available, state, supplied)
                acting = decide[:, rows] & (sharing.general | sharing.selective)
                governed[:, rows] = acting
                from_rule[..., rows] = np.where(acting, sharing.drawn_t, 0.0)
                transferred = np.zeros_like(g)
                transferred[..., rows] = np.where(acting, sharing.transferred_t, 0.0)
                restraint_t = np.zeros_like(g)
                restraint_t[..., rows] = np.where(acting, sharing.restraint_t, 0.0)
                # the rule decided the day even where neither trigger held (it then shares nothing):
                # named like every other rule's decision, so releases.csv never has a nameless row
                rule = np.where(decide, self.sharing.code, rule)
            else:
                allocated = self._allocate(rows, g, available, d, state, supplied)
                from_rule[..., rows] = np.where(decide[:, rows], allocated, 0.0)
                rule = np.where(decide, self.sharing.code, rule)
            released = ordered_sum(from_rule, axis=0)
            if self.joint:
                state.pool = np.maximum(0.0, state.pool - released)
            elif self.shares_supply:  # members draw their own reserves: recorded as given to the agreement
                state.national = _with_members(state.national, mem, np.maximum(0.0, state.national[mem] - from_rule))
                lent = from_rule
            else:
                lent = self._lend(state, released, shareable)
            g = g - from_rule - transferred  # (without a decision both are +0.0: every gap stays as it is)
        if self.joint:
            left = state.pool
        elif self.shares_supply:
            left = ordered_sum(state.national[mem], axis=0)
        else:
            left = ordered_sum(shareable - lent, axis=0)
        won = auction.won
        sold = ordered_sum(won, axis=0)
        return AgreementDay(
            clearing_price_usd_per_kg=auction.price,
            rule=rule,
            gap_t=seen,
            available_t=available,
            released_total_t=released,
            released_auction_t=from_auction_stock,
            released_rule_t=from_rule,
            lent_t=lent,
            transferred_t=transferred,
            restraint_t=restraint_t,
            governed=governed,
            decided=decide,
            stood_down=stood_down,
            auction_held=auction.held,
            lot_t=auction.lot,
            sold_t=sold,
            unsold_t=auction.lot - sold,
            bid_t=auction.bid,
            won_t=won,
            spend_usd=auction.spend,
            unused_t=np.minimum(left, ordered_sum(np.maximum(g, 0.0), axis=0)),
            drawable_t=self._drawable(state, sharing_now),
        )

    def _drawable(self, state: State, sharing_now: np.ndarray) -> np.ndarray:
        """Shared stock the rule would let each member draw now, (N, M, B).

        The member's weight in the rule (its ratio where the mechanism has one, else its
        ownership share) times the pool left under the day's release cap, where releases
        are open and the sharing rule applies today; nothing in national mode (another
        member's reserve is lent only against a gap) or under auctions (only bought stock
        can be drawn, and it is counted as the member's own).
        """
        if not self.joint or self.sharing is None or not anywhere(sharing_now):
            return self.no_drawable
        terms = self.terms
        weight = terms.ratio[:, None, :] if self.mechanism.needs_ratio else terms.ownership_share
        left = np.where(sharing_now, np.minimum(state.pool, terms.release_cap_t_per_day), 0.0)
        return np.broadcast_to(weight, self.no_drawable.shape) * left[None]

    def _measured_loss(self, day: int, arrived: np.ndarray, normal: np.ndarray) -> np.ndarray:
        """A supply loss measured in members' arrivals over the window, (M, B).

        The group's arrivals over the last ``window_days`` below ``group_below`` times
        normal (their baseline demand over the same days), or one member's below
        ``member_below`` times its normal. Each run's window is its own: the day leaving it
        is ``window_days`` ago in the ring of the batch's longest window (the slot today
        overwrites when every run has that window).
        """
        terms = self.terms
        slot = day % self.window
        if self.one_window:
            left_arrived, left_normal = self.arrived_days[slot], self.normal_days[slot]
        else:
            leaving = ((day - self.own_windows) % self.window)[None, None, None, :]
            left_arrived = np.take_along_axis(self.arrived_days, leaving, axis=0)[0]
            left_normal = np.take_along_axis(self.normal_days, leaving, axis=0)[0]
        self.arrived_sum = self.arrived_sum - left_arrived + arrived
        self.normal_sum = self.normal_sum - left_normal + normal
        self.arrived_days[slot], self.normal_days[slot] = arrived, normal
        group = ordered_sum(self.arrived_sum, axis=0) < terms.loss_group_below * ordered_sum(self.normal_sum, axis=0)
        member = (self.normal_sum > EPS_T) & (self.arrived_sum < terms.loss_member_below * self.normal_sum)
        return (terms.loss_window_days > 0) & (group | slice_any(member, axis=0))

    def _threat(self, declared: np.ndarray, measured: np.ndarray) -> np.ndarray:
        """Days the rule applies under a threat: a declared embargo, a measured loss, or either, (M, B)."""
        terms = self.terms
        return (terms.switch_on_declared & declared) | (terms.switch_on_measured & measured)

    def _activation(
        self,
        day: int,
        state: State,
        g: np.ndarray,
        d: np.ndarray,
        measured: np.ndarray | None,
        supply_cut: np.ndarray | None,
    ) -> np.ndarray:
        """Update activation and openness; return where the agreement stood down today, (M, B).

        Releases open ``decision_lag_days + delivery_days`` after activation; with release
        times, ``normal_days`` after it, or ``emergency_days`` after activation or after
        the first day a supply shock cuts a member's shipments, whichever comes first.
        """
        terms = self.terms
        triggered = slice_max(g, axis=0) > EPS_T
        if measured is not None:
            triggered = triggered | measured
        if self.commercial_trigger:
            commercial = state.commercial[self.members]
            with np.errstate(divide="ignore", invalid="ignore"):
                low = (d > 0) & (commercial < terms.trigger_commercial_days * d)
            triggered = triggered | slice_any(low, axis=0)
        starting = triggered & ~state.active
        state.since = np.where(starting, day, state.since)
        state.active = state.active | triggered
        state.last_trigger = np.where(triggered, day, state.last_trigger)
        stand_down = state.active & (day - state.last_trigger >= terms.standdown_days)
        state.active = state.active & ~stand_down
        opens = state.since + self.lag_days
        if self.timed:
            assert supply_cut is not None
            emergency = supply_cut | (measured if measured is not None else False)
            normal_days, emergency_days = terms.release_normal_days, terms.release_emergency_days
            state.open_day = np.where(starting, day + np.where(emergency, emergency_days, normal_days), state.open_day)
            state.open_day = np.where(
                state.active & emergency, np.minimum(state.open_day, day + emergency_days), state.open_day
            )
            opens = np.where(normal_days >= 0, state.open_day, opens)
        state.is_open = state.active & (day >= opens)
        return stand_down

    def _auction_due(self, day: int, state: State, use_rule: np.ndarray) -> np.ndarray:
        """Auction days, (M, B).

        The first day of auction rule (releases open, or an embargo over under
        ``hybrid``) and every ``every_days`` after.
        """
        if self.auction is None:
            return self.no_auction_due
        regime = state.is_open & ~use_rule
        state.auction_anchor = np.where(regime & ~state.auction_regime, day, state.auction_anchor)
        state.auction_regime = regime
        return regime & ((day - state.auction_anchor) % self.auction.auction_every_days == 0)

    def _auction(
        self, state: State, net_drawdown: np.ndarray, due: np.ndarray, baseline: np.ndarray, prices: PriceDay
    ) -> _Auction:
        """Offer a lot where ``due``; members bid for their expected gap until the next auction.

        Expected gap = ``every_days x (expected demand - arrivals) - commercial stock -
        bought stock + margin``: today's expected net drawdown continued for the period,
        less what the member holds, plus (with a service level) ``z x noise_cv x baseline
        x sqrt(every_days)``, the margin that covers the member's demand noise until the
        next auction with that probability. A market-linked segment bids its multiple of
        the price the member pays today, capped at its value of lost load. Only the runs
        with an auction due are computed (run by run, so the other runs cannot change the
        result).
        """
        M, B = due.shape
        N = len(self.members_list)
        if self._no_auction is None:
            self._no_auction = _Auction.empty(N, M, B)
        none = self._no_auction
        if not anywhere(due):  # most days (and every day without auctions)
            return none
        rows = np.flatnonzero(slice_any(due, axis=0))
        mem = self.members
        every = self._runs("auction_every_days", rows)
        bought = state.auction_stock[mem][..., rows]  # (N, M, b)
        commercial = state.commercial[mem][..., rows]
        drawdown = net_drawdown[mem][..., rows]
        wanted = drawdown * every - commercial - bought
        if self.margins:
            noise = self.plan.noise_cv[mem][..., rows] * baseline[..., rows]
            wanted = wanted + self._runs("service_level_z", rows) * noise * np.sqrt(every)
        wanted = np.maximum(0.0, wanted)
        # (bids, M, b): each member's block of segments times its wanted volume, broadcast (not gathered)
        share = self._runs("bid_share", rows)
        volume = (share.reshape(N, -1, *share.shape[1:]) * wanted[:, None]).reshape(-1, *wanted.shape[1:])
        cap = self._runs("release_cap_t_per_day", rows)
        lot_t = self._runs("lot_t", rows)
        lot = np.where(np.isnan(lot_t), np.where(np.isfinite(cap), cap * every, np.inf), lot_t)
        pool_due = state.pool[:, rows]
        offered = np.minimum(lot, pool_due)
        # an auction without bids, or with nothing to offer (the pool is empty, or holds only a
        # rounding residue up to EPS_T: 1.0 t less ten lots of 0.1 t leaves 1.4e-16 t), is not held;
        # a lot as small as EPS_T from a pool that holds more is offered
        held = due[:, rows] & (ordered_sum(volume, axis=0) > 0) & (pool_due > EPS_T) & (offered > 0)
        if not anywhere(held):
            return none
        lot = np.where(held, offered, 0.0)
        bid_price = self._runs("bid_price_usd_per_kg", rows)
        if self.linked_bids:
            paid = prices.paid_usd_per_kg[mem][..., rows][self.owners]  # (bids, M, b)
            multiplier = self._runs("bid_price_multiplier", rows)
            linked = np.minimum(multiplier * paid, self._runs("bid_cap_usd_per_kg", rows))
            bid_price = np.where(multiplier > 0, linked, bid_price)
        reserve = self._runs("reserve_price_usd_per_kg", rows)
        clearing = clear_auction(volume, bid_price, lot, reserve, self.pricing)
        filled = np.where(held, clearing.filled_t, 0.0)
        won = self._by_member(filled, N)
        sold = ordered_sum(won, axis=0)
        pool = state.pool.copy()
        pool[:, rows] = np.maximum(0.0, pool_due - sold)
        state.pool = pool
        held_all, lot_all, price_all = np.zeros((M, B), bool), np.zeros((M, B)), np.full((M, B), np.nan)
        held_all[:, rows], lot_all[:, rows] = held, lot
        price_all[:, rows] = np.where(held & (sold > 0), clearing.clearing_price_usd_per_kg, np.nan)
        stock_all = state.auction_stock.copy()
        if isinstance(mem, slice):  # every region is a member: the runs' columns at once
            stock_all[..., rows] = bought + won
        else:
            picked = stock_all[..., rows]
            picked[mem] = bought + won
            stock_all[..., rows] = picked
        state.auction_stock = stock_all
        bid, won_all, spend = np.zeros((N, M, B)), np.zeros((N, M, B)), np.zeros((N, M, B))
        bid[..., rows] = self._by_member(volume * held, N)
        won_all[..., rows] = won
        spend[..., rows] = self._by_member(np.where(held, clearing.paid_usd, 0.0), N)
        return _Auction(held_all, lot_all, price_all, bid, won_all, spend)

    def _runs(self, name: str, rows: np.ndarray) -> np.ndarray:
        """An auction term (or the release cap) for the runs ``rows``: one run's where every run has the same.

        Broadcasting one run's column gives every row the very same values, without
        gathering them.
        """
        same = self._same.get(name)
        if same is not None:
            return same
        if name == "release_cap_t_per_day":
            return self.terms.release_cap_t_per_day[..., rows]
        return getattr(self.auction, name)[..., rows]

    def _by_member(self, per_bid: np.ndarray, n_members: int) -> np.ndarray:
        """Sum bid rows per member: rows come in equal blocks, one block per member."""
        return ordered_sum(per_bid.reshape(n_members, -1, *per_bid.shape[1:]), axis=1)

    def _shareable(self, state: State, d: np.ndarray) -> np.ndarray:
        """National mode: what each member may lend today, (N, M, B); joint: zeros."""
        if self.joint:
            return np.zeros(d.shape)
        terms, mem = self.terms, self.members
        national = state.national[mem]
        commercial = state.commercial[mem]
        quota = terms.lendable_share * self.plan.reserve_stock0_t[mem]
        left_quota = quota - state.lent_cum[mem]
        above_floor = commercial + national - terms.donor_floor_days * d
        return np.maximum(0.0, np.minimum(np.minimum(national, left_quota), above_floor))

    def _lend(self, state: State, released: np.ndarray, shareable: np.ndarray) -> np.ndarray:
        assert self.sharing is not None
        weights = self.terms.ess_commitments if self.sharing.donors_by == "commitments" else shareable
        lent = drawdown_obligations(released, np.broadcast_to(weights, shareable.shape), shareable)
        mem = self.members
        state.national = _with_members(state.national, mem, np.maximum(0.0, state.national[mem] - lent))
        state.lent_cum = _with_members(state.lent_cum, mem, state.lent_cum[mem] + lent)
        return lent

    def _allocate(
        self,
        rows: np.ndarray | slice,
        g: np.ndarray,
        available: np.ndarray,
        d: np.ndarray,
        state: State,
        supplied: np.ndarray,
    ) -> np.ndarray:
        """The sharing rule's allocation (N, M, b) for the runs ``rows``."""
        assert self.allocate is not None
        terms, mem = self.terms, self.members
        inputs = RuleInputs(
            gaps_t=g[..., rows],
            available_t=available[:, rows],
            baseline_demand_t=d[..., rows],
            own_stock_t=(state.commercial + state.national + state.auction_stock)[mem][..., rows],
            supplied_t=supplied[mem][..., rows],
            ratio=terms.ratio[:, rows][:, None, :],
            strict=self.strict,
            ess_restraint=terms.ess_restraint[rows],
            ess_trigger_loss_share=terms.ess_trigger_loss_share[rows],
        )
        return self.allocate(inputs)  # type: ignore[return-value]

    def _share_supply(
        self, rows: np.ndarray | slice, g: np.ndarray, available: np.ndarray, state: State, supplied: np.ndarray
    ) -> EssSharing:
        """The IEP's sharing (:func:`simulator.release.iea_ess`) for the runs ``rows``.

        ``supplied`` is what members took from their commercial stock today (their own
        reserves are not drawn first under this rule); their stock is the joint pool, or
        in national mode each member's own reserve.
        """
        assert self.allocate is not None
        terms, mem = self.terms, self.members
        drawable = np.inf if self.joint else state.national[mem][..., rows]
        inputs = RuleInputs(
            gaps_t=g[..., rows],
            available_t=available[:, rows],
            baseline_demand_t=np.zeros(0),
            own_stock_t=np.zeros(0),
            supplied_t=supplied[mem][..., rows],
            ratio=np.zeros(0),
            strict=False,
            ess_restraint=terms.ess_restraint[rows],
            ess_trigger_loss_share=terms.ess_trigger_loss_share[rows],
            ess_higher_restraint=terms.ess_higher_restraint[rows],
            ess_higher_loss_share=terms.ess_higher_loss_share[rows],
            ess_selective_loss_share=terms.ess_selective_loss_share[rows],
            commitments=np.broadcast_to(terms.ess_commitments, g.shape)[..., rows],
            drawable_t=drawable,
        )
        sharing = self.allocate(inputs)
        assert isinstance(sharing, EssSharing)
        return sharing


_AUCTION_TERMS = (
    "auction_every_days",
    "reserve_price_usd_per_kg",
    "lot_t",
    "bid_share",
    "bid_price_usd_per_kg",
    "bid_price_multiplier",
    "bid_cap_usd_per_kg",
    "service_level_z",
)
"""The :class:`AuctionPlan` arrays the auction reads run by run."""


def _same_in_every_run(values: np.ndarray) -> bool:
    """Whether every run (last axis) holds the very same bytes (so -0.0, 0.0 and NaNs count as they are)."""
    first = np.ascontiguousarray(np.broadcast_to(values[..., :1], values.shape))
    return np.ascontiguousarray(values).tobytes() == first.tobytes()


def _with_members(by_region: np.ndarray, members: list[int] | slice, by_member: np.ndarray) -> np.ndarray:
    """A copy of a (region, material, run) array with the members' rows set from (member, material, run).

    Where every region is a member that is ``by_member`` itself (always a new array here).
    """
    if isinstance(members, slice):
        return by_member
    out = by_region.copy()
    out[members] = by_member
    return out


def _quiet_fields(N: int, M: int, B: int) -> dict[str, Any]:
    """The fields of a day on which no member of any run had a gap and no auction was due: nothing happens.

    The same read-only arrays every quiet day (made once; nothing writes to a day's record).
    """
    zeros = np.zeros((N, M, B))
    zeros_m = np.zeros((M, B))
    none = np.zeros((M, B), bool)
    no_price = np.full((M, B), np.nan)
    rule = np.zeros((M, B), dtype=np.int64)
    for shared in (zeros, zeros_m, none, no_price, rule):
        shared.flags.writeable = False
    return {
        "clearing_price_usd_per_kg": no_price,
        "rule": rule,
        "available_t": zeros_m,
        "released_total_t": zeros_m,
        "released_auction_t": zeros,
        "released_rule_t": zeros,
        "lent_t": zeros,
        "transferred_t": zeros,
        "restraint_t": zeros,
        "governed": none,
        "decided": none,
        "auction_held": none,
        "lot_t": zeros_m,
        "sold_t": zeros_m,
        "unsold_t": zeros_m,
        "bid_t": zeros,
        "won_t": zeros,
        "spend_usd": zeros,
        "unused_t": zeros_m,
        "is_quiet": True,
    }


class _Auction:
    """One day's auctions of a batch: where held, lots, prices and members' bids, wins and payments."""

    def __init__(
        self,
        held: np.ndarray,
        lot: np.ndarray,
        price: np.ndarray,
        bid: np.ndarray,
        won: np.ndarray,
        spend: np.ndarray,
    ) -> None:
        self.held, self.lot, self.price, self.bid, self.won, self.spend = held, lot, price, bid, won, spend

    @classmethod
    def empty(cls, N: int, M: int, B: int) -> _Auction:
        """No auction held anywhere in the batch."""
        zeros = np.zeros((N, M, B))
        return cls(np.zeros((M, B), bool), np.zeros((M, B)), np.full((M, B), np.nan), zeros, zeros, zeros)
