"""Compile a validated scenario into dense arrays that both engines read.

A :class:`Plan` holds everything about a scenario that does not depend on the run's
random draws: index orders, baseline demand per day, effective sourcing shares after
quotas, lead times, stocks in tonnes, policy switches and the shock definitions.
Arrays are stored with a leading *batch* axis of length 1 so that plans of several
runs with the same structure stack into one batch (:func:`stack_plans`).

Index orders follow the scenario file: regions, materials and suppliers in the order
written, members in the agreement's order, shocks in list order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from simulator.errors import Problem, ScenarioError
from simulator.procurement import QuotaInfeasible, apply_quota
from simulator.scenario.checks import day_number
from simulator.scenario.schema import (
    RANDOM_TYPES,
    Agreement,
    Delay,
    Demand,
    DemandSurge,
    Embargo,
    QuotaCut,
    Scenario,
    Stock,
)

DAYS_PER_YEAR = 365.0
NOISE_SOURCE = "noise"
"""Name of the random stream of every demand's noise (see :mod:`simulator.randomness`)."""


@dataclass(frozen=True)
class ShockPlan:
    """One shock: its kind, what it touches and its (possibly random) parameters."""

    id: str
    kind: str
    mask: np.ndarray
    """Routes touched, shape (S, R, M) for supply shocks; (R, M) for demand surges."""
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
    """Member index of each bid segment column (auction)."""

    @property
    def member_names(self) -> list[str]:
        """Names of the agreement's members, in the agreement's order."""
        return [self.regions[i] for i in self.members]


@dataclass(frozen=True)
class Plan:
    """A compiled scenario: structure plus named arrays (leading batch axis)."""

    structure: Structure
    arrays: dict[str, np.ndarray]
    shocks: tuple[ShockPlan, ...]
    start_date: dt.date | None = None
    name: str = ""
    random_sources: tuple[str, ...] = field(default_factory=tuple)

    def __getattr__(self, key: str) -> np.ndarray:
        try:
            return self.__dict__["arrays"][key]
        except KeyError:
            raise AttributeError(key) from None

    @property
    def batch(self) -> int:
        """Number of runs stacked in this plan."""
        return len(next(iter(self.arrays.values())))


def stack_plans(plans: list[Plan]) -> Plan:
    """One plan whose batch holds every run of ``plans`` (same structure required)."""
    first = plans[0]
    distinct: dict[int, int] = {}
    for plan in plans:
        distinct.setdefault(id(plan), len(distinct))
    unique = {id(plan): plan for plan in plans}
    if any(p.structure != first.structure for p in unique.values()):
        raise ValueError("plans of different structure cannot share a batch")
    rows = np.array([distinct[id(plan)] for plan in plans])
    ordered = list(unique.values())
    arrays = {}
    for key, template in first.arrays.items():
        if all(np.array_equal(p.arrays[key], template) for p in ordered[1:]):
            # the same for every run: a read-only view, no copy per run
            arrays[key] = np.broadcast_to(template, (len(plans), *template.shape[1:]))
        else:
            arrays[key] = np.concatenate([p.arrays[key] for p in ordered])[rows]
    return replace(first, arrays=arrays)


def _stock_tonnes(stock: Stock | None, demand_t_per_day: float) -> float:
    if stock is None:
        return 0.0
    return stock.tonnes if stock.tonnes is not None else stock.days * demand_t_per_day


def _day(spec: Any, start: dt.date | None) -> Any:
    if isinstance(spec, RANDOM_TYPES) or spec is None:
        return spec
    return day_number(spec, start)


def compile_plan(s: Scenario) -> Plan:
    """Dense arrays of a scenario (raises :class:`ScenarioError` for infeasible quotas)."""
    regions, materials, suppliers = list(s.regions), list(s.materials), list(s.suppliers)
    R, M = len(regions), len(materials)
    a: dict[str, np.ndarray] = {}
    demand0 = np.array([[_d(s, r, m).tonnes_per_day for m in materials] for r in regions])
    growth = np.array([[_d(s, r, m).growth_per_year for m in materials] for r in regions])
    a["noise_cv"] = np.array([[_d(s, r, m).noise_cv for m in materials] for r in regions])
    lead = np.array([[s.suppliers[sp].lead_time_days.get(r, 1) for r in regions] for sp in suppliers])
    a["lead_days"] = lead  # 1 where a supplier has no route to a region (never shipped: see "routes")
    a["routes"] = np.array([[r in s.suppliers[sp].lead_time_days for r in regions] for sp in suppliers])
    shocks = tuple(_shock_plan(s, sh, regions, materials, suppliers) for sh in s.shocks)
    fixed_extra = [
        int(sh.magnitude) for sh in shocks if sh.kind == "delay" and not isinstance(sh.magnitude, RANDOM_TYPES)
    ]
    first_day = -int(lead.max() + sum(fixed_extra))  # overlapping delays add up
    days = np.arange(first_day, s.horizon_days)
    a["baseline"] = demand0[None] * np.power(1.0 + growth[None], days[:, None, None] / DAYS_PER_YEAR)
    base_shares = np.array(
        [[[s.regions[r].sourcing.get(m, {}).get(sp, 0.0) for sp in suppliers] for m in materials] for r in regions]
    )
    capacity = np.array([[s.suppliers[sp].capacity_t_per_day.get(m, np.inf) for m in materials] for sp in suppliers])
    a["capacity"] = capacity
    shares, premium_fraction = _quota_shares(s, base_shares, demand0, capacity)
    a["shares"], a["premium_fraction"], a["base_shares"] = shares, premium_fraction, base_shares
    a["commercial0"] = np.array(
        [
            [_stock_tonnes(s.regions[r].commercial_stock.get(m), demand0[i, j]) for j, m in enumerate(materials)]
            for i, r in enumerate(regions)
        ]
    )
    a["national0"] = np.array(
        [
            [_stock_tonnes(s.regions[r].reserve.get(m), demand0[i, j]) for j, m in enumerate(materials)]
            for i, r in enumerate(regions)
        ]
    )
    target = a["national0"].copy()
    refill = np.zeros((R, M))
    for i, r in enumerate(regions):
        for j, m in enumerate(materials):
            res = s.regions[r].reserve.get(m)
            if res is not None:
                refill[i, j] = res.refill_t_per_day
                if res.target_days is not None:
                    target[i, j] = res.target_days * demand0[i, j]
    a["national_target"], a["refill_rate"] = target, refill
    proc = [s.regions[r].procurement for r in regions]
    a["order_up_to"] = np.array([p.replenishment.policy == "order_up_to" for p in proc])
    a["review_days"] = np.array([p.replenishment.review_days for p in proc])
    a["safety_days"] = np.array([p.replenishment.safety_days for p in proc], float)
    a["resourcing_on"] = np.array([p.resourcing is not None for p in proc])
    a["reaction_days"] = np.array([p.resourcing.reaction_days if p.resourcing else 0 for p in proc])
    a["spot_multiplier"] = np.array([p.resourcing.price_multiplier if p.resourcing else 1.0 for p in proc])
    a["price"] = np.array([s.materials[m].price_usd_per_kg or 0.0 for m in materials])
    a["holding_cost"] = np.array([s.materials[m].holding_cost_usd_per_t_year for m in materials])
    members: tuple[int, ...] = ()
    mechanism = pool_mode = order = pricing = None
    strict = False
    bid_owners: tuple[int, ...] = ()
    if s.agreement is not None:
        members = tuple(regions.index(r) for r in s.agreement.members)
        ag = s.agreement
        mechanism, pool_mode, order, strict = ag.mechanism, ag.pool.mode, ag.order, ag.strict
        pricing = ag.auction.pricing if ag.auction else None
        bid_owners = _agreement_arrays(s, ag, regions, materials, demand0, a)
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
    noise = (NOISE_SOURCE,) if (a["noise_cv"] > 0).any() else ()
    sources = noise + tuple(sh.source for sh in shocks if sh.is_random)
    batched = {k: np.asarray(v)[None] for k, v in a.items()}
    return Plan(structure, batched, shocks, s.start_date, s.name, sources)


NO_DEMAND = Demand(tonnes_per_day=0.0)


def _d(s: Scenario, region: str, material: str) -> Demand:
    """A region's demand for a material (none when the region does not use it)."""
    return s.regions[region].demand.get(material) or NO_DEMAND


def check_quotas(s: Scenario) -> None:
    """Raise :class:`ScenarioError` when a quota cannot be met (other suppliers lack capacity).

    Part of validation: a scenario that fails here is rejected by ``stockpile validate``.
    """
    if not any(region.procurement.quota for region in s.regions.values()):
        return
    regions, materials, suppliers = list(s.regions), list(s.materials), list(s.suppliers)
    demand0 = np.array([[_d(s, r, m).tonnes_per_day for m in materials] for r in regions])
    base = np.array(
        [[[s.regions[r].sourcing.get(m, {}).get(sp, 0.0) for sp in suppliers] for m in materials] for r in regions]
    )
    capacity = np.array([[s.suppliers[sp].capacity_t_per_day.get(m, np.inf) for m in materials] for sp in suppliers])
    _quota_shares(s, base, demand0, capacity)


def _quota_shares(
    s: Scenario, base: np.ndarray, demand0: np.ndarray, capacity: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Effective shares after quotas, and the premium per tonne shipped (fraction of price).

    Capacity taken by earlier regions (in file order) is not available to later ones.
    """
    regions, materials, suppliers = list(s.regions), list(s.materials), list(s.suppliers)
    shares = base.copy()
    premium = np.zeros_like(base)
    used = np.einsum("rms,rm->sm", base, demand0)
    problems: list[Problem] = []
    for i, r in enumerate(regions):
        for j, m in enumerate(materials):
            quota = s.regions[r].procurement.quota.get(m)
            if quota is None or demand0[i, j] <= 0:
                continue
            minimum = np.array([quota.partner_minimum.get(sp, 0.0) for sp in suppliers])
            spare = capacity[:, j] - used[:, j] + base[i, j] * demand0[i, j]
            headroom = np.where(np.isfinite(spare), spare / demand0[i, j], np.inf)
            # a supplier without a lead time to this region cannot take volume here
            routes = np.array([r in s.suppliers[sp].lead_time_days for sp in suppliers])
            headroom = np.where(routes, headroom, 0.0)
            try:
                new = apply_quota(base[i, j], quota.max_share_per_supplier, minimum, headroom)
            except QuotaInfeasible as exc:
                problems.append(Problem(f"regions.{r}.procurement.quota.{m}", str(exc)))
                continue
            used[:, j] += (new - base[i, j]) * demand0[i, j]
            moved = np.maximum(0.0, new - base[i, j])
            with np.errstate(divide="ignore", invalid="ignore"):
                premium[i, j] = np.where(new > 0, moved / new, 0.0) * quota.premium
            shares[i, j] = new
    if problems:
        raise ScenarioError(problems)
    return shares, premium


def _mask(
    sup: list[str], reg: list[str], mat: list[str], supplier: str | None, regions: Any, materials: Any
) -> np.ndarray:
    S, R, M = len(sup), len(reg), len(mat)
    mask = np.zeros((S, R, M), bool)
    s_idx = [sup.index(supplier)] if supplier else range(S)
    r_idx = [reg.index(r) for r in regions] if regions else range(R)
    m_idx = [mat.index(m) for m in materials] if materials else range(M)
    for si in s_idx:
        for ri in r_idx:
            for mi in m_idx:
                mask[si, ri, mi] = True
    return mask


def _shock_plan(s: Scenario, sh: Any, regions: list[str], materials: list[str], suppliers: list[str]) -> ShockPlan:
    kind = sh.kind
    if isinstance(sh, DemandSurge):
        mask = _mask(["x"], regions, materials, None, sh.regions, sh.materials)[0]
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
        against = mask.any(axis=(0, 1))
    return ShockPlan(
        id=sh.id,
        kind=kind,
        mask=mask,
        start=_day(sh.start, s.start_date),
        end=_day(sh.end, s.start_date),
        duration=sh.duration_days,
        magnitude=magnitude,
        against_members=against,
    )


def _agreement_arrays(
    s: Scenario,
    ag: Agreement,
    regions: list[str],
    materials: list[str],
    demand0: np.ndarray,
    a: dict[str, np.ndarray],
) -> tuple[int, ...]:
    """Agreement parameters into ``a``; returns the member index of each bid column."""
    members = [regions.index(r) for r in ag.members]
    N, M = len(members), len(materials)
    a["ratio"] = np.array([ag.ratio.get(r, 0.0) for r in ag.members])
    contributions = np.zeros((N, M))
    for n, r in enumerate(ag.members):
        for j, m in enumerate(materials):
            contributions[n, j] = _stock_tonnes(ag.pool.contributions.get(r, {}).get(m), demand0[members[n], j])
    pool0 = contributions.sum(axis=0)
    a["pool0"] = pool0
    with np.errstate(divide="ignore", invalid="ignore"):
        a["ownership"] = np.where(pool0 > 0, contributions / pool0, 0.0)
    a["pool_refill_rate"] = np.array([ag.pool.refill_t_per_day.get(m, 0.0) for m in materials])
    location = ag.pool.location or ag.members[0]
    a["pool_location"] = np.array(regions.index(location))
    a["release_cap"] = np.array([ag.release_cap_t_per_day.get(m, np.inf) for m in materials])
    a["lendable_share"] = np.array(ag.pool.lendable_share)
    a["donor_floor_days"] = np.array(ag.pool.donor_floor_days)
    a["trigger_days"] = np.array(ag.trigger.commercial_days_below)
    a["standdown_days"] = np.array(ag.trigger.standdown_days)
    a["lag_days"] = np.array(ag.decision_lag_days + ag.delivery_days)
    ess = ag.iea_ess
    a["ess_restraint"] = np.array(ess.restraint)
    a["ess_trigger"] = np.array(ess.trigger_loss_share)
    if ess.commitments:
        commitments = np.array([[ess.commitments.get(r, 0.0)] * M for r in ag.members])
    elif ag.pool.mode == "joint":
        commitments = contributions
    else:
        commitments = a["national0"][members]
    a["ess_commitments"] = np.asarray(commitments, float)
    auction = ag.auction
    owners: list[int] = []
    if auction is not None:
        a["auction_every"] = np.array(auction.every_days)
        a["reserve_price"] = np.array([auction.reserve_price_usd_per_kg.get(m, 0.0) for m in materials])
        a["lot"] = np.array([auction.lot_t.get(m, np.nan) for m in materials])
        width = max((len(segs) for per in auction.bids.values() for segs in per.values()), default=0)
        share = np.zeros((M, N * width))
        price = np.zeros((M, N * width))
        for n, r in enumerate(ag.members):
            for j, m in enumerate(materials):
                for k, seg in enumerate(auction.bids.get(r, {}).get(m, [])):
                    share[j, n * width + k] = seg.share
                    price[j, n * width + k] = seg.price_usd_per_kg
        a["bid_share"], a["bid_price"] = share, price
        owners = [n for n in range(N) for _ in range(width)]
    return tuple(owners)
