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
from html import escape

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from simulator.names import Names
from simulator.palette import REGION_COLOURS
from simulator.plots import (
    KIND_NAMES,
    Panels,
    _format_axis,
    _shade_shocks,
    _x,
    empty_panel,
    finish_figure,
    has_demand,
    shock_severity,
    shock_target,
)
from simulator.report.words import span_dates
from simulator.results import Result

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


def short_in_either(result: Result, baseline: Result) -> list[str]:
    """Materials the two runs share that some region they share runs short of in either run."""
    regions = [r for r in result.structure.regions if r in baseline.structure.regions]
    materials = [m for m in result.structure.materials if m in baseline.structure.materials]
    out = []
    for material in materials:
        for run in (result, baseline):
            ts = run.timeseries
            rows = ts[(ts["material"] == material) & ts["region"].isin(regions)]
            if (rows["shortfall_t"] > 0).any():
                out.append(material)
                break
    return out


def comparison_figure(result: Result, baseline: Result, titles: tuple[str, str]) -> Figure:
    """Days of cover (top) and cumulative shortfall (bottom) per material: run solid, baseline dashed.

    A region draws no line for a material it has no demand for in that run. A material
    neither run is short of gets a sentence instead of a flat shortfall panel;
    when neither run is short of any material the shortfall row is left out (the report
    says so in words).
    """
    names = Names.of(result.scenario)
    regions = [r for r in result.structure.regions if r in baseline.structure.regions]
    materials = [m for m in result.structure.materials if m in baseline.structure.materials]
    short_of = short_in_either(result, baseline)
    rows = (("days_of_cover", "days of cover"), ("shortfall_cum_t", "cumulative shortfall (t)"))[: 2 if short_of else 1]
    grid = Panels(result, rows=len(rows), materials=materials, width_in=REPORT_WIDTH_IN, columns=REPORT_COLUMNS)
    frames = {key: _by_cell(run) for key, run in (("run", result), ("base", baseline))}
    for material in materials:
        for row, (column, ylabel) in enumerate(rows):
            ax = grid.cells[row, material]
            if column == "shortfall_cum_t" and material not in short_of:
                empty_panel(ax, f"Neither run is short of\n{names.material_text(material)}.")
                continue
            _shade_shocks(ax, result, material)
            for region in regions:
                colour = REGION_COLOURS[result.structure.regions.index(region) % len(REGION_COLOURS)]
                for key, run, style in (("base", baseline, (0, (4, 2))), ("run", result, "-")):
                    if not has_demand(run.scenario, region, material):
                        continue
                    days, values = frames[key][region, material]
                    ax.plot(_x(run, days), values[column], color=colour, lw=1.8 if key == "run" else 1.4, ls=style)
            ax.set_ylabel(ylabel)
            ax.set_ylim(bottom=0)
            _format_axis(ax, result, grid.ticks)
        grid.cells[0, material].set_title(names.material(material))
    lead: list[tuple[object, str]] = [
        (Line2D([], [], color=REGION_COLOURS[result.structure.regions.index(r) % len(REGION_COLOURS)], lw=2), label)
        for r, label in ((r, names.region(r)) for r in regions)
    ]
    lead += [
        (Line2D([], [], color="#444444", lw=1.8), f"{titles[0]} (solid)"),
        (Line2D([], [], color="#444444", lw=1.4, ls=(0, (4, 2))), f"{titles[1]} (dashed)"),
    ]
    finish_figure(grid.fig, grid.axes(), f"{titles[0]} against {titles[1]}", grid.rows, grid.cols, lead=lead)
    return grid.fig


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
KIND_COLOURS = {
    "embargo": "#c0392b",
    "quota_cut": "#e67e22",
    "export_quota": "#e67e22",
    "delay": "#7d5ba6",
    "licensing": "#7d5ba6",
    "demand_surge": "#2a9d8f",
}


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


def shock_timeline(result: Result) -> str:
    """The run's shocks as bars over the horizon, one row each (inline SVG)."""
    shocks = result.shocks
    horizon = result.scenario.horizon_days
    start = result.start_date
    names = [
        f"{KIND_NAMES.get(str(kind), str(kind))}: {shock_target(result, k)}" for k, kind in enumerate(shocks["kind"])
    ]
    width, right, row, top = 1000, 34, 30, 8
    left = int(min(460, max(160, 20 + CHAR_PX * 1.06 * max((len(n) for n in names), default=0))))
    plot_w = width - left - right
    height = top + row * max(1, len(shocks)) + 34

    def x(day: float) -> float:
        return left + plot_w * min(max(day, 0), horizon) / horizon

    parts = [
        f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Timeline of the shocks" xmlns="http://www.w3.org/2000/svg" font-size="12">',
        f'<rect x="{left}" y="{top - 4}" width="{plot_w}" height="{row * max(1, len(shocks)) + 4}" fill="#f7f8fa"/>',
    ]
    axis_y = top + row * max(1, len(shocks)) + 2
    for day, label, major in _ticks(start, horizon):
        colour = "#9aa3ad" if major else "#d5dae0"
        parts.append(f'<line x1="{x(day):.1f}" x2="{x(day):.1f}" y1="{top - 4}" y2="{axis_y + 4}" stroke="{colour}"/>')
        weight = ' font-weight="600"' if major else ""
        parts.append(
            f'<text x="{x(day):.1f}" y="{axis_y + 18}" text-anchor="middle" fill="#4a5561"{weight}>'
            f"{escape(label)}</text>"
        )
    for k, shock in enumerate(shocks.itertuples(index=False)):
        y = top + row * k
        kind = str(shock.kind)
        colour = KIND_COLOURS.get(kind, "#555555")
        first, end = int(shock.start_day), int(shock.end_day)
        x0, x1 = x(first), max(x(end), x(first) + 2)
        parts.append(
            f'<text x="{left - 10}" y="{y + 13}" text-anchor="end" font-weight="600" fill="#1d2733">'
            f"{escape(names[k])}</text>"
        )
        parts.append(
            f'<text x="{left - 10}" y="{y + 25}" text-anchor="end" font-size="10" fill="#6b7682">'
            f"{escape(str(shock.id))}</text>"
        )
        opacity = 0.35 + 0.65 * min(1.0, float(shock.severity)) if kind in ("embargo", "quota_cut") else 0.8
        if end > 0 and first < horizon:
            parts.append(
                f'<rect x="{x0:.1f}" y="{y + 4}" width="{x1 - x0:.1f}" height="{row - 10}" rx="3" '
                f'fill="{colour}" fill-opacity="{opacity:.2f}"/>'
            )
        label = f"{shock_severity(result, k)}, {span_dates(start, first, end)}"
        if first < 0 or end > horizon:
            label += " (runs past the horizon)" if end > horizon else " (began before day 0)"
        text_w = CHAR_PX * len(label)
        tx, anchor, ink = x1 + 6, "start", "#1d2733"  # right of the bar, else inside it, else left of it
        if x1 + 6 + text_w > width - 2:
            if x1 - x0 >= text_w + 12:
                tx, ink = x0 + 6, "#ffffff"
            elif x0 - 6 - text_w >= left:
                tx, anchor = x0 - 6, "end"
        parts.append(
            f'<text x="{tx:.1f}" y="{y + row / 2 + 3}" text-anchor="{anchor}" fill="{ink}">{escape(label)}</text>'
        )
    if not len(shocks):
        parts.append(f'<text x="{left + 8}" y="{top + 17}" fill="#6b7682">No shocks in this scenario.</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
