"""Figures of uncertainty studies: sensitivity bars and fan charts of the daily curves.

Layer: studies.

- ``sensitivity.png``: a panel per metric (titled with its registry label and unit), a
  bar per input (labelled with the entry's label), most influential on top; the title
  says how many of the inputs (and metrics) are shown. Sobol': total index ``ST`` with
  its confidence interval and, inside it, the first-order ``S1``, on an axis of shares
  from 0 to 1 (an interval or an estimate past an end is cut there and marked with a
  triangle). Morris: ``mu_star`` with its confidence interval, ``sigma`` as a dot, the axis
  saying what they are: changes per whole range of an input, extrapolated from steps of 2/3
  of it (:func:`morris_axis_text`). A
  metric that is non-zero in few runs (:func:`~simulator.sensitivity.words.is_sparse`) says so under its
  title: its indices rest on those runs alone; a day metric whose -1 (never, no demand, no price)
  the indices count after the horizon says in how many runs (:func:`~simulator.sensitivity.words.flag_text`).
- ``fan_days_of_cover.png`` and ``fan_shortfall.png``: a panel per region and material,
  each on its own scale, a band from the 5th to the 95th percentile over the samples with
  the median as a line, and the scenario's own run dashed; a line at 0 every day is named in a note, not drawn
  on the axis, and days of cover's spikes are cut and marked (:func:`fan_figure`).

This module loads Matplotlib: it is imported where a figure is drawn. The words the figures share with
the terminal, the JSON files and the report are in :mod:`simulator.sensitivity.words`, which does not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from simulator import shortages
from simulator.names import AS_WRITTEN, Names, join_words, number_text, run_noun
from simulator.palette import region_colour
from simulator.plots import (
    LEGEND_PT,
    Drawn,
    agg_renderer,
    date_ticks,
    draw_trigger_line,
    empty_panel,
    finish_figure,
    fixed_margins,
    grid_width_in,
    label_lines,
    note_place,
    panel_width_in,
    sliced_heights,
    text_width_in,
    wrapped_lines,
    wrapped_title,
)
from simulator.plots import plain_text as _text
from simulator.plots.layout import axes_fraction
from simulator.plots.text import drawn_width_in
from simulator.sensitivity.indices import MORRIS_STEP, RANKED_BY, Method
from simulator.sensitivity.words import (
    adds_text,
    flag_text,
    is_sparse,
    no_member_short_text,
    s1_above_text,
)
from simulator.sweep.columns import metric_title, metric_unit

MAX_PANELS = 6
"""Metrics drawn in ``sensitivity.png`` (all of them are in ``sensitivity.csv``)."""
MAX_BARS = 12
"""Inputs per panel (the most influential)."""


LABEL_CHARS = 36
"""Input labels longer than this are wrapped into lines of about equal length (never cut short)."""
LABEL_PT = 8
WHISKER_INK = "#555555"
PANEL_WIDTH_IN = 4.15
"""Width of a panel's plotting area; the labels' margin is added to it."""
FLAG_INK = "#a23b3b"
"""Colour of a panel title that warns: its indices rest on few runs, or S1 exceeds ST."""


def _label(value: object) -> str:
    r"""An input's label, whole, on lines of at most :data:`LABEL_CHARS` characters of about equal length.

    >>> _label("light substitution, price ratio for all of it")
    'light substitution, price\nratio for all of it'
    """
    text = _text(value)
    lines = -(-len(text) // LABEL_CHARS)
    width = min(LABEL_CHARS, -(-len(text) // lines) + 6)
    return "\n".join(wrapped_lines(text, width))


TITLE_PT = 10
"""Size of the figure's title and of a panel's title; a panel title with flags is a point smaller."""
LINE_SPACING = 1.2
"""Matplotlib's default line spacing, in multiples of the font size."""
EDGE_IN = 0.1
"""Space above the figure's title."""
TITLE_GAP_IN = 0.15
"""Space between the figure's title and the panels' titles."""
BELOW_AXIS_IN = 0.6
"""Height of an axis' tick labels and label under a panel."""
AXIS_LABEL_LINES_IN = 9 * LINE_SPACING / 72 + 0.02
"""Height of each line an axis' label has beyond its first (at 9 pt: Morris' says what mu* is on two)."""


def _lines_in(lines: int, size: float) -> float:
    """Height in inches of ``lines`` lines of text at ``size`` points."""
    return lines * size * LINE_SPACING / 72


def sensitivity_figure(
    table: pd.DataFrame,
    method: Method,
    runs: int,
    nonzero: Mapping[str, int] | None = None,
    never_day: int | None = None,
    one_draw: str | None = None,
    declared: int | None = None,
    no_member_short: int | Mapping[str, int] | None = None,
    unlike_tonnes: Mapping[str, str] | None = None,
) -> Figure:
    """Bars of each metric's indices, one panel per metric (the first :data:`MAX_PANELS`).

    ``one_draw`` (:func:`~simulator.sensitivity.words.one_draw_text`), for a scenario with random inputs,
    is a line of the title: the indices are those of one draw of them. ``declared``: the uncertain inputs
    the scenario declares, where the study took some of them (``--input``).

    Inputs are named by their whole labels, wrapped; one legend below the panels names the
    bars, the marks and the whiskers (95% confidence intervals). ``nonzero`` gives, per
    metric, the runs in which it is not zero (a day metric: has a day): a sparse one
    (:func:`~simulator.sensitivity.words.is_sparse`) says so, and a day metric whose never (or none) the
    indices count as day ``never_day``, after the horizon, says in how many runs
    (:func:`~simulator.sensitivity.words.flag_text`). ``no_member_short``: the runs in which no member is
    short, where Jain's index is 1 by convention; its panel says in how many
    (:func:`~simulator.sensitivity.words.no_member_short_text`). ``unlike_tonnes``: per metric that adds
    tonnes which may not be added, what it adds (``tonnes of magnet and tonnes of oxide``): its panel
    says so (:func:`~simulator.sensitivity.words.adds_text`).
    The margins above and between the panels are as tall as the titles they hold.
    """
    every_metric = list(dict.fromkeys(table["metric"]))
    metrics = every_metric[:MAX_PANELS]
    inputs = int(table.groupby("metric").size().max())
    bars = min(MAX_BARS, inputs)
    shown = [table[table["metric"] == metric].head(bars) for metric in metrics]
    counts = [(nonzero or {}).get(metric) for metric in metrics]
    titles = [
        _panel_title(rows_of, method, str(metric), count, runs, never_day, no_member_short, unlike_tonnes)
        for metric, rows_of, count in zip(metrics, shown, counts, strict=True)
    ]
    labels = [_label(label) for rows_of in shown for label in rows_of["label"]]
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    label_in = text_width_in([line for label in labels for line in label.split("\n")], LABEL_PT) + 0.3
    cols = min(2, len(metrics))
    rows = -(-len(metrics) // cols)
    step_in = max(0.32, 0.135 * lines + 0.08)  # room for a label's lines between two bars
    plot_in = step_in * bars + 0.5
    legend_in = 0.35
    what = "Sobol' indices" if method == "sobol" else "Morris elementary effects"
    suptitle = f"{what}: {runs:,} runs\n{_shown(bars, inputs, len(metrics), len(every_metric), declared)}"
    if one_draw:  # as wide as the panels allow at the title's size (about 0.09 in a character)
        suptitle += "\n" + "\n".join(wrapped_title(one_draw, PANEL_WIDTH_IN * cols, char_in=0.09, margin_in=0.0))
    # each row of panels: room for its tallest title (lines at their size, then the title's 6 pt pad)
    title_in = [max(_title_in(t) for t in titles[r * cols : (r + 1) * cols]) for r in range(rows)]
    top_in = EDGE_IN + _lines_in(suptitle.count("\n") + 1, TITLE_PT) + TITLE_GAP_IN + title_in[0]
    axis_in = AXIS_LABEL_LINES_IN * (morris_axis_text("").count("\n") if method == "morris" else 0)
    row_gap_in = BELOW_AXIS_IN + axis_in + max(title_in[1:], default=0.0)
    bottom_in = 0.55 + axis_in + legend_in
    left_in, right_in, gap_in = max(1.0, label_in), 0.3, max(1.0, label_in) + 0.2
    width = left_in + right_in + gap_in * (cols - 1) + PANEL_WIDTH_IN * cols
    fig = Figure(figsize=(width, top_in + bottom_in + plot_in * rows + row_gap_in * (rows - 1)))
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).reshape(-1)
    fixed_margins(
        fig,
        rows,
        cols,
        left_in=left_in,
        right_in=right_in,
        top_in=top_in,
        bottom_in=bottom_in,
        row_gap_in=row_gap_in,
        col_gap_in=gap_in,
    )
    legend: tuple[list[Any], list[str]] = ([], [])
    for ax, metric, rows_of, title in zip(axes, metrics, shown, titles, strict=False):
        drawn = _bars(ax, rows_of, method, metric, title)
        for handle, label in zip(*drawn, strict=True):
            if label not in legend[1]:
                legend[0].append(handle)
                legend[1].append(label)
    for ax in axes[len(metrics) :]:
        ax.set_visible(False)
    height = fig.get_size_inches()[1]
    fig.suptitle(suptitle, fontsize=TITLE_PT, y=1 - EDGE_IN / height, va="top")
    if legend[0]:
        fig.legend(
            *legend,
            loc="lower center",
            ncols=len(legend[0]),
            fontsize=LEGEND_PT,
            frameon=False,
            bbox_to_anchor=(0.5, 0.04 / height),
        )
    return fig


def _title_in(title: list[str]) -> float:
    """Height in inches of a panel's title of these lines, with Matplotlib's 6 pt pad under it."""
    return _lines_in(len(title), TITLE_PT if len(title) == 1 else TITLE_PT - 1) + 6 / 72


def _panel_title(
    rows: pd.DataFrame,
    method: Method,
    metric: str,
    nonzero: int | None,
    runs: int,
    never_day: int | None,
    no_member_short: int | Mapping[str, int] | None = None,
    unlike_tonnes: Mapping[str, str] | None = None,
) -> list[str]:
    """A panel's title, a line each: the metric, then what to doubt in its indices (shown in :data:`FLAG_INK`)."""
    flags = []
    if adds := adds_text(unlike_tonnes, metric):
        flags.append(adds)
    if flag := flag_text(nonzero, runs, metric, never_day):
        flags.append(f"{flag}: indices rest on those runs" if is_sparse(nonzero or 0, runs) else flag)
    if nobody := no_member_short_text(no_member_short, runs, metric):
        flags.append(nobody)
    if method == "sobol" and (above := s1_above_text(rows)):
        flags.append(above)
    return [_text(metric_title(metric)), *flags]


def _shown(bars: int, inputs: int, panels: int, metrics: int, declared: int | None = None) -> str:
    """What the panels show of the study: ``12 of 48 inputs shown per metric (the most influential)``.

    ``declared``: the inputs the scenario declares, where the study took fewer (``--input``).

    >>> _shown(12, 48, 6, 6), _shown(8, 8, 6, 9)
    ('12 of 48 inputs shown per metric (the most influential)', 'all 8 inputs; the first 6 of 9 metrics')
    >>> _shown(8, 8, 6, 6, declared=48), _shown(1, 1, 1, 1, declared=3)
    ('all 8 inputs studied (of the 48 declared)', '1 input studied (of the 3 declared)')
    """
    studied = f" studied (of the {declared} declared)" if declared is not None and declared > inputs else ""
    text = (
        f"{bars} of {inputs} inputs{studied} shown per metric (the most influential)"
        if bars < inputs
        else (f"all {inputs} inputs" if inputs > 1 else "1 input") + studied
    )
    return text + (f"; the first {panels} of {metrics} metrics" if panels < metrics else "")


def _bars(ax: Axes, rows: pd.DataFrame, method: Method, metric: str, title: list[str]) -> tuple[list[Any], list[str]]:
    """One metric's panel under ``title`` (its lines); the legend entries it drew (none: a metric that never varies)."""
    ax.set_title("\n".join(title), fontsize=TITLE_PT if len(title) == 1 else TITLE_PT - 1)
    if len(title) > 1:
        ax.title.set_color(FLAG_INK)
    if rows[RANKED_BY[method]].isna().all():
        # no y labels: a list of inputs beside no bars reads as inputs that all scored 0
        empty_panel(ax, "The same in every run:\nno input changes it,\nso there is nothing to attribute.")
        return [], []
    y = np.arange(len(rows))[::-1]
    ax.set_yticks(y, [_label(label) for label in rows["label"]], fontsize=LABEL_PT)
    ax.grid(True, axis="x", color="#dddddd")
    ax.set_axisbelow(True)
    index = "ST" if method == "sobol" else "mu*"
    whisker = Line2D([], [], color=WHISKER_INK, lw=1.5, label=f"95% confidence interval of {index}")
    if method == "sobol":
        st, conf, s1 = (rows[c].to_numpy(float) for c in ("ST", "ST_conf", "S1"))
        shown_st, low, high = share_whiskers(st, conf)
        total = ax.barh(
            y, shown_st, xerr=np.vstack([low, high]), color="#9dbbe0", ecolor=WHISKER_INK, label="total (ST)"
        )
        first = ax.barh(y, np.clip(s1, 0, 1), height=0.4, color="#1f5fa6", label="first order (S1)")
        ax.set_xlim(0, 1)  # shares of a variance: an interval past 1 is cut at the edge and marked
        ax.set_xlabel("share of the metric's variance")
        handles: list[Any] = [total, whisker, first]
        past = past_the_axis(st, conf, s1)
        if past.any():
            (cut,) = ax.plot(
                np.ones(past.sum()),
                y[past],
                ">",
                color=WHISKER_INK,
                ms=5,
                clip_on=False,
                label="past 1, cut at the edge",
            )
            handles.append(cut)
    else:
        mean = ax.barh(y, rows["mu_star"], xerr=rows["mu_star_conf"], color="#9dbbe0", ecolor=WHISKER_INK, label="mu*")
        (spread,) = ax.plot(rows["sigma"], y, "o", color="#d1495b", ms=4, label="sigma")
        unit = metric_unit(metric)
        ax.set_xlabel(morris_axis_text(unit), fontsize=9)
        ax.set_xlim(left=0)
        handles = [mean, whisker, spread]
    return handles, [h.get_label() for h in handles]


def morris_axis_text(unit: str) -> str:
    """What a Morris panel's axis gives: SALib's elementary effects, per whole range, from steps of 2/3 of it.

    A step moves the input by :data:`~simulator.sensitivity.indices.MORRIS_STEP` of its range, and
    the effect is its change divided by that: a change over the whole range the study did not
    simulate, but extrapolated (with two members Jain's index moves by 0.5 at most, and its
    ``mu*`` can be 0.75).

    >>> print(morris_axis_text("t"))
    mu*: mean absolute change per whole range of the input (t),
    extrapolated from steps of 2/3 of the range; sigma: their spread
    """
    per = f" ({unit})" if unit else ""
    step = Fraction(MORRIS_STEP).limit_denominator(100)
    return (
        f"mu*: mean absolute change per whole range of the input{per},\n"
        f"extrapolated from steps of {step} of the range; sigma: their spread"
    )


def share_whiskers(st: np.ndarray, conf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ST bars and their whiskers' lengths below and above, all kept within the axis of shares [0, 1].

    >>> [v.tolist() for v in share_whiskers(np.array([0.52, 0.3, 1.1]), np.array([2.56, 0.1, 0.2]))]
    [[0.52, 0.3, 1.0], [0.52, 0.1, 0.1], [0.48, 0.1, 0.0]]
    """
    bar = np.clip(st, 0, 1)
    return bar, np.round(bar - np.clip(st - conf, 0, 1), 12), np.round(np.clip(st + conf, 0, 1) - bar, 12)


def past_the_axis(st: np.ndarray, conf: np.ndarray, s1: np.ndarray) -> np.ndarray:
    """Inputs whose ST interval, ST or S1 runs past 1, the end of the axis of shares (marked there).

    >>> past_the_axis(np.array([0.52, 0.3]), np.array([2.56, 0.1]), np.array([0.7, 0.2])).tolist()
    [True, False]
    """
    return (st + conf > 1) | (st > 1) | (s1 > 1)


def _days_axis(ax: Axes, start: dt.date | None, horizon_days: int) -> None:
    if start is None:
        ax.set_xlabel("day")
    else:
        dates, labels = date_ticks(start, horizon_days)
        ax.set_xticks([(d - start).days for d in dates], labels)
    ax.set_xlim(0, horizon_days)  # to the horizon's end: the last tick (1 Jul 2012 after 30 Jun) is labelled
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


CLIP_FACTOR = 2.0
"""A cut fan chart's axis ends at this multiple of the panel's highest median or as-written value."""
CLIP_SAVES = 1.5
"""The axis is cut only where the band would otherwise need this many times its height."""
NOTE_PT = LEGEND_PT
"""A fan panel's note, at the size of the run's figures' legends."""


def fan_top(lines: np.ndarray, high: np.ndarray) -> float | None:
    """Where to cut a panel's axis so that a few samples' spikes do not flatten its lines, or None.

    ``lines`` are the panel's medians and as-written curves, ``high`` its 95th percentiles.
    The axis ends at :data:`CLIP_FACTOR` times the highest line when the band goes past
    :data:`CLIP_SAVES` times that; otherwise (or with every line at 0) it shows the whole
    band. Long embargo's heavy rare earths, lines up to 340 days and a band to 1,160, are
    cut at 680; a band to 346 days over lines to 165 is drawn whole:

    >>> fan_top(np.array([0.0, 340.0, 230.0]), np.array([1160.0, 500.0])), fan_top(np.array([165.0]), np.array([346.0]))
    (680.0, None)
    """
    top = CLIP_FACTOR * float(np.nanmax(lines, initial=0.0))
    return top if 0 < CLIP_SAVES * top < float(np.nanmax(high, initial=0.0)) else None


def _runs(mask: np.ndarray) -> list[np.ndarray]:
    """The stretches of consecutive days where ``mask`` holds, as arrays of days.

    >>> [r.tolist() for r in _runs(np.array([False, True, True, False, True]))]
    [[1, 2], [4]]
    """
    days = np.flatnonzero(mask)
    return [r for r in np.split(days, np.flatnonzero(np.diff(days) > 1) + 1) if len(r)]


def _amount(value: float, unit: str) -> str:
    return f"{number_text(value)}{f' {unit}' if unit else ''}"


BAND_EDGE_PT = 0.8
"""Width of the thin lines along a fan chart's 5th and 95th percentiles, points: the band's fill (the region's colour
at 0.18 opacity, 1.3:1 on white) does not show its edges on its own. An edge at 0 every day is not drawn (it would
lie on the axis, as the curves at 0 that :func:`fan_figure` leaves out)."""


def fan_figure(
    bands: dict[str, np.ndarray],
    own: np.ndarray,
    regions: list[str],
    materials: list[str],
    start: dt.date | None,
    title: str,
    ylabel: str,
    runs: int,
    names: Names | None = None,
    clip: bool = False,
    unit: str = "",
    absent: np.ndarray | None = None,
    *,
    triggers: Mapping[str, float] | None = None,
    width_in: float | None = None,
    columns: int | None = None,
    as_run: str = AS_WRITTEN,
    trigger_range: tuple[float, float] | None = None,
    short: np.ndarray | None = None,
) -> Figure:
    """A fan chart of one daily curve: a panel per region and material, each on its own scale.

    ``bands`` maps ``p5``, ``p50`` and ``p95`` to arrays (day, region, material); ``own``
    is the scenario's own run, same shape. Panels and legend name materials and regions as
    the other figures do: by ``names`` (:meth:`Names.of` the scenario, for its labels), by
    default the names made from the ids ("Light rare earths", "EU"): the material as a
    panel's title, the region at its left in the region's colour. A region's panels are
    a row, a panel per material side by side up to ``columns`` (all by default), as wide as
    the run's figures (:func:`~simulator.plots.grid_width_in`, ``width_in`` when set) and
    in their type sizes; each panel has its own y axis, so that one region's 0-300 days do
    not flatten another's 0-15.

    A line at 0 every day would lie hidden on the axis: it is not drawn, and a note in the
    panel says which are at 0 throughout (``EU: median and as written 0 throughout``;
    ``Japan: band, median and as written 0 throughout``, not "0 in every sample": a region
    short in fewer than 5% of the samples has a 95th percentile of 0 every day). A region
    with no value on any day is not drawn either, nor is one ``absent`` marks (region,
    material): no demand in any sample, whose shortfall is 0 for want of demand; its note
    says ``none (no demand)``. The legend lists only what some panel draws. A region with nothing
    to draw in any panel gets no row of empty frames (unless no region has anything to draw): the
    legend names it, ``Japan: band, median and as written 0 throughout in every panel (not drawn)``
    (or ``none (no demand) in every panel``).

    ``short`` (a shortfall's chart: bool, sample x region x material, :func:`short_samples`) says which samples are
    short of each material on some day. Where a panel's band is 0 every day but some sample is short, the note
    says that it is the 5-95% band that is 0, and how many samples are short
    (``Japan: 5-95% band, median and as written 0 throughout; 1 of 100 samples short``): the 2010 replay's Japan,
    short of 171 t in one sample of 100, read "0 throughout". A region not drawn says it in the legend, its count
    that of the samples short of some material (``Japan: 5-95% band, median and as written 0 throughout; 1 of 100
    samples short``, without "in every panel (not drawn)": its row is missing).

    With ``clip`` (days of cover, whose 95th percentile spikes where demand nearly stops),
    a panel whose band goes past :func:`fan_top` is cut there: triangles on the top edge
    mark where, and the note gives how high the band goes (in ``unit``).

    ``triggers`` (material -> days) draws the agreement's release trigger as the run's
    days-of-cover figure does, on the same materials' panels (:func:`simulator.plots.trigger_lines`,
    drawn by :func:`~simulator.plots.draw_trigger_line`). Where the samples draw the trigger from a range
    (``trigger_range``, days: :func:`simulator.sensitivity.intervals.sampled_trigger_days`), a light band in its
    colour spans that range on those panels, named in the legend (:func:`_trigger_band`): the line alone read as a
    trigger the same in every sample. The x axis runs to the end of the horizon,
    its last tick the day after the last day, as in the run's figures.

    ``as_run``: how the legend and notes name the scenario's own run (``scenario as written``);
    a report run with ``--set`` passes :func:`simulator.names.run_words`'s "as changed for this run".
    """
    names = names or Names()
    horizon = own.shape[0]
    flat = {r: why for r in range(len(regions)) if (why := _flat_region(bands, own, r, absent, as_run, short, runs))}
    drawn = [r for r in range(len(regions)) if r not in flat] or list(range(len(regions)))
    cols = len(materials) if columns is None else max(1, min(len(materials), columns))
    blocks = -(-len(materials) // cols)
    width = grid_width_in(len(materials), columns, width_in)
    panel_in = panel_width_in(width, cols)  # once finish_figure has set the margins
    row_in = 2.6 if width_in is None else 2.2
    fig = Figure(figsize=(width, row_in * len(drawn) * blocks + 1.2))
    grid = np.atleast_2d(fig.subplots(len(drawn) * blocks, cols, squeeze=False))
    used: list[Axes] = []
    days = np.arange(horizon)
    shown: dict[tuple[int, int], tuple[str, Any]] = {}  # (region, kind) -> legend entry, for what is drawn
    cut = False
    cut_marks: list[Line2D] = []  # the triangles on cut panels' top edges, kept inside their panels once laid out
    pending: list[tuple[Axes, list[str]]] = []  # each panel's notes, placed once the panels' sizes are set
    for row, r in enumerate(drawn):
        region = regions[r]
        colour = region_colour(r)
        name = _text(names.region(region))
        for m, material in enumerate(materials):
            block, col = divmod(m, cols)
            ax = grid[row * blocks + block, col]
            used.append(ax)
            _fan_titles(ax, _text(names.material(material)), name, colour, panel_in)
            ax.set_ylabel(ylabel)
            notes = []
            low, mid, high, mine = (a[:, r, m] for a in (bands["p5"], bands["p50"], bands["p95"], own))
            top = fan_top(np.concatenate([mid, mine]), high) if clip else None
            _days_axis(ax, start, horizon)
            values = np.concatenate([high, mid, mine])
            if not np.isfinite(values).any() or (absent is not None and absent[r, m]):
                notes.append(f"{name}: none (no demand)")
                ax.set_ylim(bottom=0)
                pending.append((ax, notes))
                continue
            band = bool(np.nanmax(np.abs(high), initial=0) > 0 or np.nanmax(np.abs(low), initial=0) > 0)
            median = bool(np.nanmax(np.abs(mid), initial=0) > 0)
            written = bool(np.nanmax(np.abs(mine), initial=0) > 0)
            patch = None
            if band:
                patch = ax.fill_between(days, low, high, color=colour, alpha=0.18, lw=0)
                for edge in (low, high):  # the light fill alone is 1.3:1 on white, and the shortfall's only data
                    if np.nanmax(np.abs(edge), initial=0) > 0:  # an edge at 0 every day would lie on the axis
                        ax.plot(days, edge, color=colour, lw=BAND_EDGE_PT)
            if median:
                (line,) = ax.plot(days, mid, color=colour, lw=1.6)
                shown.setdefault((r, 0), (f"{name}: median, 5-95%", line if patch is None else (patch, line)))
            elif band:
                shown.setdefault((r, 0), (f"{name}: 5-95% (median 0 throughout)", patch))
            if written:
                (dashed,) = ax.plot(days, mine, color=colour, lw=1.0, ls="--")
                shown.setdefault((r, 1), (f"{name}: scenario {as_run}", dashed))
            zero = [w for w, drawn in (("median", median), (run_noun(as_run), written)) if not drawn]
            hidden = 0 if short is None or band else int(np.count_nonzero(short[:, r, m]))
            if hidden:  # a band of 0 is no sample's shortfall: some are short, fewer than 5%
                zero = ["5-95% band", *zero]
                notes.append(f"{name}: {join_words(zero)} 0 throughout; {_short_of(hidden, runs)}")
            elif not band and len(zero) == 2:
                notes.append(f"{name}: band, median and {run_noun(as_run)} 0 throughout")
            elif zero:
                notes.append(f"{name}: {' and '.join(zero)} 0 throughout")
            if top is not None and (past := high > top).any():
                peaks = [int(run[np.argmax(high[run])]) for run in _runs(past)]
                cut_marks.append(_cut_mark(ax, peaks, top, colour))
                cut = True
                notes.append(f"{name}: band up to {_amount(float(np.nanmax(high)), unit)}, cut at the top")
            if top is None:
                ax.set_ylim(bottom=0)
            else:
                ax.set_ylim(0, top)
            if triggers and material in triggers:
                if trigger_range is not None:  # before the line: its label's spot is chosen among the curves alone
                    _trigger_band(ax, trigger_range, as_run)
                draw_trigger_line(ax, float(triggers[material]))
                if top is None:
                    reach_days = max([float(triggers[material]), *(trigger_range or ())])
                    ax.set_ylim(0, max(ax.get_ylim()[1], 1.15 * reach_days))
            pending.append((ax, notes))
    for ax in grid.flat:
        if not any(ax is u for u in used):
            ax.set_visible(False)
    entries = [shown[key] for key in sorted(shown)]
    if len(drawn) < len(regions):
        entries += [(f"{_text(names.region(regions[r]))}: {why}", _NOTHING) for r, why in flat.items()]
    if cut:
        mark = Line2D([], [], ls="", marker="^", color="white", mec=WHISKER_INK, ms=CUT_MARK_PT, mew=CUT_MARK_EDGE_PT)
        entries.append(("5-95% band past the top of the axis, cut there", mark))
    finish_figure(
        fig,
        used,
        f"{title}: {runs:,} samples of the uncertain inputs",
        *grid.shape,
        lead=[(handle, label) for label, handle in entries],
    )
    for marks in cut_marks:
        _keep_inside_sideways(marks)
    for ax, notes in pending:
        _note(fig, ax, notes, panel_in)
    return fig


TRIGGER_BAND_ALPHA = 0.12
"""Opacity of the band over the days the release trigger is sampled from (:func:`_trigger_band`), in the trigger's
colour: under the regions' bands (0.18), which it shows through."""


def trigger_band_words(trigger_range: tuple[float, float], as_run: str = AS_WRITTEN) -> str:
    """The legend's words for the band over the sampled release trigger (:func:`_trigger_band`), days.

    >>> trigger_band_words((5.0, 30.0))
    'release trigger as sampled: 5 to 30 days (the dotted line: its value as written)'
    """
    low, high = trigger_range
    return f"release trigger as sampled: {low:g} to {high:g} days (the dotted line: its value {as_run})"


def _trigger_band(ax: Axes, trigger_range: tuple[float, float], as_run: str) -> None:
    """A light band across ``ax`` from the lowest to the highest release trigger the samples draw from, days.

    The trigger is an uncertain input (``agreement.trigger.commercial_days_below`` in the scenario's
    ``uncertain:`` block, 5 to 30 days in ``embargo_2010``): each sample has its own, and the dotted line
    (:func:`~simulator.plots.draw_trigger_line`) is only the run's. Named in the legend
    (:func:`trigger_band_words`).
    """
    from simulator.palette import TRIGGER_COLOUR

    low, high = trigger_range
    ax.axhspan(
        low,
        high,
        color=TRIGGER_COLOUR,
        alpha=TRIGGER_BAND_ALPHA,
        lw=0,
        zorder=0.8,
        label=trigger_band_words(trigger_range, as_run),
    )


CUT_MARK_PT = 6.0
"""Size of the triangle that marks where a fan chart's band is cut at the top (points, as Matplotlib's ``ms``)."""
CUT_MARK_EDGE_PT = 1.0
"""Width of that triangle's outline, points."""
_CUT_MARK_HALF_PT = (CUT_MARK_PT + CUT_MARK_EDGE_PT) / 2
"""From a cut mark's centre to the outer edge of its outline, points: how far it stays from the panel's edges."""


def _cut_mark(ax: Axes, days: list[int], top: float, colour: str) -> Line2D:
    """Triangles under the top edge of ``ax`` at ``days``, where the band goes past ``top``, the axis's end.

    Each is drawn :data:`_CUT_MARK_HALF_PT` below ``top`` (its data stays ``top``), so that its tip and
    outline touch the edge from inside: centred on the edge, its upper half lay above the panel, over the
    titles. :func:`_keep_inside_sideways` moves one on a panel's first or last days inside, once laid out.
    """
    from matplotlib.transforms import offset_copy

    below = offset_copy(ax.transData, fig=ax.figure, y=-_CUT_MARK_HALF_PT, units="points")
    (marks,) = ax.plot(
        days,
        [top] * len(days),
        "^",
        color=colour,
        mec=WHISKER_INK,
        ms=CUT_MARK_PT,
        mew=CUT_MARK_EDGE_PT,
        clip_on=False,
        zorder=5,
        transform=below,
    )
    return marks


def _keep_inside_sideways(marks: Line2D) -> None:
    """Moves the cut marks ``marks`` that would cross their panel's left or right edge just inside it.

    A band cut on the horizon's last day (the 2010 replay's EU heavy rare earths) put half its triangle
    past the panel's right edge. The panel's width in points is known once :func:`finish_figure` has set
    the margins; a mark moves by at most :data:`_CUT_MARK_HALF_PT` (3.5 points: about 8 days of a
    two-year panel in the PNG, 14 in the report's narrower one).
    """
    ax = marks.axes
    width_pt = ax.get_position().width * ax.figure.get_figwidth() * 72
    first, last = ax.get_xlim()
    margin_days = _CUT_MARK_HALF_PT * (last - first) / width_pt
    days = np.asarray(marks.get_xdata(), float)
    marks.set_xdata(np.clip(days, first + margin_days, last - margin_days))


REGION_TITLE_PT = 10
"""Type size of the region's name above a fan chart's panel (bold, at its left)."""
TITLES_GAP_IN = 0.1
"""Least room between the region's name and the material's title above a panel."""


def _fan_titles(ax: Axes, material: str, region: str, colour: str, panel_in: float) -> None:
    """The material as a panel's title (centred, as the run's figures title it), the region at its left in its colour.

    A long region's name (``United States``) would run into a centred title in a panel
    ``panel_in`` inches wide (a report's 2.6): the title then goes to the right edge, set
    smaller if even there the two would meet. It stays the panel's title
    (``ax.get_title()``), aligned right.
    """
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties

    ax.set_title(region, loc="left", fontsize=REGION_TITLE_PT, fontweight="bold", color=colour)
    left = text_width_in([region], REGION_TITLE_PT, weight="bold") + TITLES_GAP_IN
    size = mpl.rcParams["axes.titlesize"]
    wide = text_width_in([material], size)
    if (panel_in - wide) / 2 >= left:
        ax.set_title(material)  # the material as the run's figures title it
        return
    if left + wide > panel_in:  # smaller, down to the legend's size
        pt = FontProperties(size=size).get_size_in_points()
        size = max(LEGEND_PT, pt * (panel_in - left) / wide)
    ax.set_title(material, fontsize=size)
    ax.title.set_x(1.0)
    ax.title.set_horizontalalignment("right")


_NOTHING = Line2D([], [], ls="")
"""A legend handle that draws nothing: the entry is a sentence."""


def _flat_region(
    bands: dict[str, np.ndarray],
    own: np.ndarray,
    r: int,
    absent: np.ndarray | None,
    as_run: str = AS_WRITTEN,
    short: np.ndarray | None = None,
    runs: int = 0,
) -> str | None:
    """Why every panel of region ``r`` would be empty, as the legend says it, or None when one has a curve.

    A panel is empty where the band, median and as-written curve are 0 every day, or where there
    is no value on any day or ``absent`` marks the material (no demand). Where ``short`` (:func:`fan_figure`)
    has samples short of some material, the words say that the band is the 5-95% one and how many of the
    ``runs`` samples are short.
    """
    curves = np.stack([bands["p5"][:, r], bands["p50"][:, r], bands["p95"][:, r], own[:, r]])  # (curve, day, material)
    none = ~np.isfinite(curves).any(axis=(0, 1))
    if absent is not None:
        none |= absent[r]
    zero = ~(np.abs(np.nan_to_num(curves)) > 0).any(axis=(0, 1)) & ~none
    if not (none | zero).all():
        return None
    if none.all():
        return "none (no demand) in every panel (not drawn)"
    hidden = 0 if short is None else int(np.count_nonzero(short[:, r, :].any(axis=1)))
    if hidden and zero.all():  # "in every panel (not drawn)" left out: one row of the legend with the others, as
        # before (two rows shortened the 2010 replay's panels, and their notes went over the band)
        return f"5-95% band, median and {run_noun(as_run)} 0 throughout; {_short_of(hidden, runs)}"
    if zero.all():
        return f"band, median and {run_noun(as_run)} 0 throughout in every panel (not drawn)"
    if hidden:
        return (
            f"5-95% band, median and {run_noun(as_run)} 0 throughout, or no demand, in every panel (not drawn); "
            f"{_short_of(hidden, runs)}"
        )
    return f"band, median and {run_noun(as_run)} 0 throughout, or no demand, in every panel (not drawn)"


def _short_of(count: int, runs: int) -> str:
    """How many of the ``runs`` samples are short, where the 5-95% band says 0.

    >>> _short_of(1, 100), _short_of(4, 100)
    ('1 of 100 samples short', '4 of 100 samples short')
    """
    return f"{count:,} of {runs:,} samples short"


def short_samples(samples: pd.DataFrame, regions: list[str], materials: list[str]) -> np.ndarray | None:
    """Whether each sample is short of each material at all (sample x region x material), for :func:`fan_figure`.

    From the samples table's ``shortfall_t.<region>.<material>`` (:func:`~simulator.shortages.shortfall_column`, a
    sample's shortfall over the run), short as :func:`~simulator.shortages.short` says: above
    :data:`~simulator.shortages.SHORT_ABOVE_T`, so a residue (1e-13 t) is none, as is an empty cell. None where a
    column is missing.

    >>> t = pd.DataFrame({"shortfall_t.jp.a": [0.0, 171.4, np.nan], "shortfall_t.eu.a": [0.0022, 0.0, 1e-13]})
    >>> short_samples(t, ["jp", "eu"], ["a"])[:, :, 0].tolist()
    [[False, True], [True, False], [False, False]]
    >>> short_samples(t, ["jp", "eu"], ["a", "b"]) is None
    True
    """
    columns = [shortages.shortfall_column(r, m) for r in regions for m in materials]
    if not all(c in samples for c in columns):
        return None
    return shortages.short(samples[columns]).reshape(len(samples), len(regions), len(materials))


NOTE_BOX_IN = 0.35
"""Width a note's box takes beyond its text as measured (:func:`~simulator.plots.text_width_in`): its padding
(0.11 inch) and its gap to the frame on both sides (0.14), and the 3% wider text Agg sets in the PNGs."""


def _note(fig: Figure, ax: Axes, notes: list[str], panel_in: float) -> None:
    """``notes`` in a box in ``ax``, clear of its band, lines and marks (a legend without entries).

    Call once the figure's margins are set (:func:`finish_figure`). The notes are broken into
    lines as wide as the panel allows (``South Korea: median and as written 0 throughout`` in a
    report's panel of 2.6 inches), or narrower (:data:`NOTE_SHARES`). The box goes where
    :func:`simulator.plots.note_place` finds room, :data:`NOTE_GAP_PT` clear of the frame
    and of what is drawn, the band included (Matplotlib's "best" weighs a band's corners only:
    in the 2010 replay's heavy rare earths the note sat on it): as high as it can at the panel's
    left, right or middle, of the widths the widest at that height; else as low as it can;
    where none has room, "best".
    """
    if not notes:
        return
    room_in = panel_in - NOTE_BOX_IN
    tries = []
    for share in NOTE_SHARES:
        lines = [line for note in notes for line in label_lines(note, NOTE_PT, share * room_in)]
        box = _note_box(ax, lines, loc="upper left", bbox_to_anchor=(0.0, 1.0), borderaxespad=0.0)
        box_wide, tall = _box_size(fig, ax, box)
        box.remove()
        tries.append((lines, box_wide, tall))
    frame = axes_fraction(fig, ax, 1.0)  # a panel's width per inch
    margin = tries[0][1] - frame * drawn_width_in(tries[0][0], NOTE_PT)  # the box's width beyond its text's
    inset = axes_fraction(fig, ax, NOTE_GAP_PT / 72)
    pad = axes_fraction(fig, ax, NOTE_GAP_PT / 72, vertical=True)
    drawn, bands = Drawn(fig, ax), _band_points(ax)  # measured once for every place tried

    def under(left: float, text_wide: float) -> list[tuple[float, float]]:
        """What is drawn under a box from ``left`` around a text ``text_wide`` wide (axes fraction)."""
        right = left + text_wide + margin
        return [*sliced_heights(drawn, left, right), *_band_heights(bands, left, right)]

    place = None
    for downward in (True, False):
        place = note_place(
            fig,
            ax,
            [(lines, 1 - 2 * inset - margin, tall) for lines, _, tall in tries],
            lambda text_wide: (
                inset,
                1 - inset - text_wide - margin,
                (1 - text_wide - margin) / 2,
            ),  # left, right, middle
            under,
            pad=pad,
            downward=downward,
            pt=NOTE_PT,
        )
        if place is not None:
            break
    if place is None:  # a band as high as the panel everywhere: the corner Matplotlib finds freest
        _note_box(ax, tries[0][0], loc="best")
    else:
        bottom, left, _, lines = place
        _note_box(ax, lines, loc="lower left", bbox_to_anchor=(left, bottom), borderaxespad=0.0)


NOTE_SHARES = (1.0, 0.6, 0.4)
"""Widths a fan panel's note may be broken to (:func:`_note`), as shares of the room a panel gives it: the widest
first, fewest lines."""
NOTE_GAP_PT = 4
"""Room a fan panel's note keeps from the frame and from what is drawn (:func:`_note`), points."""


def _note_box(ax: Axes, lines: list[str], **where: Any) -> Any:
    """The box of a fan panel's note: its ``lines`` as a legend's title, placed by ``where`` (``loc``, anchor, pad)."""
    box = ax.legend(
        [],
        [],
        title="\n".join(lines),
        title_fontsize=NOTE_PT,
        alignment="left",
        framealpha=0.85,
        edgecolor="#cccccc",
        **where,
    )
    box.get_title().set_color(WHISKER_INK)
    box.set_zorder(6)
    return box


def _box_size(fig: Figure, ax: Axes, box: Any) -> tuple[float, float]:
    """Width and height of a note's ``box`` in ``ax`` (axes fraction), as Agg draws it."""
    renderer = agg_renderer(fig)
    drawn, frame = box.get_window_extent(renderer), ax.get_window_extent(renderer)
    return drawn.width / frame.width, drawn.height / frame.height


def _band_points(ax: Axes) -> list[np.ndarray]:
    """The outline of each band ``ax`` fills, in axes fraction, its points without a value left out: measured once."""
    to_axes = ax.transAxes.inverted()
    points = []
    for band in ax.collections:
        for path in band.get_paths():
            xy = to_axes.transform(band.get_transform().transform(path.vertices))
            points.append(xy[np.isfinite(xy).all(axis=1)])
    return points


def _band_heights(bands: list[np.ndarray], x0: float, x1: float) -> list[tuple[float, float]]:
    """Heights (low, high; axes fraction) of the ``bands`` (:func:`_band_points`) between ``x0`` and ``x1``."""
    heights = []
    for xy in bands:
        inside = xy[(xy[:, 0] >= x0) & (xy[:, 0] <= x1)]
        if len(inside):
            heights.append((float(inside[:, 1].min()), float(inside[:, 1].max())))
    return heights
