"""Settlement of the stock members draw from the shared stock by the sharing rule.

Layer: engines. The agreement's ``settlement`` says how a tonne allocated by the rule
is paid for; nothing here moves stock, so a run's physical flows are the same under
every settlement (``grant`` computes nothing at all). Per day, member ``i`` and
material ``m``, with ``x_i`` the rule's allocation to ``i`` (t):

- ``sale``: ``i`` pays ``x_i x (1 - s_i) x p_i x 1000`` USD, ``s_i`` its ownership
  share of the joint pool (the part of its own share it draws is its own) and ``p_i``
  the set price or the price it pays that day (USD/kg); owner ``j`` receives ``s_j x``
  the value of the other members' draws. In national mode ``i`` pays for all of
  ``x_i`` and the lending members receive the payments by the tonnes each lent.
- ``loan``: ``i`` owes ``x_i x (1 - s_i)`` back in kind (national mode: ``x_i``); owner
  ``j`` is owed ``s_j x`` the other members' draws (national mode: the lending members
  the tonnes each lent). The shared stock's refill
  arrivals repay loans before the day's new borrowing: in joint mode the pool's refills,
  in national mode each lender's reserve refills up to what it is owed. A repayment is
  split among borrowers by what each owes, and credited to each one's oldest loans, so
  ``overdue = max(0, borrowed with a term ending within the horizon - returned)``.
- ``grant``: nothing is owed (the flows are zero and never computed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.kernel.state import State
from simulator.numeric import ordered_sum
from simulator.plan import Plan

USD_PER_T_PER_USD_PER_KG = 1000.0
"""A price in USD/kg times tonnes gives kilo-dollars: times 1000 for USD."""


@dataclass(frozen=True)
class SettledDay:
    """One day's settlement, (region, material, run) each."""

    paid_usd: np.ndarray
    received_usd: np.ndarray
    repaid_t: np.ndarray
    due_t: np.ndarray


class Settlement:
    """Settles a batch's rule draws day by day (see the module docstring)."""

    def __init__(self, plan: Plan, ownership: np.ndarray) -> None:
        """``ownership``: (region, material, run) ownership shares of the joint pool, 0 outside it."""
        assert plan.agreement is not None
        st = plan.structure
        self.kind = st.settlement
        self.joint = st.pool_mode == "joint"
        self.ownership = ownership
        self.set_price_usd_per_kg = plan.agreement.settlement_price_usd_per_kg
        self.term_days = plan.agreement.loan_term_days
        self.horizon_days = st.horizon_days

    def __call__(
        self,
        day: int,
        state: State,
        drawn: np.ndarray,
        lent: np.ndarray,
        price_usd_per_kg: np.ndarray,
        pool_arrived: np.ndarray,
        refilled: np.ndarray,
        zero: np.ndarray,
    ) -> SettledDay:
        """Settle today's rule draws ``drawn`` and lending ``lent`` (region, material, run).

        ``price_usd_per_kg`` is what each region pays today, ``pool_arrived`` (material,
        run) and ``refilled`` (region, material, run) today's refill arrivals; ``zero`` is
        the read-only zero array returned for flows of other settlements.
        """
        if self.kind == "sale":
            paid, received = self._sale(drawn, lent, price_usd_per_kg)
            return SettledDay(paid, received, zero, zero)
        repaid = self._repay(state, pool_arrived, refilled)
        borrowed = self._borrow(state, drawn, lent)
        due = np.where(day + self.term_days < self.horizon_days, borrowed, 0.0)
        return SettledDay(zero, zero, repaid, due)

    def _sale(self, drawn: np.ndarray, lent: np.ndarray, price: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        set_price = self.set_price_usd_per_kg
        value = drawn * np.where(np.isnan(set_price), price, set_price) * USD_PER_T_PER_USD_PER_KG
        if self.joint:  # the part of its own share a member draws is its own: it pays for the rest
            paid = value * (1.0 - self.ownership)
            return paid, self.ownership * (ordered_sum(value, axis=0)[None] - value)
        total = ordered_sum(value, axis=0)[None]
        lent_total = ordered_sum(lent, axis=0)[None]
        with np.errstate(divide="ignore", invalid="ignore"):
            return value, np.where(lent_total > 0, lent / lent_total * total, 0.0)

    def _repay(self, state: State, pool_arrived: np.ndarray, refilled: np.ndarray) -> np.ndarray:
        """Return loans in kind from today's refill arrivals; the borrowers' repayments."""
        owed = state.loan_owed
        owed_total = ordered_sum(owed, axis=0)[None]
        if self.joint:
            back = np.minimum(pool_arrived[None], owed_total)
            receivable_total = ordered_sum(state.loan_receivable, axis=0)[None]
            state.loan_receivable = _less_share(state.loan_receivable, receivable_total, back)
        else:
            recovered = np.minimum(refilled, state.loan_receivable)
            back = np.minimum(ordered_sum(recovered, axis=0)[None], owed_total)
            state.loan_receivable = state.loan_receivable - recovered
        repaid = owed - _less_share(owed, owed_total, back)
        state.loan_owed = owed - repaid
        return repaid

    def _borrow(self, state: State, drawn: np.ndarray, lent: np.ndarray) -> np.ndarray:
        """Record today's loans; return what was borrowed from others."""
        if self.joint:  # the part of its own share a member draws is its own: it borrows the rest
            borrowed = drawn * (1.0 - self.ownership)
            lenders = self.ownership * (ordered_sum(drawn, axis=0)[None] - drawn)
        else:
            borrowed, lenders = drawn, lent
        state.loan_owed = state.loan_owed + borrowed
        state.loan_receivable = state.loan_receivable + lenders
        return borrowed


def _less_share(amounts: np.ndarray, total: np.ndarray, taken: np.ndarray) -> np.ndarray:
    """``amounts`` less their pro rata share of ``taken`` out of ``total`` (all of it when ``taken >= total``)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        left = np.where(taken >= total, 0.0, amounts - amounts * (taken / total))
    return np.where(total > 0, np.maximum(0.0, left), amounts)
