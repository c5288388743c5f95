"""usd_2 is rougher than usd, never finer: in one row of the verdict's table (``hold USD 0.002 m`` by usd beside
what a member still owns by usd_2) the paper value must not show more decimals than the amounts it sits by."""

from __future__ import annotations

import numpy as np

from simulator.report.words import NBSP, usd, usd_2


def _decimals(text: str) -> int:
    number = text.replace(NBSP, " ").split(" ")[1]
    return len(number.partition(".")[2])


def test_usd_2_in_millions_has_no_more_decimals_than_usd():
    # the reviewer's row: USD 2,373 held (usd: 0.002 m) beside USD 2,373 owned (was usd_2: 0.0024 m)
    assert usd_2(2373.0, in_millions=True).replace(NBSP, " ") == "USD 0.002 m"
    # every amount from USD 1 to USD 10 bn, both ways of writing it in millions: never finer than usd, and the
    # same unit
    for value in np.geomspace(1.0, 1e10, 2_000):
        rough, exact = usd_2(float(value), in_millions=True), usd(float(value), in_millions=True)
        assert rough.split(NBSP)[-1] == exact.split(NBSP)[-1] or rough.endswith("bn"), (value, rough, exact)
        if rough.split(NBSP)[-1] == exact.split(NBSP)[-1]:
            assert _decimals(rough) <= _decimals(exact), (value, rough, exact)
