"""A Ctrl-C (or SIGTERM) while the program is still importing its modules: exit 130 (143) and check's line.

``simulator.cli`` imports :mod:`simulator.interrupt` first, which holds SIGINT and SIGTERM from there on
(``hold_from_start`` at its foot); ``cli.entry()`` holds them again, but only once every module is imported. A
signal in between, while click and the simulator's modules are still being imported, must wait for the command to
start (and be told in its words), not raise a ``KeyboardInterrupt`` traceback out of an import.

Sending the signal at a moment read off /proc (a shared library mapped, the handler in place) races the imports:
by the time the signal lands the program may have reached ``entry()``, which holds signals again, so a program that
did not hold them during its imports would pass some runs. Instead the program is made to stop in the middle of
its imports, deterministically: a ``sitecustomize`` module (which Python's ``site`` imports at start-up from any
folder on ``PYTHONPATH``) puts an import hook first on ``sys.meta_path``. When ``simulator/cli.py`` asks for
``click`` (imported after ``simulator.interrupt``, before anything runs), the hook says so on one pipe and waits
on another. The test then sends the signal and, only after that, lets the import go on: the signal certainly
arrives after ``simulator.interrupt`` has been imported whole and before ``entry()``. The hook finds nothing
itself (Python's own finders then import click as usual) and changes nothing else about the program.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "scenarios" / "embargo_2010.yaml"
WAIT_S = 60
"""How long the test waits for the program to reach its import of click, at most."""

HOOK = """\
import os
import sys

_fds = os.environ.pop("STOCKPILE_TEST_IMPORT_PIPES", None)  # popped: a worker process would not stop again


class _StopAtClick:
    \"\"\"Before click is imported: say so on the first pipe, wait for a byte on the second, then find nothing.\"\"\"

    def __init__(self, ready_fd, go_fd):
        self.ready_fd, self.go_fd = ready_fd, go_fd

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "click" or self.ready_fd is None:
            return None
        ready_fd, self.ready_fd = self.ready_fd, None
        os.write(ready_fd, b"1" if "simulator.interrupt" in sys.modules else b"0")
        os.read(self.go_fd, 1)
        os.close(ready_fd)
        os.close(self.go_fd)
        return None


if _fds:
    sys.meta_path.insert(0, _StopAtClick(*map(int, _fds.split(","))))
"""
"""``sitecustomize.py``: stops the program at its import of click until the test lets it go on."""


def _click_imported_after_the_hold() -> bool:
    """Whether ``simulator/cli.py`` imports :mod:`simulator.interrupt` (whose import holds signals) before click."""
    source = (ROOT / "simulator" / "cli.py").read_text()
    return 0 <= source.find("from simulator.interrupt import") < source.find("\nimport click\n")


def _signalled_while_importing(tmp_path: Path, signum: int, *args: str) -> tuple[int, str, str]:
    """Run ``stockpile *args``, send ``signum`` while it imports click; its exit code, output and errors."""
    (tmp_path / "sitecustomize.py").write_text(HOOK)
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()
    env = {**os.environ, "STOCKPILE_TEST_IMPORT_PIPES": f"{ready_w},{go_r}"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(tmp_path), env.get("PYTHONPATH")) if p)
    command = [sys.executable, "-m", "simulator.cli", *args]
    child = subprocess.Popen(
        command, cwd=ROOT, env=env, pass_fds=(ready_w, go_r), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    os.close(ready_w)
    os.close(go_r)
    try:
        readable, _, _ = select.select([ready_r], [], [], WAIT_S)
        said = os.read(ready_r, 1) if readable else b""
        assert said == b"1", f"the program never stopped at click after simulator.interrupt: {said!r}"
        child.send_signal(signum)  # the program waits in its import of click
        os.write(go_w, b"1")
        out, err = child.communicate(timeout=WAIT_S)
    finally:
        os.close(ready_r)
        os.close(go_w)
        if child.poll() is None:
            child.kill()
            child.communicate()
    return child.returncode, out, err


@pytest.mark.parametrize(("signum", "by"), [(signal.SIGINT, "Ctrl-C"), (signal.SIGTERM, "SIGTERM")])
def test_check_signalled_while_importing_exits_with_its_line(tmp_path, signum, by):
    assert _click_imported_after_the_hold()
    code, out, err = _signalled_while_importing(tmp_path, signum, "check", str(SHIPPED))
    note = f"exit {code}\n{out}\n{err}"
    assert code == 128 + signum, note  # 130, 143: not a KeyboardInterrupt's traceback, nor killed by the signal
    assert err == "", note  # every message of check goes to standard output
    assert out.splitlines() == [f"check interrupted by {by} after 0 scenarios checked; no report written"], note


def test_run_signalled_while_importing_writes_nothing(tmp_path):
    out_folder = tmp_path / "out"
    code, out, err = _signalled_while_importing(
        tmp_path, signal.SIGINT, "run", str(SHIPPED), "--no-plots", "-o", str(out_folder)
    )
    note = f"exit {code}\n{out}\n{err}"
    assert code == 130, note
    assert out == "" and err.splitlines() == ["run interrupted by SIGINT"], note
    assert not out_folder.exists(), note
