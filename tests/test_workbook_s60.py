"""The workbook as a policy researcher reads it (walkthrough s60): columns that stay put between runs of a
scenario, a sheet of what every column means, small tonnages shown."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter

from simulator import workbook
from simulator.quantities import get
from simulator.workbook import compare_workbook, run_workbook, sweep_workbook
from tests.helpers import TWO_MEMBERS, build, run, shipped_group, shipped_result

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


SMALL = "[<1]0.00###;#,##0.00"
"""Tonnes below 1 t with 2 to 5 decimals, as many as they need; 1 t and more with 2."""


def test_a_gallium_sized_tonnage_shows_its_digits_and_a_large_one_keeps_two_decimals(tmp_path):
    table = pd.DataFrame(
        {
            "run": [0, 1, 2],
            "shortfall_t.japan": [0.032, 0.0, 1234.5678],  # 32 kg of gallium read 0.03 at 2 decimals
            "shortfall_t.eu": [0.5, 12.25, 1234.5],  # nothing 2 decimals hide
            "gap_t": [-0.032, 0.032, 1.0],  # a negative value: Excel's conditions would drop its sign
        }
    )
    path = sweep_workbook(table, {}, tmp_path / "workbook.xlsx", {})
    rows = list(openpyxl.load_workbook(path)["Sweep"].iter_rows())
    formats = {str(h.value): [row[k].number_format for row in rows[1:]] for k, h in enumerate(rows[0])}
    assert formats["shortfall_t.japan (t)"] == [SMALL] * 3
    assert formats["shortfall_t.eu (t)"] == ["#,##0.00"] * 3
    assert formats["gap_t (t)"] == ["#,##0.00"] * 3
    shown = [workbook._as_text(v, SMALL) for v in (0.032, 0.0, 0.5, 0.00123, 0.0000001, 1234.5678)]
    assert shown == ["0.032", "0.00", "0.50", "0.00123", "0.00", "1,234.57"]


def test_a_run_s_time_series_of_a_few_kilograms_a_day_shows_them(tmp_path):
    # the pair's demand cut to 0.02 and 0.08 t a day: its shortfall is tens of kilograms a day
    tiny = build(
        DATED,
        regions__japan__demand__ree__tonnes_per_day=0.02,
        regions__eu__demand__ree__tonnes_per_day=0.08,
        agreement__pool__contributions={"japan": {"ree": {"tonnes": 0.03}}, "eu": {"ree": {"tonnes": 0.03}}},
    )
    path = run_workbook(run(tiny), tmp_path / "tiny.xlsx")
    sheet = openpyxl.load_workbook(path)["Time series"]
    column = header_letters(path, "Time series")["shortfall_t"]
    assert {cell.number_format for cell in sheet[column][1:]} == {SMALL}


def columns_sheet(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """The Columns sheet: (unit, meaning) by (sheet, column)."""
    rows = list(openpyxl.load_workbook(path, read_only=True)["Columns"].values)
    assert rows[0] == ("sheet", "column", "unit", "meaning")
    return {(sheet, column): (unit or "", meaning or "") for sheet, column, unit, meaning in rows[1:]}


def assert_every_header_is_explained(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """Every header of every sheet (the Columns sheet's too) is a row of Columns, with its unit and a meaning."""
    explained = columns_sheet(path)
    book = openpyxl.load_workbook(path, read_only=True)  # the header rows only, not every cell of every sheet
    assert book.sheetnames[-1] == "Columns"
    for sheet in book:
        for cell in next(sheet.iter_rows(max_row=1)):
            name, _, unit = str(cell.value).partition(" (")
            assert (sheet.title, name) in explained, (sheet.title, cell.value)
            assert explained[sheet.title, name][0] == unit.removesuffix(")"), (sheet.title, cell.value)
            assert explained[sheet.title, name][1].strip(), (sheet.title, cell.value)
    return explained


@shipped_group("embargo_2010")
def test_the_replay_s_workbook_explains_every_column_of_every_sheet(tmp_path):
    result = shipped_result("embargo_2010")
    explained = assert_every_header_is_explained(run_workbook(result, tmp_path / "workbook.xlsx"))
    # the replay's 9 tables (summary 51 columns, time series 57, ...), Scenario's 3 and Columns' own 4
    tables = ("summary", "timeseries", "market", "releases", "auctions", "ledger", "pool", "shocks", "portfolio")
    assert len(explained) == sum(len(getattr(result, table).columns) for table in tables) + 3 + 4
    # in the registry's words (its literals quoted), with the header's unit
    assert explained["Time series", "days_of_cover_runway"] == (
        "days",
        get("market", "days_of_cover_runway").description,
    )
    assert explained["Summary", "region"][1] == 'The row\'s region ("all" in summary rows over the agreement).'
    assert explained["Releases", "gap_t.japan"][0] == "t"


def test_a_sweep_and_a_comparison_explain_their_keys_swept_paths_and_metrics(tmp_path):
    from simulator.compare import compare

    table = pd.DataFrame(
        {
            "agreement.ratio.japan": [0.2, 0.8],
            "point": [0, 1],
            "run": [0, 0],
            "seed": [7, 7],
            "total_shortfall_t": [10.0, 12.0],
            "shortfall_t.eu.ree": [4.0, 5.0],
        }
    )
    info = {"grid": {"agreement.ratio.japan": [0.2, 0.8]}, "runs_per_point": 1}
    explained = assert_every_header_is_explained(sweep_workbook(table, info, tmp_path / "s.xlsx", TWO_MEMBERS))
    assert explained["Sweep", "agreement.ratio.japan"][1].startswith("A swept scenario field")
    assert explained["Sweep", "shortfall_t.eu.ree"][0] == "t"
    assert ("Sweep set-up", "parameter") in explained and ("Scenario", "parameter") in explained
    comparison = compare(NEVER_SHORT, ["fair_ratio", "auction"], "t")  # auction without bids: skipped
    explained = assert_every_header_is_explained(compare_workbook(comparison, tmp_path / "c.xlsx", NEVER_SHORT))
    assert ("Comparison", "skipped") in explained and ("Summaries", "mechanism") in explained
