"""Figures of the report as inline SVG (the run's curves, the comparison, the shock timeline); their numbers in words.

Layer: studies.

Matplotlib figures are written with text kept as text (``svg.fonttype: none``, so it
can be searched and copied), no creation date (the same run gives the same file) and
every id prefixed by the figure's name, so that ids never clash between figures on one page.
The shock timeline is drawn directly as SVG: crisp at any zoom and small.

A chart is one image to a screen reader: its ``<svg role="img">`` names its caption as its
description (:func:`caption_id`), and the caption opens with what a sighted reader takes from
the chart, in numbers (:func:`cover_words`, :func:`price_words`, :func:`supply_words`,
:func:`shortfall_words`, :func:`timeline_words`).
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
from simulator.names import Names, join_words, plural
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
    shock_windows,
)
from simulator.report import prices
from simulator.report.findings import Run, lowest_cover_day
from simulator.report.html_names import HtmlNames
from simulator.report.words import (
    days,
    percent,
    price,
    shortfall_tonnes,
    shows_tonnes,
    span_dates,
    times,
    tonnes,
    when,
)
from simulator.results import Result
from simulator.scenario.checks import day_number, reference_price
from simulator.scenario.portfolio import has_demand

REPORT_WIDTH_IN = 7.1
"""Width of the report's figures: an A4 page's width inside 15 mm margins, so that they print at the size
their text is set in (legends at 8.5 pt)."""
REPORT_COLUMNS = 2
"""Panels side by side in a report figure (more materials wrap to further rows)."""

_ROOT_SIZE = re.compile(r'\s(width|height)="[^"]*"')


_ID = re.compile(r'(\sid="|url\(#|href="#)([^")]+)')
"""An id where an element takes it, or a reference to one: ``id="axes_1"``, ``url(#p1c2d)``, ``xlink:href="#m0"``."""


def caption_id(figure: str) -> str:
    """The id of the caption of the report's figure named ``figure`` (its ``data-figure``).

    The figure's ``<svg>`` names that caption as its description (``aria-describedby``): a reader
    who cannot see the chart hears its title, then the caption with its key numbers.
    """
    return f"{figure}-caption"


def _own_ids(svg: str, name: str) -> str:
    """``svg`` with every id and every reference to one prefixed by ``name``.

    Matplotlib gives every figure the same ids (``figure_1``, ``axes_1``, ...): prefixed, each is the page's
    once, and each ``url(#...)`` and ``href="#..."`` still finds its element.
    """
    return _ID.sub(lambda m: f"{m[1]}{name}-{m[2]}", svg)


def svg_markup(fig: Figure, name: str, label: str, described_by: str | None = None) -> str:
    """``fig`` as an ``<svg>`` element that scales to the width of its container.

    ``name``: the figure's, unique on the page (its ids are prefixed by it); ``label``: its title, the image's
    name; ``described_by``: the id of the element that describes it in words (:func:`caption_id`), or None.
    """
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"stockpile-{name}"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = _own_ids(re.sub(r"<metadata>.*?</metadata>\s*", "", text, count=1, flags=re.S), name)
    head_end = text.index(">")
    head = _ROOT_SIZE.sub("", text[:head_end])
    head += f' class="chart" role="img" aria-label="{escape(label)}"'
    head += f' aria-describedby="{described_by}"' if described_by else ""
    head += ' preserveAspectRatio="xMidYMid meet"'
    return head + text[head_end:].rstrip() + "\n"


def figure_svg(make: Callable[[], Figure], name: str, label: str, drawn: bool, described_by: str | None = None) -> str:
    """:func:`svg_markup` of the figure ``make()`` returns; "" when not ``drawn``, without making it.

    For a report rendered without its Matplotlib figures (``render_report(..., figures=False)``):
    making and writing a figure is most of a report's time, and its caption is the page's either way.
    """
    return svg_markup(make(), name, label, described_by) if drawn else ""


# --- each figure's key numbers in words (its caption's first sentences) ---------------------


def cover_words(run: Run, where: str = "") -> str:
    """The days-of-cover figure's key numbers: each region's lowest cover, when, and how it stands to the trigger.

    ``Lowest cover: Japan 120.0 days (heavy rare earths, 1 Jul 2010); the EU 1.6 days (heavy rare earths,
    3 Jul 2011), under the 15-day release trigger.`` (HTML), as the findings find it (:func:`lowest_cover_day`);
    a member is set against the agreement's trigger where it has one. ``where``: HTML after "Lowest cover"
    (`` in embargo_2010``). "" when no region has cover.
    """
    agreement = run.result.scenario.agreement
    trigger = agreement.trigger.commercial_days_below if agreement is not None else 0.0
    members = agreement.members if agreement is not None else []
    parts = []
    for region in run.regions():
        cover = run.metric(f"min_days_of_cover.{region}")
        if cover is None or not np.isfinite(cover):
            continue
        lowest = lowest_cover_day(run, region, run.materials())
        on = f" ({run.names.material_text(lowest[0])}, {when(run.result.start_date, lowest[1])})" if lowest else ""
        side = ""
        if region in members and trigger > 0:
            side = f", {'under' if cover < trigger else 'above'} the {trigger:g}-day release trigger"
        parts.append(f"{run.names.subject(region)} {days(cover)} days{on}{side}")
    return f"Lowest cover{where}: {'; '.join(parts)}." if parts else ""


def price_words(run: Run) -> str:
    """The prices figure's key numbers: each world price's peak, when, and how many times its reference (HTML).

    ``World prices at their peak: light rare earths 145 USD/kg on 23 Jul 2011 (11x its reference); heavy rare
    earths 1,631 USD/kg on 14 Sep 2011 (10x its reference).`` The peak as the price findings find it.
    """
    parts = []
    for material in prices.market_materials(run):
        peak, day = prices.world_peak(run, material)
        reference = reference_price(run.result.scenario, material)
        rise = f" ({times(peak / reference)} its reference)" if reference and price(peak) != price(reference) else ""
        when_peak = prices.peak_when(run, day, prices.cap_bound(run, material))  # as the price findings say it
        parts.append(f"{run.names.material_text(material)} {price(peak)} USD/kg {when_peak}{rise}")
    return f"World prices at their peak: {'; '.join(parts)}." if parts else ""


def supply_words(run: Run) -> str:
    """The answer, with its tonnes, to the supply figure's question "Did other suppliers fill the gap?" (HTML).

    Per region and material that a shock on a supplier hits (:func:`_gap`): how far the suppliers hit delivered
    under their share of baseline demand over the days of those shocks, and how far the others delivered over
    theirs, that as a share of the gap. ``Did other suppliers fill the gap? In part. Over the shocks, against
    each supplier's share of baseline demand: Japan, light rare earths: China delivered 10,557 t less, other
    suppliers 2,913 t more (28% of the gap); ...``, in the figure's order (a region's panels, then the next
    region's). "" when no shock hits a supplier, or none delivered less.
    """
    windows = {m: shock_windows(run.result, m) for m in run.materials()}
    found = [
        (region, material, gap)
        for region in run.regions()
        for material in run.materials()
        if (gap := _gap(run.result, region, material, windows[material])) is not None
    ]
    if not found:
        return ""
    parts = []
    for region, material, (blocked, short, more, others) in found:
        if not others:
            after = "and no other supplier serves it"
        elif shows_tonnes(more) and more > 0:
            after = f"other suppliers {tonnes(more)} more ({percent(min(more / short, 1.0))} of the gap)"
        else:
            after = "other suppliers no more than theirs"
        who = join_words([run.names.supplier(s) for s in blocked])
        parts.append(
            f"{run.names.region(region)}, {run.names.material_text(material)}: {who} delivered {tonnes(short)} less, "
            + after
        )
    filled = [min(max(more, 0.0) / short, 1.0) for *_, (_, short, more, _) in found]
    answer = "Yes" if min(filled) >= 1.0 else "No" if max(filled) < 0.005 else "In part"
    return (
        f"Did other suppliers fill the gap? {answer}. Over the shocks, against each supplier's share of baseline "
        f"demand: {'; '.join(parts)}."
    )


def _gap(
    result: Result, region: str, material: str, windows: list[tuple[int, int, int]]
) -> tuple[list[str], float, float, bool] | None:
    """The gap the shocks on suppliers left in ``region``'s arrivals of ``material``, and what the others made up.

    ``windows``: the material's shocks (:func:`shock_windows`). Over the days of those that act on a supplier's
    shipments to ``region``: (the suppliers hit, the tonnes they delivered under their share of baseline demand
    (the portfolio's ``sourcing_share``), the tonnes the others delivered over theirs, whether any other supplier
    serves the region). None where no such shock is, or the suppliers hit delivered no less than their share.
    """
    hit = [(k, a, b) for k, a, b in windows if _hits_supply(result, k, region)]
    if not hit:
        return None
    blocked = sorted({str(result.scenario.shocks[k].supplier) for k, _, _ in hit})
    on = np.zeros(result.scenario.horizon_days, bool)
    for _, a, b in hit:
        on[a:b] = True
    supply, series = result.supply, result.timeseries
    rows = supply[(supply["region"] == region) & (supply["material"] == material) & on[supply["day"]]]
    cell = series[(series["region"] == region) & (series["material"] == material) & on[series["day"]]]
    portfolio = result.portfolio
    shares = portfolio[(portfolio["region"] == region) & (portfolio["material"] == material)]
    normal = dict(
        zip(shares["supplier"], shares["sourcing_share"] * float(cell["baseline_demand_t"].sum()), strict=True)
    )
    got = rows.groupby("supplier")["arrivals_t"].sum()
    short = sum(normal.get(s, 0.0) - float(got.get(s, 0.0)) for s in blocked)
    others = [s for s in got.index if s not in blocked and (got[s] > 0 or normal.get(s, 0.0) > 0)]
    more = sum(float(got[s]) - normal.get(s, 0.0) for s in others)
    if not (shows_tonnes(short) and short > 0):
        return None
    return blocked, short, more, bool(others)


def shortfall_words(run: Run) -> str:
    """The shortfall figure's key numbers: what each region short is short of over the run, from when (HTML).

    ``Short over the run: Japan 1,200 t of heavy rare earths (from 3 Mar 2011); the EU 80 t of light rare earths
    (from 9 Jun 2011).`` By material: tonnes of different materials are not added. Short and its tonnes as the
    findings decide and write them (:func:`simulator.shortages.short`, :func:`~simulator.report.words.shortfall_tonnes`:
    ``under 0.01 t``). "" when no region is short.
    """
    parts = []
    for region in run.regions():
        by_material = [(m, float(run.cell(region, m, "shortfall_t") or 0.0)) for m in run.materials()]
        short = [f"{shortfall_tonnes(t)} of {run.names.material_text(m)}" for m, t in by_material if shortages.short(t)]
        first = int(run.metric(f"first_shortfall_day.{region}"))
        if short and first >= 0:
            parts.append(f"{run.names.subject(region)} {join_words(short)} (from {when(run.result.start_date, first)})")
    return f"Short over the run: {'; '.join(parts)}." if parts else ""


def timeline_words(run: Run) -> str:
    """The shock timeline's key numbers: how many shocks, over which days (HTML).

    ``7 shocks, 1 Jul 2010 – 31 Dec 2012; the table below gives each one's dates and size.`` "" without shocks.
    """
    shocks = run.result.shocks
    if not len(shocks):
        return ""
    first, end = int(shocks["start_day"].min()), int(shocks["end_day"].max())
    whose = "its" if len(shocks) == 1 else "each one's"
    return (
        f"{plural(len(shocks), 'shock')}, {span_dates(run.result.start_date, first, end)}; the table below gives "
        f"{whose} dates and size."
    )


def _hits_supply(result: Result, index: int, region: str) -> bool:
    """Whether shock ``index`` acts on a supplier's shipments to ``region`` (not on demand)."""
    spec = result.scenario.shocks[index]
    regions = getattr(spec, "regions", None)
    return getattr(spec, "supplier", None) is not None and (not regions or region in regions)


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

TIMELINE_WIDTH = 576
"""Width of the shock timeline's drawing, in its units: the page's text column is 612 px wide at a 640 px window
(597 px beside a scroll bar), so that its 12-unit text shows at 12 px or more there, as the page's small text.
A wider window shows it at most 640 px wide (style.py), its text at 13.3 px, as the page's notes."""
TIMELINE_MARGIN = 28
"""Room left and right of the timeline's lanes (units): half of a tick's label at either end of the axis."""
CHAR_PX = 6.9
"""Estimated width of a character of the timeline's 12 px text."""
BOLD_WIDTH = 1.06
"""How much wider a bold character is than :data:`CHAR_PX`."""
LANE_PX = 30
"""Height of a shock's bar lane (its bar, and its label beside the bar)."""
LINE_PX = 14
"""Height added to a lane for each line of a label that fits only under its bar."""
HEAD_PX = 16
"""Height of each line of a shock's name, above its bar."""
INK = "#1d2733"
MUTED = "#5d6975"
"""The page's muted grey (style.py's ``--muted``): 4.9:1 on the darker lane's #eceff3, 5.3:1 on #f7f8fa."""


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
    """``text`` in lines of at most ``width_px`` (estimated), broken after commas.

    A part between commas longer than a line is broken between its words (:func:`_words`).
    """
    lines: list[str] = []
    for part in text.split(", "):
        joined = f"{lines[-1]}, {part}" if lines else part
        if lines and CHAR_PX * len(joined) > width_px:
            lines[-1] += ","
            lines.append(part)
        else:
            lines[-1:] = [joined]
        lines[-1:] = _words(lines[-1], width_px)
    return lines


def _words(line: str, width_px: float) -> list[str]:
    """``line`` broken between words into lines of at most ``width_px`` (estimated; a longer word on a line alone)."""
    out: list[str] = []
    for word in line.split(" "):
        if out and CHAR_PX * len(f"{out[-1]} {word}") > width_px:
            out.append(word)
        else:
            out[-1:] = [f"{out[-1]} {word}" if out else word]
    return out


def _beside(x0: float, x1: float, inside_px: float, text_w: float, left: int, width: int) -> tuple[float, str] | None:
    """Where a label of ``text_w`` px fits on its bar's line: right of it, inside it, left of it (None: nowhere)."""
    if x1 + 6 + text_w <= width - 2:
        return x1 + 6, "right"
    if inside_px >= text_w + 12:
        return x0 + 6, "inside"
    if x0 - 6 - text_w >= left:
        return x0 - 6, "left"
    return None


def shock_timeline(result: Result, names: HtmlNames | None = None, described_by: str | None = None) -> str:
    """The run's shocks as bars over the horizon, one lane each (inline SVG).

    ``names``: the run's names, escaped (:class:`HtmlNames`; made from ``result`` when not given);
    ``described_by``: the id of the element that describes the timeline in words (:func:`caption_id`), or None.

    The drawing is :data:`TIMELINE_WIDTH` units wide, its text 12 units: read at 12 px or more in the page's
    column at a 640 px window. Each lane names its shock on top, what kind on whom and then its id (wrapped
    after commas where it is long), and draws the bar under it across the whole width. Lanes alternate in shade
    and each bar has an edge, so that shocks over the same days stay apart; the fill is darker for a more
    severe shock (:func:`shock_shade`). A licensing shock's suspensions are cut out of its bar as hatched
    segments, named inside when their dates fit. A bar's label goes right of it, inside it, left of it, or
    else under it, on as many lines as it needs; none runs past the figure. A shock that does nothing in this
    run (:func:`idle_shocks`, an embargo of severity 0) has no bar: its lane says "not applied in this run
    (severity 0)" over its days.
    """
    shocks = result.shocks
    horizon = result.scenario.horizon_days
    start = result.start_date
    names = names if names is not None else HtmlNames.of(result)
    width, left, right, top = TIMELINE_WIDTH, TIMELINE_MARGIN, TIMELINE_MARGIN, 8
    plot_w = width - left - right

    def x(day: float) -> float:
        return left + plot_w * min(max(day, 0), horizon) / horizon

    idle = idle_shocks(result)
    heads = [  # the names come escaped from ``names``: wrapped as a reader sees them, escaped again after
        _head(f"{KIND_NAMES.get(str(kind), str(kind))}: {unescape(names.shock_targets[k])}", plot_w - 8)
        for k, kind in enumerate(shocks["kind"])
    ]
    ids = [unescape(shock_id) for shock_id in names.shock_ids]
    heads = [_with_id(lines, ids[k], plot_w - 8) for k, lines in enumerate(heads)]
    lanes = [_lane(result, k, names.shock_ids[k], idle[k], x, left, width) for k in range(len(shocks))]
    heights = [HEAD_PX * len(head) + lane.height for head, lane in zip(heads, lanes, strict=True)] or [LANE_PX]
    total = sum(heights)
    height = top + total + 34
    described = f' aria-describedby="{described_by}"' if described_by else ""
    parts = [
        f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" aria-label="Timeline of the shocks"'
        f'{described} xmlns="http://www.w3.org/2000/svg" font-size="12">',
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
    for head, lane in zip(heads, lanes, strict=True):
        for n, (line, shock_id) in enumerate(head):
            named = f'<tspan font-weight="600" fill="{INK}">{escape(line)}</tspan>' if line else ""
            its_id = f'<tspan fill="{MUTED}">{" " if line else ""}{escape(shock_id)}</tspan>' if shock_id else ""
            parts.append(f'<text x="{left + 4}" y="{y + HEAD_PX * (n + 1) - 3}">{named}{its_id}</text>')
        parts += lane.draw(y + HEAD_PX * len(head))
        y += HEAD_PX * len(head) + lane.height
    if not len(shocks):
        parts.append(f'<text x="{left + 8}" y="{top + 17}" fill="{MUTED}">No shocks in this scenario.</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _head(name: str, width_px: float) -> list[str]:
    """A shock's name (``Export quota: China → Japan, EU``, as read) in lines of at most ``width_px``, in bold."""
    return _wrap(name, width_px / BOLD_WIDTH)


def _with_id(lines: list[str], shock_id: str, width_px: float) -> list[tuple[str, str]]:
    """Each line of a shock's name (:func:`_head`) with the id that follows it ("" for none).

    The shock's id follows the last line where it fits there, else it has a line of its own.
    """
    last = BOLD_WIDTH * CHAR_PX * len(lines[-1]) + CHAR_PX * (1 + len(shock_id))
    if last <= width_px:
        return [(line, "") for line in lines[:-1]] + [(lines[-1], shock_id)]
    return [(line, "") for line in lines] + [("", shock_id)]


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
