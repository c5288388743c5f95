"""Single runs from Python: ``run`` (typed tables, figures, files), ``compare`` and ``report``.

Layer: face.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from simulator.api.inputs import (
    DATA_SOURCE,
    Overrides,
    ScenarioLike,
    assignments,
    flag,
    load,
    overridden_data,
    path_argument,
    python_words,
    raw_data,
    seed_argument,
    warn_rescaled,
    warn_user,
)
from simulator.errors import InputError, check_drawable
from simulator.frames import quantity_of, typed, typed_metrics
from simulator.quantities import TABLES
from simulator.scenario import Scenario
from simulator.scenario.changes import Change, changes_of
from simulator.scenario.load import validate_overridden

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from simulator.results import Result

ENGINES = ("reference",)
"""Engines a single run can use: the SimPy reference engine (sweeps use the batched fast path)."""


@dataclass(frozen=True, repr=False, eq=False)
class RunResult:
    """One run's tables as typed DataFrames, its metrics and units; figures and files on request.

    The tables are those ``stockpile run`` writes (see the outputs reference); ``result``
    and ``data`` are what the files are written from.

    Attributes
    ----------
    scenario : Scenario
        The validated scenario that ran (changes applied).
    seed : int
        The run's seed.
    timeseries : pd.DataFrame
        One row per day, region and material: demand, supply, releases, shortfall, stocks, cover.
    summary : pd.DataFrame
        One row per region and material, then agreement-wide rows (``region == "all"``).
    supply : pd.DataFrame
        One row per day, region, material and supplier: shipped and arrived.
    pool : pd.DataFrame
        One row per day and material: the joint pool's stock and refills.
    market : pd.DataFrame
        One row per day and material: world price, perceived risk and market cover ratio (``market.csv``; the
        price is fixed, risk 0 and cover ratio 1 for a material without a market).
    releases : pd.DataFrame
        One row per release decision of the agreement, a block of columns per member.
    auctions : pd.DataFrame
        One row per auction held: clearing price, lot, bids, wins and spend per member.
    shocks : pd.DataFrame
        One row per shock as it happened in this run (drawn values for random ones).
    portfolio : pd.DataFrame
        Sourcing shares per region, material and supplier, before and after quotas.
    ledger : pd.DataFrame
        The settlement ledger: per member and material, paid in, drawn, paid, received, owed (empty without an
        agreement).
    metrics : dict[str, Any]
        Flat per-run metrics, the columns of a sweep table (``shortfall_t.japan`` ...): floats, ints for whole
        numbers, ``pandas.NA`` for "never".
    units : dict[str, str]
        Unit of every column of the tables and of every metric (``"t"``, ``"days"``, ``"USD"``, ``"date"`` ...),
        from ``simulator.quantities``.
    result : Result
        The model's own result (``simulator.results.Result``), which the files and figures are written from: the
        same tables untyped (dates as ``YYYY-MM-DD`` text, ``-1`` for a day that never came), its ``structure``
        (names, horizon) and ``scenario``.
    data : dict[str, Any] | None
        The scenario data that was validated, with the ``set`` changes and seed applied (a dict, as
        ``scenario.json`` and the workbook's Scenario sheet hold it); None when a validated ``Scenario`` was
        given unchanged.
    changes : tuple[Change, ...]
        The ``set`` changes (and seed) the run was made with, as the report lists them: a tuple of
        ``simulator.scenario.changes.Change`` (``path``, ``value``, and ``was``: the value in the file); empty
        without changes.
    source : str | None
        The scenario file read (a path, or a bare name's file), made absolute when the run is made, which
        ``write`` never writes over nor removes, as ``stockpile run`` does not, whatever the working
        folder at the time; None when the scenario was given as data.
    """

    scenario: Scenario
    seed: int
    timeseries: pd.DataFrame
    summary: pd.DataFrame
    supply: pd.DataFrame
    pool: pd.DataFrame
    market: pd.DataFrame
    releases: pd.DataFrame
    auctions: pd.DataFrame
    shocks: pd.DataFrame
    portfolio: pd.DataFrame
    ledger: pd.DataFrame
    metrics: dict[str, Any]
    units: dict[str, str]
    result: Result
    data: dict[str, Any] | None = None
    changes: tuple[Change, ...] = ()
    source: str | None = None

    def __repr__(self) -> str:
        from simulator.console import total_text

        s = self.scenario
        # as stockpile run's last line: one total, or each material's where tonnes may not be added
        return (
            f"<RunResult {s.name!r} seed={self.seed}: {s.horizon_days} days, {len(s.regions)} region(s) x "
            f"{len(s.materials)} material(s), {total_text(self.result)}>"
        )

    @python_words
    def figures(self) -> dict[str, Figure]:
        """The run's figures as Matplotlib figures, nothing written.

        Returns the figures ``stockpile run`` saves as PNG files, by file name without
        ``.png``: ``{"days_of_cover": ..., "shortfall": ..., "supply_mix": ...}``, and
        ``"prices"`` when the scenario has a market (``fig.savefig(path)`` saves one).
        """
        from simulator.plots import run_figures

        check_drawable(self.scenario, self.scenario.name)
        return {name: make(self.result) for name, make in run_figures(self.result).items()}

    @python_words
    def write(
        self,
        folder: str | os.PathLike[str],
        *,
        plots: bool = True,
        report: bool = False,
        excel: bool = False,
        force: bool = False,
        record: str | os.PathLike[str] | None = None,
    ) -> list[Path]:
        """Write the files of ``stockpile run -o folder`` and return their paths.

        It never writes over nor removes the scenario file the run was read from (``source``), whatever
        the working folder is by then: a folder where an output would replace it is refused with an
        ``InputError``, even with ``force``, as ``stockpile run`` refuses it.

        Parameters
        ----------
        folder
            Output folder (created if needed). As for the command, it is written only
            where it is the tool's: a file there that its ``manifest.json`` does not list
            is never overwritten, nor the output of another command (a sweep's, a
            comparison's), unless ``force``.
        plots
            Also write the PNG figures (``--no-plots`` is ``plots=False``).
        report
            Also write ``report.html`` (``--report``), with its figures whatever ``plots`` is, as
            ``stockpile run --report --no-plots`` writes it; ``simulator.report(..., figures=False)``
            writes a page without them.
        excel
            Also write ``workbook.xlsx`` (``--excel``).
        force
            Overwrite files the folder's manifest does not list, or replace the output
            of another command than ``run`` (``--force``).
        record
            With ``report``: a record (CSV, as ``stockpile calibrate`` reads) to set the run
            against in the report's section "Against the record" (``--record``); read and
            checked against the scenario before anything is written.
        """
        plots, report, excel, force = (
            flag(value, name)
            for value, name in zip((plots, report, excel, force), ("plots", "report", "excel", "force"), strict=True)
        )
        folder = path_argument(folder, "folder", "an output folder path (a str or os.PathLike)")
        found = None
        if record is not None:
            from simulator.report.record import report_record  # the report's modules: imported only for a record

            refusal = "record: needs report=True (the record is set against the run in the report)"
            found = report_record(_record_path(record), self.scenario, report, refusal)
        inputs = [p for p in (self.source, found.source if found is not None else None) if p is not None]
        return _write_files(
            folder,
            self.scenario,
            self.data,
            self.changes,
            lambda: self.result,
            plots,
            report,
            excel,
            force,
            found,
            inputs,
        )[1]


def _record_path(record: str | os.PathLike[str] | None) -> str | os.PathLike[str] | None:
    """``record=`` checked to be a path (or None), as the other path arguments are."""
    return None if record is None else path_argument(record, "record", "a record's file path (a CSV, or None)")


def _write_files(
    folder: Path,
    scenario: Scenario,
    data: dict[str, Any] | None,
    changes: tuple[Change, ...],
    make: Callable[[], Result],
    plots: bool,
    report: bool,
    excel: bool,
    force: bool,
    record: Any = None,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> tuple[Result, list[Path]]:
    """Write the files of ``stockpile run -o folder`` from the result ``make()`` gives; the result and the paths.

    As the command does, the folder is checked (and refused) before ``make`` is called, so a
    refusal costs no run; ``inputs`` (the files read) are never written or removed.
    """
    from simulator.output import run_files, write_run
    from simulator.output_folder import open_folder, removed_note

    if plots or report:
        check_drawable(scenario, scenario.name)
    files = run_files(scenario.agreement is not None, plots, report, excel, bool(scenario.market))

    def extras(result: Result, stage: Path) -> None:
        if plots:
            from simulator.plots import write_figures

            write_figures(result, stage)
        if report:
            from simulator.report import write_report

            write_report(result, stage / "report.html", changes=changes, record=record)
        if excel:
            from simulator.workbook import run_workbook

            run_workbook(result, stage / "workbook.xlsx", scenario_data=data)

    with open_folder(folder, files, force, command="run", inputs=inputs) as out:
        result = make()
        paths = write_run(result, out, figures=extras, scenario_data=data)
    if gone := removed_note(out):  # as stockpile run's note: the earlier output's files this run did not write
        warn_user(gone)
    return result, paths


def _run_result(
    result: Result, data: dict[str, Any] | None = None, changes: tuple[Change, ...] = (), source: str | None = None
) -> RunResult:
    """Typed tables, metrics and units of a model result (``source``: the scenario file read, if one was)."""
    tables = {name: typed(getattr(result, name), name) for name in TABLES}
    units: dict[str, str] = {}
    for frame in tables.values():
        units.update(frame.attrs["units"])
    metrics = typed_metrics(result.metrics)
    units.update({name: q.unit for name in metrics if (q := quantity_of(name)) is not None})
    return RunResult(
        result.scenario,
        result.seed,
        **tables,
        metrics=metrics,
        units=units,
        result=result,
        data=data,
        changes=changes,
        source=source,
    )


@python_words
def run(
    scenario: ScenarioLike,
    *,
    set: Overrides = None,
    seed: int | None = None,
    engine: str = "reference",
    out: str | os.PathLike[str] | None = None,
    plots: bool = True,
    excel: bool = False,
    force: bool = False,
) -> RunResult:
    """Run a scenario once, as ``stockpile run`` does, and return its tables.

    Parameters
    ----------
    scenario
        A file path, a bare scenario name, scenario data or a ``Scenario``.
    set
        Changes applied before validation, as ``--set``: ``{path: value}``, ``(path, value)``
        pairs or ``"PATH=VALUE"`` strings. A member's ratio set alone rescales the other
        members' ratios to what is left, and a ``UserWarning`` says to what, as the CLI's note.
    seed
        The run's seed (default: the scenario's ``seed``).
    engine
        ``"reference"``, the only value: the SimPy engine that records every table (any
        other value is refused with an ``InputError``; sweeps use the batched fast path,
        which gives the same numbers: ``simulator.sweep``).
    out
        Also write the files of ``stockpile run -o out`` (tables, ``summary.json``,
        ``scenario.json``, figures), as ``sweep(out=...)`` does for a sweep. Without it
        nothing is written; an empty path is refused (it would name the current folder).
        The folder is checked before the run: a file there that its ``manifest.json``
        does not list, or another command's output, is refused unless ``force``.
        ``RunResult.write(folder)`` writes the same files later, with a report or
        workbook if asked.
    plots
        With ``out``: also draw the figures (``--no-plots`` is ``plots=False``).
    excel
        With ``out``: also write ``workbook.xlsx`` (``--excel``); without ``out`` it is
        refused, as there is no folder to write it in.
    force
        With ``out``: overwrite files its manifest does not list, or replace the output
        of another command than ``run`` (``--force``).

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
        raise InputError(
            f"engine: {engine!r} cannot run a single scenario; only 'reference' (the SimPy engine) can "
            "(the batched fast path runs sweeps: simulator.sweep gives its numbers, bit for bit the same)"
        )
    from simulator.engine import simulate

    plots, excel, force = flag(plots, "plots"), flag(excel, "excel"), flag(force, "force")
    folder = None if out is None else path_argument(out, "out", "an output folder path (or None to write nothing)")
    refuse_excel_without_out(excel, folder, "RunResult.write(folder, excel=True) writes it later")
    pairs = assignments(set)
    if seed is not None:
        pairs.append(("seed", seed_argument(seed)))
    loaded = load(scenario, pairs)
    changes = tuple(changes_of(raw_data(scenario, [])[0], pairs)) if pairs else ()
    warn_rescaled(changes, loaded.source)
    inputs = files_read(loaded.source)  # never written or removed
    if folder is None:
        result = simulate(loaded.scenario)
    else:
        make = functools.partial(simulate, loaded.scenario)  # called once the folder is known to be ours
        result, _ = _write_files(
            folder, loaded.scenario, loaded.data, changes, make, plots, False, excel, force, inputs=inputs
        )
    # absolute now: a relative path would name another file once the working folder changes
    return _run_result(result, loaded.data, changes, os.path.abspath(inputs[0]) if inputs else None)


@python_words
def compare(
    scenario: ScenarioLike,
    mechanisms: str | Iterable[str] | None = None,
    *,
    set: Overrides = None,
    seed: int | None = None,
    baseline: bool = True,
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
    seed
        The seed of every row's run (default: the scenario's ``seed``), as ``--seed``. With
        random inputs (a shock's timing or size drawn from a distribution, demand noise) the
        rules are compared on one draw of them; ``simulator.sweep`` with
        ``grid={"agreement.mechanism": [...]}`` and ``runs`` compares them over many.
    baseline
        With the first row ``mechanism == "no agreement"``: the same scenario without its
        agreement (as ``set={"agreement": None}``), the members' shortfalls without the
        pool; then, for a joint pool with contributions, ``"own shares alone"``: without
        the agreement, each member's contribution added to its own national reserve and
        drawn for its own gaps only (the report's own-share run, same seed). Their
        total shortfall, Jain's index and largest share gap are the members'; the metrics
        of a pool (draws, envy, unused releases, the pool's end, auction spend, net
        positions) are empty (``NaN``/``<NA>``). ``False`` leaves both out, as ``--no-baseline``.

    Returns
    -------
    pandas.DataFrame
        The rows of ``compare.csv``: ``mechanism``, agreement-wide metrics, then per
        member shortfall, shortfall share, first day short (``<NA>``: never) and auction
        spend, then (with a market) its columns, and last the members' shortfall of each
        material (``total_shortfall_t.all.<material>``) and each member's
        (``shortfall_t.<member>.<material>``), named as in ``simulator.sweep``; a rule that
        cannot run has a row with only ``skipped`` (why). Where the materials' tonnes may not be
        added (oxide and magnet, or prices far apart) and two or more are short, the totals over
        every material, ``total_shortfall_t`` and ``shortfall_t.<member>``, are ``NaN`` in every
        row: the columns by material give the answer. Then each material's Jain's index
        (``fairness_jain.all.<material>``) and pool figures (``draw_contribution_gap.all.<material>``,
        ``pool_end_t.all.<material>``, ``draw_to_contribution.<member>.<material>``); where the tonnes
        paid into the pool may not be added, ``draw_contribution_gap``, ``pool_end_t`` and
        ``draw_to_contribution.<member>`` are ``NaN`` in every row. Where two rules' rows coincide for a
        reason (``equal_cover`` with ``proportional_to_demand``; sharing rules without a release
        cap), a ``UserWarning`` gives the line ``stockpile compare`` prints under its table, and
        ``attrs["rule_notes"]`` lists those lines.
    """
    from simulator.compare import RULE_NOTES, parse_mechanisms
    from simulator.compare import compare as compare_rules

    if isinstance(mechanisms, str):
        if not mechanisms.replace(",", "").strip():
            raise InputError(f"mechanisms: give at least one mechanism, or None for every one; got {mechanisms!r}")
    elif mechanisms is not None:
        if not isinstance(mechanisms, Iterable) or isinstance(mechanisms, Mapping):
            raise InputError(
                "mechanisms: give a list of mechanism names, a text such as 'fair_ratio,auction' or None, "
                f"not {mechanisms!r}"
            )
        given = list(mechanisms)
        if not given:
            raise InputError("mechanisms: give at least one mechanism, or None for every one")
        if odd := [name for name in given if not isinstance(name, str) or not name.strip()]:
            raise InputError(f"mechanisms: {odd[0]!r} is not a mechanism name")
        mechanisms = ",".join(given)
    names = parse_mechanisms(mechanisms)
    pairs = assignments(set)
    if seed is not None:
        pairs.append(("seed", seed_argument(seed)))
    with_changes, source = overridden_data(scenario, pairs)
    validated = validate_overridden(with_changes, source, pairs)  # a change's problem said of it, as run() says it
    comparison = compare_rules(with_changes.data, names, source, flag(baseline, "baseline"), validated=validated)
    table = comparison.table()
    notes = list(table.attrs.get(RULE_NOTES, []))
    for note in notes:  # why two rules' rows coincide: the lines stockpile compare prints under its table
        warn_user(note)
    out = typed(table, "compare")
    out.attrs[RULE_NOTES] = notes
    return out


@python_words
def report(
    scenario: ScenarioLike,
    path: str | os.PathLike[str],
    *,
    compare: ScenarioLike | None = None,
    set: Overrides = None,
    seed: int | None = None,
    explorer: str | os.PathLike[str] | None = None,
    record: str | os.PathLike[str] | None = None,
    figures: bool = True,
) -> Path:
    """Run a scenario and write its self-contained HTML report, as ``stockpile report``.

    Parameters
    ----------
    scenario
        A file path, a bare scenario name, scenario data or a ``Scenario``.
    path
        The HTML file to write (its folder is created). As for the command, an
        :class:`InputError` before any run when it is one of the files read (the
        scenario, ``compare`` or ``explorer``, by any name) or not a regular file, or
        when another command (a running sweep) is writing its folder.
    compare
        A baseline scenario to compare against (``--compare``); ``set`` applies to it too
        (a change inside ``agreement`` only when it has an agreement), as the command does.
    set
        Changes applied before the runs, as ``--set``; the report lists them.
    seed
        The run's seed (default: the scenario's); the baseline runs with it too.
    explorer
        An explorer page (``stockpile explore``) to link, opened at this run's point
        (``--explorer``); without it, an ``explorer.html`` beside ``path`` is linked.
    record
        A record (CSV, as ``stockpile calibrate`` reads) to set the run against in the
        section "Against the record" (``--record``); read and checked against the scenario
        before any run (an :class:`InputError` naming the file, row and field).
    figures
        Whether the report's Matplotlib figures are drawn (the default, as the command
        does). False writes the same page with each of them left out, its ``<figure>``
        and caption kept: a quicker page for reading its words and tables (drawing the
        figures is most of a report's time: two thirds of the 2010 replay's). A line
        under the title says that its captions describe charts not drawn there.
        The shock timeline is drawn either way.

    Returns
    -------
    pathlib.Path
        The report written.
    """
    from simulator.engine import simulate
    from simulator.output_folder import check_file_writable, refuse_to_replace
    from simulator.report import comparison_problem, write_report
    from simulator.report.explorer import explorer_link
    from simulator.scenario.changes import with_changes

    target = path_argument(path, "path", "the report's file path (a str or os.PathLike)")
    figures = flag(figures, "figures")
    page = None if explorer is None else path_argument(explorer, "explorer", "an explorer page's path (or None)")
    pairs = assignments(set)
    if seed is not None:
        pairs.append(("seed", seed_argument(seed)))
    loaded = load(scenario, pairs)
    check_drawable(loaded.scenario, loaded.source)
    changes = changes_of(raw_data(scenario, [])[0], pairs)
    warn_rescaled(changes, loaded.source)
    inputs = files_read(loaded.source)  # a bare name resolved
    base = None
    if compare is not None:
        data, source = raw_data(compare, [])
        base, changes = with_changes(data, changes, source)
        if problem := comparison_problem(loaded.scenario, base):
            raise InputError(f"compare: {problem}", source)
        inputs += files_read(source)
    if page is not None:
        inputs.append(page)
    from simulator.report.record import report_record

    found = report_record(_record_path(record), loaded.scenario)
    if found is not None:
        inputs.append(found.source)
    run_data = loaded.data if loaded.data is not None else loaded.scenario.model_dump(mode="json")
    link = explorer_link(target, page, run_data)
    check_file_writable(target)
    refuse_to_replace(target, inputs, page=True)  # as stockpile report: before the runs, so a refusal costs nothing
    baseline = simulate(base) if base is not None else None
    result = simulate(loaded.scenario)
    return write_report(
        result,
        target,
        baseline=baseline,
        changes=changes,
        explorer=link,
        inputs=inputs,
        record=found,
        figures=figures,
    )


def refuse_excel_without_out(excel: bool, folder: Path | None, later: str) -> None:
    """Refuse ``excel=True`` without ``out``: no folder to write the workbook in.

    ``later`` says how to write it once there is one.
    """
    if excel and folder is None:
        raise InputError(f"excel: needs out= (the folder to write workbook.xlsx in); {later}")


def files_read(*sources: str) -> list[str]:
    """Of ``sources`` (a loaded scenario's ``source``), the files read: not scenario data given as such.

    The one test of the API's functions for the inputs an output never writes over or removes.
    """
    return [source for source in sources if source != DATA_SOURCE]
