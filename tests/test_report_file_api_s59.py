"""``simulator.report`` names an unwritable report file as ``stockpile report`` does: the file given, not its folder.

Session 59: the command said ``/proc/x.html: cannot write this file: cannot create x.html in /proc: ...`` while
the API still said ``/proc: cannot write to output folder: cannot create a file in /proc: ...``.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import simulator
from simulator.cli import main
from tests.helpers import ROOT

SCENARIO = str(ROOT / "scenarios" / "embargo_2010.yaml")


@pytest.mark.parametrize("where", ["/proc/x.html", "{blocker}/x.html"], ids=["system-folder", "under-a-file"])
def test_the_api_and_the_command_name_the_report_file(tmp_path, where):
    blocker = tmp_path / "file"
    blocker.write_text("mine")
    path = where.format(blocker=blocker)
    with pytest.raises(simulator.InputError) as raised:
        simulator.report(SCENARIO, path)
    said = str(raised.value)
    assert said.startswith(f"{path}: cannot write this file: "), said
    command = CliRunner().invoke(main, ["report", SCENARIO, "-o", path])
    assert command.exit_code == 2
    assert command.output == f"error: {said}\n"
    assert blocker.read_text() == "mine"
