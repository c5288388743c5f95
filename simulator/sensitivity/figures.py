"""Figures of uncertainty studies: sensitivity bars and fan charts of the daily curves.

Layer: studies.

- ``sensitivity.png``: a panel per metric (titled with its registry label and unit), a
  bar per input (labelled with the entry's label), most influential on top. Sobol':
  total index ``ST`` with its confidence interval and, inside it, the first-order ``S1``.
  Morris: ``mu_star`` with its confidence interval, ``sigma`` as a dot.
- ``fan_days_of_cover.png`` and ``fan_shortfall.png``: a panel per material, a band per
  region from the 5th to the 95th percentile over the samples with the median as a line,
  and the scenario's own run dashed.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simulator.palette import REGION_COLOURS
from simulator.plots import date_ticks, fixed_margins
from simulator.sensitivity.indices import RANKED_BY, Method
from simulator.sweep.columns import metric_title, metric_unit

MAX_PANELS = 6
"""Metrics drawn in ``sensitivity.png`` (all of them are in ``sensitivity.csv``)."""
MAX_BARS = 12
"""Inputs per panel (the most influential)."""


def _text(value: object) -> str:
    return str(value).replace("$", r"\$")


def sensitivity_figure(table: pd.DataFrame, method: Method, runs: int) -> Figure:
    """Bars of each metric's indices, one panel per metric (the first :data:`MAX_PANELS`)."""
    metrics = list(dict.fromkeys(table["metric"]))[:MAX_PANELS]
    bars = min(MAX_BARS, int(table.groupby("metric").size().max()))
    cols = min(2, len(metrics))
    rows = -(-len(metrics) // cols)
    panel_in = 0.32 * bars + 0.9
    fig = Figure(figsize=(6.2 * cols + 1.2, panel_in * rows + 1.1))
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).reshape(-1)
    fixed_margins(
        fig, rows, cols, left_in=2.4, right_in=0.3, top_in=0.75, bottom_in=0.55, row_gap_in=0.8, col_gap_in=2.6
    )
    for ax, metric in zip(axes, metrics, strict=False):
        rows_of = table[table["metric"] == metric].head(bars)
        _bars(ax, rows_of, method, metric)
    for ax in axes[len(metrics) :]:
        ax.set_visible(False)
    what = "Sobol' indices" if method == "sobol" else "Morris elementary effects"
    fig.suptitle(f"{what}: {runs:,} runs", fontweight="bold")
    return fig


def _bars(ax: Axes, rows: pd.DataFrame, method: Method, metric: str) -> None:
    labels = [textwrap.shorten(_text(label), 34, placeholder="...") for label in rows["label"]]
    y = np.arange(len(rows))[::-1]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_title(_text(metric_title(metric)), fontsize=10)
    ax.grid(True, axis="x", color="#dddddd")
    ax.set_axisbelow(True)
    if rows[RANKED_BY[method]].isna().all():
        ax.text(
            0.5, 0.5, "the same in every run:\nnothing to attribute", ha="center", va="center", transform=ax.transAxes
        )
        ax.set_xticks([])
        return
    if method == "sobol":
        ax.barh(y, rows["ST"], xerr=rows["ST_conf"], color="#9dbbe0", ecolor="#555555", label="total (ST)")
        ax.barh(y, rows["S1"], height=0.4, color="#1f5fa6", label="first order (S1)")
        ax.set_xlim(0, max(1.0, float(np.nanmax(rows["ST"] + rows["ST_conf"]))))
        ax.set_xlabel("share of the metric's variance")
    else:
        ax.barh(y, rows["mu_star"], xerr=rows["mu_star_conf"], color="#9dbbe0", ecolor="#555555", label="mu*")
        ax.plot(rows["sigma"], y, "o", color="#d1495b", ms=4, label="sigma")
        unit = metric_unit(metric)
        ax.set_xlabel(f"mean absolute effect over the input's range{f' ({unit})' if unit else ''}")
        ax.set_xlim(left=0)
    ax.legend(fontsize=7, loc="lower right")


def _days_axis(ax: Axes, start: dt.date | None, horizon_days: int) -> None:
    if start is None:
        ax.set_xlabel("day")
    else:
        dates, labels = date_ticks(start, horizon_days)
        ax.set_xticks([(d - start).days for d in dates], labels)
    ax.set_xlim(0, horizon_days - 1)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def fan_figure(
    bands: dict[str, np.ndarray],
    own: np.ndarray,
    regions: list[str],
    materials: list[str],
    start: dt.date | None,
    title: str,
    ylabel: str,
    runs: int,
) -> Figure:
    """A fan chart of one daily curve.

    ``bands`` maps ``p5``, ``p50`` and ``p95`` to arrays (day, region, material); ``own``
    is the scenario's own run, same shape.
    """
    horizon = own.shape[0]
    fig = Figure(figsize=(6.2 * len(materials), 4.4))
    axes = np.atleast_1d(fig.subplots(1, len(materials), squeeze=False)).reshape(-1)
    fixed_margins(fig, 1, len(materials), top_in=0.7, bottom_in=1.15, left_in=0.8)
    days = np.arange(horizon)
    for m, (ax, material) in enumerate(zip(axes, materials, strict=True)):
        for r, region in enumerate(regions):
            colour = REGION_COLOURS[r % len(REGION_COLOURS)]
            ax.fill_between(days, bands["p5"][:, r, m], bands["p95"][:, r, m], color=colour, alpha=0.18, lw=0)
            ax.plot(days, bands["p50"][:, r, m], color=colour, lw=1.6, label=f"{_text(region)}: median, 5-95%")
            ax.plot(days, own[:, r, m], color=colour, lw=1.0, ls="--", label=f"{_text(region)}: scenario as written")
        ax.set_title(_text(material), fontsize=10)
        ax.set_ylabel(ylabel)
        ax.set_ylim(bottom=0)
        _days_axis(ax, start, horizon)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), fontsize=8, frameon=False)
    fig.suptitle(f"{title}: {runs:,} samples of the uncertain inputs", fontweight="bold")
    return fig
