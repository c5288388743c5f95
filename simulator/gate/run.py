"""Checking and updating many scenarios (studies layer): which files, which orphans, in parallel.

Layer: studies.

The scenario set is the files named and, for each folder named (``scenarios/`` by
default), every ``*.yaml`` and ``*.yml`` file in it and its sub-folders, except in
folders that hold other data: ``baselines/`` and ``records/`` (historical records the
calibration reads), the ``--baselines`` folder, and folders whose name starts with ``.``
or ``_`` (the place for a team's other YAML files). Each scenario file's baseline is
``<its folder>/baselines/<file name without .yaml/.yml>.json`` (or ``<--baselines>/<file
name>.json``); two files that would share one baseline (``a.yaml`` and ``a.yml``) are
refused. A scenario is labelled by its *key*: its path inside the folder checked,
without the extension (``eu/embargo``), or its file name for a file named alone; where two files
checked would share a label, each takes as many of its path's last folders as tell them apart.

For a folder, the set of baselines must match the set of scenario files: a baseline
without its scenario file (deleted or renamed) fails the check as ``no scenario`` unless
``tolerances.yaml`` lists its key under ``retired``. Files named one by one check only
themselves.

A problem that stops the whole check (a missing path, a bad tolerance file or option, the
command run without paths where there is no ``scenarios/`` folder: :func:`no_folder_report`)
becomes a single ``error`` outcome named after the file, option or folder at fault, so that
it reaches every report format, the JUnit file included, like any other failure.
"""

from __future__ import annotations

import difflib
import fnmatch
import functools
import multiprocessing
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, TypeVar

from simulator.errors import InputError
from simulator.gate.baseline import Kind, baseline_path, foreign, read_baseline
from simulator.gate.compare import Outcome, Update, check_one, file_key, git_histories, tolerance_keys, update_one
from simulator.gate.formats import pasted
from simulator.gate.tolerances import Tolerances, load_tolerances
from simulator.scenario.load import refuse_file_followed_by_slash, what_is_at
from simulator.workers import pool_size

DEFAULT_FOLDER = "scenarios"
BASELINES_OPTION = "--baselines"
"""How the outcome of a ``--baselines`` folder that does not exist is named (not as a scenario or a file)."""
SUFFIXES = (".yaml", ".yml")
"""The extensions of scenario files."""
DATA_FOLDERS = frozenset({"baselines", "records"})
"""Sub-folders of a scenario folder that hold other data (baselines, historical records), never scenarios."""
T = TypeVar("T")


def no_local_folder(update: bool = False) -> str:
    """The one line ``stockpile check`` prints when run without paths where there is no ``scenarios/``."""
    command = "stockpile check --update" if update else "stockpile check"
    library = "" if update else ", or check the shipped library with stockpile check --library"
    return (
        f"no {DEFAULT_FOLDER}/ folder in {Path.cwd()}: run {command} from the folder that holds {DEFAULT_FOLDER}/, "
        f"name the scenario folder or files ({command} path/to/scenarios){library}"
    )


def no_folder_report() -> Report:
    """The report of ``stockpile check`` run without paths where there is no ``scenarios/``: one ``error``."""
    return Report([Outcome(DEFAULT_FOLDER, "", "error", message=no_local_folder())], 0.0, stopped=True)


@dataclass
class Report:
    """Every outcome of one ``stockpile check``, in the order of the scenario files."""

    outcomes: list[Outcome]
    seconds: float
    stopped: bool = False
    """A problem stopped the check before any scenario ran (its one outcome says which)."""
    where: str = ""
    """What was checked, as given (``scenarios/``, or the files named)."""
    update_options: str = ""
    """Options that ``stockpile check --update`` needs to write the same baselines (``--baselines DIR``)."""
    tolerances: Tolerances | None = None
    """The tolerances the numbers were compared with (None: the check stopped before reading them)."""
    tolerance_options: str = ""
    """The tolerance options given on the command line (``--rtol 1``), which replace the file's default."""

    @property
    def exit_code(self) -> int:
        """2 when a scenario, baseline or tolerance could not be checked; else 1 on drift; else 0."""
        if any(o.failed and o.status != "drift" for o in self.outcomes):
            return 2
        return 1 if any(o.status == "drift" for o in self.outcomes) else 0


@dataclass
class Scenarios:
    """The files to check, their keys, and the baseline folders whose every file must have a scenario."""

    files: list[Path]
    complete: dict[Path, tuple[str, set[str]]] = field(default_factory=dict)
    """Baseline folder -> (key prefix of its baselines, stems of the scenario files that own them)."""
    baselines: Path | None = None
    keys: dict[Path, str] = field(default_factory=dict)
    """Scenario file -> its key (its path in the folder checked, without extension)."""
    folders: list[Path] = field(default_factory=list)
    """The folders named."""
    plain_keys: dict[Path, str] = field(default_factory=dict)
    """Scenario file -> its plain key, where two files share it and :attr:`keys` holds a longer label
    (``dup`` for ``eu/dup``): a ``scenarios:`` pattern of ``tolerances.yaml`` may name either."""

    def tolerance_file(self, given: Path | None) -> Path:
        """The tolerance file: ``given``, else ``tolerances.yaml`` in the first folder's (or file's) baselines."""
        if given is not None:
            if not (given.exists() or given.is_symlink()):  # one that is there but not a file is refused on reading
                raise InputError("no such tolerance file", str(given))
            return given
        if self.baselines is not None:
            return self.baselines / "tolerances.yaml"
        if self.folders:
            return self.folders[0] / "baselines" / "tolerances.yaml"
        return baseline_path(self.files[0]).parent / "tolerances.yaml"

    def key(self, path: Path) -> str:
        """The key of a scenario file (its stem when it was named alone)."""
        return file_key(path, self.keys)

    def keys_of(self, path: Path) -> tuple[str, ...]:
        """The key of a scenario file, then its plain key where that is shared (:attr:`plain_keys`)."""
        return tolerance_keys(path, self.keys, self.plain_keys)

    @functools.cached_property
    def labels(self) -> dict[Path, list[str]] | None:
        """Each file's labels a ``scenarios:`` pattern of ``tolerances.yaml`` may match (:func:`_labels`).

        Read once, when first asked for: both checks of the patterns (:func:`unused_patterns`,
        :func:`clashing_patterns`) use them.
        """
        return _labels(self)


def where(paths: Sequence[str | Path]) -> str:
    """What a check covers, as given: ``scenarios/`` by default, folders with a trailing ``/``."""
    shown = []
    for text in paths or [DEFAULT_FOLDER]:
        name = str(text)
        shown.append(name if not Path(name).is_dir() or name.endswith("/") else f"{name}/")
    return ", ".join(shown)


def _visible(name: str) -> bool:
    return not name.startswith((".", "_"))


def scenario_files(folder: Path, baselines: Path | None = None) -> list[Path]:
    """Every scenario file in ``folder`` and its sub-folders (see the module docstring for the rule)."""
    skip = os.path.abspath(baselines) if baselines is not None else None
    found = []
    for top, subfolders, names in os.walk(folder):
        subfolders[:] = sorted(
            d for d in subfolders if d not in DATA_FOLDERS and _visible(d) and os.path.abspath(Path(top, d)) != skip
        )
        found.extend(Path(top, name) for name in names if name.endswith(SUFFIXES) and _visible(name))
    return sorted(found, key=lambda p: (p.relative_to(folder).with_suffix("").parts, p.name))


def _key(path: Path, folder: Path) -> str:
    return path.relative_to(folder).with_suffix("").as_posix()


def find_scenarios(paths: Sequence[str | Path], baselines: Path | None = None) -> Scenarios:
    """Scenario files named, or found in the folders named (``scenarios/`` by default).

    Raises
    ------
    InputError
        A missing path, no scenario file at all, or two scenario files sharing one baseline.
    """
    found: list[Path] = []
    folders: list[Path] = []
    keys: dict[Path, str] = {}
    for text in paths or [DEFAULT_FOLDER]:
        if not str(text).strip():  # Path("") is the working folder: a blank argument would check (and update) it
            raise InputError("an empty path names no scenario file or folder")
        refuse_file_followed_by_slash(text)  # before Path drops the slash and the file is checked
        path = Path(text)
        if path.is_dir():
            folders.append(path)
            for file in scenario_files(path, baselines):
                found.append(file)
                keys.setdefault(file, _key(file, path))
        elif path.is_file():
            found.append(path)
        elif (there := what_is_at(path)) is not None:  # a FIFO, a broken link: said, never opened
            raise InputError(f"neither a scenario file nor a folder: it is {there}", str(path))
        else:
            raise InputError("no such scenario file or folder", str(path))
    if not found:
        raise InputError("no scenario files (*.yaml, *.yml) found", where(paths))
    unique = list(dict.fromkeys(found))
    labels = _told_apart(unique, keys)
    plain = {path: file_key(path, keys) for path in unique if file_key(path, labels) != file_key(path, keys)}
    keys = labels
    owners: dict[str, Path] = {}
    for path in unique:
        target = baseline_path(path, baselines)
        other = owners.setdefault(os.path.abspath(target), path)
        if other != path:
            raise InputError(f"shares the baseline {target} with {other}: rename one of them", str(path))
    complete: dict[Path, tuple[str, set[str]]] = {}
    for folder in folders:
        if baselines is not None:
            complete.setdefault(baselines, ("", set()))
            continue
        for top, subfolders, _names in os.walk(folder):
            subfolders[:] = [d for d in subfolders if d not in DATA_FOLDERS and _visible(d)]
            prefix = Path(top).relative_to(folder).as_posix()
            complete.setdefault(Path(top, "baselines"), ("" if prefix == "." else f"{prefix}/", set()))
    for path in unique:
        owner = baseline_path(path, baselines).parent
        if owner in complete:
            complete[owner][1].add(path.stem)
    return Scenarios(unique, complete, baselines, keys, folders, plain)


def _told_apart(files: list[Path], keys: dict[Path, str]) -> dict[Path, str]:
    """``keys`` with a longer label for files whose keys would be the same, so that no two share a label.

    Two files named alone (or found in two folders named) with the same name, ``eu/dup.yaml`` and
    ``jp/dup.yaml``, would both read ``dup``: each such key takes as many of its path's last
    folders as tell them apart (``eu/dup``, ``jp/dup``). A key no other file shares is left as it is.

    >>> sorted(_told_apart([Path("x/eu/dup.yaml"), Path("y/jp/dup.yaml"), Path("z/a.yaml")], {}).values())
    ['eu/dup', 'jp/dup']
    """
    labels = {path: file_key(path, keys) for path in files}
    while True:
        counts = Counter(labels.values())
        longer = False
        for path in [p for p in files if counts[labels[p]] > 1]:
            parts = path.with_suffix("").parts
            used = labels[path].count("/") + 1
            if used < len(parts):
                labels[path], longer = Path(*parts[-used - 1 :]).as_posix(), True
        if not longer:
            break
    return {**keys, **{path: label for path, label in labels.items() if label != file_key(path, keys)}}


def orphans(scenarios: Scenarios, tolerances: Tolerances) -> list[Outcome]:
    """``no scenario`` for each baseline without its scenario file, ``retired`` for those listed.

    Raises
    ------
    InputError
        A ``retired`` entry that names no baseline, or a baseline whose scenario file exists
        (such an entry could later hide a deleted scenario).
    """
    out = []
    every = {f"{prefix}{stem}" for folder, (prefix, _) in scenarios.complete.items() for stem in _stems(folder)}
    owned = {f"{prefix}{stem}" for prefix, stems in scenarios.complete.values() for stem in stems}
    if scenarios.complete:
        for name in tolerances.retired:
            if name not in every:
                raise InputError(f"retired.{name}: no baseline {name}.json to keep", tolerances.source)
            if name in owned:
                raise InputError(
                    f"retired.{name}: the scenario file exists, so its baseline is checked; remove the entry",
                    tolerances.source,
                )
    for folder, (prefix, owners) in scenarios.complete.items():
        for stem in sorted(_stems(folder) - owners):
            path, key = folder / f"{stem}.json", f"{prefix}{stem}"
            if key in tolerances.retired:
                out.append(Outcome(key, str(path), "retired", message=f"{path}: kept without a scenario (retired)"))
            elif (stray := foreign(path)) and stray.kind is not Kind.NEWER:  # another tool's JSON, an index
                message = f"{path}: {stray_message(stray.message, folder)}"
                out.append(Outcome(key, str(path), "error", message=message, stray=True))
            else:
                out.append(
                    Outcome(
                        key,
                        str(path),
                        "no scenario",
                        message=f"{path}: its scenario file {key}.yaml is gone (deleted or renamed?): delete the "
                        f"baseline in the same commit, or list {key} under retired: in tolerances.yaml",
                    )
                )
    return out


def stray_message(why: str, folder: Path) -> str:
    """Why a file in a baselines folder that is not a baseline (:func:`~simulator.gate.baseline.foreign`) fails.

    >>> stray_message("not a regular file", Path("scenarios/baselines"))
    'not a regular file: scenarios/baselines holds baselines and tolerances.yaml only; move it out of the folder'
    """
    return f"{why}: {folder} holds baselines and tolerances.yaml only; move it out of the folder"


def _stems(folder: Path) -> set[str]:
    return {path.stem for path in folder.glob("*.json")} if folder.is_dir() else set()


def _labels(scenarios: Scenarios) -> dict[Path, list[str]] | None:
    """Each scenario file's labels a ``scenarios:`` pattern may match: its ``name:`` and file keys.

    None when a name cannot be read (the invalid file is reported when it is checked).
    """
    from simulator.scenario import load_raw

    labels = {}
    for path in scenarios.files:  # the name: field only; each scenario is validated once, when it is checked
        try:
            name = load_raw(path, []).get("name")
        except InputError:
            return None
        if not isinstance(name, str):
            return None
        labels[path] = [name, *scenarios.keys_of(path)]
    return labels


def unused_patterns(scenarios: Scenarios, tolerances: Tolerances) -> None:
    """Refuse a ``scenarios:`` entry of ``tolerances.yaml`` that matches no scenario of the folders checked.

    Such an entry is a typo or outlived its scenario; either way it loosens nothing it was
    meant to. Only when folders are checked (a file checked alone is not the whole set),
    and only when every scenario's name could be read (an invalid file is reported instead).
    """
    if not scenarios.folders or not tolerances.scenarios or (labels := scenarios.labels) is None:
        return
    every = [label for labelled in labels.values() for label in labelled]
    for pattern in tolerances.scenarios:
        if not any(fnmatch.fnmatch(label, pattern) for label in every):
            raise InputError(
                f"scenarios.{pattern}: matches no scenario name (name: in the scenario files) or file key in "
                f"{where(scenarios.folders)}; correct or remove the entry",
                tolerances.source,
            )


def clashing_patterns(scenarios: Scenarios, tolerances: Tolerances) -> None:
    """Refuse two ``scenarios:`` entries of ``tolerances.yaml`` with other tolerances that match one scenario.

    Only the first listed would apply to it (:meth:`Tolerances.for_metric`), the other ignored
    without a word: a catch-all ``"*"`` listed before a scenario's own entry would loosen it.
    """
    if len(tolerances.scenarios) < 2 or (labels := scenarios.labels) is None:
        return
    for path, labelled in labels.items():
        matched = [p for p in tolerances.scenarios if any(fnmatch.fnmatch(label, p) for label in labelled)]
        applied = tolerances.scenarios[matched[0]] if matched else None
        if other := next((p for p in matched if tolerances.scenarios[p] != applied), None):
            raise InputError(
                f"scenarios.{other}: matches {scenarios.key(path)}, as scenarios.{matched[0]} does, with other "
                "tolerances, and only the first entry listed applies to it: make each scenario match one entry",
                tolerances.source,
            )


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
    shown = where(paths)
    options = f" --baselines {pasted(baselines)}" if baselines is not None else ""
    try:
        if baselines is not None:
            missing_folder(baselines)
    except InputError as exc:  # named after the option: no scenario, no file there (JSON, JUnit, annotations)
        outcome = Outcome(BASELINES_OPTION, "", "error", message=exc.render())
        notify(outcome)
        return Report([outcome], time.perf_counter() - started, stopped=True, where=shown, update_options=options)
    try:
        scenarios = find_scenarios(paths, baselines)
        tolerances = load_tolerances(scenarios.tolerance_file(tolerance_file), rtol, atol)
        left_over = orphans(scenarios, tolerances)
        unused_patterns(scenarios, tolerances)
        clashing_patterns(scenarios, tolerances)
    except InputError as exc:
        culprit = exc.source or exc.problems[0].render(None).split(":", 1)[0]
        outcome = Outcome(Path(culprit).name or culprit, exc.source or "", "error", message=exc.render())
        notify(outcome)
        return Report([outcome], time.perf_counter() - started, stopped=True, where=shown, update_options=options)
    # what git knows of every missing baseline, looked up at once: a long history is walked once, not once each
    missing = [
        target for target in (baseline_path(p, baselines) for p in scenarios.files) if not os.path.lexists(target)
    ]
    job = functools.partial(
        check_one,
        baselines=baselines,
        tolerances=tolerances,
        keys=scenarios.keys,
        plain_keys=scenarios.plain_keys,
        histories=git_histories(missing) if missing else {},
    )

    def crashed(path: Path, why: str) -> Outcome:
        return Outcome(scenarios.key(path), str(path), "error", message=f"{path}: the check failed: {why}")

    outcomes = each(job, scenarios.files, workers, notify, crashed)
    left_over = [_renamed(orphan, outcomes, options) for orphan in left_over]
    for outcome in left_over:
        notify(outcome)
    given = " ".join(f"--{name} {value:g}" for name, value in (("rtol", rtol), ("atol", atol)) if value is not None)
    return Report(
        [*outcomes, *left_over],
        time.perf_counter() - started,
        where=shown,
        update_options=options,
        tolerances=tolerances,
        tolerance_options=given,
    )


def missing_folder(baselines: Path) -> None:
    """Refuse a ``--baselines`` folder that does not exist, naming a near one (a typo would fail every scenario).

    Raises
    ------
    InputError
        No such folder, with ``did you mean '...'?`` when a folder beside it has a near name.
    """
    if os.path.lexists(baselines):
        return  # a file or a link there is named where a baseline is read or written
    near = near_folder(baselines)
    hint = f"; did you mean '{near}'?" if near else " (stockpile check --update with this --baselines makes it)"
    raise InputError(f"{BASELINES_OPTION}: no such folder{hint}", str(baselines))


def near_folder(folder: Path) -> Path | None:
    """A folder beside ``folder`` whose name is near its name (a typo's), or None.

    >>> near_folder(Path("scenarios/baseline"))
    PosixPath('scenarios/baselines')
    """
    parent = folder.parent
    try:
        siblings = [e.name for e in parent.iterdir() if e.is_dir() and e.name != folder.name] if parent.is_dir() else []
    except OSError:  # a folder that cannot be listed offers no near name
        siblings = []
    near = difflib.get_close_matches(folder.name, siblings, n=1, cutoff=0.75)
    return parent / near[0] if near else None


def _renamed(orphan: Outcome, outcomes: list[Outcome], options: str = "") -> Outcome:
    """``orphan``, naming the scenario file it was probably renamed to when there is one.

    That is a scenario file without a baseline whose ``name:`` is the one recorded in the orphan.
    ``options`` (`` --baselines DIR``) go into the command that writes its new baseline, so that,
    pasted, it writes where the check reads.
    """
    if orphan.status != "no scenario":
        return orphan
    unbaselined = {o.name: o.file for o in outcomes if o.status == "no baseline" and o.name}
    try:
        twin = unbaselined.get(read_baseline(Path(orphan.file))["scenario"])
    except InputError:
        twin = None
    if twin is None:
        return orphan
    path, key = orphan.file, orphan.scenario
    message = (
        f"{path}: its scenario file {key}.yaml is gone, and {twin} has its name: and no baseline (renamed?): "
        f"write the new baseline with stockpile check --update{options} {pasted(twin)} and delete {pasted(path)} "
        "in the same commit"
    )
    return Outcome(orphan.scenario, orphan.file, orphan.status, message=message)


def update(
    paths: Sequence[str | Path] = (),
    *,
    baselines: Path | None = None,
    tolerance_file: Path | None = None,
    workers: int = 1,
    missing_only: bool = False,
    on_update: Callable[[Update], Any] | None = None,
) -> list[Update]:
    """Write the baselines of every scenario that can be run; report those that cannot, and orphans.

    Where the scenario and the tool version are the baseline's, numbers within tolerance of
    the stored ones are kept, so regenerating on another machine rewrites no line; after an
    edit or a new version the run is recorded exactly. With ``missing_only``, existing baselines are left as they
    are. After the scenarios come the baselines left without a scenario (``orphan``),
    each with the scenario file whose hash it shares, if any (a rename). Raises
    :class:`InputError` when the paths, the tolerance file or its ``retired`` list are
    bad (nothing is written then).
    """
    notify = on_update or (lambda _update: None)
    scenarios = find_scenarios(paths, baselines)
    tolerances = load_tolerances(scenarios.tolerance_file(tolerance_file))
    clashing_patterns(scenarios, tolerances)  # which stored numbers are kept depends on the tolerance applied
    left_over = [o for o in orphans(scenarios, tolerances) if o.status in ("no scenario", "error")]
    job = functools.partial(
        update_one,
        baselines=baselines,
        tolerances=tolerances,
        missing_only=missing_only,
        keys=scenarios.keys,
        plain_keys=scenarios.plain_keys,
    )

    def crashed(path: Path, why: str) -> Update:
        return Update(str(path), str(baseline_path(path, baselines)), "error", f"{path}: the update failed: {why}")

    updates = each(job, scenarios.files, workers, notify, crashed)
    hashes = {}
    for path in scenarios.files if left_over else ():  # read back only to name an orphan's new file
        try:
            hashes.setdefault(read_baseline(baseline_path(path, baselines))["scenario_hash"], path)
        except InputError:
            continue
    for orphan in left_over:
        updates.append(_orphan(orphan, hashes))
        notify(updates[-1])
    return updates


def _orphan(outcome: Outcome, hashes: dict[str, Path]) -> Update:
    """An orphan baseline as an update line, naming the scenario file it was probably renamed to.

    A file there that is not a baseline (``error``) is named as such.
    """
    if outcome.status == "error":
        return Update(outcome.file, outcome.file, "orphan", outcome.message.removeprefix(f"{outcome.file}: "))
    try:
        twin = hashes.get(read_baseline(Path(outcome.file))["scenario_hash"])
    except InputError:
        twin = None
    if twin is not None:
        why = f"same scenario hash as {pasted(twin)} (renamed?): delete {pasted(outcome.file)} in the same commit"
    else:
        key = outcome.scenario
        why = f"no scenario file {key}.yaml: delete it, or list {key} under retired: in tolerances.yaml"
    return Update(outcome.file, outcome.file, "orphan", why)


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
    workers = pool_size(workers, len(files))
    if workers == 1:
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
        for _ in range(workers):
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
