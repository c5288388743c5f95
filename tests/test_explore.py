"""The what-if explorer: packing, the size bound, the command's bad input, reproduction."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import shlex
import zlib
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from simulator import forked
from simulator.cli import main
from simulator.engine import ReferenceEngine
from simulator.explore import plan_grid, render, run_grid
from simulator.explore.data import (
    BLOCK_POINTS,
    NO_VALUE,
    STRIDES_DAYS,
    base64_size,
    dequantise,
    pack,
    pack_within,
    quantise,
    resample,
    sample_days,
    unpack,
)
from simulator.explore.grid import (
    CURVES,
    MAX_POINTS,
    MAX_TOTAL_RUNS,
    PERCENTILES,
    Grid,
    _headline,
    _percentiles,
    _run_headlines,
    chunk_runs_for,
    headline_names,
)
from simulator.explore.page import MAX_PAGE_BYTES, read_page
from simulator.plan import compile_plan
from simulator.scenario import apply_overrides, load_raw, validate_data
from simulator.sweep import Sweep, SweepSpec, parse_axis
from simulator.sweep.runner import scenario_batch_runs
from tests.helpers import (
    ROOT,
    TWO_MEMBERS,
    assert_bad_input,
    build,
    no_traceback,
    pool_processes,
    shipped_group,
    shipped_run,
)

# --- packing ---------------------------------------------------------------------------


def test_codes_span_each_curves_own_range():
    # one curve from 10 to 30: step = 20 / 65534; 20 is code 32767 (exactly half way)
    codes, low, step = quantise(np.array([[10.0, 20.0, 30.0]]))
    assert codes.tolist() == [[0, 32767, 65534]]
    assert low == 10.0
    assert step == pytest.approx(20 / 65534, rel=1e-15)


def test_constant_and_missing_curves_decode_exactly():
    values = np.array([[[[5.0, 5.0, 5.0]]], [[[np.nan, np.nan, np.nan]]], [[[0.0, np.nan, 4.0]]]])
    codes, low, step = quantise(values)
    assert codes[1].ravel().tolist() == [NO_VALUE] * 3
    assert codes[2].ravel().tolist() == [0, NO_VALUE, 65534]
    decoded = dequantise(codes, low, step)
    np.testing.assert_array_equal(decoded[0], values[0])
    assert np.isnan(decoded[1]).all()
    assert decoded[2].ravel()[[0, 2]].tolist() == [0.0, 4.0]


def test_quantisation_error_is_at_most_half_a_step_of_the_curves_range():
    rng = np.random.default_rng(3)
    # (point, curve, region, material, series, sample): ranges from 1e-3 to 1e5, some NaN
    values = rng.random((6, 2, 2, 2, 3, 50)) * 10.0 ** rng.integers(-3, 6, (6, 2, 2, 2, 1, 1))
    values[0, 0, 0, 0, :, 7] = np.nan
    codes, low, step = quantise(values)
    decoded = dequantise(codes, low, step)
    curve_range = np.nanmax(values, axis=(-2, -1)) - np.nanmin(values, axis=(-2, -1))
    bound = curve_range / 65534 / 2
    error = np.abs(decoded - values)
    assert np.nanmax(error / bound[..., None, None]) <= 1 + 1e-9
    np.testing.assert_array_equal(np.isnan(decoded), np.isnan(values))


def test_windows_keep_the_lowest_cover_and_the_last_cumulative_shortfall():
    cover = [5.0, 4.0, 6.0, 7.0, 1.0, 9.0, 8.0, 3.0]
    cumulative = [0.0, 0.0, 1.0, 2.0, 3.0, 3.0, 4.0, 6.0]
    # (point, series, curve, day, region, material)
    curves = np.array([cover, cumulative]).reshape(1, 1, 2, 8, 1, 1)
    # stride 3 over 8 days: samples on days 0, 3, 6 and the last day 7
    assert sample_days(8, 3).tolist() == [0, 3, 6, 7]
    out = resample(curves, 3)[0, :, 0, 0, 0]
    assert out[0].tolist() == [5.0, 4.0, 1.0, 3.0]  # min of {0}, {1,2,3}, {4,5,6}, {7}
    assert out[1].tolist() == [0.0, 2.0, 4.0, 6.0]  # the windows' last days
    np.testing.assert_array_equal(resample(curves, 1)[0, :, 0, 0, 0], [cover, cumulative])


def test_a_window_of_missing_cover_stays_missing():
    curves = np.array([np.nan, np.nan, 2.0, np.nan]).reshape(1, 1, 1, 4, 1, 1)
    curves = np.concatenate([curves, curves], axis=2)
    # samples on days 0, 2, 3: windows {0}, {1, 2}, {3}
    out = resample(curves, 2)[0, 0, 0, 0, 0]
    assert np.isnan(out[0])
    assert out[1] == 2.0
    assert np.isnan(out[2])


def test_the_blob_reads_back_the_headline_exactly_and_the_curves_within_the_bound():
    rng = np.random.default_rng(5)
    curves = np.cumsum(rng.random((4, 3, 2, 30, 2, 2)), axis=3).astype(np.float32)
    headline = rng.random((4, 11, 3)) * 1e4
    headline[0, 1, :] = np.nan  # a "never"
    packed = pack(curves, headline, 2)
    read_headline, values = unpack(packed)
    np.testing.assert_array_equal(read_headline, headline)
    expected = resample(curves, 2)
    curve_range = expected.max(axis=(-2, -1)) - expected.min(axis=(-2, -1))
    assert np.all(np.abs(values - expected) <= curve_range[..., None, None] / 65534 / 2 * (1 + 1e-9))
    assert packed.layout["days"] == sample_days(30, 2).tolist()


def test_blocks_packed_in_a_forked_child_give_the_same_blob(monkeypatch):
    rng = np.random.default_rng(8)
    curves = np.cumsum(rng.random((2 * BLOCK_POINTS + 5, 3, 2, 20, 1, 2)), axis=3).astype(np.float32)
    curves[BLOCK_POINTS + 3, :, 0] = np.nan  # a cell without demand, in the child's block
    headline = rng.random((len(curves), 4, 3))
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    alone = pack(curves, headline, 3)
    monkeypatch.setattr(forked, "can_fork", lambda: forked.forks_here())
    shared = pack(curves, headline, 3)
    assert shared.blob == alone.blob and shared.layout == alone.layout
    read_headline, values = unpack(shared)
    np.testing.assert_array_equal(read_headline, headline)
    assert np.isnan(values[BLOCK_POINTS + 3, 0]).all() and not np.isnan(values[BLOCK_POINTS + 2]).any()


# --- the size bound ----------------------------------------------------------------------


@functools.cache
def _planned_2000_points(runs: int) -> Sweep:
    """2,000 grid points of the shipped stochastic replay (1,000 ratios x 2 rules), planned once
    in all: validating each axis value is most of the cost of planning, and none of it depends
    on the runs per point. The grid of fewer runs is the planned one with the spec, the run list
    and the chunk size that :func:`plan_grid` gives for them (its replicates' seeds unchanged)."""
    if runs != 100:
        planned = _planned_2000_points(100)
        first_runs = [run for run in planned.runs if run[1] < runs]
        chunk_runs = chunk_runs_for(runs, len(planned.points), 1, scenario_batch_runs(planned.first, CURVES))
        return replace(planned, spec=replace(planned.spec, runs=runs), runs=first_runs, chunk_runs=chunk_runs)
    source = "scenarios/embargo_stochastic.yaml"
    axes = (parse_axis("agreement.ratio.japan=0.001:1:0.001"), parse_axis("agreement.mechanism=hybrid,fair_ratio"))
    return plan_grid(load_raw(source), source, SweepSpec(axes, runs=runs))


BY_MATERIAL = ("light_ree", "heavy_ree")
"""The replay's materials, priced far apart: its pages hold each one's shortfall too (Grid.by_material)."""


def _grid_of_shape(runs: int, curves: np.ndarray) -> Grid:
    """The planned 2,000-point grid with synthetic curves of the given shape."""
    headline = np.ones((curves.shape[0], len(headline_names(("japan", "eu"), BY_MATERIAL)), curves.shape[1]))
    return Grid(_planned_2000_points(runs), curves, headline, ("japan", "eu"), BY_MATERIAL, True, BY_MATERIAL)


@pytest.mark.parametrize("series", [1, 3])
@pytest.mark.xdist_group("explore-2000-points")  # the grid planned with 100 runs once, also under pytest -n
def test_two_thousand_points_of_two_members_two_materials_and_730_days_fit_in_10_mb(series):
    # the worst case for compression: curves of pure noise, so the size depends on the stride alone
    rng = np.random.default_rng(11)
    curves = rng.random((2000, series, 2, 730, 2, 2), dtype=np.float32) * 500
    grid = _grid_of_shape(100 if series == 3 else 1, curves)
    assert len(grid.sweep.points) == 2000
    page = render(grid)
    assert len(page.html.encode()) <= MAX_PAGE_BYTES
    assert page.layout["stride_days"] in STRIDES_DAYS
    meta, packed = read_page(page.html)
    assert meta["layout"]["points"] == 2000
    headline, values = unpack(packed)
    assert headline.shape == (2000, len(headline_names(("japan", "eu"), BY_MATERIAL)), series)
    assert values.shape == (2000, 2, 2, 2, series, len(page.layout["days"]))


@pytest.mark.xdist_group("explore-2000-points")
def test_smooth_curves_keep_a_finer_resolution():
    # declining cover and rising cumulative shortfall, as the model draws them: compressible
    days = np.arange(730, dtype=np.float32)
    level = np.linspace(20, 200, 2000, dtype=np.float32)[:, None, None, None, None, None]
    cover = np.maximum(level - days[None, None, None, :, None, None] * 0.3, 0)
    short = np.maximum(days[None, None, None, :, None, None] - level, 0) * 2.5
    curves = np.concatenate([cover, short], axis=2) * np.ones((1, 3, 1, 1, 2, 2), np.float32)
    grid = _grid_of_shape(100, curves)
    page = render(grid)
    assert len(page.html.encode()) <= MAX_PAGE_BYTES
    assert page.layout["stride_days"] == 1


@functools.cache
def _drifting_curves() -> tuple[np.ndarray, np.ndarray]:
    """200 points of slowly drifting noisy curves, and a headline: the size falls as the windows widen."""
    rng = np.random.default_rng(2)
    curves = np.cumsum(rng.normal(0, 1, (200, 3, 2, 365, 2, 1)), axis=3).astype(np.float32)
    return curves, np.zeros((200, 4, 3))


@functools.cache
def _drifting_size(stride: int) -> int:
    """Base64 characters of the drifting curves packed whole at ``stride`` (once for every budget)."""
    return base64_size(len(pack(*_drifting_curves(), stride).blob))


@pytest.mark.parametrize("budget", [200_000, 400_000, 800_000, 1_500_000, 2_500_000])
@pytest.mark.xdist_group("explore-drifting-curves")  # each stride packed whole once, also under pytest -n
def test_the_finest_stride_that_fits_is_chosen(budget):
    curves, headline = _drifting_curves()
    packed = pack_within(curves, headline, budget)
    assert base64_size(len(packed.blob)) <= budget
    stride = packed.layout["stride_days"]
    assert base64_size(len(packed.blob)) == _drifting_size(stride)  # the whole grid at that stride
    for finer in STRIDES_DAYS[: STRIDES_DAYS.index(stride)]:
        assert _drifting_size(finer) > budget


def test_a_budget_too_small_for_any_stride_is_refused():
    curves = np.random.default_rng(0).random((3, 1, 2, 100, 1, 1), dtype=np.float32)
    with pytest.raises(ValueError, match="do not fit"):
        pack_within(curves, np.zeros((3, 4, 1)), 100)


# --- the command: bad input ---------------------------------------------------------------


def _scenario(tmp_path, data=TWO_MEMBERS):
    path = tmp_path / "pair.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return str(path)


AXES = {
    "pool": "agreement.pool.contributions.japan.ree.tonnes=0,30,90",
    "ratio": "agreement.ratio.japan=0.2:0.8:0.3",
    "rule": "agreement.mechanism=fair_ratio,proportional",
}


@pytest.mark.parametrize(
    ("axes", "extra", "message"),
    [
        (
            [*AXES.values(), "regions.eu.demand.ree.tonnes_per_day=40,80", "horizon_days=50,60"],
            [],
            "at most 4 axes can be explored, got 5",
        ),
        (["agreement.ratio.japan=0.5"], [], "agreement.ratio.japan: an axis needs two or more different values, got 1"),
        (["agreement.ratio.japan=0.5,0.5"], [], "an axis needs two or more different values, got 1"),
        (["agreement.ratio.japan=0.5,0.2,0.5"], [], "agreement.ratio.japan: a value is given twice"),
        # a path the scenario has not: in --set's words (was "no such field in the scenario" without a hint)
        (["agreement.ratio.nobody=0.1,0.2"], [], "agreement.ratio.nobody: unknown member 'nobody' (known: eu, japan)"),
        (["shocks.halt.severty=0.5,1"], [], "shocks.halt.severty: unknown key; did you mean 'severity'?"),
        (["shocks.nothing.end=5,10"], [], "shocks.nothing: no item with id 'nothing' (ids: halt)"),
        (  # a field the file leaves out, a value bad: the value's problem, named as sweep names it
            ["regions.eu.reserve.ree.tonnes=50,-5"],
            [],
            "pair.yaml [regions.eu.reserve.ree.tonnes=-5]: regions.eu.reserve.ree.tonnes: must be >= 0\n",
        ),
        (
            ["regions.eu.reserve.ree.tonnez=5,50"],
            [],
            "regions.eu.reserve.ree.tonnez: unknown key; did you mean 'tonnes'?",
        ),
        ([AXES["ratio"], AXES["ratio"]], [], "agreement.ratio.japan: given as an axis twice"),
        ([], [], "give at least one --axis PATH=SPEC"),
        (["agreement.ratio.japan=0:1:0"], [], "--axis agreement.ratio.japan: the step must not be 0"),
        (  # one axis: refused as it is read, with no --max-points to advise (explore has none)
            ["agreement.ratio.japan=0:1:0.0001"],
            [],
            "--axis agreement.ratio.japan: '0:1:0.0001' has 10,001 values, "
            f"more than a grid may have points ({MAX_POINTS:,})\n",
        ),
        (  # two axes within the limit each, not together
            ["agreement.ratio.japan=0:1:0.01", "agreement.pool.contributions.eu.ree.days=0:100:1"],
            [],
            f"10,201 grid points; the explorer's limit is {MAX_POINTS:,}",
        ),
        (
            ["agreement.ratio.japan=0:1:0.001"],
            ["--runs", "600"],
            f"1,001 points x 600 runs; the limit is {MAX_TOTAL_RUNS:,} runs in all",
        ),
        ([AXES["ratio"]], ["--runs", "1001"], "1,001 runs per point; the limit is 1,000"),
        (["agreement.ratio.japan=0.2,1.5"], [], "agreement.ratio.japan"),
        ([AXES["ratio"]], ["--workers", "2", "--dask", "tcp://127.0.0.1:1"], "give --workers or --dask, not both"),
        (["seed=1,2"], [], "--axis seed: the seed cannot be swept: each run's seed comes from the root seed (--seed)"),
        (["horizon_days=50,60"], ["--workers", "1"], "[horizon_days=60] gives other days, regions or materials than"),
    ],
)
def test_bad_input_exits_2_with_the_reason_and_writes_nothing(tmp_path, axes, extra, message):
    out = tmp_path / "out" / "explorer.html"
    args = ["explore", _scenario(tmp_path), *[a for axis in axes for a in ("--axis", axis)], *extra, "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert no_traceback(result)
    assert not out.exists()


def test_forty_workers_on_two_points_start_two_processes(tmp_path, monkeypatch):
    """--workers 40 once started 40 processes whatever the grid; two points are two chunks here."""
    started = pool_processes(monkeypatch)
    out = tmp_path / "explorer.html"
    args = [
        "explore",
        _scenario(tmp_path),
        "--axis",
        "agreement.ratio.japan=0.2,0.8",
        "--workers",
        "40",
        "-o",
        str(out),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert started == [2]


def test_a_field_the_file_leaves_out_is_created_by_its_axis(tmp_path):
    """The EU has no reserve in the file: the axis creates it, as a sweep's does (a --set on the
    axis's path, which this used to need, is now refused: the axis's values replace it)."""
    out = tmp_path / "explorer.html"
    args = ["explore", _scenario(tmp_path), "--axis", "regions.eu.reserve.ree.tonnes=0,50"]
    result = CliRunner().invoke(main, [*args, "--workers", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    meta, _ = read_page(out.read_text())
    (axis,) = meta["axes"]
    assert (axis["start"], axis["start_note"]) == (0, "the first value; the scenario does not set it")
    result = CliRunner().invoke(main, [*args, "--set", "regions.eu.reserve.ree.tonnes=0", "-o", str(out)])
    assert_bad_input(result, "--set regions.eu.reserve.ree.tonnes: the same path is varied by --axis ")


def test_shock_windows_follow_a_shock_axis_and_stay_within_the_horizon(tmp_path):
    out = tmp_path / "explorer.html"
    args = ["explore", _scenario(tmp_path), "--axis", "shocks.halt.end=10,20,80", "--axis", AXES["ratio"]]
    result = CliRunner().invoke(main, [*args, "--workers", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    meta, _ = read_page(out.read_text())
    shocks = meta["shocks"]
    assert [s["id"] for s in shocks["list"]] == ["halt"]
    assert shocks["list"][0]["materials"] == [0]
    assert shocks["axes"] == [0]  # only the shock axis moves a window
    # starts on day -100 (drawn from day 0), ends on day 10, 20 or 80 (the horizon is 60 days)
    assert shocks["windows"] == {"0": [[0, 10]], "1": [[0, 20]], "2": [[0, 60]]}


def test_runs_of_a_scenario_without_random_inputs_collapse_to_one(tmp_path):
    out = tmp_path / "explorer.html"
    args = ["explore", _scenario(tmp_path), "--axis", AXES["ratio"], "--runs", "5", "--workers", "1", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "no random inputs" in result.output
    meta, _ = read_page(out.read_text())
    assert meta["runs"] == 1
    assert meta["layout"]["series"] == 1


# --- a page made by the command ------------------------------------------------------------


@pytest.fixture(scope="module")
def pair_page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explore")
    scenario = _scenario(folder)
    out = folder / "explorer.html"
    args = ["explore", scenario, *[a for axis in AXES.values() for a in ("--axis", axis)], "--workers", "2"]
    result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    meta, packed = read_page(html)
    return html, meta, unpack(packed)


def _point(meta, **index):
    """Grid point index of axis indices (first axis slowest)."""
    p = 0
    for axis in meta["axes"]:
        key = {"agreement.pool.contributions.japan.ree.tonnes": "pool", "agreement.ratio.japan": "ratio"}.get(
            axis["path"], "rule"
        )
        p = p * len(axis["labels"]) + index[key]
    return p


@pytest.mark.xdist_group("explore-pair-page")
def test_page_headline_matches_the_hand_worked_totals(pair_page):
    _, meta, (headline, values) = pair_page
    q = meta["quantities"]
    # no supply for 60 days, demand 20 + 80 t/day: total shortfall = 6,000 t - the pool (japan X + eu 30 t)
    for i, pool in enumerate((30, 60, 120)):
        for j in range(3):
            for k in range(2):
                assert headline[_point(meta, pool=i, ratio=j, rule=k), q.index("total_shortfall_t"), 0] == 6000 - pool
    # fair ratio, japan 0.2 of a 30 t pool on day 0: japan gets 6 of its 20 t gap, the EU 24 of 80
    p = _point(meta, pool=0, ratio=0, rule=0)
    assert [r["id"] for r in meta["regions"]] == ["japan", "eu"]
    cumulative = values[p, 1, :, 0, 0]  # (region, sample)
    assert meta["layout"]["stride_days"] == 1
    np.testing.assert_allclose(cumulative[0, :3], [14, 34, 54], atol=1194 / 65534 / 2)
    np.testing.assert_allclose(cumulative[1, :3], [56, 136, 216], atol=4776 / 65534 / 2)
    assert headline[p, q.index("first_shortfall_day"), 0] == 0
    assert headline[p, q.index("shortfall_t.japan"), 0] == 14 + 20 * 59


@pytest.mark.xdist_group("explore-pair-page")
def test_the_copied_command_reproduces_the_point(pair_page, tmp_path):
    _, meta, (headline, values) = pair_page
    index = {"pool": 2, "ratio": 1, "rule": 1}
    p = _point(meta, **index)
    options = [axis["options"][index[k]] for axis, k in zip(meta["axes"], ("pool", "ratio", "rule"), strict=True)]
    command = " ".join([meta["command"]["run"], *[f"--set {o}" for o in options]])
    assert meta["command"]["seed"] is None  # no random inputs: no --seed
    words = shlex.split(command)
    assert words[:2] == ["stockpile", "run"]
    result = CliRunner().invoke(main, [*words[1:], "-o", str(tmp_path / "run"), "--no-plots"])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    overall = summary["agreement"]
    q = meta["quantities"]
    assert headline[p, q.index("total_shortfall_t"), 0] == overall["total_shortfall_t"]
    ts = pd.read_csv(tmp_path / "run" / "timeseries.csv")
    for r, region in enumerate(r["id"] for r in meta["regions"]):
        rows = ts[ts["region"] == region]
        run_curve = rows["shortfall_cum_t"].to_numpy()
        bound = (run_curve.max() - run_curve.min()) / 65534 / 2 + 1e-9
        assert np.abs(values[p, 1, r, 0, 0] - run_curve).max() <= bound


@pytest.mark.xdist_group("explore-pair-page")
def test_the_page_fetches_nothing(pair_page):
    html, _, _ = pair_page
    assert "http://" not in html
    assert "https://" not in html
    for word in ("fetch(", "XMLHttpRequest", "<link", "src=", "import(", "@import", "url("):
        assert word not in html


@pytest.mark.xdist_group("explore-pair-page")
def test_the_blob_is_zlib_deflate_that_the_browser_can_inflate(pair_page):
    _, packed = read_page(pair_page[0])
    assert packed.blob[:1] == b"\x78"  # a zlib stream: what DecompressionStream("deflate") reads
    assert len(zlib.decompress(packed.blob)) > 0


# --- many runs: backends, bands and the commands that reproduce them ----------------------

NOISY = build(
    TWO_MEMBERS,
    name="noisy_pair",
    horizon_days=40,
    seed=11,
    regions__japan__demand__ree__noise_cv=0.2,
    regions__japan__commercial_stock__ree__days=5,
    regions__eu__commercial_stock__ree__days=5,
    shocks=[
        {
            "id": "halt",
            "kind": "embargo",
            "supplier": "china",
            "regions": ["japan", "eu"],
            "start": {"distribution": "uniform", "low": 0, "high": 10},
            "duration_days": {"distribution": "lognormal", "mean": 15, "sd": 5},
            "severity": 1.0,
        }
    ],
)
NOISY_AXES = ("agreement.ratio.japan=0.2:0.8:0.3", "agreement.mechanism=fair_ratio,proportional")


def _noisy_grid(tmp_path, workers=1, client=None):
    source = _scenario(tmp_path, NOISY)
    spec = SweepSpec(tuple(parse_axis(a) for a in NOISY_AXES), runs=6)
    return run_grid(plan_grid(load_raw(source), source, spec, workers), workers=workers, client=client)


@pytest.mark.filterwarnings(
    "ignore::DeprecationWarning",
    "ignore::UserWarning",
    "ignore::ResourceWarning",
    "ignore::pytest.PytestUnraisableExceptionWarning",
)
@pytest.mark.xdist_group("dask-cluster")
def test_one_worker_two_workers_and_dask_give_the_same_numbers(tmp_path, dask_cluster):
    from distributed import Client

    one = _noisy_grid(tmp_path, workers=1)
    two = _noisy_grid(tmp_path, workers=2)
    with Client(dask_cluster) as client:
        on_dask = _noisy_grid(tmp_path, client=client)
        out = tmp_path / "dask.html"
        args = ["explore", _scenario(tmp_path, NOISY), *[a for axis in NOISY_AXES for a in ("--axis", axis)]]
        address = dask_cluster.scheduler_address
        result = CliRunner().invoke(main, [*args, "--runs", "6", "--dask", address, "-o", str(out)])
    assert result.exit_code == 0, result.output
    for other in (two, on_dask):
        np.testing.assert_array_equal(one.curves, other.curves)
        np.testing.assert_array_equal(one.headline, other.headline)
    _, packed = read_page(out.read_text())
    np.testing.assert_array_equal(unpack(packed)[0], one.headline)


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(np.float32, st.tuples(st.integers(1, 3), st.integers(1, 40)), elements=st.floats(-1e6, 1e6, width=32)),
    st.sampled_from(["none", "whole row", "some runs"]),
)
def test_percentiles_of_float32_curves_are_numpys_percentiles_of_their_float64_values(values, nan):
    """The explorer sorts its float32 curves as they are and widens only the order statistics
    it uses: the bands must be numpy's of the float64 values, bit for bit (as sweep --curves)."""
    values = values.copy()
    if nan == "whole row":  # a cell without baseline demand: NaN cover in every run
        values[0] = np.nan
    elif nan == "some runs" and values.shape[1] > 1:
        values[0, ::2] = np.nan
    wide = values.astype(np.float64)
    mixed = np.isnan(wide).any() and not np.isnan(wide).all(axis=-1).any()
    expected = (np.nanpercentile if mixed else np.percentile)(wide, PERCENTILES, axis=-1)
    got = _percentiles(values)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, expected)


def test_bands_are_the_sweeps_percentiles_and_the_seed_reproduces_the_first_run(tmp_path):
    grid = _noisy_grid(tmp_path)
    assert grid.random
    assert grid.curves.shape == (6, 3, 2, 40, 2, 1)  # 3 ratios x 2 rules; p5, p50, p95
    # the sweep command of the page, for one point: its curves.parquet holds the same bands
    sweep_out = tmp_path / "sweep"
    args = ["sweep", _scenario(tmp_path, NOISY), "--grid", "agreement.ratio.japan=0.5"]
    args += ["--grid", "agreement.mechanism=proportional", "--runs", "6", "--seed", "11", "--curves"]
    result = CliRunner().invoke(main, [*args, "--workers", "1", "--no-plots", "-o", str(sweep_out)])
    assert result.exit_code == 0, result.output
    point = 1 * 2 + 1  # ratio 0.5 (second of three), proportional (second of two)
    bands = pd.read_parquet(sweep_out / "curves.parquet")
    for c, curve in enumerate(("days_of_cover", "shortfall_cum_t")):
        for r, region in enumerate(("japan", "eu")):
            rows = bands[(bands["metric"] == curve) & (bands["region"] == region)].sort_values("day")
            for s, column in enumerate(("p5", "p50", "p95")):
                np.testing.assert_array_equal(grid.curves[point, s, c, :, r, 0], rows[column].to_numpy(np.float32))
    table = pd.read_parquet(sweep_out / "sweep.parquet")
    q = headline_names(("japan", "eu"))
    np.testing.assert_array_equal(
        grid.headline[point, q.index("total_shortfall_t")], np.percentile(table["total_shortfall_t"], [5, 50, 95])
    )
    # the page's batches work out only the headline's metrics (METRICS): every headline
    # figure equals the one made from the sweep's table of all metrics
    regions, columns = _run_headlines({c: table[c].to_numpy() for c in table.columns})
    np.testing.assert_array_equal(grid.headline[point], _headline(columns, regions, np.arange(len(table))))
    assert (np.diff(grid.curves[point], axis=0) >= 0).all()  # p5 <= p50 <= p95 everywhere
    # `stockpile run ... --seed S` with the seed the page shows reproduces the sweep's first run
    seed = int(table.loc[table["run"] == 0, "seed"].iloc[0])
    run_out = tmp_path / "run"
    args = ["run", _scenario(tmp_path, NOISY), "--set", "agreement.ratio.japan=0.5", "--set"]
    args += ["agreement.mechanism=proportional", "--seed", str(seed), "--no-plots", "-o", str(run_out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    summary = json.loads((run_out / "summary.json").read_text())
    assert summary["agreement"]["total_shortfall_t"] == table.loc[table["run"] == 0, "total_shortfall_t"].iloc[0]
    page = render(grid)
    meta, _ = read_page(page.html)
    assert meta["command"]["seed"] == f"--seed {seed}"
    assert meta["command"]["sweep_tail"].startswith("--runs 6 --seed 11 --curves")


# --- make explore ----------------------------------------------------------------------------


def _make_explore() -> tuple[str, list[str]]:
    """The scenario and the ``--axis`` options of the Makefile's ``explore`` target."""
    recipe = (ROOT / "Makefile").read_text().split("\nexplore:", 1)[1].split("\n\n", 1)[0]
    scenario = re.search(r"stockpile explore (\S+)", recipe).group(1)
    return str(ROOT / scenario), re.findall(r"--axis (\S+)", recipe)


@shipped_group("long_embargo_6m")
def test_every_axis_of_make_explore_changes_the_curves():
    """Issue 18 item 3: on the shipped target every axis matters. One step along each axis,
    from its first value with the others at the scenario's own values (a hybrid rule, which
    shares by the ratio while the embargo is active), moves the days-of-cover or the
    cumulative-shortfall curve of some member.

    The reference engine's daily arrays of the two curves are compared: the time series'
    columns of :func:`simulator.run` are these arrays flattened, and building every table
    of eight runs would be a third of the test's time. A point that is the scenario as written
    (the EU's light-REE contribution's first value, 0 days, is its own) reads the shipped run
    that the tests of its shipped group share."""
    scenario, axes = _make_explore()
    assert len(axes) == 4
    raw = load_raw(scenario)
    shipped = shipped_run("long_embargo_6m")

    def curves(path: str, value: object) -> dict[str, np.ndarray]:
        point = validate_data(apply_overrides(raw, [(path, value)]), scenario)  # as run(scenario, set=...)
        if point == shipped.scenario:
            return shipped.recorder.arrays
        return ReferenceEngine(compile_plan(point), point.seed).run().arrays

    for axis in map(parse_axis, axes):
        first, second = (curves(axis.path, value) for value in axis.values[:2])
        moved = [
            name
            for name in ("days_of_cover", "shortfall_cum_t")
            if not np.array_equal(first[name], second[name], equal_nan=True)
        ]
        assert moved, f"{axis.path}: {axis.values[0]} and {axis.values[1]} draw the same curves"


def test_a_field_left_at_its_default_can_be_an_axis(tmp_path):
    # the pair's halt does not write on_halt (default lost): the axis starts at the default
    out = tmp_path / "explorer.html"
    args = ["explore", _scenario(tmp_path), "--axis", "shocks.halt.on_halt=held,lost", "--workers", "1", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert out.exists()


@pytest.mark.parametrize(
    ("end", "axis", "start"),
    [
        (dt.date(2026, 1, 31), "shocks.halt.end=10:50:20", 1),  # a date on an axis of day numbers: day 30
        (30, "shocks.halt.end=2026-01-11,2026-01-31,2026-02-20", 1),  # a day number on an axis of dates
    ],
)
def test_the_page_and_the_reports_link_start_at_the_scenarios_day_written_either_way(tmp_path, end, axis, start):
    """long_embargo_6m ends its embargo on 2026-09-01 (day 243) and make explore's axis is in day
    numbers: the page opened at day 151 and the report's link left the axis out (1,978 t shown
    beside the report's 7,111 t)."""
    from simulator.report.explorer import read_explorer

    data = build(TWO_MEMBERS, start_date=dt.date(2026, 1, 1), shocks__halt__end=end)
    out = tmp_path / "explorer.html"
    args = ["explore", _scenario(tmp_path, data), "--axis", axis, "--workers", "1", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    meta, _ = read_page(out.read_text(encoding="utf-8"))
    assert meta["axes"][0]["start"] == start
    link = read_explorer(out, tmp_path / "report.html", data, given=True)
    assert link.at_point == ("shocks.halt.end",)
    assert link.href.endswith("#shocks.halt.end=" + meta["axes"][0]["labels"][start])


def test_only_an_axis_of_day_numbers_shows_their_dates(tmp_path):
    """Days from 1 Jan 2026: day 10 is 11 Jan, day 30 is 31 Jan; tonnes and days of demand stay bare.

    A shock's end is exclusive (its first day without the shock): its axis gives the shock's
    last day, the day before (10 Jan, 30 Jan), as the report and the workbook date a shock.
    """
    data = build(TWO_MEMBERS, start_date=dt.date(2026, 1, 1))
    out = tmp_path / "explorer.html"
    axes = ["shocks.halt.end=10,30", "agreement.pool.contributions.japan.ree.tonnes=0,30", "shocks.halt.start=-100,0"]
    args = ["explore", _scenario(tmp_path, data), *[a for x in axes for a in ("--axis", x)], "--workers", "1"]
    result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    meta, _ = read_page(out.read_text(encoding="utf-8"))
    assert [a["texts"] for a in meta["axes"]] == [
        ["10 (last day 10 Jan 2026)", "30 (last day 30 Jan 2026)"],
        ["0", "30"],
        ["-100 (23 Sep 2025)", "0 (1 Jan 2026)"],
    ]
    assert meta["axes"][0]["labels"] == ["10", "30"]  # the link and --set keep the number
    # a hand-written link may name a day by its date too (tonnes have no other spelling)
    assert [a["aliases"] for a in meta["axes"]] == [
        ["2026-01-11", "2026-01-31"],
        [None, None],
        ["2025-09-23", "2026-01-01"],
    ]
    # without a start date there is no date to show
    bare = tmp_path / "bare.html"
    result = CliRunner().invoke(
        main, ["explore", _scenario(tmp_path), "--axis", axes[0], "--workers", "1", "-o", str(bare)]
    )
    assert result.exit_code == 0, result.output
    assert read_page(bare.read_text(encoding="utf-8"))[0]["axes"][0]["texts"] == ["10", "30"]
    # nor when the start date is itself an axis: each day's date would move with it
    moving = tmp_path / "moving.html"
    both = ["--axis", axes[0], "--axis", "start_date=2026-01-01,2026-07-01"]
    result = CliRunner().invoke(
        main, ["explore", _scenario(tmp_path, data), *both, "--workers", "1", "-o", str(moving)]
    )
    assert result.exit_code == 0, result.output
    assert read_page(moving.read_text(encoding="utf-8"))[0]["axes"][0]["texts"] == ["10", "30"]
    moved = read_page(moving.read_text(encoding="utf-8"))[0]["axes"]
    assert moved[0]["aliases"] == [None, None] and moved[1]["aliases"] == [None, None]
    # an axis of dates may be named by day numbers: 1 Feb 2026 is day 31 from 1 Jan 2026
    dates = tmp_path / "dates.html"
    on_dates = ["--axis", "shocks.halt.end=2026-01-11,2026-02-01"]
    result = CliRunner().invoke(
        main, ["explore", _scenario(tmp_path, data), *on_dates, "--workers", "1", "-o", str(dates)]
    )
    assert result.exit_code == 0, result.output
    (axis,) = read_page(dates.read_text(encoding="utf-8"))[0]["axes"]
    assert axis["labels"] == ["2026-01-11", "2026-02-01"] and axis["aliases"] == ["10", "31"]
    assert axis["texts"] == ["2026-01-11 (last day 10 Jan 2026)", "2026-02-01 (last day 31 Jan 2026)"]
