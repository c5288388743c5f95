"""``--compare BASELINE`` of ``run`` and ``report`` names a scenario as SCENARIO does (policy audit s51, item 2).

A bare name is looked up in ./scenarios (and the shipped library), a close typo is answered
with "did you mean", and every refusal of the baseline names the option ``--compare``.
Before, a bare name was taken as a path: "embargo_2010_historical: file not found", naming
neither the option nor a fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import TWO_MEMBERS, assert_bad_input, build, invoke


def write_yaml(folder: Path, data: dict[str, Any], name: str) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A working folder with ./scenarios/base.yaml (named 'base_pair') and a scenario s.yaml beside it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    write_yaml(tmp_path / "scenarios", build(TWO_MEMBERS, name="base_pair"), "base.yaml")
    return write_yaml(tmp_path, TWO_MEMBERS, "s.yaml")


def test_run_compare_takes_a_bare_name_from_the_scenarios_folder(here, tmp_path):
    result = invoke("run", here, "--compare", "base", "--no-plots", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "against base_pair:" in result.output  # the baseline was found and run


def test_report_compare_takes_a_bare_name_from_the_scenarios_folder(here, tmp_path):
    result = invoke("report", here, "--compare", "base.yaml", "-o", tmp_path / "r.html")
    assert result.exit_code == 0, result.output
    assert "base_pair" in (tmp_path / "r.html").read_text()  # compared against it


@pytest.mark.parametrize("command", ["run", "report"])
def test_a_typo_in_the_baseline_names_the_option_and_the_close_name(here, tmp_path, command):
    result = invoke(command, here, "--compare", "bsae", "-o", tmp_path / "out.html")
    assert_bad_input(result, "error: bsae: --compare: file not found, nor a scenario of that name; did you mean 'base'")
    assert not (tmp_path / "out.html").exists()


@pytest.mark.parametrize("command", ["run", "report"])
def test_a_missing_baseline_file_names_the_option(here, tmp_path, command):
    result = invoke(command, here, "--compare", tmp_path / "none.yaml", "-o", tmp_path / "out.html")
    assert_bad_input(result, f"error: {tmp_path / 'none.yaml'}: --compare: file not found")


def test_a_bare_name_found_nowhere_says_where_it_was_looked_for(here, tmp_path):
    result = invoke("report", here, "--compare", "zzzzzz", "-o", tmp_path / "r.html")
    assert_bad_input(result, "error: zzzzzz: --compare: file not found here, nor as zzzzzz.yaml or zzzzzz.yml")
