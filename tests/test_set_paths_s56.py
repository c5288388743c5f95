"""Session 56: --set / set: paths that make a mapping above themselves (``seed.x`` where the file gives no
seed) are refused before any run, naming the file and the field, as ``stockpile run`` refuses them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.helpers import TWO_MEMBERS, assert_bad_input, invoke, no_run

GRID = ("--grid", "horizon_days=30,40", "--no-plots", "--workers", 1)
"""Two grid points that do not touch the paths set."""


def scenario(tmp_path: Path, **top: object) -> Path:
    """``TWO_MEMBERS`` (no ``seed:``) with top-level keys ``top``, written as ``s.yaml``."""
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({**TWO_MEMBERS, **top}, sort_keys=False))
    return path


@pytest.mark.parametrize(
    ("assignment", "message"),
    [("seed.x=1", "seed: must be a whole number"), ("régions.x=1", "régions: unknown key")],
)
@pytest.mark.parametrize("runs", [1, 2])
def test_sweep_refuses_a_set_that_makes_a_mapping_above_its_path_as_run_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, assignment: str, message: str, runs: int
) -> None:
    path = scenario(tmp_path)
    said = f"{path} [set {assignment}]: {message}"  # session 57: both name the --set that made the mapping
    refused = invoke("run", path, "--set", assignment, "--no-plots", "-o", tmp_path / "run")
    assert_bad_input(refused, said)
    no_run(monkeypatch)
    result = invoke("sweep", path, "--set", assignment, *GRID, "--runs", runs, "-o", tmp_path / "out")
    assert_bad_input(result, said)
    assert "horizon_days=30" not in result.output  # not said of the first grid point


@pytest.mark.parametrize(
    ("key", "named"), [("seed.x", "set.seed.x: seed: must be a whole number"), ("régions.x", "set.régions.x: régions:")]
)
def test_sweep_file_set_that_makes_a_mapping_above_its_path_is_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, named: str
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"grid": {"horizon_days": [30, 40]}, "set": {key: 1}}, allow_unicode=True))
    no_run(monkeypatch)
    result = invoke("sweep", scenario(tmp_path), "--spec", spec, "--no-plots", "--workers", 1, "-o", tmp_path / "out")
    assert_bad_input(result, f"{spec}: {named}")


@pytest.mark.parametrize(("seed", "message"), [("abc", "must be a number, not text"), ({"a": 1}, "must be a whole")])
def test_sweep_of_a_file_whose_seed_is_not_a_number_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: object, message: str
) -> None:
    path = scenario(tmp_path, seed=seed)
    no_run(monkeypatch)
    result = invoke("sweep", path, *GRID, "-o", tmp_path / "out")
    assert_bad_input(result, f"{path} [horizon_days=30]: seed: {message}")  # as a seed of 1.5 is refused


@pytest.mark.parametrize(
    ("path", "field"), [("horizon_days.a", "horizon_days.a"), ("shocks.5.start", "shocks.5"), ("a..b", "a..b")]
)
def test_api_names_the_scenario_data_for_a_path_that_leads_nowhere_in_a_scenario_object(path: str, field: str) -> None:
    """A ``Scenario`` given to ``simulator.run`` is named ``<scenario data>`` as a mapping of data is, with the change.

    ``<scenario data> [set PATH=1]``, as a file is named with its ``--set`` (s57: it was ``<scenario data>`` alone).
    """
    import simulator
    from simulator.errors import InputError
    from simulator.scenario import validate_data

    given = validate_data(TWO_MEMBERS, "test")
    for scenario in (TWO_MEMBERS, given):
        with pytest.raises(InputError) as refused:
            simulator.run(scenario, set={path: 1})
        assert refused.value.source == f"<scenario data> [set {path}=1]"
        assert str(refused.value).startswith(f"<scenario data> [set {path}=1]: {field}: ")


@pytest.mark.parametrize(
    ("assignment", "field"),
    [("horizon_days.a=1", "horizon_days.a"), ("shocks.5.start=1", "shocks.5"), ("a..b=1", "a..b")],
)
def test_explore_names_the_scenario_for_a_set_path_that_leads_nowhere_as_sweep_does(
    tmp_path: Path, assignment: str, field: str
) -> None:
    path = scenario(tmp_path)
    axis = ("agreement.ratio.japan=0.2:0.4:0.2", "-o")
    said = f"{path} [set {assignment}]: {field}: "  # session 57: named as run names it
    swept = invoke("sweep", path, "--set", assignment, "--grid", *axis, tmp_path / "out", "--no-plots")
    assert_bad_input(swept, said)
    result = invoke("explore", path, "--set", assignment, "--axis", *axis, tmp_path / "e.html")
    assert_bad_input(result, said)
    assert not (tmp_path / "e.html").exists()


def test_sweep_with_an_axis_inside_the_mapping_a_set_made_says_it_of_the_first_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The axis sets a value inside ``seed``, so the points judge it: the first one is named, with no traceback."""
    path = scenario(tmp_path)
    no_run(monkeypatch)
    result = invoke("sweep", path, "--set", "seed.x=1", "--grid", "seed.y=1,2", "--no-plots", "-o", tmp_path / "out")
    assert_bad_input(result, f"{path} [seed.y=1]: seed: must be a whole number")


@pytest.mark.parametrize("part", ["set", "grid"])
@pytest.mark.parametrize(
    ("key", "shown"),
    [("null", "null"), ("1.5", "1.5"), ("2010-07-01", "2010-07-01")],  # as written (s57)
)
def test_sweep_file_key_that_is_no_path_is_refused_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, part: str, key: str, shown: str
) -> None:
    # YAML reads these keys as None, a float and a date: set: used to raise AttributeError, grid: to take "None"
    spec = tmp_path / "spec.yaml"
    entry = {"set": f"set:\n  {key}: 1\n", "grid": f"grid:\n  {key}: [1, 2]\n"}[part]
    spec.write_text(("grid:\n  horizon_days: [30, 40]\n" if part == "set" else "") + entry)
    no_run(monkeypatch)
    result = invoke("sweep", scenario(tmp_path), "--spec", spec, "--no-plots", "--workers", 1, "-o", tmp_path / "out")
    assert_bad_input(result, f"{spec}: {part}: the key {shown} is not a dotted path; give each path as text")
