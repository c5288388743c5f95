"""``stockpile run --compare``'s pairing as a table: :func:`simulator.against.against`, ``against.csv``, sheet Against.

Before: the pairing of each region's shortfall with the baseline's existed only as the text
:func:`simulator.console.against_text` prints; a researcher or an Excel user could not get it as a table.

The tiny pair, worked by hand: one region, one material, no stock, supply halted from before day 0 (an embargo
from day -100, as in ``TWO_MEMBERS``), so the region is short of its whole demand every day from day 0. This run:
4 t/day over 10 days, 40 t. The baseline: 10 t/day over 10 days, 100 t. Change -60 t, -60% of the baseline's.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml

from simulator.engine import simulate
from simulator.scenario.load import load_scenario
from tests.helpers import ONE_REGION, build, invoke

HALTED = build(
    ONE_REGION,
    horizon_days=10,
    regions__japan__commercial_stock__ree__tonnes=0,
    shocks=[{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}],
)
RUN = build(HALTED, name="light", regions__japan__demand__ree__tonnes_per_day=4)  # 4 t/day x 10 days = 40 t short
BASE = build(HALTED, name="heavy")  # 10 x 10 = 100 t short
STOCKED = build(HALTED, name="stocked", regions__japan__commercial_stock__ree__tonnes=1000)  # never short


def _write(tmp_path: Path, data: dict, name: str) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def _run(tmp_path: Path, data: dict, name: str):
    return simulate(load_scenario(_write(tmp_path, data, name)))


def test_40_t_against_100_t_is_a_change_of_minus_60_t_and_minus_60_percent(tmp_path):
    from simulator.against import AGAINST_COLUMNS, against

    found = against(_run(tmp_path, RUN, "run.yaml"), _run(tmp_path, BASE, "base.yaml"))
    frame = found.frame()
    assert (
        list(frame.columns)
        == list(AGAINST_COLUMNS)
        == [
            "region",
            "material",
            "shortfall_t",
            "baseline_shortfall_t",
            "change_t",
            "change_share",
            "first_shortfall_day",
            "baseline_first_shortfall_day",
            "first_shortfall_date",
            "baseline_first_shortfall_date",
        ]
    )
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row["region"], row["material"]) == ("japan", "ree")
    assert row["shortfall_t"] == pytest.approx(40.0)
    assert row["baseline_shortfall_t"] == pytest.approx(100.0)
    assert row["change_t"] == pytest.approx(-60.0)
    assert row["change_share"] == pytest.approx(-0.6)
    assert (row["first_shortfall_day"], row["baseline_first_shortfall_day"]) == (0, 0)
    assert (row["first_shortfall_date"], row["baseline_first_shortfall_date"]) == ("", "")  # no start_date
    assert frame["first_shortfall_day"].dtype == np.int64
    assert found.baseline_name == "heavy"
    assert found.only_in_run == found.only_in_baseline == ()
    assert found.same_period


def test_change_share_is_empty_where_the_baseline_is_not_short(tmp_path):
    """A baseline never short: +40 t, but no share of 0 t (not inf, not 0); its first day -1 (never)."""
    from simulator.against import against

    frame = against(_run(tmp_path, RUN, "run.yaml"), _run(tmp_path, STOCKED, "stocked.yaml")).frame()
    row = frame.iloc[0]
    assert row["baseline_shortfall_t"] == 0.0
    assert row["change_t"] == pytest.approx(40.0)
    assert np.isnan(row["change_share"])
    assert row["baseline_first_shortfall_day"] == -1
    # the other way round the baseline is short (40 t) and the run is not: -100%
    back = against(_run(tmp_path, STOCKED, "stocked.yaml"), _run(tmp_path, RUN, "run.yaml")).frame()
    assert back.loc[0, "change_t"] == pytest.approx(-40.0) and back.loc[0, "change_share"] == pytest.approx(-1.0)


def test_pairs_in_one_run_and_another_period_are_facts_of_the_table(tmp_path):
    """The baseline: 2 t/day over 20 days (40 t, as the run) and a second material the run lacks."""
    from simulator.against import against

    other = build(BASE, horizon_days=20, regions__japan__demand__ree__tonnes_per_day=2, materials__co={})
    other = build(other, regions__japan__demand__co={"tonnes_per_day": 1}, regions__japan__sourcing__co={"china": 1.0})
    found = against(_run(tmp_path, RUN, "run.yaml"), _run(tmp_path, other, "other.yaml"))
    assert found.frame()["baseline_shortfall_t"].tolist() == pytest.approx([40.0])
    assert found.only_in_baseline == (("japan", "co"),) and found.only_in_run == ()
    assert not found.same_period


def test_the_printed_lines_are_built_from_the_table(tmp_path, monkeypatch):
    """``against_text`` prints the table's rows: a table with other numbers prints other numbers."""
    import simulator.console as console
    from simulator.against import against
    from simulator.table import Table

    run, base = _run(tmp_path, RUN, "run.yaml"), _run(tmp_path, BASE, "base.yaml")
    lines = console.against_text(run, base).splitlines()
    assert lines[0] == "against heavy:"
    assert lines[2].split() == ["japan", "ree", "40.0", "100.0", "-60.0", "day", "0", "day", "0"]  # no start date
    assert lines[3] == "shortfall of these rows 40.0 t against 100.0 t in the baseline"
    assert len(lines) == 4

    real = against(run, base)
    columns = dict(real.table.columns)
    columns.update(
        shortfall_t=np.array([7.0]),
        baseline_shortfall_t=np.array([2.0]),
        change_t=np.array([5.0]),
        first_shortfall_day=np.array([3]),
        baseline_first_shortfall_day=np.array([-1]),
    )
    made = type(real)(Table(columns), "elsewhere", (("eu", "ree"),), (), False)
    monkeypatch.setattr(console, "against", lambda *_: made)
    lines = console.against_text(run, base).splitlines()
    assert lines[0] == "against elsewhere:"
    assert lines[2].split() == ["japan", "ree", "7.0", "2.0", "+5.0", "day", "3", "never"]
    assert lines[3] == "shortfall of these rows 7.0 t against 2.0 t in the baseline"
    assert lines[4].startswith("the runs cover different periods")
    assert lines[5] == "only in this run, not compared: eu ree"


def test_a_shipped_pair_s_table_and_its_printed_lines():
    """new_supply_2031 against long_embargo_12m_2030, as ``run --compare`` prints them (pinned before the table).

    Printed: japan heavy_ree 222.3 against 30.4 (+191.9), eu heavy_ree 71.3 against 8.7 (+62.5); 293.6 t against
    39.1 t; five years from 2027 against two from 2030; light rare earths and magnets only in the baseline.
    """
    from simulator.against import against
    from simulator.console import against_text
    from simulator.scenario.load import load_scenario as load
    from tests.helpers import ROOT

    run = simulate(load(ROOT / "scenarios" / "new_supply_2031.yaml"))
    base = simulate(load(ROOT / "scenarios" / "long_embargo_12m_2030.yaml"))
    frame = against(run, base).frame()
    assert frame[["region", "material"]].values.tolist() == [["japan", "heavy_ree"], ["eu", "heavy_ree"]]
    np.testing.assert_allclose(frame["shortfall_t"], [222.3095, 71.2889], atol=1e-4)
    np.testing.assert_allclose(frame["baseline_shortfall_t"], [30.375, 8.75], atol=1e-9)
    np.testing.assert_allclose(frame["change_t"], frame["shortfall_t"] - frame["baseline_shortfall_t"], rtol=0)
    np.testing.assert_allclose(frame["change_share"], frame["change_t"] / frame["baseline_shortfall_t"], rtol=0)
    assert frame["first_shortfall_day"].tolist() == [879, 880]
    assert frame["baseline_first_shortfall_day"].tolist() == [408, 409]
    # each day from its own run's start: 2027-01-01 + 879 days (2027: 365, 2028: 366, then 148 days into 2029)
    assert frame["first_shortfall_date"].tolist() == ["2029-05-29", "2029-05-30"]
    assert frame["baseline_first_shortfall_date"].tolist() == ["2031-02-13", "2031-02-14"]  # 2030-01-01 + 408
    assert against_text(run, base).splitlines() == [
        "against long_embargo_12m_2030:",
        "region  material   shortfall t  baseline t  change t  first short  baseline first",
        "japan   heavy_ree        222.3        30.4    +191.9  29 May 2029     13 Feb 2031",
        "eu      heavy_ree         71.3         8.7     +62.5  30 May 2029     14 Feb 2031",
        "shortfall of these rows 293.6 t against 39.1 t in the baseline",
        "the runs cover different periods (1,826 days from 1 Jan 2027 against 730 days from 1 Jan 2030): "
        "the totals are not like for like",
        "only in the baseline, not compared: eu light_ree, eu ndfeb_magnets, japan light_ree",
    ]


def test_run_compare_writes_against_csv_and_its_sheet_and_a_rerun_without_removes_it(tmp_path):
    run, base, out = _write(tmp_path, RUN, "run.yaml"), _write(tmp_path, BASE, "base.yaml"), tmp_path / "out"
    done = invoke("run", run, "--compare", base, "--no-plots", "--excel", "-o", out)
    assert done.exit_code == 0, done.output
    written = pd.read_csv(out / "against.csv", keep_default_na=False, na_values=[""])
    assert written.columns.tolist()[:3] == ["region", "material", "shortfall_t"]
    assert written.loc[0, ["shortfall_t", "baseline_shortfall_t", "change_t", "change_share"]].tolist() == (
        pytest.approx([40.0, 100.0, -60.0, -0.6])
    )
    assert "against.csv" in json.loads((out / "manifest.json").read_text())["files"]

    book = openpyxl.load_workbook(out / "workbook.xlsx")
    sheet = book["Against"]
    rows = list(sheet.values)
    assert rows[0] == (
        "region",
        "material",
        "shortfall_t (t)",
        "baseline_shortfall_t (t)",
        "change_t (t)",
        "change_share (fraction)",
        "first_shortfall_day",
        "baseline_first_shortfall_day",
    )
    assert [list(r) for r in rows[1:]] == written.iloc[:, :8].values.tolist()  # the cells are the CSV's values
    assert written.columns.tolist()[8:] == ["first_shortfall_date", "baseline_first_shortfall_date"]
    assert written.iloc[0, 8:].isna().all()  # no start_date: empty in the CSV, and not on the sheet (as Summary)
    assert sheet.cell(2, 6).number_format.endswith("%")  # -60.00%
    glossary = {(r[0], r[1]): r[3] for r in book["Columns"].values}
    assert "empty where the baseline is not short" in glossary[("Against", "change_share")]
    assert '"all"' not in glossary[("Against", "material")]  # no all rows on this sheet
    assert "no all rows" in glossary[("Against", "material")]

    again = invoke("run", run, "--no-plots", "-o", out)
    assert again.exit_code == 0, again.output
    assert not (out / "against.csv").exists()
    assert "against.csv" in again.output  # the note naming the files the earlier run wrote and this one did not


def test_the_files_of_a_run_list_against_csv():
    from simulator.output import run_files
    from tests.helpers import ROOT

    assert "against.csv" in run_files(False, False, False, against=True)
    assert "against.csv" not in run_files(True, True, True, True, True, True)
    table = (ROOT / "docs" / "outputs.md").read_text().split("## Files of a run", 1)[1].split("**All or nothing", 1)[0]
    assert "| `against.csv` |" in table


def test_the_against_sheet_has_the_date_columns_when_the_run_has_a_start_date(tmp_path):
    """With start_date 2030-01-01 both runs are short from day 0: 2030-01-01 on the sheet, as in the CSV."""
    run = _write(tmp_path, build(RUN, start_date="2030-01-01"), "run.yaml")
    base = _write(tmp_path, build(BASE, start_date="2030-01-01"), "base.yaml")
    out = tmp_path / "out"
    done = invoke("run", run, "--compare", base, "--no-plots", "--excel", "-o", out)
    assert done.exit_code == 0, done.output
    written = pd.read_csv(out / "against.csv", keep_default_na=False, na_values=[""])
    assert written.loc[0, ["first_shortfall_date", "baseline_first_shortfall_date"]].tolist() == ["2030-01-01"] * 2
    rows = list(openpyxl.load_workbook(out / "workbook.xlsx")["Against"].values)
    assert rows[0][8:] == ("first_shortfall_date", "baseline_first_shortfall_date")
    assert [cell.date().isoformat() for cell in rows[1][8:]] == ["2030-01-01", "2030-01-01"]
