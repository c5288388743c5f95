"""Figures of a run: days of cover, shortfall, supply mix and prices (matplotlib, no pyplot).

Layer: studies.

Every figure has a panel per material and a line per region, named as the scenario
names them (:class:`~simulator.names.Names`: labels, else names made from the ids);
shock periods are shaded (full-height light bands, or when shocks overlap a thin strip
per shock in lanes along the top of each panel) and named in the legend; the x axis
shows dates when the scenario has a start date. Days on which the agreement released stock are marked by a
band along the bottom of the days-of-cover panels, one colour per rule. A panel with
nothing to show carries a sentence saying so instead of an empty frame.

``stockpile run`` writes the figures as PNG files, a row of panels as wide as the
materials need; the report asks for figures of a set width with at most two panels
side by side, so that their text prints at the size it is set in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerPatch
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from simulator.forked import run_shared
from simulator.mechanisms import BASELINE, BY_NAME, OWN_SHARES, STATUS_QUO
from simulator.metrics import anyone_short, members_burden
from simulator.names import Names, cap, join_words
from simulator.palette import LINE_STYLES, REGION_COLOURS, SHOCK_COLOURS
from simulator.quantities import SHOCK_SIZE_COLUMN
from simulator.results import Result, shared_stock_held, span_dates
from simulator.scenario.checks import day_number, reference_price
from simulator.scenario.portfolio import has_demand
from simulator.shock_effects import KnownShocks, idle_in

MIN_PANEL_IN = 2.0
"""Panels keep at least this height; a figure grows to make room for a long legend."""
RELEASE_COLOURS = ("#3d405b", "#c1121f", "#2a9d8f", "#e9a03b")
"""Colours of the release bands, one per rule in the order the rules first release."""
LEGEND_PT = 8.5
"""Legend text size (points): legible when a report figure prints at its own width."""
EMPTY_INK = "#5d6975"

KIND_NAMES = {
    "embargo": "Embargo",
    "quota_cut": "Quota cut",
    "delay": "Delay",
    "demand_surge": "Demand surge",
    "export_quota": "Export quota",
    "licensing": "Licensing",
}


def plain_text(value: Any) -> str:
    r"""``value`` as plain text for Matplotlib: every ``$`` escaped, so that no text is read as mathtext.

    Matplotlib reads a text with two ``$`` as a formula (``$x$``) and raises on one it cannot
    parse (``China $\frac$ x``); escaped, it draws the ``$`` as typed. Every text a scenario
    or a user gives (names, labels, shock descriptions, titles) goes through here, once,
    on its way into a figure: a backslash without a ``$`` is drawn as typed anyway.

    >>> plain_text("cost $5-$10")
    'cost \\$5-\\$10'
    """
    return str(value).replace("$", r"\$")


def _column(result: Result, table: str, name: str) -> np.ndarray:
    """Column ``name`` of the run's table ``table``.

    The figures read columns, not DataFrames: importing pandas would cost a ``stockpile
    run`` about 0.4 s.
    """
    return result.tables[table].columns[name]


def _rows(result: Result, table: str, **equal: str) -> np.ndarray:
    """Mask of ``table``'s rows whose columns equal the values given (``region="japan"``)."""
    columns = result.tables[table].columns
    mask = np.ones(len(result.tables[table]), bool)
    for name, value in equal.items():
        mask &= columns[name] == value
    return mask


def _percent(share: float) -> str:
    value = 100 * share
    return f"{value:.0f}%" if value >= 10 or value == 0 else f"{value:.1f}%"


REGIONS_NAMED = 3
"""Up to this many regions a shock on all of a scenario's regions names them in its label; beyond, it counts them."""


def shock_target(result: Result, index: int, *, materials: bool = True) -> str:
    """Who does what to whom: ``China → Japan``, ``China → Japan, EU``, ``demand of the EU``.

    A shock that names no regions (a quota, a quota cut) acts on the supplier's exports to
    the scenario's regions only, not on all it exports: it names them, or counts them when
    there are more than :data:`REGIONS_NAMED` (``China → the 5 regions modelled``).
    """
    names = Names.of(result.scenario)
    spec = result.scenario.shocks[index]
    supplier = getattr(spec, "supplier", None)
    named = getattr(spec, "regions", None)
    regions = named or list(result.structure.regions)
    if len(regions) > REGIONS_NAMED and not named:
        whom = f"the {len(regions)} regions modelled"
    else:
        whom = ", ".join(names.region(r) for r in regions)
    if spec.kind == "demand_surge":
        text = f"demand of {whom}"
    else:
        text = f"{names.supplier(supplier)} \u2192 {whom}"
    if materials and spec.materials:
        text += f" ({', '.join(names.material_text(m) for m in spec.materials)})"
    return text


def shock_size(result: Result, index: int) -> float:
    """The drawn size of shock ``index``, from the ``shocks`` column of its kind's unit (a severity, days ...)."""
    kind = str(_column(result, "shocks", "kind")[index])
    return float(_column(result, "shocks", SHOCK_SIZE_COLUMN[kind])[index])


def shock_idle(result: Result, index: int) -> str | None:
    """Why shock ``index`` does nothing in this run, or None when it acts (:func:`idle_shocks`, for one shock)."""
    return idle_shocks(result)[index]


def idle_shocks(result: Result) -> list[str | None]:
    """Why each shock does nothing in this run (``severity 0``), or None where it acts, in the scenario's order.

    :func:`~simulator.shock_effects.idle_in` of this run's draws and days: a what-if switch off
    as written gets no band in the figures and no legend entry; the report's shocks table says
    it is not applied. Callers that go over the shocks ask once, not once per shock.
    """
    count = len(result.scenario.shocks)
    sizes = [shock_size(result, k) for k in range(count)]
    starts, ends = list(_column(result, "shocks", "start_day")), list(_column(result, "shocks", "end_day"))
    known = KnownShocks(result.scenario, result.structure, sizes, starts, ends)
    return [idle_in(known, k) for k in range(count)]


def shock_severity(result: Result, index: int, *, suspended: bool = True) -> str:
    """How severe a shock is: ``full halt``, ``halt with 70% leaking through, the rest held and released over 30 days``.

    A full halt whose cargo is held says so (``full halt, its cargo held and released when it ends``).
    Others: ``50% cut``, ``+14 days lead time``, ``demand ×1.2``, ``15,125 t per 184 days, pro
    rata to orders``.

    An embargo with a ``leak_share`` says what leaks and what becomes of the rest
    (:func:`_halted_rest`): held at origin and released when it ends (``on_halt: held``,
    over ``release_days``) or lost.

    A licensing shock's suspensions are named (``, suspended 7 Nov 2025 – 9 Nov 2026``)
    unless ``suspended`` is False (the report's timeline draws and names them apart).
    """
    spec = result.scenario.shocks[index]
    kind = spec.kind
    magnitude = shock_size(result, index)
    if kind == "embargo":  # with what leaks through: a halt with 70% leaking, the rest held (or lost)
        leak = spec.leak_share
        if not isinstance(leak, float | int) or leak <= 0:  # held cargo is said: it arrives later, not never
            what = "full halt" if magnitude >= 1 else f"{_percent(magnitude)} cut"
            stopped = "its cargo" if magnitude >= 1 else "the cut cargo"
            return what if spec.on_halt != "held" else f"{what}, {_halted_rest(spec, stopped)}"
        rest = _halted_rest(spec)
        if magnitude >= 1:
            return f"halt with {_percent(leak)} leaking through, {rest}"
        return f"{_percent(magnitude)} cut with {_percent(leak)} of it leaking through, {rest}"
    if kind == "quota_cut":
        return f"{_percent(magnitude)} cut"
    if kind == "delay":
        return f"+{magnitude:g} days lead time"
    if kind == "export_quota":
        return f"{magnitude:,.0f} t per {spec.period_days} days, {_quota_sharing(result, spec)}"
    if kind == "licensing":
        if magnitude <= 0:
            text = "licences refused"
        elif magnitude >= 1:  # every licence granted: what restricts is the wait, not refusals
            text = f"every licence approved, after {_processing_days(spec.processing_days)} days' processing"
        else:
            text = f"{_percent(magnitude)} of licences approved after {_processing_days(spec.processing_days)} days"
        if spec.end_use_share < 1:
            text += f", for {_percent(spec.end_use_share)} of the flow"
        start = result.scenario.start_date
        windows = [span_dates(start, day_number(a, start) or 0, day_number(b, start) or 0) for a, b in spec.suspended]
        return text + (f", suspended {', '.join(windows)}" if windows and suspended else "")
    return f"demand \u00d7{magnitude:g}"


def _halted_rest(spec: Any, subject: str = "the rest") -> str:
    """What becomes of what an embargo stops and does not leak: ``the rest held and released over 30 days``.

    ``on_halt: held`` waits at origin and ships when the embargo ends, all at once or over
    ``release_days`` (docs/model.md, held cargo); ``lost`` never leaves. ``subject`` names what
    is stopped (``its cargo`` for an embargo that leaks nothing).
    """
    if spec.on_halt != "held":
        return f"{subject} lost"
    days = spec.release_days
    if not days:
        return f"{subject} held and released when it ends"
    return f"{subject} held and released over {days:g} days after it ends"


def _quota_sharing(result: Result, spec: Any) -> str:
    """How a binding quota is shared: ``pro rata to orders``, ``normal flows first``, ``the EU served first``."""
    if spec.sharing == "contracts_first":
        text = "normal flows first"
    elif spec.sharing == "preference":
        names = Names.of(result.scenario)
        text = f"{', then '.join(names.region(r) for r in spec.preference)} served first"
    else:
        text = "pro rata to orders"
    return text + (f", {_percent(spec.smuggling_share)} of what it stops smuggled" if spec.smuggling_share else "")


def _processing_days(spec: Any) -> str:
    """``45``, ``20-63`` (a range), ``about 45`` (a lognormal's mean)."""
    low, high = getattr(spec, "low", None), getattr(spec, "high", None)
    if low is not None and high is not None:
        return f"{low:g}-{high:g}"
    mean = getattr(spec, "mean", None)
    return f"about {mean:g}" if mean is not None else f"{spec:g}"


def shock_label(result: Result, index: int) -> str:
    """A shock as a legend names it: ``Embargo: China → Japan, full halt``."""
    kind = str(_column(result, "shocks", "kind")[index])
    target = shock_target(result, index, materials=False)
    return f"{KIND_NAMES.get(kind, kind)}: {target}, {shock_severity(result, index)}"


def _x(result: Result, days: np.ndarray) -> np.ndarray:
    start = result.start_date
    if start is None:
        return days
    return np.datetime64(start) + days.astype("timedelta64[D]")


MONTH_STEPS = (1, 2, 3, 6, 12)


def date_ticks(
    start: dt.date, horizon_days: int, ticks: int = 6, *, weeks: bool = True
) -> tuple[list[dt.date], list[str]]:
    """About ``ticks`` tick dates over the horizon, with labels (computed, not searched).

    Month starts every 1, 2, 3, 6 or 12 months (aligned on January) for horizons
    over three months; otherwise every week from the start, unless ``weeks`` is False
    (points a month or more apart, as a record's: month starts then too).

    >>> [label.split()[0] for label in date_ticks(dt.date(2010, 7, 1), 730)[1]]
    ['Jul', 'Jan', 'Jul', 'Jan']
    """
    end = start + dt.timedelta(days=horizon_days)
    if horizon_days <= 92 and weeks:
        step_days = 7 * max(1, round(horizon_days / 7 / ticks))
        days = [start + dt.timedelta(days=d) for d in range(0, horizon_days + 1, step_days)]
        return days, [f"{d.day} {d:%b}" for d in days]
    months = (end.year - start.year) * 12 + end.month - start.month
    step = next((m for m in MONTH_STEPS if months / m <= ticks), 12)
    first = start if start.day == 1 else (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    dates = []
    current = first
    while current <= end:
        if (current.month - 1) % step == 0:
            dates.append(current)
        current = (current.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return dates, [f"{d:%b}\n{d.year}" for d in dates]


def _format_axis(ax: Axes, result: Result, ticks: int = 6) -> None:
    """Dates (about ``ticks`` of them) with a start date, day numbers without."""
    if result.start_date is not None:
        dates, labels = date_ticks(result.start_date, result.scenario.horizon_days, ticks)
        ax.set_xticks([np.datetime64(d) for d in dates], labels)
    else:
        ax.set_xlabel("day")
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def fixed_margins(
    fig: Figure,
    rows: int,
    cols: int,
    *,
    left_in: float = 0.75,
    right_in: float = 0.2,
    top_in: float = 0.55,
    bottom_in: float = 0.65,
    row_gap_in: float = 0.8,
    col_gap_in: float = 0.9,
) -> None:
    """Margins and gaps between panels in inches, whatever the figure's size.

    Fixed margins replace Matplotlib's constrained layout, which measures every text
    several times and took about half of the time of drawing a figure.
    """
    width, height = fig.get_size_inches()
    panel_height = (height - top_in - bottom_in - row_gap_in * (rows - 1)) / rows
    panel_width = panel_width_in(width, cols, left_in=left_in, right_in=right_in, col_gap_in=col_gap_in)
    fig.subplots_adjust(
        left=left_in / width,
        right=1 - right_in / width,
        top=1 - top_in / height,
        bottom=bottom_in / height,
        hspace=row_gap_in / max(panel_height, 0.5),
        wspace=col_gap_in / max(panel_width, 0.5),
    )


def panel_width_in(
    width_in: float, cols: int, *, left_in: float = 0.75, right_in: float = 0.2, col_gap_in: float = 0.9
) -> float:
    """A panel's width in inches in a figure ``width_in`` wide of ``cols`` panels a row (:func:`fixed_margins`).

    >>> round(panel_width_in(7.1, 2), 3), round(panel_width_in(10.4, 2), 3)  # the report's panels; the PNG's
    (2.625, 4.275)
    """
    return (width_in - left_in - right_in - col_gap_in * (cols - 1)) / cols


def grid_width_in(materials: int, columns: int | None = None, width_in: float | None = None) -> float:
    """Width of a figure of a panel per material, side by side up to ``columns``: ``width_in`` when set.

    5.2 inches a column, at least 7 (:class:`Panels` and the one-panel shortfall figure alike).

    >>> grid_width_in(3), grid_width_in(3, columns=2), grid_width_in(1), grid_width_in(3, width_in=6.5)
    (15.600000000000001, 10.4, 7.0, 6.5)
    """
    cols = materials if columns is None else max(1, min(materials, columns))
    return width_in or max(7.0, 5.2 * cols)


class Panels:
    """A figure's grid: ``rows`` panels per material, materials side by side up to ``columns``, then wrapped.

    ``one_row``: materials drawn as one panel, not ``rows`` (a sentence in place of a chart);
    where a wrapped grid's last line holds only such materials, it is one row high, so the
    figure keeps no blank band above its legend (the others leave their lower cells hidden).
    """

    def __init__(
        self,
        result: Result,
        rows: int = 1,
        *,
        materials: list[str] | None = None,
        width_in: float | None = None,
        columns: int | None = None,
        one_row: Collection[str] = (),
    ) -> None:
        self.materials = list(result.structure.materials) if materials is None else materials
        n = len(self.materials)
        self.cols = n if columns is None else max(1, min(n, columns))
        blocks = -(-n // self.cols)
        last_line = self.materials[(blocks - 1) * self.cols :]
        last_rows = 1 if all(m in one_row for m in last_line) else rows
        self.rows = rows * (blocks - 1) + last_rows
        width = grid_width_in(n, columns, width_in)
        panel_in = 3.4 if width_in is None else 2.5
        self.fig = Figure(figsize=(width, panel_in * self.rows + 1.2))
        grid = np.atleast_2d(self.fig.subplots(self.rows, self.cols, squeeze=False))
        self.cells: dict[tuple[int, str], Axes] = {}
        for j, material in enumerate(self.materials):
            block, col = divmod(j, self.cols)
            for row in range(rows if block < blocks - 1 else last_rows):
                self.cells[row, material] = grid[block * rows + row, col]
        used = {id(ax) for ax in self.cells.values()}
        for ax in grid.flat:
            if id(ax) not in used:
                ax.set_visible(False)
        self.ticks = 6 if width / self.cols >= 4.0 else 4
        self.panel_in = panel_width_in(width, self.cols)
        """A panel's width in inches once :func:`finish_figure` has set the margins (its defaults)."""

    def axes(self) -> list[Axes]:
        """The panels in use."""
        return list(self.cells.values())


SHOCK_BAND_ALPHA = 0.22
"""Opacity of a shock's full-height band (shocks that overlap no other shock)."""
LANE_STEP = 0.045
"""Height of a shock lane plus the gap below it, as a share of the panel's height."""
LANE_HEIGHT = 0.035
"""Height of a shock lane's strip, as a share of the panel's height (the release bands' height)."""
LANE_TOP = 0.01
"""Gap between the frame's top edge and the first lane, as a share of the panel's height."""
LANE_CLEARANCE = 0.03
"""Gap between the last lane and the highest curve, as a share of the panel's height."""


class ShockLane(Rectangle):
    """A shock's strip in its lane (x in data, y in axes fraction); its legend swatch is a strip too."""


def shock_shade(result: Result, index: int) -> float:
    """Fill opacity of a shock's bar or lane, darker for a more severe shock (0.35 to 1).

    Embargoes and quota cuts by the share of the flow they stop: their severity (1 = a full
    halt), less what of it leaks through; licensing by the share of the flow it refuses,
    ``(1 - approval share) x end-use share``; other kinds 0.8.

    A licence requirement approving 60% of applications for the whole flow refuses 0.4
    of it: 0.35 + 0.65 x 0.4 = 0.61.
    """
    spec = result.scenario.shocks[index]
    if spec.kind in ("embargo", "quota_cut"):
        severity = float(_column(result, "shocks", "severity")[index])  # not result.shocks: pandas
        leak = getattr(spec, "leak_share", 0.0)
        if isinstance(leak, float | int):  # a drawn leak share: the stated severity
            severity *= 1.0 - leak
    elif spec.kind == "licensing":
        severity = (1.0 - spec.approval_share) * spec.end_use_share
    else:
        return 0.8
    return 0.35 + 0.65 * min(1.0, max(0.0, severity))


def shock_windows(result: Result, material: str) -> list[tuple[int, int, int]]:
    """``(shock index, first day, end day)`` of the shocks on ``material`` within the horizon (end exclusive).

    A shock aimed at regions none of which has demand for ``material`` is not one on it
    (a delay to Japan in a panel of magnets only the EU uses); nor is one that does nothing
    in this run (:func:`idle_shocks`: an embargo of severity 0), which no figure draws.
    """
    horizon = result.scenario.horizon_days
    starts, ends = _column(result, "shocks", "start_day"), _column(result, "shocks", "end_day")
    windows = []
    idle = idle_shocks(result)
    for k, spec in enumerate(result.scenario.shocks):
        if (spec.materials is not None and material not in spec.materials) or idle[k]:
            continue
        regions = getattr(spec, "regions", None)
        if regions and not any(has_demand(result.scenario, region, material) for region in regions):
            continue
        start, end = max(0, int(starts[k])), min(horizon, int(ends[k]))
        if end > start:
            windows.append((k, start, end))
    return windows


def shock_lanes(windows: list[tuple[int, int, int]]) -> list[int]:
    """The lane of each of ``windows`` (0 on top): the first lane free by the window's first day.

    Windows are placed by first day (then shock order); shocks that follow one another
    share a lane, shocks over the same days never do.

    >>> shock_lanes([(0, 0, 184), (1, 82, 119), (2, 109, 119), (3, 119, 142), (4, 184, 549)])
    [0, 1, 2, 1, 0]
    """
    free_from: list[int] = []  # the end day of each lane's last window
    lanes = [0] * len(windows)
    for i in sorted(range(len(windows)), key=lambda i: (windows[i][1], windows[i][0])):
        _, start, end = windows[i]
        lane = next((n for n, day in enumerate(free_from) if day <= start), len(free_from))
        if lane == len(free_from):
            free_from.append(end)
        free_from[lane] = end
        lanes[i] = lane
    return lanes


def shocks_overlap(result: Result) -> bool:
    """Whether two shocks on the same material share a day (then every panel draws its shocks in lanes)."""
    return any(max(shock_lanes(shock_windows(result, m)), default=0) > 0 for m in result.structure.materials)


def _both_windows(result: Result, other: Result | None, material: str) -> list[tuple[Result, int, int, int]]:
    """``(run, shock index, first day, end day)`` of the shocks to shade on ``material``.

    The run's :func:`shock_windows`, then those of ``other``'s shocks (by id) that act there in
    ``other`` only (a switch one of two compared runs sets to 0).
    """
    windows = [(result, k, start, end) for k, start, end in shock_windows(result, material)]
    if other is not None:
        acting = {result.scenario.shocks[k].id for _, k, _, _ in windows}
        windows += [
            (other, k, start, end)
            for k, start, end in shock_windows(other, material)
            if other.scenario.shocks[k].id not in acting
        ]
    return windows


def _shade_shocks(ax: Axes, result: Result, material: str, other: Result | None = None, only: str = "") -> float:
    """Shocks on ``material``: full-height light bands, or thin lanes along the top when shocks overlap.

    Bands over the same days blend into one colour no legend swatch matches, so when any
    two shocks of the run overlap each shock is a strip in a lane of its own over its days
    (:func:`shock_lanes`), in its colour, darker for a more severe shock
    (:func:`shock_shade`). Returns the share of the panel's height the lanes take (0 with
    bands): :func:`_clear_lanes` keeps the curves below them.

    ``other``: a run compared with this one; a shock that acts in it and not in this run
    (:func:`shock_idle`) is shaded too, as it is in ``other``, its label followed by ``only``.
    """
    windows = _both_windows(result, other, material)
    if other is None:
        lanes_drawn = shocks_overlap(result)
    else:
        lanes_drawn = any(
            max(shock_lanes([(k, a, b) for _, k, a, b in _both_windows(result, other, m)]), default=0) > 0
            for m in result.structure.materials
        )
    lanes = shock_lanes([(k, start, end) for _, k, start, end in windows])
    for (run, k, start, end), lane in zip(windows, lanes, strict=True):
        x0, x1 = _x(result, np.array([start, end]))
        colour = SHOCK_COLOURS[k % len(SHOCK_COLOURS)]
        label = shock_label(run, k) + (only if run is not result else "")
        if not lanes_drawn:
            ax.axvspan(x0, x1, color=colour, alpha=SHOCK_BAND_ALPHA, lw=0, label=label)
            continue
        top = 1 - LANE_TOP - LANE_STEP * lane
        ax.xaxis.update_units(np.array([x0, x1]))  # dates: the axis' converter, as for the curves
        left, right = ax.convert_xunits(x0), ax.convert_xunits(x1)
        fill = to_rgba(colour, shock_shade(run, k))
        lane_patch = ShockLane((left, top - LANE_HEIGHT), right - left, LANE_HEIGHT, fc=fill, ec=colour, lw=0.6)
        lane_patch.set(transform=ax.get_xaxis_transform(), label=label)
        ax.add_patch(lane_patch)
    if not lanes_drawn or not windows:
        return 0.0
    return LANE_TOP + LANE_STEP * (max(lanes) + 1) + LANE_CLEARANCE


def _clear_lanes(ax: Axes, share: float) -> None:
    """Raise the top of ``ax``'s y axis so that its curves stay out of the top ``share`` of the panel.

    Call after the curves are drawn and the limits set. On a linear axis from 0 to 90
    with lanes taking 0.25 of the panel, the axis runs to 90 / 0.75 = 120.
    """
    if share <= 0:
        return
    low, high = ax.get_ylim()
    if ax.get_yscale() == "log":
        ax.set_ylim(low, low * (high / low) ** (1 / (1 - share)))
    else:
        ax.set_ylim(low, low + (high - low) / (1 - share))


def _style(i: int) -> dict[str, object]:
    """Colour, line style and width of region ``i``: later regions drawn thinner, so overlaps stay visible."""
    return {
        "color": REGION_COLOURS[i % len(REGION_COLOURS)],
        "ls": LINE_STYLES[i // len(REGION_COLOURS) % len(LINE_STYLES)],
        "lw": max(1.0, 2.8 - 0.8 * i),
    }


def _region_lines(ax: Axes, result: Result, material: str, column: str) -> None:
    """A line per region with demand for ``material`` (:func:`simulator.scenario.portfolio.has_demand`)."""
    names = Names.of(result.scenario)
    days, values = _column(result, "timeseries", "day"), _column(result, "timeseries", column)
    for i, region in enumerate(result.structure.regions):
        if not has_demand(result.scenario, region, material):
            continue
        rows = _rows(result, "timeseries", region=region, material=material)
        ax.plot(_x(result, days[rows]), values[rows], label=names.region(region), **_style(i))


def release_runs(days: np.ndarray) -> list[tuple[int, int]]:
    """Runs of consecutive days as ``(first, end)`` with ``end`` exclusive.

    >>> release_runs(np.array([3, 4, 5, 9, 11, 12]))
    [(3, 6), (9, 10), (11, 13)]
    """
    if not len(days):
        return []
    breaks = np.flatnonzero(np.diff(days) != 1)
    firsts = np.concatenate([[days[0]], days[breaks + 1]])
    lasts = np.concatenate([days[breaks], [days[-1]]])
    return [(int(a), int(b) + 1) for a, b in zip(firsts, lasts, strict=True)]


def _mark_releases(ax: Axes, result: Result, material: str, rules: list[str]) -> None:
    """A band along the bottom of the panel over the days each rule released stock."""
    released = [(day, rule) for day, m, rule in _release_days(result) if m == material]
    for k, rule in enumerate(rules):
        days = np.array([day for day, r in released if r == rule], dtype=np.int64)
        label = f"released ({BY_NAME[rule].label})"
        colour = RELEASE_COLOURS[k % len(RELEASE_COLOURS)]
        for first, end in release_runs(days):
            x0, x1 = _x(result, np.array([first, end]))
            ax.axvspan(x0, x1, ymin=0.045 * k, ymax=0.045 * k + 0.035, color=colour, lw=0, label=label)
            label = "_"  # one legend entry per rule


def _release_days(result: Result) -> list[tuple[int, str, str]]:
    """``(day, material, release_rule)`` of the days some region received stock under the agreement, by day.

    The rule is the one named on the day's first row of the material (releases are never
    negative, so a day released stock when any region's release is above 0).
    """
    rules = _column(result, "timeseries", "release_rule")
    ruled = np.flatnonzero(rules != "").tolist()
    days = _column(result, "timeseries", "day")[ruled].tolist()
    materials = _column(result, "timeseries", "material")[ruled].tolist()
    released = (_column(result, "timeseries", "released_t")[ruled] > 0).tolist()
    first_rule: dict[tuple[int, str], str] = {}
    any_released: dict[tuple[int, str], bool] = {}
    for row, day, material, positive in zip(ruled, days, materials, released, strict=True):
        key = (int(day), str(material))
        first_rule.setdefault(key, str(rules[row]))
        any_released[key] = any_released.get(key, False) or positive
    found = [(day, material, first_rule[day, material]) for (day, material), yes in any_released.items() if yes]
    return sorted(found, key=lambda item: item[0])


def released_rules(result: Result) -> list[str]:
    """Rules that released stock in the run, in the order they first did."""
    return list(dict.fromkeys(rule for _, _, rule in _release_days(result)))


def empty_panel(ax: Axes, text: str) -> None:
    """A panel that says in words why it has nothing to draw."""
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_color("#d8dee5")
    ax.text(
        0.5,
        0.5,
        plain_text(text),
        transform=ax.transAxes,
        ha="center",
        va="center",
        wrap=True,
        color=EMPTY_INK,
        fontsize=10,
    )


def _legend(axes: list[Axes]) -> tuple[list[Any], list[str]]:
    """Legend entries of all panels, each label once: lines first, then release bands, then shocks."""
    entries: dict[str, Any] = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            entries.setdefault(label, handle)

    ordered = sorted(entries.items(), key=lambda item: _rank(*item))
    return [h for _, h in ordered], [label for label, _ in ordered]


def _rank(label: str, handle: Any) -> int:
    """A legend entry's group: 0 a line, 1 a release band, 2 a shock."""
    return 0 if isinstance(handle, Line2D) else 1 if label.startswith("released (") else 2


def _legend_columns(labels: list[str], width_in: float) -> int:
    """How many columns of ``labels`` fit a figure ``width_in`` inches wide (1 to 4)."""
    longest = max((len(label) for label in labels), default=1)
    return max(1, min(4, len(labels), int((width_in - 0.4) // (0.058 * longest + 0.45))))


LEGEND_ROW_IN = 0.19
"""Height of a row of a figure's legend at :data:`LEGEND_PT`, inches (measured: 0.189, plus 0.035 a legend)."""
LEGEND_LINE_IN = 0.16
"""Height a legend entry gains for each line its label is broken into beyond the first, inches (measured: 0.15-0.17)."""
LEGEND_PADS_IN = (2 * 0.4 + 2.0 + 0.8) * LEGEND_PT / 72
"""Width a legend of one column adds to its widest label, inches: Matplotlib's padding each side (0.4 em),
the swatch (2 em) and the gap after it (0.8 em); each further column adds its swatch, gap and 2 em between columns."""
PNG_DPI = 110
"""Resolution of the PNG files ``stockpile run`` writes (:func:`write_figures`)."""
HINTED_TEXT = 1.04
"""How much wider than its glyphs' outlines (:func:`text_width_in`) Agg may draw a text: its hinting rounds each
glyph, 1.5-3.3% wider at 100 dpi (a 6.50 inch legend label drawn 6.69 inches wide)."""


def drawn_width_in(texts: list[str], size: float) -> float:
    """Width in inches of the widest line of ``texts`` as Agg draws it at ``size``, 0 for none.

    Measured at Matplotlib's default resolution (a figure shown or measured as made) and at
    :data:`PNG_DPI`, the wider of the two: hinting makes a text a few percent wider than
    :func:`text_width_in` measures it, by an amount that depends on the resolution.
    """
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties

    font = FontProperties(size=size)
    lines = [line for text in texts for line in text.split("\n")]
    return max(
        (
            _agg(dpi).get_text_width_height_descent(line, font, ismath=False)[0] / dpi
            for dpi in (float(mpl.rcParams["figure.dpi"]), PNG_DPI)
            for line in lines
        ),
        default=0.0,
    )


def _agg(dpi: float) -> Any:
    """A renderer of Agg at ``dpi``, to measure text with (made once per resolution)."""
    if dpi not in _RENDERERS:
        from matplotlib.backends.backend_agg import RendererAgg

        _RENDERERS[dpi] = RendererAgg(1, 1, dpi)
    return _RENDERERS[dpi]


_RENDERERS: dict[float, Any] = {}


def _legend_width_in(labels: list[str], columns: int) -> float:
    """Width of a legend of ``labels`` in ``columns`` as Matplotlib fills them and Agg draws them, inches.

    The first ``len(labels) % columns`` columns take an entry more than the others; each is as wide as its
    widest line (a label broken into lines is as wide as its longest).
    """
    em = LEGEND_PT / 72
    parts = [part for part in np.array_split(np.arange(len(labels)), columns) if len(part)]
    texts = [drawn_width_in([labels[k] for k in part], LEGEND_PT) for part in parts]
    return LEGEND_PADS_IN + sum(texts) + (len(texts) - 1) * (2.0 + 0.8 + 2.0) * em


def legend_layout(labels: list[str], width_in: float) -> tuple[list[str], int]:
    """``labels`` as a figure ``width_in`` inches wide sets them, and in how many columns.

    As many columns as :func:`_legend_columns` estimates, fewer where they would run past the figure's
    edges (measured, :func:`_legend_width_in`); in one column a label too long for the figure is broken
    after a comma, then at spaces (:func:`label_lines`, with :data:`HINTED_TEXT` to spare), so that no
    legend is wider than its figure, unless one word of a label is (a name of over 60 characters without a
    space, which :func:`label_lines` keeps whole); the others stay whole. A report's figure is 7.1 inches wide: a
    licensing shock's label drawn 6.69 inches wide, with its swatch and padding, was 0.01 inch wider.
    """
    columns = _legend_columns(labels, width_in)
    while columns > 1 and _legend_width_in(labels, columns) > width_in:
        columns -= 1
    if columns == 1:  # only the labels that would run past the edges are broken
        text_in = (width_in - LEGEND_PADS_IN) / HINTED_TEXT
        labels = [
            "\n".join(label_lines(label, LEGEND_PT, text_in)) if _legend_width_in([label], 1) > width_in else label
            for label in labels
        ]
    return labels, columns


def legend_height_in(labels: list[str], columns: int) -> float:
    """Height of a legend of ``labels`` in ``columns``, inches: its tallest column.

    A row is :data:`LEGEND_ROW_IN` high, a label broken into two lines :data:`LEGEND_LINE_IN` higher.
    """
    parts = np.array_split(np.arange(len(labels)), max(1, columns))
    return max(
        (LEGEND_ROW_IN * len(part) + LEGEND_LINE_IN * sum(labels[k].count("\n") for k in part) for part in parts),
        default=0.0,
    )


TITLE_LINE_IN = 0.22
"""Height of a line of a figure's 12 pt title, inches."""
TITLE_CHAR_IN = 0.105
"""Width of an average character of a 12 pt bold title, inches (DejaVu Sans, measured generously)."""


def wrapped_title(title: str, width_in: float, char_in: float = TITLE_CHAR_IN, margin_in: float = 0.3) -> list[str]:
    """``title`` in lines that fit a figure ``width_in`` inches wide, 20 characters at least (:func:`wrapped_lines`).

    ``char_in``: the width of an average character (a figure's 12 pt bold title by default);
    ``margin_in``: what the lines leave free of the width. Every figure's titles and axis labels
    that are wrapped to a width in inches are wrapped here: the run's, the sweep's, the sensitivity's.

    >>> wrapped_title("a title that is long enough to be broken in two", 3.0)
    ['a title that is long', 'enough to be broken in', 'two']
    """
    return wrapped_lines(title, max(20, int((width_in - margin_in) / char_in)))


def wrapped_lines(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters: at spaces, else also after a path's dots.

    Broken at spaces alone where every line then fits (never at a hyphen); a swept path has no
    spaces to break at: ``agreement.pool.contributions.eu.light_ree.days`` breaks after a dot.
    A part still longer than ``width`` is cut into lines of ``width`` characters.

    >>> wrapped_lines("agreement.pool.contributions.eu.light_ree.days (days)", 36)
    ['agreement.pool.contributions.eu.', 'light_ree.days (days)']
    >>> wrapped_lines("sweep of agreement.ratio.japan x shocks.halt.end", 80)
    ['sweep of agreement.ratio.japan x shocks.halt.end']
    >>> wrapped_lines("", 10), wrapped_lines("abcdefghij_abcdefghij", 10)
    ([''], ['abcdefghij', '_abcdefghi', 'j'])
    >>> wrapped_lines("abcdefghijklmnopq-rstuvwxyz", 20)  # cut at the width, not at the hyphen
    ['abcdefghijklmnopq-rs', 'tuvwxyz']
    """
    import re
    import textwrap

    width = max(width, 1)
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    if any(len(line) > width for line in lines):  # a word too long: broken after its dots
        lines, line = [], ""
        for part in re.findall(r"[^ .]*\.|[^ .]+ ?| ", text):
            if line and len((line + part).rstrip()) > width:
                lines.append(line.rstrip())
                line = part.lstrip()
            else:
                line += part
        lines += [line.rstrip()] if line.strip() else []
        lines = [
            cut
            for line in lines
            for cut in ([line] if len(line) <= width else textwrap.wrap(line, width, break_on_hyphens=False))
        ]
    return lines or [""]


def finish_figure(
    fig: Figure,
    panels: list[Axes],
    title: str,
    rows: int,
    cols: int,
    *,
    left_in: float = 0.75,
    lead: list[tuple[Any, str]] | None = None,
    shocks_above: bool = False,
) -> None:
    """Title on top, one legend below for every panel (``lead`` entries first), margins in inches.

    ``shocks_above``: the shocks' entries make a key of their own between the title and the
    panels, right above the strips they explain, rather than under the last row of panels.
    """
    handles, labels = _legend(panels)
    if lead:
        kept = [(h, t) for h, t in zip(handles, labels, strict=True) if t not in {t for _, t in lead}]
        handles, labels = [h for h, _ in [*lead, *kept]], [t for _, t in [*lead, *kept]]
    key: list[tuple[Any, str]] = []
    if shocks_above:
        key = [(h, t) for h, t in zip(handles, labels, strict=True) if _rank(t, h) == 2]
        kept = [(h, t) for h, t in zip(handles, labels, strict=True) if _rank(t, h) != 2]
        handles, labels = [h for h, _ in kept], [t for _, t in kept]
    width = fig.get_size_inches()[0]
    labels, columns = legend_layout(labels, width)
    bottom_in = 0.64 + legend_height_in(labels, columns)  # the dates (0.44 with their ticks), a gap (0.1), the legend
    title_lines = wrapped_title(title, width)
    top_in = 0.55 + TITLE_LINE_IN * (len(title_lines) - 1)
    key_labels, key_columns = legend_layout([t for _, t in key], width)
    key_in = (legend_height_in(key_labels, key_columns) + 0.2) if key else 0.0
    top_in += key_in
    height = fig.get_size_inches()[1]
    needed_in = top_in + bottom_in + rows * MIN_PANEL_IN + 0.8 * (rows - 1)
    if height < needed_in:
        fig.set_size_inches(width, needed_in)
    fixed_margins(fig, rows, cols, left_in=left_in, top_in=top_in, bottom_in=bottom_in)
    _fit_line_labels(fig, panels)
    height = fig.get_size_inches()[1]
    fig.suptitle(plain_text("\n".join(title_lines)), fontsize=12, fontweight="bold", y=1 - 0.12 / height)
    fig.legend(
        handles,
        [plain_text(label) for label in labels],
        loc="lower center",
        ncols=columns,
        fontsize=LEGEND_PT,
        frameon=False,
        bbox_to_anchor=(0.5, 0.02 / height),
        handler_map={ShockLane: HandlerPatch(patch_func=_lane_swatch)},
    )
    if key:
        title_in = 0.12 + TITLE_LINE_IN * len(title_lines) + 0.04  # the title's lines, from the top edge
        fig.legend(
            [h for h, _ in key],
            [plain_text(t) for t in key_labels],
            loc="upper center",
            ncols=key_columns,
            fontsize=LEGEND_PT,
            frameon=False,
            bbox_to_anchor=(0.5, 1 - title_in / height),
            handler_map={ShockLane: HandlerPatch(patch_func=_lane_swatch)},
        )


def _lane_swatch(
    legend: Any, orig_handle: Any, xdescent: float, ydescent: float, width: float, height: float, fontsize: float
) -> Rectangle:
    """A shock lane's legend swatch: a strip along the top of the swatch's box, as the lane is drawn."""
    return Rectangle((-xdescent, -ydescent + 0.55 * height), width, 0.45 * height)


COVER_TARGETS_DAYS = (30.0, 60.0)
"""Target lines on cover figures: a month and two months of normal demand."""
COVER_TARGETS_LABEL = "30 and 60 days of normal demand, for reference"
"""The legend's entry for the target lines (:data:`COVER_TARGETS_DAYS`): a dashed line unnamed reads as data."""
TRIGGER_SHOWN_WHERE = "(shown where commercial stock is all its cover)"
"""Why the trigger's line is on some panels only (:func:`trigger_line_days`): it is plotted where the curve is
commercial cover, the stock the trigger tests; not stock drawn from the pool."""
TRIGGER_COLOUR = "#7b2cbf"
"""The release trigger's line on the days-of-cover panels."""


def trigger_line_days(result: Result, material: str) -> float | None:
    """The release trigger in days where the days-of-cover panel of ``material`` can show it, else ``None``.

    The trigger (``agreement.trigger.commercial_days_below``) lets a member call on the
    shared stock once its *commercial* stock falls below that many days of its baseline
    demand; the panel draws *drawable* cover, which also counts national reserves,
    bought auction stock and the pool stock a sharing rule lets a member draw. The line
    is drawn only where the two are the same thing: for every member with demand for
    ``material``, drawable cover equals commercial cover on every day
    (:func:`all_cover_commercial`), and every region the panel draws is a member. ``None``
    without an agreement, when it triggers on a gap (0 days), when no region uses
    ``material``, when a region that is not a member does (the trigger does not apply to
    its curve), when some member's curve counts stock beyond its commercial stock (a
    line at 15 days over a curve at 60 days whose commercial part is at 5 would say the
    member was far from its trigger), or when there is no shared stock of ``material``
    for a call to release on any day (:func:`~simulator.results.shared_stock_held`: a line that says a
    member may call on the shared stock, on the panel of a material nobody shares).
    """
    agreement = result.scenario.agreement
    if agreement is None or agreement.trigger.commercial_days_below <= 0:
        return None
    plotted = [r for r in result.structure.regions if has_demand(result.scenario, r, material)]
    if not plotted or not set(plotted) <= set(agreement.members):  # the line would sit over a non-member's curve
        return None
    if not shared_stock_held(result, material):  # compiles the plan: after the cheap tests
        return None
    if not all_cover_commercial(result, material, plotted):
        return None
    return float(agreement.trigger.commercial_days_below)


def trigger_lines(result: Result) -> dict[str, float]:
    """Material -> the release trigger in days, for the materials whose days-of-cover panel draws it.

    What :func:`trigger_line_days` gives, for every material it is not None: the fan chart of
    days of cover (:func:`simulator.sensitivity.figures.fan_figure`, ``triggers``) draws the
    line on the same materials.
    """
    found = {m: trigger_line_days(result, m) for m in result.structure.materials}
    return {m: days for m, days in found.items() if days is not None}


def all_cover_commercial(result: Result, material: str, regions: list[str]) -> bool:
    """Whether each of ``regions``' drawable days of cover of ``material`` is its commercial stock's, every day.

    Commercial cover is ``commercial_stock_t / baseline_demand_t`` (end of day, as the
    trigger's test); compared to 1e-9 days (rounding), days without demand aside.
    """
    cover, stock = _column(result, "timeseries", "days_of_cover"), _column(result, "timeseries", "commercial_stock_t")
    baseline = _column(result, "timeseries", "baseline_demand_t")
    for region in regions:
        rows = _rows(result, "timeseries", region=region, material=material) & (baseline > 0)
        commercial = stock[rows] / baseline[rows]
        if not np.allclose(cover[rows].astype(float), commercial, rtol=0.0, atol=1e-9):
            return False
    return True


LABEL_SPOTS = (
    (0.0, "bottom"),
    (0.7, "bottom"),
    (0.35, "bottom"),
    (0.0, "top"),
    (0.7, "top"),
    (0.35, "top"),
)
"""Where a reference line's label may go, in order of preference: the share of the panel's
width where its span starts (at the line's left end, its right end, or the middle), and
above the line (``va`` "bottom") or below it ("top")."""
LABEL_SPAN = 0.3
"""Share of a panel's width a reference line's label is taken to span."""


def clear_spot(
    curves: list[np.ndarray],
    value: float,
    *,
    labelled: tuple[float, ...] = (),
    range_share: float = 0.08,
    spots: tuple[tuple[float, str], ...] = LABEL_SPOTS,
    placed: tuple[tuple[float, tuple[float, str]], ...] = (),
    span: float = LABEL_SPAN,
) -> tuple[float, str]:
    """Where a label of a horizontal line at ``value`` crosses fewest ``curves``: one of ``spots``, in their order.

    The label is taken to span ``span`` of the panel's width (:data:`LABEL_SPAN` unless
    measured) and ``range_share`` of the curves' range (from 0) above or below the
    line; the first spot that the fewest points of the curves fall in wins. A spot below
    the line needs the room above 0; lines at ``labelled`` values carry their own labels
    above their right ends (the last :data:`LABEL_SPAN` of the width), and a spot that
    reaches one is never taken; nor one that reaches a label already ``placed`` (its
    line's value and spot, :data:`LABEL_SPAN` wide).

    >>> rising = [np.linspace(16.0, 40.0, 100)]  # just above the line at first, far above it at the end
    >>> clear_spot(rising, 15.0), clear_spot(rising, 15.0, labelled=(20.0,))  # the right end; the middle if labelled
    ((0.7, 'bottom'), (0.35, 'bottom'))
    >>> clear_spot([np.full(100, 6.0)], 5.8)  # a curve just above the line all along: below it
    (0.0, 'top')
    >>> clear_spot([np.full(100, 1.0), np.full(100, 20.0)], 0.5)  # ... unless there is no room below it above 0
    (0.0, 'bottom')
    >>> clear_spot([np.full(100, 6.0)], 5.8, placed=((5.5, (0.0, "top")),))  # not over a label placed there
    (0.7, 'top')
    >>> left = ((0.0, "bottom"), (0.0, "top"))  # a label 0.8 of the width wide reaches one at the right end
    >>> clear_spot([np.full(100, 6.0)], 5.8, spots=left, placed=((5.5, (0.7, "top")),), span=0.8)
    (0.0, 'bottom')
    """
    top = max([value, *labelled, *(float(np.nanmax(c)) for c in curves if len(c) and np.isfinite(c).any())])
    size = range_share * top

    def rise(at: float, va: str) -> tuple[float, float]:
        return (at, at + size) if va == "bottom" else (at - size, at)

    def crossing(spot: tuple[float, str]) -> float:
        start, va = spot
        low, high = rise(value, va)
        if low < 0 or (start + span > 1 - LABEL_SPAN and any(low <= other <= high + size for other in labelled)):
            return np.inf
        for at, (other_start, other_va) in placed:
            other_low, other_high = rise(at, other_va)
            overlap = other_start < start + span and start < other_start + LABEL_SPAN
            if overlap and other_low < high and low < other_high:
                return np.inf
        count = 0
        for curve in curves:
            first, end = round(start * len(curve)), round((start + span) * len(curve))
            part = curve[first : max(end, first + 1)]
            count += int(((part >= low) & (part <= high)).sum())
        return count

    return min(spots, key=crossing)


LINE_LABEL_PT = 8.5
"""Type size of a reference line's label (``60 days``, ``trigger 15 days``, a pool share's)."""
LINE_LABEL_INSET_IN = 6 / 72
"""Width a line's label leaves free of its panel: its 2-3 pt offset from the frame, its box's padding, a gap."""


def label_lines(text: str, size: float, width_in: float | None) -> list[str]:
    """``text`` in lines at most ``width_in`` wide at ``size``: whole if it fits, else broken after commas, then spaces.

    A label too long for its panel (a report's panel is 2.6 inches wide) is broken where its
    clauses end before any word is moved on; a single word longer than ``width_in`` stays whole.

    >>> label_lines("own pool shares = 60 days, not drawable under the rule", 8.5, 2.5)
    ['own pool shares = 60 days,', 'not drawable under the rule']
    >>> label_lines("own pool shares = 60 days, not drawable under the rule", 8.5, 4.0)
    ['own pool shares = 60 days, not drawable under the rule']
    """
    if width_in is None or text_width_in([text], size) <= width_in:
        return [text]
    clauses = text.split(", ")
    lines: list[str] = []
    for k, clause in enumerate(clauses):
        clause = clause if k == len(clauses) - 1 else f"{clause},"
        if lines and text_width_in([f"{lines[-1]} {clause}"], size) <= width_in:
            lines[-1] = f"{lines[-1]} {clause}"
        else:
            lines.extend(_wrapped(clause, size, width_in))
    return lines


LINE_LABEL_LEADING = 1.2
"""Height of a line of a label, in multiples of its type size (Matplotlib's line spacing)."""


def _fit_line_labels(fig: Figure, panels: list[Axes]) -> None:
    """Keep the labels beside horizontal lines inside their panels and off each other.

    Run once the margins are set: the labels (:func:`_line_label`, the target lines') are
    placed before the panel's width is known. One that runs past its panel's edge (at the
    middle of a narrow panel, or a long one) is broken into lines that fit
    (:func:`label_lines`); one that would cover a label drawn before it in the panel (lines
    a few days apart on an axis of 3,000 days) moves up clear of it, or down if that leaves
    the panel.
    """
    width, height = fig.get_size_inches()
    for ax in panels:
        frame = ax.get_position()
        panel = frame.width * width
        boxes: list[tuple[float, float, float, float]] = []
        for text in _line_labels(ax):
            at, offset = float(text.xy[0]), abs(float(text.xyann[0])) / 72
            room = (at if text.get_horizontalalignment() == "right" else 1 - at) * panel - offset - 2 / 72
            if text_width_in(text.get_text().split("\n"), text.get_fontsize()) > room:
                text.set_text("\n".join(label_lines(text.get_text().replace("\n", " "), text.get_fontsize(), room)))
            box = _label_box(fig, ax, text)
            for _ in range(len(boxes) + 1):
                hit = next((b for b in boxes if _overlap(box, b)), None)
                if hit is None:
                    break
                up = hit[3] + 1 / 72 - box[1]
                if box[3] + up > frame.y1 * height:
                    up = hit[1] - 1 / 72 - box[3]
                text.xyann = (text.xyann[0], text.xyann[1] + up * 72)
                box = (box[0], box[1] + up, box[2], box[3] + up)
            boxes.append(box)


def _line_labels(ax: Axes) -> list[Any]:
    """The labels beside horizontal lines of ``ax``, in the order they were drawn: x in axes fraction, y in data."""
    from matplotlib.text import Annotation

    return [t for t in ax.texts if isinstance(t, Annotation) and t.xycoords == ("axes fraction", "data")]


def _label_box(fig: Figure, ax: Axes, text: Any) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of a line's label in inches from the figure's corner, measured from its font, not drawn."""
    from matplotlib.transforms import blended_transform_factory

    anchor = blended_transform_factory(ax.transAxes, ax.transData).transform(text.xy) / fig.dpi
    x, y = anchor[0] + text.xyann[0] / 72, anchor[1] + text.xyann[1] / 72
    lines = text.get_text().split("\n")
    w = text_width_in(lines, text.get_fontsize())
    h = len(lines) * LINE_LABEL_LEADING * text.get_fontsize() / 72
    x0 = x - w if text.get_horizontalalignment() == "right" else x
    y0 = y - h if text.get_verticalalignment() == "top" else y
    return (x0, y0, x0 + w, y0 + h)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether two boxes (x0, y0, x1, y1) overlap."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _line_label(ax: Axes, value: float, text: str, spot: tuple[float, str], colour: str) -> None:
    """``text`` beside a horizontal line at ``value``, at ``spot`` (:func:`clear_spot`), on a light white box.

    In a crowded panel no spot may be clear of every line (15 days of a 0-200 axis in a
    report's panel is less than the label's height below the 30-day line): the box keeps
    the text legible over what passes behind it.
    """
    start, va = spot
    right = start + LABEL_SPAN >= 1
    ax.annotate(
        text,
        (1.0 if right else start, value),
        xycoords=("axes fraction", "data"),
        xytext=(-2 if right else 3, 2 if va == "bottom" else -2),
        textcoords="offset points",
        ha="right" if right else "left",
        va=va,
        fontsize=LINE_LABEL_PT,
        color=colour,
        bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},  # legible over a grid line
    )


def _trigger_line(ax: Axes, days: float) -> tuple[float, str]:
    """The release trigger at ``days``: a dotted line named in the legend, its value written where no curve crosses.

    Draw it after the curves and before the target lines (:data:`COVER_TARGETS_DAYS`),
    whose labels it keeps clear of.
    """
    curves = [np.asarray(line.get_ydata(), float) for line in ax.get_lines()]
    spot = clear_spot(curves, days, labelled=COVER_TARGETS_DAYS)
    ax.axhline(
        days,
        color=TRIGGER_COLOUR,
        linewidth=1.1,
        linestyle=(0, (1, 1.5)),
        zorder=1.5,
        label=f"release trigger: a member's commercial stock below {days:g} days {TRIGGER_SHOWN_WHERE}",
    )
    _line_label(ax, days, f"trigger {days:g} days", spot, TRIGGER_COLOUR)
    return spot


TARGET_SPOTS = ((0.7, "bottom"), *(spot for spot in LABEL_SPOTS if spot != (0.7, "bottom")))
"""Where a target line's label (``60 days``) may go: above its right end first, where it always was."""


def _target_lines(
    ax: Axes,
    curves: list[np.ndarray],
    placed: tuple[tuple[float, tuple[float, str]], ...],
    targets: tuple[float, ...] = COVER_TARGETS_DAYS,
) -> tuple[tuple[float, tuple[float, str]], ...]:
    """The 30- and 60-day lines (:data:`COVER_TARGETS_DAYS`), labelled above their right ends unless a curve is there.

    A curve through the label (Japan's cover at 63 days across ``60 days``) moves it to
    the first clear spot of :data:`TARGET_SPOTS` (:func:`clear_spot`), on a light box;
    labels already ``placed`` (the trigger's) are kept clear of; returns them with the targets' own.
    Only ``targets`` are drawn: one that a pool-share line lies on is named by that line's label
    (:func:`_pool_share_lines`), not drawn under it.
    """
    for k, target in enumerate(targets):
        label = _targets_label(targets) if k == 0 else "_"  # one legend entry names both lines
        ax.axhline(target, color="0.45", linewidth=0.8, linestyle=(0, (4, 3)), zorder=1, label=label)
        others = tuple(t for t in targets if t != target)
        spot = clear_spot(curves, target, labelled=others, spots=TARGET_SPOTS, placed=placed)
        placed = (*placed, (target, spot))
        if spot != TARGET_SPOTS[0]:
            _line_label(ax, target, f"{target:g} days", spot, "0.35")
            continue
        ax.annotate(
            f"{target:g} days",
            (1.0, target),
            xycoords=("axes fraction", "data"),
            xytext=(-2, 2),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=LINE_LABEL_PT,
            color="0.35",
        )
    return placed


def _targets_label(targets: tuple[float, ...]) -> str:
    """The legend's words for the target lines drawn: :data:`COVER_TARGETS_LABEL`, or ``30 days of ...`` for one."""
    if tuple(targets) == COVER_TARGETS_DAYS:
        return COVER_TARGETS_LABEL
    days = " and ".join(f"{t:g}" for t in targets)
    return f"{days} days of normal demand, for reference"


def days_of_cover_figure(result: Result, *, width_in: float | None = None, columns: int | None = None) -> Figure:
    """Drawable days of cover per region (panel per material), shocks shaded, release days banded, 30/60-day targets.

    With an agreement that triggers on commercial stock, its trigger is a dotted line on
    the panels whose curves are commercial cover (:func:`trigger_line_days`). A member
    that owns pool stock the rule does not let it draw has that share as a thin dotted
    line in its colour (:func:`pool_share_days`): the EU of ``embargo_2010`` owns 60 days
    of each material in the pool, its curve falls to 1.6 days.
    """
    names = Names.of(result.scenario)
    grid = Panels(result, width_in=width_in, columns=columns)
    rules = released_rules(result)
    pool = {material: _pool_shares(result, material) for material in grid.materials}  # each panel's share lines
    above_axis = {material: _shares_above_axis(result, material, pool[material]) for material in grid.materials}
    for material in grid.materials:
        ax = grid.cells[0, material]
        lanes = _shade_shocks(ax, result, material)
        _region_lines(ax, result, material, "days_of_cover")
        curves = [np.asarray(line.get_ydata(), float) for line in ax.get_lines()]
        _mark_releases(ax, result, material, rules)
        trigger = trigger_line_days(result, material)
        placed = () if trigger is None else ((trigger, _trigger_line(ax, trigger)),)
        off_scale = {region for _, region, _ in above_axis[material]}
        shares = [line for line in pool[material] if line[1] not in off_scale]
        on_target = _target_under(shares, curves)
        targets = tuple(t for t in COVER_TARGETS_DAYS if t != on_target)
        lined = [*curves, *(share for *_, share in shares)]  # the axis reaches the shares that fit too (180 days)
        placed = _target_lines(ax, lined, placed, targets)
        _pool_share_lines(
            ax, result, material, pool[material], shares, curves, placed, on_target, panel_in=grid.panel_in
        )
        ax.set_title(plain_text(names.material(material)))
        ax.set_ylabel("drawable days of cover")
        ax.set_ylim(bottom=0)  # and the top where the autoscale put it: the shares drawn next do not move it
        _clear_lanes(ax, lanes)
        _draw_pool_shares(ax, result, material, pool[material], above_axis[material])
        _format_axis(ax, result, grid.ticks)
    title = f"{result.scenario.name}: drawable days of cover (stock the region can use now / baseline daily demand)"
    finish_figure(grid.fig, grid.axes(), title, grid.rows, grid.cols)
    for material in grid.materials:  # placed once the panels' sizes and the line labels are set
        ax = grid.cells[0, material]
        if above_axis[material]:  # before the span notes, which keep clear of it
            _note_top(grid.fig, ax, partial(_above_axis_lines, result, ax, above_axis[material]))
        span = no_restocking_span(result, material)
        if span is not None:
            _note_span(grid.fig, ax, _x(result, np.array(span)), NO_RESTOCKING_NOTES)
    return grid.fig


SHARE_OFF_SCALE_RATIO = 3.0
"""A pool-share line (:func:`pool_share_days`) whose highest value is more than this many times the highest of its
panel's drawable curves, target lines (:data:`COVER_TARGETS_DAYS`) and trigger is left above the axis, and the panel
says its days (:func:`pool_shares_above_axis`): Australia's 3,333 days of light rare earths in ``club_of_five`` (1,000 t
against 0.3 t a day) stretched the axis to 3,500 days and squashed the drawable curves (0-120 days) into 3% of it."""


def pool_shares_above_axis(result: Result, material: str) -> list[tuple[int, str, np.ndarray]]:
    """The pool-share lines of ``material`` (:func:`_pool_shares`, days) its panel leaves above the axis.

    Those whose highest day is more than :data:`SHARE_OFF_SCALE_RATIO` times the panel's
    reach without them: the highest drawable cover of a region with demand for
    ``material``, the 30- and 60-day lines and the release trigger where drawn
    (:func:`trigger_line_days`). The axis then runs to the drawable curves, and a note
    in the panel gives each such share's days (:func:`_above_axis_lines`).
    """
    return _shares_above_axis(result, material, _pool_shares(result, material))


def _shares_above_axis(
    result: Result, material: str, shares: list[tuple[int, str, np.ndarray]]
) -> list[tuple[int, str, np.ndarray]]:
    """:func:`pool_shares_above_axis` of the panel's pool-share lines ``shares`` (:func:`_pool_shares`), found once."""
    if not shares:
        return []
    cover = _column(result, "timeseries", "days_of_cover")
    regions = [r for r in result.structure.regions if has_demand(result.scenario, r, material)]
    drawable_days = [float(np.nanmax(cover[_rows(result, "timeseries", region=r, material=material)])) for r in regions]
    trigger = trigger_line_days(result, material)
    reach_days = max([*COVER_TARGETS_DAYS, *drawable_days, *([] if trigger is None else [trigger])])
    return [line for line in shares if np.nanmax(line[2]) > SHARE_OFF_SCALE_RATIO * reach_days]


def _above_axis_lines(result: Result, ax: Axes, above: list[tuple[int, str, np.ndarray]]) -> list[str]:
    """A line per share left above the axis of ``ax``: "Australia's own pool share: 239 to 3,333 days, above the axis".

    A share that comes under the axis's top on some days (drawn there) says ``up to 3,333
    days, above the axis on other days``; one that does not change, its one value.
    """
    names = Names.of(result.scenario)
    top_days = ax.get_ylim()[1]
    lines = []
    for _, region, share in above:
        low_days, high_days = float(np.nanmin(share)), float(np.nanmax(share))
        if low_days <= top_days:
            days = f"up to {high_days:,.0f} days, above the axis on other days"
        elif f"{low_days:,.0f}" == f"{high_days:,.0f}":
            days = f"{high_days:,.0f} days, above the axis"
        else:
            days = f"{low_days:,.0f} to {high_days:,.0f} days, above the axis"
        lines.append(f"{cap(names.possessive(region))} own pool share: {days}")
    return lines


TOP_NOTE_LABEL = "_top_note"
"""The label of a note :func:`_note_top` drew (an underscore: no legend shows it; SVG output leaves it out)."""
TOP_NOTE_SLICES = 40
"""Slices of a panel's width in which :func:`_note_top` looks for what is drawn under a note (finer than one hull:
a curve that runs from the top to 0 across the note's days leaves room beside its top)."""


def _note_top(fig: Figure, ax: Axes, lines_at: Callable[[], list[str]]) -> None:
    """A note of the lines ``lines_at()`` gives, as high in ``ax`` as nothing drawn lies under it (raising its top).

    Call once the figure's margins are set (:func:`finish_figure`) and before the span
    notes (:func:`_note_span`), which keep clear of it (:func:`_drawn_heights`). Of the
    widths of :data:`NOTE_WIDTHS` (lines broken to fit, :func:`label_lines`) and the three
    places along the panel (left, middle, right), the one where the note sits highest,
    :data:`NOTE_PAD_PT` clear of the curves, reference lines, bands and labels, wins (the first
    tried on a tie). Where none has room, the axis's top is raised until the note fits
    above everything drawn (:func:`_clear_lanes`'s way) and the places are tried again, with
    the lines ``lines_at()`` gives for the raised top (a share the top now reaches is drawn
    under it on some days, :func:`_above_axis_lines`).
    """
    lines = lines_at()
    place = _top_place(fig, ax, lines)
    if place is None:
        _clear_lanes(ax, _note_tall(fig, ax, len(_top_lines(fig, ax, lines, 1.0)), 2 * NOTE_PAD_PT))
        lines = lines_at()
        place = _top_place(fig, ax, lines)
    whole = _top_lines(fig, ax, lines, 1.0)
    tall = _note_tall(fig, ax, len(whole), 2 * NOTE_PAD_PT)  # the pad above and below it
    frame, (width, height) = ax.get_position(), fig.get_size_inches()
    inset, pad = NOTE_PAD_PT / 72 / (frame.width * width), NOTE_PAD_PT / 72 / (frame.height * height)
    bottom, left, text_lines = place or (1 - tall + pad, inset, whole)  # top left, whole
    ax.text(left, bottom, "\n".join(text_lines), transform=ax.transAxes, ha="left", label=TOP_NOTE_LABEL, **NOTE_STYLE)


NOTE_PAD_PT = 4
"""Room a note over the axis's top (:func:`_note_top`) keeps from the panel's frame and from what is drawn, points."""


def _note_tall(fig: Figure, ax: Axes, lines: int, pad_pt: float = 0.0) -> float:
    """Height of a note of ``lines`` lines of :data:`NOTE_PT` type in ``ax``, plus ``pad_pt`` points: axes fraction."""
    return (lines * LINE_LABEL_LEADING * NOTE_PT + pad_pt) / 72 / (ax.get_position().height * fig.get_size_inches()[1])


def _top_lines(fig: Figure, ax: Axes, lines: list[str], share: float) -> list[str]:
    """``lines`` broken to fit ``share`` of the panel's width less the pad each side (:func:`label_lines`)."""
    room_in = share * ax.get_position().width * fig.get_size_inches()[0] - 2 * NOTE_PAD_PT / 72
    return [part for line in lines for part in label_lines(line, NOTE_PT, room_in)]


def _top_place(fig: Figure, ax: Axes, lines: list[str]) -> tuple[float, float, list[str]] | None:
    """Where :func:`_note_top` puts its note: (bottom, left, lines), axes fraction; None where it fits nowhere."""
    width, height = fig.get_size_inches()
    frame = ax.get_position()
    inset = NOTE_PAD_PT / 72 / (frame.width * width)  # from the frame, in axes fraction
    pad = NOTE_PAD_PT / 72 / (frame.height * height)
    best: tuple[float, float, list[str]] | None = None
    for share in reversed(NOTE_WIDTHS[1:]):  # the widest first: fewest lines
        text_lines = _top_lines(fig, ax, lines, share)
        wide = drawn_width_in(text_lines, NOTE_PT) / (frame.width * width)
        tall = _note_tall(fig, ax, len(text_lines))
        if wide > 1 - 2 * inset:
            continue
        for left in (inset, (1 - wide) / 2, 1 - inset - wide):
            bottom = 1 - pad - tall
            for low, high in sorted(_sliced_heights(fig, ax, left, left + wide), key=lambda h: -h[1]):
                if low - pad < bottom + tall and bottom < high + pad:
                    bottom = low - pad - tall
            if bottom >= pad and (best is None or bottom > best[0]):
                best = (bottom, left, text_lines)
    return best


def _sliced_heights(fig: Figure, ax: Axes, x0: float, x1: float) -> list[tuple[float, float]]:
    """What ``ax`` draws between ``x0`` and ``x1`` (:func:`_drawn_heights`), by slices (:data:`TOP_NOTE_SLICES`)."""
    edges = np.linspace(x0, x1, max(2, round((x1 - x0) * TOP_NOTE_SLICES) + 1))
    return [h for a, b in pairwise(edges) for h in _drawn_heights(fig, ax, a, b)]


def _top_note_boxes(fig: Figure, ax: Axes) -> list[tuple[float, float, float, float]]:
    """(x0, y0, x1, y1), axes fraction, of the notes :func:`_note_top` drew in ``ax``, measured from their font."""
    width = fig.get_size_inches()[0]
    frame = ax.get_position()
    boxes = []
    for text in ax.texts:
        if text.get_label() == TOP_NOTE_LABEL:
            lines = text.get_text().split("\n")
            left, bottom = text.get_position()
            wide = drawn_width_in(lines, NOTE_PT) / (frame.width * width)
            tall = _note_tall(fig, ax, len(lines))
            boxes.append((left, bottom, left + wide, bottom + tall))
    return boxes


NO_RESTOCKING_NOTES = (
    "no one short: buyers do not restock after the shocks (docs/limitations.md)",
    "no one short, no restocking",
)
"""The days-of-cover figure's note over the days after the shocks where every curve reads empty and no one is short
(:func:`no_restocking_span`), the first that fits (the second in a report's narrow panels): read alone, the curves at 0
looked like a crisis that lasts to the horizon."""
EMPTY_COVER_DAYS = 1.0
"""Cover under which a curve reads as empty on a days-of-cover panel (:func:`no_restocking_span`)."""
NOTE_MIN_DAYS = 30
"""Fewest days a span must last to get a note (:func:`no_restocking_span`): a shorter one reads as no crisis."""
NOTE_PT = 8.0
"""Type size of a note over a span of days (:func:`_note_span`)."""
NOTE_INK = "0.35"
NOTE_STYLE = {"va": "bottom", "fontsize": NOTE_PT, "color": NOTE_INK, "linespacing": LINE_LABEL_LEADING}
"""How a note in a days-of-cover panel is set: over a span of days, or of a pool share above the axis."""


def no_restocking_span(result: Result, material: str) -> tuple[int, int] | None:
    """The days after the shocks on ``material`` where its curves read empty and no one is short, else ``None``.

    ``(first day, end day)``, end exclusive. Flow buyers order exactly their demand, so a
    stock a crisis drew down stays down (docs/limitations.md): in ``long_embargo_6m`` every
    curve reads 0 days from a month after the embargo to the end of 2027 with no one short.
    The span is the longest run of days, from the day the last shock drawn in the panel
    ends (:func:`shock_windows`), on which every region with demand for ``material``
    (every curve drawn) has under :data:`EMPTY_COVER_DAYS` of cover and no shortfall, if it
    lasts :data:`NOTE_MIN_DAYS` or more. None in a panel without shocks, nor where no
    region had a day of cover on day 0 (no stock to draw down: its curves read 0 before
    the shocks as after).
    """
    windows = shock_windows(result, material)
    regions = [r for r in result.structure.regions if has_demand(result.scenario, r, material)]
    if not windows or not regions:
        return None
    after = max(end for _, _, end in windows)
    rows = [_rows(result, "timeseries", region=region, material=material) for region in regions]
    days = _column(result, "timeseries", "day")[rows[0]].astype(np.int64)
    cover = np.array([_column(result, "timeseries", "days_of_cover")[r] for r in rows], float)
    short = np.array([_column(result, "timeseries", "shortfall_t")[r] for r in rows], float)
    if not (cover[:, days == 0] >= EMPTY_COVER_DAYS).any():
        return None
    empty = (cover < EMPTY_COVER_DAYS).all(axis=0) & (short <= 0.0).all(axis=0) & (days >= after)
    runs = release_runs(days[empty])
    longest = max(runs, key=lambda run: run[1] - run[0], default=None)
    if longest is None or longest[1] - longest[0] < NOTE_MIN_DAYS:
        return None
    return longest


NOTE_WIDTHS = (0.0, 0.4, 0.55, 0.7, 0.85, 1.0)
"""Widths a note over a span may take (:func:`_note_span`), as shares of its panel: the bracket's own first (0)."""


def _note_span(fig: Figure, ax: Axes, span: np.ndarray, texts: tuple[str, ...]) -> str | None:
    """A light bracket over the days ``span`` (x values: first, end) with a note above it, clear of what is drawn.

    Call once the figure's margins are set (:func:`finish_figure`). The note is the first
    of ``texts`` that fits, broken into lines as wide as the bracket or, where a span is
    narrow, as wide as :data:`NOTE_WIDTHS` allow (centred on the bracket, inside the
    frame). Bracket and note go at the lowest height of the panel where nothing drawn over
    their days lies (:func:`_drawn_heights`): above curves at 0 and the release bands,
    under or between the reference lines and their labels, never over a shock's band; of
    the widths, the one that sets the note lowest (the narrowest of those). Returns the
    note drawn, ``None`` where none fits (better no note than one over a curve or a label).
    """
    width, height = fig.get_size_inches()
    frame = ax.get_position()
    to_axes = ax.transAxes.inverted()
    x0, x1 = (to_axes.transform(ax.transData.transform((ax.convert_xunits(x), 0.0)))[0] for x in span)
    inset = 4 / 72 / (frame.width * width)  # 4 points each side of a note, in axes fraction
    point = 1 / 72 / (frame.height * height)  # a point in axes fraction
    pad = 4 * point  # clear of a curve's half width (1.4 points) and more
    for text in texts:
        best: tuple[float, float, float, list[str]] | None = None  # bottom, left, right, lines
        for share in NOTE_WIDTHS:
            room = max(x1 - x0, share) - 2 * inset
            lines = label_lines(text, NOTE_PT, room * frame.width * width / HINTED_TEXT)
            wide = drawn_width_in(lines, NOTE_PT) / (frame.width * width)
            if wide > room:
                continue  # a word wider than the room
            left = min(max((x0 + x1 - wide) / 2, inset), 1 - inset - wide)
            tall = (len(lines) * LINE_LABEL_LEADING * NOTE_PT + 5) * point  # the text, over the bracket
            bottom = pad
            for low, high in sorted(_drawn_heights(fig, ax, min(left, x0), max(left + wide, x1))):
                if low - pad < bottom + tall and bottom < high + pad:
                    bottom = high + pad
            if bottom + tall <= 1 - pad and (best is None or bottom < best[0] - point):
                best = (bottom, left, left + wide, lines)
        if best is None:
            continue
        bottom, left, right, lines = best
        bracket = {
            "arrowstyle": "|-|,widthA=0.25,widthB=0.25",
            "color": NOTE_INK,
            "lw": 0.8,
            "shrinkA": 0,
            "shrinkB": 0,
        }
        ax.annotate(
            "", (x0, bottom + 2 * point), xytext=(x1, bottom + 2 * point), xycoords="axes fraction", arrowprops=bracket
        )
        middle = (left + right) / 2
        ax.text(
            middle,
            bottom + 5 * point,
            "\n".join(lines),
            transform=ax.transAxes,
            ha="center",
            label=SPAN_NOTE_LABEL,
            **NOTE_STYLE,
        )
        return text
    return None


SPAN_NOTE_LABEL = "_span_note"
"""The label of a note :func:`_note_span` drew (an underscore: no legend shows it; SVG output leaves it out)."""


def span_notes_drawn(fig: Figure) -> bool:
    """Whether some panel of ``fig`` got a note over a span of days (:func:`_note_span` draws none where none fits)."""
    return any(text.get_label() == SPAN_NOTE_LABEL for ax in fig.axes for text in ax.texts)


def _drawn_heights(fig: Figure, ax: Axes, x0: float, x1: float) -> list[tuple[float, float]]:
    """Heights (low, high; axes fraction) of what ``ax`` draws between ``x0`` and ``x1`` (axes fraction).

    Lines (curves, reference lines) by their values over those days; patches (release bands),
    the line labels and a note over the axis's top (:func:`_note_top`) by their boxes.
    """
    to_axes = ax.transAxes.inverted()
    heights = []
    for line in ax.get_lines():
        xy = line.get_xydata()
        xy = to_axes.transform(line.get_transform().transform(xy[np.isfinite(xy).all(axis=1)]))
        if not len(xy) or xy[:, 0].max() < x0 or xy[:, 0].min() > x1:
            continue
        order = np.argsort(xy[:, 0], kind="stable")
        xs, ys = xy[order, 0], xy[order, 1]
        inside = ys[(xs >= x0) & (xs <= x1)]
        values = np.concatenate([inside, np.interp([x0, x1], xs, ys)])
        heights.append((float(values.min()), float(values.max())))
    for patch in ax.patches:
        box = patch.get_path().transformed(patch.get_transform()).get_extents().transformed(to_axes)
        if box.x1 > x0 and box.x0 < x1:
            heights.append((box.y0, box.y1))
    width, height = fig.get_size_inches()
    frame = ax.get_position()
    for text in _line_labels(ax):
        left, low, right, high = _label_box(fig, ax, text)
        left, right = (left / width - frame.x0) / frame.width, (right / width - frame.x0) / frame.width
        if right > x0 and left < x1:
            heights.append(((low / height - frame.y0) / frame.height, (high / height - frame.y0) / frame.height))
    heights += [(low, high) for left, low, right, high in _top_note_boxes(fig, ax) if right > x0 and left < x1]
    return heights


POOL_SHARE_LABEL = "own pool share (not drawable under the rule)"
"""The legend's words for a member's pool share in days (:func:`pool_share_days`), after the member's name."""


POOL_SPOTS = ((0.0, "bottom"), (0.0, "top"), (0.35, "bottom"), (0.35, "top"))
"""Where the pool share's label may go: at its left end first (the target lines' labels are at the right)."""


def pool_share_days(result: Result, region: str, material: str) -> np.ndarray | None:
    """The pool share ``region`` owns of ``material`` in days of baseline demand, where the rule lets it draw less.

    ``pool_share_t / baseline_demand_t`` on the days the share is above 0 and differs
    from ``drawable_shared_t`` (the shared stock the rule would let the member draw:
    the drawable cover counts that, not the share); NaN on the other days and on days
    without demand. None when no day has such a share: no agreement, no pool of the
    material, or a rule that lets the member draw all it owns.
    """
    rows = _rows(result, "timeseries", region=region, material=material)
    share = _column(result, "timeseries", "pool_share_t")[rows].astype(float)
    demand = _column(result, "timeseries", "baseline_demand_t")[rows].astype(float)
    drawable = (
        _column(result, "timeseries", "drawable_shared_t")[rows].astype(float)
        if "drawable_shared_t" in result.tables["timeseries"].columns
        else np.zeros_like(share)
    )
    shown = (share > 0) & (demand > 0) & ~np.isclose(share, np.nan_to_num(drawable), rtol=1e-9, atol=1e-9)
    if not shown.any():
        return None
    return np.where(shown, share / np.where(demand > 0, demand, 1.0), np.nan)


def _pool_shares(result: Result, material: str) -> list[tuple[int, str, np.ndarray]]:
    """Each member's pool share of ``material`` in days (:func:`pool_share_days`), with the region's index."""
    lines = []
    for i, region in enumerate(result.structure.regions):
        if not has_demand(result.scenario, region, material):
            continue
        share = pool_share_days(result, region, material)
        if share is not None:
            lines.append((i, region, share))
    return lines


POOL_ON_TARGET_SHARE = 0.01
"""A pool-share line within this share of the panel's height (its highest curve or target) of a target line
all along lies on it: the two could not be told apart (every member owning 60 days on the 60-day line)."""


def _target_under(shares: list[tuple[int, str, np.ndarray]], curves: list[np.ndarray]) -> float | None:
    """The target line (:data:`COVER_TARGETS_DAYS`) the first pool-share line lies on all the days drawn, if any."""
    if not shares:
        return None
    return next((t for t in COVER_TARGETS_DAYS if _lies_on(shares[0][2], t, curves)), None)


def _lies_on(share: np.ndarray, target: float, curves: list[np.ndarray]) -> bool:
    """Whether a pool-share line stays within :data:`POOL_ON_TARGET_SHARE` of the panel's height of ``target``."""
    drawn = share[np.isfinite(share)]
    finite = [c[np.isfinite(c)] for c in curves]
    top = max([*COVER_TARGETS_DAYS, *(float(c.max()) for c in finite if len(c))])
    return bool(len(drawn)) and float(np.abs(drawn - target).max()) <= POOL_ON_TARGET_SHARE * top


def _pool_share_lines(
    ax: Axes,
    result: Result,
    material: str,
    every: list[tuple[int, str, np.ndarray]],
    lines: list[tuple[int, str, np.ndarray]],
    curves: list[np.ndarray],
    placed: tuple[tuple[float, tuple[float, str]], ...],
    on_target: float | None = None,
    *,
    panel_in: float,
) -> None:
    """Each member's own pool share in days where it differs from what it may draw: thin, dotted, in its colour.

    ``lines`` are those of the panel's pool-share lines ``every`` (:func:`_pool_shares`) drawn under the axis's top.

    Lines of several members often coincide (every member owning 60 days): their dots
    interleave, a member's colour every other dot, so that neither hides the other. The
    panel says "own pool share, not drawable" beside the first line, clear of the
    ``curves`` and of the labels already ``placed``. A first line that lies on the target
    line at ``on_target`` days (:func:`_target_under`), which is then not drawn, says so:
    "own pool shares = 60 days, not drawable under the rule". In a panel ``panel_in`` inches
    wide too narrow for it on one line (the report's), the label is broken after its comma
    (:func:`label_lines`), and its spot is chosen for its measured width and lines: one
    where it fits the panel, clear of the target lines' labels it would reach.
    """
    _draw_pool_shares(ax, result, material, every, lines)
    if lines:
        value = float(np.nanmedian(lines[0][2]))
        what = "own pool shares" if len(lines) > 1 else "own pool share"
        text = f"{what}, not drawable"
        if on_target is not None:  # plural only where more than one line lies on it
            value = on_target
            on = sum(_lies_on(share, on_target, curves) for *_, share in lines)
            what = "own pool shares" if on > 1 else "own pool share"
            text = f"{what} = {on_target:g} days, not drawable under the rule"
        drawn = tuple(t for t in COVER_TARGETS_DAYS if t != on_target)
        text_lines = label_lines(text, LINE_LABEL_PT, panel_in - LINE_LABEL_INSET_IN)
        span = max(LABEL_SPAN, (text_width_in(text_lines, LINE_LABEL_PT) + LINE_LABEL_INSET_IN) / panel_in)
        spots = tuple(spot for spot in POOL_SPOTS if spot[0] + span <= 1) or POOL_SPOTS[:2]
        spot = clear_spot(
            curves, value, labelled=drawn, spots=spots, placed=placed, span=span, range_share=0.08 * len(text_lines)
        )
        _line_label(ax, value, "\n".join(text_lines), spot, "0.25")


def _draw_pool_shares(
    ax: Axes,
    result: Result,
    material: str,
    lines: list[tuple[int, str, np.ndarray]],
    drawn: list[tuple[int, str, np.ndarray]],
) -> None:
    """Those of the pool-share ``lines`` (days) that are ``drawn``: in their members' colours, thin and dotted.

    The dots of all the panel's ``lines`` interleave, a member's every ``len(lines)``-th
    dot, whether drawn now or later (those above the axis, :func:`pool_shares_above_axis`).
    """
    names = Names.of(result.scenario)
    days = _column(result, "timeseries", "day")
    step = 3.0 * len(lines)  # a dot and a gap per line, in multiples of the line width
    regions = {region for _, region, _ in drawn}
    for k, (i, region, share) in enumerate(lines):
        if region not in regions:
            continue
        rows = _rows(result, "timeseries", region=region, material=material)
        ax.plot(
            _x(result, days[rows]),
            share,
            color=REGION_COLOURS[i % len(REGION_COLOURS)],
            lw=1.3,
            ls=(3.0 * k, (1.5, step - 1.5)),
            zorder=1.6,
            label=f"{names.region(region)}: {POOL_SHARE_LABEL}",
        )


def short_materials(result: Result) -> list[str]:
    """Materials some region runs short of."""
    shortfall = _column(result, "timeseries", "shortfall_t")
    return [m for m in result.structure.materials if (shortfall[_rows(result, "timeseries", material=m)] > 0).any()]


def shortfall_figure(result: Result, *, width_in: float | None = None, columns: int | None = None) -> Figure:
    """Daily and cumulative shortfall per region (panel per material), shocks shaded.

    A material nobody runs short of gets a sentence instead of two flat lines; when
    nobody runs short of anything the figure is one short panel saying so in the words
    the report writes in place of the figure (:data:`NO_SHORTFALL`).
    """
    names = Names.of(result.scenario)
    short = short_materials(result)
    if not short:
        return _no_shortfall_figure(result, width_in, columns)
    nobody_short = [m for m in result.structure.materials if m not in short]
    grid = Panels(result, rows=2, width_in=width_in, columns=columns, one_row=nobody_short)
    for material in grid.materials:
        top = grid.cells[0, material]
        top.set_title(plain_text(names.material(material)))
        if material not in short:
            empty_panel(top, f"No region runs short of\n{names.material_text(material)}.")
            if (1, material) in grid.cells:
                grid.cells[1, material].set_visible(False)
            continue
        bottom = grid.cells[1, material]
        for ax, (column, label) in zip(
            (top, bottom),
            (("shortfall_t", "shortfall (t/day)"), ("shortfall_cum_t", "cumulative shortfall (t)")),
            strict=True,
        ):
            lanes = _shade_shocks(ax, result, material)
            _region_lines(ax, result, material, column)
            ax.set_ylabel(label)
            ax.set_ylim(bottom=0)
            _clear_lanes(ax, lanes)
            _format_axis(ax, result, grid.ticks)
    finish_figure(grid.fig, grid.axes(), f"{result.scenario.name}: shortfall (demand not met)", grid.rows, grid.cols)
    return grid.fig


NO_SHORTFALL = "No region runs short of any material in this run."
"""What the shortfall figure and the report say when no region is ever short."""
NO_SHORTFALL_PANEL_IN = 1.1
"""Height of the one panel of a shortfall figure without shortfall (it holds a sentence)."""


def _no_shortfall_figure(result: Result, width_in: float | None, columns: int | None) -> Figure:
    """A figure as wide as the shortfall figure would be, one low panel saying that nobody runs short."""
    width = grid_width_in(len(result.structure.materials), columns, width_in)
    return sentence_figure(width, f"{result.scenario.name}: shortfall (demand not met)", NO_SHORTFALL)


def sentence_figure(width: float, title: str, text: str) -> Figure:
    """A figure ``width`` inches wide of one low :func:`empty_panel` saying ``text``, under ``title``.

    What a figure of shortfall draws when nobody is short: the run's shortfall figure,
    and ``compare.png`` when no member is short under any rule.
    """
    lines = wrapped_title(title, width)
    top_in = 0.55 + TITLE_LINE_IN * (len(lines) - 1)
    height = top_in + NO_SHORTFALL_PANEL_IN + 0.2
    fig = Figure(figsize=(width, height))
    ax = fig.add_subplot()
    empty_panel(ax, "\n".join(_wrapped(text, 11, width - 0.9)))
    ax.texts[0].set_fontsize(11)
    fixed_margins(fig, 1, 1, left_in=0.3, right_in=0.3, top_in=top_in, bottom_in=0.2)
    fig.suptitle(plain_text("\n".join(lines)), fontsize=12, fontweight="bold", y=1 - 0.12 / height)
    return fig


def supply_mix_figure(result: Result, *, width_in: float | None = None, columns: int | None = None) -> Figure:
    """Arrivals by supplier over time (stacked areas, 7-day means), region x material.

    A panel stacks the suppliers that deliver to it on some day, each in its own colour
    in every panel; the legend names only those (not a supplier whose capacity starts
    after the horizon). A pair of region and material with nothing to draw says why in
    words instead of an empty frame: the region has no demand for the material, or
    nothing arrives.

    A region's panels are side by side up to ``columns`` (all of them by default), then
    wrap to further rows; ``width_in`` sets the width, as for the other figures (the
    report's: :data:`simulator.report.figures.REPORT_WIDTH_IN`, two panels a row).
    """
    names = Names.of(result.scenario)
    regions, materials = result.structure.regions, result.structure.materials
    cols = len(materials) if columns is None else max(1, min(len(materials), columns))
    blocks = -(-len(materials) // cols)  # rows of panels per region
    panel_in = 2.8 if width_in is None else 2.3
    fig = Figure(figsize=(grid_width_in(len(materials), columns, width_in), panel_in * len(regions) * blocks + 1.2))
    grid = np.atleast_2d(fig.subplots(len(regions) * blocks, cols, squeeze=False))
    axes = np.empty((len(regions), len(materials)), dtype=object)
    for i in range(len(regions)):
        for j in range(len(materials)):
            block, col = divmod(j, cols)
            axes[i, j] = grid[i * blocks + block, col]
    used = {id(ax) for ax in axes.flat}
    for ax in grid.flat:
        if id(ax) not in used:
            ax.set_visible(False)
    ticks = 6 if grid_width_in(len(materials), columns, width_in) / cols >= 4.0 else 4
    suppliers = result.structure.suppliers
    days, arrivals = _column(result, "supply", "day"), _column(result, "supply", "arrivals_t")
    layers: dict[int, Any] = {}  # each supplier drawn: its first layer, for the legend
    for i, region in enumerate(regions):
        for j, material in enumerate(materials):
            ax = axes[i, j]
            ax.set_title(plain_text(f"{names.region(region)}: {names.material_text(material)}"), fontsize=10)
            cell = _rows(result, "supply", region=region, material=material)
            by_supplier = [_rows(result, "supply", supplier=s) & cell for s in suppliers]
            drawn = [k for k, rows in enumerate(by_supplier) if (arrivals[rows] > 0).any()]
            if not drawn:
                used = has_demand(result.scenario, region, material)
                empty_panel(ax, "Nothing arrives." if used else f"No demand for {names.material_text(material)}.")
                continue
            drawn_layers = ax.stackplot(
                _x(result, days[by_supplier[0]]),
                np.array([trailing_mean(arrivals[by_supplier[k]], 7) for k in drawn]),
                labels=[names.supplier(suppliers[k]) for k in drawn],
                colors=[SHOCK_COLOURS[k % len(SHOCK_COLOURS)] for k in drawn],  # a supplier's colour in every panel
                alpha=0.9,
            )
            for k, layer in zip(drawn, drawn_layers, strict=True):
                layers.setdefault(k, layer)
            ax.set_ylabel("arrivals (t/day)")
            _format_axis(ax, result, ticks)
    finish_figure(
        fig,
        list(axes.flat),
        f"{result.scenario.name}: supply by supplier (7-day mean of arrivals)",
        *grid.shape,
        lead=[(layers[k], names.supplier(suppliers[k])) for k in sorted(layers)],  # in the scenario's order
    )
    return fig


def trailing_mean(values: np.ndarray, days: int) -> np.ndarray:
    """Mean of each value and the ``days - 1`` before it (fewer at the start).

    As pandas' ``rolling(days, min_periods=1).mean()``, a window of equal values gives that
    value exactly (a flat stretch is drawn on the very pixel row it was before).

    >>> trailing_mean(np.array([1.0, 3.0, 5.0, 7.0]), 3).tolist(), trailing_mean(np.full(9, 0.1), 7)[-1]
    ([1.0, 2.0, 3.0, 5.0], np.float64(0.1))
    """
    padded = np.concatenate([np.full(days - 1, np.nan), values])
    windows = np.lib.stride_tricks.sliding_window_view(padded, days)
    counts = np.minimum(np.arange(1, len(values) + 1), days)
    low, high = np.nanmin(windows, axis=-1), np.nanmax(windows, axis=-1)
    return np.where(low == high, low, np.nansum(windows, axis=-1) / counts)


def market_materials(result: Result) -> list[str]:
    """Materials with a market (a price that moves)."""
    return [m for m in result.structure.materials if m in result.scenario.market]


def _price_ticks(ax: Axes) -> None:
    """A log axis labelled in plain numbers (20, 50, 100), not powers of ten."""
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())


REFERENCE_INK = "0.35"


def _reference_price(ax: Axes, price: float | None) -> None:
    """The market's reference price (its price at normal cover, where it starts): a dashed line with its value.

    A log axis may put its lowest tick well above a price that starts low (20 over a
    start at 13.13): the line and its label say where the price started. The axis
    reaches below the line so that the label has room under it. The label goes where it
    crosses fewest of the curves drawn in the panel so far (:func:`clear_spot`): the world
    price and what each region paid.
    """
    if price is None:
        return
    curves = [np.asarray(line.get_ydata(), float) for line in ax.get_lines()]
    base = min([price, *(float(np.nanmin(c)) for c in curves if len(c))])  # the log axis measured from its lowest
    spot = clear_spot([np.log(c / base) for c in curves], float(np.log(price / base)))
    low, high = ax.get_ylim()
    room = 1.35 if spot[1] == "top" else 1.1
    ax.set_ylim(min(low, price / room), max(high, price * 1.35))
    ax.axhline(price, color=REFERENCE_INK, linewidth=0.8, linestyle=(0, (4, 3)), zorder=1)
    text = f"reference price {price:,.0f} USD/kg" if price >= 1000 else f"reference price {price:.4g} USD/kg"
    _line_label(ax, price, text, spot, REFERENCE_INK)


def prices_figure(result: Result, *, width_in: float | None = None, columns: int | None = None) -> Figure:
    """Prices (top, log scale) and realised demand as a share of baseline (bottom), a panel per market.

    The top panels show the world price and, where it differs, what a region paid (a
    premium under a targeted embargo); shocks shaded.
    """
    names = Names.of(result.scenario)
    grid = Panels(result, rows=2, materials=market_materials(result), width_in=width_in, columns=columns)
    world_label = world_price_label(result)
    shares = {material: demand_shares(result, material) for material in grid.materials}
    sames = {material: same_as_drawn(shares[material]) for material in grid.materials}
    labels = demand_labels(result, shares, sames)
    for material in grid.materials:
        top, bottom = grid.cells[0, material], grid.cells[1, material]
        lanes = [_shade_shocks(ax, result, material) for ax in (top, bottom)]
        rows = _rows(result, "market", material=material)
        world = _column(result, "market", "world_price_usd_per_kg")[rows]
        top.plot(_x(result, _column(result, "market", "day")[rows]), world, color="#111111", lw=1.6, label=world_label)
        for i, region in enumerate(result.structure.regions):
            cells = _rows(result, "timeseries", region=region, material=material)
            days = _x(result, _column(result, "timeseries", "day")[cells])
            paid = _column(result, "timeseries", "price_usd_per_kg")[cells]
            if not np.allclose(paid, world, rtol=1e-9, atol=0.0):
                style = {**_style(i), "lw": 1.3}
                top.plot(days, paid, label=f"paid by {names.region(region)}", **style)
            _demand_line(bottom, days, shares[material][region], i, labels[region], sames[material][region] is not None)
        _price_ticks(top)
        _reference_price(top, reference_price(result.scenario, material))
        top.set_ylabel("price (USD/kg, log scale)")
        top.set_title(plain_text(names.material(material)))
        bottom.set_ylabel("realised demand (% of baseline)")
        # A share of baseline is read against the whole of demand: an axis starting at 80% drew a fall
        # of a fifth as a fall to almost nothing. The axis starts at 0 (not a marked break): the height
        # of the curve is then the share of demand left, as the label says.
        bottom.set_ylim(0.0, max(105.0, bottom.get_ylim()[1]))
        for ax, share in zip((top, bottom), lanes, strict=True):
            _clear_lanes(ax, share)
            _format_axis(ax, result, grid.ticks)
    finish_figure(
        grid.fig,
        grid.axes(),
        f"{result.scenario.name}: prices and the demand they leave",
        grid.rows,
        grid.cols,
        shocks_above=True,
    )
    return grid.fig


def world_price_label(result: Result) -> str:
    """The world price's legend entry, naming the regions that pay it in every market (their lines lie under it).

    ``world price, which Japan and the EU pay``: a region's price is drawn (``paid by
    Japan``) only where it differs from the world price; where it does not, its line would
    lie under the world price's, so the legend says who pays the world price instead of
    listing lines nobody can see. Regions without demand for a market's material are not
    counted in it; ``world price`` when no region pays it everywhere.
    """
    names = Names.of(result.scenario)
    world_rows = {m: _rows(result, "market", material=m) for m in market_materials(result)}
    world = _column(result, "market", "world_price_usd_per_kg")
    paid = _column(result, "timeseries", "price_usd_per_kg")
    payers = []
    for region in result.structure.regions:
        used = [m for m in world_rows if has_demand(result.scenario, region, m)]
        if used and all(
            np.allclose(
                paid[_rows(result, "timeseries", region=region, material=m)], world[world_rows[m]], rtol=1e-9, atol=0.0
            )
            for m in used
        ):
            payers.append(names.subject(region))
    if not payers:
        return "world price"
    if len(payers) == len(result.structure.regions) > 2:
        return "world price, which every region pays"
    return f"world price, which {join_words(payers)} {'pays' if len(payers) == 1 else 'pay'}"


def demand_shares(result: Result, material: str) -> dict[str, np.ndarray]:
    """Each region's realised demand of ``material`` in % of its baseline, day by day (NaN where it has none)."""
    shares = {}
    for region in result.structure.regions:
        cells = _rows(result, "timeseries", region=region, material=material)
        baseline = _column(result, "timeseries", "baseline_demand_t")[cells]
        demand = _column(result, "timeseries", "demand_t")[cells]
        with np.errstate(divide="ignore", invalid="ignore"):
            shares[region] = 100 * np.where(baseline > 0, demand / baseline, np.nan)
    return shares


def _drawn(curve: np.ndarray) -> bool:
    """Whether a curve shows anything (a region without demand for a material has none)."""
    return bool(np.isfinite(curve).any())


def same_as(curve: np.ndarray, drawn: list[tuple[str, np.ndarray]]) -> str | None:
    """The first region in ``drawn`` whose curve is ``curve`` (to rounding), else ``None``; empty curves match none."""
    if not _drawn(curve):
        return None
    for region, other in drawn:
        if (
            _drawn(other)
            and other.shape == curve.shape
            and np.allclose(other, curve, rtol=1e-9, atol=1e-9, equal_nan=True)
        ):
            return region
    return None


def same_as_drawn(shares: dict[str, np.ndarray]) -> dict[str, str | None]:
    """In one panel, each region's curve: the earlier region whose curve it repeats (drawn under it), else ``None``."""
    sames: dict[str, str | None] = {}
    for region, share in shares.items():
        sames[region] = same_as(share, [(r, shares[r]) for r in sames])
    return sames


def demand_labels(
    result: Result, shares: dict[str, dict[str, np.ndarray]], sames: dict[str, dict[str, str | None]]
) -> dict[str, str]:
    """Each region's legend entry for its realised demand, one for all panels and true in each.

    The figure has one legend for all its panels, each label listed once. A region whose
    curve repeats Japan's in every panel where it has demand is ``EU: realised demand (same
    as Japan)``; one that repeats it in some panels only (the same demand factor for heavy
    rare earths, no Japanese demand for magnets) is ``EU: realised demand (dashed where the
    same as Japan)``: an entry per panel listed both ``(same as Japan)`` and a bare ``EU:
    realised demand``, and the first claimed for every panel what held in one.
    """
    names = Names.of(result.scenario)
    labels = {}
    for region in result.structure.regions:
        name = names.region(region)
        shown = [sames[m][region] for m in shares if _drawn(shares[m][region])]
        others = [r for r in result.structure.regions if r in shown]  # in the regions' order
        if not others:
            labels[region] = f"{name}: realised demand"
        elif len(others) == 1 and None not in shown:
            labels[region] = f"{name}: realised demand (same as {names.region(others[0])})"
        else:
            whom = join_words([names.region(r) for r in others], "or")
            labels[region] = f"{name}: realised demand (dashed where the same as {whom})"
    return labels


def _demand_line(ax: Axes, days: np.ndarray, share: np.ndarray, i: int, label: str, same: bool) -> None:
    """Region ``i``'s realised demand; a curve identical to one drawn before (``same``) is dashed on top of it.

    Regions with the same demand factor realise the same share of their baseline: drawn
    as usual, the later line would hide the earlier one entirely, and a reader would see
    one region where there are two. Dashed, the curve below shows through the gaps, and
    the legend (:func:`demand_labels`) says the two are the same. Each entry says it is
    demand (``Japan: realised demand``): under the world price in the legend, a bare
    ``Japan`` read as a price line.
    """
    if not same:
        ax.plot(days, share, label=label, **_style(i))
        return
    style = {**_style(i), "ls": (0, (3, 3)), "lw": 1.6}
    ax.plot(days, share, label=label, zorder=3, **style)


def run_figures(result: Result) -> dict[str, Callable[[Result], Figure]]:
    """A run's figures by name (``<name>.png``): days of cover, shortfall, supply mix and, with a market, prices."""
    figures = {"days_of_cover": days_of_cover_figure, "shortfall": shortfall_figure, "supply_mix": supply_mix_figure}
    if result.structure.market:
        figures["prices"] = prices_figure
    return figures


def write_figures(result: Result, folder: Path, shared: bool = True) -> list[Path]:
    """Write each of :func:`run_figures` as ``<name>.png`` into ``folder``; in order here unless ``shared``."""
    figures = [(f"{name}.png", make) for name, make in run_figures(result).items()]

    def drawing(path: Path, make: Callable[[Result], Figure]) -> Callable[[], None]:
        return lambda: make(result).savefig(path, dpi=PNG_DPI)

    tasks = [drawing(folder / name, make) for name, make in figures]
    if shared:  # half of them in a forked child where two cores allow: the same bytes, in about half the time
        run_shared(tasks)
    else:
        for task in tasks:
            task()
    return [folder / name for name, _ in figures]


BASELINE_COLOUR = "#8c8c8c"
"""Grey: the baselines in ``compare.png`` (a line, a bar): the scenario without its agreement, dashed, and each
member holding its share alone, dotted (its bar hatched)."""
BASELINE_STYLES = {BASELINE: ("--", None), STATUS_QUO: ("-.", "//"), OWN_SHARES: (":", "...")}
"""Per baseline row (:data:`simulator.mechanisms.BASELINE`, :data:`~simulator.mechanisms.STATUS_QUO`,
:data:`~simulator.mechanisms.OWN_SHARES`): line, hatch."""
BASELINE_WHAT = {
    BASELINE: "the scenario without it",
    STATUS_QUO: "the shares members hold today, held alone",
    OWN_SHARES: "each member's share as its own reserve",
}
"""What each baseline is, in the title of ``compare.png``."""


def compare_figure(
    results: dict[str, Result],
    skipped: Mapping[str, str] | None = None,
    baseline: Mapping[str, Result] | Result | None = None,
) -> Figure:
    """Cumulative shortfall per member and material under each rule; totals and fairness.

    A member without demand for a material gets a panel that says so, not a flat line at
    0 t that reads as "never short". The rules that could not run (``skipped``: rule and
    why, as :class:`simulator.compare.Comparison` keeps them) are named in the title.
    ``baseline``, the runs without the agreement (``Comparison.baselines``, keyed by
    :data:`~simulator.mechanisms.BASELINE`, :data:`~simulator.mechanisms.STATUS_QUO` and
    :data:`~simulator.mechanisms.OWN_SHARES` only; a lone run is :data:`~simulator.mechanisms.BASELINE`'s), are
    grey lines in each panel, the scenario without it dashed, the stocks held today dash-dotted and each
    member's share alone dotted (:data:`BASELINE_STYLES`), and
    the first, grey, bars of the totals and of the fairness among members (both of the members
    alone, :func:`~simulator.metrics.members_burden`), and the legend and title say what they are.

    Where a member is never short of a material in any row, its panel says so instead of
    drawing flat lines at 0 t; a row in which no member is short gets no fairness bar (its
    Jain's index of 1 is a convention, :func:`~simulator.metrics.anyone_short`) but the words
    :data:`NOBODY_SHORT_BAR`; and when no member is short in any row, the figure is one
    sentence saying so (:func:`sentence_figure`, as ``stockpile compare`` prints it). Where the
    members' total would add tonnes that may not be added (oxide and magnet, or materials priced
    far apart: :func:`simulator.compare.shortfall_by_material`), the totals' panel is one panel per
    material short, each on its own axis, and none adds them.
    """
    if isinstance(baseline, Result):
        baseline = {BASELINE: baseline}
    baselines = dict(baseline or {})
    first = next(iter(results.values()))
    names = Names.of(first.scenario)
    members = first.structure.member_names
    materials = list(first.structure.materials)
    cols = max(2, len(members))
    runs = [*baselines.values(), *results.values()]
    short = {(member, material) for member in members for material in materials if _ever_short(runs, member, material)}
    if not short:  # every line flat at 0 t and every fairness 1 by convention: said in words instead
        title = f"{first.scenario.name}: release rules compared"
        if skipped:
            title += f"; not run: {', '.join(skipped)} (why: compare.csv's skipped column)"
        return sentence_figure(3.9 * cols + 1.0, title, _nobody_short_text(len(results), bool(baselines)))
    fig = Figure(figsize=(3.9 * cols + 1.0, 2.9 * len(materials) + 3.8))
    grid = fig.add_gridspec(len(materials) + 1, cols, height_ratios=[1.0] * len(materials) + [1.3])
    panels = []
    for j, material in enumerate(materials):
        for n, member in enumerate(members):
            ax = fig.add_subplot(grid[j, n])
            panels.append(ax)
            if not has_demand(first.scenario, member, material):
                ax.set_title(plain_text(f"{names.region(member)}, {names.material_text(material)}"), fontsize=10)
                empty_panel(ax, f"No demand for {names.material_text(material)}.")
                continue
            if (member, material) not in short:  # flat lines at 0 t on an axis of nothing: a sentence
                ax.set_title(plain_text(f"{names.region(member)}, {names.material_text(material)}"), fontsize=10)
                without = ",\nnor without the agreement" if baselines else ""
                empty_panel(ax, f"Never short under any rule{without}.")
                continue
            for name, run in baselines.items():
                rows = _rows(run, "timeseries", region=member, material=material)
                ax.plot(
                    _x(run, _column(run, "timeseries", "day")[rows]),
                    _column(run, "timeseries", "shortfall_cum_t")[rows],
                    lw=1.6,
                    ls=BASELINE_STYLES[name][0],
                    color=BASELINE_COLOUR,
                    label=f"{name} (baseline)",
                    zorder=3,  # over the rules' lines: seen where a rule leaves the shortfall as it was
                )
            for k, (mechanism, result) in enumerate(results.items()):
                rows = _rows(result, "timeseries", region=member, material=material)
                ax.plot(
                    _x(result, _column(result, "timeseries", "day")[rows]),
                    _column(result, "timeseries", "shortfall_cum_t")[rows],
                    lw=max(1.1, 2.2 - 0.3 * k),
                    color=REGION_COLOURS[k % len(REGION_COLOURS)],
                    label=BY_NAME[mechanism].label if mechanism in BY_NAME else mechanism,
                )
            ax.set_title(plain_text(f"{names.region(member)}, {names.material_text(material)}"), fontsize=10)
            ax.set_ylabel("cumulative shortfall (t)", fontsize=8)
            ax.set_ylim(bottom=0)
            _format_axis(ax, first, ticks=4)
    labels = [plain_text(BY_NAME[name].label if name in BY_NAME else name) for name in results]
    totals = [results[name].metrics["total_shortfall_t"] for name in results]
    fairness = [results[name].metrics["fairness_jain"] for name in results]
    burdened = [anyone_short(results[name].metrics, members) for name in results]
    colours = ["#1f5fa6"] * len(results)
    fair_colours = ["#2a9d8f"] * len(results)
    hatches: list[str | None] = [None] * len(results)
    if baselines:  # first and grey: the members' shortfall and its fairness without the agreement
        burdens = [members_burden(run.metrics, members) for run in baselines.values()]
        labels = [*baselines, *labels]
        totals = [*(total for total, _, _ in burdens), *totals]
        fairness = [*(fair for _, fair, _ in burdens), *fairness]
        burdened = [*(anyone_short(run.metrics, members) for run in baselines.values()), *burdened]
        colours = [BASELINE_COLOUR] * len(baselines) + colours
        fair_colours = [BASELINE_COLOUR] * len(baselines) + fair_colours
        hatches = [BASELINE_STYLES[name][1] for name in baselines] + hatches
    # the left margin holds the longest rule name whole (plus tick and padding)
    left_in = max(1.2, text_width_in(labels, "medium") + 0.3)
    # where a total would add unlike tonnes (oxide and magnet, prices far apart), one panel per material short
    from simulator.compare import shortfall_by_material

    by_material = shortfall_by_material(runs, members)
    if by_material:
        width = 3.9 * cols + 1.0 - left_in - 0.2  # the figure's, less its margins (fixed_margins)
        gap_in = 0.35
        wide = [1.0] * len(by_material) + [0.8]
        mean_in = (width - gap_in * len(by_material)) / len(wide)
        row = grid[-1, :].subgridspec(1, len(wide), width_ratios=wide, wspace=gap_in / mean_in)
        # the first material's panel, which names the rules, and the fairness panel last in fig.axes, as without
        others = [fig.add_subplot(row[0, k]) for k in range(1, len(by_material))]
        ax_total = fig.add_subplot(row[0, 0])
        for ax in others:
            ax.sharey(ax_total)
        ax_fair = fig.add_subplot(row[0, -1], sharey=ax_total)
        fair_in = mean_in * wide[-1]  # the fairness panel's width: its labels near 1 go inside their bars
        totals_axes = [ax_total, *others]
        tonnes_of = {m: first.scenario.materials[m].tonnes_of for m in by_material}
        bars = [
            (ax, values, f"members' shortfall, t{f' of {tonnes_of[m]}' if tonnes_of[m] else ''}")
            for ax, (m, values) in zip(totals_axes, by_material.items(), strict=True)
        ]
        for ax, m in zip(totals_axes, by_material, strict=True):  # named as the panels above name them
            ax.set_title(plain_text(names.material(m)), fontsize=10)
    else:
        half = cols // 2
        fair_in = None  # half the figure's width: room for a label right of a bar of 1
        ax_total = fig.add_subplot(grid[-1, :half])
        ax_fair = fig.add_subplot(grid[-1, half:], sharey=ax_total)
        bars = [(ax_total, totals, "total shortfall of members (t)")]
    # a row nobody is short in has no burden to share: no bar of 1 (Jain's convention), words instead
    fairness = [fair if burden else 0.0 for fair, burden in zip(fairness, burdened, strict=True)]
    for ax, values, face in [*((ax, values, colours) for ax, values, _ in bars), (ax_fair, fairness, fair_colours)]:
        for bar, hatch in zip(ax.barh(labels, values, color=face), hatches, strict=True):
            if hatch:  # white dots (or hatching) on grey: the dotted (dash-dotted) baseline's bar
                bar.set_hatch(hatch)
                bar.set_edgecolor("white")
    for ax, values, label in bars:
        ax.set_xlabel(plain_text(label), **({"fontsize": 8} if by_material else {}))
        ax.set_xlim(0, max(values) * (1.7 if by_material else 1.25) if max(values) > 0 else 1.0)
        if by_material:  # narrow panels: three ticks, none under the value labels' end
            ax.xaxis.set_major_locator(MaxNLocator(3))
    # the rules are named once, left of the bar panels: the other panels' own names
    # would be drawn over the totals' value labels
    for ax in [*(ax for ax, _, _ in bars[1:]), ax_fair]:
        ax.tick_params(axis="y", labelleft=False)
    fair_max = 1.15
    ax_fair.set_xlim(0, fair_max)
    if by_material:
        ax_fair.set_xlabel("fairness (Jain's index)", fontsize=8)
    else:
        ax_fair.set_xlabel("fairness (Jain's index, 1 = equal)")
    ax_total.invert_yaxis()  # shared with the other bar panels: inverted once
    for ax, values, fmt in [*((ax, values, "{:,.1f}") for ax, values, _ in bars), (ax_fair, fairness, "{:.3f}")]:
        for y, value in enumerate(values):
            shown = fmt.format(value) if ax is not ax_fair or burdened[y] else NOBODY_SHORT_BAR
            if ax is ax_fair and fair_in is not None and burdened[y]:
                # a narrow panel leaves about 0.1 inch right of a bar near 1, less than its label (which ran
                # past the panel and the figure's edge): such a label is written inside its bar's end
                label_in = text_width_in([shown], 8) + 3 / 72
                room_in = (fair_max - value) / fair_max * fair_in
                if room_in < label_in <= value / fair_max * fair_in:
                    ax.annotate(
                        shown,
                        (value, y),
                        xytext=(-3, 0),
                        textcoords="offset points",
                        va="center",
                        ha="right",
                        fontsize=8,
                        color="white",
                        # on the bar's own colour, over the white dots of a dotted baseline bar too
                        bbox={"facecolor": fair_colours[y], "edgecolor": "none", "pad": 1},
                    )
                    continue
            ax.annotate(shown, (value, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
        ax.grid(True, axis="x", color="#dddddd")
    title = f"{first.scenario.name}: release rules compared"
    if baselines:
        styles = {"--": "dashed", "-.": "dash-dotted", ":": "dotted"}
        title += "; grey: " + ", ".join(
            f"{name} ({BASELINE_WHAT[name]}" + (f", {styles[BASELINE_STYLES[name][0]]})" if len(baselines) > 1 else ")")
            for name in baselines
        )
    if skipped:
        title += f"; not run: {', '.join(skipped)} (why: compare.csv's skipped column)"
    finish_figure(fig, panels, title, len(materials) + 1, cols, left_in=left_in)
    return fig


NOBODY_SHORT_BAR = "no member short"
"""In place of a fairness bar in ``compare.png`` for a row nobody is short in (its 1 is a convention)."""


def _ever_short(runs: list[Result], member: str, material: str) -> bool:
    """Whether ``member`` runs short of ``material`` on some day of any of ``runs``.

    Read from each run's summary: its total shortfall (``shortfall_t.<member>.<material>``)
    is the sum of the days' shortfalls, none below 0, so it is above 0 when one day's is.
    """
    return any(run.metrics[f"shortfall_t.{member}.{material}"] > 0 for run in runs)


def _nobody_short_text(rules: int, baselines: bool) -> str:
    """The sentence of ``compare.png`` when no member is short in any row (as ``stockpile compare`` prints it)."""
    from simulator.compare import nobody_short_line

    line = nobody_short_line(baselines, f"any of the {rules} rules" if rules > 1 else "the rule")
    return f"{cap(line)}, and with no shortfall to share there is no fairness to compare."


def _wrapped(text: str, size: float, width_in: float) -> list[str]:
    """``text`` broken at spaces into lines at most ``width_in`` wide when set at ``size`` (a long word stays whole).

    Matplotlib's own wrapping breaks at the figure's edge, not the panel's frame.
    """
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width_in([f"{lines[-1]} {word}"], size) <= width_in:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def text_width_in(texts: list[str], size: str | float, weight: str = "normal") -> float:
    """Width in inches of the widest of ``texts`` set at ``size`` (and ``weight``) in the default font, 0 for none.

    Measured from the font's glyphs, without drawing (as the figure's text will be set).
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    font = FontProperties(size=size, weight=weight)
    widths = [text_to_path.get_text_width_height_descent(text, font, ismath=False)[0] for text in texts]
    return max(widths, default=0.0) / 72
