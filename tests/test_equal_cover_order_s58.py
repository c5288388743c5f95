"""``equal_cover`` shares as ``proportional_to_demand`` under the default order, and ``stockpile compare`` says why.

Under ``agreement.order: national_first`` a member is short only once its commercial stock, its
national reserve and its bought auction stock are used up, so equal cover's own stock ``s_i`` is
0 for every member it shares among and ``a_i = min(g_i, L x d_i)`` is the split by demand
(docs/release-rules.md, Equal cover). The numbers below are worked out by hand there.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from simulator.compare import EQUAL_COVER_AS_DEMAND
from tests.helpers import build, run, series

MEMBERS = ("japan", "eu", "korea")
THREE_SHORT: dict[str, Any] = {
    "name": "equal_cover_or_demand",
    "horizon_days": 60,
    "materials": {"ree": {"price_usd_per_kg": 50}},
    "suppliers": {
        "china": {"lead_time_days": {"japan": 5, "eu": 5, "korea": 5}},
        "australia": {"lead_time_days": {"japan": 5, "eu": 5, "korea": 5}},
    },
    "regions": {
        "japan": {
            "demand": {"ree": {"tonnes_per_day": 30}},
            "commercial_stock": {"ree": {"tonnes": 0}},
            "sourcing": {"ree": {"china": 1.0}},
        },
        "eu": {
            "demand": {"ree": {"tonnes_per_day": 60}},
            "commercial_stock": {"ree": {"tonnes": 0}},
            "sourcing": {"ree": {"china": 0.5, "australia": 0.5}},
        },
        "korea": {
            "demand": {"ree": {"tonnes_per_day": 10}},
            "commercial_stock": {"ree": {"tonnes": 0}},
            "reserve": {"ree": {"tonnes": 300}},
            "sourcing": {"ree": {"china": 1.0}},
        },
    },
    "shocks": [
        {"id": "halt", "kind": "embargo", "supplier": "china", "regions": list(MEMBERS), "start": -100, "end": 1000}
    ],
    "agreement": {
        "members": list(MEMBERS),
        "mechanism": "equal_cover",
        "release_cap_t_per_day": {"ree": 30},
        "pool": {
            "contributions": {
                "japan": {"ree": {"tonnes": 600}},
                "eu": {"ree": {"tonnes": 900}},
                "korea": {"ree": {"tonnes": 300}},
            }
        },
    },
}
"""Gaps 30, 30 and 10 t a day (the EU still gets 30 t/day from Australia), Korea alone with a reserve
(300 t: 30 days), a pool of 1,800 t released at most 30 t a day: 60 days of it."""


def _day0_and_shortfall(mechanism: str, order: str) -> tuple[list[float], list[float]]:
    result = run(build(THREE_SHORT, agreement__mechanism=mechanism, agreement__order=order))
    day0 = [float(series(result, "released_joint_t", member)[0]) for member in MEMBERS]
    short = [float(series(result, "shortfall_t", member).sum()) for member in MEMBERS]
    return day0, short


@pytest.mark.parametrize("mechanism", ["proportional_to_demand", "equal_cover"])
def test_under_national_first_both_rules_share_by_demand(mechanism):
    # Korea draws its own 10 t first: Japan and the EU share 30 t by demand 30 : 60 = 10 and 20 t until
    # Korea's reserve is out after day 29, then all three by 30 : 60 : 10 = 9, 18 and 3 t. Shortfall:
    # Japan 30 x 20 + 30 x 21 = 1,230, the EU 30 x 10 + 30 x 12 = 660, Korea 30 x 7 = 210 t.
    day0, short = _day0_and_shortfall(mechanism, "national_first")
    assert day0 == pytest.approx([10.0, 20.0, 0.0])
    assert short == pytest.approx([1230.0, 660.0, 210.0])


def test_under_joint_first_equal_cover_counts_koreas_reserve_and_demand_does_not():
    # Korea is short when the pool is shared. By demand: 9, 18 and 3 t a day all 60 days (Japan 21 x 60 =
    # 1,260, the EU 12 x 60 = 720 t short); Korea draws 7 t a day of its own, 300 / 7 = 42.9 days, then is
    # short 7 t a day: 60 x 7 - 300 = 120 t. Equal cover: Korea's 300 t are 30 days of cover, so Japan and
    # the EU are raised first, to L = 30 / 90 day: 10 and 20 t, Korea 0 (it draws its own 10 t).
    by_demand, by_demand_short = _day0_and_shortfall("proportional_to_demand", "joint_first")
    by_cover, by_cover_short = _day0_and_shortfall("equal_cover", "joint_first")
    assert by_demand == pytest.approx([9.0, 18.0, 3.0])
    assert by_demand_short == pytest.approx([1260.0, 720.0, 120.0])
    assert by_cover == pytest.approx([10.0, 20.0, 0.0])
    assert by_cover_short == pytest.approx([1230.0, 660.0, 210.0])


def _compared(tmp_path, *sets: str, mechanisms: str = "proportional_to_demand,equal_cover") -> list[str]:
    scenario = tmp_path / "three_short.yaml"
    scenario.write_text(yaml.safe_dump(THREE_SHORT))
    args = ["compare", str(scenario), "--mechanisms", mechanisms, "--no-baseline", "--no-plots"]
    args += [*(a for s in sets for a in ("--set", s)), "-o", str(tmp_path / "out"), "--force"]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    return done.output.splitlines()


def test_compare_says_why_the_two_rules_coincide_under_national_first(tmp_path):
    lines = _compared(tmp_path)
    assert lines[1].split()[1:] == lines[2].split()[1:]  # the two rows, number for number
    assert EQUAL_COVER_AS_DEMAND in lines
    assert EQUAL_COVER_AS_DEMAND.startswith("equal_cover = proportional_to_demand here: under agreement.order")


@pytest.mark.parametrize(
    "sets",
    [
        ("agreement.order=joint_first",),  # they differ: no line
        ('regions.korea.reserve_release={"mode": "tender", "lag_days": 14}',),  # short with its reserve in hand
    ],
    ids=["joint_first", "tender"],
)
def test_compare_says_nothing_where_the_two_rules_can_differ(tmp_path, sets):
    lines = _compared(tmp_path, *sets)
    assert lines[1].split()[1:] != lines[2].split()[1:]
    assert EQUAL_COVER_AS_DEMAND not in lines


def test_compare_says_nothing_of_a_rule_not_compared(tmp_path):
    assert EQUAL_COVER_AS_DEMAND not in _compared(tmp_path, mechanisms="equal_cover,equal_awards")


def test_compare_says_nothing_where_nobody_is_short(tmp_path):
    # without the embargo every member's supply meets its demand: no rule shares anything, and the
    # line that nobody is short says why the rows are the same
    lines = _compared(tmp_path, "shocks=[]")
    assert lines[1].split()[1:] == lines[2].split()[1:]
    assert EQUAL_COVER_AS_DEMAND not in lines
    assert any(line.startswith("no member is short under any rule") for line in lines)
