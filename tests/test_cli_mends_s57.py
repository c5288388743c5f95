"""Session 57 mends of the command line's bad-input messages (list, check, sweep, explore).

Each test states what the command printed before its mend.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import TINY_SCENARIO_TEXT, assert_bad_input, invoke, shipped_group, shipped_result
from tests.test_input_limits import guarded_fifo

# --- 1. a broken link or a FIFO named like a scenario: said what it is, never opened -------------

BROKEN = "a broken symbolic link to nowhere, which does not exist"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """``x.yaml -> nowhere`` in a folder of its own."""
    folder = tmp_path / "broken"
    folder.mkdir()
    os.symlink("nowhere", folder / "x.yaml")
    return folder / "x.yaml"


@pytest.fixture
def pipe(tmp_path: Path):
    """A FIFO ``x.yaml`` in a folder of its own, and whether anything opened it."""
    folder = tmp_path / "fifo"
    folder.mkdir()
    with guarded_fifo(folder / "x.yaml") as opened:
        yield folder / "x.yaml", opened


def test_list_names_a_broken_link_in_its_folder(broken):
    """It said ``x.yaml: invalid (file not found)`` of a file list itself had found."""
    result = invoke("list", broken.parent)
    assert_bad_input(result, f"{broken}: invalid ({BROKEN})")


@pytest.mark.parametrize("command", ["list", "check"])
def test_a_fifo_given_as_the_folder_or_file_is_said_to_be_one(pipe, command):
    """``list x.yaml`` said "no scenario files (*.yaml, *.yml) here", ``check x.yaml`` "no such scenario file"."""
    path, opened = pipe
    words = {"list": "not a folder: it is", "check": "neither a scenario file nor a folder: it is"}[command]
    result = invoke(command, path)
    assert_bad_input(result, f"{path}: {words} a FIFO (named pipe)")
    assert not opened


@pytest.mark.parametrize("command", ["list", "check"])
def test_a_broken_link_given_as_the_folder_or_file_is_said_to_be_one(broken, command):
    words = {"list": "not a folder: it is", "check": "neither a scenario file nor a folder: it is"}[command]
    assert_bad_input(invoke(command, broken), f"{broken}: {words} {BROKEN}")


def test_list_of_nothing_says_there_is_no_such_folder(tmp_path):
    """It said "no scenario files (*.yaml, *.yml) here" of a folder that does not exist."""
    assert_bad_input(invoke("list", tmp_path / "none"), f"{tmp_path / 'none'}: no such folder")


@pytest.mark.parametrize(
    "command",
    [["run", "--no-plots"], ["sweep", "--grid", "horizon_days=30,40"], ["explore", "--axis", "horizon_days=30,40"]],
)
def test_run_sweep_and_explore_say_a_link_is_broken(tmp_path, broken, command):
    """They said "file not found" of a file that is there, as a link to nothing."""
    out = tmp_path / ("out.html" if command[0] == "explore" else "out")
    assert_bad_input(invoke(*command, broken, "-o", out), f"{broken}: {BROKEN}")
    assert not os.path.lexists(out)


def test_a_bare_name_of_a_broken_link_here_is_that_link(broken, monkeypatch):
    """``run x.yaml`` said "file not found here, nor as x.yaml in ./scenarios ...": the link is here."""
    monkeypatch.chdir(broken.parent)
    result = invoke("run", "x.yaml", "--no-plots", "-o", "out")
    assert_bad_input(result, f"x.yaml: {BROKEN}")
    assert "nor as" not in result.output


def test_check_of_a_folder_lists_the_broken_link_among_good_files(broken):
    (broken.parent / "good.yaml").write_text(TINY_SCENARIO_TEXT)
    result = invoke("check", broken.parent)
    assert_bad_input(result, f"{broken}: {BROKEN}")


# --- 2. a --set's problem is said of that --set, by run, sweep and explore alike -----------------

SWEPT = {"sweep": ["--grid", "horizon_days=30,40"], "explore": ["--axis", "horizon_days=30,40"]}


def _said(tmp_path: Path, command: str, *args: str) -> str:
    """What ``stockpile COMMAND tiny.yaml ARGS`` printed, refused with exit code 2 (no output written)."""
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_SCENARIO_TEXT)
    out = tmp_path / ("page.html" if command == "explore" else "out")
    result = invoke(command, path, *args, *SWEPT.get(command, ["--no-plots"]), "-o", out)
    assert_bad_input(result)
    assert not os.path.lexists(out)
    return result.output.replace(str(path), "tiny.yaml")


@pytest.mark.parametrize("command", ["run", "sweep", "explore"])
def test_a_problem_in_the_mapping_a_set_created_is_said_of_the_set(tmp_path, command):
    """tiny.yaml has no agreement: ``--set agreement.ratio.japan=0.3`` makes one without members.

    sweep and explore said ``tiny.yaml [horizon_days=30]: ...``, blaming the first grid point;
    run said ``tiny.yaml: ...``, of a file that has no agreement.
    """
    said = _said(tmp_path, command, "--set", "agreement.ratio.japan=0.3")
    assert said == "error: tiny.yaml [set agreement.ratio.japan=0.3]: agreement.members: is required\n"


@pytest.mark.parametrize("command", ["run", "sweep", "explore"])
def test_a_set_that_cannot_be_applied_is_named_alike_by_run_sweep_and_explore(tmp_path, command):
    """sweep and explore said ``tiny.yaml: agreement.ratio.japan: ...``, leaving out the ``[set ...]`` run gives."""
    said = _said(tmp_path, command, "--set", "agreement.ratio.japan=-1")
    assert said == (
        "error: tiny.yaml [set agreement.ratio.japan=-1]: agreement.ratio.japan: a ratio must be a number in [0, 1], "
        "got -1\n"
    )


def test_a_sweep_file_set_that_creates_a_mapping_is_named_by_its_key(tmp_path, monkeypatch):
    """The file's ``set:`` is named by its key, as one at or inside its own path is (it blamed the first point)."""
    monkeypatch.chdir(tmp_path)  # where the file's scenario: is taken from
    (tmp_path / "tiny.yaml").write_text(TINY_SCENARIO_TEXT)
    spec = tmp_path / "spec.yaml"
    spec.write_text("scenario: tiny.yaml\ngrid:\n  horizon_days: [30, 40]\nset:\n  agreement.ratio.japan: 0.3\n")
    result = invoke("sweep", "--spec", spec, "-o", tmp_path / "out")
    assert_bad_input(result)
    assert result.output == f"error: {spec}: set.agreement.ratio.japan: agreement.members: is required\n"


def test_where_an_axis_sets_a_value_in_the_created_mapping_its_point_is_named(tmp_path):
    """The grid may make the mapping whole: a problem there is the point's, not the --set's."""
    said = _said(tmp_path, "sweep", "--set", "agreement.ratio.japan=0.3", "--grid", "agreement.members=japan,eu")
    assert said.startswith("error: tiny.yaml [agreement.members=japan]: agreement.members: ")


# --- 3. a sweep file's key that is no path: shown as the file writes it ---------------------------

REFUSED_KEY = "is not a dotted path; give each path as text, such as 'agreement.ratio.japan'"


@pytest.mark.parametrize(
    ("part", "key"),
    [("grid", "2010-01-01"), ("set", "2010-01-01"), ("grid", "null"), ("grid", "~"), ("set", "1.5"), ("grid", "''")],
)
def test_a_sweep_file_key_that_is_no_path_is_shown_as_written(tmp_path, monkeypatch, part, key):
    """``grid: {2010-01-01: ...}`` was refused as "the key datetime.date(2010, 1, 1)", ``null:`` as "None"."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.yaml").write_text(TINY_SCENARIO_TEXT)
    spec = tmp_path / "spec.yaml"
    entries = {"grid": f"  {key}: [1, 2]\n", "set": f"set:\n  {key}: 1\n"}[part]
    spec.write_text(f"scenario: tiny.yaml\ngrid:\n  horizon_days: [30, 40]\n{entries}")
    result = invoke("sweep", "--spec", spec, "-o", tmp_path / "out")
    assert_bad_input(result)
    assert result.output == f"error: {spec}: {part}: the key {key} {REFUSED_KEY}\n"


def test_a_python_mapping_key_that_is_no_path_is_shown_as_python_writes_it():
    """The API's ``set={date: 1}``: a Python caller wrote ``datetime.date(2010, 1, 1)``."""
    import datetime as dt

    import simulator
    from simulator.errors import InputError

    with pytest.raises(InputError) as refused:
        simulator.sweep("embargo_2010", grid={"horizon_days": [30, 40]}, set={dt.date(2010, 1, 1): 1})
    assert str(refused.value) == f"set: the key datetime.date(2010, 1, 1) {REFUSED_KEY}"


# --- 4. check reads each scenario's name once for the tolerance file's scenarios: entries ---------


def test_check_reads_each_scenario_name_once_for_two_tolerance_entries(tmp_path, monkeypatch):
    """With two ``scenarios:`` entries both the unused and the clashing entries are looked for: each read every name."""
    import simulator.scenario
    from simulator.gate import run

    folder = tmp_path / "scenarios"
    (folder / "baselines").mkdir(parents=True)
    for name in ("one", "two"):
        (folder / f"{name}.yaml").write_text(TINY_SCENARIO_TEXT.replace("name: tiny", f"name: {name}"))
    (folder / "baselines" / "tolerances.yaml").write_text("scenarios:\n  one: {rtol: 1.0e-6}\n  two: {rtol: 1.0e-6}\n")
    reads: list[str] = []
    read = simulator.scenario.load_raw

    def counted(path, overrides=None):
        reads.append(Path(path).name)
        return read(path, overrides)

    monkeypatch.setattr(simulator.scenario, "load_raw", counted)
    report = run.check([folder], workers=1)
    assert sorted(reads) == ["one.yaml", "two.yaml"]  # one read of each name: the labels both checks match
    assert {outcome.status for outcome in report.outcomes} == {"no baseline"}  # both entries passed, then checked


# --- 5. the report words a ratio as a ratio (before "times"), not as a count of members ---------


@shipped_group("club_of_five")
@pytest.mark.parametrize(
    ("ratio", "words"), [(3.0, "more than three times"), (10.0, "more than 10 times"), (2.5, "more than 2.5 times")]
)
def test_the_pool_share_note_words_its_ratio_as_a_ratio_not_as_a_count(monkeypatch, ratio, words):
    """The note took its word from MEMBER_COUNT_WORDS, a count of members, whose digits are ``str(count)``: a ratio
    of 10.0 would read "more than 10.0 times". The note itself is read, not only the helper it should call."""
    from simulator import report
    from simulator.report.findings import Run

    monkeypatch.setattr(report, "SHARE_OFF_SCALE_RATIO", ratio)
    note = report._pool_share_note(Run.of(shipped_result("club_of_five")))  # Australia's share is left off
    assert f"A share {words} the panel's highest curve" in note
