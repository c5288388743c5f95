"""Session 57 mends of what a change that leads nowhere and a path through a file are said to be.

Each test states what was said before its mend.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

import simulator
from simulator.api.inputs import load
from simulator.errors import ScenarioError
from simulator.scenario.overrides import OverrideError
from tests.helpers import TINY_SCENARIO_TEXT, assert_bad_input, invoke

# TINY_SCENARIO_TEXT has one shock: position 99 is out of range, "(list has 1 items)"
OUT_OF_RANGE = "shocks.99: index 99 out of range (list has 1 items)"


def assert_said_of_the_change(error: Exception, source: str) -> None:
    """The one rule: ``SOURCE [set shocks.99.x=1]: ...``, a ScenarioError and an OverrideError with its assignment."""
    assert str(error) == f"{source} [set shocks.99.x=1]: {OUT_OF_RANGE}"
    assert isinstance(error, ScenarioError) and isinstance(error, OverrideError)
    assert error.assignment == ("shocks.99.x", 1)


# --- 1. a change on scenario data, as on a file ---------------------------------------------------


@pytest.mark.parametrize("given", ["mapping", "scenario"])
def test_a_change_that_leads_nowhere_on_data_is_said_of_the_change(given):
    """It was an InputError ``<scenario data>: shocks.99: ...``, neither the change nor its class."""
    data = yaml.safe_load(TINY_SCENARIO_TEXT)
    scenario = data if given == "mapping" else load(data).scenario
    with pytest.raises(ScenarioError) as refused:
        load(scenario, {"shocks.99.x": 1})
    assert_said_of_the_change(refused.value, "<scenario data>")


# --- 2. one class for every command: run's and sweep's are the same error -------------------------


def test_run_and_sweep_give_one_error_for_a_change_that_leads_nowhere(tmp_path):
    """The file route (run, the API's load) gave a ScenarioError with no assignment; sweep an OverrideError alone."""
    path = tmp_path / "s.yaml"
    path.write_text(TINY_SCENARIO_TEXT)
    with pytest.raises(ScenarioError) as by_load:
        load(str(path), {"shocks.99.x": 1})
    with pytest.raises(ScenarioError) as by_sweep:
        simulator.sweep(str(path), grid={"horizon_days": [10, 20]}, set={"shocks.99.x": 1})
    for error in (by_load.value, by_sweep.value):
        assert_said_of_the_change(error, str(path))
    assert type(by_load.value) is type(by_sweep.value)
    assert_bad_input(
        invoke("run", path, "--set", "shocks.99.x=1", "-o", tmp_path / "out"), f"[set shocks.99.x=1]: {OUT_OF_RANGE}"
    )


# --- 3. a path through a plain file ----------------------------------------------------------------


@pytest.fixture
def through_a_file(tmp_path: Path, monkeypatch) -> str:
    """``plain.txt/x.yaml``, ``plain.txt`` a regular file, as typed in its folder."""
    (tmp_path / "plain.txt").write_text("hi\n")
    monkeypatch.chdir(tmp_path)
    return "plain.txt/x.yaml"


@pytest.mark.parametrize("command", ["run", "validate", "report"])
def test_reading_through_a_file_names_the_file_on_the_way(through_a_file, command):
    """It said ``cannot read: [Errno 20] Not a directory: 'plain.txt/x.yaml'``, the path twice."""
    result = invoke(command, through_a_file)
    assert_bad_input(result)
    assert result.output == "error: plain.txt/x.yaml: file not found (a folder on the way is a file: plain.txt)\n"


def test_sweep_spec_through_a_file_is_said_as_run_says_it(through_a_file, tmp_path):
    """``sweep --spec`` reads its file as run reads a scenario (it said ``cannot read: [Errno 20] ...``)."""
    scenario = tmp_path / "s.yaml"
    scenario.write_text(TINY_SCENARIO_TEXT)
    result = invoke("sweep", scenario, "--spec", "plain.txt/s.yaml", "-o", tmp_path / "out")
    assert_bad_input(result, "error: plain.txt/s.yaml: file not found (a folder on the way is a file: plain.txt)")


def test_check_and_list_say_nothing_is_there_as_for_a_missing_path(through_a_file):
    """They said ``it is a path that cannot be read (Not a directory)``: nothing is there, as for ``nope/x.yaml``."""
    assert_bad_input(invoke("check", through_a_file), "plain.txt/x.yaml: no such scenario file or folder")
    assert_bad_input(invoke("check", "nope/x.yaml"), "nope/x.yaml: no such scenario file or folder")
    assert invoke("list", through_a_file).output == "error: plain.txt/x.yaml: no such folder\n"
    assert invoke("list", "nope/x.yaml").output == "error: nope/x.yaml: no such folder\n"


@pytest.mark.parametrize("command", ["run", "validate", "check", "list"])
def test_a_link_whose_target_goes_through_a_file_is_a_broken_link(through_a_file, command):
    """``link.yaml -> plain.txt/x.yaml``: a link is there, so not "no such ..." nor "file not found (...)"."""
    os.symlink(through_a_file, "link.yaml")
    result = invoke(command, "link.yaml")
    assert_bad_input(result, "link.yaml: ", "a broken symbolic link to plain.txt/x.yaml, which does not exist")


# --- 5. one test of "inside a path" -------------------------------------------------------------


def test_inside_a_path_is_one_helper_that_blame_uses():
    """``load._within`` repeated ``overrides``' test: load now takes the one in overrides."""
    from simulator.scenario import load, overrides

    assert load.within is overrides.within
    assert (overrides.within("shocks.halt.end", "shocks.halt"), overrides.within("shocks.halter", "shocks.halt")) == (
        True,
        False,
    )


# --- 6. the page shows what a broken link, a loop of links and a file on the way are said to be --


def test_the_page_shows_the_lines_run_prints_for_a_broken_link_a_loop_and_a_file_on_the_way(tmp_path, monkeypatch):
    """docs/writing-scenarios.md showed ``/dev/zero`` alone; its block after it is what run prints for each."""
    page = (Path(__file__).resolve().parent.parent / "docs" / "writing-scenarios.md").read_text(encoding="utf-8")
    after_dev_zero = page.split("error: /dev/zero: not a regular file (it is a device)\n```", 1)[1]
    shown = after_dev_zero.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    (tmp_path / "broken.yaml").symlink_to("nowhere.yaml")
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    (tmp_path / "plain.txt").write_text("hi\n")
    monkeypatch.chdir(tmp_path)
    printed = [invoke("run", path).output.strip() for path in ("broken.yaml", "loop.yaml", "plain.txt/x.yaml")]
    assert shown == printed
