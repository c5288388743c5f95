"""Shocks shaded in a panel: full-height light bands, or a thin strip per shock in lanes when shocks overlap.

Layer: studies.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from simulator.palette import SHOCK_COLOURS
from simulator.plots.columns import days_as_x, table_column
from simulator.plots.layout import raise_top
from simulator.plots.shock_words import idle_shocks, shock_label
from simulator.results import Result
from simulator.scenario.portfolio import has_demand

SHOCK_BAND_ALPHA = 0.22
"""Opacity of a shock's full-height band (shocks that overlap no other shock)."""
LANE_STEP = 0.045
"""Height of a shock lane plus the gap below it, as a share of the panel's height."""
LANE_HEIGHT = 0.035
"""Height of a shock lane's strip, as a share of the panel's height (as a release lane's, plots.releases)."""
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
        severity = float(table_column(result, "shocks", "severity")[index])  # not result.shocks: pandas
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
    starts, ends = table_column(result, "shocks", "start_day"), table_column(result, "shocks", "end_day")
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


def shade_shocks(ax: Axes, result: Result, material: str, other: Result | None = None, only: str = "") -> float:
    """Shocks on ``material``: full-height light bands, or thin lanes along the top when shocks overlap.

    Bands over the same days blend into one colour no legend swatch matches, so when any
    two shocks of the run overlap each shock is a strip in a lane of its own over its days
    (:func:`shock_lanes`), in its colour, darker for a more severe shock
    (:func:`shock_shade`). Returns the share of the panel's height the lanes take (0 with
    bands): :func:`clear_lanes` keeps the curves below them.

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
        x0, x1 = days_as_x(result, np.array([start, end]))
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


def clear_lanes(ax: Axes, share: float) -> None:
    """Raise the top of ``ax``'s y axis so that its curves stay out of the top ``share`` of the panel.

    Call after the curves are drawn and the limits set. On a linear axis from 0 to 90
    with lanes taking 0.25 of the panel, the axis runs to 90 / 0.75 = 120.
    """
    if share > 0:
        raise_top(ax, share)


def lane_swatch(
    legend: Any, orig_handle: Any, xdescent: float, ydescent: float, width: float, height: float, fontsize: float
) -> Rectangle:
    """A shock lane's legend swatch: a strip along the top of the swatch's box, as the lane is drawn."""
    return Rectangle((-xdescent, -ydescent + 0.55 * height), width, 0.45 * height)
