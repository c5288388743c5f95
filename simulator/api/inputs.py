"""Inputs of the Python API: scenarios and changes as a user gives them, validated as the CLI does.

Layer: face.
"""

from __future__ import annotations

import functools
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

# the checks shared with the lower entry points (load_scenario, simulate), re-exported for the API
from simulator.arguments import assignments as assignments
from simulator.arguments import flag as flag
from simulator.arguments import path_argument as path_argument
from simulator.arguments import whole as whole
from simulator.arguments import yaml_value as yaml_value
from simulator.errors import InputError
from simulator.library import refuse_missing_name, resolve_scenario
from simulator.scenario import Scenario
from simulator.scenario.load import load_overridden, overridden_file, validate_overridden
from simulator.scenario.overrides import Overridden
from simulator.scenario.schema import MAX_SEED


def warn_user(text: str) -> None:
    """A ``UserWarning`` of ``text`` shown at the user's line: the first caller outside ``simulator``."""
    package = Path(__file__).resolve().parents[1]
    frame, level = sys._getframe(1), 2  # warn_user's caller is stacklevel 2 of warnings.warn called here
    while frame is not None and Path(frame.f_code.co_filename).resolve().is_relative_to(package):
        frame, level = frame.f_back, level + 1
    warnings.warn(text, UserWarning, stacklevel=level)


def warn_rescaled(changes: Iterable[Any], source: str) -> None:
    """A ``UserWarning`` for each ratio change that rescaled the other members' ratios, as the CLI's ``note:``.

    ``changes`` are :class:`~simulator.scenario.changes.Change` (``changes_of``); the problems are
    :func:`~simulator.scenario.changes.rescaled_problems`, the CLI's, after the file (``source``).
    """
    from simulator.scenario.changes import rescaled_problems

    for problem in rescaled_problems(changes):
        warn_user(problem.render(source, python=True))


ScenarioLike = str | os.PathLike[str] | Mapping[str, Any] | Scenario
"""A scenario file, a bare library name, scenario data or a validated scenario."""
Overrides = Mapping[str, Any] | Iterable[tuple[str, Any] | str] | None
"""``--set`` changes: ``{path: value}``, ``[(path, value), ...]`` or ``["PATH=VALUE", ...]``."""

DATA_SOURCE = "<scenario data>"
"""How messages name a scenario given as data rather than as a file."""

_P = ParamSpec("_P")
_R = TypeVar("_R")


def python_words(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """``func``, its :class:`InputError` naming settings as Python arguments (``max_points=``, not ``--max-points``)."""

    @functools.wraps(func)
    def worded(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            exc.in_python_words()
            raise

    return worded


@dataclass(frozen=True)
class Loaded:
    """A validated scenario, the data it was validated from and where it came from."""

    scenario: Scenario
    data: dict[str, Any] | None
    """The scenario data with the changes applied (None: a ``Scenario`` used as given)."""
    source: str


def raw_data(scenario: ScenarioLike, changes: list[tuple[str, Any]]) -> tuple[dict[str, Any], str]:
    """Scenario data with ``changes`` applied (not validated) and the name messages give it."""
    loaded, source = overridden_data(scenario, changes)
    return loaded.data, source


def overridden_data(scenario: ScenarioLike, changes: list[tuple[str, Any]]) -> tuple[Overridden, str]:
    """:func:`raw_data`, with the mappings the changes made (for :func:`~simulator.scenario.load.blamed`)."""
    if isinstance(scenario, Scenario | Mapping):  # a path that leads nowhere is said of the data, as a file's is
        data = scenario.model_dump(mode="json") if isinstance(scenario, Scenario) else dict(scenario)
        return overridden_file(data, DATA_SOURCE, changes), DATA_SOURCE
    if isinstance(scenario, str | os.PathLike):
        path = resolve_scenario(os.fspath(scenario))
        refuse_missing_name(path)
        return load_overridden(path, changes), path
    kind = type(scenario).__name__
    raise InputError(
        f"scenario: give a file path, a scenario name, a mapping of scenario data or a Scenario, not {kind}"
    )


def seed_argument(seed: Any) -> int | None:
    """The ``seed`` argument of the API's functions: None (the scenario's own) or a seed a scenario takes."""
    return None if seed is None else whole(seed, "seed", 0, MAX_SEED)


def load(scenario: ScenarioLike, changes: Overrides = None, seed: int | None = None) -> Loaded:
    """Load and validate, with the changes and the seed applied (as ``stockpile run`` does)."""
    pairs = assignments(changes)
    if seed is not None:
        pairs.append(("seed", seed_argument(seed)))
    if isinstance(scenario, Scenario) and not pairs:
        return Loaded(scenario, None, DATA_SOURCE)
    with_changes, source = overridden_data(scenario, pairs)
    return Loaded(validate_overridden(with_changes, source, pairs), with_changes.data, source)
