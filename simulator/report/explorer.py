"""The report's link to a what-if explorer page (``stockpile explore``) kept beside it.

Layer: studies. The report does not embed the explorer (a page of up to 10 MB); it links
to it by a relative address, so the two files work together from any folder as long as
they are moved together. The page is found by ``--explorer PAGE`` or, without it, as
``explorer.html`` in the report's folder (where both commands write by default). The
link opens the explorer at this run's point: every axis whose value in this run is one
of the axis's values is named in the address (``explorer.html#path=value``); the others
keep the page's starting value.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from simulator.errors import InputError, Problem, setting
from simulator.scenario.overrides import is_shock_end, shown
from simulator.scenario.strict_yaml import load_yaml

BESIDE = "explorer.html"
"""The explorer's name when it sits in the report's folder (both commands' default)."""


@dataclass(frozen=True)
class ExplorerLink:
    """What the report says of an explorer page: where it is and what it covers."""

    href: str
    """Relative address of the page from the report's folder, with this run's point after ``#``."""
    scenario: str
    """The scenario the page was computed from."""
    axes: tuple[tuple[str, tuple[str, ...]], ...]
    """Each axis: its path and its values as the page labels them."""
    runs: int
    """Runs per point (1: no bands)."""
    at_point: tuple[str, ...]
    """The axes on which this run's value is one of the page's values (named in ``href``)."""
    off_grid: tuple[tuple[str, str, str], ...] = ()
    """Each axis where this run's value is not one of the page's: path, this run's value, the page's start."""
    differences: tuple[tuple[str, str, str], ...] | None = ()
    """Each setting off the axes where this run differs from the page: path, this run's value, the page's.

    None when the page does not record the scenario it explored (a page written by an older version).
    """


def explorer_link(report: Path, page: Path | None, run_data: dict[str, Any]) -> ExplorerLink | None:
    """The link from ``report`` to ``page`` (``--explorer``) or to an ``explorer.html`` beside it; None without one.

    ``run_data`` is the run's scenario data (after ``--set``), read for the run's point.
    """
    if page is not None:
        return read_explorer(page, report, run_data, given=True)
    beside = report.parent / BESIDE
    return read_explorer(beside, report, run_data, given=False) if beside.is_file() else None


def read_explorer(page: Path, report: Path, run_data: dict[str, Any], *, given: bool) -> ExplorerLink | None:
    """The link from ``report`` to ``page`` at this run's point (``run_data``: the run's scenario data).

    A page named by ``--explorer`` (``given``) that cannot be read or is not an explorer
    page raises :class:`InputError` naming it; a file found beside the report that is not
    one is not linked (it is not the tool's).
    """
    from simulator.explore.grid import current_value, on_axis
    from simulator.explore.page import MAX_PAGE_BYTES, read_page
    from simulator.scenario.load import read_input_text

    try:  # a regular file of at most the largest page explore writes (not a device or FIFO: read_input_text)
        text = read_input_text(page, MAX_PAGE_BYTES, "a page")
    except InputError as exc:
        if not given:
            return None
        why = exc.problems[0].message
        raise InputError([Problem(setting("explorer"), f"cannot link it: {why}")], str(page)) from None
    try:
        meta, _ = read_page(text)
        page_axes = _page_axes(meta["axes"])
        axes = tuple((path, labels) for path, labels, _, _ in page_axes)
        texts = tuple(written for _, _, written, _ in page_axes)
        starts = tuple(written[start] for _, _, written, start in page_axes)
        axis_values = tuple(tuple(load_yaml(label) for label in labels) for _, labels in axes)
        scenario, runs = meta["scenario"], meta["runs"]
        if not isinstance(scenario, str) or isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
            raise ValueError("not a page's scenario name and runs")
    except (InputError, KeyError, TypeError, ValueError):
        if not given:
            return None
        why = "not an explorer page written by stockpile explore"
        raise InputError([Problem(setting("explorer"), f"cannot link it: {why}")], str(page)) from None
    point: dict[str, str] = {}
    off_grid: list[tuple[str, str, str]] = []
    run_values: list[tuple[str, Any]] = []
    for (path, labels), start, written, values in zip(axes, starts, texts, axis_values, strict=True):
        try:
            value = current_value(run_data, path, str(report))
        except (KeyError, InputError):
            continue
        run_values.append((path, value))
        # a day given as a date is found on an axis of day numbers, and the other way round
        found = on_axis(value, values, run_data.get("start_date"))
        label = labels[values.index(found)] if found in values else shown(found)  # as the page wrote it
        if label in labels:
            point[path] = label
        else:
            dated = written != labels  # the page gives this axis's days with their dates: so does the report
            off_grid.append((path, _day_text(path, label, run_data) if dated else label, start))
    base = meta.get("base")
    differences = None if not isinstance(base, dict) else tuple(_differences(run_data, base, run_values))
    relative = Path(os.path.relpath(page.resolve(), report.parent.resolve())).as_posix()
    href = quote(relative) + (f"#{urlencode(point, safe='.:')}" if point else "")
    return ExplorerLink(href, scenario, axes, runs, tuple(point), tuple(off_grid), differences)


PageAxis = tuple[str, tuple[str, ...], tuple[str, ...], int]
"""An axis as a page describes it: its path, its values' labels, their texts (a day with its date) and
the index of the value the page starts at."""


def _page_axes(described: Any) -> list[PageAxis]:
    """The axes of a page's description (its ``axes``), as :func:`simulator.explore.page` writes them.

    Raises ``ValueError`` for any other shape (a page edited by hand, or not the tool's): one to
    four axes, each a path, labels and texts that are texts, as many texts as labels (an older
    page has no texts: its labels), and a start that is one of them.

    >>> _page_axes([{"path": "a.b", "labels": ["1", "2"], "start": 1}])
    [('a.b', ('1', '2'), ('1', '2'), 1)]
    >>> for start in (2, -1, True):
    ...     try:
    ...         _page_axes([{"path": "a.b", "labels": ["1", "2"], "start": start}])
    ...     except ValueError as exc:
    ...         print(exc)
    not an axis of an explorer page
    not an axis of an explorer page
    not an axis of an explorer page
    """
    from simulator.explore.grid import MAX_AXES

    if not isinstance(described, list) or not 1 <= len(described) <= MAX_AXES:
        raise ValueError("not the axes of an explorer page")
    return [_page_axis(entry) for entry in described]


def _page_axis(entry: Any) -> PageAxis:
    """One axis of a page's description (see :func:`_page_axes`)."""
    if not isinstance(entry, dict):
        raise ValueError("not an axis of an explorer page")
    path, labels, start = entry.get("path"), entry.get("labels"), entry.get("start", 0)
    texts = entry.get("texts", labels)  # an older page: no texts
    shaped = isinstance(path, str) and path and _texts(labels) and _texts(texts) and len(texts) == len(labels)
    if not shaped or isinstance(start, bool) or not isinstance(start, int) or not 0 <= start < len(labels):
        raise ValueError("not an axis of an explorer page")
    return path, tuple(labels), tuple(texts), start


def _texts(items: Any) -> bool:
    """Whether ``items`` is a list of one or more texts."""
    return isinstance(items, list) and bool(items) and all(isinstance(item, str) for item in items)


def _day_text(path: str, label: str, run_data: dict[str, Any]) -> str:
    """A day number as the page labels its days: with its date, or an end's last day (else ``label``)."""
    from simulator.explore.grid import as_date, current_value
    from simulator.explore.page import day_texts

    try:
        day, start = load_yaml(label), as_date(current_value(run_data, "start_date", "run"))
    except (KeyError, InputError):
        return label
    texts = day_texts((day,), start, end=is_shock_end(path)) if isinstance(day, int) else None
    return texts[0] if texts else label


IGNORED = frozenset({"name", "description", "seed"})
"""Settings that do not make the page's numbers differ from the run's (the page draws its own seeds)."""
MISSING = object()


def _differences(
    run_data: dict[str, Any], base: dict[str, Any], run_values: list[tuple[str, Any]]
) -> list[tuple[str, str, str]]:
    """Where the run's scenario differs from the page's off its axes: path, the run's value, the page's.

    The page's scenario is given the run's value on every axis first, so the axes differ in
    nothing and a default the validated scenario derives from them comes out alike. Both
    are compared as validated (a value written out equal to its default is no difference);
    where one does not validate, as written.
    """
    from simulator.errors import ScenarioError
    from simulator.scenario import apply_overrides, validate_data

    # only the axes where the run's value is not the page's own (setting one ratio derives the others)
    moved = [(path, value) for path, value in run_values if _at(base, path) != _plain(value)]
    try:
        theirs_raw = apply_overrides(base, moved)
    except InputError:
        theirs_raw = base
    try:
        ours = validate_data(run_data, "run").model_dump(mode="json")
        theirs = validate_data(theirs_raw, "page").model_dump(mode="json")
    except (ScenarioError, InputError):
        ours, theirs = _plain(run_data), _plain(theirs_raw)
    axes = tuple(path for path, _ in run_values)
    return [
        (path, _shown(a), _shown(b))
        for path, a, b in _diff(ours, theirs, "")
        if path.split(".")[0] not in IGNORED and not any(path == p or path.startswith(f"{p}.") for p in axes)
    ]


def _plain(data: Any) -> Any:
    """Scenario data as JSON reads it back (dates as ISO text), as the page stores its scenario."""
    import json

    return json.loads(json.dumps(data, default=str))


def _diff(ours: Any, theirs: Any, path: str) -> Any:
    """``(path, ours, theirs)`` for each value that differs; list items with an ``id`` are named by it.

    >>> list(_diff({"a": {"b": 1, "c": [1, 2]}}, {"a": {"b": 2, "c": [1, 2]}}, ""))
    [('a.b', 1, 2)]
    >>> list(_diff({"s": [{"id": "x", "end": 243}]}, {"s": [{"id": "x", "end": 241}]}, ""))
    [('s.x.end', 243, 241)]
    """
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in dict.fromkeys([*ours, *theirs]):
            yield from _diff(ours.get(key, MISSING), theirs.get(key, MISSING), f"{path}.{key}" if path else str(key))
        return
    if isinstance(ours, list) and isinstance(theirs, list):
        named = [_ids(ours), _ids(theirs)]
        if named[0] is not None and named[1] is not None:
            a, b = named
            for key in dict.fromkeys([*a, *b]):
                yield from _diff(a.get(key, MISSING), b.get(key, MISSING), f"{path}.{key}")
            return
        if len(ours) == len(theirs):
            for k, (a, b) in enumerate(zip(ours, theirs, strict=True)):
                yield from _diff(a, b, f"{path}.{k}")
            return
    if ours != theirs and not (_number(ours) and _number(theirs) and math.isclose(ours, theirs, rel_tol=1e-12)):
        yield path, ours, theirs


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _at(data: dict[str, Any], path: str) -> Any:
    """The value at ``path`` of scenario data as JSON reads it back; :data:`MISSING` where it is not written."""
    from simulator.explore.grid import value_at

    try:
        return _plain(value_at(data, path))
    except KeyError:
        return MISSING


def _ids(items: list[Any]) -> dict[str, Any] | None:
    """A list's items by their ``id``, or None unless every item has a distinct one."""
    ids = [i.get("id") if isinstance(i, dict) else None for i in items]
    if any(not isinstance(i, str) for i in ids) or len(set(ids)) < len(ids):
        return None
    return dict(zip(ids, items, strict=True))


def _shown(value: Any) -> str:
    """A value as ``--set`` writes it ("not set" where it is missing), at most 60 characters."""
    whole = isinstance(value, float) and value.is_integer()
    return "not set" if value is MISSING else shown(int(value) if whole else value, 60)


def explorer_section(link: ExplorerLink | None, scenario: str) -> str:
    """The report's "Explore what-ifs" section, or nothing without a page."""
    if link is None:
        return ""
    points = 1
    for _, labels in link.axes:
        points *= len(labels)
    axes = "".join(f"<li><code>{escape(path)}</code>: {escape(_values(labels))}</li>" for path, labels in link.axes)
    here = (
        f"The link opens it at this run's values of {', '.join(f'<code>{escape(p)}</code>' for p in link.at_point)}."
        if link.at_point
        else "None of this run's values is on the page's axes, so it opens at its own starting point."
    )
    other = (
        ""
        if link.scenario == scenario
        else f" It was computed from the scenario <strong>{escape(link.scenario)}</strong>, not from this one."
    )
    unlike = _unlike(link) if link.scenario == scenario else ""
    bands = f"{link.runs} runs a point, with 5th-95th percentile bands" if link.runs > 1 else "one run a point"
    return (
        '<section id="explorer"><h2>Explore what-ifs</h2>'
        f"<p>An interactive explorer of {points:,} variants ({bands}) is kept beside this report: "
        f'<a href="{escape(link.href)}">open the explorer</a>. {here}{other} It works offline; keep the two files '
        f"together.</p><ul>{axes}</ul>{unlike}</section>"
    )


SHOWN_DIFFERENCES = 8
"""Settings named where the page differs from the run; the rest are counted."""


def _unlike(link: ExplorerLink) -> str:
    """What the page opens at that is not this run: settings it was computed without, values off its axes."""
    items = [
        f"<li><code>{escape(path)}</code> is {escape(ours)} in this run but {escape(theirs)} on the page</li>"
        for path, ours, theirs in (link.differences or ())[:SHOWN_DIFFERENCES]
    ]
    more = len(link.differences or ()) - SHOWN_DIFFERENCES
    if more > 0:
        items.append(f"<li>and {more:,} more setting{'s' if more > 1 else ''}</li>")
    items += [
        f"<li><code>{escape(path)}</code>: this run's {escape(ours)} is not one of the page's values; "
        f"the page opens at {escape(theirs)}</li>"
        for path, ours, theirs in link.off_grid
    ]
    unknown = (
        "<p>The page does not record the settings it was computed with (an older page), so whether it was "
        "computed with this run's <code>--set</code> values cannot be checked.</p>"
        if link.differences is None
        else ""
    )
    if not items:
        return unknown
    return (
        f"{unknown}<p><strong>The page opens at a different case from this report</strong>, so its numbers "
        f"are not this run's:</p><ul>{''.join(items)}</ul>"
    )


def _values(labels: tuple[str, ...]) -> str:
    """An axis's values in a few words.

    >>> _values(("fair_ratio", "hybrid")), _values(tuple(str(d) for d in range(0, 100, 10)))
    ('fair_ratio, hybrid', '0 to 90 (10 values)')
    """
    return ", ".join(labels) if len(labels) <= 5 else f"{labels[0]} to {labels[-1]} ({len(labels)} values)"
