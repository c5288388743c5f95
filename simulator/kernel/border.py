"""What happens to shipments at the exporter's border: held cargo, leaks, export quotas, licences.

Layer: engines. Applied in procurement to the day's orders along the routes (see
``docs/model.md``, "Shocks as they happen"):

1. **Export quotas** act first, on what buyers ordered: within each period, exports of
   the quota's materials to all regions stop once the period's tonnes are licensed
   (released evenly day by day, or all from the first day); a binding quota is shared
   pro rata to what regions ordered, or in a stated order of preference; a smuggling
   share of what it stops flows anyway. What the quota stops is turned away: buyers
   order again what they still want, so the same tonnes can be turned away on many days.
2. Embargoes and quota cuts then scale the licensed flows, and capacity caps them.
3. **Held cargo**: what an embargo with ``on_halt: held`` stops waits at origin; once
   the embargo is over it ships (all at once, or evenly over ``release_days``), outside
   the quota and capacity: it was licensed and produced before it was stopped.
4. **Leaks**: a share of what an embargo stops gets through anyway, with extra transit
   days (a separate stream of shipments).
5. **Licences**: a share of each day's new shipments on the targeted routes becomes
   licence applications; the approved part ships after its processing time, spread over
   the following days by the processing-time distribution; the rest is refused.

Held and pending goods count as on order: they are part of the buyers' inventory
position. The state is per run, so runs in a batch never interact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.kernel.shocks import Effects
from simulator.numeric import EPS_T, anywhere, ordered_sum, scale_down_to
from simulator.plan import Plan, ShockPlan
from simulator.randomness import Draws


@dataclass(slots=True)
class BorderDay:
    """What the border did with the day's shipments, per route (region, material, supplier, run).

    Made every day and never changed: not frozen, as the day's records are not (:mod:`simulator.records`).
    """

    shipped_t: np.ndarray
    """Leaving today with the normal lead time: let through, released from holding, approved."""
    leak_t: np.ndarray | None
    """Leaking through an embargo (with its own lead time); None: nothing leaks in this plan."""
    held_t: np.ndarray
    """Stopped today but not lost: newly held at origin."""
    lost_t: np.ndarray
    """Stopped today for good: by an export quota (not smuggled) and refused licences."""


class Border:
    """The border's state and daily step for a batch (see the module docstring)."""

    def __init__(self, plan: Plan, draws: Draws) -> None:
        """Per shock and run (``draws``): start, magnitude (a quota's tonnes) and release days."""
        st = plan.structure
        R, M, S, B = len(st.regions), len(st.materials), len(st.suppliers), plan.batch
        self.route_shape = (R, M, S, B)
        self.start = draws.shock_start
        self.magnitude = draws.shock_magnitude
        self.release_days = draws.shock_release_days
        self.held_ids = [k for k, sh in enumerate(plan.shocks) if sh.held]
        self.quota_ids = [k for k, sh in enumerate(plan.shocks) if sh.kind == "export_quota"]
        self.licence_ids = [k for k, sh in enumerate(plan.shocks) if sh.kind == "licensing"]
        self.contracts = any(plan.shocks[k].contracts_first for k in self.quota_ids)
        """Whether a quota serves normal flows first (it needs them: :meth:`quotas`' ``contracted``)."""
        self.leaks = bool((draws.shock_leak_share > 0).any())  # in some run
        self.shocks = plan.shocks
        self.masks = {k: sh.mask[..., None] for k, sh in enumerate(plan.shocks)}
        self.boxes = {k: _block(plan.shocks[k].mask) for k in self.quota_ids}
        # added to a block's sums by region: +0.0 where the full sums also added the zeros of routes
        # outside the block (turns -0.0 to 0.0), else -0.0 (changes nothing)
        self.box_zero = {
            k: -0.0 if box and box[1:] == (slice(0, M), slice(0, S)) else 0.0 for k, box in self.boxes.items()
        }
        self.held = np.zeros((len(self.held_ids), R, M, S, B))
        self.release_rate = np.zeros_like(self.held)
        self._idle = [False] * len(self.held_ids)  # known to have nothing to release (see ``_releasing``)
        self.quota_used = np.zeros((len(self.quota_ids), B))
        self.end = draws.shock_end
        self.pending = [np.zeros((len(draws.licence_processing[k][0]), R, M, S, B)) for k in self.licence_ids]
        """Per licence: a ring of approvals due, slot (day + j) % slots holding those due j days ahead, each run
        in its own number of slots (the slots past a run's own stay 0)."""
        self.end_use = {k: draws.licence_processing[k][2] for k in self.licence_ids}
        """Per licence: the share of the targeted shipments that needs one, per run."""
        self.processing: list[tuple[np.ndarray, np.ndarray, np.ndarray | None]] = []
        """Per licence: the share of an application approved on each day ahead, shaped (slot, 1, 1, 1, run), the
        share refused, per run, and each run's slots (None where every run has the batch's): a licence's approval
        share (its magnitude) and its processing time may differ between runs."""
        self.ring_slots: list[np.ndarray] = []
        """Per licence: its ring's slot numbers 0, 1, ..., shaped (slot, 1) (:func:`_queue` with runs' own slots
        reads them every day; the ring's length is the batch's)."""
        for k in self.licence_ids:
            shares, slots, _ = draws.licence_processing[k]
            approval = self.magnitude[k]
            weights = shares * approval[None]
            # refused: 1 - the sum of one run's weights, as a vector of its own length (a sum over the slot axis
            # of ``weights``, or over zeros past it, would add in another order): once per distinct run
            runs = np.concatenate([approval[:, None], shares.T], axis=1)
            _, first, run_of = np.unique(runs, axis=0, return_index=True, return_inverse=True)  # (first: a run of each)
            refused = np.array([1.0 - float((approval[b] * shares[: slots[b], b]).sum()) for b in first])[
                run_of.reshape(-1)
            ]
            own_slots = None if (slots == len(shares)).all() else slots
            self.processing.append((weights.reshape(len(shares), 1, 1, 1, B), refused, own_slots))
            self.ring_slots.append(np.arange(len(shares))[:, None])
        self.active = bool(self.held_ids or self.quota_ids or self.licence_ids or self.leaks)
        self.no_routes = np.zeros(self.route_shape)  # nothing on any route (shared, read-only)
        self.no_routes.flags.writeable = False
        self._waiting: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # until held or pending goods change
        self._effects_seen: Effects | None = None
        self._on: list[tuple[int, int, np.ndarray, bool]] = []

    def waiting(self) -> tuple[np.ndarray, np.ndarray]:
        """Goods held at origin and goods awaiting a licence, each (region, material, run) (shared: do not modify)."""
        held, awaiting, _ = self._totals()
        return held, awaiting

    def on_order(self) -> np.ndarray:
        """Goods held or awaiting a licence, (region, material, run): part of the buyers' inventory position."""
        return self._totals()[2]

    def _totals(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Held, awaiting and their sum, worked out again after each change (``__call__`` makes the only ones)."""
        if self._waiting is None:
            R, M, _, B = self.route_shape
            held = ordered_sum(ordered_sum(self.held, axis=0), axis=-2) if self.held_ids else np.zeros((R, M, B))
            awaiting = np.zeros((R, M, B))
            for pending in self.pending:
                awaiting = awaiting + ordered_sum(ordered_sum(pending, axis=0), axis=-2)
            self._waiting = (held, awaiting, held + awaiting)
        return self._waiting

    def quotas(
        self, day: int, planned: np.ndarray, effects: Effects, contracted: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """What export quotas license of today's ``planned`` routes, and what they turned away.

        ``contracted``: the routes' normal flows today (baseline demand x sourcing share),
        needed by a quota with ``sharing: contracts_first`` (see :attr:`contracts_first`).
        """
        turned_away = None
        for i, k, on, everywhere in self._quotas_on(effects):
            lost_share = effects.lost_share if self.shocks[k].deliverable_claims else None
            contract = contracted if self.shocks[k].contracts_first else None
            planned, stopped = self._quota(day, i, k, planned, on, lost_share, contract, everywhere)
            turned_away = stopped if turned_away is None else turned_away + stopped  # ``stopped`` is new, no -0.0
        return planned, self.no_routes if turned_away is None else turned_away

    def _quotas_on(self, effects: Effects) -> list[tuple[int, int, np.ndarray, bool]]:
        """The quotas on in some run: their index among the quotas, shock, runs on, and whether on in every run.

        A quota off in every run caps and stops nothing and keeps its period's count. Kept per
        ``effects`` (the same object while the active shocks do not change, held so that it stays
        the same), which spares the day two to three ``any``/``all`` calls a quota.
        """
        if effects is not self._effects_seen:
            self._effects_seen = effects
            self._on = [
                (i, k, effects.active[k], bool(effects.active[k].all()))
                for i, k in enumerate(self.quota_ids)
                if effects.active[k].any()
            ]
        return self._on

    def __call__(self, day: int, planned: np.ndarray, shipped: np.ndarray, effects: Effects) -> BorderDay:
        """Apply holds, leaks and licences to the day's ``planned`` (licensed) and ``shipped`` routes.

        ``planned`` is what the quotas licensed; ``shipped`` what embargoes, quota cuts and
        capacity let through of it. Quotas must have been applied first (:meth:`quotas`).
        """
        if self.licence_ids:
            self._waiting = None
        newly_held = lost = None
        leak = planned * effects.leak_fraction if effects.leak_fraction is not None else None
        approved: dict[int, np.ndarray] = {}  # today's approvals by shock, for a shock that follows one
        for i, k in enumerate(self.licence_ids):
            shipped, approved[k], refused = self._licences(
                day, i, k, shipped, effects.active[k], approved.get(self.shocks[k].follows)
            )
            lost = _added(lost, refused)
        zero_added = False
        for i, k in enumerate(self.held_ids):
            share = effects.held.get(k)
            if share is not None:
                held_today = planned * share
                self.held[i] = self.held[i] + held_today
                newly_held = _added(newly_held, held_today)
                self._idle[i] = False
                self._waiting = None
            if not self._idle[i] and self._releasing(i, k):
                shipped = shipped + self._release(i, k, effects.active[k])
                self._waiting = None
            else:  # nothing to release in any run: the release is +0.0 (turns -0.0 to 0.0)
                self._idle[i] = True  # until more is held (nothing else changes the holding)
                if not zero_added:
                    shipped = shipped + 0.0
                    zero_added = True
        no_routes = self.no_routes
        return BorderDay(
            shipped, leak, no_routes if newly_held is None else newly_held, no_routes if lost is None else lost
        )

    def _releasing(self, i: int, k: int) -> bool:
        """Whether :meth:`_release` could release anything or change its state today, in any run.

        Without a release rate, goods held at origin up to ``EPS_T`` stay there (a rate
        starts only above it); all of them leave at once in a run whose ``release_days`` is 0.
        """
        held = self.held[i]
        spread = (self.release_rate[i] != 0) | (held > EPS_T) | (held < 0.0)
        return anywhere(np.where(self.release_days[k] == 0, held != 0, spread))

    def _release(self, i: int, k: int, on: np.ndarray) -> np.ndarray:
        """Held goods of shock ``k`` leaving today: none while it is on, then all or ``1/release_days`` a day.

        Runs may differ in ``release_days``: a run with 0 lets all out at once (the rate it
        may get that day is cleared with its holding).
        """
        held = self.held[i]
        days = self.release_days[k]  # (B,)
        at_once = days == 0
        starting = ~on & (self.release_rate[i] <= 0) & (held > EPS_T)
        self.release_rate[i] = np.where(starting, held / np.where(at_once, 1, days), self.release_rate[i])
        out = np.where(on, 0.0, np.where(at_once, held, np.minimum(held, self.release_rate[i])))
        self.held[i] = held - out
        self.release_rate[i] = np.where(self.held[i] > EPS_T, self.release_rate[i], 0.0)
        return out

    def _licences(
        self, day: int, i: int, k: int, shipped: np.ndarray, on: np.ndarray, decided: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """New applications on shock ``k``'s routes while it applies; approvals due today ship.

        ``decided``: what the shock ``k`` follows approved today (in ``shipped``, not applying
        again here); None when it follows none or that one comes later in the plan.
        Returns what ships, what this shock approved and what it refused today.
        """
        shock = self.shocks[k]
        pending = self.pending[i]
        weights, refused_share, own_slots = self.processing[i]
        applies = on & ~_suspended(day, shock.suspended)
        today = day % (len(weights) if own_slots is None else own_slots)  # one slot, or one per run
        if anywhere(applies):
            applying = shipped if decided is None else shipped - decided
            applications = np.where(self.masks[k] & applies, applying * self.end_use[k], 0.0)
            shipped = shipped - applications
            _queue(pending, weights * applications[None], today, own_slots, self.ring_slots[i])
            refused = applications * refused_share
        else:  # no run applies: every application is +0.0, which changes neither ``shipped`` nor the queue
            # (the queue never holds -0.0: it starts at +0.0 and is only added to); nothing is refused either,
            # and the shared zeros stand for it: the caller only adds them (``_added``), never writes them
            refused = self.no_routes
        if own_slots is None:
            approved = pending[today].copy()
            pending[today] = 0.0
        else:
            at = today[None, None, None, None, :]
            approved = np.take_along_axis(pending, at, axis=0)[0]
            np.put_along_axis(pending, at, 0.0, axis=0)
        return shipped + approved, approved, refused

    def _quota(
        self,
        day: int,
        i: int,
        k: int,
        shipped: np.ndarray,
        on: np.ndarray,
        lost_share: np.ndarray | None = None,
        contracted: np.ndarray | None = None,
        everywhere: bool | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Cap shock ``k``'s routes at what is left of the period's quota, shared as the quota says.

        Each region claims room for what it ordered, less what an embargo or quota cut will
        stop for good (``lost_share``, with ``claims: deliverable``): then licences are not
        spent on cargo that cannot leave, and the room they would take goes to the others the
        same day. Each region's licensed share of its claim applies to all it ordered.
        ``contracted`` (routes' normal flows, with ``sharing: contracts_first``) are served first.
        ``everywhere``: whether ``on`` holds in every run, if known.
        Returns what ships and what the quota stopped for good (not smuggled), both new arrays;
        the latter holds no -0.0 (as ``0.0 + stopped``: the sum of the day's quotas starts from it).
        """
        if everywhere is None:
            everywhere = bool(on.all())
        kept = None if lost_share is None else 1.0 - lost_share  # what an embargo or quota cut lets through
        claims = shipped if kept is None else shipped * kept
        shock = self.shocks[k]
        age = day - self.start[k]
        in_period = np.mod(age, shock.period_days)
        used = np.where(on & (in_period == 0), 0.0, self.quota_used[i])
        tonnes = self.magnitude[k]
        cap = tonnes if shock.front_loaded else tonnes * (in_period + 1) / shock.period_days
        room = np.maximum(0.0, cap - used)  # (B,)
        box = self.boxes[k]
        by_region = self._by_region(k, claims)
        total = ordered_sum(by_region, axis=0)
        if contracted is None:
            allowed = _share_out(by_region, room, shock.preference, total)  # (R, B)
            granted = np.minimum(total, room)
        else:  # normal flows that can leave: with deliverable claims, less what is stopped for good
            contract = self._by_region(k, contracted if kept is None else contracted * kept)
            # a quota open all at once keeps room for the normal flows of the period's later active days
            later_days = 0
            if shock.front_loaded:
                later_days = np.maximum(0, np.minimum(shock.period_days - 1 - in_period, self.end[k] - day - 1))
            allowed = _contracts_first(by_region, contract, room, ordered_sum(contract, axis=0) * later_days)
            granted = ordered_sum(allowed, axis=0)  # less than the room when some of it is kept
        self.quota_used[i] = np.where(on, used + granted, self.quota_used[i])
        finite = bool(np.isfinite(total).all())
        if box is not None and finite:
            # outside the block the full computation ships ``shipped`` and stops 0 - 0 x scale = +0.0
            # (every scale is finite), so only the block is worked out
            block = shipped[box]
            through, stopped = _capped(shock, block, by_region, allowed, box[0], finite)
            shipped_out, lost = shipped.copy(), np.zeros(self.route_shape)
            shipped_out[box] = through if everywhere else np.where(on, through, block)
            if stopped is not None:  # + 0.0 on the block alone: the zeros around it are +0.0
                np.add(stopped if everywhere else np.where(on, stopped, 0.0), 0.0, out=lost[box])
            return shipped_out, lost
        mask = self.masks[k]
        flows = np.where(mask, shipped, 0.0)  # not a block, or one with non-finite flows: the full computation
        through, stopped = _capped(shock, flows, by_region, allowed, slice(None), finite)
        lost = np.zeros(self.route_shape) if stopped is None else stopped + 0.0
        if everywhere:  # the same values as selecting by ``on`` below
            return np.where(mask, through, shipped), lost
        return np.where(mask & on, through, shipped), np.where(on, lost, 0.0)

    def _by_region(self, k: int, routes: np.ndarray) -> np.ndarray:
        """``routes`` (R, M, S, B) summed over shock ``k``'s materials and supplier, per (region, run)."""
        box = self.boxes[k]
        if box is not None:  # the quota's routes are a block: add them up alone
            by_region = np.zeros(self.route_shape[::3])
            by_region[box[0]] = ordered_sum(ordered_sum(routes[box], axis=-2), axis=1) + self.box_zero[k]
            return by_region
        return ordered_sum(ordered_sum(np.where(self.masks[k], routes, 0.0), axis=-2), axis=1)


def _capped(
    shock: ShockPlan,
    flows: np.ndarray,
    by_region: np.ndarray,
    allowed: np.ndarray,
    regions: slice,
    finite: bool,
) -> tuple[np.ndarray, np.ndarray | None]:
    """What of the quota's ``flows`` ships and what it stops for good (None: nothing, it binds in no run).

    Each region's flows are scaled by ``allowed / by_region`` (rows ``regions`` of those
    (region, run) arrays); a smuggling share of what is stopped flows anyway. Where the
    quota binds in no run and the flows are finite every scale is exactly 1, so what ships
    is the flows plus +0.0 (as ``kept + stopped x smuggling_share``) and nothing is stopped.
    """
    if finite and (allowed == by_region).all():
        return flows + 0.0, None
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(by_region > 0, allowed / by_region, 1.0)[regions, None, None, :]
    kept = flows * scale
    stopped = flows - kept
    through = kept + stopped * shock.smuggling_share
    return through, stopped if shock.smuggling_share == 0.0 else stopped * (1.0 - shock.smuggling_share)


def _block(mask: np.ndarray) -> tuple[slice, slice, slice] | None:
    """``mask`` (region, material, supplier) as a block of contiguous slices, or None if it is not one.

    >>> _block(np.array([[[True, False]], [[True, False]]]))
    (slice(0, 2, None), slice(0, 1, None), slice(0, 1, None))
    >>> _block(np.array([[[True, False]], [[False, True]]])) is None
    True
    """
    spans = []
    for axis in range(3):
        used = np.flatnonzero(mask.any(axis=tuple(a for a in range(3) if a != axis)))
        if used.size == 0 or used[-1] - used[0] + 1 != used.size:
            return None
        spans.append(slice(int(used[0]), int(used[-1]) + 1))
    box = (spans[0], spans[1], spans[2])
    return box if bool(mask[box].all()) else None


def _suspended(day: int, windows: tuple[tuple[int, int], ...]) -> bool:
    return any(first <= day < end for first, end in windows)


def _share_out(
    wanted: np.ndarray, room: np.ndarray, preference: tuple[int, ...], total: np.ndarray | None = None
) -> np.ndarray:
    """What each region (first axis) gets of ``room``: pro rata to ``wanted``, or preferred regions first.

    ``total``: ``ordered_sum(wanted, axis=0)`` if already worked out.

    >>> _share_out(np.array([[30.0], [10.0]]), np.array([20.0]), ())
    array([[15.],
           [ 5.]])
    >>> _share_out(np.array([[30.0], [10.0]]), np.array([20.0]), (1, 0))
    array([[10.],
           [10.]])
    """
    if total is None:
        total = ordered_sum(wanted, axis=0)
    if not preference:  # divided only where the total exceeds the room (>= 0): never by 0, never inf / inf
        scale = scale_down_to(room, total, total > room)
        return wanted * scale[None]
    out = np.zeros_like(wanted)
    left = np.array(room, dtype=float)
    order = [*preference, *(r for r in range(len(wanted)) if r not in preference)]
    for r in order:
        out[r] = np.minimum(wanted[r], left)
        left = left - out[r]
    return out


def _contracts_first(wanted: np.ndarray, contract: np.ndarray, room: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """What each region (first axis) gets of ``room`` when normal flows (``contract``) are served first.

    Each region's claim up to its contract comes first, pro rata to those claims when the
    room cannot cover them; what room is left beyond ``kept`` (the normal flows of the
    period's later days, for a quota open all at once) goes pro rata to the claims beyond
    them. A run whose room covers every claim and ``kept`` gets exactly its claims.

    >>> orders, contracts = np.array([[90.0], [10.0]]), np.array([[20.0], [10.0]])
    >>> _contracts_first(orders, contracts, np.array([40.0]), np.array([0.0]))
    array([[30.],
           [10.]])
    >>> _contracts_first(orders, contracts, np.array([15.0]), np.array([0.0]))
    array([[10.],
           [ 5.]])
    >>> _contracts_first(orders, contracts, np.array([100.0]), np.array([60.0]))  # 60 t kept for later days
    array([[30.],
           [10.]])
    >>> _contracts_first(np.array([[90.0], [5.0]]), contracts, np.array([15.0]), np.array([0.0]))  # 5 t below 10
    array([[12.],
           [ 3.]])
    """
    first = np.minimum(wanted, contract)
    served = _share_out(first, room, ())
    left = room - ordered_sum(served, axis=0) - kept
    shared = served + _share_out(wanted - first, np.maximum(0.0, left), ())
    return np.where(ordered_sum(wanted, axis=0) > room - kept, shared, wanted)


def _added(total: np.ndarray | None, more: np.ndarray) -> np.ndarray:
    """``total + more``, where no total yet is zeros: ``more + 0.0`` (as zeros + ``more``: -0.0 becomes 0.0)."""
    return more + 0.0 if total is None else total + more


def _queue(
    pending: np.ndarray, due: np.ndarray, today: int | np.ndarray, own_slots: np.ndarray | None, slot: np.ndarray
) -> None:
    """Add ``due`` (slot ``j``: due ``j`` days ahead) to the ring ``pending``, at slot ``(today + j) % slots``.

    With ``own_slots`` (per run) each run's ring is as long as its own: its slot ``s`` below that gets what is due
    ``(s - today) % slots`` days ahead, one addition a day as in a ring of its own, and the slots past it get its
    zeros (+0.0 to +0.0), so each run's numbers are those of a batch of its own. ``slot``: the ring's slot numbers
    ``0 .. len(due) - 1`` shaped (slot, 1), made once per batch.
    """
    if own_slots is None:  # one ring length: two slices
        slots = len(due)
        pending[today:] += due[: slots - today]
        pending[:today] += due[slots - today :]
        return
    ahead = np.where(slot < own_slots[None], (slot - today[None]) % own_slots[None], slot)  # (slot, run)
    pending += np.take_along_axis(due, ahead[:, None, None, None, :], axis=0)
