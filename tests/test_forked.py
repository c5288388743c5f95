"""Tasks shared with a forked child (``simulator.forked``): each runs once, failures surface here."""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import numpy as np
import pytest
import yaml

from simulator import forked
from simulator.forked import map_shared, run_shared
from tests.helpers import ROOT, SHORT_AND_UNSURE, TINY_SCENARIO_TEXT, TWO_MEMBERS, invoke

THREADED_FORK = "This process (pid={pid}) is multi-threaded, use of fork() may lead to deadlocks in the child."
"""Python 3.12's warning (``Modules/posixmodule.c``, ``warn_about_fork_with_threads``)."""

needs_fork = pytest.mark.skipif(not forked.forks_here(), reason="no fork, or a single core: everything runs here")

FOUR_FIGURES = ["days_of_cover.png", "prices.png", "shortfall.png", "supply_mix.png"]
"""What ``stockpile run`` draws for :func:`market_pair`: a market (prices) and members short (shortfall)."""


def market_pair(tmp_path: Path) -> Path:
    """``TWO_MEMBERS`` (both members cut off all 60 days, no stock) with a market for rare earths, written in
    ``tmp_path``: a run that draws all four figures, in a fraction of a shipped replay's time (embargo_2010's
    730 days and three materials cost seconds of the figures' drawing for nothing the tests look at)."""
    path = tmp_path / "pair.yaml"
    path.write_text(yaml.safe_dump({**TWO_MEMBERS, "market": {"ree": {}}}))
    return path


@pytest.fixture
def forking(monkeypatch):
    """Fork even if earlier tests left threads in this process (these tasks take no lock)."""
    monkeypatch.setattr(forked, "can_fork", lambda: True)


def writer(path: Path):
    def write() -> None:
        path.write_text(str(os.getpid()))

    return write


@needs_fork
def test_every_task_runs_once_half_of_them_in_a_child(tmp_path, forking):
    paths = [tmp_path / f"{k}.txt" for k in range(4)]
    run_shared([writer(p) for p in paths])
    pids = [int(p.read_text()) for p in paths]
    assert pids[0] == pids[2] == os.getpid()  # the even ones here
    assert pids[1] == pids[3] != os.getpid()  # the odd ones in one child


@needs_fork
def test_what_a_child_writes_into_a_shared_array_is_read_here(forking):
    pids = forked.shared_array((2, 3), np.int64)
    assert (pids == 0).all()  # zeroed

    def write(row: int):
        return lambda: pids.__setitem__(row, os.getpid())

    run_shared([write(0), write(1)])
    assert (pids[0] == os.getpid()).all()
    assert (pids[1] != os.getpid()).all() and (pids[1] > 0).all()  # the child's own


def test_without_a_child_the_tasks_run_here_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    order: list[int] = []
    run_shared([lambda k=k: order.append(k) for k in range(3)])
    assert order == [0, 1, 2]


@needs_fork
def test_a_task_that_fails_in_the_child_is_run_again_here(tmp_path, forking):
    parent = os.getpid()
    path = tmp_path / "odd.txt"

    def fails_in_a_child() -> None:
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        path.write_text("here")

    run_shared([lambda: None, fails_in_a_child])
    assert path.read_text() == "here"


@needs_fork
def test_a_task_that_always_fails_raises_here(forking):
    def broken() -> None:
        raise ValueError("broken figure")

    with pytest.raises(ValueError, match="broken figure"):
        run_shared([lambda: None, broken])


@pytest.fixture
def gate(monkeypatch):
    """Hold a forked child's task until the test has seen the parent's error, then see it out.

    ``wait()`` (in the child) returns once ``open_and_join()`` (here, after the error) is
    called; ``open_and_join()`` then waits for every child forked meanwhile to end, unless
    it was already killed and reaped. A child still alive after the error therefore goes
    on to write, and the test sees it: no sleep long enough for the child to have written.
    """
    read_end, write_end = os.pipe()
    children: list[int] = []
    fork = forked._fork
    monkeypatch.setattr(forked, "_fork", lambda work: children.append(fork(work)) or children[-1])

    class Gate:
        @staticmethod
        def wait() -> None:
            select.select([read_end], [], [], 60)  # never a hang if the parent does not open it

        @staticmethod
        def open_and_join() -> None:
            os.write(write_end, b"x")
            for child in children:
                with contextlib.suppress(ChildProcessError):  # reaped already: killed before the gate
                    os.waitpid(child, 0)

    yield Gate
    os.close(read_end)
    os.close(write_end)


@needs_fork
def test_an_error_here_kills_the_child_before_it_writes(tmp_path, forking, gate):
    late = tmp_path / "late.txt"

    def slow() -> None:
        gate.wait()
        late.write_text("written after the parent failed")

    def broken() -> None:
        raise ValueError("stop")

    with pytest.raises(ValueError, match="stop"):
        run_shared([broken, slow])
    gate.open_and_join()  # a child not killed by now writes before this returns
    assert not late.exists()


@needs_fork
@pytest.mark.parametrize("message", [THREADED_FORK, "something else about fork"])
def test_python_s_warning_on_forking_with_os_threads_is_not_an_error(tmp_path, forking, monkeypatch, message):
    """Python 3.12+ warns in the parent, the child forked; numpy's OpenBLAS threads make two."""
    real, children = os.fork, []

    def fork() -> int:
        child = real()
        if child:  # as CPython does: in the parent only
            children.append(child)
            warnings.warn(message.format(pid=os.getpid()), DeprecationWarning, stacklevel=2)
        return child

    monkeypatch.setattr(os, "fork", fork)
    monkeypatch.setattr(forked, "_WARNS_ON_FORK_WITH_THREADS", sys.version_info[:2])  # as on 3.12+
    paths = [tmp_path / f"{k}.txt" for k in range(2)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as the suite's filter
        if message == THREADED_FORK:
            run_shared([writer(p) for p in paths])
            assert int(paths[1].read_text()) != os.getpid()  # drawn by the child
        else:  # any other warning still raises
            with pytest.raises(DeprecationWarning):
                run_shared([writer(p) for p in paths])
            os.waitpid(children[0], 0)  # forked before the warning raised: reaped here


@needs_fork
def test_forking_on_a_python_that_does_not_warn_shows_no_warning_again(tmp_path, forking, monkeypatch):
    """Entering ``warnings.catch_warnings`` forgets which warnings were shown: only done where Python warns."""
    monkeypatch.setattr(forked, "_WARNS_ON_FORK_WITH_THREADS", (99,))

    def say() -> None:
        warnings.warn("shown once", UserWarning, stacklevel=1)

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("default")  # each warning once per place
        say()
        run_shared([writer(tmp_path / "a.txt"), writer(tmp_path / "b.txt")])
        say()
    assert [str(w.message) for w in seen] == ["shown once"]


def test_with_another_thread_running_nothing_is_forked(tmp_path):
    """A thread could hold a lock as the process forks and leave the child waiting for ever."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        paths = [tmp_path / f"{k}.txt" for k in range(2)]
        run_shared([writer(p) for p in paths])
    finally:
        stop.set()
        other.join()
    assert [int(p.read_text()) for p in paths] == [os.getpid(), os.getpid()]


DRAWN_WHERE = """
import os, sys
real, forks = os.fork, []
def fork():
    forks.append(1)
    return real()
os.fork = fork
import simulator.cli
prepare, log = simulator.cli._figure_writer, sys.argv[3]
def noted():  # in the child ahead: each figure saved notes its process and name
    work = prepare()
    import matplotlib.figure
    save = matplotlib.figure.Figure.savefig
    def savefig(self, path, *args, **kwargs):
        with open(log, "a") as notes:
            notes.write(f"{os.getpid()} {os.path.basename(path)}\\n")
        return save(self, path, *args, **kwargs)
    matplotlib.figure.Figure.savefig = savefig
    return work
simulator.cli._figure_writer = noted
simulator.cli.main(["run", sys.argv[1], "-o", sys.argv[2]], standalone_mode=False)
print(os.getpid(), len(forks), "matplotlib" in sys.modules)
"""


@pytest.fixture(scope="module")
def drawn_by_children(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """``stockpile run`` of :func:`market_pair` as it is, each figure it saves noted with its process in
    ``drawn.txt`` beside ``out``: made once, for the test of where it draws and as the reference figures
    of the test whose children fail (the same figures, wherever they are drawn)."""
    folder = tmp_path_factory.mktemp("drawn")
    scenario, log = market_pair(folder), folder / "drawn.txt"
    args = [sys.executable, "-c", DRAWN_WHERE, str(scenario), str(folder / "out"), str(log)]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT), folder


DRAWN_BY_CHILDREN = pytest.mark.xdist_group("forked-drawn-by-children")
"""The mark of the tests reading :func:`drawn_by_children`: under ``pytest -n`` it runs once, in one worker."""


@needs_fork
@DRAWN_BY_CHILDREN
def test_stockpile_run_draws_its_figures_in_two_forked_processes_and_never_imports_matplotlib(drawn_by_children):
    done, folder = drawn_by_children
    log = folder / "drawn.txt"
    assert done.returncode == 0, done.stderr
    parent, forks, imported = done.stdout.split()[-3:]
    assert (forks, imported) == ("1", "False")  # the child ahead only; Matplotlib is the children's
    drawn = [line.split() for line in log.read_text().splitlines()]
    assert sorted(name for _, name in drawn) == FOUR_FIGURES  # each once
    pids = {pid for pid, _ in drawn}
    assert parent not in pids
    assert sorted(sum(pid == p for p, _ in drawn) for pid in pids) == [2, 2]  # the child ahead and its own child
    assert sorted(p.name for p in (folder / "out").glob("*.png")) == FOUR_FIGURES


FAILING_SAVEFIG = """
import os, sys, warnings
import matplotlib.figure
parent, where = os.getpid(), sys.argv.pop(1)
real = matplotlib.figure.Figure.savefig
def savefig(self, *args, **kwargs):
    if where == "everywhere" or (where == "children" and os.getpid() != parent):
        warnings.warn("savefig probe", UserWarning)
        raise OSError(28, "No space left on device")
    return real(self, *args, **kwargs)
matplotlib.figure.Figure.savefig = savefig
from simulator.cli import main
main(["run", sys.argv[1], "-o", sys.argv[2]])
"""


def _run_failing(tmp_path: Path, where: str) -> tuple[subprocess.CompletedProcess, Path]:
    """``stockpile run`` of :func:`market_pair`, ``savefig`` failing in the children or everywhere."""
    out = tmp_path / where
    scenario = market_pair(tmp_path)
    args = [sys.executable, "-c", FAILING_SAVEFIG, where, str(scenario), str(out)]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT), out


@needs_fork
@DRAWN_BY_CHILDREN
def test_stockpile_run_draws_here_the_figures_its_children_failed_to_draw(tmp_path, drawn_by_children):
    """Drawn here after both children failed: the figures the children draw when they do not fail, byte for byte."""
    failed, out = _run_failing(tmp_path, "children")
    assert failed.returncode == 0, failed.stderr
    drawn, folder = drawn_by_children
    assert drawn.returncode == 0, drawn.stderr
    reference = folder / "out"
    assert sorted(p.name for p in out.glob("*.png")) == FOUR_FIGURES
    assert all((out / name).read_bytes() == (reference / name).read_bytes() for name in FOUR_FIGURES)


@needs_fork
def test_stockpile_run_whose_figures_fail_everywhere_says_so_once(tmp_path):
    failed, out = _run_failing(tmp_path, "everywhere")
    assert failed.returncode == 2
    assert failed.stderr.strip().splitlines()[-1] == f"error: {out}: cannot write outputs: No space left on device"
    assert "Traceback" not in failed.stderr
    assert not out.exists()  # nothing half written
    # drawn again here, in order, with no child: the first figure warns, then fails; the failed
    # children's standard error is dropped, so one warning (there were 3 or 4 when every process showed its own)
    assert failed.stderr.count("UserWarning: savefig probe") == 1


@pytest.mark.parametrize(("flags", "forks"), [([], 1), (["--uncertainty", "4", "--workers", "1"], 0)])
def test_stockpile_run_forks_its_figures_child_ahead_unless_it_draws_fan_charts(tmp_path, monkeypatch, flags, forks):
    """With --uncertainty this process imports Matplotlib for the fan charts anyway: a child ahead gains nothing."""
    asked: list[object] = []

    @contextlib.contextmanager
    def no_child(prepare, temporary=False):
        asked.append(prepare)
        yield None  # the figures are drawn here

    monkeypatch.setattr(forked, "forked_ahead", no_child)
    scenario = tmp_path / "short.yaml"
    scenario.write_text(yaml.safe_dump(SHORT_AND_UNSURE))
    done = invoke("run", scenario, "-o", tmp_path / "out", *flags)
    assert done.exit_code == 0, done.output
    assert len(asked) == forks
    assert len(list((tmp_path / "out").glob("*.png"))) == (3 if forks else 5)  # and two fan charts


def prepared_writer(path: Path):
    """A ``prepare`` for :class:`forked.Ahead`: notes the pid that prepared, and returns work writing pid and data."""
    prepared = os.getpid()

    def prepare():
        nonlocal prepared
        prepared = os.getpid()
        return lambda data: path.write_text(f"{prepared} {os.getpid()} {data}")

    return prepare


@needs_fork
def test_a_child_forked_ahead_prepares_then_works_on_what_it_is_handed(tmp_path, forking):
    path = tmp_path / "work.txt"
    with forked.forked_ahead(prepared_writer(path)) as ahead:
        assert not path.exists()
        assert ahead.hand({"figures": 4}) is True
    prepared, worked, data = path.read_text().split(" ", 2)
    assert prepared == worked != str(os.getpid())  # both in the one child
    assert data == "{'figures': 4}"  # sent through the pipe whole


@needs_fork
def test_no_temporary_file_to_be_had_gives_no_child_ahead_and_no_error(tmp_path, forking, monkeypatch):
    """The child's standard error goes to a temporary file: where none can be made, the work is done here."""

    def no_file():
        raise PermissionError(13, "Permission denied", str(tmp_path))

    monkeypatch.setattr(forked.tempfile, "TemporaryFile", no_file)
    opened = len(os.listdir("/proc/self/fd"))
    with forked.forked_ahead(prepared_writer(tmp_path / "work.txt")) as ahead:
        assert ahead is None
    assert len(os.listdir("/proc/self/fd")) == opened  # no pipe left open


@needs_fork
@pytest.mark.parametrize("fails", ["prepare", "work"])
def test_a_child_ahead_that_fails_says_so_and_is_gone(tmp_path, forking, fails):
    def prepare():
        if fails == "prepare":
            raise ImportError("no Matplotlib")
        return lambda data: 1 / 0

    with forked.forked_ahead(prepare) as ahead:
        child = ahead._child
        assert ahead.hand("x") is False  # the caller does the work itself
    with pytest.raises(ChildProcessError):  # reaped
        os.waitpid(child, os.WNOHANG)


@needs_fork
def test_data_that_cannot_be_pickled_is_not_handed_and_the_child_is_gone(tmp_path, forking):
    path = tmp_path / "work.txt"
    with forked.forked_ahead(prepared_writer(path)) as ahead:
        child = ahead._child
        assert ahead.hand(lambda: None) is False
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)
    assert not path.exists()


@needs_fork
def test_an_error_before_the_hand_over_kills_the_child_ahead(tmp_path, forking, gate):
    path = tmp_path / "late.txt"

    def prepare():
        gate.wait()  # the child writes once the gate opens, unless it was killed
        path.write_text("prepared after the parent failed")
        raise RuntimeError("ends the child without waiting for data")

    with pytest.raises(ValueError, match="simulation failed"), forked.forked_ahead(prepare):
        raise ValueError("simulation failed")
    gate.open_and_join()
    assert not path.exists()


@needs_fork
@pytest.mark.parametrize("fails", [False, True])
def test_what_a_child_ahead_says_is_said_here_once_its_work_is_done(forking, capfd, fails):
    def prepare():
        os.write(2, b"prepared\n")  # file descriptor 2, as sys.stderr is outside pytest's capture

        def work(data: str) -> None:
            os.write(2, f"warning: {data}\n".encode())
            if fails:
                raise ValueError(data)

        return work

    with forked.forked_ahead(prepare) as ahead:
        assert ahead.hand("drawn") is not fails
    # a failed child's words are dropped: the work is done again here, and says what goes wrong itself
    assert capfd.readouterr().err == ("" if fails else "prepared\nwarning: drawn\n")


def test_without_a_child_ahead_there_is_none_to_hand_to(monkeypatch):
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    with forked.forked_ahead(lambda: print) as ahead:
        assert ahead is None


@needs_fork
def test_map_shared_gives_every_result_in_order_half_of_them_from_a_child(forking):
    results = map_shared(lambda x: (x * x, os.getpid()), list(range(5)))
    assert [square for square, _ in results] == [0, 1, 4, 9, 16]
    pids = [pid for _, pid in results]
    assert pids[0] == pids[2] == pids[4] == os.getpid()  # the even ones here
    assert pids[1] == pids[3] != os.getpid()  # the odd ones in one child


def bad(*values: int):
    def check(x: int) -> int:
        if x in values:
            raise ValueError(f"bad {x}")
        return x

    return check


@needs_fork
def test_map_shared_raises_the_first_error_in_order_wherever_it_happened(forking):
    with pytest.raises(ValueError, match="bad 1"):  # 1 failed in the child, 2 here: 1 comes first
        map_shared(bad(1, 2), [0, 1, 2, 3])
    with pytest.raises(ValueError, match="bad 2"):
        map_shared(bad(2, 3), [0, 1, 2, 3])
    with pytest.raises(ValueError, match="bad 3"):
        map_shared(bad(3), [0, 1, 2, 3])


@needs_fork
def test_map_shared_computes_here_what_failed_in_the_child_only(forking):
    parent = os.getpid()

    def plus_one(x: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        return x + 1

    assert map_shared(plus_one, [0, 1, 2, 3]) == [1, 2, 3, 4]


@needs_fork
def test_map_shared_computes_here_what_a_dead_child_did_not_send(forking):
    parent = os.getpid()

    def negated(x: int) -> int:
        if os.getpid() != parent:
            os._exit(7)
        return -x

    assert map_shared(negated, [1, 2, 3]) == [-1, -2, -3]


@needs_fork
def test_map_shared_counts_every_result_once(forking):
    counted: list[int] = []
    map_shared(lambda x: x, list(range(7)), counted.append)
    assert sum(counted) == 7
    assert counted.count(1) >= 4  # the four here one by one (the child's three come together)


@needs_fork
def test_map_shared_stops_the_child_when_an_error_here_comes_first(tmp_path, forking, gate):
    parent, late = os.getpid(), tmp_path / "late.txt"

    def slow_in_the_child(x: int) -> int:
        if os.getpid() == parent:
            raise ValueError("bad here")
        gate.wait()
        late.write_text("the child went on")
        return x

    with pytest.raises(ValueError, match="bad here"):
        map_shared(slow_in_the_child, [0, 1])
    gate.open_and_join()  # a child not stopped by now writes before this returns
    assert not late.exists()


def _refuse() -> None:
    raise RuntimeError("cannot be rebuilt here")


class Unbuildable:
    """Pickles, but cannot be unpickled."""

    def __reduce__(self):
        return (_refuse, ())


@needs_fork
def test_map_shared_computes_here_what_the_child_sent_but_cannot_be_rebuilt(forking):
    parent = os.getpid()
    assert map_shared(lambda x: x if os.getpid() == parent else Unbuildable(), [0, 1, 2, 3]) == [0, 1, 2, 3]


def test_map_shared_without_a_child_computes_here_in_order(monkeypatch):
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    seen: list[int] = []
    assert map_shared(lambda x: seen.append(x) or x, [3, 1, 2]) == [3, 1, 2]
    assert seen == [3, 1, 2]


@needs_fork
def test_stockpile_run_with_its_standard_error_closed_draws_its_figures(tmp_path):
    """Python sets ``sys.stderr`` to None where fd 2 is closed at start; the child forked ahead still draws."""
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY_SCENARIO_TEXT)
    command = [sys.executable, "-m", "simulator.cli", "run", str(scenario), "-o", str(tmp_path / "out")]
    done = subprocess.run(["sh", "-c", 'exec "$@" 2>&-', "sh", *command], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout
    assert sorted(p.name for p in (tmp_path / "out").glob("*.png")) == [
        "days_of_cover.png",
        "shortfall.png",
        "supply_mix.png",
    ]
