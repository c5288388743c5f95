"""The reference engine: a SimPy model of one run.

Layer: engines. Time is in days; day ``t`` runs from ``t`` to ``t + 1``. Within a day, events happen
at fixed fractions so that their order never depends on SimPy's tie-breaking:

- ``t + 0.00`` shocks switch on or off; shipments land (arrive) for day ``t``;
- ``t + 0.50`` the market: arrivals, demand, supply, releases, shortfall;
- ``t + 0.70`` order-up-to reviews fall due;
- ``t + 0.75`` procurement: orders and refills leave suppliers.

Processes: one per shock (it switches the shock on at its start and off at its end),
one per order-up-to region (its review cycle), one for the daily cycle; the shipments
of a kind (commercial, refill, pool) due on the same day travel as one timeout event, made
by the first of them to leave, that lands them all when it ends. Goods already
in transit when a shock starts still arrive. The simulation starts before day 0 (the
warm-up) so that the pipeline is full on day 0, and a shock in force before day 0 has run
from its own start (:func:`simulator.plan.shock_reach`). The arithmetic of each day is the
shared :mod:`simulator.kernel`.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from simulator.arguments import whole
from simulator.errors import InputError
from simulator.events import EventLog, log_arrivals, log_kernel_events
from simulator.kernel import Kernel
from simulator.plan import Plan, compile_plan
from simulator.randomness import draw_run
from simulator.records import ProcurementDay
from simulator.results import Recorder, Result
from simulator.scenario.schema import MAX_SEED, Scenario

MARKET_AT = 0.5
REVIEW_AT = 0.7
PROCURE_AT = 0.75


class ReferenceEngine:
    """One run of one scenario in a SimPy environment."""

    def __init__(self, plan: Plan, seed: int, log: EventLog | None = None) -> None:
        """One run of ``plan`` with ``seed``; with ``log``, the schedule's events are logged into it."""
        if plan.batch != 1:
            raise ValueError("the reference engine runs one plan at a time")
        st = plan.structure
        self.plan = plan
        self.draws = draw_run(plan, seed)
        self.kernel = Kernel(plan, self.draws)
        self.env = simpy.Environment(initial_time=st.first_day)
        R, M, S = len(st.regions), len(st.materials), len(st.suppliers)
        self.route_shape = (R, M, S, 1)  # the kernel's layout: runs last
        self.pool_shape = (M, S, 1)
        self.active = np.zeros((len(plan.shocks), 1), bool)
        self.review_due = np.zeros((R, 1), bool)
        self.log = log
        # goods travelling, by kind and the day they are due; moved to ``landed`` when their timeout ends
        self.travelling: dict[str, dict[int, np.ndarray]] = {"commercial": {}, "refill": {}, "pool": {}}
        self.landed: dict[str, dict[int, np.ndarray]] = {"commercial": {}, "refill": {}, "pool": {}}
        self._lead_values: dict[tuple[int, tuple[int, ...]], tuple[np.ndarray, list[tuple[int, np.ndarray]]]] = {}
        # the arrivals of a day on which nothing of a kind lands: shared, read-only (the kernel
        # never writes to its inputs; the fast path hands it read-only zeros the same way)
        self.nothing = {"commercial": np.zeros(self.route_shape), "refill": np.zeros(self.route_shape)}
        self.nothing["pool"] = np.zeros(self.pool_shape)
        for zeros in self.nothing.values():
            zeros.flags.writeable = False
        self.recorder = Recorder(plan)

    def run(self) -> Recorder:
        """Simulate the horizon; return the recorded days."""
        st = self.plan.structure
        for k in range(len(self.plan.shocks)):
            self.env.process(self._shock(k))
        for r in np.flatnonzero(self.plan.order_up_to[:, 0]):
            self.env.process(self._review_cycle(int(r)))
        self.env.process(self._days())
        self.env.run(until=st.horizon_days)
        self.recorder.summary = self.kernel.summary.finish()
        return self.recorder

    def _shock(self, k: int) -> Generator[simpy.Event, Any, None]:
        start = int(self.draws.shock_start[k, 0])
        end = int(self.draws.shock_end[k, 0])
        if end <= max(start, self.env.now):  # over before the warm-up, or a drawn start after a fixed end
            return
        if start > self.env.now:
            yield self.env.timeout(start - self.env.now)
        self.active[k, 0] = True
        self._log_event("shock_on", self.plan.shocks[k].id)
        yield self.env.timeout(end - self.env.now)
        self.active[k, 0] = False
        self._log_event("shock_off", self.plan.shocks[k].id)

    def _review_cycle(self, region: int) -> Generator[simpy.Event, Any, None]:
        period = int(self.plan.review_days[region, 0])
        yield self.env.timeout(0 + REVIEW_AT - self.env.now)
        while True:
            self.review_due[region, 0] = True
            self._log_event("review", self.plan.structure.regions[region])
            yield self.env.timeout(period)

    def _log_event(self, kind: str, subject: str) -> None:
        if self.log is not None:
            self.log.add(0, int(np.floor(self.env.now)), kind, subject)

    def _days(self) -> Generator[simpy.Event, Any, None]:
        st = self.plan.structure
        yield self.env.timeout(MARKET_AT)
        for day in range(st.first_day, st.horizon_days):
            market = None
            if day >= 0:
                arrivals = [self._unload(kind, day) for kind in ("commercial", "refill", "pool")]
                market = self.kernel.market(day, self.active, *arrivals)
                self.recorder.add_market(day, market, self.kernel.summary)
                if self.log is not None:
                    log_arrivals(self.log, day, *arrivals)
            yield self.env.timeout(PROCURE_AT - MARKET_AT)
            shipments = self.kernel.procure(day, self.active, self.review_due)
            self.review_due[:] = False
            if day >= 0:
                self.recorder.add_procurement(day, shipments)
                if self.log is not None:
                    log_kernel_events(self.log, day, market, shipments)
            self._dispatch(day, shipments)
            # straight on to the next day's market: this process does nothing at the day's start
            # (one SimPy event a day fewer; the other processes' events keep their times)
            yield self.env.timeout(1.0 - PROCURE_AT + MARKET_AT)

    def _unload(self, kind: str, day: int) -> np.ndarray:
        landed = self.landed[kind].pop(day, None)
        return landed if landed is not None else self.nothing[kind]

    def _dispatch(self, day: int, shipments: ProcurementDay) -> None:
        self._send("commercial", day, shipments.commercial_shipments_t, shipments.commercial_lead_days)
        if self.kernel.has_refill:  # else the kernel's shared zeros: nothing to send
            self._send("refill", day, shipments.refill_shipments_t, shipments.commercial_lead_days)
        if shipments.pool_shipments_t is not None and shipments.pool_lead_days is not None:
            self._send("pool", day, shipments.pool_shipments_t, shipments.pool_lead_days)
        if shipments.leak_shipments_t is not None and shipments.leak_lead_days is not None:
            self._send("commercial", day, shipments.leak_shipments_t, shipments.leak_lead_days)

    def _send(self, kind: str, day: int, tonnes: np.ndarray, lead: np.ndarray) -> None:
        """Put shipments in transit with the goods of their kind due the same day.

        The first shipment due on a day makes the timeout that lands that day's goods; each
        shipment adds its tonnes to them in the order it leaves, so the sums (``0.0 + first +
        second ...``) are those of one timeout per shipment unloading in that order.
        """
        moving = tonnes > 0
        full = lead if lead.shape == tonnes.shape else np.broadcast_to(lead, tonnes.shape)
        due = set(full[moving].tolist())  # a handful of values: cheaper than np.unique
        if not due:  # nothing moves
            return
        by_lead = self._by_lead(lead, tonnes.shape)
        travelling = self.travelling[kind]
        for days, same_lead in by_lead:
            if days not in due:
                continue
            arrival = day + days
            cargo = travelling.get(arrival)
            if cargo is None:
                cargo = travelling[arrival] = np.zeros(tonnes.shape)
                transit = self.env.timeout(arrival - self.env.now)
                transit.callbacks.append(self._lander(kind, arrival))
            # adds where the lead is ``days`` only: elsewhere ``cargo + 0.0`` would be ``cargo`` (never -0.0)
            np.add(cargo, tonnes, out=cargo, where=same_lead)

    def _by_lead(self, lead: np.ndarray, shape: tuple[int, ...]) -> list[tuple[int, np.ndarray]]:
        """The distinct lead times of ``lead`` in increasing order, each with where it holds in ``shape``.

        Kept per lead-time array and shape: the kernel hands out the same array while the
        active shocks do not change (the array is kept with them, so that its id stays its
        own); the same array may be sent with tonnes of another shape (commercial (R, M, S, B),
        the pool's (M, S, B)), whose masks differ.
        """
        key = (id(lead), shape)
        kept = self._lead_values.get(key)
        if kept is not None and kept[0] is lead:
            return kept[1]
        full = np.broadcast_to(lead, shape)
        values = [(int(days), full == days) for days in sorted(set(full.ravel().tolist()))]
        if len(self._lead_values) >= 8:  # a few shock phases at a time
            self._lead_values.pop(next(iter(self._lead_values)))
        self._lead_values[key] = (lead, values)
        return values

    def _lander(self, kind: str, arrival: int) -> Any:
        def land(_event: simpy.Event) -> None:
            self.landed[kind][arrival] = self.travelling[kind].pop(arrival)

        return land


def simulate(scenario: Scenario, seed: int | None = None) -> Result:
    """Run a scenario once with the reference engine.

    Parameters
    ----------
    scenario
        A validated scenario (see :func:`simulator.load_scenario`).
    seed
        Overrides the scenario's seed: a whole number in [0, 4294967295], as the
        scenario's ``seed`` field.
    """
    if not isinstance(scenario, Scenario):
        raise InputError(
            "scenario: give a Scenario (from simulator.load_scenario(path)), or pass a file path, "
            f"a scenario name or scenario data to simulator.run instead; got {type(scenario).__name__}"
        )
    run_seed = scenario.seed if seed is None else whole(seed, "seed", 0, MAX_SEED)
    plan = compile_plan(scenario)
    engine = ReferenceEngine(plan, run_seed)
    recorder = engine.run()
    return Result.build(scenario, plan, run_seed, recorder, engine.draws)
