"""A sweep file whose ``scenario:`` names no file says so as the SCENARIO argument does (audit s51, item 18).

It said only ``error: nonexist_scn: file not found``: neither the sweep file nor where the name
was looked for, which the same name given as SCENARIO does say.
"""

from __future__ import annotations

from simulator.library import shipped_library
from tests.helpers import assert_bad_input, invoke, no_run

GRID = 'grid:\n  agreement.ratio.japan: "0:1:0.5"\n'


def spec(tmp_path, scenario: str):
    path = tmp_path / "s.yaml"
    path.write_text(f"scenario: {scenario}\n{GRID}")
    return path


def test_a_bare_name_found_nowhere_names_the_file_and_the_places_searched(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./scenarios here
    no_run(monkeypatch)
    where = (
        "file not found here, nor as nonexist_scn.yaml or nonexist_scn.yml in ./scenarios "
        f"({tmp_path / 'scenarios'}) or the shipped library ({shipped_library().resolve()})"
    )
    result = invoke("sweep", "--spec", spec(tmp_path, "nonexist_scn"), "-o", tmp_path / "out")
    assert_bad_input(result, f"error: {tmp_path / 's.yaml'}: scenario: nonexist_scn: {where}")
    assert result.output.count("\n") == 1
    # the same words as for the SCENARIO argument
    argument = invoke("sweep", "nonexist_scn", "--grid", "agreement.ratio.japan=0,1", "-o", tmp_path / "out")
    assert_bad_input(argument, f"error: nonexist_scn: {where}")
    assert not (tmp_path / "out").exists()


def test_a_relative_path_to_nothing_says_where_it_is_taken_from(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("sweep", "--spec", spec(tmp_path, "nowhere/x.yaml"), "-o", tmp_path / "out")
    assert_bad_input(
        result,
        f"error: {tmp_path / 's.yaml'}: scenario: nowhere/x.yaml: file not found (a path is taken from the folder "
        f"the command runs in, {tmp_path})",
    )


def test_a_close_name_is_offered_naming_the_sweep_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("sweep", "--spec", spec(tmp_path, "embargo_20100"), "-o", tmp_path / "out")
    assert_bad_input(
        result,
        f"error: {tmp_path / 's.yaml'}: scenario: embargo_20100: file not found, nor a scenario of that name; "
        "did you mean 'embargo_2010'",
    )


def test_a_scenario_argument_overrides_a_sweep_file_naming_nothing_with_the_note_it_always_gave(tmp_path, monkeypatch):
    # the sweep file's scenario: is checked only where it is run: given a SCENARIO, the sweep runs it and says so
    monkeypatch.chdir(tmp_path)
    for named in ("nonexist_scn", "embargo_20100"):  # found nowhere; a close name
        result = invoke("sweep", "embargo_2010", "--spec", spec(tmp_path, named), "--no-plots", "-o", tmp_path / named)
        assert result.exit_code == 0, result.output
        assert f", not the scenario {named} that {tmp_path / 's.yaml'} names" in result.output
        assert (tmp_path / named / "sweep.parquet").exists()
