"""The ``stockpile`` command line: thin click commands over the library.

Layer: face.

Each command parses, loads and validates, calls the library, writes and exits.
Exit codes: 0 success; 1 a regression check found drift; 2 bad input (a scenario,
an option or a path), with a message naming the file and the field path and no
traceback (``stockpile --debug ...`` shows it), also for standard output or error that
cannot be written (a full disk: one line on standard error, see :func:`stream_failed`;
a closed pipe is click's quiet exit 1); 3 a sweep stopped by an error, and 130
(SIGINT) or 143 (SIGTERM) a command interrupted, a sweep's finished chunks kept for
resuming.
"""

from __future__ import annotations

# first: in the stockpile program, a Ctrl-C from here on waits for the command to start (hold_from_start)
from simulator.interrupt import Interrupted, end_command, held_before_start, hold_from_start, start_command

# isort: split
import contextlib
import datetime as dt
import errno
import functools
import json
import logging
import math
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from simulator.errors import ChangeRefusedError, InputError, Problem, check_drawable, plain
from simulator.gate.formats import FORMATS
from simulator.names import plural
from simulator.quick_exit import exit_now
from simulator.version import __version__
from simulator.workers import MAX_WORKERS, default_workers

if TYPE_CHECKING:
    from simulator.forked import Ahead
    from simulator.scenario import Scenario

DASK_MISSING = "Dask is not installed; install the extra with: pip install 'stockpile-simulator[dask]'"
EXCEL_HELP = "Also write workbook.xlsx (Excel: units in headers, real dates, the scenario's parameters)."
SET_HELP = "Override a scenario field, e.g. --set agreement.ratio.japan=0.3 (repeatable)."
WORKERS = click.IntRange(min=1, max=MAX_WORKERS)
"""``--workers``: more is refused (exit 2) before any work; a pool never starts more than it has work for."""
SCENARIO_SEED = click.IntRange(min=0, max=2**32 - 1)
"""``--seed`` of ``run``, ``sweep`` and ``explore``: a scenario's seed, in the schema's range
(``simulator.scenario.schema.MAX_SEED``, not imported here: the schema loads pydantic, which
``--help`` does without); a seed outside it is refused by click, naming ``--seed``."""
FORCE_HELP = (
    "Overwrite files in the output folder that its manifest.json does not list as stockpile's, "
    "or the output another command wrote there."
)


def force_option(more: str = "") -> Any:
    """``--force``: overwrite files the output folder's manifest does not list (``more``: what else it overrides)."""
    return click.option("--force", is_flag=True, help=FORCE_HELP + more)


def quiet_option(help_text: str) -> Any:
    """``-q/--quiet``: print less (``help_text`` says what is left); a progress bar is never drawn with it."""
    return click.option("-q", "--quiet", is_flag=True, help=help_text)


def stops_on_signals(command: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a command: SIGINT or SIGTERM while it runs cleans up, says so, exits 130 or 143."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        with _signals_stop(ctx, lambda exc: click.echo(f"{ctx.info_name} interrupted by {exc.name}", err=True)):
            return command(*args, **kwargs)

    wrapper.says_signal_alone = True  # type: ignore[attr-defined]  # its words, should a signal come before it runs
    return wrapper


@contextmanager
def _signals_stop(ctx: click.Context, say: Callable[[Any], None] | None = None) -> Iterator[None]:
    """Around a study: SIGINT or SIGTERM cleans up, is told (by ``say``, or "nothing written"), exits 130 or 143."""
    from simulator.interrupt import Interrupted, interruptible

    try:
        with interruptible():
            yield
    except Interrupted as exc:
        if say is None:
            click.echo(f"{ctx.info_name} interrupted by {exc.name}: nothing written", err=True)
        else:
            say(exc)
        ctx.exit(exc.exit_code)


@contextmanager
def _errors_stop(ctx: click.Context, out: Path, say: Callable[[Exception], None] | None = None) -> Iterator[None]:
    """Around a study's runs: an unexpected error is told (by ``say``, or "nothing written") and exits 3.

    Bad input (exit 2) and any error under ``--debug`` (a traceback) pass through; so does, as
    exit 2, a failure to write in ``out``, the output folder (:func:`_cannot_write`).
    """
    try:
        yield
    except Exception as exc:
        if ctx.meta.get("debug") or isinstance(exc, InputError) or stream_failed(exc) is not None:
            raise
        if say is None:
            click.echo(f"{ctx.info_name} stopped by an error: {exc!r}; nothing written", err=True)
        else:
            say(exc)
        ctx.exit(2 if _cannot_write(exc, out) else 3)


NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})
"""Errors only writing gives, that the user can mend (room, a read-only disk): exit 2 like an
unwritable output folder."""
NO_RIGHTS = frozenset({errno.EACCES, errno.EPERM})
"""Errors of rights: a failure to write, that the user can mend, only on a file of the output
folder; on another (a file read) it is the tool's fault, exit 3."""


def _cannot_write(exc: BaseException, out: Path) -> bool:
    """Whether ``exc`` is a failure to write that the user can mend.

    A full disk or a read-only one, or no right to a file in ``out`` (the output folder, or a
    staging folder made beside it): no right to a file read elsewhere is no output's fault.
    """
    from simulator.output_folder import STAGE_PREFIX

    if not isinstance(exc, OSError):
        return False
    if exc.errno in NO_ROOM:
        return True
    if exc.errno not in NO_RIGHTS:
        return False
    folder = Path(out).absolute()
    for name in (exc.filename, exc.filename2):
        if isinstance(name, str | Path):
            path = Path(name).absolute()
            staged = any(p.parent == folder.parent and p.name.startswith(STAGE_PREFIX) for p in (path, *path.parents))
            if path.is_relative_to(folder) or staged:  # the staging folder or a file in it
                return True
    return False


def compare_option(help_text: str) -> Any:
    """``--compare BASELINE``: a baseline scenario for the report (``run`` and ``report``), named as SCENARIO is."""
    return click.option("--compare", "baseline_path", type=BaselineFile(), metavar="BASELINE", help=help_text)


class GivenPath(click.Path):
    """A path option that is refused when empty: ``-o ''`` named the default folder, ``--compare ''`` nothing."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The path, unless blank (exit 2, naming the option)."""
        if isinstance(value, str) and not value.strip():
            self.fail("an empty path names no file or folder; give one", param, ctx)
        return super().convert(value, param, ctx)


class ScenarioFile(click.Path):
    """A scenario file or the bare name of one in ./scenarios or the library; with ``folders``, also a folder."""

    def __init__(self, folders: bool = False) -> None:
        super().__init__(dir_okay=folders)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The file named, or the library file a bare name stands for (one found nowhere: where it was looked for)."""
        from simulator.library import refuse_missing_name, resolve_scenario

        path = resolve_scenario(str(value), folders=self.dir_okay)
        if not self.dir_okay:
            refuse_missing_name(path)
        return super().convert(path, param, ctx)


class BaselineFile(ScenarioFile):
    """``--compare BASELINE``: a file or bare name resolved as SCENARIO is; a refusal names ``--compare``.

    A bare name is looked up in ./scenarios and the library, a close typo gets "did you mean"
    (:class:`ScenarioFile`); a file found nowhere is refused here, before any run, not when
    the baseline is loaded (where it would not say which option named it).
    """

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The baseline's file (a blank, a missing file or an unknown name: exit 2, naming ``--compare``)."""
        from simulator.errors import ScenarioError
        from simulator.library import why_missing

        if isinstance(value, str) and not value.strip():
            self.fail("an empty path names no file or folder; give one", param, ctx)
        with _as_baseline():
            path = super().convert(value, param, ctx)
            if why := why_missing(path):
                raise ScenarioError(why, path)
        return path


@contextmanager
def _as_baseline() -> Iterator[None]:
    """An :class:`InputError` raised within names ``--compare`` before its field: ``FILE: --compare: FIELD: ...``.

    Found or not, a baseline's problem is said to be the ``--compare`` baseline's: the file
    alone could be taken for the scenario run. A :class:`ChangeRefusedError` says so already (a
    ``--set`` the baseline cannot take: "--set applies to the --compare baseline too") and is left
    as it is.
    """
    try:
        yield
    except ChangeRefusedError:
        raise
    except InputError as exc:
        named = [
            Problem(": ".join(part for part in ("--compare", problem.path) if part), problem.message)
            for problem in exc.problems
        ]
        raise exc.with_problems(named) from exc


_REQUESTED = "stockpile.requested"
"""Key in ``ctx.meta`` of the command's name and arguments as given (:meth:`StockpileGroup.parse_args`)."""


class StockpileGroup(click.Group):
    """Turns known input errors into one short message and exit code 2, and a signal into 130 or 143."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Keep the command's name and arguments as given, for a signal's line (:func:`_interrupted_line`).

        The group's own options (``--debug``, ``--version``, ``--help``) take no value, so the
        command is the first argument that names one.
        """
        ctx.meta[_REQUESTED] = next((args[i:] for i, arg in enumerate(args) if arg in self.commands), [])
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; report :class:`InputError` without a traceback, a signal as the command would.

        A signal that the command did not handle itself (one held while the program started,
        or one that came before the command's own handling began) is said in the command's
        words (:func:`_interrupted_line`) and exits 130 or 143: click would print "Aborted!"
        and exit 1, which ``check`` uses for drift.
        """
        requested = ctx.meta.get(_REQUESTED, [])
        try:
            try:
                return super().invoke(ctx)
            finally:
                end_command()  # done, refused or stopped: a later signal can no longer change how it ends
        except Interrupted as exc:
            text, to_stderr = _interrupted_line(requested, exc)
            click.echo(text, err=to_stderr)
            ctx.exit(exc.exit_code)
        except InputError as exc:
            if ctx.meta.get("debug"):
                raise
            click.echo(exc.for_console(), err=True)
            ctx.exit(2)
        except OSError as exc:
            error = too_long(exc)
            if error is None or ctx.meta.get("debug"):
                raise
            click.echo(error.for_console(), err=True)
            ctx.exit(2)


def _interrupted_line(requested: list[str], exc: Interrupted) -> tuple[str, bool]:
    """What a command stopped by ``exc`` before its own handling began says, and whether on standard error.

    ``requested``: the command's name and arguments. The command's own words with nothing
    done: ``check``'s line on standard output (where all of its messages go), the command's
    name and the signal for those that say no more (:func:`stops_on_signals`), else
    "nothing written".
    """
    name = requested[0] if requested else "stockpile"
    if name == "check":
        options = requested[: requested.index("--")] if "--" in requested else requested
        return _check_interrupted_line("--update" in options, 0, exc.signum == signal.SIGTERM), False
    command = main.commands.get(name)
    if command is not None and getattr(command.callback, "says_signal_alone", False):
        return f"{name} interrupted by {exc.name}", True
    return f"{name} interrupted by {exc.name}: nothing written", True


def _check_interrupted_line(update: bool, done: int, terminated: bool) -> str:
    """``check``'s line when a signal stops it after ``done`` scenarios (baselines with ``--update``).

    >>> _check_interrupted_line(False, 2, False)
    'check interrupted by Ctrl-C after 2 scenarios checked; no report written'
    >>> _check_interrupted_line(True, 0, True)
    'check --update interrupted by SIGTERM after 0 baselines written or unchanged'
    """
    what = (
        f"{plural(done, 'baseline')} written or unchanged"
        if update
        else f"{plural(done, 'scenario')} checked; no report written"
    )
    return f"check {'--update ' if update else ''}interrupted by {'SIGTERM' if terminated else 'Ctrl-C'} after {what}"


def too_long(exc: OSError) -> InputError | None:
    """A path the system cannot look up (a name over 255 bytes) as an input error; None for any other error.

    Wherever the path was looked at first (resolving a scenario name, finding files), the
    message is the same.
    """
    if exc.errno != errno.ENAMETOOLONG:
        return None
    return InputError("a name in this path is too long for the file system", plain(str(exc.filename or "")) or None)


@click.group(cls=StockpileGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="stockpile")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Simulate joint strategic stockpiles of critical raw materials under embargo shocks."""
    ctx.meta["debug"] = debug
    start_command()  # a signal held since the program started stops the command here
    # Matplotlib's own notes (a config folder it could not make under a read-only HOME, so a
    # temporary one; a missing font) are not the command's output: stderr carries only ours.
    # The level is put back when the command ends: main() called in a process that goes on (a
    # notebook, a test) leaves Matplotlib's logging as its caller had it.
    logger = logging.getLogger("matplotlib")
    ctx.call_on_close(functools.partial(logger.setLevel, logger.level))
    logger.setLevel(logging.ERROR)


def _overrides(assignments: tuple[str, ...]) -> list[tuple[str, Any]]:
    from simulator.scenario import parse_assignment

    return [parse_assignment(text) for text in assignments]


def _as_axis(problem: Problem) -> Problem:
    """A problem of the sweep's grid parser in explore's words: ``--axis``, and no limit to raise."""
    from simulator.errors import renamed, setting

    message = renamed(problem.message, "grid", "axis").replace(f"; raise {setting('max_points')}", "")
    return Problem(renamed(problem.path, "grid", "axis"), message)


def load(path: str, assignments: tuple[str, ...] = (), seed: int | None = None) -> Any:
    """Load and validate a scenario with ``--set`` overrides and an optional seed."""
    return load_checked(path, assignments, seed)[1]


def load_checked(
    path: str, assignments: tuple[str, ...] = (), seed: int | None = None
) -> tuple[dict[str, Any], Scenario]:
    """The scenario file's data with ``--set`` overrides (and ``seed``) applied, and its validated scenario.

    The file is read once; a problem the overrides caused is said of the ``--set`` that caused it,
    as ``run`` says it (:func:`~simulator.scenario.load.validate_overridden`), for the commands
    that go on from the data (compare, sensitivity, calibrate).
    """
    overrides = _overrides(assignments)
    if seed is not None:
        overrides.append(("seed", seed))
    return _checked_with(path, overrides)


def _checked_with(path: str, overrides: list[tuple[str, Any]]) -> tuple[dict[str, Any], Scenario]:
    """:func:`load_checked` of ``--set`` pairs parsed already (:func:`_overrides`), for a command using them too."""
    from simulator.scenario.load import load_overridden, validate_overridden

    with_set = load_overridden(path, overrides)
    return with_set.data, validate_overridden(with_set, path, overrides)


def _report_files(scenario: str, baseline: str | None, explorer: str | None, record: str | None) -> list[str]:
    """The files a report reads, never written or removed (``run --report`` and ``report`` alike).

    The scenario, ``--compare``, ``--explorer`` and ``--record``, as given.
    """
    return [p for p in (scenario, baseline, explorer, record) if p]


def _report_inputs(
    given: dict[str, Any], pairs: list[tuple[str, Any]], baseline_path: str | None, loaded: Any
) -> tuple[list[Any], Any]:
    """The report's list of changes and the baseline scenario with the same changes (see scenario/changes.py).

    ``given``: the scenario file's data as read, before the ``--set`` values (``pairs``).
    """
    from simulator.scenario import load_raw
    from simulator.scenario.changes import changes_of, with_changes

    # with --set: its notes of ratios rescaled, from the data read once; without, no changes
    changes = changes_of(given, pairs) if pairs else []
    if baseline_path is None:
        return changes, None
    from simulator.report import comparison_problem  # the report's modules: imported only to compare

    with _as_baseline():  # a baseline found but malformed, or one the --set values cannot apply to
        base, changes = with_changes(load_raw(baseline_path, []), changes, baseline_path)
    if problem := comparison_problem(loaded, base):
        raise InputError(f"--compare: {problem}", baseline_path)
    return changes, base


def _range_notes(s: Scenario, source: str, changed: Iterable[str], data: Any, varied: Iterable[str] = ()) -> None:
    """A ``note:`` for each value as written that its own ``uncertain:`` range leaves out (as validate's).

    ``varied``: the entries a study varies (``sensitivity --input``); empty: every one.
    """
    from simulator.scenario.notes import range_notes

    for note in range_notes(s, changed, data, varied):
        click.echo(f"note: {note.render(source)}", err=True)


def _rescaled_notes(changes: list[Any], path: str) -> None:
    """A ``note:`` for a ``--set agreement.ratio.<member>`` that rescaled the other members' ratios: their new ones."""
    from simulator.scenario.changes import rescaled_problems

    for problem in rescaled_problems(changes):
        click.echo(f"note: {problem.render(path)}", err=True)


def _matplotlib_may_make_a_temporary_folder() -> bool:
    """Whether Matplotlib, imported now, may make a temporary ``matplotlib-*`` folder in TMPDIR.

    It does where a folder it wants is not a writable folder and cannot be made one:
    ``MPLCONFIGDIR`` if set, else ``matplotlib`` in ``$XDG_CONFIG_HOME`` and in
    ``$XDG_CACHE_HOME`` (``~/.config`` and ``~/.cache`` by default; see
    ``matplotlib.get_configdir`` and ``get_cachedir``, Linux, where the child ahead is
    forked). Told without importing Matplotlib, which still decides for itself: False
    only where each folder already is a writable folder (after any earlier Matplotlib
    import under this HOME); True otherwise, even where Matplotlib would make it, which
    costs at most an empty folder (see :class:`simulator.forked.Ahead`).
    """
    import os

    if given := os.environ.get("MPLCONFIGDIR"):
        wanted = [Path(given)]
    else:
        try:
            home = Path.home()
        except RuntimeError:  # no HOME and no user entry: Matplotlib falls back
            return True
        config = os.environ.get("XDG_CONFIG_HOME") or home / ".config"
        cache = os.environ.get("XDG_CACHE_HOME") or home / ".cache"
        wanted = [Path(config, "matplotlib"), Path(cache, "matplotlib")]
    return not all(folder.is_dir() and os.access(folder, os.W_OK) for folder in wanted)


def _figure_writer() -> Callable[[tuple[Any, Path]], object]:
    """What the child forked ahead does (:func:`simulator.forked.forked_ahead`): import Matplotlib, then draw.

    The import (about 0.4 s) overlaps the parent's simulation; the drawing is
    :func:`simulator.plots.write_figures` of a ``(result, folder)`` pair handed to it.
    Where Matplotlib cannot make its own folder, it makes a temporary one for an exit
    handler to remove, which a forked child never runs (it ends with ``os._exit``): it is
    made in the child's temporary folder, which the parent removes, whether the child
    drew, failed or was killed (:class:`simulator.forked.Ahead`).
    """
    from simulator.plots import write_figures

    return lambda job: write_figures(*job)


def _write_figures(result: Any, folder: Path, ahead: Ahead | None) -> None:
    """A run's figures into ``folder``: by the child forked ahead if it draws them all, else here.

    Matplotlib is imported here only if they are drawn here: without a child (half of them
    in a child forked then), or after the child failed. Those are drawn again here, in
    order and without forking, so an error raises here as it would without a child, after
    one retry and not a chain of them (the child's own child, the child, then this process
    and a child of its own).
    """
    if ahead is not None and ahead.hand((result, folder)):
        return
    from simulator.plots import write_figures

    write_figures(result, folder, shared=ahead is None)


def explorer_option(help_text: str) -> Any:
    """``--explorer PAGE``: an explorer page for the report to link to (``run`` and ``report``)."""
    return click.option("--explorer", "explorer_page", type=GivenPath(dir_okay=False), metavar="PAGE", help=help_text)


def record_option(help_text: str) -> Any:
    """``--record FILE``: a record (CSV, as stockpile calibrate reads) for the report to set the run against."""
    return click.option("--record", "record_file", type=GivenPath(dir_okay=False), metavar="FILE", help=help_text)


RECORD_HELP = (
    "Set the run against this record (a CSV as stockpile calibrate reads): the report's section 'Against the record'."
)


def _explorer_link(report: Path, page: str | None, run_data: dict[str, Any]) -> Any:
    """The report's link to ``page`` (``--explorer``) or to an ``explorer.html`` beside it; None without one."""
    from simulator.report.explorer import explorer_link

    return explorer_link(report, Path(page) if page else None, run_data)


EXPLORER_HELP = (
    "Link the report to this explorer page (stockpile explore), at this run's point; "
    "without it, an explorer.html beside the report is linked."
)


@main.command()
@click.argument("scenario", type=ScenarioFile())
@click.option("-o", "--out", "out_dir", type=GivenPath(file_okay=False), help="Output folder [results/<name>].")
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE", help=SET_HELP)
@click.option("--seed", type=SCENARIO_SEED, help="Seed of the run (overrides the scenario's); at most 2**32 - 1.")
@click.option("--report", "with_report", is_flag=True, help="Also write report.html.")
@compare_option(
    "Also run the BASELINE scenario (--set applies to it too) and print each shortfall beside its own; "
    "with --report, compare in the report too."
)
@explorer_option("With --report: " + EXPLORER_HELP)
@record_option("With --report: " + RECORD_HELP)
@click.option("--no-plots", is_flag=True, help="Skip the figures.")
@click.option("--excel", is_flag=True, help=EXCEL_HELP)
@click.option(
    "--uncertainty",
    "uncertainty_runs",
    type=click.IntRange(min=2, max=100_000),
    metavar="N",
    help="Also run N samples of the scenario's uncertain inputs: headline medians with 90% intervals, "
    "their main drivers, fan charts (and a report section with --report). A --set on a path an input "
    "varies fixes that input at the value set and leaves it out of the samples.",
)
@click.option(
    "--workers",
    type=WORKERS,
    help=f"With --uncertainty: local worker processes, at most one per chunk of samples [cores; <= {MAX_WORKERS}].",
)
@force_option()
@quiet_option("No progress bar and no tables: only notes, errors and the paths written.")
@stops_on_signals
def run(
    scenario: str,
    out_dir: str | None,
    assignments: tuple[str, ...],
    seed: int | None,
    with_report: bool,
    baseline_path: str | None,
    explorer_page: str | None,
    record_file: str | None,
    no_plots: bool,
    excel: bool,
    uncertainty_runs: int | None,
    workers: int | None,
    force: bool,
    quiet: bool,
) -> None:
    """Run SCENARIO once and write curves, tables and a summary."""
    from simulator.forked import forked_ahead
    from simulator.output import run_files, run_options, write_run
    from simulator.output_folder import open_folder, removed_note
    from simulator.scenario import load_raw
    from simulator.scenario.load import overridden_file, validate_overridden
    from simulator.scenario.overrides import Overridden

    if explorer_page and not with_report:
        raise InputError("--explorer needs --report")
    if workers and not uncertainty_runs:  # the run itself is one process: only the samples are shared out
        raise InputError("--workers needs --uncertainty")
    overrides = _overrides(assignments)
    pairs = overrides + ([("seed", seed)] if seed is not None else [])
    given = load_raw(scenario)
    raw, made = overridden_file(given, scenario, pairs)
    fixed_note = None
    if uncertainty_runs and overrides:  # a --set on an input the study varies fixes it there: the others vary
        from simulator.sensitivity.intervals import fixed_by_set

        raw, fixed_note = fixed_by_set(raw, given.get("uncertain"), [path for path, _ in overrides], scenario)
    loaded = validate_overridden(Overridden(raw, made), scenario, pairs)
    record = None
    if record_file:  # before any run: a record that does not fit, or that no report would show, costs nothing
        from simulator.report.record import report_record  # the report's modules: imported only for a record

        record = report_record(record_file, loaded, with_report, "--record needs --report")
    study = None
    if uncertainty_runs:
        import copy

        from simulator.sensitivity import plan_study

        fixed = [path for path, _ in overrides]  # the rule of studies: no --set on a path an entry still varies
        study = plan_study(copy.deepcopy(raw), scenario, fixed=fixed, narrow=False, validated=loaded)
        if fixed_note:
            click.echo(f"note: {fixed_note}", err=True)
    from simulator.scenario.notes import scenario_notes

    # as validate prints them, each naming the file and the field; none on a value --set gave
    for note in scenario_notes(loaded, [path for path, _ in pairs], raw):
        click.echo(f"note: {note.render(scenario)}", err=True)
    if with_report:
        check_drawable(loaded, scenario, "the report draws them too (run without --report)")
    elif not no_plots:
        check_drawable(loaded, scenario, "run with --no-plots")
    changes, base = _report_inputs(given, pairs, baseline_path, loaded)
    _rescaled_notes(changes, scenario)
    folder = Path(out_dir or Path("results") / loaded.name)
    link = _explorer_link(folder / "report.html", explorer_page, raw) if with_report else None
    will_write = run_files(
        loaded.agreement is not None,
        not no_plots,
        with_report,
        excel,
        bool(loaded.market),
        study is not None,
        against=base is not None,
    )
    inputs = _report_files(scenario, baseline_path, explorer_page, record_file)
    # the figures' child imports Matplotlib while this process imports the engine and simulates; not
    # with --uncertainty: this process imports Matplotlib for the fan charts anyway, and the child's
    # import would compete with the sample workers for the cores
    ahead_wanted = not no_plots and not uncertainty_runs
    # Matplotlib's temporary folder, where it may make one, is made in a folder removed with the child
    may_make = ahead_wanted and _matplotlib_may_make_a_temporary_folder()
    drawing = forked_ahead(_figure_writer, temporary=may_make) if ahead_wanted else contextlib.nullcontext()
    with drawing as ahead, open_folder(folder, will_write, force, command="run", inputs=inputs) as out:
        from simulator.against import against
        from simulator.engine import simulate

        result = simulate(loaded)
        baseline = simulate(base) if base is not None else None
        compared = against(result, baseline) if baseline is not None else None  # against.csv, as printed
        found = None
        outside: list[str] = []  # the uncertain inputs whose value as written no sample holds (the manifest's)
        if study is not None:
            from simulator.sensitivity.intervals import outside_range_paths, run_uncertainty
            from simulator.sensitivity.intervals import uncertainty_runs as runs_made

            outside = outside_range_paths(study)

            # with an agreement each sample runs twice (with and without it): one bar over both passes
            with _progress(runs_made(loaded, uncertainty_runs or 0), desc="uncertainty", quiet=quiet) as advance:
                found = run_uncertainty(study, uncertainty_runs or 0, workers or default_workers(), progress=advance)

        def figures(res: Any, stage: Path) -> None:
            if not no_plots:
                _write_figures(res, stage, ahead)
            if found is not None:
                from simulator.sensitivity.intervals import own_curves, write_uncertainty

                own = triggers = None
                if not no_plots:  # the fan charts draw the run's own curves dashed and its trigger lines
                    from simulator.plots import trigger_lines

                    own = own_curves(res.timeseries, list(res.structure.regions), list(res.structure.materials))
                    triggers = trigger_lines(res)
                from simulator.names import run_words  # the report's words for the run: with --set, changed

                as_run = run_words(bool(changes))
                write_uncertainty(found, own, stage, triggers=triggers, as_run=as_run)
            if with_report:
                from simulator.report import write_report

                write_report(
                    res,
                    stage / "report.html",
                    baseline=baseline,
                    uncertainty=found,
                    changes=changes,
                    explorer=link,
                    record=record,
                )
            if compared is not None:
                compared.table.write_csv(stage / "against.csv")
            if excel:
                from simulator.workbook import run_workbook

                run_workbook(res, stage / "workbook.xlsx", scenario_data=raw, uncertainty=found, against=compared)

        sample_workers = (workers or default_workers()) if uncertainty_runs else None
        options = run_options(assignments, uncertainty_runs, sample_workers, outside)
        write_run(result, out, figures=figures, scenario_data=raw, options=options)
    from simulator.console import against_text, summary_text

    if not quiet:
        click.echo(summary_text(result))
    if baseline is not None and not quiet:
        click.echo(against_text(result, baseline))
    if found is not None:
        from simulator.sensitivity.intervals import (
            by_material_text,
            headline_lines,
            no_drivers_note,
            samples_short_text,
            separate_intervals_note,
            unlike_tonnes_note,
        )

        if not quiet:
            inputs = len(found.study.inputs)
            click.echo(f"uncertainty: {found.runs:,} samples of {plural(inputs, 'uncertain input')}")
            if how_often := samples_short_text(found):  # first: the probability of a shortfall
                click.echo(f"  {how_often}")
            for line in headline_lines(found):
                click.echo(f"  {line}")
            if separate := separate_intervals_note(found):
                click.echo(f"  ({separate})")
        if unlike := unlike_tonnes_note(found):
            click.echo(f"note: {unlike}", err=True)
        if by_material := by_material_text(found):  # why fairness is given by material, as sensitivity's note says
            click.echo(f"note: {by_material}", err=True)
        if none_named := no_drivers_note(found):
            click.echo(f"note: {none_named}", err=True)
    if gone := removed_note(out):  # a folder holds one output: what the earlier run wrote and this one did not
        click.echo(f"note: {gone}", err=True)
    click.echo(f"wrote {folder}/")
    if with_report:
        against = f" (compared with {base.name})" if base is not None else ""
        click.echo(f"report: {folder / 'report.html'}{against}")


@main.command()
@click.argument("scenario", type=ScenarioFile())
@click.option(
    "-o", "--out", "out_file", type=GivenPath(dir_okay=False), help="Report file [results/<name>/report.html]."
)
@compare_option("Also run the BASELINE scenario and compare against it (figures, tables and sentences).")
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE", help=SET_HELP + " Applied to BASELINE too.")
@explorer_option(EXPLORER_HELP)
@record_option(RECORD_HELP)
@stops_on_signals
def report(
    scenario: str,
    out_file: str | None,
    baseline_path: str | None,
    assignments: tuple[str, ...],
    explorer_page: str | None,
    record_file: str | None,
) -> None:
    """Run SCENARIO and write a self-contained HTML report (printable to A4)."""
    from simulator.engine import simulate
    from simulator.output_folder import check_file_writable, refuse_to_replace
    from simulator.report import write_report
    from simulator.scenario import load_raw
    from simulator.scenario.load import overridden_file, validate_overridden

    pairs = _overrides(assignments)
    given = load_raw(scenario)
    with_set = overridden_file(given, scenario, pairs)
    raw = with_set.data
    loaded = validate_overridden(with_set, scenario, pairs)
    check_drawable(loaded, scenario, "the report cannot show them")
    changes, base = _report_inputs(given, pairs, baseline_path, loaded)
    _rescaled_notes(changes, scenario)
    path = Path(out_file or Path("results") / loaded.name / "report.html")
    link = _explorer_link(path, explorer_page, raw)
    from simulator.report.record import report_record

    record = report_record(record_file, loaded)
    check_file_writable(path)
    inputs = _report_files(scenario, baseline_path, explorer_page, record_file)
    refuse_to_replace(path, inputs, page=True)  # before the runs (a folder being written too): a refusal costs nothing
    result = simulate(loaded)
    baseline = simulate(base) if base is not None else None
    write_report(result, path, baseline=baseline, changes=changes, explorer=link, inputs=inputs, record=record)
    from simulator.console import summary_text

    click.echo(summary_text(result))
    click.echo(f"wrote {path}")


@main.command()
@click.argument("scenarios", nargs=-1, required=True, type=ScenarioFile(folders=True))
def validate(scenarios: tuple[str, ...]) -> None:
    """Check scenario files (a folder: its scenario files, as check finds them); list every problem (exit 2 if any)."""
    from simulator.errors import ScenarioError
    from simulator.gate.run import DATA_FOLDERS, scenario_files
    from simulator.scenario import load_scenario

    files: list[str] = []
    for given in scenarios:
        if not Path(given).is_dir():
            files.append(given)
        elif Path(given).resolve().name in DATA_FOLDERS:
            raise InputError("a folder of baselines or records, not of scenarios", given)
        elif found := scenario_files(Path(given)):
            files += [str(path) for path in found]
        else:
            raise InputError("no scenario files (*.yaml, *.yml) in this folder", given)
    from simulator.scenario import load_raw
    from simulator.scenario.load import value_problems
    from simulator.scenario.notes import scenario_notes

    failed = False
    for path in files:
        try:
            loaded = load_scenario(path)
            discrete = [(i, e.path, getattr(e, "values", None) or []) for i, e in enumerate(loaded.uncertain)]
            if problems := value_problems(load_raw(path), path, discrete):
                raise ScenarioError(problems, path)
        except ScenarioError as exc:
            failed = True
            click.echo(exc.for_console(), err=True)
        else:
            click.echo(f"{path}: ok")
            for note in scenario_notes(loaded):
                click.echo(f"note: {note.render(path)}", err=True)
    if failed:
        sys.exit(2)


@main.command()
def schema() -> None:
    """Print the JSON Schema of scenario files."""
    from simulator.scenario import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


@main.command(name="compare")
@click.argument("scenario", type=ScenarioFile())
@click.option("--mechanisms", help="Comma-separated rules [every mechanism].")
@click.option("-o", "--out", "out_dir", type=GivenPath(file_okay=False), help="Output folder [results/<name>_compare].")
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE", help=SET_HELP)
@click.option(
    "--seed",
    type=SCENARIO_SEED,
    help="Seed of every row's run (overrides the scenario's), as run --seed; at most 2**32 - 1.",
)
@click.option("--no-plots", is_flag=True, help="Skip the figure (compare.png).")
@click.option(
    "--no-baseline",
    is_flag=True,
    help=(
        "Leave out the rows 'no agreement' (the scenario without its agreement, as --set agreement=null), "
        "'stocks held today' (where agreement.pool.already_held lists members: without it, their pool shares "
        "held today, of the materials listed with them, held as their own reserves) and 'own shares alone' "
        "(without it, each member's pool share held as its own reserve)."
    ),
)
@click.option("--excel", is_flag=True, help=EXCEL_HELP)
@force_option()
@stops_on_signals
def compare_command(
    scenario: str,
    mechanisms: str | None,
    out_dir: str | None,
    assignments: tuple[str, ...],
    seed: int | None,
    no_plots: bool,
    no_baseline: bool,
    excel: bool,
    force: bool,
) -> None:
    """Run SCENARIO under each release rule; write compare.csv and compare.png.

    The first row, 'no agreement', is the same scenario without its agreement (as
    --set agreement=null): what the members would be short without the pool's stock,
    even where the pool is national stock pooled; where agreement.pool.already_held lists
    members, a row 'stocks held today' has those members' shares held alone (of the materials
    listed with them, where it lists some), the status quo the report measures against. Every
    row runs with the same seed: with random inputs, the rules are compared on one draw of them
    (a note says so).
    """
    from simulator.compare import compare, mechanism_notes, one_draw_note, parse_mechanisms
    from simulator.output import write_scenario_json
    from simulator.output_folder import manifest_info, open_folder
    from simulator.plots import compare_figure
    from simulator.scenario import scenario_hash
    from simulator.version import made_with

    names = parse_mechanisms(mechanisms)
    for note in mechanism_notes(mechanisms):
        click.echo(f"note: {note}", err=True)
    raw, loaded = load_checked(scenario, assignments, seed)
    _range_notes(loaded, scenario, [path for path, _ in _overrides(assignments)], raw)
    folder = Path(out_dir or Path("results") / f"{raw.get('name', 'scenario')}_compare")
    written = {"compare.csv", "scenario.json", *({"compare.png"} if not no_plots else ())}
    written |= {"workbook.xlsx"} if excel else set()
    with open_folder(folder, written, force, command="compare", inputs=[scenario]) as out:
        comparison = compare(raw, names, scenario, baseline=not no_baseline, validated=loaded)
        table = comparison.table()
        info = manifest_info(
            scenario=raw.get("name"),
            scenario_hash=scenario_hash(loaded),  # as run's: of the scenario as compared, --set and --seed applied
            mechanisms=names,
            baseline=not no_baseline,
            seed=comparison.seed,
            set=list(assignments),  # as run's manifest: each --set PATH=VALUE as given
            random_inputs=comparison.random_sources,
            random_inputs_words=comparison.random_input_words,
            made_with=made_with(),
        )
        with out.staged(info) as stage:
            table.to_csv(stage / "compare.csv", index=False)
            write_scenario_json(raw, stage)  # the scenario as compared, as run writes it: the folder can be redone
            if not no_plots:
                changes = [*(f"--set {a}" for a in assignments), *([f"--seed {seed}"] if seed is not None else [])]
                figure = compare_figure(comparison.results, comparison.skipped, comparison.baselines, changes)
                figure.savefig(stage / "compare.png", dpi=110)
            if excel:
                from simulator.workbook import compare_workbook

                compare_workbook(comparison, stage / "workbook.xlsx", raw)
    from simulator.console import compare_text

    click.echo(compare_text(table))  # a rule that could not run: a "not run:" line with why
    if one_draw := one_draw_note(comparison, scenario, assignments):
        click.echo(f"note: {one_draw}", err=True)
    click.echo(f"wrote {folder}/")


@main.command()
@click.argument("scenario", required=False, type=ScenarioFile())
@click.option(
    "--grid",
    "grids",
    multiple=True,
    metavar="PATH=SPEC",
    help="Swept path: start:stop:step (stop included), a,b,c or one value (repeatable: cross product).",
)
@click.option("--spec", "spec_file", type=GivenPath(dir_okay=False), help="Sweep described in a YAML file.")
@click.option("--runs", type=click.IntRange(min=1), help="Runs (seeds) per grid point [1].")
@click.option("--seed", type=SCENARIO_SEED, help="Root seed [the scenario's]; at most 2**32 - 1.")
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE", help=SET_HELP)
@click.option(
    "--workers", type=WORKERS, help=f"Local worker processes, at most one per chunk of work [cores; <= {MAX_WORKERS}]."
)
@click.option("--dask", "dask_address", metavar="ADDRESS", help="Run on a Dask scheduler, e.g. tcp://host:8786.")
@click.option(
    "--dask-timeout",
    "dask_timeout_s",
    type=click.FloatRange(min=0.1, max=86_400),
    callback=lambda _ctx, param, value: _finite(param, value),
    default=None,
    metavar="SECONDS",
    help="With --dask: stop (exit 3) when the cluster has had no live worker this long [60].",
)
@click.option("--curves", is_flag=True, help="Also write 5/50/95% curves per grid point (curves.parquet).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["parquet", "csv"]),
    default="parquet",
    help="csv also writes sweep.csv next to sweep.parquet.",
)
@click.option(
    "--chunk-runs",
    type=click.IntRange(min=1),
    default=None,
    help="Runs per checkpointed chunk [one batch: 5,000 runs of the 2010 replay, fewer for larger scenarios]. "
    "Each chunk costs a whole batch's day loop and a save (0.3 to 1 s over two years, however few runs it holds): "
    "small chunks make a sweep slow; a sweep of one chunk runs in this process whatever --workers says.",
)
@click.option("--max-points", type=click.IntRange(min=1), default=None, help="Refuse larger grids [100000].")
@click.option("--max-runs", type=click.IntRange(min=1), default=None, help="Refuse more runs in all [10000000].")
@click.option("-o", "--out", "out_dir", required=True, type=GivenPath(file_okay=False), help="Output folder.")
@click.option("--no-plots", is_flag=True, help="Skip the figures (draw them later with stockpile plot-sweep).")
@click.option("--excel", is_flag=True, help=EXCEL_HELP)
@force_option(" Also discard the finished chunks of another, interrupted sweep kept there (in .chunks).")
@quiet_option("No progress bar: only notes, warnings, errors and the path written.")
@click.pass_context
def sweep(
    ctx: click.Context,
    scenario: str | None,
    grids: tuple[str, ...],
    spec_file: str | None,
    runs: int | None,
    seed: int | None,
    assignments: tuple[str, ...],
    workers: int | None,
    dask_address: str | None,
    dask_timeout_s: float | None,
    curves: bool,
    fmt: str,
    chunk_runs: int | None,
    max_points: int | None,
    max_runs: int | None,
    out_dir: str,
    no_plots: bool,
    excel: bool,
    force: bool,
    quiet: bool,
) -> None:
    """Run SCENARIO over a grid of parameters and seeds; write one row per run."""
    from simulator.sweep import FiguresAndWorkbook, SweepStopped, run_sweep
    from simulator.sweep.backends import NO_WORKER_TIMEOUT_S, dask_workers
    from simulator.sweep.runner import without_repeats

    if workers and dask_address:
        raise InputError("give --workers or --dask, not both")
    if dask_address is not None and not dask_address.strip():
        raise InputError("--dask: give the scheduler's address, e.g. tcp://host:8786")
    if dask_timeout_s is not None and dask_address is None:
        raise InputError("--dask-timeout: only with --dask (local workers are watched without it)")
    folder = Path(out_dir)
    table_final = False  # once the table is in place, before the figures

    unchanged_notes: list[str] = []  # the swept paths that changed nothing, once the table is final

    def table_written(unchanged: list[str]) -> None:
        nonlocal table_final
        table_final = True
        unchanged_notes[:] = unchanged

    def stopped_by_error(exc: Exception) -> None:
        if _cannot_write(exc, folder):
            assert isinstance(exc, OSError)
            _stopped(folder, f"stopped: cannot write outputs: {exc.strerror or exc}")
        else:
            _stopped(folder, f"stopped by an error: {exc if isinstance(exc, SweepStopped) else repr(exc)}")

    with _signals_stop(ctx, lambda exc: _stopped(folder, f"interrupted by {exc.name}", table_final)):
        planned = _planned_sweep(
            scenario, grids, spec_file, runs, seed, assignments, curves, chunk_runs, max_points, max_runs
        )
        changed = planned.spec.paths + [path for path, _ in planned.spec.fixed]
        _range_notes(planned.first, planned.source, changed, planned.raw)
        planned, why = without_repeats(planned)
        if why:
            click.echo(f"note: {why}", err=True)
        outputs = FiguresAndWorkbook(plots=not no_plots, workbook_scenario=planned.raw if excel else None)
        if excel:
            from simulator.workbook import check_sweep_fits

            check_sweep_fits(planned.n_runs, scenario)
        with _dask_session(dask_address, ctx.meta.get("debug", False)) as client:
            n_workers = dask_workers(client) if client else (workers or default_workers())
            with _progress(planned.n_runs, quiet=quiet) as advance, _errors_stop(ctx, folder, stopped_by_error):
                table = run_sweep(
                    planned,
                    folder,
                    workers=n_workers,
                    client=client,
                    fmt=fmt,
                    progress=advance,
                    figures=outputs,
                    force=force,
                    no_worker_timeout_s=NO_WORKER_TIMEOUT_S if dask_timeout_s is None else dask_timeout_s,
                    on_table=table_written,
                    note=lambda text: click.echo(f"note: {folder}/{text}", err=True),
                    inputs=[p for p in (planned.source, spec_file) if p],
                )
    for text in outputs.warnings(folder):
        click.echo(f"warning: {text}", err=True)
    points = plural(len(planned.points), "point")
    click.echo(f"{plural(len(table), 'run')} ({points} x {planned.spec.runs}) written to {folder}/sweep.parquet")
    from simulator.sweep import closing_notes

    for note in closing_notes(planned, table, not no_plots, unchanged_notes):
        click.echo(f"note: {note}", err=True)


@main.command()
@click.argument("scenario", type=ScenarioFile())
@click.option(
    "--axis",
    "axes",
    multiple=True,
    metavar="PATH=SPEC",
    help="A slider or selector: start:stop:step (stop included) or a,b,c (one to four --axis options).",
)
@click.option("--runs", type=click.IntRange(min=1), default=1, show_default=True, help="Runs (seeds) per grid point.")
@click.option("--seed", type=SCENARIO_SEED, help="Root seed [the scenario's]; at most 2**32 - 1.")
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE", help=SET_HELP)
@click.option(
    "--workers", type=WORKERS, help=f"Local worker processes, at most one per chunk of work [cores; <= {MAX_WORKERS}]."
)
@click.option("--dask", "dask_address", metavar="ADDRESS", help="Run on a Dask scheduler, e.g. tcp://host:8786.")
@click.option(
    "-o", "--out", "out_file", type=GivenPath(dir_okay=False), help="Page to write [results/<name>/explorer.html]."
)
@click.pass_context
def explore(
    ctx: click.Context,
    scenario: str,
    axes: tuple[str, ...],
    runs: int,
    seed: int | None,
    assignments: tuple[str, ...],
    workers: int | None,
    dask_address: str | None,
    out_file: str | None,
) -> None:
    """Precompute a grid of SCENARIO and write one offline HTML page with a slider per axis."""
    import dataclasses

    from simulator.explore import plan_grid, render, run_grid, write_page
    from simulator.explore.grid import MAX_POINTS as EXPLORER_MAX_POINTS
    from simulator.interrupt import shielded
    from simulator.output_folder import check_file_writable, refuse_to_replace
    from simulator.scenario import load_raw
    from simulator.sweep import SweepSpec, parse_axis
    from simulator.sweep.backends import dask_workers
    from simulator.sweep.runner import may_be_random

    written: list[Path] = []  # the page, once it is in place

    def say(exc: Any) -> None:
        click.echo(
            f"{ctx.info_name} interrupted by {exc.name}: {written[0] if written else 'nothing'} written", err=True
        )

    # all of it, the write check and the reading of the scenario too: a signal anywhere says so and exits 130/143
    with _signals_stop(ctx, say):
        if workers and dask_address:
            raise InputError("give --workers or --dask, not both")
        parsed = []
        for text in axes:
            try:
                parsed.append(parse_axis(text, EXPLORER_MAX_POINTS))
            except InputError as exc:  # the sweep's parser names --grid and advises --max-points, which explore has not
                raise InputError([_as_axis(p) for p in exc.problems], exc.source) from None
        raw = load_raw(scenario)
        spec = SweepSpec(tuple(parsed), runs=runs, seed=seed, fixed=tuple(_overrides(assignments)))
        n_workers = workers or default_workers()
        planned = plan_grid(raw, scenario, spec, n_workers)
        if runs > 1 and not may_be_random(planned):
            click.echo(f"note: {scenario} has no random inputs, so its runs are all alike; exploring 1 run", err=True)
            spec = dataclasses.replace(spec, runs=1)
            planned = plan_grid(raw, scenario, spec, n_workers)
        path = Path(out_file or Path("results") / planned.first.name / "explorer.html")
        check_file_writable(path)
        refuse_to_replace(path, [scenario], page=True)
        with _dask_session(dask_address, ctx.meta.get("debug", False)) as client:
            if client is not None:
                n_workers = dask_workers(client)
                planned = plan_grid(raw, scenario, spec, n_workers)
            with _progress(planned.n_runs) as advance, _errors_stop(ctx, path.parent):
                grid = run_grid(planned, workers=n_workers, client=client, progress=advance)
        page = render(grid)
        with shielded():  # a signal as the page moves in waits: it is then told as written, not "nothing written"
            write_page(page.html, path, [scenario])
            written.append(path)
        size_mb = len(page.html.encode()) / 1e6
        window = "daily" if page.layout["stride_days"] == 1 else f"{page.layout['stride_days']}-day windows"
        points, runs = plural(len(planned.points), "point"), plural(planned.spec.runs, "run")
        click.echo(f"{points} x {runs}; curves {window}; {size_mb:.1f} MB written to {path}")


@main.command()
@click.argument("scenario", type=ScenarioFile())
@click.option("--record", "record_file", required=True, type=GivenPath(dir_okay=False), help="Recorded series (CSV).")
@click.option(
    "--fit",
    "fits",
    multiple=True,
    required=True,
    metavar="PATH[,PATH...]=LOW:HIGH",
    help="A parameter to fit within its range; several paths take one value (repeatable).",
)
@click.option(
    "--hold-out",
    "hold_outs",
    multiple=True,
    metavar="[QUANTITY@]FROM:TO",
    help="Leave these rows out of the fit and report them out of sample, as the rows a record marks "
    "out in its sample column are (repeatable).",
)
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE", help=SET_HELP)
@click.option(
    "--population",
    type=click.IntRange(min=4, max=200),
    default=12,
    show_default=True,
    help="Parameter sets per fitted parameter in each generation.",
)
@click.option(
    "--iterations",
    type=click.IntRange(min=1, max=10_000),
    default=30,
    show_default=True,
    help="Generations of differential evolution.",
)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Seed of the optimiser.")
@click.option(
    "--starts",
    type=click.IntRange(min=1, max=100),
    default=1,
    show_default=True,
    help="Searches from seeds SEED, SEED+1, ...; the fit with the lowest objective is kept.",
)
@click.option(
    "--workers", type=WORKERS, help=f"Local worker processes, at most one per parameter set [1; <= {MAX_WORKERS}]."
)
@click.option("-o", "--out", "out_dir", required=True, type=GivenPath(file_okay=False), help="Output folder.")
@force_option()
@stops_on_signals
def calibrate(
    scenario: str,
    record_file: str,
    fits: tuple[str, ...],
    hold_outs: tuple[str, ...],
    assignments: tuple[str, ...],
    population: int,
    iterations: int,
    seed: int,
    starts: int,
    workers: int | None,
    out_dir: str,
    force: bool,
) -> None:
    """Fit SCENARIO's parameters to a recorded series; write calibration.json, fit.csv and fit.png."""
    from simulator.calibrate import (
        Calibration,
        check_seeds,
        checked_runs,
        held_out_line,
        held_out_summary,
        hold_out_windows,
        made_words,
        parse_parameter,
        read_record,
        series_name,
        write_outputs,
    )
    from simulator.calibrate import calibrate as fit
    from simulator.names import Names, cap
    from simulator.output_folder import manifest_info, open_folder
    from simulator.scenario.uncertain import holds_whole_numbers, value_at
    from simulator.sweep.grid import fixed_and_varied, overlapping_axes

    check_seeds(seed, starts)  # before any work: SciPy would raise at the first start
    pairs = _overrides(assignments)
    raw, loaded = _checked_with(scenario, pairs)
    declared = {  # --fit PATH takes the range the scenario's uncertain block gives PATH
        entry.path: (float(entry.low), float(entry.high))
        for entry in loaded.uncertain
        if isinstance(getattr(entry, "low", None), int | float)
        and isinstance(getattr(entry, "high", None), int | float)
    }
    parameters = [parse_parameter(text, declared) for text in fits]
    fitted = [path for parameter in parameters for path in parameter.paths]
    twice = sorted({p for p in fitted if fitted.count(p) > 1})
    if twice:
        raise InputError(f"--fit {twice[0]}: fitted twice; give each path in one --fit")
    if overlaps := overlapping_axes(fitted, "fit", raw):  # one field written two ways, or a field and its whole
        raise InputError(overlaps, scenario)
    if clashes := fixed_and_varied([path for path, _ in pairs], fitted, "fit", raw):
        raise InputError(clashes, scenario)  # the fitted value would replace the --set one in every run
    for text, parameter in zip(fits, parameters, strict=True):  # every path must take a value in its range
        for path in parameter.paths:
            try:
                current = value_at(loaded, path)
            except KeyError:
                continue  # not in the scenario yet: the load below names the problem
            if holds_whole_numbers(current):
                raise InputError(
                    f"--fit {path}: holds {'a date' if isinstance(current, dt.date) else 'whole numbers'}; "
                    "calibrate fits quantities that take any value in a range"
                )
        for value in (parameter.low, parameter.high):
            try:
                load(scenario, (*assignments, *(f"{path}={value}" for path in parameter.paths)))
            except InputError as exc:  # the scenario with the --set values loaded: the problem is the --fit's
                raise exc.said_of(f"{scenario} [fit {text.strip()}]") from None
    # with each row's source: which rows are made (a forecast, derived), counted apart from the given ones
    problem = Calibration(raw, scenario, read_record(record_file, loaded, keep=("source",)), parameters)
    problem.hold_outs.extend(hold_out_windows(hold_outs, problem.record, record_file))
    if not problem.in_sample.any():
        raise InputError("every row of the record is held out: nothing to fit", record_file)
    total = checked_runs(population, len(parameters), iterations, starts)  # as calibrate checks it: before any run
    folder = Path(out_dir)
    written = {"calibration.json", "fit.csv", "fit.png"}
    with open_folder(folder, written, force, command="calibrate", inputs=[scenario, record_file]) as out:
        with _progress(total, "set", "calibrating") as advance:
            result = fit(problem, population, iterations, seed, workers or 1, advance, starts)
        settings = {
            "population": population,
            "iterations": iterations,
            "seed": seed,
            "starts": starts,
            "record": record_file,
        }
        with out.staged(manifest_info(scenario=loaded.name)) as stage:
            write_outputs(stage, problem, result, settings)
    for name, value in result.values.items():
        click.echo(f"{name} = {value:.6g}")
    if len(result.starts) > 1:  # each search, so that their spread (how well the record pins the values) shows
        click.echo(f"{len(result.starts)} searches (objective in sample; fitted values in the order of --fit):")
        for start in result.starts:
            values = ", ".join(f"{value:.4g}" for value in start.values.values())
            click.echo(f"  seed {start.seed}: {start.objective:.6g} ({values}){'  <- kept' if start.kept else ''}")
    else:
        click.echo(f"objective in sample: {result.objective:.6g} (seed {seed})")
    errors = result.errors
    names, regions = Names.of(loaded), list(loaded.regions)
    for sample, label in (("in", "in sample (fitted)"), ("out", "out of sample (held out)")):
        part = errors[errors["sample"] == sample]
        if len(part):
            click.echo(
                f"RMS log error {label}: "
                + "; ".join(
                    f"{cap(series_name(r.quantity, r.region, r.material, r.supplier, names, regions))}: "
                    f"{r.rms_log_error:.3f} (mean {r.mean_error_pct:+.0f}%, {plural(r.rows, 'row')}{made_words(r)})"
                    for r in part.itertuples()
                )
            )
    if line := held_out_line(held_out_summary(result.table)):
        click.echo(line)
    click.echo(f"{result.evaluations} parameter sets in {result.seconds:.1f} s; wrote {folder}/")


def _planned_sweep(
    scenario: str | None,
    grids: tuple[str, ...],
    spec_file: str | None,
    runs: int | None,
    seed: int | None,
    assignments: tuple[str, ...],
    curves: bool,
    chunk_runs: int | None,
    max_points: int | None,
    max_runs: int | None,
) -> Any:
    """The sweep the options describe, checked before any run (sizes first, then values)."""
    import dataclasses

    from simulator.scenario import load_raw
    from simulator.sweep import SweepSpec, parse_axis, plan_sweep
    from simulator.sweep.grid import MAX_POINTS, load_spec_file, spec_scenario
    from simulator.sweep.runner import MAX_RUNS, check_file_fixed, check_size

    max_points = MAX_POINTS if max_points is None else max_points  # None: the default (click refuses 0)
    max_runs = MAX_RUNS if max_runs is None else max_runs
    spec = SweepSpec(())
    if spec_file:
        from_file, spec = load_spec_file(spec_file, max_points)
        if scenario and from_file and not _same_scenario(scenario, from_file):
            click.echo(f"note: running {scenario}, not the scenario {from_file} that {spec_file} names", err=True)
        if not scenario and from_file:
            scenario = spec_scenario(from_file, spec_file)
    if not scenario:
        raise InputError("give a SCENARIO (or a --spec file naming one)")
    file_fixed, file_axes = list(spec.fixed), spec.axes  # the file's set: and grid: (the options' are added below)
    spec = dataclasses.replace(
        spec,
        axes=spec.axes + tuple(parse_axis(text, max_points) for text in grids),
        runs=spec.runs if runs is None else runs,
        seed=seed if seed is not None else spec.seed,
        fixed=spec.fixed + tuple(_overrides(assignments)),
    )
    repeated = spec.repeated_paths()  # a second axis on a path would silently replace the first
    if repeated:
        raise InputError(
            f"--grid {repeated[0]}: given as an axis twice (in two --grid options, or in the --spec file "
            "and a --grid); give its values once"
        )
    check_size(spec, max_points, max_runs)
    raw = load_raw(scenario)
    if spec_file:
        options_fixed = spec.fixed[len(file_fixed) :]  # the --set values, after the file's
        check_file_fixed(raw, scenario, file_fixed, spec_file, spec.axes, file_axes, options_fixed)
    with _progress(sum(len(axis.values) for axis in spec.axes), "value", "checking grid") as step:
        return plan_sweep(raw, scenario, spec, curves, chunk_runs, max_points, max_runs, step)


def _same_scenario(given: str, named: str) -> bool:
    """Whether two scenario arguments (paths or bare names) stand for the same file."""
    import os

    from simulator.library import resolve_scenario

    try:
        return os.path.realpath(resolve_scenario(given)) == os.path.realpath(resolve_scenario(named))
    except InputError:  # the sweep file names no file (a close name offered): not the one run
        return False


def _check_inputs(paths: tuple[str, ...], baselines: Path | None, tolerances: Path | None) -> list[Path]:
    """Every file ``check`` reads: the scenarios (in the folders named too), their baselines, the tolerances."""
    from simulator.gate.baseline import baseline_path
    from simulator.gate.run import find_scenarios

    try:
        found = find_scenarios(paths, baselines)
    except InputError:
        return [Path(p) for p in paths]  # the check itself names the problem
    files = [*found.files, *(baseline_path(f, baselines) for f in found.files)]
    try:
        tolerance = found.tolerance_file(tolerances)
    except InputError:
        return files  # the check itself names the problem
    return [*files, tolerance]


@contextmanager
def _naming(option: str) -> Iterator[None]:
    """An :class:`InputError` raised within names ``option`` as its field: ``FILE: --junit: exists and ...``."""
    try:
        yield
    except InputError as exc:
        raise InputError([Problem(p.path or option, p.message) for p in exc.problems], exc.source) from None


def _check_usage(
    paths: tuple[str, ...], update: bool, missing_only: bool, library: bool, check_only: Sequence[str] = ()
) -> str | None:
    """Why ``check``'s options cannot go together, or None.

    ``check_only``: the options given that only the check uses (``--rtol``, ``--junit``, ...):
    ``--update`` would ignore them.
    """
    if missing_only and not update:
        return "--missing-only goes with --update"
    if library and update:
        return "--library checks the installed library; it cannot be updated (name a folder to --update)"
    if update and check_only:
        them = "it" if len(check_only) == 1 else "them"
        return (
            f"--update cannot take {', '.join(check_only)}: only the check uses {them} (--update prints text, writes "
            "no JUnit or summary report, and keeps a stored number only within the tolerances of tolerances.yaml or "
            f"--tolerances FILE); update without {them}, then check with {them}"
        )
    if library and paths:
        return "give --library or scenario paths, not both"
    return None


def _finite(param: click.Parameter, value: float | None) -> float | None:
    """``value`` unless it is NaN, which every range of click lets through (a NaN timeout never expires)."""
    if value is not None and math.isnan(value):
        raise click.BadParameter("nan is not a number of seconds", param=param)
    return value


def _stopped(folder: Path, why: str, table_final: bool = False) -> None:
    """The one line a stopped sweep prints: what is kept and how to go on."""
    from simulator.sweep.checkpoints import CHUNK_DIR, count_finished

    if table_final:
        click.echo(
            f"sweep {why} after writing the table: {folder}/sweep.parquet is complete; "
            f"draw the figures with: stockpile plot-sweep {folder}",
            err=True,
        )
        return
    if not (folder / CHUNK_DIR).is_dir():  # stopped before its first chunk's folder was made (reading the scenario)
        click.echo(f"sweep {why}: nothing written", err=True)
        return
    chunks = plural(count_finished(folder / CHUNK_DIR), "finished chunk")
    click.echo(
        f"sweep {why}: {chunks} kept in {folder}/{CHUNK_DIR}; run the same command to resume",
        err=True,
    )


DASK_CONNECT_TIMEOUT_S = 5


@contextmanager
def _dask_session(address: str | None, debug: bool) -> Iterator[Any]:
    """A Dask client for the sweep (``None`` without ``--dask``), closed at the end.

    Connecting happens before any run, so an unreachable scheduler is bad input (exit 2):
    a ``tcp://`` address is first tried with a plain socket, which fails at once when
    nothing listens there; then Dask gets :data:`DASK_CONNECT_TIMEOUT_S`. While the sweep
    runs, Dask's own log messages are held back (unless ``--debug``): when the cluster
    fails, the sweep says so in one line, without Dask's warnings and tracebacks.
    """
    if address is None:
        yield None
        return
    import gc
    import logging
    import socket
    from urllib.parse import urlsplit

    try:
        from distributed import Client
    except ImportError:
        raise InputError(f"--dask {address}: {DASK_MISSING}") from None

    def unreachable(reason: object) -> InputError:
        return InputError(f"--dask {address}: cannot reach the scheduler ({reason})")

    try:
        parts = urlsplit(address)
        host, port = (parts.hostname, parts.port) if parts.scheme == "tcp" else (None, None)
    except ValueError as exc:
        raise unreachable(exc) from None
    if host and port:
        try:
            socket.create_connection((host, port), timeout=DASK_CONNECT_TIMEOUT_S).close()
        except OSError as exc:
            raise unreachable(exc.strerror or exc) from None
    try:
        client = Client(address, timeout=f"{DASK_CONNECT_TIMEOUT_S}s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise unreachable(exc) from None
    if not debug:
        logging.disable(logging.ERROR)
    try:
        _same_workers(client, address)
        yield client
    finally:
        with contextlib.suppress(Exception):  # a client whose scheduler is gone can fail to close in many ways
            client.close(timeout=DASK_CONNECT_TIMEOUT_S)
        del client
        gc.collect()  # Dask's abandoned tasks report their errors when collected: now, while quiet
        if not debug:
            logging.disable(logging.NOTSET)


_WORKER_CHECKS = (  # in the order judged: the fact asked; what a worker that cannot answer cannot do; one worker
    # that differs / several; what they differ in; what to install the same of
    ("code", "run stockpile's code", "runs", "run", "stockpile code than this command", "version of the package"),
    (
        "libraries",
        "report its libraries' versions",
        "has",
        "have",
        "versions of the numeric libraries than this command",
        "versions",
    ),
)
"""What :func:`_same_workers` asks each worker, and the words of a refusal; how an answer differs: :func:`_apart`."""


def _same_workers(client: Any, address: str) -> None:
    """Refuse (exit 2) a Dask cluster whose workers run other stockpile code or numeric libraries than this command.

    Other code can give other numbers under the same version string, so each worker's
    :func:`~simulator.version.code_fingerprint` must be this one's; so can the same code on other
    versions of numpy, pandas, scipy or simpy (``docs/sweeps.md``: every machine needs the same
    dependencies). Each worker is asked once for both (:func:`_worker_facts`, one ``client.run``),
    on the workers present when the command starts. The code is judged first; a refusal names
    one worker's code or versions and this command's.
    """
    from simulator.version import code_fingerprint, library_versions

    here = {"code": code_fingerprint(), "libraries": library_versions()}  # as a worker answers (_worker_facts)
    try:
        theirs = sorted(client.run(_worker_facts()).items())
    except Exception as exc:  # a worker that fails to answer at all
        raise InputError(f"--dask {address}: a worker cannot run stockpile's code ({exc!r})") from None
    for fact, cannot, one, several, other, same in _WORKER_CHECKS:
        answers = [(worker, facts[fact]) for worker, facts in theirs]
        failed = next((answer for _, answer in answers if isinstance(answer, Exception)), None)
        if failed is not None:
            raise InputError(f"--dask {address}: a worker cannot {cannot} ({failed!r})")
        if differ := [(worker, how) for worker, answer in answers if (how := _apart(fact, answer, here[fact]))]:
            worker, how = differ[0]
            raise InputError(
                f"--dask {address}: {plural(len(differ), 'worker')} {one if len(differ) == 1 else several} other "
                f"{other} ({worker}: {how}); install the same {same} on every worker"
            )


def _apart(fact: str, theirs: Any, here: Any) -> str:
    """How a worker's answer to ``fact`` (``code`` or ``libraries``, :func:`_worker_facts`) differs from ``here``'s.

    "" where it does not; else the words a refusal gives (``code 0123456789abcdef, here ...``, or each library apart
    as :func:`~simulator.version.libraries_apart` names it).
    """
    from simulator.version import libraries_apart

    if fact == "code":
        return f"code {theirs}, here {here}" if theirs != here else ""
    return ", ".join(libraries_apart(theirs, here))


def _worker_facts() -> Callable[[], dict[str, Any]]:
    """What :func:`_same_workers` has each worker run: its ``code`` and ``libraries``, or the error each gave.

    A function made here is sent to the workers whole, not by name: a worker with other
    stockpile code (an older version) can still run it, and is then refused for its code, as
    one without :func:`~simulator.version.library_versions` is. One without the package
    answers the error it got.
    """

    def facts() -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for fact, function in (("code", "code_fingerprint"), ("libraries", "library_versions")):
            try:
                from simulator import version

                answers[fact] = getattr(version, function)()
            except Exception as exc:
                answers[fact] = exc
        return answers

    return facts


class _progress:
    """A tqdm bar on a terminal, nothing otherwise (nor with ``quiet``: ``--quiet``); yields an ``advance(n)``."""

    def __init__(self, total: int, unit: str = "run", desc: str | None = None, quiet: bool = False) -> None:
        self.total = total
        self.unit = unit
        self.desc = desc
        self.quiet = quiet
        self.bar: Any = None

    def __enter__(self) -> Any:
        if self.quiet or sys.stderr is None or not sys.stderr.isatty():  # no bar: tqdm (20-30 ms to import) unloaded
            return _no_progress
        from tqdm import tqdm

        class Bar(tqdm):  # type: ignore[misc]
            monitor_interval = 0
            """No monitor thread (which tqdm would start and leave running): the bar
            redraws on every update (``miniters=1``; updates come a chunk at a time), and a
            lone main thread lets figures be drawn in a forked child (:mod:`simulator.forked`)."""

        self.bar = Bar(total=self.total, unit=self.unit, desc=self.desc, dynamic_ncols=True, miniters=1)
        return self.bar.update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


def _no_progress(n: float = 1) -> None:
    """The ``advance(n)`` of :class:`_progress` where there is no terminal to draw a bar on."""


@main.command()
@click.argument("scenario", type=ScenarioFile())
@click.option("--method", type=click.Choice(["sobol", "morris"]), default="sobol", show_default=True)
@click.option(
    "--samples",
    type=int,
    required=True,
    metavar="N",
    help="Sobol': base samples, a power of two (N x (inputs + 2) runs); Morris: trajectories (N x (inputs + 1)).",
)
@click.option(
    "--metric",
    "metrics",
    multiple=True,
    metavar="NAME",
    help="A per-run metric (a sweep-table column, e.g. shortfall_t.eu) (repeatable) "
    "[total shortfall, fairness, each region's shortfall].",
)
@click.option(
    "--input",
    "only",
    multiple=True,
    metavar="PATH",
    help="Vary only this declared uncertain input (repeatable) [every entry of the scenario's uncertain: block].",
)
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE", help=SET_HELP)
@click.option(
    "--workers", type=WORKERS, help=f"Local worker processes, at most one per chunk of work [cores; <= {MAX_WORKERS}]."
)
@click.option("--dask", "dask_address", metavar="ADDRESS", help="Run on a Dask scheduler, e.g. tcp://host:8786.")
@click.option("-o", "--out", "out_dir", required=True, type=GivenPath(file_okay=False), help="Output folder.")
@force_option()
@click.pass_context
def sensitivity(
    ctx: click.Context,
    scenario: str,
    method: str,
    samples: int,
    metrics: tuple[str, ...],
    only: tuple[str, ...],
    assignments: tuple[str, ...],
    workers: int | None,
    dask_address: str | None,
    out_dir: str,
    force: bool,
) -> None:
    """Global sensitivity of SCENARIO's metrics to its uncertain inputs (its uncertain: block).

    Writes sensitivity.csv (Sobol': S1, ST and their confidence intervals; Morris: mu_star,
    sigma), sensitivity.png, samples.parquet and sensitivity.json, and prints the top drivers,
    with a caution where the samples are too few to rank them.
    """
    from simulator.sensitivity import (
        check_samples,
        plan_study,
        ranking_note,
        run_sensitivity,
        study_notes,
        top_drivers,
        unlike_tonnes,
    )
    from simulator.sensitivity.indices import runs_needed
    from simulator.sensitivity.words import one_draw_text

    if workers and dask_address:
        raise InputError("give --workers or --dask, not both")
    folder = Path(out_dir)
    with _signals_stop(ctx):
        pairs = _overrides(assignments)  # parsed once: the data and the fixed paths are of the same pairs
        raw, loaded = _checked_with(scenario, pairs)  # validated once, a --set's problem said of it
        _range_notes(loaded, scenario, [path for path, _ in pairs], raw, only)
        study = plan_study(raw, scenario, metrics, only, fixed=[p for p, _ in pairs], validated=loaded)
        check_samples(method, samples, len(study.inputs))  # type: ignore[arg-type]
        runs = runs_needed(method, samples, len(study.inputs))  # type: ignore[arg-type]
        with _dask_session(dask_address, ctx.meta.get("debug", False)) as client:
            n_workers = workers or default_workers()
            with _progress(runs) as advance, _errors_stop(ctx, folder):
                found = run_sensitivity(
                    study,
                    method,
                    samples,
                    folder,
                    n_workers,
                    client,
                    advance,
                    force,  # type: ignore[arg-type]
                    inputs=[scenario],
                    sets=assignments,
                )
    click.echo(
        f"{method} over {plural(len(study.inputs), 'uncertain input')}: "
        f"{found.info['runs']:,} runs in {found.info['wall_time_s']:.1f} s"
    )
    click.echo("top drivers:")
    info = found.info
    drivers = top_drivers(
        found.table,
        method,  # type: ignore[arg-type]
        nonzero=info["nonzero_runs"],
        runs=info["runs"],
        never_day=info["never_as_day"],
        no_member_short=info["no_member_short_runs"],
        unlike_tonnes=unlike_tonnes(info),
    )
    for line in drivers:
        click.echo(f"  {line}")
    if rough := ranking_note(
        found.table,
        method,  # type: ignore[arg-type]
        samples,
        len(study.inputs),
        nonzero=info["nonzero_runs"],
        runs=info["runs"],
    ):
        click.echo(f"note: {rough}", err=True)
    if one_draw := one_draw_text(info["random_inputs_words"], info["run_seed"]):
        click.echo(f"note: the indices are {one_draw}; they do not average over those inputs' distributions", err=True)
    for note in study_notes(info):
        click.echo(f"note: {note}", err=True)
    click.echo(f"wrote {folder}/")


@main.command(name="plot-sweep")
@click.argument("folder", type=GivenPath(file_okay=False))
@force_option()
@stops_on_signals
def plot_sweep(folder: str, force: bool) -> None:
    """Redraw the figures of a finished sweep in FOLDER from its table."""
    from simulator.sweep.figures import redraw

    written, notes = redraw(Path(folder), force)
    for path in written:
        click.echo(f"wrote {path}")
    for note in notes:  # as stockpile sweep says them: which figures are not drawn, and why
        click.echo(f"note: {note}", err=True)
    if not written:
        click.echo(f"no figure drawn in {folder}", err=True)


class OneStreamCommand(click.Command):
    """A command whose usage errors go to standard output, like all its other messages.

    ``stockpile check ... | tee log`` then keeps every reason in the log.
    """

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        """Parse the options; a usage error is shown on standard output."""
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise _UsageErrorOnStdout(exc.format_message(), exc.ctx) from None


class _UsageErrorOnStdout(click.UsageError):
    def show(self, file: Any = None) -> None:
        super().show(file or sys.stdout)


@main.command(cls=OneStreamCommand)
# check refuses empty paths itself, in its own words (and the API's simulator.check with it)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--update",
    is_flag=True,
    help="Write the baselines anew instead of checking (prints text; refuses --rtol, --atol, --junit, --summary "
    "and a --format other than text, which only the check uses).",
)
@click.option("--missing-only", is_flag=True, help="With --update: write only the baselines that do not exist yet.")
@click.option(
    "--library", is_flag=True, help="Check the scenario library installed with the tool (instead of ./scenarios)."
)
@click.option("--rtol", type=float, help="Relative tolerance of the check, finite and >= 0 [1e-9, or tolerances.yaml].")
@click.option("--atol", type=float, help="Absolute tolerance of the check, finite and >= 0 [1e-6, or tolerances.yaml].")
@click.option(
    "--baselines", "baseline_dir", type=click.Path(file_okay=False), help="Baseline folder [<scenarios>/baselines]."
)
@click.option("--tolerances", "tolerance_file", type=click.Path(dir_okay=False), help="[<baselines>/tolerances.yaml]")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", help="Output format.")
@click.option(
    "--junit",
    "junit_file",
    type=click.Path(dir_okay=False),
    help="Also write a JUnit XML report (a new file, or one an earlier check --junit wrote; no other file is "
    "replaced).",
)
@click.option(
    "--summary",
    "summary_file",
    type=click.Path(dir_okay=False),
    help="Also append the Markdown summary to this file: a .md file, or the one $GITHUB_STEP_SUMMARY names "
    "[$GITHUB_STEP_SUMMARY with --format markdown].",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the final line.")
@click.option("--workers", type=WORKERS, help=f"Scenarios checked in parallel [cores; <= {MAX_WORKERS}].")
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[str, ...],
    update: bool,
    missing_only: bool,
    library: bool,
    rtol: float | None,
    atol: float | None,
    baseline_dir: str | None,
    tolerance_file: str | None,
    fmt: str,
    junit_file: str | None,
    summary_file: str | None,
    quiet: bool,
    workers: int | None,
) -> None:
    """Re-run scenarios and compare with their baselines (exit 1 on drift, 2 on bad input).

    PATHS are scenario files or folders (default: scenarios/ in the working directory;
    --library: the library installed with the tool). A folder's *.yaml and *.yml files are
    checked, sub-folders included (not baselines/, records/, or folders named .* or _*).
    Baselines live in <folder>/baselines/<file name>.json, beside each scenario file,
    and name their scenario (its name:): a baseline of another scenario is an error.
    --update writes them.
    Every message goes to standard output.
    """
    import os

    from simulator import gate
    from simulator.gate import formats
    from simulator.gate.run import no_folder_report, no_local_folder
    from simulator.interrupt import interruptible, stop_if_signalled
    from simulator.library import LOCAL_FOLDER, shipped_library
    from simulator.output_folder import check_file_writable, refuse_to_append, refuse_to_replace, write_file

    given = {"--rtol": rtol, "--atol": atol, "--junit": junit_file, "--summary": summary_file}
    check_only = [f"--format {fmt}"] if fmt != "text" else []  # --update prints text
    check_only += [option for option, value in given.items() if value is not None]
    refused = _check_usage(paths, update, missing_only, library, check_only)
    if refused:
        raise _UsageErrorOnStdout(refused, ctx)
    stopped = None
    if library:
        paths = (str(shipped_library()),)
    elif not paths and not LOCAL_FOLDER.is_dir():  # never the installed library unasked: a wrong folder stays red
        if update:
            click.echo(f"error: {no_local_folder(update)}")
            ctx.exit(2)
        stopped = no_folder_report()  # reported as every whole-check error is, in every format
    baselines = Path(baseline_dir) if baseline_dir else None
    tolerances = Path(tolerance_file) if tolerance_file else None
    n_workers = workers or default_workers()
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY") or None
    skipped = summary_file is not None and not summary_file.strip() and not update
    if skipped:
        # --summary "$GITHUB_STEP_SUMMARY" where it is unset (a local run, an older GHES): the check still
        # runs and writes its other reports; saying so keeps an empty path from writing nothing silently
        note = "note: --summary is empty (is $GITHUB_STEP_SUMMARY unset, outside GitHub Actions?): no summary written"
        click.echo(note, err=fmt in ("json", "markdown"))  # standard output holds only the JSON list or Markdown
        summary_file = None
    summary = summary_file if summary_file is not None else (step_summary if fmt == "markdown" else None)
    summary = None if skipped else summary  # nor the variable's file with --format markdown: as the note says
    summary_option = "--summary" if summary_file is not None else "$GITHUB_STEP_SUMMARY"
    done: list[Any] = []

    def show(item: Any, lines: list[str]) -> None:
        done.append(item)
        for line in lines:
            click.echo(line)

    try:
        with interruptible():  # SIGINT and SIGTERM raise Interrupted, said below in check's words
            if update:
                new_folder = baselines is not None and not os.path.lexists(baselines)
                updates = gate.update(
                    paths,
                    baselines=baselines,
                    tolerance_file=tolerances,
                    workers=n_workers,
                    missing_only=missing_only,
                    on_update=lambda u: show(
                        u, [] if quiet and u.status not in ("error", "orphan") else [formats.update_line(u)]
                    ),
                )
                if new_folder and baselines is not None and baselines.is_dir():
                    click.echo(formats.new_folder_line(baselines))
                click.echo(formats.update_final_line(updates))
                ctx.exit(2 if any(u.status == "error" for u in updates) else 0)
            inputs = _check_inputs(paths, baselines, tolerances)
            # Every file option is refused before any work and before any file is written; each
            # refusal names the option (or the variable) and the file, which is left as it was.
            # The write check runs with the signal handlers in place (interruptible), under which
            # it holds a signal back until its file and folders are gone (check_file_writable).
            for option, path in (("--junit", junit_file), (summary_option, summary)):
                if path is not None and not path.strip():  # "" would write nothing and say nothing
                    raise InputError(f"{option} needs a file path, not an empty one")
                if path:
                    with _naming(option):
                        check_file_writable(Path(path))
            # a signal still held for an import stops the check here, before any scenario: raised later,
            # in a scenario's validation, pydantic's compiled code would swallow it (told only as the check ends)
            stop_if_signalled()
            if junit_file:  # replaced whole, and only a JUnit report stockpile check wrote (as report -o a page)
                with _naming("--junit"):
                    refuse_to_replace(Path(junit_file), inputs, mark=formats.JUNIT)
            if summary:  # appended to: only a Markdown file, or the GitHub job summary
                with _naming(summary_option):
                    refuse_to_append(Path(summary), inputs, step_summary)
                    if junit_file and os.path.realpath(junit_file) == os.path.realpath(summary):
                        raise InputError("is the --junit file too: give each report a file of its own", summary)
            if stopped is not None:
                report = stopped
                show(report.outcomes[0], formats.progress(report.outcomes[0], fmt, quiet))
            else:
                report = gate.check(
                    paths,
                    baselines=baselines,
                    tolerance_file=tolerances,
                    rtol=rtol,
                    atol=atol,
                    workers=n_workers,
                    on_outcome=lambda o: show(o, formats.progress(o, fmt, quiet)),
                )
            if junit_file:
                with _naming("--junit"):
                    write_file(Path(junit_file), formats.junit_xml(report), inputs, mark=formats.JUNIT)
            click.echo(formats.closing(report, fmt, quiet))
            if summary:
                with _naming(summary_option):
                    formats.append_file(Path(summary), formats.markdown(report, quiet))
    except KeyboardInterrupt as exc:  # Interrupted by a signal, or a KeyboardInterrupt raised within: as Ctrl-C
        terminated = getattr(exc, "signum", None) == signal.SIGTERM
        click.echo(_check_interrupted_line(update, len(done), terminated))
        ctx.exit(143 if terminated else 130)
    except (InputError, OSError) as exc:  # all on standard output, as the rest of check's messages
        error = exc if isinstance(exc, InputError) else too_long(exc)
        if error is None or ctx.meta.get("debug"):
            raise
        click.echo(error.for_console())
        ctx.exit(2)
    ctx.exit(report.exit_code)


@main.command(name="list")
@click.argument("folder", required=False, type=GivenPath(file_okay=False))
def list_scenarios(folder: str | None) -> None:
    """List the scenarios in FOLDER (and its sub-folders, as check finds them) with the question each answers.

    FOLDER defaults to ./scenarios, or the scenario library installed with the tool where
    there is none. Any command taking a SCENARIO also accepts the bare name of a scenario
    listed at the top of ./scenarios or of the library. A file that is not a valid scenario
    is listed as invalid, with its first problem; then, as validate does, the command
    exits with code 2.
    """
    import textwrap

    from simulator.errors import ScenarioError
    from simulator.gate.run import scenario_files
    from simulator.library import default_folder
    from simulator.scenario import load_scenario
    from simulator.scenario.load import refuse_file_followed_by_slash, what_is_at

    folder = folder or str(default_folder())
    refuse_file_followed_by_slash(folder)
    if not Path(folder).is_dir():  # a FIFO or a broken link is said to be one, never opened
        there = what_is_at(folder)
        raise InputError(f"not a folder: it is {there}" if there else "no such folder", folder)
    files = scenario_files(Path(folder))
    if not files:
        raise InputError("no scenario files (*.yaml, *.yml) here", folder)
    listed = 0
    for path in files:
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            click.echo(f"{path}: invalid ({exc.problems[0].render(None)})\n")
            continue
        listed += 1
        named = f" (name: {scenario.name})" if scenario.name != path.stem else ""  # the stem is what a bare name finds
        click.echo(f"{path.stem}{named}  ({path})")
        text = " ".join(scenario.description.split()) or "(no description)"
        click.echo(textwrap.fill(text, width=96, initial_indent="    ", subsequent_indent="    ") + "\n")
    if not listed:  # nothing a command could run
        raise InputError(
            f"none of the {plural(len(files), 'scenario file')} here is valid"
            if len(files) > 1
            else "the one scenario file here is not valid",
            folder,
        )
    if listed < len(files):  # as validate FOLDER: every file listed, the invalid ones make the exit code 2
        bad = len(files) - listed
        raise InputError(
            f"{bad} of the {len(files)} scenario files here {'is' if bad == 1 else 'are'} invalid (listed above)",
            folder,
        )


def entry() -> None:
    """The ``stockpile`` program: the command line, then a quiet and quick exit.

    Once a command has finished (its outputs complete or refused), SIGINT and SIGTERM are
    ignored while the process ends, so a late signal cannot turn a finished command into
    one killed by a signal. The process then ends without the interpreter's teardown where
    nothing can be lost (:func:`simulator.quick_exit.exit_now`).
    """
    hold_from_start()  # already held if the program imported this module first (as python -m and stockpile do)
    watched = _watch_streams()
    try:
        try:
            main()
        except OSError as exc:
            if stream_failed(exc) is None or "--debug" in sys.argv[1:]:
                raise
            _say_stream_failed(exc)
        finally:  # the streams as Python made them for the exit (no cycle through them left to its teardown)
            for layer, method in watched:
                with contextlib.suppress(AttributeError):
                    delattr(layer, method)
    except SystemExit as done:  # how click ends every command, with its exit code
        _ignore_late_signals()
        ended = _stopped_before_start() or done
        exit_now(ended)
        raise ended from None
    finally:
        _ignore_late_signals()


def _stopped_before_start() -> SystemExit | None:
    """Exit 130 or 143, saying so, for a signal held while the program started if no command started.

    Click ends ``--help``, ``--version`` and a usage error before any command starts
    (:func:`simulator.interrupt.start_command`), so a signal held meanwhile is told here.
    """
    held = held_before_start()
    if held is None:
        return None
    with contextlib.suppress(OSError, ValueError):
        click.echo(f"stockpile interrupted by {held.name}", err=True)
    return SystemExit(held.exit_code)


STREAMS = {"stdout": "standard output", "stderr": "standard error"}
STREAM_FAILED = 2
"""The exit code when standard output or error cannot be written (full disk): not for a closed pipe (click's 1)."""


def _watch_streams() -> list[tuple[Any, str]]:
    """Mark an error writing standard output or error with the stream's name (see :func:`stream_failed`).

    Every layer that writes them (click's text stream, or its binary buffer) is watched, so
    that a full disk under ``> file`` is told apart from a failure to write an output file.
    Returns the (layer, method) pairs watched, to be deleted again (:func:`entry`).
    """
    watched = []
    for name in STREAMS:
        stream = getattr(sys, name, None)
        for layer in (stream, getattr(stream, "buffer", None)):
            if layer is None:
                continue
            for method in ("write", "flush"):
                with contextlib.suppress(AttributeError, TypeError):
                    setattr(layer, method, _marking(getattr(layer, method), name))
                    watched.append((layer, method))
    return watched


def _marking(write: Callable[..., Any], name: str) -> Callable[..., Any]:
    def marked(*args: Any) -> Any:
        try:
            return write(*args)
        except OSError as exc:
            exc.stockpile_stream = name  # type: ignore[attr-defined]
            raise

    return marked


def stream_failed(exc: BaseException) -> str | None:
    """``stdout`` or ``stderr`` if ``exc`` is a failed write to it (in the ``stockpile`` program), else None.

    A closed pipe (``stockpile list | head -1``) is not counted: click ends that quietly
    with exit code 1, as it always has.
    """
    if not isinstance(exc, OSError) or exc.errno == errno.EPIPE:
        return None
    return getattr(exc, "stockpile_stream", None)


def _say_stream_failed(exc: OSError) -> None:
    """Tell on standard error (if it can be written) that a stream failed; exit :data:`STREAM_FAILED`.

    The failed stream's descriptor then points at ``/dev/null``, so that the flush as the
    process ends cannot fail again with a traceback.
    """
    import os

    name = stream_failed(exc) or "stdout"
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), getattr(sys, name).fileno())
    if name == "stdout":
        with contextlib.suppress(OSError, ValueError):
            click.echo(f"error: cannot write to {STREAMS[name]}: {exc.strerror or exc}", err=True)
    raise SystemExit(STREAM_FAILED)


def _ignore_late_signals() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)


if __name__ == "__main__":
    entry()
