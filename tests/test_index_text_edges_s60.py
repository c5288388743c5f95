"""index_text past its usual range: more decimals than 4 asked for, and values outside 0 to 1.

Worked out by hand (session 60, review point 2): ``index_text(0.5, 5)`` raised UnboundLocalError (the loop over
5..4 decimals never ran) and a value outside 0 to 1 read as a bound inside it (-4e-05 as "below 0.0001").
"""

from __future__ import annotations

from simulator.names import index_text


def test_more_decimals_than_4_are_written_as_asked():
    assert index_text(0.5, 5) == "0.50000"
    assert index_text(0.123456, 6) == "0.123456"
    # 6 decimals read 1.000000 and the value is not 1: the bound is at 6 decimals
    assert index_text(0.9999998, 6) == "above 0.999999"
    assert index_text(0.0000002, 6) == "below 0.000001"


def test_a_value_outside_0_to_1_reads_as_its_digits_not_a_bound_inside():
    # 1.00003 is above 1, not "above 0.9999"; -0.00004 is below 0, not "below 0.0001"
    assert index_text(1.00003) == "1.00003"
    assert index_text(-4e-05) == "-0.00004"
    assert index_text(1.25, 2) == "1.25"
    assert index_text(-0.2) == "-0.200"


def test_rounding_of_an_end_reads_that_end_without_a_minus_sign():
    # within 9 decimals of 0 or 1 is floating-point rounding: the end itself, -0.000 is no value
    assert [index_text(-1e-17), index_text(1 + 2e-16), index_text(-3e-12, 2)] == ["0.000", "1.000", "0.00"]
