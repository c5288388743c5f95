"""The uncertainty lines' shares and the calibration notes' prices round as the report does.

Before: ``intervals._share_text`` wrote ``f"{share:.0%}"``, half to even (5 of 40, 12.5%, read ``12%`` where the
report's percent reads ``13%``); ``calibrate._amount_text`` wrote a price ``,.4g`` (12,345 USD/kg read
``1.234e+04 USD/kg``, 21.435 read ``21.43``).
"""

from __future__ import annotations

import pytest

from simulator.calibrate import _amount_text
from simulator.report.words import percent
from simulator.sensitivity.intervals import _share_text


@pytest.mark.parametrize(
    ("count", "runs", "text"),
    [(5, 40, "13%"), (1, 8, "13%"), (3, 8, "38%"), (7, 8, "88%"), (63, 100, "63%"), (40, 40, "100%")],
)
def test_a_share_of_runs_at_a_half_rounds_up_as_the_report_s_percent(count, runs, text):
    """1/8 = 12.5% -> 13, 3/8 = 37.5% -> 38, 7/8 = 87.5% -> 88 (half to even: 12, 38, 88)."""
    assert _share_text(count, runs) == text
    assert percent(count / runs) == text  # the report's words, the same


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (12_345.0, "12,345 USD/kg"),  # ,.4g: 1.234e+04
        (10_000.0, "10,000 USD/kg"),  # ,.4g: 1e+04
        (2_376.6, "2,377 USD/kg"),
        (280.0, "280 USD/kg"),
        (21.435, "21.44 USD/kg"),  # a half up (,.4g: 21.43, the float just under)
        (156.45, "156.5 USD/kg"),
        (0.5, "0.5 USD/kg"),
    ],
)
def test_a_record_price_reads_with_the_decimals_it_needs_never_an_exponent(value, text):
    assert _amount_text("price", value) == text


def test_a_record_tonnage_keeps_its_whole_tonnes():
    assert _amount_text("imports", 23_000.4) == "23,000 t"
