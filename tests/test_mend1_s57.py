"""Session 57 mends of a review of 7bc02a66..02318110 (links, report words, overrides, plot-sweep).

Each test states what was printed or done before its mend.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import assert_bad_input, invoke

# --- 1. a loop of links is one, said the same way by list, check and run --------------------------

LOOP = "a loop of symbolic links"


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    """``loopa.yaml -> loopb.yaml -> loopa.yaml`` in a folder of their own: both targets exist."""
    folder = tmp_path / "loop"
    folder.mkdir()
    os.symlink("loopb.yaml", folder / "loopa.yaml")
    os.symlink("loopa.yaml", folder / "loopb.yaml")
    return folder / "loopa.yaml"


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (["list"], "not a folder: it is "),
        (["check"], "neither a scenario file nor a folder: it is "),
        (["run", "--no-plots"], ""),
    ],
)
def test_a_loop_of_links_is_said_to_be_one_by_each_command(tmp_path, loop, command, words):
    """list and check said "a broken symbolic link to loopb.yaml, which does not exist" (it exists);
    run said "cannot read: [Errno 40] Too many levels of symbolic links"."""
    result = invoke(*command, loop, *(["-o", tmp_path / "out"] if command[0] == "run" else []))
    assert_bad_input(result, f"{loop}: {words}{LOOP}")
    assert "broken" not in result.output
    assert "Errno" not in result.output


def test_list_and_check_of_the_folder_say_each_link_is_in_a_loop(loop):
    """Both said "cannot read: [Errno 40] Too many levels of symbolic links: '...loopa.yaml'" of each file."""
    for command in ("list", "check"):
        result = invoke(command, loop.parent)
        for name in ("loopa.yaml", "loopb.yaml"):
            assert f"{loop.parent / name}: " in result.output
        assert result.output.count(LOOP) == 2
        assert "Errno" not in result.output
