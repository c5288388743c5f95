"""The typed scenario model: one strict, frozen pydantic schema.

Layer: ground.

Every quantity carries its unit in its name or in the ``unit`` entry of its JSON
Schema, and every field's docstring becomes its description in ``stockpile schema``
and in the generated scenario reference (``docs/scenario-reference.md``).

Conventions: tonnes (t) count what each material's ``tonnes_of`` says (oxide for rare
earths); days are model days (day 0 is
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
import math
import re
from collections.abc import Callable, Iterable
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
from simulator.errors import first_and_more
from simulator.quantities import ALL
from simulator.scenario.yaml_messages import share_hint

RESERVED_IDS = frozenset({ALL})
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
MAX_SHARE_STEPS = 100
"""Dated steps in one quota's ``max_share_path``."""


def _unit(unit: str) -> dict[str, str]:
    return {"unit": unit}


def _plain_number(value: Any) -> Any:
    """Refuse booleans and text where a number is expected; pass anything else on."""
    if isinstance(value, bool):
        raise PydanticCustomError(
            "boolean_not_number", "must be a number, not true/false (YAML reads yes, no, on and off as true/false)"
        )
    if isinstance(value, str | bytes):
        if _INFINITE_TEXT.fullmatch(str(value).strip()):  # --set x=inf: YAML reads inf as text (.inf is infinity)
            raise PydanticCustomError("infinite_text", "must be a finite number")
        if _NUMBER_TEXT.fullmatch(str(value).strip()):  # "0.6" in quotes (or from a tool that writes text)
            raise PydanticCustomError(
                "number_type",
                "must be a number, not text: write {number} without quotes",
                {"number": str(value).strip()},
            )
        raise PydanticCustomError("number_type", "must be a number, not text")
    if isinstance(value, float) and math.isfinite(value) and abs(value) >= 2**53 and value.is_integer():
        return int(value)  # 1e300 as a whole number: its field's bound then names the limit
    return value


_INFINITE_TEXT = re.compile(r"[-+]?\.?(inf|infinity|nan)", re.IGNORECASE)
_NUMBER_TEXT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
"""A number as text, as YAML reads it unquoted."""


def _plain_share(value: Any) -> Any:
    """As :func:`_plain_number`; a share written as a percentage (``60%``) is told how to write it (``0.6``).

    A share written as a number above 1 (``60``) is told the same where its bound refuses it
    (``simulator.scenario.load``).
    """
    if isinstance(value, str) and (hint := share_hint(value)):
        raise PydanticCustomError("number_type", "must be a number, not text{hint}", {"hint": hint})
    return _plain_number(value)


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


_DAY = re.compile(r"(?:day\s*)?([-+]?\d{1,9})", re.IGNORECASE)
"""Text that is a day number (``day 5``, ``5`` in quotes); of up to 9 digits (more is no day, nor an int to read)."""


def _day_or_date(value: Any) -> Any:
    """Text in a day spec is a date (so its error is the date's, not the day number's).

    Text that is no date is told both forms, with the number it holds (``day 5``: write 5).
    """
    if not isinstance(value, str) or _DATE.fullmatch(value.strip()):
        return _calendar_date(value) if isinstance(value, str) else value
    shown = value if len(value) <= 40 else value[:37] + "..."
    day = _DAY.fullmatch(value.strip())
    number = f"the day number alone, {int(day[1])}," if day else "a day number"
    raise ValueError(f"not a valid date '{shown}': write {number} or a date (YYYY-MM-DD)")


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=40)]
Label = Annotated[
    str | None,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=60),
    Field(exclude_if=lambda value: value is None),
]
"""A display name for figures and reports; left out of the scenario's data (and hash) when not given."""
Tonnes = Annotated[float, _number("t", 0, MAX_TONNES), NUMBER]
TonnesPerDay = Annotated[float, _number("t/day", 0, MAX_TONNES_PER_DAY), NUMBER]
Days = Annotated[float, _number("days", 0, MAX_DAYS), NUMBER]
WholeDays = Annotated[int, _whole("days", 0, MAX_DAYS), NUMBER]
TransitDays = Annotated[int, _whole("days", 0, MAX_TRANSIT_DAYS), NUMBER]
Fraction = Annotated[float, _number("fraction", 0, 1), BeforeValidator(_plain_share)]
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

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


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


DRAWN_FIELDS = ("start", "duration_days", "severity", "extra_days", "factor", "tonnes_per_period")
"""A shock's fields that a distribution makes random, drawn once per run from its seed (a licence's
``processing_days`` distribution is a spread of approval times, not a draw)."""


def drawn_at_random(spec: BaseModel) -> bool:
    """Whether ``spec`` (a shock) has a timing or size drawn from the run's seed (:data:`DRAWN_FIELDS`)."""
    return any(isinstance(getattr(spec, name, None), RANDOM_TYPES) for name in DRAWN_FIELDS)


def earliest_start_day(start: float | Uniform | Triangular | LogNormal) -> int:
    """The earliest day a shock's start can be in a run: a day number (not a date), or a distribution.

    A run rounds its start to the nearest day, halves to even (``np.rint`` of the draw in
    :mod:`simulator.randomness`; Python's ``round`` is the same on a float). Rounding never
    goes down as the value goes up, so a uniform or triangular start is earliest on its
    ``low`` rounded (``low: -10.5`` is day -10, ``-11.5`` day -12), and a lognormal one,
    always positive, on day 0 at the earliest.

    >>> earliest_start_day(-3), earliest_start_day(Uniform(distribution="uniform", low=-10.5, high=5))
    (-3, -10)
    >>> earliest_start_day(LogNormal(distribution="lognormal", mean=10, sd=2))
    0
    """
    if isinstance(start, LogNormal):
        return 0
    return round(start.low if isinstance(start, Uniform | Triangular) else start)


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

    label: Label = None
    """Display name in figures and reports (default from the id: ``light_ree`` is "Light rare earths")."""
    description: str = ""
    """What the material stands for, with the source of its figures."""
    tonnes_of: Annotated[str, Field(max_length=60)] | None = None
    """What one tonne counts (``oxide``, ``magnet``, ``Co content``): the report states it
    with its quantities. Default: not stated."""
    price_usd_per_kg: UsdPerKg | None = None
    """World market price, used for costs (premiums, refills, re-sourcing)."""
    holding_cost_usd_per_t_year: Annotated[float, _number("USD/(t*year)", 0, MAX_USD_PER_T_YEAR), NUMBER] = 0.0
    """Cost of holding one tonne of strategic stock for a year."""


class CapacityAddition(Model):
    """New capacity of a supplier from a date on (a mine or plant), reached over a ramp."""

    material: Id
    """The material it produces."""
    start: Annotated[DaySpec, Field(json_schema_extra=_unit("day or date"))]
    """First day of production."""
    capacity_t_per_day: Annotated[float, _number("t/day", 0, MAX_TONNES_PER_DAY, above=True), NUMBER]
    """Capacity once ramped up."""
    ramp_days: WholeDays = 0
    """Days from the first day to full capacity (linear ramp; 0 = at once)."""


class Supplier(Model):
    """An exporting country (or a group of processors) that ships to regions."""

    label: Label = None
    """Display name in figures and reports (default from the id: ``rest_of_world`` is
    "Rest of world"; a region's id is named as that region). Give one for a proper name:
    ``mp_materials`` as "MP Materials"."""
    description: str = ""
    """Who this is, with sources."""
    lead_time_days: dict[Id, Annotated[int, _whole("days", 1, MAX_TRANSIT_DAYS), NUMBER]]
    """Days from a shipment leaving the supplier to its arrival, per region."""
    capacity_t_per_day: dict[Id, TonnesPerDay] = {}
    """Export capacity per material; a material not listed is not capacity-limited
    and has no known spare capacity for re-sourcing."""
    capacity_additions: list[CapacityAddition] = []
    """Dated capacity added to ``capacity_t_per_day`` (new mines and plants), per material."""
    home_region: Id | None = None
    """The region this supplier is in: what it ships there is domestic supply, not
    imports, so it does not count in that region's net imports (the base of
    ``net_import_days``). None: it is foreign to every region."""


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


class StrategicStock(Stock):
    """Strategic stock: in tonnes, in days of demand, or by the EU benchmark in days of net imports."""

    net_import_days: Days | None = None
    """Amount in days of the holder's average daily net imports on day 0: its baseline
    demand times the share of its normal sourcing from suppliers outside it (CRMA
    Art. 23's benchmark; no exports are modelled, so net imports are imports)."""
    credit_private_stocks: bool = False
    """With ``net_import_days``: the holder's commercial stock counts toward the
    benchmark, and only the rest is held as strategic stock (never below 0)."""

    @model_validator(mode="after")
    def _exactly_one(self) -> StrategicStock:
        given = [name for name in ("tonnes", "days", "net_import_days") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'tonnes', 'days' or 'net_import_days'")
        if self.credit_private_stocks and self.net_import_days is None:
            raise ValueError("'credit_private_stocks' credits private stocks against 'net_import_days': give it")
        return self


class Reserve(StrategicStock):
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


SomeNames = Annotated[list[Id], Field(json_schema_extra={"minItems": 1})]
"""Names of which at least one is given: leaving the key out means all (an empty list is refused with the
reason by :mod:`simulator.scenario.checks`; the JSON Schema says so for editors)."""


class ShareStep(Model):
    """One dated step of a dependency target: the cap on single-supplier shares from ``start`` on."""

    start: Annotated[DaySpec, Field(json_schema_extra=_unit("day or date"))]
    """First day the cap applies (day number or date); it applies until the next step."""
    max_share: Fraction
    """Cap on the share of supply from each of ``suppliers`` (or from any single supplier)."""
    suppliers: SomeNames | None = None
    """Suppliers the cap applies to (default: every supplier); the others keep
    ``max_share_per_supplier``."""


class Quota(Model):
    """Procurement quota of one region for one material."""

    max_share_per_supplier: Fraction = 1.0
    """Cap on the share of supply from any single supplier (the EU benchmark is 0.65)."""
    max_share_path: Annotated[list[ShareStep], Field(max_length=MAX_SHARE_STEPS)] = []
    """Dated steps of the cap, in date order (a dependency target that tightens year by
    year): from each step's ``start`` its cap replaces ``max_share_per_supplier`` for its
    suppliers, and shipments leaving from that day on follow the new shares."""
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


class ReserveRelease(Model):
    """How a region's national reserve is released (after JOGMEC's national stockpile).

    Firms draw their own (commercial) stock first. When they run short, the government
    requests a release; ``lag_days`` later the national reserve is sold by tender to the
    firms that are short, at the price rule, for as long as they stay short. The request
    lapses after ``standdown_days`` without a gap.
    """

    mode: Literal["tender"]
    """``tender``: sold to firms on a government request after a lag."""
    lag_days: TransitDays
    """Days from the request (the first day firms are short) to the first sale."""
    price: Literal["market", "discount"] = "market"
    """Sale price: the price firms pay that day, or that price less ``discount_share``."""
    discount_share: Fraction = 0.0
    """Discount on the day's price under ``price: discount`` (above 0, below 1)."""
    standdown_days: Annotated[int, _whole("days", 1, MAX_DAYS), NUMBER] = 30
    """Days without a gap after which the request lapses (a new gap starts a new lag)."""


class Region(Model):
    """A consuming region: a member of the arrangement or an outsider."""

    label: Label = None
    """Display name in figures and reports (default from the id: ``eu`` is "EU", ``south_korea`` "South Korea")."""
    description: str = ""
    """Who this is, with sources."""
    demand: dict[Id, Demand]
    """Baseline demand per material."""
    commercial_stock: dict[Id, Stock] = {}
    """Private (industry) stock on day 0 per material; missing means none."""
    reserve: dict[Id, Reserve] = {}
    """National strategic reserve per material; missing means none."""
    reserve_release: ReserveRelease | None = None
    """How the national reserve is released (default: drawn at once for the region's own gaps, unpaid)."""
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
    materials: SomeNames | None = None
    """Materials affected (default: all)."""

    @model_validator(mode="after")
    def _one_end(self) -> ShockBase:
        if (self.end is None) == (self.duration_days is None):
            raise ValueError("give exactly one of 'end' or 'duration_days'")
        return self


class Embargo(ShockBase):
    """A supplier stops (or cuts) exports to some regions.

    What is stopped is lost (orders cancelled) or held at origin and shipped when the
    embargo ends (``on_halt``); a ``leak_share`` of it gets through anyway, later.
    """

    kind: Literal["embargo"]
    supplier: Id
    """The exporting supplier."""
    regions: list[Id] = Field(min_length=1)
    """Target regions."""
    severity: Fraction | random_within(0, 1) = 1.0
    """Fraction of shipments stopped: 1 is a full halt, 0.72 a 72% cut."""
    on_halt: Literal["lost", "held"] = "lost"
    """``lost``: stopped shipments never leave (an export ban: buyers cancel); ``held``:
    they wait at origin (customs) and ship when the embargo ends, as in September-November
    2010 when Japan-bound cargo was held at Chinese ports and arrived in December."""
    release_days: WholeDays = 0
    """Held goods ship over this many days after the embargo ends (0 = all at once)."""
    leak_share: Fraction = 0.0
    """Share of the stopped shipments that gets through anyway (reclassified as alloys,
    routed through third countries)."""
    leak_extra_days: TransitDays = 0
    """Extra transit days of what leaks through."""
    perceived_severity: Fraction | None = None
    """What buyers and the market read into the measure, where a ``market`` block is
    given (their perceived supply risk; default: ``severity``)."""


class QuotaCut(ShockBase):
    """A supplier cuts all its exports by a fraction (see ``export_quota`` for a cap in tonnes)."""

    kind: Literal["quota_cut"]
    supplier: Id
    """The exporting supplier."""
    severity: Fraction | random_within(0, 1)
    """Fraction of all its exports cut."""
    perceived_severity: Fraction | None = None
    """What buyers and the market read into the cut, where a ``market`` block is given
    (an announced quota may cut far more than physical flows; default: ``severity``)."""


class Delay(ShockBase):
    """Extra lead time on a supplier's shipments (inspections, rerouting)."""

    kind: Literal["delay"]
    supplier: Id
    """The exporting supplier."""
    regions: SomeNames | None = None
    """Target regions (default: all)."""
    extra_days: TransitDays | random_within(0, MAX_TRANSIT_DAYS)
    """Days added to the lead time of shipments leaving while the shock is active."""


class DemandSurge(ShockBase):
    """Demand multiplied by a factor (stockpiling by buyers, a new use)."""

    kind: Literal["demand_surge"]
    regions: SomeNames | None = None
    """Regions affected (default: all)."""
    factor: Annotated[
        Annotated[float, _number(None, 0, MAX_FACTOR), NUMBER] | random_within(0, MAX_FACTOR),
        Field(json_schema_extra=_unit("x demand")),
    ]
    """Multiplier on demand while active (1.2 = +20%)."""


class ExportQuota(ShockBase):
    """A cap in tonnes per period on a supplier's exports, shared among destinations.

    Within each period (from the shock's start) shipments stop once the period's quota is
    used up; a quota binds only when buyers order more than it allows, so with a market
    whose demand falls with the price it may not bind at all (China's 2011 quota: 61% used).
    """

    kind: Literal["export_quota"]
    supplier: Id
    """The exporting supplier."""
    tonnes_per_period: Tonnes
    """Quota per period for the modelled regions (t)."""
    period_days: Annotated[int, _whole("days", 1, MAX_DAYS), NUMBER] = 365
    """Length of a quota period (182 for half-years)."""
    release: Literal["even", "front_loaded"] = "even"
    """``even``: the quota becomes available day by day (licences issued in batches,
    spread over the period); ``front_loaded``: all of it from the period's first day,
    first come first served."""
    sharing: Literal["pro_rata", "preference", "contracts_first"] = "pro_rata"
    """How a binding quota is shared: pro rata to what each region ordered, in the order
    of ``preference``, or ``contracts_first``: each region's normal flow on the quota's
    routes (its baseline demand x its sourcing share, what it orders without a crisis) is
    served first, pro rata to those flows when the room cannot cover them all, and only
    room left after them goes to orders beyond them, pro rata."""
    preference: list[Id] = []
    """Regions served first, in this order (with ``sharing: preference``)."""
    smuggling_share: Fraction = 0.0
    """Share of what the quota stops that flows anyway (smuggled)."""
    claims: Literal["ordered", "deliverable"] = "ordered"
    """What claims a share of a binding quota: every tonne ``ordered``, or only what is
    ``deliverable``: tonnes that an embargo or quota cut stops for good (neither leaked nor
    held) claim no licence, so their room goes to the other regions the same day and what
    is left of it carries forward within the period."""
    perceived_severity: Fraction | None = None
    """How tight buyers and the market read the quota (e.g. 1 - quota / last year's
    exports); default: none perceived."""


class Licensing(ShockBase):
    """Exports need a licence: a share of applications is approved after a processing time.

    Each day's shipments on the targeted routes become applications; the approved share
    ships after the processing time (spread over its distribution, day by day); the rest
    is refused (lost: buyers must order again). ``end_use_share`` is the share of a route's
    shipments that needs a licence (e.g. the share of dual-use or military end uses).
    """

    kind: Literal["licensing"]
    supplier: Id
    """The exporting supplier."""
    regions: SomeNames | None = None
    """Target regions (default: all)."""
    approval_share: Fraction = 1.0
    """Share of applications approved."""
    processing_days: Annotated[
        Annotated[int, _whole("days", 0, MAX_TRANSIT_DAYS), NUMBER] | random_within(0, MAX_TRANSIT_DAYS),
        Field(json_schema_extra=_unit("days")),
    ] = 45
    """Calendar days from application to approval: a fixed number, or a distribution whose
    shape spreads each day's approvals over the days that follow. The default, 45 calendar
    days, is the middle of what was observed in 2025 (20-63 days); the statutory maximum
    of 45 *working* days is about 63 calendar days."""
    end_use_share: Fraction = 1.0
    """Share of the targeted shipments that needs a licence (by end use)."""
    suspended: list[Annotated[tuple[DaySpec, DaySpec], Field(json_schema_extra=_unit("day or date"))]] = []
    """Windows ``[start, end)`` in which the requirement is suspended."""
    follows: Id | None = None
    """The licensing shock (same supplier) whose terms this one replaces, e.g. a higher
    approval share from a date on: what that one is still reviewing is decided on its
    terms and ships when approved, not reviewed again here. Without it, two licensing
    shocks on a route are two reviews, one after the other."""
    perceived_severity: Fraction | None = None
    """Supply risk buyers and the market read into it (default: ``1 - approval_share``)."""


Shock = Annotated[Embargo | QuotaCut | Delay | DemandSurge | ExportQuota | Licensing, Field(discriminator="kind")]


# --- markets -------------------------------------------------------------------------

MAX_PRICE_RATIO = 1000.0
"""Price ratios (to the reference price) of market parameters."""
MAX_SENSITIVITY = 20.0
"""Exponents of the price and demand responses."""


class PriceFormation(Model):
    """How the world price answers scarcity (a system-dynamics commodity price).

    Each day the *indicated* price is ``P* = P0 x X^(-sensitivity)``, where ``X`` is the
    market's cover ratio: the buyers' inventory positions (stock on hand, in transit,
    held and awaiting licences) over the positions they want (their demand times their
    desired cover). The price moves toward ``P*`` in logarithms with the adjustment time,
    within the floor and the cap.
    """

    sensitivity: Annotated[float, _number("none (exponent)", 0, MAX_SENSITIVITY, above=True), NUMBER] = 2.0
    """Exponent of the effect of the cover ratio on price: with 2, a cover ratio of 0.71
    doubles the price (documented range 0.5-8)."""
    adjustment_days: Annotated[float, _number("days", 1, MAX_DAYS), NUMBER] = 30.0
    """Time for the price to close about 63% of its gap to the indicated price (>= 1)."""
    floor_usd_per_kg: UsdPerKg | None = None
    """Lowest price (default: a tenth of the reference price)."""
    cap_usd_per_kg: UsdPerKg | None = None
    """Highest price (default: 100 times the reference price)."""
    targeted_premium: Annotated[float, _number("fraction", 0, MAX_FACTOR), NUMBER] = 0.0
    """Extra price paid by a region while an embargo aimed at some regions, not all,
    hits it (0.3 = +30%)."""


class SupplyRisk(Model):
    """How buyers perceive supply risk from the shocks on the material's routes.

    The perceived risk moves toward ``1 - prod(1 - s_k e_k)`` over the active supply
    shocks ``k``, where ``s_k`` is a shock's perceived severity and ``e_k`` the share of the
    material's normal supply on the routes it touches; it rises with the perception time
    and fades with the memory time.
    """

    perception_days: Annotated[float, _number("days", 1, MAX_DAYS), NUMBER] = 14.0
    """Time for perceived risk to rise toward a new threat (>= 1)."""
    memory_days: Annotated[float, _number("days", 1, MAX_DAYS), NUMBER] = 180.0
    """Time for perceived risk to fade once a threat has passed (>= 1)."""


class Substitution(Model):
    """Longer-run substitution and thrifting that build up while prices are high."""

    max_share: Fraction
    """Largest share of demand that can be substituted or thrifted away."""
    full_price_ratio: Annotated[float, _number("x reference price", 1, MAX_PRICE_RATIO, above=True), NUMBER] = 10.0
    """Price ratio at which the whole ``max_share`` is worth substituting (the share
    indicated at ratio ``p`` is ``max_share x ln p / ln full_price_ratio``, none below 1)."""
    adjustment_days: Annotated[float, _number("days", 1, MAX_DAYS), NUMBER] = 365.0
    """Time for substitution to close about 63% of its gap to the indicated share (>= 1)."""
    permanent_share: Fraction = 0.0
    """Share of the highest substitution reached that does not come back when prices fall."""


class DemandResponse(Model):
    """Realised demand below baseline as the price rises."""

    short_run_elasticity: Annotated[float, _number("none (elasticity)", -MAX_SENSITIVITY, 0), NUMBER]
    """Price elasticity of daily use, below 0: demand x (P / P0)^elasticity."""
    substitution: Substitution | None = None
    """Longer-run substitution and thrifting (none when absent)."""
    floor_share: Fraction = 0.0
    """Demand never falls below this share of the potential demand through prices (an end
    use that cannot do without)."""

    @model_validator(mode="after")
    def _responds(self) -> DemandResponse:
        if self.short_run_elasticity == 0:
            raise ValueError("short_run_elasticity must be below 0 (leave out 'demand' for no response)")
        return self


class Stocking(Model):
    """Firms' own stocks: precautionary buying, destocking and restocking.

    Buyers order up to a target that moves: their expected demand (after the price
    response) times their desired cover, which is their normal cover raised by the
    perceived risk. Stocks are rebuilt when the risk rises (precautionary buying, within
    lead times, capacities and shocks) and run down when it fades or demand falls.
    """

    precaution_gain: Annotated[float, _number("x perceived risk", 0, MAX_SENSITIVITY), NUMBER] = 0.0
    """Desired cover = normal cover x (1 + gain x perceived risk)."""
    adjustment_days: Annotated[float, _number("days", 1, MAX_DAYS), NUMBER] = 30.0
    """Time for desired cover to close about 63% of its gap (>= 1)."""
    normal_cover_days: dict[Id, Days] = {}
    """Normal commercial cover per region, in days of demand (default: the region's
    commercial stock on day 0)."""


class SupplyResponse(Model):
    """Spare capacity of a supplier that answers a high price with a lag."""

    supplier: Id
    """The supplier (it must ship to the buyers; buyers need re-sourcing to use it)."""
    capacity_t_per_day: Annotated[float, _number("t/day", 0, MAX_TONNES_PER_DAY, above=True), NUMBER]
    """Capacity brought in once the price is high enough."""
    price_ratio: Annotated[float, _number("x reference price", 1, MAX_PRICE_RATIO), NUMBER] = 2.0
    """Price ratio above which the capacity is brought in."""
    lag_days: Annotated[float, _number("days", 1, MAX_DAYS), NUMBER] = 180.0
    """Time for the capacity to close about 63% of its gap (months for reprocessors and
    recycling, years for mines; >= 1)."""


class Market(Model):
    """A material's market: a daily world price, demand and stocks that answer it."""

    reference_price_usd_per_kg: Annotated[float, _number("USD/kg", 0, MAX_USD_PER_KG, above=True), NUMBER] | None = None
    """Price at normal cover (default: the material's ``price_usd_per_kg``)."""
    price: PriceFormation = PriceFormation()
    """Price formation."""
    risk: SupplyRisk = SupplyRisk()
    """Perceived supply risk."""
    demand: DemandResponse | None = None
    """Demand response (none: demand does not answer the price)."""
    stocking: Stocking | None = None
    """Firms' moving stock targets (none: buyers keep their normal ordering)."""
    supply_response: list[SupplyResponse] = []
    """Spare capacity that answers the price."""


# --- the agreement -------------------------------------------------------------------


class Pool(Model):
    """Where the shared strategic stock is."""

    mode: Literal["joint", "national"] = "joint"
    """``joint``: one pooled stock per material owned in shares; ``national``: members'
    own reserves, part of which may go to other members."""
    contributions: dict[Id, dict[Id, StrategicStock]] = {}
    """Joint mode: stock each member puts into the pool per material (days are days
    of that member's own baseline demand). Ownership shares follow contributions."""
    refill_t_per_day: dict[Id, TonnesPerDay] = {}
    """Joint mode: refill rate per material toward the initial pool after a drawdown."""
    location: Id | None = None
    """Joint mode: member whose lead times apply to pool refills (default: the first)."""
    already_held: list[Id | dict[Id, list[Id]]] = []
    """Joint mode: members whose pool contributions are stocks they hold today (a national
    stock put into the pool, as Japan's JOGMEC stock in the scenarios of today's world).
    The report then measures the joint stock against those stocks held alone as national
    reserves (the status quo), not against no stock at all (none listed: the joint stock
    is new). An item is a member (all its contributions are held today) or one member with
    the materials it holds today (``japan: [light_ree, heavy_ree]``: its other contributions
    are new stock)."""

    def held_today(self) -> dict[str, list[str] | None]:
        """Each member of :attr:`already_held`, as listed: the materials it holds today (None: all it puts in).

        >>> Pool(already_held=["japan", {"eu": ["gallium"]}]).held_today()
        {'japan': None, 'eu': ['gallium']}
        """
        held: dict[str, list[str] | None] = {}
        for item in self.already_held:
            if isinstance(item, str):
                held[item] = None
            else:
                held.update(item)
        return held

    lendable_share: Fraction = 1.0
    """National mode: share of a member's initial reserve that may go to others."""
    donor_floor_days: Days = 0.0
    """National mode: a donor's days of cover are never pushed below this by lending."""


class MeasuredLoss(Model):
    """A supply loss the members measure in their own arrivals (not a declared embargo)."""

    window_days: Annotated[int, _whole("days", 1, 365), NUMBER] = 30
    """Arrivals are compared with normal over the last this many days."""
    group_below: Fraction = 0.9
    """The loss holds when the group's arrivals fall below this share of normal."""
    member_below: Fraction = 0.8
    """... or one member's fall below this share of its normal."""


class Trigger(Model):
    """When the agreement starts releasing, and when ``hybrid`` switches to the ratio."""

    commercial_days_below: Days = 0.0
    """Activate when a member's commercial stock falls below this many days of its
    baseline demand; 0 means when a member has a gap."""
    standdown_days: Annotated[int, _whole("days", 1, MAX_DAYS), NUMBER] = 30
    """The agreement stands down after this many days without a trigger."""
    measured_loss: MeasuredLoss | None = None
    """A measured supply loss also activates the agreement (none when absent)."""
    switch_on: Literal["declared_embargo", "measured_loss", "either"] = "declared_embargo"
    """What switches ``hybrid`` (and any rule applied under a threat) from auctions to the
    fair ratio: a declared embargo against a member, a measured supply loss (embargoes
    are often denied, as in 2010, or framed as licensing, as in 2025), or either."""


class ReleaseTimes(Model):
    """Release lead times that depend on the situation.

    After Korea's public stockpile: a normal release takes up to 30 days, an emergency
    delivery 8.
    """

    normal_days: TransitDays
    """Days from activation to the first release when no supply shock is reducing a
    member's supply of the material."""
    emergency_days: TransitDays
    """Days from activation, or from the day a supply shock starts reducing a member's
    supply while releases are not yet open, to the first release; at most ``normal_days``."""


class BidSegment(Model):
    """One price segment of a member's bids: a share of its expected gap at a price."""

    end_use: str = ""
    """Which buyers bid this (for the report)."""
    share: Fraction
    """Share of the member's expected gap bid at this price."""
    price_usd_per_kg: UsdPerKg | None = None
    """Willingness to pay, fixed; give this or ``price_multiplier``."""
    price_multiplier: Annotated[float, _number("x market price", 0, MAX_FACTOR), NUMBER] | None = None
    """Willingness to pay as a multiple of the day's market price (needs a ``market`` for
    the material); give this or ``price_usd_per_kg``."""
    max_usd_per_kg: UsdPerKg | None = None
    """Cap on a market-linked bid: the value of lost load of this end use."""

    @model_validator(mode="after")
    def _one_price(self) -> BidSegment:
        if (self.price_usd_per_kg is None) == (self.price_multiplier is None):
            raise ValueError("give exactly one of 'price_usd_per_kg' or 'price_multiplier'")
        if self.max_usd_per_kg is not None and self.price_multiplier is None:
            raise ValueError("'max_usd_per_kg' caps a market-linked bid: give 'price_multiplier'")
        return self


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
    service_level: Annotated[float, _number("probability", 0.5, 0.9999), NUMBER] | None = None
    """Members add a safety margin to their bids that covers their demand noise until the
    next auction with this probability (normal approximation); none when absent."""


class IeaEss(Model):
    """Parameters of ``iea_ess`` (the IEP's Emergency Sharing System) and ``need_with_restraint``.

    The defaults are the IEP's: restraint 7% from a 7% loss, 10% from a 12% loss.
    """

    restraint: Fraction = 0.07
    """Demand restraint once a trigger holds: permissible consumption is (1 - restraint) x
    demand (need_with_restraint: members' supply right)."""
    higher_restraint: Fraction = 0.10
    """iea_ess: the restraint once the group's supply loss reaches ``higher_loss_share``."""
    higher_loss_share: Fraction = 0.12
    """iea_ess: group supply loss, as a share of its demand, from which ``higher_restraint`` applies."""
    trigger_loss_share: Fraction = 0.07
    """General trigger: the system activates when the group's supply loss (need_with_restraint:
    its gap) reaches this share of its demand."""
    selective_loss_share: Fraction = 0.07
    """iea_ess, selective trigger (IEP Art. 17): one member's supply loss reaching this share of
    its own demand activates the system."""
    commitments: dict[Id, Annotated[float, _number("weight", 0, MAX_WEIGHT), NUMBER]] = {}
    """Emergency reserve commitment weights per member, for every member or none (default:
    pool contributions in joint mode, initial reserves in national mode)."""


def _settlement_kind(value: Any) -> Any:
    """``settlement: sale`` is short for ``settlement: {kind: sale}``."""
    return {"kind": value} if isinstance(value, str) else value


class Settlement(Model):
    """How stock a member draws from the shared stock by the sharing rule is settled.

    Auction purchases are always paid at the auction's price; this settles the tonnes
    the rule allocates (see ``docs/release-rules.md``, Settlement).
    """

    kind: Literal["grant", "sale", "loan"] = "grant"
    """``grant``: a free transfer, nothing is owed; ``sale``: the member pays for each
    tonne, and the money goes to the pool's owners by ownership share (to the lending
    members in national mode); ``loan``: the member owes the tonnes back in kind, repaid
    by the shared stock's refills, within ``term_days``."""
    price_usd_per_kg: UsdPerKg | None = None
    """``sale``: a set price; by default the price the member pays on the day it draws
    (the market price, or the material's fixed price without a market)."""
    term_days: Annotated[int, _whole("days", 1, MAX_DAYS), NUMBER] | None = None
    """``loan``: days within which each tonne borrowed is to be returned (1 or more)."""

    @model_validator(mode="after")
    def _terms_fit_the_kind(self) -> Settlement:
        if self.kind == "loan" and self.term_days is None:
            raise ValueError("a loan needs 'term_days', the days within which it is returned")
        if self.kind != "loan" and self.term_days is not None:
            raise ValueError(f"'term_days' is the term of a loan; settlement '{self.kind}' has none")
        if self.kind != "sale" and self.price_usd_per_kg is not None:
            raise ValueError(f"'price_usd_per_kg' is the price of a sale; settlement '{self.kind}' has none")
        return self


def _current_mechanism(name: Any) -> Any:
    return mechanisms.current_name(name) if isinstance(name, str) else name


Mechanism = Annotated[
    Literal[mechanisms.NAMES],  # type: ignore[valid-type]
    BeforeValidator(_current_mechanism),
]
"""A mechanism name from the registry (:mod:`simulator.mechanisms`); a former name
(:data:`~simulator.mechanisms.RENAMED`) is read as the current one."""


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
    release_times: ReleaseTimes | None = None
    """Normal and emergency release lead times, in place of ``decision_lag_days`` and
    ``delivery_days`` (none when absent)."""
    auction: Auction | None = None
    """Auction settings (needed by ``auction`` and ``hybrid``)."""
    iea_ess: IeaEss = IeaEss()
    """Settings of ``iea_ess``."""
    settlement: Annotated[Settlement, BeforeValidator(_settlement_kind)] = Settlement()
    """How stock drawn by the sharing rule is settled: ``grant`` (the default), ``sale``
    or ``loan`` (``settlement: sale`` is short for ``settlement: {kind: sale}``)."""


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
    if isinstance(value, dt.date) or (isinstance(value, str) and _DATE.fullmatch(value.strip())):
        return _calendar_date(value)  # an impossible date (2026-02-30) is refused as one
    if isinstance(value, str):  # neither: a price's bound is not "not a valid date"
        raise PydanticCustomError("bound", "must be a number, or a date (YYYY-MM-DD) for a date field, not text")
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
        raise ValueError(f"'{value[:60]}' is not a dotted path of a field, such as shocks.halt.severity")
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


def _listed(names: Iterable[str], shown: int = 8) -> str:
    """Names for a repr: the first ``shown`` (8), then how many more (:func:`simulator.errors.first_and_more`)."""
    return first_and_more(names, shown)


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
    market: dict[Id, Market] = {}
    """Markets per material: a price that answers scarcity, and demand, stocks and supply
    that answer the price (a material without one keeps fixed demand and ordering)."""
    agreement: Agreement | None = None
    """Joint arrangement (none: each region only draws its own reserve)."""
    assumptions: list[Assumption] = []
    """Key assumptions and sourced figures, for the report."""
    uncertain: list[Uncertain] = Field(default=[], max_length=MAX_UNCERTAIN)
    """Inputs whose values are uncertain, with their ranges: sampled by ``stockpile sensitivity`` and
    ``stockpile run --uncertainty`` (``docs/uncertainty.md``)."""

    def __repr__(self) -> str:
        """A few lines, not every field (a scenario's full repr runs to tens of thousands of characters).

        ``model_dump()`` gives every field; ``str()`` is pydantic's, field by field. A scenario built
        in part (``model_construct`` without every field) gets pydantic's repr of the fields it has: a
        debugger, a log line or a failed assertion calls repr, and must not fail on it.
        """
        try:
            start = f" from {self.start_date}" if self.start_date else ""
            lines = [
                f"<Scenario {self.name!r}: {self.horizon_days} days{start}, seed {self.seed}",
                f" regions: {_listed(self.regions)}; materials: {_listed(self.materials)}; "
                f"suppliers: {_listed(self.suppliers)}",
                f" shocks: {_listed([shock.id for shock in self.shocks]) or 'none'}; "
                f"market: {_listed(self.market) or 'none'}",
            ]
            if (agreement := self.agreement) is not None:
                lines.append(f" agreement: {agreement.mechanism} among {_listed(agreement.members)}")
            else:
                lines.append(" agreement: none")
        except (AttributeError, TypeError):  # a field missing, or not yet what validation makes of it
            return super().__repr__()
        return "\n".join(lines) + ">"
