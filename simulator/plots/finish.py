"""What every figure gets once its panels are drawn: title, legend (and a key of shocks), margins in inches.

Layer: studies.

The legend is measured before it is set (:func:`legend_layout`), so that it is never wider than
its figure, and the figure grows to hold it with panels of at least :data:`MIN_PANEL_IN`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerPatch
from matplotlib.lines import Line2D

from simulator.plots.layout import COLUMN_GAP_IN, MIN_PANEL_IN, fixed_margins
from simulator.plots.line_labels import fit_line_labels
from simulator.plots.shock_bands import ShockLane, lane_swatch
from simulator.plots.style import LEGEND_PT
from simulator.plots.text import (
    HINTED_TEXT,
    TITLE_LINE_IN,
    agg_renderer,
    drawn_width_in,
    label_lines,
    plain_text,
    wrapped_title,
)


def _legend(
    axes: list[Axes], extra: Sequence[tuple[Any, str]] = (), omit: Collection[str] = ()
) -> tuple[list[Any], list[str]]:
    """Legend entries of all panels and ``extra`` ones, each label once: lines first, then release bars, then shocks.

    ``extra``: (handle, label) of entries no panel's artist stands for (one entry for a kind of line drawn in each
    member's colour), placed by their kind as the panels' are; ``omit``: the panels' labels they stand for, left out.
    """
    entries: dict[str, Any] = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            if label not in omit:
                entries.setdefault(label, handle)
    for handle, label in extra:
        entries.setdefault(label, handle)

    ordered = sorted(entries.items(), key=lambda item: _rank(*item))
    return [h for _, h in ordered], [label for label, _ in ordered]


def _rank(label: str, handle: Any) -> int:
    """A legend entry's group: 0 a line, 1 a release bar, 2 a shock."""
    return 0 if isinstance(handle, Line2D) else 1 if label.startswith("released (") else 2


def _legend_columns(labels: list[str], width_in: float) -> int:
    """How many columns of ``labels`` fit a figure ``width_in`` inches wide (1 to 4)."""
    longest = max((len(label) for label in labels), default=1)
    return max(1, min(4, len(labels), int((width_in - 0.4) // (0.058 * longest + 0.45))))


LEGEND_ROW_IN = 0.19
"""Height of a row of a figure's legend at :data:`LEGEND_PT`, inches (measured: 0.189, plus 0.035 a legend)."""
LEGEND_LINE_IN = 0.16
"""Height a legend entry gains for each line its label is broken into beyond the first, inches (measured: 0.15-0.17)."""
FOOTNOTE_LINE_IN = 0.15
"""Height of a line of a figure's footnote (:func:`finish_figure`) at :data:`LEGEND_PT`, inches (1.2 x 8.5 pt)."""
LEGEND_PADS_IN = (2 * 0.4 + 2.0 + 0.8) * LEGEND_PT / 72
"""Width a legend of one column adds to its widest label, inches: Matplotlib's padding each side (0.4 em),
the swatch (2 em) and the gap after it (0.8 em); each further column adds its swatch, gap and 2 em between columns."""


def _legend_width_in(labels: list[str], columns: int) -> float:
    """Width of a legend of ``labels`` in ``columns`` as Matplotlib fills them and Agg draws them, inches.

    The first ``len(labels) % columns`` columns take an entry more than the others; each is as wide as its
    widest line (a label broken into lines is as wide as its longest).
    """
    em = LEGEND_PT / 72
    parts = [part for part in np.array_split(np.arange(len(labels)), columns) if len(part)]
    texts = [drawn_width_in([labels[k] for k in part], LEGEND_PT) for part in parts]
    return LEGEND_PADS_IN + sum(texts) + (len(texts) - 1) * (2.0 + 0.8 + 2.0) * em


def legend_layout(labels: list[str], width_in: float) -> tuple[list[str], int]:
    """``labels`` as a figure ``width_in`` inches wide sets them, and in how many columns.

    As many columns as :func:`_legend_columns` estimates, fewer where they would run past the figure's
    edges (measured, :func:`_legend_width_in`); in one column a label too long for the figure is broken
    after a comma, then at spaces (:func:`label_lines`, with :data:`HINTED_TEXT` to spare), so that no
    legend is wider than its figure, unless one word of a label is (a name of over 60 characters without a
    space, which :func:`label_lines` keeps whole); the others stay whole. A report's figure is 7.1 inches wide: a
    licensing shock's label drawn 6.69 inches wide, with its swatch and padding, was 0.01 inch wider.
    """
    columns = _legend_columns(labels, width_in)
    while columns > 1 and _legend_width_in(labels, columns) > width_in:
        columns -= 1
    if columns == 1:  # only the labels that would run past the edges are broken
        text_in = (width_in - LEGEND_PADS_IN) / HINTED_TEXT
        labels = [
            "\n".join(label_lines(label, LEGEND_PT, text_in)) if _legend_width_in([label], 1) > width_in else label
            for label in labels
        ]
    return labels, columns


def row_columns(labels: list[str], width_in: float) -> int:
    """Columns in which a legend of ``labels`` fits a figure ``width_in`` wide, in as few rows as fit, filled evenly.

    For short labels set side by side (``apart`` in :func:`finish_figure`): twelve members' names, of which 9 fit
    a row, in 2 rows of 6 (Matplotlib fills 9 columns of 12 labels two, two, two and one each).
    """
    if not labels:
        return 1
    most = max((c for c in range(1, len(labels) + 1) if _legend_width_in(labels, c) <= width_in - 0.2), default=1)
    rows = -(-len(labels) // most)
    return -(-len(labels) // rows)


def legend_height_in(labels: list[str], columns: int) -> float:
    """Height of a legend of ``labels`` in ``columns``, inches: its tallest column.

    A row is :data:`LEGEND_ROW_IN` high, a label broken into two lines :data:`LEGEND_LINE_IN` higher.
    """
    parts = np.array_split(np.arange(len(labels)), max(1, columns))
    return max(
        (LEGEND_ROW_IN * len(part) + LEGEND_LINE_IN * sum(labels[k].count("\n") for k in part) for part in parts),
        default=0.0,
    )


Y_AXIS_CLEARANCE_IN = 0.05
"""Room kept between a panel's y axis (its tick labels and its label) and the figure's left edge, inches."""


def y_axis_reach_in(fig: Figure, ax: Axes) -> float:
    """How far left of the panel ``ax`` its y axis reaches as Agg lays it out (tick labels, ticks, label), inches.

    Measured, not drawn (:func:`agg_renderer`): the tick labels are whatever the axis's locator and formatter
    give for its limits now (a log price axis up to 20,000 USD/kg labels ``20,000``, wider than ``500``).
    """
    renderer = agg_renderer(fig)
    axis_box = ax.yaxis.get_tightbbox(renderer)
    if axis_box is None:
        return 0.0
    return max(0.0, (ax.get_window_extent(renderer).x0 - axis_box.x0) / fig.dpi)


def _y_axis_overflow_in(fig: Figure, panels: list[Axes], left_in: float) -> float:
    """How much wider the left margin and the gap between columns must be for the panels' y axes, inches.

    Every visible panel's y axis is to stay :data:`Y_AXIS_CLEARANCE_IN` clear of the figure's left edge (and of
    the panel to its left); 0 when ``left_in`` holds them all.

    A fixed margin of 0.75 inch holds tick labels of four figures (``5,000``) and a label of one line; a log price
    axis up to 19,600 USD/kg (``20,000``) reached 0.79 inch and its label was cut by the figure's edge.
    """
    reach_in = max((y_axis_reach_in(fig, ax) for ax in panels if ax.get_visible()), default=0.0)
    return max(0.0, reach_in + Y_AXIS_CLEARANCE_IN - left_in)


def finish_figure(
    fig: Figure,
    panels: list[Axes],
    title: str,
    rows: int,
    cols: int,
    *,
    left_in: float = 0.75,
    lead: list[tuple[Any, str]] | None = None,
    shocks_above: bool = False,
    footnote: str | None = None,
    extra: Sequence[tuple[Any, str]] = (),
    omit: Collection[str] = (),
    panel_min_in: float = MIN_PANEL_IN,
    apart: Collection[str] = (),
    x_label_in: float = 0.0,
) -> None:
    """Title on top, one legend below for every panel (``lead`` entries first), margins in inches.

    ``shocks_above``: the shocks' entries make a key of their own between the title and the
    panels, right above the strips they explain, rather than under the last row of panels.
    ``footnote``: a sentence under the legend, at the legend's size, broken into lines that fit the figure
    (:func:`label_lines`); the legend and the panels move up to make room for it. ``extra``, ``omit``: legend entries of
    artists of no panel, and the panels' labels they stand for (:func:`_legend`). ``panel_min_in``: the least height of
    a panel, inches; the figure grows to keep it. ``apart``: labels of entries set in a row of their own over the
    legend, side by side in as many columns as fit (:func:`row_columns`): the names of twelve members' curves
    stacked in one column made the legend taller than the panels. ``x_label_in``: how much taller than a line the
    last row's x labels are, inches (a label broken to fit its panel, :func:`~simulator.plots.layout.fit_x_label`):
    the bottom margin grows by it, so that the label stays clear of the legend.
    """
    handles, labels = _legend(panels, extra, omit)
    if lead:
        kept = [(h, t) for h, t in zip(handles, labels, strict=True) if t not in {t for _, t in lead}]
        handles, labels = [h for h, _ in [*lead, *kept]], [t for _, t in [*lead, *kept]]
    key: list[tuple[Any, str]] = []
    if shocks_above:
        key = [(h, t) for h, t in zip(handles, labels, strict=True) if _rank(t, h) == 2]
        kept = [(h, t) for h, t in zip(handles, labels, strict=True) if _rank(t, h) != 2]
        handles, labels = [h for h, _ in kept], [t for _, t in kept]
    width = fig.get_size_inches()[0]
    row = [(h, t) for h, t in zip(handles, labels, strict=True) if t in apart]
    kept = [(h, t) for h, t in zip(handles, labels, strict=True) if t not in apart]
    handles, labels = [h for h, _ in kept], [t for _, t in kept]
    row_cols = row_columns([t for _, t in row], width)
    row_in = legend_height_in([t for _, t in row], row_cols) + 0.05 if row else 0.0
    labels, columns = legend_layout(labels, width)
    foot_lines = label_lines(footnote, LEGEND_PT, (width - 0.4) / HINTED_TEXT) if footnote else []
    foot_in = FOOTNOTE_LINE_IN * len(foot_lines) + (0.04 if foot_lines else 0.0)  # its lines and a gap above them
    # the dates (0.44 with their ticks), a gap (0.1), the legend and the footnote
    main_in = legend_height_in(labels, columns)
    bottom_in = 0.64 + x_label_in + main_in + row_in + foot_in
    title_lines = wrapped_title(title, width)
    top_in = 0.55 + TITLE_LINE_IN * (len(title_lines) - 1)
    key_labels, key_columns = legend_layout([t for _, t in key], width)
    key_in = (legend_height_in(key_labels, key_columns) + 0.2) if key else 0.0
    top_in += key_in
    height = fig.get_size_inches()[1]
    needed_in = top_in + bottom_in + rows * panel_min_in + 0.8 * (rows - 1)
    if height < needed_in:
        fig.set_size_inches(width, needed_in)
    fixed_margins(fig, rows, cols, left_in=left_in, top_in=top_in, bottom_in=bottom_in)
    wider_in = _y_axis_overflow_in(fig, panels, left_in)
    if wider_in > 0:
        fixed_margins(
            fig,
            rows,
            cols,
            left_in=left_in + wider_in,
            top_in=top_in,
            bottom_in=bottom_in,
            col_gap_in=COLUMN_GAP_IN + wider_in,
        )
    fit_line_labels(fig, panels)
    height = fig.get_size_inches()[1]
    fig.suptitle(plain_text("\n".join(title_lines)), fontsize=12, fontweight="bold", y=1 - 0.12 / height)
    fig.legend(
        handles,
        [plain_text(label) for label in labels],
        loc="lower center",
        ncols=columns,
        fontsize=LEGEND_PT,
        frameon=False,
        bbox_to_anchor=(0.5, (0.02 + foot_in) / height),
        handler_map={ShockLane: HandlerPatch(patch_func=lane_swatch)},
    )
    if row:
        fig.legend(
            [h for h, _ in row],
            [plain_text(t) for _, t in row],
            loc="lower center",
            ncols=row_cols,
            fontsize=LEGEND_PT,
            frameon=False,
            bbox_to_anchor=(0.5, (0.02 + foot_in + main_in + 0.05) / height),
        )
    if foot_lines:
        fig.text(0.5, 0.04 / height, plain_text("\n".join(foot_lines)), ha="center", va="bottom", fontsize=LEGEND_PT)
    if key:
        title_in = 0.12 + TITLE_LINE_IN * len(title_lines) + 0.04  # the title's lines, from the top edge
        fig.legend(
            [h for h, _ in key],
            [plain_text(t) for t in key_labels],
            loc="upper center",
            ncols=key_columns,
            fontsize=LEGEND_PT,
            frameon=False,
            bbox_to_anchor=(0.5, 1 - title_in / height),
            handler_map={ShockLane: HandlerPatch(patch_func=lane_swatch)},
        )
