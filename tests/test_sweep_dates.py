"""A swept date is stored as datetime64[ms] in sweep.parquet, as in the samples tables; old tables still draw.

The world: two members cut off by China from 100 days before the start; the embargo's end is
swept over three dates given out of order (demands 20 and 80 t/day, no stock but the 30 t
pool each), so an earlier end means less shortfall: the tests check the dates' order and type.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

import simulator
from tests.helpers import TWO_MEMBERS, assert_bad_input, build, counted, invoke, no_run

DATED = build(TWO_MEMBERS, start_date="2010-11-01", horizon_days=40)
END = "shocks.halt.end"
GRID = ("--grid", f"{END}=2010-11-20,2010-11-10,2010-11-15", "--workers", 1)


def write(tmp_path) -> str:
    path = tmp_path / "dated.yaml"
    path.write_text(yaml.safe_dump(DATED, sort_keys=False))
    return str(path)


def test_a_swept_date_is_a_datetime64_ms_column_that_compares_with_timestamps(tmp_path):
    out = tmp_path / "out"
    result = invoke("sweep", write(tmp_path), *GRID, "--no-plots", "--format", "csv", "-o", out)
    assert result.exit_code == 0, result.output
    assert pq.read_schema(out / "sweep.parquet").field(END).type == pa.timestamp("ms")
    table = pd.read_parquet(out / "sweep.parquet")
    assert str(table[END].dtype) == "datetime64[ms]"
    assert table[END].dt.day.tolist() == [20, 10, 15]  # the grid's order: point 0, 1, 2
    assert (table[END] > pd.Timestamp("2010-11-12")).tolist() == [True, False, True]
    # the embargo ends on day 19, 9 or 14 of the run (1 November is day 0): a later end, more shortfall
    shortfall = table.set_index(table[END].dt.day)["total_shortfall_t"]
    assert shortfall[10] < shortfall[15] < shortfall[20]
    # the CSV shows the dates as before: ISO days, no time of day
    assert pd.read_csv(out / "sweep.csv")[END].tolist() == ["2010-11-20", "2010-11-10", "2010-11-15"]


def test_the_workbook_shows_a_swept_date_as_a_day_as_before(tmp_path):
    out = tmp_path / "out"
    assert invoke("sweep", write(tmp_path), *GRID, "--no-plots", "--excel", "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out / "workbook.xlsx")["Sweep"]
    assert sheet.cell(1, 1).value == END
    assert [sheet.cell(row, 1).value for row in (2, 3, 4)] == [dt.datetime(2010, 11, d) for d in (20, 10, 15)]
    assert sheet.cell(2, 1).number_format == "yyyy-mm-dd"  # a day, not "2010-11-20 0:00:00"


def test_an_interrupted_date_sweep_resumes_to_the_uninterrupted_table_byte_for_byte(tmp_path, monkeypatch):
    args = ["sweep", write(tmp_path), *GRID, "--chunk-runs", 1, "--no-plots"]
    whole = invoke(*args, "-o", tmp_path / "whole")
    assert whole.exit_code == 0, whole.output
    counted(monkeypatch, lost_after=1)
    broken = invoke(*args, "-o", tmp_path / "resumed")
    assert broken.exit_code == 3 and "1 finished chunk kept" in broken.output
    calls = counted(monkeypatch)
    resumed = invoke(*args, "-o", tmp_path / "resumed")
    assert resumed.exit_code == 0, resumed.output
    assert calls == [1, 2]  # one run a point, a chunk each: the first was kept
    assert (tmp_path / "resumed" / "sweep.parquet").read_bytes() == (tmp_path / "whole" / "sweep.parquet").read_bytes()
    assert pq.read_schema(tmp_path / "resumed" / "sweep.parquet").field(END).type == pa.timestamp("ms")


def test_plot_sweep_draws_a_table_written_before_dates_were_datetime64(tmp_path):
    """A guard, not a fix: such a table drew before too (its dates on a time axis: tests/test_sweep_axes.py)."""
    out = tmp_path / "out"
    assert invoke("sweep", write(tmp_path), *GRID, "--no-plots", "-o", out).exit_code == 0
    table = pd.read_parquet(out / "sweep.parquet")
    old = table.assign(**{END: [d.date() for d in table[END]]})  # datetime.date values: Arrow date32
    pq.write_table(pa.Table.from_pandas(old, preserve_index=False), out / "sweep.parquet")
    assert pq.read_schema(out / "sweep.parquet").field(END).type == pa.date32()
    assert pd.read_parquet(out / "sweep.parquet")[END].tolist()[0] == dt.date(2010, 11, 20)
    result = invoke("plot-sweep", out)
    assert result.exit_code == 0, result.output
    assert f"wrote {out / 'sweep_metrics.png'}" in result.output


# --- a date in quotes: read as the date on a date field, kept as text on a text field ---------------


def sweep_file(tmp_path, name: str, path: str, values: str) -> str:
    spec = tmp_path / f"{name}.yaml"
    spec.write_text(f"grid:\n  {path}: {values}\n")
    return str(spec)


def test_quoted_dates_in_a_sweep_file_are_the_dates_unquoted_ones_are(tmp_path):
    tables = {}
    for name, values in (("quoted", '["2010-11-20", "2010-11-10"]'), ("plain", "[2010-11-20, 2010-11-10]")):
        spec = sweep_file(tmp_path, name, END, values)
        out = tmp_path / name
        result = invoke("sweep", write(tmp_path), "--spec", spec, "--workers", 1, "--no-plots", "-o", out)
        assert result.exit_code == 0, result.output
        assert pq.read_schema(out / "sweep.parquet").field(END).type == pa.timestamp("ms")
        tables[name] = pd.read_parquet(out / "sweep.parquet")
    pd.testing.assert_frame_equal(tables["quoted"], tables["plain"])
    table = tables["quoted"]
    assert str(table[END].dtype) == "datetime64[ms]"
    assert table[END].dt.day.tolist() == [20, 10]
    # the embargo ends on day 19 or day 9 (1 November is day 0): 10 days more of 20 + 80 t/day unmet
    shortfall = table["total_shortfall_t"].tolist()
    assert shortfall[0] - shortfall[1] == pytest.approx(10 * (20 + 80))


def test_the_python_api_reads_date_texts_on_a_date_field_as_dates(tmp_path):
    texts = simulator.sweep(write(tmp_path), grid={END: ["2010-11-20", "2010-11-10"]}, workers=1)
    dates = simulator.sweep(write(tmp_path), grid={END: [dt.date(2010, 11, 20), dt.date(2010, 11, 10)]}, workers=1)
    pd.testing.assert_frame_equal(texts, dates)
    assert str(texts[END].dtype) == "datetime64[ms]"


def test_a_date_text_on_a_text_field_stays_text(tmp_path):
    spec = sweep_file(tmp_path, "names", "name", '["2010-11-20", "2010-11-10"]')
    out = tmp_path / "out"
    result = invoke("sweep", write(tmp_path), "--spec", spec, "--workers", 1, "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    table = pd.read_parquet(out / "sweep.parquet")
    assert table["name"].tolist() == ["2010-11-20", "2010-11-10"]  # a scenario's name is text, not a date
    assert pq.read_schema(out / "sweep.parquet").field("name").type in (pa.string(), pa.large_string())
    assert table["total_shortfall_t"].nunique() == 1  # the name changes nothing


def test_a_date_given_quoted_and_unquoted_on_one_axis_is_one_day_twice(tmp_path, monkeypatch):
    no_run(monkeypatch)
    spec = sweep_file(tmp_path, "twice", END, '[2010-11-20, "2010-11-20"]')
    result = invoke("sweep", write(tmp_path), "--spec", spec, "--workers", 1, "-o", tmp_path / "out")
    assert_bad_input(result, f"--grid {END}: a value is given twice (its points would run twice)")
    assert not (tmp_path / "out").exists()


def test_a_quoted_date_and_a_day_number_on_one_axis_are_refused_as_mixed(tmp_path, monkeypatch):
    no_run(monkeypatch)
    spec = sweep_file(tmp_path, "mixed", END, '["2010-11-20", 10]')
    result = invoke("sweep", write(tmp_path), "--spec", spec, "--workers", 1, "-o", tmp_path / "out")
    assert_bad_input(
        result,
        f"grid.{END}: mixes dates and day numbers (2010-11-20 and 10): give all its values as dates (YYYY-MM-DD) "
        "or all as day numbers",
    )
