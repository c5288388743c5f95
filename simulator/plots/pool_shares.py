"""A member's own pool share it may not draw, as a thin dotted line in days; the shares left above the axis.

The days-of-cover figure (:mod:`simulator.plots.cover`) finds the lines (:func:`pool_share_lines`,
:func:`shares_by_axis_top`), draws them (:func:`draw_pool_shares`) and labels them (:func:`label_pool_shares`) with
the public functions here; it checks its own placing of the label with the same measures: the days a line is seen
(:func:`share_seen_days`, :func:`share_apart_days`), whether it lies on a target (:func:`share_lies_on`,
:func:`target_under_shares`), the label's breaks (:func:`share_label_breaks`), whether it is clear of the curves
(:func:`label_clear_of_curves`), the horizontal lines it may cover (:func:`horizontal_lines`) and the place with a
leader (:func:`place_share_label_led`).

Layer: studies.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from itertools import pairwise
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.transforms import Bbox

from simulator.names import Names, cap
from simulator.numeric import same_to_rounding
from simulator.plots.columns import days_as_x, table_column, table_rows
from simulator.plots.cover_lines import (
    COVER_TARGETS_DAYS,
    TRIGGER_LABEL_CLEAR_PT,
    TRIGGER_LABEL_LEFTS,
    TRIGGER_LABEL_PAD_PT,
    trigger_line_days,
)
from simulator.plots.layout import axes_fraction
from simulator.plots.line_labels import (
    LABEL_SPAN,
    LABEL_TOP_ROOM_PT,
    LINE_LABEL_INSET_IN,
    clear_spot,
    draw_line_label,
    drawn_line_labels,
    label_box_in,
    place_after_fit,
)
from simulator.plots.notes import Drawn, line_heights, line_points, note_place, panel_slices
from simulator.plots.style import LINE_LABEL_LEADING, LINE_LABEL_PT, region_colour
from simulator.plots.text import agg_renderer, drawn_width_in, label_lines, text_width_in
from simulator.results import Result
from simulator.scenario.portfolio import has_demand

SHARE_OFF_SCALE_RATIO = 3.0
"""A pool-share line (:func:`pool_share_days`) whose highest value is more than this many times the highest of its
panel's drawable curves, target lines (:data:`COVER_TARGETS_DAYS`) and trigger is left above the axis, and the panel
says its days (:func:`pool_shares_above_axis`): Australia's 3,333 days of light rare earths in ``club_of_five`` (1,000 t
against 0.3 t a day) stretched the axis to 3,500 days and squashed the drawable curves (0-120 days) into 3% of it."""


def pool_shares_above_axis(result: Result, material: str) -> list[tuple[int, str, np.ndarray]]:
    """The pool-share lines of ``material`` (:func:`pool_share_lines`, days) its panel leaves above the axis.

    Those whose highest day is more than :data:`SHARE_OFF_SCALE_RATIO` times the panel's
    reach without them: the highest drawable cover of a region with demand for
    ``material``, the 30- and 60-day lines and the release trigger where drawn
    (:func:`trigger_line_days`). The axis then runs to the drawable curves, and a note
    in the panel gives each such share's days (:func:`above_axis_lines`).
    """
    shares = pool_share_lines(result, material)
    return shares_by_axis_top(result, material, shares, trigger_line_days(result, material) if shares else None)[1]


def shares_by_axis_top(
    result: Result, material: str, shares: list[tuple[int, str, np.ndarray]], trigger: float | None
) -> tuple[list[tuple[int, str, np.ndarray]], list[tuple[int, str, np.ndarray]]]:
    """The panel's pool-share lines ``shares`` (:func:`pool_share_lines`) drawn under the axis's top, and those above.

    :func:`pool_shares_above_axis`'s test, made once per panel; ``trigger``: the panel's release
    trigger (:func:`trigger_line_days`), which the days-of-cover figure works out once per panel.
    """
    if not shares:
        return [], []
    cover = table_column(result, "timeseries", "days_of_cover")
    regions = [r for r in result.structure.regions if has_demand(result.scenario, r, material)]
    drawable_days = [
        float(np.nanmax(cover[table_rows(result, "timeseries", region=r, material=material)])) for r in regions
    ]
    reach_days = max([*COVER_TARGETS_DAYS, *drawable_days, *([] if trigger is None else [trigger])])
    under: list[tuple[int, str, np.ndarray]] = []
    above: list[tuple[int, str, np.ndarray]] = []
    for line in shares:
        (above if np.nanmax(line[2]) > SHARE_OFF_SCALE_RATIO * reach_days else under).append(line)
    return under, above


def above_axis_lines(result: Result, ax: Axes, above: list[tuple[int, str, np.ndarray]]) -> list[str]:
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


POOL_SHARE_LABEL = "own pool share (not drawable under the rule)"
"""The legend's words for a member's pool share in days (:func:`pool_share_days`), after the member's name."""


POOL_SPOTS = ((0.0, "bottom"), (0.0, "top"), (0.35, "bottom"), (0.35, "top"))
"""Where the pool share's label may go along a line drawn all across its panel: at its left end first (the target
lines' labels are at the right). A line drawn on part of the axis only has spots of its own (:func:`_spots_along`)."""


DRAWN_ALL_ACROSS = 0.05
"""A pool-share line seen from within this share of the panel's width of its left edge to as near its right one
(the axis leaves about 0.045 of margin each side) is seen all across: its label takes :data:`POOL_SPOTS`."""


def share_seen_days(share: np.ndarray, targets: tuple[float, ...], curves: list[np.ndarray]) -> np.ndarray:
    """The longest run of days (True) on which the pool-share line ``share`` is drawn and can be told apart.

    Apart from the target lines drawn and from the panel's ``curves`` (within :data:`POOL_ON_TARGET_SHARE` of the
    panel's height, as :func:`share_lies_on` measures it): on a target line its dots read as the line's dashes, under a
    member's curve they are hidden. In ``embargo_2010`` with the halted cargo lost, the members own 60 days of light
    rare earths on the 60-day line to March 2011, then about the EU's drawable cover, under its curve, to the end of
    2011: their dotted lines are seen apart from then on.
    """
    apart = share_apart_days(share, targets, curves)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], apart.astype(np.int8), [0]])))
    starts, ends = edges[::2], edges[1::2]
    seen = np.zeros_like(apart)
    if len(starts):
        longest = int(np.argmax(ends - starts))
        seen[starts[longest] : ends[longest]] = True
    return seen


def share_apart_days(share: np.ndarray, targets: tuple[float, ...], curves: list[np.ndarray]) -> np.ndarray:
    """The days (True) on which the pool-share line ``share`` is drawn apart from the ``targets`` and the ``curves``.

    Apart: more than :data:`POOL_ON_TARGET_SHARE` of the panel's height (:func:`_panel_top`, 60 days here: 0.6 day)
    from each, as :func:`share_lies_on` measures it. :func:`share_seen_days` keeps the longest run of them.

    >>> share_apart_days(np.array([60.0, 59.5, 40.0, np.nan]), (60.0,), [np.array([0.0, 0.0, 40.5, 0.0])]).tolist()
    [False, False, False, False]
    >>> share_apart_days(np.array([60.0, 50.0, 40.0]), (60.0,), [np.array([0.0, 0.0, 10.0])]).tolist()
    [False, True, True]
    """
    near = POOL_ON_TARGET_SHARE * _panel_top(curves)
    apart = np.isfinite(share)
    for other in [*(np.full_like(share, t) for t in targets), *curves]:
        apart &= ~(np.abs(share - other) <= near)
    return apart


def _axes_shares(ax: Axes, x: np.ndarray) -> np.ndarray:
    """Where ``x`` (:func:`days_as_x`) falls across ``ax``, a share of its width: 0 its left edge, 1 its right."""
    at = np.asarray(ax.convert_xunits(np.asarray(x)), float)
    points = ax.transData.transform(np.column_stack([at, np.zeros_like(at)]))
    return ax.transAxes.inverted().transform(points)[:, 0]


def _beside(share: np.ndarray, across: np.ndarray, spot: tuple[float, str], span: float) -> float:
    """The value a label ``span`` of the width wide at ``spot`` sits on: the line's highest under it when above it.

    Its lowest when below it (``va`` "top"), so that the label's box never covers the line it names where the line
    rises or falls under it; ``across`` is each day's share of the width (:func:`_axes_shares`). A label at the right
    edge (:func:`draw_line_label`) spans the last ``span`` of the width.
    """
    start, va = spot
    start = 1.0 - span if start + LABEL_SPAN >= 1 else start
    under = share[(across >= start) & (across <= start + span) & np.isfinite(share)]
    if not len(under):  # a spot past the line's days (none of _spots_by's): by its middle value
        return float(np.nanmedian(share))
    return float(under.max() if va == "bottom" else under.min())


def _labels_measured(
    ax: Axes, panel_in: float
) -> tuple[tuple[tuple[float, tuple[float, str]], ...], tuple[float, ...]]:
    """The line labels drawn in ``ax`` so far, as :func:`clear_spot` takes them placed, with their measured widths.

    Each label's value, where it starts (a share of the panel's width, ``panel_in`` inches) and whether it is above or
    below its line; and its share of the width, its text measured (:func:`text_width_in`) with its inset.
    """
    spots, widths = [], []
    for text in drawn_line_labels(ax):
        width = (text_width_in(text.get_text().split("\n"), text.get_fontsize()) + LINE_LABEL_INSET_IN) / panel_in
        at = float(text.xy[0])
        start = at - width if text.get_horizontalalignment() == "right" else at
        spots.append((float(text.xy[1]), (start, "bottom" if text.get_verticalalignment() == "bottom" else "top")))
        widths.append(width)
    return tuple(spots), tuple(widths)


def _spots_by(
    share: np.ndarray, seen: np.ndarray, across: np.ndarray, span: float
) -> tuple[tuple[tuple[float, str], ...], np.ndarray]:
    """Spots for a label ``span`` of the width wide by the line ``share``, and the days (True) they are beside.

    Along the days the line is ``seen`` apart (:func:`share_seen_days`) where the label stays over days the line is
    drawn; else, where the seen days are too few for it (``long_embargo_6m``'s light rare earths: Japan's share
    leaves the 60-day line in July 2026 and is gone in August), along the days it is drawn. ``across``: each day's
    share of the panel's width (:func:`_axes_shares`); a line drawn to the last day may have its label to the edge.
    """
    drawn = np.isfinite(share)
    first, last = float(across[drawn][0]), float(across[drawn][-1])
    end = 1.0 if last >= 1 - DRAWN_ALL_ACROSS else last
    ends = (float(across[seen][0]), float(across[seen][-1]))
    inside = tuple(s for s in _spots_along(*ends, span) if first - 1e-9 <= s[0] and s[0] + span <= end + 1e-9)
    return (inside, seen) if inside else (_spots_along(first, last, span), drawn)


def _spots_along(first: float, last: float, span: float) -> tuple[tuple[float, str], ...]:
    """Spots (:func:`clear_spot`) for a label ``span`` of the width wide by a line seen from ``first`` to ``last``.

    At the line's left end, in its middle and at its right end, above then below the line, none before the line
    starts nor past the panel's right edge; a label wider than the rest of the panel from where its line starts
    ends at that edge, as near the line as it fits.

    >>> _spots_along(0.4, 1.0, 0.3)  # a line drawn from 0.4 of the width on: the label starts at 0.4 or after
    ((0.4, 'bottom'), (0.4, 'top'), (0.55, 'bottom'), (0.55, 'top'), (0.7, 'bottom'), (0.7, 'top'))
    >>> _spots_along(0.9, 1.0, 0.3)  # too near the right edge: ends there
    ((0.7, 'bottom'), (0.7, 'top'))
    """
    starts = [first, first + (last - first - span) / 2, last - span]
    fitting = sorted({round(s, 6) for s in starts if first - 1e-9 <= s and s + span <= 1 + 1e-9})
    if not fitting:
        fitting = [max(0.0, 1.0 - span)]
    return tuple((start, va) for start in fitting for va in ("bottom", "top"))


def pool_share_days(result: Result, region: str, material: str) -> np.ndarray | None:
    """The pool share ``region`` owns of ``material`` in days of baseline demand, where the rule lets it draw less.

    ``pool_share_t / baseline_demand_t`` on the days the share is above 0 and differs
    from ``drawable_shared_t`` (the shared stock the rule would let the member draw:
    the drawable cover counts that, not the share); NaN on the other days and on days
    without demand. None when no day has such a share: no agreement, no pool of the
    material, or a rule that lets the member draw all it owns.
    """
    rows = table_rows(result, "timeseries", region=region, material=material)
    share = table_column(result, "timeseries", "pool_share_t")[rows].astype(float)
    demand = table_column(result, "timeseries", "baseline_demand_t")[rows].astype(float)
    drawable = (
        table_column(result, "timeseries", "drawable_shared_t")[rows].astype(float)
        if "drawable_shared_t" in result.tables["timeseries"].columns
        else np.zeros_like(share)
    )
    shown = (share > 0) & (demand > 0) & ~same_to_rounding(share, np.nan_to_num(drawable))
    if not shown.any():
        return None
    return np.where(shown, share / np.where(demand > 0, demand, 1.0), np.nan)


def pool_share_lines(result: Result, material: str) -> list[tuple[int, str, np.ndarray]]:
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


def target_under_shares(shares: list[tuple[int, str, np.ndarray]], curves: list[np.ndarray]) -> float | None:
    """The target line (:data:`COVER_TARGETS_DAYS`) the first pool-share line lies on all the days drawn, if any."""
    if not shares:
        return None
    return next((t for t in COVER_TARGETS_DAYS if share_lies_on(shares[0][2], t, curves)), None)


def share_lies_on(share: np.ndarray, target: float, curves: list[np.ndarray]) -> bool:
    """Whether a pool-share line stays within :data:`POOL_ON_TARGET_SHARE` of the panel's height of ``target``."""
    drawn = share[np.isfinite(share)]
    return bool(len(drawn)) and float(np.abs(drawn - target).max()) <= POOL_ON_TARGET_SHARE * _panel_top(curves)


def _panel_top(curves: list[np.ndarray]) -> float:
    """The panel's height as :data:`POOL_ON_TARGET_SHARE` measures it, days: its highest curve or target line."""
    finite = [c[np.isfinite(c)] for c in curves]
    return max([*COVER_TARGETS_DAYS, *(float(c.max()) for c in finite if len(c))])


def label_pool_shares(
    ax: Axes,
    lines: list[tuple[int, str, np.ndarray]],
    curves: list[np.ndarray],
    placed: tuple[tuple[float, tuple[float, str]], ...],
    on_target: float | None = None,
    *,
    panel_in: float,
    x: np.ndarray | None,
) -> Any:
    """What the pool-share ``lines`` drawn under the axis's top (:func:`draw_pool_shares`) are, beside the first.

    The panel says "own pool share, not drawable" beside the first line, clear of the
    ``curves`` and of the labels already ``placed``. A first line that lies on the target
    line at ``on_target`` days (:func:`target_under_shares`), which is then not drawn, says so:
    "own pool shares = 60 days, not drawable under the rule". In a panel ``panel_in`` inches
    wide too narrow for it on one line (the report's), the label is broken after its comma
    (:func:`label_lines`), and its spot is chosen for its measured width and lines: one
    where it fits the panel, clear of the target lines' labels it would reach. ``x``: the first line's x values
    (:func:`days_as_x`). A line seen apart from the target lines and the curves on part of the axis only
    (:func:`share_seen_days`) gets its label along that part (:func:`_spots_along`), clear of the labels drawn as they
    are measured (:func:`_labels_measured`), touching the line (:func:`_beside`): with the halted cargo lost in
    ``embargo_2010`` the label sat at July 2010, 57 days up (the line's median), over the EU's curve and over the
    lines it names, there on the 60-day line. Once the panel is laid out, a label that crosses a curve or leaves the
    frame there moves (:func:`place_pool_share_label`). Returns the first line as drawn, which the label names
    (None: no label).
    """
    if lines and x is not None:
        value = float(np.nanmedian(lines[0][2]))
        what = "own pool shares" if len(lines) > 1 else "own pool share"
        text = f"{what}, not drawable"
        if on_target is not None:  # plural only where more than one line lies on it
            value = on_target
            on = sum(share_lies_on(share, on_target, curves) for *_, share in lines)
            what = "own pool shares" if on > 1 else "own pool share"
            text = f"{what} = {on_target:g} days, not drawable under the rule"
        drawn = tuple(t for t in COVER_TARGETS_DAYS if t != on_target)
        text_lines = label_lines(text, LINE_LABEL_PT, panel_in - LINE_LABEL_INSET_IN)
        span = max(LABEL_SPAN, (text_width_in(text_lines, LINE_LABEL_PT) + LINE_LABEL_INSET_IN) / panel_in)
        seen = share_seen_days(lines[0][2], drawn, curves)
        across = _axes_shares(ax, x)
        first, last = (float(across[seen][0]), float(across[seen][-1])) if seen.any() else (0.0, 1.0)
        seen_all_across = first <= DRAWN_ALL_ACROSS and last >= 1 - DRAWN_ALL_ACROSS
        if seen_all_across:  # where it always went
            spots = tuple(spot for spot in POOL_SPOTS if spot[0] + span <= 1) or POOL_SPOTS[:2]
            spot = clear_spot(
                curves, value, labelled=drawn, spots=spots, placed=placed, span=span, range_share=0.08 * len(text_lines)
            )
        else:  # by the line where it is seen, not over the curves before (the EU's in December 2010)
            spots, along = _spots_by(lines[0][2], seen, across, span)
            value = float(np.median(lines[0][2][along]))
            measured, widths = _labels_measured(ax, panel_in)  # in a part of the width: clear of them as drawn
            rows = 0.08 * len(text_lines)
            beside = partial(_beside, lines[0][2], across, span=span)  # where the label at a spot touches the line
            spot = clear_spot(
                curves,
                value,
                spots=spots,
                placed=measured,
                span=span,
                range_share=rows,
                placed_spans=widths,
                value_at=beside,
            )
            value = beside(spot)
        label = draw_line_label(ax, value, "\n".join(text_lines), spot, "0.25")
        line = next(
            drawn
            for drawn in ax.get_lines()
            if drawn.get_label().endswith(POOL_SHARE_LABEL)
            and np.array_equal(np.asarray(drawn.get_ydata(), float), lines[0][2], equal_nan=True)
        )
        led = on_target is not None and not seen_all_across  # "= 60 days" by a line that ends
        place_after_fit(label, partial(place_pool_share_label, label=label, line=line, led=led))
        return line
    return None


def place_pool_share_label(fig: Figure, ax: Axes, *, label: Any, line: Any, led: bool = False) -> None:
    """Move the pool share's ``label`` (:func:`label_pool_shares`) beside its ``line`` where it covers no curve.

    Called once the panel is laid out (:func:`place_after_fit`). A label inside the panel that crosses no curve
    (:func:`label_clear_of_curves`) stays where it is. Else it goes :data:`TRIGGER_LABEL_PAD_PT` above the line, else
    as far below it, at the first of :data:`TRIGGER_LABEL_LEFTS` places along the line (:func:`_line_places`) where it
    stays the most of :data:`TRIGGER_LABEL_CLEAR_PT` from the curves, the release lanes and the other labels, and
    that pad inside the frame (the notes' search, :func:`note_place`, over what :func:`panel_slices` finds drawn).
    The horizontal lines and the pool-share lines (those it names, others on them) may run behind its light box.
    Where no place touches the line, the place nearest it: in ``long_embargo_12m_2030`` Japan's light rare earths
    fall through the 60 days the shares sit on for their first 175 days, and the shares then fall beside Japan's
    curve, 8 days under it. There the label sat on the 60-day line over Japan's curve; and on the EU's NdFeB share
    at 180 days, the axis's top, it ran over the frame.

    ``led``: the label says the shares lie on a target line (``own pool shares = 60 days``) though they are drawn on
    part of the axis only; it goes where :func:`place_share_label_led` finds, and only where it finds nowhere, as above.
    """
    if led and place_share_label_led(fig, ax, label, line):
        return
    searched = not label_clear_of_curves(fig, ax, label)  # a search that found no place touching the line is not redone
    found = searched and _place_nearest(fig, ax, label, line)
    if _apart_from(fig, ax, label, line) and (
        (searched and not found) or not _place_nearest(fig, ax, label, line, touching_only=True)
    ):
        _place_off(fig, ax, label, line)


def _place_off(fig: Figure, ax: Axes, label: Any, line: Any) -> bool:
    """Set ``label``, apart from ``line`` where nothing touching it is clear, by the line still; whether it could.

    First with a straight leader (:func:`place_share_label_led`), then touching it broken into more lines and reaching
    into the axis's margin before its first day (:func:`_place_nearest`, ``narrow``: ``own pool`` over ``share,`` over
    ``not`` over ``drawable`` above ``long_embargo_12m``'s heavy rare-earth share at 180 days, before the EU's spike
    in May 2026), last clear of everything with a straight leader to it (:func:`_place_clear`): in
    ``china_2025_licensing``'s report the heavy rare-earth share at 180 days, shut in from June 2025 between the
    EU's curve and Japan's, is labelled over its first months, above its line, from 300 days down to it.
    """
    behind = horizontal_lines(ax)
    return (
        place_share_label_led(fig, ax, label, line, behind=behind)
        or _place_nearest(fig, ax, label, line, touching_only=True, narrow=True)
        or _place_clear(fig, ax, label, line, behind=behind)
    )


NEAR_LINE_PT = 6.0
"""A pool share's label farther than this from its line (points, over the days under it) reads as apart from it."""
OVER_LINE_SHARE = 0.25
"""A pool share's label over less than this share of its width where its line is drawn reads as apart from it."""


def _apart_from(fig: Figure, ax: Axes, label: Any, line: Any) -> bool:
    """Whether ``label`` sits apart from its ``line``: over :data:`NEAR_LINE_PT` from it, or barely over its days.

    Measured on the label's text (:func:`label_box_in`) and the line's drawn points, as laid out. In the shipped
    figures, labels placed clear of the curves sat 25 points over ``long_embargo_12m``'s heavy rare-earth share with
    1% of their width over its days, 30 points from ``long_embargo_12m_2030``'s light ones, 56 points from
    ``club_of_five``'s light ones in the report: read as labels of whatever lay nearer.
    """
    x0, y0, x1, y1 = label_box_in(fig, ax, label)
    xy = line.get_xydata()
    points = line.get_transform().transform(xy[np.isfinite(xy).all(axis=1)]) / fig.dpi
    if not len(points):
        return False
    over_in = min(x1, points[:, 0].max()) - max(x0, points[:, 0].min())
    under = points[(points[:, 0] >= x0) & (points[:, 0] <= x1), 1]
    if over_in < OVER_LINE_SHARE * (x1 - x0) or not len(under):
        return True
    return max(y0 - under.max(), under.min() - y1) * 72 > NEAR_LINE_PT


def horizontal_lines(ax: Axes) -> list[Any]:
    """The horizontal reference lines of ``ax`` (axhline's: the targets, the trigger): a label's box may cover them."""
    return [drawn for drawn in ax.get_lines() if drawn.get_transform() is ax.get_yaxis_transform()]


def _place_nearest(
    fig: Figure, ax: Axes, label: Any, line: Any, *, touching_only: bool = False, narrow: bool = False
) -> bool:
    """Move ``label`` to the first place touching ``line`` clear of what is drawn, else the nearest such place.

    The search of :func:`place_pool_share_label` for a label that crosses a curve or leaves the frame; with
    ``touching_only``, a label is moved only to a place touching the line; with ``narrow``, the label may be broken
    into more lines than after its comma (:func:`share_label_breaks`). Whether it was moved there.
    """
    levels = horizontal_lines(ax)
    shares = [drawn for drawn in ax.get_lines() if drawn.get_label().endswith(POOL_SHARE_LABEL)]
    slices = [  # what is drawn but the label and the lines that may run behind it; full-height bands aside
        (a, b, [(low, high) for low, high in heights if not (low <= 0 and high >= 1)])
        for a, b, heights in _slices(fig, ax, (label, *levels, *shares), fine=narrow)
    ]
    pad = axes_fraction(fig, ax, TRIGGER_LABEL_PAD_PT / 72, vertical=True)
    nearest: tuple[float, float, float, bool, list[str]] | None = None  # gap, left, line's height, below it, lines
    for clear_pt in TRIGGER_LABEL_CLEAR_PT:
        for downward in (False, True):
            places = _line_places(fig, ax, label, line, slices, clear_pt, downward=downward, narrow=narrow)
            for gap, left, at_line, lines in places:
                if nearest is None or gap < nearest[0] - 1e-9:
                    nearest = (gap, left, at_line, downward, lines)
                if gap <= pad + 1e-6:  # touching
                    _move_label(fig, ax, label, nearest)
                    return True
    if nearest is not None and not touching_only:
        _move_label(fig, ax, label, nearest)
    return False


LEADER_LABEL = "_pool_share_leader"
"""The label of the leader line from a pool share's label to its line (:func:`_draw_leader`; an underscore: no
legend shows it)."""
LEADER_LW = 0.6
"""Width of that leader line, points: thinner than the dotted share lines (1.3), in the label's ink."""
LEADER_TRIES = 9
"""Places across the days under both the label and its line where :func:`_leader_x` tries the leader, left first."""


def place_share_label_led(fig: Figure, ax: Axes, label: Any, line: Any, *, behind: list[Any] | None = None) -> bool:
    """Set the pool share's ``label`` touching ``line``, else clear of everything with a leader to it; whether it could.

    For a label that names a target line the shares lie on (``own pool shares = 60 days``) where the shares end
    part way along the axis. Under ``iea_ess`` in ``embargo_2010`` no trigger fires and the pool is not drawn, but
    the members' 60 days of light rare earths become drawable under the rule on 3 December 2010 (a share's line,
    drawn only where it differs from the drawable stock, stops there), and the label, placed for a line across the
    panel, ran from July 2010 to April 2012 25 days above the line, just over the EU's curve: it read as that
    curve's label. Of the places along the line (:func:`_line_places`) clear of the curves, the horizontal lines
    (30 days, the trigger) and the other labels by the most of :data:`TRIGGER_LABEL_CLEAR_PT` that one leaves, the
    label takes the first touching the line; where none does (a curve within a label's height of the line), the
    nearest from which a thin leader (:func:`_draw_leader`) runs straight up or down to the line, crossing nothing.
    ``behind``: lines the label and its leader may cross (a label apart from its line: the horizontal lines).
    """
    shares = [drawn for drawn in ax.get_lines() if drawn.get_label().endswith(POOL_SHARE_LABEL)]
    slices = [  # what is drawn but the label and the share lines; full-height bands aside
        (a, b, [(low, high) for low, high in heights if not (low <= 0 and high >= 1)])
        for a, b, heights in panel_slices(fig, ax, leave_out=(label, *shares, *(behind or [])))
    ]
    pad = axes_fraction(fig, ax, TRIGGER_LABEL_PAD_PT / 72, vertical=True)
    for clear_pt in TRIGGER_LABEL_CLEAR_PT:
        nearest: tuple[float, float, float, bool, list[str]] | None = None
        leader_at = 0.0
        for downward in (False, True):
            for gap, left, at_line, lines in _line_places(fig, ax, label, line, slices, clear_pt, downward=downward):
                if gap <= pad + 1e-6:  # touching: no leader needed
                    _move_label(fig, ax, label, (gap, left, at_line, downward, lines))
                    return True
                wide = axes_fraction(fig, ax, drawn_width_in(lines, LINE_LABEL_PT))
                x = _leader_x(ax, line, slices, (left, left + wide), at_line + (-gap if downward else gap))
                if x is not None and (nearest is None or gap < nearest[0] - 1e-9):
                    nearest, leader_at = (gap, left, at_line, downward, lines), x
        if nearest is not None:
            _move_label(fig, ax, label, nearest)
            _draw_leader(ax, label, line, leader_at)
            return True
    return False


def _leader_x(
    ax: Axes,
    line: Any,
    slices: list[tuple[float, float, list[tuple[float, float]]]],
    label_x: tuple[float, float],
    label_edge: float,
) -> float | None:
    """Where along the panel (axes fraction) a leader from a label to ``line`` crosses nothing drawn, or None.

    The leader runs from the label's near edge ``label_edge`` down or up to the line, clear of what ``slices`` hold
    (:func:`panel_slices`). Tried at :data:`LEADER_TRIES` places across the days under both the label
    (``label_x``: its left and right, inset by a tenth of its width) and the line, left first; the leader spans the
    line's heights there (:func:`line_heights`) to the label's edge.
    """
    xs = line_points(ax, line)[0]  # in the order of x
    inset = 0.1 * (label_x[1] - label_x[0])
    start, end = max(label_x[0] + inset, xs[0]), min(label_x[1] - inset, xs[-1])
    if start > end:
        return None
    for x in np.linspace(start, end, LEADER_TRIES):
        reach = line_heights(ax, line, float(x), float(x))
        if reach is None or not 0 <= reach[0] <= 1:  # not where the line runs above the axis's top
            continue
        low, high = min(reach[0], label_edge), max(reach[1], label_edge)
        crossed = any(lo <= high and low <= hi for a, b, heights in slices if a <= x <= b for lo, hi in heights)
        if not crossed:
            return float(x)
    return None


def _draw_leader(ax: Axes, label: Any, line: Any, x: float) -> None:
    """A thin line at ``x`` (axes fraction) from ``line`` to the near edge of ``label``'s text, in its ink.

    It starts on the line where it is drawn at ``x`` (in data: a sloping share line's height there, not the label's
    anchor) and ends on the label's text (its box's pad, a tenth of the type size, past it), so that the two keep
    together if the axis's top is raised after.
    """
    from matplotlib.transforms import blended_transform_factory

    xs, ys = line_points(ax, line)
    at_line = float(ax.transData.inverted().transform(ax.transAxes.transform((0.0, np.interp(x, xs, ys))))[1])
    text = label.get_window_extent(agg_renderer(ax.figure))
    across = float((ax.transAxes.transform((x, 0.0))[0] - text.x0) / max(text.width, 1e-9))
    ax.annotate(
        "",
        (x, at_line),
        xycoords=blended_transform_factory(ax.transAxes, ax.transData),
        xytext=(across, 0.0 if label.get_verticalalignment() == "bottom" else 1.0),
        textcoords=label,
        arrowprops={"arrowstyle": "-", "color": label.get_color(), "lw": LEADER_LW, "shrinkA": 0, "shrinkB": 0},
        label=LEADER_LABEL,
    )


def _place_clear(fig: Figure, ax: Axes, label: Any, line: Any, *, behind: list[Any]) -> bool:
    """Set ``label`` clear of everything anywhere a straight leader joins it to ``line``; whether it could.

    For a label no place along its line has room for, nor a leader from as near it as the label fits
    (:func:`place_share_label_led`, :func:`_place_nearest` with the label broken ``narrow``): ``china_2025_licensing``'s
    heavy rare-earth share in the report runs at 180 days to June 2025, then between the EU's curve and Japan's.
    The label may go at :data:`TRIGGER_LABEL_LEFTS` lefts across the panel, in each room between what is drawn there
    (kept the most of :data:`TRIGGER_LABEL_CLEAR_PT` that some place leaves, :data:`TRIGGER_LABEL_PAD_PT` inside the
    frame, as near the line as the room lets it, above or below it, :func:`_rooms`), broken in any of its ways
    (:func:`share_label_breaks`); of those from which a leader up or down to the line crosses nothing
    (:func:`_leader_x`), the one with the shortest leader wins. ``behind``: the horizontal lines, which the label's
    light box and its leader may cross.
    """
    shares = [drawn for drawn in ax.get_lines() if drawn.get_label().endswith(POOL_SHARE_LABEL)]
    slices = [  # what is drawn but the label and the lines that may run behind it; full-height bands aside
        (a, b, [(low, high) for low, high in heights if not (low <= 0 and high >= 1)])
        for a, b, heights in _slices(fig, ax, (label, *shares, *behind), fine=True)
    ]
    pad = axes_fraction(fig, ax, TRIGGER_LABEL_PAD_PT / 72, vertical=True)
    top = 1 - pad - axes_fraction(fig, ax, LABEL_TOP_ROOM_PT / 72, vertical=True)
    inset = axes_fraction(fig, ax, TRIGGER_LABEL_CLEAR_PT[-1] / 72)
    points = line_points(ax, line)
    for clear_pt in TRIGGER_LABEL_CLEAR_PT:
        more = axes_fraction(fig, ax, clear_pt / 72, vertical=True)
        best: tuple[float, float, float, list[str], float, float] | None = None  # length, left, bottom, lines, x, tall
        for lines in share_label_breaks(label, narrow=True):
            wide = axes_fraction(fig, ax, drawn_width_in(lines, LINE_LABEL_PT))
            tall = axes_fraction(fig, ax, len(lines) * LINE_LABEL_LEADING * LINE_LABEL_PT / 72, vertical=True)
            for left in np.linspace(inset, max(inset, 1 - inset - wide), TRIGGER_LABEL_LEFTS):
                at_line = line_heights(ax, line, float(left), float(left + wide))
                if at_line is None:
                    continue  # beside no day of the line
                taken = [(lo - more, hi + more) for a, b, hs in slices if a < left + wide and b > left for lo, hi in hs]
                for low, high in _rooms(taken, tall, (pad, top)):
                    for bottom in dict.fromkeys(
                        min(max(b, low), high - tall) for b in (at_line[1] + pad, at_line[0] - pad - tall)
                    ):
                        if bottom < at_line[1] + pad and at_line[0] - pad < bottom + tall:
                            continue  # over the line, or touching it (the searches before found no such place)
                        edge = bottom if bottom > at_line[1] else bottom + tall
                        x = _leader_x(ax, line, slices, (float(left), float(left + wide)), edge)
                        length = abs(edge - (at_line[1] if bottom > at_line[1] else at_line[0]))
                        if x is not None and (best is None or length < best[0] - 1e-9):
                            best = (length, float(left), bottom, lines, x, tall)
        if best is not None:
            _, left, bottom, lines, x, tall = best
            below = bottom + tall < float(np.interp(x, *points))  # the label under the line: anchored by its top
            _move_label(fig, ax, label, (0.0, left, bottom + tall if below else bottom, below, lines))
            _draw_leader(ax, label, line, x)
            return True
    return False


FINE_SLICES = 160
"""Slices of a panel's width the last searches of a pool share's label measure what is drawn in
(:func:`_place_off`): four times :func:`panel_slices`' 40, so that a curve's spike near a slice's edge does not
take the room of the whole slice. In ``club_of_five``'s heavy rare earths and ``long_embargo_12m_2030``'s in the
report, the members' spike (May 2026, June 2030) took the room above the 180-day share that the label, broken, fits
in before it."""


def _slices(
    fig: Figure, ax: Axes, leave_out: tuple[Any, ...], *, fine: bool
) -> list[tuple[float, float, list[tuple[float, float]]]]:
    """:func:`panel_slices` of ``ax`` but ``leave_out``; with ``fine``, in :data:`FINE_SLICES` slices."""
    if not fine:
        return panel_slices(fig, ax, leave_out=leave_out)
    drawn = Drawn(fig, ax, leave_out)
    edges = np.linspace(0.0, 1.0, FINE_SLICES + 1)
    return [(float(a), float(b), drawn.heights(a, b)) for a, b in pairwise(edges)]


def _rooms(taken: list[tuple[float, float]], tall: float, within: tuple[float, float]) -> list[tuple[float, float]]:
    """The rooms (low, high; axes fraction) ``within`` left free by the heights ``taken``, each ``tall`` or more.

    >>> _rooms([(0.3, 0.5), (0.45, 0.52)], 0.1, (0.0, 1.0))  # under the heights taken, and over them
    [(0.0, 0.3), (0.52, 1.0)]
    """
    rooms, low = [], within[0]
    for start, end in [*sorted(taken), (within[1], np.inf)]:
        high = min(start, within[1])
        if high - low >= tall:
            rooms.append((float(low), float(high)))
        low = max(low, end)
    return rooms


def _move_label(fig: Figure, ax: Axes, label: Any, place: tuple[float, float, float, bool, list[str]]) -> None:
    """Set ``label`` at ``place``: :func:`_line_places`' gap, left, the line's height and lines, and whether below.

    Gap, left and height in axes fraction. The label is anchored on the line in data, the gap in points, so that it
    keeps to the line if the axis's top is raised after (:func:`simulator.plots.notes.note_top`).
    """
    gap, left, at_line, downward, lines = place
    label.set_text("\n".join(lines))
    gap_pt = gap * ax.get_position().height * fig.get_size_inches()[1] * 72
    label.xy = (left, float(ax.transData.inverted().transform(ax.transAxes.transform((0.0, at_line)))[1]))
    label.xyann = (0.0, -gap_pt if downward else gap_pt)
    label.set_horizontalalignment("left")
    label.set_verticalalignment("top" if downward else "bottom")


def _line_places(
    fig: Figure,
    ax: Axes,
    label: Any,
    line: Any,
    slices: list[tuple[float, float, list[tuple[float, float]]]],
    clear_pt: float,
    *,
    downward: bool,
    narrow: bool = False,
) -> Iterator[tuple[float, float, float, list[str]]]:
    """Places for ``label`` along ``line``, left to right: (gap, left, the line's height there; axes fraction), lines.

    Above the line (from its highest under the label), or below it (``downward``, its lowest), at least
    :data:`TRIGGER_LABEL_PAD_PT` from it and ``clear_pt`` points from what ``slices`` hold (:func:`panel_slices`),
    as near the line as that leaves (the gap). The lefts: from where the line is first drawn to where it ends (the
    label may start at its last day) or the label reaches the panel's edge less an inset; places that do not fit
    inside the frame are left out. The label as it is or broken after its comma (:func:`share_label_breaks`), whichever
    sits nearer the line at a place (as it is on a tie); with ``narrow``, broken into more lines too, and starting
    as far as half its width before the line's first day (into the axis's margin, where no curve is drawn yet).
    """
    pad = axes_fraction(fig, ax, TRIGGER_LABEL_PAD_PT / 72, vertical=True)
    more = axes_fraction(fig, ax, (clear_pt - TRIGGER_LABEL_PAD_PT) / 72, vertical=True)
    inset = axes_fraction(fig, ax, TRIGGER_LABEL_CLEAR_PT[-1] / 72)
    breaks = [
        (lines, axes_fraction(fig, ax, drawn_width_in(lines, LINE_LABEL_PT)))
        for lines in share_label_breaks(label, narrow=narrow)
    ]
    wide = min(wide for _, wide in breaks)  # the narrowest: the lefts reach as far as it fits
    xy = line.get_xydata()
    across = ax.transAxes.inverted().transform(line.get_transform().transform(xy[np.isfinite(xy).all(axis=1)]))[:, 0]
    first = max(inset, float(across.min()) - (wide / 2 if narrow else 0.0))  # narrow: into the margin before it
    last = max(first, min(1 - inset - wide, float(across.max())))
    for left in dict.fromkeys(float(x) for x in np.linspace(first, last, TRIGGER_LABEL_LEFTS)):
        reach = line_heights(ax, line, left, left + wide)
        if reach is None:
            continue
        at_line = reach[0] if downward else reach[1]
        side = (at_line, 2.0) if downward else (-1.0, at_line)  # the search starts past the line

        def drawn(left: float, wide: float, side: tuple[float, float] = side) -> list[tuple[float, float]]:
            under = [h for a, b, heights in slices if a < left + wide and b > left for h in heights]
            return [side, *((low - more, high + more) for low, high in under)]

        tries = [  # each as wide as the room from ``left`` to the edge less the inset (note_place's room)
            (
                lines,
                1 - inset - left,
                axes_fraction(fig, ax, len(lines) * LINE_LABEL_LEADING * LINE_LABEL_PT / 72, vertical=True),
            )
            for lines, _ in breaks
        ]
        found = note_place(
            fig, ax, tries, lambda _, left=left: (left,), drawn, pad=pad, downward=downward, pt=LINE_LABEL_PT
        )
        if found is not None:
            bottom, _, _, lines = found
            tall = next(tall for broken, _, tall in tries if broken == lines)
            yield (at_line - bottom - tall if downward else bottom - at_line), left, at_line, lines


LABEL_NARROW_TRIES = 6
"""Widths, from its longest word's to its whole width, at which :func:`share_label_breaks` breaks a label ``narrow``."""


def share_label_breaks(label: Any, *, narrow: bool = False) -> list[list[str]]:
    """The pool share's ``label`` in its lines; and where it is one line, broken after its comma.

    ``own pool shares,`` over ``not drawable``, half as wide, fits between curves the one line crosses. With
    ``narrow``, also broken at spaces (:func:`label_lines`) to each of :data:`LABEL_NARROW_TRIES` widths: ``own
    pool`` over ``share,`` over ``not`` over ``drawable`` fits above ``long_embargo_12m``'s heavy rare-earth share
    at 180 days between the axis's left edge and the EU's spike in May 2026.
    """
    lines = label.get_text().split("\n")
    first, comma, rest = lines[0].partition(", ")
    breaks = [lines, [first + ",", rest]] if len(lines) == 1 and comma else [lines]
    if narrow:
        text = " ".join(lines)
        longest = max(text_width_in([word], LINE_LABEL_PT) for word in text.split())
        for width in np.linspace(longest, text_width_in([text], LINE_LABEL_PT), LABEL_NARROW_TRIES):
            broken = label_lines(text, LINE_LABEL_PT, float(width))
            if broken not in breaks:
                breaks.append(broken)
    return breaks


def label_clear_of_curves(fig: Figure, ax: Axes, label: Any) -> bool:
    """Whether ``label``, a line's label, lies inside its panel and crosses none of its curves (:func:`_curves`).

    Inside: its box (:func:`label_box_in`) within the frame, :data:`LABEL_TOP_ROOM_PT` under its top.
    """
    x0, y0, x1, y1 = label_box_in(fig, ax, label)
    width, height = fig.get_size_inches()
    frame = ax.get_position()
    inside = frame.x0 * width <= x0 and x1 <= frame.x1 * width
    inside = inside and frame.y0 * height <= y0 and y1 + LABEL_TOP_ROOM_PT / 72 <= frame.y1 * height
    box = Bbox([[x0 * fig.dpi, y0 * fig.dpi], [x1 * fig.dpi, y1 * fig.dpi]])
    return inside and not any(_covers(box, curve) for curve in _curves(ax))


def _curves(ax: Axes) -> list[Any]:
    """The lines of ``ax`` that are curves: not horizontal reference lines (axhline's), nor pool-share lines."""
    return [
        line
        for line in ax.get_lines()
        if line.get_transform() is not ax.get_yaxis_transform() and not line.get_label().endswith(POOL_SHARE_LABEL)
    ]


def _covers(box: Bbox, line: Any) -> bool:
    """Whether ``box`` (display units) crosses the path ``line`` draws, its days without a value left out."""
    xy = line.get_xydata()
    return Path(line.get_transform().transform(xy[np.isfinite(xy).all(axis=1)])).intersects_bbox(box, filled=False)


def draw_pool_shares(
    ax: Axes,
    result: Result,
    material: str,
    lines: list[tuple[int, str, np.ndarray]],
    drawn: list[tuple[int, str, np.ndarray]],
) -> None:
    """Those of the pool-share ``lines`` (days) that are ``drawn``: in their members' colours, thin and dotted.

    A member's own pool share in days where it differs from what it may draw. Lines of several
    members often coincide (every member owning 60 days): their dots interleave, so that neither
    hides the other. The dots of all the panel's ``lines`` interleave, a member's every
    ``len(lines)``-th dot, whether drawn now or later (those above the axis, :func:`pool_shares_above_axis`).
    """
    names = Names.of(result.scenario)
    days = table_column(result, "timeseries", "day")
    step = 3.0 * len(lines)  # a dot and a gap per line, in multiples of the line width
    regions = {region for _, region, _ in drawn}
    for k, (i, region, share) in enumerate(lines):
        if region not in regions:
            continue
        rows = table_rows(result, "timeseries", region=region, material=material)
        ax.plot(
            days_as_x(result, days[rows]),
            share,
            color=region_colour(i),
            lw=1.3,
            ls=(3.0 * k, (1.5, step - 1.5)),
            zorder=1.6,
            label=f"{names.region(region)}: {POOL_SHARE_LABEL}",
        )
