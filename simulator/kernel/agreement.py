"""The agreement's daily step: activation, auctions, and sharing the shared stock.

Per material, after members have drawn their own reserves (``national_first``):

1. **Trigger and lags.** The trigger holds when a member has a gap (or, with
   ``commercial_days_below``, when a member's commercial stock is below that many
   days of demand). The first trigger activates the agreement; releases open
   ``decision_lag_days + delivery_days`` later; the agreement stands down after
   ``standdown_days`` without a trigger.
2. **Auction** (``auction``; ``hybrid`` outside embargoes): on the first day of auction
   rule (the day releases open, or under ``hybrid`` the day an embargo ends) and every
   ``every_days`` after, a lot (``lot_t``, else the release cap times
   ``every_days``, else all pool stock) is offered. Each member bids, in its price
   segments, for its expected gap until the next auction: today's expected net drawdown
   (baseline demand minus arrivals) times ``every_days``, less its commercial stock and the
   stock it already bought. Won stock becomes the member's *balance*, held in the pool.
3. **Balance draws**: a member's gap is met from its balance first (any day).
4. **Rule release** (every other mechanism; ``hybrid`` while an embargo is active
   against a member): the rule shares ``min(shared stock, release cap)`` among the
   remaining gaps. In ``national`` pool mode the shared stock is what donors may
   lend: at most their reserve, their lendable share of their initial reserve not yet
   lent, and what keeps their own days of cover at the donor floor; donors give in
   proportion to what they may lend (``iea_ess``: to their stock commitments).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.kernel.layout import RunsLastPlan
from simulator.kernel.state import EPS_T, State
from simulator.release import (
    clear_auction,
    drawdown_obligations,
    equal_awards,
    equal_cover,
    equal_losses,
    fair_ratio,
    iea_ess,
    ordered_sum,
    proportional,
    slice_any,
    slice_max,
    talmud,
)

RULE_CODES = {
    "none": 0,
    "auction": 1,
    "fair_ratio": 2,
    "proportional": 3,
    "equal_cover": 4,
    "iea_ess": 5,
    "equal_awards": 6,
    "equal_losses": 7,
    "talmud": 8,
}
RULE_NAMES = {code: name for name, code in RULE_CODES.items()}


@dataclass(frozen=True)
class AgreementDay:
    """What the agreement did on one day; member arrays are (N, M, B)."""

    gap_t: np.ndarray
    """Gaps the agreement saw (after own reserves in ``national_first``)."""
    available_t: np.ndarray
    """Shared stock the rule could release today (after the cap), (M, B)."""
    from_balance_t: np.ndarray
    """Drawn from auction stock the member had bought."""
    from_rule_t: np.ndarray
    """Allocated by the rule from the shared stock."""
    lent_t: np.ndarray
    """Lent from each member's reserve to others (national mode)."""
    rule: np.ndarray
    """Rule code applied today (see ``RULE_CODES``), (M, B)."""
    decided: np.ndarray
    """A release decision was taken (open, with a gap), (M, B) bool."""
    auction_held: np.ndarray
    """An auction was held, (M, B) bool."""
    lot_t: np.ndarray
    """Lot offered, (M, B)."""
    clearing_price: np.ndarray
    """Clearing price (NaN without a sale), (M, B)."""
    bid_t: np.ndarray
    """Volume each member bid."""
    won_t: np.ndarray
    """Volume each member won."""
    spend_usd: np.ndarray
    """What each member paid."""
    unused_t: np.ndarray
    """Shared stock left unreleased while members remained short, (M, B)."""
    is_quiet: bool = False
    """Nobody in the batch was short: every allocation is zero."""

    @classmethod
    def quiet(cls, gap: np.ndarray) -> AgreementDay:
        """A day on which no member of any run had a gap: nothing happens."""
        N, M, B = gap.shape
        zeros = np.zeros((N, M, B))
        none = np.zeros((M, B), bool)
        return cls(
            gap_t=gap,
            available_t=np.zeros((M, B)),
            from_balance_t=zeros,
            from_rule_t=zeros,
            lent_t=zeros,
            rule=np.zeros((M, B), dtype=np.int64),
            decided=none,
            auction_held=none,
            lot_t=np.zeros((M, B)),
            clearing_price=np.full((M, B), np.nan),
            bid_t=zeros,
            won_t=zeros,
            spend_usd=zeros,
            unused_t=np.zeros((M, B)),
            is_quiet=True,
        )


class AgreementStep:
    """Applies the agreement to a batch of runs (see the module docstring)."""

    def __init__(self, plan: RunsLastPlan) -> None:
        st = plan.structure
        self.plan = plan
        self.members_list = list(st.members)
        # members as an index: a slice (views, no copies) when they are all regions in order
        self.members: list[int] | slice = (
            slice(None) if self.members_list == list(range(len(st.regions))) else self.members_list
        )
        self.mechanism = st.mechanism or "fair_ratio"
        self.joint = st.pool_mode == "joint"
        self.strict = st.strict
        self.pricing = st.pricing or "uniform"
        self.owners = np.array(st.bid_owners, dtype=np.int64)
        self.auctions = self.mechanism in ("auction", "hybrid")
        # the sharing rule applies every day (not under ``auction``; ``hybrid``: see __call__)
        self.rule_every_day = np.full((len(st.materials), plan.batch), self.mechanism != "auction")
        self.rule_every_day.flags.writeable = False
        self.commercial_trigger = bool((plan.trigger_days > 0).any())
        if self.auctions:
            # bid columns first, like the members: (N x W, M, B)
            self.bid_share = plan.bid_share.transpose(1, 0, 2)
            self.bid_price = plan.bid_price.transpose(1, 0, 2)
        self._no_auction: _Auction | None = None

    def __call__(
        self,
        day: int,
        state: State,
        gap: np.ndarray,
        supplied: np.ndarray,
        baseline: np.ndarray,
        net_drawdown: np.ndarray,
        embargo_on_member: np.ndarray,
    ) -> AgreementDay:
        """Release shared stock against ``gap`` (R, M, B); updates ``state`` in place.

        ``supplied`` is what members already received today (commercial stock and own
        reserve), ``baseline`` today's baseline demand and ``net_drawdown`` today's
        baseline demand minus arrivals (the auction's forecast), all (R, M, B).
        """
        p = self.plan
        mem = self.members
        seen = gap[mem]  # (N, M, B)
        g = np.where(seen > EPS_T, seen, 0.0)  # rounding noise is not a gap
        d = baseline[mem]
        N, M, B = g.shape
        self._activation(day, state, g, d)
        use_rule = embargo_on_member if self.mechanism == "hybrid" else self.rule_every_day
        due = self._auction_due(day, state, use_rule)
        if not g.any() and not due.any():  # nobody short, no auction: every step below is a no-op
            return AgreementDay.quiet(seen)
        opened = state.is_open
        zeros_nmb = np.zeros((N, M, B))
        rule = np.zeros((M, B), dtype=np.int64)
        auction = self._auction(state, net_drawdown, due)
        balance = state.balance[mem]
        from_balance = np.minimum(g, balance)
        g = g - from_balance
        state.balance = _with_members(state.balance, mem, balance - from_balance)
        rule = np.where(auction.held | (ordered_sum(from_balance, axis=0) > 0), RULE_CODES["auction"], rule)
        shareable = self._shareable(state, d)  # (N, M, B) national, or zeros
        stock = state.pool if self.joint else ordered_sum(shareable, axis=0)
        cap = p.release_cap
        available = np.where(opened & use_rule, np.minimum(stock, cap), 0.0)
        decide = opened & use_rule & (slice_max(g, axis=0) > EPS_T)
        from_rule = zeros_nmb
        lent = zeros_nmb
        if decide.any():
            # only the runs with a decision today: every rule works run by run
            rows = np.flatnonzero(slice_any(decide, axis=0))
            own = (state.commercial + state.national + state.balance)[mem][..., rows]
            given = supplied[mem][..., rows]
            allocated = self._rule(rows, g[..., rows], available[:, rows], d[..., rows], own, given)
            from_rule = np.zeros_like(g)
            from_rule[..., rows] = np.where(decide[:, rows], allocated, 0.0)
            rule = np.where(decide, RULE_CODES[self._rule_name()], rule)
            released = ordered_sum(from_rule, axis=0)
            if self.joint:
                state.pool = np.maximum(0.0, state.pool - released)
            else:
                lent = self._lend(state, released, shareable)
        g = g - from_rule
        left = state.pool if self.joint else ordered_sum(shareable - lent, axis=0)
        unused = np.minimum(left, ordered_sum(np.maximum(g, 0.0), axis=0))
        return AgreementDay(
            gap_t=seen,
            available_t=available,
            from_balance_t=from_balance,
            from_rule_t=from_rule,
            lent_t=lent,
            rule=rule,
            decided=decide,
            auction_held=auction.held,
            lot_t=auction.lot,
            clearing_price=auction.price,
            bid_t=auction.bid,
            won_t=auction.won,
            spend_usd=auction.spend,
            unused_t=unused,
        )

    def _rule_name(self) -> str:
        return "fair_ratio" if self.mechanism == "hybrid" else self.mechanism

    def _activation(self, day: int, state: State, g: np.ndarray, d: np.ndarray) -> None:
        p = self.plan
        triggered = slice_max(g, axis=0) > EPS_T
        if self.commercial_trigger:
            threshold = p.trigger_days
            commercial = state.commercial[self.members]
            with np.errstate(divide="ignore", invalid="ignore"):
                low = (d > 0) & (commercial < threshold * d)
            triggered = triggered | slice_any(low, axis=0)
        starting = triggered & ~state.active
        state.since = np.where(starting, day, state.since)
        state.active = state.active | triggered
        state.last_trigger = np.where(triggered, day, state.last_trigger)
        stand_down = state.active & (day - state.last_trigger >= p.standdown_days)
        state.active = state.active & ~stand_down
        state.is_open = state.active & (day >= state.since + p.lag_days)

    def _auction_due(self, day: int, state: State, use_rule: np.ndarray) -> np.ndarray:
        """Auction days, (M, B).

        The first day of auction rule (releases open, or an embargo over under
        ``hybrid``) and every ``every_days`` after.
        """
        if not self.auctions:
            return np.zeros_like(state.is_open)
        regime = state.is_open & ~use_rule
        state.auction_anchor = np.where(regime & ~state.auction_regime, day, state.auction_anchor)
        state.auction_regime = regime
        return regime & ((day - state.auction_anchor) % self.plan.auction_every == 0)

    def _auction(self, state: State, net_drawdown: np.ndarray, due: np.ndarray) -> _Auction:
        """Offer a lot where ``due``; members bid for their expected gap until the next auction.

        Expected gap = ``every_days x (baseline demand - arrivals) - commercial stock -
        bought stock``: today's expected net drawdown continued for the period, less what
        the member holds. Only the runs with an auction due are computed (run by run, so
        the other runs cannot change the result).
        """
        M, B = due.shape
        N = len(self.members_list)
        if self._no_auction is None:
            self._no_auction = _Auction.empty(N, M, B)
        none = self._no_auction
        rows = np.flatnonzero(slice_any(due, axis=0))
        if rows.size == 0:
            return none
        p = self.plan
        mem = self.members
        every = p.auction_every[rows]
        balance = state.balance[mem][..., rows]  # (N, M, b)
        commercial = state.commercial[mem][..., rows]
        drawdown = net_drawdown[mem][..., rows]
        wanted = np.maximum(0.0, drawdown * every - commercial - balance)
        volume = self.bid_share[..., rows] * wanted[self.owners]  # (N x W, M, b)
        held = due[:, rows] & (ordered_sum(volume, axis=0) > 0)  # an auction without bids is not held
        if not held.any():
            return none
        cap = p.release_cap[:, rows]
        lot = np.where(np.isnan(p.lot[:, rows]), np.where(np.isfinite(cap), cap * every, np.inf), p.lot[:, rows])
        lot = np.where(held, np.minimum(lot, state.pool[:, rows]), 0.0)
        clearing = clear_auction(volume, self.bid_price[..., rows], lot, p.reserve_price[:, rows], self.pricing)
        filled = np.where(held, clearing.filled_t, 0.0)
        won = self._by_member(filled, N)
        sold = ordered_sum(won, axis=0)
        pool = state.pool.copy()
        pool[:, rows] = np.maximum(0.0, pool[:, rows] - sold)
        state.pool = pool
        held_all, lot_all, price_all = np.zeros((M, B), bool), np.zeros((M, B)), np.full((M, B), np.nan)
        held_all[:, rows], lot_all[:, rows] = held, lot
        price_all[:, rows] = np.where(held & (sold > 0), clearing.clearing_price_usd_per_kg, np.nan)
        balance_all = state.balance.copy()
        picked = balance_all[..., rows]
        picked[mem] = balance + won
        balance_all[..., rows] = picked
        state.balance = balance_all
        bid, won_all, spend = np.zeros((N, M, B)), np.zeros((N, M, B)), np.zeros((N, M, B))
        bid[..., rows] = self._by_member(volume * held, N)
        won_all[..., rows] = won
        spend[..., rows] = self._by_member(np.where(held, clearing.paid_usd, 0.0), N)
        return _Auction(held_all, lot_all, price_all, bid, won_all, spend)

    def _by_member(self, per_bid: np.ndarray, n_members: int) -> np.ndarray:
        """Sum bid rows per member: rows come in equal blocks, one block per member."""
        return ordered_sum(per_bid.reshape(n_members, -1, *per_bid.shape[1:]), axis=1)

    def _shareable(self, state: State, d: np.ndarray) -> np.ndarray:
        """National mode: what each member may lend today, (N, M, B); joint: zeros."""
        if self.joint:
            return np.zeros(d.shape)
        p = self.plan
        mem = self.members
        national = state.national[mem]
        commercial = state.commercial[mem]
        quota = p.lendable_share * p.national0[mem]
        left_quota = quota - state.lent_cum[mem]
        above_floor = commercial + national - p.donor_floor_days * d
        return np.maximum(0.0, np.minimum(np.minimum(national, left_quota), above_floor))

    def _lend(self, state: State, released: np.ndarray, shareable: np.ndarray) -> np.ndarray:
        weights = self.plan.ess_commitments if self.mechanism == "iea_ess" else shareable
        # the rule takes members on the last axis and runs in front
        lent = drawdown_obligations(released.T, np.broadcast_to(weights, shareable.shape).T, shareable.T).T
        mem = self.members
        national = state.national[mem]
        state.national = _with_members(state.national, mem, np.maximum(0.0, national - lent))
        state.lent_cum = _with_members(state.lent_cum, mem, state.lent_cum[mem] + lent)
        return lent

    def _rule(
        self,
        rows: np.ndarray,
        g: np.ndarray,
        available: np.ndarray,
        d: np.ndarray,
        own: np.ndarray,
        supplied: np.ndarray,
    ) -> np.ndarray:
        """The rule's allocation (N, M, b) for the runs ``rows`` (arrays already cut to them).

        The rules take members on the last axis and runs in front, hence the transposes.
        """
        p = self.plan
        name = self._rule_name()
        g, available, d = g.T, available.T, d.T
        if name == "fair_ratio":
            awards = fair_ratio(g, available, p.ratio[:, rows].T[:, None, :], strict=self.strict)
        elif name == "proportional":
            awards = proportional(g, available, d)
        elif name == "equal_cover":
            awards = equal_cover(g, available, d, own.T)
        elif name == "iea_ess":
            restraint, trigger = p.ess_restraint[rows][:, None, None], p.ess_trigger[rows][:, None]
            awards = iea_ess(g, available, supplied.T, d, restraint, trigger)
        else:
            claims_rule = {"equal_awards": equal_awards, "equal_losses": equal_losses, "talmud": talmud}[name]
            awards = claims_rule(g, available)
        return awards.T


def _with_members(by_region: np.ndarray, members: list[int] | slice, by_member: np.ndarray) -> np.ndarray:
    """A copy of a (R, M, B) array with the members' rows set from (N, M, B)."""
    out = by_region.copy()
    out[members] = by_member
    return out


@dataclass(frozen=True)
class _Auction:
    held: np.ndarray
    lot: np.ndarray
    price: np.ndarray
    bid: np.ndarray
    won: np.ndarray
    spend: np.ndarray

    @classmethod
    def empty(cls, N: int, M: int, B: int) -> _Auction:
        """No auction held anywhere in the batch."""
        zeros = np.zeros((N, M, B))
        return cls(
            np.zeros((M, B), bool),
            np.zeros((M, B)),
            np.full((M, B), np.nan),
            zeros,
            zeros.copy(),
            zeros.copy(),
        )
