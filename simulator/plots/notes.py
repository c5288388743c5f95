"""Notes in a panel, placed clear of what is drawn: over the axis's top, or over a span of days with a bracket.

Layer: studies.

The search these notes share is public, for other figures' notes (the sensitivity's fan panels): :class:`Drawn`
measures what a panel draws once, :func:`sliced_heights` reads it slice by slice under a note, and
:func:`note_place` finds where a note goes clear of it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from itertools import pairwise
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simulator.plots.layout import axes_fraction
from simulator.plots.line_labels import drawn_line_labels, label_box_in
from simulator.plots.shock_bands import clear_lanes
from simulator.plots.style import LINE_LABEL_LEADING
from simulator.plots.text import HINTED_TEXT, drawn_width_in, label_lines

TOP_NOTE_LABEL = "_top_note"
"""The label of a note :func:`note_top` drew (an underscore: no legend shows it; SVG output leaves it out)."""
TOP_NOTE_SLICES = 40
"""Slices of a panel's width in which :func:`note_top` looks for what is drawn under a note (finer than one hull:
a curve that runs from the top to 0 across the note's days leaves room beside its top)."""


def note_top(fig: Figure, ax: Axes, lines_at: Callable[[], list[str]]) -> None:
    """A note of the lines ``lines_at()`` gives, as high in ``ax`` as nothing drawn lies under it (raising its top).

    Call once the figure's margins are set (:func:`finish_figure`) and before the span
    notes (:func:`note_span`), which keep clear of it (:class:`Drawn`). Of the
    widths of :data:`NOTE_WIDTHS` (lines broken to fit, :func:`label_lines`) and the three
    places along the panel (left, middle, right), the one where the note sits highest,
    :data:`NOTE_PAD_PT` clear of the curves, reference lines, bands and labels, wins (the first
    tried on a tie). Where none has room, the axis's top is raised until the note fits
    above everything drawn (:func:`clear_lanes`'s way) and the places are tried again, with
    the lines ``lines_at()`` gives for the raised top (a share the top now reaches is drawn
    under it on some days, :func:`above_axis_lines`).
    """
    lines = lines_at()
    place = _top_place(fig, ax, lines)
    if place is None:
        clear_lanes(ax, _note_tall(fig, ax, len(_top_lines(fig, ax, lines, 1.0)), 2 * NOTE_PAD_PT))
        lines = lines_at()
        place = _top_place(fig, ax, lines)
    whole = _top_lines(fig, ax, lines, 1.0)
    tall = _note_tall(fig, ax, len(whole), 2 * NOTE_PAD_PT)  # the pad above and below it
    inset, pad = axes_fraction(fig, ax, NOTE_PAD_PT / 72), axes_fraction(fig, ax, NOTE_PAD_PT / 72, vertical=True)
    bottom, left, text_lines = place or (1 - tall + pad, inset, whole)  # top left, whole
    ax.text(left, bottom, "\n".join(text_lines), transform=ax.transAxes, ha="left", label=TOP_NOTE_LABEL, **NOTE_STYLE)


NOTE_PAD_PT = 4
"""Room a note over the axis's top (:func:`note_top`) keeps from the panel's frame and from what is drawn, points."""


def _note_tall(fig: Figure, ax: Axes, lines: int, pad_pt: float = 0.0) -> float:
    """Height of a note of ``lines`` lines of :data:`NOTE_PT` type in ``ax``, plus ``pad_pt`` points: axes fraction."""
    return axes_fraction(fig, ax, (lines * LINE_LABEL_LEADING * NOTE_PT + pad_pt) / 72, vertical=True)


def _top_lines(fig: Figure, ax: Axes, lines: list[str], share: float) -> list[str]:
    """``lines`` broken to fit ``share`` of the panel's width less the pad each side (:func:`label_lines`)."""
    room_in = share * ax.get_position().width * fig.get_size_inches()[0] - 2 * NOTE_PAD_PT / 72
    return [part for line in lines for part in label_lines(line, NOTE_PT, room_in)]


def _top_place(fig: Figure, ax: Axes, lines: list[str]) -> tuple[float, float, list[str]] | None:
    """Where :func:`note_top` puts its note: (bottom, left, lines), axes fraction; None where it fits nowhere."""
    inset = axes_fraction(fig, ax, NOTE_PAD_PT / 72)  # from the frame
    pad = axes_fraction(fig, ax, NOTE_PAD_PT / 72, vertical=True)
    drawn = Drawn(fig, ax)

    def tries() -> Iterator[tuple[list[str], float, float]]:
        """The note's lines per width, widest first; the room they may take (panel less insets); their height."""
        for share in reversed(NOTE_WIDTHS[1:]):  # the widest first: fewest lines
            text_lines = _top_lines(fig, ax, lines, share)
            yield text_lines, 1 - 2 * inset, _note_tall(fig, ax, len(text_lines))

    place = note_place(
        fig,
        ax,
        tries(),
        lambda wide: (inset, (1 - wide) / 2, 1 - inset - wide),  # left, middle, right
        lambda left, wide: sliced_heights(drawn, left, left + wide),
        pad=pad,
        downward=True,
    )
    return None if place is None else (place[0], place[1], place[3])


def note_place(
    fig: Figure,
    ax: Axes,
    tries: Iterable[tuple[list[str], float, float]],
    lefts: Callable[[float], tuple[float, ...]],
    under: Callable[[float, float], list[tuple[float, float]]],
    *,
    pad: float,
    downward: bool,
    tie: float = 0.0,
    pt: float | None = None,
) -> tuple[float, float, float, list[str]] | None:
    """Where a note goes in ``ax``, clear of what is drawn: (bottom, left, wide, lines), axes fraction, or None.

    The one search of the notes (:func:`_top_place`, :func:`note_span`), of the release
    trigger's label (:func:`simulator.plots.cover_lines.place_trigger_label`), of the pool
    shares' labels (:mod:`simulator.plots.pool_shares`) and of the fan panels' notes
    (:func:`simulator.sensitivity.figures.fan_figure`). Each of ``tries``
    is the note's lines broken for one width, the share of the panel's width they may take
    and their height (axes fraction); lines wider than that (a word too long) are passed
    over, measured at ``pt`` points (:data:`NOTE_PT` unless given). At each place along the
    panel ``lefts(wide)`` gives, the note starts ``pad`` below the frame's top and moves down
    past what is drawn under it (``under(left, wide)``: heights, low and high) that it comes
    within ``pad`` of, highest first (``downward``); or starts ``pad`` above the frame's
    bottom and moves up past it, lowest first. Of the places that stay ``pad`` inside the
    frame, the highest wins (``downward``) or the lowest, by more than ``tie``; the first
    tried of equals.
    """
    best: tuple[float, float, float, list[str]] | None = None
    for lines, room, tall in tries:
        wide = axes_fraction(fig, ax, drawn_width_in(lines, NOTE_PT if pt is None else pt))
        if wide > room:
            continue  # a word wider than the room
        for left in lefts(wide):
            heights = under(left, wide)
            bottom = 1 - pad - tall if downward else pad
            for low, high in sorted(heights, key=lambda h: -h[1]) if downward else sorted(heights):
                if low - pad < bottom + tall and bottom < high + pad:
                    bottom = low - pad - tall if downward else high + pad
            fits = bottom >= pad if downward else bottom + tall <= 1 - pad
            better = best is None or (bottom > best[0] + tie if downward else bottom < best[0] - tie)
            if fits and better:
                best = (bottom, left, wide, lines)
    return best


def sliced_heights(drawn: Drawn, x0: float, x1: float) -> list[tuple[float, float]]:
    """What is ``drawn`` between ``x0`` and ``x1`` (axes fraction), slice by slice: heights (low, high; axes fraction).

    :meth:`Drawn.heights` of each of the slices ``x0`` to ``x1`` is cut into, as many as
    :data:`TOP_NOTE_SLICES` per panel width (one at least): a curve that runs from the top to 0
    across a note's days gives the heights it reaches in each slice, not one span from 0 to
    the top, so a note may sit beside its top. The ``under`` of :func:`note_place`.
    """
    edges = np.linspace(x0, x1, max(2, round((x1 - x0) * TOP_NOTE_SLICES) + 1))
    return [h for a, b in pairwise(edges) for h in drawn.heights(a, b)]


def panel_slices(
    fig: Figure, ax: Axes, leave_out: Collection[Any] = ()
) -> list[tuple[float, float, list[tuple[float, float]]]]:
    """``ax``'s width in :data:`TOP_NOTE_SLICES` slices: each slice's edges and what is drawn over it (axes fraction).

    :meth:`Drawn.heights` of each slice, measured once for a search that tries many places
    (a label along a line): ``leave_out`` as there.
    """
    edges = np.linspace(0.0, 1.0, TOP_NOTE_SLICES + 1)
    drawn = Drawn(fig, ax, leave_out)
    return [(float(a), float(b), drawn.heights(a, b)) for a, b in pairwise(edges)]


def _top_note_boxes(fig: Figure, ax: Axes) -> list[tuple[float, float, float, float]]:
    """(x0, y0, x1, y1), axes fraction, of the notes :func:`note_top` drew in ``ax``, measured from their font."""
    boxes = []
    for text in ax.texts:
        if text.get_label() == TOP_NOTE_LABEL:
            lines = text.get_text().split("\n")
            left, bottom = text.get_position()
            wide = axes_fraction(fig, ax, drawn_width_in(lines, NOTE_PT))
            tall = _note_tall(fig, ax, len(lines))
            boxes.append((left, bottom, left + wide, bottom + tall))
    return boxes


NOTE_PT = 8.0
"""Type size of a note over a span of days (:func:`note_span`)."""
NOTE_INK = "0.35"
NOTE_STYLE = {"va": "bottom", "fontsize": NOTE_PT, "color": NOTE_INK, "linespacing": LINE_LABEL_LEADING}
"""How a note in a days-of-cover panel is set: over a span of days, or of a pool share above the axis."""


NOTE_WIDTHS = (0.0, 0.4, 0.55, 0.7, 0.85, 1.0)
"""Widths a note over a span may take (:func:`note_span`), as shares of its panel: the bracket's own first (0)."""


def note_span(fig: Figure, ax: Axes, span: np.ndarray, texts: tuple[str, ...]) -> str | None:
    """A light bracket over the days ``span`` (x values: first, end) with a note above it, clear of what is drawn.

    Call once the figure's margins are set (:func:`finish_figure`). The note is the first
    of ``texts`` that fits, broken into lines as wide as the bracket or, where a span is
    narrow, as wide as :data:`NOTE_WIDTHS` allow (centred on the bracket, inside the
    frame). Bracket and note go at the lowest height of the panel where nothing drawn over
    their days lies (:class:`Drawn`): above curves at 0 and the release lanes,
    under or between the reference lines and their labels, never over a shock's band; of
    the widths, the one that sets the note lowest (the narrowest of those). Returns the
    note drawn, ``None`` where none fits (better no note than one over a curve or a label).
    """
    width = fig.get_size_inches()[0]
    frame = ax.get_position()
    to_axes = ax.transAxes.inverted()
    x0, x1 = (to_axes.transform(ax.transData.transform((ax.convert_xunits(x), 0.0)))[0] for x in span)
    inset = axes_fraction(fig, ax, 4 / 72)  # 4 points each side of a note
    point = axes_fraction(fig, ax, 1 / 72, vertical=True)  # a point
    pad = 4 * point  # clear of a curve's half width (1.4 points) and more
    drawn = Drawn(fig, ax)

    def tries(text: str) -> Iterator[tuple[list[str], float, float]]:
        """``text``'s lines per width; the room they take (span, or width if wider, less insets); their height."""
        for share in NOTE_WIDTHS:
            room = max(x1 - x0, share) - 2 * inset
            lines = label_lines(text, NOTE_PT, room * frame.width * width / HINTED_TEXT)
            yield lines, room, (len(lines) * LINE_LABEL_LEADING * NOTE_PT + 5) * point  # the text, over the bracket

    for text in texts:
        best = note_place(
            fig,
            ax,
            tries(text),
            lambda wide: (min(max((x0 + x1 - wide) / 2, inset), 1 - inset - wide),),  # centred, inside the frame
            lambda left, wide: drawn.heights(min(left, x0), max(left + wide, x1)),
            pad=pad,
            downward=False,
            tie=point,
        )
        if best is None:
            continue
        bottom, left, wide, lines = best
        right = left + wide
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
"""The label of a note :func:`note_span` drew (an underscore: no legend shows it; SVG output leaves it out)."""


def span_notes_drawn(fig: Figure) -> bool:
    """Whether some panel of ``fig`` got a note over a span of days (:func:`note_span` draws none where none fits)."""
    return any(text.get_label() == SPAN_NOTE_LABEL for ax in fig.axes for text in ax.texts)


def line_heights(ax: Axes, line: Any, x0: float, x1: float) -> tuple[float, float] | None:
    """The lowest and highest (axes fraction) ``line`` of ``ax`` reaches between ``x0`` and ``x1`` (axes fraction).

    Its points there and its values at ``x0`` and ``x1`` (joined straight); its days without a value (NaN) left out;
    None where it is drawn on none of those days.
    """
    return _reach(line_points(ax, line), x0, x1)


def line_points(ax: Axes, line: Any) -> tuple[np.ndarray, np.ndarray]:
    """``line``'s points with a value (not NaN) in axes fraction, in the order of x: (xs, ys)."""
    xy = line.get_xydata()
    xy = ax.transAxes.inverted().transform(line.get_transform().transform(xy[np.isfinite(xy).all(axis=1)]))
    order = np.argsort(xy[:, 0], kind="stable")
    return xy[order, 0], xy[order, 1]


def _reach(points: tuple[np.ndarray, np.ndarray], x0: float, x1: float) -> tuple[float, float] | None:
    """:func:`line_heights` of a line's points (:func:`line_points`)."""
    xs, ys = points
    if not len(xs) or xs[-1] < x0 or xs[0] > x1:
        return None
    inside = ys[(xs >= x0) & (xs <= x1)]
    values = np.concatenate([inside, np.interp([x0, x1], xs, ys)])
    return float(values.min()), float(values.max())


class Drawn:
    """What a panel draws, measured once for a search that asks of many spans (:meth:`heights`).

    Lines (curves, reference lines) by their points; patches (release lanes, shocks), the line
    labels and a note over the axis's top (:func:`note_top`) by their boxes, in axes fraction.
    Lines and labels in ``leave_out`` are not counted (a label being placed, lines it may cross).
    """

    def __init__(self, fig: Figure, ax: Axes, leave_out: Collection[Any] = ()) -> None:
        to_axes = ax.transAxes.inverted()
        self.lines = [line_points(ax, line) for line in ax.get_lines() if not any(line is o for o in leave_out)]
        boxes = []
        for patch in ax.patches:
            box = patch.get_path().transformed(patch.get_transform()).get_extents().transformed(to_axes)
            boxes.append((box.x0, box.y0, box.x1, box.y1))
        width, height = fig.get_size_inches()
        frame = ax.get_position()
        for text in drawn_line_labels(ax):
            if any(text is other for other in leave_out):
                continue
            left, low, right, high = label_box_in(fig, ax, text)
            boxes.append(
                (
                    (left / width - frame.x0) / frame.width,
                    (low / height - frame.y0) / frame.height,
                    (right / width - frame.x0) / frame.width,
                    (high / height - frame.y0) / frame.height,
                )
            )
        self.boxes = boxes + _top_note_boxes(fig, ax)

    def heights(self, x0: float, x1: float) -> list[tuple[float, float]]:
        """Heights (low, high; axes fraction) of what is drawn between ``x0`` and ``x1`` (axes fraction)."""
        reached = [_reach(points, x0, x1) for points in self.lines]
        return [h for h in reached if h is not None] + [
            (low, high) for left, low, right, high in self.boxes if right > x0 and left < x1
        ]
