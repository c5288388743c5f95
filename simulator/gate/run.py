"""Checking and updating many scenarios (studies layer): which files, which orphans, in parallel.

Layer: studies.

The scenario set is the files named and the ``*.yaml`` files of the folders named
(``scenarios/`` by default). For a folder, the set of baselines must match the set of
scenario files: a baseline without its scenario file (deleted or renamed) fails the
check as ``no scenario`` unless ``tolerances.yaml`` lists it under ``retired``. Files
named one by one check only themselves.

A problem that stops the whole check (a missing path, a bad tolerance file or option)
becomes a single ``error`` outcome named after the file or option at fault, so that it
reaches every report format, the JUnit file included, like any other failure.
"""

from __future__ import annotations

import functools
import multiprocessing
import signal
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, TypeVar

from simulator.errors import InputError
from simulator.gate.baseline import baseline_path
from simulator.gate.compare import Outcome, Update, check_one, update_one
from simulator.gate.tolerances import Tolerances, load_tolerances

DEFAULT_FOLDER = "scenarios"
T = TypeVar("T")


@dataclass
class Report:
    """Every outcome of one ``stockpile check``, in the order of the scenario files."""

    outcomes: list[Outcome]
    seconds: float
    stopped: bool = False
    """A problem stopped the check before any scenario ran (its one outcome says which)."""

    @property
    def exit_code(self) -> int:
        """2 when a scenario, baseline or tolerance could not be checked; else 1 on drift; else 0."""
        if any(o.failed and o.status != "drift" for o in self.outcomes):
            return 2
        return 1 if any(o.status == "drift" for o in self.outcomes) else 0


@dataclass
class Scenarios:
    """The files to check and the baseline folders whose every file must have a scenario."""

    files: list[Path]
    complete: dict[Path, set[str]] = field(default_factory=dict)
    """Baseline folder -> stems of the scenario files that own its baselines."""
    baselines: Path | None = None

    def tolerance_file(self, given: Path | None) -> Path:
        """The tolerance file: ``given``, else ``tolerances.yaml`` in the first file's baseline folder."""
        if given is not None:
            if not given.is_file():
                raise InputError("no such tolerance file", str(given))
            return given
        return baseline_path(self.files[0], self.baselines).parent / "tolerances.yaml"


def find_scenarios(paths: Sequence[str | Path], baselines: Path | None = None) -> Scenarios:
    """Scenario files named, or found in the folders named (``scenarios/`` by default)."""
    found: list[Path] = []
    folders: list[Path] = []
    for text in paths or [DEFAULT_FOLDER]:
        path = Path(text)
        if path.is_dir():
            folders.append(path)
            found.extend(sorted(path.glob("*.yaml")))
        elif path.is_file():
            found.append(path)
        else:
            raise InputError("no such scenario file or folder", str(path))
    if not found:
        raise InputError("no scenario files (*.yaml) found", ", ".join(str(p) for p in paths or [DEFAULT_FOLDER]))
    unique = list(dict.fromkeys(found))
    complete: dict[Path, set[str]] = {}
    for folder in folders:
        complete.setdefault(baselines or folder / "baselines", set())
    for path in unique:
        owner = baseline_path(path, baselines).parent
        if owner in complete:
            complete[owner].add(path.stem)
    return Scenarios(unique, complete, baselines)


def orphans(scenarios: Scenarios, tolerances: Tolerances) -> list[Outcome]:
    """``no scenario`` for each baseline without its scenario file, ``retired`` for those listed.

    Raises
    ------
    InputError
        A ``retired`` entry that names no baseline, or a baseline whose scenario file exists
        (such an entry could later hide a deleted scenario).
    """
    out = []
    stems = set().union(*map(_stems, scenarios.complete)) if scenarios.complete else set()
    owned = set().union(*scenarios.complete.values()) if scenarios.complete else set()
    if scenarios.complete:
        for name in tolerances.retired:
            if name not in stems:
                raise InputError(f"retired.{name}: no baseline {name}.json to keep", tolerances.source)
            if name in owned:
                raise InputError(
                    f"retired.{name}: the scenario file exists, so its baseline is checked; remove the entry",
                    tolerances.source,
                )
    for folder, owners in scenarios.complete.items():
        for stem in sorted(_stems(folder) - owners):
            path = folder / f"{stem}.json"
            if stem in tolerances.retired:
                out.append(Outcome(stem, str(path), "retired", message=f"{path}: kept without a scenario (retired)"))
            else:
                out.append(
                    Outcome(
                        stem,
                        str(path),
                        "no scenario",
                        message=f"{path}: its scenario file {stem}.yaml is gone (deleted or renamed?): delete the "
                        f"baseline in the same commit, or list {stem} under retired: in tolerances.yaml",
                    )
                )
    return out


def _stems(folder: Path) -> set[str]:
    return {path.stem for path in folder.glob("*.json")} if folder.is_dir() else set()


def check(
    paths: Sequence[str | Path] = (),
    *,
    baselines: Path | None = None,
    tolerance_file: Path | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    workers: int = 1,
    on_outcome: Callable[[Outcome], Any] | None = None,
) -> Report:
    """Re-run scenarios, compare them with their baselines, and find orphan baselines.

    ``on_outcome`` is called with each outcome as soon as it is known, in file order.
    A problem that stops the check becomes one ``error`` outcome (see the module docstring).
    """
    started = time.perf_counter()
    notify = on_outcome or (lambda _outcome: None)
    try:
        scenarios = find_scenarios(paths, baselines)
        tolerances = load_tolerances(scenarios.tolerance_file(tolerance_file), rtol, atol)
        left_over = orphans(scenarios, tolerances)
    except InputError as exc:
        culprit = exc.source or exc.problems[0].render(None).split(":", 1)[0]
        outcome = Outcome(Path(culprit).name or culprit, exc.source or "", "error", message=exc.render())
        notify(outcome)
        return Report([outcome], time.perf_counter() - started, stopped=True)
    job = functools.partial(check_one, baselines=baselines, tolerances=tolerances)

    def crashed(path: Path, why: str) -> Outcome:
        return Outcome(path.stem, str(path), "error", message=f"{path}: the check failed: {why}")

    outcomes = each(job, scenarios.files, workers, notify, crashed)
    for outcome in left_over:
        notify(outcome)
    return Report([*outcomes, *left_over], time.perf_counter() - started)


def update(
    paths: Sequence[str | Path] = (),
    *,
    baselines: Path | None = None,
    tolerance_file: Path | None = None,
    workers: int = 1,
    on_update: Callable[[Update], Any] | None = None,
) -> list[Update]:
    """Write the baselines of every scenario that can be run; report those that cannot.

    Numbers within tolerance of the stored ones are kept, so regenerating on another
    machine rewrites no line. Raises :class:`InputError` when the paths or the tolerance
    file are bad (nothing is written then).
    """
    scenarios = find_scenarios(paths, baselines)
    tolerances = load_tolerances(scenarios.tolerance_file(tolerance_file))
    job = functools.partial(update_one, baselines=baselines, tolerances=tolerances)

    def crashed(path: Path, why: str) -> Update:
        return Update(str(path), str(baseline_path(path, baselines)), "error", f"{path}: the update failed: {why}")

    return each(job, scenarios.files, workers, on_update or (lambda _update: None), crashed)


def each(
    function: Callable[[Path], T],
    files: Iterable[Path],
    workers: int,
    notify: Callable[[T], Any],
    crashed: Callable[[Path, str], T],
) -> list[T]:
    """``function(file)`` for every file, on up to ``workers`` processes, results in file order.

    Each result is passed to ``notify`` as soon as it and those before it are done. Each
    worker talks to this process through its own pipe (no lock shared between processes,
    so a worker killed at any moment can never leave another waiting) and takes the next
    file when it finishes one. A worker that dies gives ``crashed(file, why)`` as its
    file's result and is replaced. Workers ignore Ctrl-C, which is this process's to
    handle: on KeyboardInterrupt (or any error) the workers are killed and it propagates.
    """
    files = list(files)
    if workers <= 1 or len(files) <= 1:
        results = []
        for path in files:
            results.append(function(path))
            notify(results[-1])
        return results
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    todo = iter(range(len(files)))
    done: dict[int, T] = {}
    running: dict[Any, Any] = {}  # our end of a worker's pipe -> the worker
    assigned: dict[Any, int] = {}  # our end of a busy worker's pipe -> the index of its file

    def start() -> None:
        index = next(todo, None)
        if index is not None:
            ours, theirs = context.Pipe()
            worker = context.Process(target=_serve, args=(function, files, theirs), daemon=True)
            worker.start()
            theirs.close()
            running[ours], assigned[ours] = worker, index
            ours.send(index)

    shown = 0
    try:
        for _ in range(min(workers, len(files))):
            start()
        while shown < len(files):
            for pipe in wait(list(assigned)):
                index = assigned.pop(pipe)
                try:
                    done[index] = pipe.recv()
                except EOFError:
                    worker = running.pop(pipe)
                    worker.join()
                    pipe.close()
                    done[index] = crashed(files[index], f"its worker process ended with exit code {worker.exitcode}")
                    start()
                    continue
                following = next(todo, None)
                pipe.send(following)
                if following is not None:
                    assigned[pipe] = following
            while shown in done:
                notify(done[shown])
                shown += 1
    finally:
        for pipe, worker in running.items():
            if worker.is_alive() and shown < len(files):
                worker.kill()
            worker.join()
            pipe.close()
    return [done[i] for i in range(len(files))]


def _serve(function: Callable[[Path], Any], files: list[Path], pipe: Any) -> None:
    """A worker: run ``function`` on the file whose index arrives, send back the result, until None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while (index := pipe.recv()) is not None:
        pipe.send(function(files[index]))
