"""Mends from the review of session 56's first changes: what each one defends fails without it."""

from __future__ import annotations

import pytest

from simulator import counterfactuals
from simulator.compare import compare
from simulator.errors import InputError, Problem
from simulator.scenario.overrides import OverrideError
from tests.helpers import TINY_SCENARIO_TEXT, TWO_MEMBERS, build, invoke
from tests.test_one_home_s56_inputs import written


@pytest.mark.parametrize(("held", "built"), [(["japan", "eu"], 0), (["japan"], 1)])
def test_compare_builds_the_status_quo_world_only_where_it_is_not_each_share_held_alone(monkeypatch, held, built):
    # both members' shares held today: the status quo is each share held alone, one world and one row
    calls = []
    original = counterfactuals.status_quo_scenario
    monkeypatch.setattr(counterfactuals, "status_quo_scenario", lambda s: calls.append(s) or original(s))
    compare(build(TWO_MEMBERS, agreement__pool__already_held=held), ["fair_ratio"], "pair.yaml", True)
    assert len(calls) == built


TWO_SUPPLIERS = TINY_SCENARIO_TEXT.replace(
    "  china: {lead_time_days: {japan: 5}}\n",
    "  china: {lead_time_days: {japan: 5}}\n  aus: {lead_time_days: {japan: 5}}\n",
).replace("      ree: {china: 1.0}\n", "      ree: {china: 0.5, aus: 0.5}\n")


def test_a_change_valid_in_the_run_that_makes_the_baseline_invalid_is_said_as_the_change_s(tmp_path):
    mine = written(tmp_path, "two.yaml", TWO_SUPPLIERS)
    baseline = written(tmp_path, "base.yaml", TINY_SCENARIO_TEXT)  # china alone: 0.5 of it sums to 0.5
    out = tmp_path / "out"
    result = invoke("run", mine, "--compare", baseline, "--set", "regions.japan.sourcing.ree.china=0.5", "-o", out)
    assert result.exit_code == 2, result.output
    assert result.output == (
        f"error: {baseline}: regions.japan.sourcing.ree: shares must sum to 1 (they sum to 0.5) "
        "(--set applies to the --compare baseline too; compare with a baseline that has it)\n"
    )
    assert not out.exists()


def test_an_error_with_other_problems_keeps_its_class_source_and_assignment():
    refused = OverrideError([Problem("a.b", "cannot go inside a number")], ("a.b", 1))
    refused = refused.said_of("s.yaml")
    renamed = refused.with_problems([Problem("--compare: a.b", "cannot go inside a number")])
    assert type(renamed) is OverrideError and renamed.assignment == ("a.b", 1) and renamed.source == "s.yaml"
    assert str(renamed) == "s.yaml: --compare: a.b: cannot go inside a number"
    assert isinstance(renamed, InputError)
