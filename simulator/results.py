"""Results of a run: recorded days, tidy tables, summary metrics.

Layer: model. What is recorded and which columns each table has, in which order, come
from the registry of quantities (:mod:`simulator.quantities`). Tables, one per grain,
each documented in ``docs/outputs.md``:

- ``timeseries``: one row per day, region and material;
- ``summary``: one row per region and material, plus rows with ``region == "all"``
  for agreement-wide figures (per material, and ``material == "all"``);
- ``supply``: one row per day, region, material and supplier;
- ``pool``: one row per day and material (joint pool);
- ``releases``: one row per release decision of the agreement;
- ``auctions``: one row per auction held.

Tables have the runs first (one run here); this is the boundary where the kernel's
runs-last arrays are turned around.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, overload

import numpy as np

from simulator.mechanisms import rule_name
from simulator.metrics import REGION
from simulator.numeric import EPS_T, ordered_sum, share_of
from simulator.plan import Plan, Structure, compile_plan
from simulator.quantities import (
    AGREEMENT_SUMMARY,
    ALL,
    DAILY,
    SHOCK_SIZE_COLUMN,
    SUMMARY,
    SUMMARY_DATES,
    Quantity,
    in_table,
    sweep_metric_names,
)
from simulator.randomness import Draws
from simulator.records import AgreementDay, MarketDay, ProcurementDay
from simulator.scenario.schema import Scenario
from simulator.table import Table

if TYPE_CHECKING:
    import pandas as pd

_RECORDED = tuple(q for q in DAILY if q.table is not None)


class Running(Protocol):
    """What the recorder reads running totals from (the summary accumulator)."""

    def running(self, name: str) -> np.ndarray:
        """The running value of summary metric ``name``, (region, material, run)."""
        ...


def _sizes(st: Structure) -> dict[str, int]:
    return {
        "day": st.horizon_days,
        "region": len(st.regions),
        "member": len(st.members),
        "material": len(st.materials),
        "supplier": len(st.suppliers),
    }


class Recorder:
    """Collects one run's days (batch of 1) into dense arrays and decision logs."""

    def __init__(self, plan: Plan) -> None:
        st = plan.structure
        sizes = _sizes(st)
        self.structure = st
        self.arrays: dict[str, np.ndarray] = {}
        for q in _RECORDED:
            shape = tuple(sizes[axis] for axis in q.axes if axis != "run")
            if q.dtype == "str":
                self.arrays[q.name] = np.zeros(shape, dtype=np.int64)  # codes; named in the table
            else:
                self.arrays[q.name] = np.full(shape, np.nan if q.grain == "decision" else 0.0)
        # per record, each field's name (for the recorder: its summary source) and its array with a
        # run axis of length 1 put back last: a kernel array (runs last) is stored as it is,
        # without making a view of its one run first (two NumPy calls a field and day instead of three)
        self._by_record = {
            record: [
                (q.name if record != "recorder" else str(q.source), self.arrays[q.name][..., None])
                for q in _RECORDED
                if q.record == record
            ]
            for record in ("market", "agreement", "procurement", "recorder")
        }
        self._logged = {table: in_table(table) for table in ("releases", "auctions")}
        self.releases: list[dict[str, Any]] = []
        self.auctions: list[dict[str, Any]] = []
        self.summary: dict[str, np.ndarray] = {}

    def add_market(self, day: int, m: MarketDay, totals: Running) -> None:
        """Store day ``day``'s market (kernel arrays: batch of 1, runs last)."""
        for name, stored in self._by_record["market"]:
            stored[day] = getattr(m, name)
        for source, stored in self._by_record["recorder"]:
            stored[day] = totals.running(source)
        if m.agreement is not None:
            for name, stored in self._by_record["agreement"]:
                stored[day] = getattr(m.agreement, name)
            if not m.agreement.is_quiet:  # a quiet day decides, draws and auctions nothing: no row
                self._log_agreement(day, m.agreement)

    def add_procurement(self, day: int, s: ProcurementDay) -> None:
        """Store day ``day``'s procurement and the pipelines at the end of the day."""
        for name, stored in self._by_record["procurement"]:
            stored[day] = getattr(s, name)

    def _log_agreement(self, day: int, a: AgreementDay) -> None:
        members = self.structure.member_names
        drawn = (a.released_auction_t > 0).any(axis=0)  # members drew stock they had bought at auction
        for j, material in enumerate(self.structure.materials):
            for table, happened, rows in (
                ("releases", a.decided | drawn, self.releases),
                ("auctions", a.auction_held, self.auctions),
            ):
                if happened[j, 0]:
                    row: dict[str, Any] = {"day": day, "material": material}
                    if table == "releases":
                        row["mechanism"] = rule_name(int(a.rule[j, 0]))
                    for q in self._logged[table]:
                        value = getattr(a, q.name)
                        if "member" in q.axes:
                            row.update({f"{q.column_name}.{m}": value[n, j, 0] for n, m in enumerate(members)})
                        else:
                            row[q.column_name] = value[j, 0]
                    rows.append(row)


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


def span_dates(start: dt.date | None, first: int, end: int) -> str:
    """Days ``first <= day < end`` as ``21 Sep - 27 Oct 2010`` (or ``days 82-118``).

    >>> span_dates(dt.date(2010, 7, 1), 82, 119), span_dates(None, 82, 119)
    ('21 Sep \u2013 27 Oct 2010', 'days 82\u2013118')
    """
    if start is None:
        return f"days {first}\u2013{end - 1}"
    a, b = start + dt.timedelta(days=first), start + dt.timedelta(days=end - 1)
    if a == b:
        return date_label(start, first)
    left = f"{a.day} {a:%b}" if a.year == b.year else f"{a.day} {a:%b %Y}"
    return f"{left} \u2013 {b.day} {b:%b %Y}"


class _Frame:
    """A table of a :class:`Result` as a pandas DataFrame, made from its columns on first use."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, result: None, owner: type) -> _Frame: ...

    @overload
    def __get__(self, result: Result, owner: type | None = None) -> pd.DataFrame: ...

    def __get__(self, result: Result | None, owner: type | None = None) -> pd.DataFrame | _Frame:
        return self if result is None else result._frame(self.name)


@dataclass
class Result:
    """One run's tables and summary (inputs live in ``scenario``, never mixed in).

    The tables are kept as columns (:class:`simulator.table.Table`, what ``stockpile run``
    writes); the attribute of each (``result.timeseries`` ...) is a pandas DataFrame
    made on first use.
    """

    scenario: Scenario
    structure: Structure
    seed: int
    tables: dict[str, Table] = field(repr=False)
    """The tables by name: the names of the attributes below."""
    metrics: dict[str, float] = field(default_factory=dict)
    """Every flat per-run metric, the run's row of a sweep table (``shortfall_t.japan``,
    ``total_shortfall_t.all.heavy_ree`` ...), in its order; regression baselines store some of them
    (:func:`simulator.quantities.in_baselines`, filtered by :func:`simulator.gate.baseline.run_record`)."""
    summary_arrays: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    """The finished summary accumulator (batch of one), the source of the tables above."""
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, init=False, repr=False, compare=False)

    def _frame(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            self._frames[name] = self.tables[name].frame()
        return self._frames[name]

    timeseries = _Frame()
    """One row per day, region and material."""
    summary = _Frame()
    """One row per region and material, plus the agreement-wide ``all`` rows."""
    supply = _Frame()
    """One row per day, region, material and supplier."""
    pool = _Frame()
    """One row per day and material: the joint pool."""
    market = _Frame()
    """One row per day and material: world price, perceived risk, market cover ratio."""
    releases = _Frame()
    """One row per release decision of the agreement."""
    auctions = _Frame()
    """One row per auction held."""
    shocks = _Frame()
    """One row per shock as it happened in this run (drawn values for random ones)."""
    portfolio = _Frame()
    """Sourcing shares per region, material and supplier, before and after quotas."""
    ledger = _Frame()
    """The settlement ledger: per member and material, paid in, drawn, paid, owed (empty without an agreement)."""

    def __repr__(self) -> str:
        """One line, not the scenario, structure and metrics in full (tens of thousands of characters).

        A result built in part (a field missing, or a scenario built in part) gets the plain object's
        repr rather than an error.
        """
        try:
            s = self.scenario
            return (
                f"<Result {s.name!r} seed={self.seed}: {s.horizon_days} days, {len(s.regions)} region(s) x "
                f"{len(s.materials)} material(s); tables {', '.join(self.tables)}; {len(self.metrics)} metrics>"
            )
        except (AttributeError, TypeError):
            return super().__repr__()

    @property
    def start_date(self) -> dt.date | None:
        """Calendar date of day 0."""
        return self.scenario.start_date

    @classmethod
    def build(cls, scenario: Scenario, plan: Plan, seed: int, rec: Recorder, draws: Draws) -> Result:
        """Tables from a finished reference run."""
        st = plan.structure
        start = scenario.start_date
        summary_arrays = rec.summary or {}
        tables = {
            "timeseries": _daily_table("timeseries", st, start, rec),
            "summary": summary_table(st, summary_arrays, 0, start),
            "supply": _daily_table("supply", st, start, rec),
            "pool": _daily_table("pool", st, start, rec),
            "market": _daily_table("market", st, start, rec),
            "releases": _log_table(rec.releases, start, log_columns("releases", st)),
            "auctions": _log_table(rec.auctions, start, log_columns("auctions", st)),
            "shocks": shock_table(plan, draws, 0),
            "portfolio": portfolio_table(plan),
            "ledger": ledger_table(plan, summary_arrays, rec.arrays["world_price_usd_per_kg"][-1], 0),
        }
        return cls(
            scenario=scenario,
            structure=st,
            seed=seed,
            tables=tables,
            metrics=flat_metrics(st, summary_arrays, 0),
            summary_arrays=summary_arrays,
        )


def shared_stock_held(result: Result, material: str) -> bool:
    """Whether the agreement has stock of ``material`` that a member's call could release, on some day.

    The stock it starts with (the pool's contributions; in ``national`` mode the share of the
    members' reserves that may be lent), else stock that comes later: the pool's stock at
    the end of a day, or in ``national`` mode a member's reserve when any share of it may be
    lent. ``False`` without an agreement. A question of the run's data, asked by the
    figures (whether to draw the trigger line) and the report (whether the pool ever held
    a material): here, below both, it reads the tables' columns (no pandas).
    """
    agreement = result.scenario.agreement
    if agreement is None:
        return False
    plan = compile_plan(result.scenario)
    assert plan.agreement is not None
    at_start = plan.agreement.contributed_t[:, list(plan.structure.materials).index(material), 0]
    if float(at_start.sum()) > EPS_T:
        return True
    if agreement.pool.mode == "joint":
        pool = result.tables["pool"].columns
        return bool((pool["pool_stock_t"][pool["material"] == material] > EPS_T).any())
    if agreement.pool.lendable_share <= 0:
        return False
    daily = result.tables["timeseries"].columns
    held = (daily["material"] == material) & np.isin(daily["region"], list(agreement.members))
    return bool((daily["reserve_stock_t"][held] > EPS_T).any())


def ledger_table(plan: Plan, s: dict[str, np.ndarray], end_price_usd_per_kg: np.ndarray, run: int) -> Table:
    """The settlement ledger of run ``run``: one row per member and material (``docs/outputs.md``).

    ``s`` is the finished summary, ``end_price_usd_per_kg`` the world price of the last
    day per material. Every column is a registry quantity of record ``ledger``.
    """
    st = plan.structure
    columns = [q.column_name for q in in_table("ledger", keys=True)]
    terms = plan.agreement
    if terms is None:
        return Table.from_rows([], columns)
    start_price = plan.price_usd_per_kg  # a material without a market: its fixed price (0 without one)
    if plan.market is not None:
        start_price = np.where(plan.market.market_on, plan.market.reference_price_usd_per_kg, start_price)
    joint = st.pool_mode == "joint"
    rule_total = ordered_sum(s["released_rule_t"][run, list(st.members)], axis=0)  # (material,)
    rows = []
    for n, i in enumerate(st.members):
        for j, material in enumerate(st.materials):
            one = {name: float(s[name][run, i, j]) for name in _LEDGER_SOURCES}
            owned = float(_at_run(terms.ownership_share, run)[n, j])
            contributed = float(_at_run(terms.contributed_t, run)[n, j])
            rule = one["released_rule_t"]
            end_price = float(end_price_usd_per_kg[j])  # NaN: no market and no price (its loans are valued at 0)
            settled = {kind: rule if st.settlement == kind else 0.0 for kind in ("grant", "sale", "loan")}
            row = {
                "member": st.regions[i],
                "material": material,
                "settlement": st.settlement,
                "contributed_t": contributed,
                "contributed_usd": contributed * float(_at_run(start_price, run)[j]) * 1000.0,
                "ownership_share": owned if joint else 0.0,
                "drawn_t": one["released_joint_t"],
                "drawn_auction_t": one["released_auction_t"],
                "drawn_rule_t": rule,
                "drawn_from_others_t": rule - (owned * float(rule_total[j]) if joint else one["lent_t"]),
                "grant_t": settled["grant"],
                "sale_t": settled["sale"],
                "loan_t": settled["loan"],
                "auction_paid_usd": one["auction_spend_usd"],
                "auction_revenue_usd": one["auction_revenue_usd"],
                "sale_paid_usd": one["settlement_paid_usd"],
                "sale_received_usd": one["settlement_received_usd"],
                "loan_returned_t": one["loan_repaid_t"],
                "loan_owed_t": one["loan_owed_t"],
                "loan_overdue_t": one["loan_overdue_t"],
                "loan_receivable_t": one["loan_receivable_t"],
                "end_price_usd_per_kg": end_price,
            }
            row["net_position_usd"] = (
                row["auction_revenue_usd"]
                + row["sale_received_usd"]
                - row["auction_paid_usd"]
                - row["sale_paid_usd"]
                + (row["loan_receivable_t"] - row["loan_owed_t"]) * (0.0 if np.isnan(end_price) else end_price) * 1000.0
            )
            rows.append(row)
    return Table.from_rows(rows, columns)


_LEDGER_SOURCES = (
    "released_joint_t",
    "released_auction_t",
    "released_rule_t",
    "lent_t",
    "auction_spend_usd",
    "auction_revenue_usd",
    "settlement_paid_usd",
    "settlement_received_usd",
    "loan_repaid_t",
    "loan_owed_t",
    "loan_overdue_t",
    "loan_receivable_t",
)
"""Summary metrics the ledger reads."""


def _at_run(values: np.ndarray, run: int) -> np.ndarray:
    """A plan array's values for run ``run`` (shared arrays have a run axis of length 1)."""
    return values[..., 0 if values.shape[-1] == 1 else run]


def portfolio_table(plan: Plan) -> Table:
    """Normal sourcing shares and the shares after quotas, with the premium per tonne shipped."""
    st = plan.structure
    rows = []
    for i, region in enumerate(st.regions):
        for j, material in enumerate(st.materials):
            for k, supplier in enumerate(st.suppliers):
                base, share = plan.normal_share[i, j, k, 0], plan.sourcing_share[i, j, k, 0]
                if base > 0 or share > 0:
                    rows.append(
                        {
                            "region": region,
                            "material": material,
                            "supplier": supplier,
                            "normal_share": float(base),
                            "sourcing_share": float(share),
                            "premium_fraction": float(plan.premium_fraction[i, j, k, 0]),
                        }
                    )
    return Table.from_rows(rows, _PORTFOLIO_COLUMNS)


def shock_table(plan: Plan, draws: Draws, run: int) -> Table:
    """Shock windows of run ``run``: id, kind, first and last active day, then the size columns.

    A shock's drawn size goes to the column of its kind's unit (:data:`SHOCK_SIZE_COLUMN`):
    ``severity`` (fraction), ``extra_days``, ``demand_factor``, ``quota_t_per_period`` (with
    ``quota_period_days``) or ``approval_share`` (fraction); its other size columns are NaN.
    An embargo also gives its ``leak_share``.
    """
    rows = []
    for k, shock in enumerate(plan.shocks):
        start, end = int(draws.shock_start[k, run]), int(draws.shock_end[k, run])
        first, last = date_of(plan.start_date, start), date_of(plan.start_date, end - 1)
        row: dict[str, Any] = {
            "id": shock.id,
            "kind": shock.kind,
            "start_day": start,
            "end_day": end,
            "start_date": str(first) if first else "",
            "last_date": str(last) if last else "",
        }
        row[SHOCK_SIZE_COLUMN[shock.kind]] = float(draws.shock_magnitude[k, run])  # whole days are floats too
        if shock.kind == "export_quota":
            row["quota_period_days"] = float(shock.period_days)
        if shock.kind == "embargo":
            row["leak_share"] = float(draws.shock_leak_share[k, run])
        rows.append(row)
    columns = [q.column_name for q in in_table("shocks", keys=True)]
    table = Table.from_rows(rows, columns)  # a column a row does not have is NaN there
    return Table(table.columns, nullable_int=_WHOLE_SIZES)


_WHOLE_SIZES = frozenset(
    q.column_name
    for q in in_table("shocks", keys=True)
    if q.dtype == "int" and q.column_name not in ("start_day", "end_day")
)
"""Size columns of ``shocks`` that hold whole numbers (days), empty where they do not apply: ``Int64``."""


_PORTFOLIO_COLUMNS = ("region", "material", "supplier", "normal_share", "sourcing_share", "premium_fraction")

_INDEX_AXES = {"timeseries": ("day", "region", "material"), "supply": ("day", "region", "material", "supplier")}


def _daily_table(table: str, st: Structure, start: dt.date | None, rec: Recorder) -> Table:
    """A per-day table: index columns of its grain, then its registry quantities in order.

    A quantity with fewer axes than the table's grain (a per-material figure in the
    time series) is repeated across the missing axes.
    """
    axes = _INDEX_AXES.get(table, ("day", "material"))
    sizes = _sizes(st)
    labels = {"region": st.regions, "material": st.materials, "supplier": st.suppliers}
    shape = tuple(sizes[a] for a in axes)
    rows = int(np.prod(shape))
    days = np.arange(st.horizon_days)
    frame: dict[str, np.ndarray] = {"day": np.repeat(days, rows // len(days))}
    frame["date"] = np.repeat(np.array(_dates(start, days), dtype=object), rows // len(days))
    for k, axis in enumerate(axes[1:], start=1):
        inner = int(np.prod(shape[k + 1 :]))
        frame[axis] = np.tile(np.repeat(np.array(labels[axis], dtype=object), inner), rows // (inner * shape[k]))
    for q in in_table(table):
        values = rec.arrays[q.name]
        own = tuple(a for a in q.axes if a != "run")
        if own != axes:  # repeat over the table's axes the quantity does not have
            values = np.broadcast_to(np.expand_dims(values, [k for k, a in enumerate(axes) if a not in own]), shape)
        flat = values.reshape(-1)
        if q.dtype == "str":
            names = np.array([rule_name(code) for code in range(int(flat.max(initial=0)) + 1)], dtype=object)
            flat = names[flat]
        frame[q.column_name] = flat
    return Table(frame)


def _log_table(rows: list[dict[str, Any]], start: dt.date | None, columns: list[str]) -> Table:
    """A decision log; with no rows it still has its header (``day, date, ...``)."""
    table = Table.from_rows(rows, columns)
    dates = np.array(_dates(start, table.columns["day"]) if rows else [], dtype=object)
    return Table({"day": table.columns["day"], "date": dates, **{c: table.columns[c] for c in columns[1:]}})


def log_columns(table: str, st: Structure) -> list[str]:
    """Columns of ``releases.csv`` or ``auctions.csv`` (without ``date``).

    The day and material, the rule applied (releases), the figures of the decision,
    then one block of columns per member (``<name>.<member>``).
    """
    quantities = in_table(table)
    head = ["day", "material", *(["mechanism"] if table == "releases" else [])]
    whole = [q.column_name for q in quantities if "member" not in q.axes]
    per_member = [f"{q.column_name}.{m}" for m in st.member_names for q in quantities if "member" in q.axes]
    return [*head, *whole, *per_member]


def summary_table(st: Structure, s: dict[str, np.ndarray], run: int, start: dt.date | None = None) -> Table:
    """Summary table of run ``run`` of a finished accumulator (see module docstring).

    The day metrics are given as calendar dates too (:data:`SUMMARY_DATES`, from ``start``).
    """
    rows: list[dict[str, Any]] = []
    for i, region in enumerate(st.regions):
        for j, material in enumerate(st.materials):
            row: dict[str, Any] = {"region": region, "material": material}
            row.update({q.name: _scalar(s[q.name][run, i, j]) for q in SUMMARY})
            for q in SUMMARY_DATES:
                assert q.dates is not None
                day = row[q.dates]
                row[q.name] = str(date_of(start, day)) if start is not None and day >= 0 else ""  # as `date`
            rows.append(row)
    for j, material in enumerate(st.materials):
        row = {"region": ALL, "material": material}
        row.update({q.name: _scalar(s[f"by_material.{q.name}"][run, j]) for q in AGREEMENT_SUMMARY})
        rows.append(row)
    row = {"region": ALL, "material": ALL}
    row.update({q.name: _scalar(s[f"agreement.{q.name}"][run]) for q in AGREEMENT_SUMMARY})
    rows.append(row)
    # whole numbers: the region metrics' are empty in the "all" rows, the agreement-wide ones' in the region rows
    whole = frozenset(q.name for q in (*SUMMARY, *AGREEMENT_SUMMARY) if q.dtype == "int")
    return Table(Table.from_rows(rows).columns, nullable_int=whole)


def _region_total(
    q: Quantity, s: dict[str, np.ndarray], i: int, flat: dict[str, np.ndarray], region: str
) -> np.ndarray:
    """Metric ``q`` of region ``i`` over all its materials, (run,)."""
    if q.region_total == "distinct":  # its own stream over the region's materials: a day counts once
        return s[f"{REGION}{q.name}"][:, i]
    values = s[q.name][:, i]
    if q.region_total == "sum":
        return ordered_sum(values, axis=-1)
    if q.region_total == "share":
        return share_of(flat[f"shortfall_t.{region}"], flat[f"demand_t.{region}"])
    if q.region_total == "min":
        return np.where(
            np.isnan(values).all(axis=-1), np.nan, np.nanmin(np.where(np.isnan(values), np.inf, values), axis=-1)
        )
    assert q.region_total == "first", q  # the last of the registry's choices (Quantity.__post_init__ refuses others)
    earliest = np.where(values >= 0, values, np.iinfo(np.int64).max).min(axis=-1)  # -1 means never
    return np.where((values >= 0).any(axis=-1), earliest, -1)


def metric_columns(st: Structure, s: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per-run metrics of a finished batch as flat columns, the columns of a sweep table.

    Agreement-wide metrics keep their names over all materials (``total_shortfall_t``, which
    adds the tonnes of every material) and are given per material as ``<metric>.all.<material>``;
    region metrics are aggregated over materials as their registry entry says
    (``region_total``) as ``<metric>.<region>``, and given per material as
    ``<metric>.<region>.<material>``. A summary of some metrics only
    (``run_batch(..., metrics=...)``) gives their columns only.
    """
    agreement = [q for q in AGREEMENT_SUMMARY if f"agreement.{q.name}" in s]
    out: dict[str, np.ndarray] = {q.name: s[f"agreement.{q.name}"] for q in agreement}
    for j, material in enumerate(st.materials):
        for q in agreement:
            if q.per_material:
                out[f"{q.name}.{ALL}.{material}"] = s[f"by_material.{q.name}"][:, j]
    region_metrics = [q for q in SUMMARY if q.name in s]
    for i, region in enumerate(st.regions):
        for q in region_metrics:
            if q.region_total:
                out[f"{q.name}.{region}"] = _region_total(q, s, i, out, region)
        for j, material in enumerate(st.materials):
            for q in region_metrics:
                if q.per_material:
                    out[f"{q.name}.{region}.{material}"] = s[q.name][:, i, j]
    assert list(out) == [
        c
        for c in sweep_metric_names(st.regions, st.materials)
        if (name := c.split(".", 1)[0]) in s or f"agreement.{name}" in s
    ]
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
