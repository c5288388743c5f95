"""Results of a run: recorded days, tidy tables, summary metrics and the manifest.

Tables, one per grain, each documented in ``docs/outputs.md``:

- ``timeseries``: one row per day, region and material;
- ``summary``: one row per region and material, plus rows with ``region == "all"``
  for agreement-wide figures (per material, and ``material == "all"``);
- ``supply``: one row per day, region, material and supplier;
- ``pool``: one row per day and material (joint pool);
- ``releases``: one row per release decision of the agreement;
- ``auctions``: one row per auction held.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from simulator.kernel import MarketDay, Shipments, State
from simulator.kernel.agreement import RULE_NAMES
from simulator.plan import Plan, Structure
from simulator.randomness import Draws
from simulator.release.level import ordered_sum
from simulator.scenario.schema import Scenario

ALL = "all"

# timeseries column -> MarketDay field, in contract order (DESIGN §6), then extras
_MARKET_COLUMNS = {
    "baseline_demand_t": "baseline_demand_t",
    "demand_t": "demand_t",
    "arrivals_t": "arrivals_t",
    "supplied_t": "supplied_t",
    "released_t": None,
    "shortfall_t": "shortfall_t",
    "shortfall_cum_t": None,
    "commercial_stock_t": "commercial_stock_t",
    "reserve_stock_t": "reserve_stock_t",
    "in_transit_t": None,
    "days_of_cover": "days_of_cover",
    "released_national_t": "released_national_t",
    "released_joint_t": "released_joint_t",
    "released_auction_t": "released_auction_t",
    "released_rule_t": "released_rule_t",
    "lent_t": "lent_t",
    "auction_stock_t": "auction_stock_t",
    "pool_share_t": "pool_share_t",
    "refill_arrivals_t": "refill_arrivals_t",
    "reserve_in_transit_t": None,
    "auction_spend_usd": "auction_spend_usd",
    "holding_cost_usd": "holding_usd",
}
_PROCUREMENT_COLUMNS = {
    "ordered_t": "ordered_t",
    "resourced_t": "resourced_t",
    "procurement_premium_usd": "premium_usd",
    "resourcing_cost_usd": "resourcing_usd",
    "refill_cost_usd": "refill_usd",
}
SUMMARY_METRICS = (
    "demand_t",
    "shortfall_t",
    "shortfall_share",
    "max_daily_shortfall_t",
    "shortfall_days",
    "first_shortfall_day",
    "min_days_of_cover",
    "released_t",
    "end_reserve_t",
    "released_national_t",
    "released_joint_t",
    "released_auction_t",
    "released_rule_t",
    "lent_t",
    "end_commercial_t",
    "ordered_t",
    "resourced_t",
    "auction_spend_usd",
    "procurement_premium_usd",
    "resourcing_cost_usd",
    "refill_cost_usd",
    "holding_cost_usd",
)
AGREEMENT_METRICS = (
    "total_shortfall_t",
    "fairness_jain",
    "max_shortfall_share_gap",
    "pool_end_t",
    "unused_release_t",
)


class Recorder:
    """Collects one run's days (batch of 1) into dense arrays and decision logs."""

    def __init__(self, plan: Plan) -> None:
        st = plan.structure
        H, R, M, S = st.horizon_days, len(st.regions), len(st.materials), len(st.suppliers)
        self.structure = st
        self.columns = {name: np.zeros((H, R, M)) for name in (*_MARKET_COLUMNS, *_PROCUREMENT_COLUMNS)}
        self.arrivals_by_supplier = np.zeros((H, R, M, S))
        self.shipped_by_supplier = np.zeros((H, R, M, S))
        self.pool = np.zeros((H, M))
        self.pool_arrivals = np.zeros((H, M))
        self.auction_price = np.full((H, M), np.nan)
        self.rule = np.zeros((H, M), dtype=np.int64)
        self.releases: list[dict[str, Any]] = []
        self.auctions: list[dict[str, Any]] = []
        self.summary: dict[str, np.ndarray] = {}

    def add_market(self, day: int, m: MarketDay, shortfall_cum: np.ndarray) -> None:
        """Store day ``day``'s market (kernel arrays: batch of 1, runs last)."""
        for column, field_name in _MARKET_COLUMNS.items():
            if field_name is not None:
                self.columns[column][day] = getattr(m, field_name)[..., 0]
        self.columns["released_t"][day] = (m.released_national_t + m.released_joint_t)[..., 0]
        self.columns["shortfall_cum_t"][day] = shortfall_cum[..., 0]
        self.arrivals_by_supplier[day] = m.arrivals_by_supplier_t[..., 0]
        self.pool[day] = m.pool_t[..., 0]
        self.pool_arrivals[day] = m.pool_arrivals_t[..., 0]
        if m.agreement is not None:
            self._log_agreement(day, m)

    def add_procurement(self, day: int, s: Shipments, state: State) -> None:
        """Store day ``day``'s procurement and the pipelines at the end of the day."""
        for column, field_name in _PROCUREMENT_COLUMNS.items():
            self.columns[column][day] = getattr(s, field_name)[..., 0]
        self.shipped_by_supplier[day] = s.shipped_t[..., 0]
        self.columns["in_transit_t"][day] = state.in_transit[..., 0]
        self.columns["reserve_in_transit_t"][day] = state.national_in_transit[..., 0]

    def _log_agreement(self, day: int, m: MarketDay) -> None:
        a = m.agreement
        assert a is not None
        st = self.structure
        members = st.member_names
        self.rule[day] = a.rule[:, 0]
        self.auction_price[day] = a.clearing_price[:, 0]
        for j, material in enumerate(st.materials):
            if a.decided[j, 0]:
                row: dict[str, Any] = {
                    "day": day,
                    "material": material,
                    "mechanism": RULE_NAMES[int(a.rule[j, 0])],
                    "available_t": a.available_t[j, 0],
                    "released_t": float(a.from_rule_t[:, j, 0].sum()),
                }
                for n, member in enumerate(members):
                    row[f"gap_t.{member}"] = a.gap_t[n, j, 0]
                    row[f"from_auction_stock_t.{member}"] = a.from_balance_t[n, j, 0]
                    row[f"allocated_t.{member}"] = a.from_rule_t[n, j, 0]
                    row[f"lent_t.{member}"] = a.lent_t[n, j, 0]
                self.releases.append(row)
            if a.auction_held[j, 0]:
                won = a.won_t[:, j, 0]
                row = {
                    "day": day,
                    "material": material,
                    "lot_t": a.lot_t[j, 0],
                    "clearing_price_usd_per_kg": a.clearing_price[j, 0],
                    "sold_t": float(won.sum()),
                    "unsold_t": float(a.lot_t[j, 0] - won.sum()),
                }
                for n, member in enumerate(members):
                    row[f"bid_t.{member}"] = a.bid_t[n, j, 0]
                    row[f"won_t.{member}"] = won[n]
                    row[f"spend_usd.{member}"] = a.spend_usd[n, j, 0]
                self.auctions.append(row)


def _dates(start: dt.date | None, days: np.ndarray) -> list[str]:
    if start is None:
        return [""] * len(days)
    origin = np.datetime64(start)
    return [str(d) for d in origin + days.astype("timedelta64[D]")]


def date_of(start: dt.date | None, day: int) -> dt.date | None:
    """Calendar date of a model day (None without a start date)."""
    return None if start is None else start + dt.timedelta(days=int(day))


def date_label(start: dt.date | None, day: int) -> str:
    """``14 Oct 2010`` for a day with a start date, ``day 105`` without.

    >>> date_label(dt.date(2010, 7, 1), 105), date_label(None, 105)
    ('14 Oct 2010', 'day 105')
    """
    when = date_of(start, day)
    return f"day {day}" if when is None else f"{when.day} {when:%b %Y}"


@dataclass
class Result:
    """One run's tables and summary (inputs live in ``scenario``, never mixed in)."""

    scenario: Scenario
    structure: Structure
    seed: int
    timeseries: pd.DataFrame
    summary: pd.DataFrame
    supply: pd.DataFrame
    pool: pd.DataFrame
    releases: pd.DataFrame
    auctions: pd.DataFrame
    shocks: pd.DataFrame
    """One row per shock as it happened in this run (drawn values for random ones)."""
    portfolio: pd.DataFrame
    """Sourcing shares per region, material and supplier, before and after quotas."""
    metrics: dict[str, float] = field(default_factory=dict)
    """Flat per-run metrics as in a sweep table (``shortfall_t.japan`` ...)."""
    summary_arrays: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    """The finished summary accumulator (batch of one), the source of the tables above."""

    @property
    def start_date(self) -> dt.date | None:
        """Calendar date of day 0."""
        return self.scenario.start_date

    @classmethod
    def build(cls, scenario: Scenario, plan: Plan, seed: int, rec: Recorder, draws: Draws) -> Result:
        """Tables from a finished reference run."""
        st = plan.structure
        summary_arrays = rec.summary or {}
        return cls(
            scenario=scenario,
            structure=st,
            seed=seed,
            timeseries=_timeseries(st, scenario.start_date, rec),
            summary=summary_frame(st, summary_arrays, 0),
            supply=_supply(st, scenario.start_date, rec),
            pool=_pool(st, scenario.start_date, rec),
            releases=_log_frame(rec.releases, scenario.start_date, release_columns(st)),
            auctions=_log_frame(rec.auctions, scenario.start_date, auction_columns(st)),
            shocks=shock_table(plan, draws, 0),
            portfolio=portfolio_table(plan),
            metrics=flat_metrics(st, summary_arrays, 0),
            summary_arrays=summary_arrays,
        )


def portfolio_table(plan: Plan) -> pd.DataFrame:
    """Normal sourcing shares and the shares after quotas, with the premium per tonne shipped."""
    st = plan.structure
    rows = []
    for i, region in enumerate(st.regions):
        for j, material in enumerate(st.materials):
            for k, supplier in enumerate(st.suppliers):
                base, share = plan.base_shares[0, i, j, k], plan.shares[0, i, j, k]
                if base > 0 or share > 0:
                    rows.append(
                        {
                            "region": region,
                            "material": material,
                            "supplier": supplier,
                            "normal_share": float(base),
                            "share": float(share),
                            "premium_fraction_of_price": float(plan.premium_fraction[0, i, j, k]),
                        }
                    )
    return pd.DataFrame(rows)


def shock_table(plan: Plan, draws: Draws, run: int) -> pd.DataFrame:
    """Shock windows of run ``run``: id, kind, first and last active day, magnitude."""
    rows = []
    for k, shock in enumerate(plan.shocks):
        start, end = int(draws.shock_start[run, k]), int(draws.shock_end[run, k])
        first, last = date_of(plan.start_date, start), date_of(plan.start_date, end - 1)
        rows.append(
            {
                "id": shock.id,
                "kind": shock.kind,
                "start_day": start,
                "end_day": end,
                "start_date": str(first) if first else "",
                "last_date": str(last) if last else "",
                "magnitude": float(draws.shock_magnitude[run, k]),
            }
        )
    columns = ["id", "kind", "start_day", "end_day", "start_date", "last_date", "magnitude"]
    return pd.DataFrame(rows, columns=columns)


def _timeseries(st: Structure, start: dt.date | None, rec: Recorder) -> pd.DataFrame:
    H, R, M = st.horizon_days, len(st.regions), len(st.materials)
    days = np.arange(H)
    frame: dict[str, Any] = {
        "day": np.repeat(days, R * M),
        "date": np.repeat(np.array(_dates(start, days), dtype=object), R * M),
        "region": np.tile(np.repeat(np.array(st.regions, dtype=object), M), H),
        "material": np.tile(np.array(st.materials, dtype=object), H * R),
    }
    for name, values in rec.columns.items():
        frame[name] = values.reshape(-1)
    per_material = lambda a: np.repeat(a, R, axis=0).reshape(-1)  # noqa: E731  (H, M) -> rows
    frame["auction_price_usd_per_kg"] = per_material(rec.auction_price)
    rules = np.array([RULE_NAMES[int(c)] if c else "" for c in rec.rule.reshape(-1)], dtype=object)
    frame["release_rule"] = per_material(rules.reshape(H, M))
    return pd.DataFrame(frame)


def _supply(st: Structure, start: dt.date | None, rec: Recorder) -> pd.DataFrame:
    H, R, M, S = rec.arrivals_by_supplier.shape
    days = np.arange(H)
    return pd.DataFrame(
        {
            "day": np.repeat(days, R * M * S),
            "date": np.repeat(np.array(_dates(start, days), dtype=object), R * M * S),
            "region": np.tile(np.repeat(np.array(st.regions, dtype=object), M * S), H),
            "material": np.tile(np.repeat(np.array(st.materials, dtype=object), S), H * R),
            "supplier": np.tile(np.array(st.suppliers, dtype=object), H * R * M),
            "shipped_t": rec.shipped_by_supplier.reshape(-1),
            "arrivals_t": rec.arrivals_by_supplier.reshape(-1),
        }
    )


def _pool(st: Structure, start: dt.date | None, rec: Recorder) -> pd.DataFrame:
    H, M = rec.pool.shape
    days = np.arange(H)
    return pd.DataFrame(
        {
            "day": np.repeat(days, M),
            "date": np.repeat(np.array(_dates(start, days), dtype=object), M),
            "material": np.tile(np.array(st.materials, dtype=object), H),
            "pool_stock_t": rec.pool.reshape(-1),
            "pool_arrivals_t": rec.pool_arrivals.reshape(-1),
        }
    )


def _log_frame(rows: list[dict[str, Any]], start: dt.date | None, columns: list[str]) -> pd.DataFrame:
    """A decision log; with no rows it still has its header (``day, date, ...``)."""
    frame = pd.DataFrame(rows, columns=columns)
    frame.insert(1, "date", _dates(start, frame["day"].to_numpy()) if len(frame) else [])
    return frame


def release_columns(st: Structure) -> list[str]:
    """Columns of ``releases.csv`` (without ``date``)."""
    members = st.member_names
    per_member = [f"{k}.{m}" for m in members for k in ("gap_t", "from_auction_stock_t", "allocated_t", "lent_t")]
    return ["day", "material", "mechanism", "available_t", "released_t", *per_member]


def auction_columns(st: Structure) -> list[str]:
    """Columns of ``auctions.csv`` (without ``date``)."""
    members = st.member_names
    per_member = [f"{k}.{m}" for m in members for k in ("bid_t", "won_t", "spend_usd")]
    return ["day", "material", "lot_t", "clearing_price_usd_per_kg", "sold_t", "unsold_t", *per_member]


def summary_frame(st: Structure, s: dict[str, np.ndarray], run: int) -> pd.DataFrame:
    """Summary table of run ``run`` of a finished accumulator (see module docstring)."""
    rows: list[dict[str, Any]] = []
    for i, region in enumerate(st.regions):
        for j, material in enumerate(st.materials):
            row: dict[str, Any] = {"region": region, "material": material}
            row.update({k: _scalar(s[k][run, i, j]) for k in SUMMARY_METRICS if k in s})
            rows.append(row)
    for j, material in enumerate(st.materials):
        row = {"region": ALL, "material": material}
        row.update({k: _scalar(s[f"by_material.{k}"][run, j]) for k in AGREEMENT_METRICS})
        rows.append(row)
    row = {"region": ALL, "material": ALL}
    row.update({k: _scalar(s[f"agreement.{k}"][run]) for k in AGREEMENT_METRICS})
    rows.append(row)
    frame = pd.DataFrame(rows)
    for column in ("shortfall_days", "first_shortfall_day"):  # whole numbers, empty in the "all" rows
        frame[column] = frame[column].astype("Int64")
    return frame


REGION_TOTALS = (
    "shortfall_t",
    "demand_t",
    "released_t",
    "shortfall_days",
    "auction_spend_usd",
    "procurement_premium_usd",
    "resourcing_cost_usd",
    "refill_cost_usd",
    "holding_cost_usd",
)
REGION_MATERIAL_METRICS = ("shortfall_t", "shortfall_share", "min_days_of_cover", "first_shortfall_day", "released_t")


def metric_columns(st: Structure, s: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per-run metrics of a finished batch as flat columns, the columns of a sweep table.

    Agreement-wide metrics keep their names (``total_shortfall_t``); region metrics are
    summed over materials (minimum cover: lowest; first shortfall: earliest, -1 for none)
    as ``<metric>.<region>``, and given per material as ``<metric>.<region>.<material>``.
    """
    out: dict[str, np.ndarray] = {k: s[f"agreement.{k}"] for k in AGREEMENT_METRICS}
    for i, region in enumerate(st.regions):
        for k in REGION_TOTALS:
            out[f"{k}.{region}"] = ordered_sum(s[k][:, i], axis=-1)
        demand = out[f"demand_t.{region}"]
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"shortfall_share.{region}"] = np.where(demand > 0, out[f"shortfall_t.{region}"] / demand, 0.0)
        cover = s["min_days_of_cover"][:, i]
        out[f"min_days_of_cover.{region}"] = np.where(
            np.isnan(cover).all(axis=-1), np.nan, np.nanmin(np.where(np.isnan(cover), np.inf, cover), axis=-1)
        )
        firsts = s["first_shortfall_day"][:, i]
        earliest = np.where(firsts >= 0, firsts, np.iinfo(np.int64).max).min(axis=-1)
        out[f"first_shortfall_day.{region}"] = np.where((firsts >= 0).any(axis=-1), earliest, -1)
        for j, material in enumerate(st.materials):
            for k in REGION_MATERIAL_METRICS:
                out[f"{k}.{region}.{material}"] = s[k][:, i, j]
    return out


def flat_metrics(st: Structure, s: dict[str, np.ndarray], run: int) -> dict[str, Any]:
    """One run's row of :func:`metric_columns` as plain Python values."""
    return {k: _scalar(v[run]) for k, v in metric_columns(st, s).items()}


def _scalar(value: Any) -> Any:
    """A plain Python number; NaN and infinities become None (empty in tables)."""
    value = np.asarray(value).item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value
