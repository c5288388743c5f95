"""stockpile check: a baseline of another scenario, and options --update would ignore (audit findings).

The tiny two-member scenario ``pair`` of ``tests/test_check.py`` (about 0.1 s a run):
its ``name:`` does not change its numbers, so a baseline of ``pair`` matches ``twin_pair``
(``pair`` under another name) number by number, the case that passed unnoticed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import assert_bad_input
from tests.test_check import baselined, check, pair_yaml


@pytest.fixture(scope="module")
def twins_tree(tmp_path_factory) -> Path:
    """``pair`` and ``twin_pair`` (the same scenario under another name) with their baselines (made once)."""
    folder = tmp_path_factory.mktemp("twins") / "scenarios"
    folder.mkdir()
    (folder / "pair.yaml").write_text(pair_yaml())
    (folder / "twin_pair.yaml").write_text(pair_yaml(name="twin_pair"))
    return baselined(folder)


@pytest.fixture
def twins(tmp_path: Path, twins_tree: Path) -> Path:
    """A test's own copy of the twins' tree, free to edit."""
    return Path(shutil.copytree(twins_tree, tmp_path / "scenarios"))


def test_a_baseline_copied_from_another_scenario_is_an_error_naming_the_file_and_both_names(twins):
    assert check(twins).exit_code == 0  # the two baselines agree number by number, but for their names
    pair = json.loads((twins / "baselines" / "pair.json").read_text())
    twin = json.loads((twins / "baselines" / "twin_pair.json").read_text())
    assert (pair["scenario"], twin["scenario"]) == ("pair", "twin_pair")
    assert pair["metrics"] == twin["metrics"] and pair["curves"] == twin["curves"]
    target = twins / "baselines" / "twin_pair.json"
    shutil.copy(twins / "baselines" / "pair.json", target)  # a team copies a baseline under another name
    result = check(twins)
    assert_bad_input(
        result,
        "ok           pair\n",
        "error        twin_pair\n",
        f"{target}: scenario: the baseline of scenario 'pair', not of 'twin_pair' (name: in {twins}/twin_pair.yaml)",
        f"If the name was changed on purpose, rewrite the baseline: stockpile check --update {twins}/twin_pair.yaml\n",
        f"2 scenario(s) of {twins}/ checked in ",
    )
    assert result.output.splitlines()[-1].endswith(": 1 ok, 1 error")
    outcomes = json.loads(check("--format", "json", twins / "twin_pair.yaml").output)
    assert [(o["scenario"], o["status"], o["drifts"]) for o in outcomes] == [("twin_pair", "error", [])]


def test_a_wrong_baselines_folder_fails_with_the_option_in_the_command_that_rewrites(twins, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "pair.yaml").write_text(pair_yaml(name="pair_b"))  # the same numbers under another name
    result = check("--baselines", twins / "baselines", other / "pair.yaml")
    assert_bad_input(
        result,
        f"{twins}/baselines/pair.json: scenario: the baseline of scenario 'pair', not of 'pair_b'",
        f"stockpile check --update --baselines {twins}/baselines {other}/pair.yaml\n",
    )


def test_a_name_changed_on_purpose_passes_once_its_baseline_is_rewritten(twins):
    (twins / "pair.yaml").write_text(pair_yaml(name="pair_renamed"))
    assert_bad_input(check(twins / "pair.yaml"), "the baseline of scenario 'pair', not of 'pair_renamed'")
    result = check("--update", twins / "pair.yaml")
    assert result.exit_code == 0, result.output
    # no number moved; the fields that did are named (the name is one of the hashed parts)
    fields = "0 numbers changed; scenario, scenario_hash, scenario_parts"
    assert f"updated      {twins}/baselines/pair.json ({fields})\n" in result.output
    assert json.loads((twins / "baselines" / "pair.json").read_text())["scenario"] == "pair_renamed"
    assert check(twins).exit_code == 0
