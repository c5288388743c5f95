"""The prices figure: world price and what regions paid (log scale), and the demand the prices leave.

Layer: studies.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from simulator.names import Names, join_words
from simulator.numeric import same_to_rounding
from simulator.plots.columns import days_as_x, table_column, table_rows
from simulator.plots.curves import region_style
from simulator.plots.finish import finish_figure
from simulator.plots.layout import Panels, format_axis
from simulator.plots.line_labels import LABEL_SPAN, LINE_LABEL_INSET_IN, clear_spot, draw_line_label
from simulator.plots.shock_bands import clear_lanes, shade_shocks
from simulator.plots.style import LINE_LABEL_PT
from simulator.plots.text import plain_text, text_width_in
from simulator.results import Result
from simulator.scenario.checks import price_bounds, reference_price
from simulator.scenario.portfolio import has_demand


def market_materials(result: Result) -> list[str]:
    """Materials with a market (a price that moves)."""
    return [m for m in result.structure.materials if m in result.scenario.market]


def _price_ticks(ax: Axes) -> None:
    """A log axis labelled in plain numbers (20, 50, 100), not powers of ten."""
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())


REFERENCE_INK = "0.35"


def _usd_per_kg(price: float) -> str:
    """A price as a line's label writes it: ``15,650 USD/kg`` from 1,000 up, else four figures (``13.13 USD/kg``)."""
    return f"{price:,.0f} USD/kg" if price >= 1000 else f"{price:.4g} USD/kg"


def _panel_curves(ax: Axes, price: float) -> tuple[list[np.ndarray], float]:
    """The curves drawn in ``ax`` so far and the lowest of them and ``price``: the log axis is measured from it."""
    curves = [np.asarray(line.get_ydata(), float) for line in ax.get_lines()]
    return curves, min([price, *(float(np.nanmin(c)) for c in curves if len(c))])


def _reference_price(ax: Axes, price: float | None) -> tuple[float, tuple[float, str]] | None:
    """The market's reference price (its price at normal cover, where it starts): a dashed line with its value.

    A log axis may put its lowest tick well above a price that starts low (20 over a
    start at 13.13): the line and its label say where the price started. The axis
    reaches below the line so that the label has room under it. The label goes where it
    crosses fewest of the curves drawn in the panel so far (:func:`clear_spot`): the world
    price and what each region paid. Returns the line's price and its label's spot, None without a price.
    """
    if price is None:
        return None
    curves, base = _panel_curves(ax, price)
    spot = clear_spot([np.log(c / base) for c in curves], float(np.log(price / base)))
    low, high = ax.get_ylim()
    room = 1.35 if spot[1] == "top" else 1.1
    ax.set_ylim(min(low, price / room), max(high, price * 1.35))
    ax.axhline(price, color=REFERENCE_INK, linewidth=0.8, linestyle=(0, (4, 3)), zorder=1)
    draw_line_label(ax, price, f"reference price {_usd_per_kg(price)}", spot, REFERENCE_INK)
    return price, spot


CAP_SHOWN_FROM = 0.8
"""Share of its cap the world price must reach on some day for the prices panel to draw the cap (:func:`_price_cap`)."""
CAP_SPOTS = ((0.0, "top"), (0.0, "bottom"))
"""Where the cap's label may go: at the panel's left, where the price starts (at its reference, far under the cap),
under the line first, else over it."""
CAP_LABEL_ROOM = 0.12
"""Share of a prices panel's height (its log span, before the shock lanes) kept above the cap for a label over it: the
label is 12.2 points tall with its offset, a twelfth of a panel of 2 inches, the least a panel has."""
CAP_LINE_ROOM = 1.1
"""How far above the cap the axis reaches at least (a ratio) where its label is under it: the line clear of the
frame and of the shock lanes over it."""


def _price_cap(
    ax: Axes, world: np.ndarray, cap: float, reference: tuple[float, tuple[float, str]] | None, panel_in: float
) -> None:
    """The market's price cap (USD/kg) as a thin dashed line with its value, where the world price comes near it.

    The cap (``market.<material>.price.cap_usd_per_kg``, else 100 times the reference
    price) is an assumption of the model, not of the market: the price moves toward the
    price the market's cover indicates, clipped to the cap (:func:`simulator.market.adjust_price`).
    A price that runs into it (Dy at 14,100 USD/kg, 90 times its reference, under a halt
    to Japan lost at the border into 2012, the cap 15,650) is the cap's, and the panel
    says so: the line is drawn where the world price reaches :data:`CAP_SHOWN_FROM` of the
    cap on some day, nowhere else (the 2010 replay's prices stay under an eighth of
    theirs). The label goes under the line unless a curve runs under it there, else over it
    (:data:`CAP_SPOTS`, :func:`clear_spot`, the label's width measured against the panel's,
    ``panel_in`` inches: most of a report's panel), clear of the reference price's label
    (``reference``: its price and spot); over it, the axis keeps :data:`CAP_LABEL_ROOM` of its
    height above the cap for it.
    """
    if not cap > 0 or not np.nanmax(world, initial=0.0) >= CAP_SHOWN_FROM * cap:
        return
    text = f"price cap {_usd_per_kg(cap)} (assumed)"
    span = max(LABEL_SPAN, (text_width_in([text], LINE_LABEL_PT) + LINE_LABEL_INSET_IN) / panel_in)
    curves, base = _panel_curves(ax, cap)
    placed = () if reference is None else ((float(np.log(reference[0] / base)), reference[1]),)
    in_logs = [np.log(c / base) for c in curves]
    spot = clear_spot(in_logs, float(np.log(cap / base)), spots=CAP_SPOTS, placed=placed, span=span)
    low, high = ax.get_ylim()
    top = low * (cap / low) ** (1 / (1 - CAP_LABEL_ROOM)) if spot[1] == "bottom" else cap * CAP_LINE_ROOM
    ax.set_ylim(low, max(high, top))
    ax.axhline(cap, color=REFERENCE_INK, linewidth=0.7, linestyle=(0, (6, 2)), zorder=1)
    draw_line_label(ax, cap, text, spot, REFERENCE_INK)


def prices_figure(result: Result, *, width_in: float | None = None, columns: int | None = None) -> Figure:
    """Prices (top, log scale) and realised demand as a share of baseline (bottom), a panel per market.

    The top panels show the world price and, where it differs, what a region paid (a
    premium under a targeted embargo), the reference price, and the price cap where the
    world price comes near it (:func:`_price_cap`); shocks shaded.
    """
    names = Names.of(result.scenario)
    grid = Panels(result, rows=2, materials=market_materials(result), width_in=width_in, columns=columns)
    world_label = world_price_label(result)
    shares = {material: demand_shares(result, material) for material in grid.materials}
    sames = {material: same_as_drawn(shares[material]) for material in grid.materials}
    labels = demand_labels(result, shares, sames)
    for material in grid.materials:
        top, bottom = grid.cells[0, material], grid.cells[1, material]
        lanes = [shade_shocks(ax, result, material) for ax in (top, bottom)]
        rows = table_rows(result, "market", material=material)
        world = table_column(result, "market", "world_price_usd_per_kg")[rows]
        top.plot(
            days_as_x(result, table_column(result, "market", "day")[rows]),
            world,
            color="#111111",
            lw=1.6,
            label=world_label,
        )
        for i, region in enumerate(result.structure.regions):
            cells = table_rows(result, "timeseries", region=region, material=material)
            days = days_as_x(result, table_column(result, "timeseries", "day")[cells])
            paid = table_column(result, "timeseries", "price_usd_per_kg")[cells]
            if not np.allclose(paid, world, rtol=1e-9, atol=0.0):
                style = {**region_style(i), "lw": 1.3}
                top.plot(days, paid, label=f"paid by {names.region(region)}", **style)
            _demand_line(bottom, days, shares[material][region], i, labels[region], sames[material][region] is not None)
        _price_ticks(top)
        reference = _reference_price(top, reference_price(result.scenario, material))
        _price_cap(top, world, price_bounds(result.scenario, material)[1], reference, grid.panel_in)
        top.set_ylabel("price (USD/kg, log scale)")
        top.set_title(plain_text(names.material(material)))
        bottom.set_ylabel("realised demand (% of baseline)")
        # A share of baseline is read against the whole of demand: an axis starting at 80% drew a fall
        # of a fifth as a fall to almost nothing. The axis starts at 0 (not a marked break): the height
        # of the curve is then the share of demand left, as the label says.
        bottom.set_ylim(0.0, max(105.0, bottom.get_ylim()[1]))
        for ax, share in zip((top, bottom), lanes, strict=True):
            clear_lanes(ax, share)
            format_axis(ax, result, grid.ticks)
    finish_figure(
        grid.fig,
        grid.axes(),
        f"{result.scenario.name}: prices and the demand they leave",
        grid.rows,
        grid.cols,
        shocks_above=True,
    )
    return grid.fig


def world_price_label(result: Result) -> str:
    """The world price's legend entry, naming the regions that pay it in every market (their lines lie under it).

    ``world price, which Japan and the EU pay``: a region's price is drawn (``paid by
    Japan``) only where it differs from the world price; where it does not, its line would
    lie under the world price's, so the legend says who pays the world price instead of
    listing lines nobody can see. Regions without demand for a market's material are not
    counted in it; ``world price`` when no region pays it everywhere.
    """
    names = Names.of(result.scenario)
    world_rows = {m: table_rows(result, "market", material=m) for m in market_materials(result)}
    world = table_column(result, "market", "world_price_usd_per_kg")
    paid = table_column(result, "timeseries", "price_usd_per_kg")
    payers = []
    for region in result.structure.regions:
        used = [m for m in world_rows if has_demand(result.scenario, region, m)]
        if used and all(
            np.allclose(
                paid[table_rows(result, "timeseries", region=region, material=m)],
                world[world_rows[m]],
                rtol=1e-9,
                atol=0.0,
            )
            for m in used
        ):
            payers.append(names.subject(region))
    if not payers:
        return "world price"
    if len(payers) == len(result.structure.regions) > 2:
        return "world price, which every region pays"
    return f"world price, which {join_words(payers)} {'pays' if len(payers) == 1 else 'pay'}"


def demand_shares(result: Result, material: str) -> dict[str, np.ndarray]:
    """Each region's realised demand of ``material`` in % of its baseline, day by day (NaN where it has none)."""
    shares = {}
    for region in result.structure.regions:
        cells = table_rows(result, "timeseries", region=region, material=material)
        baseline = table_column(result, "timeseries", "baseline_demand_t")[cells]
        demand = table_column(result, "timeseries", "demand_t")[cells]
        with np.errstate(divide="ignore", invalid="ignore"):
            shares[region] = 100 * np.where(baseline > 0, demand / baseline, np.nan)
    return shares


def _drawn(curve: np.ndarray) -> bool:
    """Whether a curve shows anything (a region without demand for a material has none)."""
    return bool(np.isfinite(curve).any())


def same_as(curve: np.ndarray, drawn: list[tuple[str, np.ndarray]]) -> str | None:
    """The first region in ``drawn`` whose curve is ``curve`` (to rounding), else ``None``; empty curves match none."""
    if not _drawn(curve):
        return None
    for region, other in drawn:
        if _drawn(other) and other.shape == curve.shape and same_to_rounding(other, curve).all():
            return region
    return None


def same_as_drawn(shares: dict[str, np.ndarray]) -> dict[str, str | None]:
    """In one panel, each region's curve: the earlier region whose curve it repeats (drawn under it), else ``None``."""
    sames: dict[str, str | None] = {}
    for region, share in shares.items():
        sames[region] = same_as(share, [(r, shares[r]) for r in sames])
    return sames


def demand_labels(
    result: Result, shares: dict[str, dict[str, np.ndarray]], sames: dict[str, dict[str, str | None]]
) -> dict[str, str]:
    """Each region's legend entry for its realised demand, one for all panels and true in each.

    The figure has one legend for all its panels, each label listed once. A region whose
    curve repeats Japan's in every panel where it has demand is ``EU: realised demand (same
    as Japan)``; one that repeats it in some panels only (the same demand factor for heavy
    rare earths, no Japanese demand for magnets) is ``EU: realised demand (dashed where the
    same as Japan)``: an entry per panel listed both ``(same as Japan)`` and a bare ``EU:
    realised demand``, and the first claimed for every panel what held in one.
    """
    names = Names.of(result.scenario)
    labels = {}
    for region in result.structure.regions:
        name = names.region(region)
        shown = [sames[m][region] for m in shares if _drawn(shares[m][region])]
        others = [r for r in result.structure.regions if r in shown]  # in the regions' order
        if not others:
            labels[region] = f"{name}: realised demand"
        elif len(others) == 1 and None not in shown:
            labels[region] = f"{name}: realised demand (same as {names.region(others[0])})"
        else:
            whom = join_words([names.region(r) for r in others], "or")
            labels[region] = f"{name}: realised demand (dashed where the same as {whom})"
    return labels


def _demand_line(ax: Axes, days: np.ndarray, share: np.ndarray, i: int, label: str, same: bool) -> None:
    """Region ``i``'s realised demand; a curve identical to one drawn before (``same``) is dashed on top of it.

    Regions with the same demand factor realise the same share of their baseline: drawn
    as usual, the later line would hide the earlier one entirely, and a reader would see
    one region where there are two. Dashed, the curve below shows through the gaps, and
    the legend (:func:`demand_labels`) says the two are the same. Each entry says it is
    demand (``Japan: realised demand``): under the world price in the legend, a bare
    ``Japan`` read as a price line.
    """
    if not same:
        ax.plot(days, share, label=label, **region_style(i))
        return
    style = {**region_style(i), "ls": (0, (3, 3)), "lw": 1.6}
    ax.plot(days, share, label=label, zorder=3, **style)
