"""Jain's index closer to 1 or 0 than 4 decimals show reads in words ("above 0.9999"), not 0.9999998.

Worked out by hand (session 60, point 2).
"""

from __future__ import annotations

import pytest

from simulator.console import summary_text
from simulator.names import index_text
from simulator.report.findings import Run, overall_finding
from tests.helpers import TWO_MEMBERS, run
from tests.test_report_answers import plain


def test_an_index_past_4_decimals_reads_above_or_below_in_words():
    # 4 decimals read 1.0000 or 0.0000 and the value is neither: words that stand in a sentence and a cell
    assert [index_text(0.9999998), index_text(0.999982, 2), index_text(0.00004)] == [
        "above 0.9999",
        "above 0.9999",
        "below 0.0001",
    ]
    # 4 decimals or fewer tell it from 1 or 0: digits, as before
    assert [index_text(0.99994), index_text(0.9996, 2), index_text(0.0004), index_text(0.641, 2)] == [
        "0.9999",
        "0.9996",
        "0.0004",
        "0.64",
    ]
    # floating-point rounding of 1 or 0 (within 9 decimals) is 1 or 0, in the decimals asked for
    assert [index_text(1 - 2e-16), index_text(1e-12, 2)] == ["1.000", "0.00"]


def test_the_line_and_the_report_write_an_index_of_0_999982_as_above_0_9999():
    # both halted, the 60 t pool the only supply: Japan short of 1,180 of 1,200 t (0.98333), the EU of 4,760 of
    # 4,800 t (0.99167): Jain's index 1.975^2 / (2 x 1.950347) = 0.999982, 1.0000 at 4 decimals
    result = run(TWO_MEMBERS)
    assert result.metrics["fairness_jain"] == pytest.approx(1.975**2 / (2 * (0.98333**2 + 0.99167**2)), abs=2e-6)
    assert summary_text(result).splitlines()[-1].endswith("; fairness (Jain) above 0.9999")
    assert plain(overall_finding(Run.of(result))).endswith(
        "(Jain's index of shortfall shares, 1 = equal) is above 0.9999."
    )
