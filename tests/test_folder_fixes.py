"""Output folders between commands (audit findings 13 and 15).

- 15: ``report -o FILE`` and ``explore -o FILE`` once wrote their page into a folder that a
  running sweep held locked; they now refuse it as a second folder command does.
- 13: a command writing into another command's folder (``run -o`` on a sweep's results)
  once replaced that output by the manifest rule; the manifest now records the command,
  and another command replaces it only with ``--force``.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import simulator
from simulator.errors import InputError
from simulator.output_folder import LOCK_FILE
from tests.helpers import (
    ROOT,
    TWO_MEMBERS,
    TWO_POINT_SWEEP,
    assert_bad_input,
    contents,
    folder_commands,
    forbid_simulation,
    invoke,
    lock_held,
    manifest_of,
)
from tests.test_sweep import write

# --- 15: a single page into a folder another command is writing ---------------------------------

HELD_SWEEP = textwrap.dedent(
    """
    import sys
    from simulator.sweep import runner

    real = runner.run_chunk

    def held(chunk):
        print("running", flush=True)  # the folder is locked: the sweep waits here for a line
        sys.stdin.readline()
        return real(chunk)

    runner.run_chunk = held
    from simulator.cli import main

    main(sys.argv[1:], prog_name="stockpile")
    """
)


@pytest.fixture(scope="module")
def held_sweep(tmp_path_factory):
    """A real ``stockpile sweep -o DIR`` in a child process, held at its first chunk: (DIR, its PID)."""
    tmp_path = tmp_path_factory.mktemp("held")
    folder = tmp_path / "sweep"
    sweep = ["sweep", str(write(tmp_path)), *map(str, TWO_POINT_SWEEP), "--no-plots", "-o", str(folder)]
    command = [sys.executable, "-c", HELD_SWEEP, *sweep]
    child = subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "running", child.stderr.read()
        assert (folder / LOCK_FILE).read_text().startswith(f"PID {child.pid} on ")
        yield folder, child.pid
    finally:
        out, err = child.communicate("go\n" * 4)  # one line per chunk
    assert child.returncode == 0, err
    assert "4 runs (2 points x 2) written to" in out
    assert "report.html" not in manifest_of(folder)["files"] and not (folder / LOCK_FILE).exists()


HELD = pytest.mark.xdist_group("held-sweep")
"""The tests of the held sweep run in one worker, which starts it once."""


def refused_as_locked(result, folder: Path, pid: int) -> None:
    assert_bad_input(
        result,
        f"error: {folder}: another stockpile command (PID {pid} on ",
        "is writing this folder; wait for it to finish or choose another folder",
    )


@HELD
def test_report_into_a_folder_a_running_sweep_writes_is_refused_naming_it(tmp_path, held_sweep, monkeypatch):
    folder, pid = held_sweep
    before = contents(folder)
    forbid_simulation(monkeypatch)
    result = invoke("report", write(tmp_path, TWO_MEMBERS), "-o", folder / "report.html")
    refused_as_locked(result, folder, pid)
    assert contents(folder) == before  # no page, and the sweep's lock and checkpoints as they were


@HELD
def test_explore_into_a_folder_a_running_sweep_writes_is_refused_naming_it(tmp_path, held_sweep, monkeypatch):
    folder, pid = held_sweep
    before = contents(folder)
    forbid_simulation(monkeypatch)
    scenario = write(tmp_path, TWO_MEMBERS)
    result = invoke("explore", scenario, "--axis", "agreement.ratio.japan=0.4,0.6", "-o", folder / "explorer.html")
    refused_as_locked(result, folder, pid)
    assert contents(folder) == before


@HELD
def test_simulator_report_into_a_folder_a_running_sweep_writes_is_refused(tmp_path, held_sweep, monkeypatch):
    folder, pid = held_sweep
    before = contents(folder)
    forbid_simulation(monkeypatch)
    with pytest.raises(InputError, match=rf"another stockpile command \(PID {pid} on .* is writing this folder"):
        simulator.report(write(tmp_path, TWO_MEMBERS), folder / "report.html")
    assert contents(folder) == before


@pytest.mark.parametrize("page", ["report", "explore", "simulator.report"])
def test_a_page_is_refused_when_a_command_takes_its_folder_while_it_runs(tmp_path, monkeypatch, page):
    """Free when the page starts, the folder is taken (a sweep started there) while its runs go:
    checked again just before the page is written, it is refused and nothing is written."""
    import simulator.engine
    import simulator.explore

    folder = tmp_path / "pages"
    folder.mkdir()
    held = contextlib.ExitStack()
    holders: list[int] = []

    def taken_meanwhile(real):
        def run(*args, **kwargs):
            if not holders:
                holders.append(held.enter_context(lock_held(folder)))
            return real(*args, **kwargs)

        return run

    monkeypatch.setattr(simulator.engine, "simulate", taken_meanwhile(simulator.engine.simulate))
    monkeypatch.setattr(simulator.explore, "run_grid", taken_meanwhile(simulator.explore.run_grid))
    scenario = write(tmp_path, TWO_MEMBERS)
    with held:
        if page == "simulator.report":
            with pytest.raises(InputError, match=r"another stockpile command \(PID \d+ on .+\) is writing") as refused:
                simulator.report(scenario, folder / "page.html")
            assert f"(PID {holders[0]} on {socket.gethostname()})" in str(refused.value)
        else:
            axis = ("--axis", "agreement.ratio.japan=0.4,0.6") if page == "explore" else ()
            refused_as_locked(invoke(page, scenario, *axis, "-o", folder / "page.html"), folder, holders[0])
        assert sorted(p.name for p in folder.iterdir()) == [LOCK_FILE]  # the other command's lock, no page
    assert sorted(p.name for p in folder.iterdir()) == []  # its lock file went with it, and no page came after


def test_a_page_only_reads_a_lock_file_and_never_makes_or_removes_one(tmp_path, monkeypatch):
    """Audit 39: taking the lock for a page created ``.stockpile.lock`` in any folder (a home
    folder, a shared /tmp where another user's lock file made the page fail) and deleted a
    user's own file of that name. A lock file that no process holds refuses nothing and stays."""
    from simulator import output_folder

    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    real, seen = output_folder.write_file, []

    def write_file(path, *args, **kwargs):
        seen.append((folder / LOCK_FILE).exists())
        return real(path, *args, **kwargs)

    monkeypatch.setattr(output_folder, "write_file", write_file)
    import simulator.report

    monkeypatch.setattr(simulator.report, "write_file", write_file)
    result = invoke("report", write(tmp_path, TWO_MEMBERS), "-o", folder / "report.html")
    assert result.exit_code == 0, result.output
    assert seen == [False]  # no lock file as the page is written
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "report.html"]
    assert b'<meta name="generator" content="stockpile' in (folder / "report.html").read_bytes()[:4096]
    (folder / LOCK_FILE).write_text("PID 1 on a machine long gone\n")  # left by a killed command, or the user's
    result = invoke("report", write(tmp_path, TWO_MEMBERS), "-o", folder / "again.html")
    assert result.exit_code == 0, result.output
    assert (folder / LOCK_FILE).read_text() == "PID 1 on a machine long gone\n"


# --- 13: another command's output ----------------------------------------------------------------


@pytest.fixture(scope="module")
def made_folders(tmp_path_factory) -> dict[str, Path]:
    """A two-point sweep's folder (figures and all) and a run's folder, each made once by its
    command: :func:`sweep_folder` and :func:`run_folder` give a test its own copy."""
    tmp_path = tmp_path_factory.mktemp("made")
    sweep = invoke("sweep", write(tmp_path), *TWO_POINT_SWEEP, "-o", tmp_path / "sweep")
    assert sweep.exit_code == 0, sweep.output
    (tmp_path / "pair").mkdir()  # beside the sweep's scenario file, which a sweep of the same study names
    run = invoke("run", write(tmp_path / "pair", TWO_MEMBERS), "-o", tmp_path / "run", "--no-plots")
    assert run.exit_code == 0, run.output
    return {"sweep": tmp_path / "sweep", "run": tmp_path / "run"}


MADE = pytest.mark.xdist_group("folder-fixes-made")
"""The tests that copy :func:`made_folders`: under ``pytest -n``, in one process, which makes them once."""


def sweep_folder(tmp_path: Path, made: dict[str, Path]) -> Path:
    """A test's own copy of the sweep's folder, at ``tmp_path / "sweep"``."""
    return Path(shutil.copytree(made["sweep"], tmp_path / "sweep"))


def run_folder(tmp_path: Path, made: dict[str, Path]) -> Path:
    """A test's own copy of the run's folder, at ``tmp_path / "run"``."""
    return Path(shutil.copytree(made["run"], tmp_path / "run"))


def refusal(folder: Path, earlier: str, command: str, option: str = "--force") -> str:
    return (
        f"error: {folder}: holds the output of stockpile {earlier} (so says its manifest.json), which stockpile "
        f"{command} would replace: choose another output folder, or pass {option} to replace it"
    )


@MADE
def test_the_manifest_records_the_command_after_the_version(tmp_path, made_folders):
    folder = sweep_folder(tmp_path, made_folders)
    assert list(manifest_of(folder))[:3] == ["package", "version", "command"]
    assert manifest_of(folder)["command"] == "sweep"
    assert invoke("plot-sweep", folder).exit_code == 0  # redrawing the figures keeps the sweep's command
    assert manifest_of(folder)["command"] == "sweep"


@MADE
def test_a_run_refuses_a_sweeps_folder_and_leaves_it_whole(tmp_path, made_folders, monkeypatch):
    folder = sweep_folder(tmp_path, made_folders)
    before = contents(folder)
    forbid_simulation(monkeypatch)
    result = invoke("run", write(tmp_path, TWO_MEMBERS), "-o", folder, "--no-plots")
    assert_bad_input(result, refusal(folder, "sweep", "run"))
    assert result.output.strip() == refusal(folder, "sweep", "run")  # one line
    assert contents(folder) == before


@MADE
def test_a_sweep_refuses_a_runs_folder_before_any_run(tmp_path, made_folders, monkeypatch):
    folder = run_folder(tmp_path, made_folders)
    before = contents(folder)
    forbid_simulation(monkeypatch)
    result = invoke("sweep", write(tmp_path), *TWO_POINT_SWEEP, "-o", folder)
    assert_bad_input(result, refusal(folder, "run", "sweep"))
    assert contents(folder) == before  # no .chunks, no stage, no lock file


def folder_of(tmp_path: Path, command: str) -> Path:
    """A folder whose manifest says ``command`` wrote it, with one file it lists."""
    folder = tmp_path / f"of_{command}"
    folder.mkdir()
    (folder / "kept.csv").write_text("a,b\n1,2\n")
    body = {"package": "stockpile-simulator", "version": "0.1.0", "command": command}
    (folder / "manifest.json").write_text(json.dumps({**body, "files": ["kept.csv", "manifest.json"]}))
    return folder


@pytest.mark.parametrize(
    ("earlier", "command"),
    [
        ("sweep", "compare"),
        ("sweep", "sensitivity"),
        ("sensitivity", "calibrate"),
        ("calibrate", "run"),
        ("compare", "sweep"),
        ("run", "sensitivity"),
    ],
)
def test_each_folder_command_refuses_another_commands_output(tmp_path, monkeypatch, earlier, command):
    folder = folder_of(tmp_path, earlier)
    before = contents(folder)
    forbid_simulation(monkeypatch)
    result = invoke(*folder_commands(tmp_path)[command], "-o", folder)
    assert_bad_input(result, refusal(folder, earlier, command))
    assert contents(folder) == before


@MADE
def test_force_replaces_another_commands_output(tmp_path, made_folders):
    folder = sweep_folder(tmp_path, made_folders)
    (folder / "notes.txt").write_text("mine")
    result = invoke("run", write(tmp_path, TWO_MEMBERS), "-o", folder, "--no-plots", "--force")
    assert result.exit_code == 0, result.output
    names = {p.name for p in folder.iterdir()}
    assert not names & {"sweep.parquet", "sweep.json", "sweep_metrics.png", "sweep_frontier.png"}
    assert (folder / "notes.txt").read_text() == "mine"  # never the tool's: never touched
    assert manifest_of(folder)["command"] == "run"
    assert sorted(manifest_of(folder)["files"]) == sorted(names - {"notes.txt"})


def test_run_and_compare_refuse_each_others_output_too(tmp_path, monkeypatch):
    """Their default folders differ (results/<name>, results/<name>_compare): one in the other's
    is a mistyped -o, which would have replaced a run's report and workbook without a word."""
    scenario = write(tmp_path, TWO_MEMBERS)
    for earlier, command, args in [
        ("run", "compare", ("compare", scenario, "--mechanisms", "fair_ratio,proportional", "--no-plots")),
        ("compare", "run", ("run", scenario, "--no-plots")),
    ]:
        folder = folder_of(tmp_path, earlier)
        before = contents(folder)
        with monkeypatch.context() as patched:
            forbid_simulation(patched)
            assert_bad_input(invoke(*args, "-o", folder), refusal(folder, earlier, command))
        assert contents(folder) == before
        assert invoke(*args, "-o", folder, "--force").exit_code == 0
        assert manifest_of(folder)["command"] == command


@MADE
def test_the_same_command_replaces_its_own_output(tmp_path, made_folders):
    folder = sweep_folder(tmp_path, made_folders)
    assert "sweep_metrics.png" in manifest_of(folder)["files"]  # two points: a metrics figure (a shock: no frontier)
    scenario = made_folders["sweep"].parent / "s.yaml"  # the same study (another file would be refused)
    result = invoke("sweep", scenario, "--grid", "shocks.halt.severity.high=0.8", "--workers", 1, "-o", folder)
    assert result.exit_code == 0, result.output
    assert manifest_of(folder)["command"] == "sweep"
    assert not (folder / "sweep_metrics.png").exists()  # one point: the earlier figure removed
    assert len(pd.read_parquet(folder / "sweep.parquet")) == 1


@MADE
def test_a_manifest_without_a_command_refuses_no_command(tmp_path, made_folders):
    """A folder of an earlier version (no ``command``): replaced as before, and the new command recorded."""
    folder = sweep_folder(tmp_path, made_folders)
    old = {k: v for k, v in manifest_of(folder).items() if k != "command"}
    (folder / "manifest.json").write_text(json.dumps(old))
    result = invoke("run", write(tmp_path, TWO_MEMBERS), "-o", folder, "--no-plots")
    assert result.exit_code == 0, result.output
    assert not (folder / "sweep.parquet").exists()
    assert manifest_of(folder)["command"] == "run"


@pytest.mark.parametrize("command", [123, None, ["sweep"], True], ids=["number", "null", "list", "bool"])
@MADE
def test_a_manifest_whose_command_is_not_text_is_another_commands_output(tmp_path, made_folders, monkeypatch, command):
    """Audit 39: such a manifest counted as one of an earlier version, and a sweep replaced the run without --force.
    Only a missing ``command`` means an earlier version."""
    folder = run_folder(tmp_path, made_folders)
    (folder / "manifest.json").write_text(json.dumps({**manifest_of(folder), "command": command}))
    before = contents(folder)
    forbid_simulation(monkeypatch)
    result = invoke("sweep", write(tmp_path), *TWO_POINT_SWEEP, "-o", folder)
    assert_bad_input(result, f"{folder}: holds the output of another command (so says its manifest.json)")
    assert contents(folder) == before


def test_a_name_too_long_for_the_file_system_is_refused_and_leaves_no_folder(tmp_path, monkeypatch):
    """Audit 39: a traceback (exit 1), and the parent folder made on the way left behind."""
    monkeypatch.chdir(tmp_path)
    scenario = write(tmp_path, TWO_MEMBERS)
    long_name = "x" * 300  # past the 255 bytes a name may have
    folder = f"new/{long_name}: cannot write to output folder: File name too long"
    page = f"new/{long_name}/r.html: cannot write this file: File name too long"  # a report names the file given
    for args, message in [
        (("run", scenario, "--no-plots", "-o", f"new/{long_name}"), folder),
        (("report", scenario, "-o", f"new/{long_name}/r.html"), page),
    ]:
        assert_bad_input(invoke(*args), message)
    assert_bad_input(invoke("run", f"{long_name}.yaml"), f"{long_name}.yaml: a name in this path is too long")
    checked = invoke("check", f"{long_name}.yaml")  # check's messages all on standard output
    assert_bad_input(checked, f"{long_name}.yaml: a name in this path is too long")
    assert f"{long_name}.yaml: a name in this path is too long" in checked.stdout
    assert not (tmp_path / "new").exists()
    with pytest.raises(InputError, match="File name too long"):
        simulator.run(scenario).write(tmp_path / "api" / long_name, plots=False)
    assert not (tmp_path / "api").exists()
    with pytest.raises(InputError, match="not a path holding a NUL character"):
        simulator.run(scenario).write(tmp_path / "a\0b", plots=False)
    forbid_simulation(monkeypatch)  # a page's name is refused before its runs (review 39: after them)
    for page in ("report", "explore"):
        axis = ("--axis", "agreement.ratio.japan=0.4,0.6") if page == "explore" else ()
        refused = invoke(page, scenario, *axis, "-o", f"new/{long_name}.html")
        assert_bad_input(refused, f"new/{long_name}.html: cannot write: File name too long")
    assert not (tmp_path / "new").exists()


# --- 13 in Python ------------------------------------------------------------------------------------


@MADE
def test_run_result_write_refuses_a_sweeps_folder_unless_forced(tmp_path, made_folders):
    folder = sweep_folder(tmp_path, made_folders)
    before = contents(folder)
    result = simulator.run(write(tmp_path, TWO_MEMBERS))
    with pytest.raises(InputError) as refused:
        result.write(folder, plots=False)
    assert str(refused.value) == refusal(folder, "sweep", "run", "force=").removeprefix("error: ")
    assert contents(folder) == before
    with pytest.warns(UserWarning, match=r"replaced the earlier output; removed its files this run does not write: "
                      r"sweep\.json, sweep\.parquet"):  # fmt: skip
        written = result.write(folder, plots=False, force=True)
    assert (folder / "summary.csv") in written and not (folder / "sweep.parquet").exists()
    assert manifest_of(folder)["command"] == "run"


@MADE
def test_simulator_sweep_refuses_a_runs_folder_before_any_run(tmp_path, made_folders, monkeypatch):
    folder = run_folder(tmp_path, made_folders)
    before = contents(folder)
    forbid_simulation(monkeypatch)
    with pytest.raises(InputError) as refused:
        simulator.sweep(write(tmp_path), {"shocks.halt.severity.high": [0.6, 1.0]}, runs=2, workers=1, out=folder)
    assert str(refused.value) == refusal(folder, "run", "sweep", "force=").removeprefix("error: ")
    assert contents(folder) == before


def test_a_writer_waits_out_a_pages_brief_look_at_the_lock(tmp_path, monkeypatch):
    """Review 39: a page testing the lock holds a shared lock on it for microseconds; a folder
    command starting then was refused, naming a stale holder. It tries again a few times first."""
    import errno

    from simulator import output_folder

    real, refusals, held_for = output_folder.fcntl.lockf, [], [4]

    def held_briefly(fd, operation):
        if operation & output_folder.fcntl.LOCK_EX and len(refusals) < held_for[0]:  # held through this many tries
            refusals.append(operation)
            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")
        return real(fd, operation)

    monkeypatch.setattr(output_folder.fcntl, "lockf", held_briefly)
    monkeypatch.setattr(output_folder, "LOCK_RETRY_S", 0.0)
    scenario = write(tmp_path, TWO_MEMBERS)
    result = invoke("run", scenario, "--no-plots", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert len(refusals) == 4  # the fifth try took it (5 tries, as outputs.md says)
    # held through every try: refused after exactly 5 of them, not waited out for ever
    refusals.clear()
    held_for[0] = 1000
    result = invoke("run", scenario, "--no-plots", "-o", tmp_path / "busy")
    assert result.exit_code == 2 and "is writing this folder" in result.output, result.output
    assert len(refusals) == 5
