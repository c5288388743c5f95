"""The scenario checks' duplicate-list rule (``_unique``) and ``follows`` order, adjacency and cycle checks:
cases hand-applied mutants of ``simulator/scenario/checks.py`` got through the earlier tests.

Licensing shocks are China's on the tiny scenario (from 1 Jul 2010) unless a case says otherwise.
"""

from __future__ import annotations

import signal

import pytest

from simulator.errors import InputError
from simulator.scenario import validate_data
from simulator.scenario.strict_yaml import load_yaml
from tests.helpers import TWO_MEMBERS, build
from tests.test_bad_input_s48 import TWO_MATERIALS, licensing, with_shocks
from tests.test_share_path import WORLD

HALT = TWO_MEMBERS["shocks"][0]
"""China's embargo on Japan and the EU."""


def told(data: dict) -> str:
    with pytest.raises(InputError) as caught:
        validate_data(data, "s.yaml")
    return caught.value.render()


def with_lynas(data: dict) -> dict:
    data["suppliers"]["lynas"] = {"lead_time_days": {"japan": 20}}
    return data


def test_every_name_given_twice_is_named_in_order():
    """Japan and the EU both given twice: both are named, in order, once each."""
    data = build(TWO_MEMBERS, shocks=[{**HALT, "regions": ["japan", "eu", "eu", "japan"]}])
    assert told(data) == "s.yaml: shocks.halt.regions: must be unique: 'eu', 'japan' given twice"


def test_a_material_given_twice_in_a_shock_is_refused():
    data = build(TWO_MEMBERS, shocks=[{**HALT, "materials": ["ree", "ree"]}])
    assert told(data) == "s.yaml: shocks.halt.materials: must be unique: 'ree' given twice"


def test_a_region_given_twice_in_a_quotas_preference_is_refused():
    quota = {
        "id": "quota",
        "kind": "export_quota",
        "supplier": "china",
        "start": 0,
        "end": 60,
        "tonnes_per_period": 500,
        "period_days": 10,
        "sharing": "preference",
        "preference": ["eu", "eu"],
    }
    assert (
        told(build(TWO_MEMBERS, shocks=[quota])) == "s.yaml: shocks.quota.preference: must be unique: 'eu' given twice"
    )


def test_a_supplier_given_twice_in_a_dependency_step_is_refused():
    step = {"start": 10, "max_share": 0.6, "suppliers": ["china", "china"]}
    data = build(WORLD, **{"regions.japan.procurement.quota.ree.max_share_path": [step]})
    assert told(data) == (
        "s.yaml: regions.japan.procurement.quota.ree.max_share_path.0.suppliers: must be unique: 'china' given twice"
    )


def test_follows_with_no_licensing_shock_at_all_says_none():
    assert told(with_shocks(licensing("b", 20, 30, follows="a"))) == (
        "s.yaml: shocks.b.follows: no other shock with id 'a' (licensing shocks: none)"
    )


def test_follows_of_another_suppliers_licence_is_refused():
    """Lynas's licence terms are not China's: China's later licence cannot take over what they review."""
    data = with_lynas(with_shocks(licensing("a", 5, 15, supplier="lynas"), licensing("b", 20, 30, follows="a")))
    assert told(data) == "s.yaml: shocks.b.follows: 'a' licenses another supplier's exports"


@pytest.mark.parametrize(
    "between",
    [
        licensing("m", 10, 20, supplier="lynas"),  # another supplier's terms in between
        licensing("m", 5, 20),  # from the day 'a' starts: not after it
        licensing("m", 20, 25),  # from the day 'b' starts: not before it
        {**licensing("m", 10, 20), "kind": "embargo", "regions": ["japan"]},  # no licence: an embargo
    ],
)
def test_a_licence_not_strictly_between_the_two_is_not_skipped_over(between):
    validate_data(with_lynas(with_shocks(licensing("a", 5, 15), between, licensing("b", 20, 30, follows="a"))), "s")


def test_of_two_licences_skipped_over_the_later_is_named():
    """'m' (day 10) and 'n' (day 15) come between 'a' (day 5) and 'b' (day 20): 'b' should follow 'n'."""
    shocks = [
        licensing("a", 5, 15),
        licensing("m", 10, 20),
        licensing("n", 15, 20),
        licensing("b", 20, 30, follows="a"),
    ]
    assert told(with_shocks(*shocks)) == (
        "s.yaml: shocks.b.follows: 'n' starts after 'a' and before this shock, on 2010-07-16 (day 15): a shock "
        "follows the terms it replaces, the last before it ('n')"
    )


def test_the_licences_between_are_those_on_this_shocks_materials():
    """'b' on cobalt follows 'a' on rare earths: a cobalt licence between them is skipped over, a rare-earth one
    is another regime."""
    data = load_yaml(TWO_MATERIALS)
    data["shocks"] = [
        licensing("a", 5, 15, materials=["ree"]),
        licensing("m", 10, 20, materials=["co"]),
        licensing("b", 20, 30, materials=["co"], follows="a"),
    ]
    assert told(data).startswith("s.yaml: shocks.b.follows: 'm' starts after 'a' and before this shock")
    data["shocks"][1]["materials"] = ["ree"]
    validate_data(data, "s.yaml")


def _timed_out(signum, frame):
    raise TimeoutError("the check did not end")


def test_a_chain_into_a_cycle_or_to_a_missing_id_is_followed_to_its_end():
    """'b' follows 'a', which goes round a cycle with 'c' that 'b' is not in: the cycle is told for 'a' and 'c'
    (the walk from 'b' ends when it comes back to 'a'); 'a' following an id no shock has is told for 'a' alone."""
    cycle = with_shocks(
        licensing("b", 20, 30, follows="a"), licensing("a", 10, 20, follows="c"), licensing("c", 5, 10, follows="a")
    )
    previous = signal.signal(signal.SIGALRM, _timed_out)
    signal.setitimer(signal.ITIMER_REAL, 30.0)  # a guard against a walk that never ends, not a speed limit
    try:
        message = told(cycle)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert message.splitlines() == [
        "s.yaml: shocks.a.follows: the shocks follow each other round in a cycle (a -> c -> a)",
        "s.yaml: shocks.c.follows: the shocks follow each other round in a cycle (c -> a -> c)",
    ]
    missing = with_shocks(licensing("b", 20, 30, follows="a"), licensing("a", 10, 20, follows="zzz"))
    assert told(missing) == "s.yaml: shocks.a.follows: no other shock with id 'zzz' (licensing shocks: b)"


@pytest.mark.parametrize("written", [None, ["ree", "co"], ["co", "ree"]])
def test_a_licence_on_every_material_written_out_is_skipped_over_as_one_on_all(written):
    """'a' and 'b' license every material (no ``materials``); 'm' between them licenses both materials too, however
    it is written (left out or listed in either order: the plan reads each as every material; an empty list is
    refused), so 'b'
    skips over it. The check compared the lists as written: a list of both was another regime, not skipped."""
    data = load_yaml(TWO_MATERIALS)
    between = licensing("m", 10, 20) if written is None else licensing("m", 10, 20, materials=written)
    data["shocks"] = [licensing("a", 5, 15), between, licensing("b", 20, 30, follows="a")]
    assert told(data).startswith("s.yaml: shocks.b.follows: 'm' starts after 'a' and before this shock, on 2010-07-11")
