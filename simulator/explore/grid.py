"""The explorer's grid: axes checked, runs simulated through the sweep, curves reduced.

Layer: studies. The grid is planned and run by :mod:`simulator.sweep` (``plan_sweep``,
``map_chunks``, ``run_chunk`` with per-day curves); each chunk is reduced where it ran
to what the page shows per grid point, so only that travels back:

- the days-of-cover and cumulative-shortfall curves per region and material, daily:
  the single run's when ``runs`` is 1, else the 5th, 50th and 95th percentiles over the
  runs (``numpy.percentile``'s default linear interpolation, as ``sweep --curves``);
- headline numbers per run (total shortfall, each region's shortfall, first shortfall
  day and minimum days of cover), again as the value or as percentiles over the runs;
  where tonnes of the scenario's materials may not be added
  (:func:`simulator.scenario.tonnes.shortfall_adds`), the shortfalls by material too.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.errors import InputError, Problem
from simulator.plan import compile_plan
from simulator.results import date_of
from simulator.scenario import validate_data
from simulator.scenario.checks import day_number
from simulator.scenario.load import overridden_file
from simulator.scenario.overrides import overlaps
from simulator.sweep import SweepSpec, plan_sweep, runner
from simulator.sweep.choices import MEMBERS
from simulator.sweep.runner import (
    Chunk,
    Sweep,
    map_chunks,
    may_be_random,
    point_label,
    scenario_batch_runs,
)

MAX_AXES = 4
MAX_POINTS = 5_000
"""Grid points of one page: the page stays under its size limit and redraws at once."""
MAX_RUNS_PER_POINT = 1_000
MAX_TOTAL_RUNS = 500_000
"""Grid points x runs: about three minutes on two cores."""
CURVES = ("days_of_cover", "shortfall_cum_t")
"""Curves shown, as named in the sweep's per-day curves; units: days and tonnes."""
METRICS = ("total_shortfall_t", "shortfall_t", "first_shortfall_day", "min_days_of_cover")
"""Summary metrics the headline figures are made of: the batches work out only these."""
PERCENTILES = (5.0, 50.0, 95.0)
NEVER = -1
"""``first_shortfall_day`` of a run that never runs short (as in the sweep table)."""


@dataclass(frozen=True)
class PointSummary:
    """What the page needs of one grid point."""

    point: int
    curves: np.ndarray
    """(series, curve, day, region, material) float32; series is 1 (the run) or 3 (p5, p50, p95)."""
    headline: np.ndarray
    """(quantity, series) float64, quantities as :func:`headline_names`; NaN for none or never."""


@dataclass(frozen=True)
class Grid:
    """A computed grid: the sweep that planned it and one summary per point."""

    sweep: Sweep
    curves: np.ndarray
    """(point, series, curve, day, region, material) float32."""
    headline: np.ndarray
    """(point, quantity, series) float64."""
    regions: tuple[str, ...]
    materials: tuple[str, ...]
    random: bool
    """Whether a grid point may draw random inputs (see :func:`may_be_random`)."""
    by_material: tuple[str, ...] = ()
    """The materials whose shortfalls the headline holds one by one (:func:`headline_names`): all of them where
    their tonnes may not be added at some point (:attr:`~simulator.sweep.runner.Sweep.shortfall_adds`), else none."""

    @property
    def runs(self) -> int:
        """Runs per grid point."""
        return self.sweep.spec.runs


def headline_names(regions: tuple[str, ...], by_material: tuple[str, ...] = ()) -> list[str]:
    """Headline quantities: over all regions, then per region (as the sweep table's columns).

    ``first_shortfall_day`` and ``min_days_of_cover`` without a region are the earliest
    and the lowest over the regions; ``short_runs_share`` is the share of the point's
    runs in which any region runs short (the same number in every series). With
    ``by_material`` (:attr:`Grid.by_material`), the shortfalls of each of these materials
    last: over all regions (the sweep table's ``total_shortfall_t.all.<material>``) and per region.

    >>> headline_names(("japan", "eu"))[:5]
    ['total_shortfall_t', 'first_shortfall_day', 'min_days_of_cover', 'short_runs_share', 'shortfall_t.japan']
    >>> headline_names(("eu",), ("oxide", "magnet"))[7:]
    ['total_shortfall_t.all.oxide', 'total_shortfall_t.all.magnet', 'shortfall_t.eu.oxide', 'shortfall_t.eu.magnet']
    """
    per_region = [f"{k}.{r}" for r in regions for k in ("shortfall_t", "first_shortfall_day", "min_days_of_cover")]
    return [
        "total_shortfall_t",
        "first_shortfall_day",
        "min_days_of_cover",
        "short_runs_share",
        *per_region,
        *_material_names(regions, by_material),
    ]


def _material_names(regions: tuple[str, ...], by_material: tuple[str, ...]) -> list[str]:
    """:func:`headline_names`' last ones: each ``by_material`` material's shortfalls, over all regions, per region."""
    per_material = [f"total_shortfall_t.all.{m}" for m in by_material]
    return per_material + [f"shortfall_t.{r}.{m}" for r in regions for m in by_material]


def value_at(data: Any, path: str) -> Any:
    """The value at a dotted ``path`` of scenario data (list items by index or ``id``).

    Raises ``KeyError`` when the path does not exist (``--set`` would create it).

    >>> value_at({"shocks": [{"id": "halt", "end": 119}]}, "shocks.halt.end")
    119
    """
    node = data
    for key in path.split("."):
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.lstrip("-").isdigit() and -len(node) <= int(key) < len(node):
            node = node[int(key)]
        elif isinstance(node, list) and any(isinstance(i, dict) and i.get("id") == key for i in node):
            node = next(i for i in node if isinstance(i, dict) and i.get("id") == key)
        else:
            raise KeyError(path)
    return node


def current_value(raw: dict[str, Any], path: str, source: str) -> Any:
    """The value at ``path`` of scenario data, or of its defaults where the file does not write it.

    Raises ``KeyError`` when the scenario has no such field at all.
    """
    try:
        return value_at(raw, path)
    except KeyError:
        return value_at(validate_data(raw, source).model_dump(mode="json"), path)


def on_axis(value: Any, values: tuple[Any, ...], start_date: Any) -> Any:
    """``value`` written as the axis writes its values (a date or a day number).

    A day given as a date becomes its day number on an axis of day numbers, and a day
    number its date on an axis of dates (counted from ``start_date``); anything else, or
    without a start date, is unchanged.

    >>> start = dt.date(2026, 1, 1)
    >>> on_axis(dt.date(2026, 9, 1), (151, 181), start), on_axis("2026-09-01", (151, 181), start)
    (243, 243)
    >>> on_axis(243, (dt.date(2026, 6, 1), dt.date(2026, 9, 1)), start), on_axis(0.3, (0.1, 0.5), start)
    (datetime.date(2026, 9, 1), 0.3)
    """
    start = as_date(start_date)
    if start is None or isinstance(value, bool):
        return value
    when = as_date(value)
    if when is not None and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return day_number(when, start)
    if isinstance(value, int) and all(isinstance(v, dt.date) for v in values):
        return date_of(start, value)
    return value


def as_date(value: Any) -> dt.date | None:
    """A date given as a date or in ISO form (``2026-09-01``, as JSON writes one); else None."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


MEMBERS_AXIS = (
    "the explorer shows the first point's members of the agreement: an axis that changes who is a member "
    "cannot be explored (sweep it with stockpile sweep --grid)"
)
"""Why an ``--axis`` over ``agreement``, ``agreement.members`` or one of its items is refused (:func:`check_spec`)."""


def check_spec(raw: dict[str, Any], spec: SweepSpec, source: str) -> None:
    """Refuse what the explorer cannot show, every problem at once (exit 2).

    At most :data:`MAX_AXES` axes, none of them over who is a member of the agreement (the page marks and totals
    the first point's members: :data:`MEMBERS_AXIS`), each with two or more different values; at most
    :data:`MAX_POINTS` points, :data:`MAX_RUNS_PER_POINT` runs per point and
    :data:`MAX_TOTAL_RUNS` runs in all. Whether the scenario takes each value (a typo in a
    path, a value out of range) is the sweep's check next (:func:`plan_grid`), in its words:
    ``FILE [PATH=VALUE]: ...``, the value tried on the file with ``--set``.
    """
    problems: list[Problem] = []
    if not spec.axes:
        problems.append(Problem("--axis", "give at least one --axis PATH=SPEC"))
    if len(spec.axes) > MAX_AXES:
        problems.append(Problem("--axis", f"at most {MAX_AXES} axes can be explored, got {len(spec.axes)}"))
    overridden_file(raw, source, list(spec.fixed))  # a --set that leads nowhere: said as run says it
    problems.extend(Problem(path, "given as an axis twice") for path in spec.repeated_paths())
    if (refused := spec.seed_swept("--axis seed")) is not None:
        problems.append(refused)
    problems.extend(spec.fixed_and_swept("axis", raw))
    problems.extend(Problem(axis.path, MEMBERS_AXIS) for axis in spec.axes if overlaps(axis.path, MEMBERS))
    twice = set(spec.values_twice())
    for axis in spec.axes:
        distinct = len({repr(v) for v in axis.values})
        if distinct < 2:
            problems.append(
                Problem(axis.path, f"an axis needs two or more different values, got {distinct} (fix one with --set)")
            )
        elif axis.path in twice:
            problems.append(Problem(axis.path, "a value is given twice"))
    points = math.prod(len(a.values) for a in spec.axes) if spec.axes else 0
    if points > MAX_POINTS:
        problems.append(Problem("--axis", f"{points:,} grid points; the explorer's limit is {MAX_POINTS:,}"))
    if spec.runs > MAX_RUNS_PER_POINT:
        problems.append(Problem("--runs", f"{spec.runs:,} runs per point; the limit is {MAX_RUNS_PER_POINT:,}"))
    if points * spec.runs > MAX_TOTAL_RUNS:
        problems.append(
            Problem("--runs", f"{points:,} points x {spec.runs:,} runs; the limit is {MAX_TOTAL_RUNS:,} runs in all")
        )
    if problems:
        raise InputError(problems, source)


def _percentiles(values: np.ndarray) -> np.ndarray:
    """5/50/95th percentiles over the last axis (runs) in float64, as ``numpy.percentile`` of float64.

    Bit for bit but for the sign of a zero where +0.0 and -0.0 tie (which one a sort puts
    first may differ; no curve of the shipped scenarios holds a -0.0).

    One sort along the runs and numpy's linear interpolation (``a + (b - a) t``, or
    ``b - (b - a)(1 - t)`` when ``t >= 0.5``), several times faster than
    ``numpy.percentile``; the runs are the last axis, as the fast path keeps them, so each
    sort reads contiguous memory. Float32 curves are sorted as they are and only the
    order statistics used are widened: widening is exact and keeps the order, so the
    result is that of the float64 values, at half the memory sorted. Days of cover is NaN
    in a cell without baseline demand, in every run alike, which gives NaN here too; where
    some runs are NaN and others not (not expected), ``nanpercentile`` decides. The result
    has the percentiles first.

    >>> x = np.array([[1.0, 2.0, 4.0], [5.0, 6.0, 9.0]])
    >>> bool(np.array_equal(_percentiles(x), np.percentile(x, PERCENTILES, axis=-1)))
    True
    >>> y = np.array([[0.1, 0.7, 0.3, 0.2]], dtype=np.float32)
    >>> bool(np.array_equal(_percentiles(y), np.percentile(y.astype(np.float64), PERCENTILES, axis=-1)))
    True
    """
    n = values.shape[-1]
    ordered = np.sort(values, axis=-1)  # NaN last
    out = []
    for percent in PERCENTILES:
        position = percent / 100 * (n - 1)
        below = int(np.floor(position))
        weight = position - below
        a = ordered[..., below].astype(np.float64)
        b = ordered[..., min(below + 1, n - 1)].astype(np.float64)
        out.append(b - (b - a) * (1 - weight) if weight >= 0.5 else a + (b - a) * weight)
    result = np.stack(out)
    mixed = np.isnan(ordered[..., -1]) & ~np.isnan(ordered[..., 0])  # some runs NaN, not all (NaN sorts last)
    if mixed.any():
        result[:, mixed] = np.nanpercentile(values[mixed].astype(np.float64), PERCENTILES, axis=-1)
    return result


def _first_day_quantiles(days: np.ndarray) -> np.ndarray:
    """Quantiles of first shortfall days (``NEVER`` counts as later than any day); NaN = never."""
    later = np.where(days >= 0, days.astype(float), np.inf)
    q = np.quantile(later, np.array(PERCENTILES) / 100, method="inverted_cdf")
    return np.where(np.isfinite(q), q, np.nan)


def _run_headlines(
    table: dict[str, np.ndarray], by_material: tuple[str, ...] = ()
) -> tuple[tuple[str, ...], dict[str, np.ndarray]]:
    """The regions and every headline quantity per run of a chunk's rows (:attr:`ChunkResult.columns`)."""
    regions = tuple(c.split(".", 1)[1] for c in table if c.startswith("first_shortfall_day.") and c.count(".") == 1)
    firsts = np.stack([table[f"first_shortfall_day.{r}"] for r in regions])
    covers = np.stack([np.asarray(table[f"min_days_of_cover.{r}"], float) for r in regions])
    first = np.where(
        (firsts >= 0).any(axis=0), np.where(firsts >= 0, firsts, np.iinfo(np.int64).max).min(axis=0), NEVER
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a run where no region has demand
        cover = np.nanmin(covers, axis=0)
    columns: dict[str, np.ndarray] = {
        "total_shortfall_t": np.asarray(table["total_shortfall_t"], float),
        "first_shortfall_day": first,
        "min_days_of_cover": cover,
        "short_runs_share": (first >= 0).astype(float),
    }
    for i, r in enumerate(regions):
        columns[f"shortfall_t.{r}"] = np.asarray(table[f"shortfall_t.{r}"], float)
        columns[f"first_shortfall_day.{r}"] = firsts[i]
        columns[f"min_days_of_cover.{r}"] = covers[i]
    for name in _material_names(regions, by_material):  # shortfalls by material
        columns[name] = np.asarray(table[name], float)
    return regions, columns


def _headline(
    columns: dict[str, np.ndarray], regions: tuple[str, ...], rows: np.ndarray, by_material: tuple[str, ...] = ()
) -> np.ndarray:
    """(quantity, series) of one point from the per-run quantities of its ``rows``."""
    out = []
    for name in headline_names(regions, by_material):
        values = columns[name][rows]
        if len(rows) == 1:
            out.append(np.where(values >= 0, values, np.nan) if name.startswith("first_") else values.astype(float))
        elif name == "short_runs_share":
            out.append(np.full(len(PERCENTILES), values.mean()))
        elif name.startswith("first_"):
            out.append(_first_day_quantiles(values))
        else:
            out.append(_percentiles(values))
    return np.stack(out).astype(np.float64)


def summarise_chunk(chunk: Chunk, by_material: tuple[str, ...] = ()) -> list[PointSummary]:
    """Run one chunk of whole grid points (in a worker) and reduce it to :class:`PointSummary`.

    ``by_material``: :attr:`Grid.by_material`.
    """
    result = runner.run_chunk(chunk)  # looked up when called: a test's stand-in never outlives the test
    assert result.curves is not None, "the explorer plans its sweep with curves=CURVES"
    regions, columns = _run_headlines(result.columns, by_material)
    points = np.array([point for point, _, _ in chunk.runs])
    # (day, region, material, run): the layout the batch recorded the curves in
    lanes = {c: np.moveaxis(result.curves[c], 0, -1) for c in CURVES}
    summaries = []
    for point in sorted(chunk.points):
        rows = np.flatnonzero(points == point)
        assert rows[-1] - rows[0] == len(rows) - 1, "a point's runs are adjacent in its chunk (run order)"
        runs = slice(rows[0], rows[-1] + 1)  # a view, not a gather
        # (curve, day, region, material, run) float32; percentiles in float64 like sweep --curves, stored as float32
        curves = np.stack([lanes[c][..., runs] for c in CURVES])
        series = _percentiles(curves) if len(rows) > 1 else np.moveaxis(curves, -1, 0)
        headline = _headline(columns, regions, rows, by_material)
        summaries.append(PointSummary(int(point), series.astype(np.float32), headline))
    return summaries


def chunk_runs_for(runs: int, points: int, workers: int, batch_runs: int) -> int:
    """Runs per chunk: whole grid points, at most one batch with curves, four chunks per worker at least.

    ``batch_runs`` is the fast-path batch for the scenario with the explorer's curves
    (:func:`~simulator.sweep.runner.scenario_batch_runs`): a chunk of one such batch costs
    least per run.

    >>> chunk_runs_for(100, 2000, 2, 5000), chunk_runs_for(1, 1260, 2, 5000), chunk_runs_for(3000, 10, 2, 5000)
    (5000, 158, 3000)
    """
    per_chunk = min(batch_runs // runs, -(-points // (4 * workers)))
    return runs * max(1, per_chunk)


def plan_grid(raw: dict[str, Any], source: str, spec: SweepSpec, workers: int = 1) -> Sweep:
    """Check the axes (:func:`check_spec`) and plan the sweep with per-day curves, before any run."""
    check_spec(raw, spec, source)
    points = math.prod(len(a.values) for a in spec.axes)
    sweep = plan_sweep(raw, source, spec, curves=CURVES)
    sweep.metrics = METRICS
    batch = scenario_batch_runs(sweep.first, CURVES)
    sweep.chunk_runs = chunk_runs_for(spec.runs, points, workers, batch)  # one batch each at most
    return sweep


def run_grid(sweep: Sweep, workers: int = 1, client: Any = None, progress: Callable[[int], None] | None = None) -> Grid:
    """Run a planned grid on local processes or Dask and gather one summary per point.

    Where tonnes of the scenario's materials may not be added at some point (``sweep.shortfall_adds``), the
    headline holds each material's shortfall too (:attr:`Grid.by_material`).
    """
    structure = compile_plan(sweep.first).structure
    apart = len(structure.materials) > 1 and sweep.shortfall_adds is not None
    by_material = tuple(structure.materials) if apart else ()
    summarise = functools.partial(summarise_chunk, by_material=by_material) if by_material else summarise_chunk
    summaries: dict[int, PointSummary] = {}
    for batch in map_chunks(sweep, summarise, workers=workers, client=client):
        summaries.update((s.point, s) for s in batch)
        if progress is not None:
            progress(len(batch) * sweep.spec.runs)
    ordered = [summaries[p] for p in range(len(sweep.points))]
    for s in ordered:  # plan_sweep tried each axis value alone; a combination could still differ
        if s.curves.shape != ordered[0].curves.shape:
            raise InputError(
                f"grid point [{point_label(sweep.points[s.point])}] has another horizon, regions or "
                "materials than the first point; the explorer needs them equal at every point",
                sweep.source,
            )
    return Grid(
        sweep,
        np.stack([s.curves for s in ordered]),
        np.stack([s.headline for s in ordered]),
        structure.regions,
        structure.materials,
        may_be_random(sweep),
        by_material,
    )
