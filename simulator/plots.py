"""Figures of a run: days of cover, shortfall and supply mix (matplotlib, no pyplot).

Layer: studies.

Every figure has a panel per material and a line per region; shock periods are shaded
and named in the legend; the x axis shows dates when the scenario has a start date.
Days on which the agreement released stock are marked along the bottom of the
days-of-cover panels, one marker per mechanism.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simulator.mechanisms import BY_NAME
from simulator.results import Result

REGION_COLOURS = (
    "#1f5fa6",
    "#d1495b",
    "#2a9d8f",
    "#e9a03b",
    "#6d597a",
    "#3d405b",
    "#81b29a",
    "#9c6644",
    "#111111",
    "#b5838d",
)
LINE_STYLES = ("-", "--", ":", "-.")
MAX_REGIONS = len(REGION_COLOURS) * len(LINE_STYLES)
"""Most regions a figure tells apart (a colour and a line style each)."""
MIN_PANEL_IN = 2.0
"""Panels keep at least this height; a figure grows to make room for a long legend."""
SHOCK_COLOURS = ("#f4a261", "#9d8ec7", "#8ab17d", "#e76f51", "#83c5be", "#bc6c25", "#cdb4db", "#a3b18a")


def _x(result: Result, days: np.ndarray) -> np.ndarray:
    start = result.start_date
    if start is None:
        return days
    return np.datetime64(start) + days.astype("timedelta64[D]")


MONTH_STEPS = (1, 2, 3, 6, 12)


def date_ticks(start: dt.date, horizon_days: int, ticks: int = 6) -> tuple[list[dt.date], list[str]]:
    """About ``ticks`` tick dates over the horizon, with labels (computed, not searched).

    Month starts every 1, 2, 3, 6 or 12 months (aligned on January) for horizons
    over three months; otherwise every week from the start.

    >>> [label.split()[0] for label in date_ticks(dt.date(2010, 7, 1), 730)[1]]
    ['Jul', 'Jan', 'Jul', 'Jan']
    """
    end = start + dt.timedelta(days=horizon_days)
    if horizon_days <= 92:
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


def _format_axis(ax: Axes, result: Result, ticks: int = 6) -> None:
    """Dates (about ``ticks`` of them) with a start date, day numbers without."""
    if result.start_date is not None:
        dates, labels = date_ticks(result.start_date, result.scenario.horizon_days, ticks)
        ax.set_xticks([np.datetime64(d) for d in dates], labels)
    else:
        ax.set_xlabel("day")
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _margins(fig: Figure, rows: int, cols: int, legend_rows: int, left_in: float = 0.75) -> None:
    """Fixed margins: title on top, legend rows at the bottom (the figure grows to fit them)."""
    bottom_in = 0.65 + 0.2 * legend_rows
    width, height = fig.get_size_inches()
    needed_in = 0.55 + bottom_in + rows * MIN_PANEL_IN + 0.8 * (rows - 1)  # fixed_margins' top and row gap
    if height < needed_in:
        fig.set_size_inches(width, needed_in)
    fixed_margins(fig, rows, cols, left_in=left_in, bottom_in=bottom_in)


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
    col_gap_in: float = 0.9,
) -> None:
    """Margins and gaps between panels in inches, whatever the figure's size.

    Fixed margins replace Matplotlib's constrained layout, which measures every text
    several times and took about half of the time of drawing a figure.
    """
    width, height = fig.get_size_inches()
    panel_height = (height - top_in - bottom_in - row_gap_in * (rows - 1)) / rows
    panel_width = (width - left_in - right_in - col_gap_in * (cols - 1)) / cols
    fig.subplots_adjust(
        left=left_in / width,
        right=1 - right_in / width,
        top=1 - top_in / height,
        bottom=bottom_in / height,
        hspace=row_gap_in / max(panel_height, 0.5),
        wspace=col_gap_in / max(panel_width, 0.5),
    )


def _shade_shocks(ax: Axes, result: Result, material: str) -> None:
    horizon = result.scenario.horizon_days
    for k, shock in result.shocks.iterrows():
        spec = result.scenario.shocks[int(str(k))]
        if spec.materials is not None and material not in spec.materials:
            continue
        start, end = max(0, int(shock["start_day"])), min(horizon, int(shock["end_day"]))
        if end <= start:
            continue
        label = f"{shock['id']} ({shock['kind'].replace('_', ' ')}"
        label += f", {shock['magnitude']:g})" if shock["kind"] != "delay" else f", +{shock['magnitude']:g} d)"
        x0, x1 = _x(result, np.array([start, end]))
        ax.axvspan(x0, x1, color=SHOCK_COLOURS[int(str(k)) % len(SHOCK_COLOURS)], alpha=0.22, lw=0, label=label)


def _panels(result: Result, rows: int = 1) -> tuple[Figure, np.ndarray]:
    materials = list(result.structure.materials)
    width = max(7.0, 5.2 * len(materials))
    fig = Figure(figsize=(width, 3.4 * rows + 1.2))
    axes = np.atleast_2d(fig.subplots(rows, len(materials), squeeze=False))
    return fig, axes


def _region_lines(ax: Axes, result: Result, material: str, column: str) -> None:
    ts = result.timeseries
    for i, region in enumerate(result.structure.regions):
        rows = ts[(ts["region"] == region) & (ts["material"] == material)]
        ax.plot(
            _x(result, rows["day"].to_numpy()),
            rows[column].to_numpy(),
            color=REGION_COLOURS[i % len(REGION_COLOURS)],
            ls=LINE_STYLES[i // len(REGION_COLOURS) % len(LINE_STYLES)],
            lw=1.8,
            label=region,
        )


def _mark_releases(ax: Axes, result: Result, material: str) -> None:
    ts = result.timeseries
    rows = ts[(ts["material"] == material) & (ts["release_rule"] != "")].drop_duplicates("day")
    for mechanism, group in rows.groupby("release_rule"):
        days = group["day"].to_numpy()
        ax.plot(
            _x(result, days),
            np.zeros(len(days)),
            ls="none",
            marker=BY_NAME[str(mechanism)].marker,
            ms=3,
            color="#333333",
            alpha=0.45,
            clip_on=False,
            label=f"release: {BY_NAME[str(mechanism)].label}",
        )


def _finish(fig: Figure, axes: np.ndarray, title: str, rows: int, cols: int, left_in: float = 0.75) -> None:
    handles, labels = [], []
    for ax in axes.flat:
        for h, label in zip(*ax.get_legend_handles_labels(), strict=True):
            if label not in labels:
                handles.append(h)
                labels.append(label)
    columns = min(4, max(1, len(labels)))
    _margins(fig, rows, cols, -(-len(labels) // columns), left_in)
    fig.suptitle(title, fontsize=12, fontweight="bold", y=1 - 0.12 / fig.get_size_inches()[1])
    fig.legend(
        handles,
        labels,
        loc="lower center",
        ncols=columns,
        fontsize=8,
        frameon=False,
        bbox_to_anchor=(0.5, 0.02 / fig.get_size_inches()[1]),
    )


COVER_TARGETS_DAYS = (30.0, 60.0)
"""Target lines on cover figures: a month and two months of normal demand."""


def days_of_cover_figure(result: Result) -> Figure:
    """Drawable days of cover per region (panel per material), shocks shaded, releases marked, 30/60-day targets."""
    fig, axes = _panels(result)
    for j, material in enumerate(result.structure.materials):
        ax = axes[0, j]
        _shade_shocks(ax, result, material)
        _region_lines(ax, result, material, "days_of_cover")
        _mark_releases(ax, result, material)
        for target in COVER_TARGETS_DAYS:
            ax.axhline(target, color="0.45", linewidth=0.8, linestyle=(0, (4, 3)), zorder=1)
            ax.annotate(
                f"{target:g} days",
                (1.0, target),
                xycoords=("axes fraction", "data"),
                xytext=(-2, 2),
                textcoords="offset points",
                ha="right",
                va="bottom",
                fontsize=7,
                color="0.35",
            )
        ax.set_title(material.replace("_", " "))
        ax.set_ylabel("drawable days of cover")
        ax.set_ylim(bottom=0)
        _format_axis(ax, result)
    _finish(
        fig,
        axes,
        f"{result.scenario.name}: drawable days of cover (stock the region can use now / baseline daily demand)",
        *axes.shape,
    )
    return fig


def shortfall_figure(result: Result) -> Figure:
    """Daily and cumulative shortfall per region (panel per material), shocks shaded."""
    fig, axes = _panels(result, rows=2)
    for j, material in enumerate(result.structure.materials):
        for row, (column, label) in enumerate(
            (("shortfall_t", "shortfall (t/day)"), ("shortfall_cum_t", "cumulative shortfall (t)"))
        ):
            ax = axes[row, j]
            _shade_shocks(ax, result, material)
            _region_lines(ax, result, material, column)
            ax.set_ylabel(label)
            ax.set_ylim(bottom=0)
            _format_axis(ax, result)
        axes[0, j].set_title(material.replace("_", " "))
    _finish(fig, axes, f"{result.scenario.name}: shortfall (demand not met)", *axes.shape)
    return fig


def supply_mix_figure(result: Result) -> Figure:
    """Arrivals by supplier over time (stacked areas, 7-day means), region x material."""
    regions, materials = result.structure.regions, result.structure.materials
    fig = Figure(figsize=(max(7.0, 5.2 * len(materials)), 2.8 * len(regions) + 1.2))
    axes = np.atleast_2d(fig.subplots(len(regions), len(materials), squeeze=False))
    supply = result.supply
    for i, region in enumerate(regions):
        for j, material in enumerate(materials):
            ax = axes[i, j]
            rows = supply[(supply["region"] == region) & (supply["material"] == material)]
            table = rows.pivot(index="day", columns="supplier", values="arrivals_t")[list(result.structure.suppliers)]
            smooth = table.rolling(7, min_periods=1).mean()
            ax.stackplot(
                _x(result, smooth.index.to_numpy()),
                smooth.to_numpy().T,
                labels=list(smooth.columns),
                colors=SHOCK_COLOURS[: len(smooth.columns)],
                alpha=0.9,
            )
            ax.set_title(f"{region}: {material.replace('_', ' ')}", fontsize=10)
            ax.set_ylabel("arrivals (t/day)")
            _format_axis(ax, result)
    _finish(fig, axes, f"{result.scenario.name}: supply by supplier (7-day mean of arrivals)", *axes.shape)
    return fig


def prices_figure(result: Result) -> Figure:
    """Prices (top, log scale) and realised demand as a share of baseline (bottom).

    The top panels show what each region paid and the world price; a panel per material,
    shocks shaded.
    """
    fig, axes = _panels(result, rows=2)
    market = result.market
    ts = result.timeseries
    for j, material in enumerate(result.structure.materials):
        top, bottom = axes[0, j], axes[1, j]
        for ax in (top, bottom):
            _shade_shocks(ax, result, material)
        _region_lines(top, result, material, "price_usd_per_kg")
        rows = market[market["material"] == material]
        top.plot(
            _x(result, rows["day"].to_numpy()),
            rows["world_price_usd_per_kg"].to_numpy(),
            color="#111111",
            lw=1.0,
            ls=":",
            label="world price",
        )
        top.set_yscale("log")
        top.set_ylabel("price (USD/kg, log scale)")
        top.set_title(material.replace("_", " "))
        for i, region in enumerate(result.structure.regions):
            cells = ts[(ts["region"] == region) & (ts["material"] == material)]
            baseline = cells["baseline_demand_t"].to_numpy()
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.where(baseline > 0, cells["demand_t"].to_numpy() / baseline, np.nan)
            bottom.plot(
                _x(result, cells["day"].to_numpy()),
                100 * share,
                color=REGION_COLOURS[i % len(REGION_COLOURS)],
                ls=LINE_STYLES[i // len(REGION_COLOURS) % len(LINE_STYLES)],
                lw=1.8,
            )
        bottom.set_ylabel("realised demand (% of baseline)")
        for ax in (top, bottom):
            _format_axis(ax, result)
    _finish(fig, axes, f"{result.scenario.name}: prices and the demand they leave", *axes.shape)
    return fig


def write_figures(result: Result, folder: Path) -> list[Path]:
    """Write ``days_of_cover.png``, ``shortfall.png``, ``supply_mix.png`` and, with a market, ``prices.png``."""
    written = []
    figures = [
        ("days_of_cover.png", days_of_cover_figure),
        ("shortfall.png", shortfall_figure),
        ("supply_mix.png", supply_mix_figure),
    ]
    if result.structure.market:
        figures.append(("prices.png", prices_figure))
    for name, make in figures:
        path = folder / name
        make(result).savefig(path, dpi=110)
        written.append(path)
    return written


def compare_figure(results: dict[str, Result]) -> Figure:
    """Cumulative shortfall per member and material under each rule; totals and fairness."""
    first = next(iter(results.values()))
    members = first.structure.member_names
    materials = list(first.structure.materials)
    cols = max(2, len(members))
    fig = Figure(figsize=(3.9 * cols + 1.0, 2.9 * len(materials) + 3.8))
    grid = fig.add_gridspec(len(materials) + 1, cols, height_ratios=[1.0] * len(materials) + [1.3])
    for j, material in enumerate(materials):
        for n, member in enumerate(members):
            ax = fig.add_subplot(grid[j, n])
            for k, (mechanism, result) in enumerate(results.items()):
                ts = result.timeseries
                rows = ts[(ts["region"] == member) & (ts["material"] == material)]
                ax.plot(
                    _x(result, rows["day"].to_numpy()),
                    rows["shortfall_cum_t"].to_numpy(),
                    lw=1.5,
                    color=REGION_COLOURS[k % len(REGION_COLOURS)],
                    label=mechanism.replace("_", " "),
                )
            ax.set_title(f"{member}, {material.replace('_', ' ')}", fontsize=10)
            ax.set_ylabel("cumulative shortfall (t)", fontsize=8)
            ax.set_ylim(bottom=0)
            _format_axis(ax, first, ticks=4)
    names = list(results)
    labels = [name.replace("_", " ") for name in names]
    totals = [results[name].metrics["total_shortfall_t"] for name in names]
    fairness = [results[name].metrics["fairness_jain"] for name in names]
    half = cols // 2
    ax_total = fig.add_subplot(grid[-1, :half])
    ax_total.barh(labels, totals, color="#1f5fa6")
    ax_total.set_xlabel("total shortfall of members (t)")
    ax_fair = fig.add_subplot(grid[-1, half:])
    ax_fair.barh(labels, fairness, color="#2a9d8f")
    ax_fair.set_xlim(0, 1.15)
    ax_fair.set_xlabel("fairness (Jain's index, 1 = equal)")
    ax_total.set_xlim(0, max(totals) * 1.2 if max(totals) > 0 else 1.0)
    for ax, values, fmt in ((ax_total, totals, "{:,.1f}"), (ax_fair, fairness, "{:.3f}")):
        ax.invert_yaxis()
        for y, value in enumerate(values):
            ax.annotate(
                fmt.format(value), (value, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8
            )
        ax.grid(True, axis="x", color="#dddddd")
    _finish(
        fig,
        np.array(fig.axes[: len(materials) * len(members)]),
        f"{first.scenario.name}: release rules compared",
        rows=len(materials) + 1,
        cols=cols,
        left_in=1.2,
    )
    return fig
