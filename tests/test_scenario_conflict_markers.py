"""A scenario (or sweep) file holding git's merge conflict markers is named as such (audit s50 item 11).

Without this, YAML reports the first marker as "a line with no ':' where a key is expected",
while a baseline with the same markers says "merge conflict markers from line N". Each
command refuses the file with exit 2, naming it and the line of the first marker, and runs
nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.scenario.strict_yaml import conflict_line
from tests.helpers import TINY_SCENARIO_TEXT, assert_bad_input, invoke, scenario_folder

LINES = TINY_SCENARIO_TEXT.splitlines()
HORIZON = LINES.index("horizon_days: 40")  # 0-based: line 3 of the file
assert HORIZON == 2


def horizon(*lines: str) -> str:
    """TINY with ``lines`` in place of its horizon line (line 3)."""
    return "\n".join([*LINES[:HORIZON], *lines, *LINES[HORIZON + 1 :]])


CONFLICTED = horizon("<<<<<<< HEAD", "horizon_days: 40", "=======", "horizon_days: 60", ">>>>>>> longer")
"""TINY with both sides of a merge of its horizon: the first marker on line 3."""

DIFF3 = horizon(
    "<<<<<<< ours",
    "horizon_days: 40",
    "||||||| base",
    "horizon_days: 30",
    "=======",
    "horizon_days: 60",
    ">>>>>>> theirs",
)

MESSAGE = (
    "merge conflict markers from line 3: resolve the merge (keep one side and delete the <<<<<<<, ======= and "
    ">>>>>>> lines)"
)


@pytest.fixture
def conflicted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return scenario_folder(tmp_path, monkeypatch, {"tiny.yaml": CONFLICTED}) / "tiny.yaml"


def test_validate_names_the_markers_and_their_line(conflicted: Path) -> None:
    result = invoke("validate", conflicted)
    assert_bad_input(result, f"{conflicted}: {MESSAGE}")
    assert "malformed YAML" not in result.output
    assert result.output.count("error") == 1


def test_run_names_the_markers(conflicted: Path, tmp_path: Path) -> None:
    result = invoke("run", conflicted, "-o", tmp_path / "out")
    assert_bad_input(result, f"{conflicted}: {MESSAGE}")
    assert not (tmp_path / "out").exists()


def test_check_of_the_folder_names_the_file_and_the_markers(conflicted: Path) -> None:
    result = invoke("check", conflicted.parent)
    assert_bad_input(result, f"{conflicted}: {MESSAGE}")
    assert "malformed YAML" not in result.output


def test_a_sweep_file_with_markers(conflicted: Path, tmp_path: Path) -> None:
    conflicted.write_text(TINY_SCENARIO_TEXT)
    spec = tmp_path / "sweep.yaml"
    spec.write_text(
        f"scenario: {conflicted}\ngrid:\n<<<<<<< HEAD\n  horizon_days: [30, 40]\n=======\n"
        "  horizon_days: [50, 60]\n>>>>>>> b\n"
    )
    result = invoke("sweep", "--spec", spec, "-o", tmp_path / "out")
    assert_bad_input(result, f"{spec}: merge conflict markers from line 3:")


def test_the_diff3_style_and_a_left_over_separator_are_found() -> None:
    assert conflict_line(DIFF3) == 3
    # one side and its <<<<<<< line deleted by hand, the ======= and >>>>>>> left: from line 4
    assert conflict_line(horizon("horizon_days: 40", "=======", ">>>>>>> longer")) == 4


def test_a_separator_alone_is_valid_yaml_and_read(tmp_path: Path) -> None:
    """A quoted description running over lines may hold ``=======`` from a line's start (an underline): valid
    YAML, read as before; it was refused as a merge conflict from line 2 (review s50)."""
    text = TINY_SCENARIO_TEXT.replace("start_date:", 'description: "Notes\n=======\nA long embargo."\nstart_date:')
    path = tmp_path / "tiny.yaml"
    path.write_text(text)
    result = invoke("validate", path)
    assert result.exit_code == 0, result.output
    assert conflict_line(text) is None


def test_text_that_only_looks_like_a_marker_is_read(tmp_path: Path) -> None:
    # an underline in a description (indented), an arrow in a quoted value, eight '<': not markers
    text = TINY_SCENARIO_TEXT.replace(
        "start_date:", "description: |\n  Title\n  =======\n  '>>>>>>> x' <<<<<<< y\nstart_date:"
    )
    path = tmp_path / "tiny.yaml"
    path.write_text(text)
    result = invoke("validate", path)
    assert result.exit_code == 0, result.output
    assert conflict_line(text) is None
    assert conflict_line("<<<<<<<<\n========\n>>>>>>>>x") is None
