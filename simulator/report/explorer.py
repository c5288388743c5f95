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

import os
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from simulator.errors import InputError, Problem, setting

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
    import yaml

    from simulator.explore.grid import on_axis, value_at
    from simulator.explore.page import MAX_PAGE_BYTES, read_page, yaml_text
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
        axes = tuple((a["path"], tuple(a["labels"])) for a in meta["axes"])
        scenario, runs = str(meta["scenario"]), int(meta["runs"])
    except (InputError, KeyError, TypeError, ValueError):
        if not given:
            return None
        why = "not an explorer page written by stockpile explore"
        raise InputError([Problem(setting("explorer"), f"cannot link it: {why}")], str(page)) from None
    point: dict[str, str] = {}
    for path, labels in axes:
        try:
            value = value_at(run_data, path)
        except KeyError:
            continue
        # a day given as a date is found on an axis of day numbers, and the other way round
        label = yaml_text(on_axis(value, tuple(yaml.safe_load(t) for t in labels), run_data.get("start_date")))
        if label in labels:
            point[path] = label
    relative = Path(os.path.relpath(page.resolve(), report.parent.resolve())).as_posix()
    href = quote(relative) + (f"#{urlencode(point, safe='.:')}" if point else "")
    return ExplorerLink(href, scenario, axes, runs, tuple(point))


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
    bands = f"{link.runs} runs a point, with 5th-95th percentile bands" if link.runs > 1 else "one run a point"
    return (
        '<section id="explorer"><h2>Explore what-ifs</h2>'
        f"<p>An interactive explorer of {points:,} variants ({bands}) is kept beside this report: "
        f'<a href="{escape(link.href)}">open the explorer</a>. {here}{other} It works offline; keep the two files '
        f"together.</p><ul>{axes}</ul></section>"
    )


def _values(labels: tuple[str, ...]) -> str:
    """An axis's values in a few words.

    >>> _values(("fair_ratio", "hybrid")), _values(tuple(str(d) for d in range(0, 100, 10)))
    ('fair_ratio, hybrid', '0 to 90 (10 values)')
    """
    return ", ".join(labels) if len(labels) <= 5 else f"{labels[0]} to {labels[-1]} ({len(labels)} values)"
