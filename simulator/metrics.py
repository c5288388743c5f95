"""Metrics: days of cover, fairness, and the streaming summary of a batch of runs.

Both engines feed every simulated day into the same :class:`SummaryAccumulator`, so
the reference engine and the batched fast path produce bit-identical summaries, and a
summary-only sweep needs memory for one day, not for whole curves. Sums run day by
day in order (the time series' ``shortfall_cum_t`` is the running sum itself).

Definitions (per run, region ``r`` and material ``m``; ``t`` over the horizon):

- ``demand_t = sum_t demand``; ``shortfall_t = sum_t shortfall``;
- ``shortfall_share = shortfall_t / demand_t`` (0 without demand);
- ``shortfall_days``: days with a shortfall above 1e-9 t;
- ``first_shortfall_day``: first such day (-1 when none);
- ``min_days_of_cover``: lowest end-of-day days of cover;
- ``released_t``: strategic stock received (own reserve + shared stock);
- ``end_reserve_t``: national reserve at the end.

Agreement-wide (over members, or over all regions without an agreement):
``total_shortfall_t``; ``fairness_jain``, Jain's index of the members' shortfall shares
(1 when equal, ``1/n`` when one member bears it all); ``max_shortfall_share_gap``, the
largest difference between two members' shortfall shares; ``pool_end_t``, unsold
joint pool stock at the end; ``unused_release_t``, shared stock that stayed in the
pool on days members were short (lags, caps, strict withholding, reserve prices).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulator.release.level import ordered_sum

if TYPE_CHECKING:
    from simulator.kernel.market import MarketDay
    from simulator.kernel.procure import Shipments

EPS_T = 1e-9
"""Tonnes below which a gap, loss or shortfall counts as none (rounding noise)."""


def days_of_cover(stock_t: np.ndarray, baseline_t_per_day: np.ndarray) -> np.ndarray:
    """Stock over baseline daily demand (days); NaN where there is no demand.

    >>> days_of_cover(np.array([600.0, 5.0]), np.array([10.0, 0.0]))
    array([60., nan])
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(baseline_t_per_day > 0, stock_t / baseline_t_per_day, np.nan)


def jain_index(shares: np.ndarray) -> np.ndarray:
    """Jain's fairness index ``(sum x)^2 / (n * sum x^2)`` over the last axis.

    Equal values give 1; all of the burden on one of ``n`` members gives ``1/n``; no
    burden at all counts as equal (1).

    >>> jain_index(np.array([0.2, 0.2])), jain_index(np.array([0.4, 0.0])), jain_index(np.zeros(3))
    (array(1.), array(0.5), array(1.))
    """
    x = np.asarray(shares, float)
    total = ordered_sum(x)
    squares = ordered_sum(x * x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(squares > 0, total * total / (x.shape[-1] * squares), 1.0)


# Columns summed day by day, (R, M, B) each: summary name -> MarketDay field
_MARKET_SUMS = {
    "demand_t": "demand_t",
    "shortfall_t": "shortfall_t",
    "released_national_t": "released_national_t",
    "released_joint_t": "released_joint_t",
    "released_auction_t": "released_auction_t",
    "released_rule_t": "released_rule_t",
    "lent_t": "lent_t",
    "auction_spend_usd": "auction_spend_usd",
    "holding_cost_usd": "holding_usd",
}
_PROCUREMENT_SUMS = {
    "ordered_t": "ordered_t",
    "resourced_t": "resourced_t",
    "procurement_premium_usd": "premium_usd",
    "resourcing_cost_usd": "resourcing_usd",
    "refill_cost_usd": "refill_usd",
}


class SummaryAccumulator:
    """Streaming per-run summary metrics of a batch (see the module docstring)."""

    def __init__(
        self, batch: int, regions: int, materials: int, members: list[int], always_zero: set[str] | None = None
    ) -> None:
        shape = (regions, materials, batch)  # runs last, like the kernel
        self.members = members
        self.sums = {name: np.zeros(shape) for name in (*_MARKET_SUMS, *_PROCUREMENT_SUMS)}
        skip = always_zero or set()
        self._market_sums = {k: v for k, v in _MARKET_SUMS.items() if k not in skip}
        self._procurement_sums = {k: v for k, v in _PROCUREMENT_SUMS.items() if k not in skip}
        self.max_daily_shortfall_t = np.zeros(shape)
        self.shortfall_days = np.zeros(shape, dtype=np.int64)
        self.first_shortfall_day = np.full(shape, -1, dtype=np.int64)
        self.min_days_of_cover = np.full(shape, np.inf)
        self.end_reserve_t = np.zeros(shape)
        self.end_commercial_t = np.zeros(shape)
        self.pool_end_t = np.zeros((materials, batch))
        self.unused_release_t = np.zeros((materials, batch))

    def add_market(self, day: int, m: MarketDay) -> None:
        """Fold in one day's market."""
        for name, field in self._market_sums.items():
            self.sums[name] += getattr(m, field)
        short = m.shortfall_t
        self.max_daily_shortfall_t = np.maximum(self.max_daily_shortfall_t, short)
        is_short = short > EPS_T
        self.shortfall_days += is_short
        self.first_shortfall_day = np.where((self.first_shortfall_day < 0) & is_short, day, self.first_shortfall_day)
        self.min_days_of_cover = np.fmin(self.min_days_of_cover, m.days_of_cover)
        self.end_reserve_t = m.reserve_stock_t
        self.end_commercial_t = m.commercial_stock_t
        self.pool_end_t = m.pool_t
        if m.agreement is not None:
            self.unused_release_t += m.agreement.unused_t

    def add_procurement(self, s: Shipments) -> None:
        """Fold in one day's procurement (days 0 and later only)."""
        for name, field in self._procurement_sums.items():
            self.sums[name] += getattr(s, field)

    def shortfall_cum_t(self) -> np.ndarray:
        """Running total shortfall so far, (R, M, B)."""
        return self.sums["shortfall_t"]

    def finish(self) -> dict[str, np.ndarray]:
        """Per (run, region, material) metrics and agreement-wide metrics per run.

        Region-material metrics have shape (B, R, M); keys starting with ``agreement.``
        have shape (B,) (or (B, M) for ``by_material.`` keys).
        """
        out = {name: _runs_first(values) for name, values in self.sums.items()}
        demand, short = out["demand_t"], out["shortfall_t"]
        with np.errstate(divide="ignore", invalid="ignore"):
            out["shortfall_share"] = np.where(demand > 0, short / demand, 0.0)
        out["released_t"] = out["released_national_t"] + out["released_joint_t"]
        out["max_daily_shortfall_t"] = _runs_first(self.max_daily_shortfall_t)
        out["shortfall_days"] = _runs_first(self.shortfall_days)
        out["first_shortfall_day"] = _runs_first(self.first_shortfall_day)
        lowest = _runs_first(self.min_days_of_cover)
        out["min_days_of_cover"] = np.where(np.isfinite(lowest), lowest, np.nan)
        out["end_reserve_t"] = _runs_first(self.end_reserve_t)
        out["end_commercial_t"] = _runs_first(self.end_commercial_t)
        pool_end, unused = _runs_first(self.pool_end_t), _runs_first(self.unused_release_t)
        members = self.members or list(range(demand.shape[1]))
        member_short = short[:, members]  # (B, N, M)
        member_demand = demand[:, members]
        total_short = ordered_sum(ordered_sum(member_short, axis=2), axis=1)
        share = _share(ordered_sum(member_short, axis=2), ordered_sum(member_demand, axis=2))  # (B, N)
        out["agreement.total_shortfall_t"] = total_short
        out["agreement.fairness_jain"] = jain_index(share)
        out["agreement.max_shortfall_share_gap"] = share.max(axis=1) - share.min(axis=1)
        out["agreement.pool_end_t"] = ordered_sum(pool_end, axis=1)
        out["agreement.unused_release_t"] = ordered_sum(unused, axis=1)
        share_m = _share(member_short, member_demand).transpose(0, 2, 1)  # (B, M, N)
        out["by_material.total_shortfall_t"] = ordered_sum(member_short, axis=1)
        out["by_material.fairness_jain"] = jain_index(share_m)
        out["by_material.max_shortfall_share_gap"] = share_m.max(axis=2) - share_m.min(axis=2)
        out["by_material.pool_end_t"] = pool_end
        out["by_material.unused_release_t"] = unused
        return out


def _runs_first(kernel_array: np.ndarray) -> np.ndarray:
    """A copy of a kernel array (runs on the last axis) with the runs first."""
    return np.moveaxis(kernel_array, -1, 0).copy()


def _share(short: np.ndarray, demand: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(demand > 0, short / demand, 0.0)
