"""Fairness metrics by hand: the worked example of docs/release-rules.md#fairness."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.metrics import draw_contribution_gap, envious_members
from tests.helpers import TWO_MEMBERS, build, run


def test_the_documented_two_member_example():
    result = run(TWO_MEMBERS)
    summary = result.summary
    japan, eu = (summary[summary["region"] == r].iloc[0] for r in ("japan", "eu"))
    overall = summary[(summary["region"] == "all") & (summary["material"] == "all")].iloc[0]
    assert japan["shortfall_share"] == pytest.approx(1180 / 1200)
    assert eu["shortfall_share"] == pytest.approx(4760 / 4800)
    x = np.array([1180 / 1200, 4760 / 4800])
    assert overall["fairness_jain"] == pytest.approx(x.sum() ** 2 / (2 * (x**2).sum()))
    assert overall["fairness_jain"] == pytest.approx(0.99998, abs=1e-5)
    assert overall["max_shortfall_share_gap"] == pytest.approx(4760 / 4800 - 1180 / 1200)
    assert japan["draw_to_contribution"] == pytest.approx(2 / 3)
    assert eu["draw_to_contribution"] == pytest.approx(4 / 3)
    assert overall["draw_contribution_gap"] == pytest.approx(1 / 6)
    assert overall["envious_members"] == 1


def test_drawing_in_proportion_to_contributions_is_no_gap_and_no_envy():
    # contributions 20 and 40 (in proportion to the draws 20 and 40 of day 0 under a
    # 1/3-2/3 ratio): every member drew its paid-in share
    data = build(
        TWO_MEMBERS,
        agreement__ratio={"japan": 1 / 3, "eu": 2 / 3},
        agreement__pool__contributions={"japan": {"ree": {"tonnes": 20}}, "eu": {"ree": {"tonnes": 40}}},
    )
    overall = run(data).summary.iloc[-1]
    assert overall["draw_contribution_gap"] == pytest.approx(0.0, abs=1e-12)
    assert overall["envious_members"] == 0


def test_the_gap_is_one_when_those_who_drew_paid_nothing_in():
    assert draw_contribution_gap(np.array([0.0, 50.0]), np.array([30.0, 0.0])) == 1.0
    assert draw_contribution_gap(np.array([0.0, 0.0]), np.array([30.0, 10.0])) == 0.0


def test_a_member_that_paid_nothing_in_or_was_never_short_envies_no_one():
    drawn, paid = np.array([0.0, 50.0]), np.array([0.0, 30.0])
    assert envious_members(drawn, paid, np.array([True, True])) == 0
    # Japan paid 30 and drew 10, the EU paid 30 and drew 50: Japan envies only if short
    drawn, paid = np.array([10.0, 50.0]), np.array([30.0, 30.0])
    assert envious_members(drawn, paid, np.array([False, True])) == 0
    assert envious_members(drawn, paid, np.array([True, True])) == 1


def test_compare_shows_the_fairness_metrics_side_by_side():
    from simulator.compare import compare

    table = compare(TWO_MEMBERS, ["fair_ratio", "equal_losses"], "pair").table()
    for column in ("fairness_jain", "max_shortfall_share_gap", "draw_contribution_gap", "envious_members"):
        assert column in table
    fair = table.set_index("mechanism").loc["fair_ratio"]
    assert fair["draw_to_contribution.japan"] == pytest.approx(2 / 3)
    assert fair["draw_contribution_gap"] == pytest.approx(1 / 6)
