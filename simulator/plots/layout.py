"""The grid of a figure's panels: margins and widths in inches, date axes, panels that say why they are empty.

Layer: studies.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simulator.plots.text import (
    HINTED_TEXT,
    TITLE_LINE_IN,
    agg_renderer,
    drawn_width_in,
    fewest_lines,
    plain_text,
    text_width_in,
    wrapped_at_spaces,
    wrapped_title,
)
from simulator.results import Result

MIN_PANEL_IN = 2.0
"""Panels keep at least this height; a figure grows to make room for a long legend."""
EMPTY_INK = "#5d6975"


MONTH_STEPS = (1, 2, 3, 6, 12)


def date_ticks(
    start: dt.date, horizon_days: int, ticks: int = 6, *, weeks: bool = True
) -> tuple[list[dt.date], list[str]]:
    """About ``ticks`` tick dates over the horizon, with labels (computed, not searched).

    Month starts every 1, 2, 3, 6 or 12 months (aligned on January) for horizons
    over three months; otherwise every week from the start, unless ``weeks`` is False
    (points a month or more apart, as a record's: month starts then too).

    >>> [label.split()[0] for label in date_ticks(dt.date(2010, 7, 1), 730)[1]]
    ['Jul', 'Jan', 'Jul', 'Jan']
    """
    end = start + dt.timedelta(days=horizon_days)
    if horizon_days <= 92 and weeks:
        step_days = 7 * max(1, round(horizon_days / 7 / ticks))
        days = [start + dt.timedelta(days=d) for d in range(0, horizon_days + 1, step_days)]
        return days, [f"{d.day} {d:%b}" for d in days]
    months = (end.year - start.year) * 12 + end.month - start.month
    step = next((m for m in MONTH_STEPS if months / m <= ticks), 12)
    first = start if start.day == 1 else (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    dates = []
    current = first
    while current <= end:
        if (current.month - 1) % step == 0:
            dates.append(current)
        current = (current.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return dates, [f"{d:%b}\n{d.year}" for d in dates]


def format_axis(ax: Axes, result: Result, ticks: int = 6) -> None:
    """Dates (about ``ticks`` of them) with a start date, day numbers without."""
    if result.start_date is not None:
        dates, labels = date_ticks(result.start_date, result.scenario.horizon_days, ticks)
        ax.set_xticks([np.datetime64(d) for d in dates], labels)
    else:
        ax.set_xlabel("day")
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


CURVES_MIN_SHARE = 0.25
"""The least share of a panel's height left to its curves by lanes along its top and bottom (shocks, releases):
more lanes than that leave would turn the y axis upside down."""


def raise_top(ax: Axes, share: float) -> None:
    """Raise the top of ``ax``'s y axis so that its present span fills the lower ``1 - share`` of the panel.

    Room along the panel's top (shock lanes, a key): on a linear axis from 0 to 90, a ``share``
    of 0.25 puts the top at 90 / 0.75 = 120; on a log axis the span is measured in decades, as
    drawn (1 to 100 becomes 1 to 1,000 for a ``share`` of 1/3). The curves keep at least
    :data:`CURVES_MIN_SHARE` of the panel.
    """
    share = min(share, 1 - CURVES_MIN_SHARE)
    low, high = ax.get_ylim()
    if ax.get_yscale() == "log":
        ax.set_ylim(low, low * (high / low) ** (1 / (1 - share)))
    else:
        ax.set_ylim(low, low + (high - low) / (1 - share))


COLUMN_GAP_IN = 0.9
"""Gap between two columns of panels, inches (:func:`fixed_margins`): room for the right panel's y axis."""


def fixed_margins(
    fig: Figure,
    rows: int,
    cols: int,
    *,
    left_in: float = 0.75,
    right_in: float = 0.2,
    top_in: float = 0.55,
    bottom_in: float = 0.65,
    row_gap_in: float = 0.8,
    col_gap_in: float = COLUMN_GAP_IN,
) -> None:
    """Margins and gaps between panels in inches, whatever the figure's size.

    Fixed margins replace Matplotlib's constrained layout, which measures every text
    several times and took about half of the time of drawing a figure.
    """
    width, height = fig.get_size_inches()
    panel_height = (height - top_in - bottom_in - row_gap_in * (rows - 1)) / rows
    panel_width = panel_width_in(width, cols, left_in=left_in, right_in=right_in, col_gap_in=col_gap_in)
    fig.subplots_adjust(
        left=left_in / width,
        right=1 - right_in / width,
        top=1 - top_in / height,
        bottom=bottom_in / height,
        hspace=row_gap_in / max(panel_height, 0.5),
        wspace=col_gap_in / max(panel_width, 0.5),
    )


def panel_width_in(
    width_in: float, cols: int, *, left_in: float = 0.75, right_in: float = 0.2, col_gap_in: float = 0.9
) -> float:
    """A panel's width in inches in a figure ``width_in`` wide of ``cols`` panels a row (:func:`fixed_margins`).

    >>> round(panel_width_in(7.1, 2), 3), round(panel_width_in(10.4, 2), 3)  # the report's panels; the PNG's
    (2.625, 4.275)
    """
    return (width_in - left_in - right_in - col_gap_in * (cols - 1)) / cols


def axes_fraction(fig: Figure, ax: Axes, length_in: float, *, vertical: bool = False) -> float:
    """``length_in`` inches along ``ax``'s width (its height when ``vertical``), as a fraction of it (axes fraction).

    A note's 4 points in a panel 2.6 inches wide: ``axes_fraction(fig, ax, 4 / 72)`` is 0.021.
    """
    frame, (width_in, height_in) = ax.get_position(), fig.get_size_inches()
    return length_in / (frame.height * height_in if vertical else frame.width * width_in)


TEXT_GAP_IN = 0.1
"""Least room kept between the texts centred on two panels side by side (their x labels, their titles), inches."""
EDGE_CLEARANCE_IN = 0.05
"""Least room kept between a text centred on a panel and the figure's edge, inches."""


def centred_room_in(fig: Figure, ax: Axes, row: list[Axes]) -> float:
    """How wide a text centred on the panel ``ax`` may be, inches, beside the panels of ``row``.

    It may reach to :data:`TEXT_GAP_IN` short of halfway to the panel beside it, and :data:`EDGE_CLEARANCE_IN`
    short of the figure's edge, as far on both sides as on the narrower one. Two such texts of panels side by
    side never meet, and none leaves the figure. Call once the margins are set (:func:`fixed_margins`).
    """
    width = fig.get_figwidth()
    frame = ax.get_position()
    x0, x1 = frame.x0 * width, frame.x1 * width
    others = [other.get_position() for other in row if other is not ax]
    lefts = [other.x1 * width for other in others if other.x1 * width <= x0]
    rights = [other.x0 * width for other in others if other.x0 * width >= x1]
    left = (x0 - max(lefts)) / 2 - TEXT_GAP_IN / 2 if lefts else x0 - EDGE_CLEARANCE_IN
    right = (min(rights) - x1) / 2 - TEXT_GAP_IN / 2 if rights else width - x1 - EDGE_CLEARANCE_IN
    return x1 - x0 + 2 * max(0.0, min(left, right))


def fit_x_label(fig: Figure, ax: Axes, row: list[Axes]) -> float:
    """``ax``'s x label broken into as few lines as fit (:func:`fewest_lines`) where it is wider than it may be.

    As wide as :func:`centred_room_in` gives at most (the panels of ``row`` are beside it): centred under its
    panel, the label runs neither into the label of the panel beside it nor past the figure's edge.
    ``compare.png``'s totals' labels of two materials ran into each other, and a fairness label of 3.7 inches
    under a panel of 3.1, 0.2 inch from the figure's right edge, was cut off by it. A label that fits is left as it
    is. Call once the margins are set (:func:`fixed_margins`).

    Returns how much taller than its first line the label is, inches (0 for a label of one line): the room
    the figure's bottom margin is to grow by (``x_label_in`` of :func:`~simulator.plots.finish.finish_figure`).
    """
    label = ax.xaxis.label
    text, size = label.get_text(), label.get_fontsize()
    room_in = centred_room_in(fig, ax, row)
    if text and drawn_width_in([text], size) > room_in:
        text = "\n".join(fewest_lines(text.replace("\n", " "), size, room_in / HINTED_TEXT))
        label.set_text(text)
    if "\n" not in text:
        return 0.0
    renderer = agg_renderer(fig)
    height = label.get_window_extent(renderer).height
    label.set_text(text.split("\n")[0])
    first = label.get_window_extent(renderer).height
    label.set_text(text)
    return (height - first) / fig.dpi


ROW_TITLE_PT = (10.0, 9.0, 8.0)
"""The sizes a row of panels' titles is tried at, largest first (:func:`row_titles`)."""


def row_titles(fig: Figure, axes: list[Axes], sizes: tuple[float, ...] = ROW_TITLE_PT) -> None:
    """The titles of a row of panels ``axes`` in one size: the largest of ``sizes`` at which each fits.

    Each as wide as :func:`centred_room_in` gives at most; where one does not fit even at the smallest, it is
    broken into lines that fit (:func:`fewest_lines`). Call once the margins are set (:func:`fixed_margins`).
    ``compare.png``'s fairness panels of one material were titled at 8 pt beside the totals' 10 pt in the same row.
    """
    titled = [(ax, ax.title.get_text().replace("\n", " ")) for ax in axes if ax.title.get_text()]
    room = {ax: centred_room_in(fig, ax, axes) / HINTED_TEXT for ax, _ in titled}
    size = next((pt for pt in sizes if all(text_width_in([t], pt) <= room[ax] for ax, t in titled)), sizes[-1])
    for ax, text in titled:
        ax.title.set_fontsize(size)
        ax.title.set_text("\n".join(fewest_lines(text, size, room[ax])))


WRAP_COLUMNS_MAX = 5
"""Most panels side by side in a wrapped row: ``compare.png``'s members, the turned-over supply-mix PNG's regions.
More wrap into rows of as many panels as evenly as they go (:func:`wrapped_grid`), 12 into three rows of 4. In one
row of 12, ``compare.png`` was 5,258 pixels wide."""
WRAP_COLUMN_IN = 3.9
"""Width of a column of a wrapped grid (a panel and its gap), inches."""
WRAP_MARGIN_IN = 1.0
"""What a figure of a wrapped grid adds to its columns' width (:data:`WRAP_COLUMN_IN` each), inches."""


def wrapped_grid(panels: int, most: int = WRAP_COLUMNS_MAX) -> tuple[int, int]:
    """Rows and columns of ``panels`` panels wrapped at ``most`` a row, into rows of as many as evenly as they go.

    >>> wrapped_grid(4), wrapped_grid(5), wrapped_grid(6), wrapped_grid(12)
    ((1, 4), (1, 5), (2, 3), (3, 4))
    """
    rows = -(-panels // most)
    return rows, -(-panels // rows)


def wrapped_width_in(columns: int) -> float:
    """Width of a figure of a wrapped grid of ``columns`` columns, inches (:data:`WRAP_COLUMN_IN` each, and margins).

    >>> wrapped_width_in(4)
    16.6
    """
    return WRAP_COLUMN_IN * columns + WRAP_MARGIN_IN


def grid_width_in(materials: int, columns: int | None = None, width_in: float | None = None) -> float:
    """Width of a figure of a panel per material, side by side up to ``columns``: ``width_in`` when set.

    5.2 inches a column, at least 7 (:class:`Panels` and the one-panel shortfall figure alike).

    >>> grid_width_in(3), grid_width_in(3, columns=2), grid_width_in(1), grid_width_in(3, width_in=6.5)
    (15.600000000000001, 10.4, 7.0, 6.5)
    """
    cols = materials if columns is None else max(1, min(materials, columns))
    return width_in or max(7.0, 5.2 * cols)


class Panels:
    """A figure's grid: ``rows`` panels per material, materials side by side up to ``columns``, then wrapped."""

    def __init__(
        self,
        result: Result,
        rows: int = 1,
        *,
        materials: list[str] | None = None,
        width_in: float | None = None,
        columns: int | None = None,
    ) -> None:
        self.materials = list(result.structure.materials) if materials is None else materials
        n = len(self.materials)
        self.cols = n if columns is None else max(1, min(n, columns))
        blocks = -(-n // self.cols)
        self.rows = rows * blocks
        width = grid_width_in(n, columns, width_in)
        panel_in = 3.4 if width_in is None else 2.5
        self.fig = Figure(figsize=(width, panel_in * self.rows + 1.2))
        grid = np.atleast_2d(self.fig.subplots(self.rows, self.cols, squeeze=False))
        self.cells: dict[tuple[int, str], Axes] = {}
        for j, material in enumerate(self.materials):
            block, col = divmod(j, self.cols)
            for row in range(rows):
                self.cells[row, material] = grid[block * rows + row, col]
        used = {id(ax) for ax in self.cells.values()}
        for ax in grid.flat:
            if id(ax) not in used:
                ax.set_visible(False)
        self.ticks = 6 if width / self.cols >= 4.0 else 4
        self.panel_in = panel_width_in(width, self.cols)
        """A panel's width in inches once :func:`finish_figure` has set the margins (its defaults)."""

    def axes(self) -> list[Axes]:
        """The panels in use."""
        return list(self.cells.values())


def empty_panel(ax: Axes, text: str) -> None:
    """A panel that says in words why it has nothing to draw."""
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_color("#d8dee5")
    ax.text(
        0.5,
        0.5,
        plain_text(text),
        transform=ax.transAxes,
        ha="center",
        va="center",
        wrap=True,
        color=EMPTY_INK,
        fontsize=10,
    )


NO_SHORTFALL_PANEL_IN = 1.1
"""Height of the one panel of a shortfall figure without shortfall (it holds a sentence)."""


def sentence_figure(width: float, title: str, text: str) -> Figure:
    """A figure ``width`` inches wide of one low :func:`empty_panel` saying ``text``, under ``title``.

    What a figure of shortfall draws when nobody is short: the run's shortfall figure,
    and ``compare.png`` when no member is short under any rule.
    """
    lines = wrapped_title(title, width)
    top_in = 0.55 + TITLE_LINE_IN * (len(lines) - 1)
    height = top_in + NO_SHORTFALL_PANEL_IN + 0.2
    fig = Figure(figsize=(width, height))
    ax = fig.add_subplot()
    empty_panel(ax, "\n".join(wrapped_at_spaces(text, 11, width - 0.9)))
    ax.texts[0].set_fontsize(11)
    fixed_margins(fig, 1, 1, left_in=0.3, right_in=0.3, top_in=top_in, bottom_in=0.2)
    fig.suptitle(plain_text("\n".join(lines)), fontsize=12, fontweight="bold", y=1 - 0.12 / height)
    return fig
