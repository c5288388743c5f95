"""A signal that comes after the command has done its work, before the process ends: the command ends as it would.

Once the group's ``invoke`` returns, the command has finished (its line written, its outputs in place);
``simulator.interrupt.end_command`` holds SIGINT and SIGTERM again from there. A signal that landed after that, while
click closes its context and exits, would otherwise be raised there: click turns it into "Aborted!" and exit code 1
(which ``check`` uses for drift), or the command would be told as interrupted although it finished.

The moment is reached for certain, not timed: the program is started by a short script that gives the group's
context (``main.make_context``) a close callback sending the signal to its own process. Click closes that context
after the group's ``invoke`` has returned and before ``SystemExit`` reaches ``entry()``: the signal lands in that
window every run. The command is ``validate`` of a shipped scenario: one line, ``<file>: ok``, exit 0.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "scenarios" / "embargo_2010.yaml"

PROGRAM = """\
import os
import signal
import sys

from simulator import cli

signum = int(os.environ["STOCKPILE_TEST_LATE_SIGNAL"])
make_context = cli.main.make_context


def closing_with_a_signal(*args, **kwargs):
    # the group's context: closed by click once the group's invoke (the whole command) has returned
    ctx = make_context(*args, **kwargs)
    if signum:
        ctx.call_on_close(lambda: os.kill(os.getpid(), signum))
    return ctx


cli.main.make_context = closing_with_a_signal
sys.argv = ["stockpile", *sys.argv[1:]]
cli.entry()
"""
"""The ``stockpile`` program (``cli.entry()``), sending itself ``STOCKPILE_TEST_LATE_SIGNAL`` (0: none) at its end."""


def _validate_signalled_at_the_end(signum: int) -> subprocess.CompletedProcess[str]:
    """``stockpile validate SHIPPED`` sent ``signum`` (0: none) after the command, before the process ends."""
    env = {**os.environ, "STOCKPILE_TEST_LATE_SIGNAL": str(signum)}
    command = [sys.executable, "-c", PROGRAM, "validate", str(SHIPPED)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_after_the_command_leaves_its_line_and_exit_code(signum):
    unsignalled = _validate_signalled_at_the_end(0)
    assert (unsignalled.returncode, unsignalled.stdout, unsignalled.stderr) == (0, f"{SHIPPED}: ok\n", "")
    late = _validate_signalled_at_the_end(signum)
    note = f"exit {late.returncode}\n{late.stdout}\n{late.stderr}"
    assert late.returncode == 0, note  # not "Aborted!" (1), 130 or 143, nor killed by the signal
    assert (late.stdout, late.stderr) == (f"{SHIPPED}: ok\n", ""), note
