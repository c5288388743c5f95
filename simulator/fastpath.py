"""The batched fast path: many runs of one structure advanced together, day by day.

Where the reference engine lets SimPy schedule shocks, reviews and shipments for one
run, the fast path derives the same schedule arithmetically for a whole batch:

- a shock is active on day ``t`` when ``start <= t < end`` (per run);
- order-up-to reviews fall on days ``t >= 0`` with ``t % review_days == 0``;
- shipments wait in a ring buffer indexed by arrival day, added in departure order.

The arithmetic of each day is the shared :mod:`simulator.kernel`, called with a batch
of runs instead of one, so every number equals the reference engine's bit for bit (a
test checks this on every shipped scenario and mechanism). Memory is the batch's state
plus a ring of ``max lead time`` days; per-day curves are kept only when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.kernel import Kernel, Shipments, active_flags
from simulator.plan import Plan
from simulator.randomness import Draws

CURVE_COLUMNS = ("days_of_cover", "shortfall_t", "shortfall_cum_t")


@dataclass(frozen=True)
class BatchResult:
    """Finished summaries (see :meth:`SummaryAccumulator.finish`) and optional curves."""

    summary: dict[str, np.ndarray]
    curves: dict[str, np.ndarray] | None
    """Per column of ``CURVE_COLUMNS``: (B, H, R, M) float32 (a view of day-major storage)."""


class _Ring:
    """Shipments in transit by arrival day modulo the ring length, stored (slot, cell, run).

    ``put`` adds each shipment to the slot of its arrival day. When every run has the
    same lead time for a cell (no delay shock differs between runs) the cells with one
    lead time are added as a block; otherwise each value is scattered to its slot.
    """

    def __init__(self, batch: int, length: int, shape: tuple[int, ...]) -> None:
        self.batch, self.length, self.shape = batch, length, shape
        self.cells = int(np.prod(shape))
        self.slots = np.zeros((length, self.cells, batch))
        self.flat = self.slots.reshape(-1)
        self.used = False
        self._lead: np.ndarray | None = None
        self._groups: list[tuple[int, np.ndarray]] | None = None
        self._offsets: np.ndarray | None = None

    def take(self, day: int) -> np.ndarray:
        """Arrivals of ``day`` as (*shape, runs) (a view, valid until the next ``clear``)."""
        return self.slots[day % self.length].reshape(*self.shape, self.batch)

    def clear(self, day: int) -> None:
        """Empty the slot of ``day`` for reuse, once its arrivals are used."""
        if self.used:
            self.slots[day % self.length] = 0.0

    def _prepare(self, lead: np.ndarray) -> None:
        self._lead = lead
        per_cell = np.broadcast_to(lead, (*self.shape, self.batch)).reshape(self.cells, self.batch)
        if (per_cell == per_cell[:, :1]).all():
            values = per_cell[:, 0]
            self._groups = [(int(v), np.flatnonzero(values == v)) for v in np.unique(values)]
            self._offsets = None
        else:
            self._groups = None
            days = np.arange(self.length)[:, None, None]
            slot = (days + per_cell[None]) % self.length  # (slot of departure day, cell, run)
            cell = np.arange(self.cells)[None, :, None]
            run = np.arange(self.batch)[None, None, :]
            self._offsets = ((slot * self.cells + cell) * self.batch + run).reshape(self.length, -1)

    def put(self, day: int, tonnes: np.ndarray, lead: np.ndarray) -> None:
        """Add shipments leaving on ``day`` with ``lead`` days in transit (one per cell)."""
        self.used = True
        if lead is not self._lead:
            assert int(np.max(lead)) < self.length, "a shipment would wrap around the ring"
            self._prepare(lead)
        flat = tonnes.reshape(self.cells, self.batch)
        if self._groups is not None:
            for days, cells in self._groups:
                self.slots[(day + days) % self.length, cells] += flat[cells]
        else:
            assert self._offsets is not None
            self.flat[self._offsets[day % self.length]] += flat.reshape(-1)


def _ring_length(plan: Plan, draws: Draws) -> int:
    """Longest possible time in transit plus one: delays of overlapping shocks add up."""
    extra = sum(int(draws.shock_magnitude[:, k].max()) for k, sh in enumerate(plan.shocks) if sh.kind == "delay")
    return int(plan.lead_days.max()) + extra + 1


def run_batch(plan: Plan, draws: Draws, curves: bool = False) -> BatchResult:
    """Simulate every run of a stacked plan; return summaries (and curves if asked)."""
    st = plan.structure
    kernel = Kernel(plan, draws)
    B, R, M, S = plan.batch, len(st.regions), len(st.materials), len(st.suppliers)
    length = _ring_length(plan, draws)
    commercial, refill = _Ring(B, length, (R, M, S)), _Ring(B, length, (R, M, S))
    pool = _Ring(B, length, (M, S))
    review_days = plan.review_days
    order_up_to = plan.order_up_to
    any_reviews = bool(order_up_to.any())
    no_review = np.zeros(order_up_to.shape, bool)
    # curves are kept day-major like the kernel (H, R, M, B) and handed out runs first
    kept = {c: np.zeros((st.horizon_days, R, M, B), np.float32) for c in CURVE_COLUMNS} if curves else None
    for day in range(st.first_day, st.horizon_days):
        active = active_flags(draws.shock_start, draws.shock_end, day)
        if day >= 0:
            market = kernel.market(day, active, commercial.take(day), refill.take(day), pool.take(day))
            if kept is not None:
                kept["days_of_cover"][day] = market.days_of_cover
                kept["shortfall_t"][day] = market.shortfall_t
                kept["shortfall_cum_t"][day] = kernel.summary.shortfall_cum_t()
            for ring in (commercial, refill, pool):
                ring.clear(day)
        review_due = order_up_to & (day % review_days == 0) if any_reviews and day >= 0 else no_review
        shipments = kernel.procure(day, active, review_due)
        _dispatch(day, shipments, commercial, refill, pool)
    by_run = {c: np.moveaxis(v, -1, 0) for c, v in kept.items()} if kept is not None else None
    return BatchResult(kernel.summary.finish(), by_run)


def _dispatch(day: int, s: Shipments, commercial: _Ring, refill: _Ring, pool: _Ring) -> None:
    commercial.put(day, s.commercial_t, s.commercial_lead)
    if s.refill_t.any():  # adding zeros changes nothing
        refill.put(day, s.refill_t, s.commercial_lead)
    if s.pool_t is not None and s.pool_lead is not None and s.pool_t.any():
        pool.put(day, s.pool_t, s.pool_lead)
