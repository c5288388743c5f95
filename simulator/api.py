"""The Python API: ``run``, ``sweep``, ``compare``, ``check`` and ``report`` for notebooks and scripts.

Layer: face.

Each function does what the command of the same name does, with Python values in and
pandas DataFrames out, and writes no file unless asked (``path``, ``out``,
[`RunResult.write`][simulator.api.RunResult.write]). The same names are on the package: ``simulator.run(...)`` is
[`run`][simulator.api.run].

**Scenarios.** Every ``scenario`` argument is a YAML file path, the bare name of a
scenario in ``./scenarios`` or the shipped library (``"embargo_2010"``), a mapping of
scenario data as read from YAML, or a validated ``Scenario``
(``simulator.load_scenario(path)``). ``set`` changes fields before validation, as ``--set``
does: a mapping ``{"agreement.ratio.japan": 0.3}``, or a list of ``(path, value)`` pairs or
``"PATH=VALUE"`` strings. A mapping given as the scenario is never changed.

**Tables.** Dates are ``datetime64[s]`` (``NaT`` without a ``start_date``); whole numbers
are nullable integers, with ``<NA>`` where an event never happened
(``first_shortfall_day``); each table's units are in ``frame.attrs["units"]``
(see ``simulator.frames``).

**Errors.** Bad input raises ``simulator.InputError`` (a
``simulator.ScenarioError`` for a scenario) whose message names the file
and field, as the command line prints it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from simulator.errors import InputError, Problem
from simulator.frames import DATE_DTYPE, is_never_kind, quantity_of, typed, typed_metrics
from simulator.scenario import Scenario, apply_overrides, load_raw, parse_assignment, validate_data
from simulator.sweep.grid import MAX_POINTS, Axis, SweepSpec, parse_values
from simulator.sweep.runner import CHUNK_RUNS, MAX_RUNS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from simulator.gate import Report
    from simulator.results import Result

__all__ = ["CheckReport", "RunResult", "check", "compare", "report", "run", "sweep"]

ScenarioLike = str | os.PathLike[str] | Mapping[str, Any] | Scenario
"""A scenario file, a bare library name, scenario data or a validated scenario."""
Overrides = Mapping[str, Any] | Iterable[tuple[str, Any] | str] | None
"""``--set`` changes: ``{path: value}``, ``[(path, value), ...]`` or ``["PATH=VALUE", ...]``."""

DATA_SOURCE = "<scenario data>"
"""How messages name a scenario given as data rather than as a file."""
ENGINES = ("reference",)
"""Engines a single run can use: the SimPy reference engine (sweeps use the batched fast path)."""
RUN_TABLES = ("timeseries", "summary", "supply", "pool", "releases", "auctions", "shocks", "portfolio")
XARRAY_MISSING = "xarray is not installed; install the extra with: pip install 'stockpile-simulator[xarray]'"


# --- input -----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A value as YAML would give it: NumPy scalars and arrays, tuples become Python ones."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _assignments(changes: Overrides, name: str = "set") -> list[tuple[str, Any]]:
    """``set`` as ``(path, value)`` pairs, in order."""
    if changes is None:
        return []
    if isinstance(changes, Mapping):
        items: list[Any] = list(changes.items())
    elif isinstance(changes, str):
        items = [changes]
    elif isinstance(changes, Iterable):
        items = list(changes)
    else:
        raise InputError(f"{name}: give a mapping {{path: value}} or a list of (path, value) pairs, not {changes!r}")
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(parse_assignment(item))
        elif isinstance(item, tuple | list) and len(item) == 2 and isinstance(item[0], str) and item[0].strip():
            out.append((item[0].strip(), _plain(item[1])))
        else:
            raise InputError(f"{name}: {item!r} is neither a (path, value) pair nor a 'PATH=VALUE' string")
    return out


def _whole(value: Any, name: str, least: int) -> int:
    """An option that must be a whole number ``>= least``."""
    value = _plain(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise InputError(f"{name}: must be a whole number >= {least}, got {value!r}")
    return value


@dataclass(frozen=True)
class _Loaded:
    """A validated scenario, the data it was validated from and where it came from."""

    scenario: Scenario
    data: dict[str, Any] | None
    """The scenario data with the changes applied (None: a ``Scenario`` used as given)."""
    source: str


def _raw(scenario: ScenarioLike, changes: list[tuple[str, Any]]) -> tuple[dict[str, Any], str]:
    """Scenario data with ``changes`` applied (not validated) and the name messages give it."""
    if isinstance(scenario, Scenario):
        return apply_overrides(scenario.model_dump(mode="json"), changes), DATA_SOURCE
    if isinstance(scenario, Mapping):
        try:
            return apply_overrides(dict(scenario), changes), DATA_SOURCE
        except InputError as exc:
            raise InputError(exc.problems, DATA_SOURCE) from None
    if isinstance(scenario, str | os.PathLike):
        from simulator.library import resolve_scenario

        path = resolve_scenario(os.fspath(scenario))
        return load_raw(path, changes), path
    kind = type(scenario).__name__
    raise InputError(
        f"scenario: give a file path, a scenario name, a mapping of scenario data or a Scenario, not {kind}"
    )


def _load(scenario: ScenarioLike, changes: Overrides = None, seed: int | None = None) -> _Loaded:
    """Load and validate, with the changes and the seed applied (as ``stockpile run`` does)."""
    assignments = _assignments(changes)
    if seed is not None:
        assignments.append(("seed", _whole(seed, "seed", 0)))
    if isinstance(scenario, Scenario) and not assignments:
        return _Loaded(scenario, None, DATA_SOURCE)
    data, source = _raw(scenario, assignments)
    return _Loaded(validate_data(data, source), data, source)


def _check_drawable(scenario: Scenario, source: str) -> None:
    """Refuse, before any work, a scenario with more regions than a figure tells apart."""
    from simulator.plots import MAX_REGIONS

    if len(scenario.regions) > MAX_REGIONS:
        message = f"figures tell at most {MAX_REGIONS} regions apart and this scenario has {len(scenario.regions)}"
        raise InputError([Problem("regions", message)], source)


# --- run -------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False, eq=False)
class RunResult:
    """One run's tables as typed DataFrames, its metrics and units; figures and files on request.

    The tables are those ``stockpile run`` writes (see the outputs reference); ``result``
    and ``data`` are what the files are written from.
    """

    scenario: Scenario
    """The validated scenario that ran (changes applied)."""
    seed: int
    """The run's seed."""
    timeseries: pd.DataFrame
    """One row per day, region and material: demand, supply, releases, shortfall, stocks, cover."""
    summary: pd.DataFrame
    """One row per region and material, then agreement-wide rows (``region == "all"``)."""
    supply: pd.DataFrame
    """One row per day, region, material and supplier: shipped and arrived."""
    pool: pd.DataFrame
    """One row per day and material: the joint pool's stock and refills."""
    releases: pd.DataFrame
    """One row per release decision of the agreement, a block of columns per member."""
    auctions: pd.DataFrame
    """One row per auction held: clearing price, lot, bids, wins and spend per member."""
    shocks: pd.DataFrame
    """One row per shock as it happened in this run (drawn values for random ones)."""
    portfolio: pd.DataFrame
    """Sourcing shares per region, material and supplier, before and after quotas."""
    metrics: dict[str, Any]
    """Flat per-run metrics, the columns of a sweep table (``shortfall_t.japan`` ...):
    floats, ints for whole numbers, ``pandas.NA`` for "never"."""
    units: dict[str, str]
    """Unit of every column of the tables and of every metric (``"t"``, ``"days"``,
    ``"USD"``, ``"date"`` ...), from ``simulator.quantities``."""
    result: Result
    """The model's own result (string dates, ``-1`` for never), as the files are written from."""
    data: dict[str, Any] | None = None
    """The scenario data that was validated (written as ``scenario.json``)."""

    def __repr__(self) -> str:
        s = self.scenario
        total = self.metrics.get("total_shortfall_t")
        return (
            f"<RunResult {s.name!r} seed={self.seed}: {s.horizon_days} days, {len(s.regions)} region(s) x "
            f"{len(s.materials)} material(s), total shortfall {total:,.1f} t>"
        )

    def figures(self) -> dict[str, Figure]:
        """The run's figures as Matplotlib figures, nothing written.

        Returns ``{"days_of_cover": ..., "shortfall": ..., "supply_mix": ...}``: the
        figures ``stockpile run`` saves as PNG files (``fig.savefig(path)`` saves one).
        """
        from simulator.plots import days_of_cover_figure, shortfall_figure, supply_mix_figure

        _check_drawable(self.scenario, self.scenario.name)
        return {
            "days_of_cover": days_of_cover_figure(self.result),
            "shortfall": shortfall_figure(self.result),
            "supply_mix": supply_mix_figure(self.result),
        }

    def write(
        self,
        folder: str | os.PathLike[str],
        *,
        plots: bool = True,
        report: bool = False,
        excel: bool = False,
        force: bool = False,
    ) -> list[Path]:
        """Write the files of ``stockpile run -o folder`` and return their paths.

        Parameters
        ----------
        folder
            Output folder (created if needed). As for the command, it is written only
            where it is the tool's: a file there that its ``manifest.json`` does not list
            is never overwritten unless ``force``.
        plots
            Also write the PNG figures (``--no-plots`` is ``plots=False``).
        report
            Also write ``report.html`` (``--report``).
        excel
            Also write ``workbook.xlsx`` (``--excel``).
        force
            Overwrite files the folder's manifest does not list (``--force``).
        """
        from simulator.output import run_files, write_run
        from simulator.output_folder import open_folder

        if plots or report:
            _check_drawable(self.scenario, self.scenario.name)
        files = run_files(self.scenario.agreement is not None, plots, report, excel)

        def extras(result: Result, stage: Path) -> None:
            if plots:
                from simulator.plots import write_figures

                write_figures(result, stage)
            if report:
                from simulator.report import write_report

                write_report(result, stage / "report.html")
            if excel:
                from simulator.workbook import run_workbook

                run_workbook(result, stage / "workbook.xlsx", scenario_data=self.data)

        with open_folder(Path(folder), files, force) as out:
            return write_run(self.result, out, figures=extras, scenario_data=self.data)


def _run_result(result: Result, data: dict[str, Any] | None = None) -> RunResult:
    """Typed tables, metrics and units of a model result."""
    tables = {name: typed(getattr(result, name), name) for name in RUN_TABLES}
    units: dict[str, str] = {}
    for frame in tables.values():
        units.update(frame.attrs["units"])
    metrics = typed_metrics(result.metrics)
    units.update({name: q.unit for name in metrics if (q := quantity_of(name)) is not None})
    return RunResult(result.scenario, result.seed, **tables, metrics=metrics, units=units, result=result, data=data)


def run(
    scenario: ScenarioLike,
    *,
    set: Overrides = None,
    seed: int | None = None,
    engine: str = "reference",
) -> RunResult:
    """Run a scenario once, as ``stockpile run`` does, and return its tables.

    Parameters
    ----------
    scenario
        A file path, a bare scenario name, scenario data or a ``Scenario``.
    set
        Changes applied before validation, as ``--set``: ``{path: value}``, ``(path, value)``
        pairs or ``"PATH=VALUE"`` strings.
    seed
        The run's seed (default: the scenario's ``seed``).
    engine
        ``"reference"``, the SimPy engine that records every table (the only engine of
        single runs; sweeps use the batched fast path, which gives the same numbers).

    Returns
    -------
    RunResult
        Typed tables, flat metrics and units; ``.figures()`` and ``.write(folder)``.

    Raises
    ------
    InputError
        Bad input; a ``ScenarioError`` for the scenario itself.
    """
    if engine not in ENGINES:
        raise InputError(f"engine: unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    from simulator.engine import simulate

    loaded = _load(scenario, set, seed)
    return _run_result(simulate(loaded.scenario), loaded.data)


# --- sweep -----------------------------------------------------------------------------------


def _axes(grid: Mapping[str, Any] | None, max_points: int) -> tuple[Axis, ...]:
    """``grid`` as axes: a SPEC string (``"0:1:0.1"``, ``"a,b"``), a list of values or one value."""
    if grid is None:
        return ()
    if not isinstance(grid, Mapping):
        raise InputError(f"grid: give a mapping {{path: values}}, not {type(grid).__name__}")
    axes = []
    for path, spec in grid.items():
        if not isinstance(path, str) or not path.strip():
            raise InputError(f"grid: {path!r} is not a dotted path")
        path = path.strip()
        if isinstance(spec, str):
            values = parse_values(spec, path, max_points)
        elif isinstance(spec, Iterable) and not isinstance(spec, Mapping):
            if hasattr(spec, "__len__") and len(spec) > max_points:
                raise InputError(
                    f"--grid {path}: {len(spec):,} values, more than a grid may have points ({max_points:,})"
                )
            values = tuple(_plain(value) for value in spec)
            if not values:
                raise InputError(f"--grid {path}: no values given")
        else:
            values = (_plain(spec),)
        axes.append(Axis(path, values))
    return tuple(axes)


def _in_memory(planned: Any, workers: int, client: Any) -> pd.DataFrame:
    """Run every chunk with the fast path (no checkpoints, no files) and assemble the table."""
    from simulator.sweep import assemble_table
    from simulator.sweep.runner import map_chunks, run_chunk

    chunks = planned.chunks()
    tables: dict[int, pd.DataFrame] = {}
    with closing(map_chunks(planned, run_chunk, max(1, min(workers, len(chunks))), client)) as results:
        for result in results:
            tables[result.index] = result.table
    return assemble_table(planned, [tables[index] for index, _ in chunks])


def _to_files(planned: Any, folder: Path, workers: int, client: Any, force: bool) -> pd.DataFrame:
    """Run (or resume) the sweep into ``folder`` as ``stockpile sweep -o`` does, figures included."""
    from simulator.sweep import run_sweep
    from simulator.sweep.figures import write_sweep_figures

    return run_sweep(planned, folder, workers=workers, client=client, figures=write_sweep_figures, force=force)


def _dataset(table: pd.DataFrame, planned: Any) -> Any:
    """The sweep table as an xarray Dataset: one dimension per swept path (its values), then ``run``."""
    try:
        import xarray as xr
    except ImportError:
        raise InputError(f"as_xarray: {XARRAY_MISSING}") from None
    axes = planned.spec.axes
    for axis in axes:
        try:
            repeated = len(pd.unique(pd.Series(axis.values, dtype=object))) < len(axis.values)
        except TypeError:  # unhashable values (lists) cannot index a dimension
            repeated = True
        if repeated:
            raise InputError(f"as_xarray: the values of {axis.path} must be distinct scalars to index a dimension")
    runs = planned.spec.runs
    shape = (*(len(axis.values) for axis in axes), runs)
    dims = (*(axis.path for axis in axes), "run")
    metrics = [c for c in table.columns if c not in {*dims, "point", "seed"}]
    units = table.attrs.get("units", {})
    variables = {}
    for name in metrics:
        values = table[name]
        if isinstance(values.dtype, pd.Int64Dtype):  # <NA> becomes NaN
            values = values.astype("float64")
        variables[name] = xr.Variable(dims, values.to_numpy().reshape(shape), attrs={"units": units.get(name, "")})
    coords = {axis.path: np.array(axis.values, dtype=object if _mixed(axis.values) else None) for axis in axes}
    coords["run"] = np.arange(runs)
    coords["seed"] = ("run", table["seed"].to_numpy()[:runs])
    attrs = {"scenario": planned.first.name, "seed": planned.root_seed, "runs_per_point": runs}
    return xr.Dataset(variables, coords=coords, attrs=attrs)


def _mixed(values: tuple[Any, ...]) -> bool:
    """Values of more than one Python type (kept as objects, never coerced to text)."""
    return len({type(v) for v in values}) > 1


def sweep(
    scenario: ScenarioLike,
    grid: Mapping[str, Any] | None = None,
    *,
    runs: int = 1,
    seed: int | None = None,
    workers: int | None = None,
    set: Overrides = None,
    as_xarray: bool = False,
    out: str | os.PathLike[str] | None = None,
    force: bool = False,
    client: Any = None,
    max_points: int = MAX_POINTS,
    max_runs: int = MAX_RUNS,
) -> Any:
    """Run a scenario over a grid of parameters and seeds with the fast path; one row per run.

    Parameters
    ----------
    scenario
        A file path, a bare scenario name, scenario data or a ``Scenario``.
    grid
        ``{path: values}``: a list of values, one value, or a SPEC string as for
        ``--grid`` (``"0:1:0.1"`` with the stop included, ``"fair_ratio,auction"``). Several
        paths form the full cross product, the first varying slowest.
    runs
        Runs (seeds) per grid point; replicate ``k`` of every point has the same seed.
    seed
        Root seed (default: the scenario's).
    workers
        Local worker processes (default: the machine's cores; 1 runs in this process).
    set
        Changes applied to every run, as ``--set``.
    as_xarray
        Return an ``xarray.Dataset`` instead (needs the ``xarray`` extra): one
        dimension per swept path, indexed by its values, then ``run``; a variable per
        metric with its ``units`` attribute; ``seed`` a coordinate along ``run``.
    out
        Also write the files of ``stockpile sweep -o out`` (table, ``sweep.json``,
        figures; resumable). Without it nothing is written.
    force
        With ``out``: overwrite files its manifest does not list.
    client
        A ``distributed.Client`` to run the chunks on a Dask cluster.
    max_points
        Refuse grids of more points, before any run.
    max_runs
        Refuse sweeps of more runs in all, before any run.

    Returns
    -------
    pandas.DataFrame or xarray.Dataset
        The sweep table (the rows of ``sweep.parquet``): a column per swept path,
        ``point``, ``run``, ``seed``, then every metric; whole numbers are ``Int64`` and
        ``first_shortfall_day.*`` is ``<NA>`` where ``sweep.parquet`` has -1 (never short);
        units in ``attrs["units"]``.
    """
    from simulator.sweep import plan_sweep
    from simulator.sweep.runner import check_size

    runs = _whole(runs, "runs", 1)
    root_seed = None if seed is None else _whole(seed, "seed", 0)
    n_workers = _whole(workers, "workers", 1) if workers is not None else os.cpu_count() or 1
    spec = SweepSpec(_axes(grid, max_points), runs=runs, seed=root_seed, fixed=tuple(_assignments(set)))
    check_size(spec, max_points, max_runs)
    raw, source = _raw(scenario, [])
    if out is None:
        n_runs = math.prod(len(axis.values) for axis in spec.axes) * runs
        chunk_runs = min(CHUNK_RUNS, max(1, math.ceil(n_runs / n_workers)))
        planned = plan_sweep(raw, source, spec, chunk_runs=chunk_runs, max_points=max_points, max_runs=max_runs)
        table = _in_memory(planned, n_workers, client)
    else:
        planned = plan_sweep(raw, source, spec, max_points=max_points, max_runs=max_runs)
        table = _to_files(planned, Path(out), n_workers, client, force)
    table = typed(table)
    return _dataset(table, planned) if as_xarray else table


# --- compare, report, check ------------------------------------------------------------------


def compare(
    scenario: ScenarioLike,
    mechanisms: str | Iterable[str] | None = None,
    *,
    set: Overrides = None,
) -> pd.DataFrame:
    """Run a scenario under several release rules, as ``stockpile compare``; one row per rule.

    Parameters
    ----------
    scenario
        A file path, a bare scenario name, scenario data or a ``Scenario`` with an
        agreement.
    mechanisms
        Rule names (a list, or ``"fair_ratio,auction"``); default every rule.
    set
        Changes applied before each run, as ``--set``.

    Returns
    -------
    pandas.DataFrame
        The rows of ``compare.csv``: ``mechanism``, agreement-wide metrics, then per
        member shortfall, shortfall share, first day short (``<NA>``: never) and auction
        spend; a rule that cannot run has a row with only ``skipped`` (why).
    """
    from simulator.compare import compare as compare_rules
    from simulator.compare import parse_mechanisms

    if mechanisms is not None and not isinstance(mechanisms, str):
        names = [str(name) for name in mechanisms]
        if not names:
            raise InputError("mechanisms: give at least one mechanism, or None for every one")
        mechanisms = ",".join(names)
    names = parse_mechanisms(mechanisms)
    raw, source = _raw(scenario, _assignments(set))
    return typed(compare_rules(raw, names, source).table())


def report(
    scenario: ScenarioLike,
    path: str | os.PathLike[str],
    *,
    compare: ScenarioLike | None = None,
    set: Overrides = None,
    seed: int | None = None,
) -> Path:
    """Run a scenario and write its self-contained HTML report, as ``stockpile report``.

    Parameters
    ----------
    scenario
        A file path, a bare scenario name, scenario data or a ``Scenario``.
    path
        The HTML file to write (its folder is created).
    compare
        A baseline scenario to compare against (``--compare``); ``set`` is not applied to it.
    set
        Changes applied to ``scenario`` before it runs, as ``--set``.
    seed
        The run's seed (default: the scenario's).

    Returns
    -------
    pathlib.Path
        The report written.
    """
    from simulator.engine import simulate
    from simulator.output import check_writable
    from simulator.report import comparison_problem, write_report

    loaded = _load(scenario, set, seed)
    _check_drawable(loaded.scenario, loaded.source)
    base = _load(compare) if compare is not None else None
    if base is not None and (problem := comparison_problem(loaded.scenario, base.scenario)):
        raise InputError(f"compare: {problem}", base.source)
    target = Path(path)
    check_writable(target.parent)
    baseline = simulate(base.scenario) if base is not None else None
    return write_report(simulate(loaded.scenario), target, baseline=baseline)


@dataclass(frozen=True, repr=False, eq=False)
class CheckReport:
    """What ``stockpile check`` found: an outcome per scenario and every number that moved."""

    report: Report
    """The regression gate's own report (``simulator.gate.Report``)."""

    @property
    def exit_code(self) -> int:
        """The command's exit code: 0 all passed, 1 drift, 2 a scenario or baseline could not be checked."""
        return self.report.exit_code

    @property
    def passed(self) -> bool:
        """Every scenario matched its baseline (or was retired)."""
        return self.exit_code == 0

    @property
    def outcomes(self) -> pd.DataFrame:
        """One row per scenario (and per orphan baseline): status, numbers moved, message, seconds."""
        rows = [
            {
                "scenario": o.scenario,
                "file": o.file,
                "status": o.status,
                "drifts": len(o.drifts),
                "scenario_changed": o.scenario_changed,
                "message": o.message,
                "seconds": o.seconds,
            }
            for o in self.report.outcomes
        ]
        columns = ["scenario", "file", "status", "drifts", "scenario_changed", "message", "seconds"]
        return pd.DataFrame(rows, columns=columns)

    @property
    def drifts(self) -> pd.DataFrame:
        """One row per number that moved beyond its tolerance.

        Columns: ``scenario``, ``region`` and ``material`` (``all`` for totals),
        ``metric``, ``day`` and ``date`` of a curve point (``<NA>``/``NaT`` for a summary
        metric), ``baseline`` and ``now`` (NaN where a number appeared or disappeared, or
        where a first day short is "never"), ``change`` in words and its relative ``size``.
        """
        rows = []
        for outcome in self.report.outcomes:
            start = pd.Timestamp(outcome.start_date) if outcome.start_date else pd.NaT
            for d in outcome.drifts:
                q = quantity_of(d.metric)
                never = q is not None and is_never_kind(q)
                rows.append(
                    {
                        "scenario": d.scenario,
                        "region": d.region,
                        "material": d.material,
                        "metric": d.metric,
                        "day": d.day,
                        "date": start + pd.Timedelta(days=d.day) if d.day is not None else pd.NaT,
                        "baseline": _number(d.baseline, never),
                        "now": _number(d.now, never),
                        "change": d.change,
                        "size": d.size,
                    }
                )
        columns = ["scenario", "region", "material", "metric", "day", "date", "baseline", "now", "change", "size"]
        frame = pd.DataFrame(rows, columns=columns)
        frame["day"] = frame["day"].astype("Int64")
        frame["date"] = pd.to_datetime(frame["date"]).astype(DATE_DTYPE)
        for column in ("baseline", "now", "size"):
            frame[column] = frame[column].astype("float64")
        return frame

    def __str__(self) -> str:
        from simulator.gate import formats

        return formats.closing(self.report, "text")

    def __repr__(self) -> str:
        from simulator.gate import formats

        return f"<CheckReport exit_code={self.exit_code}: {formats.final_line(self.report)}>"


def _number(value: Any, never: bool) -> float:
    """A baselined number as a float: NaN when missing, or "never" for a first day."""
    if value is None or (never and value < 0):
        return float("nan")
    return float(value)


def check(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
    *,
    baselines: str | os.PathLike[str] | None = None,
    tolerances: str | os.PathLike[str] | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    workers: int | None = None,
) -> CheckReport:
    """Re-run scenarios and compare them with their baselines, as ``stockpile check``.

    Parameters
    ----------
    paths
        Scenario files or folders (default: ``./scenarios``, else the shipped library).
    baselines
        Baseline folder (default: ``<folder>/baselines``).
    tolerances
        Tolerance file (default: ``tolerances.yaml`` in the baseline folder).
    rtol
        Relative tolerance for every number, replacing the file's default.
    atol
        Absolute tolerance for every number, replacing the file's default.
    workers
        Scenarios checked in parallel (default: the machine's cores).

    Returns
    -------
    CheckReport
        ``.outcomes`` and ``.drifts`` as DataFrames, ``.passed``, ``.exit_code`` and
        ``str(report)``, the text ``stockpile check`` prints at the end.

    Raises
    ------
    InputError
        A problem that stops the whole check (a missing path, a bad tolerance file or
        tolerance). A scenario that cannot be checked is an ``error`` outcome instead.
    """
    from simulator import gate
    from simulator.library import default_folder

    if paths is None:
        names = [str(default_folder())]
    elif isinstance(paths, str | os.PathLike):
        names = [os.fspath(paths)]
    else:
        names = [os.fspath(p) for p in paths]
    n_workers = _whole(workers, "workers", 1) if workers is not None else os.cpu_count() or 1
    found = gate.check(
        names,
        baselines=Path(baselines) if baselines is not None else None,
        tolerance_file=Path(tolerances) if tolerances is not None else None,
        rtol=rtol,
        atol=atol,
        workers=n_workers,
    )
    if found.stopped:
        raise InputError(found.outcomes[0].message)
    return CheckReport(found)
