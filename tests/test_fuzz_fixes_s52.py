"""Session 52 fuzz audit: report stops on signals as the other commands do (D4), no Matplotlib
warning when its config folder cannot be made (D5), a sweep.json of ``{}`` refused (D6), a file
that is not a record said so in one line (D8)."""

from __future__ import annotations

import os
import random
import signal
import time
import weakref
from pathlib import Path

import pytest

from simulator.interrupt import Interrupted, interruptible
from tests.helpers import ROOT
from tests.test_interrupt import EXIT_CODES, catches_sigterm, stockpile, wait_until

SCENARIO = ROOT / "scenarios" / "long_embargo_6m.yaml"

# --- D4: report and signals -------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads the signal handlers from /proc")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_report_stopped_by_a_signal_says_so_and_exits_128_plus_the_signal(tmp_path, signum):
    """As run, compare, sweep...: one line, exit 130 or 143, no page and no temporary file left."""
    delay_s = random.Random().uniform(0.0, 0.5)  # the report's run and figures take over a second after that
    note = f"{signum.name} {delay_s:.3f} s after the command started"
    page = tmp_path / "out" / "r.html"
    report = stockpile("report", SCENARIO, "-o", page)
    try:
        assert wait_until(lambda: report.poll() is not None or catches_sigterm(report.pid), 30), note
        time.sleep(delay_s)
        report.send_signal(signum)
        _, stderr = report.communicate(timeout=60)
    finally:
        if report.poll() is None:
            report.kill()
    assert report.returncode == EXIT_CODES[signum], (note, stderr)
    assert stderr.strip().splitlines() == [f"report interrupted by {signum.name}"], (note, stderr)
    assert not page.parent.exists() or list(page.parent.iterdir()) == [], note


def test_a_signal_python_swallows_in_a_weakref_callback_still_stops_the_block(capsys):
    """A signal handled inside a weak reference's callback (Matplotlib leaves many) is raised
    where Python cannot pass it on: sent again, it stops the block, and no traceback is printed."""

    class Thing:
        pass

    def callback(_ref):
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(10_000):  # the handler runs here, inside the callback
            pass

    def block() -> None:
        with interruptible():
            thing = Thing()
            refs.append(weakref.ref(thing, callback))
            del thing
            time.sleep(5)

    refs: list[weakref.ref] = []
    started = time.monotonic()
    with pytest.raises(Interrupted) as caught:
        block()
    assert caught.value.signum == signal.SIGTERM and caught.value.exit_code == 143
    assert time.monotonic() - started < 2  # sent again at once, not at the end of the block
    assert refs[0]() is None
    assert "Exception ignored" not in capsys.readouterr().err
