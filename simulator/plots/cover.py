"""The days-of-cover figure: drawable cover per region, shocks, release days, reference lines and notes.

Layer: studies.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from simulator.names import Names
from simulator.plots.columns import _column, _rows, days_as_x
from simulator.plots.comparison import DRAWN_AS_ONE_SHARE, drawn_as_one_words
from simulator.plots.cover_lines import (
    COVER_TARGETS_DAYS,
    _target_lines,
    draw_trigger_line,
    name_targets_once,
    place_trigger_label,
    trigger_line_days,
)
from simulator.plots.curves import _region_lines
from simulator.plots.finish import finish_figure
from simulator.plots.layout import MIN_PANEL_IN, Panels, format_axis
from simulator.plots.notes import _note_span, note_top
from simulator.plots.pool_shares import (
    POOL_SHARE_LABEL,
    _draw_pool_shares,
    _pool_share_label,
    _pool_shares,
    _shares_by_axis,
    _target_under,
    above_axis_lines,
)
from simulator.plots.releases import FigureReleases, _lane_label, hide_lane_ticks, mark_releases, release_runs
from simulator.plots.shock_bands import clear_lanes, shade_shocks, shock_windows
from simulator.plots.text import plain_text
from simulator.results import Result
from simulator.scenario.portfolio import has_demand


def days_of_cover_figure(result: Result, *, width_in: float | None = None, columns: int | None = None) -> Figure:
    """Drawable days of cover per region (panel per material), shocks shaded, 30/60-day targets, release lanes under 0.

    The days a member received stock under the agreement are bars in its own lane under the
    0 line, in its colour (:func:`mark_releases`). With an agreement that triggers on
    commercial stock, its trigger is a dotted line on the panels whose curves are commercial
    cover (:func:`trigger_line_days`), labelled where the curves run furthest from it once the
    panel's size is known (:func:`place_trigger_label`). A member
    that owns pool stock the rule does not let it draw has that share as a thin dotted
    line in its colour (:func:`pool_share_days`): the EU of ``embargo_2010`` owns 60 days
    of each material in the pool, its curve falls to 1.6 days.
    """
    names = Names.of(result.scenario)
    grid = Panels(result, width_in=width_in, columns=columns)
    triggers = {material: trigger_line_days(result, material) for material in grid.materials}
    pool = {material: _pool_shares(result, material) for material in grid.materials}  # each panel's share lines
    # each panel's share lines drawn under the axis's top, and those left above it
    by_axis = {
        material: _shares_by_axis(result, material, pool[material], triggers[material]) for material in grid.materials
    }
    releases = FigureReleases.of_run(result)  # read once: the same room under 0 in every panel, 0 lines aligned
    targets_drawn: set[float] = set()
    drawn: dict[str, dict[str, np.ndarray]] = {}  # material -> each region's curve, by its name
    for material in grid.materials:
        ax = grid.cells[0, material]
        shock_lanes_share = shade_shocks(ax, result, material)  # of the panel's height, 0 with full-height bands
        _region_lines(ax, result, material, "days_of_cover")
        curves = [np.asarray(line.get_ydata(), float) for line in ax.get_lines()]
        drawn[material] = {line.get_label(): curve for line, curve in zip(ax.get_lines(), curves, strict=True)}
        trigger = triggers[material]
        placed = () if trigger is None else ((trigger, draw_trigger_line(ax, trigger)),)
        shares, above = by_axis[material]
        on_target = _target_under(shares, curves)
        targets = tuple(t for t in COVER_TARGETS_DAYS if t != on_target)
        lined = [*curves, *(share for *_, share in shares)]  # the axis reaches the shares that fit too (180 days)
        placed = _target_lines(ax, lined, placed, targets)
        targets_drawn.update(targets)
        _draw_pool_shares(ax, result, material, pool[material], shares)
        share_x = _share_x(result, shares, material)
        _pool_share_label(ax, shares, curves, placed, on_target, panel_in=grid.panel_in, x=share_x)
        ax.set_title(plain_text(names.material(material)))
        ax.set_ylabel("drawable days of cover")
        ax.set_ylim(bottom=0)  # and the top where the autoscale put it: the shares drawn next do not move it
        raised_share = shock_lanes_share  # of the panel, over the curves: the shock lanes'
        if releases.lanes:  # release lanes under 0 in every panel, sized with the shock lanes' room above the curves
            raised_share = mark_releases(ax, result, material, releases, shock_lanes_share)
        clear_lanes(ax, raised_share)  # the one place the top is raised
        _draw_pool_shares(ax, result, material, pool[material], above)
        format_axis(ax, result, grid.ticks)
    name_targets_once(grid.axes(), targets_drawn)
    title = f"{result.scenario.name}: drawable days of cover (stock the region can use now / baseline daily demand)"
    extra, omit = _grouped_entries(grid.axes(), releases.rules)
    footnote = drawn_as_one_words(_regions_drawn_as_one(drawn))
    curves_named = {name for curves in drawn.values() for name in curves}
    tall_in = MANY_LANES_PANEL_IN if releases.lanes > MEMBER_ENTRIES_MAX else MIN_PANEL_IN
    finish_figure(
        grid.fig,
        grid.axes(),
        title,
        grid.rows,
        grid.cols,
        footnote=footnote,
        extra=extra,
        omit=omit,
        panel_min_in=tall_in,
        # past five, the members' names side by side over the other entries, not a column of their own
        apart=curves_named if len(curves_named) > MEMBER_ENTRIES_MAX else (),
    )
    for material in grid.materials:  # placed once the panels' sizes and the line labels are set
        ax = grid.cells[0, material]
        above = by_axis[material][1]
        if above:  # before the span notes, which keep clear of it
            note_top(grid.fig, ax, partial(above_axis_lines, result, ax, above))
        if triggers[material] is not None:  # once the axis's top is final, clear of the notes and labels drawn
            place_trigger_label(grid.fig, ax, triggers[material])
        span = no_restocking_span(result, material)
        if span is not None:
            _note_span(grid.fig, ax, days_as_x(result, np.array(span)), NO_RESTOCKING_NOTES)
        hide_lane_ticks(ax)
    return grid.fig


MEMBER_ENTRIES_MAX = 5
"""Most members the legend names one by one for a kind of mark drawn in each member's colour (its release lanes, its
own pool share): with more, one entry in grey says the kind, and the member's colour is its curve's
(:func:`_grouped_entries`), and the members' names are set side by side in a row of their own over the other entries
(``apart``, :func:`finish_figure`). A 12-member scenario's legend had 38 entries in a column, taller than its panels."""
MANY_LANES_PANEL_IN = 2.8
"""The least height of a days-of-cover panel with over :data:`MEMBER_ENTRIES_MAX` release lanes, inches (others keep
:data:`~simulator.plots.layout.MIN_PANEL_IN`): the lanes take a quarter of it (each thinner,
:func:`~simulator.plots.releases.lane_shares`), the curves keep 2.1 inches."""
GROUPED_GREY = "0.45"
"""The colour of a legend entry that stands for every member's marks of a kind (:func:`_grouped_entries`)."""


def _grouped_entries(axes: list[Axes], rules: list[str]) -> tuple[list[tuple[Any, str]], set[str]]:
    """One legend entry for each kind of mark of over :data:`MEMBER_ENTRIES_MAX` members, and the entries it replaces.

    The kinds: the release lanes (``released (fair ratio) to Japan``, :func:`mark_releases`, one per member) and
    the own pool shares (``Japan: own pool share ...``, :data:`POOL_SHARE_LABEL`). Past the fifth member each is one
    entry, a grey swatch of its kind (a bar of the first of ``rules``, a dotted line) whose words say the member's
    colour is its curve's. Up to five members, each has its own entry as before (none replaced). Returns the
    entries to add and the labels they replace (:func:`finish_figure`'s ``extra``, ``omit``).
    """
    labels = {label for ax in axes for label in ax.get_legend_handles_labels()[1]}
    lanes = {label for label in labels if label.startswith("released (")}
    shares = {label for label in labels if label.endswith(f": {POOL_SHARE_LABEL}")}
    extra: list[tuple[Any, str]] = []
    omit: set[str] = set()
    if len(lanes) > MEMBER_ENTRIES_MAX:
        bar = Rectangle((0, 0), 1, 1, facecolor=GROUPED_GREY, lw=0)
        extra.append((bar, _lane_label(rules, set(rules), "each member, in its own lane and its curve's colour")))
        omit |= lanes
    if len(shares) > MEMBER_ENTRIES_MAX:
        line = Line2D([], [], color=GROUPED_GREY, lw=1.3, ls=(0, (1.5, 1.5)))
        extra.append((line, f"each member's {POOL_SHARE_LABEL}: dotted, in its curve's colour"))
        omit |= shares
    return extra, omit


def _regions_drawn_as_one(drawn: dict[str, dict[str, np.ndarray]]) -> list[list[str]]:
    """The groups of two or more regions whose curves are drawn as one line in every panel, by name.

    ``drawn``: material -> region's name -> its curve in that panel. Two regions are drawn as one where they are
    drawn in the same panels and, in each, no further apart than
    :data:`~simulator.plots.comparison.DRAWN_AS_ONE_SHARE` of the panel's highest curve (as ``compare.png``'s rules,
    :func:`~simulator.plots.comparison._rules_drawn_as_one`); a region joins the first group whose first region it
    is drawn as one with. In a 12-member scenario ten EU members' cover lay on one another, the last drawn seen.
    """
    heights = {
        material: max((_top(curve) for curve in curves.values()), default=0.0) for material, curves in drawn.items()
    }
    regions = list(dict.fromkeys(name for curves in drawn.values() for name in curves))
    panels = {name: [m for m, curves in drawn.items() if name in curves] for name in regions}
    groups: list[list[str]] = []
    for name in regions:
        group = next(
            (
                g
                for g in groups
                if panels[g[0]] == panels[name]
                and all(_within(drawn[m][g[0]], drawn[m][name], DRAWN_AS_ONE_SHARE * heights[m]) for m in panels[name])
            ),
            None,
        )
        if group is None:
            groups.append([name])
        else:
            group.append(name)
    return [group for group in groups if len(group) > 1]


def _top(curve: np.ndarray) -> float:
    """The highest finite value of ``curve``, 0 without one."""
    finite = curve[np.isfinite(curve)]
    return float(finite.max()) if finite.size else 0.0


def _within(a: np.ndarray, b: np.ndarray, apart: float) -> bool:
    """Whether curves ``a`` and ``b`` are nowhere more than ``apart`` apart (gaps, NaN, where both have one)."""
    if a.shape != b.shape or (np.isnan(a) != np.isnan(b)).any():
        return False
    same = (a == b) | np.isnan(a)
    return bool((np.abs(np.where(same, 0.0, a - b)) <= apart).all())


def _share_x(result: Result, shares: list[tuple[int, str, np.ndarray]], material: str) -> np.ndarray | None:
    """The x values (:func:`days_as_x`) of the first pool-share line of ``shares``, the one its label sits by."""
    if not shares:
        return None
    rows = _rows(result, "timeseries", region=shares[0][1], material=material)
    return days_as_x(result, _column(result, "timeseries", "day")[rows])


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
