"""The check reads the history of the repository holding the scenario, from a git hook as from a shell (session 60).

A hook runs with variables that name its repository: ``GIT_INDEX_FILE`` always, ``GIT_DIR`` in a
linked work tree (``git worktree add``), often relative. Inherited by the gate's own git commands,
they took the scenario's folder for the work tree's top (or another repository's files for the
scenario's), so a drift named only the changed part, not the field edited with its value then.
The gate leaves them out (:data:`simulator.gate.git.REPOSITORY_VARIABLES`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import simulator.gate.git as gate_git
from simulator.gate.fields import changed_fields
from simulator.scenario import load_scenario
from tests.test_gate_git_mgate59 import EU, EU_DEMAND, committed, git, recorded_parts, without_git_variables, write

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

ROOT = Path(__file__).resolve().parents[1]
AS_AUTHOR = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", "-c", "commit.gpgsign=false"]
"""``git`` committing by a fixed author, unsigned, whatever the user's configuration."""


@pytest.fixture(autouse=True)
def no_tops_known(monkeypatch: pytest.MonkeyPatch) -> None:
    """No work tree's top kept from an earlier test: each test's git finds its own."""
    monkeypatch.setattr(gate_git, "_TOPS", {})


def test_git_variables_naming_another_repository_are_not_followed(tmp_path, monkeypatch):
    """Baselined at 80 t/d, committed at 81, 83 now; GIT_DIR, GIT_WORK_TREE and GIT_INDEX_FILE name another
    repository (one commit of another file). The edit is still named from the scenario's own history: 80 -> 83."""
    (tmp_path / "own").mkdir()
    path = committed(tmp_path / "own", before=[], baselined=80, after=[81], now=83)
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    (other / "notes.txt").write_text("not a scenario\n")
    git(other, "add", "notes.txt")
    git(other, "commit", "-qm", "another repository")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    found = changed_fields(path, recorded_parts(path), load_scenario(path), {EU: "changed"})
    assert [change.text() for change in found[EU]] == [f"{EU_DEMAND} 80 -> 83"]
    assert gate_git.tracked_path(path) == (os.path.realpath(tmp_path / "own"), "scenarios/pair.yaml")


def test_a_pre_commit_hook_in_a_linked_work_tree_names_the_field_edited(tmp_path):
    """A repository baselined at 80 t/d and committed at 81; a linked work tree where the demand is made 83 and
    committed, with a pre-commit hook that runs ``stockpile check`` (git sets GIT_DIR to the linked tree's folder
    in .git/worktrees and GIT_INDEX_FILE there). The hook's check names the edit 80 -> 83, as from a shell."""
    repo, linked = tmp_path / "repo", tmp_path / "linked"
    repo.mkdir()
    committed(repo, before=[], baselined=80, after=[81], now=81)
    git(repo, "worktree", "add", "-q", str(linked), "-b", "edit")
    said = tmp_path / "hook.txt"
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text(
        f'#!/bin/sh\n"{sys.executable}" -m simulator.cli check scenarios/pair.yaml > "{said}" 2>&1\nexit 0\n'
    )
    hook.chmod(0o755)
    write(linked / "scenarios" / "pair.yaml", 83)
    git(linked, "add", "-A")
    subprocess.run(
        [*AS_AUTHOR, "commit", "-qm", "EU demand 83 t/d"],
        cwd=linked,
        check=True,
        capture_output=True,
        env={**without_git_variables(), "PYTHONPATH": str(ROOT)},
    )
    output = said.read_text()
    assert f"scenario changed since its baseline: {EU_DEMAND} 80 -> 83" in output, output


def test_the_history_walk_and_the_annotations_top_do_not_follow_a_hooks_repository(tmp_path, monkeypatch):
    """The last commit holding a file (a missing baseline's history) and the work tree's top of an annotation are
    asked of the scenario's own repository with GIT_DIR naming another: the file's own commit, its own top."""
    from simulator.gate.compare import _last_commits
    from simulator.gate.formats import _git_top

    own = tmp_path / "own"
    own.mkdir()
    path = committed(own, before=[], baselined=80, after=[], now=80)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=own, capture_output=True, text=True, check=True, env=without_git_variables()
    ).stdout.strip()
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    _git_top.cache_clear()
    assert _last_commits(os.path.realpath(own), ["scenarios/pair.yaml"]) == {"scenarios/pair.yaml": head}
    assert _git_top(str(path.parent)) == os.path.realpath(own)
    _git_top.cache_clear()
