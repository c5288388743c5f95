"""Tier-2 validation: cross-references and sums that a field-by-field schema cannot see.

Layer: ground.

Each check appends :class:`Problem` records instead of raising, so that a user sees
every problem of a file at once. A broken reference is always an error, never a
warning.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from simulator.errors import Problem, known_hint
from simulator.mechanisms import BY_NAME
from simulator.scenario.schema import (
    MAX_TRANSIT_DAYS,
    PARAMETERS,
    RANDOM_TYPES,
    RESERVED_IDS,
    Agreement,
    Delay,
    Model,
    Pool,
    Scenario,
    ShareStep,
    ShockBase,
    StrategicStock,
)
from simulator.scenario.uncertain import check_uncertain

SUM_TOLERANCE = 1e-9
"""How far shares that must sum to 1 (sourcing shares, ratios) may sum from it: float noise, not rounding."""
ROUNDING_GAP_LIMIT = 0.05
"""The largest gap from 1 that a sum of shares is told how to close: a larger one is a mistake, not rounding."""
MAX_RESULT_ROWS = 500_000
"""Most rows of a run's daily table: horizon days x regions x materials (about 0.5 GB
of memory at the limit)."""
MAX_SUPPLY_ROWS = 2_000_000
"""Most rows of a run's arrivals by supplier: horizon days x regions x materials x suppliers."""


@dataclass(frozen=True)
class UnknownName(Problem):
    """A reference to a ``kind`` (material, supplier, region) named ``name`` that the scenario does not define."""

    kind: str = ""
    name: str = ""


def _ref(problems: list[Problem], path: str, kind: str, name: str, known: Iterable[str]) -> bool:
    """Record an unknown reference (an :class:`UnknownName`); return True when the name is known."""
    known = list(known)
    if name in known:
        return True
    problems.append(UnknownName(path, f"unknown {kind} '{name}' {known_hint(name, known)}", kind, name))
    return False


NAMED = {
    "regions": "region",
    "members": "region",
    "preference": "region",
    "materials": "material",
    "suppliers": "supplier",
}
"""List fields of names, by field name: what each item names (a key of the scenario's mapping of that plural)."""


def all_names(model: type[Model], name: str) -> str:
    """How to name every one in ``model``'s list of names ``name``: leave the key out, or list every one.

    A list that is left out by default means all (:func:`simulator.plan._mask`); a required one does not.

    >>> from simulator.scenario.schema import Embargo
    >>> all_names(Delay, "regions"), all_names(Embargo, "regions")
    ('leave the key out for all regions', 'list every one for all regions')
    """
    kind = NAMED[name]
    if model.model_fields[name].default is None:  # (simulator.plan._mask: none is every one)
        return f"leave the key out for all {kind}s"
    return f"list every one for all {kind}s"


def _refs(problems: list[Problem], path: str, kind: str, item: Model, field: str, known: Iterable[str]) -> None:
    """Record the unknown names in ``item``'s list ``field`` (at ``path``), each a ``kind`` of ``known``.

    ``[all]`` is told how to name every one: leave the key out, or list every one (as ``regions: all`` is).
    """
    known = list(known)
    for j, name in enumerate(getattr(item, field, None) or []):
        if name == "all" and name not in known:
            message = f"unknown {kind} 'all' (known: {', '.join(sorted(known))}); {all_names(type(item), field)}"
            problems.append(Problem(f"{path}.{j}", message))
        else:
            _ref(problems, f"{path}.{j}", kind, name, known)


def check_scenario(s: Scenario) -> list[Problem]:
    """Every cross-reference problem of a validated scenario (empty when consistent)."""
    problems: list[Problem] = []
    for kind, ids in (("material", s.materials), ("supplier", s.suppliers), ("region", s.regions)):
        for name in ids:
            if name in RESERVED_IDS:
                problems.append(Problem(f"{kind}s.{name}", f"'{name}' is reserved"))
    _check_size(s, problems)
    _check_suppliers(s, problems)
    _check_regions(s, problems)
    _check_shocks(s, problems)
    _check_markets(s, problems)
    if s.agreement is not None:
        _check_agreement(s, s.agreement, problems)
        problems = grouped_unlisted(problems)
    problems = misspelt_definitions(s, problems)
    problems += check_uncertain(s)
    return problems


def misspelt_definitions(s: Scenario, problems: list[Problem]) -> list[Problem]:
    """``problems`` with the references to a name that a misspelt definition meant said once, at the definition.

    ``chna:`` under ``suppliers`` makes every reference to ``china`` unknown, each told "did you mean
    'chna'?": the wrong side. Where an unknown name (:class:`UnknownName`) is referred to twice or more,
    and its closest defined name is the closest to no other unknown name and is never referred to, its
    references are one problem at that definition, which asks whether the definition is the misspelt
    one. A name referred to once stays at its reference: that one reference is as likely the misspelt one.
    """
    unknown = [(problem.kind, problem.name) for problem in problems if _unknown(problem)]
    closest = {key: _closest(s, *key) for key in unknown}
    targets = [(kind, defined) for (kind, _), defined in closest.items() if defined is not None]
    at_definition: dict[tuple[str, str], Problem] = {}
    for (kind, name), defined in closest.items():
        if (
            defined is None
            or unknown.count((kind, name)) < 2
            or targets.count((kind, defined)) > 1
            or _referred_to(s, kind, defined)
        ):
            continue
        known = ", ".join(sorted(getattr(s, f"{kind}s")))
        message = (
            f"unknown {kind} '{name}' (known: {known}); the {kind} defined as '{defined}' is never referred to: "
            f"is '{defined}' the misspelt one?"
        )
        at_definition[kind, name] = Problem(f"{kind}s.{defined}", message)
    kept = []
    for problem in problems:
        key = (problem.kind, problem.name) if _unknown(problem) else None
        if key not in at_definition:
            kept.append(problem)
        elif at_definition[key] not in kept:  # (said once, where its first reference was)
            kept.append(at_definition[key])
    return kept


def _unknown(problem: Problem) -> typing.TypeGuard[UnknownName]:
    """Whether ``problem`` is an unknown reference (:func:`_ref`) other than to ``all`` (which :func:`_refs` tells)."""
    return isinstance(problem, UnknownName) and problem.name != "all"


def _closest(s: Scenario, kind: str, name: str) -> str | None:
    """The defined ``kind`` closest to ``name`` by spelling, if any is close."""
    close = difflib.get_close_matches(name, sorted(getattr(s, f"{kind}s")), n=1)
    return close[0] if close else None


def _referred_to(s: Scenario, kind: str, name: str) -> bool:
    """Whether the scenario names the defined ``kind`` ``name`` anywhere but in its definition's key.

    Any text equal to it counts (or a dotted part of one: a path of ``uncertain``), whatever its field:
    a name shared by another kind, or a shock's id, makes a misspelt definition's hint wait.
    """
    data = s.model_dump()
    data[f"{kind}s"] = list(data[f"{kind}s"].values())
    return _names(data, name)


def _names(data: object, name: str) -> bool:
    """Whether ``name`` is a key or a text value in ``data``, or a dotted part of one."""
    if isinstance(data, dict):
        return any(_names(key, name) or _names(value, name) for key, value in data.items())
    if isinstance(data, list | tuple):
        return any(_names(value, name) for value in data)
    return isinstance(data, str) and name in data.split(".")


def reference_price(s: Scenario, material: str) -> float | None:
    """A market's reference price: its own, else the material's price (None when neither is given)."""
    market = s.market.get(material)
    if market is not None and market.reference_price_usd_per_kg is not None:
        return market.reference_price_usd_per_kg
    spec = s.materials.get(material)
    return spec.price_usd_per_kg if spec is not None and spec.price_usd_per_kg else None


def price_bounds(s: Scenario, material: str) -> tuple[float, float]:
    """A market's price floor and cap (USD/kg), with their defaults (a tenth and 100 times the reference)."""
    price = s.market[material].price
    reference = reference_price(s, material) or 0.0
    floor = price.floor_usd_per_kg if price.floor_usd_per_kg is not None else reference / 10.0
    cap = price.cap_usd_per_kg if price.cap_usd_per_kg is not None else reference * 100.0
    return floor, cap


def _check_markets(s: Scenario, problems: list[Problem]) -> None:
    for mid, market in s.market.items():
        base = f"market.{mid}"
        if not _ref(problems, base, "material", mid, s.materials):
            continue
        reference = reference_price(s, mid)
        if reference is None:
            problems.append(
                Problem(
                    f"{base}.reference_price_usd_per_kg",
                    f"a market needs a price: give this or materials.{mid}.price_usd_per_kg",
                )
            )
            continue
        floor, cap = price_bounds(s, mid)
        if not floor < reference < cap:
            problems.append(
                Problem(
                    f"{base}.price",
                    f"the reference price {reference:g} USD/kg must lie strictly between the floor {floor:g} "
                    f"and the cap {cap:g}",
                )
            )
        demand = market.demand
        if demand is not None and demand.substitution is not None:
            sub = demand.substitution
            if sub.permanent_share > 0 and sub.max_share == 0:
                problems.append(
                    Problem(
                        f"{base}.demand.substitution.permanent_share",
                        "a permanent share of no substitution (max_share is 0)",
                    )
                )
            if demand.floor_share + sub.max_share > 1 + SUM_TOLERANCE and demand.floor_share > 0:
                problems.append(
                    Problem(
                        f"{base}.demand.floor_share",
                        "floor_share + substitution max_share exceed 1: the floor could never hold",
                    )
                )
        if market.stocking is not None:
            for rid in market.stocking.normal_cover_days:
                _ref(problems, f"{base}.stocking.normal_cover_days.{rid}", "region", rid, s.regions)
        for i, response in enumerate(market.supply_response):
            path = f"{base}.supply_response.{i}.supplier"
            if not _ref(problems, path, "supplier", response.supplier, s.suppliers):
                continue
            buyers = [r for r in s.suppliers[response.supplier].lead_time_days if r in s.regions]
            usable = any(
                s.regions[r].sourcing.get(mid, {}).get(response.supplier, 0) > 0 or s.regions[r].procurement.resourcing
                for r in buyers
            )
            if not usable:
                problems.append(
                    Problem(
                        path,
                        f"no region can buy {mid} from '{response.supplier}' (none sources it there or re-sources "
                        "to spare capacity): the capacity would never be used",
                    )
                )


def _largest(spec: object) -> float:
    """A fixed number, or the largest parameter of a distribution."""
    if isinstance(spec, RANDOM_TYPES):
        return max(float(getattr(spec, name)) for name in PARAMETERS if hasattr(spec, name))
    return float(spec)  # type: ignore[arg-type]


def _check_size(s: Scenario, problems: list[Problem]) -> None:
    """Refuse a run too large for memory before any work, with the limit it exceeds."""
    shape = f"{s.horizon_days:,} days x {len(s.regions)} region(s) x {len(s.materials)} material(s)"
    rows = s.horizon_days * len(s.regions) * len(s.materials)
    if rows > MAX_RESULT_ROWS:
        message = f"{shape} = {rows:,} rows of daily results; at most {MAX_RESULT_ROWS:,}"
        problems.append(Problem("horizon_days", message))
    elif rows * len(s.suppliers) > MAX_SUPPLY_ROWS:
        message = (
            f"{shape} x {len(s.suppliers)} supplier(s) = {rows * len(s.suppliers):,} rows of arrivals by supplier;"
            f" at most {MAX_SUPPLY_ROWS:,}"
        )
        problems.append(Problem("horizon_days", message))
    lead = max((days for sup in s.suppliers.values() for days in sup.lead_time_days.values()), default=0)
    extra = sum(_largest(shock.extra_days) for shock in s.shocks if isinstance(shock, Delay))
    if lead + extra > MAX_TRANSIT_DAYS:
        message = (
            f"the longest time in transit, {lead:,} days of lead time + {extra:,.0f} extra days of delays"
            f" (which add up when they overlap), is more than {MAX_TRANSIT_DAYS:,} days"
        )
        problems.append(Problem("shocks", message))


def _check_suppliers(s: Scenario, problems: list[Problem]) -> None:
    for sid, sup in s.suppliers.items():
        for rid in sup.lead_time_days:
            _ref(problems, f"suppliers.{sid}.lead_time_days.{rid}", "region", rid, s.regions)
        if sup.home_region is not None:
            _ref(problems, f"suppliers.{sid}.home_region", "region", sup.home_region, s.regions)
        for mid in sup.capacity_t_per_day:
            _ref(problems, f"suppliers.{sid}.capacity_t_per_day.{mid}", "material", mid, s.materials)
        for i, addition in enumerate(sup.capacity_additions):
            path = f"suppliers.{sid}.capacity_additions.{i}"
            _ref(problems, f"{path}.material", "material", addition.material, s.materials)
            _check_day(s, f"{path}.start", addition.start, problems)


def _check_regions(s: Scenario, problems: list[Problem]) -> None:
    _check_reserve_release(s, problems)
    for rid, reg in s.regions.items():
        base = f"regions.{rid}"
        for field in ("demand", "commercial_stock", "reserve", "sourcing"):
            for mid in getattr(reg, field):
                _ref(problems, f"{base}.{field}.{mid}", "material", mid, s.materials)
        for mid, dem in reg.demand.items():
            if dem.tonnes_per_day > 0 and mid not in reg.sourcing and mid in s.materials:
                problems.append(Problem(f"{base}.sourcing.{mid}", "missing: a material with demand needs sourcing"))
        for mid, shares in reg.sourcing.items():
            path = f"{base}.sourcing.{mid}"
            for sid in shares:
                known = _ref(problems, f"{path}.{sid}", "supplier", sid, s.suppliers)
                if known and rid not in s.suppliers[sid].lead_time_days:
                    problems.append(
                        Problem(
                            f"suppliers.{sid}.lead_time_days",
                            f"missing lead time to region '{rid}', which sources {mid} from it",
                        )
                    )
            if (message := not_summing_to_one("shares", shares)) is not None:
                problems.append(Problem(path, message))
        for mid, quota in reg.procurement.quota.items():
            path = f"{base}.procurement.quota.{mid}"
            _ref(problems, path, "material", mid, s.materials)
            for sid in quota.partner_minimum:
                _ref(problems, f"{path}.partner_minimum.{sid}", "supplier", sid, s.suppliers)
            if sum(quota.partner_minimum.values()) > 1 + SUM_TOLERANCE:
                problems.append(Problem(f"{path}.partner_minimum", "minimum shares sum to more than 1"))
            _check_share_path(s, f"{path}.max_share_path", quota.max_share_path, problems)


def not_summing_to_one(what: str, shares: Mapping[str, float]) -> str | None:
    """Why ``shares`` (fractions by name, as written) do not sum to 1 within :data:`SUM_TOLERANCE`; None when they do.

    ``what`` names them (``ratios``, ``shares``). Where the gap is one that rounding the values as written can leave
    (:func:`_rounding_fix`), the message says the tolerance and the value that closes it; else the sum and the gap.

    >>> print(not_summing_to_one("ratios", {"a": 0.3333, "b": 0.3333, "c": 0.3333}))  # doctest: +NORMALIZE_WHITESPACE
    ratios must sum to 1 within 1e-09 (they sum to 0.9999, 0.0001 short, as rounded values can): write 0.3334 for one
    of them
    >>> not_summing_to_one("ratios", {"japan": 0.6, "eu": 0.3, "korea": 0.2})
    'ratios must sum to 1 (they sum to 1.1, 0.1 over)'
    >>> not_summing_to_one("ratios", {"japan": 0.5, "eu": 0.3073, "korea": 0.1627})
    'ratios must sum to 1 (they sum to 0.97, 0.03 short)'
    """
    total = sum(shares.values())
    if abs(total - 1.0) <= SUM_TOLERANCE:
        return None
    decimals = max((_decimals(value) for value in shares.values()), default=0)
    fix = _rounding_fix(shares, decimals) if shares else None
    gap = f"{_written(abs(1.0 - total), decimals)} {'short' if total < 1 else 'over'}"
    if fix is None:  # the gap, but of no shares at all (an empty block) only the sum
        return f"{what} must sum to 1 (they sum to {total:.12g}{f', {gap}' if shares else ''})"
    within = f"within {SUM_TOLERANCE:g}"
    return f"{what} must sum to 1 {within} (they sum to {total:.12g}, {gap}, as rounded values can): {fix}"


def _decimals(value: float) -> int:
    """How many decimals ``value`` is written with (``0.3333``: 4, ``1e-05``: 5, ``1``: 1, read as ``1.0``)."""
    exponent = Decimal(repr(float(value))).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _written(value: float, decimals: int) -> str:
    """``value`` rounded to ``decimals`` decimals, without trailing zeros (``0.5``, ``1``, ``0.0001``)."""
    return format(Decimal(f"{value:.{decimals}f}").normalize(), "f")


def _rounding_fix(shares: Mapping[str, float], decimals: int) -> str | None:
    """The one value to write that makes ``shares`` sum to 1 within :data:`SUM_TOLERANCE`, in words; else None.

    Offered only where rounding (or cutting) each of the n values to the most decimals written, d, can leave the
    gap (at most n units of the last decimal, n * 10**-d) and the gap is under :data:`ROUNDING_GAP_LIMIT`: a larger
    one is a mistake a corrected value would hide. The value changed is the largest (the last of equal ones), as 1
    less the others, in d decimals (``decimals``); it must lie in [0, 1] and close the gap, else None.
    """
    gap = abs(1.0 - sum(shares.values()))
    if gap > len(shares) * 10.0**-decimals + SUM_TOLERANCE or gap >= ROUNDING_GAP_LIMIT:
        return None
    name = max(reversed(list(shares)), key=lambda key: shares[key])
    others = sum(value for key, value in shares.items() if key != name)
    value = round(1.0 - others, decimals)
    if not 0.0 <= value <= 1.0 or abs(others + value - 1.0) > SUM_TOLERANCE:
        return None
    if len(set(shares.values())) == 1:
        return f"write {_written(value, decimals)} for one of them"
    return f"write {_written(value, decimals)} for {name} (not {_written(shares[name], decimals)})"


def _check_share_path(s: Scenario, path: str, steps: list[ShareStep], problems: list[Problem]) -> None:
    """A dependency path's steps: known suppliers, days that exist and rise step by step."""
    previous: int | None = None
    for k, step in enumerate(steps):
        if step.suppliers == []:
            message = "an empty list names no supplier: leave suppliers out to cap every supplier, or name them"
            problems.append(Problem(f"{path}.{k}.suppliers", message))
        _unique(problems, f"{path}.{k}.suppliers", step.suppliers or [])
        _refs(problems, f"{path}.{k}.suppliers", "supplier", step, "suppliers", s.suppliers)
        day = _check_day(s, f"{path}.{k}.start", step.start, problems)
        if day is not None and previous is not None and day <= previous:
            message = f"steps must be in date order: day {day} is not after the previous step's day {previous}"
            problems.append(Problem(f"{path}.{k}.start", message))
        previous = day if day is not None else previous


def _check_reserve_release(s: Scenario, problems: list[Problem]) -> None:
    """A discount rule states a discount, and only it does."""
    for rid, region in s.regions.items():
        release = region.reserve_release
        if release is None:
            continue
        path = f"regions.{rid}.reserve_release.discount_share"
        if release.price == "discount" and not 0 < release.discount_share < 1:
            problems.append(Problem(path, "price 'discount' needs a discount_share above 0 and below 1"))
        if release.price == "market" and release.discount_share:
            problems.append(Problem(path, "a discount needs price: discount (price 'market' sells at the day's price)"))


def day_number(spec: int | dt.date, start_date: dt.date | None) -> int | None:
    """Day index of a day spec (None when it is a date and there is no start date)."""
    if isinstance(spec, dt.date):
        return None if start_date is None else (spec - start_date).days
    return spec


def _check_day(s: Scenario, path: str, spec: object, problems: list[Problem]) -> int | None:
    if isinstance(spec, dt.date):
        if s.start_date is None:
            problems.append(Problem(path, "a date needs the scenario's start_date"))
            return None
        return day_number(spec, s.start_date)
    return spec if isinstance(spec, int) else None


def _unique(problems: list[Problem], path: str, names: list[str]) -> None:
    """Record a list that names something twice (it would count twice, or once: either way not as written)."""
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        problems.append(Problem(path, f"must be unique: {', '.join(repr(n) for n in twice)} given twice"))


def _check_shocks(s: Scenario, problems: list[Problem]) -> None:
    seen: set[str] = set()
    for i, shock in enumerate(s.shocks):
        base = f"shocks.{i}"
        if shock.id in seen:
            problems.append(Problem(f"{base}.id", f"duplicate shock id '{shock.id}'"))
        seen.add(shock.id)
        supplier = getattr(shock, "supplier", None)
        if supplier is not None:
            _ref(problems, f"{base}.supplier", "supplier", supplier, s.suppliers)
        for field in ("regions", "materials"):
            if getattr(shock, field, None) == []:
                message = f"an empty list names no {field[:-1]}: leave {field} out for all {field}, or name them"
                problems.append(Problem(f"{base}.{field}", message))
        for field in ("regions", "materials", "preference"):
            _unique(problems, f"{base}.{field}", getattr(shock, field, None) or [])
        _refs(problems, f"{base}.regions", "region", shock, "regions", s.regions)
        _refs(problems, f"{base}.materials", "material", shock, "materials", s.materials)
        for j, rid in enumerate(getattr(shock, "preference", None) or []):
            _ref(problems, f"{base}.preference.{j}", "region", rid, s.regions)
        for j, (first, last) in enumerate(getattr(shock, "suspended", None) or []):
            begin = _check_day(s, f"{base}.suspended.{j}", first, problems)
            end = _check_day(s, f"{base}.suspended.{j}", last, problems)
            if begin is not None and end is not None and end <= begin:
                message = f"the window must end after it starts (day {end} <= day {begin})"
                problems.append(Problem(f"{base}.suspended.{j}", message))
        if (follows := getattr(shock, "follows", None)) is not None:
            _check_follows(s, f"{base}.follows", shock, follows, problems)
        if getattr(shock, "sharing", None) == "preference" and not getattr(shock, "preference", None):
            problems.append(Problem(f"{base}.preference", "sharing 'preference' needs the regions in order"))
        _check_shock_window(s, base, shock, problems)


def _check_follows(s: Scenario, where: str, shock: ShockBase, follows: str, problems: list[Problem]) -> None:
    """``follows`` names the licensing shock of the same supplier whose terms this one replaces.

    That is the last one before it: the same supplier's licensing shock on the same materials
    and regions that starts latest before this one starts (when both days are fixed); a
    licence on other regions (or materials) in between is another regime, not skipped over. The model hands
    over what the old terms are still reviewing to the new ones; following a later shock, or
    a chain of ``follows`` that comes back to the shock, would silently hand over the wrong
    approvals or none.
    """
    others = {o.id: o for o in s.shocks if o is not shock}
    before = others.get(follows)
    if before is None:
        known = ", ".join(o.id for o in others.values() if o.kind == "licensing") or "none"
        problems.append(Problem(where, f"no other shock with id '{follows}' (licensing shocks: {known})"))
    elif before.kind != "licensing":
        problems.append(Problem(where, f"'{follows}' is not a licensing shock but {before.kind}"))
    elif getattr(before, "supplier", None) != getattr(shock, "supplier", None):
        problems.append(Problem(where, f"'{follows}' licenses another supplier's exports"))
    elif (chain := _follows_cycle(s, shock)) is not None:
        problems.append(Problem(where, f"the shocks follow each other round in a cycle ({' -> '.join(chain)})"))
    elif (start := _fixed_day(s, shock.start)) is not None and (old := _fixed_day(s, before.start)) is not None:
        if old >= start:
            message = (
                f"'{follows}' starts on {day_words(s, old)}, not before this shock, which starts on "
                f"{day_words(s, start)}: a shock follows the earlier licence terms it replaces"
            )
            problems.append(Problem(where, message))
            return
        materials = _target_materials(s, shock)
        regions = _target_regions(s, shock)
        between = [
            (day, o.id)
            for o in others.values()
            if o.kind == "licensing"
            and o is not before
            and getattr(o, "supplier", None) == getattr(shock, "supplier", None)
            and _target_materials(s, o) == materials
            and _target_regions(s, o) == regions
            and (day := _fixed_day(s, o.start)) is not None
            and old < day < start
        ]
        if between:
            day, later = max(between)
            message = (
                f"'{later}' starts after '{follows}' and before this shock, on {day_words(s, day)}: a shock follows "
                f"the terms it replaces, the last before it ('{later}')"
            )
            problems.append(Problem(where, message))


def _target_regions(s: Scenario, shock: ShockBase) -> set[str]:
    """The regions a shock targets, as a set (no ``regions`` targets every region)."""
    regions = getattr(shock, "regions", None)
    return set(s.regions) if regions is None else set(regions)


def _target_materials(s: Scenario, shock: ShockBase) -> set[str]:
    """The materials a shock acts on, as a set: none given (or an empty list) is every material, as the plan reads it.

    A licence listing every material is then the same regime as one listing none.
    """
    return set(shock.materials or s.materials)


def _follows_cycle(s: Scenario, shock: ShockBase) -> list[str] | None:
    """The ids from ``shock`` round its ``follows`` back to it (``[a, b, a]``), else None."""
    by_id = {o.id: o for o in s.shocks}
    chain, here = [shock.id], shock
    while (after := getattr(here, "follows", None)) is not None and after in by_id and after not in chain[1:]:
        chain.append(after)
        if after == shock.id:
            return chain
        here = by_id[after]
    return None


def _fixed_day(s: Scenario, spec: object) -> int | None:
    """A day or date as a day number (None for a drawn day, or a date without the start date)."""
    return day_number(spec, s.start_date) if isinstance(spec, int | dt.date) else None


def day_words(s: Scenario, day: int) -> str:
    """``day 14``, or ``2010-07-15 (day 14)`` in a scenario with a start date."""
    if s.start_date is None:
        return f"day {day}"
    return f"{(s.start_date + dt.timedelta(days=day)).isoformat()} (day {day})"


def _check_shock_window(s: Scenario, base: str, shock: ShockBase, problems: list[Problem]) -> None:
    random_start = isinstance(shock.start, RANDOM_TYPES)
    start = None if random_start else _check_day(s, f"{base}.start", shock.start, problems)
    if shock.end is not None:
        end = _check_day(s, f"{base}.end", shock.end, problems)
        if start is not None and end is not None and end <= start:
            problems.append(
                Problem(f"{base}.end", f"must be after start ({day_words(s, end)} <= {day_words(s, start)})")
            )
        lowest = getattr(shock.start, "low", None) if random_start else None
        if lowest is not None and end is not None and lowest >= end:
            message = f"the start is drawn from day {lowest:g} on: the shock never happens"
            problems.append(Problem(f"{base}.end", message))


def valid_members(s: Scenario, a: Agreement) -> list[str]:
    """The members that are regions of the scenario, in order (a misspelled one is an error of its own)."""
    return [rid for rid in a.members if rid in s.regions]


def _member_ref(s: Scenario, a: Agreement, problems: list[Problem], path: str, name: str) -> bool:
    """Record a key that names no member; return True when it names a member that is a region.

    A misspelled member (``agreement.members``) is reported there only: a key that names it,
    or names a region left out of the members while some member is no region, is the same
    mistake (fixing the member fixes it), so it is not reported again, and a suggestion is
    only ever a member that is a region.
    """
    known = valid_members(s, a)
    if name in known:
        return True
    misspelled = len(known) < len(a.members)
    if name in a.members or (misspelled and name in s.regions):
        return False
    if name in s.regions:  # a region left out of the members (or dropped by a --set of them)
        problems.append(Problem(path, f"'{name}' {UNLISTED}: list it there, or remove this entry"))
        return False
    problems.append(Problem(path, f"unknown member '{name}' {known_hint(name, known)}"))
    return False


UNLISTED = "is a region but not in agreement.members"
"""What a key naming a region that is no member is (:func:`_member_ref`): one message per key, or one per
mapping that has several (:func:`grouped_unlisted`)."""
_UNLISTED_ONE = re.compile(rf"'([^']+)' {re.escape(UNLISTED)}: list it there, or remove this entry")
_UNLISTED_MANY = re.compile(r"\d+ regions here are not in agreement\.members: ")


def unlisted_member(problem: Problem) -> bool:
    """Whether ``problem`` is of keys naming regions that are not in ``agreement.members`` (a --set of them owns it)."""
    return bool(_UNLISTED_ONE.fullmatch(problem.message) or _UNLISTED_MANY.match(problem.message))


def grouped_unlisted(problems: list[Problem]) -> list[Problem]:
    """``problems`` with the keys of one mapping that name regions not in ``agreement.members`` said in one line.

    A ``--set agreement.members=[germany, france]`` on a twelve-member file leaves ten such keys in
    each of the ratio, the pool's contributions and the bids: one line per mapping names them all.
    A mapping with one such key keeps its line at the key.

    >>> grouped_unlisted([Problem("agreement.ratio.italy", f"'italy' {UNLISTED}: list it there, or remove this entry"),
    ...     Problem("agreement.ratio.spain", f"'spain' {UNLISTED}: list it there, or remove this entry")])
    ... # doctest: +NORMALIZE_WHITESPACE
    [Problem(path='agreement.ratio', message='2 regions here are not in agreement.members: italy, spain;
    list them there, or remove their entries')]
    """
    found: dict[str, list[str]] = {}
    for problem in problems:
        if one := _UNLISTED_ONE.fullmatch(problem.message):
            found.setdefault(problem.path.rpartition(".")[0], []).append(one[1])
    said = set()
    grouped = []
    for problem in problems:
        parent = problem.path.rpartition(".")[0]
        names = found.get(parent, []) if _UNLISTED_ONE.fullmatch(problem.message) else []
        if len(names) < 2:
            grouped.append(problem)
        elif parent not in said:
            said.add(parent)
            message = (
                f"{len(names)} regions here are not in agreement.members: {', '.join(names)}; "
                "list them there, or remove their entries"
            )
            grouped.append(Problem(parent, message))
    return grouped


def _check_agreement(s: Scenario, a: Agreement, problems: list[Problem]) -> None:
    _refs(problems, "agreement.members", "region", a, "members", s.regions)
    _unique(problems, "agreement.members", list(a.members))
    # a ratio is checked (its keys, every member, a sum of 1) only under a rule that shares by it: under
    # another (a --set of the mechanism or the members on a file written for fair_ratio) it is unused, and a
    # key naming no member is a note (simulator.scenario.notes)
    uses_ratio = BY_NAME[a.mechanism].needs_ratio
    known = [rid for rid in a.ratio if uses_ratio and _member_ref(s, a, problems, f"agreement.ratio.{rid}", rid)]
    if uses_ratio and not a.ratio:
        problems.append(Problem("agreement.ratio", f"mechanism '{a.mechanism}' needs a ratio per member"))
    elif uses_ratio:
        missing = [rid for rid in valid_members(s, a) if rid not in a.ratio]
        if missing and len(known) == len(a.ratio):  # a misspelled key is reported as itself
            message = f"every member needs a ratio; missing: {', '.join(missing)} (a ratio of 0 gives it no share)"
            problems.append(Problem("agreement.ratio", message))
        if (message := not_summing_to_one("ratios", a.ratio)) is not None:
            problems.append(Problem("agreement.ratio", message))
    for mid in a.release_cap_t_per_day:
        _ref(problems, f"agreement.release_cap_t_per_day.{mid}", "material", mid, s.materials)
    pool = a.pool
    for rid, per_material in pool.contributions.items():
        if not _member_ref(s, a, problems, f"agreement.pool.contributions.{rid}", rid):
            continue
        for mid, stock in per_material.items():
            path = f"agreement.pool.contributions.{rid}.{mid}"
            if not _ref(problems, path, "material", mid, s.materials):
                continue
            demand = s.regions[rid].demand.get(mid)
            if stock.days and (demand is None or demand.tonnes_per_day <= 0):
                problems.append(
                    Problem(
                        f"{path}.days",
                        f"'{rid}' has no demand for '{mid}' (0 t/day on day 0), so {stock.days:g} days of it would be "
                        "0 t; give 'tonnes' instead",
                    )
                )
    for mid in pool.refill_t_per_day:
        _ref(problems, f"agreement.pool.refill_t_per_day.{mid}", "material", mid, s.materials)
    if pool.location is not None:
        _member_ref(s, a, problems, "agreement.pool.location", pool.location)
    _check_already_held(s, a, problems)
    if pool.mode == "national" and pool.contributions:
        problems.append(
            Problem(
                "agreement.pool.contributions",
                "national mode uses members' own reserves; remove contributions",
            )
        )
    trigger = a.trigger
    if trigger.switch_on != "declared_embargo" and trigger.measured_loss is None:
        problems.append(
            Problem("agreement.trigger.switch_on", f"'{trigger.switch_on}' needs agreement.trigger.measured_loss")
        )
    _check_ess(s, a, problems)
    times = a.release_times
    if times is not None:
        if times.emergency_days > times.normal_days:
            problems.append(
                Problem(
                    "agreement.release_times.emergency_days",
                    f"must not exceed normal_days ({times.emergency_days} > {times.normal_days})",
                )
            )
        if a.decision_lag_days or a.delivery_days:
            problems.append(
                Problem(
                    "agreement.release_times",
                    "give either release_times or decision_lag_days and delivery_days, not both",
                )
            )
    _check_auction(s, a, problems)


def _check_already_held(s: Scenario, a: Agreement, problems: list[Problem]) -> None:
    """Members listed as holding their contributions today: each a member with a contribution, once, in joint mode.

    An item that lists materials (``japan: [light_ree]``) names one member, and materials it puts in, once each.
    """
    pool, path = a.pool, "agreement.pool.already_held"
    if pool.mode != "joint" and pool.already_held:
        problems.append(Problem(path, "national mode has no pool contributions to be held today; remove already_held"))
        return
    listed = [
        (j, rid) for j, item in enumerate(pool.already_held) for rid in ([item] if isinstance(item, str) else item)
    ]
    _unique(problems, path, [rid for _, rid in listed])
    for j, item in enumerate(pool.already_held):
        if isinstance(item, dict) and len(item) != 1:
            message = f"give one member per item ('- {next(iter(item), 'japan')}: [material, ...]'), not {len(item)}"
            problems.append(Problem(f"{path}.{j}", message))
    for n, (j, rid) in enumerate(listed):
        if rid in [earlier for _, earlier in listed[:n]]:  # given twice: said once, above
            continue
        if not _member_ref(s, a, problems, f"{path}.{j}", rid):
            continue
        if not pool.contributions.get(rid):
            problems.append(
                Problem(f"{path}.{j}", f"'{rid}' puts nothing into the pool (no agreement.pool.contributions.{rid})")
            )
        elif not any(some_stock(share) for share in pool.contributions[rid].values()):
            problems.append(
                Problem(
                    f"{path}.{j}",
                    f"'{rid}' puts nothing into the pool (every agreement.pool.contributions.{rid} entry is 0): "
                    "it holds no share today",
                )
            )
        elif isinstance(pool.already_held[j], dict):
            _check_held_materials(s, pool, rid, pool.already_held[j][rid], f"{path}.{j}.{rid}", problems)


def _check_held_materials(
    s: Scenario, pool: Pool, rid: str, materials: list[str], path: str, problems: list[Problem]
) -> None:
    """The ``materials`` listed with member ``rid`` in ``already_held`` (at ``path``): some, each once, each put in."""
    contributions = pool.contributions[rid]
    if not materials:
        message = "lists no material: list the member alone for all its contributions, or leave it out"
        problems.append(Problem(path, message))
    _unique(problems, path, materials)
    for k, mid in enumerate(materials):
        if mid in materials[:k] or not _ref(problems, f"{path}.{k}", "material", mid, s.materials):
            continue
        stock = contributions.get(mid)
        if stock is None:
            message = f"'{rid}' puts no {mid} into the pool (no agreement.pool.contributions.{rid}.{mid})"
            problems.append(Problem(f"{path}.{k}", message))
        elif not some_stock(stock):
            message = f"'{rid}' puts no {mid} into the pool (agreement.pool.contributions.{rid}.{mid} is 0)"
            problems.append(Problem(f"{path}.{k}", message))


def some_stock(stock: StrategicStock) -> bool:
    """Whether a pool contribution as written is more than nothing (tonnes, days or days of net imports above 0)."""
    return any((getattr(stock, unit) or 0) > 0 for unit in ("tonnes", "days", "net_import_days"))


def _check_ess(s: Scenario, a: Agreement, problems: list[Problem]) -> None:
    """Reserve commitments name every member or none; the restraint grows with the loss."""
    ess = a.iea_ess
    commitments = ess.commitments
    for rid in commitments:
        _member_ref(s, a, problems, f"agreement.iea_ess.commitments.{rid}", rid)
    missing = [rid for rid in valid_members(s, a) if rid not in commitments]
    if commitments and missing:
        problems.append(
            Problem(
                "agreement.iea_ess.commitments",
                f"reserve commitments must cover every member; missing: {', '.join(missing)}",
            )
        )
    elif commitments and not sum(commitments.values()) > 0:
        problems.append(Problem("agreement.iea_ess.commitments", "at least one member must commit a reserve"))
    if ess.higher_loss_share < ess.trigger_loss_share:
        problems.append(
            Problem(
                "agreement.iea_ess.higher_loss_share",
                f"must be at least trigger_loss_share ({ess.higher_loss_share:g} < {ess.trigger_loss_share:g})",
            )
        )
    if ess.higher_restraint < ess.restraint:
        problems.append(
            Problem(
                "agreement.iea_ess.higher_restraint",
                f"must be at least restraint ({ess.higher_restraint:g} < {ess.restraint:g})",
            )
        )


def _check_auction(s: Scenario, a: Agreement, problems: list[Problem]) -> None:
    needs_auction = BY_NAME[a.mechanism].holds_auctions
    auction = a.auction
    if auction is None or not any(segs for per in auction.bids.values() for segs in per.values()):
        if needs_auction:
            problems.append(
                Problem(
                    "agreement.auction.bids",
                    f"mechanism '{a.mechanism}' needs auction bids from members",
                )
            )
        if auction is None:
            return
    for mid in (*auction.reserve_price_usd_per_kg, *auction.lot_t):
        _ref(problems, "agreement.auction", "material", mid, s.materials)
    for rid, per_material in auction.bids.items():
        path = f"agreement.auction.bids.{rid}"
        if not _member_ref(s, a, problems, path, rid):
            continue
        for mid, segments in per_material.items():
            _ref(problems, f"{path}.{mid}", "material", mid, s.materials)
            for k, seg in enumerate(segments):
                if seg.price_multiplier is not None and mid not in s.market:
                    problems.append(
                        Problem(
                            f"{path}.{mid}.{k}.price_multiplier", f"a bid linked to the market price needs market.{mid}"
                        )
                    )
            total = sum(seg.share for seg in segments)
            if total > 1 + SUM_TOLERANCE:
                problems.append(Problem(f"{path}.{mid}", f"segment shares sum to {total:.6g} (at most 1)"))
