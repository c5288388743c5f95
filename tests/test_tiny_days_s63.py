"""A floating-point residue (3.84e-16 days, -2e-17 t) reads 0 wherever the console or report writes a figure (s63).

``stockpile run scenarios/club_of_five.yaml --uncertainty 16`` printed ``Lowest days of cover, Japan: median
3.84e-16 days`` and ``EU: median 0 days (90% interval 0-1.28e-16 days)``. The formatters decide by their own
precision: :func:`simulator.names.number_text` (3 significant digits) writes no digit past the 6th decimal, the
finest it reaches without an exponent (0.000123), so what rounds to 0 there reads 0 and 0.004 keeps its digits.
Only words change: the tables keep the numbers as run.
"""

from __future__ import annotations

import re
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator.console import _change, shortfall_text
from simulator.names import decimals_text, number_text
from simulator.report.rule import _days_of_demand
from simulator.report.uncertainty import _figure_number
from simulator.report.words import days, percent, two_figures
from simulator.sensitivity.intervals import interval_text, off_interval_text
from tests.helpers import invoke, shipped_group

CLUB_OF_FIVE = Path(__file__).resolve().parents[1] / "scenarios" / "club_of_five.yaml"

EXPONENT = re.compile(r"\d[eE][-+]?\d")
"""A number in scientific notation: ``3.84e-16``, ``1e-05``."""


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (3.84e-16, "0"),  # Japan's median lowest cover in club_of_five: residue, below the 6th decimal
        (1.28e-16, "0"),  # the EU's 95th percentile there
        (-2e-17, "0"),  # not "-2e-17", nor "-0"
        (0.004, "0.004"),  # a real small value: 3 significant digits keep it
        (2.61, "2.61"),
    ],
)
def test_number_text_reads_a_residue_as_0_and_keeps_a_small_value(value, shown):
    assert number_text(value) == shown


def test_number_text_writes_no_exponent_from_its_finest_decimal_to_100():
    # one value a decade from the 6th decimal up: 3 significant digits, in decimals, never "e-05"
    values = [1.23e-6, 1.23e-5, 1.23e-4, 1.23e-3, 0.0123, 0.123, 1.23, 12.3]
    assert [number_text(v) for v in values] == [
        "0.000001",
        "0.000012",
        "0.000123",
        "0.00123",
        "0.0123",
        "0.123",
        "1.23",
        "12.3",
    ]
    assert [number_text(-v) for v in values] == [f"-{number_text(v)}" for v in values]
    assert number_text(4.9e-7) == "0"  # rounds to 0 at 6 decimals
    assert number_text(-0.0) == "0"


def test_the_uncertainty_line_of_club_of_five_as_the_brief_gives_it():
    # days of cover to 0.1 day, as the report's table gives them (s65: "to", not a hyphen read "minus")
    assert interval_text(0.0, 3.84e-16, 2.61, "days") == "median 0.0 days (90% interval 0.0 to 2.6 days)"
    assert interval_text(0.0, 0.0, 1.28e-16, "days") == "median 0.0 days (90% interval 0.0 to 0.0 days)"


def _found(values: list[float], p5: float, p95: float, metric: str = "min_days_of_cover.eu") -> types.SimpleNamespace:
    """The little of an :class:`~simulator.sensitivity.intervals.Uncertainty` that off_interval_text reads."""
    return types.SimpleNamespace(
        samples=pd.DataFrame({metric: values}),
        short=None,
        short_of={},
        headlines=pd.DataFrame({"metric": [metric], "p5": [p5], "p95": [p95]}),
    )


def test_an_interval_0_to_a_residue_has_no_width_and_says_the_samples_off_it():
    # 38 samples at 0, one at a residue, one at 3 days: the 95th percentile is a residue, the line reads "0.0 to 0.0
    # days"
    values = [0.0] * 38 + [1e-16, 3.0]
    found = _found(values, 0.0, 5e-18)
    assert interval_text(0.0, 0.0, 5e-18, "days") == "median 0.0 days (90% interval 0.0 to 0.0 days)"
    # the residue sample is not off it; the 3 days is, as for an interval of 0 to 0 exactly
    assert off_interval_text(found, "min_days_of_cover.eu", "days") == "1 of 40 samples above it, up to 3.0 days"
    assert off_interval_text(_found(values, 0.0, 0.0), "min_days_of_cover.eu", "days") == (
        "1 of 40 samples above it, up to 3.0 days"
    )
    # every sample at 0 or a residue: nothing off it to say
    assert off_interval_text(_found([0.0] * 15 + [5.1e-16], 0.0, 1.28e-16), "min_days_of_cover.eu", "days") == ""


@pytest.mark.parametrize("residue", [3.84e-16, -2e-17, -0.0])
def test_the_console_and_report_formatters_of_days_and_tonnes_read_a_residue_as_0(residue):
    assert shortfall_text(residue) == "0.0"  # stockpile run's table and last line (t)
    assert _change(residue) == "0.0"  # stockpile run --compare's change (t): not "+0.0"
    assert decimals_text(residue) == "0.0"  # stockpile run's min cover column (days)
    assert decimals_text(residue, 3, separators=True) == "0.000"  # stockpile compare's table
    assert days(residue) == "0.0"  # the report's days of cover
    assert _figure_number(residue, "days") == "0.0"  # the report's uncertainty table, days
    assert _figure_number(residue, "t") == "0"  # and tonnes
    assert two_figures(residue) == "0"  # the report's tonnes_2 and usd_2
    assert _days_of_demand(residue) == "0 days"  # the report's stocks in days of demand
    assert percent(residue) == "0%"  # the report's shares: a residue is no trace ("under 0.01%")


def test_a_real_small_figure_still_shows():
    assert shortfall_text(0.004) == "0.004"
    assert shortfall_text(0.0000123) == "0.000012"  # not "1.2e-05"
    assert _change(0.004) == "+0.004"
    assert decimals_text(-0.06) == "-0.1"
    assert days(0.06) == "0.1"
    assert _figure_number(0.004, "t") == "0.004"
    assert two_figures(0.004) == "0.0040"
    assert two_figures(0.0000123) == "0.000012"
    assert percent(2e-6) == "under 0.01%"  # a share of 2e-6 is a trace, not a residue


@shipped_group("club_of_five")
def test_run_club_of_five_with_uncertainty_writes_no_residue(tmp_path):
    out = tmp_path / "c5"
    result = invoke("run", CLUB_OF_FIVE, "-o", out, "--uncertainty", 16, "--no-plots")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    japan = next(line for line in lines if line.strip().startswith("Lowest days of cover, Japan:"))
    eu = next(line for line in lines if line.strip().startswith("Lowest days of cover, EU:"))
    assert japan.strip().startswith("Lowest days of cover, Japan: median 0.0 days (90% interval 0.0 to 2.6 days)")
    assert eu.strip() == "Lowest days of cover, EU: median 0.0 days (90% interval 0.0 to 0.0 days)"
    assert not [line for line in lines if EXPONENT.search(line)]
    # the words change, not the numbers: the tables keep the residue as run
    table = pd.read_csv(out / "uncertainty.csv").set_index("metric")
    assert 0 < table.loc["min_days_of_cover.japan", "median"] < 1e-15
    assert 0 < table.loc["min_days_of_cover.eu", "p95"] < 1e-15
    samples = pd.read_parquet(out / "uncertainty_samples.parquet")
    assert np.count_nonzero(samples["min_days_of_cover.eu"].to_numpy()) == 1
