"""Jain's index of 1/n says what it means, one member bearing all the shortfall, where the report gives it
(session 60, point 4). Worked out by hand.
"""

from __future__ import annotations

from simulator.report.findings import Run, overall_finding
from tests.helpers import TWO_MEMBERS, build, run, with_korea
from tests.test_report_answers import plain
from tests.test_report_by_material import MINOR_METALS

JAPAN_HALTED = [
    {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}
]


def test_an_index_of_one_half_says_one_member_bears_it_all():
    # only Japan halted: shares (x, 0), Jain x^2 / (2 x^2) = 1/2
    sentence = plain(overall_finding(Run.of(run(build(TWO_MEMBERS, shocks=JAPAN_HALTED)))))
    assert sentence.endswith(
        "(Jain's index of shortfall shares, 1 = equal) is 0.50: Japan bears it all (one of two members)."
    )


def test_an_index_of_one_half_by_material_says_one_member_bears_it_all():
    # gallium and germanium (not added): only Japan halted, no pool: 2 and 1 t a day over 10 days, the EU none
    result = run(build(MINOR_METALS, shocks=JAPAN_HALTED, agreement__pool__contributions={}))
    sentence = plain(overall_finding(Run.of(result)))
    assert "short of 20.0 t of gallium and 10.0 t of germanium" in sentence
    # said once, the bearer named: not per material, nor again as "the shortfall on 1 of the 2 members"
    assert sentence.endswith("1 = equal): gallium and germanium 0.50 each: Japan bears it all (one of two members).")


def test_one_over_n_names_the_members_with_demand_it_counts():
    # Korea joins using nothing: the index leaves it out, so Japan bearing it all is 1/2, one of two members
    world = with_korea(
        build(TWO_MEMBERS, shocks=JAPAN_HALTED),
        tonnes_per_day=None,
        ratio={"japan": 1 / 3, "eu": 1 / 3, "korea": 1 / 3},
    )
    sentence = plain(overall_finding(Run.of(run(world))))
    assert sentence.endswith(
        "(Jain's index of shortfall shares, 1 = equal) is 0.50: Japan bears it all (one of two members)."
    )
