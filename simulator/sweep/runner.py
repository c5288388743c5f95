"""Running a sweep: chunks of runs, local processes or Dask, checkpoints, resume.

Layer: studies.

Every run has an id (grid point, replicate) and a seed fixed before anything is
dispatched: replicate ``k`` of every point gets ``run_seed(root seed, k)`` (common random
numbers across points). Runs are cut into fixed chunks in id order; each chunk is
simulated by the batched fast path (runs of one structure together) and written to
``DIR/.chunks/`` as soon as it is done (see :mod:`simulator.sweep.checkpoints`).
Rerunning the same command skips the chunks on disk that pass their checks, so an
interrupted sweep resumes and ends with the same table as an uninterrupted one, whatever
the backend, the worker count or the chunking.

Grids are bounded before any work: at most :data:`MAX_POINTS` grid points and
:data:`MAX_RUNS` runs unless the caller raises the limits (``--max-points``,
``--max-runs``).
"""

from __future__ import annotations

import hashlib
import importlib
import itertools
import json
import math
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.errors import InputError, Problem, setting
from simulator.fastpath import CurveRequest, kept_curves, run_batch
from simulator.forked import map_shared
from simulator.names import plural
from simulator.plan import Plan, Structure, batch_key, compile_plan, stack_plans, with_warm_up_from
from simulator.randomness import draw_batch, run_seed
from simulator.results import metric_columns
from simulator.scenario import Scenario, apply_overrides, validate_data
from simulator.scenario.load import blame_overrides, blamed, named_path, overridden_file, with_order
from simulator.scenario.overrides import ECHO_WIDTH, Overridden, OverrideError, overlaps, overridden, shown
from simulator.scenario.tonnes import moves_rule, shortfall_adds
from simulator.sweep.backends import (
    NO_WORKER_TIMEOUT_S,
    SweepStopped,
    dask_cluster,
    dask_workers,
    in_process,
    local_processes,
)
from simulator.sweep.checkpoints import CHUNK_DIR, Checkpoints
from simulator.sweep.choices import MEMBERS
from simulator.sweep.grid import (
    MAX_POINTS,
    Axis,
    SweepSpec,
    fixed_and_varied,
    iso_date,
    overlapping_axes,
    read_quoted_dates,
)
from simulator.sweep.patch import GridPatcher, PatchBuilder
from simulator.version import __version__, code_fingerprint, made_with
from simulator.workers import pool_size

if TYPE_CHECKING:  # pandas is imported where a table is made: a sweep's workers never load it
    import pandas as pd

CHUNK_RUNS = 2500
"""Runs per checkpointed chunk where a caller balances chunks over workers (sensitivity)."""
ROUTE_RUNS_PER_BATCH = 60_000
"""Routes (region x material x supplier) times runs in one batch of the fast path: a
route array of the day step is then 480 KB, a quarter of a core's 2 MiB L2 cache.

The cost per run falls as a batch grows (NumPy's fixed cost per operation) and rises
once its arrays spill out of the cache, by how much depending on the memory bandwidth
the machine's neighbours leave. Measured on 2 cores (2026-12-03), the sizes in turn,
best of 3 to 5 rounds, in us a run at 60,000 / 120,000 / 240,000 route-runs, 365 days:

- 16 members (96 routes): 2,014 / 1,828 / 1,755 on a fast afternoon (13:00), 2,862 /
  3,209 / 3,709 on a slower hour (16:40);
- 32 members (192 routes): 4,642 / - / 4,393, then 6,043 / 6,819 / 7,665;
- 8 members, 8 and 16 materials, at 16:40: 15-30% dearer at 240,000 than at 60,000.

The largest batch gains up to 13% when memory is fast and loses up to 30% when it is
not; this size loses at most 15%. The 2010 replay (12 routes) runs 5,000 at a time
(the cap): 599 us a run over its 730 days, against 626 at 2,500 and 712 at 1,250. A
20-member club of 3,650 days runs 500 at a time, peaking at 152 MB."""
CURVE_VALUES_PER_BATCH = 60_000_000
"""Per-day curve values a batch may record (runs x days x regions x materials x curves),
about 240 MB as the float32 the batch keeps them in: bounds the memory of ``--curves``
and the explorer. A 5,000-run batch of the replay (731 days, 2 x 2 cells) records 43.9
million with ``--curves``' three curves and 29.2 million with the explorer's two; over
3,650 days a batch with three curves holds 1,369 runs."""
DAY_VALUES_PER_BATCH = 40_000_000
"""Per-run daily values a batch of differing plans may gather (runs x days x materials x (regions +
suppliers), the warm-up's days included): the baseline demand and dated capacity additions of
plans compiled point by point are copied per run, about 320 MB as float64 at this bound. A 5,000-run
batch of the replay (785 days with its warm-up, 2 materials, 2 regions + 3 suppliers) gathers 39.3
million; a grid of a scenario whose shock dates from 3,700 days before day 0 holds about 890 runs
a batch. Runs whose plans share those arrays (Monte Carlo runs of one plan, a patched grid whose
axes change neither) are not bounded by it."""
MIN_BATCH_RUNS = 250
MAX_BATCH_RUNS = 5_000
MAX_RUNS = 10_000_000
"""Largest number of runs (points x runs per point) a sweep accepts unless told otherwise (``--max-runs``)."""


@dataclass(frozen=True)
class Chunk:
    """A unit of work: runs (point, replicate, seed) and how to build their points' plans."""

    index: int
    runs: tuple[tuple[int, int, int], ...]
    base: dict[str, Any]
    """Scenario data with the sweep's fixed overrides."""
    points: dict[int, dict[str, Any]]
    """The overrides of each grid point the chunk needs."""
    source: str
    curves: CurveRequest = False
    """Per-day curves kept (see :func:`~simulator.fastpath.kept_curves`)."""
    metrics: tuple[str, ...] | None = None
    """The summary metrics worked out (None: all; see :func:`~simulator.fastpath.run_batch`)."""
    fingerprint: str = ""
    """The sweep's, returned with the result: a result is saved only into its own sweep."""
    patcher: GridPatcher | None = None
    """Builds the points' plans from one compiled plan (None: validate and compile each point)."""
    own_demand: bool = False
    """Also give each run its point's baseline demand (:data:`OWN_DEMAND` columns)."""
    transform: Callable[[Scenario], Scenario] | None = None
    """Applied to each point's validated scenario before it is compiled (see :attr:`Sweep.transform`)."""


@dataclass(frozen=True)
class ChunkResult:
    """Rows of the sweep table for one chunk, and per-day curves when asked for."""

    index: int
    columns: dict[str, np.ndarray]
    """The chunk's rows as columns: ``point``, ``run``, ``seed``, then every metric.
    Plain arrays, so the worker that made them never imports pandas."""
    fingerprint: str
    curves: dict[str, np.ndarray] | None = None
    """Per curve column: (runs, days, regions, materials) float32, in the chunk's run order."""
    code: str = ""
    """The :func:`~simulator.version.code_fingerprint` of the process that ran it (a Dask worker may run other code)."""

    @property
    def n_runs(self) -> int:
        """The chunk's runs (rows)."""
        return len(self.columns["point"])

    @cached_property
    def table(self) -> pd.DataFrame:
        """:attr:`columns` as a DataFrame (made once, where it is asked for)."""
        import pandas as pd

        return pd.DataFrame(self.columns)


def point_label(point: dict[str, Any]) -> str:
    """``path=value, ...`` (``base`` for the empty point), for messages."""
    return ", ".join(f"{k}={shown(v, ECHO_WIDTH)}" for k, v in point.items()) or "base"


def build_point(
    base: dict[str, Any],
    point: dict[str, Any],
    source: str,
    transform: Callable[[Scenario], Scenario] | None = None,
) -> Scenario:
    """The validated scenario of one grid point, ``transform`` applied when given; errors name the point."""
    where = f"{source} [{point_label(point)}]"
    try:
        data = apply_overrides(base, list(point.items()))
    except InputError as exc:  # an OverrideError: said of this point, its class and assignment kept
        raise exc.said_of(where) from None
    scenario = validate_data(data, where)
    if transform is None:
        return scenario
    try:
        return transform(scenario)
    except InputError as exc:  # the transformed scenario refused: said of this point, as a bad override is
        raise exc.said_of(where) from exc


def batch_runs(regions: int, materials: int, suppliers: int, horizon_days: int, curves: CurveRequest = False) -> int:
    """Runs per fast-path batch for a scenario of this size (see :data:`ROUTE_RUNS_PER_BATCH`).

    >>> batch_runs(2, 2, 3, 731), batch_runs(2, 2, 3, 3650, curves=True), batch_runs(20, 2, 3, 3650)
    (5000, 1369, 500)
    >>> batch_runs(2, 2, 3, 3650, curves=("days_of_cover",))
    4109
    """
    runs = ROUTE_RUNS_PER_BATCH // max(1, regions * materials * suppliers)
    if kept := len(kept_curves(curves)):
        runs = min(runs, CURVE_VALUES_PER_BATCH // max(1, horizon_days * regions * materials * kept))
    return max(MIN_BATCH_RUNS, min(MAX_BATCH_RUNS, runs))


def gathered_batch_runs(structure: Structure, first_day: int | None = None) -> int:
    """Runs per batch of differing plans of ``structure``: :data:`DAY_VALUES_PER_BATCH` over a run's daily values.

    ``first_day``: the batch's warm-up's first day, where it starts earlier than the structure's own.

    >>> from types import SimpleNamespace as S
    >>> replay = S(horizon_days=731, first_day=-54, regions=("japan", "eu"), materials=("light", "heavy"),
    ...            suppliers=("china", "australia", "europe"))
    >>> gathered_batch_runs(replay), gathered_batch_runs(replay, first_day=-3750)
    (5000, 892)
    """
    first_day = structure.first_day if first_day is None else min(first_day, structure.first_day)
    days = structure.horizon_days - first_day
    per_run = days * len(structure.materials) * (len(structure.regions) + len(structure.suppliers))
    return max(MIN_BATCH_RUNS, min(MAX_BATCH_RUNS, DAY_VALUES_PER_BATCH // max(1, per_run)))


def scenario_batch_runs(scenario: Scenario, curves: CurveRequest = False) -> int:
    """:func:`batch_runs` of a validated scenario."""
    counts = (len(scenario.regions), len(scenario.materials), len(scenario.suppliers))
    return batch_runs(*counts, scenario.horizon_days, curves)


def run_chunk(chunk: Chunk) -> ChunkResult:
    """Simulate a chunk with the fast path (a top-level function, so workers can import it).

    The chunk's grid points are validated and compiled here, in the worker, or patched
    from one compiled plan (:mod:`simulator.sweep.patch`). Runs of a deterministic point
    (no random inputs) are identical whatever their seed, so each such point is
    simulated once and its row repeated.
    """
    if chunk.patcher is not None:
        plans = chunk.patcher.plans(list(chunk.points))
    else:
        plans = {
            p: compile_plan(build_point(chunk.base, point, chunk.source, chunk.transform))
            for p, point in chunk.points.items()
        }
    metric_batches: list[dict[str, np.ndarray]] = []
    curve_batches: list[dict[str, np.ndarray]] = []
    row_of: dict[int, int] = {}  # position in chunk -> row of the batches' metrics (and curves) put end to end
    distinct: dict[tuple[int, int], int] = {}
    todo: list[tuple[int, int]] = []  # (position in chunk, seed)
    for position, (point, _replicate, seed) in enumerate(chunk.runs):
        key = (point, seed if plans[point].random_sources else 0)
        if key not in distinct:
            distinct[key] = position
            todo.append((position, seed))
    keys = _batch_keys(plans)
    by_structure: dict[Any, list[tuple[int, int]]] = {}
    for position, seed in todo:
        by_structure.setdefault(keys[chunk.runs[position][0]], []).append((position, seed))
    for (structure, _), group in by_structure.items():
        size = batch_runs(
            len(structure.regions),
            len(structure.materials),
            len(structure.suppliers),
            structure.horizon_days,
            chunk.curves,
        )
        group_plans = [plans[chunk.runs[position][0]] for position, _ in group]
        if _gathers_days(group_plans):
            size = min(size, gathered_batch_runs(structure, min(p.structure.first_day for p in group_plans)))
        for start in range(0, len(group), size):
            batch = group[start : start + size]
            batch_plans = [plans[chunk.runs[position][0]] for position, _ in batch]
            first_day = min(p.structure.first_day for p in batch_plans)
            earlier = {id(p): with_warm_up_from(p, first_day) for p in batch_plans}  # once per distinct plan
            batch_plans = [earlier[id(p)] for p in batch_plans]
            draws = draw_batch(batch_plans, [seed for _, seed in batch])
            result = run_batch(stack_plans(batch_plans), draws, curves=chunk.curves, metrics=chunk.metrics)
            offset = len(row_of)
            row_of.update((position, offset + row) for row, (position, _) in enumerate(batch))
            metric_batches.append(metric_columns(batch_plans[0].structure, result.summary))
            if result.curves is not None:
                curve_batches.append(result.curves)
    sources = [distinct[(point, seed if plans[point].random_sources else 0)] for point, _, seed in chunk.runs]
    order = np.array([row_of[source] for source in sources], dtype=np.intp)
    columns = {
        "point": np.array([point for point, _, _ in chunk.runs], dtype=np.int64),
        "run": np.array([replicate for _, replicate, _ in chunk.runs], dtype=np.int64),
        "seed": np.array([seed for _, _, seed in chunk.runs], dtype=np.int64),
        **{name: values[order] for name, values in _end_to_end(metric_batches).items()},
    }
    if chunk.own_demand:
        columns |= own_demand_columns(plans, columns["point"])
    curves = None
    if chunk.curves:  # one gather per curve, not one array per run stacked again
        in_order = len(curve_batches) == 1 and np.array_equal(order, np.arange(len(row_of)))
        curves = {
            c: curve_batches[0][c] if in_order else np.concatenate([b[c] for b in curve_batches])[order]
            for c in kept_curves(chunk.curves)
        }
    return ChunkResult(chunk.index, columns, chunk.fingerprint, curves, code_fingerprint())


OWN_DEMAND = "baseline_demand_t_per_day"
"""Column ``<OWN_DEMAND>.<region>.<material>`` of a run: its point's baseline demand per day, averaged over the horizon.

Day-0 demand with yearly growth, before demand surges, noise and the price response, from day 0 on, as
the point's plan has it (exact: the run's ``baseline_demand_t`` curve is kept as float32).
"""


def own_demand_columns(plans: dict[int, Plan], points: np.ndarray) -> dict[str, np.ndarray]:
    """:data:`OWN_DEMAND` columns of runs of grid points ``points``, from the points' ``plans``."""
    structure = plans[int(points[0])].structure
    demand = {}
    for point, plan in plans.items():
        first = -int(plan.structure.first_day)  # the plan's days start before day 0: its warm-up
        demand[point] = plan.baseline_demand_t_per_day[first:, :, :, 0].mean(axis=0)
    rows = np.array([demand[int(point)] for point in points]).reshape(len(points), *demand[int(points[0])].shape)
    return {
        f"{OWN_DEMAND}.{region}.{material}": rows[:, i, j]
        for i, region in enumerate(structure.regions)
        for j, material in enumerate(structure.materials)
    }


def _gathers_days(plans: list[Plan]) -> bool:
    """Whether a batch of ``plans`` copies daily arrays per run.

    So it does unless they all share their baseline demand and dated capacity additions (a patched
    grid shares the arrays its axes leave alone).
    """
    return any(
        len({id(getattr(p, name)) for p in plans}) > 1
        for name in ("baseline_demand_t_per_day", "capacity_added_t_per_day")
    )


def _batch_keys(plans: dict[int, Plan]) -> dict[int, Any]:
    """:func:`~simulator.plan.batch_key` of each point's plan, worked out once per structure and shocks.

    The key depends on a plan's structure (its warm-up's first day included), its shocks'
    starts and, where buyers re-source, whether capacity cuts the warm-up's normal flows
    (sourcing shares, baseline demand, capacities: :func:`~simulator.plan.batch_key`). Plans
    compiled point by point have structures of their own; the plans of a patched grid share
    the structure and shock objects of the points that share those arrays (no patched axis
    changes shares or capacities, and a shock's start, which moves the warm-up's day arrays,
    gives its points their own shocks), so thousands of points need a handful of keys.
    """
    known: dict[tuple[int, ...], Any] = {}
    keys = {}
    for point, plan in plans.items():
        tag = (id(plan.structure), *map(id, plan.shocks))  # the plans are alive: no id is reused
        if tag not in known:
            known[tag] = batch_key(plan)
        keys[point] = known[tag]
    return keys


def _end_to_end(batches: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Each metric's per-run values of the batches put end to end (NaN for a batch without it)."""
    names = dict.fromkeys(name for columns in batches for name in columns)
    return {
        name: np.concatenate([b[name] if name in b else np.full(len(next(iter(b.values()))), np.nan) for b in batches])
        for name in names
    }


@dataclass
class Sweep:
    """A planned sweep: its base data, points and runs, cut into chunks."""

    raw: dict[str, Any]
    source: str
    spec: SweepSpec
    points: list[dict[str, Any]]
    first: Scenario
    """The scenario of the first grid point (names, members, structure), :attr:`transform` applied."""
    root_seed: int
    chunk_runs: int = CHUNK_RUNS
    curves: CurveRequest = False
    """Per-day curves kept (see :func:`~simulator.fastpath.kept_curves`)."""
    metrics: tuple[str, ...] | None = None
    """The summary metrics of its table (None: all; the table then has their columns only)."""
    runs: list[tuple[int, int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the sweep changed from what was asked, and why (written to ``sweep.json``)."""
    patcher: GridPatcher | None = None
    """Builds the points' plans by patching the first point's (None: each point validated and compiled).
    Never set with a :attr:`transform`."""
    own_demand: bool = False
    """Also give each run its point's baseline demand (:data:`OWN_DEMAND` columns)."""
    transform: Callable[[Scenario], Scenario] | None = None
    """Applied to each point's validated scenario before it is compiled (a top-level function, or a
    :class:`functools.partial` of one, so that workers can import it): ``--uncertainty``'s samples of
    the status quo (:func:`simulator.counterfactuals.without_agreement_scenario`). Each point is
    then validated, transformed and compiled where it runs. Given to :func:`plan_sweep` or
    :func:`plan_points`, which transform :attr:`first` too (not set by :func:`dataclasses.replace`)."""
    members_by_point: list[list[str]] | None = None
    """Each grid point's members of the agreement, in point order, where the grid changes who is a member; else
    None (:func:`members_by_point`, worked out once by :func:`plan_sweep`: ``sweep.json``'s ``members_by_point``)."""

    def __post_init__(self) -> None:
        """Refuse a :attr:`patcher` with a :attr:`transform`.

        A patched plan is put together from plans of untransformed scenarios: a transform acts on
        each point's validated scenario, which patching never builds, and may tie axes together.
        """
        if self.patcher is not None and self.transform is not None:
            raise ValueError("a transformed sweep is compiled point by point: plan it with plan_sweep(transform=...)")

    @property
    def n_runs(self) -> int:
        """Runs in the whole sweep."""
        return len(self.runs)

    @cached_property
    def tonnes_rule_axes(self) -> list[int]:
        """The axes that may move whether tonnes may be added (:func:`simulator.scenario.tonnes.moves_rule`).

        Worked out once per sweep, as :attr:`tonnes_rule` is (the explorer's page reads both).
        """
        return [i for i, a in enumerate(self.spec.axes) if moves_rule(a.path)]

    @cached_property
    def tonnes_rule(self) -> dict[tuple[int, ...], Scenario]:
        """The scenario swept per combination of :attr:`tonnes_rule_axes`' value indices (one, ``()``, without them).

        Its materials' ``tonnes_of`` and reference prices decide whether their tonnes may be added
        (:mod:`simulator.scenario.tonnes`); no other axis moves them. Worked out once per sweep: one
        scenario validated per combination.
        """
        axes = self.spec.axes
        moving = self.tonnes_rule_axes
        combos = itertools.product(*(range(len(axes[i].values)) for i in moving))
        return {
            combo: build_point(
                self.raw,
                {axes[i].path: axes[i].values[j] for i, j in zip(moving, combo, strict=True)},
                self.source,
                self.transform,
            )
            if combo
            else self.first
            for combo in combos
        }

    @property
    def shortfall_adds(self) -> str | None:
        """What the sweep's shortfall totals add where its materials' tonnes may not be added at some grid point.

        :func:`simulator.scenario.tonnes.shortfall_adds` over every scenario of :attr:`tonnes_rule`: each distinct
        reason (oxide and magnet, or prices far apart) once, in sorted order, joined by ", or " where grid points
        differ in it; None where no point has one. Decided from all combinations, so the same whatever the order
        of an axis's values (not the first combination's reason).
        """
        found = sorted({adds for s in self.tonnes_rule.values() if (adds := shortfall_adds(s)) is not None})
        return ", or ".join(found) or None

    def chunks(self) -> list[tuple[int, list[tuple[int, int, int]]]]:
        """The fixed cut of runs into chunks (index, runs), in run-id order."""
        return [
            (index, self.runs[start : start + self.chunk_runs])
            for index, start in enumerate(range(0, len(self.runs), self.chunk_runs))
        ]

    def chunk(self, index: int, runs: list[tuple[int, int, int]], fingerprint: str) -> Chunk:
        """The work unit of chunk ``index``."""
        points = sorted({point for point, _, _ in runs})
        return Chunk(
            index,
            tuple(runs),
            self.raw,
            {p: self.points[p] for p in points},
            self.source,
            self.curves,
            self.metrics,
            fingerprint,
            self.patcher,
            self.own_demand,
            self.transform,
        )

    def structure(self, point: int) -> Any:
        """The structure (names, horizon) of one grid point."""
        if self.patcher is not None:
            return self.patcher.plans([point])[point].structure
        return compile_plan(build_point(self.raw, self.points[point], self.source, self.transform)).structure

    def made_by(self) -> dict[str, str]:
        """The version and code that run the sweep (part of its :meth:`fingerprint`)."""
        return {"version": __version__, "code": code_fingerprint()}

    def options(self) -> dict[str, Any]:
        """What the command that started the sweep asked for, as JSON reads it back (``.chunks/made-by.json``).

        ``scenario_file`` as given, ``scenario_sha256`` (16 hex digits of the scenario data swept, its
        fixed overrides applied), ``grid`` (each swept path's values), ``set`` (the fixed overrides),
        ``runs`` (per point), ``seed`` (the root seed), ``chunk_runs`` and ``curves``: a refused resume
        names those that differ (:func:`~simulator.sweep.checkpoints.refuse_to_discard`).
        """
        data = json.dumps(with_order(self.raw), sort_keys=True, default=str).encode()
        options = {
            "scenario_file": self.source,
            "scenario_sha256": hashlib.sha256(data).hexdigest()[:16],
            "grid": {axis.path: list(axis.values) for axis in self.spec.axes},
            "set": dict(self.spec.fixed),
            "runs": self.spec.runs,
            "seed": self.root_seed,
            "chunk_runs": self.chunk_runs,
            "curves": self.curves,
        }
        return json.loads(json.dumps(options, default=str))

    def fingerprint(self) -> str:
        """Hash of everything that decides the table: resume only a matching sweep."""
        parts = {
            **self.made_by(),
            "base": with_order(self.raw),
            "points": self.points,
            "runs": self.spec.runs,
            "seed": self.root_seed,
            "chunk_runs": self.chunk_runs,
            "curves": self.curves,
        }
        if self.metrics is not None:  # a table of some metrics only (unset: the fingerprints of before)
            parts["metrics"] = self.metrics
        if self.transform is not None:  # each point's scenario transformed (unset: the fingerprints of before)
            parts["transform"] = callable_name(self.transform)
        return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def unwrapped(function: Callable[..., Any]) -> tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]:
    """The function a callable ends up calling, and the positional and keyword arguments its partials fix.

    A :class:`functools.partial` of a partial is unwrapped as Python calls it (and as it flattens most
    of them): the inner partial's positional arguments first, its keywords overridden by the outer's.
    The one unwrapping of :func:`callable_name` (fingerprints) and :func:`task_name` (Dask task keys).

    >>> unwrapped(partial(partial(round, 2.567), ndigits=1))
    (<built-in function round>, (2.567,), {'ndigits': 1})
    """
    args: tuple[Any, ...] = ()
    keywords: dict[str, Any] = {}
    while isinstance(function, partial):
        args = function.args + args
        keywords = {**function.keywords, **keywords}
        function = function.func
    return function, args, keywords


def callable_name(function: Callable[..., Any]) -> str:
    """A stable name of a function for a fingerprint: ``module.qualname``, a partial's arguments with it.

    A :class:`functools.partial` has no ``__qualname__``: the function it calls is named, then the
    arguments its partials fix (:func:`unwrapped`), each by ``repr``, so give it arguments whose
    ``repr`` says what they hold. A NumPy array argument is named by its dtype, shape and a hash of
    its bytes (:func:`array_text`), as its ``repr`` would cut a large one short; an array inside
    another argument is named by that argument's ``repr``.
    """
    inner, args, keywords = unwrapped(function)
    name = f"{inner.__module__}.{inner.__qualname__}"
    if not isinstance(function, partial):
        return name
    fixed = [_argument_text(a) for a in args] + [f"{k}={_argument_text(v)}" for k, v in sorted(keywords.items())]
    return f"{name}({', '.join(fixed)})"


def array_text(values: np.ndarray) -> str:
    """An array named by its dtype, shape and the SHA-256 of its bytes (16 hex digits), for :func:`callable_name`.

    The bytes of an object array are its elements' memory addresses, which differ from one process to the
    next (an interrupted sweep would never resume): its elements' ``repr`` (:meth:`~numpy.ndarray.tolist`)
    is hashed instead. A masked array's mask is hashed after its data, and the array named ``MaskedArray``:
    two arrays that differ only in what is masked are two arguments.

    >>> array_text(np.zeros((2, 3)))
    'ndarray(float64, (2, 3), sha256=17b0761f87b081d5)'
    >>> array_text(np.ma.masked_array([1.0, 2.0], mask=[False, True]))[:33]
    'MaskedArray(float64, (2,), sha256'
    """
    data = np.ma.getdata(values)
    digest = hashlib.sha256(
        repr(data.tolist()).encode() if data.dtype.hasobject else np.ascontiguousarray(data).tobytes()
    )
    kind = "ndarray"
    if isinstance(values, np.ma.MaskedArray):
        digest.update(np.ma.getmaskarray(values).tobytes())
        kind = "MaskedArray"
    return f"{kind}({values.dtype}, {values.shape}, sha256={digest.hexdigest()[:16]})"


def _argument_text(value: Any) -> str:
    """A partial's argument as :func:`callable_name` names it."""
    return array_text(value) if isinstance(value, np.ndarray) else repr(value)


def check_size(spec: SweepSpec, max_points: int = MAX_POINTS, max_runs: int = MAX_RUNS) -> None:
    """Refuse (exit 2) a grid of more than ``max_points`` points or ``max_runs`` runs."""
    points = math.prod(len(axis.values) for axis in spec.axes)
    if points > max_points:
        shape = " x ".join(f"{len(axis.values):,}" for axis in spec.axes)
        message = f"{shape} = {points:,} grid points, more than {max_points:,} (raise {setting('max_points')})"
        raise InputError([Problem(setting("grid"), message)])
    if points * spec.runs > max_runs:
        message = (
            f"{plural(points, 'point', ',')} x {plural(spec.runs, 'run', ',')} = {points * spec.runs:,} runs, "
            f"more than {max_runs:,} (raise {setting('max_runs')})"
        )
        raise InputError([Problem(setting("runs"), message)])


def _check_curve_shape(sweep: Sweep) -> None:
    """Raise :class:`InputError` if an axis value changes the days, regions or materials of the curves.

    Curves are stacked per chunk and banded per point on one shape; each value is tried
    with the other axes at their first values (where a grid changes them, it does so there).
    """

    def shape(point: int) -> tuple[Any, ...]:
        structure = sweep.structure(point)
        return structure.horizon_days, tuple(structure.regions), tuple(structure.materials)

    first = shape(0)
    stride = 1  # points between two values of an axis, in the grid's order (the last axis varies fastest)
    for axis in reversed(sweep.spec.axes):
        for i, value in enumerate(axis.values[1:], start=1):
            if shape(i * stride) != first:
                raise InputError(
                    f"[{axis.path}={shown(value, ECHO_WIDTH)}] gives other days, regions or materials than the first "
                    "point; "
                    "per-day curves (sweep --curves, explore) need the same at every point: sweep them apart",
                    sweep.source,
                )
        stride *= len(axis.values)


def check_file_fixed(
    raw: dict[str, Any],
    source: str,
    fixed: list[tuple[str, Any]],
    spec_file: str,
    axes: tuple[Axis, ...],
    file_axes: tuple[Axis, ...] = (),
    options_fixed: Iterable[tuple[str, Any]] = (),
) -> None:
    """Refuse a sweep file's overlapping axes, its ``set:`` value on a swept path, or one the scenario cannot take.

    ``file_axes``: the file's ``grid:``; ``axes``: every axis swept; ``options_fixed``: the command's
    ``--set`` values, refused here where the file's ``grid:`` varies their path (``--set PATH: the same
    path is varied by grid.PATH``, with no file before it: the ``--set`` is the command line's), not
    where an option does. Each problem is named by the
    file and its key (``spec.yaml: set.agreement.ratio.eu: ...``, ``spec.yaml: grid.shocks.0.severity:
    ...``): checked before the command's own ``--grid`` and ``--set`` values, so that a problem is the
    file's, not the scenario's or the first grid point's. The swept paths by the rule of every study
    (:func:`~simulator.sweep.grid.fixed_and_varied`, :func:`~simulator.sweep.grid.overlapping_axes`),
    in the file's words.
    """
    if overlaps := overlapping_axes([a.path for a in file_axes], "grid", raw, file_key="grid"):
        raise InputError(overlaps, spec_file)
    file_paths = [a.path for a in file_axes]  # named by the file's grid: key, the others by --grid
    fixed_paths = [path for path, _ in fixed]
    varied = [a.path for a in axes]
    if clashes := fixed_and_varied(fixed_paths, varied, "grid", raw, file_key="set", file_varied=file_paths):
        raise InputError(clashes, spec_file)
    options_paths = [path for path, _ in options_fixed]
    if clashes := fixed_and_varied(options_paths, file_paths, "grid", raw, file_varied=file_paths):
        raise InputError(clashes)  # the --set is the command line's, not the file's: no file before it
    if not fixed:
        return

    def at(problem: Problem, path: str) -> Problem:
        where = named_path(path, raw)
        return Problem(
            f"set.{path}", problem.message if problem.path == where else f"{problem.path}: {problem.message}"
        )

    try:
        base, made = overridden(raw, fixed)
    except OverrideError as exc:
        raise InputError([at(p, exc.assignment[0]) for p in exc.problems], spec_file) from None
    try:
        validate_data(base, source)
    except InputError as exc:
        if (found := blamed(exc, base, fixed, made, varied)) is not None:
            (path, _), ours = found
            raise InputError([at(p, path) for p in ours], spec_file) from None


def _check_fixed(base: Overridden, source: str, spec: SweepSpec) -> None:
    """Raise for a fixed value (``--set``, a sweep file's ``set:``) the scenario cannot take, naming it.

    ``base``: the scenario data with the fixed values of ``spec`` applied, and the mappings they made.
    Without this check the first grid point's validation would find it, and the message would name that
    point as the culprit. A problem at or inside a fixed path, or in a mapping a fixed path created where no axis sets a
    value (:func:`~simulator.scenario.load.blamed`), is said of it (``[set PATH=VALUE]``), as
    ``stockpile run`` says it. Other problems of the base scenario are left to the points: a base
    can be invalid until the grid sets its values.
    """
    if not spec.fixed:
        return
    try:
        validate_data(base.data, source)
    except InputError as exc:
        blame_overrides(exc, base.data, source, spec.fixed, base.made, spec.paths)


def _reads_as_date(base: dict[str, Any], source: str, path: str, text: str) -> bool:
    """Whether the scenario reads ``text`` (``YYYY-MM-DD``) at ``path`` as that date: a date field.

    Both the text and the date must validate alone on ``base`` to the same scenario; else
    (a field of text refuses a date) the text is left as it is, and any error is the one
    the check of each axis value gives.
    """
    try:
        return build_point(base, {path: text}, source) == build_point(base, {path: iso_date(text)}, source)
    except InputError:
        return False


def plan_sweep(
    raw: dict[str, Any],
    source: str,
    spec: SweepSpec,
    curves: CurveRequest = False,
    chunk_runs: int | None = None,
    max_points: int = MAX_POINTS,
    max_runs: int = MAX_RUNS,
    progress: Callable[[int], None] | None = None,
    transform: Callable[[Scenario], Scenario] | None = None,
) -> Sweep:
    """Check the sweep before any run: its size, every value of every axis, the first point.

    ``transform``: applied to each point's validated scenario before it runs (:attr:`Sweep.transform`), the
    first point's included; such a grid is compiled point by point, never patched (:attr:`Sweep.patcher`).

    ``chunk_runs`` defaults to one fast-path batch of the first point (:func:`scenario_batch_runs`), for a grid
    compiled point by point at most :func:`gathered_batch_runs` (a chunk holds a compiled plan per point).

    A grid over the limits is refused first. Each axis value is then validated on the
    base scenario, half of them in a forked child where two cores allow
    (:func:`~simulator.forked.map_shared`): errors name the path and value, and the first
    bad value in the axes' order is the one named; ``progress(n)`` as ``n`` more are
    checked (the child's all at once). The full
    points are validated again where they run, so a combination of values that is
    invalid only together stops the sweep with exit code 2 when it is reached; but for the axes over who is a
    member, whose combinations are validated here (:func:`members_by_point`).
    """
    check_size(spec, max_points, max_runs)
    if (refused := spec.seed_swept(setting("grid", "seed"))) is not None:
        raise InputError([refused], source)
    if clashes := spec.fixed_and_swept("grid", raw):  # a swept value would replace the fixed one unseen
        raise InputError(clashes, source)
    if mixed := spec.mixed_dates():  # a list given in Python; --grid and sweep files are refused as they are read
        raise InputError(mixed, source)
    with_fixed = overridden_file(raw, source, list(spec.fixed))  # a fixed value the scenario cannot take: said of it
    base = with_fixed.data
    spec = read_quoted_dates(spec, lambda path, text: _reads_as_date(base, source, path, text))
    if twice := spec.values_twice():  # after the quoted dates are read: "2010-09-07" and 2010-09-07 are one day
        raise InputError(
            [Problem(setting("grid", path), "a value is given twice (its points would run twice)") for path in twice],
            source,
        )
    _check_fixed(with_fixed, source, spec)
    values = [(a, value) for a, axis in enumerate(spec.axes) for value in axis.values]

    def alone(a: int, value: Any) -> Scenario:
        return build_point(base, {spec.axes[a].path: value}, source)

    patches = PatchBuilder(spec.paths, lambda a: alone(a, spec.axes[a].values[0]))
    # half of the values checked in a forked child where two cores allow; errors come in order
    examined = map_shared(lambda item: patches.examine(item[0], alone(*item)), values, progress)
    for (a, _), found in zip(values, examined, strict=True):
        patches.add(a, found)
    points = spec.points()
    first = build_point(base, points[0], source, transform)
    root_seed = spec.seed if spec.seed is not None else first.seed  # validated: no grid sweeps the seed
    patcher = patches.finish(first) if transform is None else None
    if chunk_runs is None:
        chunk_runs = scenario_batch_runs(first, curves)
        if patcher is None and len(points) > 1:  # a chunk compiles and holds a plan per point: bound their days too
            chunk_runs = min(chunk_runs, gathered_batch_runs(compile_plan(first).structure))
    sweep = Sweep(
        base, source, spec, points, first, root_seed, chunk_runs, curves, patcher=patcher, transform=transform
    )
    if curves:
        _check_curve_shape(sweep)
    sweep.members_by_point = members_by_point(base, source, spec, points, transform)
    seeds = [run_seed(root_seed, k) for k in range(spec.runs)]
    sweep.runs = [(p, k, seeds[k]) for p in range(len(points)) for k in range(spec.runs)]
    return sweep


def members_by_point(
    base: dict[str, Any],
    source: str,
    spec: SweepSpec,
    points: list[dict[str, Any]],
    transform: Callable[[Scenario], Scenario] | None = None,
) -> list[list[str]] | None:
    """Each point's members of the agreement, in point order, where an axis changes who is a member; else None.

    Only an axis over ``agreement``, ``agreement.members`` or one of its items changes who is a member; several may
    (two items, ``agreement.members.1`` and ``agreement.members.2``, do not overlap each other). A point's members
    are those of the base with every such axis set to the point's value (``transform`` applied, as the point
    runs): one scenario validated per combination of their values that the grid holds. A combination invalid
    together (a region listed twice) is refused here, before any run (:class:`InputError`, naming the point).
    The figures count a run's fairness and the holding cost of the strategic stock over its own point's members
    (:func:`simulator.sweep.figures.point_members`).
    """
    paths = [axis.path for axis in spec.axes if overlaps(axis.path, MEMBERS)]
    if not paths:
        return None
    by_values: dict[str, list[str]] = {}
    members = []
    for point in points:
        setting_members = {path: point[path] for path in paths}
        key = json.dumps(setting_members, sort_keys=True, default=str)
        if key not in by_values:
            agreement = build_point(base, setting_members, source, transform).agreement
            by_values[key] = list(agreement.members) if agreement else []
        members.append(by_values[key])
    return members


def may_be_random(sweep: Sweep) -> bool:
    """Whether the first grid point, or the base with any one axis value, draws random inputs.

    Each scenario is transformed first where the sweep has a :attr:`~Sweep.transform`. An axis
    sets only the fields under its path, so a point can draw random inputs only where the
    base does or where one of its values brings a distribution in: no random point is missed
    (a point whose values happen to fix every random input may be counted too, and a seed is
    harmless there). A patched grid knows it at once: each of its axis values was checked to
    draw what the first point draws.
    """
    if sweep.patcher is not None:
        return bool(sweep.patcher.template.random_sources)
    if compile_plan(sweep.first).random_sources:
        return True
    return any(
        compile_plan(build_point(sweep.raw, {axis.path: value}, sweep.source, sweep.transform)).random_sources
        for axis in sweep.spec.axes
        for value in axis.values
    )


def once_per_point(sweep: Sweep, why: str) -> Sweep:
    """The same sweep with one run per point (replicate 0 of each, its seed unchanged); ``why`` noted."""
    return replace(
        sweep,
        spec=SweepSpec(sweep.spec.axes, 1, sweep.spec.seed, sweep.spec.fixed),
        runs=[run for run in sweep.runs if run[1] == 0],
        notes=[*sweep.notes, why],
    )


def without_repeats(sweep: Sweep) -> tuple[Sweep, str | None]:
    """The sweep with one run per point when no point draws random inputs, and why (else unchanged, None).

    Runs of a deterministic point are alike whatever their seed; the CLI and the API
    both collapse them so that ``--runs`` never multiplies identical rows.
    """
    if sweep.spec.runs <= 1 or may_be_random(sweep):
        return sweep, None
    why = (
        f"{sweep.first.name} has no random inputs, so the {sweep.spec.runs} runs of each point "
        "would all be alike: each point runs once"
    )
    return once_per_point(sweep, why), why


IN_PROCESS = "this process"
"""``sweep.json``'s ``backend`` when every chunk ran in the command's own process (one chunk, or one worker)."""
LOCAL_PROCESSES = "local processes"
DASK = "dask"
NOTHING_RUN = "none (every chunk was kept from an interrupted sweep)"


@dataclass(frozen=True)
class Placement:
    """Where a runner runs its chunks: what ``sweep.json`` and ``sensitivity.json`` record of the machine."""

    backend: str
    """:data:`IN_PROCESS`, :data:`LOCAL_PROCESSES`, :data:`DASK` or :data:`NOTHING_RUN`."""
    workers: int
    """Processes that compute the chunks: 1 in this process, the pool's size, the cluster's workers, 0 for none."""
    workers_requested: int
    """Processes asked for: ``--workers`` (or its default, one per core), or the cluster's workers when it starts."""

    def record(self) -> dict[str, Any]:
        """``backend``, ``workers_requested`` and ``workers``, as the JSON records name them."""
        return {"backend": self.backend, "workers_requested": self.workers_requested, "workers": self.workers}


def place_chunks(workers: int, chunks: int, client: Any = None) -> Placement:
    """Where ``chunks`` chunks run: the one decision :func:`execute` and :func:`map_chunks` act on.

    With ``client``, :data:`DASK` and at most one of its workers per chunk (those it has now asked for); else
    :data:`LOCAL_PROCESSES` when more than one process is worth starting (:func:`~simulator.workers.pool_size`),
    else :data:`IN_PROCESS` and 1; :data:`NOTHING_RUN` and 0 for no chunk.

    >>> place_chunks(4, 3).record()
    {'backend': 'local processes', 'workers_requested': 4, 'workers': 3}
    >>> [(p.backend, p.workers) for p in (place_chunks(4, 1), place_chunks(1, 9))]
    [('this process', 1), ('this process', 1)]
    >>> place_chunks(4, 0).workers
    0
    """
    requested = workers if client is None else dask_workers(client)
    if chunks == 0:
        return Placement(NOTHING_RUN, 0, requested)
    if client is not None:
        return Placement(DASK, pool_size(requested, chunks), requested)
    processes = pool_size(workers, chunks)
    return Placement(LOCAL_PROCESSES, processes, requested) if processes > 1 else Placement(IN_PROCESS, 1, requested)


def _start(
    placement: Placement,
    chunks: list[Chunk],
    function: Callable[[Chunk], Any],
    client: Any,
    key: str,
    no_worker_timeout_s: float,
    started: Callable[[], None] | None = None,
) -> Iterator[Any]:
    """``function(chunk)`` of each of ``chunks`` where ``placement`` says, yielded as each finishes.

    ``key``: the Dask task keys' prefix; ``started``: as :func:`~simulator.sweep.backends.local_processes` has it.
    """
    if placement.backend == DASK:
        return dask_cluster(chunks, function, client, key, no_worker_timeout_s)
    if placement.backend == LOCAL_PROCESSES:
        return local_processes(chunks, function, placement.workers_requested, started=started)
    return in_process(chunks, function)


@dataclass(frozen=True)
class Executed:
    """What :func:`execute` did: chunks kept from an earlier, interrupted sweep and where the others ran."""

    kept: int
    """Finished chunks found on disk that passed every check (not computed again)."""
    damaged: int
    """Chunks found on disk that failed a check (a truncated file, a wrong checksum): computed again."""
    computed: int
    """Chunks computed by this command (the damaged ones included)."""
    placement: Placement
    """Where this command's chunks ran (:func:`place_chunks`)."""
    legs: tuple[dict[str, Any], ...] = ()
    """Every process that ran the sweep, this one last: its ``backend``, ``workers_requested``, ``workers``
    and ``chunks`` (of the table, computed by it: :meth:`~simulator.sweep.checkpoints.Checkpoints.leg_chunks`)."""


def sweep_record(sweep: Sweep, executed: Executed) -> dict[str, Any]:
    """What ``sweep.json`` records beside :func:`simulator.sweep.describe` to redo the sweep from its folder.

    ``scenario_file_resolved``: the scenario file as an absolute path (``scenario_file`` is as given; None for
    scenario data given in Python, which names no file);
    ``chunks_kept``: finished chunks this command found from an earlier, interrupted one; ``legs``: each
    process that ran it (:attr:`Executed.legs`; one without a resume); ``made_with``: the code, Python, the
    numeric libraries and the platform (:func:`~simulator.version.made_with`). None decides the table: they say
    where and how it was made (the workbook leaves them out, :data:`simulator.workbook.MACHINE_FIELDS`).
    """
    return {
        "scenario_file_resolved": str(Path(sweep.source).resolve()) if Path(sweep.source).is_file() else None,
        "chunks_kept": executed.kept,
        "legs": list(executed.legs),
        "made_with": made_with(),
    }


def resumed_text(kept: int, damaged: int, computed: int) -> str | None:
    """What a sweep that found chunks on disk says before it runs (None: it found none).

    ``kept`` finished chunks passed every check, ``damaged`` failed one and are among the
    ``computed`` this command runs (:class:`Executed`'s fields of the same names).

    >>> resumed_text(3, 1, 3)
    'resumed: 3 finished chunks kept, 1 computed again (damaged), 2 still to do'
    >>> resumed_text(1, 0, 1)
    'resumed: 1 finished chunk kept, 1 still to do'
    >>> resumed_text(0, 0, 4) is None
    True
    """
    if not kept and not damaged:
        return None
    again = f", {damaged} computed again (damaged)" if damaged else ""
    return f"resumed: {plural(kept, 'finished chunk')} kept{again}, {computed - damaged} still to do"


def execute(
    sweep: Sweep,
    checkpoints: Checkpoints,
    workers: int = 1,
    client: Any = None,
    progress: Callable[[int], None] | None = None,
    no_worker_timeout_s: float = NO_WORKER_TIMEOUT_S,
    note: Callable[[str], None] | None = None,
) -> Executed:
    """Run every chunk not yet finished on disk, saving each as it finishes; say what ran where.

    Fewer chunks than ``workers`` start fewer processes (:func:`~simulator.workers.pool_size`),
    and a single chunk to do runs in this process: :class:`Executed` records what ran and,
    apart, what was asked. With ``client``, ``workers`` is not used: the cluster's workers when the
    sweep starts are what was asked, and at most one per chunk to do ran.
    A sweep that finds finished chunks on disk tells ``note`` one line before it runs
    anything (:func:`resumed_text`).
    """
    done = checkpoints.done()
    fingerprint = checkpoints.fingerprint
    todo = [sweep.chunk(i, runs, fingerprint) for i, runs in sweep.chunks() if i not in done]
    damaged = len(checkpoints.damaged)
    if note is not None and (resumed := resumed_text(len(done), damaged, len(todo))):
        note(f"{CHUNK_DIR}: {resumed}")
    if progress is not None:
        progress(sweep.n_runs - sum(len(chunk.runs) for chunk in todo))
    here = code_fingerprint()  # before forking: local workers inherit it, whatever is edited on disk meanwhile
    placement = place_chunks(workers, len(todo), client)
    key = f"stockpile-{fingerprint[:16]}"
    results = _start(placement, todo, run_chunk, client, key, no_worker_timeout_s, started=_import_table_libraries)
    checkpoints.start_leg(placement.record())
    with closing(results):  # stops the workers at once if saving fails
        for result in results:
            if result.code != here:  # a Dask worker that joined after the check at the start
                raise SweepStopped(
                    f"chunk {result.index} came back from a worker that runs other stockpile code (code {result.code}, "
                    f"here {here}); install the same version of the package on every worker"
                )
            checkpoints.save(result)
            if progress is not None:
                progress(result.n_runs)
    return Executed(len(done), damaged, len(todo), placement, tuple(checkpoints.leg_chunks()))


def _import_table_libraries() -> None:
    """Import pandas and Parquet, which saving the chunks needs, while the workers run.

    The workers make plain columns (:class:`ChunkResult`) and never load pandas, so the
    parent loads it here, once the runs are under way, rather than before them: about
    0.25 s of a 2-core sweep's critical path.
    """
    importlib.import_module("pandas")
    importlib.import_module("pyarrow.parquet")


def task_name(function: Callable[..., Any]) -> str:
    """The name of the function a chunk runs, for its Dask task keys.

    A :class:`functools.partial` has none of its own: the name of the function it ends up calling
    (:func:`unwrapped`, as the sweep's fingerprint names it), without the arguments it fixes.

    >>> task_name(partial(run_chunk))
    'run_chunk'
    """
    return getattr(unwrapped(function)[0], "__name__", "chunk")


def map_chunks(
    sweep: Sweep,
    function: Callable[[Chunk], Any],
    workers: int = 1,
    client: Any = None,
    no_worker_timeout_s: float = NO_WORKER_TIMEOUT_S,
) -> Iterator[Any]:
    """``function(chunk)`` for every chunk of ``sweep``, yielded as each finishes (no checkpoints).

    ``function`` runs where the chunk runs (a worker process or a Dask worker), so it
    can call :func:`run_chunk` and reduce its curves there: only its return value
    travels back. It must be a top-level function that workers can import, or a
    :func:`functools.partial` of one. Results come in the order chunks finish; tell them
    apart by ``chunk.index``. Where they run: :func:`placed_map_chunks`.
    """
    return placed_map_chunks(sweep, function, workers, client, no_worker_timeout_s)[1]


def placed_map_chunks(
    sweep: Sweep,
    function: Callable[[Chunk], Any],
    workers: int = 1,
    client: Any = None,
    no_worker_timeout_s: float = NO_WORKER_TIMEOUT_S,
) -> tuple[Placement, Iterator[Any]]:
    """:func:`map_chunks`, with where its chunks run (:func:`place_chunks`)."""
    fingerprint = sweep.fingerprint()
    chunks = [sweep.chunk(i, runs, fingerprint) for i, runs in sweep.chunks()]
    placement = place_chunks(workers, len(chunks), client)
    key = f"stockpile-{task_name(function)}-{fingerprint[:16]}"
    return placement, _start(placement, chunks, function, client, key, no_worker_timeout_s)


def curve_bands(sweep: Sweep, checkpoints: Checkpoints) -> pd.DataFrame:
    """5/50/95th percentiles of each curve per grid point, day, region and material."""
    import pandas as pd

    per_point: dict[int, dict[str, list[np.ndarray]]] = {}
    for index, runs in sweep.chunks():
        curves = checkpoints.curves(index)
        points = np.array([point for point, _, _ in runs])
        for point in np.unique(points):
            bucket = per_point.setdefault(int(point), {c: [] for c in kept_curves(sweep.curves)})
            for c in bucket:
                bucket[c].append(curves[c][points == point])
    frames = []
    for point, bucket in sorted(per_point.items()):
        structure = sweep.structure(point)
        H, R, M = structure.horizon_days, len(structure.regions), len(structure.materials)
        for c, pieces in bucket.items():
            values = np.concatenate(pieces).astype(float)
            with warnings.catch_warnings():  # days of cover is NaN where there is no demand
                warnings.simplefilter("ignore", RuntimeWarning)
                p5, p50, p95 = np.nanpercentile(values, [5, 50, 95], axis=0)
            frames.append(
                pd.DataFrame(
                    {
                        "point": point,
                        "metric": c,
                        "day": np.repeat(np.arange(H), R * M),
                        "region": np.tile(np.repeat(np.array(structure.regions, dtype=object), M), H),
                        "material": np.tile(np.array(structure.materials, dtype=object), H * R),
                        "p5": p5.reshape(-1),
                        "p50": p50.reshape(-1),
                        "p95": p95.reshape(-1),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def plan_points(
    raw: dict[str, Any],
    source: str,
    points: list[dict[str, Any]],
    seeds: list[int],
    curves: CurveRequest = False,
    chunk_runs: int = CHUNK_RUNS,
    own_demand: bool = False,
    transform: Callable[[Scenario], Scenario] | None = None,
) -> Sweep:
    """A sweep of arbitrary points (samples, not a grid): point ``i`` runs once, with ``seeds[i]``.

    Only the first point is validated here; the others are validated where they run, as
    the points of a grid are. ``own_demand``: the table also has each point's :data:`OWN_DEMAND`.
    ``transform``: applied to each point's validated scenario before it runs (:attr:`Sweep.transform`).
    """
    if not points or len(points) != len(seeds):
        raise ValueError("need one seed per point, and at least one point")
    spec = SweepSpec((), runs=1, seed=seeds[0])
    first = build_point(raw, points[0], source, transform)
    sweep = Sweep(
        raw, source, spec, points, first, seeds[0], chunk_runs, curves, own_demand=own_demand, transform=transform
    )
    sweep.runs = [(p, 0, seed) for p, seed in enumerate(seeds)]
    return sweep


def run_points(
    sweep: Sweep,
    workers: int = 1,
    client: Any = None,
    progress: Callable[[int], None] | None = None,
    no_worker_timeout_s: float = NO_WORKER_TIMEOUT_S,
) -> tuple[pd.DataFrame, dict[str, np.ndarray] | None]:
    """Run every run of ``sweep`` (no checkpoints) and gather its table and curves in run order.

    Returns the table (``point``, ``run``, ``seed`` and every metric, one row per run) and,
    when the sweep keeps curves, per curve column an array (runs, days, regions, materials).
    Where they ran: :func:`placed_run_points`.
    """
    table, curves, _ = placed_run_points(sweep, workers, client, progress, no_worker_timeout_s)
    return table, curves


def placed_run_points(
    sweep: Sweep,
    workers: int = 1,
    client: Any = None,
    progress: Callable[[int], None] | None = None,
    no_worker_timeout_s: float = NO_WORKER_TIMEOUT_S,
) -> tuple[pd.DataFrame, dict[str, np.ndarray] | None, Placement]:
    """:func:`run_points`, with where the chunks ran (:func:`place_chunks`)."""
    import pandas as pd

    results: dict[int, ChunkResult] = {}
    placement, finished = placed_map_chunks(sweep, run_chunk, workers, client, no_worker_timeout_s)
    for result in finished:
        results[result.index] = result
        if progress is not None:
            progress(result.n_runs)
    ordered = [results[index] for index, _ in sweep.chunks()]
    table = pd.concat([r.table for r in ordered], ignore_index=True)
    if not sweep.curves:
        return table, None, placement
    curves = {
        c: np.concatenate([r.curves[c] for r in ordered if r.curves is not None]) for c in kept_curves(sweep.curves)
    }
    return table, curves, placement
