"""Ctrl-C at any moment of `check`, `sweep`, `sensitivity` and `run`: exit 130 and the command's
one line, never click's "Aborted!" (exit 1, which `check` uses for drift) nor a traceback.

A SIGINT that came while the program imported its modules was a KeyboardInterrupt traceback;
one that came after click had started but before the command's own handling began (its
imports, reading and validating the scenario) was click's "Aborted!" and exit code 1. Each
subprocess here is sent SIGINT the moment a marker of one of those phases shows in /proc (no
sleeping): the program's handler in place (SIGTERM caught: its modules being imported), pydantic's
compiled core loaded (the scenario's schema, loaded just before the YAML parser: the scenario about to be read and
validated; with or without PyYAML's optional C extension), NumPy loaded (the runs starting).
tests/test_interrupt_while_importing_s61.py stops the program in its imports for a signal at a moment certain.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_sweep import write

pytestmark = pytest.mark.skipif(not Path("/proc/self/maps").is_file(), reason="watches the process in /proc")

SHIPPED = Path(__file__).resolve().parents[1] / "scenarios" / "embargo_2010.yaml"
"""A scenario with a baseline (for check) and an uncertain: block (for sensitivity)."""

HANDLER_IN_PLACE = "SIGTERM caught"
MOMENTS = [HANDLER_IN_PLACE, "_pydantic_core", "_multiarray_umath"]
"""When SIGINT is sent: a phase's marker, the handler or a compiled module mapped into the process (pydantic_core
has no pure-Python build, unlike PyYAML, whose ``_yaml`` extension is optional)."""

SIGINT_EXIT = 128 + signal.SIGINT


def _shows(pid: int, marker: str) -> bool:
    """Whether ``marker`` shows in the process: its SIGTERM handler, or a shared library of that name mapped."""
    try:
        if marker == HANDLER_IN_PLACE:
            status = Path(f"/proc/{pid}/status").read_text()
            caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
            return bool(caught >> (signal.SIGTERM - 1) & 1)
        return f"/{marker}." in Path(f"/proc/{pid}/maps").read_text()
    except OSError:  # the process has ended
        return False


def _interrupted_at(marker: str, *args) -> tuple[int, str, str, str]:
    """Start ``stockpile *args``, send SIGINT as ``marker`` shows; its exit code, output, errors and a note."""
    command = [sys.executable, "-m", "simulator.cli", *(str(a) for a in args)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while child.poll() is None and not _shows(child.pid, marker) and time.monotonic() < deadline:
            time.sleep(0.002)
        assert child.poll() is None, f"ended before {marker} showed: {child.communicate()}"
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    return child.returncode, out, err, f"SIGINT as {marker} showed: exit {child.returncode}\n{out}\n{err}"


@pytest.mark.parametrize("marker", MOMENTS)
def test_check_interrupted_at_any_moment_exits_130_with_its_line(marker):
    code, out, err, note = _interrupted_at(marker, "check", SHIPPED)
    assert code == SIGINT_EXIT, note
    assert err == "", note  # every message of check goes to standard output
    assert re.fullmatch(r"check interrupted by Ctrl-C after \d+ scenarios? checked; no report written", out.strip())


@pytest.mark.parametrize("marker", MOMENTS)
def test_sweep_interrupted_at_any_moment_exits_130_with_its_line(tmp_path, marker):
    sweep = ("sweep", write(tmp_path), "--grid", "agreement.ratio.japan=0.2:0.8:0.3", "--runs", 4, "--workers", 1)
    code, out, err, note = _interrupted_at(marker, *sweep, "-o", tmp_path / "out")
    assert code == SIGINT_EXIT, note
    assert out == "" and "Traceback" not in err and "Aborted!" not in err, note
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sweep interrupted by SIGINT"), note
    if marker != "_multiarray_umath":  # before the runs: the folder is not made yet
        assert lines == ["sweep interrupted by SIGINT: nothing written"], note
        assert not (tmp_path / "out").exists(), note


@pytest.mark.parametrize("marker", MOMENTS)
def test_sensitivity_interrupted_at_any_moment_exits_130_with_its_line(tmp_path, marker):
    study = ("sensitivity", SHIPPED, "--method", "morris", "--samples", 2, "--workers", 1)
    code, out, err, note = _interrupted_at(marker, *study, "-o", tmp_path / "out")
    assert code == SIGINT_EXIT, note
    assert out == "" and err.strip().splitlines() == ["sensitivity interrupted by SIGINT: nothing written"], note
    assert not (tmp_path / "out").exists(), note


@pytest.mark.parametrize("marker", MOMENTS)
def test_run_interrupted_at_any_moment_exits_130_with_its_line(tmp_path, marker):
    code, out, err, note = _interrupted_at(marker, "run", write(tmp_path), "--no-plots", "-o", tmp_path / "out")
    assert code == SIGINT_EXIT, note
    assert out == "" and err.strip().splitlines() == ["run interrupted by SIGINT"], note
    assert not (tmp_path / "out").exists(), note  # interrupted before its files could move in


def test_a_signal_held_while_starting_ends_help_with_130():
    """``--help`` ends before any command starts: the signal held meanwhile is still told, and exits 130."""
    code, out, err, note = _interrupted_at(HANDLER_IN_PLACE, "--help")
    assert code == SIGINT_EXIT, note
    assert err.strip().splitlines() == ["stockpile interrupted by SIGINT"], note
    assert out.startswith("Usage: "), note  # the help was printed whole first
