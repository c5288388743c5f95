"""Uncertain inputs: where each one sits in the scenario, and its values from quantiles.

Layer: ground.

A scenario's ``uncertain:`` entries (:class:`~simulator.scenario.schema.UncertainUniform`
and its siblings) name a field by its ``--set`` path and give its range. Two things are
decided here and nowhere else:

- **Where it sits** (:func:`check_uncertain`, a tier-2 check): the path must lead to a
  field of the validated scenario (list items by index or ``id``), each path once, and a
  range needs a field that holds a number or a date.
- **Its value for a quantile** ``u`` in [0, 1] (:func:`values_at`): samplers draw points
  of the unit cube and every entry maps its coordinate to a value through its inverse
  distribution function. Whole-number fields and dates get whole numbers: a uniform range
  of whole numbers makes every number from ``low`` to ``high`` equally likely. A
  lognormal is sampled between its 0.1% and 99.9% points (:data:`LOGNORMAL_TAILS`), so
  every value is finite. A discrete set maps ``u`` to item ``floor(u * k)``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from pydantic import BaseModel

from simulator.errors import Problem, setting
from simulator.scenario.overrides import exclusive_sibling, overlap_relation
from simulator.scenario.schema import (
    RANDOM_TYPES,
    LogNormal,
    Scenario,
    Triangular,
    UncertainLogNormal,
    UncertainTriangular,
    UncertainUniform,
    UncertainValues,
    Uniform,
)

LOGNORMAL_TAILS = (0.001, 0.999)
"""Quantiles between which a lognormal input is sampled."""
NOT_INPUTS = frozenset({"name", "description", "assumptions", "uncertain"})
"""Top-level fields that are not model inputs."""
SHAPES_THE_RUNS = {
    "seed": "each sample runs with its own seed already (sample k uses run seed k)",
    "horizon_days": "the samples of one study must share their days (give the horizon with " + setting("set") + ")",
}
"""Top-level fields that cannot vary between the samples of one study, and why."""

NESTED = ("contains", "lies inside")
"""How two entries' paths stand when one lies inside the other
(:func:`~simulator.scenario.overrides.overlap_relation`)."""

Entry = UncertainUniform | UncertainTriangular | UncertainLogNormal | UncertainValues


def value_at(scenario: Scenario, path: str) -> Any:
    """The value of the validated scenario's field at a dotted ``path``.

    Raises ``KeyError`` (with the reason) when the path leads nowhere.
    """
    node: Any = scenario
    keys = path.split(".")
    for depth, key in enumerate(keys):
        here = ".".join(keys[: depth + 1])
        if isinstance(node, BaseModel):
            if key not in _field_names(type(node)):
                raise KeyError(f"'{here}' is not a field")
            node = getattr(node, key)
        elif isinstance(node, dict):
            if key not in node:
                raise KeyError(f"no '{key}' at '{here}' (known: {', '.join(map(str, node)) or 'none'})")
            node = node[key]
        elif isinstance(node, list):
            node = _item(node, key, here)
        else:
            raise KeyError(f"'{here}': cannot go inside a value that is not a mapping or list")
    return node


@cache
def _field_names(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(model.model_fields)


def _item(items: list[Any], key: str, here: str) -> Any:
    if key.lstrip("-").isdigit():
        if -len(items) <= int(key) < len(items):
            return items[int(key)]
        raise KeyError(f"'{here}': index {key} out of range (list has {len(items)} items)")
    for item in items:
        if getattr(item, "id", None) == key:
            return item
    raise KeyError(f"'{here}': no item with id '{key}'")


def field_kind(entry: Entry, current: Any) -> str:
    """How values are written: ``date``, ``int``, ``float`` or ``any`` (a discrete set).

    Date bounds give dates; a field holding a whole number (or a day given as a date,
    with number bounds) gives whole numbers; anything else gives floats.
    """
    if isinstance(entry, UncertainValues):
        return "any"
    bounds = [getattr(entry, name, None) for name in ("low", "mode", "high")]
    if any(isinstance(b, dt.date) for b in bounds):
        return "date"
    return "int" if holds_whole_numbers(current) else "float"


def holds_whole_numbers(current: Any) -> bool:
    """Whether a field holding ``current`` takes whole numbers only: an int (not a bool) or a date (a day)."""
    return isinstance(current, int | dt.date) and not isinstance(current, bool)


def _drawn_and_sampled(drawn: Uniform | Triangular | LogNormal, i: int) -> str:
    """Why a field drawn at random (``drawn``) cannot be sampled by ``uncertain.{i}`` as well, and what to do."""
    return (
        f"is drawn at random ({_distribution_text(drawn)}), so uncertain.{i} cannot also sample it: "
        f"give the field one value, or remove uncertain.{i}"
    )


def _distribution_text(drawn: Uniform | Triangular | LogNormal) -> str:
    """A distribution in words, its parameters in the field's own unit.

    >>> _distribution_text(Uniform(distribution="uniform", low=40, high=80))
    'uniform between 40 and 80'
    """
    if isinstance(drawn, Uniform):
        return f"uniform between {drawn.low:g} and {drawn.high:g}"
    if isinstance(drawn, Triangular):
        return f"triangular between {drawn.low:g} and {drawn.high:g}, most likely {drawn.mode:g}"
    return f"lognormal with mean {drawn.mean:g} and sd {drawn.sd:g}"


def _enclosing(path: str) -> list[str]:
    """The paths ``path`` lies inside: ``x`` and ``x.y`` for ``x.y.z``."""
    return [path[:k] for k, char in enumerate(path) if char == "."]


def check_uncertain(s: Scenario) -> list[Problem]:
    """Every problem of the scenario's uncertain entries: paths that lead nowhere, twice or to no number."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    inside: set[str] = set()  # the paths that a path seen lies inside: a sampled study declares dozens
    for i, entry in enumerate(s.uncertain):
        where = f"uncertain.{i}.path"
        if entry.path in seen:
            problems.append(Problem(where, f"'{entry.path}' is already uncertain.{seen[entry.path]}"))
            continue
        enclosing = _enclosing(entry.path)
        overlaps = entry.path in inside or any(path in seen for path in enclosing)
        if overlaps and (nesting := next(p for p in seen if overlap_relation(p, entry.path) in NESTED)):
            problems.append(
                Problem(
                    where,
                    f"'{entry.path}' and uncertain.{seen[nesting]} ('{nesting}') overlap (one lies inside the other): "
                    "declare the whole mapping or its keys, not both",
                )
            )
            continue
        if (sibling := exclusive_sibling(entry.path)) in seen:
            problems.append(
                Problem(
                    where,
                    f"'{entry.path}' and uncertain.{seen[sibling]} ('{sibling}') are one stock in two units: a sample "
                    "sets one and removes the other, so declare only one of them",
                )
            )
            continue
        seen[entry.path] = i
        inside.update(enclosing)
        if entry.path.split(".")[0] in NOT_INPUTS:
            problems.append(Problem(where, f"'{entry.path}' is not a model input"))
            continue
        if entry.path in SHAPES_THE_RUNS:
            problems.append(Problem(where, f"'{entry.path}' cannot be uncertain: {SHAPES_THE_RUNS[entry.path]}"))
            continue
        try:
            current = value_at(s, entry.path)
        except KeyError as exc:
            problems.append(Problem(where, f"no such field in the scenario: {exc.args[0]}"))
            continue
        if isinstance(entry, UncertainValues):
            continue
        numeric = isinstance(current, int | float | dt.date) and not isinstance(current, bool)
        if isinstance(current, RANDOM_TYPES):  # said of the field: a --set that made it random is then named
            problems.append(Problem(entry.path, _drawn_and_sampled(current, i)))  # named by id where loaded
        elif current is not None and not numeric:
            shown = type(current).__name__ if isinstance(current, BaseModel | dict | list) else repr(current)
            problems.append(
                Problem(where, f"a range needs a field holding a number or a date, '{entry.path}' holds {shown}")
            )
        elif isinstance(entry, UncertainLogNormal) and isinstance(current, dt.date):
            problems.append(Problem(where, f"'{entry.path}' holds a date: give it a uniform or triangular range"))
    return problems


@dataclass(frozen=True)
class Input:
    """One uncertain entry of a validated scenario, with its field's current value."""

    entry: Entry
    current: Any
    """The scenario's own value at the path (what a single run uses)."""
    start_date: dt.date | None = None
    """The scenario's start date: its day 0, to set a date against a range of day numbers (or the reverse)."""

    @property
    def path(self) -> str:
        """The ``--set`` path."""
        return self.entry.path

    @property
    def label(self) -> str:
        """The entry's label, or its path."""
        return self.entry.label or self.entry.path

    @property
    def kind(self) -> str:
        """``date``, ``int``, ``float`` or ``any``."""
        return field_kind(self.entry, self.current)

    def range_text(self) -> str:
        """The range in words: ``0-0.34``, ``triangular 2-5-9``, ``lognormal mean 120 sd 60``, ``one of 3``."""
        e = self.entry
        if isinstance(e, UncertainValues):
            return "one of " + ", ".join(short_text(v) for v in e.values)
        if isinstance(e, UncertainLogNormal):
            return f"lognormal, mean {short_text(e.mean)}, sd {short_text(e.sd)}"
        if isinstance(e, UncertainTriangular):
            return f"{short_text(e.low)} to {short_text(e.high)}, most likely {short_text(e.mode)}"
        return f"{short_text(e.low)} to {short_text(e.high)}"

    def range_fields(self) -> dict[str, Any]:
        """The range as fields: ``distribution``, ``low``, ``high`` and the distribution's own parameters.

        Uniform and triangular (``mode``): the declared ends. Lognormal (``mean``, ``sd`` of the
        value): ``low`` and ``high`` are the 0.1% and 99.9% points, the ends of what is sampled.
        Discrete (``values``, each equally likely): ``low`` and ``high`` are the smallest and
        largest value when every value is a number, else None. A date is a date (ISO text in
        ``sensitivity.json``). :meth:`range_text` says the same in words.

        >>> Input(UncertainTriangular(path="x", source="s", distribution="triangular", low=2, mode=5, high=9),
        ...       current=4.0).range_fields()
        {'distribution': 'triangular', 'low': 2.0, 'high': 9.0, 'mode': 5.0}
        >>> Input(UncertainValues(path="x", source="s", values=[0.98, 0.9]), current=0.9).range_fields()
        {'distribution': 'discrete', 'low': 0.9, 'high': 0.98, 'values': [0.98, 0.9]}
        """
        e = self.entry
        if isinstance(e, UncertainValues):
            numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in e.values)
            low, high = (min(e.values), max(e.values)) if numbers else (None, None)
            return {"distribution": "discrete", "low": low, "high": high, "values": list(e.values)}
        if isinstance(e, UncertainLogNormal):
            low, high = self.extremes()
            return {"distribution": "lognormal", "low": low, "high": high, "mean": e.mean, "sd": e.sd}
        out = {"distribution": e.distribution, "low": e.low, "high": e.high}
        if isinstance(e, UncertainTriangular):
            out["mode"] = e.mode
        return out

    def sampled_text(self) -> str:
        """What the study samples, in words: :meth:`range_text`, a lognormal's sampled ends added.

        >>> Input(UncertainUniform(path="x", source="s", low=-0.3, high=-0.02), current=-0.4).sampled_text()
        '-0.3 to -0.02'
        """
        if isinstance(self.entry, UncertainLogNormal):
            low, high = self.extremes()
            tails = " and ".join(f"{q:.1%}" for q in LOGNORMAL_TAILS)
            return f"{self.range_text()}, between {short_text(low)} and {short_text(high)} (its {tails} points)"
        return self.range_text()

    @property
    def as_written_outside_range(self) -> bool:
        """Whether no sample of the study can hold the value as written (:attr:`current`).

        A number or date below ``low`` or above ``high`` (a lognormal's sampled ends:
        :meth:`extremes`), or a value that is none of a discrete set's. A field left empty
        (None) is not a value written, and a value that cannot be set against the range (a
        date against day numbers without a start date, a mapping set against a range) is
        taken as inside.

        >>> Input(UncertainUniform(path="x", source="s", low=-0.3, high=-0.02), current=-0.4).as_written_outside_range
        True
        >>> Input(UncertainUniform(path="x", source="s", low=-0.3, high=-0.02), current=-0.3).as_written_outside_range
        False
        """
        if self.current is None:
            return False
        if isinstance(self.entry, UncertainValues):
            return all(not _same_value(self.current, value) for value in self.entry.values)
        value = _day_or_number(self.current, self.start_date)
        low, high = (_day_or_number(end, self.start_date) for end in self.extremes())
        if value is None or low is None or high is None:
            return False
        return value < low or value > high

    def extremes(self) -> list[Any]:
        """The values to validate before sampling: both ends of the range, or every item of a set."""
        if isinstance(self.entry, UncertainValues):
            return list(self.entry.values)
        return values_at(self, np.array([0.0, 1.0]))


def inputs_of(s: Scenario) -> list[Input]:
    """The scenario's uncertain inputs, in the order written (the scenario has passed its checks)."""
    return [Input(entry, value_at(s, entry.path), s.start_date) for entry in s.uncertain]


def _day_or_number(value: Any, start_date: dt.date | None) -> float | None:
    """A number as it is, a date as its day number from ``start_date``; None for anything else or no start date."""
    if isinstance(value, dt.date):
        return None if start_date is None else float((value - start_date).days)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _same_value(current: Any, value: Any) -> bool:
    """Whether a field holding ``current`` holds a discrete set's ``value``; True where that cannot be told.

    Lists and mappings item by item; a mapping set on a model field is read as that model (its
    defaults filled in), and a date written as text as a date, before they are compared.
    """
    if isinstance(current, list):
        same = isinstance(value, list) and len(value) == len(current)
        return same and all(_same_value(c, v) for c, v in zip(current, value, strict=True))
    if isinstance(current, dict):
        same = isinstance(value, dict) and value.keys() == current.keys()
        return same and all(_same_value(current[key], value[key]) for key in current)
    try:
        if isinstance(current, BaseModel):
            value = type(current).model_validate(value)
        elif isinstance(current, dt.date) and isinstance(value, str):
            value = dt.date.fromisoformat(value)
    except ValueError:  # pydantic's ValidationError is one
        return True
    return bool(current == value)


def short_text(value: Any) -> str:
    """A value in words: a float to 6 significant digits (``-0.4``, ``1.23457e+06``), a mapping ``{key: value}``."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {short_text(v)}" for k, v in value.items()) + "}"
    return str(value)


def _quantile(entry: Entry, u: np.ndarray) -> np.ndarray:
    """The entry's inverse distribution function at ``u`` (bounds as numbers; dates as day ordinals)."""

    def number(bound: Any) -> float:
        return float(bound.toordinal()) if isinstance(bound, dt.date) else float(bound)

    if isinstance(entry, UncertainUniform):
        low, high = number(entry.low), number(entry.high)
        return low + (high - low) * u
    if isinstance(entry, UncertainTriangular):
        low, mode, high = number(entry.low), number(entry.mode), number(entry.high)
        width = high - low
        left = np.sqrt(u * width * (mode - low))
        right = width - np.sqrt((1.0 - u) * width * (high - mode))
        return low + np.where(u * width < mode - low, left, right)
    if isinstance(entry, UncertainLogNormal):
        sigma2 = math.log1p((entry.sd / entry.mean) ** 2)
        mu = math.log(entry.mean) - sigma2 / 2
        tail_low, tail_high = LOGNORMAL_TAILS
        from scipy.special import ndtri

        return np.exp(mu + math.sqrt(sigma2) * ndtri(tail_low + (tail_high - tail_low) * u))
    raise TypeError(type(entry).__name__)


def values_at(item: Input, u: np.ndarray) -> list[Any]:
    """The values of an uncertain input at quantiles ``u`` (each in [0, 1]), as the field takes them.

    >>> from simulator.scenario.schema import UncertainUniform
    >>> days = Input(UncertainUniform(path="x", source="assumption", low=7, high=9), current=7)
    >>> values_at(days, np.array([0.0, 0.34, 0.5, 0.99, 1.0]))
    [7, 8, 8, 9, 9]
    """
    u = np.clip(np.asarray(u, float), 0.0, 1.0)
    entry, kind = item.entry, item.kind
    if isinstance(entry, UncertainValues):
        k = len(entry.values)
        return [entry.values[i] for i in np.minimum((u * k).astype(int), k - 1)]
    low, high = _whole_range(entry)
    if kind in ("int", "date") and isinstance(entry, UncertainUniform) and low <= high:
        whole = np.minimum(low + np.floor(u * (high - low + 1)), high).astype(int)  # every whole number alike
    elif kind in ("int", "date"):
        whole = np.rint(_quantile(entry, u)).astype(int)
    else:
        return [float(x) for x in _quantile(entry, u)]
    if kind == "date":
        return [dt.date.fromordinal(int(x)) for x in whole]
    return [int(x) for x in whole]


def _whole_range(entry: Entry) -> tuple[int, int]:
    """The whole numbers (or day ordinals) a uniform range covers: ``low`` rounded up, ``high`` down."""
    if not isinstance(entry, UncertainUniform):
        return 0, -1
    if isinstance(entry.low, dt.date) and isinstance(entry.high, dt.date):
        return entry.low.toordinal(), entry.high.toordinal()
    return math.ceil(float(entry.low)), math.floor(float(entry.high))  # type: ignore[arg-type]
