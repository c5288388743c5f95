"""stockpile check after the review of stop 50's gate changes (notes/s50/gate_review.md).

The tiny two-member scenario ``pair`` of ``tests/test_check.py`` (about 0.1 s a run): the run
gives 6000 - 60 = 5940 t short in all; a baseline spoiled to 5000 t stored is off by 940 t,
940 / 5000 = 18.8 % of the stored number.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

from click.testing import CliRunner

from simulator.cli import main
from tests import test_check
from tests.test_check import _spoil, check

pair_tree, pair_repo = test_check.pair_tree, test_check.pair_repo
"""``pair`` alone with its baseline, and a test's own copy (the fixtures of test_check)."""


# --- 1. a tolerance pattern names the plain key of same-named files too ---------------------------


def test_a_tolerance_pattern_naming_the_plain_key_applies_to_same_named_files_labelled_apart(tmp_path, pair_tree):
    folders, files = [], []
    for region in ("eu", "jp"):
        folders.append(tmp_path / region)
        folders[-1].mkdir()
        files.append(folders[-1] / "dup.yaml")
        shutil.copy(pair_tree / "pair.yaml", files[-1])
        assert check("--update", files[-1]).exit_code == 0
        _spoil(folders[-1] / "baselines" / "dup.json", total_shortfall_t=5000.0)
    # 940 t off 5000 t: within rtol 0.2 (1000 t), beyond the default (6.94e-6 t)
    loose = tmp_path / "loose.yaml"
    loose.write_text("scenarios:\n  dup: {rtol: 0.2}\n")
    alone = check("--tolerances", loose, files[0])
    assert alone.exit_code == 0, alone.output
    assert alone.output.startswith("ok           dup (name: pair)\n")
    both = check("--tolerances", loose, *files)  # labelled eu/dup and jp/dup: 'dup' still names both
    assert both.exit_code == 0, both.output
    assert both.output.splitlines()[:2] == ["ok           eu/dup (name: pair)", "ok           jp/dup (name: pair)"]
    in_folders = check("--tolerances", loose, *folders)  # each 'dup' in its folder: not an unused pattern
    assert in_folders.exit_code == 0, in_folders.output
    assert in_folders.output.splitlines()[:2] == both.output.splitlines()[:2]
    # the longer label names one of them only
    one = tmp_path / "one.yaml"
    one.write_text("scenarios:\n  jp/dup: {rtol: 0.2}\n")
    lines = check("-q", "--tolerances", one, *files).output.splitlines()
    assert lines[0].startswith("drift        eu/dup (name: pair): 1 number moved beyond tolerance")
    assert not any(line.startswith("drift        jp/dup") for line in lines)
    # --update keeps the stored 5000 t within the entry's tolerance (scenario and version unchanged)
    update = check("--update", "--tolerances", loose, *files)
    assert update.exit_code == 0, update.output
    assert update.output.splitlines()[:2] == [
        f"unchanged    {folders[0]}/baselines/dup.json (1 number within tolerance of this run kept as stored)",
        f"unchanged    {folders[1]}/baselines/dup.json (1 number within tolerance of this run kept as stored)",
    ]
    stored = json.loads((folders[1] / "baselines" / "dup.json").read_text())["metrics"]["total_shortfall_t"]
    assert stored == 5000.0


# --- 3. a shallow clone says so and what to run; git commands work from any folder ---------------


def git(folder: Path, *args: str) -> str:
    """``git ARGS`` in ``folder`` (a commit by a made-up author), its output."""
    author = ("-c", "user.name=t", "-c", "user.email=t@t")
    return subprocess.run(["git", *author, *args], cwd=folder, capture_output=True, text=True, check=True).stdout


def printed_command(output: str, before: str) -> list[str]:
    """The words of the ``git -C ...`` command that follows ``before`` in the message, up to its ``;`` or `` and``."""
    text = output.split(before, 1)[1]
    return shlex.split(re.split(r";| \(with| and check", text, maxsplit=1)[0])


def test_a_shallow_clone_says_so_and_the_commands_it_prints_work_from_another_folder(tmp_path, pair_repo):
    origin = tmp_path / "origin"
    shutil.copytree(pair_repo, origin / "scenarios")
    git(origin, "init", "-q")
    git(origin, "add", ".")
    git(origin, "commit", "-qm", "pair")
    kept = (origin / "scenarios" / "baselines" / "pair.json").read_bytes()
    git(origin, "rm", "-q", "scenarios/baselines/pair.json")
    git(origin, "commit", "-qm", "drop the baseline")  # the deletion is the last commit
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))  # as actions/checkout does
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target, scenario = clone / "scenarios" / "baselines" / "pair.json", clone / "scenarios" / "pair.yaml"
    result = check(clone / "scenarios")
    assert result.exit_code == 2
    assert result.output.splitlines()[1].strip() == (
        f"no baseline at {target}, and this is a shallow clone, whose cut history cannot tell whether it was deleted "
        f"(a deletion in its first commit does not show): fetch the whole history with git -C {clone} fetch "
        "--unshallow (with actions/checkout: fetch-depth: 0) and check again, to be told the commit to restore it "
        f"from; only for a scenario that needs a new baseline, write one from this run with stockpile check --update "
        f"{scenario} (for a deleted baseline that would hide the deletion)"
    )
    # pasted from another folder, the printed command fetches the history; the check then names the commit
    fetch = printed_command(result.output, "fetch the whole history with ")
    assert fetch == ["git", "-C", str(clone), "fetch", "--unshallow"]
    subprocess.run(fetch, cwd=elsewhere, capture_output=True, check=True)
    again = check(clone / "scenarios")
    holder = git(clone, "rev-parse", "--short=12", "HEAD^").strip()  # the commit before the deletion
    restore = printed_command(again.output, "restore it with ")
    assert restore == ["git", "-C", str(clone), "checkout", holder, "--", "scenarios/baselines/pair.json"]
    subprocess.run(restore, cwd=elsewhere, capture_output=True, check=True)
    assert target.read_bytes() == kept and check(clone / "scenarios").exit_code == 0


# --- 2. the git look-ups of many missing baselines: one walk of the history ----------------------------


def test_many_new_scenarios_ask_git_once_for_their_history_not_once_each(tmp_path, pair_repo, monkeypatch):
    git(pair_repo, "init", "-q")
    git(pair_repo, "add", ".")
    git(pair_repo, "commit", "-qm", "pair")
    for name in ("a", "b", "c"):  # three new scenarios: git's history never held their baselines
        shutil.copy(pair_repo / "pair.yaml", pair_repo / f"{name}.yaml")
    commands: list[list[str]] = []
    popen = subprocess.Popen  # subprocess.run starts its process with it too

    def counted(args, *rest, **options):
        commands.append([str(a) for a in args])
        return popen(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", counted)
    result = check(pair_repo)
    assert result.exit_code == 2
    assert [line.strip() for line in result.output.splitlines() if line.startswith(" ")] == [
        f"no baseline at {pair_repo}/baselines/{name}.json, nor in the git history (a new scenario): write it with "
        f"stockpile check --update {pair_repo}/{name}.yaml"
        for name in ("a", "b", "c")
    ]
    # one rev-parse for the one baselines folder, one log of the three files (once per file before: 6 commands)
    assert [c[c.index("-C") + 2] for c in commands if c[0] == "git"] == ["rev-parse", "log"]
    (log,) = [c for c in commands if "log" in c]
    assert log[-3:] == ["baselines/a.json", "baselines/b.json", "baselines/c.json"]


# --- 4. the advice for a renamed scenario keeps --baselines and names the old baseline's path ------------


def test_the_renamed_scenario_advice_pasted_writes_into_the_baselines_folder_checked(tmp_path, pair_tree):
    folder, baselines = tmp_path / "sc", tmp_path / "my bl"
    folder.mkdir()
    shutil.copy(pair_tree / "pair.yaml", folder / "a.yaml")
    assert check("--update", "--baselines", baselines, folder).exit_code == 0
    (folder / "a.yaml").rename(folder / "b.yaml")  # its name: pair, unchanged
    result = check("-q", "--baselines", baselines, folder)
    assert result.exit_code == 2
    old = baselines / "a.json"
    assert result.output.splitlines()[3].strip() == (
        f"{old}: its scenario file a.yaml is gone, and {folder}/b.yaml has its name: and no baseline (renamed?): "
        f"write the new baseline with stockpile check --update --baselines '{baselines}' {folder}/b.yaml and delete "
        f"'{old}' in the same commit"
    )
    words = shlex.split(result.output.split("write the new baseline with stockpile check ")[1].split(" and delete")[0])
    assert check(*words).exit_code == 0  # pasted: it writes my bl/b.json, not sc/baselines/b.json
    assert (baselines / "b.json").is_file() and not (folder / "baselines").exists()
    Path(shlex.split(result.output.split(" and delete ")[1].split(" in the same commit")[0])[0]).unlink()
    assert check("--baselines", baselines, folder).exit_code == 0
    # --update names the orphan by its path too
    (folder / "b.yaml").rename(folder / "c.yaml")
    update = check("--update", "--baselines", baselines, folder)
    assert update.output.splitlines()[1] == (
        f"orphan       {baselines}/b.json: same scenario hash as {folder}/c.yaml (renamed?): delete "
        f"'{baselines}/b.json' in the same commit"
    )


# --- 7. a --baselines folder that does not exist is the option's error, in every format --------------


def test_a_missing_baselines_folder_is_no_scenario_in_json_junit_or_annotations(pair_repo, tmp_path, monkeypatch):
    typo = pair_repo / "baseline"  # for baselines/
    why = f"{typo}: --baselines: no such folder; did you mean '{pair_repo}/baselines'?"
    junit = tmp_path / "check.xml"
    result = check("--format", "json", "--junit", junit, "--baselines", typo, pair_repo)
    assert result.exit_code == 2
    (outcome,) = json.loads(result.output)
    assert (outcome["scenario"], outcome["file"], outcome["status"], outcome["message"]) == (
        "--baselines",
        "",
        "error",
        why,
    )
    (case,) = ElementTree.parse(junit).getroot().findall("testsuite/testcase")
    assert (case.get("name"), case.get("file"), case.find("error").get("message")) == ("--baselines", "", why)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    github = check("--format", "github", "--baselines", typo, pair_repo)
    assert github.output.splitlines()[0] == (
        f"::error title=stockpile check%3A error in --baselines::{why}"  # no file=: no file is at fault
    )
    # --update names the near folder too, as the check does
    update = check("--update", "--baselines", typo, pair_repo)
    assert update.output.splitlines()[1] == (
        f"new folder   {typo}: the --baselines folder did not exist and was created; if you meant an existing folder "
        f"(did you mean '{pair_repo}/baselines'?), delete this one and update again with its name"
    )


def test_the_empty_summary_note_goes_to_standard_error_with_format_markdown(pair_repo):
    result = CliRunner().invoke(main, ["check", "--format", "markdown", "--summary", "", str(pair_repo)])
    assert result.exit_code == 0
    assert result.stdout.startswith("### Scenario check: all 1 match their baselines\n")  # the document alone
    assert result.stderr == (
        "note: --summary is empty (is $GITHUB_STEP_SUMMARY unset, outside GitHub Actions?): no summary written\n"
    )


def test_outside_git_a_new_scenarios_first_advice_is_the_update(tmp_path, pair_tree):
    assert subprocess.run(["git", "-C", str(tmp_path), "rev-parse"], capture_output=True).returncode != 0
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(pair_tree / "pair.yaml", folder / "new.yaml")
    result = check(folder)
    assert result.output.splitlines()[1].strip() == (
        f"no baseline at {folder}/baselines/new.json: for a new scenario, write it with stockpile check --update "
        f"{folder}/new.yaml; if a baseline was deleted, restore it from your copy instead (no git history could be "
        "read here; an update would hide the deletion)"
    )


# --- 6. Markdown advice: escaped, a paragraph each ------------------------------------------------------


def test_markdown_advice_escapes_paths_and_gives_each_hint_its_own_paragraph(tmp_path, pair_tree, monkeypatch):
    monkeypatch.chdir(tmp_path)  # relative paths: the expected lines are written out whole
    folder = Path("weird dir")
    folder.mkdir()
    for name in ("<amp&>", "star*_x_", "plain"):
        shutil.copy(pair_tree / "pair.yaml", folder / f"{name}.yaml")
    assert check("--update", folder).exit_code == 0
    for name in ("<amp&>", "star*_x_"):
        test_check.edit(folder / f"{name}.yaml", horizon_days=50)  # edited: their numbers move
    _spoil(folder / "baselines" / "plain.json", total_shortfall_t=5000.0)  # the code moved it
    summary = tmp_path / "summary.md"
    result = check("--format", "markdown", "--summary", summary, folder)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    edited = lines.index(
        "If the scenario edits are intended, update their baselines in the same commit: stockpile check --update "
        "'weird dir/\\<amp\\&\\>.yaml' 'weird dir/star\\*\\_x\\_.yaml'"
    )
    assert lines[edited - 1 : edited + 4] == [
        "",
        lines[edited],
        "",
        "Numbers of unchanged scenarios moved with the code or the package version: find out why before updating "
        "(never update blindly); then update one baseline with: stockpile check --update 'weird dir/plain.yaml'",
        "",
    ]
    assert lines[edited + 4].startswith("3 scenarios of weird dir/ checked in ")
    assert summary.read_text().splitlines()[edited] == lines[edited]  # the --summary file says the same


# --- test gap: a path holding a single quote, pasted ------------------------------------------------------


def test_a_command_naming_a_path_with_a_single_quote_can_be_pasted(tmp_path, pair_tree):
    folder = tmp_path / "it's dir"
    folder.mkdir()
    scenario = folder / "it's mine.yaml"
    shutil.copy(pair_tree / "pair.yaml", scenario)
    assert check("--update", folder).exit_code == 0
    _spoil(folder / "baselines" / "it's mine.json", total_shortfall_t=5000.0)  # the code moved it: 5000 -> 5940 t
    result = check(folder)
    assert result.exit_code == 1
    hint = "then update one baseline with: stockpile check "
    words = shlex.split(next(line for line in result.output.splitlines() if hint in line).split(hint)[1])
    assert words == ["--update", str(scenario)]  # the quote survives the shell's reading
    assert check(*words).exit_code == 0 and check(folder).exit_code == 0
