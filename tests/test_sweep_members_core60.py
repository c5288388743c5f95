"""A sweep over who joins classes choices for every region that is a member at some grid point (session 60).

``sweep.json``'s ``members``, which the frontier's choices and conditions are worked out for, were
the first point's: with ``agreement.members`` swept over ``[japan, korea]`` then ``[japan, korea, eu]``,
the EU's reserve was a condition (an outsider's own policy), and with the two values the other way
round a choice; the grid's order decided. The EU decides its reserve as a member where it joins, so it
is one of the options the club compares: a choice whatever the order.
"""

from __future__ import annotations

from typing import Any

import pytest

from simulator.sweep import describe
from simulator.sweep.choices import choice_paths
from simulator.sweep.grid import Axis, SweepSpec
from simulator.sweep.runner import plan_sweep
from tests.helpers import TWO_MEMBERS, with_korea

EU_RESERVE = "regions.eu.reserve.ree.days"
SMALL = ["japan", "korea"]
LARGE = ["japan", "korea", "eu"]


def three_regions() -> dict[str, Any]:
    """TWO_MEMBERS with Korea as Japan is (20 t/d from China, halted too); the agreement of Japan and Korea alone,
    shared in proportion to demand, Japan's 30 t in the pool."""
    data = with_korea(TWO_MEMBERS)
    data["agreement"] = {
        "members": SMALL,
        "mechanism": "proportional_to_demand",
        "pool": {"contributions": {"japan": {"ree": {"tonnes": 30}}}},
    }
    return data


def members_recorded(*axes: Axis) -> list[str]:
    sweep = plan_sweep(three_regions(), "three.yaml", SweepSpec(axes))
    return describe(sweep, 0.0, "this process", 1, None)["members"]


@pytest.mark.parametrize(
    "axis",
    [
        Axis("agreement.members", (SMALL, LARGE)),
        Axis("agreement.members", (LARGE, SMALL)),
        Axis("agreement.members.1", ("korea", "eu")),  # [japan, korea], then [japan, eu]
    ],
    ids=["eu-joins-second", "eu-joins-first", "one-item"],
)
def test_the_members_recorded_are_every_region_that_joins_somewhere(axis):
    members = members_recorded(axis, Axis(EU_RESERVE, (0, 20)))
    assert sorted(members) == ["eu", "japan", "korea"]
    assert choice_paths(["agreement.members", EU_RESERVE], members) == ["agreement.members", EU_RESERVE]


def test_without_members_swept_the_first_points_members_are_recorded_in_the_agreements_order():
    assert members_recorded(Axis(EU_RESERVE, (0, 20))) == SMALL
    assert choice_paths([EU_RESERVE], SMALL) == []  # an outsider's reserve: a condition
