"""Every shipped scenario is valid with its uncertain inputs all at the low ends of their ranges,
and all at the high ends (s53: an entry on the 2030 files' recycled magnet capacity, 0-10.95
t/day, fell below the EU quota's 25% recycling minimum, so `--uncertainty` stopped at its first
sample with exit 2)."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.errors import ScenarioError
from simulator.scenario import load_raw, validate_data
from simulator.scenario.overrides import apply_overrides
from simulator.scenario.uncertain import inputs_of, values_at
from tests.helpers import SCENARIOS, TWO_MEMBERS, build

END_QUANTILE = {"low": 0.0005, "high": 0.9995}
"""Where each range ends: a uniform entry's very ends (whole numbers land on them), a lognormal's far tails."""


def _at_the_end(raw, end: str):
    scenario = validate_data(raw, "s.yaml")
    point = [(item.entry.path, values_at(item, np.array([END_QUANTILE[end]]))[0]) for item in inputs_of(scenario)]
    return validate_data(apply_overrides(raw, point), "s.yaml")


@pytest.mark.parametrize("end", ["low", "high"])
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_a_shipped_scenario_is_valid_at_either_end_of_its_uncertain_ranges(path, end):
    assert _at_the_end(load_raw(str(path), []), end).uncertain


def test_an_entry_whose_end_breaks_a_rule_is_caught():
    """An entry whose low end breaks a field's own bound (a negative demand) is refused at that end only."""
    data = build(TWO_MEMBERS)
    data["uncertain"] = [
        {"path": "regions.eu.demand.ree.tonnes_per_day", "low": -10, "high": 90, "source": "assumption"},
    ]
    _at_the_end(data, "high")
    with pytest.raises(ScenarioError):
        _at_the_end(data, "low")
