"""The explorer page: the HTML/JS template filled with a grid's description and packed data.

Layer: studies. The template ``page.html`` (package data) holds the styles and the
hand-written JavaScript that reads the data, draws the SVG curves and the headline, and
builds the "copy as command" line; this module writes what the template needs into
two ``<script>`` elements (the description as JSON, the packed blob as base64), so the
page is one file that needs no network and no server.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import os
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from simulator import __version__, shortages
from simulator.errors import InputError
from simulator.explore.data import Packed, pack, pack_within
from simulator.explore.grid import (
    CURVES,
    Grid,
    as_date,
    current_value,
    headline_names,
    on_axis,
)
from simulator.json_text import read_json
from simulator.names import Names
from simulator.output_folder import write_file
from simulator.palette import SHOCK_COLOURS, region_colour
from simulator.plan import compile_plan
from simulator.randomness import run_seed
from simulator.results import date_label, date_of
from simulator.scenario.checks import day_number
from simulator.scenario.load import field_unit, read_input_text
from simulator.scenario.overrides import is_shock_end, shown
from simulator.scenario.schema import RANDOM_TYPES
from simulator.scenario.tonnes import not_added
from simulator.scenario.yaml_messages import not_utf8
from simulator.shock_effects import IDLE, KnownShocks, idle_in
from simulator.sweep import base_hash
from simulator.sweep.runner import build_point

MAX_PAGE_BYTES = 10_000_000
"""Size limit of a page (10 MB)."""
CURVE_LABELS = {"days_of_cover": ("Days of cover", "days"), "shortfall_cum_t": ("Cumulative shortfall", "t")}
META_MARK = "/*@@META@@*/null"
BLOB_MARK = "@@BLOB@@"


def template() -> str:
    """The page template shipped with the package."""
    return resources.files("simulator.explore").joinpath("page.html").read_text(encoding="utf-8")


UNSET = object()
"""The scenario's value of a field it does not have (an axis creates it): a control starts on its first value."""


def _own_value(raw: dict[str, Any], path: str, source: str) -> Any:
    """The explored scenario's own value at ``path``, where an axis's control starts; :data:`UNSET` where it has none.

    ``raw`` is the file with ``--set``: the value it writes, else the schema's default where
    it is valid as it is (:func:`~simulator.explore.grid.current_value`). Where the path is
    not the scenario's (the axis creates the field) or the scenario is valid only with the
    grid's values (``--set shocks.halt.end=null`` with an axis on ``shocks.halt.duration_days``:
    without the axis, neither is given), it has no value of its own. Never raises: it is read
    as the page is drawn, after the runs.
    """
    try:
        return current_value(raw, path, source)
    except (KeyError, InputError):
        return UNSET


def _start(values: tuple[Any, ...], current: Any) -> int:
    """Index of the scenario's own value on an axis, or of the nearest number; else 0.

    >>> _start((0.1, 0.5, 0.9), 0.79), _start(("a", "b"), "b"), _start(("a", "b"), "c")
    (2, 1, 0)
    """
    if current in values:
        return values.index(current)
    numbers = isinstance(current, int | float) and all(isinstance(v, int | float) for v in values)
    return min(range(len(values)), key=lambda i: abs(values[i] - current)) if numbers else 0


def _start_note(values: tuple[Any, ...], current: Any) -> str:
    """Why a control starts where it does (:func:`_start`), for the page's note on a link it ignored.

    >>> _start_note((0.1, 0.5), 0.5), _start_note((0.1, 0.5), 0.57)
    ("the scenario's value", "the nearest to the scenario's 0.57")
    >>> _start_note(("a", "b"), "c")
    "the first value; the scenario's c is not on the page"
    """
    if current is UNSET:
        return "the first value; the scenario does not set it"
    if current in values:
        return "the scenario's value"
    numbers = isinstance(current, int | float) and all(isinstance(v, int | float) for v in values)
    if numbers:
        return f"the nearest to the scenario's {shown(current)}"
    return f"the first value; the scenario's {shown(current)} is not on the page"


def _day_start(raw: dict[str, Any], path: str, source: str) -> dt.date | None:
    """The start date that days of ``path`` count from.

    None unless the field takes a day or a date and the scenario has a start date.
    """
    start = as_date(_own_value(raw, "start_date", source))
    return start if start is not None and field_unit(path) == "day or date" else None


def day_texts(values: tuple[Any, ...], start: dt.date | None, end: bool = False) -> list[str] | None:
    """The labels of an axis of day numbers with each day's date (``241 (30 Aug 2026)``).

    Counted from ``start`` (:func:`_day_start`); None without one, or for values that are not day numbers.
    An ``end`` is exclusive (the first day the shock is over): its label gives the last day the
    shock is on, as the report and the workbook date a shock (``243 (last day 31 Aug 2026)``).

    An axis of dates on an ``end`` gives its last day too, with or without ``start``.

    >>> day_texts((241, 243), dt.date(2026, 1, 1), end=True)
    ['241 (last day 29 Aug 2026)', '243 (last day 31 Aug 2026)']
    >>> day_texts((dt.date(2026, 9, 1),), None, end=True)
    ['2026-09-01 (last day 31 Aug 2026)']
    """
    if end and all(isinstance(v, dt.date) for v in values):
        return [f"{shown(v)} (last day {date_label(v, -1)})" for v in values]
    if start is None or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return None
    if end:
        return [f"{shown(v)} (last day {date_label(start, v - 1)})" for v in values]
    return [f"{shown(v)} ({date_label(start, v)})" for v in values]


def _other_spellings(values: tuple[Any, ...], start: dt.date | None) -> list[str | None]:
    """Each value of a day axis as a hand-written link may also write it.

    A day number's date (``2026-08-30`` for 241 from 1 Jan 2026) or a date's day number; None
    each without ``start``.
    """
    return [None if start is None else _other_spelling(v, start) for v in values]


def _other_spelling(value: Any, start: dt.date) -> str | None:
    if isinstance(value, dt.date):
        return str(day_number(value, start))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(date_of(start, value))
    return None


def _axis(grid: Grid, index: int) -> dict[str, Any]:
    """An axis as the page shows it: labels, the ``--set`` option of each value, the start value.

    ``labels`` are the values as the link and ``--set`` write them; ``texts`` as the controls
    show them, a day number with its date when the scenario has a start date ("241 (30 Aug 2026)");
    ``aliases`` how a hand-written link may also name a day (its date, or a date's day number).
    """
    axis = grid.sweep.spec.axes[index]
    ordered = all(isinstance(v, int | float | dt.date) and not isinstance(v, bool) for v in axis.values)
    raw, source = grid.sweep.raw, grid.sweep.source
    current = _own_value(raw, axis.path, source)
    if current is not UNSET:
        current = on_axis(current, axis.values, as_date(_own_value(raw, "start_date", source)))
    start = _start(axis.values, current)
    labels = [shown(v) for v in axis.values]
    # an explored start date moves every day's date: then the day numbers stand alone
    explored_start = any(a.path == "start_date" for a in grid.sweep.spec.axes)
    start_date = None if explored_start else _day_start(raw, axis.path, source)
    texts = day_texts(axis.values, start_date, end=is_shock_end(axis.path))
    aliases = _other_spellings(axis.values, start_date)
    return {
        "path": axis.path,
        "kind": "slider" if ordered else "select",
        "start_note": _start_note(axis.values, current),
        "labels": labels,
        "texts": labels if texts is None else texts,
        "aliases": aliases,
        "options": [shlex.quote(f"{axis.path}={shown(v)}") for v in axis.values],
        "start": start,
    }


def _drawn_at_random(shock: Any) -> bool:
    """Whether a shock's start or duration is drawn per run (it then has no fixed bar)."""
    return isinstance(shock.start, RANDOM_TYPES) or isinstance(shock.duration, RANDOM_TYPES)


def _window(shock: Any, horizon_days: int) -> list[int] | None:
    """Days ``[start, end)`` a shock is active, within the horizon; None when drawn at random or outside."""
    if _drawn_at_random(shock):
        return None
    end = shock.end if shock.end is not None else shock.start + shock.duration
    start, end = max(0, int(shock.start)), min(horizon_days, int(end))
    return [start, end] if end > start else None


def contrast(colour: str, background: str = "#ffffff") -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21).

    >>> round(contrast("#f4a261"), 2), round(contrast("#000000"), 1)
    (2.06, 21.0)
    """

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def outline(colour: str, ratio: float = 3.0) -> str:
    """``colour`` darkened (towards black, in steps of 5%) until it has ``ratio`` contrast on white.

    The shock palette is shared with the report's figures, where bars sit on tinted
    strips; on the page's white they get this outline, so a bar meets WCAG's 3:1 for graphics.

    >>> outline("#f4a261"), outline("#1d2733")
    ('#c3824e', '#1d2733')
    """
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(21):
        darker = "#" + "".join(f"{round(c * (1 - step / 20)):02x}" for c in channels)
        if contrast(darker) >= ratio:
            return darker
    return "#000000"


def _known(value: Any) -> float | None:
    """A plan's value, or None where it is drawn at random."""
    return None if value is None or isinstance(value, RANDOM_TYPES) else float(value)


def _idle_sized(plan: Any) -> list[bool]:
    """Per shock of a point's plan: whether its size is its kind's that does nothing (:data:`IDLE`).

    Only such a shock can be idle (:func:`simulator.shock_effects.idle_in`); whether it is also
    reads the markets and the agreement, so it alone needs the point's scenario.
    """
    return [shock.kind in IDLE and _known(shock.magnitude) == IDLE[shock.kind][0] for shock in plan.shocks]


def _idle_windows(scenario: Any, plan: Any) -> list[bool]:
    """Per shock of a point's plan: whether it does nothing at that point.

    The report's rule (:func:`simulator.shock_effects.idle_in`): an embargo of severity 0 that nothing
    reads as declared, a delay of 0 days, a demand surge of factor 1.
    """
    sizes = [_known(shock.magnitude) for shock in plan.shocks]
    starts = [None if _drawn_at_random(shock) else float(shock.start) for shock in plan.shocks]
    ends = [
        None if _drawn_at_random(shock) else float(shock.end if shock.end is not None else shock.start + shock.duration)
        for shock in plan.shocks
    ]
    known = KnownShocks(scenario, plan.structure, sizes, starts, ends)
    return [idle_in(known, k) is not None for k in range(len(plan.shocks))]


def _combination_plans(grid: Grid, moving: list[int]) -> dict[tuple[int, ...], Any]:
    """A plan per combination of the ``moving`` axes' value indices.

    The other axes at their first values (in a patched grid no other axis changes a shock's
    window, the horizon or the regions and materials): patched from the grid's first plan where
    the sweep has a patcher, else that grid point (:func:`_point`) validated and compiled.
    """
    sweep = grid.sweep
    combos = list(itertools.product(*(range(len(sweep.spec.axes[i].values)) for i in moving)))
    if sweep.patcher is not None:
        lengths = sweep.patcher.lengths
        at = {combo: [0] * len(lengths) for combo in combos}
        for combo, indices in at.items():
            for i, j in zip(moving, combo, strict=True):
                indices[i] = j
        numbers = {combo: int(np.ravel_multi_index(indices, lengths)) for combo, indices in at.items()}
        plans = sweep.patcher.plans(list(numbers.values()))
        return {combo: plans[number] for combo, number in numbers.items()}
    return {combo: compile_plan(build_point(sweep.raw, _point(grid, moving, combo), sweep.source)) for combo in combos}


def _point(grid: Grid, moving: list[int], combo: tuple[int, ...]) -> dict[str, Any]:
    """The grid point with the ``moving`` axes at ``combo`` (value indices) and the others at their first values.

    A point the grid ran, never the scenario with some axes' values only: the file may be
    valid only with an axis's value (an axis creates a field it needs), and the page, drawn
    after the runs, must not stop on it.
    """
    axes = grid.sweep.spec.axes
    return grid.sweep.points[0] | {axes[i].path: axes[i].values[j] for i, j in zip(moving, combo, strict=True)}


def _windows_over(
    grid: Grid, moving: list[int], plans: dict[tuple[int, ...], Any]
) -> dict[str, list[list[int] | None]]:
    """Each shock's window (None where it does nothing) per combination of the ``moving`` axes' values."""
    sweep = grid.sweep
    windows: dict[str, list[list[int] | None]] = {}
    for combo, plan in plans.items():
        idle = [False] * len(plan.shocks)
        if any(_idle_sized(plan)):
            idle = _idle_windows(build_point(sweep.raw, _point(grid, moving, combo), sweep.source), plan)
        horizon = plan.structure.horizon_days
        windows[",".join(map(str, combo))] = [
            None if off else _window(shock, horizon) for shock, off in zip(plan.shocks, idle, strict=True)
        ]
    return windows


def _shocks(grid: Grid) -> dict[str, Any]:
    """The shocks to shade: each shock's id, kind, colour and materials, and its window per point.

    Only axes under ``shocks.`` or ``start_date`` move a window, so windows are listed per
    combination of those axes' values (``"i,j"``: their value indices), not per point. A shock
    that does nothing at a point (:func:`_idle_windows`, the rule the report's figures follow)
    has no window there: it is not shaded. Where a shock's size is one that does nothing at
    some combination (:func:`_idle_sized`), axes under ``market.`` and ``agreement.`` move
    windows too (a declared embargo of no size may still set a premium or switch the rule), so
    its windows are listed per combination of those as well.
    """
    sweep = grid.sweep
    axes = sweep.spec.axes
    moving = [i for i, a in enumerate(axes) if a.path.startswith("shocks.") or a.path == "start_date"]
    plans = _combination_plans(grid, moving)
    if any(any(_idle_sized(plan)) for plan in plans.values()):
        moving = sorted(moving + [i for i, a in enumerate(axes) if a.path.startswith(("market.", "agreement."))])
        plans = _combination_plans(grid, moving)
    windows = _windows_over(grid, moving, plans)
    plan = next(reversed(plans.values()))  # the last combination's, as its shocks are listed
    materials = len(plan.structure.materials)
    listed = [
        {
            "id": shock.id,
            "kind": shock.kind.replace("_", " "),
            "colour": SHOCK_COLOURS[k % len(SHOCK_COLOURS)],
            "outline": outline(SHOCK_COLOURS[k % len(SHOCK_COLOURS)]),
            "random": _drawn_at_random(shock),
            "materials": np.flatnonzero(shock.mask.reshape(-1, materials).any(axis=0)).tolist(),
        }
        for k, shock in enumerate(plan.shocks)
    ]
    return {"list": listed, "axes": moving, "windows": windows}


def short_materials(values: np.ndarray) -> list[list[int]]:
    """Per point, the indices of the materials short in any series of ``values`` (point, material, series).

    A material counts as short as in ``stockpile run``'s last line (:func:`simulator.shortages.short`: more than
    5e-7 t, a residue is none); over many runs,
    where any of the median and the 5th and 95th percentiles is: the page shows each of them.

    >>> short_materials(np.array([[[0.0], [2.5]], [[1.0], [3.0]], [[1e-13], [0.0]]]))
    [[1], [0, 1], []]
    """
    short = shortages.short(np.nanmax(values, axis=2))
    return [np.flatnonzero(row).tolist() for row in short]


def _by_material(grid: Grid) -> dict[str, Any] | None:
    """Where the page gives a shortfall by material, and why: None where every point's tonnes may be added.

    The rule is :func:`simulator.scenario.tonnes.not_added`, ``stockpile run``'s: the shortfall over
    the regions, and each region's, is given by material where two materials or more are short
    (:func:`short_materials`) and their tonnes may not be added. ``why`` maps ``"i,j;m,n"`` (the
    value indices of the axes in ``axes``, :attr:`~simulator.sweep.runner.Sweep.tonnes_rule_axes`, and the
    indices of the materials short) to what a total would add (``tonnes of magnet and tonnes of
    oxide``), for each such set at some point, the whole grid's and each region's; a set it does
    not list is added into one figure. ``label`` names the total as ``stockpile run`` does.
    """
    if not grid.by_material:
        return None
    names = headline_names(grid.regions, grid.by_material)
    axes = grid.sweep.tonnes_rule_axes
    scenarios = grid.sweep.tonnes_rule  # worked out once, by run_grid
    lengths = [len(a.values) for a in grid.sweep.spec.axes]
    value_index = np.unravel_index(np.arange(grid.headline.shape[0]), lengths)  # per axis, each point's value
    combos = [tuple(int(value_index[i][p]) for i in axes) for p in range(grid.headline.shape[0])]
    split_prefixes = ["total_shortfall_t.all"] + [f"shortfall_t.{r}" for r in grid.regions]  # given by material
    why: dict[str, str] = {}
    for prefix in split_prefixes:
        values = grid.headline[:, [names.index(f"{prefix}.{m}") for m in grid.by_material]]
        for combo, short in zip(combos, short_materials(values), strict=True):
            key = ",".join(map(str, combo)) + ";" + ",".join(map(str, short))
            if key not in why:
                why[key] = not_added(scenarios[combo], [grid.by_material[m] for m in short]) or ""
    members = grid.sweep.first.agreement.members if grid.sweep.first.agreement else []
    return {
        "label": "Members' shortfall" if members else "Shortfall",
        "axes": axes,
        "why": {key: text for key, text in why.items() if text},
    }


def _commands(grid: Grid) -> dict[str, Any]:
    """Pieces of the commands that reproduce a point: the page adds the axes' values."""
    sweep = grid.sweep
    scenario = shlex.quote(sweep.source)
    fixed = [f"--set {shlex.quote(f'{path}={shown(value)}')}" for path, value in sweep.spec.fixed]
    seed = run_seed(sweep.root_seed, 0)
    return {
        "run": " ".join(["stockpile run", scenario, *fixed]),
        "seed": f"--seed {seed}" if grid.random else None,
        "sweep": " ".join(["stockpile sweep", scenario, *fixed]),
        "sweep_tail": f"--runs {grid.runs} --seed {sweep.root_seed} --curves -o results/{sweep.first.name}_point",
    }


def describe(grid: Grid, packed: Packed, shocks: dict[str, Any]) -> dict[str, Any]:
    """Everything the page reads besides the blob (JSON); ``shocks`` from :func:`_shocks`."""
    first = grid.sweep.first
    members = first.agreement.members if first.agreement else []
    names = Names.of(first)
    by_material = _by_material(grid)
    described = {
        "scenario": first.name,
        "scenario_file": grid.sweep.source,
        "scenario_hash": base_hash(grid.sweep)[:12],  # the scenario explored (with --set), as its sweeps record
        # the scenario explored (the file with --set) and the --set values: a report compares its run with them
        "base": json.loads(json.dumps(grid.sweep.raw, default=str)),
        "fixed": [[path, shown(value)] for path, value in grid.sweep.spec.fixed],
        "description": " ".join(first.description.split()),
        "version": __version__,
        "start_date": first.start_date.isoformat() if first.start_date else None,
        "horizon_days": first.horizon_days,
        "regions": [
            {
                "id": r,
                "name": names.region(r),
                "member": r in members,
                "colour": region_colour(i),
            }
            for i, r in enumerate(grid.regions)
        ],
        "materials": [{"id": m, "name": names.material_text(m)} for m in grid.materials],
        "curves": [{"id": c, "label": CURVE_LABELS[c][0], "unit": CURVE_LABELS[c][1]} for c in CURVES],
        "quantities": headline_names(grid.regions, grid.by_material),
        "runs": grid.runs,
        "random": grid.random,
        "axes": [_axis(grid, i) for i in range(len(grid.sweep.spec.axes))],
        "command": _commands(grid),
        "shocks": shocks,
        "layout": packed.layout,
    }
    if by_material is not None:  # a page whose tonnes may be added has no such key, as before
        described["by_material"] = by_material
    return described


def _script_json(data: dict[str, Any]) -> str:
    """JSON that is safe inside a ``<script>`` element."""
    return json.dumps(data, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")


@dataclass(frozen=True)
class Page:
    """A rendered page and the layout of its data (sample days, stride)."""

    html: str
    layout: dict[str, Any]


def render(grid: Grid, max_bytes: int = MAX_PAGE_BYTES) -> Page:
    """The whole page; raises :class:`InputError` if the grid cannot fit in ``max_bytes``."""
    page = template()
    # the description is longest with daily samples; 1,000 bytes spare for the counts in its layout
    shocks = _shocks(grid)  # the same in both descriptions
    probe = describe(grid, pack(grid.curves[:1], grid.headline[:1], 1), shocks)
    overhead = len(page.encode()) + len(_script_json(probe).encode()) + 1_000
    try:
        packed = pack_within(grid.curves, grid.headline, max_bytes - overhead)
    except ValueError as exc:
        raise InputError(f"the page would exceed {max_bytes:,} bytes: {exc}; explore fewer points") from None
    blob = base64.b64encode(packed.blob).decode("ascii")
    html = page.replace(META_MARK, _script_json(describe(grid, packed, shocks))).replace(BLOB_MARK, blob)
    return Page(html, packed.layout)


def write_page(html: str, path: Path, inputs: Sequence[Path | str] = ()) -> None:
    """Write the page whole or not at all (:func:`simulator.output_folder.write_file`; never over an input)."""
    write_file(path, html, inputs, page=True)


def read_page(page: str | bytes | os.PathLike[str]) -> tuple[dict[str, Any], Packed]:
    """The description and the packed data of a written page (see :func:`simulator.explore.data.unpack`).

    ``page`` is the page's file or its content. A file is an :class:`os.PathLike`, or a ``str``
    naming a path that exists (:func:`os.path.lexists`: a broken link is named as one), read as
    UTF-8, at most :data:`MAX_PAGE_BYTES`; its errors name it. Any other ``str`` is the page's HTML
    text; ``bytes`` are the page's content as written (UTF-8, as ``Path.read_bytes`` gives it).
    A one-line ``str`` that is not a page is named in the error: it may be a path that is missing.
    """
    if isinstance(page, bytes):
        return _read_page_text(_page_text(page))
    if isinstance(page, os.PathLike) or os.path.lexists(page):
        html = read_input_text(Path(page), MAX_PAGE_BYTES, "a page")
        try:
            return _read_page_text(html)
        except InputError as exc:
            raise exc.said_of(str(page)) from None
    try:
        return _read_page_text(page)
    except InputError:
        if "\n" in page:
            raise
        raise InputError("neither an existing file nor an explorer page's text", page) from None


def _page_text(content: bytes) -> str:
    """A page's content as text (UTF-8, universal newlines, as :func:`read_input_text` reads its file)."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"a page's content is {not_utf8(exc)}") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_page_text(html: str) -> tuple[dict[str, Any], Packed]:
    """:func:`read_page` of the page's HTML text."""
    found = {
        name: re.search(rf'<script id="explorer-{name}" type="[^"]+">(.*?)</script>', html, re.DOTALL)
        for name in ("meta", "blob")
    }
    if found["meta"] is None or found["blob"] is None:
        raise InputError("not an explorer page (its data elements are missing)")
    meta = read_json(found["meta"].group(1))
    return meta, Packed(base64.b64decode(found["blob"].group(1)), meta["layout"])
