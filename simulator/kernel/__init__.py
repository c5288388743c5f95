"""The day-step kernel shared by the SimPy reference engine and the batched fast path.

Layer: engines. The kernel does the arithmetic of a day for a batch of runs (runs on
the last axis of every array, see :mod:`simulator.quantities`), with no notion of how
time passes: the engines decide when shocks switch, when shipments land and when
reviews fall due, and call :meth:`Kernel.market` and :meth:`Kernel.procure`.
Because both engines call the same functions on arrays that differ only in batch size,
they give bit-identical numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from simulator.kernel.border import Border
from simulator.kernel.market import Market
from simulator.kernel.procure import Procurement
from simulator.kernel.shocks import ShockEffects, active_flags
from simulator.kernel.state import State, initial_state
from simulator.mechanisms import BY_NAME
from simulator.metrics import SummaryAccumulator
from simulator.plan import Plan
from simulator.quantities import DAILY, Condition
from simulator.randomness import Draws
from simulator.records import MarketDay, ProcurementDay

__all__ = ["Kernel", "State", "active_flags"]


class Kernel:
    """State plus the day's steps for a batch of runs of one structure."""

    def __init__(
        self, plan: Plan, draws: Draws, metrics: Iterable[str] | None = None, reads: Iterable[str] | None = None
    ) -> None:
        """``metrics``: the summary metrics to accumulate (None: all; see :class:`SummaryAccumulator`).

        ``reads``: the fields of the day's :class:`MarketDay` the caller reads itself (None:
        every field). Output-only fields that neither it nor the summary reads are not worked
        out (:data:`~simulator.kernel.market.REPORTED`; they are None).
        """
        self.plan = plan
        self.state = initial_state(plan)
        self.effects = ShockEffects(plan, draws)
        self._market = Market(plan, draws.demand_z)
        self._procure = Procurement(plan, Border(plan, draws))
        self.has_refill = self._procure.any_refill
        self.has_pool_refill = self._procure.pool_refill
        self.summary = SummaryAccumulator(plan, skip=self.absent_flows(), only=metrics)
        if reads is not None:
            self._market.report_only(frozenset(reads) | self.summary.market_sources())

    def conditions(self) -> dict[Condition, bool]:
        """Whether each registry condition (``present_when``) holds for this plan."""
        st, procure = self.plan.structure, self._procure
        return {
            "always": True,
            "agreement": bool(st.members),
            "auction": st.mechanism is not None and BY_NAME[st.mechanism].holds_auctions,
            "national_pool": st.pool_mode == "national",
            "supply_sharing": st.mechanism is not None and BY_NAME[st.mechanism].shares_supply,
            "tender": bool(self.plan.tender_on.any()),
            "resourcing": procure.any_resourcing,
            "premium": procure.any_premium,
            "refill": procure.any_refill or procure.pool_refill,
            "pool_refill": procure.pool_refill,
            "holding": self._market.any_holding,
            "market": self.plan.market is not None,
            "demand_response": self._market.demand_response,
            "held": bool(procure.border.held_ids),
            "leak": procure.border.leaks,
            "licensing": bool(procure.border.licence_ids),
            "border": bool(procure.border.quota_ids or procure.border.licence_ids),
            "sale": bool(st.members) and st.settlement == "sale",
            "loan": bool(st.members) and st.settlement == "loan",
        }

    def absent_flows(self) -> frozenset[str]:
        """Daily quantities this plan can never make non-zero (the accumulator skips them)."""
        holds: dict[Condition, bool] = self.conditions()
        return frozenset(q.name for q in DAILY if not holds[q.present_when])

    def market(
        self,
        day: int,
        active: np.ndarray,
        arrivals: np.ndarray,
        refill_arrivals: np.ndarray,
        pool_arrivals: np.ndarray,
    ) -> MarketDay:
        """Run day ``day``'s market and fold it into the summary.

        ``active`` is (shock, run); arrivals are (region, material, supplier, run), pool
        arrivals (material, supplier, run).
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

    def procure(self, day: int, active: np.ndarray, review_due: np.ndarray) -> ProcurementDay:
        """Run day ``day``'s procurement (warm-up days included); ``review_due`` is (region, run)."""
        shipments = self._procure(day, self.state, self.effects(active), review_due)
        if day >= 0:
            self.summary.add_procurement(day, shipments)
        return shipments
