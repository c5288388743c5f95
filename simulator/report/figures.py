"""Figures of the report as inline SVG: the run's curves, the comparison, the shock timeline.

Layer: studies.

Matplotlib figures are written with text kept as text (``svg.fonttype: none``, so it
can be searched and copied), no creation date (the same run gives the same file) and
a salt per figure so ids never clash between figures on one page. The shock timeline
is drawn directly as SVG: crisp at any zoom and small.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from simulator import shortages
from simulator.names import Names
from simulator.numeric import same_to_rounding
from simulator.palette import SHOCK_COLOURS, region_colour
from simulator.plots import (
    KIND_NAMES,
    Panels,
    clear_lanes,
    days_as_x,
    empty_panel,
    finish_figure,
    format_axis,
    idle_shocks,
    plain_text,
    shade_shocks,
    shock_severity,
    shock_shade,
)
from simulator.report.html_names import HtmlNames
from simulator.report.words import span_dates
from simulator.results import Result
from simulator.scenario.checks import day_number
from simulator.scenario.portfolio import has_demand

REPORT_WIDTH_IN = 7.1
"""Width of the report's figures: an A4 page's width inside 15 mm margins, so that they print at the size
their text is set in (legends at 8.5 pt)."""
REPORT_COLUMNS = 2
"""Panels side by side in a report figure (more materials wrap to further rows)."""

_ROOT_SIZE = re.compile(r'\s(width|height)="[^"]*"')


def svg_markup(fig: Figure, name: str, label: str) -> str:
    """``fig`` as an ``<svg>`` element that scales to the width of its container."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"stockpile-{name}"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, count=1, flags=re.S)
    head_end = text.index(">")
    head = _ROOT_SIZE.sub("", text[:head_end])
    head += f' class="chart" role="img" aria-label="{escape(label)}" preserveAspectRatio="xMidYMid meet"'
    return head + text[head_end:].rstrip() + "\n"


def figure_svg(make: Callable[[], Figure], name: str, label: str, drawn: bool) -> str:
    """:func:`svg_markup` of the figure ``make()`` returns; "" when not ``drawn``, without making it.

    For a report rendered without its Matplotlib figures (``render_report(..., figures=False)``):
    making and writing a figure is most of a report's time, and its caption is the page's either way.
    """
    return svg_markup(make(), name, label) if drawn else ""


def short_in_either(result: Result, baseline: Result) -> list[str]:
    """Materials the two runs share that some region they share runs short of in either run."""
    regions = [r for r in result.structure.regions if r in baseline.structure.regions]
    materials = [m for m in result.structure.materials if m in baseline.structure.materials]
    out = []
    for material in materials:
        for run in (result, baseline):
            ts = run.timeseries
            rows = ts[(ts["material"] == material) & ts["region"].isin(regions)]
            if shortages.short(rows["shortfall_t"]).any():
                out.append(material)
                break
    return out


COVER_LABEL = "drawable days of cover"
"""The y label of days of cover, as the run's own days-of-cover figure writes it."""
BASELINE_DASHES = (0, (2.5, 1.5))
"""The baseline's dashes, in multiples of its line width (wide: 8 pt dashes, 5 pt gaps)."""
BASELINE_WIDTH_PT = 3.4
"""Width of a baseline line (points): wider than the run's, so it shows around a run's line that coincides with it."""
BASELINE_ALPHA = 0.45
"""Opacity of a baseline line: lighter than the run's, drawn underneath it."""
RUN_WIDTH_PT = 1.5
"""Width of a run's line, points."""
COINCIDE_THROUGHOUT = "the two runs coincide throughout: each solid line on its dashed one"
COINCIDE_IN_PART = "a solid line on a dashed one: the two runs coincide there"


def comparison_figure(result: Result, baseline: Result, titles: tuple[str, str]) -> Figure:
    """Days of cover (top) and cumulative shortfall (bottom) per material: run solid, baseline dashed.

    The baseline's lines are wide, light and dashed, drawn under the run's thin solid
    lines: where the two runs coincide the baseline shows on both sides of the run's
    line instead of hiding under it, and the legend says which curves coincide.

    A region draws no line for a material it has no demand for in that run. A material
    neither run is short of gets a sentence instead of a flat shortfall panel;
    when neither run is short of any material the shortfall row is left out (the report
    says so in words).

    The shocks shaded are those that act in either run: one that does nothing in the run
    (:func:`simulator.plots.shock_idle`, a switch set to 0 by ``--set``) but acts in the
    baseline is what separates the two, shaded as in the baseline and named as its only.
    """
    names = Names.of(result.scenario)
    regions = [r for r in result.structure.regions if r in baseline.structure.regions]
    materials = [m for m in result.structure.materials if m in baseline.structure.materials]
    short_of = short_in_either(result, baseline)
    rows = (("days_of_cover", COVER_LABEL), ("shortfall_cum_t", "cumulative shortfall (t)"))[: 2 if short_of else 1]
    grid = Panels(result, rows=len(rows), materials=materials, width_in=REPORT_WIDTH_IN, columns=REPORT_COLUMNS)
    frames = {key: _by_cell(run) for key, run in (("run", result), ("base", baseline))}
    shares = []  # of each curve drawn in both runs, the share of its days on which the two coincide
    for material in materials:
        for row, (column, ylabel) in enumerate(rows):
            ax = grid.cells[row, material]
            if column == "shortfall_cum_t" and material not in short_of:
                empty_panel(ax, f"Neither run is short of\n{names.material_text(material)}.")
                continue
            lanes = shade_shocks(ax, result, material, baseline, f" ({titles[1]} only)")
            for region in regions:
                colour = region_colour(result.structure.regions.index(region))
                drawn = []
                for key, run in (("base", baseline), ("run", result)):
                    if not has_demand(run.scenario, region, material):
                        continue
                    days, values = frames[key][region, material]
                    drawn.append((days, values[column]))
                    ax.plot(days_as_x(run, days), values[column], color=colour, **_line_style(key))
                if len(drawn) == 2:
                    shares.append(_coinciding_share(*drawn))
            ax.set_ylabel(ylabel)
            ax.set_ylim(bottom=0)
            clear_lanes(ax, lanes)
            format_axis(ax, result, grid.ticks)
        grid.cells[0, material].set_title(plain_text(names.material(material)))
    lead: list[tuple[object, str]] = [
        (Line2D([], [], color=region_colour(result.structure.regions.index(r)), lw=2), label)
        for r, label in ((r, names.region(r)) for r in regions)
    ]
    lead += [
        (Line2D([], [], color="#444444", **_line_style("run")), f"{titles[0]} (solid)"),
        (Line2D([], [], color="#444444", **_line_style("base")), f"{titles[1]} (dashed, wide)"),
    ]
    if shares and max(shares) >= 0.5:  # a note, without a swatch, on how to read lines that coincide
        note = COINCIDE_THROUGHOUT if min(shares) == 1.0 else COINCIDE_IN_PART
        lead.append((Line2D([], [], color="none"), note))
    finish_figure(grid.fig, grid.axes(), f"{titles[0]} against {titles[1]}", grid.rows, grid.cols, lead=lead)
    return grid.fig


def runs_coincide(result: Result, baseline: Result) -> bool:
    """Whether every curve :func:`comparison_figure` would draw in both runs is the same in both on every day.

    Days of cover and cumulative shortfall of each region and material the two runs share
    and that has demand in both, the same number on every day (:func:`same_to_rounding`), a
    day without a value (no demand) in both counting as the same. Then the figure would show
    each solid line on its dashed one and nothing else: the report says in words that the curves
    are the same, and leaves the figure out: a question of values, said beside the section's table of
    their numbers. Not ``compare.png``'s rule for rules drawn one over another, a question of drawing
    (:data:`simulator.plots.comparison.DRAWN_AS_ONE_SHARE`, 0.5% of a panel's highest line), which
    would call two runs 10 t apart on a 2,600 t axis the same, against the report's own table.
    """
    regions = [r for r in result.structure.regions if r in baseline.structure.regions]
    materials = [m for m in result.structure.materials if m in baseline.structure.materials]
    mine, theirs = _by_cell(result), _by_cell(baseline)
    for region in regions:
        for material in materials:
            if not (has_demand(result.scenario, region, material) and has_demand(baseline.scenario, region, material)):
                continue
            (days, values), (base_days, base_values) = mine[region, material], theirs[region, material]
            if not np.array_equal(days, base_days):
                return False
            for column in ("days_of_cover", "shortfall_cum_t"):
                a, b = (np.asarray(v[column], float) for v in (values, base_values))
                if not same_to_rounding(a, b).all():
                    return False
    return True


def _line_style(key: str) -> dict[str, object]:
    """How a run's curve is drawn (``key`` "run") and the baseline's under it ("base")."""
    if key == "run":
        return {"lw": RUN_WIDTH_PT, "ls": "-", "zorder": 3}
    return {"lw": BASELINE_WIDTH_PT, "ls": BASELINE_DASHES, "alpha": BASELINE_ALPHA, "zorder": 2}


def _coinciding_share(base: tuple[np.ndarray, np.ndarray], run: tuple[np.ndarray, np.ndarray]) -> float:
    """Share of the days of a baseline's curve and the run's on which the two are the same (:func:`same_to_rounding`).

    Days only one of the runs has count as days on which they differ.
    """
    (base_days, base_values), (days, values) = base, run
    _, mine, theirs = np.intersect1d(days, base_days, return_indices=True)
    equal = same_to_rounding(values[mine], base_values[theirs]).sum()
    return float(equal) / max(len(days), len(base_days), 1)


def _by_cell(result: Result) -> dict[tuple[str, str], tuple[np.ndarray, dict[str, np.ndarray]]]:
    ts = result.timeseries
    out = {}
    for (region, material), rows in ts.groupby(["region", "material"], sort=False):
        out[str(region), str(material)] = (
            rows["day"].to_numpy(),
            {c: rows[c].to_numpy() for c in ("days_of_cover", "shortfall_cum_t")},
        )
    return out


# --- shock timeline -------------------------------------------------------------------

CHAR_PX = 6.9
"""Estimated width of a character of the timeline's 12 px text."""
LANE_PX = 30
"""Height of a shock's lane (its bar, and its label beside the bar)."""
LINE_PX = 14
"""Height added to a lane for each line of a label that fits only under its bar."""
INK = "#1d2733"


def _ticks(start: dt.date | None, horizon: int) -> list[tuple[int, str, bool]]:
    """(day, label, major) axis ticks: month starts with a start date, round days without."""
    if start is None:
        step = next(s for s in (7, 14, 30, 60, 90, 180, 365, 730, 1825, 3650, 10**9) if horizon / s <= 12)
        return [(d, f"day {d}", True) for d in range(0, horizon + 1, step)]
    months = horizon / 30.4
    every = next(n for n in (1, 2, 3, 6, 12, 24, 60, 120) if months / n <= 12)
    ticks = []
    year, month = start.year, start.month
    while True:
        first = dt.date(year, month, 1)
        day = (first - start).days
        if day > horizon:
            break
        if day >= 0 and (month - 1) % every == 0:
            label = f"{first:%b}" if month != 1 else f"{first:%b %Y}"
            ticks.append((day, label, month == 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if ticks and not any(major for *_, major in ticks):
        day, label, _ = ticks[0]
        ticks[0] = (day, label + f" {start.year}", True)
    return ticks


def suspensions(result: Result, index: int) -> list[tuple[int, int]]:
    """A licensing shock's suspended windows as days ``[first, end)``, within the shock and the horizon."""
    spec = result.scenario.shocks[index]
    shock = result.shocks.iloc[index]
    low, high = max(0, int(shock.start_day)), min(result.scenario.horizon_days, int(shock.end_day))
    out = []
    for a, b in getattr(spec, "suspended", []):
        first, end = day_number(a, result.start_date), day_number(b, result.start_date)
        if first is not None and end is not None and min(end, high) > max(first, low):
            out.append((max(first, low), min(end, high)))
    return out


def _wrap(text: str, width_px: float) -> list[str]:
    """``text`` in lines of at most ``width_px`` (estimated), broken after commas."""
    lines: list[str] = []
    for part in text.split(", "):
        joined = f"{lines[-1]}, {part}" if lines else part
        if lines and CHAR_PX * len(joined) > width_px:
            lines[-1] += ","
            lines.append(part)
        else:
            lines[-1:] = [joined]
    return lines


def _beside(x0: float, x1: float, inside_px: float, text_w: float, left: int, width: int) -> tuple[float, str] | None:
    """Where a label of ``text_w`` px fits on its bar's line: right of it, inside it, left of it (None: nowhere)."""
    if x1 + 6 + text_w <= width - 2:
        return x1 + 6, "right"
    if inside_px >= text_w + 12:
        return x0 + 6, "inside"
    if x0 - 6 - text_w >= left:
        return x0 - 6, "left"
    return None


def shock_timeline(result: Result, names: HtmlNames | None = None) -> str:
    """The run's shocks as bars over the horizon, one lane each (inline SVG).

    ``names``: the run's names, escaped (:class:`HtmlNames`; made from ``result`` when not given).

    Lanes alternate in shade and each bar has an edge, so that shocks over the same days
    stay apart; the fill is darker for a more severe shock (:func:`shock_shade`). A
    licensing shock's suspensions are cut out of its bar as hatched segments, named
    inside when their dates fit. A label goes right of its bar, inside it, left of it,
    or else under it, on as many lines as it needs; none runs past the figure. A shock
    that does nothing in this run (:func:`idle_shocks`, an embargo of severity 0) has no
    bar: its lane says "not applied in this run (severity 0)" over its days.
    """
    shocks = result.shocks
    horizon = result.scenario.horizon_days
    start = result.start_date
    names = names if names is not None else HtmlNames.of(result)
    labels = [  # HTML: the targets come escaped from ``names``
        f"{escape(KIND_NAMES.get(str(kind), str(kind)))}: {names.shock_targets[k]}"
        for k, kind in enumerate(shocks["kind"])
    ]
    width, right, top = 1000, 34, 8
    shown = max((len(unescape(label)) for label in labels), default=0)  # the characters a reader sees
    left = int(min(460, max(160, 20 + CHAR_PX * 1.06 * shown)))
    plot_w = width - left - right

    def x(day: float) -> float:
        return left + plot_w * min(max(day, 0), horizon) / horizon

    idle = idle_shocks(result)
    lanes = [_lane(result, k, names.shock_ids[k], idle[k], x, left, width) for k in range(len(shocks))]
    heights = [lane.height for lane in lanes] or [LANE_PX]
    total = sum(heights)
    height = top + total + 34
    parts = [
        f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Timeline of the shocks" xmlns="http://www.w3.org/2000/svg" font-size="12">',
        _hatches(lanes),
    ]
    y = top
    for k, lane_h in enumerate(heights):
        shade = "#f7f8fa" if k % 2 == 0 else "#eceff3"
        top_pad = 4 if k == 0 else 0
        parts.append(
            f'<rect x="{left}" y="{y - top_pad}" width="{plot_w}" height="{lane_h + top_pad}" fill="{shade}"/>'
        )
        y += lane_h
    axis_y = top + total + 2
    for day, label, major in _ticks(start, horizon):
        colour = "#9aa3ad" if major else "#d5dae0"
        parts.append(f'<line x1="{x(day):.1f}" x2="{x(day):.1f}" y1="{top - 4}" y2="{axis_y + 4}" stroke="{colour}"/>')
        weight = ' font-weight="600"' if major else ""
        parts.append(
            f'<text x="{x(day):.1f}" y="{axis_y + 18}" text-anchor="middle" fill="#4a5561"{weight}>'
            f"{escape(label)}</text>"
        )
    y = top
    for k, lane in enumerate(lanes):
        parts.append(
            f'<text x="{left - 10}" y="{y + 13}" text-anchor="end" font-weight="600" fill="{INK}">{labels[k]}</text>'
        )
        parts.append(
            f'<text x="{left - 10}" y="{y + 25}" text-anchor="end" font-size="10" fill="#6b7682">'
            f"{names.shock_ids[k]}</text>"
        )
        parts += lane.draw(y)
        y += lane.height
    if not len(shocks):
        parts.append(f'<text x="{left + 8}" y="{top + 17}" fill="#6b7682">No shocks in this scenario.</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


@dataclass(frozen=True)
class _Lane:
    """One shock's lane: its height, the colour of its hatched suspensions, and how to draw it at a top ``y``."""

    height: int
    hatch: str | None
    draw: Callable[[float], list[str]]


def _hatch_id(colour: str) -> str:
    return f"timeline-suspended-{colour.lstrip('#')}"


def _hatches(lanes: list[_Lane]) -> str:
    """The hatch patterns of suspended segments, one per colour in use."""
    colours = sorted({lane.hatch for lane in lanes if lane.hatch})
    if not colours:
        return ""
    patterns = "".join(
        f'<pattern id="{_hatch_id(c)}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{c}" stroke-width="2" stroke-opacity="0.45"/></pattern>'
        for c in colours
    )
    return f"<defs>{patterns}</defs>"


def _lane(
    result: Result, k: int, shock_id: str, idle: str | None, x: Callable[[float], float], left: int, width: int
) -> _Lane:
    """Shock ``k``'s bar (``shock_id``: its id, escaped), suspended segments and label, placed in its lane.

    ``idle``: why it does nothing in this run (:func:`idle_shocks`), or None: then it has no bar, its lane says so.
    """
    shock = result.shocks.iloc[k]
    start, horizon = result.start_date, result.scenario.horizon_days
    colour = SHOCK_COLOURS[k % len(SHOCK_COLOURS)]  # as in the curves' strips and legends
    first, end = int(shock.start_day), int(shock.end_day)
    x0, x1 = x(first), max(x(end), x(first) + 2)
    opacity = shock_shade(result, k)
    cut = suspensions(result, k)
    named = []  # what each suspended segment says inside it
    for a, b in cut:
        room = x(b) - x(a) - 12
        full = f"suspended {span_dates(start, a, b)}"
        named.append(full if CHAR_PX * len(full) <= room else "suspended" if room >= CHAR_PX * 9 else "")
    dated = bool(cut) and all(text.startswith("suspended ") for text in named)
    size = f"not applied in this run ({idle})" if idle else shock_severity(result, k, suspended=not dated)
    label = f"{size}, {span_dates(start, first, end)}"
    if first >= horizon:
        label += " (starts after the run)"
    elif first < 0 or end > horizon:
        label += " (runs past the horizon)" if end > horizon else " (began before day 0)"
    inside = (x(cut[0][0]) if cut else x1) - x0  # room on the bar before a suspension
    spot = _beside(x0, x1, inside, CHAR_PX * len(label), left, width)
    if idle and x0 + 6 + CHAR_PX * len(label) <= width - 2:  # no bar: its words from where it would start
        spot = (x0 + 6, "over")
    under = [] if spot is not None else _wrap(label, width - 2 - left - 4)
    bar_h = LANE_PX - 10

    def draw(y: float) -> list[str]:
        bar_y, mid = y + 4, y + 4 + bar_h / 2 + 4
        parts = []
        if end > 0 and first < horizon and not idle:
            parts.append(
                f'<rect x="{x0:.1f}" y="{bar_y}" width="{x1 - x0:.1f}" height="{bar_h}" rx="3" fill="{colour}" '
                f'fill-opacity="{opacity:.2f}" stroke="{colour}" stroke-width="1.2" data-shock="{shock_id}"/>'
            )
        for (a, b), text in zip(cut, named, strict=True):
            parts.append(
                f'<rect x="{x(a):.1f}" y="{bar_y}" width="{x(b) - x(a):.1f}" height="{bar_h}" '
                f'fill="url(#{_hatch_id(colour)})" stroke="{colour}" stroke-width="1.2" stroke-dasharray="4 3" '
                f'data-suspended="{a}-{b}"/>'
            )
            if text:
                parts.append(f'<text x="{x(a) + 6:.1f}" y="{mid:g}" fill="{INK}">{escape(text)}</text>')
        if spot is not None:
            tx, where = spot
            anchor = "end" if where == "left" else "start"
            ink = "#ffffff" if where == "inside" and opacity >= 0.6 else INK
            parts.append(
                f'<text x="{tx:.1f}" y="{mid:g}" text-anchor="{anchor}" fill="{ink}" data-label="{where}">'
                f"{escape(label)}</text>"
            )
        longest = CHAR_PX * max((len(line) for line in under), default=0)
        tx = max(left + 4, min(x0, width - 2 - longest))  # under the bar, from its start where the lines fit
        parts += [
            f'<text x="{tx:.1f}" y="{bar_y + bar_h + LINE_PX * (n + 1) - 2}" fill="{INK}" data-label="under">'
            f"{escape(line)}</text>"
            for n, line in enumerate(under)
        ]
        return parts

    return _Lane(LANE_PX + LINE_PX * len(under), colour if cut else None, draw)
