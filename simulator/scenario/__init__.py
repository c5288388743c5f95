"""Scenario files: typed model, loading, validation, overrides and JSON Schema.

Layer: ground.
"""

from simulator.scenario.checks import day_number
from simulator.scenario.load import (
    json_schema,
    load_raw,
    load_scenario,
    read_yaml,
    scenario_hash,
    validate_data,
)
from simulator.scenario.overrides import apply_overrides, parse_assignment
from simulator.scenario.schema import Scenario
from simulator.scenario.strict_yaml import load_yaml

__all__ = [
    "Scenario",
    "apply_overrides",
    "day_number",
    "json_schema",
    "load_raw",
    "load_scenario",
    "load_yaml",
    "parse_assignment",
    "read_yaml",
    "scenario_hash",
    "validate_data",
]
