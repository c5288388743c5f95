"""Tolerances of the regression gate (studies layer): defaults, per metric, per scenario, retired baselines.

Layer: studies.

``tolerances.yaml`` beside the baselines::

    default: {rtol: 1.0e-9, atol: 1.0e-6}
    metrics:                      # by metric name (the part before the first dot)
      fairness_jain: {atol: 1.0e-4}
      days_of_cover: {atol: 0.01}
    scenarios:                    # by scenario name or file key (glob patterns; each must match one)
      embargo_stochastic: {rtol: 1.0e-6}
    retired:                      # baselines kept on purpose without their scenario file
      - embargo_2009

Every tolerance must be a finite number >= 0: an infinite or NaN tolerance would let any
change pass (or fail), so it is refused like any other bad input, as is an unknown key
(``atl``: the message names it and the key it may mean). When folders are checked, a
``scenarios:`` pattern that matches neither the name nor the file key (``eu/embargo``:
its path under the folder, without ``.yaml``; for same-named files labelled longer, the
plain key too) of any scenario is refused too
(:func:`simulator.gate.run.unused_patterns`), and so are two entries with other tolerances
that match one scenario, of which only the first listed would apply
(:func:`simulator.gate.run.clashing_patterns`).
"""

from __future__ import annotations

import difflib
import fnmatch
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from simulator.errors import InputError, Problem, closest_hint, known_hint, setting
from simulator.gate.baseline import METRIC_NAMES, Number
from simulator.quantities import DAY_METRICS
from simulator.scenario.load import yaml_data

DEFAULT_RTOL = 1e-9
DEFAULT_ATOL = 1e-6
KEYS = ("default", "metrics", "scenarios", "retired")


@dataclass(frozen=True)
class Tolerance:
    """Relative and absolute tolerance of one number: ``|now - then| <= atol + rtol * |then|``."""

    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL

    def accepts(self, key: str, now: Number, then: Number) -> bool:
        """Whether ``now`` is the same number as ``then`` (None only matches None), for the number at ``key``.

        ``key`` is a baseline's metric key (``first_shortfall_day.eu.light_ree``) or curve name: it
        says whether the number is a day (a first day short, a day of lowest cover or peak
        price, :func:`is_day_key`), so that no caller can compare a day as another number. A day
        is the same within ``atol`` days, whatever ``rtol`` (a relative tolerance would allow
        more days the later the day); -1 (never, none) matches only -1.

        >>> loose = Tolerance(rtol=0.5, atol=1)
        >>> loose.accepts("first_shortfall_day.eu", 488, 354), loose.accepts("shortfall_t.eu", 488, 354)
        (False, True)
        >>> Tolerance(atol=10).accepts("peak_price_day.eu.light_ree", -1, 0)
        False
        """
        if now is None or then is None:
            return now is None and then is None
        if is_day_key(key):
            if (float(now) < 0) != (float(then) < 0):
                return False
            return abs(float(now) - float(then)) <= self.atol
        return bool(np.isclose(float(now), float(then), rtol=self.rtol, atol=self.atol))


def is_day_key(key: str) -> bool:
    """Whether a baseline's metric key (``first_shortfall_day.eu.light_ree``) or curve name holds a day number."""
    return key.split(".", 1)[0] in DAY_METRICS


@dataclass(frozen=True)
class Tolerances:
    """Default tolerances, per-metric and per-scenario overrides, and retired baselines."""

    default: Tolerance = field(default_factory=Tolerance)
    metrics: dict[str, Tolerance] = field(default_factory=dict)
    scenarios: dict[str, Tolerance] = field(default_factory=dict)
    retired: tuple[str, ...] = ()
    """Baseline names (scenario file stems) that may exist without their scenario file."""
    source: str | None = None
    """The file these came from (None: defaults and options only)."""

    def for_metric(self, scenario: str | tuple[str, ...], key: str) -> Tolerance:
        """The tolerance of ``key`` in ``scenario``: metric entry, else scenario entry, else default.

        ``scenario`` is the scenario's ``name:``, or that and its file key: a ``scenarios:``
        pattern matching either applies.
        """
        name = key.split(".", 1)[0]
        if name in self.metrics:
            return self.metrics[name]
        labels = (scenario,) if isinstance(scenario, str) else scenario
        for pattern, tolerance in self.scenarios.items():
            if any(fnmatch.fnmatch(label, pattern) for label in labels):
                return tolerance
        return self.default


def checked(value: Any, where: str, source: str | None) -> float:
    """``value`` as a tolerance: a finite number >= 0, else an :class:`InputError` naming ``where``.

    >>> checked(0, "--atol", None)
    0.0
    >>> checked(float("inf"), "--atol", None)
    Traceback (most recent call last):
    ...
    simulator.errors.InputError: --atol: must be a finite number >= 0, not inf
    """
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 0
    if not ok:
        raise InputError([Problem(where, f"must be a finite number >= 0, not {value!r}")], source)
    return float(value)


def _meant_first(name: str, known: Iterable[str]) -> str:
    """``; did you mean 'x'? (known: ...)``: the closest name before a list too long to read first.

    >>> _meant_first("total_shortfal_t", ["days_short", "total_shortfall_t"])
    "; did you mean 'total_shortfall_t'? (known: days_short, total_shortfall_t)"
    """
    known = sorted(known)
    return f"{closest_hint(name, known)} (known: {', '.join(known) or 'none'})"


def _tolerance(data: Any, where: str, base: Tolerance, source: str) -> Tolerance:
    unknown = sorted(str(key) for key in set(data) - {"rtol", "atol"}) if isinstance(data, dict) else []
    if unknown:
        close = difflib.get_close_matches(unknown[0], ("rtol", "atol"), n=1, cutoff=0.5)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise InputError(f"{where}.{unknown[0]}: unknown key (known: rtol, atol){hint}", source)
    if not isinstance(data, dict) or not data:
        raise InputError(f"{where}: give rtol and/or atol, e.g. {{rtol: 1.0e-6}}", source)
    return Tolerance(
        **{key: checked(data.get(key, getattr(base, key)), f"{where}.{key}", source) for key in ("rtol", "atol")}
    )


def _mapping(data: Any, where: str, source: str) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a mapping of name to {{rtol, atol}}", source)
    return data


def _read(path: Path) -> dict[str, Any]:
    """The file's mapping, read as strictly as a scenario (duplicate keys, nesting, size; :mod:`strict_yaml`)."""
    source = str(path)
    data = yaml_data(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(f"expected a mapping with keys {', '.join(KEYS)}", source)
    unknown = sorted(str(k) for k in set(data) - set(KEYS))
    if unknown:
        raise InputError(f"{unknown[0]}: unknown key {known_hint(unknown[0], KEYS)}", source)
    return data


def load_tolerances(path: Path | None, rtol: float | None = None, atol: float | None = None) -> Tolerances:
    """Tolerances from a file (if it exists) with ``--rtol``/``--atol`` replacing its defaults.

    Raises
    ------
    InputError
        A non-finite or negative tolerance (naming the option, or the file and field), or a
        malformed file.
    """
    if rtol is not None:
        checked(rtol, setting("rtol"), None)
    if atol is not None:
        checked(atol, setting("atol"), None)
    option = Tolerance(DEFAULT_RTOL if rtol is None else rtol, DEFAULT_ATOL if atol is None else atol)
    if path is None or not (path.exists() or path.is_symlink()):  # a broken link is read (and refused), not skipped
        return Tolerances(option)
    source = str(path)
    data = _read(path)
    default = option
    if data.get("default") is not None:
        from_file = _tolerance(data["default"], "default", Tolerance(), source)
        default = Tolerance(from_file.rtol if rtol is None else rtol, from_file.atol if atol is None else atol)
    metrics = {}
    for name, entry in _mapping(data.get("metrics"), "metrics", source).items():
        if name not in METRIC_NAMES:
            raise InputError(f"metrics.{name}: unknown metric{_meant_first(str(name), METRIC_NAMES)}", source)
        if name in DAY_METRICS and isinstance(entry, dict) and "rtol" in entry:
            message = "a day number takes atol (days) only: rtol would allow more days the later the day"
            raise InputError(f"metrics.{name}.rtol: {message}", source)
        metrics[name] = _tolerance(entry, f"metrics.{name}", default, source)
    scenarios = {
        str(pattern): _tolerance(entry, f"scenarios.{pattern}", default, source)
        for pattern, entry in _mapping(data.get("scenarios"), "scenarios", source).items()
    }
    retired = data.get("retired") or []
    if not isinstance(retired, list) or not all(isinstance(name, str) and name for name in retired):
        raise InputError("retired: expected a list of baseline names (scenario file names without .yaml)", source)
    return Tolerances(default, metrics, scenarios, tuple(retired), source)
