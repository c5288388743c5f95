"""Grid points by patching one compiled plan instead of validating and compiling each point.

Layer: studies.

A grid point differs from the scenario only on its axes' paths. For a path of a known
kind (:func:`owned_by`) the plan fields it can change are known, and so is the group of
cross-field checks it takes part in. When every axis is of a known kind, and no two
axes share a plan field or a check group, a point's plan is the first point's plan with
each axis's fields taken from the plan of the scenario with that axis's value alone:
such a field depends on that one value and on nothing else the grid changes, and no
check can fail for a combination when each value passed alone (every axis value is
validated alone by :func:`~simulator.sweep.runner.plan_sweep`). Anything else falls back
to validating and compiling each point in full (:class:`GridPatcher` is then ``None``).

As a guard, the single-value plans are compared field by field: an axis whose values
change a field it does not declare (a distribution that makes a shock random, a new
structure) makes the whole grid fall back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from functools import cache, cached_property
from typing import Any

import numpy as np

from simulator.plan import Plan, ShockPlan, Structure, array_fields, compile_plan
from simulator.scenario import Scenario
from simulator.scenario.schema import DemandSurge, Embargo, ExportQuota, Licensing, QuotaCut

Key = tuple[str, ...]
"""A plan field: ``("agreement", name)``, ``("market", name)``, ``("structure", name)`` or
``("shock", index, attribute)`` (index as text), or a top-level field ``("plan", name)``,
which an axis may own (a shock's start owns the warm-up's day arrays, :data:`WARM_UP`);
any other, or ``("auction", name)``, which none does."""

PARTS = ("agreement", "auction", "market")
WINDOW = ("start", "end", "duration")
"""A shock's window attributes: one check (end after start) ties them together."""
_CONTRIBUTION_FIELDS = ("pool0_t", "ownership_share", "ess_commitments", "contributed_t")
WARM_UP = frozenset(
    {("structure", "first_day"), ("plan", "baseline_demand_t_per_day"), ("plan", "capacity_added_t_per_day")}
)
"""What a shock's start moves besides its window: the warm-up reaches back to a start before day 0
(:func:`~simulator.plan.shock_reach`), and the day arrays begin on its first day."""
_MAGNITUDE = {
    Embargo: "severity",
    QuotaCut: "severity",
    ExportQuota: "tonnes_per_period",
    DemandSurge: "factor",
    Licensing: "approval_share",
}
_PRICE = {
    "sensitivity": ("price_sensitivity",),
    "adjustment_days": ("price_adjustment_days",),
    "targeted_premium": ("targeted_premium",),
    "floor_usd_per_kg": ("price_floor_usd_per_kg",),
    "cap_usd_per_kg": ("price_cap_usd_per_kg",),
}
_RISK = {"perception_days": "risk_perception_days", "memory_days": "risk_memory_days"}
_SHOCK_TERMS = {
    "perceived_severity": "perceived",
    "leak_share": "leak_share",
    "leak_extra_days": "leak_extra_days",
    "release_days": "release_days",
}
"""A shock's per-run terms (see :class:`~simulator.plan.ShockPlan`): path name -> plan attribute."""
_INDEX = re.compile(r"-?[0-9]{1,9}")  # as in simulator.scenario.overrides


@dataclass(frozen=True)
class Owned:
    """What one axis may change: plan fields, and the group of checks its path is in."""

    keys: frozenset[Key]
    group: str


def _shock_index(s: Scenario, key: str) -> int | None:
    """The shock a path segment names (a list position or an id), as the overrides find it."""
    if _INDEX.fullmatch(key):
        index = int(key)
        return index % len(s.shocks) if -len(s.shocks) <= index < len(s.shocks) else None
    return next((k for k, sh in enumerate(s.shocks) if sh.id == key), None)


def owned_by(path: str, s: Scenario) -> Owned | None:
    """The plan fields and check group of a swept path on scenario ``s``; None when it is not patched.

    Patched: a member's ratio, a pool contribution, a shock's severity (embargo, quota
    cut), tonnes per period (export quota), factor (demand surge) or approval share
    (licensing, with its default perceived severity), a shock's start, end
    or duration (a start also owns the warm-up's first day and day arrays, which reach
    back to a start before day 0: a grid over two shocks' starts is compiled point by
    point), its perceived severity, an embargo's leak share, leak extra days and release
    days, the mechanism, and a market's price parameters and risk times.
    """
    parts = path.split(".")
    ag = s.agreement
    if ag is not None and len(parts) == 3 and parts[:2] == ["agreement", "ratio"] and parts[2] in ag.members:
        return Owned(frozenset({("agreement", "ratio")}), "agreement.ratio")
    if ag is not None and parts == ["agreement", "mechanism"]:
        return Owned(frozenset({("structure", "mechanism")}), "agreement.mechanism")
    if (
        ag is not None
        and ag.pool.mode == "joint"
        and len(parts) == 6
        and parts[:3] == ["agreement", "pool", "contributions"]
        and parts[3] in ag.members
        and parts[4] in s.materials
        and parts[5] in ("tonnes", "days", "net_import_days")
    ):
        return Owned(frozenset(("agreement", name) for name in _CONTRIBUTION_FIELDS), "agreement.pool.contributions")
    if len(parts) == 3 and parts[0] == "shocks":
        k = _shock_index(s, parts[1])
        if k is None:
            return None
        shock = s.shocks[k]
        if parts[2] == _MAGNITUDE.get(type(shock)):
            size = {("shock", str(k), "magnitude")}
            if isinstance(shock, Licensing) and shock.perceived_severity is None:
                size.add(("shock", str(k), "perceived"))  # a licence's default perceived severity follows its share
            return Owned(frozenset(size), f"shocks.{k}.magnitude")
        if parts[2] in ("start", "end", "duration_days"):
            window = frozenset(("shock", str(k), name) for name in WINDOW)
            return Owned(window | WARM_UP if parts[2] == "start" else window, f"shocks.{k}.window")
        if parts[2] in _SHOCK_TERMS and parts[2] in type(shock).model_fields:
            return Owned(frozenset({("shock", str(k), _SHOCK_TERMS[parts[2]])}), f"shocks.{k}.{parts[2]}")
        return None
    if len(parts) == 4 and parts[0] == "market" and parts[1] in s.market and parts[1] in s.materials:
        if parts[2] == "price" and parts[3] in _PRICE:
            group = f"market.{parts[1]}.price_bounds" if "usd" in parts[3] else f"market.{path}"
            return Owned(frozenset(("market", name) for name in _PRICE[parts[3]]), group)
        if parts[2] == "risk" and parts[3] in _RISK:
            return Owned(frozenset({("market", _RISK[parts[3]])}), f"market.{path}")
    return None


def _same_array(a: Any, b: Any) -> bool:
    """Bit for bit: dtype, shape and bytes (NaN equals NaN)."""
    if a is b:
        return True
    if a is None or b is None:
        return False
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and _same_array(a, b)
    return type(a) is type(b) and a == b


def differences(p: Plan, q: Plan) -> set[Key]:
    """Every plan field in which ``p`` and ``q`` differ (bit for bit)."""
    out: set[Key] = set()
    for f in fields(Plan):
        if f.name in ("structure", "shocks", *PARTS):
            continue
        a, b = getattr(p, f.name), getattr(q, f.name)
        if not _same_value(a, b):
            out.add(("plan", f.name))
    for part in PARTS:
        a, b = getattr(p, part), getattr(q, part)
        if (a is None) != (b is None):
            out.add(("plan", part))
        elif a is not None:
            out.update((part, name) for name in array_fields(a) if not _same_array(getattr(a, name), getattr(b, name)))
    out.update(
        ("structure", f.name) for f in fields(Structure) if getattr(p.structure, f.name) != getattr(q.structure, f.name)
    )
    if len(p.shocks) != len(q.shocks):
        out.add(("plan", "shocks"))
    else:
        for k, (a, b) in enumerate(zip(p.shocks, q.shocks, strict=True)):
            out.update(
                ("shock", str(k), f.name)
                for f in fields(ShockPlan)
                if not _same_value(getattr(a, f.name), getattr(b, f.name))
            )
    return out


@dataclass(frozen=True)
class _AxisTable:
    """Per value of one axis, the values of the fields it owns, taken from its single-value plan."""

    keys: tuple[Key, ...]
    values: tuple[tuple[Any, ...], ...]
    """``values[i][n]``: field ``keys[n]`` at the axis's value ``i``."""


def _field(plan: Plan, key: Key) -> Any:
    """The value of an owned field (a part's array, a structure attribute or a shock attribute)."""
    if key[0] == "structure":
        return getattr(plan.structure, key[1])
    if key[0] == "shock":
        return getattr(plan.shocks[int(key[1])], key[2])
    if key[0] == "plan":
        return getattr(plan, key[1])
    return getattr(getattr(plan, key[0]), key[1])


@dataclass(frozen=True)
class GridPatcher:
    """Builds the plan of any grid point of a cross product from one template plan (picklable)."""

    template: Plan
    """The first grid point's plan."""
    lengths: tuple[int, ...]
    """Values per axis, first axis slowest (as :meth:`SweepSpec.points`)."""
    tables: tuple[_AxisTable, ...]

    def indices(self, point: int) -> tuple[int, ...]:
        """The value index on each axis of grid point ``point``."""
        out = []
        for length in reversed(self.lengths):
            point, index = divmod(point, length)
            out.append(index)
        return tuple(reversed(out))

    def plans(self, points: list[int]) -> dict[int, Plan]:
        """The plans of grid points ``points``; fields equal between points are the same objects."""
        cache: dict[tuple[str, tuple[int, ...]], Any] = {}
        return {point: self._plan(self.indices(point), cache) for point in points}

    def _plan(self, at: tuple[int, ...], cache: dict[tuple[str, tuple[int, ...]], Any]) -> Plan:
        t = self.template
        changes: dict[str, dict[str, Any]] = {}
        shock_changes: dict[int, dict[str, Any]] = {}
        touching: dict[str, list[int]] = {}
        for a, (table, i) in enumerate(zip(self.tables, at, strict=True)):
            for key, value in zip(table.keys, table.values[i], strict=True):
                if key[0] == "shock":
                    shock_changes.setdefault(int(key[1]), {})[key[2]] = value
                    part = f"shock/{key[1]}"
                else:
                    changes.setdefault(key[0], {})[key[1]] = value
                    part = key[0]
                if a not in touching.setdefault(part, []):
                    touching[part].append(a)

        def cached(part: str, make: Any) -> Any:
            tag = (part, tuple(at[a] for a in touching[part]))
            if tag not in cache:
                cache[tag] = make()
            return cache[tag]

        update: dict[str, Any] = dict(changes.get("plan", {}))
        for part in ("agreement", "market", "structure"):
            if part in changes:
                update[part] = cached(part, lambda part=part: replace(getattr(t, part), **changes[part]))
        if shock_changes:
            shocks = list(t.shocks)
            for k, attrs in shock_changes.items():
                shocks[k] = cached(f"shock/{k}", lambda k=k, attrs=attrs: replace(t.shocks[k], **attrs))
            update["shocks"] = tuple(shocks)
        return replace(t, **update)


@dataclass(frozen=True)
class Examined:
    """What one axis value's plan gives the patcher: the fields its axis owns, and whether nothing else moved."""

    row: tuple[Any, ...]
    fits: bool


class PatchBuilder:
    """Collects, value by value, what a :class:`GridPatcher` needs (only the owned fields are kept).

    ``first_scenario(a)`` is the scenario of axis ``a``'s first value alone: the first
    axis's decides whether the axes can be patched at all, and each axis's first plan is
    what its other values are compared with. :meth:`examine` each axis value's scenario
    (in any process: it changes nothing the caller reads), :meth:`add` what it gives, then
    :meth:`finish` with the first grid point's scenario.
    """

    def __init__(self, paths: list[str], first_scenario: Callable[[int], Scenario]) -> None:
        self.paths = paths
        self.first_scenario = cache(first_scenario)  # asked for by owned and by reference(0)
        self.ok = True
        """False once a value could not be patched (no known kinds, or it changed a field its axis does not own)."""
        self.rows: list[list[tuple[Any, ...]]] = [[] for _ in paths]
        self._reference: dict[int, Plan] = {}

    @cached_property
    def owned(self) -> list[Owned] | None:
        """What each axis may change; None when an axis is of no known kind, or two share a field or a check group."""
        if not self.paths:
            return None
        first = self.first_scenario(0)
        owned = [owned_by(path, first) for path in self.paths]
        if any(o is None for o in owned):
            return None
        kept = [o for o in owned if o is not None]
        declared = [o.keys for o in kept]
        separate = len({o.group for o in kept}) == len(kept)
        return kept if separate and sum(map(len, declared)) == len(frozenset().union(*declared)) else None

    def reference(self, axis: int) -> Plan:
        """The plan of axis ``axis``'s first value alone."""
        if axis not in self._reference:
            self._reference[axis] = compile_plan(self.first_scenario(axis))
        return self._reference[axis]

    def examine(self, axis: int, s: Scenario) -> Examined | None:
        """The scenario of one value of axis ``axis`` alone, as the patcher needs it; None when nothing is patched."""
        if self.owned is None:
            return None
        owned = self.owned[axis].keys
        plan = compile_plan(s)
        fits = differences(plan, self.reference(axis)) <= owned
        return Examined(tuple(_field(plan, key) for key in sorted(owned)), fits)

    def add(self, axis: int, examined: Examined | None) -> None:
        """What :meth:`examine` gave for axis ``axis``'s next value."""
        if examined is not None and examined.fits:
            self.rows[axis].append(examined.row)
        else:
            self.ok = False  # no patcher: rows added after this are never used

    def finish(self, first: Scenario) -> GridPatcher | None:
        """The patcher, given the first grid point's scenario; None when the grid cannot be patched."""
        if not self.ok or self.owned is None:
            return None
        template = compile_plan(first)
        for a in range(len(self.paths)):
            others = frozenset().union(*(o.keys for b, o in enumerate(self.owned) if b != a))
            if not differences(self.reference(a), template) <= others:
                return None
        tables = tuple(
            _AxisTable(tuple(sorted(o.keys)), tuple(rows)) for o, rows in zip(self.owned, self.rows, strict=True)
        )
        return GridPatcher(template, tuple(len(rows) for rows in self.rows), tables)
