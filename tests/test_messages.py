"""Error messages: list items named by id, settings named as each front end spells them, limits of 0 refused."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import simulator
from simulator.cli import main
from simulator.errors import InputError, ScenarioError
from tests.helpers import ONE_REGION, TWO_MEMBERS, assert_bad_input, build


def embargo(ident: str, start: int, end: int, **extra: Any) -> dict[str, Any]:
    """A full embargo of china on japan from day ``start`` to day ``end``."""
    return {"id": ident, "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": start, "end": end, **extra}


THREE_SHOCKS = build(ONE_REGION, shocks=[embargo("first_halt", 1, 3), embargo("second_halt", 5, 7)])
"""ONE_REGION with two valid shocks; a test appends a third (position 2)."""


def with_third(shock: dict[str, Any]) -> dict[str, Any]:
    return build(THREE_SHOCKS, shocks=[*THREE_SHOCKS["shocks"], shock])


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def invoke(*args: Any) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args])


# --- defect 1: list items named by id, not by position ----------------------------------------------

LATE_END = embargo("late_halt", 9, 5)
"""Ends on day 5, before its start on day 9: 'must be after start (day 5 <= day 9)'."""


@pytest.mark.parametrize("command", ["run", "validate"])
def test_a_cross_field_problem_names_the_shock_by_its_id(tmp_path, command):
    path = write(tmp_path, with_third(LATE_END))
    extra = ["-o", tmp_path / "out"] if command == "run" else []
    result = invoke(command, path, *extra)
    assert_bad_input(result, f"{path}: shocks.late_halt.end: must be after start (day 5 <= day 9)")
    assert "shocks.2" not in result.output


def test_a_field_problem_names_the_shock_by_its_id(tmp_path):
    path = write(tmp_path, with_third(embargo("late_halt", 9, 12, severity=1.5)))
    result = invoke("run", path, "-o", tmp_path / "out")
    assert_bad_input(result, f"{path}: shocks.late_halt.severity: must be <= 1")
    assert "shocks.2" not in result.output


def test_set_by_position_is_reported_by_id(tmp_path):
    path = write(tmp_path, with_third(embargo("late_halt", 9, 12)))
    result = invoke("run", path, "-o", tmp_path / "out", "--set", "shocks.2.end=5")
    assert_bad_input(result, f"{path}: shocks.late_halt.end: must be after start (day 5 <= day 9)")


@pytest.mark.parametrize("given", ["shocks.2.end", "shocks.late_halt.end"])
def test_sweep_set_names_the_set_and_the_shock_by_id(tmp_path, given):
    path = write(tmp_path, with_third(embargo("late_halt", 9, 12)))
    out = tmp_path / "out"
    result = invoke("sweep", path, "--grid", "shocks.first_halt.severity=0.5,1", "--set", f"{given}=5", "-o", out)
    # the fixed value is the culprit, not the first grid point
    assert_bad_input(result, f"{path} [set {given}=5]: shocks.late_halt.end: must be after start (day 5 <= day 9)")
    assert not out.exists()


def test_the_python_api_names_the_shock_by_its_id():
    with pytest.raises(ScenarioError) as caught:
        simulator.run(with_third(LATE_END))
    assert str(caught.value) == "<scenario data>: shocks.late_halt.end: must be after start (day 5 <= day 9)"


def test_shocks_sharing_an_id_keep_their_positions():
    # an id two shocks share names neither: the positions tell them apart
    with pytest.raises(ScenarioError) as caught:
        simulator.run(with_third(embargo("first_halt", 9, 12)))
    assert [p.render(None) for p in caught.value.problems] == ["shocks.2.id: duplicate shock id 'first_halt'"]
