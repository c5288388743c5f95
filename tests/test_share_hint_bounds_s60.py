"""A percentage written as text is read as a share only from 0% to 100% (session 60 review).

``ratio: 150%`` was told "(a share: 150% is 1.5)", and ``-5%`` "is -0.05": shares no field takes. Numbers had
the bound already (2 to 100); text has 0% to 100%.
"""

from __future__ import annotations

import copy

import pytest

from simulator.errors import InputError
from simulator.scenario import validate_data
from tests.helpers import TWO_MEMBERS


def _ratio_error(value: str) -> str:
    data = copy.deepcopy(TWO_MEMBERS)
    data["agreement"]["ratio"]["japan"] = value
    with pytest.raises(InputError) as err:
        validate_data(data, "x.yaml")
    return str(err.value)


def test_only_a_percentage_from_0_to_100_is_told_its_share():
    for value in ("150%", "-5%", "100.5%"):
        assert _ratio_error(value) == "x.yaml: agreement.ratio.japan: must be a number, not text"
    for value, share in (("60%", "0.6"), ("100%", "1"), ("0%", "0")):
        told = f"x.yaml: agreement.ratio.japan: must be a number, not text (a share: {value} is {share})"
        assert _ratio_error(value) == told
