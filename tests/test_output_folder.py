"""Output folders: `run`, `sweep`, `compare` and `plot-sweep` touch only what the folder's
manifest lists, one writer at a time, staging inside the folder (issue 20)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from simulator.errors import InputError, setting
from simulator.output_folder import LOCK_FILE, STAGE_MARK, STAGE_MARK_TEXT, STAGE_PREFIX, open_folder
from tests.helpers import (
    TWO_MEMBERS,
    contents,
    folder_commands,
    forbid_simulation,
    lock_held,
    manifest_of,
    no_traceback,
)
from tests.test_sweep import invoke, write

USER_FILES = {"report.html": "<p>my own report</p>", "pool.csv": "my,own\n1,2\n", "auctions.csv": "mine\n"}


def user_folder(tmp_path: Path, files: dict[str, str] = USER_FILES) -> Path:
    """A folder of the user's own ``files`` (name: text) that happen to have the names of outputs."""
    folder = tmp_path / "mine"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


# --- ownership ---------------------------------------------------------------------------------


def test_run_refuses_a_folder_of_the_users_files_before_simulating(tmp_path, monkeypatch):
    forbid_simulation(monkeypatch)
    folder = user_folder(tmp_path)
    result = invoke("run", write(tmp_path, TWO_MEMBERS), "-o", folder, "--report")
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 3  # one line per file, each an error of its own
    for line, name in zip(lines, sorted(USER_FILES), strict=True):
        assert line.startswith(f"error: {folder}: {name}: exists and is not listed in this folder's manifest.json")
        assert line.endswith("pass --force to overwrite it")
    assert contents(folder) == {k: v.encode() for k, v in USER_FILES.items()}


def test_run_with_force_overwrites_only_what_it_writes(tmp_path):
    folder = user_folder(tmp_path)
    result = invoke("run", write(tmp_path, TWO_MEMBERS), "-o", folder, "--no-plots", "--force")
    assert result.exit_code == 0, result.output
    assert (folder / "report.html").read_text() == USER_FILES["report.html"]  # not written: not touched
    assert (folder / "pool.csv").read_text().startswith("day,")
    files = manifest_of(folder)["files"]
    assert "report.html" not in files and "pool.csv" in files
    # the next run, without --report, still leaves the user's report alone
    again = invoke("run", write(tmp_path, TWO_MEMBERS), "-o", folder, "--no-plots")
    assert again.exit_code == 0, again.output
    assert (folder / "report.html").read_text() == USER_FILES["report.html"]


def test_a_run_replaces_its_own_earlier_output_and_nothing_else(tmp_path):
    scenario, folder = write(tmp_path, TWO_MEMBERS), tmp_path / "out"
    assert invoke("run", scenario, "-o", folder, "--no-plots", "--report").exit_code == 0
    (folder / "notes.txt").write_text("mine")
    lone = {k: v for k, v in TWO_MEMBERS.items() if k != "agreement"}
    assert invoke("run", write(tmp_path, lone), "-o", folder, "--no-plots").exit_code == 0
    names = {p.name for p in folder.iterdir()}
    assert not names & {"report.html", "pool.csv", "releases.csv", "auctions.csv"}
    assert (folder / "notes.txt").read_text() == "mine"
    assert sorted(manifest_of(folder)["files"]) == sorted(names - {"notes.txt"})


def earlier_run_with_a_folder_for_its_summary(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes | None]]:
    """A run's folder whose summary.csv was replaced by a folder (audit 38, finding 5); its contents."""
    scenario, folder = write(tmp_path, TWO_MEMBERS), tmp_path / "out"
    assert invoke("run", scenario, "-o", folder, "--no-plots").exit_code == 0
    (folder / "summary.csv").unlink()
    (folder / "summary.csv").mkdir()
    return scenario, folder, contents(folder)


def test_a_folder_where_a_file_goes_fails_the_run_naming_it_and_leaves_every_file_as_it_was(tmp_path):
    """It once wrote pool.csv and scenario.json of the new run, kept the old time series and manifest."""
    scenario, folder, before = earlier_run_with_a_folder_for_its_summary(tmp_path)
    result = invoke("run", scenario, "-o", folder, "--no-plots", "--set", "horizon_days=50")
    assert result.exit_code == 2, result.output
    assert "summary.csv: is a folder where stockpile writes a file" in result.output
    assert no_traceback(result)
    assert contents(folder) == before  # every file as it was; no folder but the empty summary.csv: no stage left


def test_a_move_refused_halfway_puts_back_the_files_already_moved_and_the_manifest(tmp_path, monkeypatch):
    from simulator import output_folder

    scenario, folder, _ = earlier_run_with_a_folder_for_its_summary(tmp_path)
    (folder / "summary.csv").rmdir()
    (folder / "summary.csv").write_text("the earlier summary\n")
    before = contents(folder)
    real, moved = os.replace, []

    def refusing_the_third(source, target):
        staged = Path(source).parent.name.startswith(STAGE_PREFIX) and Path(source).name != "manifest.json"
        if staged and Path(target).parent == folder:
            moved.append(Path(target).name)
            if len(moved) == 3:
                raise PermissionError(1, "Operation not permitted")
        return real(source, target)

    monkeypatch.setattr(output_folder.os, "replace", refusing_the_third)
    result = invoke("run", scenario, "-o", folder, "--no-plots", "--set", "horizon_days=50")
    assert result.exit_code == 2, result.output
    assert f"{moved[2]}: cannot be written (Operation not permitted); the folder is left as it was" in result.output
    assert contents(folder) == before  # the two files moved in are the earlier ones again, the manifest too


def test_a_page_replaces_only_a_page_stockpile_wrote(tmp_path, monkeypatch):
    """``report -o`` and ``explore -o`` name one file: they replace an earlier page of theirs,
    but a scenario or the user's own HTML there is refused before any run and left as it was."""
    scenario = write(tmp_path, TWO_MEMBERS)
    other = tmp_path / "other.yaml"
    other.write_text(scenario.read_text())
    mine = tmp_path / "mine.html"
    mine.write_text("<!DOCTYPE html><title>my notes</title>")
    axis = ("--axis", "agreement.ratio.japan=0.2,0.8", "--workers", 1)
    with monkeypatch.context() as patched:
        forbid_simulation(patched)
        for command in (("report", scenario), ("explore", scenario, *axis)):
            for target in (other, mine):
                before = target.read_bytes()
                result = invoke(*command, "-o", target)
                assert result.exit_code == 2, result.output
                assert f"error: {target}: exists and is not a page stockpile wrote" in result.output
                assert target.read_bytes() == before
    # a page stockpile wrote is replaced by the next one
    page = tmp_path / "report.html"
    for _ in range(2):
        assert invoke("report", scenario, "-o", page).exit_code == 0
    assert b'<meta name="generator" content="stockpile' in page.read_bytes()[:4096]
    page = tmp_path / "explorer.html"
    for _ in range(2):
        assert invoke("explore", scenario, *axis, "-o", page).exit_code == 0


QUOTING_PAGE = {
    "test_mine.py": 'MARK = b\'<meta name="generator" content="stockpile\'\n',
    "notes.md": '# Pages\n\n```html\n<!DOCTYPE html>\n<head>\n<meta name="generator" content="stockpile 1.0">\n```\n',
    "mine.html": (
        "<!DOCTYPE html>\n<html>\n<head>\n<title>my notes</title>\n</head>\n<body>\n"
        '<!-- <meta name="generator" content="stockpile"> -->\n</body>\n</html>\n'
    ),
}
"""Files that quote a page's mark without being a page stockpile wrote (the last: outside its ``<head>``)."""


@pytest.mark.parametrize("name", sorted(QUOTING_PAGE))
def test_a_page_does_not_replace_a_file_that_only_quotes_its_mark(tmp_path, monkeypatch, name):
    forbid_simulation(monkeypatch)
    scenario = write(tmp_path, TWO_MEMBERS)
    target = tmp_path / name
    target.write_text(QUOTING_PAGE[name])
    axis = ("--axis", "agreement.ratio.japan=0.2,0.8", "--workers", 1)
    for command in (("report", scenario), ("explore", scenario, *axis)):
        result = invoke(*command, "-o", target)
        assert result.exit_code == 2, result.output
        assert f"error: {target}: exists and is not a page stockpile wrote" in result.output
        assert target.read_text() == QUOTING_PAGE[name]


def test_sweep_and_compare_refuse_the_users_files_too(tmp_path, monkeypatch):
    forbid_simulation(monkeypatch)
    folder = user_folder(tmp_path, {"sweep.csv": "my table", "compare.png": "my figure"})
    sweep = invoke("sweep", write(tmp_path), "--grid", "agreement.ratio.japan=0.5", "-o", folder)
    compare = invoke("compare", write(tmp_path, TWO_MEMBERS), "-o", folder)
    assert sweep.exit_code == 2 and "sweep.csv: exists and is not listed" in sweep.output, sweep.output
    assert compare.exit_code == 2 and "compare.png: exists and is not listed" in compare.output, compare.output
    assert contents(folder) == {"sweep.csv": b"my table", "compare.png": b"my figure"}


def test_sensitivity_and_calibrate_refuse_the_users_files_too(tmp_path, monkeypatch):
    forbid_simulation(monkeypatch)
    folder = user_folder(tmp_path, {"sensitivity.csv": "my indices", "fit.csv": "my fit"})
    commands = folder_commands(tmp_path)
    sensitivity = invoke(*commands["sensitivity"], "-o", folder)
    calibrate = invoke(*commands["calibrate"], "-o", folder)
    for result, name in ((sensitivity, "sensitivity.csv"), (calibrate, "fit.csv")):
        assert result.exit_code == 2, result.output
        assert f"{name}: exists and is not listed in this folder's manifest.json" in result.output
    assert contents(folder) == {"sensitivity.csv": b"my indices", "fit.csv": b"my fit"}


@pytest.mark.parametrize("force", [(), ("--force",)], ids=["plain", "forced"])
def test_a_chunks_folder_of_the_users_is_never_deleted(tmp_path, monkeypatch, force):
    forbid_simulation(monkeypatch)
    folder = tmp_path / "out"
    (folder / ".chunks").mkdir(parents=True)
    (folder / ".chunks" / "notes.txt").write_text("mine")
    result = invoke("sweep", write(tmp_path), "--grid", "agreement.ratio.japan=0.5", *force, "-o", folder)
    assert result.exit_code == 2, result.output
    assert ".chunks: exists and was not made by stockpile (it holds notes.txt); move it or choose another folder" in (
        result.output
    )
    assert (folder / ".chunks" / "notes.txt").read_text() == "mine"


def test_a_manifest_not_written_by_stockpile_owns_nothing(tmp_path, monkeypatch):
    forbid_simulation(monkeypatch)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "summary.csv").write_text("mine")
    for manifest, why in (
        ({"files": ["summary.csv"]}, "was not written by stockpile"),  # not this package's
        (
            {"package": "stockpile-simulator", "files": ["../summary.csv", "summary.csv"]},
            'lists "../summary.csv", which is not a plain file name in this folder',
        ),  # a path outside
        ("not json {", "is not valid JSON (line 1, column 1: Expecting value)"),
    ):
        text = manifest if isinstance(manifest, str) else json.dumps(manifest)
        (folder / "manifest.json").write_text(text)
        result = invoke("run", write(tmp_path, TWO_MEMBERS), "-o", folder)
        assert result.exit_code == 2, result.output
        assert f"manifest.json: {why}" in result.output  # said why it owns nothing (audit out2, 4)
        assert "summary.csv: exists and is not listed" in result.output


def test_a_forced_run_replaces_a_comparisons_output_by_the_manifest(tmp_path):
    folder = tmp_path / "out"
    first = invoke("compare", write(tmp_path, TWO_MEMBERS), "--mechanisms", "fair_ratio,proportional", "-o", folder)
    assert first.exit_code == 0, first.output
    assert manifest_of(folder)["files"] == ["compare.csv", "compare.png", "manifest.json", "scenario.json"]
    second = invoke("run", write(tmp_path, TWO_MEMBERS), "-o", folder, "--no-plots", "--force")  # another command's
    assert second.exit_code == 0, second.output
    assert not (folder / "compare.csv").exists()  # the earlier output of the folder, replaced


def test_plot_sweep_redraws_only_figures_the_manifest_lists(tmp_path):
    folder = tmp_path / "out"
    grid = "agreement.ratio.japan=0.2,0.8"  # two figures: sweep_metrics.png and the members' frontier (a choice)
    result = invoke("sweep", write(tmp_path), "--grid", grid, "--runs", 6, "--seed", 11, "--workers", 1, "-o", folder)
    assert result.exit_code == 0, result.output
    assert invoke("plot-sweep", folder).exit_code == 0
    (folder / "manifest.json").unlink()  # a folder of an earlier version: nothing in it is known to be ours
    refused = invoke("plot-sweep", folder)
    assert refused.exit_code == 2 and "sweep_metrics.png: exists and is not listed" in refused.output
    forced = invoke("plot-sweep", folder, "--force")
    assert forced.exit_code == 0, forced.output
    files = manifest_of(folder)["files"]
    assert files == ["manifest.json", "sweep_frontier.png", "sweep_metrics.png"]


# --- one writer at a time --------------------------------------------------------------------


def test_a_second_writer_is_refused_naming_the_first(tmp_path, monkeypatch):
    forbid_simulation(monkeypatch)
    folder = tmp_path / "out"
    folder.mkdir()
    with lock_held(folder) as pid:
        for command in (
            ("sweep", write(tmp_path), "--grid", "agreement.ratio.japan=0.5"),
            ("run", write(tmp_path, TWO_MEMBERS)),
            ("compare", write(tmp_path, TWO_MEMBERS)),
        ):
            result = invoke(*command, "-o", folder)
            assert result.exit_code == 2, result.output
            assert f"another stockpile command (PID {pid} on " in result.output
            assert "is writing this folder" in result.output
    assert sorted(p.name for p in folder.iterdir()) == []  # the holder removed its lock file


def test_a_lock_file_left_by_a_dead_process_is_taken_over(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / LOCK_FILE).write_text(f"PID {pid} on this host\n")
    result = invoke("run", write(tmp_path, TWO_MEMBERS), "-o", folder, "--no-plots")
    assert result.exit_code == 0, result.output
    assert not (folder / LOCK_FILE).exists()


def test_one_process_cannot_open_a_folder_twice(tmp_path):
    from simulator.errors import InputError

    with (
        open_folder(tmp_path / "out", ()),
        pytest.raises(InputError, match="already writing"),
        open_folder(tmp_path / "out", ()),
    ):
        pass


# --- staging inside the folder ---------------------------------------------------------------


def test_an_output_folder_on_another_device_through_a_symlink(tmp_path):
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK) or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("needs a writable /dev/shm on another device than the temporary folder")
    with tempfile.TemporaryDirectory(dir=shm) as elsewhere:
        link = tmp_path / "out"
        link.symlink_to(elsewhere)
        result = invoke("run", write(tmp_path, TWO_MEMBERS), "-o", link, "--no-plots")
        assert result.exit_code == 0, result.output
        assert (Path(elsewhere) / "timeseries.csv").is_file()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "s.yaml"]  # nothing staged beside it


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod 555; see the audit-hook test")
def test_a_writable_folder_under_a_read_only_parent(tmp_path):
    parent = tmp_path / "parent"
    (parent / "out").mkdir(parents=True)
    scenario = write(tmp_path, TWO_MEMBERS)
    parent.chmod(0o555)
    try:
        result = invoke("run", scenario, "-o", parent / "out", "--no-plots")
    finally:
        parent.chmod(0o755)
    assert result.exit_code == 0, result.output
    assert (parent / "out" / "timeseries.csv").is_file()


def test_nothing_is_written_next_to_the_output_folder(tmp_path):
    """As root, chmod cannot make a parent read-only: an audit hook refuses every write there."""
    parent = tmp_path / "parent"
    (parent / "out").mkdir(parents=True)
    scenario = write(tmp_path, TWO_MEMBERS)
    code = textwrap.dedent(
        """
        import os, sys
        PARENT = os.path.abspath(sys.argv[1])
        OUT = os.path.join(PARENT, "out")
        TWO_PATHS = {"os.rename", "os.symlink"}
        ONE_PATH = {"os.mkdir", "os.remove", "os.rmdir", "shutil.rmtree"}

        def hook(event, args):
            if event == "open":
                writing = isinstance(args[2], int) and args[2] & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
                paths = args[:1] if writing else ()
            else:
                paths = args[:2] if event in TWO_PATHS else args[:1] if event in ONE_PATH else ()
            for path in paths:
                if isinstance(path, (str, bytes, os.PathLike)):
                    absolute = os.path.abspath(os.fsdecode(path))
                    if os.path.dirname(absolute) == PARENT and absolute != OUT:  # in the parent, not the folder
                        raise PermissionError(13, "Permission denied (read-only parent, simulated)", path)

        sys.addaudithook(hook)
        from simulator.cli import main
        main(["run", sys.argv[2], "-o", OUT, "--no-plots"])
        """
    )
    done = subprocess.run([sys.executable, "-c", code, str(parent), str(scenario)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (parent / "out" / "timeseries.csv").is_file()
    assert sorted(p.name for p in parent.iterdir()) == ["out"]


def test_a_staging_folder_left_by_a_killed_command_is_cleaned_up(tmp_path):
    folder = tmp_path / "out"
    (folder / ".stockpile-stage-abc123").mkdir(parents=True)
    (folder / ".stockpile-stage-abc123" / STAGE_MARK).write_text(STAGE_MARK_TEXT)  # one stockpile made
    (folder / ".stockpile-stage-abc123" / "timeseries.csv").write_text("half")
    result = invoke("run", write(tmp_path, TWO_MEMBERS), "-o", folder, "--no-plots")
    assert result.exit_code == 0, result.output
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_a_command_that_stops_with_bad_input_leaves_no_new_folder_behind(tmp_path, monkeypatch):
    import simulator.engine
    from simulator.errors import InputError

    def invalid(*_args, **_kwargs):
        raise InputError("invalid only together")

    monkeypatch.setattr(simulator.engine, "simulate", invalid)
    result = invoke("run", write(tmp_path, TWO_MEMBERS), "-o", tmp_path / "a" / "b")
    assert result.exit_code == 2, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


def test_a_staging_folder_left_while_the_folder_is_open_is_removed_as_it_closes(tmp_path):
    """A signal between a stage's ``finally`` and its shielded removal leaves the stage: the
    command's folder, still locked, removes it as it closes, not only the next command."""
    folder = tmp_path / "out"
    with open_folder(folder, ["a.csv"]) as out:
        (out.path / f"{STAGE_PREFIX}left").mkdir()
        (out.path / f"{STAGE_PREFIX}left" / STAGE_MARK).write_text(STAGE_MARK_TEXT)
        (out.path / f"{STAGE_PREFIX}left" / "a.csv").write_text("1\n")
        (out.path / "mine.txt").write_text("not ours, kept")
    assert sorted(p.name for p in folder.iterdir()) == ["mine.txt"]


def test_an_empty_unmarked_staging_folder_is_removed_but_not_one_holding_anything(tmp_path):
    """A kill between making a stage and marking it leaves it empty and unmarked: nothing to lose."""
    folder = tmp_path / "out"
    (folder / f"{STAGE_PREFIX}killed").mkdir(parents=True)
    (folder / f"{STAGE_PREFIX}mine").mkdir()
    (folder / f"{STAGE_PREFIX}mine" / "data.txt").write_text("x\n")
    (tmp_path / "elsewhere").mkdir()
    (folder / f"{STAGE_PREFIX}link").symlink_to(tmp_path / "elsewhere")
    with open_folder(folder, ["a.csv"]):
        pass
    assert sorted(p.name for p in folder.iterdir()) == [f"{STAGE_PREFIX}link", f"{STAGE_PREFIX}mine"]
    assert (folder / f"{STAGE_PREFIX}mine" / "data.txt").read_text() == "x\n"
    assert (tmp_path / "elsewhere").is_dir()


def test_a_manifest_not_stockpiles_is_read_once_and_its_fault_said(tmp_path, monkeypatch):
    """Opening the folder parsed manifest.json, and refusing it parsed it again for the fault: once now."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "manifest.json").write_text("not json {")
    reads = []
    read_bytes = Path.read_bytes

    def counted(path):
        reads.append(path.name)
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    with pytest.raises(InputError) as refused, open_folder(folder, ["summary.csv"]):
        pytest.fail("a folder with a manifest not stockpile's was opened")
    assert reads.count("manifest.json") == 1
    assert [(p.path, p.message) for p in refused.value.problems] == [
        (
            "manifest.json",
            "is not valid JSON (line 1, column 1: Expecting value), so stockpile cannot tell which files here are its "
            f"own and touches none; move it, choose another folder, or pass {setting('force')} to overwrite it",
        )
    ]
