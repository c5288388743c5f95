"""The values a changed scenario part had at its baseline are read from git in a few commands, not one per commit.

The check reads the file's committed versions with one ``git log`` and one ``cat-file --batch``
(and one ``rev-parse`` per folder in a process), then reads them as scenarios newest first and
stops at the version that holds the baseline's part; a version no longer valid is passed over,
a file outside the work tree git names has no versions, and a scenario that did not move asks git
nothing.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

import simulator.gate.fields as fields
from simulator.gate.fields import changed_fields
from simulator.gate.git import tracked_path
from simulator.scenario import load_scenario
from tests.helpers import TWO_MEMBERS, invoke

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

EU = "regions.eu"
EU_DEMAND = "regions.eu.demand.ree.tonnes_per_day"


def without_git_variables() -> dict[str, str]:
    """This process's environment less every GIT_* variable (GIT_DIR, GIT_INDEX_FILE, GIT_WORK_TREE a hook sets)."""
    return {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}


def git(folder: Path, *args: str) -> None:
    """``git ARGS`` in ``folder`` alone (no GIT_* variable points it elsewhere), by a fixed author, unsigned."""
    subprocess.run(
        ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", "-c", "commit.gpgsign=false", *args],
        cwd=folder,
        check=True,
        capture_output=True,
        env=without_git_variables(),
    )


def write(path: Path, eu_tonnes_per_day: Any) -> None:
    """TWO_MEMBERS at ``path``, with the EU's demand (t/d) set."""
    data = copy.deepcopy(TWO_MEMBERS)
    data["regions"]["eu"]["demand"]["ree"]["tonnes_per_day"] = eu_tonnes_per_day
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def committed(tmp_path: Path, before: list[Any], baselined: float, after: list[Any], now: float) -> Path:
    """scenarios/pair.yaml committed once per EU demand of ``before``, then at ``baselined`` with its baseline,
    then once per demand of ``after``; left at ``now`` in the work tree."""
    path = tmp_path / "scenarios" / "pair.yaml"
    git(tmp_path, "init", "-q")
    for tonnes in [*before, baselined, *after]:
        write(path, tonnes)
        if tonnes == baselined:
            assert invoke("check", "--update", path).exit_code == 0
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-qm", f"EU demand {tonnes} t/d")
    write(path, now)
    return path


def recorded_parts(path: Path) -> dict[str, str]:
    return json.loads((path.parent / "baselines" / "pair.json").read_text())["scenario_parts"]


@pytest.fixture
def git_commands(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The subcommand of every git process the gate starts from now on (``rev-parse``, ``log``, ...).

    The gate runs ``git --literal-pathspecs -C <folder> <subcommand> ...``; another git process counts whole.
    """
    started: list[str] = []
    popen = subprocess.Popen

    def counted(args: Any, *rest: Any, **options: Any) -> Any:
        if isinstance(args, list) and args[:1] == ["git"]:
            started.append(args[4] if args[1:3] == ["--literal-pathspecs", "-C"] else " ".join(args))
        return popen(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", counted)
    return started


@pytest.fixture
def versions_read(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The EU demand (t/d) of every committed version read as a scenario, in the order read."""
    read: list[Any] = []
    validate = fields.validate_data

    def recorded(data: dict[str, Any], source: str | None = None) -> Any:
        read.append(data["regions"]["eu"]["demand"]["ree"]["tonnes_per_day"])
        return validate(data, source)

    monkeypatch.setattr(fields, "validate_data", recorded)
    return read


def test_the_baselines_version_is_found_in_three_git_commands_and_older_ones_are_not_read(
    tmp_path, git_commands, versions_read
):
    """Versions 79, 80 (baselined), 81, 82 t/d committed, 83 now: 82, 81 and 80 are read, 79 is not;
    one rev-parse, one log, one cat-file (one process per commit before: five here). Asked again for
    a file of the same folder, the work tree's top is known: two commands."""
    path = committed(tmp_path, before=[79], baselined=80, after=[81, 82], now=83)
    recorded, scenario = recorded_parts(path), load_scenario(path)
    git_commands.clear()
    found = changed_fields(path, recorded, scenario, {EU: "changed"})
    assert [change.text() for change in found[EU]] == [f"{EU_DEMAND} 80 -> 83"]
    assert versions_read == [82, 81, 80]
    assert git_commands == ["rev-parse", "log", "cat-file"]
    git_commands.clear()
    assert changed_fields(path, recorded, scenario, {EU: "changed"}) == found
    assert git_commands == ["log", "cat-file"]


def test_a_baseline_no_commit_holds_reads_every_version_in_the_same_three_commands(
    tmp_path, git_commands, versions_read
):
    """The baseline written from an edit never committed (80 t/d), commits at 81, 82 and 83: each read once, none
    matches, the part keeps only its name (no fields); three git commands, not two plus one per commit."""
    path = tmp_path / "scenarios" / "pair.yaml"
    write(path, 80)
    assert invoke("check", "--update", path).exit_code == 0
    git(tmp_path, "init", "-q")
    for tonnes in (81, 82, 83):
        write(path, tonnes)
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-qm", f"EU demand {tonnes} t/d")
    git_commands.clear()
    assert changed_fields(path, recorded_parts(path), load_scenario(path), {EU: "changed"}) == {}
    assert versions_read == [83, 82, 81]
    assert git_commands == ["rev-parse", "log", "cat-file"]


def test_a_version_no_longer_valid_is_passed_over(tmp_path, versions_read):
    """Baselined at 80 t/d, then a commit with a demand that is no number ("lots"), then 83 now: the invalid version
    is read and passed over, and the baseline's 80 is found one commit further back."""
    path = committed(tmp_path, before=[], baselined=80, after=["lots"], now=83)
    found = changed_fields(path, recorded_parts(path), load_scenario(path), {EU: "changed"})
    assert [change.text() for change in found[EU]] == [f"{EU_DEMAND} 80 -> 83"]
    assert versions_read == ["lots", 80]


def test_a_file_outside_the_work_tree_git_names_has_no_versions(tmp_path, git_commands):
    """A repository whose work tree is set elsewhere (core.worktree): git names a top the file is not under, so
    no history is read for it (rev-parse only) and the part keeps its name alone."""
    elsewhere, here = tmp_path / "elsewhere", tmp_path / "here"
    elsewhere.mkdir()
    git(here.parent, "init", "-q", str(here))
    git(here, "config", "core.worktree", str(elsewhere))
    path = here / "pair.yaml"
    write(path, 80)
    git_commands.clear()
    assert changed_fields(path, {EU: "0" * 12}, load_scenario(path), {EU: "changed"}) == {}
    assert git_commands == ["rev-parse"]


def test_a_folder_in_no_work_tree_is_asked_again_once_it_is_one(tmp_path, monkeypatch):
    """A scenario's folder in no work tree: no path. ``git init`` and a commit there, and the same process asks
    again and finds the new top (the folder's "none" was not kept, as a top found is)."""
    for name in [name for name in os.environ if name.startswith("GIT_")]:  # the gate's own git, as the helper's
        monkeypatch.delenv(name)
    path = tmp_path / "pair.yaml"
    write(path, 80)
    assert tracked_path(path) is None
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "pair.yaml")
    git(tmp_path, "commit", "-qm", "a scenario")
    assert tracked_path(path) == (os.path.realpath(tmp_path), "pair.yaml")


def test_a_check_where_nothing_moved_starts_no_git_command(tmp_path, git_commands):
    """Baselined and committed, unchanged: ok, and git is not asked for anything (neither fields nor history)."""
    path = committed(tmp_path, before=[], baselined=80, after=[], now=80)
    git_commands.clear()
    result = invoke("check", path)
    assert result.exit_code == 0, result.output
    assert git_commands == []


def test_fields_reads_git_through_gate_git_not_through_compare_which_imports_it():
    """fields once imported compare's git helper inside a function, as compare imports fields (a cycle hidden in
    a function); both now import gate/git.py."""
    from tests.test_layers import MODULES, imports

    fields_imports = imports(MODULES["simulator.gate.fields"], set(MODULES))
    compare_imports = imports(MODULES["simulator.gate.compare"], set(MODULES))
    assert "simulator.gate.fields" in compare_imports
    assert "simulator.gate.compare" not in fields_imports
    assert "simulator.gate.git" in fields_imports & compare_imports
