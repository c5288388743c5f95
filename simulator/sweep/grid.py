"""Sweep grids: parsing ``--grid PATH=SPEC`` and sweep files, and expanding points.

Layer: studies.

A SPEC is ``start:stop:step`` (``stop`` included when it falls on the grid, computed
in decimal so that ``0:1:0.1`` has exactly 11 points 0, 0.1, ..., 1), a comma list
(``fair_ratio,auction``; items read as YAML scalars) or a single value. Several
``--grid`` options form the full cross product, the first varying slowest.

An axis of more values than a grid may have points (``max_values``, by default
:data:`MAX_POINTS`) is refused from its SPEC alone, before any value is made: a range
like ``0:1:1e-12`` costs nothing to refuse.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, DecimalException, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from simulator.arguments import refuse_keys_not_paths
from simulator.errors import InputError, Problem, setting
from simulator.library import resolve_scenario, why_missing
from simulator.scenario.load import named_path, read_yaml_and_text, refuse_file_followed_by_slash
from simulator.scenario.overrides import ECHO_WIDTH, overlap_relation, ratio_member, shown
from simulator.scenario.schema import MAX_SEED
from simulator.scenario.strict_yaml import load_yaml

MAX_POINTS = 100_000
"""Largest grid a sweep accepts unless told otherwise (``--max-points``)."""


@dataclass(frozen=True)
class Axis:
    """One swept path and its values."""

    path: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class SweepSpec:
    """What to sweep: axes, replicates per point, root seed and fixed overrides."""

    axes: tuple[Axis, ...]
    runs: int = 1
    seed: int | None = None
    fixed: tuple[tuple[str, Any], ...] = field(default_factory=tuple)

    @property
    def paths(self) -> list[str]:
        """The swept paths, one per axis in the axes' order (a path given as two axes is there twice)."""
        return [axis.path for axis in self.axes]

    def repeated_paths(self) -> list[str]:
        """Paths given as more than one axis (each once, in the axes' order): a sweep refuses them."""
        paths = self.paths
        return list(dict.fromkeys(p for p in paths if paths.count(p) > 1))

    def values_twice(self) -> list[str]:
        """Paths of the axes that give a value more than once (a point would run twice)."""
        return [a.path for a in self.axes if len({repr(v) for v in a.values}) < len(a.values)]

    def mixed_dates(self) -> list[Problem]:
        """A problem per axis that mixes dates with other values (:func:`mixed_dates`), named ``grid['PATH']``."""
        return [
            Problem(setting("grid", axis.path), message)
            for axis in self.axes
            if (message := mixed_dates(axis.values)) is not None
        ]

    def seed_swept(self, named: str) -> Problem | None:
        """A problem when ``seed`` is an axis (named ``named``: ``--grid seed``), else None.

        Each run's seed comes from the root seed and the run's number; a ``seed`` axis
        would also clash with the table's ``seed`` column.
        """
        if not any(axis.path == "seed" for axis in self.axes):
            return None
        return Problem(
            named,
            f"the seed cannot be swept: each run's seed comes from the root seed ({setting('seed')}) and "
            f"its run number ({setting('runs')} N gives N seeds per point)",
        )

    def fixed_and_swept(self, option: str = "grid", data: Any = None) -> list[Problem]:
        """The problems of values no run would use, axes named ``option``.

        Fixed values on swept paths (:func:`fixed_and_varied`), then axes that overlap one
        another (:func:`overlapping_axes`).
        """
        swept = self.paths
        return fixed_and_varied([path for path, _ in self.fixed], swept, option, data) + overlapping_axes(
            swept, option, data
        )

    def points(self) -> list[dict[str, Any]]:
        """Every grid point as ``{path: value}``, first axis slowest."""
        if not self.axes:
            return [{}]
        paths = self.paths
        return [dict(zip(paths, combo, strict=True)) for combo in itertools.product(*(a.values for a in self.axes))]


def fixed_and_varied(
    fixed: Iterable[str],
    varied: Iterable[str],
    option: str | None = "grid",
    data: Any = None,
    narrow: bool = True,
    file_key: str | None = None,
    file_varied: Collection[str] = (),
) -> list[Problem]:
    """Why fixed values (``--set``) cannot go with the paths a study varies, one problem per fixed path; else [].

    The one rule of sweeps, the explorer and sensitivity studies: a fixed path that is,
    contains or lies inside a varied path is refused, since each run's varied value would
    replace the fixed one (or the whole value around it), and the record would show a fixed
    value that no run used; so is a stock's ``days`` fixed and its ``tonnes`` varied, or the
    other way round, since setting one removes the other
    (:data:`~simulator.scenario.overrides.EXCLUSIVE_SIBLINGS`). A fixed value that contains
    a varied path is advised to be set field by field, since the rest of it would be used.
    Agreement ratios are refused fixed and varied alike on different members too: the
    varied one would rescale the fixed one (given all as axes, or all fixed, the members
    not given are rescaled once). ``option`` names the varied
    paths' setting (``grid``, ``axis``, ``input``; None: the scenario's ``uncertain:`` entries);
    with ``data`` (the scenario's), list items given by position and by id are matched.
    ``narrow`` False: the command has no ``--input`` to vary only some entries (``run
    --uncertainty``), so the advice for an ``uncertain:`` entry does not offer one.
    ``file_key`` (``set``): the fixed values are a file's entries under that key, each named
    ``set.PATH`` and the whole ``set:``; None: the ``--set`` option's. ``file_varied``: the
    varied paths that are the same file's entries under the key the option is named by (a
    sweep file's ``grid:``), each named ``grid.PATH`` and the whole ``grid:``; the others are
    the option's.

    >>> from simulator.errors import worded
    >>> for p in fixed_and_varied(["a.b", "a.b.c.d", "x"], ["a.b.c", "x"]):
    ...     print(worded(p.render(None), python=False))
    --set a.b: contains a path varied by --grid a.b.c: each run would use the value --grid gives there, not the fixed one; to keep the rest of the value, set its other fields one by one (--set a.b.FIELD=VALUE, each FIELD but c) and leave c to --grid
    --set a.b.c.d: lies inside a path varied by --grid a.b.c: each run would replace the whole value there, the fixed one with it; give the path to --set or to --grid, not both
    --set x: the same path is varied by --grid x: each run would use the value --grid gives, not the fixed one; give the path to --set or to --grid, not both
    """  # noqa: E501
    fixed, varied = list(fixed), list(varied)
    named = (lambda path: path) if data is None else (lambda path: named_path(path, data))
    file_varied = set(file_varied)
    given = setting("set") if file_key is None else f"{file_key}:"  # where the fixed values were given
    key = (lambda path: setting("set", path)) if file_key is None else (lambda path: f"{file_key}.{path}")

    def varied_by(other: str) -> tuple[str, str]:
        """Where ``other`` is varied, and the whole setting varying it (``--grid x``, ``--grid``)."""
        if option is None:
            return f"the uncertain: entry on {other}", "the entry"
        if other in file_varied:  # the file's own grid: key, not an option the user gave
            return f"{option}.{other}", f"{option}:"
        return setting(option, other), setting(option)

    def remedy(by: str) -> str:
        if option is not None:
            return f"give the path to {given} or to {by}, not both"
        if narrow:
            return f"drop it, or vary only the other inputs ({setting('input')} PATH)"
        return "drop it, or drop the entry from the scenario's uncertain: block"

    problems = []
    for path in fixed:
        for other in varied:
            relation = overlap_relation(named(path), named(other))
            if relation is None:
                continue
            where, by = varied_by(other)
            what = {
                "is": f"the same path is varied by {where}: each run would use the value {by} gives, not the fixed one",
                "sibling": f"the stock's other unit is varied by {where}: a stock has one unit, so each run would "
                f"drop the fixed value for the one {by} gives",
                "contains": f"contains a path varied by {where}: each run would use the value {by} gives there, "
                "not the fixed one",
                "lies inside": f"lies inside a path varied by {where}: each run would replace the whole value there, "
                "the fixed one with it",
            }[relation]
            advice = remedy(by)
            if relation == "sibling" and option is not None:  # two paths: the one thing given both ways is the stock
                advice = f"give the stock's size to {given} or to {by}, not both"
            if relation == "contains":  # the rest of the value set would be used: dropping the --set would lose it
                rest = named(other)[len(named(path)) + 1 :]  # the varied path below the fixed one
                middle, _, field = rest.rpartition(".")
                example = ".".join(part for part in (path, middle, "FIELD") if part)
                # as the fixed value was given: a key of the file's block (set.a.b.FIELD: VALUE), or the option
                one = f"{key(example)}: VALUE" if file_key is not None else f"{setting('set', example)}=VALUE"
                advice = (
                    f"to keep the rest of the value, set its other fields one by one "
                    f"({one}, each FIELD but {field}) and leave {rest} to {by}"
                )
                if option is None:
                    advice += ", or " + remedy(by).removeprefix("drop it, or ")
            problems.append(Problem(key(path), f"{what}; {advice}"))
            break
    ratios = [path for path in fixed if ratio_member(path) is not None]
    swept = [path for path in varied if ratio_member(path) is not None]
    if ratios and swept and not problems:  # the varied ratio would rescale the fixed ones in every run
        where, by = varied_by(swept[0])
        advice = {
            None: remedy(by),
            "input": f"drop it, or leave {swept[0]} out of {by}",
        }.get(option, f"give all the ratios to {given} or all to {by}, so that the others are rescaled once")
        problems.append(
            Problem(
                key(ratios[0]),
                f"fixes an agreement ratio while {where} varies another: each run would rescale the fixed "
                f"{'ratios' if len(ratios) > 1 else 'one'} to make room for the varied one; {advice}",
            )
        )
    return problems


def overlapping_axes(
    paths: Iterable[str], option: str = "grid", data: Any = None, file_key: str | None = None
) -> list[Problem]:
    """Why axes cannot be swept together, one problem per axis that overlaps an earlier one; else [].

    The rule :func:`fixed_and_varied` applies between a fixed and a varied path
    (:func:`~simulator.scenario.overrides.overlap_relation`),
    applied between two varied ones: an axis that contains or lies inside another, or is a stock's
    other unit, would have its value replaced by the other's (or removed) in every run, and the
    record would show values no run used. ``option`` names the axes (``grid``, ``axis``); with
    ``data`` (the scenario's), list items given by position and by id are matched. Two axes written
    the same are left to :meth:`SweepSpec.repeated_paths`; two agreement ratios may be axes together
    (the members not given are rescaled once). ``file_key`` (``grid``): the axes are a sweep file's
    entries under that key, each named ``grid.PATH``; None: the ``option``'s.

    >>> from simulator.errors import worded
    >>> for p in overlapping_axes(["a.b", "x.days", "a.b.c", "x.tonnes", "a.b"]):
    ...     print(worded(p.render(None), python=False))
    --grid a.b.c: lies inside a path varied by --grid a.b: each run would keep one axis's value there and drop the other's; vary a.b or a.b.c, not both
    --grid x.tonnes: the stock's other unit is varied by --grid x.days: a stock has one unit, so each run would keep one axis's value and drop the other's; vary the stock's size on one axis
    """  # noqa: E501
    paths = list(paths)
    named = (lambda path: path) if data is None else (lambda path: named_path(path, data))
    key = (lambda path: setting(option, path)) if file_key is None else (lambda path: f"{file_key}.{path}")
    problems = []
    for at, path in enumerate(paths):
        if path in paths[:at]:  # given twice as written: repeated_paths names it
            continue
        for other in paths[:at]:
            relation = overlap_relation(named(path), named(other))
            if relation is None:
                continue
            where = key(other)
            dropped = "each run would keep one axis's value there and drop the other's"
            what = {
                "is": f"the same path as {where}, written another way: give its values once",
                "sibling": f"the stock's other unit is varied by {where}: a stock has one unit, so each run would "
                "keep one axis's value and drop the other's; vary the stock's size on one axis",
                "contains": f"contains a path varied by {where}: {dropped}; vary {path} or {other}, not both",
                "lies inside": f"lies inside a path varied by {where}: {dropped}; vary {other} or {path}, not both",
            }[relation]
            problems.append(Problem(key(path), what))
            break
    return problems


ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
"""A date as ``YYYY-MM-DD`` (year, month and day as groups): what a sweep file's text and a hold-out window write."""


def iso_date(value: Any) -> dt.date | None:
    """The date a text written ``YYYY-MM-DD`` names (a date in quotes in a sweep file), else None.

    >>> iso_date("2010-09-07"), iso_date(" 2010-09-07 "), iso_date("2010-02-30"), iso_date("7 Sep 2010")
    (datetime.date(2010, 9, 7), datetime.date(2010, 9, 7), None, None)
    """
    if not isinstance(value, str) or (found := ISO_DATE.fullmatch(value.strip())) is None:
        return None
    try:
        return dt.date(*(int(part) for part in found.groups()))
    except ValueError:  # an impossible date stays text: the scenario's check names it
        return None


def _is_date(value: Any) -> bool:
    """A date, or a text that names one (read as the date on a date field, :func:`read_quoted_dates`)."""
    return isinstance(value, dt.date) or iso_date(value) is not None


def mixed_dates(values: tuple[Any, ...] | list[Any]) -> str | None:
    """Why an axis's values cannot be swept together when some are dates and others are not, else None.

    A date field takes a date or a day number (days after the scenario's ``start_date``),
    but one column of the sweep table cannot hold both: the table would read a day number
    as days after 1970, and the same day given both ways would run twice. Such an axis is
    refused before any run rather than converted (a day number becomes a date only on the
    scenario of each point). A date written in quotes (``"2010-07-05"``) counts as a date:
    on a date field it is read as one (:func:`read_quoted_dates`).

    >>> mixed_dates((dt.date(2010, 7, 5), 10))
    'mixes dates and day numbers (2010-07-05 and 10): give all its values as dates (YYYY-MM-DD) or all as day numbers'
    >>> mixed_dates((dt.date(2010, 7, 5), dt.date(2010, 7, 6))) is None, mixed_dates((10, 20.5)) is None
    (True, True)
    >>> mixed_dates(("2010-07-05", 10))[:52], mixed_dates((dt.date(2010, 7, 5), "2010-07-06")) is None
    ('mixes dates and day numbers (2010-07-05 and 10): giv', True)
    >>> mixed_dates((dt.date(2026, 6, 1), "2026-02-30"))
    "not a valid date '2026-02-30': day is out of range for month"
    """
    dates = [v for v in values if _is_date(v)]
    others = [v for v in values if not _is_date(v)]
    if not dates or not others:
        return None
    for other in others:  # 2026-02-30 is meant as a date: say why it is none, as a scenario's check does
        if isinstance(other, str) and (found := ISO_DATE.fullmatch(other.strip())) is not None:
            try:
                dt.date(*(int(part) for part in found.groups()))
            except ValueError as exc:
                return f"not a valid date '{other.strip()}': {exc}"
    other = others[0]
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in others)
    kinds = "dates and day numbers" if numeric else "dates and other values"
    shown = other if numeric else repr(other)
    given = f"{dates[0] if isinstance(dates[0], dt.date) else iso_date(dates[0])} and {shown}"
    return f"mixes {kinds} ({given}): give all its values as dates (YYYY-MM-DD) or all as day numbers"


def read_quoted_dates(spec: SweepSpec, is_date_field: Callable[[str, str], bool]) -> SweepSpec:
    """``spec`` with the texts written ``YYYY-MM-DD`` on a date field read as dates, as unquoted ones are.

    In a sweep file ``"2010-09-07"`` (quoted) is text and ``2010-09-07`` a date; a date
    field reads both as the same day, but the sweep table stored the one as text and the
    other as a date (``datetime64[ms]``). ``is_date_field(path, text)`` says whether the
    scenario reads ``text`` at ``path`` as that date (a field of text keeps it as text).
    """
    axes = []
    for axis in spec.axes:
        texts = [v for v in axis.values if iso_date(v) is not None]
        if texts and is_date_field(axis.path, texts[0]):
            axis = Axis(axis.path, tuple(iso_date(v) or v for v in axis.values))
        axes.append(axis)
    return dataclasses.replace(spec, axes=tuple(axes))


def _bad(where: str, message: str) -> InputError:
    """A bad ``--grid`` value of the path ``where`` (``grid['PATH']`` in the Python API)."""
    return InputError([Problem(setting("grid", where), message)])


def _number(text: str, where: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise _bad(where, f"'{text}' is not a number") from None
    if not value.is_finite():
        raise _bad(where, f"'{text}' is not a finite number")
    return value


def _numeric(text: str) -> bool:
    """A number or nothing: a part of what can only be meant as a range (``0:1``, ``0:1:0.1:2``)."""
    try:
        Decimal(text.strip() or "0")
    except InvalidOperation:
        return False
    return True


def _plain(value: Decimal, integral: bool) -> int | float:
    return int(value) if integral else float(value)


def _too_many(count: int | Decimal, where: str, text: str, max_values: int) -> InputError:
    shown = f"{int(count):,}" if count < 10**15 else f"about {count:.2E}"
    return _bad(
        where,
        f"'{text}' has {shown} values, more than a grid may have points "
        f"({max_values:,}; raise {setting('max_points')})",
    )


def parse_range(text: str, where: str, max_values: int = MAX_POINTS) -> tuple[int | float, ...]:
    """``start:stop:step`` with the stop included when it falls on the grid.

    >>> parse_range("0:1:0.25", "x")
    (0.0, 0.25, 0.5, 0.75, 1.0)
    >>> len(parse_range("0:1:0.1", "x")), parse_range("0:1:0.1", "x")[3]
    (11, 0.3)
    >>> parse_range("30:90:30", "x")
    (30, 60, 90)
    """
    parts = text.split(":")
    if len(parts) != 3:
        raise _bad(where, f"a range is start:stop:step, got '{text}'")
    if any(ISO_DATE.fullmatch(p.strip()) for p in parts):  # not "not a number": the date is meant
        raise _bad(
            where,
            f"'{text}': a range start:stop:step is of numbers; give the dates as a list a,b,c "
            f"({parts[0].strip()},...), or the days as a range of day numbers after the scenario's start_date",
        )
    start, stop, step = (_number(p, where) for p in parts)
    if step == 0:
        raise _bad(where, "the step must not be 0")
    if step < 0 or stop < start:
        raise _bad(where, f"'{text}' is a descending or empty range (need start <= stop, step > 0)")
    integral = all(p.strip().lstrip("+-").isdigit() for p in parts)
    try:
        count = ((stop - start) / step).to_integral_value(rounding=ROUND_FLOOR) + 1
    except DecimalException:
        raise _bad(where, f"'{text}' has too many values to count") from None
    if count > max_values:
        raise _too_many(count, where, text, max_values)
    return tuple(_plain(start + i * step, integral) for i in range(int(count)))


def parse_values(text: str, where: str, max_values: int = MAX_POINTS) -> tuple[Any, ...]:
    """A range ``start:stop:step``, or a comma list whose items are each one value, read as ``--set`` reads one.

    The text is cut at its top-level commas only: a comma inside ``[...]`` or ``{...}`` does not
    cut, so an item may be a YAML flow list or mapping, and is then one value (``[eu]`` is the
    list ``['eu']``, ``[japan],[japan, eu]`` two lists, ``{japan: 0.3, eu: 0.7}`` one mapping).

    >>> parse_values("{japan: 0.3, eu: 0.7},{japan: 0.5, eu: 0.5}", "agreement.ratio")
    ({'japan': 0.3, 'eu': 0.7}, {'japan': 0.5, 'eu': 0.5})
    >>> parse_values("[eu]", "shocks.halt.regions"), parse_values("[japan],[japan, eu]", "x")
    ((['eu'],), (['japan'], ['japan', 'eu']))
    """
    text = text.strip()
    if not text:
        raise _bad(where, "no values given")
    flow = any(bracket in text for bracket in "[{")
    if text.count(":") == 2 and not flow:
        return parse_range(text, where, max_values)
    if ":" in text and not flow and all(_numeric(part) for part in text.split(":")):
        raise _bad(where, f"a range needs start:stop:step (the stop included, as in 0:1:0.25), got '{text}'")
    parts = _items(text)
    if len(parts) > max_values:
        raise _too_many(len(parts), where, text[:40] + "...", max_values)
    if any(not part.strip() for part in parts):
        raise _bad(where, f"empty item in '{text}'")
    try:  # read strictly, as --set values are: impossible dates, tags and huge numbers are refused
        items = tuple(load_yaml(item, prefix=where) for item in parts)  # null is a value (agreement=null)
    except InputError as exc:
        raise InputError([Problem(setting("grid", p.path), p.message) for p in exc.problems]) from None
    if (mixed := mixed_dates(items)) is not None:
        raise _bad(where, mixed)
    return items


def _items(text: str) -> list[str]:
    """``text`` cut at the commas outside any ``[...]`` and ``{...}`` (:func:`parse_values`).

    A bracket left open keeps the rest as one item, which YAML then refuses saying so.

    >>> _items("[japan], [japan, eu],{a: 1, b: [2, 3]},x")
    ['[japan]', ' [japan, eu]', '{a: 1, b: [2, 3]}', 'x']
    """
    items, depth, begin = [], 0, 0
    for at, char in enumerate(text):
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char == "," and not depth:
            items.append(text[begin:at])
            begin = at + 1
    return [*items, text[begin:]]


def parse_axis(text: str, max_values: int = MAX_POINTS) -> Axis:
    """One ``--grid PATH=SPEC`` option."""
    path, sep, spec = text.partition("=")
    path = path.strip()
    if not sep or not path:
        raise InputError([Problem(setting("grid"), f"expected PATH=SPEC, got {text!r}")])
    return Axis(path, parse_values(spec, path, max_values))


def _spec_values(path: str, spec: Any, source: str, max_values: int) -> tuple[Any, ...]:
    if isinstance(spec, list):
        if not spec:
            raise InputError(f"grid.{path}: no values given", source)
        if (mixed := mixed_dates(spec)) is not None:
            raise InputError(f"grid.{path}: {mixed}", source)
        return tuple(spec)
    if isinstance(spec, str):
        try:
            return parse_values(spec, path, max_values)
        except InputError as exc:  # worded for --grid: name the file and its key instead
            keyed = setting("grid", path)
            raise InputError(
                [Problem(p.path.replace(keyed, f"grid.{path}"), p.message) for p in exc.problems], source
            ) from None
    return (spec,)


_NODE_PROPERTIES = re.compile(r"(?:[&!]\S*(?:\s+|$))*")
"""A YAML node's anchor (``&a``) and tag (``!!int``) before its value (if any): neither holds a space."""


def key_as_written(text: str, name: str, position: int) -> str | None:
    r"""The key at ``position`` in the top-level mapping ``name`` of the YAML ``text``, as its source gives it.

    ``2010-01-01`` or ``null`` as the file writes it, where the data read holds a date or None;
    the value only, without an anchor or a tag before it (``&a 7``, ``!!int 7``: ``7``). None
    where the source does not show the key: no such mapping, one whose keys are not the
    data's one for one (a merge key ``<<`` brings others in), a block scalar (``|``, ``>``),
    whose text is on the lines below, or an empty key with only an anchor or a tag (``&a :``).

    >>> key_as_written("grid:\n  2010-01-01: [1, 2]\n  ~: 3\n", "grid", 1)
    '~'
    >>> key_as_written("grid:\n  &a 7: [1, 2]\n", "grid", 0), key_as_written("grid:\n  ? |\n  : 3\n", "grid", 0)
    ('7', None)
    >>> key_as_written("grid:\n  &a : [1, 2]\n", "grid", 0), key_as_written("grid:\n  !!null : [1]\n", "grid", 0)
    (None, None)
    """
    root = yaml.compose(text, Loader=yaml.SafeLoader)  # nodes only: nothing is constructed
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == name and isinstance(value, yaml.MappingNode):
            keys = [k for k, _ in value.value]
            if position >= len(keys) or any(k.tag == "tag:yaml.org,2002:merge" for k in keys):
                return None
            node = keys[position]
            if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
                return None
            start, end = node.start_mark, node.end_mark
            written = start.buffer[start.pointer : end.pointer].strip()
            return written[_NODE_PROPERTIES.match(written).end() :] or None
    return None


def key_in_file(text: str, name: str, keys: list[Any], position: int) -> str:
    r"""The key ``keys[position]`` of the mapping ``name`` in a file of YAML ``text``, for a message.

    As the file writes it (:func:`key_as_written`), else as YAML reads it (``2010-01-01`` where a
    merge key ``<<`` brought it in, ``''`` for an empty block scalar): never empty, since
    :func:`key_as_written` gives None rather than ``''`` and :func:`shown` writes every value
    YAML reads as some text (``null``, ``''``).

    >>> key_in_file("grid:\n  <<: {2010-01-01: [1, 2]}\n", "grid", [dt.date(2010, 1, 1)], 0)
    '2010-01-01'
    >>> key_in_file("grid:\n  &a : [1]\n", "grid", [None], 0), key_in_file("grid:\n  !!null : 1\n", "grid", [None], 0)
    ('null', 'null')
    """
    return key_as_written(text, name, position) or shown(keys[position], ECHO_WIDTH)


def load_spec_file(path: str | Path, max_values: int = MAX_POINTS) -> tuple[str | None, SweepSpec]:
    """A sweep described in YAML: ``scenario``, ``grid``, ``runs``, ``seed``, ``set``.

    ``grid`` maps paths to a SPEC string or a list of values; ``set`` maps paths to
    fixed values applied to every run. A file followed by a slash (``spec.yaml/``) is refused, not read.
    """
    source = str(path)
    refuse_file_followed_by_slash(path)
    data, text = read_yaml_and_text(Path(path), kind="sweep file")
    allowed = {"scenario", "grid", "runs", "seed", "set"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InputError(f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})", source)
    grid = data.get("grid") or {}
    if not isinstance(grid, dict):
        raise InputError("grid: must map paths to values", source)
    runs = data.get("runs", 1)
    if not isinstance(runs, int) or isinstance(runs, bool) or runs < 1:
        raise InputError(f"runs: must be a whole number >= 1, got {runs!r}", source)
    seed = data.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= MAX_SEED):
        raise InputError(f"seed: must be a whole number in [0, {MAX_SEED}], got {seed!r}", source)
    fixed = data.get("set") or {}
    if not isinstance(fixed, dict):
        raise InputError("set: must map paths to values", source)
    for name, mapping in (("grid", grid), ("set", fixed)):
        try:
            refuse_keys_not_paths(mapping, name, functools.partial(key_in_file, text, name, list(mapping)))
        except InputError as exc:
            raise exc.said_of(source) from None
    axes = tuple(Axis(p, _spec_values(p, v, source, max_values)) for p, v in grid.items())
    if (refused := SweepSpec(axes).seed_swept("grid.seed")) is not None:
        raise InputError([refused], source)
    scenario = data.get("scenario")
    if scenario is not None and not isinstance(scenario, str):
        raise InputError(f"scenario: must be the path of a scenario file, got {scenario!r}", source)
    return (scenario or None), SweepSpec(axes, runs, seed, tuple(fixed.items()))


def spec_scenario(scenario: str, spec_file: str | Path) -> str:
    """The scenario file a sweep file's ``scenario:`` names (a bare name as the SCENARIO argument takes it).

    Checked only where it is run (a SCENARIO argument overrides it): a name found nowhere is refused
    in the words the SCENARIO argument gets, the sweep file and its key named.
    """
    try:
        missing = why_missing(scenario)
    except InputError as exc:  # a close name ("did you mean"), a bare name meaning two files
        raise InputError(
            [Problem("scenario", f"{scenario}: {p.message}") for p in exc.problems], str(spec_file)
        ) from None
    if missing is not None:
        raise InputError([Problem("scenario", f"{scenario}: {missing}")], str(spec_file))
    return resolve_scenario(scenario)
