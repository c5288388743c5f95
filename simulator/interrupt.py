"""Signals: SIGTERM handled like Ctrl-C, so that a command cleans up and exits 130 or 143.

Layer: ground.

Inside :func:`interruptible`, SIGINT and SIGTERM raise :class:`Interrupted` (a
``KeyboardInterrupt``) in the main thread, so the ``finally`` blocks that remove staging
folders, stop worker processes and release the folder's lock run for either signal, and
the command line exits with ``128 + signal number``. The ``stockpile`` program holds them
from the moment it imports this module, the first thing it does (:func:`hold_from_start`),
until its command starts. A signal that arrives while a module
is being imported waits until the import is done (see :func:`_raise`), and one that
arrives inside :func:`shielded` (a staging folder being made, moved in or removed) waits
until that step is whole.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived; the command stops, cleans up and exits ``128 + signum``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        """``SIGINT`` or ``SIGTERM``."""
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        """130 for SIGINT, 143 for SIGTERM (the shells' convention)."""
        return 128 + self.signum


IMPORT_WAIT_S = 0.05
"""How long a signal that arrived during an import waits before it is handled again."""
MAX_IMPORT_WAIT_S = 5.0
"""How long in all a signal waits for imports to finish before it interrupts one anyway."""


_waiting_since: dict[int, float] = {}
"""Per signal waiting for an import to finish: when it first arrived (monotonic seconds)."""
_resend: dict[int, threading.Timer] = {}
"""Per signal waiting for an import to finish: the timer that sends it again."""
_shield_depth = 0
"""How many :func:`shielded` blocks the main thread is in."""
_raised: list[int] = []
"""Signals raised as :class:`Interrupted` in the current :func:`interruptible` block."""


def _raise(signum: int, frame: FrameType | None) -> None:
    """Raise :class:`Interrupted`, unless a module is being imported: then ask again shortly.

    An exception raised inside an import can leave a compiled extension (pandas, PyArrow)
    half initialised: the import fails with a ``SystemError``, or Python aborts while it
    shuts down. So a signal arriving during an import is sent again every
    :data:`IMPORT_WAIT_S` until the import is done (at most :data:`MAX_IMPORT_WAIT_S`).
    """
    first = _waiting_since.setdefault(signum, time.monotonic())
    if _shield_depth:
        return  # raised as the shielded block ends
    if time.monotonic() - first < MAX_IMPORT_WAIT_S and _importing(frame):
        _send_again(signum)
        return
    _stop_waiting()
    _raised.append(signum)
    raise Interrupted(signum)


def _send_again(signum: int) -> None:
    """Send ``signum`` to this process again in :data:`IMPORT_WAIT_S` (it waits meanwhile, as for an import)."""
    _waiting_since.setdefault(signum, time.monotonic())
    if (earlier := _resend.pop(signum, None)) is not None:
        earlier.cancel()
    timer = threading.Timer(IMPORT_WAIT_S, os.kill, (os.getpid(), signum))
    timer.daemon = True
    _resend[signum] = timer
    timer.start()


def _unraisable(previous: Any) -> Any:
    """A ``sys.unraisablehook`` that sends again a signal Python swallowed, silently; others go to ``previous``.

    :class:`Interrupted` raised where Python cannot pass an exception on (a weak reference's
    callback or a ``__del__`` run by the garbage collector: Matplotlib and pandas leave many)
    would be printed as "Exception ignored in ..." with a traceback, and the command would go
    on as if no signal had come. So it is sent again, as a signal arriving during an import is
    (:func:`_send_again`): it stops the command a moment later, or, if the command's block
    ends first, as the block ends (:func:`interruptible`).
    """

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, Interrupted):
            _send_again(unraisable.exc_value.signum)
            return
        previous(unraisable)

    return hook


def _stop_waiting() -> list[int]:
    """Forget the signals waiting for an import (their timers stopped); return them."""
    waiting = list(_waiting_since)
    for timer in _resend.values():
        timer.cancel()
    _resend.clear()
    _waiting_since.clear()
    return waiting


def _importing(frame: FrameType | None) -> bool:
    """Whether ``frame`` or one of its callers is Python's import machinery at work."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


@contextmanager
def shielded() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM wait; the first of them is raised as it ends.

    For the few file-system steps that a signal must not cut in two: a staging folder
    made and remembered, its files moved in, the folder removed. A block ended by an
    exception lets that exception go on; a signal still waiting is then raised, if the
    command's block ends normally, by :func:`interruptible`. It holds signals back only
    inside :func:`interruptible` (the command line); under the Python API a Ctrl-C is
    Python's own ``KeyboardInterrupt``. Outside the main thread this does nothing
    (signals are handled in the main thread only).
    """
    global _shield_depth
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _shield_depth += 1
    try:
        yield
    finally:
        _shield_depth -= 1
    if not _shield_depth and _waiting_since:
        signum = _stop_waiting()[0]
        _raised.append(signum)  # as _raise does: if code on the way drops it, the block still ends on it
        raise Interrupted(signum)


def stop_if_signalled() -> None:
    """Raise :class:`Interrupted` now for a signal that came in the block and has not stopped the command.

    Called just before a command puts an output in place. A signal still waiting for an
    import to end, or one raised and caught on the way (a library's bare ``except``), would
    otherwise let the output be written whole and the command then exit 130 or 143 as
    :func:`interruptible` ends: an interrupted command that left its output. Does nothing
    inside :func:`shielded` (the signal is raised as that step ends, as it promises), while a
    ``KeyboardInterrupt`` is being handled (clean-up), or when no signal came.
    """
    if _shield_depth or isinstance(sys.exc_info()[1], KeyboardInterrupt):
        return
    if waiting := _stop_waiting():
        _raised.append(waiting[0])  # as _raise does: counted, should code on the way drop it
    if _raised:
        raise Interrupted(_raised[0])


@contextmanager
def interruptible() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise :class:`Interrupted` (main thread only).

    A signal still waiting for an import when the block ends is raised as it ends (the
    block's work is done, but the signal was sent while it ran), never after the handlers
    are restored; so is one Python swallowed in a weak reference's callback or a
    ``__del__`` (:func:`_unraisable`), without its "Exception ignored" traceback, and one
    raised in the block that code on the way caught and dropped (a bare ``except``). Before the
    block puts an output in place, :func:`stop_if_signalled` raises any of these at once.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _raise) for signum in (signal.SIGINT, signal.SIGTERM)}
    previous_hook, sys.unraisablehook = sys.unraisablehook, _unraisable(sys.unraisablehook)
    _raised.clear()
    try:
        yield
    except Interrupted:
        raise
    except Exception as exc:
        # raised inside a compiled library's callback (Matplotlib's renderer), Interrupted can
        # come out as another error ("Invalid bounding box"): the signal still ends the command
        if _raised:
            raise Interrupted(_raised[0]) from exc
        raise
    finally:
        waiting = _put_back(previous)
        sys.unraisablehook = previous_hook
        raised = list(_raised)
        _raised.clear()  # a signal belongs to its block: none is left to stop a later write outside one
    if stopped := waiting or raised:  # or raised and swallowed on the way (a library's bare except)
        raise Interrupted(stopped[0])


_program_phase = "library"
"""Where the ``stockpile`` program is: ``library`` (not the program: Python's handlers, nothing
held), ``starting`` (signals held), ``running`` (signals raised) or ``ended`` (signals held)."""


def hold_from_start() -> None:
    """For the ``stockpile`` program, first thing: SIGINT and SIGTERM wait until the command starts.

    A signal that arrives while the program imports its modules and parses its command line
    is held (as inside :func:`shielded`) and raised by :func:`start_command`, where the
    command line can say so and exit 130 or 143; with Python's own handler it would print a
    traceback, or click would turn it into "Aborted!" and exit code 1 (which ``check`` uses
    for drift). Calling it again, or outside the main thread, does nothing.
    """
    global _program_phase, _shield_depth
    if _program_phase != "library" or threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _raise)
    sys.unraisablehook = _unraisable(sys.unraisablehook)  # as in interruptible: never "Exception ignored"
    _shield_depth += 1
    _program_phase = "starting"


def start_command() -> None:
    """End the hold of :func:`hold_from_start`: from now on SIGINT and SIGTERM raise :class:`Interrupted`.

    A signal held meanwhile is raised now. Outside the program (the Python API, a test
    calling the command line in its process) this does nothing: Python's handlers stay.
    """
    global _program_phase, _shield_depth
    if _program_phase != "starting":
        return
    _program_phase = "running"
    _shield_depth -= 1
    if not _shield_depth and (waiting := _stop_waiting()):
        raise Interrupted(waiting[0])


def end_command() -> None:
    """The command has finished or is stopping: SIGINT and SIGTERM are held again, never raised.

    A late signal can no longer cut the command's last line short or turn a finished command
    into an interrupted one. Outside the program this does nothing.
    """
    global _program_phase, _shield_depth
    if _program_phase != "running":
        return
    _program_phase = "ended"
    _shield_depth += 1


def held_before_start() -> Interrupted | None:
    """The signal held since the program started, if the command never started (``--help``, a usage error)."""
    if _program_phase != "starting" or not _waiting_since:
        return None
    return Interrupted(next(iter(_waiting_since)))


def _put_back(handlers: dict[int, Any]) -> list[int]:
    """Restore ``handlers``; return the signals that arrived in the block or while restoring.

    Shielded: a signal that lands between two restored handlers is counted, not raised
    inside the clean-up (which would leave the other handler ours).
    """
    global _shield_depth
    _shield_depth += 1
    try:
        waiting = _stop_waiting()  # first: no resent signal after the handlers are back
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    finally:
        _shield_depth -= 1
    return waiting + _stop_waiting()


def _is_the_program() -> bool:
    """Whether this process is the ``stockpile`` program starting (not the Python API, a test or a worker).

    ``python -m simulator.cli`` runs the module as ``__main__`` (its spec named
    ``simulator.cli``); the ``stockpile`` script is ``__main__`` itself. A worker process
    that imports the program's main module again names it ``__mp_main__``.
    """
    main = sys.modules.get("__main__")
    if getattr(main, "__name__", None) != "__main__":
        return False
    spec_name = getattr(getattr(main, "__spec__", None), "name", None)
    return spec_name == "simulator.cli" or os.path.basename(getattr(main, "__file__", None) or "") == "stockpile"


if _is_the_program():  # imported first thing by the command line: held from here, not from its entry point on
    hold_from_start()
