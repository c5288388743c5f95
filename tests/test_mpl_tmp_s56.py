"""No ``matplotlib-*`` folder left in TMPDIR by ``stockpile run`` where HOME is unusable (session 56).

Matplotlib, unable to make its config folder, makes a temporary one in TMPDIR for an exit
handler to remove. The child forked ahead to draw the figures ends with ``os._exit`` or is
killed, so runs no exit handler: that folder was left behind when the run was stopped by a
signal or the child was killed after its import. HOME=/dev/null is a file: no folder can
be made under it, even as root (who may write in a folder chmod'ed read-only).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from simulator import cli, forked
from tests.test_forked import forking, needs_fork  # noqa: F401 (forking: a fixture, used by name)
from tests.test_interrupt import EXIT_CODES, alive, children, stockpile, wait_until
from tests.test_sweep import write

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads child processes from /proc")

FIGURES = ["days_of_cover.png", "shortfall.png", "supply_mix.png"]
"""What ``stockpile run`` draws for the small scenario of tests/test_sweep.py (no market: no prices)."""


@pytest.fixture
def own_tmpdir(tmp_path, monkeypatch) -> Path:
    """An empty TMPDIR, and a HOME under which Matplotlib can make no folder, for the commands run."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setenv("HOME", "/dev/null")
    for name in ("MPLCONFIGDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):  # else Matplotlib looks there first
        monkeypatch.delenv(name, raising=False)
    return folder


def left_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def matplotlib_folder_made(tmp: Path) -> bool:
    """Whether Matplotlib's temporary folder exists, in TMPDIR or in a folder in it."""
    return any(tmp.rglob("matplotlib-*"))


def test_matplotlib_makes_its_temporary_folder_in_tmpdir_here(own_tmpdir):
    """The premise of the tests below: under HOME=/dev/null, Matplotlib falls back to TMPDIR/matplotlib-*."""
    code = "import matplotlib; print(matplotlib.get_configdir())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    made = Path(done.stdout.strip())
    assert made.parent == own_tmpdir and made.name.startswith("matplotlib-")
    assert left_in(own_tmpdir) == []  # removed by its exit handler, in a process that exits normally


def test_a_whole_run_leaves_tmpdir_empty(tmp_path, own_tmpdir):
    """And says nothing of it: Matplotlib's note that it made a temporary folder is not the command's output
    (tests/test_fuzz_fixes_s52.py's D5, whose run under a HOME that is a file this is)."""
    run = stockpile("run", write(tmp_path), "-o", tmp_path / "out")
    _, stderr = run.communicate(timeout=120)
    assert run.returncode == 0, stderr
    assert stderr == ""
    assert sorted(p.name for p in (tmp_path / "out").glob("*.png")) == FIGURES
    assert left_in(own_tmpdir) == []


def run_once_matplotlib_made_its_folder(tmp_path: Path, tmp: Path) -> subprocess.Popen:
    """A ``stockpile run`` of the small scenario, returned once the child ahead has made Matplotlib's folder."""
    run = stockpile("run", write(tmp_path), "-o", tmp_path / "out")
    assert wait_until(lambda: run.poll() is not None or matplotlib_folder_made(tmp), 60)
    # the folder is made as Matplotlib is imported; drawing three figures follows (tenths of a second)
    assert run.poll() is None, f"the run ended before it could be stopped: {run.communicate()}"
    return run


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
@needs_fork
def test_a_run_stopped_by_a_signal_after_the_childs_import_leaves_tmpdir_empty(tmp_path, own_tmpdir, signum):
    run = run_once_matplotlib_made_its_folder(tmp_path, own_tmpdir)
    run.send_signal(signum)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == EXIT_CODES[signum], stderr
    assert left_in(own_tmpdir) == []


@needs_fork
def test_a_run_whose_child_is_killed_after_its_import_draws_here_and_leaves_tmpdir_empty(tmp_path, own_tmpdir):
    run = run_once_matplotlib_made_its_folder(tmp_path, own_tmpdir)
    seen: list[set[int]] = []
    # the child forked ahead, alone (its own child, if any, is not the run's); a child starting a program is a
    # fork of the run until its exec, so one seen beside it is looked at again, for up to 10 s
    assert wait_until(lambda: len(seen.append(forked_children(run.pid)) or seen[-1]) == 1, 10), seen[-1]
    os.kill(seen[-1].pop(), signal.SIGKILL)
    _, stderr = run.communicate(timeout=120)
    assert run.returncode == 0, stderr  # the figures are drawn here instead
    assert sorted(p.name for p in (tmp_path / "out").glob("*.png")) == FIGURES
    assert left_in(own_tmpdir) == []


def forked_children(pid: int) -> set[int]:
    """The children of ``pid`` that run its program, a fork of it: not a program it started.

    ``stockpile run`` records the platform (``made_with``), for which Python's ``platform.platform()`` runs
    ``uname -p``: a second child for a few milliseconds, which once failed the test above (1 suite run in 20).
    Until it has started that program (its ``exec``) such a child is still a fork of ``pid``, and is counted.
    """

    def program(process: int) -> str | None:
        try:
            return os.readlink(f"/proc/{process}/exe")
        except OSError:  # ended meanwhile
            return None

    own = program(pid)
    return {child for child in children(pid) if program(child) == own}


def prepare_as_matplotlib(noted: Path):
    """A ``prepare`` that makes a temporary folder as Matplotlib does (``mkdtemp``, no folder named) and notes it."""

    def prepare():
        made = tempfile.mkdtemp(prefix="matplotlib-")
        noted.write_text(made)
        return lambda data: None

    return prepare


@pytest.mark.parametrize("handed", [True, False], ids=["handed", "stopped-before-the-hand-over"])
@pytest.mark.usefixtures("forking")
@needs_fork
def test_what_the_child_ahead_made_with_tempfile_is_removed_once_it_is_gone(tmp_path, monkeypatch, handed):
    tmp, noted = tmp_path / "tmp", tmp_path / "noted.txt"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))  # this process's TMPDIR, inherited by the child
    with forked.forked_ahead(prepare_as_matplotlib(noted), temporary=True) as ahead:
        assert wait_until(lambda: noted.exists() and noted.read_text(), 30)  # written whole
        assert Path(noted.read_text()).is_relative_to(tmp)  # made, and in TMPDIR
        if handed:
            assert ahead.hand("drawn") is True
    assert left_in(tmp) == []


def matplotlib_folders(home: Path, *kinds: str) -> None:
    """Make Matplotlib's config (``.config``) and/or cache (``.cache``) folder under ``home``."""
    for kind in kinds:
        (home / kind / "matplotlib").mkdir(parents=True)


FOLDERS = {  # a set-up; whether a fall-back to TMPDIR is told, and whether Matplotlib falls back: from its rule
    "home-a-file": ({"HOME": "/dev/null"}, (), True, True),
    "home-with-both-folders": ({}, (".config", ".cache"), False, False),
    "home-with-no-folder": ({}, (), True, False),  # Matplotlib makes them: not told without trying
    "home-with-config-only": ({}, (".config",), True, False),
    "mplconfigdir-writable": ({"HOME": "/dev/null", "MPLCONFIGDIR": "{tmp}/mine"}, (), False, False),
    "mplconfigdir-under-a-file": ({"MPLCONFIGDIR": "/dev/null/mine"}, (".config", ".cache"), True, True),
    "xdg-cache-elsewhere": ({"XDG_CACHE_HOME": "{tmp}/elsewhere"}, (".config",), False, False),
}


@pytest.mark.parametrize("case", FOLDERS, ids=str)
def test_matplotlib_is_told_to_fall_back_to_tmpdir_wherever_it_does(tmp_path, own_tmpdir, monkeypatch, case):
    """Told before Matplotlib is imported: "no" only where Matplotlib then uses its own folders."""
    env, made, may_fall_back, falls_back = FOLDERS[case]
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    matplotlib_folders(home, *made)
    (tmp_path / "mine").mkdir()
    (tmp_path / "elsewhere" / "matplotlib").mkdir(parents=True)
    for name, value in env.items():
        monkeypatch.setenv(name, value.format(tmp=tmp_path))
    assert cli._matplotlib_may_make_a_temporary_folder() is may_fall_back
    code = "import matplotlib; print(matplotlib.get_configdir()); print(matplotlib.get_cachedir())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    fell_back = any(Path(line).parent == own_tmpdir for line in done.stdout.splitlines())
    assert fell_back is falls_back  # Matplotlib's own choice: never a fall-back that was not told


def test_a_home_that_cannot_be_found_is_told_as_a_fall_back(tmp_path, own_tmpdir, monkeypatch):
    """No HOME and no user entry (``Path.home`` raises RuntimeError): Matplotlib falls back to TMPDIR.

    The home's folders exist and are writable, so the answer is True only from the home not being found.
    """
    home = tmp_path / "home"
    matplotlib_folders(home, ".config", ".cache")
    monkeypatch.setenv("HOME", str(home))

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert cli._matplotlib_may_make_a_temporary_folder() is True


@needs_fork
def test_a_run_killed_where_matplotlib_has_its_folders_leaves_tmpdir_empty(tmp_path, own_tmpdir, monkeypatch):
    """No folder of the child's where Matplotlib needs none: SIGKILL, which nothing can clean up after, leaves none."""
    home = tmp_path / "home"
    matplotlib_folders(home, ".config", ".cache")
    monkeypatch.setenv("HOME", str(home))
    run = stockpile("run", write(tmp_path), "-o", tmp_path / "out")
    assert wait_until(lambda: run.poll() is not None or children(run.pid), 60)
    ahead = children(run.pid)
    assert run.poll() is None and len(ahead) == 1, run.communicate()  # the child forked ahead, still importing
    run.kill()
    run.communicate(timeout=60)
    assert wait_until(lambda: not any(map(alive, ahead)), 10)  # killed with its parent (PR_SET_PDEATHSIG)
    assert left_in(own_tmpdir) == []
