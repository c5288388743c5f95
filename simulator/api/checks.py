"""The regression gate from Python: ``check`` and its report, with the drifts as a DataFrame.

Layer: face.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from simulator.api.inputs import flag, path_argument, python_words, whole
from simulator.errors import InputError, setting
from simulator.frames import DATE_DTYPE, is_never_kind, quantity_of
from simulator.workers import MAX_WORKERS, default_workers

if TYPE_CHECKING:
    from simulator.gate import Report


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
        """One row per scenario (and per orphan baseline): status, numbers moved, message, seconds.

        ``scenario`` is the scenario's key (its file's path in the folder checked, without
        extension), ``name`` its ``name:`` (empty for an orphan baseline). ``drifts`` counts
        the rows of :attr:`drifts` (numbers that moved, appeared or disappeared),
        ``numbers_moved`` only the numbers in both the baseline and the run that moved.
        """
        rows = [
            {
                "scenario": o.scenario,
                "name": o.name,
                "file": o.file,
                "status": o.status,
                "drifts": len(o.drifts),
                "numbers_moved": sum(not d.absent for d in o.drifts),
                "scenario_changed": o.scenario_changed,
                "message": o.message,
                "seconds": o.seconds,
            }
            for o in self.report.outcomes
        ]
        columns = [
            "scenario",
            "name",
            "file",
            "status",
            "drifts",
            "numbers_moved",
            "scenario_changed",
            "message",
            "seconds",
        ]
        return pd.DataFrame(rows, columns=columns)

    @property
    def drifts(self) -> pd.DataFrame:
        """One row per number that moved beyond its tolerance.

        Columns: ``scenario`` (the key of its file), ``region`` and ``material`` (``all`` for totals),
        ``metric``, ``day`` and ``date`` of a curve point (``<NA>``/``NaT`` for a summary
        metric), ``baseline`` and ``now`` (NaN where a number appeared or disappeared, or
        where a first day short is "never"), ``change`` in words, its relative ``size``, and
        ``missing_from`` (``baseline`` for a number that appeared, ``now`` for one that
        disappeared, else empty).
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
                        "missing_from": d.absent or "",
                    }
                )
        columns = [
            "scenario",
            "region",
            "material",
            "metric",
            "day",
            "date",
            "baseline",
            "now",
            "change",
            "size",
            "missing_from",
        ]
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


@python_words
def check(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
    *,
    baselines: str | os.PathLike[str] | None = None,
    tolerances: str | os.PathLike[str] | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    workers: int | None = None,
    library: bool = False,
) -> CheckReport:
    """Re-run scenarios and compare them with their baselines, as ``stockpile check``.

    Parameters
    ----------
    paths
        Scenario files or folders (default: ``./scenarios``; without one, an
        :class:`InputError`, so that a check run from the wrong folder cannot pass).
    baselines
        Baseline folder (default: ``<folder>/baselines``).
    tolerances
        Tolerance file (default: ``tolerances.yaml`` in the baseline folder).
    rtol
        Relative tolerance for every number, replacing the file's default.
    atol
        Absolute tolerance for every number, replacing the file's default.
    workers
        Scenarios checked in parallel (default: the cores this process may use).
    library
        Check the scenario library installed with the tool instead (no ``paths``).

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
    from simulator.gate.tolerances import checked
    from simulator.library import LOCAL_FOLDER, shipped_library

    library = flag(library, "library")
    if library and paths is not None:
        raise InputError("give library=True or paths, not both")
    if library:
        names = [str(shipped_library())]
    elif paths is None:
        if not LOCAL_FOLDER.is_dir():
            raise InputError(
                f"no {LOCAL_FOLDER}/ folder in {Path.cwd()}: call check() from the folder that holds "
                f"{LOCAL_FOLDER}/, pass paths=, or check the shipped library with library=True"
            )
        names = [str(LOCAL_FOLDER)]
    elif isinstance(paths, str | os.PathLike):
        names = [os.fspath(paths)]
    elif isinstance(paths, Iterable) and not isinstance(paths, Mapping | bytes):
        what = "a scenario file or folder path (a str or os.PathLike)"
        names = [str(path_argument(p, f"paths[{k}]", what, empty=True)) for k, p in enumerate(paths)]
        if not names:  # a glob that matched nothing: checking ./scenarios instead would pass on other files
            raise InputError("paths: an empty list names no scenario file or folder; give one, or None for ./scenarios")
    else:
        raise InputError(
            "paths: give a scenario file or folder path or a list of them (or None for ./scenarios), "
            f"not {type(paths).__name__}"
        )
    default = "(or None for the default)"
    baselines = None if baselines is None else path_argument(baselines, "baselines", f"a folder path {default}")
    tolerances = None if tolerances is None else path_argument(tolerances, "tolerances", f"a file path {default}")
    n_workers = whole(workers, "workers", 1, MAX_WORKERS) if workers is not None else default_workers()
    for name, tolerance in (("rtol", rtol), ("atol", atol)):  # here, so that the error names the argument
        if tolerance is not None:
            checked(tolerance, setting(name), None)
    found = gate.check(
        names,
        baselines=baselines,
        tolerance_file=tolerances,
        rtol=rtol,
        atol=atol,
        workers=n_workers,
    )
    if found.stopped:
        raise InputError(found.outcomes[0].message)
    return CheckReport(found)
