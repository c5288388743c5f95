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
import yaml

from tests.helpers import TWO_MEMBERS, build, counted, invoke

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
    assert broken.exit_code == 3 and "1 finished chunk(s) kept" in broken.output
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
