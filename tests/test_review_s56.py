"""Mends from the review of session 56's first changes: what each one defends fails without it."""

from __future__ import annotations

import pytest

from simulator import counterfactuals
from simulator.compare import compare
from simulator.errors import InputError, Problem
from simulator.scenario.overrides import OverrideError
from tests.helpers import TWO_MEMBERS, build


@pytest.mark.parametrize(("held", "built"), [(["japan", "eu"], 0), (["japan"], 1)])
def test_compare_builds_the_status_quo_world_only_where_it_is_not_each_share_held_alone(monkeypatch, held, built):
    # both members' shares held today: the status quo is each share held alone, one world and one row
    calls = []
    original = counterfactuals.status_quo_scenario
    monkeypatch.setattr(counterfactuals, "status_quo_scenario", lambda s: calls.append(s) or original(s))
    compare(build(TWO_MEMBERS, agreement__pool__already_held=held), ["fair_ratio"], "pair.yaml", True)
    assert len(calls) == built


def test_an_error_with_other_problems_keeps_its_class_source_and_assignment():
    refused = OverrideError([Problem("a.b", "cannot go inside a number")], ("a.b", 1))
    refused = refused.said_of("s.yaml")
    renamed = refused.with_problems([Problem("--compare: a.b", "cannot go inside a number")])
    assert type(renamed) is OverrideError and renamed.assignment == ("a.b", 1) and renamed.source == "s.yaml"
    assert str(renamed) == "s.yaml: --compare: a.b: cannot go inside a number"
    assert isinstance(renamed, InputError)
