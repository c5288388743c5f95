"""The batched fast path: many runs of one structure advanced together, day by day.

Layer: engines. Where the reference engine lets SimPy schedule shocks, reviews and shipments for one
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

from simulator.allocator import keep_freed_memory
from simulator.events import EventLog, log_arrivals, log_kernel_events
from simulator.kernel import Kernel, active_flags
from simulator.plan import Plan
from simulator.quantities import curve_names, daily
from simulator.randomness import Draws
from simulator.records import MarketDay, ProcurementDay

CURVE_COLUMNS = curve_names()
CurveRequest = bool | tuple[str, ...]
"""Per-day curves to keep: none (False), ``CURVE_COLUMNS`` (True), or the named daily quantities."""


def kept_curves(curves: CurveRequest) -> tuple[str, ...]:
    """The names of the per-day curves ``curves`` asks for.

    >>> kept_curves(True) == CURVE_COLUMNS, kept_curves(False), kept_curves(("days_of_cover",))
    (True, (), ('days_of_cover',))
    """
    return CURVE_COLUMNS if curves is True else tuple(curves or ())


@dataclass(frozen=True)
class BatchResult:
    """Finished summaries (see :meth:`SummaryAccumulator.finish`) and optional curves."""

    summary: dict[str, np.ndarray]
    curves: dict[str, np.ndarray] | None
    """Per kept curve: (run, day, then its other axes) as ``run_batch``'s ``curve_dtype``, float32 unless asked
    otherwise (a view of day-major storage)."""


class _Ring:
    """Shipments in transit by arrival day modulo the ring length, stored (slot, cell, run).

    ``put`` adds each shipment to the slot of its arrival day. When every run has the
    same lead time for a cell (no delay shock differs between runs) every cell is added
    to its slot in one indexed operation; otherwise each value is scattered to its slot,
    whose flat offset is worked out for that day only (a few operations of one day's
    size, so lead times that change often, as with delay shocks starting on random
    days, cost no more than fixed ones). The layout of the last few lead-time arrays
    is kept (the kernel hands out the same arrays while the active shocks do not
    change; leaks use a second one).
    """

    KEEP = 8
    """Lead-time layouts kept."""

    def __init__(self, batch: int, length: int, shape: tuple[int, ...]) -> None:
        self.batch, self.length, self.shape = batch, length, shape
        self.cells = int(np.prod(shape))
        self._nothing = np.zeros((*shape, batch))  # the arrivals of every day until something is shipped
        self._nothing.flags.writeable = False
        self.slots = np.zeros((0, self.cells, batch))  # (length, cells, runs) from the first shipment on: a ring
        self.flat = self.slots.reshape(-1)  # that is never used (no refills, say) costs no memory
        self.used = False
        self._layouts: dict[int, tuple[np.ndarray, np.ndarray | None, np.ndarray | None]] = {}
        self._cell_run: np.ndarray | None = None  # offset of each (cell, run) within a slot, made on first need
        self._cells = np.arange(self.cells)

    def take(self, day: int) -> np.ndarray:
        """Arrivals of ``day`` as (*shape, runs) (a view, valid until the next ``clear``)."""
        if not self.used:
            return self._nothing
        return self.slots[day % self.length].reshape(*self.shape, self.batch)

    def clear(self, day: int) -> None:
        """Empty the slot of ``day`` for reuse, once its arrivals are used."""
        if self.used:
            self.slots[day % self.length] = 0.0

    def _layout(self, lead: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        """The lead time of each cell (same in every run), or of each (cell, run), flat."""
        kept = self._layouts.get(id(lead))
        if kept is not None and kept[0] is lead:
            return kept[1], kept[2]
        assert int(np.max(lead)) < self.length, "a shipment would wrap around the ring"
        per_cell = np.broadcast_to(lead, (*self.shape, self.batch)).reshape(self.cells, self.batch)
        by_cell: np.ndarray | None = None
        per_value = None
        if (per_cell == per_cell[:, :1]).all():
            by_cell = np.array(per_cell[:, 0], dtype=np.int64)
        else:
            per_value = np.ascontiguousarray(per_cell, dtype=np.int64).reshape(-1)
        if len(self._layouts) >= self.KEEP:
            self._layouts.pop(next(iter(self._layouts)))
        self._layouts[id(lead)] = (lead, by_cell, per_value)  # the array is kept: its id stays its own
        return by_cell, per_value

    def _offsets(self, day: int, per_value: np.ndarray) -> np.ndarray:
        """Flat offsets into ``slots`` of shipments leaving on ``day`` with lead times ``per_value``."""
        if self._cell_run is None:
            self._cell_run = np.arange(self.cells * self.batch)
        offsets = per_value + day
        offsets %= self.length
        offsets *= self.cells * self.batch
        offsets += self._cell_run
        return offsets

    def put(self, day: int, tonnes: np.ndarray, lead: np.ndarray) -> None:
        """Add shipments leaving on ``day`` with ``lead`` days in transit (one per cell)."""
        if not self.used:
            self.slots = np.zeros((self.length, self.cells, self.batch))
            self.flat = self.slots.reshape(-1)
            self.used = True
        by_cell, per_value = self._layout(lead)
        flat = tonnes.reshape(self.cells, self.batch)
        if by_cell is not None:  # one (slot, cell) pair per cell: no cell is added twice
            self.slots[(day + by_cell) % self.length, self._cells] += flat
        else:
            assert per_value is not None
            self.flat[self._offsets(day, per_value)] += flat.reshape(-1)


def _ring_length(plan: Plan, draws: Draws) -> int:
    """Longest possible time in transit plus one: delays of overlapping shocks add up."""
    extra = sum(int(draws.shock_magnitude[k].max()) for k, sh in enumerate(plan.shocks) if sh.kind == "delay")
    leak = int(draws.shock_leak_extra_days.max(initial=0))  # the longest of any run: slots are only indices
    return int(plan.lead_time_days.max()) + extra + leak + 1


def run_batch(
    plan: Plan,
    draws: Draws,
    curves: CurveRequest = False,
    log: EventLog | None = None,
    metrics: tuple[str, ...] | None = None,
    curve_dtype: type[np.floating] = np.float32,
) -> BatchResult:
    """Simulate every run of a stacked plan; return summaries (and curves if asked).

    ``curves``: True keeps the daily quantities of ``CURVE_COLUMNS``; a tuple keeps the
    named daily quantities of the registry (records ``market`` and ``procurement``, or
    cumulative ones), each with its own axes. The kernel works in float64; the curves are
    kept as ``curve_dtype``: float32 (about seven significant digits, half the memory of a
    sweep's ``--curves`` and the explorer's pages) unless a caller needs the values as
    computed (a calibration's model values, float64). ``metrics``: the summary metrics worked out
    (None: all of them; the summary then has just these and what they are computed from,
    see :func:`~simulator.metrics.needed_metrics`). With ``log``, the schedule's events (see
    :mod:`simulator.events`) are logged into it. The process keeps freed memory for the
    next batch (:func:`~simulator.allocator.keep_freed_memory`).
    """
    keep_freed_memory()
    st = plan.structure
    B, R, M, S = plan.batch, len(st.regions), len(st.materials), len(st.suppliers)
    names = kept_curves(curves)
    if metrics is not None:  # a cumulative curve is its source's running sum
        metrics = (*metrics, *(str(daily(n).source) for n in names if daily(n).aggregation == "cumulative"))
    sizes = {"region": R, "material": M, "supplier": S}
    kept = {
        name: np.zeros(
            (st.horizon_days, *(sizes[a] for a in daily(name).axes if a not in ("day", "run")), B), curve_dtype
        )
        for name in names
    }
    market_curves, procurement_curves = _curve_sources(kept)  # kept day-major like the kernel, handed out runs first
    # the event log reads any field; otherwise only the summary and the kept curves read the market's record
    reads = None if log is not None else [source for _, source, cumulative in market_curves if not cumulative]
    kernel = Kernel(plan, draws, metrics, reads)
    length = _ring_length(plan, draws)
    commercial, refill = _Ring(B, length, (R, M, S)), _Ring(B, length, (R, M, S))
    pool = _Ring(B, length, (M, S))
    review_days = plan.review_days  # (R, B)
    order_up_to = plan.order_up_to
    any_reviews = bool(order_up_to.any())
    no_review = np.zeros(order_up_to.shape, bool)
    yesterday = np.zeros((len(plan.shocks), B), bool)
    switches = _switch_days(draws)
    active = active_flags(draws.shock_start, draws.shock_end, st.first_day)
    for day in range(st.first_day, st.horizon_days):
        if day in switches:  # else the same flags as the day before: the same array
            active = active_flags(draws.shock_start, draws.shock_end, day)
        market = None
        if day >= 0:
            arrivals = (commercial.take(day), refill.take(day), pool.take(day))
            market = kernel.market(day, active, *arrivals)
            if kept:
                _keep(market_curves, day, market, kernel)
            if log is not None:
                log_arrivals(log, day, *arrivals)
            for ring in (commercial, refill, pool):
                ring.clear(day)
        review_due = order_up_to & (day % review_days == 0) if any_reviews and day >= 0 else no_review
        shipments = kernel.procure(day, active, review_due)
        if procurement_curves and day >= 0:
            _keep(procurement_curves, day, shipments, kernel)
        if log is not None:
            _log_schedule(log, plan, day, active, yesterday, review_due, market, shipments)
            yesterday = active
        _dispatch(day, shipments, commercial, refill, pool, kernel.has_refill)
    by_run = {c: np.moveaxis(v, -1, 0) for c, v in kept.items()} if names else None
    return BatchResult(kernel.summary.finish(), by_run)


_Curves = list[tuple[np.ndarray, str, bool]]
"""Curves one record fills: the storage, the record field or summary source, whether cumulative."""


def _curve_sources(kept: dict[str, np.ndarray]) -> tuple[_Curves, _Curves]:
    """The curves the market's record fills (with the cumulative ones) and those procurement's fills."""
    market: _Curves = []
    procurement: _Curves = []
    for name, storage in kept.items():
        q = daily(name)
        if q.aggregation == "cumulative":
            assert q.source is not None
            market.append((storage, q.source, True))
        elif name in MarketDay.__dataclass_fields__:
            market.append((storage, name, False))
        elif name in ProcurementDay.__dataclass_fields__:
            procurement.append((storage, name, False))
    return market, procurement


def _keep(curves: _Curves, day: int, record: MarketDay | ProcurementDay, kernel: Kernel) -> None:
    """Store day ``day`` of the ``curves`` ``record`` fills (the cumulative ones: the accumulator's running sums)."""
    for storage, source, cumulative in curves:
        storage[day] = kernel.summary.running(source) if cumulative else getattr(record, source)


def _log_schedule(
    log: EventLog,
    plan: Plan,
    day: int,
    active: np.ndarray,
    yesterday: np.ndarray,
    review_due: np.ndarray,
    market: MarketDay | None,
    shipments: ProcurementDay,
) -> None:
    """Log the day's shock switches and reviews (the fast path's own schedule) and the kernel's events."""
    ids = tuple(sh.id for sh in plan.shocks)
    log.flags(day, "shock_on", active & ~yesterday, ids)
    log.flags(day, "shock_off", ~active & yesterday, ids)
    log.flags(day, "review", review_due, plan.structure.regions)
    if day >= 0:
        log_kernel_events(log, day, market, shipments)


def _switch_days(draws: Draws) -> frozenset[int]:
    """The days some shock starts or ends in some run: the only days the active flags can change.

    >>> from types import SimpleNamespace as D
    >>> sorted(_switch_days(D(shock_start=np.array([[3, 5]]), shock_end=np.array([[9, 5]]))))
    [3, 5, 9]
    """
    return frozenset(np.union1d(draws.shock_start, draws.shock_end).tolist())


def _dispatch(day: int, s: ProcurementDay, commercial: _Ring, refill: _Ring, pool: _Ring, refills: bool) -> None:
    """Put the day's shipments in their rings; ``refills``: whether the plan can refill national reserves at all."""
    commercial.put(day, s.commercial_shipments_t, s.commercial_lead_days)
    if refills and s.refill_shipments_t.any():  # adding zeros changes nothing (without refills they are zeros)
        refill.put(day, s.refill_shipments_t, s.commercial_lead_days)
    if s.pool_shipments_t is not None and s.pool_lead_days is not None and s.pool_shipments_t.any():
        pool.put(day, s.pool_shipments_t, s.pool_lead_days)
    if s.leak_shipments_t is not None and s.leak_lead_days is not None and s.leak_shipments_t.any():
        commercial.put(day, s.leak_shipments_t, s.leak_lead_days)
