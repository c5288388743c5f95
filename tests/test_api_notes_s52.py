"""Session 52, the Python API's notes and manners (audit s52 api_explorer_audit.md: D1, D3, M1-M5, M10)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import simulator
from simulator.errors import ScenarioError

ROOT = Path(__file__).resolve().parents[1]


def _message(call, *args, **kwargs) -> str:
    with pytest.raises(ScenarioError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def test_load_scenario_says_where_a_bare_name_was_looked_for(tmp_path, monkeypatch):
    """M5: load_scenario("nope") names the folders searched, word for word as simulator.run does."""
    monkeypatch.chdir(tmp_path)
    loaded = _message(simulator.load_scenario, "no_such_scenario_s52")
    ran = _message(simulator.run, "no_such_scenario_s52")
    assert loaded == ran
    assert "nor as no_such_scenario_s52.yaml or no_such_scenario_s52.yml in ./scenarios" in loaded
    # a path to nothing (not a bare name) keeps the plain message
    assert _message(simulator.load_scenario, str(tmp_path / "gone.yaml")).endswith("gone.yaml: file not found")


def _recorded(call, *args, **kwargs) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call(*args, **kwargs)
    return [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


def test_run_warns_the_ratios_it_rescaled(monkeypatch):
    """M1: Japan's ratio set to 0.3 leaves 1 - 0.3 = 0.7 to the EU (0.21 in the file), as the CLI's note says."""
    monkeypatch.chdir(ROOT)
    notes = _recorded(simulator.run, "embargo_2010", set={"agreement.ratio.japan": 0.3})
    assert notes == [
        "scenarios/embargo_2010.yaml: agreement.ratio.japan: the other members' ratios are "
        "rescaled to what is left: eu 0.7 (in the file: 0.21)"
    ]
    # both ratios given: nothing rescaled, nothing said
    assert _recorded(simulator.run, "embargo_2010", set={"agreement.ratio.japan": 0.3, "agreement.ratio.eu": 0.7}) == []


def _cli_notes(*args) -> list[str]:
    """The ``note:`` lines ``stockpile sweep ARGS`` prints after its table (stderr)."""
    from tests.helpers import invoke

    result = invoke("sweep", *args)
    assert result.exit_code == 0, result.output
    return [line.removeprefix("note: ") for line in result.stderr.splitlines() if line.startswith("note: ")]


def test_a_sweep_into_a_folder_warns_the_notes_the_command_prints(tmp_path, monkeypatch):
    """D1: the pool is never drawn in embargo_2010, so the ratio changes nothing, no metric
    moves and neither the metrics figure nor the frontier is drawn: the CLI's three notes, in order,
    come as the API's UserWarnings, at the caller's line."""
    monkeypatch.chdir(ROOT)
    grid = "0:1:0.5"
    cli = _cli_notes("scenarios/embargo_2010.yaml", "--grid", f"agreement.ratio.japan={grid}", "-o", tmp_path / "c")
    assert [note.split(":")[0] for note in cli] == [
        "sweep_metrics.png not drawn",
        "sweep_frontier.png not drawn",
        "agreement.ratio.japan",
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        simulator.sweep("embargo_2010", grid={"agreement.ratio.japan": grid}, workers=1, out=tmp_path / "p")
    assert [str(w.message) for w in caught] == cli
    assert {w.filename for w in caught} == {__file__}
    # in memory (or without figures): no word of figures, the unchanged ratio still said
    assert _recorded(simulator.sweep, "embargo_2010", grid={"agreement.ratio.japan": grid}, workers=1) == cli[2:]


def test_a_sweep_warns_that_its_totals_add_tonnes_of_magnet_and_oxide(monkeypatch):
    """D1: long_embargo_6m leaves members short of light rare earths and of NdFeB magnets: the note that
    total_shortfall_t adds them comes with the table, in memory too (the end date moves the outputs: no
    other note)."""
    monkeypatch.chdir(ROOT)
    notes = _recorded(simulator.sweep, "long_embargo_6m", grid={"shocks.china_embargo.end": [181, 301]}, workers=1)
    assert notes == [
        "total_shortfall_t and shortfall_t.<member> add tonnes of magnet and "
        "tonnes of oxide: shortfall_t.<member>.<material> gives each material",
        "fairness_jain adds tonnes of magnet and tonnes of oxide: "
        "fairness_jain.all.<material> gives each material's index",
    ]


def test_a_sweep_without_figures_still_says_its_totals_add_unlike_tonnes(tmp_path, monkeypatch):
    """D1: the note is about the table's columns, which --no-plots writes too."""
    monkeypatch.chdir(ROOT)
    notes = _cli_notes(
        "scenarios/long_embargo_6m.yaml", "--grid", "shocks.china_embargo.end=181,301", "--no-plots", "-o", tmp_path
    )
    assert [note.split(":")[0] for note in notes] == [
        "total_shortfall_t and shortfall_t.<member> add tonnes of magnet and tonnes of oxide",
        "fairness_jain adds tonnes of magnet and tonnes of oxide",
    ]


def test_a_dataset_indexes_a_swept_date_as_the_frame_does(monkeypatch):
    """D3: the coordinate of a date axis is datetime64[ms], the frame's column, so .sel takes a date's text."""
    pytest.importorskip("xarray")
    monkeypatch.chdir(ROOT)
    path, days = "shocks.china_japan_halt.end", ["2010-11-20", "2010-12-01"]
    table = simulator.sweep("embargo_2010_scarce", grid={path: days}, workers=1)
    ds = simulator.sweep("embargo_2010_scarce", grid={path: days}, workers=1, as_xarray=True)
    assert ds[path].dtype == table[path].dtype == "datetime64[ms]"
    for day in days:
        row = table[table[path] == day]
        assert len(row) == 1
        for metric in ("total_shortfall_t", "min_days_of_cover.eu"):
            assert float(ds[metric].sel({path: day, "run": 0})) == float(row[metric].iloc[0])


def test_an_in_memory_sweep_is_cut_into_chunks_as_the_command_cuts_it(tmp_path, monkeypatch):
    """M10: 2 points x 50 runs = 100 runs, far below one fast-path batch: one chunk, run in this process
    whatever workers says (it was cut into one chunk per worker, each started in a process of its own),
    and chunks of the size stockpile sweep records in sweep.json."""
    import json

    from simulator.sweep import runner

    monkeypatch.chdir(ROOT)
    seen = []
    original = runner.map_chunks

    def recording(sweep, function, workers=1, client=None, *args):
        seen.append((len(sweep.chunks()), sweep.chunk_runs, runner.pool_size(workers, len(sweep.chunks()))))
        return original(sweep, function, workers, client, *args)

    monkeypatch.setattr(runner, "map_chunks", recording)
    grid = {"agreement.ratio.japan": [0.2, 0.8]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the closing notes (D1)
        simulator.sweep("embargo_stochastic", grid=grid, runs=50, workers=2)
    _cli_notes(
        "scenarios/embargo_stochastic.yaml",
        "--grid",
        "agreement.ratio.japan=0.2,0.8",
        "--runs",
        50,
        "--no-plots",
        "-o",
        tmp_path,
    )
    on_file = json.loads((tmp_path / "sweep.json").read_text())["chunk_runs"]
    assert on_file >= 100
    assert seen == [(1, on_file, 1)]


def test_the_package_s_api_functions_give_their_type_hints():
    """M2: simulator.sweep, compare and report (modules bound as functions) give the hints of the API's functions."""
    import typing
    from collections.abc import Mapping
    from typing import Any

    import pandas as pd

    for name in ("sweep", "compare", "report", "run", "check"):
        hints = typing.get_type_hints(getattr(simulator, name))
        assert hints == typing.get_type_hints(getattr(simulator.api, name)), name
        assert "return" in hints and len(hints) > 4, name
    hints = typing.get_type_hints(simulator.sweep)
    assert hints["grid"] == Mapping[str, Any] | None
    assert pd.DataFrame in typing.get_args(hints["return"])
    assert typing.get_type_hints(simulator.compare)["return"] is pd.DataFrame


def test_a_scenario_and_a_result_have_short_reprs(monkeypatch):
    """M3: a notebook cell ending in a Scenario or a Result shows a few lines, not tens of thousands of characters."""
    monkeypatch.chdir(ROOT)
    scenario = simulator.load_scenario("embargo_2010_scarce")
    shown = repr(scenario)
    assert shown.splitlines()[0] == "<Scenario 'embargo_2010_scarce': 731 days from 2010-07-01, seed 0"
    assert shown.endswith("\n agreement: fair_ratio among japan, eu>")
    assert " regions: japan, eu; materials: light_ree, heavy_ree;" in shown
    assert len(shown) < 600
    # pydantic's behaviour is unchanged: str field by field, equality, copies, dumps
    assert str(scenario).startswith("name='embargo_2010_scarce' ")
    assert scenario.model_copy() == scenario
    assert simulator.Scenario.model_validate(scenario.model_dump()) == scenario
    result = simulator.simulate(scenario)
    assert repr(result).startswith("<Result 'embargo_2010_scarce' seed=0: 731 days, 2 region(s) x 2 material(s); ")
    assert len(repr(result)) < 300


def test_help_on_a_run_result_describes_every_field():
    """M4: the fields' descriptions are in the class docstring (numpy Attributes), which help() and IPython show."""
    import dataclasses
    import pydoc

    shown = pydoc.render_doc(simulator.RunResult, renderer=pydoc.plaintext)
    assert "One row per day, region and material: demand, supply, releases, shortfall, stocks, cover." in shown
    doc = simulator.RunResult.__doc__
    attributes = doc[doc.index("Attributes\n    ----------") :]
    for field in dataclasses.fields(simulator.RunResult):
        assert f"\n    {field.name} : " in attributes, field.name
