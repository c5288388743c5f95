"""The typed scenario model: one strict, frozen pydantic schema.

Layer: ground.

Every quantity carries its unit in its name or in the ``unit`` entry of its JSON
Schema, and every field's docstring becomes its description in ``stockpile schema``
and in the generated scenario reference (``docs/scenario-reference.md``).

Conventions: tonnes (t) are tonnes of oxide equivalent; days are model days (day 0 is
``start_date`` when one is given); a *day spec* is either a day number (may be
negative, i.e. before the horizon starts) or a calendar date.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from simulator import mechanisms

RESERVED_IDS = frozenset({"all"})
ID_PATTERN = r"^[a-z][a-z0-9_]*$"


def _unit(unit: str) -> dict[str, str]:
    return {"unit": unit}


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=40)]
Tonnes = Annotated[float, Field(ge=0, json_schema_extra=_unit("t"))]
TonnesPerDay = Annotated[float, Field(ge=0, json_schema_extra=_unit("t/day"))]
Days = Annotated[float, Field(ge=0, json_schema_extra=_unit("days"))]
WholeDays = Annotated[int, Field(ge=0, json_schema_extra=_unit("days"))]
Fraction = Annotated[float, Field(ge=0, le=1, json_schema_extra=_unit("fraction"))]
UsdPerKg = Annotated[float, Field(ge=0, json_schema_extra=_unit("USD/kg"))]
DaySpec = int | dt.date


class Model(BaseModel):
    """Shared base: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, validate_default=True)


# --- random inputs -------------------------------------------------------------------


class Uniform(Model):
    """A value drawn uniformly between ``low`` and ``high``."""

    distribution: Literal["uniform"]
    low: float
    """Lowest value."""
    high: float
    """Highest value."""

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError("high must be >= low")
        return self


class Triangular(Model):
    """A value from the triangular distribution on [low, high] with its peak at ``mode``."""

    distribution: Literal["triangular"]
    low: float
    """Lowest value."""
    mode: float
    """Most likely value."""
    high: float
    """Highest value."""

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError("need low <= mode <= high")
        return self


class LogNormal(Model):
    """A positive value from a lognormal distribution given by its own mean and sd."""

    distribution: Literal["lognormal"]
    mean: float = Field(gt=0)
    """Mean of the value (not of its logarithm)."""
    sd: float = Field(ge=0)
    """Standard deviation of the value (not of its logarithm)."""


Random = Annotated[Uniform | Triangular | LogNormal, Field(discriminator="distribution")]
RANDOM_TYPES = (Uniform, Triangular, LogNormal)


# --- the world -----------------------------------------------------------------------


class Material(Model):
    """A material (or a group of materials managed as one stock)."""

    description: str = ""
    """What the material stands for, with the source of its figures."""
    price_usd_per_kg: UsdPerKg | None = None
    """World market price, used for costs (premiums, refills, re-sourcing)."""
    holding_cost_usd_per_t_year: Annotated[float, Field(ge=0, json_schema_extra=_unit("USD/(t*year)"))] = 0.0
    """Cost of holding one tonne of strategic stock for a year."""


class Supplier(Model):
    """An exporting country (or a group of processors) that ships to regions."""

    description: str = ""
    """Who this is, with sources."""
    lead_time_days: dict[Id, Annotated[int, Field(ge=1, json_schema_extra=_unit("days"))]]
    """Days from a shipment leaving the supplier to its arrival, per region."""
    capacity_t_per_day: dict[Id, TonnesPerDay] = {}
    """Export capacity per material; a material not listed is not capacity-limited
    and has no known spare capacity for re-sourcing."""


class Demand(Model):
    """Baseline demand of one region for one material."""

    tonnes_per_day: TonnesPerDay
    """Baseline demand on day 0."""
    growth_per_year: float = Field(default=0.0, gt=-1, json_schema_extra=_unit("fraction/year"))
    """Compound yearly growth of the baseline (0.05 = +5% a year)."""
    noise_cv: float = Field(default=0.0, ge=0, json_schema_extra=_unit("fraction"))
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
    review_days: int = Field(default=7, ge=1, json_schema_extra=_unit("days"))
    """Review period of the order-up-to policy."""
    safety_days: Days = 0.0
    """Safety stock of the order-up-to target, in days of baseline demand."""


class Resourcing(Model):
    """Spot purchases from suppliers with spare capacity when a supplier is blocked."""

    reaction_days: WholeDays = 14
    """Buyers turn to other suppliers on the ``reaction_days``-th consecutive day of lost supply."""
    price_multiplier: float = Field(default=1.0, ge=0, json_schema_extra=_unit("x world price"))
    """Spot price as a multiple of the world price."""


class Quota(Model):
    """Procurement quota of one region for one material."""

    max_share_per_supplier: Fraction = 1.0
    """Cap on the share of supply from any single supplier (the EU benchmark is 0.65)."""
    partner_minimum: dict[Id, Fraction] = {}
    """Minimum shares from named partner suppliers."""
    premium: float = Field(default=0.0, ge=0, json_schema_extra=_unit("fraction"))
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
    start: Annotated[DaySpec | Random, Field(json_schema_extra=_unit("day or date"))]
    """First day the shock is active (day number or date), or a distribution of days."""
    end: Annotated[DaySpec | None, Field(json_schema_extra=_unit("day or date"))] = None
    """First day the shock is no longer active; give this or ``duration_days``."""
    duration_days: Annotated[Annotated[int, Field(ge=1)] | Random | None, Field(json_schema_extra=_unit("days"))] = None
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
    severity: Fraction | Random = 1.0
    """Fraction of shipments stopped: 1 is a full halt, 0.72 a 72% cut."""


class QuotaCut(ShockBase):
    """A supplier caps all its exports below normal."""

    kind: Literal["quota_cut"]
    supplier: Id
    """The exporting supplier."""
    severity: Fraction | Random
    """Fraction of all its exports cut."""


class Delay(ShockBase):
    """Extra lead time on a supplier's shipments (inspections, rerouting)."""

    kind: Literal["delay"]
    supplier: Id
    """The exporting supplier."""
    regions: list[Id] | None = None
    """Target regions (default: all)."""
    extra_days: WholeDays | Random
    """Days added to the lead time of shipments leaving while the shock is active."""


class DemandSurge(ShockBase):
    """Demand multiplied by a factor (stockpiling by buyers, a new use)."""

    kind: Literal["demand_surge"]
    regions: list[Id] | None = None
    """Regions affected (default: all)."""
    factor: Annotated[Annotated[float, Field(ge=0)] | Random, Field(json_schema_extra=_unit("x demand"))]
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
    standdown_days: int = Field(default=30, ge=1, json_schema_extra=_unit("days"))
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

    every_days: int = Field(default=7, ge=1, json_schema_extra=_unit("days"))
    """Days between auctions (the first on the day the agreement opens)."""
    pricing: Literal["uniform", "pay_as_bid"] = "uniform"
    """``uniform``: all winners pay the clearing price; ``pay_as_bid``: each its bid."""
    reserve_price_usd_per_kg: dict[Id, UsdPerKg] = {}
    """Per material: bids below this are not filled."""
    lot_t: dict[Id, Annotated[float, Field(gt=0, json_schema_extra=_unit("t"))]] = {}
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
    commitments: dict[Id, Annotated[float, Field(ge=0, json_schema_extra=_unit("weight"))]] = {}
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
    decision_lag_days: WholeDays = 0
    """Days from the trigger to the first release decision."""
    delivery_days: WholeDays = 0
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


class Scenario(Model):
    """A complete scenario: the world, its shocks and (optionally) an agreement."""

    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    """Short name, used for output folders and baselines."""
    description: str = ""
    """The question this scenario answers."""
    start_date: dt.date | None = None
    """Calendar date of day 0 (dates are shown on plots and in the report)."""
    horizon_days: int = Field(ge=1, json_schema_extra=_unit("days"))
    """Number of simulated days."""
    seed: int = Field(default=0, ge=0, json_schema_extra=_unit("none (an integer)"))
    """Root seed of every random draw."""
    materials: dict[Id, Material] = Field(min_length=1)
    """Materials by id."""
    suppliers: dict[Id, Supplier] = Field(min_length=1)
    """Suppliers by id."""
    regions: dict[Id, Region] = Field(min_length=1)
    """Regions by id."""
    shocks: list[Shock] = []
    """Embargoes, quota cuts, delays and demand surges."""
    agreement: Agreement | None = None
    """Joint arrangement (none: each region only draws its own reserve)."""
    assumptions: list[Assumption] = []
    """Key assumptions and sourced figures, for the report."""
