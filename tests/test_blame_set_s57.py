"""compare, sensitivity and calibrate say a ``--set``'s problem of that ``--set``, as run, sweep and explore do.

tiny.yaml has no agreement: ``--set agreement.ratio.japan=0.3`` makes one without members.
Before, compare and sensitivity said ``tiny.yaml: agreement.members: is required``, of a file
that has no agreement at all (calibrate named the ``--set`` but read the file twice); now every
command names the ``--set`` that made the mapping, from the file read once.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import TINY_SCENARIO_TEXT, assert_bad_input, invoke

COMMANDS = {
    "compare": ["--no-plots"],
    "sensitivity": ["--samples", "4"],
    "calibrate": ["--record", "record.csv", "--fit", "agreement.ratio.japan=0:1"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_problem_in_a_mapping_a_set_made_is_said_of_the_set(tmp_path: Path, monkeypatch, command: str) -> None:
    monkeypatch.chdir(tmp_path)
    Path("tiny.yaml").write_text(TINY_SCENARIO_TEXT)
    Path("record.csv").write_text("date,quantity,value\n2010-01-05,price.light_ree,10\n")
    result = invoke(command, "tiny.yaml", "--set", "agreement.ratio.japan=0.3", *COMMANDS[command], "-o", "out")
    assert_bad_input(result)
    assert result.output == "error: tiny.yaml [set agreement.ratio.japan=0.3]: agreement.members: is required\n"
    assert not os.path.lexists("out")
