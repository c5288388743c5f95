"""Bad input and unwritable places are told plainly, exit 2, nothing of the user's touched (audit out2).

The tool's reserved names in an output folder (``.stockpile-stage-*``, ``.stockpile.lock``)
follow the rule ``.chunks`` follows: only what holds the tool's mark is the tool's. A full
standard output, a system folder, a damaged manifest or ``sweep.json``, an over-long YAML
key and an invalid scenario among those ``list`` finds each get a message naming the file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import TWO_MEMBERS, assert_bad_input, contents
from tests.test_sweep import invoke, write

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "scenarios" / "long_embargo_6m.yaml"
SHORT = ("--no-plots", "--set", "horizon_days=50")


def program(*args: object, **kwargs: object) -> subprocess.CompletedProcess:
    """``stockpile ARGS`` as the installed program runs it (its own process, its own streams)."""
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.run([sys.executable, "-m", "simulator.cli", *map(str, args)], cwd=ROOT, text=True, **streams)


# --- 1: staging folders and the lock follow the ownership rule of .chunks ---------------------------


def test_a_users_folder_or_file_named_as_a_staging_folder_is_left_as_it_is(tmp_path):
    folder = tmp_path / "D"
    (folder / ".stockpile-stage-mine").mkdir(parents=True)
    (folder / ".stockpile-stage-mine" / "data.txt").write_text("x\n")
    (folder / ".stockpile-stage-notes").write_text("my notes\n")
    before = contents(folder)
    result = invoke("run", write(tmp_path, TWO_MEMBERS), "-o", folder, *SHORT)
    assert result.exit_code == 0, result.output
    after = contents(folder)
    assert {name: after[name] for name in before} == before  # byte for byte, and still there
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == [
        ".stockpile-stage-mine",
        ".stockpile-stage-notes",
    ]  # the run's own staging folder (marked) is gone, no lock left


def test_a_users_file_named_as_the_lock_is_refused_and_kept(tmp_path):
    folder = tmp_path / "D"
    folder.mkdir()
    (folder / ".stockpile.lock").write_text("x\n")
    (folder / "mine.csv").write_text("a,b\n")
    before = contents(folder)
    result = invoke("run", write(tmp_path, TWO_MEMBERS), "-o", folder, *SHORT)
    assert_bad_input(result)
    assert result.output == (
        f"error: {folder}: .stockpile.lock: exists and is not a lock file stockpile wrote (one holds only "
        "'PID <number> on <host>'), so stockpile does not write or remove it; move it or choose another folder\n"
    )
    assert contents(folder) == before


def test_an_empty_lock_file_left_by_a_command_killed_as_it_made_it_is_taken_over(tmp_path):
    folder = tmp_path / "D"
    folder.mkdir()
    (folder / ".stockpile.lock").write_bytes(b"")
    result = invoke("run", write(tmp_path, TWO_MEMBERS), "-o", folder, *SHORT)
    assert result.exit_code == 0, result.output
    assert not (folder / ".stockpile.lock").exists()


# --- 3: a system folder that takes no new files -----------------------------------------------------

PROC = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc (Linux)")
NO_NEW = "that folder's file system takes no new files or folders (a system folder such as /proc or /sys)"


@PROC
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("run", "{s}", "-o", "/proc", *SHORT),
            f"/proc: cannot write to output folder: cannot create .stockpile.lock in /proc: {NO_NEW}",
        ),
        (
            ("run", "{s}", "-o", "/proc/sub", *SHORT),
            f"/proc/sub: cannot write to output folder: cannot create sub in /proc: {NO_NEW}",
        ),
        (
            ("report", "{s}", "-o", "/proc/x.html"),
            f"/proc/x.html: cannot write this file: cannot create x.html in /proc: {NO_NEW}",
        ),
        (
            ("check", "{s}", "--junit", "/proc/x.xml"),
            f"/proc/x.xml: --junit: cannot write this file: cannot create x.xml in /proc: {NO_NEW}",
        ),
    ],
    ids=["run", "run-new-folder", "report", "check-junit"],
)
def test_a_folder_that_takes_no_new_files_is_named_as_such(tmp_path, args, message):
    scenario = write(tmp_path, TWO_MEMBERS)
    before = contents(tmp_path)
    result = invoke(*(str(a).format(s=scenario) for a in args))
    assert_bad_input(result, f"error: {message}\n")
    assert "No such file or directory" not in result.output
    assert contents(tmp_path) == before


@PROC
def test_a_page_written_into_a_system_folder_names_the_failed_create(tmp_path):
    from simulator.errors import InputError
    from simulator.output_folder import write_file

    with pytest.raises(InputError) as raised:
        write_file(Path("/proc/x.html"), "<p>page</p>", what="the report")
    assert str(raised.value) == f"/proc/x.html: cannot write the report: cannot create x.html in /proc: {NO_NEW}"


# --- 4: a damaged or forged manifest -----------------------------------------------------------------

ADVICE = (
    "so stockpile cannot tell which files here are its own and touches none; move it, choose another folder, "
    "or pass --force to overwrite it"
)


@pytest.mark.parametrize(
    ("manifest", "why"),
    [
        ("{bad\n", "is not valid JSON (line 1, column 2: Expecting property name enclosed in double quotes)"),
        (
            '{"package": "stockpile-simulator", "version": "1", "files": ["../outside.txt", "manifest.json"]}\n',
            'lists "../outside.txt", which is not a plain file name in this folder',
        ),
        (
            '{"package": "other-tool", "files": []}\n',
            "was not written by stockpile (it does not name the package stockpile-simulator)",
        ),
        ('{"package": "stockpile-simulator", "files": "all"}\n', "lists no files (its 'files' is not a list)"),
        ("\udcff\n", "is not UTF-8 text"),
    ],
    ids=["not-json", "forged-path", "other-package", "files-not-a-list", "not-utf8"],
)
def test_a_damaged_or_forged_manifest_is_named_and_nothing_is_touched(tmp_path, manifest, why):
    folder = tmp_path / "M"
    folder.mkdir()
    (folder / "manifest.json").write_bytes(manifest.encode("utf-8", "surrogateescape"))
    (tmp_path / "outside.txt").write_text("the user's, outside\n")
    (folder / "timeseries.csv").write_text("mine\n")
    before = contents(tmp_path)
    result = invoke("run", SHIPPED, "-o", folder, "--no-plots")
    assert_bad_input(result)
    assert result.output == (
        f"error: {folder}: manifest.json: {why}, {ADVICE}\n"
        f"error: {folder}: timeseries.csv: exists and is not listed in this folder's manifest.json, so not written "
        "by stockpile; move it, choose another folder, or pass --force to overwrite it\n"
    )
    assert contents(tmp_path) == before


@pytest.mark.parametrize(
    ("kind", "why", "advice"),
    [
        ("link", "is a symbolic link (stockpile writes its manifest as a file)", ADVICE),
        ("dangling", "is a symbolic link (stockpile writes its manifest as a file)", ADVICE),
        (
            "folder",
            "is a folder",
            "so stockpile cannot tell which files here are its own and touches none; remove or rename it, "
            "or choose another folder (the folder is left as it was)",
        ),
    ],
)
def test_a_manifest_that_is_a_link_or_a_folder_is_named_so(tmp_path, kind, why, advice):
    """Not "is not valid JSON" nor "cannot be read (No such file...)"; and no --force for a folder,
    which --force would only meet again."""
    folder = tmp_path / "M"
    folder.mkdir()
    outside = tmp_path / "outside.json"
    outside.write_text('{"package": "stockpile-simulator", "files": ["timeseries.csv"]}\n')
    if kind == "folder":
        (folder / "manifest.json").mkdir()
    else:
        (folder / "manifest.json").symlink_to(outside if kind == "link" else tmp_path / "nowhere.json")
    (folder / "timeseries.csv").write_text("mine\n")
    before = contents(tmp_path)
    result = invoke("run", SHIPPED, "-o", folder, "--no-plots")
    assert_bad_input(result)
    assert result.output == (
        f"error: {folder}: manifest.json: {why}, {advice}\n"
        f"error: {folder}: timeseries.csv: exists and is not listed in this folder's manifest.json, so not written "
        "by stockpile; move it, choose another folder, or pass --force to overwrite it\n"
    )
    assert contents(tmp_path) == before and not (tmp_path / "nowhere.json").exists()


# --- 2: a standard output that cannot be written -----------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "args",
    [("validate", SHIPPED), ("list",), ("schema",), ("check", SHIPPED)],
    ids=["validate", "list", "schema", "check"],
)
def test_a_full_standard_output_is_one_line_on_standard_error_and_exit_2(args):
    with open("/dev/full", "w") as full:
        done = program(*args, stdout=full)
    assert done.returncode == 2, done.stderr
    assert done.stderr == "error: cannot write to standard output: No space left on device\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_a_run_whose_table_cannot_be_printed_keeps_the_outputs_it_wrote(tmp_path):
    folder = tmp_path / "R"
    with open("/dev/full", "w") as full:
        done = program("run", write(tmp_path, TWO_MEMBERS), "-o", folder, *SHORT, stdout=full)
    assert done.returncode == 2, done.stderr
    assert done.stderr == "error: cannot write to standard output: No space left on device\n"
    assert (folder / "manifest.json").is_file() and (folder / "summary.csv").is_file()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_a_full_standard_error_too_ends_with_exit_2_and_nothing_else(tmp_path):
    with open("/dev/full", "w") as full:
        done = program("validate", SHIPPED, stdout=full, stderr=full)
    assert done.returncode == 2


def test_a_closed_pipe_still_ends_quietly_as_click_ends_it():
    read, written = os.pipe()
    os.close(read)  # the reader has gone before the first line: every write is EPIPE
    try:
        done = program("schema", stdout=written)
    finally:
        os.close(written)
    assert (done.returncode, done.stderr) == (1, "")


# --- 5: plot-sweep on a damaged sweep.json -----------------------------------------------------------


def test_plot_sweep_names_a_sweep_json_that_is_not_json(tmp_path):
    folder = tmp_path / "sw"
    folder.mkdir()
    (folder / "sweep.parquet").write_bytes(b"PAR1")
    (folder / "sweep.json").write_text('{"grid": {bad}\n')
    before = contents(folder)
    result = invoke("plot-sweep", folder)
    assert_bad_input(result)
    assert result.output == (
        f"error: {folder / 'sweep.json'}: is not valid JSON (line 1, column 11: Expecting property name enclosed in "
        "double quotes), so not the sweep.json a sweep wrote; run the sweep again\n"
    )
    assert contents(folder) == before


# --- 6: a key longer than YAML reads -----------------------------------------------------------------


@pytest.mark.parametrize(("length", "refused"), [(1024, False), (1025, True), (1100, True)])
def test_a_key_longer_than_yaml_reads_is_named_as_such(tmp_path, length, refused):
    path = tmp_path / "long.yaml"
    path.write_text("name: x\n" + "k" * length + ": 1\n")
    before = contents(tmp_path)
    result = invoke("validate", path)
    assert_bad_input(result)
    said = (
        f"error: {path}: malformed YAML: line 2, column 1: a key longer than 1,024 characters, which YAML does not "
        "read; shorten it\n"
    )
    assert (result.output == said) is refused, result.output[:300]
    assert "a line with no ':'" not in result.output
    assert contents(tmp_path) == before


# --- 7: list exits 2 when a file it lists is invalid, as validate does ----------------------------------


def test_list_exits_2_when_a_listed_file_is_invalid_as_validate_does(tmp_path):
    folder = tmp_path / "L"
    folder.mkdir()
    (folder / "good.yaml").write_bytes(SHIPPED.read_bytes())
    (folder / "bad.yaml").write_text("a: [\n")
    before = contents(folder)
    listed, validated = invoke("list", folder), invoke("validate", folder)
    assert (listed.exit_code, validated.exit_code) == (2, 2)
    assert f"{folder / 'bad.yaml'}: invalid (malformed YAML" in listed.output
    assert f"good (name: long_embargo_6m)  ({folder / 'good.yaml'})" in listed.output  # the valid one is listed
    assert listed.output.endswith(f"error: {folder}: 1 of the 2 scenario files here is invalid (listed above)\n")
    assert contents(folder) == before
