"""Session 56 bad-file hunt: inputs other than scenario YAML and ``--set`` (records, sweep
files, the check's folder, the Python API's arguments) refused with the file and field named,
exit 2 and no traceback, rather than read wrongly."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import (
    TINY_SCENARIO_TEXT,
    assert_bad_input,
    contents,
    counted,
    forbid_simulation,
    invoke,
    no_traceback,
)

HEADER = "date,quantity,region,material,supplier,period,value,unit,weight,sample"
PRICE_ROW = "2010-07-05,price,world,ree,,day,50,USD/kg,1,in"
IMPORTS_ROW = "2010-07-01,imports,japan,ree,china,month,200,t,1,out"
FIT = ("--fit", "market.ree.price.sensitivity=0.5:2", "--iterations", 1, "--population", 4)
"""One parameter fitted in one iteration of four: each test here is refused before calibrate runs."""


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """The one-region, one-material scenario of 40 days from 1 July 2010, as a file."""
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_SCENARIO_TEXT)
    return path


def write_record(folder: Path, header: str, *rows: str) -> Path:
    """A record CSV in ``folder`` with ``header`` and ``rows``."""
    path = folder / "record.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


# --- a record's column named with spaces around it or not in lower case ---------------------------


@pytest.mark.parametrize(
    ("written", "column"),
    [(" sample", "sample"), ("Sample", "sample"), ("weight ", "weight"), ("Unit", "unit"), ("Period", "period")],
)
def test_a_record_column_not_named_exactly_is_refused_not_ignored(tmp_path, tiny, monkeypatch, written, column):
    """' sample' held the imports row out of the fit, but as written no column 'sample' was read: the
    row was fitted, as was a 'Unit' of EUR/kg and a 'Period' of a year read as a day, exit 0."""
    record = write_record(tmp_path, HEADER.replace(f",{column}", f",{written}"), PRICE_ROW, IMPORTS_ROW)
    forbid_simulation(monkeypatch)
    result = invoke("calibrate", tiny, "--record", record, *FIT, "-o", tmp_path / "out")
    assert_bad_input(result, f"error: {record}: column(s) '{written}' not read as named: write {column} ")
    assert not (tmp_path / "out").exists()


def test_required_columns_with_spaces_are_named_as_written_not_as_missing(tmp_path, tiny, monkeypatch):
    """'date, quantity, ...' was told 'missing column(s): quantity, region, material, value'."""
    record = write_record(tmp_path, "date, quantity, region, material, value", "2010-07-05,price,world,ree,50")
    forbid_simulation(monkeypatch)
    result = invoke("report", tiny, "--record", record, "-o", tmp_path / "r.html")
    assert_bad_input(result)
    expected = (
        f"error: {record}: column(s) ' quantity', ' region', ' material', ' value' not read as named: "
        "write quantity, region, material, value (lower case, no spaces around a name)"
    )
    assert result.output.strip().splitlines() == [expected]
    assert not (tmp_path / "r.html").exists()


# --- the Python API -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values", [b"100,200", bytearray(b"100"), memoryview(b"1")], ids=["bytes", "bytearray", "memoryview"]
)
def test_sweep_refuses_bytes_as_a_grid_axis(tiny, monkeypatch, values):
    """b"100,200" was iterated as the values 49, 48, 48, 44, ...: a sweep of stocks of 44 to 50 t ran."""
    import simulator

    forbid_simulation(monkeypatch)
    path = "regions.japan.commercial_stock.ree.tonnes"
    with pytest.raises(simulator.InputError) as refused:
        simulator.sweep(tiny, {path: values}, workers=1)
    assert str(refused.value).startswith(f"grid['{path}']: {type(values).__name__}: each of its bytes would be a value")


@pytest.mark.parametrize("figures", ["no", 0, None])
def test_report_refuses_figures_that_is_not_true_or_false(tmp_path, tiny, monkeypatch, figures):
    """figures="no" drew the figures (a truthy text) where plots=, force= and excel= are refused so."""
    import simulator

    forbid_simulation(monkeypatch)
    with pytest.raises(simulator.InputError) as refused:
        simulator.report(tiny, tmp_path / "r.html", figures=figures)
    assert str(refused.value) == f"figures: must be True or False, got {figures!r}"
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("paths", [[], ()], ids=["list", "tuple"])
def test_check_refuses_an_empty_list_of_paths(tmp_path, monkeypatch, paths):
    """check(paths=sorted(folder.glob("*.yaml"))) in a folder holding none checked ./scenarios, and
    passed on their baselines: 13 ok."""
    import simulator

    (tmp_path / "scenarios").mkdir()  # a folder check() would take as its default, were it given nothing
    monkeypatch.chdir(tmp_path)
    forbid_simulation(monkeypatch)
    with pytest.raises(simulator.InputError) as refused:
        simulator.check(paths)
    expected = "paths: an empty list names no scenario file or folder; give one, or None for ./scenarios"
    assert str(refused.value) == expected


# --- an explorer page edited by hand ----------------------------------------------------------------

STOCK = "regions.japan.commercial_stock.ree.tonnes"
EDITS = {
    "start past the labels": lambda axis: axis.update(start=99),
    "start before them": lambda axis: axis.update(start=-99),
    "start the last label counted from the end": lambda axis: axis.update(start=-1),
    "labels as numbers": lambda axis: axis.update(labels=[1, 2]),
    "no labels": lambda axis: axis.update(labels=[], texts=[]),
    "fewer texts": lambda axis: axis.update(texts=["1"]),
    "path a number": lambda axis: axis.update(path=5),
    "label not YAML": lambda axis: axis.update(labels=["[", "{"]),
}


def edited_page(tmp_path: Path, tiny: Path, name: str, described: Callable[[dict[str, Any]], str]) -> Path:
    """An explorer page of ``tiny`` (stocks of 1 and 2 t) whose description is ``described`` of the one written."""
    page = tmp_path / name
    assert invoke("explore", tiny, "--axis", f"{STOCK}=1,2", "-o", page, "--workers", 1).exit_code == 0
    html = page.read_text()
    found = re.search(r'(<script id="explorer-meta" type="[^"]+">)(.*?)(</script>)', html, re.DOTALL)
    assert found is not None
    meta = json.loads(found[2])
    assert meta["axes"][0]["path"] == STOCK and meta["axes"][0]["labels"] == ["1", "2"] and meta["runs"] == 1
    page.write_text(html[: found.start(2)] + described(meta) + html[found.end(2) :])
    return page


def first_axis_edited(edit: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], str]:
    """A page's description (as JSON text) with its first axis changed by ``edit``."""

    def described(meta: dict[str, Any]) -> str:
        edit(meta["axes"][0])
        return json.dumps(meta)

    return described


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_an_edited_explorer_page_given_is_refused_by_name(tmp_path, tiny, edit):
    """Each gave a traceback (IndexError, TypeError, AttributeError) or a YAML error naming no file."""
    page = edited_page(tmp_path, tiny, "page.html", first_axis_edited(edit))
    result = invoke("report", tiny, "--explorer", page, "-o", tmp_path / "r.html")
    assert_bad_input(result)
    expected = f"error: {page}: --explorer: cannot link it: not an explorer page written by stockpile explore"
    assert result.output.strip().splitlines() == [expected]
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize(
    "runs", [float("inf"), 1e300, -5, 0, True, "2"], ids=["infinite", "huge", "negative", "zero", "true", "text"]
)
def test_an_explorer_page_whose_runs_are_not_a_count_is_refused(tmp_path, tiny, runs):
    """Infinity gave an OverflowError traceback; 1e300 and -5 were linked as a page of that many runs.
    A page of no runs, or of runs ``true`` (1 to Python, but no count a page writes), is no page either."""
    page = edited_page(tmp_path, tiny, "page.html", lambda meta: json.dumps({**meta, "runs": runs}))
    result = invoke("report", tiny, "--explorer", page, "-o", tmp_path / "r.html")
    assert_bad_input(result, f"error: {page}: --explorer: cannot link it: not an explorer page")


def test_an_edited_explorer_page_beside_the_report_is_not_linked(tmp_path, tiny):
    """A page found beside the report (not named) that the tool cannot read is left unlinked, as one
    that is not an explorer page is: it stopped the report with a traceback."""
    edited_page(tmp_path, tiny, "explorer.html", first_axis_edited(EDITS["start past the labels"]))
    result = invoke("report", tiny, "-o", tmp_path / "r.html")
    assert result.exit_code == 0 and no_traceback(result), result.output
    assert "explorer.html" not in (tmp_path / "r.html").read_text()


# --- calibrate --hold-out ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("window", "told"),
    [
        ("2030-07-01:2030-07-31", "its rows are dated 2010-07-01 to 2010-07-05"),
        ("price@2010-07-06:2010-07-31", "its price rows are dated 2010-07-05 to 2010-07-05"),
        ("stocks@2010-07-01:2010-07-31", "it has no stocks rows"),
    ],
)
def test_a_hold_out_window_that_holds_no_row_is_refused(tmp_path, tiny, monkeypatch, window, told):
    """A window that held nothing (a year mistyped) fitted every row, exit 0, and calibration.json
    listed the window as held out. The record's rows: a price on 5 July 2010, imports from 1 July."""
    record = write_record(tmp_path, HEADER, PRICE_ROW, IMPORTS_ROW.replace(",out", ",in"))
    forbid_simulation(monkeypatch)
    result = invoke("calibrate", tiny, "--record", record, *FIT, "--hold-out", window, "-o", tmp_path / "out")
    assert_bad_input(result)
    expected = f"error: {record}: --hold-out {window!r}: holds no row of the record: {told}"
    assert result.output.strip().splitlines() == [expected]
    assert not (tmp_path / "out").exists()


# --- check: tolerances.yaml -------------------------------------------------------------------------


@pytest.mark.parametrize("update", [False, True], ids=["check", "update"])
def test_two_scenario_entries_with_other_tolerances_for_one_scenario_are_refused(tmp_path, tiny, monkeypatch, update):
    """A catch-all '*' listed before tiny's own entry applied to tiny, and tiny's entry was ignored
    without a word (only the first pattern that matches applies)."""
    (tmp_path / "baselines").mkdir()
    tolerances = tmp_path / "baselines" / "tolerances.yaml"
    tolerances.write_text("scenarios:\n  '*': {atol: 1.0}\n  tiny: {atol: 2.0}\n")
    forbid_simulation(monkeypatch)
    result = invoke("check", *(["--update"] if update else []), tmp_path)
    message = (
        f"{tolerances}: scenarios.tiny: matches tiny, as scenarios.* does, with other tolerances, "
        "and only the first entry listed applies to it: make each scenario match one entry"
    )
    assert_bad_input(result, message)
    assert [p.name for p in (tmp_path / "baselines").iterdir()] == ["tolerances.yaml"]


def test_two_scenario_entries_with_equal_tolerances_for_one_scenario_are_not_refused(tmp_path, tiny):
    """docs/ci.md: only entries that give one scenario different tolerances clash. Here '*' and tiny's
    own entry both say atol 2.0, so whichever applies the check is the same: it checks tiny, which has
    no baseline yet, rather than stopping at the file."""
    (tmp_path / "baselines").mkdir()
    (tmp_path / "baselines" / "tolerances.yaml").write_text("scenarios:\n  '*': {atol: 2.0}\n  tiny: {atol: 2.0}\n")
    result = invoke("check", tmp_path)
    assert no_traceback(result) and "error" not in result.output, result.output
    assert result.output.splitlines()[0].split() == ["no", "baseline", "tiny"]
    assert f"1 scenario of {tmp_path}{os.sep} checked" in result.output
    assert "with other tolerances" not in result.output


# --- plot-sweep: a finished sweep's files edited by hand ---------------------------------------------


@pytest.fixture
def finished_sweep(tmp_path: Path, tiny: Path) -> Path:
    """A sweep of ``tiny`` over stocks of 100 and 200 t, one run each, figures not drawn."""
    folder = tmp_path / "sweep"
    result = invoke("sweep", tiny, "--grid", f"{STOCK}=100,200", "-o", folder, "--no-plots", "--workers", 1)
    assert result.exit_code == 0, result.output
    return folder


@pytest.mark.parametrize("column", ["run", "point", "seed", "total_shortfall_t", "fairness_jain", "shortfall_t.japan"])
def test_plot_sweep_refuses_a_grid_naming_a_column_of_every_run(finished_sweep, column):
    """'run' as a swept path gave a ValueError traceback (Grouper for 'run' not 1-dimensional); 'point'
    was drawn as an axis whose values changed nothing; a metric (total_shortfall_t) gave ValueError or KeyError."""
    described = json.loads((finished_sweep / "sweep.json").read_text())
    described["grid"][column] = [0, 1]
    (finished_sweep / "sweep.json").write_text(json.dumps(described))
    result = invoke("plot-sweep", finished_sweep)
    expected = f"error: {finished_sweep}: sweep.json: grid: {column}: not a swept path but a column of every run"
    assert_bad_input(result)
    assert result.output.strip().splitlines() == [expected]
    assert not list(finished_sweep.glob("*.png"))


def test_plot_sweep_refuses_a_swept_column_with_rows_without_a_value(finished_sweep):
    """A stock of NaN t in both rows gave a KeyError traceback ('total_shortfall_t', 0.05)."""
    import pandas as pd

    table = pd.read_parquet(finished_sweep / "sweep.parquet")
    table[STOCK] = float("nan")
    table.to_parquet(finished_sweep / "sweep.parquet")
    result = invoke("plot-sweep", finished_sweep)
    expected = (
        f"error: {finished_sweep}: sweep.parquet: column {STOCK}: 2 rows have no value: "
        "a sweep writes its point's value in every row"
    )
    assert_bad_input(result)
    assert result.output.strip().splitlines() == [expected]
    assert not list(finished_sweep.glob("*.png"))


# --- JSON nested past reading (Python's recursion limit) --------------------------------------------

DEEP_JSON = "[" * 100_000 + "]" * 100_000
"""Valid JSON that Python's reader cannot read: it stops with a RecursionError, not a JSONDecodeError."""
TOO_DEEP = "is not valid JSON (lists or objects nested too deeply to read)"


def test_an_output_folder_whose_manifest_is_nested_too_deeply_is_left_alone(tmp_path, tiny, monkeypatch):
    """run -o gave a RecursionError traceback; now the manifest is unreadable as any other, and the
    files it would have listed are not overwritten."""
    folder = tmp_path / "out"
    assert invoke("run", tiny, "-o", folder, "--no-plots").exit_code == 0
    (folder / "manifest.json").write_text(DEEP_JSON)
    before = contents(folder)
    forbid_simulation(monkeypatch)
    result = invoke("run", tiny, "-o", folder, "--no-plots")
    assert_bad_input(result, f"error: {folder}: manifest.json: {TOO_DEEP}, so stockpile cannot tell which files")
    assert contents(folder) == before


def test_plot_sweep_refuses_a_sweep_json_nested_too_deeply(finished_sweep):
    """It gave a RecursionError traceback."""
    (finished_sweep / "sweep.json").write_text(DEEP_JSON)
    result = invoke("plot-sweep", finished_sweep)
    expected = f"error: {finished_sweep / 'sweep.json'}: {TOO_DEEP}, so not the sweep.json a sweep wrote"
    assert_bad_input(result)
    assert result.output.strip().splitlines() == [expected]


def test_an_explorer_page_nested_too_deeply_is_refused_by_name(tmp_path, tiny):
    """It gave a RecursionError traceback."""
    page = edited_page(tmp_path, tiny, "page.html", lambda meta: DEEP_JSON)
    result = invoke("report", tiny, "--explorer", page, "-o", tmp_path / "r.html")
    expected = f"error: {page}: --explorer: cannot link it: not an explorer page written by stockpile explore"
    assert_bad_input(result)
    assert result.output.strip().splitlines() == [expected]


def test_a_sweep_replaces_its_own_sweep_json_nested_too_deeply(finished_sweep, tiny):
    """Sweeping again into the folder stopped with exit 3 ('sweep stopped by an error: RecursionError'):
    its own sweep.json, listed in its manifest, is read to tell whether the folder holds another study."""
    (finished_sweep / "sweep.json").write_text(DEEP_JSON)
    result = invoke("sweep", tiny, "--grid", f"{STOCK}=100,200", "-o", finished_sweep, "--no-plots", "--workers", 1)
    assert result.exit_code == 0 and no_traceback(result), result.output
    assert json.loads((finished_sweep / "sweep.json").read_text())["grid"] == {STOCK: [100, 200]}


def test_a_receipt_nested_too_deeply_in_another_sweeps_chunks_is_no_finished_chunk(tmp_path, tiny):
    """It stopped the sweep with exit 3, 'RecursionError ...: 1 finished chunk kept ...; run the same
    command to resume', which failed the same way: a receipt that cannot be read finishes no chunk."""
    chunks = tmp_path / "out" / ".chunks"
    chunks.mkdir(parents=True)
    (chunks / "fingerprint").write_text("another sweep")
    (chunks / "chunk-000000.json").write_text(DEEP_JSON)
    result = invoke("sweep", tiny, "--grid", f"{STOCK}=100,200", "-o", tmp_path / "out", "--no-plots", "--workers", 1)
    assert result.exit_code == 0 and no_traceback(result), result.output
    assert (tmp_path / "out" / "sweep.parquet").is_file()


def test_a_receipt_of_this_sweep_nested_too_deeply_is_a_damaged_chunk_computed_again(tmp_path, tiny, monkeypatch):
    """Resuming stopped with exit 3 (RecursionError) at the receipt, every time: now the chunk is
    damaged, deleted and computed again, as a truncated receipt is. Four points in chunks of one run."""
    args = ("sweep", tiny, "--grid", f"{STOCK}=100,200,300,400", "--chunk-runs", 1, "--workers", 1, "--no-plots")
    counted(monkeypatch, lost_after=2)
    assert invoke(*args, "-o", tmp_path / "out").exit_code == 3  # chunks 0 and 1 finished, kept
    (tmp_path / "out" / ".chunks" / "chunk-000000.json").write_text(DEEP_JSON)
    calls = counted(monkeypatch)
    result = invoke(*args, "-o", tmp_path / "out")
    assert result.exit_code == 0 and no_traceback(result), result.output
    assert sorted(calls) == [0, 2, 3]  # the damaged chunk again, and the two never run
