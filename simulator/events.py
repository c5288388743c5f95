"""The schedule as a log of events: what each engine decided happens on which day.

Layer: model. Both engines can write the same log (when one is passed in), so tests
compare the SimPy engine's calendar with the fast path's arithmetic schedule event by
event, and check both against logs worked out by hand. Logging is off by default and
costs nothing then.

Events (``subject`` and ``material`` are empty where they do not apply):

- ``shock_on`` / ``shock_off``: a shock switches (subject: shock id);
- ``review``: an order-up-to review falls due (subject: region);
- ``arrive``: commercial shipments land (subject: ``region/supplier``, quantity: t);
- ``refill_arrive``: reserve refills land (subject: ``region/supplier``);
- ``pool_arrive``: pool refills land (subject: ``supplier``);
- ``refill_order``: a reserve refill leaves (subject: region, quantity: t);
- ``pool_order``: a pool refill leaves (quantity: t);
- ``stand_down``: the agreement stands down for a material.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulator.numeric import EPS_T
from simulator.plan import Structure
from simulator.records import MarketDay, ProcurementDay


@dataclass(frozen=True, order=True)
class Event:
    """One scheduled event of one run."""

    run: int
    day: int
    kind: str
    subject: str
    material: str
    quantity: float = 0.0


@dataclass
class EventLog:
    """Events of a batch of runs, in the order they were logged."""

    structure: Structure
    events: list[Event] = field(default_factory=list)

    def add(self, run: int, day: int, kind: str, subject: str = "", material: str = "", quantity: float = 0.0) -> None:
        """Log one event."""
        self.events.append(Event(run, day, kind, subject, material, float(quantity)))

    def flags(self, day: int, kind: str, on: np.ndarray, subjects: tuple[str, ...]) -> None:
        """Log ``kind`` for each (subject, run) where ``on`` (subject, run) is true."""
        for i, b in zip(*np.nonzero(on), strict=True):
            self.add(int(b), day, kind, subjects[i])

    def per_material(self, day: int, kind: str, on: np.ndarray, tonnes: np.ndarray | None = None) -> None:
        """Log ``kind`` for each (material, run) where ``on`` (material, run) is true, with its ``tonnes``."""
        for j, b in zip(*np.nonzero(on), strict=True):
            quantity = 0.0 if tonnes is None else tonnes[j, b]
            self.add(int(b), day, kind, material=self.structure.materials[j], quantity=quantity)

    def routes(self, day: int, kind: str, tonnes: np.ndarray) -> None:
        """Log each route of ``tonnes`` (region, material, supplier, run) above rounding."""
        st = self.structure
        for i, j, k, b in zip(*np.nonzero(tonnes > EPS_T), strict=True):
            subject = f"{st.regions[i]}/{st.suppliers[k]}"
            self.add(int(b), day, kind, subject, st.materials[j], tonnes[i, j, k, b])

    def pool_routes(self, day: int, kind: str, tonnes: np.ndarray) -> None:
        """Log each pool route of ``tonnes`` (material, supplier, run) above rounding."""
        st = self.structure
        for j, k, b in zip(*np.nonzero(tonnes > EPS_T), strict=True):
            self.add(int(b), day, kind, st.suppliers[k], st.materials[j], tonnes[j, k, b])

    def cells(self, day: int, kind: str, tonnes: np.ndarray) -> None:
        """Log each (region, material, run) of ``tonnes`` above rounding."""
        st = self.structure
        for i, j, b in zip(*np.nonzero(tonnes > EPS_T), strict=True):
            self.add(int(b), day, kind, st.regions[i], st.materials[j], tonnes[i, j, b])

    def of_run(self, run: int, kinds: tuple[str, ...] | None = None) -> list[Event]:
        """One run's events (of ``kinds``), sorted by day, kind and subject."""
        return sorted(e for e in self.events if e.run == run and (kinds is None or e.kind in kinds))


def log_arrivals(log: EventLog, day: int, commercial: np.ndarray, refill: np.ndarray, pool: np.ndarray) -> None:
    """Log what landed on ``day`` (both engines call this with what their schedule unloaded)."""
    log.routes(day, "arrive", commercial)
    log.routes(day, "refill_arrive", refill)
    log.pool_routes(day, "pool_arrive", pool)


def log_kernel_events(log: EventLog, day: int, market: MarketDay | None, shipments: ProcurementDay) -> None:
    """Log the day's stand-downs and refill orders (decided by the shared kernel)."""
    if market is not None and market.agreement is not None:
        log.per_material(day, "stand_down", market.agreement.stood_down)
    log.cells(day, "refill_order", shipments.refill_shipments_t.sum(axis=-2))
    if shipments.pool_shipments_t is not None:
        pool = shipments.pool_shipments_t.sum(axis=-2)  # (material, run)
        log.per_material(day, "pool_order", pool > EPS_T, pool)
