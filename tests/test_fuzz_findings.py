"""Bad input found by a fuzzing audit of the command line that gave a traceback, a
wrong exit code, a hang or a touched file the tool does not own (all fixed).

Each test states what the user did (its docstring) and what the contract of the input
checks asks for: exit code 2, a message naming the file and the field, no traceback;
nothing already written lost; no file the tool does not own touched. They failed on the
code they were written against; each asserts the outcome its fix chose.
"""

from __future__ import annotations

import json
import os
import socket
import stat
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.helpers import TINY_SCENARIO_TEXT as SCENARIO_TEXT
from tests.helpers import assert_bad_input, invoke, no_traceback

UNCERTAIN_TEXT = """\
uncertain:
  - path: regions.japan.demand.ree.tonnes_per_day
    low: 5
    high: 15
    label: LABEL
    source: assumption
"""
RECORD_HEADER = "date,quantity,region,material,value,period,weight\n"
RECORD_ROWS = "2010-07-01,demand,japan,ree,300,month,1\n2010-08-01,demand,japan,ree,90,day,1\n"
FIT = "regions.japan.demand.ree.tonnes_per_day=5:15"


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- control characters YAML forbids: the careful reader is built outside its try ------------


@pytest.mark.parametrize("character", ["\x00", "\x07", "\ufffe"])
def test_a_control_character_in_a_scenario_file_is_exit_2_naming_the_file(tmp_path, character):
    """The user validated and ran a scenario file with a stray NUL, BEL or U+FFFE in it."""
    path = write_text(tmp_path / "s.yaml", SCENARIO_TEXT.replace("name: tiny", f"name: tiny{character}"))
    assert_bad_input(invoke("validate", path), str(path))
    assert_bad_input(invoke("run", path, "--no-plots", "-o", tmp_path / "out"), str(path))


def test_a_control_character_in_a_set_value_is_exit_2_naming_the_option(tmp_path):
    """The user pasted a value with a BEL character into --set."""
    path = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    result = invoke("run", path, "--no-plots", "-o", tmp_path / "out", "--set", "name=a\x07b")
    assert_bad_input(result, "--set name")


def test_one_file_with_a_control_character_does_not_take_down_list_or_validate(tmp_path):
    """The user listed and validated a scenario folder in which one file holds a NUL byte."""
    good = write_text(tmp_path / "good.yaml", SCENARIO_TEXT)
    broken = write_text(tmp_path / "broken.yaml", SCENARIO_TEXT.replace("name: tiny", "name: broken\x00"))
    listed = invoke("list", tmp_path)
    assert listed.exit_code == 2, (listed.output, listed.exception)  # every file listed, then exit 2 as validate
    assert "good (name: tiny)  (" in listed.output and "broken.yaml: invalid (" in listed.output
    assert no_traceback(listed)
    assert_bad_input(invoke("validate", good, broken), "good.yaml: ok", "broken.yaml: ")


def test_a_control_character_in_a_sweep_file_is_exit_2_naming_the_file(tmp_path):
    """The user gave sweep --spec a file that holds a NUL byte."""
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    spec = write_text(tmp_path / "spec.yaml", f"scenario: {scenario}\n\x00")
    assert_bad_input(invoke("sweep", "--spec", spec, "--workers", 1, "-o", tmp_path / "out"), str(spec))


# --- --grid and --axis values are read by the lax YAML reader --------------------------------


@pytest.mark.parametrize(
    ("grid", "path"),
    [
        ("start_date=2010-07-01,2010-02-30", "start_date"),
        ("shocks.halt.end=2010-13-01", "shocks.halt.end"),
        ("seed=!!int x", "seed"),
        ("seed=" + "9" * 5000, "seed"),
    ],
)
def test_an_unreadable_grid_value_is_exit_2_naming_the_axis(tmp_path, grid, path):
    """The user swept an impossible date, a mistagged integer or a 5,000-digit integer with --grid."""
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    result = invoke("sweep", scenario, "--workers", 1, "-o", tmp_path / "out", "--grid", grid)
    assert_bad_input(result, path)
    assert not (tmp_path / "out").exists()


def test_an_impossible_date_on_an_explorer_axis_is_exit_2_naming_the_axis(tmp_path):
    """The user gave explore an --axis with 30 February among its values."""
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    result = invoke(
        "explore", scenario, "--workers", 1, "-o", tmp_path / "p.html", "--axis", "start_date=2010-07-01,2010-02-30"
    )
    assert_bad_input(result, "start_date")


def _sweep_grid(tmp_path: Path, *args: Any) -> Any:
    """``stockpile sweep`` of the tiny scenario on one worker into ``tmp_path/out``, with ``args``."""
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    return invoke("sweep", scenario, "--workers", 1, "-o", tmp_path / "out", *args)


def test_the_same_path_twice_in_grid_is_refused_not_silently_dropped(tmp_path):
    """The user gave --grid twice for one path (8 then 12); sweep ran only the second axis."""
    path = "regions.japan.demand.ree.tonnes_per_day"
    result = _sweep_grid(tmp_path, "--grid", f"{path}=8", "--grid", f"{path}=12")
    assert_bad_input(result, path)


def test_a_non_finite_dask_timeout_is_refused(tmp_path):
    """The user passed --dask-timeout nan, which never expires: the sweep waits forever for a worker."""
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    result = invoke("sweep", scenario, "-o", tmp_path / "out", "--dask", "tcp://127.0.0.1:1", "--dask-timeout", "nan")
    assert_bad_input(result, "--dask-timeout")


# --- calibrate --record ------------------------------------------------------------------------


def _calibrate(tmp_path: Path, record_text: str, *extra: str, fit: str = FIT, text: str = SCENARIO_TEXT) -> Any:
    scenario = write_text(tmp_path / "s.yaml", text)
    record = tmp_path / "record.csv"
    record.write_bytes(record_text.encode("utf-8"))
    return invoke(
        "calibrate",
        scenario,
        "--record",
        record,
        "--fit",
        fit,
        "--iterations",
        1,
        "--population",
        4,
        "-o",
        tmp_path / "out",
        *extra,
    )


@pytest.mark.parametrize("text", ["", "\ufeff", "\n"])
def test_an_empty_record_is_exit_2_naming_the_file(tmp_path, text):
    """The user gave calibrate --record an empty CSV file (or one holding only a byte-order mark)."""
    assert_bad_input(_calibrate(tmp_path, text), "record.csv")


def test_a_record_row_whose_period_ends_after_year_9999_is_exit_2_naming_the_row(tmp_path):
    """The user's record has a row dated 9999-12-01 with period year."""
    result = _calibrate(tmp_path, RECORD_HEADER + RECORD_ROWS + "9999-12-01,demand,japan,ree,300,year,1\n")
    assert_bad_input(result, "record.csv", "row 4.date")


@pytest.mark.parametrize("weight", ["nan", "inf", "-1"])
def test_a_record_weight_that_is_not_a_finite_number_at_least_0_is_exit_2(tmp_path, weight):
    """The user's record has a weight of nan, inf or -1 (the fit ran and wrote a meaningless result)."""
    result = _calibrate(tmp_path, RECORD_HEADER + RECORD_ROWS.replace(",day,1\n", f",day,{weight}\n"))
    assert_bad_input(result, "record.csv", "row 3.weight")


def test_a_record_with_a_column_named_twice_is_exit_2(tmp_path):
    """The user's record has two 'value' columns; calibrate silently fitted the first one."""
    header = RECORD_HEADER.replace("weight\n", "weight,value\n")
    rows = RECORD_ROWS.replace(",1\n", ",1,999\n")
    assert_bad_input(_calibrate(tmp_path, header + rows), "record.csv", "value")


def test_a_fit_without_a_range_takes_the_range_the_uncertain_block_declares(tmp_path):
    """The user gave --fit PATH alone, as the message advises, for a path declared uncertain on 5 to 15 t/day."""
    path = "regions.japan.demand.ree.tonnes_per_day"
    result = _calibrate(tmp_path, RECORD_HEADER + RECORD_ROWS, fit=path, text=SCENARIO_TEXT + UNCERTAIN_TEXT)
    assert result.exit_code == 0, result.output
    fitted = json.loads((tmp_path / "out" / "calibration.json").read_text())
    text = json.dumps(fitted)
    assert path in text
    value = float(result.output.split(f"{path} = ")[1].split()[0])
    assert 5 <= value <= 15


def test_the_same_path_fitted_twice_is_refused(tmp_path):
    """The user gave --fit twice for one path with two ranges; both were reported as fitted."""
    result = _calibrate(tmp_path, RECORD_HEADER + RECORD_ROWS, "--fit", "regions.japan.demand.ree.tonnes_per_day=6:7")
    assert_bad_input(result, "regions.japan.demand.ree.tonnes_per_day")


def test_fitting_a_whole_number_field_does_not_report_a_fit_of_nan(tmp_path):
    """The user fitted shocks.halt.end=10:30 (whole days): every set was invalid, and it wrote a NaN fit, exit 0."""
    result = _calibrate(tmp_path, RECORD_HEADER + RECORD_ROWS, fit="shocks.halt.end=10:30")
    assert_bad_input(result, "--fit shocks.halt.end", "whole numbers")
    assert not (tmp_path / "out" / "calibration.json").exists()


# --- plot-sweep on a folder whose files are not what a sweep wrote ---------------------------


@pytest.mark.parametrize(
    ("info", "table"),
    [
        ("[]", {"point": [0]}),
        ('{"grid": 5}', {"point": [0]}),
        ('{"members": 5}', {"point": [0]}),
        ("{}", {"a": [1]}),
    ],
)
def test_plot_sweep_on_a_damaged_sweep_folder_is_exit_2(tmp_path, info, table):
    """The user ran plot-sweep on a folder whose sweep.json or sweep.parquet is not a sweep's."""
    folder = tmp_path / "sweep"
    folder.mkdir()
    (folder / "sweep.json").write_text(info)
    pd.DataFrame(table).to_parquet(folder / "sweep.parquet")
    assert_bad_input(invoke("plot-sweep", folder), str(folder))


# --- files the tool does not own -----------------------------------------------------------


@pytest.mark.parametrize("target", ["precious.txt", "elsewhere.txt"])
def test_a_lock_file_that_is_a_symlink_is_refused_and_its_target_left_alone(tmp_path, target):
    """The user's output folder holds .stockpile.lock as a link to a file of theirs elsewhere (or to none)."""
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    write_text(tmp_path / "precious.txt", "my notes\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".stockpile.lock").symlink_to(tmp_path / target)
    assert_bad_input(invoke("run", scenario, "--no-plots", "-o", out), ".stockpile.lock is a symbolic link")
    assert (tmp_path / "precious.txt").read_text() == "my notes\n"
    assert not (tmp_path / "elsewhere.txt").exists()


def test_report_and_explore_do_not_overwrite_their_own_scenario_file(tmp_path):
    """The user typed the scenario's own name after -o: report and explore replaced it with HTML."""
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    assert_bad_input(invoke("report", scenario, "-o", scenario), str(scenario))
    axis = "regions.japan.demand.ree.tonnes_per_day=8,12"
    assert_bad_input(invoke("explore", scenario, "--workers", 1, "--axis", axis, "-o", scenario), str(scenario))
    assert scenario.read_text() == SCENARIO_TEXT


def test_check_junit_does_not_overwrite_the_scenario_it_checks(tmp_path):
    """The user gave check --junit the path of the scenario being checked: it became a JUnit file."""
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    assert invoke("check", "--update", scenario).exit_code == 0
    assert_bad_input(invoke("check", scenario, "--junit", scenario), str(scenario))
    assert scenario.read_text() == SCENARIO_TEXT


def test_report_does_not_replace_a_special_file(tmp_path):
    """The user gave report -o a special file (as they might /dev/null): it was replaced by a regular file."""
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    special = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as server:  # a socket file: opening it to write fails at once, never blocks
        server.bind(str(special))
        result = invoke("report", scenario, "-o", special)
        assert stat.S_ISSOCK(os.lstat(special).st_mode)
    assert_bad_input(result, str(special), "not a regular file")


def test_explore_does_not_write_through_a_link_at_its_temporary_name(tmp_path):
    """The folder of explore's page holds .page.html.tmp as a link to a file of the user's."""
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    precious = write_text(tmp_path / "precious.txt", "my notes\n")
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / ".page.html.tmp").symlink_to(precious)
    axis = "regions.japan.demand.ree.tonnes_per_day=8,12"
    result = invoke("explore", scenario, "--workers", 1, "--axis", axis, "-o", pages / "page.html")
    assert result.exit_code == 0, result.output
    assert (pages / "page.html").read_text().startswith("<!DOCTYPE html>")
    assert precious.read_text() == "my notes\n"


# --- text that YAML can hold but UTF-8 cannot -------------------------------------------------


def test_a_lone_surrogate_in_a_description_gives_no_traceback_and_report_leaves_no_stray_file(tmp_path):
    r"""The user wrote description: "x \ud800 y" (a YAML escape) and asked for a report."""
    text = SCENARIO_TEXT.replace("name: tiny\n", 'name: tiny\ndescription: "x \\ud800 y"\n')
    scenario = write_text(tmp_path / "s.yaml", text)
    pages = tmp_path / "pages"
    pages.mkdir()
    result = invoke("report", scenario, "-o", pages / "r.html")
    assert_bad_input(result, "description", "lone surrogate")
    assert list(pages.iterdir()) == []


def test_a_lone_surrogate_in_an_uncertain_label_is_not_exit_3_for_sensitivity(tmp_path):
    r"""The user labelled an uncertain input "a\udc80" and ran sensitivity (it stopped with exit 3)."""
    text = SCENARIO_TEXT + UNCERTAIN_TEXT.replace("LABEL", '"a\\udc80"')
    scenario = write_text(tmp_path / "s.yaml", text)
    result = invoke("sensitivity", scenario, "--samples", 2, "--workers", 1, "-o", tmp_path / "out")
    assert_bad_input(result, "uncertain.0.label", "lone surrogate")


# --- uncertain inputs on fields that shape the run itself ------------------------------------

SEED_OR_HORIZON = """\
uncertain:
  - path: PATH
    low: LOW
    high: HIGH
    source: assumption
  - path: regions.japan.demand.ree.tonnes_per_day
    low: 5
    high: 15
    source: assumption
"""


@pytest.mark.parametrize(("path", "low", "high"), [("seed", 0, 100), ("horizon_days", 30, 50)])
def test_an_uncertain_seed_or_horizon_is_exit_2_for_run_uncertainty(tmp_path, path, low, high):
    """The user declared seed (or horizon_days) as an uncertain input and ran run --uncertainty 4."""
    block = SEED_OR_HORIZON.replace("PATH", path).replace("LOW", str(low)).replace("HIGH", str(high))
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT + block)
    result = invoke("run", scenario, "--no-plots", "-o", tmp_path / "out", "--uncertainty", 4)
    assert_bad_input(result, str(scenario), "uncertain.0", f"'{path}' cannot be uncertain")


def test_an_uncertain_seed_is_exit_2_for_sensitivity(tmp_path):
    """The user declared seed as an uncertain input and ran sensitivity (it stopped with exit 3)."""
    block = SEED_OR_HORIZON.replace("PATH", "seed").replace("LOW", "0").replace("HIGH", "100")
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT + block)
    result = invoke("sensitivity", scenario, "--samples", 2, "--workers", 1, "-o", tmp_path / "out")
    assert_bad_input(result, str(scenario), "uncertain.0", "'seed' cannot be uncertain")


def test_sweep_curves_over_horizons_of_different_lengths_is_not_exit_3(tmp_path):
    """The user swept horizon_days=30,40 with --curves: exit 3 and advice to resume, which fails again."""
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    result = invoke(
        "sweep", scenario, "--workers", 1, "-o", tmp_path / "out", "--grid", "horizon_days=30,40", "--curves"
    )
    assert_bad_input(result, "horizon_days", "gives other days")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda table: table.iloc[:0], "sweep.parquet: has no rows: no figure to draw"),
        (
            lambda table: table.assign(total_shortfall_t=[f"{v} t" for v in table["total_shortfall_t"]]),
            "sweep.parquet: column total_shortfall_t: holds text, not numbers",
        ),
    ],
    ids=["no rows", "text in a metric"],
)
def test_plot_sweep_on_a_table_with_no_rows_or_text_in_a_metric_is_exit_2(tmp_path, damage, message):
    """Both once ended in a traceback (exit 1): an IndexError, a ValueError converting text to float."""
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    out = tmp_path / "out"
    # the table alone: plot-sweep refuses the damaged table before it draws anything
    swept = invoke("sweep", scenario, "--grid", "horizon_days=30,40", "--workers", 1, "--no-plots", "-o", out)
    assert swept.exit_code == 0, swept.output
    damage(pd.read_parquet(out / "sweep.parquet")).to_parquet(out / "sweep.parquet")
    assert_bad_input(invoke("plot-sweep", out), f"{out}: {message}")


def test_plot_sweep_of_a_sweep_over_a_list_valued_field_gives_no_traceback(tmp_path):
    """The user swept shocks over two lists (a sweep file); sweep said to run plot-sweep, which crashed."""
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    halt = "{id: halt, kind: embargo, supplier: china, regions: [japan], start: 5, end: 20}"
    spec = write_text(tmp_path / "spec.yaml", f"scenario: {scenario}\ngrid:\n  shocks: [[], [{halt}]]\n")
    out = tmp_path / "out"
    swept = invoke("sweep", "--spec", spec, "--workers", 1, "-o", out)
    assert swept.exit_code == 0, (swept.output, swept.exception)
    result = invoke("plot-sweep", out)
    assert result.exit_code == 0 and result.exception is None, result.output
    assert (out / "sweep_metrics.png").is_file()  # the two lists labelled by their shocks' ids


# --- found by the review of the fixes above ---------------------------------------------------


def test_check_junit_does_not_overwrite_a_scenario_in_a_folder_it_checks(tmp_path):
    """The user checked a folder and gave --junit the path of one of its scenarios (or of its baseline)."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    scenario = write_text(folder / "a.yaml", SCENARIO_TEXT)
    assert invoke("check", "--update", folder).exit_code == 0
    baseline = folder / "baselines" / "a.json"
    kept = baseline.read_text()
    for target in (scenario, baseline):
        assert_bad_input(invoke("check", folder, "--workers", 1, "--junit", target), str(target))
    assert scenario.read_text() == SCENARIO_TEXT
    assert baseline.read_text() == kept


def test_check_junit_to_a_special_file_is_refused_before_the_check(tmp_path):
    """The user gave check --junit a socket file: it checked everything, then refused to write."""
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    assert invoke("check", "--update", scenario).exit_code == 0
    special = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(special))
        result = invoke("check", scenario, "--workers", 1, "--junit", special)
    assert_bad_input(result, "not a regular file")
    assert "tiny" not in result.output  # refused before any scenario was checked


def test_a_daily_record_row_on_the_last_date_there_is_is_exit_2(tmp_path):
    """The user's record has a daily row on 9999-12-31 (its day ends after the last date there is)."""
    result = _calibrate(tmp_path, RECORD_HEADER + RECORD_ROWS + "9999-12-31,demand,japan,ree,300,day,1\n")
    assert_bad_input(result, "record.csv", "row 4.date")


def test_a_record_whose_header_ends_with_commas_is_read(tmp_path):
    """The user's spreadsheet wrote a trailing comma on every line: no column is named twice."""
    rows = RECORD_ROWS.replace("\n", ",,\n")
    result = _calibrate(tmp_path, RECORD_HEADER.replace("\n", ",,\n") + rows)
    assert result.exit_code == 0, result.output


def test_a_series_whose_rows_all_weigh_0_is_exit_2(tmp_path):
    """Every row of the user's demand series has weight 0: the fit would be NaN."""
    result = _calibrate(tmp_path, RECORD_HEADER + RECORD_ROWS.replace(",1\n", ",0\n"))
    assert_bad_input(result, "record.csv", "row 2.weight", "weighs 0")


def test_list_valued_axis_labels_that_would_be_alike_are_numbered():
    """Two shock lists differing only in an end date both read [halt]: a figure would merge the two points."""
    from simulator.sweep.figures import _labels

    first = [{"id": "halt", "end": 10}]
    second = [{"id": "halt", "end": 20}]
    values = pd.Series([first, second, first, [], second])
    assert _labels(values).tolist() == ["1: [halt]", "2: [halt]", "1: [halt]", "3: []", "2: [halt]"]
    assert _labels(pd.Series([first, []])).tolist() == ["[halt]", "[]"]


def test_a_lock_file_hard_linked_to_a_users_file_is_refused(tmp_path):
    """The user's output folder holds .stockpile.lock as a second name of a file of theirs."""
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    precious = write_text(tmp_path / "precious.txt", "my notes\n")
    out = tmp_path / "out"
    out.mkdir()
    os.link(precious, out / ".stockpile.lock")
    assert_bad_input(invoke("run", scenario, "--no-plots", "-o", out), ".stockpile.lock is not a file of its own")
    assert precious.read_text() == "my notes\n"


def test_an_escaped_surrogate_pair_is_the_character_it_encodes():
    """A scenario written by a JSON tool escapes an emoji as a surrogate pair; it is one character."""
    from simulator.scenario.strict_yaml import load_yaml

    assert load_yaml('d: "\\ud83d\\ude00 x"\n') == {"d": "\U0001f600 x"}
    assert load_yaml('"\\ud83d\\ude00": 1\n') == {"\U0001f600": 1}


def test_a_report_written_over_a_private_file_stays_private(tmp_path):
    """The user's report.html was readable by them alone (0600); the new report must be too."""
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    report = tmp_path / "report.html"
    assert invoke("report", scenario, "-o", report, "--set", "seed=1").exit_code == 0  # an earlier report
    earlier = report.read_bytes()
    report.chmod(0o600)
    assert invoke("report", scenario, "-o", report).exit_code == 0
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert report.read_text().startswith("<!DOCTYPE html>") and report.read_bytes() != earlier


def test_a_curve_grid_whose_first_axis_changes_the_horizon_is_refused_before_any_run(tmp_path):
    """The user swept horizon_days (the slowest axis) and a demand, with --curves."""
    demand = "regions.japan.demand.ree.tonnes_per_day=8,12"
    result = _sweep_grid(tmp_path, "--curves", "--grid", "horizon_days=30,40", "--grid", demand)
    assert_bad_input(result, "[horizon_days=40] gives other days")
    assert not (tmp_path / "out").exists()


def test_a_fixed_value_the_scenario_cannot_take_names_the_scenario(tmp_path):
    """The user's sweep set a ratio of 7 (with --set, or in the sweep file's set:): the message named no file.

    A --set names the scenario and the --set, as run does; the sweep file's set: names the sweep file and its key."""
    scenario = write_text(tmp_path / "s.yaml", SCENARIO_TEXT)
    spec = write_text(tmp_path / "spec.yaml", f"scenario: {scenario}\nset:\n  agreement.ratio.japan: 7\n")
    result = _sweep_grid(tmp_path, "--set", "agreement.ratio.japan=7")
    named = f"{scenario} [set agreement.ratio.japan=7]: agreement.ratio.japan: a ratio must be a number in [0, 1]"
    assert_bad_input(result, named)
    result = invoke("sweep", "--spec", spec, "--workers", 1, "-o", tmp_path / "out")
    assert_bad_input(result, f"{spec}: set.agreement.ratio.japan: a ratio must be a number in [0, 1], got 7")


def test_a_sweep_file_whose_scenario_is_not_a_path_is_exit_2_naming_the_field(tmp_path):
    """The user's sweep file says scenario: 123 (the message was '123: file not found')."""
    spec = write_text(tmp_path / "spec.yaml", "scenario: 123\ngrid:\n  agreement.ratio.japan: [0.2]\n")
    assert_bad_input(invoke("sweep", "--spec", spec, "-o", tmp_path / "out"), f"{spec}: scenario: must be the path")
