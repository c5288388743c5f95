"""The progress bar of the CLI's long commands: none, and no tqdm loaded, where stderr is no terminal."""

import subprocess
import sys

PROBE = """
import sys
from simulator.cli import _progress
with _progress(3, "run") as advance:
    advance(2)
    advance(1)
print("tqdm" in sys.modules)
"""


def test_no_terminal_no_bar_and_no_tqdm_import():
    # stderr a pipe, as in scripts and the benchmarks: nothing drawn, and tqdm not imported ahead of the work
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
    assert done.stderr == ""


def test_standard_error_closed_no_bar_and_no_error():
    # fd 2 closed at start: Python sets sys.stderr to None, which has no isatty
    done = subprocess.run(
        ["sh", "-c", 'exec "$@" 2>&-', "sh", sys.executable, "-c", PROBE], capture_output=True, text=True
    )
    assert (done.returncode, done.stdout.strip()) == (0, "False")
