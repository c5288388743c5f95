"""The typed scenario model: one strict, frozen pydantic schema.

Layer: ground.

Every quantity carries its unit in its name or in the ``unit`` entry of its JSON
Schema, and every field's docstring becomes its description in ``stockpile schema``
and in the generated scenario reference (``docs/scenario-reference.md``).

Conventions: tonnes (t) are tonnes of oxide equivalent; days are model days (day 0 is
``start_date`` when one is given); a *day spec* is either a day number (may be
negative, i.e. before the horizon starts) or a calendar date.

Every number is finite and has a stated range (the ``MAX_*`` constants below, shown
as ``minimum``/``maximum`` in the JSON Schema and listed in ``docs/writing-scenarios.md``,
"Limits"), so that no input can overflow a result to infinity or make a run allocate
without bound. A boolean is never a number (YAML reads ``yes`` as true) and text is
never a number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError

from simulator import mechanisms

RESERVED_IDS = frozenset({"all"})
ID_PATTERN = r"^[a-z][a-z0-9_]*$"

# --- limits ----------------------------------------------------------------------------

MAX_TONNES = 1e9
"""Stocks, contributions and auction lots (t)."""
MAX_TONNES_PER_DAY = 1e7
"""Demand, capacities, refill rates and release caps (t/day)."""
MIN_DEMAND_T_PER_DAY = 1e-6
"""Smallest demand that is not zero (1 g a day): days of cover divide stock by demand."""
MAX_USD_PER_KG = 1e7
"""Prices, bids and reserve prices (USD/kg)."""
MAX_USD_PER_T_YEAR = 1e10
"""Holding costs (USD per tonne and year)."""
MAX_DAYS = 36_500
"""The horizon and every span of days that is not a transit time (100 years)."""
MAX_TRANSIT_DAYS = 3_650
"""Lead times, a delay's extra days and the agreement's decision and delivery lags."""
MAX_DAY_NUMBER = 100_000
"""Shock days given as numbers lie in [-MAX_DAY_NUMBER, MAX_DAY_NUMBER]."""
FIRST_DATE = dt.date(1900, 1, 1)
"""Earliest calendar date."""
LAST_DATE = dt.date(2200, 12, 31)
"""Latest calendar date."""
MIN_GROWTH_PER_YEAR = -0.99
"""Yearly demand decline (-0.99 = a hundredth of the demand left after a year)."""
MAX_GROWTH_PER_YEAR = 1.0
"""Yearly demand growth (1 = doubling every year)."""
MAX_NOISE_CV = 10.0
"""Coefficient of variation of daily demand noise."""
MAX_FACTOR = 100.0
"""Demand-surge factors, spot-price multipliers and quota premiums."""
MAX_WEIGHT = 1e9
"""Stock commitment weights of the IEA sharing system."""
MAX_SEED = 2**32 - 1
"""Seeds are 32-bit, like the per-run seeds of sweeps (every table format keeps them exactly)."""
MAX_SHOCKS = 100
"""Shocks in one scenario."""
MAX_DISTRIBUTION_PARAMETER = 1e9
"""Parameters of a distribution (each field narrows this to its own range)."""


def _unit(unit: str) -> dict[str, str]:
    return {"unit": unit}


def _plain_number(value: Any) -> Any:
    """Refuse booleans and text where a number is expected; pass anything else on."""
    if isinstance(value, bool):
        raise PydanticCustomError(
            "boolean_not_number", "must be a number, not true/false (YAML reads yes, no, on and off as true/false)"
        )
    if isinstance(value, str | bytes):
        raise PydanticCustomError("number_type", "must be a number, not text")
    return value


NUMBER = BeforeValidator(_plain_number)


def _number(unit: str | None, low: float, high: float, *, above: bool = False) -> Any:
    """Metadata of a finite number in [low, high] (or (low, high] with ``above``)."""
    bound = {"gt": low} if above else {"ge": low}
    return Field(**bound, le=high, allow_inf_nan=False, json_schema_extra=_unit(unit) if unit else None)


def _whole(unit: str | None, low: int, high: int) -> Any:
    """Metadata of a whole number in [low, high]."""
    return Field(ge=low, le=high, json_schema_extra=_unit(unit) if unit else None)


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _calendar_date(value: Any) -> Any:
    """A date from a date or a ``YYYY-MM-DD`` text; refuse numbers and impossible dates."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("date_type", "must be a date (YYYY-MM-DD)")
    shown = value if len(value) <= 40 else value[:37] + "..."
    match = _DATE.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"not a valid date '{shown}' (write YYYY-MM-DD)")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise ValueError(f"not a valid date '{shown}': {exc}") from None


def _day_or_date(value: Any) -> Any:
    """Text in a day spec is a date (so its error is the date's, not the day number's)."""
    return _calendar_date(value) if isinstance(value, str) else value


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=40)]
Tonnes = Annotated[float, _number("t", 0, MAX_TONNES), NUMBER]
TonnesPerDay = Annotated[float, _number("t/day", 0, MAX_TONNES_PER_DAY), NUMBER]
Days = Annotated[float, _number("days", 0, MAX_DAYS), NUMBER]
WholeDays = Annotated[int, _whole("days", 0, MAX_DAYS), NUMBER]
TransitDays = Annotated[int, _whole("days", 0, MAX_TRANSIT_DAYS), NUMBER]
Fraction = Annotated[float, _number("fraction", 0, 1), NUMBER]
UsdPerKg = Annotated[float, _number("USD/kg", 0, MAX_USD_PER_KG), NUMBER]
Date = Annotated[
    dt.date,
    Field(
        ge=FIRST_DATE,
        le=LAST_DATE,
        json_schema_extra={"formatMinimum": FIRST_DATE.isoformat(), "formatMaximum": LAST_DATE.isoformat()},
    ),
    BeforeValidator(_calendar_date),
]
DayNumber = Annotated[int, _whole(None, -MAX_DAY_NUMBER, MAX_DAY_NUMBER), NUMBER]
DaySpec = Annotated[DayNumber | Date, BeforeValidator(_day_or_date)]
Parameter = Annotated[float, _number(None, -MAX_DISTRIBUTION_PARAMETER, MAX_DISTRIBUTION_PARAMETER), NUMBER]


class Model(BaseModel):
    """Shared base: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, validate_default=True)


# --- random inputs -------------------------------------------------------------------


class Uniform(Model):
    """A value drawn uniformly between ``low`` and ``high``."""

    distribution: Literal["uniform"]
    low: Parameter
    """Lowest value."""
    high: Parameter
    """Highest value."""

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError("high must be >= low")
        return self


class Triangular(Model):
    """A value from the triangular distribution on [low, high] with its peak at ``mode``."""

    distribution: Literal["triangular"]
    low: Parameter
    """Lowest value."""
    mode: Parameter
    """Most likely value."""
    high: Parameter
    """Highest value."""

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError("need low <= mode <= high")
        return self


class LogNormal(Model):
    """A positive value from a lognormal distribution given by its own mean and sd."""

    distribution: Literal["lognormal"]
    mean: Annotated[float, _number(None, 0, MAX_DISTRIBUTION_PARAMETER, above=True), NUMBER]
    """Mean of the value (not of its logarithm)."""
    sd: Annotated[float, _number(None, 0, MAX_DISTRIBUTION_PARAMETER), NUMBER]
    """Standard deviation of the value (not of its logarithm)."""


Random = Annotated[Uniform | Triangular | LogNormal, Field(discriminator="distribution")]
RANDOM_TYPES = (Uniform, Triangular, LogNormal)
PARAMETERS = ("low", "mode", "high", "mean", "sd")


def _within(low: float, high: float) -> Callable[[Any], Any]:
    """A check that every parameter of a distribution lies in the field's range [low, high]."""

    def check(spec: Any) -> Any:
        for name in PARAMETERS:
            value = getattr(spec, name, None)
            if value is not None and not low <= value <= high:
                raise ValueError(f"{name} must be within [{low:g}, {high:g}] (got {value:g})")
        return spec

    return check


def random_within(low: float, high: float) -> Any:
    """A distribution whose parameters lie in [low, high].

    Its draws are clipped or rounded as each field says, but not bounded above.
    """
    return Annotated[Random, AfterValidator(_within(low, high))]


# --- the world -----------------------------------------------------------------------


class Material(Model):
    """A material (or a group of materials managed as one stock)."""

    description: str = ""
    """What the material stands for, with the source of its figures."""
    price_usd_per_kg: UsdPerKg | None = None
    """World market price, used for costs (premiums, refills, re-sourcing)."""
    holding_cost_usd_per_t_year: Annotated[float, _number("USD/(t*year)", 0, MAX_USD_PER_T_YEAR), NUMBER] = 0.0
    """Cost of holding one tonne of strategic stock for a year."""


class Supplier(Model):
    """An exporting country (or a group of processors) that ships to regions."""

    description: str = ""
    """Who this is, with sources."""
    lead_time_days: dict[Id, Annotated[int, _whole("days", 1, MAX_TRANSIT_DAYS), NUMBER]]
    """Days from a shipment leaving the supplier to its arrival, per region."""
    capacity_t_per_day: dict[Id, TonnesPerDay] = {}
    """Export capacity per material; a material not listed is not capacity-limited
    and has no known spare capacity for re-sourcing."""


def _zero_or_measurable(tonnes_per_day: float) -> float:
    if 0 < tonnes_per_day < MIN_DEMAND_T_PER_DAY:
        raise ValueError(f"must be 0 or at least {MIN_DEMAND_T_PER_DAY:g}")
    return tonnes_per_day


class Demand(Model):
    """Baseline demand of one region for one material."""

    tonnes_per_day: Annotated[TonnesPerDay, AfterValidator(_zero_or_measurable)]
    """Baseline demand on day 0 (0, or at least 1e-6 t/day)."""
    growth_per_year: Annotated[float, _number("fraction/year", MIN_GROWTH_PER_YEAR, MAX_GROWTH_PER_YEAR), NUMBER] = 0.0
    """Compound yearly growth of the baseline (0.05 = +5% a year)."""
    noise_cv: Annotated[float, _number("fraction", 0, MAX_NOISE_CV), NUMBER] = 0.0
    """Coefficient of variation of daily demand noise (lognormal, mean 1); 0 = none."""


class Stock(Model):
    """An amount of stock, in tonnes or in days of the holder's baseline demand on day 0."""

    tonnes: Tonnes | None = None
    """Amount in tonnes."""
    days: Days | None = None
    """Amount in days of the holder's baseline demand on day 0."""

    @model_validator(mode="after")
    def _exactly_one(self) -> Stock:
        if (self.tonnes is None) == (self.days is None):
            raise ValueError("give exactly one of 'tonnes' or 'days'")
        return self


class Reserve(Stock):
    """A national strategic reserve of one material."""

    target_days: Days | None = None
    """Refill target in days of baseline demand (default: the initial amount)."""
    refill_t_per_day: TonnesPerDay = 0.0
    """Most that may be ordered per day to refill after a drawdown (0 = no refill)."""


class Replenishment(Model):
    """How commercial buyers order their normal supply."""

    policy: Literal["flow", "order_up_to"] = "flow"
    """``flow``: every day each supplier ships its share of baseline demand.
    ``order_up_to``: periodic review; every ``review_days`` order up to a target
    inventory position (on hand + in transit), split by sourcing shares."""
    review_days: Annotated[int, _whole("days", 1, MAX_DAYS), NUMBER] = 7
    """Review period of the order-up-to policy."""
    safety_days: Days = 0.0
    """Safety stock of the order-up-to target, in days of baseline demand."""


class Resourcing(Model):
    """Spot purchases from suppliers with spare capacity when a supplier is blocked."""

    reaction_days: WholeDays = 14
    """Buyers turn to other suppliers on the ``reaction_days``-th consecutive day of lost supply."""
    price_multiplier: Annotated[float, _number("x world price", 0, MAX_FACTOR), NUMBER] = 1.0
    """Spot price as a multiple of the world price."""


class Quota(Model):
    """Procurement quota of one region for one material."""

    max_share_per_supplier: Fraction = 1.0
    """Cap on the share of supply from any single supplier (the EU benchmark is 0.65)."""
    partner_minimum: dict[Id, Fraction] = {}
    """Minimum shares from named partner suppliers."""
    premium: Annotated[float, _number("fraction", 0, MAX_FACTOR), NUMBER] = 0.0
    """Price premium over the world price on the volume the quota moves."""


class Procurement(Model):
    """A region's procurement policies."""

    replenishment: Replenishment = Replenishment()
    """Normal ordering policy."""
    resourcing: Resourcing | None = None
    """Re-sourcing to spare capacity during a shock (none when absent)."""
    quota: dict[Id, Quota] = {}
    """Quotas per material."""


class Region(Model):
    """A consuming region: a member of the arrangement or an outsider."""

    description: str = ""
    """Who this is, with sources."""
    demand: dict[Id, Demand]
    """Baseline demand per material."""
    commercial_stock: dict[Id, Stock] = {}
    """Private (industry) stock on day 0 per material; missing means none."""
    reserve: dict[Id, Reserve] = {}
    """National strategic reserve per material; missing means none."""
    sourcing: dict[Id, dict[Id, Fraction]]
    """Share of normal supply from each supplier, per material; shares sum to 1."""
    procurement: Procurement = Procurement()
    """Ordering, re-sourcing and quota policies."""


# --- shocks --------------------------------------------------------------------------


class ShockBase(Model):
    """Fields common to every shock."""

    id: Id
    """Unique name of the shock (used in plots, overrides and reports)."""
    description: str = ""
    """What happened, with sources."""
    start: Annotated[
        DaySpec | random_within(-MAX_DAY_NUMBER, MAX_DAY_NUMBER), Field(json_schema_extra=_unit("day or date"))
    ]
    """First day the shock is active (day number or date), or a distribution of days."""
    end: Annotated[DaySpec | None, Field(json_schema_extra=_unit("day or date"))] = None
    """First day the shock is no longer active; give this or ``duration_days``."""
    duration_days: Annotated[
        Annotated[int, _whole(None, 1, MAX_DAYS), NUMBER] | random_within(0, MAX_DAYS) | None,
        Field(json_schema_extra=_unit("days")),
    ] = None
    """Days the shock lasts; give this or ``end``."""
    materials: list[Id] | None = None
    """Materials affected (default: all)."""

    @model_validator(mode="after")
    def _one_end(self) -> ShockBase:
        if (self.end is None) == (self.duration_days is None):
            raise ValueError("give exactly one of 'end' or 'duration_days'")
        return self


class Embargo(ShockBase):
    """A supplier stops (or cuts) exports to some regions."""

    kind: Literal["embargo"]
    supplier: Id
    """The exporting supplier."""
    regions: list[Id] = Field(min_length=1)
    """Target regions."""
    severity: Fraction | random_within(0, 1) = 1.0
    """Fraction of shipments stopped: 1 is a full halt, 0.72 a 72% cut."""


class QuotaCut(ShockBase):
    """A supplier caps all its exports below normal."""

    kind: Literal["quota_cut"]
    supplier: Id
    """The exporting supplier."""
    severity: Fraction | random_within(0, 1)
    """Fraction of all its exports cut."""


class Delay(ShockBase):
    """Extra lead time on a supplier's shipments (inspections, rerouting)."""

    kind: Literal["delay"]
    supplier: Id
    """The exporting supplier."""
    regions: list[Id] | None = None
    """Target regions (default: all)."""
    extra_days: TransitDays | random_within(0, MAX_TRANSIT_DAYS)
    """Days added to the lead time of shipments leaving while the shock is active."""


class DemandSurge(ShockBase):
    """Demand multiplied by a factor (stockpiling by buyers, a new use)."""

    kind: Literal["demand_surge"]
    regions: list[Id] | None = None
    """Regions affected (default: all)."""
    factor: Annotated[
        Annotated[float, _number(None, 0, MAX_FACTOR), NUMBER] | random_within(0, MAX_FACTOR),
        Field(json_schema_extra=_unit("x demand")),
    ]
    """Multiplier on demand while active (1.2 = +20%)."""


Shock = Annotated[Embargo | QuotaCut | Delay | DemandSurge, Field(discriminator="kind")]


# --- the agreement -------------------------------------------------------------------


class Pool(Model):
    """Where the shared strategic stock is."""

    mode: Literal["joint", "national"] = "joint"
    """``joint``: one pooled stock per material owned in shares; ``national``: members'
    own reserves, part of which may go to other members."""
    contributions: dict[Id, dict[Id, Stock]] = {}
    """Joint mode: stock each member puts into the pool per material (days are days
    of that member's own baseline demand). Ownership shares follow contributions."""
    refill_t_per_day: dict[Id, TonnesPerDay] = {}
    """Joint mode: refill rate per material toward the initial pool after a drawdown."""
    location: Id | None = None
    """Joint mode: member whose lead times apply to pool refills (default: the first)."""
    lendable_share: Fraction = 1.0
    """National mode: share of a member's initial reserve that may go to others."""
    donor_floor_days: Days = 0.0
    """National mode: a donor's days of cover are never pushed below this by lending."""


class Trigger(Model):
    """When the agreement starts releasing."""

    commercial_days_below: Days = 0.0
    """Activate when a member's commercial stock falls below this many days of its
    baseline demand; 0 means when a member has a gap."""
    standdown_days: Annotated[int, _whole("days", 1, MAX_DAYS), NUMBER] = 30
    """The agreement stands down after this many days without a trigger."""


class BidSegment(Model):
    """One price segment of a member's bids: a share of its expected gap at a price."""

    end_use: str = ""
    """Which buyers bid this (for the report)."""
    share: Fraction
    """Share of the member's expected gap bid at this price."""
    price_usd_per_kg: UsdPerKg
    """Willingness to pay."""


class Auction(Model):
    """Periodic auctions of pool stock."""

    every_days: Annotated[int, _whole("days", 1, MAX_DAYS), NUMBER] = 7
    """Days between auctions (the first on the day the agreement opens)."""
    pricing: Literal["uniform", "pay_as_bid"] = "uniform"
    """``uniform``: all winners pay the clearing price; ``pay_as_bid``: each its bid."""
    reserve_price_usd_per_kg: dict[Id, UsdPerKg] = {}
    """Per material: bids below this are not filled."""
    lot_t: dict[Id, Annotated[float, _number("t", 0, MAX_TONNES, above=True), NUMBER]] = {}
    """Per material: tonnes offered per auction (default: the release cap times
    ``every_days``, or all releasable stock without a cap)."""
    bids: dict[Id, dict[Id, list[BidSegment]]] = {}
    """Per member and material: price segments of its bid for its expected gap."""


class IeaEss(Model):
    """Parameters of the IEA Emergency Sharing System adapted to a material."""

    restraint: Fraction = 0.07
    """Demand restraint: members' supply right is (1 - restraint) x baseline demand."""
    trigger_loss_share: Fraction = 0.07
    """The system activates when the group's gap reaches this share of its demand."""
    commitments: dict[Id, Annotated[float, _number("weight", 0, MAX_WEIGHT), NUMBER]] = {}
    """Stock commitment weights per member (default: pool contributions in joint
    mode, initial reserves in national mode)."""


Mechanism = Literal[mechanisms.NAMES]  # type: ignore[valid-type]
"""A mechanism name from the registry (:mod:`simulator.mechanisms`)."""


class Agreement(Model):
    """A joint stockpiling arrangement among member regions."""

    members: list[Id] = Field(min_length=2)
    """Member regions (two or more)."""
    mechanism: Mechanism = "hybrid"
    """Release rule: ``hybrid`` is auctions in normal times and the fair ratio while
    an embargo is active against any member."""
    pool: Pool = Pool()
    """Joint pool or national reserves."""
    ratio: dict[Id, Fraction] = {}
    """Pre-agreed fair allocation ratio per member (sums to 1)."""
    strict: bool = False
    """Fair ratio: withhold shares a member cannot use instead of redistributing them."""
    order: Literal["national_first", "joint_first"] = "national_first"
    """Within a day: draw own national reserves before the shared stock, or after."""
    trigger: Trigger = Trigger()
    """When releases may start."""
    release_cap_t_per_day: dict[Id, TonnesPerDay] = {}
    """Most shared stock released per day, per material (default: no cap)."""
    decision_lag_days: TransitDays = 0
    """Days from the trigger to the first release decision."""
    delivery_days: TransitDays = 0
    """Days from a decision to delivery."""
    auction: Auction | None = None
    """Auction settings (needed by ``auction`` and ``hybrid``)."""
    iea_ess: IeaEss = IeaEss()
    """Settings of ``iea_ess``."""


class Assumption(Model):
    """A key assumption or sourced figure, shown in the report."""

    statement: str
    """The figure or assumption in words."""
    source: str = ""
    """Where it comes from; empty marks a modeller's assumption."""


# --- uncertain inputs (ranges for sensitivity and uncertainty runs) --------------------

UNCERTAIN_PATH = re.compile(r"-?[a-z0-9_]+(\.-?[a-z0-9_]+)*")
MAX_UNCERTAIN = 200
"""Uncertain inputs in one scenario."""
MAX_UNCERTAIN_VALUES = 1_000
"""Values of one discrete uncertain input."""


def _bound(value: Any) -> Any:
    """A range bound: a finite number in the distribution parameters' range, or a date."""
    if isinstance(value, dt.date | str):
        return _calendar_date(value)
    value = _plain_number(value)
    if not isinstance(value, int | float) or not abs(value) <= MAX_DISTRIBUTION_PARAMETER:
        raise PydanticCustomError("bound", f"must be a finite number within +-{MAX_DISTRIBUTION_PARAMETER:g} or a date")
    return float(value)


Bound = Annotated[
    Annotated[float, _number(None, -MAX_DISTRIBUTION_PARAMETER, MAX_DISTRIBUTION_PARAMETER)] | Date,
    BeforeValidator(_bound),
]


def _dotted_path(value: str) -> str:
    if not UNCERTAIN_PATH.fullmatch(value) or len(value) > 300:
        raise ValueError(f"'{value[:60]}' is not a dotted path of a field (as for --set, e.g. shocks.halt.severity)")
    return value


def _named_source(value: str) -> str:
    if not value.strip():
        raise ValueError("give the source of the range, or 'assumption' for a modeller's choice")
    return value


class UncertainBase(Model):
    """An input whose value is uncertain: where it is, where it comes from, how to show it."""

    path: Annotated[str, AfterValidator(_dotted_path)]
    """The field it sets, as a ``--set`` path (``shocks.china_quota_2011.severity``)."""
    source: Annotated[str, AfterValidator(_named_source)]
    """Where the range comes from, or ``assumption`` for a modeller's choice."""
    label: str = ""
    """Short name for figures and tables (default: the path)."""


def _same_kind(*bounds: float | dt.date) -> None:
    if len({isinstance(b, dt.date) for b in bounds}) > 1:
        raise ValueError("give every bound as a number or every bound as a date")


class UncertainUniform(UncertainBase):
    """Any value between ``low`` and ``high`` equally likely (dates: whole days)."""

    distribution: Literal["uniform"] = "uniform"
    low: Bound
    """Lowest value (a number, or a date for a date field)."""
    high: Bound
    """Highest value."""

    @model_validator(mode="after")
    def _ordered(self) -> UncertainUniform:
        _same_kind(self.low, self.high)
        if not self.low < self.high:  # type: ignore[operator]
            raise ValueError("need low < high")
        return self


class UncertainTriangular(UncertainBase):
    """A value on [low, high], most likely at ``mode``, less likely linearly towards the ends."""

    distribution: Literal["triangular"]
    low: Bound
    """Lowest value."""
    mode: Bound
    """Most likely value."""
    high: Bound
    """Highest value."""

    @model_validator(mode="after")
    def _ordered(self) -> UncertainTriangular:
        _same_kind(self.low, self.mode, self.high)
        if not (self.low <= self.mode <= self.high and self.low < self.high):  # type: ignore[operator]
            raise ValueError("need low <= mode <= high and low < high")
        return self


class UncertainLogNormal(UncertainBase):
    """A positive value, lognormal with its own mean and sd (sampled between its 0.1% and 99.9% points)."""

    distribution: Literal["lognormal"]
    mean: Annotated[float, _number(None, 0, MAX_DISTRIBUTION_PARAMETER, above=True), NUMBER]
    """Mean of the value (not of its logarithm)."""
    sd: Annotated[float, _number(None, 0, MAX_DISTRIBUTION_PARAMETER, above=True), NUMBER]
    """Standard deviation of the value (not of its logarithm); above 0."""


class UncertainValues(UncertainBase):
    """One of a discrete set of values, each equally likely (any YAML value: a number, a word, a mapping)."""

    distribution: Literal["discrete"] = "discrete"
    values: list[Any] = Field(min_length=2, max_length=MAX_UNCERTAIN_VALUES)
    """The values, two or more, all different."""

    @model_validator(mode="after")
    def _distinct(self) -> UncertainValues:
        shown = [repr(v) for v in self.values]
        if len(set(shown)) < len(shown):
            raise ValueError("a value is given twice")
        return self


def _uncertain_kind(value: Any) -> str | None:
    """The entry's tag: ``discrete`` with ``values``, else its ``distribution`` (default ``uniform``)."""
    if isinstance(value, dict):
        kind = "discrete" if "values" in value else str(value.get("distribution", "uniform"))
    else:
        kind = getattr(value, "distribution", "")
    return f"uncertain-{kind}"


Uncertain = Annotated[
    Annotated[UncertainUniform, Tag("uncertain-uniform")]
    | Annotated[UncertainTriangular, Tag("uncertain-triangular")]
    | Annotated[UncertainLogNormal, Tag("uncertain-lognormal")]
    | Annotated[UncertainValues, Tag("uncertain-discrete")],
    Discriminator(
        _uncertain_kind,
        custom_error_type="uncertain_kind",
        custom_error_message="give low/high (uniform), distribution: triangular or lognormal, or values: [...]",
    ),
]


class Scenario(Model):
    """A complete scenario: the world, its shocks and (optionally) an agreement."""

    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100)]
    """Short name, used for output folders and baselines."""
    description: str = ""
    """The question this scenario answers."""
    start_date: Date | None = None
    """Calendar date of day 0 (dates are shown on plots and in the report)."""
    horizon_days: Annotated[int, _whole("days", 1, MAX_DAYS), NUMBER]
    """Number of simulated days."""
    seed: Annotated[int, _whole("none (an integer)", 0, MAX_SEED), NUMBER] = 0
    """Root seed of every random draw."""
    materials: dict[Id, Material] = Field(min_length=1)
    """Materials by id."""
    suppliers: dict[Id, Supplier] = Field(min_length=1)
    """Suppliers by id."""
    regions: dict[Id, Region] = Field(min_length=1)
    """Regions by id."""
    shocks: list[Shock] = Field(default=[], max_length=MAX_SHOCKS)
    """Embargoes, quota cuts, delays and demand surges."""
    agreement: Agreement | None = None
    """Joint arrangement (none: each region only draws its own reserve)."""
    assumptions: list[Assumption] = []
    """Key assumptions and sourced figures, for the report."""
    uncertain: list[Uncertain] = Field(default=[], max_length=MAX_UNCERTAIN)
    """Inputs whose values are uncertain, with their ranges: sampled by ``stockpile sensitivity`` and
    ``stockpile run --uncertainty`` (``docs/uncertainty.md``)."""
