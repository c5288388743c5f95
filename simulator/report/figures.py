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

from simulator.plots import REGION_COLOURS, _format_axis, _shade_shocks, _x
from simulator.report.words import material_name, percent, region_name, span_dates
from simulator.results import Result

MAX_WIDTH_IN = 10.4
"""Figures wider than this are narrowed: on an A4 page their text would be too small."""

_ROOT_SIZE = re.compile(r'\s(width|height)="[^"]*"')


def svg_markup(fig: Figure, name: str, label: str) -> str:
    """``fig`` as an ``<svg>`` element that scales to the width of its container."""
    width, height = fig.get_size_inches()
    if width > MAX_WIDTH_IN:
        fig.set_size_inches(MAX_WIDTH_IN, height)
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


def readable(fig: Figure, result: Result) -> Figure:
    """Panel titles and legend entries in plain names (``light REE``, ``EU``) instead of ids."""
    titles = {m.replace("_", " "): material_name(m) for m in result.structure.materials}
    regions = {r: region_name(r) for r in result.structure.regions}
    for ax in fig.axes:
        title = ax.get_title()
        if title in titles:
            ax.set_title(titles[title])
    for legend in fig.legends:
        for text in legend.get_texts():
            if text.get_text() in regions:
                text.set_text(regions[text.get_text()])
    return fig


def comparison_figure(result: Result, baseline: Result, names: tuple[str, str]) -> Figure:
    """Days of cover (top) and cumulative shortfall (bottom) per material: run solid, baseline dashed."""
    regions = [r for r in result.structure.regions if r in baseline.structure.regions]
    materials = [m for m in result.structure.materials if m in baseline.structure.materials]
    width = min(MAX_WIDTH_IN, max(7.0, 5.2 * len(materials)))
    fig = Figure(figsize=(width, 7.4))  # a fixed layout: constrained layout would double the drawing time
    axes = np.atleast_2d(fig.subplots(2, len(materials), squeeze=False))
    frames = {key: _by_cell(run) for key, run in (("run", result), ("base", baseline))}
    for j, material in enumerate(materials):
        for row, (column, ylabel) in enumerate(
            (("days_of_cover", "days of cover"), ("shortfall_cum_t", "cumulative shortfall (t)"))
        ):
            ax = axes[row, j]
            _shade_shocks(ax, result, material)
            for region in regions:
                colour = REGION_COLOURS[result.structure.regions.index(region) % len(REGION_COLOURS)]
                for key, run, style in (("base", baseline, (0, (4, 2))), ("run", result, "-")):
                    days, values = frames[key][region, material]
                    ax.plot(_x(run, days), values[column], color=colour, lw=1.6 if key == "run" else 1.3, ls=style)
            ax.set_ylabel(ylabel)
            ax.set_ylim(bottom=0)
            _format_axis(ax, result)
        axes[0, j].set_title(material_name(material))
    handles = [
        Line2D([], [], color=REGION_COLOURS[result.structure.regions.index(r) % len(REGION_COLOURS)], lw=2)
        for r in regions
    ]
    labels = [region_name(r) for r in regions]
    handles += [Line2D([], [], color="#444444", lw=1.6), Line2D([], [], color="#444444", lw=1.3, ls=(0, (4, 2)))]
    labels += [f"{names[0]} (solid)", f"{names[1]} (dashed)"]
    seen = set(labels)
    for ax in axes.flat:
        for h, label in zip(*ax.get_legend_handles_labels(), strict=True):
            if label not in seen:
                seen.add(label)
                handles.append(h)
                labels.append(label)
    ncols = min(4, len(labels))
    legend_in = 0.2 * -(-len(labels) // ncols)
    height = 6.6 + legend_in
    fig.set_size_inches(width, height)
    fig.subplots_adjust(
        left=0.75 / width,
        right=1 - 0.15 / width,
        top=1 - 0.6 / height,
        bottom=(0.75 + legend_in) / height,
        hspace=0.32,
        wspace=0.22,
    )
    fig.suptitle(f"{names[0]} against {names[1]}", fontsize=12, fontweight="bold", y=1 - 0.12 / height)
    fig.legend(
        handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0.1 / height), ncols=ncols, fontsize=8, frameon=False
    )
    return fig


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
KIND_COLOURS = {"embargo": "#c0392b", "quota_cut": "#e67e22", "delay": "#7d5ba6", "demand_surge": "#2a9d8f"}
KIND_NAMES = {"embargo": "Embargo", "quota_cut": "Quota cut", "delay": "Delay", "demand_surge": "Demand surge"}


def shock_target(result: Result, index: int) -> str:
    """Who does what to whom: ``China → Japan``, ``China, all exports``, ``demand of EU``."""
    spec = result.scenario.shocks[index]
    supplier = getattr(spec, "supplier", None)
    regions = getattr(spec, "regions", None)
    whom = ", ".join(region_name(r) for r in regions) if regions else "all regions"
    if spec.kind == "quota_cut":
        text = f"{region_name(supplier)}, all exports"
    elif spec.kind == "demand_surge":
        text = f"demand of {whom}"
    else:
        text = f"{region_name(supplier)} \u2192 {whom}"
    if spec.materials:
        text += f" ({', '.join(material_name(m) for m in spec.materials)})"
    return text


def shock_severity(kind: str, magnitude: float) -> str:
    """``full halt``, ``50% cut``, ``+14 days lead time``, ``demand ×1.2``."""
    if kind == "embargo":
        return "full halt" if magnitude >= 1 else f"{percent(magnitude)} cut"
    if kind == "quota_cut":
        return f"{percent(magnitude)} cut"
    if kind == "delay":
        return f"+{magnitude:g} days lead time"
    return f"demand \u00d7{magnitude:g}"


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
        opacity = 0.35 + 0.65 * min(1.0, float(shock.magnitude)) if kind in ("embargo", "quota_cut") else 0.8
        if end > 0 and first < horizon:
            parts.append(
                f'<rect x="{x0:.1f}" y="{y + 4}" width="{x1 - x0:.1f}" height="{row - 10}" rx="3" '
                f'fill="{colour}" fill-opacity="{opacity:.2f}"/>'
            )
        label = f"{shock_severity(kind, float(shock.magnitude))}, {span_dates(start, first, end)}"
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
