"""A member's ratio given as a small whole number may be a weight (2 for 2:1), not only a percentage.

``--set agreement.ratio.japan=2`` was told "(a share: 2% is 0.02)" only; whoever meant Japan twice the EU's weight
was told to write 0.02. The hint now says what to write for either reading where the ratio is a whole number from 2
to 10, in a file as with ``--set``; a larger number (60) or a fraction (2.5) keeps the percentage, and a share that is
not a ratio (a shock's severity) is no weight.
"""

from __future__ import annotations

import pytest

from simulator.errors import InputError, ScenarioError
from simulator.scenario import apply_overrides, validate_data
from tests.helpers import TWO_MEMBERS, build

BOTH = "(a share between 0 and 1: for 2% write 0.02; for weights, give each member its share of their sum)"


def set_error(value: float) -> str:
    """What ``--set agreement.ratio.japan=<value>`` is refused with."""
    with pytest.raises(InputError) as caught:
        apply_overrides(build(TWO_MEMBERS), [("agreement.ratio.japan", value)])
    return str(caught.value)


def file_error(data: dict) -> str:
    """What a file with ``data`` is refused with."""
    with pytest.raises(ScenarioError) as caught:
        validate_data(data, "pair.yaml")
    return caught.value.render()


def test_set_a_ratio_of_2_is_told_both_readings():
    assert set_error(2).endswith(f"agreement.ratio.japan: a ratio must be a number in [0, 1], got 2 {BOTH}")
    assert set_error(10).endswith("for 10% write 0.1; for weights, give each member its share of their sum)")


def test_a_file_s_ratio_of_2_is_told_both_readings():
    data = build(TWO_MEMBERS, agreement__ratio={"japan": 2, "eu": 1})
    assert f"pair.yaml: agreement.ratio.japan: must be <= 1 {BOTH}" in file_error(data)


@pytest.mark.parametrize(("value", "hint"), [(60, "(a share: 60% is 0.6)"), (2.5, "(a share: 2.5% is 0.025)")])
def test_a_larger_or_broken_ratio_keeps_the_percentage(value: float, hint: str):
    assert set_error(value).endswith(f"got {value} {hint}")
    assert f"agreement.ratio.japan: must be <= 1 {hint}" in file_error(
        build(TWO_MEMBERS, agreement__ratio={"japan": value, "eu": 1})
    )


def test_a_share_that_is_no_ratio_is_no_weight():
    shock = {**TWO_MEMBERS["shocks"][0], "severity": 2}
    assert "shocks.halt.severity: must be <= 1 (a share: 2% is 0.02)" in file_error(build(TWO_MEMBERS, shocks=[shock]))
