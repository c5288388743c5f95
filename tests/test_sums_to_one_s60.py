"""Ratios and sourcing shares that miss 1 by rounding are told the tolerance and the value that closes the gap.

A policy researcher writing three equal members as 0.33, 0.333 or 0.3333 each was refused with only the sum; the
check stays as strict (within 1e-9), and the message now says the one value to write. A sum far from 1 (1.1) is
a mistake no single value should paper over: its sum and how far it is short or over are said, no value to write.
"""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from simulator.scenario.checks import not_summing_to_one
from tests.helpers import ROOT, TWO_MEMBERS, build, refusals, with_korea


def three_members(**ratio: float) -> dict[str, Any]:
    """``TWO_MEMBERS`` with Korea (20 t/day from China) as a third member, under fair_ratio with ``ratio``."""
    return with_korea(TWO_MEMBERS, ratio=ratio)


@pytest.mark.parametrize(
    ("third", "expected"),
    [
        (0.33, "they sum to 0.99, 0.01 short, as rounded values can): write 0.34 for one of them"),
        (0.333, "they sum to 0.999, 0.001 short, as rounded values can): write 0.334 for one of them"),
        (0.3333, "they sum to 0.9999, 0.0001 short, as rounded values can): write 0.3334 for one of them"),
    ],
)
def test_three_equal_thirds_are_told_the_tolerance_and_the_third_that_makes_the_sum_1(third, expected):
    """0.33 x 3 = 0.99: 1 - 0.33 - 0.33 = 0.34 for the third member, and so on for each number of decimals."""
    data = three_members(japan=third, eu=third, korea=third)
    assert refusals(data) == [f"agreement.ratio: ratios must sum to 1 within 1e-09 ({expected}"]
    fixed = float(re.search(r"write (\S+) for", expected)[1])
    assert refusals(build(data, agreement__ratio__korea=fixed)) == []


def test_sourcing_shares_of_0_67_and_0_32_are_told_which_share_to_change():
    """0.67 + 0.32 = 0.99: the larger share, china's, becomes 1 - 0.32 = 0.68."""
    data = build(TWO_MEMBERS, regions__eu__sourcing__ree={"china": 0.67, "korea_mine": 0.32})
    data["suppliers"]["korea_mine"] = {"lead_time_days": {"eu": 10}}
    assert refusals(data) == [
        "regions.eu.sourcing.ree: shares must sum to 1 within 1e-09 (they sum to 0.99, 0.01 short, as rounded values "
        "can): write 0.68 for china (not 0.67)"
    ]
    assert refusals(build(data, regions__eu__sourcing__ree__china=0.68)) == []


def test_a_sum_far_from_1_is_said_without_a_value_to_change_and_a_near_one_with_it():
    """1.1 (0.6 + 0.3 + 0.2) is more than rounding one decimal can leave over 0.05: a mistake, its sum and gap
    only; so are 0.9 (three thirds as 0.3) and 0.9963 (0.33 + 0.333 + 0.3333, more than 3 units of the fourth
    decimal short). 1.001 (seven sevenths as 0.143) is one unit of the third decimal over: 1 - 6 x 0.143 = 0.142."""
    far = {
        "ratios must sum to 1 (they sum to 1.1, 0.1 over)": {"japan": 0.6, "eu": 0.3, "korea": 0.2},
        "ratios must sum to 1 (they sum to 0.9, 0.1 short)": {"japan": 0.3, "eu": 0.3, "korea": 0.3},
        "ratios must sum to 1 (they sum to 0.9963, 0.0037 short)": {"japan": 0.33, "eu": 0.333, "korea": 0.3333},
    }
    for message, ratio in far.items():
        assert refusals(three_members(**ratio)) == [f"agreement.ratio: {message}"]
    sevenths = {name: 0.143 for name in "abcdefg"}
    assert not_summing_to_one("ratios", sevenths) == (
        "ratios must sum to 1 within 1e-09 (they sum to 1.001, 0.001 over, as rounded values can): write 0.142 for "
        "one of them"
    )


def corrected(shares: dict[str, float], message: str) -> dict[str, float]:
    """``shares`` with the value the message says to write: for the named one, or for one of equal ones."""
    value, name = re.search(r"write (\S+) for (\S+)", message).groups()
    changed = name if name in shares else list(shares)[-1]
    return {**shares, changed: float(value)}


def test_every_value_offered_makes_the_shares_sum_to_1_within_the_tolerance():
    """Shares of random weights, each rounded or cut to 1 to 6 decimals: rounding or cutting n shares to d decimals
    leaves less than n units of the d-th decimal, so each gap under 0.05 is told a value to write, and writing it
    passes the check."""
    rng = random.Random(60)
    offered = 0
    for _ in range(3000):
        count, decimals = rng.randint(2, 8), rng.randint(1, 6)
        weights = [rng.random() for _ in range(count)]
        cut = rng.choice([round, lambda x, d: int(x * 10**d) / 10**d])
        shares = {f"m{k}": cut(w / sum(weights), decimals) for k, w in enumerate(weights)}
        message = not_summing_to_one("shares", shares)
        if message is None or abs(1 - sum(shares.values())) >= 0.05:
            continue
        assert "write" in message, (shares, message)
        offered += 1
        assert not_summing_to_one("shares", corrected(shares, message)) is None, (shares, message)
    assert offered > 1000  # most roundings leave a gap, and each such gap is told how to close


def test_writing_scenarios_quotes_the_messages_as_the_check_gives_them():
    """The guide's examples (the EU's light rare earths as 0.67 + 0.32, three members at 0.3333) are the check's
    own words for those values."""
    guide = (ROOT / "docs" / "writing-scenarios.md").read_text()
    sourcing = not_summing_to_one("shares", {"china": 0.67, "europe_reprocessors": 0.32})
    assert f"regions.eu.sourcing.light_ree: {sourcing}\n" in guide
    ratios = not_summing_to_one("ratios", {"japan": 0.3333, "eu": 0.3333, "korea": 0.3333})
    assert f"`{ratios}`" in guide
