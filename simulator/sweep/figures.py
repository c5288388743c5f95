"""Figures of a sweep table, redrawn at any time from ``sweep.parquet`` and ``sweep.json``.

Layer: studies.

- one swept parameter: each key metric against it, median line and 5-95% band across
  runs (``sweep_metrics.png``);
- two swept parameters: a heatmap of each key metric's mean (``sweep_heatmap.png``);
- a swept ``agreement.ratio.<member>``: the members' shortfall frontier, one point per
  ratio (medians across runs), efficient points marked (``sweep_frontier.png``).

Names and values from the sweep (paths, swept strings, ids) are shown as plain text:
a ``$`` in them never starts Matplotlib's mathtext.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulator.errors import InputError
from simulator.output_folder import open_folder
from simulator.plots import fixed_margins

BAND = "#9dbbe0"
LINE = "#1f5fa6"
FIGURE_FILES = ("sweep_metrics.png", "sweep_heatmap.png", "sweep_frontier.png")


def _text(value: Any) -> str:
    r"""``value`` as plain text for Matplotlib: every ``$`` escaped, so no mathtext.

    >>> _text("cost $5-$10")
    'cost \\$5-\\$10'
    """
    return str(value).replace("$", r"\$")


def key_metrics(table: pd.DataFrame) -> list[str]:
    """Agreement-wide shortfall and fairness, then each region's shortfall."""
    regional = [c for c in table.columns if c.startswith("shortfall_t.") and c.count(".") == 1]
    return [c for c in ("total_shortfall_t", "fairness_jain") if c in table] + regional


def _positions(values: pd.Series) -> tuple[np.ndarray, list[str] | None]:
    """Numeric axis values, or category positions and labels."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.to_numpy(float), None
    labels = [str(v) for v in pd.unique(values)]
    return np.array([labels.index(str(v)) for v in values], float), labels


def metrics_figure(table: pd.DataFrame, path: str) -> Figure:
    """Each key metric against one swept parameter: median and 5-95% band across runs."""
    metrics = key_metrics(table)
    cols = min(3, len(metrics))
    rows = -(-len(metrics) // cols)
    stats = table.groupby(path, sort=True)[metrics].quantile([0.05, 0.5, 0.95]).unstack()
    x, labels = _positions(pd.Series(stats.index))
    label_room = 0.0 if labels is None else 0.05 * max(len(label) for label in labels)  # labels at 30 degrees
    fig = Figure(figsize=(4.3 * cols, (3.2 + label_room) * rows + 0.6))
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).reshape(-1)
    fixed_margins(fig, rows, cols, top_in=0.6, bottom_in=0.6 + label_room, row_gap_in=0.85 + label_room)
    for ax, metric in zip(axes, metrics, strict=False):
        low, mid, high = (stats[(metric, q)].to_numpy(float) for q in (0.05, 0.5, 0.95))
        ax.fill_between(x, low, high, color=BAND, alpha=0.7, lw=0, label="5-95% of runs")
        ax.plot(x, mid, color=LINE, marker="o", ms=3, lw=1.6, label="median")
        ax.set_title(_text(metric), fontsize=10)
        ax.set_xlabel(_text(path))
        ax.grid(True, color="#dddddd")
        if labels is not None:
            ax.set_xticks(x, [_text(label) for label in labels], rotation=30, ha="right")
    for ax in axes[len(metrics) :]:
        ax.set_visible(False)
    axes[0].legend(fontsize=8)
    fig.suptitle(f"sweep of {_text(path)}: {table['run'].nunique()} run(s) per point", fontweight="bold")
    return fig


def heatmap_figure(table: pd.DataFrame, first: str, second: str) -> Figure:
    """Mean of each key metric over a two-parameter grid."""
    metrics = key_metrics(table)
    cols = min(3, len(metrics))
    rows = -(-len(metrics) // cols)
    fig = Figure(figsize=(4.6 * cols, 3.8 * rows + 0.6))
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).reshape(-1)
    fixed_margins(fig, rows, cols, left_in=0.95, top_in=0.6, bottom_in=1.0, row_gap_in=1.25, col_gap_in=0.75)
    for ax, metric in zip(axes, metrics, strict=False):
        grid = table.pivot_table(index=second, columns=first, values=metric, aggfunc="mean")
        image = ax.imshow(grid.to_numpy(float), origin="lower", aspect="auto", cmap="viridis")
        for axis, values in ((ax.xaxis, grid.columns), (ax.yaxis, grid.index)):
            every = max(1, -(-len(values) // 10))  # at most about 10 labels per axis
            positions = list(range(0, len(values), every))
            axis.set_ticks(positions, [_text(_label(values[i])) for i in positions], fontsize=7)
        ax.tick_params(axis="x", labelrotation=45)
        ax.set_xlabel(_text(first), fontsize=8)
        ax.set_ylabel(_text(second), fontsize=8)
        ax.set_title(f"{_text(metric)} (mean)", fontsize=10)
        fig.colorbar(image, ax=ax, shrink=0.8)
    for ax in axes[len(metrics) :]:
        ax.set_visible(False)
    fig.suptitle(f"sweep of {_text(first)} x {_text(second)}", fontweight="bold")
    return fig


def _label(value: Any) -> str:
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


def frontier_figure(table: pd.DataFrame, path: str, members: list[str]) -> Figure:
    """Shortfall of the swept member against the others' (medians), one point per ratio."""
    swept = path.rsplit(".", 1)[-1]
    others = [m for m in members if m != swept]
    medians = table.groupby(path, sort=True)[[f"shortfall_t.{m}" for m in members]].median()
    x = medians[f"shortfall_t.{swept}"].to_numpy(float)
    y = medians[[f"shortfall_t.{m}" for m in others]].sum(axis=1).to_numpy(float)
    efficient = pareto_efficient(x, y)
    fig = Figure(figsize=(6.4, 5.2))
    ax = fig.subplots()
    fixed_margins(fig, 1, 1, left_in=0.85, top_in=0.45, bottom_in=0.6, right_in=0.3)
    ax.plot(x, y, color="#bbbbbb", lw=1, zorder=1)
    ax.scatter(x[~efficient], y[~efficient], color="#999999", s=28, zorder=2, label="dominated")
    ax.scatter(x[efficient], y[efficient], color="#d1495b", s=40, zorder=3, label="efficient")
    labelled: set[tuple[float, float]] = set()  # one label per distinct point, about 12 in all
    every = max(1, -(-len(x) // 12))
    for i, (ratio, xi, yi) in enumerate(zip(medians.index, x, y, strict=True)):
        key = (round(float(xi), 6), round(float(yi), 6))
        if key not in labelled and (i % every == 0 or i == len(x) - 1):
            labelled.add(key)
            ax.annotate(f"{ratio:g}", (xi, yi), xytext=(4, 4), textcoords="offset points", fontsize=8)
    ax.set_xlabel(f"shortfall of {_text(swept)} (t, median over runs)")
    ax.set_ylabel(f"shortfall of {_text(' + '.join(others))} (t, median over runs)")
    ax.set_title(f"Shortfall frontier: labels are {_text(path)}", fontsize=10)
    ax.grid(True, color="#dddddd")
    ax.legend(fontsize=8)
    return fig


def write_sweep_figures(table: pd.DataFrame, info: dict[str, Any], folder: Path) -> list[Path]:
    """The figures that fit the sweep's grid (see the module docstring)."""
    paths = list(info.get("grid", {}))
    written: list[Path] = []

    def save(fig: Figure, name: str) -> None:
        fig.savefig(folder / name, dpi=110)
        written.append(folder / name)

    metrics_png, heatmap_png, frontier_png = FIGURE_FILES
    if len(paths) == 1:
        save(metrics_figure(table, paths[0]), metrics_png)
    elif len(paths) == 2:
        save(heatmap_figure(table, paths[0], paths[1]), heatmap_png)
    members = list(info.get("members", []))
    for path in paths:
        if path.startswith("agreement.ratio.") and path.rsplit(".", 1)[-1] in members:
            save(frontier_figure(table, path, members), frontier_png)
            break
    return written


def redraw(folder: Path, force: bool = False) -> list[Path]:
    """Redraw a finished sweep's figures from its table (``stockpile plot-sweep``).

    The figures replace those in the folder's manifest; a file of the same name that the
    manifest does not list is overwritten only with ``force`` (exit 2 otherwise).
    """
    table_path, info_path = folder / "sweep.parquet", folder / "sweep.json"
    if not table_path.is_file() or not info_path.is_file():
        raise InputError("not a finished sweep folder (sweep.parquet and sweep.json needed)", str(folder))
    try:
        info = json.loads(info_path.read_text())
        table = pd.read_parquet(table_path)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the sweep: {exc}", str(folder)) from None
    with open_folder(folder, FIGURE_FILES, force) as out, out.staged() as stage:
        written = write_sweep_figures(table, info, stage)
    return [folder / path.name for path in written]
