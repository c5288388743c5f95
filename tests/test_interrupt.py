"""SIGINT, SIGTERM and SIGKILL at a random point of a real `sweep --workers 2` or `run` in a
subprocess: the exit code, no process left behind, no staging folder, one line saying how
to resume, and a resumed sweep with the uninterrupted table's bytes (issue 20)."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import manifest_of
from tests.test_sweep import invoke, write

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads child processes from /proc")

# 3 points x 48 runs in 36 chunks of 4: long enough to be caught in the middle
SWEEP = ("--grid", "agreement.ratio.japan=0.2:0.8:0.3", "--runs", 48, "--seed", 3, "--chunk-runs", 4)
EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGKILL: -signal.SIGKILL}


def stockpile(*args) -> subprocess.Popen:
    command = [sys.executable, "-m", "simulator.cli", *(str(a) for a in args)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):  # the thread ended meanwhile
            found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    """Running or sleeping: not gone and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def catches_sigterm(pid: int) -> bool:
    """Whether the process has its SIGTERM handler installed (the command has started)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
    return bool(caught >> (signal.SIGTERM - 1) & 1)


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def hidden_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".stockpile"))


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> bytes:
    """The table of the sweep run without interruption (one worker, in this process; its table alone)."""
    folder = tmp_path_factory.mktemp("whole")
    result = invoke("sweep", write(folder), *SWEEP, "--workers", 1, "--no-plots", "-o", folder / "out")
    assert result.exit_code == 0, result.output
    return (folder / "out" / "sweep.parquet").read_bytes()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
@pytest.mark.xdist_group("interrupt-sweep")  # one uninterrupted table, also under pytest -n
def test_a_sweep_stopped_by_a_signal_resumes_to_the_same_table(tmp_path, uninterrupted, signum):
    delay_s = random.Random().uniform(0.0, 0.3)
    note = f"{signum.name} {delay_s:.3f} s after the first finished chunk"
    scenario, out = write(tmp_path), tmp_path / "out"
    sweep = stockpile("sweep", scenario, *SWEEP, "--workers", 2, "-o", out)
    try:
        assert wait_until(lambda: sweep.poll() is not None or list(out.glob(".chunks/chunk-*.json")), 60), note
        assert sweep.poll() is None, f"the sweep ended before the first chunk: {sweep.communicate()}"
        second = invoke("sweep", scenario, *SWEEP, "--workers", 1, "-o", out)  # the folder is taken
        assert second.exit_code == 2 and f"(PID {sweep.pid} on " in second.output, second.output
        time.sleep(delay_s)
        workers = children(sweep.pid)
        sweep.send_signal(signum)
        _, stderr = sweep.communicate(timeout=30)
    finally:
        if sweep.poll() is None:
            sweep.kill()
    # two workers while chunks are computed; none once the table is being assembled
    assert len(workers) <= 2, note
    assert wait_until(lambda: not any(map(alive, workers)), 5), f"workers outlived the sweep: {note}"
    if sweep.returncode == 0:  # the sweep finished before the signal arrived
        assert (out / "sweep.parquet").read_bytes() == uninterrupted, note
        return
    assert sweep.returncode == EXIT_CODES[signum], (note, stderr)
    if signum != signal.SIGKILL:
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"sweep interrupted by {signum.name}"), (note, stderr)
        assert lines[0].endswith("run the same command to resume") or "plot-sweep" in lines[0], (note, stderr)
        assert hidden_leftovers(out) == [], note  # no staging folder, no lock
    # the interrupted sweep draws its figures (a signal may land among them); the resumed one is
    # checked for its table and leftovers alone
    resumed = invoke("sweep", scenario, *SWEEP, "--workers", 1, "--no-plots", "-o", out)
    assert resumed.exit_code == 0, (note, resumed.output)
    assert (out / "sweep.parquet").read_bytes() == uninterrupted, note
    assert hidden_leftovers(out) == [] and not (out / ".chunks").exists(), note


@pytest.fixture(scope="module")
def run_outputs(tmp_path_factory) -> tuple[Path, bytes, Path]:
    """The scenario the run tests stop, the table its run with seed 2 writes (the run the signal
    stops) and a whole earlier output in a folder (seed 1, figures too): made once for the three
    signals, which only read them (each test copies the earlier output into its own folder)."""
    folder = tmp_path_factory.mktemp("runs")
    scenario = write(folder)
    assert invoke("run", scenario, "-o", folder / "expected", "--seed", 2, "--no-plots").exit_code == 0
    assert invoke("run", scenario, "-o", folder / "earlier", "--seed", 1).exit_code == 0
    return scenario, (folder / "expected" / "timeseries.csv").read_bytes(), folder / "earlier"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
@pytest.mark.xdist_group("interrupt-run")  # one earlier output, also under pytest -n
def test_a_run_stopped_by_a_signal_leaves_whole_outputs(tmp_path, run_outputs, signum):
    """Whatever the moment, the folder holds one whole output: the earlier run's or the new one's."""
    (scenario, expected, whole), out = run_outputs, tmp_path / "out"
    shutil.copytree(whole, out)  # what `stockpile run -o out --seed 1` wrote: an output folder holds no path
    earlier = (out / "timeseries.csv").read_bytes()
    delay_s = random.Random().uniform(0.0, 2.0)
    note = f"{signum.name} {delay_s:.3f} s after the command started"
    run = stockpile("run", scenario, "-o", out, "--seed", 2)
    assert wait_until(lambda: run.poll() is not None or catches_sigterm(run.pid), 30)
    with contextlib.suppress(subprocess.TimeoutExpired):  # a run that ends first is not waited for further
        run.wait(timeout=delay_s)
    run.send_signal(signum)  # nothing is sent to a run that ended
    _, stderr = run.communicate(timeout=60)
    assert run.returncode in (0, EXIT_CODES[signum]), (note, stderr)
    if run.returncode == EXIT_CODES[signal.SIGINT] or run.returncode == EXIT_CODES[signal.SIGTERM]:
        assert stderr.strip().splitlines() == [f"run interrupted by {signum.name}"], (note, stderr)
    if signum != signal.SIGKILL:
        assert hidden_leftovers(out) == [], note
    listed = set(manifest_of(out)["files"])
    present = {p.name for p in out.iterdir() if not p.name.startswith(".stockpile")}
    assert listed == present, note
    assert (out / "timeseries.csv").read_bytes() in (earlier, expected), note
    # the folder takes the next run whatever was stopped in it; its figures (drawn here, in the test's
    # process: most of the rerun's time) are looked at by no assertion, so the rerun draws none
    rerun = invoke("run", scenario, "-o", out, "--seed", 2, "--no-plots")
    assert rerun.exit_code == 0, (note, rerun.output)
    assert (out / "timeseries.csv").read_bytes() == expected != earlier, note  # the seed moves the noise
    assert hidden_leftovers(out) == [], note


def test_a_worker_whose_parent_died_exits_by_itself():
    """The watchdog alone, without any signal handling: the parent is SIGKILLed."""
    code = (
        "import os, time\n"
        "from simulator.sweep.backends import local_processes\n"
        "def slow(chunk):\n"
        "    os.write(1, f'{os.getpid()}\\n'.encode())  # one write: the two workers' lines never mix\n"
        "    time.sleep(60)\n"
        "for _ in local_processes([1, 2], slow, 2):\n"
        "    pass\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        workers = {int(parent.stdout.readline()), int(parent.stdout.readline())}
        assert all(map(alive, workers))
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
    assert wait_until(lambda: not any(map(alive, workers)), 5)


IMPORTING = """
import sys, time
sys.path.insert(0, sys.argv[1])
import simulator.interrupt as interrupt
from simulator.interrupt import Interrupted, interruptible
interrupt.MAX_IMPORT_WAIT_S = float(sys.argv[2])
try:
    with interruptible():
        import slow_module
        if sys.argv[3] == "then-work":
            time.sleep(5)
except Interrupted as exc:
    module = sys.modules.get("slow_module")
    print(exc.name, "whole" if getattr(module, "DONE", False) else "cut", flush=True)
time.sleep(0.3)  # with the default handlers back: a signal sent again now would kill it
"""


@pytest.mark.parametrize(
    ("max_wait_s", "after", "outcome"),
    [(5.0, "then-work", "whole"), (5.0, "then-end", "whole"), (0.2, "then-work", "cut")],
)
def test_a_signal_during_an_import_waits_for_the_import_to_finish(tmp_path, max_wait_s, after, outcome):
    """An interrupted import can leave a compiled extension half made (pandas then fails with
    a SystemError, or Python aborts on exit): the signal is handled once the import is done
    (or as the block ends, if it ends first), unless the import takes longer than the wait
    allowed; it is never sent again once the block is over."""
    # it says so once it is being imported, and the signal is sent then: 0.7 s before an import waited
    # for ends, or 2 s before one that is cut would (it is not waited for: 0.2 s then a cut, whatever its length)
    steps = 28 if outcome == "whole" else 80
    slow = (
        f"import time\nprint('importing', flush=True)\nfor _ in range({steps}):\n    time.sleep(0.025)\nDONE = True\n"
    )
    (tmp_path / "slow_module.py").write_text(slow)
    child = subprocess.Popen(
        [sys.executable, "-c", IMPORTING, str(tmp_path), str(max_wait_s), after],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "importing"
    child.send_signal(signal.SIGTERM)
    out, err = child.communicate(timeout=30)
    assert out.strip() == f"SIGTERM {outcome}", err
    assert child.returncode == 0, err


SHIELDED = """
import json, os, shutil, signal, sys, tempfile
from pathlib import Path
import simulator.output_folder as output_folder
from simulator.interrupt import Interrupted, interruptible
from simulator.output_folder import manifest_info, open_folder

folder, step = Path(sys.argv[1]), sys.argv[2]
real = {"mkdtemp": tempfile.mkdtemp, "replace": os.replace, "rmtree": shutil.rmtree}

calls = []

def signal_then(name):
    def step_with_a_signal(*args, **kwargs):
        calls.append(name)
        if name == "mkdtemp":
            made = real[name](*args, **kwargs)
            os.kill(os.getpid(), signal.SIGINT)  # the folder exists, its name not yet returned
            return made
        if name == "rmtree" or len(calls) == 2:  # replace: the data file, after the provisional manifest
            os.kill(os.getpid(), signal.SIGINT)  # before the step: it must run whole all the same
        return real[name](*args, **kwargs)
    return step_with_a_signal

patched = {"mkdtemp": (output_folder.tempfile, "mkdtemp"), "replace": (output_folder.os, "replace"),
           "rmtree": (output_folder.shutil, "rmtree")}
try:
    with interruptible(), open_folder(folder, ["out.csv"]) as out:
        if step == "discard":  # a sweep's checkpoints, removed while a signal comes
            (folder / ".chunks").mkdir()
            for name in ("fingerprint", "chunk-000000.json", "chunk-000001.json"):
                (folder / ".chunks" / name).write_text("x")
            setattr(*patched["rmtree"], signal_then("rmtree"))
            output_folder.discard(folder / ".chunks")
        else:
            setattr(*patched[step], signal_then(step))
            with out.staged(manifest_info()) as stage:
                (stage / "out.csv").write_text("1\\n")
    print("not interrupted")
except Interrupted as exc:
    manifest = folder / "manifest.json"
    listed = json.loads(manifest.read_text())["files"] if manifest.exists() else []
    print(json.dumps([exc.name, sorted(p.name for p in folder.iterdir()), listed]))
"""


@pytest.mark.parametrize(
    ("step", "left"),
    [
        ("mkdtemp", []),  # the staging folder made, the signal before its name is kept
        ("replace", ["manifest.json", "out.csv"]),  # the signal as the files move in
        ("rmtree", ["manifest.json", "out.csv"]),  # the signal as the empty stage is removed
        ("discard", []),  # checkpoints moved into a stage at once; the stage removed as the command ends
    ],
)
def test_a_signal_inside_a_folder_step_waits_until_the_step_is_whole(tmp_path, step, left):
    """The steps a signal must not cut in two: making the staging folder (else nothing removes
    it), moving the files in (else the manifest lists a file not moved in yet) and removing
    the stage or a sweep's checkpoints (else half a folder stays, or checkpoints without
    their marker). A signal sent inside one is raised as the step ends, and cleaning up
    leaves no hidden folder and no lock, and a manifest listing exactly the files present."""
    folder = tmp_path / "out"
    folder.mkdir()
    child = subprocess.run(
        [sys.executable, "-c", SHIELDED, str(folder), step], capture_output=True, text=True, timeout=60
    )
    assert child.returncode == 0, child.stderr
    assert json.loads(child.stdout) == ["SIGINT", left, left]


AT_THE_TABLE = """
import os, signal, sys
real = os.replace

def replace(src, dst):
    if str(dst).endswith("sweep.parquet"):  # the table moves in: a Ctrl-C must wait for the whole step
        os.kill(os.getpid(), signal.SIGINT)
    return real(src, dst)

os.replace = replace
sys.argv = ["stockpile", *sys.argv[1:]]
from simulator.cli import entry
entry()
"""


def test_a_signal_as_the_sweep_table_moves_in_keeps_the_table_and_says_so(tmp_path):
    """A signal held back while the table's files move in is raised once they are in: the
    table is complete, so the sweep deletes its checkpoints and says to draw the figures,
    not to resume (which would have computed every chunk again)."""
    scenario, out = write(tmp_path), tmp_path / "out"
    # the signal comes as the table moves in, whatever its length: 3 points x 4 runs in 6 chunks (checkpoints
    # to delete), not SWEEP's 144 runs, which are long only so that a signal at a random time finds it running
    short = ("--grid", "agreement.ratio.japan=0.2:0.8:0.3", "--runs", 4, "--seed", 3, "--chunk-runs", 2)
    args = ["sweep", scenario, *short, "--workers", 1, "-o", out]
    child = subprocess.run(
        [sys.executable, "-c", AT_THE_TABLE, *map(str, args)], capture_output=True, text=True, timeout=120
    )
    assert child.returncode == EXIT_CODES[signal.SIGINT], child.stderr
    lines = child.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sweep interrupted by SIGINT after writing the table"), lines
    assert "plot-sweep" in lines[0]
    listed = set(manifest_of(out)["files"])
    assert listed == {p.name for p in out.iterdir()} and "sweep.parquet" in listed
    assert hidden_leftovers(out) == [] and not (out / ".chunks").exists()


AS_HANDLERS_RETURN = """
import os, signal
from simulator import interrupt
from simulator.interrupt import Interrupted, interruptible

before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
real = signal.signal
sent = []

def put_back(signum, handler):
    previous = real(signum, handler)
    if handler is not interrupt._raise and not sent:  # one handler back, the other still ours
        sent.append(signum)
        os.kill(os.getpid(), signal.SIGTERM)
    return previous

try:
    with interruptible():
        signal.signal = put_back
    print("not interrupted")
except Interrupted as exc:
    signal.signal = real
    back = {s: signal.getsignal(s) for s in before} == before
    print(exc.name, "handlers back" if back else "a handler left ours")
"""


def test_a_signal_as_the_handlers_are_put_back_is_raised_once_both_are_back():
    """A SIGTERM that lands after the first handler is restored and before the second used to
    be raised inside the clean-up, leaving SIGTERM's handler ours; it is now counted and
    raised once both are back."""
    child = subprocess.run([sys.executable, "-c", AS_HANDLERS_RETURN], capture_output=True, text=True, timeout=60)
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == "SIGTERM handlers back"


def test_a_signal_that_a_library_turned_into_another_error_still_ends_the_command_as_the_signal():
    """Matplotlib's renderer turns an Interrupted raised in its callback into ``ValueError``."""
    from simulator.interrupt import Interrupted, interruptible

    def renderer() -> None:
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the handler raises here
        except Interrupted:
            raise ValueError("Invalid bounding box") from None

    def command() -> None:
        with interruptible():
            renderer()

    with pytest.raises(Interrupted) as stopped:
        command()
    assert stopped.value.signum == signal.SIGTERM
    with pytest.raises(ValueError, match="no signal"), interruptible():  # without a signal, the error itself
        raise ValueError("no signal")
