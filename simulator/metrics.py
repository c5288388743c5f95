"""Metrics: days of cover, fairness, and the streaming summary of a batch of runs.

Layer: model. Both engines feed every simulated day into the same
:class:`SummaryAccumulator`, so the reference engine and the batched fast path produce
bit-identical summaries, and a summary-only sweep needs memory for one day, not for
whole curves. What is accumulated comes from the registry of quantities
(:mod:`simulator.quantities`): each summary metric names its daily source and its
aggregation (sum, min, max, first, last, count); the derived metrics are computed
here. Sums run day by day in order (the time series' ``shortfall_cum_t`` is the
running sum itself).

Definitions (per run, region ``r`` and material ``m``; ``t`` over the horizon):

- ``demand_t = sum_t demand``; ``shortfall_t = sum_t shortfall``;
- ``shortfall_share = shortfall_t / demand_t`` (0 without demand);
- ``shortfall_days``: days with a shortfall above 1e-9 t (per region over its materials,
  ``shortfall_days.<region>``: days the region was short of at least one material, each counted
  once, from a stream of its own, ``region.shortfall_days``);
- ``first_shortfall_day``: first such day (-1 when none);
- ``min_days_of_cover``: lowest end-of-day days of cover; ``min_days_of_cover_day``: the
  first day it is reached (-1 without cover); ``peak_price_day``: the first day the region
  paid its ``peak_price_usd_per_kg`` (-1 without a price);
- ``released_t``: strategic stock received (own reserve + shared stock);
- ``end_reserve_t``: national reserve at the end.

Agreement-wide (over members, or over all regions without an agreement):
``total_shortfall_t``; ``fairness_jain``, Jain's index of the members' shortfall shares
(1 when equal, ``1/n`` when one of ``n`` members bears it all); ``max_shortfall_share_gap``, the
largest difference between two members' shortfall shares. Both count only the members with
demand in the run (of the material, or of any material over all materials): a member
without demand has no shortfall share, not a share of 0 (with none, 1 and 0, as no burden);
``pool_end_t``, unsold
joint pool stock at the end; ``unused_release_t``, shared stock that stayed in the
pool on days members were short (lags, caps, strict withholding, reserve prices).
An agreement-wide metric may aggregate any daily number per material of the market's or the
agreement's record (:func:`agreement_sources`, read from the registry); over all materials it
adds the materials' figures, or, a count with ``region_total="distinct"``, counts each day once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from simulator.numeric import EPS_T, anywhere, ordered_sum, share_of
from simulator.plan import Plan
from simulator.quantities import AGREEMENT_DAY, AGREEMENT_SUMMARY, DAILY, SUMMARY, Quantity
from simulator.records import MarketDay, ProcurementDay
from simulator.shortages import short


def _per_material_number(q: Quantity) -> bool:
    """Whether daily quantity ``q`` is a number per material, axes (material, run) on each day."""
    return tuple(axis for axis in q.axes if axis != "day") == ("material", "run") and q.dtype != "str"


def summary_sources() -> dict[str, str]:
    """The daily quantities a summary metric (per region and material) may aggregate, and the record of each.

    The flows and stocks of the market's and the procurement's records (:data:`~simulator.quantities.DAILY`).
    """
    return {q.name: q.record for q in DAILY if q.record in ("market", "procurement")}


def agreement_sources() -> dict[str, str]:
    """The daily quantities an agreement-wide metric may aggregate, and the record of each.

    Every number per material (axes material, run) of the market's record (``pool_stock_t``, ...)
    and of the agreement's (:data:`~simulator.quantities.AGREEMENT_DAY`: ``released_total_t``,
    ``unused_t``, ...): the registry names them, no list here does.
    """
    daily = (*DAILY, *AGREEMENT_DAY)
    return {q.name: q.record for q in daily if q.record in ("market", "agreement") and _per_material_number(q)}


_OVER_MATERIALS = (None, "sum", "distinct")
"""An agreement-wide metric's ``region_total``: how its figure over all materials comes from the per-material ones
(None or ``sum``: their sum; ``distinct``, a count of days: the days any material counts, each once)."""

_ADDING_UP = ("sum", "count", "last")
"""Aggregations whose figures per material add up to the agreement's over all materials (a total, a count of
material-days, the last day's stock). Another quantity (``max``, ``min``, ``first``) is summed only where its entry
says ``region_total='sum'``, or has a rule of its own in :data:`_AGREEMENT`."""

_NEVER_ADDED = ("day_of_min", "day_of_max", "cumulative", "none")
"""Aggregations whose figures per material are no quantity to add (a day number, a running total, none): an
agreement-wide metric aggregating so needs a rule of its own in :data:`_AGREEMENT`, whatever its ``region_total``."""


def check_sources(metrics: Iterable[Quantity]) -> None:
    """Refuse summary metrics whose ``source`` names no daily quantity the accumulator reads for them.

    Each such entry is named with what it may read instead: a typo there would otherwise be a
    bare ``KeyError`` (or a shape error) in the middle of a run. An agreement-wide metric is refused too where
    its figure over all materials would be wrong or missing: a derived one without a rule in :data:`_AGREEMENT`,
    one whose aggregation does not add up over materials (:data:`_ADDING_UP`) with no ``region_total`` saying
    how to combine them. Run at the end of this module's import, once :data:`_AGREEMENT` is defined.
    """
    problems = [_source_problem(q) for q in metrics]
    if any(problems):
        raise ValueError("simulator/quantities.py: " + "; ".join(p for p in problems if p))


def _source_problem(q: Quantity) -> str:
    """What is wrong with summary metric ``q``'s source or its total over materials ('' if nothing)."""
    agreement_wide = q.record == "agreement_summary"
    if agreement_wide and (problem := _over_materials_problem(q)):
        return problem
    if q.source is None or q.source in (agreement_sources() if agreement_wide else summary_sources()):
        return ""
    if agreement_wide:
        allowed = f"a daily number per material (axes material, run): one of {sorted(agreement_sources())}"
        return f"the source of the agreement-wide metric {q.name} (source={q.source!r}) is not {allowed}"
    return (
        f"the source of the summary metric {q.name} (source={q.source!r}) is not a daily quantity of the market's or "
        "the procurement's record (DAILY, record 'market' or 'procurement')"
    )


def _over_materials_problem(q: Quantity) -> str:
    """What is wrong with agreement-wide metric ``q``'s figure over all materials ('' if nothing)."""
    if q.region_total not in _OVER_MATERIALS:
        return (
            f"the agreement-wide metric {q.name!r} has region_total={q.region_total!r}: over all materials "
            f"it may be one of {_OVER_MATERIALS}"
        )
    if q.name in _AGREEMENT:
        return ""
    if q.source is None:
        return (
            f"the agreement-wide metric {q.name!r} has aggregation={q.aggregation!r}, no source and no entry in "
            "_AGREEMENT (simulator/metrics.py): add its inputs and rule there"
        )
    if q.aggregation in _NEVER_ADDED:
        return (
            f"the agreement-wide metric {q.name!r} has aggregation={q.aggregation!r}: its figures per material are "
            "not quantities to add up over materials (day numbers, running totals); give it a rule in _AGREEMENT "
            "(simulator/metrics.py)"
        )
    if q.aggregation not in _ADDING_UP and q.region_total is None:
        return (
            f"the agreement-wide metric {q.name!r} has aggregation={q.aggregation!r}: its figures per material do "
            f"not add up to one over all materials as those of {_ADDING_UP} do; say region_total='sum' to add them, "
            "or give it a rule in _AGREEMENT (simulator/metrics.py)"
        )
    return ""


def days_of_cover(stock_t: np.ndarray, baseline_t_per_day: np.ndarray) -> np.ndarray:
    """Stock over baseline daily demand (days); NaN where there is no demand.

    >>> days_of_cover(np.array([600.0, 5.0]), np.array([10.0, 0.0]))
    array([60., nan])
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(baseline_t_per_day > 0, stock_t / baseline_t_per_day, np.nan)


def jain_index(shares: np.ndarray, counted: np.ndarray | None = None) -> np.ndarray:
    """Jain's fairness index ``(sum x)^2 / (n * sum x^2)`` over the last axis (the members).

    Equal values give 1; all of the burden on one of ``n`` members gives ``1/n``; no
    burden at all counts as equal (1). ``counted`` (bool, the shape of ``shares``; None:
    all) says which members count: the others are left out, and ``n`` is the number
    counted (a member without demand has no share to compare, not a share of 0).

    >>> jain_index(np.array([0.2, 0.2])), jain_index(np.array([0.4, 0.0])), jain_index(np.zeros(3))
    (array(1.), array(0.5), array(1.))
    >>> jain_index(np.array([0.4, 0.0]), np.array([True, False])), jain_index(np.zeros(2), np.zeros(2, bool))
    (array(1.), array(1.))
    """
    x = np.asarray(shares, float)
    n: Any = x.shape[-1]
    if counted is not None:
        x = np.where(counted, x, 0.0)  # adding 0.0 leaves the ordered sums bit for bit as without the member
        n = np.count_nonzero(counted, axis=-1)
    total = ordered_sum(x)
    squares = ordered_sum(x * x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(squares > 0, total * total / (n * squares), 1.0)


def share_gap(shares: np.ndarray, counted: np.ndarray | None = None) -> np.ndarray:
    """The largest difference between two members' shares, over the last axis (the members).

    ``counted`` as in :func:`jain_index`: only those members count; 0 with none (or one).

    >>> share_gap(np.array([0.4, 0.1, 0.0])), share_gap(np.array([0.4, 0.1, 0.0]), np.array([True, True, False]))
    (array(0.4), array(0.3))
    >>> share_gap(np.array([0.4, 0.0]), np.zeros(2, bool))
    array(0.)
    """
    x = np.asarray(shares, float)
    if counted is None:
        return np.asarray(x.max(axis=-1) - x.min(axis=-1))
    highest = np.where(counted, x, -np.inf).max(axis=-1)
    lowest = np.where(counted, x, np.inf).min(axis=-1)
    return np.where(np.any(counted, axis=-1), highest - lowest, 0.0)


def members_burden(metrics: Mapping[str, Any], members: Iterable[str]) -> tuple[float, float, float]:
    """The members' total shortfall (t), Jain's index of their shortfall shares, their largest gap.

    Read from a run's summary ``metrics`` (``shortfall_t.<member>``, ``shortfall_share.<member>``,
    ``demand_t.<member>``): what an agreement's ``total_shortfall_t``, ``fairness_jain`` and
    ``max_shortfall_share_gap`` give among its members, worked out for a run without the
    agreement, whose own agreement-wide metrics count every region. As there, a member
    without demand is left out of the index and the gap.

    >>> members_burden({"shortfall_t.a": 4.0, "shortfall_share.a": 0.4, "demand_t.a": 10.0, "shortfall_t.b": 20.0,
    ...                 "shortfall_share.b": 1.0, "demand_t.b": 20.0}, ["a", "b"])
    (24.0, 0.8448275862068964, 0.6)
    >>> members_burden({"shortfall_t.a": 4.0, "shortfall_share.a": 0.4, "demand_t.a": 10.0, "shortfall_t.b": 0.0,
    ...                 "shortfall_share.b": 0.0, "demand_t.b": 0.0}, ["a", "b"])
    (4.0, 1.0, 0.0)
    """
    names = list(members)
    shares = np.array([float(metrics[f"shortfall_share.{m}"]) for m in names])
    demanding = np.array([float(metrics[f"demand_t.{m}"]) > 0 for m in names])
    total = float(ordered_sum(np.array([float(metrics[f"shortfall_t.{m}"]) for m in names])))
    return total, float(jain_index(shares, demanding)), float(share_gap(shares, demanding))


def _member_short(figures: Any, member: str) -> Any:
    """Whether ``member`` is short in ``figures`` (one run's metrics or a row: a 0-d answer; a table: one per row).

    From its tonnes where ``figures`` gives them: ``shortfall_t.<member>`` (every material's, t), or where that is
    empty (compare.csv empties it where tonnes may not be added) its ``shortfall_t.<member>.<material>``, short of
    one of them; short as :func:`simulator.shortages.short` says, above :data:`~simulator.shortages.SHORT_ABOVE_T`,
    so a residue (1e-13 t, which the words show as 0) is none. A share is not tonnes (a residue over a small
    demand is still a share above 0, and no share threshold is one in tonnes for every demand): only where no
    tonnes are given (a table made by hand) is it ``shortfall_share.<member>`` above 0. An empty cell is none.
    """
    share = figures[f"shortfall_share.{member}"]
    answer = np.asarray(share.fillna(0) if hasattr(share, "fillna") else share, dtype=float) > 0  # NaN > 0: False
    prefix = f"shortfall_t.{member}."
    materials = [key for key in figures.keys() if str(key).startswith(prefix)]  # noqa: SIM118 (a row: its index)
    if materials:
        tonnes = np.asarray([np.asarray(figures[key], dtype=float) for key in materials])  # (materials, ...)
        answer = np.where(np.isnan(tonnes).all(axis=0), answer, short(tonnes).any(axis=0))
    if (total := f"shortfall_t.{member}") in figures:
        tonnes = np.asarray(figures[total], dtype=float)
        answer = np.where(np.isnan(tonnes), answer, short(tonnes))
    return answer


def anyone_short(metrics: Mapping[str, Any], members: Iterable[str]) -> bool:
    """Whether any of ``members`` bears a shortfall in a run's ``metrics``, as :func:`simulator.shortages.short` says.

    From each member's tonnes (``shortfall_t.<member>``, or by material where that is empty) above
    :data:`~simulator.shortages.SHORT_ABOVE_T` (5e-7 t): a residue of 1e-13 t is none, as the words show it
    (``0 t``); only where a row gives no tonnes is it ``shortfall_share.<member>`` above 0 (:func:`_member_short`).
    Where none does, :func:`jain_index` counts the absent burden as equal (1): a convention
    that keeps sweeps and baselines numeric, not a finding that a rule shared a burden
    fairly. ``stockpile compare`` shows such a row's fairness as ``-`` and its figure says
    so in words. An empty cell (a skipped rule's) is no shortfall.

    >>> anyone_short({"shortfall_share.a": 0.0, "shortfall_share.b": 0.0}, ["a", "b"])
    False
    >>> anyone_short({"shortfall_share.a": 0.0, "shortfall_share.b": 1e-12}, ["a", "b"])
    True
    >>> residue = {"shortfall_t.a": 0.0, "shortfall_share.a": 0.0, "shortfall_t.b": 1e-13, "shortfall_share.b": 1e-17}
    >>> anyone_short(residue, ["a", "b"]), anyone_short({**residue, "shortfall_t.b": 3e-6}, ["a", "b"])
    (False, True)
    >>> apart = {"shortfall_t.a": float("nan"), "shortfall_share.a": 0.3, "shortfall_t.a.x": 3.0, "shortfall_t.a.y": 0}
    >>> anyone_short(apart, ["a"]), anyone_short({**apart, "shortfall_t.a.x": 1e-13}, ["a"])
    (True, False)
    """
    return any(bool(_member_short(metrics, m)) for m in members)


def runs_short(table: Any, members: Iterable[str] | None) -> np.ndarray | None:
    """Per row of a table of runs, whether any of ``members`` is short, as :func:`anyone_short` reads one run.

    ``None`` when the table cannot tell: no members named, or a ``shortfall_share.<member>``
    column missing (a table made by hand). The caller then says that it counts every run.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"shortfall_share.a": [0.0, 0.2, float("nan")], "shortfall_share.b": [0.0, 0.0, 0.0]})
    >>> runs_short(t, ["a", "b"]).tolist(), runs_short(t, None), runs_short(t, ["a", "c"])
    ([False, True, False], None, None)
    >>> runs_short(t.assign(**{"shortfall_t.a": [0.0, 1e-13, 0.0]}), ["a", "b"]).tolist()  # a residue is none
    [False, False, False]
    """
    names = list(members or [])
    columns = [f"shortfall_share.{m}" for m in names]
    if not columns or not set(columns) <= set(table.columns):
        return None
    return np.any([_member_short(table, m) for m in names], axis=0)  # an empty (NaN) cell is no shortfall


def fairness_when_short(table: Any, members: Iterable[str] | None) -> tuple[Any, bool]:
    """``table`` with ``fairness_jain`` empty (NaN) in the runs where no member is short, and whether it could tell.

    Where no member bears a shortfall, Jain's index of 1 is a convention (:func:`anyone_short`),
    not a burden shared fairly: summarised with the runs that have one, it would make a
    point where fewer runs are short look fairer (90 of 250 runs at 1 lift a mean of 0.5 to
    0.68). When :func:`runs_short` cannot tell (no members, no share columns), the table
    comes back as it is with ``False``, so that a title does not claim the filter.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"fairness_jain": [0.5, 1.0], "shortfall_share.a": [1.0, 0.0], "shortfall_share.b": 0.0})
    >>> shown, applied = fairness_when_short(t, ["a", "b"])
    >>> shown["fairness_jain"].tolist(), applied, fairness_when_short(t, None)[1]
    ([0.5, nan], True, False)
    """
    short = runs_short(table, members)
    if "fairness_jain" not in table or short is None:
        return table, False
    return table.assign(fairness_jain=table["fairness_jain"].where(short)), True


REGION = "region."
"""Prefix of a summary key holding a region's figure over its materials, (run, region): ``region_total="distinct"``."""
ALL_MATERIALS = "all_materials."
"""Prefix of the stream of an agreement-wide count's days over all materials, (run,): ``region_total="distinct"``."""

_DAY_OF = ("day_of_min", "day_of_max")
"""Aggregations giving the first day of the lowest or highest value (-1 when no day has one)."""


class _Stream:
    """One streaming aggregation of a daily quantity: its state and how a day updates it."""

    def __init__(self, q: Quantity, shape: tuple[int, ...], record: str) -> None:
        """``record``: the daily record carrying ``q.source`` (market, procurement or agreement)."""
        assert q.source is not None
        self.source = q.source
        self.record = record
        self.aggregation = q.aggregation
        start = {"sum": 0.0, "max": 0.0, "min": np.inf, "last": 0.0}
        if q.aggregation in ("count", "first", *_DAY_OF):
            self.value = np.full(shape, 0 if q.aggregation == "count" else -1, dtype=np.int64)
        else:
            self.value = np.full(shape, start[q.aggregation])
        if q.aggregation in _DAY_OF:  # the lowest (highest) value so far, whose first day ``value`` is
            self.best = np.full(shape, np.inf if q.aggregation == "day_of_min" else -np.inf)
        # bound once: the day loop calls ``add`` for every stream and day, and choosing the
        # aggregation there by comparing strings cost as much as some of the folds themselves
        self.add: Callable[[int, np.ndarray, np.ndarray | None], None] = {
            "sum": self._sum,
            "max": self._max,
            "min": self._min,
            "last": self._last,
            "day_of_min": self._day_of_min,
            "day_of_max": self._day_of_max,
            "count": self._count,
            "first": self._first,
        }[q.aggregation]
        """Fold in day ``day``'s value ``x``; ``above`` is ``x > EPS_T`` for counts and first days, None if nowhere."""

    def _sum(self, day: int, x: np.ndarray, above: np.ndarray | None) -> None:
        self.value += x

    # the folds below work in place: ``value`` and ``best`` are the stream's own arrays
    def _max(self, day: int, x: np.ndarray, above: np.ndarray | None) -> None:
        np.maximum(self.value, x, out=self.value)

    def _min(self, day: int, x: np.ndarray, above: np.ndarray | None) -> None:
        np.fmin(self.value, x, out=self.value)

    def _last(self, day: int, x: np.ndarray, above: np.ndarray | None) -> None:
        self.value = x

    # strictly beyond the best so far: a later day tied with it keeps the first; NaN never
    def _day_of_min(self, day: int, x: np.ndarray, above: np.ndarray | None) -> None:
        self._new_best(day, x, np.less(x, self.best))

    def _day_of_max(self, day: int, x: np.ndarray, above: np.ndarray | None) -> None:
        self._new_best(day, x, np.greater(x, self.best))

    def _new_best(self, day: int, x: np.ndarray, beyond: np.ndarray) -> None:
        """Take ``x`` as the best and ``day`` as its day where ``beyond``; a day beyond nowhere changes nothing."""
        if anywhere(beyond):
            np.copyto(self.best, x, where=beyond)
            np.copyto(self.value, day, where=beyond)

    # a count or a first day: ``above`` None means no value above rounding today, so nothing changes
    def _count(self, day: int, x: np.ndarray, above: np.ndarray | None) -> None:
        if above is not None:
            self.value += above

    def _first(self, day: int, x: np.ndarray, above: np.ndarray | None) -> None:
        if above is not None:
            self.value = np.where((self.value < 0) & above, day, self.value)

    def result(self) -> np.ndarray:
        """The aggregate with the runs first; a minimum over no finite value is NaN."""
        out = np.moveaxis(self.value, -1, 0).copy()
        return np.where(np.isfinite(out), out, np.nan) if self.aggregation == "min" else out


class _AnyMaterialStream(_Stream):
    """A count over materials: a day counts once however many materials count it.

    A region's, (region, run), from a source (region, material, run); or the agreement's, (run,), from a source
    (material, run): ``materials_axis`` says which axis of the source holds the materials.
    """

    def __init__(self, q: Quantity, shape: tuple[int, ...], record: str, materials_axis: int) -> None:
        assert q.aggregation == "count", q.name  # quantities allow "distinct" with counts only
        super().__init__(q, shape, record)
        self._fold = self.add
        self.add = self._any_material
        self._materials_axis = materials_axis

    def _any_material(self, day: int, x: np.ndarray, above: np.ndarray | None) -> None:
        """As :meth:`_Stream.add`, with ``above`` reduced over materials."""
        self._fold(day, x, None if above is None else above.any(axis=self._materials_axis))


class SummaryAccumulator:
    """Streaming per-run summary metrics of a batch (see the module docstring)."""

    def __init__(self, plan: Plan, skip: frozenset[str] = frozenset(), only: Iterable[str] | None = None) -> None:
        """``skip``: daily flows the plan can never make non-zero (their sums stay 0).

        ``only``: the summary metrics wanted (None: all); just they and those they are
        computed from (:func:`needed_metrics`) are accumulated and finished.
        """
        st = plan.structure
        cell = (len(st.regions), len(st.materials), plan.batch)  # runs last, like the kernel
        per_material = (len(st.materials), plan.batch)
        per_region = (len(st.regions), plan.batch)
        self.members = list(st.members)
        self.wanted = None if only is None else needed_metrics(only)
        self.contributed = np.zeros(cell)  # (region, material, run)
        if plan.agreement is not None:
            self.contributed[self.members] = plan.agreement.contributed_t
        cells, agreement = summary_sources(), agreement_sources()
        streamed = [(q, cell, cells) for q in SUMMARY] + [(q, per_material, agreement) for q in AGREEMENT_SUMMARY]
        self.streams = {
            q.name: _Stream(q, shape, records[q.source])
            for q, shape, records in streamed
            if q.source is not None and self._wants(q.name)
        }
        for q in SUMMARY:  # a region's distinct days: counted over its materials at once, (region, run)
            if q.region_total == "distinct" and self._wants(q.name):
                self.streams[f"{REGION}{q.name}"] = _AnyMaterialStream(q, per_region, cells[q.source], 1)
        for q in AGREEMENT_SUMMARY:  # the agreement's distinct days: counted over all materials at once, (run,)
            if q.region_total == "distinct" and self._wants(q.name):
                self.streams[f"{ALL_MATERIALS}{q.name}"] = _AnyMaterialStream(q, (plan.batch,), agreement[q.source], 0)
        active = [
            (name, stream)
            for name, stream in self.streams.items()
            if not (stream.aggregation == "sum" and stream.source in skip)
        ]
        self._market = _by_source([s for _, s in active if s.record == "market"])
        self._procurement = _by_source([s for _, s in active if s.record == "procurement"])
        self._agreement = _by_source([s for _, s in active if s.record == "agreement"])
        # one run at a time (the reference engine, a single fast run) costs nothing to check:
        # a flow left out of the sums because its present_when does not hold must be 0 there
        absent = sorted({s.source for s in self.streams.values() if s.aggregation == "sum" and s.source in skip})
        absent = absent if plan.batch == 1 else []
        self._absent_market = [name for name in absent if cells.get(name) == "market"]
        self._absent_procurement = [name for name in absent if cells.get(name) == "procurement"]
        self._zeros_seen: dict[int, np.ndarray] = {}
        """Read-only arrays found all zero by that check, by id (kept, so that an id stays its own)."""

    def _wants(self, name: str) -> bool:
        return self.wanted is None or name in self.wanted

    def market_sources(self) -> frozenset[str]:
        """The fields of the market's record the summary reads."""
        return frozenset(source for source, _, _ in self._market)

    def add_market(self, day: int, m: MarketDay) -> None:
        """Fold in one day's market (and the agreement's record of the day)."""
        _add(self._market, day, m)
        self._absent_flows_are_zero(self._absent_market, m)
        if m.agreement is not None:
            _add(self._agreement, day, m.agreement)

    def add_procurement(self, day: int, s: ProcurementDay) -> None:
        """Fold in day ``day``'s procurement (days 0 and later only)."""
        _add(self._procurement, day, s)
        self._absent_flows_are_zero(self._absent_procurement, s)

    def _absent_flows_are_zero(self, names: list[str], record: object) -> None:
        """Refuse a record in which one of the flows ``names`` is not 0.

        Those flows are absent from this plan by their ``present_when``, so left out of the
        sums: a non-zero one would be summed as 0 (its ``present_when`` is too narrow).

        The kernel hands out the same read-only zeros for a flow it does not compute: such an
        array, owning its memory, is checked once (the kernel never makes it writeable again) and then
        known by its identity, so the check costs a dict lookup a flow and day.
        """
        seen = self._zeros_seen
        for name in names:
            x = getattr(record, name)
            if x is None or seen.get(id(x)) is x:
                continue
            if x.any():
                q = next(q for q in DAILY if q.name == name)
                raise AssertionError(
                    f"simulator/quantities.py: {name} has present_when={q.present_when!r}, which this plan does not "
                    f"meet, yet the kernel made it non-zero; its sum would say 0. Widen present_when."
                )
            if x.base is None and not x.flags.writeable:
                seen[id(x)] = x

    def running(self, name: str) -> np.ndarray:
        """The running value of summary metric ``name`` so far.

        Shape (region, material, run), or (region, run) for a region's count over its materials
        (``region.<name>``).
        """
        return self.streams[name].value

    def finish(self) -> dict[str, np.ndarray]:
        """Per (run, region, material) metrics and agreement-wide metrics per run (those wanted).

        Region-material metrics have shape (run, region, material); keys starting with
        ``agreement.`` have shape (run,), keys starting with ``by_material.`` (run, material), those starting
        with ``region.`` (a region's distinct days over its materials, ``region_total="distinct"``) (run, region).
        """
        out = {name: stream.result() for name, stream in self.streams.items()}
        if self._wants("contributed_t"):  # paid in before day 0: no stream, its own input below
            out["contributed_t"] = np.moveaxis(self.contributed, -1, 0).copy()
        for q in SUMMARY:
            if q.aggregation == "derived" and self._wants(q.name):
                inputs, rule = _derived(q.name)
                out[q.name] = rule(*(out[name] for name in inputs))
        members = self.members or list(range(self.contributed.shape[0]))
        for q in AGREEMENT_SUMMARY:
            if self._wants(q.name):
                inputs, agreement_rule = _agreement_rule(q)
                by_material = out.pop(q.name) if q.source is not None else None
                values = {name: out[name] for name in inputs}
                if q.region_total == "distinct":
                    values[ALL_MATERIALS] = out.pop(f"{ALL_MATERIALS}{q.name}")
                out[f"by_material.{q.name}"], out[f"agreement.{q.name}"] = agreement_rule(values, members, by_material)
        return out


_Sources = list[tuple[str, list[_Stream], bool]]
"""Streams grouped by daily source, and whether any of them counts values above rounding."""


def _by_source(streams: list[_Stream]) -> _Sources:
    grouped: dict[str, list[_Stream]] = {}
    for stream in streams:
        grouped.setdefault(stream.source, []).append(stream)
    return [
        (source, group, any(s.aggregation in ("count", "first") for s in group)) for source, group in grouped.items()
    ]


def _add(sources: _Sources, day: int, record: object) -> None:
    """Fold one day's ``record`` into its streams; ``x > EPS_T`` is worked out once per source."""
    for source, streams, counted in sources:
        x = getattr(record, source)
        above = None
        if counted:
            above = x > EPS_T
            if not anywhere(above):
                above = None
        for stream in streams:
            stream.add(day, x, above)


def _shares_over_regions(x: np.ndarray) -> np.ndarray:
    """Each region's share of the total over regions (axis 1 of (run, region, ...)); 0 where the total is 0."""
    return share_of(x, np.expand_dims(ordered_sum(np.moveaxis(x, 1, -1)), 1))


def _draw_to_contribution(drawn: np.ndarray, contributed: np.ndarray) -> np.ndarray:
    """Share of the draws over share of the contributions, (run, region, material); NaN where undefined."""
    drawn_share, paid_share = _shares_over_regions(drawn), _shares_over_regions(contributed)
    total_drawn = np.expand_dims(ordered_sum(np.moveaxis(drawn, 1, -1)), 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((paid_share > 0) & (total_drawn > 0), drawn_share / paid_share, np.nan)


_DERIVED: dict[str, tuple[tuple[str, ...], Callable[..., np.ndarray]]] = {
    "shortfall_share": (("shortfall_t", "demand_t"), share_of),
    "released_t": (("released_national_t", "released_joint_t"), np.add),
    "loan_overdue_t": (("loan_due_t", "loan_repaid_t"), lambda due, repaid: np.maximum(0.0, due - repaid)),
    "contributed_t": (("contributed_t",), lambda contributed: contributed),
    "draw_to_contribution": (("released_joint_t", "contributed_t"), _draw_to_contribution),
}
"""Summary metrics computed from others (registry aggregation ``derived``): their inputs and rule."""


def _derived(name: str) -> tuple[tuple[str, ...], Callable[..., np.ndarray]]:
    """The inputs and rule of derived metric ``name``; a registry entry without one says where to add it."""
    if name not in _DERIVED:
        raise LookupError(
            f"summary metric {name!r} has aggregation='derived' in simulator/quantities.py but no entry in "
            "_DERIVED (simulator/metrics.py): add its inputs and formula there"
        )
    return _DERIVED[name]


def draw_contribution_gap(drawn: np.ndarray, contributed: np.ndarray) -> np.ndarray:
    """Half the sum over members (last axis) of |share of draws - share of contributions|.

    0 when nothing was drawn or nothing paid in.

    >>> draw_contribution_gap(np.array([20.0, 40.0]), np.array([30.0, 30.0]))
    array(0.16666667)
    """
    d_total, c_total = ordered_sum(drawn), ordered_sum(contributed)
    d_share = share_of(drawn, d_total[..., None])
    c_share = share_of(contributed, c_total[..., None])
    gap = 0.5 * ordered_sum(np.abs(d_share - c_share))
    return np.where((d_total > 0) & (c_total > 0), gap, 0.0)


ENVY_NEAR_TIE = 1e-3
"""A near-tie in :func:`envious_members`: a member does not envy another whose draw, scaled to its own contribution,
is above its own draw by at most this share of the larger of the two amounts (0.1%). The share of
:data:`simulator.compare.SAME_SHORTFALL_SHARE`, the tolerance under which ``stockpile compare`` calls two rules'
shortfalls alike. A rule that ties members' draws to their contributions (the fair ratio) and one that reaches the
same shares but for a different split of the last day's stock (equal losses, Talmud: a member's 28.100959 t against
28.101133 t) give the same count: which member's draw per tonne paid in comes out a few millionths above another's
is noise, not envy."""


def envious_members(drawn: np.ndarray, contributed: np.ndarray, short: np.ndarray) -> np.ndarray:
    """Members (last axis) that were short and would prefer another's draw scaled to their contribution.

    Member ``i`` envies ``j`` when ``short_i`` and ``d_j c_i / c_j > d_i`` by more than a near-tie: more than
    :data:`ENVY_NEAR_TIE` (0.1%) of the larger of the two amounts compared, and more than 1e-9 t. A member
    drawing 1e-6 t less than its share of 10 t envies no one; one drawing 9 t envies.

    >>> int(envious_members(np.array([20.0, 40.0]), np.array([30.0, 30.0]), np.array([True, True])))
    1
    >>> int(envious_members(np.array([10.0 - 1e-6, 10.0]), np.array([1.0, 1.0]), np.array([True, True])))
    0
    """
    d, c = drawn[..., :, None], contributed[..., :, None]
    d_j, c_j = drawn[..., None, :], contributed[..., None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.where(c_j > 0, d_j * c / c_j, 0.0)  # [..., i, j]: j's draw scaled to i's contribution
    near_tie = np.maximum(EPS_T, ENVY_NEAR_TIE * np.maximum(scaled, d))
    envies = (scaled - d > near_tie).any(axis=-1) & short
    return envies.sum(axis=-1)


def _member_shares(s: dict[str, np.ndarray], members: list[int]) -> tuple[np.ndarray, ...]:
    """Shortfall shares and whether there was demand: overall (run, member), per material (run, material, member).

    The demand says who counts in Jain's index and the gap: a member without demand (of a
    material, or of any) has no share to compare, though :func:`share_of` writes it 0.
    """
    short, demand = s["shortfall_t"][:, members], s["demand_t"][:, members]
    overall_demand = ordered_sum(demand, axis=2)
    overall = share_of(ordered_sum(short, axis=2), overall_demand)
    per_material = share_of(short, demand).transpose(0, 2, 1)
    return overall, overall_demand > 0, per_material, demand.transpose(0, 2, 1) > 0


def _total_shortfall(s: dict[str, np.ndarray], members: list[int], _: Any) -> tuple[np.ndarray, np.ndarray]:
    short = s["shortfall_t"][:, members]
    return ordered_sum(short, axis=1), ordered_sum(ordered_sum(short, axis=2), axis=1)


def _fairness(s: dict[str, np.ndarray], members: list[int], _: Any) -> tuple[np.ndarray, np.ndarray]:
    overall, demanding, per_material, demanding_material = _member_shares(s, members)
    return jain_index(per_material, demanding_material), jain_index(overall, demanding)


def _share_gap(s: dict[str, np.ndarray], members: list[int], _: Any) -> tuple[np.ndarray, np.ndarray]:
    overall, demanding, per_material, demanding_material = _member_shares(s, members)
    return share_gap(per_material, demanding_material), share_gap(overall, demanding)


def _draws_and_contributions(s: dict[str, np.ndarray], members: list[int]) -> tuple[np.ndarray, ...]:
    """Drawn, paid in and short: per material (run, material, member) and over materials (run, member)."""
    drawn, paid = s["released_joint_t"][:, members], s["contributed_t"][:, members]
    short = s["shortfall_t"][:, members]
    per_material = tuple(x.transpose(0, 2, 1) for x in (drawn, paid, short))
    overall = tuple(ordered_sum(x, axis=2) for x in (drawn, paid, short))
    return (*per_material, *overall)


def _contribution_gap(s: dict[str, np.ndarray], members: list[int], _: Any) -> tuple[np.ndarray, np.ndarray]:
    d, c, _, d_all, c_all, _ = _draws_and_contributions(s, members)
    return draw_contribution_gap(d, c), draw_contribution_gap(d_all, c_all)


def _envy(s: dict[str, np.ndarray], members: list[int], _: Any) -> tuple[np.ndarray, np.ndarray]:
    d, c, short, d_all, c_all, short_all = _draws_and_contributions(s, members)
    return envious_members(d, c, short > EPS_T), envious_members(d_all, c_all, short_all > EPS_T)


def _over_materials(_: dict[str, np.ndarray], __: list[int], by_material: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return by_material, ordered_sum(by_material, axis=1)


def _days_over_materials(
    s: dict[str, np.ndarray], _: list[int], by_material: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A count's days per material; over all materials, the days any material counted (each once, its own stream)."""
    return by_material, s[ALL_MATERIALS]


def _unused(_: dict[str, np.ndarray], __: list[int], by_material: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """As :func:`_over_materials`, a material's sum up to ``EPS_T`` counted as none.

    A day's unused stock is ``min(stock left, gaps)``, and stock left after a release can be
    rounding residue (4.4e-16 t): not stock that stayed unused, as a gap up to ``EPS_T`` is no gap.
    """
    return _over_materials(_, __, np.where(by_material > EPS_T, by_material, 0.0))


_AgreementRule = Callable[[dict[str, np.ndarray], list[int], Any], tuple[np.ndarray, np.ndarray]]

_AGREEMENT: dict[str, tuple[tuple[str, ...], _AgreementRule]] = {
    "total_shortfall_t": (("shortfall_t",), _total_shortfall),
    "fairness_jain": (("shortfall_t", "demand_t"), _fairness),
    "max_shortfall_share_gap": (("shortfall_t", "demand_t"), _share_gap),
    "draw_contribution_gap": (("released_joint_t", "contributed_t", "shortfall_t"), _contribution_gap),
    "envious_members": (("released_joint_t", "contributed_t", "shortfall_t"), _envy),
    "unused_release_t": ((), _unused),
}
"""Agreement-wide metrics with a rule of their own: the metrics they are computed from, and their rule giving
(per material, overall). One aggregating a daily quantity (a ``source``) needs none: :func:`_agreement_rule`."""


def _agreement_rule(q: Quantity) -> tuple[tuple[str, ...], _AgreementRule]:
    """The inputs and rule of agreement-wide metric ``q``.

    Its own in :data:`_AGREEMENT`, else, for one aggregating a daily quantity (``source``), its
    ``region_total``: the per-material figures summed, or a count's distinct days over all materials.
    A derived metric without one says where to add it.
    """
    if q.name in _AGREEMENT:
        return _AGREEMENT[q.name]
    if q.source is None:
        raise LookupError(
            f"agreement-wide metric {q.name!r} has aggregation={q.aggregation!r} and no source in "
            "simulator/quantities.py, and no entry in _AGREEMENT (simulator/metrics.py): add its inputs and rule there"
        )
    return (), _days_over_materials if q.region_total == "distinct" else _over_materials


def needed_metrics(wanted: Iterable[str]) -> frozenset[str]:
    """The summary metrics ``wanted`` and every one they are computed from.

    >>> sorted(needed_metrics(["total_shortfall_t", "shortfall_share"]))
    ['demand_t', 'shortfall_share', 'shortfall_t', 'total_shortfall_t']
    """
    known = {q.name for q in (*SUMMARY, *AGREEMENT_SUMMARY)}
    inputs = {name: rule[0] for name, rule in (*_DERIVED.items(), *_AGREEMENT.items())}
    todo, needed = list(wanted), set()
    while todo:
        name = todo.pop()
        if name not in known:
            raise ValueError(f"'{name}' is not a summary metric of the registry")
        if name not in needed:
            needed.add(name)
            todo.extend(inputs.get(name, ()))
    return frozenset(needed)


check_sources((*SUMMARY, *AGREEMENT_SUMMARY))  # here: the agreement's rules above are defined
