"""Labels beside horizontal reference lines: where each goes (clear of the curves) and kept inside its panel.

Layer: studies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simulator.plots.style import LINE_LABEL_LEADING, LINE_LABEL_PT
from simulator.plots.text import label_lines, text_width_in

LABEL_SPOTS = (
    (0.0, "bottom"),
    (0.7, "bottom"),
    (0.35, "bottom"),
    (0.0, "top"),
    (0.7, "top"),
    (0.35, "top"),
)
"""Where a reference line's label may go, in order of preference: the share of the panel's
width where its span starts (at the line's left end, its right end, or the middle), and
above the line (``va`` "bottom") or below it ("top")."""
LABEL_SPAN = 0.3
"""Share of a panel's width a reference line's label is taken to span."""


def clear_spot(
    curves: list[np.ndarray],
    value: float,
    *,
    labelled: tuple[float, ...] = (),
    range_share: float = 0.08,
    spots: tuple[tuple[float, str], ...] = LABEL_SPOTS,
    placed: tuple[tuple[float, tuple[float, str]], ...] = (),
    span: float = LABEL_SPAN,
    placed_spans: tuple[float, ...] = (),
    value_at: Callable[[tuple[float, str]], float] | None = None,
) -> tuple[float, str]:
    """Where a label of a horizontal line at ``value`` crosses fewest ``curves``: one of ``spots``, in their order.

    The label is taken to span ``span`` of the panel's width (:data:`LABEL_SPAN` unless
    measured) and ``range_share`` of the curves' range (from 0) above or below the
    line; the first spot that the fewest points of the curves fall in wins. A spot below
    the line needs the room above 0; lines at ``labelled`` values carry their own labels
    above their right ends (the last :data:`LABEL_SPAN` of the width), and a spot that
    reaches one is never taken; nor one that reaches a label already ``placed`` (its
    line's value and spot, :data:`LABEL_SPAN` wide unless ``placed_spans`` gives its measured
    share of the width, in the order of ``placed``). ``value_at``: where the label at a spot would sit, where that is
    not ``value`` (beside a sloping line: its highest under the label above it, its lowest below).

    >>> rising = [np.linspace(16.0, 40.0, 100)]  # just above the line at first, far above it at the end
    >>> clear_spot(rising, 15.0), clear_spot(rising, 15.0, labelled=(20.0,))  # the right end; the middle if labelled
    ((0.7, 'bottom'), (0.35, 'bottom'))
    >>> clear_spot([np.full(100, 6.0)], 5.8)  # a curve just above the line all along: below it
    (0.0, 'top')
    >>> clear_spot([np.full(100, 1.0), np.full(100, 20.0)], 0.5)  # ... unless there is no room below it above 0
    (0.0, 'bottom')
    >>> clear_spot([np.full(100, 6.0)], 5.8, placed=((5.5, (0.0, "top")),))  # not over a label placed there
    (0.7, 'top')
    >>> left = ((0.0, "bottom"), (0.0, "top"))  # a label 0.8 of the width wide reaches one at the right end
    >>> clear_spot([np.full(100, 6.0)], 5.8, spots=left, placed=((5.5, (0.7, "top")),), span=0.8)
    (0.0, 'bottom')
    >>> narrow = ((5.5, (0.9, "top")),)  # a label measured 0.1 of the width wide at 0.9 is not reached from 0.0
    >>> clear_spot([np.full(100, 6.0)], 5.8, spots=left, placed=narrow, span=0.8, placed_spans=(0.1,))
    (0.0, 'top')
    """
    top = max([value, *labelled, *(float(np.nanmax(c)) for c in curves if len(c) and np.isfinite(c).any())])
    size = range_share * top

    def rise(at: float, va: str) -> tuple[float, float]:
        return (at, at + size) if va == "bottom" else (at - size, at)

    def crossing(spot: tuple[float, str]) -> float:
        start, va = spot
        low, high = rise(value if value_at is None else value_at(spot), va)
        if low < 0 or (start + span > 1 - LABEL_SPAN and any(low <= other <= high + size for other in labelled)):
            return np.inf
        widths = (*placed_spans, *(LABEL_SPAN for _ in placed[len(placed_spans) :]))
        for (at, (other_start, other_va)), other_span in zip(placed, widths, strict=True):
            other_low, other_high = rise(at, other_va)
            overlap = other_start < start + span and start < other_start + other_span
            if overlap and other_low < high and low < other_high:
                return np.inf
        count = 0
        for curve in curves:
            first, end = round(start * len(curve)), round((start + span) * len(curve))
            part = curve[first : max(end, first + 1)]
            count += int(((part >= low) & (part <= high)).sum())
        return count

    return min(spots, key=crossing)


LINE_LABEL_INSET_IN = 6 / 72
"""Width a line's label leaves free of its panel: its 2-3 pt offset from the frame, its box's padding, a gap."""


def fit_line_labels(fig: Figure, panels: list[Axes]) -> None:
    """Keep the labels beside horizontal lines inside their panels and off each other.

    Run once the margins are set: the labels (:func:`draw_line_label`, the target lines') are
    placed before the panel's width is known. One that runs past its panel's edge (at the
    middle of a narrow panel, or a long one) is broken into lines that fit
    (:func:`label_lines`); one that would cover a label drawn before it in the panel (lines
    a few days apart on an axis of 3,000 days) moves up clear of it, or down if that leaves
    the panel. One above its line that would reach past the panel's top (:func:`_under_top`) goes below it. Then
    the labels given a place of their own once the panel is laid out (:func:`place_after_fit`) take it.
    """
    width, height = fig.get_size_inches()
    for ax in panels:
        frame = ax.get_position()
        panel = frame.width * width
        boxes: list[tuple[float, float, float, float]] = []
        for text in drawn_line_labels(ax):
            at, offset = float(text.xy[0]), abs(float(text.xyann[0])) / 72
            room = (at if text.get_horizontalalignment() == "right" else 1 - at) * panel - offset - 2 / 72
            if text_width_in(text.get_text().split("\n"), text.get_fontsize()) > room:
                text.set_text("\n".join(label_lines(text.get_text().replace("\n", " "), text.get_fontsize(), room)))
            box = _under_top(fig, ax, text)
            for _ in range(len(boxes) + 1):
                hit = next((b for b in boxes if _overlap(box, b)), None)
                if hit is None:
                    break
                up = hit[3] + 1 / 72 - box[1]
                if box[3] + up > frame.y1 * height:
                    up = hit[1] - 1 / 72 - box[3]
                text.xyann = (text.xyann[0], text.xyann[1] + up * 72)
                box = (box[0], box[1] + up, box[2], box[3] + up)
            boxes.append(box)
        for text in drawn_line_labels(ax):
            place = PLACE_AFTER_FIT.pop(text, None)
            if place is not None:
                place(fig, ax)


LABEL_TOP_ROOM_PT = 1.0
"""Room a line's label keeps under its panel's top, points: its light box reaches 0.1 of its type size past the text
(:func:`draw_line_label`), 0.8 points at 8 points."""


def _under_top(fig: Figure, ax: Axes, text: Any) -> tuple[float, float, float, float]:
    """The box (:func:`label_box_in`) of ``text``, a line's label, below its line where above it it leaves the panel.

    Above it, it may reach past the panel's top less :data:`LABEL_TOP_ROOM_PT`: ``60 days`` over the 60-day line at
    the top of an axis that runs to 62 days (``long_embargo_6m``'s NdFeB magnets) ran into the frame. Below the line
    it is as far from it.
    """
    box = label_box_in(fig, ax, text)
    top_in = ax.get_position().y1 * fig.get_size_inches()[1]
    if text.get_verticalalignment() == "bottom" and box[3] + LABEL_TOP_ROOM_PT / 72 > top_in:
        text.xyann = (text.xyann[0], -abs(float(text.xyann[1])))
        text.set_verticalalignment("top")
        box = label_box_in(fig, ax, text)
    return box


PLACE_AFTER_FIT: WeakKeyDictionary[Any, Callable[[Figure, Axes], None]] = WeakKeyDictionary()
"""Line labels that :func:`fit_line_labels` places once their panel is laid out, with how (:func:`place_after_fit`)."""


def place_after_fit(text: Any, place: Callable[[Figure, Axes], None]) -> None:
    """Have :func:`fit_line_labels` call ``place(fig, ax)`` once the panel of ``text``, a line's label, is laid out.

    After the labels are fitted (broken to fit, off each other): a label whose place depends on the panel's size in
    inches (clear of the curves as drawn, :func:`simulator.plots.pool_shares.place_pool_share_label`) is placed
    there, where its panel's size is known; the figures' layers above this one (the notes' search) may do it.
    """
    PLACE_AFTER_FIT[text] = place


def drawn_line_labels(ax: Axes) -> list[Any]:
    """The labels beside horizontal lines of ``ax``, in the order they were drawn: x in axes fraction, y in data."""
    from matplotlib.text import Annotation

    return [t for t in ax.texts if isinstance(t, Annotation) and t.xycoords == ("axes fraction", "data")]


def label_box_in(fig: Figure, ax: Axes, text: Any) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of a line's label in inches from the figure's corner, measured from its font, not drawn."""
    from matplotlib.transforms import blended_transform_factory

    anchor = blended_transform_factory(ax.transAxes, ax.transData).transform(text.xy) / fig.dpi
    x, y = anchor[0] + text.xyann[0] / 72, anchor[1] + text.xyann[1] / 72
    lines = text.get_text().split("\n")
    w = text_width_in(lines, text.get_fontsize())
    h = len(lines) * LINE_LABEL_LEADING * text.get_fontsize() / 72
    x0 = x - w if text.get_horizontalalignment() == "right" else x
    y0 = y - h if text.get_verticalalignment() == "top" else y
    return (x0, y0, x0 + w, y0 + h)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether two boxes (x0, y0, x1, y1) overlap."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def draw_line_label(ax: Axes, value: float, text: str, spot: tuple[float, str], colour: str) -> Any:
    """``text`` beside a horizontal line at ``value``, at ``spot`` (:func:`clear_spot`), on a light white box: drawn.

    In a crowded panel no spot may be clear of every line (15 days of a 0-200 axis in a
    report's panel is less than the label's height below the 30-day line): the box keeps
    the text legible over what passes behind it.
    """
    start, va = spot
    right = start + LABEL_SPAN >= 1
    return ax.annotate(
        text,
        (1.0 if right else start, value),
        xycoords=("axes fraction", "data"),
        xytext=(-2 if right else 3, 2 if va == "bottom" else -2),
        textcoords="offset points",
        ha="right" if right else "left",
        va=va,
        fontsize=LINE_LABEL_PT,
        color=colour,
        bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},  # legible over a grid line
    )
