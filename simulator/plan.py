"""Compile a validated scenario into the typed, frozen arrays both engines read.

Layer: model. A :class:`Plan` holds everything about a scenario that does not depend on
a run's random draws: index orders, baseline demand per day, sourcing shares after
quotas, lead times, stocks in tonnes, policy switches and the shock definitions. Its
array fields are exactly the ``plan`` entries of the registry of quantities
(:mod:`simulator.quantities`), with the axes written there: the model's own axes first,
the runs last. A compiled plan has a run axis of length 1; :func:`stack_plans` stacks
plans of one structure into a batch (a shared array becomes a read-only view of
length ``B``, not a copy).

Index orders follow the scenario file: regions, materials and suppliers in the order
written, members in the agreement's order, shocks in list order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from typing import Any, TypeVar

import numpy as np

from simulator.numeric import DAYS_PER_YEAR
from simulator.scenario.checks import day_number
from simulator.scenario.portfolio import capacities, demand_of, normal_shares, quota_shares
from simulator.scenario.schema import RANDOM_TYPES, Agreement, Delay, DemandSurge, Embargo, QuotaCut, Scenario, Stock

NOISE_SOURCE = "noise"
"""Name of the random stream of every demand's noise (see :mod:`simulator.randomness`)."""

Array = np.ndarray


@dataclass(frozen=True)
class ShockPlan:
    """One shock: its kind, what it touches and its (possibly random) parameters."""

    id: str
    kind: str
    mask: np.ndarray
    """Routes touched, (region, material, supplier) for supply shocks; (region, material) for demand surges."""
    start: Any
    """Day number, or a distribution (schema object) to draw from."""
    end: Any
    """Day number, None when ``duration`` is given."""
    duration: Any
    """Days, a distribution, or None when ``end`` is given."""
    magnitude: Any
    """Severity (embargo, quota cut), extra days (delay) or factor (surge)."""
    against_members: np.ndarray
    """Per material: an embargo on a member for that material (for ``hybrid``)."""

    @property
    def is_random(self) -> bool:
        """True when any parameter is drawn from a distribution."""
        return any(isinstance(v, RANDOM_TYPES) for v in (self.start, self.duration, self.magnitude))

    @property
    def source(self) -> str:
        """Name of the shock's random stream (see :mod:`simulator.randomness`)."""
        return f"shock/{self.id}"


@dataclass(frozen=True)
class Structure:
    """What must be equal for runs to share a batch (hashable)."""

    regions: tuple[str, ...]
    materials: tuple[str, ...]
    suppliers: tuple[str, ...]
    members: tuple[int, ...]
    shock_kinds: tuple[str, ...]
    horizon_days: int
    first_day: int
    mechanism: str | None
    pool_mode: str | None
    order: str | None
    strict: bool
    pricing: str | None
    bid_owners: tuple[int, ...]
    """Member index of each bid segment (auction)."""

    @property
    def member_names(self) -> list[str]:
        """Names of the agreement's members, in the agreement's order."""
        return [self.regions[i] for i in self.members]


@dataclass(frozen=True)
class AgreementPlan:
    """The agreement's parameters (registry record ``plan``, agreement part)."""

    ratio: Array
    pool0_t: Array
    ownership_share: Array
    pool_refill_t_per_day: Array
    pool_location: Array
    release_cap_t_per_day: Array
    lendable_share: Array
    donor_floor_days: Array
    trigger_commercial_days: Array
    standdown_days: Array
    decision_lag_days: Array
    delivery_days: Array
    ess_restraint: Array
    ess_trigger_loss_share: Array
    ess_commitments: Array


@dataclass(frozen=True)
class AuctionPlan:
    """The auction's parameters (registry record ``plan``, auction part)."""

    auction_every_days: Array
    reserve_price_usd_per_kg: Array
    lot_t: Array
    bid_share: Array
    bid_price_usd_per_kg: Array


@dataclass(frozen=True)
class Plan:
    """A compiled scenario: structure, shocks and arrays (see the module docstring)."""

    structure: Structure
    shocks: tuple[ShockPlan, ...]
    baseline_demand_t_per_day: Array
    noise_cv: Array
    lead_time_days: Array
    route_exists: Array
    capacity_t_per_day: Array
    normal_share: Array
    sourcing_share: Array
    premium_fraction: Array
    commercial_stock0_t: Array
    reserve_stock0_t: Array
    reserve_target_t: Array
    reserve_refill_t_per_day: Array
    order_up_to: Array
    review_days: Array
    safety_days: Array
    resourcing_on: Array
    reaction_days: Array
    spot_price_multiplier: Array
    price_usd_per_kg: Array
    holding_cost_usd_per_t_day: Array
    agreement: AgreementPlan | None = None
    auction: AuctionPlan | None = None
    start_date: dt.date | None = None
    name: str = ""
    random_sources: tuple[str, ...] = field(default_factory=tuple)

    @property
    def batch(self) -> int:
        """Number of runs stacked in this plan."""
        return int(self.noise_cv.shape[-1])


ARRAY_PARTS = (Plan, AgreementPlan, AuctionPlan)
"""The dataclasses whose array fields are the registry's plan quantities."""


def array_fields(part: Any) -> list[str]:
    """Names of the array fields of a plan part (registry quantities), in order."""
    cls = part if isinstance(part, type) else type(part)
    skip = {"structure", "shocks", "agreement", "auction", "start_date", "name", "random_sources"}
    return [f.name for f in fields(cls) if f.name not in skip]


Part = TypeVar("Part", Plan, AgreementPlan, AuctionPlan)


def _stack_part(parts: list[Part], rows: np.ndarray, batch: int) -> Part:
    """One part whose arrays hold every run: shared arrays as read-only views, others gathered."""
    first = parts[0]
    stacked = {}
    for name in array_fields(first):
        template = getattr(first, name)
        if all(getattr(p, name) is template for p in parts[1:]) or all(
            np.array_equal(getattr(p, name), template) for p in parts[1:]
        ):
            stacked[name] = np.broadcast_to(template, (*template.shape[:-1], batch))
        else:
            stacked[name] = np.concatenate([getattr(p, name) for p in parts], axis=-1)[..., rows]
    return replace(first, **stacked)


def stack_plans(plans: list[Plan]) -> Plan:
    """One plan whose runs are ``plans`` in order (same structure required)."""
    first = plans[0]
    distinct: dict[int, int] = {}
    for plan in plans:
        distinct.setdefault(id(plan), len(distinct))
    unique = list({id(plan): plan for plan in plans}.values())
    if any(p.structure != first.structure for p in unique):
        raise ValueError("plans of different structure cannot share a batch")
    rows = np.array([distinct[id(plan)] for plan in plans])
    batch = len(plans)
    agreement = auction = None
    if first.agreement is not None:
        agreement = _stack_part([p.agreement for p in unique], rows, batch)  # type: ignore[misc]
    if first.auction is not None:
        auction = _stack_part([p.auction for p in unique], rows, batch)  # type: ignore[misc]
    world = _stack_part(unique, rows, batch)
    return replace(world, agreement=agreement, auction=auction)


def _runs(value: Any, dtype: Any = float) -> Array:
    """An array with a trailing run axis of length 1."""
    return np.asarray(value, dtype=dtype)[..., None]


def _stock_tonnes(stock: Stock | None, demand_t_per_day: float) -> float:
    if stock is None:
        return 0.0
    return stock.tonnes if stock.tonnes is not None else stock.days * demand_t_per_day


def _day(spec: Any, start: dt.date | None) -> Any:
    if isinstance(spec, RANDOM_TYPES) or spec is None:
        return spec
    return day_number(spec, start)


def compile_plan(s: Scenario) -> Plan:
    """The plan of a validated scenario (quotas are feasible: validation checked them)."""
    regions, materials, suppliers = list(s.regions), list(s.materials), list(s.suppliers)
    demand0 = np.array([[demand_of(s, r, m).tonnes_per_day for m in materials] for r in regions])
    growth = np.array([[demand_of(s, r, m).growth_per_year for m in materials] for r in regions])
    routes = np.array([[r in s.suppliers[sp].lead_time_days for sp in suppliers] for r in regions])
    lead = np.array([[s.suppliers[sp].lead_time_days.get(r, 0) for sp in suppliers] for r in regions])
    shocks = tuple(_shock_plan(s, sh, regions, materials, suppliers) for sh in s.shocks)
    fixed_extra = [
        int(sh.magnitude) for sh in shocks if sh.kind == "delay" and not isinstance(sh.magnitude, RANDOM_TYPES)
    ]
    first_day = -int(lead.max() + sum(fixed_extra))  # overlapping delays add up
    days = np.arange(first_day, s.horizon_days)
    baseline = demand0[None] * np.power(1.0 + growth[None], days[:, None, None] / DAYS_PER_YEAR)
    shares, premium, _ = quota_shares(s)
    reserves = [[s.regions[r].reserve.get(m) for m in materials] for r in regions]
    reserve0 = np.array(
        [[_stock_tonnes(res, demand0[i, j]) for j, res in enumerate(row)] for i, row in enumerate(reserves)]
    )
    target = np.array(
        [
            [
                res.target_days * demand0[i, j] if res is not None and res.target_days is not None else reserve0[i, j]
                for j, res in enumerate(row)
            ]
            for i, row in enumerate(reserves)
        ]
    )
    refill = np.array([[res.refill_t_per_day if res is not None else 0.0 for res in row] for row in reserves])
    proc = [s.regions[r].procurement for r in regions]
    agreement = auction = None
    members: tuple[int, ...] = ()
    mechanism = pool_mode = order = pricing = None
    strict = False
    bid_owners: tuple[int, ...] = ()
    if s.agreement is not None:
        ag = s.agreement
        members = tuple(regions.index(r) for r in ag.members)
        mechanism, pool_mode, order, strict = ag.mechanism, ag.pool.mode, ag.order, ag.strict
        agreement = _agreement_plan(ag, regions, materials, demand0, reserve0)
        if ag.auction is not None:
            pricing = ag.auction.pricing
            auction, bid_owners = _auction_plan(ag, materials)
    structure = Structure(
        regions=tuple(regions),
        materials=tuple(materials),
        suppliers=tuple(suppliers),
        members=members,
        shock_kinds=tuple(sh.kind for sh in shocks),
        horizon_days=s.horizon_days,
        first_day=first_day,
        mechanism=mechanism,
        pool_mode=pool_mode,
        order=order,
        strict=strict,
        pricing=pricing,
        bid_owners=bid_owners,
    )
    noise_cv = np.array([[demand_of(s, r, m).noise_cv for m in materials] for r in regions])
    noise = (NOISE_SOURCE,) if (noise_cv > 0).any() else ()
    return Plan(
        structure=structure,
        shocks=shocks,
        baseline_demand_t_per_day=_runs(baseline),
        noise_cv=_runs(noise_cv),
        lead_time_days=_runs(lead, np.int64),
        route_exists=_runs(routes, bool),
        capacity_t_per_day=_runs(capacities(s).T),
        normal_share=_runs(normal_shares(s)),
        sourcing_share=_runs(shares),
        premium_fraction=_runs(premium),
        commercial_stock0_t=_runs(
            [
                [_stock_tonnes(s.regions[r].commercial_stock.get(m), demand0[i, j]) for j, m in enumerate(materials)]
                for i, r in enumerate(regions)
            ]
        ),
        reserve_stock0_t=_runs(reserve0),
        reserve_target_t=_runs(target),
        reserve_refill_t_per_day=_runs(refill),
        order_up_to=_runs([p.replenishment.policy == "order_up_to" for p in proc], bool),
        review_days=_runs([p.replenishment.review_days for p in proc], np.int64),
        safety_days=_runs([p.replenishment.safety_days for p in proc]),
        resourcing_on=_runs([p.resourcing is not None for p in proc], bool),
        reaction_days=_runs([p.resourcing.reaction_days if p.resourcing else 0 for p in proc], np.int64),
        spot_price_multiplier=_runs([p.resourcing.price_multiplier if p.resourcing else 1.0 for p in proc]),
        price_usd_per_kg=_runs([s.materials[m].price_usd_per_kg or 0.0 for m in materials]),
        holding_cost_usd_per_t_day=_runs(
            [s.materials[m].holding_cost_usd_per_t_year / DAYS_PER_YEAR for m in materials]
        ),
        agreement=agreement,
        auction=auction,
        start_date=s.start_date,
        name=s.name,
        random_sources=noise + tuple(sh.source for sh in shocks if sh.is_random),
    )


def _mask(
    sup: list[str], reg: list[str], mat: list[str], supplier: str | None, regions: Any, materials: Any
) -> np.ndarray:
    """Routes touched, (region, material, supplier)."""
    mask = np.zeros((len(reg), len(mat), len(sup)), bool)
    r_idx = [reg.index(r) for r in regions] if regions else list(range(len(reg)))
    m_idx = [mat.index(m) for m in materials] if materials else list(range(len(mat)))
    s_idx = [sup.index(supplier)] if supplier else list(range(len(sup)))
    mask[np.ix_(r_idx, m_idx, s_idx)] = True
    return mask


def _shock_plan(s: Scenario, sh: Any, regions: list[str], materials: list[str], suppliers: list[str]) -> ShockPlan:
    if isinstance(sh, DemandSurge):
        mask = _mask(["x"], regions, materials, None, sh.regions, sh.materials)[..., 0]
        magnitude = sh.factor
    elif isinstance(sh, Delay):
        mask = _mask(suppliers, regions, materials, sh.supplier, sh.regions, sh.materials)
        magnitude = sh.extra_days
    elif isinstance(sh, Embargo):
        mask = _mask(suppliers, regions, materials, sh.supplier, sh.regions, sh.materials)
        magnitude = sh.severity
    else:
        assert isinstance(sh, QuotaCut)
        mask = _mask(suppliers, regions, materials, sh.supplier, None, sh.materials)
        magnitude = sh.severity
    against = np.zeros(len(materials), bool)
    if isinstance(sh, Embargo) and s.agreement is not None and set(sh.regions) & set(s.agreement.members):
        against = mask.any(axis=(0, 2))
    return ShockPlan(
        id=sh.id,
        kind=sh.kind,
        mask=mask,
        start=_day(sh.start, s.start_date),
        end=_day(sh.end, s.start_date),
        duration=sh.duration_days,
        magnitude=magnitude,
        against_members=against,
    )


def _agreement_plan(
    ag: Agreement, regions: list[str], materials: list[str], demand0: np.ndarray, reserve0: np.ndarray
) -> AgreementPlan:
    members = [regions.index(r) for r in ag.members]
    contributions = np.array(
        [
            [
                _stock_tonnes(ag.pool.contributions.get(r, {}).get(m), demand0[members[n], j])
                for j, m in enumerate(materials)
            ]
            for n, r in enumerate(ag.members)
        ]
    ).reshape(len(members), len(materials))
    pool0 = contributions.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ownership = np.where(pool0 > 0, contributions / pool0, 0.0)
    ess = ag.iea_ess
    if ess.commitments:
        commitments = np.array([[ess.commitments.get(r, 0.0)] * len(materials) for r in ag.members], float)
    elif ag.pool.mode == "joint":
        commitments = contributions
    else:
        commitments = reserve0[members]
    return AgreementPlan(
        ratio=_runs([ag.ratio.get(r, 0.0) for r in ag.members]),
        pool0_t=_runs(pool0),
        ownership_share=_runs(ownership),
        pool_refill_t_per_day=_runs([ag.pool.refill_t_per_day.get(m, 0.0) for m in materials]),
        pool_location=_runs(regions.index(ag.pool.location or ag.members[0]), np.int64),
        release_cap_t_per_day=_runs([ag.release_cap_t_per_day.get(m, np.inf) for m in materials]),
        lendable_share=_runs(ag.pool.lendable_share),
        donor_floor_days=_runs(ag.pool.donor_floor_days),
        trigger_commercial_days=_runs(ag.trigger.commercial_days_below),
        standdown_days=_runs(ag.trigger.standdown_days, np.int64),
        decision_lag_days=_runs(ag.decision_lag_days, np.int64),
        delivery_days=_runs(ag.delivery_days, np.int64),
        ess_restraint=_runs(ess.restraint),
        ess_trigger_loss_share=_runs(ess.trigger_loss_share),
        ess_commitments=_runs(commitments),
    )


def _auction_plan(ag: Agreement, materials: list[str]) -> tuple[AuctionPlan, tuple[int, ...]]:
    """The auction's arrays, and the member index of each bid segment."""
    auction = ag.auction
    assert auction is not None
    N, M = len(ag.members), len(materials)
    width = max((len(segs) for per in auction.bids.values() for segs in per.values()), default=0)
    share = np.zeros((N * width, M))
    price = np.zeros((N * width, M))
    for n, r in enumerate(ag.members):
        for j, m in enumerate(materials):
            for k, seg in enumerate(auction.bids.get(r, {}).get(m, [])):
                share[n * width + k, j] = seg.share
                price[n * width + k, j] = seg.price_usd_per_kg
    plan = AuctionPlan(
        auction_every_days=_runs(auction.every_days, np.int64),
        reserve_price_usd_per_kg=_runs([auction.reserve_price_usd_per_kg.get(m, 0.0) for m in materials]),
        lot_t=_runs([auction.lot_t.get(m, np.nan) for m in materials]),
        bid_share=_runs(share),
        bid_price_usd_per_kg=_runs(price),
    )
    return plan, tuple(n for n in range(N) for _ in range(width))
