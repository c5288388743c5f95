"""The registry of quantities: every quantity that crosses the middle layer, in one table.

Layer: ground (imports nothing from the project).

Each entry gives a quantity's name (with its unit in the name where it would otherwise
be ambiguous), its unit, its axes, its grain, how it aggregates over days, a one-line
description, the record that carries it and the output table and column it appears
in. Everything else is derived from this table and from nothing else:

- the fields of the compiled :class:`simulator.plan.Plan` (record ``plan``);
- the fields of the kernel's daily records (``market``, ``agreement``, ``procurement``:
  :mod:`simulator.records`);
- what the recorder stores and the columns of the output tables, in this order;
- the summary accumulator's streaming aggregations and the summary metrics;
- the per-run metrics of sweep tables and the numbers ``stockpile check`` compares;
- the flows a run may skip because its plan can never produce them (``present_when``);
- the outputs reference in the docs.

Tests check that the dataclasses, the tables and the reference agree with this table
exactly, so a quantity cannot be forgotten in a second place.

Axis order, written down once: the model's own axes come first in the order
``day, step, region | member | bid, material, supplier`` and the runs of a batch come last
(``run``). Plan arrays carry a trailing run axis of length 1 until plans are stacked.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

ALL = "all"
"""The region (and material) of agreement-wide figures: the ``all`` rows of the summary table and the metric columns
``<name>.all.<material>``. Reserved: no region, material or supplier may be called so."""
FAIRNESS_OF = f"fairness_jain.{ALL}."
"""The start of a material's own Jain's index of the members' shortfall shares (``fairness_jain.all.<material>``)."""

Grain = Literal["key", "parameter", "flow", "stock", "decision", "summary"]
Aggregation = Literal[
    "sum", "min", "max", "first", "last", "count", "day_of_min", "day_of_max", "cumulative", "derived", "none"
]
Record = Literal[
    "key", "plan", "draws", "market", "agreement", "procurement", "recorder", "summary", "agreement_summary", "ledger"
]
TableName = Literal[
    "timeseries", "summary", "supply", "pool", "market", "releases", "auctions", "shocks", "portfolio", "ledger"
]
"""The output tables of a run, in the order they are written and documented."""
TABLES: tuple[str, ...] = typing.get_args(TableName)
Condition = Literal[
    "always",
    "agreement",
    "auction",
    "national_pool",
    "supply_sharing",
    "tender",
    "resourcing",
    "premium",
    "refill",
    "holding",
    "pool_refill",
    "market",
    "demand_response",
    "held",
    "leak",
    "licensing",
    "border",
    "sale",
    "loan",
]

AXIS_ORDER = ("day", "step", "region", "member", "bid", "material", "supplier", "run")
"""Every quantity's axes follow this order (a quantity has at most one of region, member and bid)."""


@dataclass(frozen=True)
class Quantity:
    """One quantity of the middle layer (see the module docstring)."""

    name: str
    """Field name in its record (unique within the record)."""
    unit: str
    """Unit: t, t/day, days, day, USD, USD/kg, fraction, count, flag, index, name, ..."""
    axes: tuple[str, ...]
    """Axes in :data:`AXIS_ORDER`; ``run`` last where the record is batched."""
    grain: Grain
    """parameter, daily flow, stock (end of day), decision or summary."""
    aggregation: Aggregation
    """How it aggregates over days: sum, min, max, first, last, count (days above
    rounding), day_of_min / day_of_max (the first day the lowest / highest value is
    reached; -1 when no day has a value), cumulative (running total), derived (computed
    from other quantities) or none."""
    description: str
    """One line, for the outputs reference."""
    record: Record
    """Which record carries it: the plan, a kernel record, the recorder or the summaries."""
    table: TableName | None = None
    """Output table it appears in (one of :data:`TABLES`); None for internal quantities."""
    also_in: tuple[TableName, ...] = ()
    """Further tables that show it under the same column name."""
    column: str | None = None
    """Column name in that table (default: the name); member axes add ``.<member>``."""
    source: str | None = None
    """For aggregated and running quantities: the name of the daily quantity aggregated."""
    dates: str | None = None
    """For a calendar-date column (unit ``date``): the whole-day column of its table it gives as a date."""
    present_when: Condition = "always"
    """Plans where the flow can be non-zero; elsewhere it is never computed (it is zero)."""
    dtype: Literal["float", "int", "bool", "str"] = "float"
    """Element type."""
    label: str = ""
    """Display name for figures and reports (the unit is added where it is shown)."""
    region_total: Literal["sum", "min", "first", "share", "distinct", None] = None
    """Sweep tables: aggregate over materials per region as ``<name>.<region>``; ``distinct`` (a count): the
    days the region counts over all its materials at once, each day once however many of them count it.
    Agreement-wide metrics (:data:`AGREEMENT_SUMMARY`): how the figure over all materials (``<name>``) comes from
    those per material, None or ``sum`` their sum, ``distinct`` (a count) the days any material counts, each
    once (:func:`simulator.metrics.check_sources`)."""
    per_material: bool = False
    """Sweep tables: also one column per region and material, ``<name>.<region>.<material>``; for an
    agreement-wide metric (:data:`AGREEMENT_SUMMARY`), one per material, ``<name>.all.<material>`` (region
    ``all``, as its rows of the summary table)."""
    in_baselines: Literal["all", "totals"] = "all"
    """Per-run metrics: which of its columns regression baselines store (``stockpile check``):
    all, or only those over all materials (``<name>``, ``<name>.<region>``) (:func:`in_baselines`).
    Breakdowns of totals a baseline stores, added later, are left out so that adding them moved no baseline."""
    curve: bool = False
    """Kept per day by the fast path when a sweep asks for curves."""
    fingerprint: bool = False
    """Sampled into regression baselines as a curve."""
    compare_order: int | None = None
    """Agreement-wide metrics (:data:`AGREEMENT_SUMMARY`) only: its place among the agreement-wide columns of
    ``compare.csv`` (``stockpile compare``), 1 first; None: not compared (:func:`compare_metrics`). The printed table
    shows a fixed few of them (:func:`simulator.console.compare_text`): a place does not print one. A place, not a
    flag: the columns' order is not the registry's."""

    def __post_init__(self) -> None:
        """Refuse a value outside its field's choices, or ``distinct`` on a quantity that is not a count of days.

        A registry typo must not fall through silently.
        """
        for name, choices in _CHOICES.items():
            values = getattr(self, name) if name in _TUPLES_OF_CHOICES else (getattr(self, name),)
            for value in values:
                if value not in choices:
                    raise ValueError(f"quantity {self.name!r}: {name}={value!r} is not one of {choices}")
        if self.compare_order is not None and (self.record != "agreement_summary" or self.compare_order < 1):
            raise ValueError(
                f"quantity {self.name!r}: compare_order={self.compare_order!r}: stockpile compare shows agreement-wide "
                "metrics (AGREEMENT_SUMMARY) only, at places 1, 2, ..."
            )
        if self.region_total == "distinct" and self.aggregation != "count":
            raise ValueError(
                f"quantity {self.name!r}: region_total='distinct' counts each day once over a region's materials "
                f"(an agreement-wide metric: over all materials), so it needs aggregation='count', "
                f"got {self.aggregation!r}"
            )

    @property
    def tables(self) -> tuple[str, ...]:
        """Every table it appears in."""
        return (self.table, *self.also_in) if self.table else self.also_in

    @property
    def column_name(self) -> str:
        """The column this quantity writes in its table."""
        return self.column or self.name

    @property
    def display(self) -> str:
        """``Label (unit)`` for axis titles and table headers."""
        label = self.label or self.name.replace("_", " ")
        return f"{label} ({self.unit})" if self.unit not in ("", "name", "flag", "index") else label


def _literal_values(hint: Any) -> tuple[Any, ...] | None:
    """The values a field typed ``hint`` may take: a Literal's, with None if it is optional; None if any value may."""
    if typing.get_origin(hint) is Literal:
        return typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        parts = [(None,) if arg is type(None) else _literal_values(arg) for arg in typing.get_args(hint)]
        return None if None in parts else tuple(value for part in parts if part is not None for value in part)
    return None


def _element_hint(hint: Any) -> Any:
    """``X`` for a field typed ``tuple[X, ...]``, else ``hint``."""
    is_tuple = typing.get_origin(hint) is tuple and typing.get_args(hint)[1:] == (Ellipsis,)
    return typing.get_args(hint)[0] if is_tuple else hint


_HINTS = typing.get_type_hints(Quantity)
_CHOICES = {
    name: values for name, hint in _HINTS.items() if (values := _literal_values(_element_hint(hint))) is not None
}
"""Each field of :class:`Quantity` typed with a Literal (optional, or a tuple of one) and the values it may take."""
_TUPLES_OF_CHOICES = {name for name in _CHOICES if _element_hint(_HINTS[name]) is not _HINTS[name]}
"""The fields of :data:`_CHOICES` that hold a tuple of such values."""


def _p(name: str, unit: str, axes: str, description: str, dtype: str = "float", table: str | None = None) -> Quantity:
    """A plan parameter (``run`` axis appended)."""
    return Quantity(
        name,
        unit,
        (*axes.split(), "run"),
        "parameter",
        "none",
        description,
        "plan",
        table=table,
        dtype=dtype,  # type: ignore[arg-type]
    )


CELL = ("day", "region", "material", "run")
"""Axes of a daily quantity per region and material."""

PLAN_WORLD = (
    _p(
        "baseline_demand_t_per_day",
        "t/day",
        "day region material",
        "Exogenous demand on each day from the first warm-up day on, yearly growth applied.",
    ),
    _p("noise_cv", "fraction", "region material", "Coefficient of variation of daily demand noise (0 = none)."),
    _p(
        "lead_time_days",
        "days",
        "region supplier",
        "Days in transit from supplier to region; 0 where there is no route (see route_exists).",
        "int",
    ),
    _p("route_exists", "flag", "region supplier", "The supplier ships to the region (it has a lead time).", "bool"),
    _p("capacity_t_per_day", "t/day", "material supplier", "Export capacity; infinite where not limited."),
    _p(
        "capacity_added_t_per_day",
        "t/day",
        "day material supplier",
        "Dated capacity additions (new mines and plants, ramped), added to the stated capacity.",
    ),
    _p(
        "normal_share",
        "fraction",
        "region material supplier",
        "Sourcing shares as written, before quotas.",
        table="portfolio",
    ),
    _p(
        "sourcing_share",
        "fraction",
        "region material supplier",
        "Sourcing shares after procurement quotas (what the region orders).",
        table="portfolio",
    ),
    _p(
        "premium_fraction",
        "fraction",
        "region material supplier",
        "Quota premium per tonne shipped from the supplier, as a fraction of the world price.",
        table="portfolio",
    ),
    _p(
        "share_step_day",
        "day",
        "step",
        "Days on which a quota's max_share_path changes the sourcing shares (in order).",
        "int",
    ),
    _p(
        "stepped_sourcing_share",
        "fraction",
        "step region material supplier",
        "Sourcing shares after quotas from each share_step_day on (before the first: sourcing_share).",
    ),
    _p(
        "stepped_premium_fraction",
        "fraction",
        "step region material supplier",
        "Quota premium per tonne shipped from each share_step_day on (before the first: premium_fraction).",
    ),
    _p(
        "net_import_share",
        "fraction",
        "region material",
        "Share of normal sourcing from suppliers outside the region: baseline demand x this = net imports.",
    ),
    _p("commercial_stock0_t", "t", "region material", "Industry stock on day 0."),
    _p("reserve_stock0_t", "t", "region material", "National strategic reserve on day 0."),
    _p("reserve_target_t", "t", "region material", "Refill target of the national reserve."),
    _p("reserve_refill_t_per_day", "t/day", "region material", "Most ordered per day to refill the reserve."),
    _p("order_up_to", "flag", "region", "Commercial buyers use periodic-review order-up-to (else daily flow).", "bool"),
    _p("review_days", "days", "region", "Review period of the order-up-to policy.", "int"),
    _p("safety_days", "days", "region", "Safety stock of the order-up-to target, in days of baseline demand."),
    _p("resourcing_on", "flag", "region", "Buyers turn to suppliers with spare capacity after a loss.", "bool"),
    _p("reaction_days", "days", "region", "Consecutive days of lost supply before re-sourcing.", "int"),
    _p("spot_price_multiplier", "x world price", "region", "Spot price of re-sourced volume."),
    _p("price_usd_per_kg", "USD/kg", "material", "World market price (0 when not given)."),
    _p("holding_cost_usd_per_t_day", "USD/(t*day)", "material", "Cost of holding strategic stock, per tonne and day."),
    _p("tender_on", "flag", "region material", "The national reserve is sold by tender on request.", "bool"),
    _p("tender_lag_days", "days", "region material", "Tender: days from the request to the first sale.", "int"),
    _p("tender_price_share", "fraction", "region material", "Tender: sale price as a share of the day's price."),
    _p(
        "tender_standdown_days", "days", "region material", "Tender: days without a gap before a request lapses.", "int"
    ),
)

PLAN_AGREEMENT = (
    _p("ratio", "fraction", "member", "Pre-agreed fair allocation ratio (sums to 1)."),
    _p("pool0_t", "t", "material", "Joint pool on day 0 (sum of contributions)."),
    _p("ownership_share", "fraction", "member material", "Each member's share of the joint pool (contributions)."),
    _p("pool_refill_t_per_day", "t/day", "material", "Most ordered per day to refill the joint pool."),
    _p("pool_location", "index", "", "Region whose lead times apply to pool refills.", "int"),
    _p("release_cap_t_per_day", "t/day", "material", "Most shared stock released per day; infinite without cap."),
    _p("lendable_share", "fraction", "", "National mode: share of a member's initial reserve it may lend."),
    _p("donor_floor_days", "days", "", "National mode: a donor's cover is never pushed below this by lending."),
    _p("trigger_commercial_days", "days", "", "Trigger when commercial stock is below this cover (0: on a gap)."),
    _p("standdown_days", "days", "", "Days without a trigger after which the agreement stands down.", "int"),
    _p("decision_lag_days", "days", "", "Days from the trigger to the first release decision.", "int"),
    _p("delivery_days", "days", "", "Days from a decision to delivery.", "int"),
    _p("release_normal_days", "days", "", "Release lead time without a supply shock (-1: not given).", "int"),
    _p("release_emergency_days", "days", "", "Release lead time under a supply shock (-1: not given).", "int"),
    _p("ess_restraint", "fraction", "", "Share of demand members give up under iea_ess (need_with_restraint too)."),
    _p("ess_higher_restraint", "fraction", "", "iea_ess: restraint once the group loss reaches the higher threshold."),
    _p("ess_higher_loss_share", "fraction", "", "iea_ess: group loss share from which the higher restraint applies."),
    _p("ess_trigger_loss_share", "fraction", "", "Group loss that activates iea_ess, as a share of demand."),
    _p("ess_selective_loss_share", "fraction", "", "iea_ess: one member's loss share that activates the system."),
    _p("ess_commitments", "t", "member material", "Stock commitment weights of members under iea_ess."),
    _p("loss_window_days", "days", "", "Window of the measured supply loss (0: not measured).", "int"),
    _p("loss_group_below", "fraction", "", "Group arrivals below this share of normal are a measured loss."),
    _p("loss_member_below", "fraction", "", "One member's arrivals below this share of normal are one too."),
    _p("switch_on_declared", "flag", "", "A declared embargo on a member switches hybrid to the ratio.", "bool"),
    _p("switch_on_measured", "flag", "", "A measured supply loss switches hybrid to the ratio.", "bool"),
    _p(
        "contributed_t",
        "t",
        "member material",
        "What each member paid in: its pool contribution (joint mode) or the lendable part of its initial "
        "reserve (national mode).",
    ),
    _p("settlement_price_usd_per_kg", "USD/kg", "", "Set price of a sale settlement; NaN: the day's price."),
    _p("loan_term_days", "days", "", "Days within which a loan is returned (0 without a loan).", "int"),
)

PLAN_MARKET = (
    _p("market_on", "flag", "material", "The material has a market: a price that answers scarcity.", "bool"),
    _p("reference_price_usd_per_kg", "USD/kg", "material", "Price at normal cover (P0)."),
    _p("price_sensitivity", "none (exponent)", "material", "Exponent of the effect of the cover ratio on price."),
    _p("price_adjustment_days", "days", "material", "Time for the price to close ~63% of its log-gap."),
    _p("price_floor_usd_per_kg", "USD/kg", "material", "Lowest price."),
    _p("price_cap_usd_per_kg", "USD/kg", "material", "Highest price."),
    _p("targeted_premium", "fraction", "material", "Extra price for a region under an embargo aimed at some regions."),
    _p("risk_perception_days", "days", "material", "Time for perceived supply risk to rise."),
    _p("risk_memory_days", "days", "material", "Time for perceived supply risk to fade."),
    _p("demand_elasticity", "none (elasticity)", "material", "Short-run price elasticity of use (0: none)."),
    _p("demand_floor_share", "fraction", "material", "Demand never falls below this share of potential demand."),
    _p("substitution_max_share", "fraction", "material", "Largest share of demand substituted or thrifted."),
    _p("substitution_full_price_ratio", "x reference price", "material", "Price ratio of full substitution."),
    _p("substitution_days", "days", "material", "Time for substitution to close ~63% of its gap."),
    _p("substitution_permanent_share", "fraction", "material", "Share of the peak substitution that stays."),
    _p("stocking_on", "flag", "material", "Buyers order up to targets that move with demand and risk.", "bool"),
    _p("precaution_gain", "x perceived risk", "material", "Desired cover = normal x (1 + gain x risk)."),
    _p("cover_adjustment_days", "days", "material", "Time for desired cover to close ~63% of its gap."),
    _p("normal_cover_days", "days", "region material", "Normal commercial cover in days of demand."),
    _p(
        "supply_exposure",
        "fraction",
        "region material supplier",
        "Route's share of the material's normal supply (weights the risk a shock on it carries).",
    ),
    _p("response_capacity_t_per_day", "t/day", "material supplier", "Capacity brought in at a high price."),
    _p("response_price_ratio", "x reference price", "material supplier", "Price ratio that brings it in."),
    _p("response_lag_days", "days", "material supplier", "Time for it to close ~63% of its gap."),
)

PLAN_AUCTION = (
    _p("auction_every_days", "days", "", "Days between auctions.", "int"),
    _p("reserve_price_usd_per_kg", "USD/kg", "material", "Bids below this price are not filled."),
    _p("lot_t", "t", "material", "Tonnes offered per auction; NaN for the default lot."),
    _p("bid_share", "fraction", "bid material", "Share of the member's expected gap bid in each price segment."),
    _p("bid_price_usd_per_kg", "USD/kg", "bid material", "Fixed price of each bid segment (0 when market-linked)."),
    _p("bid_price_multiplier", "x market price", "bid material", "Market-linked bid price (0 when fixed)."),
    _p("bid_cap_usd_per_kg", "USD/kg", "bid material", "Cap on a market-linked bid (infinite without)."),
    _p("service_level_z", "none (normal quantile)", "", "Safety margin of bids in demand-noise sds (0 = none)."),
)


def _d(
    name: str,
    unit: str,
    grain: Grain,
    aggregation: Aggregation,
    description: str,
    record: Record,
    label: str,
    *,
    axes: tuple[str, ...] = CELL,
    table: str | None = "timeseries",
    **extra: object,
) -> Quantity:
    """A daily quantity."""
    return Quantity(name, unit, axes, grain, aggregation, description, record, table=table, label=label, **extra)  # type: ignore[arg-type]


DAILY = (
    _d(
        "baseline_demand_t",
        "t",
        "flow",
        "sum",
        "Normal demand of the day: day-0 demand with yearly growth, before surges and noise.",
        "market",
        "Baseline demand",
    ),
    _d(
        "demand_t",
        "t",
        "flow",
        "sum",
        "Demand of the day after the price response, the demand the shortfall is counted against: potential demand "
        "(baseline x demand surges x noise) less demand_destroyed_t, i.e. potential demand x max(floor share, "
        "(1 - the day before's substitution_share) x (price paid / reference price)^elasticity) where demand "
        "responds to price, the potential demand itself where it does not.",
        "market",
        "Demand",
    ),
    _d(
        "arrivals_t",
        "t",
        "flow",
        "sum",
        "Commercial shipments that arrived (re-sourced volume included).",
        "market",
        "Arrivals",
    ),
    _d("supplied_t", "t", "flow", "sum", "Demand met from commercial stock.", "market", "Supplied"),
    _d(
        "released_t",
        "t",
        "flow",
        "sum",
        "Demand met from strategic stock: released_national_t + released_joint_t.",
        "market",
        "Released",
    ),
    _d(
        "shortfall_t",
        "t",
        "flow",
        "sum",
        "Demand not met: demand_t - supplied_t - released_t (0 below 1e-9 t); lost, not carried forward.",
        "market",
        "Shortfall",
        curve=True,
    ),
    _d(
        "shortfall_cum_t",
        "t",
        "stock",
        "cumulative",
        "Running total of the shortfall.",
        "recorder",
        "Cumulative shortfall",
        source="shortfall_t",
        curve=True,
        fingerprint=True,
    ),
    _d(
        "commercial_stock_t",
        "t",
        "stock",
        "last",
        "Industry stock at the end of the day.",
        "market",
        "Commercial stock",
    ),
    _d("reserve_stock_t", "t", "stock", "last", "National reserve at the end of the day.", "market", "Reserve stock"),
    _d(
        "in_transit_t",
        "t",
        "stock",
        "last",
        "Commercial shipments under way at the end of the day (after today's orders).",
        "procurement",
        "In transit",
    ),
    _d(
        "days_of_cover",
        "days",
        "stock",
        "min",
        "Drawable cover: (commercial + national reserve + bought auction stock + drawable_shared_t) / baseline "
        "demand, end of day; 0 on a day the region is short; empty without demand. Of the pool it counts the "
        "member's share by the rule's weights only (under fair_ratio, its ratio; not necessarily its ownership "
        "share), not the shares others leave unused: it may go on to draw more, or less when others draw "
        "faster. Arrivals are not counted.",
        "market",
        "Days of cover",
        curve=True,
        fingerprint=True,
    ),
    _d("released_national_t", "t", "flow", "sum", "Drawn from the region's own reserve.", "market", "From own reserve"),
    _d(
        "released_joint_t",
        "t",
        "flow",
        "sum",
        "Received through the agreement: released_auction_t + released_rule_t.",
        "market",
        "From shared stock",
        present_when="agreement",
    ),
    _d(
        "released_auction_t",
        "t",
        "flow",
        "sum",
        "Drawn from stock the region bought at auction.",
        "market",
        "From auction stock",
        present_when="auction",
    ),
    _d(
        "released_rule_t",
        "t",
        "flow",
        "sum",
        "Allocated by the sharing rule from the shared stock.",
        "market",
        "Allocated by the rule",
        present_when="agreement",
    ),
    _d(
        "lent_t",
        "t",
        "flow",
        "sum",
        "Passed from the member's reserve to others (national pool mode): given under a grant settlement, sold "
        "under a sale, lent (owed back in kind) under a loan; under iea_ess, its own draw by its obligation.",
        "market",
        "Lent, sold or given",
        present_when="national_pool",
    ),
    _d(
        "transferred_t",
        "t",
        "flow",
        "sum",
        "Supplies received from (+) or passed on to (-) other members under iea_ess's allocation obligations "
        "(taken from the giver's commercial stock; supplied_t includes it).",
        "market",
        "Passed between members",
        present_when="supply_sharing",
    ),
    _d(
        "transfer_value_usd",
        "USD",
        "flow",
        "sum",
        "transferred_t at the day's world price (a sale: + paid by the receiver, - received by the giver); 0 for a "
        "material with neither a market nor a price.",
        "market",
        "Value passed between members",
        present_when="supply_sharing",
    ),
    _d(
        "reserve_sale_usd",
        "USD",
        "flow",
        "sum",
        "What the region's firms paid for national reserve sold to them by tender (reserve_release): "
        "released_national_t x the day's price x (1 - discount); 0 for a material with neither a market nor a price.",
        "market",
        "Reserve sold by tender",
        present_when="tender",
    ),
    _d(
        "auction_stock_t",
        "t",
        "stock",
        "last",
        "Stock bought at auction and not yet used, end of day (held in the pool).",
        "market",
        "Auction stock",
    ),
    _d(
        "pool_share_t",
        "t",
        "stock",
        "last",
        "The region's ownership share of the unsold joint pool, end of day.",
        "market",
        "Pool share",
    ),
    _d("refill_arrivals_t", "t", "flow", "sum", "Reserve refills arrived.", "market", "Refill arrivals"),
    _d(
        "reserve_in_transit_t",
        "t",
        "stock",
        "last",
        "Reserve refills on their way at the end of the day.",
        "procurement",
        "Reserve in transit",
    ),
    _d(
        "auction_spend_usd",
        "USD",
        "flow",
        "sum",
        "Paid for pool stock won at auction.",
        "market",
        "Auction spend",
        present_when="auction",
    ),
    _d(
        "holding_cost_usd",
        "USD",
        "flow",
        "sum",
        "Cost of holding the day's strategic stock (national + bought + pool share).",
        "market",
        "Holding cost",
        present_when="holding",
    ),
    _d(
        "ordered_t",
        "t",
        "flow",
        "sum",
        "Orders placed that day (all suppliers); a buyer orders again each day what the border turned away.",
        "procurement",
        "Ordered",
    ),
    _d(
        "resourced_t",
        "t",
        "flow",
        "sum",
        "Volume bought from suppliers with spare capacity after a loss.",
        "procurement",
        "Re-sourced",
        present_when="resourcing",
    ),
    _d(
        "procurement_premium_usd",
        "USD",
        "flow",
        "sum",
        "Quota premium paid on today's shipments.",
        "procurement",
        "Quota premium",
        present_when="premium",
    ),
    _d(
        "resourcing_cost_usd",
        "USD",
        "flow",
        "sum",
        "Spot cost of re-sourced volume.",
        "procurement",
        "Re-sourcing cost",
        present_when="resourcing",
    ),
    _d(
        "refill_cost_usd",
        "USD",
        "flow",
        "sum",
        "Cost of reserve and pool refills ordered (the pool's falls on its location).",
        "procurement",
        "Refill cost",
        present_when="refill",
    ),
    _d(
        "price_usd_per_kg",
        "USD/kg",
        "stock",
        "max",
        "Price the region paid that day (the world price, plus a premium under a targeted embargo; "
        "the material's fixed price without a market; empty with neither a market nor a price).",
        "market",
        "Price",
    ),
    _d(
        "demand_destroyed_t",
        "t",
        "flow",
        "sum",
        "Potential demand (baseline x surges x noise) the price response removed: short-run use and substitution.",
        "market",
        "Demand destroyed",
        present_when="demand_response",
    ),
    _d(
        "substitution_share",
        "fraction",
        "stock",
        "last",
        "Share of demand substituted or thrifted away, end of day.",
        "market",
        "Substituted share",
        present_when="demand_response",
    ),
    _d(
        "desired_cover_days",
        "days",
        "stock",
        "max",
        "Commercial cover buyers want, end of day (normal cover raised by perceived risk).",
        "market",
        "Desired cover",
        present_when="market",
    ),
    _d(
        "crisis_extra_cost_usd",
        "USD",
        "flow",
        "sum",
        "Extra spend on the day's realised demand at the day's price over the reference price.",
        "market",
        "Extra cost at crisis prices",
        present_when="market",
    ),
    _d(
        "lost_surplus_usd",
        "USD",
        "flow",
        "sum",
        "Consumer surplus lost on the demand the price destroyed, on the model's own demand curve "
        "(constant elasticity with its floor; the substituted share valued on the substitution curve); "
        "with the extra cost at crisis prices, the buyers' surplus loss against the reference price.",
        "market",
        "Surplus lost on destroyed demand",
        present_when="demand_response",
    ),
    _d(
        "auction_revenue_usd",
        "USD",
        "flow",
        "sum",
        "Auction proceeds paid to the region as owner of the joint pool (by its ownership share).",
        "market",
        "Auction revenue received",
        present_when="auction",
    ),
    _d(
        "clearing_price_usd_per_kg",
        "USD/kg",
        "decision",
        "none",
        "Price of the lowest filled bid of the day's auction of the material (empty without a sale).",
        "agreement",
        "Auction clearing price",
        axes=("day", "material", "run"),
        also_in=("auctions",),
    ),
    _d(
        "rule",
        "name",
        "decision",
        "none",
        "The rule applied to the material that day: auction (an auction held or bought stock drawn) or the sharing "
        "rule (fair_ratio, ...); empty when none. Same on every region's row.",
        "agreement",
        "Release rule",
        axes=("day", "material", "run"),
        column="release_rule",
        dtype="str",
    ),
    # one row per day, region, material and supplier
    _d(
        "shipped_by_supplier_t",
        "t",
        "flow",
        "sum",
        "Normal orders that left this supplier for this region that day, after shocks and capacity (re-sourced "
        "volume and refills not included).",
        "procurement",
        "Shipped",
        axes=("day", "region", "material", "supplier", "run"),
        table="supply",
        column="shipped_t",
    ),
    _d(
        "arrivals_by_supplier_t",
        "t",
        "flow",
        "sum",
        "Commercial shipments from this supplier that arrived that day (re-sourced volume included).",
        "market",
        "Arrivals",
        axes=("day", "region", "material", "supplier", "run"),
        table="supply",
        column="arrivals_t",
    ),
    # one row per day and material: the joint pool
    _d(
        "pool_stock_t",
        "t",
        "stock",
        "last",
        "Unsold joint pool stock at the end of the day (0 in national mode).",
        "market",
        "Pool stock",
        axes=("day", "material", "run"),
        table="pool",
    ),
    _d(
        "pool_arrivals_t",
        "t",
        "flow",
        "sum",
        "Pool refills arrived.",
        "market",
        "Pool refill arrivals",
        axes=("day", "material", "run"),
        table="pool",
        present_when="pool_refill",
    ),
)

DAILY = (
    *DAILY,
    _d(
        "world_price_usd_per_kg",
        "USD/kg",
        "stock",
        "max",
        "World (reference-market) price of the day, FOB the dominant supplier; a material without a market: its "
        "fixed price (empty without one).",
        "market",
        "World price",
        axes=("day", "material", "run"),
        table="market",
        present_when="always",
    ),
    _d(
        "perceived_risk",
        "fraction",
        "stock",
        "max",
        "Supply risk buyers perceive, end of day (0 none, 1 certain loss of all supply).",
        "market",
        "Perceived supply risk",
        axes=("day", "material", "run"),
        table="market",
        present_when="always",
    ),
    _d(
        "cover_ratio",
        "fraction",
        "stock",
        "min",
        "Buyers' inventory positions over the positions they want, end of day (1 = normal cover); "
        "tomorrow's price answers it.",
        "procurement",
        "Market cover ratio",
        axes=("day", "material", "run"),
        table="market",
        present_when="always",
    ),
    _d(
        "days_of_cover_own",
        "days",
        "stock",
        "min",
        "(Commercial + national reserve) / baseline demand, end of day: the region's own stock only; empty without "
        "demand.",
        "market",
        "Own days of cover",
    ),
    _d(
        "drawable_shared_t",
        "t",
        "stock",
        "last",
        "The member's share of the shared stock, end of day: its weight in the rule (ratio, else ownership "
        "share) x the pool left under the day's cap, on days releases are open and the rule applies; 0 on a day "
        "the member is short (the rule gave it all it would) and in national mode. A pro-rata claim on what is "
        "left, not what it will draw: no floor (others may draw faster) and no ceiling (while the pool meets "
        "every gap it may draw the shares others leave unused).",
        "market",
        "Drawable shared stock",
        present_when="agreement",
    ),
    _d(
        "days_of_net_imports",
        "days",
        "stock",
        "min",
        "The drawable cover in days of net imports: (commercial + national reserve + bought auction stock + "
        "drawable_shared_t) / (baseline demand x net_import_share), end of day; the EU benchmark's measure (CRMA "
        "Art. 23); empty without net imports.",
        "market",
        "Days of net imports",
    ),
    _d(
        "days_of_cover_runway",
        "days",
        "stock",
        "min",
        "days_of_cover plus goods in transit to the region (commercial shipments and reserve refills, after the "
        "day's arrivals, before its orders ship) / baseline demand, end of day: all of them at today's demand, "
        "whenever they arrive, so not the days until the region runs short (it can be short with a runway of "
        "weeks); positive on a short day if goods are under way.",
        "market",
        "Runway",
    ),
    _d(
        "settlement_paid_usd",
        "USD",
        "flow",
        "sum",
        "Paid for the day's rule draws under a sale settlement: tonnes x the set price, or the price the member "
        "pays that day.",
        "market",
        "Paid for rule draws",
        present_when="sale",
    ),
    _d(
        "settlement_received_usd",
        "USD",
        "flow",
        "sum",
        "Sale proceeds received: by ownership share of the pool (joint mode), by tonnes lent (national mode).",
        "market",
        "Received for rule draws",
        present_when="sale",
    ),
    _d(
        "loan_repaid_t",
        "t",
        "flow",
        "sum",
        "Loan returned in kind today: the shared stock's refill arrivals (pool refills; lenders' reserve refills in "
        "national mode) repay outstanding loans, split by what each borrower owes.",
        "market",
        "Loan returned",
        present_when="loan",
    ),
    _d(
        "loan_due_t",
        "t",
        "flow",
        "sum",
        "Borrowed today under a loan settlement whose term ends within the horizon (day + term < horizon).",
        "market",
        "Borrowed, due within the horizon",
        present_when="loan",
    ),
    _d(
        "loan_owed_t",
        "t",
        "stock",
        "last",
        "Borrowed under a loan settlement and not yet returned, end of day.",
        "market",
        "Loan owed",
        present_when="loan",
    ),
    _d(
        "loan_receivable_t",
        "t",
        "stock",
        "last",
        "Lent to other members under a loan settlement (as pool owner or lending member) and not yet returned, end "
        "of day.",
        "market",
        "Loan receivable",
        present_when="loan",
    ),
    _d(
        "held_at_origin_t",
        "t",
        "stock",
        "max",
        "Shipments held at the exporter's border by an embargo, end of day (they ship when it ends).",
        "procurement",
        "Held at origin",
        present_when="held",
    ),
    _d(
        "awaiting_licence_t",
        "t",
        "stock",
        "max",
        "Shipments awaiting an export licence that will be approved, end of day.",
        "procurement",
        "Awaiting a licence",
        present_when="licensing",
    ),
    _d(
        "leaked_t",
        "t",
        "flow",
        "sum",
        "Shipments that got through an embargo anyway (reclassified, via third countries), on their way.",
        "procurement",
        "Leaked through",
        present_when="leak",
    ),
    _d(
        "border_lost_t",
        "t",
        "flow",
        "sum",
        "Orders turned away at the border today: over an export quota (not smuggled), or refused a licence. "
        "Buyers order again what they still want, so the same tonnes can be turned away on many days.",
        "procurement",
        "Turned away at the border",
        present_when="border",
    ),
)

SHIPMENTS = tuple(
    Quantity(name, unit, axes, "flow", "none", description, "procurement", dtype=dtype)  # type: ignore[arg-type]
    for name, unit, axes, description, dtype in (
        (
            "commercial_shipments_t",
            "t",
            ("region", "material", "supplier", "run"),
            "Leaving for commercial stock.",
            "float",
        ),
        ("commercial_lead_days", "days", ("region", "material", "supplier", "run"), "Their days in transit.", "int"),
        ("refill_shipments_t", "t", ("region", "material", "supplier", "run"), "Leaving for reserves.", "float"),
        ("pool_shipments_t", "t", ("material", "supplier", "run"), "Leaving for the joint pool.", "float"),
        ("pool_lead_days", "days", ("material", "supplier", "run"), "Their days in transit.", "int"),
        ("leak_shipments_t", "t", ("region", "material", "supplier", "run"), "Leaking through embargoes.", "float"),
        ("leak_lead_days", "days", ("region", "material", "supplier", "run"), "Their days in transit.", "int"),
    )
)
"""Internal: what the kernel hands the engines to put in transit (no table)."""

AGREEMENT_DAY = (
    Quantity(
        "gap_t",
        "t",
        ("member", "material", "run"),
        "decision",
        "none",
        "The member's gap as the agreement saw it (after its own reserve under national_first).",
        "agreement",
        table="releases",
    ),
    Quantity(
        "available_t",
        "t",
        ("material", "run"),
        "decision",
        "none",
        "Shared stock the rule could release: min(stock, release cap).",
        "agreement",
        table="releases",
    ),
    Quantity(
        "released_total_t",
        "t",
        ("material", "run"),
        "decision",
        "none",
        "Total allocated by the rule.",
        "agreement",
        table="releases",
        column="released_t",
    ),
    Quantity(
        "released_auction_t",
        "t",
        ("member", "material", "run"),
        "decision",
        "none",
        "Drawn from auction stock the member had bought.",
        "agreement",
        table="releases",
    ),
    Quantity(
        "released_rule_t",
        "t",
        ("member", "material", "run"),
        "decision",
        "none",
        "Allocated by the rule from the shared stock.",
        "agreement",
        table="releases",
    ),
    Quantity(
        "lent_t",
        "t",
        ("member", "material", "run"),
        "decision",
        "none",
        "Passed from each member's reserve to others (national mode): given under a grant settlement, sold "
        "under a sale, lent under a loan; under iea_ess, its own draw by its obligation.",
        "agreement",
        table="releases",
    ),
    Quantity(
        "transferred_t",
        "t",
        ("member", "material", "run"),
        "decision",
        "none",
        "iea_ess: supplies the member received (+) or passed on (-) under allocation obligations.",
        "agreement",
        table="releases",
    ),
    Quantity(
        "restraint_t",
        "t",
        ("member", "material", "run"),
        "decision",
        "none",
        "iea_ess: demand the rule's restraint held back on a day it acts (a trigger holds): the member's shortfall "
        "up to the restraint x its demand (agreement.iea_ess.restraint, 7% by default; higher_restraint, 10% by "
        "default, once the group's supply loss reaches higher_loss_share, 12% by default); past it, the obligation "
        "the stock could not give. 0 under other rules and on days the rule does not act.",
        "agreement",
        table="releases",
    ),
    Quantity(
        "governed",
        "flag",
        ("material", "run"),
        "decision",
        "none",
        "iea_ess acted: a trigger held with releases open (own reserves are drawn only by obligation).",
        "agreement",
        dtype="bool",
    ),
    Quantity(
        "decided",
        "flag",
        ("material", "run"),
        "decision",
        "none",
        "A release decision was taken (releases open, a member short).",
        "agreement",
        dtype="bool",
    ),
    Quantity(
        "stood_down",
        "flag",
        ("material", "run"),
        "decision",
        "none",
        "The agreement stood down today.",
        "agreement",
        dtype="bool",
    ),
    Quantity(
        "auction_held",
        "flag",
        ("material", "run"),
        "decision",
        "none",
        "An auction was held.",
        "agreement",
        dtype="bool",
    ),
    Quantity("lot_t", "t", ("material", "run"), "decision", "none", "Tonnes offered.", "agreement", table="auctions"),
    Quantity("sold_t", "t", ("material", "run"), "decision", "none", "Lot sold.", "agreement", table="auctions"),
    Quantity(
        "unsold_t",
        "t",
        ("material", "run"),
        "decision",
        "none",
        "Offered but not sold (left in the pool).",
        "agreement",
        table="auctions",
    ),
    Quantity(
        "bid_t",
        "t",
        ("member", "material", "run"),
        "decision",
        "none",
        "Volume the member bid (all its price segments).",
        "agreement",
        table="auctions",
    ),
    Quantity(
        "won_t",
        "t",
        ("member", "material", "run"),
        "decision",
        "none",
        "Volume the member won.",
        "agreement",
        table="auctions",
    ),
    Quantity(
        "spend_usd",
        "USD",
        ("member", "material", "run"),
        "decision",
        "none",
        "What the member paid.",
        "agreement",
        table="auctions",
    ),
    Quantity(
        "unused_t",
        "t",
        ("material", "run"),
        "decision",
        "none",
        "Shared stock left unreleased while members remained short.",
        "agreement",
    ),
    Quantity(
        "drawable_t",
        "t",
        ("member", "material", "run"),
        "decision",
        "none",
        "Shared stock the rule would let each member draw now (before its own shortfall is known).",
        "agreement",
    ),
)
"""The agreement's record of a day; ``rule`` and the clearing price are in :data:`DAILY`."""


def _s(name: str, unit: str, aggregation: Aggregation, description: str, label: str, **extra: object) -> Quantity:
    """A summary metric per run, region and material."""
    return Quantity(
        name,
        unit,
        ("region", "material", "run"),
        "summary",
        aggregation,
        description,
        "summary",
        table="summary",
        label=label,
        **extra,  # type: ignore[arg-type]
    )


SUMMARY = (
    _s(
        "demand_t",
        "t",
        "sum",
        "Total demand after the price response: the daily demand_t summed (potential demand less demand_destroyed_t).",
        "Demand",
        source="demand_t",
        region_total="sum",
    ),
    _s(
        "shortfall_t",
        "t",
        "sum",
        "Total shortfall.",
        "Shortfall",
        source="shortfall_t",
        region_total="sum",
        per_material=True,
    ),
    _s(
        "shortfall_share",
        "fraction",
        "derived",
        "Shortfall over demand (0 without demand).",
        "Shortfall share",
        region_total="share",
        per_material=True,
    ),
    _s(
        "max_daily_shortfall_t",
        "t",
        "max",
        "Largest shortfall on one day.",
        "Largest daily shortfall",
        source="shortfall_t",
    ),
    _s(
        "shortfall_days",
        "days",
        "count",
        "Days with a shortfall above rounding (1e-9 t). Per region (shortfall_days.<region>) the days it was "
        "short of at least one material, each day once: at most the horizon.",
        "Days short",
        source="shortfall_t",
        dtype="int",
        region_total="distinct",
        per_material=True,
        in_baselines="totals",  # per material it came later: baselines keep shortfall_days.<region> only
    ),
    _s(
        "first_shortfall_day",
        "day",
        "first",
        "First day short (-1 when never).",
        "First day short",
        source="shortfall_t",
        dtype="int",
        region_total="first",
        per_material=True,
    ),
    _s(
        "min_days_of_cover",
        "days",
        "min",
        "Lowest end-of-day days of cover.",
        "Lowest days of cover",
        source="days_of_cover",
        region_total="min",
        per_material=True,
    ),
    _s(
        "min_days_of_cover_day",
        "day",
        "day_of_min",
        "Day of min_days_of_cover: the first day the lowest end-of-day days of cover is reached (the earliest of "
        "days tied at it); -1 without days of cover (no demand).",
        "Day of lowest cover",
        source="days_of_cover",
        dtype="int",
        per_material=True,
    ),
    _s(
        "min_days_of_net_imports",
        "days",
        "min",
        "Lowest end-of-day drawable cover in days of net imports.",
        "Lowest days of net imports",
        source="days_of_net_imports",
    ),
    _s(
        "released_t",
        "t",
        "derived",
        "Strategic stock received (own reserve + shared stock).",
        "Released",
        region_total="sum",
        per_material=True,
    ),
    _s("end_reserve_t", "t", "last", "National reserve at the end.", "Reserve at the end", source="reserve_stock_t"),
    _s("released_national_t", "t", "sum", "Drawn from own reserve.", "From own reserve", source="released_national_t"),
    _s(
        "released_joint_t",
        "t",
        "sum",
        "Received from the shared stock.",
        "From shared stock",
        source="released_joint_t",
    ),
    _s(
        "released_auction_t", "t", "sum", "Drawn from auction stock.", "From auction stock", source="released_auction_t"
    ),
    _s("released_rule_t", "t", "sum", "Allocated by the rule.", "Allocated by the rule", source="released_rule_t"),
    _s(
        "lent_t",
        "t",
        "sum",
        "Passed to other members: given under a grant settlement, sold under a sale, lent under a loan; under "
        "iea_ess, the member's own draw by its obligation.",
        "Lent, sold or given",
        source="lent_t",
    ),
    _s(
        "end_commercial_t",
        "t",
        "last",
        "Commercial stock at the end.",
        "Commercial stock at the end",
        source="commercial_stock_t",
    ),
    _s(
        "ordered_t",
        "t",
        "sum",
        "Orders placed over the run; tonnes turned away at the border and ordered again count each day.",
        "Ordered",
        source="ordered_t",
    ),
    _s("resourced_t", "t", "sum", "Re-sourced volume.", "Re-sourced", source="resourced_t"),
    _s(
        "auction_spend_usd",
        "USD",
        "sum",
        "Paid at auction.",
        "Auction spend",
        source="auction_spend_usd",
        region_total="sum",
    ),
    _s(
        "procurement_premium_usd",
        "USD",
        "sum",
        "Quota premium paid.",
        "Quota premium",
        source="procurement_premium_usd",
        region_total="sum",
    ),
    _s(
        "resourcing_cost_usd",
        "USD",
        "sum",
        "Spot cost of re-sourcing.",
        "Re-sourcing cost",
        source="resourcing_cost_usd",
        region_total="sum",
    ),
    _s(
        "refill_cost_usd", "USD", "sum", "Cost of refills.", "Refill cost", source="refill_cost_usd", region_total="sum"
    ),
    _s(
        "holding_cost_usd",
        "USD",
        "sum",
        "Cost of holding strategic stock.",
        "Holding cost",
        source="holding_cost_usd",
        region_total="sum",
    ),
    _s(
        "peak_price_usd_per_kg",
        "USD/kg",
        "max",
        "Highest price the region paid (empty for a material with neither a market nor a price).",
        "Peak price",
        source="price_usd_per_kg",
        per_material=True,
    ),
    _s(
        "peak_price_day",
        "day",
        "day_of_max",
        "Day of peak_price_usd_per_kg: the first day the region paid its highest price (the earliest of days tied "
        "at it, so day 0 for a fixed price and the day a cap was reached); the world price's peak day but under "
        "a targeted embargo's premium; -1 without a price.",
        "Day of peak price",
        source="price_usd_per_kg",
        dtype="int",
        per_material=True,
    ),
    _s(
        "demand_destroyed_t",
        "t",
        "sum",
        "Demand the price response removed.",
        "Demand destroyed",
        source="demand_destroyed_t",
        region_total="sum",
        per_material=True,
    ),
    _s(
        "crisis_extra_cost_usd",
        "USD",
        "sum",
        "Extra spend at prices above the reference price.",
        "Extra cost at crisis prices",
        source="crisis_extra_cost_usd",
        region_total="sum",
    ),
    _s(
        "lost_surplus_usd",
        "USD",
        "sum",
        "Consumer surplus lost on the demand the price destroyed, on the model's own demand curve.",
        "Surplus lost on destroyed demand",
        source="lost_surplus_usd",
        region_total="sum",
    ),
    _s(
        "auction_revenue_usd",
        "USD",
        "sum",
        "Auction proceeds received as pool owner.",
        "Auction revenue received",
        source="auction_revenue_usd",
        region_total="sum",
    ),
    _s(
        "contributed_t",
        "t",
        "derived",
        "Paid in to the shared stock: pool contribution (joint mode), lendable part of the initial reserve "
        "(national mode); 0 outside the agreement.",
        "Paid in",
    ),
    _s(
        "draw_to_contribution",
        "ratio",
        "derived",
        "The member's share of all members' draws from the shared stock (released_joint_t) over its share of what "
        "they paid in: 1 = drew in proportion to what it paid in, 2 = twice that; empty when it paid nothing in or "
        "nothing was drawn.",
        "Drawn share / paid-in share",
    ),
    _s(
        "settlement_paid_usd",
        "USD",
        "sum",
        "Paid for rule draws under a sale settlement.",
        "Paid for rule draws",
        source="settlement_paid_usd",
    ),
    _s(
        "settlement_received_usd",
        "USD",
        "sum",
        "Sale proceeds received as pool owner or lender.",
        "Received for rule draws",
        source="settlement_received_usd",
    ),
    _s("loan_repaid_t", "t", "sum", "Loans returned in kind.", "Loan returned", source="loan_repaid_t"),
    _s(
        "loan_due_t",
        "t",
        "sum",
        "Borrowed with a term ending within the horizon.",
        "Borrowed, due within the horizon",
        source="loan_due_t",
    ),
    _s("loan_owed_t", "t", "last", "Loans not yet returned at the end.", "Loan owed at the end", source="loan_owed_t"),
    _s(
        "loan_overdue_t",
        "t",
        "derived",
        "Loans past their term and not returned at the end: max(0, loan_due_t - loan_repaid_t) (returns repay the "
        "oldest loans first).",
        "Loan overdue at the end",
    ),
    _s(
        "loan_receivable_t",
        "t",
        "last",
        "Lent under a loan settlement and not yet returned at the end.",
        "Loan receivable at the end",
        source="loan_receivable_t",
    ),
)


def _date(day: str, label: str) -> Quantity:
    """The calendar date of a summary day metric ``day``, a column of ``summary`` (not a per-run metric)."""
    return Quantity(
        day.removesuffix("_day") + "_date",
        "date",
        ("region", "material", "run"),
        "summary",
        "none",
        f"{day} as the calendar date (start_date + that many days); empty without a start_date or when {day} is -1.",
        "summary",
        table="summary",
        label=label,
        dates=day,
        dtype="str",
    )


SUMMARY_DATES = (
    _date("first_shortfall_day", "First date short"),
    _date("min_days_of_cover_day", "Date of lowest cover"),
    _date("peak_price_day", "Date of peak price"),
)
"""Calendar dates of the summary's day metrics (``summary.csv`` and ``summary.json`` records), after them."""


def _a(
    name: str,
    unit: str,
    description: str,
    label: str,
    aggregation: Aggregation = "derived",
    source: str | None = None,
    dtype: str = "float",
    compare_order: int | None = None,
    region_total: Literal["sum", "distinct", None] = None,
) -> Quantity:
    """An agreement-wide metric per run, overall and per material (rows with region ``all``).

    Sweep tables and ``summary.json``'s metrics give it over all materials (``<name>``) and
    per material (``<name>.all.<material>``, region ``all`` as in the summary table): the total adds
    tonnes of every material. With a ``source`` (a daily number per material of the market's or the
    agreement's record), ``region_total`` says how: None or ``sum`` adds the materials' figures;
    ``distinct`` (a count) counts the days any material counts, each day once.
    ``compare_order``: its column's place in ``stockpile compare`` (None: not compared).
    """
    return Quantity(
        name,
        unit,
        ("material", "run"),
        "summary",
        aggregation,
        description,
        "agreement_summary",
        table="summary",
        label=label,
        source=source,
        dtype=dtype,  # type: ignore[arg-type]
        per_material=True,
        in_baselines="totals",  # the per-material columns came later: baselines keep the totals only
        compare_order=compare_order,
        region_total=region_total,
    )


AGREEMENT_SUMMARY = (
    _a(
        "total_shortfall_t",
        "t",
        "Members' total shortfall (all regions without an agreement); over all materials it adds their tonnes "
        "(oxide and magnet, cheap and dear alike): total_shortfall_t.all.<material> gives each material's.",
        "Total shortfall",
        compare_order=1,
    ),
    _a(
        "fairness_jain",
        "index",
        "Jain's index of the members' shortfall shares, (sum x)^2 / (n sum x^2), over the n members with demand "
        "(of the material; over all materials, of any): 1 when every one is short by the same share of its demand "
        "(or none is short, or no member has demand), 1/n when one bears it all. A member without demand has no "
        "share and is left out, not counted as short by 0. Over all materials a share adds the tonnes of every "
        "material: fairness_jain.all.<material> gives each material's.",
        "Fairness (Jain's index)",
        compare_order=2,
    ),
    _a(
        "max_shortfall_share_gap",
        "fraction",
        "Largest difference between two members' shortfall shares, among the members with demand (of the material; "
        "over all materials, of any); 0 with fewer than two.",
        "Largest gap in shortfall shares",
        compare_order=3,
    ),
    _a(
        "draw_contribution_gap",
        "fraction",
        "How far who drew from the shared stock is from who paid in: half the sum over members of |share of the "
        "draws - share of the contributions|; 0 when every member drew in proportion to what it paid in, 1 when "
        "those who drew paid nothing in; 0 when nothing was drawn or paid in.",
        "Gap between draws and contributions",
        compare_order=4,
    ),
    _a(
        "envious_members",
        "count",
        "Members that were short and would prefer another member's draw scaled to their own contribution: "
        "d_j x c_i / c_j > d_i by more than 0.1% of the larger (d: drawn from the shared stock, c: paid in; "
        "a near-tie is no envy).",
        "Envious members",
        dtype="int",
        compare_order=5,
    ),
    _a(
        "pool_end_t",
        "t",
        "Unsold joint pool stock at the end.",
        "Pool at the end",
        "last",
        "pool_stock_t",
        compare_order=7,
    ),
    _a(
        "unused_release_t",
        "t",
        "Shared stock that stayed in the pool on days members were short (lags, caps, strict withholding, reserve "
        "prices): sum over days of min(stock left, remaining gaps).",
        "Unused shared stock",
        "sum",
        "unused_t",
        compare_order=6,
    ),
)


def _l(name: str, unit: str, description: str, dtype: str = "float") -> Quantity:
    """A column of the settlement ledger: one row per member and material, at the end of a run."""
    return Quantity(
        name,
        unit,
        ("region", "material", "run"),
        "summary",
        "derived",
        description,
        "ledger",
        table="ledger",
        dtype=dtype,  # type: ignore[arg-type]
    )


LEDGER = (
    _l("settlement", "name", "How rule draws are settled: grant, sale or loan (agreement.settlement).", "str"),
    _l(
        "contributed_t",
        "t",
        "Paid in: the member's pool contribution (joint mode), the lendable part of its initial reserve (national).",
    ),
    _l(
        "contributed_usd",
        "USD",
        "contributed_t at the price of day 0 (the purchase price): the market's reference price, else the fixed "
        "price (0 without one).",
    ),
    _l("ownership_share", "fraction", "Share of the joint pool the member owns (its contribution's share)."),
    _l(
        "drawn_t",
        "t",
        "Received from the shared stock: drawn_auction_t + drawn_rule_t. The same figure as summary.csv's "
        "released_joint_t (timeseries.csv's, day by day).",
    ),
    _l(
        "drawn_auction_t",
        "t",
        "Drawn from stock bought at auction (paid at the auction's price). The same figure as summary.csv's "
        "released_auction_t (timeseries.csv's, day by day).",
    ),
    _l(
        "drawn_rule_t",
        "t",
        "Allocated by the sharing rule (settled as the settlement says). The same figure as summary.csv's "
        "released_rule_t (timeseries.csv's, day by day).",
    ),
    _l(
        "drawn_from_others_t",
        "t",
        "Rule draws beyond the member's own part of them: drawn_rule_t - ownership share x all members' rule draws "
        "(joint mode), drawn_rule_t - lent (national mode); negative when its stock went to others.",
    ),
    _l("grant_t", "t", "Rule draws settled as a grant (nothing owed)."),
    _l("sale_t", "t", "Rule draws settled as a sale."),
    _l("loan_t", "t", "Rule draws settled as a loan."),
    _l(
        "auction_paid_usd",
        "USD",
        "Paid at auction for pool stock. The same figure as summary.csv's auction_spend_usd (timeseries.csv's, day "
        "by day).",
    ),
    _l("auction_revenue_usd", "USD", "Auction proceeds received as pool owner (by ownership share)."),
    _l(
        "sale_paid_usd",
        "USD",
        "Paid for rule draws under a sale settlement. The same figure as summary.csv's settlement_paid_usd "
        "(timeseries.csv's, day by day).",
    ),
    _l(
        "sale_received_usd",
        "USD",
        "Sale proceeds received as pool owner (joint) or by tonnes lent (national). The same figure as summary.csv's "
        "settlement_received_usd (timeseries.csv's, day by day).",
    ),
    _l(
        "loan_returned_t",
        "t",
        "Loans the member returned in kind (through the shared stock's refills). The same figure as summary.csv's "
        "loan_repaid_t (timeseries.csv's, day by day).",
    ),
    _l("loan_owed_t", "t", "Loans the member has not returned at the end."),
    _l("loan_overdue_t", "t", "Of those, past their term at the end."),
    _l("loan_receivable_t", "t", "Loans owed to the member (as owner or lender) at the end."),
    _l(
        "end_price_usd_per_kg",
        "USD/kg",
        "World price on the last day (values loans at the end); empty for a material with neither a market nor a "
        "price (its loans are valued at 0).",
    ),
    _l(
        "net_position_usd",
        "USD",
        "Received - paid + (receivable - owed) x end price: auction_revenue_usd + sale_received_usd - "
        "auction_paid_usd - sale_paid_usd + (loan_receivable_t - loan_owed_t) x end_price_usd_per_kg x 1000. "
        "Positive: the others owe the member, or it came out ahead in cash. A grant settles nothing.",
    ),
)
"""The settlement ledger (``ledger.csv``), computed from a run's summary at its end."""


def _k(name: str, unit: str, description: str, tables: str, dtype: str = "str", record: Record = "key") -> Quantity:
    """A key column (what a row is about) shared by the tables named in ``tables``."""
    first, *rest = tables.split()
    return Quantity(
        name,
        unit,
        (),
        "key",
        "none",
        description,
        record,
        table=first,
        also_in=tuple(rest),
        dtype=dtype,  # type: ignore[arg-type]
    )


_DAY_TABLES = "timeseries supply pool releases auctions market"
KEYS = (
    _k("day", "day", "Model day, 0 to horizon - 1 (day 0 is the scenario's start_date).", _DAY_TABLES, "int"),
    _k("date", "date", "Calendar date of the day (empty without a start_date).", _DAY_TABLES),
    _k(
        "region",
        "id",
        "The row's region (``all`` in summary rows over the agreement).",
        "timeseries supply summary portfolio",
    ),
    _k(
        "member",
        "id",
        "The row's member of the agreement: what summary.csv and timeseries.csv call its region (their column "
        "region). Several columns of ledger.csv give a figure of summary.csv under another name, each saying which.",
        "ledger",
    ),
    _k(
        "material",
        "id",
        "The row's material (``all`` in the summary row over every material).",
        "timeseries supply pool releases auctions market summary portfolio ledger",
    ),
    _k("supplier", "id", "The row's supplier.", "supply portfolio"),
    _k(
        "mechanism",
        "name",
        "The rule applied: the sharing rule (under hybrid, fair_ratio while an embargo is on), or auction on a "
        "day members only drew stock they had bought.",
        "releases",
    ),
)
"""Columns that say what a row is about."""

SHOCK_TABLE = (
    _k("id", "id", "The shock's id.", "shocks"),
    _k(
        "kind", "name", "The shock's kind (embargo, quota_cut, delay, demand_surge, export_quota, licensing).", "shocks"
    ),
    _k("start_day", "day", "First active day (drawn for a random start).", "shocks", "int", "draws"),
    _k("end_day", "day", "First day no longer active.", "shocks", "int", "draws"),
    _k("start_date", "date", "First active day as a date (empty without start_date).", "shocks", "str", "draws"),
    _k("last_date", "date", "Last active day as a date (empty without start_date).", "shocks", "str", "draws"),
    _k(
        "severity",
        "fraction",
        "Share of the supply stopped (0 to 1, 1 = a full halt), as drawn: an embargo's or a quota cut's severity "
        "(an embargo's before what leaks through, ``leak_share``); empty for other kinds.",
        "shocks",
        "float",
        "draws",
    ),
    _k(
        "leak_share",
        "fraction",
        "Share of what an embargo stops that gets through anyway, later (0 when nothing leaks): of the flow, "
        "severity x (1 - leak_share) is stopped; empty for other kinds.",
        "shocks",
        "float",
        "draws",
    ),
    _k(
        "extra_days",
        "days",
        "Days a delay adds to the lead time, as drawn (a whole number); empty for other kinds.",
        "shocks",
        "int",
        "draws",
    ),
    _k(
        "demand_factor",
        "x normal demand",
        "A demand surge's factor on demand (1.2 = 20% more), as drawn; empty for other kinds.",
        "shocks",
        "float",
        "draws",
    ),
    _k(
        "quota_t_per_period",
        "t per period",
        "An export quota's tonnes per period (of ``quota_period_days``), as drawn; empty for other kinds.",
        "shocks",
        "float",
        "draws",
    ),
    _k(
        "quota_period_days",
        "days",
        "Length of an export quota's period, a whole number of days; empty for other kinds.",
        "shocks",
        "int",
        "draws",
    ),
    _k(
        "approval_share",
        "fraction",
        "Share of licence applications approved under licensing (0 to 1, 1 = every one), as drawn; empty for other "
        "kinds.",
        "shocks",
        "float",
        "draws",
    ),
)
"""One row per shock as it happened in a run: its window, then its size in the column of its kind's unit."""

SHOCK_SIZE_COLUMN = {
    "embargo": "severity",
    "quota_cut": "severity",
    "delay": "extra_days",
    "demand_surge": "demand_factor",
    "export_quota": "quota_t_per_period",
    "licensing": "approval_share",
}
"""The ``shocks`` column that holds a shock's size (its drawn magnitude), by kind; the other size columns are empty."""

REGISTRY: tuple[Quantity, ...] = (
    *KEYS,
    *SHOCK_TABLE,
    *PLAN_WORLD,
    *PLAN_AGREEMENT,
    *PLAN_AUCTION,
    *PLAN_MARKET,
    *DAILY,
    *SHIPMENTS,
    *AGREEMENT_DAY,
    *SUMMARY,
    *SUMMARY_DATES,
    *AGREEMENT_SUMMARY,
    *LEDGER,
)
"""Every quantity, in the order tables show them."""

DAY_METRICS = frozenset(q.name for q in REGISTRY if q.unit == "day")
"""Quantities that are day numbers (a first day short, the day of the lowest cover or the peak price)."""
NONE_WORDS: dict[Aggregation, str] = {"first": "never", "day_of_min": "no demand", "day_of_max": "no price"}
"""What a day metric's -1 means, by its aggregation: never short; no day of cover (no demand); no price."""
NEVER = NONE_WORDS["first"]
"""The word for a -1 that says the event never happened in the run (a first day)."""


def of_record(record: Record) -> tuple[Quantity, ...]:
    """The quantities a record carries, in registry order."""
    return tuple(q for q in REGISTRY if q.record == record)


def in_table(table: str, keys: bool = False) -> tuple[Quantity, ...]:
    """The quantities shown in an output table, in column order (with ``keys``: the key columns first)."""
    return tuple(q for q in REGISTRY if table in q.tables and (keys or q.grain != "key"))


def get(record: Record, name: str) -> Quantity:
    """One quantity by record and name."""
    for q in REGISTRY:
        if q.record == record and q.name == name:
            return q
    raise KeyError(f"{record}.{name}")


def none_word(metric: str) -> str | None:
    """What the -1 of summary metric ``metric`` means (:data:`NONE_WORDS`, by its aggregation).

    None for a metric whose -1 would be a number, or that is not a summary metric.

    >>> none_word("first_shortfall_day"), none_word("peak_price_day"), none_word("shortfall_t"), none_word("x")
    ('never', 'no price', None, None)
    """
    try:
        return NONE_WORDS.get(get("summary", metric).aggregation)
    except KeyError:
        return None


def daily(name: str) -> Quantity:
    """A daily quantity (:data:`DAILY`) by name."""
    for q in DAILY:
        if q.name == name:
            return q
    raise KeyError(name)


def names(quantities: Iterable[Quantity]) -> tuple[str, ...]:
    """Names of ``quantities`` in order."""
    return tuple(q.name for q in quantities)


def sweep_metric_names(regions: Iterable[str], materials: Iterable[str]) -> list[str]:
    """Columns of a sweep table's metrics, in order: agreement-wide, per region, per region and material.

    The agreement-wide ones over all materials first, then per material (region ``all``).
    """
    materials = list(materials)
    out = [q.name for q in AGREEMENT_SUMMARY]
    out += [f"{q.name}.{ALL}.{m}" for m in materials for q in AGREEMENT_SUMMARY if q.per_material]
    for region in regions:
        out += [f"{q.name}.{region}" for q in SUMMARY if q.region_total]
        out += [f"{q.name}.{region}.{m}" for m in materials for q in SUMMARY if q.per_material]
    return out


def in_baselines(column: str) -> bool:
    """Whether regression baselines store per-run metric ``column`` (:attr:`Quantity.in_baselines`).

    >>> in_baselines("total_shortfall_t"), in_baselines("total_shortfall_t.all.heavy_ree")
    (True, False)
    >>> in_baselines("shortfall_t.eu"), in_baselines("shortfall_t.eu.heavy_ree")
    (True, True)
    >>> [in_baselines(c) for c in ("shortfall_days.eu", "shortfall_days.eu.heavy_ree")]
    [True, False]
    """
    name, _, where = column.partition(".")
    found = [q for q in (*AGREEMENT_SUMMARY, *SUMMARY) if q.name == name]
    if not found:
        raise KeyError(f"{column!r} is not a per-run metric")
    q = found[0]
    per_material = where.count(".") == 1  # <region>.<material>; agreement-wide: all.<material>
    return q.in_baselines == "all" or (q.in_baselines == "totals" and not per_material)


def metric_names() -> frozenset[str]:
    """Bare names of every per-run metric and fingerprinted curve (:func:`in_baselines`: which a baseline stores)."""
    flat = {q.name for q in SUMMARY if q.region_total or q.per_material}
    return frozenset(flat | {q.name for q in AGREEMENT_SUMMARY} | {q.name for q in DAILY if q.fingerprint})


def compare_metrics() -> tuple[str, ...]:
    """The agreement-wide metrics ``compare.csv`` holds, in its columns' order (:attr:`Quantity.compare_order`).

    Two entries at one place are refused: which comes first would be left to the registry's order.

    >>> compare_metrics()[:2], compare_metrics()[-2:]
    (('total_shortfall_t', 'fairness_jain'), ('unused_release_t', 'pool_end_t'))
    """
    compared = sorted((q.compare_order, q.name) for q in AGREEMENT_SUMMARY if q.compare_order is not None)
    places = [place for place, _ in compared]
    twice = sorted({name for place, name in compared if places.count(place) > 1})
    if twice:
        raise ValueError(f"simulator/quantities.py: {twice} share a compare_order: give each its own place")
    return tuple(name for _, name in compared)


def curve_names() -> tuple[str, ...]:
    """Daily quantities a sweep keeps per day when asked for curves."""
    return tuple(q.name for q in DAILY if q.curve)


def fingerprint_names() -> tuple[str, ...]:
    """Daily curves sampled into regression baselines."""
    return tuple(q.name for q in DAILY if q.fingerprint)
