"""Session 52, the Python API's notes and manners (audit s52 api_explorer_audit.md: D1, D3, M1-M5, M10)."""

from __future__ import annotations

import pytest

import simulator
from simulator.errors import ScenarioError


def _message(call, *args, **kwargs) -> str:
    with pytest.raises(ScenarioError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def test_load_scenario_says_where_a_bare_name_was_looked_for(tmp_path, monkeypatch):
    """M5: load_scenario("nope") names the folders searched, word for word as simulator.run does."""
    monkeypatch.chdir(tmp_path)
    loaded = _message(simulator.load_scenario, "no_such_scenario_s52")
    ran = _message(simulator.run, "no_such_scenario_s52")
    assert loaded == ran
    assert "nor as no_such_scenario_s52.yaml or no_such_scenario_s52.yml in ./scenarios" in loaded
    # a path to nothing (not a bare name) keeps the plain message
    assert _message(simulator.load_scenario, str(tmp_path / "gone.yaml")).endswith("gone.yaml: file not found")
