"""An output path that cannot be written (session 59's walkthrough): /proc refuses a new entry with
"No such file", /sys with "Operation not permitted"; both are told as the system folder they are, and
a file (a report, --junit) is named itself, not its folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from simulator.errors import InputError
from tests.helpers import assert_bad_input, invoke
from tests.test_messages_gate59 import scenario_file

SYS = pytest.mark.skipif(not os.path.isdir("/sys/kernel"), reason="needs /sys (Linux)")
PROC = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc (Linux)")
NO_NEW = "that folder's file system takes no new files or folders (a system folder such as /proc or /sys)"


@SYS
@PROC
def test_a_sweep_into_a_system_folder_says_so_as_run_does(tmp_path):
    """/proc refuses a new folder with "No such file", /sys with "Operation not permitted": one message."""
    path = scenario_file(tmp_path)
    sweep = ("sweep", "--grid", "agreement.ratio.japan=0.4,0.6", "--no-plots")
    for folder, command in (("/proc", ("run",)), ("/sys", ("run",)), ("/proc", sweep), ("/sys", sweep)):
        result = invoke(command[0], path, *command[1:], "-o", f"{folder}/nope")
        assert_bad_input(
            result, f"error: {folder}/nope: cannot write to output folder: cannot create nope in {folder}: {NO_NEW}"
        )
        assert "Operation not permitted" not in result.output


@SYS
@PROC
@pytest.mark.parametrize("given", ["/proc/x.xml", "/sys/x.xml"])
def test_a_file_that_cannot_be_written_is_named_itself_not_its_folder(given):
    from simulator.output_folder import check_file_writable

    with pytest.raises(InputError) as raised:
        check_file_writable(Path(given))
    folder, name = os.path.split(given)
    assert str(raised.value) == f"{given}: cannot write this file: cannot create {name} in {folder}: {NO_NEW}"


@PROC
def test_a_file_whose_folder_cannot_be_made_names_the_folder_that_failed(tmp_path):
    from simulator.output_folder import check_file_writable

    with pytest.raises(InputError) as raised:
        check_file_writable(Path("/proc/new/deeper/x.xml"))
    assert str(raised.value) == f"/proc/new/deeper/x.xml: cannot write this file: cannot create new in /proc: {NO_NEW}"
    blocked = tmp_path / "plain"
    blocked.write_text("a file")
    with pytest.raises(InputError) as raised:
        check_file_writable(blocked / "x.xml")
    assert str(raised.value) == f"{blocked}/x.xml: cannot write this file: {blocked} is a file, not a folder"
