"""Two axes over items of ``agreement.members``: each point's members take both (session 60 review).

``agreement.members.1`` and ``agreement.members.2`` do not overlap each other, so a grid may sweep both; the
members recorded for a point used to be worked out from the first such axis alone: ``sweep.json`` said
[japan, korea, eu] where [japan, korea, usa] ran. They are worked out once, when the sweep is planned.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from simulator.errors import InputError
from simulator.sweep import describe
from simulator.sweep.grid import Axis, SweepSpec
from simulator.sweep.runner import plan_sweep
from tests.test_sweep_members_core60 import LARGE, three_regions

SECOND = Axis("agreement.members.1", ("korea", "india"))
THIRD = Axis("agreement.members.2", ("eu", "usa"))


def five_regions() -> dict[str, Any]:
    """Japan, Korea, the EU, the USA and India (the last two as Japan is); Japan, Korea and the EU members."""
    data = three_regions()
    for region in ("usa", "india"):
        data["regions"][region] = copy.deepcopy(data["regions"]["japan"])
        data["suppliers"]["china"]["lead_time_days"][region] = 5
        data["shocks"][0]["regions"].append(region)
    data["agreement"]["members"] = list(LARGE)
    return data


def test_each_points_members_take_every_item_axis():
    sweep = plan_sweep(five_regions(), "five.yaml", SweepSpec((SECOND, THIRD)))
    by_values = {
        (p[SECOND.path], p[THIRD.path]): members
        for p, members in zip(sweep.points, sweep.members_by_point, strict=True)
    }
    assert by_values == {
        ("korea", "eu"): ["japan", "korea", "eu"],
        ("korea", "usa"): ["japan", "korea", "usa"],
        ("india", "eu"): ["japan", "india", "eu"],
        ("india", "usa"): ["japan", "india", "usa"],
    }
    info = describe(sweep, 0.0, "this process", 1, None)
    assert info["members_by_point"] == sweep.members_by_point
    assert sorted(info["members"]) == ["eu", "india", "japan", "korea", "usa"]


def test_members_listed_twice_only_together_are_refused_when_planned():
    """usa at item 1 ([japan, usa, eu]) and at item 2 ([japan, korea, usa]) are each valid alone; together usa is
    listed twice: the point is refused before any run, not after the others ran."""
    one = Axis("agreement.members.1", ("korea", "usa"))
    two = Axis("agreement.members.2", ("eu", "usa"))
    point = "agreement.members.1=usa, agreement.members.2=usa"
    with pytest.raises(InputError, match=f"five.yaml \\[{point}\\]: agreement.members: must be unique: 'usa'"):
        plan_sweep(five_regions(), "five.yaml", SweepSpec((one, two)))
