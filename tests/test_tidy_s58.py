"""Session 58 tidying: one JSON reader, a sweep spec's paths, one parse of sensitivity's --set, a file named with a
trailing slash (or ``/.``) by any command."""

from __future__ import annotations

import pickle
import re
import sys
from pathlib import Path

import pytest

import simulator.gate.baseline
import simulator.scenario
from simulator.errors import InputError
from simulator.gate.baseline import read_baseline
from simulator.json_text import NestedTooDeeply, read_json
from simulator.scenario.load import file_followed_by_slash
from simulator.sweep.grid import Axis, SweepSpec
from tests.helpers import TINY_SCENARIO_TEXT, assert_bad_input, invoke

PACKAGE = Path(__file__).resolve().parent.parent / "simulator"
DEEP_JSON = "[" * 100_000 + "]" * 100_000
"""Valid JSON that Python's reader cannot read: it stops with a RecursionError, not a JSONDecodeError."""


# --- one JSON reader ----------------------------------------------------------------------------


def test_json_nested_past_reading_is_a_value_error_with_its_words():
    with pytest.raises(ValueError, match=r"^lists or objects nested too deeply to read$") as caught:
        read_json(DEEP_JSON.encode())
    assert isinstance(caught.value, NestedTooDeeply)
    assert read_json(b'{"a": [1, 2.5]}') == {"a": [1, 2.5]}


def test_a_baseline_nested_past_reading_says_so_in_the_readers_words(tmp_path):
    """It said Python's 'maximum recursion depth exceeded while decoding a JSON array from a unicode string'."""
    path = tmp_path / "deep.json"
    path.write_text(DEEP_JSON)
    with pytest.raises(InputError) as caught:
        read_baseline(path)
    assert str(caught.value) == f"{path}: corrupt baseline: lists or objects nested too deeply to read"


def test_no_read_catches_recursion_error_but_the_json_reader_and_the_yaml_reader():
    """Every JSON read goes through read_json, whose ValueError the reads catch; strict YAML is its own reader."""
    catching = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if re.search(r"except\b[^:\n]*\bRecursionError\b", path.read_text())
    )
    assert catching == ["json_text.py", "scenario/strict_yaml.py"]


# --- a sweep spec's paths -------------------------------------------------------------------------


def test_a_sweep_specs_paths_are_its_axes_paths_in_order_repeats_kept():
    spec = SweepSpec((Axis("regions.eu.reserve.ree.days", (1, 2)), Axis("seed", (3,)), Axis("horizon_days", (4,))))
    assert spec.paths == ["regions.eu.reserve.ree.days", "seed", "horizon_days"]
    twice = SweepSpec((Axis("horizon_days", (1,)), Axis("seed", (2,)), Axis("horizon_days", (3,))))
    assert twice.paths == ["horizon_days", "seed", "horizon_days"]
    assert twice.repeated_paths() == ["horizon_days"]


# --- sensitivity parses its --set pairs once ------------------------------------------------------


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The texts :func:`simulator.scenario.parse_assignment` is given, in order, as the commands call it."""
    given: list[str] = []
    parse = simulator.scenario.parse_assignment

    def counted(text: str):
        given.append(text)
        return parse(text)

    monkeypatch.setattr(simulator.scenario, "parse_assignment", counted)
    return given


def test_sensitivity_parses_each_set_once(tmp_path, parsed):
    """Two --set, two parses (it parsed each twice: once for the fixed paths, once inside load_checked).

    The tiny scenario declares no uncertain inputs: refused (exit 2) once the pairs are applied, before any run.
    """
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY_SCENARIO_TEXT)
    sets = ("horizon_days=30", "regions.japan.demand.ree.tonnes_per_day=12")
    result = invoke("sensitivity", scenario, "--samples", 8, "--set", sets[0], "--set", sets[1], "-o", tmp_path / "o")
    assert_bad_input(result, "the scenario declares no uncertain inputs")
    assert parsed == list(sets)


# --- a file followed by a slash -------------------------------------------------------------------


@pytest.mark.parametrize("command", ["run", "list"])
@pytest.mark.parametrize("name", ["plain.txt", "tiny.yaml"])
def test_a_file_followed_by_a_slash_is_said_to_be_one_by_run_and_list(tmp_path, monkeypatch, command, name):
    """``list plain.txt/`` said 'no such folder'; ``run plain.txt/`` read the file as a scenario (Path drops the
    slash) and ``run tiny.yaml/`` ran it, exit 0."""
    (tmp_path / "plain.txt").write_text("hi\n")
    (tmp_path / "tiny.yaml").write_text(TINY_SCENARIO_TEXT)
    monkeypatch.chdir(tmp_path)
    result = invoke(command, f"{name}/")
    assert_bad_input(result)
    assert (
        result.output == f"error: {name}/: the path names a file followed by a slash ({name} is a file, not a folder)\n"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plain.txt", "tiny.yaml"]  # nothing written


def test_a_file_followed_by_a_slash_in_a_folder_names_the_file_by_its_path(tmp_path, monkeypatch):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "tiny.yaml").write_text(TINY_SCENARIO_TEXT)
    monkeypatch.chdir(tmp_path)
    expected = "error: d/tiny.yaml//: the path names a file followed by a slash (d/tiny.yaml is a file, not a folder)\n"
    assert invoke("run", "d/tiny.yaml//").output == expected
    assert (
        invoke("list", "d/").output == "tiny  (d/tiny.yaml)\n    (no description)\n\n"
    )  # a folder with a slash: listed


def test_the_page_quotes_what_run_and_list_say_of_a_file_followed_by_a_slash(tmp_path, monkeypatch):
    page = (PACKAGE.parent / "docs" / "writing-scenarios.md").read_text(encoding="utf-8")
    quoted = re.findall(r"`(the path names a file followed by a slash [^`]*)`", page)
    (tmp_path / "plain.txt").write_text("hi\n")
    monkeypatch.chdir(tmp_path)
    assert {invoke(command, "plain.txt/").output for command in ("run", "list")} == {
        f"error: plain.txt/: {quoted[0]}\n"
    }
    assert len(quoted) == 1


def test_calibrate_parses_each_set_once(tmp_path, parsed):
    """Two --set, two parses (it parsed each twice: once inside load_checked, once for the fixed paths).

    A path both set and fitted is refused (exit 2) after the fixed paths are known, before any record is read.
    """
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY_SCENARIO_TEXT)
    sets = ("horizon_days=30", "regions.japan.demand.ree.tonnes_per_day=12")
    result = invoke(
        "calibrate", scenario, "--record", tmp_path / "none.csv", "--fit", "horizon_days=10:40",
        "--set", sets[0], "--set", sets[1], "-o", tmp_path / "o",
    )  # fmt: skip
    assert_bad_input(result, "horizon_days")
    assert parsed == list(sets)


def test_check_of_a_scenario_followed_by_a_slash_says_so_and_checks_nothing(tmp_path, monkeypatch):
    """``check tiny.yaml/`` checked ``tiny.yaml`` (Path drops the slash): now refused as run and list refuse it."""
    (tmp_path / "tiny.yaml").write_text(TINY_SCENARIO_TEXT)
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "tiny.yaml/")
    assert result.exit_code == 2
    assert "tiny.yaml/: the path names a file followed by a slash (tiny.yaml is a file, not a folder)" in result.output
    assert "no baseline" not in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["tiny.yaml"]


# --- a file followed by a slash, however the slash is written ---------------------------------------

FOLDER_ENDINGS = ("/.", "/./", "//.")
"""Endings with a dot that :class:`~pathlib.Path` drops as it drops ``/``: ``Path("tiny.yaml/.")`` is ``tiny.yaml``."""


def _slash_words(name: str) -> str:
    """What is said of the file ``name`` written followed by a slash."""
    return f"the path names a file followed by a slash ({name} is a file, not a folder)"


def _said_of(written: str, name: str) -> str:
    """The refusal of the path ``written``, a slash after the file ``name``: the path, then the words."""
    return f"{written}: {_slash_words(name)}"


@pytest.mark.parametrize("ending", FOLDER_ENDINGS)
@pytest.mark.parametrize("command", ["run", "validate", "list"])
def test_a_file_followed_by_a_slash_and_a_dot_is_refused_by_each_command(tmp_path, monkeypatch, command, ending):
    """``run tiny.yaml/.`` ran it (exit 0), ``validate`` said ok, ``list`` said 'no such folder'."""
    (tmp_path / "tiny.yaml").write_text(TINY_SCENARIO_TEXT)
    monkeypatch.chdir(tmp_path)
    result = invoke(command, f"tiny.yaml{ending}")
    assert_bad_input(result)
    assert result.output == f"error: {_said_of(f'tiny.yaml{ending}', 'tiny.yaml')}\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["tiny.yaml"]  # nothing written


@pytest.mark.parametrize("ending", FOLDER_ENDINGS)
def test_check_of_a_scenario_followed_by_a_slash_and_a_dot_checks_nothing(tmp_path, monkeypatch, ending):
    """``check tiny.yaml/.`` checked tiny.yaml (and said it had no baseline)."""
    (tmp_path / "tiny.yaml").write_text(TINY_SCENARIO_TEXT)
    monkeypatch.chdir(tmp_path)
    result = invoke("check", f"tiny.yaml{ending}")
    assert_bad_input(result, _said_of(f"tiny.yaml{ending}", "tiny.yaml"))
    assert "no baseline" not in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["tiny.yaml"]


@pytest.mark.parametrize("ending", ["/", *FOLDER_ENDINGS])
def test_a_sweep_file_followed_by_a_slash_is_refused_before_any_run(tmp_path, monkeypatch, ending):
    """``sweep --spec spec.yaml/`` read spec.yaml and ran its 2 points."""
    (tmp_path / "tiny.yaml").write_text(TINY_SCENARIO_TEXT)
    (tmp_path / "spec.yaml").write_text("scenario: tiny.yaml\ngrid:\n  horizon_days: [30, 40]\n")
    monkeypatch.chdir(tmp_path)
    result = invoke("sweep", "--spec", f"spec.yaml{ending}", "-o", "out")
    assert_bad_input(result)
    assert result.output == f"error: {_said_of(f'spec.yaml{ending}', 'spec.yaml')}\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["spec.yaml", "tiny.yaml"]


@pytest.mark.parametrize("ending", ["/", *FOLDER_ENDINGS])
def test_a_record_followed_by_a_slash_is_refused_by_calibrate_before_it_is_read(tmp_path, monkeypatch, ending):
    """``calibrate --record rec.csv/`` read rec.csv (here: 'the record has no rows')."""
    (tmp_path / "tiny.yaml").write_text(TINY_SCENARIO_TEXT)
    (tmp_path / "rec.csv").write_text("date,quantity,region,material,supplier,period,value\n")
    monkeypatch.chdir(tmp_path)
    fit = "materials.ree.price_usd_per_kg=30:40"
    result = invoke("calibrate", "tiny.yaml", "--record", f"rec.csv{ending}", "--fit", fit, "-o", "out")
    assert_bad_input(result)
    assert result.output == f"error: {_said_of(f'rec.csv{ending}', 'rec.csv')}\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["rec.csv", "tiny.yaml"]


def test_only_a_file_at_the_end_of_the_path_is_followed_by_a_slash(tmp_path, monkeypatch):
    """``tiny.yaml/.`` ends at the file; ``tiny.yaml/..`` goes up through it and ``tiny.yaml/x.yaml`` into it:
    those two are a file on the way (nothing is there), not a file followed by a slash."""
    (tmp_path / "tiny.yaml").write_text(TINY_SCENARIO_TEXT)
    (tmp_path / "d").mkdir()
    monkeypatch.chdir(tmp_path)
    assert file_followed_by_slash("tiny.yaml/.//./") == _slash_words("tiny.yaml")
    assert file_followed_by_slash("d/../tiny.yaml//.") == _slash_words("d/../tiny.yaml")
    assert [file_followed_by_slash(p) for p in ("tiny.yaml/..", "tiny.yaml/x.yaml", "tiny.yaml/.x", "d/.", "/")] == [
        None
    ] * 5


# --- the JSON reader's error crosses processes; a baseline nested deeper than recursion -------------


def test_nested_too_deeply_survives_a_pickle_round_trip():
    """A worker's error comes back pickled: unpickling called NestedTooDeeply(message), which took no argument."""
    back = pickle.loads(pickle.dumps(NestedTooDeeply()))
    assert type(back) is NestedTooDeeply
    assert str(back) == "lists or objects nested too deeply to read"


def test_every_json_read_of_a_file_goes_through_the_one_reader():
    """json.loads outside json_text.py only copies data (json.loads(json.dumps(...))); compare.py read a baseline."""
    reads = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "json_text.py" and re.search(r"json\.loads?\((?!json\.dumps\()", path.read_text())
    )
    assert reads == []


def test_a_baseline_nested_deeper_than_the_recursion_limit_names_its_refused_number(tmp_path, monkeypatch):
    """Python 3.12's parser reads lists nested past the recursion limit, which the walk for a refused number
    (1e400, NaN) then exceeded: a RecursionError escaped. Here the parser's result is nested that deep by hand."""
    depth = sys.getrecursionlimit() + 100
    read = simulator.gate.baseline.read_json

    def nested(text: str, **hooks):
        value = read(text, **hooks)  # [1e400]: a list holding the refused number
        for _ in range(depth):
            value = [value]
        return {"metrics": value}

    monkeypatch.setattr(simulator.gate.baseline, "read_json", nested)
    path = tmp_path / "deep.json"
    path.write_text("[1e400]")
    with pytest.raises(InputError) as caught:
        read_baseline(path)
    place = "metrics" + "[0]" * (depth + 1)  # the depth lists around, then the number's place in [1e400]
    assert str(caught.value) == (
        f"{path}: corrupt baseline: {place}: 1e400 is too large for a number (it would read as infinity)"
    )


def test_a_record_followed_by_a_slash_is_refused_by_run_report(tmp_path, monkeypatch):
    """``run --report --record rec.csv/`` read rec.csv (the report converted the path before reading it)."""
    (tmp_path / "tiny.yaml").write_text(TINY_SCENARIO_TEXT)
    (tmp_path / "rec.csv").write_text("date,quantity,region,material,supplier,period,value\n")
    monkeypatch.chdir(tmp_path)
    result = invoke("run", "tiny.yaml", "--report", "--record", "rec.csv/", "--no-plots", "-o", "out")
    assert_bad_input(result)
    assert _said_of("rec.csv/", "rec.csv") in result.output
    assert not (tmp_path / "out" / "report.html").exists()
