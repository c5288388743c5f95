"""Sweeps from Python: the fast path in memory (or into a folder), as a DataFrame or an xarray Dataset.

Layer: face.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from simulator.api.inputs import (
    Overrides,
    ScenarioLike,
    assignments,
    flag,
    path_argument,
    python_words,
    raw_data,
    seed_argument,
    warn_user,
    whole,
    yaml_value,
)
from simulator.api.runs import files_read, refuse_excel_without_out
from simulator.arguments import refuse_keys_not_paths
from simulator.errors import InputError, Problem, setting
from simulator.frames import typed
from simulator.sweep.grid import MAX_POINTS, Axis, SweepSpec, parse_values
from simulator.sweep.runner import MAX_RUNS
from simulator.workers import MAX_WORKERS, default_workers

if TYPE_CHECKING:
    from xarray import Dataset
else:  # xarray is optional and imported only for as_xarray=True: at run time the hints say Any for it
    Dataset = Any

XARRAY_MISSING = "xarray is not installed; install the extra with: pip install 'stockpile-simulator[xarray]'"


def _axes(grid: Mapping[str, Any] | None, max_points: int) -> tuple[Axis, ...]:
    """``grid`` as axes: a SPEC string (``"0:1:0.1"``, ``"a,b"``), a list of values or one value."""
    if grid is None:
        return ()
    if not isinstance(grid, Mapping):
        raise InputError(f"grid: give a mapping {{path: values}}, not {type(grid).__name__}")
    if not grid:  # a sweep of nothing to sweep is a mistake; None (the default) means no axis
        raise InputError(
            "grid: an empty mapping sweeps nothing; give at least one {path: values}, "
            "or grid=None to run the scenario as it is (runs= seeds)"
        )
    axes = []
    refuse_keys_not_paths(grid, "grid")
    for path, spec in grid.items():
        path = path.strip()
        if isinstance(spec, str):
            values = parse_values(spec, path, max_points)
        elif isinstance(spec, set | frozenset):
            message = "a set has no order: give a list or tuple, so that the points run in the order given"
            raise InputError([Problem(setting("grid", path), message)])
        elif isinstance(spec, bytes | bytearray | memoryview):  # iterated, its bytes would be the values
            kind = type(spec).__name__
            message = f"{kind}: each of its bytes would be a value; give a SPEC string (decode it), a list or one value"
            raise InputError([Problem(setting("grid", path), message)])
        elif isinstance(spec, Iterable) and not isinstance(spec, Mapping):
            if hasattr(spec, "__len__") and len(spec) > max_points:
                message = (
                    f"{len(spec):,} values, more than a grid may have points ({max_points:,}; "
                    f"raise {setting('max_points')})"
                )
                raise InputError([Problem(setting("grid", path), message)])
            values = tuple(yaml_value(value) for value in spec)
            if not values:
                raise InputError([Problem(setting("grid", path), "no values given")])
        else:
            values = (yaml_value(spec),)
        axes.append(Axis(path, values))
    return tuple(axes)


def _in_memory(planned: Any, workers: int, client: Any) -> pd.DataFrame:
    """Run every chunk with the fast path (no checkpoints, no files) and assemble the table."""
    from simulator.sweep import assemble_table
    from simulator.sweep.runner import map_chunks, run_chunk

    chunks = planned.chunks()
    tables: dict[int, pd.DataFrame] = {}
    with closing(map_chunks(planned, run_chunk, workers, client)) as results:
        for result in results:
            tables[result.index] = result.table
    return assemble_table(planned, [tables[index] for index, _ in chunks])


def _to_files(
    planned: Any, folder: Path, workers: int, client: Any, force: bool, plots: bool, excel: bool, inputs: list[str]
) -> tuple[pd.DataFrame, list[str]]:
    """Run (or resume) the sweep into ``folder`` as ``stockpile sweep -o`` does (``plots``, ``excel``: ``--excel``).

    Figures are drawn if ``plots``, ``workbook.xlsx`` written if ``excel``; a figure that fails is a warning, as
    the command's (the table and the workbook are written: :class:`~simulator.sweep.FiguresAndWorkbook`).
    ``inputs`` (the scenario file read) are never written or removed, as the command's.
    Returns the table and the notes of swept paths that changed nothing (worked out as the table was written).
    """
    from simulator.sweep import FiguresAndWorkbook, run_sweep

    outputs = FiguresAndWorkbook(plots=plots, workbook_scenario=planned.raw if excel else None)
    unchanged: list[str] = []

    def note(text: str) -> None:
        warn_user(f"{folder}/{text}")

    table = run_sweep(
        planned,
        folder,
        workers=workers,
        client=client,
        figures=outputs if plots or excel else None,
        force=force,
        on_table=unchanged.extend,
        note=note,
        inputs=inputs,
    )
    for text in outputs.warnings(folder):
        warn_user(text)
    return table, unchanged


def _dataset(table: pd.DataFrame, planned: Any) -> Any:
    """The sweep table as an xarray Dataset: one dimension per swept path (its values), then ``run``."""
    try:
        import xarray as xr
    except ImportError:
        raise InputError(f"as_xarray: {XARRAY_MISSING}") from None
    axes = planned.spec.axes
    for axis in axes:  # the grid's values are distinct (plan_sweep); lists cannot index a dimension
        if not all(pd.api.types.is_hashable(value) for value in axis.values):
            raise InputError(f"as_xarray: the values of {axis.path} must be scalars to index a dimension")
    runs = planned.spec.runs
    shape = (*(len(axis.values) for axis in axes), runs)
    dims = (*planned.spec.paths, "run")
    metrics = [c for c in table.columns if c not in {*dims, "point", "seed"}]
    units = table.attrs.get("units", {})
    variables = {}
    for name in metrics:
        values = table[name]
        if isinstance(values.dtype, pd.Int64Dtype):  # <NA> becomes NaN
            values = values.astype("float64")
        variables[name] = xr.Variable(dims, values.to_numpy().reshape(shape), attrs={"units": units.get(name, "")})
    coords = {axis.path: _coordinate(axis.values) for axis in axes}
    coords["run"] = np.arange(runs)
    coords["seed"] = ("run", table["seed"].to_numpy()[:runs])
    attrs = {"scenario": planned.first.name, "seed": planned.root_seed, "runs_per_point": runs}
    return xr.Dataset(variables, coords=coords, attrs=attrs)


def _coordinate(values: tuple[Any, ...]) -> np.ndarray:
    """A swept path's values as a dimension's index: dates as the table's column holds them (``datetime64[ms]``).

    So that ``.sel({path: "2010-11-20"})`` works on the Dataset as ``table[path] == "2010-11-20"`` does
    on the frame; values of more than one type are kept as objects.
    """
    from simulator.sweep import swept_column

    column = swept_column(list(values))
    if isinstance(column, pd.Series):
        return column.to_numpy()
    return np.array(values, dtype=object if _mixed(values) else None)


def _mixed(values: tuple[Any, ...]) -> bool:
    """Values of more than one Python type (kept as objects, never coerced to text)."""
    return len({type(v) for v in values}) > 1


@python_words
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
    plots: bool = True,
    excel: bool = False,
    force: bool = False,
    client: Any = None,
    max_points: int | None = None,
    max_runs: int | None = None,
) -> pd.DataFrame | Dataset:
    """Run a scenario over a grid of parameters and seeds with the fast path; one row per run.

    Parameters
    ----------
    scenario
        A file path, a bare scenario name, scenario data or a ``Scenario``.
    grid
        ``{path: values}``: a list of values, one value, or a SPEC string as for
        ``--grid`` (``"0:1:0.1"`` with the stop included, ``"fair_ratio,auction"``). Several
        paths form the full cross product, the first varying slowest. ``None`` (the
        default) sweeps no path: the scenario as it is, ``runs`` seeds; an empty mapping
        is refused (it sweeps nothing).
    runs
        Runs (seeds) per grid point; replicate ``k`` of every point has the same seed.
        A scenario with no random inputs runs once per point (a ``UserWarning`` says
        so), as ``stockpile sweep`` does. The notes the command prints once the table
        is written come as a ``UserWarning`` each too: a swept path whose values changed
        no output, shortfall totals that add unlike tonnes (magnet and oxide), and with
        ``out`` and ``plots`` each figure not drawn, and why.
    seed
        Root seed (default: the scenario's).
    workers
        Local worker processes (default: the cores this process may use; 1 runs in this process).
        The runs are cut into chunks of one fast-path batch, as ``stockpile sweep`` cuts them
        (5,000 runs of the 2010 replay, fewer for larger scenarios), at most one worker a
        chunk: a sweep of one chunk runs in this process, whatever ``workers`` says.
    set
        Changes applied to every run, as ``--set``.
    as_xarray
        Return an ``xarray.Dataset`` instead (needs the ``xarray`` extra): one
        dimension per swept path, indexed by its values (dates as ``datetime64[ms]``, as
        in the table, so that ``.sel({path: "2010-11-20"})`` works), then ``run``; a variable per
        metric with its ``units`` attribute; ``seed`` a coordinate along ``run``.
    out
        Also write the files of ``stockpile sweep -o out`` (table, ``sweep.json``,
        figures; resumable). Without it nothing is written; an empty path is refused
        (it would name the current folder).
    plots
        With ``out``: also draw the figures (``--no-plots`` is ``plots=False``).
    excel
        With ``out``: also write ``workbook.xlsx`` (``--excel``); refused without ``out``, and
        before any run when the sweep has more runs than an Excel sheet has rows (1,048,575).
    force
        With ``out``: overwrite files its manifest does not list, replace the output
        another command (``stockpile run``, say) wrote there, replace a finished sweep of
        another study (another scenario or other swept paths), or discard the finished
        chunks of another, interrupted sweep kept there (the same sweep resumes from its
        chunks, forced or not).
    client
        A ``distributed.Client`` to run the chunks on a Dask cluster (anything without
        its ``submit`` is refused before any run). The sweep is cut as without a client:
        its runs (points x ``runs``; points x 1 for a scenario with no random inputs), in
        run order, into chunks of one fast-path batch of the first point's scenario
        (60,000 over its regions x materials x suppliers, within 250 to 5,000 runs:
        5,000 for the 2010 replay, 1,200 for ``club_of_five``; for a grid of points each
        compiled, fewer where their days are many), so into runs / batch chunks rounded
        up, each one Dask task. The cluster runs at most that many tasks at once: a sweep
        of 1,000 runs of the 2010 replay is one task on one worker, however many the
        cluster has.
    max_points
        Refuse grids of more points, before any run (default: 100,000, as ``--max-points``).
    max_runs
        Refuse sweeps of more runs in all, before any run (default: 10,000,000, as ``--max-runs``).

    Returns
    -------
    pandas.DataFrame or xarray.Dataset
        The sweep table: a column per swept path, ``point``, ``run``, ``seed``, then
        every metric; units in ``attrs["units"]``. It holds the values of
        ``sweep.parquet`` to the bit, typed by ``simulator.frames.typed``: ``point``,
        ``run`` and ``seed`` are ``int64`` (never missing), the whole-number metrics
        (``shortfall_days``, ``envious_members`` and the days below) ``Int64``
        (``int64`` in the file), and ``first_shortfall_day``,
        ``min_days_of_cover_day`` and ``peak_price_day`` (and their ``.<region>``,
        ``.<region>.<material>`` columns) are ``<NA>`` where the file has -1 (never short,
        no cover, no price), so that counts and medians leave those runs out. The file's
        form is ``table.fillna(dict.fromkeys(whole, -1)).astype(dict.fromkeys(whole,
        "int64"))`` with ``whole = table.select_dtypes("Int64").columns``.
    """
    from simulator.sweep import plan_sweep
    from simulator.sweep.runner import check_size, without_repeats

    runs = whole(runs, "runs", 1)
    as_xarray, force, plots = flag(as_xarray, "as_xarray"), flag(force, "force"), flag(plots, "plots")
    excel = flag(excel, "excel")
    max_points = MAX_POINTS if max_points is None else whole(max_points, "max_points", 1)
    max_runs = MAX_RUNS if max_runs is None else whole(max_runs, "max_runs", 1)
    root_seed = seed_argument(seed)
    n_workers = whole(workers, "workers", 1, MAX_WORKERS) if workers is not None else default_workers()
    folder = None if out is None else path_argument(out, "out", "an output folder path (or None to write nothing)")
    refuse_excel_without_out(excel, folder, "or write the table returned with DataFrame.to_excel")
    _check_client(client)
    spec = SweepSpec(_axes(grid, max_points), runs=runs, seed=root_seed, fixed=tuple(assignments(set)))
    check_size(spec, max_points, max_runs)
    raw, source = raw_data(scenario, [])
    # chunks of one fast-path batch, as stockpile sweep: a sweep of one batch runs here, starting no process
    planned = plan_sweep(raw, source, spec, max_points=max_points, max_runs=max_runs)
    planned, why = without_repeats(planned)
    if why:
        warn_user(why)
    if excel:
        from simulator.workbook import check_sweep_fits

        check_sweep_fits(planned.n_runs, source, instead="sweep.parquet (or the table simulator.sweep returns)")
    from simulator.sweep import closing_notes

    if folder is None:
        table, unchanged = _in_memory(planned, n_workers, client), None
    else:
        inputs = files_read(source)  # never written or removed
        table, unchanged = _to_files(planned, folder, n_workers, client, force, plots, excel, inputs)
    for text in closing_notes(planned, table, folder is not None and plots, unchanged):  # as the CLI's notes
        warn_user(text)
    table = typed(table)
    return _dataset(table, planned) if as_xarray else table


def _check_client(client: Any) -> None:
    """Refuse a ``client`` that is not a Dask client before any run (it failed mid-sweep, on its first chunk)."""
    if client is not None and not all(callable(getattr(client, name, None)) for name in ("submit", "nthreads")):
        raise InputError(
            "client: give a distributed.Client connected to a Dask cluster (or None to run on this machine), "
            f"not {type(client).__name__}"
        )
