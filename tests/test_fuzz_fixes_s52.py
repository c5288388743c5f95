"""Session 52 fuzz audit: report stops on signals as the other commands do (D4), no Matplotlib
warning when its config folder cannot be made (D5), a sweep.json of ``{}`` refused (D6), a file
that is not a record said so in one line (D8)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import weakref
from pathlib import Path

import pytest

from simulator.interrupt import Interrupted, interruptible
from tests.helpers import ROOT, TINY_SCENARIO_TEXT, TWO_POINT_SWEEP, contents, forbid_simulation, invoke, no_traceback
from tests.test_interrupt import EXIT_CODES, catches_sigterm, stockpile, wait_until
from tests.test_sweep import write

SCENARIO = ROOT / "scenarios" / "long_embargo_6m.yaml"

# --- D4: report and signals -------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads the signal handlers from /proc")
@pytest.mark.parametrize(
    ("signum", "delay_s"), [(signal.SIGINT, 0.0), (signal.SIGTERM, 0.05)], ids=["SIGINT", "SIGTERM"]
)
def test_report_stopped_by_a_signal_says_so_and_exits_128_plus_the_signal(tmp_path, signum, delay_s):
    """As run, compare, sweep...: one line, exit 130 or 143, no page and no temporary file left.

    The signal goes as soon as the report's handlers are in (its imports, run and figures take
    over a second more). A report that had already ended when the signal was sent (a machine
    so loaded that it outran the test) must be whole; one still running must stop."""
    note = f"{signum.name} {delay_s:.3f} s after the command's handlers were in"
    page = tmp_path / "out" / "r.html"
    report = stockpile("report", SCENARIO, "-o", page)
    try:
        assert wait_until(lambda: report.poll() is not None or catches_sigterm(report.pid), 30), note
        time.sleep(delay_s)
        ended_first = report.poll() is not None
        report.send_signal(signum)
        _, stderr = report.communicate(timeout=60)
    finally:
        if report.poll() is None:
            report.kill()
    if ended_first:
        assert report.returncode == 0 and stderr == "", (note, stderr)
        assert [p.name for p in page.parent.iterdir()] == ["r.html"], note
        return
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


# --- D5: Matplotlib's config folder -------------------------------------------------------------------


def stockpile_with(env: dict[str, str], *args) -> subprocess.CompletedProcess:
    """``stockpile ARGS`` in a new process, with Matplotlib's folder variables unset, then ``env``."""
    base = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
    command = [sys.executable, "-m", "simulator.cli", *(str(a) for a in args)]
    return subprocess.run(command, env={**base, **env}, capture_output=True, text=True, timeout=120, cwd=ROOT)


def tiny(tmp_path: Path) -> Path:
    """The 40-day one-region scenario: its run draws the three figures (and so imports and configures
    Matplotlib) in about half the CPU time of long_embargo_6m's (730 days, two regions, three materials)."""
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_SCENARIO_TEXT)
    return path


def test_no_matplotlib_warning_when_its_folder_cannot_be_made(tmp_path):
    """A folder under a file cannot be made, even by root: the figures are drawn, stderr stays empty,
    and the private temporary folder is gone when the command ends. Here ``MPLCONFIGDIR`` names such a
    folder; a HOME that is a file is tests/test_mpl_tmp_s56.py's whole run, which checks the same."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {"HOME": "/etc/passwd/x", "MPLCONFIGDIR": "/etc/passwd/matplotlib", "TMPDIR": str(temporary)}
    done = stockpile_with(env, "run", tiny(tmp_path), "-o", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert {"days_of_cover.png", "shortfall.png", "supply_mix.png"} <= {p.name for p in (tmp_path / "out").iterdir()}
    assert list(temporary.iterdir()) == []


def test_a_writable_mplconfigdir_is_the_one_used(tmp_path):
    """Guard: the user's own writable MPLCONFIGDIR stays the one Matplotlib uses (its font cache is there).

    No project code touches MPLCONFIGDIR (0b5ba46 removed the code that set a folder of its own);
    this fails if such code comes back and replaces the user's folder.
    """
    mine = tmp_path / "mpl"
    done = stockpile_with({"MPLCONFIGDIR": str(mine)}, "run", tiny(tmp_path), "-o", tmp_path / "out")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert [p.name for p in mine.glob("fontlist-*.json")], list(mine.iterdir())


# --- D6: plot-sweep on a sweep.json without its keys ---------------------------------------------------


@pytest.fixture(scope="module")
def finished_sweep(tmp_path_factory) -> Path:
    """A finished two-point sweep's folder (no figures), each test copying it."""
    folder = tmp_path_factory.mktemp("sweep")
    swept = invoke("sweep", write(folder), *TWO_POINT_SWEEP, "--no-plots", "-o", folder / "out")
    assert swept.exit_code == 0, swept.output
    return folder / "out"


@pytest.mark.parametrize(("keys", "missing"), [((), ["grid", "members"]), (("grid",), ["members"])])
def test_plot_sweep_refuses_a_sweep_json_without_its_keys(tmp_path, finished_sweep, keys, missing):
    """``{}`` drew nothing and exited 0 ("no figure drawn"); as a null value, a missing key is refused."""
    folder = tmp_path / "sweep"
    shutil.copytree(finished_sweep, folder)
    info = json.loads((folder / "sweep.json").read_text())
    (folder / "sweep.json").write_text(json.dumps({key: info[key] for key in keys}))
    before = contents(folder)
    result = invoke("plot-sweep", folder)
    assert result.exit_code == 2 and no_traceback(result), result.output
    assert result.output.strip().splitlines() == [
        f"error: {folder}: sweep.json: {key}: missing, so not the sweep.json a sweep wrote; run the sweep again"
        for key in missing
    ]
    assert contents(folder) == before  # nothing drawn, nothing removed


def test_plot_sweep_draws_the_sweep_json_a_sweep_wrote(tmp_path, finished_sweep):
    """The check refuses no sweep.json a sweep writes (both keys there, the grid a mapping)."""
    folder = tmp_path / "sweep"
    shutil.copytree(finished_sweep, folder)
    result = invoke("plot-sweep", folder)
    assert result.exit_code == 0, result.output
    assert "wrote " in result.output


# --- D8: a file that is not a record, and a record with problems in every row --------------------------

RECORD = ROOT / "scenarios" / "records" / "rare_earths_2010_2012.csv"
HISTORICAL = ROOT / "scenarios" / "embargo_2010_historical.yaml"
NOT_A_RECORD = (
    "is not a record: its first line names none of a record's columns (date, quantity, region, material, value)"
)


def test_a_scenario_given_as_the_record_is_said_not_to_be_one(tmp_path, monkeypatch):
    """It gave 132 lines, one per row of the YAML ('5 values, but the header names 1 columns')."""
    forbid_simulation(monkeypatch)
    result = invoke("report", SCENARIO, "-o", tmp_path / "r.html", "--record", SCENARIO)
    assert result.exit_code == 2 and no_traceback(result), result.output
    assert result.output.strip().splitlines() == [f"error: {SCENARIO}: {NOT_A_RECORD}"]
    fit = ("--fit", "market.light_ree.price.sensitivity=0.5:2", "--iterations", 1, "--population", 4)
    result = invoke("calibrate", HISTORICAL, "--record", HISTORICAL, *fit, "-o", tmp_path / "out")
    assert result.exit_code == 2 and no_traceback(result), result.output
    assert result.output.strip().splitlines() == [f"error: {HISTORICAL}: {NOT_A_RECORD}"]
    assert not (tmp_path / "out").exists() and not (tmp_path / "r.html").exists()


def test_missing_columns_are_named_before_the_rows(tmp_path, monkeypatch):
    """A header lacking columns: one line naming them, not one per row whose values run past the header."""
    record = tmp_path / "r.csv"
    record.write_text("date,quantity,region\n" + "2010-07-26,price,world,light_ree,12\n" * 30)
    forbid_simulation(monkeypatch)
    result = invoke("report", HISTORICAL, "-o", tmp_path / "r.html", "--record", record)
    assert result.exit_code == 2, result.output
    line = f"error: {record}: missing column(s): material, value (need date, quantity, region, material, value)"
    assert result.output.strip().splitlines() == [line]


def test_problems_in_every_row_are_capped_at_ten_and_counted(tmp_path, monkeypatch):
    """The audit's horizon case: 120 days from the scenario's start in 2026 hold none of the record's
    35 rows (2010 to 2012); it printed 35 lines. Now the first 10, then how many more and in which rows."""
    rows = [line for line in RECORD.read_text().splitlines()[1:] if line.strip()]
    assert len(rows) == 35
    forbid_simulation(monkeypatch)
    args = ("report", SCENARIO, "-o", tmp_path / "r.html", "--set", "horizon_days=120", "--record", RECORD)
    result = invoke(*args)
    assert result.exit_code == 2 and no_traceback(result), result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 11
    assert [line.split(": ")[2] for line in lines[:10]] == [f"row {k}.date" for k in range(2, 12)]
    assert all("lies outside the horizon (days 0 to 119)" in line for line in lines[:10])
    assert lines[10] == f"error: {RECORD}: and 25 more problem(s), in rows 12 to 36"
