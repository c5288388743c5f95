"""stockpile check as a CI team met it (audit of stop 50): updates, digits, quoting, labels, notes.

The tiny two-member scenario ``pair`` of ``tests/test_check.py`` (about 0.1 s a run): 60 days,
Japan short 20 t a day and the EU 80 t, a 60 t pool: 6000 - 60 = 5940 t short in all. It
draws no random number, so its seed moves nothing.
"""

from __future__ import annotations

import json
import math
import shlex
import shutil
from pathlib import Path
from xml.etree import ElementTree

import yaml
from click.testing import CliRunner

from simulator.cli import main
from tests import test_check
from tests.test_check import _spoil, check, edit

pair_tree, pair_repo = test_check.pair_tree, test_check.pair_repo
"""``pair`` alone with its baseline, and a test's own copy (the fixtures of test_check)."""

WITHIN = 5940.000001
"""A total shortfall within the default tolerances of the run's 5940 t (1e-6 + 1e-9 x 5940 = 6.94e-6 t)."""


def stored_shortfall(repo: Path) -> float:
    return json.loads((repo / "baselines" / "pair.json").read_text())["metrics"]["total_shortfall_t"]


# --- 1. --update records the run where the scenario or the version changed ----------------------


def test_update_after_a_scenario_edit_records_the_run_exactly(pair_repo):
    _spoil(pair_repo / "baselines" / "pair.json", total_shortfall_t=WITHIN)  # an older run's last digits
    edit(pair_repo / "pair.yaml", seed=7)  # the scenario changed (its numbers did not)
    result = check("--update", pair_repo)
    assert result.exit_code == 0, result.output
    assert stored_shortfall(pair_repo) == 5940  # the run's, not the old number within tolerance
    assert "(1 number changed; scenario_hash, scenario_parts, seed)" in result.output
    strict = check("--rtol", 0, "--atol", 0, pair_repo)
    assert strict.exit_code == 0, strict.output


def test_update_after_a_new_package_version_records_the_run_exactly(pair_repo):
    _spoil(pair_repo / "baselines" / "pair.json", total_shortfall_t=WITHIN, package_version="0.0.1")
    result = check("--update", pair_repo)
    assert result.exit_code == 0, result.output
    assert "(1 number changed; package_version)" in result.output
    assert stored_shortfall(pair_repo) == 5940
    assert check("--rtol", 0, "--atol", 0, pair_repo).exit_code == 0


def test_update_keeps_a_number_within_tolerance_where_nothing_moved_it(pair_repo):
    # the same scenario and version: another machine's last digits are not written back
    _spoil(pair_repo / "baselines" / "pair.json", total_shortfall_t=WITHIN)
    result = check("--update", pair_repo)
    assert result.exit_code == 0, result.output
    baseline = pair_repo / "baselines" / "pair.json"
    assert result.output.splitlines()[0] == (
        f"unchanged    {baseline} (1 number within tolerance of this run kept as stored)"
    )
    assert stored_shortfall(pair_repo) == WITHIN


# --- 14. the update of an edited baseline counts the numbers it put back -------------------------


def test_update_of_a_hand_edited_baseline_counts_the_numbers_put_back(pair_repo):
    path = pair_repo / "baselines" / "pair.json"
    data = json.loads(path.read_text())
    data["metrics"]["total_shortfall_t"] = 5941.0  # by hand: the digest no longer matches
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    result = check("--update", pair_repo)
    assert result.exit_code == 0, result.output
    assert f"updated      {path} (1 number changed; a baseline edited since it was written replaced)" in result.output
    assert stored_shortfall(pair_repo) == 5940


# --- 2. a small move shows old and new with the digits that tell them apart ---------------------


def test_a_small_move_shows_old_and_new_apart_in_every_format(pair_repo, tmp_path):
    # 5940.001 -> 5940 t: both read 5940 at six significant digits; seven tell them apart
    _spoil(pair_repo / "baselines" / "pair.json", total_shortfall_t=5940.001)
    moved = "total_shortfall_t 5940.001 -> 5940 (-0.001, -1.7e-05%)"
    junit = tmp_path / "check.xml"
    text = check("--junit", junit, pair_repo)
    assert text.exit_code == 1, text.output
    row = next(line.split() for line in text.output.splitlines() if line.startswith("pair ") and "total_sh" in line)
    assert row[6:8] == ["5940.001", "5940"]
    assert moved in check("-q", pair_repo).output
    annotation = next(line for line in check("--format", "github", pair_repo).output.splitlines() if "::error" in line)
    assert annotation.endswith(moved.replace("%", "%25"))  # the message escapes % only
    markdown = check("--format", "markdown", pair_repo).output
    # Markdown shows the same text, its _ and > escaped (rendered as printed)
    assert (
        moved.replace("_", "\\_").replace(">", "\\>") in markdown
        and "| total\\_shortfall\\_t | - | - | 5940.001 | 5940 |" in markdown
    )
    failure = ElementTree.parse(junit).getroot().find("testsuite/testcase/failure")
    assert failure is not None and moved in failure.get("message", "")


# --- 3. advice lines quote paths -----------------------------------------------------------------


def pasted_command(output: str, hint: str) -> list[str]:
    """The arguments after ``stockpile check`` of the advice line starting with ``hint``, as a shell reads them."""
    line = next(line for line in output.splitlines() if line.startswith(hint))
    words = shlex.split(line.split("stockpile check ", 1)[1])
    return words


def test_advice_lines_quote_paths_with_spaces_so_they_can_be_pasted(tmp_path, pair_tree):
    folder = tmp_path / "my scenarios"
    folder.mkdir()
    scenario = folder / "my pair.yaml"
    shutil.copy(pair_tree / "pair.yaml", scenario)
    baselines = tmp_path / "my baselines"
    assert check("--update", "--baselines", baselines, folder).exit_code == 0
    baseline = baselines / "my pair.json"
    expected = ["--update", "--baselines", str(baselines), str(scenario)]
    # the code moved the numbers: 5000 t stored where the run gives 5940 t
    _spoil(baseline, total_shortfall_t=5000.0)
    result = check("--baselines", baselines, folder)
    assert result.exit_code == 1, result.output
    assert pasted_command(result.output, "Numbers of unchanged scenarios moved") == expected
    assert check(*expected).exit_code == 0  # pasted, it writes the baseline
    # an edit that moves numbers
    edit(scenario, horizon_days=50)
    result = check("--baselines", baselines, folder)
    assert pasted_command(result.output, "If the scenario edits are intended") == expected
    assert check(*expected).exit_code == 0
    # an edit that moves none
    edit(scenario, seed=7)
    result = check("--baselines", baselines, folder)
    assert result.exit_code == 0, result.output
    assert pasted_command(result.output, "Scenario edits that moved no number") == expected
    assert check(*expected).exit_code == 0
    assert check("--rtol", 0, "--atol", 0, "--baselines", baselines, folder).output.splitlines()[0] == (
        "ok           my pair (name: pair)"
    )


# --- 7. a --baselines folder that does not exist ------------------------------------------------


def test_a_baselines_folder_that_does_not_exist_is_named_with_the_near_one(pair_repo):
    typo = pair_repo / "baseline"  # for baselines/
    result = check("--baselines", typo, pair_repo)
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[:2] == [
        "error        --baselines",
        f"             {typo}: --baselines: no such folder; did you mean '{pair_repo}/baselines'?",
    ]
    far = pair_repo / "elsewhere" / "kept"
    assert f"{far}: --baselines: no such folder (stockpile check --update with this --baselines makes it)" in (
        check("--baselines", far, pair_repo).output
    )


def test_update_says_it_made_a_new_baselines_folder(pair_repo):
    typo = pair_repo / "baseline"
    result = check("--update", "--baselines", typo, pair_repo)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"created      {typo}/pair.json",
        f"new folder   {typo}: the --baselines folder did not exist and was created; if you meant an existing "
        f"folder (did you mean '{pair_repo}/baselines'?), delete this one and update again with its name",
        "1 baseline: 1 created, 0 updated, 0 unchanged",
    ]
    again = check("--update", "--baselines", typo, pair_repo)  # now it exists: nothing to say
    assert again.output.splitlines() == [
        f"unchanged    {typo}/pair.json",
        "1 baseline: 0 created, 0 updated, 1 unchanged",
    ]


# --- 15. an empty --summary (GITHUB_STEP_SUMMARY unset) skips the summary, not the check -------------


def test_an_empty_summary_path_skips_the_summary_with_a_note_and_still_writes_the_junit_file(
    pair_repo, tmp_path, monkeypatch
):
    junit = tmp_path / "check.xml"
    result = check("--format", "github", "--junit", junit, "--summary", "", pair_repo)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "note: --summary is empty (is $GITHUB_STEP_SUMMARY unset, outside GitHub Actions?): no summary written"
    )
    assert result.output.splitlines()[1] == "ok           pair"
    assert ElementTree.parse(junit).getroot().get("tests") == "1"
    # a drift still fails the step
    _spoil(pair_repo / "baselines" / "pair.json", total_shortfall_t=5000.0)
    assert check("--junit", junit, "--summary", "", pair_repo).exit_code == 1
    # with --format json the note is kept out of standard output, which stays one JSON list
    result = CliRunner().invoke(main, ["check", "--format", "json", "--summary", "", str(pair_repo)])
    assert result.exit_code == 1 and json.loads(result.stdout)[0]["status"] == "drift"
    assert "no summary written" in result.stderr
    # given empty, it is not replaced by the variable's file (--format markdown's default): as the note says
    step = tmp_path / "step-summary"
    step.write_text("")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step))
    result = check("--format", "markdown", "--summary", "", pair_repo)
    assert result.exit_code == 1 and "no summary written" in result.output and step.read_text() == ""


# --- 4. same-named files are labelled apart ------------------------------------------------------


def test_files_of_the_same_name_in_two_folders_are_labelled_by_their_folders(tmp_path, pair_tree):
    files = []
    for region in ("eu", "jp"):
        (tmp_path / region).mkdir()
        files.append(tmp_path / region / "dup.yaml")
        shutil.copy(pair_tree / "pair.yaml", files[-1])
        assert check("--update", files[-1]).exit_code == 0
        _spoil(tmp_path / region / "baselines" / "dup.json", total_shortfall_t=5000.0)
    junit = tmp_path / "check.xml"
    result = check("--junit", junit, *files)
    assert result.exit_code == 1
    assert [line.split("):")[0] + ")" for line in result.output.splitlines()[:2]] == [
        "drift        eu/dup (name: pair)",
        "drift        jp/dup (name: pair)",
    ]
    rows = [line.split()[0] for line in result.output.splitlines() if "total_shortfall_t" in line]
    assert rows == ["eu/dup", "jp/dup"]
    cases = ElementTree.parse(junit).getroot().findall("testsuite/testcase")
    assert [case.get("name") for case in cases] == ["eu/dup", "jp/dup"]
    outcomes = json.loads(check("--format", "json", *files).output)
    assert [o["scenario"] for o in outcomes] == ["eu/dup", "jp/dup"]
    # a file whose name no other shares keeps its plain label
    assert check(files[0]).output.startswith("drift        dup (name: pair): ")


# --- 5. a pass to record is seen where CI users look ------------------------------------------------

RECORD = "record it with stockpile check --update {}"


def test_an_edit_that_passes_is_a_warning_annotation_and_stays_in_quiet_output(pair_repo):
    scenario = pair_repo / "pair.yaml"
    edit(scenario, seed=7)  # pair draws no random number: nothing moves
    note = (
        "scenario changed since its baseline: seed 0 -> 7; no number moved beyond its tolerance, but the baseline "
        f"predates the edit: {RECORD.format(scenario)}"
    )
    github = check("--format", "github", pair_repo)
    assert github.exit_code == 0
    assert github.output.splitlines()[0] == (
        f"::warning file={scenario},title=stockpile check%3A baseline to record in pair::{note}"
    )
    quiet = check("-q", pair_repo)
    assert quiet.exit_code == 0
    lines = quiet.output.splitlines()
    assert lines[0] == f"ok           pair ({note})"
    assert lines[1].endswith(
        ": 1 ok (1 ok with a baseline that predates its scenario's edit or the tool version: record it)"
    )


def test_a_new_package_version_that_moves_no_number_is_noted_and_update_records_it(pair_repo):
    from simulator.version import __version__

    scenario = pair_repo / "pair.yaml"
    _spoil(pair_repo / "baselines" / "pair.json", package_version="0.0.1")
    result = check(pair_repo)
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (
        f"ok           pair (package version 0.0.1 -> {__version__} since its baseline; no number moved beyond its "
        f"tolerance, but the baseline names the older version: {RECORD.format(scenario)})"
    )
    assert result.output.splitlines()[-2] == (
        "Baselines written by another package version, whose numbers moved no further than their tolerances: record "
        "the version in the same commit as the upgrade, so that a later drift is not blamed on the older one: "
        f"stockpile check --update {scenario}"
    )
    assert "::warning " in check("--format", "github", pair_repo).output
    update = check("--update", scenario)
    assert f"({'0 numbers changed'}; package_version)" in update.output
    assert json.loads((pair_repo / "baselines" / "pair.json").read_text())["package_version"] == __version__
    assert check(pair_repo).output.splitlines()[0] == "ok           pair"


# --- 6. shocks listed in another order are named -------------------------------------------------

EARLY = {"id": "early", "kind": "delay", "supplier": "china", "regions": ["eu"], "start": 1, "end": 3, "extra_days": 2}
"""A 2-day delay of China's shipments to the EU on days 1 to 3, beside pair's year-long halt (which stops them)."""


def test_shocks_listed_in_another_order_are_named_as_their_order(pair_repo):
    scenario = pair_repo / "pair.yaml"
    data = yaml.safe_load(scenario.read_text())
    data["shocks"].append(EARLY)
    scenario.write_text(yaml.safe_dump(data))
    assert check("--update", scenario).exit_code == 0
    data["shocks"].reverse()  # the same two shocks, early first
    scenario.write_text(yaml.safe_dump(data))
    (outcome,) = json.loads(check("--format", "json", pair_repo).output)
    assert outcome["scenario_changed_since_baseline"] is True
    assert outcome["changed_parts"] == [{"part": "shocks order", "change": "changed"}]
    assert outcome["cause"].startswith("scenario changed since its baseline: shocks order")
    # back in their order, with another edit: only that edit is named
    data["shocks"].reverse()
    data["horizon_days"] = 50
    scenario.write_text(yaml.safe_dump(data))
    (outcome,) = json.loads(check("--format", "json", pair_repo).output)
    assert outcome["changed_parts"] == [{"part": "horizon_days", "change": "changed"}]


# --- 8. a residue of 0 in a baseline is 0 for percentages and ranking ----------------------------


def test_a_move_off_a_floating_point_residue_of_0_is_a_move_off_0():
    from simulator.gate.compare import Drift, Outcome
    from simulator.gate.formats import text_table

    # long_embargo_6m's baseline stores Japan's heavy-REE cover as 1.48029736617e-15 days where it is 0
    residue = Drift("s", "japan", "heavy_ree", "days_of_cover", 1.48029736617e-15, 36.309, day=7)
    assert residue.change == "+36.309"  # not +2452817983047752704.0%
    assert residue.size == math.inf
    relative = Drift("s", "eu", "heavy_ree", "days_of_cover", 40.0, 20.0, day=7)  # -50%
    assert sorted([relative, residue], key=lambda d: d.rank) == [residue, relative]
    # a number 1e-6 from 0 is a number: its move has a relative size
    assert Drift("s", "eu", "ree", "shortfall_t", 1e-6, 2e-6).change == "+1e-06 (+100.0%)"
    table = text_table([Outcome("s", "s.yaml", "drift", drifts=[relative, residue])]).splitlines()
    assert table[1].split()[:3] == ["s", "japan", "heavy_ree"] and table[1].endswith("+36.309; largest of 1 moved day")
