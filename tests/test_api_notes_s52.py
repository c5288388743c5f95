"""Session 52, the Python API's notes and manners (audit s52 api_explorer_audit.md: D1, D3, M1-M5, M10)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import simulator
from simulator.errors import ScenarioError

ROOT = Path(__file__).resolve().parents[1]


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


def _recorded(call, *args, **kwargs) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call(*args, **kwargs)
    return [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


def test_run_warns_the_ratios_it_rescaled(monkeypatch):
    """M1: Japan's ratio set to 0.3 leaves 1 - 0.3 = 0.7 to the EU (0.21 in the file), as the CLI's note says."""
    monkeypatch.chdir(ROOT)
    notes = _recorded(simulator.run, "embargo_2010", set={"agreement.ratio.japan": 0.3})
    assert notes == [
        "scenarios/embargo_2010.yaml: agreement.ratio.japan: the other members' ratios are "
        "rescaled to what is left: eu 0.7 (in the file: 0.21)"
    ]
    # both ratios given: nothing rescaled, nothing said
    assert _recorded(simulator.run, "embargo_2010", set={"agreement.ratio.japan": 0.3, "agreement.ratio.eu": 0.7}) == []
