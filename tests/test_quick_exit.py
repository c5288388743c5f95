"""A finished command ends its process without the interpreter's teardown, unless that could lose something."""

from __future__ import annotations

import pstats
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAM = """
import atexit, sys, threading
from pathlib import Path

folder, case = Path(sys.argv[1]), sys.argv[2]


class TornDown:
    '''Writes a file when the interpreter's teardown frees it: only a normal exit does.'''

    def __del__(self):
        (folder / "torn_down").touch()


kept = TornDown()
atexit.register(lambda: open(folder / "handlers", "a").write("ran\\n"))
if case == "thread":  # still running when the command has finished

    def late():
        threading.main_thread().join()  # returns once the main thread's code has ended
        (folder / "thread_done").touch()

    threading.Thread(target=late).start()
if case == "pipe gone":

    class Gone:
        def write(self, text):
            return len(text)

        def flush(self):
            raise BrokenPipeError(32, "Broken pipe")

    atexit.register(lambda: setattr(sys, "stdout", Gone()))
if case == "no stdout":  # as Python starts with the descriptor closed (a daemon's, some cron jobs')
    sys.stdout = None
sys.argv = ["stockpile", *sys.argv[3:]]
from simulator import cli

if case == "message":  # an exit "code" that is a message, which Python prints

    def main():
        sys.exit("stopped: a message")

    cli.main = main
cli.entry()
"""


def finish(tmp_path: Path, case: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``stockpile ARGS`` through its entry point, in the set-up of ``case``."""
    command = [sys.executable, "-c", PROGRAM, str(tmp_path), case, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("args", "code", "out", "err"),
    [(["--version"], 0, "stockpile, version", ""), (["nope"], 2, "", "No such command 'nope'")],
)
def test_a_finished_command_skips_the_teardown_but_keeps_its_output_handlers_and_exit_code(
    tmp_path, args, code, out, err
):
    done = finish(tmp_path, "alone", *args)
    assert done.returncode == code, done.stderr
    assert out in done.stdout and err in done.stderr
    assert (tmp_path / "handlers").read_text() == "ran\n"  # the exit handlers ran, once
    assert not (tmp_path / "torn_down").exists()


def test_a_thread_still_running_gets_the_normal_exit_which_waits_for_it(tmp_path):
    done = finish(tmp_path, "thread", "--version")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "thread_done").exists()
    assert (tmp_path / "torn_down").exists()
    assert (tmp_path / "handlers").read_text() == "ran\n"


def test_output_that_cannot_be_flushed_gets_the_normal_exit_and_the_handlers_run_once(tmp_path):
    """A reader that has gone away: Python reports it as ever (exit code 120), nothing runs twice."""
    done = finish(tmp_path, "pipe gone", "--version")
    assert done.returncode == 120
    assert done.stderr.startswith("Exception ignored in: <__main__.Gone"), done.stderr  # and nothing else
    assert done.stderr.count("BrokenPipeError") == 1, done.stderr
    assert (tmp_path / "torn_down").exists()
    assert (tmp_path / "handlers").read_text() == "ran\n"


def test_an_exit_with_a_message_gets_the_normal_exit_which_prints_it(tmp_path):
    done = finish(tmp_path, "message")
    assert (done.returncode, done.stderr) == (1, "stopped: a message\n")
    assert (tmp_path / "torn_down").exists()


def test_a_traced_command_still_gives_what_the_tracer_found(tmp_path):
    """A tracer (as a debugger or a coverage tool is) reports once the program returns."""
    command = [sys.executable, "-m", "trace", "--listfuncs", "--module", "simulator.cli", "--version"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "functions called:" in done.stdout and "funcname: entry" in done.stdout


def test_a_profiled_command_still_writes_its_profile(tmp_path):
    profile = tmp_path / "version.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "simulator.cli", "--version"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert pstats.Stats(str(profile)).total_calls > 0


def test_a_command_started_without_standard_output_ends_quietly(tmp_path):
    done = finish(tmp_path, "no stdout", "--version")
    assert (done.returncode, done.stderr) == (0, "")
    assert (tmp_path / "handlers").read_text() == "ran\n"
    assert not (tmp_path / "torn_down").exists()


def test_python_i_still_opens_its_prompt_after_the_command():
    command = [sys.executable, "-i", "-m", "simulator.cli", "--version"]
    done = subprocess.run(command, input="print('at the prompt')\n", capture_output=True, text=True, timeout=60)
    assert "stockpile, version" in done.stdout and "at the prompt" in done.stdout, done.stderr


def test_pdb_still_takes_over_when_the_command_ends():
    command = [sys.executable, "-m", "pdb", "-m", "simulator.cli", "--version"]
    done = subprocess.run(command, input="continue\nquit\n", capture_output=True, text=True, timeout=60)
    assert "The program exited via sys.exit(). Exit status: 0" in done.stdout, done.stdout + done.stderr
