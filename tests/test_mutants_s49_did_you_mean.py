"""What a misspelled id or key is told (did you mean): cases hand-applied mutants of ``errors.known_hint``,
``overrides._check_id`` and ``load``'s hints got through the earlier tests."""

from __future__ import annotations

import copy

import pytest

from simulator.errors import InputError, ScenarioError
from simulator.scenario import apply_overrides, validate_data
from simulator.scenario.notes import scenario_notes
from tests.helpers import ONE_REGION, TWO_MEMBERS, build, halt


def told(data: dict) -> str:
    with pytest.raises(ScenarioError) as caught:
        validate_data(data, "s.yaml")
    return caught.value.render()


def test_a_set_through_an_id_of_a_mapping_with_none_says_none_is_known():
    """No supplier at all: the known ones are 'none', not an empty list, and there is nothing to suggest."""
    data = copy.deepcopy(ONE_REGION)
    data["suppliers"] = {}
    with pytest.raises(InputError) as caught:
        apply_overrides(data, [("suppliers.china.lead_time_days.japan", 5)])
    assert [p.render(None) for p in caught.value.problems] == [
        "suppliers.china: unknown supplier 'china' (known: none) (to add a supplier, set it whole: "
        "suppliers.china={...})"
    ]


def test_a_key_a_close_field_name_is_suggested_for():
    """``horizon`` is ``horizon_days`` cut short (7 of its 12 letters): the suggestion is that field."""
    assert told(build(ONE_REGION, horizon=40)) == "s.yaml: horizon: unknown key; did you mean 'horizon_days'?"


def test_a_key_of_another_distribution_names_the_distribution_not_the_shock():
    """``mode`` is a triangular distribution's key: on a uniform start it is unknown for 'uniform' (the
    innermost kind of entry), not for the embargo the distribution is in."""
    start = {"distribution": "uniform", "low": 1, "high": 5, "mode": 3}
    assert told(build(ONE_REGION, shocks=[halt(start=start)])) == (
        "s.yaml: shocks.halt.start.mode: unknown key for 'uniform'"
    )


def test_an_id_with_a_character_no_id_has_gets_no_suggestion():
    """``Cobalt!`` lower-cased is still no id (``!``): nothing is suggested; ``Co-balt`` reads as ``co_balt``."""
    message = "s.yaml: shocks.halt.materials.0: must be lower-case letters, digits and '_', starting with a letter"
    assert told(build(ONE_REGION, shocks=[halt(materials=["Cobalt!"])])) == message
    assert told(build(ONE_REGION, shocks=[halt(materials=["Co-balt"])])) == f"{message}; did you mean 'co_balt'?"


def test_a_ratio_key_naming_a_misspelled_member_is_not_told_again():
    """The member 'japn' is told once, where it is written; the ratio key naming it is the same mistake."""
    data = build(TWO_MEMBERS, agreement__members=["japn", "eu"], agreement__ratio={"japn": 0.5, "eu": 0.5})
    assert told(data) == "s.yaml: agreement.members.0: unknown region 'japn' (known: eu, japan); did you mean 'japan'?"


def test_a_supplier_nobody_buys_from_is_shown_the_one_it_may_mean():
    """'chinaa' has a lead time to Japan, which sources from 'china' only: a misspelling of the supplier bought from."""
    data = build(TWO_MEMBERS, suppliers__chinaa={"lead_time_days": {"japan": 9}})
    assert [n.render(None) for n in scenario_notes(validate_data(data, "s.yaml"))] == [
        "suppliers.chinaa: no region can buy from 'chinaa' (none it has a lead time to sources from it, re-sources "
        "to spare capacity or has a quota), so it changes nothing; did you mean 'china'?"
    ]
