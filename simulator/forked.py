"""Work shared between this process and one forked child, as two cores allow.

Layer: ground (imports nothing from the project).

``stockpile run`` draws three or four figures, each a few tenths of a second of
Matplotlib; a forked child inherits the imported libraries and the finished run, so it
can draw half of them at once with no pickling and no start-up (:func:`run_shared`).
Before that, a child forked before the simulation (:func:`forked_ahead`) imports
Matplotlib while the run is computed, is handed the result (pickled) and draws with
:func:`run_shared` itself, so the run's own process imports Matplotlib only for a report,
where the child failed, or where no child is forked (:func:`can_fork` says no, and
``stockpile run --uncertainty``, whose fan charts need Matplotlib here anyway). The
child's tasks must only write files, or arrays made by :func:`shared_array` (the explorer
packs its page's blocks so). :func:`map_shared` computes a function over a list the same
way, the child pickling its (small) results back through a pipe (a sweep checks its axis
values so). The parent does its own half, then waits for the child; if the child failed
in any way (an exception, a signal, a non-zero exit), the parent does the child's part
itself, so an error is raised where it would have been without a child. An error or a
signal that stops a process kills and reaps its own child before it goes on (a finally
block); it does not reach the child's child (the child ahead's :func:`run_shared` child).
That one, like any child whose parent dies, is killed by the kernel as its parent dies
(Linux ``PR_SET_PDEATHSIG``), and, its parent gone, is reaped by init (or the nearest
subreaper): a zombie until then.
"""

from __future__ import annotations

import contextlib
import ctypes
import mmap
import os
import pickle
import platform
import shutil
import signal
import sys
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, BinaryIO, TypeVar

import numpy as np

from simulator.workers import default_workers

T = TypeVar("T")
R = TypeVar("R")

_FORK_WITH_THREADS = r"This process \(pid=\d+\) is multi-threaded, use of fork\(\) may lead to deadlocks in the child"
"""What Python 3.12+ warns (a DeprecationWarning) as a process with more than one OS thread forks."""
_WARNS_ON_FORK_WITH_THREADS = (3, 12)
"""The first Python that gives that warning."""

_PR_SET_PDEATHSIG = 1
"""``prctl`` option from Linux's ``sys/prctl.h``: the signal a child gets when its parent dies."""


def forks_here() -> bool:
    """Whether this process can share work with a forked child: Linux and two cores or more it may use."""
    return platform.system() == "Linux" and hasattr(os, "fork") and default_workers() >= 2


def can_fork() -> bool:
    """Whether a child can share the work now: :func:`forks_here` and no other Python thread.

    A thread holding a lock as the process forks would leave the child waiting on it for
    ever (a notebook's or a Dask worker's threads); ``stockpile run`` has none.
    """
    return forks_here() and threading.active_count() == 1


def shared_array(shape: tuple[int, ...], dtype: type | np.dtype) -> np.ndarray:
    """A zeroed array in memory shared with the children forked later: what a child writes, this process reads.

    An anonymous shared mapping; its pages are only touched when written.
    """
    count = int(np.prod(shape))
    memory = mmap.mmap(-1, max(1, count * np.dtype(dtype).itemsize))  # MAP_SHARED
    return np.frombuffer(memory, dtype, count).reshape(shape)


def run_shared(tasks: Sequence[Callable[[], object]]) -> None:
    """Run every task once: the odd ones in a forked child, the even ones here (in order without a child)."""
    if len(tasks) < 2 or not can_fork():
        for task in tasks:
            task()
        return
    mine, theirs = tasks[0::2], tasks[1::2]

    def run_theirs() -> None:
        for task in theirs:
            task()

    child = _fork(run_theirs)
    done = False
    try:
        for task in mine:
            task()
        _, status = os.waitpid(child, 0)
        done = True
    finally:
        if not done:  # stopped by an error or a signal: the child's files are not wanted
            _stop(child)
    if os.waitstatus_to_exitcode(status) != 0:
        run_theirs()


def _flush_stderr() -> None:
    """Flush standard error, unless it is closed (``sys.stderr`` is None where fd 2 was closed at start)."""
    if sys.stderr is not None:
        sys.stderr.flush()


class Ahead:
    """A child forked before its work's data exists, to prepare (import, say) while this process computes it.

    The child runs ``prepare()`` at once; it returns the work, a function of one argument.
    :meth:`hand` sends that argument, pickled through a pipe, and waits for the child to do
    the work; as with :func:`run_shared`, the work must only write files. The child may fork
    in turn (:func:`run_shared`): that grandchild is not killed by this process but by the
    kernel as the child dies (``PR_SET_PDEATHSIG``), then reaped by init, not here; its
    files are then unwanted or written again here. What the child (and its
    child) write to standard error, warnings say, is written here once the work is done;
    if it failed, it is dropped, as the work is done again here and says what goes wrong
    itself (a warning once, not once per process that tried). The child prepares, then
    waits for :meth:`hand`; :meth:`stop` kills it (see :func:`forked_ahead`).

    With ``temporary`` true, the child's temporary files and folders (:mod:`tempfile`'s,
    with no folder named) are made in a folder of this process's, which :meth:`stop`
    removes once the child is gone: ended with ``os._exit``, or killed, the child runs no
    exit handler, so what a library made in TMPDIR for one to remove (Matplotlib's
    ``matplotlib-*`` config folder where HOME is not writable) would be left there. Only
    where the child may make such a thing: the folder itself is left in TMPDIR if this
    process is killed by SIGKILL.
    """

    def __init__(self, prepare: Callable[[], Callable[[Any], object]], temporary: bool = False) -> None:
        self._temporary: str | None = tempfile.mkdtemp(prefix="stockpile-child-") if temporary else None
        try:
            self._said: BinaryIO | None = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop): the child's stderr
        except BaseException:
            self._remove_temporary()
            raise
        said = self._said.fileno()
        read_end, write_end = os.pipe()
        child_tmp = self._temporary

        def wait_then_work() -> None:
            if child_tmp is not None:
                tempfile.tempdir = child_tmp
            os.close(write_end)
            os.dup2(said, 2)
            work = prepare()
            with os.fdopen(read_end, "rb") as pipe:
                work(pickle.load(pipe))  # nothing sent (this process gave up): EOFError, exit 1

        try:
            _flush_stderr()  # nothing written before the fork is written again by the child
            self._child: int | None = _fork(wait_then_work)
        except BaseException:
            os.close(write_end)
            self._said.close()
            self._remove_temporary()
            raise
        finally:
            os.close(read_end)
        self._pipe: int | None = write_end

    def hand(self, data: object) -> bool:
        """Have the child do its work on ``data``; whether it did it all (if not, do it here: it raises here).

        False, with no child left, if ``data`` cannot be pickled or the child failed in any
        way (an exception in ``prepare`` or the work, a signal, a non-zero exit). Called
        once; a signal or error here kills the child first (a finally block).
        """
        try:
            sent = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # what cannot be pickled is worked on here
            self.stop()
            return False
        try:
            if not self._send(sent):
                return False
            assert self._child is not None  # sent, so neither stopped nor handed to before
            _, status = os.waitpid(self._child, 0)
            self._child = None  # reaped
            if os.waitstatus_to_exitcode(status) != 0:
                return False
            self._show_said()
            return True
        finally:
            self.stop()

    def stop(self) -> None:
        """Kill and reap the child unless it was reaped; close the pipe (the work is not done, unless it was).

        Then remove the child's temporary folder, with what the child left in it.
        """
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        if self._child is not None:
            _stop(self._child)
            self._child = None
        if self._said is not None:
            self._said.close()
            self._said = None
        self._remove_temporary()

    def _remove_temporary(self) -> None:
        """Remove the child's temporary folder (the child is gone, or was never forked)."""
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None

    def _show_said(self) -> None:
        """Write here what the child (done with its work) wrote to standard error: its warnings."""
        assert self._said is not None  # called before stop() closes it
        self._said.seek(0)
        said = self._said.read()
        if said and sys.stderr is not None:  # None: this process's standard error is closed
            sys.stderr.write(said.decode(errors="replace"))
            sys.stderr.flush()

    def _send(self, data: bytes) -> bool:
        """Write ``data`` whole into the pipe, then close it; whether the child read it (False: it died)."""
        pipe, self._pipe = self._pipe, None
        if pipe is None:
            return False
        try:
            view = memoryview(data)
            while view:  # blocks while the child still prepares (a pipe holds 64 KiB)
                view = view[os.write(pipe, view) :]
            return True
        except BrokenPipeError:
            return False
        finally:
            os.close(pipe)


@contextlib.contextmanager
def forked_ahead(prepare: Callable[[], Callable[[Any], object]], temporary: bool = False) -> Iterator[Ahead | None]:
    """An :class:`Ahead` child, killed as the block ends unless its work is done (None: do the work here).

    None where :func:`can_fork` says no, or where the system gives no child now (its
    temporary file or folder, pipe or process). ``stockpile run`` forks it before the
    simulation: the child imports Matplotlib (about 0.4 s) while this process simulates,
    then draws the figures of the result it is handed. ``temporary``: the child's
    temporary files go in a folder removed with it (see :class:`Ahead`).
    """
    if not can_fork():
        yield None
        return
    try:
        ahead = Ahead(prepare, temporary)
    except OSError:  # no temporary file, pipe or process to be had now: the work is done here, as without
        yield None
        return
    try:
        yield ahead
    finally:  # an error or a signal before the hand-over: the child is not wanted
        ahead.stop()


def map_shared(function: Callable[[T], R], items: Sequence[T], done: Callable[[int], object] | None = None) -> list[R]:
    """``[function(x) for x in items]``, the odd items computed in a forked child.

    The child sends its results back pickled through a pipe, so they should be small
    (unpickling a large one here can cost what computing it does). Each process stops at
    its first item that raises; every result missing then (all of the child's if this
    process stopped early, or if the child failed in any way) is computed here, in order,
    so the first item that fails raises here, as it would without a child. ``function``
    must not change anything this process reads (what the child changes stays in the
    child). ``done(n)`` is called here as results come in: one by one for this process's
    own, all at once for the child's.
    """
    if len(items) < 2 or not can_fork():
        return [_counted(function, item, done) for item in items]
    read_end, write_end = os.pipe()

    def send_theirs() -> None:
        os.close(read_end)
        with os.fdopen(write_end, "wb") as pipe:
            pickle.dump(_until_error(function, items, 1)[0], pipe, protocol=pickle.HIGHEST_PROTOCOL)

    child = _fork(send_theirs)
    reaped = False
    try:
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            results, whole = _until_error(function, items, 0, done)
            if whole:  # else an item at or before this process's failed one raises: the child's are not needed
                theirs = _received(pipe)
                results.update(theirs)
                if done is not None:
                    done(len(theirs))
                os.waitpid(child, 0)
                reaped = True
    finally:
        if not reaped:  # stopped early, by an error or a signal: the child's work is not wanted
            _stop(child)
    return [results[k] if k in results else _counted(function, items[k], done) for k in range(len(items))]


def _counted(function: Callable[[T], R], item: T, done: Callable[[int], object] | None) -> R:
    result = function(item)
    if done is not None:
        done(1)
    return result


def _until_error(
    function: Callable[[T], R], items: Sequence[T], start: int, done: Callable[[int], object] | None = None
) -> tuple[dict[int, R], bool]:
    """Every other item's result from ``start`` on, up to the first item that raises; and whether none did."""
    found: dict[int, R] = {}
    for k in range(start, len(items), 2):
        try:
            found[k] = _counted(function, items[k], done)
        except Exception:  # computed again in order by the caller, which raises it there
            return found, False
    return found, True


def _received(pipe: BinaryIO) -> dict[int, Any]:
    """The child's results; none if it sent nothing whole (it failed: they are computed here)."""
    try:
        return pickle.load(pipe)
    except Exception:  # cut short, or a result that cannot be rebuilt here
        return {}


def _fork_quietly() -> int:
    """``os.fork()`` with its warning about other OS threads ignored (see :func:`_fork`)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_FORK_WITH_THREADS, category=DeprecationWarning)
        return os.fork()


def _fork(work: Callable[[], object]) -> int:
    """A forked child that does ``work`` and exits (0 if it returned, 1 if not); its pid.

    The child is killed when this process dies (``PR_SET_PDEATHSIG``), or does nothing if
    this process died before it could ask for that.
    """
    parent = os.getpid()
    # Python 3.12+ warns as it forks a process with more than one OS thread, in the parent
    # once the child exists: raised as an error (the test suite's filter), the child would
    # be left running untracked. numpy's OpenBLAS pool is such a thread; OpenBLAS registers
    # pthread_atfork handlers, and the child runs only this project's code (no Python thread
    # but this one, see can_fork), so that warning alone is ignored. Only where it exists:
    # entering catch_warnings resets which warnings were shown, so one would be shown again.
    child = _fork_quietly() if sys.version_info >= _WARNS_ON_FORK_WITH_THREADS else os.fork()
    if child == 0:  # the child: never returns into the caller's code
        code = 1
        try:
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() == parent:  # not orphaned before the line above
                work()
                code = 0
        finally:
            os._exit(code)
    return child


def _stop(child: int) -> None:
    """Kill and reap a child whose work is not wanted."""
    with contextlib.suppress(ProcessLookupError, ChildProcessError):  # reaped just before a signal came
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
