"""Figures of a sweep table, redrawn at any time from ``sweep.parquet`` and ``sweep.json``.

Layer: studies.

- one swept parameter: each key metric against it, median line and 5-95% band across
  runs (``sweep_metrics.png``); dates on a time axis; values without a scale (a rule's
  name) in the grid's order, each a dot with a 5-95% bar, nothing drawn between them;
- two swept parameters: a heatmap of each key metric's median over the runs
  (``sweep_heatmap.png``), categories in the grid's order;
- two or more members sharing stock: the efficiency-fairness frontier
  (``sweep_frontier.png``): one point per grid point, the median over its runs of total
  shortfall against the median of Jain's fairness index, Pareto-efficient points marked,
  each point labelled with its value on every swept axis;
- a swept ``agreement.pool...`` path: the cost frontier (``sweep_pool_frontier.png``),
  median holding cost of the strategic stock against median total shortfall; where the scenario
  sets no holding cost, what buying each point's joint pool costs (:func:`pool_axis`).

A frontier compares choices (:mod:`simulator.sweep.choices`: what the club or a member
decides) under the same conditions (a shock, demand, a market): a point is efficient or
dominated only among the points of its combination of swept conditions (those with two or
more values, told apart by value), each combination drawn in its own colour with its own
line and named in a legend. A grid that sweeps no choice has no frontier (:func:`sweep_notes`
says why).

The metrics figure and the heatmap summarise fairness over the runs in which some member
is short (Jain's index of 1 where no one is short is a convention,
:func:`~simulator.metrics.fairness_when_short`): a point without such a run shows ``none short``. The
frontier keeps every run, so that a point whose median run has no shortfall sits at
(0, 1) beside the others. Where the sweep's tonnes may not be added and the members are short of
one material alone (over the whole table), the three read that material's own index and name it
(:func:`fairness_material`); short of several, the index over all materials and a note (:func:`fairness_notes`).

Panels are titled with the quantity registry's label and unit, swept axes with the
scenario schema's unit (:func:`~simulator.sweep.columns.axis_title`); the fairness axis spans
its whole range, from 1/n (one member bears all) to 1. A panel whose plotted statistic
(the median of a heatmap, the median and band of the runs) is the same at every point
says so in words, and a figure in which no panel would tell the points apart is not
drawn, nor any figure of a grid of one point (a lone dot, a one-colour square):
:func:`sweep_notes` says why; :func:`unchanged_notes` which swept parameters changed no output at all.
A frontier's labels stay inside its axes, each beside its own dot; points of one condition
group, all efficient or all dominated, drawn on the same spot share one label; a leader line
back to a label's dot runs through no other label. Dominated dots are hollow.

Names and values from the sweep (paths, swept strings, ids) are shown as plain text:
a ``$`` in them never starts Matplotlib's mathtext.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from simulator.errors import InputError, Problem
from simulator.forked import run_shared
from simulator.frames import quantity_of
from simulator.json_text import NestedTooDeeply, read_json
from simulator.metrics import fairness_when_short, runs_short
from simulator.names import Names, index_text, join_words, number_text, plural
from simulator.output_folder import open_folder
from simulator.quantities import FAIRNESS_OF
from simulator.scenario.overrides import within
from simulator.scenario.schema import FIRST_DATE, LAST_DATE
from simulator.scenario.tonnes import SHORTFALL_ADDS
from simulator.shortages import short_of as some_short_of
from simulator.sweep.checkpoints import ROW_KEYS
from simulator.sweep.choices import choice_paths, condition_paths
from simulator.sweep.columns import axis_title, metric_title

if TYPE_CHECKING:  # Matplotlib is imported only to draw: a sweep whose figures are not drawn never loads it
    from matplotlib.figure import Figure

BAND = "#9dbbe0"
LINE = "#1f5fa6"
FIGURE_FILES = ("sweep_metrics.png", "sweep_heatmap.png", "sweep_frontier.png", "sweep_pool_frontier.png")


def _new_figure(figsize: tuple[float, float]) -> Figure:
    """A Matplotlib figure (imported here: only a sweep that draws loads Matplotlib)."""
    from matplotlib.figure import Figure

    return Figure(figsize=figsize)


def _margins(fig: Figure, rows: int, cols: int, **inches: float) -> None:
    """:func:`simulator.plots.fixed_margins`, imported to draw (it loads Matplotlib)."""
    from simulator.plots import fixed_margins

    fixed_margins(fig, rows, cols, **inches)


def _text(value: Any) -> str:
    """:func:`simulator.plots.plain_text` (no mathtext), imported to draw (it loads Matplotlib)."""
    from simulator.plots import plain_text

    return plain_text(value)


FAIRNESS = "fairness_jain"
TOTAL = "total_shortfall_t"
LABEL_ALL_UP_TO = 30
"""Frontier points labelled when there are at most this many (else only efficient ones)."""
LEADER_LINES_UP_TO = 30
"""Frontier labels that may sit away from their dot, a leader line back to it, when there are at most this many.

Where more are wanted, a label with no free place beside its dot is left out: 300 efficient
points drew some 150 labels over one another, and leader lines from all over the panel.
"""


def _panel_grid(panels: int) -> tuple[int, int]:
    """Rows and columns for ``panels`` panels: up to three a row, four as two by two.

    Four is the key metrics of a pair of members: two by two leaves no row with a lone
    panel beside empty space.

    >>> [_panel_grid(n) for n in (1, 2, 3, 4, 5, 7)]
    [(1, 1), (1, 2), (1, 3), (2, 2), (2, 3), (3, 3)]
    """
    cols = 2 if panels == 4 else min(3, panels)
    return -(-panels // cols), cols


def _members(info: dict[str, Any]) -> list[str]:
    """``sweep.json``'s ``members``: every region a member at some grid point (the choices are theirs)."""
    return list(info.get("members", []))


MembersByPoint = dict[int, list[str]]
"""Each grid point's members of the agreement, by the table's ``point``."""


def point_members(info: dict[str, Any]) -> MembersByPoint | None:
    """Each grid point's own members (``sweep.json``'s ``members_by_point``), or None: every point's are ``members``.

    A sweep records them where the grid changes who is a member; a ``sweep.json`` without them (no such
    axis, or written before they were recorded) is read as every point's members being ``members``.

    >>> point_members({"members": ["japan", "eu"], "members_by_point": [["japan"], ["japan", "eu"]]})
    {0: ['japan'], 1: ['japan', 'eu']}
    >>> point_members({"members": ["japan", "eu"]}) is None
    True
    """
    listed = info.get("members_by_point")
    return None if listed is None else {point: list(members) for point, members in enumerate(listed)}


def _rows_by_club(table: pd.DataFrame, by_point: MembersByPoint) -> list[tuple[list[str], np.ndarray]]:
    """The rows of ``table`` (a mask each) grouped by the members of their grid point (a point not listed: none)."""
    clubs: dict[tuple[str, ...], list[int]] = {}
    for point in pd.unique(table["point"]):
        clubs.setdefault(tuple(by_point.get(int(point), [])), []).append(int(point))
    return [(list(club), table["point"].isin(points).to_numpy()) for club, points in clubs.items()]


FairnessShown = tuple[pd.DataFrame, bool]
"""A table with ``fairness_jain`` as the metrics figure and the heatmap summarise it, and whether it could tell which
runs have a member short (:func:`fairness_at_points`)."""


def fairness_at_points(
    table: pd.DataFrame, members: list[str] | None, by_point: MembersByPoint | None = None
) -> FairnessShown:
    """:func:`~simulator.metrics.fairness_when_short` over each run's point's members (``by_point``), else ``members``.

    A run counts where one of its point's members is short: a region short where it is not a member has no share of
    the club's burden. A point with no member has none short. Whether it could tell: as
    :func:`~simulator.metrics.runs_short` tells for each point's members (a missing share column: it cannot).
    """
    if by_point is None:
        return fairness_when_short(table, members)
    if FAIRNESS not in table:
        return table, False
    short = np.zeros(len(table), dtype=bool)
    for club, rows in _rows_by_club(table, by_point):
        if not club:
            continue
        found = runs_short(table[rows], club)
        if found is None:
            return table, False
        short[rows] = found
    return table.assign(**{FAIRNESS: table[FAIRNESS].where(short)}), True


def _rounded(values: Any) -> np.ndarray:
    """Values rounded to 9 decimals: arithmetic noise is not a change."""
    return np.round(np.asarray(values, float), 9)


def is_flat(values: Any) -> bool:
    """Whether every value is the same (NaN equal to NaN; 9 decimals).

    >>> is_flat([0.0, 0.0, 1e-12]), is_flat([0.0, 1.0])
    (True, False)
    """
    rounded = _rounded(values)
    missing = np.isnan(rounded)
    return bool(len(np.unique(rounded[~missing])) <= 1 and (missing.all() or not missing.any()))


SHARE_UNITS = ("fraction", "index")
"""Units of metrics from 0 to 1 (Jain's index, shares): written by :func:`share_text`, not rounded to 3 digits."""


def share_text(value: float) -> str:
    """A share or an index from 0 to 1 in 3 decimals, up to 4 where 3 would read 0 or 1 and the value is neither.

    Jain's index of 1 means equal burdens (or no one short): 0.9996 is not that, nor 0.0004
    no share. Trailing zeros are dropped. Closer to 1 or 0 than 4 decimals show, it reads
    ``above 0.9999`` or ``below 0.0001`` (:func:`~simulator.names.index_text`).

    >>> share_text(0.9996), share_text(0.92145), share_text(0.5), share_text(1.0), share_text(0.00004)
    ('0.9996', '0.921', '0.5', '1', 'below 0.0001')
    """
    return index_text(value).rstrip("0").rstrip(".")


def _shown(value: Any, metric: str) -> str:
    """A panel's statistic of ``metric`` in words; ``empty`` for NaN.

    Tonnes as ``stockpile run --uncertainty`` prints numbers (:func:`~simulator.names.number_text`),
    an index or a share (:data:`SHARE_UNITS`) by :func:`share_text`, never rounded up to 1.

    >>> _shown(197.423, TOTAL), _shown(75.8662, TOTAL), _shown(1784.72, TOTAL), _shown(0.5, TOTAL)
    ('197', '75.9', '1,785', '0.5')
    >>> _shown(0.9996, FAIRNESS), _shown(float("nan"), FAIRNESS)
    ('0.9996', 'empty')
    """
    if pd.isna(value):
        return "empty"
    quantity = quantity_of(metric)
    return share_text(float(value)) if quantity and quantity.unit in SHARE_UNITS else number_text(float(value))


def _short_runs(table: pd.DataFrame, metric: str) -> str:
    """``; short in 245 of 1,250 runs`` for a shortfall metric some of whose runs are short, else ``""``.

    What a panel saying ``median 0 at every point`` adds: that statistic hides the runs that are short.
    """
    if metric != TOTAL and not metric.startswith("shortfall_t."):
        return ""
    short = int((table[metric] > 0).sum())
    return f"; short in {short:,} of {len(table):,} runs" if short else ""  # a panel has two rows or more


def fairness_title(material: str | None) -> str:
    """The fairness figures' name for Jain's index: over all materials (None), or of one ``material`` (its id).

    The material is named as inside a sentence (:meth:`~simulator.names.Names.material_text`), by the name
    the figures' other titles give it (:func:`~simulator.sweep.columns.metric_title`: a scenario's own
    labels are not in ``sweep.json``), not by its id.

    >>> fairness_title(None), fairness_title("gallium"), fairness_title("light_ree")
    ("Fairness (Jain's index)", "Fairness of gallium (Jain's index)", "Fairness of light rare earths (Jain's index)")
    """
    if material is None:
        return metric_title(FAIRNESS)
    return f"Fairness of {Names().material_text(material)} (Jain's index)"


def _title(metric: str, fairness_of: str | None = None) -> str:
    """``metric``'s panel title; fairness as :func:`fairness_title` of ``fairness_of`` (None: over all materials)."""
    return fairness_title(fairness_of) if metric == FAIRNESS else metric_title(metric)


def _flat_text(table: pd.DataFrame, metric: str, fairness_of: str | None = None) -> str:
    return f"{_title(metric, fairness_of)}: {_shown(table[metric].iloc[0], metric)} at every point"


QUANTILES = (0.05, 0.5, 0.95)
"""What the metrics figure draws per point: the 5-95% band of the runs and their median."""


def flat_panel(table: pd.DataFrame, metric: str, by: list[str], fairness_of: str | None = None) -> str | None:
    """The sentence a panel shows instead of a plot when what it plots is the same at every point, else None.

    A panel plots a statistic of each point's runs, the points grouped by the swept paths
    ``by``: with two paths (a heatmap) their median, with one the median and the 5-95% band.
    Runs that differ within a point do not make a panel vary when every point has the
    same statistic: the sentence gives it. A single point, or a single run, is drawn.
    Fairness emptied where no member is short (:func:`~simulator.metrics.fairness_when_short`) and empty in
    every run says that no run has a burden to share. ``fairness_of``: the material whose own index
    ``fairness_jain`` holds (:func:`fairness_material`), named in the sentence; None: over all materials.
    """
    if len(table) < 2:
        return None
    if metric == FAIRNESS and table[metric].isna().all():
        return f"{_title(metric, fairness_of)}: no run has a member short, so no burden to share"
    if is_flat(table[metric]):
        return _flat_text(table, metric, fairness_of)
    groups = table.groupby(by, sort=True)[metric]
    if groups.ngroups < 2:
        return None
    title = _title(metric, fairness_of)
    if len(by) == 2:
        medians = groups.median()
        if not is_flat(medians):
            return None
        hidden = _short_runs(table, metric) if medians.iloc[0] == 0 else ""
        return f"{title}: median {_shown(medians.iloc[0], metric)} at every point{hidden}"
    stats = groups.quantile(list(QUANTILES)).unstack()
    if not all(is_flat(stats[q]) for q in QUANTILES):
        return None
    low, mid, high = (_shown(stats[q].iloc[0], metric) for q in QUANTILES)
    hidden = _short_runs(table, metric) if stats[QUANTILES[-1]].iloc[0] == 0 else ""
    return f"{title}: median {mid} at every point (5-95% of runs: {low} to {high}){hidden}"


def _fairness_range(members: list[str]) -> tuple[float, float] | None:
    """The fairness axis from 1/n (one member bears all) to 1 (equal shares), with a little room."""
    if len(members) < 2:
        return None
    low = 1 / len(members)
    pad = 0.03 * (1 - low)
    return low - pad, 1 + pad


def _fairness_limits(ax: Any, members: list[str]) -> None:
    """Set a panel's y axis to :func:`_fairness_range`."""
    limits = _fairness_range(members)
    if limits is not None:
        ax.set_ylim(*limits)


def key_metrics(table: pd.DataFrame) -> list[str]:
    """Agreement-wide shortfall and fairness, then each region's shortfall."""
    regional = [c for c in table.columns if c.startswith("shortfall_t.") and c.count(".") == 1]
    return [c for c in ("total_shortfall_t", "fairness_jain") if c in table] + regional


NONE_SHORT = "none short"
"""What a heatmap cell or a metrics point shows for fairness where no run has a member short."""
NONE_SHORT_PT = 7
"""Size of that text, in points."""
NONE_SHORT_INK = "#555555"
"""Its colour."""
NONE_SHORT_STYLE = {"ha": "center", "va": "bottom", "rotation": 90, "fontsize": NONE_SHORT_PT, "color": NONE_SHORT_INK}
NONE_SHORT_LINE_IN = NONE_SHORT_PT * 1.3 / 72
"""Room one line of that text takes across its baseline, spacing included (inches): labels closer than this overlap."""
NONE_SHORT_BAND = "#eeeeee"
"""A metrics panel's band over neighbouring points with none short, where a label at each would overlap."""
FAIRNESS_WHEN_SHORT = "over runs with a member short"
"""How the fairness panels say which runs they summarise (:func:`simulator.metrics.fairness_when_short`)."""
FAIRNESS_OVER_ALL = "over all runs (1 where none is short)"
"""What they say instead when the table cannot tell which runs have a member short (no members, no share columns)."""


def fairness_over(applied: bool) -> str:
    """Which runs a fairness panel summarises: those with a member short, or all of them when that cannot be told."""
    return FAIRNESS_WHEN_SHORT if applied else FAIRNESS_OVER_ALL


def axis_kind(values: pd.Series) -> str:
    """How a swept path's values are placed on an axis: ``number``, ``date`` or ``category``.

    Numbers (not ``True``/``False``) and dates lie on a scale; anything else (a rule's
    name, ``True``/``False``, a list of shocks) is a category, which has no order but the
    grid's. Dates are a ``datetime64`` column, or ``datetime.date`` values (as tables
    written before dates were ``datetime64[ms]`` read back).

    >>> [axis_kind(pd.Series(v)) for v in ([60, 120], [dt.date(2010, 11, 20)], ["talmud", "auction"], [True])]
    ['number', 'date', 'category', 'category']
    """
    if pd.api.types.is_bool_dtype(values):
        return "category"
    if pd.api.types.is_numeric_dtype(values):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    present = values.dropna()
    if len(present) and all(isinstance(v, dt.date) for v in present):
        return "date"
    return "category"


def grid_order(values: pd.Series) -> list[Any]:
    """The distinct values in the order the grid gives them (first met), not sorted.

    >>> grid_order(pd.Series(["fair_ratio", "auction", "fair_ratio", "talmud"]))
    ['fair_ratio', 'auction', 'talmud']
    """
    return list(pd.unique(values))


def _in_grid_order(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its rows in grid order (by point), where a sweep table has them."""
    return table.sort_values("point", kind="stable") if "point" in table else table


def _heatmap_order(values: pd.Series) -> list[Any]:
    """A heatmap axis's values: numbers and dates sorted, categories in the grid's order."""
    distinct = grid_order(values)
    return distinct if axis_kind(values) == "category" else sorted(distinct)


def _dated(table: pd.DataFrame, paths: list[str]) -> pd.DataFrame:
    """``table`` with each swept path of dates as ``datetime64[ms]`` (an older table's ``datetime.date`` values too)."""
    old = [p for p in paths if p in table and axis_kind(table[p]) == "date" and table[p].dtype == object]
    from simulator.sweep import SWEPT_DATE_DTYPE

    return table.assign(**{p: pd.to_datetime(table[p]).astype(SWEPT_DATE_DTYPE) for p in old}) if old else table


def metrics_figure(
    table: pd.DataFrame,
    path: str,
    members: list[str] | None = None,
    by_point: MembersByPoint | None = None,
    fairness_of: str | None = None,
    shown: FairnessShown | None = None,
) -> Figure:
    """Each key metric against one swept parameter: median and 5-95% of the runs at each value.

    ``fairness_of``: the material whose own index ``fairness_jain`` holds (:func:`fairness_material`),
    named in the fairness panel's title; None: the index over all materials. ``shown``: :func:`fairness_at_points`
    of ``table``, ``members`` and ``by_point``, where the caller worked it out already (:func:`_draws`, to tell
    which panels are flat); None: worked out here.

    Numbers and dates lie on a scale (dates on a time axis, as far apart as they are): a
    line joins the medians and a band the 5-95% ranges. Categories (a rule's name) keep the
    grid's order and are drawn apart: a dot per median with a bar over the 5-95% range,
    nothing drawn between two categories.
    """
    metrics = key_metrics(table)
    rows, cols = _panel_grid(len(metrics))
    kind = axis_kind(table[path])
    one_run = table["run"].nunique() == 1  # each point one run: no 5-95% range to draw or name
    summarised, applied = shown if shown is not None else fairness_at_points(table, members, by_point)
    table = _in_grid_order(_dated(summarised, [path]))
    ordered = kind != "category"  # a scale is sorted; categories keep the grid's order
    stats = table.groupby(path, sort=ordered)[metrics].quantile(list(QUANTILES)).unstack()
    if kind == "category":
        labels: list[str] | None = [_label(v) for v in stats.index]
        x: Any = np.arange(len(stats.index), dtype=float)
    else:
        labels, x = None, stats.index.to_numpy()
    # tick labels at 30 degrees: categories' names, or dates as "20 Nov 2010"
    label_room = 0.55 if kind == "date" else 0.0 if labels is None else 0.05 * max(len(label) for label in labels)
    two_lines = 0.2 if FAIRNESS in metrics else 0.0  # the fairness panel's title says which runs it summarises
    legend_in = 0.3  # one row of legend under the title, above the panels: inside a panel it hid bars' tops
    width = 4.3 * cols
    from simulator.plots import panel_width_in, wrapped_title

    panel_in = panel_width_in(width, cols)
    sides = _category_sides_in(labels, panel_in) if labels is not None else {}
    # wider margins for long names widen the figure, not narrow its panels
    width += sides.get("left_in", PANEL_SIDES_IN["left_in"]) - PANEL_SIDES_IN["left_in"]
    width += (sides.get("col_gap_in", PANEL_SIDES_IN["col_gap_in"]) - PANEL_SIDES_IN["col_gap_in"]) * (cols - 1)
    xlabel = "\n".join(  # a long path: lines
        wrapped_title(_text(axis_title(path)), panel_in, char_in=AXIS_CHAR_IN, margin_in=0.0)
    )
    label_room += AXIS_LINE_IN * xlabel.count("\n")
    fig = _new_figure(figsize=(width, (3.2 + label_room) * rows + 0.6 + two_lines * rows + legend_in))
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).reshape(-1)
    _margins(
        fig,
        rows,
        cols,
        top_in=0.6 + two_lines + legend_in,
        bottom_in=0.6 + label_room,
        row_gap_in=0.85 + label_room + two_lines,
        **sides,
    )
    if labels is not None:
        labels = _every_fitting(labels, panel_in / len(labels))
    legend = None
    for ax, metric in zip(axes, metrics, strict=False):
        ax.set_title(
            _text(_title(metric, fairness_of)) + (f",\n{fairness_over(applied)}" if metric == FAIRNESS else ""),
            fontsize=10,
        )
        ax.set_xlabel(xlabel)
        flat = flat_panel(table, metric, [path], fairness_of)
        if flat:
            _sentence(ax, flat)
            continue
        low, mid, high = (stats[(metric, q)].to_numpy(float) for q in QUANTILES)
        if one_run:  # a band of one run is its median: no band to draw nor name
            low = high = mid
        if kind == "category":
            ax.errorbar(
                x,
                mid,
                yerr=np.vstack([mid - low, high - mid]),
                fmt="o",
                color=LINE,
                ecolor=BAND,
                elinewidth=4,
                ms=5,
                label="one run" if one_run else "median, bar 5-95% of runs",
            )
            ax.set_xlim(-0.5, len(x) - 0.5)
        else:
            if not one_run:
                ax.fill_between(x, low, high, color=BAND, alpha=0.7, lw=0, label="5-95% of runs")
            dots = _has_room_for_dots(x, panel_in)
            name = "one run" if one_run else "median"
            ax.plot(x, mid, color=LINE, marker="o" if dots else None, ms=MEDIAN_DOT_PT, lw=1.6, label=name)
            if not dots:  # a point between gaps (none short on either side) has no line: its dot alone
                lone = _lone(mid)
                ax.plot(x[lone], mid[lone], color=LINE, marker="o", ms=MEDIAN_DOT_PT, lw=0, label="_lone")
        if metric != FAIRNESS:  # tonnes, from zero: a difference of 0.7% does not fill the panel
            _from_zero(ax, high)
        if metric == FAIRNESS:
            _fairness_limits(ax, members or [])
            empty = np.flatnonzero(np.isnan(mid))  # no run short at these values: no burden to share
            if len(empty):
                ax.plot(x[empty], np.full(len(empty), 1.0), lw=0)  # their x on the axis, as in the other panels
                _none_short_points(ax, x, empty, fig.get_figwidth())
        legend = legend or ax
        ax.grid(True, color="#dddddd")
        if labels is not None:
            ax.set_xticks(x, [_text(label) for label in labels], rotation=CATEGORY_SLANT_DEG, ha="right")
        elif kind == "date":
            _time_axis(ax, x)
    for ax in axes[len(metrics) :]:
        ax.set_visible(False)
    if legend is not None:  # the same entries in every panel: once for the figure, where it covers no data
        height = fig.get_figheight()
        handles, names = legend.get_legend_handles_labels()
        fig.legend(
            handles,
            names,
            loc="upper center",
            bbox_to_anchor=(0.5, 1 - 0.4 / height),
            ncols=len(handles),
            fontsize=8,
            frameon=False,
        )
    _bold_title(fig, f"sweep of {_text(path)}: {plural(table['run'].nunique(), 'run')} per point")
    return fig


MEDIAN_DOT_PT = 3
"""Width of the dot at each point of a metrics panel's line, points."""
DATA_WIDTH_SHARE = 0.9
"""Share of a panel's width its data fill: Matplotlib's default margins leave 5% each side (``axes.xmargin``)."""


def _has_room_for_dots(x: np.ndarray, panel_in: float) -> bool:
    """Whether a dot at each of ``x`` (numbers or dates, ascending) stands apart from the next, at the median gap.

    Points closer than a dot's width (1,000 ratios in a panel 3.4 in wide: 0.25 pt apart)
    would pile their dots into a thick band over the line and the 5-95% band: the line alone
    is drawn there. Assumes the data fill :data:`DATA_WIDTH_SHARE` of the panel's width.
    """
    at = x.astype("datetime64[D]").astype(float) if np.issubdtype(x.dtype, np.datetime64) else x.astype(float)
    if len(at) < 2 or at[-1] == at[0]:
        return True
    apart_pt = float(np.median(np.diff(at))) / (at[-1] - at[0]) * DATA_WIDTH_SHARE * panel_in * 72
    return apart_pt >= MEDIAN_DOT_PT


def _lone(values: np.ndarray) -> np.ndarray:
    """Where ``values`` is a number with no number next to it (NaN or the end on both sides).

    >>> _lone(np.array([1.0, np.nan, 2.0, 3.0, np.nan, 4.0])).tolist()
    [True, False, False, False, False, True]
    """
    finite = np.isfinite(values)
    before = np.concatenate([[False], finite[:-1]])
    after = np.concatenate([finite[1:], [False]])
    return finite & ~before & ~after


CATEGORY_PT = 10
"""Size of a metrics panel's category names under the axis (Matplotlib's default tick labels), points."""
CATEGORY_SLANT_DEG = 30
"""Their slant: parallel lines, as far apart across their baseline as sin(30 deg), half the step between names."""
CATEGORY_LINE_IN = CATEGORY_PT / 72
"""Room one name takes across its baseline (one em: DejaVu Sans' tallest letter to its lowest descender)."""
CATEGORY_GAP_IN = 0.1
"""Least room left between a slanted name's left end and the canvas's edge or the panel on its left."""
PANEL_SIDES_IN = {"left_in": 0.75, "col_gap_in": 0.9}
"""The margin left of the first panel and the gap between panels (:func:`simulator.plots.fixed_margins`)."""


def _category_sides_in(labels: list[str], panel_in: float) -> dict[str, float]:
    """The left margin and the gap between panels, widened where the slanted names would need more (inches).

    A name is set right-aligned at its point and slanted: it reaches ``w cos 30 + h sin 30``
    left of it, and the ``i``-th point sits ``(i + 1/2)`` steps right of the panel's edge. What
    a name reaches beyond that edge must fit the margin, or the gap to the panel on the left,
    whose last name ends half a step left of its right edge. Names that fit the default
    margins keep them (so a figure of a few short names draws as before). The figure grows by what they
    add, so its panels keep their width ``panel_in``: a squeezed panel would crowd the names further.
    """
    step_in = panel_in / len(labels)
    shown = _every_fitting(labels, step_in)
    beyond_in = max((_reach_in(label) - (i + 0.5) * step_in for i, label in enumerate(shown) if label), default=0.0)
    sides = {
        "left_in": max(PANEL_SIDES_IN["left_in"], beyond_in + CATEGORY_GAP_IN),
        "col_gap_in": max(PANEL_SIDES_IN["col_gap_in"], beyond_in + step_in / 2 + CATEGORY_GAP_IN),
    }
    return {} if sides == PANEL_SIDES_IN else sides


def _reach_in(label: str) -> float:
    """How far left of its point a category name set slanted and right-aligned reaches (inches)."""
    from simulator.plots import text_width_in

    slant = np.deg2rad(CATEGORY_SLANT_DEG)
    return text_width_in([_text(label)], CATEGORY_PT) * np.cos(slant) + CATEGORY_LINE_IN * np.sin(slant)


def _every_fitting(labels: list[str], step_in: float) -> list[str]:
    """``labels``, every k-th kept and the others blank, the least k for which slanted names do not overlap.

    Names ``step_in`` apart at 30 degrees lie ``step_in / 2`` apart across their baselines:
    every release rule in a panel 3.4 in wide (0.15 in apart) fits; 40 long values in
    2.6 in (0.033 in) every fifth one.
    """
    every = _every_kth_clear(step_in, CATEGORY_PT, CATEGORY_SLANT_DEG)
    return [label if i % every == 0 else "" for i, label in enumerate(labels)]


def _every_kth_clear(step_in: float, name_pt: float, slant_deg: float) -> int:
    """The least k for which every k-th of names ``step_in`` apart along an axis do not overlap: k.

    Parallel names at ``slant_deg`` to their axis lie ``step_in sin(slant_deg)`` apart across
    their baselines (at 90 deg, flat down a y axis, ``step_in``); a name takes one em,
    ``name_pt / 72`` in, across its own: k = ceil(one em / (step_in sin slant)).
    """
    across_in = step_in * np.sin(np.deg2rad(slant_deg))
    return max(1, int(np.ceil(name_pt / 72 / across_in)))


ZERO_MARGIN = 0.05
"""Room below 0 and above the top of a tonnage axis drawn from zero, as a share of its top (Matplotlib's margin)."""


def _from_zero(ax: Any, values: Any) -> None:
    """A y axis of tonnes from 0 (a little below, so a dot at 0 is whole) to a little above the largest of ``values``.

    Autoscaled, an axis zooms on the values: 7,110 to 7,165 t filled the panel, and a 0.7%
    difference looked like a collapse. Values below 0 (none are, in tonnes) keep the autoscale.
    """
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]  # a point of infinite shortfall is left out of the figure, so of its axis
    top = float(finite.max()) if finite.size else 0.0
    low = ax.get_ylim()[0]
    if top > 0 and low >= 0:
        ax.set_ylim(-ZERO_MARGIN * top, (1 + ZERO_MARGIN) * top)


def _time_axis(ax: Any, dates: np.ndarray) -> None:
    """Dates on a time axis (each as far from the next as it is), labelled ``20 Nov 2010``.

    Ticks at the swept dates themselves when they are few (at most 6) and far enough apart
    for their labels (a sixth of the span at least); else where the calendar puts them.
    """
    from matplotlib.dates import AutoDateLocator, DateFormatter

    days = np.sort(dates.astype("datetime64[D]").astype(np.int64))
    apart = np.diff(days)
    if 1 < len(days) <= 6 and apart.min() * 6 >= days[-1] - days[0]:
        ax.set_xticks(np.sort(dates))
    else:
        ax.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=5))
    ax.xaxis.set_major_formatter(DateFormatter("%-d %b %Y"))
    ax.tick_params(axis="x", labelrotation=30)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")


def _sentence(ax: Any, text: str) -> None:
    """A panel that says in words what a flat line would show."""
    from simulator.plots import wrapped_lines

    lines = "\n".join(wrapped_lines(_text(text), 34))
    ax.text(0.5, 0.5, lines, ha="center", va="center", transform=ax.transAxes, fontsize=9)
    ax.set_xticks([])  # the panel plots nothing: ticks would show a scale of nothing
    ax.set_yticks([])


HEATMAP_SIDES_IN = {"left_in": 0.95, "right_in": 0.2, "bottom_in": 1.0, "row_gap_in": 1.4, "col_gap_in": 0.75}
"""A heatmap's margins and gaps between panels (inches), where its names fit them."""
HEATMAP_CELL_WIDTH_IN, HEATMAP_CELL_HEIGHT_IN = 4.6, 3.8
"""A heatmap panel's cell (inches): the panel with its share of :data:`HEATMAP_SIDES_IN` and its colour bar."""
HEATMAP_TITLE_IN = 0.6
"""The height a heatmap adds above its cells for its title's first line (inches)."""
HEATMAP_TOP_IN = 0.75
"""A heatmap's top margin (inches), its title's first line in it."""
CLEAR_IN = 0.1
"""Least room a heatmap leaves between an axis's names and the canvas's edge or a neighbouring panel's text."""


def heatmap_figure(
    table: pd.DataFrame,
    first: str,
    second: str,
    members: list[str] | None = None,
    by_point: MembersByPoint | None = None,
    fairness_of: str | None = None,
    shown: FairnessShown | None = None,
) -> Figure:
    """Median over its runs of each key metric at each point of a two-parameter grid.

    ``fairness_of``: the material whose own index ``fairness_jain`` holds (:func:`fairness_material`),
    named in the fairness panel's title; None: the index over all materials. ``shown``: as
    :func:`metrics_figure`'s.

    The median, as the frontier and the metrics figure give: one long run does not make a
    point's colour. Fairness is the median over the runs in which some member is short
    (:func:`~simulator.metrics.fairness_when_short`); a cell with no such run is grey and says ``none short``.

    Where an axis's names (long rule names, slanted mappings) would leave the canvas or run into a
    neighbouring panel's colour bar or title, the figure is made that much wider or taller at that
    margin or gap, its panels the same size: the names are measured as set, before the figure is drawn.
    """
    rows, cols = _panel_grid(len(key_metrics(table)))
    fig = _heatmap(table, first, second, members, rows, cols, by_point, fairness_of, shown)
    _heatmap_frame(fig, rows, cols, _heatmap_overlaps_in(fig), f"sweep of {_text(first)} x {_text(second)}")
    return fig


def _heatmap_frame(fig: Figure, rows: int, cols: int, more_in: dict[str, float], title: str) -> None:
    """Size ``fig`` around its panels and put its bold ``title`` on top.

    ``more_in``: how much wider each margin and gap is than at :data:`HEATMAP_SIDES_IN`
    (inches). A panel keeps its size whatever the margins: a cell of
    :data:`HEATMAP_CELL_WIDTH_IN` x :data:`HEATMAP_CELL_HEIGHT_IN` at :data:`HEATMAP_SIDES_IN`,
    and a long title's further lines (wrapped to the figure's width) add to the height above it.
    """
    from simulator.plots import TITLE_LINE_IN, wrapped_title

    width = HEATMAP_CELL_WIDTH_IN * cols + more_in["left_in"] + more_in["right_in"] + more_in["col_gap_in"] * (cols - 1)
    lines = "\n".join(wrapped_title(title, width, margin_in=0.4))
    more = TITLE_LINE_IN * lines.count("\n")  # a long pair of paths takes more lines, not the figure's edges
    cells_in = HEATMAP_CELL_HEIGHT_IN * rows + HEATMAP_TITLE_IN
    fig.set_size_inches(width, cells_in + more + more_in["bottom_in"] + more_in["row_gap_in"] * (rows - 1))
    sides_in = {k: v + more_in[k] for k, v in HEATMAP_SIDES_IN.items()}
    _margins(fig, rows, cols, top_in=HEATMAP_TOP_IN + more, **sides_in)
    _bold_title(fig, lines)


def _heatmap(
    table: pd.DataFrame,
    first: str,
    second: str,
    members: list[str] | None,
    rows: int,
    cols: int,
    by_point: MembersByPoint | None = None,
    fairness_of: str | None = None,
    shown: FairnessShown | None = None,
) -> Figure:
    """:func:`heatmap_figure`'s panels in ``rows`` x ``cols``, at :data:`HEATMAP_SIDES_IN`, without its title.

    The title and any wider margins are :func:`_heatmap_frame`'s.
    """
    from simulator.plots import wrapped_title

    metrics = key_metrics(table)
    summarised, applied = shown if shown is not None else fairness_at_points(table, members, by_point)
    table = _in_grid_order(_dated(summarised, [first, second]))
    width, height = HEATMAP_CELL_WIDTH_IN * cols, HEATMAP_CELL_HEIGHT_IN * rows + HEATMAP_TITLE_IN
    fig = _new_figure(figsize=(width, height))
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).reshape(-1)
    _margins(fig, rows, cols, top_in=HEATMAP_TOP_IN, **HEATMAP_SIDES_IN)
    for ax, metric in zip(axes, metrics, strict=False):
        which = f"median {fairness_over(applied)}" if metric == FAIRNESS else "median over runs"
        ax.set_title(f"{_text(_title(metric, fairness_of))},\n{which}", fontsize=10)
        flat = flat_panel(table, metric, [first, second], fairness_of)
        if flat:
            _sentence(ax, flat)
            continue
        grid = table.pivot_table(index=second, columns=first, values=metric, aggfunc="median", dropna=False)
        grid = grid.reindex(index=_heatmap_order(table[second]), columns=_heatmap_order(table[first]))
        limits = {"vmin": 1 / len(members), "vmax": 1.0} if metric == FAIRNESS and members and len(members) > 1 else {}
        image = ax.imshow(grid.to_numpy(float), origin="lower", aspect="auto", cmap=_colormap(), **limits, **CELLS)
        bar = fig.colorbar(image, ax=ax, shrink=0.8)
        box = ax.get_position()  # the panel's size, colour bar taken: its labels wrap within it
        for axis, values, path, step_in, slant in (
            (ax.xaxis, grid.columns, first, box.width * width / grid.shape[1], 45),
            (ax.yaxis, grid.index, second, box.height * height / grid.shape[0], 0),
        ):
            names = axis_kind(table[path]) == "category"
            every = _heatmap_label_every(len(values), names, step_in, slant)
            positions = list(range(0, len(values), every))
            axis.set_ticks(positions, [_text(_label(values[i])) for i in positions], fontsize=HEATMAP_NAME_PT)
            if names and slant and len(values) > HEATMAP_SCALE_LABELS:  # more names than a scale would write
                for label in axis.get_ticklabels():  # each ends at its cell: parallel, as far apart as they fit
                    label.set(ha="right", rotation_mode="anchor")
        ax.tick_params(axis="x", labelrotation=45)
        if metric == FAIRNESS and grid.isna().to_numpy().any():
            cell_in = (box.width * width / grid.shape[1], box.height * height / grid.shape[0])
            _none_short_cells(ax, bar, grid.isna().to_numpy(), *cell_in)
        for set_label, path, length_in in (
            (ax.set_xlabel, first, box.width * width),
            (ax.set_ylabel, second, box.height * height),
        ):
            set_label("\n".join(wrapped_title(_text(axis_title(path)), length_in, LABEL_CHAR_IN, 0.0)), fontsize=8)
    for ax in axes[len(metrics) :]:
        ax.set_visible(False)
    return fig


SUPTITLE_TOP_IN = 0.12
"""Room above a sweep figure's bold title, inches: fixed, as the panels below it are placed from the top in inches.

Matplotlib's default places it 2% of the figure's height down, 0.16 in of a 2 x 2 heatmap
8.2 in high, more of a taller one, and it came down onto the top row's panel titles.
"""


def _bold_title(fig: Figure, title: str) -> None:
    """``fig``'s bold title, its top :data:`SUPTITLE_TOP_IN` below the figure's top whatever its height."""
    fig.suptitle(title, fontweight="bold", y=1 - SUPTITLE_TOP_IN / fig.get_figheight(), va="top")


HEATMAP_NAME_PT = 7
"""Size of a heatmap's axis names, points."""
HEATMAP_SCALE_LABELS = 10
"""About how many labels a heatmap's scale (numbers, dates) gets at most."""


def _heatmap_label_every(count: int, names: bool, step_in: float, slant_deg: float) -> int:
    """Label every k-th of ``count`` values ``step_in`` apart along a heatmap's axis: k.

    A scale (numbers, dates) needs no more than about 10 labels to be read. Names (a release
    rule) cannot be read off their neighbours: each is written where it fits, one em of
    :data:`HEATMAP_NAME_PT` across its baseline from the next (slanted ``slant_deg``: the x
    axis's 45, ``step_in sin 45`` apart; the y axis's lie flat, rows ``step_in`` apart);
    the release rules down a panel 2.7 in high (0.25 in apart) are all named, where every other was. More
    names along the x axis than a scale would get are set to end at their cells, so that
    they lie parallel (centred, a long one reached across its neighbour).
    """
    if not names:
        return max(1, -(-count // HEATMAP_SCALE_LABELS))
    return _every_kth_clear(step_in, HEATMAP_NAME_PT, slant_deg or 90)  # flat names lie across the y axis


def _heatmap_overlaps_in(fig: Figure) -> dict[str, float]:
    """How much wider each margin or gap of a heatmap must be for its text to clear its neighbours (inches).

    0 where it clears them: the y axis's names against the canvas's left edge and the colour
    bar of the panel on the left; the x axis's names against the canvas's foot and the title
    of the panel below; a colour bar against the right edge. Each text is measured where
    Matplotlib will set it (:func:`_names_box`), without drawing the figure: a draw only to
    measure took a third of the time of a heatmap of 10,000 points.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    for ax in fig.axes:
        ax.apply_aspect()  # a colour bar takes its shape (20 times as high as wide), as a draw would give it
    inches = fig.dpi_scale_trans.inverted()
    width = fig.get_figwidth()
    more = dict.fromkeys(HEATMAP_SIDES_IN, 0.0)
    panels = {_at(ax): ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"}
    bars = {  # each colour bar's box, labels and all, measured once: the panel on its right needs it too
        at: _names_box(ax.images[0].colorbar.ax.yaxis, renderer).transformed(inches)
        for at, ax in panels.items()
        if ax.images and ax.images[0].colorbar is not None
    }
    for (row, col), ax in panels.items():
        if not ax.images:  # a panel that says its metric is flat has no names to clear
            continue
        y_names = _names_box(ax.yaxis, renderer).transformed(inches)
        x_names = _names_box(ax.xaxis, renderer).transformed(inches)
        leftmost = min(y_names.x0, x_names.x0)  # slanted names along the foot may reach further left
        if col == 0:
            more["left_in"] = max(more["left_in"], CLEAR_IN - leftmost)
        elif (row, col - 1) in bars:
            more["col_gap_in"] = max(more["col_gap_in"], bars[row, col - 1].x1 + CLEAR_IN - leftmost)
        if (row + 1, col) in panels:
            title = panels[row + 1, col].title.get_window_extent(renderer).transformed(inches)
            more["row_gap_in"] = max(more["row_gap_in"], title.y1 + CLEAR_IN - x_names.y0)
        else:
            more["bottom_in"] = max(more["bottom_in"], CLEAR_IN - x_names.y0)
        if (row, col) in bars:
            more["right_in"] = max(more["right_in"], bars[row, col].x1 + CLEAR_IN - width)
    return {k: max(0.0, v) for k, v in more.items()}


def _names_box(axis: Any, renderer: Any) -> Any:
    """The box (pixels) that ``axis``'s frame side, tick labels, offset text and name will take, the figure not drawn.

    Each text is measured as Matplotlib sets it: the labels of the ticks inside the axis's
    view, at their ticks; the name ``axes.labelpad`` beyond the labels (under an x axis,
    beside a y axis on its ticks' side); a y axis's offset text (``+1e7``) above its frame
    (:func:`_offset_text_box`).
    """
    from matplotlib.transforms import Bbox

    axis.get_majorticklabels()  # the ticks placed and labelled, as a draw places them
    low, high = sorted(axis.get_view_interval())
    slack = (high - low) * 1e-9
    ticks = [tick for tick in axis.get_major_ticks() if low - slack <= tick.get_loc() <= high + slack]
    labels = [text for tick in ticks for text in (tick.label1, tick.label2) if text.get_visible() and text.get_text()]
    frame = axis.axes.get_window_extent()
    taken = Bbox.union([frame, *(text.get_window_extent(renderer) for text in labels)])
    boxes = [taken]
    pad = axis.labelpad * axis.axes.figure.dpi / 72
    if axis.label.get_text():
        box = axis.label.get_window_extent(renderer)
        if axis.axis_name == "x":  # under the labels, its top ``pad`` below them
            boxes.append(box.translated(0, taken.y0 - pad - box.y1))
        elif axis.get_label_position() == "left":
            boxes.append(box.translated(taken.x0 - pad - box.x1, 0))
        else:
            boxes.append(box.translated(taken.x1 + pad - box.x0, 0))
    offset = axis.get_major_formatter().get_offset()
    if offset and axis.axis_name == "y":  # a colour bar's (``+1e7``): a heatmap's own axes name values, no offset
        boxes.append(_offset_text_box(axis, offset, renderer))
    return Bbox.union(boxes)


def _offset_text_box(axis: Any, offset: str, renderer: Any) -> Any:
    """The box (pixels) of y ``axis``'s offset text ``offset`` where a draw sets it: above the frame's top.

    Until a draw, Matplotlib leaves the text at the foot of the figure; the draw moves it up
    to :attr:`~matplotlib.axis.Axis.OFFSETTEXTPAD` points above the top of the frame (of a
    colour bar's outline), its x kept: on a colour bar, right-aligned to the bar's right edge.
    The box is moved there as the draw moves the text, which it does not change.
    """
    text = axis.offsetText
    text.set_text(offset)  # as a draw sets it
    frame = axis.axes.spines.get("outline", axis.axes)
    top = frame.get_window_extent().y1 + axis.OFFSETTEXTPAD * axis.axes.figure.dpi / 72
    _, now = text.get_transform().transform(text.get_position())
    return text.get_window_extent(renderer).translated(0, top - now)


def _at(ax: Any) -> tuple[int, int]:
    """A panel's row and column in its figure's grid (its colour bar split its cell: the cell it split)."""
    spec = ax.get_subplotspec().get_topmost_subplotspec()
    return spec.rowspan.start, spec.colspan.start


CELLS = {"interpolation": "nearest"}
"""Each heatmap cell one flat colour. Matplotlib's default smooths an image it shrinks, or enlarges
less than threefold: a grid of 3 x 300 points (300 rows in a panel 3 inches high) blended its
3 columns into one gradient, as if the rule between them were a scale. Grids small enough for
each cell to span three pixels or more were drawn cell by cell already, and still are."""


def _none_short_cells(ax: Any, bar: Any, empty: np.ndarray, cell_width_in: float, cell_height_in: float) -> None:
    """Say :data:`NONE_SHORT` in each grey cell of a fairness heatmap (``empty``: rows x columns) where it fits a cell.

    Where it does not (a grid of many points: a 100 x 100 grid wrote it 1,800 times over itself,
    illegible, and took 2.6 s to draw), the colour bar says once what a grey cell means.
    """
    from simulator.plots import text_width_in

    if text_width_in([NONE_SHORT], NONE_SHORT_PT) <= cell_width_in and cell_height_in >= NONE_SHORT_LINE_IN:
        for row, column in zip(*np.nonzero(empty), strict=True):
            ax.text(column, row, NONE_SHORT, ha="center", va="center", fontsize=NONE_SHORT_PT, color=NONE_SHORT_INK)
    else:
        bar.set_label(f"grey: {NONE_SHORT}", fontsize=NONE_SHORT_PT + 1)


def _none_short_points(ax: Any, x: np.ndarray, empty: np.ndarray, figure_width_in: float) -> None:
    """Say :data:`NONE_SHORT` at the points of a fairness panel at positions ``empty`` of ``x`` (ascending).

    At each point where the labels stand apart; where they would overlap (many points close
    together), once over each run of neighbouring points, under a light band that covers the
    run, and not where it would overlap the label before it.
    """
    left, right = ax.get_xlim()
    inch_per_unit = ax.get_position().width * figure_width_in / (right - left)
    at = np.asarray(ax.convert_xunits(x), float)
    if len(empty) == 1 or np.diff(at[empty]).min() * inch_per_unit >= NONE_SHORT_LINE_IN:
        centres = at[empty]
    else:
        runs = np.split(empty, np.flatnonzero(np.diff(empty) > 1) + 1)
        for run in runs:
            if len(run) > 1:
                ax.axvspan(at[run[0]], at[run[-1]], color=NONE_SHORT_BAND, lw=0, zorder=0)
        centres = np.array([(at[run[0]] + at[run[-1]]) / 2 for run in runs])
    placed = -np.inf
    for centre in centres:
        if (centre - placed) * inch_per_unit >= NONE_SHORT_LINE_IN:
            ax.text(centre, 0.04, NONE_SHORT, transform=ax.get_xaxis_transform(), **NONE_SHORT_STYLE)
            placed = centre


LABEL_CHAR_IN = 0.07
"""About the width of a character of an axis label of 8 points, in inches."""
AXIS_CHAR_IN = 0.085
"""About the width of a character of an axis label of 10 points (Matplotlib's default), in inches."""
AXIS_LINE_IN = 0.17
"""The height of a line of an axis label of 10 points, in inches."""


def _colormap() -> Any:
    """Viridis with empty cells (no run short, for fairness) in light grey, not the axes' white."""
    from matplotlib import colormaps

    return colormaps["viridis"].with_extremes(bad="#dddddd")


def _label(value: Any) -> str:
    """A swept value as a label: numbers short, a date (a midnight timestamp too) as ``2010-11-20``.

    >>> _label(0.25), _label(pd.Timestamp("2010-11-20")), _label("talmud")
    ('0.25', '2010-11-20', 'talmud')
    """
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.date().isoformat()
    return f"{value:g}" if isinstance(value, float) else str(value)


def pareto_efficient(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Points no other point beats on both coordinates (lower is better on each).

    A point is beaten by one at least as low on both coordinates and lower on one.
    Sorted by ``a`` then ``b``, a point is efficient when its ``b`` is the lowest among
    the points of equal ``a`` and lower than every ``b`` of the points of smaller ``a``:
    O(n log n) time and O(n) memory. Equal points do not beat each other.

    >>> pareto_efficient(np.array([1.0, 2.0, 3.0, 2.0]), np.array([3.0, 2.0, 1.0, 3.0])).tolist()
    [True, True, True, False]
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    order = np.lexsort((b, a))
    a_sorted, b_sorted = a[order], b[order]
    starts = np.flatnonzero(np.r_[True, a_sorted[1:] != a_sorted[:-1]])
    lowest_in_group = b_sorted[starts]  # b is sorted within each group of equal a
    lowest_before = np.r_[np.inf, np.minimum.accumulate(lowest_in_group)[:-1]]
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(a)]))
    efficient = np.empty(len(a), bool)
    efficient[order] = (b_sorted == lowest_in_group[group]) & (b_sorted < lowest_before[group])
    return efficient


def _point_stats(table: pd.DataFrame, paths: list[str], columns: dict[str, pd.Series]) -> pd.DataFrame:
    """Per grid point: its value on every swept path and the median over its runs of each column."""
    frame = table[["point", *paths]].copy()
    for name, values in columns.items():
        frame[name] = values.to_numpy(float)
    firsts = frame.groupby("point", sort=True)[paths].first()
    medians = frame.groupby("point", sort=True)[list(columns)].median()
    return pd.concat([firsts, medians], axis=1)


def _shorts(paths: list[str]) -> list[str]:
    """Each path by its last segments, from its first id on (whose, of which material), longer only to stay distinct.

    At least the last two segments, and back to the first id the path names (:func:`_first_id`): a member's
    contribution keeps its member (``japan.gallium.tonnes``, where the last two, ``gallium.tonnes``, said
    whose of none), a region's demand its region. Where two names would still read alike, both are
    lengthened a segment at a time: two swept paths that differ are never named alike.

    >>> _shorts(["agreement.ratio.japan", "shocks.china_japan_halt.end"])
    ['ratio.japan', 'china_japan_halt.end']
    >>> _shorts(["agreement.pool.contributions.korea.gallium.tonnes", "regions.eu.demand.gallium.tonnes_per_day"])
    ['korea.gallium.tonnes', 'eu.demand.gallium.tonnes_per_day']
    >>> _shorts(["x.demand.a.b", "y.demand.a.b"])  # no scenario path: no id known, lengthened where alike
    ['x.demand.a.b', 'y.demand.a.b']
    """
    parts = [path.split(".") for path in paths]
    kept = [max(min(2, len(p)), len(p) - _first_id(p)) for p in parts]
    while True:
        names = [".".join(p[-k:]) for p, k in zip(parts, kept, strict=True)]
        alike = [i for i, name in enumerate(names) if names.count(name) > 1 and kept[i] < len(parts[i])]
        if not alike:
            return names
        for i in alike:
            kept[i] += 1


def _first_id(parts: list[str]) -> int:
    """Where the first id is among a swept path's segments ``parts``: a key of a map the scenario schema keys by id.

    A region's or member's (``regions.<id>``, ``agreement.ratio.<id>``), a supplier's or a material's: whose or
    of which material a value is. ``len(parts)`` where the path names none (a shock's end, the release rule) or
    is no scenario path. A shock's id is a list item's, not a map key: its last two segments name it.

    >>> _first_id("agreement.pool.contributions.japan.gallium.tonnes".split("."))
    3
    >>> _first_id("shocks.china_japan_halt.end".split(".")), _first_id(["agreement", "mechanism"])
    (3, 2)
    """
    from simulator.scenario.load import field_schemas

    for at, part in enumerate(parts):
        name = part.split("[", 1)[0]  # ``ree[0]``: the key ``ree``, then a list's item
        nodes = field_schemas(".".join(parts[:at]))
        if any(name in node.get("properties", {}) for node in nodes):
            continue
        if any(node.get("patternProperties") or isinstance(node.get("additionalProperties"), dict) for node in nodes):
            return at  # a map keyed by id (``dict[Id, ...]``: keys matching the id pattern)
    return len(parts)


def _frontier(
    stats: pd.DataFrame,
    paths: list[str],
    x: str,
    y: str,
    efficient: np.ndarray,
    xlabel: str,
    ylabel: str,
    title: str,
    grouping: Grouping,
    ylim: tuple[float, float] | None = None,
    *,
    x_from_zero: bool = True,
) -> Figure:
    """Points of a two-objective frontier, efficient ones marked, labelled with every swept value.

    The title names the swept paths by :func:`_shorts`, as the legend of condition groups does.
    ``x_from_zero``: the x axis starts at 0 (or below the lowest point), else at the points' span.

    Where conditions are swept as well as choices (:mod:`simulator.sweep.choices`), ``efficient``
    holds within each combination of the conditions' values (:func:`condition_groups`): each
    group has its own colour (and a line through its efficient points where it has two or more),
    named in a legend right of the panel. ``stats`` holds only points with a place
    (:func:`_finite_stats`): a group of none is neither drawn nor named.
    """
    groups, names = grouping.groups, grouping.names
    shaded = len(names) > len(GROUP_COLOURS)  # too many groups to name: one colour scale, not a legend of names
    legend_in = _scale_width_in() if shaded else _legend_width_in(names)
    from simulator.plots import label_lines

    ylines = label_lines(_text(ylabel), AXIS_PT, FRONTIER_HEIGHT_IN - 2 * FRONTIER_LABEL_CLEAR_IN)
    more_in = AXIS_LINE_IN * (len(ylines) - 1)  # a y label of two lines: a wider margin, the panel as wide
    fig = _new_figure(figsize=(7.8 + legend_in + more_in, FRONTIER_HEIGHT_IN))
    ax = fig.subplots()
    _margins(fig, 1, 1, left_in=0.95 + more_in, top_in=0.75, bottom_in=0.65, right_in=0.3 + legend_in)
    xs, ys = stats[x].to_numpy(float), stats[y].to_numpy(float)
    if shaded:
        handles = _shaded_dots(ax, xs, ys, efficient, grouping)
    else:
        handles = _grouped_dots(ax, xs, ys, efficient, groups, names) if names else None
    if not names:
        ax.scatter(
            xs[~efficient],
            ys[~efficient],
            facecolors="white",
            edgecolors=DOMINATED_INK,
            s=26,
            lw=1.2,
            zorder=2,
            label="dominated",
        )
        ax.scatter(xs[efficient], ys[efficient], color=EFFICIENT_INK, s=40, zorder=3, label="efficient (Pareto)")
        order = np.argsort(xs[efficient], kind="stable")
        ax.plot(xs[efficient][order], ys[efficient][order], color=EFFICIENT_INK, lw=1, zorder=1)
    label_all = len(stats) <= LABEL_ALL_UP_TO
    labels = [value_labels(stats[path]).tolist() for path in paths]

    def text(i: int) -> str:  # a point's label, its value on each swept path: made for the points labelled alone
        return " / ".join(column[i] for column in labels)

    if x_from_zero:
        left, right = min(0.0, float(np.nanmin(xs))), float(np.nanmax(xs)) * 1.12 + 1e-9  # room for labels
    else:  # the points' span, and as much again of a tenth of it to the right for labels
        left, right = float(np.nanmin(xs)), float(np.nanmax(xs))
        left, right = left - 0.02 * (right - left), right + 0.12 * (right - left) + 1e-9
    ax.set_xlim(left - 0.03 * (right - left), right)  # a dot at 0 (no shortfall) whole, not cut by the frame
    if ylim is not None:
        ax.set_ylim(*ylim)
    elif y == TOTAL:  # tonnes from zero, as the x axis of shortfall is in the other frontier
        _from_zero(ax, ys)
    else:
        ax.set_ylim(*ax.get_ylim())  # the autoscaled limits, fixed now: labels are placed within them
    written, wanted = _place_labels(ax, xs, ys, efficient, text, label_all, groups)
    ax.set_xlabel(_text(xlabel))
    ax.set_ylabel("\n".join(ylines))
    which = "every point" if label_all else "efficient points"
    if written < wanted:
        which += f", {written} of {wanted}: the others would overlap"
    if names:
        title += f"; Pareto within each {_text(' x '.join(grouping.conditions))}"
    named = _shorts(paths)
    ax.set_title(f"{_text(title)}\nlabels ({which}): {_text(' / '.join(named))}", fontsize=9)
    ax.grid(True, color="#dddddd")
    ax.set_axisbelow(True)  # under the groups' lines and dots, not drawn across them
    if handles:  # right of the panel, where it covers no dot or label (below the colour scale of many groups)
        ax.legend(
            handles=handles,
            fontsize=FRONTIER_LEGEND_PT,
            loc="lower left" if shaded else "upper left",
            bbox_to_anchor=(1.02, 0.0 if shaded else 1.0),
            borderaxespad=0,
        )
    else:
        ax.legend(fontsize=8)
    return fig


FRONTIER_HEIGHT_IN = 5.8
"""A frontier figure's height, inches."""
EFFICIENT_INK = "#d1495b"
"""The efficient dots and their line of a frontier without condition groups (4.4:1 on white)."""
DOMINATED_INK = "#767676"
"""The rim of a dominated (hollow) dot of a frontier without condition groups: 4.5:1 on white, past WCAG's 3:1 for
graphics (the grey ``#999999`` they were filled with, 2.85:1, told them from the efficient dots by colour alone)."""
FRONTIER_LABEL_CLEAR_IN = 0.15
"""Least room a frontier's y label leaves at the figure's top and foot (inches): a longer one takes two lines.

Centred on the panel, the label may reach over its margins: ``Fairness of light rare earths (Jain's index),
median over all runs (1 where none is short)`` on one line (6.0 in) ran off both ends of the figure.
"""
AXIS_PT = 10
"""Size of an axis label, points (Matplotlib's default)."""


GROUP_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")
"""A colour per condition group of a frontier (Matplotlib's tab10 without its grey, the colour of nothing); more
groups than these get one colour scale (:func:`_shaded_dots`)."""
FRONTIER_LEGEND_PT = 8
"""Size of a frontier's legend text, points (half a point under the run figures' ``plots.style.LEGEND_PT``)."""


def holds_one_value(values: pd.Series) -> bool:
    """Whether a swept column holds one value (or none): the same at every point, nothing to compare.

    Values are compared as they are, not as their labels (0.3 and 0.30000000000000004 are two);
    a missing value (NaN, None) is one more value, equal to itself. Lists and mappings (a list of
    shocks, unlabelled) are compared by their text.

    >>> holds_one_value(pd.Series([0.3, 0.3])), holds_one_value(pd.Series([0.3, 0.1 + 0.2]))
    (True, False)
    >>> holds_one_value(pd.Series([0.5, None])), holds_one_value(pd.Series([[1, 2], [1, 2]]))
    (False, True)
    """
    if _holds_nested(values):
        values = values.map(str)
    return values.nunique(dropna=False) < 2


def _holds_nested(values: pd.Series) -> bool:
    """Whether ``values`` hold a list, a mapping or an array (a list of shocks): values with no hash of their own.

    Numbers, booleans and dates held as NumPy holds them (:func:`_plain`) are not looked at one by one.

    >>> _holds_nested(pd.Series([0.1, 0.2])), _holds_nested(pd.Series([[1], [2]]))
    (False, True)
    >>> _holds_nested(pd.Series(["a", "b"])), _holds_nested(pd.Series([{"id": "halt"}, None]))
    (False, True)
    """
    return not _plain(values) and bool(values.map(lambda value: isinstance(value, list | dict | np.ndarray)).any())


def _plain(values: pd.Series) -> bool:
    """Whether ``values`` are numbers, booleans or dates held as NumPy holds them: each value is its bits."""
    return isinstance(values.dtype, np.dtype) and values.dtype.kind in "fiubmM"


def varying_conditions(stats: pd.DataFrame, paths: list[str], members: list[str]) -> list[str]:
    """The swept conditions (:func:`~simulator.sweep.choices.condition_paths`) with two or more values in ``stats``.

    A condition swept with one value (``--grid shocks.china_embargo.severity=1.0``) is the
    same world at every point: nothing to group by. Values are compared as they are, not as
    their labels: 0.3 and 0.30000000000000004 are two.
    """
    return [path for path in condition_paths(paths, members) if not holds_one_value(stats[path])]


class Grouping(NamedTuple):
    """A frontier's points grouped by equal swept conditions (:func:`condition_groups`)."""

    groups: np.ndarray
    """Each point's group, numbered in grid order (all 0 where no condition varies)."""
    names: list[str]
    """Each group's name: each condition's short path and value (``duration_days.mean 60``); none without groups."""
    values: list[str]
    """Each group's values alone (``60``), as the colour scale of many groups marks its ends."""
    conditions: list[str]
    """The short paths of the conditions grouped by (:func:`varying_conditions`)."""


def condition_groups(stats: pd.DataFrame, paths: list[str], members: list[str]) -> Grouping:
    """Each point's group of equal condition values (numbered in grid order), and each group's name and values.

    Grouped by the conditions that vary (:func:`varying_conditions`), on their values, not
    their labels (:func:`value_labels`). None varies: every point in group 0 and no names.
    """
    varying = varying_conditions(stats, paths, members)
    if not varying:
        return Grouping(np.zeros(len(stats), int), [], [], [])
    groups = stats.groupby(varying, sort=False, dropna=False).ngroup().to_numpy()
    labels = [value_labels(stats[path]).to_numpy() for path in varying]
    firsts = np.unique(groups, return_index=True)[1]  # each group's first point, by group number
    short = dict(zip(paths, _shorts(paths), strict=True))
    conditions = [short[path] for path in varying]
    names = [", ".join(f"{c} {column[i]}" for c, column in zip(conditions, labels, strict=True)) for i in firsts]
    values = [", ".join(str(column[i]) for column in labels) for i in firsts]
    return Grouping(groups, names, values, conditions)


def value_labels(values: pd.Series) -> pd.Series:
    """Each of a swept path's values as a label (:func:`_label`); a float in full where another value reads alike.

    >>> value_labels(pd.Series([0.3, 0.1 + 0.2, 0.5, 2.0])).tolist()
    ['0.3', '0.30000000000000004', '0.5', '2']
    >>> value_labels(pd.Series([0.25, 0.75, 0.25])).tolist()
    ['0.25', '0.75', '0.25']
    """
    first, each = _distinct(values)
    if len(first) < len(values):  # each distinct value labelled once: 100 labels for a 10,000-point grid's axis
        return value_labels(values.iloc[first]).iloc[each].set_axis(values.index)
    labels = values.map(_label)
    values_per_label = values.groupby(labels.to_numpy(), sort=False).nunique(dropna=False)
    alike = labels.map(values_per_label) > 1
    full = values[alike].map(lambda value: repr(float(value)) if isinstance(value, float) else _label(value))
    return labels.where(~alike, full)


def _distinct(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Where each distinct value of ``values`` first is, and which of those each value is: alike to the bit.

    Numbers, booleans and dates by their bits (``-0.0`` is not ``0.0``: it is labelled ``-0``; a NaN is any
    other NaN's, both labelled ``nan``); anything else (objects, Matplotlib's or pandas' own types) is each
    value its own, as a label of it may tell apart values Python calls equal (``1``, ``1.0``, ``True``).

    >>> [a.tolist() for a in _distinct(pd.Series([0.5, -0.0, 0.5, 0.0]))]  # by bits: 0.0, 0.5, -0.0
    [[3, 0, 1], [1, 2, 1, 0]]
    """
    if not _plain(values):
        return np.arange(len(values)), np.arange(len(values))
    array = values.to_numpy()
    first, each = np.unique(array.view(f"u{array.dtype.itemsize}"), return_index=True, return_inverse=True)[1:]
    return first, each.reshape(-1)


def efficient_within(a: np.ndarray, b: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """:func:`pareto_efficient` among the points of each group only: a point of another group never beats it.

    >>> efficient_within(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 0.5]), np.array([0, 1, 1])).tolist()
    [True, True, True]
    """
    efficient = np.zeros(len(a), bool)
    for group in np.unique(groups):
        at = groups == group
        efficient[at] = pareto_efficient(a[at], b[at])
    return efficient


def _legend_width_in(names: list[str]) -> float:
    """Room right of a frontier's panel for its legend of condition groups (0 where no condition is swept).

    One column: at most :data:`GROUP_COLOURS` groups are named (more get a colour scale, :func:`_shaded_dots`).
    """
    if not names:
        return 0.0
    from simulator.plots import text_width_in

    texts = [_text(text) for text in (*names, EFFICIENT_ENTRY, DOMINATED_ENTRY)]
    return text_width_in(texts, FRONTIER_LEGEND_PT) + 0.7  # the marker and its gap, and the frame


EFFICIENT_ENTRY = "filled: efficient in its group"
DOMINATED_ENTRY = "hollow: dominated in its group"


def _grouped_dots(
    ax: Any, xs: np.ndarray, ys: np.ndarray, efficient: np.ndarray, groups: np.ndarray, names: list[str]
) -> list[Any]:
    """Each condition group's dots in its colour, efficient ones filled and joined by a line, dominated ones hollow.

    A group with one efficient dot has no line, and its legend entry shows its marker alone.
    Returns the legend's entries: each group's colour and name, then what filled and hollow mean.
    """
    from matplotlib.lines import Line2D

    handles = []
    for group, name in enumerate(names):
        colour = GROUP_COLOURS[group]
        best, beaten = (groups == group) & efficient, (groups == group) & ~efficient
        ax.scatter(
            xs[beaten],
            ys[beaten],
            facecolors="white",
            edgecolors=colour,
            s=26,
            lw=1.2,
            zorder=2,
            label=f"dominated, {name}",
        )
        ax.scatter(xs[best], ys[best], color=colour, s=40, zorder=3, label=f"efficient (Pareto), {name}")
        line = _efficient_line(xs, ys, best)
        lined = line is not None  # one efficient dot: no line to draw, none in its legend entry
        if lined:
            ax.plot(line[:, 0], line[:, 1], color=colour, lw=1, zorder=1)
        handles.append(Line2D([], [], label=_text(name), color=colour, marker="o", lw=1 if lined else 0))
    return [*handles, *_key_handles()]


def _efficient_line(xs: np.ndarray, ys: np.ndarray, best: np.ndarray) -> np.ndarray | None:
    """The line joining a group's efficient dots (``best``, a mask of the points): (x, y) rows from left to right.

    Dots at one x keep their grid order. None where fewer than two dots are efficient: no line to draw.

    >>> _efficient_line(np.array([3.0, 1.0, 2.0]), np.array([0.3, 0.1, 0.2]), np.array([True, True, False]))
    array([[1. , 0.1],
           [3. , 0.3]])
    >>> _efficient_line(np.array([3.0, 1.0]), np.array([0.3, 0.1]), np.array([True, False])) is None
    True
    """
    if int(best.sum()) < 2:
        return None
    order = np.argsort(xs[best], kind="stable")
    return np.column_stack([xs[best][order], ys[best][order]])


def _key_handles() -> list[Any]:
    """The legend entries of what filled and hollow dots mean."""
    from matplotlib.lines import Line2D

    return [
        Line2D([], [], color="#555555", marker="o", lw=0, label=EFFICIENT_ENTRY),
        Line2D([], [], color="#555555", marker="o", mfc="white", lw=0, label=DOMINATED_ENTRY),
    ]


SCALE_MAP = "viridis"
"""The colour scale of a frontier's condition groups where there are more than :data:`GROUP_COLOURS` can tell apart."""


def _scale_width_in() -> float:
    """Room right of a frontier's panel for a colour scale of its condition groups and the filled/hollow key."""
    from simulator.plots import text_width_in

    return text_width_in([EFFICIENT_ENTRY, DOMINATED_ENTRY], FRONTIER_LEGEND_PT) + 0.7


def _shaded_dots(
    ax: Any,
    xs: np.ndarray,
    ys: np.ndarray,
    efficient: np.ndarray,
    grouping: Grouping,
) -> list[Any]:
    """Condition groups too many to name each (a 100-value quota axis): a colour per group from one scale.

    Groups are numbered in grid order, the order of the conditions' values in the grid; the colour bar
    right of the panel runs from the first group to the last, each end marked by its values, the
    conditions' short paths labelling the bar. Efficient dots
    filled and joined by a line within their group, dominated ones hollow, as :func:`_grouped_dots`
    draws them. Returns the key of filled and hollow.
    """
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.collections import LineCollection
    from matplotlib.colors import Normalize

    groups = grouping.groups
    count = int(groups.max()) + 1
    scale, norm = colormaps[SCALE_MAP], Normalize(0, max(count - 1, 1))
    colours = scale(norm(groups))  # one collection of each kind, not one per group: 100 groups draw as fast as one
    beaten = ~efficient
    ax.scatter(
        xs[beaten],
        ys[beaten],
        facecolors="white",
        edgecolors=colours[beaten],
        s=26,
        lw=1.2,
        zorder=2,
        label="dominated",
    )
    ax.scatter(xs[efficient], ys[efficient], color=colours[efficient], s=40, zorder=3, label="efficient (Pareto)")
    lines = []
    for group in range(count):
        line = _efficient_line(xs, ys, (groups == group) & efficient)
        if line is not None:
            lines.append((line, scale(norm(group))))
    if lines:
        ax.add_collection(LineCollection([line for line, _ in lines], colors=[c for _, c in lines], lw=1, zorder=1))
    panel = ax.get_position()
    fig = ax.figure
    width = fig.get_figwidth()
    bar = fig.add_axes((panel.x1 + 0.2 / width, panel.y0 + 0.45 * panel.height, 0.15 / width, 0.55 * panel.height))
    colour_bar = fig.colorbar(ScalarMappable(norm=norm, cmap=scale), cax=bar)
    ends = [_text(grouping.values[0]), _text(grouping.values[-1])]
    colour_bar.set_ticks([0, count - 1], labels=ends, fontsize=FRONTIER_LEGEND_PT)
    colour_bar.set_label(_text(" x ".join(grouping.conditions)), fontsize=FRONTIER_LEGEND_PT)
    return _key_handles()


ALIKE_PT = 3.0
"""Points whose dots lie closer than this (in points, 1/72 inch) share one label: ``0.1 (+2 alike)``."""
DOT_PT = 3.5
"""Radius of a dot, in points."""
CLEAR_PT = 9.0
"""Least room between a label and another point's dot, in points: closer, it could be read as that dot's label.

More than the room between a label and its own dot (5.7 points to its right, 4.5 above or below)."""
EDGE_PT = 4.0
"""Least room between a label and the edge of the axes, in points."""
LABEL_GAP_PT = 3.0
"""Least room between two labels, in points: labels that touch read as one (``60`` and ``120`` as ``60120``)."""
SIDE_GAP_PT = 6.0
"""Least room between two labels side by side on one line, in points: twice :data:`LABEL_GAP_PT`.

There :data:`LABEL_GAP_PT` looks like the space between a label's own words (a space of the 7-point
text is 2.2 points, and each glyph has its own margin), and two labels so placed read as one line of
text (``0.1 / 240 (+4 alike) 0.1 / 300 (+4 alike)``, 4.3 points apart, in the research guide's frontier)."""


def _clusters(where: np.ndarray, order: list[int], conditions: np.ndarray) -> list[list[int]]:
    """Points (in ``order``) grouped with the first point of their kind less than :data:`ALIKE_PT` away.

    Greedy, not chained: a row of points each close to the next is not one group. Points of two
    kinds (``conditions``: each point's condition group, :func:`condition_groups`, and whether it is
    efficient, as :func:`_place_labels` gives them) on one spot are labelled apart, each label naming
    its own values: ``(+1 alike)`` never counts a dot of another colour, nor a hollow dot beside a filled one.

    A point is tried against every group's first point at once, and once per spot and condition: a
    point on the spot of an earlier one of its condition joins that one's group (the first group near
    the one is the first near the other; groups made between them come after it), so that the 100 dots
    of a spot of the 10,000-point grid cost one test, not 100 against every group so far.

    >>> at = np.array([[0.0, 0.0], [2.0, 0.0], [4.0, 0.0], [9.0, 0.0]])
    >>> _clusters(at, [0, 1, 2, 3], np.zeros(4, int)), _clusters(at, [0, 1, 2, 3], np.array([0, 1, 0, 0]))
    ([[0, 1], [2], [3]], [[0], [1], [2], [3]])
    """
    order = np.asarray(order, int)
    if len(order) == 0:
        return []
    conditions = np.asarray(conditions)[order]
    codes = np.unique(conditions, return_inverse=True)[1].reshape(-1)  # equal conditions, equal codes
    _, first, spot = np.unique(
        np.column_stack([codes, where[order]]), axis=0, return_index=True, return_inverse=True
    )  # each distinct (condition, x, y): where it first comes in ``order``, and each point's
    spots = np.argsort(first, kind="stable")  # the distinct spots in ``order``
    leader_x, leader_y, leader_code = np.empty(len(first)), np.empty(len(first)), np.empty(len(first), int)
    group_of_spot = np.empty(len(first), int)
    made = 0  # groups so far, in the order made: each group's number is its place among the leaders
    for s in spots:
        at = first[s]
        x, y, code = where[order[at], 0], where[order[at], 1], codes[at]
        near = np.flatnonzero(
            (leader_code[:made] == code) & (np.hypot(leader_x[:made] - x, leader_y[:made] - y) < ALIKE_PT)
        )
        if len(near):
            group_of_spot[s] = near[0]
        else:
            group_of_spot[s] = made
            leader_x[made], leader_y[made], leader_code[made] = x, y, code
            made += 1
    groups: list[list[int]] = [[] for _ in range(made)]
    for i, group in zip(order.tolist(), group_of_spot[spot.reshape(-1)].tolist(), strict=True):
        groups[group].append(i)
    return groups


def _place_labels(
    ax: Any,
    xs: np.ndarray,
    ys: np.ndarray,
    efficient: np.ndarray,
    texts: Callable[[int], str],
    label_all: bool,
    conditions: np.ndarray,
) -> tuple[int, int]:
    """Label each point (or each efficient one), every label inside the axes and next to its dot.

    Points drawn on the same spot share one label if they are of one condition group (``conditions``) and
    alike efficient or alike dominated (:func:`_clusters`): a label's ``(+7 alike)`` counts dots drawn as its
    own. Each label
    takes the first free place of: right of its dot, left, above, below, and the four
    corners; a place must lie inside the axes and should cover no other label and no
    other dot. Where no place is free, the label moves up or down beside its dot, with a
    leader line back to it. Efficient points are labelled first, from the top. A label that
    would cover another wherever it went is left out, and so, where more than
    :data:`LEADER_LINES_UP_TO` labels are wanted, is one with no free place beside its dot.
    ``xs`` and ``ys`` are finite: :func:`_frontier` draws only the points :func:`_finite_stats` keeps.
    ``texts``: a point's label by its number (asked for the labels' first points alone, 100 of 10,000).
    Returns the labels written and the labels wanted.
    """
    from simulator.plots import agg_renderer

    fig = ax.figure
    renderer = agg_renderer(fig)
    box = ax.get_position()
    width, height = box.width * fig.get_figwidth() * 72, box.height * fig.get_figheight() * 72  # in points
    size = np.array([width, height])
    where = ax.transLimits.transform(np.column_stack([xs, ys])) * size
    labelled = np.arange(len(xs)) if label_all else np.flatnonzero(efficient)
    # efficient first, then from the top, then from the left; ties in the points' order (a stable sort)
    order = labelled[np.lexsort((where[labelled, 0], -where[labelled, 1], ~efficient[labelled]))].tolist()
    placed: list[np.ndarray] = []  # x0, y0, x1, y1 of each label placed, in points
    leaders: list[np.ndarray] = []  # x0, y0, x1, y1 of each leader line drawn: a label's centre to its dot, in points
    groups = _clusters(where, order, conditions * 2 + efficient)  # a dominated dot is never an efficient one's alike
    spots, counts = np.unique(where, axis=0, return_counts=True)  # the dots a label should keep clear of, once a spot
    probe = _probe(ax)
    for group in groups:
        text = texts(group[0]) if len(group) == 1 else f"{texts(group[0])} (+{len(group) - 1} alike)"
        own = where[group[0]]
        w, h = _size(probe, text, renderer)
        if w > width - 2 * EDGE_PT and " / " in text:  # too wide for the axes: one swept value a line
            text = text.replace(" / ", " /\n")
            w, h = _size(probe, text, renderer)
        led_ok = len(groups) <= LEADER_LINES_UP_TO
        x0, y0, led = _free_place(own, w, h, size, spots, placed, leaders, led_ok, counts)
        line = np.array([x0 + w / 2, y0 + h / 2, *own])
        if _covered(placed, x0, y0, w, h) or _crossed(leaders, placed, x0, y0, w, h, line[None] if led else None):
            continue
        placed.append(np.array([x0, y0, x0 + w, y0 + h]))
        if led:
            leaders.append(line)
        right = x0 >= own[0]  # anchored on the side facing the dot: a slightly wider text grows away from it
        ax.annotate(
            _text(text),
            (xs[group[0]], ys[group[0]]),
            xytext=((x0 if right else x0 + w) / width, (y0 + h / 2) / height),
            textcoords="axes fraction",
            fontsize=7,
            ha="left" if right else "right",
            va="center",
            arrowprops={"arrowstyle": "-", "color": "#aaaaaa", "lw": 0.6} if led else None,
        )
    probe.remove()
    return len(placed), len(groups)


def _size(probe: Any, text: str, renderer: Any) -> tuple[float, float]:
    """Width and height in points of ``text`` as a label draws it, as wide as at the wider of 100 and 110 dpi.

    Its width is the wider of Agg's at the figure's resolution and at the PNG's 110 dpi
    (:func:`simulator.plots.text.drawn_width_in`): Agg's hinting draws a 7 pt label 5.6% wider at
    110 dpi than at 100 (89.4 against 84.7 points), so that two labels of the 10k grid placed 3.6
    points apart, measured at 100 dpi alone, touched end to end in the PNG. ``probe``: a 7 pt text of the axes
    (:func:`_probe`), given ``text`` to measure.
    """
    from simulator.plots.text import drawn_width_in

    probe.set_text(_text(text))
    extent = probe.get_window_extent(renderer)
    scale = 72 / probe.axes.figure.dpi  # (not get_figure(root=True): Matplotlib 3.10 on, this project takes 3.8)
    return max(extent.width * scale, drawn_width_in([_text(text)], 7) * 72), extent.height * scale


def _probe(ax: Any) -> Any:
    """A text of the axes in a label's size to measure labels with (:func:`_size`): one for all, removed after."""
    return ax.text(0, 0, "", fontsize=7, transform=ax.transAxes)


def _covered(placed: list[np.ndarray], x0: Any, y0: Any, w: float, h: float) -> Any:
    """How many of the labels ``placed`` a ``w`` x ``h`` label at ``(x0, y0)`` covers (all in points).

    Coming nearer to one than :data:`LABEL_GAP_PT` above or below it, or than :data:`SIDE_GAP_PT`
    beside it on its line, is covering it. Places given as column arrays get one count a row.
    """
    room = np.array([-SIDE_GAP_PT, -LABEL_GAP_PT, SIDE_GAP_PT, LABEL_GAP_PT])
    boxes = np.array(placed).reshape(-1, 4) + room  # touching is covering
    return ((boxes[:, 0] < x0 + w) & (boxes[:, 2] > x0) & (boxes[:, 1] < y0 + h) & (boxes[:, 3] > y0)).sum(axis=-1)


def _crossed(
    leaders: list[np.ndarray], placed: list[np.ndarray], x0: Any, y0: Any, w: float, h: float, lines: Any
) -> Any:
    """How many leader lines cross a ``w`` x ``h`` label at ``(x0, y0)`` or its own leader line crosses (points).

    A line through a label reads as that label's: the ``leaders`` already drawn through the
    label, and the label's own leader line (a row of ``lines``, its centre to its dot; None or NaN
    for a label beside its dot) through the labels ``placed``. Places given as arrays get a count each.
    """
    x0, y0 = np.atleast_1d(np.asarray(x0, float)), np.atleast_1d(np.asarray(y0, float))
    boxes = np.column_stack([x0, y0, x0 + w, y0 + h])
    through_it = _segments_hit(np.array(leaders).reshape(-1, 4), boxes).sum(axis=0)
    if lines is None:
        return through_it
    lines = np.asarray(lines, float).reshape(-1, 4)
    led = np.flatnonzero(np.isfinite(lines).all(axis=1))  # a NaN line (a label beside its dot) crosses nothing
    through_it[led] += _segments_hit(lines[led], np.array(placed).reshape(-1, 4)).sum(axis=1)
    return through_it


def _segments_hit(segments: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Whether each segment (x0, y0, x1, y1) passes through each box (x0, y0, x1, y1): segments x boxes.

    Liang-Barsky clipping: the segment's stretch inside each of the box's four half-planes,
    intersected; it passes through when that stretch is not empty. A NaN segment hits nothing.

    >>> lines = np.array([[0.0, 0.0, 10.0, 10.0], [0.0, 5.0, 2.0, 5.0]])
    >>> _segments_hit(lines, np.array([[4.0, 4.0, 6.0, 6.0]])).tolist()
    [[True], [False]]
    """
    if len(segments) == 0 or len(boxes) == 0:  # no leader line drawn yet, or no label placed
        return np.zeros((len(segments), len(boxes)), bool)
    px, py = segments[:, 0, None], segments[:, 1, None]
    dx, dy = segments[:, 2, None] - px, segments[:, 3, None] - py
    enter, leave = np.zeros((len(segments), len(boxes))), np.ones((len(segments), len(boxes)))
    hit = np.isfinite(px + dx + py + dy) & np.ones(len(boxes), bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for step, room in (
            (-dx, px - boxes[:, 0]),
            (dx, boxes[:, 2] - px),
            (-dy, py - boxes[:, 1]),
            (dy, boxes[:, 3] - py),
        ):
            step = np.broadcast_to(step, hit.shape)
            hit &= ~((step == 0) & (room < 0))  # parallel to this side and outside it
            at = room / step
            enter = np.where(step < 0, np.maximum(enter, at), enter)
            leave = np.where(step > 0, np.minimum(leave, at), leave)
    return hit & (enter <= leave)


LEADER_COLUMNS = 3
"""Columns of places a led label may take each side of its dot: beside it, then one and two labels' widths further.

Beside the dot alone, a label of a crowded diagonal found every place whose leader line missed
the other labels taken, and was left out."""


def _segments_cross(lines: np.ndarray, others: np.ndarray) -> np.ndarray:
    """How many of the segments ``others`` each of ``lines`` crosses (each x0, y0, x1, y1; a NaN line crosses none).

    Two segments cross when the ends of each lie strictly on either side of the other.

    >>> lines = np.array([[0.0, 0.0, 2.0, 2.0], [0.0, 3.0, 1.0, 3.0]])
    >>> _segments_cross(lines, np.array([[0.0, 2.0, 2.0, 0.0]])).tolist()
    [1, 0]
    """

    def side(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
        """The sign of the turn a -> b -> c (points as (..., 2))."""
        return np.sign(
            (b[..., 0] - a[..., 0]) * (c[..., 1] - a[..., 1]) - (b[..., 1] - a[..., 1]) * (c[..., 0] - a[..., 0])
        )

    p, q = lines[:, None, :2], lines[:, None, 2:]
    r, t = others[None, :, :2], others[None, :, 2:]
    with np.errstate(invalid="ignore"):
        crossing = (side(p, q, r) * side(p, q, t) < 0) & (side(r, t, p) * side(r, t, q) < 0)
    return crossing.sum(axis=1)


def _free_place(
    own: np.ndarray,
    w: float,
    h: float,
    size: np.ndarray,
    dots: np.ndarray,
    placed: list[np.ndarray],
    leaders: tuple[np.ndarray, ...] | list[np.ndarray] = (),
    led_ok: bool = True,
    counts: np.ndarray | None = None,
) -> tuple[float, float, bool]:
    """Lower-left corner (points) of the best place for a ``w`` x ``h`` label of the dot at ``own``; whether it is led.

    Of the places inside the axes, the one covering the fewest labels (or coming nearer to
    one than :data:`LABEL_GAP_PT`, or than :data:`SIDE_GAP_PT` beside it on its line) and
    crossing the fewest leader lines (its own leader line through another label, or another's
    through it: :func:`_crossed`), then the fewest other dots (nearer than :data:`CLEAR_PT`)
    with the other dots and leader lines its own leader line runs through, then the first tried. Places away from the
    dot, reached by a leader line, are tried only if ``led_ok``. ``counts``: the dots on each spot of ``dots``
    where those are the distinct spots (:func:`_place_labels`), one each where None.

    Only the dots within reach of a place or a leader line count, and only a leader line is tested against
    them: those of the places tried and the dot, widened by :data:`CLEAR_PT` and :data:`DOT_PT`, hold every
    dot nearer than :data:`CLEAR_PT` to a place and every dot's box a line from a place to its dot runs through.
    """
    px, py = own
    gap, lift = 0.012 * size[0], 0.01 * size[1]  # right of the dot, a little above: as labels always were
    up, down = py + DOT_PT + 1, py - DOT_PT - 1 - h
    beside = [
        (px + gap, py + lift - h / 2),  # right
        (px - gap - w, py + lift - h / 2),  # left
        (px - w / 2, up),  # above
        (px - w / 2, down),  # below
        (px + 2, up),
        (px + 2, down),
        (px - 2 - w, up),
        (px - 2 - w, down),
    ]
    step, aside = h * 1.1, w + 2 * SIDE_GAP_PT  # a column further out: clear of a label in the one before it
    led = [  # beside the dot, one line higher or lower at a time, then one label's width further out
        (x + sign_x * column * aside, py + lift - h / 2 + k * step * sign)
        for column in range(LEADER_COLUMNS if led_ok else 0)
        for k in range(0 if column else 1, int(size[1] // step) + 1)
        for sign in ((1,) if k == 0 else (1, -1))
        for x, sign_x in ((px + gap, 1), (px - gap - w, -1))
    ]
    x0, y0 = np.array(beside + led).T[:, :, None]  # one row per place
    inside = np.flatnonzero(
        ((x0 >= EDGE_PT) & (y0 >= EDGE_PT) & (x0 + w <= size[0] - EDGE_PT) & (y0 + h <= size[1] - EDGE_PT))[:, 0]
    )
    if len(inside) == 0:  # wider or taller than the axes: from the left edge
        return EDGE_PT, max(EDGE_PT, py - h / 2), False
    x0, y0 = x0[inside], y0[inside]
    lines = np.column_stack([x0[:, 0] + w / 2, y0[:, 0] + h / 2, np.broadcast_to(own, (len(inside), 2))])
    lines[inside < len(beside)] = np.nan  # a label right beside its dot has no leader line
    covered = _covered(placed, x0, y0, w, h) + _crossed(leaders, placed, x0[:, 0], y0[:, 0], w, h, lines)
    counts = np.ones(len(dots), int) if counts is None else counts
    room = CLEAR_PT + DOT_PT
    (left, low), (right, high) = np.minimum(own, [x0.min(), y0.min()]), np.maximum(own, [x0.max() + w, y0.max() + h])
    within = (
        (dots[:, 0] > left - room)
        & (dots[:, 0] < right + room)
        & (dots[:, 1] > low - room)
        & (dots[:, 1] < high + room)
    )
    mine = np.hypot(*(dots - own).T) < ALIKE_PT  # the dots sharing this label
    others, counts = dots[within & ~mine], counts[within & ~mine]
    reach = np.hypot(np.clip(others[:, 0], x0, x0 + w) - others[:, 0], np.clip(others[:, 1], y0, y0 + h) - others[:, 1])
    near = ((reach < CLEAR_PT) * counts).sum(axis=1)
    dot_boxes = np.column_stack([others - DOT_PT, others + DOT_PT])
    tangled = _segments_cross(lines, np.array(leaders).reshape(-1, 4))
    led_at = np.flatnonzero(inside >= len(beside))  # the places with a leader line
    tangled[led_at] += (_segments_hit(lines[led_at], dot_boxes) * counts).sum(axis=1)
    best = np.lexsort((inside, near + tangled, covered))[0]
    return float(x0[best, 0]), float(y0[best, 0]), bool(inside[best] >= len(beside))


def _finite_stats(stats: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The points of ``stats`` whose medians of ``columns`` are all finite: the dots a frontier can place.

    :func:`sweep_notes` counts the points left out (:func:`_finite_points`).
    """
    return stats[np.isfinite(stats[columns].to_numpy(float)).all(axis=1)]


def frontier_figure(
    table: pd.DataFrame, paths: list[str], members: list[str], fairness_of: str | None = None
) -> Figure:
    """Total shortfall against fairness, one point per grid point (medians over all its runs).

    ``fairness_of``: the material whose own index ``fairness_jain`` holds (:func:`fairness_material`),
    named on the fairness axis; None: the index over all materials.

    Fairness is the median over every run, 1 in a run where no one is short (as total shortfall
    is over every run): unlike the metrics figure and the heatmap, which summarise it over the
    runs with a member short, so that each dot is one setting's runs on both axes.
    Efficient within each group of equal swept conditions (:func:`efficient_within`).
    """
    stats = _finite_stats(
        _point_stats(table, paths, {TOTAL: table[TOTAL], FAIRNESS: table[FAIRNESS]}), [TOTAL, FAIRNESS]
    )
    grouping = condition_groups(stats, paths, members)
    efficient = efficient_within(
        _rounded(stats[TOTAL]), -_rounded(stats[FAIRNESS]), grouping.groups
    )  # noise is no gain
    fig = _frontier(
        stats,
        paths,
        TOTAL,
        FAIRNESS,
        efficient,
        f"{metric_title(TOTAL)}, median over runs",
        f"{fairness_title(fairness_of)}, median {FAIRNESS_OVER_ALL}",
        "Efficiency against fairness: one point per grid point",
        grouping,
        _fairness_range(members),
    )
    return fig


def holding_cost_columns(table: pd.DataFrame, members: list[str]) -> list[str]:
    """The members' ``holding_cost_usd.<member>`` columns present in ``table``."""
    return [f"holding_cost_usd.{m}" for m in members if f"holding_cost_usd.{m}" in table]


def holding_cost_usd(table: pd.DataFrame, members: list[str], by_point: MembersByPoint | None = None) -> pd.Series:
    """Each run's holding cost of the members' strategic stock (USD): its point's (``by_point``), else ``members``'.

    A region's reserve held where it is not a member is its own, not the club's: not counted at that point.
    """
    if by_point is None:
        return table[holding_cost_columns(table, members)].sum(axis=1)
    cost = pd.Series(0.0, index=table.index)
    for club, rows in _rows_by_club(table, by_point):
        cost[rows] = table.loc[rows, holding_cost_columns(table, club)].sum(axis=1)
    return cost


POOL_BUYING_USD = "pool_buying_usd"
"""The column :func:`with_pool_size` adds to a pool sweep's table without holding costs: what buying each point's
joint pool costs (USD, :func:`pool_size`), the cost frontier's x axis (:func:`pool_axis`)."""
POOL_T = "pool_t"
"""As :data:`POOL_BUYING_USD` where some material put in has no price: each point's joint pool on day 0 (t)."""
POOL_STILL = ("shocks", "agreement.ratio", "agreement.mechanism")
"""Swept paths that never move the joint pool on day 0 nor its price: :func:`pool_sizes` builds no scenario for
their values."""


class PoolSize(NamedTuple):
    """A grid point's joint pool on day 0 (:func:`pool_size`)."""

    buying_usd: float
    """What buying it costs (USD): each member's pool share at the reference price, a share held already at 0."""
    tonnes: float
    """Its tonnes, all members and materials (t)."""
    priced: bool
    """Every material bought for it has a price: :attr:`buying_usd` leaves none out."""


def pool_size(scenario: Any) -> PoolSize:
    """The joint pool on day 0 of a validated scenario, and what buying it costs.

    The report's purchase of a pool share (:attr:`simulator.report.accounts.Stake.buying_usd`: the contribution
    x the material's reference price x 1,000 kg/t, 0 for a share held already), added over members and materials.
    """
    from simulator.report.accounts import Stake
    from simulator.scenario.checks import reference_price
    from simulator.stocks import is_held_today, starting_stocks

    stakes = [
        Stake(
            contributed_t=t,
            ownership=0.0,
            price_usd_per_kg=reference_price(scenario, material),
            won_t=0.0,
            drawn_auction_t=0.0,
            drawn_rule_t=0.0,
            unused_auction_t=0.0,
            pool_share_end_t=0.0,
            held_today=t > 0 and is_held_today(scenario, member, material),
        )
        for (member, material), t in starting_stocks(scenario).contributed_t.items()
    ]
    return PoolSize(
        float(sum(s.buying_usd for s in stakes)),
        float(sum(s.contributed_t for s in stakes)),
        all(s.price_usd_per_kg for s in stakes if s.contributed_t > 0 and not s.held_today),
    )


def pool_sizes(raw: dict[str, Any], grid: dict[str, list[Any]], points: list[int]) -> dict[int, PoolSize]:
    """Each of ``points``' joint pool (:func:`pool_size`): the scenario ``raw`` with the ``grid``'s values there.

    Points are numbered as the grid's cross product, the first path varying slowest
    (:meth:`~simulator.sweep.grid.SweepSpec.points`). One scenario is built per combination of the values of
    the paths that may move the pool (not those under :data:`POOL_STILL`): a pool swept against ten embargo
    lengths builds one per pool size.
    """
    from simulator.sweep.runner import build_point

    paths, values = list(grid), [list(v) for v in grid.values()]
    moving = [i for i, path in enumerate(paths) if not any(path == p or within(path, p) for p in POOL_STILL)]
    shape = [len(v) for v in values]
    built: dict[tuple[int, ...], PoolSize] = {}
    out = {}
    for point in points:
        at = np.unravel_index(point, shape)
        combo = tuple(int(at[i]) for i in moving)
        if combo not in built:
            built[combo] = pool_size(build_point(raw, {paths[i]: values[i][at[i]] for i in moving}, "scenario.json"))
        out[point] = built[combo]
    return out


def swept_scenario(folder: Path) -> dict[str, Any] | None:
    """The scenario a sweep ran (its fixed values set): ``scenario.json`` in ``folder``, or beside a staging folder.

    The figures of a finished sweep are drawn in a staging folder inside the sweep's, whose ``scenario.json`` is
    written with the table, before them. None where there is none, or it is not JSON.
    """
    from simulator.output_folder import is_stage

    for where in (folder, folder.parent) if is_stage(folder) else (folder,):
        path = where / "scenario.json"
        if path.is_file():
            try:
                data = read_json(path.read_bytes().decode("utf-8"))
            except (OSError, ValueError, NestedTooDeeply):
                return None
            return data if isinstance(data, dict) else None
    return None


def with_pool_size(table: pd.DataFrame, info: dict[str, Any], folder: Path) -> pd.DataFrame:
    """``table`` with each point's joint pool (:func:`pool_sizes`) where the cost frontier cannot use holding costs.

    Where a pool path is swept and the holding cost is 0 in every run (the scenario sets no
    ``materials.<m>.holding_cost_usd_per_t_year``): what buying each point's pool costs (:data:`POOL_BUYING_USD`),
    or its tonnes where a material bought has no price (:data:`POOL_T`). NaN where the scenario the sweep ran
    is not found (:func:`swept_scenario`) or refuses a point's pool values, or the table's points are not the
    grid's cross product: the frontier is then not drawn (:func:`pool_axis`). Otherwise ``table`` as it is.
    """
    paths, members = list(info.get("grid", {})), _members(info)
    if not sweeps_the_pool(paths) or not holding_cost_columns(table, members) or POOL_BUYING_USD in table:
        return table
    if (holding_cost_usd(table, members, point_members(info)) != 0).any():
        return table
    raw = swept_scenario(folder)
    grid = info["grid"]
    if raw is None or int(np.prod([len(v) for v in grid.values()])) != info.get("points"):
        return table.assign(**{POOL_BUYING_USD: np.nan})
    points = table["point"].to_numpy(int)
    try:
        sizes = pool_sizes(raw, grid, sorted(set(points.tolist())))
    except InputError:  # a scenario.json edited by hand, or a combination valid only with the other axes' values
        return table.assign(**{POOL_BUYING_USD: np.nan})
    if all(size.priced for size in sizes.values()):
        return table.assign(**{POOL_BUYING_USD: [sizes[p].buying_usd for p in points]})
    return table.assign(**{POOL_BUYING_USD: 0.0, POOL_T: [sizes[p].tonnes for p in points]})


class PoolAxis(NamedTuple):
    """The cost frontier's x axis (:func:`pool_axis`)."""

    values: pd.Series | None
    """Each run's x value; None where it is not known here (:func:`with_pool_size` not called, or found nothing)."""
    label: str
    """The axis label."""
    what: str
    """What it is, for a note: ``holding cost``."""
    note: str | None
    """Why it is not the holding cost, said beside the figure; None where it is."""


HOLDING_LABEL = "Holding cost of strategic stock (million USD), median over runs"
BUYING_LABEL = "Cost of buying the joint pool (million USD, at the reference price; no holding cost set)"
POOL_T_LABEL = "Joint pool on day 0 (t; no holding cost set, a material without a price)"


def pool_axis(table: pd.DataFrame, members: list[str], by_point: MembersByPoint | None = None) -> PoolAxis:
    """The x axis of the cost frontier: the members' holding cost, or what buying the pool costs where that is 0.

    A scenario that sets no holding cost (``materials.<m>.holding_cost_usd_per_t_year``) holds stock for
    nothing: every point would sit at 0 on an axis of no width, every size efficient. There the axis is what
    buying each point's joint pool costs (:data:`POOL_BUYING_USD`), else its tonnes (:data:`POOL_T`), from the
    columns :func:`with_pool_size` adds; ``values`` None where they are not in ``table``, and all NaN where they
    could not be worked out.
    """
    holding = holding_cost_usd(table, members, by_point)
    if (holding != 0).any():
        return PoolAxis(holding / 1e6, HOLDING_LABEL, "holding cost", None)
    materials = sorted({c.split(".")[2] for c in table.columns if c.startswith("shortfall_t.") and c.count(".") == 2})
    fields = join_words([f"materials.{m}.holding_cost_usd_per_t_year" for m in materials or ["<m>"]])
    if POOL_T in table:
        values, label, what = table[POOL_T], POOL_T_LABEL, "joint pool's tonnes"
    else:
        values = table[POOL_BUYING_USD] / 1e6 if POOL_BUYING_USD in table else None
        label, what = BUYING_LABEL, "cost of buying the joint pool"
        if values is None:  # not sized here: priced or not is not known
            what += " (its tonnes where a material put in has no price)"
    note = (
        f"the scenario sets no holding cost ({fields}: 0 or not set), so its x axis is the {what} at each point, "
        "not the holding cost (0 at every point)"
    )
    return PoolAxis(values, label, what, note)


def pool_frontier_figure(
    table: pd.DataFrame, paths: list[str], members: list[str], by_point: MembersByPoint | None = None
) -> Figure:
    """Holding cost of the strategic stock against total shortfall, one point per grid point.

    Efficient within each group of equal swept conditions (:func:`efficient_within`): a shorter
    embargo costs less shortfall, but nobody can buy it. The cost is each point's members'
    (:func:`holding_cost_usd`); where that is 0 in every run, what buying each point's pool costs
    (:func:`pool_axis`), said on the axis and under the title.
    """
    axis = pool_axis(table, members, by_point)
    if axis.values is None:
        raise ValueError("no holding cost and no pool sizes: add them with with_pool_size")
    stats = _finite_stats(_point_stats(table, paths, {"cost": axis.values, TOTAL: table[TOTAL]}), ["cost", TOTAL])
    grouping = condition_groups(stats, paths, members)
    efficient = efficient_within(_rounded(stats["cost"]), _rounded(stats[TOTAL]), grouping.groups)
    title = "What a larger stock buys: one point per grid point"
    if axis.note is not None:
        title += f"\nx: the {axis.what} (no holding cost set in the scenario)"
    return _frontier(
        stats,
        paths,
        "cost",
        TOTAL,
        efficient,
        axis.label,
        f"{metric_title(TOTAL)}, median over runs",
        title,
        grouping,
        x_from_zero=not costs_crowd(stats["cost"].to_numpy(float)),
    )


CROWDED_SHARE = 0.25
"""Points spread over less than this share of an axis from 0 to the highest crowd on it (:func:`costs_crowd`)."""


def costs_crowd(costs_musd: np.ndarray) -> bool:
    """Whether the points' holding costs (million USD) spread over less than :data:`CROWDED_SHARE` of an axis from 0.

    An analyst's gallium pool swept Japan's 0-100 t of gallium (0.0-0.9 million USD a year) beside 12.3 million USD
    of rare earths held at every point: on an axis from 0 the 33 points crowded into its last fourteenth.

    >>> costs_crowd(np.array([12.3, 12.5, 13.2])), costs_crowd(np.array([4.0, 7.0])), costs_crowd(np.array([5.0]))
    (True, False, False)
    """
    low, high = float(np.min(costs_musd)), float(np.max(costs_musd))
    return high > low > 0 and high - low < CROWDED_SHARE * high


def _draws(table: pd.DataFrame, info: dict[str, Any]) -> dict[str, tuple[Any, str | None]]:
    """Each figure the grid calls for: (a function drawing it, or None; why not, or None)."""
    paths, members, by_point = list(info.get("grid", {})), _members(info), point_members(info)
    fairness_of = fairness_material(table, info)
    table = fairness_read(table, fairness_of)
    metrics = key_metrics(table)
    every_flat = len(table) > 1 and all(is_flat(table[m]) for m in metrics)
    flat_why = (
        "every key metric is the same at every point ("
        + "; ".join(_flat_text(table, m, fairness_of) for m in metrics)
        + ")"
    )
    metrics_png, heatmap_png, frontier_png, pool_png = FIGURE_FILES
    out: dict[str, tuple[Any, str | None]] = {}
    several = table["point"].nunique() > 1
    if len(paths) in (1, 2):
        name = metrics_png if len(paths) == 1 else heatmap_png
        shown = fairness_at_points(table, members, by_point)  # as the figure summarises it, worked out once
        flat_panels = [text for m in metrics if (text := flat_panel(shown[0], m, paths, fairness_of))]
        if not several:  # a lone dot with a band of no width, or a map of one cell: nothing to compare
            out[name] = (
                None,
                f"{'a metrics figure' if len(paths) == 1 else 'a heatmap'} needs two or more grid points",
            )
        elif every_flat:
            out[name] = (None, flat_why)
        elif metrics and len(flat_panels) == len(metrics):  # runs differ, but no panel tells the points apart
            out[name] = (
                None,
                "every key metric's statistic is the same at every point (" + "; ".join(flat_panels) + ")",
            )
        elif len(paths) == 1:
            out[name] = (
                lambda: metrics_figure(table, paths[0], members, by_point, fairness_of, shown),
                _not_shown(table, paths, metrics),
            )
        else:
            out[name] = (
                lambda: heatmap_figure(table, paths[0], paths[1], members, by_point, fairness_of, shown),
                _not_shown(table, paths, metrics),
            )
    if len(members) > 1 and {TOTAL, FAIRNESS} <= set(table.columns):
        both = f"{metric_title(TOTAL)} and {fairness_title(fairness_of)}"
        dots, left_out = _finite_points(table, {TOTAL: table[TOTAL], FAIRNESS: table[FAIRNESS]}, both)
        if not several:
            out[frontier_png] = (None, "a frontier needs two or more grid points")
        elif not varying_choices(table, paths, members):
            out[frontier_png] = (None, _no_choice(table, paths, members))
        elif dots["point"].nunique() < 2:
            out[frontier_png] = (None, f"fewer than two grid points have a finite {both} (medians over its runs)")
        elif _same_medians(dots, {TOTAL: dots[TOTAL], FAIRNESS: dots[FAIRNESS]}):  # the dots it would draw
            out[frontier_png] = (None, f"every point has the same {both} (medians over its runs)")
        else:
            out[frontier_png] = (lambda: frontier_figure(dots, paths, members, fairness_of), left_out)
    if several and sweeps_the_pool(paths) and holding_cost_columns(table, members):
        out[pool_png] = _pool_draw(table, paths, members, by_point)
    return out


def _pool_draw(
    table: pd.DataFrame, paths: list[str], members: list[str], by_point: MembersByPoint | None
) -> tuple[Any, str | None]:
    """The cost frontier of :func:`_draws`: (a function drawing it, or None; why not, or what it says, or None).

    Its x axis as :func:`pool_axis` gives it: where it is the pool's size, not yet known here (:func:`sweep_notes`
    at the end of a sweep, whose figures :func:`with_pool_size` sized), a point's pool is told apart by its swept
    pool values.
    """
    axis = pool_axis(table, members, by_point)
    cost = axis.values if axis.values is not None else pd.Series(0.0, index=table.index)
    if axis.values is not None and axis.values.isna().all():
        return (
            None,
            f"{axis.note}; but the pools could not be sized from the scenario the sweep ran (its scenario.json)",
        )
    both = f"{axis.what} and {metric_title(TOTAL)}"
    dots, left_out = _finite_points(table, {"cost": cost, TOTAL: table[TOTAL]}, both)
    cost = cost[dots.index]
    pool = [path for path in paths if within(path, "agreement.pool")]
    if not varying_choices(table, paths, members):
        return None, _no_choice(table, paths, members)
    if dots["point"].nunique() < 2:
        return None, f"fewer than two grid points have a finite {both} (medians over its runs)"
    if _same_medians(dots, {"cost": cost, TOTAL: dots[TOTAL]}) and (
        axis.values is not None or all(holds_one_value(dots[path]) for path in pool)
    ):
        return None, f"every point has the same {both} (medians over its runs)"
    why = "; ".join(text for text in (axis.note, left_out) if text) or None
    return (lambda: pool_frontier_figure(dots, paths, members, by_point)), why


def varying_choices(table: pd.DataFrame, paths: list[str], members: list[str]) -> list[str]:
    """The swept choices (:func:`~simulator.sweep.choices.choice_paths`) with two or more values in ``table``.

    A choice swept with one value (``--grid agreement.ratio.japan=0.5``) offers nothing to choose
    between: a frontier of it would mark each condition's one dot efficient.
    """
    return [path for path in choice_paths(paths, members) if not holds_one_value(table[path])]


def _no_choice(table: pd.DataFrame, paths: list[str], members: list[str]) -> str:
    """Why a frontier of a grid with no choice that varies is not drawn (:mod:`simulator.sweep.choices`).

    >>> _no_choice(pd.DataFrame({"shocks.halt.end": [1, 2]}), ["shocks.halt.end"], ["eu"])[:62]
    'no choice is swept (shocks.halt.end is a condition, not the cl'
    >>> grid = pd.DataFrame({"agreement.ratio.japan": [0.5, 0.5], "shocks.halt.end": [1, 2]})
    >>> _no_choice(grid, list(grid), ["eu"])[:69]
    'no choice varies (agreement.ratio.japan takes one value; shocks.halt.'
    """
    chosen = choice_paths(paths, members)
    if not chosen:
        verb = "is a condition" if len(paths) == 1 else "are conditions"
        return (
            f"no choice is swept ({', '.join(paths)} {verb}, not the club's to decide): "
            "a frontier compares the club's choices under the same conditions"
        )
    verb = "takes one value" if len(chosen) == 1 else "take one value each"
    others = [path for path in paths if path not in chosen]
    conditions = f"; {', '.join(others)} {'is a condition' if len(others) == 1 else 'are conditions'}" if others else ""
    return (
        f"no choice varies ({', '.join(chosen)} {verb}{conditions}): "
        "a frontier compares the club's choices under the same conditions"
    )


def _not_shown(table: pd.DataFrame, paths: list[str], metrics: list[str]) -> str | None:
    """Which panels miss some grid points: their median there is NaN or infinite.

    Only a hand-edited table holds such values in a key metric; a panel with none finite
    says so in words (:func:`flat_panel`), one with some draws the others. (Fairness where
    no run is short is shown as ``none short`` in the figure, not counted here.)
    """
    missing = []
    for metric in metrics:
        stats = table.groupby(paths, sort=False)[metric].median().to_numpy(float)
        bad = int((~np.isfinite(stats)).sum())
        if 0 < bad < len(stats):
            missing.append(f"{metric_title(metric)} at {plural(bad, 'grid point')}")
    return f"{'; '.join(missing)} not shown (no finite value)" if missing else None


def _finite_points(table: pd.DataFrame, columns: dict[str, pd.Series], what: str) -> tuple[pd.DataFrame, str | None]:
    """The rows of the grid points whose medians of ``columns`` are finite (a dot can be drawn), and what was left out.

    A hand-edited table may hold NaN or infinity where a sweep writes numbers: such a
    point has no place on a frontier, and the note names how many were left out.
    """
    values = pd.DataFrame({name: v.to_numpy(float) for name, v in columns.items()}, index=table.index)
    medians = values.groupby(table["point"].to_numpy()).median()
    finite = medians.index[np.isfinite(medians.to_numpy()).all(axis=1)]
    left = len(medians) - len(finite)
    if not left:
        return table, None
    why = f"{plural(left, 'grid point')} left out: no finite {what} (medians over its runs)"
    return table[table["point"].isin(finite)], why


def _same_medians(table: pd.DataFrame, columns: dict[str, pd.Series]) -> bool:
    """Whether every grid point has the same median of each column (a frontier of one dot)."""
    medians = pd.DataFrame(columns).groupby(table["point"].to_numpy()).median()
    return all(is_flat(medians[name]) for name in columns)


def unchanged_paths(table: pd.DataFrame, paths: list[str]) -> list[str]:
    """Swept paths whose values change no metric of any run, whatever the other axes' values.

    Rows that differ only in that path's value (same run, same values on the other axes)
    are compared on every metric column, rounded to 9 decimals. A path with one value
    compares nothing, and is not one of them (``--grid shocks.china_embargo.severity=0.8``).

    >>> grid = pd.DataFrame({"a": [0.8, 0.8], "b": [0.4, 0.6], "point": [0, 1], "run": [0, 0], "x": [1.0, 1.0]})
    >>> unchanged_paths(grid, ["a", "b"])
    ['b']
    """
    keys = {*paths, *ROW_KEYS}
    metrics = [c for c in table.columns if c not in keys and pd.api.types.is_numeric_dtype(table[c])]
    if len(paths) == 0 or table["point"].nunique() < 2:
        return []
    rounded = _rounded(table[metrics].to_numpy(float))  # every column at once: the same rounding as column by column
    rounded[np.isnan(rounded)] = np.inf  # NaN equal to NaN
    out = []
    for path in paths:
        if holds_one_value(table[path]):
            continue
        others = [p for p in paths if p != path] + ["run"]
        group = table[others].astype(str).groupby(others, sort=False).ngroup().to_numpy()
        first = np.unique(group, return_index=True)[1]  # each group's first row, by group number
        if (rounded == rounded[first[group]]).all():  # one value per group and column (0.0 == -0.0)
            out.append(path)
    return out


def sweep_notes(table: pd.DataFrame, info: dict[str, Any]) -> list[str]:
    """What the figures do not say themselves: figures not drawn, and why.

    A swept path whose values changed no output is noted once, where the sweep finishes
    (:func:`~simulator.sweep.finish_sweep` puts :func:`unchanged_notes` in ``info["notes"]``).
    """
    drawable = _labelled(table, list(info.get("grid", {})))  # as the figures see it: list values as labels
    notes = [
        f"{name} {'not drawn' if draw is None else 'drawn'}: {why}"
        for name, (draw, why) in _draws(drawable, info).items()
        if why
    ]
    return notes + unlike_tonnes_notes(table, info)


def short_materials(table: pd.DataFrame, regions: list[str] | None = None) -> list[str]:
    """The materials some region (of ``regions``; None: any) is short of in some run of ``table``, sorted.

    :func:`simulator.shortages.short_of` over the whole table (every point, every run), asked of the regions
    whose ``shortfall_t.<region>.<material>`` column the table has: a sweep's table names no scenario, so the
    regions and materials are its columns' (a region without a column is not asked, not an error), and the
    materials come sorted by name, not in a scenario's order.
    """
    held: dict[str, list[str]] = {}
    for column in table.columns:
        if column.startswith("shortfall_t.") and column.count(".") == 2:
            region, material = column.split(".")[1:]
            if regions is None or region in regions:
                held.setdefault(material, []).append(region)
    return sorted(m for m in held if some_short_of(table, held[m], m).any())


def fairness_material(table: pd.DataFrame, info: dict[str, Any]) -> str | None:
    """The one material whose own Jain's index the fairness figures read, or None: the index over all materials.

    Where the sweep's tonnes may not be added (``sweep.json``'s :data:`SHORTFALL_ADDS`), the index over all
    materials divides each member's shortfall of the material short by its demand for every material: with
    gallium alone short, a member using only gallium looks as if it bore everything (an analyst's gallium pool
    drew ~0.34 where gallium's own index was ~0.996). So where the members are short of exactly one material
    over the whole table, the figures read that material's index (``fairness_jain.all.<material>``), as
    ``stockpile run`` does (:func:`simulator.scenario.tonnes.index_by_material`). Where several are short the
    index over all materials stays, and :func:`fairness_notes` says so; where tonnes may be added, too.
    """
    if not info.get(SHORTFALL_ADDS) or not _members(info):
        return None
    short = short_materials(table, _members(info))
    if len(short) != 1 or f"{FAIRNESS_OF}{short[0]}" not in table:
        return None
    return short[0]


def fairness_read(table: pd.DataFrame, material: str | None) -> pd.DataFrame:
    """``table`` with ``fairness_jain`` holding ``material``'s own index (None: unchanged), as the figures read it."""
    if material is None or FAIRNESS not in table:
        return table
    return table.assign(**{FAIRNESS: table[f"{FAIRNESS_OF}{material}"]})


def unlike_tonnes_notes(table: pd.DataFrame, info: dict[str, Any], figures: bool = True) -> list[str]:
    """A note where the table's shortfall totals add unlike tonnes of two or more materials short somewhere.

    ``total_shortfall_t`` and ``shortfall_t.<member>`` (and, with ``figures`` drawn, the figures' panels of
    them) add every material's tonnes, as the model records them; where these count different things or
    are priced far apart (:data:`SHORTFALL_ADDS`), the note names the per-material columns. Then
    :func:`fairness_notes`: where the members are short of two or more materials, Jain's index adds them too
    (read by the fairness figures, with ``figures`` drawn).
    """
    adds = info.get(SHORTFALL_ADDS)
    if not adds or len(short_materials(table)) < 2:
        return []
    panels = " (and the figures' panels of them)" if figures else ""
    each = "shortfall_t.<member>.<material> gives each material"
    tonnes = f"total_shortfall_t and shortfall_t.<member>{panels} add {adds}: {each}"
    return [tonnes, *fairness_notes(table, info, figures)]


def fairness_notes(table: pd.DataFrame, info: dict[str, Any], figures: bool = False) -> list[str]:
    """A note where ``fairness_jain``, and so the fairness figures, add unlike tonnes of two or more materials short.

    Where the sweep's tonnes may not be added (:data:`SHORTFALL_ADDS`) and the members are short of two or more
    materials somewhere in ``table``, the index over all materials stays in the figures (no one material's index
    stands for the others; :func:`fairness_material`), and the note names the per-material columns; with
    ``figures`` drawn it says that they read it, without (``--no-plots``, a sweep kept in memory) it names the
    column alone. Kept in ``sweep.json``'s ``notes`` without (:func:`~simulator.sweep.finish_sweep` writes it
    before any figure is drawn, and with ``--no-plots`` none is), and said with the closing notes.

    >>> table = pd.DataFrame({"fairness_jain": [0.5], "shortfall_t.a.x": [1.0], "shortfall_t.b.y": [2.0]})
    >>> info = {"members": ["a", "b"], SHORTFALL_ADDS: "tonnes of metal and tonnes of oxide"}
    >>> [fairness_notes(table, info, figures)[0].split(" adds ")[0] for figures in (True, False)]
    ['fairness_jain (which the fairness figures read)', 'fairness_jain']
    """
    adds = info.get(SHORTFALL_ADDS)
    if not adds or FAIRNESS not in table or len(short_materials(table, _members(info))) < 2:
        return []
    read = " (which the fairness figures read)" if figures else ""
    return [f"fairness_jain{read} adds {adds}: fairness_jain.all.<material> gives each material's index"]


def unchanged_notes(
    table: pd.DataFrame, paths: list[str], mechanisms: list[str] | None = None, found: list[str] | None = None
) -> list[str]:
    """A note for each swept path whose values changed no output (:func:`unchanged_paths`), kept in ``sweep.json``.

    ``mechanisms``: the release rules the sweep ran (:func:`~simulator.sweep.unread.sweep_mechanisms`; None or empty:
    not known); where none of them reads the path, the note says so (:func:`~simulator.sweep.unread.not_read_text`).
    ``found``: those paths as :func:`unchanged_paths` gave them already (None: worked out here).
    """
    from simulator.sweep.unread import not_read_text

    return [
        f"{path}: its values changed no output of this sweep (every metric is the same for each value)"
        f"{not_read_text(path, mechanisms or [])}"
        for path in (unchanged_paths(table, paths) if found is None else found)
    ]


def _labelled(table: pd.DataFrame, paths: list[str]) -> pd.DataFrame:
    """``table`` with each swept path whose values are lists or mappings (a list of shocks) as short labels.

    A figure places and groups points by their values, which must be hashable: a list of
    items with ids is labelled by the ids (``[halt]``), anything else by its text. Dates
    are read as ``datetime64[ms]`` (:func:`_dated`).
    """
    table = _dated(table, paths)
    nested = [p for p in paths if p in table and _holds_nested(table[p])]
    return table.assign(**{p: _labels(table[p]) for p in nested}) if nested else table


def _labels(values: pd.Series) -> pd.Series:
    """A short label per value; numbered in the order values first appear when two labels would be alike.

    Mappings (``--grid 'agreement.pool.contributions={korea: {cobalt: {days: 30}}, ...},{...}'``) are
    labelled by the leaves that differ between them (:func:`_changing_leaves`), not by their text cut short.
    """
    plain = values.map(lambda v: v.tolist() if isinstance(v, np.ndarray) else v)
    if len(plain) and all(isinstance(v, dict) for v in plain):
        leaves = [_leaves(v) for v in plain]
        labels = pd.Series([_changing_leaves(one, leaves) for one in leaves], index=values.index)
    else:
        labels = values.map(_label_of)
    keys = values.map(lambda v: repr(v.tolist() if isinstance(v, np.ndarray) else v))
    distinct = list(dict.fromkeys(keys))
    if labels.groupby(keys, sort=False).first().nunique() == len(distinct):
        return labels
    number = {key: i for i, key in enumerate(distinct, start=1)}
    return pd.Series([f"{number[k]}: {label}" for k, label in zip(keys, labels, strict=True)], index=values.index)


def _leaves(value: dict[str, Any], at: str = "") -> dict[str, Any]:
    """Each leaf of a nested mapping by its dotted path (a None leaf left out: a key the value does not set).

    >>> _leaves({"korea": {"cobalt": {"days": 30}}, "japan": {"cobalt": {"days": 30, "tonnes": None}}})
    {'korea.cobalt.days': 30, 'japan.cobalt.days': 30}
    """
    out: dict[str, Any] = {}
    for key, item in value.items():
        path = f"{at}{key}"
        if isinstance(item, dict):
            out |= _leaves(item, f"{path}.")
        elif item is not None:
            out[path] = item
    return out


def _changing_leaves(one: dict[str, Any], every: list[dict[str, Any]]) -> str:
    """A swept mapping's label: its leaves (``one``, :func:`_leaves`) that differ between the grid's values (``every``).

    Leaves that change together, alike at every point, are named once by the last segments they share:
    the same pool of 30 days for each of three members is ``cobalt.days=30``, not the mapping's text cut
    at 40 characters before the days. A leaf that changes alone keeps its path (``korea.cobalt.days=30``).

    >>> grid = [{"kr": {"co": {"days": d}}, "jp": {"co": {"days": d}}, "eu": {"co": {"days": 9}}} for d in (30, 60)]
    >>> [_changing_leaves(one, every) for every in [[_leaves(v) for v in grid]] for one in every]
    ['co.days=30', 'co.days=60']
    >>> every = [_leaves({"korea": {"co": {"days": 30}}}), _leaves({"korea": {"co": {"tonnes": 500}}})]
    >>> [_changing_leaves(one, every) for one in every]
    ['korea.co.days=30', 'korea.co.tonnes=500']
    """
    changing: dict[tuple[str, ...], list[str]] = {}  # the leaves that change together, by their values at every point
    for path in dict.fromkeys(path for leaves in every for path in leaves):
        values = tuple(repr(leaves.get(path)) for leaves in every)  # the leaf's value at each point
        if len(set(values)) > 1:
            changing.setdefault(values, []).append(path)
    parts = []
    for together in changing.values():
        present = [path for path in together if path in one]
        if present:
            parts.append(f"{_shared_end(together)}={_label(one[present[0]])}")
    return ", ".join(parts) or "{}"


def _shared_end(paths: list[str]) -> str:
    """The last dotted segments ``paths`` share (a path alone whole; all of them joined by ``/`` where none is shared).

    >>> _shared_end(["korea.co.days", "eu.co.days"]), _shared_end(["korea.co.days"]), _shared_end(["a.x", "b.y"])
    ('co.days', 'korea.co.days', 'a.x/b.y')
    """
    if len(paths) == 1:
        return paths[0]
    parts = [path.split(".") for path in paths]
    shared = 0
    while shared < min(map(len, parts)) and len({p[-1 - shared] for p in parts}) == 1:
        shared += 1
    return ".".join(parts[0][len(parts[0]) - shared :]) if shared else "/".join(paths)


def _label_of(value: Any) -> str:
    """A swept value of a list or mapping as a label: a list of items with ids by their ids, else its text, short."""
    plain = value.tolist() if isinstance(value, np.ndarray) else value
    if isinstance(plain, list) and all(isinstance(item, dict) and "id" in item for item in plain):
        return "[" + ", ".join(str(item["id"]) for item in plain) + "]"
    return textwrap.shorten(str(plain), 40)


def write_sweep_figures(table: pd.DataFrame, info: dict[str, Any], folder: Path) -> list[Path]:
    """The figures that fit the sweep's grid and have something to show (see the module docstring).

    ``folder``: where they are written, the sweep's folder or a staging folder in it: its ``scenario.json``
    sizes the pools of a cost frontier without holding costs (:func:`with_pool_size`).
    """
    table = _labelled(with_pool_size(table, info, folder), list(info.get("grid", {})))
    drawn = [(folder / name, draw) for name, (draw, _why) in _draws(table, info).items() if draw is not None]
    if len(drawn) > 1:
        import matplotlib.figure  # noqa: F401  (once, before the fork: the child inherits it)

    def drawing(path: Path, draw: Callable[[], Figure]) -> Callable[[], None]:
        return lambda: draw().savefig(path, dpi=110)

    run_shared([drawing(path, draw) for path, draw in drawn])  # half in a forked child where two cores allow
    return [path for path, _ in drawn]


def redraw(folder: Path, force: bool = False) -> tuple[list[Path], list[str]]:
    """Redraw a finished sweep's figures from its table (``stockpile plot-sweep``).

    The figures replace those in the folder's manifest (one no longer drawn is removed); a
    file of the same name that the manifest does not list is overwritten only with
    ``force`` (exit 2 otherwise).
    A hand-edited table is drawn as far as it is finite (:func:`_drawable_part`; exit 2 if nothing is).
    Returns the figures written and the notes: what the table holds that no sweep writes
    (:func:`edited_value_notes`, each naming the file and column), which figures were not drawn and why
    (:func:`sweep_notes`), then the swept paths whose values changed no output (:func:`unchanged_notes`).
    """
    table_path, info_path = folder / "sweep.parquet", folder / "sweep.json"
    if not table_path.is_file() or not info_path.is_file():
        raise InputError("not a finished sweep folder (sweep.parquet and sweep.json needed)", str(folder))
    try:
        info = read_json(info_path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text, so not the sweep.json a sweep wrote", str(info_path)) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}), so not the sweep.json a sweep "
            "wrote; run the sweep again",
            str(info_path),
        ) from None
    except NestedTooDeeply as exc:
        raise InputError(f"is not valid JSON ({exc}), so not the sweep.json a sweep wrote", str(info_path)) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the sweep: {exc}", str(info_path)) from None
    try:
        table = pd.read_parquet(table_path)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the sweep: {exc}", str(table_path)) from None
    _check_sweep(info, table, str(folder))
    odd = [f"{folder}: sweep.parquet: {line}" for line in edited_value_notes(table, info)]
    drawable = with_pool_size(_drawable_part(table, info, str(folder)), info, folder)
    with open_folder(folder, FIGURE_FILES, force) as out, out.staged(replaces=FIGURE_FILES) as stage:
        written = write_sweep_figures(drawable, info, stage)
    return [folder / path.name for path in written], odd + sweep_notes(drawable, info) + unchanged_notes(
        drawable, list(info.get("grid", {}))
    )


def drawn_metrics(table: pd.DataFrame, info: dict[str, Any]) -> list[str]:
    """The metric columns the figures draw: the key metrics, and the members' holding costs if a pool path is swept."""
    pool = sweeps_the_pool(list(info.get("grid", {})))
    material = fairness_material(table, info)  # the figures' fairness is this material's index
    own = [f"{FAIRNESS_OF}{material}"] if material is not None and FAIRNESS in table else []
    return key_metrics(table) + own + (holding_cost_columns(table, _members(info)) if pool else [])


def sweeps_the_pool(paths: list[str]) -> bool:
    """Whether a swept path is inside the agreement's pool (``agreement.pool.contributions...``).

    Such a sweep moves the stock held, so its figures draw the holding costs: the cost frontier.

    >>> sweeps_the_pool(["agreement.pool.contributions.japan.ree.days"]), sweeps_the_pool(["agreement.ratio.eu"])
    (True, False)
    """
    return any(within(str(path), "agreement.pool") for path in paths)


def edited_value_notes(table: pd.DataFrame, info: dict[str, Any]) -> list[str]:
    """A line for each column of ``table`` holding what no sweep writes, and what the figures do with it.

    A drawn metric (:func:`drawn_metrics`) NaN or infinite in rows the figures draw (those at
    finite swept numbers, :func:`_finite_swept_rows`): the figures draw the finite values, or,
    with none, leave its panel empty. A swept value that ``sweep.json``'s grid does not
    list: a number or date drawn where it lies on its scale, a category drawn as one of its
    own, an infinite number left out (it has no place on a scale). Only a hand-edited table
    holds either.
    """
    lines = []
    for path, listed in info.get("grid", {}).items():
        kind = axis_kind(table[path])
        off = _off_grid(table[path], listed)
        endless = [v for v in off if kind == "number" and not np.isfinite(float(v))]
        if placed := [v for v in off if v not in endless]:
            one = len(placed) == 1
            drawn = (
                ("as a category of its own" if one else "each as a category of its own")
                if kind == "category"
                else ("where it lies" if one else "where they lie")
            )
            lines.append(f"column {path}: {_some(placed)} not among the grid's values in sweep.json: drawn {drawn}")
        if endless:
            rows = int(table[path].isin(endless).sum())
            lines.append(
                f"column {path}: {plural(rows, 'row')} at {_some(endless)}, on no scale: left out of the figures"
            )
    drawn_rows = table[_finite_swept_rows(table, info)]
    lines.extend(_not_finite_note(drawn_rows, metric) for metric in drawn_metrics(table, info))
    return [line for line in lines if line]


def _not_finite_note(drawn_rows: pd.DataFrame, metric: str) -> str:
    """What the figures do with ``metric``'s NaN or infinite values in the rows they draw ("" for none)."""
    bad = int((~np.isfinite(drawn_rows[metric].to_numpy(float))).sum())
    if not bad:
        return ""
    if bad == len(drawn_rows):
        empty = "its panel is empty" if metric in key_metrics(drawn_rows) else "the figures draw none of it"
        return f"column {metric}: no finite value (NaN or infinite in every drawn row), which no sweep writes: {empty}"
    verb = "is" if bad == 1 else "are"
    return (
        f"column {metric}: {bad} of {plural(len(drawn_rows), 'drawn row')} {verb} NaN or infinite, which no sweep "
        "writes: the figures draw the finite ones"
    )


def _finite_swept_rows(table: pd.DataFrame, info: dict[str, Any]) -> np.ndarray:
    """Which rows of ``table`` the figures draw: those at no infinite swept number (a bool per row).

    A swept column holding NaN never gets here: plot-sweep refuses it before, naming the column.
    """
    finite_rows = np.ones(len(table), bool)
    for path in _swept_numbers(table, info):
        finite_rows &= ~np.isinf(table[path].to_numpy(float))
    return finite_rows


def _swept_numbers(table: pd.DataFrame, info: dict[str, Any]) -> list[str]:
    """The swept paths whose values are numbers."""
    return [p for p in info.get("grid", {}) if axis_kind(table[p]) == "number"]


def _some(values: list[Any]) -> str:
    """Up to three values as labels, and how many more.

    >>> _some([0.5]), _some([1.0, 2.0, 3.0, 4.0, 5.0])
    ('0.5', '1, 2, 3 and 2 more')
    """
    shown = ", ".join(_label(v) for v in values[:3])
    return shown + (f" and {len(values) - 3} more" if len(values) > 3 else "")


def _off_grid(values: pd.Series, listed: Any) -> list[Any]:
    """The distinct values of a swept column that its grid in ``sweep.json`` does not list, in the table's order.

    Numbers match within a relative 1e-9 (a range's steps are written rounded), the grid's
    numbers written as text too; a category matches its name however either writes it (``7``,
    ``"7"``); dates match the grid's dates written as text; a list of shocks or a grid that is
    not a list is not compared.
    """
    if not isinstance(listed, list) or _holds_nested(values):
        return []
    present = list(pd.unique(values.dropna()))
    kind = axis_kind(values)
    if kind == "number":
        numbers = np.array([n for v in listed if (n := _grid_number(v)) is not None], float)
        return [v for v in present if not np.isclose(float(v), numbers, rtol=1e-9, atol=0.0).any()]
    if kind == "date":
        if not listed or not all(isinstance(v, str) for v in listed):
            return []
        try:
            dates = set(pd.to_datetime(listed).normalize())
        except (ValueError, TypeError, OverflowError):
            return []
        return [v for v in present if pd.Timestamp(v).normalize() not in dates]
    texts = {str(v) for v in listed}  # a category's name, as the table and sweep.json may each write it (7, "7")
    return [v for v in present if v not in listed and str(v) not in texts]


def _grid_number(value: Any) -> float | None:
    """A value of ``sweep.json``'s grid as a number: a number, or text that reads as one (``"0.5"``); else None.

    >>> _grid_number(0.5), _grid_number("0.5"), _grid_number("auction"), _grid_number(True)
    (0.5, 0.5, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _drawable_part(table: pd.DataFrame, info: dict[str, Any], folder: str) -> pd.DataFrame:
    """What the figures draw of an edited table: rows at finite swept numbers, drawn metrics' infinities emptied.

    An emptied value is left out of its point's median and 5-95% range, as NaN is. Raises
    :class:`InputError` when nothing is left to draw: no row, or no finite value in any key metric.
    """
    paths = _swept_numbers(table, info)
    finite_rows = _finite_swept_rows(table, info)
    metrics = drawn_metrics(table, info)
    drawable = table[finite_rows].assign(
        **{m: table.loc[finite_rows, m].replace([np.inf, -np.inf], np.nan) for m in metrics}
    )
    if drawable.empty:
        endless = [p for p in paths if np.isinf(table[p].to_numpy(float)).any()]
        columns = f"column{'s' if len(endless) > 1 else ''} {', '.join(endless)}"
        raise InputError([Problem("sweep.parquet", f"{columns}: no row at a finite value: nothing to draw")], folder)
    keys = key_metrics(drawable)
    if keys and not np.isfinite(drawable[keys].to_numpy(float)).any():
        why = f"column{'s' if len(keys) > 1 else ''} {', '.join(keys)}: no finite value (NaN or infinite in every row)"
        raise InputError([Problem("sweep.parquet", f"{why}: nothing to draw")], folder)
    return drawable


def _bad_dates(table: pd.DataFrame, path: str) -> str | None:
    """Why a swept column of dates cannot be drawn (a row without a date, a date no scenario holds), else None."""
    if path not in table or axis_kind(table[path]) != "date":
        return None
    try:
        dates = pd.to_datetime(table[path])
    except (ValueError, TypeError, OverflowError):  # out of pandas' range (before 1677 or after 2262)
        return f"holds dates outside {FIRST_DATE} to {LAST_DATE}, the dates a scenario may give"
    missing = int(dates.isna().sum())
    if missing:
        return (
            f"{plural(missing, 'row')} {'has' if missing == 1 else 'have'} no date: a sweep writes a date in every row"
        )
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    outside = dates[(dates < pd.Timestamp(FIRST_DATE)) | (dates > pd.Timestamp(LAST_DATE))]
    if len(outside):
        return (
            f"{outside.iloc[0].date()} is outside {FIRST_DATE} to {LAST_DATE}, the dates a scenario may give "
            "(a time axis cannot show it)"
        )
    return None


def _no_value(table: pd.DataFrame, path: str, values: Any) -> str | None:
    """Why a swept column cannot be drawn for rows without a value (none where the grid lists null), else None.

    >>> rows = pd.DataFrame({"x": [1.0, None]})
    >>> _no_value(rows, "x", [1, 2]), _no_value(rows, "x", [1, None])
    ("1 row has no value: a sweep writes its point's value in every row", None)
    """
    if path not in table or (isinstance(values, list) and None in values):
        return None
    missing = int(table[path].isna().sum())
    if not missing:
        return None
    rows = f"{plural(missing, 'row')} {'has' if missing == 1 else 'have'}"
    return f"{rows} no value: a sweep writes its point's value in every row"


def _by_point_problems(info: dict[str, Any], table: pd.DataFrame) -> list[str]:
    """What is wrong with ``sweep.json``'s ``members_by_point`` (nothing where absent: every point's are ``members``).

    >>> rows = pd.DataFrame({"point": [0, 1]})
    >>> _by_point_problems({"members_by_point": [["japan"], ["japan", "eu"]]}, rows)
    []
    >>> _by_point_problems({"members_by_point": [["japan"]]}, rows)
    ['no members listed for grid point 1 of the table']
    """
    by_point = info.get("members_by_point")
    if by_point is None:
        return []
    if not isinstance(by_point, list) or not all(
        isinstance(names, list) and all(isinstance(name, str) for name in names) for names in by_point
    ):
        return ["not a list of each grid point's region names"]
    if "point" not in table.columns:
        return []
    unlisted = [p for p in pd.unique(table["point"]) if p not in range(len(by_point))]
    if not unlisted:
        return []
    points = ", ".join(f"{p:g}" for p in unlisted[:3]) + (", ..." if len(unlisted) > 3 else "")
    return [f"no members listed for grid {'point' if len(unlisted) == 1 else 'points'} {points} of the table"]


def _check_sweep(info: Any, table: pd.DataFrame, folder: str) -> None:
    """Raise :class:`InputError` unless ``sweep.json`` and ``sweep.parquet`` are what a sweep writes."""
    problems = []
    if not isinstance(info, dict):
        problems.append(Problem("sweep.json", "is not a sweep's description (a JSON object)"))
        info = {}
    else:  # every sweep writes both (an empty grid, no members, as {} and []): one missing is a damaged file
        problems.extend(
            Problem("sweep.json", f"{key}: missing, so not the sweep.json a sweep wrote; run the sweep again")
            for key in ("grid", "members")
            if key not in info
        )
    grid, members = info.get("grid", {}), info.get("members", [])
    if not isinstance(grid, dict):
        problems.append(Problem("sweep.json", "grid: not a mapping of swept paths to their values"))
        grid = {}
    # the table's own columns and its metrics, which no sweep varies
    if own := [key for key in grid if key in ROW_KEYS or quantity_of(key) is not None]:
        problems.append(Problem("sweep.json", f"grid: {', '.join(own)}: not a swept path but a column of every run"))
        grid = {key: values for key, values in grid.items() if key not in own}
    if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
        problems.append(Problem("sweep.json", "members: not a list of region names"))
    problems.extend(Problem("sweep.json", f"members_by_point: {why}") for why in _by_point_problems(info, table))
    missing = [c for c in ["point", *grid] if c not in table.columns]
    if missing:
        problems.append(Problem("sweep.parquet", f"is not this sweep's table: no column {', '.join(missing)}"))
    if table.empty:
        problems.append(Problem("sweep.parquet", "has no rows: no figure to draw"))
    for column in table.columns:  # the swept paths may hold text (a rule's name); a metric holds numbers
        if column not in grid and not pd.api.types.is_numeric_dtype(table[column]):
            problems.append(Problem("sweep.parquet", f"column {column}: holds text, not numbers"))
    problems.extend(
        Problem("sweep.parquet", f"column {path}: {why}")
        for path, values in grid.items()
        if (why := _bad_dates(table, path) or _no_value(table, path, values))
    )
    if problems:
        raise InputError(problems, folder)
