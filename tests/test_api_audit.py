"""Arguments of the Python API that an audit found refused deep inside (or not at all): each refused by name."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

import simulator
from tests.helpers import ROOT

EMBARGO = str(ROOT / "scenarios" / "embargo_2010.yaml")
"""Two members, Japan and the EU: setting Japan's ratio to 0.3 leaves the EU 1 - 0.3 = 0.7."""


@functools.cache
def embargo_run() -> simulator.RunResult:
    """``simulator.run(EMBARGO)`` over its first 30 days, made once per test process: the tests of
    ``RunResult.write``'s refusals only call ``write`` on it, which refuses before it reads or
    writes anything (so whatever the horizon)."""
    return simulator.run(EMBARGO, set={"horizon_days": 30})


SHARES_THE_RUN = pytest.mark.xdist_group("api-audit-embargo-run")
"""The tests that read :func:`embargo_run`: under ``pytest -n``, in one process, so that it runs once."""


# --- load_scenario: its overrides in the forms set= takes, and bare names as run takes them ------


@pytest.mark.parametrize(
    "overrides",
    [{"agreement.ratio.japan": 0.3}, ["agreement.ratio.japan=0.3"], "agreement.ratio.japan=0.3"],
    ids=["mapping", "strings", "one_string"],
)
def test_load_scenario_takes_overrides_in_every_form_set_takes(overrides):
    scenario = simulator.load_scenario(EMBARGO, overrides)
    assert scenario.agreement.ratio == {"japan": 0.3, "eu": pytest.approx(0.7)}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (5, "overrides: give a mapping {path: value} or a list of (path, value) pairs or 'PATH=VALUE' strings, not 5"),
        ([5], "overrides: 5 is neither a (path, value) pair nor a 'PATH=VALUE' string"),
        (["x"], "overrides: expected PATH=VALUE, got 'x'"),
    ],
)
def test_load_scenario_refuses_other_overrides_naming_what_it_takes(overrides, message):
    with pytest.raises(simulator.InputError) as raised:
        simulator.load_scenario(EMBARGO, overrides)
    assert str(raised.value) == message


def test_load_scenario_finds_a_shipped_scenario_by_bare_name_as_run_does(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./scenarios here: the shipped library
    scenario = simulator.load_scenario("embargo_2010")
    assert scenario == simulator.load_scenario(EMBARGO)
    # run finds it by the same bare name (a 30-day horizon: which file it read is all this checks)
    short = {"horizon_days": 30}
    assert simulator.run("embargo_2010", set=short).scenario == simulator.load_scenario(EMBARGO, short)


def test_load_scenario_refuses_a_path_that_is_not_text():
    with pytest.raises(simulator.InputError) as raised:
        simulator.load_scenario(5)
    assert str(raised.value) == "path: give a scenario file path or a scenario name, not int"


# --- simulate: its seed checked as the scenario's seed field, and a Scenario asked for ------------


@pytest.mark.parametrize("seed", [-3, 1.5, "7", True, 2**32, 2**70])
def test_simulate_refuses_a_seed_run_refuses(seed):
    scenario = simulator.load_scenario(EMBARGO)  # no random inputs: a bad seed was ignored
    with pytest.raises(simulator.InputError) as raised:
        simulator.simulate(scenario, seed=seed)
    assert str(raised.value) == f"seed: must be a whole number in [0, 4294967295], got {seed!r}"


def test_simulate_takes_the_largest_seed():
    short = simulator.load_scenario(EMBARGO, {"horizon_days": 30})  # the seed is checked whatever the horizon
    assert simulator.simulate(short, seed=2**32 - 1).seed == 4294967295


def test_simulate_of_a_name_says_to_load_it_or_use_run():
    with pytest.raises(simulator.InputError) as raised:
        simulator.simulate("embargo_2010")
    assert str(raised.value) == (
        "scenario: give a Scenario (from simulator.load_scenario(path)), or pass a file path, "
        "a scenario name or scenario data to simulator.run instead; got str"
    )


# --- compare: its mechanisms argument ------------------------------------------------------------


@pytest.mark.parametrize(
    ("mechanisms", "message"),
    [
        (5, "mechanisms: give a list of mechanism names, a text such as 'fair_ratio,auction' or None, not 5"),
        ("", "mechanisms: give at least one mechanism, or None for every one; got ''"),
        (" , ", "mechanisms: give at least one mechanism, or None for every one; got ' , '"),
        ([5], "mechanisms: 5 is not a mechanism name"),
        (["fair_ratio", " "], "mechanisms: ' ' is not a mechanism name"),
    ],
)
def test_compare_refuses_mechanisms_it_cannot_read_before_any_run(mechanisms, message):
    with pytest.raises(simulator.InputError) as raised:
        simulator.compare("embargo_2010_scarce", mechanisms)
    assert str(raised.value) == message


# --- an output folder that is a file -------------------------------------------------------------


@SHARES_THE_RUN
def test_writing_into_a_file_says_it_is_a_file_not_a_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("mine")
    result = embargo_run()
    with pytest.raises(simulator.InputError) as raised:
        result.write(blocker, plots=False)
    assert str(raised.value) == f"{blocker}: cannot write to output folder: it is a file, not a folder"
    with pytest.raises(simulator.InputError) as raised:
        result.write(blocker / "out", plots=False)
    assert str(raised.value) == f"{blocker / 'out'}: cannot write to output folder: {blocker} is a file, not a folder"
    with pytest.raises(simulator.InputError) as raised:
        simulator.sweep("embargo_2010", grid={"agreement.ratio.japan": [0.5]}, workers=1, out=blocker)
    assert str(raised.value) == f"{blocker}: cannot write to output folder: it is a file, not a folder"
    assert blocker.read_text() == "mine"


def test_the_command_says_so_too_and_exits_with_2(tmp_path):
    from click.testing import CliRunner

    from simulator.cli import main

    blocker = tmp_path / "file"
    blocker.write_text("mine")
    result = CliRunner().invoke(main, ["run", EMBARGO, "--no-plots", "-o", str(blocker / "out")])
    assert result.exit_code == 2  # -o itself a file: click refuses it first ("... is a file.")
    assert (
        result.output == f"error: {blocker / 'out'}: cannot write to output folder: {blocker} is a file, not a folder\n"
    )


# --- sweep: a range without its step, an unordered set of values, flags that are not booleans ----


@pytest.mark.parametrize("spec", ["0:1", "0:1:0.5:1", ":1"])
def test_a_grid_range_without_start_stop_and_step_says_what_a_range_needs(spec):
    with pytest.raises(simulator.InputError) as raised:
        simulator.sweep("embargo_2010", grid={"agreement.ratio.japan": spec}, workers=1)
    assert str(raised.value) == (
        f"grid['agreement.ratio.japan']: a range needs start:stop:step (the stop included, as in 0:1:0.25), "
        f"got '{spec}'"
    )


def test_the_command_says_what_a_range_needs_too(tmp_path):
    from click.testing import CliRunner

    from simulator.cli import main

    result = CliRunner().invoke(
        main, ["sweep", EMBARGO, "--grid", "agreement.ratio.japan=0:1", "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert result.output == (
        "error: --grid agreement.ratio.japan: a range needs start:stop:step (the stop included, as in 0:1:0.25), "
        "got '0:1'\n"
    )


@pytest.mark.parametrize("values", [{0.25, 0.5}, frozenset({0.25})], ids=["set", "frozenset"])
def test_a_grid_of_a_set_is_refused_as_it_has_no_order(values):
    with pytest.raises(simulator.InputError) as raised:
        simulator.sweep("embargo_2010", grid={"agreement.ratio.japan": values}, workers=1)
    assert str(raised.value) == (
        "grid['agreement.ratio.japan']: a set has no order: give a list or tuple, so that the points run in the "
        "order given"
    )


@pytest.mark.parametrize(("name", "value"), [("as_xarray", "yes"), ("force", 1), ("as_xarray", None)])
def test_sweep_flags_must_be_booleans(name, value):
    with pytest.raises(simulator.InputError) as raised:
        simulator.sweep("embargo_2010", grid={"agreement.ratio.japan": [0.5]}, workers=1, **{name: value})
    assert str(raised.value) == f"{name}: must be True or False, got {value!r}"


@SHARES_THE_RUN
def test_write_flags_must_be_booleans(tmp_path):
    with pytest.raises(simulator.InputError) as raised:
        embargo_run().write(tmp_path / "out", plots="no")
    assert str(raised.value) == "plots: must be True or False, got 'no'"
    assert not (tmp_path / "out").exists()


def test_check_library_must_be_a_boolean():
    # "no" is true in Python: it quietly checked the whole shipped library
    with pytest.raises(simulator.InputError) as raised:
        simulator.check(library="no")
    assert str(raised.value) == "library: must be True or False, got 'no'"


# --- units of a comparison ------------------------------------------------------------------------


def test_every_column_of_a_comparison_has_its_unit():
    # the columns and their units do not depend on the horizon: 60 days of the 731 are enough
    table = simulator.compare("embargo_2010", ["fair_ratio", "auction"], set={"horizon_days": 60})
    units = table.attrs["units"]
    # every column, in order, but the words of why a rule did not run (text: no unit, simulator/frames.py)
    assert list(units) == [c for c in table.columns if c != "skipped"]
    assert table["skipped"].isna().all()  # both rules ran
    assert units["mechanism"] == "name"  # as the releases table's mechanism column
    assert units["net_position_usd.japan"] == units["net_position_usd.eu"] == "USD"
    assert units["first_shortfall_day.japan"] == "day" and units["shortfall_t.eu"] == "t"


# --- the docs name the commands that are functions, and only those --------------------------------


def test_the_docs_say_which_commands_are_functions_and_which_are_command_line_only():
    import re

    import simulator.api
    from simulator.cli import main

    functions = {"run", "sweep", "compare", "check", "report"}
    assert {name for name in simulator.api.__all__ if name.islower()} == functions
    commands = set(main.commands)
    assert functions < commands
    readme = (ROOT / "README.md").read_text()
    paragraph = readme[readme.index("From Python or a notebook") :].split("\n\n", 1)[0]
    named = set(re.findall(r"`([a-z-]+)`", paragraph)) - {"attrs"}
    assert named == commands  # the five functions, then every other command as command-line only
    assert paragraph.index("command-line only") > max(paragraph.index(f"`{name}`") for name in functions)
    for page in ("README.md", "docs/getting-started-python.md", "docs/getting-started-research.md"):
        text = " ".join((ROOT / page).read_text().split())
        assert "each command is a function" not in text and "every command has a function" not in text, page


def test_the_explorer_page_of_make_explore_is_the_size_the_docs_give(tmp_path, monkeypatch):
    import re
    import shlex

    from click.testing import CliRunner

    import simulator.explore.grid
    from simulator.cli import main

    # the grid's 1,008 runs in one chunk, not four: the fast path then steps through the 730
    # days once per release rule, not four times, and half the test's time goes. How the runs
    # are cut into chunks changes no byte of the page (the same page, byte for byte, either way).
    monkeypatch.setattr(simulator.explore.grid, "chunk_runs_for", lambda runs, points, workers, batch: runs * points)

    recipe = (ROOT / "Makefile").read_text().split("\nexplore:", 1)[1].split("\n\t$(BIN)/stockpile report", 1)[0]
    arguments = shlex.split(recipe.split("$(BIN)/stockpile explore", 1)[1].replace("\\\n", " "))
    arguments[arguments.index("-o") + 1] = str(tmp_path / "explorer.html")
    arguments[0] = str(ROOT / arguments[0])
    result = CliRunner().invoke(main, ["explore", *arguments, "--workers", "1"])
    assert result.exit_code == 0, result.output
    explorer_doc = (ROOT / "docs" / "explorer.md").read_text()
    stated = re.search(r"the `make explore` page, 1,008 points with one\s+run each, is ([0-9.]+) MB", explorer_doc)
    assert stated is not None
    assert f"{(tmp_path / 'explorer.html').stat().st_size / 1e6:.2f}" == stated[1]


# --- report: an output that is one of its inputs is refused, as stockpile report -S -o S refuses it ---


def _pair_file(folder, name="pair"):
    import yaml

    from tests.helpers import TWO_MEMBERS

    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(TWO_MEMBERS))
    return path


def test_report_refuses_to_write_over_the_scenario_it_reads_as_the_command_does(tmp_path):
    from click.testing import CliRunner

    from simulator.cli import main

    scenario = _pair_file(tmp_path)
    before = scenario.read_bytes()
    with pytest.raises(simulator.InputError) as raised:
        simulator.report(scenario, scenario)
    assert str(raised.value) == f"{scenario}: is the input {scenario}; write the output to another file"
    assert scenario.read_bytes() == before  # still the YAML, not HTML
    result = CliRunner().invoke(main, ["report", str(scenario), "-o", str(scenario)])
    assert result.exit_code == 2 and result.output == f"error: {raised.value}\n"
    assert scenario.read_bytes() == before


def test_report_refuses_its_baseline_and_a_scenario_named_bare_as_output(tmp_path, monkeypatch):
    (tmp_path / "scenarios").mkdir()
    scenario = _pair_file(tmp_path / "scenarios")
    baseline = _pair_file(tmp_path, "base")
    monkeypatch.chdir(tmp_path)
    relative = Path("scenarios/pair.yaml")  # what the bare name "pair" reads
    for given, kwargs, output in (
        (scenario, {"compare": baseline}, baseline),
        ("pair", {}, relative),
        (scenario, {}, tmp_path / "link.yaml"),  # the same file by another name
    ):
        if output.name == "link.yaml":
            output.symlink_to(scenario)
        before = output.read_bytes()
        with pytest.raises(simulator.InputError) as raised:
            simulator.report(given, output, **kwargs)
        shown = {baseline: baseline, relative: relative}.get(output, scenario)
        assert str(raised.value) == f"{output}: is the input {shown}; write the output to another file"
        assert output.read_bytes() == before


# --- an empty output path is refused: it named the current folder ---------------------------------

EMPTY = "not an empty path (it would name the current folder)"


@SHARES_THE_RUN
def test_an_empty_output_path_is_refused_and_nothing_is_written_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # sweep(out="") wrote manifest.json, sweep.json, sweep.parquet here
    grid = {"agreement.ratio.japan": [0.5]}
    calls = (
        (
            lambda: simulator.sweep(EMBARGO, grid, workers=1, out=""),
            "out: give an output folder path (or None to write nothing)",
        ),
        (
            lambda: simulator.sweep(EMBARGO, grid, workers=1, out=" "),
            "out: give an output folder path (or None to write nothing)",
        ),
        (
            lambda: embargo_run().write("", plots=False),
            "folder: give an output folder path (a str or os.PathLike)",
        ),
        (lambda: simulator.report(EMBARGO, ""), "path: give the report's file path (a str or os.PathLike)"),
    )
    for call, start in calls:
        with pytest.raises(simulator.InputError) as raised:
            call()
        assert str(raised.value) == f"{start}, {EMPTY}"
    assert list(tmp_path.iterdir()) == []


# --- arguments of the wrong type are refused by name ---------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: simulator.sweep(EMBARGO, out=5),
            "out: give an output folder path (or None to write nothing), not int",
        ),
        (
            lambda: simulator.sweep(EMBARGO, {"agreement.ratio.japan": [0.5]}, client=5),
            "client: give a distributed.Client connected to a Dask cluster (or None to run on this machine), not int",
        ),
        (lambda: simulator.report(EMBARGO, None), "path: give the report's file path (a str or os.PathLike), not None"),
        (lambda: simulator.report(EMBARGO, 5), "path: give the report's file path (a str or os.PathLike), not int"),
        (
            lambda: simulator.report(EMBARGO, "r.html", explorer=5),
            "explorer: give an explorer page's path (or None), not int",
        ),
        (lambda: embargo_run().write(5), "folder: give an output folder path (a str or os.PathLike), not int"),
        (
            lambda: simulator.check(5),
            "paths: give a scenario file or folder path or a list of them (or None for ./scenarios), not int",
        ),
        (
            lambda: simulator.check([EMBARGO, 5]),
            "paths[1]: give a scenario file or folder path (a str or os.PathLike), not int",
        ),
        (
            lambda: simulator.check(EMBARGO, baselines=5),
            "baselines: give a folder path (or None for the default), not int",
        ),
        (
            lambda: simulator.check(EMBARGO, tolerances=5),
            "tolerances: give a file path (or None for the default), not int",
        ),
        (
            lambda: simulator.sweep(EMBARGO, {"agreement.ratio.japan": [0.5]}, workers=257),
            "workers: must be a whole number in [1, 256], got 257",
        ),
        (lambda: simulator.check(EMBARGO, workers=257), "workers: must be a whole number in [1, 256], got 257"),
    ],
    ids=[
        "sweep_out",
        "sweep_client",
        "report_none",
        "report_int",
        "report_explorer",
        "write",
        "check",
        "check_list",
        "check_baselines",
        "check_tolerances",
        "sweep_workers",
        "check_workers",
    ],
)
@SHARES_THE_RUN
def test_an_argument_of_the_wrong_type_is_refused_by_name(call, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(simulator.InputError) as raised:  # was a TypeError or an AttributeError from deep inside
        call()
    assert str(raised.value) == message
    assert list(tmp_path.iterdir()) == []
