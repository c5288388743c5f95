"""The workbook as a policy researcher reads it (walkthrough s60): columns that stay put between runs of a
scenario, a sheet of what every column means, small tonnages shown."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from simulator.workbook import compare_workbook, run_workbook
from tests.helpers import TWO_MEMBERS, build, run

DATED = build(TWO_MEMBERS, start_date="2010-07-01")
"""Japan and the EU cut off all 60 days with 60 t in their pool: both short from the first days."""
NEVER_SHORT = build(
    DATED,
    regions__japan__commercial_stock__ree__tonnes=10_000,
    regions__eu__commercial_stock__ree__tonnes=10_000,
)
"""The same scenario with 10,000 t of commercial stock each (500 and 125 days of their demand): no one is short."""


def header_letters(path: Path, sheet: str) -> dict[str, str]:
    """Each header of ``sheet`` (its unit taken off) by the column letter it is in."""
    cells = next(openpyxl.load_workbook(path)[sheet].iter_rows(max_row=1))
    return {str(cell.value).split(" (", 1)[0]: get_column_letter(cell.column) for cell in cells}


@pytest.fixture(scope="module")
def short_and_never(tmp_path_factory) -> tuple[Path, Path]:
    """Workbooks of the dated pair: one where both are short, one where no one is."""
    folder = tmp_path_factory.mktemp("wb60")
    short, never = run(DATED), run(NEVER_SHORT)
    assert (short.summary["first_shortfall_day"] >= 0).any()
    assert (never.summary["first_shortfall_day"] == -1).all()
    return run_workbook(short, folder / "short.xlsx"), run_workbook(never, folder / "never.xlsx")


def test_a_run_no_one_is_short_in_keeps_the_first_shortfall_date_where_a_short_run_has_it(short_and_never):
    short, never = (header_letters(path, "Summary") for path in short_and_never)
    assert "first_shortfall_date" in never
    assert short == never  # every column, the totals after the dates too, under the same letter
    cells = openpyxl.load_workbook(short_and_never[1])["Summary"]
    column = cells[never["first_shortfall_date"]]
    assert [cell.value for cell in column[1:]] == [None] * (len(column) - 1)  # empty, as in summary.csv


def test_a_compare_workbook_keeps_the_date_columns_of_a_dated_scenario_and_drops_those_of_an_undated_one(tmp_path):
    from simulator.compare import compare

    dated = compare_workbook(compare(NEVER_SHORT, ["fair_ratio"], "t"), tmp_path / "dated.xlsx", NEVER_SHORT)
    undated = compare_workbook(compare(TWO_MEMBERS, ["fair_ratio"], "t"), tmp_path / "undated.xlsx", TWO_MEMBERS)
    assert "first_shortfall_date" in header_letters(dated, "Summaries")
    assert not [name for name in header_letters(undated, "Summaries") if name.endswith("date")]
