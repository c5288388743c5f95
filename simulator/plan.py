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
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from operator import attrgetter
from typing import Any, TypeVar

import numpy as np

from simulator.numeric import DAYS_PER_YEAR, EPS_T
from simulator.scenario.checks import day_number, price_bounds, reference_price
from simulator.scenario.notes import WARM_UP_REACH_CAP_DAYS
from simulator.scenario.portfolio import (
    capacities,
    day0_demand,
    demand_of,
    net_import_shares,
    normal_shares,
    quota_shares,
    ramp_share,
    route_matrix,
    share_step_days,
)
from simulator.scenario.schema import (
    RANDOM_TYPES,
    Agreement,
    Delay,
    DemandSurge,
    Embargo,
    ExportQuota,
    Licensing,
    LogNormal,
    QuotaCut,
    Scenario,
    Stock,
    StrategicStock,
    Triangular,
    Uniform,
    earliest_start_day,
)

NOISE_SOURCE = "noise"
"""Name of the random stream of every demand's noise (see :mod:`simulator.randomness`)."""

Array = np.ndarray


@dataclass(frozen=True)
class ShockPlan:
    """One shock: its kind, what it touches and its (possibly random) parameters.

    ``magnitude``, the window, ``perceived``, ``leak_share``, ``leak_extra_days`` and
    ``release_days`` may differ between the runs of a batch: the kernel reads them per
    run from :class:`simulator.randomness.Draws`, never from a batch's shock plans.
    """

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
    perceived: float | None = None
    """Severity buyers perceive (markets); None: the severity itself (fixed or drawn)."""
    targeted: bool = False
    """An embargo aimed at some regions, not all (its targets may pay a price premium)."""
    held: bool = False
    """Embargo: stopped shipments wait at origin and ship when it ends."""
    release_days: int = 0
    """Embargo: held goods ship over this many days after it ends (0: at once)."""
    leak_share: float = 0.0
    """Embargo: share of stopped shipments that gets through anyway."""
    leak_extra_days: int = 0
    """Embargo: extra transit days of what leaks through."""
    period_days: int = 0
    """Export quota: days per quota period."""
    front_loaded: bool = False
    """Export quota: the whole period's quota available from its first day."""
    preference: tuple[int, ...] = ()
    """Export quota: region indices served first, in order (empty: pro rata)."""
    contracts_first: bool = False
    """Export quota: each region's normal flow on the quota's routes is served before orders beyond it."""
    smuggling_share: float = 0.0
    """Export quota: share of what it stops that flows anyway."""
    deliverable_claims: bool = False
    """Export quota: only what embargoes and quota cuts do not stop for good claims its room."""
    processing_shares: np.ndarray | None = None
    """Licensing: share of a day's decisions made on each following day (index = days of
    processing; sums to 1). The share approved is the shock's magnitude, read per run."""
    end_use_share: float = 1.0
    """Licensing: share of the targeted shipments that needs a licence."""
    suspended: tuple[tuple[int, int], ...] = ()
    """Licensing: day windows [start, end) without the requirement."""
    follows: int | None = None
    """Licensing: index of the licensing shock whose terms this one replaces (its
    approvals are not applications here)."""

    @property
    def is_random(self) -> bool:
        """True when any parameter is drawn from a distribution."""
        return (
            isinstance(self.start, RANDOM_TYPES)
            or isinstance(self.duration, RANDOM_TYPES)
            or isinstance(self.magnitude, RANDOM_TYPES)
        )

    @property
    def source(self) -> str:
        """Name of the shock's random stream (see :mod:`simulator.randomness`)."""
        return f"shock/{self.id}"

    @property
    def terms(self) -> tuple[Any, ...]:
        """Everything a batch's runs must share, hashable (part of :class:`Structure`).

        A batch keeps one :class:`ShockPlan` per shock for all its runs (its first run's),
        so plans whose shocks differ in any of these cannot share a batch. Left out are
        the values the kernel reads per run from :class:`simulator.randomness.Draws`:
        start, end, duration, magnitude (a licence's approval share too), perceived severity,
        leak share, leak extra days, release days and a licence's processing-time shares and
        end-use share (of these, only the class of its ring's length: :func:`ring_class`).
        """
        return (
            self.id,
            self.kind,
            self.mask.shape,
            self.mask.tobytes(),
            self.against_members.tobytes(),
            self.targeted,
            self.held,
            self.period_days,
            self.front_loaded,
            self.preference,
            self.contracts_first,
            self.smuggling_share,
            self.deliverable_claims,
            None if self.processing_shares is None else ring_class(len(self.processing_shares)),
            self.suspended,
            self.follows,
        )


def ring_class(slots: int) -> int:
    """The power of two at or above ``slots``: runs share a batch only where their licences' rings are of one class.

    A batch's ring of approvals due is as long as its longest run's processing time, and every run pays for it
    each day: one run waiting a year among runs waiting days would make every run of the batch walk 365 slots.

    >>> ring_class(1), ring_class(4), ring_class(13), ring_class(16), ring_class(17)
    (1, 4, 16, 16, 32)
    """
    return 1 << (slots - 1).bit_length()


@dataclass(frozen=True)
class Structure:
    """What must be equal for runs to share a batch (hashable)."""

    regions: tuple[str, ...]
    materials: tuple[str, ...]
    suppliers: tuple[str, ...]
    members: tuple[int, ...]
    shock_kinds: tuple[str, ...]
    shock_terms: tuple[tuple[Any, ...], ...]
    """Each shock's terms all runs of a batch share (:attr:`ShockPlan.terms`)."""
    horizon_days: int
    first_day: int
    mechanism: str | None
    pool_mode: str | None
    order: str | None
    strict: bool
    pricing: str | None
    bid_owners: tuple[int, ...]
    """Member index of each bid segment (auction)."""
    market: bool = False
    """Some material has a market (the plan has a :class:`MarketPlan`)."""
    share_steps: int = 0
    """Days on which procurement quotas' ``max_share_path`` change the sourcing shares."""
    settlement: str = "grant"
    """How rule draws from the shared stock are settled: grant, sale or loan."""

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
    release_normal_days: Array
    release_emergency_days: Array
    ess_restraint: Array
    ess_higher_restraint: Array
    ess_higher_loss_share: Array
    ess_trigger_loss_share: Array
    ess_selective_loss_share: Array
    ess_commitments: Array
    loss_window_days: Array
    loss_group_below: Array
    loss_member_below: Array
    switch_on_declared: Array
    switch_on_measured: Array
    contributed_t: Array
    settlement_price_usd_per_kg: Array
    loan_term_days: Array


@dataclass(frozen=True)
class AuctionPlan:
    """The auction's parameters (registry record ``plan``, auction part)."""

    auction_every_days: Array
    reserve_price_usd_per_kg: Array
    lot_t: Array
    bid_share: Array
    bid_price_usd_per_kg: Array
    bid_price_multiplier: Array
    bid_cap_usd_per_kg: Array
    service_level_z: Array


@dataclass(frozen=True)
class MarketPlan:
    """The markets' parameters (registry record ``plan``, market part); neutral where a material has none."""

    market_on: Array
    reference_price_usd_per_kg: Array
    price_sensitivity: Array
    price_adjustment_days: Array
    price_floor_usd_per_kg: Array
    price_cap_usd_per_kg: Array
    targeted_premium: Array
    risk_perception_days: Array
    risk_memory_days: Array
    demand_elasticity: Array
    demand_floor_share: Array
    substitution_max_share: Array
    substitution_full_price_ratio: Array
    substitution_days: Array
    substitution_permanent_share: Array
    stocking_on: Array
    precaution_gain: Array
    cover_adjustment_days: Array
    normal_cover_days: Array
    supply_exposure: Array
    response_capacity_t_per_day: Array
    response_price_ratio: Array
    response_lag_days: Array


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
    capacity_added_t_per_day: Array
    normal_share: Array
    sourcing_share: Array
    premium_fraction: Array
    share_step_day: Array
    stepped_sourcing_share: Array
    stepped_premium_fraction: Array
    net_import_share: Array
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
    tender_on: Array
    tender_lag_days: Array
    tender_price_share: Array
    tender_standdown_days: Array
    agreement: AgreementPlan | None = None
    auction: AuctionPlan | None = None
    market: MarketPlan | None = None
    start_date: dt.date | None = None
    random_sources: tuple[str, ...] = field(default_factory=tuple)

    @property
    def batch(self) -> int:
        """Number of runs stacked in this plan."""
        return int(self.noise_cv.shape[-1])


def array_fields(part: Any) -> list[str]:
    """Names of the array fields of a plan part (registry quantities), in order."""
    cls = part if isinstance(part, type) else type(part)
    skip = {"structure", "shocks", "agreement", "auction", "market", "start_date", "random_sources"}
    return [f.name for f in fields(cls) if f.name not in skip]


Part = TypeVar("Part", Plan, AgreementPlan, AuctionPlan, MarketPlan)


def _stack_part(parts: list[Part], rows: np.ndarray, batch: int) -> Part:
    """One part whose arrays hold every run: shared arrays as read-only views, others gathered.

    ``parts`` are distinct objects, and run ``b`` takes ``parts[rows[b]]``. Arrays are
    grouped by identity first (plans patched from one plan share the arrays they did not
    change), then the distinct ones are compared side by side in one comparison (not one
    call per part and field: a batch of a grid has thousands of parts).
    """
    first = parts[0]
    stacked = {}
    for name in array_fields(first):
        unique, which = _by_identity(list(map(attrgetter(name), parts)))
        template = unique[0]
        if len(unique) == 1:
            stacked[name] = np.broadcast_to(template, (*template.shape[:-1], batch))
            continue
        side_by_side = np.concatenate(unique, axis=-1)
        if (side_by_side == template).all():  # NaN is never equal: such an array is gathered
            stacked[name] = np.broadcast_to(template, (*template.shape[:-1], batch))
        else:
            stacked[name] = side_by_side[..., which[rows]]
    return replace(first, **stacked)


def _by_identity(items: list[Any]) -> tuple[list[Any], np.ndarray]:
    """The distinct objects of ``items`` (by identity, in first-seen order) and each item's index among them.

    >>> a, b = np.zeros(1), np.zeros(1)
    >>> unique, which = _by_identity([a, b, a])
    >>> len(unique), which.tolist()
    (2, [0, 1, 0])
    >>> _by_identity([a, a])[1].tolist()
    [0, 0]
    """
    ids = list(map(id, items))
    if ids.count(ids[0]) == len(ids):  # the usual case, without a loop in Python
        return items[:1], np.zeros(len(ids), dtype=np.intp)
    index: dict[int, int] = {}
    unique = []
    for item, key in zip(items, ids, strict=True):
        if key not in index:
            index[key] = len(unique)
            unique.append(item)
    return unique, np.array([index[key] for key in ids], dtype=np.intp)


def stack_plans(plans: list[Plan]) -> Plan:
    """One plan whose runs are ``plans`` in order (same structure required)."""
    first = plans[0]
    unique, rows = _by_identity(plans)
    if any(p.structure is not first.structure and p.structure != first.structure for p in unique):
        raise ValueError("plans of different structure cannot share a batch")
    batch = len(plans)
    parts = {}
    for name in ("agreement", "auction", "market"):
        if getattr(first, name) is not None:
            distinct, which = _by_identity(list(map(attrgetter(name), unique)))  # a grid shares its parts
            parts[name] = _stack_part(distinct, which[rows], batch)
    world = _stack_part(unique, rows, batch)
    return replace(world, **parts)


def batch_key(plan: Plan) -> tuple[Structure, bool]:
    """What runs must share to be one batch: the structure, but any warm-up length where that is exact.

    A plan whose shocks can never be active before day 0 may have its warm-up started
    earlier (:func:`with_warm_up_from`) without any number changing, so such plans share a
    batch whatever their first day (their lead times or fixed delays), unless capacity cuts
    the warm-up's normal flows where buyers re-source (the days they have lost supply on
    day 0 would grow with the warm-up). A plan with a shock that can be in force before
    day 0 keeps its own first day (which reaches back to that shock's earliest start,
    :func:`shock_reach`): it batches only with plans of the same structure.
    """
    st = plan.structure
    if all(_never_before_day_0(sh.start) for sh in plan.shocks) and not _warm_up_loses(plan):
        return replace(st, first_day=0), True
    return st, False


def _warm_up_loses(plan: Plan) -> bool:
    """Whether capacity may cut the warm-up's normal flows where buyers re-source.

    The warm-up's orders count as lost where capacity cuts them, every warm-up day: the
    days a region has lost supply on day 0 would then grow with the warm-up.
    """
    if not plan.resourcing_on.any():
        return False
    warm_up = -plan.structure.first_day
    shares = np.concatenate([plan.sourcing_share[None], plan.stepped_sourcing_share]).max(axis=0)  # (R, M, S, B)
    baseline = plan.baseline_demand_t_per_day[:warm_up].max(axis=0, initial=0.0)  # (R, M, B)
    flows = (shares * baseline[:, :, None]).sum(axis=0)  # (M, S, B)
    capacity = plan.capacity_t_per_day + plan.capacity_added_t_per_day[:warm_up].min(axis=0, initial=np.inf)
    return bool((flows - capacity > EPS_T).any())  # a loss counts above EPS_T


def _never_before_day_0(start: Any) -> bool:
    """True when a shock's start (a day, or a distribution) is day 0 or later in every run."""
    return earliest_start_day(start) >= 0


def licence_reach(shocks: Iterable[ShockPlan]) -> int:
    """Days a licence application made before day 0 may wait: the warm-up starts that much earlier.

    A licensing shock that can be in force before day 0 takes applications during the warm-up
    as on any day, so that on day 0 its queue holds what it would hold had it run all along;
    its approvals arriving from day 0 leave up to the longest lead time before day 0, their
    applications up to the longest processing time before that (0 when no licensing shock
    can act before day 0).
    """
    waits = [
        len(sh.processing_shares) - 1
        for sh in shocks
        if sh.kind == "licensing" and sh.processing_shares is not None and not _never_before_day_0(sh.start)
    ]
    return max(waits, default=0)


def shock_reach(shocks: Iterable[ShockPlan]) -> int:
    """The earliest day a shock can start before day 0 (0 when none can), at most :data:`WARM_UP_REACH_CAP_DAYS` back.

    The warm-up starts the normal pipeline's length before it, so a shock in force before
    day 0 begins on a full pipeline in steady state and runs on every day from its start,
    as it would have: its state on day 0 does not depend on how long the pipeline is (an
    unrelated far supplier, fixed delays) since they only lengthen the quiet stretch
    before it. A random start reaches back to the day its lowest value rounds to, as a run
    rounds it; a lognormal one is positive (:func:`~simulator.scenario.schema.earliest_start_day`).
    """
    earliest = min((earliest_start_day(sh.start) for sh in shocks), default=0)
    return max(min(earliest, 0), -WARM_UP_REACH_CAP_DAYS)


def with_warm_up_from(plan: Plan, first_day: int) -> Plan:
    """``plan`` with its warm-up starting on ``first_day`` (at most its own first day).

    Exact for a plan :func:`batch_key` lets share: on the days added, every route's order
    would arrive before day 0, so nothing is sent (procurement sends during the warm-up
    only what arrives from day 0), and no shock, review or market acts before day 0. The
    day arrays get copies of their first day in front (values never read for a shipment
    sent).
    """
    extra = plan.structure.first_day - first_day
    if extra == 0:
        return plan
    if extra < 0:
        raise ValueError(f"a warm-up cannot start later than the plan's own first day ({plan.structure.first_day})")

    def earlier(days: Array) -> Array:
        return np.concatenate([np.repeat(days[:1], extra, axis=0), days], axis=0)

    return replace(
        plan,
        structure=replace(plan.structure, first_day=first_day),
        baseline_demand_t_per_day=earlier(plan.baseline_demand_t_per_day),
        capacity_added_t_per_day=earlier(plan.capacity_added_t_per_day),
    )


def _runs(value: Any, dtype: Any = float) -> Array:
    """An array with a trailing run axis of length 1."""
    return np.asarray(value, dtype=dtype)[..., None]


def _stock_tonnes(
    stock: Stock | None, demand_t_per_day: float, net_imports_t_per_day: float = 0.0, private_t: float = 0.0
) -> float:
    """Tonnes of a stock given in tonnes, days of demand or (strategic stock) days of net imports."""
    if stock is None:
        return 0.0
    if stock.tonnes is not None:
        return stock.tonnes
    if stock.days is not None:
        return stock.days * demand_t_per_day
    assert isinstance(stock, StrategicStock)
    assert stock.net_import_days is not None
    benchmark = stock.net_import_days * net_imports_t_per_day
    return max(0.0, benchmark - private_t) if stock.credit_private_stocks else benchmark


def _day(spec: Any, start: dt.date | None) -> Any:
    if isinstance(spec, RANDOM_TYPES) or spec is None:
        return spec
    return day_number(spec, start)


def targets_some(regions: Iterable[str], embargoed: Iterable[str]) -> bool:
    """Whether an embargo on ``embargoed`` leaves some of ``regions`` out (``ShockPlan.targeted``).

    Its targets then pay the world price times ``1 + targeted_premium``.
    """
    return bool(set(regions) - set(embargoed))


def members_embargoed(embargoed: Iterable[str], members: Iterable[str]) -> set[str]:
    """The agreement's members among an embargo's targets (``ShockPlan.against_members`` where not empty).

    An embargo against a member switches a rule applied under a threat.
    """
    return set(embargoed) & set(members)


def compile_plan(s: Scenario) -> Plan:
    """The plan of a validated scenario (quotas are feasible: validation checked them)."""
    regions, materials, suppliers = list(s.regions), list(s.materials), list(s.suppliers)
    demand0 = day0_demand(s)
    growth = np.array([[demand_of(s, r, m).growth_per_year for m in materials] for r in regions])
    routes = route_matrix(s)
    lead = np.array([[s.suppliers[sp].lead_time_days.get(r, 0) for sp in suppliers] for r in regions])
    shocks = tuple(_shock_plan(s, sh, regions, materials, suppliers) for sh in s.shocks)
    fixed_extra = [
        int(sh.magnitude) for sh in shocks if sh.kind == "delay" and not isinstance(sh.magnitude, RANDOM_TYPES)
    ]
    pipeline = int(lead.max() + sum(fixed_extra) + licence_reach(shocks))  # overlapping delays add up
    first_day = shock_reach(shocks) - pipeline  # a shock in force before day 0 starts after a full pipeline
    days = np.arange(first_day, s.horizon_days)
    baseline = demand0[None] * np.power(1.0 + growth[None], days[:, None, None] / DAYS_PER_YEAR)
    shares, premium, _ = quota_shares(s)
    step_days = share_step_days(s)
    steps = [quota_shares(s, day)[:2] for day in step_days]
    stepped_shape = (len(steps), *shares.shape)
    commercial0 = np.array(
        [
            [_stock_tonnes(s.regions[r].commercial_stock.get(m), demand0[i, j]) for j, m in enumerate(materials)]
            for i, r in enumerate(regions)
        ]
    )
    net_imports0 = demand0 * net_import_shares(s)
    reserves = [[s.regions[r].reserve.get(m) for m in materials] for r in regions]
    reserve0 = np.array(
        [
            [_stock_tonnes(res, demand0[i, j], net_imports0[i, j], commercial0[i, j]) for j, res in enumerate(row)]
            for i, row in enumerate(reserves)
        ]
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
    releases = [s.regions[r].reserve_release for r in regions]
    agreement = auction = None
    members: tuple[int, ...] = ()
    mechanism = pool_mode = order = pricing = None
    strict = False
    settlement = "grant"
    bid_owners: tuple[int, ...] = ()
    if s.agreement is not None:
        ag = s.agreement
        members = tuple(regions.index(r) for r in ag.members)
        mechanism, pool_mode, order, strict = ag.mechanism, ag.pool.mode, ag.order, ag.strict
        settlement = ag.settlement.kind
        agreement = _agreement_plan(ag, regions, materials, demand0, reserve0, net_imports0, commercial0)
        if ag.auction is not None:
            pricing = ag.auction.pricing
            auction, bid_owners = _auction_plan(ag, materials)
    structure = Structure(
        regions=tuple(regions),
        materials=tuple(materials),
        suppliers=tuple(suppliers),
        members=members,
        shock_kinds=tuple(sh.kind for sh in shocks),
        shock_terms=tuple(sh.terms for sh in shocks),
        horizon_days=s.horizon_days,
        first_day=first_day,
        mechanism=mechanism,
        pool_mode=pool_mode,
        order=order,
        strict=strict,
        pricing=pricing,
        bid_owners=bid_owners,
        market=bool(s.market),
        share_steps=len(steps),
        settlement=settlement,
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
        capacity_added_t_per_day=_runs(_capacity_added(s, days, materials, suppliers)),
        normal_share=_runs(normal_shares(s)),
        sourcing_share=_runs(shares),
        premium_fraction=_runs(premium),
        share_step_day=_runs(step_days, np.int64),
        stepped_sourcing_share=_runs(np.array([shares for shares, _ in steps]).reshape(stepped_shape)),
        stepped_premium_fraction=_runs(np.array([premium for _, premium in steps]).reshape(stepped_shape)),
        net_import_share=_runs(net_import_shares(s)),
        commercial_stock0_t=_runs(commercial0),
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
        tender_on=_runs([[r is not None] * len(materials) for r in releases], bool),
        tender_lag_days=_runs([[r.lag_days if r else 0] * len(materials) for r in releases], np.int64),
        tender_price_share=_runs([[1.0 - r.discount_share if r else 0.0] * len(materials) for r in releases]),
        tender_standdown_days=_runs([[r.standdown_days if r else 0] * len(materials) for r in releases], np.int64),
        agreement=agreement,
        auction=auction,
        market=_market_plan(s, regions, materials, suppliers, demand0, commercial0, shares) if s.market else None,
        start_date=s.start_date,
        random_sources=noise + tuple(sh.source for sh in shocks if sh.is_random),
    )


def _capacity_added(s: Scenario, days: np.ndarray, materials: list[str], suppliers: list[str]) -> np.ndarray:
    """Dated capacity additions per day, material and supplier (t/day), ramped linearly."""
    added = np.zeros((len(days), len(materials), len(suppliers)))
    for k, sid in enumerate(suppliers):
        for addition in s.suppliers[sid].capacity_additions:
            first = day_number(addition.start, s.start_date)
            assert first is not None  # checked: a date needs the scenario's start date
            reached = ramp_share(days, first, addition.ramp_days)
            added[:, materials.index(addition.material), k] += addition.capacity_t_per_day * reached
    return added


def _market_plan(
    s: Scenario,
    regions: list[str],
    materials: list[str],
    suppliers: list[str],
    demand0: np.ndarray,
    commercial0: np.ndarray,
    shares: np.ndarray,
) -> MarketPlan:
    """The markets' arrays; a material without a market gets neutral values (off, fixed price)."""
    M, S = len(materials), len(suppliers)
    per_material: dict[str, list[float]] = {name: [] for name in _MARKET_DEFAULTS}
    response = {name: np.zeros((M, S)) for name in ("capacity", "ratio", "lag")}
    response["ratio"][:] = 1.0
    response["lag"][:] = 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        normal = np.where(demand0 > 0, commercial0 / demand0, 0.0)
    for j, mid in enumerate(materials):
        market = s.market.get(mid)
        values = dict(_MARKET_DEFAULTS)
        values["reference_price_usd_per_kg"] = reference_price(s, mid) or 1.0
        if market is not None:
            floor, cap = price_bounds(s, mid)
            values.update(
                market_on=1.0,
                price_sensitivity=market.price.sensitivity,
                price_adjustment_days=market.price.adjustment_days,
                price_floor_usd_per_kg=floor,
                price_cap_usd_per_kg=cap,
                targeted_premium=market.price.targeted_premium,
                risk_perception_days=market.risk.perception_days,
                risk_memory_days=market.risk.memory_days,
            )
            if market.demand is not None:
                values.update(
                    demand_elasticity=market.demand.short_run_elasticity, demand_floor_share=market.demand.floor_share
                )
                sub = market.demand.substitution
                if sub is not None:
                    values.update(
                        substitution_max_share=sub.max_share,
                        substitution_full_price_ratio=sub.full_price_ratio,
                        substitution_days=sub.adjustment_days,
                        substitution_permanent_share=sub.permanent_share,
                    )
            if market.stocking is not None:
                values.update(
                    stocking_on=1.0,
                    precaution_gain=market.stocking.precaution_gain,
                    cover_adjustment_days=market.stocking.adjustment_days,
                )
                for i, rid in enumerate(regions):
                    if rid in market.stocking.normal_cover_days:
                        normal[i, j] = market.stocking.normal_cover_days[rid]
            for item in market.supply_response:
                k = suppliers.index(item.supplier)
                response["capacity"][j, k] = item.capacity_t_per_day
                response["ratio"][j, k] = item.price_ratio
                response["lag"][j, k] = item.lag_days
        else:
            values.update(
                price_floor_usd_per_kg=values["reference_price_usd_per_kg"],
                price_cap_usd_per_kg=values["reference_price_usd_per_kg"],
            )
        for name in per_material:
            per_material[name].append(values[name])
    flows = demand0[:, :, None] * shares  # normal supply per route (t/day)
    total = flows.sum(axis=(0, 2), keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        exposure = np.where(total > 0, flows / total, 0.0)
    flags = {"market_on", "stocking_on"}
    return MarketPlan(
        **{name: _runs(values, bool if name in flags else float) for name, values in per_material.items()},
        normal_cover_days=_runs(normal),
        supply_exposure=_runs(exposure),
        response_capacity_t_per_day=_runs(response["capacity"]),
        response_price_ratio=_runs(response["ratio"]),
        response_lag_days=_runs(response["lag"]),
    )


_MARKET_DEFAULTS: dict[str, float] = {
    "market_on": 0.0,
    "reference_price_usd_per_kg": 1.0,
    "price_sensitivity": 1.0,
    "price_adjustment_days": 1.0,
    "price_floor_usd_per_kg": 0.0,
    "price_cap_usd_per_kg": 0.0,
    "targeted_premium": 0.0,
    "risk_perception_days": 1.0,
    "risk_memory_days": 1.0,
    "demand_elasticity": 0.0,
    "demand_floor_share": 0.0,
    "substitution_max_share": 0.0,
    "substitution_full_price_ratio": 10.0,
    "substitution_days": 1.0,
    "substitution_permanent_share": 0.0,
    "stocking_on": 0.0,
    "precaution_gain": 0.0,
    "cover_adjustment_days": 1.0,
}
"""A material without a market: off, its price fixed (floor = cap = reference), no response."""


def _mask(
    sup: list[str], reg: list[str], mat: list[str], supplier: str | None, regions: Any, materials: Any
) -> np.ndarray:
    """Routes touched, (region, material, supplier): the outer product of the three selections."""
    r_on = np.array([r in regions for r in reg]) if regions else np.ones(len(reg), bool)
    m_on = np.array([m in materials for m in mat]) if materials else np.ones(len(mat), bool)
    s_on = np.array([name == supplier for name in sup]) if supplier else np.ones(len(sup), bool)
    return r_on[:, None, None] & m_on[None, :, None] & s_on[None, None, :]


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
    elif isinstance(sh, QuotaCut):
        mask = _mask(suppliers, regions, materials, sh.supplier, None, sh.materials)
        magnitude = sh.severity
    elif isinstance(sh, ExportQuota):
        mask = _mask(suppliers, regions, materials, sh.supplier, None, sh.materials)
        magnitude = sh.tonnes_per_period
        extra = {
            "period_days": sh.period_days,
            "front_loaded": sh.release == "front_loaded",
            "preference": tuple(regions.index(r) for r in sh.preference) if sh.sharing == "preference" else (),
            "contracts_first": sh.sharing == "contracts_first",
            "smuggling_share": sh.smuggling_share,
            "deliverable_claims": sh.claims == "deliverable",
            "perceived": sh.perceived_severity if sh.perceived_severity is not None else 0.0,
        }
    else:
        assert isinstance(sh, Licensing), (
            f"shock kind {sh.kind!r}: give it its mask and magnitude in simulator/plan.py, _shock_plan "
            "(docs/architecture.md, '... a shock kind', step 2)"
        )
        mask = _mask(suppliers, regions, materials, sh.supplier, sh.regions, sh.materials)
        magnitude = sh.approval_share
        perceived = sh.perceived_severity
        extra = {
            "processing_shares": processing_distribution(sh.processing_days),
            "end_use_share": sh.end_use_share,
            "suspended": tuple(
                (int(day_number(a, s.start_date) or 0), int(day_number(b, s.start_date) or 0)) for a, b in sh.suspended
            ),
            "perceived": sh.end_use_share * (1.0 - sh.approval_share) if perceived is None else perceived,
            "follows": None if sh.follows is None else [o.id for o in s.shocks].index(sh.follows),
        }
    if isinstance(sh, Embargo):
        extra = {
            "held": sh.on_halt == "held",
            "release_days": sh.release_days,
            "leak_share": sh.leak_share,
            "leak_extra_days": sh.leak_extra_days,
            "perceived": sh.perceived_severity,
        }
    elif isinstance(sh, QuotaCut):
        extra = {"perceived": sh.perceived_severity}
    elif not isinstance(sh, ExportQuota | Licensing):
        extra = {}
    against = np.zeros(len(materials), bool)
    if isinstance(sh, Embargo) and s.agreement is not None and members_embargoed(sh.regions, s.agreement.members):
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
        targeted=isinstance(sh, Embargo) and targets_some(regions, sh.regions),
        **extra,
    )


def processing_distribution(spec: Any) -> np.ndarray:
    """Share of a day's licence applications decided after 0, 1, 2, ... days (sums to 1).

    A fixed number of days puts everything on that day. A distribution of the processing
    time ``X`` gives day ``k`` the probability that ``X`` rounds to ``k``,
    ``P(k - 1/2 <= X < k + 1/2)``: each day's applications are spread over the days that
    follow (the expected flow, the same in every run).

    >>> processing_distribution(3)
    array([0., 0., 0., 1.])
    >>> from simulator.scenario.schema import Uniform
    >>> processing_distribution(Uniform(distribution="uniform", low=1.5, high=3.5)).round(3)
    array([0. , 0. , 0.5, 0.5])
    """
    if not isinstance(spec, RANDOM_TYPES):
        weights = np.zeros(int(spec) + 1)
        weights[-1] = 1.0
        return weights
    point = _single_value(spec)
    if point is not None:  # no spread: every application on the day the value rounds to
        return processing_distribution(int(np.floor(point + 0.5)))
    from scipy import stats

    if isinstance(spec, Uniform):
        law = stats.uniform(spec.low, spec.high - spec.low)
    elif isinstance(spec, Triangular):
        width = spec.high - spec.low
        law = stats.triang((spec.mode - spec.low) / width if width else 0.5, spec.low, width)
    else:
        sigma2 = np.log1p((spec.sd / spec.mean) ** 2)
        law = stats.lognorm(np.sqrt(sigma2), scale=np.exp(np.log(spec.mean) - sigma2 / 2))
    last = int(np.floor(law.ppf(0.9999) + 0.5)) + 1  # the last day with mass
    edges = np.arange(last + 1) - 0.5
    mass = np.diff(law.cdf(np.clip(edges, 0.0, None)))
    mass[0] += law.cdf(0.0)  # nothing is decided before the day of application
    return mass / mass.sum()


def _single_value(spec: Any) -> float | None:
    """The one value a distribution without spread takes (``low == high``, ``sd == 0``); else None."""
    if isinstance(spec, LogNormal):
        return float(spec.mean) if spec.sd == 0 else None
    return float(spec.low) if spec.low == spec.high else None


def _agreement_plan(
    ag: Agreement,
    regions: list[str],
    materials: list[str],
    demand0: np.ndarray,
    reserve0: np.ndarray,
    net_imports0: np.ndarray,
    commercial0: np.ndarray,
) -> AgreementPlan:
    members = [regions.index(r) for r in ag.members]
    contributions = np.array(
        [
            [
                _stock_tonnes(
                    ag.pool.contributions.get(r, {}).get(m),
                    demand0[members[n], j],
                    net_imports0[members[n], j],
                    commercial0[members[n], j],
                )
                for j, m in enumerate(materials)
            ]
            for n, r in enumerate(ag.members)
        ]
    ).reshape(len(members), len(materials))
    pool0 = contributions.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ownership = np.where(pool0 > 0, contributions / pool0, 0.0)
    ess = ag.iea_ess
    loss = ag.trigger.measured_loss
    times = ag.release_times
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
        release_normal_days=_runs(times.normal_days if times else -1, np.int64),
        release_emergency_days=_runs(times.emergency_days if times else -1, np.int64),
        ess_restraint=_runs(ess.restraint),
        ess_higher_restraint=_runs(ess.higher_restraint),
        ess_higher_loss_share=_runs(ess.higher_loss_share),
        ess_trigger_loss_share=_runs(ess.trigger_loss_share),
        ess_selective_loss_share=_runs(ess.selective_loss_share),
        ess_commitments=_runs(commitments),
        loss_window_days=_runs(loss.window_days if loss else 0, np.int64),
        loss_group_below=_runs(loss.group_below if loss else 0.0),
        loss_member_below=_runs(loss.member_below if loss else 0.0),
        switch_on_declared=_runs(ag.trigger.switch_on in ("declared_embargo", "either"), bool),
        switch_on_measured=_runs(ag.trigger.switch_on in ("measured_loss", "either"), bool),
        contributed_t=_runs(contributions if ag.pool.mode == "joint" else ag.pool.lendable_share * reserve0[members]),
        settlement_price_usd_per_kg=_runs(
            np.nan if ag.settlement.price_usd_per_kg is None else ag.settlement.price_usd_per_kg
        ),
        loan_term_days=_runs(ag.settlement.term_days or 0, np.int64),
    )


def _auction_plan(ag: Agreement, materials: list[str]) -> tuple[AuctionPlan, tuple[int, ...]]:
    """The auction's arrays, and the member index of each bid segment."""
    auction = ag.auction
    assert auction is not None
    N, M = len(ag.members), len(materials)
    width = max((len(segs) for per in auction.bids.values() for segs in per.values()), default=0)
    share = np.zeros((N * width, M))
    price = np.zeros((N * width, M))
    multiplier = np.zeros((N * width, M))
    cap = np.full((N * width, M), np.inf)
    for n, r in enumerate(ag.members):
        for j, m in enumerate(materials):
            for k, seg in enumerate(auction.bids.get(r, {}).get(m, [])):
                share[n * width + k, j] = seg.share
                price[n * width + k, j] = seg.price_usd_per_kg or 0.0
                multiplier[n * width + k, j] = seg.price_multiplier or 0.0
                if seg.max_usd_per_kg is not None:
                    cap[n * width + k, j] = seg.max_usd_per_kg
    plan = AuctionPlan(
        auction_every_days=_runs(auction.every_days, np.int64),
        reserve_price_usd_per_kg=_runs([auction.reserve_price_usd_per_kg.get(m, 0.0) for m in materials]),
        lot_t=_runs([auction.lot_t.get(m, np.nan) for m in materials]),
        bid_share=_runs(share),
        bid_price_usd_per_kg=_runs(price),
        bid_price_multiplier=_runs(multiplier),
        bid_cap_usd_per_kg=_runs(cap),
        service_level_z=_runs(statistics.NormalDist().inv_cdf(auction.service_level) if auction.service_level else 0.0),
    )
    return plan, tuple(n for n in range(N) for _ in range(width))
