"""Fixes from review 1 of session 52 (/work/notes/s52/review1.md), one section per finding."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from simulator.api.inputs import raw_data
from simulator.cli import main
from simulator.explore.grid import plan_grid, run_grid
from simulator.scenario import load_scenario
from simulator.sweep.grid import Axis, SweepSpec
from simulator.sweep.runner import plan_sweep
from tests.helpers import ROOT, assert_bad_input, invoke, no_run, no_traceback

LONG_EMBARGO = str(ROOT / "scenarios" / "long_embargo_6m.yaml")


# --- B1: the explorer's per-material split runs on Dask ------------------------------------


@pytest.mark.filterwarnings(
    "ignore::DeprecationWarning",
    "ignore::UserWarning",
    "ignore::ResourceWarning",
    "ignore::pytest.PytestUnraisableExceptionWarning",
)
def test_the_explorer_splits_by_material_on_dask_as_in_process():
    """long_embargo_6m counts magnets in magnet tonnes, so the explorer splits its shortfalls by material
    (a functools.partial of the chunk's summary); on an in-process Dask cluster the grid is the one
    computed without it, number for number."""
    from distributed import Client, LocalCluster

    raw, source = raw_data(LONG_EMBARGO, [])
    spec = SweepSpec((Axis("shocks.0.severity", (0.5, 1.0)),), runs=1)
    here = run_grid(plan_grid(raw, source, spec))
    assert here.by_material == ("light_ree", "heavy_ree", "ndfeb_magnets")
    with (
        LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        on_dask = run_grid(plan_grid(raw, source, spec), client=client)
    assert on_dask.by_material == here.by_material
    np.testing.assert_array_equal(on_dask.headline, here.headline)
    np.testing.assert_array_equal(on_dask.curves, here.curves)


# --- B2: calibrate refuses two --fit that name one field ------------------------------------


HISTORICAL = str(ROOT / "scenarios" / "embargo_2010_historical.yaml")
RECORD = str(ROOT / "scenarios" / "records" / "rare_earths_2010_2012.csv")


@pytest.mark.parametrize(
    ("first", "second", "words"),
    [
        (
            "shocks.china_japan_halt.leak_share=0:0.7",
            "shocks.1.leak_share=0:0.5",
            "--fit shocks.1.leak_share: the same path as --fit shocks.china_japan_halt.leak_share, written another way",
        ),
        (
            "regions.japan.commercial_stock.light_ree.days=60:200",
            "regions.japan.commercial_stock.light_ree.tonnes=1000:9000",
            "--fit regions.japan.commercial_stock.light_ree.tonnes: the stock's other unit is varied by "
            "--fit regions.japan.commercial_stock.light_ree.days",
        ),
    ],
)
def test_calibrate_refuses_two_fits_of_one_field(tmp_path, first, second, words):
    """The second shock of embargo_2010_historical is china_japan_halt: both --fit set one field, so every
    run used one value while calibration.json reported two fitted ones. Refused before any run, in the
    words of overlapping sweep axes, naming the scenario file; nothing is written."""
    out = tmp_path / "cal"
    args = ["calibrate", HISTORICAL, "--record", RECORD, "-o", str(out), "--iterations", "1", "--starts", "1"]
    result = CliRunner().invoke(main, [*args, "--population", "4", "--workers", "1", "--fit", first, "--fit", second])
    assert result.exit_code == 2, result.output
    assert no_traceback(result)
    assert result.output.startswith(f"error: {HISTORICAL}: {words}")
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


# --- B3, R2: a sweep's unlike-tonnes note is decided over the grid, once, by one rule --------


UNLIKE_SETS = (
    "--set",
    "materials.ndfeb_magnets.tonnes_of=oxide",
    "--set",
    "materials.heavy_ree.price_usd_per_kg=12",
    "--set",
    "materials.ndfeb_magnets.price_usd_per_kg=12",
)
FAR_APART = "tonnes of materials priced far apart"


@pytest.mark.parametrize("values", ["12,100", "100,12"])
def test_the_unlike_tonnes_note_does_not_depend_on_the_order_of_an_axis(tmp_path, values):
    """All three materials count oxide at 12 USD/kg, so their tonnes may be added, until the light rare
    earths cost 100 USD/kg: 100 > 2 x 12 (PRICES_APART). Either order of the values holds that point, so
    both sweeps note it and sweep.json records it; before, only the order that put 100 first did."""
    out = tmp_path / "sweep"
    grid = ("--grid", f"materials.light_ree.price_usd_per_kg={values}")
    args = ["sweep", LONG_EMBARGO, *UNLIKE_SETS, *grid, "--no-plots", "--runs", "1", "--workers", "1", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f"add {FAR_APART}: shortfall_t.<member>.<material> gives each material" in result.output
    assert json.loads((out / "sweep.json").read_text())["shortfall_adds"] == FAR_APART


@pytest.mark.parametrize(
    ("path", "values", "moving"),
    [
        ("materials.light_ree.price_usd_per_kg", (12.0, 100.0), [0]),
        ("materials.light_ree", ({"tonnes_of": "oxide", "price_usd_per_kg": 12.0},), [0]),
        ("materials.light_ree.holding_cost_usd_per_t_year", (600.0, 900.0), []),
    ],
)
def test_only_axes_of_the_fields_the_tonnes_rule_reads_move_it(path, values, moving):
    """A holding cost cannot move whether tonnes may be added: no scenario is validated for it beyond the first."""
    raw, source = raw_data(LONG_EMBARGO, [])
    sweep = plan_sweep(raw, source, SweepSpec((Axis(path, values),), runs=1))
    assert sweep.tonnes_rule_axes == moving
    assert len(sweep.tonnes_rule) == (len(values) if moving else 1)


def test_the_explorer_works_out_the_tonnes_rule_once(monkeypatch):
    """run_grid decides the split by material; the page's description reads the same scenarios and
    validates none again (it took about 10 s per 5,000 combinations, twice)."""
    from simulator.explore import page
    from simulator.sweep import runner

    raw, source = raw_data(LONG_EMBARGO, [])
    spec = SweepSpec((Axis("materials.light_ree.price_usd_per_kg", (12.0, 30.0)),), runs=1)
    grid = run_grid(plan_grid(raw, source, spec))
    assert grid.by_material == ("light_ree", "heavy_ree", "ndfeb_magnets")

    def no_more(*_):
        raise AssertionError("the tonnes rule's scenarios were validated again")

    monkeypatch.setattr(runner, "validate_data", no_more)  # what build_point validates a point with
    by_material = page._by_material(grid)
    assert by_material is not None and by_material["axes"] == [0]


# --- B4: the reprs of a scenario and a result built in part do not raise ---------------------


def test_a_scenario_and_a_result_built_in_part_have_a_repr():
    """A debugger, a log line or pytest's assertion rewriting calls repr on such objects."""
    from simulator.results import Result
    from simulator.scenario.schema import Scenario

    partial = Scenario.model_construct(name="x")  # no horizon, regions, materials or suppliers
    assert repr(partial).startswith("Scenario(name='x', ")  # pydantic's: the fields it has
    shocks_as_data = Scenario.model_construct(
        name="y", horizon_days=3, regions={}, materials={}, suppliers={}, shocks=[{"id": "halt"}]
    )
    assert "shocks=[{'id': 'halt'}]" in repr(shocks_as_data)
    result = Result.__new__(Result)
    assert repr(result).startswith("<simulator.results.Result object at ")
    result.scenario, result.seed = partial, 1
    assert repr(result).startswith("<simulator.results.Result object at ")
    whole = load_scenario(LONG_EMBARGO)
    assert repr(whole).startswith("<Scenario 'long_embargo_6m': ")  # a whole scenario's stays a few lines


# --- B5: overlapping axes of a sweep file are the file's problem -----------------------------


@pytest.mark.parametrize("with_set", [False, True])
def test_overlapping_axes_of_a_sweep_file_name_the_file_and_its_grid_keys(tmp_path, monkeypatch, with_set):
    """long_embargo_6m's shock 0 is china_embargo: the file's two axes vary one field. The message names
    spec.yaml and its grid: keys, not the scenario and a --grid nobody gave (with a set: in the file or not)."""
    no_run(monkeypatch)
    spec = tmp_path / "spec.yaml"
    fixed = "set:\n  description: x\n" if with_set else ""
    spec.write_text(f"{fixed}grid:\n  shocks.china_embargo.severity: [0.2, 1]\n  shocks.0.severity: [0.3, 0.5]\n")
    result = invoke("sweep", LONG_EMBARGO, "--spec", spec, "--no-plots", "-o", tmp_path / "out")
    assert_bad_input(result)
    assert result.output == (
        f"error: {spec}: grid.shocks.0.severity: the same path as grid.shocks.china_embargo.severity, written "
        "another way: give its values once\n"
    )
    assert not (tmp_path / "out").exists()
    # the same two axes given by the options stay the options' (and the scenario's)
    grids = ("--grid", "shocks.china_embargo.severity=0.2,1", "--grid", "shocks.0.severity=0.3,0.5")
    result = invoke("sweep", LONG_EMBARGO, *grids, "--no-plots", "-o", tmp_path / "out")
    assert_bad_input(result, f"error: {LONG_EMBARGO}: --grid shocks.0.severity: the same path as --grid shocks.")


# --- B6: the unlike-tonnes note mentions the figures' panels only where figures are drawn -----


def test_the_unlike_tonnes_note_of_a_sweep_without_figures_names_no_panels(tmp_path):
    """--no-plots draws no figure: the note names the table's columns alone (with figures, see
    tests/test_tonnes_apart.py, it names their panels too)."""
    out = tmp_path / "sweep"
    grid = ("--grid", "materials.light_ree.price_usd_per_kg=12,100")
    args = ["sweep", LONG_EMBARGO, *UNLIKE_SETS, *grid, "--no-plots", "--runs", "1", "--workers", "1", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert not list(out.glob("*.png"))
    notes = [line for line in result.output.splitlines() if "total_shortfall_t" in line]
    assert notes == [
        f"note: total_shortfall_t and shortfall_t.<member> add {FAR_APART}: "
        "shortfall_t.<member>.<material> gives each material"
    ]


# --- R1: one rule for the notes of ratios rescaled, said by the CLI and the API --------------


def test_the_cli_and_the_api_say_the_same_rescaled_ratios(tmp_path, monkeypatch):
    """Japan's ratio at 0.3 leaves 0.7 to the EU (0.21 in embargo_2010's file): stockpile run's note and
    simulator.run's warning are the same problem, made once (scenario.changes.rescaled_problems) and
    rendered by each; a change to that rule reaches both."""
    import warnings

    import simulator
    from simulator.errors import Problem
    from simulator.scenario import changes

    monkeypatch.chdir(ROOT)
    real = changes.rescaled_problems
    said = [
        p.message for p in real(changes.changes_of(raw_data("embargo_2010", [])[0], [("agreement.ratio.japan", 0.3)]))
    ]
    assert said == ["the other members' ratios are rescaled to what is left: eu 0.7 (in the file: 0.21)"]
    monkeypatch.setattr(changes, "rescaled_problems", lambda made: [Problem(p.path, "MARK") for p in real(made)])
    ran = invoke("run", "embargo_2010", "--set", "agreement.ratio.japan=0.3", "--no-plots", "-o", tmp_path / "run")
    assert ran.exit_code == 0, ran.output
    assert [line for line in ran.stderr.splitlines() if "MARK" in line] == [
        "note: scenarios/embargo_2010.yaml: agreement.ratio.japan: MARK"
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        simulator.run("embargo_2010", set={"agreement.ratio.japan": 0.3})
    assert [str(w.message) for w in caught] == ["scenarios/embargo_2010.yaml: agreement.ratio.japan: MARK"]


# --- R3: a hold-out window's dates are read by the sweep file's date pattern ------------------


@pytest.mark.parametrize(
    ("window", "words"),
    [
        ("2010-02-30:2010-03-01", "not a valid date '2010-02-30': day is out of range for month"),
        ("x:2011-02-29", "not a valid date '2011-02-29': day is out of range for month"),  # 2011: no leap day
        ("2010-9-7:2011-01-01", "write [QUANTITY@]YYYY-MM-DD:YYYY-MM-DD"),  # not written YYYY-MM-DD
        ("2010-09-07", "write [QUANTITY@]YYYY-MM-DD:YYYY-MM-DD"),  # no end
    ],
)
def test_a_hold_out_window_is_read_with_the_sweeps_date_pattern(window, words):
    """A part written YYYY-MM-DD that names no day is said to be no valid date (with Python's reason,
    kept from the one parse); anything else is told the form. One pattern, sweep.grid's, says which."""
    from simulator import calibrate
    from simulator.errors import InputError
    from simulator.sweep import grid

    assert calibrate.ISO_DATE is grid.ISO_DATE
    with pytest.raises(InputError) as caught:
        calibrate.parse_hold_out(window)
    assert str(caught.value) == f"--hold-out {window!r}: {words}"
    assert calibrate.parse_hold_out("2010-09-07:2010-12-31").last.isoformat() == "2010-12-31"
