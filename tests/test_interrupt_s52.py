"""A signal while the output folder's write check runs leaves no ``.write-check-`` file behind.

The check (``simulator.output_folder.check_file_writable``) makes a temporary file in the output folder
and removes it; a Ctrl-C between the two left the file in the user's folder (seen by the
report's signal test at a delay of 0.1 s). The signal now waits until the check is whole.
"""

from __future__ import annotations

import json
import subprocess
import sys

AT_THE_CHECK = """
import json, os, signal, sys
from pathlib import Path

real = os.unlink

def unlink(path, *args, **kwargs):
    if ".write-check-" in str(path):  # the check's file is being removed: Ctrl-C now
        os.kill(os.getpid(), signal.SIGINT)
    return real(path, *args, **kwargs)

os.unlink = unlink
from simulator.interrupt import Interrupted, interruptible
from simulator.output_folder import check_file_writable

folder = Path(sys.argv[1])
try:
    with interruptible():
        check_file_writable(folder / "new" / "deeper" / "report.html")
    print(json.dumps(["not interrupted"]))
except Interrupted as exc:
    print(json.dumps([exc.name, sorted(p.name for p in folder.rglob("*"))]))
"""


def test_a_signal_during_the_write_check_leaves_no_file_and_no_folder(tmp_path):
    """Interrupted as the check removes its file: the signal is raised once the check is whole,
    which leaves the user's folder as it was (the folders the check made removed too)."""
    (tmp_path / "mine.txt").write_text("the user's own file")
    child = subprocess.run(
        [sys.executable, "-c", AT_THE_CHECK, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert child.returncode == 0, child.stderr
    assert json.loads(child.stdout) == ["SIGINT", ["mine.txt"]]


def test_a_signal_that_code_in_the_block_swallows_still_ends_the_block():
    """A SIGTERM raised in the block and dropped by code on the way (a library's bare
    ``except``) is raised again as the block ends: the command stops as the signal asked
    (a report sent SIGTERM once in about 150 tries ended with exit 0 and no word)."""
    import os
    import signal
    import time

    import pytest

    from simulator.interrupt import Interrupted, interruptible

    def swallowing() -> None:
        with interruptible():
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(1)  # the handler raises here
            except BaseException:  # what the library on the way does
                pass

    with pytest.raises(Interrupted) as stopped:
        swallowing()
    assert stopped.value.signum == signal.SIGTERM
