"""Sweeps: grids and Monte Carlo over many runs, local or on a Dask cluster.

Layer: studies.

Outputs in ``DIR`` (see ``docs/sweeps.md``): ``sweep.parquet`` (one row per run: a
column per swept path, ``point``, ``run``, ``seed`` and every metric), ``sweep.csv`` on
request, ``sweep.json`` (scenario, hash, grid, version, wall time), the figures, and
with ``--curves`` ``curves.parquet`` (5/50/95th percentile curves per grid point).

The folder is locked for the whole sweep and written only where it is the tool's
(:mod:`simulator.output_folder`). The table is assembled only after checking that it
holds every (point, run) of the sweep exactly once, and it is final (written, listed in
the manifest, checkpoints removed) before any figure is drawn.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.errors import InputError, ScenarioError, plain, setting
from simulator.json_text import read_json
from simulator.names import plural
from simulator.output import write_scenario_json
from simulator.output_folder import OutputFolder, manifest_info, open_folder
from simulator.plan import compile_plan
from simulator.scenario import scenario_hash, validate_data
from simulator.scenario.tonnes import SHORTFALL_ADDS
from simulator.sweep.backends import NO_WORKER_TIMEOUT_S, SweepStopped
from simulator.sweep.checkpoints import CHUNK_DIR, MARKER, ROW_KEYS, Checkpoints, ChunkDamaged, refuse_to_discard
from simulator.sweep.grid import Axis, SweepSpec, load_spec_file, parse_axis
from simulator.sweep.runner import (
    NOTHING_RUN,
    Sweep,
    curve_bands,
    execute,
    members_by_point,
    plan_sweep,
    sweep_record,
)
from simulator.version import __version__

if TYPE_CHECKING:  # imported where a table is made (a sweep's workers never load pandas)
    import pandas as pd

__all__ = [
    "Axis",
    "FiguresAndWorkbook",
    "Sweep",
    "SweepSpec",
    "SweepStopped",
    "assemble_table",
    "base_hash",
    "closing_notes",
    "finish_sweep",
    "load_spec_file",
    "members_by_point",
    "parse_axis",
    "plan_sweep",
    "run_sweep",
]

SWEEP_FILES = frozenset(
    {
        "sweep.parquet",
        "sweep.csv",
        "sweep.json",
        "scenario.json",
        "curves.parquet",
        "sweep_metrics.png",
        "sweep_heatmap.png",
        "sweep_frontier.png",
        "sweep_pool_frontier.png",
        "workbook.xlsx",
    }
)
"""Every file a sweep may write (checked for ownership before the sweep runs)."""


def sweep_table(sweep: Sweep, checkpoints: Checkpoints) -> pd.DataFrame:
    """The sweep table from the finished chunks (each checked as it was saved or as it is read)."""
    return assemble_table(sweep, [checkpoints.rows(index) for index, _ in sweep.chunks()])


def assemble_table(sweep: Sweep, chunk_tables: list[pd.DataFrame]) -> pd.DataFrame:
    """The sweep table: swept paths, point, run, seed, then every metric; sorted by run id.

    ``chunk_tables`` are the chunks' rows in chunk order (from disk, or from
    :func:`~simulator.sweep.runner.map_chunks` in memory). The whole table must hold the
    sweep's runs (point, run, seed) exactly once, in order; otherwise :class:`SweepStopped`.
    """
    import pandas as pd

    from simulator.frames import quantity_of

    table = pd.concat(chunk_tables, ignore_index=True)
    expected = np.array(sweep.runs, dtype=np.int64).reshape(-1, 3)
    if not np.array_equal(table[ROW_KEYS].to_numpy(), expected):
        raise SweepStopped("the finished chunks do not hold every run of the sweep exactly once")
    swept = {axis.path: [point[axis.path] for point in sweep.points] for axis in sweep.spec.axes}
    for column in table.columns:  # whole numbers stored as whole numbers, as the API gives them
        q = quantity_of(str(column))
        if q is not None and q.dtype == "int" and table[column].dtype.kind == "f" and np.isfinite(table[column]).all():
            table[column] = table[column].astype("int64")
    front = pd.DataFrame({path: swept_column([values[p] for p in table["point"]]) for path, values in swept.items()})
    return pd.concat([front, table], axis=1).sort_values(["point", "run"], kind="stable", ignore_index=True)


SWEPT_DATE_DTYPE = "datetime64[ms]"
"""Swept (and sampled) dates in the tables: midnight of the day, in milliseconds, as Parquet stores them
(it has no seconds), so that pandas compares them with
``pd.Timestamp`` and ``.dt`` works (``datetime.date`` values would be stored as Arrow ``date32``
and read back as ``object``)."""


def swept_column(values: list[Any]) -> Any:
    """One swept path's values, a row each: dates as :data:`SWEPT_DATE_DTYPE`, anything else as given.

    >>> swept_column([dt.date(2010, 11, 20), dt.date(2010, 12, 7)]).dtype, swept_column([60, 120])
    (dtype('<M8[ms]'), [60, 120])
    """
    import pandas as pd

    if values and all(isinstance(v, dt.date) for v in values):
        return pd.Series(pd.to_datetime(values), dtype=SWEPT_DATE_DTYPE)
    return values


def base_hash(sweep: Sweep) -> str:
    """Hash of the swept scenario (the file with the fixed overrides, before the grid).

    `sweep.json` records it, and so does the explorer's page: a page and a sweep of the same scenario match.
    """
    try:
        return scenario_hash(validate_data(sweep.raw, sweep.source))
    except ScenarioError:  # valid only once the grid sets its values: hash the data itself
        return hashlib.sha256(json.dumps(sweep.raw, sort_keys=True, default=str).encode()).hexdigest()


def engine_text(curves: bool) -> str:
    """``sweep.json``'s ``engine``: what of the sweep's output is the reference engine's to the bit.

    The table is; the per-day curves (``--curves``) are kept as float32
    (:func:`simulator.fastpath.run_batch`), so the percentiles of ``curves.parquet`` are taken
    over values rounded to about seven significant digits.

    >>> engine_text(False)
    'batched fast path (the table bit-identical to the SimPy reference engine)'
    >>> engine_text(True).endswith("daily values rounded to float32, about seven significant digits)")
    True
    """
    kept = "; curves.parquet's percentiles: of the daily values rounded to float32, about seven significant digits"
    return f"batched fast path (the table bit-identical to the SimPy reference engine{kept if curves else ''})"


def describe(
    sweep: Sweep, wall_time_s: float, backend: str, workers: int, workers_requested: int | None
) -> dict[str, Any]:
    """``sweep.json``: what was swept, on what, by which version, and how long it took.

    ``workers`` are the processes that computed chunks, ``workers_requested`` those asked for
    (:class:`~simulator.sweep.runner.Executed`; None: not known, for a description not written, as
    :func:`closing_notes` reads).
    """
    first = sweep.first
    plan = compile_plan(first)
    by_point = sweep.members_by_point
    return {
        "scenario": first.name,
        "scenario_file": sweep.source,
        "scenario_hash": base_hash(sweep),
        "grid": {axis.path: list(axis.values) for axis in sweep.spec.axes},
        "fixed": dict(sweep.spec.fixed),
        "runs_per_point": sweep.spec.runs,
        "notes": list(sweep.notes),
        "points": len(sweep.points),
        "total_runs": sweep.n_runs,
        "seed": sweep.root_seed,
        "seed_rule": "run k of every point uses simulator.randomness.run_seed(seed, k)",
        "random_inputs": list(plan.random_sources),
        "members": club_members(plan.structure.member_names, by_point),
        **({"members_by_point": by_point} if by_point is not None else {}),
        SHORTFALL_ADDS: sweep.shortfall_adds,
        "engine": engine_text(bool(sweep.curves)),
        "backend": backend,
        "workers_requested": workers_requested,
        "workers": workers,
        "chunk_runs": sweep.chunk_runs,
        "curves": sweep.curves,
        "package_version": __version__,
        "wall_time_s": round(wall_time_s, 3),
    }


def club_members(first_members: list[str], by_point: list[list[str]] | None) -> list[str]:
    """Every region that is a member of the agreement at some grid point (``sweep.json``'s ``members``).

    ``first_members`` (the first point's) first, then those the other points add (``by_point``:
    :func:`members_by_point`, None where every point's are the first's), in the grid's order.
    The choices of a frontier are worked out for these (:mod:`simulator.sweep.choices`): a region's own reserve
    is one of the club's options at the points where it joins, wherever the grid lists those points.
    The fairness and holding costs of a point are its own members' (``members_by_point``).

    >>> club_members(["japan", "korea"], [["japan", "korea"], ["japan", "eu"]])
    ['japan', 'korea', 'eu']
    """
    members = list(first_members)
    for point_members in by_point or []:
        members += [name for name in point_members if name not in members]
    return members


def finish_sweep(
    sweep: Sweep,
    checkpoints: Checkpoints,
    out: OutputFolder,
    fmt: str,
    info: dict[str, Any],
    on_table: Callable[[list[str]], None] | None = None,
) -> pd.DataFrame:
    """Write the table, its description and curve bands in place of the folder's earlier output.

    The files of the folder's earlier output that this sweep does not write (an old
    ``sweep.csv``, curves, figures) are removed; once the table is in place ``on_table``
    is called with the notes of swept paths that changed nothing (those alone, not the
    planned notes before them in ``info["notes"]``) and the checkpoints are deleted, even
    when a signal that waited for the files to move in stops the command right after. A
    chunk found damaged here is deleted and the sweep stops with :class:`SweepStopped`:
    running it again computes that chunk anew. A swept path whose values changed no output (or a swept
    ``agreement.ratio`` that left the members' shortfalls alike without a release cap: :func:`_unchanged_notes`) is
    noted in ``info["notes"]`` (``info`` is updated in place: the figures and the workbook see it), and so is a Jain's
    index that adds unlike tonnes (:func:`~simulator.sweep.figures.fairness_notes`, also said with the closing notes).
    """
    from simulator.sweep.figures import fairness_notes

    try:
        table = sweep_table(sweep, checkpoints)
        bands = curve_bands(sweep, checkpoints) if sweep.curves else None
    except ChunkDamaged as exc:
        checkpoints.discard(exc.index)
        raise SweepStopped(f"{exc}; run the same command to compute it again") from None
    unchanged = _unchanged_notes(sweep, table, list(info.get("grid", {})))
    info["notes"] = [*info.get("notes", []), *unchanged, *fairness_notes(table, info)]
    made_by = manifest_info(scenario=info["scenario"], scenario_hash=info["scenario_hash"], seed=info["seed"])
    commits = out.commits
    try:
        with out.staged(made_by) as stage:
            table.to_parquet(stage / "sweep.parquet", index=False)
            if fmt == "csv":
                table.to_csv(stage / "sweep.csv", index=False)
            if bands is not None:
                bands.to_parquet(stage / "curves.parquet", index=False)
            (stage / "sweep.json").write_text(json.dumps(info, indent=2, default=str) + "\n")
            write_scenario_json(sweep.raw, stage)  # the swept scenario, fixed overrides applied: redone from here
    finally:
        if out.commits > commits:  # the table is in place
            if on_table is not None:
                on_table(unchanged)
            checkpoints.remove()
    return table


@dataclass
class FiguresAndWorkbook:
    """What a sweep writes into its folder once the table is final (:func:`run_sweep`'s ``figures``).

    The figures (with ``plots``), then ``workbook.xlsx`` (with ``workbook_scenario``, the swept scenario's data
    for its Scenario sheet; None: no workbook). A figure that fails loses neither the table, written before, nor
    the workbook: its error is kept in :attr:`figure_errors` and :meth:`warnings` says what to do; any other error
    (the workbook's) stops the command. ``stockpile sweep -o`` and ``simulator.sweep(out=...)`` both write through it.
    """

    plots: bool
    workbook_scenario: dict[str, Any] | None
    figure_errors: list[Exception] = field(default_factory=list)

    def __call__(self, table: pd.DataFrame, info: dict[str, Any], stage: Path) -> None:
        """Draw the figures, then write the workbook, into ``stage`` (the folder's staging directory)."""
        if self.plots:
            from simulator.sweep.figures import write_sweep_figures  # loads pandas: after the runs, not before

            try:
                write_sweep_figures(table, info, stage)
            except Exception as exc:  # the table is written: report the figures, do not lose it nor the workbook
                self.figure_errors.append(exc)
        if self.workbook_scenario is not None:
            from simulator.workbook import sweep_workbook

            sweep_workbook(table, info, stage / "workbook.xlsx", self.workbook_scenario)

    def warnings(self, folder: Path) -> list[str]:
        """A sentence for each figure error: the table is complete, and how to draw the figures from it."""
        return [
            f"sweep figures not drawn ({exc!r}); the table is complete; draw them with: stockpile plot-sweep {folder}"
            for exc in self.figure_errors
        ]


def closing_notes(sweep: Sweep, table: pd.DataFrame, figures: bool, unchanged: list[str] | None = None) -> list[str]:
    """What a finished sweep says last (``note:`` lines of ``stockpile sweep``, a ``UserWarning`` each in Python).

    With ``figures`` (they were drawn): which were not, and why
    (:func:`~simulator.sweep.figures.sweep_notes`); drawn or not, where the table's shortfall
    totals (and, with ``figures``, the figures' panels of them) add unlike tonnes
    (:func:`~simulator.sweep.figures.unlike_tonnes_notes`); then the swept paths whose values
    changed no output, and why a swept ``agreement.ratio`` left the members' shortfalls alike
    (:func:`_unchanged_notes`). ``unchanged`` are those notes as :func:`finish_sweep` gave them to ``on_table`` (None:
    worked out here, for a sweep kept in memory). The notes said before the runs (``sweep.json``'s
    other ``notes``) are not repeated. The notes read the sweep as :func:`describe` gives it
    (its ``grid``, ``members`` and ``shortfall_adds``), as the figures and ``plot-sweep`` do.
    """
    from simulator.sweep.figures import sweep_notes, unlike_tonnes_notes

    info = describe(sweep, 0.0, NOTHING_RUN, 0, None)  # how it ran is not read: the study is
    drawn = sweep_notes(table, info) if figures else unlike_tonnes_notes(table, info, figures=False)  # ends the former
    if unchanged is None:
        unchanged = _unchanged_notes(sweep, table, sweep.spec.paths)
    return [*drawn, *unchanged]


def _unchanged_notes(sweep: Sweep, table: pd.DataFrame, paths: list[str]) -> list[str]:
    """The notes on swept paths that changed no output, then why a swept ``agreement.ratio`` changed no shortfall.

    :func:`~simulator.sweep.figures.unchanged_notes`, then :func:`~simulator.sweep.unread.uncapped_ratio_notes`.
    """
    from simulator.sweep.figures import unchanged_notes, unchanged_paths
    from simulator.sweep.unread import sweep_mechanisms, uncapped_ratio_notes

    found = unchanged_paths(table, paths)  # once: a pass over every metric of every run
    return unchanged_notes(table, paths, sweep_mechanisms(sweep), found) + uncapped_ratio_notes(sweep, table, found)


def _study(scenario: Any, scenario_file: Any, axes: Any) -> tuple[str, str | None, frozenset[str]]:
    """What tells one study from another: the scenario's name, its file (by its real path), the swept paths.

    The values of the axes, the runs and the seed do not: a sweep with other values of the
    same paths, more runs or another seed is the same study run again. The file is None where
    it is not found from here (``sweep.json`` keeps it as typed: a relative path written from
    another folder, or a file since moved), and then tells nothing.
    """
    file = str(scenario_file)
    return str(scenario), os.path.realpath(file) if os.path.isfile(file) else None, frozenset(map(str, axes or ()))


def _same_study(one: tuple[str, str | None, frozenset[str]], other: tuple[str, str | None, frozenset[str]]) -> bool:
    """Whether two :func:`_study` keys are one study: the same name and paths, and one file where both are found."""
    files = (one[1], other[1])
    return one[0] == other[0] and one[2] == other[2] and (None in files or files[0] == files[1])


def _study_words(scenario: Any, axes: Any, points: Any, runs: Any) -> str:
    """A study in words, for a message: ``embargo_2010 over agreement.ratio.japan (3 points x 20 runs)``."""
    swept = " and ".join(plain(str(path), one_line=True) for path in axes or ()) or "no grid"
    size = (
        f" ({plural(points, 'point', ',')} x {plural(runs, 'run', ',')})"
        if isinstance(points, int) and isinstance(runs, int)
        else ""
    )
    return f"{plain(str(scenario), one_line=True)} over {swept}{size}"


def earlier_sweep(out: OutputFolder) -> dict[str, Any] | None:
    """The ``sweep.json`` of the finished sweep the folder holds (its manifest's ``sweep``), or None.

    A manifest written before manifests named their command (``command``) is taken for a sweep's
    where it lists ``sweep.json``.
    """
    if out.manifest is None or out.manifest.get("command", "sweep") != "sweep" or "sweep.json" not in out.owned:
        return None
    try:
        info = read_json((out.path / "sweep.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, Mapping) and "scenario" in info else None


def refuse_other_study(out: OutputFolder, sweep: Sweep) -> dict[str, Any] | None:
    """Raise :class:`InputError` (exit 2) if the folder holds a finished sweep of another study; else return it.

    Another study: another scenario (name or file) or other swept paths (:func:`_study`).
    The same study run again replaces the earlier sweep (the caller says so once it has);
    so does ``--force``, and so does resuming this very sweep (its checkpoints hold its
    fingerprint: the user chose to replace that output when the sweep began). Returns the
    earlier sweep's ``sweep.json`` (None: none), for the note that says what was replaced.
    """
    earlier = earlier_sweep(out)
    if earlier is None or out.force:
        return earlier
    ours = _study(sweep.first.name, sweep.source, sweep.spec.paths)
    if _same_study(_study(earlier.get("scenario"), earlier.get("scenario_file"), earlier.get("grid")), ours):
        return earlier
    marker = out.path / CHUNK_DIR / MARKER
    try:
        if marker.is_file() and marker.read_text() == sweep.fingerprint():
            return earlier
    except OSError:
        pass
    theirs = _study_words(
        earlier["scenario"], earlier.get("grid"), earlier.get("points"), earlier.get("runs_per_point")
    )
    this = _study_words(sweep.first.name, sweep.spec.paths, None, None)
    file = earlier.get("scenario_file")
    if isinstance(file, str) and _study(ours[0], file, ())[1] != ours[1]:
        theirs += f" of {plain(file, one_line=True)}"
    raise InputError(
        f"holds a finished sweep of another study, {theirs} (so says its sweep.json), which this sweep of "
        f"{this} would replace: choose another output folder, or pass {setting('force')} to replace it",
        str(out.path),
    )


def replaced_note(earlier: Mapping[str, Any], written_at: Any) -> str:
    """The note that the folder's earlier sweep (its ``sweep.json``) was replaced."""
    words = _study_words(earlier["scenario"], earlier.get("grid"), earlier.get("points"), earlier.get("runs_per_point"))
    when = f", written {plain(str(written_at), one_line=True)}" if written_at else ""
    return f"sweep.parquet: replaced the earlier sweep of {words}{when}"


def run_sweep(
    sweep: Sweep,
    folder: Path,
    workers: int = 1,
    client: Any = None,
    fmt: str = "parquet",
    progress: Callable[[int], None] | None = None,
    figures: Callable[[pd.DataFrame, dict[str, Any], Path], Any] | None = None,
    force: bool = False,
    no_worker_timeout_s: float = NO_WORKER_TIMEOUT_S,
    on_table: Callable[[list[str]], None] | None = None,
    note: Callable[[str], None] | None = None,
    inputs: Iterable[Path | str] = (),
) -> pd.DataFrame:
    """Run (or resume) a planned sweep into ``folder`` and return its table.

    Refuses (:class:`InputError`, exit 2) before any run if another command is writing
    the folder, if it would overwrite files the folder's manifest does not list, if the
    folder holds another command's output or a finished sweep of another study
    (:func:`refuse_other_study`; the same study run again is replaced, and ``note`` says
    what it replaced), or if its checkpoints hold finished chunks of
    another sweep, which this one would discard (``force`` overrides the latter four). A
    grid point that is invalid only with the values of the other axes is found where it
    runs: the sweep is then refused too, and leaves the folder as it was (no checkpoints,
    a new folder removed, earlier output untouched).
    ``figures(table, info, stage)`` draws into a staging folder after the table is final,
    so a figure that fails loses nothing; ``on_table(notes)`` is called as soon as the table
    is in place, with the notes of swept paths that changed nothing (:func:`finish_sweep`);
    ``note(text)`` is told what ``force`` discards, and what a resumed sweep kept
    (``.chunks: resumed: 3 finished chunks kept, ...``). ``inputs`` (the scenario file, a
    ``--spec`` file) are never written or removed: one in the folder under a name the sweep
    writes is refused first (:func:`~simulator.output_folder.open_folder`).
    """
    started = time.perf_counter()
    if not force:  # the first refusal: a --force given for another would discard them unannounced
        refuse_to_discard(folder, sweep)
    with open_folder(folder, SWEEP_FILES, force, command="sweep", inputs=inputs) as out:
        earlier = refuse_other_study(out, sweep)
        written_at = (out.manifest or {}).get("written_at")
        checkpoints = Checkpoints(folder, sweep, force, note)
        try:
            executed = execute(sweep, checkpoints, workers, client, progress, no_worker_timeout_s, note)
        except InputError:  # a grid point found bad where it ran: the folder is left as it was
            checkpoints.abandon()
            raise
        ran = executed.placement
        info = describe(
            sweep, time.perf_counter() - started, ran.backend, ran.workers, ran.workers_requested
        ) | sweep_record(sweep, executed)
        table = finish_sweep(sweep, checkpoints, out, fmt, info, on_table)
        if earlier is not None and note is not None:
            note(replaced_note(earlier, written_at))
        if figures is not None:
            with out.staged() as stage:
                figures(table, info, stage)
    return table
