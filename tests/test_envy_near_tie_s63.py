"""Envy counts no near-tie: a member drawing a few millionths of a tonne less than its share envies no one (s63).

``envious_members`` counted member ``i`` envious of ``j`` whenever ``j``'s draw scaled to ``i``'s contribution was
above ``i``'s draw by more than 1e-9 t. Members the fair ratio gives equal draws per tonne paid in came out a few
millionths apart under equal losses or Talmud (which split the day the pool runs out otherwise), and each but the
highest counted envious: 11 of 12 members against the fair ratio's 2, rules ``stockpile compare`` calls alike. A
near-tie, up to 0.1% of the larger amount compared (``ENVY_NEAR_TIE``, compare's ``SAME_SHORTFALL_SHARE``), is none.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.compare import SAME_SHORTFALL_SHARE, compare, uncapped_rules_alike
from simulator.metrics import ENVY_NEAR_TIE, envious_members
from tests.helpers import TWO_MEMBERS, build

BOTH_SHORT = np.array([True, True])
EQUAL_PAID = np.array([1.0, 1.0])


def test_a_member_drawing_a_millionth_of_a_tonne_less_than_its_share_envies_no_one():
    # both paid in 1 t: A's envy-free draw is B's 10 t; A drew 1e-6 t less
    assert envious_members(np.array([10.0 - 1e-6, 10.0]), EQUAL_PAID, BOTH_SHORT) == 0


def test_a_member_drawing_a_tonne_less_than_its_share_envies():
    assert envious_members(np.array([9.0, 10.0]), EQUAL_PAID, BOTH_SHORT) == 1


def test_the_near_tie_is_a_tenth_of_a_percent_of_the_amounts_compared():
    # B's 10 t scaled to A's contribution (half B's) is 5 t: A envies below 4.995 t, not above
    paid = np.array([1.0, 2.0])
    assert envious_members(np.array([5.0 * (1 - 0.0009), 10.0]), paid, BOTH_SHORT) == 0
    assert envious_members(np.array([5.0 * (1 - 0.0011), 10.0]), paid, BOTH_SHORT) == 1
    # relative, not in tonnes: the same 0.09% of a thousand times the tonnes is no envy either
    assert envious_members(np.array([5000.0 * (1 - 0.0009), 10000.0]), paid, BOTH_SHORT) == 0


def test_the_near_tie_is_the_share_compare_calls_two_rules_alike_within():
    assert ENVY_NEAR_TIE == SAME_SHORTFALL_SHARE == 1e-3


@pytest.fixture(scope="module")
def near_tied():
    """Japan (20 t/day) and the EU (60 t/day), both cut off with no stock, paying in 39.999 and 119.997 t (ratio
    0.25/0.75, as their demand): two days of gaps (160 t) less 0.004 t. Day 0 meets both gaps (20 + 60 t); on day
    1 the 79.996 t left falls 0.004 t short. The fair ratio gives 19.999 and 59.997 t, draws of 39.999 and 119.997 t,
    each what it paid in; equal losses takes 0.002 t off each gap, draws of 39.998 and 119.998 t. Japan's envy-free
    draw is then 119.998 x 39.999 / 119.997 = 39.99933 t, 0.00133 t (0.003%) above its 39.998 t: a near-tie."""
    data = build(
        TWO_MEMBERS,
        regions__eu__demand__ree__tonnes_per_day=60,
        agreement__ratio={"japan": 0.25, "eu": 0.75},
        agreement__pool__contributions={"japan": {"ree": {"tonnes": 39.999}}, "eu": {"ree": {"tonnes": 119.997}}},
    )
    return compare(data, ["fair_ratio", "equal_losses"], "near-tie", baseline=False)


def test_two_rules_differing_only_by_rounding_count_the_same_envy(near_tied):
    table = near_tied.table().set_index("mechanism")
    # the draws as worked out above: the rules differ by a thousandth of a tonne
    assert table.loc["fair_ratio", "draw_to_contribution.japan.ree"] == pytest.approx(1.0, abs=1e-9)
    assert table.loc["equal_losses", "draw_to_contribution.japan.ree"] == pytest.approx(
        (39.998 / 159.996) / (39.999 / 159.996), rel=1e-9
    )
    assert uncapped_rules_alike(near_tied) == [["fair_ratio", "equal_losses"]]  # the note under the table: alike
    for column in ("envious_members", "envious_members.all.ree"):
        assert table.loc["fair_ratio", column] == table.loc["equal_losses", column] == 0, column
