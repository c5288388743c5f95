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
from simulator.plots.columns import days_as_x, table_column, table_rows
from simulator.plots.comparison import DRAWN_AS_ONE_SHARE, drawn_as_one_words
from simulator.plots.cover_lines import (
    COVER_TARGETS_DAYS,
    TRIGGER_LABEL_PAD_PT,
    draw_target_lines,
    draw_trigger_line,
    name_targets_once,
    place_trigger_label,
    trigger_line_days,
)
from simulator.plots.curves import draw_region_lines
from simulator.plots.finish import finish_figure
from simulator.plots.layout import MIN_PANEL_IN, Panels, format_axis
from simulator.plots.line_labels import PLACE_AFTER_FIT, label_box_in, place_after_fit
from simulator.plots.notes import note_span, note_top
from simulator.plots.pool_shares import (
    POOL_SHARE_LABEL,
    above_axis_lines,
    draw_pool_shares,
    horizontal_lines,
    label_clear_of_curves,
    label_pool_shares,
    place_share_label_led,
    pool_share_lines,
    share_apart_days,
    share_label_breaks,
    share_lies_on,
    share_seen_days,
    shares_by_axis_top,
    target_under_shares,
)
from simulator.plots.releases import FigureReleases, hide_lane_ticks, lane_label, mark_releases, release_runs
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
    pool = {material: pool_share_lines(result, material) for material in grid.materials}  # each panel's share lines
    # each panel's share lines drawn under the axis's top, and those left above it
    by_axis = {
        material: shares_by_axis_top(result, material, pool[material], triggers[material])
        for material in grid.materials
    }
    releases = FigureReleases.of_run(result)  # read once: the same room under 0 in every panel, 0 lines aligned
    targets_drawn: set[float] = set()
    drawn: dict[str, dict[str, np.ndarray]] = {}  # material -> each region's curve, by its name
    for material in grid.materials:
        ax = grid.cells[0, material]
        shock_lanes_share = shade_shocks(ax, result, material)  # of the panel's height, 0 with full-height bands
        draw_region_lines(ax, result, material, "days_of_cover")
        curves = [np.asarray(line.get_ydata(), float) for line in ax.get_lines()]
        drawn[material] = {line.get_label(): curve for line, curve in zip(ax.get_lines(), curves, strict=True)}
        trigger = triggers[material]
        placed = () if trigger is None else ((trigger, draw_trigger_line(ax, trigger)),)
        shares, above = by_axis[material]
        on_target = target_under_shares(shares, curves)
        targets = tuple(t for t in COVER_TARGETS_DAYS if t != on_target)
        lined = [*curves, *(share for *_, share in shares)]  # the axis reaches the shares that fit too (180 days)
        placed = draw_target_lines(ax, lined, placed, targets)
        targets_drawn.update(targets)
        draw_pool_shares(ax, result, material, pool[material], shares)
        share_x = _share_x(result, shares, material)
        line = label_pool_shares(ax, shares, curves, placed, on_target, panel_in=grid.panel_in, x=share_x)
        if line is not None:  # the pool share's label: by a part of its line a reader sees
            _keep_by_seen_part(ax, ax.texts[-1], line, shares[0][2], curves)
        ax.set_title(plain_text(names.material(material)))
        ax.set_ylabel("drawable days of cover")
        ax.set_ylim(bottom=0)  # and the top where the autoscale put it: the shares drawn next do not move it
        raised_share = shock_lanes_share  # of the panel, over the curves: the shock lanes'
        if releases.lanes:  # release lanes under 0 in every panel, sized with the shock lanes' room above the curves
            raised_share = mark_releases(ax, result, material, releases, shock_lanes_share)
        clear_lanes(ax, raised_share)  # the one place the top is raised
        draw_pool_shares(ax, result, material, pool[material], above)
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
            note_span(grid.fig, ax, days_as_x(result, np.array(span)), NO_RESTOCKING_NOTES)
        hide_lane_ticks(ax)
    return grid.fig


def _keep_by_seen_part(ax: Axes, label: Any, line: Any, share: np.ndarray, curves: list[np.ndarray]) -> None:
    """Have the pool share's ``label`` placed as before, then moved by the part of its line a reader sees if need be.

    ``line``: the share line the label names, as drawn, with the values ``share`` (days). It is hidden where it runs
    under a curve: not apart from ``curves`` (:func:`share_apart_days`, no target lines: within
    :data:`~simulator.plots.pool_shares.POOL_ON_TARGET_SHARE` of the panel's height of one of them, as
    :func:`share_seen_days` measures it). The search
    that places the label once the panel is laid out (:func:`~simulator.plots.pool_shares.place_pool_share_label`)
    takes every day the line is drawn: in ``embargo_2010`` with the halt to Japan through 2011 and its cargo lost,
    the members' shares of light rare earths lie on the 60-day line to February 2011, then under the EU's curve, and
    the label went below the hidden line in January 2011, 15 days under the 60-day line, the 30-day line through
    it: read as the 30-day line's. Where the line is hidden on some days and seen on others, the label is checked
    once placed (:func:`_place_by_seen_part`); a line hidden nowhere, or seen nowhere, keeps its label as placed.
    """
    first = PLACE_AFTER_FIT.get(label)
    if first is None:
        return
    hidden = np.isfinite(share) & ~share_apart_days(share, (), curves)
    if not hidden.any() or not (np.isfinite(share) & ~hidden).any():
        return
    place = partial(_place_by_seen_part, first=first, label=label, line=line, share=share, curves=curves, hidden=hidden)
    place_after_fit(label, place)


SEEN_PART_LEFTS = 9
"""Places along the days its line is seen where :func:`_place_by_seen_part` tries a pool share's label, left first."""


def _place_by_seen_part(
    fig: Figure,
    ax: Axes,
    *,
    first: Any,
    label: Any,
    line: Any,
    share: np.ndarray,
    curves: list[np.ndarray],
    hidden: np.ndarray,
) -> None:
    """Place ``label`` as ``first`` does; where it then reads as another line's label, join it to its line's part seen.

    ``line``: the pool-share line drawn with the values ``share``, in a panel of ``curves``. The label is moved only
    when all of these hold: the days the line is seen longest (apart from the ``curves``,
    :func:`share_seen_days`) lie on a horizontal line (the 60 days: the reader sees the dots
    on it; as :func:`share_lies_on` measures it); of the line's points under the label's
    text the one nearest it is hidden (:func:`_by_hidden_day`); and another horizontal line runs through the middle
    of the label (:func:`_across_other_level`). Then it is tried touching those days (the line's height under it,
    :data:`~simulator.plots.cover_lines.TRIGGER_LABEL_PAD_PT` above it, else as far below) at
    :data:`SEEN_PART_LEFTS` places along them, in each of its breaks
    (:func:`share_label_breaks`, ``narrow``): the first inside the frame, crossing no curve
    (:func:`label_clear_of_curves`) nor another horizontal line, is kept. Where none is, a place
    clear of everything from which a leader runs to those days (:func:`place_share_label_led`,
    first with only the line they lie on allowed behind the label, then every horizontal line): in the harsh
    ``embargo_2010`` no place by the 60 days is clear of Japan's curve and of the EU's December spike, and the label
    goes under the 30-day line with a leader up to the 60-day line. Where no leader fits either, it stays where
    ``first`` put it.
    """
    first(fig, ax)
    seen = np.flatnonzero(share_seen_days(share, (), curves))  # the days it is seen longest: apart from the curves
    a, b = int(seen[0]), int(seen[-1]) + 1
    levels = [float(np.asarray(level.get_ydata(), float)[0]) for level in horizontal_lines(ax)]
    on = [y for y in levels if share_lies_on(share[a:b], y, curves)]  # the target line the days seen longest lie on
    if (
        not on  # seen apart from the target lines: the search's place is by it
        or not _by_hidden_day(fig, ax, label, line, hidden)
        or not _across_other_level(fig, ax, label, line)
    ):
        return
    across = ax.transAxes.inverted().transform(line.get_transform().transform(line.get_xydata()))[:, 0]
    kept = (label.get_text(), label.xy, label.xyann, label.get_horizontalalignment(), label.get_verticalalignment())
    for lines in share_label_breaks(label, narrow=True):
        label.set_text("\n".join(lines))
        label.set_horizontalalignment("left")
        wide = label_box_in(fig, ax, label)[2] - label_box_in(fig, ax, label)[0]
        wide_share = wide / (ax.get_position().width * fig.get_figwidth())
        last = max(float(across[a]), float(across[b - 1]) - wide_share)
        for left in np.linspace(float(across[a]), last, SEEN_PART_LEFTS):
            days = np.arange(a, b)[(across[a:b] >= left) & (across[a:b] <= left + wide_share)]
            if not len(days):
                continue
            for downward in (False, True):
                at_line = float(share[days].min() if downward else share[days].max())
                label.xy = (float(left), at_line)
                label.xyann = (0.0, -TRIGGER_LABEL_PAD_PT if downward else TRIGGER_LABEL_PAD_PT)
                label.set_verticalalignment("top" if downward else "bottom")
                crossed = [y for y in levels if y not in on and _crosses_level(fig, ax, label, y)]
                if label_clear_of_curves(fig, ax, label) and not crossed:
                    return
    text, label.xy, label.xyann, ha, va = kept
    label.set_text(text)
    label.set_horizontalalignment(ha)
    label.set_verticalalignment(va)
    # nowhere touching the days seen: clear of everything, with a leader to them, if one fits
    part = Line2D(
        line.get_xdata(),
        np.where((np.arange(len(share)) >= a) & (np.arange(len(share)) < b), share, np.nan),
        transform=line.get_transform(),
        visible=False,
        label=f"_seen part: {POOL_SHARE_LABEL}",  # left out of what the search keeps clear of, and of the legend
    )
    ax.add_line(part)
    try:
        drawn_on = [level for level in horizontal_lines(ax) if float(np.asarray(level.get_ydata(), float)[0]) in on]
        if not (
            place_share_label_led(fig, ax, label, part, behind=drawn_on)
            or place_share_label_led(fig, ax, label, part, behind=horizontal_lines(ax))
        ):
            label.set_text(text)
            label.xy, label.xyann = kept[1], kept[2]
            label.set_horizontalalignment(ha)
            label.set_verticalalignment(va)
    finally:
        part.remove()


def _by_hidden_day(fig: Figure, ax: Axes, label: Any, line: Any, hidden: np.ndarray) -> bool:
    """Whether, of ``line``'s points under ``label``'s text, the one nearest it (above or below) is ``hidden``."""
    x0, y0, x1, y1 = label_box_in(fig, ax, label)
    points = line.get_transform().transform(line.get_xydata()) / fig.dpi
    under = np.isfinite(points).all(axis=1) & (points[:, 0] >= x0) & (points[:, 0] <= x1)
    if not under.any():
        return False
    apart = np.where(points[:, 1] > y1, points[:, 1] - y1, np.where(points[:, 1] < y0, y0 - points[:, 1], 0.0))
    return bool(hidden[int(np.argmin(np.where(under, apart, np.inf)))])


THROUGH_INSET = 0.25
"""A horizontal line runs through a label (:func:`_across_other_level`) when it crosses the middle half of its text's
height: one that grazes its top or foot (``new_supply_2031``'s 30-day line under its label, by the shares' ends)
does not take it for its own."""


def _across_other_level(fig: Figure, ax: Axes, label: Any, line: Any) -> bool:
    """Whether a horizontal line (a target, the trigger) runs through ``label``'s text, ``line`` not on it.

    Over the days under the label's text, through the middle half of its height (:data:`THROUGH_INSET`): a dashed
    line through a label reads as the line it names.
    """
    x0, _, x1, _ = label_box_in(fig, ax, label)
    points = line.get_transform().transform(line.get_xydata()) / fig.dpi
    under = np.isfinite(points).all(axis=1) & (points[:, 0] >= x0) & (points[:, 0] <= x1)
    values = {float(v) for v in np.asarray(line.get_ydata(), float)[under]}
    levels = [float(np.asarray(level.get_ydata(), float)[0]) for level in horizontal_lines(ax)]
    return any(y not in values and _crosses_level(fig, ax, label, y, inset=THROUGH_INSET) for y in levels)


def _crosses_level(fig: Figure, ax: Axes, label: Any, y: float, *, inset: float = 0.0) -> bool:
    """Whether the horizontal line at ``y`` (data) runs through ``label``'s text, ``inset`` of its height in.

    ``inset`` 0.25: through the middle half of its height.
    """
    at = ax.transData.transform((0.0, y))[1] / fig.dpi
    _, y0, _, y1 = label_box_in(fig, ax, label)
    room = inset * (y1 - y0)
    return bool(y0 + room < at < y1 - room)


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
        extra.append((bar, lane_label(rules, set(rules), "each member, in its own lane and its curve's colour")))
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
    rows = table_rows(result, "timeseries", region=shares[0][1], material=material)
    return days_as_x(result, table_column(result, "timeseries", "day")[rows])


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
    rows = [table_rows(result, "timeseries", region=region, material=material) for region in regions]
    days = table_column(result, "timeseries", "day")[rows[0]].astype(np.int64)
    cover = np.array([table_column(result, "timeseries", "days_of_cover")[r] for r in rows], float)
    short = np.array([table_column(result, "timeseries", "shortfall_t")[r] for r in rows], float)
    if not (cover[:, days == 0] >= EMPTY_COVER_DAYS).any():
        return None
    empty = (cover < EMPTY_COVER_DAYS).all(axis=0) & (short <= 0.0).all(axis=0) & (days >= after)
    runs = release_runs(days[empty])
    longest = max(runs, key=lambda run: run[1] - run[0], default=None)
    if longest is None or longest[1] - longest[0] < NOTE_MIN_DAYS:
        return None
    return longest
