"""Signals: SIGTERM handled like Ctrl-C, so that a command cleans up and exits 130 or 143.

Layer: ground.

Inside :func:`interruptible`, SIGINT and SIGTERM raise :class:`Interrupted` (a
``KeyboardInterrupt``) in the main thread, so the ``finally`` blocks that remove staging
folders, stop worker processes and release the folder's lock run for either signal, and
the command line exits with ``128 + signal number``.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


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


def _raise(signum: int, _frame: FrameType | None) -> None:
    raise Interrupted(signum)


@contextmanager
def interruptible() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise :class:`Interrupted` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _raise) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
