"""The number words write what is not finite as Python does (``inf``, ``-inf``, ``nan``) instead of raising.

Before: :func:`simulator.names.rounded_half_up` quantized ``Decimal("inf")`` and raised
``decimal.InvalidOperation`` (``decimals_text(inf)``, ``days``, ``percent``, ``price`` ...; before it was used,
``decimals_text(inf)`` gave ``inf``), read a NaN as Decimal's ``NaN``, and ``usd_m(inf)`` raised ``OverflowError``
counting the digits of infinity.
"""

from __future__ import annotations

import math

import pytest

from simulator.names import decimals_text, rounded_half_up
from simulator.report.words import days, percent, price, times, usd_m, usd_per_kg

INF, NAN = math.inf, math.nan


@pytest.mark.parametrize(("value", "text"), [(INF, "inf"), (-INF, "-inf"), (NAN, "nan")])
def test_each_number_word_writes_a_non_finite_value_as_its_text(value, text):
    assert decimals_text(value) == decimals_text(value, 2, separators=True) == text
    assert days(value) == days(value, separators=True) == text
    assert price(value) == usd_per_kg(value) == usd_m(value) == text
    assert percent(value / 100) == f"{text}%"
    assert times(value) == f"{text}x"


def test_rounded_half_up_gives_back_a_non_finite_value_and_still_rounds_the_rest_half_up():
    assert rounded_half_up(INF, 1) == INF and rounded_half_up(-INF, 0) == -INF
    assert math.isnan(rounded_half_up(NAN, 2))
    assert str(rounded_half_up(2.45, 1)) == "2.5" and str(rounded_half_up(-2.5, 0)) == "-3"  # a half away from 0
