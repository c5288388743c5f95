"""One scenario against its baseline (studies layer): what moved, and the outcome of a check or update.

Layer: studies.

A check re-runs the scenario and compares every baselined number with
``|now - baseline| <= atol + rtol * |baseline|`` (``numpy.isclose``), both as stored: the
run's numbers are rounded to 12 significant digits as ``--update`` writes them (a baseline
of fewer digits is refused). Curve points are matched by day.
A number on one side only appeared or disappeared (:attr:`Drift.absent`): it is told apart
from the numbers that moved, grouped by the region, material, curve or metric it belongs
to (:func:`absent_groups`), and a group that reappears under another name with the same
values is a rename (not when those values are all zero or null: no evidence; and a region
or material only when the scenario's parts show the one removed and the other added).
Problems with one scenario (invalid file, corrupt baseline, a crash of the run) become
that scenario's outcome, so that they never hide the other scenarios' results.
"""

from __future__ import annotations

import functools
import math
import os
import shlex
import subprocess
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from simulator.errors import InputError, first_and_more, plain
from simulator.gate.baseline import (
    CURVES,
    DIGEST,
    TEXT_PARTS,
    CorruptBaseline,
    EditedBaseline,
    Number,
    baseline_path,
    baseline_text,
    curve_by_day,
    edited_seed,
    foreign,
    inputs_changed,
    part_changes,
    read_baseline,
    run_record,
    same_scenario,
    sealed,
    settle,
)
from simulator.gate.fields import FieldChange, changed_fields
from simulator.gate.formats import minus_one_text
from simulator.gate.git import GIT_SECONDS, git_environment, git_output
from simulator.gate.tolerances import Tolerance, Tolerances
from simulator.json_text import read_json
from simulator.names import plural
from simulator.numeric import DAYS_PER_YEAR
from simulator.output_folder import write_file
from simulator.quantities import DAY_METRICS, NEVER, none_word
from simulator.scenario import load_scenario
from simulator.scenario.strict_yaml import shortened

RECORD_FIELDS = ("package_version", "scenario", "scenario_hash", "scenario_parts", "seed", "significant_digits")
"""Fields of a baseline besides its numbers, named when ``--update`` changes them."""
EDITED_SHOWN = 5
"""Places named where an edited baseline differs from the run now (then how many more)."""
SHORTFALL_FIRST = ("first_shortfall_day", "shortfall_days", "total_shortfall_t", "shortfall_t", "shortfall_cum_t")
"""Among the changes without a relative size (off 0, to or from never), these metrics come first, in this order:
who is newly short and from when, on how many days, how many tonnes (:attr:`Drift.rank`)."""
FAILED = ("drift", "no baseline", "no scenario", "error")
"""Statuses that fail the gate (``ok`` and ``retired`` pass)."""


@dataclass(frozen=True)
class Drift:
    """One number that moved beyond its tolerance."""

    scenario: str
    region: str
    """Region id, or ``all`` for an agreement-wide number."""
    material: str
    """Material id, or ``all`` for a number summed over materials."""
    metric: str
    """Metric name without region and material (``shortfall_t``), or a curve name."""
    baseline: Number
    now: Number
    day: int | None = None
    """Model day of a curve point; None for a summary metric."""
    absent: str = ""
    """Which record lacks the number: ``baseline`` (it appeared), ``now`` (it disappeared), or empty (it moved)."""
    group: str = ""
    """For an absent number, what appeared or disappeared as a whole: ``region korea``, ``material x``,
    ``curve days_of_cover`` or ``metric fairness_jain`` (see :func:`absent_groups`)."""

    @property
    def change(self) -> str:
        """The change in words: absolute and relative.

        >>> Drift("s", "eu", "ree", "shortfall_t", 80.0, 100.0).change
        '+20 (+25.0%)'
        >>> Drift("s", "all", "all", "total_shortfall_t", 5940, 5939).change
        '-1 (-0.017%)'
        >>> [Drift("s", "eu", "ree", "first_shortfall_day", a, b).change for a, b in ((-1, 302), (302, -1), (302, 295))]
        ['now short (never before)', 'no longer short', '7 days earlier']
        >>> [Drift("s", "eu", "ree", "peak_price_day", a, b).change for a, b in ((-1, 302), (302, -1))]
        ['now day 302 (none before)', 'now none (no price)']
        >>> Drift("s", "eu", "ree", "min_days_of_cover_day", 40, -1).change
        'now none (no demand)'
        """
        if self.absent:
            return "appeared" if self.absent == "baseline" else "disappeared"
        if self.baseline is None or self.now is None:
            return (
                "now empty (no finite number: no price, no demand or infinite)"
                if self.now is None
                else "now a number (empty before)"
            )
        if self.metric in DAY_METRICS:
            return _day_change(int(self.baseline), int(self.now), self.metric)
        delta = self.now - self.baseline
        if off_zero(self.baseline):
            return f"{delta:+.6g}"
        percent = 100 * delta / abs(self.baseline)
        return f"{delta:+.6g} ({percent:+.1f}%)" if abs(percent) >= 0.1 else f"{delta:+.6g} ({percent:+.2g}%)"

    @property
    def size(self) -> float:
        """Relative size of the change (infinite when it has none: off 0, or a side missing or empty).

        A number that moves off 0 has no relative change, whatever its unit (USD, tonnes,
        days), so it is infinite, not its absolute change: ``auction_spend_usd`` 0 -> 2e8 does
        not outrank a shortfall 0 -> 244 t (:attr:`rank` orders the infinite ones).
        A day metric's move is measured in years (a day number has no scale of its own: day
        300 is not "three times" day 100); a day to or from -1 (never, none: a region now short,
        or no longer) is infinite, as a number that appeared:

        >>> [Drift("s", "eu", "ree", "first_shortfall_day", a, b).size for a, b in ((100, 465), (-1, 98))]
        [1.0, inf]
        >>> [Drift("s", "eu", "ree", "shortfall_t", a, b).size for a, b in ((80, 100), (0, 1e-5), (100, 0))]
        [0.25, inf, 1.0]
        """
        if self.baseline is None or self.now is None:
            return math.inf
        if self.metric in DAY_METRICS:
            if (self.baseline < 0) != (self.now < 0):
                return math.inf
            return abs(self.now - self.baseline) / DAYS_PER_YEAR
        if off_zero(self.baseline):
            return math.inf
        return abs(self.now - self.baseline) / abs(self.baseline)

    @property
    def rank(self) -> tuple[float, int, float, str, float]:
        """Sort key, largest change first: by :attr:`size`, the infinite ones shortfall metrics first.

        Among the infinite ones (no relative change), the metrics of :data:`SHORTFALL_FIRST` come
        first in its order, then the others by name; a day to or from never by its day, earliest
        first; within one metric (one unit), the largest absolute move first.

        >>> moves = [Drift("s", "eu", m, "first_shortfall_day", -1, day) for m, day in (("a", 304), ("b", 291))]
        >>> [d.material for d in sorted(moves, key=lambda d: d.rank)]
        ['b', 'a']
        >>> off_zero = [Drift("s", "all", "all", m, 0, v) for m, v in (("auction_spend_usd", 2e8),
        ...             ("shortfall_t", 12.3), ("total_shortfall_t", 244.3), ("shortfall_t", 232.0))]
        >>> [(d.metric, d.now) for d in sorted(off_zero, key=lambda d: d.rank)]  # doctest: +NORMALIZE_WHITESPACE
        [('total_shortfall_t', 244.3), ('shortfall_t', 232.0), ('shortfall_t', 12.3),
         ('auction_spend_usd', 200000000.0)]
        """
        day = math.inf
        if self.metric in DAY_METRICS and self.baseline is not None and self.now is not None:
            day = max(self.baseline, self.now)
        moved = abs(self.now - self.baseline) if self.baseline is not None and self.now is not None else math.inf
        first = SHORTFALL_FIRST.index(self.metric) if self.metric in SHORTFALL_FIRST else len(SHORTFALL_FIRST)
        return (-self.size, first, day, self.metric, -moved)


NEAR_ZERO = 1e-9
"""A stored number closer to 0 than this (in the metric's unit: tonnes, days, USD) is 0 for ranking and percentages.

Runs leave residues such as 1.48e-15 days of cover where the value is 0 (a sum of floats); a move
off one is a move off 0, with no relative size, not a change of +2.5e18%."""


def off_zero(baseline: float) -> bool:
    """Whether a move from ``baseline`` is a move off 0 (:data:`NEAR_ZERO`): it has no relative size.

    >>> off_zero(0), off_zero(1.48029736617e-15), off_zero(-3e-10), off_zero(1e-6)
    (True, True, True, False)
    """
    return abs(baseline) < NEAR_ZERO


def _day_change(then: int, now: int, metric: str) -> str:
    """The move of a day metric (-1: never, or none) in words; a percentage of a day number means nothing.

    A first day short says ``now short``/``no longer short``; another day whose -1 means never
    (:data:`~simulator.quantities.NONE_WORDS`) ``never``; a day of lowest cover or peak price
    ``none`` and why.
    """
    if metric == "first_shortfall_day" and (then < 0 or now < 0):
        return "now short (never before)" if then < 0 else "no longer short"
    word = minus_one_text(metric)
    if then < 0:
        return f"now day {now} ({word} before)"
    if now < 0:
        return f"now {word}" if word == NEVER else f"now none ({none_word(metric) or 'no value'})"
    days = abs(now - then)
    return f"{days} day{'s' if days != 1 else ''} {'later' if now > then else 'earlier'}"


@dataclass
class Outcome:
    """The result of checking one scenario (or of a problem that stops the check)."""

    scenario: str
    """The scenario's key (its file's path in the folder checked, without extension; see
    :mod:`~simulator.gate.run`); for a problem of the whole check, the file or option at fault."""
    file: str
    """The scenario file, or the baseline or tolerance file at fault."""
    status: str
    """``ok``, ``drift``, ``no baseline``, ``no scenario`` (an orphan baseline), ``retired`` or ``error``."""
    drifts: list[Drift] = field(default_factory=list)
    message: str = ""
    scenario_changed: bool | None = False
    """The scenario's content differs from the one baselined; None: cannot be told (a format-1 baseline)."""
    seconds: float = 0.0
    start_date: str | None = None
    """ISO date of the scenario's day 0, if it has one."""
    name: str = ""
    """The scenario's ``name:`` (empty when the file could not be read)."""
    part_changes: dict[str, str] | None = None
    """Scenario parts that changed since the baseline, each ``added``, ``removed`` or ``changed``
    (None: the baseline does not say)."""
    edited_fields: dict[str, list[FieldChange]] = field(default_factory=dict)
    """For each ``changed`` part whose values then git's history holds, its fields that changed
    (:func:`~simulator.gate.fields.changed_fields`); a part not here is named alone."""
    seeds: tuple[int, int] | None = None
    """Seed of the baseline and of the run now."""
    versions: tuple[str, str] | None = None
    """Package version that wrote the baseline and the one running now."""
    sealed: bool | None = None
    """Whether the baseline carries the digest of its numbers (None: no baseline was read)."""
    stray: bool = False
    """A file in a baselines folder that is not a baseline (another tool's JSON): an ``error`` of no scenario."""
    update_command: str = ""
    """The command that rewrites this scenario's baseline (``stockpile check --update scenarios/a.yaml``);
    empty where no baseline was compared."""

    @property
    def failed(self) -> bool:
        """Whether this outcome fails the gate."""
        return self.status in FAILED

    @property
    def stale(self) -> bool:
        """A pass whose baseline predates its scenario's edit or the tool version running now: to be recorded.

        Such a baseline still matches (within the tolerances in force), but a later drift would be
        blamed on the edit or on the older version.
        """
        if self.status != "ok":
            return False
        return bool(self.scenario_changed) or bool(self.versions and self.versions[0] != self.versions[1])

    @property
    def inputs_changed(self) -> bool | None:
        """:attr:`scenario_changed`, but False when only parts the run never reads changed (``description``).

        :data:`~simulator.gate.baseline.TEXT_PARTS`; a changed seed is an input.
        """
        if not self.scenario_changed:
            return self.scenario_changed
        if self.seeds and self.seeds[0] != self.seeds[1]:
            return True
        return inputs_changed(self.part_changes)  # True for unknown (None) changes too

    @functools.cached_property
    def absent_groups(self) -> list[Absent]:
        """:func:`absent_groups` of the drifts, with the scenario's part changes (empty when none is absent).

        Worked out once, on first use, for every format to show: an outcome's drifts and part
        changes are not changed once it is made.
        """
        if not any(d.absent for d in self.drifts):
            return []
        return absent_groups(self.drifts, self.part_changes)


@dataclass(frozen=True)
class Update:
    """The result of writing one baseline with ``--update``."""

    file: str
    target: str
    status: str
    """``created``, ``updated``, ``unchanged`` (every number within tolerance of the stored one),
    ``kept`` (``--missing-only`` and the baseline exists), ``orphan`` (a baseline without scenario) or ``error``."""
    message: str = ""
    changed: int | None = 0
    """Numbers (summary metrics and curve points) whose stored value changed (``updated``); None: not known
    (a damaged baseline, whose numbers could not be read)."""
    kept: int = 0
    """Numbers kept as stored although this run's differ (within tolerance: the scenario and version unchanged)."""


def _split(key: str) -> tuple[str, str, str]:
    """``shortfall_t.japan.heavy_ree`` -> (japan, heavy_ree, shortfall_t)."""
    metric, _, rest = key.partition(".")
    region, _, material = rest.partition(".")
    return region or "all", material or "all", metric


def compare(
    name: str,
    baseline: dict[str, Any],
    current: dict[str, Any],
    tolerances: Tolerances,
    scenario: str | None = None,
    also: tuple[str, ...] = (),
) -> list[Drift]:
    """Every baselined number that moved beyond its tolerance (both records validated).

    ``name`` labels the drifts (the file key); it, ``scenario`` (the scenario's ``name:``) and
    ``also`` (the plain key of a file labelled longer: :func:`tolerance_keys`) choose the tolerances.
    """
    labels = (*((name,) if scenario is None else (scenario, name)), *also)

    def moved(key: str, now: Number, then: Number) -> bool:
        # both records hold numbers as stored (12 significant digits; a baseline of fewer is refused)
        return not tolerances.for_metric(labels, key).accepts(key, now, then)

    wholes = _wholes(baseline, current)
    drifts: list[Drift] = []
    for key in sorted(set(baseline["metrics"]) | set(current["metrics"])):
        then, now = baseline["metrics"].get(key), current["metrics"].get(key)
        if moved(key, now, then):
            absent = _absent(key in baseline["metrics"], key in current["metrics"])
            drift = Drift(name, *_split(key), then, now, None, absent)
            drifts.append(_grouped(drift, wholes))
    for curve in CURVES:
        cells = set(baseline["curves"].get(curve, {})) | set(current["curves"].get(curve, {}))
        for cell in sorted(cells):
            region, _, material = cell.partition(".")
            old, new = curve_by_day(baseline, curve, cell), curve_by_day(current, curve, cell)
            for day in sorted(set(old) | set(new)):
                then, now = old.get(day), new.get(day)
                if moved(curve, now, then):
                    drift = Drift(name, region, material, curve, then, now, day, _absent(day in old, day in new))
                    drifts.append(_grouped(drift, wholes))
    return drifts


def _absent(in_baseline: bool, in_now: bool) -> str:
    return "" if in_baseline and in_now else "baseline" if not in_baseline else "now"


def _places(record: dict[str, Any]) -> tuple[set[str], set[str], set[str]]:
    """The regions, materials and curves that a (validated) record has numbers for."""
    regions, materials = set(), set()
    for key in record["metrics"]:
        region, material, _metric = _split(key)
        regions.add(region)
        materials.add(material)
    curves = {curve for curve in CURVES if record["curves"].get(curve)}
    for curve in curves:
        for cell in record["curves"][curve]:
            region, _, material = cell.partition(".")
            regions.add(region)
            materials.add(material)
    return regions - {"all"}, materials - {"all"}, curves


def _wholes(baseline: dict[str, Any], current: dict[str, Any]) -> dict[str, tuple[set[Any], ...]]:
    """The regions, materials and curves that only one side has, keyed by the side that lacks them.

    ``baseline``: they appeared; ``now``: they disappeared.
    """
    before, after = _places(baseline), _places(current)
    days_before, days_after = ({int(d) for d in r["curves"]["days"]["sampled"]} for r in (baseline, current))
    return {
        "baseline": (*(a - b for a, b in zip(after, before, strict=True)), days_after - days_before),
        "now": (*(b - a for a, b in zip(after, before, strict=True)), days_before - days_after),
    }


def _grouped(drift: Drift, wholes: dict[str, tuple[set[Any], ...]]) -> Drift:
    """``drift`` with its group when it is absent on one side.

    The group is the whole region, material or curve that only the other side has, the days that
    only the other side samples (``days``: a longer or shorter horizon), else its metric (or the
    curve of its region and material).
    """
    if not drift.absent:
        return drift
    regions, materials, curves, days = wholes[drift.absent]
    if drift.day is not None and drift.day in days:
        group = "days"
    elif drift.region in regions:
        group = f"region {drift.region}"
    elif drift.material in materials:
        group = f"material {drift.material}"
    elif drift.day is not None:
        group = (
            f"curve {drift.metric}"
            if drift.metric in curves
            else f"curve {drift.metric} of {drift.region}/{drift.material}"
        )
    else:
        group = f"metric {drift.metric}"
    return replace(drift, group=group)


@dataclass(frozen=True)
class Absent:
    """Numbers that appeared or disappeared together.

    A region, material, curve or metric added, removed, or renamed with its values unchanged.
    """

    kind: str
    """``region``, ``material``, ``curve``, ``metric`` or ``sampled days`` (of every curve)."""
    name: str
    """Its name; for a rename, ``old -> new``."""
    change: str
    """``added``, ``removed`` or ``renamed``."""
    metrics: int
    """Summary metrics among the numbers."""
    points: int
    """Curve points among the numbers."""

    @property
    def counts(self) -> str:
        """``25 metrics, 20 curve points``."""
        counts = ((self.metrics, "metric"), (self.points, "curve point"))
        return ", ".join(plural(n, what) for n, what in counts if n)

    def __str__(self) -> str:
        """``region korea added (25 metrics, 20 curve points)``; a rename: ``region renamed eu -> europe, ...``."""
        if self.change == "renamed":
            return f"{self.kind} renamed {self.name}, values unchanged ({self.counts})"
        return f"{self.kind} {self.name} {self.change} ({self.counts})"


def absent_groups(drifts: list[Drift], parts: dict[str, str] | None = None) -> list[Absent]:
    """The numbers that appeared or disappeared, one entry per region, material, curve or metric.

    A region (or material, curve, metric) that disappeared while another appeared with every
    number the same under the new name is one ``renamed`` entry, provided that:

    - its numbers are not all zero, null or "never" (-1 for a day): many metrics are 0 in every
      cell, and two such groups agree without being the same thing (:func:`_blank`);
    - for a region or material, the scenario's parts (``parts``: :attr:`Outcome.part_changes`)
      show the old one removed and the new one added (``regions.eu`` removed,
      ``regions.europe`` added); without them (None: the baseline does not say) it is not a rename.
    """
    sides: dict[str, dict[str, list[Drift]]] = {"now": {}, "baseline": {}}
    for d in drifts:
        if d.absent:
            sides[d.absent].setdefault(d.group, []).append(d)
    gone, new = sides["now"], sides["baseline"]
    found: list[Absent] = []
    for group, removed in list(gone.items()):
        kind, _, old_name = group.partition(" ")
        if " " in old_name or kind == "days" or _blank(removed, "baseline"):
            continue
        signature = {_identity(d, kind): d for d in removed}
        for other, added in new.items():
            other_kind, _, new_name = other.partition(" ")
            if (
                other_kind == kind
                and " " not in new_name
                and not _blank(added, "now")
                and _parts_renamed(kind, old_name, new_name, parts)
                and _same(signature, {_identity(d, kind): d for d in added})
            ):
                found.append(Absent(kind, f"{old_name} -> {new_name}", "renamed", *_counts(added)))
                del gone[group], new[other]
                break
    for change, groups in (("removed", gone), ("added", new)):
        for group, numbers in groups.items():
            kind, _, name = group.partition(" ")
            if kind == "days":
                kind, name = "sampled days", _day_span(sorted({d.day for d in numbers if d.day is not None}))
            found.append(Absent(kind, name, change, *_counts(numbers)))
    return found


def _blank(numbers: list[Drift], side: str) -> bool:
    """Whether every number of a group on ``side`` (``baseline`` or ``now``) is 0, null, or -1 ("never") for a day.

    Such a group says nothing of what it measures: it cannot show that another is the same thing renamed.
    """

    def blank(d: Drift) -> bool:
        value = getattr(d, side)
        return value is None or value == 0 or (d.metric in DAY_METRICS and d.day is None and value < 0)

    return all(blank(d) for d in numbers)


def _parts_renamed(kind: str, old: str, new: str, parts: dict[str, str] | None) -> bool:
    """Whether the scenario's parts allow ``old`` to be renamed ``new``.

    A region or material must be a removed part and the other an added one (``regions.eu``
    removed, ``regions.europe`` added); a curve or metric is the code's, not the scenario's.
    """
    if kind not in ("region", "material"):
        return True
    return parts is not None and parts.get(f"{kind}s.{old}") == "removed" and parts.get(f"{kind}s.{new}") == "added"


def _same(old: dict[tuple[Any, ...], Drift], new: dict[tuple[Any, ...], Drift]) -> bool:
    """Whether two groups hold the same numbers at the same places, within the default tolerances.

    ``old``'s numbers are its baselines', ``new``'s those of the run now; a day compares as a day
    (by the old number's metric). (A baseline may keep a number within tolerance of the run's:
    :func:`~simulator.gate.baseline.settle`.)
    """
    default = Tolerance()
    return old.keys() == new.keys() and all(
        default.accepts(old[place].metric, new[place].now, old[place].baseline) for place in old
    )


def _day_span(days: list[int]) -> str:
    """``56, 59``; ``63 to 728`` for more than three days."""
    return ", ".join(map(str, days)) if len(days) <= 3 else f"{days[0]} to {days[-1]}"


def _identity(d: Drift, kind: str) -> tuple[Any, ...]:
    """A number's place without the name of its group (so that the same number under a new name matches)."""
    place = {"region": (d.metric, d.material), "material": (d.metric, d.region)}.get(kind, (d.region, d.material))
    return (*place, d.day)


def _counts(numbers: list[Drift]) -> tuple[int, int]:
    points = sum(d.day is not None for d in numbers)
    return len(numbers) - points, points


def file_key(path: Path, keys: dict[Path, str] | None) -> str:
    """The label of a scenario file: its key under the folder checked (``eu/embargo``), else its stem."""
    return (keys or {}).get(path, path.stem)


def tolerance_keys(path: Path, keys: dict[Path, str] | None, plain_keys: dict[Path, str] | None) -> tuple[str, ...]:
    """The keys a ``scenarios:`` pattern of ``tolerances.yaml`` may name for a file: its label, and its plain key.

    Two files that share a key (``eu/dup.yaml`` and ``jp/dup.yaml`` named alone: ``dup``) are
    labelled longer (``eu/dup``, ``jp/dup``); a pattern naming ``dup`` still applies to both.

    >>> tolerance_keys(Path("x/eu/dup.yaml"), {Path("x/eu/dup.yaml"): "eu/dup"}, {Path("x/eu/dup.yaml"): "dup"})
    ('eu/dup', 'dup')
    >>> tolerance_keys(Path("x/a.yaml"), None, None)
    ('a',)
    """
    label, plain = file_key(path, keys), file_key(path, plain_keys)
    return (label,) if plain == label or path not in (plain_keys or {}) else (label, plain)


def check_one(
    path: Path,
    baselines: Path | None,
    tolerances: Tolerances,
    keys: dict[Path, str] | None = None,
    plain_keys: dict[Path, str] | None = None,
    histories: dict[Path, History] | None = None,
) -> Outcome:
    """Re-run one scenario and compare it with its baseline (problems become outcomes).

    ``keys`` gives the label of each file (its stem when not there); ``plain_keys`` the plain key of
    a file labelled longer, which tolerance patterns may name too (:func:`tolerance_keys`);
    ``histories`` what git knows of the missing baselines (:func:`git_histories`; None: looked up here).
    """
    started = time.perf_counter()
    key = file_key(path, keys)
    target = baseline_path(path, baselines)
    try:
        scenario = load_scenario(path)
    except InputError as exc:
        return Outcome(key, str(path), "error", message=exc.render())
    start = scenario.start_date.isoformat() if scenario.start_date else None

    def outcome(status: str, **fields: Any) -> Outcome:
        seconds = time.perf_counter() - started
        return Outcome(key, str(path), status, seconds=seconds, start_date=start, name=scenario.name, **fields)

    if not target.exists() and os.path.lexists(target):  # a link to nothing: --update would not write there
        return outcome(
            "error", message=f"{_shown(target)}: a symbolic link to nothing; move it away to write the baseline there"
        )
    if os.path.lexists(target.parent) and not target.parent.is_dir():  # --update could not write there either
        what = "a symbolic link to nothing" if not target.parent.exists() else "a file"
        return outcome(
            "error",
            message=f"{_shown(target.parent)} is {what}, not a folder of baselines: move it away to write baselines "
            "there",
        )
    option = f"--baselines {_pasted(baselines)} " if baselines is not None else ""
    if not target.exists():
        history = histories.get(target) if histories is not None else None
        return outcome("no baseline", message=no_baseline(target, path, option, history))
    try:
        try:
            baseline = read_baseline(target)
        except EditedBaseline as exc:
            return outcome("error", message=_edited(exc, target, scenario, path, option, tolerances))
        except CorruptBaseline as exc:
            return outcome("error", message=_corrupt(exc, target, path, option))
        if baseline["scenario"] != scenario.name:  # its numbers say nothing about this scenario
            return outcome("error", message=other_scenario(target, baseline["scenario"], path, scenario.name, option))
        current = run_record(scenario)
    except InputError as exc:
        return outcome("error", message=exc.render())
    except Exception as exc:  # a crash in one scenario must not hide the others' results
        return outcome("error", message=f"the run failed: {exc!r}")
    same = same_scenario(baseline, current, scenario)
    if seed := edited_seed(baseline, current, same):  # the digest covers the numbers, not the seed
        return outcome(
            "error",
            message=f"{_shown(target)}: baseline edited since it was written: {seed}: restore it from version "
            f"control, or rewrite it with stockpile check --update {option}{_pasted(path)}",
        )
    also = tolerance_keys(path, keys, plain_keys)[1:]
    drifts = compare(key, baseline, current, tolerances, scenario.name, also)
    changed = None if same is None else not same
    parts = part_changes(baseline, current) if changed else ({} if changed is False else None)
    edited = changed_fields(path, baseline.get("scenario_parts") or {}, scenario, parts) if parts else {}
    return outcome(
        "drift" if drifts else "ok",
        drifts=drifts,
        scenario_changed=changed,
        part_changes=parts,
        edited_fields=edited,
        seeds=(baseline["seed"], current["seed"]),
        versions=(baseline["package_version"], current["package_version"]),
        sealed=DIGEST in baseline,
        update_command=f"stockpile check --update {option}{_pasted(path)}",
    )


def no_baseline(target: Path, path: Path, option: str = "", history: History | None = None) -> str:
    """Why a scenario without a baseline fails, and what to do: restore a deleted baseline, or write a new one.

    ``history`` is what git knows of ``target`` (:func:`git_histories`; looked up here when None).
    Where git's history holds the file, the message gives the command that restores it, which works
    whether or not the deletion is committed; writing a new baseline comes last, as it would hide the
    deletion. A work tree whose whole history lacks the file has a new scenario. A shallow clone
    (``actions/checkout``'s depth 1) cannot tell, as its first commit shows no deletion: the message
    says so and how to fetch the whole history. Every git command is
    given with ``git -C <work tree>`` and a path in it, so it works from any folder. Without git,
    writing a new baseline comes first:

    >>> print(no_baseline(Path("/nowhere/s/baselines/a.json"), Path("/nowhere/s/a.yaml")))
    no baseline at /nowhere/s/baselines/a.json: for a new scenario, write it with stockpile check --update \
/nowhere/s/a.yaml; if a baseline was deleted, restore it from your copy instead (no git history could be read here; \
an update would hide the deletion)
    """
    found = history if history is not None else git_histories([target]).get(target, History())
    update = f"stockpile check --update {option}{_pasted(path)}"
    keep = f"only for a scenario that needs a new baseline, write one from this run with {update} (for a deleted "
    keep += "baseline that would hide the deletion)"
    git = f"git -C {_pasted(found.top)}"
    where = _pasted(found.relative)
    unshallow = f"{git} fetch --unshallow (with actions/checkout: fetch-depth: 0)"
    if found.commit:
        return (
            f"no baseline at {_shown(target)}: deleted; git commit {found.commit} has it: restore it with "
            f"{git} checkout {found.commit} -- {where}; {keep}"
        )
    if found.complete:
        return f"no baseline at {_shown(target)}, nor in the git history (a new scenario): write it with {update}"
    if found.top:  # a shallow clone whose history holds nothing of the file
        return (
            f"no baseline at {_shown(target)}, and this is a shallow clone, whose cut history cannot tell whether it "
            f"was deleted (a deletion in its first commit does not show): fetch the whole history with {unshallow} "
            f"and check again, to be told the commit to restore it from; {keep}"
        )
    return (
        f"no baseline at {_shown(target)}: for a new scenario, write it with {update}; if a baseline was deleted, "
        "restore it from your copy instead (no git history could be read here; an update would hide the deletion)"
    )


@dataclass(frozen=True)
class History:
    """What git knows of a missing baseline (all empty: not in a git work tree, or no git)."""

    top: str = ""
    """The top of the git work tree holding the file."""
    relative: str = ""
    """The file's path in that work tree."""
    complete: bool = False
    """The work tree's whole history is here (not a shallow clone): a file it never held is new."""
    commit: str = ""
    """The last commit of the checked-out history whose tree holds the file (abbreviated), or empty."""


def git_histories(targets: list[Path]) -> dict[Path, History]:
    """What git knows of each missing baseline in ``targets``, in a bounded number of git commands.

    One ``rev-parse`` per folder that holds them, then per work tree one ``git log`` of all its
    missing files at once (it stops once each is found, else reads the history once) and one
    ``cat-file --batch-check`` to tell which commit still holds each: a check of many new
    scenarios walks a long history once, not once per scenario.
    """
    histories: dict[Path, History] = {}
    trees: dict[tuple[str, bool], dict[str, Path]] = {}
    folders: dict[Path, tuple[str, bool] | None] = {}
    for target in targets:
        folder = next((p for p in (target.parent, *target.parent.parents) if p.is_dir()), None)
        if folder is None:
            continue
        if folder not in folders:
            said = git_output(folder, "rev-parse", "--show-toplevel", "--is-shallow-repository")
            lines = said.splitlines() if said else []
            folders[folder] = (lines[0], lines[1] == "false") if len(lines) == 2 else None
        tree = folders[folder]
        if tree is None:
            continue
        real = Path(os.path.realpath(folder), os.path.relpath(target, folder))
        try:
            relative = real.relative_to(tree[0]).as_posix()
        except ValueError:
            continue
        trees.setdefault(tree, {})[relative] = target
        histories[target] = History(tree[0], relative, tree[1])
    for (top, _complete), files in trees.items():
        found = _last_commits(top, list(files))
        for relative, target in files.items():
            if found is None:  # git failed or took too long: its history is not known
                histories[target] = History()
            elif relative in found:
                histories[target] = replace(histories[target], commit=found[relative][:12])
    return histories


def _last_commits(top: str, files: list[str]) -> dict[str, str] | None:
    """``file -> the last commit that holds it``.

    The last commit that touched the file holds it (changed in it, deleted since in the work tree) or
    deleted it (then its first parent holds it). Files no commit holds are left out. None when
    git fails or takes over :data:`GIT_SECONDS`.
    """
    files = [f for f in files if "\n" not in f]  # cat-file reads a name a line: such a file is left out
    try:
        process = subprocess.Popen(
            [
                "git",
                "--literal-pathspecs",
                "-C",
                top,
                "log",
                "--no-renames",
                "-z",
                "--name-only",
                "--format=%x01%H%x00%P",
                "--",
                *files,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=git_environment(),  # as every git command of the gate: not a hook's repository
        )
    except OSError:
        return None
    last: dict[str, tuple[str, str]] = {}
    buffer = b""
    expired = threading.Event()

    def stop() -> None:  # a walk of the history that takes too long ends
        expired.set()
        process.kill()

    timer = threading.Timer(GIT_SECONDS, stop)
    timer.start()
    try:
        while len(last) < len(files) and process.stdout is not None:
            chunk = process.stdout.read1(1 << 16)
            buffer += chunk
            records = buffer.split(b"\x01")
            buffer = records.pop() if chunk else b""  # the last record may be cut, until the output ends
            for record in records:
                commit, parents, names = [*record.decode("utf-8", "surrogateescape").split("\0", 2), "", ""][:3]
                for name in names.removeprefix("\n").split("\0"):
                    if name in files and name not in last:
                        last[name] = (commit, parents.split(" ")[0])
            if not chunk:
                break
    finally:
        timer.cancel()
        failed = process.poll() not in (None, 0)  # git refused (a repository without commits yet: nothing held)
        process.kill()  # every file found: the rest of the history is not read
        process.wait()
    if expired.is_set():
        return None
    if failed:
        return {}
    if not last:
        return {}
    asked = [(name, rev) for name, (commit, parent) in last.items() for rev in (commit, parent) if rev]
    said = git_output(top, "cat-file", "--batch-check", text_in="".join(f"{c}:{name}\n" for name, c in asked))
    if said is None or len(said.splitlines()) != len(asked):
        return None
    held = {pair for pair, line in zip(asked, said.splitlines(), strict=True) if not line.endswith(" missing")}
    found = {}
    for name, (commit, parent) in last.items():
        holder = next((c for c in (commit, parent) if c and (name, c) in held), "")
        if holder:
            found[name] = holder
    return found


def _edited(exc: EditedBaseline, target: Path, scenario: Any, path: Path, option: str, tolerances: Tolerances) -> str:
    """The message of an edited baseline: where it differs from the run now (the likely edit), and what to do."""
    try:
        current = run_record(scenario)
        baseline = read_json(target.read_text(encoding="utf-8"))
        places = _differences(baseline, current, tolerances, scenario.name)
        read = [part for part in part_changes(baseline, current) or {} if part not in TEXT_PARTS]
    except Exception:  # the message is what matters: the run's own failure is reported once the file is restored
        places, read = [], []
    where = ""
    if places:
        where = "; it differs from this run at " + first_and_more(places, EDITED_SHOWN)
    if places and read:  # the scenario's edit moved numbers too: a difference need not be the baseline's edit
        parts = first_and_more(read, EDITED_SHOWN)
        where += f" (the scenario changed since its baseline too, at {parts}: not every difference is the edit)"
    return (
        f"{exc.render()}{where}: restore it from version control, or rewrite it with "
        f"stockpile check --update {option}{_pasted(path)}"
    )


def _corrupt(exc: CorruptBaseline, target: Path, path: Path, option: str) -> str:
    """The message of a corrupt baseline, with what to do (unless it says already).

    ``--update`` rewrites a damaged baseline that still names its format; anything else there it
    leaves alone (:func:`~simulator.gate.baseline.foreign`), so that must be deleted first.
    """
    message = exc.render()
    if "stockpile check --update" in message:  # a merge's conflict markers, too few digits
        return message
    rewrite = "rewrite it" if foreign(target) is None else "delete it and write it anew"
    return (
        f"{message}: restore it from version control, or {rewrite} with "
        f"stockpile check --update {option}{_pasted(path)}"
    )


def _differences(baseline: dict[str, Any], current: dict[str, Any], tolerances: Tolerances, name: str) -> list[str]:
    """The fields of a baseline whose numbers differ from a run's beyond the tolerances, as paths in its file.

    ``metrics.fairness_jain (missing)``, ``metrics.x (not in this run)``, ``metrics.y (0.5, this run 0.6)``,
    ``curves.days_of_cover (missing)``, ``curves.shortfall_cum_t.eu.ree``.
    """
    places: dict[str, None] = {}
    for d in compare("", baseline, current, tolerances, name):
        if d.day is None:
            key = ".".join([d.metric, *(part for part in (d.region, d.material) if part != "all")])
            if d.absent:
                places[f"metrics.{key} ({'missing' if d.absent == 'baseline' else 'not in this run'})"] = None
            else:
                places[f"metrics.{key} ({_number(d.baseline)}, this run {_number(d.now)})"] = None
        elif d.group == f"curve {d.metric}":
            places[f"curves.{d.metric} ({'missing' if d.absent == 'baseline' else 'not in this run'})"] = None
        else:
            places[f"curves.{d.metric}.{d.region}.{d.material}"] = None
    return list(places)


def _number(value: Any) -> str:
    return "null" if value is None else f"{value:.12g}"


def _shown(path: Path | str) -> str:
    """A path in a message, on one line (a file's name may hold a newline; no line of it may start a CI command)."""
    return plain(str(path), one_line=True)


def _pasted(path: Path | str) -> str:
    """A path in a command to paste into a shell: shown (:func:`_shown`) and quoted."""
    return shlex.quote(_shown(path))


def other_scenario(target: Path, recorded: str, path: Path, name: str, option: str = "") -> str:
    """Why the baseline at ``target``, recorded for the scenario named ``recorded``, cannot check ``path`` (``name``).

    A baseline copied from another scenario, or found in the wrong ``--baselines`` folder,
    would otherwise pass whenever the two scenarios' numbers agree.

    >>> print(other_scenario(Path("b/pair.json"), "pair", Path("twin_pair.yaml"), "twin_pair"))
    b/pair.json: scenario: the baseline of scenario 'pair', not of 'twin_pair' (name: in twin_pair.yaml): \
a baseline copied from another scenario, or the wrong --baselines folder? If the name was changed on purpose, \
rewrite the baseline: stockpile check --update twin_pair.yaml
    """
    shown = shortened(plain(recorded, one_line=True), 80)  # from the file: one line, no line of it a CI command
    return (
        f"{_shown(target)}: scenario: the baseline of scenario '{shown}', not of '{name}' (name: in {_shown(path)}): "
        "a baseline copied from another scenario, or the wrong --baselines folder? If the name was changed on purpose, "
        f"rewrite the baseline: stockpile check --update {option}{_pasted(path)}"
    )


def update_one(
    path: Path,
    baselines: Path | None,
    tolerances: Tolerances,
    missing_only: bool = False,
    keys: dict[Path, str] | None = None,
    plain_keys: dict[Path, str] | None = None,
) -> Update:
    """Write (or rewrite) the baseline of one scenario, keeping numbers the check would accept.

    ``keys`` gives the file key of each file (its stem when not there), ``plain_keys`` the plain key
    of a file labelled longer, for the tolerances (:func:`tolerance_keys`).

    A corrupt baseline is replaced, a file that is not a baseline is left alone
    (:func:`~simulator.gate.baseline.foreign`); problems become the update's outcome.
    With ``missing_only``, an existing baseline is kept as it is (not even read).
    """
    target = baseline_path(path, baselines)
    if found := foreign(target):
        return Update(
            str(path),
            str(target),
            "error",
            f"{_shown(target)}: {found.message}; move it away to write the baseline there",
        )
    if missing_only and target.exists():
        return Update(str(path), str(target), "kept")
    try:
        scenario = load_scenario(path)
        new = run_record(scenario)
    except InputError as exc:
        return Update(str(path), str(target), "error", exc.render())
    except Exception as exc:  # one crash must not stop the other baselines being written
        return Update(str(path), str(target), "error", f"the run failed: {exc!r}")
    damaged, edited = "", None
    try:
        old = read_baseline(target) if target.exists() else None
    except EditedBaseline:
        old, damaged = None, "a baseline edited since it was written replaced"
        edited = read_baseline(target, digest=False)  # its numbers, to count those put back
    except InputError:
        old, damaged = None, "a damaged baseline replaced"

    def same(key: str, now: Number, then: Number) -> bool:
        labels = (scenario.name, *tolerance_keys(path, keys, plain_keys))
        return tolerances.for_metric(labels, key).accepts(key, now, then)

    # Stored numbers within tolerance are kept only where nothing moved them: the same scenario run by
    # the same version (a last-digit difference of another machine). After an edit of the scenario or a
    # new version, a kept number would be an old run's beside the new hash, and a tighter check would
    # later blame the code for it: the run is then recorded as it is.
    unmoved = old is not None and same_scenario(old, new, scenario) is True
    unmoved = unmoved and old is not None and old["package_version"] == new["package_version"]
    record = sealed(settle(new, old, same) if unmoved else new)
    kept = changed_numbers(new, record) if unmoved else 0  # stored numbers that are not this run's
    text = baseline_text(record)
    try:
        existed = target.exists()
        if existed and target.read_text(encoding="utf-8") == text:
            return Update(str(path), str(target), "unchanged", kept=kept)
        write_file(target, text, what="the baseline")  # whole or not at all
    except (OSError, UnicodeDecodeError, InputError) as exc:
        message = exc.render() if isinstance(exc, InputError) else f"{_shown(target)}: cannot write: {exc}"
        return Update(str(path), str(target), "error", message)
    if not existed:
        return Update(str(path), str(target), "created")
    if old is None:
        counted = None if edited is None else changed_numbers(edited, record)
        return Update(str(path), str(target), "updated", damaged, counted)
    fields = [key for key in RECORD_FIELDS if old.get(key) != record.get(key)]
    fields += [f"{DIGEST} added"] if DIGEST not in old else []
    return Update(str(path), str(target), "updated", ", ".join(fields), changed_numbers(old, record), kept)


def changed_numbers(old: dict[str, Any], new: dict[str, Any]) -> int:
    """How many summary metrics and curve points differ between two records (added and removed ones count).

    The drifts of :func:`compare` at zero tolerance.
    """
    return len(compare("", old, new, Tolerances(Tolerance(0.0, 0.0))))
