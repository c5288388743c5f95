"""compare, sensitivity and run --uncertainty validate the scenario as written once (session 59).

The command line validated it naming the ``--set`` that caused a problem (``load_checked``, ``_checked_with``,
``validate_overridden``), then ``compare()`` and ``plan_study`` validated the same data again (about 1 ms each).
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

import simulator
from simulator.scenario import Scenario, load_raw
from tests.helpers import TWO_MEMBERS, build, invoke

UNSURE = build(
    TWO_MEMBERS,
    uncertain=[{"path": "regions.japan.demand.ree.tonnes_per_day", "low": 15, "high": 25, "source": "test"}],
)
"""TWO_MEMBERS (Japan's demand 20 t a day, under the fair ratio) with that demand uncertain from 15 to 25: no sample
and neither end of the range is the scenario as written."""


@pytest.fixture
def written(tmp_path) -> str:
    path = tmp_path / "pair.yaml"
    path.write_text(yaml.safe_dump(UNSURE, sort_keys=False))
    return str(path)


@pytest.fixture
def validated(monkeypatch) -> list[dict[str, Any]]:
    """The data of every scenario validated from here on (``Scenario.model_validate``, which validate_data calls)."""
    calls: list[dict[str, Any]] = []
    original = Scenario.model_validate

    def counted(data: Any, *args: Any, **kwargs: Any) -> Scenario:
        calls.append(data)
        return original(data, *args, **kwargs)

    monkeypatch.setattr(Scenario, "model_validate", staticmethod(counted))
    return calls


def test_compare_validates_the_scenario_then_each_rule_once(written, validated, tmp_path):
    result = invoke(
        "compare",
        written,
        "--mechanisms",
        "proportional_to_demand",
        "--no-baseline",
        "--no-plots",
        "-o",
        tmp_path / "o",
    )
    assert result.exit_code == 0, result.output
    # the scenario as written (fair ratio), then the one rule compared
    assert [data["agreement"]["mechanism"] for data in validated] == ["fair_ratio", "proportional_to_demand"]


def test_the_apis_compare_validates_the_scenario_then_each_rule_once(written, validated):
    simulator.compare(written, mechanisms="proportional_to_demand", baseline=False)
    assert [data["agreement"]["mechanism"] for data in validated] == ["fair_ratio", "proportional_to_demand"]


def test_sensitivity_validates_the_scenario_as_written_once(written, validated, tmp_path):
    # Morris, 2 trajectories of 1 input: 4 runs, none of them at the written 20 t a day
    result = invoke("sensitivity", written, "--method", "morris", "--samples", 2, "-o", tmp_path / "o", "--workers", 1)
    assert result.exit_code == 0, result.output
    assert sum(data == load_raw(written) for data in validated) == 1


def test_run_with_uncertainty_validates_the_scenario_as_written_once(written, validated, tmp_path):
    result = invoke("run", written, "--uncertainty", 4, "--no-plots", "-o", tmp_path / "o")
    assert result.exit_code == 0, result.output
    assert sum(data == load_raw(written) for data in validated) == 1
