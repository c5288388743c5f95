"""A study over a scenario's uncertain inputs: checked inputs and metrics, samples as runs.

Layer: studies.

A study turns points of the unit cube (one coordinate per uncertain input, a quantile of
its distribution) into scenario overrides and runs them through the sweep machinery
(:func:`simulator.sweep.runner.plan_points`, :func:`~simulator.sweep.runner.run_points`):
the batched fast path, on local processes or a Dask cluster, each sample validated where
it runs. Before any run, both ends of every range (every item of a discrete set) are
applied to the scenario one at a time and validated, so a range the field cannot take
is bad input (exit 2) naming the entry.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd

from simulator.burden import jain_group
from simulator.compare_materials import split_by_users
from simulator.errors import InputError, Problem
from simulator.fastpath import CurveRequest
from simulator.quantities import FAIRNESS_OF
from simulator.scenario import Scenario, validate_data
from simulator.scenario.load import value_problems
from simulator.scenario.uncertain import Input, inputs_of, values_at
from simulator.sweep import SWEPT_DATE_DTYPE
from simulator.sweep.backends import dask_workers
from simulator.sweep.columns import check_metrics
from simulator.sweep.figures import FAIRNESS, short_materials
from simulator.sweep.grid import fixed_and_varied
from simulator.sweep.runner import (
    CHUNK_RUNS,
    MIN_BATCH_RUNS,
    Placement,
    Sweep,
    placed_run_points,
    plan_points,
    run_points,
)

MAX_SAMPLE_RUNS = 10_000_000
"""Most runs one study may ask for (as a sweep's ``--max-runs``)."""


def default_metrics(scenario: Scenario) -> list[str]:
    """Total shortfall, fairness where members share a stock, and each region's shortfall."""
    members = scenario.agreement.members if scenario.agreement else []
    return [
        "total_shortfall_t",
        *([FAIRNESS] if len(members) > 1 else []),
        *(f"shortfall_t.{r}" for r in scenario.regions),
    ]


@dataclass(frozen=True)
class ByMaterial:
    """Where a study's Jain's index is each material's own: which materials, and who alone uses the others."""

    materials: list[str]
    """The materials short in some run that two members or more use, in the scenario's order: each one's index
    (``fairness_jain.all.<material>``) is studied in ``fairness_jain``'s place."""
    sole_users: list[tuple[str, str]]
    """(material, member) of each material short in some run that one member alone uses: no burden of it to
    share, so no index of it is studied."""

    @property
    def metrics(self) -> list[str]:
        """The metrics studied in ``fairness_jain``'s place: ``fairness_jain.all.<material>`` of each material."""
        return [f"{FAIRNESS_OF}{m}" for m in self.materials]


def fairness_by_material(scenario: Scenario, table: pd.DataFrame) -> ByMaterial | None:
    """Where Jain's index of ``table``'s runs is studied material by material, as ``stockpile run``'s last line has it.

    Over all materials (``fairness_jain``) a member's share divides its shortfall of every material by its demand
    for every material: where the scenario's tonnes may not be added that adds them, and with gallium alone short
    it divides a gallium shortfall by demand for rare earths (0.339 over all materials where gallium's own index
    was 0.996). The rule is :func:`~simulator.scenario.tonnes.index_by_material` of the materials some member
    is short of in some run (:func:`simulator.sweep.figures.short_materials`); a material one member alone uses
    is split off as ``stockpile compare`` does (:func:`simulator.compare_materials.fairness_materials`). None
    where ``fairness_jain`` is studied as it is: the tonnes may be added, or no member is short in any run.
    The members are the agreement's, or every region without one (:func:`jain_group`).
    """
    group = jain_group(scenario)
    short = set(short_materials(table, group))
    in_order = [m for m in scenario.materials if m in short]
    split = split_by_users(scenario, group, in_order)
    return None if split is None else ByMaterial(*split)


def studied_metrics(metrics: Iterable[str], by_material: ByMaterial | None) -> list[str]:
    """``metrics`` with ``fairness_jain`` in its place replaced by each material's index (``by_material``'s).

    >>> studied_metrics(["total_shortfall_t", "fairness_jain", "shortfall_t.eu"], ByMaterial(["ree", "ga"], []))
    ['total_shortfall_t', 'fairness_jain.all.ree', 'fairness_jain.all.ga', 'shortfall_t.eu']
    >>> studied_metrics(["fairness_jain"], None), studied_metrics(["fairness_jain"], ByMaterial([], [("mag", "eu")]))
    (['fairness_jain'], [])
    """
    if by_material is None:
        return list(metrics)
    out = [part for metric in metrics for part in (by_material.metrics if metric == FAIRNESS else [metric])]
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Study:
    """A scenario with its uncertain inputs and the metrics to read, checked before any run."""

    raw: dict[str, Any]
    """Scenario data (with any ``--set`` overrides) that every sample starts from."""
    source: str
    scenario: Scenario
    inputs: tuple[Input, ...]
    metrics: tuple[str, ...]

    @property
    def paths(self) -> list[str]:
        """The inputs' ``--set`` paths, in the order declared."""
        return [i.path for i in self.inputs]

    @property
    def root_seed(self) -> int:
        """The scenario's seed."""
        return self.scenario.seed

    def points(self, unit: np.ndarray) -> list[dict[str, Any]]:
        """The overrides of each row of ``unit`` (samples x inputs, quantiles in [0, 1])."""
        columns = [values_at(item, unit[:, j]) for j, item in enumerate(self.inputs)]
        return [dict(zip(self.paths, row, strict=True)) for row in zip(*columns, strict=True)]

    def values_table(self, points: list[dict[str, Any]]) -> pd.DataFrame:
        """The values each sample used, one typed column per input (a mapping: per key); see :func:`typed_values`."""
        return typed_values(self.inputs, points)


def typed_values(inputs: Sequence[Input], points: list[dict[str, Any]]) -> pd.DataFrame:
    """The inputs' values of each sample (``points``, one mapping of path to value each) as typed columns.

    One column per input, named by its path and in the order declared, typed by the values
    the samples took:

    - whole numbers: ``int64``; other numbers: ``float64`` (NaN for a missing value);
    - dates: ``datetime64[ms]`` (a date range, a set of dates, or ISO dates for a field that
      holds a date);
    - ``True``/``False``: ``bool``;
    - a mapping (a set of sourcing shares, say): one column per key, ``<path>.<key>``, typed
      by the same rules, keys in the order first met, empty (NaN) in a sample whose mapping
      lacks the key;
    - anything else (words such as ``held``/``lost``, or values of mixed kinds): text, a list
      or a mapping as JSON text (:func:`column_text`), so that it reads back with ``json.loads``.

    >>> from simulator.scenario.schema import UncertainValues
    >>> split = Input(UncertainValues(path="p", source="s", values=[{"a": 0.9, "b": 0.1}, {"a": 1.0}]), None)
    >>> typed_values([split], [{"p": {"a": 0.9, "b": 0.1}}, {"p": {"a": 1.0}}]).to_dict("list")
    {'p.a': [0.9, 1.0], 'p.b': [0.1, nan]}
    """
    out: dict[str, Any] = {}
    for item in inputs:
        values = [point[item.path] for point in points]
        out.update(_typed_columns(item.path, values, isinstance(item.current, dt.date)))
    return pd.DataFrame(out, index=pd.RangeIndex(len(points)))


def _typed_columns(name: str, values: list[Any], holds_date: bool) -> dict[str, Any]:
    """Column ``name`` of ``values``, or for mappings a column ``name.<key>`` per key (nested: recursively)."""
    present = [v for v in values if v is not None]
    if not present or not all(isinstance(v, dict) for v in present):
        return {name: _typed_column(values, holds_date)}
    keys = dict.fromkeys(key for v in present for key in v)
    out: dict[str, Any] = {}
    for key in keys:
        out.update(_typed_columns(f"{name}.{key}", [v.get(key) if v is not None else None for v in values], False))
    return out


def _typed_column(values: list[Any], holds_date: bool) -> Any:
    """One column of sampled values as its type says (see :func:`typed_values`)."""
    present = [v for v in values if v is not None]
    flags = all(isinstance(v, bool | np.bool_) for v in values)
    if present and flags:
        return np.array(values, bool)
    numbers = [isinstance(v, Real) and not isinstance(v, bool | np.bool_) for v in present]
    if present and all(numbers):
        if len(present) == len(values) and all(isinstance(v, Integral) for v in values):
            return np.array(values, np.int64)
        return np.array([np.nan if v is None else float(v) for v in values], np.float64)
    if present and all(_is_date(v, holds_date) for v in present):
        days = [None if v is None else pd.Timestamp(str(v)) for v in values]
        return pd.Series(days, dtype=SWEPT_DATE_DTYPE)
    texts = [None if v is None else column_text(v) for v in values]
    return pd.Series(texts)  # pandas 3: the str dtype Parquet gives back


def _is_date(value: Any, holds_date: bool) -> bool:
    """A date, or (for a field that holds a date) an ISO date as text."""
    if isinstance(value, dt.date):
        return True
    if not (holds_date and isinstance(value, str)):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def column_text(value: Any) -> str:
    """A sampled value in a text column: a list or a mapping as JSON text, anything else as written.

    Words stay plain (``held``, not ``"held"``); a list of mappings (an auction's bids, say) is JSON, which
    ``json.loads`` reads back, dates inside it as ISO dates.

    >>> column_text([{"end_use": "magnets", "share": 0.1}]), column_text({"a": dt.date(2011, 2, 3)})
    ('[{"end_use": "magnets", "share": 0.1}]', '{"a": "2011-02-03"}')
    >>> column_text("held"), column_text(1)
    ('held', '1')
    """
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=_json_value)
    return str(value)


def _json_value(value: Any) -> Any:
    """What JSON holds of a value it has no type for: a NumPy number as the number, anything else (a date) as text."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _text(value: Any) -> str:
    """A range end in a problem's message: a mapping as ``key: value, ...``."""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def plan_study(
    raw: dict[str, Any],
    source: str,
    metrics: Iterable[str] = (),
    only: Iterable[str] = (),
    *,
    fixed: Iterable[str],
    narrow: bool = True,
    validated: Scenario | None = None,
) -> Study:
    """Check a study before any run: inputs declared, metrics known, every range's ends valid.

    ``only`` keeps the declared inputs of those paths (the others stay at the scenario's
    values); ``fixed`` are the paths of the ``--set`` overrides already applied to ``raw``,
    refused on a varied path (:func:`~simulator.sweep.grid.fixed_and_varied`; required, so
    that no caller forgets it: ``()`` when nothing was set; ``narrow`` False for a command
    without ``--input``; ``validated``: ``raw`` validated already by the caller, which named the
    ``--set`` that caused a problem, not validated again). Raises
    :class:`InputError` (exit 2) for a scenario without an ``uncertain:`` block, a path in
    ``only`` that it does not declare, an unknown metric, or a range end
    the field cannot take (naming ``uncertain.<i>``).
    """
    scenario = validate_data(raw, source) if validated is None else validated
    inputs = tuple(inputs_of(scenario))
    if not inputs:
        raise InputError(
            [
                Problem(
                    "uncertain",
                    "the scenario declares no uncertain inputs: add an uncertain: block (docs/uncertainty.md)",
                )
            ],
            source,
        )
    only = list(dict.fromkeys(only))
    varied = only or [i.path for i in inputs]  # an entry inside a fixed path was dropped with its field
    if clashes := fixed_and_varied(fixed, varied, "input" if only else None, raw, narrow):
        raise InputError(clashes, source)
    unknown = [p for p in only if p not in {i.path for i in inputs}]
    if unknown:
        why = "is not an uncertain input of the scenario (see its uncertain: block)"
        raise InputError([Problem("--input", f"'{p}' {why}") for p in unknown], source)
    if only:
        inputs = tuple(i for i in inputs if i.path in only)
    names = check_metrics(list(metrics) or default_metrics(scenario), scenario.regions, scenario.materials)
    number = {entry.path: i for i, entry in enumerate(scenario.uncertain)}
    ends = [(number[item.path], item.path, item.extremes()) for item in inputs]
    if problems := value_problems(raw, source, ends, text=_text):
        raise InputError(problems, source)
    return Study(raw, source, scenario, inputs, tuple(dict.fromkeys(names)))


def chunk_size(runs: int, workers: int) -> int:
    """Runs per chunk: four per worker, at most the sweep's, none below a batch unless a worker would get none.

    A fast-path batch costs about a quarter of a second whatever its size (its day loop, about
    0.3 ms a day of the replay) before its runs' own cost (0.6 ms each), so below
    :data:`~simulator.sweep.runner.MIN_BATCH_RUNS` runs a chunk is cut only so far as to give every
    worker one: 100 samples on two workers are two chunks of 50, not eight of 13.

    >>> chunk_size(100, 2), chunk_size(1_000, 2), chunk_size(10_000, 2), chunk_size(100, 1)
    (50, 250, 1250, 100)
    """
    workers = max(1, workers)
    return max(1, min(CHUNK_RUNS, max(math.ceil(runs / (4 * workers)), min(MIN_BATCH_RUNS, math.ceil(runs / workers)))))


def evaluate(
    study: Study,
    points: list[dict[str, Any]],
    seeds: list[int],
    workers: int = 1,
    client: Any = None,
    curves: CurveRequest = False,
    progress: Callable[[int], None] | None = None,
    own_demand: bool = False,
    transform: Callable[[Scenario], Scenario] | None = None,
) -> tuple[pd.DataFrame, dict[str, np.ndarray] | None]:
    """Run every sample once (sample ``i`` with ``seeds[i]``); its table in sample order and any curves.

    ``curves``: the per-day curves to keep, by name (``("days_of_cover", "world_price_usd_per_kg")``), or
    ``True`` for the default set (:data:`simulator.fastpath.CURVE_COLUMNS`), ``False`` for none (then None).
    ``own_demand``: the table ends with each sample's baseline demand
    (:data:`~simulator.sweep.runner.OWN_DEMAND` columns, worked out where the sample's plan is compiled).
    ``transform``: applied to each sample's validated scenario before it runs (a top-level function or a partial
    of one: :attr:`simulator.sweep.runner.Sweep.transform`).
    """
    sweep = _samples_sweep(study, points, seeds, workers, client, curves, own_demand, transform)
    return run_points(sweep, workers, client, progress)


def placed_evaluate(
    study: Study,
    points: list[dict[str, Any]],
    seeds: list[int],
    workers: int = 1,
    client: Any = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[pd.DataFrame, Placement]:
    """:func:`evaluate` without curves, with where its chunks ran (what ``sensitivity.json`` records)."""
    sweep = _samples_sweep(study, points, seeds, workers, client)
    table, _, placement = placed_run_points(sweep, workers, client, progress)
    return table, placement


def _samples_sweep(
    study: Study,
    points: list[dict[str, Any]],
    seeds: list[int],
    workers: int,
    client: Any,
    curves: CurveRequest = False,
    own_demand: bool = False,
    transform: Callable[[Scenario], Scenario] | None = None,
) -> Sweep:
    """The samples as a sweep of points, cut into chunks of :func:`chunk_size` for the workers asked for."""
    if len(points) > MAX_SAMPLE_RUNS:
        raise InputError(f"--samples: {len(points):,} runs, more than {MAX_SAMPLE_RUNS:,}")
    n_workers = workers if client is None else max(1, dask_workers(client))
    return plan_points(
        study.raw, study.source, points, seeds, curves, chunk_size(len(points), n_workers), own_demand, transform
    )
