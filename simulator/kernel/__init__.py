"""The day-step kernel shared by the SimPy reference engine and the batched fast path.

The kernel does the arithmetic of a day for a batch of runs (on the last axis of its
arrays, see :mod:`simulator.kernel.layout`), with no notion of how time passes: the
engines decide when shocks switch, when shipments land and when reviews fall due, and
call :meth:`Kernel.market` and :meth:`Kernel.procure`.
Because both engines call the same functions on arrays that differ only in batch size,
they give bit-identical numbers.
"""

from __future__ import annotations

import numpy as np

from simulator.kernel.layout import RunsLastPlan
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
        lanes = RunsLastPlan(plan)
        self.state = initial_state(lanes)
        self.effects = ShockEffects(lanes, draws.shock_magnitude)
        self._market = Market(lanes, draws.demand_z)
        self._procure = Procurement(lanes)
        self.has_refill = self._procure.any_refill
        self.has_pool_refill = self._procure.pool_refill
        self.summary = SummaryAccumulator(
            plan.batch, len(st.regions), len(st.materials), list(st.members), always_zero=self._absent_flows()
        )

    def _absent_flows(self) -> set[str]:
        """Summary sums whose flows this plan never has (skipped: adding zeros changes nothing)."""
        st, procure, market = self.plan.structure, self._procure, self._market
        absent = set()
        if not st.members:
            absent |= {"released_joint_t", "released_auction_t", "released_rule_t", "lent_t", "auction_spend_usd"}
        if st.mechanism not in ("auction", "hybrid"):
            absent |= {"released_auction_t", "auction_spend_usd"}
        if st.pool_mode != "national":
            absent.add("lent_t")
        if not procure.any_resourcing:
            absent |= {"resourced_t", "resourcing_cost_usd"}
        if not procure.any_premium:
            absent.add("procurement_premium_usd")
        if not (procure.any_refill or procure.pool_refill):
            absent.add("refill_cost_usd")
        if not market.any_holding:
            absent.add("holding_cost_usd")
        return absent

    def market(
        self,
        day: int,
        active: np.ndarray,
        arrivals: np.ndarray,
        refill_arrivals: np.ndarray,
        pool_arrivals: np.ndarray,
    ) -> MarketDay:
        """Run day ``day``'s market and fold it into the summary.

        ``active`` is (B, K); arrivals are (R, M, S, B), pool arrivals (M, S, B).
        """
        result = self._market(
            day,
            self.state,
            self.effects(active),
            arrivals,
            refill_arrivals if self.has_refill else None,
            pool_arrivals if self.has_pool_refill else None,
        )
        self.summary.add_market(day, result)
        return result

    def procure(self, day: int, active: np.ndarray, review_due: np.ndarray) -> Shipments:
        """Run day ``day``'s procurement (warm-up days included); ``review_due`` is (B, R)."""
        shipments = self._procure(day, self.state, self.effects(active), review_due)
        if day >= 0:
            self.summary.add_procurement(shipments)
        return shipments
