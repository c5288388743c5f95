"""Sourcing portfolios after procurement quotas: pure arithmetic on scenario data.

Layer: ground. Validation uses it to reject quotas the other suppliers cannot meet;
the plan compiler uses it for the effective sourcing shares. Suppliers are on the last
axis of the share arrays.

A quota's ``max_share_path`` (a dependency target tightening year by year) makes the
shares change on dated days: the portfolio is computed once for the caps written and
once more from each step's day on, with the caps then in force and the capacity then
built (dated capacity additions, ramped, count from the step's day).
"""

from __future__ import annotations

import numpy as np

from simulator.errors import Problem
from simulator.numeric import DAYS_PER_YEAR, Array, level_allocation
from simulator.scenario.checks import day_number
from simulator.scenario.schema import CapacityAddition, Demand, Quota, Scenario, StrategicStock

NO_DEMAND = Demand(tonnes_per_day=0.0)


class QuotaInfeasible(ValueError):
    """The other suppliers lack the capacity to take what a quota moves."""


def apply_quota(
    shares: Array,
    max_share: float | Array,
    partner_minimum: Array,
    headroom_share: Array,
) -> Array:
    """Sourcing shares after a procurement quota.

    1. Partner minimums: each partner's share is raised to its minimum; the volume
       comes from the non-partner suppliers in proportion to their shares.
    2. Cap: any share above ``max_share`` is cut to it, and the excess goes to the
       other suppliers in proportion to their room, where a supplier's room is
       ``min(max_share, headroom_share) - share`` (``headroom_share``: its spare
       capacity as a share of this region's demand; ``inf`` when not limited).

    Parameters
    ----------
    shares
        Normal sourcing shares (sum to 1), one per supplier.
    max_share
        Cap on any single supplier's share, or one cap per supplier.
    partner_minimum
        Minimum share per supplier (0 for non-partners).
    headroom_share
        Capacity limit per supplier as a share of the region's demand.

    Examples
    --------
    A 0.65 cap on a 0.85 share moves exactly 0.20 to the others by their room
    (0.65 - 0.10 and 0.65 - 0.05 here, so 0.55 : 0.60):

    >>> apply_quota(np.array([0.85, 0.10, 0.05]), 0.65, np.zeros(3), np.full(3, np.inf)).round(6)
    array([0.65    , 0.195652, 0.154348])

    A cap of 0.6 on the first supplier only moves its 0.25 excess to the others in
    proportion to their room under their capacity (0.4 - 0.10 : 0.2 - 0.05 = 2 : 1):

    >>> apply_quota(np.array([0.85, 0.10, 0.05]), np.array([0.6, 1.0, 1.0]), np.zeros(3),
    ...             np.array([np.inf, 0.4, 0.2])).round(6)
    array([0.6     , 0.266667, 0.133333])
    """
    shares = np.asarray(shares, float).copy()
    max_share = np.broadcast_to(np.asarray(max_share, float), shares.shape)
    minimum = np.asarray(partner_minimum, float)
    partners = minimum > 0
    need = np.maximum(0.0, minimum - shares) * partners
    over = partners & (minimum > np.asarray(headroom_share, float) + 1e-12)
    if over.any():
        raise QuotaInfeasible("a partner minimum exceeds the partner's capacity or it has no route here")
    if need.sum() > 0:
        donors = np.where(partners, 0.0, shares)
        if donors.sum() < need.sum() - 1e-12:
            raise QuotaInfeasible("partner minimums exceed what other suppliers supply")
        shares = shares + need - donors * (need.sum() / donors.sum())
    excess_by_supplier = np.maximum(0.0, shares - max_share)
    excess = excess_by_supplier.sum()
    if excess > 0:
        shares = shares - excess_by_supplier
        limit = np.minimum(max_share, np.asarray(headroom_share, float))
        room = np.maximum(0.0, limit - shares)
        if room.sum() < excess - 1e-12:
            raise QuotaInfeasible(f"other suppliers can take {room.sum():.3g} of the {excess:.3g} share the cap moves")
        finite_room = np.where(np.isfinite(room), room, 1.0)
        shares = shares + level_allocation(finite_room, np.zeros_like(room), room, np.array(excess))
    return shares


def _over(asked: Array, capacity: Array) -> Array:
    """Where ``asked`` exceeds ``capacity`` (t/day), beyond the last bits of a supplier written to be full."""
    return asked > capacity * (1.0 + 1e-9) + 1e-12


def within_capacity(shares: Array, demand: Array, capacity: Array, routes: Array) -> Array:
    """Sourcing shares that ask no supplier for more than its capacity, (region, material, supplier).

    Shares are the regions' normal sourcing, so they must be ones the suppliers can serve.
    Where they ask a supplier for more of a material than its ``capacity`` (``demand x
    share`` summed over the regions), each region's ask of it is cut in the same proportion
    (the supplier serves its customers pro rata), and what is cut moves to the region's
    other suppliers of the material with a route and room, in proportion to their shares
    (regions in file order, each taking the room the earlier ones left). Suppliers a region
    does not buy from take none of it: what none of its own can take stays where it was
    written, and the capacity cap then shares the supplier among its buyers day by day.
    Shares that fit (every shipped scenario's) are returned unchanged. Callers pass day-0
    demand and the capacity with every dated addition built (:func:`built_capacities`), so
    the fit does not depend on the horizon or on the day, and a supplier still building
    what its shares need keeps them (and until then ships only what it can).

    ``demand`` is (region, material) in t/day, ``capacity`` (supplier, material) in t/day
    (``inf``: not limited), ``routes`` (region, supplier).

    A supplier asked for 12 t/day with 9 t/day of capacity serves 75% of each ask; the EU
    (20 t/day, 30% from it) moves 1.5 t/day to China, Japan (10 t/day, 60%) its 1.5 t/day to
    China and Australia 3 : 1 by their shares (0.3 and 0.1):

    >>> within_capacity(np.array([[[0.7, 0.3, 0.0]], [[0.3, 0.6, 0.1]]]), np.array([[20.0], [10.0]]),
    ...                 np.array([[np.inf], [9.0], [5.0]]), np.ones((2, 3), bool)).round(6)
    array([[[0.775 , 0.225 , 0.    ]],
    <BLANKLINE>
           [[0.4125, 0.45  , 0.1375]]])
    """
    used = np.einsum("rms,rm->sm", shares, demand)
    over = _over(used, capacity)
    if not over.any():
        return shares
    shares = shares.copy()
    served = np.where(over, capacity / np.where(over, used, 1.0), 1.0)  # (supplier, material)
    used = np.minimum(used, capacity)
    for j in range(shares.shape[1]):
        for i in range(shares.shape[0]):
            cut = shares[i, j] * (1.0 - served[:, j])
            if demand[i, j] <= 0 or cut.sum() <= 0:
                continue
            room = np.where(routes[i] & ~over[:, j], capacity[:, j] - used[:, j], 0.0) / demand[i, j]
            room = np.minimum(room, cut.sum())  # none takes more than the whole cut (and no inf)
            takers = np.where(room > 0, shares[i, j], 0.0)
            moved = level_allocation(takers, np.zeros_like(takers), room, np.array(cut.sum()))
            left = 1.0 - moved.sum() / cut.sum()  # the share of the cut nothing could take
            new = shares[i, j] - cut * (1.0 - left) + moved
            used[:, j] += (new - shares[i, j]) * demand[i, j]
            shares[i, j] = new
    return shares


def capacity_notes(s: Scenario) -> list[str]:
    """One line for each supplier and material whose capacity the sourcing as written exceeds.

    What :func:`within_capacity` then did, said where the scenario sets it up (day-0 demand,
    the capacity with every dated addition built): which regions moved part of their share,
    and which kept it for lack of room elsewhere.
    """
    regions, materials, suppliers = list(s.regions), list(s.materials), list(s.suppliers)
    written, demand, capacity = normal_shares(s), day0_demand(s), built_capacities(s)
    fitted = within_capacity(written, demand, capacity, route_matrix(s))
    asked = np.einsum("rms,rm->sm", written, demand)
    notes = []
    for k, j in zip(*np.nonzero(_over(asked, capacity)), strict=True):
        buyers = [i for i in range(len(regions)) if written[i, j, k] > 0 and demand[i, j] > 0]
        moved = [i for i in buyers if fitted[i, j, k] < written[i, j, k] - 1e-12]
        kept = [regions[i] for i in buyers if i not in moved]
        parts = [f"{regions[i]} kept {fitted[i, j, k] / written[i, j, k]:.0%} of its share" for i in moved]
        what = f"{', '.join(parts)} and moved the rest to other suppliers" if parts else ""
        if kept:
            what += (
                "; " if what else ""
            ) + f"{', '.join(kept)} kept all of theirs (no other supplier of theirs has room)"
        if kept or _over(np.einsum("rs,r->s", fitted[:, j], demand[:, j])[k], capacity[k, j]):
            what += ", so the cap shares the supplier among its buyers day by day"
        notes.append(
            f"suppliers.{suppliers[k]}.capacity_t_per_day.{materials[j]}: the regions' sourcing asks "
            f"{asked[k, j]:.4g} t/day of it, more than the {max(0.0, capacity[k, j]):.4g} t/day it can ship: "
            f"{what} (sourcing_share in portfolio.csv)"
        )
    return notes


def demand_of(s: Scenario, region: str, material: str) -> Demand:
    """A region's demand for a material (none when the region does not use it)."""
    return s.regions[region].demand.get(material) or NO_DEMAND


def has_demand(scenario: Scenario, region: str, material: str) -> bool:
    """Whether ``region`` has demand for ``material``: a baseline above 0 t/day on day 0.

    Growth and surges multiply the baseline, so without it the region has no demand on
    any day: it cannot run short and has no days of cover. Figures draw no line for it,
    and the report and the run's summary table state nothing about its shortfall, cover or
    prices for the material.
    """
    spec = scenario.regions[region].demand.get(material)
    return spec is not None and spec.tonnes_per_day > 0


def normal_shares(s: Scenario) -> Array:
    """Sourcing shares as written, (region, material, supplier)."""
    return np.array(
        [
            [[s.regions[r].sourcing.get(m, {}).get(sp, 0.0) for sp in s.suppliers] for m in s.materials]
            for r in s.regions
        ]
    )


def ramp_share(days: Array, first: int, ramp_days: int) -> Array:
    """Share of a capacity addition reached on ``days``: 0 before ``first``, then linear over ``ramp_days``."""
    if ramp_days == 0:
        return (np.asarray(days) >= first) * 1.0
    return np.clip((np.asarray(days) - first + 1) / ramp_days, 0.0, 1.0)


def net_import_shares(s: Scenario) -> Array:
    """Share of each region's normal sourcing from suppliers outside it, (region, material).

    A supplier whose ``home_region`` is the region is domestic supply; the model has no
    exports, so this share of baseline demand is the region's net imports.
    """
    home = np.array([[s.suppliers[sp].home_region == r for sp in s.suppliers] for r in s.regions])  # (R, S)
    shares = normal_shares(s)  # (R, M, S)
    return np.where(home[:, None, :], 0.0, shares).sum(axis=-1)


def _addition_share(s: Scenario, addition: CapacityAddition, day: int) -> float:
    first = day_number(addition.start, s.start_date)
    assert first is not None  # checked: a date needs the scenario's start date
    return float(ramp_share(np.array(day), first, addition.ramp_days))


def capacities(s: Scenario, day: int | None = None) -> Array:
    """Export capacity per supplier and material (t/day, infinite when not stated), (supplier, material).

    With ``day``, dated capacity additions reached by that day are included.
    """
    materials = list(s.materials)
    stated = np.array([[s.suppliers[sp].capacity_t_per_day.get(m, np.inf) for m in materials] for sp in s.suppliers])
    if day is None:
        return stated
    for k, sp in enumerate(s.suppliers):
        for addition in s.suppliers[sp].capacity_additions:
            stated[k, materials.index(addition.material)] += addition.capacity_t_per_day * _addition_share(
                s, addition, day
            )
    return stated


def built_capacities(s: Scenario) -> Array:
    """Capacity per supplier and material with every dated addition built in full (t/day), (supplier, material).

    What a supplier can ship once its projects are complete, whatever the run's horizon.
    """
    stated = capacities(s)
    materials = list(s.materials)
    for k, sp in enumerate(s.suppliers):
        for addition in s.suppliers[sp].capacity_additions:
            stated[k, materials.index(addition.material)] += addition.capacity_t_per_day
    return stated


def route_matrix(s: Scenario) -> Array:
    """Whether each supplier has a lead time (a route) to each region, (region, supplier) bool."""
    return np.array([[r in s.suppliers[sp].lead_time_days for sp in s.suppliers] for r in s.regions])


def day0_demand(s: Scenario) -> Array:
    """Baseline demand on day 0 (t/day), (region, material)."""
    return np.array([[demand_of(s, r, m).tonnes_per_day for m in s.materials] for r in s.regions])


def share_step_days(s: Scenario) -> list[int]:
    """The days on which some quota's ``max_share_path`` changes the portfolio, in order."""
    days = {
        day_number(step.start, s.start_date)
        for region in s.regions.values()
        for quota in region.procurement.quota.values()
        for step in quota.max_share_path
    }
    return sorted(day for day in days if day is not None)


def _caps(s: Scenario, quota: Quota, day: int | None, suppliers: list[str]) -> tuple[Array, int | None]:
    """Each supplier's cap on ``day`` (None: the caps written), and the index of the step in force."""
    caps = np.full(len(suppliers), quota.max_share_per_supplier)
    in_force = None
    for k, step in enumerate(quota.max_share_path):
        first = day_number(step.start, s.start_date)
        if day is not None and first is not None and first <= day:
            in_force = k
    if in_force is not None:
        step = quota.max_share_path[in_force]
        named = step.suppliers if step.suppliers is not None else suppliers
        caps = np.array([step.max_share if sp in named else cap for sp, cap in zip(suppliers, caps, strict=True)])
    return caps, in_force


def quota_shares(s: Scenario, day: int | None = None) -> tuple[Array, Array, list[Problem]]:
    """Effective shares after quotas, the premium per tonne shipped (fraction of price), and problems.

    Shares and premiums are (region, material, supplier). The shares as written are first
    fitted to the suppliers' capacity with every dated addition built (:func:`within_capacity`;
    no premium on what that moves). Capacity taken by earlier regions (in file order) is
    not available to later ones. A quota that cannot be met is a problem (and leaves that
    region's shares as written). Without ``day`` the caps
    are those written (``max_share_per_supplier``) and capacity that built by day 0; with
    ``day``, the caps of the ``max_share_path`` steps in force that day, the capacity
    built by then and the baseline demand of that day.
    """
    regions, materials, suppliers = list(s.regions), list(s.materials), list(s.suppliers)
    base = normal_shares(s)
    demand = day0_demand(s)
    if day is not None:
        growth = np.array([[demand_of(s, r, m).growth_per_year for m in materials] for r in regions])
        demand = demand * np.power(1.0 + growth, day / DAYS_PER_YEAR)
    capacity = capacities(s, 0 if day is None else day)  # what is built by day 0 serves from day 0
    routes = route_matrix(s)
    base = within_capacity(base, day0_demand(s), built_capacities(s), routes)  # the same on every step
    shares = base.copy()
    premium = np.zeros_like(base)
    used = np.einsum("rms,rm->sm", base, demand)
    problems: list[Problem] = []
    for i, r in enumerate(regions):
        for j, m in enumerate(materials):
            quota = s.regions[r].procurement.quota.get(m)
            if quota is None or demand[i, j] <= 0:
                continue
            minimum = np.array([quota.partner_minimum.get(sp, 0.0) for sp in suppliers])
            spare = capacity[:, j] - used[:, j] + base[i, j] * demand[i, j]
            headroom = np.where(np.isfinite(spare), spare / demand[i, j], np.inf)
            # a supplier without a lead time to this region cannot take volume here
            headroom = np.where(routes[i], headroom, 0.0)
            caps, step = _caps(s, quota, day, suppliers)
            try:
                new = apply_quota(base[i, j], caps, minimum, headroom)
            except QuotaInfeasible as exc:
                path = f"regions.{r}.procurement.quota.{m}"
                problems.append(Problem(path if step is None else f"{path}.max_share_path.{step}", str(exc)))
                continue
            used[:, j] += (new - base[i, j]) * demand[i, j]
            moved = np.maximum(0.0, new - base[i, j])
            with np.errstate(divide="ignore", invalid="ignore"):
                premium[i, j] = np.where(new > 0, moved / new, 0.0) * quota.premium
            shares[i, j] = new
    return shares, premium, problems


def check_quotas(s: Scenario) -> list[Problem]:
    """Every quota the other suppliers cannot meet, before and at each dated step (empty when all are feasible)."""
    if not any(region.procurement.quota for region in s.regions.values()):
        return []
    problems = quota_shares(s)[2]
    for day in share_step_days(s):
        problems += [p for p in quota_shares(s, day)[2] if p not in problems]
    return problems


def check_benchmarks(s: Scenario) -> list[Problem]:
    """Strategic stock sized in days of net imports where the holder has no net imports to base it on."""
    net_imports = np.array([[demand_of(s, r, m).tonnes_per_day for m in s.materials] for r in s.regions])
    net_imports = net_imports * net_import_shares(s)
    regions, materials = list(s.regions), list(s.materials)
    sized: list[tuple[str, str, str, StrategicStock]] = [
        (f"regions.{r}.reserve.{m}", r, m, stock) for r in regions for m, stock in s.regions[r].reserve.items()
    ]
    if s.agreement is not None:
        sized += [
            (f"agreement.pool.contributions.{r}.{m}", r, m, stock)
            for r, per in s.agreement.pool.contributions.items()
            for m, stock in per.items()
        ]
    problems = []
    for path, region, material, stock in sized:
        if getattr(stock, "net_import_days", None) is None or region not in regions or material not in materials:
            continue
        if net_imports[regions.index(region), materials.index(material)] <= 0:
            problems.append(Problem(f"{path}.net_import_days", _no_net_imports(s, region, material, stock)))
    return problems


def _no_net_imports(s: Scenario, region: str, material: str, stock: StrategicStock) -> str:
    """Why a benchmark of no net imports is refused, and the form of stock to give instead.

    Without demand, ``days`` would be 0 t as well (refused in the same style by the checks), so
    only ``tonnes`` is advised; with demand all met at home, ``days`` of consumption still work.
    """
    lead = f"'{region}' has no net imports of '{material}' to base the benchmark on"
    if not has_demand(s, region, material):
        return (
            f"{lead}: no demand for it (0 t/day on day 0), so {stock.net_import_days:g} days of net imports "
            "would be 0 t; give 'tonnes' instead"
        )
    return f"{lead} (all its supply comes from suppliers whose home_region it is); give 'tonnes' or 'days' instead"
