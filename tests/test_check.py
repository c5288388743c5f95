"""stockpile check: baselines, drift detection with what moved, tolerances, JUnit, bad input."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from tests.helpers import (
    ROOT,
    TINY_SCENARIO_TEXT,
    TWO_MEMBERS,
    build,
    invoke,
    no_traceback,
    shipped_group,
    shipped_result,
)


def check(*args):
    """``stockpile check ARGS`` on one process.

    Checking in parallel is the point only of the tests that ask for workers themselves
    (the default worker count in ``test_quiet_prints_only_failures_and_the_final_line``, the
    signal test, the dead-worker test); elsewhere forking workers would only cost time.
    """
    return invoke("check", *args, "--workers", 1)


def region_counts(materials: tuple[str, ...] = ("ree",)) -> tuple[int, int]:
    """How the gate counts one region of a baseline: (metrics, curve points), (25, 20) for ``pair``'s one material.

    The metrics are the registry's per-region columns that baselines store
    (:func:`simulator.quantities.sweep_metric_names`, :func:`~simulator.quantities.in_baselines`), so that a
    new metric is one registry entry and not also a count to rewrite in the gate's tests; the curve points
    are the fingerprint's 10 points of each of its curves, per material.
    """
    from simulator import quantities

    columns = quantities.sweep_metric_names(["r"], materials)
    metrics = sum(1 for c in columns if c.split(".")[1:2] == ["r"] and quantities.in_baselines(c))
    return metrics, 10 * len(quantities.fingerprint_names()) * len(materials)


ONE_REGION = "{} metrics, {} curve points".format(*region_counts())
"""How the gate's message counts one region of ``pair``: ``25 metrics, 20 curve points``."""


def baselined(folder: Path) -> Path:
    """``folder`` after ``check --update`` wrote the baselines of its scenarios."""
    result = check("--update", folder)
    assert result.exit_code == 0, result.output
    return folder


def pair_yaml(**changes) -> str:
    """The tiny two-member scenario ``pair``, with ``changes`` (its numbers are worked out in the tests)."""
    return yaml.safe_dump(build(TWO_MEMBERS, start_date="2010-07-01", **changes))


@pytest.fixture(scope="module")
def fresh_tree(tmp_path_factory) -> Path:
    """``pair`` and a copy of the shipped ``embargo_2010_historical`` with their baselines (made once).

    The historical replay is a 3-year market run (about 0.3 s a check): only the tests that
    need it (its name, its market and shocks, its baseline) or a slow scenario beside a
    quick one (the default worker count) use this tree (``repo``); the others use
    ``pair_repo`` or, for a second tiny scenario, ``twins_repo``.
    """
    folder = tmp_path_factory.mktemp("fresh") / "scenarios"
    folder.mkdir()
    (folder / "pair.yaml").write_text(pair_yaml())
    shutil.copy(ROOT / "scenarios" / "embargo_2010_historical.yaml", folder)
    return baselined(folder)


@pytest.fixture(scope="module")
def pair_tree(tmp_path_factory) -> Path:
    """``pair`` alone with its baseline (made once): a check of it runs one tiny scenario."""
    folder = tmp_path_factory.mktemp("pair") / "scenarios"
    folder.mkdir()
    (folder / "pair.yaml").write_text(pair_yaml())
    return baselined(folder)


@pytest.fixture(scope="module")
def twins_tree(tmp_path_factory) -> Path:
    """``pair`` and ``twin_pair`` (``pair`` under another name) with their baselines (made once).

    For tests that need a second scenario beside ``pair`` (one that still passes, a second
    JUnit case, counts of several scenarios) but not the historical replay. The name has
    underscores, as the replay's has, for the Markdown test's check that they are escaped.
    """
    folder = tmp_path_factory.mktemp("twins") / "scenarios"
    folder.mkdir()
    (folder / "pair.yaml").write_text(pair_yaml())
    (folder / "twin_pair.yaml").write_text(pair_yaml(name="twin_pair"))
    return baselined(folder)


REPLAY_TREE = shipped_group("embargo_2010_historical")
"""The mark of every test of the fresh tree (``repo``): under ``pytest -n`` they run in one worker, which
baselines the tree once (the replay's 3-year market run), beside the replay's shared run that one of them reads."""


@pytest.fixture
def repo(tmp_path: Path, fresh_tree: Path) -> Path:
    """A test's own copy of the fresh tree (``pair`` and the historical replay), free to edit."""
    return Path(shutil.copytree(fresh_tree, tmp_path / "scenarios"))


@pytest.fixture
def pair_repo(tmp_path: Path, pair_tree: Path) -> Path:
    """A test's own copy of the tree of ``pair`` alone, free to edit."""
    return Path(shutil.copytree(pair_tree, tmp_path / "scenarios"))


@pytest.fixture
def twins_repo(tmp_path: Path, twins_tree: Path) -> Path:
    """A test's own copy of the tree of ``pair`` and ``twin_pair``, free to edit."""
    return Path(shutil.copytree(twins_tree, tmp_path / "scenarios"))


@REPLAY_TREE
def test_check_passes_on_a_fresh_tree(repo):
    result = check(repo)
    assert result.exit_code == 0, result.output
    assert "ok           pair" in result.output and f"2 scenarios of {repo}/ checked in " in result.output


def test_baselines_are_sorted_diff_friendly_json(pair_repo):
    text = (pair_repo / "baselines" / "pair.json").read_text()
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["format"] == "stockpile-baseline/2" and len(data["scenario_hash"]) == 64
    assert data["metrics"]["total_shortfall_t"] == pytest.approx(60 * 100 - 60)  # 60 t pool, 100 t/day short
    assert data["curves"]["days"]["sampled"][:3] == [0.0, 7.0, 14.0]
    assert text.count("\n") > 100  # one value per line


def edit(path: Path, **changes) -> None:
    data = yaml.safe_load(path.read_text())
    for key, value in changes.items():
        node = data
        parts = key.split("__")
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node[part]
        node[parts[-1]] = value
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_a_changed_horizon_is_drift_naming_scenario_region_material_metric(pair_repo):
    edit(pair_repo / "pair.yaml", horizon_days=50)
    result = check(pair_repo)
    assert result.exit_code == 1, result.output
    assert "drift        pair" in result.output
    # the days sampled after day 50 (56 and the last, 59) are gone from both curves of both regions: 2 x 2 x 2
    # points counted apart from the numbers that moved
    assert (
        "numbers moved; sampled days 56, 59 removed (8 curve points) (scenario changed since its baseline: "
        "horizon_days)\n"
    ) in result.output
    rows = [line.split() for line in result.output.split("\nscenario ", 1)[1].splitlines()[1:] if line.strip()]
    assert ["pair", "eu", "ree", "shortfall_t"] in [row[:4] for row in rows]
    assert "stockpile check --update" in result.output
    assert check("--update", pair_repo).exit_code == 0
    assert check(pair_repo).exit_code == 0


@REPLAY_TREE
def test_a_moved_shock_end_is_drift(repo):
    # the halt to Japan lasts to the end of 2011 and destroys its cargo: prices climb further
    # and the EU, never short in the fitted replay (3.4 days of light cover at its lowest),
    # runs short of light rare earths (679 t from 22 March 2011)
    edit(repo / "embargo_2010_historical.yaml", shocks__1__end="2011-12-31", shocks__1__on_halt="lost")
    result = check(repo, "--format", "json")
    assert result.exit_code == 1
    outcomes = {o["scenario"]: o for o in json.loads(result.output)}
    assert outcomes["pair"]["status"] == "ok"
    moved = outcomes["embargo_2010_historical"]["drifts"]
    eu_light = [d for d in moved if d["region"] == "eu" and d["material"] == "light_ree"]
    assert any(d["metric"] == "shortfall_t" and d["baseline"] == 0 and d["now"] > 0 for d in eu_light)


def test_junit_report_has_one_case_per_scenario_failing_ones_marked(twins_repo, tmp_path):
    edit(twins_repo / "pair.yaml", horizon_days=50)
    report = tmp_path / "check.xml"
    assert check(twins_repo, "--junit", report).exit_code == 1
    suite = ElementTree.parse(report).getroot()
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {"pair", "twin_pair"}
    assert suite.get("failures") == "1" and suite.get("tests") == "2"
    assert cases["pair"].find("failure") is not None and cases["twin_pair"].find("failure") is None


def test_tolerances_inside_pass_and_outside_fail(pair_repo):
    # Japan puts 31 t into the pool instead of 30 t: on day 0 the EU receives 41 t instead
    # of 40 t (+2.5%), so its released_t and its cumulative shortfall curve move by 1 t.
    # The gap between draws and contributions moves from 10/60 to 11/61 (+8.2%): its own
    # tolerance of 10% keeps it out of the way
    edit(pair_repo / "pair.yaml", agreement__pool__contributions__japan__ree__tonnes=31)
    tolerances = pair_repo / "baselines" / "tolerances.yaml"
    gap = {"draw_contribution_gap": {"rtol": 0.1}}
    tolerances.write_text(yaml.safe_dump({"metrics": gap}))
    assert check(pair_repo, "--rtol", "0.03").exit_code == 0
    assert check(pair_repo, "--rtol", "0.02").exit_code == 1
    tolerances.write_text(
        yaml.safe_dump({"default": {"rtol": 1e-3, "atol": 1e-3}, "metrics": {"released_t": {"rtol": 0.03}, **gap}})
    )
    result = check(pair_repo)
    assert result.exit_code == 1  # the shortfall curve still moved beyond 1e-3
    table = result.output.split("\nscenario ", 1)[1].split("\n\n", 1)[0]
    assert "shortfall_cum_t" in table and "released_t" not in table
    tolerances.write_text(
        yaml.safe_dump(
            {
                "default": {"rtol": 1e-3, "atol": 1e-3},
                "metrics": {"released_t": {"rtol": 0.03}, "shortfall_cum_t": {"atol": 1.0}, **gap},
            }
        )
    )
    assert check(pair_repo).exit_code == 0


def test_a_scenario_without_baseline_is_reported_not_a_crash(pair_repo):
    (pair_repo / "new.yaml").write_text(yaml.safe_dump(build(TWO_MEMBERS, name="new")))
    result = check(pair_repo)
    assert result.exit_code == 2
    assert "no baseline  new" in result.output and no_traceback(result)


def test_corrupt_or_foreign_baselines_and_unknown_tolerance_metrics_exit_2(pair_repo):
    (pair_repo / "baselines" / "pair.json").write_text("{not json")
    result = check(pair_repo)
    assert result.exit_code == 2 and "pair.json: corrupt baseline" in result.output
    (pair_repo / "baselines" / "pair.json").write_text(json.dumps({"format": "something else"}))
    assert "not a stockpile baseline" in check(pair_repo).output
    (pair_repo / "baselines" / "pair.json").unlink()
    check("--update", pair_repo)
    (pair_repo / "baselines" / "tolerances.yaml").write_text(yaml.safe_dump({"metrics": {"shortfal_t": {"rtol": 1}}}))
    result = check(pair_repo)
    assert result.exit_code == 2 and "tolerances.yaml: metrics.shortfal_t: unknown metric" in result.output


def test_list_prints_each_scenario_with_its_question():
    result = invoke("list", ROOT / "scenarios")
    assert result.exit_code == 0
    assert "embargo_2010_historical" in result.output and "How many days of cover" in result.output


def test_list_finds_the_scenarios_check_finds(tmp_path):
    (tmp_path / "eu").mkdir()
    (tmp_path / "_drafts").mkdir()
    (tmp_path / "eu" / "b.yml").write_text(TINY_SCENARIO_TEXT.replace("name: tiny", "name: sub"))
    (tmp_path / "_drafts" / "c.yaml").write_text(TINY_SCENARIO_TEXT.replace("name: tiny", "name: draft"))
    result = invoke("list", tmp_path)
    assert result.exit_code == 0, result.output
    assert f"b (name: sub)  ({tmp_path / 'eu' / 'b.yml'})" in result.output and "draft" not in result.output


# --- the gate cannot be fooled (issue 20, item 12) ------------------------------------------


def junit_cases(path: Path) -> dict[str, ElementTree.Element]:
    """Test cases of a JUnit file by name (parsing fails on invalid XML)."""
    return {case.get("name"): case for case in ElementTree.parse(path).getroot().iter("testcase")}


def test_a_baseline_whose_scenario_was_deleted_fails_unless_listed_as_retired(twins_repo):
    (twins_repo / "pair.yaml").unlink()
    result = check(twins_repo)
    assert result.exit_code == 2, result.output
    assert "no scenario  pair" in result.output and "pair.json" in result.output
    (twins_repo / "baselines" / "tolerances.yaml").write_text(yaml.safe_dump({"retired": ["pair"]}))
    result = check(twins_repo)
    assert result.exit_code == 0, result.output
    assert "retired      pair" in result.output


def test_a_renamed_scenario_fails_twice_no_baseline_and_no_scenario(pair_repo):
    (pair_repo / "pair.yaml").rename(pair_repo / "couple.yaml")
    result = check(pair_repo)
    assert result.exit_code == 2, result.output
    assert "no baseline  couple (name: pair)\n" in result.output  # couple.yaml still says name: pair
    assert "no scenario  pair\n" in result.output and f"{pair_repo / 'baselines' / 'pair.json'}" in result.output


def test_a_retired_entry_must_name_a_baseline_without_scenario(pair_repo):
    tolerances = pair_repo / "baselines" / "tolerances.yaml"
    tolerances.write_text(yaml.safe_dump({"retired": ["pair"]}))  # pair.yaml still exists
    result = check(pair_repo)
    assert result.exit_code == 2 and f"{tolerances}: retired.pair: the scenario file exists" in result.output
    tolerances.write_text(yaml.safe_dump({"retired": ["gone"]}))  # no such baseline
    result = check(pair_repo)
    assert result.exit_code == 2 and f"{tolerances}: retired.gone: no baseline" in result.output


def test_infinite_or_nan_tolerances_on_the_command_line_are_refused(pair_repo):
    edit(pair_repo / "pair.yaml", regions__eu__demand__ree__tonnes_per_day=80_000)  # shortfall grows by ~4.8 million t
    assert check(pair_repo, "--atol", "1e300").exit_code == 0  # finite, however wide: accepted
    for option, value in (("--atol", "inf"), ("--rtol", "inf"), ("--rtol", "nan"), ("--atol", "-inf")):
        result = check(pair_repo, option, value)
        assert result.exit_code == 2, (option, value, result.output)
        assert option in result.output and "finite" in result.output and no_traceback(result)


def test_a_bad_tolerance_option_still_writes_junit_naming_it(twins_repo, tmp_path):
    report = tmp_path / "check.xml"
    result = invoke("check", twins_repo, "--atol", "inf", "--junit", report)
    assert result.exit_code == 2, result.output
    errors = [case.find("error") for case in junit_cases(report).values() if case.find("error") is not None]
    assert [error.get("message") for error in errors] == ["--atol: must be a finite number >= 0, not inf"]


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ({"default": {"atol": float("inf")}}, "default.atol"),
        ({"default": {"rtol": float("nan")}}, "default.rtol"),
        ({"metrics": {"shortfall_t": {"rtol": float("inf")}}}, "metrics.shortfall_t.rtol"),
        ({"scenarios": {"pair": {"atol": -1.0}}}, "scenarios.pair.atol"),
    ],
)
def test_infinite_nan_or_negative_tolerances_in_the_file_are_refused(pair_repo, content, field):
    edit(pair_repo / "pair.yaml", regions__eu__demand__ree__tonnes_per_day=80_000)
    tolerances = pair_repo / "baselines" / "tolerances.yaml"
    tolerances.write_text(yaml.safe_dump(content))
    result = check(pair_repo)
    assert result.exit_code == 2, result.output
    assert f"{tolerances}: {field}: must be a finite number >= 0" in result.output


def test_a_wide_but_finite_tolerance_in_the_file_is_accepted(pair_repo):
    (pair_repo / "baselines" / "tolerances.yaml").write_text(yaml.safe_dump({"default": {"atol": 0.0, "rtol": 1e6}}))
    assert check(pair_repo).exit_code == 0


def _valid_baseline(repo: Path) -> dict:
    return json.loads((repo / "baselines" / "pair.json").read_text())


@pytest.mark.parametrize(
    "spoil",
    [
        lambda b: {**b, "metrics": []},
        lambda b: {**b, "metrics": {**b["metrics"], "total_shortfall_t": "a lot"}},
        lambda b: {**b, "curves": {**b["curves"], "days": 5}},
        lambda b: {**b, "curves": {**b["curves"], "days_of_cover": {"eu.ree": "flat"}}},
        lambda b: {**b, "scenario_hash": 7},
        lambda b: {**b, "seed": "zero"},
        lambda b: {**b, "seed": 2**70},
        lambda b: {**b, "seed": -1},
        lambda b: {**b, "seed": True},
        lambda b: {k: v for k, v in b.items() if k != "seed"},
        lambda b: {**b, "package_version": 5},
        lambda b: {k: v for k, v in b.items() if k != "package_version"},
        lambda b: {**b, "scenario": 7},
        lambda b: {**b, "scenario": ""},
    ],
    ids=[
        "metrics-list",
        "metric-string",
        "days-number",
        "curve-string",
        "hash-number",
        "seed-string",
        "seed-too-large",
        "seed-negative",
        "seed-bool",
        "seed-missing",
        "version-number",
        "version-missing",
        "name-number",
        "name-empty",
    ],
)
def test_a_malformed_baseline_is_exit_2_naming_the_file_and_junit_is_still_written(twins_repo, tmp_path, spoil):
    path = twins_repo / "baselines" / "pair.json"
    path.write_text(json.dumps(spoil(_valid_baseline(twins_repo))))
    report = tmp_path / "check.xml"
    result = check(twins_repo, "--junit", report)
    assert result.exit_code == 2, result.output
    assert f"{path}: corrupt baseline" in result.output and no_traceback(result)
    cases = junit_cases(report)
    assert cases["pair"].find("error") is not None and cases["twin_pair"].find("error") is None


@pytest.mark.parametrize(
    ("literal", "why"),
    [
        ("NaN", "NaN is not a number JSON allows"),
        ("Infinity", "Infinity is not a number JSON allows"),
        ("-Infinity", "-Infinity is not a number JSON allows"),
        ("1e400", "1e400 is too large for a number"),  # was read as infinity: drift, exit 1
        ('5940.0, "total_shortfall_t": 1.0', "the key 'total_shortfall_t' appears twice"),  # the last won
    ],
    ids=["nan", "infinity", "minus-infinity", "overflow", "duplicate-key"],
)
def test_a_non_finite_number_or_a_key_twice_in_a_baseline_is_refused(pair_repo, literal, why):
    path = pair_repo / "baselines" / "pair.json"
    path.write_text(path.read_text().replace('"total_shortfall_t": 5940.0', f'"total_shortfall_t": {literal}'))
    assert literal in path.read_text()
    result = check(pair_repo)
    assert result.exit_code == 2 and f"{path}: corrupt baseline" in result.output and why in result.output


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("metrics: [1, 2]\n", "metrics"),
        ("default: {rtol: [\n", "malformed YAML"),
        ("scenarios: 5\n", "scenarios"),
        ("retired: pair\n", "retired"),
        ("default: {rtol: 1.0e-9}\ndefault: {rtol: 1.0}\n", "default: key given twice (lines 1 and 2)"),
        # "default: {rtol: [" and then nothing: the text ends at line 2, column 1
        (
            "default: {rtol: [\n",
            "malformed YAML: line 2, column 1: the text ends before a '[' or '{' above",
        ),
    ],
)
def test_a_malformed_tolerance_file_is_exit_2_naming_it_and_junit_is_still_written(twins_repo, tmp_path, text, why):
    tolerances = twins_repo / "baselines" / "tolerances.yaml"
    tolerances.write_text(text)
    report = tmp_path / "check.xml"
    result = check(twins_repo, "--junit", report)
    assert result.exit_code == 2, result.output
    assert f"{tolerances}: {why}" in result.output and no_traceback(result)
    errors = [case for case in junit_cases(report).values() if case.find("error") is not None]
    assert len(errors) == 1 and str(tolerances) in errors[0].find("error").get("message")


def test_control_characters_and_ansi_escapes_never_reach_the_reports(pair_repo, tmp_path):
    (pair_repo / "\x1b[31mred\x07.yaml").write_text('name: "\\e[31mred\\a"\nhorizon_days: 10\n')
    report = tmp_path / "check.xml"
    result = check(pair_repo, "--junit", report)
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\x07" not in result.output
    cases = junit_cases(report)  # valid XML
    assert "red" in cases and cases["red"].find("error") is not None
    assert "\x1b" not in report.read_text() and "\x07" not in report.read_text()


def test_ctrl_c_during_a_check_exits_130_with_one_line(pair_repo, monkeypatch):
    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("simulator.engine.simulate", interrupted)
    result = check(pair_repo)  # one process: the patched simulate runs in it
    assert result.exit_code == 130, result.output
    assert len(result.output.strip().splitlines()) == 1 and "interrupted" in result.output


@pytest.mark.filterwarnings("ignore:overflow encountered in divide:RuntimeWarning")  # the model's cover of b
def test_update_stores_non_finite_numbers_as_null_and_writes_every_baseline_it_can(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "a.yaml").write_text(yaml.safe_dump(build(TWO_MEMBERS, name="a")))
    # without demand, Japan's days of cover are not defined (NaN): stored as null
    idle = build(TWO_MEMBERS, name="b", regions__japan__demand__ree__tonnes_per_day=0)
    (folder / "b.yaml").write_text(yaml.safe_dump(build(idle, regions__japan__commercial_stock__ree__tonnes=100)))
    (folder / "c.yaml").write_text("name: c\nhorizon_days: -5\n")
    (folder / "d.yaml").write_text(yaml.safe_dump(build(TWO_MEMBERS, name="d")))
    result = check("--update", folder)
    assert result.exit_code == 2, result.output
    assert no_traceback(result) and "c.yaml" in result.output
    written = sorted(p.name for p in (folder / "baselines").glob("*.json"))
    assert written == ["a.json", "b.json", "d.json"]
    b = json.loads((folder / "baselines" / "b.json").read_text())
    assert None in b["curves"]["days_of_cover"]["japan.ree"]
    (folder / "c.yaml").unlink()
    assert check(folder).exit_code == 0


# --- CI formats (issue 17, item 4) -----------------------------------------------------------


def test_every_message_goes_to_standard_output(pair_repo):
    (pair_repo / "baselines" / "pair.json").write_text("{not json")
    result = check(pair_repo)
    assert result.exit_code == 2
    assert result.stderr == "" and "pair.json: corrupt baseline" in result.stdout
    usage = check(pair_repo, "--format", "yaml")
    assert usage.exit_code == 2 and usage.stderr == "" and "'yaml' is not one of" in usage.stdout


@REPLAY_TREE
def test_quiet_prints_only_failures_and_the_final_line(repo):
    edit(repo / "pair.yaml", agreement__pool__contributions__japan__ree__tonnes=31)
    lines = invoke("check", repo, "--quiet").stdout.splitlines()  # the default: a worker per core
    assert len(lines) == 2, lines
    # the pool holds 61 t instead of 60 t: 6000 t demanded in 60 days, 5939 t short instead of 5940 t
    assert lines[0].startswith("drift        pair: ") and "total_shortfall_t 5940 -> 5939 (-1, -0.017%)" in lines[0]
    assert lines[1].startswith(f"2 scenarios of {repo}/ checked in ") and lines[1].endswith(": 1 ok, 1 drift")
    assert check(repo, "--quiet").stdout.count("\n") == 2  # the same on one process


def test_drift_rows_give_the_calendar_date_of_each_moved_curve_point(pair_repo):
    # the EU receives 41 t instead of 40 t on day 0: its cumulative shortfall is 1 t lower on every sampled day
    edit(pair_repo / "pair.yaml", agreement__pool__contributions__japan__ree__tonnes=31)
    outcomes = {o["scenario"]: o for o in json.loads(check(pair_repo, "--format", "json").stdout)}
    pair = outcomes["pair"]
    assert pair["start_date"] == "2010-07-01"
    dates = {d["day"]: d["date"] for d in pair["drifts"] if d["metric"] == "shortfall_cum_t"}
    assert dates[0] == "2010-07-01" and dates[7] == "2010-07-08" and dates[59] == "2010-08-29"  # 30 July days + 29
    text = check(pair_repo).stdout
    row = next(line.split() for line in text.splitlines() if " shortfall_cum_t " in line)
    # largest relative move: day 0, where 40 t short became 39 t
    assert row[:9] == ["pair", "eu", "ree", "shortfall_cum_t", "0", "2010-07-01", "40", "39", "-1"]


@REPLAY_TREE
def test_a_moved_first_shortfall_day_is_shown_with_its_dates(repo):
    # the halt to Japan lasts to the end of 2011 and destroys its cargo, and Japan holds 60 days
    # of heavy rare earths instead of 120: Japan, never short in the replay, is short from 2011
    edit(
        repo / "embargo_2010_historical.yaml",
        shocks__1__end="2011-12-31",
        shocks__1__on_halt="lost",
        regions__japan__commercial_stock__heavy_ree__days=60,
    )
    text = check(repo).stdout
    row = next(line for line in text.splitlines() if re.search(r"\bjapan +heavy_ree +first_shortfall_day", line))
    assert "never" in row and "2011" in row  # Japan's heavy REE were never short before; now from 2011
    assert row.rstrip().endswith("now short (never before)")  # not a percentage of day -1


def test_github_format_annotates_each_failed_scenario_with_what_moved(twins_repo):
    edit(twins_repo / "pair.yaml", agreement__pool__contributions__japan__ree__tonnes=31)
    (twins_repo / "new.yaml").write_text(yaml.safe_dump(build(TWO_MEMBERS, name="new")))
    result = check(twins_repo, "--format", "github")
    assert result.exit_code == 2
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 2
    drift = next(a for a in annotations if "drift in pair" in a)
    assert drift.startswith(f"::error file={twins_repo / 'pair.yaml'},title=stockpile check%3A drift in pair::")
    assert "total_shortfall_t 5940 -> 5939 (-1, -0.017%25)" in drift  # % is escaped in workflow commands
    assert any("no baseline in new" in a and f"file={twins_repo / 'new.yaml'}," in a for a in annotations)
    assert "::group::What moved" in result.stdout and "ok           twin_pair" in result.stdout


def test_workflow_command_escaping():
    from simulator.gate.compare import Outcome
    from simulator.gate.formats import annotation

    outcome = Outcome("a,b", "dir:x/a,b.yaml", "error", message="50% done\nthen\x1b[31m: failed\x07")
    assert annotation(outcome) == (
        "::error file=dir%3Ax/a%2Cb.yaml,title=stockpile check%3A error in a%2Cb::50%25 done then: failed"
    )


def test_markdown_is_printed_and_appended_to_the_github_step_summary(twins_repo, tmp_path):
    edit(twins_repo / "pair.yaml", agreement__pool__contributions__japan__ree__tonnes=31)
    summary = tmp_path / "summary.md"
    summary.write_text("## earlier step\n")
    result = CliRunner().invoke(
        main,
        ["check", str(twins_repo), "--format", "markdown", "--workers", "1"],
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.exit_code == 1
    assert summary.read_text() == "## earlier step\n" + result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == "### Scenario check: 1 of 2 failed"
    assert "| drift | pair |" in result.stdout and "| ok | twin\\_pair |" in result.stdout  # _ escaped: reads twin_pair
    header = lines.index("| scenario | region | material | metric | day | date | baseline | now | change |")
    rows = [line.split(" | ") for line in lines[header + 2 :] if line.startswith("| pair")]
    assert rows[-1][:8] == ["| pair", "eu", "ree", "shortfall\\_cum\\_t", "0", "2010-07-01", "40", "39"]


def test_summary_option_appends_markdown_whatever_the_format(twins_repo, tmp_path):
    summary = tmp_path / "summary.md"
    result = check(twins_repo, "--format", "github", "--summary", summary)
    assert result.exit_code == 0
    assert summary.read_text().startswith("### Scenario check: all 2 match their baselines\n")
    assert "###" not in result.stdout  # the console gets the GitHub format only


def test_junit_has_a_testsuites_root_one_suite_and_a_timed_case_per_scenario(twins_repo, tmp_path):
    edit(twins_repo / "pair.yaml", horizon_days=50)
    (twins_repo / "broken.yaml").write_text("name: broken\n")
    report = tmp_path / "check.xml"
    assert check(twins_repo, "--junit", report).exit_code == 2
    root = ElementTree.parse(report).getroot()
    assert root.tag == "testsuites" and [child.tag for child in root] == ["testsuite"]
    suite = root[0]
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
    cases = {case.get("name"): case for case in suite}
    assert set(cases) == {"pair", "twin_pair", "broken"}
    assert all(float(case.get("time")) >= 0 for case in cases.values())
    assert float(cases["twin_pair"].get("time")) > 0  # it ran
    assert cases["pair"].find("failure").get("type") == "drift"
    assert "broken.yaml: materials: is required" in cases["broken"].find("error").text
    assert float(root.get("time")) >= max(float(case.get("time")) for case in cases.values())


def test_the_example_workflow_runs_commands_that_exist():
    import shlex

    workflow = yaml.safe_load((ROOT / "docs" / "examples" / "github-actions.yml").read_text())
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    commands = [line.strip() for step in steps for line in step.get("run", "").splitlines() if line.strip()]
    assert any("pip install" in line for line in commands)
    stockpile = [shlex.split(line) for line in commands if line.startswith("stockpile ")]
    assert stockpile, commands
    for words in stockpile:
        command = main.commands[words[1]]
        context = command.make_context(words[1], words[2:])  # raises on an unknown option or a bad choice
        assert context.params["fmt"] == "github" and context.params["junit_file"] and context.params["summary_file"]
    # setup-python's pip cache fails the job when no file matches its key: the key is a file of the team
    # layout docs/ci.md sets up, and the install reads that file (so the cache is keyed on what is installed)
    (python,) = [step for step in steps if step.get("uses", "").startswith("actions/setup-python@")]
    key = python["with"]["cache-dependency-path"] if python["with"].get("cache") == "pip" else None
    assert key == "requirements.txt", python
    page = (ROOT / "docs" / "ci.md").read_text()
    layout = page.split("## Set up a repository\n", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    assert re.search(rf"^  {re.escape(key)}\s", layout, re.MULTILINE), layout  # at the repository's top
    assert any(shlex.split(line)[-2:] == ["-r", key] for line in commands if "pip install" in line), commands


# --- rounded baselines -----------------------------------------------------------------------

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def significant_digits(literal: str) -> int:
    """Digits of a JSON number literal without sign, exponent and leading zeros ("0.0012300" -> 5)."""
    mantissa = re.split(r"[eE]", literal.lstrip("-"))[0].replace(".", "")
    return len(mantissa.lstrip("0")) or 1


@REPLAY_TREE
def test_baselines_store_numbers_to_12_significant_digits(repo):
    text = (repo / "baselines" / "embargo_2010_historical.json").read_text()
    data = json.loads(text)
    assert data["significant_digits"] == 12
    numbers = [line.strip().split(": ")[-1].rstrip(",") for line in text.splitlines()]
    digits = [significant_digits(n) for n in numbers if NUMBER.fullmatch(n)]
    assert len(digits) > 1000 and max(digits) == 12  # some numbers need all 12 digits, none has more
    # Japan's peak heavy-REE price has more digits than that before rounding: the tree's replay is the
    # shipped file as it is, whose run (shipped_result) the tests of its shipped group share
    shipped = ROOT / "scenarios" / "embargo_2010_historical.yaml"
    assert (repo / "embargo_2010_historical.yaml").read_bytes() == shipped.read_bytes()
    exact = shipped_result("embargo_2010_historical").metrics
    key = "peak_price_usd_per_kg.japan.heavy_ree"
    assert significant_digits(repr(exact[key])) > 12
    assert data["metrics"][key] == pytest.approx(exact[key], rel=5e-12, abs=0)  # half a unit of the 12th digit


def test_a_baseline_claiming_more_digits_is_still_compared_exactly(pair_repo):
    # the run's numbers are stored at 12 digits, as --update writes them: at zero tolerance a
    # fresh baseline passes, and saying it has 14 digits does not make it fail
    assert check(pair_repo, "--rtol", "0", "--atol", "0").exit_code == 0  # a fresh baseline, 12 digits
    path = pair_repo / "baselines" / "pair.json"
    fresh = json.loads(path.read_text())
    path.write_text(json.dumps(sealed({**fresh, "significant_digits": 14})))  # more digits: still exact
    assert check(pair_repo, "--rtol", "0", "--atol", "0").exit_code == 0


def test_a_baseline_of_fewer_than_12_digits_is_refused_not_compared_loosely(pair_repo):
    path = pair_repo / "baselines" / "pair.json"
    data = json.loads(path.read_text())

    def three_digits(value):
        return float(f"{value:.3g}") if isinstance(value, float) else value

    data["significant_digits"] = 3
    data["metrics"] = {key: three_digits(value) for key, value in data["metrics"].items()}
    for curve in ("days_of_cover", "shortfall_cum_t"):
        data["curves"][curve] = {cell: [three_digits(v) for v in vs] for cell, vs in data["curves"][curve].items()}
    assert data["metrics"]["shortfall_share.eu"] == 0.992  # 4760 t short of 4800 t: 0.99167
    path.write_text(json.dumps(sealed(data)))
    # compared at 3 digits, the EU's share could move from 0.99167 to 0.99249 (+0.08%) unseen: refused instead
    result = check(pair_repo)
    assert result.exit_code == 2, result.output
    assert (
        f"{path}: corrupt baseline: significant_digits: expected a whole number from 12 to 17, not 3 (numbers "
        "compared at fewer digits would hide small moves): rewrite the baseline with stockpile check --update"
    ) in result.output


def test_regenerating_on_another_machine_rewrites_no_line(twins_repo):
    path = twins_repo / "baselines" / "pair.json"
    exact = path.read_text()  # this machine's run
    data = json.loads(exact)
    # another machine's last-digit noise: every number off by 2e-12 (relative), so its 12th digit moves
    for key, value in data["metrics"].items():
        if isinstance(value, float):
            data["metrics"][key] = float(f"{value * (1 + 2e-12):.12g}")
    cells = data["curves"]["shortfall_cum_t"]
    cells["eu.ree"] = [float(f"{v * (1 + 2e-12):.12g}") for v in cells["eu.ree"]]
    data = sealed(data)  # as the other machine wrote it
    noisy = json.dumps(data, indent=2, sort_keys=True) + "\n"
    path.write_text(noisy)
    assert check("--update", twins_repo).exit_code == 0
    assert path.read_text() == noisy  # every number within tolerance kept as stored
    result = check("--update", twins_repo)
    assert f"unchanged    {path}" in result.stdout and "2 baselines: 0 created, 0 updated, 2 unchanged" in result.stdout
    # a number that really moved is rewritten, and only its line
    data["metrics"]["total_shortfall_t"] = 1.0
    path.write_text(json.dumps(sealed(data), indent=2, sort_keys=True) + "\n")
    # the other noisy numbers are still kept, and counted: every line the noise moved but the digest's and this one
    kept = sum(a != b for a, b in zip(exact.splitlines(), noisy.splitlines(), strict=True)) - 2
    assert f"updated      {path} (1 number changed; {kept} numbers within tolerance of this run kept as stored)\n" in (
        check("--update", twins_repo).stdout
    )
    changed = [(a, b) for a, b in zip(noisy.splitlines(), path.read_text().splitlines(), strict=True) if a != b]
    # its line, and the digest of the numbers below the metrics
    assert changed[0] == (
        '    "total_shortfall_t": 5940.00000001,',
        '    "total_shortfall_t": 5940.0,',
    )  # 60 x 100 - 60
    assert len(changed) == 2 and changed[1][0].startswith('  "numbers_sha256": ')


def test_update_with_a_bad_tolerance_file_writes_nothing(pair_repo):
    before = (pair_repo / "baselines" / "pair.json").read_text()
    (pair_repo / "baselines" / "tolerances.yaml").write_text("default: {atol: .inf}\n")
    (pair_repo / "pair.yaml").write_text(yaml.safe_dump(build(TWO_MEMBERS, horizon_days=50)))
    result = check("--update", pair_repo)
    assert result.exit_code == 2 and "default.atol: must be a finite number >= 0" in result.stdout
    assert (pair_repo / "baselines" / "pair.json").read_text() == before


# --- signals ---------------------------------------------------------------------------------


AS_FROM_A_TERMINAL = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
os.execv(sys.executable, [sys.executable, "-m", "simulator.cli", *sys.argv[1:]])
"""
"""Start ``stockpile`` as a shell does: SIGINT and SIGTERM neither ignored nor blocked.

A process inherits ignored and blocked signals across ``exec``, and Python installs its
Ctrl-C handler only when SIGINT is not ignored. Twice in five full runs of the suite, the
Ctrl-C case found ``check`` ending with exit 0 after every scenario, as a command started
with SIGINT ignored does (which code in the test process left it so was not found; the
SIGTERM case never failed). A terminal starts commands with both at their defaults.
"""


def _catches(pid: int, signum: int) -> bool:
    """Whether process ``pid`` has a handler for ``signum`` (its ``SigCgt`` mask in /proc)."""
    status = Path(f"/proc/{pid}/status").read_text()
    caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
    return bool(caught >> (signum - 1) & 1)


@pytest.mark.parametrize(("signum", "code", "name"), [(signal.SIGINT, 130, "Ctrl-C"), (signal.SIGTERM, 143, "SIGTERM")])
def test_a_signal_to_the_process_group_stops_check_and_its_workers_with_one_line(signum, code, name):
    """As Ctrl-C in a terminal does: the signal reaches the command and its worker processes.

    Results are shown in file order, so a quick scenario goes first: its line comes while
    the twelve others still run (with the folder's first file, the slowest, every line
    could come at the end, and a signal then would find the command finished).
    """
    quick = ROOT / "scenarios" / "quota_diversification.yaml"
    command = [sys.executable, "-c", AS_FROM_A_TERMINAL, "check", str(quick), str(ROOT / "scenarios"), "--workers", "2"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        first = process.stdout.readline()  # the first scenario is checked: the workers are busy
        assert first.startswith("ok "), first + process.stderr.read()
        assert _catches(process.pid, signum), "the command does not handle the signal"
        os.killpg(process.pid, signum)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == code, (out, err)
    assert err == ""  # no traceback from the command or its workers
    assert out.splitlines()[-1].startswith(f"check interrupted by {name} after ")
    assert all(line.startswith("ok ") for line in out.splitlines()[:-1])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the workers are gone with their parent
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("worker processes outlived the check")


def test_a_long_drift_table_keeps_room_for_the_moved_curves():
    from simulator.gate.compare import Drift, Outcome
    from simulator.gate.formats import text_table

    metrics = [Drift("s", "eu", "ree", f"metric_{i}", 100.0, 100.0 + i) for i in range(1, 31)]
    curves = [Drift("s", f"region_{i}", "ree", "days_of_cover", 10.0, 10.0 - i / 2, 7 * i) for i in range(1, 13)]
    outcome = Outcome("s", "s.yaml", "drift", [*metrics, *curves], start_date="2010-07-01")
    lines = text_table([outcome]).splitlines()
    rows = [line.split() for line in lines[1:-1]]
    assert len(rows) == 25 and lines[-1] == "s: 17 more rows not shown (--format json lists all)"
    assert [row[3] for row in rows[:15]] == [f"metric_{i}" for i in range(30, 15, -1)]  # largest change first
    assert [row[1] for row in rows[15:]] == [f"region_{i}" for i in range(12, 2, -1)]
    assert rows[15][4:6] == ["84", "2010-09-23"]  # day 84 = 1 July + 30 + 31 + 23


def _name_or_die(path: Path) -> str:
    if path.name == "b.yaml":
        os._exit(3)  # a worker process killed in the middle of a scenario (a segfault, the OOM killer)
    return path.name


def test_a_dead_worker_is_its_files_error_and_the_other_files_are_still_checked(tmp_path):
    from simulator.gate.run import each

    files = [tmp_path / name for name in ("a.yaml", "b.yaml", "c.yaml", "d.yaml")]
    shown = []
    results = each(_name_or_die, files, 2, shown.append, lambda path, why: f"{path.name}: {why}")
    assert results == ["a.yaml", "b.yaml: its worker process ended with exit code 3", "c.yaml", "d.yaml"]
    assert shown == results  # in file order


@pytest.mark.parametrize(
    "foreign",
    [
        lambda path: path.write_text(json.dumps({"format": "something else", "mine": True})),
        lambda path: path.write_text("notes I keep here\n"),
        lambda path: path.mkdir(),
        lambda path: path.symlink_to(path.parent.parent / "pair.yaml"),
    ],
    ids=["other-json", "text", "folder", "link"],
)
def test_update_leaves_a_file_that_is_not_a_baseline_alone_and_writes_the_others(twins_repo, foreign):
    path = twins_repo / "baselines" / "pair.json"
    path.unlink()
    foreign(path)
    before = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    scenario_before = (twins_repo / "pair.yaml").read_bytes()
    other = twins_repo / "baselines" / "twin_pair.json"
    other.unlink()
    result = check("--update", twins_repo)
    assert result.exit_code == 2, result.output
    assert f"{path}: not a " in result.output and "move it away to write the baseline there" in result.output
    assert (path.read_bytes() if path.is_file() and not path.is_symlink() else None) == before
    assert (twins_repo / "pair.yaml").read_bytes() == scenario_before  # the link's target is untouched
    assert other.is_file()  # the other scenario's baseline is written all the same


def test_update_replaces_a_baseline_damaged_by_a_merge(pair_repo):
    path = pair_repo / "baselines" / "pair.json"
    good = path.read_text()
    path.write_text("<<<<<<< HEAD\n" + good + "=======\n" + good.replace("5940.0", "5941.0") + ">>>>>>> branch\n")
    assert check(pair_repo).exit_code == 2
    result = check("--update", pair_repo)
    assert result.exit_code == 0, result.output
    assert path.read_text() == good


# --- the audit of a CI team: where check looks, which files, labels, causes, updates ----------------


def test_check_without_a_scenarios_folder_here_exits_2_instead_of_checking_the_library(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = check()
    assert result.exit_code == 2
    assert result.output == (
        "error        scenarios\n"
        f"             no scenarios/ folder in {tmp_path}: run stockpile check from the folder that holds scenarios/, "
        "name the scenario folder or files (stockpile check path/to/scenarios), "
        "or check the shipped library with stockpile check --library\n"
        "check stopped before any scenario ran: 1 error\n"
    )
    result = check("--update")
    assert result.exit_code == 2
    assert result.output.startswith(f"error: no scenarios/ folder in {tmp_path}: run stockpile check --update from")


def test_library_checks_the_shipped_library_by_name_only(twins_repo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("simulator.library.shipped_library", lambda: twins_repo)
    result = check("--library")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        rf"2 scenarios of {re.escape(str(twins_repo))}/ checked in \d+\.\d s: 2 ok", result.output.splitlines()[-1]
    )
    for args, why in (
        (("--library", twins_repo / "pair.yaml"), "give --library or scenario paths, not both"),
        (("--library", "--update"), "--library checks the installed library; it cannot be updated"),
        (("--missing-only",), "--missing-only goes with --update"),
    ):
        result = check(*args)
        assert result.exit_code == 2 and why in result.output, result.output


def test_scenarios_in_sub_folders_and_yml_files_are_checked_and_data_folders_are_not(pair_repo):
    (pair_repo / "eu").mkdir()
    shutil.copy(pair_repo / "pair.yaml", pair_repo / "eu" / "pair.yaml")
    shutil.copy(pair_repo / "pair.yaml", pair_repo / "twin.yml")
    for folder in ("records", "_drafts", ".hidden", "eu/records"):
        (pair_repo / folder).mkdir()
        (pair_repo / folder / "notes.yaml").write_text("not: a scenario\n")
    (pair_repo / "baselines" / "tolerances.yaml").write_text("default: {rtol: 1.0e-9}\n")
    result = check(pair_repo)
    assert result.exit_code == 2
    lines = [re.sub(r": for a new scenario,", ":", x) for x in result.output.splitlines()[:5]]
    lines = [line.split("; if a baseline was deleted")[0] for line in lines]  # not in git: the update first
    assert lines == [
        "no baseline  eu/pair (name: pair)",
        f"             no baseline at {pair_repo}/eu/baselines/pair.json: write it with stockpile check --update "
        f"{pair_repo}/eu/pair.yaml",
        "ok           pair",
        "no baseline  twin (name: pair)",
        f"             no baseline at {pair_repo}/baselines/twin.json: write it with stockpile check --update "
        f"{pair_repo}/twin.yml",
    ]
    # the commands of the hints write exactly the missing baselines
    assert check("--update", pair_repo / "eu" / "pair.yaml").output.splitlines()[0] == (
        f"created      {pair_repo}/eu/baselines/pair.json"
    )
    assert (
        check("--update", pair_repo / "twin.yml").output.splitlines()[0]
        == f"created      {pair_repo}/baselines/twin.json"
    )
    result = check(pair_repo)
    assert result.exit_code == 0, result.output
    tolerances = re.escape(
        f"; tolerances rtol 1e-09, atol 1e-06 (the defaults), with {pair_repo}/baselines/tolerances.yaml"
    )
    assert re.fullmatch(
        rf"3 scenarios of {re.escape(str(pair_repo))}/ checked in \d+\.\d s: 3 ok{tolerances}",
        result.output.splitlines()[-1],
    )


def test_a_baseline_of_a_sub_folder_without_its_scenario_is_an_orphan_with_its_key(pair_repo):
    (pair_repo / "eu").mkdir()
    shutil.copy(pair_repo / "pair.yaml", pair_repo / "eu" / "pair.yaml")
    assert check("--update", pair_repo / "eu" / "pair.yaml").exit_code == 0
    (pair_repo / "eu" / "pair.yaml").unlink()
    result = check(pair_repo)
    assert result.exit_code == 2
    assert "no scenario  eu/pair\n" in result.output
    (pair_repo / "baselines" / "tolerances.yaml").write_text("retired: [eu/pair]\n")
    result = check(pair_repo)
    assert result.exit_code == 0, result.output
    assert "retired      eu/pair\n" in result.output


def test_two_scenario_files_that_share_a_baseline_are_refused_also_by_update(pair_repo):
    shutil.copy(pair_repo / "pair.yaml", pair_repo / "pair.yml")
    kept = (pair_repo / "baselines" / "pair.json").read_text()
    why = (
        f"{pair_repo}/pair.yml: shares the baseline {pair_repo}/baselines/pair.json with {pair_repo}/pair.yaml: "
        "rename one of them"
    )
    for args in ((pair_repo,), ("--update", pair_repo)):
        result = check(*args)
        assert result.exit_code == 2 and why in result.output, result.output
    assert (pair_repo / "baselines" / "pair.json").read_text() == kept


def test_outcomes_are_labelled_by_file_and_the_counts_add_up(twins_repo, tmp_path):
    shutil.copy(twins_repo / "pair.yaml", twins_repo / "copy.yaml")  # still name: pair
    shutil.copy(twins_repo / "baselines" / "pair.json", twins_repo / "baselines" / "copy.json")
    shutil.copy(twins_repo / "baselines" / "pair.json", twins_repo / "baselines" / "gone.json")
    report = tmp_path / "check.xml"
    result = check(twins_repo, "--junit", report)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[:4] == [
        "ok           copy (name: pair)",
        "ok           pair",
        "ok           twin_pair",
        "no scenario  gone",
    ]
    assert re.fullmatch(
        rf"3 scenarios of {re.escape(str(twins_repo))}/ checked in \d+\.\d s: 3 ok; "
        r"1 baseline without scenario: 1 no scenario",
        lines[-1],
    )
    names = [case.get("name") for case in ElementTree.parse(report).getroot().iter("testcase")]
    assert names == ["copy", "pair", "twin_pair", "gone"]


def sealed(data: dict) -> dict:
    """A baseline's record with the digest of its numbers, as the tool writes it (a hand edit would not)."""
    from simulator.gate.baseline import sealed as seal

    return seal(data)


def _spoil(path: Path, **fields) -> None:
    """Set top-level fields (and ``total_shortfall_t``) of a baseline, as another version of the tool might have.

    The numbers are sealed with their digest, as that version writes them.
    """
    data = json.loads(path.read_text())
    shortfall = fields.pop("total_shortfall_t", None)
    if shortfall is not None:
        data["metrics"]["total_shortfall_t"] = shortfall
    for key, value in fields.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    path.write_text(json.dumps(sealed(data), indent=2, sort_keys=True) + "\n")


def test_a_drift_with_the_scenario_unchanged_is_blamed_on_the_code_with_the_versions(pair_repo):
    from simulator.version import __version__

    # the baseline says 5000 t short where the run gives 6000 - 60 = 5940 t: +940 t, +18.8%
    _spoil(pair_repo / "baselines" / "pair.json", total_shortfall_t=5000.0, package_version="0.0.1")
    result = check(pair_repo)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        "drift        pair: 1 number moved "
        f"(scenario unchanged: package version 0.0.1 -> {__version__} moved the numbers)" in lines
    )
    row = next(line.split() for line in lines if line.startswith("pair "))
    assert row == ["pair", "all", "all", "total_shortfall_t", "-", "-", "5000", "5940", "+940", "(+18.8%)"]
    assert lines[-2] == (
        "Numbers of unchanged scenarios moved with the code or the package version: find out why before updating "
        f"(never update blindly); then update one baseline with: stockpile check --update {pair_repo}/pair.yaml"
    )
    _spoil(pair_repo / "baselines" / "pair.json", package_version=__version__)
    line = check(pair_repo, "--quiet").output.splitlines()[0]
    assert line == (
        f"drift        pair: 1 number moved beyond tolerance; scenario unchanged, package version {__version__} "
        "unchanged: the code moved the numbers; largest: total_shortfall_t 5000 -> 5940 (+940, +18.8%)"
    )


def test_a_drift_from_an_edited_scenario_names_its_parts_and_seed(pair_repo):
    seed = json.loads((pair_repo / "baselines" / "pair.json").read_text())["seed"]
    assert seed == 0
    edit(pair_repo / "pair.yaml", horizon_days=50, seed=7)
    result = check(pair_repo)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(
        re.fullmatch(
            r"drift        pair: \d+ numbers? moved; sampled days 56, 59 removed \(8 curve points\) "
            r"\(scenario changed since its baseline: horizon_days; seed 0 -> 7\)",
            line,
        )
        for line in lines
    ), lines
    assert lines[-2] == (
        "If the scenario edits are intended, update their baselines in the same commit: "
        f"stockpile check --update {pair_repo}/pair.yaml"
    )
    # a baseline written before scenario parts were stored still works: it only cannot say which parts
    # changed (the seed it has always stored)
    _spoil(pair_repo / "baselines" / "pair.json", scenario_parts=None)
    result = check(pair_repo)
    assert result.exit_code == 1
    assert any(
        re.fullmatch(
            r"drift        pair: \d+ numbers? moved; sampled days 56, 59 removed \(8 curve points\) "
            r"\(scenario changed since its baseline: seed 0 -> 7\)",
            x,
        )
        for x in result.output.splitlines()
    )


@REPLAY_TREE
def test_update_tells_created_updated_unchanged_and_orphans_with_a_rename_hint(repo):
    from simulator.version import __version__

    (repo / "pair.yaml").rename(repo / "couple.yaml")  # its content, name: pair included, is unchanged
    history = repo / "baselines" / "embargo_2010_historical.json"
    assert json.loads(history.read_text())["metrics"]["total_shortfall_t"] == 0  # the fitted replay: never short
    _spoil(history, total_shortfall_t=1.0, package_version="0.0.1")
    result = check("--update", repo)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"created      {repo}/baselines/couple.json",
        f"updated      {repo}/baselines/embargo_2010_historical.json (1 number changed; package_version)",
        f"orphan       {repo}/baselines/pair.json: same scenario hash as {repo}/couple.yaml (renamed?): "
        f"delete {repo}/baselines/pair.json in the same commit",
        "2 baselines: 1 created, 1 updated, 0 unchanged; 1 baseline without scenario (orphan above)",
    ]
    assert json.loads(history.read_text())["package_version"] == __version__
    # --missing-only writes what is missing and leaves the rest as it is
    (repo / "baselines" / "couple.json").unlink()
    (repo / "baselines" / "pair.json").unlink()
    _spoil(history, total_shortfall_t=1.0)
    spoiled = history.read_text()
    result = check("--update", "--missing-only", repo)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"created      {repo}/baselines/couple.json",
        f"kept         {history}",
        "2 baselines: 1 created, 0 updated, 0 unchanged, 1 kept (--missing-only)",
    ]
    assert history.read_text() == spoiled


def test_github_annotations_name_files_from_the_repository_top(pair_repo, monkeypatch):
    from simulator.gate.compare import Outcome
    from simulator.gate.formats import _git_top, annotation

    _git_top.cache_clear()
    top = pair_repo.parent
    monkeypatch.setenv("GITHUB_WORKSPACE", str(top))
    assert annotation(Outcome("pair", str(pair_repo / "pair.yaml"), "no baseline")).startswith(
        "::error file=scenarios/pair.yaml,"
    )
    monkeypatch.setenv("GITHUB_WORKSPACE", str(pair_repo / "pair.yaml"))  # a file, not a folder: ignored
    assert annotation(Outcome("pair", str(pair_repo / "pair.yaml"), "no baseline")).startswith(
        f"::error file={pair_repo}/pair.yaml,"  # was "file=."
    )
    monkeypatch.delenv("GITHUB_WORKSPACE")
    assert annotation(Outcome("pair", str(pair_repo / "pair.yaml"), "no baseline")).startswith(
        f"::error file={pair_repo}/pair.yaml,"  # in no git work tree: as given
    )
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    monkeypatch.chdir(pair_repo)
    _git_top.cache_clear()
    assert annotation(Outcome("pair", "pair.yaml", "no baseline")).startswith("::error file=scenarios/pair.yaml,")
    assert annotation(Outcome("x", "/elsewhere/x.yaml", "error")).startswith("::error file=/elsewhere/x.yaml,")
    _git_top.cache_clear()


def test_an_unknown_tolerance_key_is_named_with_the_key_it_may_mean(pair_repo):
    tolerances = pair_repo / "baselines" / "tolerances.yaml"
    tolerances.write_text("scenarios:\n  pair: {atl: 1.0e-3}\n")
    result = check(pair_repo)
    assert result.exit_code == 2
    assert f"{tolerances}: scenarios.pair.atl: unknown key (known: rtol, atol); did you mean 'atol'?\n" in result.output


def test_a_relative_tolerance_on_a_day_metric_is_refused_naming_the_field(pair_repo):
    tolerances = pair_repo / "baselines" / "tolerances.yaml"
    tolerances.write_text("metrics:\n  min_days_of_cover_day: {rtol: 0.5}\n")
    result = check(pair_repo)
    assert result.exit_code == 2
    assert f"{tolerances}: metrics.min_days_of_cover_day.rtol: a day number takes atol (days) only" in result.output
    tolerances.write_text("metrics:\n  min_days_of_cover_day: {atol: 3}\n")  # days: accepted
    assert check(pair_repo).exit_code == 0


@REPLAY_TREE
def test_a_scenario_pattern_matching_no_scenario_is_refused_when_a_folder_is_checked(repo):
    tolerances = repo / "baselines" / "tolerances.yaml"
    tolerances.write_text("scenarios:\n  embargo_2010_*: {rtol: 1.0e-6}\n  piar: {rtol: 1.0e-6}\n")
    result = check(repo)
    assert result.exit_code == 2
    assert (
        f"{tolerances}: scenarios.piar: matches no scenario name (name: in the scenario files) or file key in "
        f"{repo}/; "
        "correct or remove the entry\n"
    ) in result.output
    assert check(repo / "pair.yaml", "--tolerances", tolerances).exit_code == 0  # a file alone is not the whole set


def test_a_scenario_pattern_may_name_the_file_key_of_a_sub_folder(pair_repo):
    # eu/pair.yaml keeps the name: pair of the top-level pair.yaml; only its key is its own.
    # Japan's 31 t instead of 30 t moves its numbers by up to 8.2% (the tolerance test above)
    (pair_repo / "eu").mkdir()
    shutil.copy(pair_repo / "pair.yaml", pair_repo / "eu" / "pair.yaml")
    assert check("--update", pair_repo).exit_code == 0
    edit(pair_repo / "eu" / "pair.yaml", agreement__pool__contributions__japan__ree__tonnes=31)
    tolerances = pair_repo / "baselines" / "tolerances.yaml"
    assert check(pair_repo).exit_code == 1
    strict = json.loads(check("--format", "json", "--rtol", 0, "--atol", 0, pair_repo).output)
    moved = {o["scenario"]: o["numbers_moved"] for o in strict}
    assert moved["pair"] == 0 and moved["eu/pair"] > 0
    tolerances.write_text("scenarios:\n  eu/*: {rtol: 0.1, atol: 1.0}\n")
    result = check(pair_repo)
    assert result.exit_code == 0, result.output  # the key pattern loosens eu/pair and counts as used
    update = check("--update", pair_repo)
    # the scenario was edited: the run is recorded exactly, every number it moved (none kept within tolerance)
    eu_baseline = pair_repo / "eu" / "baselines" / "pair.json"
    assert f"updated      {eu_baseline} ({moved['eu/pair']} numbers changed; scenario_hash, scenario_parts)" in (
        update.output
    )
    tolerances.unlink()
    assert check("--rtol", 0, "--atol", 0, pair_repo).exit_code == 0
    tolerances.write_text("scenarios:\n  pair: {rtol: 0.1, atol: 1.0}\n")  # the name matches both files
    assert check(pair_repo).exit_code == 0
    tolerances.write_text("scenarios:\n  us/*: {rtol: 0.1, atol: 1.0}\n")
    result = check(pair_repo)
    assert result.exit_code == 2
    assert "scenarios.us/*: matches no scenario name (name: in the scenario files) or file key in" in result.output


def test_a_baseline_link_to_nothing_is_an_error_not_a_missing_baseline(pair_repo):
    # the hint for a missing baseline (check --update) would refuse to write through the link
    shutil.copy(pair_repo / "pair.yaml", pair_repo / "loop.yaml")
    (pair_repo / "baselines" / "loop.json").symlink_to("loop.json")
    result = check(pair_repo)
    assert result.exit_code == 2
    assert "error        loop (name: pair)\n" in result.output
    assert f"{pair_repo}/baselines/loop.json: a symbolic link to nothing; move it away to write the baseline there" in (
        result.output
    )
    assert "no baseline" not in result.output


def test_a_tolerance_file_is_read_as_strictly_as_a_scenario(pair_repo):
    tolerances = pair_repo / "baselines" / "tolerances.yaml"
    tolerances.write_text("? [a]\n: 1\n")  # a list as a key used to stop check with a TypeError (exit 1)
    result = check(pair_repo)
    assert result.exit_code == 2 and no_traceback(result), result.output
    assert "tolerances.yaml: malformed YAML: line 1, column 3: a list or mapping used as a key" in result.output
    tolerances.write_text("default: {rtol: 1e-3}\n")  # YAML 1.1 reads 1e-3 as text; scenarios take it as a number
    assert check(pair_repo).exit_code == 0
    tolerances.unlink()
    tolerances.symlink_to(pair_repo / "nowhere.yaml")  # a broken link is refused, not skipped for the defaults
    result = check(pair_repo)
    broken = f"tolerances.yaml: a broken symbolic link to {pair_repo / 'nowhere.yaml'}, which does not exist"
    assert result.exit_code == 2 and broken in result.output.replace("\n             ", " "), result.output


def test_an_empty_path_is_refused_not_read_as_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for args in (("",), ("--update", "")):
        result = check(*args)
        assert result.exit_code == 2 and "an empty path names no scenario file or folder" in result.output
    assert list(tmp_path.iterdir()) == []  # --update "" made no baselines/ folder here


def test_an_empty_report_path_is_refused(pair_repo):
    result = check(pair_repo, "--junit", "")
    assert result.exit_code == 2 and "--junit needs a file path, not an empty one" in result.output


def test_list_of_a_folder_where_no_scenario_is_valid_is_exit_2(tmp_path):
    (tmp_path / "a.yaml").write_text("name: a\nhorizon_days: 0\n")
    result = invoke("list", tmp_path)
    assert result.exit_code == 2 and "a.yaml: invalid (" in result.output
    assert f"{tmp_path}: the one scenario file here is not valid" in result.output


def test_a_drift_names_a_shock_edit_by_id_so_an_inserted_shock_moves_no_other(pair_repo):
    data = yaml.safe_load((pair_repo / "pair.yaml").read_text())
    early = {
        "id": "early",
        "kind": "delay",
        "supplier": "china",
        "regions": ["eu"],
        "start": 1,
        "end": 3,
        "extra_days": 2,
    }
    data["shocks"].insert(0, early)  # the halt moves from position 0 to 1 but is the same shock
    (pair_repo / "pair.yaml").write_text(yaml.safe_dump(data))
    result = check(pair_repo)
    assert "scenario changed since its baseline: +shocks.early" in result.output, result.output  # + : added
    assert "shocks.halt" not in result.output and "shocks.1" not in result.output


def test_the_order_of_regions_is_part_of_a_scenario_and_named_when_it_changes():
    from simulator.gate.baseline import scenario_parts
    from simulator.scenario import scenario_hash, validate_data

    data = build(TWO_MEMBERS)
    reordered = {**data, "regions": dict(reversed(list(data["regions"].items())))}
    first, second = validate_data(data, "a.yaml"), validate_data(reordered, "b.yaml")
    assert scenario_hash(first) != scenario_hash(second)
    before, after = scenario_parts(first), scenario_parts(second)
    assert sorted(key for key in before if before[key] != after[key]) == ["regions order"]
    with_keys_reordered = {**data, "regions": {r: dict(reversed(list(v.items()))) for r, v in data["regions"].items()}}
    assert scenario_hash(validate_data(with_keys_reordered, "c.yaml")) == scenario_hash(first)  # formatting only


def test_a_format_1_baseline_is_compared_by_the_hash_of_its_time_or_said_to_be_unknown(pair_repo):
    # a CI team's baseline written by format 1: every value hashed, defaults included, and no
    # order of regions; rewrite pair's baseline that way and move one number
    import hashlib

    from simulator.scenario import load_scenario

    path = pair_repo / "baselines" / "pair.json"
    record = json.loads(path.read_text())
    record["format"] = "stockpile-baseline/1"
    del record["numbers_sha256"]  # format 1 wrote no digest of its numbers
    record["scenario_parts"] = {k: v for k, v in record["scenario_parts"].items() if not k.endswith(" order")}
    data = load_scenario(pair_repo / "pair.yaml").model_dump(mode="json")
    record["scenario_hash"] = hashlib.sha256(
        json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    record["metrics"]["total_shortfall_t"] += 1.0
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    result = check(pair_repo)
    assert result.exit_code == 1
    assert "drift        pair: 1 number moved (scenario unchanged, package version 0.1.0 unchanged" in result.output
    record["format"] = "stockpile-baseline/2"  # a merge resolved by hand: the new line, the old hash
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    assert "(scenario unchanged, package version 0.1.0 unchanged" in check(pair_repo).output
    record["format"] = "stockpile-baseline/1"
    # a field added since with a default hashes the data otherwise: whether it changed cannot be told
    record["scenario_hash"] = "0" * 64
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    result = check(pair_repo)
    assert (
        "(a baseline of format 1, which hashed scenarios another way: whether the scenario changed since cannot be "
        "told, so find out what moved the numbers before updating)"
    ) in result.output
    assert "If the scenario edits are intended" not in result.output  # not advised to update as an edit
    assert "Numbers of unchanged scenarios" not in result.output  # nor said to be unchanged
    assert "Numbers moved against format-1 baselines, which cannot tell whether their scenario changed" in (
        result.output
    )


def test_a_value_written_at_its_default_hashes_as_if_left_out():
    from simulator.scenario import scenario_hash, validate_data

    quota = {"id": "q", "kind": "export_quota", "supplier": "china", "start": 0, "end": 10, "tonnes_per_period": 9}
    plain = build(TWO_MEMBERS, shocks=[quota])
    spelled = build(TWO_MEMBERS, shocks=[{**quota, "claims": "ordered", "period_days": 365}])
    assert scenario_hash(validate_data(plain, "a")) == scenario_hash(validate_data(spelled, "b"))


def drifted(report: str) -> set[tuple[str, str, str]]:
    """(region, material, metric) of every drift of the historical replay in a JSON check report."""
    (outcome,) = [o for o in json.loads(report) if o["scenario"] == "embargo_2010_historical"]
    return {(d["region"], d["material"], d["metric"]) for d in outcome["drifts"]}


@REPLAY_TREE
def test_a_loose_tolerance_never_hides_a_region_newly_short_and_keeps_days_in_days(repo):
    # the historical replay with its 2011 quota cut to 18,200 t: the EU, never short, is short
    # from day 291 (heavy rare earths) and its day of lowest light cover moves from 354 to 304
    edit(repo / "embargo_2010_historical.yaml", shocks__5__tonnes_per_period=18200)
    loose = check(repo, "--rtol", "0", "--atol", "300", "--format", "json")
    moved = drifted(loose.stdout)
    # never -> 291 is a change whatever the tolerance (as numbers, |291 - -1| = 292 <= 300 would hide it)...
    assert ("eu", "heavy_ree", "first_shortfall_day") in moved
    # ...and 354 -> 304 is 50 days, within 300
    assert ("eu", "light_ree", "min_days_of_cover_day") not in moved
    tight = check(repo, "--rtol", "0.5", "--atol", "10", "--format", "json")
    # a day moves by days: 50 > 10 days, though as numbers 50 <= 10 + 0.5 x 354
    assert ("eu", "light_ree", "min_days_of_cover_day") in drifted(tight.stdout)
    # JSON gives a day metric's days as dates and the change in words: day 291 after 1 Jul 2010 is 18 Apr 2011
    (outcome,) = [o for o in json.loads(tight.stdout) if o["scenario"] == "embargo_2010_historical"]
    (heavy,) = [
        d
        for d in outcome["drifts"]
        if (d["region"], d["material"], d["metric"]) == ("eu", "heavy_ree", "first_shortfall_day")
    ]
    assert (heavy["baseline_date"], heavy["now_date"], heavy["change"]) == (
        None,
        "2011-04-18",
        "now short (never before)",
    )
