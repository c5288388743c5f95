"""stockpile check as a CI user meets it (gate audit 3): stale baselines, causes, ordering, next steps.

The tiny two-member scenario ``pair`` of ``tests/test_check.py`` (about 0.1 s a run): 60 days,
Japan short 20 t a day and the EU 80 t, a 60 t pool: 6000 - 60 = 5940 t short in all. It
draws no random number, so its seed moves nothing.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path

import yaml

from simulator.version import __version__
from tests import test_check
from tests.helpers import assert_bad_input
from tests.test_check import ONE_REGION, _spoil, check, edit, pair_yaml

pair_tree, pair_repo = test_check.pair_tree, test_check.pair_repo
"""``pair`` alone with its baseline, and a test's own copy (the fixtures of test_check)."""

CODE_ADVICE = (
    "Numbers of unchanged scenarios moved with the code or the package version: find out why before updating "
    "(never update blindly); then update one baseline with: stockpile check --update {file}"
)
EDITED_ADVICE = (
    "If the scenario edits are intended, update their baselines in the same commit: stockpile check --update {file}"
)


def described(repo: Path, text: str) -> Path:
    """``pair.yaml`` of ``repo`` with the description ``text`` (returned: the scenario file)."""
    scenario = repo / "pair.yaml"
    scenario.write_text(pair_yaml(description=text))
    return scenario


# --- 2. edits that move no number ---------------------------------------------------------------


def test_an_edit_that_passes_says_its_baseline_predates_it_and_gives_the_command_that_records_it(pair_repo):
    scenario = pair_repo / "pair.yaml"
    edit(scenario, seed=7)  # pair draws no random number: the same 5940 t short
    result = check(pair_repo)
    assert result.exit_code == 0, result.output
    command = f"stockpile check --update {scenario}"
    assert result.output.splitlines()[0] == (
        "ok           pair (scenario changed since its baseline: seed 0 -> 7; no number moved beyond its tolerance, "
        "but the baseline "
        f"predates the edit: record it with {command})"
    )
    assert result.output.splitlines()[-2] == (
        "Scenario edits that moved no number beyond its tolerance are not in their baselines yet: record them in the "
        f"same commit, so that a later drift is not blamed on them: {command}"
    )
    (outcome,) = json.loads(check("--format", "json", pair_repo).output)
    assert outcome["cause"].endswith(f"baseline predates the edit: record it with {command}")
    # the command does record it: the check is then plain ok, with no advice
    assert check("--update", scenario).exit_code == 0
    assert json.loads((pair_repo / "baselines" / "pair.json").read_text())["seed"] == 7
    result = check(pair_repo)
    assert result.output.splitlines()[0] == "ok           pair" and "record them" not in result.output


def test_a_drift_beside_a_description_edit_is_the_codes_not_the_edits(pair_repo):
    scenario = described(pair_repo, "Two members.")
    assert check("--update", scenario).exit_code == 0
    described(pair_repo, "Two members share a 60 t pool.")  # a text the run never reads
    # the code moves the numbers: the baseline says 5000 t short where the run gives 5940 t
    _spoil(pair_repo / "baselines" / "pair.json", total_shortfall_t=5000.0)
    result = check(pair_repo)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        "drift        pair: 1 number moved (scenario unchanged but for description (not read by the run), "
        f"package version {__version__} unchanged: the code moved the numbers)"
    )
    assert lines[-2] == CODE_ADVICE.format(file=scenario)
    assert EDITED_ADVICE.format(file=scenario) not in result.output
    (outcome,) = json.loads(check("--format", "json", pair_repo).output)
    assert outcome["scenario_changed_since_baseline"] is True and outcome["inputs_changed_since_baseline"] is False
    # an input edited beside the text is the cause again
    edit(scenario, horizon_days=50)
    (outcome,) = json.loads(check("--format", "json", pair_repo).output)
    assert outcome["scenario_changed_since_baseline"] is True and outcome["inputs_changed_since_baseline"] is True
    lines = check(pair_repo).output.splitlines()
    assert lines[0].endswith("(scenario changed since its baseline: description, horizon_days)"), lines[0]
    assert lines[-2] == EDITED_ADVICE.format(file=scenario)


# --- 3. a new package version beside a scenario edit --------------------------------------------


def test_a_new_package_version_is_named_beside_a_scenario_edit(pair_repo):
    _spoil(pair_repo / "baselines" / "pair.json", package_version="0.0.1")
    edit(pair_repo / "pair.yaml", horizon_days=50)
    result = check(pair_repo)
    assert result.exit_code == 1
    assert result.output.splitlines()[0].endswith(
        f"(scenario changed since its baseline: horizon_days; package version 0.0.1 -> {__version__})"
    ), result.output
    (outcome,) = json.loads(check("--format", "json", pair_repo).output)
    assert (
        outcome["cause"] == f"scenario changed since its baseline: horizon_days; package version 0.0.1 -> {__version__}"
    )


# --- 8. a part moved from or to its default changed; only a named entry is added or removed ---------


def test_a_part_moved_from_its_default_is_changed_in_json_and_text_and_a_new_shock_is_added(pair_repo):
    scenario = pair_repo / "pair.yaml"
    edit(scenario, seed=7, description="Two members.")  # both at their defaults (0, "") in the baseline
    result = check(pair_repo)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok           pair (scenario changed since its baseline: description; seed 0 -> 7;")
    (outcome,) = json.loads(check("--format", "json", pair_repo).output)
    assert outcome["changed_parts"] == [
        {"part": "description", "change": "changed"},
        {"part": "seed", "change": "changed"},
    ]
    # and back to the defaults, against a baseline that recorded them
    assert check("--update", scenario).exit_code == 0
    scenario.write_text(pair_yaml())
    (outcome,) = json.loads(check("--format", "json", pair_repo).output)
    assert outcome["changed_parts"] == [
        {"part": "description", "change": "changed"},
        {"part": "seed", "change": "changed"},
    ]
    # a shock is an entry the scenario names: it is added
    data = yaml.safe_load(scenario.read_text())
    data["shocks"].append({**data["shocks"][0], "id": "second", "start": 30, "end": 40})
    scenario.write_text(yaml.safe_dump(data))
    (outcome,) = json.loads(check("--format", "json", pair_repo).output)
    assert {"part": "shocks.second", "change": "added"} in outcome["changed_parts"]


# --- 4. the drift table's order does not mix units ------------------------------------------------


def test_moves_off_zero_rank_shortfalls_first_whatever_the_size_of_other_units():
    from simulator.gate.compare import Drift, Outcome
    from simulator.gate.formats import MOST_ROWS, moved_summary, text_table

    # 30 regions each spend 1e6 USD more at auction (0 -> 1e6), and the EU runs 244.303 t short (0 before): the
    # absolute change of the USD numbers (1e6) outranked the tonnes (244.303), and the shortfalls fell out of
    # the 25 rows shown
    spend = [Drift("s", f"r{i:02}", "all", "auction_spend_usd", 0.0, 1e6) for i in range(30)]
    short = [
        Drift("s", "all", "all", "total_shortfall_t", 0.0, 244.303),
        Drift("s", "eu", "light_ree", "shortfall_t", 0.0, 232.036),
        Drift("s", "eu", "heavy_ree", "shortfall_t", 0.0, 12.2674),
    ]
    relative = [Drift("s", "eu", "ree", "fairness_jain", 1.0, 0.5)]  # -50%: after every move off 0
    outcome = Outcome("s", "s.yaml", "drift", [*relative, *spend, *short])
    rows = [line.split() for line in text_table([outcome]).splitlines()[1:]]
    assert [row[3] for row in rows[:4]] == ["total_shortfall_t", "shortfall_t", "shortfall_t", "auction_spend_usd"]
    assert [row[7] for row in rows[1:3]] == ["232.036", "12.2674"]  # one metric, one unit: the larger move first
    hidden = len(spend) + len(short) + len(relative) - MOST_ROWS
    assert rows[-1] == ["s:", str(hidden), "more", "rows", "not", "shown", "(--format", "json", "lists", "all)"]
    assert "fairness_jain" not in text_table([outcome])  # the last of them: -50% is a relative change
    # the one-line headline still leads with the total shortfall
    assert "largest: total_shortfall_t 0 -> 244.303 (+244.303), shortfall_t eu/light_ree 0 -> 232.036" in (
        moved_summary(outcome)
    )


# --- 5. a deleted baseline is not only a new scenario's ------------------------------------------


def test_a_deleted_baseline_says_how_to_restore_it_from_git_and_the_command_works(pair_repo):
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=pair_repo, capture_output=True, text=True, check=True)
        return done.stdout

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "scenarios", "--allow-empty")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "pair")
    target = pair_repo / "baselines" / "pair.json"
    kept = target.read_bytes()
    added = git("rev-parse", "--short=12", "HEAD").strip()  # the commit that holds the baseline

    def restore_command() -> list[str]:
        result = check(pair_repo)
        assert result.exit_code == 2
        message = result.output.splitlines()[1].strip()
        assert message == (
            f"no baseline at {target}: deleted; git commit {added} has it: restore it with git -C {pair_repo} checkout "
            f"{added} -- baselines/pair.json; only for a scenario that needs a new baseline, write one from this run "
            "with stockpile check "
            f"--update {pair_repo}/pair.yaml (for a deleted baseline that would hide the deletion)"
        )
        return shlex.split(message.split("restore it with git ")[1].split(";")[0])

    # deleted in the work tree: the command restores the file as it was, and the check passes again
    target.unlink()
    git(*restore_command())
    assert target.read_bytes() == kept and check(pair_repo).exit_code == 0
    # deleted in a commit (as a CI checkout always sees it): the same command, naming the commit that still has it
    git("rm", "-q", str(target))
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "drop the baseline")
    git(*restore_command())
    assert target.read_bytes() == kept and check(pair_repo).exit_code == 0
    # a scenario whose baseline git never held is new: the message says to write it
    shutil.copy(pair_repo / "pair.yaml", pair_repo / "twin.yaml")
    result = check(pair_repo / "twin.yaml")
    assert result.output.splitlines()[1].strip() == (
        f"no baseline at {pair_repo}/baselines/twin.json, nor in the git history (a new scenario): write it with "
        f"stockpile check --update {pair_repo}/twin.yaml"
    )


# --- 7. the JUnit failure says what to do ---------------------------------------------------------


def test_a_junit_failure_ends_with_the_advice_the_text_log_gives(pair_repo, tmp_path):
    from xml.etree import ElementTree

    scenario = pair_repo / "pair.yaml"
    report = tmp_path / "check.xml"
    _spoil(pair_repo / "baselines" / "pair.json", total_shortfall_t=5000.0)  # the code moved it: 5000 -> 5940 t
    result = check(pair_repo, "--junit", report)
    assert result.exit_code == 1
    (failure,) = ElementTree.parse(report).getroot().iter("failure")
    lines = failure.text.splitlines()
    assert lines[-1] == CODE_ADVICE.format(file=scenario) == result.output.splitlines()[-2]
    assert lines[1].split() == ["pair", "all", "all", "total_shortfall_t", "-", "-", "5000", "5940", "+940", "(+18.8%)"]
    assert lines[-2] == "" and len(lines) == 4  # the header, one row, a blank line, the advice
    # an edited scenario's failure gives the edit's advice; the whole table is there, so no row is 'not shown'
    edit(scenario, horizon_days=50)
    check(pair_repo, "--junit", report)
    (failure,) = ElementTree.parse(report).getroot().iter("failure")
    assert failure.text.splitlines()[-1] == EDITED_ADVICE.format(file=scenario)
    assert "not shown" not in failure.text and "--format json" not in failure.text


# --- 9. a corrupt baseline says what to do --------------------------------------------------------


def test_a_corrupt_baseline_says_to_restore_or_rewrite_it_and_the_rewrite_works(pair_repo):
    scenario, target = pair_repo / "pair.yaml", pair_repo / "baselines" / "pair.json"
    good = target.read_text()
    assert good.index('"format"') > 200  # sorted keys: the curves come first
    cases = {
        good[:200]: "corrupt baseline: Expecting",  # truncated before its format line
        "": "corrupt baseline: Expecting value: line 1 column 1 (char 0)",
        good.replace('"total_shortfall_t": 5940.0', '"total_shortfall_t": "0"'): (
            "corrupt baseline: metrics.total_shortfall_t: expected a number or null"
        ),
    }
    assert good.count('"total_shortfall_t": 5940.0') == 1
    for text, why in cases.items():
        target.write_text(text)
        result = check(pair_repo)
        assert_bad_input(result, f"{target}: {why}")
        message = result.output.splitlines()[1].strip()
        # --update replaces a damaged baseline that still names its format; another file must go first
        rewrite = "rewrite it" if '"format"' in text else "delete it and write it anew"
        assert message.endswith(
            f": restore it from version control, or {rewrite} with stockpile check --update {scenario}"
        ), message
        if '"format"' not in text:
            assert check("--update", scenario).exit_code == 2  # as the message says: not replaced
            target.unlink()
        assert check("--update", scenario).exit_code == 0 and check(pair_repo).exit_code == 0


# --- 10. a stray JSON in baselines/ is not an orphaned baseline -----------------------------------


def test_a_json_in_baselines_that_is_not_a_baseline_is_called_so_not_a_deleted_scenario(pair_repo):
    folder = pair_repo / "baselines"
    (folder / "index.json").write_text("{}\n")  # another tool's file
    result = check(pair_repo)
    message = (
        f'{folder}/index.json: not a stockpile baseline (no "format": "stockpile-baseline/2" line): {folder} holds '
        "baselines and tolerances.yaml only; move it out of the folder"
    )
    assert_bad_input(result, f"error        index\n             {message}\n")  # still fails the check, as before
    assert "index.yaml is gone" not in result.output
    last = result.output.splitlines()[-1]  # one scenario, apart from the file that is not a baseline
    assert last.startswith("1 scenario of ") and last.endswith(
        ": 1 ok; 1 file of a baselines folder not a baseline: 1 error"
    )
    # --update leaves it alone and says what it is
    result = check("--update", pair_repo)
    assert result.exit_code == 0
    assert f"orphan       {folder}/index.json: {message.split(': ', 1)[1]}\n" in result.output
    assert (folder / "index.json").read_text() == "{}\n"
    # a baseline of a deleted scenario is still told as one
    (folder / "index.json").unlink()
    (pair_repo / "pair.yaml").rename(pair_repo / "couple.yaml")
    assert f"{folder}/pair.json: its scenario file pair.yaml is gone" in check(pair_repo).output


# --- 11. the seed of a baseline is protected too --------------------------------------------------


def test_a_seed_edited_in_a_baseline_is_refused_as_an_edit(pair_repo):
    scenario, target = pair_repo / "pair.yaml", pair_repo / "baselines" / "pair.json"
    advice = f": restore it from version control, or rewrite it with stockpile check --update {scenario}"

    def with_seed(seed: int, **fields) -> None:
        data = json.loads(target.read_text())  # numbers_sha256 covers the numbers: it still matches
        data.update(seed=seed, **fields)
        target.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")

    with_seed(7)  # pair draws nothing at random: every number still matches
    assert_bad_input(
        check(pair_repo),
        f"{target}: baseline edited since it was written: its seed 7 is not the seed its scenario_parts record "
        f"(seed 0){advice}\n",
    )
    # the scenario edited too: still told from its recorded parts
    edit(scenario, horizon_days=50)
    assert_bad_input(check(pair_repo), f"{target}: baseline edited since it was written: its seed 7 is not the seed")
    # a baseline without scenario parts: against its scenario, unchanged since (the scenario hash counts the seed)
    edit(scenario, horizon_days=60)
    with_seed(7, scenario_parts=None)
    assert_bad_input(
        check(pair_repo),
        f"{target}: baseline edited since it was written: its seed 7 is not the seed 0 of its scenario, unchanged "
        f"since it was written{advice}\n",
    )
    # a seed changed in the scenario, the baseline as written: a scenario edit, which passes (nothing is random)
    assert check("--update", scenario).exit_code == 0
    edit(scenario, seed=3)
    assert check(pair_repo).output.startswith("ok           pair (scenario changed since its baseline: seed 0 -> 3;")
    assert check("--update", scenario).exit_code == 0 and check(pair_repo).output.startswith("ok           pair\n")


# --- 6. a region renamed and edited in one commit -------------------------------------------------


def test_a_region_renamed_and_edited_at_once_says_it_cannot_be_compared_and_to_rename_alone(pair_repo):
    from tests.test_check_moved import _rename_eu

    scenario = pair_repo / "pair.yaml"
    data = yaml.safe_load(scenario.read_text())
    _rename_eu(data)
    data["regions"]["europe"]["demand"]["ree"]["tonnes_per_day"] = 90  # the EU's 80 t/day: 600 t more short
    scenario.write_text(yaml.safe_dump(data, sort_keys=False))
    result = check(pair_repo)
    assert result.exit_code == 1
    note = "if region eu -> europe is a rename, it was edited too: not compared (rename in a commit of its own)"
    first = result.output.splitlines()[0]
    assert f"; region eu removed ({ONE_REGION}); region europe added (" in first
    assert first.endswith(f"; {note})"), first
    assert "pair      all     all       total_shortfall_t        -    -     5940        6540        +600 (+10.1%)" in (
        result.output
    )
    assert result.output.splitlines()[-2] == (
        "A region or material renamed and edited in one commit cannot be compared (its numbers read as removed and "
        "added, its own moves unseen): if that is what happened, rename it in a commit of its own, whose check reads "
        f"'renamed, values unchanged', and update that baseline; then edit it in another commit. Scenarios: {scenario}"
    )
    (outcome,) = json.loads(check("--format", "json", pair_repo).output)
    assert outcome["cause"].endswith(note)
    # the advice works: renamed alone, the region is matched and its moves are compared after the update
    data["regions"]["europe"]["demand"]["ree"]["tonnes_per_day"] = 80
    scenario.write_text(yaml.safe_dump(data, sort_keys=False))
    result = check(pair_repo)
    assert f"; region renamed eu -> europe, values unchanged ({ONE_REGION})" in result.output
    assert "not compared" not in result.output and "renamed and edited" not in result.output
    assert check("--update", scenario).exit_code == 0
    data["regions"]["europe"]["demand"]["ree"]["tonnes_per_day"] = 90
    scenario.write_text(yaml.safe_dump(data, sort_keys=False))
    result = check(pair_repo)
    # the region's own moves: 80 -> 90 t/day for 60 days, 4800 -> 5400 t asked, 4760 -> 5360 t short
    rows = {
        tuple(line.split()[1:4]): line.split()[6:8] for line in result.output.splitlines() if line.startswith("pair ")
    }
    assert rows[("europe", "all", "shortfall_t")] == ["4760", "5360"]
    assert rows[("europe", "all", "demand_t")] == ["4800", "5400"]
    assert "(scenario changed since its baseline: regions.europe)" in result.output.splitlines()[0]
