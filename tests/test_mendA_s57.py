"""Session 57 mends of what a change that leads nowhere and a path through a file are said to be.

Each test states what was said before its mend.
"""

from __future__ import annotations

import pytest
import yaml

import simulator
from simulator.api.inputs import load
from simulator.errors import ScenarioError
from simulator.scenario.overrides import OverrideError
from tests.helpers import TINY_SCENARIO_TEXT, assert_bad_input, invoke

# TINY_SCENARIO_TEXT has one shock: position 99 is out of range, "(list has 1 items)"
OUT_OF_RANGE = "shocks.99: index 99 out of range (list has 1 items)"


def assert_said_of_the_change(error: Exception, source: str) -> None:
    """The one rule: ``SOURCE [set shocks.99.x=1]: ...``, a ScenarioError and an OverrideError with its assignment."""
    assert str(error) == f"{source} [set shocks.99.x=1]: {OUT_OF_RANGE}"
    assert isinstance(error, ScenarioError) and isinstance(error, OverrideError)
    assert error.assignment == ("shocks.99.x", 1)


# --- 1. a change on scenario data, as on a file ---------------------------------------------------


@pytest.mark.parametrize("given", ["mapping", "scenario"])
def test_a_change_that_leads_nowhere_on_data_is_said_of_the_change(given):
    """It was an InputError ``<scenario data>: shocks.99: ...``, neither the change nor its class."""
    data = yaml.safe_load(TINY_SCENARIO_TEXT)
    scenario = data if given == "mapping" else load(data).scenario
    with pytest.raises(ScenarioError) as refused:
        load(scenario, {"shocks.99.x": 1})
    assert_said_of_the_change(refused.value, "<scenario data>")


# --- 2. one class for every command: run's and sweep's are the same error -------------------------


def test_run_and_sweep_give_one_error_for_a_change_that_leads_nowhere(tmp_path):
    """The file route (run, the API's load) gave a ScenarioError with no assignment; sweep an OverrideError alone."""
    path = tmp_path / "s.yaml"
    path.write_text(TINY_SCENARIO_TEXT)
    with pytest.raises(ScenarioError) as by_load:
        load(str(path), {"shocks.99.x": 1})
    with pytest.raises(ScenarioError) as by_sweep:
        simulator.sweep(str(path), grid={"horizon_days": [10, 20]}, set={"shocks.99.x": 1})
    for error in (by_load.value, by_sweep.value):
        assert_said_of_the_change(error, str(path))
    assert type(by_load.value) is type(by_sweep.value)
    assert_bad_input(
        invoke("run", path, "--set", "shocks.99.x=1", "-o", tmp_path / "out"), f"[set shocks.99.x=1]: {OUT_OF_RANGE}"
    )


# --- 5. one test of "inside a path" -------------------------------------------------------------


def test_inside_a_path_is_one_helper_that_blame_uses():
    """``load._within`` repeated ``overrides``' test: load now takes the one in overrides."""
    from simulator.scenario import load, overrides

    assert load.within is overrides.within
    assert (overrides.within("shocks.halt.end", "shocks.halt"), overrides.within("shocks.halter", "shocks.halt")) == (
        True,
        False,
    )
