"""A sweep file read as a scenario is named as one, in one line saying where it belongs (audit s50 item 12).

Before, a sweep file left in a scenario folder got one "is required" per missing scenario field
and one "unknown key" per sweep key (8 lines for the docs' example, among them "grid: unknown
key; did you mean 'id'?"). A folder whose name starts with '_' (``scenarios/_sweeps/``) is
skipped by ``check``, ``validate`` and ``list``, as docs/ci.md says. A scenario that is
merely malformed keeps its ordinary messages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import TINY_SCENARIO_TEXT, assert_bad_input, invoke, scenario_folder

SWEEP_FILE = """\
# studies/ratio_mc.yaml (docs/getting-started-research.md)
scenario: scenarios/embargo_stochastic.yaml
grid:
  agreement.ratio.japan: "0:1:0.1"
  agreement.pool.contributions.eu.heavy_ree.days: [30, 60, 90]
runs: 200
seed: 7
set:
  agreement.release_cap_t_per_day.heavy_ree: 0.05
"""


def not_a_scenario(folder: Path) -> str:
    """The one line for the docs' sweep file in ``folder``: the skipped folder it names is beside the file."""
    return (
        "not a scenario: it looks like a sweep file (it has grid and runs, no name, horizon_days, materials, "
        "suppliers or regions); run it with stockpile sweep --spec FILE and keep it outside the scenario folder "
        f"or in {folder}/_sweeps/ (check, validate and list skip folders whose name starts with '_')"
    )


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """scenarios/ holding TINY (tiny.yaml) and the docs' sweep file (ratio_mc.yaml); nothing may simulate."""
    return scenario_folder(tmp_path, monkeypatch, {"tiny.yaml": TINY_SCENARIO_TEXT, "ratio_mc.yaml": SWEEP_FILE})


def _lines_about(output: str, path: Path) -> list[str]:
    return [line for line in output.splitlines() if str(path) in line]


def test_validate_of_the_folder_says_in_one_line_that_the_sweep_file_is_not_a_scenario(folder: Path) -> None:
    sweep = folder / "ratio_mc.yaml"
    result = invoke("validate", folder)
    assert_bad_input(result, f"error: {sweep}: {not_a_scenario(folder)}", f"{folder / 'tiny.yaml'}: ok")
    assert _lines_about(result.output, sweep) == [f"error: {sweep}: {not_a_scenario(folder)}"]
    assert "is required" not in result.output
    assert "unknown key" not in result.output


def test_in_scenarios_sweeps_it_is_skipped(folder: Path) -> None:
    # the place the message (and docs/ci.md) gives: check, validate and list skip it there
    (folder / "_sweeps").mkdir()
    (folder / "ratio_mc.yaml").rename(folder / "_sweeps" / "ratio_mc.yaml")
    result = invoke("validate", folder)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"{folder / 'tiny.yaml'}: ok"]


def test_check_names_the_file_with_the_one_line(folder: Path) -> None:
    (folder / "tiny.yaml").unlink()
    result = invoke("check", folder)
    assert_bad_input(result, f"{folder / 'ratio_mc.yaml'}: {not_a_scenario(folder)}")
    assert "is required" not in result.output


def test_run_of_a_sweep_file(folder: Path, tmp_path: Path) -> None:
    result = invoke("run", folder / "ratio_mc.yaml", "-o", tmp_path / "out")
    assert_bad_input(result, f"error: {folder / 'ratio_mc.yaml'}: {not_a_scenario(folder)}")
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a scenario with a sweep key: a scenario, malformed (it has a name)
        (
            TINY_SCENARIO_TEXT.replace("horizon_days: 40\n", "grid: {seed: [1, 2]}\n"),
            ["horizon_days: is required", "grid: unknown key; did you mean 'id'?"],
        ),
        # none of a scenario's keys, but none of a sweep file's either: the ordinary messages
        ("nme: tiny\nhorizon: 40\n", ["name: is required", "regions: is required", "nme: unknown key"]),
    ],
)
def test_a_malformed_scenario_keeps_the_ordinary_messages(tmp_path: Path, text: str, expected: list[str]) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text)
    result = invoke("validate", path)
    assert_bad_input(result, *(f"error: {path}: {line}" for line in expected))
    assert "not a scenario" not in result.output
