"""Loading scenarios: safe YAML, overrides, both validation tiers, readable errors.

Layer: ground.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from simulator.errors import InputError, Problem, ScenarioError
from simulator.scenario import schema
from simulator.scenario.checks import check_scenario
from simulator.scenario.overrides import apply_overrides
from simulator.scenario.portfolio import check_quotas
from simulator.scenario.schema import Scenario

_MESSAGES = {
    "greater_than_equal": "must be >= {ge}",
    "greater_than": "must be > {gt}",
    "less_than_equal": "must be <= {le}",
    "less_than": "must be < {lt}",
    "missing": "is required",
    "too_short": "needs at least {min_length} item(s)",
    "string_pattern_mismatch": "must be lower-case letters, digits and '_', starting with a letter",
}


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML mapping with the safe loader; errors name the file and line."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError("file not found", source) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read: {exc}", source) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(f"malformed YAML: {where}{problem}", source) from None
    if not isinstance(data, dict):
        raise ScenarioError("a scenario must be a YAML mapping of fields", source)
    return data


_PRIMITIVE_TAGS = frozenset({"int", "float", "str", "bool", "date", "list", "dict", "none"})
_UNION_TAGS = frozenset({"uniform", "triangular", "lognormal", "embargo", "quota_cut", "delay", "demand_surge"})


def _is_tag(item: Any) -> bool:
    """Pydantic's names for union branches and validators (field names have no '-')."""
    return isinstance(item, str) and ("[" in item or "-" in item or item in _PRIMITIVE_TAGS or item in _UNION_TAGS)


def _readable_path(loc: tuple[Any, ...], data: Any) -> str:
    """Dotted path of an error location, without pydantic's union and type tags."""
    parts: list[str] = []
    node = data
    for item in loc:
        if (isinstance(node, dict) and item in node) or (
            isinstance(node, list) and isinstance(item, int) and 0 <= item < len(node)
        ):
            node = node[item]
            parts.append(str(item))
        elif not _is_tag(item):
            parts.append(str(item))
            node = None
    return ".".join(parts)


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _field_names() -> list[str]:
    """Every field name of the scenario schema (the vocabulary for 'did you mean')."""
    names: set[str] = set()
    for obj in vars(schema).values():
        if isinstance(obj, type) and issubclass(obj, schema.Model):
            names.update(obj.model_fields)
    return sorted(names)


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    ctx = {k: _number(v) for k, v in (error.get("ctx") or {}).items()}
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        close = difflib.get_close_matches(key, _field_names(), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown key{hint}"
    if kind in _MESSAGES:
        try:
            return _MESSAGES[kind].format(**ctx)
        except KeyError:
            pass
    return str(error["msg"]).removeprefix("Value error, ")


def _problems(exc: ValidationError, data: dict[str, Any]) -> list[Problem]:
    """One problem per field path (the first message when a union reports several)."""
    by_path: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        path = _readable_path(tuple(error["loc"]), data)
        by_path.setdefault(path, _message(error))
    return [Problem(path, message) for path, message in by_path.items()]


def validate_data(data: dict[str, Any], source: str | None = None) -> Scenario:
    """Validate raw scenario data (both tiers); raise one :class:`ScenarioError`."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_problems(exc, data), source) from None
    problems = check_scenario(scenario)
    if not problems:  # quotas are computed only on a consistent scenario
        problems = check_quotas(scenario)
    if problems:
        raise ScenarioError(problems, source)
    return scenario


def load_raw(path: str | Path, overrides: list[tuple[str, Any]] | None = None) -> dict[str, Any]:
    """Raw scenario data from a YAML file with overrides applied (not validated)."""
    path = Path(path)
    data = read_yaml(path)
    if overrides:
        try:
            data = apply_overrides(data, overrides)
        except InputError as exc:  # a bad --set path: name the file
            raise ScenarioError(exc.problems, str(path)) from None
    return data


def load_scenario(path: str | Path, overrides: list[tuple[str, Any]] | None = None) -> Scenario:
    """Load, override and validate a scenario file.

    Parameters
    ----------
    path
        YAML scenario file.
    overrides
        ``(dotted_path, value)`` pairs applied before validation (see
        :mod:`simulator.scenario.overrides`).
    """
    return validate_data(load_raw(path, overrides), str(path))


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON (keys sorted): same content, same hash."""
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file."""
    return Scenario.model_json_schema()
