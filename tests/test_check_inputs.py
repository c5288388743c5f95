"""stockpile check: edited baselines, whole-check errors and what every format says (audit 41).

The tiny two-member scenario ``pair`` of ``tests/test_check.py``: Japan (20 t/day) and the
EU (80 t/day), cut off from China for all 60 days, share a 60 t pool: 6,000 - 60 = 5,940 t
short in all (``total_shortfall_t``), of which the EU 4,760 t (``shortfall_share.eu``
4,760 / 4,800 = 0.991667); Jain's fairness index 0.999982.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests import test_check
from tests.test_check import check, edit, junit_cases

pair_tree, pair_repo = test_check.pair_tree, test_check.pair_repo
"""``pair`` with its baseline, and a test's own copy (the fixtures of test_check)."""


def _hand_edit(path: Path, change) -> None:
    """Edit a baseline as a person would: the numbers change, their digest does not."""
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def _set(data: dict, key: str, value) -> None:
    data["metrics"][key] = value


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["metrics"].pop("fairness_jain"), "metrics.fairness_jain (missing)"),
        (lambda d: _set(d, "shortfall_t.korea", 0), "metrics.shortfall_t.korea (not in this run)"),
        (lambda d: _set(d, "total_shortfall_t", None), "metrics.total_shortfall_t (null, this run 5940)"),
        (lambda d: _set(d, "total_shortfall_t", 5000.0), "metrics.total_shortfall_t (5000, this run 5940)"),
        (lambda d: d["curves"].pop("days_of_cover"), "curves.days_of_cover (missing)"),
    ],
    ids=["metric-deleted", "metric-added", "metric-null", "value-changed", "curve-deleted"],
)
def test_a_baseline_edited_since_it_was_written_is_bad_input_naming_the_field(pair_repo, tmp_path, change, where):
    path = pair_repo / "baselines" / "pair.json"
    _hand_edit(path, change)
    report = tmp_path / "check.xml"
    result = check(pair_repo, "--junit", report)
    assert result.exit_code == 2, result.output  # bad input, not a drift of the code
    message = (
        f"{path}: baseline edited since it was written: its numbers (metrics, curves) no longer match its "
        f"numbers_sha256; it differs from this run at {where}: restore it from version control, or rewrite it "
        f"with stockpile check --update {pair_repo}/pair.yaml"
    )
    assert result.output.splitlines()[:2] == ["error        pair", f"             {message}"]
    assert "the code moved the numbers" not in result.output
    assert junit_cases(report)["pair"].find("error").get("message") == message
    # --update rewrites it from the run
    assert check("--update", pair_repo).exit_code == 0
    assert check(pair_repo).exit_code == 0


def test_a_baseline_written_before_the_digest_is_read_as_before(pair_repo):
    path = pair_repo / "baselines" / "pair.json"

    def older(data: dict) -> None:
        del data["numbers_sha256"]
        data["metrics"]["total_shortfall_t"] = 5000.0

    _hand_edit(path, older)
    result = check(pair_repo)
    assert result.exit_code == 1, result.output  # compared number by number: 5000 -> 5940
    assert "drift        pair: 1 number moved (scenario unchanged, package version 0.1.0 unchanged: the code, or " in (
        result.output
    )
    assert "an edit of the baseline (it has no numbers_sha256 to tell), moved the numbers)" in result.output
    update = check("--update", pair_repo)
    assert f"updated      {path} (1 number changed; numbers_sha256 added)" in update.output
    assert "numbers_sha256" in json.loads(path.read_text())


def test_a_null_number_is_a_move_and_an_absent_one_appeared_or_disappeared():
    from simulator.gate.compare import Drift, absent_groups

    # a days of cover that became infinite (stored as null) moved; it did not disappear
    assert (
        Drift("s", "eu", "ree", "min_days_of_cover", 3.5, None).change
        == "now empty (no finite number: no price, no demand or infinite)"
    )
    assert Drift("s", "eu", "ree", "min_days_of_cover", None, 3.5).change == "now a number (empty before)"
    gone = Drift("s", "all", "all", "fairness_jain", 0.6258, None, absent="now", group="metric fairness_jain")
    assert gone.change == "disappeared"
    assert [str(g) for g in absent_groups([gone])] == ["metric fairness_jain removed (1 metric)"]


def test_an_overflowing_number_in_a_baseline_is_named_by_its_field(pair_repo):
    path = pair_repo / "baselines" / "pair.json"
    text = path.read_text()
    assert '"fairness_jain": 0.999982196902,' in text  # Jain's index of shares 0.983 and 0.992
    path.write_text(text.replace('"fairness_jain": 0.999982196902,', '"fairness_jain": 1e400,'))
    result = check(pair_repo)
    assert result.exit_code == 2
    assert (
        f"{path}: corrupt baseline: metrics.fairness_jain: 1e400 is too large for a number (it would read as infinity)"
    ) in result.output
    # a whole number of 400 digits, which no float can hold (it crashed both), is refused the same
    # way by check, and --update replaces it as it does any damaged baseline
    path.write_text(text.replace('"fairness_jain": 0.999982196902,', '"fairness_jain": 1' + "0" * 399 + ","))
    result = check(pair_repo)
    assert result.exit_code == 2, result.output
    assert (
        f"{path}: corrupt baseline: metrics.fairness_jain: a whole number of 400 digits is too large for a number"
    ) in result.output
    result = check(pair_repo, "--update")
    assert result.exit_code == 0 and "a damaged baseline replaced" in result.output, result.output
    assert check(pair_repo).exit_code == 0


def test_an_unreadable_baseline_or_none_says_null_for_scenario_changed(pair_repo):
    (pair_repo / "baselines" / "pair.json").unlink()
    edit(pair_repo / "pair.yaml", horizon_days=50)  # whether it changed cannot be known without its baseline
    (outcome,) = json.loads(check(pair_repo, "--format", "json").output)
    assert outcome["status"] == "no baseline"
    assert outcome["scenario_changed_since_baseline"] is None and outcome["changed_parts"] is None


def test_no_scenarios_folder_is_an_error_outcome_in_every_format(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    junit, summary = tmp_path / "out" / "check.xml", tmp_path / "out" / "summary.md"
    junit.parent.mkdir()
    result = check("--format", "json", "--junit", junit, "--summary", summary)
    assert result.exit_code == 2
    (outcome,) = json.loads(result.output)  # JSON, as a script parsing it expects
    assert (outcome["scenario"], outcome["status"]) == ("scenarios", "error")
    assert outcome["message"].startswith(f"no scenarios/ folder in {tmp_path}: run stockpile check from the folder")
    assert junit_cases(junit)["scenarios"].find("error").get("message") == outcome["message"]
    assert summary.read_text().startswith("### Scenario check: 1 of 1 failed\n")
    github = check("--format", "github")
    assert github.exit_code == 2
    assert github.output.startswith("::error title=stockpile check%3A error in scenarios::no scenarios/ folder in ")
    text = check()
    assert text.exit_code == 2 and text.output.splitlines() == [
        "error        scenarios",
        f"             {outcome['message']}",
        "check stopped before any scenario ran: 1 error",
    ]


def test_a_pass_with_an_edited_scenario_and_loosened_tolerances_says_so_in_every_format(pair_repo, tmp_path):
    # Japan's demand 20 -> 20.2 t/day: its shortfall 1180 -> 1192 t (+1.0%), the total 5940 -> 5952 t (+0.2%);
    # --rtol 0.5 lets every number pass
    edit(pair_repo / "pair.yaml", regions__japan__demand__ree__tonnes_per_day=20.2)
    assert check(pair_repo).exit_code == 1
    # the note says the baseline predates the edit, with the command that records it (update refuses --rtol)
    note = (
        "scenario changed since its baseline: regions.japan; no number moved beyond its tolerance, but the baseline "
        "predates the edit: "
        f"record it with stockpile check --update {pair_repo}/pair.yaml"
    )
    tolerances = "tolerances rtol 0.5, atol 1e-06 (--rtol 0.5)"
    ok = "1 ok (1 ok with a baseline that predates its scenario's edit or the tool version: record it)"
    result = check(pair_repo, "--rtol", "0.5")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"ok           pair ({note})"
    assert result.output.splitlines()[-1].endswith(f": {ok}; {tolerances}")
    markdown = check(pair_repo, "--rtol", "0.5", "--format", "markdown").output
    assert f"| ok | pair | {pair_repo}/pair.yaml | {note} |".replace("_", "\\_") in markdown  # _ escaped
    assert markdown.splitlines()[-1].endswith(f": {ok}; {tolerances}")
    (outcome,) = json.loads(check(pair_repo, "--rtol", "0.5", "--format", "json").output)
    assert outcome["cause"] == note and outcome["changed_parts"] == [{"part": "regions.japan", "change": "changed"}]
    report = tmp_path / "check.xml"
    check(pair_repo, "--rtol", "0.5", "--junit", report)
    assert junit_cases(report)["pair"].find("system-out").text == note
    # a tolerance file applied is named, with its entries
    (pair_repo / "baselines" / "tolerances.yaml").write_text("metrics:\n  shortfall_t: {rtol: 0.5}\n")
    last = check(pair_repo, "--rtol", "0.5").output.splitlines()[-1]
    assert last.endswith(
        f": {ok}; {tolerances}, with {pair_repo}/baselines/tolerances.yaml: 1 metric entry (shortfall_t)"
    )
    # the defaults and no file: the final line says nothing more; the summary names them
    (pair_repo / "baselines" / "tolerances.yaml").unlink()
    edit(pair_repo / "pair.yaml", regions__japan__demand__ree__tonnes_per_day=20)
    assert check(pair_repo).output.splitlines()[-1].endswith(": 1 ok")
    markdown = check(pair_repo, "--format", "markdown").output
    assert markdown.splitlines()[-1].endswith(": 1 ok; tolerances rtol 1e-09, atol 1e-06 (the defaults)")


def test_merge_conflict_markers_in_a_baseline_are_named_with_their_line(pair_repo):
    path = pair_repo / "baselines" / "pair.json"
    good = path.read_text()
    lines = good.splitlines(keepends=True)
    # a merge that both sides changed from line 3 on: the marker is line 3 of the file
    path.write_text("".join([*lines[:2], "<<<<<<< HEAD\n", *lines[2:], "=======\n", ">>>>>>> branch\n"]))
    result = check(pair_repo)
    assert result.exit_code == 2
    assert (
        f"{path}: corrupt baseline: merge conflict markers from line 3: resolve the merge (keep one side), or "
        "rewrite the baseline with stockpile check --update"
    ) in result.output


def test_a_renamed_scenario_file_is_named_by_its_orphan_baseline(pair_repo):
    (pair_repo / "pair.yaml").rename(pair_repo / "couple.yaml")  # name: pair inside, unchanged
    result = check(pair_repo)
    assert result.exit_code == 2
    assert (
        f"{pair_repo}/baselines/pair.json: its scenario file pair.yaml is gone, and {pair_repo}/couple.yaml has its "
        f"name: and no baseline (renamed?): write the new baseline with stockpile check --update "
        f"{pair_repo}/couple.yaml and delete {pair_repo}/baselines/pair.json in the same commit"
    ) in result.output


@pytest.mark.parametrize("what", ["a file", "a symbolic link to nothing"])
def test_a_file_where_the_baselines_folder_should_be_is_named_by_check_and_update(pair_repo, what):
    # check said "no baseline ... write it with --update", and --update then "File exists"
    folder = pair_repo / "baselines"
    shutil.rmtree(folder)
    if what == "a file":
        folder.write_text("not a folder\n")
    else:
        folder.symlink_to(pair_repo / "nowhere")
    result = check(pair_repo)
    assert result.exit_code == 2
    assert f"{folder} is {what}, not a folder of baselines" in result.output
    result = check(pair_repo, "--update")
    assert result.exit_code == 2
    assert f"cannot write the baseline: {folder} is {what}, not a folder" in result.output
    if what == "a file":  # left as it was
        assert folder.read_text() == "not a folder\n"
    else:
        assert folder.is_symlink()
    assert not (pair_repo / "nowhere").exists()
