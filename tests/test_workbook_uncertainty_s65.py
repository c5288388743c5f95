"""``stockpile run --uncertainty N --excel``: the workbook carries the study (session 65).

An Excel user who never opens Parquet reads the headline intervals (sheet Uncertainty, ``uncertainty.csv``), each
sample's inputs and outcomes (Samples, ``uncertainty_samples.parquet``) and the same samples without the agreement
(Samples without, ``uncertainty_without_agreement.parquet``): the files' columns in their order, every value the
same, units in the headers and every column explained on the Columns sheet.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from openpyxl.utils import get_column_letter

from simulator.cli import main
from simulator.sensitivity.intervals import MAX_UNCERTAINTY_RUNS, WITHOUT_FILE
from simulator.workbook import EXCEL_MAX_ROWS, parameter_unit, uncertainty_sheets
from tests.helpers import ROOT

SCENARIO = ROOT / "scenarios" / "long_embargo_6m.yaml"
"""A shipped scenario with an agreement, so that its samples run again without it."""
NEW_SHEETS = {
    "Uncertainty": "uncertainty.csv",
    "Samples": "uncertainty_samples.parquet",
    "Samples without": WITHOUT_FILE,
}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """The folder of the scenario run with 3 samples, its workbook written."""
    folder = tmp_path_factory.mktemp("book65") / "out"
    args = ["run", str(SCENARIO), "-o", str(folder), "--uncertainty", "3", "--workers", "1", "--excel", "--no-plots"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def book(out) -> openpyxl.Workbook:
    """The workbook, read only (its Time series, read whole, would take seconds)."""
    return openpyxl.load_workbook(out / "workbook.xlsx", read_only=True)


def sheet_xml(out: Path, book: openpyxl.Workbook, sheet: str) -> str:
    """The XML of ``sheet`` (XlsxWriter names the files of the sheets in their order)."""
    with zipfile.ZipFile(out / "workbook.xlsx") as files:
        return files.read(f"xl/worksheets/sheet{book.sheetnames.index(sheet) + 1}.xml").decode()


def file_table(out: Path, sheet: str) -> pd.DataFrame:
    name = NEW_SHEETS[sheet]
    if name.endswith(".csv"):  # the CSV's text, each number read by Python itself (the very float written)
        return pd.read_csv(out / name, dtype=str, keep_default_na=False).map(from_text)
    return pd.read_parquet(out / name)


def from_text(text: str) -> Any:
    """A CSV field as Python reads it: an integer, a float, text; an empty field is missing."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text or None


def as_cell(value: Any) -> Any:
    """What a cell holding ``value`` of the file reads back as in openpyxl (missing: an empty cell)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value.item() if hasattr(value, "item") else value


def rows_of(book: openpyxl.Workbook, sheet: str) -> list[tuple[Any, ...]]:
    return list(book[sheet].iter_rows(values_only=True))


def names_of(headers: tuple[Any, ...]) -> list[str]:
    """The column names of a header row (its units in brackets taken off)."""
    return [str(h).split(" (", 1)[0] for h in headers]


def test_the_study_s_sheets_follow_the_run_s_tables_before_the_scenario(book, out):
    assert book.sheetnames == [
        "Summary",
        "Time series",
        "Releases",
        "Auctions",
        "Ledger",
        "Pool",
        "Shocks",
        "Portfolio",
        "Uncertainty",
        "Samples",
        "Samples without",
        "Scenario",
        "Columns",
    ]
    assert all((out / name).is_file() for name in NEW_SHEETS.values())


@pytest.mark.parametrize("sheet", NEW_SHEETS)
def test_every_cell_is_the_file_s_value_in_the_file_s_column_order(book, out, sheet):
    table = file_table(out, sheet)
    header, *cells = rows_of(book, sheet)
    assert names_of(header) == list(table.columns)
    assert len(cells) == len(table) == (3 if sheet != "Uncertainty" else 7)  # 7 headline figures (below)
    for r, row in enumerate(table.itertuples(index=False)):
        expected = [as_cell(v) for v in row]
        assert list(cells[r]) == expected, f"{sheet} row {r + 2}"
        for got, want in zip(cells[r], expected, strict=True):  # the same kind too: a flag is no number, a date no text
            assert type(got) is type(want) or {type(got), type(want)} == {int, float}  # 140.0 is stored "140"


def test_the_samples_keep_full_precision_and_their_dates(book, out):
    samples = pd.read_parquet(out / "uncertainty_samples.parquet")
    column = names_of(rows_of(book, "Samples")[0]).index("shocks.china_embargo.severity")
    severities = [row[column] for row in rows_of(book, "Samples")[1:]]
    assert severities == samples["shocks.china_embargo.severity"].tolist()
    assert len({repr(s) for s in severities}) == 3 and any(len(repr(s)) >= 17 for s in severities)  # 16-17 digits
    start = names_of(rows_of(book, "Samples")[0]).index("shocks.china_embargo.start")
    assert all(isinstance(row[start], dt.datetime) for row in rows_of(book, "Samples")[1:])
    assert book["Samples"].cell(2, start + 1).number_format == "yyyy-mm-dd"


def test_headers_carry_units_a_sampled_input_its_field_s_unit_in_the_scenario_reference(book, out):
    headers = set(rows_of(book, "Samples")[0])
    # the severity and a sourcing share say no unit in their names: the schema's fraction is shown
    assert "shocks.china_embargo.severity (fraction)" in headers
    assert "regions.japan.sourcing.light_ree.china (fraction)" in headers
    assert "agreement.trigger.commercial_days_below (days)" in headers
    assert "suppliers.lynas.capacity_t_per_day.light_ree (t/day)" in headers
    assert {"shortfall_t.japan (t)", "peak_world_price_usd_per_kg.light_ree (USD/kg)", "sample", "seed"} <= headers
    assert "baseline_demand_t_per_day.eu.heavy_ree (t/day)" in headers
    assert {"total_shortfall_t (t)", "max_shortfall_share_gap (fraction)"} <= set(rows_of(book, "Samples without")[0])
    # median, p5 and p95 are in each row's own unit (its unit column): their headers name none
    assert rows_of(book, "Uncertainty")[0] == ("metric", "title", "unit", "median", "p5", "p95", "drivers", "samples")
    severity = names_of(rows_of(book, "Samples")[0]).index("shocks.china_embargo.severity")
    assert book["Samples"].cell(2, severity + 1).number_format == "0.00%"


def test_the_columns_sheet_explains_every_new_column_with_the_unit_its_header_shows(book, out):
    glossary: dict[str, list[tuple[str, str | None, str]]] = {}
    for sheet, column, unit, meaning in rows_of(book, "Columns")[1:]:
        glossary.setdefault(sheet, []).append((column, unit, meaning))
    samples = pd.read_parquet(out / "uncertainty_samples.parquet")
    inputs = list(samples.columns[1 : samples.columns.get_loc("seed")])
    assert len(inputs) == 42  # the scenario's uncertain inputs, a sourcing mapping's shares a column each
    scenario = yaml.safe_load(SCENARIO.read_text())
    for sheet in NEW_SHEETS:
        header = rows_of(book, sheet)[0]
        rows = glossary[sheet]
        assert [column for column, _, _ in rows] == names_of(header)  # every column, in order
        for (column, unit, meaning), shown in zip(rows, header, strict=True):
            assert meaning, f"{sheet}: {column} unexplained"
            assert shown == (f"{column} ({unit})" if unit else column)
    meanings = {column: (unit, meaning) for column, unit, meaning in glossary["Samples"]}
    for path in inputs:
        unit, meaning = meanings[path]
        assert "dotted scenario path" in meaning
        assert unit == parameter_unit(path, scenario).label
    assert meanings["regions.japan.sourcing.light_ree.china"][0] == "fraction"
    assert "Samples without" in meanings["sample"][1]
    assert (
        meanings["shortfall_t.japan"][1] == dict((c, m) for c, _, m in glossary["Samples without"])["shortfall_t.japan"]
    )


def test_the_key_columns_stay_in_view_and_every_column_has_a_filter(book, out):
    # the top-left cell of the scrolling part: metric; sample (42 inputs frozen would fill the screen); sample, seed
    frozen = {"Uncertainty": "B2", "Samples": "B2", "Samples without": "C2"}
    for sheet, corner in frozen.items():
        xml = sheet_xml(out, book, sheet)
        assert re.search(r'<pane [^>]*topLeftCell="([A-Z]+[0-9]+)"[^>]*state="frozen"', xml)[1] == corner
        cells = book[sheet]
        assert (
            re.search(r'<autoFilter ref="([^"]+)"', xml)[1]
            == f"A1:{get_column_letter(cells.max_column)}{cells.max_row}"
        )
    assert book["Samples"].cell(2, 1).number_format == "General"  # a sample's number, as a run's: no separators


def test_the_most_samples_run_takes_fit_one_sheet():
    """So a Samples sheet is never longer than Excel's sheet: no run is refused after its samples have run."""
    option = next(p for p in main.commands["run"].params if p.name == "uncertainty_runs")
    assert option.type.max == MAX_UNCERTAINTY_RUNS
    assert MAX_UNCERTAINTY_RUNS + 1 <= EXCEL_MAX_ROWS


def test_a_study_without_paired_runs_has_no_samples_without_sheet(out):
    """A scenario without an agreement (or one invalid without it) has no paired runs: two sheets, not three."""
    from types import SimpleNamespace

    samples = pd.read_parquet(out / "uncertainty_samples.parquet").drop(columns="sample")
    headlines = pd.read_csv(out / "uncertainty.csv")
    without = pd.read_parquet(out / WITHOUT_FILE).drop(columns="sample")
    scenario = yaml.safe_load(SCENARIO.read_text())
    alone, _ = uncertainty_sheets(SimpleNamespace(samples=samples, headlines=headlines, without=None), scenario)
    paired, given = uncertainty_sheets(SimpleNamespace(samples=samples, headlines=headlines, without=without), scenario)
    assert [title for title, _, _ in alone] == ["Uncertainty", "Samples"]
    assert [title for title, _, _ in paired] == ["Uncertainty", "Samples", "Samples without"]
    assert list(paired[2][1]["sample"]) == list(range(3))  # numbered as the file is
    assert set(given) == {"Uncertainty", "Samples", "Samples without"}
