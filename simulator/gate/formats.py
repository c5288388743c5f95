"""Reports of the regression gate (studies layer): text, JSON, GitHub annotations, Markdown, JUnit XML.

Layer: studies.

Every text that came from a file (names, messages, paths) is made plain first: ANSI
escape sequences and control characters are removed, so no report can recolour a
terminal, forge a GitHub workflow command or make invalid XML.

Streaming formats (``text``, ``github``) print a line per scenario as soon as it is
checked (:func:`progress`) and the rest at the end (:func:`closing`); ``json`` and
``markdown`` print everything at the end.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import shlex
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.errors import InputError, first_and_more, plain
from simulator.gate.git import git_output
from simulator.names import plural
from simulator.output_folder import Mark, create_folders
from simulator.quantities import DAY_METRICS, NEVER, none_word

if TYPE_CHECKING:
    from simulator.gate.compare import Absent, Drift, Outcome, Update
    from simulator.gate.run import Report

FORMATS = ("text", "json", "github", "markdown")
MOST_ROWS = 25
"""Drift rows shown per scenario in text and Markdown (JSON lists all) ..."""
MOST_CURVE_ROWS = 10
"""... of which up to this many are kept for moved curves, whatever the number of moved metrics."""
EDITED_HINT = "If the scenario edits are intended, update their baselines in the same commit: stockpile check --update"
CODE_HINT = (
    "Numbers of unchanged scenarios moved with the code or the package version: find out why before updating "
    "(never update blindly); then update one baseline with: stockpile check --update"
)
RENAME_HINT = (
    "A region or material renamed and edited in one commit cannot be compared (its numbers read as removed and "
    "added, its own moves unseen): if that is what happened, rename it in a commit of its own, whose check reads "
    "'renamed, values unchanged', and update that baseline; then edit it in another commit. Scenarios:"
)
STALE_HINT = (
    "Scenario edits that moved no number beyond its tolerance are not in their baselines yet: record them in the same "
    "commit, so that a later drift is not blamed on them: stockpile check --update"
)
VERSION_HINT = (
    "Baselines written by another package version, whose numbers moved no further than their tolerances: record "
    "the version in the same commit as the upgrade, so that a later drift is not blamed on the older one: "
    "stockpile check --update"
)
UNKNOWN_HINT = (
    "Numbers moved against format-1 baselines, which cannot tell whether their scenario changed: find out why "
    "(the scenario's history, the code) before updating; then update one baseline with: stockpile check --update"
)
JUNIT_SUITE = "stockpile check"
"""The name of the JUnit report's root and suite."""
JUNIT_START = f"<?xml version='1.0' encoding='utf-8'?>\n<testsuites name=\"{JUNIT_SUITE}\""
"""How a JUnit report of the check begins (its XML declaration, then its root), as :func:`junit_xml` writes it."""
JUNIT = Mark(JUNIT_START.encode(), "a JUnit report stockpile check wrote")
"""``--junit`` replaces only a file that begins with :data:`JUNIT_START`."""
_STATUS_ORDER = ("ok", "drift", "no baseline", "no scenario", "retired", "error")
# --- pieces shared by the formats ------------------------------------------------------------


def date_of(start: str | None, day: int | None) -> str | None:
    """ISO date of model day ``day`` for a scenario starting on ``start`` (None without either).

    >>> date_of("2010-07-01", 105), date_of(None, 105)
    ('2010-10-14', None)
    """
    if start is None or day is None:
        return None
    return (dt.date.fromisoformat(start) + dt.timedelta(days=int(day))).isoformat()


def minus_one_text(metric: str) -> str:
    """How a day metric's -1 is shown: ``never`` where it means the event never happened, else ``none``.

    Read from :func:`~simulator.quantities.none_word` (the registry's words by the metric's
    aggregation: a first day, never short; a day of lowest cover or of peak price, none, the
    change saying why, ``now none (no price)``), so that a day metric added to the registry
    gets its word from there.

    >>> [minus_one_text(m) for m in ("first_shortfall_day", "min_days_of_cover_day", "peak_price_day")]
    ['never', 'none', 'none']
    """
    return NEVER if none_word(metric) == NEVER else "none"


def _value(metric: str, value: float | None, start: str | None) -> str:
    """A number as shown; a day metric also as a date (-1: :func:`minus_one_text`, ``never`` or ``none``).

    >>> _value("peak_price_day", 10, "2010-07-01"), _value("min_days_of_cover_day", -1, None)
    ('10 (2010-07-11)', 'none')
    """
    if value is None:
        return "-"
    if metric in DAY_METRICS:
        if value < 0:
            return minus_one_text(metric)
        when = date_of(start, int(value))
        return f"{int(value)} ({when})" if when else str(int(value))
    return f"{value:.6g}"


def _values(metric: str, baseline: float | None, now: float | None, start: str | None) -> tuple[str, str]:
    """Two numbers as shown (:func:`_value`), with as many significant digits as they need to differ.

    Six digits, or more (up to 17) where six would show a small move as no move at all:

    >>> _values("total_shortfall_t", 829.98, 829.980248994, None)
    ('829.98', '829.9802')
    >>> _values("total_shortfall_t", 5940, 5939, None), _values("peak_price_day", 10, 12, None)
    (('5940', '5939'), ('10', '12'))
    """
    if metric in DAY_METRICS or baseline is None or now is None or baseline == now:
        return _value(metric, baseline, start), _value(metric, now, start)
    digits = 6
    while digits < 17 and f"{baseline:.{digits}g}" == f"{now:.{digits}g}":
        digits += 1
    return f"{baseline:.{digits}g}", f"{now:.{digits}g}"


@dataclass(frozen=True)
class Row:
    """One line of a drift table: a summary metric, or the largest move of one curve."""

    scenario: str
    region: str
    material: str
    metric: str
    day: str
    date: str
    baseline: str
    now: str
    change: str

    HEADER = ("scenario", "region", "material", "metric", "day", "date", "baseline", "now", "change")

    def cells(self) -> tuple[str, ...]:
        """The row's cells in the order of ``HEADER``."""
        return tuple(plain(getattr(self, name), one_line=True) for name in self.HEADER)


def _rows(outcome: Outcome, most: int | None = None) -> tuple[list[Row], int]:
    """Rows of a drift table and how many were left out (``most`` rows at most; None: all).

    Summary metrics come first, largest relative change first (:attr:`Drift.rank`); then one row
    per moved curve (its largest move, by the same rank), of which up to ``MOST_CURVE_ROWS`` are
    always kept.
    """
    start = outcome.start_date
    summary, curves = _ranked(outcome)
    rows = [
        Row(
            d.scenario,
            d.region,
            d.material,
            d.metric,
            "-",
            "-",
            *_values(d.metric, d.baseline, d.now, start),
            d.change,
        )
        for d in summary
    ]
    worst = [(points[0], len(points)) for points in curves]
    curve_rows = [
        Row(
            d.scenario,
            d.region,
            d.material,
            d.metric,
            str(d.day),
            date_of(start, d.day) or "-",
            *_values(d.metric, d.baseline, d.now, start),
            f"{d.change}; largest of {plural(count, 'moved day')}",
        )
        for d, count in worst
    ]
    wholes = [_absent_row(outcome.scenario, group) for group in outcome.absent_groups]
    if most is None:
        return rows + curve_rows + wholes, 0
    kept = rows[: most - min(len(curve_rows), MOST_CURVE_ROWS)]
    shown = [*kept, *curve_rows[: most - len(kept)]]
    return [*shown, *wholes], len(rows) + len(curve_rows) - len(shown)


def _ranked(outcome: Outcome) -> tuple[list[Drift], list[list[Drift]]]:
    """The moved numbers as the drift table orders them: summary metrics, and the points of each moved curve.

    Summary metrics largest relative change first (:attr:`Drift.rank`); curves by their largest
    move, each curve's points largest first (the first is the curve's row in the table).
    """
    moved = moved_numbers(outcome)
    summary = sorted((d for d in moved if d.day is None), key=lambda d: d.rank)
    curves: dict[tuple[str, str, str], list[Drift]] = {}
    for d in moved:
        if d.day is not None:
            curves.setdefault((d.region, d.material, d.metric), []).append(d)
    ranked = [sorted(points, key=lambda d: d.rank) for points in curves.values()]
    return summary, sorted(ranked, key=lambda points: points[0].rank)


def table_order(outcome: Outcome) -> list[Drift]:
    """Every drift in the order of the drift table, so that ``--format json`` lists them as the text shows them.

    The summary metrics, then every point of each moved curve (:func:`_ranked`; the table shows
    each curve's first), then the numbers that appeared or disappeared, as compared.
    """
    summary, curves = _ranked(outcome)
    return [*summary, *(d for points in curves for d in points), *(d for d in outcome.drifts if d.absent)]


def moved_numbers(outcome: Outcome) -> list[Drift]:
    """The drifts of numbers baselined and computed now (not those that appeared or disappeared)."""
    return [d for d in outcome.drifts if not d.absent]


def _absent_row(scenario: str, group: Absent) -> Row:
    """One row for the numbers of a region, material, curve or metric that appeared, disappeared or was renamed.

    Always shown, after the moved numbers: the numbers themselves are listed by ``--format json``.
    """
    everything = {"region": "*", "material": "*", "metric": "*", "day": "-"}
    if group.kind in ("region", "material"):
        everything[group.kind] = group.name
    elif group.kind == "sampled days":
        everything["day"] = group.name
    else:
        everything["metric"] = group.name
    change = "renamed, values unchanged" if group.change == "renamed" else group.change
    return Row(
        scenario,
        everything["region"],
        everything["material"],
        everything["metric"],
        everything["day"],
        "-",
        "-",
        "-",
        f"{group.kind} {change}: {group.counts}",
    )


def _where(d: Drift, start: str | None) -> str:
    place = "" if (d.region, d.material) == ("all", "all") else f" {d.region}/{d.material}"
    if d.day is None:
        return place
    when = date_of(start, d.day)
    return f"{place} on day {d.day}" + (f" ({when})" if when else "")


def moved_summary(outcome: Outcome, most: int = 3) -> str:
    """What moved, in one line: how many numbers, and up to ``most`` of the largest moves.

    The total shortfall leads when it moved; then the largest moves of other metrics. A
    total shortfall that is not the largest move is named before ``largest:``, not in it.
    """
    if not outcome.drifts:
        return plain(outcome.message or outcome.status, one_line=True)
    start = outcome.start_date
    largest: list[Drift] = []
    moved = moved_numbers(outcome)
    for d in sorted(moved, key=_headline_first):
        if len(largest) < most and d.metric not in {x.metric for x in largest}:
            largest.append(d)
    parts = [
        f"{d.metric}{_where(d, start)} {' -> '.join(_values(d.metric, d.baseline, d.now, start))} ({_flat(d.change)})"
        for d in largest
    ]
    head = f"{plural(len(moved), 'number')} moved beyond tolerance" + "".join(f"; {g}" for g in outcome.absent_groups)
    first = min(moved, key=_largest_first, default=None)
    if largest and largest[0].metric == "total_shortfall_t" and first is not largest[0]:
        head, parts = f"{head}; {cause(outcome)}; {parts[0]}", parts[1:]  # the headline, though not the largest
    else:
        head = f"{head}; {cause(outcome)}"
    return plain(head + (f"; largest: {', '.join(parts)}" if parts else ""), True)


def _flat(change: str) -> str:
    """A change without brackets, to be shown in brackets: ``+1386 (+19.5%)`` -> ``+1386, +19.5%``.

    >>> _flat("+1386 (+19.5%)"), _flat("now short (never before)"), _flat("+573")
    ('+1386, +19.5%', 'now short, never before', '+573')
    """
    return change.replace(" (", ", ").replace(")", "")


def label(outcome: Outcome) -> str:
    """The scenario's key, with its ``name:`` when that differs: ``eu/embargo (name: embargo_2010)``."""
    name = f" (name: {outcome.name})" if outcome.name and outcome.name != outcome.scenario else ""
    return plain(f"{outcome.scenario}{name}", one_line=True)


def cause(outcome: Outcome, most: int | None = 5) -> str:
    """Where a drift comes from: the scenario (which parts, which seed) or, with the scenario unchanged, the code.

    Parts added since the baseline are marked ``+``, removed ones ``-``; up to ``most`` are named
    (None: all), removed and added ones first. A new package version is named beside a scenario
    edit too. Parts the run never reads (``description``:
    :data:`~simulator.gate.baseline.TEXT_PARTS`) are named as not the cause.

    >>> from simulator.gate.compare import Outcome
    >>> changed = {"seed": "changed", "shocks.1": "changed"}
    >>> cause(Outcome("a", "a.yaml", "drift", scenario_changed=True, part_changes=changed, seeds=(0, 7)))
    'scenario changed since its baseline: shocks.1; seed 0 -> 7'
    >>> marks = {"shocks.quota": "removed", "shocks.halt": "added", "agreement.members": "changed"}
    >>> cause(Outcome("a", "a.yaml", "drift", scenario_changed=True, part_changes=marks))
    'scenario changed since its baseline: -shocks.quota, +shocks.halt, agreement.members'
    >>> cause(Outcome("a", "a.yaml", "drift", versions=("0.1.0", "0.2.0"), seeds=(0, 0)))
    'scenario unchanged: package version 0.1.0 -> 0.2.0 moved the numbers'
    >>> cause(Outcome("a", "a.yaml", "drift", versions=("0.2.0", "0.2.0"), seeds=(0, 0)))
    'scenario unchanged, package version 0.2.0 unchanged: the code moved the numbers'
    >>> cause(Outcome("a", "a.yaml", "drift", scenario_changed=True, part_changes={"horizon_days": "changed"},
    ...               versions=("0.1.0", "0.2.0")))
    'scenario changed since its baseline: horizon_days; package version 0.1.0 -> 0.2.0'
    >>> text = {"description": "changed"}
    >>> cause(Outcome("a", "a.yaml", "drift", scenario_changed=True, part_changes=text, versions=("0.2.0", "0.2.0")))
    'scenario unchanged but for description (not read by the run), package version 0.2.0 unchanged: the code moved \
the numbers'
    """
    if outcome.scenario_changed is None:
        return plain(
            "a baseline of format 1, which hashed scenarios another way: whether the scenario changed since cannot "
            "be told, so find out what moved the numbers before updating",
            True,
        )
    versions = outcome.versions
    new_version = f"package version {versions[0]} -> {versions[1]}" if versions and versions[0] != versions[1] else ""
    if outcome.inputs_changed:
        details = edits(outcome, most) + ([new_version] if new_version else [])  # either may be the cause
        details += [
            f"if {kind} {old} -> {new} is a rename, it was edited too: not compared (rename in a commit of its own)"
            for kind, old, new in renamed_and_edited(outcome)
        ]
        return plain("scenario changed since its baseline" + (": " + "; ".join(details) if details else ""), True)
    unchanged = "scenario unchanged"
    if outcome.scenario_changed:  # only parts the run never reads
        unchanged += f" but for {'; '.join(edits(outcome, most))} (not read by the run)"
    if new_version:
        return plain(f"{unchanged}: {new_version} moved the numbers", True)
    same = f", package version {versions[1]} unchanged" if versions else ""
    if outcome.sealed is False:  # written before numbers_sha256: a hand edit cannot be told from a run's record
        return plain(
            f"{unchanged}{same}: the code, or an edit of the baseline (it has no numbers_sha256 to tell), "
            "moved the numbers",
            True,
        )
    return plain(f"{unchanged}{same}: the code moved the numbers", True)


def renamed_and_edited(outcome: Outcome) -> list[tuple[str, str, str]]:
    """``(kind, old, new)`` for a region or material that looks renamed but whose numbers did not stay the same.

    That is one ``regions.*`` (or ``materials.*``) part removed and one added while the numbers
    of neither were matched as a rename (:func:`~simulator.gate.compare.absent_groups`): its
    numbers read as removed and added, and its own moves cannot be shown.

    >>> from simulator.gate.compare import Outcome
    >>> parts = {"regions.eu": "removed", "regions.europe": "added", "regions.japan": "changed"}
    >>> renamed_and_edited(Outcome("a", "a.yaml", "drift", scenario_changed=True, part_changes=parts))
    [('region', 'eu', 'europe')]
    """
    changes = outcome.part_changes or {}
    found = []
    for kind in ("region", "material"):
        sides = {
            change: [
                part.split(".", 1)[1] for part, was in changes.items() if part.startswith(f"{kind}s.") and was == change
            ]
            for change in ("removed", "added")
        }
        matched = any(g.kind == kind and g.change == "renamed" for g in outcome.absent_groups)
        if len(sides["removed"]) == 1 and len(sides["added"]) == 1 and not matched:
            found.append((kind, sides["removed"][0], sides["added"][0]))
    return found


def edits(outcome: Outcome, most: int | None = 5) -> list[str]:
    """The scenario's edits since its baseline: its parts (``-regions.eu, +regions.europe``), then a new seed.

    A changed part whose fields are known (:attr:`~simulator.gate.compare.Outcome.edited_fields`)
    is told by them, each with its two values (``regions.eu.demand.light_ree.tonnes_per_day 34.8 ->
    34.81``); up to ``most`` parts and fields are named (None: all), then how many more.

    >>> from simulator.gate.compare import Outcome
    >>> from simulator.gate.fields import FieldChange
    >>> fields = {"regions.eu": [FieldChange("regions.eu.demand.ree.tonnes_per_day", 34.8, 34.81)]}
    >>> parts = {"regions.eu": "changed", "shocks.halt": "changed", "shocks.new": "added"}
    >>> edits(Outcome("a", "a.yaml", "drift", scenario_changed=True, part_changes=parts, edited_fields=fields))
    ['+shocks.new, regions.eu.demand.ree.tonnes_per_day 34.8 -> 34.81, shocks.halt']
    """
    parts = [
        item
        for part, change in marked_parts(outcome)
        if part != "seed"
        for item in ([c.text() for c in outcome.edited_fields.get(part, [])] or [f"{MARKS[change]}{part}"])
    ]
    details = [first_and_more(parts, most)] if parts else []
    if outcome.seeds and outcome.seeds[0] != outcome.seeds[1]:
        details.append(f"seed {outcome.seeds[0]} -> {outcome.seeds[1]}")
    return details


MARKS = {"removed": "-", "added": "+", "changed": ""}
"""How a scenario part removed or added since the baseline is marked in a cause (a changed one is not)."""


def marked_parts(outcome: Outcome) -> list[tuple[str, str]]:
    """The changed scenario parts as (part, ``removed``/``added``/``changed``): removed, then added, then changed."""
    marks = outcome.part_changes or {}
    order = list(MARKS)
    return sorted(marks.items(), key=lambda item: (order.index(item[1]), item[0]))


def note(outcome: Outcome, most: int | None = 5) -> str:
    """What an outcome says beside its status: the cause of a drift, or an edit of a scenario that passed.

    A scenario edited since its baseline that still matches it (within the tolerances in force)
    passes, and says so in every format, with the command that records the edit in its baseline
    (else a later drift of the code would be blamed on the edit).
    """
    if outcome.drifts:
        return cause(outcome, most)
    if not outcome.stale:
        return ""
    versions = outcome.versions
    version = f"package version {versions[0]} -> {versions[1]}" if versions and versions[0] != versions[1] else ""
    if outcome.scenario_changed:
        details = edits(outcome, most) + ([version] if version else [])
        text = "scenario changed since its baseline" + (": " + "; ".join(details) if details else "")
        text += "; no number moved beyond its tolerance, but the baseline predates the edit"
    else:
        text = f"{version} since its baseline; no number moved beyond its tolerance, but the baseline names the "
        text += "older version"
    return plain(text + (f": record it with {outcome.update_command}" if outcome.update_command else ""), True)


def advice(report: Report, outcomes: list[Outcome] | None = None) -> list[str]:
    """What to do: update edited scenarios' baselines; review a drift of the code first; record edits that passed.

    ``outcomes``: those of ``report`` to advise on (None: all).
    """
    chosen = report.outcomes if outcomes is None else outcomes
    drifting = [o for o in chosen if o.status == "drift"]
    options = report.update_options
    edited = " ".join(pasted(o.file) for o in drifting if o.inputs_changed)
    code = [pasted(o.file) for o in drifting if o.inputs_changed is False]
    unknown = [pasted(o.file) for o in drifting if o.inputs_changed is None]
    stale = " ".join(pasted(o.file) for o in chosen if o.stale and o.scenario_changed)
    older = " ".join(pasted(o.file) for o in chosen if o.stale and not o.scenario_changed)
    lines = [f"{EDITED_HINT}{options} {edited}"] if edited else []
    if code:
        lines.append(f"{CODE_HINT}{options} {code[0]}")
    if unknown:
        lines.append(f"{UNKNOWN_HINT}{options} {unknown[0]}")
    if stale:
        lines.append(f"{STALE_HINT}{options} {stale}")
    if older:
        lines.append(f"{VERSION_HINT}{options} {older}")
    renamed = " ".join(pasted(o.file) for o in drifting if o.inputs_changed and renamed_and_edited(o))
    if renamed:
        lines.append(f"{RENAME_HINT} {renamed}")
    return lines


def pasted(path: str | Path) -> str:
    """A path in a command to paste into a shell: on one line, plain, and quoted where it must be.

    >>> pasted("my scenarios/my pair.yaml"), pasted("scenarios/pair.yaml")
    ("'my scenarios/my pair.yaml'", 'scenarios/pair.yaml')
    """
    return shlex.quote(plain(str(path), one_line=True))


def _headline_first(d: Drift) -> tuple[bool, bool, float, int, float, str, float]:
    """The total shortfall first, then summary metrics before curve points, largest relative change first."""
    return (d.metric != "total_shortfall_t", *_largest_first(d))


def _largest_first(d: Drift) -> tuple[bool, float, int, float, str, float]:
    """Summary metrics before curve points, largest relative change first."""
    return (d.day is not None, *d.rank)


def status_line(outcome: Outcome) -> str:
    """``drift        key: 12 numbers moved (scenario changed since its baseline: horizon_days)``."""
    detail = f": {plural(len(moved_numbers(outcome)), 'number')} moved" if outcome.drifts else ""
    detail += "".join(f"; {group}" for group in outcome.absent_groups)
    said = note(outcome)
    return f"{outcome.status:<12} {label(outcome)}{detail}" + (f" ({said})" if said else "")


def _message_lines(outcome: Outcome) -> list[str]:
    return [f"             {line}" for line in plain(outcome.message).splitlines() if outcome.failed and line]


def final_line(report: Report, tolerances_always: bool = False) -> str:
    """The last line of every format: what was checked, how long, and how many of each status.

    Scenarios, baselines without a scenario (``no scenario``, ``retired``) and files of a baselines
    folder that are not baselines are counted apart, so that each count adds up. The tolerances
    in force end it when they are not the defaults (``tolerances_always``: also then, as the
    Markdown summary gives them).
    """
    of = f" of {plain(report.where, one_line=True)}" if report.where else ""
    if report.stopped:
        return f"check{of} stopped before any scenario ran: {_tally(report.outcomes)}"
    scenarios = [o for o in report.outcomes if o.status not in _ORPHAN_STATUSES and not o.stray]
    orphaned = [o for o in report.outcomes if o.status in _ORPHAN_STATUSES]
    strays = [o for o in report.outcomes if o.stray]
    line = f"{plural(len(scenarios), 'scenario')}{of} checked in {report.seconds:.1f} s: {_tally(scenarios) or 'none'}"
    if stale := sum(o.stale for o in scenarios):
        line += f" ({stale} ok with a baseline that predates its scenario's edit or the tool version: record it)"
    if orphaned:
        line += f"; {plural(len(orphaned), 'baseline')} without scenario: {_tally(orphaned)}"
    if strays:
        line += f"; {plural(len(strays), 'file')} of a baselines folder not a baseline: {_tally(strays)}"
    tolerances = tolerance_note(report, always=tolerances_always)
    return line + (f"; {tolerances}" if tolerances else "")


def tolerance_note(report: Report, always: bool = False) -> str:
    """The tolerances in force when they are not just the defaults (``always``: also then).

    ``tolerances rtol 1, atol 1e-06 (--rtol 1), with scenarios/baselines/tolerances.yaml: 1 metric entry``.
    """
    from simulator.gate.tolerances import Tolerance

    tolerances = report.tolerances
    if tolerances is None:
        return ""
    default = tolerances.default
    if not always and tolerances.source is None and default == Tolerance() and not report.tolerance_options:
        return ""
    text = f"tolerances rtol {default.rtol:g}, atol {default.atol:g}"
    if report.tolerance_options:
        text += f" ({report.tolerance_options})"
    elif default == Tolerance():
        text += " (the defaults)"
    if tolerances.source is not None:
        entries = [
            f"{len(found)} {what} entr{'y' if len(found) == 1 else 'ies'} ({', '.join(sorted(found))})"
            for found, what in ((tolerances.metrics, "metric"), (tolerances.scenarios, "scenario"))
            if found
        ]
        text += f", with {tolerances.source}" + (f": {'; '.join(entries)}" if entries else "")
    return plain(text, one_line=True)


_ORPHAN_STATUSES = ("no scenario", "retired")


def _tally(outcomes: list[Outcome]) -> str:
    counts = Counter(o.status for o in outcomes)
    return ", ".join(f"{counts[s]} {s}" for s in _STATUS_ORDER if counts[s])


def text_table(outcomes: list[Outcome], most: int | None = MOST_ROWS) -> str:
    """What moved, as an aligned text table (``most`` rows per scenario; None: all)."""
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    for outcome in outcomes:
        shown, hidden = _rows(outcome, most)
        rows.extend(row.cells() for row in shown)
        if hidden:
            name = label(outcome)
            notes.append(f"{name}: {plural(hidden, 'more row')} not shown (--format json lists all)")
    if not rows:
        return ""
    table = [Row.HEADER, *rows]
    widths = [max(len(r[k]) for r in table) for k in range(len(Row.HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in table]
    return "\n".join([*lines, *notes])


# --- GitHub workflow commands -----------------------------------------------------------------


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _repo_path(file: str) -> str:
    """A path as GitHub annotations want it: relative to the repository's top.

    The top is ``$GITHUB_WORKSPACE`` when it is a folder, else the git work tree the check
    runs in; a path outside it (or with neither) is shown as given.
    """
    if not file:
        return ""
    workspace = os.environ.get("GITHUB_WORKSPACE", "")
    top = workspace if os.path.isdir(workspace) else _git_top(os.getcwd())  # a workspace that is no folder is ignored
    if top:
        try:
            return Path(os.path.realpath(file)).relative_to(os.path.realpath(top)).as_posix()
        except ValueError:
            pass
    return Path(file).as_posix()


@functools.lru_cache(maxsize=8)
def _git_top(folder: str) -> str | None:
    """The top of the git work tree holding ``folder``, or None (not in one, or no git).

    Asked as the gate's other git commands are (:func:`simulator.gate.git.git_output`): not of a hook's repository.
    """
    return (git_output(folder, "rev-parse", "--show-toplevel") or "").strip() or None


def annotation(outcome: Outcome) -> str:
    """``::error file=...,title=...::message`` for a failed outcome; ``::warning`` for a pass to record (its note)."""
    where = f"file={_property(plain(_repo_path(outcome.file), one_line=True))}," if outcome.file else ""
    if not outcome.failed:
        title = f"stockpile check: baseline to record in {label(outcome)}"
        return f"::warning {where}title={_property(title)}::{_data(note(outcome))}"
    title = f"stockpile check: {outcome.status} in {label(outcome)}"
    return f"::error {where}title={_property(title)}::{_data(moved_summary(outcome))}"


# --- the formats ------------------------------------------------------------------------------


def progress(outcome: Outcome, fmt: str, quiet: bool = False) -> list[str]:
    """Lines to print as soon as ``outcome`` is known (streaming formats only)."""
    if fmt == "github" and (outcome.failed or outcome.stale):
        return [annotation(outcome)]
    if fmt not in ("text", "github") or (quiet and not outcome.failed and not outcome.stale):
        return []
    if quiet and outcome.drifts:
        return [f"{outcome.status:<12} {label(outcome)}: {moved_summary(outcome)}"]
    return [status_line(outcome), *_message_lines(outcome)]


def closing(report: Report, fmt: str, quiet: bool = False) -> str:
    """Everything printed after the last scenario: tables, hints and the final line."""
    if fmt == "json":
        return json.dumps(as_json(report, quiet), indent=2)
    if fmt == "markdown":
        return markdown(report, quiet)
    table = "" if quiet else text_table(report.outcomes)
    parts = []
    if table and fmt == "github":
        parts.append(f"::group::What moved\n{table}\n::endgroup::")
    elif table:
        parts.append(f"\n{table}\n")
    if not quiet:
        parts.extend(advice(report))
    parts.append(final_line(report))
    return "\n".join(parts)


def as_json(report: Report, quiet: bool = False) -> list[dict[str, Any]]:
    """Machine-readable outcomes (``--format json``), every moved number listed (nothing is cut).

    ``scenario_changed_since_baseline`` is None (``null``) where no baseline was compared
    (no baseline, a corrupt one, an invalid scenario) or where a format-1 baseline cannot tell;
    ``inputs_changed_since_baseline`` likewise, but False when only parts the run never reads changed
    (:attr:`Outcome.inputs_changed`: a drift beside a description edit is the code's).
    """
    return [_json_outcome(o) for o in report.outcomes if o.failed or o.stale or not quiet]


def _json_outcome(o: Outcome) -> dict[str, Any]:
    compared = o.status in ("ok", "drift")
    parts = None if o.part_changes is None else marked_parts(o)
    return {
        "scenario": plain(o.scenario, one_line=True),
        "name": plain(o.name, one_line=True),
        "file": plain(o.file, one_line=True),
        "status": o.status,
        "message": plain(o.message),
        "scenario_changed_since_baseline": o.scenario_changed if compared else None,
        "inputs_changed_since_baseline": o.inputs_changed if compared else None,
        "cause": note(o, most=None),
        "changed_parts": None if parts is None or not compared else [_json_part(o, p, c) for p, c in parts],
        "numbers_moved": len(moved_numbers(o)),
        "numbers_appeared": sum(d.absent == "baseline" for d in o.drifts),
        "numbers_disappeared": sum(d.absent == "now" for d in o.drifts),
        "appeared_or_disappeared": [
            {"what": f"{g.kind} {g.name}", "change": g.change, "metrics": g.metrics, "curve_points": g.points}
            for g in o.absent_groups
        ],
        "seconds": round(o.seconds, 3),
        "start_date": o.start_date,
        "drifts": [
            {
                "region": d.region,
                "material": d.material,
                "metric": d.metric,
                "day": d.day,
                "date": date_of(o.start_date, d.day),
                "baseline": d.baseline,
                "now": d.now,
                "missing_from": d.absent or None,
                "change": d.change,
                **_day_dates(d, o.start_date),
            }
            for d in table_order(o)
        ],
    }


def _json_part(o: Outcome, part: str, change: str) -> dict[str, Any]:
    """A changed part in JSON, with its changed fields and their two values (``fields``) where they are known.

    A field at its default on one side (not in that side's data) has ``missing_from`` that side, and its default
    as that side's value (null where it has none).
    """
    entry: dict[str, Any] = {"part": part, "change": change}
    if (edited := o.edited_fields.get(part)) is not None:
        entry["fields"] = [
            {
                "field": c.field,
                "baseline": c.baseline,
                "now": c.now,
                "missing_from": "baseline" if not c.in_baseline else "now" if not c.in_now else None,
            }
            for c in edited
        ]
    return entry


def _day_dates(d: Drift, start: str | None) -> dict[str, str | None]:
    """A day metric's two days as dates (``baseline_date``, ``now_date``; None for -1 or no start date)."""
    if d.metric not in DAY_METRICS:
        return {}
    return {
        f"{side}_date": date_of(start, int(value)) if value is not None and value >= 0 else None
        for side, value in (("baseline", d.baseline), ("now", d.now))
    }


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell: shown as it is (:func:`_markdown_text`, which also escapes ``|``)."""
    return _markdown_text(text)


def markdown(report: Report, quiet: bool = False) -> str:
    """A job summary: a verdict, a table of scenarios (failed ones only with ``quiet``, if any), what moved."""
    failed = [o for o in report.outcomes if o.failed]
    total = len(report.outcomes)
    verdict = f"{len(failed)} of {total} failed" if failed else f"all {total} match their baselines"
    lines = [f"### Scenario check: {verdict}"]
    shown = [o for o in report.outcomes if o.failed or o.stale or not quiet]
    if shown:  # with quiet and none failed, no table: a header over no rows
        lines += ["", "| status | scenario | file | what moved |", "|---|---|---|---|"]
    for o in shown:
        what = moved_summary(o) if o.failed else note(o)
        lines.append(f"| {o.status} | {_cell(label(o))} | {_cell(o.file)} | {_cell(what)} |")
    drifting = [o for o in report.outcomes if o.drifts]
    if drifting:
        lines += ["", "#### What moved", "", "| " + " | ".join(Row.HEADER) + " |", "|---" * len(Row.HEADER) + "|"]
        for o in drifting:
            rows, hidden = _rows(o, MOST_ROWS)
            lines += ["| " + " | ".join(_cell(c) for c in row.cells()) + " |" for row in rows]
            if hidden:
                lines.append(f"| {_cell(o.scenario)} | {plural(hidden, 'more row')}: --format json lists all |")
    for hint in advice(report):  # a paragraph each, so that each reads (and is copied) as one line
        lines += ["", _markdown_text(hint)]
    lines += ["", final_line(report, tolerances_always=True)]
    return "\n".join(lines)


def _markdown_text(text: str) -> str:
    r"""Text that Markdown shows as it is: what it would read as markup (``<amp&>``, ``_x_``) escaped.

    A command in it, copied from the rendered page, is the command as printed.

    >>> print(_markdown_text("stockpile check --update 'my dir/<a&b>_x_*.yaml'"))
    stockpile check --update 'my dir/\<a\&b\>\_x\_\*.yaml'
    """
    return re.sub(r"([\\`*_<>\[\]&|~])", r"\\\1", plain(text, one_line=True))


def junit_xml(report: Report) -> str:
    """JUnit XML: a ``<testsuites>`` root, one ``<testsuite>``, one ``<testcase>`` per scenario.

    Drift is a ``<failure>`` (the whole drift table as text, then the advice of :func:`advice`);
    bad input (no baseline, no scenario, an invalid file) is an ``<error>``; a retired baseline
    is ``<skipped>``.
    """
    from xml.etree import ElementTree as ET

    outcomes = report.outcomes
    counts = {
        "tests": str(len(outcomes)),
        "failures": str(sum(o.status == "drift" for o in outcomes)),
        "errors": str(sum(o.failed and o.status != "drift" for o in outcomes)),
        "skipped": str(sum(o.status == "retired" for o in outcomes)),
        "time": f"{report.seconds:.3f}",
    }
    root = ET.Element("testsuites", name=JUNIT_SUITE, **counts)  # the name first: the file's JUNIT mark
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    suite = ET.SubElement(root, "testsuite", name=JUNIT_SUITE, timestamp=stamp, **counts)
    for o in outcomes:
        case = ET.SubElement(
            suite,
            "testcase",
            classname="stockpile.scenarios",
            name=plain(o.scenario, one_line=True),
            file=plain(o.file, one_line=True),
            time=f"{o.seconds:.3f}",
        )
        if o.status == "drift":
            failure = ET.SubElement(case, "failure", type="drift", message=moved_summary(o))
            failure.text = "\n\n".join([text_table([o], most=None), *advice(report, [o])])  # every row: no hint
        elif o.status == "retired":
            ET.SubElement(case, "skipped", message=plain(o.message, one_line=True))
        elif o.status == "ok" and note(o):
            ET.SubElement(case, "system-out").text = note(o)
        elif o.failed:
            error = ET.SubElement(case, "error", type=o.status, message=plain(o.message or o.status, one_line=True))
            error.text = plain(o.message)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


# --- update -----------------------------------------------------------------------------------


def update_line(update: Update) -> str:
    """``created      scenarios/baselines/x.json``; ``updated ... (3 numbers changed)``; an error's message indented."""
    if update.status == "error":
        lines = plain(update.message).splitlines() or [update.status]
        return "\n".join([f"{'error':<12} {plain(update.file, one_line=True)}", *(f"{'':13}{x}" for x in lines)])
    target = plain(update.target, one_line=True)
    if update.status == "orphan":
        return f"{'orphan':<12} {target}: {plain(update.message, one_line=True)}"
    kept = (
        f"{update.kept} number{'' if update.kept == 1 else 's'} within tolerance of this run kept as stored"
        if update.kept
        else ""
    )
    if update.status == "updated":
        if update.changed is None:  # a damaged baseline: its numbers could not be read to count
            return f"{'updated':<12} {target} ({plain(update.message, one_line=True)})"
        notes = "".join(f"; {x}" for x in (plain(update.message, one_line=True), kept) if x)
        return f"{'updated':<12} {target} ({update.changed} number{'' if update.changed == 1 else 's'} changed{notes})"
    if update.status == "unchanged" and kept:
        return f"{'unchanged':<12} {target} ({kept})"
    return f"{update.status:<12} {target}"


def new_folder_line(folder: Path) -> str:
    """What ``check --update --baselines DIR`` says when DIR did not exist: it made a new folder (a typo?).

    A folder beside it with a near name is named, as the check names it.
    """
    from simulator.gate.run import near_folder

    shown = plain(str(folder), one_line=True)
    near = near_folder(folder)
    meant = f" (did you mean '{plain(str(near), one_line=True)}'?)" if near else ""
    return (
        f"{'new folder':<12} {shown}: the --baselines folder did not exist and was created; if you meant an existing "
        f"folder{meant}, delete this one and update again with its name"
    )


def update_final_line(updates: list[Update]) -> str:
    """How many baselines were created, updated, left unchanged or kept, or could not be written; orphans apart."""
    counts = Counter(u.status for u in updates)
    total = len(updates) - counts["orphan"]
    done = f"{counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged"
    line = f"{plural(total, 'baseline')}: {done}"
    if counts["kept"]:
        line += f", {counts['kept']} kept (--missing-only)"
    if counts["error"]:
        failed = ", ".join(plain(Path(u.file).name, one_line=True) for u in updates if u.status == "error")
        line += f"; {counts['error']} could not be written ({failed})"
    if counts["orphan"]:
        line += f"; {plural(counts['orphan'], 'baseline')} without scenario (orphan above)"
    return line


# --- files ------------------------------------------------------------------------------------


def append_file(path: Path, text: str) -> None:
    """Append ``text`` to ``path`` (a GitHub job summary collects what every step appends).

    Its folder is created if new, as :func:`simulator.output_folder.write_file` does; which
    files may be appended to: :func:`simulator.output_folder.refuse_to_append`.
    """
    try:
        create_folders(path.parent)
        with path.open("a", encoding="utf-8") as out:
            out.write(text if text.endswith("\n") else text + "\n")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", str(path)) from None
