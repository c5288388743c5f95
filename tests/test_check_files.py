"""stockpile check --junit / --summary / $GITHUB_STEP_SUMMARY: no file the tool does not own is touched (gate audit 2).

``--junit FILE`` replaces only a file that does not exist or a JUnit report ``stockpile check``
wrote (its root ``<testsuites name="stockpile check"``), the rule ``report -o`` and
``explore -o`` follow for their pages. ``--summary FILE`` appends only to a Markdown file
(``.md``) or to the file ``$GITHUB_STEP_SUMMARY`` names. Each refusal is exit code 2 before
any scenario runs and before any file is written, names the option (or the variable) and the
file, and leaves the file byte for byte as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import main
from tests import test_check
from tests.test_check import check, junit_cases

pair_tree, pair_repo = test_check.pair_tree, test_check.pair_repo
"""``pair`` with its baseline, and a test's own copy (the fixtures of test_check)."""

NOT_JUNIT = (
    "exists and is not a JUnit report stockpile check wrote (a scenario, another file): move it or choose another name"
)
NOT_MARKDOWN = (
    "appends only to a Markdown file (a name ending in .md) or to the file $GITHUB_STEP_SUMMARY names, "
    "never to another file: choose a .md file"
)
PYTEST_JUNIT = (
    '<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="0" '
    'failures="0" skipped="0" tests="1"><testcase classname="t" name="test_x" /></testsuite></testsuites>\n'
)
"""A JUnit report another tool (pytest) wrote: XML, JUnit, but not stockpile's."""


@pytest.fixture(autouse=True)
def no_step_summary(monkeypatch):
    """Not in a GitHub step unless a test says so (the variable would change where the summary goes)."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (the checked scenarios' folder left out) and its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "scenarios" not in p.relative_to(folder).parts
    }


@pytest.mark.parametrize(
    ("name", "content", "extra"),
    [
        ("notinput2.yaml", None, ["--rtol", "-1"]),  # the audit's case: a scenario not being checked, a bad option
        ("notinput2.yaml", None, []),
        ("mycode.py", "print('mine')\n", []),
        ("page.html", "<!doctype html><html><body>mine</body></html>\n", []),
        ("report.xml", PYTEST_JUNIT, []),
    ],
    ids=["scenario-bad-rtol", "scenario", "python", "html", "pytest-junit"],
)
def test_junit_refuses_a_file_it_did_not_write_before_any_work(pair_repo, tmp_path, name, content, extra):
    target = tmp_path / name
    target.write_text(content if content is not None else (pair_repo / "pair.yaml").read_text())
    before = _files(tmp_path)
    result = check(pair_repo, "--junit", target, *extra)
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [f"error: {target}: --junit: {NOT_JUNIT}"]  # no scenario ran
    assert _files(tmp_path) == before  # the file byte for byte, and no other file made


QUOTING_JUNIT = {
    "test_mine.py": "MARK = '<testsuites name=\"stockpile check\"'\n\n\ndef test_mark():\n    assert MARK\n",
    "notes.md": (
        "# What check writes\n\n```xml\n<?xml version='1.0' encoding='utf-8'?>\n"
        '<testsuites name="stockpile check" tests="1">\n```\n'
    ),
}
"""Files that quote the JUnit report's mark (its root, even its first lines) without being one."""


@pytest.mark.parametrize("name", sorted(QUOTING_JUNIT))
def test_junit_refuses_a_file_that_only_quotes_its_mark(pair_repo, tmp_path, name):
    """The audit's case: ``--junit tests/test_check_files.py`` overwrote a test quoting the root."""
    target = tmp_path / name
    target.write_text(QUOTING_JUNIT[name])
    before = _files(tmp_path)
    result = check(pair_repo, "--junit", target)
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [f"error: {target}: --junit: {NOT_JUNIT}"]  # no scenario ran
    assert _files(tmp_path) == before


def test_junit_replaces_a_report_of_the_check_but_not_one_of_another_tool(pair_repo, tmp_path):
    ours, theirs = tmp_path / "check.xml", tmp_path / "pytest.xml"
    theirs.write_text(PYTEST_JUNIT)
    first = check(pair_repo, "--junit", ours)
    assert first.exit_code == 0 and junit_cases(ours)["pair"].find("error") is None
    again = check(pair_repo, "--junit", ours, "--rtol", "-1")  # the second run replaces the first's report
    assert again.exit_code == 2
    (error,) = [case.find("error") for case in junit_cases(ours).values()]
    assert error.get("message") == "--rtol: must be a finite number >= 0, not -1.0"
    refused = check(pair_repo, "--junit", theirs)
    assert refused.exit_code == 2 and refused.output == f"error: {theirs}: --junit: {NOT_JUNIT}\n"
    assert theirs.read_text() == PYTEST_JUNIT


@pytest.mark.parametrize("name", ["other.yaml", "notes.txt", "summary"], ids=["scenario", "text-file", "no-suffix"])
def test_summary_refuses_a_file_not_markdown_before_any_file_is_written(pair_repo, tmp_path, name):
    target = tmp_path / name
    target.write_text((pair_repo / "pair.yaml").read_text())
    junit = tmp_path / "check.xml"  # a file --junit may write: not written either
    before = _files(tmp_path)
    result = check(pair_repo, "--junit", junit, "--summary", target)
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [f"error: {target}: --summary: {NOT_MARKDOWN}"]
    assert _files(tmp_path) == before and not junit.exists()


def test_summary_refuses_a_new_file_not_markdown_and_makes_none(pair_repo, tmp_path):
    target = tmp_path / "summary.txt"
    result = check(pair_repo, "--summary", target)
    assert result.exit_code == 2 and result.output == f"error: {target}: --summary: {NOT_MARKDOWN}\n"
    assert not target.exists()


def test_summary_refuses_a_markdown_name_linked_to_a_scenario(pair_repo, tmp_path):
    scenario = tmp_path / "other.yaml"
    scenario.write_text((pair_repo / "pair.yaml").read_text())
    link = tmp_path / "summary.md"
    link.symlink_to(scenario)
    result = check(pair_repo, "--summary", link)
    assert result.exit_code == 2
    assert result.output == (
        f"error: {link}: --summary: {NOT_MARKDOWN.replace(': choose', f' (a link to {scenario.resolve()}): choose')}\n"
    )
    assert scenario.read_text() == (pair_repo / "pair.yaml").read_text()


def test_summary_appends_to_the_github_step_summary_whatever_its_name_and_to_no_other(pair_repo, tmp_path):
    """GitHub names the file step_summary_<id>: --summary "$GITHUB_STEP_SUMMARY" appends to it, to no neighbour."""
    step, neighbour = tmp_path / "step_summary_1", tmp_path / "step_summary_2"
    step.write_text("## earlier step\n")
    neighbour.write_text("kept\n")
    env = {"GITHUB_STEP_SUMMARY": str(step)}
    ran = CliRunner().invoke(main, ["check", str(pair_repo), "--summary", str(step), "--workers", "1"], env=env)
    assert ran.exit_code == 0, ran.output
    assert step.read_text().startswith("## earlier step\n### Scenario check: all 1 match their baselines\n")
    refused = CliRunner().invoke(main, ["check", str(pair_repo), "--summary", str(neighbour)], env=env)
    assert refused.exit_code == 2 and refused.output == f"error: {neighbour}: --summary: {NOT_MARKDOWN}\n"
    assert neighbour.read_text() == "kept\n"


def test_a_github_step_summary_that_is_a_folder_is_refused_up_front_naming_the_variable(pair_repo, tmp_path):
    folder = tmp_path / "full"
    folder.mkdir()
    junit = tmp_path / "check.xml"
    result = CliRunner().invoke(
        main,
        ["check", str(pair_repo), "--format", "markdown", "--junit", str(junit), "--workers", "1"],
        env={"GITHUB_STEP_SUMMARY": str(folder)},
    )
    assert result.exit_code == 2
    assert result.output == (  # before the check: no Markdown printed, no JUnit written
        f"error: {folder}: $GITHUB_STEP_SUMMARY: exists and is not a regular file; stockpile appends only to "
        "regular files\n"
    )
    assert not junit.exists() and os.listdir(folder) == []


def test_the_summary_and_the_junit_report_cannot_share_a_file(pair_repo, tmp_path):
    both = tmp_path / "check.md"  # a name --summary takes, and a new file --junit may write
    result = check(pair_repo, "--junit", both, "--summary", both)
    assert result.exit_code == 2
    assert result.output == f"error: {both}: --summary: is the --junit file too: give each report a file of its own\n"
    assert not both.exists()


def test_summary_refuses_a_link_into_a_missing_folder_before_any_work(pair_repo, tmp_path):
    """The audit's case: the whole check ran and wrote its JUnit report, then failed to append."""
    link, junit = tmp_path / "dl.md", tmp_path / "j.xml"
    missing = tmp_path / "missingdir" / "y.md"
    link.symlink_to(missing)
    result = check(pair_repo, "--junit", junit, "--summary", link)
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [
        f"error: {link}: --summary: is a link to {missing}, in a folder that does not exist: "
        "create the folder or choose another file"
    ]  # no scenario ran
    assert not junit.exists() and not missing.parent.exists() and os.readlink(link) == str(missing)
