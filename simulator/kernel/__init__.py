"""The day-step kernel shared by the SimPy reference engine and the batched fast path.

The kernel does the arithmetic of a day for a batch of runs (leading axis), with no
notion of how time passes: the engines decide when shocks switch, when shipments land
and when reviews fall due, and call :meth:`Kernel.market` and :meth:`Kernel.procure`.
Because both engines call the same functions on arrays that differ only in batch size,
they give bit-identical numbers.
"""

from __future__ import annotations

import numpy as np

from simulator.kernel.market import Market, MarketDay
from simulator.kernel.procure import Procurement, Shipments
from simulator.kernel.shocks import Effects, ShockEffects, active_flags
from simulator.kernel.state import State, initial_state
from simulator.metrics import SummaryAccumulator
from simulator.plan import Plan
from simulator.randomness import Draws

__all__ = ["Effects", "Kernel", "MarketDay", "Shipments", "State", "active_flags"]


class Kernel:
    """State plus the day's steps for a batch of runs of one structure."""

    def __init__(self, plan: Plan, draws: Draws) -> None:
        st = plan.structure
        self.plan = plan
        self.draws = draws
        self.state = initial_state(plan)
        self.effects = ShockEffects(plan, draws.shock_magnitude)
        self._market = Market(plan, draws.noise)
        self._procure = Procurement(plan)
        self.summary = SummaryAccumulator(plan.batch, len(st.regions), len(st.materials), list(st.members))

    def market(
        self,
        day: int,
        active: np.ndarray,
        arrivals: np.ndarray,
        refill_arrivals: np.ndarray,
        pool_arrivals: np.ndarray,
    ) -> MarketDay:
        """Run day ``day``'s market and fold it into the summary."""
        result = self._market(day, self.state, self.effects(active), arrivals, refill_arrivals, pool_arrivals)
        self.summary.add_market(day, result)
        return result

    def procure(self, day: int, active: np.ndarray, review_due: np.ndarray) -> Shipments:
        """Run day ``day``'s procurement (warm-up days included)."""
        shipments = self._procure(day, self.state, self.effects(active), review_due)
        if day >= 0:
            self.summary.add_procurement(shipments)
        return shipments
