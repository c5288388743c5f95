"""The report's price section: how far prices rose, how much less was used, and what it cost.

Layer: studies.

Only materials with a market (``market:`` in the scenario) are described; a scenario
without one gets no price section and no price sentence. For each region and
material it has demand for (a region without demand pays no price and uses nothing):

- prices rose ``peak / reference`` times: the highest price the region paid
  (``peak_price_usd_per_kg``) over the market's reference price;
- at these prices it wanted ``1 - realised / baseline`` less on average over the whole run: its
  realised demand over the run (``demand_t`` in the summary) against its baseline demand
  (``baseline_demand_t`` summed over the days); and, said as the day's, how much less on the day
  it wanted least (the low point of the price figure's realised demand);
- the share of that realised demand it was still short of (``shortfall_share``), since
  wanting less is not getting what is wanted;
- the demand the price destroyed (``demand_destroyed_t``); what all it used comes to at
  each day's price over the reference price (``crisis_extra_cost_usd``: an opportunity
  cost at spot prices, since the model values stock bought earlier and contract volumes
  at the day's price too); and the surplus lost on the use the price destroyed, on the
  model's own demand curve (``lost_surplus_usd``, worked out by the kernel with
  :mod:`simulator.surplus`).

Names, units and labels of these quantities come from :mod:`simulator.quantities`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from simulator import quantities, shortages
from simulator.plots import demand_shares
from simulator.report.findings import Run
from simulator.report.style import caption, scroll_region
from simulator.report.words import (
    as_shown_2,
    cap,
    in_millions,
    join_words,
    percent,
    plural,
    price,
    times,
    tonnes,
    tonnes_2,
    two_figures,
    usd_2,
    when,
)
from simulator.scenario.checks import price_bounds, reference_price

if TYPE_CHECKING:
    from simulator.report.record import Record

PEAK = quantities.get("summary", "peak_price_usd_per_kg")
DESTROYED = quantities.get("summary", "demand_destroyed_t")
EXTRA = quantities.get("summary", "crisis_extra_cost_usd")
EXTRA_LABEL = "Used, at spot over reference prices"
AT_SPOT = "an opportunity cost at spot prices, not what was paid"
"""What ``crisis_extra_cost_usd`` is, said in the same words wherever the report gives it (verdict, price section,
table note)."""
EXTRA_NOTE = (
    "all the region used, valued at the price it paid each day, less the same tonnes at the reference price: "
    f"{AT_SPOT}, since stock bought earlier and contract volumes are valued at the day's price too."
)
SURPLUS = quantities.get("summary", "lost_surplus_usd")
SURPLUS_LABEL = "Surplus lost on the use given up"
SURPLUS_NOTE = (
    "the consumer surplus lost on the use the price destroyed, on the model's own demand curve (constant "
    "elasticity, with its floor and substitution; docs/outputs.md); with the column before, the buyers' whole "
    "surplus loss against the reference price."
)
DEMAND = quantities.get("summary", "demand_t")
BASELINE = quantities.daily("baseline_demand_t")
WORLD = quantities.daily("world_price_usd_per_kg")


def lost_surplus_usd(run: Run, region: str, material: str) -> float:
    """A region's surplus lost on the use given up of a material over the run (USD; 0 without a demand response)."""
    value = run.cell(region, material, SURPLUS.name)
    return 0.0 if value is None or np.isnan(value) else float(value)


def market_materials(run: Run) -> list[str]:
    """The run's materials with a market."""
    return [m for m in run.materials() if m in run.result.scenario.market]


def baseline_t(run: Run, region: str, material: str) -> float:
    """A region's baseline demand for a material summed over the run (t)."""
    ts = run.result.timeseries
    rows = ts[(ts["region"] == region) & (ts["material"] == material)]
    return float(rows[BASELINE.column_name].sum())


def used_less(run: Run, region: str, material: str) -> float | None:
    """``1 - realised / baseline`` demand over the run (None without baseline demand)."""
    baseline = baseline_t(run, region, material)
    if baseline <= 0:
        return None
    return 1.0 - float(run.cell(region, material, DEMAND.name)) / baseline


def deepest_cut(run: Run, region: str, material: str) -> tuple[float, int] | None:
    """The day a region wanted least of a material against its baseline: ``1 - realised / baseline`` that day, the day.

    Realised demand over baseline demand day by day, as the price figure's lower panels draw it
    (:func:`simulator.plots.prices.demand_shares`); its lowest, on its first day at it. The run's
    :func:`used_less` is the same over the whole run, an average over its days weighted by baseline demand,
    so the day's cut is at least as deep. None without baseline demand on any day.
    """
    share_pct = demand_shares(run.result, material)[region]  # NaN on days without baseline demand
    if not np.isfinite(share_pct).any():
        return None
    k = int(np.nanargmin(share_pct))
    days = run.result.timeseries["day"].to_numpy()[_region_rows(run, region, material)]
    return 1.0 - float(share_pct[k]) / 100, int(days[k])


def _region_rows(run: Run, region: str, material: str) -> np.ndarray:
    """The rows of ``run``'s timeseries of ``region`` and ``material`` (a mask), by day."""
    ts = run.result.timeseries
    return ((ts["region"] == region) & (ts["material"] == material)).to_numpy()


def _wanted_less(run: Run, region: str, material: str, less: float, destroyed: str) -> str:
    """``; at these prices it wanted 18% less than its baseline demand on average over the whole run (...)`` and more.

    The run's cut is an average over its days (:func:`used_less`); where the deepest day's (:func:`deepest_cut`) reads
    otherwise, it follows, said as the day's (`` and 22% less on the day it wanted least, 24 Aug 2011``), so that
    neither is read as the other: in the 2010 replay the price figure's realised demand of light rare earths falls
    to 78% of baseline that day, while over the run it is 82%. ``destroyed``: the demand destroyed (HTML, tagged),
    said with its material (the sentence is under the material's line, but a tonnage names what it is of).
    """
    text = f"; at these prices it wanted {percent(less)} less than its baseline demand on average over the whole run"
    text += f" ({destroyed} of demand for {run.names.material_text(material)} destroyed)"
    deepest = deepest_cut(run, region, material)
    if deepest is not None and percent(deepest[0]) != percent(less):
        text += f" and {percent(deepest[0])} less on the day it wanted least, {when(run.result.start_date, deepest[1])}"
    return text


def world_peak(run: Run, material: str) -> tuple[float, int]:
    """The world price's highest day: its price and its first day at it."""
    return _world_extreme(run, material, np.argmax)


def prices_rose(run: Run) -> bool:
    """Whether the world price of some material with a market and a reference price rose above it, as shown."""
    scenario = run.result.scenario
    for m in market_materials(run):
        ref = reference_price(scenario, m)
        if not ref:
            continue
        peak = world_peak(run, m)[0]
        if price(peak) != price(ref) and peak > ref:
            return True
    return False


def _world_low(run: Run, material: str) -> tuple[float, int]:
    """The world price's lowest day: its price and its first day at it."""
    return _world_extreme(run, material, np.argmin)


def _world_extreme(run: Run, material: str, pick: Callable[[np.ndarray], Any]) -> tuple[float, int]:
    """The world price on the day ``pick`` (``np.argmax``, ``np.argmin``: the first such day) chooses, and the day."""
    market = run.result.market
    rows = market[market["material"] == material]
    values = rows[WORLD.column_name].to_numpy()
    k = int(pick(values))
    return float(values[k]), int(rows["day"].to_numpy()[k])


def _fell_words(run: Run, material: str, reference: float) -> str:
    """What a world price did whose peak reads as its reference: ``never rose above its reference (50 USD/kg)``.

    With the rest: ``; it fell to 5.03 USD/kg on 12 Jan 2010``; or ``stayed at its reference, 50 USD/kg`` when its
    low reads as its reference too.
    """
    low, day = _world_low(run, material)
    if price(low) == price(reference):
        return f"stayed at its reference, {price(reference)} USD/kg"
    return (
        f"never rose above its reference ({price(reference)} USD/kg); it fell to {price(low)} USD/kg on "
        f"{when(run.result.start_date, day)}"
    )


def peak_when(run: Run, day: int, bound: CapBound | None = None) -> str:
    """``on 23 Jul 2011``; a peak first reached on the last day (of a run of more than one) was still rising.

    The peak is the first day at the highest price, so a price held at a cap peaks where it
    reached it, not on the last day. ``bound``: the material's target price sat at its cap on
    the peak day (:func:`cap_bound`): the price was rising toward the cap, and the words say so.
    """
    text = f"on {when(run.result.start_date, day)}"
    if day == run.result.scenario.horizon_days - 1 and day > 0:
        toward = f" toward its cap of {price(bound.cap)} USD/kg" if bound is not None else ""
        text += f", the last day: still rising{toward} when the run ends"
    return text


@dataclass(frozen=True)
class CapBound:
    """A material whose target price sat at its cap on the day of its world price's peak (:func:`cap_bound`)."""

    material: str
    cap: float
    """The market's price cap, USD/kg (``price.cap_usd_per_kg``, else 100 times the reference)."""
    days: int
    """Days of the run on which the target price was at the cap or above it."""
    first: int
    """The first day of the stretch of such days that holds the peak."""
    last: int
    """The last day of that stretch."""


def cap_bound(run: Run, material: str) -> CapBound | None:
    """When a material's world price peaks while moving toward its cap: the cap, not the market, sets the peak.

    The kernel moves the price each day toward the target ``P0 x X^(-s)`` that the day before's market cover ratio
    ``X`` indicates, the target clipped to the cap (:func:`simulator.market.indicated_price`,
    :func:`simulator.market.adjust_price`). market.csv gives ``X`` at the end of each day (``cover_ratio``, in full),
    and the scenario gives ``P0`` (the reference price) and ``s`` (``price.sensitivity``), so the target of each day
    is worked out exactly; the first day's answers the kernel's starting ratio of 1. Where the target is at the cap
    (or above) on the day of the world price's peak, the price only closed on the cap at its adjustment rate: a
    higher cap would have given a higher peak, and the spend at spot prices and the demand destroyed that follow
    from it. None otherwise (no market, or the peak set by the market's own cover).
    """
    scenario = run.result.scenario
    spec = scenario.market.get(material)
    reference = reference_price(scenario, material)
    market = run.result.market
    rows = market[market["material"] == material].sort_values("day")
    if spec is None or not reference or rows.empty or "cover_ratio" not in rows:
        return None
    cap = price_bounds(scenario, material)[1]
    cover = rows["cover_ratio"].to_numpy(float)
    before = np.concatenate([[1.0], cover[:-1]])  # today's price answers yesterday's cover
    with np.errstate(divide="ignore"):
        target = reference * np.power(np.maximum(before, 0.0), -spec.price.sensitivity)
    at = target >= cap
    peak = int(np.argmax(rows[WORLD.column_name].to_numpy(float)))
    if not at[peak]:
        return None
    first, last = peak, peak
    while first > 0 and at[first - 1]:
        first -= 1
    while last + 1 < len(at) and at[last + 1]:
        last += 1
    day = rows["day"].to_numpy()
    return CapBound(material, cap, int(at.sum()), int(day[first]), int(day[last]))


def cap_bounds(run: Run, materials: list[str]) -> list[CapBound]:
    """:func:`cap_bound` of each of ``materials`` where it holds."""
    return [b for m in materials if (b := cap_bound(run, m)) is not None]


def _cap_days(run: Run, bound: CapBound) -> str:
    """``on 621 of the 730 days, every day from 20 Apr 2025 to the end of the run`` (from the peak's stretch)."""
    horizon = run.result.scenario.horizon_days
    start = when(run.result.start_date, bound.first)
    end = "the end of the run" if bound.last == horizon - 1 else when(run.result.start_date, bound.last)
    every = bound.last - bound.first + 1 == bound.days
    stretch = "every day" if every else "without a break"
    return f"on {bound.days:,} of the {horizon:,} days, {stretch} from {start} to {end}"


def cap_sentence(run: Run, bound: CapBound) -> str:
    """The price section's sentence on a material whose peak its cap sets (:func:`cap_bound`)."""
    sensitivity = run.result.scenario.market[bound.material].price.sensitivity
    adjustment = run.result.scenario.market[bound.material].price.adjustment_days
    return (
        "The target price the market's cover indicated (the reference price times its cover ratio to the power "
        f"\u2212{sensitivity:g}) sat at the cap of {price(bound.cap)} USD/kg {_cap_days(run, bound)}: the price only "
        f"moved toward the cap at its adjustment rate ({adjustment:g} days), so the assumed cap sets the peak, and "
        "the spend at spot prices and the demand destroyed that follow from it."
    )


def cap_line(run: Run, bounds: list[CapBound]) -> str:
    """The verdict's sentence on the materials whose peaks their caps set: `` These rest on ...`` ('' for none)."""
    if not bounds:
        return ""
    horizon = run.result.scenario.horizon_days
    parts = [
        (f"on {b.days:,} of the {horizon:,} days" if k == 0 else f"on {b.days:,}")
        + f" for {run.names.material_text(b.material)} ({price(b.cap)} USD/kg, from "
        + f"{when(run.result.start_date, b.first)})"
        for k, b in enumerate(bounds)
    ]
    caps = "an assumed price cap" if len(bounds) == 1 else "assumed price caps"
    sets = "the cap sets the peak" if len(bounds) == 1 else "the caps set the peaks"
    return (
        f" These rest on {caps}: the target price the market's cover indicated sat at the cap "
        f"{join_words(parts)}, so {sets} and the spend at spot prices that follows."
    )


NEGLIGIBLE_USD = 0.5
"""A spend at spot prices this small (USD) is rounding of prices that stayed at their reference: not said."""


def _region_sentence(run: Run, region: str, material: str, reference: float, said: bool = True) -> str:
    """A region's sentence on a material's price.

    ``said``: what the extra spend is (:data:`AT_SPOT`) is said already in the material's sentences.
    """
    key = f"{region}.{material}"
    subject = cap(run.names.subject(region))
    peak = float(run.cell(region, material, PEAK.name))
    paid = run.tag(price(peak), peak, f"{PEAK.name}.{key}")
    if price(peak) == price(reference):
        ts = run.result.timeseries
        own = ts.loc[(ts["region"] == region) & (ts["material"] == material), "price_usd_per_kg"]
        lowest = float(own[own >= 0].min()) if (own >= 0).any() else reference  # -1: no price that day
        at_most = "at most " if price(lowest) != price(reference) else ""  # it paid less on some days
        text = f"{subject} paid {at_most}the reference price, {paid} USD/kg"
    else:
        text = f"{subject} paid up to {paid} USD/kg ({times(peak / reference)} the reference)"
    less = used_less(run, region, material)
    destroyed = float(run.cell(region, material, DESTROYED.name))
    if less is not None and less > 0.0005:
        tagged = run.tag(tonnes_2(destroyed), destroyed, f"{DESTROYED.name}.{key}")
        text += _wanted_less(run, region, material, less, tagged)
    elif less is not None:
        text += "; at these prices it wanted no less than its baseline demand"
    short = float(run.cell(region, material, "shortfall_share"))
    if shortages.short(run.cell(region, material, "shortfall_t")):  # a residue (1e-13 t) is none, not "0%"
        text += (
            f", and {run.tag(percent(short), short, f'shortfall_share.{key}')} of what it still wanted "
            "could not be supplied"
        )
    extra = float(run.cell(region, material, EXTRA.name))
    lost = lost_surplus_usd(run, region, material)
    costs = []
    # one unit for the sentence's amounts, chosen on the amounts as shown (two figures, rough_note), as usd_2
    # chooses its own: 99,960 shows as 100,000, so 5,000 beside it is USD 0.005 m, not USD 5,000
    millions = in_millions([as_shown_2(abs(extra)), as_shown_2(lost)])
    extra_usd, lost_usd = usd_2(abs(extra), in_millions=millions), usd_2(lost, in_millions=millions)
    if abs(extra) < NEGLIGIBLE_USD:  # rounding of prices at their reference, not a spend
        pass
    elif extra > 0:
        costs.append(
            f"what it used, valued at each day's price, comes to {run.tag(extra_usd, extra, f'{EXTRA.name}.{key}')} "
            "more than at the reference price" + ("" if said else f" ({AT_SPOT})")
        )
    elif extra < 0:  # prices below the reference: a saving, shown as a positive amount (untagged)
        costs.append(
            f"what it used, valued at each day's price, comes to {extra_usd} less than at the reference price"
            + ("" if said else f" ({AT_SPOT})")
        )
    if lost:
        tagged = run.tag(lost_usd, lost, f"{SURPLUS.name}.{key}")
        costs.append(f"the surplus lost on the use the price destroyed comes to {tagged}")
    return text + ("; " + join_words(costs) if costs else "") + "."


def _auction_sentence(run: Run, material: str) -> str:
    auctions = run.result.auctions
    if auctions.empty:
        return ""
    sold = auctions[(auctions["material"] == material) & (auctions["sold_t"] > 0)]
    if sold.empty:
        return ""
    market = run.result.market
    world = market[(market["material"] == material) & market["day"].isin(sold["day"])][WORLD.column_name]
    cleared = sold["clearing_price_usd_per_kg"].dropna()

    def span(values: object) -> str:
        low, high = float(np.min(values)), float(np.max(values))  # type: ignore[call-overload]
        return f"{price(low)} USD/kg" if low == high else f"{price(low)}\u2013{price(high)} USD/kg"

    return f"The pool's auctions cleared at {span(cleared)}, against a world price of {span(world)} on the same days."


def _table(run: Run, materials: list[str]) -> str:
    head = [
        "Region and material",
        "Reference price<br><small>USD/kg</small>",
        f"{escape(PEAK.label)}<br><small>{escape(PEAK.unit)}; rise</small>",
        f"Realised {escape(DEMAND.label.lower())}<br><small>{escape(DEMAND.unit)}; against baseline</small>",
        f"{escape(DESTROYED.label)}<br><small>{escape(DESTROYED.unit)}</small>",
        f"{escape(EXTRA_LABEL)}<br><small>USD m</small>",
        f"{escape(SURPLUS_LABEL)}<br><small>USD m</small>",
    ]
    rows = []
    for region in run.regions():
        for material in materials:
            if not run.demands(region, material):
                continue
            baseline = baseline_t(run, region, material)
            reference = reference_price(run.result.scenario, material) or 0.0
            peak = float(run.cell(region, material, PEAK.name))
            less = used_less(run, region, material)
            realised = float(run.cell(region, material, DEMAND.name))
            rise = times(peak / reference) if reference else "\u2013"
            against = f"of {tonnes(baseline)}: {percent(less)} less" if less is not None else ""
            cells = [
                price(reference),
                f"{price(peak)}<br><small>{rise}</small>",
                f"{tonnes_2(realised)}<br><small>{against}</small>",  # as demand destroyed beside it
                tonnes_2(float(run.cell(region, material, DESTROYED.name))),
                two_figures(float(run.cell(region, material, EXTRA.name)) / 1e6),
                two_figures(lost_surplus_usd(run, region, material) / 1e6),
            ]
            rows.append(
                f"<tr><th>{run.names.region(region)}<br><small>{run.names.material(material)}"
                "</small></th>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
            )
    name = "Each region and material: prices, demand and what they cost"
    table = (
        f'<table class="prices">{caption(name)}<thead><tr>'
        + "".join(f"<th>{h}</th>" for h in head)
        + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return scroll_region(table, name) + (
        f'<p class="note">{escape(PEAK.label)}: {escape(PEAK.description)} Rise: peak over reference price. Against '
        f"baseline: 1 \u2212 realised / baseline demand over the run. {escape(EXTRA_LABEL)}: "
        f"{escape(EXTRA_NOTE)} {escape(SURPLUS_LABEL)}: {escape(SURPLUS_NOTE)} {rough_note(run, materials)}</p>"
    )


ROUGH = (DESTROYED.name, SURPLUS.name, EXTRA.name)
"""The report gives these to two significant figures (:func:`two_figures`); summary.csv keeps them in full."""


def rough_note(run: Run, materials: list[str]) -> str:
    """Why realised and destroyed demand, surplus lost and the spend at spot prices have two significant figures (HTML).

    Demand destroyed and the surplus lost on it scale with the short-run price elasticity
    of demand, an assumption (for rare earths no estimate exists: -0.1 in the 2010 replay);
    realised demand is what the price left of demand, so the table gives it as it gives demand
    destroyed beside it (in full, 45,710 t beside 10,000 t would read as a 10,285 t gap known to
    the tonne while its size is not); all rest on the model's price path.
    """
    market = run.result.scenario.market
    assumed = [
        f"{run.names.material_text(m)} {market[m].demand.short_run_elasticity:g}".replace(" -", " \u2212")
        for m in materials
        if market[m].demand is not None
    ]
    elasticity = (
        f"demand destroyed and the surplus lost scale with the assumed short-run price elasticity of demand "
        f"({'; '.join(assumed)}), realised demand is what the price left of demand, and "
        if assumed
        else ""
    )
    return (  # names come as HTML already (Names.material_text); the words around them need no escaping
        "Realised and destroyed demand, the surplus lost and the spend at spot prices are given to two significant "
        f"figures: {elasticity}all rest on the model's price path; summary.csv keeps them in full."
    )


def price_sentences(run: Run) -> list[str]:
    """Per material with a market: the world price's rise, then a sentence per region (HTML)."""
    out = []
    for material in market_materials(run):
        reference = reference_price(run.result.scenario, material)
        if not reference:
            continue
        peak, day = world_peak(run, material)
        bound = cap_bound(run, material)
        name = f"<strong>{run.names.material(material)}</strong>"
        if price(peak) == price(reference):  # never above its reference as shown: "rose 1x" would say nothing
            text = f"{name}: the world price {_fell_words(run, material, reference)}."
        else:
            text = (
                f"{name}: the world price rose {times(peak / reference)}, from {price(reference)} USD/kg "
                f"(its reference) to a daily peak of {price(peak)} USD/kg {peak_when(run, day, bound)}."
            ) + (f" {cap_sentence(run, bound)}" if bound is not None else "")
        users = [r for r in run.regions() if run.demands(r, material)]
        # the first sentence giving an extra spend says what it is (AT_SPOT), once per material
        first = next((r for r in users if float(run.cell(r, material, EXTRA.name))), None)
        regions = [_region_sentence(run, r, material, reference, said=r != first) for r in users]
        auction = _auction_sentence(run, material)
        out.append(
            f"<p>{text}</p><ul>{''.join(f'<li>{s}</li>' for s in regions)}</ul>"
            + (f"<p>{escape(auction)}</p>" if auction else "")
        )
    return out


EXTREME_RISE = 20.0
"""A price rise (times the reference) beyond which the verdict warns that it is a sign of scarcity, not a forecast."""


@dataclass(frozen=True)
class RecordRise:
    """A material's highest recorded world price set beside the model's over the same period (like with like)."""

    material: str
    recorded: float
    """The record's highest world price of the material, USD/kg: a day's price, or a mean over its row's period."""
    on: str
    """The row's period: ``on 26 Jul 2010`` (a day), ``its mean over Aug 2011`` (a longer period)."""
    model: float
    """The model's world price over the same period, as the record section computes it
    (:func:`simulator.report.record.against_record`): the day's, or its mean over the period's days."""
    reference: float
    fitted: bool | None = None
    """Whether the record marks the row as one a fit uses (its ``sample`` is ``in``); None when the record
    does not say (no ``sample`` column)."""
    made: str = ""
    """What the row's ``source`` begins with when its value is made rather than given
    (:data:`simulator.calibrate.MADE`: ``DERIVED``, ``FORECAST``), or ``""``."""
    interpolated: tuple[str, ...] = ()
    """The clauses of the row's ``source`` that name an interpolated figure the value rests on
    (:func:`simulator.report.record.interpolated`): ``("Nd ~200 (interpolated, no source)",)``."""
    fixed_shares: bool = False
    """Whether the row's value is a basket index that holds the basket's other elements at fixed value shares
    (:func:`simulator.report.record.fixed_shares`)."""
    confidence: str = ""
    """The row's ``confidence`` as the report says it (:data:`simulator.report.record.CONFIDENCE_WORDS`), or ``""``."""

    @property
    def rise(self) -> float:
        """The record's rise: its price over the reference."""
        return self.recorded / self.reference

    @property
    def model_rise(self) -> float:
        """The model's rise over the same period: its price over the same reference."""
        return self.model / self.reference


def record_rises(run: Run, rows: pd.DataFrame) -> list[RecordRise]:
    """Per material with a reference price: the record's highest world price beside the model's over the same period.

    Only world-price rows count (``price`` rows whose region is ``world``): a row of the price a
    region paid is not the world price the model's rise is. ``rows``: a record's rows already set
    against the run (:func:`compared_rows`, made once by the report for this line and the record's
    section: not simulated again here), so the model's value of a row is the record section's own
    (:func:`simulator.report.record.against_record`: the world price averaged over the row's days,
    as a calibration averages it), in the run's order of materials. A model's daily peak is not set
    beside a record's monthly or quarterly mean: each rise is the record's row against the model's
    mean over the same period; the first of equal highest. A row whose period the run does not
    cover has no model value and is left out.
    """
    from simulator.calibrate import made
    from simulator.report.record import CONFIDENCE_WORDS, fixed_shares, interpolated, period_words

    world = rows[(rows["quantity"] == "price") & (rows["region"] == "world")]
    marked = "in_sample" in world.columns
    table = world[np.isfinite(world["model"].to_numpy(float))]  # a row whose period the run does not cover
    kinds = made(table["source"]) if "source" in table.columns else pd.Series("", index=table.index, dtype=object)
    out = []
    for material in run.materials():
        reference = reference_price(run.result.scenario, material)
        found = table[table["material"] == material]
        if not reference or found.empty:
            continue
        key = found["value"].idxmax()
        row = found.loc[key]
        period = str(row["period"])
        label = period_words(row["date"], period)
        on = f"on {label}" if period == "day" else f"its mean over {label}"
        fitted = bool(row["in_sample"]) if marked else None
        rests_on = tuple(interpolated(row["source"])) if "source" in row.index else ()
        index = fixed_shares(row["source"]) if "source" in row.index else False
        trust = CONFIDENCE_WORDS.get(str(row["confidence"]).strip().upper(), "") if "confidence" in row.index else ""
        out.append(
            RecordRise(
                material,
                float(row["value"]),
                on,
                float(row["model"]),
                reference,
                fitted,
                kinds[key],
                rests_on,
                fixed_shares=index,
                confidence=trust,
            )
        )
    return out


def compared_rows(record: Record, table: pd.DataFrame) -> pd.DataFrame:
    """``record``'s rows set against the run as :func:`record_rises` takes them.

    ``table``: :func:`simulator.report.record.against_record`'s, made once so that a report simulates the
    record's rows once for both the price line and the record's section; ``in_sample`` is kept only when the
    record says which rows a fit uses, as in its rows.
    """
    return table if record.marked else table.drop(columns="in_sample")


def _record_words(r: RecordRise, fits: bool) -> str:
    """What a record row is, inside its parentheses, as one note: ``; low confidence: derived from ...``.

    Where the value rests on figures no source gives (interpolated figures, with their unit; a basket index's
    fixed shares), its confidence leads and how it was made from them follows, so that a reader of the rise sees
    every weakness the row names; else how it was made, then its confidence. With ``fits`` (some rows compared
    are fitted, some held out) it says whether this one was fitted.
    """
    from simulator.calibrate import MADE
    from simulator.report.record import FIXED_SHARES_WORDS, SAMPLE_WORDS, interpolated_words

    figures = [escape(interpolated_words(c)) for c in r.interpolated]  # what the value rests on, as its source says
    index = escape(FIXED_SHARES_WORDS) if r.fixed_shares else ""
    words = []
    if figures or index:  # the confidence, then why: one note
        if r.made:  # derived as a basket index ..., from an interpolated Nd price ...
            how = MADE[r.made] + (f" as {index}" if index else "")
            how += f"{',' if index else ''} from {join_words(figures)}" if figures else ""
        else:
            how = f"it rests on {join_words([*figures, index] if index else figures)}"
        words.append(f"{r.confidence}: {how}" if r.confidence else how)
    else:
        if r.made:
            words.append(f"{MADE[r.made]}: not a figure its source gives")
        if r.confidence:
            words.append(r.confidence)
    if fits and r.fitted is not None:
        words.append(f"a {SAMPLE_WORDS['in' if r.fitted else 'out'].replace(' ', '-')} row")  # a held-out row
    return "".join(f"; {w}" for w in words)


def _model_over(r: RecordRise) -> str:
    """What the model's price beside a record row is: ``its mean over the same period``, or ``that day``.

    The verdict's first price is the model's daily peak; the one set beside the record's row is
    the model's over the row's period (:func:`record_rises`), lower where the row is a mean.
    """
    return "that day" if r.on.startswith("on ") else "its mean over the same period"


def fitted_note(record: pd.DataFrame | None) -> str:
    """A sentence saying the model's prices are fitted to the record's world-price rows, with a link (HTML).

    ``record``: the record's rows set against the run (:func:`compared_rows`). Said where the record
    marks which rows a fit uses (its ``sample`` column, ``in_sample``) and the run covers some
    world-price row: then how many of those the fit used, and that none (or how many) is held out,
    so that the section's prices are not read as tested against what happened. '' otherwise.
    """
    if record is None or "in_sample" not in record.columns:
        return ""
    world = record[(record["quantity"] == "price") & (record["region"] == "world")]
    world = world[np.isfinite(world["model"].to_numpy(float))]
    if world.empty:
        return ""
    fitted = int(world["in_sample"].astype(bool).sum())
    held = len(world) - fitted
    rows = plural(len(world), "world-price row")
    link = '<a href="#record">Against the record</a>'
    if not held:
        return (
            f"<p>The model's prices are fitted to the record's {rows} over this run, so none is tested out of "
            f"sample: their match with the record ({link}) tests nothing.</p>"
        )
    return (
        f"<p>Of the record's {rows} over this run, the model's prices are fitted to {fitted:,} and tested out of "
        f"sample on {held:,} ({link}).</p>"
    )


def _fit_words(recorded: list[RecordRise]) -> str:
    """What the record says of a fit to the rows compared: all fitted, or which (``""`` when it does not say)."""
    marks = [r.fitted for r in recorded if r.fitted is not None]
    if marks and all(marks):
        return " The model's prices were fitted to these rows, so the match tests nothing."
    return ""


def _steep_warning(rises: dict[str, float], recorded: list[RecordRise], name: Callable[[str], str]) -> str:
    """The warning on a daily-peak rise of :data:`EXTREME_RISE` or more, like with like against the record.

    A material whose model rise over a record row's period is above the record's own rise over it lies
    beyond the record: the warning says so. A steep material with no world-price row in the record is
    warned of against the price paths the market was fitted to. A steep daily peak whose mean over the
    record's period lies within the record's rise is not beyond it: no warning. The warning names the
    materials each clause is of (``name``: a material's words), and gives both clauses when both apply,
    so that it is not read as about the line's top material when it is about another.
    """
    steep = [m for m, rise in rises.items() if rise >= EXTREME_RISE]
    by = {r.material: r for r in recorded}
    beyond = [m for m in steep if m in by and by[m].model_rise > by[m].rise]
    unrecorded = [m for m in steep if m not in by]
    if not beyond and not unrecorded:
        return ""
    outside = "far outside the price paths the market model was fitted to (their rises are in docs/model-vs-record.md)"
    many = len(beyond) + len(unrecorded) > 1
    read = (
        "read them as signs of extreme scarcity, not as forecasts"
        if many
        else "read it as a sign of extreme scarcity, not as a forecast"
    )

    def rise_of(materials: list[str]) -> str:  # "rise of nd lies", "rises of nd and rare earths lie"
        names = join_words([name(m) for m in materials])
        return f"rise of {names} lies" if len(materials) == 1 else f"rises of {names} lie"

    if beyond and unrecorded:
        that = "that" if len(unrecorded) == 1 else "those"
        rest = join_words([name(m) for m in unrecorded])
        return (
            f" The {rise_of(beyond)} beyond the record's over the same period, and {that} of {rest} {outside}: {read}."
        )
    if beyond:
        return f" The {rise_of(beyond)} beyond the record's over the same period: {read}."
    return f" The {rise_of(unrecorded)} {outside}: {read}."


def _untested(run: Run, record: pd.DataFrame, materials: list[str]) -> str:
    """Which of ``materials``' model prices the record does not test, after when, with the last day's (HTML).

    A record whose world prices of a material stop before the run's last day tests neither the
    model's prices after them nor the last day's, at which the report values the stock members
    still own (:func:`simulator.report.record.untested_clause`); "" when every series runs to the end.
    """
    from simulator.report.record import untested_clause

    market = run.result.market
    last = {
        m: float(rows.sort_values("day")[WORLD.column_name].iloc[-1])
        for m in materials
        if len(rows := market[market["material"] == m])
    }
    agreement = run.result.scenario.agreement
    joint = agreement is not None and agreement.pool.mode == "joint"  # its members' stock is valued at them
    valued = ", at which what members still own is valued" if joint else ""
    return untested_clause(record, run.result.scenario, materials, last, valued)


def price_line(run: Run, record: pd.DataFrame | None = None) -> str:
    """A few short sentences for the verdict: the model's largest price rise, the record's beside it, the extra spend.

    Empty without a market. ``record``: the record's rows already set beside the run
    (:func:`compared_rows`, with their ``model`` column); each material's highest
    recorded world price is set beside the model's price over the same period (:func:`record_rises`),
    so that the model's rise is not read as what happened, nor a daily peak set against a mean.
    The line says what the record's rows are: made rather than given (their ``source`` begins
    ``DERIVED`` or ``FORECAST``), and fitted (``sample`` ``in``), whose closeness tests nothing.
    """
    materials = [m for m in market_materials(run) if reference_price(run.result.scenario, m)]
    if not materials:
        return ""
    rises = {m: world_peak(run, m)[0] / (reference_price(run.result.scenario, m) or 1.0) for m in materials}
    top = max(rises, key=lambda m: rises[m])
    peak, day = world_peak(run, top)
    who = run.result.structure.member_names or run.regions()
    extra = float(sum(run.metric(f"{EXTRA.name}.{r}") or 0.0 for r in who))
    group = "the members" if run.result.structure.member_names else "the regions"
    metric = f"sum:{EXTRA.name}:{','.join(who)}"
    references = "; ".join(
        f"{run.names.material_text(m)} {price(reference_price(run.result.scenario, m) or 0.0)} USD/kg"
        for m in materials
    )
    bounds = cap_bounds(run, materials)
    when_peak = peak_when(run, day, next((b for b in bounds if b.material == top), None))
    if times(rises[top]) != times(1.0):
        text = (
            f"In the model, prices rose up to {times(rises[top])} ({run.names.material_text(top)}, a daily peak of "
            f"{price(peak)} USD/kg {when_peak})."
        )
    elif price(peak) != price(reference_price(run.result.scenario, top) or 0.0):  # "rose up to 1x" says nothing
        text = (
            f"In the model, prices rose by at most {percent(rises[top] - 1.0)} ({run.names.material_text(top)}, a "
            f"daily peak of {price(peak)} USD/kg {when_peak})."
        )
    else:  # no price above its reference as shown: what is true is where they fell, if they did
        lows = {m: _world_low(run, m)[0] / (reference_price(run.result.scenario, m) or 1.0) for m in materials}
        bottom = min(lows, key=lambda m: lows[m])
        fell = _fell_words(run, bottom, reference_price(run.result.scenario, bottom) or 0.0)
        text = (
            "In the model, prices stayed at their references."
            if len(materials) > 1 and fell.startswith("stayed")
            else f"In the model, the price of {run.names.material_text(bottom)} {fell}."
        )
    recorded = [r for r in record_rises(run, record) if r.material in materials] if record is not None else []
    if recorded:
        fits = len({r.fitted for r in recorded if r.fitted is not None}) > 1  # some fitted, some held out
        each = "; ".join(
            f"{run.names.material_text(r.material)} {times(r.rise)} in the record ({price(r.recorded)} USD/kg, "
            f"{escape(r.on)}{_record_words(r, fits)}), {times(r.model_rise)} in the model ({price(r.model)} USD/kg, "
            f"{_model_over(r)})"
            for r in recorded
        )
        text += f" Against the record's highest world price, over the same period: {each}.{_fit_words(recorded)}"
        text += _untested(run, record, [r.material for r in recorded])
    text += _steep_warning(rises, recorded, run.names.material_text)
    if not extra:
        return text + cap_line(run, bounds)
    more = "more" if extra > 0 else "less"
    shown = run.tag(usd_2(extra), extra, metric) if extra > 0 else usd_2(-extra)  # two figures (rough_note)
    return (
        text
        + (
            f" At each day's price instead of the reference price ({references}), what {group} used comes to {shown} "
            f"{more}: {AT_SPOT} (stock bought earlier and contract volumes count at the day's price too)."
        )
        + cap_line(run, bounds)
    )


def price_section(run: Run, figure: str, record: pd.DataFrame | None = None) -> str:
    """The price section with the prices figure (HTML), or nothing without a market.

    ``record``: the record's rows set against the run (:func:`compared_rows`), for :func:`fitted_note`.
    """
    materials = market_materials(run)
    if not materials:
        return ""
    return "\n".join(
        [
            '<section id="prices"><h2>Prices</h2>',
            *price_sentences(run),
            fitted_note(record),
            figure,
            _table(run, materials),
            "</section>",
        ]
    )
