"""``excel=`` where the API writes a folder (``simulator.run``, ``simulator.sweep``), and ``simulator.api``
reached after ``import simulator`` (walkthrough s60)."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pytest
import yaml

import simulator
from simulator import workbook
from tests.helpers import ROOT, TWO_MEMBERS, build, invoke, manifest_of

NOISY_PAIR = build(TWO_MEMBERS, regions__japan__demand__ree__noise_cv=0.1)
"""Random demand: a sweep runs each point ``runs`` times."""
RATIO = "agreement.ratio.japan"


def test_run_with_out_and_excel_writes_the_workbook_that_write_writes_later(tmp_path):
    result = simulator.run(TWO_MEMBERS, out=tmp_path / "now", plots=False, excel=True)
    assert "workbook.xlsx" in manifest_of(tmp_path / "now")["files"]
    result.write(tmp_path / "later", plots=False, excel=True)
    # the same run gives the same bytes (a workbook carries no time of writing)
    assert (tmp_path / "now" / "workbook.xlsx").read_bytes() == (tmp_path / "later" / "workbook.xlsx").read_bytes()


@pytest.mark.parametrize("call", [simulator.run, simulator.sweep])
def test_excel_without_out_is_refused_before_any_run(call):
    with pytest.raises(simulator.InputError, match=r"^excel: needs out= \(the folder to write workbook\.xlsx in\)"):
        call(TWO_MEMBERS, excel=True)


def test_sweep_with_out_and_excel_writes_the_workbook_the_command_writes(tmp_path):
    scenario = tmp_path / "pair.yaml"  # read from one file, so that the set-up names the same scenario_file
    scenario.write_text(yaml.safe_dump(TWO_MEMBERS, sort_keys=False))
    with pytest.warns(UserWarning, match="leave the members' total shortfall the same"):  # the ratio moves who is short
        simulator.sweep(
            str(scenario), grid={RATIO: [0.2, 0.8]}, workers=1, out=tmp_path / "api", plots=False, excel=True
        )
    args = ("sweep", scenario, "--grid", f"{RATIO}=0.2,0.8", "--workers", 1, "-o", tmp_path / "cli")
    assert invoke(*args, "--excel", "--no-plots").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "api" / "workbook.xlsx")
    assert book.sheetnames[:2] == ["Sweep", "Sweep set-up"]
    assert [row[0].value for row in book["Sweep"].iter_rows(min_row=2)] == [0.2, 0.8]
    assert "workbook.xlsx" in manifest_of(tmp_path / "api")["files"]
    assert (tmp_path / "api" / "workbook.xlsx").read_bytes() == (tmp_path / "cli" / "workbook.xlsx").read_bytes()


def test_a_sweep_too_long_for_excel_is_refused_in_python_words_before_it_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 4)  # 3 rows under the header; the sweep has 2 x 2 runs
    with pytest.raises(simulator.InputError) as refused:
        simulator.sweep(NOISY_PAIR, grid={RATIO: [0.2, 0.8]}, runs=2, workers=1, out=tmp_path / "s", excel=True)
    assert "excel: 4 runs do not fit an Excel sheet (3 rows); leave out excel= and read sweep.parquet" in str(
        refused.value
    )
    assert not (tmp_path / "s").exists()


def test_simulator_api_is_reached_after_import_simulator_without_loading_pandas_before():
    code = (
        "import sys, simulator\n"
        "print('pandas' in sys.modules)\n"
        "print(simulator.api.RunResult.__name__, 'api' in dir(simulator))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "RunResult", "True"]
