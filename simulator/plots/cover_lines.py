"""The days-of-cover panels' reference lines: the release trigger where it applies, and the 30- and 60-day lines.

Layer: studies.
"""

from __future__ import annotations

from itertools import product
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simulator.palette import TRIGGER_COLOUR
from simulator.plots.columns import table_column, table_rows
from simulator.plots.layout import axes_fraction
from simulator.plots.line_labels import LABEL_SPOTS, clear_spot, draw_line_label, drawn_line_labels
from simulator.plots.notes import note_place, panel_slices
from simulator.plots.style import LINE_LABEL_LEADING, LINE_LABEL_PT
from simulator.results import Result, shared_stock_held
from simulator.scenario.portfolio import has_demand

COVER_TARGETS_DAYS = (30.0, 60.0)
"""Target lines on cover figures: a month and two months of normal demand."""
COVER_TARGETS_LABEL = "30 and 60 days of normal demand, for reference"
"""The legend's entry for the target lines (:data:`COVER_TARGETS_DAYS`): a dashed line unnamed reads as data."""
TRIGGER_SHOWN_WHERE = "(shown where commercial stock is all its cover)"
"""Why the trigger's line is on some panels only (:func:`trigger_line_days`): it is plotted where the curve is
commercial cover, the stock the trigger tests; not stock drawn from the pool."""
TRIGGER_RELEASES_WHAT = "released only for demand its own stock cannot meet"
"""What the trigger does not do, in its legend entry: a curve under the line does not mean stock is released. The
trigger activates the agreement; releases open after its lags, and then the rule shares stock only among members'
gaps (demand their own stock cannot meet that day), and a member bids at an auction only for the gap it expects
before the next, net of its commercial stock (docs/release-rules.md, "The agreement's daily step"). The EU of
``embargo_2010`` stays under its 15-day trigger on 557 days of light rare earths with no gap and no bid, and
receives nothing."""


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
    cover, stock = (
        table_column(result, "timeseries", "days_of_cover"),
        table_column(result, "timeseries", "commercial_stock_t"),
    )
    baseline = table_column(result, "timeseries", "baseline_demand_t")
    for region in regions:
        rows = table_rows(result, "timeseries", region=region, material=material) & (baseline > 0)
        commercial = stock[rows] / baseline[rows]
        if not np.allclose(cover[rows].astype(float), commercial, rtol=0.0, atol=1e-9):
            return False
    return True


def draw_trigger_line(ax: Axes, days: float) -> tuple[float, str]:
    """The release trigger at ``days``: a dotted line named in the legend, its value written where no curve crosses.

    The legend entry says what the line lets a member do and what it does not: a curve under it releases nothing
    unless the member cannot meet its demand (:data:`TRIGGER_RELEASES_WHAT`).

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
        label=(
            f"release trigger: a member's commercial stock below {days:g} days lets it call on the shared stock, "
            f"{TRIGGER_RELEASES_WHAT} {TRIGGER_SHOWN_WHERE}"
        ),
    )
    draw_line_label(ax, days, f"trigger {days:g} days", spot, TRIGGER_COLOUR)
    return spot


TRIGGER_LABEL_PAD_PT = 2.0
"""Room between the trigger's label (:func:`place_trigger_label`) and its line, points: as the other lines' labels."""
TRIGGER_LABEL_CLEAR_PT = (9.0, 7.0, 5.0)
"""Room between the trigger's label and what else is drawn (a curve's middle, another label), points: the most of
these that some place along the line leaves. A curve that runs a few points under the label reads as labelled by it
(the EU's at 4.5 points in ``embargo_2010``); 5 points leave 3.6 points of white beside a curve 2.8 points wide."""
TRIGGER_LABEL_LEFTS = 13
"""Places along the panel, from its left edge to its right, where :func:`place_trigger_label` tries the label."""


def place_trigger_label(fig: Figure, ax: Axes, days: float) -> None:
    """Move the release trigger's label (:func:`draw_trigger_line`) to touch its line where it crosses no curve.

    Call once the panel's size and the axis's limits are set (:func:`finish_figure`, a note over
    the axis's top). The label goes :data:`TRIGGER_LABEL_PAD_PT` above the line, else as far
    below it, at the first of :data:`TRIGGER_LABEL_LEFTS` places from the left where it stays
    furthest from the curves, the other lines and their labels, the release lanes and the
    notes, of the rooms :data:`TRIGGER_LABEL_CLEAR_PT` (the search of the notes,
    :func:`note_place`, over what is drawn, :func:`panel_slices`); a shock's band the panel's
    full height is behind it, not in its way. Where none has room (15 days and the 30-day line
    are 11 points apart in ``embargo_2010``, the label 10 points tall), the other horizontal
    lines (the 30- and 60-day lines) may run behind its light box, the curves still may not.
    Where no place touches the line it stays where :func:`clear_spot` put it: in ``embargo_2010``
    ``trigger 15 days`` sat in the line's middle, 4.5 points over the EU's curve in January 2011.
    """
    label = next(t for t in drawn_line_labels(ax) if t.get_text().replace("\n", " ") == f"trigger {days:g} days")
    level = [line for line in ax.get_lines() if line.get_transform() is ax.get_yaxis_transform()]  # axhline's
    to_axes = ax.transAxes.inverted()
    others = [
        float(to_axes.transform(line.get_transform().transform((0, line.get_ydata()[0])))[1])
        for line in level
        if line.get_color() != TRIGGER_COLOUR
    ]
    slices = [  # what is drawn, but the label, its line and the other horizontal lines; full-height bands aside
        (a, b, [(low, high) for low, high in heights if not (low <= 0 and high >= 1)])
        for a, b, heights in panel_slices(fig, ax, leave_out=(label, *level))
    ]
    for crossed, clear_pt in product((False, True), TRIGGER_LABEL_CLEAR_PT):
        place = _trigger_place(fig, ax, label, days, slices, [] if crossed else others, clear_pt)
        if place is not None:
            bottom, left = place
            height_in = ax.get_position().height * fig.get_size_inches()[1]
            line_at = float(to_axes.transform(ax.transData.transform((ax.get_xlim()[0], days)))[1])
            label.xy = (left, days)
            label.xyann = (0.0, (bottom - line_at) * height_in * 72)
            label.set_horizontalalignment("left")
            label.set_verticalalignment("bottom")
            return


def _trigger_place(
    fig: Figure,
    ax: Axes,
    label: Any,
    days: float,
    slices: list[tuple[float, float, list[tuple[float, float]]]],
    levels: list[float],
    clear_pt: float,
) -> tuple[float, float] | None:
    """(bottom, left), axes fraction, of the first place where ``label`` touches its line at ``days``, else None.

    Above the line first, then below; ``clear_pt`` points from what ``slices`` hold (:func:`panel_slices`) and
    from the horizontal lines at ``levels`` (axes fraction), :data:`TRIGGER_LABEL_PAD_PT` from its own line.
    """
    lines = label.get_text().split("\n")
    line_at = float(ax.transAxes.inverted().transform(ax.transData.transform((ax.get_xlim()[0], days)))[1])
    pad = axes_fraction(fig, ax, TRIGGER_LABEL_PAD_PT / 72, vertical=True)
    more = axes_fraction(fig, ax, (clear_pt - TRIGGER_LABEL_PAD_PT) / 72, vertical=True)
    inset = axes_fraction(fig, ax, TRIGGER_LABEL_CLEAR_PT[-1] / 72)
    tall = axes_fraction(fig, ax, len(lines) * LINE_LABEL_LEADING * LINE_LABEL_PT / 72, vertical=True)
    tries = [(lines, 1 - 2 * inset, tall)]

    def lefts(wide: float) -> tuple[float, ...]:
        return tuple(float(x) for x in np.linspace(inset, 1 - inset - wide, TRIGGER_LABEL_LEFTS))

    for downward in (False, True):
        side = (line_at, 2.0) if downward else (-1.0, line_at)  # the search starts past the line

        def drawn(left: float, wide: float, side: tuple[float, float] = side) -> list[tuple[float, float]]:
            under = [h for a, b, heights in slices if a < left + wide and b > left for h in heights]
            return [side, *((low - more, high + more) for low, high in [*under, *((y, y) for y in levels)])]

        found = note_place(fig, ax, tries, lefts, drawn, pad=pad, downward=downward, pt=LINE_LABEL_PT)
        if found is None:
            continue
        gap = line_at - found[0] - tall if downward else found[0] - line_at  # from the line: pad where it touches
        if gap <= pad + 1e-6:
            return found[0], found[1]
    return None


TARGET_SPOTS = ((0.7, "bottom"), *(spot for spot in LABEL_SPOTS if spot != (0.7, "bottom")))
"""Where a target line's label (``60 days``) may go: above its right end first, where it always was."""


def draw_target_lines(
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
    (:func:`simulator.plots.pool_shares.label_pool_shares`), not drawn under it.
    """
    for k, target in enumerate(targets):
        label = _targets_label(targets) if k == 0 else "_"  # one legend entry names both lines
        ax.axhline(target, color="0.45", linewidth=0.8, linestyle=(0, (4, 3)), zorder=1, label=label)
        others = tuple(t for t in targets if t != target)
        spot = clear_spot(curves, target, labelled=others, spots=TARGET_SPOTS, placed=placed)
        placed = (*placed, (target, spot))
        target_label(ax, target, spot)
    return placed


def target_label(ax: Axes, target_days: float, spot: tuple[float, str] = TARGET_SPOTS[0]) -> Any:
    """The label ``30 days`` of the target line at ``target_days`` on ``ax``, at ``spot`` (:data:`TARGET_SPOTS`): drawn.

    At its usual place, above the line's right end, it is bare text 2 points in from the end and 2 points over the
    line; elsewhere, where a curve lies on that place, a line's label on a light box (:func:`draw_line_label`).
    """
    text = f"{target_days:g} days"
    if spot != TARGET_SPOTS[0]:
        return draw_line_label(ax, target_days, text, spot, "0.35")
    return ax.annotate(
        text,
        (1.0, target_days),
        xycoords=("axes fraction", "data"),
        xytext=(-2, 2),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=LINE_LABEL_PT,
        color="0.35",
    )


TARGETS_LABEL_END = " days of normal demand, for reference"
"""How the target lines' legend entry ends, whichever lines it names (:func:`_targets_label`)."""


def name_targets_once(axes: list[Axes], targets_drawn: set[float]) -> None:
    """Give the target lines of every panel in ``axes`` one legend entry naming all ``targets_drawn`` in the figure.

    A panel leaves out the target a pool-share line lies on (:func:`draw_target_lines`), so its own entry named only
    the other: ``gallium_pool``'s light rare-earth panel drew the 30-day line alone, the others both, and the
    legend listed ``30 days ...`` and ``30 and 60 days ...`` for one kind of line.
    """
    label = _targets_label(tuple(sorted(targets_drawn)))
    for ax in axes:
        for line in ax.get_lines():
            if line.get_label().endswith(TARGETS_LABEL_END):
                line.set_label(label)


def _targets_label(targets: tuple[float, ...]) -> str:
    """The legend's words for the target lines drawn: :data:`COVER_TARGETS_LABEL`, or ``30 days of ...`` for one."""
    if tuple(targets) == COVER_TARGETS_DAYS:
        return COVER_TARGETS_LABEL
    days = " and ".join(f"{t:g}" for t in targets)
    return f"{days}{TARGETS_LABEL_END}"
