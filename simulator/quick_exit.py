"""Ending a finished command's process without the interpreter's teardown.

Layer: face (only the ``stockpile`` program ends its process).

When a command has finished, Python still tears down some 600 modules (pydantic's
schemas, Matplotlib's artists, pandas) object by object, with garbage collections in
between: 0.2-0.3 s of wall time that no one waits for on purpose, a seventh of
``stockpile run`` (measured 2026-12-03: 1.60 s against 1.42 s, best of 3 each, taken in
turns). :func:`exit_now` does what that exit does that matters here, then ends the process
at once. It steps aside, and the normal exit goes on, whenever skipping the teardown could
lose something.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading


def exit_now(done: SystemExit) -> None:
    """End the process with ``done``'s exit code, unless the normal exit is needed; then return.

    Before ending: the exit handlers run (what libraries registered with :mod:`atexit`:
    logging's flush, multiprocessing's clean-up), then standard output and error are
    flushed. The normal exit is needed, and this returns without ending anything, when:

    - another thread runs (a worker pool's, Dask's, a caller's): it would be cut off,
      where the normal exit waits for it or stops it properly;
    - a profiler, tracer, debugger or coverage tool watches the process
      (``python -m cProfile -m simulator.cli ...``, ``coverage run``, ``python -m pdb``):
      it reports, or starts again, once the program returns; so does ``python -i``, which
      opens its prompt after the command;
    - the exit code is not a number (``sys.exit("...")`` prints its message; click ends
      every command with a number);
    - a flush fails (the reader of a pipe has gone), which Python reports as it always has.

    The exit handlers run once either way: Python clears them once they have run.
    Output that a C library buffered itself (its ``stdio``) would be lost; nothing in
    this package writes so.
    """
    code = done.code
    if threading.active_count() != 1 or not isinstance(code, int) or _watched():
        return
    atexit._run_exitfuncs()  # as the normal exit does once no other thread runs
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: started without that stream (its descriptor closed)
                stream.flush()
    except (OSError, ValueError):  # a closed pipe or stream: the normal exit reports it
        return
    os._exit(code)


def _watched() -> bool:
    """Whether something reports or goes on once the program returns.

    A profiler or tracer set on this thread, a debugger loaded (``bdb``: pdb's base),
    ``python -i`` (it opens its prompt), or from Python 3.12 a monitoring tool.
    """
    if sys.gettrace() is not None or sys.getprofile() is not None or sys.flags.inspect or "bdb" in sys.modules:
        return True
    monitoring = getattr(sys, "monitoring", None)  # Python 3.12+: cProfile and coverage can use it
    return monitoring is not None and any(monitoring.get_tool(tool) is not None for tool in range(6))
