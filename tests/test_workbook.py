"""The Excel workbook (``--excel``) read back with openpyxl: sheets, headers with units, dates,
frozen panes, number formats, and the same values as the CSV files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml

from simulator import workbook
from simulator.workbook import column_unit, flatten, header_text
from tests.helpers import TWO_MEMBERS, build, invoke, manifest_of, no_traceback

BIDS = [{"end_use": "all", "share": 1.0, "price_usd_per_kg": 100.0}]
AUCTIONED = build(
    TWO_MEMBERS,
    start_date="2010-07-01",
    agreement__mechanism="auction",
    agreement__auction={"every_days": 7, "bids": {"japan": {"ree": BIDS}, "eu": {"ree": BIDS}}},
)

# the pool shares by ratio while the halt lasts (days 0-4), then auctions what is left
HYBRID = build(
    AUCTIONED,
    agreement__mechanism="hybrid",
    shocks__halt__end=5,
    agreement__pool__contributions={"japan": {"ree": {"tonnes": 300}}, "eu": {"ree": {"tonnes": 300}}},
)


def write(tmp_path: Path, data: dict[str, Any], name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def sheet_frame(sheet: Any) -> pd.DataFrame:
    """A sheet as a table, the units taken off the headers (``shortfall_t (t)`` -> ``shortfall_t``)."""
    rows = list(sheet.values)
    names = [str(h).split(" (", 1)[0] for h in rows[0]]
    return pd.DataFrame(rows[1:], columns=names)


def assert_same_values(sheet: Any, csv: Path) -> None:
    """Every column of ``csv`` is in the sheet with the same values (dates as Excel dates)."""
    shown = sheet_frame(sheet)
    expected = pd.read_csv(csv, keep_default_na=False, na_values=[""])
    assert list(shown.columns) == list(expected.columns), sheet.title
    assert len(shown) == len(expected), sheet.title
    for column in expected.columns:
        want, got = expected[column], shown[column]
        if column == "date" or column.endswith("_date"):  # empty where the CSV is (a summary's day of -1)
            assert all(isinstance(v, dt.datetime) for v in got if not pd.isna(v)), (sheet.title, column)
            dates = [None if pd.isna(v) else v.date().isoformat() for v in got]
            assert dates == [None if pd.isna(v) else v for v in want], (sheet.title, column)
        elif pd.api.types.is_numeric_dtype(want):
            np.testing.assert_array_equal(got.astype(float).to_numpy(), want.astype(float).to_numpy(), err_msg=column)
        else:
            assert [None if pd.isna(v) else v for v in want] == [None if pd.isna(v) else v for v in got], column


SHARED = pytest.mark.xdist_group("workbook-shared")
"""The tests that read a module fixture (``auction_run``, ``auction_compare``): under ``pytest -n``, in one
process, so that each is made once."""


@pytest.fixture(scope="module")
def auction_compare(tmp_path_factory) -> Path:
    """``stockpile compare`` of the auctioned pair under fair_ratio and auction with ``--excel``: its folder."""
    folder = tmp_path_factory.mktemp("wb-compare")
    path = write(folder, AUCTIONED)
    result = invoke("compare", path, "--mechanisms", "fair_ratio,auction", "-o", folder / "c", "--excel", "--no-plots")
    assert result.exit_code == 0, result.output
    return folder / "c"


@pytest.fixture(scope="module")
def auction_run(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wb")
    path = write(folder, HYBRID)
    result = invoke("run", path, "-o", folder / "out", "--no-plots", "--excel", "--set", "agreement.ratio.japan=0.3")
    assert result.exit_code == 0, result.output
    return folder / "out"


# --- units from names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "label", "number_format"),
    [
        ("shortfall_t", "t", "#,##0.00"),
        ("gap_t.japan", "t", "#,##0.00"),
        ("auction_spend_usd.eu", "USD", "#,##0"),
        ("clearing_price_usd_per_kg", "USD/kg", "#,##0.00"),
        ("days_of_cover", "days", "#,##0.0"),
        ("min_days_of_cover.japan", "days", "#,##0.0"),
        ("shortfall_share", "fraction", "0.00%"),
        ("max_shortfall_share_gap", "fraction", "0.00%"),
        ("agreement.release_cap_t_per_day.ree", "t/day", "#,##0.00"),
        ("fairness_jain", None, "General"),
        ("region", None, "General"),
    ],
)
def test_units_and_formats_come_from_the_name_suffix(name, label, number_format):
    assert column_unit(name).label == label
    assert header_text(name) == (f"{name} ({label})" if label else name)
    example = pd.Series(["x"]) if name == "region" else pd.Series([1.5])
    assert workbook._number_format(name, example) == number_format


def test_registered_columns_take_the_registry_unit_whatever_their_name_ends_with():
    # the registry: min_days_of_net_imports in days, premium_fraction and draw_contribution_gap fractions,
    # draw_to_contribution a ratio (no unit); names it does not know keep the unit of their suffix
    summary = workbook.table_units(["min_days_of_net_imports", "draw_to_contribution", "share_x"], "summary")
    assert summary == {
        "min_days_of_net_imports": workbook.Unit("days", 1),
        "draw_to_contribution": workbook.Unit(None, None),
        "share_x": workbook.Unit(None, None),
    }
    assert workbook.table_units(["premium_fraction"], "portfolio")["premium_fraction"].percent
    metrics = workbook.table_units(["draw_contribution_gap", "min_days_of_net_imports.japan", "x.cap_t_per_day"], None)
    assert [u.label for u in metrics.values()] == ["fraction", "days", "t/day"]
    assert metrics["draw_contribution_gap"].percent
    # a shock's size has a column per unit: a quota's tonnes per period shown as they are, a severity in %
    shocks = workbook.table_units(["quota_t_per_period", "severity", "extra_days"], "shocks")
    assert shocks["quota_t_per_period"] == workbook.Unit("t per period", None)
    assert shocks["severity"].percent and shocks["extra_days"] == workbook.Unit("days", 1)


def test_every_shock_kind_has_a_registered_size_column():
    import typing

    from simulator.quantities import SHOCK_SIZE_COLUMN, get
    from simulator.scenario.schema import Shock

    kinds = [typing.get_args(cls.model_fields["kind"].annotation)[0] for cls in typing.get_args(Shock)[0].__args__]
    assert "export_quota" in kinds
    assert sorted(SHOCK_SIZE_COLUMN) == sorted(kinds)
    for kind, column in SHOCK_SIZE_COLUMN.items():  # each column names the kinds it holds, in words
        q = get("draws", column)
        assert q.table == "shocks", kind
        assert kind.replace("_", " ") in q.description, kind


def test_whole_numbers_have_separators_but_days_runs_and_seeds_do_not():
    whole = pd.Series([1, 2], dtype="Int64")
    assert workbook._number_format("shortfall_days", whole) == "#,##0"
    for name in ("day", "first_shortfall_day.japan", "run", "point", "seed"):
        assert workbook._number_format(name, whole) == "General", name


def test_scenario_data_flattens_to_set_paths():
    data = {"shocks": [{"id": "halt", "kind": "embargo", "regions": ["japan", "eu"]}], "bids": [{"share": 0.5}]}
    assert flatten(data) == [
        ("shocks.halt.id", "halt"),
        ("shocks.halt.kind", "embargo"),
        ("shocks.halt.regions", "japan, eu"),
        ("bids[0].share", 0.5),
    ]


# --- a run --------------------------------------------------------------------------------------


@SHARED
def test_run_workbook_has_the_sheets_in_order_with_frozen_headers(auction_run):
    book = openpyxl.load_workbook(auction_run / "workbook.xlsx")
    assert book.sheetnames == [
        "Summary",
        "Time series",
        "Releases",
        "Auctions",
        "Ledger",
        "Pool",
        "Shocks",
        "Portfolio",
        "Scenario",
        "Columns",
    ]
    frozen = {sheet.title: sheet.freeze_panes for sheet in book}
    assert frozen["Summary"] == "C2"  # region, material stay in view
    assert frozen["Time series"] == "E2"  # day, date, region, material
    assert frozen["Auctions"] == "D2"  # day, date, material
    assert frozen["Ledger"] == "C2"  # member, material
    assert frozen["Scenario"] == "B2"
    assert frozen["Columns"] == "C2"  # sheet, column
    assert all(pane.endswith("2") for pane in frozen.values())


@SHARED
def test_run_workbook_headers_carry_units(auction_run):
    book = openpyxl.load_workbook(auction_run / "workbook.xlsx")
    headers = {sheet.title: [c.value for c in next(sheet.iter_rows(max_row=1))] for sheet in book}
    assert headers["Summary"][:5] == [
        "region",
        "material",
        "demand_t (t)",
        "shortfall_t (t)",
        "shortfall_share (fraction)",
    ]
    assert "min_days_of_cover (days)" in headers["Summary"]
    assert "auction_spend_usd (USD)" in headers["Summary"]
    assert headers["Time series"][:4] == ["day", "date", "region", "material"]
    assert "days_of_cover (days)" in headers["Time series"]
    assert "clearing_price_usd_per_kg (USD/kg)" in headers["Auctions"]
    assert "won_t.japan (t)" in headers["Auctions"] and "gap_t.eu (t)" in headers["Releases"]
    assert headers["Scenario"] == ["parameter", "value", "unit"]


def cells_by_header(sheet: Any) -> dict[str, list[Any]]:
    """Each column's cells below the header, by header text."""
    columns = list(sheet.iter_cols())
    return {column[0].value: list(column[1:]) for column in columns}


@SHARED
def test_run_workbook_units_of_registered_columns_come_from_the_registry(auction_run):
    book = openpyxl.load_workbook(auction_run / "workbook.xlsx")
    summary = cells_by_header(book["Summary"])
    # min_days_of_net_imports is in days like min_days_of_cover, with the same 1-decimal format
    assert "min_days_of_net_imports" not in summary
    net, cover = summary["min_days_of_net_imports (days)"], summary["min_days_of_cover (days)"]
    assert [c.number_format for c in net if c.value is not None] == ["#,##0.0"] * 2  # japan, eu
    assert [c.number_format for c in net] == [c.number_format for c in cover]
    # fractions are percentages (the material's row and the overall row); ratios have no unit
    gap = [c for c in summary["draw_contribution_gap (fraction)"] if c.value is not None]
    assert [c.number_format for c in gap] == ["0.00%"] * 2
    ratios = [c.value for c in summary["draw_to_contribution"] if c.value is not None]
    # paid in 50/50: the gap between shares drawn and paid in is half the ratio's distance from 1
    assert [c.value for c in gap] == pytest.approx([0.5 * max(abs(r - 1) for r in ratios)] * 2)
    portfolio = cells_by_header(book["Portfolio"])
    assert [c.number_format for c in portfolio["premium_fraction (fraction)"]] == ["0.00%"] * 2
    shocks = cells_by_header(book["Shocks"])
    assert [c.value for c in shocks["severity (fraction)"]] == [1.0]
    assert [c.number_format for c in shocks["severity (fraction)"]] == ["0.00%"]
    assert [c.value for c in shocks["extra_days (days)"]] == [None]  # an embargo has no extra days


@SHARED
def test_every_sheet_of_every_workbook_can_be_filtered(auction_run, auction_compare, tmp_path):
    path = write(tmp_path, AUCTIONED)
    grid = ("--grid", "agreement.ratio.japan=0.2,0.8", "--workers", 1, "--format", "csv")
    assert invoke("sweep", path, *grid, "-o", tmp_path / "s", "--excel", "--no-plots").exit_code == 0
    for folder in (auction_run, auction_compare, tmp_path / "s"):
        book = openpyxl.load_workbook(folder / "workbook.xlsx")
        for sheet in book:
            # the filter spans the header and every row and column written (A1:<last column><last row>)
            last = f"{openpyxl.utils.get_column_letter(sheet.max_column)}{sheet.max_row}"
            assert sheet.auto_filter.ref == f"A1:{last}", (folder.name, sheet.title)
        assert "Scenario" in book.sheetnames
    assert book["Sweep set-up"].auto_filter.ref == f"A1:C{book['Sweep set-up'].max_row}"


@SHARED
def test_run_workbook_dates_are_excel_dates_and_numbers_have_formats(auction_run):
    book = openpyxl.load_workbook(auction_run / "workbook.xlsx")
    series = book["Time series"]
    rows = list(series.iter_rows(min_row=2))
    # 2 regions x 1 material per day: rows 0-1 are day 0, rows 20-21 day 10
    assert rows[0][1].value == dt.datetime(2010, 7, 1) and rows[0][1].is_date
    assert rows[20][0].value == 10 and rows[20][1].value == dt.datetime(2010, 7, 11)
    assert rows[0][1].number_format == "yyyy-mm-dd"
    formats = {header.value: cell.number_format for header, cell in zip(series[1], rows[0], strict=True)}
    assert formats["demand_t (t)"] == "#,##0.00"
    assert formats["days_of_cover (days)"] == "#,##0.0"
    assert formats["auction_spend_usd (USD)"] == "#,##0"
    summary = book["Summary"]
    row = {h.value: c for h, c in zip(summary[1], summary[2], strict=True)}
    assert row["shortfall_share (fraction)"].number_format == "0.00%"
    assert row["shortfall_days (days)"].number_format == "#,##0"
    assert 0 < row["shortfall_share (fraction)"].value < 1
    assert summary.column_dimensions["A"].width >= len("region")


@SHARED
def test_run_workbook_values_equal_the_csv_files(auction_run):
    book = openpyxl.load_workbook(auction_run / "workbook.xlsx")
    sheets = {"Summary": "summary", "Time series": "timeseries", "Releases": "releases", "Auctions": "auctions"}
    sheets |= {"Pool": "pool", "Shocks": "shocks", "Portfolio": "portfolio"}
    for title, name in sheets.items():
        assert_same_values(book[title], auction_run / f"{name}.csv")
    # the ratio shares 500 t on the 5 halt days; the one auction (day 5) sells the last 100 t, drawn that day
    assert book["Releases"].max_row == 1 + 5 + 1 and book["Auctions"].max_row == 1 + 1


@SHARED
def test_run_workbook_lists_the_parameters_with_overrides_applied(auction_run):
    book = openpyxl.load_workbook(auction_run / "workbook.xlsx")
    parameters = {row[0]: row[1:] for row in book["Scenario"].iter_rows(min_row=2, values_only=True)}
    assert parameters["horizon_days"] == (60, "days")
    assert parameters["start_date"] == (dt.datetime(2010, 7, 1), None)
    assert parameters["agreement.ratio.japan"] == (0.3, "fraction")  # the --set value, its unit the schema's
    assert parameters["regions.eu.demand.ree.tonnes_per_day"] == (80, "t/day")
    assert parameters["shocks.halt.regions"] == ("japan, eu", None)
    assert parameters["agreement.auction.bids.japan.ree[0].price_usd_per_kg"] == (100.0, "USD/kg")


@SHARED
def test_the_workbook_is_listed_and_removed_by_a_run_without_excel(auction_run, tmp_path):
    assert "workbook.xlsx" in manifest_of(auction_run)["files"]
    path = write(tmp_path, AUCTIONED)
    assert invoke("run", path, "-o", tmp_path / "out", "--no-plots", "--excel").exit_code == 0
    assert (tmp_path / "out" / "workbook.xlsx").is_file()
    assert invoke("run", path, "-o", tmp_path / "out", "--no-plots").exit_code == 0
    assert not (tmp_path / "out" / "workbook.xlsx").exists()


def test_without_a_start_date_there_is_no_date_column(tmp_path):
    path = write(tmp_path, TWO_MEMBERS)
    result = invoke("run", path, "-o", tmp_path / "out", "--no-plots", "--excel")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "out" / "workbook.xlsx")
    series = book["Time series"]
    assert [c.value for c in series[1]][:3] == ["day", "region", "material"]
    assert series.freeze_panes == "D2"
    assert sheet_frame(series)["day"].tolist() == pd.read_csv(tmp_path / "out" / "timeseries.csv")["day"].tolist()


def test_a_table_too_long_for_excel_is_refused_and_nothing_is_lost(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 100)  # the time series has 120 rows
    path = write(tmp_path, TWO_MEMBERS)
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = invoke("run", path, "-o", out, "--no-plots", "--excel")
    assert result.exit_code == 2, result.output
    assert "Time series" in result.output and "do not fit an Excel sheet" in result.output
    assert no_traceback(result)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


# --- compare and sweep --------------------------------------------------------------------------


@SHARED
def test_compare_workbook_has_the_table_and_every_rules_summary(auction_compare):
    book = openpyxl.load_workbook(auction_compare / "workbook.xlsx")
    assert book.sheetnames == ["Comparison", "Summaries", "Scenario", "Columns"]
    assert_same_values(book["Comparison"], auction_compare / "compare.csv")
    assert "total_shortfall_t (t)" in [c.value for c in book["Comparison"][1]]
    summaries = sheet_frame(book["Summaries"])
    assert book["Summaries"].freeze_panes == "D2"  # mechanism, region, material
    # per rule, and for the scenario without its agreement and with each member's share alone: 2 regions + the
    # material's "all" row + the overall row
    sizes = {"auction": 4, "fair_ratio": 4, "no agreement": 4, "own shares alone": 4}
    assert summaries.groupby("mechanism").size().to_dict() == sizes
    assert summaries["mechanism"].iloc[0] == "no agreement"
    table = pd.read_csv(auction_compare / "compare.csv").set_index("mechanism")
    overall = summaries[(summaries["region"] == "all") & (summaries["material"] == "all")].set_index("mechanism")
    assert overall["total_shortfall_t"].to_dict() == table["total_shortfall_t"].to_dict()
    # the Scenario sheet names the rules compared, not the file's one rule beside them
    scenario = {r[0].value: r[1].value for r in book["Scenario"].iter_rows(min_row=2)}
    assert scenario["agreement.mechanism"] == "compared: fair_ratio, auction"


NOISY_PAIR = build(TWO_MEMBERS, regions__japan__demand__ree__noise_cv=0.1)
"""Random demand: a deterministic scenario's sweep runs each point once, whatever --runs says."""


def test_sweep_workbook_has_the_table_and_its_set_up(tmp_path):
    path = write(tmp_path, TWO_MEMBERS)
    grid = "agreement.ratio.japan=0.2,0.8"
    result = invoke(
        "sweep",
        path,
        "--grid",
        grid,
        "--runs",
        2,
        "--workers",
        1,
        "--format",
        "csv",
        "-o",
        tmp_path / "s",
        "--excel",
        "--no-plots",
    )
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "s" / "workbook.xlsx")
    assert book.sheetnames == ["Sweep", "Sweep set-up", "Scenario", "Columns"]
    assert book["Sweep"].freeze_panes == "E2"  # agreement.ratio.japan, point, run, seed
    assert_same_values(book["Sweep"], tmp_path / "s" / "sweep.csv")
    set_up = {row[0]: row[1] for row in book["Sweep set-up"].iter_rows(min_row=2, values_only=True)}
    assert set_up["grid.agreement.ratio.japan"] == "0.2, 0.8"
    assert set_up["runs_per_point"] == 1  # a scenario without random inputs runs each point once


def test_a_sweep_too_long_for_excel_is_refused_before_it_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 4)
    path = write(tmp_path, NOISY_PAIR)
    args = ("sweep", path, "--grid", "agreement.ratio.japan=0.2,0.8", "--runs", 2, "--workers", 1)
    result = invoke(*args, "-o", tmp_path / "s", "--excel")
    assert result.exit_code == 2, result.output
    assert "4 runs do not fit an Excel sheet (3 rows)" in result.output and no_traceback(result)
    assert not (tmp_path / "s" / "sweep.parquet").exists()


def test_numbers_that_need_17_digits_come_back_exactly(tmp_path):
    # XlsxWriter writes numbers with 16 significant digits: 0.1 + 0.2 would come back as 0.3
    values = [0.1 + 0.2, 1 / 6, 2.5, float("nan")]
    book = workbook.Book(tmp_path / "t.xlsx")  # as the tool writes them
    workbook.add_table_sheet(book, "T", pd.DataFrame({"shortfall_share": values, "draw_to_contribution": values}))
    book.close()
    read = openpyxl.load_workbook(tmp_path / "t.xlsx")["T"]
    for column in (1, 2):
        got = [read.cell(row=r, column=column).value for r in (2, 3, 4)]
        assert got == [0.30000000000000004, 1 / 6, 2.5]


@SHARED
def test_a_workbook_carries_no_time_of_writing(auction_run, tmp_path):
    # a writer stamps the properties (and XlsxWriter its zip entries 31 January 1980, local time):
    # the same run written again later, or elsewhere, must give the same bytes
    import zipfile

    with zipfile.ZipFile(auction_run / "workbook.xlsx") as book:
        assert {item.date_time for item in book.infolist()} == {(1980, 1, 31, 0, 0, 0)}
    properties = openpyxl.load_workbook(auction_run / "workbook.xlsx", read_only=True).properties
    assert properties.created == properties.modified == dt.datetime(1980, 1, 1)


def test_a_sweep_workbook_is_the_same_bytes_on_one_worker_or_two(tmp_path):
    # sweep.json says how this machine ran it (wall time, workers); the workbook leaves that out
    path = write(tmp_path, build(TWO_MEMBERS, **{"regions.japan.demand.ree.noise_cv": 0.1}))
    books = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        assert (
            invoke("sweep", path, "--runs", 6, "--workers", workers, "--excel", "--no-plots", "-o", out).exit_code == 0
        )
        books.append((out / "workbook.xlsx").read_bytes())
    assert books[0] == books[1]


def test_a_sweep_workbook_is_the_same_bytes_whatever_the_chunking(tmp_path):
    """6 runs in one chunk, then in chunks of 2 on two processes: sweep.json differs (chunk_runs,
    backend, workers), the workbook does not."""
    path = write(tmp_path, build(TWO_MEMBERS, **{"regions.japan.demand.ree.noise_cv": 0.1}))
    books, infos = [], []
    for name, chunking in (("one", ()), ("three", ("--chunk-runs", 2))):
        out = tmp_path / name
        args = ("sweep", path, "--runs", 6, "--workers", 2, *chunking, "--excel", "--no-plots", "-o", out)
        assert invoke(*args).exit_code == 0
        books.append((out / "workbook.xlsx").read_bytes())
        infos.append(json.loads((out / "sweep.json").read_text()))
    assert infos[1]["chunk_runs"] == 2 and infos[0]["chunk_runs"] > 6
    assert books[0] == books[1]


# --- units of the Scenario sheet from the schema, and "never" in first-day columns ----------------


def test_scenario_sheet_takes_units_from_the_schema_where_the_name_says_none():
    data = build(
        TWO_MEMBERS,
        shocks__halt__severity=0.8,
        agreement__trigger={"commercial_days_below": 15},
        uncertain=[{"path": "shocks.halt.severity", "low": 0.2, "high": 0.7}],
    )
    units = {path: unit.label for path, _, unit in workbook.parameter_rows(data)}
    assert units["agreement.trigger.commercial_days_below"] == "days"
    assert units["shocks.halt.severity"] == "fraction"
    assert units["regions.japan.sourcing.ree.china"] == "fraction"
    assert units["uncertain[0].low"] == units["uncertain[0].high"] == "fraction"  # the unit of the field varied
    # the name's suffix still gives the others; names, text and plain numbers have none
    assert units["regions.eu.demand.ree.tonnes_per_day"] == "t/day"
    assert all(pd.isna(units[path]) for path in ("shocks.halt.kind", "uncertain[0].path", "name"))


def test_a_fraction_the_schema_names_is_shown_as_a_percentage(tmp_path):
    # shown with as many decimals as written, up to 4 (0.12345 read 12.35% with "0.00%")
    data = build(TWO_MEMBERS, shocks__halt__severity=0.12345)
    book = workbook.Book(tmp_path / "s.xlsx")
    workbook.add_parameter_sheet(book, "Scenario", data)
    book.close()
    rows = {r[0].value: r[1] for r in openpyxl.load_workbook(tmp_path / "s.xlsx")["Scenario"].iter_rows(min_row=2)}
    assert rows["shocks.halt.severity"].value == 0.12345 and rows["shocks.halt.severity"].number_format == "0.00##%"
    assert rows["regions.japan.sourcing.ree.china"].number_format == "0.00##%"


def header_notes(sheet: Any) -> dict[str, str]:
    return {str(cell.value): cell.comment.text for cell in sheet[1] if cell.comment is not None}


@SHARED
def test_first_day_columns_say_that_minus_one_is_never(auction_run, tmp_path):
    note = "-1 means never: the event did not happen in the run (as in the CSV)."
    book = openpyxl.load_workbook(auction_run / "workbook.xlsx")
    # each "none" with its own reason (NONE_WORDS): a cover day's -1 is not "no price", nor a price day's "no demand"
    no_demand = "-1 means none: no demand in the run (as in the CSV)."
    no_price = "-1 means none: no price in the run (as in the CSV)."
    # day numbers: no unit in the header
    assert header_notes(book["Summary"]) == {
        "first_shortfall_day": note,
        "min_days_of_cover_day": no_demand,
        "peak_price_day": no_price,
    }
    assert header_notes(book["Time series"]) == {}
    path = write(tmp_path, HYBRID)
    result = invoke(
        "compare", path, "--mechanisms", "fair_ratio,auction", "--excel", "--no-plots", "-o", tmp_path / "c"
    )
    assert result.exit_code == 0, result.output
    compared = openpyxl.load_workbook(tmp_path / "c" / "workbook.xlsx")
    assert set(header_notes(compared["Comparison"])) == {"first_shortfall_day.japan", "first_shortfall_day.eu"}
    assert header_notes(compared["Summaries"]) == {
        "first_shortfall_day": note,
        "min_days_of_cover_day": no_demand,
        "peak_price_day": no_price,
    }
    assert set(header_notes(compared["Comparison"]).values()) == {note}


# --- text that a writer would take for a formula or an error is stored as text -------------------

LINK = '=HYPERLINK("http://evil.example/","click")'
"""A label that, stored as a formula, would be a live link in the workbook."""


def _formulas_and_errors(path: Path) -> list[str]:
    """The ``<f>`` elements and error cells (``t="e"``) of every sheet of the workbook at ``path``."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    return re.findall(r"<f[ >].*?</f>|<c [^>]*t=\"e\"", xml)


def test_scenario_text_that_looks_like_a_formula_is_text_in_the_run_workbook(tmp_path):
    data = build(TWO_MEMBERS, materials__ree__label=LINK, regions__japan__label="=1+2", description="#N/A")
    result = invoke("run", write(tmp_path, data), "--no-plots", "--excel", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    path = tmp_path / "out" / "workbook.xlsx"
    assert _formulas_and_errors(path) == []  # were <f>HYPERLINK(...)</f>, <f>1+2</f> and an error cell
    sheet = openpyxl.load_workbook(path)["Scenario"]
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    for parameter, text in (("materials.ree.label", LINK), ("regions.japan.label", "=1+2"), ("description", "#N/A")):
        assert cells[parameter].value == text and cells[parameter].data_type == "s", parameter


def test_text_longer_than_a_cell_holds_is_cut_and_says_so(tmp_path):
    """Review 39: XlsxWriter cut a 40,000-character description to 32,767 characters in silence."""
    description = "".join(f"{k:>9}," for k in range(4_000))  # 40,000 characters
    result = invoke(
        "run",
        write(tmp_path, build(TWO_MEMBERS, description=description)),
        "--no-plots",
        "--excel",
        "-o",
        tmp_path / "out",
    )
    assert result.exit_code == 0, result.output
    cells = {
        row[0]: row[1]
        for row in openpyxl.load_workbook(tmp_path / "out" / "workbook.xlsx")["Scenario"].iter_rows(
            min_row=2, values_only=True
        )
    }
    kept = 32_767 - len(" [cut here: an Excel cell holds at most 32,767 characters]")
    assert cells["description"] == description[:kept] + " [cut here: an Excel cell holds at most 32,767 characters]"
    assert json.loads((tmp_path / "out" / "scenario.json").read_text())["description"] == description  # whole there


def test_table_text_that_looks_like_a_formula_is_text_in_every_column(tmp_path):
    texts = ["=1+2", LINK, "#N/A", "=", "plain"]
    book = workbook.Book(tmp_path / "t.xlsx")  # as the tool writes them
    table = pd.DataFrame({"region": texts, "shortfall_t": [1.0, 2.0, 3.0, 4.0, 5.0], "=SUM(B2:B6)": texts})
    workbook.add_table_sheet(book, "T", table)
    book.close()
    assert _formulas_and_errors(tmp_path / "t.xlsx") == []
    read = openpyxl.load_workbook(tmp_path / "t.xlsx")["T"]
    assert read.cell(row=1, column=3).value == "=SUM(B2:B6)"  # a header too
    for column in (1, 3):
        assert [read.cell(row=r, column=column).value for r in range(2, 7)] == texts
    assert [read.cell(row=r, column=2).value for r in range(2, 7)] == [1.0, 2.0, 3.0, 4.0, 5.0]


# --- what XlsxWriter would write differently, and the workbook does not ------------------------


def test_numbers_come_back_exactly_where_xlsxwriter_alone_rounds_them_to_16_digits(tmp_path):
    import xlsxwriter

    floats = [0.1 + 0.2, 1e-05, 2.5e-300, 140.0, 1 / 3]
    whole = [10**16 + 1, -(2**62) - 1, 7, 0, 1]
    plain = xlsxwriter.Workbook(tmp_path / "plain.xlsx")  # the library as it comes
    sheet = plain.add_worksheet("T")
    for row, (x, n) in enumerate(zip(floats, whole, strict=True)):
        sheet.write_number(row, 0, x)
        sheet.write_number(row, 1, n)
    plain.close()
    read = openpyxl.load_workbook(tmp_path / "plain.xlsx")["T"]
    assert read["A1"].value == 0.3 and read["B1"].value == 1e16  # 16 significant digits: both off
    book = workbook.Book(tmp_path / "t.xlsx")
    table = pd.DataFrame({"x": floats, "n": pd.array(whole, dtype="Int64")})
    workbook.add_table_sheet(book, "T", table)
    book.close()
    read = openpyxl.load_workbook(tmp_path / "t.xlsx")["T"]
    got = [(read.cell(row=r, column=1).value, read.cell(row=r, column=2).value) for r in range(2, 7)]
    assert got == list(zip(floats, whole, strict=True))
    assert type(got[3][0]) is int  # 140.0 written "140", as 16 digits write it (and read back as 140)


def test_the_same_workbook_written_in_two_time_zones_is_the_same_bytes(tmp_path, monkeypatch):
    import time
    import zipfile

    table = pd.DataFrame({"region": ["japan", "eu"], "shortfall_t": [0.1 + 0.2, 2.0]})
    written = []
    try:
        for k, zone in enumerate(["UTC", "Pacific/Auckland"]):  # Auckland: summer time in January
            monkeypatch.setenv("TZ", zone)
            time.tzset()
            path = workbook._sheets(tmp_path / f"w{k}.xlsx", [("T", table, None)], [("Scenario", {"name": "x"})])
            written.append(path.read_bytes())
    finally:  # the process's own time zone back, whatever happened
        monkeypatch.undo()
        time.tzset()
    assert written[0] == written[1]
    with zipfile.ZipFile(tmp_path / "w0.xlsx") as book:
        assert book.testzip() is None  # every entry reads back with its checksum
        # XlsxWriter dates its entries 31 January 1980 in local time, read back as that date anywhere
        assert {item.date_time for item in book.infolist()} == {(1980, 1, 31, 0, 0, 0)}


@SHARED
def test_headers_are_bold_filled_bordered_and_wrapped_and_widths_are_as_computed(auction_run):
    book = openpyxl.load_workbook(auction_run / "workbook.xlsx")
    for sheet in book:
        for cell in sheet[1]:
            assert cell.font.b and cell.alignment.wrap_text, (sheet.title, cell.value)
            assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith("E8EEF4")
            assert cell.border.bottom.style == "thin" and cell.border.bottom.color.rgb.endswith("8899AA")
        assert not sheet["A2"].font.b
    summary = book["Summary"]
    # region: "region" (6) and "japan"/"all" are shorter than the least width (6), plus 2
    assert summary.column_dimensions["A"].width == 8  # as stored, not 8.71 (XlsxWriter's set_column)
    notes = [cell.comment for cell in summary[1] if cell.comment is not None]
    # first_shortfall_day's -1 is "never"; the days of the lowest cover and the peak price say "none",
    # each with its own reason (the cover note once named the price too, and the price note the cover)
    assert [(note.author, note.text) for note in notes] == [
        ("stockpile", "-1 means never: the event did not happen in the run (as in the CSV)."),
        ("stockpile", "-1 means none: no demand in the run (as in the CSV)."),
        ("stockpile", "-1 means none: no price in the run (as in the CSV)."),
    ]


def test_a_workbook_not_written_leaves_no_temporary_files(tmp_path, monkeypatch):
    import tempfile

    from simulator.errors import InputError

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))  # where each workbook's rows folder is made
    table = pd.DataFrame({"region": ["japan", "eu"], "shortfall_t": [1.0, 2.0]})
    with pytest.raises(InputError, match="cannot write: No such file or directory"):
        workbook._sheets(tmp_path / "missing" / "w.xlsx", [("T", table, None)], [("Scenario", {"name": "x"})])
    assert list(temporary.iterdir()) == []

    def broken(*args):
        raise RuntimeError("broken")

    monkeypatch.setattr(workbook, "add_parameter_sheet", broken)  # after the table's rows were streamed
    with pytest.raises(RuntimeError, match="broken"):
        workbook._sheets(tmp_path / "w.xlsx", [("T", table, None)], [("Scenario", {"name": "x"})])
    assert list(temporary.iterdir()) == [] and not (tmp_path / "w.xlsx").exists()
    monkeypatch.undo()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    book = workbook.Book(tmp_path / "written.xlsx")  # written whole: its rows' folder goes as it closes
    workbook.add_table_sheet(book, "T", table)
    book.close()
    assert list(temporary.iterdir()) == [] and (tmp_path / "written.xlsx").is_file()


def test_a_run_with_a_market_has_a_market_sheet_with_units(tmp_path):
    """Two members over 60 days with a market on their one material: market.csv holds 60 rows, and so does
    the Market sheet, after Time series, with the registry's units in its headers."""
    path = write(tmp_path, {**TWO_MEMBERS, "start_date": "2010-07-01", "market": {"ree": {}}})
    out = tmp_path / "out"
    result = invoke("run", path, "--excel", "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out / "workbook.xlsx")
    assert book.sheetnames[:3] == ["Summary", "Time series", "Market"]
    sheet = book["Market"]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == [
        "day",
        "date",
        "material",
        "world_price_usd_per_kg (USD/kg)",
        "perceived_risk (fraction)",
        "cover_ratio (fraction)",
    ]
    assert sheet.freeze_panes == "D2" and sheet.max_row == 1 + 60
    assert_same_values(sheet, out / "market.csv")


def test_the_table_of_a_run_s_files_lists_every_file_a_run_without_uncertainty_writes():
    """docs/outputs.md's 'Files of a run' left out market.csv and prices.png, which a run with a market writes."""
    import re

    from simulator.output import run_files

    text = (Path(__file__).parents[1] / "docs" / "outputs.md").read_text()
    table = text.split("## Files of a run", 1)[1].split("**All or nothing.**", 1)[0]
    listed = {
        name
        for row in table.splitlines()
        if row.startswith("| `")
        for name in re.findall(r"`([^`]+)`", row.split("|")[1])
    }
    every = run_files(agreement=True, figures=True, report=True, excel=True, market=True, uncertainty=False)
    assert every - listed == set()
    assert {"market.csv", "prices.png"} <= listed
